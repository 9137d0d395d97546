import { describe, expect, it } from '@jest/globals'
import { type Threshold } from '../../src/inputs/threshold-terms.js'
import { parseLimit } from '../../src/inputs/threshold-limits.js'
import { parseThresholdLine } from '../../src/inputs/thresholds.js'

/** The one threshold a line parses to (fails the test with the error otherwise). */
const one = (line: string): Threshold => {
  const parsed = parseThresholdLine(line)
  if ('error' in parsed) throw new Error(parsed.error)
  return parsed.threshold
}
const errorOf = (line: string): string => {
  const parsed = parseThresholdLine(line)
  if (!('error' in parsed))
    throw new Error(`parsed: ${JSON.stringify(parsed.threshold)}`)
  return parsed.error
}

describe('limits that compare with the baseline', () => {
  it.each([
    // line, adjust, amount, text
    ['cost <= baseline + 10%', 'percent', 10, 'baseline + 10%'],
    ['cost<=baseline+10%', 'percent', 10, 'baseline + 10%'],
    ['cache-rate >= baseline - 5%', 'percent', -5, 'baseline - 5%'],
    ['error-rate <= baseline + 2.5 %', 'percent', 2.5, 'baseline + 2.5 %'],
    ['duration.p95 <= baseline * 1.2', 'times', 1.2, 'baseline * 1.2'],
    ['count >= baseline', 'times', 1, 'baseline'],
    ['cost <= BASELINE', 'times', 1, 'baseline'],
    ['error-rate <= baseline + 0.01', 'add', 0.01, 'baseline + 0.01'],
    ['duration.p95 < baseline + 500ms', 'add', 500, 'baseline + 500ms'],
    ['duration.max < baseline + 2s', 'add', 2000, 'baseline + 2s'],
    ['cost <= baseline - $0.01', 'add', -0.01, 'baseline - $0.01'],
    ['count >= baseline - 5', 'add', -5, 'baseline - 5'],
    ['warn: tokens <= baseline + 1000', 'add', 1000, 'baseline + 1000']
  ] as const)('%j', (line, adjust, amount, text) => {
    expect(one(line).limit).toEqual({
      kind: 'baseline',
      adjust,
      amount,
      text
    })
  })

  it.each([
    [
      'cost <= baseline +',
      'has nothing after "baseline +" (e.g. baseline + 10%, baseline * 1.2)'
    ],
    [
      'cost <= baseline * 0',
      'multiplies the baseline by a positive number (baseline * 1.2), not "0"'
    ],
    [
      'cost <= baseline * -1',
      'multiplies the baseline by a positive number (baseline * 1.2), not "-1"'
    ],
    [
      'cost <= baseline * 10%',
      'multiplies the baseline by a positive number (baseline * 1.2), not "10%"'
    ],
    [
      'duration.p95 <= baseline + 5h',
      'has an unknown unit "h" (use ms, s or m) (after "baseline +": an amount in the metric\'s unit, or a percentage of the baseline)'
    ],
    [
      'count >= baseline + 1.5',
      'count takes a whole number of calls, not "1.5" (after "baseline +": an amount in the metric\'s unit, or a percentage of the baseline)'
    ],
    [
      'cost <= baseline * 1e3',
      'multiplies the baseline by a positive number (baseline * 1.2), not "1e3"'
    ],
    [
      'cost <= baseline * 0x10',
      'multiplies the baseline by a positive number (baseline * 1.2), not "0x10"'
    ],
    [
      'cost <= baseline / 2',
      'cost takes an amount in USD ($2.00, 2.00 or 2 USD), not "baseline / 2"'
    ],
    [
      'cost <= baselines',
      'cost takes an amount in USD ($2.00, 2.00 or 2 USD), not "baselines"'
    ]
  ])('%j is refused: %s', (line, error) => {
    expect(errorOf(line)).toBe(error)
  })

  it('parseLimit reads the amount without the spaces around it', () => {
    expect(parseLimit('cost', 'baseline +  10%  ')).toEqual({
      limit: {
        kind: 'baseline',
        adjust: 'percent',
        amount: 10,
        text: 'baseline + 10%'
      }
    })
    expect(parseLimit('duration', 'baseline - 500ms ')).toEqual({
      limit: {
        kind: 'baseline',
        adjust: 'add',
        amount: -500,
        text: 'baseline - 500ms'
      }
    })
  })
})
