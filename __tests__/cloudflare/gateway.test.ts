// The API client against nock: real node:http requests, a fake clock (no real sleeps).
import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
  jest
} from '@jest/globals'
import nock from 'nock'
import type { GatewayDeps, LogRequest } from '../../src/cloudflare/gateway.js'
import { BudgetSpentError, RequestBudget } from '../../src/cloudflare/budget.js'
import { runEntry } from '../../src/sources/match.js'
import { LOG } from '../helpers/fixtures.js'

import {
  elapsedMs,
  HOSTILE_TEXTS,
  leakedPieces,
  LINEAR_CPU_MS
} from '../helpers/hostile.js'
import { okAnswer, rawServer, SWITCHING } from '../helpers/raw-server.js'

const {
  askLoggingPlatform,
  cloudflareErrors,
  fetchListPage,
  fetchLog,
  GatewayError,
  listPages,
  listUrl,
  logUrl,
  parseLoggingPlatform,
  postJson,
  loggingStateUrl,
  loggingPlatformQuestion,
  realGatewayDeps
} = await import('../../src/cloudflare/gateway.js')
const { AnswerTooLargeError, sendRequest, MAX_BODY_BYTES } =
  await import('../../src/net/http.js')
const { backoffMs } = await import('../../src/cloudflare/retry.js')

const ORIGIN = 'https://api.cf.test'
const API = `${ORIGIN}/client/v4`
const PATH = '/client/v4/accounts/acc/ai-gateway/gateways/gw/logs/log-1'
const TOKEN = 'cf-token-SECRET-123'

const request = (extra: Partial<LogRequest> = {}): LogRequest => ({
  apiUrl: API,
  auth: { kind: 'token', token: TOKEN },
  accountId: 'acc',
  gatewayId: 'gw',
  logId: 'log-1',
  waitTimeoutMs: 0,
  maxRetries: 3,
  requestTimeoutMs: 5000,
  ...extra
})

const validLog = LOG
const ok = { success: true, errors: [], messages: [], result: validLog }

/** A fake clock: sleeping advances it at once and records the delay. */
function fakeDeps(): GatewayDeps & { sleeps: number[]; debugs: string[] } {
  let nowMs = 0
  const sleeps: number[] = []
  const debugs: string[] = []
  return {
    send: sendRequest,
    sleep: async (ms) => {
      sleeps.push(ms)
      nowMs += ms
    },
    now: () => nowMs,
    random: () => 0.5,
    debug: (m) => debugs.push(m),
    sleeps,
    debugs
  }
}

async function failure(
  promise: Promise<unknown>
): Promise<InstanceType<typeof GatewayError>> {
  try {
    await promise
  } catch (error) {
    if (error instanceof GatewayError) return error
    throw error
  }
  throw new Error('expected a GatewayError')
}

beforeAll(() => nock.disableNetConnect())
afterEach(() => {
  nock.abortPendingRequests()
  nock.cleanAll()
})
afterAll(() => nock.restore())

describe('fetchLog', () => {
  it('gets the log with the bearer token in one request', async () => {
    const scope = nock(ORIGIN)
      .get(PATH)
      .matchHeader('authorization', `Bearer ${TOKEN}`)
      .matchHeader('accept', 'application/json')
      .matchHeader('user-agent', 'ai-gateway-gate')
      .reply(200, ok)
    const deps = fakeDeps()
    const { log, requests } = await fetchLog(request(), deps)
    expect(log).toMatchObject({ id: 'log-1', cost: 0.0012, duration: 812 })
    expect(requests).toBe(1)
    expect(deps.sleeps).toEqual([])
    // A log found asks nothing more: no logging-state question.
    expect(deps.debugs).toEqual([])
    scope.done()
  })

  it('sends the legacy email and global key when there is no token', async () => {
    const scope = nock(ORIGIN, { badheaders: ['authorization'] })
      .get(PATH)
      .matchHeader('x-auth-email', 'me@example.com')
      .matchHeader('x-auth-key', 'global-key-123')
      .reply(200, ok)
    await fetchLog(
      request({
        auth: {
          kind: 'global-key',
          email: 'me@example.com',
          key: 'global-key-123'
        }
      }),
      fakeDeps()
    )
    scope.done()
  })

  it('percent-encodes every id as one path segment', async () => {
    const req = request({
      accountId: 'a/b',
      gatewayId: 'g?x=1',
      logId: '../../user/tokens'
    })
    expect(logUrl(req)).toBe(
      `${API}/accounts/a%2Fb/ai-gateway/gateways/g%3Fx%3D1/logs/%2E%2E%2F%2E%2E%2Fuser%2Ftokens`
    )
    const scope = nock(ORIGIN)
      .get(
        '/client/v4/accounts/a%2Fb/ai-gateway/gateways/g%3Fx%3D1/logs/%2E%2E%2F%2E%2E%2Fuser%2Ftokens'
      )
      .reply(200, {
        success: true,
        result: { ...validLog, id: '../../user/tokens' }
      })
    const { log } = await fetchLog(req, fakeDeps())
    expect(log.id).toBe('../../user/tokens')
    scope.done()
  })

  it.each([408, 409, 429, 500, 502, 503, 504])(
    'retries HTTP %i with backoff, then succeeds',
    async (status) => {
      const scope = nock(ORIGIN)
        .get(PATH)
        .reply(status, {
          success: false,
          errors: [{ code: 1, message: 'busy' }]
        })
        .get(PATH)
        .reply(200, ok)
      const deps = fakeDeps()
      const { requests } = await fetchLog(request(), deps)
      expect(requests).toBe(2)
      expect(deps.sleeps).toEqual([backoffMs(0, 0.5)])
      scope.done()
    }
  )

  it('retries a 503 whose body is an HTML page', async () => {
    const scope = nock(ORIGIN)
      .get(PATH)
      .reply(
        503,
        '<!DOCTYPE html><html><body>Service Unavailable</body></html>',
        { 'content-type': 'text/html' }
      )
      .get(PATH)
      .reply(200, ok)
    const deps = fakeDeps()
    await fetchLog(request(), deps)
    expect(deps.debugs.join('\n')).toContain('HTTP 503 with an HTML page')
    scope.done()
  })

  it('honours Retry-After in seconds', async () => {
    const scope = nock(ORIGIN)
      .get(PATH)
      .reply(429, {}, { 'retry-after': '7' })
      .get(PATH)
      .reply(200, ok)
    const deps = fakeDeps()
    await fetchLog(request(), deps)
    expect(deps.sleeps).toEqual([7000])
    scope.done()
  })

  it('honours Retry-After as an HTTP date', async () => {
    // An HTTP date 20 s after the fake clock's start (the client reads the time from its injected clock only).
    const at = new Date(20_000).toUTCString()
    const scope = nock(ORIGIN)
      .get(PATH)
      .reply(503, {}, { 'retry-after': at })
      .get(PATH)
      .reply(200, ok)
    const deps = fakeDeps()
    await fetchLog(request(), deps)
    expect(deps.sleeps).toHaveLength(1)
    expect(deps.sleeps[0]).toBeGreaterThan(15_000)
    expect(deps.sleeps[0]).toBeLessThanOrEqual(20_000)
    scope.done()
  })

  it('does not sleep through a Retry-After over 60 s: fails at once and says when the API answers again', async () => {
    const scope = nock(ORIGIN)
      .get(PATH)
      .reply(
        429,
        {
          success: false,
          errors: [{ code: 971, message: 'Too many requests' }]
        },
        { 'retry-after': '300' }
      )
    const deps = fakeDeps()
    const error = await failure(fetchLog(request(), deps))
    expect(error.kind).toBe('rate-limited')
    expect(error.message).toMatch(
      /wait 300 s \(Retry-After\), so it will answer again at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/
    )
    expect(error.message).toContain('971: Too many requests')
    expect(deps.sleeps).toEqual([])
    scope.done()
  })

  it('gives up after max-retries extra attempts, with backoff doubling and capped', async () => {
    const scope = nock(ORIGIN).get(PATH).times(6).reply(500, 'oops')
    const deps = fakeDeps()
    const error = await failure(fetchLog(request({ maxRetries: 5 }), deps))
    expect(error.kind).toBe('unavailable')
    expect(error.message).toContain('6 attempts; max-retries is 5')
    expect(deps.sleeps).toEqual([0, 1, 2, 3, 4].map((n) => backoffMs(n, 0.5)))
    expect(deps.sleeps.at(-1)).toBeLessThanOrEqual(4000)
    expect(error.message).not.toContain(TOKEN)
    scope.done()
  })

  it('makes exactly one attempt when max-retries is 0', async () => {
    const scope = nock(ORIGIN).get(PATH).reply(502, 'bad gateway')
    const error = await failure(
      fetchLog(request({ maxRetries: 0 }), fakeDeps())
    )
    expect(error.message).toContain('1 attempt;')
    scope.done()
  })

  it('retries connection resets', async () => {
    const reset = Object.assign(new Error('socket hang up'), {
      code: 'ECONNRESET'
    })
    const scope = nock(ORIGIN)
      .get(PATH)
      .replyWithError(reset)
      .get(PATH)
      .reply(200, ok)
    const deps = fakeDeps()
    const { requests } = await fetchLog(request(), deps)
    expect(requests).toBe(2)
    expect(deps.debugs.join('\n')).toContain('ECONNRESET')
    scope.done()
  })

  it('bounds each attempt by request-timeout: a server that never answers is retried, then fails', async () => {
    const scope = nock(ORIGIN).get(PATH).times(2).delay(10_000).reply(200, ok)
    const deps = fakeDeps()
    const error = await failure(
      fetchLog(request({ requestTimeoutMs: 50, maxRetries: 1 }), deps)
    )
    expect(error.kind).toBe('unavailable')
    expect(error.message).toContain('timed out after 0.05 s (request-timeout)')
    expect(error.message).toContain('2 attempts')
    scope.done()
  })

  it.each([
    [401, 'API token needs the "AI Gateway Read" permission for account "acc"'],
    [403, 'API token needs the "AI Gateway Read" permission for account "acc"']
  ])(
    'does not retry HTTP %i and names the permission and the account',
    async (status, text) => {
      const scope = nock(ORIGIN)
        .get(PATH)
        .reply(status, {
          success: false,
          errors: [{ code: 10000, message: 'Authentication error' }]
        })
      const deps = fakeDeps()
      const error = await failure(fetchLog(request(), deps))
      expect(error.kind).toBe('auth')
      expect(error.message).toContain(text)
      expect(error.message).toContain('10000: Authentication error')
      expect(deps.sleeps).toEqual([])
      scope.done()
    }
  )

  it("does not retry a 400 and shows Cloudflare's code: message", async () => {
    const scope = nock(ORIGIN)
      .get(PATH)
      .reply(400, {
        success: false,
        errors: [{ code: 7001, message: 'Invalid gateway id' }]
      })
    const error = await failure(fetchLog(request(), fakeDeps()))
    expect(error.kind).toBe('bad-request')
    expect(error.message).toContain('HTTP 400')
    expect(error.message).toContain('7001: Invalid gateway id')
    scope.done()
  })

  it('fails a 404 at once when wait-timeout is 0, naming the log, gateway, account and likely causes', async () => {
    const scope = nock(ORIGIN)
      .get(PATH)
      .reply(404, {
        success: false,
        errors: [{ code: 7002, message: 'Not Found' }]
      })
    const error = await failure(fetchLog(request(), fakeDeps()))
    expect(error.kind).toBe('not-found')
    expect(error.message).toContain(
      'log "log-1" in gateway "gw" of account "acc"'
    )
    expect(error.message).toContain('cf-aig-collect-log: false')
    expect(error.message).toContain('wait-timeout is 0')
    scope.done()
  })

  it('polls a 404 with short, growing intervals until the log appears', async () => {
    const scope = nock(ORIGIN)
      .get(PATH)
      .times(3)
      .reply(404, {})
      .get(PATH)
      .reply(200, ok)
    const deps = fakeDeps()
    const { requests } = await fetchLog(
      request({ waitTimeoutMs: 30_000 }),
      deps
    )
    expect(requests).toBe(4)
    expect(deps.sleeps).toEqual([300, 1000, 1000])
    scope.done()
  })

  it('stops polling at wait-timeout, about one request per second, and says how long it waited', async () => {
    const scope = nock(ORIGIN).get(PATH).times(100).reply(404, {})
    const deps = fakeDeps()
    const error = await failure(
      fetchLog(request({ waitTimeoutMs: 10_000 }), deps)
    )
    expect(error.kind).toBe('not-found')
    expect(error.message).toContain('after waiting 10.0 s')
    const total = deps.sleeps.reduce((a, b) => a + b, 0)
    expect(total).toBe(10_000)
    // 1 + polls; never more than about one request per second on average
    expect(deps.sleeps.length + 1).toBeLessThanOrEqual(10 + 2)
    expect(Math.max(...deps.sleeps)).toBeLessThanOrEqual(1000)
    expect(deps.sleeps).toEqual([300, ...Array(9).fill(1000), 700])
    expect(scope.pendingMocks()).toHaveLength(1) // the interceptor for 100 answers was not used up
  })

  it.each([
    [
      'a body that is not JSON',
      200,
      'hello',
      /answered HTTP 200 with a body that is not the API's JSON$/
    ],
    [
      'an HTML page with status 200',
      200,
      '<html><body>Sign in</body></html>',
      /HTTP 200 with an HTML page, not JSON/
    ],
    [
      'success: false',
      200,
      { success: false, errors: [{ code: 1234, message: 'internal' }] },
      /success: false \(1234: internal\)/
    ],
    ['no result', 200, { success: true }, /success: true but no "result"/],
    [
      'a string cost',
      200,
      { success: true, result: { ...validLog, cost: '0.0012' } },
      /cost is a string "0.0012", expected a number/
    ],
    [
      'a null duration',
      200,
      { success: true, result: { ...validLog, duration: null } },
      /duration is null/
    ],
    ['a JSON array', 200, [1, 2], /JSON that is not an object/],
    [
      'an HTML page that starts after blank lines',
      200,
      '\r\n  <!DOCTYPE html><html><body>Sign in</body></html>',
      /answered HTTP 200 with an HTML page, not JSON$/
    ],
    [
      'a body of blanks only',
      200,
      ' \r\n\t ',
      /answered HTTP 200 with an empty body, not JSON$/
    ]
  ])(
    'never passes %s: it is an invalid answer',
    async (_name, status, body, message) => {
      const scope = nock(ORIGIN)
        .get(PATH)
        .reply(status, typeof body === 'string' ? body : JSON.stringify(body))
      const deps = fakeDeps()
      const error = await failure(fetchLog(request(), deps))
      expect(['invalid-answer', 'api-error']).toContain(error.kind)
      expect(error.message).toMatch(message)
      expect(error.message).not.toContain('\n')
      expect(deps.sleeps).toEqual([])
      scope.done()
    }
  )

  it('redacts the recorded headers of the log', async () => {
    const head = JSON.stringify({
      authorization: 'Bearer sk-live-1',
      'content-type': 'application/json'
    })
    nock(ORIGIN)
      .get(PATH)
      .reply(200, {
        success: true,
        result: { ...validLog, request_head: head }
      })
    const { log } = await fetchLog(request(), fakeDeps())
    expect(log.request_head).toBe(
      '{"authorization":"[redacted]","content-type":"application/json"}'
    )
  })

  describe('answers that are not about the log asked for', () => {
    beforeAll(() => nock.disableNetConnect())

    it('never passes a log whose id is not the requested one', async () => {
      const scope = nock(ORIGIN)
        .get(PATH)
        .reply(200, {
          success: true,
          result: { ...validLog, id: 'another-log' }
        })
      const error = await failure(fetchLog(request(), fakeDeps()))
      expect(error.kind).toBe('invalid-answer')
      expect(error.message).toBe(
        'the API answered with log "another-log", not the requested "log-1"'
      )
      scope.done()
    })

    it('fails with a clear message, not a crash, on a Retry-After past any date', async () => {
      const scope = nock(ORIGIN)
        .get(PATH)
        .reply(503, 'busy', { 'retry-after': '9'.repeat(400) })
      const error = await failure(fetchLog(request(), fakeDeps()))
      expect(error.kind).toBe('rate-limited')
      expect(error.message).toContain(
        'so it will answer again at an unknown time'
      )
      scope.done()
    })
  })

  describe('a token the API reflects', () => {
    const SECRET_TOKEN = 'cf-token/SECRET+0123456789'
    const reflecting = (extra: Partial<LogRequest> = {}): LogRequest =>
      request({ auth: { kind: 'token', token: SECRET_TOKEN }, ...extra })

    it('leaves no part of it in the error or the debug lines when the errors text is cut through it', async () => {
      const message = `${'x'.repeat(474)} ${SECRET_TOKEN}`
      const scope = nock(ORIGIN)
        .get(PATH)
        .times(2)
        .reply(500, { success: false, errors: [{ code: 1000, message }] })
      const deps = fakeDeps()
      const error = await failure(fetchLog(reflecting({ maxRetries: 1 }), deps))
      expect(deps.debugs).toHaveLength(1)
      for (const text of [error.message, ...deps.debugs]) {
        expect(leakedPieces(text, SECRET_TOKEN)).toEqual([])
        expect(text).toContain('x ***')
      }
      scope.done()
    })

    it('scrubs the other secrets the caller gives it before the cut too', async () => {
      const other = 'ghs_other-SECRET-0123456789'
      const scope = nock(ORIGIN)
        .get(PATH)
        .reply(400, {
          success: false,
          errors: [{ code: 1000, message: `${'o'.repeat(478)} ${other}` }]
        })
      const error = await failure(
        fetchLog(request(), { ...fakeDeps(), secrets: [other] })
      )
      expect(leakedPieces(error.message, other)).toEqual([])
      expect(error.message).toContain('o ***')
      scope.done()
    })

    it('leaves no part of the global API key either', async () => {
      const key = 'global-key-0123456789abcdef'
      const scope = nock(ORIGIN)
        .get(PATH)
        .reply(403, {
          success: false,
          errors: [{ code: 9103, message: `${'k'.repeat(480)} ${key}` }]
        })
      const error = await failure(
        fetchLog(
          request({ auth: { kind: 'global-key', email: 'a@b.example', key } }),
          fakeDeps()
        )
      )
      expect(leakedPieces(error.message, key)).toEqual([])
      scope.done()
    })

    it('scrubs and shortens a `success` value that quotes it', async () => {
      const scope = nock(ORIGIN)
        .get(PATH)
        .reply(200, {
          success: `${'s'.repeat(30)}${SECRET_TOKEN}`,
          result: validLog
        })
      const error = await failure(fetchLog(reflecting(), fakeDeps()))
      expect(error.message).toBe(
        `the API answered success: "${'s'.repeat(30)}***"`
      )
      scope.done()
    })

    it('scrubs a wrong field value that quotes it before cutting it', async () => {
      const scope = nock(ORIGIN)
        .get(PATH)
        .reply(200, {
          success: true,
          result: { ...validLog, cost: `${'c'.repeat(30)}${SECRET_TOKEN}` }
        })
      const error = await failure(fetchLog(reflecting(), fakeDeps()))
      expect(error.message).toBe(
        `the log detail is not valid: cost is a string "${'c'.repeat(30)}***", expected a number`
      )
      scope.done()
    })

    it('scrubs a created_at that is not a time, and the id it names, before cutting them', async () => {
      const scope = nock(ORIGIN)
        .get(PATH)
        .reply(200, {
          success: true,
          result: {
            ...validLog,
            created_at: `${'y'.repeat(60)}${SECRET_TOKEN}`
          }
        })
      const error = await failure(fetchLog(reflecting(), fakeDeps()))
      expect(error.kind).toBe('invalid-answer')
      expect(error.message).toBe(
        `the log detail is not valid: log "log-1" has created_at "${'y'.repeat(60)}***", which is not an ISO 8601 time with a zone (such as 2026-11-25T09:30:12Z)`
      )
      scope.done()
    })

    it('shows another log id from the API scrubbed, shortened and with invisible characters shown', async () => {
      const id = `log-1\u202e${SECRET_TOKEN}${'z'.repeat(200)}`
      const scope = nock(ORIGIN)
        .get(PATH)
        .reply(200, { success: true, result: { ...validLog, id } })
      const error = await failure(fetchLog(reflecting(), fakeDeps()))
      expect(error.message).toBe(
        `the API answered with log "log-1\\u202e***${'z'.repeat(80 - 9)}…", not the requested "log-1"`
      )
      scope.done()
    })
  })

  describe('answers that end without a whole answer', () => {
    // These run against real sockets: nock is set aside so that Node's own client meets the bytes.
    beforeAll(() => nock.restore())

    afterAll(() => {
      nock.activate()
      nock.disableNetConnect()
    })

    it('does not retry an answer over the cap: the same answer would come again', async () => {
      const server = await rawServer(
        [`HTTP/1.1 200 OK\r\nContent-Length: ${MAX_BODY_BYTES + 1}\r\n\r\n{`],
        { closeAfterMs: 5000 }
      )
      const deps = fakeDeps()
      const error = await failure(
        fetchLog(request({ apiUrl: `${server.url}/client/v4` }), deps)
      )
      expect(error.kind).toBe('invalid-answer')
      expect(error.message).toBe(
        `the API answered with more than ${MAX_BODY_BYTES} bytes (Content-Length ${MAX_BODY_BYTES + 1}), more than any log detail; not read (log "log-1" in gateway "gw" of account "acc")`
      )
      expect(server.connections()).toBe(1)
      expect(deps.sleeps).toEqual([])
      await server.close()
    })

    it('retries a 101 like a dropped connection, then reads the log', async () => {
      const server = await rawServer([SWITCHING, okAnswer(JSON.stringify(ok))])
      const { log, requests } = await fetchLog(
        request({ apiUrl: `${server.url}/client/v4` }),
        fakeDeps()
      )
      expect(log.id).toBe('log-1')
      expect(requests).toBe(2)
      expect(server.connections()).toBe(2)
      await server.close()
    })

    it('names the host of a redirect written with bytes that are not ASCII, as Node reads them (latin1), escaped', async () => {
      // A right-to-left override (U+202E) in UTF-8 reaches Node's parser as three latin1 characters.
      const server = await rawServer([
        'HTTP/1.1 302 Found\r\nLocation: https://ev\u202eil.example/x?token=abc123\r\nContent-Length: 0\r\n\r\n'
      ])
      const error = await failure(
        fetchLog(request({ apiUrl: `${server.url}/client/v4` }), fakeDeps())
      )
      expect(error.message).toMatch(
        /HTTP 302 from the API for log "log-1" .*: a redirect (to host "[^"]+"|to a Location that is not a URL)/
      )
      expect(error.message).not.toMatch(/[\u0080-\u009f\u202e]|abc123/)
      await server.close()
    })

    it('fails a 101 that never stops, after max-retries, as an outage', async () => {
      const server = await rawServer([SWITCHING])
      const error = await failure(
        fetchLog(
          request({ apiUrl: `${server.url}/client/v4`, maxRetries: 2 }),
          fakeDeps()
        )
      )
      expect(error.kind).toBe('unavailable')
      expect(error.message).toContain(
        'HTTP 101 (switching protocols to "websocket")'
      )
      expect(error.message).toContain('3 attempts; max-retries is 2')
      expect(server.connections()).toBe(3)
      await server.close()
    })
  })

  describe('redirects', () => {
    it.each([
      [
        301,
        'https://login.evil.example/steal?token=abc123',
        'a redirect to host "login.evil.example"'
      ],
      [
        302,
        '/client/v4/elsewhere?token=abc123',
        'a redirect to host "api.cf.test"'
      ],
      [
        308,
        'https://evil.example:8443/x',
        'a redirect to host "evil.example:8443"'
      ]
    ])(
      'does not follow HTTP %i and names the host it points to, not its path or query',
      async (status, location, text) => {
        const scope = nock(ORIGIN).get(PATH).reply(status, '', { location })
        const deps = fakeDeps()
        const error = await failure(fetchLog(request(), deps))
        expect(error.kind).toBe('bad-request')
        expect(error.message).toContain(
          `HTTP ${status} from the API for log "log-1"`
        )
        expect(error.message).toContain(text)
        expect(error.message).toContain('not followed')
        expect(error.message).not.toContain('abc123')
        expect(error.message).not.toContain('an empty body')
        expect(deps.sleeps).toEqual([])
        scope.done()
      }
    )

    it('says when a redirect has no Location, or one that is not a URL', async () => {
      nock(ORIGIN)
        .get(PATH)
        .reply(307, '')
        .get(PATH)
        .reply(302, '', { location: 'http://[broken' })
      expect(
        (await failure(fetchLog(request(), fakeDeps()))).message
      ).toContain('a redirect without a Location header (not followed)')
      expect(
        (await failure(fetchLog(request(), fakeDeps()))).message
      ).toContain('a redirect to a Location that is not a URL')
    })

    it('never echoes a hostile Location: a percent-encoded line break and a workflow command', async () => {
      nock(ORIGIN).get(PATH).reply(301, '', {
        location: 'https://evil%0a::stop-commands::x.example/'
      })
      const error = await failure(fetchLog(request(), fakeDeps()))
      expect(error.message).toContain(
        'a redirect to a Location that is not a URL'
      )
      expect(error.message).not.toMatch(/\n|stop-commands/)
    })
  })

  describe('a log not found on an account that logs to Workers Observability', () => {
    const STATE_PATH = '/client/v4/accounts/acc/ai-gateway/logging-state'
    const notFound = {
      success: false,
      errors: [{ code: 7002, message: 'Not Found' }],
      result: null
    }
    // The logging-state answer's shape is not documented: the usual envelope, with the platform named in `result`.
    const state = (result: unknown) => ({
      success: true,
      errors: [],
      messages: [],
      result
    })

    it('builds the logging-state URL from api-url and the encoded account id', () => {
      expect(loggingStateUrl({ apiUrl: API, accountId: 'a/b' })).toBe(
        `${API}/accounts/a%2Fb/ai-gateway/logging-state`
      )
    })

    it('asks logging-state at the first 404, with the same credentials, and stops at once, saying where the logs are', async () => {
      const scope = nock(ORIGIN)
        .get(PATH)
        .reply(404, notFound)
        .get(STATE_PATH)
        .matchHeader('authorization', `Bearer ${TOKEN}`)
        .reply(
          200,
          state({
            platform: 'workers_observability',
            migration_available: false
          })
        )
      const deps = fakeDeps()
      const error = await failure(
        fetchLog(request({ waitTimeoutMs: 30_000 }), deps)
      )
      expect(error.kind).toBe('not-found')
      expect(error.message).toContain(
        'Not found: log "log-1" in gateway "gw" of account "acc" (not waited for). The account keeps its AI Gateway logs in Workers Observability'
      )
      expect(error.message).toContain('Workers & Pages › Observability')
      expect(error.message).not.toContain('\n')
      // No wait: the account has no logs here to wait for.
      expect(deps.sleeps).toEqual([])
      scope.done()
    })

    it('stops at the first 404 when wait-timeout is 0 too, saying where the logs are, not that it did not wait', async () => {
      const scope = nock(ORIGIN)
        .get(PATH)
        .reply(404, notFound)
        .get(STATE_PATH)
        .reply(200, state({ platform: 'workers_observability' }))
      const error = await failure(
        fetchLog(request({ waitTimeoutMs: 0 }), fakeDeps())
      )
      expect(error.kind).toBe('not-found')
      expect(error.message).toMatch(
        /^Not found: log "log-1" in gateway "gw" of account "acc" \(not waited for\)\. The account keeps its AI Gateway logs in Workers Observability/
      )
      expect(error.message).not.toContain('wait-timeout is 0')
      scope.done()
    })

    it("asks the caller's question at the first 404, before any pause, and once more for the message: not at every poll", async () => {
      const scope = nock(ORIGIN).get(PATH).times(3).reply(404, notFound)
      const deps = fakeDeps()
      const askedAfterPauses: number[] = []
      const ask = async (): Promise<'legacy'> => {
        askedAfterPauses.push(deps.sleeps.length)
        return 'legacy'
      }
      const error = await failure(
        fetchLog(request({ waitTimeoutMs: 1300 }), deps, ask)
      )
      expect(error.message).toContain('after waiting 1.3 s. Likely causes')
      expect(deps.sleeps).toEqual([300, 1000])
      expect(askedAfterPauses).toEqual([0, 2])
      scope.done()
    })

    it('asks logging-state once, at the first 404, and still waits for a legacy account until wait-timeout', async () => {
      const scope = nock(ORIGIN)
        .get(PATH)
        .times(3)
        .reply(404, notFound)
        .get(STATE_PATH)
        .reply(200, state({ platform: 'legacy', migration_available: true }))
      const deps = fakeDeps()
      const error = await failure(
        fetchLog(request({ waitTimeoutMs: 1300 }), deps)
      )
      expect(error.message).toContain(
        'Not found: log "log-1" in gateway "gw" of account "acc" after waiting 1.3 s. Likely causes: a wrong log-id or gateway-id'
      )
      expect(deps.sleeps).toEqual([300, 1000])
      // Asked before the first pause, and not again after the wait.
      expect(deps.debugs).toEqual([
        'logging-state answered HTTP 200: platform legacy',
        `log "log-1" in gateway "gw" of account "acc" not found yet; asking again in 300 ms`,
        `log "log-1" in gateway "gw" of account "acc" not found yet; asking again in 1000 ms`
      ])
      scope.done()
    })

    it('asks logging-state once for every log of the gate that shares the question', async () => {
      const scope = nock(ORIGIN)
        .get(PATH)
        .times(2)
        .reply(404, notFound)
        .get(STATE_PATH)
        .reply(200, state({ platform: 'legacy' }))
      const deps = fakeDeps()
      const ask = loggingPlatformQuestion(request(), deps)
      await failure(fetchLog(request(), deps, ask))
      await failure(fetchLog(request(), deps, ask))
      expect(
        deps.debugs.filter((d) => d.startsWith('logging-state'))
      ).toHaveLength(1)
      scope.done()
    })

    it.each([
      [
        'a legacy account',
        200,
        state({ platform: 'legacy', migration_available: true })
      ],
      [
        'a migration target, not the platform',
        200,
        state({
          platform: 'legacy',
          migration: { target: 'workers_observability' }
        })
      ],
      [
        'an error',
        500,
        {
          success: false,
          errors: [{ code: 7015, message: 'temporarily unavailable' }]
        }
      ],
      [
        'a refusal',
        403,
        {
          success: false,
          errors: [{ code: 10000, message: 'Authentication error' }]
        }
      ],
      ['HTML', 200, '<html>hi</html>'],
      ['an unknown shape', 200, state(['workers_observability'])]
    ])(
      'keeps the usual not-found error when logging-state answers %s',
      async (_name, status, body) => {
        const scope = nock(ORIGIN)
          .get(PATH)
          .reply(404, notFound)
          .get(STATE_PATH)
          .reply(status, typeof body === 'string' ? body : JSON.stringify(body))
        const error = await failure(fetchLog(request(), fakeDeps()))
        expect(error.kind).toBe('not-found')
        expect(error.message).toContain(
          'Likely causes: a wrong log-id or gateway-id'
        )
        expect(error.message).not.toContain('Workers Observability')
        scope.done()
      }
    )

    it('keeps the usual not-found error when logging-state cannot be reached, and asks only once', async () => {
      const scope = nock(ORIGIN)
        .get(PATH)
        .reply(404, notFound)
        .get(STATE_PATH)
        .replyWithError(
          Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
        )
      const deps = fakeDeps()
      const error = await failure(fetchLog(request(), deps))
      expect(error.message).toContain('Likely causes')
      expect(deps.sleeps).toEqual([])
      expect(deps.debugs.join('\n')).toContain(
        'logging-state could not be read: the connection closed without an answer (ECONNRESET)'
      )
      scope.done()
    })

    it('bounds the logging-state request by request-timeout', async () => {
      const scope = nock(ORIGIN)
        .get(PATH)
        .reply(404, notFound)
        .get(STATE_PATH)
        .delay(10_000)
        .reply(200, state('workers_observability'))
      const error = await failure(
        fetchLog(request({ requestTimeoutMs: 50 }), fakeDeps())
      )
      expect(error.message).toContain('Likely causes')
      scope.done()
    })
  })

  describe('the messages a user reads', () => {
    // Cloudflare's rate-limit answer: error 971 with a Retry-After in seconds (its API docs, "Rate limits").
    const rateLimited = {
      success: false,
      errors: [{ code: 971, message: 'Too many requests' }],
      messages: [],
      result: null
    }
    const WHERE = 'log "log-1" in gateway "gw" of account "acc"'

    it('is a GatewayError by name, with the kind and the status', async () => {
      const scope = nock(ORIGIN)
        .get(PATH)
        .reply(400, {
          success: false,
          errors: [{ code: 7001, message: 'Invalid gateway id' }]
        })
      const error = await failure(fetchLog(request(), fakeDeps()))
      expect(error).toBeInstanceOf(Error)
      expect(error.name).toBe('GatewayError')
      expect(error.kind).toBe('bad-request')
      expect(error.status).toBe(400)
      scope.done()
    })

    it('says "rate limited" when a 429 is retried, and the delay it sleeps', async () => {
      const scope = nock(ORIGIN)
        .get(PATH)
        .reply(429, rateLimited, { 'retry-after': '2' })
        .get(PATH)
        .reply(200, ok)
      const deps = fakeDeps()
      await fetchLog(request(), deps)
      expect(deps.debugs).toEqual([
        'attempt 1 failed: HTTP 429 (rate limited) with 971: Too many requests; retrying in 2000 ms'
      ])
      scope.done()
    })

    it('gives up on 429s as rate-limited, not unavailable, naming the attempts', async () => {
      const scope = nock(ORIGIN).get(PATH).times(2).reply(429, rateLimited)
      const error = await failure(
        fetchLog(request({ maxRetries: 1 }), fakeDeps())
      )
      expect(error.kind).toBe('rate-limited')
      expect(error.status).toBe(429)
      expect(error.message).toBe(
        `The API did not answer for ${WHERE}: HTTP 429 (rate limited) with 971: Too many requests (2 attempts; max-retries is 1).`
      )
      scope.done()
    })

    it('gives up on 5xx as unavailable, without "rate limited"', async () => {
      const scope = nock(ORIGIN)
        .get(PATH)
        .reply(503, {
          success: false,
          errors: [{ code: 7015, message: 'temporarily unavailable' }]
        })
      const error = await failure(
        fetchLog(request({ maxRetries: 0 }), fakeDeps())
      )
      expect(error.kind).toBe('unavailable')
      expect(error.message).toBe(
        `The API did not answer for ${WHERE}: HTTP 503 with 7015: temporarily unavailable (1 attempt; max-retries is 0).`
      )
      scope.done()
    })

    it('says when the API answers again: the clock plus Retry-After, in ISO 8601 without milliseconds', async () => {
      const scope = nock(ORIGIN)
        .get(PATH)
        .reply(429, rateLimited, { 'retry-after': '300' })
      const startMs = Date.parse('2026-11-25T09:30:12.345Z')
      const error = await failure(
        fetchLog(request(), { ...fakeDeps(), now: () => startMs })
      )
      expect(error.kind).toBe('rate-limited')
      expect(error.status).toBe(429)
      expect(error.message).toBe(
        'HTTP 429 (rate limited) with 971: Too many requests; the API asks to wait 300 s (Retry-After), so it will answer ' +
          'again at 2026-11-25T09:35:12Z. Cloudflare allows 1200 requests per 5 minutes per user.'
      )
      scope.done()
    })

    it.each([
      // 8.64e15 ms after 1970 is the last moment a Date can hold.
      ['8640000000000', '+275760-09-13T00:00:00Z'],
      ['8640000000001', 'an unknown time'],
      ['9000000000000', 'an unknown time']
    ])(
      'shows a Retry-After of %s s from 1970 as %s, without crashing',
      async (retryAfter, at) => {
        const scope = nock(ORIGIN)
          .get(PATH)
          .reply(429, rateLimited, { 'retry-after': retryAfter })
        const error = await failure(fetchLog(request(), fakeDeps()))
        expect(error.kind).toBe('rate-limited')
        expect(error.message).toContain(
          `wait ${retryAfter} s (Retry-After), so it will answer again at ${at}. `
        )
        scope.done()
      }
    )

    it('says in a debug line which log it polls for, and when it asks again', async () => {
      const scope = nock(ORIGIN)
        .get(PATH)
        .reply(404, {
          success: false,
          errors: [{ code: 7002, message: 'Not Found' }],
          result: null
        })
        .get(PATH)
        .reply(200, ok)
        .get('/client/v4/accounts/acc/ai-gateway/logging-state')
        .reply(200, {
          success: true,
          errors: [],
          messages: [],
          result: { platform: 'legacy' }
        })
      const deps = fakeDeps()
      await fetchLog(request({ waitTimeoutMs: 30_000 }), deps)
      // The first 404 asks where the account keeps its logs (legacy: then it waits as usual).
      expect(deps.debugs).toEqual([
        'logging-state answered HTTP 200: platform legacy',
        `${WHERE} not found yet; asking again in 300 ms`
      ])
      scope.done()
    })

    it.each([
      [
        'an API token, with its errors',
        { kind: 'token', token: TOKEN } as const,
        401,
        // Cloudflare's answer to a bad token (its API docs, "Troubleshooting").
        {
          success: false,
          errors: [{ code: 10000, message: 'Authentication error' }]
        },
        'HTTP 401 from the API (10000: Authentication error): the API token needs the "AI Gateway Read" permission for account "acc".'
      ],
      [
        'an API token, refused by an HTML page',
        { kind: 'token', token: TOKEN } as const,
        403,
        // Cloudflare's edge answers a blocked request with its "Access denied" (error 1020) page.
        '<!DOCTYPE html><html><head><title>Access denied | api.cloudflare.com</title></head><body>Error 1020</body></html>',
        'HTTP 403 from the API: the API token needs the "AI Gateway Read" permission for account "acc".'
      ],
      [
        'the legacy email and global key, with its errors',
        { kind: 'global-key', email: 'me@example.com', key: 'k-1' } as const,
        403,
        // Cloudflare's answer to a wrong email or global key.
        {
          success: false,
          errors: [
            { code: 9103, message: 'Unknown X-Auth-Key or X-Auth-Email' }
          ]
        },
        'HTTP 403 from the API (9103: Unknown X-Auth-Key or X-Auth-Email): the api-email and api-key must be a valid global API key for account "acc".'
      ],
      [
        'the legacy email and global key, without errors',
        { kind: 'global-key', email: 'me@example.com', key: 'k-1' } as const,
        401,
        { success: false, errors: [], messages: [], result: null },
        'HTTP 401 from the API: the api-email and api-key must be a valid global API key for account "acc".'
      ]
    ])(
      'names what the credentials need when %s are refused',
      async (_name, auth, status, body, message) => {
        const scope = nock(ORIGIN)
          .get(PATH)
          .reply(status, typeof body === 'string' ? body : JSON.stringify(body))
        const error = await failure(fetchLog(request({ auth }), fakeDeps()))
        expect(error.kind).toBe('auth')
        expect(error.status).toBe(status)
        expect(error.message).toBe(message)
        scope.done()
      }
    )

    it.each([
      ['a number', '42'],
      ['a string', '"success"'],
      ['true', 'true'],
      ['null', 'null'],
      ['an empty array', '[]'],
      ['an array of envelopes', JSON.stringify([ok])]
    ])(
      'fails an answer that is JSON but %s, not an envelope',
      async (_name, body) => {
        const scope = nock(ORIGIN)
          .get(PATH)
          .reply(200, body, { 'content-type': 'application/json' })
        const error = await failure(fetchLog(request(), fakeDeps()))
        expect(error.kind).toBe('invalid-answer')
        expect(error.status).toBe(200)
        expect(error.message).toBe(
          'the API answered HTTP 200 with JSON that is not an object'
        )
        scope.done()
      }
    )

    it('fails `result: null` as no result, not as a log', async () => {
      const scope = nock(ORIGIN)
        .get(PATH)
        .reply(200, { success: true, errors: [], messages: [], result: null })
      const error = await failure(fetchLog(request(), fakeDeps()))
      expect(error.kind).toBe('invalid-answer')
      expect(error.message).toBe(
        'the API answered success: true but no "result"'
      )
      scope.done()
    })

    it('describes a `success` nested too deeply to write, instead of throwing', async () => {
      const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`
      const scope = nock(ORIGIN)
        .get(PATH)
        .reply(200, `{"success":${deep},"result":{}}`)
      const error = await failure(fetchLog(request(), fakeDeps()))
      expect(error.kind).toBe('api-error')
      expect(error.message).toBe(
        'the API answered success: a value nested too deeply to show'
      )
      scope.done()
    })
  })
})

describe('cloudflareErrors', () => {
  const SECRET = 'cf-token/SECRET+0123456789'
  const scrub = (text: string): string => text.split(SECRET).join('***')
  const body = (message: unknown): string =>
    JSON.stringify({ success: false, errors: [{ code: 1000, message }] })

  it('scrubs before it cuts: a secret across the 500-character cut leaves no part of itself', () => {
    const shown = cloudflareErrors(
      body(`${'x'.repeat(474)} ${SECRET} end`),
      scrub
    )!
    expect(leakedPieces(shown, SECRET)).toEqual([])
    expect(shown).toBe(`1000: ${'x'.repeat(474)} *** end`)
  })

  it('is one line with invisible characters shown, never cut inside a surrogate pair', () => {
    const shown = cloudflareErrors(
      body(
        `a\n::stop-commands::x\u202e\u200b${'y'.repeat(466)}${'😀'.repeat(20)}`
      )
    )!
    expect(shown).not.toMatch(/[\n\r\u202e\u200b]|\p{Cs}/u)
    expect(shown).toMatch(/^1000: a ::stop-commands::x\\u202e\\u200by+(😀)+…$/u)
  })

  it('describes an error entry nested too deeply to write, instead of throwing', () => {
    const deep = `{"errors":[${'['.repeat(100_000)}${']'.repeat(100_000)}]}`
    expect(cloudflareErrors(deep)).toBe('an error nested too deeply to show')
  })

  it.each([
    // Cloudflare documents numeric codes; a string code is shown the same way, anything else is left out.
    [{ code: 7001, message: 'Invalid gateway id' }, '7001: Invalid gateway id'],
    [
      { code: '7001', message: 'Invalid gateway id' },
      '7001: Invalid gateway id'
    ],
    [
      { code: { n: 7001 }, message: 'Invalid gateway id' },
      'Invalid gateway id'
    ],
    [{ code: true, message: 'Invalid gateway id' }, 'Invalid gateway id'],
    [{ code: null, message: 'Invalid gateway id' }, 'Invalid gateway id'],
    [{ message: 'Invalid gateway id' }, 'Invalid gateway id']
  ])('shows the entry %j as %p', (entry, shown) => {
    expect(
      cloudflareErrors(JSON.stringify({ success: false, errors: [entry] }))
    ).toBe(shown)
  })

  it.each(Object.keys(HOSTILE_TEXTS))(
    '%s as a message or as the whole body: in well under a second',
    (name) => {
      const text = HOSTILE_TEXTS[name]!
      expect(
        elapsedMs(() => [
          cloudflareErrors(body(text), scrub),
          cloudflareErrors(text, scrub)
        ])
      ).toBeLessThan(LINEAR_CPU_MS)
    }
  )
})

describe('parseLoggingPlatform', () => {
  const body = (result: unknown, success: unknown = true) =>
    JSON.stringify({ success, errors: [], messages: [], result })
  it.each([
    [body({ platform: 'workers_observability' }), 'workers-observability'],
    [
      body({ logging_platform: 'Workers Observability' }),
      'workers-observability'
    ],
    [
      body({
        canonical_platform: 'workers-observability',
        migration_available: false
      }),
      'workers-observability'
    ],
    [body('workers_observability'), 'workers-observability'],
    [body({ state: 'legacy', migration_available: true }), 'legacy'],
    [body({ platform: 'workers_observability' }, false), undefined],
    [body({ migration_target: 'workers_observability' }), undefined],
    [body({ platform: 42 }), undefined],
    [body({ platform: 'legacy_logs' }), 'legacy'],
    [body({ platform: 'Legacy Logs' }), 'legacy'],
    [body({ platform: ' legacy\n' }), 'legacy'],
    [body('\tWorkers Observability '), 'workers-observability'],
    [body({ platform: 'workers -  observability' }), 'workers-observability'],
    [body({ platform: 'legacy   logs' }), 'legacy'],
    [body('workers-logs'), 'workers-observability'],
    [body({ platform: 'ai_gateway_logs' }), undefined],
    [body('observability'), undefined],
    [body(42), undefined],
    [body(true), undefined],
    [body(null), undefined],
    [JSON.stringify({ success: true, errors: [], messages: [] }), undefined],
    ['42', undefined],
    ['[]', undefined],
    ['not json', undefined],
    ['null', undefined]
  ])('%s -> %p', (text, platform) => {
    expect(parseLoggingPlatform(text)).toBe(platform)
  })
})

/** A transport that answers from a script, as the API answers, and records what it was asked. */
function scripted(answers: { status: number; body: unknown }[]): GatewayDeps & {
  sleeps: number[]
  debugs: string[]
  calls: { url: string; headers: Record<string, string>; timeoutMs: number }[]
} {
  const calls: {
    url: string
    headers: Record<string, string>
    timeoutMs: number
  }[] = []
  const deps = fakeDeps()
  return {
    ...deps,
    calls,
    send: async (url, headers, timeoutMs) => {
      calls.push({ url, headers, timeoutMs })
      const answer = answers.shift()
      if (!answer) throw new Error('no answer scripted for this request')
      const body =
        typeof answer.body === 'string'
          ? answer.body
          : JSON.stringify(answer.body)
      return {
        status: answer.status,
        headers: { 'content-type': 'application/json; charset=UTF-8' },
        body
      }
    }
  }
}

describe('fetchListPage', () => {
  const LIST = { page: 3, perPage: 2 }
  const WHERE = 'page 3 of the logs of gateway "gw" of account "acc"'
  // The list endpoint's 200 answer, as Cloudflare's OpenAPI description gives it: `result` an array of
  // LogListItem, `result_info` with page, per_page, count and total_count.
  const listAnswer = (
    result: unknown,
    resultInfo: unknown = {
      page: 3,
      per_page: 2,
      count: Array.isArray(result) ? result.length : 0,
      total_count: 6
    }
  ) => ({
    success: true,
    errors: [],
    messages: [],
    result,
    result_info: resultInfo
  })

  it('builds the list URL from api-url, the encoded ids and the list query', () => {
    expect(
      listUrl({ apiUrl: API, accountId: 'a/b', gatewayId: 'g w' }, LIST)
    ).toBe(
      `${API}/accounts/a%2Fb/ai-gateway/gateways/g%20w/logs?per_page=2&page=3&order_by=created_at&order_by_direction=asc`
    )
  })

  it('reads the rows and total_count of one page in one GET, with the headers and the request-timeout', async () => {
    const deps = scripted([
      { status: 200, body: listAnswer([LOG, { ...LOG, id: 'log-2' }]) }
    ])
    const { rows, totalCount } = await fetchListPage(request(), LIST, deps)
    expect(rows.map((row) => row.id)).toEqual(['log-1', 'log-2'])
    expect(totalCount).toBe(6)
    expect(deps.calls).toEqual([
      {
        url: listUrl(request(), LIST),
        headers: {
          accept: 'application/json',
          'user-agent': 'ai-gateway-gate',
          authorization: `Bearer ${TOKEN}`
        },
        timeoutMs: 5000
      }
    ])
  })

  it('sends the legacy email and global key, and no bearer token', async () => {
    const deps = scripted([{ status: 200, body: listAnswer([]) }])
    await fetchListPage(
      request({
        auth: { kind: 'global-key', email: 'me@example.com', key: 'k-1' }
      }),
      LIST,
      deps
    )
    expect(deps.calls[0]!.headers).toEqual({
      accept: 'application/json',
      'user-agent': 'ai-gateway-gate',
      'x-auth-email': 'me@example.com',
      'x-auth-key': 'k-1'
    })
  })

  it('names a list page, not a log detail, in the error for a page over the cap, and does not retry it', async () => {
    const deps = fakeDeps()
    let sent = 0
    const error = await failure(
      fetchListPage(request(), LIST, {
        ...deps,
        send: async () => {
          sent++
          // What the transport throws for a Content-Length over the cap (http.ts).
          throw new AnswerTooLargeError(' (Content-Length 600000)')
        }
      })
    )
    expect(error.kind).toBe('invalid-answer')
    expect(error.message).toBe(
      `the API answered with more than ${MAX_BODY_BYTES} bytes (Content-Length 600000), more than any list page; not read (${WHERE})`
    )
    expect(sent).toBe(1)
  })

  it.each([
    [
      'a "result" that is an object',
      listAnswer({ logs: [LOG] }),
      'the API answered a list whose "result" is not an array'
    ],
    [
      'a "result" that is a string',
      listAnswer('log-1'),
      'the API answered a list whose "result" is not an array'
    ],
    [
      'no result_info',
      { success: true, errors: [], messages: [], result: [LOG] },
      'the API answered a list without a whole result_info.total_count'
    ],
    [
      'no total_count',
      listAnswer([LOG], { page: 3, per_page: 2, count: 1 }),
      'the API answered a list without a whole result_info.total_count'
    ],
    [
      'a negative total_count',
      listAnswer([LOG], { page: 3, per_page: 2, count: 1, total_count: -1 }),
      'the API answered a list without a whole result_info.total_count'
    ],
    [
      'a fractional total_count',
      listAnswer([LOG], { page: 3, per_page: 2, count: 1, total_count: 6.5 }),
      'the API answered a list without a whole result_info.total_count'
    ],
    [
      'a total_count written as a string',
      listAnswer([LOG], { page: 3, per_page: 2, count: 1, total_count: '6' }),
      'the API answered a list without a whole result_info.total_count'
    ],
    [
      'a bad second row',
      listAnswer([LOG, { ...LOG, id: 'log-2', cost: '0.0012' }]),
      'row 2 of the list: the log detail is not valid: cost is a string "0.0012", expected a number'
    ],
    [
      'a row whose created_at is "yesterday"',
      listAnswer([
        LOG,
        { ...LOG, id: '01JBAD', created_at: 'yesterday', cost: 9 }
      ]),
      'row 2 of the list: the log detail is not valid: log "01JBAD" has created_at "yesterday", which is not an ISO 8601 time with a zone (such as 2026-11-25T09:30:12Z)'
    ],
    [
      'a row whose created_at has no zone',
      listAnswer([{ ...LOG, created_at: '2026-11-20 10:30:00' }]),
      'row 1 of the list: the log detail is not valid: log "log-1" has created_at "2026-11-20 10:30:00", which is not an ISO 8601 time with a zone (such as 2026-11-25T09:30:12Z)'
    ]
  ])(
    'fails %s as an invalid answer, naming the page',
    async (_name, body, message) => {
      const error = await failure(
        fetchListPage(request(), LIST, scripted([{ status: 200, body }]))
      )
      expect(error.kind).toBe('invalid-answer')
      expect(error.status).toBe(200)
      expect(error.message).toBe(
        `${message} (page 3 of the logs of gateway "gw" of account "acc")`
      )
    }
  )

  it('accepts a total_count of 0 with no rows', async () => {
    const deps = scripted([
      {
        status: 200,
        body: listAnswer([], { page: 1, per_page: 2, count: 0, total_count: 0 })
      }
    ])
    expect(await fetchListPage(request(), LIST, deps)).toEqual({
      rows: [],
      totalCount: 0
    })
  })

  it('fails a 404 at once, without waiting for it, naming the page, gateway and account', async () => {
    const deps = scripted([
      {
        status: 404,
        body: {
          success: false,
          errors: [{ code: 7002, message: 'Not Found' }],
          result: null
        }
      }
    ])
    const error = await failure(
      fetchListPage(request({ waitTimeoutMs: 30_000 }), LIST, deps)
    )
    expect(error.kind).toBe('bad-request')
    expect(error.status).toBe(404)
    expect(error.message).toBe(
      `HTTP 404 from the API for ${WHERE}: check account-id and api-url`
    )
    expect(deps.calls).toHaveLength(1)
    expect(deps.sleeps).toEqual([])
  })

  it('names the page when it gives up', async () => {
    const busy = {
      status: 500,
      body: {
        success: false,
        errors: [{ code: 7015, message: 'temporarily unavailable' }]
      }
    }
    const deps = scripted([busy, busy])
    const error = await failure(
      fetchListPage(request({ maxRetries: 1 }), LIST, deps)
    )
    expect(error.kind).toBe('unavailable')
    expect(error.message).toBe(
      `The API did not answer for ${WHERE}: HTTP 500 with 7015: temporarily unavailable (2 attempts; max-retries is 1).`
    )
  })
})

describe('listPages', () => {
  // A list row as the API sends it (LogListItem: the detail's fields but the six of the heads), with
  // 10 KB of text where the API passes the caller's text through: metadata and path.
  const bigRow = (id: string, run: string) => ({
    ...LOG,
    id,
    model_type: 'chat',
    custom_cost: false,
    step: 0,
    request_type: 'chat',
    request_content_type: 'application/json',
    response_content_type: 'application/json',
    path: `chat/completions?${'p'.repeat(5000)}`,
    metadata: JSON.stringify({ run_id: run, note: 'n'.repeat(5000) })
  })
  const answer = (rows: unknown[]) => ({
    success: true,
    errors: [],
    messages: [],
    result: rows,
    result_info: { page: 1, per_page: 50, count: rows.length, total_count: 2 }
  })
  const SUMMARY_KEYS = [
    'cached',
    'cost',
    'created_at',
    'duration',
    'id',
    'model',
    'provider',
    'status_code',
    'success',
    'tokens_in',
    'tokens_out'
  ]

  it("keeps of a run's rows only what the gate reads, and of metadata only the run's own entry", async () => {
    const deps = scripted([
      { status: 200, body: answer([bigRow('a', 'gh-1'), bigRow('b', 'gh-2')]) }
    ])
    const read = listPages(
      request(),
      { run: { key: 'run_id', value: 'gh-1' }, sinceMs: null },
      deps,
      // What the logs source passes for a run (sources/match.ts runEntry): the run's own entry.
      (row) => runEntry(row, 'run_id', 'gh-1')
    )
    const { rows, totalCount } = await read(1, 50, Date.now())
    expect(totalCount).toBe(2)
    expect(rows).toEqual([
      {
        id: 'a',
        created_at: LOG.created_at,
        provider: LOG.provider,
        model: LOG.model,
        success: true,
        cached: false,
        status_code: 200,
        duration: LOG.duration,
        tokens_in: LOG.tokens_in,
        tokens_out: LOG.tokens_out,
        cost: LOG.cost,
        metadata: '{"run_id":"gh-1"}'
      },
      expect.objectContaining({ id: 'b' })
    ])
    // Not the run's: no metadata at all (matchesRun says no, as it says for the whole).
    expect(Object.keys(rows[1]!).sort()).toEqual(SUMMARY_KEYS)
    expect(JSON.stringify(rows).length).toBeLessThan(1000)
  })

  it('keeps no metadata for a window', async () => {
    const deps = scripted([
      { status: 200, body: answer([bigRow('a', 'gh-1'), bigRow('b', 'gh-2')]) }
    ])
    const read = listPages(request(), { sinceMs: 0 }, deps)
    const { rows } = await read(1, 50, Date.now())
    for (const row of rows)
      expect(Object.keys(row).sort()).toEqual(SUMMARY_KEYS)
  })

  it('checks each row before it is cut down: an invalid row is still an invalid answer', async () => {
    const deps = scripted([
      {
        status: 200,
        body: answer([{ ...bigRow('a', 'gh-1'), created_at: 'yesterday' }])
      }
    ])
    const read = listPages(request(), { sinceMs: 0 }, deps)
    await expect(read(1, 50, Date.now())).rejects.toMatchObject({
      kind: 'invalid-answer',
      message: expect.stringContaining(
        'row 1 of the list: the log detail is not valid: log "a" has created_at "yesterday"'
      )
    })
  })

  it('scrubs a long text of the credentials before it is cut, so no half of the token survives', async () => {
    const model = `${'m'.repeat(250)}${TOKEN}${'m'.repeat(300)}`
    const deps = scripted([
      { status: 200, body: answer([{ ...bigRow('a', 'gh-1'), model }]) }
    ])
    const { rows } = await listPages(request(), { sinceMs: 0 }, deps)(
      1,
      50,
      Date.now()
    )
    expect(rows[0]!.model).toMatch(
      /^m{250}\*\*\*m{3}…\[553 characters, sha256 [0-9a-f]{32}\]$/
    )
    expect(rows[0]!.model).not.toContain(TOKEN.slice(0, 4))
  })
})

describe('askLoggingPlatform', () => {
  // The logging-state answer's shape is not documented: the usual envelope, with the platform named in `result`.
  const named = {
    success: true,
    errors: [],
    messages: [],
    result: { platform: 'workers_observability' }
  }

  it('asks logging-state with the credentials and says what it answered in a debug line', async () => {
    const deps = scripted([{ status: 200, body: named }])
    expect(await askLoggingPlatform(request(), deps)).toBe(
      'workers-observability'
    )
    expect(deps.calls).toEqual([
      {
        url: loggingStateUrl(request()),
        headers: {
          accept: 'application/json',
          'user-agent': 'ai-gateway-gate',
          authorization: `Bearer ${TOKEN}`
        },
        timeoutMs: 5000
      }
    ])
    expect(deps.debugs).toEqual([
      'logging-state answered HTTP 200: platform workers-observability'
    ])
  })

  it('reads any 2xx', async () => {
    const deps = scripted([{ status: 299, body: named }])
    expect(await askLoggingPlatform(request(), deps)).toBe(
      'workers-observability'
    )
  })

  it('says "unknown" in its debug line when the answer names no platform', async () => {
    const deps = scripted([
      { status: 200, body: { ...named, result: { migration_available: true } } }
    ])
    expect(await askLoggingPlatform(request(), deps)).toBeUndefined()
    expect(deps.debugs).toEqual([
      'logging-state answered HTTP 200: platform unknown'
    ])
  })

  // A proxy or a hostile server may put a success envelope in any answer: only a 2xx is the API's answer.
  it.each([300, 304, 404, 500])(
    'concludes nothing from HTTP %i, whatever its body says',
    async (status) => {
      const deps = scripted([{ status, body: named }])
      expect(await askLoggingPlatform(request(), deps)).toBeUndefined()
      expect(deps.debugs).toEqual([
        `logging-state answered HTTP ${status}: platform unknown`
      ])
    }
  )
})

describe('a request that fails before any answer', () => {
  const WHERE = 'log "log-1" in gateway "gw" of account "acc"'
  const failingWith = (error: unknown): GatewayDeps => ({
    ...fakeDeps(),
    send: async () => {
      throw error
    }
  })

  it.each<[string, unknown, string]>([
    [
      'its code beside its message',
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      'socket hang up (ECONNRESET)'
    ],
    [
      'its code once when the message already holds it',
      Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), {
        code: 'ECONNREFUSED'
      }),
      'connect ECONNREFUSED 10.0.0.1:443'
    ],
    [
      "its cause's code",
      new Error('fetch failed', {
        cause: Object.assign(new Error('getaddrinfo'), { code: 'ENOTFOUND' })
      }),
      'fetch failed (ENOTFOUND)'
    ],
    ['no code when it has none', new Error('socket hang up'), 'socket hang up'],
    ['a failure that is not an Error', null, 'null']
  ])('names %s', async (_name, thrown, text) => {
    const error = await failure(
      fetchLog(request({ maxRetries: 0 }), failingWith(thrown))
    )
    expect(error.kind).toBe('unavailable')
    expect(error.message).toBe(
      `The API did not answer for ${WHERE}: ${text} (1 attempt; max-retries is 0).`
    )
  })
})

describe('postJson', () => {
  const GRAPHQL = `${API}/graphql`
  const post = {
    url: GRAPHQL,
    where: 'the totals of gateway "gw"',
    what: 'GraphQL answer',
    body: '{"query":"{ viewer { zones { zoneTag } } }"}'
  }

  it('fails a 404 at once as a wrong api-url, naming what it posted for', async () => {
    const bodies: string[] = []
    const deps: GatewayDeps = {
      ...fakeDeps(),
      post: async (_url, _headers, body) => {
        bodies.push(body)
        // Cloudflare's answer to a path it has no route for.
        return {
          status: 404,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            success: false,
            errors: [{ code: 7000, message: 'No route for that URI' }],
            messages: [],
            result: null
          })
        }
      }
    }
    const error = await failure(postJson(request(), post, deps))
    expect(error.kind).toBe('bad-request')
    expect(error.status).toBe(404)
    expect(error.message).toBe(
      'HTTP 404 from the API for the totals of gateway "gw": check api-url'
    )
    expect(bodies).toEqual([post.body])
  })

  it('refuses to post without a transport for it, before any request, as the bug it is', async () => {
    const deps = scripted([])
    const error = await postJson(request(), post, deps).catch((e: unknown) => e)
    expect(error).not.toBeInstanceOf(GatewayError)
    expect((error as Error).message).toBe(
      'GatewayDeps.post is needed to POST GraphQL answer'
    )
    expect(deps.calls).toEqual([])
    expect(deps.sleeps).toEqual([])
  })
})

describe('realGatewayDeps', () => {
  afterEach(() => {
    jest.useRealTimers()
  })

  it('sleeps on a real timer for the given time', async () => {
    jest.useFakeTimers()
    const deps = realGatewayDeps(() => undefined)
    let slept = false
    void deps.sleep(1000).then(() => {
      slept = true
    })
    await jest.advanceTimersByTimeAsync(999)
    expect(slept).toBe(false)
    await jest.advanceTimersByTimeAsync(1)
    expect(slept).toBe(true)
  })

  it('reads the wall clock and passes debug lines to the given function', () => {
    jest.useFakeTimers({ now: Date.parse('2026-11-25T09:30:12.345Z') })
    const lines: string[] = []
    const deps = realGatewayDeps((line) => lines.push(line))
    expect(deps.now()).toBe(Date.parse('2026-11-25T09:30:12.345Z'))
    deps.debug('hello')
    expect(lines).toEqual(['hello'])
    expect(deps.random()).toBeGreaterThanOrEqual(0)
    expect(deps.random()).toBeLessThan(1)
  })
})

describe('the request budget', () => {
  const okLog = { status: 200, body: { success: true, result: LOG } }
  const busy = { status: 503, body: 'busy' }

  it('takes every attempt, retries included, and refuses the one it has no room for before sending it', async () => {
    const deps = scripted([busy, busy, okLog])
    const budget = new RequestBudget(2)
    const error = await fetchLog(request({ logId: LOG.id }), {
      ...deps,
      budget
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(BudgetSpentError)
    expect((error as Error).message).toBe(
      `The request budget is spent: request-budget allows 2 Cloudflare API requests, all made before log "${LOG.id}" in gateway "gw" of account "acc" could be read. Cloudflare allows 1200 per 5 minutes per user and then locks the user out for 5 minutes: narrow the selection, or raise request-budget.`
    )
    expect(deps.calls).toHaveLength(2)
    expect(budget.spent).toBe(2)
  })

  it('is shared: a read that fits is not refused, and a second one past it is', async () => {
    const deps = scripted([okLog, okLog])
    const budget = new RequestBudget(1)
    await fetchLog(request({ logId: LOG.id }), { ...deps, budget })
    await expect(
      fetchLog(request({ logId: LOG.id }), { ...deps, budget })
    ).rejects.toThrow(/request-budget allows 1 Cloudflare API request, all/)
    expect(deps.calls).toHaveLength(1)
  })

  it('leaves logging-state unasked when it is spent, and counts it when not', async () => {
    const state = {
      status: 200,
      body: { success: true, result: { platform: 'workers_observability' } }
    }
    const spent = new RequestBudget(0)
    const deps = scripted([state])
    expect(
      await askLoggingPlatform(request(), { ...deps, budget: spent })
    ).toBe(undefined)
    expect(deps.calls).toHaveLength(0)
    expect(deps.debugs).toContain(
      'logging-state not asked: the request budget is spent'
    )
    const budget = new RequestBudget(5)
    expect(await askLoggingPlatform(request(), { ...deps, budget })).toBe(
      'workers-observability'
    )
    expect(budget.spent).toBe(1)
  })
})
