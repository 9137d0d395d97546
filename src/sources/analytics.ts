// The `analytics` source: a window (and a run in it) measured by Cloudflare's GraphQL Analytics API,
// which aggregates on Cloudflare's side, so a day of a million calls costs a handful of queries. Order:
// the settings node once, every reason to refuse checked before a real query (a disabled dataset, a
// window older than the data kept, a field a threshold needs and the account does not offer), then the
// totals (zero calls is an error), the histograms the thresholds need, status codes, the trend, and
// the models last (only the report shows them).
import {
  AnalyticsError,
  analyticsSession,
  isoDay,
  readHistogram,
  readModels,
  readSettings,
  readStatusCodes,
  readTotals,
  readTrend,
  type AnalyticsConnection,
  type AnalyticsSession,
  type AnalyticsSettings,
  type Histogram
} from '../cloudflare/analytics.js'
import type { AnalyticsSelection } from '../cloudflare/analytics-query.js'
import { BudgetSpentError, type RequestBudget } from '../cloudflare/budget.js'
import type { GatewayDeps } from '../cloudflare/gateway.js'
import { isoSeconds } from '../inputs/window.js'
import type {
  DistributionMetric,
  Threshold
} from '../inputs/threshold-terms.js'
import { quoted } from '../text/escape.js'
import {
  missingFields,
  planAnalytics,
  type AnalyticsPlan
} from './analytics-fields.js'
import {
  intervalsOf,
  mergeTotals,
  metricsOf,
  trendDays
} from './analytics-metrics.js'
import type { Measurements, TrendDay } from './source.js'

export { AnalyticsError } from '../cloudflare/analytics.js'
export type { AnalyticsErrorKind } from '../cloudflare/analytics.js'
export { analyticsFieldsNeeded } from './analytics-fields.js'

export interface AnalyticsRequest extends AnalyticsConnection {
  /** `[sinceMs, untilMs)`, resolved by the caller (its lag applied); read at whole seconds. */
  window: { sinceMs: number; untilMs: number }
  /** Matched by value with metadataValues_has: analytics has no key=value metadata filter. */
  runId?: string
  /** The thresholds and the compiled limit inputs: what they need decides what is read. */
  thresholds: readonly Threshold[]
  /** The last N UTC days, ending with the day the window ends in. */
  trendDays?: number
  /** GraphQL queries this gate may still make (query-budget: a RequestBudget of QUERY_BUDGET), shared by its reads. */
  queries: RequestBudget
  nowMs: number
}

const SECOND_MS = 1000
const DAY_MS = 86_400_000

/** The fields every read needs: the count, and the confidence that says whether it was sampled. */
const ALWAYS_NEEDED = ['count', 'confidence'] as const

/** Whether the account offers a field: `confidence` may be listed whole or by its nested paths. */
function offeredFields(settings: AnalyticsSettings): Set<string> {
  const fields = new Set(settings.availableFields)
  if (settings.availableFields.some((f) => f.startsWith('confidence_')))
    fields.add('confidence')
  return fields
}

/** The selection in words, for the report and the errors. */
export function describeAnalytics(
  selection: Pick<AnalyticsSelection, 'sinceMs' | 'untilMs' | 'runId'>
): string {
  const window = `from ${isoSeconds(selection.sinceMs)} to ${isoSeconds(selection.untilMs)}`
  return selection.runId === undefined
    ? `calls ${window}`
    : `run ${quoted(selection.runId)} (any metadata value, not one key: analytics matches values only), created ${window}`
}

/** Every reason to refuse before a real query: each an AnalyticsError of one line. */
function checkBeforeQueries(
  request: AnalyticsRequest,
  settings: AnalyticsSettings,
  selection: AnalyticsSelection,
  trendSinceMs: number | undefined
): void {
  const account = JSON.stringify(request.accountId)
  if (!settings.enabled)
    throw new AnalyticsError(
      'disabled',
      `GraphQL Analytics has aiGatewayRequestsAdaptiveGroups turned off for account ${account} (its settings say enabled: false): use source: logs.`
    )
  const oldestMs = request.nowMs - settings.notOlderThanMs
  const days = Math.floor(settings.notOlderThanMs / DAY_MS)
  const keptDays = `${days} day${days === 1 ? '' : 's'}`
  if (selection.sinceMs < oldestMs)
    throw new AnalyticsError(
      'too-old',
      `since (${isoSeconds(selection.sinceMs)}) is before the oldest data GraphQL Analytics keeps (${isoSeconds(oldestMs)}, ${keptDays} back; notOlderThan): choose a later since, or source: logs.`
    )
  if (trendSinceMs !== undefined && trendSinceMs < oldestMs)
    throw new AnalyticsError(
      'too-old',
      `trend: ${request.trendDays}d starts on ${isoDay(trendSinceMs)}, before the oldest data GraphQL Analytics keeps (${isoSeconds(oldestMs)}, ${keptDays} back; notOlderThan): ask for fewer days.`
    )
  const offered = offeredFields(settings)
  const missing = ALWAYS_NEEDED.filter((f) => !offered.has(f)).map(
    (f) =>
      `the analytics source needs ${f}, which this account's analytics does not offer (availableFields)`
  )
  missing.push(
    ...missingFields(request.thresholds, trendSinceMs !== undefined, offered)
  )
  if (missing.length > 0)
    throw new AnalyticsError(
      'field-unavailable',
      `${missing.join('; ')}. Use source: logs for these.`
    )
}

/** Zero calls is never a pass: the usual reasons it happens with analytics. */
function emptyError(
  request: AnalyticsRequest,
  describe: string
): AnalyticsError {
  return new AnalyticsError(
    'empty',
    `No calls found for ${describe} in gateway ${JSON.stringify(request.gatewayId)} of account ${JSON.stringify(request.accountId)} by GraphQL Analytics. ` +
      'Likely causes: the API token lacks the "Account Analytics Read" permission (analytics may then answer with no rows rather than an error), ' +
      'the calls are too recent (events reach analytics minutes after the call: end the window earlier), or a wrong gateway-id.'
  )
}

/** The trend's window: the N UTC days ending with the day the window ends in, up to the window's end. */
function trendSelection(
  selection: AnalyticsSelection,
  days: number
): AnalyticsSelection {
  const lastDayMs = Date.parse(`${isoDay(selection.untilMs - 1)}T00:00:00Z`)
  // The gateway's days, whatever run the gate reads: a run of one CI run has no calls on the days before.
  return {
    gatewayId: selection.gatewayId,
    sinceMs: lastDayMs - (days - 1) * DAY_MS,
    untilMs: selection.untilMs
  }
}

/**
 * A read for the report only (the models, a histogram no threshold needs), unless the budget runs out
 * first: never worth failing the gate. Any other error stands.
 */
async function withinBudget<T>(
  session: AnalyticsSession,
  read: () => Promise<T>
): Promise<T | 'spent'> {
  if (session.budget.left === 0) return 'spent'
  try {
    return await read()
  } catch (error) {
    if (
      error instanceof BudgetSpentError ||
      (error instanceof AnalyticsError && error.kind === 'budget')
    )
      return 'spent'
    throw error
  }
}

/** Why a read for the report alone is missing: the query budget ran out before it. */
const budgetSpent = (what: string, session: AnalyticsSession): string =>
  `query-budget was spent before the ${what} could be read (${session.budget.limit} GraphQL queries)`

/** The trend's caveat when its own query was sampled (Cloudflare samples each query on its own). */
const TREND_ESTIMATED = {
  metric: 'trend',
  kind: 'estimated' as const,
  reason:
    'GraphQL Analytics sampled the trend: the calls, cost and errors a day are estimates'
}

/**
 * The selection in whole seconds: the API's datetime filters take them, and the window reported is the
 * one read. A window shorter than a second is refused.
 */
function wholeSeconds(request: AnalyticsRequest): AnalyticsSelection {
  const selection: AnalyticsSelection = {
    gatewayId: request.gatewayId,
    sinceMs: Math.floor(request.window.sinceMs / SECOND_MS) * SECOND_MS,
    untilMs: Math.floor(request.window.untilMs / SECOND_MS) * SECOND_MS,
    ...(request.runId === undefined ? {} : { runId: request.runId })
  }
  if (!(selection.sinceMs < selection.untilMs))
    throw new AnalyticsError(
      'empty',
      `The window ${describeAnalytics(selection)} is empty: since must be at least a second before until.`
    )
  return selection
}

/** A window (and a run in it) measured by GraphQL Analytics. */
export async function measureAnalytics(
  request: AnalyticsRequest,
  deps: GatewayDeps
): Promise<Measurements> {
  const selection = wholeSeconds(request)
  const describe = describeAnalytics(selection)
  const session = analyticsSession(request, deps, request.queries)
  const settings = await readSettings(session)
  const trend = request.trendDays
    ? trendSelection(selection, request.trendDays)
    : undefined
  checkBeforeQueries(request, settings, selection, trend?.sinceMs)
  const plan = planAnalytics(request.thresholds, offeredFields(settings))

  const totals = mergeTotals(
    await readTotals(session, selection, settings, plan.sums),
    plan.sums
  )
  if (totals.count === 0) throw emptyError(request, describe)
  const reader: PlanReader = { session, selection, settings, plan }
  // What the thresholds need first; what only the report shows last, so it never spends their budget.
  const histograms = await readHistograms(reader, { optional: false })
  const statusCodes = plan.statusCodes
    ? await readStatusCodes(session, selection, settings)
    : undefined
  const trendSums = plan.trendCost
    ? (['cost', 'erroredRequests'] as const)
    : (['erroredRequests'] as const)
  const trendRead = trend
    ? await readTrend(session, trend, settings, trendSums)
    : undefined
  histograms.push(...(await readHistograms(reader, { optional: true })))
  const models = await readModelsIfAsked(reader)
  if (trendRead?.sample.sampled) plan.caveats.push(TREND_ESTIMATED)
  const { metrics, caveats } = metricsOf({
    plan,
    totals,
    histograms,
    ...(statusCodes ? { statusCodes } : {}),
    ...(models ? { models } : {})
  })
  const intervals = intervalsOf(totals)
  deps.debug(
    `GraphQL Analytics: ${session.budget.spent} queries, ${totals.count} calls${totals.sampled ? ' (sampled)' : ''}`
  )
  return {
    source: 'analytics',
    describe,
    metrics,
    caveats,
    ...(intervals ? { intervals } : {}),
    covered: { sinceMs: selection.sinceMs, untilMs: selection.untilMs },
    ...(trend && trendRead
      ? {
          trend: trendDays(
            isoDay(trend.sinceMs),
            isoDay(trend.untilMs - 1),
            trendRead.chunks,
            plan.trendCost
          )
        }
      : {})
  }
}

/** What the plan's reads share: the session (and its query budget), the selection, the settings. */
interface PlanReader {
  session: AnalyticsSession
  selection: AnalyticsSelection
  settings: AnalyticsSettings
  plan: AnalyticsPlan
}

/**
 * The plan's histograms that thresholds need, or (`optional`) those only the report shows: one of
 * those is best-effort, a spent query budget makes it unavailable (a caveat), not an error.
 */
async function readHistograms(
  { session, selection, settings, plan }: PlanReader,
  { optional }: { optional: boolean }
): Promise<Array<{ metric: DistributionMetric; histogram: Histogram }>> {
  const read: Array<{ metric: DistributionMetric; histogram: Histogram }> = []
  for (const { dimension, metric } of plan.histograms.filter(
    (h) => h.optional === optional
  )) {
    const histogramOf = (): Promise<Histogram> =>
      readHistogram(session, selection, settings, dimension, metric)
    if (!optional) {
      read.push({ metric, histogram: await histogramOf() })
      continue
    }
    const histogram = await withinBudget(session, histogramOf)
    if (histogram === 'spent')
      plan.caveats.push({
        metric,
        kind: 'unavailable',
        reason: budgetSpent(`${dimension} histogram`, session)
      })
    else read.push({ metric, histogram })
  }
  return read
}

/** The models table's query, when the plan asks for it and the query budget has room (else a caveat). */
async function readModelsIfAsked({
  session,
  selection,
  settings,
  plan
}: PlanReader): Promise<Awaited<ReturnType<typeof readModels>> | undefined> {
  if (!plan.models) return undefined
  const models = await withinBudget(session, () =>
    readModels(session, selection, settings, plan.sums)
  )
  if (models !== 'spent') return models
  plan.caveats.push({
    metric: 'models',
    kind: 'unavailable',
    reason: budgetSpent('models', session)
  })
  return undefined
}

/** `trend` alone: what the logs source cannot read (N days of a gateway), when the logs measured the selection. */
export interface TrendRequest extends Omit<
  AnalyticsRequest,
  'window' | 'thresholds' | 'trendDays'
> {
  /** The end of the selection the trend leads up to: its day is the trend's last. */
  untilMs: number
  days: number
}

/**
 * The last N UTC days up to `untilMs`, oldest first: the settings, then the days by `date` (a query per
 * maxDuration). `sampled`: the trend query was sampled, so its days are estimates (the caller says so).
 */
export async function measureTrend(
  request: TrendRequest,
  deps: GatewayDeps
): Promise<{ days: TrendDay[]; sampled: boolean }> {
  const untilMs = Math.floor(request.untilMs / SECOND_MS) * SECOND_MS
  // The selection's last second stands for the selection: only its day matters here.
  const selection: AnalyticsSelection = {
    gatewayId: request.gatewayId,
    sinceMs: untilMs - SECOND_MS,
    untilMs,
    ...(request.runId === undefined ? {} : { runId: request.runId })
  }
  const trend = trendSelection(selection, request.days)
  const session = analyticsSession(request, deps, request.queries)
  const settings = await readSettings(session)
  const asked = {
    ...request,
    window: selection,
    thresholds: [],
    trendDays: request.days
  }
  checkBeforeQueries(asked, settings, selection, trend.sinceMs)
  const plan = planAnalytics([], offeredFields(settings))
  const sums = plan.trendCost
    ? (['cost', 'erroredRequests'] as const)
    : (['erroredRequests'] as const)
  const { chunks, sample } = await readTrend(session, trend, settings, sums)
  return {
    days: trendDays(
      isoDay(trend.sinceMs),
      isoDay(trend.untilMs - 1),
      chunks,
      plan.trendCost
    ),
    sampled: sample.sampled
  }
}
