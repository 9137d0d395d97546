// The `logs` source: a selection read through the AI Gateway logs API (one log detail per id, or the
// list endpoint for a run or a window), and its metrics computed from the rows read. Every row is
// `prepare`d (the caller scrubs secrets from it) before it is measured or kept.
import {
  fetchLog,
  listPages,
  loggingPlatformQuestion,
  WORKERS_OBSERVABILITY_HINT,
  type GatewayDeps,
  type LoggingPlatform
} from '../cloudflare/gateway.js'
import { collect, CollectError, PAGES_AT_ONCE } from '../cloudflare/collect.js'
import {
  summarize,
  type LogDetail,
  type LogSummary
} from '../cloudflare/log.js'
import { scrubber } from '../text/secrets.js'
import { MAX_PER_PAGE } from '../cloudflare/query.js'
import type { Config } from '../inputs/config.js'
import { INPUT } from '../inputs/names.js'
import { describeList, inWindow, matchesRun, runEntry } from './match.js'
import { computeMetrics } from './metrics.js'
import type { Measurements } from './source.js'
import { type Selection } from '../inputs/selection.js'

/** Log details (`log-ids`) read at once: a few, so a run of calls does not trip the API's rate limit. */
const LOG_DETAILS_AT_ONCE = 4

/** What the logs source read: one log's full detail, or the rows of a selection of many. */
export type Selected =
  | { kind: 'log'; log: LogDetail }
  | { kind: 'many'; logs: LogSummary[]; describe: string }

/** The measurements of what was read: the logs source's metrics are exact, computed from every row. */
export function measureCalls(selected: Selected): Measurements {
  return selected.kind === 'log'
    ? {
        source: 'logs',
        log: selected.log,
        calls: [selected.log],
        metrics: computeMetrics([selected.log]),
        caveats: []
      }
    : {
        source: 'logs',
        calls: selected.logs,
        describe: selected.describe,
        metrics: computeMetrics(selected.logs),
        caveats: []
      }
}

/** A selection of many calls in words, for the report and the errors; undefined for one log. */
export function describeSelection(selection: Selection): string | undefined {
  if (selection.kind === 'list')
    return describeList(selection.run, selection.window, selection.filters)
  if (selection.kind === 'logs') return describeLogIds(selection.logIds)
  return undefined
}

function describeLogIds(logIds: readonly string[]): string {
  return `${logIds.length} call${logIds.length === 1 ? '' : 's'} (${INPUT.logIds})`
}

/** The selection read and measured; `prepare` is applied to every row first. */
export async function measureLogs(
  config: Config,
  deps: GatewayDeps,
  prepare: <T extends LogSummary>(row: T) => T
): Promise<Measurements> {
  const read = await readSelection(config, config.selection, deps)
  return measureCalls(
    read.kind === 'log'
      ? { kind: 'log', log: prepare(read.log) }
      : { ...read, logs: read.logs.map(prepare) }
  )
}

/** `fn` over `items`, at most `limit` at a time, results in the items' order. */
async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      results[i] = await fn(items[i]!)
    }
  }
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker)
  )
  return results
}

/** The selection's calls, read as its mode needs. */
async function readSelection(
  config: Config,
  selection: Selection,
  deps: GatewayDeps
): Promise<Selected> {
  // Asked at the first not-found of the gate, once, whichever read it is.
  const askPlatform = loggingPlatformQuestion(config, deps)
  switch (selection.kind) {
    case 'log': {
      const logRequest = { ...config, logId: selection.logId }
      const { log } = await fetchLog(logRequest, deps, askPlatform)
      return { kind: 'log', log }
    }
    case 'logs': {
      const logs = await readLogIds(config, selection.logIds, deps, askPlatform)
      return { kind: 'many', logs, describe: describeLogIds(selection.logIds) }
    }
    case 'list': {
      const { run, window, filters } = selection
      const describe = describeList(run, window, filters)
      const logs = await readList(
        config,
        selection,
        describe,
        deps,
        askPlatform
      )
      return { kind: 'many', logs, describe }
    }
  }
}

/** `log-ids`: one detail each, a few at a time, each cut down at once to what the gate keeps. */
async function readLogIds(
  config: Config,
  logIds: readonly string[],
  deps: GatewayDeps,
  askPlatform: () => Promise<LoggingPlatform | undefined>
): Promise<LogSummary[]> {
  const scrub = scrubber(deps.secrets ?? [])
  return mapLimit(
    logIds,
    LOG_DETAILS_AT_ONCE,
    // Cut down at once (summarize): 10,000 details, each with its heads, would not fit in memory.
    async (logId) =>
      summarize(
        (await fetchLog({ ...config, logId }, deps, askPlatform)).log,
        scrub
      )
  )
}

/** A run or a window, read whole through the list endpoint (collect), the rows re-checked against it. */
async function readList(
  config: Config,
  selection: Extract<Selection, { kind: 'list' }>,
  describe: string,
  deps: GatewayDeps,
  askPlatform: () => Promise<LoggingPlatform | undefined>
): Promise<LogSummary[]> {
  const { run, filters } = selection
  // A window without `until` ends when the read starts, fixed: "the last 24 hours" of this step.
  // Left open, calls made while it reads would join it, and a busy gateway would never settle.
  const window = selection.window && {
    ...selection.window,
    untilMs: selection.window.untilMs ?? deps.now()
  }
  const keep = (row: LogSummary): boolean =>
    (!run || matchesRun(row, run.key, run.value)) &&
    (!window || inWindow(row, window))
  const readPage = listPages(
    config,
    { run, filters, sinceMs: window?.sinceMs ?? null },
    deps,
    run ? (row) => runEntry(row, run.key, run.value) : undefined
  )
  // The first read that finds nothing asks where the account keeps its logs: Workers Observability
  // has none here to wait for, so that ends the read at once.
  let stopped: CollectError | undefined
  const byRun = run !== null
  const whenNoneFound = async (): Promise<void> => {
    if ((await askPlatform()) !== 'workers-observability') return
    stopped = emptySelection(config, describe, byRun, {
      platform: 'workers-observability',
      waited: false
    })
    throw stopped
  }
  const options = {
    ...config.reading,
    perPage: MAX_PER_PAGE,
    waitTimeoutMs: config.waitTimeoutMs,
    concurrency: PAGES_AT_ONCE,
    describe,
    whenNoneFound,
    untilMs: window?.untilMs ?? undefined
  }
  try {
    return (await collect(readPage, keep, options, deps)).rows
  } catch (error) {
    if (
      error instanceof CollectError &&
      error.kind === 'empty' &&
      error !== stopped
    )
      throw emptySelection(config, describe, byRun, {
        platform: await askPlatform(),
        waited: config.waitTimeoutMs > 0
      })
    throw error
  }
}

/**
 * An empty selection is suspicious, never a pass: say what usually causes it, or that the account keeps
 * its logs in Workers Observability (its logging-state, asked at the first read that found nothing).
 */
function emptySelection(
  config: Config,
  describe: string,
  byRun: boolean,
  seen: { platform: LoggingPlatform | undefined; waited: boolean }
): CollectError {
  const where = ` in gateway ${JSON.stringify(config.gatewayId)} of account ${JSON.stringify(config.accountId)}`
  const waited = seen.waited
    ? ` after waiting ${Math.round(config.waitTimeoutMs / 1000)} s`
    : seen.platform === 'workers-observability'
      ? ' (not waited for)'
      : ''
  const causes =
    seen.platform === 'workers-observability'
      ? WORKERS_OBSERVABILITY_HINT
      : byRun
        ? "Likely causes: the eval's calls did not send the cf-aig-metadata header with this run id and key, they went through another gateway, or logging is off for the gateway. Set expected-logs: 0 if an empty run is fine."
        : 'Likely causes: a wrong gateway-id, no traffic in the window, or logging turned off for the gateway. Set expected-logs: 0 if an empty window is fine.'
  return new CollectError(
    'empty',
    `No calls found for ${describe}${where}${waited}. ${causes}`,
    seen.platform ? { platform: seen.platform } : {}
  )
}
