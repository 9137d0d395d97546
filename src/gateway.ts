// The AI Gateway API client: one GET of a log detail, with timeouts, retries, waiting for a log that
// is not written yet, and a run-time check of the answer. Errors are GatewayErrors whose message is one
// readable line (issue #3). Plain node:http(s) rather than fetch: undici's first use costs about 90 ms
// of start-up (../shared/TOOLCHAIN.md), and this client makes one request in the common case.
import * as http from 'node:http'
import * as https from 'node:https'
import type { Auth } from './config.js'
import { inline, jsonText } from './escape.js'
import { InvalidLogError, parseLogDetail, type LogDetail } from './log.js'
import { NO_SECRETS, scrubber } from './secrets.js'

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
  /** Secret values besides the credentials (which the client always knows) to scrub from the API's text before any cut. */
  secrets?: readonly string[]
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
/** A log detail is a few KiB; a body past this is not an answer from the logs API. */
const MAX_BODY_BYTES = 16 * 1024 * 1024

export function logUrl(req: Pick<LogRequest, 'apiUrl' | 'accountId' | 'gatewayId' | 'logId'>): string {
  // Each id is one percent-encoded path segment: `../../user/tokens` stays a log id (issue #3).
  const segment = (id: string): string => encodeURIComponent(id).replace(/\./g, '%2E')
  return `${req.apiUrl}/accounts/${segment(req.accountId)}/ai-gateway/gateways/${segment(req.gatewayId)}/logs/${segment(req.logId)}`
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

/** Longest `errors[]` text quoted in an error message. */
const MAX_ERRORS_CHARS = 500

/**
 * The answer's Cloudflare `errors[]` as "code: message" text, when it has any: on one line, with
 * invisible characters shown, and `scrub` applied before it is cut, so that no part of a secret the
 * API echoes survives the cut.
 */
export function cloudflareErrors(body: string, scrub: (text: string) => string = NO_SECRETS): string | undefined {
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
      const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown }
      const text = typeof message === 'string' ? message : (jsonText(e) ?? 'an error nested too deeply to show')
      return typeof code === 'number' || typeof code === 'string' ? `${code}: ${text}` : text
    })
    .join('; ')
  return inline(scrub(text).replace(/\s+/g, ' '), MAX_ERRORS_CHARS)
}

function describeBody(res: RawResponse, scrub: (text: string) => string): string {
  const type = String(res.headers['content-type'] ?? '')
  if (/html/i.test(type) || /^\s*<(!doctype|html)/i.test(res.body)) return 'an HTML page'
  return cloudflareErrors(res.body, scrub) ?? (res.body.trim() === '' ? 'an empty body' : 'a body that is not the API\'s JSON')
}

function networkErrorMessage(error: unknown): string {
  const e = error as { message?: unknown; code?: unknown; cause?: { message?: unknown; code?: unknown } }
  const code = e?.code ?? e?.cause?.code
  const message = typeof e?.message === 'string' ? e.message : String(error)
  return code && !message.includes(String(code)) ? `${message} (${String(code)})` : message
}

/**
 * The success envelope unwrapped and checked; throws a GatewayError naming what was wrong. `scrub`
 * removes the caller's secrets from the API's text before any of it is cut for the message.
 */
export function parseLogAnswer(res: RawResponse, scrub: (text: string) => string = NO_SECRETS): LogDetail {
  let envelope: unknown
  try {
    envelope = JSON.parse(res.body)
  } catch {
    throw new GatewayError('invalid-answer', `the API answered HTTP ${res.status} with ${describeBody(res, scrub)}, not JSON`, res.status)
  }
  if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) {
    throw new GatewayError('invalid-answer', `the API answered HTTP ${res.status} with JSON that is not an object`, res.status)
  }
  const { success, result } = envelope as { success?: unknown; result?: unknown }
  if (success !== true) {
    const errors = cloudflareErrors(res.body, scrub)
    const shown = inline(scrub(jsonText(success ?? null) ?? 'a value nested too deeply to show'), 40)
    throw new GatewayError(
      'api-error',
      `the API answered success: ${shown}${errors ? ` (${errors})` : ''}`,
      res.status
    )
  }
  if (result === undefined || result === null) {
    throw new GatewayError('invalid-answer', 'the API answered success: true but no "result"', res.status)
  }
  try {
    return parseLogDetail(result, scrub)
  } catch (error) {
    if (error instanceof InvalidLogError) throw new GatewayError('invalid-answer', error.message, res.status)
    throw error
  }
}

/**
 * Fetches one log detail. Retries connection errors, timeouts, 408, 409, 429 and 5xx up to
 * `maxRetries` extra attempts; polls a 404 until `waitTimeoutMs` after the first request, since the
 * gateway writes a log a moment after the call. The total time is bounded by the inputs: at most
 * (maxRetries + 1) attempts of `requestTimeoutMs`, their sleeps (each ≤ 60 s), and the wait.
 */
export async function fetchLog(req: LogRequest, deps: GatewayDeps): Promise<{ log: LogDetail; requests: number }> {
  const url = logUrl(req)
  const headers = { accept: 'application/json', 'user-agent': 'ai-gateway-gate', ...authHeaders(req.auth) }
  // Scrubbed before any of the API's text is cut: the credentials it could echo, and whatever else the caller knows.
  const scrub = scrubber([...authSecrets(req.auth), ...(deps.secrets ?? [])])
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
      res = undefined
      failure = inline(scrub(networkErrorMessage(error)))
    }

    if (res) {
      const status = res.status
      if (status >= 200 && status < 300) {
        const log = parseLogAnswer(res, scrub)
        if (log.id.toLowerCase() !== req.logId.toLowerCase()) {
          const answered = `"${inline(scrub(log.id), 80)}"`
          const message = `the API answered with log ${answered}, not the requested ${JSON.stringify(req.logId)}`
          throw new GatewayError('invalid-answer', message, status)
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
        throw new GatewayError(
          'not-found',
          `Not found: ${where} ${waited}. Likely causes: a wrong log-id or gateway-id, logging turned off for the gateway, or the call sent cf-aig-collect-log: false.`,
          404
        )
      }
      if (status === 401 || status === 403) {
        const errors = cloudflareErrors(res.body, scrub)
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
          `HTTP ${status} from the API for ${where}: ${describeBody(res, scrub)}`,
          status
        )
      }
      failure = `HTTP ${status}${status === 429 ? ' (rate limited)' : ''} with ${describeBody(res, scrub)}`
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

/** The real transport: one GET over node:http(s), bounded by `timeoutMs` from start to the last byte. */
export function sendRequest(url: string, headers: Record<string, string>, timeoutMs: number): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url)
    const client = target.protocol === 'https:' ? https : http
    const agent = proxyAgent(target.protocol, process.env)
    const req = client.request(target, { method: 'GET', headers, ...(agent ? { agent } : {}) })
    const timer = setTimeout(() => {
      req.destroy(new Error(`timed out after ${timeoutMs / 1000} s (request-timeout)`))
    }, timeoutMs)
    const fail = (error: Error): void => {
      clearTimeout(timer)
      reject(error)
    }
    req.on('error', fail)
    req.on('response', (res) => {
      const chunks: Buffer[] = []
      let bytes = 0
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length
        if (bytes > MAX_BODY_BYTES) req.destroy(new Error(`the answer is larger than ${MAX_BODY_BYTES} bytes`))
        else chunks.push(chunk)
      })
      res.on('error', fail)
      res.on('end', () => {
        clearTimeout(timer)
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') })
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
