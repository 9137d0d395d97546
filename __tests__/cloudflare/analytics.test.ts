// The GraphQL Analytics client against a fake transport: what it posts, how it pages and chunks, and
// every hostile answer it must refuse in one line without looping or holding without bound.
import { QUERY_BUDGET, RequestBudget } from '../../src/cloudflare/budget.js'
import { describe, expect, it } from '@jest/globals'
import {
  AnalyticsError,
  analyticsSession,
  chunksOf,
  readHistogram,
  readModels,
  readSettings,
  readStatusCodes,
  readTotals,
  readTrend,
  type AnalyticsSettings
} from '../../src/cloudflare/analytics.js'
import { BudgetSpentError } from '../../src/cloudflare/budget.js'
import { GatewayError, realGatewayDeps } from '../../src/cloudflare/gateway.js'
import type { AnalyticsSelection } from '../../src/cloudflare/analytics-query.js'
import {
  exactCount,
  fakeAnalytics,
  fakeDeps,
  generateCalls,
  graphqlAnswer,
  groupsAnswer,
  type FakeCall
} from '../helpers/analytics-fake.js'
import { rawServer } from '../helpers/raw-server.js'

const TOKEN = 'cf-token-SECRET-123'
const API = 'https://api.cf.test/client/v4'
const NOW = Date.parse('2026-12-02T00:10:00Z')
const SINCE = Date.parse('2026-12-01T00:00:00Z')
const UNTIL = Date.parse('2026-12-02T00:00:00Z')
const CONN = {
  apiUrl: API,
  auth: { kind: 'token' as const, token: TOKEN },
  accountId: 'acc',
  gatewayId: 'gw',
  requestTimeoutMs: 5000,
  maxRetries: 2
}
const SELECTION: AnalyticsSelection = {
  gatewayId: 'gw',
  sinceMs: SINCE,
  untilMs: UNTIL
}
const SETTINGS: AnalyticsSettings = {
  enabled: true,
  availableFields: ['count'],
  maxDurationMs: 2_764_800_000,
  notOlderThanMs: 5_356_800_000,
  maxPageSize: 10_000
}

function setup(
  options: Parameters<typeof fakeAnalytics>[0] = { calls: [] },
  budget = 30
) {
  const fake = fakeAnalytics(options)
  const session = analyticsSession(
    CONN,
    fakeDeps(fake.post, NOW),
    new RequestBudget(budget, QUERY_BUDGET)
  )
  return { fake, session }
}

/** The error a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a rejection')
}

/** Durations sorted, and their distinct values with counts: the truth a histogram must equal. */
function truthHistogram(calls: FakeCall[]) {
  const byValue = new Map<number, number>()
  for (const c of calls)
    byValue.set(c.durationMs, (byValue.get(c.durationMs) ?? 0) + 1)
  const values = [...byValue.keys()].sort((a, b) => a - b)
  const n = calls.length
  return {
    values,
    counts: values.map((v) => byValue.get(v)!),
    sample: {
      count: { estimate: n, lower: n, upper: n, sampleSize: n },
      sampled: false
    }
  }
}

describe('the request', () => {
  it("POSTs {query, variables} as JSON to {api-url}/graphql with the REST calls' credentials", async () => {
    const { fake, session } = setup()
    await readSettings(session)
    expect(fake.posted).toHaveLength(1)
    const [p] = fake.posted
    expect(p!.url).toBe(`${API}/graphql`)
    expect(p!.headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(p!.operation).toBe('Settings')
    expect(p!.query).toContain(
      'settings {\n        aiGatewayRequestsAdaptiveGroups { enabled availableFields maxDuration notOlderThan maxPageSize }'
    )
    expect(p!.variables).toEqual({ accountTag: 'acc' })
  })

  it('sends the filter as a variable: gateway, the window at whole seconds, the run id by value', async () => {
    const { fake, session } = setup()
    await readTotals(session, { ...SELECTION, runId: 'run-1' }, SETTINGS, [
      'cost'
    ])
    const [p] = fake.posted
    expect(p!.query).toContain(
      'query Totals($accountTag: string!, $filter: AccountAiGatewayRequestsAdaptiveGroupsFilter_InputObject!)'
    )
    expect(p!.query).toContain(
      'aiGatewayRequestsAdaptiveGroups(limit: 2, filter: $filter)'
    )
    expect(p!.query).toContain(
      'count sum { cost } confidence(level: 0.95) { count { estimate lower upper sampleSize } sum { cost { estimate lower upper sampleSize } } }'
    )
    expect(p!.variables).toEqual({
      accountTag: 'acc',
      filter: {
        gateway: 'gw',
        datetime_geq: '2026-12-01T00:00:00Z',
        datetime_lt: '2026-12-02T00:00:00Z',
        metadataValues_has: 'run-1'
      }
    })
  })

  it('realGatewayDeps posts over node:http: POST, JSON content type and length, the body sent whole', async () => {
    const answer = JSON.stringify({ data: { viewer: { accounts: [] } } })
    const server = await rawServer([
      `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${answer.length}\r\n\r\n${answer}`
    ])
    try {
      const deps = realGatewayDeps(() => undefined)
      const res = await deps.post!(
        `${server.url}/graphql`,
        { authorization: 'Bearer x' },
        '{"query":"q"}',
        5000
      )
      expect(res.status).toBe(200)
      expect(res.body).toBe(answer)
      const head = server.requests()[0]!
      expect(head).toMatch(/^POST \/graphql HTTP\/1.1\r\n/)
      expect(head.toLowerCase()).toContain('content-type: application/json')
      expect(head.toLowerCase()).toContain('content-length: 13')
    } finally {
      await server.close()
    }
  })
})

describe('transport faults', () => {
  it('retries a 503 and a 429 within the query budget, each attempt taken from it', async () => {
    const { fake, session } = setup({
      calls: [],
      intercept: (_, nth) =>
        nth === 1
          ? graphqlAnswer('unavailable', 503)
          : nth === 2
            ? { status: 429, headers: { 'retry-after': '1' }, body: '' }
            : undefined
    })
    const settings = await readSettings(session)
    expect(settings.enabled).toBe(true)
    expect(fake.posted).toHaveLength(3)
    expect(session.budget.spent).toBe(3)
  })

  it("stops at the query budget with an error naming query-budget and Cloudflare's 300 a 5 minutes", async () => {
    const { session } = setup(
      { calls: [], intercept: () => graphqlAnswer('busy', 503) },
      2
    )
    const error = await failure(readSettings(session))
    expect(error).toBeInstanceOf(BudgetSpentError)
    expect(error.message).toBe(
      'The query budget is spent: query-budget allows 2 GraphQL queries, all made before the settings query of GraphQL Analytics for account "acc" could be read. Cloudflare allows 300 GraphQL queries per 5 minutes per user: shorten the window or ask for fewer percentiles, or raise query-budget.'
    )
  })

  it("also takes every attempt from the gate's request budget when there is one", async () => {
    const fake = fakeAnalytics({ calls: [] })
    const requests = new RequestBudget(5)
    const session = analyticsSession(
      CONN,
      fakeDeps(fake.post, NOW, { budget: requests }),
      new RequestBudget(30, QUERY_BUDGET)
    )
    await readSettings(session)
    expect(requests.spent).toBe(1)
  })

  it('a 403 names the Account Analytics Read permission', async () => {
    const { session } = setup({
      calls: [],
      intercept: () => graphqlAnswer('{"errors":[]}', 403)
    })
    const error = await failure(readSettings(session))
    expect(error).toBeInstanceOf(GatewayError)
    expect(error.message).toContain(
      'the API token needs the "Account Analytics Read" permission for account "acc"'
    )
  })

  it("an answer too large is not read (the transport's bound, and the same bound on any transport)", async () => {
    const { session } = setup({
      calls: [],
      intercept: () =>
        graphqlAnswer(`{"data":${' '.repeat(5 * 1024 * 1024)}null}`)
    })
    const error = await failure(readSettings(session))
    expect(error).toBeInstanceOf(AnalyticsError)
    expect(error.message).toBe(
      'GraphQL Analytics answered the settings query with an invalid answer: more than 4194304 bytes'
    )
  })
})

describe('refusals (HTTP 200 with errors)', () => {
  it("are one line: GraphQL's message (its line breaks as spaces) scrubbed, cut and escaped, its path, how many more", async () => {
    const message = `field "sum_tokensIn" not allowed for ${TOKEN}\n::stop-commands::x ${'y'.repeat(400)}`
    const { session } = setup({
      calls: [],
      intercept: () =>
        graphqlAnswer({
          data: null,
          errors: [
            {
              message,
              path: ['viewer', 'accounts', 0, 'aiGatewayRequestsAdaptiveGroups']
            },
            { message: 'second' }
          ]
        })
    })
    const error = await failure(readTotals(session, SELECTION, SETTINGS, []))
    expect(error).toBeInstanceOf(AnalyticsError)
    expect((error as AnalyticsError).kind).toBe('refused')
    expect(error.message).not.toContain('\n')
    expect(error.message).not.toContain(TOKEN)
    expect(error.message).toMatch(
      /^GraphQL Analytics refused the totals query: "field "sum_tokensIn" not allowed for \*\*\* ::stop-commands::x y+…" \(path viewer\.accounts\.0\.aiGatewayRequestsAdaptiveGroups\) and 1 more error\.$/
    )
    expect(error.message.length).toBeLessThan(450)
  })

  it('refuse with partial data too, and without a message or a path', async () => {
    const { session } = setup({
      calls: [],
      intercept: () =>
        graphqlAnswer({
          data: { viewer: { accounts: [] } },
          errors: [{ path: { a: 1 } }]
        })
    })
    const error = await failure(readSettings(session))
    expect(error.message).toBe(
      'GraphQL Analytics refused the settings query: an error without a message.'
    )
  })

  it('an account the token cannot see (no account in the answer) names the permission', async () => {
    const { session } = setup({
      calls: [],
      intercept: () => graphqlAnswer({ data: { viewer: { accounts: [] } } })
    })
    const error = await failure(readSettings(session))
    expect((error as AnalyticsError).kind).toBe('refused')
    expect(error.message).toBe(
      'GraphQL Analytics shows no account "acc" to this token: the API token needs the "Account Analytics Read" permission for it.'
    )
  })
})

describe('invalid answers', () => {
  const settingsNode = (node: unknown) =>
    graphqlAnswer({
      data: {
        viewer: {
          accounts: [{ settings: { aiGatewayRequestsAdaptiveGroups: node } }]
        }
      }
    })
  const good = {
    enabled: true,
    availableFields: ['count'],
    maxDuration: 1,
    notOlderThan: 1,
    maxPageSize: 1
  }

  it.each([
    [
      'a body that is not JSON',
      graphqlAnswer('<html>'),
      'the body is not JSON'
    ],
    [
      'JSON that is not an object',
      graphqlAnswer('[1]'),
      'the body is not a JSON object'
    ],
    [
      'data: null without errors',
      graphqlAnswer({ data: null }),
      '"data" is null and there are no errors'
    ],
    [
      'errors that are not a list',
      graphqlAnswer({ data: null, errors: 'no' }),
      '"errors" is "no", not a list'
    ],
    [
      'no viewer',
      graphqlAnswer({ data: {} }),
      'no list at data.viewer.accounts'
    ],
    [
      'two accounts',
      graphqlAnswer({ data: { viewer: { accounts: [{}, {}] } } }),
      '2 accounts at data.viewer.accounts, not the one asked for'
    ],
    [
      'no settings',
      graphqlAnswer({ data: { viewer: { accounts: [{}] } } }),
      'settings is nothing, not an object'
    ],
    [
      'enabled a string',
      settingsNode({ ...good, enabled: 'yes' }),
      'enabled is "yes", not true or false'
    ],
    [
      'availableFields not names',
      settingsNode({ ...good, availableFields: [1] }),
      'availableFields is not a list of names'
    ],
    [
      'maxDuration negative',
      settingsNode({ ...good, maxDuration: -1 }),
      'maxDuration is -1, not a whole number ≥ 0'
    ],
    [
      'maxDuration zero',
      settingsNode({ ...good, maxDuration: 0 }),
      'maxDuration is 0'
    ],
    [
      'maxPageSize a fraction',
      settingsNode({ ...good, maxPageSize: 1.5 }),
      'maxPageSize is 1.5, not a whole number ≥ 0'
    ],
    [
      'notOlderThan infinite',
      graphqlAnswer(
        JSON.stringify({
          data: {
            viewer: {
              accounts: [
                {
                  settings: {
                    aiGatewayRequestsAdaptiveGroups: {
                      ...good,
                      notOlderThan: 7
                    }
                  }
                }
              ]
            }
          }
        }).replace(':7', ':1e400')
      ),
      'notOlderThan is null, not a whole number ≥ 0'
    ]
  ])('settings: %s', async (_, answer, detail) => {
    const { session } = setup({ calls: [], intercept: () => answer })
    const error = await failure(readSettings(session))
    expect(error).toBeInstanceOf(AnalyticsError)
    expect((error as AnalyticsError).kind).toBe('invalid-answer')
    expect(error.message).toBe(
      `GraphQL Analytics answered the settings query with an invalid answer: ${detail}`
    )
  })

  it('a settings node of null is a dataset not offered', async () => {
    const { session } = setup({
      calls: [],
      intercept: () => settingsNode(null)
    })
    const error = await failure(readSettings(session))
    expect((error as AnalyticsError).kind).toBe('disabled')
  })

  it('reads a good settings node, capping the page size at 10,000', async () => {
    const { session } = setup({
      calls: [],
      intercept: () =>
        settingsNode({
          ...good,
          maxDuration: 60,
          notOlderThan: 120,
          maxPageSize: 50_000
        })
    })
    expect(await readSettings(session)).toEqual({
      enabled: true,
      availableFields: ['count'],
      maxDurationMs: 60_000,
      notOlderThanMs: 120_000,
      maxPageSize: 10_000
    })
  })

  const interval = (v: number) => ({
    estimate: v,
    lower: v,
    upper: v,
    sampleSize: v
  })
  const totalsGroup = {
    count: 3,
    sum: { cost: 0.5 },
    confidence: {
      count: interval(3),
      sum: { cost: { ...interval(0.5), sampleSize: 3 } }
    }
  }

  it.each([
    [
      'two groups',
      [totalsGroup, totalsGroup],
      '2 groups where the totals are one'
    ],
    [
      'more groups than the limit',
      [totalsGroup, totalsGroup, totalsGroup],
      '3 groups, more than the limit of 2 asked for'
    ],
    [
      'groups not a list',
      { a: 1 },
      'aiGatewayRequestsAdaptiveGroups is {"a":1}, not a list'
    ],
    ['a group not an object', [7], 'group 1 is 7, not an object'],
    [
      'a negative count',
      [{ ...totalsGroup, count: -1 }],
      'count is -1, not a whole number ≥ 0'
    ],
    [
      'a count as text',
      [{ ...totalsGroup, count: '3' }],
      'count is "3", not a whole number ≥ 0'
    ],
    [
      'a missing sum',
      [{ ...totalsGroup, sum: undefined }],
      'totals: sum is nothing, not an object'
    ],
    [
      'a negative cost',
      [{ ...totalsGroup, sum: { cost: -0.5 } }],
      'totals: sum.cost is -0.5, not a finite number ≥ 0'
    ],
    [
      'no confidence',
      [{ ...totalsGroup, confidence: null }],
      'confidence is null, not an object'
    ],
    [
      'an interval upside down',
      [
        {
          ...totalsGroup,
          confidence: {
            ...totalsGroup.confidence,
            count: { estimate: 3, lower: 4, upper: 2, sampleSize: 3 }
          }
        }
      ],
      'confidence.count is not an interval around its estimate (lower 4, estimate 3, upper 2)'
    ],
    [
      'a sampleSize that is a fraction',
      [
        {
          ...totalsGroup,
          confidence: {
            ...totalsGroup.confidence,
            count: { ...interval(3), sampleSize: 0.5 }
          }
        }
      ],
      'confidence.count.sampleSize is 0.5, not a whole number ≥ 0'
    ]
  ])('totals: %s', async (_, groups, detail) => {
    const { session } = setup({
      calls: [],
      intercept: () => groupsAnswer(groups)
    })
    const error = await failure(
      readTotals(session, SELECTION, SETTINGS, ['cost'])
    )
    expect((error as AnalyticsError).kind).toBe('invalid-answer')
    expect(error.message).toBe(
      `GraphQL Analytics answered the totals query with an invalid answer: ${detail}`
    )
  })

  it('totals: a non-finite sum (1e400 in the JSON) is refused', async () => {
    const body = JSON.stringify({
      data: {
        viewer: {
          accounts: [{ aiGatewayRequestsAdaptiveGroups: [totalsGroup] }]
        }
      }
    }).replace('"cost":0.5', '"cost":1e400')
    const { session } = setup({
      calls: [],
      intercept: () => graphqlAnswer(body)
    })
    const error = await failure(
      readTotals(session, SELECTION, SETTINGS, ['cost'])
    )
    expect(error.message).toBe(
      'GraphQL Analytics answered the totals query with an invalid answer: totals: sum.cost is null, not a finite number ≥ 0'
    )
  })

  it('totals: counted sums (errors, cached) must be whole', async () => {
    const group = {
      count: 3,
      sum: { erroredRequests: 1.5 },
      confidence: {
        count: interval(3),
        sum: { erroredRequests: interval(1.5) }
      }
    }
    const { session } = setup({
      calls: [],
      intercept: () => groupsAnswer([group])
    })
    const error = await failure(
      readTotals(session, SELECTION, SETTINGS, ['erroredRequests'])
    )
    expect(error.message).toContain(
      'totals: sum.erroredRequests is 1.5, not a whole number ≥ 0'
    )
  })

  const page = (values: number[], count = 1) =>
    values.map((v) => ({
      count,
      dimensions: { durationMs: v },
      confidence: exactCount(count)
    }))
  const small = { ...SETTINGS, maxPageSize: 3 }

  it.each([
    [
      'values not ascending',
      [page([5, 3])],
      'group 2 of page 1 has durationMs 3, not past 5 (the value before it): the values must rise strictly'
    ],
    [
      'a value repeated in a page',
      [page([5, 5])],
      'group 2 of page 1 has durationMs 5, not past 5 (the value before it): the values must rise strictly'
    ],
    [
      'a page that repeats the last value',
      [page([1, 2, 3]), page([3, 4])],
      'group 1 of page 2 has durationMs 3, not past 3 (the value before it, the last of the page before): the values must rise strictly'
    ],
    [
      'a page that goes back',
      [page([1, 2, 3]), page([2])],
      'group 1 of page 2 has durationMs 2, not past 3'
    ],
    [
      'more rows than the limit',
      [page([1, 2, 3, 4])],
      '4 groups, more than the limit of 3 asked for'
    ],
    [
      'a negative value',
      [page([-1])],
      'group 1 of page 1: durationMs is -1, not a finite number ≥ 0'
    ],
    [
      'a value as text',
      [[{ count: 1, dimensions: { durationMs: '5' } }]],
      'group 1 of page 1: durationMs is "5", not a finite number ≥ 0'
    ],
    [
      'no dimensions',
      [[{ count: 1 }]],
      'group 1 of page 1: dimensions is nothing, not an object'
    ],
    [
      'a negative count',
      [page([1], -2)],
      'group 1 of page 1: count is -2, not a whole number ≥ 0'
    ]
  ])('histogram: %s', async (_, pages, detail) => {
    const { session } = setup({
      calls: [],
      intercept: (_p, nth) =>
        groupsAnswer(pages[Math.min(nth, pages.length) - 1])
    })
    const error = await failure(
      readHistogram(session, SELECTION, small, 'durationMs', 'duration')
    )
    expect((error as AnalyticsError).kind).toBe('invalid-answer')
    expect(error.message).toContain(
      `GraphQL Analytics answered the durationMs histogram query with an invalid answer: ${detail}`
    )
  })

  it('histogram: counts that add up past 2^53 are refused, not rounded', async () => {
    const pages = [
      [
        {
          count: Number.MAX_SAFE_INTEGER,
          dimensions: { durationMs: 1 },
          confidence: exactCount(Number.MAX_SAFE_INTEGER)
        }
      ]
    ]
    const { session } = setup({
      calls: [],
      intercept: () => groupsAnswer(pages[0])
    })
    const twoChunks = { ...SETTINGS, maxDurationMs: 43_200_000 }
    const error = await failure(
      readHistogram(session, SELECTION, twoChunks, 'durationMs', 'duration')
    )
    expect(error.message).toContain(
      `counts that add up past ${Number.MAX_SAFE_INTEGER}`
    )
  })

  it('models, status codes and trend: a key answered twice, a date out of the window, a bad status code', async () => {
    const twice = [
      {
        count: 1,
        sum: { cost: 1 },
        dimensions: { model: 'm', provider: 'p' },
        confidence: exactCount(1)
      },
      {
        count: 2,
        sum: { cost: 1 },
        dimensions: { model: 'm', provider: 'p' },
        confidence: exactCount(2)
      }
    ]
    let s = setup({ calls: [], intercept: () => groupsAnswer(twice) }).session
    expect(
      (await failure(readModels(s, SELECTION, SETTINGS, ['cost']))).message
    ).toBe(
      'GraphQL Analytics answered the models query with an invalid answer: group 2 repeats ["p","m"]'
    )
    s = setup({
      calls: [],
      intercept: () =>
        groupsAnswer([{ count: 1, dimensions: { statusCode: 200.5 } }])
    }).session
    expect(
      (await failure(readStatusCodes(s, SELECTION, SETTINGS))).message
    ).toContain('group 1: statusCode is 200.5, not a whole number ≥ 0')
    s = setup({
      calls: [],
      intercept: () =>
        groupsAnswer([
          {
            count: 1,
            sum: { erroredRequests: 0 },
            dimensions: { date: '2026-11-30' }
          }
        ])
    }).session
    expect(
      (await failure(readTrend(s, SELECTION, SETTINGS, ['erroredRequests'])))
        .message
    ).toBe(
      'GraphQL Analytics answered the trend query with an invalid answer: group 1: date "2026-11-30" is not a day from 2026-12-01 to 2026-12-01'
    )
    s = setup({
      calls: [],
      intercept: () =>
        groupsAnswer([
          {
            count: 1,
            sum: { erroredRequests: 0 },
            dimensions: { date: '2026-12-01T00' }
          }
        ])
    }).session
    expect(
      (await failure(readTrend(s, SELECTION, SETTINGS, ['erroredRequests'])))
        .message
    ).toContain('is not a day from')
    s = setup({
      calls: [],
      intercept: () =>
        groupsAnswer([{ count: 1, dimensions: { model: 7, provider: 'p' } }])
    }).session
    expect(
      (await failure(readModels(s, SELECTION, SETTINGS, []))).message
    ).toContain('group 1: model is 7, not a string')
  })

  it('status codes: a whole page of them is refused (some may be missing)', async () => {
    const full = [1, 2, 3].map((code) => ({
      count: 1,
      dimensions: { statusCode: code },
      confidence: exactCount(1)
    }))
    const { session } = setup({
      calls: [],
      intercept: () => groupsAnswer(full)
    })
    const error = await failure(
      readStatusCodes(session, SELECTION, { ...SETTINGS, maxPageSize: 3 })
    )
    expect(error.message).toContain(
      '3 distinct status codes, a whole page: some may be missing'
    )
  })
})

describe('histograms', () => {
  const calls = generateCalls(3000, SINCE, UNTIL, 7)

  it('pages on the last value (durationMs_gt) until a short page, and equal the calls counted by value', async () => {
    const { fake, session } = setup({ calls, settings: { maxPageSize: 500 } })
    const settings = { ...SETTINGS, maxPageSize: 500 }
    const histogram = await readHistogram(
      session,
      SELECTION,
      settings,
      'durationMs',
      'duration'
    )
    const truth = truthHistogram(calls)
    expect(histogram).toEqual(truth)
    const pages = Math.floor(truth.values.length / 500) + 1
    expect(fake.posted).toHaveLength(pages)
    expect(fake.posted[0]!.query).toContain(
      'aiGatewayRequestsAdaptiveGroups(limit: 500, filter: $filter, orderBy: [durationMs_ASC])'
    )
    expect(fake.posted[0]!.query).toContain(
      'count dimensions { durationMs } confidence(level: 0.95) { count { estimate lower upper sampleSize } }'
    )
    const second = fake.posted[1]!.variables.filter as { AND: unknown[] }
    expect(second.AND[1]).toEqual({ durationMs_gt: truth.values[499] })
  })

  it('read in chunks of maxDuration are merged by value', async () => {
    const { fake, session } = setup({ calls })
    const settings = { ...SETTINGS, maxDurationMs: 5 * 3_600_000 }
    const histogram = await readHistogram(
      session,
      SELECTION,
      settings,
      'durationMs',
      'duration'
    )
    expect(histogram).toEqual(truthHistogram(calls))
    expect(fake.posted).toHaveLength(5) // 24 h in chunks of 5 h
    const windows = fake.posted.map((p) => {
      const f = p.variables.filter as Record<string, string>
      return [f.datetime_geq, f.datetime_lt]
    })
    expect(windows[0]).toEqual(['2026-12-01T00:00:00Z', '2026-12-01T05:00:00Z'])
    expect(windows[4]).toEqual(['2026-12-01T20:00:00Z', '2026-12-02T00:00:00Z'])
  })

  it('that need more pages than the budget has left are an error naming the metric and the budget', async () => {
    const { fake, session } = setup(
      { calls, settings: { maxPageSize: 100 } },
      4
    )
    const error = await failure(
      readHistogram(
        session,
        SELECTION,
        { ...SETTINGS, maxPageSize: 100 },
        'durationMs',
        'duration'
      )
    )
    expect((error as AnalyticsError).kind).toBe('budget')
    expect(error.message).toBe(
      'The durationMs histogram (duration) needs more than 4 queries: query-budget allows 4 GraphQL queries and all are spent (Cloudflare allows 300 GraphQL queries per 5 minutes per user). Raise query-budget or shorten the window.'
    )
    expect(fake.posted).toHaveLength(4)
  })

  it('a server that pages forever is stopped by the budget, holding at most budget × page size groups', async () => {
    let next = 0
    const { fake, session } = setup(
      {
        calls: [],
        intercept: () =>
          groupsAnswer(
            Array.from({ length: 10 }, () => ({
              count: 1,
              dimensions: { durationMs: next++ },
              confidence: exactCount(1)
            }))
          )
      },
      30
    )
    const error = await failure(
      readHistogram(
        session,
        SELECTION,
        { ...SETTINGS, maxPageSize: 10 },
        'durationMs',
        'duration'
      )
    )
    expect((error as AnalyticsError).kind).toBe('budget')
    expect(fake.posted).toHaveLength(30)
  })

  it('a window of more chunks than the budget has left is refused before any query', async () => {
    const { fake, session } = setup({ calls }, 3)
    const error = await failure(
      readTotals(session, SELECTION, { ...SETTINGS, maxDurationMs: 1000 }, [])
    )
    expect((error as AnalyticsError).kind).toBe('budget')
    expect(error.message).toBe(
      'The totals of the window need 86400 GraphQL queries (GraphQL Analytics reads at most 1 s a query) and query-budget allows 3 GraphQL queries, 3 of them left: shorten the window or raise query-budget.'
    )
    expect(fake.posted).toHaveLength(0)
  })
})

describe('chunks', () => {
  it('are consecutive, at most maxDuration each, covering the window exactly', () => {
    const { session } = setup()
    const chunks = chunksOf(
      SELECTION,
      { maxDurationMs: 10 * 3_600_000 },
      session,
      'totals'
    )
    expect(chunks.map((c) => [c.sinceMs - SINCE, c.untilMs - SINCE])).toEqual([
      [0, 36_000_000],
      [36_000_000, 72_000_000],
      [72_000_000, 86_400_000]
    ])
  })
})

describe('lists', () => {
  const calls = generateCalls(500, SINCE, UNTIL, 3)

  it('status codes are merged over chunks, ascending, null for not reported', async () => {
    const withNull = [...calls, { ...calls[0]!, statusCode: null }]
    const { session } = setup({ calls: withNull })
    const { rows, sample } = await readStatusCodes(session, SELECTION, {
      ...SETTINGS,
      maxDurationMs: 8 * 3_600_000
    })
    const truth = new Map<number | null, number>()
    for (const c of withNull)
      truth.set(c.statusCode, (truth.get(c.statusCode) ?? 0) + 1)
    expect(rows).toEqual(
      [...truth]
        .map(([code, count]) => ({ code, count }))
        .sort((a, b) => (a.code ?? -1) - (b.code ?? -1))
    )
    expect(rows[0]!.code).toBeNull()
    expect(sample).toEqual({
      count: {
        estimate: withNull.length,
        lower: withNull.length,
        upper: withNull.length,
        sampleSize: withNull.length
      },
      sampled: false
    })
  })

  it('models and trend come back chunk by chunk, for the source to add exactly', async () => {
    const { session } = setup({ calls })
    const settings = { ...SETTINGS, maxDurationMs: 12 * 3_600_000 }
    const models = await readModels(session, SELECTION, settings, ['cost'])
    expect(models.chunks).toHaveLength(2)
    expect(models.full).toBe(false)
    expect(models.chunks.flat().reduce((n, r) => n + r.count, 0)).toBe(500)
    const trend = await readTrend(session, SELECTION, settings, [
      'erroredRequests'
    ])
    expect(trend.sample.sampled).toBe(false)
    expect(trend.chunks.flat().map((r) => r.date)).toEqual([
      '2026-12-01',
      '2026-12-01'
    ])
  })

  it('model names from the API are scrubbed of the credentials', async () => {
    const { session } = setup({
      calls: [],
      intercept: () =>
        groupsAnswer([
          {
            count: 1,
            dimensions: { model: `m-${TOKEN}`, provider: 'p' },
            confidence: exactCount(1)
          }
        ])
    })
    const models = await readModels(session, SELECTION, SETTINGS, [])
    expect(models.chunks[0]![0]!.model).toBe('m-***')
  })
})
