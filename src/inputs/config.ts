// The action's inputs: read once into one raw record (which feeds masking, the config and the error
// report), then parsed into a typed config by pure functions, one per group of inputs. Every bad input
// is reported together in one ConfigError naming each input and its value (never a secret's value),
// before any request is made.
import {
  BASE_BRANCH,
  namesTheRun,
  positiveWhole,
  workflowFileOf,
  type BaseBranchLookup,
  type BaselineConfig
} from './baseline.js'
import { cut } from '../text/escape.js'
import { INPUT, type InputName, type RawInputs } from './names.js'
import {
  parseFilters,
  parseLogIds,
  parseWindow,
  type LogFilter,
  type TimeWindow
} from './selection.js'
import { parseThresholds, type Threshold } from './thresholds.js'
import {
  parseDurationMs,
  parseSecondsMs,
  parseStatusPatterns,
  parseUsd,
  parseWhole,
  type StatusPattern
} from './units.js'

export type Auth =
  | { kind: 'token'; token: string }
  | { kind: 'global-key'; email: string; key: string }

export type { StatusPattern }
export { INPUT }

export interface Limits {
  maxCostUsd?: number
  maxDurationMs?: number
  maxTokensIn?: number
  maxTokensOut?: number
  expectedStatus?: StatusPattern[]
  requireSuccess: boolean
}

/** Which calls the gate reads: exactly one mode. */
export type Selection =
  | { kind: 'log'; logId: string }
  | { kind: 'logs'; logIds: string[] }
  | {
      kind: 'list'
      run: { key: string; value: string } | null
      window: TimeWindow | null
      filters: LogFilter[]
    }

/** How a selection read through the list endpoint is read. */
export interface Reading {
  maxLogs: number
  /** Wait until at least this many calls are found; undefined: wait for the first one. */
  expectedLogs?: number
  settleMs: number
}

export type CommentMode = 'off' | 'update' | 'new'

/** `always`: a comment on every run; `breach`: only when the result is fail or error (and a pass corrects it). */
export type CommentOn = 'always' | 'breach'

export interface CommentConfig {
  mode: CommentMode
  key: string
  githubToken: string
  on: CommentOn
  /** The pull request to comment on whatever the event; unset: the event's own pull request. */
  prNumber?: number
}

export interface Config {
  auth: Auth
  accountId: string
  gatewayId: string
  /** Base URL without a trailing slash. */
  apiUrl: string
  selection: Selection
  reading: Reading
  limits: Limits
  thresholds: Threshold[]
  failOnBreach: boolean
  jobSummary: boolean
  waitTimeoutMs: number
  maxRetries: number
  requestTimeoutMs: number
  /** Cloudflare API requests this gate may make in all (retries and re-reads included). */
  requestBudget: number
  comment: CommentConfig
  /** The run to compare with; null when neither baseline-run-id nor baseline is set (then nothing is read for it). */
  baseline: BaselineConfig | null
  /**
   * Inputs set that do not apply to the selection mode, one line each, naming the input and the mode:
   * printed as warnings before any request. They are ignored rather than refused, so that a reusable
   * workflow may pass the same inputs in every mode.
   */
  warnings: string[]
}

export const DEFAULT_API_URL = 'https://api.cloudflare.com/client/v4'
/** What the runner sets GITHUB_API_URL and GITHUB_SERVER_URL to on github.com (and what @actions/github falls back to). */
const DEFAULT_GITHUB_API_URL = 'https://api.github.com'
const DEFAULT_GITHUB_SERVER_URL = 'https://github.com'

// Upper bounds keep the step's total time bounded by what the inputs say: it never hangs.
const MAX_WAIT_TIMEOUT_S = 600
const MAX_RETRIES = 10
const MAX_REQUEST_TIMEOUT_S = 300
const MAX_SETTLE_S = 60
const MAX_GATEWAY_ID_LENGTH = 64
const MAX_ID_LENGTH = 256
export const DEFAULT_MAX_LOGS = 5000
/** 200 list requests at most: Cloudflare allows 1200 requests per 5 minutes per user, shared with the dashboard. */
const MAX_MAX_LOGS = 10_000
/**
 * Cloudflare allows 1200 API requests per 5 minutes per user and then refuses every request of that
 * user for 5 minutes (deploys included): one gate spends at most a quarter of that by default.
 */
export const DEFAULT_REQUEST_BUDGET = 300
const MAX_REQUEST_BUDGET = 1200

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid input${problems.length > 1 ? 's' : ''}: ${problems.join('; ')}`
    )
    this.name = 'ConfigError'
  }
}

/** Quote a user value in an error message: JSON quoting keeps control characters visible and on one line. */
function quote(value: string): string {
  return JSON.stringify(cut(value, 80))
}

/** The problems found so far, and the ways of adding one; and the warnings, which stop nothing. */
class Problems {
  readonly list: string[] = []
  readonly warnings: string[] = []
  add(problem: string): void {
    this.list.push(problem)
  }
  /** An input set where it means nothing: `settle is ignored: it applies to run-id or since, not log-ids`. */
  ignored(name: InputName, why: string): void {
    this.warnings.push(`${name} is ignored: ${why}`)
  }
  /** `max-cost "abc" is not an amount`. Never called with a secret's value. */
  bad(name: InputName, value: string, why: string): void {
    this.list.push(`${name} ${quote(value)} ${why}`)
  }
  addAll(problems: readonly string[]): void {
    this.list.push(...problems)
  }
}

/** GitHub's own boolean spellings (core.getBooleanInput); anything else is an error, never a quiet `false`. */
export function parseBoolean(value: string): boolean | undefined {
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  return undefined
}

function booleanInput(
  raw: RawInputs,
  problems: Problems,
  name: InputName,
  fallback: boolean
): boolean {
  const value = raw[name]
  if (!value) return fallback
  const parsed = parseBoolean(value)
  if (parsed === undefined)
    problems.bad(name, value, 'is not a boolean (true or false)')
  return parsed ?? fallback
}

function secondsInput(
  raw: RawInputs,
  problems: Problems,
  name: InputName,
  fallbackS: number,
  minMs: number,
  maxS: number
): number {
  const value = raw[name]
  if (!value) return fallbackS * 1000
  const parsed = parseSecondsMs(value)
  if ('error' in parsed || parsed.ms < minMs || parsed.ms > maxS * 1000) {
    problems.bad(
      name,
      value,
      `is not a number of seconds from ${minMs / 1000} to ${maxS} (e.g. 30, 45s, 1m)`
    )
    return fallbackS * 1000
  }
  return parsed.ms
}

/** The default comment key: one comment per workflow and job, so re-runs update their own. */
export function defaultCommentKey(env: NodeJS.ProcessEnv): string {
  const workflow = env.GITHUB_WORKFLOW ?? ''
  const job = env.GITHUB_JOB ?? ''
  return workflow || job ? `${workflow}/${job}` : 'ai-gateway-gate'
}

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

function parseAuth(
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

/** `.` and `..` cannot stay one path segment: URL parsers read %2E%2E as `..` and would address another endpoint. */
function idInput(
  raw: RawInputs,
  problems: Problems,
  name: InputName,
  maxLength: number,
  missing: string
): string {
  const value = raw[name]
  if (!value) problems.add(`${name} is required${missing}`)
  else if (value.length > maxLength)
    problems.bad(name, value, `is longer than ${maxLength} characters`)
  else if (/^\.+$/.test(value)) problems.bad(name, value, 'is not an id')
  return value
}

/** `/\/+$/` would retry from every slash of a long run of them: quadratic in an api-url of slashes. */
function withoutTrailingSlashes(url: string): string {
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

function parseLimits(raw: RawInputs, problems: Problems): Limits {
  const limits: Limits = {
    requireSuccess: booleanInput(raw, problems, INPUT.requireSuccess, true)
  }
  const negative = (value: string): string =>
    /^-\s*\$?\s*[\d.]/.test(value) ? 'is negative: ' : ''

  const maxCost = raw[INPUT.maxCost]
  if (maxCost) {
    const usd = parseUsd(maxCost)
    if (usd === undefined)
      problems.bad(
        INPUT.maxCost,
        maxCost,
        `${negative(maxCost)}is not an amount in USD (e.g. 0.05 or $0.05)`
      )
    else limits.maxCostUsd = usd
  }
  const maxDuration = raw[INPUT.maxDuration]
  if (maxDuration) {
    const parsed = parseDurationMs(maxDuration)
    if ('error' in parsed)
      problems.bad(INPUT.maxDuration, maxDuration, parsed.error)
    else limits.maxDurationMs = parsed.ms
  }
  for (const [name, field] of [
    [INPUT.maxTokensIn, 'maxTokensIn'],
    [INPUT.maxTokensOut, 'maxTokensOut']
  ] as const) {
    const value = raw[name]
    if (!value) continue
    const tokens = parseWhole(value)
    if (tokens === undefined)
      problems.bad(
        name,
        value,
        `${negative(value)}is not a whole number of tokens (e.g. 4000)`
      )
    else limits[field] = tokens
  }
  const expectedStatus = raw[INPUT.expectedStatus]
  if (expectedStatus) {
    const parsed = parseStatusPatterns(expectedStatus)
    if ('error' in parsed)
      problems.bad(INPUT.expectedStatus, expectedStatus, parsed.error)
    else limits.expectedStatus = parsed.patterns
  }
  return limits
}

const SELECTION_INPUTS = [
  INPUT.logId,
  INPUT.logIds,
  INPUT.runId,
  INPUT.since
] as const

/**
 * Exactly one way of selecting calls: `log-id`, `log-ids`, or a list selection (`run-id`, `since`,
 * or both: the run narrowed to a window). `until`, `filters` and `run-id-key` refine a list selection.
 */
function parseSelection(
  raw: RawInputs,
  problems: Problems,
  nowMs: number
): Selection | undefined {
  const set = SELECTION_INPUTS.filter((name) => raw[name] !== '')
  const modes = new Set(
    set.map((name) =>
      name === INPUT.runId || name === INPUT.since ? 'list' : name
    )
  )
  if (set.length === 0) {
    problems.add(
      `${INPUT.logId} is required (the cf-aig-log-id response header of the call), or select calls with ${INPUT.logIds}, ${INPUT.runId} (an eval run) or ${INPUT.since} (a time window)`
    )
    return undefined
  }
  if (modes.size > 1) {
    problems.add(
      `${set.join(' and ')} are different ways to select calls: set one of them (${INPUT.runId} and ${INPUT.since} go together)`
    )
    return undefined
  }
  const listOnly = [INPUT.until, INPUT.filters].filter(
    (name) => raw[name] !== ''
  )
  if (!modes.has('list') && listOnly.length > 0) {
    problems.add(
      `${listOnly.join(' and ')} refine${listOnly.length === 1 ? 's' : ''} ${INPUT.runId} or ${INPUT.since}, not ${set[0]}`
    )
  }

  if (!modes.has('list') && raw[INPUT.runIdKey])
    problems.ignored(
      INPUT.runIdKey,
      `it names the metadata key of ${INPUT.runId}, not of ${set[0]}`
    )
  if (modes.has(INPUT.logId))
    return {
      kind: 'log',
      logId: idInput(raw, problems, INPUT.logId, MAX_ID_LENGTH, '')
    }
  if (modes.has(INPUT.logIds)) {
    const parsed = parseLogIds(raw[INPUT.logIds])
    problems.addAll(parsed.problems)
    return { kind: 'logs', logIds: parsed.ids }
  }

  let run: { key: string; value: string } | null = null
  if (raw[INPUT.runId]) {
    const key = raw[INPUT.runIdKey] || 'run_id'
    if (key.length > MAX_ID_LENGTH)
      problems.bad(
        INPUT.runIdKey,
        key,
        `is longer than ${MAX_ID_LENGTH} characters`
      )
    if (raw[INPUT.runId].length > MAX_ID_LENGTH)
      problems.bad(
        INPUT.runId,
        raw[INPUT.runId],
        `is longer than ${MAX_ID_LENGTH} characters`
      )
    run = { key, value: raw[INPUT.runId] }
  } else if (raw[INPUT.runIdKey]) {
    problems.ignored(
      INPUT.runIdKey,
      `it names the metadata key of ${INPUT.runId}, which is not set (the calls are selected with ${INPUT.since})`
    )
  }
  if (raw[INPUT.until] && !raw[INPUT.since])
    problems.add(
      `${INPUT.until} ends a window that ${INPUT.since} starts: set ${INPUT.since} too`
    )
  const window = parseWindow(raw[INPUT.since], raw[INPUT.until], nowMs)
  problems.addAll(window.problems)
  const filters = parseFilters(raw[INPUT.filters])
  problems.addAll(filters.problems)
  return { kind: 'list', run, window: window.window, filters: filters.filters }
}

function parseReading(
  raw: RawInputs,
  problems: Problems,
  selection: Selection | undefined
): Reading {
  let maxLogs = DEFAULT_MAX_LOGS
  if (raw[INPUT.maxLogs]) {
    const n = parseWhole(raw[INPUT.maxLogs])
    if (n === undefined || n < 1 || n > MAX_MAX_LOGS)
      problems.bad(
        INPUT.maxLogs,
        raw[INPUT.maxLogs],
        `is not a whole number from 1 to ${MAX_MAX_LOGS}`
      )
    else maxLogs = n
  }
  if (selection?.kind === 'logs' && selection.logIds.length > maxLogs) {
    problems.add(
      `${INPUT.logIds} has ${selection.logIds.length} ids, more than ${INPUT.maxLogs} (${maxLogs})`
    )
  }
  const reading: Reading = { maxLogs, settleMs: 5000 }
  // Values are still checked where they are ignored: a typo is a typo in every mode.
  if (selection?.kind === 'log' && raw[INPUT.maxLogs])
    problems.ignored(
      INPUT.maxLogs,
      `it applies to ${INPUT.runId}, ${INPUT.since} or ${INPUT.logIds}, not ${INPUT.logId}`
    )
  if (selection && selection.kind !== 'list') {
    const mode = selection.kind === 'log' ? INPUT.logId : INPUT.logIds
    for (const name of [INPUT.expectedLogs, INPUT.settle])
      if (raw[name])
        problems.ignored(
          name,
          `it applies to ${INPUT.runId} or ${INPUT.since}, not ${mode}`
        )
  }
  if (raw[INPUT.expectedLogs]) {
    const n = parseWhole(raw[INPUT.expectedLogs])
    if (n === undefined || n > maxLogs)
      problems.bad(
        INPUT.expectedLogs,
        raw[INPUT.expectedLogs],
        `is not a whole number from 0 to ${INPUT.maxLogs} (${maxLogs})`
      )
    else reading.expectedLogs = n
  }
  reading.settleMs = secondsInput(
    raw,
    problems,
    INPUT.settle,
    5,
    0,
    MAX_SETTLE_S
  )
  return reading
}

function parseComment(
  raw: RawInputs,
  problems: Problems,
  env: NodeJS.ProcessEnv
): CommentConfig {
  const commentInput = raw[INPUT.comment].toLowerCase()
  let mode: CommentMode = 'off'
  if (commentInput === '' || commentInput === 'off' || commentInput === 'false')
    mode = 'off'
  else if (commentInput === 'update' || commentInput === 'true') mode = 'update'
  else if (commentInput === 'new') mode = 'new'
  else
    problems.bad(
      INPUT.comment,
      raw[INPUT.comment],
      'is not one of off, update, new (or true, false)'
    )
  const githubToken = raw[INPUT.githubToken]
  if (mode !== 'off' && !githubToken)
    problems.add(
      `${INPUT.githubToken} is required when ${INPUT.comment} is ${mode}`
    )

  const commentOn = raw[INPUT.commentOn]
  let on: CommentOn = 'always'
  if (['', 'always'].includes(commentOn.toLowerCase())) on = 'always'
  else if (commentOn.toLowerCase() === 'breach') on = 'breach'
  else problems.bad(INPUT.commentOn, commentOn, 'is not one of always, breach')
  // `new` keeps every run's comment as history: a breach's comment could not be taken back by a later
  // pass without editing that history, so the pair is refused rather than given a surprising meaning.
  if (on === 'breach' && mode === 'new')
    problems.bad(
      INPUT.commentOn,
      commentOn,
      `needs ${INPUT.comment}: update (a pass corrects the one comment)`
    )

  let prNumber: number | undefined
  if (raw[INPUT.prNumber]) {
    const n = parseWhole(raw[INPUT.prNumber])
    if (n !== undefined && n > 0) prNumber = n
    else
      problems.bad(
        INPUT.prNumber,
        raw[INPUT.prNumber],
        'is not a pull request number (a whole number from 1)'
      )
  }
  const key = raw[INPUT.commentKey] || defaultCommentKey(env)
  return {
    mode,
    key,
    githubToken,
    on,
    ...(prNumber === undefined ? {} : { prNumber })
  }
}

/**
 * A URL of GitHub's from the runner's environment (GITHUB_API_URL, GITHUB_SERVER_URL): https, or http
 * to a loopback host (a local stand-in), since github-token goes there; no credentials, query or
 * fragment; no trailing slash. Undefined when it is not one.
 */
export function githubUrl(value: string): string | undefined {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return undefined
  }
  if (
    url.protocol !== 'https:' &&
    !(url.protocol === 'http:' && isLoopbackHost(url.hostname))
  )
    return undefined
  if (url.username || url.password || /[?#]/.test(value)) return undefined
  return withoutTrailingSlashes(url.href)
}

/** The input that selected calls, for a message that says what the baseline cannot go with. */
function selectionInput(selection: Selection): string {
  return selection.kind === 'log'
    ? INPUT.logId
    : selection.kind === 'logs'
      ? INPUT.logIds
      : INPUT.since
}

/**
 * `baseline: base-branch` reads the runner's environment: this run's id and attempt, the repository,
 * the workflow's file and GitHub's URLs. All of it is checked here, so that anything missing is an
 * input error before any request. The event file (the base branch) is read when the baseline is.
 */
function parseBaseBranch(
  raw: RawInputs,
  problems: Problems,
  env: NodeJS.ProcessEnv,
  runIdValue: string
): BaseBranchLookup | undefined {
  const needs = `${INPUT.baseline}: ${BASE_BRANCH} needs`
  const elsewhere = `it is set on GitHub's runners; elsewhere, name the run with ${INPUT.baselineRunId}`
  const shown = (value: string | undefined): string =>
    value === undefined ? 'is not set' : `is ${quote(value)}`
  const token = raw[INPUT.githubToken]
  if (!token)
    problems.add(
      `${needs} ${INPUT.githubToken} (with "actions: read") to find the base branch's latest runs`
    )
  const runId = positiveWhole(env.GITHUB_RUN_ID)
  const runAttempt = positiveWhole(env.GITHUB_RUN_ATTEMPT)
  if (runId === undefined)
    problems.add(
      `${needs} GITHUB_RUN_ID, which ${shown(env.GITHUB_RUN_ID)} (${elsewhere})`
    )
  if (runAttempt === undefined)
    problems.add(
      `${needs} GITHUB_RUN_ATTEMPT, which ${shown(env.GITHUB_RUN_ATTEMPT)} (${elsewhere})`
    )
  if (runId !== undefined && !namesTheRun(runIdValue, runId)) {
    const form = 'gh-${{ github.run_id }}-${{ github.run_attempt }}'
    const why = `so ${INPUT.baseline}: ${BASE_BRANCH} cannot work out the base branch's run id from it: use a form such as ${form}`
    problems.bad(
      INPUT.runId,
      runIdValue,
      `does not hold this run's id (GITHUB_RUN_ID ${runId}), ${why}`
    )
  }
  const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? '').split('/')
  if (!owner || !repo || rest.length > 0) {
    problems.add(
      `${needs} GITHUB_REPOSITORY as owner/name, which ${shown(env.GITHUB_REPOSITORY)} (${elsewhere})`
    )
  }
  const workflowFile = workflowFileOf(env.GITHUB_WORKFLOW_REF ?? '')
  if (!workflowFile) {
    const form = 'owner/repo/.github/workflows/<file>.yml@<ref>'
    problems.add(
      `${needs} the workflow's file from GITHUB_WORKFLOW_REF (${form}), which ${shown(env.GITHUB_WORKFLOW_REF)}`
    )
  }
  const apiUrlText = env.GITHUB_API_URL || DEFAULT_GITHUB_API_URL
  const apiUrl = githubUrl(apiUrlText)
  if (!apiUrl) {
    const why = `since ${INPUT.githubToken} is sent there; it is ${quote(withoutSecrets(apiUrlText))}`
    problems.add(
      `${needs} GITHUB_API_URL to be https (http only to a loopback host), ${why}`
    )
  }
  if (
    !token ||
    runId === undefined ||
    runAttempt === undefined ||
    !owner ||
    !repo ||
    !workflowFile ||
    !apiUrl
  )
    return undefined
  const serverUrl =
    githubUrl(env.GITHUB_SERVER_URL || DEFAULT_GITHUB_SERVER_URL) ?? null
  const event = {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    eventPath: env.GITHUB_EVENT_PATH
  }
  return {
    apiUrl,
    token,
    owner,
    repo,
    workflowFile,
    runId,
    runAttempt,
    serverUrl,
    ...event
  }
}

/**
 * `baseline-run-id` or `baseline: base-branch`, and `baseline-required`. Setting either asks for the
 * comparison: the report shows it and the baseline outputs are set, so the baseline is read whenever one
 * is set (and the run itself was read). A threshold that compares with the baseline needs one of them.
 * A baseline is another eval run, read as this one is: it needs `run-id`.
 */
function parseBaseline(
  raw: RawInputs,
  problems: Problems,
  env: NodeJS.ProcessEnv,
  selection: Selection | undefined,
  thresholds: readonly Threshold[]
): BaselineConfig | null {
  const explicit = raw[INPUT.baselineRunId]
  const mode = raw[INPUT.baseline]
  const required = booleanInput(raw, problems, INPUT.baselineRequired, false)
  const either = `set ${INPUT.baselineRunId}, or ${INPUT.baseline}: ${BASE_BRANCH}`
  if (mode && mode.toLowerCase() !== BASE_BRANCH) {
    problems.bad(
      INPUT.baseline,
      mode,
      `is not ${BASE_BRANCH} (to name the run to compare with, use ${INPUT.baselineRunId})`
    )
  }
  if (!explicit && !mode) {
    if (required)
      problems.add(
        `${INPUT.baselineRequired} asks for a baseline that is not named: ${either}`
      )
    for (const t of thresholds.filter((t) => t.limit.kind === 'baseline')) {
      problems.add(
        `${t.input} ${quote(t.source)} compares with the baseline: ${either}`
      )
    }
    return null
  }
  if (explicit && mode) {
    problems.add(
      `${INPUT.baselineRunId} and ${INPUT.baseline} both name the run to compare with: set one of them`
    )
    return null
  }
  const name = explicit ? INPUT.baselineRunId : INPUT.baseline
  if (!selection) return null
  const runIdValue =
    selection.kind === 'list' ? selection.run?.value : undefined
  if (runIdValue === undefined) {
    problems.add(
      `${name} compares an eval run with another, so it needs ${INPUT.runId}, not ${selectionInput(selection)}`
    )
    return null
  }
  if (explicit) {
    if (explicit.length > MAX_ID_LENGTH)
      problems.bad(
        INPUT.baselineRunId,
        explicit,
        `is longer than ${MAX_ID_LENGTH} characters`
      )
    else if (explicit === runIdValue)
      problems.bad(
        INPUT.baselineRunId,
        explicit,
        `is the run itself (${INPUT.runId})`
      )
    return { source: { kind: 'run-id', value: explicit }, required }
  }
  if (mode.toLowerCase() !== BASE_BRANCH) return null
  const lookup = parseBaseBranch(raw, problems, env, runIdValue)
  return lookup ? { source: { kind: 'base-branch', lookup }, required } : null
}

/** The typed config, or one ConfigError naming every bad input. Pure: `nowMs` anchors `since: 24h`. */
export function parseConfig(
  raw: RawInputs,
  env: NodeJS.ProcessEnv,
  nowMs: number
): Config {
  const problems = new Problems()
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
  const selection = parseSelection(raw, problems, nowMs)
  const reading = parseReading(raw, problems, selection)
  const limits = parseLimits(raw, problems)
  const thresholds = parseThresholds(raw[INPUT.thresholds])
  problems.addAll(thresholds.problems)
  const failOnBreach = booleanInput(raw, problems, INPUT.failOnBreach, true)
  const jobSummary = booleanInput(raw, problems, INPUT.jobSummary, true)
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
  let maxRetries = 3
  if (raw[INPUT.maxRetries]) {
    const n = parseWhole(raw[INPUT.maxRetries])
    if (n === undefined || n > MAX_RETRIES)
      problems.bad(
        INPUT.maxRetries,
        raw[INPUT.maxRetries],
        `is not a whole number from 0 to ${MAX_RETRIES}`
      )
    else maxRetries = n
  }
  let requestBudget = DEFAULT_REQUEST_BUDGET
  let budgetValid = true
  if (raw[INPUT.requestBudget]) {
    const n = parseWhole(raw[INPUT.requestBudget])
    budgetValid = n !== undefined && n >= 1 && n <= MAX_REQUEST_BUDGET
    if (!budgetValid)
      problems.bad(
        INPUT.requestBudget,
        raw[INPUT.requestBudget],
        `is not a whole number from 1 to ${MAX_REQUEST_BUDGET}`
      )
    else requestBudget = n!
  }
  // Each id is one GET of its own at least (more when retried or not written yet): past the budget the
  // gate could only stop half way, after spending the account's rate limit, which locks the user out
  // of the whole API for 5 minutes. The list endpoint reads 50 calls a request.
  if (
    budgetValid &&
    selection?.kind === 'logs' &&
    selection.logIds.length > requestBudget
  ) {
    problems.add(
      `${INPUT.logIds} has ${selection.logIds.length} ids, more than ${INPUT.requestBudget} (${requestBudget}) allows: each id costs at least one request. For many calls use ${INPUT.runId} (the list endpoint reads 50 calls a request), or raise ${INPUT.requestBudget} (at most ${MAX_REQUEST_BUDGET})`
    )
  }
  const comment = parseComment(raw, problems, env)
  const baseline = parseBaseline(
    raw,
    problems,
    env,
    selection,
    thresholds.thresholds
  )

  if (problems.list.length > 0 || !auth || !selection || 'error' in apiUrl)
    throw new ConfigError(problems.list)
  return {
    auth,
    accountId,
    gatewayId,
    apiUrl: apiUrl.url,
    selection,
    reading,
    limits,
    thresholds: thresholds.thresholds,
    failOnBreach,
    jobSummary,
    waitTimeoutMs,
    maxRetries,
    requestTimeoutMs,
    requestBudget,
    comment,
    baseline,
    warnings: problems.warnings
  }
}

/** `job-summary` as far as it can be read when the config could not be: a bad value still writes the summary, which reports it. */
export function wantsSummary(raw: RawInputs): boolean {
  return parseBoolean(raw[INPUT.jobSummary]) ?? true
}
