// Pure: one markdown report, used for the job summary, the `markdown` output and the PR comment.
// Every value that comes from the log is written by whoever made the LLM call, so it is untrusted:
// it is escaped so that it cannot add HTML, links, images or mentions, break a table or a code span,
// it is shortened without splitting a character, and characters that change how text displays
// without being seen (bidirectional controls, zero-width characters) are shown as escapes.
import type { WorkflowRun } from '../github/runs.js'
import type { Baseline } from '../sources/baseline.js'
import { costPie, durationHistogram } from './charts.js'
import {
  headlineChanges,
  modelChanges,
  type Change,
  type ComparedUnit
} from '../gate/comparison.js'
import { cut, jsonText, showInvisible } from '../text/escape.js'
import type { LogDetail } from '../cloudflare/log.js'
import {
  aggregateValue,
  type CallRef,
  type Metrics
} from '../sources/metrics.js'
import { formatNumber } from '../inputs/units.js'
import type { Outcome, Verdict } from '../gate/verdict.js'

/** Where the calls were read: named in the report's last line. */
export interface Location {
  accountId: string
  gatewayId: string
  logId: string
  /** A selection of many calls, in words: `run "gh-1-1" (metadata run_id)`. */
  selection: string
}

export const REPORT_TITLE = 'AI Gateway gate'
/** A value longer than this is shortened in the report. */
export const MAX_VALUE_CHARS = 200
const MAX_METADATA_ENTRIES = 20
/** Rows of the per-model table; the rest are summed up in one line. */
const MAX_MODEL_ROWS = 20

/**
 * Untrusted text as inert markdown: HTML entities for `<>&`, backslash escapes for the markdown
 * punctuation that makes links, images, emphasis, tables, code spans and autolinks (`:/`, `www.`), whitespace
 * folded to one line, and a zero-width space after `@` so that no one is mentioned. Values never start
 * a line, so `-`, `+` and `1.` need no escape. Invisible characters become `\u202e`-style escapes (their
 * backslash escaped in turn, so the escape is what the reader sees), after the cut, so none is cut in half.
 */
export function escapeText(value: string, maxChars = MAX_VALUE_CHARS): string {
  const text = cut(
    value
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
    maxChars
  )
  return showInvisible(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#!|~]/g, (c) => `\\${c}`)
    .replace(/:(?=\/)/g, '\\:')
    .replace(/\b(www)\./gi, '$1\\.')
    .replace(/@/g, '@&#8203;')
}

/** A value as a table cell: escaped, or an em dash when the log did not report it. */
function cell(value: unknown): string {
  if (value === undefined || value === null || value === '') return '—'
  if (typeof value === 'number') return formatNumber(value)
  return escapeText(String(value))
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join(
    '\n'
  )
}

function verdict(outcome: Outcome): string {
  if (outcome.kind === 'error') return `### ⚠️ ${REPORT_TITLE}: error`
  const gating = outcome.verdicts.filter((v) => v.level === 'error')
  const failed = gating.filter((v) => !v.passed).length
  const total = gating.length
  const warned = outcome.verdicts.filter(
    (v) => v.level === 'warn' && !v.passed
  ).length
  const warnings =
    warned > 0 ? `; ${warned} warning${warned === 1 ? '' : 's'}` : ''
  const of = `${failed === 0 ? total : failed} of ${total} check${total === 1 ? '' : 's'}${warnings}`
  if (failed === 0)
    return `### ✅ ${REPORT_TITLE}: passed${total > 0 ? ` (${of})` : ` (no limits set${warnings})`}`
  if (!outcome.failOnBreach)
    return `### ⚠️ ${REPORT_TITLE}: limits breached, ${of} (warnings only: fail-on-breach is false)`
  return `### ❌ ${REPORT_TITLE}: failed, ${of}`
}

function status(v: Verdict): string {
  if (v.passed) return '✅ pass'
  if (v.skipped !== undefined) return '⏭️ skipped'
  return v.level === 'warn' ? '⚠️ warn' : '❌ fail'
}

/** One log: the table it always had (check, actual, limit, status). */
function checksTable(verdicts: Verdict[]): string {
  if (verdicts.length === 0) return '_No limits were set: nothing was checked._'
  return table(
    ['Check', 'Actual', 'Limit', 'Status'],
    verdicts.map((v) => [
      escapeText(v.name),
      escapeText(v.actual),
      escapeText(v.limit),
      status(v)
    ])
  )
}

/** Many calls: the thresholds table, with each one's level. */
function thresholdsTable(verdicts: Verdict[]): string {
  if (verdicts.length === 0)
    return '_No limits or thresholds were set: nothing was checked._'
  return table(
    ['Metric', 'Actual', 'Limit', 'Level', 'Result'],
    verdicts.map((v) => [
      escapeText(v.name),
      escapeText(v.actual),
      escapeText(v.limit),
      v.level,
      status(v)
    ])
  )
}

const usd = (value: number | null): string =>
  value === null ? '—' : `${formatNumber(value)} USD`
const ms = (value: number | null): string =>
  value === null ? '—' : `${formatNumber(value)} ms`
const plural = (n: number, word: string): string =>
  `${n} ${word}${n === 1 ? '' : 's'}`

/** Many calls, in one line: how many, what they cost, how slow, how many failed. */
function headline(metrics: Metrics): string {
  const cost = metrics.distributions.cost
  const costText =
    cost.sum === null
      ? `unknown (${plural(cost.missing, 'call')} without cost)`
      : usd(cost.sum)
  const p95 = aggregateValue(metrics.distributions.duration, 'p95')
  const rate =
    metrics.errorRate === null
      ? ''
      : ` (${formatNumber(Number((metrics.errorRate * 100).toPrecision(4)))}%)`
  return `**${plural(metrics.count, 'call')}** · total cost **${costText}** · p95 duration **${ms(p95)}** · **${plural(metrics.errors, 'error')}**${rate}`
}

function modelsTable(metrics: Metrics): string | undefined {
  if (metrics.models.length === 0) return undefined
  const rows = metrics.models
    .slice(0, MAX_MODEL_ROWS)
    .map((m) => [
      escapeText(m.model, 80),
      escapeText(m.provider, 40),
      String(m.calls),
      usd(m.costUsd),
      cell(m.tokensIn),
      cell(m.tokensOut),
      ms(m.p95DurationMs?.value ?? null),
      String(m.errors)
    ])
  const rest = metrics.models.length - MAX_MODEL_ROWS
  const more = rest > 0 ? `\n\n_…and ${plural(rest, 'more model')}._` : ''
  return `${table(['Model', 'Provider', 'Calls', 'Cost', 'Tokens in', 'Tokens out', 'p95 duration', 'Errors'], rows)}${more}`
}

function callsTable(title: string, calls: CallRef[]): string | undefined {
  if (calls.length === 0) return undefined
  const rows = calls.map((c) => [
    escapeText(c.id, 80),
    escapeText(c.model, 80),
    usd(c.costUsd),
    ms(c.durationMs),
    c.success ? '✅' : '❌'
  ])
  return `**${title}**\n\n${table(['Call', 'Model', 'Cost', 'Duration', 'Success'], rows)}`
}

/** A value of the comparison tables with its unit; a rate as a percentage. */
function comparedValue(unit: ComparedUnit, value: number | null): string {
  if (value === null) return '—'
  switch (unit) {
    case 'USD':
      return usd(value)
    case 'ms':
      return ms(value)
    case 'calls':
      return formatNumber(value)
    case 'fraction':
      return `${formatNumber(Number((value * 100).toPrecision(4)))}%`
  }
}

const signed = (value: number, text: string): string =>
  value > 0 ? `+${text}` : value < 0 ? text : `±${text}`

/** `+0.2 USD (+18.2%)`, `-120 ms (-3.08%)`; a rate's change in percentage points, `+1.5 pp (+50%)`; `—` when unknown. */
export function changeText(unit: ComparedUnit, c: Change): string {
  if (c.delta === null) return '—'
  const amount =
    unit === 'fraction'
      ? `${formatNumber(Number((c.delta * 100).toPrecision(4)))} pp`
      : comparedValue(unit, c.delta)
  const percent =
    c.percent === null
      ? ''
      : ` (${signed(c.percent, `${formatNumber(Number(c.percent.toPrecision(3)))}%`)})`
  return `${signed(c.delta, amount)}${percent}`
}

/**
 * A URL as a markdown link's target, or undefined when it is not an http(s) URL: the characters that
 * could end the target or the link, or start markup, percent-encoded.
 */
export function linkTarget(url: string): string | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    return undefined
  return parsed.href.replace(
    /[()[\]<>"'`|\\\s]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`
  )
}

/** `[run 4200, attempt 1](…) on main at \`abc1234\``: the GitHub Actions run a baseline came from. */
function runLink(run: WorkflowRun): string {
  const text = `run ${run.id}${run.attempt === null ? '' : `, attempt ${run.attempt}`}`
  const target = run.url === null ? undefined : linkTarget(run.url)
  const sha = run.headSha === null ? '' : ` at \`${run.headSha.slice(0, 7)}\``
  return `${target ? `[${text}](${target})` : text} on ${escapeText(run.branch, 80)}${sha}`
}

/** Why thresholds against the baseline are warnings here: the event is not a pull request's. */
function baselineWarningsLine(event: string | undefined): string | undefined {
  if (event === undefined) return undefined
  return `_On a ${escapeText(event, 40)} event, a threshold against the baseline is a warning, never a failure: the change was reviewed in its pull request._`
}

/** Which run this one is compared with and how it changed, in the headline metrics and per model; or why there is no baseline. */
function comparisonSection(baseline: Baseline, metrics: Metrics): string {
  if (baseline.kind === 'missing') {
    const of = baseline.workflowRun ? ` (${runLink(baseline.workflowRun)})` : ''
    return `**No baseline to compare with**${of}: ${escapeText(baseline.reason, 600)}`
  }
  const from = baseline.workflowRun ? ` · ${runLink(baseline.workflowRun)}` : ''
  const title = `**Compared with the baseline**: ${escapeText(baseline.describe, 160)}${from}`
  const headline = headlineChanges(metrics, baseline.metrics).map((h) => [
    h.label,
    comparedValue(h.unit, h.change.current),
    comparedValue(h.unit, h.change.baseline),
    changeText(h.unit, h.change)
  ])
  const parts = [
    title,
    table(['Metric', 'This run', 'Baseline', 'Change'], headline)
  ]
  const models = modelChanges(metrics, baseline.metrics)
  if (models.length > 0) {
    const rows = models
      .slice(0, MAX_MODEL_ROWS)
      .map((m) => [
        escapeText(m.model, 80),
        escapeText(m.provider, 40),
        comparedValue('USD', m.cost.current),
        comparedValue('USD', m.cost.baseline),
        changeText('USD', m.cost),
        comparedValue('ms', m.p95DurationMs.current),
        comparedValue('ms', m.p95DurationMs.baseline),
        changeText('ms', m.p95DurationMs)
      ])
    const rest = models.length - MAX_MODEL_ROWS
    const more = rest > 0 ? `\n\n_…and ${plural(rest, 'more model')}._` : ''
    const header = [
      'Model',
      'Provider',
      'Cost',
      'Baseline cost',
      'Change',
      'p95 duration',
      'Baseline p95',
      'Change'
    ]
    parts.push(`${table(header, rows)}${more}`)
  }
  return parts.join('\n\n')
}

function charts(outcome: Extract<Outcome, { kind: 'checked' }>): string[] {
  const { log, calls, metrics } = outcome.measured
  if (log || !calls) return []
  const slices = metrics.models.map((m) => ({
    label: m.model,
    value: m.costUsd ?? 0
  }))
  const durations = calls.map((call) => call.duration)
  return [costPie(slices), durationHistogram(durations)].filter(
    (chart): chart is string => chart !== undefined
  )
}

function callTable(log: LogDetail): string {
  const tokens =
    log.tokens_in === null && log.tokens_out === null
      ? '—'
      : `${cell(log.tokens_in)} in / ${cell(log.tokens_out)} out`
  const rows: [string, string][] = [
    ['Model', cell(log.model)],
    ['Provider', cell(log.provider)],
    ['Status code', cell(log.status_code)],
    ['Success', cell(log.success)],
    ['Cached', cell(log.cached)],
    ['Tokens', tokens],
    [
      'Cost',
      log.cost === undefined
        ? '—'
        : `${formatNumber(log.cost)} USD${log.custom_cost ? ' (custom cost)' : ''}`
    ],
    ['Duration', `${formatNumber(log.duration)} ms`],
    ['Created at', cell(log.created_at)],
    ['Step', cell(log.step)]
  ]
  return table(
    ['Call', ''],
    rows.map(([k, v]) => [`**${k}**`, v])
  )
}

/** Metadata as key/value rows when it is a JSON object; otherwise the raw text, escaped. */
function metadataSection(metadata: string | undefined): string | undefined {
  if (metadata === undefined || metadata.trim() === '') return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(metadata)
  } catch {
    parsed = undefined
  }
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
    const entries = Object.entries(parsed)
    if (entries.length === 0) return undefined
    const rows = entries
      .slice(0, MAX_METADATA_ENTRIES)
      .map(([k, v]) => [
        escapeText(k, 60),
        cell(
          typeof v === 'object' && v !== null
            ? (jsonText(v) ?? '(nested too deeply to show)')
            : v
        )
      ])
    const more =
      entries.length > MAX_METADATA_ENTRIES
        ? `\n\n_…and ${entries.length - MAX_METADATA_ENTRIES} more entries._`
        : ''
    return `${table(['Metadata', ''], rows)}${more}`
  }
  return `**Metadata:** ${escapeText(metadata)}`
}

function locationLine(where: Partial<Location>): string {
  const part = (
    label: string,
    value: string | undefined
  ): string | undefined =>
    value ? `${label} ${escapeText(value, 80)}` : undefined
  const parts = [
    part('log', where.logId),
    where.selection ? escapeText(where.selection, 160) : undefined,
    part('gateway', where.gatewayId),
    part('account', where.accountId)
  ].filter(Boolean)
  return parts.length > 0
    ? `<sub>Cloudflare AI Gateway ${parts.join(' · ')} (dashboard: AI › AI Gateway › Logs)</sub>`
    : ''
}

export function renderReport(
  outcome: Outcome,
  where: Partial<Location>
): string {
  const parts: string[] = [verdict(outcome)]
  if (outcome.kind === 'error') {
    parts.push(escapeText(outcome.message, 2000))
  } else {
    const { verdicts } = outcome
    const { log, metrics } = outcome.measured
    if (!log) parts.push(headline(metrics))
    const failed = verdicts.filter((v) => !v.passed)
    if (failed.length > 0)
      parts.push(
        failed
          .map(
            (v) =>
              `- ${v.level === 'warn' ? 'warning: ' : ''}${escapeText(v.message)}`
          )
          .join('\n')
      )
    if (log) {
      parts.push(checksTable(verdicts), callTable(log))
      const metadata = metadataSection(log.metadata)
      if (metadata) parts.push(metadata)
    } else {
      if (outcome.baseline)
        parts.push(comparisonSection(outcome.baseline, metrics))
      const warnsOnly = baselineWarningsLine(outcome.baselineWarnsOn)
      if (warnsOnly) parts.push(warnsOnly)
      parts.push(thresholdsTable(verdicts))
      const sections = [
        modelsTable(metrics),
        callsTable('Costliest calls', metrics.costliest),
        callsTable('Slowest calls', metrics.slowest),
        ...charts(outcome)
      ]
      parts.push(
        ...sections.filter(
          (section): section is string => section !== undefined
        )
      )
    }
  }
  const location = locationLine(where)
  if (location) parts.push(location)
  return `${parts.join('\n\n')}\n`
}
