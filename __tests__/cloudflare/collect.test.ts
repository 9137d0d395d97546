// collect() against an in-memory list endpoint that pages as the API does (ascending created_at,
// per_page rows a page, total_count), with a fake clock: no real sleeps.
import { describe, expect, it } from '@jest/globals'
import { BudgetSpentError } from '../../src/cloudflare/budget.js'
import {
  collect,
  CollectError,
  type CollectOptions,
  type ListPage
} from '../../src/cloudflare/collect.js'

interface Row {
  id: string
  run: string
}

/**
 * A list endpoint over `rows`, in ascending created_at (`createdMs`, else their order in the array),
 * some of which become visible only at `visibleAtMs`: as the gateway writes a log after its call, a
 * late row can land before rows already seen.
 */
function endpoint(
  rows: (Row & { visibleAtMs?: number; createdMs?: number })[],
  clock: { ms: number },
  opts: { totalCount?: (n: number) => number } = {}
) {
  const calls: { page: number; perPage: number; untilMs: number }[] = []
  let inFlight = 0
  let maxInFlight = 0
  // Round trips one after another: each batch starts when nothing is in flight.
  let rounds = 0
  const read = async (
    page: number,
    perPage: number,
    untilMs: number
  ): Promise<ListPage<Row>> => {
    calls.push({ page, perPage, untilMs })
    if (inFlight === 0) rounds++
    inFlight++
    maxInFlight = Math.max(maxInFlight, inFlight)
    await Promise.resolve()
    inFlight--
    const visible = rows
      .map((r, i) => ({ ...r, createdMs: r.createdMs ?? i }))
      .filter((r) => (r.visibleAtMs ?? 0) <= clock.ms)
      .sort((a, b) => a.createdMs - b.createdMs)
      .map(({ id, run }) => ({ id, run }))
    return {
      rows: visible.slice((page - 1) * perPage, page * perPage),
      totalCount: opts.totalCount
        ? opts.totalCount(visible.length)
        : visible.length
    }
  }
  return { read, calls, maxInFlight: () => maxInFlight, rounds: () => rounds }
}

const makeRows = (n: number, run = 'r1'): Row[] =>
  Array.from({ length: n }, (_, i) => ({ id: `log-${i}`, run }))

function setup() {
  const clock = { ms: 0 }
  const sleeps: number[] = []
  const deps = {
    now: () => clock.ms,
    sleep: async (ms: number) => {
      sleeps.push(ms)
      clock.ms += ms
    },
    debug: () => undefined
  }
  return { clock, sleeps, deps }
}

const options = (overrides: Partial<CollectOptions> = {}): CollectOptions => ({
  perPage: 50,
  maxLogs: 5000,
  waitTimeoutMs: 30_000,
  settleMs: 0,
  concurrency: 4,
  describe: 'run "r1" (metadata run_id)',
  ...overrides
})
const all = () => true

describe('collect: reading every page', () => {
  it('reads 1000 calls in 21 requests: the 20 pages the total implies and one to see the end', async () => {
    const { clock, deps } = setup()
    const api = endpoint(makeRows(1000), clock)
    const result = await collect(api.read, all, options(), deps)
    expect(result.rows).toHaveLength(1000)
    expect(new Set(result.rows.map((r) => r.id)).size).toBe(1000)
    expect(result.requests).toBe(21)
    expect(api.calls.map((c) => c.page)).toEqual(
      Array.from({ length: 21 }, (_, i) => i + 1)
    )
    expect(api.maxInFlight()).toBe(4)
    // Page 1, then 2-5, 6-9, 10-13, 14-17 and 18-21: the empty page 21, which the total says ends the
    // run, is read with the last full ones rather than after them.
    expect(api.rounds()).toBe(6)
  })

  it.each([
    [0, 1],
    [1, 1],
    [49, 1],
    [50, 2],
    [51, 2],
    [120, 3],
    [150, 4]
  ])('%i calls take %i requests', async (n, requests) => {
    const { clock, deps } = setup()
    const api = endpoint(makeRows(n), clock)
    const result = await collect(
      api.read,
      all,
      options({ expectedLogs: n === 0 ? 0 : undefined }),
      deps
    )
    expect(result.rows).toHaveLength(n)
    expect(result.requests).toBe(requests)
  })

  it('asks for 50 rows a page, and bounds every page of one read by the same time', async () => {
    const { clock, deps } = setup()
    clock.ms = 1_000_000
    const api = endpoint(makeRows(120), clock)
    await collect(api.read, all, options(), deps)
    expect(new Set(api.calls.map((c) => c.perPage))).toEqual(new Set([50]))
    expect(new Set(api.calls.map((c) => c.untilMs))).toEqual(
      new Set([1_000_000 + 5 * 60_000])
    )
  })

  it("uses the selection's own until when it has one", async () => {
    const { clock, deps } = setup()
    const api = endpoint(makeRows(10), clock)
    await collect(api.read, all, options({ untilMs: 12345 }), deps)
    expect(api.calls.map((c) => c.untilMs)).toEqual([12345])
  })

  it('keeps reading past a total_count that is too low, in batches, until a page comes back short', async () => {
    const { clock, deps } = setup()
    const api = endpoint(makeRows(230), clock, { totalCount: () => 60 })
    const result = await collect(api.read, all, options(), deps)
    expect(result.rows).toHaveLength(230)
    expect(api.calls.map((c) => c.page)).toEqual([1, 2, 3, 4, 5, 6])
    // Pages 3-6, past the 2 the total implies, are read together, not one after another.
    expect(api.rounds()).toBe(3)
  })

  it('reads every page the total implies when an earlier one is short, and fails short of the total', async () => {
    const { clock, deps } = setup()
    const api = endpoint(makeRows(70), clock, { totalCount: () => 400 })
    const error = await collect(
      api.read,
      all,
      options({ waitTimeoutMs: 0 }),
      deps
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CollectError)
    expect((error as CollectError).kind).toBe('incomplete')
    expect((error as Error).message).toBe(
      'Could not read every call of run "r1" (metadata run_id): read 70 distinct calls, the API counts 400; page 2 came back with 20 of the 50 rows asked before the last page, and reading again did not find the rest. The gate does not pass on part of a selection.'
    )
    // Page 1 implies 9 pages (8 with rows, the 9th to see the end): all are read, then once more from the tail backwards.
    expect(api.calls.map((c) => c.page)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5, 6, 7, 8, 9, 1
    ])
  })

  it('counts a call that appears on two pages once (pages that overlap as a call lands)', async () => {
    const { clock, deps } = setup()
    const rows = makeRows(60)
    rows[55] = { ...rows[10]! } // the same call again on page 2
    // The API counts calls: 59.
    const api = endpoint(rows, clock, { totalCount: (n) => n - 1 })
    const result = await collect(api.read, all, options(), deps)
    expect(result.rows).toHaveLength(59)
  })
})

describe('collect: max-logs', () => {
  it('stops after page 1 when the total is over max-logs, saying how many matched', async () => {
    const { clock, deps } = setup()
    const api = endpoint(makeRows(6000), clock)
    const error = await collect(api.read, all, options(), deps).catch(
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(CollectError)
    expect((error as CollectError).kind).toBe('too-many')
    expect((error as Error).message).toBe(
      '6000 calls match run "r1" (metadata run_id), more than max-logs (5000): narrow the selection (a run id, a shorter window, filters) or raise max-logs'
    )
    expect(api.calls).toHaveLength(1)
  })

  it('stops an API that answers full pages forever, whatever its total says', async () => {
    const { deps } = setup()
    const calls: number[] = []
    const read = async (
      page: number,
      perPage: number
    ): Promise<ListPage<Row>> => {
      calls.push(page)
      return {
        rows: makeRows(perPage).map((r) => ({ ...r, id: `${page}-${r.id}` })),
        totalCount: 10
      }
    }
    const error = await collect(
      read,
      all,
      options({ maxLogs: 200 }),
      deps
    ).catch((e: unknown) => e)
    expect((error as CollectError).kind).toBe('too-many')
    expect(calls.length).toBeLessThanOrEqual(6)
  })
})

describe('collect: calls that are written late', () => {
  it('waits for expected-logs, reading the tail page again after a second, then backing off while nothing new arrives', async () => {
    const { clock, sleeps, deps } = setup()
    const rows = makeRows(120).map((r, i) => ({
      ...r,
      visibleAtMs: i < 100 ? 0 : 2500
    }))
    const api = endpoint(rows, clock)
    const result = await collect(
      api.read,
      all,
      options({ expectedLogs: 120 }),
      deps
    )
    expect(result.rows).toHaveLength(120)
    expect(sleeps).toEqual([1000, 2000])
    // First read: pages 1-3 (3 is empty); then page 3 at each look, which at 3 s holds the late calls.
    expect(api.calls.map((c) => c.page)).toEqual([1, 2, 3, 3, 3])
  })

  it('finds late calls that land between calls already read (their created_at is earlier)', async () => {
    const { clock, deps } = setup()
    // 100 calls; every tenth one is written 2 s late, though it was made among the others.
    const rows = makeRows(100).map((r, i) => ({
      ...r,
      createdMs: i,
      visibleAtMs: i % 10 === 0 ? 2000 : 0
    }))
    const api = endpoint(rows, clock)
    const result = await collect(
      api.read,
      all,
      options({ expectedLogs: 100 }),
      deps
    )
    expect(new Set(result.rows.map((r) => r.id)).size).toBe(100)
  })

  it('fails with "found N of M" when the expected calls never all arrive', async () => {
    const { clock, deps } = setup()
    const api = endpoint(makeRows(7), clock)
    const error = await collect(
      api.read,
      all,
      options({ expectedLogs: 10, waitTimeoutMs: 5000 }),
      deps
    ).catch((e: unknown) => e)
    expect((error as CollectError).kind).toBe('too-few')
    expect((error as Error).message).toBe(
      'Found 7 of 10 expected calls for run "r1" (metadata run_id) after waiting 5 s (wait-timeout)'
    )
    expect(clock.ms).toBe(5000)
    expect(api.calls.length).toBeLessThanOrEqual(7)
  })

  it('waits for a first call when none is expected in number, then says the selection is empty', async () => {
    const { clock, deps } = setup()
    const api = endpoint([], clock)
    const error = await collect(
      api.read,
      all,
      options({ waitTimeoutMs: 3000 }),
      deps
    ).catch((e: unknown) => e)
    expect((error as CollectError).kind).toBe('empty')
    expect((error as Error).message).toBe(
      'No calls found for run "r1" (metadata run_id)'
    )
    expect(clock.ms).toBe(3000)
  })

  it('accepts an empty selection at once with expected-logs 0', async () => {
    const { clock, deps } = setup()
    const api = endpoint([], clock)
    const result = await collect(
      api.read,
      all,
      options({ expectedLogs: 0 }),
      deps
    )
    expect(result).toEqual({ rows: [], requests: 1 })
    expect(clock.ms).toBe(0)
  })

  it('calls whenNoneFound once, after the first read finds nothing and before any wait; its throw stops the read at once', async () => {
    const { clock, sleeps, deps } = setup()
    const api = endpoint([], clock)
    const asked: number[] = []
    const stop = new CollectError('empty', 'stopped at once')
    const error = await collect(
      api.read,
      all,
      options({
        whenNoneFound: async () => {
          asked.push(api.calls.length)
          throw stop
        }
      }),
      deps
    ).catch((e: unknown) => e)
    expect(error).toBe(stop)
    expect(asked).toEqual([1])
    expect(sleeps).toEqual([])
  })

  it('waits as usual when whenNoneFound returns, and calls it once only, also when the calls arrive late', async () => {
    const { clock, deps } = setup()
    const api = endpoint(
      makeRows(3).map((r) => ({ ...r, visibleAtMs: 2000 })),
      clock
    )
    let asked = 0
    const result = await collect(
      api.read,
      all,
      options({ whenNoneFound: async () => void asked++ }),
      deps
    )
    expect(result.rows).toHaveLength(3)
    expect(asked).toBe(1)
    expect(clock.ms).toBeGreaterThanOrEqual(2000)
  })

  it('does not call whenNoneFound when the first read finds a call, or when none is waited for', async () => {
    const { clock, deps } = setup()
    let asked = 0
    const whenNoneFound = async () => void asked++
    await collect(
      endpoint(makeRows(2), clock).read,
      all,
      options({ whenNoneFound }),
      deps
    )
    await collect(
      endpoint([], clock).read,
      all,
      options({ whenNoneFound, expectedLogs: 0 }),
      deps
    )
    // Too few, but not none: not a "not found".
    await collect(
      endpoint(makeRows(1), clock).read,
      all,
      options({ whenNoneFound, expectedLogs: 3, waitTimeoutMs: 0 }),
      deps
    ).catch(() => undefined)
    expect(asked).toBe(0)
  })

  it('calls whenNoneFound when the first read finds only rows keep() refuses', async () => {
    const { clock, deps } = setup()
    let asked = 0
    await collect(
      endpoint(makeRows(2, 'other'), clock).read,
      (row) => row.run === 'r1',
      options({ whenNoneFound: async () => void asked++, waitTimeoutMs: 0 }),
      deps
    ).catch(() => undefined)
    expect(asked).toBe(1)
  })

  it('settles: looks again after the pause and reads again while the selection grows', async () => {
    const { clock, sleeps, deps } = setup()
    // Late calls made early in the run: they land before calls already read.
    const rows = makeRows(60).map((r, i) => ({
      ...r,
      createdMs: i % 3 === 0 ? i : 1000 + i,
      visibleAtMs: i < 40 ? 0 : i < 55 ? 4000 : 9000
    }))
    const api = endpoint(rows, clock)
    const result = await collect(
      api.read,
      all,
      options({ settleMs: 5000 }),
      deps
    )
    expect(result.rows).toHaveLength(60)
    expect(sleeps).toEqual([5000, 5000, 5000])
  })

  // A call's created_at is when it started and its log is written when it ends: a slow call's late log
  // lands among rows already read, not after them (the endpoint lists `rows` in created_at order).
  it('finds late calls whose logs land on pages already read, when the total grows', async () => {
    const { clock, deps } = setup()
    const late = new Set([3, 9, 15, 21, 27, 33, 39, 45, 51, 57])
    const rows = makeRows(60).map((r, i) => ({
      ...r,
      visibleAtMs: late.has(i) ? 2500 : 0
    }))
    const api = endpoint(rows, clock)
    const result = await collect(
      api.read,
      all,
      options({ expectedLogs: 60 }),
      deps
    )
    expect(result.rows).toHaveLength(60)
    // First read: pages 1-2; a poll of page 2 (the tail) at 1 s finds nothing; at 3 s page 2 shows
    // 2 new rows and a total of 60, so page 1 is read again for the other 8.
    expect(api.calls.map((c) => c.page)).toEqual([1, 2, 2, 2, 1])
  })

  it('looks for rows added before the tail from the last page backwards, and stops when the total is accounted for', async () => {
    const { clock, deps } = setup()
    const rows = makeRows(600).map((r, i) => ({
      ...r,
      visibleAtMs: i === 540 ? 1500 : 0
    }))
    const api = endpoint(rows, clock)
    const result = await collect(
      api.read,
      all,
      options({ expectedLogs: 600 }),
      deps
    )
    expect(result.rows).toHaveLength(600)
    // Page 12 is full once the late row is there, so page 13 is read to see the end; then 11, 10, 9, 8 (one batch) find it.
    const firstRead = Array.from({ length: 12 }, (_, i) => i + 1)
    expect(api.calls.map((c) => c.page)).toEqual([
      ...firstRead,
      12,
      12,
      13,
      11,
      10,
      9,
      8
    ])
  })

  it('settles on late rows that land before the known ones', async () => {
    const { clock, deps } = setup()
    const rows = makeRows(80).map((r, i) => ({
      ...r,
      visibleAtMs: i % 10 === 0 ? 3000 : 0
    }))
    const api = endpoint(rows, clock)
    const result = await collect(
      api.read,
      all,
      options({ settleMs: 5000 }),
      deps
    )
    expect(result.rows).toHaveLength(80)
  })

  it('never passes short of a total that stays above the calls read (deleted rows still counted): an error with both numbers', async () => {
    const { clock, sleeps, deps } = setup()
    const api = endpoint(makeRows(70), clock, { totalCount: (n) => n + 10 })
    const error = await collect(
      api.read,
      all,
      options({ expectedLogs: 75, waitTimeoutMs: 3000 }),
      deps
    ).catch((e: unknown) => e)
    expect((error as CollectError).kind).toBe('incomplete')
    expect((error as Error).message).toBe(
      'Could not read every call of run "r1" (metadata run_id): read 70 distinct calls, the API counts 80; reading again for 3 s (wait-timeout) did not find the rest: calls may have been deleted while they were read, or the API\'s count is stale. The gate does not pass on part of a selection.'
    )
    // Read again at once, then after 1 s and 2 s (backing off): the tail page, then the page before it.
    expect(sleeps).toEqual([1000, 2000])
    expect(api.calls.map((c) => c.page)).toEqual([1, 2, 2, 1, 2, 1, 2, 1])
  })

  it('makes one settle request when nothing more arrives', async () => {
    const { clock, deps } = setup()
    const api = endpoint(makeRows(30), clock)
    const result = await collect(
      api.read,
      all,
      options({ settleMs: 5000 }),
      deps
    )
    expect(result.requests).toBe(2)
  })
})

describe('collect: rows the API matched loosely', () => {
  it('drops the rows keep() refuses, and still pages by every row the API returned', async () => {
    const { clock, deps } = setup()
    const rows = makeRows(130).map((r, i) => ({
      ...r,
      run: i % 2 === 0 ? 'r1' : 'other'
    }))
    const api = endpoint(rows, clock)
    const result = await collect(
      api.read,
      (r) => r.run === 'r1',
      options(),
      deps
    )
    expect(result.rows).toHaveLength(65)
    expect(api.calls.map((c) => c.page)).toEqual([1, 2, 3])
  })

  it('counts only kept rows toward expected-logs', async () => {
    const { clock, deps } = setup()
    const rows = makeRows(10).map((r, i) => ({
      ...r,
      run: i < 5 ? 'r1' : 'other'
    }))
    const api = endpoint(rows, clock)
    const error = await collect(
      api.read,
      (r) => r.run === 'r1',
      options({ expectedLogs: 10, waitTimeoutMs: 2000 }),
      deps
    ).catch((e: unknown) => e)
    expect((error as Error).message).toContain('Found 5 of 10')
  })
})

describe('collect: a selection that never stops growing', () => {
  it('stops settling at wait-timeout and gates what it found', async () => {
    const { clock, deps } = setup()
    // A call every second, forever: an eval still running.
    const rows = makeRows(200).map((r, i) => ({ ...r, visibleAtMs: i * 1000 }))
    const api = endpoint(rows, clock)
    const result = await collect(
      api.read,
      all,
      options({ settleMs: 5000, waitTimeoutMs: 20_000 }),
      deps
    )
    expect(clock.ms).toBe(20_000)
    expect(result.rows).toHaveLength(21)
  })
})

describe('collect: edges', () => {
  it('reads exactly max-logs calls, and stops at the page that passes it with the count so far', async () => {
    const { clock, deps } = setup()
    const exact = await collect(
      endpoint(makeRows(100), clock).read,
      all,
      options({ maxLogs: 100 }),
      deps
    )
    expect(exact.rows).toHaveLength(100)
    const calls: number[] = []
    // total_count says 10, but every page comes back full of new calls
    const read = async (
      page: number,
      perPage: number
    ): Promise<ListPage<Row>> => {
      calls.push(page)
      return {
        rows: makeRows(perPage).map((r) => ({ ...r, id: `${page}-${r.id}` })),
        totalCount: 10
      }
    }
    const error = await collect(
      read,
      all,
      options({ maxLogs: 120 }),
      deps
    ).catch((e: unknown) => e)
    expect((error as Error).message).toMatch(/^150 calls match run "r1"/)
    // Pages 2-4 (the last max-logs allows) are asked together once page 1 is full past its total.
    expect(calls).toEqual([1, 2, 3, 4])
  })

  it('stops an API that repeats the same full page (it ignores `page`) after one batch, saying so', async () => {
    const { deps } = setup()
    const calls: number[] = []
    const read = async (
      page: number,
      perPage: number
    ): Promise<ListPage<Row>> => {
      calls.push(page)
      return { rows: makeRows(perPage), totalCount: 10 }
    }
    const error = await collect(
      read,
      all,
      options({ maxLogs: 200 }),
      deps
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CollectError)
    expect((error as CollectError).name).toBe('CollectError')
    expect((error as CollectError).kind).toBe('incomplete')
    expect((error as Error).message).toBe(
      'Could not read every call of run "r1" (metadata run_id): read 50 distinct calls, the API counts 10; the API repeated rows already read (pages 2-5 held only calls of earlier pages), as if it ignored the page asked for. The gate does not pass on part of a selection.'
    )
    expect(calls).toEqual([1, 2, 3, 4, 5])
  })

  it('keeps one copy of a call the API returns twice, the same', async () => {
    const { clock, deps } = setup()
    const rows = [
      { id: 'a', run: 'r1' },
      { id: 'a', run: 'r1' }
    ]
    const api = endpoint(rows, clock, { totalCount: () => 1 })
    expect((await collect(api.read, all, options(), deps)).rows).toEqual([
      { id: 'a', run: 'r1' }
    ])
  })

  it('refuses two different calls under one id, on one page or two, ids compared without case', async () => {
    const { clock, deps } = setup()
    const twice = makeRows(60)
    twice[55] = { id: 'LOG-3', run: 'r1', cost: 50 } as Row
    for (const rows of [
      [
        { id: 'a', run: 'r1' },
        { id: 'a', run: 'changed' }
      ],
      twice
    ]) {
      const error = await collect(
        endpoint(rows, clock).read,
        all,
        options(),
        deps
      ).catch((e: unknown) => e)
      expect((error as CollectError).kind).toBe('invalid')
    }
    const error = await collect(
      endpoint(twice, clock).read,
      all,
      options(),
      deps
    ).catch((e: unknown) => e)
    expect((error as Error).message).toBe(
      'The API answered two different calls with the id "LOG-3" (on page 1 and page 2) for run "r1" (metadata run_id): the gate cannot tell its calls apart'
    )
  })

  it.each([[''], ['  ']])(
    'refuses a row whose id is empty (%j), naming its place',
    async (id) => {
      const { clock, deps } = setup()
      const rows = makeRows(11).map((r) => ({ ...r, id }))
      const error = await collect(
        endpoint(rows, clock).read,
        all,
        options(),
        deps
      ).catch((e: unknown) => e)
      expect((error as CollectError).kind).toBe('invalid')
      expect((error as Error).message).toBe(
        'The API answered row 1 of page 1 of run "r1" (metadata run_id) with an empty id: the gate cannot tell its calls apart'
      )
    }
  )

  it('refuses a page with more rows than per_page asked', async () => {
    const { deps } = setup()
    const read = async (): Promise<ListPage<Row>> => ({
      rows: makeRows(2000),
      totalCount: 2000
    })
    const error = await collect(read, all, options(), deps).catch(
      (e: unknown) => e
    )
    expect((error as CollectError).kind).toBe('invalid')
    expect((error as Error).message).toBe(
      'The API answered page 1 of run "r1" (metadata run_id) with 2000 rows, more than the 50 asked (per_page): it does not page as documented, so the gate cannot tell whether it saw every call'
    )
  })

  it('measures the wait from the first read, on a clock that does not start at 0, and says what it waits for', async () => {
    const { clock, sleeps, deps } = setup()
    clock.ms = 1_000_000
    const debug: string[] = []
    const api = endpoint(makeRows(3), clock)
    const error = await collect(
      api.read,
      all,
      options({ expectedLogs: 5, waitTimeoutMs: 2500 }),
      { ...deps, debug: (m) => debug.push(m) }
    ).catch((e: unknown) => e)
    expect(sleeps).toEqual([1000, 1500])
    expect(debug).toEqual([
      'found 3 of 5 calls of run "r1" (metadata run_id); reading again in 1000 ms',
      'found 3 of 5 calls of run "r1" (metadata run_id); reading again in 1500 ms'
    ])
    expect((error as Error).message).toBe(
      'Found 3 of 5 expected calls for run "r1" (metadata run_id) after waiting 3 s (wait-timeout)'
    )
  })

  it('says how the selection grew while settling, and does not settle an empty selection', async () => {
    const { clock, sleeps, deps } = setup()
    const debug: string[] = []
    const rows = makeRows(12).map((r, i) => ({
      ...r,
      visibleAtMs: i < 10 ? 0 : 4000
    }))
    await collect(
      endpoint(rows, clock).read,
      all,
      options({ settleMs: 5000 }),
      { ...deps, debug: (m) => debug.push(m) }
    )
    expect(debug).toEqual([
      'run "r1" (metadata run_id) grew from 10 to 12 calls while settling'
    ])
    sleeps.length = 0
    const empty = await collect(
      endpoint([], clock).read,
      all,
      options({ settleMs: 5000, expectedLogs: 0 }),
      deps
    )
    expect(empty).toEqual({ rows: [], requests: 1 })
    expect(sleeps).toEqual([])
  })
})

describe('collect: proving the read whole', () => {
  it('reads a page that came back short once again at once, and passes when it is whole', async () => {
    const { clock, sleeps, deps } = setup()
    const api = endpoint(makeRows(120), clock)
    let shortOnce = true
    const read: typeof api.read = async (page, perPage, untilMs) => {
      const answer = await api.read(page, perPage, untilMs)
      if (page === 1 && shortOnce) {
        shortOnce = false
        return { ...answer, rows: answer.rows.slice(0, 49) }
      }
      return answer
    }
    const result = await collect(read, all, options(), deps)
    expect(result.rows).toHaveLength(120)
    expect(sleeps).toEqual([])
    // Pages 1-3, then the tail (page 3) and the pages before it, last first, until the one missing call is found.
    expect(api.calls.map((c) => c.page)).toEqual([1, 2, 3, 3, 2, 1])
  })

  it('fails an API that answers 20 rows a page, naming the first short page, after re-reading for wait-timeout', async () => {
    const { deps } = setup()
    const rows = makeRows(120)
    const read = async (page: number): Promise<ListPage<Row>> => ({
      rows: rows.slice((page - 1) * 20, page * 20),
      totalCount: 120
    })
    const error = await collect(
      read,
      all,
      options({ waitTimeoutMs: 10_000 }),
      deps
    ).catch((e: unknown) => e)
    expect((error as CollectError).kind).toBe('incomplete')
    expect((error as Error).message).toBe(
      'Could not read every call of run "r1" (metadata run_id): read 60 distinct calls, the API counts 120; page 1 came back with 20 of the 50 rows asked before the last page, and reading again did not find the rest. The gate does not pass on part of a selection.'
    )
  })

  it('backs off to 8 s between re-reads that find nothing, and starts again at 1 s when one does', async () => {
    const { clock, sleeps, deps } = setup()
    const rows = makeRows(60).map((r, i) => ({
      ...r,
      visibleAtMs: i < 50 ? 0 : 20_000
    }))
    const api = endpoint(rows, clock)
    const result = await collect(
      api.read,
      all,
      options({ expectedLogs: 60, waitTimeoutMs: 60_000, settleMs: 0 }),
      deps
    )
    expect(result.rows).toHaveLength(60)
    expect(sleeps).toEqual([1000, 2000, 4000, 8000, 8000])
  })

  it('stops at the request budget with the numbers read and expected', async () => {
    const { clock, deps } = setup()
    const api = endpoint(makeRows(1000), clock)
    let left = 7
    const read: typeof api.read = async (page, perPage, untilMs) => {
      if (left-- <= 0) throw new BudgetSpentError(7, `page ${page} of the logs`)
      return api.read(page, perPage, untilMs)
    }
    const error = await collect(
      read,
      all,
      options({ expectedLogs: 1000 }),
      deps
    ).catch((e: unknown) => e)
    expect((error as CollectError).kind).toBe('incomplete')
    expect((error as Error).message).toBe(
      'Could not read every call of run "r1" (metadata run_id): read 350 distinct calls, the API counts 1000; the request budget is spent (request-budget allows 7 Cloudflare API requests; Cloudflare allows 1200 per 5 minutes per user): narrow the selection, or raise request-budget. The gate does not pass on part of a selection.'
    )
  })

  it('says how many are expected when expected-logs is above the count', async () => {
    const { clock, deps } = setup()
    const api = endpoint(makeRows(100), clock)
    let left = 2
    const read: typeof api.read = async (page, perPage, untilMs) => {
      if (left-- <= 0) throw new BudgetSpentError(2, 'page')
      return api.read(page, perPage, untilMs)
    }
    const error = await collect(
      read,
      all,
      options({ expectedLogs: 5000 }),
      deps
    ).catch((e: unknown) => e)
    expect((error as Error).message).toContain(
      'read 100 distinct calls, the API counts 100 and 5000 are expected (expected-logs); the request budget is spent'
    )
  })

  it('gates a whole read whose settle re-read found the budget spent', async () => {
    const { clock, deps } = setup()
    const debug: string[] = []
    const api = endpoint(makeRows(30), clock)
    let left = 1
    const read: typeof api.read = async (page, perPage, untilMs) => {
      if (left-- <= 0) throw new BudgetSpentError(1, 'page')
      return api.read(page, perPage, untilMs)
    }
    const result = await collect(read, all, options({ settleMs: 5000 }), {
      ...deps,
      debug: (m) => debug.push(m)
    })
    expect(result.rows).toHaveLength(30)
    expect(debug).toEqual([
      'the request budget ran out while settling run "r1" (metadata run_id): gating the 30 calls read'
    ])
  })

  it('passes other errors of a page through as they are', async () => {
    const { deps } = setup()
    const boom = new Error('boom')
    const error = await collect(
      async () => {
        throw boom
      },
      all,
      options(),
      deps
    ).catch((e: unknown) => e)
    expect(error).toBe(boom)
  })

  it('fails a total above max-logs on a re-read too', async () => {
    const { clock, deps } = setup()
    const rows = makeRows(120).map((r, i) => ({
      ...r,
      visibleAtMs: i < 100 ? 0 : 1000
    }))
    const error = await collect(
      endpoint(rows, clock).read,
      all,
      options({ expectedLogs: 101, maxLogs: 110 }),
      deps
    ).catch((e: unknown) => e)
    expect((error as CollectError).kind).toBe('too-many')
    expect((error as Error).message).toMatch(/^120 calls match/)
  })

  it('leaves rows keep() refuses out, and says how many in the debug log', async () => {
    const { clock, deps } = setup()
    const debug: string[] = []
    const rows = [
      ...makeRows(3),
      ...makeRows(2, 'other').map((r, i) => ({ ...r, id: `o-${i}` }))
    ]
    const result = await collect(
      endpoint(rows, clock).read,
      (row) => row.run === 'r1',
      options(),
      { ...deps, debug: (m) => debug.push(m) }
    )
    expect(result.rows).toHaveLength(3)
    expect(debug).toEqual([
      '2 of the 5 rows the API listed for run "r1" (metadata run_id) do not match it exactly and are left out'
    ])
  })
})

// Edges the mutation run (Stryker) found untested: each pins what a user would see in the gate's
// error or debug log, or how many requests and waits a read costs.
describe('collect: the request budget, exactly', () => {
  it('says the budget is spent when it runs out in the first read, also when one call is enough', async () => {
    const { clock, deps } = setup()
    const api = endpoint(makeRows(300), clock)
    let left = 3
    const read: typeof api.read = async (page, perPage, untilMs) => {
      if (left-- <= 0) throw new BudgetSpentError(3, 'page')
      return api.read(page, perPage, untilMs)
    }
    const error = await collect(read, all, options(), deps).catch(
      (e: unknown) => e
    )
    expect((error as CollectError).kind).toBe('incomplete')
    expect((error as Error).message).toBe(
      'Could not read every call of run "r1" (metadata run_id): read 150 distinct calls, the API counts 300; the request budget is spent (request-budget allows 3 Cloudflare API requests; Cloudflare allows 1200 per 5 minutes per user): narrow the selection, or raise request-budget. The gate does not pass on part of a selection.'
    )
  })

  it('fails a whole read short of expected-logs when the budget runs out while waiting for the rest', async () => {
    const { clock, deps } = setup()
    const api = endpoint(makeRows(3), clock)
    let left = 1
    const read: typeof api.read = async (page, perPage, untilMs) => {
      if (left-- <= 0) throw new BudgetSpentError(1, 'page')
      return api.read(page, perPage, untilMs)
    }
    const error = await collect(
      read,
      all,
      options({ expectedLogs: 5 }),
      deps
    ).catch((e: unknown) => e)
    expect((error as CollectError).kind).toBe('incomplete')
    expect((error as Error).message).toBe(
      'Could not read every call of run "r1" (metadata run_id): read 3 distinct calls, the API counts 3 and 5 are expected (expected-logs); the request budget is spent (request-budget allows 1 Cloudflare API request; Cloudflare allows 1200 per 5 minutes per user): narrow the selection, or raise request-budget. The gate does not pass on part of a selection.'
    )
  })

  it('gates a read that holds exactly expected-logs when the budget runs out while settling', async () => {
    const { clock, deps } = setup()
    const debug: string[] = []
    const api = endpoint(makeRows(30), clock)
    let left = 1
    const read: typeof api.read = async (page, perPage, untilMs) => {
      if (left-- <= 0) throw new BudgetSpentError(1, 'page')
      return api.read(page, perPage, untilMs)
    }
    const result = await collect(
      read,
      all,
      options({ expectedLogs: 30, settleMs: 5000 }),
      { ...deps, debug: (m) => debug.push(m) }
    )
    expect(result.rows).toHaveLength(30)
    expect(debug).toEqual([
      'the request budget ran out while settling run "r1" (metadata run_id): gating the 30 calls read'
    ])
  })
})

describe('collect: waits at the edges of wait-timeout', () => {
  it('settles once even when the first read ends past wait-timeout', async () => {
    const { clock, sleeps, deps } = setup()
    const rows = makeRows(12).map((r, i) => ({
      ...r,
      visibleAtMs: i < 10 ? 0 : 4000
    }))
    const result = await collect(
      endpoint(rows, clock).read,
      all,
      options({ settleMs: 5000, waitTimeoutMs: 0 }),
      deps
    )
    expect(result.rows).toHaveLength(12)
    expect(sleeps).toEqual([5000])
  })

  it('says in the debug log that a selection still grows at wait-timeout, and gates what it found', async () => {
    const { clock, deps } = setup()
    const debug: string[] = []
    const rows = makeRows(40).map((r, i) => ({ ...r, visibleAtMs: i * 1000 }))
    const result = await collect(
      endpoint(rows, clock).read,
      all,
      options({ settleMs: 5000, waitTimeoutMs: 5000 }),
      { ...deps, debug: (m) => debug.push(m) }
    )
    expect(result.rows).toHaveLength(6)
    expect(debug).toEqual([
      'run "r1" (metadata run_id) grew from 1 to 6 calls while settling',
      'run "r1" (metadata run_id) still grows after wait-timeout: gating the 6 calls found'
    ])
  })

  it('reads a short page again at once even with wait-timeout 0', async () => {
    const { clock, sleeps, deps } = setup()
    const api = endpoint(makeRows(120), clock)
    let shortOnce = true
    const read: typeof api.read = async (page, perPage, untilMs) => {
      const answer = await api.read(page, perPage, untilMs)
      if (page === 1 && shortOnce) {
        shortOnce = false
        return { ...answer, rows: answer.rows.slice(0, 49) }
      }
      return answer
    }
    const result = await collect(read, all, options({ waitTimeoutMs: 0 }), deps)
    expect(result.rows).toHaveLength(120)
    expect(sleeps).toEqual([])
  })

  it('says in the debug log how far an incomplete read got before each re-read', async () => {
    const { clock, deps } = setup()
    const debug: string[] = []
    const api = endpoint(makeRows(70), clock, { totalCount: (n) => n + 10 })
    await collect(api.read, all, options({ waitTimeoutMs: 1000 }), {
      ...deps,
      debug: (m) => debug.push(m)
    }).catch(() => undefined)
    expect(debug).toEqual([
      'read 70 distinct calls of run "r1" (metadata run_id), the API counts 80; reading again in 0 ms',
      'read 70 distinct calls of run "r1" (metadata run_id), the API counts 80; reading again in 1000 ms'
    ])
  })

  it('settles a read that holds exactly expected-logs with one more request', async () => {
    const { clock, sleeps, deps } = setup()
    const result = await collect(
      endpoint(makeRows(30), clock).read,
      all,
      options({ expectedLogs: 30, settleMs: 5000 }),
      deps
    )
    expect(result.requests).toBe(2)
    expect(sleeps).toEqual([5000])
  })

  it('settles again after a settle look finds the count ahead of the rows', async () => {
    const { clock, sleeps, deps } = setup()
    // At 5 s the API counts a call it does not list yet; a second later the count is right again.
    const api = endpoint(makeRows(30), clock, {
      totalCount: (n) => (clock.ms === 5000 ? n + 1 : n)
    })
    const result = await collect(
      api.read,
      all,
      options({ settleMs: 5000 }),
      deps
    )
    expect(result.rows).toHaveLength(30)
    expect(sleeps).toEqual([5000, 2000, 5000])
  })
})

describe('collect: the reason an incomplete read gives', () => {
  it('names the one page the API repeated, reading a page at a time', async () => {
    const { deps } = setup()
    const read = async (
      _page: number,
      perPage: number
    ): Promise<ListPage<Row>> => ({ rows: makeRows(perPage), totalCount: 10 })
    const error = await collect(
      read,
      all,
      options({ maxLogs: 200, concurrency: 1 }),
      deps
    ).catch((e: unknown) => e)
    expect((error as Error).message).toBe(
      'Could not read every call of run "r1" (metadata run_id): read 50 distinct calls, the API counts 10; the API repeated rows already read (page 2 held only calls of earlier pages), as if it ignored the page asked for. The gate does not pass on part of a selection.'
    )
  })

  it('says "1 distinct call", singular', async () => {
    const { clock, deps } = setup()
    const api = endpoint(makeRows(1), clock, { totalCount: () => 2 })
    const error = await collect(
      api.read,
      all,
      options({ waitTimeoutMs: 0 }),
      deps
    ).catch((e: unknown) => e)
    expect((error as Error).message).toMatch(
      /^Could not read every call of run "r1" \(metadata run_id\): read 1 distinct call, the API counts 2;/
    )
  })

  it('does not blame a full page when the total stays above the calls of three pages', async () => {
    const { clock, deps } = setup()
    const api = endpoint(makeRows(120), clock, { totalCount: (n) => n + 10 })
    const error = await collect(
      api.read,
      all,
      options({ waitTimeoutMs: 0 }),
      deps
    ).catch((e: unknown) => e)
    expect((error as Error).message).toBe(
      'Could not read every call of run "r1" (metadata run_id): read 120 distinct calls, the API counts 130; reading again for 0 s (wait-timeout) did not find the rest: calls may have been deleted while they were read, or the API\'s count is stale. The gate does not pass on part of a selection.'
    )
  })

  it.each([[42], [null]])(
    'refuses a row whose id is not a string (%j) as invalid',
    async (id) => {
      const { clock, deps } = setup()
      const rows = makeRows(3).map((r) => ({ ...r, id: id as never }))
      const error = await collect(
        endpoint(rows, clock).read,
        all,
        options(),
        deps
      ).catch((e: unknown) => e)
      expect((error as CollectError).kind).toBe('invalid')
      expect((error as Error).message).toBe(
        'The API answered row 1 of page 1 of run "r1" (metadata run_id) with an empty id: the gate cannot tell its calls apart'
      )
    }
  )

  it('does not take known rows pushed down a page by late calls, on a re-read, for an API that repeats itself', async () => {
    const { clock, deps } = setup()
    // 200 calls, then 100 late ones made before them: the known calls move down two pages.
    const rows = [
      ...makeRows(200).map((r, i) => ({ ...r, createdMs: 1000 + i })),
      ...makeRows(100).map((r, i) => ({
        ...r,
        id: `late-${i}`,
        createdMs: i,
        visibleAtMs: 1000
      }))
    ]
    const result = await collect(
      endpoint(rows, clock).read,
      all,
      options({ expectedLogs: 300, concurrency: 1 }),
      deps
    )
    expect(result.rows).toHaveLength(300)
  })
})

describe('collect: waits, settles and limits at their boundaries', () => {
  it('settles once the expected calls are all there, even after re-reads that found nothing while it waited', async () => {
    const { clock, sleeps, deps } = setup()
    const rows = makeRows(2).map((r, i) => ({
      ...r,
      visibleAtMs: i === 0 ? 0 : 1500
    }))
    const api = endpoint(rows, clock)
    const result = await collect(
      api.read,
      all,
      options({ expectedLogs: 2, settleMs: 5000 }),
      deps
    )
    expect(result.rows).toHaveLength(2)
    // 1 s (nothing new), 2 s (the second call), then the settle pause and its look.
    expect(sleeps).toEqual([1000, 2000, 5000])
    expect(result.requests).toBe(4)
  })

  it('starts the pauses again at 1 s when a re-read finds a call, and doubles them again from there', async () => {
    const { clock, sleeps, deps } = setup()
    const rows = makeRows(3).map((r, i) => ({
      ...r,
      visibleAtMs: [0, 2500, 10_000][i]
    }))
    const result = await collect(
      endpoint(rows, clock).read,
      all,
      options({ expectedLogs: 3 }),
      deps
    )
    expect(result.rows).toHaveLength(3)
    expect(sleeps).toEqual([1000, 2000, 1000, 2000, 4000])
  })

  it('gives the number of calls that match with a too-many error, for source: auto', async () => {
    const { clock, deps } = setup()
    const error = await collect(
      endpoint(makeRows(6000), clock).read,
      all,
      options(),
      deps
    ).catch((e: unknown) => e)
    expect((error as CollectError).kind).toBe('too-many')
    expect((error as CollectError).detail).toEqual({ total: 6000 })
  })

  it('reads exactly max-logs calls that fill their last page: the empty page after it is the end, not one too many', async () => {
    const { clock, deps } = setup()
    const api = endpoint(makeRows(50), clock)
    const result = await collect(api.read, all, options({ maxLogs: 50 }), deps)
    expect(result.rows).toHaveLength(50)
    expect(api.calls.map((c) => c.page)).toEqual([1, 2])
  })

  it('stops an API that answers full pages of calls already read past max-logs pages, as too many', async () => {
    const { deps } = setup()
    const calls: number[] = []
    // Page 1 and 2 hold 100 calls; every later page answers page 2 again, full.
    const read = async (
      page: number,
      perPage: number
    ): Promise<ListPage<Row>> => {
      calls.push(page)
      const from = (Math.min(page, 2) - 1) * perPage
      return { rows: makeRows(100).slice(from, from + perPage), totalCount: 10 }
    }
    const error = await collect(
      read,
      all,
      options({ maxLogs: 100 }),
      deps
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CollectError)
    expect((error as CollectError).kind).toBe('too-many')
    // 100 distinct calls were read, no more than max-logs: the message does not say 100 is more than 100.
    expect((error as Error).message).toMatch(
      /^more calls than max-logs \(100\) match .*: narrow the selection/
    )
    // Pages 2-3 (the last max-logs allows) are read, and no further.
    expect(calls).toEqual([1, 2, 3])
  })

  it('fails a read whose budget runs out on the page after a full first page, though the rows read reach the total: the end was not seen', async () => {
    const { clock, deps } = setup()
    const api = endpoint(makeRows(50), clock)
    let left = 1
    const read: typeof api.read = async (page, perPage, untilMs) => {
      if (left-- <= 0) throw new BudgetSpentError(1, `page ${page}`)
      return api.read(page, perPage, untilMs)
    }
    const error = await collect(read, all, options(), deps).catch(
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(CollectError)
    expect((error as CollectError).kind).toBe('incomplete')
    expect((error as Error).message).toContain(
      'read 50 distinct calls, the API counts 50; the request budget is spent'
    )
  })

  it('keeps calls whose ids are told apart only by their lower case (ß and ss, ı and i) as different calls', async () => {
    const { clock, deps } = setup()
    const rows = ['call-straße', 'call-strasse', 'call-ı', 'call-i'].map(
      (id) => ({ id, run: 'r1' })
    )
    const result = await collect(
      endpoint(rows, clock).read,
      all,
      options(),
      deps
    )
    expect(result.rows.map((r) => r.id)).toEqual([
      'call-straße',
      'call-strasse',
      'call-ı',
      'call-i'
    ])
  })
})

describe('collect: short pages and repeated rows, at the pages the total implies', () => {
  it('reads the last page the total implies after a short first page, and names the short page', async () => {
    const { clock, deps } = setup()
    // 40 calls, counted as 60 (a stale count): page 1 is short, and the total implies a page 2.
    const api = endpoint(makeRows(40), clock, { totalCount: (n) => n + 20 })
    const error = await collect(
      api.read,
      all,
      options({ waitTimeoutMs: 0 }),
      deps
    ).catch((e: unknown) => e)
    expect((error as CollectError).kind).toBe('incomplete')
    expect((error as Error).message).toBe(
      'Could not read every call of run "r1" (metadata run_id): read 40 distinct calls, the API counts 60; page 1 came back with 40 of the 50 rows asked before the last page, and reading again did not find the rest. The gate does not pass on part of a selection.'
    )
    expect(api.calls.map((c) => c.page)).toEqual([1, 2, 1, 2])
  })

  it('names a short page of a batch, not only the first page of a read', async () => {
    const { clock, deps } = setup()
    const api = endpoint(makeRows(200), clock)
    // Page 3 of 4 always comes back with 30 of its 50 rows.
    const read: typeof api.read = async (page, perPage, untilMs) => {
      const answer = await api.read(page, perPage, untilMs)
      return page === 3 ? { ...answer, rows: answer.rows.slice(0, 30) } : answer
    }
    const error = await collect(
      read,
      all,
      options({ waitTimeoutMs: 0 }),
      deps
    ).catch((e: unknown) => e)
    expect((error as CollectError).kind).toBe('incomplete')
    expect((error as Error).message).toBe(
      'Could not read every call of run "r1" (metadata run_id): read 180 distinct calls, the API counts 200; page 3 came back with 30 of the 50 rows asked before the last page, and reading again did not find the rest. The gate does not pass on part of a selection.'
    )
  })

  it('reads again, rather than blaming the API, when late calls push a whole page of known calls into the next page of the same batch', async () => {
    const { deps } = setup()
    const onTime = makeRows(100)
    const late = makeRows(50).map((r, i) => ({ ...r, id: `late-${i}` }))
    let landed = false
    // The 50 late calls (made before the others) are written just after page 2 is answered.
    const read = async (
      page: number,
      perPage: number
    ): Promise<ListPage<Row>> => {
      const visible = landed ? [...late, ...onTime] : onTime
      if (page === 2) landed = true
      return {
        rows: visible.slice((page - 1) * perPage, page * perPage),
        totalCount: visible.length
      }
    }
    const result = await collect(read, all, options(), deps)
    expect(result.rows).toHaveLength(150)
    expect(new Set(result.rows.map((r) => r.id)).size).toBe(150)
  })
})
