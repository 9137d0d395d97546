import { describe, expect, it } from '@jest/globals'
import { computeMetrics, type LogSummary } from '../../src/sources/metrics.js'
import {
  evaluateThresholds,
  limitsToThresholds,
  parseLimit,
  parseThresholdLine,
  parseThresholds,
  resolveBaselineLimit,
  resultsJson,
  type BaselineLimit,
  type Threshold
} from '../../src/inputs/thresholds.js'
import { LOG } from '../helpers/fixtures.js'

const call = (id: string, fields: Partial<LogSummary> = {}): LogSummary => ({
  ...LOG,
  id,
  ...fields
})

/** The one threshold a line parses to (fails the test with the error otherwise). */
const one = (line: string): Threshold => {
  const parsed = parseThresholdLine(line)
  if ('error' in parsed) throw new Error(parsed.error)
  return parsed.threshold
}
/** A threshold's limit when it is a number (NaN for a baseline limit). */
const limitValue = (threshold: Threshold): number =>
  threshold.limit.kind === 'value' ? threshold.limit.value : NaN
const errorOf = (line: string): string => {
  const parsed = parseThresholdLine(line)
  if (!('error' in parsed))
    throw new Error(`parsed: ${JSON.stringify(parsed.threshold)}`)
  return parsed.error
}

describe('parseThresholdLine', () => {
  it.each([
    // line, metric, aggregate, operator, value, level
    ['cost <= $2.00', 'cost', 'sum', '<=', 2, 'error'],
    ['cost <= 2.00', 'cost', 'sum', '<=', 2, 'error'],
    ['cost<=2 USD', 'cost', 'sum', '<=', 2, 'error'],
    ['cost.max <= .10', 'cost', 'max', '<=', 0.1, 'error'],
    ['duration.p95 < 8s', 'duration', 'p95', '<', 8000, 'error'],
    ['duration < 8000', 'duration', 'max', '<', 8000, 'error'],
    ['duration.avg <= 1500ms', 'duration', 'avg', '<=', 1500, 'error'],
    ['duration.p99 < 1m', 'duration', 'p99', '<', 60000, 'error'],
    ['duration.p50 < 0.5 s', 'duration', 'p50', '<', 500, 'error'],
    ['error-rate < 2%', 'error-rate', null, '<', 0.02, 'error'],
    ['error-rate < 0.02', 'error-rate', null, '<', 0.02, 'error'],
    ['cache-rate >= 7%', 'cache-rate', null, '>=', 0.07, 'error'],
    ['count >= 100', 'count', null, '>=', 100, 'error'],
    ['errors == 0', 'errors', null, '==', 0, 'error'],
    ['cached > 3', 'cached', null, '>', 3, 'error'],
    ['tokens <= 100000', 'tokens', 'sum', '<=', 100000, 'error'],
    ['tokens-in.p90 < 2500.5', 'tokens-in', 'p90', '<', 2500.5, 'error'],
    ['tokens-out.min > 0', 'tokens-out', 'min', '>', 0, 'error'],
    ['warn: cost.max <= 0.10', 'cost', 'max', '<=', 0.1, 'warn'],
    ['WARN:duration.P95 < 8S', 'duration', 'p95', '<', 8000, 'warn'],
    ['  Error-Rate   <   2 %  ', 'error-rate', null, '<', 0.02, 'error']
  ])('%j', (line, metric, aggregate, operator, value, level) => {
    expect(one(line)).toMatchObject({
      metric,
      aggregate,
      operator,
      limit: { kind: 'value', value },
      level,
      input: 'thresholds'
    })
  })

  it('reads a percentage as the decimal it is: 7% is exactly 7 of 100 calls', () => {
    expect(limitValue(one('error-rate <= 7%'))).toBe(7 / 100)
    expect(limitValue(one('error-rate <= 0.3%'))).toBe(0.003)
  })

  it.each([
    [
      'cost <= 2s',
      'cost takes an amount in USD ($2.00, 2.00 or 2 USD), not "2s"'
    ],
    [
      'cost <= 2%',
      'cost takes an amount in USD ($2.00, 2.00 or 2 USD), not "2%"'
    ],
    [
      'cost <= -1',
      'cost takes an amount in USD ($2.00, 2.00 or 2 USD), not "-1"'
    ],
    ['duration.p95 < 8h', 'has an unknown unit "h" (use ms, s or m)'],
    [
      'duration.p95 < $8',
      'duration takes a duration (8000, 8000ms, 8s, 1m), not "$8"'
    ],
    [
      'duration.p95 < 8 seconds',
      'has an unknown unit "seconds" (use ms, s or m)'
    ],
    [
      'duration.p75 < 8s',
      'has an unknown aggregate "p75" (use sum, avg, min, max, p50, p90, p95, p99)'
    ],
    [
      'cost. <= 1',
      'has an unknown aggregate "" (use sum, avg, min, max, p50, p90, p95, p99)'
    ],
    [
      'latency.p95 < 8s',
      'has an unknown metric "latency": use count, errors, error-rate, cached, cache-rate, cost, duration, tokens-in, tokens-out, tokens'
    ],
    [
      'tokens_in <= 10',
      'has an unknown metric "tokens_in" (did you mean tokens-in?): use count, errors, error-rate, cached, cache-rate, cost, duration, tokens-in, tokens-out, tokens'
    ],
    ['count.sum >= 1', 'count is one number and has no aggregate (".sum")'],
    ['cost = 1', 'has an unknown operator "=" (use <, <=, >, >=, ==)'],
    ['cost =< 1', 'has an unknown operator "=<" (use <, <=, >, >=, ==)'],
    ['cost != 1', 'has an unknown operator "!=" (use <, <=, >, >=, ==)'],
    ['cost ≤ 1', 'has an unknown operator "≤" (use <, <=, >, >=, ==)'],
    ['cost <=', 'has no value'],
    [
      'cost 2',
      'is not <metric>[.<aggregate>] <op> <value> (e.g. cost <= $2.00, duration.p95 < 8s, warn: error-rate < 2%)'
    ],
    [
      '<= 2',
      'is not <metric>[.<aggregate>] <op> <value> (e.g. cost <= $2.00, duration.p95 < 8s, warn: error-rate < 2%)'
    ],
    [
      'warning: cost <= 1',
      'has an unknown level "warning:" (use warn: or nothing)'
    ],
    [
      'error-rate < 2',
      'error-rate takes a percentage (2%) or a fraction from 0 to 1 (0.02), not "2"'
    ],
    ['error-rate < 101%', 'error-rate "101%" is over 100%'],
    [
      'error-rate < 2 percent',
      'error-rate takes a percentage (2%) or a fraction from 0 to 1 (0.02), not "2 percent"'
    ],
    ['count >= 1.5', 'count takes a whole number of calls, not "1.5"'],
    ['tokens <= 1e3', 'tokens takes a number of tokens, not "1e3"']
  ])('%j is refused: %s', (line, error) => {
    expect(errorOf(line)).toBe(error)
  })

  it('refuses a value too large to be a number', () => {
    expect(errorOf(`cost <= ${'9'.repeat(400)}`)).toMatch(/is too large$/)
  })

  // 400 nines: no double holds it; the message quotes the first 80 characters.
  const big = '9'.repeat(400)
  const shown = `${'9'.repeat(80)}…`
  it.each([
    ['an amount', `cost <= ${big}`],
    ['a duration', `duration.p95 < ${big}ms`],
    ['a number of tokens', `tokens <= ${big}`],
    ['a percentage of the baseline', `cost <= baseline + ${big}%`]
  ])('refuses %s too large to be a number, quoting it', (_what, line) => {
    expect(errorOf(line)).toBe(`value "${shown}" is too large`)
  })

  it.each([
    ['error-rate <= 100%', 'error-rate', 1],
    ['error-rate <= 1', 'error-rate', 1],
    ['cache-rate >= 1', 'cache-rate', 1],
    ['cache-rate >= 100 %', 'cache-rate', 1]
  ])('takes a rate of exactly all calls: %j', (line, metric, value) => {
    expect(one(line)).toMatchObject({ metric, limit: { kind: 'value', value } })
  })

  it('takes spaces around the colon of the level', () => {
    expect(one('warn : cost <= 1')).toMatchObject({
      level: 'warn',
      metric: 'cost',
      limit: { kind: 'value', value: 1 }
    })
  })

  describe('limits that compare with the baseline', () => {
    it.each([
      // line, adjust, amount, text
      ['cost <= baseline + 10%', 'percent', 10, 'baseline + 10%'],
      ['cost<=baseline+10%', 'percent', 10, 'baseline + 10%'],
      ['cache-rate >= baseline - 5%', 'percent', -5, 'baseline - 5%'],
      ['error-rate <= baseline + 2.5 %', 'percent', 2.5, 'baseline + 2.5 %'],
      ['duration.p95 <= baseline * 1.2', 'times', 1.2, 'baseline * 1.2'],
      ['count >= baseline', 'times', 1, 'baseline'],
      ['cost <= BASELINE', 'times', 1, 'baseline'],
      ['error-rate <= baseline + 0.01', 'add', 0.01, 'baseline + 0.01'],
      ['duration.p95 < baseline + 500ms', 'add', 500, 'baseline + 500ms'],
      ['duration.max < baseline + 2s', 'add', 2000, 'baseline + 2s'],
      ['cost <= baseline - $0.01', 'add', -0.01, 'baseline - $0.01'],
      ['count >= baseline - 5', 'add', -5, 'baseline - 5'],
      ['warn: tokens <= baseline + 1000', 'add', 1000, 'baseline + 1000']
    ] as const)('%j', (line, adjust, amount, text) => {
      expect(one(line).limit).toEqual({
        kind: 'baseline',
        adjust,
        amount,
        text
      })
    })

    it.each([
      [
        'cost <= baseline +',
        'has nothing after "baseline +" (e.g. baseline + 10%, baseline * 1.2)'
      ],
      [
        'cost <= baseline * 0',
        'multiplies the baseline by a positive number (baseline * 1.2), not "0"'
      ],
      [
        'cost <= baseline * -1',
        'multiplies the baseline by a positive number (baseline * 1.2), not "-1"'
      ],
      [
        'cost <= baseline * 10%',
        'multiplies the baseline by a positive number (baseline * 1.2), not "10%"'
      ],
      [
        'duration.p95 <= baseline + 5h',
        'has an unknown unit "h" (use ms, s or m) (after "baseline +": an amount in the metric\'s unit, or a percentage of the baseline)'
      ],
      [
        'count >= baseline + 1.5',
        'count takes a whole number of calls, not "1.5" (after "baseline +": an amount in the metric\'s unit, or a percentage of the baseline)'
      ],
      [
        'cost <= baseline * 1e3',
        'multiplies the baseline by a positive number (baseline * 1.2), not "1e3"'
      ],
      [
        'cost <= baseline * 0x10',
        'multiplies the baseline by a positive number (baseline * 1.2), not "0x10"'
      ],
      [
        'cost <= baseline / 2',
        'cost takes an amount in USD ($2.00, 2.00 or 2 USD), not "baseline / 2"'
      ],
      [
        'cost <= baselines',
        'cost takes an amount in USD ($2.00, 2.00 or 2 USD), not "baselines"'
      ]
    ])('%j is refused: %s', (line, error) => {
      expect(errorOf(line)).toBe(error)
    })

    it('parseLimit reads the amount without the spaces around it', () => {
      expect(parseLimit('cost', 'baseline +  10%  ')).toEqual({
        limit: {
          kind: 'baseline',
          adjust: 'percent',
          amount: 10,
          text: 'baseline + 10%'
        }
      })
      expect(parseLimit('duration', 'baseline - 500ms ')).toEqual({
        limit: {
          kind: 'baseline',
          adjust: 'add',
          amount: -500,
          text: 'baseline - 500ms'
        }
      })
    })
  })
})

describe('parseThresholds', () => {
  it('reads the issue’s example, skipping blank lines and # comments', () => {
    const { thresholds, problems } = parseThresholds(
      [
        '# budget for the eval',
        'cost <= $2.00',
        '',
        'duration.p95 < 8s   # latency',
        '\terror-rate < 2%',
        'count >= 100',
        'warn: cost.max <= 0.10',
        '   '
      ].join('\n')
    )
    expect(problems).toEqual([])
    expect(
      thresholds.map((t) => [
        t.metric,
        t.aggregate,
        t.operator,
        limitValue(t),
        t.level,
        t.source
      ])
    ).toEqual([
      ['cost', 'sum', '<=', 2, 'error', 'cost <= $2.00'],
      ['duration', 'p95', '<', 8000, 'error', 'duration.p95 < 8s'],
      ['error-rate', null, '<', 0.02, 'error', 'error-rate < 2%'],
      ['count', null, '>=', 100, 'error', 'count >= 100'],
      ['cost', 'max', '<=', 0.1, 'warn', 'warn: cost.max <= 0.10']
    ])
  })

  it('returns every bad line, quoting it with its line number; Windows line ends count as one', () => {
    const { thresholds, problems } = parseThresholds(
      'cost <= $2\r\nduration.p95 < 8x\r\n\r\nlatency < 1\r\ncount >= 1'
    )
    expect(thresholds).toHaveLength(2)
    expect(problems).toEqual([
      'thresholds line 2 "duration.p95 < 8x" has an unknown unit "x" (use ms, s or m)',
      expect.stringMatching(
        /^thresholds line 4 "latency < 1" has an unknown metric "latency"/
      )
    ])
  })

  it('keeps a hostile line on one line of the message, invisible characters shown, and cut short', () => {
    const { problems } = parseThresholds(
      `cost <= ${'x'.repeat(500)}\ncost <= 1\u2028::error::x\rduration < 1\u202eh`
    )
    expect(problems).toHaveLength(2)
    for (const problem of problems)
      expect(problem).not.toMatch(/[\n\r\u2028\u202e]/)
    expect(problems[0]!.length).toBeLessThan(400)
    expect(problems[1]).toBe(
      'thresholds line 2 "cost <= 1\\u2028::error::x\\rduration < 1\\u202eh" is not <metric>[.<aggregate>] <op> <value> (e.g. cost <= $2.00, duration.p95 < 8s, warn: error-rate < 2%)'
    )
  })

  it('an empty input is no thresholds and no problems', () => {
    expect(parseThresholds('')).toEqual({ thresholds: [], problems: [] })
    expect(parseThresholds('\n# only a comment\n')).toEqual({
      thresholds: [],
      problems: []
    })
  })
})

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

describe('evaluateThresholds', () => {
  const run = [
    call('a', { cost: 0.5, duration: 1000, success: true }),
    call('b', { cost: 1.0, duration: 9400, success: false }),
    call('c', { cost: 0.75, duration: 2000, success: true, cached: true })
  ]
  const metrics = computeMetrics(run)
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
