// The analytics source against a fake GraphQL Analytics over generated calls: its metrics must equal an
// independent computation over the same calls (exact sums, nearest-rank percentiles), across chunks and
// pages; sampled answers give intervals and estimated caveats; every reason to refuse comes before the
// real queries.
import { QUERY_BUDGET, RequestBudget } from '../../src/cloudflare/budget.js'
import { describe, expect, it } from '@jest/globals'
import {
  AnalyticsError,
  analyticsFieldsNeeded,
  measureAnalytics,
  measureTrend,
  type AnalyticsRequest
} from '../../src/sources/analytics.js'
import { type Threshold } from '../../src/inputs/threshold-terms.js'
import { parseThresholds } from '../../src/inputs/thresholds.js'
import { limitsToThresholds } from '../../src/inputs/limits.js'
import { evaluateThresholds } from '../../src/gate/thresholds.js'
import {
  ALL_FIELDS,
  exactCount,
  fakeAnalytics,
  fakeDeps,
  generateCalls,
  groupsAnswer,
  usd,
  type FakeCall
} from '../helpers/analytics-fake.js'

const NOW = Date.parse('2026-12-02T00:10:00Z')
const SINCE = Date.parse('2026-12-01T00:00:00Z')
const UNTIL = Date.parse('2026-12-02T00:00:00Z')
const DAY = 86_400_000

const thresholds = (text: string): Threshold[] => {
  const parsed = parseThresholds(text)
  expect(parsed.problems).toEqual([])
  return parsed.thresholds
}

function request(extra: Partial<AnalyticsRequest> = {}): AnalyticsRequest {
  return {
    apiUrl: 'https://api.cf.test/client/v4',
    auth: { kind: 'token', token: 'cf-token-SECRET-123' },
    accountId: 'acc',
    gatewayId: 'gw',
    requestTimeoutMs: 5000,
    maxRetries: 2,
    window: { sinceMs: SINCE, untilMs: UNTIL },
    thresholds: [],
    queries: new RequestBudget(30, QUERY_BUDGET),
    nowMs: NOW,
    ...extra
  }
}

async function measure(
  calls: FakeCall[],
  extra: Partial<AnalyticsRequest> = {},
  options: Omit<Parameters<typeof fakeAnalytics>[0], 'calls'> = {}
) {
  const fake = fakeAnalytics({ calls, ...options })
  const measured = await measureAnalytics(
    request(extra),
    fakeDeps(fake.post, NOW)
  )
  return { measured, fake }
}

async function failure(promise: Promise<unknown>): Promise<AnalyticsError> {
  try {
    await promise
  } catch (error) {
    return error as AnalyticsError
  }
  throw new Error('expected a rejection')
}

/** The truth, computed from the calls one by one: integer sums, a sorted list, ranks by definition. */
function truth(calls: FakeCall[]) {
  const durations = calls.map((c) => c.durationMs).sort((a, b) => a - b)
  const rank = (p: number) =>
    durations[Math.max(1, Math.ceil((p * durations.length) / 100)) - 1]
  const durationSum = durations.reduce((n, d) => n + d, 0)
  const costMicros = calls.reduce((n, c) => n + c.costMicros, 0)
  const tokensIn = calls.reduce((n, c) => n + c.tokensIn, 0)
  const tokensOut = calls.reduce((n, c) => n + c.tokensOut, 0)
  const errors = calls.filter((c) => c.errored).length
  const cached = calls.filter((c) => c.cached).length
  return {
    count: calls.length,
    errors,
    cached,
    errorRate: errors / calls.length,
    cacheRate: cached / calls.length,
    cost: usd(costMicros),
    costAvg: Number((costMicros / calls.length / 1e6).toPrecision(15)),
    tokensIn,
    tokensOut,
    duration: {
      sum: durationSum,
      avg: durationSum / calls.length,
      min: durations[0],
      max: durations[durations.length - 1],
      p50: rank(50),
      p90: rank(90),
      p95: rank(95),
      p99: rank(99)
    }
  }
}

function expectTruth(
  measured: Awaited<ReturnType<typeof measureAnalytics>>,
  calls: FakeCall[]
) {
  const t = truth(calls)
  const m = measured.metrics
  expect(m.count).toBe(t.count)
  expect(m.errors).toBe(t.errors)
  expect(m.cached).toBe(t.cached)
  expect(m.errorRate).toBe(t.errorRate)
  expect(m.cacheRate).toBe(t.cacheRate)
  expect(m.distributions.cost.sum).toBe(t.cost)
  expect(Number(m.distributions.cost.avg!.toPrecision(15))).toBe(t.costAvg)
  expect(m.distributions['tokens-in'].sum).toBe(t.tokensIn)
  expect(m.distributions['tokens-out'].sum).toBe(t.tokensOut)
  expect(m.distributions.tokens.sum).toBe(t.tokensIn + t.tokensOut)
  const d = m.distributions.duration
  expect(d.sum).toBe(t.duration.sum)
  expect(d.avg).toBeCloseTo(t.duration.avg, 9)
  expect(
    [d.min, d.max, d.p50, d.p90, d.p95, d.p99].map((p) => p?.value)
  ).toEqual([
    t.duration.min,
    t.duration.max,
    t.duration.p50,
    t.duration.p90,
    t.duration.p95,
    t.duration.p99
  ])
  expect(d.p95!.id).toBe('')
}

describe('an unsampled window', () => {
  const calls = generateCalls(4000, SINCE, UNTIL, 11)

  it('measures what an exact computation over the calls gives, in 4 queries for 24 hours', async () => {
    const { measured, fake } = await measure(calls)
    expectTruth(measured, calls)
    expect(fake.operations()).toEqual([
      'Settings',
      'Totals',
      'Histogram',
      'Models'
    ])
    expect(measured.source).toBe('analytics')
    expect(measured.calls).toBeUndefined()
    expect(measured.intervals).toBeUndefined()
    expect(measured.covered).toEqual({ sinceMs: SINCE, untilMs: UNTIL })
    expect(measured.describe).toBe(
      'calls from 2026-12-01T00:00:00Z to 2026-12-02T00:00:00Z'
    )
    expect(measured.metrics.costliest).toEqual([])
    expect(measured.metrics.slowest).toEqual([])
    expect(measured.caveats.some((c) => c.kind === 'estimated')).toBe(false)
  })

  it('gives per-model rows added exactly, costliest first, without a p95', async () => {
    const { measured } = await measure(calls)
    const models = measured.metrics.models
    expect(models.reduce((n, m) => n + m.calls, 0)).toBe(calls.length)
    for (const m of models) {
      const own = calls.filter(
        (c) => c.model === m.model && c.provider === m.provider
      )
      expect(m.calls).toBe(own.length)
      expect(m.errors).toBe(own.filter((c) => c.errored).length)
      expect(m.costUsd).toBe(usd(own.reduce((n, c) => n + c.costMicros, 0)))
      expect(m.p95DurationMs).toBeNull()
    }
    expect(models.map((m) => m.costUsd)).toEqual(
      [...models.map((m) => m.costUsd)].sort((a, b) => b! - a!)
    )
  })

  it('says what analytics cannot give: tokens percentiles, per-call details', async () => {
    const { measured } = await measure(calls)
    const caveat = (metric: string) =>
      measured.caveats.find((c) => c.metric === metric)
    expect(caveat('tokens.p95')).toEqual({
      metric: 'tokens.p95',
      kind: 'unavailable',
      reason:
        'analytics has no per-call total of tokens in and out, so its min, max and percentiles need source: logs'
    })
    expect(caveat('tokens.sum')).toBeUndefined()
    expect(caveat('calls')?.reason).toContain('need source: logs')
    // The evaluator fails a threshold on it closed, with the reason.
    const [result] = evaluateThresholds(
      thresholds('tokens.p95 < 100'),
      measured.metrics,
      undefined,
      measured.caveats
    )
    expect(result!.passed).toBe(false)
    expect(result!.message).toContain('no per-call total of tokens')
  })

  it('reads a window past maxDuration in chunks: sums exact, histograms merged by value', async () => {
    const since = UNTIL - 3 * DAY
    const spread = generateCalls(3000, since, UNTIL, 5)
    const { measured, fake } = await measure(
      spread,
      { window: { sinceMs: since, untilMs: UNTIL } },
      { settings: { maxDuration: 86_400 } }
    )
    expectTruth(measured, spread)
    expect(fake.operations()).toEqual([
      'Settings',
      'Totals',
      'Totals',
      'Totals',
      'Histogram',
      'Histogram',
      'Histogram',
      'Models',
      'Models',
      'Models'
    ])
  })

  it("adds the chunks' sums in decimal: $0.1 and $0.2 make $0.3, not 0.30000000000000004", async () => {
    const since = UNTIL - 2 * DAY
    const [a, b] = generateCalls(2, since, UNTIL, 9)
    const two = [
      { ...a!, atMs: since + 1000, costMicros: 100_000 },
      { ...b!, atMs: UNTIL - 1000, costMicros: 200_000 }
    ]
    const { measured, fake } = await measure(
      two,
      { window: { sinceMs: since, untilMs: UNTIL } },
      { settings: { maxDuration: 86_400 } }
    )
    expect(fake.operations().filter((o) => o === 'Totals')).toHaveLength(2)
    expect(measured.metrics.distributions.cost.sum).toBe(0.3)
    expect(measured.metrics.distributions.cost.avg).toBe(0.15)
    expect(measured.metrics.models.reduce((n, m) => n + m.calls, 0)).toBe(2)
  })

  it('pages histograms of more values than a page holds', async () => {
    const { measured, fake } = await measure(
      calls,
      {},
      { settings: { maxPageSize: 1000 } }
    )
    expectTruth(measured, calls)
    const distinct = new Set(calls.map((c) => c.durationMs)).size
    expect(fake.operations().filter((o) => o === 'Histogram')).toHaveLength(
      Math.floor(distinct / 1000) + 1
    )
  })

  it('reads the cost, tokens-in and tokens-out histograms only when a threshold asks for a percentile, min or max', async () => {
    const { measured, fake } = await measure(calls, {
      thresholds: thresholds(
        'cost.p95 < $1\ntokens-in.max < 1000000\ntokens-out.min >= 0\ncost.sum < $1000'
      )
    })
    const dims = fake.posted
      .filter((p) => p.operation === 'Histogram')
      .map((p) => /dimensions \{ (\w+) \}/.exec(p.query)![1])
    // durationMs, which no threshold needs here, last: the report's alone, it never spends their budget.
    expect(dims).toEqual(['cost', 'tokensIn', 'tokensOut', 'durationMs'])
    const costs = calls.map((c) => usd(c.costMicros)).sort((a, b) => a - b)
    const cost = measured.metrics.distributions.cost
    expect(cost.p95!.value).toBe(costs[Math.ceil(0.95 * costs.length) - 1])
    expect(cost.sum).toBe(truth(calls).cost) // the sum's own figure, not the histogram's
    expect(measured.metrics.distributions['tokens-in'].max!.value).toBe(
      Math.max(...calls.map((c) => c.tokensIn))
    )
    expect(measured.metrics.distributions['tokens-out'].min!.value).toBe(
      Math.min(...calls.map((c) => c.tokensOut))
    )
  })

  it('reads status codes only for a status-code threshold, without a call id behind them', async () => {
    const plain = await measure(calls)
    expect(plain.fake.operations()).not.toContain('StatusCodes')
    const limits = limitsToThresholds({
      requireSuccess: false,
      expectedStatus: [{ kind: 'class', hundreds: 2 }]
    })
    const { measured, fake } = await measure(calls, { thresholds: limits })
    expect(fake.operations()).toContain('StatusCodes')
    // The evaluator judges them; with no call behind a count, its example names no call id.
    const [result] = evaluateThresholds(limits, measured.metrics)
    expect(result!.passed).toBe(false)
    expect(result!.message).toMatch(
      /^status-code of \d+ of 4000 calls not in expected-status 2xx \(first: 429\)$/
    )
    const codes = measured.metrics.statusCodes
    expect(codes.reduce((n, s) => n + s.calls, 0)).toBe(calls.length)
    expect(codes.every((s) => s.first.id === '' && s.first.index === -1)).toBe(
      true
    )
  })

  it('matches a run id by value, and says so', async () => {
    const { measured, fake } = await measure(calls, { runId: 'run-1' })
    expectTruth(
      measured,
      calls.filter((c) => c.metadataValues.includes('run-1'))
    )
    expect(
      (fake.posted[1]!.variables.filter as Record<string, unknown>)
        .metadataValues_has
    ).toBe('run-1')
    expect(measured.describe).toBe(
      'run "run-1" (any metadata value, not one key: analytics matches values only), created from 2026-12-01T00:00:00Z to 2026-12-02T00:00:00Z'
    )
  })

  it('reads the window at whole seconds and reports that window as covered', async () => {
    const { measured } = await measure(calls, {
      window: { sinceMs: SINCE + 999, untilMs: UNTIL + 1500 }
    })
    expect(measured.covered).toEqual({ sinceMs: SINCE, untilMs: UNTIL + 1000 })
  })
})

describe('a trend', () => {
  it('gives each of the last N UTC days, oldest first, days without calls as zeros', async () => {
    const until = Date.parse('2026-12-14T12:00:00Z')
    const since = until - DAY
    const calls = [
      ...generateCalls(
        50,
        Date.parse('2026-12-03T00:00:00Z'),
        Date.parse('2026-12-04T00:00:00Z'),
        1
      ),
      ...generateCalls(70, since, until, 2)
    ]
    const { measured, fake } = await measure(
      calls,
      {
        window: { sinceMs: since, untilMs: until },
        trendDays: 14,
        nowMs: until + 600_000
      },
      { settings: { maxDuration: 7 * 86_400 } }
    )
    const trend = measured.trend!
    expect(trend).toHaveLength(14)
    expect(trend[0]!.date).toBe('2026-12-01')
    expect(trend[13]!.date).toBe('2026-12-14')
    const day = (date: string) =>
      calls.filter((c) => new Date(c.atMs).toISOString().startsWith(date))
    for (const t of trend) {
      const own = day(t.date)
      expect(t).toEqual({
        date: t.date,
        count: own.length,
        cost: usd(own.reduce((n, c) => n + c.costMicros, 0)),
        errors: own.filter((c) => c.errored).length
      })
    }
    expect(trend[5]).toEqual({
      date: '2026-12-06',
      count: 0,
      cost: 0,
      errors: 0
    })
    const trendQueries = fake.posted.filter((p) => p.operation === 'Trend')
    expect(trendQueries).toHaveLength(2) // 13.5 days in chunks of 7
    expect(
      (trendQueries[0]!.variables.filter as Record<string, string>).datetime_geq
    ).toBe('2026-12-01T00:00:00Z')
    expect(trendQueries[0]!.query).toContain('orderBy: [date_ASC]')
  })
})

describe('a sampled answer', () => {
  const calls = generateCalls(2000, SINCE, UNTIL, 21)

  it('gives every count and sum an interval, rates and averages from the bounds, and marks histogram figures estimated', async () => {
    const { measured } = await measure(calls, {}, { sampleRate: 0.1 })
    const i = measured.intervals!
    const t = truth(calls)
    expect(Object.keys(i).sort()).toEqual(
      [
        'cache-rate',
        'cached',
        'cost.avg',
        'cost.sum',
        'count',
        'error-rate',
        'errors',
        'tokens-in.avg',
        'tokens-in.sum',
        'tokens-out.avg',
        'tokens-out.sum',
        'tokens.avg',
        'tokens.sum'
      ].sort()
    )
    expect(i.count).toEqual({
      estimate: t.count,
      lower: t.count * 0.9,
      upper: t.count * 1.1,
      sampleSize: 200
    })
    // error-rate in [errors.lower / count.upper, errors.upper / count.lower]
    expect(i['error-rate']!.lower).toBeCloseTo(
      (t.errors * 0.9) / (t.count * 1.1),
      12
    )
    expect(i['error-rate']!.upper).toBeCloseTo(
      (t.errors * 1.1) / (t.count * 0.9),
      12
    )
    expect(i['cost.avg']!.upper).toBeCloseTo(
      (t.cost * 1.1) / (t.count * 0.9),
      12
    )
    expect(i['tokens.sum']!.upper).toBeCloseTo(
      (t.tokensIn + t.tokensOut) * 1.1,
      6
    )
    expect(measured.caveats).toContainEqual(
      expect.objectContaining({ metric: 'duration', kind: 'estimated' })
    )
    expect(measured.caveats.find((c) => c.metric === 'models')?.kind).toBe(
      'estimated'
    )
  })

  it("a rate's upper bound never passes 1, and counts no fewer calls than were sampled", async () => {
    const { measured } = await measure(
      calls.slice(0, 10),
      {},
      {
        intercept: (p) =>
          p.operation === 'Totals'
            ? groupsAnswer([
                {
                  count: 10,
                  sum: {
                    erroredRequests: 10,
                    cachedRequests: 0,
                    cost: 1,
                    tokensIn: 1,
                    tokensOut: 1
                  },
                  confidence: {
                    count: { estimate: 10, lower: 0, upper: 30, sampleSize: 2 },
                    sum: Object.fromEntries(
                      [
                        'erroredRequests',
                        'cachedRequests',
                        'cost',
                        'tokensIn',
                        'tokensOut'
                      ].map((k) => [
                        k,
                        { estimate: 10, lower: 0, upper: 30, sampleSize: 2 }
                      ])
                    )
                  }
                }
              ])
            : undefined
      }
    )
    expect(measured.intervals!['error-rate']).toEqual({
      estimate: 1,
      lower: 0,
      upper: 1,
      sampleSize: 2
    })
    expect(measured.intervals!['cost.avg']!.upper).toBe(15) // 30 / max(0, 2 sampled)
  })

  it('estimates the cost percentiles read from a histogram', async () => {
    const { measured } = await measure(
      calls,
      { thresholds: thresholds('cost.p95 < $1') },
      { sampleRate: 0.5 }
    )
    expect(measured.caveats).toContainEqual(
      expect.objectContaining({ metric: 'cost.p95', kind: 'estimated' })
    )
    expect(
      measured.caveats.find((c) => c.metric === 'cost.sum')
    ).toBeUndefined()
  })
})

describe('failing closed, before the real queries', () => {
  const calls = generateCalls(100, SINCE, UNTIL, 4)

  it('a field a threshold needs and the account does not offer names both', async () => {
    const fields = ALL_FIELDS.filter(
      (f) => f !== 'sum_tokensIn' && f !== 'dimensions_statusCode'
    )
    const { fake, session } = {
      fake: fakeAnalytics({ calls, settings: { availableFields: fields } }),
      session: null
    }
    void session
    const error = await failure(
      measureAnalytics(
        request({
          thresholds: [
            ...thresholds('tokens-in.sum < 1000000'),
            ...limitsToThresholds({
              requireSuccess: false,
              expectedStatus: [{ kind: 'class', hundreds: 2 }]
            })
          ]
        }),
        fakeDeps(fake.post, NOW)
      )
    )
    expect(error.kind).toBe('field-unavailable')
    expect(error.message).toBe(
      'thresholds "tokens-in.sum < 1000000" needs sum_tokensIn, which this account\'s analytics does not offer (availableFields); "expected-status: 2xx" needs dimensions_statusCode, which this account\'s analytics does not offer (availableFields). Use source: logs for these.'
    )
    expect(fake.operations()).toEqual(['Settings'])
  })

  it('a field only the report shows is left out of the query and said unavailable', async () => {
    const fields = ALL_FIELDS.filter((f) => f !== 'sum_cachedRequests')
    const { measured, fake } = await measure(
      calls,
      {},
      { settings: { availableFields: fields } }
    )
    expect(fake.posted[1]!.query).not.toContain('cachedRequests')
    expect(measured.metrics.cacheRate).toBeNull()
    expect(measured.caveats).toContainEqual({
      metric: 'cache-rate',
      kind: 'unavailable',
      reason:
        "this account's analytics does not offer sum_cachedRequests (availableFields)"
    })
  })

  it('a trend needs the date dimension', async () => {
    const fields = ALL_FIELDS.filter((f) => f !== 'dimensions_date')
    const error = await failure(
      measure(
        calls,
        { trendDays: 7 },
        { settings: { availableFields: fields } }
      )
    )
    expect(error.message).toContain(
      "trend needs dimensions_date, which this account's analytics does not offer (availableFields)"
    )
  })

  it('without confidence, whether an answer is sampled cannot be told', async () => {
    const fields = ALL_FIELDS.filter((f) => f !== 'confidence')
    const error = await failure(
      measure(calls, {}, { settings: { availableFields: fields } })
    )
    expect(error.kind).toBe('field-unavailable')
    expect(error.message).toContain('the analytics source needs confidence')
  })

  it('a disabled dataset', async () => {
    const error = await failure(
      measure(calls, {}, { settings: { enabled: false } })
    )
    expect(error.kind).toBe('disabled')
    expect(error.message).toBe(
      'GraphQL Analytics has aiGatewayRequestsAdaptiveGroups turned off for account "acc" (its settings say enabled: false): use source: logs.'
    )
  })

  it('a window starting before notOlderThan names since', async () => {
    const error = await failure(
      measure(calls, { window: { sinceMs: NOW - 63 * DAY, untilMs: UNTIL } })
    )
    expect(error.kind).toBe('too-old')
    expect(error.message).toBe(
      'since (2026-09-30T00:10:00Z) is before the oldest data GraphQL Analytics keeps (2026-10-01T00:10:00Z, 62 days back; notOlderThan): choose a later since, or source: logs.'
    )
  })

  it('a trend starting before notOlderThan names trend', async () => {
    const error = await failure(
      measure(
        calls,
        { trendDays: 3 },
        { settings: { notOlderThan: 2 * 86_400 } }
      )
    )
    expect(error.kind).toBe('too-old')
    expect(error.message).toMatch(
      /^trend: 3d starts on 2026-11-29, before the oldest data/
    )
  })

  it('zero calls is an error naming the permission, the lag and the gateway id', async () => {
    const { fake } = { fake: fakeAnalytics({ calls: [] }) }
    const error = await failure(
      measureAnalytics(request(), fakeDeps(fake.post, NOW))
    )
    expect(error.kind).toBe('empty')
    expect(error.message).toBe(
      'No calls found for calls from 2026-12-01T00:00:00Z to 2026-12-02T00:00:00Z in gateway "gw" of account "acc" by GraphQL Analytics. Likely causes: the API token lacks the "Account Analytics Read" permission (analytics may then answer with no rows rather than an error), the calls are too recent (events reach analytics minutes after the call: end the window earlier), or a wrong gateway-id.'
    )
    expect(fake.operations()).toEqual(['Settings', 'Totals'])
  })

  it('an unsampled histogram that counts other calls than the totals is an invalid answer', async () => {
    const error = await failure(
      measure(
        calls,
        {},
        {
          intercept: (p) =>
            p.operation === 'Histogram'
              ? groupsAnswer([
                  {
                    count: 99,
                    dimensions: { durationMs: 5 },
                    confidence: exactCount(99)
                  }
                ])
              : undefined
        }
      )
    )
    expect(error.kind).toBe('invalid-answer')
    expect(error.message).toContain(
      'counted 100 calls in the totals but 99 in the duration histogram'
    )
  })

  it('the models are skipped, not failed, when the budget runs out before them', async () => {
    const { measured, fake } = await measure(calls, {
      queries: new RequestBudget(3, QUERY_BUDGET)
    })
    expect(fake.operations()).toEqual(['Settings', 'Totals', 'Histogram'])
    expect(measured.metrics.models).toEqual([])
    expect(measured.caveats).toContainEqual(
      expect.objectContaining({ metric: 'models', kind: 'unavailable' })
    )
  })
})

describe('analyticsFieldsNeeded', () => {
  it('lists each field once, with the first threshold that needs it', () => {
    const list = thresholds(
      'cost.sum < $1\ncost.avg < $1\ncost.p95 < $1\nerror-rate < 5%\ncache-rate > 0\ntokens.sum < 10\ntokens.p95 < 10\nduration.p95 < 8s\ncount > 0'
    )
    expect(
      analyticsFieldsNeeded(list).map(({ field, threshold }) => [
        field,
        threshold.source
      ])
    ).toEqual([
      ['sum_cost', 'cost.sum < $1'],
      ['dimensions_cost', 'cost.p95 < $1'],
      ['sum_erroredRequests', 'error-rate < 5%'],
      ['sum_cachedRequests', 'cache-rate > 0'],
      ['sum_tokensIn', 'tokens.sum < 10'],
      ['sum_tokensOut', 'tokens.sum < 10'],
      ['dimensions_durationMs', 'duration.p95 < 8s'],
      ['count', 'count > 0']
    ])
  })
})

describe('answers checked against each other (regressions)', () => {
  const calls = generateCalls(200, SINCE, UNTIL, 3)
  const expect200 = limitsToThresholds({
    requireSuccess: false,
    expectedStatus: [{ kind: 'code', code: 200 }]
  })
  const ok = calls.filter((c) => c.statusCode === 200).length
  /** A point interval over all 100 calls of the totals below. */
  const conf = (n: number) => ({
    estimate: n,
    lower: n,
    upper: n,
    sampleSize: 100
  })
  const SUMS = [
    'cost',
    'erroredRequests',
    'cachedRequests',
    'tokensIn',
    'tokensOut'
  ] as const
  /** Totals of 100 calls whose figures and intervals are given by `over`. */
  const totals = (over: Record<string, unknown>) =>
    groupsAnswer([
      {
        count: 100,
        sum: {
          cost: 0.1,
          erroredRequests: 0,
          cachedRequests: 0,
          tokensIn: 1,
          tokensOut: 1
        },
        confidence: {
          count: conf(100),
          sum: {
            cost: conf(0.1),
            erroredRequests: conf(0),
            cachedRequests: conf(0),
            tokensIn: conf(1),
            tokensOut: conf(1)
          }
        },
        ...over
      }
    ])

  it('unsampled status codes that miss a code the totals count are refused, not passed', async () => {
    const error = await failure(
      measure(
        calls,
        { thresholds: expect200 },
        {
          intercept: (p) =>
            p.operation === 'StatusCodes'
              ? groupsAnswer([
                  {
                    count: ok,
                    dimensions: { statusCode: 200 },
                    confidence: exactCount(ok)
                  }
                ])
              : undefined
        }
      )
    )
    expect(error.kind).toBe('invalid-answer')
    expect(error.message).toBe(
      `GraphQL Analytics counted 200 calls in the totals but ${ok} in the status codes of the same window: the answers disagree (events reach analytics minutes after the call; is until too close to now?)`
    )
  })

  it('an empty status-code answer is refused', async () => {
    const error = await failure(
      measure(
        calls,
        { thresholds: expect200 },
        {
          intercept: (p) =>
            p.operation === 'StatusCodes' ? groupsAnswer([]) : undefined
        }
      )
    )
    expect(error.kind).toBe('invalid-answer')
    expect(error.message).toContain(
      'counted 200 calls in the totals but 0 in the status codes'
    )
  })

  it('every grouped query asks its own confidence', async () => {
    const { fake } = await measure(
      calls,
      {
        thresholds: [...expect200, ...thresholds('cost.p95 < $1')],
        trendDays: 2
      },
      {}
    )
    const grouped = fake.posted.filter(
      (p) => p.operation !== 'Settings' && p.operation !== 'Totals'
    )
    expect(new Set(grouped.map((p) => p.operation))).toEqual(
      new Set(['Histogram', 'StatusCodes', 'Trend', 'Models'])
    )
    for (const p of grouped)
      expect(p.query).toContain(
        'confidence(level: 0.95) { count { estimate lower upper sampleSize } }'
      )
  })

  it('a group-by sampled on its own is estimated though the totals are exact: histograms, status codes, models, trend', async () => {
    const { measured } = await measure(
      calls,
      {
        thresholds: [...expect200, ...thresholds('cost.p95 < $1')],
        trendDays: 2
      },
      { sampleRate: 0.1, sampled: (operation) => operation !== 'Totals' }
    )
    expect(measured.intervals).toBeUndefined()
    const estimated = measured.caveats
      .filter((c) => c.kind === 'estimated')
      .map((c) => c.metric)
    expect(estimated).toEqual(
      [
        'cost.min',
        'cost.max',
        'cost.p50',
        'cost.p90',
        'cost.p95',
        'cost.p99',
        'trend',
        'status-code',
        'duration',
        'models'
      ].sort((a, b) => estimated.indexOf(a) - estimated.indexOf(b))
    )
    expect(new Set(estimated).size).toBe(10)
    const [status] = evaluateThresholds(
      expect200,
      measured.metrics,
      undefined,
      measured.caveats
    )
    expect(status!.message).toMatch(
      /^status-code of \d+ of 200 calls not in expected-status 200 \(first: 429\) \(estimated: estimated from a sample of \d+ calls of about 200 \(GraphQL Analytics sampled the answer\)\)$/
    )
  })

  it('exact group-bys of exact totals are marked nothing', async () => {
    const { measured } = await measure(calls, {
      thresholds: [...expect200, ...thresholds('cost.p95 < $1')],
      trendDays: 2
    })
    expect(measured.caveats.filter((c) => c.kind === 'estimated')).toEqual([])
  })

  it('measureTrend says whether the trend query was sampled', async () => {
    const trendRequest = {
      ...request(),
      untilMs: UNTIL,
      days: 3
    }
    const sampled = fakeAnalytics({ calls, sampleRate: 0.1 })
    const read = await measureTrend(trendRequest, fakeDeps(sampled.post, NOW))
    expect(read.sampled).toBe(true)
    expect(read.days.map((d) => d.date)).toEqual([
      '2026-11-29',
      '2026-11-30',
      '2026-12-01'
    ])
    const exact = fakeAnalytics({ calls })
    expect(
      (await measureTrend(trendRequest, fakeDeps(exact.post, NOW))).sampled
    ).toBe(false)
  })

  it("a sampled histogram far outside the totals' interval is refused", async () => {
    const error = await failure(
      measure(
        generateCalls(1000, SINCE, UNTIL, 3),
        { thresholds: thresholds('duration.p95 < 1000') },
        {
          sampleRate: 0.1,
          intercept: (p) =>
            p.operation === 'Histogram'
              ? groupsAnswer([
                  {
                    count: 1,
                    dimensions: { durationMs: 60 },
                    confidence: exactCount(1)
                  }
                ])
              : undefined
        }
      )
    )
    expect(error.kind).toBe('invalid-answer')
    expect(error.message).toBe(
      'GraphQL Analytics counted 1000 (95%: 900–1100) calls in the totals but 1 in the duration histogram of the same window: the sampled answers disagree beyond their 95% intervals'
    )
  })

  it("sampled status codes far outside the totals' interval are refused", async () => {
    const error = await failure(
      measure(
        calls,
        { thresholds: expect200 },
        {
          sampleRate: 0.1,
          intercept: (p) =>
            p.operation === 'StatusCodes'
              ? groupsAnswer([
                  {
                    count: 10,
                    dimensions: { statusCode: 200 },
                    confidence: {
                      count: {
                        estimate: 10,
                        lower: 5,
                        upper: 15,
                        sampleSize: 1
                      }
                    }
                  }
                ])
              : undefined
        }
      )
    )
    expect(error.message).toBe(
      'GraphQL Analytics counted 200 (95%: 180–220) calls in the totals but 10 (sampled, 95%: 5–15) in the status codes of the same window: the sampled answers disagree beyond their 95% intervals'
    )
  })

  it("a sampled histogram within the totals' interval is accepted", async () => {
    const { measured } = await measure(
      calls,
      {},
      {
        sampleRate: 0.1,
        intercept: (p) =>
          p.operation === 'Histogram'
            ? groupsAnswer([
                {
                  count: 181,
                  dimensions: { durationMs: 60 },
                  confidence: exactCount(181)
                }
              ])
            : undefined
      }
    )
    expect(measured.metrics.distributions.duration.p95!.value).toBe(60)
  })

  it('unsampled totals whose count is not their estimate are refused', async () => {
    const error = await failure(
      measure(
        calls,
        {},
        {
          intercept: (p) =>
            p.operation === 'Totals' ? totals({ count: 10 }) : undefined
        }
      )
    )
    expect(error.kind).toBe('invalid-answer')
    expect(error.message).toBe(
      'GraphQL Analytics answered the totals query with an invalid answer: count 10 is not its unsampled estimate 100 (confidence.count)'
    )
  })

  it.each([
    [
      'cost',
      0.2,
      'sum.cost 0.2 is not its unsampled estimate 0.1 (confidence.sum.cost)'
    ],
    [
      'erroredRequests',
      3,
      'sum.erroredRequests 3 is not its unsampled estimate 0 (confidence.sum.erroredRequests)'
    ]
  ] as const)(
    'unsampled totals whose sum.%s is not its estimate are refused',
    async (field, value, detail) => {
      const sum = {
        cost: 0.1,
        erroredRequests: 0,
        cachedRequests: 0,
        tokensIn: 1,
        tokensOut: 1,
        [field]: value
      }
      const error = await failure(
        measure(
          calls,
          {},
          {
            intercept: (p) =>
              p.operation === 'Totals' ? totals({ sum }) : undefined
          }
        )
      )
      expect(error.message).toBe(
        `GraphQL Analytics answered the totals query with an invalid answer: ${detail}`
      )
    }
  )

  it('a cost equal to its estimate but for float rounding is accepted', async () => {
    const { measured } = await measure(
      calls.slice(0, 100),
      {},
      {
        intercept: (p) =>
          p.operation === 'Totals'
            ? totals({
                sum: {
                  cost: 0.1 + 0.2,
                  erroredRequests: 0,
                  cachedRequests: 0,
                  tokensIn: 1,
                  tokensOut: 1
                },
                confidence: {
                  count: conf(100),
                  sum: {
                    ...Object.fromEntries(
                      SUMS.map((s) => [
                        s,
                        conf(
                          s === 'cost' ? 0.3 : s.startsWith('tokens') ? 1 : 0
                        )
                      ])
                    )
                  }
                }
              })
            : undefined
      }
    )
    expect(measured.intervals).toBeUndefined()
  })

  it('an interval with width is sampled whatever sampleSize says', async () => {
    const { measured } = await measure(
      calls.slice(0, 100),
      {},
      {
        intercept: (p) =>
          p.operation === 'Totals'
            ? totals({
                confidence: {
                  count: {
                    estimate: 100,
                    lower: 90,
                    upper: 110,
                    sampleSize: 100
                  },
                  sum: Object.fromEntries(
                    SUMS.map((s) => [
                      s,
                      conf(s === 'cost' ? 0.1 : s.startsWith('tokens') ? 1 : 0)
                    ])
                  )
                }
              })
            : undefined
      }
    )
    expect(measured.intervals?.count).toEqual({
      estimate: 100,
      lower: 90,
      upper: 110,
      sampleSize: 100
    })
  })
})

describe('the duration histogram no threshold needs (regression)', () => {
  const calls = generateCalls(5000, SINCE, UNTIL, 3)

  it('is read last and best-effort: a spent budget makes duration unavailable, not an error', async () => {
    const { measured, fake } = await measure(
      calls,
      { thresholds: thresholds('cost.sum < 1000') },
      { settings: { maxPageSize: 100 } }
    )
    expect(fake.operations().slice(0, 3)).toEqual([
      'Settings',
      'Totals',
      'Histogram'
    ])
    expect(fake.operations()).not.toContain('Models')
    expect(measured.metrics.distributions.duration.p95).toBeNull()
    expect(measured.caveats).toContainEqual({
      metric: 'duration',
      kind: 'unavailable',
      reason:
        'query-budget was spent before the durationMs histogram could be read (30 GraphQL queries)'
    })
    const [cost] = evaluateThresholds(
      thresholds('cost.sum < 1000'),
      measured.metrics,
      undefined,
      measured.caveats
    )
    expect(cost!.passed).toBe(true)
  })

  it('with a duration threshold, a spent budget stays an error', async () => {
    const error = await failure(
      measure(
        calls,
        { thresholds: thresholds('duration.p95 < 100000') },
        { settings: { maxPageSize: 100 } }
      )
    )
    expect(error.kind).toBe('budget')
    expect(error.message).toMatch(
      /^The durationMs histogram \(duration\) needs more than/
    )
  })
})
