import { describe, expect, it } from '@jest/globals'
import {
  InvalidLogError,
  LOG_FIELDS,
  parseLogDetail,
  type LogDetail
} from '../../src/cloudflare/log.js'
import { fieldOutput } from '../../src/report/outputs.js'
import { formatNumber } from '../../src/inputs/units.js'
import { REDACTED } from '../../src/text/redact.js'
import { elapsedMs, HOSTILE_TEXTS } from '../helpers/hostile.js'

const PROVIDER_KEY = 'sk-live-PROVIDER-SECRET-123'

/** All 25 fields, as the API returns them (heads hold no sensitive header, so they come back unchanged). */
const fullLog = {
  id: '01JADMCQQQBWH3NXZ5GCRN98DP',
  created_at: '2026-11-25T09:30:12.345Z',
  provider: 'openai',
  model: 'gpt-4o-mini',
  model_type: 'chat',
  path: 'chat/completions',
  success: true,
  cached: false,
  status_code: 200,
  duration: 812,
  tokens_in: 412,
  tokens_out: 96,
  cost: 0.0012,
  custom_cost: false,
  step: 0,
  metadata: '{"run":"nightly","pr":42}',
  request_type: 'universal',
  request_content_type: 'application/json',
  request_size: 1024,
  request_head: '{"content-type":"application/json","user-agent":"evals/1.0"}',
  request_head_complete: true,
  response_content_type: 'application/json',
  response_size: 2048,
  response_head:
    '{"content-type":"application/json","openai-processing-ms":"640"}',
  response_head_complete: true
}

const minimalLog = {
  id: 'log-min',
  created_at: '2026-11-25T09:30:12.345Z',
  provider: 'workers-ai',
  model: '@cf/meta/llama-3.1-8b-instruct',
  path: 'run',
  success: false,
  cached: true,
  duration: 0,
  tokens_in: null,
  tokens_out: null
}

/** Runs parseLogDetail expecting an InvalidLogError, and returns its message. */
function invalid(result: unknown): string {
  try {
    parseLogDetail(result)
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidLogError)
    return (error as Error).message
  }
  throw new Error(`parseLogDetail accepted ${JSON.stringify(result)}`)
}

describe('parseLogDetail', () => {
  it('covers the 25 fields of the API', () => {
    expect(LOG_FIELDS).toHaveLength(25)
    expect(LOG_FIELDS.map((f) => f.name).sort()).toEqual(
      Object.keys(fullLog).sort()
    )
  })

  it('accepts a full valid log and returns it as given', () => {
    expect(parseLogDetail(fullLog)).toEqual(fullLog)
  })

  it('accepts a minimal log: only the required fields, token counts null', () => {
    const log = parseLogDetail(minimalLog)
    expect(log).toEqual(minimalLog)
    expect(log.tokens_in).toBeNull()
    expect(log.tokens_out).toBeNull()
  })

  it('drops fields it does not know', () => {
    const log = parseLogDetail({
      ...minimalLog,
      extra: 'x',
      __proto__polluted: { a: 1 }
    })
    expect(Object.keys(log).sort()).toEqual(Object.keys(minimalLog).sort())
  })

  it('treats an optional field that is null as absent', () => {
    const nulls = {
      cost: null,
      status_code: null,
      metadata: null,
      step: null,
      model_type: null,
      request_head: null,
      custom_cost: null
    }
    const log = parseLogDetail({ ...minimalLog, ...nulls })
    for (const name of Object.keys(nulls)) {
      expect(Object.prototype.hasOwnProperty.call(log, name)).toBe(false)
      expect(fieldOutput(log, name as keyof LogDetail)).toBe('')
    }
    expect(log).toEqual(minimalLog)
  })

  it('re-encodes metadata given as an object', () => {
    expect(
      parseLogDetail({ ...minimalLog, metadata: { run: 'nightly', pr: 42 } })
        .metadata
    ).toBe('{"run":"nightly","pr":42}')
  })

  it.each([
    ['a string', 'not json', 'a string "not json"'],
    ['a number', 42, 'a number 42'],
    ['null', null, 'null'],
    ['an array', [fullLog], 'an array'],
    ['a boolean', true, 'a boolean']
  ])('rejects a result that is %s', (_case, result, described) => {
    expect(invalid(result)).toBe(
      `the log detail ("result") is ${described}, not an object`
    )
  })

  it('rejects an undefined result', () => {
    expect(invalid(undefined)).toMatch(
      /^the log detail \("result"\) is .*undefined, not an object$/
    )
  })

  it.each([
    [
      'a string cost',
      { cost: '0.0012' },
      'cost is a string "0.0012", expected a number'
    ],
    ['a null duration', { duration: null }, 'duration is null'],
    [
      'a string duration',
      { duration: '812' },
      'duration is a string "812", expected a number'
    ],
    ['a missing id', { id: undefined }, 'id is missing'],
    ['a numeric id', { id: 7 }, 'id is a number 7, expected a string'],
    [
      'a non-integer tokens_in',
      { tokens_in: 1.5 },
      'tokens_in is a number 1.5, expected an integer'
    ],
    [
      'a missing tokens_out',
      { tokens_out: undefined },
      'tokens_out is missing'
    ],
    [
      'a boolean status_code',
      { status_code: true },
      'status_code is a boolean, expected an integer'
    ],
    [
      'a string success',
      { success: 'true' },
      'success is a string "true", expected a boolean'
    ],
    ['a null cached', { cached: null }, 'cached is null'],
    [
      'an object model',
      { model: { name: 'x' } },
      'model is an object, expected a string'
    ],
    [
      'a numeric metadata',
      { metadata: 5 },
      'metadata is a number 5, expected a string'
    ],
    ['an array step', { step: [1] }, 'step is an array, expected an integer']
  ])('rejects %s, naming the field', (_case, change, message) => {
    expect(invalid({ ...fullLog, ...change })).toBe(
      `the log detail is not valid: ${message}`
    )
  })

  it.each([
    'id',
    'created_at',
    'provider',
    'model',
    'path',
    'success',
    'cached',
    'duration',
    'tokens_in',
    'tokens_out'
  ])('rejects a log without the required field %s', (name) => {
    expect(invalid({ ...fullLog, [name]: undefined })).toBe(
      `the log detail is not valid: ${name} is missing`
    )
  })

  it('rejects a duration or a cost that is not finite', () => {
    expect(invalid({ ...fullLog, duration: Infinity, cost: NaN })).toBe(
      'the log detail is not valid: duration is a number Infinity, expected a number; cost is a number NaN, expected a number'
    )
  })

  it('throws an error named InvalidLogError', () => {
    expect(() => parseLogDetail(null)).toThrow(
      expect.objectContaining({ name: 'InvalidLogError' })
    )
  })

  it('reports every wrong field in one message', () => {
    const message = invalid({
      ...fullLog,
      cost: '1',
      duration: null,
      id: undefined
    })
    expect(message).toBe(
      'the log detail is not valid: id is missing; duration is null; cost is a string "1", expected a number'
    )
  })

  it('shortens a long wrong value in the message', () => {
    const message = invalid({ ...fullLog, cost: 'x'.repeat(1000) })
    expect(message).toBe(
      `the log detail is not valid: cost is a string "${'x'.repeat(40)}…", expected a number`
    )
  })

  it('redacts request_head and response_head', () => {
    const log = parseLogDetail({
      ...fullLog,
      request_head: JSON.stringify({
        'content-type': 'application/json',
        authorization: `Bearer ${PROVIDER_KEY}`
      }),
      response_head: JSON.stringify({
        'set-cookie': `session=${PROVIDER_KEY}`,
        'content-type': 'application/json'
      })
    })
    expect(JSON.parse(log.request_head!)).toEqual({
      'content-type': 'application/json',
      authorization: REDACTED
    })
    expect(JSON.parse(log.response_head!)).toEqual({
      'set-cookie': REDACTED,
      'content-type': 'application/json'
    })
    expect(JSON.stringify(log)).not.toContain(PROVIDER_KEY)
  })

  it('redacts a line-format head and drops an unreadable one', () => {
    const log = parseLogDetail({
      ...fullLog,
      request_head: `Authorization: Bearer ${PROVIDER_KEY}\nAccept: */*`,
      response_head: `garbage ${PROVIDER_KEY}`
    })
    expect(log.request_head).toBe(`Authorization: ${REDACTED}\nAccept: */*`)
    expect(log.response_head).toBe(REDACTED)
  })

  describe('the path', () => {
    it('loses the credentials in its query', () => {
      const log = parseLogDetail({
        ...fullLog,
        path: `v1beta/models/gemini-2.0-flash:generateContent?key=${PROVIDER_KEY}`
      })
      expect(log.path).toBe(
        `v1beta/models/gemini-2.0-flash:generateContent?key=${REDACTED}`
      )
    })
  })

  describe('nesting deeper than JSON.stringify can write', () => {
    it('keeps a deeply nested head as valid JSON, redacted below a few levels', () => {
      const log = parseLogDetail({
        ...fullLog,
        request_head: `${'['.repeat(200_000)}${']'.repeat(200_000)}`
      })
      expect(log.request_head).toContain(REDACTED)
      expect(() => JSON.parse(log.request_head!)).not.toThrow()
      expect(log.request_head!.length).toBeLessThan(1000)
    })

    it('rejects metadata given as an object it cannot encode, naming the field', () => {
      const metadata = JSON.parse(
        `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`
      ) as unknown
      expect(invalid({ ...fullLog, metadata })).toBe(
        'the log detail is not valid: metadata is an object nested too deeply to encode'
      )
    })
  })

  describe('a wrong value in the message', () => {
    const SECRET = 'cf-token/SECRET+0123456789'

    it('is scrubbed before it is cut, so no part of a secret is left', () => {
      let message = ''
      try {
        parseLogDetail(
          { ...fullLog, cost: `${'c'.repeat(30)}${SECRET}` },
          (text) => text.split(SECRET).join('***')
        )
      } catch (error) {
        message = (error as Error).message
      }
      expect(message).toBe(
        `the log detail is not valid: cost is a string "${'c'.repeat(30)}***", expected a number`
      )
    })

    it('is never cut inside a surrogate pair, and shows invisible characters', () => {
      expect(invalid({ ...fullLog, cost: `${'x'.repeat(39)}😀` })).toBe(
        `the log detail is not valid: cost is a string "${'x'.repeat(39)}…", expected a number`
      )
      expect(invalid({ ...fullLog, cost: '1\u202e2' })).toBe(
        'the log detail is not valid: cost is a string "1\\u202e2", expected a number'
      )
    })
  })

  describe('amounts that no call can have', () => {
    it.each([
      ['cost', -5],
      ['cost', -1e-9],
      ['duration', -1000],
      ['tokens_in', -1],
      ['tokens_out', -96],
      ['step', -1],
      ['request_size', -1830],
      ['response_size', -1]
    ])('rejects a negative %s (%p), naming the field', (name, value) => {
      expect(invalid({ ...fullLog, [name]: value })).toBe(
        `the log detail is not valid: ${name} is negative (${formatNumber(value)}), which no call can be`
      )
    })

    it('names every negative field at once', () => {
      expect(
        invalid({ ...fullLog, cost: -5, duration: -1000, tokens_in: -1 })
      ).toBe(
        'the log detail is not valid: duration is negative (-1000), which no call can be; tokens_in is negative (-1), which no call can be; cost is negative (-5), which no call can be'
      )
    })

    it('accepts zero, and a negative zero, as zero', () => {
      const log = parseLogDetail({
        ...fullLog,
        cost: -0,
        duration: 0,
        tokens_in: 0,
        tokens_out: 0,
        request_size: 0,
        response_size: 0,
        step: 0
      })
      expect(fieldOutput(log, 'cost')).toBe('0')
      expect(log.duration).toBe(0)
    })
  })

  describe('a megabyte of hostile text', () => {
    it.each(Object.keys(HOSTILE_TEXTS))(
      '%s as a head: in well under a second',
      (name) => {
        expect(
          elapsedMs(() =>
            parseLogDetail({ ...fullLog, request_head: HOSTILE_TEXTS[name]! })
          )
        ).toBeLessThan(1000)
      }
    )

    it.each(Object.keys(HOSTILE_TEXTS))(
      '%s as the path: in well under a second',
      (name) => {
        expect(
          elapsedMs(() =>
            parseLogDetail({ ...fullLog, path: HOSTILE_TEXTS[name]! })
          )
        ).toBeLessThan(1000)
      }
    )
  })
})
