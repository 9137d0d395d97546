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
import type { Limits } from './config.js'
import { INPUT } from './names.js'
import { inline } from '../text/escape.js'
import {
  formatNumber,
  isUsdAmount,
  parseDurationMs,
  parseUsd,
  parseWhole
} from './units.js'
import {
  AGGREGATES,
  aggregateCall,
  aggregateValue,
  DISTRIBUTION_METRICS,
  exactSum,
  SCALAR_METRICS,
  scalarValue,
  type Aggregate,
  type DistributionMetric,
  type Metrics,
  type ScalarMetric
} from '../sources/metrics.js'

export const THRESHOLDS_INPUT = 'thresholds'

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

/** The baseline as the thresholds see it: its metrics, or why there is none. */
export type BaselineMetrics = { metrics: Metrics } | { missing: string }

export type Threshold =
  | (ThresholdBase & { metric: ScalarMetric; aggregate: null })
  | (ThresholdBase & { metric: DistributionMetric; aggregate: Aggregate })

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

export interface ThresholdResult {
  threshold: Threshold
  /** `cost.sum`, `duration.p95`, `error-rate`. */
  name: string
  /** Null when the metric is unknown (a call without cost, no calls at all). */
  actual: number | null
  /** Null when it compares with a baseline that is not there (then the threshold is skipped). */
  limit: number | null
  /** A baseline limit: the baseline's value of the metric (null when unknown or missing); undefined otherwise. */
  baseline?: number | null
  /** Why a threshold that compares with the baseline was not checked; it is then a warning and never fails. */
  skipped?: string
  unit: Unit
  /** The call whose value the metric is (min, max, a percentile), for the report to point at. */
  callId: string | null
  level: Level
  passed: boolean
  /** Text with the unit: `0.75 USD`, `2.5% (3 of 120 calls)`, `unknown`. */
  actualText: string
  limitText: string
  /** One line: `duration.p95 9400 ms >= 8000 ms (call 01JAB…)`. */
  message: string
}

const DEFAULT_AGGREGATE: Record<DistributionMetric, Aggregate> = {
  cost: 'sum',
  duration: 'max',
  'tokens-in': 'sum',
  'tokens-out': 'sum',
  tokens: 'sum'
}

const UNIT: Record<ScalarMetric | DistributionMetric, Unit> = {
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

/** The log field a call lacks when a metric is unknown, as the API names it. */
const FIELD: Record<DistributionMetric, string> = {
  cost: 'cost',
  duration: 'duration',
  'tokens-in': 'tokens_in',
  'tokens-out': 'tokens_out',
  tokens: 'tokens_in or tokens_out'
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

/** A user's or the API's text in a message: quoted, on one line, invisible characters shown, cut short. */
function quote(text: string): string {
  return `"${inline(text, 80)}"`
}

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
      : { error: `value ${quote(text)} is too large` }
  if (text === '') return { error: 'has no value' }
  let m: RegExpExecArray | null
  switch (UNIT[metric]) {
    case 'USD': {
      // The same amounts max-cost takes.
      if (!isUsdAmount(text))
        return {
          error: `${metric} takes an amount in USD ($2.00, 2.00 or 2 USD), not ${quote(text)}`
        }
      const usd = parseUsd(text)
      return usd === undefined
        ? { error: `value ${quote(text)} is too large` }
        : { value: usd }
    }
    case 'ms': {
      // The same durations max-duration takes.
      const parsed = parseDurationMs(text)
      if ('ms' in parsed) return { value: parsed.ms }
      if (parsed.error.startsWith('has an unknown unit'))
        return { error: parsed.error }
      if (parsed.error === 'is too large')
        return { error: `value ${quote(text)} is too large` }
      return {
        error: `${metric} takes a duration (8000, 8000ms, 8s, 1m), not ${quote(text)}`
      }
    }
    case 'tokens':
      m = NUMBER_RE.exec(text)
      return m
        ? finite(Number(m[1]))
        : { error: `${metric} takes a number of tokens, not ${quote(text)}` }
    case 'calls':
      return parseWhole(text) !== undefined
        ? finite(Number(text))
        : {
            error: `${metric} takes a whole number of calls, not ${quote(text)}`
          }
    case 'fraction': {
      if ((m = PERCENT_RE.exec(text))) {
        // `7e-2` rather than 7 / 100: the decimal is read once, so 7% is exactly the double nearest 0.07.
        const value = Number(`${m[1]}e-2`)
        return value <= 1
          ? { value }
          : { error: `${metric} ${quote(text)} is over 100%` }
      }
      if ((m = NUMBER_RE.exec(text))) {
        const value = Number(m[1])
        // A bare 2 is most likely 2%, but it could mean 200%: refuse rather than guess.
        return value <= 1
          ? { value }
          : {
              error: `${metric} takes a percentage (2%) or a fraction from 0 to 1 (0.02), not ${quote(text)}`
            }
      }
      return {
        error: `${metric} takes a percentage (2%) or a fraction from 0 to 1 (0.02), not ${quote(text)}`
      }
    }
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
  const written = `baseline ${op} ${amountText}`
  if (op === '*') {
    const factor = FACTOR_RE.exec(amountText) ? Number(amountText) : NaN
    if (!(factor > 0) || !Number.isFinite(factor)) {
      return {
        error: `multiplies the baseline by a positive number (baseline * 1.2), not ${quote(amountText)}`
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
      return { error: `value ${quote(amountText)} is too large` }
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
  return `has an unknown metric ${quote(name)}${hint}: use ${list([...SCALAR_METRICS, ...DISTRIBUTION_METRICS])}`
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
        error: `has an unknown level ${quote(`${prefix}:`)} (use warn: or nothing)`
      }
    level = 'warn'
  }
  const name = rawName!.toLowerCase()
  if (!isOperator(operator!))
    return {
      error: `has an unknown operator ${quote(operator!)} (use ${list(OPERATORS)})`
    }
  const base = { operator, level, input, source: line }
  const value = rawValue!.trim()
  if (isScalar(name)) {
    if (rawAggregate !== undefined)
      return {
        error: `${name} is one number and has no aggregate (${quote(`.${rawAggregate}`)})`
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
        error: `has an unknown aggregate ${quote(rawAggregate ?? '')} (use ${list(AGGREGATES)})`
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
        `${THRESHOLDS_INPUT} line ${index + 1} ${quote(line)} ${parsed.error}`
      )
    else thresholds.push(parsed.threshold)
  })
  return { thresholds, problems }
}

/**
 * The limit inputs as thresholds, so that one evaluator serves both: `max-cost` and
 * `max-tokens-in`/`-out` budget the total of the selection, `max-duration` bounds the slowest call,
 * and `require-success` means no call failed. (`expected-status` is about each call's status code,
 * which is not a metric; it stays a per-call check.)
 */
export function limitsToThresholds(limits: Limits): Threshold[] {
  const thresholds: Threshold[] = []
  const atMost = (
    metric: DistributionMetric,
    aggregate: Aggregate,
    input: string,
    value: number
  ): void => {
    const source = `${input}: ${formatNumber(value)}`
    thresholds.push({
      metric,
      aggregate,
      operator: '<=',
      limit: { kind: 'value', value },
      level: 'error',
      input,
      source
    })
  }
  if (limits.maxCostUsd !== undefined)
    atMost('cost', 'sum', INPUT.maxCost, limits.maxCostUsd)
  if (limits.maxDurationMs !== undefined)
    atMost('duration', 'max', INPUT.maxDuration, limits.maxDurationMs)
  if (limits.maxTokensIn !== undefined)
    atMost('tokens-in', 'sum', INPUT.maxTokensIn, limits.maxTokensIn)
  if (limits.maxTokensOut !== undefined)
    atMost('tokens-out', 'sum', INPUT.maxTokensOut, limits.maxTokensOut)
  if (limits.requireSuccess) {
    thresholds.push({
      metric: 'errors',
      aggregate: null,
      operator: '==',
      limit: { kind: 'value', value: 0 },
      level: 'error',
      input: INPUT.requireSuccess,
      source: `${INPUT.requireSuccess}: true`
    })
  }
  return thresholds
}

export function thresholdName(threshold: Threshold): string {
  return threshold.aggregate === null
    ? threshold.metric
    : `${threshold.metric}.${threshold.aggregate}`
}

function compare(actual: number, operator: Operator, limit: number): boolean {
  switch (operator) {
    case '<':
      return actual < limit
    case '<=':
      return actual <= limit
    case '>':
      return actual > limit
    case '>=':
      return actual >= limit
    case '==':
      return actual === limit
  }
}

const NEGATION: Record<Operator, string> = {
  '<': '>=',
  '<=': '>',
  '>': '<=',
  '>=': '<',
  '==': '!='
}

/** A fraction as a percentage, without binary noise in the digits (0.07 is `7%`, not `7.000000000000001%`). */
function percent(fraction: number, significantDigits: number): string {
  return `${formatNumber(Number((fraction * 100).toPrecision(significantDigits)))}%`
}

function valueText(unit: Unit, value: number, precise: boolean): string {
  switch (unit) {
    case 'fraction':
      // Limits as written (12 digits); actual rates to 4 digits, with the counts beside them.
      return percent(value, precise ? 12 : 4)
    case 'calls':
      return `${formatNumber(value)}`
    default:
      return `${formatNumber(value)} ${unit}`
  }
}

const calls = (n: number): string =>
  `${formatNumber(n)} call${n === 1 ? '' : 's'}`

function actualText(
  threshold: Threshold,
  actual: number,
  metrics: Metrics
): string {
  switch (threshold.metric) {
    case 'errors':
    case 'cached':
      return `${formatNumber(actual)} of ${calls(metrics.count)}`
    case 'error-rate':
      return `${valueText('fraction', actual, false)} (${metrics.errors} of ${calls(metrics.count)})`
    case 'cache-rate':
      return `${valueText('fraction', actual, false)} (${metrics.cached} of ${calls(metrics.count)})`
    case 'count':
      return calls(actual)
    default:
      return valueText(UNIT[threshold.metric], actual, true)
  }
}

/** Why the actual value is unknown: no calls, or how many calls lack the field. */
function unknownReason(threshold: Threshold, metrics: Metrics): string {
  if (metrics.count === 0) return 'no calls'
  if (threshold.aggregate === null) return 'not computed'
  const missing = metrics.distributions[threshold.metric].missing
  return `${missing} of ${calls(metrics.count)} report${missing === 1 ? 's' : ''} no ${FIELD[threshold.metric]}`
}

/** A number without the noise of binary arithmetic (2.2 × 1.1 is 2.4200000000000004): 15 significant digits. */
function withoutNoise(value: number): number {
  return Number(value.toPrecision(15))
}

/** A baseline limit's number, given the baseline's value of the metric. */
export function resolveBaselineLimit(
  limit: BaselineLimit,
  baselineValue: number
): number {
  switch (limit.adjust) {
    case 'percent':
      return withoutNoise((baselineValue * (100 + limit.amount)) / 100)
    case 'add':
      return exactSum([baselineValue, limit.amount])
    case 'times':
      return withoutNoise(baselineValue * limit.amount)
  }
}

/** A threshold's metric in a set of metrics, and the call that set it (min, max, a percentile). */
function measure(
  threshold: Threshold,
  metrics: Metrics
): { value: number | null; callId: string | null } {
  if (threshold.aggregate === null)
    return { value: scalarValue(metrics, threshold.metric), callId: null }
  const d = metrics.distributions[threshold.metric]
  return {
    value: aggregateValue(d, threshold.aggregate),
    callId: aggregateCall(d, threshold.aggregate)
  }
}

type ResolvedLimit = { limit: number; baseline?: number } | { skipped: string }

/** The limit's number, or why a baseline limit has none: no baseline, or the baseline's value is unknown. */
function resolveLimit(
  threshold: Threshold,
  baseline: BaselineMetrics | undefined
): ResolvedLimit {
  const { limit } = threshold
  if (limit.kind === 'value') return { limit: limit.value }
  if (baseline === undefined) return { skipped: 'no baseline was read' }
  if ('missing' in baseline)
    return { skipped: `no baseline (${baseline.missing})` }
  const value = measure(threshold, baseline.metrics).value
  if (value === null) {
    return {
      skipped: `the baseline's ${thresholdName(threshold)} is unknown: ${unknownReason(threshold, baseline.metrics)}`
    }
  }
  return { limit: resolveBaselineLimit(limit, value), baseline: value }
}

/**
 * Each threshold against the metrics. A metric that is unknown fails its threshold (fails closed),
 * saying why: a cost limit over calls some of which have no cost cannot be said to hold. A threshold
 * that compares with the baseline when there is none (or its value is unknown) is not checked: it
 * becomes a warning saying why, and the rest of the gate stands.
 */
export function evaluateThresholds(
  thresholds: readonly Threshold[],
  metrics: Metrics,
  baseline?: BaselineMetrics
): ThresholdResult[] {
  return thresholds.map((threshold) => {
    const name = thresholdName(threshold)
    const unit = UNIT[threshold.metric]
    const { value: actual, callId } = measure(threshold, metrics)
    const from =
      threshold.input === THRESHOLDS_INPUT ? '' : ` (${threshold.input})`
    const resolved = resolveLimit(threshold, baseline)
    const shown =
      actual === null ? 'unknown' : actualText(threshold, actual, metrics)
    if ('skipped' in resolved) {
      const limitText =
        threshold.limit.kind === 'baseline' ? threshold.limit.text : ''
      const message = `${name} ${threshold.operator} ${limitText} not checked: ${resolved.skipped}${from}`
      const skipped = {
        limit: null,
        baseline: null,
        skipped: resolved.skipped,
        level: 'warn' as const,
        passed: false
      }
      return {
        threshold,
        name,
        unit,
        callId,
        actual,
        actualText: shown,
        limitText,
        message,
        ...skipped
      }
    }
    const { limit } = resolved
    // A limit as written keeps its digits; one worked out from the baseline is shown as actual values are.
    const number = valueText(unit, limit, threshold.limit.kind === 'value')
    const limitText =
      threshold.limit.kind === 'baseline'
        ? `${threshold.limit.text} (${number})`
        : number
    const baselineValue =
      'baseline' in resolved ? { baseline: resolved.baseline } : {}
    const base = {
      threshold,
      name,
      limit,
      unit,
      callId,
      level: threshold.level,
      limitText,
      ...baselineValue
    }
    if (actual === null) {
      const reason = unknownReason(threshold, metrics)
      const message = `${name} unknown: ${reason} (limit ${threshold.operator} ${limitText})${from}`
      return { ...base, actual, passed: false, actualText: shown, message }
    }
    const passed = compare(actual, threshold.operator, limit)
    const op = passed ? threshold.operator : NEGATION[threshold.operator]
    // The call's id comes from the API: inline() keeps it on the message's one line.
    const call =
      !passed && callId !== null && metrics.count > 1
        ? ` (call ${inline(callId, 80)})`
        : ''
    return {
      ...base,
      actual,
      passed,
      actualText: shown,
      message: `${name} ${shown} ${op} ${limitText}${from}${call}`
    }
  })
}

/**
 * Failed results of one level as JSON for the step's outputs (`warnings` for `warn`): numbers as
 * computed, the actual null when unknown.
 */
export function resultsJson(
  results: readonly ThresholdResult[],
  level: Level
): string {
  return JSON.stringify(
    results
      .filter((r) => !r.passed && r.level === level)
      .map((r) => ({
        metric: r.name,
        input: r.threshold.input,
        actual: r.actual,
        operator: r.threshold.operator,
        limit: r.limit,
        unit: r.unit,
        call: r.callId,
        message: r.message
      }))
  )
}
