import { describe, expect, it } from '@jest/globals'
import {
  axisTop,
  costByModelChart,
  durationHistogram,
  HIGHLIGHT_COLOUR,
  lineChart,
  MAX_CHART_MODELS,
  MAX_LINE_LABELS,
  mermaidLabel,
  niceStep,
  THIS_RUN_COLOUR
} from '../../src/report/charts.js'

const THEME = (colours: string) =>
  `%%{init: {"theme": "base", "themeVariables": {"xyChart": {"plotColorPalette": "${colours}"}}}}%%`
/** The numbers of the chart's bar lines, one array per series. */
const bars = (chart: string) =>
  [...chart.matchAll(/^ {4}bar \[([^\]]*)\]$/gm)].map((m) =>
    m[1]!.split(', ').map(Number)
  )
const categories = (chart: string) =>
  JSON.parse(/^ {4}x-axis (\[.*\])$/m.exec(chart)![1]!) as string[]

describe('mermaidLabel', () => {
  it.each([
    ['gpt-4o-mini', 'gpt-4o-mini'],
    ['@cf/meta/llama-3.1-8b-instruct', '@cf/meta/llama-3.1-8b-instruct'],
    ['a `code` @{ shape: x }', 'a ?code? @? shape: x ?'],
    ['a "quoted" name', 'a ?quoted? name'],
    ['line\nbreak', 'line?break'],
    ['%%{init: {"theme":"dark"}}%%', '???init: ??theme?:?dark?????'],
    ['```\n# heading', '????? heading'],
    ['<img src=x>', '?img src?x?'],
    ['naïve 模型', 'na?ve ??'],
    ['', '?'],
    ['   ', '?']
  ])('%p -> %p', (text, label) => {
    expect(mermaidLabel(text)).toBe(label)
  })

  it('shortens long labels', () => {
    expect(mermaidLabel('x'.repeat(100))).toBe(`${'x'.repeat(39)}…`)
  })

  it('keeps a label of 40 characters whole and shortens one of 41, after blanks are folded', () => {
    expect(mermaidLabel('x'.repeat(40))).toBe('x'.repeat(40))
    expect(mermaidLabel('x'.repeat(41))).toBe(`${'x'.repeat(39)}…`)
    expect(mermaidLabel(`  ${'x'.repeat(20)}    ${'y'.repeat(19)}  `)).toBe(
      `${'x'.repeat(20)} ${'y'.repeat(19)}`
    )
    expect(mermaidLabel('a\tb')).toBe('a?b')
  })
})

describe('costByModelChart', () => {
  it('draws each model beside its baseline, costliest first, with its own theme and colours', () => {
    expect(
      costByModelChart(
        [
          { label: 'gpt-4o-mini', current: 0.0123, baseline: 0.01 },
          { label: 'gpt-4o', current: 1.25, baseline: null },
          { label: 'mistral', current: null, baseline: 0.5 }
        ],
        'main'
      )
    ).toBe(
      [
        '```mermaid',
        THEME(`${HIGHLIGHT_COLOUR}, ${THIS_RUN_COLOUR}`),
        'xychart-beta horizontal',
        '    title "Cost by model (USD): this run, and on main"',
        '    x-axis ["gpt-4o", "gpt-4o (main)", "mistral", "mistral (main)", "gpt-4o-mini", "gpt-4o-mini (main)"]',
        '    y-axis "USD" 0 --> 1.3',
        '    bar [0, 0, 0, 0.5, 0, 0.01]',
        '    bar [1.25, 0, 0, 0, 0.0123, 0]',
        '```'
      ].join('\n')
    )
  })

  it('draws in US cents when no bar reaches a dollar, so that the axis labels stay short', () => {
    const chart = costByModelChart(
      [
        { label: 'gpt-4o', current: 0.1546, baseline: null },
        { label: 'gpt-4o-mini', current: 0.0103455, baseline: 0.00833355 }
      ],
      'main'
    )!
    expect(chart).toContain(
      '    title "Cost by model (US cents): this run, and on main"'
    )
    expect(chart).toContain('    y-axis "US cents" 0 --> 16')
    expect(bars(chart)).toEqual([
      [0, 0, 0, 0.833355],
      [15.46, 0, 1.03455, 0]
    ])
  })

  it('draws nothing when no model has a cost above zero on either side', () => {
    expect(
      costByModelChart(
        [
          { label: 'a', current: 0, baseline: null },
          { label: 'b', current: Number.NaN, baseline: -1 }
        ],
        'main'
      )
    ).toBeUndefined()
    expect(costByModelChart([], 'main')).toBeUndefined()
  })

  it('sums the models past the limit into one row', () => {
    const models = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        label: `m${i}`,
        current: n - i,
        baseline: 1
      }))
    const exact = costByModelChart(models(MAX_CHART_MODELS), 'main')!
    expect(categories(exact)).toHaveLength(2 * MAX_CHART_MODELS)
    expect(exact).not.toContain('other models')
    const over = costByModelChart(models(MAX_CHART_MODELS + 3), 'main')!
    expect(categories(over)).toHaveLength(2 * (MAX_CHART_MODELS + 1))
    expect(categories(over).slice(-2)).toEqual([
      '3 other models',
      '3 other models (main)'
    ])
    expect(bars(over)[1]!.at(-2)).toBe(3 + 2 + 1)
    expect(bars(over)[0]!.at(-1)).toBe(3)
  })

  it('keeps two models apart whose labels read the same once cleaned', () => {
    const chart = costByModelChart(
      [
        { label: 'a"b', current: 2, baseline: 1 },
        { label: 'a<b', current: 1, baseline: 1 }
      ],
      'main'
    )!
    expect(categories(chart)).toEqual([
      'a?b',
      'a?b (main)',
      'a?b 2',
      'a?b 2 (main)'
    ])
  })

  it('lets no hostile model or branch name out of its quotes or out of the block', () => {
    const hostile = '"]\n```\n%%{init: {"theme":"dark"}}%%\nbar [999'
    const chart = costByModelChart(
      [{ label: hostile, current: 1, baseline: 2 }],
      hostile
    )!
    const lines = chart.split('\n')
    expect(chart.match(/```/g)).toHaveLength(2)
    expect(lines.filter((l) => l.includes('%%'))).toEqual([lines[1]])
    expect(lines).toHaveLength(9)
    expect(bars(chart)).toEqual([
      [0, 2],
      [1, 0]
    ])
    for (const label of categories(chart)) expect(label).not.toMatch(/["\n]/)
  })
})

describe('axisTop', () => {
  it.each([
    [0.1546, 0.16],
    [1.25, 1.3],
    [13, 13],
    [0.01, 0.01],
    [101, 110],
    [0, 1],
    [Number.NaN, 1]
  ])('%p -> %p', (max, top) => {
    expect(axisTop(max)).toBe(top)
  })
})

describe('niceStep', () => {
  it.each([
    [0.3, 1],
    [1, 1],
    [3, 5],
    [7, 10],
    [120, 200],
    [1250, 2000],
    [4100, 5000],
    [0, 1],
    [Number.POSITIVE_INFINITY, 1]
  ])('%p -> %p', (rough, step) => {
    expect(niceStep(rough)).toBe(step)
  })

  it.each([
    [2, 2],
    [5, 5],
    [10, 10],
    [11, 20],
    [0.05, 1],
    [-1, 1],
    [Number.NaN, 1]
  ])('niceStep(%p) is %p', (rough, step) => {
    expect(niceStep(rough)).toBe(step)
  })
})

describe('durationHistogram', () => {
  it('counts calls per round bucket of seconds, fastest first, in one colour without a p95', () => {
    const chart = durationHistogram([100, 450, 900, 1600, 3900], {}, 8)!
    expect(chart).toBe(
      [
        '```mermaid',
        THEME(THIS_RUN_COLOUR),
        'xychart-beta horizontal',
        '    title "Calls by duration"',
        '    x-axis ["0-0.5 s", "0.5-1 s", "1-1.5 s", "1.5-2 s", "2-2.5 s", "2.5-3 s", "3-3.5 s", "3.5-4 s"]',
        '    y-axis "Calls" 0 --> 2',
        '    bar [2, 1, 0, 1, 0, 0, 0, 1]',
        '```'
      ].join('\n')
    )
  })

  it('marks the p95 bucket and draws it and every slower one in the highlight colour', () => {
    const chart = durationHistogram(
      [100, 450, 900, 1600, 3900],
      { p95Ms: 1600 },
      8
    )!
    expect(chart.split('\n')[1]).toBe(
      THEME(`${HIGHLIGHT_COLOUR}, ${THIS_RUN_COLOUR}`)
    )
    expect(chart).toContain(
      '    title "Calls by duration, p95 1.6 s (amber from there)"'
    )
    expect(categories(chart)[3]).toBe('1.5-2 s (p95)')
    expect(bars(chart)).toEqual([
      [0, 0, 0, 1, 0, 0, 0, 1],
      [2, 1, 0, 0, 0, 0, 0, 0]
    ])
  })

  it('runs the buckets on to a limit up to three times the slowest call, and marks it', () => {
    const chart = durationHistogram(
      [500, 4100],
      { p95Ms: 4100, limitMs: 8000 },
      8
    )!
    expect(chart).toContain(
      '    title "Calls by duration, p95 4.1 s (amber from there), limit 8 s"'
    )
    const labels = categories(chart)
    expect(labels).toHaveLength(9)
    expect(labels.at(-1)).toBe('8-9 s (limit)')
    expect(labels[4]).toBe('4-5 s (p95)')
    // Just past three times the slowest call, it is not.
    expect(
      categories(durationHistogram([500, 2600], { limitMs: 7800 }, 8)!).at(-1)
    ).toBe('7-8 s (limit)')
    expect(
      categories(durationHistogram([500, 2600], { limitMs: 7801 }, 8)!).at(-1)
    ).toBe('2.5-3 s')
    // Far beyond the slowest call, the limit is named in the title but not drawn.
    const far = durationHistogram([500, 3900], { limitMs: 60_000 }, 8)!
    expect(far).toContain('limit 60 s"')
    expect(categories(far).some((l) => l.includes('limit'))).toBe(false)
    expect(categories(far).at(-1)).toBe('3.5-4 s')
  })

  it('marks one bucket twice when the p95 and the limit fall in it', () => {
    const chart = durationHistogram(
      [100, 900],
      { p95Ms: 900, limitMs: 950 },
      2
    )!
    expect(categories(chart).at(-1)).toBe('0.5-1 s (p95, limit)')
  })

  it('puts every call in a bucket, the slowest included', () => {
    const durations = Array.from({ length: 1000 }, (_, i) => i * 37)
    const chart = durationHistogram(durations, { p95Ms: 35_000 })!
    const [slow, fast] = bars(chart)
    const all = fast!.map((n, i) => n + slow![i]!)
    expect(all.reduce((a, b) => a + b, 0)).toBe(1000)
    expect(all.length).toBeLessThanOrEqual(11)
  })

  it('draws one bucket when every call took 0 ms, and nothing without durations', () => {
    expect(durationHistogram([0, 0])).toContain('bar [2]')
    expect(durationHistogram([])).toBeUndefined()
    expect(durationHistogram([Number.NaN, -1])).toBeUndefined()
  })

  it('puts a call on a bucket edge in the upper bucket, and leaves out infinite durations and marks', () => {
    const chart = durationHistogram(
      [0, 1000, 2000, Number.POSITIVE_INFINITY],
      { p95Ms: Number.NaN, limitMs: -1 },
      2
    )!
    expect(chart).toContain('    x-axis ["0-1 s", "1-2 s", "2-3 s"]')
    expect(chart).toContain('    y-axis "Calls" 0 --> 1')
    expect(chart).toContain('    bar [1, 1, 1]')
    expect(chart).toContain('    title "Calls by duration"')
  })

  it('writes bucket edges with at most six significant digits', () => {
    expect(durationHistogram([0, 7000], {}, 3)).toContain(
      '    x-axis ["0-5 s", "5-10 s"]'
    )
    expect(durationHistogram([1, 2], {}, 3)).toContain('"0-0.001 s"')
  })
})

describe('costByModelChart: the unit, and costs below zero', () => {
  it('draws a bar of exactly a dollar in USD, not in cents', () => {
    const chart = costByModelChart(
      [{ label: 'gpt-4o', current: 1, baseline: 0.5 }],
      'main'
    )!
    expect(chart).toContain(
      '    title "Cost by model (USD): this run, and on main"'
    )
    expect(chart).toContain('    y-axis "USD" 0 --> 1')
    expect(bars(chart)).toEqual([
      [0, 0.5],
      [1, 0]
    ])
  })

  it('draws a cost below zero as no bar, beside a cost above zero', () => {
    const chart = costByModelChart(
      [
        { label: 'a', current: 0.5, baseline: -0.5 },
        { label: 'b', current: Number.NaN, baseline: 0.25 }
      ],
      'main'
    )!
    expect(bars(chart)).toEqual([
      [0, 0, 0, 25],
      [50, 0, 0, 0]
    ])
    expect(chart).toContain('    y-axis "US cents" 0 --> 50')
  })
})

describe('niceStep: the smallest rough step', () => {
  it('is 1 for a rough step too small for its power of ten to be a number', () => {
    expect(niceStep(Number.MIN_VALUE)).toBe(1)
  })
})

describe('durationHistogram: marks at 0 and past the slowest call', () => {
  it('marks a p95 and a limit of 0 ms in the first bucket', () => {
    const chart = durationHistogram([0, 100], { p95Ms: 0, limitMs: 0 }, 2)!
    expect(categories(chart)[0]).toBe('0-0.05 s (p95, limit)')
    expect(chart).toContain(
      '    title "Calls by duration, p95 0 ms (amber from there), limit 0 ms"'
    )
  })

  it('marks a p95 past the slowest call in the last bucket', () => {
    const chart = durationHistogram([100, 900], { p95Ms: 5000 }, 2)!
    expect(categories(chart)).toEqual(['0-0.5 s', '0.5-1 s (p95)'])
    expect(bars(chart)).toEqual([
      [0, 1],
      [1, 0]
    ])
  })
})

describe('lineChart: labels', () => {
  /** Zero-width characters: point i of a blank label written in binary, 0 and 1. */
  const Z = '\u200b'
  const O = '\u200c'
  const days = (n: number) =>
    Array.from({ length: n }, (_, i) => `d${String(i + 1).padStart(2, '0')}`)
  const chartOf = (n: number, labels = days(n)) =>
    lineChart({
      title: 'Cost per day (US cents)',
      unit: 'US cents',
      labels,
      values: Array.from({ length: n }, (_, i) => i + 1)
    })!

  it(`labels each of ${MAX_LINE_LABELS} points`, () => {
    expect(categories(chartOf(MAX_LINE_LABELS))).toEqual(days(MAX_LINE_LABELS))
    expect(categories(chartOf(12))).toEqual(days(12))
  })

  it(`past ${MAX_LINE_LABELS} points, labels every other one counted back from the last, the rest blank and distinct`, () => {
    const chart = chartOf(MAX_LINE_LABELS + 1)
    expect(categories(chart)).toEqual([
      'd01',
      O + Z,
      'd03',
      O + Z + Z,
      'd05',
      O + O + Z,
      'd07',
      O + Z + Z + Z,
      'd09',
      O + Z + O + Z,
      'd11',
      O + O + Z + Z,
      'd13',
      O + O + O + Z,
      'd15',
      O + Z + Z + Z + Z,
      'd17'
    ])
    expect(chart.split('\n')[4]).toBe(
      `    x-axis [${categories(chart)
        .map((l) => `"${l}"`)
        .join(', ')}]`
    )
  })

  it('with 21 points, labels every third one, the last among them', () => {
    const labels = categories(chartOf(21))
    expect(labels.filter((l) => l.startsWith('d'))).toEqual([
      'd03',
      'd06',
      'd09',
      'd12',
      'd15',
      'd18',
      'd21'
    ])
    expect(labels[0]).toBe(O)
  })

  it('labels a point without a label of its own as ?', () => {
    expect(categories(chartOf(2, ['a']))).toEqual(['a', '?'])
  })

  it('draws its line in blue, in a strip 280 px high', () => {
    expect(chartOf(3).split('\n')[1]).toBe(
      `%%{init: {"theme": "base", "xyChart": {"height": 280}, "themeVariables": {"xyChart": {"plotColorPalette": "${THIS_RUN_COLOUR}"}}}}%%`
    )
  })
})
