import { describe, expect, it } from '@jest/globals'
import { parseConfig, type Config } from '../../src/inputs/config.js'
import { readInputs, type InputName } from '../../src/inputs/names.js'
import { ConfigError } from '../../src/inputs/problems.js'
import {
  analyticsUntilMs,
  ANALYTICS_LAG_MS,
  parseTrendDays
} from '../../src/inputs/source.js'

type Inputs = Partial<Record<InputName, string>>

const NOW_MS = Date.parse('2026-12-01T12:00:00Z')
const base: Inputs = {
  'api-token': 'cf-token-SECRET-0123456789abcdef',
  'account-id': 'acc-123',
  'gateway-id': 'my-gateway'
}
const parse = (inputs: Inputs): Config =>
  parseConfig(
    readInputs((name) => ({ ...base, ...inputs })[name as InputName] ?? '', {}),
    {},
    NOW_MS
  )
function problems(inputs: Inputs): string[] {
  try {
    parse(inputs)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as ConfigError).problems
  }
  throw new Error(`parseConfig accepted ${JSON.stringify(inputs)}`)
}

describe('source', () => {
  it('defaults to auto, with a query budget of 30 and no trend', () => {
    const config = parse({ since: '24h' })
    expect(config.source).toEqual({
      choice: 'auto',
      queryBudget: 30,
      trendDays: null,
      untilSet: false
    })
  })

  it.each(['logs', 'analytics', 'auto', 'Analytics'])('accepts %s', (value) => {
    expect(parse({ since: '24h', source: value }).source.choice).toBe(
      value.toLowerCase()
    )
  })

  it('refuses another value, naming the input and the value', () => {
    expect(problems({ since: '24h', source: 'graphql' })).toEqual([
      'source "graphql" is not logs, analytics, auto'
    ])
  })

  it.each([
    [
      'log-id',
      { 'log-id': 'abc' },
      'source "analytics" reads runs and windows from GraphQL Analytics, which has no single calls: log-id needs source: logs (or auto)'
    ],
    [
      'log-ids',
      { 'log-ids': 'a,b' },
      'source "analytics" reads runs and windows from GraphQL Analytics, which has no single calls: log-ids needs source: logs (or auto)'
    ],
    [
      'filters',
      {
        since: '24h',
        filters: '[{"key":"model","operator":"eq","value":["gpt-4o"]}]'
      },
      'filters cannot be applied by GraphQL Analytics (source "analytics"): remove filters, or set source: logs'
    ],
    [
      'a run id without since',
      { 'run-id': 'gh-1-1' },
      'run-id with source "analytics" needs since: analytics is read by time, and the run is found inside that window (e.g. since: 2h)'
    ],
    [
      'a window inside the lag',
      { since: '5m' },
      'since "5m" starts within the last 10 minutes, which GraphQL Analytics does not have yet (events reach it minutes after the call; without until its window ends 10 minutes ago): set since further back, or source: logs'
    ]
  ])(
    'with analytics, refuses %s before any request',
    (_what, inputs, problem) => {
      expect(problems({ source: 'analytics', ...inputs })).toEqual([problem])
    }
  )

  it('with auto, takes filters and a run without since (they stay with logs)', () => {
    expect(
      parse({
        since: '24h',
        filters: '[{"key":"model","operator":"eq","value":["gpt-4o"]}]'
      }).source.choice
    ).toBe('auto')
    expect(parse({ 'run-id': 'gh-1-1' }).source.choice).toBe('auto')
  })

  it('with analytics, a window inside the lag is fine when until is set', () => {
    const config = parse({
      source: 'analytics',
      since: '2026-12-01T11:55:00Z',
      until: '2026-12-01T11:58:00Z'
    })
    expect(config.source.untilSet).toBe(true)
  })
})

describe('query-budget', () => {
  it.each([
    ['1', 1],
    ['300', 300],
    ['45', 45]
  ])('reads %s', (value, expected) => {
    expect(
      parse({ since: '24h', 'query-budget': value }).source.queryBudget
    ).toBe(expected)
  })

  it.each(['0', '301', '1.5', 'ten'])('refuses %s', (value) => {
    expect(problems({ since: '24h', 'query-budget': value })).toEqual([
      `query-budget ${JSON.stringify(value)} is not a whole number from 1 to 300 (Cloudflare allows 300 GraphQL queries per 5 minutes per user)`
    ])
  })

  it('warns that it is ignored for one log', () => {
    expect(parse({ 'log-id': 'abc', 'query-budget': '10' }).warnings).toEqual([
      'query-budget is ignored: it limits GraphQL Analytics queries, which log-id never makes'
    ])
  })

  it('warns that it is ignored with source logs and no trend', () => {
    expect(
      parse({ since: '24h', source: 'logs', 'query-budget': '10' }).warnings
    ).toEqual([
      'query-budget is ignored: source is logs, which makes no GraphQL Analytics query'
    ])
  })
})

describe('trend', () => {
  it.each([
    ['14d', 14],
    ['1d', 1],
    ['62d', 62],
    ['7', 7],
    ['30D', 30]
  ])('reads %s as %d days', (value, days) => {
    expect(parseTrendDays(value)).toBe(days)
    expect(parse({ since: '24h', trend: value }).source.trendDays).toBe(days)
  })

  it.each(['0d', '63d', '2w', '-1d', '1.5d', 'd'])('refuses %s', (value) => {
    expect(problems({ since: '24h', trend: value })).toEqual([
      `trend ${JSON.stringify(value)} is not a number of days from 1 to 62 (e.g. 14d)`
    ])
  })

  it('refuses a trend for one log', () => {
    expect(problems({ 'log-id': 'abc', trend: '14d' })).toEqual([
      'trend adds the days before a run or a window (run-id or since), not log-id'
    ])
  })

  it('refuses a trend with source logs, which rules out the query it needs', () => {
    expect(problems({ since: '24h', source: 'logs', trend: '14d' })).toEqual([
      'trend is read from GraphQL Analytics (one query), which source: logs rules out: set source to auto or analytics, or remove trend'
    ])
  })
})

describe('analyticsUntilMs', () => {
  it('is until when set, else the lag before now', () => {
    expect(analyticsUntilMs({ untilMs: 5 }, NOW_MS)).toBe(5)
    expect(analyticsUntilMs({ untilMs: null }, NOW_MS)).toBe(
      NOW_MS - ANALYTICS_LAG_MS
    )
    expect(ANALYTICS_LAG_MS).toBe(600_000)
  })
})

describe('baseline: previous-window', () => {
  it('compares a window with the one before it, on either source', () => {
    for (const source of ['logs', 'analytics', 'auto'])
      expect(
        parse({ since: '24h', baseline: 'previous-window', source }).baseline
      ).toEqual({ source: { kind: 'previous-window' }, required: false })
  })

  it('needs since', () => {
    expect(
      problems({ 'run-id': 'gh-1-1', baseline: 'previous-window' })
    ).toEqual([
      'baseline: previous-window compares a time window with the one just before it, so it needs since'
    ])
    expect(problems({ 'log-id': 'abc', baseline: 'previous-window' })).toEqual([
      'baseline: previous-window compares a time window with the one just before it, so it needs since, not log-id'
    ])
  })
})

describe('analytics and the lag, trend and filters', () => {
  it('warns that an until inside the lag may miss the last minutes', () => {
    expect(
      parse({ source: 'analytics', since: '24h', until: '1m' }).warnings
    ).toEqual([
      'until "1m" ends within the last 10 minutes, which GraphQL Analytics may not have yet (events reach it minutes after the call): the calls of those minutes may be missing from every count and sum'
    ])
    expect(
      parse({ source: 'analytics', since: '24h', until: '11m' }).warnings
    ).toEqual([])
  })

  it('refuses trend with filters: analytics counts every call of the gateway', () => {
    expect(
      problems({
        since: '24h',
        trend: '3d',
        filters: '[{"key":"model","operator":"eq","value":["gpt-4o"]}]'
      })
    ).toEqual([
      "trend counts the gateway's calls day by day in GraphQL Analytics, which cannot apply filters: remove trend or filters"
    ])
  })
})
