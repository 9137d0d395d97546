// Pure: thresholds judged against the measurements of a selection (and of its baseline, when a
// threshold compares with it). One evaluator for every limit: the thresholds lines and the limit inputs,
// which inputs/limits.ts compiles into the same thresholds.
import { inline } from '../text/escape.js'
import { formatDuration, formatNumber, formatUsd } from '../inputs/units.js'
import {
  UNIT,
  type BaselineLimit,
  type DistributionMetric,
  type Level,
  type Operator,
  type StatusThreshold,
  type Threshold,
  type Unit
} from '../inputs/threshold-terms.js'
import { THRESHOLDS_INPUT } from '../inputs/thresholds.js'
import { formatStatusPatterns, statusMatches } from '../inputs/units.js'
import { caveatOf, type Caveat, type Interval } from '../sources/source.js'
import {
  aggregateCall,
  aggregateValue,
  exactSum,
  scalarValue,
  type Metrics
} from '../sources/metrics.js'

/** The baseline as the thresholds see it: its metrics, or why there is none. */
export type BaselineMetrics =
  | {
      metrics: Metrics
      /** The baseline's figures read from a sample (analytics): its limit is taken at the unfavourable bound. */
      intervals?: Readonly<Record<string, Interval>>
    }
  | { missing: string }

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
  /** The same texts with numbers rounded for people (`0.4007 USD`, `9.4 s`), for the report. */
  shown: ShownTexts
  /** A sampled figure's 95% interval: the threshold was judged at its unfavourable end. */
  interval?: Interval
}

/** A result's texts as the report shows them. */
export interface ShownTexts {
  actualText: string
  limitText: string
  message: string
}

/**
 * How numbers are written: `exact` as computed (the outputs, the annotations), or rounded for `people`
 * (the report): money to 4 significant digits or cents, durations in ms or s.
 */
type Style = 'exact' | 'people'

/** The log field a call lacks when a metric is unknown, as the API names it. */
const FIELD: Record<DistributionMetric, string> = {
  cost: 'cost',
  duration: 'duration',
  'tokens-in': 'tokens_in',
  'tokens-out': 'tokens_out',
  tokens: 'tokens_in or tokens_out'
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

function valueText(
  unit: Unit,
  value: number,
  precise: boolean,
  style: Style
): string {
  switch (unit) {
    case 'fraction':
      // Limits as written (12 digits); actual rates to 4 digits, with the counts beside them.
      return percent(value, precise ? 12 : 4)
    case 'calls':
      return `${formatNumber(value)}`
    case 'USD':
      return style === 'people'
        ? formatUsd(value)
        : `${formatNumber(value)} USD`
    case 'ms':
      return style === 'people'
        ? formatDuration(value)
        : `${formatNumber(value)} ms`
    case 'tokens':
      // An average of tokens is rarely whole: one decimal is enough to read.
      return `${formatNumber(style === 'people' ? Number(value.toFixed(1)) : value)} tokens`
  }
}

/** A threshold on a metric (not on each call's status code). */
type MetricThreshold = Exclude<Threshold, StatusThreshold>

const calls = (n: number): string =>
  `${formatNumber(n)} call${n === 1 ? '' : 's'}`

function actualText(
  threshold: MetricThreshold,
  actual: number,
  metrics: Metrics,
  style: Style
): string {
  switch (threshold.metric) {
    case 'errors':
    case 'cached':
      return `${formatNumber(actual)} of ${calls(metrics.count)}`
    case 'error-rate':
      return `${valueText('fraction', actual, false, style)} (${metrics.errors} of ${calls(metrics.count)})`
    case 'cache-rate':
      return `${valueText('fraction', actual, false, style)} (${metrics.cached} of ${calls(metrics.count)})`
    case 'count':
      return calls(actual)
    default:
      return valueText(UNIT[threshold.metric], actual, true, style)
  }
}

/** Why the actual value is unknown: no calls, or how many calls lack the field. */
function unknownReason(threshold: MetricThreshold, metrics: Metrics): string {
  if (metrics.count === 0) return 'no calls'
  if (threshold.aggregate === null) return 'not computed'
  const missing = metrics.distributions[threshold.metric].missing
  return `${missing} of ${calls(metrics.count)} report${missing === 1 ? 's' : ''} no ${FIELD[threshold.metric]}`
}

/**
 * A sampled figure passes only if it passes at the unfavourable end of its interval: an upper limit
 * (`<`, `<=`) at the upper bound, a lower limit at the lower bound, `==` at both. Which end that is
 * is named in the message.
 */
function judgeInterval(
  interval: Interval,
  operator: Operator,
  limit: number
): { passed: boolean; at: string } {
  switch (operator) {
    case '<':
    case '<=':
      return { passed: compare(interval.upper, operator, limit), at: 'upper' }
    case '>':
    case '>=':
      return { passed: compare(interval.lower, operator, limit), at: 'lower' }
    case '==':
      return {
        passed:
          compare(interval.lower, operator, limit) &&
          compare(interval.upper, operator, limit),
        at: 'either'
      }
  }
}

/** `≈ 1,204 calls (95%: 1,150–1,260)`: an estimate with its interval, in the metric's unit. */
function estimateText(
  threshold: MetricThreshold,
  interval: Interval,
  style: Style
): string {
  const text = (value: number): string =>
    estimateValueText(threshold, value, style)
  return `≈ ${text(interval.estimate)} (95%: ${text(interval.lower)} to ${text(interval.upper)})`
}

/** One number of an estimate's text: a count of calls in whole calls for people. */
function estimateValueText(
  threshold: MetricThreshold,
  value: number,
  style: Style
): string {
  const unit = UNIT[threshold.metric]
  return threshold.aggregate === null && unit === 'calls'
    ? formatNumber(style === 'people' ? Math.round(value) : value)
    : valueText(unit, value, false, style)
}

/**
 * Whether rounding for people would make the judged value and the limit read the same (`8 s > 8 s`,
 * `… to 100.00 USD) < 100 USD`): then the report shows the exact digits. A sampled figure is judged at an
 * end of its interval, so that end is what must not read as the limit.
 */
function blurs(
  threshold: MetricThreshold,
  actual: number,
  limit: number,
  judged?: { interval: Interval; at: string }
): boolean {
  const unit = UNIT[threshold.metric]
  if (!judged)
    return (
      actual !== limit &&
      valueText(unit, actual, true, 'people') ===
        valueText(unit, limit, true, 'people')
    )
  const { interval, at } = judged
  const ends =
    at === 'upper'
      ? [interval.upper]
      : at === 'lower'
        ? [interval.lower]
        : [interval.lower, interval.upper]
  const rounded = (value: number): string =>
    estimateValueText(threshold, value, 'people')
  return ends.some((end) => end !== limit && rounded(end) === rounded(limit))
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
  threshold: MetricThreshold,
  metrics: Metrics
): { value: number | null; callId: string | null } {
  if (threshold.aggregate === null)
    return { value: scalarValue(metrics, threshold.metric), callId: null }
  const d = metrics.distributions[threshold.metric]
  return {
    value: aggregateValue(d, threshold.aggregate),
    // A source that reads no calls one by one (analytics) has values without a call: '' is no call.
    callId: aggregateCall(d, threshold.aggregate) || null
  }
}

type JudgedLimit = {
  limit: number
  baseline?: number
  bound?: 'lower' | 'upper'
}
type ResolvedLimit = JudgedLimit | { skipped: string }

/**
 * A sampled baseline's value taken at the bound that is unfavourable to the run: the lower bound under
 * an upper limit (`cost.sum <= baseline * 1.5`), the upper bound under a lower limit, the estimate for `==`.
 */
function baselineBound(
  operator: Operator,
  interval: Interval | undefined
): { value: number; bound: 'lower' | 'upper' } | undefined {
  if (!interval || interval.lower === interval.upper) return undefined
  if (operator === '<' || operator === '<=')
    return { value: interval.lower, bound: 'lower' }
  if (operator === '>' || operator === '>=')
    return { value: interval.upper, bound: 'upper' }
  return undefined
}

/** The limit's number, or why a baseline limit has none: no baseline, or the baseline's value is unknown. */
function resolveLimit(
  threshold: MetricThreshold,
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
  const name = thresholdName(threshold)
  const sampled = baselineBound(
    threshold.operator,
    baseline.intervals && Object.hasOwn(baseline.intervals, name)
      ? baseline.intervals[name]
      : undefined
  )
  if (sampled)
    return {
      limit: resolveBaselineLimit(limit, sampled.value),
      baseline: sampled.value,
      bound: sampled.bound
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
  baseline?: BaselineMetrics,
  caveats: readonly Caveat[] = [],
  intervals: Readonly<Record<string, Interval>> = {}
): ThresholdResult[] {
  return thresholds.map((threshold) =>
    threshold.metric === 'status-code'
      ? statusResult(threshold, metrics, caveats)
      : evaluateThreshold(threshold, metrics, baseline, caveats, intervals)
  )
}

/** A threshold's figure as the source measured it: its value (null when unknown), caveat and interval. */
function measuredFigure(
  threshold: MetricThreshold,
  metrics: Metrics,
  caveats: readonly Caveat[],
  intervals: Readonly<Record<string, Interval>>
): {
  name: string
  unit: Unit
  caveat: Caveat | undefined
  callId: string | null
  actual: number | null
  interval: Interval | undefined
} {
  const name = thresholdName(threshold)
  // What the source could not measure exactly: unavailable fails closed with its reason; estimated is said.
  const caveat = caveatOf({ caveats }, name)
  const measured = measure(threshold, metrics)
  const actual = caveat?.kind === 'unavailable' ? null : measured.value
  // A figure read from a sample: shown with its interval, judged at the interval's unfavourable end.
  const interval =
    actual === null || !Object.hasOwn(intervals, name)
      ? undefined
      : intervals[name]
  return {
    name,
    unit: UNIT[threshold.metric],
    caveat,
    callId: measured.callId,
    actual,
    interval
  }
}

/** Why a figure is unknown: the source's reason when it could not measure it, else what the calls lack. */
function unknownWhy(
  threshold: MetricThreshold,
  metrics: Metrics,
  caveat: Caveat | undefined
): string {
  return caveat?.kind === 'unavailable'
    ? caveat.reason
    : unknownReason(threshold, metrics)
}

/** One threshold of a measured metric (every metric but `status-code`). */
function evaluateThreshold(
  threshold: MetricThreshold,
  metrics: Metrics,
  baseline: BaselineMetrics | undefined,
  caveats: readonly Caveat[],
  intervals: Readonly<Record<string, Interval>>
): ThresholdResult {
  const { name, unit, caveat, callId, actual, interval } = measuredFigure(
    threshold,
    metrics,
    caveats,
    intervals
  )
  const from =
    threshold.input === THRESHOLDS_INPUT ? '' : ` (${threshold.input})`
  const resolved = resolveLimit(threshold, baseline)
  const shownIn = (style: Style): string =>
    actual === null
      ? 'unknown'
      : interval
        ? estimateText(threshold, interval, style)
        : actualText(threshold, actual, metrics, style)
  const common = { threshold, name, unit, callId, actual }
  if ('skipped' in resolved)
    return skippedResult(common, resolved.skipped, from, shownIn)
  const { limit } = resolved
  const atBound = interval && judgeInterval(interval, threshold.operator, limit)
  const passed =
    actual !== null &&
    (atBound ? atBound.passed : compare(actual, threshold.operator, limit))
  const tail = messageTail(atBound, callId, metrics, caveat, {
    breached: actual !== null && !passed
  })
  const textsIn = (style: Style): ShownTexts => {
    const shown = shownIn(style)
    const limitText = judgedLimitText(threshold, unit, resolved, style)
    if (actual === null) {
      const reason = unknownWhy(threshold, metrics, caveat)
      const message = `${name} unknown: ${reason} (limit ${threshold.operator} ${limitText})${from}`
      return { actualText: shown, limitText, message }
    }
    const op = passed ? threshold.operator : NEGATION[threshold.operator]
    const message = `${name} ${shown} ${op} ${limitText}${from}${tail}`
    return { actualText: shown, limitText, message }
  }
  const exact = textsIn('exact')
  // Rounded, an actual and a limit that differ can read the same (`8 s > 8 s`): then the exact digits say it.
  const blurred =
    actual !== null &&
    blurs(
      threshold,
      actual,
      limit,
      atBound && { interval: interval!, ...atBound }
    )
  return {
    ...common,
    limit,
    level: threshold.level,
    ...('baseline' in resolved ? { baseline: resolved.baseline } : {}),
    ...(interval ? { interval } : {}),
    passed,
    ...exact,
    shown: blurred ? exact : textsIn('people')
  }
}

/** A threshold that compares with a baseline that is not there (or unknown): a warning, never a failure. */
function skippedResult(
  common: Pick<
    ThresholdResult,
    'threshold' | 'name' | 'unit' | 'callId' | 'actual'
  >,
  skipped: string,
  from: string,
  shownIn: (style: Style) => string
): ThresholdResult {
  const { threshold } = common
  const limitText =
    threshold.limit.kind === 'baseline' ? threshold.limit.text : ''
  const message = `${common.name} ${threshold.operator} ${limitText} not checked: ${skipped}${from}`
  return {
    ...common,
    actualText: shownIn('exact'),
    limitText,
    message,
    shown: { actualText: shownIn('people'), limitText, message },
    limit: null,
    baseline: null,
    skipped,
    level: 'warn',
    passed: false
  }
}

/** The end of a judged message: the call that breached, what was estimated, how a sample was judged. */
function messageTail(
  atBound: { at: string } | undefined,
  callId: string | null,
  metrics: Metrics,
  caveat: Caveat | undefined,
  { breached }: { breached: boolean }
): string {
  // The call's id comes from the API: inline() keeps it on the message's one line.
  const call =
    breached && callId !== null && metrics.count > 1
      ? ` (call ${inline(callId, 80)})`
      : ''
  const estimated =
    caveat?.kind === 'estimated' ? ` (estimated: ${caveat.reason})` : ''
  const bound = atBound
    ? ` (sampled: judged at the interval's ${atBound.at === 'either' ? 'both bounds' : `${atBound.at} bound`})`
    : ''
  return `${call}${estimated}${bound}`
}

/** The limit as the message shows it: as written, or worked out from the baseline (and from which bound). */
function judgedLimitText(
  threshold: MetricThreshold,
  unit: Unit,
  resolved: JudgedLimit,
  style: Style
): string {
  // A limit as written keeps its digits; one worked out from the baseline is shown as actual values are.
  const number = valueText(
    unit,
    resolved.limit,
    threshold.limit.kind === 'value',
    style
  )
  // A sampled baseline says which of its bounds the limit was worked out from.
  const boundNote = resolved.bound
    ? `, from the sampled baseline's ${resolved.bound} bound`
    : ''
  return threshold.limit.kind === 'baseline'
    ? `${threshold.limit.text} (${number}${boundNote})`
    : number
}

/**
 * `expected-status` over the calls: every call's status code must match. The actual value is the
 * number of calls that do not (a call that reports no status code is one of them); the message names
 * the first of them.
 */
function statusResult(
  threshold: StatusThreshold,
  metrics: Metrics,
  caveats: readonly Caveat[]
): ThresholdResult {
  const expected = formatStatusPatterns(threshold.patterns)
  // Status codes counted from a sample (analytics): the message says so, as the metric thresholds do.
  const caveat = caveatOf({ caveats }, 'status-code')
  const estimated =
    caveat?.kind === 'estimated' ? ` (estimated: ${caveat.reason})` : ''
  const outside = metrics.statusCodes.filter(
    (s) => s.code === null || !statusMatches(s.code, threshold.patterns)
  )
  const count = outside.reduce((sum, s) => sum + s.calls, 0)
  const all = calls(metrics.count)
  const base = {
    threshold,
    name: 'status-code',
    actual: count,
    limit: 0,
    unit: 'calls' as const,
    level: threshold.level,
    limitText: expected
  }
  if (count === 0)
    return withShown({
      ...base,
      callId: null,
      passed: true,
      actualText: `all ${all}`,
      message: `status-code of all ${all} in ${threshold.input} ${expected}${estimated}`
    })
  const first = outside.reduce((a, b) =>
    b.first.index < a.first.index ? b : a
  )
  // The id comes from the API: inline() keeps it on the message's one line.
  const code = first.code === null ? 'not reported' : String(first.code)
  // A source without calls one by one (analytics) counts codes without ids.
  const example =
    first.first.id === '' ? code : `call ${inline(first.first.id, 80)}: ${code}`
  return withShown({
    ...base,
    callId: first.first.id,
    passed: false,
    actualText: `${count} of ${all} outside`,
    message: `status-code of ${count} of ${all} not in ${threshold.input} ${expected} (first: ${example})${estimated}`
  })
}

/** A result whose texts hold no number to round: people read them as they are. */
function withShown(result: Omit<ThresholdResult, 'shown'>): ThresholdResult {
  const { actualText, limitText, message } = result
  return { ...result, shown: { actualText, limitText, message } }
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
        message: r.message,
        ...(r.interval
          ? { interval: { lower: r.interval.lower, upper: r.interval.upper } }
          : {})
      }))
  )
}
