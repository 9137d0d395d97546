// Where the measurements come from: `source` (logs, analytics, or auto), and what only the analytics
// source reads: `trend` (the last N UTC days) and `query-budget` (GraphQL queries a gate may make).
// Which source `auto` ends up with is decided while reading (sources/measure.ts); here only what can
// be known from the inputs: a combination no source can serve is an error before any request.
import { INPUT, type RawInputs } from './names.js'
import type { Problems } from './problems.js'
import type { Selection } from './selection.js'
import { parseWhole } from './units.js'

export const SOURCES = ['logs', 'analytics', 'auto'] as const
export type SourceChoice = (typeof SOURCES)[number]

/** Cloudflare allows 300 GraphQL queries per 5 minutes per user; a gate takes a tenth by default. */
export const DEFAULT_QUERY_BUDGET = 30
export const MAX_QUERY_BUDGET = 300
/** Analytics keeps 62 days (notOlderThan): a longer trend could never be read whole. */
export const MAX_TREND_DAYS = 62
/**
 * Analytics is minutes behind the calls (events reach it 139 to 365 s after the call, seen live): a
 * window read from it ends this long before the gate starts, unless `until` says otherwise.
 */
export const ANALYTICS_LAG_MS = 10 * 60_000

export interface SourceConfig {
  choice: SourceChoice
  queryBudget: number
  /** `trend: 14d`: days, oldest first, ending with the day the window ends in; null when not asked. */
  trendDays: number | null
  /** `until` was set: the window's end is the user's, not the analytics default (now - lag). */
  untilSet: boolean
}

/** `14d` (or `14`): a whole number of days from 1 to MAX_TREND_DAYS. */
export function parseTrendDays(value: string): number | undefined {
  const match = /^(\d{1,3})\s*d?$/i.exec(value)
  if (!match) return undefined
  const days = Number(match[1])
  return days >= 1 && days <= MAX_TREND_DAYS ? days : undefined
}

function parseChoice(raw: RawInputs, problems: Problems): SourceChoice {
  const value = raw[INPUT.source]
  if (!value) return 'auto'
  const choice = SOURCES.find((s) => s === value.toLowerCase())
  if (!choice) problems.bad(INPUT.source, value, `is not ${SOURCES.join(', ')}`)
  return choice ?? 'auto'
}

function parseQueryBudget(raw: RawInputs, problems: Problems): number {
  const value = raw[INPUT.queryBudget]
  if (!value) return DEFAULT_QUERY_BUDGET
  const n = parseWhole(value)
  if (n === undefined || n < 1 || n > MAX_QUERY_BUDGET) {
    problems.bad(
      INPUT.queryBudget,
      value,
      `is not a whole number from 1 to ${MAX_QUERY_BUDGET} (Cloudflare allows ${MAX_QUERY_BUDGET} GraphQL queries per 5 minutes per user)`
    )
    return DEFAULT_QUERY_BUDGET
  }
  return n
}

/**
 * What analytics cannot serve, said before any request: one call or a list of ids (analytics has no
 * per-call rows), `filters` (the list endpoint's filters have no analytics counterpart), a run id
 * without a window (analytics is read by time; a run is matched by value inside it).
 */
function checkAnalytics(
  raw: RawInputs,
  problems: Problems,
  selection: Selection
): void {
  const why = `${INPUT.source} ${JSON.stringify(raw[INPUT.source])}`
  if (selection.kind !== 'list') {
    const mode = selection.kind === 'log' ? INPUT.logId : INPUT.logIds
    problems.add(
      `${why} reads runs and windows from GraphQL Analytics, which has no single calls: ${mode} needs ${INPUT.source}: logs (or auto)`
    )
    return
  }
  if (selection.filters.length > 0)
    problems.add(
      `${INPUT.filters} cannot be applied by GraphQL Analytics (${why}): remove ${INPUT.filters}, or set ${INPUT.source}: logs`
    )
  if (selection.run && selection.window?.sinceMs == null)
    problems.add(
      `${INPUT.runId} with ${why} needs ${INPUT.since}: analytics is read by time, and the run is found inside that window (e.g. ${INPUT.since}: 2h)`
    )
}

/** The window's end with analytics: `until` when set, else ANALYTICS_LAG_MS before `nowMs`. */
export function analyticsUntilMs(
  window: { untilMs: number | null },
  nowMs: number
): number {
  return window.untilMs ?? nowMs - ANALYTICS_LAG_MS
}

/** A window that ends inside analytics' lag by default and starts there too holds nothing analytics has yet. */
function checkLag(
  raw: RawInputs,
  problems: Problems,
  selection: Selection,
  nowMs: number
): void {
  if (selection.kind !== 'list' || !selection.window) return
  const { sinceMs, untilMs } = selection.window
  // An `until` inside the lag is the user's to choose, but its last minutes may not be counted yet.
  if (untilMs !== null && untilMs > nowMs - ANALYTICS_LAG_MS)
    problems.warnings.push(
      `${INPUT.until} ${JSON.stringify(raw[INPUT.until])} ends within the last ${ANALYTICS_LAG_MS / 60_000} minutes, which GraphQL Analytics may not have yet (events reach it minutes after the call): the calls of those minutes may be missing from every count and sum`
    )
  if (sinceMs === null || untilMs !== null) return
  if (sinceMs >= analyticsUntilMs(selection.window, nowMs))
    problems.add(
      `${INPUT.since} ${JSON.stringify(raw[INPUT.since])} starts within the last ${ANALYTICS_LAG_MS / 60_000} minutes, which GraphQL Analytics does not have yet (events reach it minutes after the call; without ${INPUT.until} its window ends ${ANALYTICS_LAG_MS / 60_000} minutes ago): set ${INPUT.since} further back, or ${INPUT.source}: logs`
    )
}

export function parseSource(
  raw: RawInputs,
  problems: Problems,
  selection: Selection | undefined,
  nowMs: number
): SourceConfig {
  const choice = parseChoice(raw, problems)
  const queryBudget = parseQueryBudget(raw, problems)
  let trendDays: number | null = null
  const trend = raw[INPUT.trend]
  if (trend) {
    const days = parseTrendDays(trend)
    if (days === undefined)
      problems.bad(
        INPUT.trend,
        trend,
        `is not a number of days from 1 to ${MAX_TREND_DAYS} (e.g. 14d)`
      )
    else trendDays = days
  }
  if (selection && choice === 'analytics') {
    checkAnalytics(raw, problems, selection)
    checkLag(raw, problems, selection, nowMs)
  }
  if (selection && selection.kind !== 'list' && trend)
    problems.add(
      `${INPUT.trend} adds the days before a run or a window (${INPUT.runId} or ${INPUT.since}), not ${selection.kind === 'log' ? INPUT.logId : INPUT.logIds}`
    )
  else if (trend && selection?.kind === 'list' && selection.filters.length > 0)
    problems.add(
      `${INPUT.trend} counts the gateway's calls day by day in GraphQL Analytics, which cannot apply ${INPUT.filters}: remove ${INPUT.trend} or ${INPUT.filters}`
    )
  else if (choice === 'logs' && trend)
    problems.add(
      `${INPUT.trend} is read from GraphQL Analytics (one query), which ${INPUT.source}: logs rules out: set ${INPUT.source} to auto or analytics, or remove ${INPUT.trend}`
    )
  if (selection && selection.kind !== 'list' && raw[INPUT.queryBudget])
    problems.ignored(
      INPUT.queryBudget,
      `it limits GraphQL Analytics queries, which ${selection.kind === 'log' ? INPUT.logId : INPUT.logIds} never makes`
    )
  if (choice === 'logs' && raw[INPUT.queryBudget] && !trend)
    problems.ignored(
      INPUT.queryBudget,
      `${INPUT.source} is logs, which makes no GraphQL Analytics query`
    )
  return {
    choice,
    queryBudget,
    trendDays,
    untilSet: raw[INPUT.until] !== ''
  }
}
