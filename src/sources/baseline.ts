// Reads the baseline: for `base-branch`, one request to GitHub for the base branch's last successful
// run of this workflow; then that run's calls through the list endpoint, with the run's own selection
// rules (run-id-key and filters) but without waiting or settling, since a baseline is finished. Every
// way of not having a baseline (no successful run yet, no logs left for it, a refused lookup, a page
// that cannot be read) is a reason, never a throw: the rest of the gate stands.
import {
  baseBranchOf,
  baselineRunIdValue,
  type BaseBranchLookup,
  type BaselineConfig
} from '../inputs/baseline.js'
import {
  explainRunsStatus,
  parseWorkflowRuns,
  runUrl,
  workflowRunsUrl,
  type WorkflowRun
} from '../github/runs.js'
import { collect, CollectError, PAGES_AT_ONCE } from '../cloudflare/collect.js'
import type { Config } from '../inputs/config.js'
import type { Metrics } from './metrics.js'
import { readEvent } from '../github/event.js'
import { inline } from '../text/escape.js'
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

type Found =
  | { runIdValue: string; workflowRun: WorkflowRun }
  | { missing: string; workflowRun: WorkflowRun | null }

function networkMessage(error: unknown): string {
  // The transport cannot say what the answer was meant to be; here it was GitHub's list of one run.
  if (error instanceof AnswerTooLargeError)
    return `GitHub answered with ${error.size}, more than any list of one workflow run; not read`
  const e = error as { message?: unknown; cause?: { code?: unknown } } | null
  const message = typeof e?.message === 'string' ? e.message : String(error)
  return typeof e?.cause?.code === 'string'
    ? `${message} (${e.cause.code})`
    : message
}

/**
 * The base branch's last successful run of this workflow, in one GitHub request, and its run-id value:
 * this run's `run-id` with this run's id and attempt replaced by that run's.
 */
export async function findBaseBranchRun(
  lookup: BaseBranchLookup,
  runIdValue: string,
  deps: Pick<GatewayDeps, 'send' | 'debug'>,
  timeoutMs: number,
  scrub: (text: string) => string
): Promise<Found> {
  const event = readEvent(lookup.eventPath)
  const base =
    'problem' in event ? event : baseBranchOf(lookup.eventName, event.payload)
  if ('problem' in base)
    return {
      missing: `the base branch is not known: ${base.problem}`,
      workflowRun: null
    }
  const { branch } = base
  const headers = {
    accept: 'application/vnd.github+json',
    authorization: `Bearer ${lookup.token}`,
    'x-github-api-version': '2022-11-28',
    'user-agent': 'ai-gateway-gate'
  }
  const onBranch = `${lookup.workflowFile} on "${inline(branch, 80)}"`
  let res
  try {
    res = await deps.send(workflowRunsUrl(lookup, branch), headers, timeoutMs)
  } catch (error) {
    return {
      missing: `GitHub could not be asked for the last successful run of ${onBranch}: ${inline(scrub(networkMessage(error)), 200)}`,
      workflowRun: null
    }
  }
  deps.debug(
    `GitHub answered HTTP ${res.status} for the last successful run of ${onBranch}`
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
  if ('none' in answer)
    return {
      missing: `no successful run of ${onBranch} yet`,
      workflowRun: null
    }
  if ('problem' in answer)
    return { missing: scrub(answer.problem), workflowRun: null }
  const { run } = answer
  const workflowRun: WorkflowRun = {
    ...run,
    url: lookup.serverUrl
      ? runUrl(lookup.serverUrl, lookup.owner, lookup.repo, run.id, run.attempt)
      : null
  }
  const value = baselineRunIdValue(runIdValue, lookup, run)
  if (value === undefined) {
    return {
      missing: `GitHub did not say which attempt of run ${run.id} succeeded (run_attempt), and run-id holds the attempt`,
      workflowRun
    }
  }
  return { runIdValue: value, workflowRun }
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
export async function readBaseline(
  config: Config,
  baseline: BaselineConfig,
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
  let value: string
  let workflowRun: WorkflowRun | null = null
  if (baseline.source.kind === 'run-id') {
    value = baseline.source.value
  } else {
    const found = await findBaseBranchRun(
      baseline.source.lookup,
      runIdValue,
      deps,
      config.requestTimeoutMs,
      scrub
    )
    if ('missing' in found)
      return {
        kind: 'missing',
        reason: found.missing,
        workflowRun: found.workflowRun
      }
    ;({ runIdValue: value, workflowRun } = found)
  }
  const run = { key, value }
  const { filters } = selection
  const describe = describeList(run, null, filters)
  const readPage = listPages(
    config,
    { run, filters, sinceMs: null },
    deps,
    (row) => runEntry(row, key, value)
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
  let rows: LogSummary[]
  try {
    rows = (
      await collect(
        readPage,
        (row: LogSummary) => matchesRun(row, key, value),
        options,
        deps
      )
    ).rows
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
  const ofRun = workflowRun
    ? ` (the last successful run on "${inline(workflowRun.branch, 80)}", run ${workflowRun.id})`
    : ''
  if (rows.length === 0)
    return {
      kind: 'missing',
      reason: `no calls of ${describe}${ofRun} are left in the gateway`,
      workflowRun
    }
  const metrics = computeMetrics(rows.map(prepare))
  // As for the run itself: a sum past the largest number is no answer to compare with.
  const overflowing = nonFiniteSums(metrics)
  if (overflowing.length > 0)
    return {
      kind: 'missing',
      reason: `the baseline, ${describe}${ofRun}, is not valid: ${nonFiniteSumsText(metrics, overflowing)}`,
      workflowRun
    }
  return { kind: 'found', runId: value, describe, metrics, workflowRun }
}

/** The run compared with, once read: its metrics, or why there is none. */
export type Baseline =
  | {
      kind: 'found'
      runId: string
      describe: string
      metrics: Metrics
      workflowRun: WorkflowRun | null
    }
  | { kind: 'missing'; reason: string; workflowRun: WorkflowRun | null }
