// Cloudflare's log detail, `GET /accounts/{account}/ai-gateway/gateways/{gateway}/logs/{id}`, for an id that
// was not registered with addRun or addLogs: the answer is chosen by the log id (any id not listed is a
// 404, so a test can name a log that never appears):
// - a SAMPLE_LOGS key: that log; `huge-head`, `big-answer-<shape>`, `too-big`: see bigLog();
// - `late-<ms>-<name>`: 404 until <ms> after the first request for it, then the sample <name>;
// - `rate-limited-<name>`: 429 with Retry-After: 1 once, then the sample;
// - `html-503-<name>`: a 503 HTML page once, then the sample;
// - `hang-once-<name>`: the first request never answers, then the sample;
// - `hang`: never answers; `html-200`: an HTML page with status 200;
// - `rate-limited-long`: 429 with Retry-After: 300;
// - `reflects-token`: 500 whose errors[].message quotes the request's token around character 480;
//   `reflects-token-log`: a log that holds the token JSON-escaped, \u-escaped and percent-encoded;
//   `reflects-token-field`: a log whose cost is a string holding the token past character 30;
// - `hostile-errors`: 500 whose errors[].message holds newlines with workflow commands, bidirectional
//   controls, and an emoji across the 500-character cut;
// - `upgrade-101`: a 101 Switching Protocols to websocket, every time; `upgrade-101-once-<name>`: once,
//   then the sample;
// - `redirect`: a 301 to another host, with a token in its query.
import { BASE_LOG } from './cloudflare-samples.mjs'
import { sendJson } from './send-json.mjs'

/** In `reflects-token`, the token starts at character 480 of the errors text, across the 500-character cut the action made. */
const TOKEN_ECHO_PADDING = 440

/**
 * Logs that reflect the token the request was sent with: in metadata, JSON-escaped with `/` written `\/`
 * (as PHP's json_encode does) and, past a value's 200-character cut in the report, spelled with `\u`
 * escapes; percent-encoded in request_content_type.
 */
function reflectingLog(token) {
  const slashEscaped = JSON.stringify(token).slice(1, -1).replace(/\//g, '\\/')
  const unicodeEscaped = [...token]
    .map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .join('')
  return {
    ...BASE_LOG,
    metadata: `{"echo":"${slashEscaped}","note":"${'n'.repeat(190)}${unicodeEscaped}"}`,
    request_content_type: `application/json; reflected=${encodeURIComponent(token)}`
  }
}

/** The largest answer the action reads (MAX_BODY_BYTES in src/http.ts). */
const MAX_BODY_BYTES = 512 * 1024

/**
 * Logs too big to list with the samples, made on demand. Heads are what the gateway records: a JSON
 * object of header name to value (here one very long value), as in the samples (cloudflare-samples.mjs).
 * - `huge-head`: a request head of 500 KB, about the largest the action reads (the whole answer under MAX_BODY_BYTES);
 * - `big-answer-<shape>[-<n>kib]`: an answer just under MAX_BODY_BYTES (or n KiB), the head shaped to cost the most memory:
 *   `ascii` (one long value), `unicode` (two-byte characters in a string), `many-headers` and
 *   `many-metadata` (tens of thousands of short entries in the head or in the metadata, each one an
 *   object property once parsed), `many-objects` (a head that is a list of empty objects),
 *   `many-lines` (a head of short `Name: value` lines);
 * - `too-big`: an answer over MAX_BODY_BYTES.
 */
function bigLog(id) {
  const head = (value) =>
    JSON.stringify({ 'content-type': 'application/json', 'x-trace': value })
  if (id === 'huge-head')
    return { ...BASE_LOG, request_head: head('h'.repeat(500_000)) }
  if (id === 'too-big')
    return { ...BASE_LOG, request_head: head('h'.repeat(MAX_BODY_BYTES)) }
  const m =
    /^big-answer-(ascii|unicode|many-headers|many-metadata|many-objects|many-lines)(?:-(\d+)kib)?$/.exec(
      id
    )
  if (!m) return undefined
  // The answer's size: MAX_BODY_BYTES, or <n> KiB; minus room for the envelope and the log's other fields.
  const room = (m[2] ? Number(m[2]) * 1024 : MAX_BODY_BYTES) - 8 * 1024
  if (m[1] === 'ascii')
    return { ...BASE_LOG, request_head: head('h'.repeat(room)) }
  if (m[1] === 'unicode')
    return { ...BASE_LOG, request_head: head('é'.repeat(Math.floor(room / 2))) }
  // `{},` is 3 bytes; each `{}` is a new object once parsed, and another one once redacted.
  if (m[1] === 'many-objects')
    return {
      ...BASE_LOG,
      request_head: `[${Array(Math.floor(room / 3))
        .fill('{}')
        .join(',')}]`
    }
  // `a: b\n` is 6 bytes once escaped; each line is a string once split.
  if (m[1] === 'many-lines')
    return {
      ...BASE_LOG,
      request_head: Array(Math.floor(room / 6))
        .fill('a: b')
        .join('\n')
    }
  // Each entry, `\"x-h123456\":\"v\",` once escaped into the answer, takes at most 21 bytes.
  const entries = Array.from(
    { length: Math.floor(room / 21) },
    (_, i) => `"x-h${i}":"v"`
  )
  return m[1] === 'many-headers'
    ? { ...BASE_LOG, request_head: `{${entries.join(',')}}` }
    : { ...BASE_LOG, metadata: `{${entries.join(',')}}` }
}

// The 101 a WebSocket server answers with (RFC 6455 section 1.3), sent to a plain GET: what a proxy or
// endpoint in the way can do. Node's client, with no 'upgrade' listener, then emits no answer at all.
const SWITCHING_PROTOCOLS =
  'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n'

export const notFound = {
  success: false,
  errors: [{ code: 7002, message: 'Not Found' }],
  messages: [],
  result: null
}
export const html503 =
  '<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head><body><h1>cloudflare</h1></body></html>'

/**
 * The scenarios' memory: how often and since when each id was asked for, and the answers left hanging.
 * `logs` are the samples by id (SAMPLE_LOGS unless a test gives its own).
 */
export function createScenarios(logs) {
  const firstSeenMs = new Map()
  const seenCount = new Map()
  const hung = new Set()

  /** Answers a request for log `id` (already decoded), as the list at the top of this file says. */
  function answer(req, res, id) {
    const count = (seenCount.get(id) ?? 0) + 1
    seenCount.set(id, count)
    if (!firstSeenMs.has(id)) firstSeenMs.set(id, Date.now())
    const serve = (name) => {
      const log = logs[name] ?? bigLog(name)
      return log
        ? sendJson(res, 200, {
            success: true,
            errors: [],
            messages: [],
            result: { ...log, id }
          })
        : sendJson(res, 404, notFound)
    }
    let s
    if ((s = /^late-(\d+)-(.+)$/.exec(id))) {
      return Date.now() - firstSeenMs.get(id) >= Number(s[1])
        ? serve(s[2])
        : sendJson(res, 404, notFound)
    }
    if ((s = /^rate-limited-(.+)$/.exec(id)) && s[1] !== 'long') {
      return count === 1
        ? sendJson(
            res,
            429,
            {
              success: false,
              errors: [
                {
                  code: 971,
                  message:
                    'Please wait and consider throttling your request speed'
                }
              ]
            },
            { 'retry-after': '1' }
          )
        : serve(s[1])
    }
    const sentToken = String(req.headers.authorization ?? '').replace(
      /^Bearer /,
      ''
    )
    if (id === 'reflects-token') {
      // Cloudflare's error envelope (success, errors[{code, message}], messages, result), as in notFound above.
      const message = `Invalid request headers: ${'x'.repeat(TOKEN_ECHO_PADDING)} Bearer ${sentToken} was not accepted`
      return sendJson(res, 500, {
        success: false,
        errors: [{ code: 10001, message }],
        messages: [],
        result: null
      })
    }
    if (id === 'reflects-token-log') {
      return sendJson(res, 200, {
        success: true,
        errors: [],
        messages: [],
        result: { ...reflectingLog(sentToken), id }
      })
    }
    if (id === 'reflects-token-field') {
      return sendJson(res, 200, {
        success: true,
        errors: [],
        messages: [],
        result: { ...BASE_LOG, cost: `${'c'.repeat(30)}${sentToken}`, id }
      })
    }
    if (id === 'hostile-errors') {
      // The first emoji starts at character 495 of the errors text: the 500-character cut falls inside the third.
      const message = `bad request\n::stop-commands::pwned\r\n::error::forged\u202e evil\u200b ${'y'.repeat(430)}${'😀'.repeat(15)}`
      return sendJson(res, 500, {
        success: false,
        errors: [{ code: 10000, message }],
        messages: [],
        result: null
      })
    }
    if (id === 'rate-limited-long')
      return sendJson(
        res,
        429,
        {
          success: false,
          errors: [{ code: 971, message: 'Too many requests' }]
        },
        { 'retry-after': '300' }
      )
    if ((s = /^html-503-(.+)$/.exec(id))) {
      if (count > 1) return serve(s[1])
      res.writeHead(503, { 'content-type': 'text/html' })
      return res.end(html503)
    }
    if (id === 'html-200') {
      res.writeHead(200, { 'content-type': 'text/html' })
      return res.end('<html><body>Please sign in</body></html>')
    }
    if (
      id === 'upgrade-101' ||
      ((s = /^upgrade-101-once-(.+)$/.exec(id)) && count === 1)
    ) {
      // Written on the raw connection: Node's server has no API to answer a plain GET with a 101.
      hung.add(res)
      return res.socket.write(SWITCHING_PROTOCOLS)
    }
    if (s) return serve(s[1])
    if (id === 'redirect') {
      res.writeHead(301, {
        location:
          'https://login.evil.example/oauth/authorize?token=stolen-by-redirect',
        'content-length': 0
      })
      return res.end()
    }
    if (id === 'hang' || ((s = /^hang-once-(.+)$/.exec(id)) && count === 1)) {
      hung.add(res) // never answered; closed when the stand-in stops
      return
    }
    if (s) return serve(s[1])
    return serve(id)
  }

  /** Ends the answers left hanging, so that the server can close. */
  function stop() {
    for (const res of hung) res.destroy()
  }

  return { answer, stop }
}
