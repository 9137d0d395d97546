// run(): inputs → config → log detail → checks → report → outputs and summary → comment → only then
// fail the step. The one top-level catch is here: every failure ends as one readable line.
import * as core from './runner.js'
import { evaluate, failuresJson, type Check } from './checks.js'
import { ConfigError, INPUT, parseConfig, SECRET_INPUTS, type Config } from './config.js'
import { fetchLog, GatewayError, realGatewayDeps, type GatewayDeps } from './gateway.js'
import { fieldOutput, LOG_FIELDS, type LogDetail } from './log.js'
import { logForOutputs } from './outputs.js'
import { renderReport, REPORT_TITLE, truncateMarkdown, type Location, type Outcome } from './report.js'

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

/** One readable line for any thrown value, an Error or not (annotations are one line each). */
export function errorMessage(error: unknown): string {
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
  const line = text.split('\n').find((l) => l.trim() !== '') ?? text
  return line.trim().slice(0, 1000)
}

/** Replaces every secret value with *** in text the action writes to files (outputs, summary, comment). */
export function scrubber(secrets: string[]): (text: string) => string {
  const values = secrets.filter((s) => s.length >= 4)
  return (text) => values.reduce((out, secret) => out.split(secret).join('***'), text)
}

function scrubStrings<T extends object>(value: T, scrub: (text: string) => string): T {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? scrub(v) : v])) as T
}

export interface RunDeps {
  env: NodeJS.ProcessEnv
  gateway: GatewayDeps
}

export async function run(deps: RunDeps = { env: process.env, gateway: realGatewayDeps(core.debug) }): Promise<void> {
  const { env } = deps
  // Secrets first: registered before any other line of the action can print them.
  const secrets = [...SECRET_INPUTS.map((name) => core.getInput(name)), env.CLOUDFLARE_API_TOKEN ?? ''].map((s) => s.trim()).filter(Boolean)
  for (const secret of secrets) core.setSecret(secret)
  const scrub = scrubber(secrets)

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
    // Scrubbed before rendering: once escaped for markdown (`_` -> `\_`) a secret would no longer match.
    const log = scrubStrings((await fetchLog(config, deps.gateway)).log, scrub)
    outcome = { kind: 'checked', log, checks: evaluate(log, config.limits), failOnBreach: config.failOnBreach }
  } catch (error) {
    const known = error instanceof ConfigError || error instanceof GatewayError
    if (!known) core.debug(error instanceof Error && error.stack ? error.stack : errorMessage(error))
    // Our own errors are one line by construction and are never cut: an input error names every bad input.
    outcome = { kind: 'error', message: scrub(known ? error.message : `Unexpected error: ${errorMessage(error)}`) }
  }

  const markdown = scrub(renderReport(outcome, scrubStrings(where, scrub)))
  // Everything written from here on is built from scrubbed text: the log, the message, the markdown.
  writeOutputs(outcome, markdown)
  // A job-summary value that did not parse is already an input error; the summary still says so.
  const wantSummary = config ? config.jobSummary : core.getInput(INPUT.jobSummary).trim().toLowerCase() !== 'false'
  if (wantSummary) await writeSummary(markdown, env)

  if (config && config.comment.mode !== 'off') {
    // Loaded only when a comment is to be written: Octokit's start-up is not paid by a plain gate.
    const { postComment } = await import('./comment.js')
    const posted = await postComment({ ...config.comment, markdown, env, timeoutMs: config.requestTimeoutMs, warn: core.warning, info: core.info })
    if (posted) {
      core.setOutput(OUTPUT.commentId, String(posted.id))
      core.setOutput(OUTPUT.commentUrl, posted.url)
    }
  }

  fail(outcome)
}

function writeOutputs(outcome: Outcome, markdown: string): void {
  // Long text fields are cut here, after scrubbing: a secret is matched whole before any cut can split it.
  const log: LogDetail | undefined = outcome.kind === 'checked' ? logForOutputs(outcome.log) : undefined
  const checks: Check[] = outcome.kind === 'checked' ? outcome.checks : []
  const failed = checks.some((c) => !c.passed)
  core.setOutput(OUTPUT.result, outcome.kind === 'error' ? 'error' : failed ? 'fail' : 'pass')
  core.setOutput(OUTPUT.passed, String(outcome.kind === 'checked' && !failed))
  core.setOutput(OUTPUT.failures, failuresJson(checks))
  core.setOutput(OUTPUT.log, log ? JSON.stringify(log) : '')
  for (const field of LOG_FIELDS) core.setOutput(field.output, fieldOutput(log, field.name))
  core.setOutput(OUTPUT.markdown, markdown)
}

/**
 * The backstop for a run that never finished: the event loop emptied (or the process is exiting) while
 * run() was still waiting on something that can never happen. Node would exit 0 with nothing written,
 * a silent pass; instead the outputs say error and the step fails with one line that says why.
 */
export function failUnfinishedRun(): void {
  core.setOutput(OUTPUT.result, 'error')
  core.setOutput(OUTPUT.passed, 'false')
  core.setFailed(
    `${REPORT_TITLE}: the action was about to exit before it finished (it was left waiting for something that never came), so the gate did not pass. Re-run the job; with debug logging on, the last lines show where it stopped.`
  )
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
