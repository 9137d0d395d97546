// The AI Gateway API client: one GET of a log detail, with timeouts, retries, waiting for a log that
// is not written yet, and a run-time check of the answer. Errors are GatewayErrors whose message is one
// readable line (issue #3). Plain node:http(s) rather than fetch: undici's first use costs about 90 ms
// of start-up (../shared/TOOLCHAIN.md), and this client makes one request in the common case.
import * as http from 'node:http'
import * as https from 'node:https'
import type { Auth } from './config.js'
import { inline } from './escape.js'
import { InvalidLogError, parseLogDetail, type LogDetail } from './log.js'

export interface LogRequest {
  apiUrl: string
  auth: Auth
  accountId: string
  gatewayId: string
  logId: string
  waitTimeoutMs: number
  maxRetries: number
  requestTimeoutMs: number
}

export interface RawResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** What the client needs from the outside world; tests replace the clock and the transport. */
export interface GatewayDeps {
  send: (url: string, headers: Record<string, string>, timeoutMs: number) => Promise<RawResponse>
  sleep: (ms: number) => Promise<void>
  now: () => number
  random: () => number
  debug: (message: string) => void
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

/** Retry-After longer than this is not slept through: Cloudflare's global limit blocks for 5 minutes. */
export const MAX_RETRY_AFTER_MS = 60_000
const BACKOFF_BASE_MS = 500
const BACKOFF_CAP_MS = 4_000
/** 404 polling: short first intervals so a log written a moment late is picked up at once, then 1/s. */
export const POLL_INTERVALS_MS = [300, 1000] as const
/**
 * A log detail is a few KiB: its fields are numbers, ids, a metadata string of at most 5 entries and
 * the heads of the recorded call. A body past this is not an answer from the logs API, and reading
 * more would let one answer take the runner's memory: parsed, redacted and scrubbed, a body costs up to
 * ~90 times its size (a head that is a list of empty objects). Measured on Node 24 with the worst heads
 * found (scripts/stand-in.mjs, big-answer-*), the whole action peaks at about 100 MiB with 512 KiB,
 * leaving room under the 150 MiB it may take; 1 MiB reached 154 MiB and 2 MiB 200 MiB.
 */
export const MAX_BODY_BYTES = 512 * 1024

/** An answer over MAX_BODY_BYTES: the same answer would come again, so it is not retried. */
export class AnswerTooLargeError extends Error {
  constructor(detail: string) {
    super(`the API answered with more than ${MAX_BODY_BYTES} bytes${detail}, more than any log detail; not read`)
    this.name = 'AnswerTooLargeError'
  }
}

// Each id is one percent-encoded path segment: `../../user/tokens` stays a log id, never a path.
const segment = (id: string): string => encodeURIComponent(id).replace(/\./g, '%2E')

export function logUrl(req: Pick<LogRequest, 'apiUrl' | 'accountId' | 'gatewayId' | 'logId'>): string {
  return `${req.apiUrl}/accounts/${segment(req.accountId)}/ai-gateway/gateways/${segment(req.gatewayId)}/logs/${segment(req.logId)}`
}

/** Where the account's logging platform is stated: legacy logs, or "Logs powered by Workers Observability". */
export function loggingStateUrl(req: Pick<LogRequest, 'apiUrl' | 'accountId'>): string {
  return `${req.apiUrl}/accounts/${segment(req.accountId)}/ai-gateway/logging-state`
}

export function authHeaders(auth: Auth): Record<string, string> {
  return auth.kind === 'token'
    ? { authorization: `Bearer ${auth.token}` }
    : { 'x-auth-email': auth.email, 'x-auth-key': auth.key }
}

/** `Retry-After` as milliseconds from now: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfterMs(value: string | string[] | undefined, nowMs: number): number | undefined {
  const text = Array.isArray(value) ? value[0] : value
  if (!text) return undefined
  if (/^\s*\d+(\.\d+)?\s*$/.test(text)) return Math.round(Number(text) * 1000)
  const date = Date.parse(text)
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs)
}

/** Exponential backoff with jitter, as the Cloudflare SDK does: about 0.5 s doubling, capped. */
export function backoffMs(retry: number, random: number): number {
  const base = Math.min(BACKOFF_BASE_MS * 2 ** retry, BACKOFF_CAP_MS)
  return Math.round(base * (1 - random * 0.25))
}

function pollIntervalMs(poll: number): number {
  return POLL_INTERVALS_MS[Math.min(poll, POLL_INTERVALS_MS.length - 1)]!
}

/** The answer's Cloudflare `errors[]` as "code: message" text, when it has any. */
export function cloudflareErrors(body: string): string | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return undefined
  }
  const errors = (parsed as { errors?: unknown } | null)?.errors
  if (!Array.isArray(errors) || errors.length === 0) return undefined
  return errors
    .map((e: unknown) => {
      const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown }
      const text = typeof message === 'string' ? message : JSON.stringify(e)
      return typeof code === 'number' || typeof code === 'string' ? `${code}: ${text}` : text
    })
    .join('; ')
    .replace(/\s+/g, ' ')
    .slice(0, 500)
}

function describeBody(res: RawResponse): string {
  const type = String(res.headers['content-type'] ?? '')
  if (/html/i.test(type) || /^\s*<(!doctype|html)/i.test(res.body)) return 'an HTML page'
  return cloudflareErrors(res.body) ?? (res.body.trim() === '' ? 'an empty body' : 'a body that is not the API\'s JSON')
}

/**
 * A 3xx is never followed: the credentials go to api-url and nowhere else. The message names the host
 * it points to (that host is the likely fix of api-url, or a sign of a proxy in the way); the rest of
 * the Location (its path and query can carry tokens) is not shown.
 */
export function describeRedirect(res: RawResponse, requestUrl: string): string {
  const location = Array.isArray(res.headers.location) ? res.headers.location[0] : res.headers.location
  if (!location) return `a redirect without a Location header (${describeBody(res)})`
  let host: string
  try {
    host = new URL(location, requestUrl).host
  } catch {
    return 'a redirect to a Location that is not a URL (not followed)'
  }
  return `a redirect to host "${inline(host, 100)}" (not followed: the credentials are sent to api-url only; check api-url)`
}

function networkErrorMessage(error: unknown): string {
  const e = error as { message?: unknown; code?: unknown; cause?: { message?: unknown; code?: unknown } }
  const code = e?.code ?? e?.cause?.code
  const message = typeof e?.message === 'string' ? e.message : String(error)
  return code && !message.includes(String(code)) ? `${message} (${String(code)})` : message
}

/** The success envelope unwrapped and checked; throws a GatewayError naming what was wrong. */
export function parseLogAnswer(res: RawResponse): LogDetail {
  let envelope: unknown
  try {
    envelope = JSON.parse(res.body)
  } catch {
    throw new GatewayError('invalid-answer', `the API answered HTTP ${res.status} with ${describeBody(res)}, not JSON`, res.status)
  }
  if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) {
    throw new GatewayError('invalid-answer', `the API answered HTTP ${res.status} with JSON that is not an object`, res.status)
  }
  const { success, result } = envelope as { success?: unknown; result?: unknown }
  if (success !== true) {
    const errors = cloudflareErrors(res.body)
    throw new GatewayError(
      'api-error',
      `the API answered success: ${JSON.stringify(success ?? null)}${errors ? ` (${errors})` : ''}`,
      res.status
    )
  }
  if (result === undefined || result === null) {
    throw new GatewayError('invalid-answer', 'the API answered success: true but no "result"', res.status)
  }
  try {
    return parseLogDetail(result)
  } catch (error) {
    if (error instanceof InvalidLogError) throw new GatewayError('invalid-answer', error.message, res.status)
    throw error
  }
}

/** Accounts created on or after 2026-09-24 keep AI Gateway logs in Workers Observability, not in the logs API. */
const WORKERS_OBSERVABILITY_HINT =
  'The account keeps its AI Gateway logs in Workers Observability (its ai-gateway/logging-state says so), and the logs API this ' +
  'action reads (Cloudflare\'s "Legacy Logs") holds no logs for such accounts. Find the call in the Cloudflare dashboard ' +
  '(Workers & Pages › Observability, or AI › AI Gateway › Logs); this action cannot gate it until its log can be read through the logs API.'

/** The keys of `result` that may name the platform; other keys (such as a migration target) are not read. */
const PLATFORM_KEYS = ['platform', 'logging_platform', 'canonical_platform', 'canonical_logging_platform', 'logging_state', 'state'] as const

/**
 * The account's logging platform from a `GET …/ai-gateway/logging-state` answer. Cloudflare does not
 * document its shape; its generated clients only say it "returns the canonical logging platform and
 * migration availability" in the usual `{success, result}` envelope, and an account that logs to
 * Workers Observability was seen described by the value `workers_observability`. So: `result` is either
 * that name itself, or an object whose platform-like key holds it. Anything else is "unknown".
 */
export function parseLoggingPlatform(body: string): 'workers-observability' | 'legacy' | undefined {
  let envelope: unknown
  try {
    envelope = JSON.parse(body)
  } catch {
    return undefined
  }
  const { success, result } = (typeof envelope === 'object' && envelope !== null ? envelope : {}) as { success?: unknown; result?: unknown }
  if (success !== true) return undefined
  const named = (value: unknown): 'workers-observability' | 'legacy' | undefined => {
    if (typeof value !== 'string') return undefined
    const name = value.trim().toLowerCase().replace(/[\s-]+/g, '_')
    if (name === 'workers_observability' || name === 'workers_logs') return 'workers-observability'
    return name === 'legacy' || name === 'legacy_logs' ? 'legacy' : undefined
  }
  if (typeof result === 'string') return named(result)
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return undefined
  for (const key of PLATFORM_KEYS) {
    const platform = named((result as Record<string, unknown>)[key])
    if (platform) return platform
  }
  return undefined
}

/**
 * One request for the account's logging platform, to explain a log that is not found. Best effort: its
 * failure (a network error, a refusal, an answer we cannot read) leaves the not-found error as it was.
 */
async function askLoggingPlatform(req: LogRequest, headers: Record<string, string>, deps: GatewayDeps): Promise<'workers-observability' | 'legacy' | undefined> {
  try {
    const res = await deps.send(loggingStateUrl(req), headers, req.requestTimeoutMs)
    const platform = res.status >= 200 && res.status < 300 ? parseLoggingPlatform(res.body) : undefined
    deps.debug(`logging-state answered HTTP ${res.status}: platform ${platform ?? 'unknown'}`)
    return platform
  } catch (error) {
    deps.debug(`logging-state could not be read: ${inline(networkErrorMessage(error))}`)
    return undefined
  }
}

/**
 * Fetches one log detail. Retries connection errors, timeouts, 408, 409, 429 and 5xx up to
 * `maxRetries` extra attempts; polls a 404 until `waitTimeoutMs` after the first request, since the
 * gateway writes a log a moment after the call. The total time is bounded by the inputs: at most
 * (maxRetries + 1) attempts of `requestTimeoutMs`, their sleeps (each ≤ 60 s), and the wait, plus one
 * request for the account's logging platform when the log is not found.
 */
export async function fetchLog(req: LogRequest, deps: GatewayDeps): Promise<{ log: LogDetail; requests: number }> {
  const url = logUrl(req)
  const headers = { accept: 'application/json', 'user-agent': 'ai-gateway-gate', ...authHeaders(req.auth) }
  const startedMs = deps.now()
  let retries = 0
  let polls = 0
  let requests = 0
  const where = `log ${JSON.stringify(req.logId)} in gateway ${JSON.stringify(req.gatewayId)} of account ${JSON.stringify(req.accountId)}`

  for (;;) {
    requests++
    let res: RawResponse | undefined
    let failure: string
    try {
      res = await deps.send(url, headers, req.requestTimeoutMs)
    } catch (error) {
      if (error instanceof AnswerTooLargeError) throw new GatewayError('invalid-answer', `${error.message} (${where})`)
      res = undefined
      failure = networkErrorMessage(error)
    }

    if (res) {
      const status = res.status
      if (status >= 200 && status < 300) {
        const log = parseLogAnswer(res)
        if (log.id.toLowerCase() !== req.logId.toLowerCase()) {
          throw new GatewayError('invalid-answer', `the API answered with log ${JSON.stringify(log.id)}, not the requested ${JSON.stringify(req.logId)}`, status)
        }
        return { log, requests }
      }
      if (status === 404) {
        const waitedMs = deps.now() - startedMs
        const leftMs = req.waitTimeoutMs - waitedMs
        if (leftMs > 0) {
          const delayMs = Math.min(pollIntervalMs(polls++), leftMs)
          deps.debug(`${where} not found yet; asking again in ${delayMs} ms`)
          await deps.sleep(delayMs)
          continue
        }
        const waited = req.waitTimeoutMs > 0 ? `after waiting ${(waitedMs / 1000).toFixed(1)} s` : 'and wait-timeout is 0'
        const platform = await askLoggingPlatform(req, headers, deps)
        throw new GatewayError(
          'not-found',
          platform === 'workers-observability'
            ? `Not found: ${where} ${waited}. ${WORKERS_OBSERVABILITY_HINT}`
            : `Not found: ${where} ${waited}. Likely causes: a wrong log-id or gateway-id, logging turned off for the gateway, or the call sent cf-aig-collect-log: false.`,
          404
        )
      }
      if (status >= 300 && status < 400) {
        throw new GatewayError('bad-request', `HTTP ${status} from the API for ${where}: ${describeRedirect(res, url)}`, status)
      }
      if (status === 401 || status === 403) {
        const errors = cloudflareErrors(res.body)
        throw new GatewayError(
          'auth',
          `HTTP ${status} from the API${errors ? ` (${errors})` : ''}: the ${req.auth.kind === 'token' ? 'API token needs the "AI Gateway Read" permission' : 'api-email and api-key must be a valid global API key'} for account ${JSON.stringify(req.accountId)}.`,
          status
        )
      }
      const retryable = status === 408 || status === 409 || status === 429 || status >= 500
      if (!retryable) {
        throw new GatewayError(
          'bad-request',
          `HTTP ${status} from the API for ${where}: ${describeBody(res)}`,
          status
        )
      }
      failure = `HTTP ${status}${status === 429 ? ' (rate limited)' : ''} with ${describeBody(res)}`
    } else {
      failure ??= 'no answer'
    }

    const retryAfterMs = res ? parseRetryAfterMs(res.headers['retry-after'], Date.now()) : undefined
    if (retryAfterMs !== undefined && retryAfterMs > MAX_RETRY_AFTER_MS) {
      const atMs = Date.now() + retryAfterMs
      // A Retry-After past the dates a Date can hold is garbage, not a reason to crash.
      const at = Number.isFinite(atMs) && atMs < 8.64e15 ? new Date(atMs).toISOString().replace(/\.\d+Z$/, 'Z') : 'an unknown time'
      throw new GatewayError(
        'rate-limited',
        `${failure}; the API asks to wait ${Math.ceil(retryAfterMs / 1000)} s (Retry-After), so it will answer again at ${at}. Cloudflare allows 1200 requests per 5 minutes per user.`,
        res?.status
      )
    }
    if (retries >= req.maxRetries) {
      throw new GatewayError(
        res?.status === 429 ? 'rate-limited' : 'unavailable',
        `The API did not answer for ${where}: ${failure} (${requests} attempt${requests > 1 ? 's' : ''}; max-retries is ${req.maxRetries}).`,
        res?.status
      )
    }
    const delayMs = retryAfterMs ?? backoffMs(retries, deps.random())
    retries++
    deps.debug(`attempt ${requests} failed: ${failure}; retrying in ${delayMs} ms`)
    await deps.sleep(delayMs)
  }
}

/**
 * Self-hosted runners behind a proxy set HTTPS_PROXY / HTTP_PROXY / NO_PROXY. Node 24.5 and later
 * honour them for an agent built with `proxyEnv`; without those variables the default agent is used.
 */
function proxyAgent(protocol: string, env: NodeJS.ProcessEnv): http.Agent | undefined {
  if (!['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some((name) => env[name])) return undefined
  return protocol === 'https:' ? new https.Agent({ proxyEnv: env }) : new http.Agent({ proxyEnv: env })
}

/**
 * The real transport: one GET over node:http(s), bounded by `timeoutMs` from start to the last byte.
 * It settles exactly once, whatever the server does: a request that ends without a whole answer (a
 * connection closed early, a `101 Switching Protocols` that hands the connection to another protocol,
 * an answer cut short) is an error, retried like a dropped connection. Without that, Node's client
 * emits neither 'response' nor 'error' for a 101, and the step would end with nothing pending.
 */
export function sendRequest(url: string, headers: Record<string, string>, timeoutMs: number): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url)
    const client = target.protocol === 'https:' ? https : http
    const agent = proxyAgent(target.protocol, process.env)
    let settled = false
    let answered = false
    const req = client.request(target, { method: 'GET', headers, ...(agent ? { agent } : {}) })
    const timer = setTimeout(() => {
      req.destroy(new Error(`timed out after ${timeoutMs / 1000} s (request-timeout)`))
    }, timeoutMs)
    const fail = (error: Error): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      req.destroy()
      reject(error)
    }
    req.on('error', fail)
    req.on('upgrade', (res: http.IncomingMessage, socket: { destroy: () => void }) => {
      socket.destroy()
      const protocol = typeof res.headers.upgrade === 'string' ? ` to "${inline(res.headers.upgrade, 40)}"` : ''
      fail(new Error(`the API answered HTTP ${res.statusCode ?? 101} (switching protocols${protocol}) instead of an answer`))
    })
    req.on('close', () => {
      if (!answered) fail(new Error('the connection closed without an answer'))
    })
    req.on('response', (res) => {
      answered = true
      // A final 1xx (a 101 without an Upgrade header) is not an answer either; its connection is gone.
      if ((res.statusCode ?? 0) < 200) {
        fail(new Error(`the API answered HTTP ${res.statusCode ?? 0} instead of an answer`))
        return
      }
      const declaredBytes = Number(res.headers['content-length'])
      if (declaredBytes > MAX_BODY_BYTES) {
        fail(new AnswerTooLargeError(` (Content-Length ${declaredBytes})`))
        return
      }
      let chunks: Buffer[] = []
      let bytes = 0
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length
        if (bytes > MAX_BODY_BYTES) fail(new AnswerTooLargeError(''))
        else chunks.push(chunk)
      })
      res.on('error', fail)
      res.on('close', () => {
        if (!res.complete) fail(new Error('the connection closed before the whole answer arrived'))
      })
      res.on('end', () => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        const body = Buffer.concat(chunks).toString('utf8')
        chunks = [] // the bytes are not kept twice while the answer is parsed
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body })
      })
    })
    req.end()
  })
}

export const realGatewayDeps = (debug: (message: string) => void): GatewayDeps => ({
  send: sendRequest,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
  random: Math.random,
  debug
})
