// GitHub's list of a workflow's runs, as the baseline lookup asks it: the URL, the answer checked as the
// untrusted text it is, the link to a run, and why an answer that is not 200 is no baseline.
import {
  PULL_REQUEST_EVENTS,
  type BaseBranchLookup
} from '../inputs/baseline.js'
import { inline } from '../text/escape.js'

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

/** Where GitHub keeps a repository's workflow files, as a run's `path` and GITHUB_WORKFLOW_REF write it. */
const WORKFLOWS_DIR = '.github/workflows/'

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
