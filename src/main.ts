// run(): inputs → config → the calls selected → verdict → report → outputs and summary → comment →
// only then fail the step. The one top-level catch is here: every failure ends as one readable line,
// and the outputs and the summary are written whatever happened.
import * as core from '@actions/core'
import type { Baseline, BaselineConfig } from './baseline.js'
import { readBaseline } from './baseline-read.js'
import { collect, CollectError, PAGES_AT_ONCE } from './collect.js'
import {
  ConfigError,
  parseConfig,
  wantsSummary,
  type Config,
  type Selection
} from './config.js'
import { inline, jsonText, showInvisible } from './escape.js'
import {
  askLoggingPlatform,
  listPages,
  fetchLog,
  GatewayError,
  realGatewayDeps,
  WORKERS_OBSERVABILITY_HINT,
  type GatewayDeps
} from './gateway.js'
import { INPUT, readInputs, SECRET_INPUTS, type RawInputs } from './inputs.js'
import type { LogDetail } from './log.js'
import type { LogSummary } from './metrics.js'
import { OUTPUT, outputsOf } from './outputs.js'
import {
  renderReport,
  REPORT_TITLE,
  truncateMarkdown,
  type Location
} from './report.js'
import { NO_SECRETS, scrubber } from './secrets.js'
import {
  describeList,
  inWindow,
  matchesRun,
  MAX_PER_PAGE
} from './selection.js'
import { judge, resultOf, type Outcome, type Selected } from './verdict.js'

export { scrubber } from './secrets.js'

/** GitHub rejects a step summary over 1 MiB; stay well under it. */
const MAX_SUMMARY_CHARS = 512 * 1024
/** The longest error text of an unexpected error shown in the annotation. */
const MAX_ERROR_CHARS = 1000
/** Log details (`log-ids`) read at once: a few, so a run of calls does not trip the API's rate limit. */
const LOG_DETAILS_AT_ONCE = 4
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

/** `fn` over `items`, at most `limit` at a time, results in the items' order. */
async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      results[i] = await fn(items[i]!)
    }
  }
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker)
  )
  return results
}

/** A selection of many calls in words, for the report and the errors; undefined for one log. */
function describeSelection(selection: Selection): string | undefined {
  if (selection.kind === 'list')
    return describeList(selection.run, selection.window, selection.filters)
  if (selection.kind === 'logs')
    return `${selection.logIds.length} call${selection.logIds.length === 1 ? '' : 's'} (${INPUT.logIds})`
  return undefined
}

/** The selection's calls, read as its mode needs. */
async function readSelection(
  config: Config,
  selection: Selection,
  deps: GatewayDeps
): Promise<Selected> {
  const describe = describeSelection(selection) ?? ''
  switch (selection.kind) {
    case 'log':
      return {
        kind: 'log',
        log: (await fetchLog({ ...config, logId: selection.logId }, deps)).log
      }
    case 'logs': {
      const logs = await mapLimit(
        selection.logIds,
        LOG_DETAILS_AT_ONCE,
        async (logId) => (await fetchLog({ ...config, logId }, deps)).log
      )
      return { kind: 'many', logs, describe }
    }
    case 'list': {
      const { run, filters } = selection
      // A window without `until` ends when the read starts, fixed: "the last 24 hours" of this step.
      // Left open, calls made while it reads would join it, and a busy gateway would never settle.
      const window = selection.window && {
        ...selection.window,
        untilMs: selection.window.untilMs ?? deps.now()
      }
      const keep = (row: LogSummary): boolean =>
        (!run || matchesRun(row, run.key, run.value)) &&
        (!window || inWindow(row, window))
      const readPage = listPages(
        config,
        { run, filters, sinceMs: window?.sinceMs ?? null },
        deps
      )
      const options = {
        ...config.reading,
        perPage: MAX_PER_PAGE,
        waitTimeoutMs: config.waitTimeoutMs,
        concurrency: PAGES_AT_ONCE,
        describe
      }
      try {
        const collected = await collect(
          readPage,
          keep,
          { ...options, untilMs: window?.untilMs ?? undefined },
          deps
        )
        return { kind: 'many', logs: collected.rows, describe }
      } catch (error) {
        if (error instanceof CollectError && error.kind === 'empty')
          throw await emptySelection(config, error, run !== null, deps)
        throw error
      }
    }
  }
}

/** An empty selection is suspicious, never a pass: say what usually causes it, and ask where the account keeps its logs. */
async function emptySelection(
  config: Config,
  error: CollectError,
  byRun: boolean,
  deps: GatewayDeps
): Promise<CollectError> {
  const where = ` in gateway ${JSON.stringify(config.gatewayId)} of account ${JSON.stringify(config.accountId)}`
  const waited =
    config.waitTimeoutMs > 0
      ? ` after waiting ${Math.round(config.waitTimeoutMs / 1000)} s`
      : ''
  const platform = await askLoggingPlatform(config, deps)
  const causes =
    platform === 'workers-observability'
      ? WORKERS_OBSERVABILITY_HINT
      : byRun
        ? "Likely causes: the eval's calls did not send the cf-aig-metadata header with this run id and key, they went through another gateway, or logging is off for the gateway. Set expected-logs: 0 if an empty run is fine."
        : 'Likely causes: a wrong gateway-id, no traffic in the window, or logging turned off for the gateway. Set expected-logs: 0 if an empty window is fine.'
  return new CollectError(
    'empty',
    `${error.message}${where}${waited}. ${causes}`
  )
}

type CommentModule = Pick<typeof import('./comment.js'), 'postComment'>

/** Loaded only when a comment is to be written: Octokit's start-up is not paid by a plain gate. */
const loadCommentModule = async (): Promise<CommentModule> => {
  const { postComment } = await import('./comment.js')
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
    config = parseConfig(raw, env, deps.now())
    // Before any request: an input that is ignored is said while the run is still to come.
    for (const warning of config.warnings)
      core.warning(warning, { title: `${REPORT_TITLE} (inputs)` })
    where.selection = describeSelection(config.selection)
    const read = await readSelection(config, config.selection, gateway)
    // Scrubbed before rendering: once escaped for markdown (`_` -> `\_`) or cut, a secret would no longer match.
    const selected: Selected =
      read.kind === 'log'
        ? { kind: 'log', log: scrubLog<LogDetail>(read.log, scrub) }
        : { ...read, logs: read.logs.map((log) => scrubLog(log, scrub)) }
    // Read only when asked for (a baseline input is set), and only once the run itself could be read.
    const baseline = config.baseline
      ? await baselineOf(config, config.baseline, gateway, scrub)
      : undefined
    outcome =
      baseline?.kind === 'missing' && config.baseline?.required
        ? {
            kind: 'error',
            message: `No baseline to compare with: ${baseline.reason} (${INPUT.baselineRequired} is true)`
          }
        : judge(selected, config, baseline)
  } catch (error) {
    const known =
      error instanceof ConfigError ||
      error instanceof GatewayError ||
      error instanceof CollectError
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
    outcome = {
      kind: 'error',
      message: known
        ? scrub(error.message)
        : `Unexpected error: ${errorMessage(error, scrub)}`
    }
  }

  const markdown = scrub(renderReport(outcome, scrubStrings(where, scrub)))
  // Everything written from here on is built from scrubbed text: the logs, the message, the markdown.
  for (const [name, value] of outputsOf(outcome, markdown))
    core.setOutput(name, value)
  // A job-summary value that did not parse is already an input error; the summary still says so.
  if (config ? config.jobSummary : wantsSummary(raw))
    await writeSummary(markdown, env)

  if (config && config.comment.mode !== 'off')
    await comment(
      config,
      outcome,
      markdown,
      env,
      scrub,
      deps.loadComment ?? loadCommentModule
    )

  if (outcome.kind === 'checked' && outcome.baseline)
    reportBaseline(outcome.baseline, outcome.verdicts)

  fail(outcome)
}

/** The baseline read, with secrets scrubbed from its rows and from the reason there is none. */
async function baselineOf(
  config: Config,
  baseline: BaselineConfig,
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
