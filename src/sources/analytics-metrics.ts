// Pure: what GraphQL Analytics answered, turned into the same Metrics the logs source computes from
// rows, wherever analytics can give them. Chunks are added exactly (exactSum, as the logs source adds
// costs); percentiles come from the histograms by nearest rank over the cumulative counts, the same
// definition the logs source applies to a sorted list of calls, so the two agree on the same calls.
import {
  AnalyticsError,
  type Confidence,
  type Histogram,
  type ModelRow,
  type Sample,
  type StatusRow,
  type SumField,
  type Totals,
  type TrendRow
} from '../cloudflare/analytics.js'
import {
  DISTRIBUTION_METRICS,
  type DistributionMetric
} from '../inputs/threshold-terms.js'
import type { AnalyticsPlan } from './analytics-fields.js'
import {
  exactQuotient,
  exactSum,
  exactWeightedSum,
  nearestRank,
  type Distribution,
  type Metrics,
  type ModelMetrics,
  type Point
} from './metrics.js'
import type { Caveat, Interval, TrendDay } from './source.js'

/** The totals of every chunk, added: counts as integers, sums and bounds in decimal. */
export interface MergedTotals {
  count: number
  sums: Partial<Record<SumField, number>>
  confidence: { count: Confidence; sums: Partial<Record<SumField, Confidence>> }
  sampled: boolean
}

function addConfidence(parts: readonly Confidence[]): Confidence {
  // Bounds added are wider than the combined interval would be: conservative, never narrower.
  return {
    estimate: exactSum(parts.map((c) => c.estimate)),
    lower: exactSum(parts.map((c) => c.lower)),
    upper: exactSum(parts.map((c) => c.upper)),
    sampleSize: parts.reduce((n, c) => n + c.sampleSize, 0)
  }
}

export function mergeTotals(
  chunks: readonly Totals[],
  sums: readonly SumField[]
): MergedTotals {
  return {
    count: chunks.reduce((n, t) => n + t.count, 0),
    sums: Object.fromEntries(
      sums.map((s) => [s, exactSum(chunks.map((t) => t.sums[s] ?? 0))])
    ),
    confidence: {
      count: addConfidence(chunks.map((t) => t.confidence.count)),
      sums: Object.fromEntries(
        sums.map((s) => [
          s,
          addConfidence(chunks.map((t) => t.confidence.sums[s]!))
        ])
      )
    },
    sampled: chunks.some((t) => t.sampled)
  }
}

/** A value from a histogram: no single call stands behind it, so no id. */
const point = (value: number): Point => ({ value, id: '' })

/**
 * Min, max and the nearest-rank percentiles of a histogram, its exact sum and mean: the value at rank
 * ceil(p/100 × n) counting calls up from the smallest value, as the logs source takes it from the
 * sorted calls.
 */
export function histogramDistribution(
  histogram: Histogram
): Omit<Distribution, 'missing'> & { calls: number } {
  const { values, counts } = histogram
  const calls = counts.reduce((n, c) => n + c, 0)
  const { sum, avg } = exactWeightedSum(
    values.map((value, i) => ({ value, weight: counts[i]! }))
  )
  if (calls === 0)
    return {
      calls,
      sum,
      avg,
      min: null,
      max: null,
      p50: null,
      p90: null,
      p95: null,
      p99: null
    }
  const at = (p: number): Point => {
    const rank = nearestRank(p, calls)
    let seen = 0
    for (let i = 0; i < values.length; i++) {
      seen += counts[i]!
      if (seen >= rank) return point(values[i]!)
    }
    return point(values[values.length - 1]!)
  }
  // The ends are the first and last values some call had (a value counted 0 times is no call's).
  const held = values.filter((_, i) => counts[i]! > 0)
  return {
    calls,
    sum,
    avg,
    min: point(held[0]!),
    max: point(held[held.length - 1]!),
    p50: at(50),
    p90: at(90),
    p95: at(95),
    p99: at(99)
  }
}

const EMPTY: Distribution = {
  missing: 0,
  sum: null,
  avg: null,
  min: null,
  max: null,
  p50: null,
  p90: null,
  p95: null,
  p99: null
}

/** A 95% interval divided by a count's: the conservative ratio of the bounds, capped at `cap`. */
function ratio(part: Confidence, whole: Confidence, cap = Infinity): Interval {
  // The sampled calls are real calls: there are at least sampleSize of them, whatever the lower bound says.
  const fewest = Math.max(whole.lower, whole.sampleSize)
  return {
    estimate:
      whole.estimate === 0 ? 0 : Math.min(cap, part.estimate / whole.estimate),
    lower: whole.upper === 0 ? 0 : Math.min(cap, part.lower / whole.upper),
    upper: fewest === 0 ? cap : Math.min(cap, part.upper / fewest),
    sampleSize: whole.sampleSize
  }
}

const interval = (c: Confidence): Interval => ({ ...c })

/**
 * The intervals of a sampled answer, by the names the gate and the report use: counts and sums as
 * Cloudflare gave them, rates and averages as the conservative ratio of the bounds. Unsampled: none.
 */
export function intervalsOf(
  totals: MergedTotals
): Record<string, Interval> | undefined {
  if (!totals.sampled) return undefined
  const count = totals.confidence.count
  const sums = totals.confidence.sums
  const out: Record<string, Interval> = { count: interval(count) }
  if (sums.erroredRequests) {
    out.errors = interval(sums.erroredRequests)
    out['error-rate'] = ratio(sums.erroredRequests, count, 1)
  }
  if (sums.cachedRequests) {
    out.cached = interval(sums.cachedRequests)
    out['cache-rate'] = ratio(sums.cachedRequests, count, 1)
  }
  const metricSums: Array<[string, Confidence | undefined]> = [
    ['cost', sums.cost],
    ['tokens-in', sums.tokensIn],
    ['tokens-out', sums.tokensOut],
    [
      'tokens',
      sums.tokensIn && sums.tokensOut
        ? addConfidence([sums.tokensIn, sums.tokensOut])
        : undefined
    ]
  ]
  for (const [metric, sum] of metricSums) {
    if (!sum) continue
    out[`${metric}.sum`] = interval(sum)
    out[`${metric}.avg`] = ratio(sum, count)
  }
  return out
}

const compareText = (a: string, b: string): number =>
  a < b ? -1 : a > b ? 1 : 0

/** The models of every chunk merged by provider and model, ordered as the logs source orders them. */
export function mergeModels(chunks: readonly ModelRow[][]): ModelMetrics[] {
  const byKey = new Map<string, ModelRow[]>()
  for (const row of chunks.flat()) {
    const key = JSON.stringify([row.provider, row.model])
    byKey.set(key, [...(byKey.get(key) ?? []), row])
  }
  const total = (rows: ModelRow[], field: SumField): number | null =>
    rows.every((r) => r.sums[field] !== undefined)
      ? exactSum(rows.map((r) => r.sums[field]!))
      : null
  const models = [...byKey.values()].map((rows): ModelMetrics => ({
    provider: rows[0]!.provider,
    model: rows[0]!.model,
    calls: rows.reduce((n, r) => n + r.count, 0),
    errors: total(rows, 'erroredRequests') ?? 0,
    costUsd: total(rows, 'cost'),
    tokensIn: total(rows, 'tokensIn'),
    tokensOut: total(rows, 'tokensOut'),
    p95DurationMs: null
  }))
  return models.sort(
    (a, b) =>
      (b.costUsd ?? -Infinity) - (a.costUsd ?? -Infinity) ||
      b.calls - a.calls ||
      compareText(a.provider, b.provider) ||
      compareText(a.model, b.model)
  )
}

const DAY_MS = 86_400_000

/** The UTC days from `firstDay` to `lastDay` (YYYY-MM-DD), each with its calls; days without calls are zeros. */
export function trendDays(
  firstDay: string,
  lastDay: string,
  chunks: readonly TrendRow[][],
  withCost: boolean
): TrendDay[] {
  const byDate = new Map<string, TrendRow[]>()
  for (const row of chunks.flat())
    byDate.set(row.date, [...(byDate.get(row.date) ?? []), row])
  const days: TrendDay[] = []
  const lastMs = Date.parse(`${lastDay}T00:00:00Z`)
  for (
    let ms = Date.parse(`${firstDay}T00:00:00Z`);
    ms <= lastMs;
    ms += DAY_MS
  ) {
    const date = new Date(ms).toISOString().slice(0, 10)
    const rows = byDate.get(date) ?? []
    days.push({
      date,
      count: rows.reduce((n, r) => n + r.count, 0),
      cost: withCost ? exactSum(rows.map((r) => r.sums.cost ?? 0)) : null,
      errors: exactSum(rows.map((r) => r.sums.erroredRequests ?? 0))
    })
  }
  return days
}

/** What the source read, for metricsOf. */
export interface AnalyticsRead {
  plan: AnalyticsPlan
  totals: MergedTotals
  histograms: ReadonlyArray<{
    metric: DistributionMetric
    histogram: Histogram
  }>
  statusCodes?: { rows: readonly StatusRow[]; sample: Sample }
  models?: { chunks: ModelRow[][]; full: boolean; sample: Sample }
}

/** `estimated from a sample of N calls of about M`: why a figure from a sampled query is an estimate. */
export function sampleReason(count: Confidence): string {
  return `estimated from a sample of ${count.sampleSize} calls of about ${count.estimate} (GraphQL Analytics sampled the answer)`
}

/** A bound as a message shows it: 12 significant digits, without the noise of added floats. */
const bound = (x: number): number => Number(x.toPrecision(12))

const countText = (
  c: Pick<Confidence, 'estimate' | 'lower' | 'upper'>
): string =>
  c.lower === c.upper
    ? String(c.estimate)
    : `${bound(c.estimate)} (95%: ${bound(c.lower)}–${bound(c.upper)})`

/**
 * A group-by that gives every call one group (a histogram, the status codes) must count the calls the
 * totals count. Unsampled both: the same number. Sampled either: their intervals must meet (bounds
 * taken outward to whole calls, for rounding); an unsampled figure is its own point interval.
 */
export function checkAgainstTotals(
  calls: number,
  sample: Sample,
  totals: MergedTotals,
  what: string
): void {
  const whatCounted = `${calls}${sample.sampled ? ` (sampled, 95%: ${bound(sample.count.lower)}–${bound(sample.count.upper)})` : ''}`
  if (!totals.sampled && !sample.sampled) {
    if (calls === totals.count) return
    throw new AnalyticsError(
      'invalid-answer',
      `GraphQL Analytics counted ${totals.count} calls in the totals but ${calls} in the ${what} of the same window: the answers disagree (events reach analytics minutes after the call; is until too close to now?)`
    )
  }
  const [lower, upper] = sample.sampled
    ? [sample.count.lower, sample.count.upper]
    : [calls, calls]
  const t = totals.sampled
    ? totals.confidence.count
    : { estimate: totals.count, lower: totals.count, upper: totals.count }
  if (
    Math.floor(lower) <= Math.ceil(t.upper) &&
    Math.ceil(upper) >= Math.floor(t.lower)
  )
    return
  throw new AnalyticsError(
    'invalid-answer',
    `GraphQL Analytics counted ${countText(t)} calls in the totals but ${whatCounted} in the ${what} of the same window: the sampled answers disagree beyond their 95% intervals`
  )
}

const ESTIMATED_AGGREGATES = ['min', 'max', 'p50', 'p90', 'p95', 'p99'] as const

/** The sums and means the totals give exactly (cost, tokens); the rest of each distribution empty. */
function distributionsOfSums(
  totals: AnalyticsRead['totals']
): Record<DistributionMetric, Distribution> {
  const { count, sums } = totals
  const distributions = Object.fromEntries(
    DISTRIBUTION_METRICS.map((m) => [m, { ...EMPTY }])
  ) as Record<DistributionMetric, Distribution>
  const fromSums = (
    metric: DistributionMetric,
    sum: number | undefined
  ): void => {
    if (sum === undefined) return
    distributions[metric].sum = sum
    distributions[metric].avg = exactQuotient(sum, count)
  }
  fromSums('cost', sums.cost)
  fromSums('tokens-in', sums.tokensIn)
  fromSums('tokens-out', sums.tokensOut)
  if (sums.tokensIn !== undefined && sums.tokensOut !== undefined)
    fromSums('tokens', exactSum([sums.tokensIn, sums.tokensOut]))
  return distributions
}

/** Each histogram's figures into its distribution; the caveats of those read from a sample. */
function addHistograms(
  distributions: Record<DistributionMetric, Distribution>,
  read: AnalyticsRead
): Caveat[] {
  const caveats: Caveat[] = []
  for (const { metric, histogram } of read.histograms) {
    const { calls, ...figures } = histogramDistribution(histogram)
    // Every call has one value in the histogram: a different number of calls is another answer.
    checkAgainstTotals(
      calls,
      histogram.sample,
      read.totals,
      `${metric} histogram`
    )
    // The sum and mean of a metric with a sum of its own come from that sum (exact, with an interval).
    const own = distributions[metric]
    distributions[metric] =
      own.sum === null
        ? { missing: 0, ...figures }
        : { ...own, ...figures, sum: own.sum, avg: own.avg }
    // Cloudflare samples each query on its own: the histogram's figures are estimates when it was sampled.
    const sample = sampleReason(histogram.sample.count)
    if (histogram.sample.sampled)
      caveats.push(
        ...(metric === 'duration'
          ? [{ metric, kind: 'estimated' as const, reason: sample }]
          : ESTIMATED_AGGREGATES.map((a) => ({
              metric: `${metric}.${a}`,
              kind: 'estimated' as const,
              reason: sample
            })))
      )
  }
  return caveats
}

/** The status codes' and the models' caveats (sampled, a page that may not hold them all). */
function listCaveats(read: AnalyticsRead): Caveat[] {
  const { totals } = read
  const caveats: Caveat[] = []
  if (read.statusCodes) {
    const { rows, sample } = read.statusCodes
    // Every call has one status code (null: not reported): a partial list would pass any expected-status.
    checkAgainstTotals(
      rows.reduce((n, r) => n + r.count, 0),
      sample,
      totals,
      'status codes'
    )
    if (sample.sampled)
      caveats.push({
        metric: 'status-code',
        kind: 'estimated',
        reason: sampleReason(sample.count)
      })
  }
  if (read.models?.sample.sampled)
    caveats.push({
      metric: 'models',
      kind: 'estimated',
      reason: sampleReason(read.models.sample.count)
    })
  if (read.models?.full)
    caveats.push({
      metric: 'models',
      kind: 'estimated',
      reason:
        'a whole page of models came back, so models past it may be missing'
    })
  return caveats
}

/** Metrics as the logs source would give them, and the caveats of what analytics gives differently. */
export function metricsOf(read: AnalyticsRead): {
  metrics: Metrics
  caveats: Caveat[]
} {
  const { totals, plan } = read
  const { count, sums } = totals
  const distributions = distributionsOfSums(totals)
  const caveats = [
    ...plan.caveats,
    ...addHistograms(distributions, read),
    ...listCaveats(read)
  ]
  const errors = sums.erroredRequests ?? 0
  const cached = sums.cachedRequests ?? 0
  const rate = (part: number | undefined): number | null =>
    part === undefined || count === 0 ? null : part / count
  return {
    metrics: {
      count,
      errors,
      cached,
      errorRate: rate(sums.erroredRequests),
      cacheRate: rate(sums.cachedRequests),
      distributions,
      models: read.models ? mergeModels(read.models.chunks) : [],
      costliest: [],
      slowest: [],
      statusCodes: (read.statusCodes?.rows ?? []).map(
        ({ code, count: calls }) => ({
          code,
          calls,
          // No call stands behind an aggregate: no id, and no place among calls read one by one.
          first: { id: '', index: -1 }
        })
      )
    },
    caveats
  }
}
