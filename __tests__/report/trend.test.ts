// The trend of a nightly check: a day a row, a day without calls as zeros, cost and errors as line
// charts whose labels stay readable over 62 days and inert whatever the dates say.
import { describe, expect, it } from '@jest/globals'
import {
  dailyTrend,
  MAX_OPEN_TREND_ROWS,
  trendCharts,
  trendHeading,
  trendSection,
  trendTable
} from '../../src/report/trend.js'
import { lineChart, MAX_LINE_LABELS } from '../../src/report/charts.js'
import { trendOf } from './analytics-fixtures.js'
import type { TrendDay } from '../../src/sources/source.js'

const day = (
  date: string,
  count: number,
  cost: number | null,
  errors: number
): TrendDay => ({
  date,
  count,
  cost,
  errors
})
const nb = (text: string): string => text.replace(/ (USD)\b/g, '\u00a0$1')
/** The categories of a chart's x axis. */
const categories = (chart: string): string[] =>
  JSON.parse(`[${/x-axis \[(.*)\]/.exec(chart)![1]}]`) as string[]
const points = (chart: string): number[] =>
  JSON.parse(`[${/line \[(.*)\]/.exec(chart)![1]}]`) as number[]

describe('dailyTrend', () => {
  it('sorts the days and fills a day without calls with zeros', () => {
    expect(
      dailyTrend([
        day('2026-12-02', 5, 0.5, 1),
        day('2026-11-29', 3, 0.3, 0),
        day('2026-11-30', 4, 0.4, 2)
      ])
    ).toEqual([
      day('2026-11-29', 3, 0.3, 0),
      day('2026-11-30', 4, 0.4, 2),
      day('2026-12-01', 0, 0, 0),
      day('2026-12-02', 5, 0.5, 1)
    ])
  })

  it('fills across a month and a year, and leaves the cost of a filled day unknown when costs are', () => {
    const filled = dailyTrend([
      day('2026-12-31', 1, null, 0),
      day('2027-01-02', 1, null, 0)
    ])
    expect(filled.map((d) => [d.date, d.cost])).toEqual([
      ['2026-12-31', null],
      ['2027-01-01', null],
      ['2027-01-02', null]
    ])
  })

  it('keeps a date of another shape as it is, and fills nothing next to it', () => {
    expect(
      dailyTrend([day('2026-12-01', 1, 1, 0), day('yesterday', 2, 2, 0)])
    ).toEqual([day('2026-12-01', 1, 1, 0), day('yesterday', 2, 2, 0)])
  })

  it('changes nothing in a trend that has every day', () => {
    const trend = trendOf(62)
    expect(dailyTrend(trend)).toEqual(trend)
  })
})

describe('trendTable', () => {
  it('writes a row a day, counts with separators, cost rounded, and the last day up to where the window ends', () => {
    expect(
      trendTable(
        [
          day('2026-12-01', 1_003_756, 1355.6, 1072),
          day('2026-12-02', 41_569, null, 3)
        ],
        {
          untilMs: Date.parse('2026-12-02T09:20:00Z')
        }
      )
    ).toBe(
      [
        '| Date | Calls | Cost | Errors |',
        '| --- | ---: | ---: | ---: |',
        nb('| 2026-12-01 | 1,003,756 | 1355.60 USD | 1,072 |'),
        '| 2026-12-02 (to 09:20:00) | 41,569 | — | 3 |'
      ].join('\n')
    )
  })

  it('marks no day partial when the window ends at midnight or on another day', () => {
    const rows = (untilMs: number): string =>
      trendTable([day('2026-12-01', 1, 1, 0)], { untilMs })
    expect(rows(Date.parse('2026-12-02T00:00:00Z'))).not.toContain('(to')
    expect(rows(Date.parse('2026-12-03T10:00:00Z'))).not.toContain('(to')
    expect(trendTable([day('2026-12-01', 1, 1, 0)])).not.toContain('(to')
  })

  it('escapes a date as any outside text', () => {
    expect(trendTable([day('<b>|`x`\n', 1, 1, 0)])).toContain(
      '| &lt;b&gt;\\|\\`x\\` | 1 |'
    )
  })
})

describe('trendCharts', () => {
  it('draws cost per day in US cents below a dollar a day, and errors per day, as lines', () => {
    const [cost, errors] = trendCharts([
      day('2026-12-01', 10, 0.12, 1),
      day('2026-12-02', 12, 0.5, 4)
    ])
    expect(cost).toContain('title "Cost per day (US cents)"')
    expect(cost).toContain('y-axis "US cents" 0 --> 50')
    expect(points(cost!)).toEqual([12, 50])
    expect(categories(cost!)).toEqual(['12-01', '12-02'])
    expect(errors).toContain('title "Errors per day"')
    expect(points(errors!)).toEqual([1, 4])
    for (const chart of [cost!, errors!]) {
      expect(chart.split('\n')[2]).toBe('xychart-beta')
      expect(chart).toMatch(/^ {4}line \[/m)
      expect(chart).not.toMatch(/\bbar\b/)
    }
  })

  it('draws cost in USD from a dollar a day', () => {
    const [cost] = trendCharts(trendOf(3))
    expect(cost).toContain('title "Cost per day (USD)"')
  })

  it('leaves the cost chart out when a day has no cost: a 0 drawn for it would be a claim', () => {
    const charts = trendCharts([
      day('2026-12-01', 10, null, 1),
      day('2026-12-02', 12, 0.5, 4)
    ])
    expect(charts).toHaveLength(1)
    expect(charts[0]).toContain('Errors per day')
  })
})

describe('a trend of 62 days', () => {
  const trend = trendOf(62)
  const [cost, errors] = trendCharts(trend)

  it('has a point a day, and every category distinct (Mermaid would merge two of the same text)', () => {
    for (const chart of [cost!, errors!]) {
      expect(points(chart)).toHaveLength(62)
      expect(new Set(categories(chart)).size).toBe(62)
    }
  })

  it('labels about ten days, the newest among them, and leaves the others blank', () => {
    const labels = categories(cost!)
    const shown = labels.filter((l) => /\d/.test(l))
    expect(shown.length).toBeLessThanOrEqual(MAX_LINE_LABELS)
    expect(shown.length).toBeGreaterThanOrEqual(8)
    expect(labels[61]).toBe('12-02')
    expect(
      labels
        .filter((l) => !/\d/.test(l))
        .every((l) => /^[\u200b\u200c]+$/.test(l))
    ).toBe(true)
  })

  it('folds the table under the charts in the job summary, and leaves it open when asked', () => {
    const section = trendSection(trend, { estimated: false })!
    expect(section.split('\n\n')[0]).toBe(
      '**Trend**: the last 62 days (UTC), oldest first'
    )
    expect(section).toContain(
      '<details><summary>Trend by day: 62 days</summary>'
    )
    expect(section.indexOf('```mermaid')).toBeLessThan(
      section.indexOf('<details>')
    )
    expect(section.match(/^\| 20\d\d-/gm)).toHaveLength(62)
    expect(trendSection(trend, { estimated: false, open: true })).not.toContain(
      '<details>'
    )
  })

  it(`leaves a trend of up to ${MAX_OPEN_TREND_ROWS} days open`, () => {
    expect(
      trendSection(trendOf(MAX_OPEN_TREND_ROWS), { estimated: false })
    ).not.toContain('<details>')
  })
})

describe('trendSection', () => {
  it('is nothing when no trend was asked for, and says so when no day had calls', () => {
    expect(trendSection(undefined, { estimated: false })).toBeUndefined()
    expect(trendSection([], { estimated: false })).toBe(
      '**Trend**: no day of it had calls.'
    )
  })

  it('says when its figures are estimates, and why there is no cost chart', () => {
    expect(trendHeading(14, true)).toBe(
      '**Trend**: the last 14 days (UTC), oldest first, estimated from the sample'
    )
    expect(trendHeading(1, false)).toBe(
      '**Trend**: the last day (UTC), oldest first'
    )
    const section = trendSection([day('2026-12-01', 1, null, 0)], {
      estimated: false
    })!
    expect(section).toContain(
      '_No cost chart: the cost of a day is unknown (—)._'
    )
  })
})

describe('lineChart', () => {
  it('is nothing without points', () => {
    expect(
      lineChart({ title: 't', unit: 'u', labels: [], values: [] })
    ).toBeUndefined()
  })

  it('sets its own height and colour, draws nothing below 0, and keeps labels and its own words inert', () => {
    const chart = lineChart({
      title: 'Cost "per" day\n%%{init}%%',
      unit: 'US`cents',
      labels: ['"]\n```%%{init: {}}%%', '"]\n```%%{init: {}}%%'],
      values: [-1, Number.NaN]
    })!
    const lines = chart.split('\n')
    expect(lines[0]).toBe('```mermaid')
    expect(lines[1]).toContain('"xyChart": {"height": 280}')
    expect(lines.filter((l) => l.includes('%%{'))).toHaveLength(1)
    expect(lines.filter((l) => l.startsWith('```'))).toEqual([
      '```mermaid',
      '```'
    ])
    expect(lines).toHaveLength(8)
    expect(chart).toContain('title "Cost  per  day   {init}  "')
    expect(chart).toContain('y-axis "US cents" 0 --> 1')
    expect(chart).toContain('line [0, 0]')
    expect(categories(chart)).toEqual([
      '?????????init: ?????',
      '?????????init: ????? 2'
    ])
  })
})
