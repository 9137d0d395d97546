import { describe, expect, it } from '@jest/globals'
import type { Threshold } from '../../src/inputs/threshold-terms.js'
import { limitsToThresholds, parseLimits } from '../../src/inputs/limits.js'
import { readInputs, type InputName } from '../../src/inputs/names.js'
import { Problems } from '../../src/inputs/problems.js'

/** A threshold's limit when it is a number (NaN for a baseline limit). */
const limitValue = (threshold: Threshold): number =>
  threshold.limit.kind === 'value' ? threshold.limit.value : NaN

describe('limitsToThresholds', () => {
  it('maps the limit inputs: budgets on the sums, duration on the slowest call, require-success on errors', () => {
    const thresholds = limitsToThresholds({
      maxCostUsd: 0.05,
      maxDurationMs: 2000,
      maxTokensIn: 4000,
      maxTokensOut: 800,
      requireSuccess: true
    })
    expect(
      thresholds.map((t) => [
        t.input,
        t.metric,
        t.aggregate,
        t.operator,
        limitValue(t),
        t.level
      ])
    ).toEqual([
      ['max-cost', 'cost', 'sum', '<=', 0.05, 'error'],
      ['max-duration', 'duration', 'max', '<=', 2000, 'error'],
      ['max-tokens-in', 'tokens-in', 'sum', '<=', 4000, 'error'],
      ['max-tokens-out', 'tokens-out', 'sum', '<=', 800, 'error'],
      ['require-success', 'errors', null, '==', 0, 'error']
    ])
  })

  it('shows each threshold as the input that set it', () => {
    const thresholds = limitsToThresholds({
      maxCostUsd: 0.5,
      maxDurationMs: 2000,
      requireSuccess: true
    })
    expect(thresholds.map((t) => t.source)).toEqual([
      'max-cost: 0.5',
      'max-duration: 2000',
      'require-success: true'
    ])
  })

  it('sets nothing for limits that are not set', () => {
    expect(limitsToThresholds({ requireSuccess: false })).toEqual([])
  })
})

describe('parseLimits', () => {
  /** The raw inputs GitHub would pass with only these set ('' for the rest). */
  const raw = (inputs: Partial<Record<InputName, string>>) =>
    readInputs((name) => inputs[name as InputName] ?? '', {})

  it('requires success when require-success is not set, and sets no other limit', () => {
    const problems = new Problems()
    expect(parseLimits(raw({}), problems)).toStrictEqual({
      requireSuccess: true
    })
    expect(problems.list).toEqual([])
  })

  it('follows require-success when it is set', () => {
    const problems = new Problems()
    expect(
      parseLimits(raw({ 'require-success': 'false' }), problems).requireSuccess
    ).toBe(false)
    expect(problems.list).toEqual([])
  })
})
