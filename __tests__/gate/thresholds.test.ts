import { describe, expect, it } from '@jest/globals'
import { computeMetrics, type LogSummary } from '../../src/sources/metrics.js'
import { type BaselineLimit } from '../../src/inputs/threshold-terms.js'
import { parseThresholds } from '../../src/inputs/thresholds.js'
import { limitsToThresholds } from '../../src/inputs/limits.js'
import {
  evaluateThresholds,
  resolveBaselineLimit,
  resultsJson
} from '../../src/gate/thresholds.js'
import { LOG } from '../helpers/fixtures.js'

const call = (id: string, fields: Partial<LogSummary> = {}): LogSummary => ({
  ...LOG,
  id,
  ...fields
})

describe('evaluateThresholds', () => {
  const run = [
    call('a', { cost: 0.5, duration: 1000, success: true }),
    call('b', { cost: 1.0, duration: 9400, success: false }),
    call('c', { cost: 0.75, duration: 2000, success: true, cached: true })
  ]
  // computed in beforeEach, not in the describe body: Stryker counts describe-time code as static
  let metrics: ReturnType<typeof computeMetrics>
  beforeEach(() => {
    metrics = computeMetrics(run)
  })
  const evaluate = (text: string) =>
    evaluateThresholds(parseThresholds(text).thresholds, metrics)

  it('passes and fails with one-line messages naming the actual value and the limit', () => {
    const results = evaluate(
      'cost <= $2.00\nduration.p95 < 8s\nerror-rate < 2%\ncount >= 3\nwarn: cost.max <= 0.10\ncache-rate >= 30%'
    )
    expect(
      results.map((r) => [
        r.name,
        r.actual,
        r.limit,
        r.level,
        r.passed,
        r.message
      ])
    ).toEqual([
      ['cost.sum', 2.25, 2, 'error', false, 'cost.sum 2.25 USD > 2 USD'],
      [
        'duration.p95',
        9400,
        8000,
        'error',
        false,
        'duration.p95 9400 ms >= 8000 ms (call b)'
      ],
      [
        'error-rate',
        1 / 3,
        0.02,
        'error',
        false,
        'error-rate 33.33% (1 of 3 calls) >= 2%'
      ],
      ['count', 3, 3, 'error', true, 'count 3 calls >= 3'],
      ['cost.max', 1, 0.1, 'warn', false, 'cost.max 1 USD > 0.1 USD (call b)'],
      [
        'cache-rate',
        1 / 3,
        0.3,
        'error',
        true,
        'cache-rate 33.33% (1 of 3 calls) >= 30%'
      ]
    ])
    expect(results[1]!.callId).toBe('b')
    expect(results[0]!.callId).toBeNull()
  })

  it.each([
    ['duration.max < 9400', false],
    ['duration.max < 9401', true],
    ['duration.max <= 9400', true],
    ['duration.max > 9400', false],
    ['duration.max >= 9400', true],
    ['duration.max == 9400', true],
    ['duration.max == 9399', false],
    ['duration.min > 999', true]
  ])('compares %j at the boundary: %s', (line, passed) => {
    expect(evaluate(line)[0]!.passed).toBe(passed)
  })

  it('names the comparison that holds when a threshold is breached', () => {
    expect(
      evaluate('duration.max > 10s\nduration.min >= 1001\ncount == 4').map(
        (r) => r.message
      )
    ).toEqual([
      'duration.max 9400 ms <= 10000 ms (call b)',
      'duration.min 1000 ms < 1001 ms (call a)',
      'count 3 calls != 4'
    ])
  })

  it('shows a rate limit with the digits it was written with', () => {
    const [result] = evaluate('error-rate < 1.23456%')
    expect(result!.limitText).toBe('1.23456%')
    expect(result!.message).toBe('error-rate 33.33% (1 of 3 calls) >= 1.23456%')
  })

  it('names the log field that calls lack for an unknown duration or token count', () => {
    const m = computeMetrics([
      call('x', { duration: undefined, tokens_in: null }),
      call('y')
    ])
    expect(
      evaluateThresholds(
        parseThresholds('duration.max < 1s\ntokens-in <= 10').thresholds,
        m
      ).map((r) => r.message)
    ).toEqual([
      'duration.max unknown: 1 of 2 calls reports no duration (limit < 1000 ms)',
      'tokens-in.sum unknown: 1 of 2 calls reports no tokens_in (limit <= 10 tokens)'
    ])
    const [tokensOut] = evaluateThresholds(
      parseThresholds('tokens-out.max < 10').thresholds,
      computeMetrics([call('x', { tokens_out: null }), call('y')])
    )
    expect(tokensOut!.message).toBe(
      'tokens-out.max unknown: 1 of 2 calls reports no tokens_out (limit < 10 tokens)'
    )
  })

  it('compares exact sums: 0.1 + 0.2 is within a 0.30 budget', () => {
    const m = computeMetrics([
      call('x', { cost: 0.1 }),
      call('y', { cost: 0.2 })
    ])
    expect(
      evaluateThresholds(parseThresholds('cost <= 0.30').thresholds, m)[0]!
        .passed
    ).toBe(true)
  })

  it('fails closed on an unknown cost, naming how many calls had none', () => {
    const m = computeMetrics([
      ...run,
      call('d', { cost: undefined }),
      call('e', { cost: undefined })
    ])
    const [result] = evaluateThresholds(
      limitsToThresholds({ maxCostUsd: 100, requireSuccess: false }),
      m
    )
    expect(result).toMatchObject({
      actual: null,
      passed: false,
      actualText: 'unknown'
    })
    expect(result!.message).toBe(
      'cost.sum unknown: 2 of 5 calls report no cost (limit <= 100 USD) (max-cost)'
    )
    const [tokens] = evaluateThresholds(
      parseThresholds('tokens < 10').thresholds,
      computeMetrics([call('f', { tokens_out: null })])
    )
    expect(tokens!.message).toBe(
      'tokens.sum unknown: 1 of 1 call reports no tokens_in or tokens_out (limit < 10 tokens)'
    )
  })

  it('fails closed with no calls: a rate of nothing is unknown, and a count says 0', () => {
    const results = evaluateThresholds(
      parseThresholds('error-rate < 2%\nduration.max < 1s\ncount >= 1')
        .thresholds,
      computeMetrics([])
    )
    expect(results.map((r) => [r.passed, r.message])).toEqual([
      [false, 'error-rate unknown: no calls (limit < 2%)'],
      [false, 'duration.max unknown: no calls (limit < 1000 ms)'],
      [false, 'count 0 calls < 1']
    ])
  })

  it('fails closed on a rate the source did not compute, saying so', () => {
    const [result] = evaluateThresholds(
      parseThresholds('error-rate < 2%').thresholds,
      { ...metrics, errorRate: null }
    )
    expect([result!.actual, result!.passed, result!.message]).toEqual([
      null,
      false,
      'error-rate unknown: not computed (limit < 2%)'
    ])
  })

  it('fails closed on a figure the source could not give, with its reason', () => {
    const reason = 'GraphQL Analytics gives no durations for this gateway'
    const [result] = evaluateThresholds(
      parseThresholds('duration.p95 < 8s').thresholds,
      metrics,
      undefined,
      [{ metric: 'duration', kind: 'unavailable', reason }]
    )
    expect(result).toMatchObject({
      actual: null,
      passed: false,
      actualText: 'unknown',
      message: `duration.p95 unknown: ${reason} (limit < 8000 ms)`
    })
  })

  it('says a figure is estimated, after the call that set it', () => {
    const reason = 'estimated from a sample of 20 calls of about 200'
    const [result] = evaluateThresholds(
      parseThresholds('duration.p95 < 8s').thresholds,
      metrics,
      undefined,
      [{ metric: 'duration.p95', kind: 'estimated', reason }]
    )
    expect(result!.message).toBe(
      `duration.p95 9400 ms >= 8000 ms (call b) (estimated: ${reason})`
    )
  })

  it('evaluates the limit inputs with the same evaluator, naming the input', () => {
    const results = evaluateThresholds(
      limitsToThresholds({
        maxCostUsd: 0.05,
        maxDurationMs: 10000,
        requireSuccess: true
      }),
      metrics
    )
    expect(results.map((r) => r.message)).toEqual([
      'cost.sum 2.25 USD > 0.05 USD (max-cost)',
      'duration.max 9400 ms <= 10000 ms (max-duration)',
      'errors 1 of 3 calls != 0 (require-success)'
    ])
  })

  it('one log: the call that set a value is not repeated in the message', () => {
    const [result] = evaluateThresholds(
      parseThresholds('duration.p95 < 100').thresholds,
      computeMetrics([LOG])
    )
    expect(result!.message).toBe('duration.p95 812 ms >= 100 ms')
    expect(result!.callId).toBe('log-1')
  })

  it('keeps a hostile call id on one line of the message', () => {
    const m = computeMetrics([
      call('a\n::error::injected\u202e', { duration: 5000 }),
      call('b', { duration: 1 })
    ])
    const [result] = evaluateThresholds(
      parseThresholds('duration.max < 10').thresholds,
      m
    )
    expect(result!.message).toBe(
      'duration.max 5000 ms >= 10 ms (call a\\n::error::injected\\u202e)'
    )
    expect(result!.callId).toBe('a\n::error::injected\u202e')
  })

  describe('against the baseline', () => {
    const baselineRun = computeMetrics([
      call('x', { cost: 1, duration: 1000, success: true }),
      call('y', { cost: 1, duration: 2000, success: true })
    ])
    const thisRun = computeMetrics([
      call('a', { cost: 1.05, duration: 1100, success: true }),
      call('b', { cost: 1.1, duration: 2500, success: false })
    ])
    const evaluate = (
      text: string,
      baseline: Parameters<typeof evaluateThresholds>[2]
    ) => evaluateThresholds(parseThresholds(text).thresholds, thisRun, baseline)

    it("resolves each limit from the baseline's value of the same metric, and says both", () => {
      const results = evaluate(
        'cost <= baseline + 10%\nduration.p95 <= baseline * 1.2\nerror-rate <= baseline + 0.01\ncount >= baseline',
        {
          metrics: baselineRun
        }
      )
      expect(
        results.map((r) => [
          r.name,
          r.actual,
          r.limit,
          r.baseline,
          r.passed,
          r.message
        ])
      ).toEqual([
        [
          'cost.sum',
          2.15,
          2.2,
          2,
          true,
          'cost.sum 2.15 USD <= baseline + 10% (2.2 USD)'
        ],
        [
          'duration.p95',
          2500,
          2400,
          2000,
          false,
          'duration.p95 2500 ms > baseline * 1.2 (2400 ms) (call b)'
        ],
        [
          'error-rate',
          0.5,
          0.01,
          0,
          false,
          'error-rate 50% (1 of 2 calls) > baseline + 0.01 (1%)'
        ],
        ['count', 2, 2, 2, true, 'count 2 calls >= baseline (2)']
      ])
      expect(results.map((r) => r.skipped)).toEqual([
        undefined,
        undefined,
        undefined,
        undefined
      ])
    })

    it('shows a limit worked out from the baseline as actual values are shown, not to 12 digits', () => {
      const third = computeMetrics([
        call('x', { success: false }),
        call('y'),
        call('z')
      ])
      const [result] = evaluateThresholds(
        parseThresholds('error-rate <= baseline + 0.01').thresholds,
        thisRun,
        { metrics: third }
      )
      expect(result!.limitText).toBe('baseline + 0.01 (34.33%)')
    })

    it('skips a threshold that compares with a missing baseline: a warning saying why, never a failure', () => {
      const results = evaluate(
        'cost <= baseline + 10%\nwarn: duration.p95 <= baseline\ncount >= 1',
        { missing: 'no successful run of eval.yml on "main" yet' }
      )
      expect(
        results.map((r) => [
          r.name,
          r.level,
          r.passed,
          r.limit,
          r.baseline,
          r.skipped,
          r.actual,
          r.message
        ])
      ).toEqual([
        [
          'cost.sum',
          'warn',
          false,
          null,
          null,
          'no baseline (no successful run of eval.yml on "main" yet)',
          2.15,
          'cost.sum <= baseline + 10% not checked: no baseline (no successful run of eval.yml on "main" yet)'
        ],
        [
          'duration.p95',
          'warn',
          false,
          null,
          null,
          'no baseline (no successful run of eval.yml on "main" yet)',
          2500,
          'duration.p95 <= baseline not checked: no baseline (no successful run of eval.yml on "main" yet)'
        ],
        [
          'count',
          'error',
          true,
          1,
          undefined,
          undefined,
          2,
          'count 2 calls >= 1'
        ]
      ])
    })

    it("skips it when the baseline's value is unknown, saying how many of its calls lack it", () => {
      const costless = computeMetrics([
        call('x', { cost: undefined }),
        call('y', { cost: 1 })
      ])
      const [result] = evaluate('cost <= baseline', { metrics: costless })
      expect(result).toMatchObject({
        passed: false,
        level: 'warn',
        limit: null
      })
      expect(result!.skipped).toBe(
        "the baseline's cost.sum is unknown: 1 of 2 calls reports no cost"
      )
    })

    it('skips it when no baseline was read at all', () => {
      expect(evaluate('cost <= baseline', undefined)[0]!.skipped).toBe(
        'no baseline was read'
      )
    })

    it('fails closed on an unknown metric of this run, even with a baseline', () => {
      const costless = computeMetrics([call('a', { cost: undefined })])
      const [result] = evaluateThresholds(
        parseThresholds('cost <= baseline + 10%').thresholds,
        costless,
        { metrics: baselineRun }
      )
      expect([result!.passed, result!.level, result!.message]).toEqual([
        false,
        'error',
        'cost.sum unknown: 1 of 1 call reports no cost (limit <= baseline + 10% (2.2 USD))'
      ])
    })
  })
})

describe('evaluateThresholds: the texts people read', () => {
  const run = [
    call('a', { cost: 0.12345678, duration: 812, tokens_in: 1000 }),
    call('b', { cost: 0.2773, duration: 3750, tokens_in: 1001 }),
    call('c', { cost: 0.0000123456, duration: 9400, tokens_in: 1002 })
  ]
  let metrics: ReturnType<typeof computeMetrics>
  beforeEach(() => {
    metrics = computeMetrics(run)
  })
  const shown = (text: string) =>
    evaluateThresholds(parseThresholds(text).thresholds, metrics).map(
      (r) => r.shown
    )

  it('rounds money and durations, and keeps the exact numbers in actualText, limitText and message', () => {
    const [cost, p95, avg] = evaluateThresholds(
      parseThresholds('cost <= $0.3\nduration.p95 < 8s\ntokens-in.avg < 1000')
        .thresholds,
      metrics
    )
    expect(cost!.message).toBe('cost.sum 0.4007691256 USD > 0.3 USD')
    expect(cost!.shown).toEqual({
      actualText: '0.4008 USD',
      limitText: '0.3 USD',
      message: 'cost.sum 0.4008 USD > 0.3 USD'
    })
    expect(p95!.message).toBe('duration.p95 9400 ms >= 8000 ms (call c)')
    expect(p95!.shown.message).toBe('duration.p95 9.4 s >= 8 s (call c)')
    expect(avg!.message).toBe('tokens-in.avg 1001 tokens >= 1000 tokens')
    expect(avg!.shown.actualText).toBe('1001 tokens')
  })

  it('keeps the exact digits when rounding would make a breach read as equal', () => {
    expect(shown('cost.max <= $0.2772')[0]).toEqual({
      actualText: '0.2773 USD',
      limitText: '0.2772 USD',
      message: 'cost.max 0.2773 USD > 0.2772 USD (call b)'
    })
    expect(shown('cost.max <= $0.27729')[0]!.message).toBe(
      'cost.max 0.2773 USD > 0.27729 USD (call b)'
    )
    expect(shown('duration.max <= 9399')[0]!.message).toBe(
      'duration.max 9400 ms > 9399 ms (call c)'
    )
    // 9400 ms against 9390 ms would read `9.4 s > 9.4 s`.
    expect(shown('duration.max <= 9390')[0]!.message).toBe(
      'duration.max 9400 ms > 9390 ms (call c)'
    )
    expect(shown('duration.max <= 9000')[0]!.message).toBe(
      'duration.max 9.4 s > 9 s (call c)'
    )
  })

  it('rounds a value equal to its limit for people, both sides alike', () => {
    const [max] = evaluateThresholds(
      parseThresholds('duration.max <= 9400').thresholds,
      metrics
    )
    expect(max!.passed).toBe(true)
    expect(max!.message).toBe('duration.max 9400 ms <= 9400 ms')
    expect(max!.shown.message).toBe('duration.max 9.4 s <= 9.4 s')
  })

  it('rounds an average of tokens to one decimal, and leaves counts and rates as they are', () => {
    expect(shown('tokens-in.avg <= 1000')[0]!.actualText).toBe('1001 tokens')
    const odd = computeMetrics([
      call('a', { tokens_in: 1 }),
      call('b', { tokens_in: 2 }),
      call('c', { tokens_in: 2 })
    ])
    const [avg] = evaluateThresholds(
      parseThresholds('tokens-in.avg <= 1').thresholds,
      odd
    )
    expect(avg!.actualText).toBe('1.6666666666666667 tokens')
    expect(avg!.shown.actualText).toBe('1.7 tokens')
    expect(shown('error-rate < 2%\ncount >= 5')).toEqual(
      evaluateThresholds(
        parseThresholds('error-rate < 2%\ncount >= 5').thresholds,
        metrics
      ).map((r) => ({
        actualText: r.actualText,
        limitText: r.limitText,
        message: r.message
      }))
    )
  })

  it('says an unknown value and a baseline limit in the rounded words too', () => {
    const costless = computeMetrics([call('a', { cost: undefined })])
    const [unknown] = evaluateThresholds(
      parseThresholds('cost <= $1.5').thresholds,
      costless
    )
    expect(unknown!.message).toBe(
      'cost.sum unknown: 1 of 1 call reports no cost (limit <= 1.5 USD)'
    )
    expect(unknown!.shown.message).toBe(
      'cost.sum unknown: 1 of 1 call reports no cost (limit <= 1.50 USD)'
    )
    const [baseline] = evaluateThresholds(
      parseThresholds('cost <= baseline + 10%').thresholds,
      metrics,
      { metrics: computeMetrics([call('x', { cost: 0.1234567 })]) }
    )
    expect(baseline!.limitText).toBe('baseline + 10% (0.13580237 USD)')
    expect(baseline!.shown.limitText).toBe('baseline + 10% (0.1358 USD)')
  })
})

describe('resolveBaselineLimit', () => {
  const limit = (
    adjust: BaselineLimit['adjust'],
    amount: number
  ): BaselineLimit => ({ kind: 'baseline', adjust, amount, text: '' })
  it.each([
    // A relative change is exact where binary arithmetic is not: 2.2 × 1.1 is 2.4200000000000004 in doubles.
    [limit('percent', 10), 2.2, 2.42],
    [limit('percent', 10), 2, 2.2],
    [limit('percent', -5), 0.2, 0.19],
    [limit('add', 0.2), 0.1, 0.3],
    [limit('add', -500), 1000, 500],
    [limit('times', 1.2), 1000, 1200],
    [limit('times', 3), 0.1, 0.3],
    [limit('times', 1), 0.0000004, 0.0000004],
    [limit('percent', 10), 0, 0]
  ])('%j of %p is %p', (l, baseline, expected) => {
    expect(resolveBaselineLimit(l, baseline)).toBe(expected)
  })
})

describe('resultsJson', () => {
  it('lists the failed results of one level, with exact numbers and null for unknown', () => {
    const m = computeMetrics([
      call('a', { cost: undefined, duration: 9000 }),
      call('b', { duration: 10 })
    ])
    const results = evaluateThresholds(
      parseThresholds(
        'warn: cost <= 1\nwarn: duration.max < 8s\nwarn: count >= 1\nduration.p50 < 5ms'
      ).thresholds,
      m
    )
    expect(JSON.parse(resultsJson(results, 'warn'))).toEqual([
      {
        metric: 'cost.sum',
        input: 'thresholds',
        actual: null,
        operator: '<=',
        limit: 1,
        unit: 'USD',
        call: null,
        message:
          'cost.sum unknown: 1 of 2 calls reports no cost (limit <= 1 USD)'
      },
      {
        metric: 'duration.max',
        input: 'thresholds',
        actual: 9000,
        operator: '<',
        limit: 8000,
        unit: 'ms',
        call: 'a',
        message: 'duration.max 9000 ms >= 8000 ms (call a)'
      }
    ])
    expect(JSON.parse(resultsJson(results, 'error'))).toEqual([
      {
        metric: 'duration.p50',
        input: 'thresholds',
        actual: 10,
        operator: '<',
        limit: 5,
        unit: 'ms',
        call: 'b',
        message: 'duration.p50 10 ms >= 5 ms (call b)'
      }
    ])
    expect(resultsJson([], 'warn')).toBe('[]')
  })
})

describe('evaluateThresholds: figures read from a sample (analytics)', () => {
  // Metrics whose figures are the estimates; the intervals say how far they may be off.
  let metrics: ReturnType<typeof computeMetrics>
  beforeEach(() => {
    metrics = {
      ...computeMetrics([
        call('a', { cost: 40, duration: 1000, success: true }),
        call('b', { cost: 55, duration: 2000, success: false })
      ]),
      count: 1200
    }
  })
  const interval = (estimate: number, lower: number, upper: number) => ({
    estimate,
    lower,
    upper,
    sampleSize: 120
  })
  const intervals = {
    'cost.sum': interval(95, 90, 101),
    count: interval(1200, 1150, 1260)
  }
  const evaluate = (text: string) =>
    evaluateThresholds(
      parseThresholds(text).thresholds,
      metrics,
      undefined,
      [],
      intervals
    )

  it('passes an upper limit only when the upper bound passes it', () => {
    const [under100, under102] = evaluate('cost.sum < 100\ncost.sum < 102')
    expect(under100!.passed).toBe(false)
    expect(under100!.message).toBe(
      "cost.sum ≈ 95 USD (95%: 90 USD to 101 USD) >= 100 USD (sampled: judged at the interval's upper bound)"
    )
    expect(under102!.passed).toBe(true)
    expect(under102!.interval).toEqual(intervals['cost.sum'])
  })

  it('passes a lower limit only when the lower bound passes it', () => {
    const [atLeast1100, atLeast1160] = evaluate('count >= 1100\ncount >= 1160')
    expect(atLeast1100!.passed).toBe(true)
    expect(atLeast1100!.message).toBe(
      "count ≈ 1200 (95%: 1150 to 1260) >= 1100 (sampled: judged at the interval's lower bound)"
    )
    expect(atLeast1160!.passed).toBe(false)
  })

  it('passes == only when both bounds are the limit', () => {
    const [equal] = evaluate('count == 1200')
    expect(equal!.passed).toBe(false)
    expect(equal!.message).toContain("judged at the interval's both bounds")
  })

  it('judges a figure without an interval as exact', () => {
    const [avg] = evaluate('cost.max < 60')
    expect(avg!.passed).toBe(true)
    expect(avg!.interval).toBeUndefined()
    expect(avg!.message).toBe('cost.max 55 USD < 60 USD')
  })

  it('puts the interval in the failures output', () => {
    const results = evaluate('cost.sum < 100')
    expect(JSON.parse(resultsJson(results, 'error'))).toEqual([
      expect.objectContaining({
        metric: 'cost.sum',
        actual: 95,
        interval: { lower: 90, upper: 101 }
      })
    ])
  })

  it('shows the estimate rounded for people in the report', () => {
    const [sum] = evaluate('cost.sum < 100')
    expect(sum!.shown.actualText).toBe(
      '≈ 95.00 USD (95%: 90.00 USD to 101.00 USD)'
    )
  })

  it('shows the exact digits when the judged bound and the limit would read the same rounded', () => {
    const judged = (
      text: string,
      bounds: Record<string, ReturnType<typeof interval>>
    ) =>
      evaluateThresholds(
        parseThresholds(text).thresholds,
        metrics,
        undefined,
        [],
        bounds
      )[0]!
    // The lower bound 1159.6 is under 1160: rounded, it would read `1160 to 1260) < 1160`.
    const count = judged('count >= 1160', {
      count: interval(1200, 1159.6, 1260)
    })
    expect(count.passed).toBe(false)
    expect(count.shown.message).toBe(
      "count ≈ 1200 (95%: 1159.6 to 1260) < 1160 (sampled: judged at the interval's lower bound)"
    )
    // The upper bound 99.996 USD passes `< 100`: rounded to cents it would read `100.00 USD) < 100 USD`.
    const cost = judged('cost.sum < 100', {
      'cost.sum': interval(95, 90, 99.996)
    })
    expect(cost.passed).toBe(true)
    expect(cost.shown.actualText).toBe('≈ 95 USD (95%: 90 USD to 99.996 USD)')
    // `==` is judged at both bounds: one that reads as the limit is enough for the exact digits.
    const equal = judged('count == 1200', {
      count: interval(1200, 1199.6, 1260)
    })
    expect(equal.passed).toBe(false)
    expect(equal.shown.actualText).toBe('≈ 1200 (95%: 1199.6 to 1260)')
    const neither = judged('count == 1200', {
      count: interval(1200, 1150, 1260)
    })
    expect(neither.shown.actualText).toBe('≈ 1200 (95%: 1150 to 1260)')
    // Only the end a limit is judged at counts: an upper limit's lower bound, a lower limit's upper
    // bound, may read as the limit and the figures stay rounded.
    const upperLimit = judged('cost.sum < 100', {
      'cost.sum': interval(100.2, 99.996, 101)
    })
    expect(upperLimit.shown.actualText).toBe(
      '≈ 100.20 USD (95%: 100.00 USD to 101.00 USD)'
    )
    const lowerLimit = judged('count >= 1260', {
      count: interval(1200, 1150, 1259.6)
    })
    expect(lowerLimit.shown.actualText).toBe('≈ 1200 (95%: 1150 to 1260)')
    // `==`: its upper bound alone reading as the limit is enough too.
    const equalUpper = judged('count == 1200', {
      count: interval(1200, 1150, 1200.4)
    })
    expect(equalUpper.shown.actualText).toBe('≈ 1200 (95%: 1150 to 1200.4)')
    // An end that is the limit exactly reads as what it is: nothing to tell apart.
    const atLimit = judged('cost.sum <= 100', {
      'cost.sum': interval(95, 90, 100)
    })
    expect(atLimit.passed).toBe(true)
    expect(atLimit.shown.actualText).toBe(
      '≈ 95.00 USD (95%: 90.00 USD to 100.00 USD)'
    )
    // A bound that reads differently from the limit keeps the rounded figures.
    const clear = judged('cost.sum < 100', {
      'cost.sum': interval(95, 90, 98.5)
    })
    expect(clear.shown.actualText).toBe(
      '≈ 95.00 USD (95%: 90.00 USD to 98.50 USD)'
    )
  })

  it('passes == when both bounds are the limit, and fails it when only one is', () => {
    const judged = (lower: number, upper: number) =>
      evaluateThresholds(
        parseThresholds('count == 1200').thresholds,
        metrics,
        undefined,
        [],
        { count: interval(1200, lower, upper) }
      )[0]!
    expect(judged(1200, 1200).passed).toBe(true)
    expect(judged(1200, 1260).passed).toBe(false)
    expect(judged(1150, 1200).passed).toBe(false)
  })

  it('shows an estimated count exact in the message, and in whole calls for people', () => {
    const [count] = evaluateThresholds(
      parseThresholds('count >= 1100').thresholds,
      metrics,
      undefined,
      [],
      { count: interval(1203.6, 1150.2, 1260.8) }
    )
    expect(count!.actualText).toBe('≈ 1203.6 (95%: 1150.2 to 1260.8)')
    expect(count!.message).toBe(
      "count ≈ 1203.6 (95%: 1150.2 to 1260.8) >= 1100 (sampled: judged at the interval's lower bound)"
    )
    expect(count!.shown.actualText).toBe('≈ 1204 (95%: 1150 to 1261)')
  })

  it('shows an estimated rate as a percentage to 4 digits', () => {
    const [rate] = evaluateThresholds(
      parseThresholds('error-rate < 2%').thresholds,
      metrics,
      undefined,
      [],
      { 'error-rate': interval(0.0123456, 0.01, 0.0151234) }
    )
    expect(rate!.passed).toBe(true)
    expect(rate!.message).toBe(
      "error-rate ≈ 1.235% (95%: 1% to 1.512%) < 2% (sampled: judged at the interval's upper bound)"
    )
    expect(rate!.shown.actualText).toBe('≈ 1.235% (95%: 1% to 1.512%)')
  })

  it('gives an unknown figure no interval, in the result or the failures output', () => {
    const costless = {
      ...computeMetrics([call('a', { cost: undefined }), call('b')]),
      count: 1200
    }
    const results = evaluateThresholds(
      parseThresholds('cost.sum < 100').thresholds,
      costless,
      undefined,
      [],
      intervals
    )
    expect(results[0]!.interval).toBeUndefined()
    expect(JSON.parse(resultsJson(results, 'error'))).toEqual([
      {
        metric: 'cost.sum',
        input: 'thresholds',
        actual: null,
        operator: '<',
        limit: 100,
        unit: 'USD',
        call: null,
        message:
          'cost.sum unknown: 1 of 1200 calls reports no cost (limit < 100 USD)'
      }
    ])
  })
})

describe('evaluateThresholds: a baseline read from a sample (previous-window on analytics)', () => {
  let run: ReturnType<typeof computeMetrics>
  let baselineMetrics: ReturnType<typeof computeMetrics>
  beforeEach(() => {
    run = computeMetrics([call('a', { cost: 2.5 })])
    baselineMetrics = computeMetrics([call('b', { cost: 2.4 })])
  })
  const interval = { estimate: 2.4, lower: 2.2, upper: 2.6, sampleSize: 40 }
  const evaluate = (text: string, sampled = true) =>
    evaluateThresholds(parseThresholds(text).thresholds, run, {
      metrics: baselineMetrics,
      ...(sampled ? { intervals: { 'cost.sum': interval } } : {})
    })

  it('takes an upper limit from the baseline lower bound', () => {
    const [result] = evaluate('cost.sum <= baseline * 1.1')
    // 2.2 * 1.1 = 2.42 < 2.5: fails, where the estimate (2.64) would pass
    expect([result!.passed, result!.limit, result!.baseline]).toEqual([
      false,
      2.42,
      2.2
    ])
    expect(result!.message).toBe(
      "cost.sum 2.5 USD > baseline * 1.1 (2.42 USD, from the sampled baseline's lower bound)"
    )
    expect(evaluate('cost.sum <= baseline * 1.1', false)[0]!.passed).toBe(true)
  })

  it('takes a lower limit from the baseline upper bound', () => {
    const [result] = evaluate('cost.sum >= baseline')
    expect([result!.passed, result!.limit]).toEqual([false, 2.6])
    expect(evaluate('cost.sum >= baseline', false)[0]!.passed).toBe(true)
  })

  it('takes a strict upper limit from the lower bound, and a strict lower limit from the upper bound', () => {
    const [under, over] = evaluate(
      'cost.sum < baseline * 1.1\ncost.sum > baseline'
    )
    expect([under!.passed, under!.limit, under!.baseline]).toEqual([
      false,
      2.42,
      2.2
    ])
    expect([over!.passed, over!.limit, over!.baseline]).toEqual([
      false,
      2.6,
      2.6
    ])
    expect(over!.message).toBe(
      "cost.sum 2.5 USD <= baseline (2.6 USD, from the sampled baseline's upper bound)"
    )
  })

  it('takes == from the baseline value itself, naming no bound', () => {
    const [result] = evaluate('cost.sum == baseline')
    expect([result!.passed, result!.limit, result!.baseline]).toEqual([
      false,
      2.4,
      2.4
    ])
    expect(result!.message).toBe('cost.sum 2.5 USD != baseline (2.4 USD)')
  })

  it('names no bound when the interval is a single value (the sample was every call)', () => {
    const [result] = evaluateThresholds(
      parseThresholds('cost.sum <= baseline * 1.1').thresholds,
      run,
      {
        metrics: baselineMetrics,
        intervals: {
          'cost.sum': { estimate: 2.4, lower: 2.4, upper: 2.4, sampleSize: 1 }
        }
      }
    )
    expect([result!.passed, result!.limit, result!.baseline]).toEqual([
      true,
      2.64,
      2.4
    ])
    expect(result!.message).toBe(
      'cost.sum 2.5 USD <= baseline * 1.1 (2.64 USD)'
    )
  })
})

describe('evaluateThresholds: status codes counted from a sample (analytics)', () => {
  const codes = (...rows: Array<[number, number]>) => ({
    ...computeMetrics([call('a')]),
    count: rows.reduce((n, [, calls]) => n + calls, 0),
    statusCodes: rows.map(([code, calls]) => ({
      code,
      calls,
      first: { id: '', index: -1 }
    }))
  })
  const estimated = {
    metric: 'status-code',
    kind: 'estimated' as const,
    reason:
      'estimated from a sample of 20 calls of about 200 (GraphQL Analytics sampled the answer)'
  }
  const expect2xx = limitsToThresholds({
    requireSuccess: false,
    expectedStatus: [{ kind: 'class', hundreds: 2 }]
  })

  it('says the counts are estimated from a sample, passed or failed, as the metric thresholds do', () => {
    const [pass] = evaluateThresholds(expect2xx, codes([200, 200]), undefined, [
      estimated
    ])
    expect(pass!.passed).toBe(true)
    expect(pass!.message).toBe(
      'status-code of all 200 calls in expected-status 2xx (estimated: estimated from a sample of 20 calls of about 200 (GraphQL Analytics sampled the answer))'
    )
    const [fail] = evaluateThresholds(
      expect2xx,
      codes([200, 190], [500, 10]),
      undefined,
      [estimated]
    )
    expect(fail!.passed).toBe(false)
    expect(fail!.message).toBe(
      'status-code of 10 of 200 calls not in expected-status 2xx (first: 500) (estimated: estimated from a sample of 20 calls of about 200 (GraphQL Analytics sampled the answer))'
    )
  })

  it('names the call seen first among those outside, whatever order the codes are listed in', () => {
    const metrics = {
      ...computeMetrics([call('a'), call('b'), call('c')]),
      statusCodes: [
        { code: 200, calls: 1, first: { id: 'a', index: 0 } },
        { code: 503, calls: 1, first: { id: 'c', index: 2 } },
        { code: 500, calls: 1, first: { id: 'b', index: 1 } }
      ]
    }
    const [result] = evaluateThresholds(expect2xx, metrics)
    expect(result!.callId).toBe('b')
    expect(result!.message).toBe(
      'status-code of 2 of 3 calls not in expected-status 2xx (first: call b: 500)'
    )
  })

  it('says nothing of a sample without the caveat', () => {
    const [pass] = evaluateThresholds(expect2xx, codes([200, 200]))
    expect(pass!.message).toBe(
      'status-code of all 200 calls in expected-status 2xx'
    )
  })
})
