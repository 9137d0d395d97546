// Every output of a run, in every mode, and their bound: GitHub keeps at most 1 MiB of a job's
// outputs, and a log's text fields (written twice: as their own outputs and inside `log`) can be MBs.
import { measureCalls } from '../../src/sources/logs.js'
import { describe, expect, it } from '@jest/globals'
import {
  cutMarked,
  fieldOutput,
  MAX_OUTPUTS_BYTES,
  MAX_VERDICT_ENTRIES,
  outputsOf
} from '../../src/report/outputs.js'
import { parseThresholds } from '../../src/inputs/thresholds.js'
import { judge, type Outcome } from '../../src/gate/verdict.js'
import { LOG } from '../helpers/fixtures.js'

const rules = {
  limits: { requireSuccess: true },
  thresholds: [],
  failOnBreach: true
}
const bytes = (outputs: [string, string][]): number =>
  outputs.reduce(
    (sum, [name, value]) =>
      sum + Buffer.byteLength(name) + Buffer.byteLength(value),
    0
  )
const byName = (outputs: [string, string][]): Record<string, string> =>
  Object.fromEntries(outputs)

describe('cutMarked', () => {
  it('keeps text that fits, and cuts the rest with a marker that says how much is gone', () => {
    expect(cutMarked('abc', 3)).toBe('abc')
    expect(cutMarked('abcdef', 3)).toBe('abc…[cut: 3 more characters]')
  })

  it('never splits a surrogate pair', () => {
    expect(cutMarked('ab😀cd', 3)).toBe('ab…[cut: 4 more characters]')
  })
})

describe('fieldOutput', () => {
  it('writes numbers without exponents, booleans as text, and nothing for an absent field', () => {
    expect(fieldOutput({ ...LOG, cost: 0.0000004 }, 'cost')).toBe('0.0000004')
    expect(fieldOutput(LOG, 'success')).toBe('true')
    expect(fieldOutput(LOG, 'step')).toBe('')
    expect(fieldOutput(undefined, 'id')).toBe('')
  })

  const log = {
    ...LOG,
    cost: undefined,
    tokens_out: null,
    step: 0,
    cost_usd: 1
  }

  it.each([
    ['no log at all', undefined, 'cost', ''],
    ['an absent field', log, 'cost', ''],
    ['a null field', log, 'tokens_out', ''],
    ['true', log, 'success', 'true'],
    ['false', log, 'cached', 'false'],
    ['zero', log, 'step', '0'],
    ['an integer', log, 'duration', '812'],
    ['a fraction', { ...log, cost: 0.0012 }, 'cost', '0.0012'],
    ['a status code', log, 'status_code', '200'],
    ['a string', log, 'model', 'gpt-4o-mini'],
    ['a date', log, 'created_at', '2026-11-25T09:30:12.345Z']
  ] as const)('%s', (_case, source, name, output) => {
    expect(fieldOutput(source, name)).toBe(output)
  })

  it('writes a tiny cost as a plain decimal, never in exponent notation', () => {
    expect(fieldOutput({ ...LOG, cost: 4e-7 }, 'cost')).toBe('0.0000004')
  })
})

describe('outputsOf', () => {
  it('writes one log whole when it is small: every field, the log as JSON, count 1', () => {
    const outputs = byName(
      outputsOf(
        judge(measureCalls({ kind: 'log', log: LOG }), rules),
        '### report'
      )
    )
    expect(outputs).toMatchObject({
      result: 'pass',
      passed: 'true',
      failures: '[]',
      'failures-omitted': '0',
      warnings: '[]',
      'warnings-omitted': '0',
      count: '1',
      'total-cost': '0.0012'
    })
    expect(JSON.parse(outputs.log!)).toEqual(LOG)
    expect(outputs.model).toBe('gpt-4o-mini')
    expect(outputs.markdown).toBe('### report')
  })

  it.each([
    ['ASCII', 'h'],
    ['line breaks and quotes (escaped inside log)', '\n"'],
    ['CJK', '語'],
    ['emoji', '😀'],
    ['control characters', '\u0001']
  ])(
    'stays under 1 MiB in all with 3 MB heads of %s, cut with a marker, log still JSON',
    (_name, unit) => {
      const huge = unit.repeat(Math.ceil(3_000_000 / unit.length))
      const log = {
        ...LOG,
        request_head: huge,
        response_head: huge,
        metadata: huge,
        model: huge,
        path: huge
      }
      const outputs = outputsOf(
        judge(measureCalls({ kind: 'log', log }), rules),
        'm'.repeat(900_000)
      )
      expect(bytes(outputs)).toBeLessThanOrEqual(MAX_OUTPUTS_BYTES)
      const named = byName(outputs)
      expect(named['request-head']).toMatch(/…\[cut: \d+ more characters\]$/)
      expect(JSON.parse(named.log!).response_head).toMatch(
        /…\[cut: \d+ more characters\]$/
      )
      expect(named.markdown).toMatch(/…\[cut: \d+ more characters\]$/)
      expect(named.cost).toBe('0.0012')
    }
  )

  it('writes the run outputs for many calls, and no log fields', () => {
    const outcome = judge(
      measureCalls({
        kind: 'many',
        logs: [LOG, { ...LOG, id: 'b', cost: 0.0008 }],
        describe: 'run'
      }),
      rules
    )
    const outputs = byName(outputsOf(outcome, ''))
    expect(outputs).toMatchObject({
      count: '2',
      'total-cost': '0.002',
      log: '',
      model: '',
      cost: '',
      'baseline-run-id': '',
      'baseline-metrics': ''
    })
    expect(JSON.parse(outputs.metrics!)).toMatchObject({
      count: 2,
      cost: { sum: 0.002 }
    })
  })

  it('writes result=error and empty run outputs on an error', () => {
    const error: Outcome = { kind: 'error', message: 'x' }
    expect(byName(outputsOf(error, 'md'))).toMatchObject({
      result: 'error',
      passed: 'false',
      failures: '[]',
      count: '',
      metrics: '',
      log: '',
      markdown: 'md'
    })
  })

  describe('the caps', () => {
    /** The characters kept of a cut output. */
    const kept = (value: string | undefined): number =>
      value!.replace(/…\[cut: \d+ more characters\]$/, '').length
    const TEXT_FIELDS = [
      'id',
      'created_at',
      'provider',
      'model',
      'model_type',
      'path',
      'metadata',
      'request_type',
      'request_content_type',
      'request_head',
      'response_content_type',
      'response_head'
    ]
    /** The outputs of one log whose first `fields` text fields hold 3 MB of `unit`. */
    const outputsWith = (
      fields: number,
      unit: string,
      markdown: string
    ): [string, string][] => {
      const log = { ...LOG } as Record<string, unknown>
      for (const name of TEXT_FIELDS.slice(0, fields))
        log[name] = unit.repeat(3_000_000)
      return outputsOf(
        judge(
          measureCalls({ kind: 'log', log: log as unknown as typeof LOG }),
          rules
        ),
        markdown
      )
    }
    const capsOf = (outputs: [string, string][]): [number, number] => {
      const named = byName(outputs)
      return [kept(named.model), kept(named.markdown)]
    }

    it('leaves GitHub 16 KiB of the 1 MiB for comment-id and comment-url', () => {
      expect(MAX_OUTPUTS_BYTES).toBe(1024 * 1024 - 16 * 1024)
    })

    it.each([
      ['four fields of ASCII', 4, 'h', [64 * 1024, 256 * 1024]],
      ['five fields of CJK (3 bytes each)', 5, '語', [16 * 1024, 128 * 1024]],
      [
        'ten fields of control characters (6 bytes each inside log)',
        10,
        '\u0001',
        [4 * 1024, 64 * 1024]
      ]
    ] as const)(
      'takes the largest caps that fit: %s',
      (_name, fields, unit, caps) => {
        const outputs = outputsWith(fields, unit, 'm'.repeat(900_000))
        expect(capsOf(outputs)).toEqual(caps)
        expect(bytes(outputs)).toBeLessThanOrEqual(MAX_OUTPUTS_BYTES)
      }
    )

    it('keeps the first caps when the outputs come to exactly the limit, and not one byte more', () => {
      const base = bytes(outputsWith(6, 'h', ''))
      const room = MAX_OUTPUTS_BYTES - base
      expect(room).toBeGreaterThan(0)
      expect(room).toBeLessThan(256 * 1024)
      const exact = outputsWith(6, 'h', 'm'.repeat(room))
      expect(bytes(exact)).toBe(MAX_OUTPUTS_BYTES)
      expect(capsOf(exact)).toEqual([64 * 1024, room])
      const over = outputsWith(6, 'h', 'm'.repeat(room + 1))
      expect(capsOf(over)).toEqual([16 * 1024, 128 * 1024])
    })
  })

  describe('thousands of failed thresholds', () => {
    // 14,000 breached lines wrote 1.9 MB of outputs, 1.43 MB of it in failures.
    const breached = (n: number, level: '' | 'warn: ') =>
      Array.from({ length: n }, (_, i) => `${level}count > ${i + 5}`).join('\n')
    const outcomeOf = (failed: number, warned: number) => {
      const parsed = parseThresholds(
        [breached(failed, ''), breached(warned, 'warn: ')]
          .filter(Boolean)
          .join('\n')
      )
      expect(parsed.problems).toEqual([])
      return judge(
        measureCalls({ kind: 'many', logs: [LOG], describe: 'run' }),
        { ...rules, thresholds: parsed.thresholds }
      )
    }

    it('keeps the first 100 entries of failures and warnings, each of the one shape, and counts the rest', () => {
      const outputs = outputsOf(outcomeOf(14_000, 300), 'm'.repeat(900_000))
      expect(bytes(outputs)).toBeLessThanOrEqual(MAX_OUTPUTS_BYTES)
      const named = byName(outputs)
      const failures = JSON.parse(named.failures!) as { message: string }[]
      const warnings = JSON.parse(named.warnings!) as { message: string }[]
      expect(MAX_VERDICT_ENTRIES).toBe(100)
      expect(failures).toHaveLength(100)
      expect(failures[0]).toMatchObject({
        metric: 'count',
        input: 'thresholds',
        actual: 1,
        operator: '>',
        limit: 5
      })
      expect(failures[99]).toMatchObject({ limit: 104 })
      expect(named['failures-omitted']).toBe('13900')
      expect(warnings).toHaveLength(100)
      expect(named['warnings-omitted']).toBe('200')
      expect(named.result).toBe('fail')
    })

    it('keeps every entry, and counts none left out, at 100', () => {
      const named = byName(outputsOf(outcomeOf(100, 1), ''))
      expect(JSON.parse(named.failures!)).toHaveLength(100)
      expect(named['failures-omitted']).toBe('0')
      expect(JSON.parse(named.warnings!)).toHaveLength(1)
      expect(named['warnings-omitted']).toBe('0')
    })

    it('keeps fewer entries when the outputs need the smaller caps, and still counts the rest', () => {
      // One log whose text fields are 3 MB of control characters (6 bytes each inside log): only the
      // third caps fit (see 'takes the largest caps that fit'), and they keep 50 entries.
      const log = { ...LOG } as Record<string, unknown>
      for (const name of [
        'model',
        'provider',
        'path',
        'metadata',
        'model_type',
        'request_type',
        'request_content_type',
        'request_head',
        'response_content_type',
        'response_head'
      ])
        log[name] = '\u0001'.repeat(3_000_000)
      const parsed = parseThresholds(breached(300, ''))
      const outcome = judge(
        measureCalls({ kind: 'log', log: log as unknown as typeof LOG }),
        { ...rules, thresholds: parsed.thresholds }
      )
      const outputs = outputsOf(outcome, 'm'.repeat(900_000))
      expect(bytes(outputs)).toBeLessThanOrEqual(MAX_OUTPUTS_BYTES)
      const named = byName(outputs)
      expect(named.model).toMatch(/…\[cut: \d+ more characters\]$/)
      expect(JSON.parse(named.failures!)).toHaveLength(50)
      expect(named['failures-omitted']).toBe('250')
    })
  })

  describe('ids from the API', () => {
    it('keeps failures and warnings bounded when a call id is megabytes long', () => {
      const hugeId = 'i'.repeat(3_000_000)
      const logs = [
        { ...LOG, id: hugeId, duration: 5000 },
        { ...LOG, id: 'b', duration: 1 }
      ]
      const parsed = parseThresholds(
        'duration.max < 1ms\nwarn: duration.p99 < 1ms'
      )
      const outcome = judge(
        measureCalls({ kind: 'many', logs, describe: 'run' }),
        { ...rules, thresholds: parsed.thresholds }
      )
      const outputs = outputsOf(outcome, '')
      expect(bytes(outputs)).toBeLessThanOrEqual(MAX_OUTPUTS_BYTES)
      const [failure] = JSON.parse(byName(outputs).failures!) as {
        call: string
      }[]
      expect(failure!.call).toBe(`${'i'.repeat(256)}…`)
    })
  })
})

describe('outputsOf: source and trend', () => {
  const measured = measureCalls({ kind: 'many', logs: [LOG], describe: 'run' })
  const error: Outcome = { kind: 'error', message: 'no calls' }

  it('says which source measured, and nothing on an error (no source may have answered)', () => {
    expect(byName(outputsOf(judge(measured, rules), ''))).toMatchObject({
      source: 'logs',
      trend: ''
    })
    expect(
      byName(outputsOf(judge({ ...measured, source: 'analytics' }, rules), ''))
        .source
    ).toBe('analytics')
    expect(byName(outputsOf(error, ''))).toMatchObject({
      source: '',
      trend: ''
    })
  })

  it('writes the trend as JSON, one entry a day with exactly date, count, cost and errors, a day without calls as zeros', () => {
    const trend = [
      { date: '2026-12-01', count: 1003756, cost: 1355.6, errors: 1072 },
      { date: '2026-12-03', count: 41569.5, cost: null, errors: 3 }
    ]
    const out = byName(
      outputsOf(
        judge(
          {
            ...measured,
            source: 'analytics',
            trend: trend.map((d) => ({ ...d, extra: 'x' }))
          },
          rules
        ),
        ''
      )
    )
    expect(JSON.parse(out.trend!)).toEqual([
      trend[0],
      { date: '2026-12-02', count: 0, cost: null, errors: 0 },
      trend[1]
    ])
    expect(out.trend).toBe(
      '[{"date":"2026-12-01","count":1003756,"cost":1355.6,"errors":1072},{"date":"2026-12-02","count":0,"cost":null,"errors":0},{"date":"2026-12-03","count":41569.5,"cost":null,"errors":3}]'
    )
  })

  it('writes an asked-for trend with no day as [], and 62 days whole', () => {
    const judged = (
      trend: { date: string; count: number; cost: number; errors: number }[]
    ) => byName(outputsOf(judge({ ...measured, trend }, rules), '')).trend!
    expect(judged([])).toBe('[]')
    const days = Array.from({ length: 62 }, (_, i) => ({
      date: new Date(Date.UTC(2026, 9, 2 + i)).toISOString().slice(0, 10),
      count: 1_000_000 + i,
      cost: 1234.5678 + i,
      errors: i
    }))
    expect(JSON.parse(judged(days))).toEqual(days)
  })
})

describe('outputsOf: a total cost no one knows', () => {
  it('leaves total-cost empty when a call reports no cost', () => {
    const outcome = judge(
      measureCalls({
        kind: 'many',
        logs: [{ ...LOG, cost: undefined }],
        describe: 'run'
      }),
      rules
    )
    expect(byName(outputsOf(outcome, ''))['total-cost']).toBe('')
  })
})
