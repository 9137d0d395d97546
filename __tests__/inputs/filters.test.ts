import { describe, expect, it } from '@jest/globals'
import { parseFilters } from '../../src/inputs/filters.js'

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
