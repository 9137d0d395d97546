// Pure: the PR comment, read in five seconds. A verdict first (the result, how many checks failed, the
// change in cost against the baseline), then what failed or warned, one line each, then one table of
// the calls per model that fits a pull request's column; every other detail folded in <details>, and
// a link to the workflow run whose job summary has the whole report. The Cloudflare account id is never
// written here: a pull request is read by more people than the job's logs.
import type { RunLinks } from '../github/context.js'
import type { Outcome } from '../gate/verdict.js'
import {
  callLine,
  callTable,
  checksTable,
  escapeText,
  headline,
  linkTarget,
  locationParts,
  metadataSection,
  modelTable,
  problems,
  runSections,
  baselineLine,
  trendOf,
  type Checked,
  type Location
} from './markdown.js'
import { isSampled, sourceLine, windowSentence } from './provenance.js'
import { dailyTrend } from './trend.js'

/** What the comment says about where it comes from: the calls' location and the run's links. */
export interface CommentContext {
  where: Partial<Location>
  links: RunLinks
}

/** Failed or warned checks listed above the fold; the rest are in the details. */
export const MAX_COMMENT_PROBLEMS = 5
/** Models in the comment's table; the rest are in the job summary. */
export const MAX_COMMENT_MODELS = 10

/** `<details>` with a one-line summary; blank lines around the body so GitHub reads it as markdown. */
function details(summary: string, sections: readonly string[]): string {
  return `<details><summary>${summary}</summary>\n\n${sections.join('\n\n')}\n\n</details>`
}

/** The last line: the run (its job summary has the whole report), the commit, the calls' location without the account. */
function footer(context: CommentContext): string {
  const { run, commit } = context.links
  const runTarget = run ? linkTarget(run.url) : undefined
  const report =
    run && runTarget
      ? `Full report: [job summary of workflow run ${run.id}](${runTarget})`
      : 'Full report: the job summary of this workflow run'
  const short = commit ? `\`${commit.sha.slice(0, 7)}\`` : undefined
  const commitTarget = commit?.url ? linkTarget(commit.url) : undefined
  const commitPart = short
    ? `commit ${commitTarget ? `[${short}](${commitTarget})` : short}`
    : undefined
  const where = locationParts(context.where, false)
  const calls =
    where.length > 0 ? `Cloudflare AI Gateway ${where.join(' · ')}` : undefined
  return `<sub>${[report, commitPart, calls].filter(Boolean).join(' · ')}</sub>`
}

function manyCalls(outcome: Checked): string[] {
  // Which source answered, and whether its figures are exact or estimates: above the fold, since a
  // verdict on estimates reads differently.
  const parts: (string | undefined)[] = [sourceLine(outcome.measured)]
  if (outcome.baseline?.kind === 'missing')
    parts.push(baselineLine(outcome.baseline))
  parts.push(
    modelTable(outcome, {
      tokens: false,
      maxRows: MAX_COMMENT_MODELS,
      restWhere: 'in the job summary'
    })
  )
  const found =
    outcome.baseline?.kind === 'found' ? outcome.baseline : undefined
  const window = sourceLine(outcome.measured)
    ? windowSentence(outcome.measured)
    : undefined
  const sections = [
    ...(window ? [window] : []),
    ...(found ? [baselineLine(found)] : []),
    ...runSections(outcome)
  ]
  const { measured } = outcome
  const failed = measured.metrics.errors
  const analytics = measured.source === 'analytics'
  const inside = [
    window ? 'window' : undefined,
    found ? 'comparison' : undefined,
    'checks',
    analytics && isSampled(measured) ? 'estimates' : undefined,
    measured.caveats.some((c) => c.kind === 'unavailable')
      ? 'what is not available'
      : undefined,
    failed > 0 && measured.calls ? 'failed calls' : undefined,
    analytics ? undefined : 'costliest and slowest calls',
    analytics ? undefined : 'charts'
  ].filter(Boolean)
  if (sections.length > 0)
    parts.push(details(`Details: ${inside.join(', ')}`, sections))
  parts.push(trendDetails(outcome))
  return parts.filter((p): p is string => p !== undefined)
}

/**
 * The trend folded, under a summary that says how long it is (the last day is usually partial: a
 * figure of it in the summary would read as a drop); inside, the charts and the table.
 */
function trendDetails(outcome: Checked): string | undefined {
  const section = trendOf(outcome, true)
  const { trend } = outcome.measured
  if (section === undefined || trend === undefined) return undefined
  const n = dailyTrend(trend).length
  if (n === 0) return section
  return details(
    `Trend: ${n === 1 ? 'the last day' : `the last ${n} days`}, cost and errors per day`,
    [section]
  )
}

function oneCall(outcome: Checked): string[] {
  const { log } = outcome.measured
  if (!log) return []
  const sections = [
    checksTable(outcome.verdicts),
    callTable(log),
    metadataSection(log.metadata)
  ].filter((s): s is string => s !== undefined)
  return [
    `Call ${escapeText(log.id, 80)}: ${callLine(log)}`,
    details('Details: checks, the call, its metadata', sections)
  ]
}

/** What stands for the account id: `***`, as GitHub masks a secret, escaped so it is no emphasis. */
const HIDDEN = '\\*\\*\\*'
/** Cloudflare's account ids are 32 hex digits: a shorter value would match ordinary words. */
const MIN_ACCOUNT_ID_CHARS = 8

/**
 * The text without the account id, as given or as escaped for markdown: an error message can quote
 * it (`gateway "g" of account "…"`), and a pull request is no place for it.
 */
export function withoutAccountId(markdown: string, accountId?: string): string {
  if (!accountId || accountId.length < MIN_ACCOUNT_ID_CHARS) return markdown
  const forms = new Set([accountId, escapeText(accountId, Infinity)])
  let text = markdown
  for (const form of forms) text = text.split(form).join(HIDDEN)
  return text
}

/**
 * The PR comment: at most about 30 lines outside <details> (the first line, up to MAX_COMMENT_PROBLEMS
 * checks, a table of up to MAX_COMMENT_MODELS models and the totals, the details' summary, the links).
 */
export function renderComment(
  outcome: Outcome,
  context: CommentContext
): string {
  const parts: (string | undefined)[] = [headline(outcome)]
  if (outcome.kind === 'error') {
    parts.push(escapeText(outcome.message, 2000))
  } else {
    parts.push(problems(outcome.verdicts, MAX_COMMENT_PROBLEMS))
    parts.push(
      ...(outcome.measured.log ? oneCall(outcome) : manyCalls(outcome))
    )
  }
  parts.push(footer(context))
  return withoutAccountId(
    `${parts.filter((p): p is string => p !== undefined).join('\n\n')}\n`,
    context.where.accountId
  )
}
