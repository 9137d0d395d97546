// Reads the baseline: for `base-branch`, GitHub's list of this workflow's completed runs on the base
// branch, newest first, a page at a time; the newest run that succeeded or failed (a failed gate is still
// a measurement) is read, and when none of its calls are left (its eval failed before any call, say), the
// next one, up to MAX_BASELINE_RUNS runs. Each run's calls are read through the list endpoint, with the
// run's own selection rules (run-id-key and filters) but without waiting or settling, since a baseline
// is finished. Every way of not having a baseline (no such run yet, no logs left for any run tried, a
// refused lookup, a page that cannot be read) is a reason, never a throw: the rest of the gate stands.
import {
  baseBranchOf,
  baselineRunIdValue,
  type BaseBranchLookup
} from '../inputs/base-branch.js'
import type { BaselineConfig } from '../inputs/baseline.js'
import {
  explainRunsStatus,
  parseWorkflowRuns,
  runUrl,
  RUNS_PER_PAGE,
  workflowRunsUrl,
  type WorkflowRun
} from '../github/runs.js'
import { collect, CollectError, PAGES_AT_ONCE } from '../cloudflare/collect.js'
import type { Config } from '../inputs/config.js'
import type { Metrics } from './metrics.js'
import type { Interval } from './source.js'
import { readEvent } from '../github/event.js'
import { inline, quoted } from '../text/escape.js'
import {
  GatewayError,
  listPages,
  type GatewayDeps
} from '../cloudflare/gateway.js'
import { AnswerTooLargeError } from '../net/http.js'
import {
  computeMetrics,
  nonFiniteSums,
  nonFiniteSumsText,
  type LogSummary
} from './metrics.js'
import { MAX_PER_PAGE } from '../cloudflare/query.js'
import { describeList, matchesRun, runEntry } from './match.js'
import { type LogFilter } from '../inputs/filters.js'

/** The base branch's runs whose calls are read, newest first, before there is no baseline. */
export const MAX_BASELINE_RUNS = 3
/** Pages of GitHub's list looked through for them: runs that neither succeeded nor failed are passed over. */
export const MAX_RUN_PAGES = 3

/** A run of the base branch to read, or why the lookup stopped. */
export type Found =
  | { runIdValue: string; workflowRun: WorkflowRun }
  | { missing: string; workflowRun: WorkflowRun | null }

function networkMessage(error: unknown): string {
  // The transport cannot say what the answer was meant to be; here it was GitHub's list of runs.
  if (error instanceof AnswerTooLargeError)
    return `GitHub answered with ${error.size}, more than any list of workflow runs; not read`
  const e = error as { message?: unknown; cause?: { code?: unknown } } | null
  const message = typeof e?.message === 'string' ? e.message : String(error)
  return typeof e?.cause?.code === 'string'
    ? `${message} (${e.cause.code})`
    : message
}

/**
 * The base branch's runs of this workflow that succeeded or failed, newest first, each with its run-id
 * value: this run's `run-id` with this run's id and attempt replaced by that run's. GitHub is asked a
 * page (RUNS_PER_PAGE runs) at a time, the next page only when the runs of the last one are used up, at
 * most MAX_RUN_PAGES pages. A `missing` ends the runs: no such run (when none was yielded before), or
 * why the lookup could not go on.
 */
export async function* baseBranchRuns(
  lookup: BaseBranchLookup,
  runIdValue: string,
  deps: Pick<GatewayDeps, 'send' | 'debug'>,
  timeoutMs: number,
  scrub: (text: string) => string
): AsyncGenerator<Found> {
  const event = readEvent(lookup.eventPath)
  const base =
    'problem' in event ? event : baseBranchOf(lookup.eventName, event.payload)
  if ('problem' in base) {
    yield {
      missing: `the base branch is not known: ${base.problem}`,
      workflowRun: null
    }
    return
  }
  const { branch } = base
  const onBranch = `${lookup.workflowFile} on ${quoted(branch)}`
  let listed = 0
  let yielded = 0
  const seen = new Set<number>()
  for (let page = 1; page <= MAX_RUN_PAGES; page++) {
    const answer = await runsPage(lookup, branch, page, deps, timeoutMs, scrub)
    if ('missing' in answer) {
      yield answer
      return
    }
    listed += answer.listed
    for (const listedRun of answer.runs) {
      // A run that completed between two pages shifts the runs after it: one seen already is not tried twice.
      const id = 'run' in listedRun ? listedRun.run.id : listedRun.id
      if (seen.has(id)) continue
      seen.add(id)
      if ('passedOver' in listedRun) {
        deps.debug(
          `baseline: run ${listedRun.id} of ${onBranch} passed over: ${listedRun.passedOver}`
        )
        continue
      }
      const found = foundRun(lookup, runIdValue, listedRun.run)
      yield found
      if ('missing' in found) return
      yielded++
    }
    // A page shorter than asked is the last one.
    if (answer.listed < RUNS_PER_PAGE) break
  }
  if (yielded === 0) {
    yield {
      missing:
        listed === 0
          ? `no completed run of ${onBranch} yet`
          : `no run of ${onBranch} succeeded or failed on the branch itself (${listed} completed run${listed === 1 ? '' : 's'} looked at; the debug log says why each was passed over)`,
      workflowRun: null
    }
  }
}

/** One page of GitHub's list of the workflow's completed runs on the branch, checked; or why there is none. */
async function runsPage(
  lookup: BaseBranchLookup,
  branch: string,
  page: number,
  deps: Pick<GatewayDeps, 'send' | 'debug'>,
  timeoutMs: number,
  scrub: (text: string) => string
): Promise<
  | Extract<ReturnType<typeof parseWorkflowRuns>, { runs: unknown }>
  | { missing: string; workflowRun: null }
> {
  const onBranch = `${lookup.workflowFile} on ${quoted(branch)}`
  const headers = {
    accept: 'application/vnd.github+json',
    authorization: `Bearer ${lookup.token}`,
    'x-github-api-version': '2022-11-28',
    'user-agent': 'ai-gateway-gate'
  }
  let res
  try {
    res = await deps.send(
      workflowRunsUrl(lookup, branch, page),
      headers,
      timeoutMs
    )
  } catch (error) {
    return {
      missing: `GitHub could not be asked for the completed runs of ${onBranch}: ${inline(scrub(networkMessage(error)), 200)}`,
      workflowRun: null
    }
  }
  deps.debug(
    `GitHub answered HTTP ${res.status} for page ${page} of the completed runs of ${onBranch}`
  )
  if (res.status !== 200)
    return {
      missing: explainRunsStatus(res.status, res.body, lookup, scrub),
      workflowRun: null
    }
  const answer = parseWorkflowRuns(
    res.body,
    branch,
    lookup.runId,
    lookup.workflowFile
  )
  return 'problem' in answer
    ? { missing: scrub(answer.problem), workflowRun: null }
    : answer
}

/** A run of the base branch as the baseline: its link and its run-id value, or why it cannot be read. */
function foundRun(
  lookup: BaseBranchLookup,
  runIdValue: string,
  run: Omit<WorkflowRun, 'url'>
): Found {
  const workflowRun: WorkflowRun = {
    ...run,
    url: lookup.serverUrl
      ? runUrl(lookup.serverUrl, lookup.owner, lookup.repo, run.id, run.attempt)
      : null
  }
  const value = baselineRunIdValue(runIdValue, lookup, run)
  return value === undefined
    ? {
        missing: `GitHub did not say which attempt of run ${run.id} it lists (run_attempt), and run-id holds the attempt`,
        workflowRun
      }
    : { runIdValue: value, workflowRun }
}

/** Why reading the baseline's calls failed, for the reason: our own errors are one line already. */
function readFailure(error: unknown): string | undefined {
  if (error instanceof GatewayError || error instanceof CollectError)
    return `its calls could not be read: ${error.message}`
  return undefined
}

/**
 * The baseline, read: its metrics, or why there is none. Only for a run selection (the config refuses
 * a baseline for anything else). `prepare` is applied to every row before it is measured (the caller
 * scrubs secrets from them).
 */
/** A baseline that is another eval run (previous-window is read by the gate's own source: sources/measure.ts). */
export type RunBaselineConfig = BaselineConfig & {
  source: Exclude<BaselineConfig['source'], { kind: 'previous-window' }>
}

export async function readBaseline(
  config: Config,
  baseline: RunBaselineConfig,
  deps: GatewayDeps,
  scrub: (text: string) => string,
  prepare: (row: LogSummary) => LogSummary
): Promise<Baseline> {
  const { selection } = config
  if (selection.kind !== 'list' || !selection.run) {
    return {
      kind: 'missing',
      reason: 'the gate did not read a run (run-id)',
      workflowRun: null
    }
  }
  const { key, value: runIdValue } = selection.run
  const { filters } = selection
  if (baseline.source.kind === 'run-id')
    return readNamedRun(config, { key, value: baseline.source.value }, deps, {
      filters,
      prepare
    })
  const lookup = baseBranchRuns(
    baseline.source.lookup,
    runIdValue,
    deps,
    config.requestTimeoutMs,
    scrub
  )
  return readBaseBranchRun(config, { key, lookup }, deps, { filters, prepare })
}

/** How a baseline run is read: the gate's filters, and the preparing of each row kept. */
interface BaselineReading {
  filters: LogFilter[]
  prepare: (row: LogSummary) => LogSummary
}

/** `baseline-run-id`: the run named, missing when none of its calls are left. */
async function readNamedRun(
  config: Config,
  run: { key: string; value: string },
  deps: GatewayDeps,
  { filters, prepare }: BaselineReading
): Promise<Baseline> {
  const read = await readRun(config, run, filters, deps, null)
  if ('kind' in read) return read
  return read.rows.length === 0
    ? {
        kind: 'missing',
        reason: `no calls of ${read.describe} are left in the gateway`,
        workflowRun: null
      }
    : found(read, run.value, null, prepare)
}

/**
 * `baseline: base-branch`: the base branch's latest runs, newest first, until one has calls left (at
 * most MAX_BASELINE_RUNS tried).
 */
async function readBaseBranchRun(
  config: Config,
  { key, lookup }: { key: string; lookup: ReturnType<typeof baseBranchRuns> },
  deps: GatewayDeps,
  { filters, prepare }: BaselineReading
): Promise<Baseline> {
  // The runs tried whose calls are gone: named in the debug log as they are passed over, and in the reason.
  const tried: { describe: string; workflowRun: WorkflowRun }[] = []
  for await (const next of lookup) {
    if ('missing' in next) {
      // Runs already tried are said too: the lookup stopped after them, not before.
      const after =
        tried.length === 0
          ? ''
          : `${noCallsLeft(tried)}, and the next run could not be looked up: `
      return {
        kind: 'missing',
        reason: `${after}${next.missing}`,
        workflowRun: next.workflowRun ?? tried[0]?.workflowRun ?? null
      }
    }
    const { workflowRun } = next
    const run = { key, value: next.runIdValue }
    deps.debug(
      `baseline: reading run ${workflowRun.id} of "${inline(workflowRun.branch, 80)}" (${describeList(run, null, filters)})`
    )
    const read = await readRun(config, run, filters, deps, workflowRun)
    if ('kind' in read) return read
    if (read.rows.length > 0)
      return found(read, run.value, workflowRun, prepare)
    tried.push({ describe: read.describe, workflowRun })
    deps.debug(
      `baseline: no calls of run ${workflowRun.id} (${read.describe}) are left in the gateway`
    )
    if (tried.length === MAX_BASELINE_RUNS) break
  }
  return {
    kind: 'missing',
    reason: noCallsLeft(tried),
    workflowRun: tried[0]?.workflowRun ?? null
  }
}

/** Why runs found on the base branch are no baseline: none of their calls are left. */
function noCallsLeft(
  tried: readonly { describe: string; workflowRun: WorkflowRun }[]
): string {
  const [first] = tried
  if (first === undefined) return 'no run of the base branch was found'
  const onBranch = `on ${quoted(first.workflowRun.branch)}`
  if (tried.length === 1)
    return `no calls of ${first.describe} (the newest run ${onBranch} that succeeded or failed, run ${first.workflowRun.id}) are left in the gateway`
  const each = tried
    .map((t) => `run ${t.workflowRun.id} (${t.describe})`)
    .join(', ')
  return `no calls of the ${tried.length} newest runs ${onBranch} that succeeded or failed are left in the gateway: ${each}`
}

/** A baseline read with calls in it, measured. */
function found(
  read: { rows: LogSummary[]; describe: string },
  runId: string,
  workflowRun: WorkflowRun | null,
  prepare: (row: LogSummary) => LogSummary
): Baseline {
  const metrics = computeMetrics(read.rows.map(prepare))
  // As for the run itself: a sum past the largest number is no answer to compare with.
  const overflowing = nonFiniteSums(metrics)
  if (overflowing.length > 0)
    return {
      kind: 'missing',
      reason: `the baseline, ${read.describe}, is not valid: ${nonFiniteSumsText(metrics, overflowing)}`,
      workflowRun
    }
  return {
    kind: 'found',
    runId,
    describe: read.describe,
    metrics,
    workflowRun
  }
}

/**
 * One run's calls, read whole (possibly none), or why they could not be read. A read that cannot be
 * shown whole throws: that is no comparison at all, never a missing baseline.
 */
async function readRun(
  config: Config,
  run: { key: string; value: string },
  filters: readonly LogFilter[],
  deps: GatewayDeps,
  workflowRun: WorkflowRun | null
): Promise<
  | { rows: LogSummary[]; describe: string }
  | { kind: 'missing'; reason: string; workflowRun: WorkflowRun | null }
> {
  const describe = describeList(run, null, filters)
  const readPage = listPages(
    config,
    { run, filters, sinceMs: null },
    deps,
    (row) => runEntry(row, run.key, run.value)
  )
  // Finished runs only: no waiting for a first call, no settling; an empty run is no baseline, not an error.
  const options = {
    perPage: MAX_PER_PAGE,
    maxLogs: config.reading.maxLogs,
    expectedLogs: 0,
    waitTimeoutMs: 0,
    settleMs: 0,
    concurrency: PAGES_AT_ONCE,
    describe
  }
  try {
    const { rows } = await collect(
      readPage,
      (row: LogSummary) => matchesRun(row, run.key, run.value),
      options,
      deps
    )
    return { rows, describe }
  } catch (error) {
    // A baseline read that cannot be shown whole is no comparison at all, never a missing baseline:
    // a skipped threshold would let the gate pass on part of the base run's calls.
    if (
      error instanceof CollectError &&
      (error.kind === 'incomplete' || error.kind === 'invalid')
    )
      throw new CollectError(error.kind, `Baseline: ${error.message}`)
    const why = readFailure(error)
    if (why === undefined) throw error
    return {
      kind: 'missing',
      reason: `the baseline, ${describe}: ${why}`,
      workflowRun
    }
  }
}

/** The run compared with, once read: its metrics, or why there is none. */
export type Baseline =
  | {
      kind: 'found'
      runId: string
      describe: string
      metrics: Metrics
      workflowRun: WorkflowRun | null
      /** Figures read from a sample (a previous window read by analytics), with their intervals. */
      intervals?: Readonly<Record<string, Interval>>
    }
  | { kind: 'missing'; reason: string; workflowRun: WorkflowRun | null }
