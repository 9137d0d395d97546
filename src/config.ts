// The one place the action's inputs are turned into a typed config.
// `parseConfig` is pure: it gets a reader for inputs and the environment, and returns the config or
// throws one ConfigError that names every bad input and its value (issue #2: "all bad inputs are
// reported together; nothing is sent").

/** Input names: the contract with users (action.yml) and with the tests. */
export const INPUT = {
  apiToken: 'api-token',
  apiEmail: 'api-email',
  apiKey: 'api-key',
  accountId: 'account-id',
  gatewayId: 'gateway-id',
  logId: 'log-id',
  apiUrl: 'api-url',
  maxCost: 'max-cost',
  maxDuration: 'max-duration',
  maxTokensIn: 'max-tokens-in',
  maxTokensOut: 'max-tokens-out',
  expectedStatus: 'expected-status',
  requireSuccess: 'require-success',
  failOnBreach: 'fail-on-breach',
  jobSummary: 'job-summary',
  waitTimeout: 'wait-timeout',
  maxRetries: 'max-retries',
  requestTimeout: 'request-timeout',
  comment: 'comment',
  commentKey: 'comment-key',
  githubToken: 'github-token'
} as const

export type InputName = (typeof INPUT)[keyof typeof INPUT]

/** Reads one input as GitHub passes it (a string, '' when unset). */
export type InputReader = (name: InputName) => string

export type Auth = { kind: 'token'; token: string } | { kind: 'global-key'; email: string; key: string }

/** One entry of `expected-status`: an exact code (`429`) or a class (`2xx`). */
export type StatusPattern = { kind: 'code'; code: number } | { kind: 'class'; hundreds: number }

export interface Limits {
  maxCostUsd?: number
  maxDurationMs?: number
  maxTokensIn?: number
  maxTokensOut?: number
  expectedStatus?: StatusPattern[]
  requireSuccess: boolean
}

export type CommentMode = 'off' | 'update' | 'new'

export interface Config {
  auth: Auth
  accountId: string
  gatewayId: string
  logId: string
  /** Base URL without a trailing slash. */
  apiUrl: string
  limits: Limits
  failOnBreach: boolean
  jobSummary: boolean
  waitTimeoutMs: number
  maxRetries: number
  requestTimeoutMs: number
  comment: { mode: CommentMode; key: string; githubToken: string }
}

export const DEFAULT_API_URL = 'https://api.cloudflare.com/client/v4'

// Upper bounds keep the step's total time bounded by what the inputs say (issue #3: "never hangs").
const MAX_WAIT_TIMEOUT_S = 600
const MAX_RETRIES = 10
const MAX_REQUEST_TIMEOUT_S = 300
const MAX_GATEWAY_ID_LENGTH = 64
const MAX_ID_LENGTH = 256

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid input${problems.length > 1 ? 's' : ''}: ${problems.join('; ')}`)
    this.name = 'ConfigError'
  }
}

/** Inputs that hold secrets: registered with setSecret before anything else, never quoted back. */
export const SECRET_INPUTS: readonly InputName[] = [INPUT.apiToken, INPUT.apiKey, INPUT.githubToken]

/** Quote a user value in an error message: JSON quoting keeps control characters visible and on one line. */
function quote(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value
  return JSON.stringify(shown)
}

/** HTTP header values are visible ASCII and spaces; Node refuses anything else before sending a byte. */
const HEADER_SAFE_RE = /^[\x20-\x7e]*$/
const NOT_HEADER_SAFE = 'has a character that cannot be sent in an HTTP header (a line break, another control character or a non-ASCII character); the value is not shown'

export function isHeaderSafe(value: string): boolean {
  return HEADER_SAFE_RE.test(value)
}

/** Loopback hosts, where http:// never leaves the machine: `localhost`, 127.0.0.0/8 and ::1, as the URL parser writes them. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
}

/**
 * An api-url as it may be quoted in an error: its query and fragment values and any user:password are
 * cut out (they can hold tokens); a bare `?` or `#` is kept, since it is what is wrong.
 */
export function withoutSecrets(url: string): string {
  return url
    .replace(/^([a-z][\w+.-]*:\/\/)[^/?#]*@/i, '$1…@')
    .replace(/([?#])[\s\S]+$/, '$1…')
}

const DECIMAL = String.raw`(?:\d+(?:\.\d*)?|\.\d+)`
const USD_RE = new RegExp(String.raw`^\$?\s*(${DECIMAL})(?:\s*USD)?$`, 'i')
const DURATION_RE = new RegExp(String.raw`^(${DECIMAL})\s*([a-zA-Z]*)$`)
const DURATION_UNIT_MS: Record<string, number> = { '': 1, ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000 }
const WHOLE_RE = /^\d+$/

export function parseUsd(value: string): number | undefined {
  const m = USD_RE.exec(value)
  const usd = m ? Number(m[1]) : NaN
  return Number.isFinite(usd) ? usd : undefined
}

export function parseDurationMs(value: string): { ms: number } | { error: string } {
  const m = DURATION_RE.exec(value)
  if (!m) return { error: `${value.trim().startsWith('-') ? 'is negative' : 'is not a duration'} (e.g. 1500, 1500ms, 2s, 0.5s, 1m)` }
  const unit = m[2]!.toLowerCase()
  const factor = DURATION_UNIT_MS[unit]
  if (factor === undefined) return { error: `has an unknown unit "${m[2]}" (use ms, s or m)` }
  const ms = Number(m[1]) * factor
  return Number.isFinite(ms) ? { ms } : { error: 'is too large' }
}

export function parseStatusPatterns(value: string): { patterns: StatusPattern[] } | { error: string } {
  const patterns: StatusPattern[] = []
  for (const part of value.split(',').map((p) => p.trim())) {
    if (/^[1-5]xx$/i.test(part)) {
      patterns.push({ kind: 'class', hundreds: Number(part[0]) })
    } else if (/^\d{3}$/.test(part) && Number(part) >= 100 && Number(part) <= 599) {
      patterns.push({ kind: 'code', code: Number(part) })
    } else {
      return { error: `has ${part === '' ? 'an empty entry' : quote(part)}: use status codes 100-599 or classes 1xx-5xx, comma-separated` }
    }
  }
  return { patterns }
}

export function formatStatusPatterns(patterns: StatusPattern[]): string {
  return patterns.map((p) => (p.kind === 'code' ? String(p.code) : `${p.hundreds}xx`)).join(', ')
}

/** GitHub's own boolean spellings (core.getBooleanInput); anything else is an error, never a quiet `false`. */
function parseBoolean(value: string): boolean | undefined {
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  return undefined
}

/** The default comment key: one comment per workflow and job, so re-runs update their own. */
export function defaultCommentKey(env: NodeJS.ProcessEnv): string {
  const workflow = env.GITHUB_WORKFLOW ?? ''
  const job = env.GITHUB_JOB ?? ''
  return workflow || job ? `${workflow}/${job}` : 'ai-gateway-gate'
}

export function parseConfig(read: InputReader, env: NodeJS.ProcessEnv): Config {
  const problems: string[] = []
  const input = (name: InputName): string => read(name).trim()
  const negative = (value: string): string => (/^-\s*\$?\s*[\d.]/.test(value) ? 'is negative: ' : '')
  const bad = (name: InputName, value: string, why: string): void => {
    problems.push(`${name} ${quote(value)} ${why}`)
  }

  // Credentials: a token wins; the legacy pair is used only without one.
  const tokenInput = input(INPUT.apiToken)
  const token = tokenInput || (env.CLOUDFLARE_API_TOKEN ?? '').trim()
  const email = input(INPUT.apiEmail)
  const key = input(INPUT.apiKey)
  // A value that cannot be a header would make every attempt fail before it is sent, and read as an outage.
  const headerSafe = (name: string, value: string): void => {
    if (!isHeaderSafe(value)) problems.push(`${name} ${NOT_HEADER_SAFE}`)
  }
  let auth: Auth | undefined
  if (token) {
    auth = { kind: 'token', token }
    headerSafe(tokenInput ? INPUT.apiToken : 'the CLOUDFLARE_API_TOKEN environment variable', token)
  } else if (email && key) {
    auth = { kind: 'global-key', email, key }
    headerSafe(INPUT.apiEmail, email)
    headerSafe(INPUT.apiKey, key)
  } else if (email || key) {
    problems.push(`${email ? INPUT.apiKey : INPUT.apiEmail} is required with ${email ? INPUT.apiEmail : INPUT.apiKey} (or set ${INPUT.apiToken})`)
  } else {
    problems.push(`no credentials: set ${INPUT.apiToken} (or the CLOUDFLARE_API_TOKEN environment variable), or ${INPUT.apiEmail} and ${INPUT.apiKey}`)
  }

  const accountId = input(INPUT.accountId) || (env.CLOUDFLARE_ACCOUNT_ID ?? '').trim()
  if (!accountId) problems.push(`${INPUT.accountId} is required (or set the CLOUDFLARE_ACCOUNT_ID environment variable)`)
  else if (accountId.length > MAX_ID_LENGTH) bad(INPUT.accountId, accountId, `is longer than ${MAX_ID_LENGTH} characters`)

  const gatewayId = input(INPUT.gatewayId)
  if (!gatewayId) problems.push(`${INPUT.gatewayId} is required`)
  else if (gatewayId.length > MAX_GATEWAY_ID_LENGTH) bad(INPUT.gatewayId, gatewayId, `is longer than ${MAX_GATEWAY_ID_LENGTH} characters`)

  // `.` and `..` are the only ids that percent-encoding cannot keep in their path segment: URL
  // parsers read %2E%2E as `..` and would address another endpoint (issue #3).
  const dotsOnly = (name: InputName, value: string): void => {
    if (/^\.+$/.test(value)) bad(name, value, 'is not an id')
  }
  if (accountId) dotsOnly(INPUT.accountId, accountId)
  if (gatewayId) dotsOnly(INPUT.gatewayId, gatewayId)

  const logId = input(INPUT.logId)
  if (!logId) problems.push(`${INPUT.logId} is required (the cf-aig-log-id response header of the call)`)
  else if (logId.length > MAX_ID_LENGTH) bad(INPUT.logId, logId, `is longer than ${MAX_ID_LENGTH} characters`)
  else dotsOnly(INPUT.logId, logId)

  const apiUrlInput = input(INPUT.apiUrl) || DEFAULT_API_URL
  const apiUrlShown = withoutSecrets(apiUrlInput)
  let apiUrl = apiUrlInput
  try {
    const url = new URL(apiUrlInput)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') bad(INPUT.apiUrl, apiUrlShown, 'must be an http(s) URL')
    else if (url.username || url.password) bad(INPUT.apiUrl, '(hidden)', 'must not carry credentials; use api-token')
    // The raw text, not url.search: the URL parser drops a bare `?` or `#`, and the ids would then be
    // appended after it, into the query, sending the request to another path.
    else if (/[?#]/.test(apiUrlInput)) bad(INPUT.apiUrl, apiUrlShown, 'must not have a query or fragment (not even a bare ? or #)')
    else if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
      bad(INPUT.apiUrl, apiUrlShown, 'must be https: http:// would send the credentials in clear (it is allowed only for localhost, 127.0.0.0/8 and ::1)')
    }
    apiUrl = url.href.replace(/\/+$/, '')
  } catch {
    bad(INPUT.apiUrl, apiUrlShown, 'is not a URL (e.g. https://api.cloudflare.com/client/v4)')
  }

  const limits: Limits = { requireSuccess: true }

  const maxCost = input(INPUT.maxCost)
  if (maxCost) {
    const usd = parseUsd(maxCost)
    if (usd === undefined) bad(INPUT.maxCost, maxCost, `${negative(maxCost)}is not an amount in USD (e.g. 0.05 or $0.05)`)
    else limits.maxCostUsd = usd
  }

  const maxDuration = input(INPUT.maxDuration)
  if (maxDuration) {
    const parsed = parseDurationMs(maxDuration)
    if ('error' in parsed) bad(INPUT.maxDuration, maxDuration, parsed.error)
    else limits.maxDurationMs = parsed.ms
  }

  for (const [name, field] of [
    [INPUT.maxTokensIn, 'maxTokensIn'],
    [INPUT.maxTokensOut, 'maxTokensOut']
  ] as const) {
    const value = input(name)
    if (!value) continue
    if (WHOLE_RE.test(value) && Number.isSafeInteger(Number(value))) limits[field] = Number(value)
    else bad(name, value, `${negative(value)}is not a whole number of tokens (e.g. 4000)`)
  }

  const expectedStatus = input(INPUT.expectedStatus)
  if (expectedStatus) {
    const parsed = parseStatusPatterns(expectedStatus)
    if ('error' in parsed) bad(INPUT.expectedStatus, expectedStatus, parsed.error)
    else limits.expectedStatus = parsed.patterns
  }

  const boolean = (name: InputName, fallback: boolean): boolean => {
    const value = input(name)
    if (!value) return fallback
    const parsed = parseBoolean(value)
    if (parsed === undefined) bad(name, value, 'is not a boolean (true or false)')
    return parsed ?? fallback
  }
  limits.requireSuccess = boolean(INPUT.requireSuccess, true)
  const failOnBreach = boolean(INPUT.failOnBreach, true)
  const jobSummary = boolean(INPUT.jobSummary, true)

  // Seconds by default (`30`), or with a unit like max-duration (`45s`, `1m`, `500ms`).
  const secondsMs = (name: InputName, fallbackS: number, minMs: number, maxS: number): number => {
    const value = input(name)
    if (!value) return fallbackS * 1000
    const parsed = /^[\d.]+$/.test(value) ? parseDurationMs(`${value}s`) : parseDurationMs(value)
    if ('error' in parsed || parsed.ms < minMs || parsed.ms > maxS * 1000) {
      bad(name, value, `is not a number of seconds from ${minMs / 1000} to ${maxS} (e.g. 30, 45s, 1m)`)
      return fallbackS * 1000
    }
    return parsed.ms
  }
  const waitTimeoutMs = secondsMs(INPUT.waitTimeout, 30, 0, MAX_WAIT_TIMEOUT_S)
  const requestTimeoutMs = secondsMs(INPUT.requestTimeout, 30, 1, MAX_REQUEST_TIMEOUT_S)

  let maxRetries = 3
  const retries = input(INPUT.maxRetries)
  if (retries) {
    if (WHOLE_RE.test(retries) && Number(retries) <= MAX_RETRIES) maxRetries = Number(retries)
    else bad(INPUT.maxRetries, retries, `is not a whole number from 0 to ${MAX_RETRIES}`)
  }

  const commentInput = input(INPUT.comment).toLowerCase()
  let mode: CommentMode = 'off'
  if (commentInput === '' || commentInput === 'off' || commentInput === 'false') mode = 'off'
  else if (commentInput === 'update' || commentInput === 'true') mode = 'update'
  else if (commentInput === 'new') mode = 'new'
  else bad(INPUT.comment, read(INPUT.comment).trim(), 'is not one of off, update, new (or true, false)')
  const commentKey = input(INPUT.commentKey) || defaultCommentKey(env)
  const githubToken = input(INPUT.githubToken)
  if (mode !== 'off' && !githubToken) problems.push(`${INPUT.githubToken} is required when ${INPUT.comment} is ${mode}`)

  if (problems.length > 0 || !auth) throw new ConfigError(problems)
  return {
    auth,
    accountId,
    gatewayId,
    logId,
    apiUrl,
    limits,
    failOnBreach,
    jobSummary,
    waitTimeoutMs,
    maxRetries,
    requestTimeoutMs,
    comment: { mode, key: commentKey, githubToken }
  }
}
