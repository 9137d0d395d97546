// The action's inputs, parsed into a typed config: one module per group of inputs (connection,
// selection, reading, limits, thresholds, comment, baseline), assembled here. Every bad input is
// reported together in one ConfigError naming each input and its value (never a secret's value),
// before any request is made; an input that does not apply to the mode is a warning.
import { parseBaseline, type BaselineConfig } from './baseline.js'
import { parseComment, type CommentConfig } from './comment.js'
import { parseConnection, MAX_REQUEST_BUDGET, type Auth } from './connection.js'
import { parseLimits, type Limits } from './limits.js'
import { INPUT, type RawInputs } from './names.js'
import {
  booleanInput,
  ConfigError,
  parseBoolean,
  Problems
} from './problems.js'
import { parseReading, type Reading } from './reading.js'
import { parseSelection, type Selection } from './selection.js'
import { type Threshold } from './threshold-terms.js'
import { parseThresholds } from './thresholds.js'
import { parseSource, type SourceConfig } from './source.js'

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
  /** Which source measures (`source`), and what only GraphQL Analytics reads (`trend`, `query-budget`). */
  source: SourceConfig
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

/**
 * Each id of `log-ids` is one GET of its own at least (more when retried or not written yet): past the
 * budget the gate could only stop half way, after spending the account's rate limit, which locks the
 * user out of the whole API for 5 minutes. The list endpoint reads 50 calls a request.
 */
function checkLogIdsBudget(
  problems: Problems,
  selection: Selection | undefined,
  requestBudget: number
): void {
  if (selection?.kind !== 'logs' || selection.logIds.length <= requestBudget)
    return
  problems.add(
    `${INPUT.logIds} has ${selection.logIds.length} ids, more than ${INPUT.requestBudget} (${requestBudget}) allows: each id costs at least one request. For many calls use ${INPUT.runId} (the list endpoint reads 50 calls a request), or raise ${INPUT.requestBudget} (at most ${MAX_REQUEST_BUDGET})`
  )
}

/** The typed config, or one ConfigError naming every bad input. Pure: `nowMs` anchors `since: 24h`. */
export function parseConfig(
  raw: RawInputs,
  env: NodeJS.ProcessEnv,
  nowMs: number
): Config {
  const problems = new Problems()
  const { auth, apiUrl, budgetValid, ...connection } = parseConnection(
    raw,
    problems,
    env
  )
  const selection = parseSelection(raw, problems, nowMs)
  const reading = parseReading(raw, problems, selection)
  const source = parseSource(raw, problems, selection, nowMs)
  const limits = parseLimits(raw, problems)
  const thresholds = parseThresholds(raw[INPUT.thresholds])
  problems.addAll(thresholds.problems)
  const failOnBreach = booleanInput(raw, problems, INPUT.failOnBreach, true)
  const jobSummary = booleanInput(raw, problems, INPUT.jobSummary, true)
  if (budgetValid)
    checkLogIdsBudget(problems, selection, connection.requestBudget)
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
    ...connection,
    apiUrl: apiUrl.url,
    selection,
    reading,
    source,
    limits,
    thresholds: thresholds.thresholds,
    failOnBreach,
    jobSummary,
    comment,
    baseline,
    warnings: problems.warnings
  }
}

/** `job-summary` as far as it can be read when the config could not be: a bad value still writes the summary, which reports it. */
export function wantsSummary(raw: RawInputs): boolean {
  return parseBoolean(raw[INPUT.jobSummary]) ?? true
}
