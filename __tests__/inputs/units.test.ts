// Numbers with units as the inputs write them, and numbers as the action writes them. config.test.ts
// checks them through the inputs; here each parser is checked alone, at the edges of what it accepts.
import { describe, expect, it } from '@jest/globals'
import {
  formatDuration,
  formatNumber,
  formatUsd,
  formatStatusPatterns,
  parseDurationMs,
  parseSecondsMs,
  parseStatusPatterns,
  parseUsd,
  parseWhole,
  statusMatches
} from '../../src/inputs/units.js'

const EXAMPLES = '(e.g. 1500, 1500ms, 2s, 0.5s, 1m)'

describe('parseUsd', () => {
  it.each([
    ['0.05', 0.05],
    ['$0.05', 0.05],
    ['$ 0.05', 0.05],
    ['0.05 USD', 0.05],
    ['0.05usd', 0.05],
    ['.5', 0.5],
    ['5.', 5],
    ['0', 0],
    ['12', 12]
  ])('%p is %p USD', (value, usd) => {
    expect(parseUsd(value)).toBe(usd)
  })

  it.each([
    '',
    '-1',
    '$-1',
    '1e3',
    'x0.05',
    '0.05 USDx',
    '0.05 EUR',
    'USD',
    '$',
    '1.2.3',
    '9'.repeat(400),
    '.',
    '1e-3',
    'NaN',
    '0.05$'
  ])('%p is not an amount', (value) => {
    expect(parseUsd(value)).toBeUndefined()
  })
})

describe('parseDurationMs', () => {
  it.each([
    ['1500', 1500],
    ['1500ms', 1500],
    ['2s', 2000],
    ['2S', 2000],
    ['0.5s', 500],
    ['2 sec', 2000],
    ['1m', 60_000],
    ['1min', 60_000],
    ['.5m', 30_000],
    ['2sec', 2000],
    ['2min', 120_000]
  ])('%p is %p ms', (value, ms) => {
    expect(parseDurationMs(value)).toEqual({ ms })
  })

  it.each([
    ['-5', `is negative ${EXAMPLES}`],
    [' -5s', `is negative ${EXAMPLES}`],
    ['abc', `is not a duration ${EXAMPLES}`],
    [' 2s', `is not a duration ${EXAMPLES}`],
    ['2s ', `is not a duration ${EXAMPLES}`],
    ['', `is not a duration ${EXAMPLES}`],
    ['5h', 'has an unknown unit "h" (use ms, s or m)'],
    ['5H', 'has an unknown unit "H" (use ms, s or m)'],
    [`${'9'.repeat(400)}s`, 'is too large'],
    ['2parsecs', 'has an unknown unit "parsecs" (use ms, s or m)'],
    ['NaN', `is not a duration ${EXAMPLES}`],
    ['-1s', `is negative ${EXAMPLES}`]
  ])('%p: %p', (value, error) => {
    expect(parseDurationMs(value)).toEqual({ error })
  })
})

describe('parseSecondsMs', () => {
  it.each([
    ['30', 30_000],
    ['1.5', 1500],
    ['0', 0],
    ['45s', 45_000],
    ['500ms', 500],
    ['1m', 60_000]
  ])('%p is %p ms', (value, ms) => {
    expect(parseSecondsMs(value)).toEqual({ ms })
  })

  it.each(['x30', '.', '-30', '30x'])('%p is an error', (value) => {
    expect(parseSecondsMs(value)).toHaveProperty('error')
  })
})

describe('parseWhole', () => {
  it.each([
    ['0', 0],
    ['42', 42],
    [String(Number.MAX_SAFE_INTEGER), Number.MAX_SAFE_INTEGER]
  ])('%p is %p', (value, whole) => {
    expect(parseWhole(value)).toBe(whole)
  })

  it.each([
    '',
    '-1',
    '1.0',
    '1e3',
    ' 1',
    '1 ',
    'x1',
    '1x',
    String(Number.MAX_SAFE_INTEGER + 1)
  ])('%p is not a whole number', (value) => {
    expect(parseWhole(value)).toBeUndefined()
  })
})

describe('parseStatusPatterns', () => {
  it('reads codes at both ends of the range and classes in either case, around blanks', () => {
    expect(parseStatusPatterns(' 100 , 599,2xx, 5XX ')).toEqual({
      patterns: [
        { kind: 'code', code: 100 },
        { kind: 'code', code: 599 },
        { kind: 'class', hundreds: 2 },
        { kind: 'class', hundreds: 5 }
      ]
    })
  })

  it.each([
    '099',
    '000',
    '600',
    '2e2',
    '2xxx',
    'x2xx',
    '0xx',
    '6xx',
    '20',
    '2000',
    '0200',
    '+200',
    '200.0',
    ' 1xx0'
  ])('names the wrong entry %p in the error', (part) => {
    expect(parseStatusPatterns(`200,${part}`)).toEqual({
      error: `has ${JSON.stringify(part.trim())}: use status codes 100-599 or classes 1xx-5xx, comma-separated`
    })
  })

  it('calls a missing entry an empty entry', () => {
    expect(parseStatusPatterns('200, ,4xx')).toEqual({
      error:
        'has an empty entry: use status codes 100-599 or classes 1xx-5xx, comma-separated'
    })
  })

  it('quotes an entry of 80 characters whole, and cuts a longer one at 80', () => {
    const at = 'x'.repeat(80)
    expect(parseStatusPatterns(at)).toEqual({
      error: `has "${at}": use status codes 100-599 or classes 1xx-5xx, comma-separated`
    })
    expect(parseStatusPatterns(`${at}y`)).toEqual({
      error: `has "${at}…": use status codes 100-599 or classes 1xx-5xx, comma-separated`
    })
  })

  it.each([
    ['99', '"99"'],
    ['600', '"600"'],
    ['7xx', '"7xx"'],
    ['200, 2x', '"2x"'],
    ['200,', 'an empty entry'],
    ['', 'an empty entry']
  ])('%p is rejected, naming %s', (value, named) => {
    const parsed = parseStatusPatterns(value)
    expect(parsed).toEqual({ error: expect.stringContaining(`has ${named}:`) })
  })
})

describe('formatStatusPatterns and statusMatches', () => {
  it('writes codes and classes as the input does', () => {
    expect(
      formatStatusPatterns([
        { kind: 'code', code: 200 },
        { kind: 'class', hundreds: 4 }
      ])
    ).toBe('200, 4xx')
  })

  it('matches a code exactly and a class by its hundreds', () => {
    const patterns = [
      { kind: 'code', code: 201 } as const,
      { kind: 'class', hundreds: 4 } as const
    ]
    expect(
      [200, 201, 202, 399, 400, 499, 500].map((code) =>
        statusMatches(code, patterns)
      )
    ).toEqual([false, true, false, false, true, true, false])
    expect(statusMatches(200, [])).toBe(false)
  })

  it.each(['200', '2xx', '200, 429', '1xx, 3xx, 404, 599'])(
    '%p round-trips',
    (value) => {
      const parsed = parseStatusPatterns(value)
      if (!('patterns' in parsed)) throw new Error(parsed.error)
      expect(formatStatusPatterns(parsed.patterns)).toBe(value)
    }
  )
})

describe('formatNumber', () => {
  it.each([
    [4e-7, '0.0000004'],
    [-4e-7, '-0.0000004'],
    [1.5e-7, '0.00000015'],
    [1.25e-7, '0.000000125'],
    [1e-30, `0.${'0'.repeat(29)}1`],
    [1e-31, '1e-31'],
    [0.05, '0.05'],
    [1e21, '1e+21'],
    [0, '0']
  ])('%p is written %p', (value, shown) => {
    expect(formatNumber(value)).toBe(shown)
  })

  it.each([
    [0.0012, '0.0012'],
    [0.75, '0.75'],
    [1500, '1500'],
    [1.25e-9, '0.00000000125']
  ])('%p is shown as %p, never rounded away', (value, shown) => {
    expect(formatNumber(value)).toBe(shown)
  })

  describe('extremes', () => {
    it.each([
      [1.5e-21, '0.0000000000000000000015'],
      [1.2345678901234566e-7, '0.00000012345678901234566']
    ])('%p is shown as %p', (value, shown) => {
      expect(formatNumber(value)).toBe(shown)
    })
  })

  describe('bounded width', () => {
    it.each([
      [1e-320, '1e-320'],
      [5e-324, '5e-324'],
      [-1.2345678901234568e-300, '-1.2345678901234568e-300'],
      [Number.MAX_VALUE, '1.7976931348623157e+308']
    ])('%p is shown as %p', (value, shown) => {
      expect(formatNumber(value)).toBe(shown)
    })

    it('never takes more than 50 characters', () => {
      for (let exponent = -324; exponent <= 308; exponent++) {
        for (const mantissa of [1, 1.2345678901234567, -9.876543210987654]) {
          expect(
            formatNumber(mantissa * 10 ** exponent).length
          ).toBeLessThanOrEqual(50)
        }
      }
    })
  })
})

describe('formatUsd: amounts for people', () => {
  it.each([
    [0.40074815, '0.4007 USD'],
    [0.0001234567, '0.0001235 USD'],
    [0.2, '0.2 USD'],
    [0.08210375, '0.0821 USD'],
    [4e-7, '0.0000004 USD'],
    [0, '0 USD'],
    [12.3456, '12.35 USD'],
    [1, '1.00 USD'],
    [0.99996, '1.00 USD'],
    [0.99994, '0.9999 USD'],
    [1234.5, '1234.50 USD'],
    [-0.13326565, '-0.1333 USD'],
    [-2.5, '-2.50 USD'],
    [1e-40, '1e-40 USD'],
    [Number.NaN, 'NaN USD']
  ])('%p is %p', (value, shown) => {
    expect(formatUsd(value)).toBe(shown)
  })

  it('never writes more than 4 significant digits below 1 USD, nor more than cents above', () => {
    for (let i = 0; i < 2000; i++) {
      const value = Math.exp(i / 100 - 15)
      const digits = formatUsd(value).replace(' USD', '')
      if (value < 0.99995)
        expect(digits.replace(/^0\.0*/, '').length).toBeLessThanOrEqual(4)
      else expect(digits).toMatch(/^\d+\.\d\d$/)
    }
  })
})

describe('formatDuration: durations for people', () => {
  it.each([
    [850, '850 ms'],
    [812.4, '812 ms'],
    [0, '0 ms'],
    [0.5, '0.5 ms'],
    [0.123, '0.12 ms'],
    [999.4, '999 ms'],
    [999.6, '1 s'],
    [1000, '1 s'],
    [3800, '3.8 s'],
    [3750, '3.8 s'],
    [8000, '8 s'],
    [12345, '12.3 s'],
    [99_960, '100 s'],
    [125_000, '125 s'],
    [125_400, '125 s'],
    [100_060, '100 s'],
    [3_600_400, '3600 s'],
    [-34, '-34 ms'],
    [-1500, '-1.5 s'],
    [Number.POSITIVE_INFINITY, 'Infinity ms']
  ])('%p ms is %p', (ms, shown) => {
    expect(formatDuration(ms)).toBe(shown)
  })
})
