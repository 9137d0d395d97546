// Pure: what `baseline: base-branch` needs, all known before any request: this run's id and attempt,
// the repository, the workflow's file and GitHub's URLs from the runner's environment, checked; the
// base branch from the event; and the baseline run's run-id value, worked out from this run's. Asking
// GitHub is github/runs.ts; the other baseline inputs are baseline.ts.
import { inline } from '../text/escape.js'
import { INPUT, type RawInputs } from './names.js'
import { Problems, quote } from './problems.js'
import {
  DEFAULT_GITHUB_API_URL,
  DEFAULT_GITHUB_SERVER_URL,
  githubUrl
} from './github.js'
import { withoutSecrets } from './connection.js'

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

export const BASE_BRANCH = 'base-branch'
export const PULL_REQUEST_EVENTS = new Set([
  'pull_request',
  'pull_request_target'
])

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
 * The branch whose newest completed run is the baseline: on a pull request, its base branch
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

/**
 * `baseline: base-branch` reads the runner's environment: this run's id and attempt, the repository,
 * the workflow's file and GitHub's URLs. All of it is checked here, so that anything missing is an
 * input error before any request. The event file (the base branch) is read when the baseline is.
 */
export function parseBaseBranch(
  raw: RawInputs,
  problems: Problems,
  env: NodeJS.ProcessEnv,
  runIdValue: string
): BaseBranchLookup | undefined {
  const needs = `${INPUT.baseline}: ${BASE_BRANCH} needs`
  const elsewhere = `it is set on GitHub's runners; elsewhere, name the run with ${INPUT.baselineRunId}`
  const token = raw[INPUT.githubToken]
  if (!token)
    problems.add(
      `${needs} ${INPUT.githubToken} (with "actions: read") to find the base branch's latest runs`
    )
  const { runId, runAttempt } = runnerRun(env, problems, runIdValue, {
    needs,
    elsewhere
  })
  const { owner, repo, workflowFile } = runnerWorkflow(env, problems, {
    needs,
    elsewhere
  })
  const apiUrlText = env.GITHUB_API_URL || DEFAULT_GITHUB_API_URL
  const apiUrl = githubUrl(apiUrlText)
  if (!apiUrl) {
    const why = `since ${INPUT.githubToken} is sent there; it is ${quote(withoutSecrets(apiUrlText))}`
    problems.add(
      `${needs} GITHUB_API_URL to be https (http only to a loopback host), ${why}`
    )
  }
  if (
    !token ||
    runId === undefined ||
    runAttempt === undefined ||
    !owner ||
    !repo ||
    !workflowFile ||
    !apiUrl
  )
    return undefined
  const serverUrl =
    githubUrl(env.GITHUB_SERVER_URL || DEFAULT_GITHUB_SERVER_URL) ?? null
  const event = {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    eventPath: env.GITHUB_EVENT_PATH
  }
  return {
    apiUrl,
    token,
    owner,
    repo,
    workflowFile,
    runId,
    runAttempt,
    serverUrl,
    ...event
  }
}

/** How an environment variable's value reads in an input error. */
const shown = (value: string | undefined): string =>
  value === undefined ? 'is not set' : `is ${quote(value)}`

/** This run's id and attempt from the runner's environment; `run-id` must hold the id. */
function runnerRun(
  env: NodeJS.ProcessEnv,
  problems: Problems,
  runIdValue: string,
  words: { needs: string; elsewhere: string }
): { runId?: number; runAttempt?: number } {
  const { needs, elsewhere } = words
  const runId = positiveWhole(env.GITHUB_RUN_ID)
  const runAttempt = positiveWhole(env.GITHUB_RUN_ATTEMPT)
  if (runId === undefined)
    problems.add(
      `${needs} GITHUB_RUN_ID, which ${shown(env.GITHUB_RUN_ID)} (${elsewhere})`
    )
  if (runAttempt === undefined)
    problems.add(
      `${needs} GITHUB_RUN_ATTEMPT, which ${shown(env.GITHUB_RUN_ATTEMPT)} (${elsewhere})`
    )
  if (runId !== undefined && !namesTheRun(runIdValue, runId)) {
    const form = 'gh-${{ github.run_id }}-${{ github.run_attempt }}'
    const why = `so ${INPUT.baseline}: ${BASE_BRANCH} cannot work out the base branch's run id from it: use a form such as ${form}`
    problems.bad(
      INPUT.runId,
      runIdValue,
      `does not hold this run's id (GITHUB_RUN_ID ${runId}), ${why}`
    )
  }
  return { runId, runAttempt }
}

/** The repository (owner/name) and the workflow's file this run belongs to, from the runner's environment. */
function runnerWorkflow(
  env: NodeJS.ProcessEnv,
  problems: Problems,
  words: { needs: string; elsewhere: string }
): { owner?: string; repo?: string; workflowFile?: string } {
  const { needs, elsewhere } = words
  const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? '').split('/')
  if (!owner || !repo || rest.length > 0) {
    problems.add(
      `${needs} GITHUB_REPOSITORY as owner/name, which ${shown(env.GITHUB_REPOSITORY)} (${elsewhere})`
    )
  }
  const workflowFile = workflowFileOf(env.GITHUB_WORKFLOW_REF ?? '')
  if (!workflowFile) {
    const form = 'owner/repo/.github/workflows/<file>.yml@<ref>'
    problems.add(
      `${needs} the workflow's file from GITHUB_WORKFLOW_REF (${form}), which ${shown(env.GITHUB_WORKFLOW_REF)}`
    )
  }
  return { owner, repo, workflowFile }
}
