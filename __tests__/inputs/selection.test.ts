import { describe, expect, it } from '@jest/globals'
import { parseLogIds } from '../../src/inputs/selection.js'

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

  it('folds case letter by letter: ids that differ in length are never one call', () => {
    // upper-casing would make "ß" "SS", and count two different ids once
    expect(parseLogIds('straße STRASSE strasse')).toEqual({
      ids: ['straße', 'STRASSE'],
      problems: []
    })
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
