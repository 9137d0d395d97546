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
import { INPUT } from './inputs.js'
import { inline } from './escape.js'
import { formatNumber } from './units.js'
import {
  AGGREGATES,
  aggregateCall,
  aggregateValue,
  DISTRIBUTION_METRICS,
  SCALAR_METRICS,
  scalarValue,
  type Aggregate,
  type DistributionMetric,
  type Metrics,
  type ScalarMetric
} from './metrics.js'

export const THRESHOLDS_INPUT = 'thresholds'

export const OPERATORS = ['<', '<=', '>', '>=', '=='] as const
export type Operator = (typeof OPERATORS)[number]
export type Level = 'error' | 'warn'

/**
 * What a threshold compares the metric with. A number today; the union leaves room for a limit
 * worked out from another run (a baseline), resolved when the threshold is evaluated.
 */
export type Limit = { kind: 'value'; value: number }

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
  limit: number
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

const isScalar = (name: string): name is ScalarMetric => (SCALAR_METRICS as readonly string[]).includes(name)
const isDistribution = (name: string): name is DistributionMetric => (DISTRIBUTION_METRICS as readonly string[]).includes(name)
const isAggregate = (name: string): name is Aggregate => (AGGREGATES as readonly string[]).includes(name)
const isOperator = (text: string): text is Operator => (OPERATORS as readonly string[]).includes(text)

const DECIMAL = String.raw`(?:\d+(?:\.\d*)?|\.\d+)`
const USD_RE = new RegExp(String.raw`^\$?\s*(${DECIMAL})(?:\s*USD)?$`, 'i')
const DURATION_RE = new RegExp(String.raw`^(${DECIMAL})\s*([a-z]*)$`, 'i')
// The same units as max-duration and wait-timeout take.
const DURATION_UNIT_MS: Record<string, number> = { '': 1, ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000 }
const NUMBER_RE = new RegExp(String.raw`^(${DECIMAL})$`)
const PERCENT_RE = new RegExp(String.raw`^(${DECIMAL})\s*%$`)
const WHOLE_RE = /^\d+$/
// `[warn:] name[.aggregate] op value`; the operator is taken greedily so that `=<` or `!=` are seen whole and refused.
const LINE_RE = /^(?:([a-z]+)\s*:\s*)?([a-z_][\w-]*)(?:\.([\w-]*))?\s*([<>=!≤≥]+)\s*(.*)$/i

/** A user's or the API's text in a message: quoted, on one line, invisible characters shown, cut short. */
function quote(text: string): string {
  return `"${inline(text, 80)}"`
}

function list(names: readonly string[]): string {
  return names.join(', ')
}

/** A limit's value with the units this metric takes, or why it is not one. */
export function parseLimitValue(metric: ScalarMetric | DistributionMetric, text: string): { value: number } | { error: string } {
  const finite = (value: number): { value: number } | { error: string } =>
    Number.isFinite(value) ? { value } : { error: `value ${quote(text)} is too large` }
  if (text === '') return { error: 'has no value' }
  if (/^baseline\b/i.test(text)) return { error: `compares with a baseline, which this version does not read: use a number` }
  let m: RegExpExecArray | null
  switch (UNIT[metric]) {
    case 'USD':
      m = USD_RE.exec(text)
      return m ? finite(Number(m[1])) : { error: `${metric} takes an amount in USD ($2.00, 2.00 or 2 USD), not ${quote(text)}` }
    case 'ms': {
      m = DURATION_RE.exec(text)
      if (!m) return { error: `${metric} takes a duration (8000, 8000ms, 8s, 1m), not ${quote(text)}` }
      const factor = DURATION_UNIT_MS[m[2]!.toLowerCase()]
      if (factor === undefined) return { error: `has an unknown unit ${quote(m[2]!)} (use ms, s or m)` }
      return finite(Number(m[1]) * factor)
    }
    case 'tokens':
      m = NUMBER_RE.exec(text)
      return m ? finite(Number(m[1])) : { error: `${metric} takes a number of tokens, not ${quote(text)}` }
    case 'calls':
      return WHOLE_RE.test(text) ? finite(Number(text)) : { error: `${metric} takes a whole number of calls, not ${quote(text)}` }
    case 'fraction': {
      if ((m = PERCENT_RE.exec(text))) {
        // `7e-2` rather than 7 / 100: the decimal is read once, so 7% is exactly the double nearest 0.07.
        const value = Number(`${m[1]}e-2`)
        return value <= 1 ? { value } : { error: `${metric} ${quote(text)} is over 100%` }
      }
      if ((m = NUMBER_RE.exec(text))) {
        const value = Number(m[1])
        // A bare 2 is most likely 2%, but it could mean 200%: refuse rather than guess.
        return value <= 1 ? { value } : { error: `${metric} takes a percentage (2%) or a fraction from 0 to 1 (0.02), not ${quote(text)}` }
      }
      return { error: `${metric} takes a percentage (2%) or a fraction from 0 to 1 (0.02), not ${quote(text)}` }
    }
  }
}

/** Why a metric name is not known, with the likely intended one when it is only spelt differently. */
function unknownMetric(name: string): string {
  const dashed = name.replace(/_/g, '-')
  const hint = isScalar(dashed) || isDistribution(dashed) ? ` (did you mean ${dashed}?)` : ''
  return `has an unknown metric ${quote(name)}${hint}: use ${list([...SCALAR_METRICS, ...DISTRIBUTION_METRICS])}`
}

/** One line of `thresholds` (without its comment, not blank): a threshold, or why not. */
export function parseThresholdLine(text: string, input = THRESHOLDS_INPUT): { threshold: Threshold } | { error: string } {
  const line = text.trim()
  const m = LINE_RE.exec(line)
  if (!m) return { error: 'is not <metric>[.<aggregate>] <op> <value> (e.g. cost <= $2.00, duration.p95 < 8s, warn: error-rate < 2%)' }
  const [, prefix, rawName, rawAggregate, operator, rawValue] = m
  let level: Level = 'error'
  if (prefix !== undefined) {
    if (prefix.toLowerCase() !== 'warn') return { error: `has an unknown level ${quote(`${prefix}:`)} (use warn: or nothing)` }
    level = 'warn'
  }
  const name = rawName!.toLowerCase()
  if (!isOperator(operator!)) return { error: `has an unknown operator ${quote(operator!)} (use ${list(OPERATORS)})` }
  const base = { operator, level, input, source: line }
  const value = rawValue!.trim()
  if (isScalar(name)) {
    if (rawAggregate !== undefined) return { error: `${name} is one number and has no aggregate (${quote(`.${rawAggregate}`)})` }
    const limit = parseLimitValue(name, value)
    if ('error' in limit) return limit
    return { threshold: { ...base, metric: name, aggregate: null, limit: { kind: 'value', value: limit.value } } }
  }
  if (isDistribution(name)) {
    const aggregate = rawAggregate === undefined ? DEFAULT_AGGREGATE[name] : rawAggregate.toLowerCase()
    if (!isAggregate(aggregate)) return { error: `has an unknown aggregate ${quote(rawAggregate ?? '')} (use ${list(AGGREGATES)})` }
    const limit = parseLimitValue(name, value)
    if ('error' in limit) return limit
    return { threshold: { ...base, metric: name, aggregate, limit: { kind: 'value', value: limit.value } } }
  }
  return { error: unknownMetric(rawName!) }
}

/**
 * The `thresholds` input: every threshold, and one problem per bad line (`thresholds line 2
 * "duration.p95 < 8x" has an unknown unit "x" (use ms, s or m)`), so that config can report them all.
 */
export function parseThresholds(text: string): { thresholds: Threshold[]; problems: string[] } {
  const thresholds: Threshold[] = []
  const problems: string[] = []
  text.split(/\r?\n/).forEach((raw, index) => {
    const hash = raw.indexOf('#')
    const line = (hash >= 0 ? raw.slice(0, hash) : raw).trim()
    if (line === '') return
    const parsed = parseThresholdLine(line)
    if ('error' in parsed) problems.push(`${THRESHOLDS_INPUT} line ${index + 1} ${quote(line)} ${parsed.error}`)
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
  const atMost = (metric: DistributionMetric, aggregate: Aggregate, input: string, value: number): void => {
    const source = `${input}: ${formatNumber(value)}`
    thresholds.push({ metric, aggregate, operator: '<=', limit: { kind: 'value', value }, level: 'error', input, source })
  }
  if (limits.maxCostUsd !== undefined) atMost('cost', 'sum', INPUT.maxCost, limits.maxCostUsd)
  if (limits.maxDurationMs !== undefined) atMost('duration', 'max', INPUT.maxDuration, limits.maxDurationMs)
  if (limits.maxTokensIn !== undefined) atMost('tokens-in', 'sum', INPUT.maxTokensIn, limits.maxTokensIn)
  if (limits.maxTokensOut !== undefined) atMost('tokens-out', 'sum', INPUT.maxTokensOut, limits.maxTokensOut)
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
  return threshold.aggregate === null ? threshold.metric : `${threshold.metric}.${threshold.aggregate}`
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

const NEGATION: Record<Operator, string> = { '<': '>=', '<=': '>', '>': '<=', '>=': '<', '==': '!=' }

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

const calls = (n: number): string => `${formatNumber(n)} call${n === 1 ? '' : 's'}`

function actualText(threshold: Threshold, actual: number, metrics: Metrics): string {
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

function resolveLimit(limit: Limit): number {
  switch (limit.kind) {
    case 'value':
      return limit.value
  }
}

/**
 * Each threshold against the metrics. A metric that is unknown fails its threshold (fails closed),
 * saying why: a cost limit over calls some of which have no cost cannot be said to hold.
 */
export function evaluateThresholds(thresholds: readonly Threshold[], metrics: Metrics): ThresholdResult[] {
  return thresholds.map((threshold) => {
    const name = thresholdName(threshold)
    const unit = UNIT[threshold.metric]
    const limit = resolveLimit(threshold.limit)
    let actual: number | null
    let callId: string | null = null
    if (threshold.aggregate === null) {
      actual = scalarValue(metrics, threshold.metric)
    } else {
      const d = metrics.distributions[threshold.metric]
      actual = aggregateValue(d, threshold.aggregate)
      callId = aggregateCall(d, threshold.aggregate)
    }
    const limitText = valueText(unit, limit, true)
    const from = threshold.input === THRESHOLDS_INPUT ? '' : ` (${threshold.input})`
    const base = { threshold, name, limit, unit, callId, level: threshold.level, limitText }
    if (actual === null) {
      const reason = unknownReason(threshold, metrics)
      const message = `${name} unknown: ${reason} (limit ${threshold.operator} ${limitText})${from}`
      return { ...base, actual, passed: false, actualText: 'unknown', message }
    }
    const passed = compare(actual, threshold.operator, limit)
    const shown = actualText(threshold, actual, metrics)
    const op = passed ? threshold.operator : NEGATION[threshold.operator]
    // The call's id comes from the API: inline() keeps it on the message's one line.
    const call = !passed && callId !== null && metrics.count > 1 ? ` (call ${inline(callId, 80)})` : ''
    return { ...base, actual, passed, actualText: shown, message: `${name} ${shown} ${op} ${limitText}${from}${call}` }
  })
}

/**
 * Failed results of one level as JSON for the step's outputs (`warnings` for `warn`): numbers as
 * computed, the actual null when unknown.
 */
export function resultsJson(results: readonly ThresholdResult[], level: Level): string {
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
