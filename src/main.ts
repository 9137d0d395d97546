// run(): inputs → config → log detail → checks → report → outputs and summary → comment → only then
// fail the step. The one top-level catch is here: every failure ends as one readable line.
import * as core from '@actions/core'
import { evaluate, failuresJson, type Check } from './checks.js'
import { ConfigError, INPUT, parseConfig, SECRET_INPUTS, type Config } from './config.js'
import { fetchLog, GatewayError, realGatewayDeps, type GatewayDeps } from './gateway.js'
import { inline, jsonText, showInvisible } from './escape.js'
import { fieldOutput, LOG_FIELDS, type LogDetail } from './log.js'
import { renderReport, REPORT_TITLE, truncateMarkdown, type Location, type Outcome } from './report.js'
import { NO_SECRETS, scrubber } from './secrets.js'

export { scrubber } from './secrets.js'

/** Output names: the contract with users (action.yml) and with the tests. */
export const OUTPUT = {
  result: 'result',
  passed: 'passed',
  failures: 'failures',
  log: 'log',
  markdown: 'markdown',
  commentId: 'comment-id',
  commentUrl: 'comment-url'
} as const

/** GitHub rejects a step summary over 1 MiB; stay well under it. */
const MAX_SUMMARY_CHARS = 512 * 1024

/** The longest error text of an unexpected error shown in the annotation. */
const MAX_ERROR_CHARS = 1000

/**
 * One readable line for any thrown value, an Error or not (annotations are one line each): `scrub`
 * is applied to the whole text first, then the first line is taken and cut, with invisible characters shown.
 */
export function errorMessage(error: unknown, scrub: (text: string) => string = NO_SECRETS): string {
  let text: string
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
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

/** The secret values the action knows: the secret inputs and CLOUDFLARE_API_TOKEN, registered before anything is printed. */
export function actionSecrets(env: NodeJS.ProcessEnv): string[] {
  return [...SECRET_INPUTS.map((name) => core.getInput(name)), env.CLOUDFLARE_API_TOKEN ?? ''].map((s) => s.trim()).filter(Boolean)
}

function scrubStrings<T extends object>(value: T, scrub: (text: string) => string): T {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? scrub(v) : v])) as T
}

/**
 * metadata is JSON text, and JSON can spell a secret with escapes (`\u0074oken`) that no scrub of the
 * text finds but the report decodes. When the decoded text holds a secret, metadata becomes that
 * decoded text, scrubbed.
 */
export function scrubMetadata(metadata: string, scrub: (text: string) => string): string {
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

/** Every text field of the log scrubbed, metadata in the form the report shows it too. */
function scrubLog(log: LogDetail, scrub: (text: string) => string): LogDetail {
  const scrubbed = scrubStrings(log, scrub)
  return scrubbed.metadata === undefined ? scrubbed : { ...scrubbed, metadata: scrubMetadata(scrubbed.metadata, scrub) }
}

export interface RunDeps {
  env: NodeJS.ProcessEnv
  gateway: GatewayDeps
}

export async function run(deps: RunDeps = { env: process.env, gateway: realGatewayDeps(core.debug) }): Promise<void> {
  const { env } = deps
  // Secrets first: registered before any other line of the action can print them.
  const secrets = actionSecrets(env)
  for (const secret of secrets) core.setSecret(secret)
  const scrub = scrubber(secrets)
  // The client scrubs the API's text before it cuts it; its debug lines are scrubbed once more on the way out.
  const gateway: GatewayDeps = { ...deps.gateway, secrets, debug: (message) => deps.gateway.debug(scrub(message)) }

  let config: Config | undefined
  let outcome: Outcome
  const where: Partial<Location> = {
    accountId: core.getInput(INPUT.accountId) || env.CLOUDFLARE_ACCOUNT_ID,
    gatewayId: core.getInput(INPUT.gatewayId),
    logId: core.getInput(INPUT.logId)
  }
  try {
    config = parseConfig((name) => core.getInput(name), env)
    Object.assign(where, { accountId: config.accountId, gatewayId: config.gatewayId, logId: config.logId })
    // Scrubbed before rendering: once escaped for markdown (`_` -> `\_`) or cut, a secret would no longer match.
    const log = scrubLog((await fetchLog(config, gateway)).log, scrub)
    outcome = { kind: 'checked', log, checks: evaluate(log, config.limits), failOnBreach: config.failOnBreach }
  } catch (error) {
    const known = error instanceof ConfigError || error instanceof GatewayError
    // The stack spans lines, which the debug command keeps inside its own line; the message in it may quote the API.
    if (!known) core.debug(showInvisible(error instanceof Error && error.stack ? scrub(error.stack) : errorMessage(error, scrub)))
    // Our own errors are one line by construction and are never cut: an input error names every bad input.
    outcome = { kind: 'error', message: known ? scrub(error.message) : `Unexpected error: ${errorMessage(error, scrub)}` }
  }

  const markdown = scrub(renderReport(outcome, scrubStrings(where, scrub)))
  // Everything written from here on is built from scrubbed text: the log, the message, the markdown.
  writeOutputs(outcome, markdown)
  // A job-summary value that did not parse is already an input error; the summary still says so.
  const wantSummary = config ? config.jobSummary : core.getInput(INPUT.jobSummary).trim().toLowerCase() !== 'false'
  if (wantSummary) await writeSummary(markdown, env)

  if (config && config.comment.mode !== 'off') await comment(config, outcome, markdown, env, scrub)

  fail(outcome)
}

/** The `result` output: pass, fail (a limit was breached) or error. */
export function resultOf(outcome: Outcome): 'pass' | 'fail' | 'error' {
  if (outcome.kind === 'error') return 'error'
  return outcome.checks.some((c) => !c.passed) ? 'fail' : 'pass'
}

/** The PR comment, best effort: whatever goes wrong, loading the module included, is one warning. */
async function comment(config: Config, outcome: Outcome, markdown: string, env: NodeJS.ProcessEnv, scrub: (text: string) => string): Promise<void> {
  let postComment: (typeof import('./comment.js'))['postComment']
  try {
    // Loaded only when a comment is to be written: Octokit's start-up is not paid by a plain gate.
    ;({ postComment } = await import('./comment.js'))
  } catch (error) {
    core.warning(`Could not write the PR comment (${inline(errorMessage(error))}). The gate's result stands.`)
    return
  }
  const result = resultOf(outcome)
  const timeoutMs = config.requestTimeoutMs
  const posted = await postComment({ ...config.comment, result, markdown, env, timeoutMs, warn: core.warning, info: core.info, scrub })
  if (posted) {
    core.setOutput(OUTPUT.commentId, String(posted.id))
    core.setOutput(OUTPUT.commentUrl, posted.url)
  }
}

function writeOutputs(outcome: Outcome, markdown: string): void {
  const log: LogDetail | undefined = outcome.kind === 'checked' ? outcome.log : undefined
  const checks: Check[] = outcome.kind === 'checked' ? outcome.checks : []
  const result = resultOf(outcome)
  core.setOutput(OUTPUT.result, result)
  core.setOutput(OUTPUT.passed, String(result === 'pass'))
  core.setOutput(OUTPUT.failures, failuresJson(checks))
  core.setOutput(OUTPUT.log, log ? JSON.stringify(log) : '')
  for (const field of LOG_FIELDS) core.setOutput(field.output, fieldOutput(log, field.name))
  core.setOutput(OUTPUT.markdown, markdown)
}

async function writeSummary(markdown: string, env: NodeJS.ProcessEnv): Promise<void> {
  if (!env.GITHUB_STEP_SUMMARY) {
    core.info('GITHUB_STEP_SUMMARY is not set (not running on a GitHub runner?): the job summary is skipped.')
    return
  }
  try {
    const body = truncateMarkdown(markdown, MAX_SUMMARY_CHARS, 'The report was shortened to fit the job summary.')
    await core.summary.addRaw(body, true).write()
  } catch (error) {
    core.warning(`Could not write the job summary: ${errorMessage(error)}`)
  }
}

function fail(outcome: Outcome): void {
  if (outcome.kind === 'error') {
    core.setFailed(outcome.message)
    return
  }
  const failed = outcome.checks.filter((c) => !c.passed)
  if (failed.length === 0) {
    core.info(`${REPORT_TITLE} passed: ${outcome.checks.map((c) => c.message).join('; ') || 'no limits set'}`)
    return
  }
  // One annotation per failed check; setFailed would add one more, so the exit code is set directly.
  for (const check of failed) {
    if (outcome.failOnBreach) core.error(check.message, { title: REPORT_TITLE })
    else core.warning(check.message, { title: `${REPORT_TITLE} (fail-on-breach is false)` })
  }
  if (outcome.failOnBreach) process.exitCode = core.ExitCode.Failure
}
