import { describe, expect, it } from '@jest/globals'
import { parseTime, parseWindow } from '../../src/inputs/window.js'

const NOW_MS = Date.parse('2026-11-26T12:00:00.500Z')
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
