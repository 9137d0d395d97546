// End to end, the read of many calls against a list endpoint that is broken, stale or hostile: the built
// dist/index.js run as a child process, as a runner runs it, against the local stand-in on 127.0.0.1
// with its list quirks (short pages, pages that ignore per_page or page, rows deleted while they are
// read, a count that lags) and Cloudflare's rate limit. The gate passes only when it can show it saw
// every call, and never spends more than its request budget. Each gateway here is a test's own.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { runAction, type ActionRun } from '../../scripts/run-action.mjs'
import {
  DEMO_ACCOUNT,
  startStandIn,
  type ListQuirks,
  type StandIn,
  type StandInLog
} from '../../scripts/stand-in.mjs'

let standIn: StandIn
beforeAll(async () => {
  standIn = await startStandIn()
})
afterAll(async () => {
  await standIn.close()
})

let gateways = 0
const freshGateway = (quirks: ListQuirks | null = null): string => {
  const gateway = `gw-complete-${gateways++}`
  standIn.setListQuirks(gateway, quirks)
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
    ...inputs
  })

const listRequestsOf = (gateway: string, on: StandIn = standIn) =>
  on.listRequests().filter((r) => r.path.includes(`/gateways/${gateway}/logs`))
const annotations = (run: ActionRun, kind: 'error' | 'warning') =>
  run.stdout
    .split('\n')
    .filter((l) => l.startsWith(`::${kind}`))
    .map((l) => l.replace(/%3A/g, ':').replace(/%2C/g, ','))
const costSum = (logs: StandInLog[]) =>
  logs.reduce(
    (sum, log) => sum + BigInt(Math.round((log.cost as number) * 1e10)),
    0n
  )

describe('a read that cannot show it saw every call never passes', () => {
  it('a page answered one row short every time: an error with both numbers, not a pass on the rest', async () => {
    const gateway = freshGateway({ shortPages: { 1: { drop: 1 } } })
    standIn.addRun({ runId: 'gh-short-1', calls: 1000, gateway })
    const run = await gate(gateway, {
      'run-id': 'gh-short-1',
      'max-cost': '1000'
    })
    expect([run.code, run.outputs.result]).toEqual([1, 'error'])
    expect(annotations(run, 'error')).toEqual([
      '::error title=AI Gateway gate: error::Could not read every call of run "gh-short-1" (metadata "run_id"): read 999 distinct calls, the API counts 1000; page 1 came back with 49 of the 50 rows asked before the last page, and reading again did not find the rest. The gate does not pass on part of a selection.'
    ])
    expect(run.outputs['total-cost']).toBe('')
  })

  it('a page answered short once: read again, and the gate judges all 1000 calls', async () => {
    const gateway = freshGateway({ shortPages: { 1: { drop: 1, times: 1 } } })
    const logs = standIn.addRun({ runId: 'gh-short-2', calls: 1000, gateway })
    const run = await gate(gateway, {
      'run-id': 'gh-short-2',
      'max-cost': '1000'
    })
    expect([run.code, run.outputs.result]).toEqual([0, 'pass'])
    expect(run.outputs.count).toBe('1000')
    const units = costSum(logs).toString().padStart(11, '0')
    expect(Number(run.outputs['total-cost'])).toBe(
      Number(`${units.slice(0, -10)}.${units.slice(-10)}`)
    )
    // 21 pages, then page 20 (the tail) and the pages before it until the missing call turns up on page 1.
    expect(listRequestsOf(gateway).length).toBeLessThanOrEqual(21 + 21)
  })

  it('a server that answers 20 rows a page whatever per_page says: an error after the pages the total implies', async () => {
    const gateway = freshGateway({ rowsPerPage: 20 })
    standIn.addRun({ runId: 'gh-twenty', calls: 1000, gateway })
    const run = await gate(gateway, { 'run-id': 'gh-twenty' })
    expect([run.code, run.outputs.result]).toEqual([1, 'error'])
    expect(annotations(run, 'error')[0]).toContain(
      'read 420 distinct calls, the API counts 1000; page 1 came back with 20 of the 50 rows asked before the last page'
    )
  })

  it('rows shifting back a page as the oldest are deleted while the count lags: read again until all 120 are seen', async () => {
    const gateway = freshGateway({
      deleteOldest: { afterRequests: 1, count: 5 },
      staleTotal: true
    })
    const logs = standIn.addRun({ runId: 'gh-shift', calls: 120, gateway })
    const run = await gate(gateway, { 'run-id': 'gh-shift' })
    expect([run.code, run.outputs.result]).toEqual([0, 'pass'])
    // The five deleted calls were read before they went; the five that shifted back were read again.
    expect(run.outputs.count).toBe('120')
    expect(JSON.parse(run.outputs.metrics ?? '{}').count).toBe(logs.length)
  })

  it('report mode (fail-on-breach: false) says the same as a warning, and the step passes', async () => {
    const gateway = freshGateway({ shortPages: { 2: { drop: 3 } } })
    standIn.addRun({ runId: 'gh-short-3', calls: 120, gateway })
    const run = await gate(gateway, {
      'run-id': 'gh-short-3',
      'fail-on-breach': 'false'
    })
    expect([run.code, run.outputs.result]).toEqual([0, 'error'])
    expect(annotations(run, 'error')).toEqual([])
    expect(annotations(run, 'warning')).toEqual([
      '::warning title=AI Gateway gate (fail-on-breach is false)::Could not read every call of run "gh-short-3" (metadata "run_id"): read 117 distinct calls, the API counts 120; page 2 came back with 47 of the 50 rows asked before the last page, and reading again did not find the rest. The gate does not pass on part of a selection.'
    ])
  })

  it('a baseline that cannot be read whole is an error, not a missing baseline that skips its thresholds', async () => {
    const gateway = freshGateway({ shortPages: { 2: { drop: 1 } } })
    standIn.addRun({ runId: 'gh-base-1', calls: 1000, gateway, failed: 100 })
    standIn.addRun({ runId: 'gh-head-1', calls: 40, gateway })
    const run = await gate(gateway, {
      'run-id': 'gh-head-1',
      'baseline-run-id': 'gh-base-1',
      thresholds: 'error-rate <= baseline + 0.01'
    })
    expect([run.code, run.outputs.result]).toEqual([1, 'error'])
    expect(annotations(run, 'error')[0]).toContain(
      'Baseline: Could not read every call of run "gh-base-1" (metadata "run_id"): read 999 distinct calls, the API counts 1000'
    )
  })
})

describe('one call per id', () => {
  const template = (): Omit<StandInLog, 'id' | 'created_at'> => {
    const [log] = standIn.addRun({
      runId: 'template',
      calls: 1,
      gateway: 'gw-complete-templates'
    })
    const { id: _id, created_at: _created, ...rest } = log!
    return rest
  }
  const rows = (runId: string, ids: string[], costs: (i: number) => number) => {
    const base = template()
    const startMs = Date.now() - 60_000
    return ids.map((id, i) => ({
      ...base,
      id,
      created_at: new Date(startMs + i * 100).toISOString(),
      cost: costs(i),
      success: costs(i) < 10,
      status_code: costs(i) < 10 ? 200 : 500,
      metadata: JSON.stringify({ run_id: runId })
    }))
  }

  it.each([
    ['an empty id', ''],
    ['one id', 'dup']
  ])(
    '11 calls under %s, one costing 50 USD: an error, not one call',
    async (_name, id) => {
      const gateway = freshGateway()
      standIn.addLogs(
        rows(`gh-ids-${id}`, Array(11).fill(id), (i) => (i === 7 ? 50 : 0.001)),
        { gateway }
      )
      const run = await gate(gateway, {
        'run-id': `gh-ids-${id}`,
        'max-cost': '1'
      })
      expect([run.code, run.outputs.result]).toEqual([1, 'error'])
      expect(run.outputs.count).toBe('')
      expect(annotations(run, 'error')[0]).toMatch(
        id === ''
          ? /The API answered row 1 of page 1 of run "gh-ids-" \(metadata "run_id"\) with an empty id/
          : /The API answered two different calls with the id "dup" \(on page 1 and page 1\)/
      )
    }
  )

  it('the same id on two pages with different content: an error naming both pages', async () => {
    const gateway = freshGateway()
    const ids = Array.from({ length: 60 }, (_, i) => `call-${i}`)
    ids[55] = 'CALL-3'
    standIn.addLogs(
      rows('gh-ids-pages', ids, (i) => (i === 55 ? 9 : 0.001)),
      {
        gateway
      }
    )
    const run = await gate(gateway, { 'run-id': 'gh-ids-pages' })
    expect(annotations(run, 'error')).toEqual([
      '::error title=AI Gateway gate: error::The API answered two different calls with the id "CALL-3" (on page 1 and page 2) for run "gh-ids-pages" (metadata "run_id"): the gate cannot tell its calls apart'
    ])
  })
})

describe('an API that does not page as documented', () => {
  it('ignores page (the same 50 rows every time): says so after one batch, not after 101 requests', async () => {
    const gateway = freshGateway({ ignorePage: true })
    standIn.addRun({ runId: 'gh-same', calls: 1000, gateway })
    const run = await gate(gateway, { 'run-id': 'gh-same' })
    expect(annotations(run, 'error')).toEqual([
      '::error title=AI Gateway gate: error::Could not read every call of run "gh-same" (metadata "run_id"): read 50 distinct calls, the API counts 1000; the API repeated rows already read (pages 2-5 held only calls of earlier pages), as if it ignored the page asked for. The gate does not pass on part of a selection.'
    ])
    expect(listRequestsOf(gateway)).toHaveLength(5)
  })

  it('answers 200 rows when 50 were asked: an invalid answer', async () => {
    const gateway = freshGateway({ rowsPerPage: 200 })
    standIn.addRun({ runId: 'gh-big-page', calls: 2000, gateway })
    const run = await gate(gateway, {
      'run-id': 'gh-big-page',
      'max-logs': '10000'
    })
    expect(annotations(run, 'error')).toEqual([
      '::error title=AI Gateway gate: error::The API answered page 1 of run "gh-big-page" (metadata "run_id") with 200 rows, more than the 50 asked (per_page): it does not page as documented, so the gate cannot tell whether it saw every call'
    ])
  })

  it('a count far too low: the pages past it are read a few at a time, not one after another', async () => {
    const slow = await startStandIn({ listDelayMs: 100 })
    try {
      const gateway = 'gw-low-count'
      slow.setListQuirks(gateway, { fixedTotal: 10 })
      slow.addRun({ runId: 'gh-low', calls: 1000, gateway })
      const run = await gate(gateway, { 'run-id': 'gh-low' }, slow)
      expect(run.outputs.count).toBe('1000')
      const times = listRequestsOf(gateway, slow).map((r) => r.timeMs)
      // Pages 1-20 full, 21 empty: page 1, then 2-5, 6-9, 10-13, 14-17 and 18-21, each batch one round trip.
      expect(times).toHaveLength(21)
      const rounds = times.filter((t, i) => i === 0 || t - times[i - 1]! > 50)
      expect(rounds).toHaveLength(6)
    } finally {
      await slow.close()
    }
  })
})

describe('the request budget', () => {
  it('stops at request-budget with the calls read and counted, having made exactly that many requests', async () => {
    const gateway = freshGateway()
    standIn.addRun({ runId: 'gh-budget', calls: 2000, gateway })
    const run = await gate(gateway, {
      'run-id': 'gh-budget',
      'request-budget': '20'
    })
    expect([run.code, run.outputs.result]).toEqual([1, 'error'])
    expect(annotations(run, 'error')).toEqual([
      '::error title=AI Gateway gate: error::Could not read every call of run "gh-budget" (metadata "run_id"): read 1000 distinct calls, the API counts 2000; the request budget is spent (request-budget allows 20 Cloudflare API requests; Cloudflare allows 1200 per 5 minutes per user): narrow the selection, or raise request-budget. The gate does not pass on part of a selection.'
    ])
    expect(listRequestsOf(gateway)).toHaveLength(20)
  })

  it('late logs trickling onto pages already read, with expected-logs: stays within 300 requests and never meets the rate limit', async () => {
    const limited = await startStandIn()
    try {
      limited.setRateLimit({ limit: 1200 })
      const gateway = 'gw-trickle'
      limited.addRun({
        runId: 'gh-trickle',
        calls: 3000,
        gateway,
        late: 600,
        lateMs: 200,
        lateSpreadMs: 60_000
      })
      const run = await gate(
        gateway,
        {
          'run-id': 'gh-trickle',
          'expected-logs': '3000',
          'wait-timeout': '60',
          'max-logs': '5000'
        },
        limited
      )
      expect([run.code, run.outputs.result]).toEqual([1, 'error'])
      expect(annotations(run, 'error')[0]).toMatch(
        /read \d+ distinct calls, the API counts \d+ and 3000 are expected \(expected-logs\); the request budget is spent \(request-budget allows 300/
      )
      expect(limited.logRequests().length).toBe(300)
      expect(limited.rateLimited()).toBe(0)
    } finally {
      await limited.close()
    }
  })
})
