// Pure: the calls of a selection in, numbers out. One definition of every metric, used by the
// thresholds, the outputs and the report. A single log is a selection of one, so every aggregate of
// one call is that call's value.
import type { LogSummary } from '../cloudflare/log.js'
import {
  AGGREGATES,
  DISTRIBUTION_METRICS,
  type Aggregate,
  type DistributionMetric,
  type ScalarMetric
} from '../inputs/threshold-terms.js'

export type { LogSummary }

const PERCENTILES: Record<'p50' | 'p90' | 'p95' | 'p99', number> = {
  p50: 50,
  p90: 90,
  p95: 95,
  p99: 99
}

/** One call's value of a metric, and which call it was. */
export interface Point {
  value: number
  id: string
}

export interface Distribution {
  /**
   * Calls that did not report this value (a call without `cost`, `tokens_in: null`). When it is not
   * zero every aggregate is null: a sum over part of the calls would look like a total and is not one.
   */
  missing: number
  sum: number | null
  avg: number | null
  min: Point | null
  max: Point | null
  p50: Point | null
  p90: Point | null
  p95: Point | null
  p99: Point | null
}

export interface ModelMetrics {
  provider: string
  model: string
  calls: number
  errors: number
  /** Null when a call of this model has no cost. */
  costUsd: number | null
  tokensIn: number | null
  tokensOut: number | null
  p95DurationMs: Point | null
}

/** A call as the report lists it among the costliest or the slowest. */
export interface CallRef {
  id: string
  createdAt: string
  provider: string
  model: string
  success: boolean
  costUsd: number | null
  durationMs: number | null
}

export interface Metrics {
  count: number
  errors: number
  cached: number
  /** errors / count; null when there are no calls (0 of 0 is not a rate). */
  errorRate: number | null
  cacheRate: number | null
  distributions: Record<DistributionMetric, Distribution>
  /** One entry per provider and model: costliest first, then the ones whose cost is unknown. */
  models: ModelMetrics[]
  /** Up to five calls with the highest cost (calls without cost are left out). */
  costliest: CallRef[]
  /** Up to five calls with the longest duration. */
  slowest: CallRef[]
  /** How many calls answered with each status code (null: not reported), in the order first seen. */
  statusCodes: StatusCount[]
}

/** The calls of one status code, and the first of them (for a message to point at). */
export interface StatusCount {
  code: number | null
  calls: number
  /** The first call with this code, and its place among the calls read (from 0). */
  first: { id: string; index: number }
}

/** Calls counted by status code, in the order each code first appears. */
function statusCounts(logs: readonly LogSummary[]): StatusCount[] {
  const byCode = new Map<number | null, StatusCount>()
  logs.forEach((log, index) => {
    const code = log.status_code ?? null
    const known = byCode.get(code)
    if (known) known.calls++
    else byCode.set(code, { code, calls: 1, first: { id: log.id, index } })
  })
  return [...byCode.values()]
}

export const TOP_CALLS = 5

/** A finite number, or null: anything else the API might send counts as "not reported". */
function known(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

/** The value each call has for a metric (null when the call did not report it). */
export function callValue(
  log: LogSummary,
  metric: DistributionMetric
): number | null {
  switch (metric) {
    case 'cost':
      return known(log.cost)
    case 'duration':
      return known(log.duration)
    case 'tokens-in':
      return known(log.tokens_in)
    case 'tokens-out':
      return known(log.tokens_out)
    case 'tokens': {
      const tokensIn = known(log.tokens_in)
      const tokensOut = known(log.tokens_out)
      return tokensIn === null || tokensOut === null
        ? null
        : tokensIn + tokensOut
    }
  }
}

// Sums are exact in decimal. A cost is a decimal the API wrote in JSON (0.0012); adding the doubles
// that approximate them drifts (0.1 + 0.2 = 0.30000000000000004, and 1000 calls at 0.0012 do not
// add up to 1.2), and the drift depends on the order of the calls. So each value is taken as its
// shortest round-trip decimal (what `String(value)` prints, which is what the JSON said), the values
// are added as scaled BigInts, and the total is rounded to a double once. The result does not depend
// on the order of the calls.

interface Decimal {
  /** value = digits × 10^-scale; a term's scale is negative for 1e+21, a sum's never is */
  digits: bigint
  scale: number
}

function toDecimal(value: number): Decimal {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value))
  if (!m) throw new RangeError(`not a finite number: ${value}`)
  const fraction = m[3] ?? ''
  return {
    digits: BigInt(`${m[1]}${m[2]}${fraction}`),
    scale: fraction.length - Number(m[4] ?? 0)
  }
}

function decimalText({ digits, scale }: Decimal): string {
  const negative = digits < 0n
  const text = (negative ? -digits : digits).toString().padStart(scale + 1, '0')
  const whole = text.slice(0, text.length - scale)
  const fraction = text.slice(text.length - scale)
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`
}

const POWERS_OF_TEN: bigint[] = []
function tenToThe(exponent: number): bigint {
  return (POWERS_OF_TEN[exponent] ??= 10n ** BigInt(exponent))
}

/** The sum when every value and every partial sum is a safe integer (durations, tokens): then doubles add exactly. */
function wholeNumberSum(values: readonly number[]): number | null {
  let sum = 0
  for (const value of values) {
    sum += value
    if (!Number.isSafeInteger(value) || !Number.isSafeInteger(sum)) return null
  }
  return sum
}

function decimalSum(values: readonly number[]): Decimal {
  const whole = wholeNumberSum(values)
  if (whole !== null) return { digits: BigInt(whole), scale: 0 }
  const decimals = values.map(toDecimal)
  // From 0, not from the first term: a term with a negative scale (1e+21) is scaled up to whole digits here.
  let scale = 0
  for (const d of decimals) scale = Math.max(scale, d.scale)
  let digits = 0n
  for (const d of decimals) digits += d.digits * tenToThe(scale - d.scale)
  return { digits, scale }
}

/** The exact decimal sum of the values, rounded once to the nearest double. */
export function exactSum(values: readonly number[]): number {
  return Number(decimalText(decimalSum(values)))
}

// Digits kept beyond the sum's own scale when dividing for the mean: far more than a double holds.
const MEAN_EXTRA_DIGITS = 24

function decimalMean(sum: Decimal, count: number): number {
  const n = BigInt(count)
  const scaled = sum.digits * tenToThe(MEAN_EXTRA_DIGITS)
  // Round half away from zero at the last kept digit; the double rounding that follows is far below a double's precision.
  const half = scaled < 0n ? -n / 2n : n / 2n
  return Number(
    decimalText({
      digits: (scaled + half) / n,
      scale: sum.scale + MEAN_EXTRA_DIGITS
    })
  )
}

/**
 * A histogram's exact sum and mean: each value counted `weight` times (an analytics group's value and
 * its count), added in decimal as exactSum adds, so it equals the sum over the calls one by one.
 */
export function exactWeightedSum(
  terms: ReadonlyArray<{ value: number; weight: number }>
): { sum: number | null; avg: number | null } {
  let calls = 0
  for (const { weight } of terms) calls += weight
  if (calls === 0) return { sum: null, avg: null }
  const decimals = terms.map(({ value, weight }) => {
    const d = toDecimal(value)
    return { digits: d.digits * BigInt(weight), scale: d.scale }
  })
  let scale = 0
  for (const d of decimals) scale = Math.max(scale, d.scale)
  let digits = 0n
  for (const d of decimals) digits += d.digits * tenToThe(scale - d.scale)
  const sum = { digits, scale }
  return { sum: Number(decimalText(sum)), avg: decimalMean(sum, calls) }
}

/** A sum already added (a total an API reported) divided by a count as exactMean divides; null for no calls. */
export function exactQuotient(sum: number, count: number): number | null {
  return count === 0 ? null : decimalMean(toDecimal(sum), count)
}

/** The exact sum divided by the count, rounded to the nearest double (0.3 / 3 is 0.1, not 0.09999999999999999). */
export function exactMean(values: readonly number[]): number | null {
  return values.length === 0
    ? null
    : decimalMean(decimalSum(values), values.length)
}

/**
 * The 1-based nearest rank of percentile p among n values: ceil(p/100 × n), computed as p × n / 100 so
 * that a binary fraction cannot push it up a rank (0.07 × 100 is 7.000000000000001 in doubles).
 */
export function nearestRank(p: number, n: number): number {
  return Math.max(1, Math.ceil((p * n) / 100))
}

/**
 * Calls in a fixed order: ascending by value, then by created_at, then by id. Ties then always
 * resolve to the same call, whatever order the API returned the rows in.
 */
function ascending(points: Array<Point & { createdAt: string }>): Point[] {
  return [...points]
    .sort(
      (a, b) =>
        a.value - b.value ||
        compareText(a.createdAt, b.createdAt) ||
        compareText(a.id, b.id)
    )
    .map(({ value, id }) => ({ value, id }))
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

const EMPTY: Omit<Distribution, 'missing'> = {
  sum: null,
  avg: null,
  min: null,
  max: null,
  p50: null,
  p90: null,
  p95: null,
  p99: null
}

export function distribution(
  logs: readonly LogSummary[],
  metric: DistributionMetric
): Distribution {
  const points: Array<Point & { createdAt: string }> = []
  let missing = 0
  for (const log of logs) {
    const value = callValue(log, metric)
    if (value === null) missing++
    else points.push({ value, id: log.id, createdAt: log.created_at })
  }
  if (missing > 0 || points.length === 0) return { missing, ...EMPTY }
  const sorted = ascending(points)
  const at = (p: number): Point => sorted[nearestRank(p, sorted.length) - 1]!
  const sum = decimalSum(sorted.map((p) => p.value))
  return {
    missing,
    sum: Number(decimalText(sum)),
    avg: decimalMean(sum, sorted.length),
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    p50: at(PERCENTILES.p50),
    p90: at(PERCENTILES.p90),
    p95: at(PERCENTILES.p95),
    p99: at(PERCENTILES.p99)
  }
}

/** One aggregate of a distribution as a number (null when unknown). */
export function aggregateValue(
  d: Distribution,
  aggregate: Aggregate
): number | null {
  const value = d[aggregate]
  return value === null ? null : typeof value === 'number' ? value : value.value
}

/** The call that set an aggregate, when it is one call's value (min, max, a percentile). */
export function aggregateCall(
  d: Distribution,
  aggregate: Aggregate
): string | null {
  const value = d[aggregate]
  return value !== null && typeof value === 'object' ? value.id : null
}

export function scalarValue(
  metrics: Metrics,
  metric: ScalarMetric
): number | null {
  switch (metric) {
    case 'count':
      return metrics.count
    case 'errors':
      return metrics.errors
    case 'error-rate':
      return metrics.errorRate
    case 'cached':
      return metrics.cached
    case 'cache-rate':
      return metrics.cacheRate
  }
}

function callRef(log: LogSummary): CallRef {
  return {
    id: log.id,
    createdAt: log.created_at,
    provider: log.provider,
    model: log.model,
    success: log.success,
    costUsd: known(log.cost),
    durationMs: known(log.duration)
  }
}

/** The `limit` calls with the highest value of a metric, highest first; ties go to the earlier call. */
function top(
  logs: readonly LogSummary[],
  metric: 'cost' | 'duration',
  limit: number
): CallRef[] {
  return logs
    .map((log) => ({ log, value: callValue(log, metric) }))
    .filter(
      (entry): entry is { log: LogSummary; value: number } =>
        entry.value !== null
    )
    .sort(
      (a, b) =>
        b.value - a.value ||
        compareText(a.log.created_at, b.log.created_at) ||
        compareText(a.log.id, b.log.id)
    )
    .slice(0, limit)
    .map((entry) => callRef(entry.log))
}

/** The exact sum of a metric over the calls, or null when a call lacks it (as in a distribution, without sorting). */
function total(
  logs: readonly LogSummary[],
  metric: DistributionMetric
): number | null {
  const values: number[] = []
  for (const log of logs) {
    const value = callValue(log, metric)
    if (value === null) return null
    values.push(value)
  }
  return values.length === 0 ? null : exactSum(values)
}

function modelMetrics(logs: readonly LogSummary[]): ModelMetrics[] {
  const groups = new Map<string, LogSummary[]>()
  for (const log of logs) {
    const key = JSON.stringify([log.provider, log.model])
    const group = groups.get(key)
    if (group) group.push(log)
    else groups.set(key, [log])
  }
  const models = [...groups.values()].map((group): ModelMetrics => ({
    provider: group[0]!.provider,
    model: group[0]!.model,
    calls: group.length,
    errors: group.filter((log) => log.success !== true).length,
    costUsd: total(group, 'cost'),
    tokensIn: total(group, 'tokens-in'),
    tokensOut: total(group, 'tokens-out'),
    p95DurationMs: distribution(group, 'duration').p95
  }))
  // Where the money went first; models whose cost is unknown after the ones with a cost.
  return models.sort(
    (a, b) =>
      (b.costUsd ?? -Infinity) - (a.costUsd ?? -Infinity) ||
      b.calls - a.calls ||
      compareText(a.provider, b.provider) ||
      compareText(a.model, b.model)
  )
}

export function computeMetrics(logs: readonly LogSummary[]): Metrics {
  const count = logs.length
  // A call that is not recorded as a success is an error: `success` is required, and anything but `true` is not one.
  const errors = logs.filter((log) => log.success !== true).length
  const cached = logs.filter((log) => log.cached === true).length
  const distributions = Object.fromEntries(
    DISTRIBUTION_METRICS.map((metric) => [metric, distribution(logs, metric)])
  ) as Record<DistributionMetric, Distribution>
  return {
    count,
    errors,
    cached,
    errorRate: count === 0 ? null : errors / count,
    cacheRate: count === 0 ? null : cached / count,
    distributions,
    models: modelMetrics(logs),
    costliest: top(logs, 'cost', TOP_CALLS),
    slowest: top(logs, 'duration', TOP_CALLS),
    statusCodes: statusCounts(logs)
  }
}

/**
 * The metrics whose sum is not a finite number: each value is finite, but their exact sum is past the
 * largest double (about 1.8e308), so it rounds to Infinity. No real bill or token count comes near it,
 * so such an answer is not valid; measured anyway, `total-cost` would say Infinity while `metrics`
 * (JSON, which has no Infinity) said null, and a threshold would compare with Infinity.
 */
export function nonFiniteSums(metrics: Metrics): DistributionMetric[] {
  return DISTRIBUTION_METRICS.filter((metric) => {
    const sum = metrics.distributions[metric].sum
    return sum !== null && !Number.isFinite(sum)
  })
}

/** One line for an outcome or a missing baseline: `the sum of cost over 2 calls is not a finite number (past 1.8e308)`. */
export function nonFiniteSumsText(
  metrics: Metrics,
  overflowing: readonly DistributionMetric[]
): string {
  const calls = `${metrics.count} call${metrics.count === 1 ? '' : 's'}`
  return `the sum of ${overflowing.join(' and of ')} over ${calls} is not a finite number (past 1.8e308, the largest a number holds)`
}

/**
 * The `metrics` output: `{"count", "errors", "error-rate", "cached", "cache-rate", "cost": {"sum",
 * "avg", "min", "max", "p50", "p90", "p95", "p99"}, "duration": {…}, "tokens-in": {…},
 * "tokens-out": {…}, "tokens": {…}}`, numbers as computed (no rounding), null where unknown.
 */
export function metricsJson(metrics: Metrics): string {
  const out: Record<string, unknown> = {
    count: metrics.count,
    errors: metrics.errors,
    'error-rate': metrics.errorRate,
    cached: metrics.cached,
    'cache-rate': metrics.cacheRate
  }
  for (const metric of DISTRIBUTION_METRICS) {
    const d = metrics.distributions[metric]
    out[metric] = Object.fromEntries(
      AGGREGATES.map((aggregate) => [aggregate, aggregateValue(d, aggregate)])
    )
  }
  return JSON.stringify(out)
}
