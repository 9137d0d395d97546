// A local stand-in for the two APIs the action talks to, on 127.0.0.1 only:
// - Cloudflare's `GET /accounts/{account}/ai-gateway/gateways/{gateway}/logs/{id}` (under /client/v4),
//   serving sample logs and fault scenarios chosen by the log id;
// - Cloudflare's list endpoint `GET /accounts/{account}/ai-gateway/gateways/{gateway}/logs`, serving
//   runs of calls registered with `addRun` / `addLogs` (see `list` below for the behaviour and its sources);
// - GitHub's issue-comment endpoints and the GraphQL `viewer` query, for the PR comment;
// - GitHub's list of a workflow's runs, for the base branch's last successful run (a baseline).
// Used by `npm run demo`, `npm run bench` and the end-to-end tests. Plain JavaScript so that it runs
// without a build. Run it alone with `node scripts/stand-in.mjs` to point a local action at it.
import http from 'node:http'
import { pathToFileURL } from 'node:url'

export const DEMO_TOKEN = 'demo-token-0123456789'
export const DEMO_ACCOUNT = '0d37909e38d3e99c29fa2cd343ac421a'
export const DEMO_GATEWAY = 'my-gateway'

/**
 * GitHub accounts the stand-in knows, one per token kind, each with the token that acts as it. GitHub
 * names an account by its numeric id (REST `user.id`, GraphQL `databaseId`), the same number in both.
 */
export const GITHUB_ACCOUNTS = {
  // GITHUB_TOKEN: an installation token of the GitHub Actions app. Its bot account is
  // github-actions[bot], id 41898282 (https://api.github.com/users/github-actions%5Bbot%5D).
  actions: {
    token: 'ghs_demo-github-token',
    login: 'github-actions[bot]',
    id: 41898282,
    type: 'Bot'
  },
  // An installation token of another GitHub App, "my-app": its own bot account, `my-app[bot]`.
  app: {
    token: 'ghs_demo-my-app-installation-token',
    login: 'my-app[bot]',
    id: 150123456,
    type: 'Bot'
  },
  // A personal access token: the person's own account.
  personal: {
    token: 'github_pat_demo-personal-access-token',
    login: 'octo-dev',
    id: 5837461,
    type: 'User'
  }
}
/** The login of GITHUB_TOKEN's account, as REST and GraphQL both spell it. */
export const GITHUB_LOGIN = GITHUB_ACCOUNTS.actions.login

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
  request_head:
    '{"content-type":"application/json","authorization":"Bearer sk-demo-provider-key"}',
  request_head_complete: true,
  response_content_type: 'application/json',
  response_size: 2210,
  response_head:
    '{"content-type":"application/json","openai-processing-ms":"640"}',
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
    model:
      '<img src=x onerror=alert(1)> | ![t](https://evil.example/t.png) @octocat `code` ``` \n| injected | row |',
    provider: '<script>alert(1)</script>',
    path: '[click](javascript:alert(1)) #1 @everyone',
    metadata: JSON.stringify({
      'pipe|key': 'a|b\nc',
      '@team': '<b>bold</b> `tick`',
      long: 'x'.repeat(5000)
    }),
    request_head: JSON.stringify({
      authorization: 'Bearer sk-live-PROVIDER-SECRET-1',
      'x-api-key': 'sk-live-PROVIDER-SECRET-2',
      'cf-aig-authorization': 'Bearer cf-PROVIDER-SECRET-3',
      'x-custom-token': 'PROVIDER-SECRET-4',
      'content-type': 'application/json'
    }),
    response_head: JSON.stringify({
      'set-cookie': 'session=PROVIDER-SECRET-5',
      'content-type': 'application/json'
    })
  },
  'string-cost': { ...base, cost: '0.0012' },
  'null-duration': { ...base, duration: null },
  // A request line of 300 KiB of `?` (the whole answer stays under the action's 512 KiB cap): a pattern
  // that backtracks over them takes minutes.
  'question-marks': {
    ...base,
    request_head: `GET /v1/chat/completions?${'?'.repeat(300 * 1024)} HTTP/1.1\r\nhost: api.openai.com`,
    response_head: `HTTP/1.1 200 OK\r\nLocation: https://api.example/${'&'.repeat(32 * 1024)}\r\nx-note: ${'='.repeat(32 * 1024)}`
  },
  // JSON nested deeper than JSON.stringify can write back (it throws a few thousand levels down).
  'deep-json': {
    ...base,
    request_head: `${'['.repeat(60_000)}${']'.repeat(60_000)}`,
    response_head: `{"x":${'{"y":'.repeat(20_000)}1${'}'.repeat(20_000)}}`,
    metadata: `{"eval":"deep","tree":${'['.repeat(40_000)}${']'.repeat(40_000)}}`
  },
  // Headers recorded as lists (Postman's {key, value}, {name, values}, {header, value}) and URLs
  // with credentials in header values and in the path (Google AI Studio puts the key in `?key=`).
  'list-head': {
    ...base,
    path: 'v1beta/models/gemini-2.0-flash:generateContent?key=LIST-SECRET-PATH&alt=sse',
    request_head: JSON.stringify([
      {
        key: 'Authorization',
        value: 'Bearer LIST-SECRET-POSTMAN',
        type: 'text'
      },
      { name: 'Cookie', values: ['session=LIST-SECRET-VALUES', 'theme=dark'] },
      { header: 'X-Api-Key', value: 'LIST-SECRET-HEADER' },
      {
        name: 'Referer',
        value: 'https://app.example/chat?api_key=LIST-SECRET-REFERER&tab=2'
      },
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
    metadata: JSON.stringify({
      'eval\u2067': `${'x'.repeat(199)}😀tail`,
      hidden: 'a\u{E0041}\u{E0042}\u200db'
    })
  },
  // Values no call can have; a broken or hostile API could still send them.
  'negative-cost': { ...base, cost: -5 },
  'negative-duration': { ...base, duration: -1000 },
  'negative-tokens': { ...base, tokens_in: -1 },
  'tiny-number': { ...base, cost: 1e-320 }
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
  const unicodeEscaped = [...token]
    .map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .join('')
  return {
    ...base,
    metadata: `{"echo":"${slashEscaped}","note":"${'n'.repeat(190)}${unicodeEscaped}"}`,
    request_content_type: `application/json; reflected=${encodeURIComponent(token)}`
  }
}

const LIST_RE =
  /^\/client\/v4\/accounts\/([^/]+)\/ai-gateway\/gateways\/([^/]+)\/logs$/

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
  const head = (value) =>
    JSON.stringify({ 'content-type': 'application/json', 'x-trace': value })
  if (id === 'huge-head')
    return { ...base, request_head: head('h'.repeat(500_000)) }
  if (id === 'too-big')
    return { ...base, request_head: head('h'.repeat(MAX_BODY_BYTES)) }
  const m =
    /^big-answer-(ascii|unicode|many-headers|many-metadata|many-objects|many-lines)(?:-(\d+)kib)?$/.exec(
      id
    )
  if (!m) return undefined
  // The answer's size: MAX_BODY_BYTES, or <n> KiB; minus room for the envelope and the log's other fields.
  const room = (m[2] ? Number(m[2]) * 1024 : MAX_BODY_BYTES) - 8 * 1024
  if (m[1] === 'ascii') return { ...base, request_head: head('h'.repeat(room)) }
  if (m[1] === 'unicode')
    return { ...base, request_head: head('é'.repeat(Math.floor(room / 2))) }
  // `{},` is 3 bytes; each `{}` is a new object once parsed, and another one once redacted.
  if (m[1] === 'many-objects')
    return {
      ...base,
      request_head: `[${Array(Math.floor(room / 3))
        .fill('{}')
        .join(',')}]`
    }
  // `a: b\n` is 6 bytes once escaped; each line is a string once split.
  if (m[1] === 'many-lines')
    return {
      ...base,
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
    ? { ...base, request_head: `{${entries.join(',')}}` }
    : { ...base, metadata: `{${entries.join(',')}}` }
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
  workersObservability: {
    platform: 'workers_observability',
    migration_available: false
  }
}

// The 101 a WebSocket server answers with (RFC 6455 section 1.3), sent to a plain GET: what a proxy or
// endpoint in the way can do. Node's client, with no 'upgrade' listener, then emits no answer at all.
const SWITCHING_PROTOCOLS =
  'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n'

const notFound = {
  success: false,
  errors: [{ code: 7002, message: 'Not Found' }],
  messages: [],
  result: null
}
const html503 =
  '<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head><body><h1>cloudflare</h1></body></html>'

// The list endpoint. Sources: the OpenAPI extract of the AI Gateway logs API (List Gateway Logs:
// parameters, LogListItem, LogListResultInfo, LogFilter), cloudflare-typescript issue #2723 (only a JSON
// `filters` parameter is honoured), and third parties' probes of the live API (independent metadata
// key/value matching, created_at compared at whole seconds, per_page 51 answered with code 7001, an
// unknown gateway answered with 200 and no rows).

/** The log detail's fields that list rows leave out: 25 - 6 = the 19 fields of LogListItem. */
const DETAIL_ONLY_FIELDS = [
  'request_size',
  'request_head',
  'request_head_complete',
  'response_size',
  'response_head',
  'response_head_complete'
]
/** LogFilter.key's enum in the OpenAPI extract. */
const FILTER_KEYS = new Set([
  'id',
  'created_at',
  'request_content_type',
  'response_content_type',
  'request_type',
  'success',
  'cached',
  'provider',
  'model',
  'model_type',
  'cost',
  'tokens',
  'tokens_in',
  'tokens_out',
  'duration',
  'feedback',
  'event_id',
  'metadata.key',
  'metadata.value',
  'authentication',
  'wholesale',
  'compatibilityMode',
  'dlp_action',
  'user_agent'
])
const FILTER_OPERATORS = new Set(['eq', 'neq', 'contains', 'lt', 'gt'])
/** order_by's enum for the list in the OpenAPI extract. */
const ORDER_BY = new Set([
  'created_at',
  'provider',
  'model',
  'model_type',
  'success',
  'cached'
])
const MAX_PER_PAGE = 50

/** Models a registered run's calls use, with per-token prices in USD (illustrative, in the range of published list prices). */
export const RUN_MODELS = [
  { provider: 'openai', model: 'gpt-4o-mini', inUsd: 0.15e-6, outUsd: 0.6e-6 },
  { provider: 'openai', model: 'gpt-4o', inUsd: 2.5e-6, outUsd: 10e-6 },
  {
    provider: 'anthropic',
    model: 'claude-3-5-haiku',
    inUsd: 0.8e-6,
    outUsd: 4e-6
  }
]

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
/** A ULID-shaped id (the API's log ids look like 01JADMCQQQBWH3NXZ5GCRN98DP): 10 characters of time, 16 of a counter. */
function ulid(timeMs, counter) {
  let time = ''
  for (let t = timeMs, i = 0; i < 10; i++, t = Math.floor(t / 32))
    time = CROCKFORD[t % 32] + time
  let rest = ''
  for (let c = BigInt(counter), i = 0; i < 16; i++, c /= 32n)
    rest = CROCKFORD[Number(c % 32n)] + rest
  return time + rest
}

/** Deterministic numbers from a seed (mulberry32), so a run's calls are the same on every test run. */
function random(seedText) {
  let seed = 0
  for (const c of seedText) seed = (Math.imul(seed, 31) + c.charCodeAt(0)) | 0
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The indices a count or a list names: a count is spread evenly over the run. */
function pick(spec, n) {
  if (Array.isArray(spec)) return new Set(spec)
  const count = Math.min(Number(spec) || 0, n)
  return new Set(
    Array.from({ length: count }, (_, k) => Math.floor(((k + 0.5) * n) / count))
  )
}

function listRow(log) {
  const row = {}
  for (const [name, value] of Object.entries(log))
    if (!DETAIL_ONLY_FIELDS.includes(name) && value !== undefined)
      row[name] = value
  return row
}

function metadataOf(log) {
  try {
    const map =
      typeof log.metadata === 'string' ? JSON.parse(log.metadata) : log.metadata
    return typeof map === 'object' && map !== null ? map : {}
  } catch {
    return {}
  }
}

const wholeSeconds = (iso) => Math.floor(Date.parse(iso) / 1000)

/** Whether one value of a filter matches a field's value; `undefined` (the row lacks the field) matches nothing. */
function matchesValue(key, operator, fieldValue, wanted) {
  if (fieldValue === undefined) return false
  if (key === 'created_at') {
    // Whole seconds on both sides (third parties' probes): 09:30:12.900 is not `gt` 09:30:12.
    const a = wholeSeconds(fieldValue)
    const b = wholeSeconds(String(wanted))
    return operator === 'eq'
      ? a === b
      : operator === 'lt'
        ? a < b
        : operator === 'gt'
          ? a > b
          : String(fieldValue).includes(String(wanted))
  }
  if (fieldValue === null || wanted === null)
    return operator === 'eq' && fieldValue === wanted
  const numeric =
    typeof fieldValue === 'number' &&
    String(wanted).trim() !== '' &&
    Number.isFinite(Number(wanted))
  switch (operator) {
    case 'eq':
      return numeric
        ? fieldValue === Number(wanted)
        : String(fieldValue) === String(wanted)
    case 'contains':
      return String(fieldValue).includes(String(wanted))
    case 'lt':
      return numeric
        ? fieldValue < Number(wanted)
        : String(fieldValue) < String(wanted)
    case 'gt':
      return numeric
        ? fieldValue > Number(wanted)
        : String(fieldValue) > String(wanted)
  }
  return false
}

/**
 * Whether a log passes one filter. Any value of the array may match; `neq` means none equals.
 * `metadata.key` and `metadata.value` each look at the whole map on their own: a call with
 * {"run_id":"gh-1","note":"gh-2"} passes `metadata.key eq run_id` and `metadata.value eq gh-2` (the trap).
 */
function passes(log, filter) {
  let fieldValues
  if (filter.key === 'metadata.key') fieldValues = Object.keys(metadataOf(log))
  else if (filter.key === 'metadata.value')
    fieldValues = Object.values(metadataOf(log)).map(String)
  else if (filter.key === 'tokens')
    fieldValues = [
      log.tokens_in == null || log.tokens_out == null
        ? null
        : log.tokens_in + log.tokens_out
    ]
  else fieldValues = [log[filter.key]]
  if (filter.operator === 'neq')
    return !fieldValues.some((v) =>
      filter.value.some((w) => matchesValue(filter.key, 'eq', v, w))
    )
  return fieldValues.some((v) =>
    filter.value.some((w) => matchesValue(filter.key, filter.operator, v, w))
  )
}

/**
 * The `filters` query parameter as the API reads it: one parameter holding a JSON array. Anything else
 * (the SDKs' flattened `filters.key=…`, a repeated parameter, text that is not a JSON array) is ignored
 * and every log is listed (cloudflare-typescript issue #2723). A JSON array with a bad entry is a 400.
 */
function readFilters(searchParams) {
  const raw = searchParams.getAll('filters')
  if (raw.length !== 1) return { filters: [] }
  let parsed
  try {
    parsed = JSON.parse(raw[0])
  } catch {
    return { filters: [] }
  }
  if (!Array.isArray(parsed)) return { filters: [] }
  for (const f of parsed) {
    if (typeof f !== 'object' || f === null || typeof f.key !== 'string')
      return { error: 'Invalid filter' }
    // A dotted metadata key (`metadata.run_id`) is a 400 (third parties' probes); so is any key outside LogFilter's enum.
    if (!FILTER_KEYS.has(f.key))
      return { error: `Invalid filter key: ${f.key}` }
    if (!FILTER_OPERATORS.has(f.operator))
      return { error: `Invalid filter operator: ${f.operator}` }
    if (!Array.isArray(f.value))
      return { error: 'Invalid filter value: expected an array' }
    if (
      f.key === 'created_at' &&
      f.value.some((v) => Number.isNaN(Date.parse(String(v))))
    ) {
      return { error: 'Invalid filter value: expected a date' }
    }
  }
  return { filters: parsed }
}

/** Cloudflare's v4 failure envelope; 7001 is what the list answers to a per_page over 50 (third parties' probes). */
function badRequest(res, message) {
  sendJson(res, 400, {
    success: false,
    errors: [{ code: 7001, message }],
    messages: [],
    result: null
  })
}

function sendJson(res, status, body, headers = {}) {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers
  })
  res.end(text)
}

/**
 * Starts the stand-in. Options: `runs` (addRun options to register at start), `listDelayMs` (each list
 * request waits this long before it is answered, as a slow API would). Scenarios, by log id (any id
 * not listed is a 404, so a test can name a log that never appears; a log registered with addRun or
 * addLogs is served by its id, once visible):
 * - a SAMPLE_LOGS key: that log; `huge-head`, `big-answer-<shape>`, `too-big`: see bigLog();
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
 *   controls, and an emoji across the 500-character cut;
 * - `upgrade-101`: a 101 Switching Protocols to websocket, every time; `upgrade-101-once-<name>`: once,
 *   then the sample;
 * - `redirect`: a 301 to another host, with a token in its query.
 * `loggingState` is the `result` of the logging-state endpoint (LOGGING_STATES), or null for a 404.
 */
export async function startStandIn({
  port = 0,
  token = DEMO_TOKEN,
  logs = SAMPLE_LOGS,
  githubAccounts = Object.values(GITHUB_ACCOUNTS),
  runs = [],
  listDelayMs = 0,
  loggingState = LOGGING_STATES.legacy
} = {}) {
  const requests = []
  /** Registered logs, by gateway: { log (all 25 fields), visibleAtMs }. */
  const gatewayLogs = new Map()
  /** Faults to answer list requests with, by page: { status, retryAfterS, times }. */
  const listFaults = new Map()
  const delayed = new Set()
  let logCounter = 0
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
      const viaProxy = /^https?:/.test(req.url ?? '')
      requests.push({
        method: req.method,
        path: url.pathname,
        query: url.search,
        timeMs: Date.now(),
        viaProxy
      })
      if (LIST_RE.test(url.pathname) && listDelayMs > 0) {
        const timer = setTimeout(() => {
          delayed.delete(timer)
          cloudflare(req, res, url)
        }, listDelayMs)
        delayed.add(timer)
        return
      }
      if (url.pathname.startsWith('/client/v4/'))
        return cloudflare(req, res, url)
      if (url.pathname.startsWith('/github/')) return github(req, res, url, raw)
      sendJson(res, 404, { message: 'no such endpoint in the stand-in' })
    })
  })

  function cloudflare(req, res, url) {
    const list = LIST_RE.exec(url.pathname)
    if (list && req.method === 'GET') {
      if (req.headers.authorization !== `Bearer ${token}`) {
        return sendJson(res, 403, {
          success: false,
          errors: [{ code: 10000, message: 'Authentication error' }]
        })
      }
      return listLogs(res, url, decodeURIComponent(list[2]))
    }
    const noRoute = {
      success: false,
      errors: [{ code: 7003, message: 'No route for the URI' }]
    }
    const m =
      /^\/client\/v4\/accounts\/([^/]+)\/ai-gateway\/gateways\/([^/]+)\/logs\/([^/]+)$/.exec(
        url.pathname
      )
    const state =
      /^\/client\/v4\/accounts\/([^/]+)\/ai-gateway\/logging-state$/.exec(
        url.pathname
      )
    if ((!m && !state) || req.method !== 'GET')
      return sendJson(res, 404, noRoute)
    if (req.headers.authorization !== `Bearer ${token}`) {
      return sendJson(res, 403, {
        success: false,
        errors: [{ code: 10000, message: 'Authentication error' }]
      })
    }
    if (state)
      return loggingState === null
        ? sendJson(res, 404, noRoute)
        : sendJson(res, 200, {
            success: true,
            errors: [],
            messages: [],
            result: loggingState
          })
    const id = decodeURIComponent(m[3])
    const registered = (gatewayLogs.get(decodeURIComponent(m[2])) ?? []).find(
      (entry) => entry.log.id === id
    )
    if (registered) {
      return Date.now() >= registered.visibleAtMs
        ? sendJson(res, 200, {
            success: true,
            errors: [],
            messages: [],
            result: { ...registered.log }
          })
        : sendJson(res, 404, notFound)
    }
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
        result: { ...base, cost: `${'c'.repeat(30)}${sentToken}`, id }
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

  // GitHub, under /github (the action's GITHUB_API_URL): the REST issue-comment endpoints and the
  // GraphQL `viewer` query, answering as GitHub documents them. Like GitHub, it lets any token with
  // write access edit or delete anyone's comment: telling its own comment apart is the action's job.
  let githubFault
  let commentHtmlUrl
  /** GitHub Actions workflows and their runs (listWorkflowRuns), and a raw answer that replaces the real one. */
  const workflows = []
  const workflowRuns = []
  let workflowRunsBody
  const accountOf = (authorization) =>
    githubAccounts.find(
      (a) =>
        authorization === `token ${a.token}` ||
        authorization === `Bearer ${a.token}`
    )

  /**
   * The list endpoint: only the JSON `filters` parameter filters; per_page 1..50 (default 20), page
   * from 1, order_by created_at (or another LogListItem enum value), order_by_direction desc by default;
   * result_info has page, per_page, count and total_count (no total_pages); rows have the 19 list
   * fields; a gateway with no logs (an unknown one) is a 200 with total_count 0; logs not yet visible
   * (late) are neither listed nor counted.
   */
  function listLogs(res, url, gateway) {
    const q = url.searchParams
    const whole = (name, fallback) => {
      const raw = q.get(name)
      return raw === null ? fallback : /^\d+$/.test(raw) ? Number(raw) : NaN
    }
    const perPage = whole('per_page', 20)
    if (!(perPage >= 1 && perPage <= MAX_PER_PAGE))
      return badRequest(res, `per_page must be between 1 and ${MAX_PER_PAGE}`)
    const page = whole('page', 1)
    if (!(page >= 1)) return badRequest(res, 'page must be 1 or more')
    const orderBy = q.get('order_by') ?? 'created_at'
    if (!ORDER_BY.has(orderBy))
      return badRequest(res, `Invalid order_by: ${orderBy}`)
    const direction = q.get('order_by_direction') ?? 'desc'
    if (direction !== 'asc' && direction !== 'desc')
      return badRequest(res, `Invalid order_by_direction: ${direction}`)
    const { filters, error } = readFilters(q)
    if (error) return badRequest(res, error)

    const fault = listFaults.get(page)
    if (fault && fault.times > 0) {
      fault.times--
      if (fault.status === 429) {
        // The 429 the detail endpoint's scenario answers with: code 971 and a Retry-After.
        const body = {
          success: false,
          errors: [
            {
              code: 971,
              message: 'Please wait and consider throttling your request speed'
            }
          ]
        }
        return sendJson(res, 429, body, {
          'retry-after': String(fault.retryAfterS)
        })
      }
      res.writeHead(fault.status, { 'content-type': 'text/html' })
      return res.end(html503)
    }

    const nowMs = Date.now()
    const key = (log) =>
      orderBy === 'created_at'
        ? Date.parse(log.created_at)
        : String(log[orderBy])
    const sign = direction === 'asc' ? 1 : -1
    const matching = (gatewayLogs.get(gateway) ?? [])
      .filter(
        (entry) =>
          nowMs >= entry.visibleAtMs &&
          filters.every((f) => passes(entry.log, f))
      )
      .map((entry) => entry.log)
      // Ties (several calls in one millisecond) in id order, so that pages never overlap.
      .sort(
        (a, b) =>
          sign *
          (key(a) < key(b)
            ? -1
            : key(a) > key(b)
              ? 1
              : a.id < b.id
                ? -1
                : a.id > b.id
                  ? 1
                  : 0)
      )
    const rows = matching
      .slice((page - 1) * perPage, page * perPage)
      .map(listRow)
    sendJson(res, 200, {
      success: true,
      errors: [],
      messages: [],
      result: rows,
      result_info: {
        page,
        per_page: perPage,
        count: rows.length,
        total_count: matching.length
      }
    })
  }

  /** Registers logs (all 25 fields, an `id` each) in a gateway, listed and served once `visibleAfterMs` has passed. */
  function addLogs(
    newLogs,
    { gateway = DEMO_GATEWAY, visibleAfterMs = 0 } = {}
  ) {
    const entries = gatewayLogs.get(gateway) ?? []
    gatewayLogs.set(gateway, entries)
    const visibleAtMs = Date.now() + visibleAfterMs
    for (const log of newLogs) entries.push({ log, visibleAtMs })
    return newLogs
  }

  /**
   * Registers a run: `calls` calls whose cf-aig-metadata holds `key: runId` (plus `metadata`), made
   * `spacingMs` apart from `startMs` (default: just long enough ago to end a second before now).
   * `failed`, `withoutCost` and `late` are a count (spread over the run) or a list of call indices:
   * failed calls have success false and status 500; calls without cost have no `cost` field (the
   * API leaves it out when unknown); late calls are listed and served only `lateMs` after this call,
   * though their created_at lies within the run. Returns the run's logs, all 25 fields each.
   */
  function addRun({
    runId,
    key = 'run_id',
    calls = 10,
    gateway = DEMO_GATEWAY,
    failed = 0,
    withoutCost = 0,
    late = 0,
    lateMs = 3000,
    spacingMs = 100,
    startMs = Date.now() - calls * spacingMs - 1000,
    metadata = {},
    models = RUN_MODELS
  }) {
    if (typeof runId !== 'string' || runId === '')
      throw new Error('addRun needs a runId')
    const failedSet = pick(failed, calls)
    const costless = pick(withoutCost, calls)
    const lateSet = pick(late, calls)
    const next = random(`${key}/${runId}`)
    const runLogs = []
    for (let i = 0; i < calls; i++) {
      const createdMs = startMs + i * spacingMs
      const model = models[Math.floor(next() * models.length)]
      const tokensIn = 100 + Math.floor(next() * 2900)
      const tokensOut = 20 + Math.floor(next() * 780)
      const duration = 200 + Math.floor(next() * 3800)
      const log = {
        id: ulid(createdMs, ++logCounter),
        ...base,
        created_at: new Date(createdMs).toISOString(),
        provider: model.provider,
        model: model.model,
        success: !failedSet.has(i),
        status_code: failedSet.has(i) ? 500 : 200,
        duration,
        tokens_in: tokensIn,
        tokens_out: tokensOut,
        // Rounded to 10 decimals, as a price list would give it, so the JSON carries a plain decimal.
        cost: costless.has(i)
          ? undefined
          : Number(
              (tokensIn * model.inUsd + tokensOut * model.outUsd).toFixed(10)
            ),
        metadata: JSON.stringify({ [key]: runId, ...metadata }),
        request_head: '{"content-type":"application/json"}'
      }
      if (log.cost === undefined) delete log.cost
      runLogs.push(log)
    }
    addLogs(
      runLogs.filter((_, i) => !lateSet.has(i)),
      { gateway }
    )
    addLogs(
      runLogs.filter((_, i) => lateSet.has(i)),
      { gateway, visibleAfterMs: lateMs }
    )
    return runLogs
  }

  for (const run of runs) addRun(run)

  // GitHub: /github/repos/{owner}/{repo}/issues/{n}/comments and /github/repos/{owner}/{repo}/issues/comments/{id}
  function github(req, res, url, raw) {
    if (githubFault)
      return sendJson(res, githubFault.status, {
        message: githubFault.message,
        documentation_url: 'https://docs.github.com/rest'
      })
    const account = accountOf(req.headers.authorization)
    // GitHub's answer to a token it does not know (REST and GraphQL alike).
    if (!account)
      return sendJson(res, 401, {
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
        status: '401'
      })
    if (url.pathname === '/github/graphql' && req.method === 'POST')
      return sendJson(res, 200, graphql(account, raw))
    const runsPath =
      /^\/github\/repos\/([^/]+)\/([^/]+)\/actions\/workflows\/([^/]+)\/runs$/.exec(
        url.pathname
      )
    if (runsPath && req.method === 'GET')
      return listWorkflowRuns(
        res,
        url,
        `${runsPath[1]}/${runsPath[2]}`,
        decodeURIComponent(runsPath[3])
      )
    let m
    if (
      (m = /^\/github\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(
        url.pathname
      ))
    ) {
      const repo = `${m[1]}/${m[2]}`
      const issue = Number(m[3])
      if (req.method === 'GET') {
        // GitHub's default page size is 30 and its largest 100; oldest first.
        const perPage = Math.min(
          Number(url.searchParams.get('per_page') ?? 30),
          100
        )
        const page = Number(url.searchParams.get('page') ?? 1)
        const all = comments.filter((c) => c.repo === repo && c.issue === issue)
        return sendJson(
          res,
          200,
          all.slice((page - 1) * perPage, page * perPage).map(view)
        )
      }
      if (req.method === 'POST') {
        const body = JSON.parse(raw).body
        if (typeof body === 'string' && body.length > 65_536)
          return sendJson(res, 422, tooLong)
        const comment = {
          id: nextCommentId++,
          repo,
          issue,
          body,
          user: account
        }
        comments.push(comment)
        return sendJson(res, 201, view(comment))
      }
    }
    if (
      (m = /^\/github\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(
        url.pathname
      ))
    ) {
      const index = comments.findIndex(
        (c) => c.repo === `${m[1]}/${m[2]}` && c.id === Number(m[3])
      )
      if (index < 0)
        return sendJson(res, 404, {
          message: 'Not Found',
          documentation_url: 'https://docs.github.com/rest',
          status: '404'
        })
      if (req.method === 'PATCH') {
        const body = JSON.parse(raw).body
        if (typeof body === 'string' && body.length > 65_536)
          return sendJson(res, 422, tooLong)
        comments[index].body = body
        return sendJson(res, 200, view(comments[index]))
      }
      if (req.method === 'DELETE') {
        comments.splice(index, 1)
        res.writeHead(204)
        return res.end()
      }
    }
    sendJson(res, 404, {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest',
      status: '404'
    })
  }

  /**
   * GitHub's "List workflow runs for a workflow", `GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs`
   * (https://docs.github.com/rest/actions/workflow-runs#list-workflow-runs-for-a-workflow; the parameters
   * as github/rest-api-docs-md lists them, the answer as the `workflow-run` schema of
   * github/rest-api-description gives it): `workflow_id` is the workflow's id or its file name; `branch`
   * matches head_branch; `status` matches a run's status or its conclusion (`success` is a conclusion);
   * `event` the triggering event; per_page 30 by default and at most 100; newest first;
   * `exclude_pull_requests=true` empties each run's pull_requests. A workflow GitHub does not know is a
   * 404; a known one with no matching run is a 200 with `total_count: 0`.
   */
  function listWorkflowRuns(res, url, repo, workflowId) {
    const q = url.searchParams
    const known = workflows.find(
      (w) =>
        w.repo === repo &&
        (w.file === workflowId || String(w.id) === workflowId)
    )
    if (!known) {
      const documentation =
        'https://docs.github.com/rest/actions/workflow-runs#list-workflow-runs-for-a-workflow'
      return sendJson(res, 404, {
        message: 'Not Found',
        documentation_url: documentation,
        status: '404'
      })
    }
    if (workflowRunsBody !== undefined) {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
      return res.end(workflowRunsBody)
    }
    const perPage = Math.min(Number(q.get('per_page') ?? 30) || 30, 100)
    const page = Math.max(Number(q.get('page') ?? 1) || 1, 1)
    const matching = workflowRuns
      .filter((r) => r.workflow === known)
      .filter((r) => !q.has('branch') || r.head_branch === q.get('branch'))
      .filter(
        (r) =>
          !q.has('status') ||
          r.status === q.get('status') ||
          r.conclusion === q.get('status')
      )
      .filter((r) => !q.has('event') || r.event === q.get('event'))
      .sort((a, b) =>
        a.created_at < b.created_at
          ? 1
          : a.created_at > b.created_at
            ? -1
            : b.id - a.id
      )
    const excludePullRequests = q.get('exclude_pull_requests') === 'true'
    const runs = matching
      .slice((page - 1) * perPage, page * perPage)
      .map((r) => workflowRunView(r, excludePullRequests))
    sendJson(res, 200, { total_count: matching.length, workflow_runs: runs })
  }

  /** A workflow run as the `workflow-run` schema has it (the nested actor, head_commit and repositories trimmed to a few fields). */
  function workflowRunView(r, excludePullRequests) {
    const api = `https://api.github.com/repos/${r.workflow.repo}`
    const [owner, name] = r.workflow.repo.split('/')
    const repository = {
      id: 1296269,
      node_id: 'MDEwOlJlcG9zaXRvcnkxMjk2MjY5',
      name,
      full_name: r.workflow.repo,
      owner: { login: owner, id: 1, type: 'Organization' },
      private: false,
      html_url: `https://github.com/${r.workflow.repo}`
    }
    return {
      id: r.id,
      name: r.workflow.name,
      node_id: Buffer.from(`010:WorkflowRun${r.id}`).toString('base64'),
      check_suite_id: r.id + 1,
      check_suite_node_id: Buffer.from(`010:CheckSuite${r.id + 1}`).toString(
        'base64'
      ),
      head_branch: r.head_branch,
      head_sha: r.head_sha,
      path: `.github/workflows/${r.workflow.file}`,
      display_title: r.display_title,
      run_number: r.run_number,
      event: r.event,
      status: r.status,
      conclusion: r.conclusion,
      workflow_id: r.workflow.id,
      url: `${api}/actions/runs/${r.id}`,
      html_url:
        r.html_url ??
        `https://github.com/${r.workflow.repo}/actions/runs/${r.id}`,
      pull_requests: excludePullRequests ? [] : r.pull_requests,
      created_at: r.created_at,
      updated_at: r.created_at,
      actor: restUser(GITHUB_ACCOUNTS.personal),
      run_attempt: r.run_attempt,
      referenced_workflows: [],
      run_started_at: r.created_at,
      triggering_actor: restUser(GITHUB_ACCOUNTS.personal),
      jobs_url: `${api}/actions/runs/${r.id}/jobs`,
      logs_url: `${api}/actions/runs/${r.id}/logs`,
      check_suite_url: `${api}/check-suites/${r.id + 1}`,
      artifacts_url: `${api}/actions/runs/${r.id}/artifacts`,
      cancel_url: `${api}/actions/runs/${r.id}/cancel`,
      rerun_url: `${api}/actions/runs/${r.id}/rerun`,
      previous_attempt_url:
        r.run_attempt > 1
          ? `${api}/actions/runs/${r.id}/attempts/${r.run_attempt - 1}`
          : null,
      workflow_url: `${api}/actions/workflows/${r.workflow.id}`,
      head_commit: {
        id: r.head_sha,
        tree_id: r.head_sha,
        message: r.display_title,
        timestamp: r.created_at
      },
      repository,
      head_repository: repository
    }
  }

  /**
   * Registers a run of a workflow (the workflow too, the first time): `conclusion` null while it runs.
   * Fields not given take the values of a successful push to main.
   */
  function addWorkflowRun({
    repo = 'o/r',
    workflow = 'eval.yml',
    id,
    attempt = 1,
    branch = 'main',
    sha = 'a'.repeat(40),
    event = 'push',
    status = 'completed',
    conclusion = 'success',
    createdAt = new Date().toISOString(),
    htmlUrl
  }) {
    const known = addWorkflow(workflow, repo)
    const run = {
      workflow: known,
      id,
      run_attempt: attempt,
      head_branch: branch,
      head_sha: sha,
      event,
      status,
      conclusion,
      created_at: createdAt,
      run_number: workflowRuns.length + 1,
      display_title: `Run ${id}`,
      pull_requests: [],
      html_url: htmlUrl
    }
    workflowRuns.push(run)
    return run
  }

  /** Registers a workflow file of a repository (GitHub knows it even before it has runs). */
  function addWorkflow(file, repo = 'o/r') {
    let known = workflows.find((w) => w.repo === repo && w.file === file)
    if (!known) {
      known = {
        repo,
        file,
        id: 161335 + workflows.length,
        name: file.replace(/\.ya?ml$/, '')
      }
      workflows.push(known)
    }
    return known
  }

  // GraphQL: only `viewer`, with the fields GitHub's schema gives it. The schema declares
  // `viewer: User!` and `User.databaseId: Int`, so `__typename` is "User" for every kind of token,
  // an installation token's bot included, and its login keeps the `[bot]` suffix.
  function graphql(account, raw) {
    const query = String(JSON.parse(raw || '{}').query ?? '')
    const selection = /\bviewer\s*\{([^{}]*)\}/.exec(query)
    if (!selection)
      return {
        errors: [{ message: 'The stand-in answers only the viewer query' }]
      }
    const fields = {
      __typename: 'User',
      login: account.login,
      databaseId: account.id,
      id: nodeId(account)
    }
    const viewer = {}
    for (const name of selection[1].split(/[\s,]+/).filter(Boolean)) {
      if (!(name in fields)) {
        // GitHub's answer to a field the type does not have (HTTP 200, an `errors` list, no data).
        const extensions = {
          code: 'undefinedField',
          typeName: 'User',
          fieldName: name
        }
        return {
          errors: [
            {
              path: ['query', 'viewer', name],
              extensions,
              message: `Field '${name}' doesn't exist on type 'User'`
            }
          ]
        }
      }
      viewer[name] = fields[name]
    }
    return { data: { viewer } }
  }

  const nodeId = (account) =>
    Buffer.from(
      `${account.type === 'Bot' ? '03:Bot' : '04:User'}${account.id}`
    ).toString('base64')
  // REST: a comment's `user` is a simple-user (the issue-comment schema); a bot's html_url is its App's page.
  const restUser = (account) => ({
    login: account.login,
    id: account.id,
    node_id: nodeId(account),
    avatar_url: `https://avatars.githubusercontent.com/u/${account.id}?v=4`,
    url: `https://api.github.com/users/${encodeURIComponent(account.login)}`,
    html_url:
      account.type === 'Bot'
        ? `https://github.com/apps/${account.login.replace(/\[bot\]$/, '')}`
        : `https://github.com/${account.login}`,
    type: account.type,
    site_admin: false
  })
  const view = (c) => ({
    url: `https://api.github.com/repos/${c.repo}/issues/comments/${c.id}`,
    html_url:
      commentHtmlUrl ??
      `https://github.com/${c.repo}/pull/${c.issue}#issuecomment-${c.id}`,
    issue_url: `https://api.github.com/repos/${c.repo}/issues/${c.issue}`,
    id: c.id,
    node_id: Buffer.from(`012:IssueComment${c.id}`).toString('base64'),
    user: restUser(c.user),
    created_at: '2026-11-25T09:31:00Z',
    updated_at: '2026-11-25T09:31:00Z',
    author_association: 'NONE',
    body: c.body
  })
  // GitHub's answer to a body over 65,536 characters.
  const tooLong = {
    message: 'Validation Failed',
    errors: [
      {
        resource: 'IssueComment',
        code: 'custom',
        field: 'body',
        message: 'body is too long (maximum is 65536 characters)'
      }
    ],
    documentation_url:
      'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
    status: '422'
  }

  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve))
  const { port: actualPort } = server.address()
  const origin = `http://127.0.0.1:${actualPort}`
  return {
    origin,
    apiUrl: `${origin}/client/v4`,
    githubApiUrl: `${origin}/github`,
    /** GITHUB_TOKEN's stand-in (github-actions[bot]). */
    githubToken: GITHUB_ACCOUNTS.actions.token,
    githubAccounts,
    token,
    requests,
    comments,
    /** Adds a comment as any account (a person, another App's bot, a look-alike) to the PR `repo`#`issue`. */
    addComment(issue, body, user, repo = 'o/r') {
      const comment = { id: nextCommentId++, repo, issue, body, user }
      comments.push(comment)
      return comment
    },
    /** From now on every comment's html_url is `url` (a hostile server's answer); undefined: GitHub's own. */
    setCommentHtmlUrl(url) {
      commentHtmlUrl = url
    },
    /** From now on every GitHub request gets this error status and message; undefined: answer normally. */
    setGithubFault(fault) {
      githubFault = fault
    },
    /** Requests made to the GitHub endpoints. */
    githubRequests: () => requests.filter((r) => r.path.startsWith('/github/')),
    /** Requests made to the Cloudflare log endpoint. */
    logRequests: () => requests.filter((r) => r.path.startsWith('/client/v4/')),
    /** Requests made to the Cloudflare list endpoint. */
    listRequests: () => requests.filter((r) => LIST_RE.test(r.path)),
    addRun,
    addLogs,
    addWorkflow,
    addWorkflowRun,
    /** From now on the runs list answers this text (a hostile or broken server); undefined: the real answer. */
    setWorkflowRunsBody(body) {
      workflowRunsBody = body
    },
    /** The next `times` list requests for `page` (any gateway) are answered with `status`: 429 with Retry-After, or a 5xx HTML page. */
    failListPage(page, { status = 429, retryAfterS = 1, times = 1 } = {}) {
      listFaults.set(page, { status, retryAfterS, times })
    },
    /** Every list request from now on waits this long before it is answered. */
    setListDelay(ms) {
      listDelayMs = ms
    },
    async close() {
      for (const timer of delayed) clearTimeout(timer)
      for (const res of hung) res.destroy()
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  }
}

// `node scripts/stand-in.mjs [port]`: serve until stopped.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const standIn = await startStandIn({ port: Number(process.argv[2] ?? 8787) })
  console.log(
    `Cloudflare API stand-in: ${standIn.apiUrl} (token ${standIn.token})`
  )
  console.log(`GitHub API stand-in:     ${standIn.githubApiUrl}`)
  for (const a of standIn.githubAccounts)
    console.log(`  token ${a.token} acts as ${a.login} (id ${a.id}, ${a.type})`)
  console.log(`Sample log ids: ${Object.keys(SAMPLE_LOGS).join(', ')}`)
}
