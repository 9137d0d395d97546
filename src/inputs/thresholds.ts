// Pure: the `thresholds` input parsed into typed thresholds, a line at a time. The metric vocabulary
// is threshold-terms.ts; the limit after the operator, threshold-limits.ts.
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
import { parseLimit } from './threshold-limits.js'
import {
  AGGREGATES,
  DISTRIBUTION_METRICS,
  isAggregate,
  isDistribution,
  isOperator,
  isScalar,
  OPERATORS,
  SCALAR_METRICS,
  type Aggregate,
  type DistributionMetric,
  type Level,
  type Threshold
} from './threshold-terms.js'

export const THRESHOLDS_INPUT = 'thresholds'

const DEFAULT_AGGREGATE: Record<DistributionMetric, Aggregate> = {
  cost: 'sum',
  duration: 'max',
  'tokens-in': 'sum',
  'tokens-out': 'sum',
  tokens: 'sum'
}

// `[warn:] name[.aggregate] op value`; the operator is taken greedily so that `=<` or `!=` are seen whole and refused.
const LINE_RE =
  /^(?:([a-z]+)\s*:\s*)?([a-z_][\w-]*)(?:\.([\w-]*))?\s*([<>=!≤≥]+)\s*(.*)$/i

function list(names: readonly string[]): string {
  return names.join(', ')
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
