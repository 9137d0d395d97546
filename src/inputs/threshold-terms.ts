// Pure: the vocabulary of thresholds, shared by the `thresholds` grammar, the limit inputs, the gate,
// the metrics and the report: the metrics, their aggregates and units, the operators and levels, and the
// types a threshold and its limit are read into.
import { type StatusPattern } from './units.js'

/** Metrics that are one number for the whole selection. */
export const SCALAR_METRICS = [
  'count',
  'errors',
  'error-rate',
  'cached',
  'cache-rate'
] as const
export type ScalarMetric = (typeof SCALAR_METRICS)[number]

/** Metrics that have a value per call, and so a distribution. */
export const DISTRIBUTION_METRICS = [
  'cost',
  'duration',
  'tokens-in',
  'tokens-out',
  'tokens'
] as const
export type DistributionMetric = (typeof DISTRIBUTION_METRICS)[number]

export const AGGREGATES = [
  'sum',
  'avg',
  'min',
  'max',
  'p50',
  'p90',
  'p95',
  'p99'
] as const
export type Aggregate = (typeof AGGREGATES)[number]

export const OPERATORS = ['<', '<=', '>', '>=', '=='] as const
export type Operator = (typeof OPERATORS)[number]
export type Level = 'error' | 'warn'

/** What a threshold compares the metric with: a number, or the same metric of the baseline run. */
export type Limit = { kind: 'value'; value: number } | BaselineLimit

/**
 * The baseline's value of the same metric, adjusted: `baseline` (as it is), `baseline + 10%` (relative:
 * times 1.10), `baseline + 0.01` or `baseline - 500ms` (absolute, in the metric's own unit), `baseline *
 * 1.2`. Resolved when the threshold is evaluated, since the baseline is read after the inputs.
 */
export interface BaselineLimit {
  kind: 'baseline'
  adjust: 'percent' | 'add' | 'times'
  /** A signed percentage (`percent`), a signed amount in the metric's unit (`add`), or a factor (`times`). */
  amount: number
  /** As written, spaced evenly: `baseline + 10%`. */
  text: string
}

export type Threshold =
  | (ThresholdBase & { metric: ScalarMetric; aggregate: null })
  | (ThresholdBase & { metric: DistributionMetric; aggregate: Aggregate })
  | StatusThreshold

/**
 * `expected-status`: every call's status code matches one of the patterns. Measured as the number of
 * calls outside them, which must be 0 (`==`, a value limit of 0).
 */
export type StatusThreshold = ThresholdBase & {
  metric: 'status-code'
  aggregate: null
  patterns: StatusPattern[]
}

interface ThresholdBase {
  operator: Operator
  limit: Limit
  level: Level
  /** The input it came from: `thresholds`, or a limit input such as `max-cost`. */
  input: string
  /** As written: the line of `thresholds`, or `max-cost: 0.05`. */
  source: string
}

export type Unit = 'USD' | 'ms' | 'tokens' | 'calls' | 'fraction'

export const UNIT: Record<ScalarMetric | DistributionMetric, Unit> = {
  count: 'calls',
  errors: 'calls',
  cached: 'calls',
  'error-rate': 'fraction',
  'cache-rate': 'fraction',
  cost: 'USD',
  duration: 'ms',
  'tokens-in': 'tokens',
  'tokens-out': 'tokens',
  tokens: 'tokens'
}

export const isScalar = (name: string): name is ScalarMetric =>
  (SCALAR_METRICS as readonly string[]).includes(name)
export const isDistribution = (name: string): name is DistributionMetric =>
  (DISTRIBUTION_METRICS as readonly string[]).includes(name)
export const isAggregate = (name: string): name is Aggregate =>
  (AGGREGATES as readonly string[]).includes(name)
export const isOperator = (text: string): text is Operator =>
  (OPERATORS as readonly string[]).includes(text)
