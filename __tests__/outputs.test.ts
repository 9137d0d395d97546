// The log as the step outputs carry it: every text field bounded, with a visible marker, `log` valid JSON.
import { describe, expect, it } from '@jest/globals'
import { cutForOutput, logForOutputs, MAX_OUTPUT_FIELD_BYTES } from '../src/outputs.js'
import { LOG } from './fixtures.js'

/** What a text costs in an output: the larger of its UTF-8 bytes and its JSON-escaped UTF-8 bytes. */
const outputBytes = (text: string) => Math.max(Buffer.byteLength(text), Buffer.byteLength(JSON.stringify(text)) - 2)

describe('cutForOutput', () => {
  it('keeps a text that fits as it is', () => {
    const head = JSON.stringify({ 'content-type': 'application/json', 'x-request-id': 'a'.repeat(100) })
    expect(cutForOutput(head)).toBe(head)
    const fits = 'x'.repeat(MAX_OUTPUT_FIELD_BYTES)
    expect(cutForOutput(fits)).toBe(fits)
  })

  it('cuts a 3 MB head to the limit, with a marker that says how much is gone', () => {
    const head = 'h'.repeat(3_000_000)
    const cut = cutForOutput(head)
    expect(outputBytes(cut)).toBeLessThanOrEqual(MAX_OUTPUT_FIELD_BYTES)
    const m = /…\[cut: (\d+) more characters\]$/.exec(cut)
    expect(m).not.toBeNull()
    expect(cut.length - m![0].length + Number(m![1])).toBe(head.length)
    expect(head.startsWith(cut.slice(0, -m![0].length))).toBe(true)
  })

  it.each([
    ['control characters (escaped as \\u0000 in JSON)', '\u0001'],
    ['line breaks', '\n'],
    ['quotes', '"'],
    ['accented letters', 'é'],
    ['CJK', '語'],
    ['emoji (surrogate pairs)', '😀'],
    ['lone surrogates', '\ud800'],
    ['a mix', 'a\u0000"é語😀\ud800\n']
  ])('bounds a field of %s by its escaped size, not its length', (_name, unit) => {
    const cut = cutForOutput(unit.repeat(1_000_000))
    expect(outputBytes(cut)).toBeLessThanOrEqual(MAX_OUTPUT_FIELD_BYTES)
    expect(cut).toMatch(/…\[cut: \d+ more characters\]$/)
  })

  it('never splits a surrogate pair', () => {
    for (let offset = 0; offset < 4; offset++) {
      const cut = cutForOutput('x'.repeat(offset) + '😀'.repeat(20_000))
      const kept = cut.slice(0, cut.indexOf('…[cut:'))
      expect(kept).not.toMatch(/[\ud800-\udbff]$/)
      expect(Buffer.from(kept, 'utf8').toString('utf8')).toBe(kept) // no lone half turned into U+FFFD
    }
  })
})

describe('logForOutputs', () => {
  it('cuts every text field of a hostile log, and leaves numbers and booleans alone', () => {
    const huge = 'x'.repeat(3_000_000)
    const log = { ...LOG, model: huge, provider: huge, path: huge, metadata: huge, request_head: huge, response_head: huge, model_type: huge }
    const out = logForOutputs(log)
    for (const name of ['model', 'provider', 'path', 'metadata', 'request_head', 'response_head', 'model_type'] as const) {
      expect(outputBytes(out[name] as string)).toBeLessThanOrEqual(MAX_OUTPUT_FIELD_BYTES)
    }
    expect(out).toMatchObject({ cost: LOG.cost, duration: LOG.duration, success: true, cached: false, tokens_in: 412, id: LOG.id })
    expect(JSON.parse(JSON.stringify(out)).request_head).toMatch(/…\[cut: 2983\d{3} more characters\]$/)
  })

  it('returns a short log as it was', () => {
    expect(logForOutputs(LOG)).toEqual(LOG)
  })
})
