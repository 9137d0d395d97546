// Pure: a threshold's limit as written after the operator: a value with the units its metric takes
// (the same amounts, durations and rates as the limit inputs), or `baseline` with an adjustment
// (`baseline + 10%`, `baseline - 500ms`, `baseline * 1.2`).
import { quoted } from '../text/escape.js'
import { isUsdAmount, parseDurationMs, parseUsd, parseWhole } from './units.js'
import {
  UNIT,
  type DistributionMetric,
  type Limit,
  type ScalarMetric
} from './threshold-terms.js'

const DECIMAL = String.raw`(?:\d+(?:\.\d*)?|\.\d+)`
const NUMBER_RE = new RegExp(String.raw`^(${DECIMAL})$`)
const PERCENT_RE = new RegExp(String.raw`^(${DECIMAL})\s*%$`)

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
