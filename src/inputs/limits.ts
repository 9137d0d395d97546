// The limit inputs (max-cost, max-duration, max-tokens-in/-out, expected-status, require-success):
// read, and compiled into the same typed thresholds as the `thresholds` lines, so that one evaluator
// judges both.
import { INPUT, type RawInputs } from './names.js'
import { booleanInput, type Problems } from './problems.js'
import type {
  Threshold,
  Aggregate,
  DistributionMetric
} from './threshold-terms.js'
import {
  formatNumber,
  formatStatusPatterns,
  parseDurationMs,
  parseStatusPatterns,
  parseUsd,
  parseWhole,
  type StatusPattern
} from './units.js'

export interface Limits {
  maxCostUsd?: number
  maxDurationMs?: number
  maxTokensIn?: number
  maxTokensOut?: number
  expectedStatus?: StatusPattern[]
  requireSuccess: boolean
}

export function parseLimits(raw: RawInputs, problems: Problems): Limits {
  const limits: Limits = {
    requireSuccess: booleanInput(raw, problems, INPUT.requireSuccess, true)
  }
  const negative = (value: string): string =>
    /^-\s*\$?\s*[\d.]/.test(value) ? 'is negative: ' : ''

  const maxCost = raw[INPUT.maxCost]
  if (maxCost) {
    const usd = parseUsd(maxCost)
    if (usd === undefined)
      problems.bad(
        INPUT.maxCost,
        maxCost,
        `${negative(maxCost)}is not an amount in USD (e.g. 0.05 or $0.05)`
      )
    else limits.maxCostUsd = usd
  }
  const maxDuration = raw[INPUT.maxDuration]
  if (maxDuration) {
    const parsed = parseDurationMs(maxDuration)
    if ('error' in parsed)
      problems.bad(INPUT.maxDuration, maxDuration, parsed.error)
    else limits.maxDurationMs = parsed.ms
  }
  for (const [name, field] of [
    [INPUT.maxTokensIn, 'maxTokensIn'],
    [INPUT.maxTokensOut, 'maxTokensOut']
  ] as const) {
    const value = raw[name]
    if (!value) continue
    const tokens = parseWhole(value)
    if (tokens === undefined)
      problems.bad(
        name,
        value,
        `${negative(value)}is not a whole number of tokens (e.g. 4000)`
      )
    else limits[field] = tokens
  }
  const expectedStatus = raw[INPUT.expectedStatus]
  if (expectedStatus) {
    const parsed = parseStatusPatterns(expectedStatus)
    if ('error' in parsed)
      problems.bad(INPUT.expectedStatus, expectedStatus, parsed.error)
    else limits.expectedStatus = parsed.patterns
  }
  return limits
}

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
