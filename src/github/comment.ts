// The sticky PR comment: find ours by a hidden marker among the comments the token's own account
// wrote, update it or create one, and remove extra copies a race left behind. Best effort: every
// failure is one warning, and the gate's result stands. This module is imported only when a comment
// is to be written, and it loads Octokit only inside its own guard (see loadGetOctokit).
import type { CommentConfig, CommentMode, CommentOn } from '../inputs/config.js'
import { inline } from '../text/escape.js'
import { readEvent } from './event.js'
import { truncateMarkdown } from '../text/markdown.js'

/** GitHub rejects a comment body over 65,536 characters. */
export const MAX_COMMENT_CHARS = 65_536
const PER_PAGE = 100
/** Bounds the listing of a PR with an absurd number of comments: 50 pages of 100. */
const MAX_PAGES = 50
/** Extra copies of our comment removed per run: a handful bounds the run's cost; the next run removes more. */
export const MAX_DELETIONS = 5
/** All comment requests of a run share one deadline of this many request-timeouts. */
export const DEADLINE_REQUEST_TIMEOUTS = 3
const COMMENT_EVENTS = new Set(['pull_request', 'pull_request_target'])

/** The gate's result, as the `result` output says it. */
export type GateResult = 'pass' | 'fail' | 'error'

/**
 * An issue comment as GitHub's REST API returns it (the `issue-comment` schema of
 * github/rest-api-description): `user` is a `nullable-simple-user`, null when the account was deleted;
 * its `id` is the account's numeric id, its `type` "User" or "Bot".
 */
export interface IssueComment {
  id: number
  body?: string | null
  html_url: string
  user: { login: string; id: number; type?: string } | null
}

/**
 * The account a token acts as, from GraphQL `viewer { databaseId login }`. GitHub's schema declares
 * `viewer: User!` and `databaseId: Int`: for an installation token (GITHUB_TOKEN, a GitHub App) the
 * viewer is the App's bot, `__typename` still says "User", and `login` is `name[bot]`. Only the id is
 * the account's identity; the login is kept for messages.
 */
export interface Account {
  id: number
  login: string
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

export function hasMarker(
  body: string | null | undefined,
  key: string
): boolean {
  return typeof body === 'string' && body.includes(marker(key))
}

/** The comment body: the report, shortened to GitHub's limit with a visible note, then the marker. */
export function commentBody(markdown: string, key: string): string {
  const tag = `\n${marker(key)}\n`
  const report = truncateMarkdown(
    markdown,
    MAX_COMMENT_CHARS - tag.length,
    'The report was shortened to fit in a comment; the job summary has all of it.'
  )
  return `${report}${tag}`
}

/** Put above a passing report that replaces a breach's comment (`comment-on: breach`). */
export const PASSES_NOW_NOTE =
  '**The gate passes now.** An earlier run of this job failed or could not check the call; this comment shows the latest run.'

/**
 * Is this comment written by the token's account? Only the numeric account id decides: a login can be
 * taken by a person (`github-actions` without `[bot]`), a type is shared by every App's bot, and
 * anyone can quote our marker.
 */
export function writtenBy(comment: IssueComment, account: Account): boolean {
  const id = comment.user?.id
  return typeof id === 'number' && Number.isSafeInteger(id) && id === account.id
}

/** Every comment of the PR that carries this key's marker, oldest first, paging through all of them. */
export async function findMarked(
  api: CommentApi,
  key: string
): Promise<IssueComment[]> {
  const found: IssueComment[] = []
  for (let page = 1; page <= MAX_PAGES; page++) {
    const comments = await api.listPage(page, PER_PAGE)
    found.push(...comments.filter((c) => hasMarker(c.body, key)))
    if (comments.length < PER_PAGE) break
  }
  return found
}

export type SyncResult =
  | {
      comment: IssueComment
      action: 'created' | 'updated' | 'unchanged'
      removed: number[]
      /** Duplicates left for a later run (over MAX_DELETIONS). */
      duplicatesLeft: number
    }
  | { action: 'skipped' }

export interface SyncOptions {
  mode: Exclude<CommentMode, 'off'>
  key: string
  markdown: string
  result: GateResult
  on?: CommentOn
}

/**
 * `new`: one more comment. `update`: edit our comment for this key in place (keeping the oldest and
 * removing the extra ones we wrote, should two runs have raced), or create it. With `on: 'breach'` a
 * pass creates nothing; it only corrects a comment of ours that is already there.
 */
export async function syncComment(
  api: CommentApi,
  options: SyncOptions
): Promise<SyncResult> {
  const { mode, key, result } = options
  const passAfterBreach = options.on === 'breach' && result === 'pass'
  const body = commentBody(
    passAfterBreach
      ? `${PASSES_NOW_NOTE}\n\n${options.markdown}`
      : options.markdown,
    key
  )
  const create = async (): Promise<SyncResult> =>
    passAfterBreach
      ? { action: 'skipped' }
      : {
          comment: await api.create(body),
          action: 'created',
          removed: [],
          duplicatesLeft: 0
        }
  if (mode === 'new') return create()

  const marked = await findMarked(api, key)
  if (marked.length === 0) return create()

  // Asked only when there is a marked comment to edit: no REST endpoint tells an installation token
  // (GITHUB_TOKEN) its own account, and we must never edit anyone else's comment.
  const account = await api.viewer()
  const [keep, ...extra] = marked.filter((c) => writtenBy(c, account))
  if (!keep) return create()
  let comment = keep
  let action: 'updated' | 'unchanged' = 'unchanged'
  if (keep.body !== body) {
    comment = await api.update(keep.id, body)
    action = 'updated'
  }
  const removing = extra.slice(0, MAX_DELETIONS)
  for (const c of removing) await api.remove(c.id)
  return {
    comment,
    action,
    removed: removing.map((c) => c.id),
    duplicatesLeft: extra.length - removing.length
  }
}

export interface FailureContext {
  forkPr: boolean
  /** The run's comment deadline had passed when the request failed. */
  deadlineExceeded?: boolean
  deadlineMs?: number
  /** Replaces secrets; applied before the text is cut, since a cut secret is masked nowhere. */
  scrub?: (text: string) => string
}

/**
 * GitHub's own text of a GraphQL error. GraphQL refuses a request (a spent rate limit, a missing
 * permission) with HTTP 200 and an `errors` list, and Octokit's message for it opens with a heading line
 * ("Request failed due to following response errors:") that says none of it.
 */
function graphqlErrorText(errors: unknown): string | undefined {
  const first: unknown = Array.isArray(errors) ? errors[0] : undefined
  const message = (first as { message?: unknown } | null | undefined)?.message
  return typeof message === 'string' && message.trim() !== ''
    ? message
    : undefined
}

/** One line for a failed GitHub call: what went wrong and what fixes it. GitHub's text is made inert. */
export function explainFailure(
  error: unknown,
  context: FailureContext
): string {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    status?: unknown
    message?: unknown
    name?: unknown
    cause?: { name?: unknown }
    errors?: unknown
  }
  const timedOut = [e.name, e.cause?.name].some(
    (name) => name === 'TimeoutError' || name === 'AbortError'
  )
  // Octokit reports an aborted request as status 500; say what happened instead.
  const status =
    typeof e.status === 'number' && !timedOut ? e.status : undefined
  let text: string
  try {
    text =
      graphqlErrorText(e.errors) ??
      (typeof e.message === 'string' ? e.message : String(error))
  } catch {
    text = 'an unreadable error'
  }
  const firstLine = text.split('\n').find((line) => line.trim() !== '') ?? ''
  let message = inline((context.scrub ?? String)(firstLine.trim()), 300)
  if (timedOut) {
    const budgetS = (context.deadlineMs ?? 0) / 1000
    message = context.deadlineExceeded
      ? `the comment's requests took longer than their ${budgetS} s in all (${DEADLINE_REQUEST_TIMEOUTS} × request-timeout)`
      : 'no answer in time (request-timeout)'
  }
  const prefix = `Could not write the PR comment (${status ? `HTTP ${status}: ` : ''}${message})`
  if (/rate limit/i.test(message)) {
    return `${prefix}. GitHub's API rate limit for this token is used up; the next run will write the comment. The gate's result stands.`
  }
  if (
    status === 403 ||
    status === 401 ||
    /not accessible by integration/i.test(message)
  ) {
    return context.forkPr
      ? `${prefix}. This pull request comes from a fork, so GitHub gives the workflow a read-only token. Post the report from a separate workflow_run workflow with pr-number (see the README). The gate's result stands.`
      : `${prefix}. The token may not write comments: grant "permissions: pull-requests: write" to the job, or pass a github-token that can. The gate's result stands.`
  }
  if (status === 404) {
    const fix =
      'check github-token, pr-number and "permissions: pull-requests: write"'
    return `${prefix}. The pull request was not found or the token cannot see it: ${fix}. The gate's result stands.`
  }
  return `${prefix}. The gate's result stands.`
}

interface EventPayload {
  number?: unknown
  pull_request?: {
    number?: unknown
    head?: { repo?: { full_name?: string } | null }
    base?: { repo?: { full_name?: string } }
  } | null
}

const isPrNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0

function isForkPr(payload: EventPayload): boolean {
  const pr = payload.pull_request
  if (typeof pr !== 'object' || pr === null) return false
  // A fork that has since been deleted leaves head.repo null: still a fork.
  const headRepo = pr.head?.repo
  return (
    headRepo === null ||
    Boolean(
      headRepo?.full_name && headRepo.full_name !== pr.base?.repo?.full_name
    )
  )
}

export type CommentTarget =
  | { owner: string; repo: string; issueNumber: number; forkPr: boolean }
  | { skip: 'info' | 'warning'; message: string }

/** Where the comment goes: the pull request `pr-number` names, or the event's own pull request. Pure but for reading the event file. */
export function commentTarget(
  env: NodeJS.ProcessEnv,
  prNumber: number | undefined
): CommentTarget {
  const event = env.GITHUB_EVENT_NAME ?? ''
  if (prNumber === undefined && !COMMENT_EVENTS.has(event)) {
    const where =
      'comments are written on pull_request and pull_request_target events, or on the pull request that pr-number names'
    return {
      skip: 'info',
      message: `No PR comment: the event is ${event ? `"${inline(event, 100)}"` : 'unknown'}, and ${where}.`
    }
  }
  const read = readEvent(env.GITHUB_EVENT_PATH)
  const payload: EventPayload = 'payload' in read ? read.payload : {}
  const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? '').split('/')
  const issueNumber =
    prNumber ?? [payload.pull_request?.number, payload.number].find(isPrNumber)
  const repositoryOk = Boolean(owner && repo) && rest.length === 0
  if (!issueNumber || !owner || !repo || !repositoryOk) {
    const why = !repositoryOk
      ? 'GITHUB_REPOSITORY is not owner/name'
      : 'problem' in read
        ? read.problem
        : 'the event names no pull request'
    return {
      skip: 'warning',
      message: `No PR comment: the pull request number or the repository could not be read from the event (${why}).`
    }
  }
  return { owner, repo, issueNumber, forkPr: isForkPr(payload) }
}

export interface ApiOptions {
  token: string
  owner: string
  repo: string
  issueNumber: number
  /** Bounds each request. */
  requestTimeoutMs: number
  /** Bounds all requests of the run together. */
  deadline: AbortSignal
}

type GetOctokit = (typeof import('@actions/github'))['getOctokit']

/**
 * @actions/github, loaded here rather than at the top of the module so that any throw is the
 * comment's warning. It parses GITHUB_EVENT_PATH as it loads (for its `context`, which this module
 * never uses), and a malformed event file would throw there and make the comment fail even with
 * pr-number set: the variable is hidden while it loads, and readEvent reads the event instead.
 */
async function loadGetOctokit(): Promise<GetOctokit> {
  const eventPath = process.env.GITHUB_EVENT_PATH
  delete process.env.GITHUB_EVENT_PATH
  try {
    return (await import('@actions/github')).getOctokit
  } finally {
    if (eventPath !== undefined) process.env.GITHUB_EVENT_PATH = eventPath
  }
}

/** Throws unless GraphQL answered a viewer with a numeric account id (`databaseId` is nullable in the schema). */
function accountOf(data: unknown): Account {
  const viewer = (
    data as
      { viewer?: { databaseId?: unknown; login?: unknown } } | null | undefined
  )?.viewer
  const id = viewer?.databaseId
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) {
    throw new Error(
      "GitHub's GraphQL API did not say which account the token is (viewer.databaseId)"
    )
  }
  return { id, login: typeof viewer?.login === 'string' ? viewer.login : '' }
}

/** The issue-comment endpoints through Octokit, each request bounded by its timeout and the run's deadline. */
export async function octokitCommentApi(
  options: ApiOptions
): Promise<CommentApi> {
  const octokit = (await loadGetOctokit())(options.token)
  const request = (): { signal: AbortSignal } => ({
    signal: AbortSignal.any([
      AbortSignal.timeout(options.requestTimeoutMs),
      options.deadline
    ])
  })
  const base = { owner: options.owner, repo: options.repo }
  const issue = { ...base, issue_number: options.issueNumber }
  return {
    listPage: async (page, perPage) =>
      (
        await octokit.rest.issues.listComments({
          ...issue,
          page,
          per_page: perPage,
          request: request()
        })
      ).data,
    viewer: async () =>
      accountOf(
        await octokit.graphql('query { viewer { databaseId login } }', {
          request: request()
        })
      ),
    create: async (body) =>
      (
        await octokit.rest.issues.createComment({
          ...issue,
          body,
          request: request()
        })
      ).data,
    update: async (id, body) =>
      (
        await octokit.rest.issues.updateComment({
          ...base,
          comment_id: id,
          body,
          request: request()
        })
      ).data,
    remove: async (id) => {
      await octokit.rest.issues.deleteComment({
        ...base,
        comment_id: id,
        request: request()
      })
    }
  }
}

export interface CommentRequest extends CommentConfig {
  markdown: string
  result: GateResult
  env: NodeJS.ProcessEnv
  timeoutMs?: number
  warn: (message: string) => void
  info: (message: string) => void
  /** Replaces secrets in GitHub's text before it is cut. */
  scrub?: (text: string) => string
  /** Replaced in tests. */
  makeApi?: (options: ApiOptions) => CommentApi | Promise<CommentApi>
}

function doneMessage(
  result: Exclude<SyncResult, { action: 'skipped' }>
): string {
  const count = result.removed.length
  const removed =
    count > 0 ? ` and removed ${count} duplicate${count > 1 ? 's' : ''}` : ''
  const left =
    result.duplicatesLeft > 0
      ? ` (${result.duplicatesLeft} more left for the next run)`
      : ''
  return `PR comment ${result.action}${removed}${left}: ${inline(result.comment.html_url)}`
}

/** Writes the comment when there is a pull request to write it on; never throws. */
export async function postComment(
  req: CommentRequest
): Promise<{ id: number; url: string } | undefined> {
  if (req.mode === 'off') return undefined
  let forkPr = false
  const timeoutMs = req.timeoutMs ?? 30_000
  const deadlineMs = DEADLINE_REQUEST_TIMEOUTS * timeoutMs
  const deadline = new AbortController()
  let timer: NodeJS.Timeout | undefined
  try {
    const target = commentTarget(req.env, req.prNumber)
    if ('skip' in target) {
      ;(target.skip === 'info' ? req.info : req.warn)(target.message)
      return undefined
    }
    forkPr = target.forkPr
    const { owner, repo, issueNumber } = target
    const options = {
      token: req.githubToken,
      owner,
      repo,
      issueNumber,
      requestTimeoutMs: timeoutMs,
      deadline: deadline.signal
    }
    const api = await (req.makeApi ?? octokitCommentApi)(options)
    // The deadline runs from the first request: loading Octokit is not a request to GitHub.
    timer = setTimeout(
      () =>
        deadline.abort(
          new DOMException(
            'The comment requests ran out of time',
            'TimeoutError'
          )
        ),
      deadlineMs
    )
    const result = await syncComment(api, {
      mode: req.mode,
      key: req.key,
      markdown: req.markdown,
      result: req.result,
      on: req.on
    })
    if (result.action === 'skipped') {
      req.info(
        'No PR comment: the gate passed, comment-on is breach, and there is no earlier comment of ours to correct.'
      )
      return undefined
    }
    req.info(doneMessage(result))
    return { id: result.comment.id, url: result.comment.html_url }
  } catch (error) {
    req.warn(
      explainFailure(error, {
        forkPr,
        deadlineExceeded: deadline.signal.aborted,
        deadlineMs,
        scrub: req.scrub
      })
    )
    return undefined
  } finally {
    clearTimeout(timer)
  }
}
