// GitHub's list of a workflow's runs, as the baseline lookup asks it: the URL, the answer checked as the
// untrusted text it is, the link to a run, and why an answer that is not 200 is no baseline.
import {
  PULL_REQUEST_EVENTS,
  type BaseBranchLookup
} from '../inputs/base-branch.js'
import { inline } from '../text/escape.js'

/** The GitHub Actions run a baseline came from (base-branch only). */
export interface WorkflowRun {
  id: number
  /** The attempt GitHub lists (its latest); null when GitHub did not say. */
  attempt: number | null
  branch: string
  /** The commit it ran on, when GitHub gave one that looks like a commit id. */
  headSha: string | null
  /** Its page on GitHub, built from GITHUB_SERVER_URL and the checked id (never GitHub's own html_url). */
  url: string | null
}

/** Where GitHub keeps a repository's workflow files, as a run's `path` and GITHUB_WORKFLOW_REF write it. */
const WORKFLOWS_DIR = '.github/workflows/'

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

/** A positive safe integer from GitHub's JSON; anything else is not one. */
const positiveId = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0
    ? value
    : undefined

/** A run of the list that can be a baseline, or why it is passed over (its id, for the debug log). */
export type ListedRun =
  { run: Omit<WorkflowRun, 'url'> } | { passedOver: string; id: number }

export type RunsAnswer =
  | {
      /** The runs listed, newest first, each checked. */
      runs: ListedRun[]
      /** How many runs GitHub listed on the page: a full page may have more after it. */
      listed: number
    }
  | { problem: string }

/** The conclusions that measured the eval: a failed gate is still a measurement of its calls. */
export const BASELINE_CONCLUSIONS: ReadonlySet<unknown> = new Set([
  'success',
  'failure'
])

/**
 * GitHub's answer to `GET /repos/{owner}/{repo}/actions/workflows/{file}/runs?branch=…&status=completed…`:
 * `{"total_count": N, "workflow_runs": [workflow-run, …]}`, newest first. Every run is checked, since
 * the answer is untrusted: an id that is not a positive whole number, a run of another workflow file
 * than `workflowFile` (its `path`) or a run of another branch makes the whole answer no baseline; a run that neither succeeded nor failed (cancelled, skipped), a pull
 * request's run (a fork's branch can have the base branch's name) or this run itself is passed over.
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
  const checked = runs.map((run) =>
    checkWorkflowRun(run, branch, currentRunId, workflowFile)
  )
  const problem = checked.find((c) => 'problem' in c)
  if (problem) return problem
  return {
    runs: checked as ListedRun[],
    listed: runs.length
  }
}

/** One run of GitHub's list, checked: a baseline, a run passed over, or a problem with the whole answer. */
export function checkWorkflowRun(
  listed: unknown,
  branch: string,
  currentRunId: number,
  workflowFile: string
): ListedRun | { problem: string } {
  const run = listed as Record<string, unknown> | null
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
  if (!BASELINE_CONCLUSIONS.has(run.conclusion)) {
    return {
      passedOver: `its conclusion is ${shown(run.conclusion)}, neither "success" nor "failure"`,
      id
    }
  }
  const onBranch = `"${inline(branch, 80)}"`
  if (run.head_branch !== branch)
    return {
      problem: `GitHub's answer lists run ${id} of branch ${shown(run.head_branch)}, not ${onBranch}`
    }
  if (typeof run.event === 'string' && PULL_REQUEST_EVENTS.has(run.event)) {
    return {
      passedOver: `it ran for a pull request from a branch named ${onBranch}, not on the branch itself`,
      id
    }
  }
  if (id === currentRunId) return { passedOver: 'it is this run itself', id }
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

/** Runs asked for a page: 20 of GitHub's workflow-run objects (about 13 kB each, with their two repositories) stay far under the 512 KiB an answer may be. */
export const RUNS_PER_PAGE = 20

/**
 * GitHub's list of a workflow's runs, asked for the completed runs on a branch, newest first: the file
 * name stands for the workflow's id, `status=completed` matches the run's status (the conclusion is
 * checked on each run), `page` counts from 1. Pull requests are left out of each run, which keeps it small.
 * https://docs.github.com/rest/actions/workflow-runs#list-workflow-runs-for-a-workflow
 */
export function workflowRunsUrl(
  lookup: Pick<BaseBranchLookup, 'apiUrl' | 'owner' | 'repo' | 'workflowFile'>,
  branch: string,
  page = 1
): string {
  const path = [lookup.owner, lookup.repo].map(encodeURIComponent).join('/')
  const query = `branch=${encodeURIComponent(branch)}&status=completed&per_page=${RUNS_PER_PAGE}&page=${page}&exclude_pull_requests=true`
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
