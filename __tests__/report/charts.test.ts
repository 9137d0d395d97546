import { describe, expect, it } from '@jest/globals'
import {
  costPie,
  durationHistogram,
  MAX_PIE_SLICES,
  mermaidLabel,
  niceStep
} from '../../src/report/charts.js'

describe('mermaidLabel', () => {
  it.each([
    ['gpt-4o-mini', 'gpt-4o-mini'],
    ['@cf/meta/llama-3.1-8b-instruct', '?cf/meta/llama-3.1-8b-instruct'],
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

describe('costPie', () => {
  it('draws one slice per model, largest first, with the values in USD', () => {
    expect(
      costPie([
        { label: 'gpt-4o-mini', value: 0.0123 },
        { label: 'gpt-4o', value: 1.25 }
      ])
    ).toBe(
      [
        '```mermaid',
        'pie showData title Cost by model (USD)',
        '    "gpt-4o" : 1.25',
        '    "gpt-4o-mini" : 0.0123',
        '```'
      ].join('\n')
    )
  })

  it('leaves out models that cost nothing or have no known cost, and draws nothing when none is left', () => {
    expect(
      costPie([
        { label: 'a', value: 0 },
        { label: 'b', value: Number.NaN }
      ])
    ).toBeUndefined()
    expect(costPie([])).toBeUndefined()
    expect(
      costPie([
        { label: 'a', value: 0 },
        { label: 'b', value: 2 }
      ])
    ).not.toContain('"a"')
  })

  it('sums the smallest models into one slice past the limit', () => {
    const slices = Array.from({ length: 12 }, (_, i) => ({
      label: `m${i}`,
      value: i + 1
    }))
    const pie = costPie(slices)!
    const lines = pie.split('\n').filter((l) => l.startsWith('    "'))
    expect(lines).toHaveLength(MAX_PIE_SLICES + 1)
    expect(lines.at(-1)).toBe('    "4 other models" : 10')
  })

  it('keeps two models apart whose labels read the same once cleaned', () => {
    const pie = costPie([
      { label: 'a"b', value: 2 },
      { label: 'a<b', value: 1 }
    ])!
    expect(pie).toContain('"a?b" : 2')
    expect(pie).toContain('"a?b (2)" : 1')
  })

  it('lets no hostile label out of its quotes or out of the block', () => {
    const pie = costPie([{ label: '"\n```\n%%{init}%%\n"x" : 999', value: 1 }])!
    const body = pie.split('\n').slice(1, -1)
    expect(pie.match(/```/g)).toHaveLength(2)
    expect(body.every((l) => !l.includes('%%'))).toBe(true)
    expect(body.slice(1).every((l) => /^ {4}"[^"]*" : [\d.]+$/.test(l))).toBe(
      true
    )
  })

  it('draws exactly the limit of slices without an "other" slice, and sums one past it', () => {
    const slices = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ label: `m${i}`, value: i + 1 }))
    expect(costPie(slices(MAX_PIE_SLICES))).not.toContain('other models')
    expect(costPie(slices(MAX_PIE_SLICES + 1))).toContain(
      '    "1 other models" : 1\n```'
    )
  })

  it('leaves out negative and infinite costs, numbers every repeat, and writes six significant digits', () => {
    const pie = costPie([
      { label: 'a"', value: 1.23456789 },
      { label: 'a<', value: 0.5 },
      { label: 'a>', value: 0.25 },
      { label: 'neg', value: -1 },
      { label: 'inf', value: Number.POSITIVE_INFINITY }
    ])
    expect(pie).toBe(
      [
        '```mermaid',
        'pie showData title Cost by model (USD)',
        '    "a?" : 1.23457',
        '    "a? (2)" : 0.5',
        '    "a? (3)" : 0.25',
        '```'
      ].join('\n')
    )
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
  it('counts calls per round bucket of seconds', () => {
    const chart = durationHistogram([100, 450, 900, 1600, 3900], 8)!
    expect(chart).toBe(
      [
        '```mermaid',
        'xychart-beta',
        '    title "Calls by duration (s)"',
        '    x-axis ["0-0.5", "0.5-1", "1-1.5", "1.5-2", "2-2.5", "2.5-3", "3-3.5", "3.5-4"]',
        '    y-axis "Calls" 0 --> 2',
        '    bar [2, 1, 0, 1, 0, 0, 0, 1]',
        '```'
      ].join('\n')
    )
  })

  it('puts every call in a bucket, the slowest included', () => {
    const durations = Array.from({ length: 1000 }, (_, i) => i * 37)
    const chart = durationHistogram(durations)!
    const bars = /bar \[([^\]]*)\]/.exec(chart)![1]!.split(', ').map(Number)
    expect(bars.reduce((a, b) => a + b, 0)).toBe(1000)
    expect(bars.length).toBeLessThanOrEqual(11)
  })

  it('draws one bucket when every call took 0 ms, and nothing without durations', () => {
    expect(durationHistogram([0, 0])).toContain('bar [2]')
    expect(durationHistogram([])).toBeUndefined()
    expect(durationHistogram([Number.NaN, -1])).toBeUndefined()
  })

  it('puts a call on a bucket edge in the upper bucket, and leaves out infinite durations', () => {
    const chart = durationHistogram(
      [0, 1000, 2000, Number.POSITIVE_INFINITY],
      2
    )!
    expect(chart).toContain('    x-axis ["0-1", "1-2", "2-3"]')
    expect(chart).toContain('    y-axis "Calls" 0 --> 1')
    expect(chart).toContain('    bar [1, 1, 1]')
  })

  it('writes bucket edges with at most six significant digits', () => {
    expect(durationHistogram([0, 7000], 3)).toContain(
      '    x-axis ["0-5", "5-10"]'
    )
    expect(durationHistogram([1, 2], 3)).toContain('"0-0.001"')
  })
})
