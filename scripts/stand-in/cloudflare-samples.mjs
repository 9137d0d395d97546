// Cloudflare's side of the stand-in, its data: the demo account, gateway and token, the sample logs served
// by log id, and the answers of the logging-state endpoint.

export const DEMO_TOKEN = 'demo-token-0123456789'
export const DEMO_ACCOUNT = '0d37909e38d3e99c29fa2cd343ac421a'
export const DEMO_GATEWAY = 'my-gateway'

/** The fields every sample log starts from: a successful chat call, the log detail's fields but its id (served as the id asked for). */
export const BASE_LOG = {
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
  'cheap-call': { ...BASE_LOG },
  'expensive-call': {
    ...BASE_LOG,
    model: 'gpt-4o',
    duration: 9400,
    tokens_in: 24800,
    tokens_out: 3900,
    cost: 0.75,
    metadata: '{"eval":"long-context","commit":"4f2a9c1"}'
  },
  'failed-call': {
    ...BASE_LOG,
    success: false,
    status_code: 500,
    duration: 30012,
    tokens_in: null,
    tokens_out: null,
    cost: undefined,
    response_head: '{"content-type":"application/json"}'
  },
  'tiny-call': { ...BASE_LOG, cost: 0.0000004, tokens_in: 3, tokens_out: 1 },
  'hostile-call': {
    ...BASE_LOG,
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
  'string-cost': { ...BASE_LOG, cost: '0.0012' },
  'null-duration': { ...BASE_LOG, duration: null },
  // A request line of 300 KiB of `?` (the whole answer stays under the action's 512 KiB cap): a pattern
  // that backtracks over them takes minutes.
  'question-marks': {
    ...BASE_LOG,
    request_head: `GET /v1/chat/completions?${'?'.repeat(300 * 1024)} HTTP/1.1\r\nhost: api.openai.com`,
    response_head: `HTTP/1.1 200 OK\r\nLocation: https://api.example/${'&'.repeat(32 * 1024)}\r\nx-note: ${'='.repeat(32 * 1024)}`
  },
  // JSON nested deeper than JSON.stringify can write back (it throws a few thousand levels down).
  'deep-json': {
    ...BASE_LOG,
    request_head: `${'['.repeat(60_000)}${']'.repeat(60_000)}`,
    response_head: `{"x":${'{"y":'.repeat(20_000)}1${'}'.repeat(20_000)}}`,
    metadata: `{"eval":"deep","tree":${'['.repeat(40_000)}${']'.repeat(40_000)}}`
  },
  // Headers recorded as lists (Postman's {key, value}, {name, values}, {header, value}) and URLs
  // with credentials in header values and in the path (Google AI Studio puts the key in `?key=`).
  'list-head': {
    ...BASE_LOG,
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
    ...BASE_LOG,
    model: 'gpt-4o\u202e-inim\u202c',
    provider: 'open\u200bai\u2066',
    path: `${'p'.repeat(199)}😀/chat/completions`,
    metadata: JSON.stringify({
      'eval\u2067': `${'x'.repeat(199)}😀tail`,
      hidden: 'a\u{E0041}\u{E0042}\u200db'
    })
  },
  // Values no call can have; a broken or hostile API could still send them.
  'negative-cost': { ...BASE_LOG, cost: -5 },
  'negative-duration': { ...BASE_LOG, duration: -1000 },
  'negative-tokens': { ...BASE_LOG, tokens_in: -1 },
  'tiny-number': { ...BASE_LOG, cost: 1e-320 }
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
