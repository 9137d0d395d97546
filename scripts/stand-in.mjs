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

/**
 * GitHub accounts the stand-in knows, one per token kind, each with the token that acts as it. GitHub
 * names an account by its numeric id (REST `user.id`, GraphQL `databaseId`), the same number in both.
 */
export const GITHUB_ACCOUNTS = {
  // GITHUB_TOKEN: an installation token of the GitHub Actions app. Its bot account is
  // github-actions[bot], id 41898282 (https://api.github.com/users/github-actions%5Bbot%5D).
  actions: { token: 'ghs_demo-github-token', login: 'github-actions[bot]', id: 41898282, type: 'Bot' },
  // An installation token of another GitHub App, "my-app": its own bot account, `my-app[bot]`.
  app: { token: 'ghs_demo-my-app-installation-token', login: 'my-app[bot]', id: 150123456, type: 'Bot' },
  // A personal access token: the person's own account.
  personal: { token: 'github_pat_demo-personal-access-token', login: 'octo-dev', id: 5837461, type: 'User' }
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
  'null-duration': { ...base, duration: null }
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
 * - `rate-limited-long`: 429 with Retry-After: 300.
 */
export async function startStandIn({ port = 0, token = DEMO_TOKEN, logs = SAMPLE_LOGS, githubAccounts = Object.values(GITHUB_ACCOUNTS) } = {}) {
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

  // GitHub, under /github (the action's GITHUB_API_URL): the REST issue-comment endpoints and the
  // GraphQL `viewer` query, answering as GitHub documents them. Like GitHub, it lets any token with
  // write access edit or delete anyone's comment: telling its own comment apart is the action's job.
  let githubFault
  let commentHtmlUrl
  const accountOf = (authorization) => githubAccounts.find((a) => authorization === `token ${a.token}` || authorization === `Bearer ${a.token}`)

  function github(req, res, url, raw) {
    if (githubFault) return sendJson(res, githubFault.status, { message: githubFault.message, documentation_url: 'https://docs.github.com/rest' })
    const account = accountOf(req.headers.authorization)
    // GitHub's answer to a token it does not know (REST and GraphQL alike).
    if (!account) return sendJson(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' })
    if (url.pathname === '/github/graphql' && req.method === 'POST') return sendJson(res, 200, graphql(account, raw))
    let m
    if ((m = /^\/github\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname))) {
      const repo = `${m[1]}/${m[2]}`
      const issue = Number(m[3])
      if (req.method === 'GET') {
        // GitHub's default page size is 30 and its largest 100; oldest first.
        const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100)
        const page = Number(url.searchParams.get('page') ?? 1)
        const all = comments.filter((c) => c.repo === repo && c.issue === issue)
        return sendJson(res, 200, all.slice((page - 1) * perPage, page * perPage).map(view))
      }
      if (req.method === 'POST') {
        const body = JSON.parse(raw).body
        if (typeof body === 'string' && body.length > 65_536) return sendJson(res, 422, tooLong)
        const comment = { id: nextCommentId++, repo, issue, body, user: account }
        comments.push(comment)
        return sendJson(res, 201, view(comment))
      }
    }
    if ((m = /^\/github\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(url.pathname))) {
      const index = comments.findIndex((c) => c.repo === `${m[1]}/${m[2]}` && c.id === Number(m[3]))
      if (index < 0) return sendJson(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' })
      if (req.method === 'PATCH') {
        const body = JSON.parse(raw).body
        if (typeof body === 'string' && body.length > 65_536) return sendJson(res, 422, tooLong)
        comments[index].body = body
        return sendJson(res, 200, view(comments[index]))
      }
      if (req.method === 'DELETE') {
        comments.splice(index, 1)
        res.writeHead(204)
        return res.end()
      }
    }
    sendJson(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' })
  }

  // GraphQL: only `viewer`, with the fields GitHub's schema gives it. The schema declares
  // `viewer: User!` and `User.databaseId: Int`, so `__typename` is "User" for every kind of token,
  // an installation token's bot included, and its login keeps the `[bot]` suffix.
  function graphql(account, raw) {
    const query = String(JSON.parse(raw || '{}').query ?? '')
    const selection = /\bviewer\s*\{([^{}]*)\}/.exec(query)
    if (!selection) return { errors: [{ message: 'The stand-in answers only the viewer query' }] }
    const fields = { __typename: 'User', login: account.login, databaseId: account.id, id: nodeId(account) }
    const viewer = {}
    for (const name of selection[1].split(/[\s,]+/).filter(Boolean)) {
      if (!(name in fields)) {
        // GitHub's answer to a field the type does not have (HTTP 200, an `errors` list, no data).
        const extensions = { code: 'undefinedField', typeName: 'User', fieldName: name }
        return { errors: [{ path: ['query', 'viewer', name], extensions, message: `Field '${name}' doesn't exist on type 'User'` }] }
      }
      viewer[name] = fields[name]
    }
    return { data: { viewer } }
  }

  const nodeId = (account) => Buffer.from(`${account.type === 'Bot' ? '03:Bot' : '04:User'}${account.id}`).toString('base64')
  // REST: a comment's `user` is a simple-user (the issue-comment schema); a bot's html_url is its App's page.
  const restUser = (account) => ({
    login: account.login,
    id: account.id,
    node_id: nodeId(account),
    avatar_url: `https://avatars.githubusercontent.com/u/${account.id}?v=4`,
    url: `https://api.github.com/users/${encodeURIComponent(account.login)}`,
    html_url: account.type === 'Bot' ? `https://github.com/apps/${account.login.replace(/\[bot\]$/, '')}` : `https://github.com/${account.login}`,
    type: account.type,
    site_admin: false
  })
  const view = (c) => ({
    url: `https://api.github.com/repos/${c.repo}/issues/comments/${c.id}`,
    html_url: commentHtmlUrl ?? `https://github.com/${c.repo}/pull/${c.issue}#issuecomment-${c.id}`,
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
    errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }],
    documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
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
  console.log(`GitHub API stand-in:     ${standIn.githubApiUrl}`)
  for (const a of standIn.githubAccounts) console.log(`  token ${a.token} acts as ${a.login} (id ${a.id}, ${a.type})`)
  console.log(`Sample log ids: ${Object.keys(SAMPLE_LOGS).join(', ')}`)
}
