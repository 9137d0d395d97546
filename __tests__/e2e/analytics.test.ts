// End to end, the analytics source: the built dist/index.js run as a child process, as a runner runs it,
// against the local stand-in's GraphQL Analytics API on 127.0.0.1 (gateways of generated calls, none
// stored). What the gate reports is compared with exactAnalytics, an independent plain loop and sort
// over the same generated calls. Each gateway (and each account whose settings a test changes) is a
// test's own.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { runAction, type ActionRun } from '../../scripts/run-action.mjs'
import {
  DEMO_ACCOUNT,
  exactAnalytics,
  LOGGING_STATES,
  startStandIn,
  type AnalyticsGatewayOptions,
  type StandIn
} from '../../scripts/stand-in.mjs'

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS
/** Windows end on a whole hour two hours ago: past analytics' lag, whatever the test's own inputs. */
const END_MS = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 2 * HOUR_MS
const iso = (ms: number): string =>
  new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

let standIn: StandIn
let observability: StandIn
beforeAll(async () => {
  standIn = await startStandIn()
  observability = await startStandIn({
    loggingState: LOGGING_STATES.workersObservability
  })
})
afterAll(async () => {
  await standIn.close()
  await observability.close()
})

let gateways = 0
function analyticsGateway(
  options: AnalyticsGatewayOptions,
  on: StandIn = standIn
): string {
  const gateway = `gw-analytics-${gateways++}`
  on.addAnalyticsGateway(gateway, options)
  return gateway
}

const gate = (
  gateway: string,
  inputs: Record<string, string>,
  on: StandIn = standIn
): Promise<ActionRun> =>
  runAction({
    'api-token': on.token,
    'account-id': DEMO_ACCOUNT,
    'gateway-id': gateway,
    'api-url': on.apiUrl,
    settle: '0',
    'wait-timeout': '1',
    // Generated calls fail now and then (429, 500): the rate is what a window is judged on.
    'require-success': 'false',
    ...inputs
  })

const annotations = (run: ActionRun, kind: 'error' | 'warning') =>
  run.stdout
    .split('\n')
    .filter((l) => l.startsWith(`::${kind}`))
    .map((l) =>
      l.replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%')
    )
const metricsOf = (run: ActionRun) =>
  JSON.parse(run.outputs.metrics ?? 'null') as {
    count: number
    errors: number
    cached: number
    cost: { sum: number }
    duration: Record<string, number | null>
    'tokens-in': { sum: number }
    'tokens-out': { sum: number }
  }

/** The figures the gate reported, against the truth computed over the same generated calls. */
function expectExact(
  run: ActionRun,
  truth: ReturnType<typeof exactAnalytics>
): void {
  const metrics = metricsOf(run)
  expect({
    count: metrics.count,
    errors: metrics.errors,
    cached: metrics.cached,
    cost: metrics.cost.sum,
    tokensIn: metrics['tokens-in'].sum,
    tokensOut: metrics['tokens-out'].sum,
    min: metrics.duration.min,
    max: metrics.duration.max,
    p50: metrics.duration.p50,
    p90: metrics.duration.p90,
    p95: metrics.duration.p95,
    p99: metrics.duration.p99
  }).toEqual({
    count: truth.count,
    errors: truth.errors,
    cached: truth.cached,
    cost: truth.costSum,
    tokensIn: truth.tokensInSum,
    tokensOut: truth.tokensOutSum,
    min: truth.duration.min,
    max: truth.duration.max,
    p50: truth.duration.p50,
    p90: truth.duration.p90,
    p95: truth.duration.p95,
    p99: truth.duration.p99
  })
  expect(run.outputs.count).toBe(String(truth.count))
}

describe('source: analytics, unsampled', () => {
  const day = { sinceMs: END_MS - DAY_MS, untilMs: END_MS }
  const options = { calls: 200_000, ...day, seed: 11 }

  it('reports exact sums and nearest-rank percentiles equal to an independent computation, in a few queries', async () => {
    const gateway = analyticsGateway(options)
    const before = standIn.graphqlRequests().length
    const run = await gate(gateway, {
      source: 'analytics',
      since: iso(day.sinceMs),
      until: iso(day.untilMs),
      thresholds: 'duration.p95 < 60s\ncount >= 1000'
    })
    expect([run.code, run.outputs.result, run.outputs.source]).toEqual([
      0,
      'pass',
      'analytics'
    ])
    expectExact(run, exactAnalytics(options, day))
    // settings, totals, models and the duration histogram (~23,000 distinct values: 3 pages)
    expect(standIn.graphqlRequests().length - before).toBeLessThanOrEqual(10)
    expect(run.summary).toContain('GraphQL Analytics')
    expect(run.summary).toContain('`source: logs`')
    expect(run.summary).toContain(
      `${iso(day.sinceMs).replace('T', ' ').replace('Z', '')} to ${iso(day.untilMs).replace('T', ' ').replace('Z', '')} UTC`
    )
  })

  it('breaches a threshold on an exact figure as the logs source would', async () => {
    const gateway = analyticsGateway(options)
    const truth = exactAnalytics(options, day)
    const run = await gate(gateway, {
      source: 'analytics',
      since: iso(day.sinceMs),
      until: iso(day.untilMs),
      thresholds: `duration.p95 < ${truth.duration.p95}ms`
    })
    expect([run.code, run.outputs.result]).toEqual([1, 'fail'])
    expect(annotations(run, 'error')).toEqual([
      `::error title=AI Gateway gate::duration.p95 ${truth.duration.p95} ms >= ${truth.duration.p95} ms`
    ])
  })

  it('matches a run id by value inside the window', async () => {
    const runOptions = { ...options, runIds: ['gh-77-1'], runShare: 0.05 }
    const gateway = analyticsGateway(runOptions)
    const run = await gate(gateway, {
      source: 'analytics',
      'run-id': 'gh-77-1',
      since: iso(day.sinceMs),
      until: iso(day.untilMs)
    })
    const truth = exactAnalytics(runOptions, { ...day, runId: 'gh-77-1' })
    expect(truth.count).toBeGreaterThan(1000)
    expect(truth.count).toBeLessThan(options.calls / 2)
    expect(run.outputs.result).toBe('pass')
    expectExact(run, truth)
    expect(run.summary).toContain('analytics matches values only')
  })

  it('reads a window longer than maxDuration in chunks, summed exactly', async () => {
    const account = 'acc-chunks'
    const chunked = {
      ...options,
      calls: 50_000,
      maxDurationS: 6 * 3600,
      account
    }
    const gateway = analyticsGateway(chunked)
    const before = standIn.analyticsQueryCount(gateway)
    const run = await gate(gateway, {
      'account-id': account,
      source: 'analytics',
      since: iso(day.sinceMs),
      until: iso(day.untilMs)
    })
    expect(run.outputs.result).toBe('pass')
    expectExact(run, exactAnalytics(chunked, day))
    // four chunks of 6 hours: totals, histogram and models for each
    expect(
      standIn.analyticsQueryCount(gateway) - before
    ).toBeGreaterThanOrEqual(12)
  })
})

describe('source: auto', () => {
  it('switches to analytics when the first list page counts more calls than max-logs, after that one page', async () => {
    const window = { sinceMs: END_MS - 6 * HOUR_MS, untilMs: END_MS }
    const options = { calls: 30_000, ...window, seed: 3 }
    const gateway = analyticsGateway(options)
    // The logs API's side of the same gateway: 150 calls in the window, more than max-logs 100.
    standIn.addRun({
      runId: 'auto-1',
      calls: 150,
      gateway,
      startMs: window.sinceMs + HOUR_MS,
      spacingMs: 1000
    })
    const run = await gate(gateway, {
      since: iso(window.sinceMs),
      until: iso(window.untilMs),
      'max-logs': '100'
    })
    expect([run.code, run.outputs.result, run.outputs.source]).toEqual([
      0,
      'pass',
      'analytics'
    ])
    expectExact(run, exactAnalytics(options, window))
    const listRequests = standIn
      .listRequests()
      .filter((r) => r.path.includes(`/gateways/${gateway}/logs`))
    expect(listRequests).toHaveLength(1)
    expect(run.stdout).toContain(
      'Measured by GraphQL Analytics: the logs list 150 calls for it, more than max-logs (100)'
    )
    expect(run.summary).toContain('more than max-logs')
  })

  it('stays with the logs, asking analytics nothing, when the window fits max-logs', async () => {
    const window = { sinceMs: END_MS - 6 * HOUR_MS, untilMs: END_MS }
    const gateway = analyticsGateway({ calls: 1000, ...window })
    standIn.addRun({
      runId: 'auto-2',
      calls: 40,
      gateway,
      startMs: window.sinceMs + HOUR_MS,
      spacingMs: 1000
    })
    const run = await gate(gateway, {
      since: iso(window.sinceMs),
      until: iso(window.untilMs)
    })
    expect([run.outputs.result, run.outputs.source, run.outputs.count]).toEqual(
      ['pass', 'logs', '40']
    )
    expect(standIn.analyticsQueryCount(gateway)).toBe(0)
  })

  it('switches to analytics when the account keeps its logs in Workers Observability', async () => {
    const window = { sinceMs: END_MS - 6 * HOUR_MS, untilMs: END_MS }
    const options = { calls: 20_000, ...window, seed: 5 }
    const gateway = analyticsGateway(options, observability)
    const run = await gate(
      gateway,
      { since: iso(window.sinceMs), until: iso(window.untilMs) },
      observability
    )
    expect([run.code, run.outputs.result, run.outputs.source]).toEqual([
      0,
      'pass',
      'analytics'
    ])
    expectExact(run, exactAnalytics(options, window))
    expect(run.stdout).toContain(
      'Measured by GraphQL Analytics: the account keeps its logs in Workers Observability'
    )
  })

  it('a run past max-logs stays with the logs (its calls are counted one by one): the error stands', async () => {
    const window = { sinceMs: END_MS - 6 * HOUR_MS, untilMs: END_MS }
    const gateway = analyticsGateway({
      calls: 1000,
      ...window,
      runIds: ['auto-run']
    })
    standIn.addRun({
      runId: 'auto-run',
      calls: 150,
      gateway,
      startMs: window.sinceMs + HOUR_MS,
      spacingMs: 1000
    })
    const run = await gate(gateway, {
      'run-id': 'auto-run',
      since: iso(window.sinceMs),
      'max-logs': '100'
    })
    expect(run.outputs.result).toBe('error')
    expect(annotations(run, 'error')[0]).toContain('more than max-logs (100)')
    expect(standIn.analyticsQueryCount(gateway)).toBe(0)
  })

  it('with filters, stays with the logs and says max-logs is passed', async () => {
    const window = { sinceMs: END_MS - 6 * HOUR_MS, untilMs: END_MS }
    const gateway = analyticsGateway({ calls: 1000, ...window })
    standIn.addRun({
      runId: 'auto-3',
      calls: 150,
      gateway,
      startMs: window.sinceMs + HOUR_MS,
      spacingMs: 1000
    })
    const run = await gate(gateway, {
      since: iso(window.sinceMs),
      until: iso(window.untilMs),
      'max-logs': '100',
      filters: '[{"key":"success","operator":"eq","value":[true]}]'
    })
    expect(run.outputs.result).toBe('error')
    expect(annotations(run, 'error')[0]).toContain('more than max-logs (100)')
    expect(standIn.analyticsQueryCount(gateway)).toBe(0)
  })
})

describe('sampled answers', () => {
  const window = { sinceMs: END_MS - DAY_MS, untilMs: END_MS }
  const options = { calls: 100_000, ...window, seed: 9, sampleRate: 0.1 }

  it('are judged at the unfavourable end of the interval, and shown as estimates', async () => {
    const gateway = analyticsGateway(options)
    const inputs = {
      source: 'analytics',
      since: iso(window.sinceMs),
      until: iso(window.untilMs)
    }
    // A limit no count meets: the failure carries the estimate and its interval.
    const probe = await gate(gateway, { ...inputs, thresholds: 'count < 1' })
    const [failure] = JSON.parse(probe.outputs.failures!) as Array<{
      actual: number
      interval: { lower: number; upper: number }
    }>
    const { actual: estimate, interval } = failure!
    expect(interval.lower).toBeLessThan(estimate)
    expect(interval.upper).toBeGreaterThan(estimate)
    const truth = exactAnalytics({ ...options, sampleRate: 1 }, window)
    expect(interval.lower).toBeLessThanOrEqual(truth.count)
    expect(interval.upper).toBeGreaterThanOrEqual(truth.count)
    expect(probe.summary).toContain('≈')

    // Between the lower bound and the estimate: the estimate passes, the lower bound does not.
    const between = Math.ceil((interval.lower + estimate) / 2)
    const fails = await gate(gateway, {
      ...inputs,
      thresholds: `count >= ${between}`
    })
    expect(fails.outputs.result).toBe('fail')
    expect(annotations(fails, 'error')[0]).toContain(
      "(sampled: judged at the interval's lower bound)"
    )
    const passes = await gate(gateway, {
      ...inputs,
      thresholds: `count >= ${Math.floor(interval.lower)}`
    })
    expect(passes.outputs.result).toBe('pass')
  })
})

describe('fail closed', () => {
  const window = { sinceMs: END_MS - 6 * HOUR_MS, untilMs: END_MS }
  const inputs = {
    source: 'analytics',
    since: iso(window.sinceMs),
    until: iso(window.untilMs)
  }

  it('a field a threshold needs that the account does not offer: an error naming both, before the real query', async () => {
    const account = 'acc-unentitled'
    const gateway = analyticsGateway({
      calls: 1000,
      ...window,
      unentitled: ['sum_tokensIn'],
      account
    })
    const run = await gate(gateway, {
      ...inputs,
      'account-id': account,
      thresholds: 'tokens-in.sum < 1000000000'
    })
    expect([run.code, run.outputs.result]).toEqual([1, 'error'])
    expect(annotations(run, 'error')[0]).toContain(
      'thresholds "tokens-in.sum < 1000000000" needs sum_tokensIn, which this account\'s analytics does not offer (availableFields)'
    )
    expect(standIn.analyticsQueryCount(gateway)).toBe(0)
  })

  it('a window that starts before notOlderThan: an error naming since', async () => {
    const gateway = analyticsGateway({ calls: 1000, ...window })
    const run = await gate(gateway, {
      ...inputs,
      since: iso(END_MS - 70 * DAY_MS)
    })
    expect(run.outputs.result).toBe('error')
    expect(annotations(run, 'error')[0]).toMatch(
      /since \(.*\) is before the oldest data GraphQL Analytics keeps/
    )
    expect(standIn.analyticsQueryCount(gateway)).toBe(0)
  })

  it('a disabled dataset: an error', async () => {
    const account = 'acc-disabled'
    const gateway = analyticsGateway({
      calls: 1000,
      ...window,
      enabled: false,
      account
    })
    const run = await gate(gateway, { ...inputs, 'account-id': account })
    expect(run.outputs.result).toBe('error')
    expect(annotations(run, 'error')[0]).toContain('turned off')
  })

  it('a window with no calls: an error naming the likely causes', async () => {
    const run = await gate('gw-analytics-none', inputs)
    expect(run.outputs.result).toBe('error')
    expect(annotations(run, 'error')[0]).toContain(
      'Likely causes: the API token lacks the "Account Analytics Read" permission'
    )
  })

  it('a totals query answered with two groups: an invalid answer, never a pass', async () => {
    const gateway = analyticsGateway({
      calls: 1000,
      ...window,
      totalsTwoGroups: true
    })
    const run = await gate(gateway, inputs)
    expect([run.code, run.outputs.result]).toEqual([1, 'error'])
    expect(annotations(run, 'error')[0]).toContain('invalid answer')
  })

  it('GraphQL errors: one line quoting GraphQL, escaped, with the token never shown', async () => {
    const token = 'cf-token-SECRET-graphql-0123456789'
    const server: Server = createServer((req, res) => {
      req.resume()
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(
          JSON.stringify({
            data: null,
            errors: [
              {
                message: `rate limiter budget depleted for ${token}\n::error::injected`,
                path: ['viewer']
              }
            ]
          })
        )
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as AddressInfo
      const run = await runAction({
        'api-token': token,
        'account-id': DEMO_ACCOUNT,
        'gateway-id': 'gw',
        'api-url': `http://127.0.0.1:${port}/client/v4`,
        'max-retries': '0',
        'require-success': 'false',
        ...inputs
      })
      expect([run.code, run.outputs.result]).toEqual([1, 'error'])
      const errors = annotations(run, 'error')
      expect(errors).toHaveLength(1)
      expect(errors[0]).toContain('GraphQL Analytics refused')
      expect(errors[0]).toContain('rate limiter budget depleted')
      // The one line with the token is the mask command that hides it from the log.
      expect(run.stdout.split('\n').filter((l) => l.includes(token))).toEqual([
        `::add-mask::${token}`
      ])
      expect(run.summary).not.toContain(token)
      expect(run.stdout).not.toMatch(/^::error::injected/m)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })
})

describe('expected-logs with analytics', () => {
  const window = { sinceMs: END_MS - 6 * HOUR_MS, untilMs: END_MS }
  const inputs = {
    source: 'analytics',
    since: iso(window.sinceMs),
    until: iso(window.untilMs)
  }

  it('fewer calls than expected-logs: an error at once (analytics is read once), naming both numbers', async () => {
    const gateway = analyticsGateway({ calls: 1000, ...window })
    const run = await gate(gateway, { ...inputs, 'expected-logs': '5000' })
    expect([run.code, run.outputs.result]).toEqual([1, 'error'])
    expect(annotations(run, 'error')[0]).toContain(
      'GraphQL Analytics counts 1000 calls for calls from'
    )
    expect(annotations(run, 'error')[0]).toContain(
      'fewer than expected-logs (5000)'
    )
  })

  it('expected-logs: 0 accepts an empty window', async () => {
    const run = await gate('gw-analytics-empty', {
      ...inputs,
      'expected-logs': '0'
    })
    expect([run.code, run.outputs.result, run.outputs.count]).toEqual([
      0,
      'pass',
      '0'
    ])
  })
})

describe('the lag', () => {
  it('without until, the window ends 10 minutes before the gate starts, and the report says so', async () => {
    const window = { sinceMs: END_MS - DAY_MS, untilMs: Date.now() }
    const gateway = analyticsGateway({ calls: 20_000, ...window })
    const startedMs = Date.now()
    const run = await gate(gateway, { source: 'analytics', since: '3h' })
    const finishedMs = Date.now()
    expect(run.outputs.result).toBe('pass')
    const covered =
      /Window covered: (\S+ \S+) to (\S+ \S+) UTC/.exec(run.summary) ?? []
    const untilMs = Date.parse(`${covered[2]?.replace(' ', 'T')}Z`)
    const sinceMs = Date.parse(`${covered[1]?.replace(' ', 'T')}Z`)
    expect(untilMs).toBeGreaterThanOrEqual(startedMs - 10 * 60_000 - 1000)
    expect(untilMs).toBeLessThanOrEqual(finishedMs - 10 * 60_000)
    expect(untilMs - sinceMs).toBeGreaterThan(3 * HOUR_MS - 11 * 60_000)
    expect(untilMs - sinceMs).toBeLessThan(3 * HOUR_MS - 9 * 60_000)
  })
})

describe('trend and previous-window', () => {
  it('trend: 14d gives one entry a UTC day, equal to the calls of each day', async () => {
    const span = { sinceMs: END_MS - 20 * DAY_MS, untilMs: END_MS }
    const options = { calls: 100_000, ...span, seed: 21 }
    const gateway = analyticsGateway(options)
    const run = await gate(gateway, {
      source: 'analytics',
      since: iso(END_MS - DAY_MS),
      until: iso(END_MS),
      trend: '14d'
    })
    expect(run.outputs.result).toBe('pass')
    const trend = JSON.parse(run.outputs.trend!) as Array<{
      date: string
      count: number
      cost: number
      errors: number
    }>
    const lastDay = new Date(END_MS - 1).toISOString().slice(0, 10)
    const firstDayMs = Date.parse(`${lastDay}T00:00:00Z`) - 13 * DAY_MS
    const truth = exactAnalytics(options, {
      sinceMs: firstDayMs,
      untilMs: END_MS
    }).byDate
    expect(trend).toEqual(
      truth.map((d) => ({
        date: d.date,
        count: d.count,
        cost: d.costSum,
        errors: d.errors
      }))
    )
    expect(trend).toHaveLength(14)
    expect(run.summary).toContain('xychart-beta')
  })

  it('trend with the logs source (auto stayed): one analytics query more', async () => {
    const window = { sinceMs: END_MS - 6 * HOUR_MS, untilMs: END_MS }
    const options = {
      calls: 5000,
      sinceMs: END_MS - 3 * DAY_MS,
      untilMs: END_MS
    }
    const gateway = analyticsGateway(options)
    standIn.addRun({
      runId: 'trend-logs',
      calls: 10,
      gateway,
      startMs: window.sinceMs + HOUR_MS,
      spacingMs: 1000
    })
    const run = await gate(gateway, {
      since: iso(window.sinceMs),
      until: iso(window.untilMs),
      trend: '3d'
    })
    expect([run.outputs.result, run.outputs.source]).toEqual(['pass', 'logs'])
    const trend = JSON.parse(run.outputs.trend!) as Array<{ count: number }>
    expect(trend).toHaveLength(3)
    expect(trend.reduce((sum, d) => sum + d.count, 0)).toBe(
      exactAnalytics(options, {
        sinceMs:
          Date.parse(
            `${new Date(END_MS - 1).toISOString().slice(0, 10)}T00:00:00Z`
          ) -
          2 * DAY_MS,
        untilMs: END_MS
      }).count
    )
  })

  it('baseline: previous-window compares the day with the day before it, on analytics', async () => {
    const span = { sinceMs: END_MS - 2 * DAY_MS, untilMs: END_MS }
    const options = { calls: 100_000, ...span, seed: 33 }
    const gateway = analyticsGateway(options)
    const run = await gate(gateway, {
      source: 'analytics',
      since: iso(END_MS - DAY_MS),
      until: iso(END_MS),
      baseline: 'previous-window',
      thresholds: 'cost.sum <= baseline * 1.5\ncount >= baseline * 0.5'
    })
    expect([run.code, run.outputs.result]).toEqual([0, 'pass'])
    const baseline = JSON.parse(run.outputs['baseline-metrics']!) as {
      count: number
      cost: { sum: number }
    }
    const previous = exactAnalytics(options, {
      sinceMs: END_MS - 2 * DAY_MS,
      untilMs: END_MS - DAY_MS
    })
    expect([baseline.count, baseline.cost.sum]).toEqual([
      previous.count,
      previous.costSum
    ])
    expect(run.summary).toContain('the previous window')
  })

  it('baseline: previous-window reaching past what analytics keeps is no baseline, not a failed gate', async () => {
    const span = { sinceMs: END_MS - 40 * DAY_MS, untilMs: END_MS }
    const gateway = analyticsGateway({ calls: 20_000, ...span, seed: 41 })
    const run = await gate(gateway, {
      source: 'analytics',
      since: iso(span.sinceMs),
      until: iso(span.untilMs),
      baseline: 'previous-window'
    })
    expect([run.code, run.outputs.result]).toEqual([0, 'pass'])
    expect(annotations(run, 'warning').join('\n')).toContain(
      'starts before the oldest data GraphQL Analytics keeps'
    )
    expect(run.outputs['baseline-metrics']).toBe('')
  })

  it('baseline: previous-window on the logs source', async () => {
    const gateway = `gw-analytics-${gateways++}`
    // 30 calls the window before, 20 in the window: count >= baseline fails.
    standIn.addRun({
      runId: 'prev-a',
      calls: 30,
      gateway,
      startMs: END_MS - 2 * HOUR_MS + 60_000,
      spacingMs: 1000
    })
    standIn.addRun({
      runId: 'prev-b',
      calls: 20,
      gateway,
      startMs: END_MS - HOUR_MS + 60_000,
      spacingMs: 1000
    })
    const run = await gate(gateway, {
      source: 'logs',
      since: iso(END_MS - HOUR_MS),
      until: iso(END_MS),
      baseline: 'previous-window',
      thresholds: 'count >= baseline'
    })
    expect([run.outputs.result, run.outputs.source]).toEqual(['fail', 'logs'])
    expect(annotations(run, 'error')).toEqual([
      '::error title=AI Gateway gate::count 20 calls < baseline (30)'
    ])
    expect(JSON.parse(run.outputs['baseline-metrics']!).count).toBe(30)
  })
})
