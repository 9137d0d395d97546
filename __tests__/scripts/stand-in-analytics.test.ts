// The stand-in's GraphQL Analytics API (scripts/stand-in/cloudflare-analytics.mjs), checked with plain
// HTTP against what ANALYTICS_ASSUMPTIONS says Cloudflare's answers are: the settings node, refusals
// as `errors` with `data: null` (never a made-up value), sampled answers with intervals that hold the
// exact value, paging on the last value, lag, and a million calls equal to exactAnalytics.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  ANALYTICS_ASSUMPTIONS,
  DEMO_ACCOUNT,
  exactAnalytics,
  startStandIn,
  type AnalyticsGatewayOptions,
  type StandIn
} from '../../scripts/stand-in.mjs'
import { spawnSync } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

const STAND_IN = new URL('../../scripts/stand-in.mjs', import.meta.url).href

let standIn: StandIn
beforeAll(async () => {
  standIn = await startStandIn()
})
afterAll(async () => {
  await standIn.close()
})

interface GraphqlAnswer {
  status: number
  body: {
    data: Record<string, unknown> | null
    errors: Array<{
      message: string
      path: unknown
      extensions: { timestamp: string }
    }> | null
  }
}

async function graphql(
  query: string,
  variables: Record<string, unknown> = {},
  token = standIn.token
): Promise<GraphqlAnswer> {
  const res = await fetch(`${standIn.apiUrl}/graphql`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json'
    },
    body: JSON.stringify({ query, variables })
  })
  return {
    status: res.status,
    body: (await res.json()) as GraphqlAnswer['body']
  }
}

const nowS = Math.floor(Date.now() / 1000) * 1000
const iso = (ms: number): string => new Date(ms).toISOString()
/** A dataset query over `inner`, the filter and limit as variables. */
const dataset = (
  inner: string,
  args = 'limit: $limit, filter: $filter'
): string =>
  `query Q($accountTag: string!, $filter: F, $limit: uint64) { viewer { accounts(filter: {accountTag: $accountTag}) { aiGatewayRequestsAdaptiveGroups(${args}) { ${inner} } } } }`
interface Group {
  count: number
  sum: Record<string, number>
  dimensions: Record<string, number>
  confidence: Record<string, unknown>
}
const groupsOf = (a: GraphqlAnswer): Group[] =>
  (
    (a.body.data as { viewer: { accounts: Array<Record<string, Group[]>> } })
      .viewer.accounts[0]!.aiGatewayRequestsAdaptiveGroups ?? []
  ).map((g) => g)
const SUMS =
  'cost erroredRequests cachedRequests cachedTokensIn cachedTokensOut uncachedTokensIn uncachedTokensOut tokensIn tokensOut'
const INTERVAL = '{ estimate lower upper sampleSize }'
const TOTALS = `count sum { ${SUMS} } confidence(level: 0.95) { count ${INTERVAL} sum { cost ${INTERVAL} erroredRequests ${INTERVAL} tokensIn ${INTERVAL} tokensOut ${INTERVAL} } }`

function register(id: string, options: AnalyticsGatewayOptions) {
  standIn.addAnalyticsGateway(id, options)
  return {
    ...options,
    filter: {
      gateway: id,
      datetime_geq: iso(options.sinceMs!),
      datetime_lt: iso(options.untilMs!)
    }
  }
}
const refused = (a: GraphqlAnswer, message: RegExp): void => {
  expect(a.status).toBe(200)
  expect(a.body.data).toBeNull()
  expect(a.body.errors).toHaveLength(1)
  expect(a.body.errors![0]!.message).toMatch(message)
  expect(
    Number.isNaN(Date.parse(a.body.errors![0]!.extensions.timestamp))
  ).toBe(false)
}

describe('the settings node', () => {
  it('answers enabled, availableFields as underscore paths, maxDuration and notOlderThan in seconds, maxPageSize', async () => {
    standIn.addAnalyticsGateway('settings-gw', {
      calls: 10,
      account: 'acct-settings',
      unentitled: ['sum_tokensIn', 'dimensions_cost'],
      maxDurationS: 3600
    })
    const a = await graphql(
      `
        query S($accountTag: string!) {
          viewer {
            accounts(filter: { accountTag: $accountTag }) {
              settings {
                aiGatewayRequestsAdaptiveGroups {
                  enabled
                  availableFields
                  maxDuration
                  notOlderThan
                  maxPageSize
                  maxNumberOfFields
                }
              }
            }
          }
        }
      `,
      { accountTag: 'acct-settings' }
    )
    expect(a.status).toBe(200)
    expect(a.body.errors).toBeNull()
    const s = (
      a.body.data as {
        viewer: {
          accounts: Array<{
            settings: {
              aiGatewayRequestsAdaptiveGroups: Record<string, unknown>
            }
          }>
        }
      }
    ).viewer.accounts[0]!.settings.aiGatewayRequestsAdaptiveGroups
    expect(s).toMatchObject({
      enabled: true,
      maxDuration: 3600,
      notOlderThan: 5356800,
      maxPageSize: 10000,
      maxNumberOfFields: 30
    })
    expect(s.availableFields).toEqual(
      expect.arrayContaining([
        'count',
        'sum_cost',
        'sum_erroredRequests',
        'dimensions_durationMs',
        'dimensions_date',
        'confidence'
      ])
    )
    expect(s.availableFields).not.toContain('sum_tokensIn')
    expect(s.availableFields).not.toContain('dimensions_cost')
    // another account keeps the defaults
    const other = await graphql(
      `{ viewer { accounts(filter: {accountTag: "${DEMO_ACCOUNT}"}) { settings { aiGatewayRequestsAdaptiveGroups { maxDuration } } } } }`
    )
    expect(JSON.stringify(other.body.data)).toContain('"maxDuration":2764800')
  })
})

describe('refusals: errors and data null, never a made-up value', () => {
  let g: ReturnType<typeof register>
  let vars: Record<string, unknown>
  beforeAll(() => {
    g = register('refusals-gw', {
      calls: 100,
      sinceMs: nowS - 3_600_000,
      untilMs: nowS
    })
    vars = { accountTag: DEMO_ACCOUNT, filter: g.filter, limit: 10 }
  })

  it('a syntax error, an unknown field (avg, quantiles, a made-up sum), an unknown filter, orderBy or argument', async () => {
    refused(await graphql('{ viewer { '), /^Syntax Error/)
    for (const inner of [
      'count avg { durationMs }',
      'quantiles { durationMsP95 }',
      'sum { requests }',
      'dimensions { metadataValue }'
    ])
      refused(await graphql(dataset(inner), vars), /^Cannot query field "\w+"/)
    refused(
      await graphql(dataset('count'), {
        ...vars,
        filter: { ...g.filter, durationMs_lt: 5 }
      }),
      /^error parsing args: unknown field "durationMs_lt"/
    )
    refused(
      await graphql(dataset('count'), {
        ...vars,
        filter: { ...g.filter, metadata: { key: 'run_id', value: 'x' } }
      }),
      /unknown field "metadata"/
    )
    refused(
      await graphql(
        dataset('count dimensions { model }', 'limit: 5, orderBy: [count_ASC]'),
        vars
      ),
      /unknown orderBy value "count_ASC"/
    )
    refused(
      await graphql(
        dataset('count', 'limit: 5, orderBy: [durationMs_ASC]'),
        vars
      ),
      /durationMs is not among the dimensions asked/
    )
    refused(
      await graphql(dataset('count', 'limit: 5, first: 3'), vars),
      /^Unknown argument "first"/
    )
    refused(
      await graphql(dataset('count { estimate }'), vars),
      /^scalar fields must have not selections$/
    )
    refused(await graphql('mutation { x }'), /not configured for mutations/)
  })

  it('a limit over maxPageSize (or none), a window past maxDuration or older than notOlderThan', async () => {
    for (const limit of [10001, 0, null])
      refused(
        await graphql(dataset('count'), { ...vars, limit }),
        /^limit must be positive number and not greater than 10000$/
      )
    refused(
      await graphql(dataset('count'), {
        ...vars,
        filter: {
          ...g.filter,
          datetime_geq: iso(nowS - 36 * 86_400_000),
          datetime_lt: iso(nowS - 86_400_000)
        }
      }),
      /^query time range is too large/
    )
    refused(
      await graphql(dataset('count'), {
        ...vars,
        filter: {
          ...g.filter,
          datetime_geq: iso(nowS - 70 * 86_400_000),
          datetime_lt: iso(nowS - 60 * 86_400_000)
        }
      }),
      /^cannot request data older than 5356800s$/
    )
  })

  it('one unentitled field fails the whole query; a disabled dataset is refused', async () => {
    const u = register('unentitled-gw', {
      calls: 10,
      sinceMs: nowS - 3_600_000,
      untilMs: nowS,
      unentitled: ['sum_tokensIn'],
      account: 'acct-unentitled'
    })
    refused(
      await graphql(dataset(`count sum { cost tokensIn }`), {
        accountTag: 'acct-unentitled',
        filter: u.filter,
        limit: 2
      }),
      /^account 'acct-unentitled' does not have access to the path sum_tokensIn$/
    )
    const ok = await graphql(dataset(`count sum { cost }`), {
      accountTag: 'acct-unentitled',
      filter: u.filter,
      limit: 2
    })
    expect(groupsOf(ok)[0]!.count).toBe(10)
    const d = register('disabled-gw', {
      calls: 10,
      sinceMs: nowS - 3_600_000,
      untilMs: nowS,
      enabled: false,
      account: 'acct-disabled'
    })
    refused(
      await graphql(dataset('count'), {
        accountTag: 'acct-disabled',
        filter: d.filter,
        limit: 2
      }),
      /does not have access to the path aiGatewayRequestsAdaptiveGroups/
    )
  })

  it('a wrong token is 401 with errors; refusals can be answered 400 instead of 200', async () => {
    const a = await graphql(dataset('count'), vars, 'wrong-token')
    expect(a.status).toBe(401)
    expect(a.body.data).toBeNull()
    expect(a.body.errors![0]!.message).toBe('Unauthorized')
    standIn.setGraphqlRefusalStatus(400)
    try {
      const b = await graphql(dataset('count'), { ...vars, limit: 20000 })
      expect(b.status).toBe(400)
      expect(b.body.data).toBeNull()
    } finally {
      standIn.setGraphqlRefusalStatus(200)
    }
  })

  it('hostile queries are answered with errors, fast: deeply nested, a huge limit, a megabyte of query, a deep AND', async () => {
    const started = Date.now()
    refused(
      await graphql(`{ ${'viewer { '.repeat(50_000)}${'}'.repeat(50_000)} }`),
      /^query is nested more than 64 levels deep$/
    )
    refused(
      await graphql(`{ viewer { ${'__typename '.repeat(100_000)}} }`),
      /contains more tha[nt] 20000 tokens/
    )
    refused(
      await graphql(dataset('count', 'limit: 99999999999999999999'), vars),
      /^limit must be positive/
    )
    const megabyte = await graphql(
      `{ viewer { __typename } } # ${'x'.repeat(1_000_000)}`
    )
    expect(megabyte.body.data).toEqual({ viewer: { __typename: 'viewer' } })
    let deep: Record<string, unknown> = { gateway: 'refusals-gw' }
    for (let i = 0; i < 50; i++) deep = { AND: [deep] }
    refused(
      await graphql(dataset('count'), { ...vars, filter: deep }),
      /nested more than 8 deep/
    )
    refused(
      await graphql(dataset('count'), { ...vars, filter: '{gateway}' }),
      /a filter must be an object/
    )
    expect(Date.now() - started).toBeLessThan(10_000)
  })
})

describe('answers', () => {
  it('a megabyte comment is a valid query (the parser is linear): only the token limit bounds it', async () => {
    const a = await graphql(`{ viewer { __typename } } # ${'x'.repeat(100)}`)
    expect(a.body).toEqual({
      data: { viewer: { __typename: 'viewer' } },
      errors: null
    })
  })

  it('groups: one per distinct combination of the asked dimensions; none asked: one group, or none without calls', async () => {
    const g = register('groups-gw', {
      calls: 2000,
      sinceMs: nowS - 7_200_000,
      untilMs: nowS,
      seed: 3
    })
    const vars = { accountTag: DEMO_ACCOUNT, filter: g.filter, limit: 10000 }
    const exact = exactAnalytics(g, { sinceMs: g.sinceMs, untilMs: g.untilMs })
    const byModel = groupsOf(
      await graphql(
        dataset(
          'count sum { cost erroredRequests tokensIn tokensOut } dimensions { model provider }',
          'limit: $limit, filter: $filter, orderBy: [sum_cost_DESC]'
        ),
        vars
      )
    )
    expect(byModel).toHaveLength(exact.byModel.length)
    const costs = byModel.map((r) => r.sum.cost ?? 0)
    expect(costs).toEqual([...costs].sort((a, b) => b - a))
    for (const row of exact.byModel) {
      const got = byModel.find(
        (r) => r.dimensions.model === (row.model as never)
      )
      expect(got).toMatchObject({
        count: row.count,
        sum: {
          erroredRequests: row.errors,
          tokensIn: row.tokensInSum,
          tokensOut: row.tokensOutSum
        }
      })
      expect(Math.round((got!.sum.cost ?? 0) * 1e6)).toBe(row.costSumMicros)
    }
    const none = await graphql(dataset('count'), {
      ...vars,
      filter: { ...g.filter, gateway: 'no-such-gateway' }
    })
    expect(groupsOf(none)).toEqual([])
    // a run selected by a metadata value
    const run = register('run-gw', {
      calls: 5000,
      sinceMs: nowS - 7_200_000,
      untilMs: nowS,
      runIds: ['gh-7-1', 'gh-8-1'],
      runShare: 0.2
    })
    const runCount = groupsOf(
      await graphql(dataset('count'), {
        ...vars,
        filter: { AND: [run.filter, { metadataValues_has: 'gh-7-1' }] }
      })
    )[0]!.count
    expect(runCount).toBe(
      exactAnalytics(run, {
        sinceMs: run.sinceMs,
        untilMs: run.untilMs,
        runId: 'gh-7-1'
      }).count
    )
    expect(runCount).toBeGreaterThan(300)
  })

  it('paging with orderBy and _gt on the last value gives every durationMs once; percentiles equal the exact ones', async () => {
    const g = register('paging-gw', {
      calls: 8000,
      sinceMs: nowS - 3_600_000,
      untilMs: nowS,
      seed: 11
    })
    const seen = new Map<number, number>()
    let last: number | null = null
    let pages = 0
    for (;;) {
      const filter: Record<string, unknown> =
        last === null ? g.filter : { AND: [g.filter, { durationMs_gt: last }] }
      const rows: Group[] = groupsOf(
        await graphql(
          dataset(
            'count dimensions { durationMs }',
            'limit: 500, filter: $filter, orderBy: [durationMs_ASC]'
          ),
          { accountTag: DEMO_ACCOUNT, filter }
        )
      )
      pages++
      for (const r of rows) {
        const d = r.dimensions.durationMs as number
        expect(seen.has(d)).toBe(false)
        seen.set(d, r.count)
      }
      if (rows.length < 500) break
      last = rows.at(-1)!.dimensions.durationMs as number
    }
    const exact = exactAnalytics(g, { sinceMs: g.sinceMs, untilMs: g.untilMs })
    expect(pages).toBeGreaterThan(2)
    expect(seen.size).toBe(exact.duration.distinct)
    const values = [...seen.entries()].sort((a, b) => a[0] - b[0])
    const n = values.reduce((a, [, c]) => a + c, 0)
    expect(n).toBe(exact.count)
    const rank = (p: number): number => {
      let need = Math.ceil((p / 100) * n)
      for (const [v, c] of values) if ((need -= c) <= 0) return v
      return NaN
    }
    expect([rank(50), rank(95), rank(99)]).toEqual([
      exact.duration.p50,
      exact.duration.p95,
      exact.duration.p99
    ])
    expect([values[0]![0], values.at(-1)![0]]).toEqual([
      exact.duration.min,
      exact.duration.max
    ])
  })

  it('sampled answers: estimates scaled, sampleSize below the estimate, each interval holds the exact value', async () => {
    const g = register('sampled-gw', {
      calls: 50_000,
      sinceMs: nowS - 86_400_000,
      untilMs: nowS,
      seed: 5,
      sampleRate: 0.1
    })
    const exact = exactAnalytics(g, { sinceMs: g.sinceMs, untilMs: g.untilMs })
    const [t] = groupsOf(
      await graphql(dataset(TOTALS), {
        accountTag: DEMO_ACCOUNT,
        filter: g.filter,
        limit: 2
      })
    )
    const c = t!.confidence as unknown as Record<
      string,
      Record<string, number> & Record<string, Record<string, number>>
    >
    expect(c.count!.sampleSize).toBeLessThan(c.count!.estimate!)
    expect(c.count!.sampleSize).toBe(5000)
    expect(c.count!.estimate).toBe(t!.count)
    const within = (i: Record<string, number>, truth: number): void => {
      expect(i.lower).toBeLessThan(i.upper!)
      expect([i.lower! <= truth, truth <= i.upper!]).toEqual([true, true])
    }
    within(c.count!, exact.count)
    within(c.sum!.cost as unknown as Record<string, number>, exact.costSum)
    within(
      c.sum!.erroredRequests as unknown as Record<string, number>,
      exact.errors
    )
    within(
      c.sum!.tokensIn as unknown as Record<string, number>,
      exact.tokensInSum
    )
  })

  it('lag: calls newer than now - lagMs are not there yet', async () => {
    const g = register('lag-gw', {
      calls: 600,
      sinceMs: nowS - 600_000,
      untilMs: nowS,
      lagMs: 300_000
    })
    const [t] = groupsOf(
      await graphql(dataset('count'), {
        accountTag: DEMO_ACCOUNT,
        filter: g.filter,
        limit: 2
      })
    )
    expect(t!.count).toBeGreaterThan(250)
    expect(t!.count).toBeLessThanOrEqual(310)
  })

  it('a totals query can be answered with two groups (an invalid answer the client must refuse)', async () => {
    const g = register('two-gw', {
      calls: 100,
      sinceMs: nowS - 600_000,
      untilMs: nowS,
      totalsTwoGroups: true
    })
    const groups = groupsOf(
      await graphql(dataset('count'), {
        accountTag: DEMO_ACCOUNT,
        filter: g.filter,
        limit: 2
      })
    )
    expect(groups).toHaveLength(2)
    expect(groups[0]!.count + groups[1]!.count).toBe(100)
  })

  it('a million calls: the totals query equals exactAnalytics and takes about a second; queries are counted per gateway', () => {
    // In a plain Node process: numeric code runs 10-30 times slower inside Jest's VM context than in
    // Node itself, and the bench and a runner's stand-in are plain Node.
    const script = `
      import { startStandIn, exactAnalytics } from ${JSON.stringify(STAND_IN)}
      const s = await startStandIn()
      const nowS = Math.floor(Date.now() / 1000) * 1000
      const g = { calls: 1_000_000, sinceMs: nowS - 86_400_000, untilMs: nowS, seed: 7 }
      s.addAnalyticsGateway('million-gw', g)
      const filter = { gateway: 'million-gw', datetime_geq: new Date(g.sinceMs).toISOString(), datetime_lt: new Date(g.untilMs).toISOString() }
      const times = []
      let answer
      for (let i = 0; i < 2; i++) {
        const started = performance.now()
        const res = await fetch(s.apiUrl + '/graphql', { method: 'POST', headers: { authorization: 'Bearer ' + s.token },
          body: JSON.stringify({ query: ${JSON.stringify(dataset(TOTALS))}, variables: { accountTag: 'a', filter, limit: 2 } }) })
        answer = await res.json()
        times.push(performance.now() - started)
      }
      const exact = exactAnalytics(g, { sinceMs: g.sinceMs, untilMs: g.untilMs })
      console.log(JSON.stringify({ times, answer, exact, counted: s.analyticsQueryCount('million-gw'), requests: s.graphqlRequests().length }))
      await s.close()`
    const run = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', script],
      {
        encoding: 'utf8',
        timeout: 60_000
      }
    )
    expect(run.stderr).toBe('')
    const out = JSON.parse(run.stdout) as {
      times: number[]
      answer: GraphqlAnswer['body']
      exact: ReturnType<typeof exactAnalytics>
      counted: number
      requests: number
    }
    const [t] = groupsOf({ status: 200, body: out.answer })
    expect(t).toMatchObject({
      count: 1_000_000,
      sum: {
        erroredRequests: out.exact.errors,
        cachedRequests: out.exact.cached,
        tokensIn: out.exact.tokensInSum,
        tokensOut: out.exact.tokensOutSum
      }
    })
    expect(Math.round((t!.sum.cost ?? 0) * 1e6)).toBe(out.exact.costSumMicros)
    expect(
      (t!.confidence as unknown as Record<string, Record<string, number>>).count
    ).toEqual({
      estimate: 1_000_000,
      lower: 1_000_000,
      upper: 1_000_000,
      sampleSize: 1_000_000
    })
    // about 0.3 s on a quiet machine, 1 s on a loaded one
    expect(Math.min(...out.times)).toBeLessThan(5000)
    expect([out.counted, out.requests]).toEqual([2, 2])
  }, 60_000)
})

describe('the table of assumptions', () => {
  it('grades every row, and every row the stand-in names in brackets is in it', () => {
    const ids = ANALYTICS_ASSUMPTIONS.map((a) => a.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const a of ANALYTICS_ASSUMPTIONS)
      expect([
        a.id,
        ['documented', 'seen-live', 'open', 'inferred', 'assumed'].includes(
          a.grade
        ),
        a.source.length > 5
      ]).toEqual([a.id, true, true])
    const dir = new URL('../../scripts/stand-in/', import.meta.url).pathname
    const named = readdirSync(dir)
      .filter((f) => f.startsWith('cloudflare-analytics'))
      .flatMap((f) => [
        ...readFileSync(join(dir, f), 'utf8').matchAll(
          /\[(analytics\.[a-z0-9-]+)\]/g
        )
      ])
      .map((m) => m[1])
    expect(named.length).toBeGreaterThan(10)
    for (const id of named) expect([id, ids.includes(id!)]).toEqual([id, true])
  })
})
