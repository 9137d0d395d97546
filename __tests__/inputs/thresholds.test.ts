import { describe, expect, it } from '@jest/globals'
import { type Threshold } from '../../src/inputs/threshold-terms.js'
import {
  parseThresholdLine,
  parseThresholds
} from '../../src/inputs/thresholds.js'

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
