// `npm run bench`: the action's cost per gate against its floor (issue #5).
// Starts the local stand-in of the Cloudflare API and runs, alternately, after a warm-up:
//   A: the built action (dist/index.js) as a runner runs it: a passing gate with max-cost and
//      max-duration set, the job summary on, no comment;
//   B: scripts/bench-floor.mjs: the same GET with global fetch and the same two comparisons;
//   C: scripts/bench-floor-http.mjs: the same GET over node:http, as the action makes it.
// Prints the median wall time of each, the medians of the A/B and A/C ratios taken run by run, the peak
// memory of A, the size of dist/, and the HTTP requests A made per gate.
// Then a run gate, against a second stand-in whose every list request takes 150 ms (a slow API):
//   D: the built action gating a run of 1000 calls with run-id and max-cost, settle '0' (no second
//      look after the read, so that only the read is timed);
//   E: scripts/bench-sequential-reader.mjs: the same pages with the same query, one after another over
//      node:http, stopping at the first short page, and the same totals.
// Prints the list requests D made per gate and the median of the D/E ratios taken run by run.
// Then the Cloudflare requests of one gate while late logs land on pages it already read, against a
// stand-in that limits requests as Cloudflare does (1200 per 5 minutes, then 429 with Retry-After 300):
//   F: a run of 5000 calls, 500 of them late by 1.5 s, with expected-logs 5000: it must pass within
//      the default request budget (300);
//   G: a run of 3000 calls whose 600 late logs land one by one over a minute: the budget must stop
//      the read before Cloudflare's limit refuses anything.
// Then the peak memory (max RSS) of the built action on its two many-answer paths (bench-memory.mjs):
//   H: a run of 10,000 calls read with max-logs 10000, each list row about 10 KB;
//   I: the sticky comment looked for among 50 pages of 100 comments of about 200 KB carrying our
//      marker, written by another account.
// Both must stay under the 150 MiB the README promises whatever the APIs send.
// Then the analytics source (issue #19), against a stand-in gateway of 1,000,000 calls generated over
// the 24 hours of a window that ended two hours ago, alternately after one warm-up run each:
//   J: the built action reading the whole window with `source: analytics` and a threshold on
//      duration.p95: its GraphQL queries (budget <= 10), its peak memory (max RSS, budget < 100 MiB),
//      and whether its count, errors, cached calls, cost and token sums and p95 duration equal
//      exactAnalytics (a plain loop and sort over the same generated calls) to the last digit;
//   K: the built action reading 5,000 calls of the same gateway in the same window with `source: logs`
//      and `max-logs: 5000` (the list endpoint's 50 a page).
// Prints J's queries by operation (Settings, Totals, Histogram pages, Models), its peak memory, the
// differences from exactAnalytics ("equal" when none), and the median of the J/K ratios taken run by
// run (a fifth as many runs as --runs, at least 3). The stand-in runs in this process and answers each
// GraphQL query by iterating the million calls (about 1 s a query): J's wall time is mostly the
// stand-in's, not the action's, and J/K says little about Cloudflare's own speed.
// Quote the ratios: machines differ and are noisy. Options: --runs N (default 15; the run gate takes
// a third as many, at least 5), --node PATH (default: the Node that runs this).
import { spawn } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import http from 'node:http'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  MEMORY_BUDGET_MIB,
  MEMORY_COMMENT_PAGES,
  MEMORY_ROW_BYTES,
  MEMORY_ROWS,
  measureComments,
  measureRows
} from './bench-memory.mjs'
import { runAction } from './run-action.mjs'
import {
  DEMO_ACCOUNT,
  DEMO_GATEWAY,
  exactAnalytics,
  startStandIn
} from './stand-in.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : fallback
}
const runs = Math.max(10, Number(arg('runs', 15)))
const node = arg('node', process.execPath)
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

const standIn = await startStandIn()
const inputs = {
  'api-token': standIn.token,
  'account-id': DEMO_ACCOUNT,
  'gateway-id': DEMO_GATEWAY,
  'log-id': 'cheap-call',
  'api-url': standIn.apiUrl,
  'max-cost': '0.05',
  'max-duration': '2000'
}

/** B, C or E: a baseline script, with the same inputs as environment variables. */
async function runFloor(script = 'bench-floor.mjs', scriptInputs = inputs) {
  const env = { PATH: process.env.PATH ?? '' }
  for (const [k, v] of Object.entries(scriptInputs))
    env[`INPUT_${k.toUpperCase()}`] = v
  const started = process.hrtime.bigint()
  const child = spawn(node, [join(here, script)], { env, stdio: 'ignore' })
  const code = await new Promise((resolve) => child.on('close', resolve))
  if (code !== 0) throw new Error(`the floor script exited ${code}`)
  return Number(process.hrtime.bigint() - started) / 1e6
}

async function runGate(extraEnv = {}) {
  const run = await runAction(inputs, { node, env: extraEnv })
  if (run.code !== 0 || run.outputs.result !== 'pass')
    throw new Error(
      `the action did not pass: exit ${run.code}\n${run.stdout}\n${run.stderr}`
    )
  return run
}

// The run gate's API: 1000 calls of one run (four failed), every list request answered after 150 ms.
const RUN_CALLS = 1000
const LIST_DELAY_MS = 150
const runStandIn = await startStandIn({
  listDelayMs: LIST_DELAY_MS,
  runs: [{ runId: 'gh-bench-1', calls: RUN_CALLS, failed: 4 }]
})
const runInputs = {
  'api-token': runStandIn.token,
  'account-id': DEMO_ACCOUNT,
  'gateway-id': DEMO_GATEWAY,
  'api-url': runStandIn.apiUrl,
  'run-id': 'gh-bench-1',
  'max-cost': '$10',
  'require-success': 'false',
  settle: '0'
}
const runGateRuns = Math.max(5, Math.round(runs / 3))

/** D: the action on the run; returns its wall time and the list requests it made. */
async function runRunGate() {
  const before = runStandIn.listRequests().length
  const run = await runAction(runInputs, { node })
  if (
    run.code !== 0 ||
    run.outputs.result !== 'pass' ||
    run.outputs.count !== String(RUN_CALLS)
  ) {
    throw new Error(
      `the run gate did not pass with ${RUN_CALLS} calls: exit ${run.code}, count ${run.outputs.count}\n${run.stdout}\n${run.stderr}`
    )
  }
  return {
    wallMs: run.wallMs,
    requests: runStandIn.listRequests().length - before
  }
}

/** E: the sequential reader on the same run. */
async function runSequentialReader() {
  const before = runStandIn.listRequests().length
  const wallMs = await runFloor('bench-sequential-reader.mjs', runInputs)
  return { wallMs, requests: runStandIn.listRequests().length - before }
}

// Late logs and the request budget: the Cloudflare requests a gate makes while logs land on pages it
// already read, counted by a stand-in that limits requests as Cloudflare does (1200 per 5 minutes).
const REQUEST_BUDGET = 300
const LATE_CALLS = 5000
const LATE_COUNT = 500
const TRICKLE_CALLS = 3000
const TRICKLE_SPREAD_MS = 60_000

/** F and G: one gate each, counting its Cloudflare requests. */
async function lateLogRequests() {
  const lateStandIn = await startStandIn()
  try {
    lateStandIn.setRateLimit({ limit: 1200 })
    const gateOn = async (runId, extra) => {
      const before = lateStandIn.logRequests().length
      const run = await runAction(
        {
          'api-token': lateStandIn.token,
          'account-id': DEMO_ACCOUNT,
          'gateway-id': DEMO_GATEWAY,
          'api-url': lateStandIn.apiUrl,
          'run-id': runId,
          'require-success': 'false',
          ...extra
        },
        { node }
      )
      return {
        result: run.outputs.result,
        requests: lateStandIn.logRequests().length - before,
        rateLimited: lateStandIn.rateLimited()
      }
    }
    // F: a tenth of the logs land 1.5 s late, spread over the run (their created_at among the others).
    lateStandIn.addRun({
      runId: 'gh-late-5000',
      calls: LATE_CALLS,
      late: LATE_COUNT,
      lateMs: 1500
    })
    const atOnce = await gateOn('gh-late-5000', {
      'expected-logs': String(LATE_CALLS)
    })
    // G: a fifth of the logs land one by one over a minute, on pages already read: the budget stops the read.
    lateStandIn.addRun({
      runId: 'gh-trickle-3000',
      calls: TRICKLE_CALLS,
      late: TRICKLE_CALLS / 5,
      lateMs: 200,
      lateSpreadMs: TRICKLE_SPREAD_MS
    })
    const trickle = await gateOn('gh-trickle-3000', {
      'expected-logs': String(TRICKLE_CALLS),
      'wait-timeout': '60'
    })
    return { atOnce, trickle }
  } finally {
    await lateStandIn.close()
  }
}

// The analytics source on a busy gateway: a day of 1,000,000 generated calls (none stored) that ended
// on a whole hour two hours ago, past analytics' lag; the logs source's side of the same gateway holds
// the window's first 5,000 calls, spaced as the million are.
const ANALYTICS_CALLS = 1_000_000
const ANALYTICS_LOGS = 5_000
const ANALYTICS_QUERY_BUDGET = 10
const ANALYTICS_MEMORY_MIB = 100
const ANALYTICS_GATEWAY = 'gw-bench-1m'
const HOUR_MS = 3_600_000
const analyticsWindow = {
  sinceMs: Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 26 * HOUR_MS,
  untilMs: Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 2 * HOUR_MS
}
const analyticsOptions = {
  calls: ANALYTICS_CALLS,
  ...analyticsWindow,
  seed: 19
}
const analyticsRuns = Math.max(3, Math.round(runs / 5))
const isoSeconds = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

/**
 * A pass-through in front of a stand-in that notes each GraphQL query's operation name (Settings,
 * Totals, Histogram, Models, ...), which the stand-in does not keep. J and K both go through it.
 */
async function startQueryRecorder(target) {
  const operations = []
  const server = http.createServer((req, res) => {
    const chunks = []
    req.on('data', (chunk) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      if (req.method === 'POST' && req.url.endsWith('/graphql')) {
        let name = 'unparsed'
        try {
          name =
            /^\s*query\s+(\w+)/.exec(JSON.parse(body.toString()).query)?.[1] ??
            'unnamed'
        } catch {
          // counted as unparsed
        }
        operations.push(name)
      }
      const upstream = http.request(
        new URL(req.url, target.origin),
        { method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode, answer.headers)
          answer.pipe(res)
        }
      )
      upstream.on('error', () => res.destroy())
      upstream.end(body)
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${server.address().port}`
  return {
    apiUrl: target.apiUrl.replace(target.origin, origin),
    operations,
    close: () => {
      server.closeAllConnections()
      return new Promise((resolve) => server.close(resolve))
    }
  }
}

/** Operation names counted, in the order first seen: `Settings 1, Totals 1, Histogram 3, Models 1`. */
function countedOperations(names) {
  const counts = new Map()
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1)
  return [...counts].map(([name, n]) => `${name} ${n}`).join(', ')
}

/** J's figures against exactAnalytics: a list of differences, empty when every one is equal. */
function analyticsDifferences(metrics, truth) {
  const pairs = [
    ['count', metrics?.count, truth.count],
    ['errors', metrics?.errors, truth.errors],
    ['cached', metrics?.cached, truth.cached],
    ['cost.sum', metrics?.cost?.sum, truth.costSum],
    ['tokens-in.sum', metrics?.['tokens-in']?.sum, truth.tokensInSum],
    ['tokens-out.sum', metrics?.['tokens-out']?.sum, truth.tokensOutSum],
    ['duration.p95', metrics?.duration?.p95, truth.duration.p95]
  ]
  return pairs
    .filter(([, got, want]) => got !== want)
    .map(([name, got, want]) => `${name} ${got} (exact ${want})`)
}

/** J and K, alternately after a warm-up each, against their own stand-in. */
async function analyticsAgainstLogs() {
  const analyticsStandIn = await startStandIn()
  const recorder = await startQueryRecorder(analyticsStandIn)
  try {
    analyticsStandIn.addAnalyticsGateway(ANALYTICS_GATEWAY, analyticsOptions)
    analyticsStandIn.addRun({
      runId: 'gh-bench-window',
      calls: ANALYTICS_LOGS,
      gateway: ANALYTICS_GATEWAY,
      startMs: analyticsWindow.sinceMs,
      spacingMs:
        (analyticsWindow.untilMs - analyticsWindow.sinceMs) / ANALYTICS_CALLS
    })
    const truth = exactAnalytics(analyticsOptions, analyticsWindow)
    const common = {
      'api-token': analyticsStandIn.token,
      'account-id': DEMO_ACCOUNT,
      'gateway-id': ANALYTICS_GATEWAY,
      'api-url': recorder.apiUrl,
      since: isoSeconds(analyticsWindow.sinceMs),
      until: isoSeconds(analyticsWindow.untilMs),
      thresholds: 'duration.p95 < 60s',
      'require-success': 'false',
      settle: '0'
    }
    const preload = {
      NODE_OPTIONS: `--import=${new URL('./bench-maxrss.mjs', import.meta.url).href}`
    }
    const peakOf = (run) => {
      const m = /max-rss-kib=(\d+)/.exec(run.stderr)
      return m ? Number(m[1]) / 1024 : NaN
    }
    // J: every run's queries (by the stand-in and by operation), peak memory and figures are kept.
    const j = []
    const runJ = async () => {
      const queriesBefore = analyticsStandIn.graphqlRequests().length
      const operationsBefore = recorder.operations.length
      const run = await runAction(
        { ...common, source: 'analytics' },
        { node, env: preload, timeoutMs: 600_000 }
      )
      let metrics
      try {
        metrics = JSON.parse(run.outputs.metrics ?? 'null')
      } catch {
        metrics = null
      }
      const result = {
        wallMs: run.wallMs,
        code: run.code,
        result: run.outputs.result,
        source: run.outputs.source,
        queries: analyticsStandIn.graphqlRequests().length - queriesBefore,
        operations: recorder.operations.slice(operationsBefore),
        peakMiB: peakOf(run),
        differences: analyticsDifferences(metrics, truth)
      }
      if (run.code !== 0 || run.outputs.result !== 'pass')
        console.log(
          `J did not pass: exit ${run.code}, result ${run.outputs.result}\n${run.stdout}\n${run.stderr}`
        )
      j.push(result)
      return result
    }
    const k = []
    const runK = async () => {
      const run = await runAction(
        { ...common, source: 'logs', 'max-logs': String(ANALYTICS_LOGS) },
        { node, env: preload, timeoutMs: 300_000 }
      )
      if (
        run.code !== 0 ||
        run.outputs.result !== 'pass' ||
        run.outputs.count !== String(ANALYTICS_LOGS)
      )
        throw new Error(
          `K did not pass with ${ANALYTICS_LOGS} calls: exit ${run.code}, count ${run.outputs.count}\n${run.stdout}\n${run.stderr}`
        )
      const result = { wallMs: run.wallMs, peakMiB: peakOf(run) }
      k.push(result)
      return result
    }
    await runJ()
    await runK()
    const ratios = []
    for (let i = 0; i < analyticsRuns; i++) {
      const steps = [runJ, runK]
      for (let s = 0; s < steps.length; s++)
        await steps[(i + s) % steps.length]()
      ratios.push(j.at(-1).wallMs / k.at(-1).wallMs)
    }
    return { truth, j, timedJ: j.slice(1), timedK: k.slice(1), ratios }
  } finally {
    await recorder.close()
    await analyticsStandIn.close()
  }
}

try {
  console.log(
    `Node ${node === process.execPath ? process.version : node}; ${runs} runs each after 3 warm-up runs, alternating A and B.`
  )
  for (let i = 0; i < 3; i++) {
    await runGate()
    await runFloor()
    await runFloor('bench-floor-http.mjs')
  }
  const a = []
  const b = []
  const c = []
  const ratios = []
  const httpRatios = []
  for (let i = 0; i < runs; i++) {
    // Rotate which goes first, so none always runs on a warmer machine.
    const steps = [
      async () => a.push((await runGate()).wallMs),
      async () => b.push(await runFloor()),
      async () => c.push(await runFloor('bench-floor-http.mjs'))
    ]
    for (let k = 0; k < steps.length; k++) await steps[(i + k) % steps.length]()
    ratios.push(a[i] / b[i])
    httpRatios.push(a[i] / c[i])
  }

  // Requests per gate, counted by the stand-in.
  const before = standIn.logRequests().length
  await runGate()
  const requestsPerGate = standIn.logRequests().length - before

  // Peak memory (max RSS) of A, reported by the process itself at exit; separate runs, not timed.
  const peaks = []
  for (let i = 0; i < 3; i++) {
    const run = await runGate({
      NODE_OPTIONS: `--import=${new URL('./bench-maxrss.mjs', import.meta.url).href}`
    })
    const m = /max-rss-kib=(\d+)/.exec(run.stderr)
    if (m) peaks.push(Number(m[1]) / 1024)
  }

  // The run gate: one warm-up each, then D and E alternately, which one goes first rotating.
  console.log(
    `Run gate: ${RUN_CALLS} calls, each list request answered after ${LIST_DELAY_MS} ms, settle '0'; ${runGateRuns} runs each after 1 warm-up run.`
  )
  await runRunGate()
  await runSequentialReader()
  const d = []
  const e = []
  const runRatios = []
  for (let i = 0; i < runGateRuns; i++) {
    const steps = [
      async () => d.push(await runRunGate()),
      async () => e.push(await runSequentialReader())
    ]
    for (let k = 0; k < steps.length; k++) await steps[(i + k) % steps.length]()
    runRatios.push(d[i].wallMs / e[i].wallMs)
  }
  // F and G: once each, not timed.
  console.log(
    `Peak memory: ${MEMORY_ROWS} rows of ~${MEMORY_ROW_BYTES / 1000} KB (max-logs ${MEMORY_ROWS}); ${MEMORY_COMMENT_PAGES} pages of 200 KB marked comments.`
  )
  const rowsMiB = await measureRows({ node })
  const commentsMiB = await measureComments({ node })

  const runRequests = Math.max(...d.map((x) => x.requests))
  const readerRequests = Math.max(...e.map((x) => x.requests))
  const runRatio = median(runRatios)

  const late = await lateLogRequests()

  console.log(
    `Analytics: ${ANALYTICS_CALLS.toLocaleString('en')} generated calls over 24 hours (J, source: analytics) against ${ANALYTICS_LOGS.toLocaleString('en')} of them listed (K, source: logs); ${analyticsRuns} runs each after 1 warm-up run, alternating J and K.`
  )
  const analytics = await analyticsAgainstLogs()
  const jQueries = Math.max(...analytics.j.map((x) => x.queries))
  const mostQueried = analytics.j.find((x) => x.queries === jQueries)
  const jPeakMiB = Math.max(...analytics.j.map((x) => x.peakMiB))
  const jDifferences = [
    ...new Set(
      analytics.j.flatMap((x) => [
        ...(x.code === 0 && x.result === 'pass' && x.source === 'analytics'
          ? []
          : [
              `exit ${x.code}, result ${x.result}, source ${x.source} (expected 0, pass, analytics)`
            ]),
        ...x.differences
      ])
    )
  ]
  const jkRatio = median(analytics.ratios)
  const jOverBudget = jQueries > ANALYTICS_QUERY_BUDGET
  const jOverMemory = !(jPeakMiB < ANALYTICS_MEMORY_MIB)

  const distDir = join(here, '..', 'dist')
  const distBytes = readdirSync(distDir).reduce(
    (sum, f) => sum + statSync(join(distDir, f)).size,
    0
  )
  const ratio = median(ratios)
  const httpRatio = median(httpRatios)
  const peakMiB = Math.max(...peaks)
  const rows = [
    ['A: the action, median wall time', `${median(a).toFixed(1)} ms`],
    [
      'B: bare fetch script (the floor), median wall time',
      `${median(b).toFixed(1)} ms`
    ],
    [
      'A/B, median of pairwise ratios',
      `${ratio.toFixed(2)} x   (budget <= 1.3 x, aim 1.1 x)`
    ],
    [
      'A/B, fastest and slowest pair',
      `${Math.min(...ratios).toFixed(2)} x .. ${Math.max(...ratios).toFixed(2)} x`
    ],
    [
      'C: bare node:http script, median wall time',
      `${median(c).toFixed(1)} ms`
    ],
    [
      'A/C, median of pairwise ratios',
      `${httpRatio.toFixed(2)} x   (budget <= 1.05 x: the start-up adds nothing to the GET)`
    ],
    [
      'A: peak memory (max RSS)',
      `${peakMiB.toFixed(1)} MiB   (budget <= 100 MiB)`
    ],
    [
      'dist/ size, all files',
      `${(distBytes / 1e6).toFixed(2)} MB   (budget <= 1.7 MB)`
    ],
    ['A: HTTP requests per gate', `${requestsPerGate}   (budget: exactly 1)`],
    [
      `D: run gate of ${RUN_CALLS} calls, median wall time`,
      `${median(d.map((x) => x.wallMs)).toFixed(1)} ms`
    ],
    [
      'E: sequential reader, median wall time',
      `${median(e.map((x) => x.wallMs)).toFixed(1)} ms   (${readerRequests} list requests)`
    ],
    [
      'D/E, median of pairwise ratios',
      `${runRatio.toFixed(2)} x   (budget <= 0.4 x: pages read in parallel)`
    ],
    [
      'D/E, fastest and slowest pair',
      `${Math.min(...runRatios).toFixed(2)} x .. ${Math.max(...runRatios).toFixed(2)} x`
    ],
    [
      'D: list requests per gate (most in any run)',
      `${runRequests}   (budget <= 21: ceil(1000/50) pages and one to see the end)`
    ],
    [
      `F: run of ${LATE_CALLS} calls, ${LATE_COUNT} of them late, expected-logs`,
      `${late.atOnce.requests} Cloudflare requests, ${late.atOnce.result}   (budget <= ${REQUEST_BUDGET}, pass)`
    ],
    [
      `G: run of ${TRICKLE_CALLS} calls, late logs trickling for ${TRICKLE_SPREAD_MS / 1000} s`,
      `${late.trickle.requests} Cloudflare requests, ${late.trickle.rateLimited} refused by the rate limit   (budget <= ${REQUEST_BUDGET}, none refused)`
    ],
    [
      `H: peak memory, ${MEMORY_ROWS} list rows of ~${MEMORY_ROW_BYTES / 1000} KB`,
      `${rowsMiB.toFixed(1)} MiB   (budget < ${MEMORY_BUDGET_MIB} MiB)`
    ],
    [
      `I: peak memory, ${MEMORY_COMMENT_PAGES} pages of 200 KB marked comments`,
      `${commentsMiB.toFixed(1)} MiB   (budget < ${MEMORY_BUDGET_MIB} MiB)`
    ],
    [
      `J: ${ANALYTICS_CALLS.toLocaleString('en')} calls, source analytics, GraphQL queries (most in any run)`,
      `${jQueries} (${countedOperations(mostQueried.operations)})   (budget <= ${ANALYTICS_QUERY_BUDGET})${jOverBudget ? '   FAIL: over the budget' : ''}`
    ],
    [
      'J: peak memory (max RSS, highest run)',
      `${jPeakMiB.toFixed(1)} MiB   (budget < ${ANALYTICS_MEMORY_MIB} MiB)${jOverMemory ? '   FAIL: over the budget' : ''}`
    ],
    [
      'J: count, sums and p95 duration against exactAnalytics',
      jDifferences.length === 0
        ? `equal   (count ${analytics.truth.count}, cost.sum ${analytics.truth.costSum}, duration.p95 ${analytics.truth.duration.p95} ms)`
        : `FAIL: ${jDifferences.join('; ')}`
    ],
    [
      'J: median wall time (mostly the in-process stand-in)',
      `${median(analytics.timedJ.map((x) => x.wallMs)).toFixed(0)} ms`
    ],
    [
      `K: ${ANALYTICS_LOGS.toLocaleString('en')} calls, source logs, median wall time`,
      `${median(analytics.timedK.map((x) => x.wallMs)).toFixed(0)} ms   (peak ${Math.max(...analytics.timedK.map((x) => x.peakMiB)).toFixed(1)} MiB)`
    ],
    [
      'J/K, median of pairwise ratios',
      `${jkRatio.toFixed(2)} x   (pairs ${Math.min(...analytics.ratios).toFixed(2)} x .. ${Math.max(...analytics.ratios).toFixed(2)} x; J's time is mostly the stand-in iterating 1M calls a query, ~1 s each, in this process: not the action's, nor Cloudflare's)`
    ]
  ]
  const width = Math.max(...rows.map(([k]) => k.length))
  console.log(rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n'))
  const met =
    ratio <= 1.3 &&
    httpRatio <= 1.05 &&
    peakMiB <= 100 &&
    // 1.5 MB until the PR comment got its own rendering and charts, and the listing its stream reader.
    distBytes <= 1.7e6 &&
    requestsPerGate === 1 &&
    runRatio <= 0.4 &&
    runRequests <= 21 &&
    late.atOnce.requests <= REQUEST_BUDGET &&
    late.atOnce.result === 'pass' &&
    late.trickle.requests <= REQUEST_BUDGET &&
    late.trickle.rateLimited === 0 &&
    rowsMiB < MEMORY_BUDGET_MIB &&
    commentsMiB < MEMORY_BUDGET_MIB &&
    !jOverBudget &&
    !jOverMemory &&
    jDifferences.length === 0
  console.log(met ? 'Budget met.' : 'Budget NOT met.')
  process.exitCode = met ? 0 : 1
} finally {
  await standIn.close()
  await runStandIn.close()
}
