// Pure: what the API client does after each attempt, decided from the attempt's answer (or error)
// and what happened so far. No clock, no network: the caller passes the time and a random number, so
// every path is tested without sleeping. The policy follows Cloudflare's SDK: connection errors,
// timeouts, 408, 409, 429 and 5xx are retried with capped, jittered backoff, and Retry-After is
// honoured; a 404 of a log detail means "not written yet" and is asked again while waiting.
import type { RawResponse } from '../net/http.js'

/** Retry-After longer than this is not slept through: Cloudflare's global limit blocks for 5 minutes. */
export const MAX_RETRY_AFTER_MS = 60_000
const BACKOFF_BASE_MS = 500
const BACKOFF_CAP_MS = 4_000
/** 404 polling: short first intervals so a log written a moment late is picked up at once, then 1/s. */
export const POLL_INTERVALS_MS = [300, 1000] as const

export interface RetryPolicy {
  /** Extra attempts after the first, for errors worth retrying. */
  maxRetries: number
  /** How long after the first request a 404 is asked again (a log not written yet); 0: a 404 is final. */
  waitTimeoutMs: number
}

export interface RetryState {
  /** Requests made so far, the one just answered included. */
  requests: number
  retries: number
  polls: number
  startedMs: number
}

export const initialState = (nowMs: number): RetryState => ({
  requests: 0,
  retries: 0,
  polls: 0,
  startedMs: nowMs
})

/** One attempt's outcome: an answer with any status, or a failure to get one (already made readable). */
export type Attempt = { res: RawResponse } | { failure: string }

export type Step =
  /** A 2xx: read it. */
  | { kind: 'answer'; res: RawResponse }
  /** Sleep, then ask again; `state` is the state for the next attempt. */
  | {
      kind: 'again'
      delayMs: number
      state: RetryState
      poll: boolean
      failure?: string
    }
  /** A 404 after waiting (or with no wait). */
  | { kind: 'not-found'; waitedMs: number }
  /** 401 or 403: the credentials, never retried. */
  | { kind: 'refused'; res: RawResponse }
  /** A 3xx: never followed, the credentials go to api-url only. */
  | { kind: 'redirected'; res: RawResponse }
  /** Any other 4xx: asking again would get the same answer. */
  | { kind: 'rejected'; res: RawResponse }
  /** The API asks to wait longer than is worth sleeping through. */
  | { kind: 'wait-too-long'; res: RawResponse; retryAfterMs: number }
  /** Retries used up. */
  | { kind: 'gave-up'; res?: RawResponse }

/** `Retry-After` as milliseconds from now: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfterMs(
  value: string | string[] | undefined,
  nowMs: number
): number | undefined {
  const text = Array.isArray(value) ? value[0] : value
  if (!text) return undefined
  if (/^\s*\d+(\.\d+)?\s*$/.test(text)) return Math.round(Number(text) * 1000)
  // An HTTP date starts with the day's name (IMF-fixdate, RFC 850 and asctime forms alike); Date.parse
  // alone would also read `in 5` or `-5` as dates in 2001, and the client would retry at once.
  if (!/^\s*(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s/i.test(text))
    return undefined
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

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500
}

/** The next step after an attempt. `state.requests` counts the attempt being decided. */
export function nextStep(
  attempt: Attempt,
  state: RetryState,
  policy: RetryPolicy,
  nowMs: number,
  random: number
): Step {
  if ('res' in attempt) {
    const { res } = attempt
    const status = res.status
    if (status >= 200 && status < 300) return { kind: 'answer', res }
    if (status === 404) {
      const waitedMs = nowMs - state.startedMs
      const leftMs = policy.waitTimeoutMs - waitedMs
      if (leftMs <= 0) return { kind: 'not-found', waitedMs }
      const delayMs = Math.min(pollIntervalMs(state.polls), leftMs)
      return {
        kind: 'again',
        delayMs,
        poll: true,
        state: { ...state, polls: state.polls + 1 }
      }
    }
    if (status >= 300 && status < 400) return { kind: 'redirected', res }
    if (status === 401 || status === 403) return { kind: 'refused', res }
    if (!isRetryableStatus(status)) return { kind: 'rejected', res }
    const retryAfterMs = parseRetryAfterMs(res.headers['retry-after'], nowMs)
    if (retryAfterMs !== undefined && retryAfterMs > MAX_RETRY_AFTER_MS)
      return { kind: 'wait-too-long', res, retryAfterMs }
    if (state.retries >= policy.maxRetries) return { kind: 'gave-up', res }
    const delayMs = retryAfterMs ?? backoffMs(state.retries, random)
    return {
      kind: 'again',
      delayMs,
      poll: false,
      state: { ...state, retries: state.retries + 1 }
    }
  }
  if (state.retries >= policy.maxRetries) return { kind: 'gave-up' }
  const delayMs = backoffMs(state.retries, random)
  return {
    kind: 'again',
    delayMs,
    poll: false,
    failure: attempt.failure,
    state: { ...state, retries: state.retries + 1 }
  }
}
