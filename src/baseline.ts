// Pure: the baseline a run is compared with. Which run it is (a run id given as an input, or the last
// successful run of the same workflow on the pull request's base branch, found through GitHub's REST
// API), what that run's run-id value is, GitHub's answer checked as the untrusted text it is, and the
// link to that run. Reading it (one GitHub request, then the list endpoint) is baseline-read.ts.
import { inline } from './escape.js'
import type { Metrics } from './metrics.js'

/** What `baseline: base-branch` needs to find the run: all of it known before any request. */
export interface BaseBranchLookup {
  /** GitHub's REST API (GITHUB_API_URL), without a trailing slash. */
  apiUrl: string
  /** github-token: it needs `actions: read`. */
  token: string
  owner: string
  repo: string
  /** The workflow's file name, from GITHUB_WORKFLOW_REF: `eval.yml`. */
  workflowFile: string
  /** This run (GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT): replaced in run-id by the baseline run's. */
  runId: number
  runAttempt: number
  /** Where runs are linked to (GITHUB_SERVER_URL); null when it is not a usable URL. */
  serverUrl: string | null
  /** GITHUB_EVENT_NAME and GITHUB_EVENT_PATH: the base branch comes from the event. */
  eventName: string
  eventPath: string | undefined
}

export type BaselineSource =
  | { kind: 'run-id'; value: string }
  | { kind: 'base-branch'; lookup: BaseBranchLookup }

export interface BaselineConfig {
  source: BaselineSource
  /** `baseline-required`: a missing baseline is an error instead of a warning. */
  required: boolean
}

/** The GitHub Actions run a baseline came from (base-branch only). */
export interface WorkflowRun {
  id: number
  /** The attempt that succeeded; null when GitHub did not say. */
  attempt: number | null
  branch: string
  /** The commit it ran on, when GitHub gave one that looks like a commit id. */
  headSha: string | null
  /** Its page on GitHub, built from GITHUB_SERVER_URL and the checked id (never GitHub's own html_url). */
  url: string | null
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

export const BASE_BRANCH = 'base-branch'
/** Where GitHub keeps a repository's workflow files, as a run's `path` and GITHUB_WORKFLOW_REF write it. */
const WORKFLOWS_DIR = '.github/workflows/'
const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target'])
/** Git refuses longer ref names on most file systems; a longer branch from an event file is not a branch. */
const MAX_BRANCH_CHARS = 255

/** A positive whole number written in decimal, as GITHUB_RUN_ID and GITHUB_RUN_ATTEMPT are; undefined otherwise. */
export function positiveWhole(value: string | undefined): number | undefined {
  if (value === undefined || !/^[1-9]\d*$/.test(value)) return undefined
  const n = Number(value)
  return Number.isSafeInteger(n) ? n : undefined
}

/**
 * The workflow's file name from GITHUB_WORKFLOW_REF (`owner/repo/.github/workflows/eval.yml@refs/pull/7/merge`
 * is `eval.yml`): GitHub's list of a workflow's runs takes the file name in place of the workflow's id.
 */
export function workflowFileOf(workflowRef: string): string | undefined {
  const m = /^[^/@]+\/[^/@]+\/\.github\/workflows\/([^/@]+\.ya?ml)@./i.exec(
    workflowRef
  )
  return m?.[1]
}

// A run id stands as a whole number when no digit touches it; an attempt (a small number, "1") only
// when no letter or digit does, since a single digit inside a word or a commit id is not the attempt.
const standingAlone = (value: number, around: string): RegExp =>
  new RegExp(`(?<![${around}])${value}(?![${around}])`, 'g')
const runIdPattern = (runId: number): RegExp => standingAlone(runId, '0-9')
const attemptPattern = (attempt: number): RegExp =>
  standingAlone(attempt, '0-9A-Za-z')

/** Whether this run's `run-id` names the run: it must hold the run id (an attempt alone names no run: every run has an attempt 1). */
export function namesTheRun(runIdValue: string, runId: number): boolean {
  return runIdPattern(runId).test(runIdValue)
}

/**
 * The baseline run's run-id value: this run's `run-id` with this run's id and attempt replaced by the
 * baseline run's, where they stand as whole numbers (`gh-123-1` for run 123, attempt 1, becomes
 * `gh-99-2` for run 99, attempt 2). The attempt is one place only, the nearest after the run id (or,
 * with none after it, the nearest before it): other numbers equal to it, such as a matrix shard in
 * `gh-123-1-shard-1`, are the same in the baseline run and stay. Undefined when the value holds the
 * attempt and the baseline's attempt is not known.
 */
export function baselineRunIdValue(
  runIdValue: string,
  current: { runId: number; runAttempt: number },
  baseline: { id: number; attempt: number | null }
): string | undefined {
  const pieces = runIdValue.split(runIdPattern(current.runId))
  const place = attemptPlace(pieces, attemptPattern(current.runAttempt))
  if (place) {
    if (baseline.attempt === null) return undefined
    const { piece, index, length } = place
    const text = pieces[piece]!
    pieces[piece] =
      text.slice(0, index) +
      String(baseline.attempt) +
      text.slice(index + length)
  }
  return pieces.join(String(baseline.id))
}

/** Where the attempt stands: the first match after the run id, else the last match before it. */
function attemptPlace(
  pieces: readonly string[],
  pattern: RegExp
): { piece: number; index: number; length: number } | undefined {
  for (let piece = 1; piece < pieces.length; piece++) {
    const match = [...pieces[piece]!.matchAll(pattern)][0]
    if (match) return { piece, index: match.index, length: match[0].length }
  }
  const last = [...pieces[0]!.matchAll(pattern)].at(-1)
  return last && { piece: 0, index: last.index, length: last[0].length }
}

/**
 * The branch whose last successful run is the baseline: on a pull request, its base branch
 * (`pull_request.base.ref`); on any other event, the repository's default branch
 * (`repository.default_branch`). The payload is the runner's event file, read defensively.
 */
export function baseBranchOf(
  eventName: string,
  payload: unknown
): { branch: string } | { problem: string } {
  const record = (value: unknown): Record<string, unknown> | undefined =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  const event = record(payload)
  const pullRequest = PULL_REQUEST_EVENTS.has(eventName)
  const branch = pullRequest
    ? record(record(event?.pull_request)?.base)?.ref
    : record(event?.repository)?.default_branch
  const field = pullRequest
    ? 'pull_request.base.ref'
    : 'repository.default_branch'
  if (typeof branch !== 'string' || branch.trim() === '')
    return { problem: `the event has no ${field} to find the base branch with` }
  if (
    branch.length > MAX_BRANCH_CHARS ||
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f]/.test(branch)
  ) {
    return {
      problem: `the event's ${field} "${inline(branch, 80)}" is not a branch name`
    }
  }
  return { branch }
}

/** A positive safe integer from GitHub's JSON; anything else is not one. */
const positiveId = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0
    ? value
    : undefined

export type RunsAnswer =
  { run: Omit<WorkflowRun, 'url'> } | { none: true } | { problem: string }

/**
 * The workflow file a run ran, from the `path` of GitHub's workflow-run: `.github/workflows/eval.yml`,
 * which GitHub's own example writes with the ref, `.github/workflows/eval.yml@main`; the ref is not
 * part of the file. Undefined when the path is not text.
 */
function workflowPathOf(path: unknown): string | undefined {
  if (typeof path !== 'string') return undefined
  const at = path.indexOf('@')
  return at === -1 ? path : path.slice(0, at)
}

/**
 * GitHub's answer to `GET /repos/{owner}/{repo}/actions/workflows/{file}/runs?branch=…&status=success&per_page=1`:
 * `{"total_count": N, "workflow_runs": [workflow-run, …]}`, newest first. Every field is checked, since
 * the answer is untrusted: an id that is not a positive whole number, a run of another workflow file
 * than `workflowFile` (its `path`), a run that did not succeed, a run of another branch, or a pull
 * request's run (a fork's branch can have the base branch's name) is no baseline.
 */
export function parseWorkflowRuns(
  body: string,
  branch: string,
  currentRunId: number,
  workflowFile: string
): RunsAnswer {
  let answer: unknown
  try {
    answer = JSON.parse(body)
  } catch {
    return { problem: "GitHub's answer is not JSON" }
  }
  const runs = (answer as { workflow_runs?: unknown } | null)?.workflow_runs
  if (!Array.isArray(runs))
    return { problem: "GitHub's answer has no workflow_runs list" }
  if (runs.length === 0) return { none: true }
  const run = runs[0] as Record<string, unknown> | null
  if (typeof run !== 'object' || run === null)
    return { problem: "GitHub's answer lists a run that is not an object" }
  const id = positiveId(run.id)
  if (id === undefined)
    return {
      problem:
        "GitHub's answer lists a run whose id is not a positive whole number"
    }
  const shown = (value: unknown): string =>
    typeof value === 'string'
      ? `"${inline(value, 80)}"`
      : inline(JSON.stringify(value) ?? 'nothing', 40)
  // Another workflow's run measured other calls (another eval, another model): comparing with it would
  // report a change that is no change. The file is what GITHUB_WORKFLOW_REF names for this run.
  const ownPath = `${WORKFLOWS_DIR}${workflowFile}`
  if (workflowPathOf(run.path) !== ownPath) {
    return {
      problem: `GitHub's answer lists run ${id} of workflow ${shown(run.path)}, not of this workflow "${inline(ownPath, 80)}"`
    }
  }
  if (run.conclusion !== 'success') {
    return {
      problem: `GitHub's answer lists run ${id}, whose conclusion is ${shown(run.conclusion)}, not "success"`
    }
  }
  const onBranch = `"${inline(branch, 80)}"`
  if (run.head_branch !== branch)
    return {
      problem: `GitHub's answer lists run ${id} of branch ${shown(run.head_branch)}, not ${onBranch}`
    }
  if (typeof run.event === 'string' && PULL_REQUEST_EVENTS.has(run.event)) {
    return {
      problem: `the last successful run on ${onBranch} (run ${id}) ran for a pull request from a branch of that name, not on the branch itself`
    }
  }
  if (id === currentRunId)
    return { problem: `GitHub's answer lists this run itself (${id})` }
  const headSha =
    typeof run.head_sha === 'string' && /^[0-9a-f]{40}$/.test(run.head_sha)
      ? run.head_sha
      : null
  return {
    run: { id, attempt: positiveId(run.run_attempt) ?? null, branch, headSha }
  }
}

/** A run's page on GitHub: `https://github.com/o/r/actions/runs/123/attempts/2`. */
export function runUrl(
  serverUrl: string,
  owner: string,
  repo: string,
  id: number,
  attempt: number | null
): string {
  const attemptPart = attempt === null ? '' : `/attempts/${attempt}`
  return `${serverUrl}/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/actions/runs/${id}${attemptPart}`
}

/**
 * GitHub's list of a workflow's runs, asked for the last successful run on a branch: the file name
 * stands for the workflow's id, `status=success` matches the run's conclusion, and one run (newest
 * first) is all that is needed. Pull requests are left out of the answer, which keeps it small.
 * https://docs.github.com/rest/actions/workflow-runs#list-workflow-runs-for-a-workflow
 */
export function workflowRunsUrl(
  lookup: Pick<BaseBranchLookup, 'apiUrl' | 'owner' | 'repo' | 'workflowFile'>,
  branch: string
): string {
  const path = [lookup.owner, lookup.repo].map(encodeURIComponent).join('/')
  const query = `branch=${encodeURIComponent(branch)}&status=success&per_page=1&exclude_pull_requests=true`
  return `${lookup.apiUrl}/repos/${path}/actions/workflows/${encodeURIComponent(lookup.workflowFile)}/runs?${query}`
}

/** GitHub's error text (`{"message": …}`), made one line and short; '' when there is none. */
function githubMessage(body: string, scrub: (text: string) => string): string {
  let message: unknown
  try {
    message = (JSON.parse(body) as { message?: unknown } | null)?.message
  } catch {
    return ''
  }
  return typeof message === 'string' && message.trim() !== ''
    ? `: "${inline(scrub(message), 200)}"`
    : ''
}

/** Why a non-200 answer to the runs request is no baseline, and what fixes it. */
export function explainRunsStatus(
  status: number,
  body: string,
  lookup: Pick<BaseBranchLookup, 'owner' | 'repo' | 'workflowFile'>,
  scrub: (text: string) => string
): string {
  const said = githubMessage(body, scrub)
  const workflow = `workflow ${lookup.workflowFile} of ${lookup.owner}/${lookup.repo}`
  if (status >= 300 && status < 400) {
    return `GitHub answered HTTP ${status} (a redirect, not followed: github-token is sent to GITHUB_API_URL only)`
  }
  if (status === 401) return `GitHub refused github-token (HTTP 401${said})`
  if (status === 403)
    return `GitHub answered HTTP 403${said}: github-token needs "actions: read" to list the runs of ${workflow}`
  if (status === 404)
    return `GitHub answered HTTP 404${said} for the runs of ${workflow}: github-token needs "actions: read" there`
  return `GitHub answered HTTP ${status}${said} for the runs of ${workflow}`
}
