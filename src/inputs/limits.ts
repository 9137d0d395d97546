// Pure: the limit inputs (max-cost, max-duration, max-tokens-in/-out, require-success) compiled into
// the same typed thresholds as the `thresholds` lines, so that one evaluator judges both.
import { INPUT } from './names.js'
import type { Threshold, Aggregate, DistributionMetric } from './thresholds.js'
import { formatNumber, formatStatusPatterns } from './units.js'
import type { Limits } from './config.js'

/**
 * The limit inputs as thresholds, so that one evaluator serves both: `max-cost` and
 * `max-tokens-in`/`-out` budget the total of the selection (one call's own value when it is one),
 * `max-duration` bounds the slowest call, `require-success` means no call failed, and
 * `expected-status` means no call answered outside the patterns.
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
  if (limits.expectedStatus !== undefined) {
    thresholds.push({
      metric: 'status-code',
      aggregate: null,
      patterns: limits.expectedStatus,
      operator: '==',
      limit: { kind: 'value', value: 0 },
      level: 'error',
      input: INPUT.expectedStatus,
      source: `${INPUT.expectedStatus}: ${formatStatusPatterns(limits.expectedStatus)}`
    })
  }
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
