import { describe, expect, it } from '@jest/globals'
import {
  change,
  headlineChanges,
  modelChanges
} from '../../src/gate/comparison.js'
import { computeMetrics, type LogSummary } from '../../src/sources/metrics.js'
import { LOG } from '../helpers/fixtures.js'

const call = (id: string, fields: Partial<LogSummary> = {}): LogSummary => ({
  ...LOG,
  id,
  ...fields
})

describe('change', () => {
  it.each([
    // current, baseline, delta, percent
    [1.3, 1.1, 0.2, 18.181818181818183],
    [0.3, 0.1, 0.2, 200],
    [900, 1000, -100, -10],
    [5, 5, 0, 0],
    [1, 0, 1, null],
    [0, 0, 0, null],
    [null, 1, null, null],
    [1, null, null, null]
  ])('%p against %p', (current, baseline, delta, percent) => {
    expect(change(current, baseline)).toEqual({
      current,
      baseline,
      delta,
      percent
    })
  })
})

describe('headlineChanges', () => {
  it('compares calls, total cost, p95 duration, errors and the error rate', () => {
    const before = computeMetrics([
      call('a', { cost: 0.1, duration: 1000 }),
      call('b', { cost: 0.2, duration: 2000 })
    ])
    const after = computeMetrics([
      call('c', { cost: 0.25, duration: 1500 }),
      call('d', { cost: 0.25, duration: 1500 }),
      call('e', { cost: 0.1, duration: 900, success: false })
    ])
    expect(
      headlineChanges(after, before).map((h) => [
        h.label,
        h.unit,
        h.change.current,
        h.change.baseline,
        h.change.delta
      ])
    ).toEqual([
      ['calls', 'calls', 3, 2, 1],
      ['total cost', 'USD', 0.6, 0.3, 0.3],
      ['p95 duration', 'ms', 1500, 2000, -500],
      ['errors', 'calls', 1, 0, 1],
      ['error rate', 'fraction', 1 / 3, 0, 1 / 3]
    ])
  })

  it('leaves the cost change unknown when a call of either run has no cost', () => {
    const before = computeMetrics([call('a', { cost: undefined })])
    const after = computeMetrics([call('b', { cost: 1 })])
    expect(headlineChanges(after, before)[1]!.change).toEqual({
      current: 1,
      baseline: null,
      delta: null,
      percent: null
    })
  })
})

describe('modelChanges', () => {
  it("lists this run's models costliest first, then those only the baseline used, each with both sides", () => {
    const before = computeMetrics([
      call('a', { model: 'gpt-4o-mini', cost: 0.01, duration: 500 }),
      call('b', {
        provider: 'anthropic',
        model: 'claude-3-5-haiku',
        cost: 0.02,
        duration: 700
      })
    ])
    const after = computeMetrics([
      call('c', { model: 'gpt-4o', cost: 0.5, duration: 3000 }),
      call('d', { model: 'gpt-4o-mini', cost: 0.015, duration: 400 })
    ])
    expect(
      modelChanges(after, before).map((m) => [
        m.provider,
        m.model,
        m.cost.current,
        m.cost.baseline,
        m.cost.delta,
        m.p95DurationMs.delta
      ])
    ).toEqual([
      ['openai', 'gpt-4o', 0.5, null, null, null],
      ['openai', 'gpt-4o-mini', 0.015, 0.01, 0.005, -100],
      ['anthropic', 'claude-3-5-haiku', null, 0.02, null, null]
    ])
  })

  it('tells apart two providers of the same model name', () => {
    const before = computeMetrics([
      call('a', { provider: 'openai', model: 'm', cost: 1 })
    ])
    const after = computeMetrics([
      call('b', { provider: 'azure-openai', model: 'm', cost: 2 })
    ])
    expect(
      modelChanges(after, before).map((m) => `${m.provider}/${m.model}`)
    ).toEqual(['azure-openai/m', 'openai/m'])
  })
})

describe('modelChanges: a model whose calls report no duration', () => {
  it('leaves its p95 change unknown, in this run or the baseline, instead of throwing', () => {
    const before = computeMetrics([
      call('a', { model: 'm', duration: undefined, cost: 0.1 })
    ])
    const after = computeMetrics([
      call('b', { model: 'm', duration: undefined, cost: 0.2 })
    ])
    expect(modelChanges(after, before)[0]!.p95DurationMs).toEqual({
      current: null,
      baseline: null,
      delta: null,
      percent: null
    })
  })
})
