// Pure: the one evaluator. Measurements and the rules in, the outcome out: one verdict per limit and
// threshold, and the result. The limit inputs are compiled into thresholds (inputs/limits.ts) and judged
// with the `thresholds` lines by gate/thresholds.ts, whatever the selection. What differs by selection is
// only the wording: one log read whole (`log-id`) keeps the one-call messages it always had (`cost 0.75
// USD > max-cost 0.05 USD`, `success false (require-success is true: …)`).
import type { LogDetail } from '../cloudflare/log.js'
import { baselineWarnsOn, type BaselineConfig } from '../inputs/baseline.js'
import { limitsToThresholds } from '../inputs/limits.js'
import { type Level, type Threshold } from '../inputs/threshold-terms.js'
import { THRESHOLDS_INPUT } from '../inputs/thresholds.js'
import { formatDuration, formatNumber, formatUsd } from '../inputs/units.js'
import type { Baseline } from '../sources/baseline.js'
import { nonFiniteSums, nonFiniteSumsText } from '../sources/metrics.js'
import type { Measurements } from '../sources/source.js'
import { cut, inline } from '../text/escape.js'
import {
  evaluateThresholds,
  type BaselineMetrics,
  type ThresholdResult
} from './thresholds.js'
import { type Limits } from '../inputs/limits.js'

/** One row of the report's checks table, and one entry of the `failures` or `warnings` output when it did not pass. */
export interface Verdict {
  /** `cost`, `status-code`, `duration.p95`, `error-rate`. */
  name: string
  /** The input that set it: `max-cost`, `thresholds`. */
  input: string
  /** With units: `0.75 USD`, `2.5% (3 of 120 calls)`, `not reported`. */
  actual: string
  /** With the comparison: `≤ 0.05 USD`, `< 8000 ms`, `2xx`. */
  limit: string
  level: Level
  passed: boolean
  /** Why a threshold that compares with the baseline was not checked (it is then a warning). */
  skipped?: string
  /** One line for annotations: `cost 0.75 USD > max-cost 0.05 USD`. */
  message: string
  /** The output's entry: numbers as computed, null when unknown. */
  entry: Record<string, unknown>
  /** actual, limit and message with numbers rounded for people (`0.4007 USD`, `3.8 s`): what the report shows. */
  shown: { actual: string; limit: string; message: string }
}

export type Outcome =
  | {
      kind: 'checked'
      measured: Measurements
      verdicts: Verdict[]
      failOnBreach: boolean
      /** The run compared with; undefined when no baseline was asked for. */
      baseline?: Baseline
      /** The event on which thresholds against the baseline were judged as warnings (base-branch, not a pull request). */
      baselineWarnsOn?: string
    }
  | {
      kind: 'error'
      message: string
      /** fail-on-breach is false and the error is a read that could not be shown whole: a warning, the step passes. */
      reportOnly?: true
    }

/** Longer than any id the gateway gives (ULIDs are 26 characters); an id past it is cut in the outputs. */
const MAX_CALL_ID_CHARS = 256

export type Result = 'pass' | 'fail' | 'error'

export interface GateRules {
  limits: Limits
  thresholds: readonly Threshold[]
  failOnBreach: boolean
  /** Where the baseline comes from: with base-branch off a pull request, its thresholds only warn. */
  baseline?: Pick<BaselineConfig, 'source'> | null
}

const SYMBOL: Record<string, string> = {
  '<': '<',
  '<=': '≤',
  '>': '>',
  '>=': '≥',
  '==': '='
}

/** `expected-status` over many calls. */
function statusFromThreshold(result: ThresholdResult): Verdict {
  // expected-status names no metric: its entry says which field, as it did when it was a per-call check.
  return {
    name: result.name,
    input: result.threshold.input,
    actual: result.actualText,
    limit: result.limitText,
    level: result.level,
    passed: result.passed,
    message: result.message,
    entry: {
      field: 'status_code',
      input: result.threshold.input,
      actual: result.actual,
      limit: result.limitText,
      unit: 'calls',
      message: result.message
    },
    shown: {
      actual: result.shown.actualText,
      limit: result.shown.limitText,
      message: result.shown.message
    }
  }
}

/** A threshold's result as a verdict of a selection of many calls. */
function fromThreshold(result: ThresholdResult): Verdict {
  if (result.threshold.metric === 'status-code')
    return statusFromThreshold(result)
  // A limit worked out from the baseline also says the baseline's value, and why it was skipped if it was.
  const baseline =
    result.baseline === undefined ? {} : { baseline: result.baseline }
  const skipped =
    result.skipped === undefined ? {} : { skipped: result.skipped }
  return {
    name: result.name,
    input: result.threshold.input,
    actual: result.actualText,
    limit: `${SYMBOL[result.threshold.operator]} ${result.limitText}`,
    level: result.level,
    passed: result.passed,
    ...skipped,
    message: result.message,
    entry: {
      metric: result.name,
      input: result.threshold.input,
      actual: result.actual,
      operator: result.threshold.operator,
      limit: result.limit,
      ...baseline,
      unit: result.unit,
      // The id comes from the API: a hostile one could be megabytes, and outputs are bounded.
      call:
        result.callId === null ? null : cut(result.callId, MAX_CALL_ID_CHARS),
      ...skipped,
      // A sampled figure: the interval it was judged at the unfavourable end of.
      ...(result.interval
        ? {
            interval: {
              lower: result.interval.lower,
              upper: result.interval.upper
            }
          }
        : {}),
      message: result.message
    },
    shown: {
      actual: result.shown.actualText,
      limit: `${SYMBOL[result.threshold.operator]} ${result.shown.limitText}`,
      message: result.shown.message
    }
  }
}

/** The log field a limit input bounds for one call, as the API names it, and its unit. */
const ONE_CALL_FIELD: Partial<
  Record<Threshold['metric'], { field: keyof LogDetail; unit: string }>
> = {
  cost: { field: 'cost', unit: 'USD' },
  duration: { field: 'duration', unit: 'ms' },
  'tokens-in': { field: 'tokens_in', unit: 'tokens' },
  'tokens-out': { field: 'tokens_out', unit: 'tokens' }
}

/**
 * A limit input's result for one log read whole, in the one-call words: the log's own field, the
 * input that set the limit. The result (passed or not) is the evaluator's.
 */
function oneCallVerdict(result: ThresholdResult, log: LogDetail): Verdict {
  if (result.threshold.metric === 'status-code')
    return statusVerdict(result, log)
  if (result.threshold.metric === 'errors') return successVerdict(result, log)
  return limitVerdict(result)
}

/** What a one-call verdict says: the log's field, its value and the limit, raw (the entry) and as text. */
interface OneCallTexts {
  field: string
  actualValue: unknown
  actual: string
  limitValue: unknown
  limit: string
  unit: string
  message: string
  /** The texts rounded for people; the exact ones when not given. */
  shown?: Verdict['shown']
}

function oneCallEntry(result: ThresholdResult, texts: OneCallTexts): Verdict {
  const { input } = result.threshold
  const { field, actual, limit, unit, message } = texts
  return {
    name: field.replace('_', '-'),
    input,
    actual,
    limit,
    level: 'error',
    passed: result.passed,
    message,
    entry: {
      field,
      input,
      actual: texts.actualValue,
      limit: texts.limitValue,
      unit,
      message
    },
    shown: texts.shown ?? { actual, limit, message }
  }
}

/** `expected-status` against the log's status code. */
function statusVerdict(result: ThresholdResult, log: LogDetail): Verdict {
  const { input } = result.threshold
  const expected = result.limitText
  const code = log.status_code
  const texts = { field: 'status_code', limitValue: expected, limit: expected }
  return code === undefined
    ? oneCallEntry(result, {
        ...texts,
        actualValue: null,
        actual: 'not reported',
        unit: '',
        message: `status-code not reported by the log (${input} ${expected})`
      })
    : oneCallEntry(result, {
        ...texts,
        actualValue: code,
        actual: String(code),
        unit: '',
        message: `status-code ${code} ${result.passed ? 'in' : 'not in'} ${input} ${expected}`
      })
}

/** `require-success` against the log's success flag. */
function successVerdict(result: ThresholdResult, log: LogDetail): Verdict {
  const { input } = result.threshold
  return oneCallEntry(result, {
    field: 'success',
    actualValue: log.success,
    actual: String(log.success),
    limitValue: true,
    limit: 'true',
    unit: '',
    message: result.passed
      ? 'success true'
      : `success ${String(log.success)} (${input} is true: the gateway recorded the call as failed)`
  })
}

/** `max-cost`, `max-duration` and the token limits against the log's field. */
function limitVerdict(result: ThresholdResult): Verdict {
  const { input } = result.threshold
  const { field, unit } = ONE_CALL_FIELD[result.threshold.metric]!
  const label = field.replace('_', '-')
  const limit = result.limit ?? Number.NaN
  const exact = (value: number): string => `${formatNumber(value)} ${unit}`
  const limitShown = exact(limit)
  if (result.actual === null) {
    const limitForPeople = forPeople(unit, limit)
    return oneCallEntry(result, {
      field,
      actualValue: null,
      actual: 'not reported',
      limitValue: limit,
      limit: `≤ ${limitShown}`,
      unit,
      message: `${label} not reported by the log (${input} ${limitShown})`,
      shown: {
        actual: 'not reported',
        limit: `≤ ${limitForPeople}`,
        message: `${label} not reported by the log (${input} ${limitForPeople})`
      }
    })
  }
  const actual = result.actual
  const op = result.passed ? '<=' : '>'
  const actualShown = exact(actual)
  // Rounded, an actual and a limit that differ can read the same: then the exact digits say it.
  const people =
    actual !== limit && forPeople(unit, actual) === forPeople(unit, limit)
      ? exact
      : (value: number): string => forPeople(unit, value)
  return oneCallEntry(result, {
    field,
    actualValue: actual,
    actual: actualShown,
    limitValue: limit,
    limit: `≤ ${limitShown}`,
    unit,
    message: `${label} ${actualShown} ${op} ${input} ${limitShown}`,
    shown: {
      actual: people(actual),
      limit: `≤ ${people(limit)}`,
      message: `${label} ${people(actual)} ${op} ${input} ${people(limit)}`
    }
  })
}

/** A one-call value rounded for people: money and durations; tokens as they are. */
function forPeople(unit: string, value: number): string {
  if (unit === 'USD') return formatUsd(value)
  if (unit === 'ms') return formatDuration(value)
  return `${formatNumber(value)} ${unit}`
}

/** The baseline as the thresholds see it. */
function baselineMetrics(
  baseline: Baseline | undefined
): BaselineMetrics | undefined {
  if (baseline === undefined) return undefined
  if (baseline.kind === 'missing') return { missing: baseline.reason }
  return baseline.intervals
    ? { metrics: baseline.metrics, intervals: baseline.intervals }
    : { metrics: baseline.metrics }
}

/**
 * The thresholds as judged: with `base-branch` on an event other than a pull request, a threshold
 * against the baseline is a warning, whatever its level. `demoted` holds the thresholds so changed.
 */
function levelled(
  thresholds: readonly Threshold[],
  rules: GateRules
): { thresholds: Threshold[]; demoted: Set<Threshold>; event?: string } {
  const event = rules.baseline
    ? baselineWarnsOn(rules.baseline.source)
    : undefined
  const demoted = new Set<Threshold>()
  const judged = thresholds.map((t) => {
    if (
      event === undefined ||
      t.limit.kind !== 'baseline' ||
      t.level !== 'error'
    )
      return t
    const warning = { ...t, level: 'warn' as const }
    demoted.add(warning)
    return warning
  })
  return { thresholds: judged, demoted, ...(demoted.size > 0 ? { event } : {}) }
}

/** Every limit and threshold judged against the measurements (and against the baseline, when one was asked for). */
export function judge(
  measured: Measurements,
  rules: GateRules,
  baseline?: Baseline
): Outcome {
  // A sum past the largest number is not a bill: judged, it would pass or fail against Infinity.
  const overflowing = nonFiniteSums(measured.metrics)
  if (overflowing.length > 0)
    return {
      kind: 'error',
      message: `Invalid answer: ${nonFiniteSumsText(measured.metrics, overflowing)}, so the calls cannot be judged.`
    }
  const { thresholds, demoted, event } = levelled(
    [...limitsToThresholds(rules.limits), ...rules.thresholds],
    rules
  )
  // A breach that only warns because of the event says why, in its annotation and its output entry.
  const why = ` (a warning on ${inline(event ?? '', 40)}: thresholds against the baseline fail pull requests only)`
  const results = evaluateThresholds(
    thresholds,
    measured.metrics,
    baselineMetrics(baseline),
    measured.caveats,
    measured.intervals
  ).map((result) =>
    demoted.has(result.threshold) &&
    !result.passed &&
    result.skipped === undefined
      ? { ...result, message: `${result.message}${why}` }
      : result
  )
  const { log } = measured
  const verdicts = results.map((result) =>
    log && result.threshold.input !== THRESHOLDS_INPUT
      ? oneCallVerdict(result, log)
      : fromThreshold(result)
  )
  return {
    kind: 'checked',
    measured,
    verdicts,
    failOnBreach: rules.failOnBreach,
    ...(baseline ? { baseline } : {}),
    ...(event === undefined ? {} : { baselineWarnsOn: event })
  }
}

/** The `result` output: error, fail (an error-level limit was breached; warnings never fail) or pass. */
export function resultOf(outcome: Outcome): Result {
  if (outcome.kind === 'error') return 'error'
  return outcome.verdicts.some((v) => !v.passed && v.level === 'error')
    ? 'fail'
    : 'pass'
}

/**
 * The `failures` (level error) or `warnings` (level warn) output: the entries of the first `maxEntries`
 * verdicts that did not pass, in the report's order, and how many more were left out.
 */
export function verdictsJson(
  outcome: Outcome,
  level: Level,
  maxEntries: number
): { json: string; omitted: number } {
  const verdicts = outcome.kind === 'checked' ? outcome.verdicts : []
  const entries = verdicts
    .filter((v) => !v.passed && v.level === level)
    .map((v) => v.entry)
  return {
    json: JSON.stringify(entries.slice(0, maxEntries)),
    omitted: Math.max(0, entries.length - maxEntries)
  }
}
