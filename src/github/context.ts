// The workflow run a report comes from, as links a reader can follow: the run's page (where the job
// summary is) and the commit the run reflects. Built from the runner's environment and the event file,
// whose values are taken as untrusted text: a server URL that is not http(s), a repository that is not
// owner/name, a run id or a commit that is not one, and that link is left out, never written as given.
import { positiveWhole } from '../inputs/base-branch.js'
import { readEvent } from './event.js'

export interface RunLinks {
  /** This run: GITHUB_RUN_ID and its page, `https://github.com/o/r/actions/runs/123`. */
  run?: { id: number; url: string }
  /** The commit the run reflects (a pull request's head, else GITHUB_SHA), with its page when known. */
  commit?: { sha: string; url?: string }
}

/** A repository as owner/name: GitHub's characters for each, and neither `.` nor `..`. */
const REPOSITORY_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]*)\/[A-Za-z0-9._-]+$/
/** A commit id: SHA-1 (40 hex digits) or SHA-256 (64). */
const isSha = (value: unknown): value is string =>
  typeof value === 'string' && /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(value)

/** GITHUB_SERVER_URL as a base for links: http(s), no credentials, query or fragment, no trailing slash. */
export function serverBase(value: string | undefined): string | undefined {
  if (!value) return undefined
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return undefined
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined
  if (url.username || url.password || url.search || url.hash) return undefined
  return url.href.replace(/\/+$/, '')
}

function repositoryOf(value: string | undefined): string | undefined {
  if (!value || !REPOSITORY_RE.test(value)) return undefined
  const name = value.split('/')[1]!
  return /^\.+$/.test(name) ? undefined : value
}

/**
 * The commit a reviewer knows from the event's payload: a pull request's head (`pull_request.head.sha`),
 * or for a workflow_run event the triggering run's (`workflow_run.head_sha`, the fork set-up the
 * README describes); undefined when the payload holds neither.
 */
function headShaOf(payload: Record<string, unknown> | undefined): unknown {
  const pr = payload?.pull_request as
    { head?: { sha?: unknown } | null } | null | undefined
  if (typeof pr === 'object' && pr !== null) return pr.head?.sha
  const run = payload?.workflow_run as { head_sha?: unknown } | null | undefined
  return typeof run === 'object' && run !== null ? run.head_sha : undefined
}

/**
 * The links, pure: the run from GITHUB_SERVER_URL, GITHUB_REPOSITORY and GITHUB_RUN_ID; the commit from
 * the event's pull request head (what a reviewer knows; GITHUB_SHA is then the merge commit GitHub made),
 * a workflow_run's head, or GITHUB_SHA. Any part that is not what it should be leaves its link out.
 */
export function runLinksOf(
  env: NodeJS.ProcessEnv,
  payload?: Record<string, unknown>
): RunLinks {
  const server = serverBase(env.GITHUB_SERVER_URL)
  const repository = repositoryOf(env.GITHUB_REPOSITORY)
  const base =
    server && repository
      ? `${server}/${repository.split('/').map(encodeURIComponent).join('/')}`
      : undefined
  const links: RunLinks = {}
  const runId = positiveWhole(env.GITHUB_RUN_ID)
  if (base && runId !== undefined)
    links.run = { id: runId, url: `${base}/actions/runs/${runId}` }
  const head = headShaOf(payload)
  const sha = [head, env.GITHUB_SHA].find(isSha)
  if (sha) links.commit = base ? { sha, url: `${base}/commit/${sha}` } : { sha }
  return links
}

/** The links, with the event read from GITHUB_EVENT_PATH (a missing or broken file only loses the head commit). */
export function readRunLinks(env: NodeJS.ProcessEnv): RunLinks {
  const event = readEvent(env.GITHUB_EVENT_PATH)
  return runLinksOf(env, 'payload' in event ? event.payload : undefined)
}
