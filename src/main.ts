// run(): inputs → config → the selection measured by its source → verdict → report → outputs and
// summary → comment → only then fail the step. The one top-level catch is here: every failure ends as
// one readable line, and the outputs and the summary are written whatever happened.
import * as core from '@actions/core'
import {
  BudgetSpentError,
  QUERY_BUDGET,
  RequestBudget
} from './cloudflare/budget.js'
import { AnalyticsError } from './cloudflare/graphql.js'
import { CollectError } from './cloudflare/collect.js'
import {
  GatewayError,
  realGatewayDeps,
  type GatewayDeps
} from './cloudflare/gateway.js'
import type { LogSummary } from './cloudflare/log.js'
import { judge, resultOf, type Outcome } from './gate/verdict.js'
import { parseConfig, wantsSummary, type Config } from './inputs/config.js'
import {
  INPUT,
  readInputs,
  SECRET_INPUTS,
  type RawInputs
} from './inputs/names.js'
import { readRunLinks } from './github/context.js'
import { renderComment } from './report/comment.js'
import { renderReport, REPORT_TITLE, type Location } from './report/markdown.js'
import { OUTPUT, outputsOf } from './report/outputs.js'
import {
  readBaseline,
  type Baseline,
  type RunBaselineConfig
} from './sources/baseline.js'
import {
  measureSelection,
  readPreviousWindow,
  type MeasureDeps
} from './sources/measure.js'
import { describeSelection } from './sources/logs.js'
import { inline, jsonText, showInvisible } from './text/escape.js'
import { truncateMarkdown } from './text/markdown.js'
import { NO_SECRETS, scrubber } from './text/secrets.js'
import { ConfigError } from './inputs/problems.js'

export { scrubber } from './text/secrets.js'

/** GitHub rejects a step summary over 1 MiB; stay well under it. */
const MAX_SUMMARY_CHARS = 512 * 1024
/** The longest error text of an unexpected error shown in the annotation. */
const MAX_ERROR_CHARS = 1000
/**
 * Annotations printed per kind (failed checks, warnings): GitHub shows only 10 error and 10 warning
 * annotations per step, and thousands of them flood the log. The rest are counted in one more line;
 * all of them are in the report and the `failures` and `warnings` outputs.
 */
export const MAX_ANNOTATIONS_PER_KIND = 5

/**
 * One readable line for any thrown value, an Error or not (annotations are one line each): `scrub`
 * is applied to the whole text first, then the first line is taken and cut, with invisible characters shown.
 */
export function errorMessage(
  error: unknown,
  scrub: (text: string) => string = NO_SECRETS
): string {
  let text: string
  if (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string'
  ) {
    text = (error as { message: string }).message
  } else {
    try {
      text = String(error)
    } catch {
      text = 'an error that cannot be printed'
    }
  }
  const scrubbed = scrub(text)
  const line = scrubbed.split('\n').find((l) => l.trim() !== '') ?? scrubbed
  return inline(line.trim(), MAX_ERROR_CHARS)
}

/** The secret values the action knows (CLOUDFLARE_API_TOKEN included, through api-token's fallback). */
export function actionSecrets(raw: RawInputs): string[] {
  return SECRET_INPUTS.map((name) => raw[name]).filter(Boolean)
}

function scrubStrings<T extends object>(
  value: T,
  scrub: (text: string) => string
): T {
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      typeof v === 'string' ? scrub(v) : v
    ])
  ) as T
}

/**
 * metadata is JSON text, and JSON can spell a secret with escapes (`\u0074oken`) that no scrub of the
 * text finds but the report decodes. When the decoded text holds a secret, metadata becomes that
 * decoded text, scrubbed.
 */
export function scrubMetadata(
  metadata: string,
  scrub: (text: string) => string
): string {
  const scrubbed = scrub(metadata)
  let decoded: string | undefined
  try {
    decoded = jsonText(JSON.parse(scrubbed))
  } catch {
    return scrubbed
  }
  if (decoded === undefined) return scrubbed
  const clean = scrub(decoded)
  return clean === decoded ? scrubbed : clean
}

/** Every text field of a log scrubbed, metadata in the form the report shows it too. */
function scrubLog<T extends LogSummary>(
  log: T,
  scrub: (text: string) => string
): T {
  const scrubbed = scrubStrings(log, scrub)
  return scrubbed.metadata === undefined
    ? scrubbed
    : { ...scrubbed, metadata: scrubMetadata(scrubbed.metadata, scrub) }
}

type CommentModule = Pick<typeof import('./github/comment.js'), 'postComment'>

/** Loaded only when a comment is to be written: Octokit's start-up is not paid by a plain gate. */
const loadCommentModule = async (): Promise<CommentModule> => {
  const { postComment } = await import('./github/comment.js')
  return { postComment }
}

export interface RunDeps {
  env: NodeJS.ProcessEnv
  gateway: GatewayDeps
  now: () => number
  /** Loads the comment step; replaced in tests (a load that fails, a fake GitHub API). */
  loadComment?: () => Promise<CommentModule>
}

const defaultDeps = (): RunDeps => ({
  env: process.env,
  gateway: realGatewayDeps(core.debug),
  now: Date.now
})

export async function run(deps: RunDeps = defaultDeps()): Promise<void> {
  const { env } = deps
  const raw = readInputs(core.getInput, env)
  // Secrets first: registered before any other line of the action can print them.
  const secrets = actionSecrets(raw)
  for (const secret of secrets) core.setSecret(secret)
  const scrub = scrubber(secrets)
  // The client scrubs the API's text before it cuts it; its debug lines are scrubbed once more on the way out.
  const gateway: GatewayDeps = {
    ...deps.gateway,
    secrets,
    debug: (message) => deps.gateway.debug(scrub(message))
  }

  let config: Config | undefined
  let outcome: Outcome
  const where: Partial<Location> = {
    accountId: raw[INPUT.accountId],
    gatewayId: raw[INPUT.gatewayId],
    logId: raw[INPUT.logId]
  }
  try {
    const startedMs = deps.now()
    config = parseConfig(raw, env, startedMs)
    outcome = await measureAndJudge(config, gateway, startedMs, scrub, where)
  } catch (error) {
    outcome = errorOutcome(error, config, scrub)
  }

  const scrubbedWhere = scrubStrings(where, scrub)
  const markdown = scrub(renderReport(outcome, scrubbedWhere))
  // Everything written from here on is built from scrubbed text: the logs, the message, the markdown.
  for (const [name, value] of outputsOf(outcome, markdown))
    core.setOutput(name, value)
  // A job-summary value that did not parse is already an input error; the summary still says so.
  if (config ? config.jobSummary : wantsSummary(raw))
    await writeSummary(markdown, env)

  // The comment is its own, shorter rendering, with the run's links and without the account id.
  if (config && config.comment.mode !== 'off')
    await comment(
      config,
      outcome,
      scrub(
        renderComment(outcome, {
          where: scrubbedWhere,
          links: readRunLinks(env)
        })
      ),
      env,
      scrub,
      deps.loadComment ?? loadCommentModule
    )

  if (outcome.kind === 'checked' && outcome.baseline)
    reportBaseline(outcome.baseline, outcome.verdicts)

  fail(outcome)
}

/**
 * The selection measured and judged: the run (or one call), then its baseline when one is asked for.
 * `where` learns the selection's description as soon as it is known, so that an error still names it.
 */
async function measureAndJudge(
  config: Config,
  gateway: GatewayDeps,
  startedMs: number,
  scrub: (text: string) => string,
  where: Partial<Location>
): Promise<Outcome> {
  // Before any request: an input that is ignored is said while the run is still to come.
  for (const warning of config.warnings)
    core.warning(warning, { title: `${REPORT_TITLE} (inputs)` })
  where.selection = describeSelection(config.selection)
  // One budget for every Cloudflare request of the gate: the run, its baseline, the logging-state
  // question; and one for its GraphQL Analytics queries, which Cloudflare counts apart.
  const reads: MeasureDeps = {
    gateway: { ...gateway, budget: new RequestBudget(config.requestBudget) },
    queries: new RequestBudget(config.source.queryBudget, QUERY_BUDGET),
    // Every row scrubbed before it is measured or rendered: once escaped for markdown (`_` -> `\_`) or
    // cut, a secret would no longer match.
    prepare: (row) => scrubLog(row, scrub),
    startedMs
  }
  const read = await measureSelection(config, reads)
  // Analytics says what it selected in its own words (a run id matched by value, the window it covered).
  if (read.measured.source === 'analytics' && read.measured.describe)
    where.selection = read.measured.describe
  if (read.measured.why)
    core.info(`Measured by GraphQL Analytics: ${read.measured.why}`)
  // Read only when asked for (a baseline input is set), and only once the run itself could be read.
  const baseline = !config.baseline
    ? undefined
    : config.baseline.source.kind === 'previous-window'
      ? await readPreviousWindow(config, read, reads)
      : await baselineOf(
          config,
          { ...config.baseline, source: config.baseline.source },
          reads.gateway,
          scrub
        )
  return baseline?.kind === 'missing' && config.baseline?.required
    ? {
        kind: 'error',
        message: `No baseline to compare with: ${baseline.reason} (${INPUT.baselineRequired} is true)`
      }
    : judge(read.measured, config, baseline)
}

/** An error as the outcome: ours are shown as they are, anything else as unexpected (its stack in debug). */
function errorOutcome(
  error: unknown,
  config: Config | undefined,
  scrub: (text: string) => string
): Outcome {
  const known =
    error instanceof ConfigError ||
    error instanceof GatewayError ||
    error instanceof CollectError ||
    error instanceof AnalyticsError ||
    error instanceof BudgetSpentError
  // The stack spans lines, which the debug command keeps inside its own line; the message in it may quote the API.
  if (!known)
    core.debug(
      showInvisible(
        error instanceof Error && error.stack
          ? scrub(error.stack)
          : errorMessage(error, scrub)
      )
    )
  // Our own errors are one line by construction and are never cut: an input error names every bad input.
  return {
    kind: 'error',
    message: known
      ? scrub(error.message)
      : `Unexpected error: ${errorMessage(error, scrub)}`,
    // A read that could not be shown whole is no verdict; report mode says so without failing the step.
    ...(config && !config.failOnBreach && isIncompleteRead(error)
      ? { reportOnly: true }
      : {})
  }
}

/** The baseline read, with secrets scrubbed from its rows and from the reason there is none. */
async function baselineOf(
  config: Config,
  baseline: RunBaselineConfig,
  gateway: GatewayDeps,
  scrub: (text: string) => string
): Promise<Baseline> {
  const read = await readBaseline(config, baseline, gateway, scrub, (row) =>
    scrubLog(row, scrub)
  )
  return read.kind === 'missing'
    ? { ...read, reason: scrub(read.reason) }
    : read
}

/**
 * One line about the baseline: what the run was compared with, or a warning that there is none. A
 * threshold skipped for want of a baseline is a warning of its own that says why, so then no more is said.
 */
function reportBaseline(
  baseline: Baseline,
  verdicts: readonly { skipped?: string }[]
): void {
  if (baseline.kind === 'found') {
    core.info(
      `Compared with the baseline: ${baseline.describe}, ${baseline.metrics.count} call${baseline.metrics.count === 1 ? '' : 's'}`
    )
  } else if (!verdicts.some((v) => v.skipped !== undefined)) {
    core.warning(`No baseline to compare with: ${baseline.reason}`, {
      title: `${REPORT_TITLE} (baseline)`
    })
  }
}

/** The PR comment, best effort: whatever goes wrong, loading the module included, is one warning. */
async function comment(
  config: Config,
  outcome: Outcome,
  markdown: string,
  env: NodeJS.ProcessEnv,
  scrub: (text: string) => string,
  load: () => Promise<CommentModule>
): Promise<void> {
  // Titled like every other annotation of the action, so a comment problem reads as this step's.
  const warn = (message: string): void =>
    core.warning(message, { title: `${REPORT_TITLE} (PR comment)` })
  let postComment: CommentModule['postComment']
  try {
    ;({ postComment } = await load())
  } catch (error) {
    warn(
      `Could not write the PR comment (${errorMessage(error, scrub)}). The gate's result stands.`
    )
    return
  }
  const result = resultOf(outcome)
  const timeoutMs = config.requestTimeoutMs
  const posted = await postComment({
    ...config.comment,
    result,
    markdown,
    env,
    timeoutMs,
    warn,
    info: core.info,
    scrub
  })
  if (posted) {
    core.setOutput(OUTPUT.commentId, String(posted.id))
    core.setOutput(OUTPUT.commentUrl, posted.url)
  }
}

async function writeSummary(
  markdown: string,
  env: NodeJS.ProcessEnv
): Promise<void> {
  if (!env.GITHUB_STEP_SUMMARY) {
    core.info(
      'GITHUB_STEP_SUMMARY is not set (not running on a GitHub runner?): the job summary is skipped.'
    )
    return
  }
  try {
    const body = truncateMarkdown(
      markdown,
      MAX_SUMMARY_CHARS,
      'The report was shortened to fit the job summary.'
    )
    await core.summary.addRaw(body, true).write()
  } catch (error) {
    core.warning(`Could not write the job summary: ${errorMessage(error)}`, {
      title: REPORT_TITLE
    })
  }
}

/** The errors that mean the calls could not all be read (as opposed to a bad input or a refused request). */
function isIncompleteRead(error: unknown): boolean {
  return (
    error instanceof BudgetSpentError ||
    (error instanceof CollectError &&
      (error.kind === 'incomplete' || error.kind === 'invalid')) ||
    (error instanceof AnalyticsError &&
      (error.kind === 'budget' || error.kind === 'invalid-answer'))
  )
}

/**
 * The first MAX_ANNOTATIONS_PER_KIND messages, each through `annotate`, then one line through it that
 * counts the rest (`… and 13995 more failed checks: see the job summary or the failures output`).
 */
function annotateSome(
  messages: readonly string[],
  what: string,
  output: string,
  annotate: (message: string) => void
): void {
  for (const message of messages.slice(0, MAX_ANNOTATIONS_PER_KIND))
    annotate(message)
  const rest = messages.length - MAX_ANNOTATIONS_PER_KIND
  if (rest > 0)
    annotate(
      `… and ${rest} more ${what}, not annotated: the job summary and the ${output} output list them`
    )
}

function fail(outcome: Outcome): void {
  if (outcome.kind === 'error' && outcome.reportOnly) {
    core.warning(outcome.message, {
      title: `${REPORT_TITLE} (fail-on-breach is false)`
    })
    return
  }
  if (outcome.kind === 'error') {
    core.error(outcome.message, { title: `${REPORT_TITLE}: error` })
    process.exitCode = 1
    return
  }
  // Warnings never fail the job, whatever fail-on-breach says.
  const warned = outcome.verdicts
    .filter((v) => !v.passed && v.level === 'warn')
    .map((v) => v.message)
  annotateSome(warned, 'warnings', OUTPUT.warnings, (message) =>
    core.warning(message, { title: `${REPORT_TITLE} (warning)` })
  )
  const failed = outcome.verdicts.filter(
    (v) => !v.passed && v.level === 'error'
  )
  if (failed.length === 0) {
    const checked = outcome.verdicts
      .filter((v) => v.level === 'error')
      .map((v) => v.message)
    core.info(
      `${REPORT_TITLE} passed: ${checked.join('; ') || 'no limits set'}`
    )
    return
  }
  // One annotation per failed check, up to a handful; setFailed would add one more, so the exit code is set directly.
  annotateSome(
    failed.map((v) => v.message),
    'failed checks',
    OUTPUT.failures,
    (message) => {
      if (outcome.failOnBreach) core.error(message, { title: REPORT_TITLE })
      else
        core.warning(message, {
          title: `${REPORT_TITLE} (fail-on-breach is false)`
        })
    }
  )
  if (outcome.failOnBreach) process.exitCode = 1
}
