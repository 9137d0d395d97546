// A local stand-in for the two APIs the action talks to, on 127.0.0.1 only:
// - Cloudflare's `GET /accounts/{account}/ai-gateway/gateways/{gateway}/logs/{id}` (under /client/v4),
//   serving sample logs and fault scenarios chosen by the log id;
// - Cloudflare's list endpoint `GET /accounts/{account}/ai-gateway/gateways/{gateway}/logs`, serving
//   runs of calls registered with `addRun` / `addLogs`;
// - GitHub's issue-comment endpoints and the GraphQL `viewer` query, for the PR comment;
// - GitHub's list of a workflow's runs, for the base branch's last successful run (a baseline);
// - Cloudflare's GraphQL Analytics API, `POST /client/v4/graphql`, for the AI Gateway dataset over
//   gateways of generated calls registered with `addAnalyticsGateway` (a million calls, none stored);
// - the gateway itself (Workers AI through the gateway's `workers-ai` provider, under /gateway/v1),
//   which logs each call: what the contract suite's `--seed` calls (scripts/contract.mjs).
// Used by `npm run demo`, `npm run bench` and the end-to-end tests. Plain JavaScript so that it runs
// without a build. Run it alone with `node scripts/stand-in.mjs` to point a local action at it.
// This file starts the server and routes by prefix; each API lives in scripts/stand-in/:
// cloudflare.mjs (routes, log detail, logging state, the log store), cloudflare-list.mjs (the list
// endpoint and its sources), cloudflare-runs.mjs (a run's logs), cloudflare-samples.mjs (sample logs),
// cloudflare-scenarios.mjs (answers chosen by log id, faults included), cloudflare-gateway.mjs (calls
// through the gateway, logged), github.mjs (GitHub's API).
import http from 'node:http'
import { pathToFileURL } from 'node:url'
import { createCloudflare } from './stand-in/cloudflare.mjs'
import { createGateway } from './stand-in/cloudflare-gateway.mjs'
import { LIST_RE } from './stand-in/cloudflare-list.mjs'
import {
  DEMO_TOKEN,
  LOGGING_STATES,
  SAMPLE_LOGS
} from './stand-in/cloudflare-samples.mjs'
import { createGitHub, GITHUB_ACCOUNTS } from './stand-in/github.mjs'
import { sendJson } from './stand-in/send-json.mjs'

export { RUN_MODELS } from './stand-in/cloudflare-runs.mjs'
export {
  ANALYTICS_MODELS,
  callAt,
  exactAnalytics
} from './stand-in/cloudflare-analytics-calls.mjs'
export { ANALYTICS_ASSUMPTIONS } from './stand-in/cloudflare-analytics-assumptions.mjs'
export {
  DEMO_ACCOUNT,
  DEMO_GATEWAY,
  DEMO_TOKEN,
  LOGGING_STATES,
  SAMPLE_LOGS
} from './stand-in/cloudflare-samples.mjs'
export { GITHUB_ACCOUNTS, GITHUB_LOGIN } from './stand-in/github.mjs'

/**
 * Starts the stand-in. Options: `runs` (addRun options to register at start), `listDelayMs` (each list
 * request waits this long before it is answered, as a slow API would). Log ids are answered as
 * stand-in/cloudflare-scenarios.mjs lists (any id not listed is a 404, so a test can name a log that
 * never appears; a log registered with addRun or addLogs is served by its id, once visible).
 * `loggingState` is the `result` of the logging-state endpoint (LOGGING_STATES), or null for a 404.
 * `gatewayUpstreamMs`: how long a call through the gateway takes (see stand-in/cloudflare-gateway.mjs).
 * `analytics`: gateways of generated calls for the GraphQL Analytics API, by id (addAnalyticsGateway's options).
 */
export async function startStandIn({
  port = 0,
  token = DEMO_TOKEN,
  logs = SAMPLE_LOGS,
  githubAccounts = Object.values(GITHUB_ACCOUNTS),
  runs = [],
  listDelayMs = 0,
  loggingState = LOGGING_STATES.legacy,
  gatewayUpstreamMs = 40,
  analytics = {}
} = {}) {
  const requests = []
  const cloudflare = createCloudflare({
    token,
    logs,
    loggingState,
    listDelayMs,
    runs
  })
  for (const [id, options] of Object.entries(analytics))
    cloudflare.analytics.register(id, options)
  const github = createGitHub(githubAccounts)
  const gateway = createGateway({
    token,
    addLogs: cloudflare.addLogs,
    upstreamMs: gatewayUpstreamMs
  })

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
      if (url.pathname.startsWith('/client/v4/'))
        return cloudflare.handle(req, res, url, raw)
      if (url.pathname.startsWith('/github/'))
        return github.handle(req, res, url, raw)
      if (url.pathname.startsWith('/gateway/v1/'))
        return gateway.handle(req, res, url, raw)
      sendJson(res, 404, { message: 'no such endpoint in the stand-in' })
    })
  })

  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve))
  const { port: actualPort } = server.address()
  const origin = `http://127.0.0.1:${actualPort}`
  return {
    origin,
    apiUrl: `${origin}/client/v4`,
    githubApiUrl: `${origin}/github`,
    /** The gateway's own URL, as https://gateway.ai.cloudflare.com/v1 is for a real account. */
    gatewayUrl: `${origin}/gateway/v1`,
    /** GITHUB_TOKEN's stand-in (github-actions[bot]). */
    githubToken: GITHUB_ACCOUNTS.actions.token,
    githubAccounts,
    token,
    requests,
    comments: github.comments,
    addComment: github.addComment,
    setCommentHtmlUrl: github.setCommentHtmlUrl,
    setGithubFault: github.setGithubFault,
    /** Requests made to the GitHub endpoints. */
    githubRequests: () => requests.filter((r) => r.path.startsWith('/github/')),
    /** Requests made to the Cloudflare log endpoint. */
    logRequests: () => requests.filter((r) => r.path.startsWith('/client/v4/')),
    /** Requests made to the Cloudflare list endpoint. */
    listRequests: () => requests.filter((r) => LIST_RE.test(r.path)),
    addRun: cloudflare.addRun,
    addLogs: cloudflare.addLogs,
    addWorkflow: github.addWorkflow,
    addWorkflowRun: github.addWorkflowRun,
    setWorkflowRunsBody: github.setWorkflowRunsBody,
    failListPage: cloudflare.failListPage,
    setListDelay: cloudflare.setListDelay,
    setListQuirks: cloudflare.setListQuirks,
    setRateLimit: cloudflare.setRateLimit,
    rateLimited: cloudflare.rateLimited,
    /** Registers a gateway of generated calls for the GraphQL Analytics API (options: stand-in.d.mts, AnalyticsGatewayOptions). */
    addAnalyticsGateway: cloudflare.analytics.register,
    /** Requests made to the GraphQL Analytics endpoint. */
    graphqlRequests: () =>
      requests.filter((r) => r.path === '/client/v4/graphql'),
    /** The GraphQL queries whose filters named `gateway`. */
    analyticsQueryCount: cloudflare.analytics.queryCount,
    /** Every GraphQL query answered, with the gateways its filters named and whether it was answered with data. */
    analyticsQueries: cloudflare.analytics.queries,
    /** Refusals answer this HTTP status (200 by default; 400 as the docs' list of messages says). */
    setGraphqlRefusalStatus: cloudflare.analytics.setRefusalStatus,
    /** The GraphQL limit (300 queries per 5 minutes per user, then 429); null: none. */
    setGraphqlRateLimit: cloudflare.analytics.setRateLimit,
    async close() {
      cloudflare.stop()
      gateway.stop()
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
  console.log(`Gateway stand-in:        ${standIn.gatewayUrl}`)
  for (const a of standIn.githubAccounts)
    console.log(`  token ${a.token} acts as ${a.login} (id ${a.id}, ${a.type})`)
  console.log(`Sample log ids: ${Object.keys(SAMPLE_LOGS).join(', ')}`)
}
