import { describe, expect, it } from '@jest/globals'
import type { Limits } from '../src/config.js'
import type { Baseline } from '../src/baseline.js'
import { computeMetrics, type LogSummary } from '../src/metrics.js'
import { parseThresholds } from '../src/thresholds.js'
import {
  judge,
  resultOf,
  verdictsJson,
  type GateRules
} from '../src/verdict.js'
import { LOG } from './fixtures.js'

const rules = (
  limits: Partial<Limits>,
  thresholds = '',
  failOnBreach = true
): GateRules => {
  const parsed = parseThresholds(thresholds)
  expect(parsed.problems).toEqual([])
  return {
    limits: { requireSuccess: false, ...limits },
    thresholds: parsed.thresholds,
    failOnBreach
  }
}

const call = (
  id: string,
  cost: number | undefined,
  duration: number,
  success = true
): LogSummary => ({
  ...LOG,
  id,
  cost,
  duration,
  success,
  status_code: success ? 200 : 500
})
const run = [
  call('a', 0.5, 1000),
  call('b', 0.75, 9000),
  call('c', 1, 3000, false)
]

describe('judge: one log', () => {
  it('keeps the checks and messages of the limit inputs, and measures the log as a selection of one', () => {
    const outcome = judge(
      { kind: 'log', log: { ...LOG, cost: 0.75 } },
      rules({ maxCostUsd: 0.05, requireSuccess: true })
    )
    if (outcome.kind !== 'checked') throw new Error('not checked')
    expect(
      outcome.verdicts.map((v) => [
        v.name,
        v.actual,
        v.limit,
        v.passed,
        v.message
      ])
    ).toEqual([
      [
        'cost',
        '0.75 USD',
        '≤ 0.05 USD',
        false,
        'cost 0.75 USD > max-cost 0.05 USD'
      ],
      ['success', 'true', 'true', true, 'success true']
    ])
    expect(outcome.metrics.count).toBe(1)
    expect(outcome.metrics.distributions.cost.sum).toBe(0.75)
    expect(resultOf(outcome)).toBe('fail')
    expect(JSON.parse(verdictsJson(outcome, 'error', 100).json)).toEqual([
      {
        field: 'cost',
        input: 'max-cost',
        actual: 0.75,
        limit: 0.05,
        unit: 'USD',
        message: 'cost 0.75 USD > max-cost 0.05 USD'
      }
    ])
  })

  it('adds the thresholds lines after the limits', () => {
    const outcome = judge(
      { kind: 'log', log: LOG },
      rules({ maxCostUsd: 1 }, 'duration < 500ms\nwarn: tokens-in <= 100')
    )
    if (outcome.kind !== 'checked') throw new Error('not checked')
    expect(
      outcome.verdicts.map((v) => [v.name, v.input, v.level, v.passed])
    ).toEqual([
      ['cost', 'max-cost', 'error', true],
      ['duration.max', 'thresholds', 'error', false],
      ['tokens-in.sum', 'thresholds', 'warn', false]
    ])
  })
})

describe('judge: many calls', () => {
  it('budgets the total with max-cost, bounds the slowest call with max-duration, and requires no failed call', () => {
    const outcome = judge(
      { kind: 'many', logs: run, describe: 'run x' },
      rules({ maxCostUsd: 2, maxDurationMs: 8000, requireSuccess: true })
    )
    if (outcome.kind !== 'checked') throw new Error('not checked')
    expect(outcome.verdicts.map((v) => [v.name, v.input, v.passed])).toEqual([
      ['cost.sum', 'max-cost', false],
      ['duration.max', 'max-duration', false],
      ['errors', 'require-success', false]
    ])
    expect(outcome.verdicts[0]!.actual).toBe('2.25 USD')
    expect(outcome.verdicts[0]!.limit).toBe('≤ 2 USD')
  })

  it('checks expected-status on every call', () => {
    const outcome = judge(
      { kind: 'many', logs: run, describe: 'run x' },
      rules({ expectedStatus: [{ kind: 'class', hundreds: 2 }] })
    )
    if (outcome.kind !== 'checked') throw new Error('not checked')
    expect(outcome.verdicts.map((v) => [v.name, v.actual, v.passed])).toEqual([
      ['status-code', '1 of 3 calls outside', false]
    ])
  })

  it('never fails the job on a warning, and lists it in warnings, not failures', () => {
    const outcome = judge(
      { kind: 'many', logs: run, describe: 'run x' },
      rules({}, 'warn: cost.max <= 0.10\ncount >= 3')
    )
    expect(resultOf(outcome)).toBe('pass')
    expect(JSON.parse(verdictsJson(outcome, 'error', 100).json)).toEqual([])
    expect(JSON.parse(verdictsJson(outcome, 'warn', 100).json)).toEqual([
      {
        metric: 'cost.max',
        input: 'thresholds',
        actual: 1,
        operator: '<=',
        limit: 0.1,
        unit: 'USD',
        call: 'c',
        message: 'cost.max 1 USD > 0.1 USD (call c)'
      }
    ])
  })

  it('shows each operator as its symbol before the limit', () => {
    const outcome = judge(
      { kind: 'many', logs: run, describe: 'run x' },
      rules(
        {},
        'duration < 500ms\ncount > 1\ncount >= 3\ncount == 3\ncost <= 5'
      )
    )
    if (outcome.kind !== 'checked') throw new Error('not checked')
    expect(outcome.verdicts.map((v) => [v.name, v.limit])).toEqual([
      ['duration.max', '< 500 ms'],
      ['count', '> 1'],
      ['count', '≥ 3'],
      ['count', '= 3'],
      ['cost.sum', '≤ 5 USD']
    ])
  })

  it('gives a threshold that compares with no baseline neither a baseline nor a skipped key', () => {
    const outcome = judge(
      { kind: 'many', logs: run, describe: 'run x' },
      rules({}, 'cost <= 5')
    )
    if (outcome.kind !== 'checked') throw new Error('not checked')
    const [verdict] = outcome.verdicts
    expect(Object.keys(verdict!)).not.toContain('skipped')
    expect(Object.keys(verdict!.entry)).toEqual([
      'metric',
      'input',
      'actual',
      'operator',
      'limit',
      'unit',
      'call',
      'message'
    ])
  })

  it('fails closed on a cost threshold when a call has no cost', () => {
    const outcome = judge(
      {
        kind: 'many',
        logs: [...run, call('d', undefined, 10)],
        describe: 'run x'
      },
      rules({ maxCostUsd: 100 })
    )
    expect(resultOf(outcome)).toBe('fail')
    if (outcome.kind !== 'checked') throw new Error('not checked')
    expect(outcome.verdicts[0]!.message).toBe(
      'cost.sum unknown: 1 of 4 calls reports no cost (limit <= 100 USD) (max-cost)'
    )
  })
})

describe('judge: against a baseline', () => {
  const earlier = [call('x', 0.5, 1000), call('y', 0.5, 2000)]
  const found: Baseline = {
    kind: 'found',
    runId: 'gh-1-1',
    describe: 'run "gh-1-1"',
    metrics: computeMetrics(earlier),
    workflowRun: null
  }
  const missing: Baseline = {
    kind: 'missing',
    reason: 'no successful run of eval.yml on "main" yet',
    workflowRun: null
  }
  const thresholds = 'cost <= baseline + 10%\nduration.max <= baseline * 5'

  it("judges the thresholds against the baseline's values, and keeps the baseline in the outcome", () => {
    const outcome = judge(
      { kind: 'many', logs: run, describe: 'run x' },
      rules({}, thresholds),
      found
    )
    if (outcome.kind !== 'checked') throw new Error('not checked')
    expect(outcome.baseline).toBe(found)
    expect(resultOf(outcome)).toBe('fail')
    expect(outcome.verdicts.map((v) => [v.name, v.limit, v.passed])).toEqual([
      ['cost.sum', '≤ baseline + 10% (1.1 USD)', false],
      ['duration.max', '≤ baseline * 5 (10000 ms)', true]
    ])
    expect(JSON.parse(verdictsJson(outcome, 'error', 100).json)).toEqual([
      {
        metric: 'cost.sum',
        input: 'thresholds',
        actual: 2.25,
        operator: '<=',
        limit: 1.1,
        baseline: 1,
        unit: 'USD',
        call: null,
        message: 'cost.sum 2.25 USD > baseline + 10% (1.1 USD)'
      }
    ])
  })

  it('skips them without a baseline: warnings that say why, and the gate passes', () => {
    const outcome = judge(
      { kind: 'many', logs: run, describe: 'run x' },
      rules({}, thresholds),
      missing
    )
    expect(resultOf(outcome)).toBe('pass')
    if (outcome.kind !== 'checked') throw new Error('not checked')
    expect(outcome.verdicts.map((v) => [v.level, v.passed, v.skipped])).toEqual(
      [
        [
          'warn',
          false,
          'no baseline (no successful run of eval.yml on "main" yet)'
        ],
        [
          'warn',
          false,
          'no baseline (no successful run of eval.yml on "main" yet)'
        ]
      ]
    )
    expect(JSON.parse(verdictsJson(outcome, 'warn', 100).json)[0]).toEqual({
      metric: 'cost.sum',
      input: 'thresholds',
      actual: 2.25,
      operator: '<=',
      limit: null,
      baseline: null,
      unit: 'USD',
      call: null,
      skipped: 'no baseline (no successful run of eval.yml on "main" yet)',
      message:
        'cost.sum <= baseline + 10% not checked: no baseline (no successful run of eval.yml on "main" yet)'
    })
  })

  it('adds no baseline to an outcome that was not compared', () => {
    const outcome = judge(
      { kind: 'many', logs: run, describe: 'run x' },
      rules({})
    )
    expect(outcome.kind === 'checked' && 'baseline' in outcome).toBe(false)
  })
})

describe('verdictsJson: the failures of one log', () => {
  it('lists only failed checks, with field, actual value and limit, null when not reported', () => {
    const outcome = judge(
      { kind: 'log', log: { ...LOG, cost: 0.75, tokens_in: null } },
      rules({ maxCostUsd: 0.05, maxDurationMs: 5000, maxTokensIn: 100 })
    )
    expect(JSON.parse(verdictsJson(outcome, 'error', 100).json)).toEqual([
      {
        field: 'cost',
        input: 'max-cost',
        actual: 0.75,
        limit: 0.05,
        unit: 'USD',
        message: 'cost 0.75 USD > max-cost 0.05 USD'
      },
      {
        field: 'tokens_in',
        input: 'max-tokens-in',
        actual: null,
        limit: 100,
        unit: 'tokens',
        message: 'tokens-in not reported by the log (max-tokens-in 100 tokens)'
      }
    ])
    expect(verdictsJson(outcome, 'warn', 100).json).toBe('[]')
  })

  it('is [] when every check passes', () => {
    expect(
      verdictsJson(
        judge({ kind: 'log', log: LOG }, rules({ maxCostUsd: 1 })),
        'error',
        100
      )
    ).toEqual({ json: '[]', omitted: 0 })
  })
})

describe('judge: sums past the largest number', () => {
  it('is an error naming the metric, not a verdict against Infinity', () => {
    const logs = [call('a', 1e308, 10), call('b', 1e308, 20)]
    const outcome = judge(
      { kind: 'many', logs, describe: 'run x' },
      rules({ maxCostUsd: 1 }, 'cost.sum < $5\nwarn: duration.p95 < 1ms')
    )
    expect(outcome).toEqual({
      kind: 'error',
      message:
        'Invalid answer: the sum of cost over 2 calls is not a finite number (past 1.8e308, the largest a number holds), so the calls cannot be judged.'
    })
    expect(resultOf(outcome)).toBe('error')
  })

  it('judges costs that add up to just under the largest number', () => {
    const logs = [call('a', 1e308, 10), call('b', 7e307, 20)]
    const outcome = judge({ kind: 'many', logs, describe: 'run x' }, rules({}))
    expect(outcome.kind).toBe('checked')
  })
})

describe('resultOf', () => {
  it('is error for an error, pass with no verdicts', () => {
    expect(resultOf({ kind: 'error', message: 'x' })).toBe('error')
    expect(
      resultOf(judge({ kind: 'many', logs: run, describe: 'run x' }, rules({})))
    ).toBe('pass')
    expect(verdictsJson({ kind: 'error', message: 'x' }, 'error', 100)).toEqual(
      { json: '[]', omitted: 0 }
    )
  })
})
