// Pure: the `thresholds` input parsed into typed thresholds, the single-log limit inputs mapped onto
// the same type, and one evaluator for both against the metrics of a selection.
//
// Grammar, one threshold per line:   [warn:] <metric>[.<aggregate>] <op> <value>
//   metric     count, errors, error-rate, cached, cache-rate (one number each: no aggregate), or
//              cost, duration, tokens-in, tokens-out, tokens (sum, avg, min, max, p50, p90, p95, p99);
//              a bare cost or tokens* means the sum, a bare duration the max (the slowest call).
//   op         < <= > >= ==
//   value      with the units the limit inputs take: cost $2.00 / 2.00 / 2 USD; duration 8000 / 8000ms
//              / 8s / 1m (bare = ms); tokens and counts bare numbers; rates 2% or a fraction 0.02.
//   warn:      reported, never fails the job (Lighthouse CI's warn level).
// Blank lines are skipped, and `#` starts a comment to the end of the line (no value contains `#`).
// Names are case-insensitive. Anything else is a problem quoting the line; all problems are returned.
import { quoted } from '../text/escape.js'
import {
  isUsdAmount,
  parseDurationMs,
  parseUsd,
  parseWhole,
  type StatusPattern
} from './units.js'

export const THRESHOLDS_INPUT = 'thresholds'

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

const DEFAULT_AGGREGATE: Record<DistributionMetric, Aggregate> = {
  cost: 'sum',
  duration: 'max',
  'tokens-in': 'sum',
  'tokens-out': 'sum',
  tokens: 'sum'
}

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

const isScalar = (name: string): name is ScalarMetric =>
  (SCALAR_METRICS as readonly string[]).includes(name)
const isDistribution = (name: string): name is DistributionMetric =>
  (DISTRIBUTION_METRICS as readonly string[]).includes(name)
const isAggregate = (name: string): name is Aggregate =>
  (AGGREGATES as readonly string[]).includes(name)
const isOperator = (text: string): text is Operator =>
  (OPERATORS as readonly string[]).includes(text)

const DECIMAL = String.raw`(?:\d+(?:\.\d*)?|\.\d+)`
const NUMBER_RE = new RegExp(String.raw`^(${DECIMAL})$`)
const PERCENT_RE = new RegExp(String.raw`^(${DECIMAL})\s*%$`)
// `[warn:] name[.aggregate] op value`; the operator is taken greedily so that `=<` or `!=` are seen whole and refused.
const LINE_RE =
  /^(?:([a-z]+)\s*:\s*)?([a-z_][\w-]*)(?:\.([\w-]*))?\s*([<>=!≤≥]+)\s*(.*)$/i

function list(names: readonly string[]): string {
  return names.join(', ')
}

/** A limit's value with the units this metric takes, or why it is not one. */
export function parseLimitValue(
  metric: ScalarMetric | DistributionMetric,
  text: string
): { value: number } | { error: string } {
  const finite = (value: number): { value: number } | { error: string } =>
    Number.isFinite(value)
      ? { value }
      : { error: `value ${quoted(text)} is too large` }
  if (text === '') return { error: 'has no value' }
  switch (UNIT[metric]) {
    case 'USD': {
      // The same amounts max-cost takes.
      if (!isUsdAmount(text))
        return {
          error: `${metric} takes an amount in USD ($2.00, 2.00 or 2 USD), not ${quoted(text)}`
        }
      const usd = parseUsd(text)
      return usd === undefined
        ? { error: `value ${quoted(text)} is too large` }
        : { value: usd }
    }
    case 'ms':
      return durationLimitValue(metric, text)
    case 'tokens': {
      const m = NUMBER_RE.exec(text)
      return m
        ? finite(Number(m[1]))
        : { error: `${metric} takes a number of tokens, not ${quoted(text)}` }
    }
    case 'calls':
      return parseWhole(text) !== undefined
        ? finite(Number(text))
        : {
            error: `${metric} takes a whole number of calls, not ${quoted(text)}`
          }
    case 'fraction':
      return fractionLimitValue(metric, text)
  }
}

/** A duration limit: the same durations max-duration takes. */
function durationLimitValue(
  metric: ScalarMetric | DistributionMetric,
  text: string
): { value: number } | { error: string } {
  const parsed = parseDurationMs(text)
  if ('ms' in parsed) return { value: parsed.ms }
  if (parsed.error.startsWith('has an unknown unit'))
    return { error: parsed.error }
  if (parsed.error === 'is too large')
    return { error: `value ${quoted(text)} is too large` }
  return {
    error: `${metric} takes a duration (8000, 8000ms, 8s, 1m), not ${quoted(text)}`
  }
}

/** A rate's limit: a percentage (`2%`) or a fraction from 0 to 1 (`0.02`). */
function fractionLimitValue(
  metric: ScalarMetric | DistributionMetric,
  text: string
): { value: number } | { error: string } {
  const percent = PERCENT_RE.exec(text)
  if (percent) {
    // `7e-2` rather than 7 / 100: the decimal is read once, so 7% is exactly the double nearest 0.07.
    const value = Number(`${percent[1]}e-2`)
    return value <= 1
      ? { value }
      : { error: `${metric} ${quoted(text)} is over 100%` }
  }
  const number = NUMBER_RE.exec(text)
  // A bare 2 is most likely 2%, but it could mean 200%: refuse rather than guess.
  if (number && Number(number[1]) <= 1) return { value: Number(number[1]) }
  return {
    error: `${metric} takes a percentage (2%) or a fraction from 0 to 1 (0.02), not ${quoted(text)}`
  }
}

const BASELINE_RE = /^baseline(?:\s*([-+*])\s*(.*))?$/i
const FACTOR_RE = new RegExp(String.raw`^(${DECIMAL})$`)

/**
 * A limit as written after the operator: a value with the metric's units, or `baseline` with an
 * adjustment. After `+` or `-` a percentage is relative to the baseline (`baseline + 10%` is 1.10 times
 * it, also for a rate) and anything else is an amount in the metric's unit (`error-rate <= baseline +
 * 0.01`, `duration.p95 <= baseline + 500ms`); after `*` a positive factor.
 */
export function parseLimit(
  metric: ScalarMetric | DistributionMetric,
  text: string
): { limit: Limit } | { error: string } {
  const m = BASELINE_RE.exec(text)
  if (!m) {
    const parsed = parseLimitValue(metric, text)
    return 'error' in parsed
      ? parsed
      : { limit: { kind: 'value', value: parsed.value } }
  }
  const [, op, rawAmount] = m
  if (op === undefined)
    return {
      limit: { kind: 'baseline', adjust: 'times', amount: 1, text: 'baseline' }
    }
  const amountText = rawAmount!.trim()
  if (amountText === '')
    return {
      error: `has nothing after "baseline ${op}" (e.g. baseline + 10%, baseline * 1.2)`
    }
  return baselineAdjustment(metric, op, amountText)
}

/** `baseline * 1.2`, `baseline + 10%`, `baseline + 500ms`: the adjustment after `baseline`. */
function baselineAdjustment(
  metric: ScalarMetric | DistributionMetric,
  op: string,
  amountText: string
): { limit: Limit } | { error: string } {
  const written = `baseline ${op} ${amountText}`
  if (op === '*') {
    const factor = FACTOR_RE.exec(amountText) ? Number(amountText) : NaN
    if (!(factor > 0) || !Number.isFinite(factor)) {
      return {
        error: `multiplies the baseline by a positive number (baseline * 1.2), not ${quoted(amountText)}`
      }
    }
    return {
      limit: {
        kind: 'baseline',
        adjust: 'times',
        amount: factor,
        text: written
      }
    }
  }
  const sign = op === '-' ? -1 : 1
  const percent = PERCENT_RE.exec(amountText)
  if (percent) {
    const amount = Number(percent[1])
    if (!Number.isFinite(amount))
      return { error: `value ${quoted(amountText)} is too large` }
    return {
      limit: {
        kind: 'baseline',
        adjust: 'percent',
        amount: sign * amount,
        text: written
      }
    }
  }
  const parsed = parseLimitValue(metric, amountText)
  if ('error' in parsed) {
    return {
      error: `${parsed.error} (after "baseline ${op}": an amount in the metric's unit, or a percentage of the baseline)`
    }
  }
  return {
    limit: {
      kind: 'baseline',
      adjust: 'add',
      amount: sign * parsed.value,
      text: written
    }
  }
}

/** Why a metric name is not known, with the likely intended one when it is only spelt differently. */
function unknownMetric(name: string): string {
  const dashed = name.replace(/_/g, '-')
  const hint =
    isScalar(dashed) || isDistribution(dashed)
      ? ` (did you mean ${dashed}?)`
      : ''
  return `has an unknown metric ${quoted(name)}${hint}: use ${list([...SCALAR_METRICS, ...DISTRIBUTION_METRICS])}`
}

/** One line of `thresholds` (without its comment, not blank): a threshold, or why not. */
export function parseThresholdLine(
  text: string,
  input = THRESHOLDS_INPUT
): { threshold: Threshold } | { error: string } {
  const line = text.trim()
  const m = LINE_RE.exec(line)
  if (!m)
    return {
      error:
        'is not <metric>[.<aggregate>] <op> <value> (e.g. cost <= $2.00, duration.p95 < 8s, warn: error-rate < 2%)'
    }
  const [, prefix, rawName, rawAggregate, operator, rawValue] = m
  let level: Level = 'error'
  if (prefix !== undefined) {
    if (prefix.toLowerCase() !== 'warn')
      return {
        error: `has an unknown level ${quoted(`${prefix}:`)} (use warn: or nothing)`
      }
    level = 'warn'
  }
  const name = rawName!.toLowerCase()
  if (!isOperator(operator!))
    return {
      error: `has an unknown operator ${quoted(operator!)} (use ${list(OPERATORS)})`
    }
  const base = { operator, level, input, source: line }
  const value = rawValue!.trim()
  if (isScalar(name)) {
    if (rawAggregate !== undefined)
      return {
        error: `${name} is one number and has no aggregate (${quoted(`.${rawAggregate}`)})`
      }
    const parsed = parseLimit(name, value)
    if ('error' in parsed) return parsed
    return {
      threshold: { ...base, metric: name, aggregate: null, limit: parsed.limit }
    }
  }
  if (isDistribution(name)) {
    const aggregate =
      rawAggregate === undefined
        ? DEFAULT_AGGREGATE[name]
        : rawAggregate.toLowerCase()
    if (!isAggregate(aggregate))
      return {
        error: `has an unknown aggregate ${quoted(rawAggregate ?? '')} (use ${list(AGGREGATES)})`
      }
    const parsed = parseLimit(name, value)
    if ('error' in parsed) return parsed
    return {
      threshold: { ...base, metric: name, aggregate, limit: parsed.limit }
    }
  }
  return { error: unknownMetric(rawName!) }
}

/**
 * The `thresholds` input: every threshold, and one problem per bad line (`thresholds line 2
 * "duration.p95 < 8x" has an unknown unit "x" (use ms, s or m)`), so that config can report them all.
 */
export function parseThresholds(text: string): {
  thresholds: Threshold[]
  problems: string[]
} {
  const thresholds: Threshold[] = []
  const problems: string[] = []
  text.split(/\r?\n/).forEach((raw, index) => {
    const hash = raw.indexOf('#')
    const line = (hash >= 0 ? raw.slice(0, hash) : raw).trim()
    if (line === '') return
    const parsed = parseThresholdLine(line)
    if ('error' in parsed)
      problems.push(
        `${THRESHOLDS_INPUT} line ${index + 1} ${quoted(line)} ${parsed.error}`
      )
    else thresholds.push(parsed.threshold)
  })
  return { thresholds, problems }
}
