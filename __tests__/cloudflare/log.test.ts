import { describe, expect, it } from '@jest/globals'
import {
  dateTimeMs,
  InvalidLogError,
  LOG_FIELDS,
  MAX_SUMMARY_TEXT_CHARS,
  parseLogDetail,
  summarize,
  type LogDetail
} from '../../src/cloudflare/log.js'
import { fieldOutput } from '../../src/report/outputs.js'
import { formatNumber } from '../../src/inputs/units.js'
import { REDACTED } from '../../src/text/redact.js'
import { elapsedMs, HOSTILE_TEXTS, LINEAR_CPU_MS } from '../helpers/hostile.js'

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

  describe('created_at: a time with a zone, or the answer is invalid', () => {
    const WHY =
      'which is not an ISO 8601 time with a zone (such as 2026-11-25T09:30:12Z)'

    it.each([
      'yesterday',
      '2026-11-20 10:30:00',
      '2026-11-25T09:30:12',
      '2026-13-01T10:30:00Z',
      '',
      '1764063012345'
    ])('%j: the message names the log and the value', (created_at) => {
      expect(invalid({ ...fullLog, created_at })).toBe(
        `the log detail is not valid: log "${fullLog.id}" has created_at ${JSON.stringify(created_at)}, ${WHY}`
      )
    })

    it.each(['2026-12-31T23:59:59Z', '2026-01-01T00:00:00+01:00'])(
      '%j: the first and last months are times like any other',
      (created_at) => {
        expect(parseLogDetail({ ...fullLog, created_at }).created_at).toBe(
          created_at
        )
      }
    )

    it('names the field alone when the id is not a string, and says both are wrong', () => {
      expect(invalid({ ...fullLog, id: 7, created_at: 'yesterday' })).toBe(
        `the log detail is not valid: id is a number 7, expected a string; created_at "yesterday", ${WHY}`
      )
    })

    it('keeps a number where the time should be a wrong type, as before', () => {
      expect(invalid({ ...fullLog, created_at: 1764063012345 })).toBe(
        'the log detail is not valid: created_at is a number 1764063012345, expected a string'
      )
    })

    it('quotes the id and the value on one line, invisible characters shown, scrubbed before they are cut', () => {
      const SECRET = 'cf-token/SECRET+0123456789'
      let message = ''
      try {
        parseLogDetail(
          {
            ...fullLog,
            id: 'log\n::stop-commands::x\u202e',
            created_at: `${'t'.repeat(70)}${SECRET}`
          },
          (text) => text.split(SECRET).join('***')
        )
      } catch (error) {
        message = (error as Error).message
      }
      expect(message).toBe(
        `the log detail is not valid: log "log\\n::stop-commands::x\\u202e" has created_at "${'t'.repeat(70)}***", ${WHY}`
      )
      expect(message).not.toContain('\n')
    })

    it('accepts the date-time shapes of RFC 3339, fractions and offsets included', () => {
      for (const created_at of [
        '2026-11-25T09:30:12Z',
        '2026-11-25T09:30:12.345Z',
        '2026-11-25T09:30:12.123456789Z',
        '2026-11-25t09:30:12z',
        '2026-11-25T18:30:12+09:00',
        '2028-02-29T00:00:00-00:00'
      ])
        expect(parseLogDetail({ ...fullLog, created_at }).created_at).toBe(
          created_at
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
        ).toBeLessThan(LINEAR_CPU_MS)
      }
    )

    it.each(Object.keys(HOSTILE_TEXTS))(
      '%s as the path: in well under a second',
      (name) => {
        expect(
          elapsedMs(() =>
            parseLogDetail({ ...fullLog, path: HOSTILE_TEXTS[name]! })
          )
        ).toBeLessThan(LINEAR_CPU_MS)
      }
    )
  })
})

describe('dateTimeMs', () => {
  it.each([
    ['2026-11-25T09:30:12Z', Date.UTC(2026, 10, 25, 9, 30, 12)],
    ['2026-11-25T09:30:12.345Z', Date.UTC(2026, 10, 25, 9, 30, 12, 345)],
    ['2026-11-25T09:30:12.3Z', Date.UTC(2026, 10, 25, 9, 30, 12, 300)],
    // Digits past milliseconds are dropped, never rounded up into the next second.
    ['2026-11-25T09:30:12.999999999Z', Date.UTC(2026, 10, 25, 9, 30, 12, 999)],
    ['2026-11-25t09:30:12z', Date.UTC(2026, 10, 25, 9, 30, 12)],
    ['2026-11-25T18:30:12+09:00', Date.UTC(2026, 10, 25, 9, 30, 12)],
    ['2026-11-25T04:00:12-05:30', Date.UTC(2026, 10, 25, 9, 30, 12)],
    ['2026-11-25T09:30:12+00:00', Date.UTC(2026, 10, 25, 9, 30, 12)],
    ['2026-11-25T09:30:12-00:00', Date.UTC(2026, 10, 25, 9, 30, 12)],
    // An offset that crosses midnight, a month and a year.
    ['2027-01-01T08:00:00+09:00', Date.UTC(2026, 11, 31, 23, 0, 0)],
    ['2028-02-29T23:59:59Z', Date.UTC(2028, 1, 29, 23, 59, 59)],
    ['2000-02-29T00:00:00Z', Date.UTC(2000, 1, 29)],
    ['1970-01-01T00:00:00Z', 0],
    // Years below 100 are those years, not 1900 and after (Date.UTC's two-digit years).
    ['0050-06-15T12:00:00Z', Date.parse('0050-06-15T12:00:00.000Z')]
  ])('%s', (text, ms) => {
    expect(dateTimeMs(text)).toBe(ms)
  })

  it.each([
    ['no zone', '2026-11-25T09:30:12'],
    ['no zone, a space', '2026-11-20 10:30:00'],
    ['a space before the zone', '2026-11-20 10:30:00Z'],
    ['a date alone', '2026-11-25'],
    ['no seconds', '2026-11-25T09:30Z'],
    ['an offset without minutes', '2026-11-25T09:30:12+09'],
    ['an offset without a colon', '2026-11-25T09:30:12+0900'],
    ['month 13', '2026-13-01T10:30:00Z'],
    ['month 0', '2026-00-10T10:30:00Z'],
    ['day 0', '2026-11-00T10:30:00Z'],
    ['31 June', '2026-06-31T10:30:00Z'],
    ['29 February of a common year', '2026-02-29T10:30:00Z'],
    ['29 February of 1900 (not a leap year)', '1900-02-29T10:30:00Z'],
    ['hour 24', '2026-11-25T24:00:00Z'],
    ['minute 60', '2026-11-25T09:60:00Z'],
    ['a leap second', '2016-12-31T23:59:60Z'],
    ['an offset of 24 hours', '2026-11-25T09:30:12+24:00'],
    ['an offset of 60 minutes', '2026-11-25T09:30:12+05:60'],
    ['ten fraction digits', '2026-11-25T09:30:12.1234567890Z'],
    ['an empty fraction', '2026-11-25T09:30:12.Z'],
    ['a comma fraction', '2026-11-25T09:30:12,5Z'],
    ['a five-digit year', '+02026-11-25T09:30:12Z'],
    ['a leading space', ' 2026-11-25T09:30:12Z'],
    ['a trailing newline', '2026-11-25T09:30:12Z\n'],
    ['words', 'yesterday'],
    ['what Date.parse reads anyway', 'Wed, 25 Nov 2026 09:30:12 GMT'],
    ['a slashed date', '2026/11/25 09:30:12Z'],
    ['other digits', '٢٠٢٦-11-25T09:30:12Z'],
    ['nothing', '']
  ])('%s (%j): not a time', (_case, text) => {
    expect(dateTimeMs(text)).toBeUndefined()
  })

  it("reads the same in any of the runner's time zones", () => {
    const before = process.env.TZ
    try {
      for (const tz of ['Asia/Tokyo', 'America/New_York', 'UTC']) {
        process.env.TZ = tz
        expect(dateTimeMs('2026-03-08T07:30:00Z')).toBe(
          Date.UTC(2026, 2, 8, 7, 30)
        )
        expect(dateTimeMs('2026-11-20T10:30:00')).toBeUndefined()
      }
    } finally {
      if (before === undefined) delete process.env.TZ
      else process.env.TZ = before
    }
  })
})

describe('summarize', () => {
  let detail: ReturnType<typeof parseLogDetail>
  beforeEach(() => {
    detail = parseLogDetail({
      ...fullLog,
      metadata: JSON.stringify({ run_id: 'gh-1', note: 'n'.repeat(10_000) }),
      path: `chat/completions?${'p'.repeat(10_000)}`
    })
  })

  it('keeps only what the gate reads of a call of many, as new values', () => {
    const summary = summarize(detail)
    expect(summary).toEqual({
      id: fullLog.id,
      created_at: fullLog.created_at,
      provider: fullLog.provider,
      model: fullLog.model,
      success: true,
      cached: false,
      status_code: 200,
      duration: 812,
      tokens_in: 412,
      tokens_out: 96,
      cost: 0.0012
    })
    expect(JSON.stringify(summary).length).toBeLessThan(400)
  })

  it('keeps the metadata it is given (the run entry), and leaves out what a call did not report', () => {
    const summary = summarize(
      parseLogDetail({ ...minimalLog, tokens_in: null }),
      undefined,
      '{"run_id":"gh-1"}'
    )
    expect(summary.metadata).toBe('{"run_id":"gh-1"}')
    expect(summary.tokens_in).toBeNull()
    expect(Object.keys(summary)).not.toContain('cost')
    expect(Object.keys(summary)).not.toContain('status_code')
  })

  it(`keeps ids, providers and models up to ${MAX_SUMMARY_TEXT_CHARS} characters as they are`, () => {
    const id = 'i'.repeat(MAX_SUMMARY_TEXT_CHARS)
    expect(summarize({ ...detail, id }).id).toBe(id)
  })

  it('cuts a longer one with a digest of the whole, so that two that differ past the cut stay apart', () => {
    const a = summarize({
      ...detail,
      id: `${'x'.repeat(300)}a`,
      model: `a${'😀'.repeat(10_000)}`
    })
    const b = summarize({ ...detail, id: `${'x'.repeat(300)}b` })
    expect(a.id).toMatch(
      new RegExp(
        `^x{${MAX_SUMMARY_TEXT_CHARS}}…\\[301 characters, sha256 [0-9a-f]{32}\\]$`
      )
    )
    expect(b.id).not.toBe(a.id)
    expect(summarize({ ...detail, id: `${'x'.repeat(300)}a` }).id).toBe(a.id)
    // Never inside a surrogate pair: 'a' and 127 emoji are 255 units, and half of the 128th would be the 256th.
    expect(a.model.startsWith(`a${'😀'.repeat(127)}…[20001 characters`)).toBe(
      true
    )
    expect(a.model.length).toBeLessThan(MAX_SUMMARY_TEXT_CHARS + 80)
  })

  it('scrubs a long text before it cuts it: no part of a secret is left for a later scrub to miss', () => {
    const SECRET = 'sk-live-SECRET-0123456789'
    const provider = `${'p'.repeat(250)}${SECRET}${'p'.repeat(100)}`
    const summary = summarize({ ...detail, provider }, (text) =>
      text.split(SECRET).join('***')
    )
    expect(summary.provider.startsWith(`${'p'.repeat(250)}***ppp…`)).toBe(true)
    expect(summary.provider).not.toContain('sk-')
  })

  it('keeps a long text whole when the scrub brings it within the limit: no cut, no digest', () => {
    const SECRET = 'sk-live-SECRET-0123456789'
    const scrub = (text: string): string => text.split(SECRET).join('***')
    // 253 + 25 characters, 256 once scrubbed: exactly the limit
    const fits = summarize(
      { ...detail, model: `${'m'.repeat(253)}${SECRET}` },
      scrub
    )
    expect(fits.model).toBe(`${'m'.repeat(253)}***`)
    const shorter = summarize(
      { ...detail, model: `${'m'.repeat(100)}${SECRET}${'m'.repeat(150)}` },
      scrub
    )
    expect(shorter.model).toBe(`${'m'.repeat(100)}***${'m'.repeat(150)}`)
  })

  it(`keeps a text of up to ${MAX_SUMMARY_TEXT_CHARS} characters as the API sent it: only a text to be cut is scrubbed here, before its cut`, () => {
    const scrub = (text: string): string => text.replace(/i/g, '*')
    const id = 'i'.repeat(MAX_SUMMARY_TEXT_CHARS)
    const summary = summarize({ ...detail, id, provider: 'ii' }, scrub)
    expect(summary.id).toBe(id)
    expect(summary.provider).toBe('ii')
  })
})
