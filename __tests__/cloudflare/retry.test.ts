// nextStep() alone: every decision of the retry loop from an attempt and the state so far, with no
// network and no clock.
import { describe, expect, it } from '@jest/globals'
import type { RawResponse } from '../../src/net/http.js'
import {
  backoffMs,
  initialState,
  isRetryableStatus,
  nextStep,
  parseRetryAfterMs,
  type RetryPolicy,
  type RetryState
} from '../../src/cloudflare/retry.js'

const answer = (
  status: number,
  headers: RawResponse['headers'] = {}
): { res: RawResponse } => ({ res: { status, headers, body: '' } })
const policy: RetryPolicy = { maxRetries: 3, waitTimeoutMs: 30_000 }
const state = (extra: Partial<RetryState> = {}): RetryState => ({
  ...initialState(1_000_000),
  requests: 1,
  ...extra
})
const NOW = 1_000_000

describe('nextStep', () => {
  describe('answers', () => {
    it.each([200, 201, 204, 299])('reads a %i', (status) => {
      expect(nextStep(answer(status), state(), policy, NOW, 0.5).kind).toBe(
        'answer'
      )
    })

    it.each([
      [301, 'redirected'],
      [302, 'redirected'],
      [307, 'redirected'],
      [308, 'redirected'],
      [401, 'refused'],
      [403, 'refused'],
      [400, 'rejected'],
      [405, 'rejected'],
      [410, 'rejected'],
      [422, 'rejected'],
      [499, 'rejected']
    ])('ends at once on a %i (%s)', (status, kind) => {
      expect(nextStep(answer(status), state(), policy, NOW, 0.5).kind).toBe(
        kind
      )
    })

    it.each([408, 409, 429, 500, 502, 503, 504, 599])(
      'retries a %i with backoff',
      (status) => {
        expect(nextStep(answer(status), state(), policy, NOW, 0)).toEqual({
          kind: 'again',
          delayMs: 500,
          poll: false,
          state: { ...state(), retries: 1 }
        })
      }
    )

    it('retries a connection failure, carrying its text', () => {
      expect(
        nextStep(
          { failure: 'ECONNRESET' },
          state({ retries: 1 }),
          policy,
          NOW,
          0
        )
      ).toEqual({
        kind: 'again',
        delayMs: 1000,
        poll: false,
        failure: 'ECONNRESET',
        state: { ...state(), retries: 2 }
      })
    })

    it('gives up when the retries are used up, for answers and failures alike', () => {
      expect(
        nextStep(answer(503), state({ retries: 3 }), policy, NOW, 0)
      ).toEqual({ kind: 'gave-up', res: answer(503).res })
      expect(
        nextStep({ failure: 'timeout' }, state({ retries: 3 }), policy, NOW, 0)
      ).toEqual({ kind: 'gave-up' })
      expect(
        nextStep(answer(503), state(), { ...policy, maxRetries: 0 }, NOW, 0)
          .kind
      ).toBe('gave-up')
    })
  })

  describe('Retry-After', () => {
    it('sleeps what the API asks, up to a minute', () => {
      const step = nextStep(
        answer(429, { 'retry-after': '60' }),
        state(),
        policy,
        NOW,
        0
      )
      expect(step).toMatchObject({ kind: 'again', delayMs: 60_000 })
    })

    it('does not sleep through more than a minute: the step ends at once', () => {
      expect(
        nextStep(answer(429, { 'retry-after': '61' }), state(), policy, NOW, 0)
      ).toEqual({
        kind: 'wait-too-long',
        res: answer(429, { 'retry-after': '61' }).res,
        retryAfterMs: 61_000
      })
    })

    it('reads an HTTP date against the clock it is given', () => {
      const at = new Date(NOW + 7000).toUTCString()
      expect(
        nextStep(answer(503, { 'retry-after': at }), state(), policy, NOW, 0)
      ).toMatchObject({ kind: 'again', delayMs: 7000 })
    })

    it('says a long wait even when no retry is left', () => {
      expect(
        nextStep(
          answer(429, { 'retry-after': '300' }),
          state({ retries: 3 }),
          policy,
          NOW,
          0
        ).kind
      ).toBe('wait-too-long')
    })
  })

  describe('a 404 while a log is being written', () => {
    it('asks again at 0.3 s, then every second', () => {
      const first = nextStep(answer(404), state(), policy, NOW, 0)
      expect(first).toEqual({
        kind: 'again',
        delayMs: 300,
        poll: true,
        state: { ...state(), polls: 1 }
      })
      const later = nextStep(
        answer(404),
        state({ polls: 1 }),
        policy,
        NOW + 300,
        0
      )
      expect(later).toMatchObject({ kind: 'again', delayMs: 1000, poll: true })
      expect(
        nextStep(answer(404), state({ polls: 7 }), policy, NOW + 7000, 0)
      ).toMatchObject({ delayMs: 1000 })
    })

    it('never sleeps past wait-timeout, and then reports how long it waited', () => {
      expect(
        nextStep(answer(404), state({ polls: 5 }), policy, NOW + 29_800, 0)
      ).toMatchObject({ kind: 'again', delayMs: 200 })
      expect(
        nextStep(answer(404), state({ polls: 6 }), policy, NOW + 30_000, 0)
      ).toEqual({ kind: 'not-found', waitedMs: 30_000 })
    })

    it('does not count polls as retries', () => {
      const step = nextStep(answer(404), state({ retries: 3 }), policy, NOW, 0)
      expect(step).toMatchObject({
        kind: 'again',
        state: { retries: 3, polls: 1 }
      })
    })

    it('is final at once with no wait (the list endpoint, or wait-timeout 0)', () => {
      expect(
        nextStep(answer(404), state(), { ...policy, waitTimeoutMs: 0 }, NOW, 0)
      ).toEqual({ kind: 'not-found', waitedMs: 0 })
    })
  })

  describe('status boundaries', () => {
    it.each([
      [199, 'rejected'],
      [300, 'redirected'],
      [399, 'redirected'],
      [400, 'rejected'],
      [402, 'rejected']
    ])('a %i is %s', (status, kind) => {
      expect(nextStep(answer(status), state(), policy, NOW, 0.5).kind).toBe(
        kind
      )
    })

    it('retries only 408, 409, 429 and 500 and above', () => {
      const retryable = [
        407, 408, 409, 410, 428, 429, 430, 499, 500, 503
      ].filter(isRetryableStatus)
      expect(retryable).toEqual([408, 409, 429, 500, 503])
    })

    it('backs off 0.5 s, 1 s, 2 s, then 4 s at most, and sleeps the Retry-After instead when given', () => {
      expect([0, 1, 2, 3, 4].map((retry) => backoffMs(retry, 0))).toEqual([
        500, 1000, 2000, 4000, 4000
      ])
      expect(backoffMs(1, 0.5)).toBe(875)
      expect(
        nextStep(
          answer(503, { 'retry-after': '0' }),
          state({ retries: 2 }),
          policy,
          NOW,
          0
        )
      ).toMatchObject({ kind: 'again', delayMs: 0, state: { retries: 3 } })
    })

    it('polls a 404 one millisecond before wait-timeout for that millisecond', () => {
      expect(
        nextStep(answer(404), state({ polls: 9 }), policy, NOW + 29_999, 0)
      ).toMatchObject({ kind: 'again', delayMs: 1, poll: true })
    })

    it('starts the state with nothing done', () => {
      expect(initialState(NOW)).toEqual({
        requests: 0,
        retries: 0,
        polls: 0,
        startedMs: NOW
      })
    })
  })
})

describe('backoffMs', () => {
  it('jitters down by at most a quarter', () => {
    expect(backoffMs(0, 0)).toBe(500)
    expect(backoffMs(0, 1)).toBe(375)
    expect(backoffMs(10, 0)).toBe(4000)
  })

  it('starts near 0.5 s, doubles, and is capped at 4 s', () => {
    expect([0, 1, 2, 3, 4, 10].map((n) => backoffMs(n, 0))).toEqual([
      500, 1000, 2000, 4000, 4000, 4000
    ])
    expect(backoffMs(0, 1)).toBe(375)
  })
})

describe('parseRetryAfterMs', () => {
  it.each([
    ['0', 0],
    ['7', 7000],
    ['1.5', 1500],
    ['1.25', 1250],
    [' 2 ', 2000],
    [['3', '9'], 3000]
  ])('reads delta-seconds %p as %p ms', (value, ms) => {
    expect(parseRetryAfterMs(value, NOW)).toBe(ms)
  })

  it('reads an HTTP date as the time left from now, and a past date as no wait', () => {
    expect(parseRetryAfterMs(new Date(NOW + 4000).toUTCString(), NOW)).toBe(
      4000
    )
    expect(parseRetryAfterMs(new Date(NOW - 4000).toUTCString(), NOW)).toBe(0)
  })

  it.each([undefined, '', [], 'soon', 'in a while', 'x5', '5x', '5 seconds'])(
    'is undefined for %p',
    (value) => {
      expect(parseRetryAfterMs(value, NOW)).toBeUndefined()
    }
  )

  it.each([
    [undefined, undefined],
    ['', undefined],
    ['3', 3000],
    ['1.5', 1500],
    ['soon', undefined]
  ])('%p -> %p', (value, ms) => {
    expect(
      parseRetryAfterMs(value, Date.parse('Wed, 25 Nov 2026 18:00:00 GMT'))
    ).toBe(ms)
  })

  describe('what is not a delay or an HTTP date', () => {
    it.each(['in 5', '+5', '-5', 'wait 5', '5 seconds', '2026-11-25'])(
      '%p is unreadable, so the client backs off instead',
      (value) => {
        expect(
          parseRetryAfterMs(value, Date.parse('Wed, 25 Nov 2026 18:00:00 GMT'))
        ).toBeUndefined()
      }
    )

    it.each([
      ['Wed, 25 Nov 2026 18:00:10 GMT', 10_000],
      ['Wednesday, 25-Nov-26 18:00:05 GMT', 5000],
      ['Wed Nov 25 18:00:02 2026', 2000]
    ])('reads the HTTP date forms: %p', (value, ms) => {
      expect(
        parseRetryAfterMs(value, Date.parse('Wed, 25 Nov 2026 18:00:00 GMT'))
      ).toBe(ms)
    })
  })
})
