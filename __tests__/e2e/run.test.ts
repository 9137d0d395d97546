// End to end, many calls: the built dist/index.js run as a child process, as a runner runs it (every
// action.yml default passed as INPUT_*, as the runner passes them), against the local stand-in of the
// Cloudflare API on 127.0.0.1, which serves the list endpoint as the API does (JSON `filters` only,
// metadata key and value matched independently, created_at compared at whole seconds, per_page <= 50,
// total_count). Run `npm run build` after changing src/. `settle` is '0' (or short) wherever settling
// is not the subject, so that each test takes a fraction of a second.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { runAction } from '../../scripts/run-action.mjs'
import {
  DEMO_ACCOUNT,
  DEMO_GATEWAY,
  startStandIn,
  type StandIn,
  type StandInLog,
  type StandInRequest
} from '../../scripts/stand-in.mjs'
import { LOG_FIELD_OUTPUTS } from '../helpers/fixtures.js'
import { formatDuration, formatUsd } from '../../src/inputs/units.js'

let standIn: StandIn
beforeAll(async () => {
  standIn = await startStandIn()
})
afterAll(async () => {
  await standIn.close()
})

/** action.yml's defaults, as the runner passes them when a workflow leaves an input out. */
const actionInputs = (
  parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as {
    inputs: Record<string, { default?: string }>
  }
).inputs
const runnerDefaults = (): Record<string, string> =>
  Object.fromEntries(
    Object.entries(actionInputs)
      .filter(([, input]) => input.default !== undefined)
      // `${{ github.token }}` is the job's GITHUB_TOKEN on a runner.
      .map(([name, input]) => [
        name,
        input.default!.startsWith('${{') ? standIn.githubToken : input.default!
      ])
  )

const gate = (
  inputs: Record<string, string>,
  options: Parameters<typeof runAction>[1] = {}
) =>
  runAction(
    {
      ...runnerDefaults(),
      'api-token': standIn.token,
      'account-id': DEMO_ACCOUNT,
      'gateway-id': DEMO_GATEWAY,
      'api-url': standIn.apiUrl,
      ...inputs
    },
    options
  )

type Call = StandInLog & {
  cost?: number
  duration: number
  tokens_in: number
  tokens_out: number
  success: boolean
  model: string
  provider: string
}
const calls = (logs: StandInLog[]) => logs as Call[]

/** The list requests made since `before` (a count of list requests). */
const listedSince = (before: number): StandInRequest[] =>
  standIn.listRequests().slice(before)
const query = (r: StandInRequest) => new URLSearchParams(r.query)
const pageOf = (r: StandInRequest) => Number(query(r).get('page'))
const filtersOf = (r: StandInRequest) =>
  JSON.parse(query(r).get('filters') ?? 'null') as {
    key: string
    operator: string
    value: unknown[]
  }[]
const annotations = (stdout: string, kind: 'error' | 'warning') =>
  stdout.split('\n').filter((l) => l.startsWith(`::${kind}`))

const iso = (ms: number) => new Date(ms).toISOString()

// What the action must compute, computed here independently from the calls the stand-in was given.

/** The exact decimal sum of costs the stand-in wrote with at most 10 decimals, rounded once to a double. */
function exactCostSum(costs: number[]): number {
  const units = costs.reduce(
    (sum, cost) => sum + BigInt(Math.round(cost * 1e10)),
    0n
  )
  const digits = units.toString().padStart(11, '0')
  return Number(`${digits.slice(0, -10)}.${digits.slice(-10)}`)
}

/** Nearest rank: the value at rank ceil(p/100 × N) in ascending order. */
const nearestRank = (sorted: number[], p: number) =>
  sorted[Math.max(1, Math.ceil((p * sorted.length) / 100)) - 1]!

function aggregates(values: number[], sum: number) {
  const sorted = [...values].sort((a, b) => a - b)
  return {
    sum,
    avg: sum / values.length,
    min: sorted[0],
    max: sorted.at(-1),
    p50: nearestRank(sorted, 50),
    p90: nearestRank(sorted, 90),
    p95: nearestRank(sorted, 95),
    p99: nearestRank(sorted, 99)
  }
}

const integerAggregates = (values: number[]) =>
  aggregates(
    values,
    values.reduce((a, b) => a + b, 0)
  )

function expectedMetrics(logs: Call[]) {
  const errors = logs.filter((l) => !l.success).length
  return {
    count: logs.length,
    errors,
    'error-rate': errors / logs.length,
    cached: 0,
    'cache-rate': 0,
    cost: aggregates(
      logs.map((l) => l.cost!),
      exactCostSum(logs.map((l) => l.cost!))
    ),
    duration: integerAggregates(logs.map((l) => l.duration)),
    'tokens-in': integerAggregates(logs.map((l) => l.tokens_in)),
    'tokens-out': integerAggregates(logs.map((l) => l.tokens_out)),
    tokens: integerAggregates(logs.map((l) => l.tokens_in + l.tokens_out))
  }
}

/** The `n` calls with the highest value, highest first; ties to the earlier call, then the smaller id. */
const topIds = (logs: Call[], value: (l: Call) => number, n = 5) =>
  [...logs]
    .sort(
      (a, b) =>
        value(b) - value(a) ||
        a.created_at.localeCompare(b.created_at) ||
        (a.id < b.id ? -1 : 1)
    )
    .slice(0, n)
    .map((l) => l.id)

describe('each way of selecting calls', () => {
  it('run-id: every call of the run, read in ceil(120/50) = 3 list requests with the JSON filters, and the outputs count, total-cost and metrics', async () => {
    const logs = calls(
      standIn.addRun({ runId: 'gh-120-1', calls: 120, failed: 3 })
    )
    const before = standIn.listRequests().length
    const run = await gate({
      'run-id': 'gh-120-1',
      settle: '0',
      'require-success': 'false'
    })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.outputs.result).toBe('pass')

    const listed = listedSince(before)
    expect(listed.map(pageOf).sort()).toEqual([1, 2, 3])
    for (const r of listed) {
      // One `filters` parameter holding the JSON array (the flattened form is ignored by the API), 50 a page, oldest first.
      expect(query(r).getAll('filters')).toHaveLength(1)
      expect(filtersOf(r).slice(0, 2)).toEqual([
        { key: 'metadata.key', operator: 'eq', value: ['run_id'] },
        { key: 'metadata.value', operator: 'eq', value: ['gh-120-1'] }
      ])
      expect(query(r).get('per_page')).toBe('50')
      expect([
        query(r).get('order_by'),
        query(r).get('order_by_direction')
      ]).toEqual(['created_at', 'asc'])
    }
    // The upper bound is fixed for the whole read.
    expect(new Set(listed.map((r) => JSON.stringify(filtersOf(r)))).size).toBe(
      1
    )

    const expected = expectedMetrics(logs)
    expect(run.outputs.count).toBe('120')
    expect(run.outputs['total-cost']).toBe(String(expected.cost.sum))
    const metrics = JSON.parse(run.outputs.metrics ?? '') as Record<
      string,
      unknown
    >
    // The shape, key for key and in order: five numbers, then five distributions of eight aggregates.
    expect(Object.keys(metrics)).toEqual([
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
    for (const name of [
      'cost',
      'duration',
      'tokens-in',
      'tokens-out',
      'tokens'
    ]) {
      expect(Object.keys(metrics[name] as object)).toEqual([
        'sum',
        'avg',
        'min',
        'max',
        'p50',
        'p90',
        'p95',
        'p99'
      ])
    }
    const { cost, ...rest } = metrics as {
      cost: Record<string, number>
    } & Record<string, unknown>
    const { cost: expectedCost, ...expectedRest } = expected
    expect(rest).toEqual(expectedRest)
    expect({ ...cost, avg: 0 }).toEqual({ ...expectedCost, avg: 0 })
    expect(cost.avg).toBeCloseTo(expectedCost.avg, 15)
    expect(run.outputs.failures).toBe('[]')
    expect(run.outputs.warnings).toBe('[]')
  })

  it('run-id: a full last page takes one more request to see the end (ceil(100/50) + 1), and settle one more', async () => {
    standIn.addRun({ runId: 'gh-100-1', calls: 100 })
    let before = standIn.listRequests().length
    const once = await gate({ 'run-id': 'gh-100-1', settle: '0' })
    expect(once.outputs.count).toBe('100')
    expect(listedSince(before).map(pageOf).sort()).toEqual([1, 2, 3])

    before = standIn.listRequests().length
    const settled = await gate({ 'run-id': 'gh-100-1', settle: '200ms' })
    expect(settled.code).toBe(0)
    expect(settled.outputs.count).toBe('100')
    const listed = listedSince(before)
    // Pages 2 and 3 are read together; then the settle check reads the tail page again, 200 ms later.
    expect(listed.slice(0, 3).map(pageOf).sort()).toEqual([1, 2, 3])
    expect(listed.slice(3).map(pageOf)).toEqual([3])
    expect(
      listed[3]!.timeMs - Math.max(...listed.slice(0, 3).map((r) => r.timeMs))
    ).toBeGreaterThanOrEqual(190)
  })

  it('log-ids: each id fetched by its GET, repeated ids once, no list request; the log field outputs stay empty', async () => {
    const logs = calls(standIn.addRun({ runId: 'gh-ids-1', calls: 5 }))
    const ids = logs.slice(0, 3).map((l) => l.id)
    const beforeList = standIn.listRequests().length
    const beforeGets = standIn.logRequests().length
    const run = await gate({
      'log-ids': `${ids[0]}, ${ids[1]}\n${ids[2]} ${ids[0]}`,
      'max-cost': '$1'
    })
    expect(run.code).toBe(0)
    expect(run.outputs.count).toBe('3')
    expect(run.outputs['total-cost']).toBe(
      String(exactCostSum(logs.slice(0, 3).map((l) => l.cost!)))
    )
    expect(standIn.listRequests().length).toBe(beforeList)
    const fetched = standIn
      .logRequests()
      .slice(beforeGets)
      .map((r) => r.path.split('/').at(-1))
    expect(fetched.sort()).toEqual([...ids].sort())
    for (const name of [...LOG_FIELD_OUTPUTS, 'log'])
      expect([name, run.outputs[name]]).toEqual([name, ''])
    expect(run.summary).toContain('| **all calls** | 3 |')
  })

  it('since alone: every call of the gateway in the window, whatever its metadata; until ends it', async () => {
    const gateway = 'window-gateway'
    const nowMs = Date.now()
    // 20 calls 30 s apart, from 9 min 45 s ago to 15 s ago: ten in the last 5 minutes, none within 15 s of its edge.
    standIn.addRun({
      runId: 'nightly-a',
      calls: 20,
      gateway,
      spacingMs: 30_000,
      startMs: nowMs - 585_000
    })
    // Four calls of another run (and key), all in the last 5 minutes.
    standIn.addRun({
      runId: 'nightly-b',
      key: 'job',
      calls: 4,
      gateway,
      spacingMs: 60_000,
      startMs: nowMs - 270_000
    })

    let before = standIn.listRequests().length
    const run = await gate({ 'gateway-id': gateway, since: '5m', settle: '0' })
    expect(run.code).toBe(0)
    expect(run.outputs.count).toBe('14')
    const listed = listedSince(before)
    expect(listed).toHaveLength(1)
    const filters = filtersOf(listed[0]!)
    expect(filters.map((f) => `${f.key} ${f.operator}`)).toEqual([
      'created_at gt',
      'created_at lt'
    ])
    expect(run.summary).toMatch(
      /Cloudflare AI Gateway calls from \d{4}-\d\d-\d\dT[\d:]+Z to now · gateway window-gateway/
    )

    // An ISO window from 10 minutes ago to 5 minutes ago: the first run's ten earlier calls.
    before = standIn.listRequests().length
    const earlier = await gate({
      'gateway-id': gateway,
      since: iso(nowMs - 600_000),
      until: iso(nowMs - 300_000),
      settle: '0'
    })
    expect(earlier.code).toBe(0)
    expect(earlier.outputs.count).toBe('10')
    expect(
      filtersOf(listedSince(before)[0]!).find((f) => f.operator === 'lt')?.value
    ).toEqual([
      iso(Math.ceil((nowMs - 300_000) / 1000) * 1000).replace('.000Z', 'Z')
    ])
  })

  it('run-id with since: the run narrowed to the window', async () => {
    const nowMs = Date.now()
    standIn.addRun({
      runId: 'gh-long-1',
      calls: 20,
      spacingMs: 30_000,
      startMs: nowMs - 585_000
    })
    standIn.addRun({
      runId: 'gh-other-1',
      calls: 6,
      spacingMs: 30_000,
      startMs: nowMs - 200_000
    })
    const before = standIn.listRequests().length
    const run = await gate({ 'run-id': 'gh-long-1', since: '5m', settle: '0' })
    expect(run.code).toBe(0)
    expect(run.outputs.count).toBe('10')
    expect(filtersOf(listedSince(before)[0]!).map((f) => f.key)).toEqual([
      'metadata.key',
      'metadata.value',
      'created_at',
      'created_at'
    ])
    expect(run.summary).toMatch(
      /run "gh-long-1" \\\(metadata "run\\_id"\\\), created from \d{4}-/
    )
  })

  it('reads 1000 calls in 21 list requests: the 20 pages the total implies and one to see the end', async () => {
    standIn.addRun({
      runId: 'gh-1000-1',
      calls: 1000,
      gateway: 'big-gateway',
      spacingMs: 10
    })
    const before = standIn.listRequests().length
    const run = await gate({
      'gateway-id': 'big-gateway',
      'run-id': 'gh-1000-1',
      settle: '0'
    })
    expect(run.code).toBe(0)
    expect(run.outputs.count).toBe('1000')
    expect(
      listedSince(before)
        .map(pageOf)
        .sort((a, b) => a - b)
    ).toEqual(Array.from({ length: 21 }, (_, i) => i + 1))
  })
})

describe('what the API matches loosely, and selections that are wrong', () => {
  it('does not count a call whose metadata has the run key with another value and the run id under another key', async () => {
    const run2 = calls(standIn.addRun({ runId: 'gh-2', calls: 30 }))
    // {"run_id":"gh-1","note":"gh-2"}: the API's metadata.key eq run_id and metadata.value eq gh-2 both match it.
    const [trap] = standIn.addRun({
      runId: 'gh-1',
      calls: 1,
      metadata: { note: 'gh-2' }
    })
    expect(JSON.parse(String(trap!.metadata))).toEqual({
      run_id: 'gh-1',
      note: 'gh-2'
    })
    // A call of the run whose metadata the API returns as an object, not a JSON string: it counts.
    const [asObject] = standIn.addLogs([
      { ...run2[0]!, id: 'metadata-as-object', metadata: { run_id: 'gh-2' } }
    ])

    const before = standIn.listRequests().length
    const run = await gate({
      'run-id': 'gh-2',
      settle: '0',
      'require-success': 'false'
    })
    expect(run.code).toBe(0)
    expect(run.outputs.count).toBe('31')
    expect(run.outputs['total-cost']).toBe(
      String(exactCostSum([...run2, asObject as Call].map((l) => l.cost!)))
    )

    // The API did return the trap: the action checked every row again.
    const [request] = listedSince(before)
    const answer = (await (
      await fetch(`${standIn.origin}${request!.path}${request!.query}`, {
        headers: { authorization: `Bearer ${standIn.token}` }
      })
    ).json()) as {
      result: { id: string }[]
      result_info: { total_count: number }
    }
    expect(answer.result_info.total_count).toBe(32)
    expect(answer.result.map((r) => r.id)).toContain(trap!.id)
    expect(run.summary).not.toContain(trap!.id)
  })

  it('fails an empty run naming the run id, its key and the likely causes; expected-logs 0 passes it', async () => {
    const before = standIn.requests.length
    const run = await gate({
      'run-id': 'gh-none-1',
      'run-id-key': 'eval_run',
      settle: '0',
      'wait-timeout': '0'
    })
    expect(run.code).toBe(1)
    expect(run.outputs.result).toBe('error')
    const [error, ...more] = annotations(run.stdout, 'error')
    expect(more).toEqual([])
    expect(error).toContain(
      `No calls found for run "gh-none-1" (metadata "eval_run") in gateway "${DEMO_GATEWAY}" of account "${DEMO_ACCOUNT}"`
    )
    expect(error).toContain(
      'did not send the cf-aig-metadata header with this run id and key'
    )
    expect(error).toContain('went through another gateway')
    expect(error).toContain('Set expected-logs: 0 if an empty run is fine')
    expect(run.outputs.count).toBe('')
    expect(run.summary).toContain('No calls found for run')
    // One list request, and one to ask where the account keeps its logs.
    expect(
      standIn.requests.slice(before).map((r) => r.path.split('/').at(-1))
    ).toEqual(['logs', 'logging-state'])

    const accepted = await gate({
      'run-id': 'gh-none-1',
      'run-id-key': 'eval_run',
      settle: '0',
      'expected-logs': '0'
    })
    expect(accepted.code).toBe(0)
    expect(accepted.outputs.result).toBe('pass')
    expect(accepted.outputs.count).toBe('0')
    expect(JSON.parse(accepted.outputs.metrics ?? '')).toMatchObject({
      count: 0,
      errors: 0,
      'error-rate': null,
      cost: { sum: null, p95: null }
    })
  })

  it('fails an empty window naming it and the likely causes', async () => {
    const run = await gate({
      'gateway-id': 'quiet-gateway',
      since: '1h',
      settle: '0',
      'wait-timeout': '0'
    })
    expect(run.code).toBe(1)
    const [error] = annotations(run.stdout, 'error')
    expect(error).toMatch(
      /No calls found for calls from \d{4}-\d\d-\d\dT[\d:]+Z to now in gateway "quiet-gateway"/
    )
    expect(error).toContain(
      'a wrong gateway-id, no traffic in the window, or logging turned off'
    )
  })

  it('stops after one list request when more calls match than max-logs, saying how many', async () => {
    standIn.addRun({ runId: 'gh-many-1', calls: 120 })
    const before = standIn.listRequests().length
    const run = await gate({
      'run-id': 'gh-many-1',
      'max-logs': '100',
      settle: '0'
    })
    expect(run.code).toBe(1)
    expect(run.outputs.result).toBe('error')
    expect(annotations(run.stdout, 'error')).toEqual([
      '::error title=AI Gateway gate%3A error::120 calls match run "gh-many-1" (metadata "run_id"), more than max-logs (100): narrow the selection (a run id, a shorter window, filters) or raise max-logs'
    ])
    expect(listedSince(before)).toHaveLength(1)
    expect(run.outputs.count).toBe('')
  })
})

describe('calls written late', () => {
  it('expected-logs: waits, reading again about once a second, until every call is there', async () => {
    // Ten calls spread over the run become visible 1.5 s from now: their created_at lies among the calls already listed.
    standIn.addRun({ runId: 'gh-late-1', calls: 60, late: 10, lateMs: 1500 })
    const before = standIn.listRequests().length
    const run = await gate({
      'run-id': 'gh-late-1',
      'expected-logs': '60',
      'wait-timeout': '10',
      settle: '0'
    })
    expect(run.code).toBe(0)
    expect(run.outputs.count).toBe('60')
    const listed = listedSince(before)
    // The first read (pages 1 and 2), then a poll about once a second.
    const polls = listed
      .slice(2)
      .filter((r, i, all) => i === 0 || r.timeMs - all[i - 1]!.timeMs > 100)
    for (let i = 1; i < polls.length; i++)
      expect(polls[i]!.timeMs - polls[i - 1]!.timeMs).toBeGreaterThanOrEqual(
        950
      )
    expect(listed.length).toBeLessThanOrEqual(2 + 3 * 2)
  })

  it('expected-logs: "found N of M" when they never all come, after wait-timeout', async () => {
    standIn.addRun({ runId: 'gh-lost-1', calls: 60, late: 10, lateMs: 600_000 })
    const before = standIn.listRequests().length
    const run = await gate({
      'run-id': 'gh-lost-1',
      'expected-logs': '60',
      'wait-timeout': '2',
      settle: '0'
    })
    expect(run.code).toBe(1)
    expect(annotations(run.stdout, 'error')).toEqual([
      '::error title=AI Gateway gate%3A error::Found 50 of 60 expected calls for run "gh-lost-1" (metadata "run_id") after waiting 2 s (wait-timeout)'
    ])
    expect(run.outputs.count).toBe('')
    // About once a second: the first read and two or three polls.
    expect(listedSince(before).length).toBeLessThanOrEqual(2 + 3)
  })

  it('settle: counts the calls that become visible during the pause, and looks until two checks agree', async () => {
    standIn.addRun({ runId: 'gh-settle-1', calls: 40, late: 5, lateMs: 1200 })
    const before = standIn.listRequests().length
    const run = await gate({ 'run-id': 'gh-settle-1', settle: '1500ms' })
    expect(run.code).toBe(0)
    expect(run.outputs.count).toBe('40')
    const listed = listedSince(before)
    expect(listed.map(pageOf)).toEqual([1, 1, 1]) // the read, the check that found 5 more, the check that agreed
    expect(listed[1]!.timeMs - listed[0]!.timeMs).toBeGreaterThanOrEqual(1450)
  })

  it('settle 0: one read, no second look', async () => {
    standIn.addRun({ runId: 'gh-settle-2', calls: 40, late: 5, lateMs: 20_000 })
    const before = standIn.listRequests().length
    const run = await gate({ 'run-id': 'gh-settle-2', settle: '0' })
    expect(run.outputs.count).toBe('35')
    expect(listedSince(before)).toHaveLength(1)
  })

  it('a window without until ends when the read starts: a busy gateway settles, and later calls do not join', async () => {
    const gateway = 'busy-gateway'
    standIn.addRun({
      runId: 'before',
      calls: 30,
      gateway,
      spacingMs: 10_000,
      startMs: Date.now() - 305_000
    })
    const [template] = standIn.addRun({
      runId: 'template',
      calls: 1,
      gateway: 'template-gateway'
    })
    const busy: number[] = []
    // A call every 200 ms from the moment the step starts, for as long as it runs.
    const traffic = setInterval(() => {
      busy.push(Date.now())
      standIn.addLogs(
        [
          {
            ...template!,
            id: `busy-${busy.length}`,
            created_at: iso(busy.at(-1)!)
          }
        ],
        { gateway }
      )
    }, 200)
    try {
      const run = await gate(
        { 'gateway-id': gateway, since: '10m', settle: '1' },
        { timeoutMs: 15_000 }
      )
      expect(run.code).toBe(0)
      // The read started between the spawn and the first list request: the calls made up to then count, none after.
      const firstListMs = standIn
        .listRequests()
        .find((r) => r.path.includes(gateway))!.timeMs
      const count = Number(run.outputs.count)
      expect(count).toBeGreaterThanOrEqual(30)
      expect(count).toBeLessThanOrEqual(
        30 + busy.filter((ms) => ms <= firstListMs).length
      )
      // It settled while the traffic went on: calls were made after the read started that it did not count.
      expect(busy.length - (count - 30)).toBeGreaterThanOrEqual(3)
    } finally {
      clearInterval(traffic)
    }
  })
})

describe('faults while paging', () => {
  it('waits out a 429 on page 3 (Retry-After) and still counts every call', async () => {
    standIn.addRun({ runId: 'gh-429-1', calls: 180 })
    standIn.failListPage(3, { status: 429, retryAfterS: 1 })
    const before = standIn.listRequests().length
    const run = await gate({ 'run-id': 'gh-429-1', settle: '0' })
    expect(run.code).toBe(0)
    expect(run.outputs.count).toBe('180')
    const listed = listedSince(before)
    expect(listed.map(pageOf).sort()).toEqual([1, 2, 3, 3, 4])
    const [first, again] = listed.filter((r) => pageOf(r) === 3)
    expect(again!.timeMs - first!.timeMs).toBeGreaterThanOrEqual(950)
  })

  it('never gates on part of a run: a page that cannot be read is an error, with no count', async () => {
    standIn.addRun({ runId: 'gh-503-1', calls: 120 })
    standIn.failListPage(2, { status: 503, times: 5 })
    try {
      const run = await gate({
        'run-id': 'gh-503-1',
        settle: '0',
        'max-retries': '1'
      })
      expect(run.code).toBe(1)
      expect(run.outputs.result).toBe('error')
      expect(run.outputs.count).toBe('')
      expect(run.outputs['total-cost']).toBe('')
      expect(annotations(run.stdout, 'error')[0]).toContain(
        `The API did not answer for page 2 of the logs of gateway "${DEMO_GATEWAY}"`
      )
    } finally {
      standIn.failListPage(2, { times: 0 })
    }
  })
})

describe('thresholds and limits over a run', () => {
  let logs: Call[]
  beforeAll(() => {
    logs = calls(standIn.addRun({ runId: 'gh-gate-1', calls: 120, failed: 3 }))
  })

  it('a warn-level breach only warns: exit 0, a warning annotation, the warnings output', async () => {
    const run = await gate({
      'run-id': 'gh-gate-1',
      settle: '0',
      'require-success': 'false',
      thresholds: 'cost <= $5\nwarn: error-rate < 1%'
    })
    expect(run.code).toBe(0)
    expect(run.outputs.result).toBe('pass')
    expect(annotations(run.stdout, 'error')).toEqual([])
    expect(annotations(run.stdout, 'warning')).toEqual([
      '::warning title=AI Gateway gate (warning)::error-rate 2.5%25 (3 of 120 calls) >= 1%25'
    ])
    expect(JSON.parse(run.outputs.warnings ?? '')).toEqual([
      {
        metric: 'error-rate',
        input: 'thresholds',
        actual: 0.025,
        operator: '<',
        limit: 0.01,
        unit: 'fraction',
        call: null,
        message: 'error-rate 2.5% (3 of 120 calls) >= 1%'
      }
    ])
    expect(run.outputs.failures).toBe('[]')
  })

  it('an error-level breach fails the job with an annotation, after writing outputs; the warning stands beside it', async () => {
    const p95 = nearestRank(
      logs.map((l) => l.duration).sort((a, b) => a - b),
      95
    )
    const run = await gate({
      'run-id': 'gh-gate-1',
      settle: '0',
      'max-cost': '$5',
      thresholds: 'duration.p95 < 1s\nwarn: count >= 200'
    })
    expect(run.code).toBe(1)
    expect(run.outputs.result).toBe('fail')
    // The call at that rank, ties in created_at order, then by id.
    const ranked = [...logs].sort(
      (a, b) =>
        a.duration - b.duration ||
        a.created_at.localeCompare(b.created_at) ||
        (a.id < b.id ? -1 : 1)
    )
    const p95Call = ranked[Math.ceil(0.95 * ranked.length) - 1]!.id
    expect(ranked[Math.ceil(0.95 * ranked.length) - 1]!.duration).toBe(p95)
    expect(annotations(run.stdout, 'error')).toEqual([
      '::error title=AI Gateway gate::errors 3 of 120 calls != 0 (require-success)',
      `::error title=AI Gateway gate::duration.p95 ${p95} ms >= 1000 ms (call ${p95Call})`
    ])
    expect(annotations(run.stdout, 'warning')).toEqual([
      '::warning title=AI Gateway gate (warning)::count 120 calls < 200'
    ])
    expect(
      JSON.parse(run.outputs.failures ?? '').map(
        (f: { metric: string }) => f.metric
      )
    ).toEqual(['errors', 'duration.p95'])
    expect(
      JSON.parse(run.outputs.warnings ?? '').map(
        (f: { metric: string }) => f.metric
      )
    ).toEqual(['count'])
    expect(run.outputs.count).toBe('120')
    // The annotations keep the exact numbers; the report says them rounded, failures first.
    expect(run.summary).toContain(
      [
        '### ❌ AI Gateway gate: failed · 2 of 3 checks failed · 1 warning',
        '',
        '- ❌ errors 3 of 120 calls \\!= 0 \\(require-success\\)',
        `- ❌ duration.p95 ${formatDuration(p95)} &gt;= 1 s \\(call ${p95Call}\\)`,
        '- ⚠️ warning: count 120 calls &lt; 200',
        ''
      ].join('\n')
    )
  })

  it('the run report: headline, one table of the calls per model, thresholds, failed calls, costliest and slowest calls with ids, a histogram', async () => {
    const run = await gate({
      'run-id': 'gh-gate-1',
      settle: '0',
      'require-success': 'false',
      'max-cost': '$5',
      thresholds: 'duration.p95 < 8s\nwarn: error-rate < 1%'
    })
    expect(run.code).toBe(0)
    const s = run.summary
    const expected = expectedMetrics(logs)
    expect(
      s.startsWith(
        '### ✅ AI Gateway gate: passed · all 2 checks passed · 1 warning\n\n- ⚠️ warning: error-rate 2.5% \\(3 of 120 calls\\) &gt;= 1%\n\n'
      )
    ).toBe(true)
    expect(s).toContain(
      [
        '| Metric | Actual | Limit | Level | Result |',
        '| --- | --- | --- | --- | --- |',
        `| cost.sum | ${formatUsd(expected.cost.sum)} | ≤ 5.00 USD | error | ✅ pass |`,
        `| duration.p95 | ${formatDuration(expected.duration.p95!)} | &lt; 8 s | error | ✅ pass |`,
        '| error-rate | 2.5% \\(3 of 120 calls\\) | &lt; 1% | warn | ⚠️ warn |'
      ].join('\n')
    )
    // Per model: calls, cost, p95 duration, tokens and errors, costliest model first, after a row for all
    // calls; amounts rounded for people, each kept on one line with its unit; no provider column.
    const nb = (text: string) => text.replace(/ (USD|ms|s)$/, '\u00a0$1')
    const models = [...new Set(logs.map((l) => l.model))].map((model) => {
      const of = logs.filter((l) => l.model === model)
      const durations = of.map((l) => l.duration).sort((a, b) => a - b)
      const costUsd = exactCostSum(of.map((l) => l.cost!))
      const sum = (f: (l: Call) => number) =>
        of.reduce((total, l) => total + f(l), 0)
      const row = `| ${model} | ${of.length} | ${nb(formatUsd(costUsd))} | ${nb(formatDuration(nearestRank(durations, 95)))} | ${sum((l) => l.tokens_in)} / ${sum((l) => l.tokens_out)} | ${of.filter((l) => !l.success).length} |`
      return { costUsd, row }
    })
    expect(models.length).toBeGreaterThan(1)
    const all = `| **all calls** | 120 | ${nb(formatUsd(expected.cost.sum))} | ${nb(formatDuration(expected.duration.p95!))} | ${expected['tokens-in'].sum} / ${expected['tokens-out'].sum} | 3\u00a0(2.5%) |`
    expect(s).toContain(
      [
        '| Model | Calls | Cost | p95 duration | Tokens in / out | Errors |',
        '| --- | ---: | ---: | ---: | ---: | ---: |',
        all,
        ...models.sort((a, b) => b.costUsd - a.costUsd).map((m) => m.row)
      ].join('\n')
    )
    // The calls that failed, by id, model and status code.
    const failed = logs.filter((l) => !l.success)
    expect(s).toContain(
      [
        '**Failed calls** (3 of 120 calls)',
        '',
        '| Call | Model | Status code |',
        '| --- | --- | ---: |',
        ...failed.map((l) => `| ${l.id} | ${l.model} | 500 |`)
      ].join('\n')
    )
    // The five costliest and the five slowest, by id, in order.
    const idsAfter = (title: string) => {
      const block = s.slice(s.indexOf(`**${title}**`)).split('\n\n')[1]!
      return block
        .split('\n')
        .slice(2)
        .map((row) =>
          row.split(' | ')[0]!.replace(/^\| /, '').replace(/ ❌$/, '')
        )
    }
    expect(idsAfter('Costliest calls')).toEqual(topIds(logs, (l) => l.cost!))
    expect(idsAfter('Slowest calls')).toEqual(topIds(logs, (l) => l.duration))
    // No baseline: no cost chart (the table says it); one histogram that counts every call and marks the p95.
    const blocks = [...s.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map(
      (m) => m[1]!
    )
    expect(blocks).toHaveLength(1)
    expect(blocks[0]!.split('\n')[1]).toBe('xychart-beta horizontal')
    expect(blocks[0]).toContain(
      `title "Calls by duration, p95 ${formatDuration(expected.duration.p95!)} (amber from there), limit 8 s"`
    )
    const counted = [...blocks[0]!.matchAll(/bar \[([\d, ]+)\]/g)]
      .flatMap((m) => m[1]!.split(', ').map(Number))
      .reduce((a, b) => a + b, 0)
    expect(counted).toBe(120)
    expect(run.outputs.markdown?.trim()).toBe(s.trim())
  })

  it('fails closed on a cost limit when calls have no cost, naming how many', async () => {
    standIn.addRun({ runId: 'gh-nocost-1', calls: 40, withoutCost: 3 })
    const run = await gate({
      'run-id': 'gh-nocost-1',
      settle: '0',
      'max-cost': '$5',
      thresholds: 'warn: cost.p95 <= $1'
    })
    expect(run.code).toBe(1)
    expect(run.outputs.result).toBe('fail')
    expect(annotations(run.stdout, 'error')).toEqual([
      '::error title=AI Gateway gate::cost.sum unknown: 3 of 40 calls report no cost (limit <= 5 USD) (max-cost)'
    ])
    expect(annotations(run.stdout, 'warning')).toEqual([
      '::warning title=AI Gateway gate (warning)::cost.p95 unknown: 3 of 40 calls report no cost (limit <= 1 USD)'
    ])
    expect(run.outputs.count).toBe('40')
    expect(run.outputs['total-cost']).toBe('')
    expect(JSON.parse(run.outputs.metrics ?? '').cost).toEqual({
      sum: null,
      avg: null,
      min: null,
      max: null,
      p50: null,
      p90: null,
      p95: null,
      p99: null
    })
    expect(JSON.parse(run.outputs.failures ?? '')[0]).toMatchObject({
      metric: 'cost.sum',
      input: 'max-cost',
      actual: null,
      limit: 5
    })
    expect(run.summary).toContain('| **all calls** | 40 | — |')
    expect(run.summary).toContain(
      '- ❌ cost.sum unknown: 3 of 40 calls report no cost \\(limit &lt;= 5.00 USD\\) \\(max-cost\\)'
    )
  })
})

describe('a hostile model name in a run', () => {
  const HOSTILE =
    '<img src=x onerror=alert(1)> evil" : 999\n```\n%%{init: {"theme":"forest"}}%%\n`tick` [x](javascript:alert(1)) | pipe'

  it('breaks neither the Mermaid blocks nor the tables, and injects no HTML', async () => {
    const models = [
      {
        provider: '<script>alert(1)</script>',
        model: HOSTILE,
        inUsd: 10e-6,
        outUsd: 30e-6
      },
      {
        provider: 'openai',
        model: 'gpt-4o-mini',
        inUsd: 0.15e-6,
        outUsd: 0.6e-6
      }
    ]
    // With a baseline, so that the model names are drawn in the cost chart too.
    standIn.addRun({ runId: 'gh-hostile-0', calls: 30, models })
    standIn.addRun({ runId: 'gh-hostile-1', calls: 30, models })
    const run = await gate({
      'run-id': 'gh-hostile-1',
      'baseline-run-id': 'gh-hostile-0',
      settle: '0',
      'max-cost': '$5'
    })
    expect(run.code).toBe(0)
    const s = run.summary
    expect(s).not.toMatch(/<img|<script|\]\(javascript/i)
    // The only init directives are the charts' own theme lines.
    const theme =
      /^%%\{init: \{"theme": "base", "themeVariables": \{"xyChart": \{"plotColorPalette": "(#[0-9a-f]{6}(, )?)+"\}\}\}\}%%$/
    const directives = s.split('\n').filter((l) => l.includes('%%{'))
    expect(directives).toHaveLength(2)
    for (const line of directives) expect(line).toMatch(theme)
    // The only fence lines are the two Mermaid blocks' own.
    expect(s.split('\n').filter((l) => l.startsWith('```'))).toEqual([
      '```mermaid',
      '```',
      '```mermaid',
      '```'
    ])
    const [cost] = [...s.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map(
      (m) => m[1]!
    )
    const lines = cost!.split('\n')
    expect(lines).toHaveLength(7)
    // Each category a quoted label of inert characters; each bar line numbers only.
    const axis = /^ {4}x-axis \[(.*)\]$/.exec(lines[3]!)![1]!
    const labels = axis.split(', ')
    expect(labels).toHaveLength(4)
    for (const label of labels)
      expect(label).toMatch(/^"[A-Za-z0-9 ._\-/:+@?…()]+"$/)
    for (const line of lines.slice(5))
      expect(line).toMatch(/^ {4}bar \[[\d., ]+\]$/)
    // Every table row has as many cells as its header: no pipe from the name splits a cell.
    for (const table of s
      .split('\n\n')
      .filter((block) => block.startsWith('|'))) {
      const widths = table
        .split('\n')
        .map((row) => row.split(/(?<!\\)\|/).length)
      expect(new Set(widths).size).toBe(1)
    }
    expect(s).toContain('&lt;img src=x onerror=alert\\(1\\)&gt;')
  })
})

describe('a created_at that is not a time with a zone', () => {
  // The API promises `created_at` as `format: date-time` (RFC 3339: a date, T, a time and a zone). The
  // stand-in's `answered` shows another created_at than the one it filters and orders by, as a broken
  // or hostile API (or a proxy rewriting its answers) would: the row is in the window, its time unreadable.

  /** A call of `gateway` made `agoMs` ago, registered with `answered` over it: a failed call of 9 USD unless `fields` say otherwise. */
  const addAnswered = (
    gateway: string,
    id: string,
    agoMs: number,
    answered: Record<string, unknown>,
    fields: Record<string, unknown> = {}
  ): Call => {
    const [template] = calls(
      standIn.addRun({ runId: `template-${id}`, calls: 1, gateway: 'scratch' })
    )
    const log = {
      ...template!,
      id,
      created_at: iso(Date.now() - agoMs),
      success: false,
      status_code: 500,
      cost: 9,
      ...fields
    }
    standIn.addLogs([log], { gateway, answered })
    return log
  }
  /** created_at as a database prints it without a zone: `2026-11-20 10:30:00`, in UTC. */
  const zoneless = (ms: number) =>
    new Date(ms).toISOString().slice(0, 19).replace('T', ' ')
  const errorOf = (run: Awaited<ReturnType<typeof gate>>) => {
    expect([run.code, run.outputs.result]).toEqual([1, 'error'])
    expect(run.outputs.count).toBe('')
    const errors = annotations(run.stdout, 'error')
    expect(errors).toHaveLength(1)
    return errors[0]!
  }

  it('since: a failed 9 USD call whose created_at is "yesterday" is an error naming the call and its created_at, not a call left out', async () => {
    const gateway = 'yesterday-gateway'
    standIn.addRun({
      runId: 'nightly-y',
      calls: 5,
      gateway,
      spacingMs: 60_000,
      startMs: Date.now() - 400_000
    })
    const bad = addAnswered(gateway, '01JBADYESTERDAY0000000001', 120_000, {
      created_at: 'yesterday'
    })
    const run = await gate({
      'gateway-id': gateway,
      since: '1h',
      'max-cost': '$5',
      'require-success': 'false',
      settle: '0'
    })
    const error = errorOf(run)
    expect(error).toMatch(
      new RegExp(
        `row \\d+ of the list: .*log "${bad.id}" has created_at "yesterday", which is not an ISO 8601 time with a zone`
      )
    )
    expect(run.summary).toContain(bad.id)
  })

  it.each(['Asia/Tokyo', 'UTC'])(
    "since: a created_at without a zone is an error whatever the runner's time zone (TZ=%s)",
    async (tz) => {
      const gateway = `zoneless-gateway-${tz.replace('/', '-')}`
      standIn.addRun({
        runId: 'nightly-z',
        calls: 3,
        gateway,
        spacingMs: 60_000,
        startMs: Date.now() - 300_000
      })
      const agoMs = 120_000
      const shown = zoneless(Date.now() - agoMs)
      const bad = addAnswered(
        gateway,
        `01JZONELESS${tz.length}00000000000001`,
        agoMs,
        {
          created_at: shown
        }
      )
      const run = await gate(
        {
          'gateway-id': gateway,
          since: '1h',
          'max-cost': '$5',
          'require-success': 'false',
          settle: '0'
        },
        { env: { TZ: tz } }
      )
      expect(errorOf(run)).toContain(
        `log "${bad.id}" has created_at "${shown}", which is not an ISO 8601 time with a zone`
      )
    }
  )

  it('run-id: a row of the run with an unreadable created_at is an error too', async () => {
    standIn.addRun({ runId: 'gh-bad-time-1', calls: 60 })
    const bad = addAnswered(
      DEMO_GATEWAY,
      '01JBADRUNTIME000000000001',
      30_000,
      { created_at: '2026-13-01T10:30:00Z' },
      { metadata: JSON.stringify({ run_id: 'gh-bad-time-1' }) }
    )
    const run = await gate({
      'run-id': 'gh-bad-time-1',
      'max-cost': '$5',
      'require-success': 'false',
      settle: '0'
    })
    expect(errorOf(run)).toMatch(
      new RegExp(
        `row \\d+ of the list: .*log "${bad.id}" has created_at "2026-13-01T10:30:00Z", which is not an ISO 8601 time with a zone`
      )
    )
  })

  it('log-id and log-ids: a log detail with an unreadable created_at is an error naming it', async () => {
    const bad = addAnswered(DEMO_GATEWAY, '01JBADDETAILTIME00000001', 30_000, {
      created_at: '2026-11-25T09:30:12'
    })
    const single = await gate({ 'log-id': bad.id, 'max-cost': '$100' })
    expect(errorOf(single)).toContain(
      `log "${bad.id}" has created_at "2026-11-25T09:30:12", which is not an ISO 8601 time with a zone`
    )
    const many = await gate({
      'log-ids': `cheap-call ${bad.id}`,
      'max-cost': '$100',
      'require-success': 'false'
    })
    expect(errorOf(many)).toContain(
      `log "${bad.id}" has created_at "2026-11-25T09:30:12", which is not an ISO 8601 time with a zone`
    )
  })
})

describe('new inputs refused with a clear error before any request', () => {
  it.each([
    [
      { 'log-id': 'cheap-call', 'run-id': 'gh-1' },
      'log-id and run-id are different ways to select calls: set one of them'
    ],
    [
      { 'run-id': 'gh-1', until: '1h' },
      'until ends a window that since starts: set since too'
    ],
    [
      {
        'log-id': 'cheap-call',
        filters: '[{"key":"model","operator":"eq","value":["gpt-4o"]}]'
      },
      'filters refines run-id or since, not log-id'
    ],
    [
      { since: 'yesterday' },
      'since "yesterday" is not a time: use 30m, 24h, 7d (back from now) or an ISO 8601 time'
    ],
    [
      { 'run-id': 'gh-1', filters: '[{"key": "model",' },
      'filters "[{"key": "model"," is not JSON'
    ],
    [
      { 'run-id': 'gh-1', thresholds: 'cost <= $2\nduration.p95 < 8x' },
      'thresholds line 2 "duration.p95 < 8x" has an unknown unit "x" (use ms, s or m)'
    ],
    [
      { 'log-ids': 'a b c d', 'request-budget': '3' },
      'log-ids has 4 ids, more than request-budget (3) allows: each id costs at least one request. For many calls use run-id'
    ],
    [
      { 'run-id': 'gh-1', 'max-logs': '0' },
      'max-logs "0" is not a whole number from 1 to 10000'
    ],
    [
      { 'run-id': 'gh-1', settle: '99m' },
      'settle "99m" is not a number of seconds from 0 to 60'
    ]
  ])('%p', async (inputs, message) => {
    const before = standIn.requests.length
    const run = await gate(inputs)
    expect(run.code).toBe(1)
    expect(standIn.requests.length).toBe(before)
    const errors = annotations(run.stdout, 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain(message)
    expect(run.outputs.result).toBe('error')
    expect(run.summary).toContain('### ⛔ AI Gateway gate: error, no verdict')
  })
})

describe('run ids that are numbers or booleans in cf-aig-metadata', () => {
  // cf-aig-metadata values may be strings, numbers or booleans (the API's metadata: string | number | boolean).
  it.each([
    ['a number', 'gw-numeric-run', '12345', 12345],
    ['a boolean', 'gw-boolean-run', 'true', true]
  ])(
    'finds the calls of a run id sent as %s, compared by its JSON text',
    async (_what, gateway, runId, value) => {
      const logs = calls(
        standIn.addRun({
          runId,
          calls: 4,
          gateway,
          metadata: { run_id: value }
        })
      )
      expect(JSON.parse(logs[0]!.metadata as string)).toEqual({ run_id: value })
      const run = await gate({
        'gateway-id': gateway,
        'run-id': runId,
        settle: '0',
        'wait-timeout': '0'
      })
      expect([run.code, run.outputs.result, run.outputs.count]).toEqual([
        0,
        'pass',
        '4'
      ])
    }
  )
})

describe('costs that add up past the largest number', () => {
  it('two calls of cost 1e308: result=error naming the metric, no Infinity anywhere', async () => {
    const gateway = 'gw-overflow'
    const [template] = standIn.addRun({
      runId: 'overflow-template',
      calls: 1,
      gateway: 'gw-overflow-template'
    })
    // A cost is a JSON number (LogListItem.cost: number); 1e308 is one, and two of them sum past a double.
    standIn.addLogs(
      [0, 1].map((i) => ({
        ...template!,
        id: `overflow-${i}`,
        created_at: new Date(Date.now() - 10_000 + i * 100).toISOString(),
        cost: 1e308,
        metadata: JSON.stringify({ run_id: 'gh-overflow-1' })
      })),
      { gateway }
    )
    const run = await gate({
      'gateway-id': gateway,
      'run-id': 'gh-overflow-1',
      settle: '0',
      'max-cost': '$5'
    })
    expect([run.code, run.outputs.result]).toEqual([1, 'error'])
    expect(annotations(run.stdout, 'error')).toEqual([
      '::error title=AI Gateway gate%3A error::Invalid answer: the sum of cost over 2 calls is not a finite number (past 1.8e308, the largest a number holds), so the calls cannot be judged.'
    ])
    expect(run.outputs['total-cost']).toBe('')
    expect(run.outputs.metrics).toBe('')
    expect(run.summary).not.toContain('Infinity')
  })
})

describe('thousands of breached thresholds', () => {
  it('14,000 breached lines: GITHUB_OUTPUT under 1 MiB, failures capped with the count left out, a handful of annotations and a count line', async () => {
    const gateway = 'gw-many-thresholds'
    standIn.addRun({ runId: 'gh-thresholds-1', calls: 1, gateway })
    // `count<1` breaches for a run of one call; 14,000 lines are 112,000 bytes, under the 128 KiB a
    // single environment variable (INPUT_THRESHOLDS) may hold on Linux.
    const thresholds = Array.from({ length: 14_000 }, () => 'count<1').join(
      '\n'
    )
    const run = await gate(
      {
        'gateway-id': gateway,
        'run-id': 'gh-thresholds-1',
        settle: '0',
        thresholds
      },
      { timeoutMs: 120_000 }
    )
    expect([run.code, run.outputs.result]).toEqual([1, 'fail'])
    expect(run.outputBytes).toBeLessThan(1024 * 1024)
    const failures = JSON.parse(run.outputs.failures ?? '') as {
      metric: string
      message: string
    }[]
    expect(failures).toHaveLength(100)
    expect(failures[0]).toMatchObject({ metric: 'count', limit: 1 })
    expect(run.outputs['failures-omitted']).toBe('13900')
    expect(run.outputs['warnings-omitted']).toBe('0')
    const errors = annotations(run.stdout, 'error')
    expect(errors).toEqual([
      ...Array(5).fill('::error title=AI Gateway gate::count 1 call >= 1'),
      '::error title=AI Gateway gate::… and 13995 more failed checks, not annotated: the job summary and the failures output list them'
    ])
  }, 120_000)
})

describe('log-ids against the request budget', () => {
  it('refuses more ids than request-budget before any request, naming both and suggesting run-id', async () => {
    const before = standIn.requests.length
    const ids = Array.from({ length: 301 }, (_, i) => `budget-${i}`)
    const run = await gate({ 'log-ids': ids.join('\n') })
    expect([run.code, run.outputs.result]).toEqual([1, 'error'])
    expect(standIn.requests.length).toBe(before)
    expect(annotations(run.stdout, 'error')).toEqual([
      '::error title=AI Gateway gate%3A error::Invalid input: log-ids has 301 ids, more than request-budget (300) allows: each id costs at least one request. For many calls use run-id (the list endpoint reads 50 calls a request), or raise request-budget (at most 1200)'
    ])
  })

  it('counts an id spelled in two cases once, with one request', async () => {
    const [log] = standIn.addRun({ runId: 'gh-case-1', calls: 1 })
    const id = log!.id
    const beforeGets = standIn.logRequests().length
    const run = await gate({
      'log-ids': `${id.toLowerCase()},${id.toUpperCase()}`
    })
    expect([run.code, run.outputs.result, run.outputs.count]).toEqual([
      0,
      'pass',
      '1'
    ])
    expect(
      standIn
        .logRequests()
        .slice(beforeGets)
        .map((r) => r.path.split('/').at(-1))
    ).toEqual([id.toLowerCase()])
  })
})

describe('inputs that do not apply to the mode', () => {
  it('settle and expected-logs with log-ids: a warning naming each and the mode, before any request, and the gate runs', async () => {
    const logs = calls(standIn.addRun({ runId: 'gh-settle-ids-1', calls: 2 }))
    const beforeGets = standIn.logRequests().length
    const run = await gate({
      'log-ids': logs.map((l) => l.id).join(' '),
      settle: '5s',
      'expected-logs': '2',
      'max-cost': '$1'
    })
    expect([run.code, run.outputs.result, run.outputs.count]).toEqual([
      0,
      'pass',
      '2'
    ])
    expect(annotations(run.stdout, 'warning')).toEqual([
      '::warning title=AI Gateway gate (inputs)::expected-logs is ignored: it applies to run-id or since, not log-ids',
      '::warning title=AI Gateway gate (inputs)::settle is ignored: it applies to run-id or since, not log-ids'
    ])
    expect(standIn.logRequests().length - beforeGets).toBe(2)
    // Said before the first request: the warnings come first in the step's log.
    const lines = run.stdout.split('\n')
    expect(lines.findIndex((l) => l.startsWith('::warning'))).toBe(
      lines.findIndex((l) => /^::(warning|error|debug)/.test(l))
    )
  })

  it('max-logs and run-id-key with log-id: warnings, and the log is gated', async () => {
    const run = await gate({
      'log-id': 'cheap-call',
      'max-logs': '10',
      'run-id-key': 'eval_run',
      'max-cost': '$1'
    })
    expect([run.code, run.outputs.result]).toEqual([0, 'pass'])
    expect(annotations(run.stdout, 'warning')).toEqual([
      '::warning title=AI Gateway gate (inputs)::run-id-key is ignored: it names the metadata key of run-id, not of log-id',
      '::warning title=AI Gateway gate (inputs)::max-logs is ignored: it applies to run-id, since or log-ids, not log-id'
    ])
  })

  it('still refuses two selection modes at once', async () => {
    const before = standIn.requests.length
    const run = await gate({ 'log-id': 'cheap-call', 'run-id': 'gh-1' })
    expect([run.code, run.outputs.result]).toEqual([1, 'error'])
    expect(standIn.requests.length).toBe(before)
  })
})
