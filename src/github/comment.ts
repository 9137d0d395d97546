// The sticky PR comment: find ours by a hidden marker among the comments the token's own account
// wrote, update it or create one, and remove extra copies a race left behind. Best effort: every
// failure is one warning, and the gate's result stands. This module is imported only when a comment
// is to be written, and it loads Octokit only inside its own guard (see loadGetOctokit).
import { openStream } from '../net/http.js'
import {
  decodingSink,
  jsonArrayObjects,
  type TextReader
} from '../net/json-stream.js'
import { cut, inline } from '../text/escape.js'
import { truncateMarkdown } from '../text/markdown.js'
import { readEvent } from './event.js'
import {
  type CommentConfig,
  type CommentMode,
  type CommentOn
} from '../inputs/comment.js'

/** GitHub rejects a comment body over 65,536 characters. */
export const MAX_COMMENT_CHARS = 65_536
/**
 * The most bytes of JSON a listed comment's body can take: 65,536 characters each written as the
 * longest escape there is (a character past U+FFFF as two `\uXXXX`, 12 bytes).
 */
const MAX_BODY_JSON_BYTES = 12 * MAX_COMMENT_CHARS
/** The rest of a listed comment (the issue-comment schema: user, reactions, the App that wrote it) is a few KiB. */
const MAX_COMMENT_FIELDS_BYTES = 64 * 1024
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

/** What the lookup needs of a listed comment's body: the body itself is never kept. */
export interface BodyCheck {
  /** It carries our marker. */
  marked: boolean
  /** It is the body about to be written. */
  same: boolean
}

/** A comment of the listing, its body read into a BodyCheck. */
export type ListedComment = Omit<IssueComment, 'body'> & { check: BodyCheck }

/** The issue-comment endpoints this module uses; Octokit in the action, a fake in unit tests. */
export interface CommentApi {
  /**
   * One page of the PR's comments, oldest first, each body read by a reader from `readBody` and then
   * dropped. Octokit's yields the comments one at a time as the answer arrives, and reads each body
   * as its bytes arrive, so that neither a page nor a body is ever held whole.
   */
  listPage(
    page: number,
    perPage: number,
    readBody: () => TextReader<BodyCheck>
  ): Promise<Iterable<ListedComment> | AsyncIterable<ListedComment>>
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

/**
 * Reads a body in pieces, as they arrive, into a BodyCheck: whether it carries `markerText` (found
 * across the pieces' edges too) and whether it is `expected`, without keeping it.
 */
export class BodyReader implements TextReader<BodyCheck> {
  /** The end of the text read so far, as long as the marker less one: where a marker cut by a piece's edge starts. */
  private tail = ''
  private marked = false
  private same: boolean
  private at = 0

  constructor(
    private readonly markerText: string,
    private readonly expected: string | undefined
  ) {
    this.same = expected !== undefined
  }

  text(piece: string): void {
    if (!this.marked) {
      const keep = this.markerText.length - 1
      const edge = this.tail + piece.slice(0, keep)
      this.marked =
        edge.includes(this.markerText) || piece.includes(this.markerText)
      this.tail = (this.tail + piece.slice(-keep)).slice(-keep)
    }
    if (this.same) {
      this.same = this.expected!.startsWith(piece, this.at)
      this.at += piece.length
    }
  }

  end(): BodyCheck {
    return {
      marked: this.marked,
      same: this.same && this.at === this.expected!.length
    }
  }
}

/** A whole body (a fake's, or one already read) checked as the listing checks one that arrives in pieces. */
export function checkBody(
  readBody: () => TextReader<BodyCheck>,
  body: string | null | undefined
): BodyCheck {
  if (typeof body !== 'string') return { marked: false, same: false }
  const reader = readBody()
  reader.text(body)
  return reader.end()
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
export function writtenBy(
  comment: { user: { id?: unknown } | null },
  account: Account
): boolean {
  const id = comment.user?.id
  return typeof id === 'number' && Number.isSafeInteger(id) && id === account.id
}

/**
 * What the lookup keeps of a comment that carries our marker: never its body. Anyone can write our
 * marker, and a pull request's comments can be 50 pages of 100 bodies of 65,536 characters (a gigabyte
 * of text, kept whole); whether the body is the one about to be written is all that is needed of it.
 */
export interface MarkedComment {
  id: number
  html_url: string
  user: { id: unknown } | null
  /** Its body is the one about to be written (nothing to update). */
  sameBody: boolean
}

/** GitHub's html_url of a comment is under 300 characters; a longer one (not GitHub's) is cut to this. */
const MAX_URL_CHARS = 2048

/**
 * Every comment of the PR that carries this key's marker, oldest first, paging through all of them,
 * each cut down to a MarkedComment as its page is read (so no page's bodies outlive it). `body`: the
 * body about to be written, to say which comments already have it.
 */
export async function findMarked(
  api: CommentApi,
  key: string,
  body?: string
): Promise<MarkedComment[]> {
  const found: MarkedComment[] = []
  const readBody = (): BodyReader => new BodyReader(marker(key), body)
  for (let page = 1; page <= MAX_PAGES; page++) {
    let listed = 0
    for await (const c of await api.listPage(page, PER_PAGE, readBody)) {
      listed++
      if (c.check.marked)
        found.push({
          id: c.id,
          html_url:
            typeof c.html_url === 'string'
              ? cut(c.html_url, MAX_URL_CHARS)
              : '',
          user: c.user === null ? null : { id: c.user?.id },
          sameBody: c.check.same
        })
    }
    if (listed < PER_PAGE) break
  }
  return found
}

export type SyncResult =
  | {
      comment: Pick<IssueComment, 'id' | 'html_url'>
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

  const marked = await findMarked(api, key, body)
  if (marked.length === 0) return create()

  // Asked only when there is a marked comment to edit: no REST endpoint tells an installation token
  // (GITHUB_TOKEN) its own account, and we must never edit anyone else's comment.
  const account = await api.viewer()
  const [keep, ...extra] = marked.filter((c) => writtenBy(c, account))
  if (!keep) return create()
  let comment: Pick<IssueComment, 'id' | 'html_url'> = keep
  let action: 'updated' | 'unchanged' = 'unchanged'
  if (!keep.sameBody) {
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

/** Redirects followed for the listing, within GITHUB_API_URL's origin: GitHub moves a renamed repository's URLs. */
const MAX_REDIRECTS = 3
/** The most of an error answer read for its message. */
const MAX_ERROR_BYTES = 64 * 1024

/** A GitHub answer that is not a success, with its status, as Octokit's RequestError carries it (explainFailure reads both). */
export class GitHubAnswerError extends Error {
  constructor(
    message: string,
    readonly status: number
  ) {
    super(message)
    this.name = 'GitHubAnswerError'
  }
}

/** An error answer's message as Octokit writes it: GitHub's `message`, then ` - ` and its documentation_url. */
async function answerError(
  status: number,
  body: AsyncIterable<Buffer>
): Promise<GitHubAnswerError> {
  const chunks: Buffer[] = []
  let bytes = 0
  for await (const chunk of body) {
    chunks.push(chunk)
    bytes += chunk.length
    if (bytes >= MAX_ERROR_BYTES) break
  }
  const text = Buffer.concat(chunks).subarray(0, MAX_ERROR_BYTES).toString()
  let message = text.trim() === '' ? `HTTP ${status}` : text
  try {
    const { message: said, documentation_url: docs } = JSON.parse(text) as {
      message?: unknown
      documentation_url?: unknown
    }
    if (typeof said === 'string')
      message = `${said}${typeof docs === 'string' ? ` - ${docs}` : ''}`
  } catch {
    // not JSON (a proxy's page): its text is the message, made inert where it is shown
  }
  return new GitHubAnswerError(message, status)
}

/**
 * One page of the PR's comments, `GET /repos/{owner}/{repo}/issues/{n}/comments` on GITHUB_API_URL
 * (as @actions/github reads it), as a stream of bytes. Read over node:http rather than through Octokit:
 * Octokit (and fetch under it) reads the whole page and parses it with a reviver that copies every
 * string, and the page can be 100 bodies of 65,536 characters; measured, that took the action past its
 * memory budget where a stream read comment by comment stays well under it.
 */
async function listingStream(
  options: Pick<ApiOptions, 'token' | 'owner' | 'repo' | 'issueNumber'>,
  page: number,
  perPage: number,
  signal: AbortSignal
): Promise<AsyncIterable<Buffer>> {
  const api = (process.env.GITHUB_API_URL || 'https://api.github.com').replace(
    /\/+$/,
    ''
  )
  const path = `/repos/${encodeURIComponent(options.owner)}/${encodeURIComponent(options.repo)}/issues/${options.issueNumber}/comments`
  let url = `${api}${path}?per_page=${perPage}&page=${page}`
  // GitHub's REST headers, the token as Octokit sends it.
  const headers = {
    accept: 'application/vnd.github+json',
    authorization: `token ${options.token}`,
    'user-agent': 'ai-gateway-gate',
    'x-github-api-version': '2022-11-28'
  }
  for (let redirects = 0; ; redirects++) {
    const res = await openStream(url, headers, signal)
    if (res.status >= 200 && res.status < 300) return res.body
    const location = res.headers.location
    if (
      res.status >= 300 &&
      res.status < 400 &&
      typeof location === 'string' &&
      redirects < MAX_REDIRECTS
    ) {
      res.discard()
      const next = new URL(location, url)
      // The token goes to GITHUB_API_URL's origin only.
      if (next.origin !== new URL(url).origin)
        throw new GitHubAnswerError(
          `GitHub redirected the comment list to another host, "${inline(next.host, 100)}" (not followed: the token is sent to GITHUB_API_URL only)`,
          res.status
        )
      url = next.href
      continue
    }
    throw await answerError(res.status, res.body)
  }
}

/**
 * The comments of a listing page as its bytes arrive: each comment parsed without its body, which is
 * read by `readBody` on the way (jsonArrayObjects), so that no body is ever held whole. A page with
 * more comments than asked for, or a comment longer than GitHub allows, is an error.
 */
export async function* listedComments(
  stream: AsyncIterable<Uint8Array>,
  perPage: number,
  readBody: () => TextReader<BodyCheck>
): AsyncGenerator<ListedComment, void> {
  const comments = jsonArrayObjects(
    stream,
    {
      maxObjects: perPage,
      maxObjectBytes: MAX_COMMENT_FIELDS_BYTES,
      maxStreamedBytes: MAX_BODY_JSON_BYTES
    },
    { key: 'body', open: () => decodingSink(readBody()) }
  )
  for await (const { object, streamed } of comments) {
    if (typeof object !== 'object' || object === null || Array.isArray(object))
      throw new Error('GitHub listed a comment that is not an object')
    const { body: _body, ...comment } = object as IssueComment
    yield { ...comment, check: streamed ?? { marked: false, same: false } }
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
    listPage: async (page, perPage, readBody) =>
      listedComments(
        await listingStream(options, page, perPage, request().signal),
        perPage,
        readBody
      ),
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

/** Aborts the comment's requests after `deadlineMs`, as a timeout (the warning says which deadline ran out). */
function abortAfter(
  deadline: AbortController,
  deadlineMs: number
): NodeJS.Timeout {
  return setTimeout(
    () =>
      deadline.abort(
        new DOMException('The comment requests ran out of time', 'TimeoutError')
      ),
    deadlineMs
  )
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
    timer = abortAfter(deadline, deadlineMs)
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
