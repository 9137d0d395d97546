// The transport: one GET (or one POST of a JSON body, for GraphQL) over node:http(s), and nothing else. Plain node:http rather than fetch:
// undici's first use costs about 90 ms of start-up, and a gate usually makes one request.
import * as http from 'node:http'
import { inline } from '../text/escape.js'

export interface RawResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/**
 * A log detail is a few KiB, a page of the list a few tens: their fields are numbers, ids, a metadata
 * string of at most 5 entries and (in a detail) the heads of the recorded call. A body past this is not
 * an answer from the logs API, and reading more would let one answer take the runner's memory: parsed,
 * redacted and scrubbed, a body costs up to ~90 times its size (a head that is a list of empty
 * objects). Measured on Node 24 with the worst heads found (the stand-in's big-answer scenarios), the
 * whole action peaks at about 100 MiB with 512 KiB, under the 150 MiB it may take; 1 MiB reached 154 MiB.
 */
export const MAX_BODY_BYTES = 512 * 1024

/**
 * An answer over MAX_BODY_BYTES: the same answer would come again, so it is not retried. The transport
 * does not know what the answer was meant to be (a log detail, a page of the list, GitHub's list of
 * runs): `size` is the part of the message that holds here, and each caller says what it asked for.
 */
export class AnswerTooLargeError extends Error {
  /** `more than 524288 bytes (Content-Length 600000)`. */
  readonly size: string
  constructor(detail: string, maxBodyBytes = MAX_BODY_BYTES) {
    const size = `more than ${maxBodyBytes} bytes${detail}`
    super(`the answer was ${size}; not read`)
    this.name = 'AnswerTooLargeError'
    this.size = size
  }
}

/**
 * The client module for a URL's protocol. node:https (and node:tls under it) is loaded only for an
 * https URL: a few milliseconds of start-up that a gate against an http address (the stand-in, a
 * local proxy) does not need to pay; `npm run bench` compares the action with a bare node:http GET.
 */
function clientFor(protocol: string): Pick<typeof http, 'request' | 'Agent'> {
  return protocol === 'https:' ? process.getBuiltinModule('node:https') : http
}

/**
 * Self-hosted runners behind a proxy set HTTPS_PROXY / HTTP_PROXY / NO_PROXY. Node 24.5 and later
 * honour them for an agent built with `proxyEnv`; without those variables the default agent is used.
 */
export function proxyAgent(
  protocol: string,
  env: NodeJS.ProcessEnv
): http.Agent | undefined {
  if (
    !['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some(
      (name) => env[name]
    )
  )
    return undefined
  return new (clientFor(protocol).Agent)({ proxyEnv: env })
}

/**
 * One GET (or, with `post`, one POST of a JSON body), bounded by `timeoutMs` from start to the last
 * byte. It settles once, whatever the server does: a request that ends without a whole answer (a connection closed early, a `101 Switching
 * Protocols` that hands the connection to another protocol, an answer cut short) is an error, retried
 * like a dropped connection. Without the 'upgrade' listener, Node's client emits neither 'response'
 * nor 'error' for a 101, and the process would end with nothing pending and the step unfinished; for
 * the same reason the timer settles the request itself, so that whatever path Node's client takes, the
 * request ends by `timeoutMs`. The first outcome wins: a promise ignores every later resolve or reject.
 */
export function sendRequest(
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
  post?: PostOptions
): Promise<RawResponse> {
  const maxBodyBytes = post?.maxBodyBytes ?? MAX_BODY_BYTES
  return new Promise((resolve, reject) => {
    const target = new URL(url)
    const client = clientFor(target.protocol)
    let answered = false
    const req = client.request(target, {
      method: post ? 'POST' : 'GET',
      headers: post ? postHeaders(headers, post.body) : headers,
      agent: proxyAgent(target.protocol, process.env) // undefined: Node's global agent
    })
    const timer = setTimeout(() => {
      fail(new Error(`timed out after ${timeoutMs / 1000} s (request-timeout)`))
    }, timeoutMs)
    const fail = (error: Error): void => {
      clearTimeout(timer)
      req.destroy() // closes the socket too, the one a 101 hands over included
      reject(error)
    }
    // Node calls a connection closed before the answer "socket hang up" and one cut short "aborted"
    // (both ECONNRESET, as is a reset): say which, and keep Node's error as the cause for its code.
    const onError = (error: NodeJS.ErrnoException): void => {
      if (error.code !== 'ECONNRESET') return fail(error)
      const closed = answered
        ? 'the connection closed before the whole answer arrived'
        : 'the connection closed without an answer'
      fail(new Error(closed, { cause: error }))
    }
    req.on('error', onError)
    // Node emits 'upgrade' only for an answer with an Upgrade header (and Connection: upgrade).
    req.on('upgrade', (res: http.IncomingMessage) => {
      const protocol = inline(String(res.headers.upgrade), 40)
      fail(
        new Error(
          `the API answered HTTP 101 (switching protocols to "${protocol}") instead of an answer`
        )
      )
    })
    req.on('response', (res) => {
      answered = true
      const refused = refusal(res, maxBodyBytes)
      if (refused) return fail(refused)
      readBody(res, maxBodyBytes, {
        fail,
        onError,
        onBody: (body) => {
          clearTimeout(timer)
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body })
        }
      })
    })
    req.end(post?.body)
  })
}

function postHeaders(
  headers: Record<string, string>,
  body: string
): Record<string, string> {
  return {
    ...headers,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body))
  }
}

/** Why an answer is not one to read: a final 1xx (its connection is gone), or a declared size too large. */
function refusal(
  res: http.IncomingMessage,
  maxBodyBytes: number
): Error | undefined {
  // A final 1xx (a 101 without an Upgrade header) is not an answer either.
  if ((res.statusCode ?? 0) < 200)
    return new Error(
      `the API answered HTTP ${res.statusCode ?? 0} instead of an answer`
    )
  const declaredBytes = Number(res.headers['content-length'])
  if (declaredBytes > maxBodyBytes)
    return new AnswerTooLargeError(
      ` (Content-Length ${declaredBytes})`,
      maxBodyBytes
    )
  return undefined
}

/** The answer's body as text, read up to `maxBodyBytes` (one byte more fails the request). */
function readBody(
  res: http.IncomingMessage,
  maxBodyBytes: number,
  on: {
    fail: (error: Error) => void
    onError: (error: NodeJS.ErrnoException) => void
    onBody: (body: string) => void
  }
): void {
  let chunks: Buffer[] = []
  let bytes = 0
  res.on('data', (chunk: Buffer) => {
    bytes += chunk.length
    if (bytes > maxBodyBytes) on.fail(new AnswerTooLargeError('', maxBodyBytes))
    else chunks.push(chunk)
  })
  // Node destroys an answer cut short with an error ("aborted"), and emits it only to a listener.
  res.on('error', on.onError)
  res.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8')
    chunks = [] // the bytes are not kept twice while the answer is parsed
    on.onBody(body)
  })
}

/** A POST instead of a GET: its JSON body, and the largest answer it may have. */
export interface PostOptions {
  body: string
  /** The largest answer read (default MAX_BODY_BYTES); a larger one is an AnswerTooLargeError. */
  maxBodyBytes?: number
}

/** An answer whose body is read as it arrives, by the caller; `body` ends, or fails, with the request. */
export interface StreamedResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: AsyncIterable<Buffer>
  /** Drops the rest of the answer (and its connection), when the caller stops reading early. */
  discard: () => void
}

/**
 * One GET whose answer is handed over as soon as its head arrives, its body read by the caller as a
 * stream: for answers too large to hold (a page of a pull request's comments can be 26 MB) that are
 * needed only a piece at a time. Bounded by `signal` from start to the last byte (the request is
 * aborted, and the body fails, when it fires). Proxies are honoured; redirects are not followed.
 * An answer that is not an answer (a final 1xx, a protocol switch) is an error, as in sendRequest.
 */
export function openStream(
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal
): Promise<StreamedResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url)
    const client = clientFor(target.protocol)
    const req = client.request(target, {
      method: 'GET',
      headers,
      signal,
      agent: proxyAgent(target.protocol, process.env)
    })
    const fail = (error: Error): void => {
      req.destroy()
      reject(error)
    }
    req.on('error', reject) // an abort, a refused connection, a reset: the first outcome wins
    req.on('upgrade', (res: http.IncomingMessage) => {
      const protocol = inline(String(res.headers.upgrade), 40)
      fail(
        new Error(
          `the server answered HTTP 101 (switching protocols to "${protocol}") instead of an answer`
        )
      )
    })
    req.on('response', (res) => {
      if ((res.statusCode ?? 0) < 200) {
        fail(
          new Error(
            `the server answered HTTP ${res.statusCode ?? 0} instead of an answer`
          )
        )
        return
      }
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        body: res,
        discard: () => req.destroy()
      })
    })
    req.end()
  })
}
