import { describe, expect, it } from '@jest/globals'
import {
  listFilters,
  listQuery,
  runFilterValues
} from '../../src/cloudflare/query.js'
import { inWindow } from '../../src/sources/match.js'
import { type LogFilter } from '../../src/inputs/filters.js'

const iso = (ms: number): string => new Date(ms).toISOString()
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

  it('accepts per_page 1, the smallest page', () => {
    expect(listQuery({ page: 3, perPage: 1 })).toBe(
      'per_page=1&page=3&order_by=created_at&order_by_direction=asc'
    )
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
    // JSON writes NaN as null, yet `null` is no number: only text
    ['null', ['null']],
    ['NaN', ['NaN']],
    ['Infinity', ['Infinity']],
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
