import { describe, expect, it } from '@jest/globals'
import {
  aggregateCall,
  aggregateValue,
  computeMetrics,
  exactMean,
  exactQuotient,
  exactSum,
  exactWeightedSum,
  metricsJson,
  nearestRank,
  nonFiniteSums,
  nonFiniteSumsText,
  scalarValue,
  type LogSummary
} from '../../src/sources/metrics.js'
import { LOG } from '../helpers/fixtures.js'

/** A list row (19 fields at most): the shared sample log with some fields changed. */
const call = (id: string, fields: Partial<LogSummary> = {}): LogSummary => ({
  ...LOG,
  id,
  ...fields
})

/** Calls whose durations are the given values, created one second apart in the given order. */
const durations = (values: number[]): LogSummary[] =>
  values.map((duration, i) =>
    call(`d${i}`, {
      duration,
      created_at: new Date(Date.UTC(2026, 10, 25, 9, 0, i)).toISOString()
    })
  )

describe('nearestRank', () => {
  it.each([
    [50, 1, 1],
    [99, 1, 1],
    [50, 2, 1],
    [50, 4, 2],
    [50, 5, 3],
    [90, 10, 9],
    [90, 11, 10],
    [95, 20, 19],
    [95, 21, 20],
    [99, 100, 99],
    [99, 101, 100],
    // 0.07 × 100 is 7.000000000000001 in doubles: ceil of that would be rank 8.
    [7, 100, 7]
  ])('p%d of %d values is rank %d', (p, n, rank) => {
    expect(nearestRank(p, n)).toBe(rank)
  })
})

describe('distributions, checked by hand', () => {
  it('five durations: nearest-rank percentiles and the calls that set them', () => {
    // ascending: 100 (d0), 200 (d2), 300 (d3), 400 (d1), 500 (d4)
    const m = computeMetrics(durations([100, 400, 200, 300, 500]))
    const d = m.distributions.duration
    expect(d).toEqual({
      missing: 0,
      sum: 1500,
      avg: 300,
      min: { value: 100, id: 'd0' },
      max: { value: 500, id: 'd4' },
      p50: { value: 300, id: 'd3' }, // rank ceil(2.5) = 3
      p90: { value: 500, id: 'd4' }, // rank ceil(4.5) = 5
      p95: { value: 500, id: 'd4' },
      p99: { value: 500, id: 'd4' }
    })
  })

  it('ten and twenty values: p90 and p95 are not the max', () => {
    const ten = computeMetrics(durations([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]))
      .distributions.duration
    expect([
      ten.p50?.value,
      ten.p90?.value,
      ten.p95?.value,
      ten.p99?.value
    ]).toEqual([5, 9, 10, 10])
    const twenty = computeMetrics(
      durations(Array.from({ length: 20 }, (_, i) => (i + 1) * 100))
    ).distributions.duration
    expect([
      twenty.p50?.value,
      twenty.p90?.value,
      twenty.p95?.value,
      twenty.p99?.value
    ]).toEqual([1000, 1800, 1900, 2000])
    expect(twenty.p95?.id).toBe('d18')
  })

  it('a hundred values: p99 is rank 99, not the max', () => {
    const d = computeMetrics(
      durations(Array.from({ length: 100 }, (_, i) => i + 1))
    ).distributions.duration
    expect([
      d.p50?.value,
      d.p90?.value,
      d.p95?.value,
      d.p99?.value,
      d.max?.value
    ]).toEqual([50, 90, 95, 99, 100])
  })

  it('ties resolve to the same call whatever order the rows came in: the earlier call first, then the id', () => {
    // created in the order z, a, m (ids out of alphabetical order), then two calls in the same millisecond
    const rows = [
      call('z', { duration: 500, created_at: '2026-11-25T09:00:01Z' }),
      call('a', { duration: 500, created_at: '2026-11-25T09:00:02Z' }),
      call('m', { duration: 500, created_at: '2026-11-25T09:00:03Z' }),
      call('q', { duration: 100, created_at: '2026-11-25T09:00:04Z' }),
      call('p', { duration: 100, created_at: '2026-11-25T09:00:04Z' })
    ]
    const forward = computeMetrics(rows).distributions.duration
    const backward = computeMetrics([...rows].reverse()).distributions.duration
    expect(backward).toEqual(forward)
    // ascending: p, q (100, same time: by id), z, a, m (500, by time)
    expect(forward.min).toEqual({ value: 100, id: 'p' })
    expect(forward.p50).toEqual({ value: 500, id: 'z' }) // rank 3
    expect(forward.max).toEqual({ value: 500, id: 'm' })
  })
})

describe('one log', () => {
  it('every aggregate is that log’s value', () => {
    const m = computeMetrics([LOG])
    const expected: Record<string, number> = {
      cost: 0.0012,
      duration: 812,
      'tokens-in': 412,
      'tokens-out': 96,
      tokens: 508
    }
    for (const [metric, value] of Object.entries(expected)) {
      expect(JSON.parse(metricsJson(m))[metric]).toEqual({
        sum: value,
        avg: value,
        min: value,
        max: value,
        p50: value,
        p90: value,
        p95: value,
        p99: value
      })
    }
    expect(aggregateCall(m.distributions.duration, 'p95')).toBe('log-1')
    expect(aggregateCall(m.distributions.duration, 'sum')).toBeNull()
    expect(m).toMatchObject({
      count: 1,
      errors: 0,
      errorRate: 0,
      cached: 0,
      cacheRate: 0
    })
    expect(
      computeMetrics([{ ...LOG, success: false, cached: true }])
    ).toMatchObject({ errors: 1, errorRate: 1, cached: 1, cacheRate: 1 })
  })
})

describe('unknown values', () => {
  it('one call without cost makes every cost aggregate unknown and says how many had none', () => {
    const m = computeMetrics([
      call('a', { cost: 0.5 }),
      call('b', { cost: undefined }),
      call('c', { cost: 0.25 })
    ])
    expect(m.distributions.cost).toEqual({
      missing: 1,
      sum: null,
      avg: null,
      min: null,
      max: null,
      p50: null,
      p90: null,
      p95: null,
      p99: null
    })
    expect(JSON.parse(metricsJson(m)).cost).toEqual({
      sum: null,
      avg: null,
      min: null,
      max: null,
      p50: null,
      p90: null,
      p95: null,
      p99: null
    })
    // the other metrics are not affected
    expect(m.distributions.duration.sum).toBe(812 * 3)
  })

  it('null tokens make tokens-in and tokens unknown, not tokens-out', () => {
    const m = computeMetrics([call('a'), call('b', { tokens_in: null })])
    expect(m.distributions['tokens-in']).toMatchObject({
      missing: 1,
      sum: null
    })
    expect(m.distributions.tokens).toMatchObject({ missing: 1, sum: null })
    expect(m.distributions['tokens-out']).toMatchObject({
      missing: 0,
      sum: 192
    })
  })

  it('a value of the wrong type from a hostile server counts as missing, never as a number', () => {
    const hostile = [
      call('a', { cost: '0.5' as unknown as number }),
      call('b', { duration: Number.NaN }),
      call('c', { tokens_out: Infinity })
    ]
    const m = computeMetrics(hostile)
    expect(m.distributions.cost.missing).toBe(1)
    expect(m.distributions.duration.missing).toBe(1)
    expect(m.distributions['tokens-out'].missing).toBe(1)
    expect(() => JSON.parse(metricsJson(m))).not.toThrow()
  })

  it('no calls: counts are 0, rates and every aggregate unknown', () => {
    const m = computeMetrics([])
    expect(JSON.parse(metricsJson(m))).toEqual({
      count: 0,
      errors: 0,
      'error-rate': null,
      cached: 0,
      'cache-rate': null,
      cost: {
        sum: null,
        avg: null,
        min: null,
        max: null,
        p50: null,
        p90: null,
        p95: null,
        p99: null
      },
      duration: {
        sum: null,
        avg: null,
        min: null,
        max: null,
        p50: null,
        p90: null,
        p95: null,
        p99: null
      },
      'tokens-in': {
        sum: null,
        avg: null,
        min: null,
        max: null,
        p50: null,
        p90: null,
        p95: null,
        p99: null
      },
      'tokens-out': {
        sum: null,
        avg: null,
        min: null,
        max: null,
        p50: null,
        p90: null,
        p95: null,
        p99: null
      },
      tokens: {
        sum: null,
        avg: null,
        min: null,
        max: null,
        p50: null,
        p90: null,
        p95: null,
        p99: null
      }
    })
    expect(m.distributions.cost.missing).toBe(0)
    expect(m.models).toEqual([])
    expect(m.costliest).toEqual([])
  })
})

describe('exact sums', () => {
  it('adds decimals as the API wrote them: 1000 calls at 0.0012 cost 1.2', () => {
    const costs = Array.from({ length: 1000 }, () => 0.0012)
    let naive = 0
    for (const c of costs) naive += c
    expect(naive).not.toBe(1.2) // the drift this guards against
    expect(exactSum(costs)).toBe(1.2)
    expect(
      computeMetrics(costs.map((cost, i) => call(`c${i}`, { cost })))
        .distributions.cost.sum
    ).toBe(1.2)
  })

  it.each([
    [[0.1, 0.2], 0.3],
    [[0.0000004, 0.0000004, 0.0000004], 0.0000012],
    [[1e21, 1], 1e21 + 1],
    [[0.000123, 0.5, 12], 12.500123],
    [[3, 4], 7]
  ])('%j sums to %d', (values, sum) => {
    expect(exactSum(values)).toBe(sum)
  })

  it('does not depend on the order of the calls', () => {
    const values = [0.1, 0.7, 0.0012, 0.2, 0.33, 1e-7, 5]
    expect(exactSum([...values].reverse())).toBe(exactSum(values))
    expect(exactSum(values)).toBe(6.3312001)
  })

  it('means divide the exact sum: 0.3 / 3 is 0.1', () => {
    expect(0.3 / 3).not.toBe(0.1)
    expect(exactMean([0.1, 0.1, 0.1])).toBe(0.1)
    expect(exactMean([1, 2])).toBe(1.5)
    expect(exactMean([1, 1, 2])).toBe(4 / 3)
    expect(exactMean([])).toBeNull()
  })

  it.each([
    // a negative total whose digits are fewer than its scale: written as -0.03, not 0.-3
    [[-0.01, -0.02], -0.03],
    [[-0.1, -0.2], -0.3],
    [[-1.5, -0.25], -1.75],
    [[0.5, -0.75], -0.25],
    // exponents both ways, where String() writes the value in e-notation
    [[1e-7, 2e-7], 3e-7],
    [[1.5e21, 2.5e21], 4e21],
    [[-1.5e21, 1e21], -5e20],
    [[1.5e-7, -1e21], -1e21]
  ])('%j sums to %d (signs and exponents)', (values, sum) => {
    expect(exactSum(values)).toBe(sum)
  })

  it('a sum of integers past Number.MAX_SAFE_INTEGER is exact, then rounded once', () => {
    // added as doubles, each +1 after 2^53 is lost (2^53 + 1 rounds back to 2^53)
    const values = [Number.MAX_SAFE_INTEGER, 1, 1, 1, 1]
    let naive = 0
    for (const v of values) naive += v
    expect(naive).toBe(2 ** 53)
    // exact 2^53 + 3 is halfway between 2^53 + 2 and 2^53 + 4: to even, 2^53 + 4
    expect(exactSum(values)).toBe(2 ** 53 + 4)
    expect(exactSum([Number.MAX_SAFE_INTEGER - 1, 1])).toBe(
      Number.MAX_SAFE_INTEGER
    )
  })

  it('a value that is not a finite number is refused with its value in the message', () => {
    expect(() => exactSum([1.5, Number.NaN])).toThrow(
      new RangeError('not a finite number: NaN')
    )
    expect(() => exactSum([-Infinity])).toThrow(
      new RangeError('not a finite number: -Infinity')
    )
  })

  // A mean exactly halfway between two doubles is rounded once, to even, by Number(): the division
  // must keep it exact (round half away from zero at the last kept digit) so the tie is seen as one.
  it.each([
    // 2^53 + 3: the tie goes up to 2^53 + 4
    [[2 ** 53 + 2, 2 ** 53 + 4], 2 ** 53 + 4],
    // 2^53 + 1: the tie goes down to 2^53
    [[2 ** 53, 2 ** 53 + 2], 2 ** 53],
    [[-(2 ** 53 + 2), -(2 ** 53 + 4)], -(2 ** 53 + 4)],
    [[-(2 ** 53), -(2 ** 53 + 2)], -(2 ** 53)]
  ])('the mean of %j is %d', (values, mean) => {
    expect(exactMean(values)).toBe(mean)
    const rows = values.map((duration, i) => call(`m${i}`, { duration }))
    expect(computeMetrics(rows).distributions.duration.avg).toBe(mean)
  })

  it('means of negative values round like those of positive ones', () => {
    expect(exactMean([-0.1, -0.1, -0.1])).toBe(-0.1)
    expect(exactMean([-1, -1, -2])).toBe(-4 / 3)
    expect(exactMean([-1, -2])).toBe(-1.5)
  })
})

describe('sums past the largest number', () => {
  it('names the metric whose sum of finite values is not finite', () => {
    const metrics = computeMetrics([
      call('a', { cost: 1e308 }),
      call('b', { cost: 1e308 })
    ])
    expect(metrics.distributions.cost.sum).toBe(Infinity)
    expect(nonFiniteSums(metrics)).toEqual(['cost'])
    expect(nonFiniteSumsText(metrics, ['cost'])).toBe(
      'the sum of cost over 2 calls is not a finite number (past 1.8e308, the largest a number holds)'
    )
  })

  it('names every such metric, and none for sums that fit or are unknown', () => {
    const big = { cost: 1e308, duration: 1e308, tokens_in: 1, tokens_out: 2 }
    const metrics = computeMetrics([call('a', big), call('b', big)])
    expect(nonFiniteSums(metrics)).toEqual(['cost', 'duration'])
    expect(nonFiniteSumsText(metrics, ['cost', 'duration'])).toBe(
      'the sum of cost and of duration over 2 calls is not a finite number (past 1.8e308, the largest a number holds)'
    )
    expect(
      nonFiniteSums(
        computeMetrics([call('a', { cost: 1e308 }), call('b', { cost: 7e307 })])
      )
    ).toEqual([])
    expect(
      nonFiniteSums(
        computeMetrics([
          call('a', { cost: 1e308 }),
          call('b', { cost: undefined })
        ])
      )
    ).toEqual([])
    expect(nonFiniteSums(computeMetrics([]))).toEqual([])
  })

  it('says call for one call', () => {
    const metrics = computeMetrics([call('a')])
    expect(nonFiniteSumsText(metrics, ['tokens'])).toBe(
      'the sum of tokens over 1 call is not a finite number (past 1.8e308, the largest a number holds)'
    )
  })
})

describe('counts and rates', () => {
  it('errors are calls with success false; rates are exact fractions', () => {
    const rows = Array.from({ length: 8 }, (_, i) =>
      call(`r${i}`, { success: i >= 3, cached: i === 7 })
    )
    const m = computeMetrics(rows)
    expect(m).toMatchObject({
      count: 8,
      errors: 3,
      errorRate: 0.375,
      cached: 1,
      cacheRate: 0.125
    })
    expect(JSON.parse(metricsJson(m))).toMatchObject({
      count: 8,
      errors: 3,
      'error-rate': 0.375,
      cached: 1,
      'cache-rate': 0.125
    })
  })

  it('counts the calls of each status code, in the order each code first appears', () => {
    const m = computeMetrics([
      call('a', { status_code: 200 }),
      call('b', { status_code: 429 }),
      call('c', { status_code: 200 }),
      call('d', { status_code: undefined }),
      call('e', { status_code: 200 }),
      call('f', { status_code: 429 })
    ])
    expect(m.statusCodes).toEqual([
      { code: 200, calls: 3, first: { id: 'a', index: 0 } },
      { code: 429, calls: 2, first: { id: 'b', index: 1 } },
      { code: null, calls: 1, first: { id: 'd', index: 3 } }
    ])
  })

  it('no calls: the rates are null, not NaN', () => {
    const m = computeMetrics([])
    expect(m.errorRate).toBeNull()
    expect(m.cacheRate).toBeNull()
  })
})

describe('scalarValue', () => {
  it('reads each scalar metric from its own field', () => {
    const rows = Array.from({ length: 8 }, (_, i) =>
      call(`s${i}`, { success: i >= 2, cached: i >= 5 })
    )
    const m = computeMetrics(rows)
    expect(scalarValue(m, 'count')).toBe(8)
    expect(scalarValue(m, 'errors')).toBe(2)
    expect(scalarValue(m, 'error-rate')).toBe(0.25)
    expect(scalarValue(m, 'cached')).toBe(3)
    expect(scalarValue(m, 'cache-rate')).toBe(0.375)
    expect(scalarValue(computeMetrics([]), 'cache-rate')).toBeNull()
  })
})

describe('per model', () => {
  it('groups by provider and model, costliest first, unknown cost last', () => {
    const rows = [
      call('a1', {
        model: 'a',
        cost: 0.01,
        duration: 100,
        tokens_in: 10,
        tokens_out: 1
      }),
      call('a2', {
        model: 'a',
        cost: 0.02,
        duration: 300,
        tokens_in: 20,
        tokens_out: 2,
        success: false
      }),
      call('b1', { model: 'b', cost: 0.5, duration: 50 }),
      call('c1', { model: 'c', cost: undefined }),
      call('c2', { model: 'c', cost: 1 }),
      call('x1', { provider: 'other', model: 'a', cost: 0.001 })
    ]
    const m = computeMetrics(rows)
    expect(
      m.models.map((x) => [x.provider, x.model, x.calls, x.costUsd])
    ).toEqual([
      ['openai', 'b', 1, 0.5],
      ['openai', 'a', 2, 0.03],
      ['other', 'a', 1, 0.001],
      ['openai', 'c', 2, null]
    ])
    expect(m.models[1]).toEqual({
      provider: 'openai',
      model: 'a',
      calls: 2,
      errors: 1,
      costUsd: 0.03,
      tokensIn: 30,
      tokensOut: 3,
      p95DurationMs: { value: 300, id: 'a2' }
    })
  })

  it('keeps models apart whose names would run together (quotes, commas, newlines)', () => {
    const m = computeMetrics([
      call('1', { provider: 'a","b', model: 'c' }),
      call('2', { provider: 'a', model: 'b","c' }),
      call('3', { provider: 'p\n', model: 'm' }),
      call('4', { provider: 'p', model: '\nm' })
    ])
    expect(m.models).toHaveLength(4)
  })

  it('models of equal or unknown cost: the one with more calls first, then by provider and model', () => {
    const rows = [
      call('u1', { model: 'u', cost: undefined }),
      call('v1', { model: 'v', cost: undefined }),
      call('v2', { model: 'v', cost: undefined }),
      call('v3', { model: 'v', cost: undefined }),
      call('w1', { model: 'w', cost: undefined }),
      call('w2', { model: 'w', cost: undefined }),
      call('e1', { model: 'e', cost: 0.5 }),
      call('f1', { model: 'f', cost: 0.25 }),
      call('f2', { model: 'f', cost: 0.25 }),
      call('g1', { provider: 'anthropic', model: 'g', cost: 0.5 })
    ]
    const expected = [
      ['openai', 'f', 2],
      ['anthropic', 'g', 1],
      ['openai', 'e', 1],
      ['openai', 'v', 3],
      ['openai', 'w', 2],
      ['openai', 'u', 1]
    ]
    for (const order of [rows, [...rows].reverse()]) {
      expect(
        computeMetrics(order).models.map((x) => [x.provider, x.model, x.calls])
      ).toEqual(expected)
    }
  })
})

describe('top calls', () => {
  it('the five costliest (calls without cost left out) and the five slowest, with their ids', () => {
    const rows = Array.from({ length: 8 }, (_, i) =>
      call(`t${i}`, {
        cost: i === 7 ? undefined : (i + 1) / 100,
        duration: 1000 - i * 100,
        created_at: `2026-11-25T09:00:0${i}Z`
      })
    )
    const m = computeMetrics(rows)
    expect(m.costliest.map((c) => [c.id, c.costUsd])).toEqual([
      ['t6', 0.07],
      ['t5', 0.06],
      ['t4', 0.05],
      ['t3', 0.04],
      ['t2', 0.03]
    ])
    expect(m.slowest.map((c) => [c.id, c.durationMs])).toEqual([
      ['t0', 1000],
      ['t1', 900],
      ['t2', 800],
      ['t3', 700],
      ['t4', 600]
    ])
    expect(m.slowest[0]).toEqual({
      id: 't0',
      createdAt: '2026-11-25T09:00:00Z',
      provider: 'openai',
      model: 'gpt-4o-mini',
      success: true,
      costUsd: 0.01,
      durationMs: 1000
    })
  })

  it('fewer than five calls: a call without cost is not among the costliest', () => {
    const m = computeMetrics([
      call('n', { cost: undefined, duration: 10 }),
      call('k', { cost: 0.002, duration: 5 })
    ])
    expect(m.costliest.map((c) => c.id)).toEqual(['k'])
    expect(m.slowest.map((c) => c.id)).toEqual(['n', 'k'])
  })

  it('fewer than five calls: all of them', () => {
    expect(computeMetrics(durations([1, 2])).slowest.map((c) => c.id)).toEqual([
      'd1',
      'd0'
    ])
  })
})

describe('metricsJson', () => {
  it('has the output’s keys in order, with exact numbers', () => {
    const rows = [
      call('a', { cost: 0.1, duration: 100 }),
      call('b', { cost: 0.2, duration: 300 })
    ]
    const json = metricsJson(computeMetrics(rows))
    const parsed = JSON.parse(json) as Record<string, unknown>
    expect(Object.keys(parsed)).toEqual([
      'count',
      'errors',
      'error-rate',
      'cached',
      'cache-rate',
      'cost',
      'duration',
      'tokens-in',
      'tokens-out',
      'tokens'
    ])
    expect(parsed.cost).toEqual({
      sum: 0.3,
      avg: 0.15,
      min: 0.1,
      max: 0.2,
      p50: 0.1,
      p90: 0.2,
      p95: 0.2,
      p99: 0.2
    })
    expect(parsed.duration).toEqual({
      sum: 400,
      avg: 200,
      min: 100,
      max: 300,
      p50: 100,
      p90: 300,
      p95: 300,
      p99: 300
    })
    expect(
      aggregateValue(computeMetrics(rows).distributions.tokens, 'sum')
    ).toBe(1016)
  })
})

describe('exactWeightedSum', () => {
  it('adds each value its weight times, in decimal, across scales', () => {
    // 0.1 × 3 + 0.25 + 2 × 2 = 4.55 over 6 calls.
    expect(
      exactWeightedSum([
        { value: 0.1, weight: 3 },
        { value: 0.25, weight: 1 },
        { value: 2, weight: 2 }
      ])
    ).toEqual({ sum: 4.55, avg: Number('0.758333333333333333333333') })
    expect(exactWeightedSum([{ value: 0.5, weight: 4 }])).toEqual({
      sum: 2,
      avg: 0.5
    })
  })

  it('no calls: no sum and no mean, not a division by zero', () => {
    expect(exactWeightedSum([])).toEqual({ sum: null, avg: null })
    expect(exactWeightedSum([{ value: 0.5, weight: 0 }])).toEqual({
      sum: null,
      avg: null
    })
  })
})

describe('exactQuotient', () => {
  it('divides a reported total by a count as exactMean does', () => {
    expect(exactQuotient(0.3, 3)).toBe(0.1)
    expect(exactQuotient(1.2, 1000)).toBe(0.0012)
  })

  it('no calls: null, not a division by zero', () => {
    expect(exactQuotient(1.5, 0)).toBeNull()
    expect(exactQuotient(0, 0)).toBeNull()
  })
})
