// The step's outputs: their names (the contract with users, action.yml and the tests) and the one
// function that writes them all, in every mode and on every path (pass, fail, error). GitHub limits a
// job's outputs to 1 MiB in all, and a log can hold heads of any size: long text fields are cut with
// a visible marker until everything fits, and `log` stays valid JSON. Thousands of thresholds can
// fail at once: `failures` and `warnings` keep their first entries, and `failures-omitted` and
// `warnings-omitted` count the rest, so that every entry keeps the one shape a workflow parses.
import type { LogDetail } from '../cloudflare/log.js'
import { LOG_FIELDS } from '../cloudflare/log.js'
import { metricsJson } from '../sources/metrics.js'
import { prefix } from '../text/escape.js'
import { formatNumber } from '../inputs/units.js'
import { resultOf, verdictsJson, type Outcome } from '../gate/verdict.js'
import type { TrendDay } from '../sources/source.js'
import { dailyTrend } from './trend.js'

/** Output names besides the log's 25 fields. */
export const OUTPUT = {
  result: 'result',
  passed: 'passed',
  failures: 'failures',
  failuresOmitted: 'failures-omitted',
  warnings: 'warnings',
  warningsOmitted: 'warnings-omitted',
  count: 'count',
  totalCost: 'total-cost',
  metrics: 'metrics',
  baselineRunId: 'baseline-run-id',
  baselineMetrics: 'baseline-metrics',
  log: 'log',
  markdown: 'markdown',
  commentId: 'comment-id',
  commentUrl: 'comment-url',
  source: 'source',
  trend: 'trend'
} as const

/** GitHub's limit for all of a job's outputs is 1 MiB; the rest is room for comment-id and comment-url. */
export const MAX_OUTPUTS_BYTES = 1024 * 1024 - 16 * 1024
/** The most entries `failures` and `warnings` hold each: far more than anyone reads, far less than 1 MiB. */
export const MAX_VERDICT_ENTRIES = 100
/**
 * Caps tried in turn, largest first, until all outputs fit: [text field, markdown] in characters and
 * the entries of `failures` and of `warnings`.
 */
const CAPS: readonly [number, number, number][] = [
  [64 * 1024, 256 * 1024, MAX_VERDICT_ENTRIES],
  [16 * 1024, 128 * 1024, MAX_VERDICT_ENTRIES],
  [4 * 1024, 64 * 1024, 50],
  [1024, 32 * 1024, 20],
  [256, 16 * 1024, 10]
]

/** Text cut to `maxChars` with a marker that says so; never inside a surrogate pair. */
export function cutMarked(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text
  const kept = prefix(text, maxChars)
  return `${kept}…[cut: ${text.length - kept.length} more characters]`
}

/** A field's value as a step output: '' when absent or null, booleans and numbers as text. */
export function fieldOutput(
  log: LogDetail | undefined,
  name: keyof LogDetail
): string {
  const value = log?.[name]
  if (value === undefined || value === null) return ''
  return typeof value === 'number' ? formatNumber(value) : String(value)
}

/**
 * Every output as name → value, with text fields cut at `fieldChars`, the markdown at `markdownChars`,
 * and `failures` and `warnings` at `maxEntries` entries each.
 */
function outputsWithCaps(
  outcome: Outcome,
  markdown: string,
  fieldChars: number,
  markdownChars: number,
  maxEntries: number
): [string, string][] {
  const result = resultOf(outcome)
  const checked = outcome.kind === 'checked' ? outcome : undefined
  const full = checked?.measured.log
  const log =
    full &&
    (Object.fromEntries(
      Object.entries(full).map(([k, v]) => [
        k,
        typeof v === 'string' ? cutMarked(v, fieldChars) : v
      ])
    ) as LogDetail)
  const cost = checked?.measured.metrics.distributions.cost.sum
  const found =
    checked?.baseline?.kind === 'found' ? checked.baseline : undefined
  const failures = verdictsJson(outcome, 'error', maxEntries)
  const warnings = verdictsJson(outcome, 'warn', maxEntries)
  const outputs: [string, string][] = [
    [OUTPUT.result, result],
    [OUTPUT.passed, String(result === 'pass')],
    [OUTPUT.failures, failures.json],
    [OUTPUT.failuresOmitted, String(failures.omitted)],
    [OUTPUT.warnings, warnings.json],
    [OUTPUT.warningsOmitted, String(warnings.omitted)],
    [OUTPUT.count, checked ? String(checked.measured.metrics.count) : ''],
    [
      OUTPUT.totalCost,
      cost === undefined || cost === null ? '' : formatNumber(cost)
    ],
    [OUTPUT.metrics, checked ? metricsJson(checked.measured.metrics) : ''],
    [OUTPUT.baselineRunId, found ? found.runId : ''],
    [OUTPUT.baselineMetrics, found ? metricsJson(found.metrics) : ''],
    [OUTPUT.log, log ? JSON.stringify(log) : ''],
    [OUTPUT.source, checked ? checked.measured.source : ''],
    [OUTPUT.trend, trendJson(checked?.measured.trend)],
    ...LOG_FIELDS.map((field): [string, string] => [
      field.output,
      fieldOutput(log, field.name)
    ]),
    [OUTPUT.markdown, cutMarked(markdown, markdownChars)]
  ]
  return outputs
}

/**
 * The `trend` output: one entry a day, oldest first, `{"date": "YYYY-MM-DD", "count", "cost", "errors"}`,
 * numbers as the source gave them (`cost` null when unknown), a day without calls as zeros; empty when
 * no trend was asked for (or the gate ended in an error). At most 62 small entries: never cut.
 */
export function trendJson(trend: readonly TrendDay[] | undefined): string {
  if (trend === undefined) return ''
  return JSON.stringify(
    dailyTrend(trend).map(({ date, count, cost, errors }) => ({
      date,
      count,
      cost,
      errors
    }))
  )
}

const bytes = (outputs: [string, string][]): number =>
  outputs.reduce(
    (sum, [name, value]) =>
      sum + Buffer.byteLength(name) + Buffer.byteLength(value),
    0
  )

/** The outputs to write: the largest caps under which they all fit in GitHub's limit. */
export function outputsOf(
  outcome: Outcome,
  markdown: string
): [string, string][] {
  let outputs: [string, string][] = []
  for (const [fieldChars, markdownChars, maxEntries] of CAPS) {
    outputs = outputsWithCaps(
      outcome,
      markdown,
      fieldChars,
      markdownChars,
      maxEntries
    )
    if (bytes(outputs) <= MAX_OUTPUTS_BYTES) break
  }
  return outputs
}
