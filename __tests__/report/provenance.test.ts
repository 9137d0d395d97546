// Where the numbers came from, and how far to trust them: the source and why, the window covered,
// exact or estimated figures with their intervals, and what the source cannot give.
import { describe, expect, it } from '@jest/globals'
import {
  actualCell,
  estimateText,
  estimatesTable,
  exactness,
  figureText,
  isSampled,
  measuredBy,
  perCallLine,
  rangeText,
  sourceLine,
  sourceParagraph,
  spanText,
  unavailableList,
  utcText,
  windowSentence
} from '../../src/report/provenance.js'
import {
  analytics,
  COVERED,
  HISTOGRAM_ESTIMATED,
  SAMPLED,
  sampled,
  TOKENS_UNAVAILABLE
} from './analytics-fixtures.js'
import { computeMetrics } from '../../src/sources/metrics.js'
import { LOG } from '../helpers/fixtures.js'
import type { Measurements } from '../../src/sources/source.js'

const logs = (extra: Partial<Measurements> = {}): Measurements => ({
  source: 'logs',
  calls: [LOG],
  metrics: computeMetrics([LOG]),
  caveats: [],
  ...extra
})
const nb = (text: string): string => text.replace(/ (USD|ms|s)\b/g, '\u00a0$1')

describe('isSampled', () => {
  it('is false without intervals, and with intervals that counted every call', () => {
    expect(isSampled({ caveats: [] })).toBe(false)
    expect(isSampled({ intervals: {}, caveats: [] })).toBe(false)
    expect(
      isSampled({
        intervals: {
          count: { estimate: 10, lower: 10, upper: 10, sampleSize: 10 }
        },
        caveats: []
      })
    ).toBe(false)
  })

  it('is true with an interval that has width or fewer calls read than estimated, or an estimated caveat', () => {
    expect(isSampled({ intervals: SAMPLED, caveats: [] })).toBe(true)
    expect(
      isSampled({
        intervals: {
          count: { estimate: 10, lower: 10, upper: 10, sampleSize: 9 }
        },
        caveats: []
      })
    ).toBe(true)
    expect(isSampled({ caveats: [HISTOGRAM_ESTIMATED] })).toBe(true)
    expect(isSampled({ caveats: [TOKENS_UNAVAILABLE] })).toBe(false)
  })
})

describe('utcText and spanText', () => {
  it('writes a time in UTC to the second, and an impossible one as unknown', () => {
    expect(utcText(Date.parse('2026-12-01T09:20:00.999Z'))).toBe(
      '2026-12-01 09:20:00'
    )
    expect(utcText(Number.NaN)).toBe('an unknown time')
    expect(utcText(1e20)).toBe('an unknown time')
  })

  it.each([
    [0, '0 s'],
    [45_000, '45 s'],
    [30 * 60_000, '30 min'],
    [24 * 3_600_000, '24 h'],
    [(23 * 60 + 50) * 60_000, '23 h 50 min'],
    [47 * 3_600_000 + 1000, '47 h 1 s'],
    [7 * 86_400_000, '7 d'],
    [2 * 86_400_000 + 90 * 60_000, '2 d 1 h 30 min'],
    [-1, 'an unknown length'],
    [Number.POSITIVE_INFINITY, 'an unknown length']
  ])('%p ms is %p', (ms, text) => {
    expect(spanText(ms)).toBe(text)
  })
})

describe('figures for people', () => {
  it.each([
    ['count', 1_000_000.4, '1,000,000 calls'],
    ['errors', 1204, '1,204 calls'],
    ['error-rate', 0.001204, '0.1204%'],
    ['cost.sum', 1234.567, nb('1234.57 USD')],
    ['cost.avg', 0.00123456, nb('0.001235 USD')],
    ['duration.p95', 3800, nb('3.8 s')],
    ['tokens-in.sum', 520_000_000, '520,000,000 tokens'],
    ['tokens.avg', 680.123, '680.1 tokens'],
    ['something-else', 1.23456789, '1.23457']
  ])('%s %p is %p', (name, value, text) => {
    expect(figureText(name, value)).toBe(text)
  })

  it('writes a range with the unit once when both ends have it', () => {
    expect(rangeText('count', 1150, 1260)).toBe('1,150–1,260 calls')
    expect(rangeText('cost.sum', 1190.1, 1280.9)).toBe(
      nb('1190.10–1280.90 USD')
    )
    expect(rangeText('error-rate', 0.0011, 0.0013)).toBe('0.11%–0.13%')
  })

  it('writes an estimate with its interval, as the brief of the report has it', () => {
    expect(
      estimateText('errors', {
        estimate: 1204,
        lower: 1150,
        upper: 1260,
        sampleSize: 12
      })
    ).toBe('≈ 1,204 calls (95%: 1,150–1,260 calls)')
  })
})

describe('sourceParagraph', () => {
  it('adds nothing for the logs source when no reason was given, covered window or not', () => {
    expect(sourceParagraph(logs())).toBeUndefined()
    expect(sourceParagraph(logs({ covered: COVERED }))).toBeUndefined()
    expect(sourceLine(logs({ covered: COVERED }))).toBeUndefined()
  })

  it('says why the logs source answered when it was chosen, and the window it read', () => {
    expect(
      sourceParagraph(
        logs({
          why: 'the window has 1,200 calls, within max-logs (5000).',
          covered: COVERED
        })
      )
    ).toBe(
      '**Measured by the Logs API**: the window has 1,200 calls, within max-logs \\(5000\\). Window covered: 2026-12-01 09:20:00 to 2026-12-02 09:20:00 UTC (24 h).'
    )
  })

  it('says an unsampled analytics answer is exact, once, with the lag', () => {
    expect(sourceParagraph(analytics())).toBe(
      '**Measured by GraphQL Analytics**: the window has 1,000,000 calls, more than max-logs \\(5000\\). Window covered: 2026-12-01 09:20:00 to 2026-12-02 09:20:00 UTC (24 h); analytics is minutes behind, so the calls of the last minutes may not be in it yet. Its figures are exact: Cloudflare computed them over every call.'
    )
    expect(sourceLine(analytics())).toBe(
      '**Measured by GraphQL Analytics**: the window has 1,000,000 calls, more than max-logs \\(5000\\). Exact: computed by Cloudflare over every call.'
    )
  })

  it('says a sampled answer is estimated, from how many calls, and how thresholds on estimates are judged, in one sentence', () => {
    const paragraph = sourceParagraph(sampled())!
    expect(paragraph).toContain(
      'Cloudflare answered from a sample of 12,000 calls: its figures are estimates (≈), and a threshold on an estimate is judged at the unfavourable end of its 95% interval.'
    )
    expect(paragraph.match(/unfavourable/g)).toHaveLength(1)
    expect(paragraph).not.toContain('exact')
    expect(sourceLine(sampled())).toBe(
      '**Measured by GraphQL Analytics**: the window has 1,000,000 calls, more than max-logs \\(5000\\). Estimated from a sample of 12,000 calls (≈): thresholds are judged at the unfavourable end of the 95% interval.'
    )
  })

  it('works without a reason or a window, and without a count interval', () => {
    expect(
      sourceParagraph(
        analytics({
          why: undefined,
          covered: undefined,
          caveats: [HISTOGRAM_ESTIMATED]
        })
      )
    ).toBe(
      '**Measured by GraphQL Analytics**. Cloudflare answered from a sample: its figures are estimates (≈), and a threshold on an estimate is judged at the unfavourable end of its 95% interval.'
    )
    expect(windowSentence(analytics({ covered: undefined }))).toBeUndefined()
    expect(exactness(logs())).toBeUndefined()
  })

  it('escapes the reason: it may quote a gateway id or an input', () => {
    expect(
      measuredBy(
        analytics({
          why: 'gateway `x` <script>alert(1)</script> | @team\nnext line...'
        })
      )
    ).toBe(
      '**Measured by GraphQL Analytics**: gateway \\`x\\` &lt;script&gt;alert\\(1\\)&lt;/script&gt; \\| @&#8203;team next line.'
    )
  })
})

describe('estimatesTable', () => {
  it('lists each figure with an interval, then the percentiles marked estimated, in one row with the reason', () => {
    expect(estimatesTable(sampled())).toBe(
      [
        '**Estimated from the sample**',
        '',
        '| Figure | Estimate | 95% interval |',
        '| --- | ---: | --- |',
        '| count | ≈ 1,000,000 calls | 990,000–1,010,000 calls |',
        '| errors | ≈ 1,204 calls | 1,150–1,260 calls |',
        '| error-rate | ≈ 0.1204% | 0.1139%–0.1273% |',
        nb('| cost.sum | ≈ 1234.56 USD | 1190.10–1280.90 USD |'),
        nb(
          '| duration p50 / p90 / p95 / p99 | ≈ 1.2 s / 2.9 s / 3.8 s / 7.4 s | no interval: percentiles from a sampled histogram |'
        )
      ].join('\n')
    )
  })

  it('shows one aggregate marked estimated on its own, and none of an exact answer or of the logs source', () => {
    const one = estimatesTable(
      analytics({
        caveats: [{ metric: 'cost.p95', kind: 'estimated', reason: 'sampled' }]
      })
    )
    expect(one).toContain(
      nb('| cost.p95 | ≈ 0.0042 USD | no interval: sampled |')
    )
    expect(estimatesTable(analytics())).toBeUndefined()
    expect(estimatesTable(logs())).toBeUndefined()
  })
})

describe('unavailableList and perCallLine', () => {
  it('lists what the source cannot give, with the reason, escaped', () => {
    expect(
      unavailableList(
        sampled({
          caveats: [
            TOKENS_UNAVAILABLE,
            {
              metric: 'cost.p95',
              kind: 'unavailable',
              reason: 'sum_cost is not in availableFields'
            }
          ]
        })
      )
    ).toBe(
      [
        '**Not available from GraphQL Analytics** (a threshold on one of these fails, saying why)',
        '',
        '- tokens: GraphQL Analytics has no histogram of tokens in + out per call',
        '- cost.p95: sum\\_cost is not in availableFields'
      ].join('\n')
    )
    expect(unavailableList(analytics())).toBeUndefined()
  })

  it('points at source: logs for per-call details, with analytics only', () => {
    expect(perCallLine(analytics())).toBe(
      '_Per-call details (the costliest and slowest calls, the ids of failed calls) need `source: logs`: GraphQL Analytics gives totals, not calls._'
    )
    expect(perCallLine(logs())).toBeUndefined()
  })
})

describe('actualCell', () => {
  const verdict = (name: string, actual: string) => ({
    name,
    shown: { actual, limit: '', message: '' }
  })

  it('shows a sampled figure as an estimate with its interval', () => {
    expect(actualCell(verdict('errors', '1204'), sampled())).toBe(
      '≈ 1,204 calls (95%: 1,150–1,260 calls)'
    )
  })

  it('marks a value the source estimated, once, and leaves an unknown one and an exact one alone', () => {
    const m = sampled()
    expect(actualCell(verdict('duration.p95', '3.8 s'), m)).toBe('≈ 3.8 s')
    expect(actualCell(verdict('duration.p95', '≈ 3.8 s'), m)).toBe('≈ 3.8 s')
    expect(actualCell(verdict('duration.p95', 'unknown'), m)).toBe('unknown')
    expect(actualCell(verdict('cost.max', '0.2 USD'), m)).toBe('0.2 USD')
    expect(actualCell(verdict('cost.sum', '1234.56 USD'), analytics())).toBe(
      '1234.56 USD'
    )
    expect(actualCell(verdict('cost.sum', 'a | b'))).toBe('a \\| b')
  })
})
