// Which source measures the selection (`source`): `logs` reads every call, `analytics` asks Cloudflare's
// GraphQL Analytics for the aggregates, and `auto` reads logs and switches to analytics only when the logs
// cannot answer: a window with more calls than max-logs (seen on the first list page, which the logs
// source reads anyway), or an account whose logs are in Workers Observability (asked only when nothing
// was found). The baseline `previous-window` is read here too: the same source, the window before.
import { isoSeconds } from '../inputs/window.js'
import { INPUT } from '../inputs/names.js'
import { ConfigError } from '../inputs/problems.js'
import { analyticsUntilMs } from '../inputs/source.js'
import { limitsToThresholds } from '../inputs/limits.js'
import type { Config } from '../inputs/config.js'
import type { Selection } from '../inputs/selection.js'
import { CollectError } from '../cloudflare/collect.js'
import type { GatewayDeps } from '../cloudflare/gateway.js'
import type { LogSummary } from '../cloudflare/log.js'
import { AnalyticsError } from '../cloudflare/graphql.js'
import type { RequestBudget } from '../cloudflare/budget.js'
import type { Baseline } from './baseline.js'
import { measureLogs } from './logs.js'
import { computeMetrics, nonFiniteSums, nonFiniteSumsText } from './metrics.js'
import type { Measurements } from './source.js'

type ListSelection = Extract<Selection, { kind: 'list' }>

/**
 * The analytics source, loaded only by a gate that uses it: a gate of one log (or of a run that fits
 * the logs) does not parse its ~100 kB at start-up.
 */
const analytics = (): Promise<typeof import('./analytics.js')> =>
  import('./analytics.js')

/** A window with both ends known: `until` fixed when the read starts (or trimmed for analytics' lag). */
export interface FixedWindow {
  sinceMs: number
  untilMs: number
}

export interface Measured {
  measured: Measurements
  /** The window read, when the selection had a `since`: what previous-window steps back from. */
  window?: FixedWindow
}

export interface MeasureDeps {
  gateway: GatewayDeps
  /** GraphQL Analytics queries this gate may still make (`query-budget`), shared by every read. */
  queries: RequestBudget
  /** Every row is prepared (scrubbed) before it is measured or kept. */
  prepare: <T extends LogSummary>(row: T) => T
  /** When the gate started: `since: 24h` and analytics' lag count back from it. */
  startedMs: number
}

/** The selection measured by the source `source` names (or `auto` settles on). */
export async function measureSelection(
  config: Config,
  deps: MeasureDeps
): Promise<Measured> {
  const { selection } = config
  if (selection.kind !== 'list')
    return { measured: await measureLogs(config, deps.gateway, deps.prepare) }
  if (config.source.choice === 'analytics')
    return analyticsMeasured(config, selection, deps)
  // The logs source fixes an open `until` itself as its read starts (its messages say "to now"); this is
  // the same moment to within the milliseconds between here and there, for previous-window to step back from.
  const window = fixedWindow(selection, deps.gateway.now())
  try {
    const measured = await measureLogs(config, deps.gateway, deps.prepare)
    const trend = await trendOf(config, window, deps, measured.caveats)
    return { measured: trend ? { ...measured, ...trend } : measured, window }
  } catch (error) {
    const why =
      config.source.choice === 'auto'
        ? switchReason(error, config, selection)
        : undefined
    if (why === undefined) throw error
    deps.gateway.debug(`source auto: GraphQL Analytics measures, since ${why}`)
    const read = await analyticsMeasured(config, selection, deps)
    return { ...read, measured: { ...read.measured, why } }
  }
}

/** A window's `until` fixed now when it was left open: "the last 24 hours" of this step. */
function fixedWindow(
  selection: ListSelection,
  nowMs: number
): FixedWindow | undefined {
  const { window } = selection
  if (!window || window.sinceMs === null) return undefined
  return { sinceMs: window.sinceMs, untilMs: window.untilMs ?? nowMs }
}

/**
 * Why `auto` leaves the logs for analytics, or undefined when the error stands: only for a selection
 * analytics can serve (a `since`, no `filters`): a window past max-logs, or a run or a window on an
 * account whose logs are in Workers Observability.
 */
function switchReason(
  error: unknown,
  config: Config,
  selection: ListSelection
): string | undefined {
  if (!(error instanceof CollectError)) return undefined
  if (selection.window?.sinceMs == null || selection.filters.length > 0)
    return undefined
  // A run keeps to the logs whatever its size (its calls are counted one by one); a window switches.
  if (
    error.kind === 'too-many' &&
    error.detail.total !== undefined &&
    selection.run === null
  ) {
    const { maxLogs } = config.reading
    // A list that goes on in full pages of calls already read stops at max-logs' last page with no more
    // than max-logs calls read: then the reason says only that the list goes on past it (as collect does).
    return error.detail.total > maxLogs
      ? `the logs list ${error.detail.total} calls for it, more than ${INPUT.maxLogs} (${maxLogs})`
      : `the logs list more calls for it than ${INPUT.maxLogs} (${maxLogs})`
  }
  if (
    error.kind === 'empty' &&
    error.detail.platform === 'workers-observability'
  )
    return 'the account keeps its logs in Workers Observability, which the logs API does not read'
  return undefined
}

/** The window analytics reads: `until`, or the lag before the gate started; refused when nothing is left of it. */
function analyticsWindow(
  selection: ListSelection,
  startedMs: number
): FixedWindow {
  const sinceMs = selection.window?.sinceMs
  // The config refuses analytics without `since`, and auto switches only with one.
  if (sinceMs == null)
    throw new ConfigError([`GraphQL Analytics needs ${INPUT.since}`])
  const untilMs = analyticsUntilMs(selection.window!, startedMs)
  if (sinceMs >= untilMs)
    throw new ConfigError([
      `${INPUT.since} (${isoSeconds(sinceMs)}) is not before the end of what GraphQL Analytics has (${isoSeconds(untilMs)}: events reach it minutes after the call): set ${INPUT.since} further back, or ${INPUT.until}`
    ])
  return { sinceMs, untilMs }
}

async function analyticsMeasured(
  config: Config,
  selection: ListSelection,
  deps: MeasureDeps
): Promise<Measured> {
  const window = analyticsWindow(selection, deps.startedMs)
  const { measureAnalytics } = await analytics()
  let measured: Measurements
  try {
    measured = await measureAnalytics(
      {
        ...config,
        window,
        runId: selection.run?.value,
        thresholds: rulesOf(config),
        trendDays: config.source.trendDays ?? undefined,
        queries: deps.queries,
        nowMs: deps.startedMs
      },
      deps.gateway
    )
  } catch (error) {
    // `expected-logs: 0` accepts an empty selection, whichever source reads it.
    if (
      error instanceof AnalyticsError &&
      error.kind === 'empty' &&
      config.reading.expectedLogs === 0
    )
      return { measured: emptyAnalytics(window), window }
    throw error
  }
  checkExpected(config, measured)
  return { measured, window }
}

/** No calls, as analytics measured them (with `expected-logs: 0`). */
function emptyAnalytics(window: FixedWindow): Measurements {
  return {
    source: 'analytics',
    metrics: computeMetrics([]),
    caveats: [],
    covered: window
  }
}

/**
 * `expected-logs` with analytics: analytics is read once (nothing to wait for), so fewer calls than
 * expected is an error at once. A sampled count is judged at its lower bound.
 */
function checkExpected(config: Config, measured: Measurements): void {
  const expected = config.reading.expectedLogs
  if (expected === undefined) return
  const interval = measured.intervals?.count
  const count = interval ? interval.lower : measured.metrics.count
  if (count >= expected) return
  const counted = interval
    ? `counts about ${measured.metrics.count} calls (95%: from ${Math.floor(interval.lower)})`
    : `counts ${measured.metrics.count} calls`
  throw new CollectError(
    'too-few',
    `GraphQL Analytics ${counted} for ${measured.describe ?? 'the window'}, fewer than ${INPUT.expectedLogs} (${expected})`
  )
}

/** Every threshold the gate judges: analytics reads the fields they need, and only those. */
function rulesOf(config: Config) {
  return [...limitsToThresholds(config.limits), ...config.thresholds]
}

/**
 * `trend` when the logs measured the selection: one GraphQL query of its own, and a `trend` caveat
 * `estimated` added to the logs' caveats when that query was sampled.
 */
async function trendOf(
  config: Config,
  window: FixedWindow | undefined,
  deps: MeasureDeps,
  caveats: Measurements['caveats']
): Promise<Pick<Measurements, 'trend' | 'caveats'> | undefined> {
  const days = config.source.trendDays
  if (days === null) return undefined
  const untilMs = window?.untilMs ?? deps.gateway.now()
  const { measureTrend } = await analytics()
  const trend = await measureTrend(
    {
      ...config,
      days,
      untilMs,
      queries: deps.queries,
      nowMs: deps.startedMs
    },
    deps.gateway
  )
  const estimated = {
    metric: 'trend',
    kind: 'estimated' as const,
    reason:
      'GraphQL Analytics sampled the trend: the calls, cost and errors a day are estimates'
  }
  return {
    trend: trend.days,
    caveats: trend.sampled ? [...caveats, estimated] : caveats
  }
}

/**
 * `baseline: previous-window`: the window of the same length just before the one measured, read by the
 * source that measured it. A previous window with no calls is no baseline (a reason, not an error); one
 * that cannot be read whole is an error, as for the window itself.
 */
export async function readPreviousWindow(
  config: Config,
  read: Measured,
  deps: MeasureDeps
): Promise<Baseline> {
  const { selection } = config
  // The window as read: analytics reads whole seconds, and says so in `covered`.
  const window = read.measured.covered ?? read.window
  if (!window || selection.kind !== 'list')
    return missing('the gate did not read a time window (since)')
  const lengthMs = window.untilMs - window.sinceMs
  const previous = {
    sinceMs: window.sinceMs - lengthMs,
    untilMs: window.sinceMs
  }
  const describe = `the previous window, ${isoSeconds(previous.sinceMs)} to ${isoSeconds(previous.untilMs)}`
  let measured: Measurements
  try {
    measured = await measurePrevious(config, selection, previous, read, deps)
  } catch (error) {
    if (error instanceof AnalyticsError && error.kind === 'empty')
      return missing(`no calls in ${describe}`)
    // An old window's previous one may reach past what analytics keeps: no baseline, not a failed gate.
    if (error instanceof AnalyticsError && error.kind === 'too-old')
      return missing(
        `${describe} starts before the oldest data GraphQL Analytics keeps (notOlderThan)`
      )
    throw error
  }
  const { metrics } = measured
  if (metrics.count === 0) return missing(`no calls in ${describe}`)
  const overflowing = nonFiniteSums(metrics)
  if (overflowing.length > 0)
    return missing(
      `${describe} is not valid: ${nonFiniteSumsText(metrics, overflowing)}`
    )
  return {
    kind: 'found',
    runId: '',
    describe,
    metrics,
    workflowRun: null,
    ...(measured.intervals ? { intervals: measured.intervals } : {})
  }
}

/**
 * The previous window, read by the source that read the window. With `auto`, a previous window past
 * max-logs is read by analytics too, as the window itself would have been.
 */
async function measurePrevious(
  config: Config,
  selection: ListSelection,
  previous: FixedWindow,
  read: Measured,
  deps: MeasureDeps
): Promise<Measurements> {
  const byAnalytics = async (): Promise<Measurements> =>
    (await analytics()).measureAnalytics(
      {
        ...config,
        window: previous,
        runId: selection.run?.value,
        thresholds: rulesOf(config),
        queries: deps.queries,
        nowMs: deps.startedMs
      },
      deps.gateway
    )
  if (read.measured.source === 'analytics') return byAnalytics()
  try {
    return await measureLogs(
      {
        ...config,
        selection: { ...selection, window: previous },
        // A finished window: nothing to wait for, and an empty one is no baseline rather than an error.
        waitTimeoutMs: 0,
        reading: { ...config.reading, expectedLogs: 0, settleMs: 0 }
      },
      deps.gateway,
      deps.prepare
    )
  } catch (error) {
    if (
      config.source.choice === 'auto' &&
      switchReason(error, config, selection) !== undefined
    )
      return byAnalytics()
    throw error
  }
}

function missing(reason: string): Baseline {
  return { kind: 'missing', reason, workflowRun: null }
}
