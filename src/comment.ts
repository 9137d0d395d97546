// The sticky PR comment (issue #4): find ours by a hidden marker among the token's own comments,
// update it or create one, and remove extra copies a race left behind. Best effort: every failure is
// one warning, and the gate's result stands. This module (and Octokit with it) is imported only when a
// comment is to be written.
import { getOctokit } from '@actions/github'
import { readFileSync } from 'node:fs'
import type { CommentMode } from './config.js'
import { truncateMarkdown } from './report.js'

/** GitHub rejects a comment body over 65,536 characters. */
export const MAX_COMMENT_CHARS = 65_536
const PER_PAGE = 100
/** Bounds the listing of a PR with an absurd number of comments: 50 pages of 100. */
const MAX_PAGES = 50
const COMMENT_EVENTS = new Set(['pull_request', 'pull_request_target'])

export interface IssueComment {
  id: number
  body?: string | null
  html_url: string
  user: { login: string; type?: string } | null
}

export interface Account {
  login: string
  /** 'Bot' or 'User', as GitHub names the type. */
  type: string
}

/** The issue-comment endpoints this module uses; Octokit in the action, a fake in unit tests. */
export interface CommentApi {
  listPage(page: number, perPage: number): Promise<IssueComment[]>
  /** The account the token acts as. */
  viewer(): Promise<Account>
  create(body: string): Promise<IssueComment>
  update(id: number, body: string): Promise<IssueComment>
  remove(id: number): Promise<void>
}

export function marker(key: string): string {
  // Encoded so that no key can close the HTML comment or look like another key's marker.
  return `<!-- ai-gateway-gate:key=${encodeURIComponent(key)} -->`
}

export function hasMarker(body: string | null | undefined, key: string): boolean {
  return typeof body === 'string' && body.includes(marker(key))
}

/** The comment body: the report, shortened to GitHub's limit with a visible note, then the marker. */
export function commentBody(markdown: string, key: string): string {
  const tag = `\n${marker(key)}\n`
  const report = truncateMarkdown(markdown, MAX_COMMENT_CHARS - tag.length, 'The report was shortened to fit in a comment; the job summary has all of it.')
  return `${report}${tag}`
}

/**
 * Is this comment written by the token's account? GraphQL names a GitHub App's bot `name`, REST
 * names it `name[bot]`; the account type must agree, so a user who shares a bot's name never matches.
 */
export function writtenBy(comment: IssueComment, account: Account): boolean {
  const user = comment.user
  if (!user) return false
  const bare = (login: string): string => login.toLowerCase().replace(/\[bot\]$/, '')
  const type = user.type ?? (user.login.endsWith('[bot]') ? 'Bot' : 'User')
  return type === account.type && bare(user.login) === bare(account.login)
}

/** Every comment of the PR that carries this key's marker, oldest first, paging through all of them. */
export async function findMarked(api: CommentApi, key: string): Promise<IssueComment[]> {
  const found: IssueComment[] = []
  for (let page = 1; page <= MAX_PAGES; page++) {
    const comments = await api.listPage(page, PER_PAGE)
    found.push(...comments.filter((c) => hasMarker(c.body, key)))
    if (comments.length < PER_PAGE) break
  }
  return found
}

export interface SyncResult {
  comment: IssueComment
  action: 'created' | 'updated' | 'unchanged'
  removed: number[]
}

/**
 * `new`: one more comment. `update`: edit our comment for this key in place (keeping the oldest and
 * removing the extra ones we wrote, should two runs have raced), or create it.
 */
export async function syncComment(api: CommentApi, mode: Exclude<CommentMode, 'off'>, key: string, markdown: string): Promise<SyncResult> {
  const body = commentBody(markdown, key)
  if (mode === 'new') return { comment: await api.create(body), action: 'created', removed: [] }

  const marked = await findMarked(api, key)
  if (marked.length === 0) return { comment: await api.create(body), action: 'created', removed: [] }

  // Asked only when there is a marked comment to edit: no REST endpoint tells an installation token
  // (GITHUB_TOKEN) its own account, and we must never edit anyone else's comment.
  const account = await api.viewer()
  const ours = marked.filter((c) => writtenBy(c, account))
  const [keep, ...extra] = ours
  if (!keep) return { comment: await api.create(body), action: 'created', removed: [] }
  let comment = keep
  let action: SyncResult['action'] = 'unchanged'
  if (keep.body !== body) {
    comment = await api.update(keep.id, body)
    action = 'updated'
  }
  for (const c of extra) await api.remove(c.id)
  return { comment, action, removed: extra.map((c) => c.id) }
}

/** One line for a failed GitHub call: what went wrong and what fixes it. */
export function explainFailure(error: unknown, forkPr: boolean): string {
  const e = (typeof error === 'object' && error !== null ? error : {}) as { status?: unknown; message?: unknown; name?: unknown; cause?: { name?: unknown } }
  const timedOut = [e.name, e.cause?.name].some((name) => name === 'TimeoutError' || name === 'AbortError')
  // Octokit reports an aborted request as status 500; say what happened instead.
  const status = typeof e.status === 'number' && !timedOut ? e.status : undefined
  let text: string
  try {
    text = typeof e.message === 'string' ? e.message : String(error)
  } catch {
    text = 'an unreadable error'
  }
  const message = timedOut ? 'no answer in time (request-timeout)' : text.split('\n')[0]!.slice(0, 300)
  const prefix = `Could not write the PR comment (${status ? `HTTP ${status}: ` : ''}${message})`
  if (/rate limit/i.test(message)) {
    return `${prefix}. GitHub's API rate limit for this token is used up; the next run will write the comment. The gate's result stands.`
  }
  if (status === 403 || status === 401 || /not accessible by integration/i.test(message)) {
    return forkPr
      ? `${prefix}. This pull request comes from a fork, so GitHub gives the workflow a read-only token. Post the report from a separate workflow_run workflow that uses the "markdown" output (see the README). The gate's result stands.`
      : `${prefix}. The token may not write comments: grant "permissions: pull-requests: write" to the job, or pass a github-token that can. The gate's result stands.`
  }
  if (status === 404) {
    return `${prefix}. The pull request was not found or the token cannot see it: check github-token and "permissions: pull-requests: write". The gate's result stands.`
  }
  return `${prefix}. The gate's result stands.`
}

interface EventPayload {
  number?: number
  pull_request?: { number?: number; head?: { repo?: { full_name?: string } | null }; base?: { repo?: { full_name?: string } } }
}

function readEvent(env: NodeJS.ProcessEnv): EventPayload {
  if (!env.GITHUB_EVENT_PATH) return {}
  try {
    return JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as EventPayload
  } catch {
    return {}
  }
}

/** The issue-comment endpoints through Octokit, each request bounded by `timeoutMs`. */
export function octokitCommentApi(token: string, owner: string, repo: string, issueNumber: number, timeoutMs: number): CommentApi {
  const octokit = getOctokit(token)
  const request = (): { signal: AbortSignal } => ({ signal: AbortSignal.timeout(timeoutMs) })
  const base = { owner, repo }
  return {
    listPage: async (page, perPage) =>
      (await octokit.rest.issues.listComments({ ...base, issue_number: issueNumber, page, per_page: perPage, request: request() })).data,
    viewer: async () => {
      const data = await octokit.graphql<{ viewer: { login: string; __typename: string } }>('query { viewer { login __typename } }', { request: request() })
      return { login: data.viewer.login, type: data.viewer.__typename }
    },
    create: async (body) => (await octokit.rest.issues.createComment({ ...base, issue_number: issueNumber, body, request: request() })).data,
    update: async (id, body) => (await octokit.rest.issues.updateComment({ ...base, comment_id: id, body, request: request() })).data,
    remove: async (id) => {
      await octokit.rest.issues.deleteComment({ ...base, comment_id: id, request: request() })
    }
  }
}

export interface CommentRequest {
  mode: CommentMode
  key: string
  githubToken: string
  markdown: string
  env: NodeJS.ProcessEnv
  timeoutMs?: number
  warn: (message: string) => void
  info: (message: string) => void
  /** Replaced in tests. */
  makeApi?: typeof octokitCommentApi
}

/** Writes the comment when the event is a pull request; never throws. */
export async function postComment(req: CommentRequest): Promise<{ id: number; url: string } | undefined> {
  if (req.mode === 'off') return undefined
  const event = req.env.GITHUB_EVENT_NAME ?? ''
  if (!COMMENT_EVENTS.has(event)) {
    req.info(`No PR comment: the event is ${event ? `"${event}"` : 'unknown'}, and comments are written on pull_request and pull_request_target events.`)
    return undefined
  }
  const payload = readEvent(req.env)
  const number = payload.pull_request?.number ?? payload.number
  const [owner, repo] = (req.env.GITHUB_REPOSITORY ?? '').split('/')
  if (!number || !owner || !repo) {
    req.warn('No PR comment: the pull request number or the repository could not be read from the event (GITHUB_EVENT_PATH, GITHUB_REPOSITORY).')
    return undefined
  }
  // A fork that has since been deleted leaves head.repo null: still a fork.
  const headRepo = payload.pull_request?.head?.repo
  const forkPr = headRepo === null || Boolean(headRepo?.full_name && headRepo.full_name !== payload.pull_request?.base?.repo?.full_name)
  try {
    const api = (req.makeApi ?? octokitCommentApi)(req.githubToken, owner, repo, number, req.timeoutMs ?? 30_000)
    const result = await syncComment(api, req.mode, req.key, req.markdown)
    const extra = result.removed.length > 0 ? ` and removed ${result.removed.length} duplicate${result.removed.length > 1 ? 's' : ''}` : ''
    req.info(`PR comment ${result.action}${extra}: ${result.comment.html_url}`)
    return { id: result.comment.id, url: result.comment.html_url }
  } catch (error) {
    req.warn(explainFailure(error, forkPr))
    return undefined
  }
}
