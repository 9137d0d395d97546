// Numbers for people: a count of a million reads at a glance, an estimate is a whole number of calls.
import { describe, expect, it } from '@jest/globals'
import { count } from '../../src/report/format.js'

describe('count', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [1_000_000, '1,000,000'],
    [1203.6, '1,204'],
    [-12345, '-12,345'],
    [1e21, '1e+21'],
    [Number.NaN, 'NaN']
  ])('%p is %p', (value, text) => {
    expect(count(value)).toBe(text)
  })
})
