// The transport alone: sendRequest against a real socket on 127.0.0.1 that writes raw bytes, for answers
// no HTTP library would send. What the API client makes of them (retries, errors) is in gateway.test.ts.
import { describe, expect, it } from '@jest/globals'
import { MAX_BODY_BYTES, sendRequest } from '../src/http.js'
import { okAnswer, rawServer, SWITCHING } from './raw-server.js'

describe('sendRequest', () => {
  describe('answers that end without a whole answer', () => {
    it.each([
      [
        'a 101 Switching Protocols with Upgrade: websocket',
        SWITCHING,
        /the API answered HTTP 101 \(switching protocols to "websocket"\) instead of an answer/
      ],
      [
        'a bare 101',
        'HTTP/1.1 101 Switching Protocols\r\n\r\n',
        /the API answered HTTP 101 instead of an answer/
      ],
      [
        'a connection closed before any answer',
        null,
        /the connection closed without an answer|socket hang up/
      ],
      [
        'a body shorter than its Content-Length',
        'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"success":',
        /closed before the whole answer arrived|aborted/
      ],
      [
        'a chunked body cut off',
        'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n',
        /closed before the whole answer arrived|aborted/
      ]
    ])('rejects %s, and settles at once', async (_name, answer, message) => {
      const server = await rawServer([answer])
      const startedMs = Date.now()
      await expect(sendRequest(`${server.url}/x`, {}, 10_000)).rejects.toThrow(
        message
      )
      expect(Date.now() - startedMs).toBeLessThan(5_000) // settled by the close, not by the 10 s timeout
      await server.close()
    })

    it('resolves a whole answer', async () => {
      const server = await rawServer([okAnswer('{"a":1}')], {
        closeAfterMs: 1000
      })
      await expect(
        sendRequest(`${server.url}/x`, {}, 5000)
      ).resolves.toMatchObject({ status: 200, body: '{"a":1}' })
      await server.close()
    })
  })

  describe('answers over the cap', () => {
    it('refuses an answer whose Content-Length is over the cap without reading it', async () => {
      const server = await rawServer(
        [`HTTP/1.1 200 OK\r\nContent-Length: ${MAX_BODY_BYTES + 1}\r\n\r\n{`],
        { closeAfterMs: 5000 }
      )
      await expect(sendRequest(`${server.url}/x`, {}, 10_000)).rejects.toThrow(
        `the API answered with more than ${MAX_BODY_BYTES} bytes (Content-Length ${MAX_BODY_BYTES + 1})`
      )
      await server.close()
    })

    it('stops reading an answer with no Content-Length at the cap', async () => {
      const body = 'x'.repeat(MAX_BODY_BYTES + 10)
      const server = await rawServer(
        [`HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n${body}`],
        { closeAfterMs: 5000 }
      )
      await expect(sendRequest(`${server.url}/x`, {}, 10_000)).rejects.toThrow(
        `the API answered with more than ${MAX_BODY_BYTES} bytes, more than any log detail`
      )
      await server.close()
    })

    it('keeps the cap at what a log detail can be', () => {
      expect(MAX_BODY_BYTES).toBe(512 * 1024)
    })
  })
})
