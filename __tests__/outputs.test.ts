// Every output of a run, in every mode, and their bound: GitHub keeps at most 1 MiB of a job's
// outputs, and a log's text fields (written twice: as their own outputs and inside `log`) can be MBs.
import { describe, expect, it } from '@jest/globals'
import {
  cutMarked,
  fieldOutput,
  MAX_OUTPUTS_BYTES,
  outputsOf
} from '../src/outputs.js'
import { judge, type Outcome } from '../src/verdict.js'
import { LOG } from './fixtures.js'

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
})

describe('outputsOf', () => {
  it('writes one log whole when it is small: every field, the log as JSON, count 1', () => {
    const outputs = byName(
      outputsOf(judge({ kind: 'log', log: LOG }, rules), '### report')
    )
    expect(outputs).toMatchObject({
      result: 'pass',
      passed: 'true',
      failures: '[]',
      warnings: '[]',
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
        judge({ kind: 'log', log }, rules),
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
      {
        kind: 'many',
        logs: [LOG, { ...LOG, id: 'b', cost: 0.0008 }],
        describe: 'run'
      },
      rules
    )
    const outputs = byName(outputsOf(outcome, ''))
    expect(outputs).toMatchObject({
      count: '2',
      'total-cost': '0.002',
      log: '',
      model: '',
      cost: ''
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
})
