import { describe, expect, it } from '@jest/globals'
import {
  describeList,
  inWindow,
  listFilters,
  listQuery,
  matchesRun,
  parseFilters,
  parseLogIds,
  parseTime,
  parseWindow,
  runFilterValues,
  type LogFilter
} from '../src/selection.js'

const NOW_MS = Date.parse('2026-11-26T12:00:00.500Z')
const iso = (ms: number): string => new Date(ms).toISOString()

describe('parseLogIds', () => {
  it.each([
    ['one', ['one']],
    ['a,b,c', ['a', 'b', 'c']],
    ['a b\tc', ['a', 'b', 'c']],
    ['a\nb\r\nc\n', ['a', 'b', 'c']],
    [' a , b ,,\n, c ', ['a', 'b', 'c']],
    ['b,a,b,a', ['b', 'a']],
    // the API finds a log whatever the case of its id: one call, counted once, as first spelled
    ['abcdef,ABCDEF', ['abcdef']],
    [
      '01JADMCQQQBWH3NXZ5GCRN98DP 01jadmcqqqbwh3nxz5gcrn98dp',
      ['01JADMCQQQBWH3NXZ5GCRN98DP']
    ],
    ['Ab aB x AB', ['Ab', 'x']],
    [
      '01JADMCQQQBWH3NXZ5GCRN98DP\n01JADMCQQQBWH3NXZ5GCRN98DQ',
      ['01JADMCQQQBWH3NXZ5GCRN98DP', '01JADMCQQQBWH3NXZ5GCRN98DQ']
    ],
    // ids are opaque: anything but separators, including characters that need encoding in a path
    ['a/b ?x %2F', ['a/b', '?x', '%2F']]
  ])('%j', (value, ids) => {
    expect(parseLogIds(value)).toEqual({ ids, problems: [] })
  })

  it('refuses ids that are only dots, or too long, naming each', () => {
    const long = 'x'.repeat(257)
    const { ids, problems } = parseLogIds(
      `ok, ., .., ${long}, ${'y'.repeat(256)}`
    )
    expect(ids).toEqual(['ok', 'y'.repeat(256)])
    expect(problems).toEqual([
      'log-ids has ".", which is not an id',
      'log-ids has "..", which is not an id',
      expect.stringMatching(
        /^log-ids has an id longer than 256 characters: "x{80}…"$/
      )
    ])
  })

  it('an id may start or end with a dot, or hold dots, as long as it is not only dots', () => {
    expect(parseLogIds('a. .b a.b ...')).toEqual({
      ids: ['a.', '.b', 'a.b'],
      problems: ['log-ids has "...", which is not an id']
    })
  })

  it('a value whose only ids are refused names them, not "no ids"', () => {
    expect(parseLogIds('., ..')).toEqual({
      ids: [],
      problems: [
        'log-ids has ".", which is not an id',
        'log-ids has "..", which is not an id'
      ]
    })
  })

  it('refuses a value with no ids', () => {
    expect(parseLogIds(' ,\n, ').problems).toEqual([
      'log-ids " ,\\n, " has no ids (separate them with newlines, commas or spaces)'
    ])
  })
})

const TIME_HELP =
  'use 30m, 24h, 7d (back from now) or an ISO 8601 time such as 2026-11-25T09:30:00Z'

describe('parseTime', () => {
  it.each([
    ['30m', NOW_MS - 30 * 60_000],
    ['24h', NOW_MS - 24 * 3_600_000],
    ['7d', NOW_MS - 7 * 86_400_000],
    ['90s', NOW_MS - 90_000],
    ['1.5h', NOW_MS - 5_400_000],
    [' 24 H ', NOW_MS - 24 * 3_600_000],
    ['0m', NOW_MS],
    ['2026-11-25T09:30:00Z', Date.parse('2026-11-25T09:30:00Z')],
    ['2026-11-25T09:30Z', Date.parse('2026-11-25T09:30:00Z')],
    ['2026-11-25 09:30:00z', Date.parse('2026-11-25T09:30:00Z')],
    ['2026-11-25T09:30:12.345Z', Date.parse('2026-11-25T09:30:12.345Z')],
    ['2026-11-25T09:30:12.3456789Z', Date.parse('2026-11-25T09:30:12.345Z')],
    ['2026-11-25T11:30:00+02:00', Date.parse('2026-11-25T09:30:00Z')],
    ['2026-11-25T04:00:00-0530', Date.parse('2026-11-25T09:30:00Z')],
    ['2026-11-25T11:30:00+02', Date.parse('2026-11-25T09:30:00Z')],
    ['2026-11-25', Date.parse('2026-11-25T00:00:00Z')],
    ['2024-02-29', Date.parse('2024-02-29T00:00:00Z')],
    // the edges of each field: the first day of 1970, January, December, the last second of a day
    ['1970-01-01', 0],
    ['2026-01-31', Date.parse('2026-01-31T00:00:00Z')],
    ['2026-12-31T23:59:59Z', Date.parse('2026-12-31T23:59:59Z')],
    // a fraction of one or two digits is tenths or hundredths of a second
    ['2026-11-25T09:30:12.5Z', Date.parse('2026-11-25T09:30:12.500Z')],
    ['2026-11-25T09:30:12,25Z', Date.parse('2026-11-25T09:30:12.250Z')],
    // the widest offsets there are
    ['2026-11-25T23:59:00+23:59', Date.parse('2026-11-25T00:00:00Z')],
    ['2026-11-25T00:00:00-2359', Date.parse('2026-11-25T23:59:00Z')],
    ['2026-11-25T09:30:00+02:59', Date.parse('2026-11-25T06:31:00Z')]
  ])('%j', (value, ms) => {
    expect(parseTime(value, NOW_MS)).toEqual({ ms })
  })

  it.each([
    [
      '24x',
      'is not a time: use 30m, 24h, 7d (back from now) or an ISO 8601 time such as 2026-11-25T09:30:00Z'
    ],
    [
      '-24h',
      'is not a time: use 30m, 24h, 7d (back from now) or an ISO 8601 time such as 2026-11-25T09:30:00Z'
    ],
    [
      'yesterday',
      'is not a time: use 30m, 24h, 7d (back from now) or an ISO 8601 time such as 2026-11-25T09:30:00Z'
    ],
    [
      '1732527000',
      'is not a time: use 30m, 24h, 7d (back from now) or an ISO 8601 time such as 2026-11-25T09:30:00Z'
    ],
    [
      '2026-11-25T09:30:00',
      'has no time zone: add Z (UTC) or an offset such as +02:00'
    ],
    [
      '2026-02-30',
      'is not a date: use 30m, 24h, 7d (back from now) or an ISO 8601 time such as 2026-11-25T09:30:00Z'
    ],
    [
      '2026-02-29',
      'is not a date: use 30m, 24h, 7d (back from now) or an ISO 8601 time such as 2026-11-25T09:30:00Z'
    ],
    [
      '2026-13-01',
      'is not a date: use 30m, 24h, 7d (back from now) or an ISO 8601 time such as 2026-11-25T09:30:00Z'
    ],
    [
      '0099-01-01',
      'is not a date: use 30m, 24h, 7d (back from now) or an ISO 8601 time such as 2026-11-25T09:30:00Z'
    ],
    [
      '2026-11-25T24:00:00Z',
      'is not a time of day: use 30m, 24h, 7d (back from now) or an ISO 8601 time such as 2026-11-25T09:30:00Z'
    ],
    [
      '2026-11-25T09:60:00Z',
      'is not a time of day: use 30m, 24h, 7d (back from now) or an ISO 8601 time such as 2026-11-25T09:30:00Z'
    ],
    [
      '2026-11-25T09:30:00+24:00',
      'has an offset that is not one: use 30m, 24h, 7d (back from now) or an ISO 8601 time such as 2026-11-25T09:30:00Z'
    ],
    ['100000000d', 'reaches back before 1970'],
    ['1969-12-31', `is not a date: ${TIME_HELP}`],
    ['2026-00-10', `is not a date: ${TIME_HELP}`],
    ['2026-11-00', `is not a date: ${TIME_HELP}`],
    ['2026-11-25T09:30:60Z', `is not a time of day: ${TIME_HELP}`],
    [
      '2026-11-25T09:30:00+02:60',
      `has an offset that is not one: ${TIME_HELP}`
    ],
    ['2026-11-25T09:30:00+0260', `has an offset that is not one: ${TIME_HELP}`],
    // nothing may follow the zone
    ['2026-11-25T09:30:00+02:00x', `is not a time: ${TIME_HELP}`],
    ['2026-11-25T09:30:00+02:00:00', `is not a time: ${TIME_HELP}`],
    ['2026-11-25T09:30:00Zx', `is not a time: ${TIME_HELP}`]
  ])('%j is refused: %s', (value, error) => {
    expect(parseTime(value, NOW_MS)).toEqual({ error })
  })

  it('a span that reaches back exactly to 1970 is still a time', () => {
    expect(parseTime('1m', 60_000)).toEqual({ ms: 0 })
    expect(parseTime('1m', 59_999)).toEqual({
      error: 'reaches back before 1970'
    })
  })
})

describe('parseWindow', () => {
  it('a problem with since means no window, even with a good until', () => {
    expect(parseWindow('tomorrow', '1h', NOW_MS)).toEqual({
      window: null,
      problems: [`since "tomorrow" is not a time: ${TIME_HELP}`]
    })
    expect(parseWindow('1h', 'tomorrow', NOW_MS)).toEqual({
      window: null,
      problems: [`until "tomorrow" is not a time: ${TIME_HELP}`]
    })
  })

  it('quotes values without their surrounding spaces', () => {
    expect(parseWindow(' 24 hours\n', '\t2h ', NOW_MS).problems).toEqual([
      `since "24 hours" is not a time: ${TIME_HELP}`
    ])
    expect(parseWindow(' 1h ', '\t2h\n', NOW_MS).problems).toEqual([
      'since "1h" (2026-11-26T11:00:00Z) is not before until "2h" (2026-11-26T10:00:00Z)'
    ])
    expect(parseWindow(' 0m ', ' ', NOW_MS).problems).toEqual([
      'since "0m" (2026-11-26T12:00:00Z) is not before now'
    ])
  })

  it('since alone: until stays open (now, fixed when the read starts)', () => {
    expect(parseWindow('24h', '', NOW_MS)).toEqual({
      window: { sinceMs: NOW_MS - 86_400_000, untilMs: null },
      problems: []
    })
  })

  it('since and until', () => {
    expect(
      parseWindow('2026-11-25T00:00:00Z', '2026-11-25T12:00:00Z', NOW_MS)
    ).toEqual({
      window: {
        sinceMs: Date.parse('2026-11-25T00:00:00Z'),
        untilMs: Date.parse('2026-11-25T12:00:00Z')
      },
      problems: []
    })
    expect(parseWindow('48h', '24h', NOW_MS).window).toEqual({
      sinceMs: NOW_MS - 2 * 86_400_000,
      untilMs: NOW_MS - 86_400_000
    })
  })

  it('neither: no window', () => {
    expect(parseWindow('', ' ', NOW_MS)).toEqual({ window: null, problems: [] })
  })

  it('until alone is a window open at the start (the config decides where that is allowed)', () => {
    expect(parseWindow('', '1h', NOW_MS).window).toEqual({
      sinceMs: null,
      untilMs: NOW_MS - 3_600_000
    })
  })

  it.each([
    [
      '1h',
      '2h',
      'since "1h" (2026-11-26T11:00:00Z) is not before until "2h" (2026-11-26T10:00:00Z)'
    ],
    [
      '1h',
      '1h',
      'since "1h" (2026-11-26T11:00:00Z) is not before until "1h" (2026-11-26T11:00:00Z)'
    ],
    [
      '2030-01-01',
      '',
      'since "2030-01-01" (2030-01-01T00:00:00Z) is not before now'
    ],
    ['0m', '', 'since "0m" (2026-11-26T12:00:00Z) is not before now']
  ])('since %j, until %j: %s', (since, until, problem) => {
    expect(parseWindow(since, until, NOW_MS)).toEqual({
      window: null,
      problems: [problem]
    })
  })

  it('names each bad input and value', () => {
    expect(parseWindow('24 hours', 'tomorrow', NOW_MS).problems).toEqual([
      'since "24 hours" is not a time: use 30m, 24h, 7d (back from now) or an ISO 8601 time such as 2026-11-25T09:30:00Z',
      'until "tomorrow" is not a time: use 30m, 24h, 7d (back from now) or an ISO 8601 time such as 2026-11-25T09:30:00Z'
    ])
  })
})

describe('parseFilters', () => {
  it('passes the API’s own shape through, unknown keys included', () => {
    const text = JSON.stringify([
      { key: 'model', operator: 'eq', value: ['gpt-4o', 'gpt-4o-mini'] },
      { key: 'success', operator: 'eq', value: [true] },
      { key: 'cost', operator: 'gt', value: [0.01] },
      { key: 'some_key_added_later', operator: 'contains', value: ['x', null] },
      { key: 'metadata.key', operator: 'eq', value: ['eval'] }
    ])
    expect(parseFilters(text)).toEqual({
      filters: JSON.parse(text),
      problems: []
    })
  })

  it('empty is no filters', () => {
    expect(parseFilters('  ')).toEqual({ filters: [], problems: [] })
    expect(parseFilters('[]')).toEqual({ filters: [], problems: [] })
  })

  it.each([
    [
      '{"key":"model","operator":"eq","value":["x"]}',
      'filters "{"key":"model","operator":"eq","value":["x"]}" must be a JSON array'
    ],
    ['[{key: "model"}]', 'filters "[{key: "model"}]" is not JSON ('],
    ['["model"]', 'filters item 1 ""model"" is not an object'],
    ['[null]', 'filters item 1 "null" is not an object'],
    ['[[]]', 'filters item 1 "[]" is not an object'],
    ['[{"operator":"eq","value":["x"]}]', 'has no "key"'],
    ['[{"key":" ","operator":"eq","value":["x"]}]', 'has no "key"'],
    [
      '[{"key":"model","operator":"like","value":["x"]}]',
      'has an unknown "operator" (use eq, neq, contains, lt, gt)'
    ],
    [
      '[{"key":"model","operator":"EQ","value":["x"]}]',
      'has an unknown "operator"'
    ],
    [
      '[{"key":"model","operator":"eq","value":"x"}]',
      'has a "value" that is not an array'
    ],
    [
      '[{"key":"model","operator":"eq","value":[]}]',
      'has an empty "value" array'
    ],
    [
      '[{"key":"model","operator":"eq","value":[{"a":1}]}]',
      'has a "value" entry that is not a string, number, boolean or null'
    ],
    [
      '[{"key":"cost","operator":"gt","value":[1e999]}]',
      'has a "value" entry that is not a string, number, boolean or null'
    ],
    [
      '[{"key":"model","operator":"eq","value":["x"],"op":"eq"}]',
      'has "op": a filter has only "key", "operator" and "value"'
    ],
    [
      '[{"key":"metadata.run_id","operator":"eq","value":["x"]}]',
      'has the key "metadata.run_id", which the API refuses'
    ]
  ])('%s is refused', (value, problem) => {
    const { filters, problems } = parseFilters(value)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain(problem)
    expect(filters).toEqual([])
  })

  it('passes metadata.value through, and a key that only contains "metadata."', () => {
    const text = JSON.stringify([
      { key: 'metadata.key', operator: 'eq', value: ['run_id'] },
      { key: 'metadata.value', operator: 'eq', value: ['gh-1'] },
      { key: 'x.metadata.y', operator: 'eq', value: ['z'] }
    ])
    expect(parseFilters(text)).toEqual({
      filters: JSON.parse(text),
      problems: []
    })
  })

  it('refuses a value array with one bad entry among good ones', () => {
    expect(
      parseFilters('[{"key":"model","operator":"eq","value":["x",{"a":1}]}]')
    ).toEqual({
      filters: [],
      problems: [
        'filters item 1 "{"key":"model","operator":"eq","value":["x",{"a":1}]}" has a "value" entry that is not a string, number, boolean or null'
      ]
    })
  })

  it('names every extra key of a filter', () => {
    expect(
      parseFilters(
        '[{"key":"model","operator":"eq","value":["x"],"op":"eq","v":1}]'
      ).problems
    ).toEqual([
      'filters item 1 "{"key":"model","operator":"eq","value":["x"],"op":"eq","v":1}" has "op", "v": a filter has only "key", "operator" and "value"'
    ])
  })

  it('quotes JSON.parse’s own reason when the value is not JSON', () => {
    const text = '[{key: "model"}]'
    let reason = ''
    try {
      JSON.parse(text)
    } catch (error) {
      reason = (error as Error).message
    }
    expect(reason).not.toBe('')
    expect(parseFilters(text).problems).toEqual([
      `filters "[{key: "model"}]" is not JSON (${reason}): it must be a JSON array of {"key": …, "operator": …, "value": […]} objects`
    ])
  })

  it('takes a value of exactly 4096 characters, and refuses 4097', () => {
    const at = (length: number): string => {
      const empty = '[{"key":"model","operator":"eq","value":[""]}]'
      return empty.replace('[""]', `["${'x'.repeat(length - empty.length)}"]`)
    }
    expect(at(4096)).toHaveLength(4096)
    expect(parseFilters(` ${at(4096)}\n`).problems).toEqual([])
    expect(parseFilters(at(4097)).problems).toEqual([
      'filters is longer than 4096 characters'
    ])
  })

  it('names every bad item, by position', () => {
    const { filters, problems } = parseFilters(
      '[{"key":"model","operator":"eq","value":["x"]}, 1, {"key":"a","operator":"?","value":[1]}]'
    )
    expect(filters).toEqual([{ key: 'model', operator: 'eq', value: ['x'] }])
    expect(problems.map((p) => p.slice(0, 15))).toEqual([
      'filters item 2 ',
      'filters item 3 '
    ])
  })

  it('refuses a value too long to go into every request’s URL', () => {
    const huge = JSON.stringify(
      Array.from({ length: 200 }, () => ({
        key: 'model',
        operator: 'eq',
        value: ['gpt-4o-mini']
      }))
    )
    expect(parseFilters(huge).problems).toEqual([
      'filters is longer than 4096 characters'
    ])
  })

  it('keeps hostile text on one line of the message', () => {
    const { problems } = parseFilters(
      '[{"key":"model\\n::error::x","operator":"\u2028","value":["x"]}]\n'
    )
    expect(problems).toHaveLength(1)
    expect(problems[0]).not.toMatch(/[\n\u2028]/)
  })
})

/** The query string's parameters, decoded: name to values. */
const params = (query: string): Record<string, string[]> => {
  const out: Record<string, string[]> = {}
  for (const [k, v] of new URLSearchParams(query)) (out[k] ??= []).push(v)
  return out
}

describe('listQuery', () => {
  const run = { key: 'run_id', value: 'gh-123-1' }

  it('sends filters as ONE parameter holding the JSON array, never the flattened form', () => {
    const query = listQuery({ run, page: 2, perPage: 50 })
    expect(query).not.toMatch(/filters\.|filters\[/)
    expect(params(query)).toEqual({
      filters: [
        JSON.stringify([
          { key: 'metadata.key', operator: 'eq', value: ['run_id'] },
          { key: 'metadata.value', operator: 'eq', value: ['gh-123-1'] }
        ])
      ],
      per_page: ['50'],
      page: ['2'],
      order_by: ['created_at'],
      order_by_direction: ['asc']
    })
    // percent-encoded throughout: no raw JSON punctuation or `+` for a space in the URL
    expect(
      query.startsWith('filters=%5B%7B%22key%22%3A%22metadata.key%22')
    ).toBe(true)
  })

  it('encodes hostile run values so they stay inside the one parameter', () => {
    const value = 'gh-1&per_page=1&filters=[] #"\\ ü'
    const query = listQuery({
      run: { key: 'k&x=1', value },
      page: 1,
      perPage: 10
    })
    const decoded = params(query)
    expect(decoded.per_page).toEqual(['10'])
    expect(decoded.filters).toHaveLength(1)
    expect(JSON.parse(decoded.filters![0]!)).toEqual([
      { key: 'metadata.key', operator: 'eq', value: ['k&x=1'] },
      { key: 'metadata.value', operator: 'eq', value: [value] }
    ])
    expect(query).not.toContain('+')
  })

  it('no filters at all: no filters parameter', () => {
    expect(listQuery({ page: 1, perPage: 50 })).toBe(
      'per_page=50&page=1&order_by=created_at&order_by_direction=asc'
    )
  })

  it.each([
    [0, 1],
    [51, 1],
    [1.5, 1],
    [50, 0],
    [50, -1],
    [50, Number.NaN]
  ])('refuses per_page %d, page %d', (perPage, page) => {
    expect(() => listQuery({ page, perPage })).toThrow(RangeError)
  })

  it('says which number is wrong and why', () => {
    expect(() => listQuery({ page: 1, perPage: 51 })).toThrow(
      new RangeError('per_page must be a whole number from 1 to 50, not 51')
    )
    expect(() => listQuery({ page: 0.5, perPage: 50 })).toThrow(
      new RangeError('page must be a whole number from 1, not 0.5')
    )
  })
})

describe('listFilters', () => {
  it('the run pair, the window’s bounds at whole seconds around it, then the user’s filters', () => {
    const user: LogFilter[] = [
      { key: 'model', operator: 'eq', value: ['gpt-4o'] }
    ]
    const window = {
      sinceMs: Date.parse('2026-11-25T09:30:12.345Z'),
      untilMs: Date.parse('2026-11-26T09:30:12.001Z')
    }
    expect(
      listFilters({ run: { key: 'run_id', value: 'r' }, window, filters: user })
    ).toEqual([
      { key: 'metadata.key', operator: 'eq', value: ['run_id'] },
      { key: 'metadata.value', operator: 'eq', value: ['r'] },
      // gt the second before since's: the API compares whole seconds, so calls at 09:30:12.345-.999 are in
      { key: 'created_at', operator: 'gt', value: ['2026-11-25T09:30:11Z'] },
      // lt the second at or after until's
      { key: 'created_at', operator: 'lt', value: ['2026-11-26T09:30:13Z'] },
      { key: 'model', operator: 'eq', value: ['gpt-4o'] }
    ])
  })

  it('a bound on a whole second stays that second', () => {
    const window = {
      sinceMs: Date.parse('2026-11-25T09:30:12Z'),
      untilMs: Date.parse('2026-11-25T10:00:00Z')
    }
    expect(listFilters({ window }).map((f) => f.value[0])).toEqual([
      '2026-11-25T09:30:11Z',
      '2026-11-25T10:00:00Z'
    ])
  })

  it('an open end sends no bound', () => {
    expect(
      listFilters({
        window: { sinceMs: null, untilMs: Date.parse('2026-11-25T10:00:00Z') }
      })
    ).toEqual([
      { key: 'created_at', operator: 'lt', value: ['2026-11-25T10:00:00Z'] }
    ])
    expect(
      listFilters({
        window: { sinceMs: Date.parse('2026-11-25T10:00:00Z'), untilMs: null }
      })
    ).toEqual([
      { key: 'created_at', operator: 'gt', value: ['2026-11-25T09:59:59Z'] }
    ])
  })

  it('the bounds take in every call of the window when compared at whole seconds, and inWindow drops the rest', () => {
    const window = {
      sinceMs: Date.parse('2026-11-25T09:30:12.345Z'),
      untilMs: Date.parse('2026-11-25T09:30:14.500Z')
    }
    const [gt, lt] = listFilters({ window }).map((f) =>
      Math.floor(Date.parse(String(f.value[0])) / 1000)
    )
    for (let ms = window.sinceMs - 3000; ms < window.untilMs + 3000; ms += 50) {
      const second = Math.floor(ms / 1000)
      const sentByApi = second > gt! && second < lt!
      const wanted = inWindow({ created_at: iso(ms) }, window)
      expect(wanted).toBe(ms >= window.sinceMs && ms < window.untilMs)
      if (wanted) expect(sentByApi).toBe(true)
    }
  })
})

describe('runFilterValues', () => {
  it.each<[string, unknown[]]>([
    ['gh-1', ['gh-1']],
    ['12345', ['12345', 12345]],
    ['-1.5', ['-1.5', -1.5]],
    ['true', ['true', true]],
    ['false', ['false', false]],
    // text that a number would not write back the same way is only text
    ['012345', ['012345']],
    ['1e3', ['1e3']],
    ['1.0', ['1.0']],
    [' 1', [' 1']],
    ['', ['']],
    ['True', ['True']],
    ['12345678901234567890', ['12345678901234567890']]
  ])('%j: %j', (value, values) => {
    expect(runFilterValues(value)).toEqual(values)
  })

  it('sends the number beside the text in the run pair', () => {
    expect(listFilters({ run: { key: 'run_id', value: '12345' } })).toEqual([
      { key: 'metadata.key', operator: 'eq', value: ['run_id'] },
      { key: 'metadata.value', operator: 'eq', value: ['12345', 12345] }
    ])
  })
})

describe('matchesRun', () => {
  it.each([
    [{ metadata: '{"run_id":"gh-1"}' }, true],
    [{ metadata: { run_id: 'gh-1', other: 'x' } }, true],
    // the independent-metadata trap: the API matches key run_id and value gh-1 in different entries
    [{ metadata: '{"run_id":"gh-2","note":"gh-1"}' }, false],
    [{ metadata: { note: 'gh-1', run_id: 'gh-2' } }, false],
    [{ metadata: '{"RUN_ID":"gh-1"}' }, false],
    [{ metadata: '{"run_id":"GH-1"}' }, false],
    [{ metadata: '{"run_id":"gh-1 "}' }, false],
    [{ metadata: '{"run_id":1}' }, false],
    [{ metadata: '{"run_id":["gh-1"]}' }, false],
    [{ metadata: '{"run_id":"gh-1"' }, false],
    [{ metadata: 'gh-1' }, false],
    [{ metadata: '"gh-1"' }, false],
    [{ metadata: '["run_id","gh-1"]' }, false],
    [{ metadata: 'null' }, false],
    [{ metadata: null }, false],
    [{}, false],
    [{ metadata: '{"__proto__":{"run_id":"gh-1"}}' }, false],
    [{ metadata: '{"toString":"gh-1"}' }, false]
  ])('%j: %s', (row, matches) => {
    expect(matchesRun(row, 'run_id', 'gh-1')).toBe(matches)
  })

  // cf-aig-metadata values may be strings, numbers or booleans: a number or a boolean is the run its JSON text names.
  it.each([
    ['{"run_id":12345}', '12345', true],
    ['{"run_id":"12345"}', '12345', true],
    ['{"run_id":12345}', '12345.0', false],
    ['{"run_id":12345}', '012345', false],
    ['{"run_id":1.5}', '1.5', true],
    ['{"run_id":-7}', '-7', true],
    ['{"run_id":1e21}', '1e+21', true],
    ['{"run_id":true}', 'true', true],
    ['{"run_id":false}', 'false', true],
    ['{"run_id":true}', 'True', false],
    ['{"run_id":false}', 'true', false],
    ['{"run_id":null}', 'null', false],
    ['{"run_id":{"a":1}}', '{"a":1}', false],
    ['{"run_id":2,"note":12345}', '12345', false]
  ])('%s is run %j: %s', (metadata, runId, matches) => {
    expect(matchesRun({ metadata }, 'run_id', runId)).toBe(matches)
  })

  it('a key that is an Object prototype name matches only as an own entry', () => {
    expect(
      matchesRun({ metadata: '{"constructor":"v"}' }, 'constructor', 'v')
    ).toBe(true)
    expect(matchesRun({ metadata: '{}' }, 'constructor', 'v')).toBe(false)
  })
})

describe('inWindow', () => {
  const window = {
    sinceMs: Date.parse('2026-11-25T09:00:00Z'),
    untilMs: Date.parse('2026-11-25T10:00:00Z')
  }
  it.each([
    ['2026-11-25T08:59:59.999Z', false],
    ['2026-11-25T09:00:00.000Z', true],
    ['2026-11-25T09:59:59.999Z', true],
    ['2026-11-25T10:00:00.000Z', false],
    ['not a date', false]
  ])('%s: %s', (created_at, inside) => {
    expect(inWindow({ created_at }, window)).toBe(inside)
  })

  it('an open until is now, given by the caller', () => {
    const open = { sinceMs: null, untilMs: null }
    expect(inWindow({ created_at: '2026-11-26T12:00:00Z' }, open, NOW_MS)).toBe(
      true
    )
    expect(inWindow({ created_at: '2026-11-26T12:00:01Z' }, open, NOW_MS)).toBe(
      false
    )
    expect(inWindow({ created_at: 12 }, open, NOW_MS)).toBe(false)
  })
})

describe('describeList', () => {
  const run = { key: 'run_id', value: 'gh-1' }
  const filter: LogFilter = { key: 'model', operator: 'eq', value: ['x'] }
  const sinceMs = Date.parse('2026-11-25T09:00:00.250Z')
  const untilMs = Date.parse('2026-11-25T10:00:00Z')

  it.each([
    [
      run,
      { sinceMs, untilMs },
      [filter],
      'run "gh-1" (metadata "run_id"), created from 2026-11-25T09:00:00Z to 2026-11-25T10:00:00Z, with 1 more filter'
    ],
    [run, null, [], 'run "gh-1" (metadata "run_id")'],
    [
      run,
      null,
      [filter, filter],
      'run "gh-1" (metadata "run_id"), with 2 more filters'
    ],
    [
      null,
      { sinceMs, untilMs: null },
      [],
      'calls from 2026-11-25T09:00:00Z to now'
    ],
    [
      null,
      { sinceMs: null, untilMs },
      [filter],
      'calls from the start to 2026-11-25T10:00:00Z, with 1 more filter'
    ],
    [null, null, [filter, filter, filter], 'with 3 more filters']
  ])('%j, %j, %j: %s', (r, window, filters, text) => {
    expect(describeList(r, window, filters)).toBe(text)
  })

  it('keeps hostile run text quoted on one line', () => {
    expect(
      describeList({ key: 'k\n::error::x', value: 'v"\r' }, null, [])
    ).toBe('run "v"\\r" (metadata "k\\n::error::x")')
  })
})
