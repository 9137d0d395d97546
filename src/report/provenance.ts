// Pure: where the report's numbers came from and how far to trust them. Which source answered and why
// (`source: auto` chooses), the window it actually covered (GraphQL Analytics is minutes behind, so
// its window ends before the gate started), and whether its figures are exact (Cloudflare computed
// them over every call) or estimated from a sample, each with its 95% interval, and what the source
// could not give at all. A `logs` answer that was not chosen for a reason adds nothing: its report
// reads as it always did.
import { AGGREGATES } from '../inputs/threshold-terms.js'
import { formatNumber } from '../inputs/units.js'
import type { Verdict } from '../gate/verdict.js'
import { aggregateValue, type Metrics } from '../sources/metrics.js'
import {
  caveatOf,
  type Interval,
  type Measurements,
  type SourceName
} from '../sources/source.js'
import { count, duration, escapeText, rate, table, usd } from './format.js'

/** What the report calls each source. */
export const SOURCE_LABEL: Record<SourceName, string> = {
  logs: 'the Logs API',
  analytics: 'GraphQL Analytics'
}

/** The figures with an interval, in the order the report lists them; any other name follows, sorted. */
const INTERVAL_ORDER = [
  'count',
  'errors',
  'error-rate',
  'cached',
  'cache-rate',
  'cost.sum',
  'cost.avg',
  'tokens-in.sum',
  'tokens-in.avg',
  'tokens-out.sum',
  'tokens-out.avg',
  'tokens.sum',
  'tokens.avg'
]

type Provenance = Pick<
  Measurements,
  'source' | 'why' | 'covered' | 'intervals' | 'caveats' | 'metrics'
>

/** An interval that says something: a sample's (lower below upper, or fewer calls read than estimated). */
function sampledInterval(interval: Interval): boolean {
  return (
    interval.lower !== interval.upper || interval.sampleSize < interval.estimate
  )
}

/**
 * Whether the figures are estimates: an interval from a sample, or a metric the source marked
 * `estimated`. Degenerate intervals (lower = upper = estimate, every call counted) are exact.
 */
export function isSampled(
  measured: Pick<Provenance, 'intervals' | 'caveats'>
): boolean {
  return (
    Object.values(measured.intervals ?? {}).some(sampledInterval) ||
    measured.caveats.some((c) => c.kind === 'estimated')
  )
}

/** `2026-12-01 09:30:00` (UTC, to the second); a time the Date cannot hold is said to be unknown. */
export function utcText(ms: number): string {
  const date = new Date(ms)
  if (Number.isNaN(date.getTime())) return 'an unknown time'
  return date
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, '')
}

/** A window's length in words, to the second: `24 h`, `23 h 50 min`, `7 d`, `45 s`. */
export function spanText(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'an unknown length'
  let seconds = Math.round(ms / 1000)
  // Up to two days in hours, as `since: 24h` is written; from there in days.
  const units: [string, number][] = [
    ...(seconds >= 2 * 86_400 ? [['d', 86_400] as [string, number]] : []),
    ['h', 3_600],
    ['min', 60],
    ['s', 1]
  ]
  const parts: string[] = []
  for (const [unit, size] of units) {
    const n = Math.floor(seconds / size)
    seconds -= n * size
    if (n > 0) parts.push(`${n} ${unit}`)
  }
  return parts.length === 0 ? '0 s' : parts.join(' ')
}

/** A figure's value with its unit, rounded for people: `1,204 calls`, `0.1235%`, `12.35 USD`, `3.8 s`. */
export function figureText(name: string, value: number): string {
  const [metric, aggregate] = name.split('.')
  switch (metric) {
    case 'count':
    case 'errors':
    case 'cached':
      return `${count(value)} calls`
    case 'error-rate':
    case 'cache-rate':
      return rate(value)
    case 'cost':
      return usd(value)
    case 'duration':
      return duration(value)
    case 'tokens-in':
    case 'tokens-out':
    case 'tokens':
      return aggregate === 'avg'
        ? `${formatNumber(Number(value.toPrecision(4)))} tokens`
        : `${count(value)} tokens`
    default:
      return formatNumber(Number(value.toPrecision(6)))
  }
}

/** `1,150–1,260 calls`: the unit once, after the upper bound, when both bounds have the same. */
export function rangeText(name: string, lower: number, upper: number): string {
  const low = figureText(name, lower)
  const high = figureText(name, upper)
  const unit = (text: string): string | undefined =>
    /[ \u00a0]([^ \u00a0\d]+)$/.exec(text)?.[1]
  const u = unit(low)
  const lowShown =
    u !== undefined && u === unit(high) ? low.slice(0, -u.length - 1) : low
  return `${lowShown}–${high}`
}

/** `≈ 1,204 calls (95%: 1,150–1,260 calls)`: an estimate and its interval, in one cell. */
export function estimateText(name: string, interval: Interval): string {
  return `≈ ${figureText(name, interval.estimate)} (95%: ${rangeText(name, interval.lower, interval.upper)})`
}

/** A sentence from outside (`why`), escaped, ending with one full stop. */
function sentence(text: string): string {
  return `${escapeText(text.trim().replace(/[.\s]+$/, ''), 400)}.`
}

/** `**Measured by GraphQL Analytics**: <why>.`; undefined for a `logs` answer given no reason. */
export function measuredBy(
  measured: Pick<Provenance, 'source' | 'why'>
): string | undefined {
  const { source, why } = measured
  if (source === 'logs' && why === undefined) return undefined
  return `**Measured by ${SOURCE_LABEL[source]}**${why === undefined ? '.' : `: ${sentence(why)}`}`
}

/** The window the source covered, UTC to the second, and with analytics its lag. Undefined without one. */
export function windowSentence(
  measured: Pick<Provenance, 'source' | 'covered'>
): string | undefined {
  const { covered } = measured
  if (!covered) return undefined
  const lag =
    measured.source === 'analytics'
      ? '; analytics is minutes behind, so the calls of the last minutes may not be in it yet'
      : ''
  return `Window covered: ${utcText(covered.sinceMs)} to ${utcText(covered.untilMs)} UTC (${spanText(covered.untilMs - covered.sinceMs)})${lag}.`
}

/**
 * Whether GraphQL Analytics' figures are exact or estimates, and the one rule for thresholds on
 * estimates; `short` for the PR comment. Undefined for the logs source (its figures are the calls').
 */
export function exactness(
  measured: Pick<Provenance, 'source' | 'intervals' | 'caveats'>,
  short = false
): string | undefined {
  if (measured.source !== 'analytics') return undefined
  if (!isSampled(measured))
    return short
      ? 'Exact: computed by Cloudflare over every call.'
      : 'Its figures are exact: Cloudflare computed them over every call.'
  const size = measured.intervals?.count?.sampleSize
  const of =
    size === undefined
      ? ''
      : ` of ${count(size)} ${size === 1 ? 'call' : 'calls'}`
  return short
    ? `Estimated from a sample${of} (≈): thresholds are judged at the unfavourable end of the 95% interval.`
    : `Cloudflare answered from a sample${of}: its figures are estimates (≈), and a threshold on an estimate is judged at the unfavourable end of its 95% interval.`
}

/**
 * The job summary's paragraph on where the numbers came from: which source answered and why, the
 * window it covered, whether its figures are exact or estimated. Undefined for a `logs` answer given
 * no reason: every report of the logs source reads as it did before there was a second source.
 */
export function sourceParagraph(measured: Provenance): string | undefined {
  const first = measuredBy(measured)
  if (first === undefined) return undefined
  return [first, windowSentence(measured), exactness(measured)]
    .filter((s): s is string => s !== undefined)
    .join(' ')
}

/** The PR comment's shorter line: the source, why, exact or estimated; the window is in its details. */
export function sourceLine(measured: Provenance): string | undefined {
  const first = measuredBy(measured)
  if (first === undefined) return undefined
  return [first, exactness(measured, true)]
    .filter((s): s is string => s !== undefined)
    .join(' ')
}

/** The percentiles a caveat on a whole metric (`duration`) shows in one row, in this order. */
const PERCENTILE_AGGREGATES = ['p50', 'p90', 'p95', 'p99'] as const

/** A distribution's aggregate by its threshold name (`duration.p95`), when the metrics have it. */
function valueOf(metrics: Metrics, name: string): number | null {
  const [metric, aggregate] = name.split('.') as [string, string | undefined]
  const d = (
    metrics.distributions as Partial<
      Record<string, Metrics['distributions']['cost']>
    >
  )[metric]
  if (
    !d ||
    !aggregate ||
    !(AGGREGATES as readonly string[]).includes(aggregate)
  )
    return null
  return aggregateValue(d, aggregate as (typeof AGGREGATES)[number])
}

/**
 * The estimates table's row for a metric the source marked estimated: one aggregate
 * (`duration.p95`, `≈ 3.8 s`), or a whole metric's percentiles in one row (`duration p50 / p95`,
 * `≈ 1.2 s / 3.8 s`). Undefined when it has an interval (its row is there already) or no value.
 */
function caveatRow(
  metrics: Metrics,
  metric: string,
  intervals: Readonly<Record<string, Interval>>
): { name: string; estimate: string } | undefined {
  if (metric in intervals) return undefined
  if (metric.includes('.')) {
    const value = valueOf(metrics, metric)
    return {
      name: escapeText(metric, 80),
      estimate: value === null ? '—' : `≈ ${figureText(metric, value)}`
    }
  }
  const known = PERCENTILE_AGGREGATES.map((a) => ({
    a,
    value: valueOf(metrics, `${metric}.${a}`)
  })).filter(
    (p): p is { a: (typeof PERCENTILE_AGGREGATES)[number]; value: number } =>
      p.value !== null
  )
  if (known.length === 0) return undefined
  return {
    name: `${escapeText(metric, 80)} ${known.map((p) => p.a).join(' / ')}`,
    estimate: `≈ ${known.map((p) => figureText(`${metric}.${p.a}`, p.value)).join(' / ')}`
  }
}

/**
 * Every estimated figure in one table: each figure with an interval (its estimate and its 95%
 * interval), then the aggregates the source marked estimated (percentiles from a sampled histogram),
 * which have no interval: the reason stands in its place. Undefined when the figures are exact.
 */
export function estimatesTable(measured: Provenance): string | undefined {
  if (measured.source !== 'analytics' || !isSampled(measured)) return undefined
  const intervals = measured.intervals ?? {}
  const names = Object.keys(intervals).sort((a, b) => {
    const rank = (n: string): number => {
      const i = INTERVAL_ORDER.indexOf(n)
      return i === -1 ? INTERVAL_ORDER.length : i
    }
    return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0)
  })
  const rows = names.map((name) => {
    const interval = intervals[name]!
    return [
      escapeText(name, 80),
      `≈ ${figureText(name, interval.estimate)}`,
      rangeText(name, interval.lower, interval.upper)
    ]
  })
  for (const caveat of measured.caveats) {
    if (caveat.kind !== 'estimated') continue
    const row = caveatRow(measured.metrics, caveat.metric, intervals)
    if (row)
      rows.push([
        row.name,
        row.estimate,
        `no interval: ${escapeText(caveat.reason, 300)}`
      ])
  }
  if (rows.length === 0) return undefined
  return `**Estimated from the sample**\n\n${table(['Figure', 'Estimate', '95% interval'], rows, [1])}`
}

/** What the source could not give, each with its reason (a threshold on it fails closed, saying so). Undefined when it gave everything. */
export function unavailableList(measured: Provenance): string | undefined {
  const missing = measured.caveats.filter((c) => c.kind === 'unavailable')
  if (missing.length === 0) return undefined
  // One line per reason: `tokens.min, tokens.max, tokens.p50, …` share theirs.
  const byReason = new Map<string, string[]>()
  for (const c of missing)
    byReason.set(c.reason, [...(byReason.get(c.reason) ?? []), c.metric])
  const lines = [...byReason].map(
    ([reason, metrics]) =>
      `- ${metrics.map((m) => escapeText(m, 80)).join(', ')}: ${escapeText(reason, 400)}`
  )
  return `**Not available from ${SOURCE_LABEL[measured.source]}** (a threshold on one of these fails, saying why)\n\n${lines.join('\n')}`
}

/** Where the per-call sections would be: a source that never reads calls one by one says where they are. */
export function perCallLine(
  measured: Pick<Measurements, 'source'>
): string | undefined {
  if (measured.source !== 'analytics') return undefined
  return '_Per-call details (the costliest and slowest calls, the ids of failed calls) need `source: logs`: GraphQL Analytics gives totals, not calls._'
}

/**
 * A check's actual value as the checks table shows it: from a sample, the estimate and its interval
 * (`≈ 1,204 USD (95%: 1,150–1,260 USD)`), or `≈` before a value the source marked estimated; as the
 * gate wrote it otherwise. Escaped.
 */
export function actualCell(
  verdict: Pick<Verdict, 'name' | 'shown'>,
  measured?: Pick<Provenance, 'intervals' | 'caveats'>
): string {
  const shown = escapeText(verdict.shown.actual)
  if (!measured) return shown
  const interval = measured.intervals?.[verdict.name]
  if (interval && sampledInterval(interval))
    return estimateText(verdict.name, interval)
  const caveat = caveatOf(measured, verdict.name)
  if (
    caveat?.kind === 'estimated' &&
    verdict.shown.actual !== 'unknown' &&
    !verdict.shown.actual.startsWith('≈')
  )
    return `≈ ${shown}`
  return shown
}
