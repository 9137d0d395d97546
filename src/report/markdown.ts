// Pure: the markdown report. The job summary and the `markdown` output are the whole report
// (renderReport); the PR comment (report/comment.ts) is built from the same sections, shorter.
// Every value that comes from the log is written by whoever made the LLM call, so it is untrusted:
// it is escaped so that it cannot add HTML, links, images or mentions, break a table or a code span,
// it is shortened without splitting a character, and characters that change how text displays
// without being seen (bidirectional controls, zero-width characters) are shown as escapes.
// Numbers are written for people (`0.4007 USD`, `3.8 s`); the outputs keep them exact.
import type { WorkflowRun } from '../github/runs.js'
import type { Baseline } from '../sources/baseline.js'
import { costByModelChart, durationHistogram } from './charts.js'
import {
  change,
  headlineChanges,
  modelChanges,
  type Change,
  type ComparedUnit
} from '../gate/comparison.js'
import { jsonText } from '../text/escape.js'
import type { LogDetail, LogSummary } from '../cloudflare/log.js'
import {
  aggregateValue,
  type CallRef,
  type Metrics
} from '../sources/metrics.js'
import { formatDuration, formatNumber, formatUsd } from '../inputs/units.js'
import type { Outcome, Verdict } from '../gate/verdict.js'
import { caveatOf, type Measurements } from '../sources/source.js'
import {
  actualCell,
  estimatesTable,
  isSampled,
  perCallLine,
  sourceParagraph,
  unavailableList
} from './provenance.js'
import { trendSection } from './trend.js'
import {
  cell,
  count,
  duration,
  escapeText,
  MAX_VALUE_CHARS,
  plural,
  rate,
  table,
  usd
} from './format.js'

export { duration, escapeText, MAX_VALUE_CHARS, plural, table, usd }

/** Where the calls were read: named in the report's last line. */
export interface Location {
  accountId: string
  gatewayId: string
  logId: string
  /** A selection of many calls, in words: `run "gh-1-1" (metadata run_id)`. */
  selection: string
}

export type Checked = Extract<Outcome, { kind: 'checked' }>

export const REPORT_TITLE = 'AI Gateway gate'
const MAX_METADATA_ENTRIES = 20
/** Rows of the per-model table in the job summary; the rest are summed up in one line. */
export const MAX_MODEL_ROWS = 20
/** Failed calls listed by id; the rest are counted. */
export const MAX_FAILED_CALLS = 10

/** `+98%`, `-0.9%`, `±0%`: whole from 10% up, one decimal below. */
export function percentText(percent: number): string {
  if (percent === 0) return '±0%'
  const sign = percent > 0 ? '+' : '-'
  const abs = Math.abs(percent)
  if (abs < 0.05) return `${sign}<0.1%`
  const text =
    abs >= 10 ? String(Math.round(abs)) : String(Number(abs.toFixed(1)))
  return `${sign}${text}%`
}

interface CheckCounts {
  /** Error-level checks: the ones that gate. */
  total: number
  failed: number
  /** Warn-level checks that did not hold, and checks skipped for want of a baseline. */
  warned: number
}

function countChecks(verdicts: readonly Verdict[]): CheckCounts {
  const gating = verdicts.filter((v) => v.level === 'error')
  return {
    total: gating.length,
    failed: gating.filter((v) => !v.passed).length,
    warned: verdicts.filter((v) => v.level === 'warn' && !v.passed).length
  }
}

/** What the baseline is called in a sentence: its branch (`main`) when GitHub named the run, else "the baseline". */
function baselineName(baseline: Baseline): string {
  return baseline.workflowRun
    ? escapeText(baseline.workflowRun.branch, 40)
    : 'the baseline'
}

/** `cost +98% vs main (0.4007 USD vs 0.2024 USD)`; undefined without a baseline or a known cost on both sides. */
function costChange(outcome: Checked): string | undefined {
  const { baseline } = outcome
  if (!baseline || baseline.kind !== 'found') return undefined
  const c = change(
    outcome.measured.metrics.distributions.cost.sum,
    baseline.metrics.distributions.cost.sum
  )
  if (c.current === null || c.baseline === null || c.delta === null)
    return undefined
  const by =
    c.percent === null
      ? `${c.delta > 0 ? '+' : ''}${formatUsd(c.delta)}`
      : percentText(c.percent)
  return `cost ${by} vs ${baselineName(baseline)} (${formatUsd(c.current)} vs ${formatUsd(c.baseline)})`
}

/**
 * The report's first line: the result, how many checks failed of how many, warnings, and with a
 * baseline the change in cost. An error (no verdict) has its own sign: ⛔, never a warning's ⚠️.
 */
export function headline(outcome: Outcome): string {
  if (outcome.kind === 'error')
    return `### ⛔ ${REPORT_TITLE}: error, no verdict${outcome.reportOnly ? ' (fail-on-breach is false: the step passes)' : ''}`
  const { total, failed, warned } = countChecks(outcome.verdicts)
  // The change in cost right after the result: what a reviewer of a pull request looks for first.
  const parts: string[] = []
  const cost = costChange(outcome)
  if (cost) parts.push(cost)
  if (failed > 0) parts.push(`${failed} of ${plural(total, 'check')} failed`)
  else if (total === 0)
    parts.push(
      outcome.verdicts.length === 0 ? 'no limits set' : 'no error-level checks'
    )
  else parts.push(total === 1 ? '1 check passed' : `all ${total} checks passed`)
  if (warned > 0) parts.push(plural(warned, 'warning'))
  const [icon, result] =
    failed === 0
      ? ['✅', 'passed']
      : outcome.failOnBreach
        ? ['❌', 'failed']
        : ['⚠️', 'limits breached (fail-on-breach is false)']
  return `### ${icon} ${REPORT_TITLE}: ${result} · ${parts.join(' · ')}`
}

function status(v: Verdict): string {
  if (v.passed) return '✅ pass'
  if (v.skipped !== undefined) return '⏭️ skipped'
  return v.level === 'warn' ? '⚠️ warn' : '❌ fail'
}

/**
 * The checks that failed or warned, one line each, failures first: `- ❌ cost.sum 0.4007 USD > 0.25 USD`.
 * At most `max` lines, then how many more. Undefined when every check held.
 */
export function problems(
  verdicts: readonly Verdict[],
  max = Infinity
): string | undefined {
  const failing = [
    ...verdicts.filter((v) => !v.passed && v.level === 'error'),
    ...verdicts.filter((v) => !v.passed && v.level === 'warn')
  ]
  if (failing.length === 0) return undefined
  const icon = (v: Verdict): string =>
    v.level === 'error' ? '❌' : v.skipped !== undefined ? '⏭️' : '⚠️'
  const lines = failing
    .slice(0, max)
    .map(
      (v) =>
        `- ${icon(v)} ${v.level === 'warn' ? 'warning: ' : ''}${escapeText(v.shown.message)}`
    )
  const rest = failing.length - lines.length
  if (rest > 0) lines.push(`- …and ${rest} more (see the checks below)`)
  return lines.join('\n')
}

/** One log: the table it always had (check, actual, limit, status). */
export function checksTable(verdicts: readonly Verdict[]): string {
  if (verdicts.length === 0) return '_No limits were set: nothing was checked._'
  return table(
    ['Check', 'Actual', 'Limit', 'Status'],
    verdicts.map((v) => [
      escapeText(v.name),
      escapeText(v.shown.actual),
      escapeText(v.shown.limit),
      status(v)
    ])
  )
}

/** Many calls: the thresholds table, with each one's level; an estimate says so, with its interval. */
export function thresholdsTable(
  verdicts: readonly Verdict[],
  measured?: Pick<Measurements, 'intervals' | 'caveats'>
): string {
  if (verdicts.length === 0)
    return '_No limits or thresholds were set: nothing was checked._'
  return table(
    ['Metric', 'Actual', 'Limit', 'Level', 'Result'],
    verdicts.map((v) => [
      escapeText(v.name),
      actualCell(v, measured),
      escapeText(v.shown.limit),
      v.level,
      status(v)
    ])
  )
}

/**
 * Many calls, in one line: how many, what they cost, how slow, how many failed. From GraphQL
 * Analytics, counts have thousands separators (a million calls is common there), and from a sample
 * every figure is marked `≈`.
 */
export function totalsLine(
  metrics: Metrics,
  measured?: Pick<Measurements, 'source' | 'intervals' | 'caveats'>
): string {
  const analytics = measured?.source === 'analytics'
  const about = analytics && isSampled(measured) ? '≈ ' : ''
  const many = (n: number, word: string): string =>
    analytics
      ? `${about}${count(n)} ${word}${n === 1 ? '' : 's'}`
      : plural(n, word)
  const cost = metrics.distributions.cost
  const costText =
    cost.sum === null
      ? `unknown (${plural(cost.missing, 'call')} without cost)`
      : `${about}${usd(cost.sum)}`
  const p95 = aggregateValue(metrics.distributions.duration, 'p95')
  const errorRate =
    metrics.errorRate === null ? '' : ` (${rate(metrics.errorRate)})`
  return `**${many(metrics.count, 'call')}** · total cost **${costText}** · p95 duration **${p95 === null ? '—' : `${about}${duration(p95)}`}** · **${many(metrics.errors, 'error')}**${errorRate}`
}

/** A change in a table cell: the percentage, or the amount when the baseline was 0; `—` when unknown. */
function changeCell(unit: 'USD' | 'ms', c: Change): string {
  if (c.delta === null) return '—'
  if (c.percent !== null) return percentText(c.percent)
  const amount = unit === 'USD' ? usd(c.delta) : duration(c.delta)
  return c.delta > 0 ? `+${amount}` : c.delta < 0 ? amount : '±0'
}

interface ModelRow {
  provider: string
  model: string
  /** This run's numbers; undefined for a model only the baseline used. */
  calls?: number
  errors?: number
  costUsd: number | null
  tokensIn: number | null
  tokensOut: number | null
  p95DurationMs: number | null
  /** Against the baseline; undefined without one. */
  cost?: Change
  p95?: Change
  /** `new`: this run used it and the baseline did not; `gone`: the other way round. */
  mark?: 'new' | 'gone'
}

/** Every model of this run (costliest first), then those only the baseline used, with the changes when there is a baseline. */
function modelRows(metrics: Metrics, baseline?: Baseline): ModelRow[] {
  const rows: ModelRow[] = metrics.models.map((m) => ({
    provider: m.provider,
    model: m.model,
    calls: m.calls,
    errors: m.errors,
    costUsd: m.costUsd,
    tokensIn: m.tokensIn,
    tokensOut: m.tokensOut,
    p95DurationMs: m.p95DurationMs?.value ?? null
  }))
  if (!baseline || baseline.kind !== 'found') return rows
  const before = new Set(
    baseline.metrics.models.map((m) => JSON.stringify([m.provider, m.model]))
  )
  const changes = modelChanges(metrics, baseline.metrics)
  const compared = rows.map((row, i): ModelRow => {
    const c = changes[i]!
    const used = before.has(JSON.stringify([row.provider, row.model]))
    return {
      ...row,
      cost: c.cost,
      p95: c.p95DurationMs,
      ...(used ? {} : { mark: 'new' as const })
    }
  })
  const gone = changes.slice(rows.length).map((c): ModelRow => ({
    provider: c.provider,
    model: c.model,
    costUsd: null,
    tokensIn: null,
    tokensOut: null,
    p95DurationMs: null,
    cost: c.cost,
    p95: c.p95DurationMs,
    mark: 'gone'
  }))
  return [...compared, ...gone]
}

/**
 * A model's name as the table shows it: the model alone (it names the provider's product), with the
 * provider beside it only when two providers served a model of the same name.
 */
function modelLabels(rows: readonly ModelRow[]): string[] {
  const providers = new Map<string, Set<string>>()
  for (const r of rows)
    providers.set(
      r.model,
      (providers.get(r.model) ?? new Set()).add(r.provider)
    )
  return rows.map((r) =>
    (providers.get(r.model)?.size ?? 0) > 1
      ? `${escapeText(r.model, 80)} (${escapeText(r.provider, 40)})`
      : escapeText(r.model, 80)
  )
}

export interface ModelTableOptions {
  /** Tokens in and out as one more column (the job summary's width allows it). */
  tokens: boolean
  /** Models shown; the rest are counted in a line below. */
  maxRows: number
  /** Said after the count of the models left out: where the rest are. */
  restWhere?: string
}

/** The table's first row when it lists more than one model: every call, and the totals' change. */
function allCallsRow(
  metrics: Metrics,
  found: Extract<Baseline, { kind: 'found' }> | undefined
): ModelRow {
  const totals = found ? headlineChanges(metrics, found.metrics) : undefined
  return {
    provider: '',
    model: '',
    calls: metrics.count,
    errors: metrics.errors,
    costUsd: metrics.distributions.cost.sum,
    tokensIn: metrics.distributions['tokens-in'].sum,
    tokensOut: metrics.distributions['tokens-out'].sum,
    p95DurationMs: aggregateValue(metrics.distributions.duration, 'p95'),
    ...(totals ? { cost: totals[1]!.change, p95: totals[2]!.change } : {})
  }
}

function modelHeader(
  compare: boolean,
  p95: boolean,
  tokens: boolean | undefined
): string[] {
  return [
    'Model',
    'Calls',
    'Cost',
    ...(compare ? ['Change'] : []),
    ...(p95 ? ['p95 duration'] : []),
    ...(compare && p95 ? ['Change'] : []),
    ...(tokens ? ['Tokens in / out'] : []),
    'Errors'
  ]
}

/**
 * One table for the calls per model and, with a baseline, how each changed: a first row for all calls,
 * then each model; a model this run added says `new`, one it no longer uses `gone`. No provider
 * column (see modelLabels), so that it fits a pull request's column. Undefined without models.
 */
export function modelTable(
  outcome: Checked,
  options: ModelTableOptions
): string | undefined {
  const { metrics } = outcome.measured
  const found =
    outcome.baseline?.kind === 'found' ? outcome.baseline : undefined
  const rows = modelRows(metrics, found)
  if (rows.length === 0) return undefined
  const labels = modelLabels(rows)
  const compare = found !== undefined
  // GraphQL Analytics has no percentile per model (no quantiles): no column of dashes, and counts of
  // millions with separators.
  const analytics = outcome.measured.source === 'analytics'
  const calls = analytics ? count : formatNumber
  const p95 = !analytics
  const changeOf = (row: ModelRow, c: Change | undefined, unit: 'USD' | 'ms') =>
    row.mark ?? (c ? changeCell(unit, c) : '—')
  const line = (row: ModelRow, label: string): string[] => [
    label,
    row.calls === undefined ? '0' : calls(row.calls),
    usd(row.costUsd),
    ...(compare ? [changeOf(row, row.cost, 'USD')] : []),
    ...(p95 ? [duration(row.p95DurationMs)] : []),
    ...(compare && p95 ? [changeOf(row, row.p95, 'ms')] : []),
    ...(options.tokens
      ? [
          row.tokensIn === null && row.tokensOut === null
            ? '—'
            : analytics
              ? `${row.tokensIn === null ? '—' : count(row.tokensIn)} / ${row.tokensOut === null ? '—' : count(row.tokensOut)}`
              : `${cell(row.tokensIn)} / ${cell(row.tokensOut)}`
        ]
      : []),
    row.errors === undefined ? '—' : calls(row.errors)
  ]
  const shown = rows.slice(0, options.maxRows)
  const body = shown.map((row, i) => line(row, labels[i]!))
  // With more than one model, a first row for all of them: the totals and their change.
  if (rows.length > 1) {
    const first = line(allCallsRow(metrics, found), '**all calls**')
    if (metrics.errorRate !== null && metrics.errors > 0)
      first[first.length - 1] =
        `${calls(metrics.errors)}\u00a0(${rate(metrics.errorRate)})`
    body.unshift(first)
  }
  const header = modelHeader(compare, p95, options.tokens)
  const right = header.map((_, i) => i).filter((i) => i > 0)
  const rest = rows.length - shown.length
  const more =
    rest > 0
      ? `\n\n_…and ${plural(rest, 'more model')}${options.restWhere ? ` ${options.restWhere}` : ''}._`
      : ''
  return `${table(header, body, right)}${more}`
}

/** The calls that failed (success false), up to MAX_FAILED_CALLS by id, model and status code; undefined when none did or the calls were not read one by one. */
export function failedCalls(outcome: Checked): string | undefined {
  const { calls, metrics } = outcome.measured
  if (!calls) return undefined
  const failed = calls.filter((c: LogSummary) => c.success !== true)
  if (failed.length === 0) return undefined
  const rows = failed
    .slice(0, MAX_FAILED_CALLS)
    .map((c) => [
      escapeText(c.id, 80),
      escapeText(c.model, 80),
      c.status_code === undefined ? 'not reported' : String(c.status_code)
    ])
  const rest = failed.length - rows.length
  const more = rest > 0 ? `\n\n_…and ${plural(rest, 'more failed call')}._` : ''
  return `**Failed calls** (${failed.length} of ${plural(metrics.count, 'call')})\n\n${table(['Call', 'Model', 'Status code'], rows, [2])}${more}`
}

/**
 * The costliest or the slowest calls. A call that failed is marked ❌ after its id (no column of its
 * own: with long model names, a fifth column made the table wider than a pull request's column).
 */
export function callsTable(
  title: string,
  calls: CallRef[]
): string | undefined {
  if (calls.length === 0) return undefined
  const rows = calls.map((c) => [
    `${escapeText(c.id, 80)}${c.success ? '' : ' ❌'}`,
    escapeText(c.model, 80),
    usd(c.costUsd),
    duration(c.durationMs)
  ])
  const failed = calls.some((c) => !c.success) ? ' (❌ failed)' : ''
  return `**${title}**${failed}\n\n${table(['Call', 'Model', 'Cost', 'Duration'], rows, [2, 3])}`
}

/** A value of the comparison tables with its unit; a rate as a percentage. */
function comparedValue(unit: ComparedUnit, value: number | null): string {
  if (value === null) return '—'
  switch (unit) {
    case 'USD':
      return usd(value)
    case 'ms':
      return duration(value)
    case 'calls':
      return formatNumber(value)
    case 'fraction':
      return rate(value)
  }
}

const signed = (value: number, text: string): string =>
  value > 0 ? `+${text}` : value < 0 ? text : `±${text}`

/** `+0.2 USD (+18%)`, `-120 ms (-3.1%)`; a rate's change in percentage points, `+1.5 pp (+50%)`; `—` when unknown. */
export function changeText(unit: ComparedUnit, c: Change): string {
  if (c.delta === null) return '—'
  const amount =
    unit === 'fraction'
      ? `${formatNumber(Number((c.delta * 100).toPrecision(4)))} pp`
      : comparedValue(unit, c.delta)
  const percent = c.percent === null ? '' : ` (${percentText(c.percent)})`
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
export function baselineWarningsLine(
  event: string | undefined
): string | undefined {
  if (event === undefined) return undefined
  return `_On a ${escapeText(event, 40)} event, a threshold against the baseline is a warning, never a failure: the change was reviewed in its pull request._`
}

/** Which run this one is compared with, or why there is none: one line. */
export function baselineLine(baseline: Baseline): string {
  if (baseline.kind === 'missing') {
    const of = baseline.workflowRun ? ` (${runLink(baseline.workflowRun)})` : ''
    return `**No baseline to compare with**${of}: ${escapeText(baseline.reason, 600)}`
  }
  const from = baseline.workflowRun ? ` · ${runLink(baseline.workflowRun)}` : ''
  return `**Compared with the baseline**: ${escapeText(baseline.describe, 160)}${from}`
}

/** The headline metrics of this run and the baseline, with the change. */
export function comparisonTable(outcome: Checked): string | undefined {
  const { baseline } = outcome
  if (!baseline || baseline.kind !== 'found') return undefined
  const rows = headlineChanges(outcome.measured.metrics, baseline.metrics).map(
    (h) => [
      h.label,
      comparedValue(h.unit, h.change.current),
      comparedValue(h.unit, h.change.baseline),
      changeText(h.unit, h.change)
    ]
  )
  return table(['Metric', 'This run', 'Baseline', 'Change'], rows, [1, 2, 3])
}

/** The limit a duration threshold sets, for the histogram to mark: an error-level one first. */
function durationLimit(verdicts: readonly Verdict[]): number | undefined {
  const limits = [
    ...verdicts.filter((v) => v.level === 'error'),
    ...verdicts.filter((v) => v.level === 'warn')
  ]
    .filter((v) => v.name.startsWith('duration'))
    .map((v) => v.entry.limit)
  return limits.find((l): l is number => typeof l === 'number')
}

/**
 * The charts that say what a table does not: cost by model against the baseline (only with one), and
 * how durations spread, with the p95 and the limit marked. None for one log.
 */
export function charts(outcome: Checked): string[] {
  const { log, calls, metrics } = outcome.measured
  if (log || !calls) return []
  const found =
    outcome.baseline?.kind === 'found' ? outcome.baseline : undefined
  const cost = found
    ? costByModelChart(
        modelRows(metrics, found).map((row) => ({
          label: row.model,
          current: row.costUsd,
          baseline: row.cost?.baseline ?? null
        })),
        found.workflowRun?.branch ?? 'baseline'
      )
    : undefined
  const histogram = durationHistogram(
    calls.map((call) => call.duration),
    {
      p95Ms: aggregateValue(metrics.distributions.duration, 'p95'),
      limitMs: durationLimit(outcome.verdicts)
    }
  )
  return [cost, histogram].filter(
    (chart): chart is string => chart !== undefined
  )
}

/** One log in one line: model, provider, cost, duration, tokens, status. */
export function callLine(log: LogDetail): string {
  const tokens =
    log.tokens_in === null && log.tokens_out === null
      ? undefined
      : `${cell(log.tokens_in)} in / ${cell(log.tokens_out)} out tokens`
  return [
    `**${escapeText(log.model, 80)}** (${escapeText(log.provider, 40)})`,
    log.cost === undefined ? 'cost not reported' : formatUsd(log.cost),
    formatDuration(log.duration),
    tokens,
    `status ${log.status_code ?? 'not reported'}`,
    log.success ? 'success' : 'failed'
  ]
    .filter(Boolean)
    .join(' · ')
}

export function callTable(log: LogDetail): string {
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
        : `${formatUsd(log.cost)}${log.custom_cost ? ' (custom cost)' : ''}`
    ],
    ['Duration', formatDuration(log.duration)],
    ['Created at', cell(log.created_at)],
    ['Step', cell(log.step)]
  ]
  return table(
    ['Call', ''],
    rows.map(([k, v]) => [`**${k}**`, v])
  )
}

/** Metadata as key/value rows when it is a JSON object; otherwise the raw text, escaped. */
export function metadataSection(
  metadata: string | undefined
): string | undefined {
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

/** Where the calls were read, as parts of the last line: log, selection, gateway, and the account when asked. */
export function locationParts(
  where: Partial<Location>,
  withAccount: boolean
): string[] {
  const part = (
    label: string,
    value: string | undefined
  ): string | undefined =>
    value ? `${label} ${escapeText(value, 80)}` : undefined
  return [
    part('log', where.logId),
    where.selection ? escapeText(where.selection, 160) : undefined,
    part('gateway', where.gatewayId),
    withAccount ? part('account', where.accountId) : undefined
  ].filter((p): p is string => p !== undefined)
}

function locationLine(where: Partial<Location>): string {
  const parts = locationParts(where, true)
  return parts.length > 0
    ? `<sub>Cloudflare AI Gateway ${parts.join(' · ')} (dashboard: AI › AI Gateway › Logs)</sub>`
    : ''
}

/** How many rows the model table has (before any is left out): with more than one, it opens with the totals. */
export function modelRowCount(outcome: Checked): number {
  return modelRows(outcome.measured.metrics, outcome.baseline).length
}

/**
 * The sections of a selection of many calls below the first lines and the model table, in the order
 * the summary gives them (the line that names the baseline is the caller's to place).
 */
export function runSections(outcome: Checked): string[] {
  const { measured } = outcome
  const { metrics } = measured
  return [
    comparisonTable(outcome),
    thresholdsTable(outcome.verdicts, measured),
    estimatesTable(measured),
    unavailableList(measured),
    failedCalls(outcome),
    callsTable('Costliest calls', metrics.costliest),
    callsTable('Slowest calls', metrics.slowest),
    perCallLine(measured),
    ...charts(outcome)
  ].filter((section): section is string => section !== undefined)
}

/** The trend (`trend: 14d`), its table folded when long unless `open`; undefined when none was asked for. */
export function trendOf(outcome: Checked, open = false): string | undefined {
  const { measured } = outcome
  return trendSection(measured.trend, {
    open,
    // Whatever the source: the logs source's trend is an analytics query of its own, sampled or not.
    estimated: caveatOf(measured, 'trend')?.kind === 'estimated',
    ...(measured.covered ? { untilMs: measured.covered.untilMs } : {})
  })
}

/**
 * The whole report, for the job summary and the `markdown` output: the first line (result, checks,
 * the change in cost), what failed, the calls per model against the baseline, then every detail:
 * the comparison, the checks, the failed calls, the costliest and slowest calls, the charts.
 */
export function renderReport(
  outcome: Outcome,
  where: Partial<Location>
): string {
  const parts: (string | undefined)[] = [headline(outcome)]
  if (outcome.kind === 'error') {
    parts.push(escapeText(outcome.message, 2000))
  } else {
    const { log, metrics } = outcome.measured
    parts.push(problems(outcome.verdicts))
    parts.push(sourceParagraph(outcome.measured))
    if (log) {
      parts.push(
        checksTable(outcome.verdicts),
        callTable(log),
        metadataSection(log.metadata)
      )
    } else {
      const models = modelTable(outcome, {
        tokens: true,
        maxRows: MAX_MODEL_ROWS
      })
      // The totals are the table's first row; without that row (no calls, one model) they get a line.
      if (modelRowCount(outcome) < 2)
        parts.push(totalsLine(metrics, outcome.measured))
      // Which run the Change columns compare with (or why there is none), above them.
      if (outcome.baseline) parts.push(baselineLine(outcome.baseline))
      parts.push(baselineWarningsLine(outcome.baselineWarnsOn))
      parts.push(models, ...runSections(outcome), trendOf(outcome))
    }
  }
  const location = locationLine(where)
  if (location) parts.push(location)
  return `${parts.filter((p): p is string => p !== undefined).join('\n\n')}\n`
}
