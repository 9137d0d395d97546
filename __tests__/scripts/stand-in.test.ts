// The stand-in's list endpoint, checked with plain HTTP requests against the behaviour the action
// relies on (the OpenAPI extract of the logs API, cloudflare-typescript issue #2723, and third
// parties' probes of the live API): the traps must be there, or the end-to-end tests prove nothing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import http from 'node:http'
import { listQuery } from '../../src/cloudflare/query.js'
import { matchesRun } from '../../src/sources/match.js'
import {
  DEMO_ACCOUNT,
  DEMO_GATEWAY,
  GITHUB_ACCOUNTS,
  startStandIn,
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

interface Answer {
  status: number
  headers: http.IncomingHttpHeaders
  body: {
    success: boolean
    errors: Array<{ code: number; message: string }>
    result: Array<Record<string, unknown>> | Record<string, unknown> | null
    result_info?: Record<string, unknown>
  }
}

/** One GET with node:http, as plain as it gets. */
function get(path: string, token: string = standIn.token): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      `${standIn.origin}${path}`,
      { headers: { authorization: `Bearer ${token}` } },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: JSON.parse(text) as Answer['body']
          })
        )
      }
    )
    req.on('error', reject)
  })
}

const listPath = (gateway: string, query: string): string =>
  `/client/v4/accounts/${DEMO_ACCOUNT}/ai-gateway/gateways/${encodeURIComponent(gateway)}/logs${query ? `?${query}` : ''}`
const list = (gateway: string, query = ''): Promise<Answer> =>
  get(listPath(gateway, query))
const rows = (answer: Answer): Array<Record<string, unknown>> =>
  answer.body.result as Array<Record<string, unknown>>
const ids = (answer: Answer): unknown[] => rows(answer).map((r) => r.id)
const jsonFilters = (filters: unknown[]): string =>
  `filters=${encodeURIComponent(JSON.stringify(filters))}`
const byCreated = (logs: StandInLog[]): string[] =>
  [...logs]
    .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at))
    .map((l) => l.id)

/** Each test gets its own gateway, so that runs registered by one do not show up in another. */
let gatewayCounter = 0
const freshGateway = (): string => `gw-${++gatewayCounter}`

const LIST_FIELDS = [
  'id',
  'created_at',
  'provider',
  'model',
  'model_type',
  'path',
  'success',
  'cached',
  'status_code',
  'duration',
  'tokens_in',
  'tokens_out',
  'cost',
  'custom_cost',
  'step',
  'metadata',
  'request_type',
  'request_content_type',
  'response_content_type'
]

describe('the list endpoint', () => {
  it('honours filters only as one JSON parameter: the flattened form the SDKs send returns every log', async () => {
    const gateway = freshGateway()
    const a = standIn.addRun({ runId: 'run-a', calls: 3, gateway })
    standIn.addRun({ runId: 'run-b', calls: 2, gateway })

    const flattened =
      'filters.key=metadata.key&filters.operator=eq&filters.value=run_id&filters.key=metadata.value&filters.operator=eq&filters.value=run-a'
    const ignored = await list(gateway, `${flattened}&per_page=50`)
    expect(ignored.status).toBe(200)
    expect(ignored.body.result_info?.total_count).toBe(5)

    const honoured = await list(
      gateway,
      listQuery({
        run: { key: 'run_id', value: 'run-a' },
        page: 1,
        perPage: 50
      })
    )
    expect(honoured.status).toBe(200)
    expect(honoured.body.result_info).toEqual({
      page: 1,
      per_page: 50,
      count: 3,
      total_count: 3
    })
    expect(ids(honoured)).toEqual(byCreated(a))
  })

  it('matches metadata key and value independently, so the action must check each row again', async () => {
    const gateway = freshGateway()
    const run = standIn.addRun({ runId: 'gh-2', calls: 4, gateway })
    const [trap] = standIn.addLogs(
      [
        {
          ...run[0]!,
          id: 'trap',
          metadata: JSON.stringify({ run_id: 'gh-1', note: 'gh-2' })
        }
      ],
      { gateway }
    )
    standIn.addLogs(
      [
        {
          ...run[0]!,
          id: 'other',
          metadata: JSON.stringify({ run_id: 'gh-1' })
        }
      ],
      { gateway }
    )

    const answer = await list(
      gateway,
      listQuery({ run: { key: 'run_id', value: 'gh-2' }, page: 1, perPage: 50 })
    )
    expect(answer.body.result_info?.total_count).toBe(5)
    expect(ids(answer)).toContain(trap!.id)
    expect(ids(answer)).not.toContain('other')
    // the re-check keeps exactly the run
    expect(
      rows(answer)
        .filter((row) => matchesRun(row, 'run_id', 'gh-2'))
        .map((row) => row.id)
        .sort()
    ).toEqual(run.map((l) => l.id).sort())
  })

  it('answers per_page 51 with a 400 in Cloudflare’s error envelope, code 7001', async () => {
    const gateway = freshGateway()
    for (const perPage of ['51', '0', '-1', '1.5', 'abc']) {
      const answer = await list(gateway, `per_page=${perPage}`)
      expect(answer.status).toBe(400)
      expect(answer.body).toMatchObject({
        success: false,
        errors: [{ code: 7001 }],
        result: null
      })
      expect(answer.body.errors[0]!.message).toMatch(/per_page/)
    }
    expect((await list(gateway, 'per_page=50')).status).toBe(200)
    expect((await list(gateway, 'per_page=1')).status).toBe(200)
    expect((await list(gateway, 'page=0')).status).toBe(400)
    expect((await list(gateway, 'order_by=cost')).status).toBe(400)
    expect((await list(gateway, 'order_by_direction=up')).status).toBe(400)
  })

  it('answers an unknown gateway with 200 and total_count 0', async () => {
    const answer = await list('no-such-gateway')
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({
      success: true,
      result: [],
      result_info: { page: 1, per_page: 20, count: 0, total_count: 0 }
    })
  })

  it('lists rows with the 19 list fields, without heads or sizes; result_info has no total_pages', async () => {
    const gateway = freshGateway()
    const [log] = standIn.addRun({ runId: 'fields', calls: 1, gateway })
    expect(Object.keys(log!)).toHaveLength(25)
    const answer = await list(gateway)
    expect(Object.keys(rows(answer)[0]!).sort()).toEqual(
      [...LIST_FIELDS].sort()
    )
    expect(Object.keys(answer.body.result_info!).sort()).toEqual([
      'count',
      'page',
      'per_page',
      'total_count'
    ])
  })

  it('pages: per_page 1..50, page from 1, created_at descending by default, ascending on request', async () => {
    const gateway = freshGateway()
    const run = standIn.addRun({
      runId: 'pages',
      calls: 120,
      gateway,
      spacingMs: 7
    })
    const ascending = byCreated(run)
    const seen: unknown[] = []
    for (const page of [1, 2, 3]) {
      const answer = await list(gateway, listQuery({ page, perPage: 50 }))
      expect(answer.body.result_info).toEqual({
        page,
        per_page: 50,
        count: page < 3 ? 50 : 20,
        total_count: 120
      })
      seen.push(...ids(answer))
    }
    expect(seen).toEqual(ascending)
    const past = await list(gateway, listQuery({ page: 4, perPage: 50 }))
    expect(past.body.result_info).toEqual({
      page: 4,
      per_page: 50,
      count: 0,
      total_count: 120
    })
    const byDefault = await list(gateway)
    expect(ids(byDefault)).toEqual([...ascending].reverse().slice(0, 20))
  })

  it('compares created_at at whole seconds', async () => {
    const gateway = freshGateway()
    const [template] = standIn.addRun({
      runId: 'seconds',
      calls: 1,
      gateway: freshGateway()
    })
    standIn.addLogs(
      ['09:30:12.100', '09:30:12.900', '09:30:13.000'].map((time, i) => ({
        ...template!,
        id: `s${i}`,
        created_at: `2026-11-25T${time}Z`
      })),
      { gateway }
    )
    const gt = await list(
      gateway,
      jsonFilters([
        {
          key: 'created_at',
          operator: 'gt',
          value: ['2026-11-25T09:30:12.500Z']
        }
      ])
    )
    expect(ids(gt)).toEqual(['s2']) // 12.900 is second 12, not after second 12
    const lt = await list(
      gateway,
      `${jsonFilters([{ key: 'created_at', operator: 'lt', value: ['2026-11-25T09:30:13.500Z'] }])}&order_by_direction=asc`
    )
    expect(ids(lt)).toEqual(['s0', 's1']) // 13.000 is second 13, not before second 13
  })

  it('refuses a dotted metadata key, a key it does not know and a bad operator with a 400', async () => {
    const gateway = freshGateway()
    for (const filter of [
      { key: 'metadata.run_id', operator: 'eq', value: ['x'] },
      { key: 'no_such_key', operator: 'eq', value: ['x'] },
      { key: 'model', operator: 'like', value: ['x'] },
      { key: 'model', operator: 'eq', value: 'x' }
    ]) {
      const answer = await list(gateway, jsonFilters([filter]))
      expect(answer.status).toBe(400)
      expect(answer.body.success).toBe(false)
    }
  })

  it('filters by other fields: model eq (any of the values), success eq, cost gt, tokens', async () => {
    const gateway = freshGateway()
    const run = standIn.addRun({
      runId: 'fields-filter',
      calls: 30,
      gateway,
      failed: 4
    })
    const count = async (filters: unknown[]): Promise<unknown> =>
      (await list(gateway, jsonFilters(filters))).body.result_info?.total_count
    expect(
      await count([
        { key: 'model', operator: 'eq', value: ['gpt-4o', 'gpt-4o-mini'] }
      ])
    ).toBe(
      run.filter((l) => l.model === 'gpt-4o' || l.model === 'gpt-4o-mini')
        .length
    )
    expect(
      await count([{ key: 'success', operator: 'eq', value: [false] }])
    ).toBe(4)
    expect(await count([{ key: 'cost', operator: 'gt', value: [0.001] }])).toBe(
      run.filter((l) => (l.cost as number) > 0.001).length
    )
    expect(
      await count([{ key: 'tokens', operator: 'lt', value: [1000] }])
    ).toBe(
      run.filter(
        (l) => (l.tokens_in as number) + (l.tokens_out as number) < 1000
      ).length
    )
    expect(
      await count([{ key: 'model', operator: 'neq', value: ['gpt-4o'] }])
    ).toBe(run.filter((l) => l.model !== 'gpt-4o').length)
  })
})

describe('registered runs', () => {
  it('marks the calls asked for as failed and without cost, spread over the run', async () => {
    const gateway = freshGateway()
    const run = standIn.addRun({
      runId: 'mixed',
      calls: 40,
      gateway,
      failed: 3,
      withoutCost: [0, 39]
    })
    expect(
      run.filter((l) => l.success === false && l.status_code === 500)
    ).toHaveLength(3)
    expect(
      run.filter((l) => !('cost' in l)).map((l) => run.indexOf(l))
    ).toEqual([0, 39])
    const listed = await list(gateway, listQuery({ page: 1, perPage: 50 }))
    expect(rows(listed).filter((r) => !('cost' in r))).toHaveLength(2)
    // the metadata is a JSON string, as the API documents it
    expect(JSON.parse(String(rows(listed)[0]!.metadata))).toEqual({
      run_id: 'mixed'
    })
  })

  it('the same run registered twice is the same calls but new ids (runs are reproducible)', () => {
    const one = standIn.addRun({
      runId: 'same',
      calls: 5,
      gateway: freshGateway(),
      startMs: 1_790_000_000_000
    })
    const two = standIn.addRun({
      runId: 'same',
      calls: 5,
      gateway: freshGateway(),
      startMs: 1_790_000_000_000
    })
    const strip = (logs: StandInLog[]) =>
      logs.map(({ id: _id, ...rest }) => rest)
    expect(strip(two)).toEqual(strip(one))
    expect(new Set([...one, ...two].map((l) => l.id)).size).toBe(10)
  })

  it('late calls are neither listed, counted nor served until their delay has passed', async () => {
    const gateway = freshGateway()
    const run = standIn.addRun({
      runId: 'late',
      calls: 10,
      gateway,
      late: 2,
      lateMs: 400
    })
    const query = listQuery({
      run: { key: 'run_id', value: 'late' },
      page: 1,
      perPage: 50
    })
    const before = await list(gateway, query)
    expect(before.body.result_info?.total_count).toBe(8)
    const lateIds = run
      .map((l) => l.id)
      .filter((id) => !ids(before).includes(id))
    expect(lateIds).toHaveLength(2)
    const detail = (id: string) =>
      get(
        `/client/v4/accounts/${DEMO_ACCOUNT}/ai-gateway/gateways/${gateway}/logs/${id}`
      )
    expect((await detail(lateIds[0]!)).status).toBe(404)
    await new Promise((resolve) => setTimeout(resolve, 450))
    const after = await list(gateway, query)
    expect(after.body.result_info?.total_count).toBe(10)
    expect(ids(after)).toEqual(byCreated(run)) // late calls slot in by created_at, not at the end
    const served = await detail(lateIds[0]!)
    expect(served.status).toBe(200)
    expect(Object.keys(served.body.result as object)).toHaveLength(25)
  })

  it('serves a registered call by its id only in its own gateway', async () => {
    const gateway = freshGateway()
    const [log] = standIn.addRun({ runId: 'detail', calls: 1, gateway })
    const path = (g: string) =>
      `/client/v4/accounts/${DEMO_ACCOUNT}/ai-gateway/gateways/${g}/logs/${log!.id}`
    expect((await get(path(gateway))).body.result).toEqual(log)
    expect((await get(path(freshGateway()))).status).toBe(404)
  })

  it('serves a registered call by its id in either case, answering the id as stored', async () => {
    const gateway = freshGateway()
    const [log] = standIn.addRun({ runId: 'detail-case', calls: 1, gateway })
    const path = (id: string) =>
      `/client/v4/accounts/${DEMO_ACCOUNT}/ai-gateway/gateways/${gateway}/logs/${id}`
    for (const id of [log!.id.toLowerCase(), log!.id.toUpperCase()])
      expect((await get(path(id))).body.result).toEqual(log)
  })

  it('registers metadata values that are numbers or booleans as they are, and lists them by their text', async () => {
    const gateway = freshGateway()
    standIn.addRun({
      runId: '12345',
      calls: 2,
      gateway,
      metadata: { run_id: 12345, flag: true }
    })
    const listed = await list(
      gateway,
      jsonFilters([
        { key: 'metadata.key', operator: 'eq', value: ['run_id'] },
        { key: 'metadata.value', operator: 'eq', value: ['12345'] }
      ])
    )
    expect(rows(listed)).toHaveLength(2)
    expect(JSON.parse(rows(listed)[0]!.metadata as string)).toEqual({
      run_id: 12345,
      flag: true
    })
  })
})

describe('faults and timing', () => {
  it('answers one page with a 429 once, then normally', async () => {
    const gateway = freshGateway()
    standIn.addRun({ runId: 'throttled', calls: 60, gateway })
    standIn.failListPage(2, { retryAfterS: 2 })
    expect(
      (await list(gateway, listQuery({ page: 1, perPage: 50 }))).status
    ).toBe(200)
    const throttled = await list(gateway, listQuery({ page: 2, perPage: 50 }))
    expect(throttled.status).toBe(429)
    expect(throttled.headers['retry-after']).toBe('2')
    expect(throttled.body).toMatchObject({
      success: false,
      errors: [{ code: 971 }]
    })
    const retried = await list(gateway, listQuery({ page: 2, perPage: 50 }))
    expect(retried.status).toBe(200)
    expect(retried.body.result_info?.count).toBe(10)
  })

  it('delays each list request when asked', async () => {
    standIn.setListDelay(400)
    try {
      const started = Date.now()
      await Promise.all([list('delayed'), list('delayed')])
      const elapsedMs = Date.now() - started
      expect(elapsedMs).toBeGreaterThanOrEqual(395)
      // In parallel, not one after the other (800 ms); the margin is wide so a busy machine passes.
      expect(elapsedMs).toBeLessThan(800)
    } finally {
      standIn.setListDelay(0)
    }
  })

  it('refuses a list request without the token', async () => {
    const answer = await get(listPath(DEMO_GATEWAY, ''), 'wrong-token')
    expect(answer.status).toBe(403)
  })

  it('records the query of each list request', async () => {
    const before = standIn.listRequests().length
    await list('recorded', 'per_page=7')
    const recorded = standIn.listRequests().slice(before)
    expect(recorded).toHaveLength(1)
    expect(recorded[0]!.query).toBe('?per_page=7')
  })

  it("shows a registered log's `answered` fields in the list and the detail, filtering and ordering by the stored ones", async () => {
    const gateway = freshGateway()
    const [a, b] = standIn.addRun({ runId: 'shown', calls: 2, gateway })
    const [template] = standIn.addRun({
      runId: 'x',
      calls: 1,
      gateway: 'scratch'
    })
    const late = {
      ...template!,
      id: 'shown-late',
      created_at: new Date(Date.parse(b!.created_at) - 10).toISOString()
    }
    standIn.addLogs([late], { gateway, answered: { created_at: 'yesterday' } })
    const since = new Date(Date.parse(a!.created_at) - 1000)
      .toISOString()
      .replace(/\.\d+Z$/, 'Z')
    const answer = await list(
      gateway,
      `${jsonFilters([{ key: 'created_at', operator: 'gt', value: [since] }])}&order_by_direction=asc`
    )
    // Listed in the window and in the order of its stored time, shown with the other one.
    expect(ids(answer)).toEqual([a!.id, 'shown-late', b!.id])
    expect(rows(answer)[1]!.created_at).toBe('yesterday')
    const detail = await get(
      `/client/v4/accounts/${DEMO_ACCOUNT}/ai-gateway/gateways/${gateway}/logs/shown-late`
    )
    expect(detail.body.result).toMatchObject({
      id: 'shown-late',
      created_at: 'yesterday'
    })
  })

  it("lists a PR's comments with GitHub's Link header when they span pages, and none on a single page", async () => {
    const user = { login: 'octocat', id: 583231, type: 'User' as const }
    for (let i = 0; i < 5; i++) standIn.addComment(901, `c${i}`, user)
    const page = (n: number, perPage: number) =>
      new Promise<{ link: unknown; ids: number[] }>((resolve, reject) => {
        http
          .get(
            `${standIn.githubApiUrl}/repos/o/r/issues/901/comments?per_page=${perPage}&page=${n}`,
            { headers: { authorization: `Bearer ${standIn.githubToken}` } },
            (res) => {
              let text = ''
              res.setEncoding('utf8')
              res.on('data', (chunk: string) => (text += chunk))
              res.on('end', () =>
                resolve({
                  link: res.headers.link,
                  ids: (JSON.parse(text) as { id: number }[]).map((c) => c.id)
                })
              )
            }
          )
          .on('error', reject)
      })
    const first = await page(1, 2)
    expect(first.ids).toHaveLength(2)
    expect(first.link).toBe(
      '<https://api.github.com/repos/o/r/issues/901/comments?per_page=2&page=2>; rel="next", <https://api.github.com/repos/o/r/issues/901/comments?per_page=2&page=3>; rel="last"'
    )
    expect((await page(3, 2)).link).toBe(
      '<https://api.github.com/repos/o/r/issues/901/comments?per_page=2&page=2>; rel="prev", <https://api.github.com/repos/o/r/issues/901/comments?per_page=2&page=1>; rel="first"'
    )
    expect((await page(1, 100)).link).toBeUndefined()
  })

  it('still serves the sample logs by id', async () => {
    const answer = await get(
      `/client/v4/accounts/${DEMO_ACCOUNT}/ai-gateway/gateways/${DEMO_GATEWAY}/logs/cheap-call`
    )
    expect(answer.status).toBe(200)
    expect(answer.body.result).toMatchObject({ id: 'cheap-call', cost: 0.0012 })
  })
})

describe('runs registered at start, with a delay', () => {
  it('startStandIn({ runs, listDelayMs })', async () => {
    const other = await startStandIn({
      runs: [{ runId: 'boot', calls: 3, gateway: 'boot-gw' }],
      listDelayMs: 100
    })
    try {
      const started = Date.now()
      const answer = await new Promise<number>((resolve, reject) => {
        http
          .get(
            `${other.apiUrl}/accounts/a/ai-gateway/gateways/boot-gw/logs`,
            { headers: { authorization: `Bearer ${other.token}` } },
            (res) => {
              let text = ''
              res.on('data', (c: Buffer) => (text += c.toString()))
              res.on('end', () =>
                resolve(
                  (JSON.parse(text) as { result_info: { total_count: number } })
                    .result_info.total_count
                )
              )
            }
          )
          .on('error', reject)
      })
      expect(answer).toBe(3)
      expect(Date.now() - started).toBeGreaterThanOrEqual(95)
    } finally {
      await other.close()
    }
  })
})

// GitHub's list of a workflow's runs (https://docs.github.com/rest/actions/workflow-runs#list-workflow-runs-for-a-workflow).
describe("GitHub's list of a workflow's runs", () => {
  const runs = async (path: string, token = standIn.githubToken) => {
    const res = await fetch(
      `${standIn.githubApiUrl}/repos/o/r/actions/workflows/${path}`,
      { headers: { authorization: `Bearer ${token}` } }
    )
    return {
      status: res.status,
      body: (await res.json()) as {
        total_count?: number
        workflow_runs?: Array<Record<string, unknown>>
        message?: string
      }
    }
  }

  it('lists the runs newest first, filtered by branch, by status or conclusion, and by event', async () => {
    const at = (minutes: number) =>
      new Date(Date.UTC(2026, 10, 25, 9, minutes)).toISOString()
    standIn.addWorkflowRun({
      workflow: 'si.yml',
      id: 11,
      branch: 'main',
      createdAt: at(1)
    })
    standIn.addWorkflowRun({
      workflow: 'si.yml',
      id: 12,
      branch: 'main',
      conclusion: 'failure',
      createdAt: at(2)
    })
    standIn.addWorkflowRun({
      workflow: 'si.yml',
      id: 13,
      branch: 'main',
      status: 'in_progress',
      conclusion: null,
      createdAt: at(3)
    })
    standIn.addWorkflowRun({
      workflow: 'si.yml',
      id: 14,
      branch: 'feature',
      event: 'pull_request',
      createdAt: at(4)
    })
    standIn.addWorkflowRun({
      workflow: 'si.yml',
      id: 15,
      branch: 'main',
      attempt: 3,
      createdAt: at(0)
    })

    const ids = async (query: string) =>
      (await runs(`si.yml/runs?${query}`)).body.workflow_runs?.map((r) => r.id)
    expect(await ids('')).toEqual([14, 13, 12, 11, 15])
    expect(await ids('branch=main')).toEqual([13, 12, 11, 15])
    expect(await ids('branch=main&status=success')).toEqual([11, 15])
    expect(await ids('status=in_progress')).toEqual([13])
    expect(await ids('status=completed&branch=main')).toEqual([12, 11, 15])
    expect(await ids('event=pull_request')).toEqual([14])
    expect(await ids('branch=main&status=success&per_page=1')).toEqual([11])
    expect(await ids('branch=main&status=success&per_page=1&page=2')).toEqual([
      15
    ])
    const { body } = await runs(
      'si.yml/runs?branch=main&status=success&per_page=1'
    )
    expect(body.total_count).toBe(2)
    expect(body.workflow_runs?.[0]).toMatchObject({
      id: 11,
      head_branch: 'main',
      event: 'push',
      status: 'completed',
      conclusion: 'success',
      run_attempt: 1,
      path: '.github/workflows/si.yml',
      html_url: 'https://github.com/o/r/actions/runs/11'
    })
  })

  it("writes each run's path as its workflow's file, or the path it was registered with", async () => {
    standIn.addWorkflowRun({ workflow: 'paths.yml', id: 31 })
    standIn.addWorkflowRun({
      workflow: 'paths.yml',
      id: 32,
      createdAt: '2020-01-01T00:00:00Z',
      path: '.github/workflows/deploy.yml'
    })
    expect(
      (await runs('paths.yml/runs')).body.workflow_runs?.map((r) => [
        r.id,
        r.path
      ])
    ).toEqual([
      [31, '.github/workflows/paths.yml'],
      [32, '.github/workflows/deploy.yml']
    ])
  })

  it('takes the workflow id in place of its file name', async () => {
    const { id } = standIn.addWorkflow('by-id.yml')
    standIn.addWorkflowRun({ workflow: 'by-id.yml', id: 21 })
    expect(
      (await runs(`${id}/runs`)).body.workflow_runs?.map((r) => r.id)
    ).toEqual([21])
  })

  it('answers a known workflow without matching runs with total_count 0, an unknown one with 404, a bad token with 401', async () => {
    standIn.addWorkflow('empty.yml')
    expect(await runs('empty.yml/runs?branch=main')).toEqual({
      status: 200,
      body: { total_count: 0, workflow_runs: [] }
    })
    expect(await runs('nope.yml/runs')).toMatchObject({
      status: 404,
      body: { message: 'Not Found' }
    })
    expect(await runs('empty.yml/runs', 'not-a-token')).toMatchObject({
      status: 401,
      body: { message: 'Bad credentials' }
    })
  })

  it('answers the raw text it is given, as a hostile server would', async () => {
    standIn.addWorkflow('raw.yml')
    standIn.setWorkflowRunsBody(
      '{"total_count": 1, "workflow_runs": [{"id": "1"}]}'
    )
    try {
      expect((await runs('raw.yml/runs')).body).toEqual({
        total_count: 1,
        workflow_runs: [{ id: '1' }]
      })
    } finally {
      standIn.setWorkflowRunsBody(undefined)
    }
  })
})

describe('the gateway (what the contract suite seeds through)', () => {
  const call = (
    gateway: string,
    init: { token?: string; metadata?: string; body?: string } = {}
  ): Promise<Response> =>
    fetch(
      `${standIn.gatewayUrl}/${DEMO_ACCOUNT}/${gateway}/workers-ai/@cf/meta/llama-3.2-1b-instruct`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${init.token ?? standIn.token}`,
          ...(init.metadata ? { 'cf-aig-metadata': init.metadata } : {})
        },
        body: init.body ?? JSON.stringify({ prompt: 'Reply with OK.' })
      }
    )

  it("answers as Workers AI, with the call's log id, and logs the call with its metadata a moment later", async () => {
    const gateway = freshGateway()
    const sent = Date.now()
    const answer = await call(gateway, {
      metadata: JSON.stringify({ run: 'r-1', seq: 1 })
    })
    expect(answer.status).toBe(200)
    expect(await answer.json()).toEqual({
      result: { response: 'OK' },
      success: true,
      errors: [],
      messages: []
    })
    const id = answer.headers.get('cf-aig-log-id')!
    expect(id).toMatch(/^[0-9A-Z]{26}$/)
    // not written yet: neither listed nor served
    expect((await list(gateway)).body.result_info?.total_count).toBe(0)
    await new Promise((resolve) => setTimeout(resolve, 300))
    const detail = await get(
      `/client/v4/accounts/${DEMO_ACCOUNT}/ai-gateway/gateways/${gateway}/logs/${id}`
    )
    const log = detail.body.result as Record<string, unknown>
    expect(Object.keys(log)).toHaveLength(25)
    expect(log).toMatchObject({
      id,
      provider: 'workers-ai',
      model: '@cf/meta/llama-3.2-1b-instruct',
      metadata: '{"run":"r-1","seq":1}',
      success: true,
      status_code: 200
    })
    // the call's time, in whole milliseconds of the call
    expect(Date.parse(log.created_at as string)).toBeGreaterThanOrEqual(
      sent - 5
    )
    expect(Number.isInteger(log.duration)).toBe(true)
    expect(log.duration as number).toBeGreaterThanOrEqual(40)
    expect(ids(await list(gateway))).toEqual([id])
  })

  it('refuses another token with 401, and a body that is not JSON with 400', async () => {
    expect((await call(freshGateway(), { token: 'nope' })).status).toBe(401)
    expect((await call(freshGateway(), { body: 'not json' })).status).toBe(400)
  })
})

describe("GitHub's repository comments and users (the contract suite's GitHub checks)", () => {
  const github = async (
    path: string
  ): Promise<{ status: number; body: unknown }> => {
    const answer = await fetch(`${standIn.githubApiUrl}${path}`, {
      headers: { authorization: `Bearer ${standIn.githubToken}` }
    })
    return { status: answer.status, body: await answer.json() }
  }

  it("lists a repository's comments oldest first, or newest first with direction=desc", async () => {
    const first = standIn.addComment(1, 'a', GITHUB_ACCOUNTS.personal, 'c/r')
    const second = standIn.addComment(2, 'b', GITHUB_ACCOUNTS.actions, 'c/r')
    const asc = (await github('/repos/c/r/issues/comments')).body as {
      id: number
      user: { id: number }
    }[]
    expect(asc.map((c) => c.id)).toEqual([first.id, second.id])
    const desc = (
      await github('/repos/c/r/issues/comments?sort=created&direction=desc')
    ).body as { id: number; user: { id: number; login: string } }[]
    expect(desc.map((c) => [c.id, c.user.id])).toEqual([
      [second.id, GITHUB_ACCOUNTS.actions.id],
      [first.id, GITHUB_ACCOUNTS.personal.id]
    ])
  })

  it('answers a user by login with the id its comments and GraphQL carry, and 404 for no such user', async () => {
    expect(await github('/users/github-actions%5Bbot%5D')).toMatchObject({
      status: 200,
      body: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' }
    })
    expect((await github('/users/nobody')).status).toBe(404)
  })
})
