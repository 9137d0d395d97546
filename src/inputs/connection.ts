// The connection inputs: the credentials, the account and gateway, api-url, and how long and how often
// to try (wait-timeout, request-timeout, max-retries, request-budget). Upper bounds keep the step's
// total time bounded by what the inputs say: it never hangs.
import { INPUT, type RawInputs } from './names.js'
import {
  idInput,
  MAX_ID_LENGTH,
  quote,
  secondsInput,
  type Problems
} from './problems.js'
import { parseWhole } from './units.js'

export type Auth =
  | { kind: 'token'; token: string }
  | { kind: 'global-key'; email: string; key: string }

export const DEFAULT_API_URL = 'https://api.cloudflare.com/client/v4'

// Upper bounds keep the step's total time bounded by what the inputs say: it never hangs.
const MAX_WAIT_TIMEOUT_S = 600

const MAX_RETRIES = 10

const MAX_REQUEST_TIMEOUT_S = 300

const MAX_GATEWAY_ID_LENGTH = 64

/**
 * Cloudflare allows 1200 API requests per 5 minutes per user and then refuses every request of that
 * user for 5 minutes (deploys included): one gate spends at most a quarter of that by default.
 */
export const DEFAULT_REQUEST_BUDGET = 300

export const MAX_REQUEST_BUDGET = 1200

/** HTTP header values are visible ASCII and spaces; Node refuses anything else before sending a byte. */
const HEADER_SAFE_RE = /^[\x20-\x7e]*$/

/** A credential that cannot be sent is an input error naming where it came from, never its value; retrying would only report an outage. */
function headerSafe(problems: Problems, name: string, value: string): void {
  if (!HEADER_SAFE_RE.test(value)) {
    problems.add(
      `${name} has a character that cannot be sent in an HTTP header (a line break, another control character or a non-ASCII character); the value is not shown`
    )
  }
}

export function parseAuth(
  raw: RawInputs,
  problems: Problems,
  env: NodeJS.ProcessEnv
): Auth | undefined {
  // A token wins; the legacy email and global key are used only without one.
  const token = raw[INPUT.apiToken]
  const email = raw[INPUT.apiEmail]
  const key = raw[INPUT.apiKey]
  if (token) {
    const fromEnv = token === (env.CLOUDFLARE_API_TOKEN ?? '').trim()
    headerSafe(
      problems,
      fromEnv
        ? 'the CLOUDFLARE_API_TOKEN environment variable'
        : INPUT.apiToken,
      token
    )
    return { kind: 'token', token }
  }
  if (email && key) {
    headerSafe(problems, INPUT.apiEmail, email)
    headerSafe(problems, INPUT.apiKey, key)
    return { kind: 'global-key', email, key }
  }
  if (email || key) {
    problems.add(
      `${email ? INPUT.apiKey : INPUT.apiEmail} is required with ${email ? INPUT.apiEmail : INPUT.apiKey} (or set ${INPUT.apiToken})`
    )
  } else {
    problems.add(
      `no credentials: set ${INPUT.apiToken} (or the CLOUDFLARE_API_TOKEN environment variable), or ${INPUT.apiEmail} and ${INPUT.apiKey}`
    )
  }
  return undefined
}

/** `/\/+$/` would retry from every slash of a long run of them: quadratic in an api-url of slashes. */
export function withoutTrailingSlashes(url: string): string {
  let end = url.length
  while (end > 0 && url[end - 1] === '/') end--
  return url.slice(0, end)
}

/** Loopback hosts, where http:// never leaves the machine: `localhost`, 127.0.0.0/8 and ::1, as the URL parser writes them. */
export function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  )
}

/**
 * An api-url as it may be quoted in an error: its query and fragment values and any user:password are
 * cut out (they can hold tokens); a bare `?` or `#` is kept, since it is what is wrong. What comes before
 * an `@` in its part of the text goes wherever the scheme stands, so a text that is not a URL (quoted, or
 * `https:user:pw@…`) loses its password too. Each part starts only at the text's start or a `/` and ends at
 * the next `/`, `?` or `#`: one pass, never retried from every character of a long value.
 */
export function withoutSecrets(url: string): string {
  return url.replace(/(^|\/)[^/?#]*@/g, '$1…@').replace(/([?#])[\s\S]+$/, '$1…')
}

/** `api-url`: https, or http to a loopback host (the token would travel in clear); no credentials, query or fragment. */
export function parseApiUrl(
  value: string
): { url: string } | { error: string } {
  const text = value || DEFAULT_API_URL
  const shown = quote(withoutSecrets(text))
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return { error: `${shown} is not a URL (e.g. ${DEFAULT_API_URL})` }
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { error: `${shown} must be an http(s) URL` }
  if (url.username || url.password)
    return { error: `"(hidden)" must not carry credentials; use api-token` }
  // The raw text, not url.search: the URL parser drops a bare `?` or `#`, and the ids would then be
  // appended after it, into the query, sending the request to another path.
  if (/[?#]/.test(text))
    return {
      error: `${shown} must not have a query or fragment (not even a bare ? or #)`
    }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return {
      error: `${shown} must be https: http:// would send the credentials in clear (it is allowed only for localhost, 127.0.0.0/8 and ::1)`
    }
  }
  return { url: withoutTrailingSlashes(url.href) }
}

/** Where the logs are, with what credentials, and how long and how often to try. */
export interface ConnectionConfig {
  auth: Auth | undefined
  accountId: string
  gatewayId: string
  apiUrl: { url: string } | { error: string }
  waitTimeoutMs: number
  maxRetries: number
  requestTimeoutMs: number
  /** Cloudflare API requests this gate may make in all (retries and re-reads included). */
  requestBudget: number
  /** Whether request-budget was given as a usable number (a bad one is already a problem). */
  budgetValid: boolean
}

export function parseConnection(
  raw: RawInputs,
  problems: Problems,
  env: NodeJS.ProcessEnv
): ConnectionConfig {
  const auth = parseAuth(raw, problems, env)
  const accountId = idInput(
    raw,
    problems,
    INPUT.accountId,
    MAX_ID_LENGTH,
    ' (or set the CLOUDFLARE_ACCOUNT_ID environment variable)'
  )
  const gatewayId = idInput(
    raw,
    problems,
    INPUT.gatewayId,
    MAX_GATEWAY_ID_LENGTH,
    ''
  )
  const apiUrl = parseApiUrl(raw[INPUT.apiUrl])
  if ('error' in apiUrl) problems.add(`${INPUT.apiUrl} ${apiUrl.error}`)
  const waitTimeoutMs = secondsInput(
    raw,
    problems,
    INPUT.waitTimeout,
    30,
    0,
    MAX_WAIT_TIMEOUT_S
  )
  const requestTimeoutMs = secondsInput(
    raw,
    problems,
    INPUT.requestTimeout,
    30,
    1,
    MAX_REQUEST_TIMEOUT_S
  )
  const maxRetries = parseMaxRetries(raw, problems)
  const { requestBudget, budgetValid } = parseRequestBudget(raw, problems)
  return {
    auth,
    accountId,
    gatewayId,
    apiUrl,
    waitTimeoutMs,
    maxRetries,
    requestTimeoutMs,
    requestBudget,
    budgetValid
  }
}

/** `max-retries`: 3 when not set (or not valid, which is an input error). */
function parseMaxRetries(raw: RawInputs, problems: Problems): number {
  if (!raw[INPUT.maxRetries]) return 3
  const n = parseWhole(raw[INPUT.maxRetries])
  if (n !== undefined && n <= MAX_RETRIES) return n
  problems.bad(
    INPUT.maxRetries,
    raw[INPUT.maxRetries],
    `is not a whole number from 0 to ${MAX_RETRIES}`
  )
  return 3
}

/**
 * `request-budget`, and whether it is valid: a `log-ids` list is checked against it only then (one
 * problem, not two).
 */
function parseRequestBudget(
  raw: RawInputs,
  problems: Problems
): { requestBudget: number; budgetValid: boolean } {
  if (!raw[INPUT.requestBudget])
    return { requestBudget: DEFAULT_REQUEST_BUDGET, budgetValid: true }
  const n = parseWhole(raw[INPUT.requestBudget])
  if (n !== undefined && n >= 1 && n <= MAX_REQUEST_BUDGET)
    return { requestBudget: n, budgetValid: true }
  problems.bad(
    INPUT.requestBudget,
    raw[INPUT.requestBudget],
    `is not a whole number from 1 to ${MAX_REQUEST_BUDGET}`
  )
  return { requestBudget: DEFAULT_REQUEST_BUDGET, budgetValid: false }
}
