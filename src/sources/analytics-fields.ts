// Pure: what the analytics source asks of GraphQL Analytics, decided from the thresholds and the
// account's availableFields before any real query. Cloudflare fails a whole query for one field the
// account is not entitled to, so a field is asked only when it is offered; a field a threshold needs
// and the account does not offer is an error naming both, and a field only the report would show is
// left out with an `unavailable` caveat saying why.
import type {
  HistogramDimension,
  SumField
} from '../cloudflare/analytics-query.js'
import { quoted } from '../text/escape.js'
import {
  type DistributionMetric,
  type Threshold
} from '../inputs/threshold-terms.js'
import { THRESHOLDS_INPUT } from '../inputs/thresholds.js'
import type { Caveat } from './source.js'

/** The histogram dimension behind each distribution metric; `tokens` (in + out per call) has none. */
export const HISTOGRAM_OF: Record<
  DistributionMetric,
  HistogramDimension | null
> = {
  duration: 'durationMs',
  cost: 'cost',
  'tokens-in': 'tokensIn',
  'tokens-out': 'tokensOut',
  tokens: null
}

/** The sum behind each distribution metric's sum and avg; `tokens` is tokensIn + tokensOut. */
const SUMS_OF: Record<DistributionMetric, SumField[]> = {
  duration: [],
  cost: ['cost'],
  'tokens-in': ['tokensIn'],
  'tokens-out': ['tokensOut'],
  tokens: ['tokensIn', 'tokensOut']
}

/** A field as availableFields names it: `sum_cost`, `dimensions_durationMs`. */
export const sumField = (field: SumField): string => `sum_${field}`
export const dimensionField = (dimension: string): string =>
  `dimensions_${dimension}`

/** The fields the trend reads: calls and errors a day are its point (cost is shown when offered). */
export const TREND_FIELDS = [
  'count',
  dimensionField('date'),
  sumField('erroredRequests')
] as const

/** The availableFields one threshold needs (the `duration` histogram and `count` are read anyway). */
export function fieldsOfThreshold(threshold: Threshold): string[] {
  switch (threshold.metric) {
    case 'status-code':
      return [dimensionField('statusCode')]
    case 'count':
      return ['count']
    case 'errors':
    case 'error-rate':
      return [sumField('erroredRequests')]
    case 'cached':
    case 'cache-rate':
      return [sumField('cachedRequests')]
  }
  const { metric, aggregate } = threshold
  if (metric === 'duration') return [dimensionField('durationMs')]
  if (aggregate === 'sum' || aggregate === 'avg')
    return SUMS_OF[metric].map(sumField)
  // min, max and percentiles: the histogram, when the metric has one (tokens is unavailable, not an error).
  const dimension = HISTOGRAM_OF[metric]
  return dimension ? [dimensionField(dimension)] : []
}

/** A threshold as the user wrote it, for a message: `thresholds "cost.p95 < $0.01"`, `"max-cost: 0.05"`. */
export function thresholdText(threshold: Threshold): string {
  return threshold.input === THRESHOLDS_INPUT
    ? `${THRESHOLDS_INPUT} ${quoted(threshold.source)}`
    : quoted(threshold.source)
}

/** Each field the thresholds need, with the first threshold that needs it, in the thresholds' order. */
export function analyticsFieldsNeeded(
  thresholds: readonly Threshold[]
): Array<{ field: string; threshold: Threshold }> {
  const needed = new Map<string, Threshold>()
  for (const threshold of thresholds)
    for (const field of fieldsOfThreshold(threshold))
      if (!needed.has(field)) needed.set(field, threshold)
  return [...needed].map(([field, threshold]) => ({ field, threshold }))
}

/**
 * Why a selection cannot be measured with the account's fields: one sentence per missing field a
 * threshold (or the trend) needs, naming both; empty when every needed field is offered.
 */
export function missingFields(
  thresholds: readonly Threshold[],
  trend: boolean,
  available: ReadonlySet<string>
): string[] {
  const offered = (field: string): boolean => available.has(field)
  const missing = analyticsFieldsNeeded(thresholds)
    .filter(({ field }) => !offered(field))
    .map(
      ({ field, threshold }) =>
        `${thresholdText(threshold)} needs ${field}, which this account's analytics does not offer (availableFields)`
    )
  if (trend)
    for (const field of TREND_FIELDS)
      if (!offered(field))
        missing.push(
          `trend needs ${field}, which this account's analytics does not offer (availableFields)`
        )
  return missing
}

/** What the source reads, given the thresholds and the fields offered. */
export interface AnalyticsPlan {
  /** The sums asked for in the totals (and the models). */
  sums: SumField[]
  /**
   * The histograms read: durationMs when offered, the others when a threshold asks for them.
   * `optional`: no threshold needs it (durationMs read for the report alone), so it is read last and
   * best-effort: a spent query budget makes it unavailable, not an error.
   */
  histograms: Array<{
    dimension: HistogramDimension
    metric: DistributionMetric
    optional: boolean
  }>
  statusCodes: boolean
  models: boolean
  /** Cost a day in the trend. */
  trendCost: boolean
  /** What the report cannot show, and why. */
  caveats: Caveat[]
}

const NOT_OFFERED = (field: string): string =>
  `this account's analytics does not offer ${field} (availableFields)`

/** Tokens in + out of one call: analytics groups by each alone, never by their total. */
export const TOKENS_PER_CALL_REASON =
  'analytics has no per-call total of tokens in and out, so its min, max and percentiles need source: logs'

export const PER_CALL_REASON =
  'per-call details (the costliest and slowest calls, the ids of failed calls) are not in analytics: they need source: logs'

/**
 * The histograms to read: durations when offered (for the report, if no threshold asks), cost and tokens
 * when a threshold asks for a figure only a histogram gives.
 */
function histogramsToRead(
  asked: ReadonlySet<string>,
  available: ReadonlySet<string>
): AnalyticsPlan['histograms'] {
  const histograms: AnalyticsPlan['histograms'] = []
  if (available.has(dimensionField('durationMs')))
    histograms.push({
      dimension: 'durationMs',
      metric: 'duration',
      optional: !asked.has(dimensionField('durationMs'))
    })
  for (const metric of ['cost', 'tokens-in', 'tokens-out'] as const) {
    const dimension = HISTOGRAM_OF[metric]!
    if (asked.has(dimensionField(dimension)))
      histograms.push({ dimension, metric, optional: false })
  }
  return histograms
}

/** The queries to make and the caveats of fields not offered; missingFields() is checked first. */
export function planAnalytics(
  thresholds: readonly Threshold[],
  available: ReadonlySet<string>
): AnalyticsPlan {
  const caveats: Caveat[] = []
  const unavailable = (metric: string, field: string): void => {
    caveats.push({ metric, kind: 'unavailable', reason: NOT_OFFERED(field) })
  }
  const sums = (
    [
      'cost',
      'erroredRequests',
      'cachedRequests',
      'tokensIn',
      'tokensOut'
    ] as const
  ).filter((field) => available.has(sumField(field)))
  const offers = (field: SumField): boolean => sums.includes(field)
  if (!offers('erroredRequests'))
    for (const m of ['errors', 'error-rate'])
      unavailable(m, sumField('erroredRequests'))
  if (!offers('cachedRequests'))
    for (const m of ['cached', 'cache-rate'])
      unavailable(m, sumField('cachedRequests'))
  for (const metric of ['cost', 'tokens-in', 'tokens-out', 'tokens'] as const) {
    const lacking = SUMS_OF[metric].find((field) => !offers(field))
    if (lacking)
      for (const aggregate of ['sum', 'avg'])
        unavailable(`${metric}.${aggregate}`, sumField(lacking))
  }
  for (const aggregate of ['min', 'max', 'p50', 'p90', 'p95', 'p99'])
    caveats.push({
      metric: `tokens.${aggregate}`,
      kind: 'unavailable',
      reason: TOKENS_PER_CALL_REASON
    })
  const asked = new Set(
    analyticsFieldsNeeded(thresholds).map(({ field }) => field)
  )
  const histograms = histogramsToRead(asked, available)
  if (!available.has(dimensionField('durationMs')))
    unavailable('duration', dimensionField('durationMs'))
  const models =
    available.has(dimensionField('model')) &&
    available.has(dimensionField('provider'))
  if (!models)
    unavailable(
      'models',
      `${dimensionField('model')} and ${dimensionField('provider')}`
    )
  caveats.push({
    metric: 'calls',
    kind: 'unavailable',
    reason: PER_CALL_REASON
  })
  return {
    sums,
    histograms,
    statusCodes: asked.has(dimensionField('statusCode')),
    models,
    trendCost: offers('cost'),
    caveats
  }
}
