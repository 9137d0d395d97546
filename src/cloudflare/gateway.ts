// The AI Gateway logs API client: one GET of a log detail, and one page of the list endpoint; both
// return logs, never totals. Each request goes through the same loop (retry.ts decides what to do
// after every attempt), and every answer is checked at run time. Errors are GatewayErrors whose
// message is one readable line with the API's text scrubbed of secrets before it is cut.
import {
  BudgetSpentError,
  CLOUDFLARE_REQUESTS_PER_5_MINUTES,
  type RequestBudget
} from './budget.js'
import { inline, jsonText } from '../text/escape.js'
import {
  AnswerTooLargeError,
  sendRequest,
  type RawResponse
} from '../net/http.js'
import {
  InvalidLogError,
  parseLogDetail,
  summarize,
  type ListRow,
  type LogDetail,
  type LogSummary
} from './log.js'
import { initialState, nextStep, type RetryPolicy, type Step } from './retry.js'
import { NO_SECRETS, scrubber } from '../text/secrets.js'
import type { PageReader } from './collect.js'
import { listQuery, type ListRequest } from './query.js'
import { type Auth } from '../inputs/connection.js'

export type { RawResponse }

/** Where the logs are, and how long to try. */
export interface Connection {
  apiUrl: string
  auth: Auth
  accountId: string
  gatewayId: string
  waitTimeoutMs: number
  maxRetries: number
  requestTimeoutMs: number
}

export interface LogRequest extends Connection {
  logId: string
}

/** What the client needs from the outside world; tests replace the clock and the transport. */
export interface GatewayDeps {
  send: (
    url: string,
    headers: Record<string, string>,
    timeoutMs: number
  ) => Promise<RawResponse>
  /**
   * One POST of a JSON body (GraphQL Analytics), bounded as `send` is but to MAX_POST_ANSWER_BYTES.
   * Only the analytics client posts: callers that only read logs may leave it out.
   */
  post?: (
    url: string,
    headers: Record<string, string>,
    body: string,
    timeoutMs: number
  ) => Promise<RawResponse>
  sleep: (ms: number) => Promise<void>
  now: () => number
  random: () => number
  debug: (message: string) => void
  /** Secret values besides the credentials (which the client always knows) to scrub from the API's text before any cut. */
  secrets?: readonly string[]
  /** Every request (retries and polls included) is taken from it; none: no limit (the caller's tests). */
  budget?: RequestBudget
}

export type GatewayErrorKind =
  | 'not-found'
  | 'auth'
  | 'bad-request'
  | 'rate-limited'
  | 'unavailable'
  | 'invalid-answer'
  | 'api-error'

export class GatewayError extends Error {
  constructor(
    readonly kind: GatewayErrorKind,
    message: string,
    readonly status?: number
  ) {
    super(message)
    this.name = 'GatewayError'
  }
}

// Each id is one percent-encoded path segment: `../../user/tokens` stays a log id.
const segment = (id: string): string =>
  encodeURIComponent(id).replace(/\./g, '%2E')

function gatewayUrl(
  req: Pick<Connection, 'apiUrl' | 'accountId' | 'gatewayId'>
): string {
  return `${req.apiUrl}/accounts/${segment(req.accountId)}/ai-gateway/gateways/${segment(req.gatewayId)}`
}

export function logUrl(
  req: Pick<LogRequest, 'apiUrl' | 'accountId' | 'gatewayId' | 'logId'>
): string {
  return `${gatewayUrl(req)}/logs/${segment(req.logId)}`
}

export function listUrl(
  req: Pick<Connection, 'apiUrl' | 'accountId' | 'gatewayId'>,
  list: ListRequest
): string {
  return `${gatewayUrl(req)}/logs?${listQuery(list)}`
}

/** Where the account's logging platform is stated: legacy logs, or "Logs powered by Workers Observability". */
export function loggingStateUrl(
  req: Pick<Connection, 'apiUrl' | 'accountId'>
): string {
  return `${req.apiUrl}/accounts/${segment(req.accountId)}/ai-gateway/logging-state`
}

export function authHeaders(auth: Auth): Record<string, string> {
  return auth.kind === 'token'
    ? { authorization: `Bearer ${auth.token}` }
    : { 'x-auth-email': auth.email, 'x-auth-key': auth.key }
}

/** The secret values among the credentials: what an API that reflects its request could echo back. */
export function authSecrets(auth: Auth): string[] {
  return auth.kind === 'token' ? [auth.token] : [auth.key]
}

/** Longest `errors[]` text quoted in an error message. */
const MAX_ERRORS_CHARS = 500

/**
 * The answer's Cloudflare `errors[]` as "code: message" text, when it has any: on one line, with
 * invisible characters shown, and `scrub` applied before it is cut, so that no part of a secret the
 * API echoes survives the cut.
 */
export function cloudflareErrors(
  body: string,
  scrub: (text: string) => string = NO_SECRETS
): string | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return undefined
  }
  const errors = (parsed as { errors?: unknown } | null)?.errors
  if (!Array.isArray(errors) || errors.length === 0) return undefined
  const text = errors
    .map((e: unknown) => {
      const { code, message } = (e ?? {}) as {
        code?: unknown
        message?: unknown
      }
      const text =
        typeof message === 'string'
          ? message
          : (jsonText(e) ?? 'an error nested too deeply to show')
      return typeof code === 'number' || typeof code === 'string'
        ? `${code}: ${text}`
        : text
    })
    .join('; ')
  return inline(scrub(text).replace(/\s+/g, ' '), MAX_ERRORS_CHARS)
}

function describeBody(
  res: RawResponse,
  scrub: (text: string) => string
): string {
  const type = String(res.headers['content-type'] ?? '')
  if (/html/i.test(type) || /^\s*<(!doctype|html)/i.test(res.body))
    return 'an HTML page'
  return (
    cloudflareErrors(res.body, scrub) ??
    (res.body.trim() === ''
      ? 'an empty body'
      : "a body that is not the API's JSON")
  )
}

/**
 * A 3xx is never followed: the credentials go to api-url and nowhere else. The message names the host
 * it points to (that host is the likely fix of api-url, or a sign of a proxy in the way); the rest of
 * the Location (its path and query can carry tokens) is not shown.
 */
export function describeRedirect(res: RawResponse, requestUrl: string): string {
  const location = Array.isArray(res.headers.location)
    ? res.headers.location[0]
    : res.headers.location
  if (!location) return 'a redirect without a Location header (not followed)'
  let host: string
  try {
    host = new URL(location, requestUrl).host
  } catch {
    return 'a redirect to a Location that is not a URL (not followed)'
  }
  return `a redirect to host "${inline(host, 100)}" (not followed: the credentials are sent to api-url only; check api-url)`
}

function networkErrorMessage(error: unknown): string {
  const e = error as {
    message?: unknown
    code?: unknown
    cause?: { message?: unknown; code?: unknown }
  }
  const code = e?.code ?? e?.cause?.code
  const message = typeof e?.message === 'string' ? e.message : String(error)
  return code && !message.includes(String(code))
    ? `${message} (${String(code)})`
    : message
}

/** The `{success, result}` envelope unwrapped: throws a GatewayError naming what was wrong. */
function unwrap(
  res: RawResponse,
  scrub: (text: string) => string
): { result: unknown; envelope: Record<string, unknown> } {
  let envelope: unknown
  try {
    envelope = JSON.parse(res.body)
  } catch {
    const body = describeBody(res, scrub)
    throw new GatewayError(
      'invalid-answer',
      `the API answered HTTP ${res.status} with ${body}${body.startsWith('a body') ? '' : ', not JSON'}`,
      res.status
    )
  }
  if (
    typeof envelope !== 'object' ||
    envelope === null ||
    Array.isArray(envelope)
  ) {
    throw new GatewayError(
      'invalid-answer',
      `the API answered HTTP ${res.status} with JSON that is not an object`,
      res.status
    )
  }
  const { success, result } = envelope as {
    success?: unknown
    result?: unknown
  }
  if (success !== true) {
    const errors = cloudflareErrors(res.body, scrub)
    const shown = inline(
      scrub(jsonText(success ?? null) ?? 'a value nested too deeply to show'),
      40
    )
    throw new GatewayError(
      'api-error',
      `the API answered success: ${shown}${errors ? ` (${errors})` : ''}`,
      res.status
    )
  }
  if (result === undefined || result === null) {
    throw new GatewayError(
      'invalid-answer',
      'the API answered success: true but no "result"',
      res.status
    )
  }
  return { result, envelope: envelope as Record<string, unknown> }
}

function checkedLog(
  result: unknown,
  status: number,
  scrub: (text: string) => string,
  where = ''
): LogDetail {
  try {
    return parseLogDetail(result, scrub)
  } catch (error) {
    if (error instanceof InvalidLogError)
      throw new GatewayError(
        'invalid-answer',
        `${where}${error.message}`,
        status
      )
    throw error
  }
}

/**
 * A log detail answer, unwrapped and checked. `scrub` removes the caller's secrets from the API's
 * text before any of it is cut for the message.
 */
export function parseLogAnswer(
  res: RawResponse,
  scrub: (text: string) => string = NO_SECRETS
): LogDetail {
  return checkedLog(unwrap(res, scrub).result, res.status, scrub)
}

/** A page of the list endpoint: its rows (each checked as a log) and `result_info.total_count`. */
export function parseListAnswer(
  res: RawResponse,
  scrub: (text: string) => string = NO_SECRETS
): { rows: ListRow[]; totalCount: number } {
  const { result, envelope } = unwrap(res, scrub)
  if (!Array.isArray(result))
    throw new GatewayError(
      'invalid-answer',
      'the API answered a list whose "result" is not an array',
      res.status
    )
  const info = envelope.result_info as { total_count?: unknown } | undefined
  const totalCount = info?.total_count
  if (
    typeof totalCount !== 'number' ||
    !Number.isSafeInteger(totalCount) ||
    totalCount < 0
  ) {
    throw new GatewayError(
      'invalid-answer',
      'the API answered a list without a whole result_info.total_count',
      res.status
    )
  }
  const rows = result.map((row, i) =>
    checkedLog(row, res.status, scrub, `row ${i + 1} of the list: `)
  )
  return { rows, totalCount }
}

/** Accounts created on or after 2026-09-24 keep AI Gateway logs in Workers Observability, not in the logs API. */
export const WORKERS_OBSERVABILITY_HINT =
  'The account keeps its AI Gateway logs in Workers Observability (its ai-gateway/logging-state says so), and the logs API this ' +
  'action reads (Cloudflare\'s "Legacy Logs") holds no logs for such accounts. Find the calls in the Cloudflare dashboard ' +
  '(Workers & Pages › Observability, or AI › AI Gateway › Logs); this action cannot gate them until their logs can be read through the logs API.'

/** The keys of `result` that may name the platform; other keys (such as a migration target) are not read. */
const PLATFORM_KEYS = [
  'platform',
  'logging_platform',
  'canonical_platform',
  'canonical_logging_platform',
  'logging_state',
  'state'
] as const

/**
 * The account's logging platform from a `GET …/ai-gateway/logging-state` answer. Cloudflare does not
 * document its shape; its generated clients only say it "returns the canonical logging platform and
 * migration availability" in the usual `{success, result}` envelope. So: `result` is either the
 * platform's name itself, or an object whose platform-like key holds it. Anything else is "unknown".
 */
export function parseLoggingPlatform(
  body: string
): 'workers-observability' | 'legacy' | undefined {
  let envelope: unknown
  try {
    envelope = JSON.parse(body)
  } catch {
    return undefined
  }
  const { success, result } = (
    typeof envelope === 'object' && envelope !== null ? envelope : {}
  ) as { success?: unknown; result?: unknown }
  if (success !== true) return undefined
  const named = (
    value: unknown
  ): 'workers-observability' | 'legacy' | undefined => {
    if (typeof value !== 'string') return undefined
    const name = value
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_')
    if (name === 'workers_observability' || name === 'workers_logs')
      return 'workers-observability'
    return name === 'legacy' || name === 'legacy_logs' ? 'legacy' : undefined
  }
  if (typeof result === 'string') return named(result)
  if (typeof result !== 'object' || result === null || Array.isArray(result))
    return undefined
  for (const key of PLATFORM_KEYS) {
    const platform = named((result as Record<string, unknown>)[key])
    if (platform) return platform
  }
  return undefined
}

/** Where an account keeps its AI Gateway logs, as its logging-state says; undefined when unknown. */
export type LoggingPlatform = 'workers-observability' | 'legacy'

/**
 * One request for the account's logging platform, to explain logs that are not found. Best effort:
 * its failure (a network error, a refusal, an answer we cannot read) changes nothing.
 */
export async function askLoggingPlatform(
  conn: Connection,
  deps: GatewayDeps
): Promise<LoggingPlatform | undefined> {
  if (deps.budget && !deps.budget.take()) {
    deps.debug('logging-state not asked: the request budget is spent')
    return undefined
  }
  try {
    const res = await deps.send(
      loggingStateUrl(conn),
      requestHeaders(conn.auth),
      conn.requestTimeoutMs
    )
    const platform =
      res.status >= 200 && res.status < 300
        ? parseLoggingPlatform(res.body)
        : undefined
    deps.debug(
      `logging-state answered HTTP ${res.status}: platform ${platform ?? 'unknown'}`
    )
    return platform
  } catch (error) {
    deps.debug(
      `logging-state could not be read: ${inline(networkErrorMessage(error))}`
    )
    return undefined
  }
}

/**
 * The logging-state question of one gate, asked at most once however many logs or reads are not found
 * (the first not-found asks it; later ones reuse the answer), and never by a gate that finds its calls.
 */
export function loggingPlatformQuestion(
  conn: Connection,
  deps: GatewayDeps
): () => Promise<LoggingPlatform | undefined> {
  let asked: Promise<LoggingPlatform | undefined> | undefined
  return () => (asked ??= askLoggingPlatform(conn, deps))
}

function requestHeaders(auth: Auth): Record<string, string> {
  return {
    accept: 'application/json',
    'user-agent': 'ai-gateway-gate',
    ...authHeaders(auth)
  }
}

/** What a request is, for its messages: `log "x" in gateway "g" of account "a"`. */
interface Target {
  url: string
  where: string
  /** What the answer should be, for an answer too large to be one: `log detail`, `list page`. */
  what: string
  policy: RetryPolicy
  /** Called at the first 404, before any wait: it may throw to stop at once. */
  onFirstNotFound?: () => Promise<void>
  /** A JSON body to POST (through `deps.post`) instead of a GET. */
  body?: string
  /** A budget every attempt is also taken from, before the gate's request budget (GraphQL's query budget). */
  budget?: RequestBudget
  /** The token permission a 401 or 403 names: `AI Gateway Read` unless said. */
  permission?: string
  /** Cloudflare's rate limit in one sentence, for a Retry-After too long to wait for. */
  rateLimit?: string
}

/** The credentials and the time an attempt may take: what every request needs of a Connection. */
type RequestConnection = Pick<
  Connection,
  'auth' | 'accountId' | 'requestTimeoutMs'
>

/**
 * One request through the retry loop, until an answer (2xx) or an error. A 404 ends as the step
 * `not-found`, returned for the caller to explain; every other failure is a GatewayError here. The total
 * time is bounded by the inputs: at most (maxRetries + 1) attempts of request-timeout, their sleeps
 * (each at most a minute), and the wait for a log not written yet.
 */
async function exchange(
  conn: RequestConnection,
  target: Target,
  deps: GatewayDeps,
  scrub: (text: string) => string
): Promise<{ res: RawResponse; requests: number } | { notFound: number }> {
  const headers = requestHeaders(conn.auth)
  let state = initialState(deps.now())
  for (;;) {
    for (const budget of [target.budget, deps.budget])
      if (budget && !budget.take())
        throw new BudgetSpentError(budget.limit, target.where, budget.kind)
    state = { ...state, requests: state.requests + 1 }
    const { res, failure } = await attempt(conn, target, headers, deps, scrub)
    const step: Step = nextStep(
      res ? { res } : { failure },
      state,
      target.policy,
      deps.now(),
      deps.random()
    )
    const notFound =
      step.kind === 'not-found' || (step.kind === 'again' && step.poll)
    if (notFound && state.polls === 0 && target.onFirstNotFound)
      await target.onFirstNotFound()
    switch (step.kind) {
      case 'answer':
        return { res: step.res, requests: state.requests }
      case 'not-found':
        return { notFound: step.waitedMs }
      case 'again':
        deps.debug(
          step.poll
            ? `${target.where} not found yet; asking again in ${step.delayMs} ms`
            : `attempt ${state.requests} failed: ${failure}; retrying in ${step.delayMs} ms`
        )
        state = step.state
        await deps.sleep(step.delayMs)
        continue
      default:
        throw finalError(
          step,
          failure,
          state.requests,
          conn,
          target,
          deps,
          scrub
        )
    }
  }
}

/** One attempt: the answer, and what it failed with in words (for a retry's debug line or the error). */
async function attempt(
  conn: RequestConnection,
  target: Target,
  headers: Record<string, string>,
  deps: GatewayDeps,
  scrub: (text: string) => string
): Promise<{ res?: RawResponse; failure: string }> {
  let res: RawResponse
  const { body } = target
  const { post } = deps
  // A caller that posts without a transport for it is a bug: thrown, not retried as a network failure.
  if (body !== undefined && !post)
    throw new Error(`GatewayDeps.post is needed to POST ${target.what}`)
  // Only the request's own failures are failures to retry: an error past it is a bug, and it is thrown.
  try {
    res =
      body === undefined
        ? await deps.send(target.url, headers, conn.requestTimeoutMs)
        : await post!(target.url, headers, body, conn.requestTimeoutMs)
  } catch (error) {
    if (error instanceof AnswerTooLargeError)
      throw new GatewayError(
        'invalid-answer',
        `the API answered with ${error.size}, more than any ${target.what}; not read (${target.where})`
      )
    return { failure: inline(scrub(networkErrorMessage(error))) }
  }
  return {
    res,
    failure: `HTTP ${res.status}${res.status === 429 ? ' (rate limited)' : ''} with ${describeBody(res, scrub)}`
  }
}

/** The error a step that ends the exchange without an answer stands for, in one line. */
function finalError(
  step: Exclude<Step, { kind: 'answer' | 'not-found' | 'again' }>,
  failure: string,
  requests: number,
  conn: RequestConnection,
  target: Target,
  deps: GatewayDeps,
  scrub: (text: string) => string
): GatewayError {
  switch (step.kind) {
    case 'redirected':
      return new GatewayError(
        'bad-request',
        `HTTP ${step.res.status} from the API for ${target.where}: ${describeRedirect(step.res, target.url)}`,
        step.res.status
      )
    case 'refused': {
      const errors = cloudflareErrors(step.res.body, scrub)
      const needs =
        conn.auth.kind === 'token'
          ? `API token needs the "${target.permission ?? 'AI Gateway Read'}" permission`
          : 'api-email and api-key must be a valid global API key'
      return new GatewayError(
        'auth',
        `HTTP ${step.res.status} from the API${errors ? ` (${errors})` : ''}: the ${needs} for account ${JSON.stringify(conn.accountId)}.`,
        step.res.status
      )
    }
    case 'rejected':
      return new GatewayError(
        'bad-request',
        `HTTP ${step.res.status} from the API for ${target.where}: ${describeBody(step.res, scrub)}`,
        step.res.status
      )
    case 'wait-too-long': {
      const atMs = deps.now() + step.retryAfterMs
      // A Retry-After past the dates a Date can hold is garbage, not a reason to crash.
      const at =
        Number.isFinite(atMs) && atMs <= 8.64e15
          ? new Date(atMs).toISOString().replace(/\.\d+Z$/, 'Z')
          : 'an unknown time'
      const wait = `the API asks to wait ${Math.ceil(step.retryAfterMs / 1000)} s (Retry-After), so it will answer again at ${at}`
      return new GatewayError(
        'rate-limited',
        `${failure}; ${wait}. ${target.rateLimit ?? `Cloudflare allows ${CLOUDFLARE_REQUESTS_PER_5_MINUTES} requests per 5 minutes per user.`}`,
        step.res.status
      )
    }
    case 'gave-up': {
      const attempts = `${requests} attempt${requests > 1 ? 's' : ''}; max-retries is ${target.policy.maxRetries}`
      const kind = step.res?.status === 429 ? 'rate-limited' : 'unavailable'
      return new GatewayError(
        kind,
        `The API did not answer for ${target.where}: ${failure} (${attempts}).`,
        step.res?.status
      )
    }
  }
}

const clientScrub = (
  conn: Pick<Connection, 'auth'>,
  deps: GatewayDeps
): ((text: string) => string) =>
  // Scrubbed before any of the API's text is cut: the credentials it could echo, and whatever else the caller knows.
  scrubber([...authSecrets(conn.auth), ...(deps.secrets ?? [])])

/**
 * Fetches one log detail. A 404 is asked again until wait-timeout after the first request, since the
 * gateway writes a log a moment after the call; still not there, the error says why that may be. The
 * first 404 asks the account's logging platform at once (`askPlatform`, shared by the gate's reads):
 * an account that keeps its logs in Workers Observability has none here to wait for, so that stops the
 * step at once; any other answer (legacy, or unknown) waits as usual.
 */
export async function fetchLog(
  req: LogRequest,
  deps: GatewayDeps,
  askPlatform: () => Promise<
    LoggingPlatform | undefined
  > = loggingPlatformQuestion(req, deps)
): Promise<{ log: LogDetail; requests: number }> {
  const scrub = clientScrub(req, deps)
  const where = `log ${JSON.stringify(req.logId)} in gateway ${JSON.stringify(req.gatewayId)} of account ${JSON.stringify(req.accountId)}`
  const policy = {
    maxRetries: req.maxRetries,
    waitTimeoutMs: req.waitTimeoutMs
  }
  const onFirstNotFound = async (): Promise<void> => {
    if ((await askPlatform()) === 'workers-observability')
      throw new GatewayError(
        'not-found',
        `Not found: ${where} (not waited for). ${WORKERS_OBSERVABILITY_HINT}`,
        404
      )
  }
  const answer = await exchange(
    req,
    { url: logUrl(req), where, what: 'log detail', policy, onFirstNotFound },
    deps,
    scrub
  )
  if ('notFound' in answer) {
    const waited =
      req.waitTimeoutMs > 0
        ? `after waiting ${(answer.notFound / 1000).toFixed(1)} s`
        : 'and wait-timeout is 0'
    // Asked at the first 404 already: the answer is reused, not asked again.
    const platform = await askPlatform()
    const why =
      platform === 'workers-observability'
        ? WORKERS_OBSERVABILITY_HINT
        : 'Likely causes: a wrong log-id or gateway-id, logging turned off for the gateway, or the call sent cf-aig-collect-log: false.'
    throw new GatewayError(
      'not-found',
      `Not found: ${where} ${waited}. ${why}`,
      404
    )
  }
  const log = parseLogAnswer(answer.res, scrub)
  if (log.id.toLowerCase() !== req.logId.toLowerCase()) {
    const message = `the API answered with log "${inline(scrub(log.id), 80)}", not the requested ${JSON.stringify(req.logId)}`
    throw new GatewayError('invalid-answer', message, answer.res.status)
  }
  return { log, requests: answer.requests }
}

/**
 * Reads one page of the list endpoint. A 404 here is not a log still to be written (an unknown
 * gateway answers 200 with no rows): it is final.
 */
export async function fetchListPage(
  conn: Connection,
  list: ListRequest,
  deps: GatewayDeps
): Promise<{ rows: ListRow[]; totalCount: number }> {
  const scrub = clientScrub(conn, deps)
  const where = `page ${list.page} of the logs of gateway ${JSON.stringify(conn.gatewayId)} of account ${JSON.stringify(conn.accountId)}`
  const url = listUrl(conn, list)
  const answer = await exchange(
    conn,
    {
      url,
      where,
      what: 'list page',
      policy: { maxRetries: conn.maxRetries, waitTimeoutMs: 0 }
    },
    deps,
    scrub
  )
  if ('notFound' in answer) {
    throw new GatewayError(
      'bad-request',
      `HTTP 404 from the API for ${where}: check account-id and api-url`,
      404
    )
  }
  try {
    return parseListAnswer(answer.res, scrub)
  } catch (error) {
    // Which page: a broken answer on page 3 of 20 is not the same problem as on page 1.
    if (error instanceof GatewayError)
      throw new GatewayError(
        error.kind,
        `${error.message} (${where})`,
        error.status
      )
    throw error
  }
}

/**
 * The pages of one selection (a run, a window, extra filters), as collect() reads them: the read's
 * upper bound comes with each page, the rest of the query stays the same. Each row is cut down to what
 * the gate keeps (summarize) as soon as its page is checked, so that a page's long texts are garbage
 * once it is read: 10,000 rows of 10 KB would otherwise stay in memory until the gate is done.
 */
export function listPages(
  conn: Connection,
  selection: Pick<ListRequest, 'run' | 'filters'> & { sinceMs: number | null },
  deps: GatewayDeps,
  /** What a row keeps of its metadata: the run's own entry (sources/match.ts runEntry); none by default. */
  metadataOf: (row: ListRow) => string | undefined = () => undefined
): PageReader<LogSummary> {
  const { run, filters, sinceMs } = selection
  const scrub = clientScrub(conn, deps)
  return async (page, perPage, untilMs) => {
    const { rows, totalCount } = await fetchListPage(
      conn,
      { run, filters, window: { sinceMs, untilMs }, page, perPage },
      deps
    )
    return {
      rows: rows.map((row) => summarize(row, scrub, metadataOf(row))),
      totalCount
    }
  }
}

/** A POST and where it goes, for postJson: its messages, budget and permission as in Target. */
export interface PostRequest {
  url: string
  where: string
  what: string
  body: string
  budget?: RequestBudget
  permission?: string
  rateLimit?: string
}

/**
 * One POST of a JSON body through the same loop as every GET (retries of 429, 5xx and timeouts, the
 * budgets, a refusal or a failure as one line). A 404 is final: nothing is being written to wait for.
 * The answer is returned with its status (2xx) for the caller to read.
 */
export async function postJson(
  conn: RequestConnection & Pick<Connection, 'maxRetries'>,
  request: PostRequest,
  deps: GatewayDeps
): Promise<RawResponse> {
  const scrub = clientScrub(conn, deps)
  const policy = { maxRetries: conn.maxRetries, waitTimeoutMs: 0 }
  const answer = await exchange(conn, { ...request, policy }, deps, scrub)
  if ('notFound' in answer)
    throw new GatewayError(
      'bad-request',
      `HTTP 404 from the API for ${request.where}: check api-url`,
      404
    )
  return answer.res
}

/**
 * The largest POST answer read. A GraphQL histogram page of 10,000 groups is about 0.5 MB written
 * compactly and twice that indented, past the 512 KiB a log answer may have; its rows are small
 * numbers, not heads, so parsed it costs a few times its size, not ninety.
 */
export const MAX_POST_ANSWER_BYTES = 4 * 1024 * 1024

export const realGatewayDeps = (
  debug: (message: string) => void
): GatewayDeps => ({
  send: sendRequest,
  post: (url, headers, body, timeoutMs) =>
    sendRequest(url, headers, timeoutMs, {
      body,
      maxBodyBytes: MAX_POST_ANSWER_BYTES
    }),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
  random: Math.random,
  debug
})
