// The logs source with the outside world replaced: a fake Cloudflare answering its log detail, list
// and logging-state endpoints as the API does (the `{success, result}` envelope, `result_info` with
// total_count, a 404 with Cloudflare's errors for a log it does not hold; the list filtered at whole
// seconds and by metadata key and value matched independently), a clock that sleeping advances.
import { describe, expect, it } from '@jest/globals'
import {
  describeSelection,
  measureCalls,
  measureLogs
} from '../../src/sources/logs.js'
import { CollectError } from '../../src/cloudflare/collect.js'
import {
  GatewayError,
  WORKERS_OBSERVABILITY_HINT,
  type GatewayDeps,
  type RawResponse
} from '../../src/cloudflare/gateway.js'
import type { LogDetail, LogSummary } from '../../src/cloudflare/log.js'
import { parseConfig, type Config } from '../../src/inputs/config.js'
import { readInputs } from '../../src/inputs/names.js'
import { LOG } from '../helpers/fixtures.js'

const NOW_MS = Date.parse('2026-11-26T12:00:00Z')
const API = 'https://api.cf.test/client/v4'

/** The config of a gate with these inputs, as the action parses them. */
const config = (inputs: Record<string, string>): Config => {
  const all: Record<string, string> = {
    'api-token': 'cf-token-SECRET-1',
    'account-id': 'acc',
    'gateway-id': 'gw',
    'api-url': API,
    'wait-timeout': '0',
    ...inputs
  }
  return parseConfig(
    readInputs((name) => all[name] ?? '', {}),
    {},
    NOW_MS
  )
}

/** A call as the API lists and details it, made at `createdMs`, with this metadata. */
const call = (
  id: string,
  createdMs: number,
  metadata?: Record<string, unknown>
): LogDetail => ({
  ...LOG,
  id,
  created_at: new Date(createdMs).toISOString(),
  ...(metadata ? { metadata: JSON.stringify(metadata) } : {})
})

const json = (body: unknown, status = 200): RawResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body)
})
const envelope = (result: unknown, extra: Record<string, unknown> = {}) => ({
  success: true,
  errors: [],
  messages: [],
  result,
  ...extra
})

interface Filter {
  key: string
  operator: string
  value: unknown[]
}

/** Whether the API's list keeps a row under one filter: metadata key and value independently, created_at at whole seconds. */
function passes(row: LogDetail, filter: Filter): boolean {
  const metadata =
    typeof row.metadata === 'string'
      ? (JSON.parse(row.metadata) as Record<string, unknown>)
      : {}
  if (filter.key === 'metadata.key')
    return filter.value.some((k) => Object.hasOwn(metadata, String(k)))
  if (filter.key === 'metadata.value')
    return Object.values(metadata).some((v) => filter.value.includes(v))
  if (filter.key === 'created_at') {
    const seconds = Math.floor(Date.parse(row.created_at) / 1000)
    const bound = Date.parse(String(filter.value[0])) / 1000
    return filter.operator === 'gt' ? seconds > bound : seconds < bound
  }
  return true
}

interface FakeOptions {
  /** The logging-state answer's platform, as Cloudflare names it; undefined: an answer that names none. */
  platform?: string
  /** Every list request answered with this instead. */
  list?: RawResponse
}

/** Cloudflare over `calls`, as a GatewayDeps; every URL asked is recorded, and the most requests in flight at once. */
function fakeCloudflare(calls: LogDetail[], options: FakeOptions = {}) {
  let nowMs = NOW_MS
  let inFlight = 0
  const sent: string[] = []
  const sleeps: number[] = []
  const debugs: string[] = []
  const state = { mostAtOnce: 0 }
  const answer = (url: string): RawResponse => {
    const { pathname, searchParams } = new URL(url)
    if (pathname.endsWith('/ai-gateway/logging-state'))
      return json(
        envelope(
          options.platform === undefined ? {} : { platform: options.platform }
        )
      )
    const detail = /\/logs\/([^/]+)$/.exec(pathname)
    if (detail) {
      const id = decodeURIComponent(detail[1]!)
      const found = calls.find((c) => c.id.toLowerCase() === id.toLowerCase())
      return found
        ? json(envelope(found))
        : json(
            {
              success: false,
              errors: [{ code: 7002, message: 'Not Found' }],
              result: null
            },
            404
          )
    }
    if (options.list) return options.list
    const filters = JSON.parse(searchParams.get('filters') ?? '[]') as Filter[]
    const page = Number(searchParams.get('page'))
    const perPage = Number(searchParams.get('per_page'))
    const matching = calls.filter((c) => filters.every((f) => passes(c, f)))
    const result = matching.slice((page - 1) * perPage, page * perPage)
    return json(
      envelope(result, {
        result_info: {
          page,
          per_page: perPage,
          count: result.length,
          total_count: matching.length
        }
      })
    )
  }
  const deps: GatewayDeps = {
    send: async (url) => {
      sent.push(url)
      inFlight++
      state.mostAtOnce = Math.max(state.mostAtOnce, inFlight)
      // Answered a moment later, as a network does: other requests may start meanwhile.
      await new Promise((resolve) => setImmediate(resolve))
      inFlight--
      return answer(url)
    },
    sleep: async (ms) => {
      sleeps.push(ms)
      nowMs += ms
    },
    now: () => nowMs,
    random: () => 0.5,
    debug: (m) => debugs.push(m)
  }
  return { deps, sent, sleeps, debugs, state }
}

const keepAll = <T extends LogSummary>(row: T): T => row

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a rejection')
}

const ids = (measured: { calls?: readonly LogSummary[] }) =>
  measured.calls?.map((c) => c.id)

const listRequests = (sent: string[]) =>
  sent.filter((u) => u.includes('/logs?'))

describe('measureCalls', () => {
  it('measures one log as the one call read', () => {
    const measured = measureCalls({ kind: 'log', log: LOG })
    expect(measured.calls).toEqual([LOG])
    expect(measured.log).toBe(LOG)
    expect(measured.metrics.count).toBe(1)
  })
})

describe('describeSelection', () => {
  it('counts the calls of log-ids, one in the singular', () => {
    expect(describeSelection({ kind: 'logs', logIds: ['a'] })).toBe(
      '1 call (log-ids)'
    )
    expect(describeSelection({ kind: 'logs', logIds: ['a', 'b'] })).toBe(
      '2 calls (log-ids)'
    )
  })

  it('has no words for one log', () => {
    expect(describeSelection({ kind: 'log', logId: 'a' })).toBeUndefined()
  })
})

describe('measureLogs: log-ids', () => {
  it('reads every id, the calls in the order of the ids', async () => {
    const calls = ['c', 'a', 'b'].map((id) => call(id, NOW_MS - 60_000))
    const fake = fakeCloudflare(calls)
    const measured = await measureLogs(
      config({ 'log-ids': 'c,a,b' }),
      fake.deps,
      keepAll
    )
    expect(ids(measured)).toEqual(['c', 'a', 'b'])
    expect(measured.describe).toBe('3 calls (log-ids)')
    expect(measured.metrics.count).toBe(3)
    // One detail each, and no other request.
    expect(fake.sent).toEqual(
      ['c', 'a', 'b'].map(
        (id) => `${API}/accounts/acc/ai-gateway/gateways/gw/logs/${id}`
      )
    )
  })

  it('reads one id', async () => {
    const fake = fakeCloudflare([call('a', NOW_MS - 60_000)])
    const measured = await measureLogs(
      config({ 'log-ids': 'a' }),
      fake.deps,
      keepAll
    )
    expect(ids(measured)).toEqual(['a'])
    expect(fake.sent).toHaveLength(1)
  })

  it('reads at most 4 details at once', async () => {
    const names = Array.from({ length: 10 }, (_, i) => `log-${i}`)
    const fake = fakeCloudflare(names.map((id) => call(id, NOW_MS - 60_000)))
    const measured = await measureLogs(
      config({ 'log-ids': names.join(',') }),
      fake.deps,
      keepAll
    )
    expect(ids(measured)).toEqual(names)
    expect(fake.state.mostAtOnce).toBe(4)
  })

  it('fails with the not-found of an id the gateway does not hold', async () => {
    const fake = fakeCloudflare([call('a', NOW_MS - 60_000)])
    const error = await rejection(
      measureLogs(config({ 'log-ids': 'a,zz' }), fake.deps, keepAll)
    )
    expect(error).toBeInstanceOf(GatewayError)
    expect(error.message).toContain('Not found: log "zz" in gateway "gw"')
  })
})

describe('measureLogs: one log', () => {
  it('reads the one log whole, and prepares it', async () => {
    const fake = fakeCloudflare([call('a', NOW_MS - 60_000)])
    const measured = await measureLogs(
      config({ 'log-id': 'a' }),
      fake.deps,
      (row) => ({ ...row, model: 'prepared' })
    )
    expect(measured.log).toMatchObject({ id: 'a', model: 'prepared' })
    expect(ids(measured)).toEqual(['a'])
  })
})

describe('measureLogs: a run', () => {
  const run = { 'run-id': 'gh-1' }

  it("keeps only the run's own calls, with the run's entry of their metadata", async () => {
    const calls = [
      call('a', NOW_MS - 60_000, { run_id: 'gh-1', note: 'x' }),
      // The API matches key and value independently: this one is listed, and is not the run's.
      call('b', NOW_MS - 50_000, { run_id: 'gh-2', other: 'gh-1' }),
      call('c', NOW_MS - 40_000, { run_id: 'gh-1' })
    ]
    const fake = fakeCloudflare(calls)
    const measured = await measureLogs(config(run), fake.deps, keepAll)
    expect(ids(measured)).toEqual(['a', 'c'])
    expect(measured.calls?.map((c) => c.metadata)).toEqual([
      '{"run_id":"gh-1"}',
      '{"run_id":"gh-1"}'
    ])
    expect(measured.describe).toBe('run "gh-1" (metadata "run_id")')
  })

  it('fails an empty run at once on a legacy account, naming the run, the gateway and the likely causes', async () => {
    const fake = fakeCloudflare([], { platform: 'legacy' })
    const error = await rejection(measureLogs(config(run), fake.deps, keepAll))
    expect(error).toBeInstanceOf(CollectError)
    expect(error).toMatchObject({
      kind: 'empty',
      detail: { platform: 'legacy' }
    })
    expect(error.message).toBe(
      'No calls found for run "gh-1" (metadata "run_id") in gateway "gw" of account "acc". ' +
        "Likely causes: the eval's calls did not send the cf-aig-metadata header with this run id and key, they went through another gateway, or logging is off for the gateway. Set expected-logs: 0 if an empty run is fine."
    )
  })

  it('says how long it waited for an empty run on a legacy account', async () => {
    const fake = fakeCloudflare([], { platform: 'legacy' })
    const error = await rejection(
      measureLogs(config({ ...run, 'wait-timeout': '3' }), fake.deps, keepAll)
    )
    expect(error).toMatchObject({ kind: 'empty' })
    expect(error.message).toMatch(
      /^No calls found for run "gh-1" \(metadata "run_id"\) in gateway "gw" of account "acc" after waiting 3 s\. Likely causes: the eval's calls/
    )
    expect(fake.sleeps.length).toBeGreaterThan(0)
  })

  it('says nothing of the platform when logging-state names none', async () => {
    const fake = fakeCloudflare([])
    const error = await rejection(measureLogs(config(run), fake.deps, keepAll))
    expect(error).toMatchObject({ kind: 'empty', detail: {} })
    expect((error as CollectError).detail).toEqual({})
    expect(error.message).toContain('"acc". Likely causes: the eval')
  })

  it('stops at the first empty read on an account that logs to Workers Observability, without waiting', async () => {
    const fake = fakeCloudflare([], { platform: 'workers_observability' })
    const error = await rejection(
      measureLogs(config({ ...run, 'wait-timeout': '30' }), fake.deps, keepAll)
    )
    expect(error).toBeInstanceOf(CollectError)
    expect((error as CollectError).detail).toEqual({
      platform: 'workers-observability'
    })
    expect(error.message).toBe(
      `No calls found for run "gh-1" (metadata "run_id") in gateway "gw" of account "acc" (not waited for). ${WORKERS_OBSERVABILITY_HINT}`
    )
    expect(fake.sleeps).toEqual([])
    expect(listRequests(fake.sent)).toHaveLength(1)
  })

  it('passes on the errors that are not an empty read', async () => {
    const fake = fakeCloudflare([], {
      list: json(
        {
          success: false,
          errors: [{ code: 10000, message: 'Authentication error' }],
          result: null
        },
        403
      )
    })
    const error = await rejection(measureLogs(config(run), fake.deps, keepAll))
    expect(error).toBeInstanceOf(GatewayError)
    expect(error).toMatchObject({ kind: 'auth' })
  })

  it('passes on a run with more calls than max-logs', async () => {
    const calls = [1, 2, 3].map((i) =>
      call(`c${i}`, NOW_MS - i * 1000, { run_id: 'gh-1' })
    )
    const fake = fakeCloudflare(calls)
    const error = await rejection(
      measureLogs(config({ ...run, 'max-logs': '2' }), fake.deps, keepAll)
    )
    expect(error).toMatchObject({ kind: 'too-many', detail: { total: 3 } })
    expect(error.message).toContain('3 calls match run "gh-1"')
  })
})

describe('measureLogs: a window', () => {
  it('ends a window without `until` when the read starts: a call the gateway dates later is not in it', async () => {
    const calls = [
      call('a', NOW_MS - 3_600_000),
      // The gateway's clock runs a minute ahead of the runner's.
      call('late', NOW_MS + 60_000)
    ]
    const fake = fakeCloudflare(calls)
    const measured = await measureLogs(
      config({ since: '24h' }),
      fake.deps,
      keepAll
    )
    expect(ids(measured)).toEqual(['a'])
  })

  it('keeps to the exact window, though the API compares whole seconds, and reads only up to its end', async () => {
    const since = Date.parse('2026-11-26T10:00:00.500Z')
    const until = Date.parse('2026-11-26T11:00:00.500Z')
    const calls = [
      call('before', since - 300),
      call('first', since),
      call('last', until - 1),
      call('at-until', until),
      call('after', until + 120_000)
    ]
    const fake = fakeCloudflare(calls)
    const measured = await measureLogs(
      config({
        since: '2026-11-26T10:00:00.500Z',
        until: '2026-11-26T11:00:00.500Z'
      }),
      fake.deps,
      keepAll
    )
    expect(ids(measured)).toEqual(['first', 'last'])
    expect(measured.describe).toBe(
      'calls from 2026-11-26T10:00:00Z to 2026-11-26T11:00:00Z'
    )
    const filters = listRequests(fake.sent).map(
      (u) =>
        JSON.parse(new URL(u).searchParams.get('filters') ?? '') as Filter[]
    )
    // Every read (the first, and the one that settles it) asks for the same bounds.
    expect(filters.length).toBeGreaterThan(0)
    for (const sent of filters)
      expect(sent).toEqual([
        { key: 'created_at', operator: 'gt', value: ['2026-11-26T09:59:59Z'] },
        { key: 'created_at', operator: 'lt', value: ['2026-11-26T11:00:01Z'] }
      ])
  })

  it('fails an empty window on a legacy account, naming the window and its likely causes', async () => {
    const fake = fakeCloudflare([], { platform: 'legacy' })
    const error = await rejection(
      measureLogs(
        config({ since: '2026-11-26T10:00:00Z', 'wait-timeout': '2' }),
        fake.deps,
        keepAll
      )
    )
    expect(error).toMatchObject({ kind: 'empty' })
    expect(error.message).toBe(
      'No calls found for calls from 2026-11-26T10:00:00Z to now in gateway "gw" of account "acc" after waiting 2 s. ' +
        'Likely causes: a wrong gateway-id, no traffic in the window, or logging turned off for the gateway. Set expected-logs: 0 if an empty window is fine.'
    )
  })
})
