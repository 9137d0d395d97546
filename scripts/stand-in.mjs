// A local stand-in for the two APIs the action talks to, on 127.0.0.1 only:
// - Cloudflare's `GET /accounts/{account}/ai-gateway/gateways/{gateway}/logs/{id}` (under /client/v4),
//   serving sample logs and fault scenarios chosen by the log id;
// - GitHub's issue-comment endpoints and the GraphQL `viewer` query, for the PR comment.
// Used by `npm run demo`, `npm run bench` and the end-to-end tests. Plain JavaScript so that it runs
// without a build. Run it alone with `node scripts/stand-in.mjs` to point a local action at it.
import http from 'node:http'
import { pathToFileURL } from 'node:url'

export const DEMO_TOKEN = 'demo-token-0123456789'
export const DEMO_ACCOUNT = '0d37909e38d3e99c29fa2cd343ac421a'
export const DEMO_GATEWAY = 'my-gateway'
export const GITHUB_LOGIN = 'github-actions[bot]'

const base = {
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
  metadata: '{"eval":"summarise-v2","commit":"4f2a9c1"}',
  request_type: 'chat',
  request_content_type: 'application/json',
  request_size: 1830,
  request_head: '{"content-type":"application/json","authorization":"Bearer sk-demo-provider-key"}',
  request_head_complete: true,
  response_content_type: 'application/json',
  response_size: 2210,
  response_head: '{"content-type":"application/json","openai-processing-ms":"640"}',
  response_head_complete: true
}

/** Sample logs, by log id: what `npm run demo` and the tests read. */
export const SAMPLE_LOGS = {
  'cheap-call': { ...base },
  'expensive-call': {
    ...base,
    model: 'gpt-4o',
    duration: 9400,
    tokens_in: 24800,
    tokens_out: 3900,
    cost: 0.75,
    metadata: '{"eval":"long-context","commit":"4f2a9c1"}'
  },
  'failed-call': {
    ...base,
    success: false,
    status_code: 500,
    duration: 30012,
    tokens_in: null,
    tokens_out: null,
    cost: undefined,
    response_head: '{"content-type":"application/json"}'
  },
  'tiny-call': { ...base, cost: 0.0000004, tokens_in: 3, tokens_out: 1 },
  'hostile-call': {
    ...base,
    model: '<img src=x onerror=alert(1)> | ![t](https://evil.example/t.png) @octocat `code` ``` \n| injected | row |',
    provider: '<script>alert(1)</script>',
    path: '[click](javascript:alert(1)) #1 @everyone',
    metadata: JSON.stringify({ 'pipe|key': 'a|b\nc', '@team': '<b>bold</b> `tick`', long: 'x'.repeat(5000) }),
    request_head: JSON.stringify({
      authorization: 'Bearer sk-live-PROVIDER-SECRET-1',
      'x-api-key': 'sk-live-PROVIDER-SECRET-2',
      'cf-aig-authorization': 'Bearer cf-PROVIDER-SECRET-3',
      'x-custom-token': 'PROVIDER-SECRET-4',
      'content-type': 'application/json'
    }),
    response_head: JSON.stringify({ 'set-cookie': 'session=PROVIDER-SECRET-5', 'content-type': 'application/json' })
  },
  'string-cost': { ...base, cost: '0.0012' },
  'null-duration': { ...base, duration: null },
  // A request line of a megabyte of `?`: a pattern that backtracks over them takes minutes.
  'question-marks': {
    ...base,
    request_head: `GET /v1/chat/completions?${'?'.repeat(1024 * 1024)} HTTP/1.1\r\nhost: api.openai.com`,
    response_head: `HTTP/1.1 200 OK\r\nLocation: https://api.example/${'&'.repeat(256 * 1024)}\r\nx-note: ${'='.repeat(256 * 1024)}`
  },
  // JSON nested deeper than JSON.stringify can write back (it throws a few thousand levels down).
  'deep-json': {
    ...base,
    request_head: `${'['.repeat(200_000)}${']'.repeat(200_000)}`,
    response_head: `{"x":${'{"y":'.repeat(50_000)}1${'}'.repeat(50_000)}}`,
    metadata: `{"eval":"deep","tree":${'['.repeat(100_000)}${']'.repeat(100_000)}}`
  },
  // Headers recorded as lists (Postman's {key, value}, {name, values}, {header, value}) and URLs
  // with credentials in header values and in the path (Google AI Studio puts the key in `?key=`).
  'list-head': {
    ...base,
    path: 'v1beta/models/gemini-2.0-flash:generateContent?key=LIST-SECRET-PATH&alt=sse',
    request_head: JSON.stringify([
      { key: 'Authorization', value: 'Bearer LIST-SECRET-POSTMAN', type: 'text' },
      { name: 'Cookie', values: ['session=LIST-SECRET-VALUES', 'theme=dark'] },
      { header: 'X-Api-Key', value: 'LIST-SECRET-HEADER' },
      { name: 'Referer', value: 'https://app.example/chat?api_key=LIST-SECRET-REFERER&tab=2' },
      { key: 'Content-Type', value: 'application/json' }
    ]),
    response_head:
      'HTTP/1.1 302 Found\r\nLocation: https://app.example/callback?token=LIST-SECRET-LOCATION&state=ok\r\n' +
      'Referer: https://user:LIST-SECRET-USERINFO@app.example/\r\nContent-Type: application/json'
  },
  // Characters that display text reversed or hide it, and emoji where a value is cut (200 characters in the report).
  'unicode-call': {
    ...base,
    model: 'gpt-4o\u202e-inim\u202c',
    provider: 'open\u200bai\u2066',
    path: `${'p'.repeat(199)}😀/chat/completions`,
    metadata: JSON.stringify({ 'eval\u2067': `${'x'.repeat(199)}😀tail`, hidden: 'a\u{E0041}\u{E0042}\u200db' })
  }
}

/** In `reflects-token`, the token starts at character 480 of the errors text, across the 500-character cut the action made. */
const TOKEN_ECHO_PADDING = 440

/**
 * Logs that reflect the token the request was sent with: in metadata, JSON-escaped with `/` written `\/`
 * (as PHP's json_encode does) and, past a value's 200-character cut in the report, spelled with `\u`
 * escapes; percent-encoded in request_content_type.
 */
function reflectingLog(token) {
  const slashEscaped = JSON.stringify(token).slice(1, -1).replace(/\//g, '\\/')
  const unicodeEscaped = [...token].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')
  return {
    ...base,
    metadata: `{"echo":"${slashEscaped}","note":"${'n'.repeat(190)}${unicodeEscaped}"}`,
    request_content_type: `application/json; reflected=${encodeURIComponent(token)}`
  }
}

const notFound = { success: false, errors: [{ code: 7002, message: 'Not Found' }], messages: [], result: null }
const html503 = '<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head><body><h1>cloudflare</h1></body></html>'

function sendJson(res, status, body, headers = {}) {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers })
  res.end(text)
}

/**
 * Starts the stand-in. Scenarios, by log id (any id not listed is a 404, so a test can name a log
 * that never appears):
 * - a SAMPLE_LOGS key: that log;
 * - `late-<ms>-<name>`: 404 until <ms> after the first request for it, then the sample <name>;
 * - `rate-limited-<name>`: 429 with Retry-After: 1 once, then the sample;
 * - `html-503-<name>`: a 503 HTML page once, then the sample;
 * - `hang-once-<name>`: the first request never answers, then the sample;
 * - `hang`: never answers; `html-200`: an HTML page with status 200;
 * - `rate-limited-long`: 429 with Retry-After: 300;
 * - `reflects-token`: 500 whose errors[].message quotes the request's token around character 480;
 *   `reflects-token-log`: a log that holds the token JSON-escaped, \u-escaped and percent-encoded;
 *   `reflects-token-field`: a log whose cost is a string holding the token past character 30;
 * - `hostile-errors`: 500 whose errors[].message holds newlines with workflow commands, bidirectional
 *   controls, and an emoji across the 500-character cut.
 */
export async function startStandIn({ port = 0, token = DEMO_TOKEN, logs = SAMPLE_LOGS } = {}) {
  const requests = []
  const firstSeenMs = new Map()
  const seenCount = new Map()
  const hung = new Set()
  const comments = []
  let nextCommentId = 1000

  const server = http.createServer((req, res) => {
    let raw = ''
    req.setEncoding('utf8')
    req.on('data', (chunk) => (raw += chunk))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      // An absolute URL in the request line means the stand-in was reached as an HTTP proxy.
      requests.push({ method: req.method, path: url.pathname, timeMs: Date.now(), viaProxy: /^https?:/.test(req.url ?? '') })
      if (url.pathname.startsWith('/client/v4/')) return cloudflare(req, res, url)
      if (url.pathname.startsWith('/github/')) return github(req, res, url, raw)
      sendJson(res, 404, { message: 'no such endpoint in the stand-in' })
    })
  })

  function cloudflare(req, res, url) {
    const m = /^\/client\/v4\/accounts\/([^/]+)\/ai-gateway\/gateways\/([^/]+)\/logs\/([^/]+)$/.exec(url.pathname)
    if (!m || req.method !== 'GET') return sendJson(res, 404, { success: false, errors: [{ code: 7003, message: 'No route for the URI' }] })
    if (req.headers.authorization !== `Bearer ${token}`) {
      return sendJson(res, 403, { success: false, errors: [{ code: 10000, message: 'Authentication error' }] })
    }
    const id = decodeURIComponent(m[3])
    const count = (seenCount.get(id) ?? 0) + 1
    seenCount.set(id, count)
    if (!firstSeenMs.has(id)) firstSeenMs.set(id, Date.now())
    const serve = (name) => {
      const log = logs[name]
      return log ? sendJson(res, 200, { success: true, errors: [], messages: [], result: { ...log, id } }) : sendJson(res, 404, notFound)
    }
    let s
    if ((s = /^late-(\d+)-(.+)$/.exec(id))) {
      return Date.now() - firstSeenMs.get(id) >= Number(s[1]) ? serve(s[2]) : sendJson(res, 404, notFound)
    }
    if ((s = /^rate-limited-(.+)$/.exec(id)) && s[1] !== 'long') {
      return count === 1 ? sendJson(res, 429, { success: false, errors: [{ code: 971, message: 'Please wait and consider throttling your request speed' }] }, { 'retry-after': '1' }) : serve(s[1])
    }
    const sentToken = String(req.headers.authorization ?? '').replace(/^Bearer /, '')
    if (id === 'reflects-token') {
      // Cloudflare's error envelope (success, errors[{code, message}], messages, result), as in notFound above.
      const message = `Invalid request headers: ${'x'.repeat(TOKEN_ECHO_PADDING)} Bearer ${sentToken} was not accepted`
      return sendJson(res, 500, { success: false, errors: [{ code: 10001, message }], messages: [], result: null })
    }
    if (id === 'reflects-token-log') {
      return sendJson(res, 200, { success: true, errors: [], messages: [], result: { ...reflectingLog(sentToken), id } })
    }
    if (id === 'reflects-token-field') {
      return sendJson(res, 200, { success: true, errors: [], messages: [], result: { ...base, cost: `${'c'.repeat(30)}${sentToken}`, id } })
    }
    if (id === 'hostile-errors') {
      // The first emoji starts at character 495 of the errors text: the 500-character cut falls inside the third.
      const message = `bad request\n::stop-commands::pwned\r\n::error::forged\u202e evil\u200b ${'y'.repeat(430)}${'😀'.repeat(15)}`
      return sendJson(res, 500, { success: false, errors: [{ code: 10000, message }], messages: [], result: null })
    }
    if (id === 'rate-limited-long') return sendJson(res, 429, { success: false, errors: [{ code: 971, message: 'Too many requests' }] }, { 'retry-after': '300' })
    if ((s = /^html-503-(.+)$/.exec(id))) {
      if (count > 1) return serve(s[1])
      res.writeHead(503, { 'content-type': 'text/html' })
      return res.end(html503)
    }
    if (id === 'html-200') {
      res.writeHead(200, { 'content-type': 'text/html' })
      return res.end('<html><body>Please sign in</body></html>')
    }
    if (id === 'hang' || ((s = /^hang-once-(.+)$/.exec(id)) && count === 1)) {
      hung.add(res) // never answered; closed when the stand-in stops
      return
    }
    if (s) return serve(s[1])
    return serve(id)
  }

  // GitHub: /github/repos/{owner}/{repo}/issues/{n}/comments and /github/repos/{owner}/{repo}/issues/comments/{id}
  function github(req, res, url, raw) {
    if (req.headers.authorization !== `token ${githubToken}` && req.headers.authorization !== `Bearer ${githubToken}`) {
      return sendJson(res, 401, { message: 'Bad credentials' })
    }
    if (url.pathname === '/github/graphql' && req.method === 'POST') {
      return sendJson(res, 200, { data: { viewer: { login: GITHUB_LOGIN.replace(/\[bot\]$/, ''), __typename: 'Bot' } } })
    }
    let m
    if ((m = /^\/github\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname))) {
      const issue = Number(m[3])
      if (req.method === 'GET') {
        const perPage = Number(url.searchParams.get('per_page') ?? 30)
        const page = Number(url.searchParams.get('page') ?? 1)
        const all = comments.filter((c) => c.issue === issue)
        return sendJson(res, 200, all.slice((page - 1) * perPage, page * perPage).map(view))
      }
      if (req.method === 'POST') {
        const comment = { id: nextCommentId++, issue, body: JSON.parse(raw).body, user: { login: GITHUB_LOGIN, type: 'Bot' } }
        comments.push(comment)
        return sendJson(res, 201, view(comment))
      }
    }
    if ((m = /^\/github\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(url.pathname))) {
      const index = comments.findIndex((c) => c.id === Number(m[3]))
      if (index < 0) return sendJson(res, 404, { message: 'Not Found' })
      if (req.method === 'PATCH') {
        comments[index].body = JSON.parse(raw).body
        return sendJson(res, 200, view(comments[index]))
      }
      if (req.method === 'DELETE') {
        comments.splice(index, 1)
        res.writeHead(204)
        return res.end()
      }
    }
    sendJson(res, 404, { message: 'Not Found' })
  }

  const view = (c) => ({ id: c.id, body: c.body, user: c.user, html_url: `https://github.example/pull/${c.issue}#issuecomment-${c.id}` })
  let githubToken = 'ghs_demo-github-token'

  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve))
  const { port: actualPort } = server.address()
  const origin = `http://127.0.0.1:${actualPort}`
  return {
    origin,
    apiUrl: `${origin}/client/v4`,
    githubApiUrl: `${origin}/github`,
    githubToken,
    token,
    requests,
    comments,
    /** Adds a comment as another account (a person, or another bot). */
    addComment(issue, body, user) {
      const comment = { id: nextCommentId++, issue, body, user }
      comments.push(comment)
      return comment
    },
    /** Requests made to the Cloudflare log endpoint. */
    logRequests: () => requests.filter((r) => r.path.startsWith('/client/v4/')),
    async close() {
      for (const res of hung) res.destroy()
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  }
}

// `node scripts/stand-in.mjs [port]`: serve until stopped.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const standIn = await startStandIn({ port: Number(process.argv[2] ?? 8787) })
  console.log(`Cloudflare API stand-in: ${standIn.apiUrl} (token ${standIn.token})`)
  console.log(`GitHub API stand-in:     ${standIn.githubApiUrl} (token ${standIn.githubToken})`)
  console.log(`Sample log ids: ${Object.keys(SAMPLE_LOGS).join(', ')}`)
}
