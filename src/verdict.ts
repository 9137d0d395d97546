// Pure: the calls a selection read and the limits in, the outcome out: the metrics, one verdict per
// limit and threshold, and the result. One log (`log-id`) keeps the checks and messages it always had
// (checks.ts); a selection of many is measured by the thresholds' evaluator, the limit inputs
// included (max-cost budgets the total, max-duration bounds the slowest call).
import type { Baseline } from './baseline.js'
import { evaluate, statusOfCalls, type Check } from './checks.js'
import type { Limits } from './config.js'
import type { LogDetail } from './log.js'
import {
  computeMetrics,
  nonFiniteSums,
  nonFiniteSumsText,
  type LogSummary,
  type Metrics
} from './metrics.js'
import {
  evaluateThresholds,
  limitsToThresholds,
  type BaselineMetrics,
  type Level,
  type Threshold,
  type ThresholdResult
} from './thresholds.js'
import { cut } from './escape.js'

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
}

/** What was read: one log's full detail, or the rows of a selection of many. */
export type Selected =
  | { kind: 'log'; log: LogDetail }
  | { kind: 'many'; logs: LogSummary[]; describe: string }

export type Outcome =
  | {
      kind: 'checked'
      selected: Selected
      metrics: Metrics
      verdicts: Verdict[]
      failOnBreach: boolean
      /** The run compared with; undefined when no baseline was asked for. */
      baseline?: Baseline
    }
  | { kind: 'error'; message: string }

/** Longer than any id the gateway gives (ULIDs are 26 characters); an id past it is cut in the outputs. */
const MAX_CALL_ID_CHARS = 256

export type Result = 'pass' | 'fail' | 'error'

export interface GateRules {
  limits: Limits
  thresholds: readonly Threshold[]
  failOnBreach: boolean
}

const SYMBOL: Record<string, string> = {
  '<': '<',
  '<=': '≤',
  '>': '>',
  '>=': '≥',
  '==': '='
}

function fromCheck(check: Check): Verdict {
  const comparison =
    check.field === 'success' || check.field === 'status_code' ? '' : '≤ '
  return {
    name: check.field.replace('_', '-'),
    input: check.input,
    actual: check.actual,
    limit: `${comparison}${check.limit}`,
    level: 'error',
    passed: check.passed,
    message: check.message,
    entry: {
      field: check.field,
      input: check.input,
      actual: check.actualValue,
      limit: check.limitValue,
      unit: check.unit,
      message: check.message
    }
  }
}

function fromThreshold(result: ThresholdResult): Verdict {
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
      message: result.message
    }
  }
}

/** The baseline as the thresholds see it. */
function baselineMetrics(
  baseline: Baseline | undefined
): BaselineMetrics | undefined {
  if (baseline === undefined) return undefined
  return baseline.kind === 'found'
    ? { metrics: baseline.metrics }
    : { missing: baseline.reason }
}

/** The calls measured, and every limit and threshold judged against them (and against the baseline, when one was asked for). */
export function judge(
  selected: Selected,
  rules: GateRules,
  baseline?: Baseline
): Outcome {
  const logs: LogSummary[] =
    selected.kind === 'log' ? [selected.log] : selected.logs
  const metrics = computeMetrics(logs)
  // A sum past the largest number is not a bill: judged, it would pass or fail against Infinity.
  const overflowing = nonFiniteSums(metrics)
  if (overflowing.length > 0)
    return {
      kind: 'error',
      message: `Invalid answer: ${nonFiniteSumsText(metrics, overflowing)}, so the calls cannot be judged.`
    }
  const verdicts: Verdict[] =
    selected.kind === 'log'
      ? evaluate(selected.log, rules.limits).map(fromCheck)
      : [
          ...evaluateThresholds(limitsToThresholds(rules.limits), metrics).map(
            fromThreshold
          ),
          ...(rules.limits.expectedStatus
            ? [statusOfCalls(selected.logs, rules.limits.expectedStatus)].map(
                fromCheck
              )
            : [])
        ]
  verdicts.push(
    ...evaluateThresholds(
      rules.thresholds,
      metrics,
      baselineMetrics(baseline)
    ).map(fromThreshold)
  )
  return {
    kind: 'checked',
    selected,
    metrics,
    verdicts,
    failOnBreach: rules.failOnBreach,
    ...(baseline ? { baseline } : {})
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
