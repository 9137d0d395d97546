// Pure: the limit inputs (max-cost, max-duration, max-tokens-in/-out, require-success) compiled into
// the same typed thresholds as the `thresholds` lines, so that one evaluator judges both.
import { INPUT } from './names.js'
import type { Threshold, Aggregate, DistributionMetric } from './thresholds.js'
import { formatNumber } from './units.js'
import type { Limits } from './config.js'

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
