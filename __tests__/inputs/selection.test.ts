import { describe, expect, it } from '@jest/globals'
import {
  parseFilters,
  parseLogIds,
  parseTime,
  parseWindow
} from '../../src/inputs/selection.js'

const NOW_MS = Date.parse('2026-11-26T12:00:00.500Z')

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
