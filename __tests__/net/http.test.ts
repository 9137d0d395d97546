// The transport alone: sendRequest and openStream against a real socket on 127.0.0.1 that writes raw bytes, for answers
// no HTTP library would send. What the API client makes of them (retries, errors) is in gateway.test.ts.
import {
  afterEach,
  beforeEach,
  describe,
  expect,
  it,
  jest
} from '@jest/globals'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  AnswerTooLargeError,
  MAX_BODY_BYTES,
  openStream,
  sendRequest
} from '../../src/net/http.js'
import { okAnswer, rawServer, SWITCHING } from '../helpers/raw-server.js'

// A body of exactly `bytes` bytes, in one chunk of chunked transfer coding (RFC 9112 section 7.1): an
// answer whose length no header declares, and which ends without closing the connection.
const chunkedAnswer = (body: string) =>
  `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n`

// Long enough that a connection closed within a test was closed by the client, not by the server.
const HOLD_MS = 120_000

describe('sendRequest', () => {
  describe('a whole answer', () => {
    it('resolves the status, headers and body of one GET with the given headers', async () => {
      const server = await rawServer([okAnswer('{"a":"é"}')], {
        closeAfterMs: 1000
      })
      const res = await sendRequest(
        `${server.url}/client/v4/x?y=1`,
        { accept: 'application/json' },
        5000
      )
      expect(res).toEqual({
        status: 200,
        headers: expect.objectContaining({
          'content-type': 'application/json',
          'content-length': '10'
        }),
        body: '{"a":"é"}'
      })
      expect(server.requests()[0]).toMatch(
        /^GET \/client\/v4\/x\?y=1 HTTP\/1\.1\r\n(.*\r\n)*accept: application\/json\r\n/i
      )
      await server.close()
    })

    it('leaves no timer behind once answered, so nothing holds the process for request-timeout', async () => {
      jest.useFakeTimers({
        doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask']
      })
      try {
        const server = await rawServer([okAnswer('{}')], {
          closeAfterMs: 1000
        })
        await expect(
          sendRequest(`${server.url}/x`, {}, 5000)
        ).resolves.toMatchObject({ status: 200, body: '{}' })
        expect(jest.getTimerCount()).toBe(0)
        await server.close()
      } finally {
        jest.useRealTimers()
      }
    })

    it('sends one POST of a JSON body, with its content type and length, and the given headers', async () => {
      const received: { method?: string; headers?: object; body?: string } = {}
      const server = http.createServer((req, res) => {
        let body = ''
        req.on('data', (chunk: Buffer) => (body += chunk.toString()))
        req.on('end', () => {
          Object.assign(received, {
            method: req.method,
            headers: req.headers,
            body
          })
          res.setHeader('content-type', 'application/json')
          res.end('{"data":{}}')
        })
      })
      await new Promise<void>((resolve) =>
        server.listen(0, '127.0.0.1', resolve)
      )
      const { port } = server.address() as AddressInfo
      const query = '{"query":"{ viewer { login } }","v":"é"}'
      await expect(
        sendRequest(
          `http://127.0.0.1:${port}/graphql`,
          { authorization: 'bearer t' },
          10_000,
          { body: query }
        )
      ).resolves.toMatchObject({ status: 200, body: '{"data":{}}' })
      expect(received).toEqual({
        method: 'POST',
        headers: expect.objectContaining({
          authorization: 'bearer t',
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(query))
        }),
        body: query
      })
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    })
  })

  describe('answers that end without a whole answer', () => {
    it.each([
      [
        'a 101 Switching Protocols with Upgrade: websocket',
        SWITCHING,
        'the API answered HTTP 101 (switching protocols to "websocket") instead of an answer'
      ],
      [
        'a 101 with two Upgrade headers, cut to 40 characters',
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: a\r\nUpgrade: ${'b'.repeat(50)}\r\nConnection: Upgrade\r\n\r\n`,
        `the API answered HTTP 101 (switching protocols to "a, ${'b'.repeat(37)}…") instead of an answer`
      ],
      [
        'a bare 101',
        'HTTP/1.1 101 Switching Protocols\r\n\r\n',
        'the API answered HTTP 101 instead of an answer'
      ]
    ])('rejects %s', async (_name, answer, message) => {
      const server = await rawServer([answer], { closeAfterMs: HOLD_MS })
      await expect(sendRequest(`${server.url}/x`, {}, 10_000)).rejects.toThrow(
        new Error(message)
      )
      await server.closed(0) // by the client: the server holds it open
      await server.close()
    })

    it.each([
      [
        'a connection closed before any answer',
        null,
        'the connection closed without an answer'
      ],
      [
        'a body shorter than its Content-Length',
        'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"success":',
        'the connection closed before the whole answer arrived'
      ],
      [
        'a chunked body cut off',
        'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n',
        'the connection closed before the whole answer arrived'
      ]
    ])(
      'rejects %s, saying so, with Node’s error (ECONNRESET) as the cause',
      async (_name, answer, message) => {
        const server = await rawServer([answer])
        await expect(
          sendRequest(`${server.url}/x`, {}, 10_000)
        ).rejects.toMatchObject({
          message,
          cause: expect.objectContaining({ code: 'ECONNRESET' })
        })
        await server.close()
      }
    )

    it('keeps Node’s error when the connection cannot be made', async () => {
      const server = await rawServer([null])
      const port = new URL(server.url).port
      await server.close()
      await expect(
        sendRequest(`http://127.0.0.1:${port}/x`, {}, 10_000)
      ).rejects.toMatchObject({
        message: `connect ECONNREFUSED 127.0.0.1:${port}`,
        code: 'ECONNREFUSED'
      })
    })
  })

  describe('request-timeout', () => {
    beforeEach(() => {
      jest.useFakeTimers({
        doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask']
      })
    })
    afterEach(() => {
      jest.useRealTimers()
    })

    it('gives up on a server that never answers at timeoutMs, and closes the connection', async () => {
      const server = await rawServer([''], { closeAfterMs: HOLD_MS })
      const settled = jest.fn()
      const pending = sendRequest(`${server.url}/x`, {}, 2500)
      pending.then(settled, settled)
      await server.requested(1)
      jest.advanceTimersByTime(2499)
      await Promise.resolve()
      expect(settled).not.toHaveBeenCalled()
      jest.advanceTimersByTime(1)
      await expect(pending).rejects.toThrow(
        new Error('timed out after 2.5 s (request-timeout)')
      )
      expect(jest.getTimerCount()).toBe(0)
      await server.closed(0)
      await server.close()
    })

    it('leaves no timer behind when the request fails first', async () => {
      const server = await rawServer([null])
      await expect(sendRequest(`${server.url}/x`, {}, 5000)).rejects.toThrow(
        'the connection closed without an answer'
      )
      expect(jest.getTimerCount()).toBe(0)
      await server.close()
    })
  })

  describe('answers over the cap', () => {
    it('reads an answer of exactly MAX_BODY_BYTES, declared by Content-Length', async () => {
      const body = 'x'.repeat(MAX_BODY_BYTES)
      const server = await rawServer([okAnswer(body)], {
        closeAfterMs: HOLD_MS
      })
      const res = await sendRequest(`${server.url}/x`, {}, 10_000)
      expect(res.body).toBe(body)
      await server.close()
    })

    it('reads an answer of exactly MAX_BODY_BYTES with no Content-Length', async () => {
      const body = 'x'.repeat(MAX_BODY_BYTES)
      const server = await rawServer([chunkedAnswer(body)], {
        closeAfterMs: HOLD_MS
      })
      const res = await sendRequest(`${server.url}/x`, {}, 10_000)
      expect(res.body).toBe(body)
      await server.close()
    })

    it('refuses an answer whose Content-Length is one byte over the cap without reading it, and closes the connection', async () => {
      const server = await rawServer(
        [`HTTP/1.1 200 OK\r\nContent-Length: ${MAX_BODY_BYTES + 1}\r\n\r\n{`],
        { closeAfterMs: HOLD_MS }
      )
      const error = await sendRequest(`${server.url}/x`, {}, 10_000).catch(
        (e: unknown) => e
      )
      expect(error).toBeInstanceOf(AnswerTooLargeError)
      expect(error).toMatchObject({
        name: 'AnswerTooLargeError',
        // The transport says the size only: what the answer was meant to be is the caller's to say.
        message: `the answer was more than ${MAX_BODY_BYTES} bytes (Content-Length ${MAX_BODY_BYTES + 1}); not read`,
        size: `more than ${MAX_BODY_BYTES} bytes (Content-Length ${MAX_BODY_BYTES + 1})`
      })
      await server.closed(0)
      await server.close()
    })

    it.each([
      ['chunked', chunkedAnswer('x'.repeat(MAX_BODY_BYTES + 1))],
      [
        'ended by closing the connection',
        `HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n${'x'.repeat(MAX_BODY_BYTES + 1)}`
      ]
    ])(
      'stops reading an answer with no Content-Length one byte over the cap (%s)',
      async (_name, answer) => {
        const server = await rawServer([answer], { closeAfterMs: HOLD_MS })
        await expect(
          sendRequest(`${server.url}/x`, {}, 10_000)
        ).rejects.toMatchObject({
          name: 'AnswerTooLargeError',
          message: `the answer was more than ${MAX_BODY_BYTES} bytes; not read`,
          size: `more than ${MAX_BODY_BYTES} bytes`
        })
        await server.close()
      }
    )

    it('keeps the cap at what a log detail can be', () => {
      expect(MAX_BODY_BYTES).toBe(512 * 1024)
    })
  })

  describe('proxies from the environment', () => {
    const PROXY_VARIABLES = [
      'HTTPS_PROXY',
      'https_proxy',
      'HTTP_PROXY',
      'http_proxy',
      'NO_PROXY',
      'no_proxy'
    ]
    const saved: Record<string, string | undefined> = {}
    beforeEach(() => {
      for (const name of PROXY_VARIABLES) {
        saved[name] = process.env[name]
        delete process.env[name]
      }
    })
    afterEach(() => {
      for (const name of PROXY_VARIABLES) {
        if (saved[name] === undefined) delete process.env[name]
        else process.env[name] = saved[name]
      }
    })

    // An HTTP proxy answers a request for http:// with the origin's answer (RFC 9112 section 3.2.2:
    // the request target in absolute form), and refuses a CONNECT tunnel for https:// with a 403.
    const proxyAnswer = okAnswer('{"via":"proxy"}')
    const originAnswer = okAnswer('{"via":"origin"}')
    const refused = 'HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n'

    it.each(['HTTP_PROXY', 'http_proxy'])(
      'sends an http:// request through the proxy %s names',
      async (name) => {
        const proxy = await rawServer([proxyAnswer])
        const origin = await rawServer([originAnswer])
        process.env[name] = proxy.url
        const res = await sendRequest(`${origin.url}/x`, {}, 10_000)
        expect(res.body).toBe('{"via":"proxy"}')
        expect(proxy.requests()[0]).toMatch(
          new RegExp(`^GET ${origin.url}/x HTTP/1\\.1\r\n`)
        )
        expect(origin.connections()).toBe(0)
        await Promise.all([proxy.close(), origin.close()])
      }
    )

    it.each(['HTTPS_PROXY', 'https_proxy'])(
      'tunnels an https:// request through the proxy %s names',
      async (name) => {
        const proxy = await rawServer([refused])
        const origin = await rawServer([originAnswer])
        process.env[name] = proxy.url
        const target = `127.0.0.1:${new URL(origin.url).port}`
        await expect(
          sendRequest(`https://${target}/x`, {}, 10_000)
        ).rejects.toThrow(
          `Failed to establish tunnel to ${target} via ${proxy.url}: HTTP/1.1 403 Forbidden`
        )
        expect(proxy.requests()[0]).toMatch(
          new RegExp(`^CONNECT ${target} HTTP/1\\.1\r\n`)
        )
        expect(origin.connections()).toBe(0)
        await Promise.all([proxy.close(), origin.close()])
      }
    )

    it.each([
      ['no proxy variable is set', {}],
      [
        'NO_PROXY names the host',
        { HTTP_PROXY: 'PROXY', NO_PROXY: 'example.com, 127.0.0.1' }
      ],
      ['only HTTPS_PROXY is set, for an http:// URL', { HTTPS_PROXY: 'PROXY' }]
    ])(
      'connects directly when %s',
      async (_name, variables: Record<string, string>) => {
        const proxy = await rawServer([proxyAnswer])
        const origin = await rawServer([originAnswer])
        for (const [name, value] of Object.entries(variables))
          process.env[name] = value.replace('PROXY', proxy.url)
        const res = await sendRequest(`${origin.url}/x`, {}, 10_000)
        expect(res.body).toBe('{"via":"origin"}')
        expect(proxy.connections()).toBe(0)
        await Promise.all([proxy.close(), origin.close()])
      }
    )

    it('connects directly, over TLS, to an https:// URL when no proxy variable is set', async () => {
      // The server hangs up on the TLS ClientHello (a handshake record: 0x16, then version 3.x).
      const origin = await rawServer([null])
      await expect(
        sendRequest(`https://${new URL(origin.url).host}/x`, {}, 10_000)
      ).rejects.toThrow('the connection closed without an answer')
      expect(origin.requests()[0]?.slice(0, 2)).toBe('\x16\x03')
      await origin.close()
    })

    it('keeps the connection for the next request when no proxy is set (pages and retries reuse it)', async () => {
      const server = http.createServer((_req, res) => {
        res.setHeader('content-type', 'application/json')
        res.end('{}')
      })
      let connections = 0
      server.on('connection', () => connections++)
      await new Promise<void>((resolve) =>
        server.listen(0, '127.0.0.1', resolve)
      )
      const { port } = server.address() as AddressInfo
      for (const page of [1, 2])
        await expect(
          sendRequest(`http://127.0.0.1:${port}/page/${page}`, {}, 10_000)
        ).resolves.toMatchObject({ status: 200, body: '{}' })
      expect(connections).toBe(1)
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    })
  })
})

describe('openStream', () => {
  /** Every chunk of `body`, read to its end, as text. */
  const readAll = async (body: AsyncIterable<Buffer>) => {
    let text = ''
    for await (const chunk of body) text += chunk.toString()
    return text
  }

  it('resolves the status and headers of one GET with the given headers, and its body read as a stream', async () => {
    const server = await rawServer([chunkedAnswer('{"a":"é"}')], {
      closeAfterMs: HOLD_MS
    })
    const res = await openStream(
      `${server.url}/repos/o/r/issues/7/comments?per_page=100`,
      { accept: 'application/vnd.github+json' },
      new AbortController().signal
    )
    expect(res.status).toBe(200)
    expect(res.headers['transfer-encoding']).toBe('chunked')
    expect(await readAll(res.body)).toBe('{"a":"é"}')
    expect(server.requests()[0]).toMatch(
      /^GET \/repos\/o\/r\/issues\/7\/comments\?per_page=100 HTTP\/1\.1\r\n(.*\r\n)*accept: application\/vnd\.github\+json\r\n/i
    )
    await server.close()
  })

  it('hands the answer over as soon as its head arrives, and drops its connection on discard', async () => {
    // Ten bytes promised, four sent, and the connection held open: the body has not ended.
    const server = await rawServer(
      ['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{"a"'],
      { closeAfterMs: HOLD_MS }
    )
    const res = await openStream(
      `${server.url}/x`,
      {},
      new AbortController().signal
    )
    expect(res.status).toBe(200)
    expect(res.headers['content-length']).toBe('10')
    res.discard()
    await server.closed(0) // by the client: the server holds it open
    await server.close()
  })

  it('fails the body when the signal fires while it is read', async () => {
    const server = await rawServer(
      ['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{"a"'],
      { closeAfterMs: HOLD_MS }
    )
    const abort = new AbortController()
    const res = await openStream(`${server.url}/x`, {}, abort.signal)
    const reading = readAll(res.body)
    abort.abort()
    await expect(reading).rejects.toMatchObject({ code: 'ECONNRESET' })
    await server.closed(0)
    await server.close()
  })

  it('rejects when the signal fires before the answer, and closes the connection', async () => {
    const server = await rawServer([''], { closeAfterMs: HOLD_MS })
    const abort = new AbortController()
    const pending = openStream(`${server.url}/x`, {}, abort.signal)
    await server.requested(1)
    abort.abort()
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
    await server.closed(0)
    await server.close()
  })

  it.each([
    [
      'a 101 Switching Protocols with Upgrade: websocket',
      SWITCHING,
      'the server answered HTTP 101 (switching protocols to "websocket") instead of an answer'
    ],
    [
      'a 101 with two Upgrade headers, cut to 40 characters',
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: a\r\nUpgrade: ${'b'.repeat(50)}\r\nConnection: Upgrade\r\n\r\n`,
      `the server answered HTTP 101 (switching protocols to "a, ${'b'.repeat(37)}…") instead of an answer`
    ],
    [
      'a bare 101',
      'HTTP/1.1 101 Switching Protocols\r\n\r\n',
      'the server answered HTTP 101 instead of an answer'
    ]
  ])(
    'rejects %s, and closes the connection',
    async (_name, answer, message) => {
      const server = await rawServer([answer], { closeAfterMs: HOLD_MS })
      await expect(
        openStream(`${server.url}/x`, {}, new AbortController().signal)
      ).rejects.toThrow(new Error(message))
      await server.closed(0) // by the client: the server holds it open
      await server.close()
    }
  )

  it('keeps Node’s error when the connection cannot be made', async () => {
    const server = await rawServer([null])
    const port = new URL(server.url).port
    await server.close()
    await expect(
      openStream(`http://127.0.0.1:${port}/x`, {}, new AbortController().signal)
    ).rejects.toMatchObject({
      message: `connect ECONNREFUSED 127.0.0.1:${port}`,
      code: 'ECONNREFUSED'
    })
  })

  it('connects over TLS to an https:// URL', async () => {
    // The server hangs up on the TLS ClientHello (a handshake record: 0x16, then version 3.x).
    const origin = await rawServer([null])
    await expect(
      openStream(
        `https://${new URL(origin.url).host}/x`,
        {},
        new AbortController().signal
      )
    ).rejects.toMatchObject({ code: 'ECONNRESET' })
    expect(origin.requests()[0]?.slice(0, 2)).toBe('\x16\x03')
    await origin.close()
  })
})
