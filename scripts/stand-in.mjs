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
  // Values no call can have; a broken or hostile API could still send them.
  'negative-cost': { ...base, cost: -5 },
  'negative-duration': { ...base, duration: -1000 },
  'negative-tokens': { ...base, tokens_in: -1 },
  'tiny-number': { ...base, cost: 1e-320 }
}

/** The largest answer the action reads (MAX_BODY_BYTES in src/gateway.ts). */
const MAX_BODY_BYTES = 512 * 1024

/**
 * Logs too big to list with the samples, made on demand. Heads are what the gateway records: a JSON
 * object of header name to value (here one very long value), as in the samples above.
 * - `huge-head`: a request head of 500 KB, about the largest the action reads (the whole answer under MAX_BODY_BYTES);
 * - `big-answer-<shape>[-<n>kib]`: an answer just under MAX_BODY_BYTES (or n KiB), the head shaped to cost the most memory:
 *   `ascii` (one long value), `unicode` (two-byte characters in a string), `many-headers` and
 *   `many-metadata` (tens of thousands of short entries in the head or in the metadata, each one an
 *   object property once parsed), `many-objects` (a head that is a list of empty objects),
 *   `many-lines` (a head of short `Name: value` lines);
 * - `too-big`: an answer over MAX_BODY_BYTES.
 */
function bigLog(id) {
  const head = (value) => JSON.stringify({ 'content-type': 'application/json', 'x-trace': value })
  if (id === 'huge-head') return { ...base, request_head: head('h'.repeat(500_000)) }
  if (id === 'too-big') return { ...base, request_head: head('h'.repeat(MAX_BODY_BYTES)) }
  const m = /^big-answer-(ascii|unicode|many-headers|many-metadata|many-objects|many-lines)(?:-(\d+)kib)?$/.exec(id)
  if (!m) return undefined
  // The answer's size: MAX_BODY_BYTES, or <n> KiB; minus room for the envelope and the log's other fields.
  const room = (m[2] ? Number(m[2]) * 1024 : MAX_BODY_BYTES) - 8 * 1024
  if (m[1] === 'ascii') return { ...base, request_head: head('h'.repeat(room)) }
  if (m[1] === 'unicode') return { ...base, request_head: head('é'.repeat(Math.floor(room / 2))) }
  // `{},` is 3 bytes; each `{}` is a new object once parsed, and another one once redacted.
  if (m[1] === 'many-objects') return { ...base, request_head: `[${Array(Math.floor(room / 3)).fill('{}').join(',')}]` }
  // `a: b\n` is 6 bytes once escaped; each line is a string once split.
  if (m[1] === 'many-lines') return { ...base, request_head: Array(Math.floor(room / 6)).fill('a: b').join('\n') }
  // Each entry, `\"x-h123456\":\"v\",` once escaped into the answer, takes at most 21 bytes.
  const entries = Array.from({ length: Math.floor(room / 21) }, (_, i) => `"x-h${i}":"v"`)
  return m[1] === 'many-headers' ? { ...base, request_head: `{${entries.join(',')}}` } : { ...base, metadata: `{${entries.join(',')}}` }
}

/**
 * What `GET /accounts/{account}/ai-gateway/logging-state` answers. Its shape is not documented:
 * Cloudflare's generated clients say only that it "returns the canonical logging platform and migration
 * availability for an account" inside the usual {success, errors, messages, result} envelope, and one
 * account that logs to Workers Observability was reported answering `workers_observability`. So the
 * stand-in assumes a result object naming the platform and whether a migration is offered.
 */
export const LOGGING_STATES = {
  legacy: { platform: 'legacy', migration_available: true },
  workersObservability: { platform: 'workers_observability', migration_available: false }
}

// The 101 a WebSocket server answers with (RFC 6455 section 1.3), sent to a plain GET: what a proxy or
// endpoint in the way can do. Node's client, with no 'upgrade' listener, then emits no answer at all.
const SWITCHING_PROTOCOLS = 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n'

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
 * - a SAMPLE_LOGS key: that log; `huge-head`, `big-answer-<shape>`, `too-big`: see bigLog();
 * - `late-<ms>-<name>`: 404 until <ms> after the first request for it, then the sample <name>;
 * - `rate-limited-<name>`: 429 with Retry-After: 1 once, then the sample;
 * - `html-503-<name>`: a 503 HTML page once, then the sample;
 * - `hang-once-<name>`: the first request never answers, then the sample;
 * - `hang`: never answers; `html-200`: an HTML page with status 200;
 * - `rate-limited-long`: 429 with Retry-After: 300;
 * - `upgrade-101`: a 101 Switching Protocols to websocket, every time; `upgrade-101-once-<name>`: once,
 *   then the sample;
 * - `redirect`: a 301 to another host, with a token in its query.
 * `loggingState` is the `result` of the logging-state endpoint (LOGGING_STATES), or null for a 404.
 */
export async function startStandIn({ port = 0, token = DEMO_TOKEN, logs = SAMPLE_LOGS, loggingState = LOGGING_STATES.legacy } = {}) {
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
    const noRoute = { success: false, errors: [{ code: 7003, message: 'No route for the URI' }] }
    const m = /^\/client\/v4\/accounts\/([^/]+)\/ai-gateway\/gateways\/([^/]+)\/logs\/([^/]+)$/.exec(url.pathname)
    const state = /^\/client\/v4\/accounts\/([^/]+)\/ai-gateway\/logging-state$/.exec(url.pathname)
    if ((!m && !state) || req.method !== 'GET') return sendJson(res, 404, noRoute)
    if (req.headers.authorization !== `Bearer ${token}`) {
      return sendJson(res, 403, { success: false, errors: [{ code: 10000, message: 'Authentication error' }] })
    }
    if (state) return loggingState === null ? sendJson(res, 404, noRoute) : sendJson(res, 200, { success: true, errors: [], messages: [], result: loggingState })
    const id = decodeURIComponent(m[3])
    const count = (seenCount.get(id) ?? 0) + 1
    seenCount.set(id, count)
    if (!firstSeenMs.has(id)) firstSeenMs.set(id, Date.now())
    const serve = (name) => {
      const log = logs[name] ?? bigLog(name)
      return log ? sendJson(res, 200, { success: true, errors: [], messages: [], result: { ...log, id } }) : sendJson(res, 404, notFound)
    }
    let s
    if ((s = /^late-(\d+)-(.+)$/.exec(id))) {
      return Date.now() - firstSeenMs.get(id) >= Number(s[1]) ? serve(s[2]) : sendJson(res, 404, notFound)
    }
    if ((s = /^rate-limited-(.+)$/.exec(id)) && s[1] !== 'long') {
      return count === 1 ? sendJson(res, 429, { success: false, errors: [{ code: 971, message: 'Please wait and consider throttling your request speed' }] }, { 'retry-after': '1' }) : serve(s[1])
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
    if (id === 'upgrade-101' || ((s = /^upgrade-101-once-(.+)$/.exec(id)) && count === 1)) {
      // Written on the raw connection: Node's server has no API to answer a plain GET with a 101.
      hung.add(res)
      return res.socket.write(SWITCHING_PROTOCOLS)
    }
    if (s) return serve(s[1])
    if (id === 'redirect') {
      res.writeHead(301, { location: 'https://login.evil.example/oauth/authorize?token=stolen-by-redirect', 'content-length': 0 })
      return res.end()
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
