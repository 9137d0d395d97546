// The action's peak memory (max RSS) on its two many-answer paths, against the stand-in; run by
// `npm run bench` and alone with `node scripts/bench-memory.mjs`. Not timed: each gate runs once per
// measure, with the bench-maxrss.mjs preload reporting its peak at exit.
//   rows:     a run of 10,000 calls read with `max-logs: 10000`, each list row about 10 KB (a long
//             metadata entry: the API passes cf-aig-metadata through, and a row this size keeps a
//             page of 50 under the 512 KiB the action accepts for an answer);
//   comments: the sticky comment's lookup on a pull request whose comments are 50 pages of 100, each
//             comment about 200 KB (65,536 characters, most of them three bytes in UTF-8: GitHub's
//             largest body) carrying our marker, written by another account.
// The budget for both is the README's: under 150 MiB whatever the APIs send.
import { pathToFileURL } from 'node:url'
import { runAction } from './run-action.mjs'
import {
  DEMO_ACCOUNT,
  DEMO_GATEWAY,
  GITHUB_ACCOUNTS,
  startStandIn
} from './stand-in.mjs'

export const MEMORY_BUDGET_MIB = 150
export const MEMORY_ROWS = 10_000
/** A list row's size in bytes of JSON, about. */
export const MEMORY_ROW_BYTES = 10_000
export const MEMORY_COMMENT_PAGES = 50
/** GitHub's largest comment body, in characters (its 422 says "maximum is 65536 characters"). */
const COMMENT_CHARS = 65_536

const preload = {
  NODE_OPTIONS: `--import=${new URL('./bench-maxrss.mjs', import.meta.url).href}`
}

function peakMiB(run, what) {
  const m = /max-rss-kib=(\d+)/.exec(run.stderr)
  if (!m) throw new Error(`${what}: no max-rss line\n${run.stderr}`)
  return Number(m[1]) / 1024
}

/** Peak MiB of a gate of MEMORY_ROWS calls whose list rows are about MEMORY_ROW_BYTES each. */
export async function measureRows({ node = process.execPath } = {}) {
  const runId = 'gh-memory-1'
  const standIn = await startStandIn()
  try {
    // What a list row (the log without the six detail-only fields) weighs with an empty note: the
    // note's characters make up the rest.
    const [probe] = standIn.addRun({
      runId,
      calls: 1,
      gateway: 'probe',
      metadata: { note: '' }
    })
    for (const name of ['request', 'response'])
      for (const field of ['size', 'head', 'head_complete'])
        delete probe[`${name}_${field}`]
    const rowBytes = Buffer.byteLength(JSON.stringify(probe))
    const note = 'n'.repeat(MEMORY_ROW_BYTES - rowBytes)
    standIn.addRun({ runId, calls: MEMORY_ROWS, metadata: { note } })
    const run = await runAction(
      {
        'api-token': standIn.token,
        'account-id': DEMO_ACCOUNT,
        'gateway-id': DEMO_GATEWAY,
        'api-url': standIn.apiUrl,
        'run-id': runId,
        'max-logs': String(MEMORY_ROWS),
        'max-cost': '$1000',
        'require-success': 'false',
        settle: '0'
      },
      { node, env: preload, timeoutMs: 300_000 }
    )
    if (run.outputs.result !== 'pass' || run.outputs.count !== '10000')
      throw new Error(
        `the gate of ${MEMORY_ROWS} rows did not pass with every call: result ${run.outputs.result}, count ${run.outputs.count}\n${run.stdout}`
      )
    return peakMiB(run, 'rows')
  } finally {
    await standIn.close()
  }
}

/** Peak MiB of a gate whose sticky comment is looked for among 50 pages of 200 KB marked comments by another account. */
export async function measureComments({ node = process.execPath } = {}) {
  const standIn = await startStandIn()
  try {
    const key = 'memory'
    const marker = `<!-- ai-gateway-gate:key=${key} -->`
    // One string for every comment: the stand-in itself stays small; each page it sends is 100 copies.
    const body = `${marker}\n${'漢'.repeat(COMMENT_CHARS - marker.length - 1)}`
    const mallory = { login: 'mallory', id: 70000004, type: 'User' }
    for (let i = 0; i < MEMORY_COMMENT_PAGES * 100; i++)
      standIn.addComment(7, body, mallory)
    const run = await runAction(
      {
        'api-token': standIn.token,
        'account-id': DEMO_ACCOUNT,
        'gateway-id': DEMO_GATEWAY,
        'api-url': standIn.apiUrl,
        'log-id': 'cheap-call',
        'max-cost': '0.05',
        comment: 'update',
        'comment-key': key,
        'pr-number': '7',
        'github-token': GITHUB_ACCOUNTS.actions.token
      },
      {
        node,
        env: {
          ...preload,
          GITHUB_REPOSITORY: 'o/r',
          GITHUB_API_URL: standIn.githubApiUrl,
          GITHUB_EVENT_NAME: 'workflow_run'
        },
        timeoutMs: 300_000
      }
    )
    const listed = standIn
      .githubRequests()
      .filter((r) => r.method === 'GET').length
    if (
      run.outputs.result !== 'pass' ||
      !run.outputs['comment-id'] ||
      listed !== MEMORY_COMMENT_PAGES
    )
      throw new Error(
        `the comment gate did not list ${MEMORY_COMMENT_PAGES} pages and write its comment: result ${run.outputs.result}, ${listed} pages listed\n${run.stdout}`
      )
    return peakMiB(run, 'comments')
  } finally {
    await standIn.close()
  }
}

// `node scripts/bench-memory.mjs [--node PATH]`: both measures, once each.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--node')
  const node = i > 0 ? process.argv[i + 1] : process.execPath
  const rows = await measureRows({ node })
  console.log(
    `rows:     ${MEMORY_ROWS} list rows of ~${MEMORY_ROW_BYTES / 1000} KB, peak ${rows.toFixed(1)} MiB (budget < ${MEMORY_BUDGET_MIB} MiB)`
  )
  const comments = await measureComments({ node })
  console.log(
    `comments: ${MEMORY_COMMENT_PAGES} pages of 200 KB marked comments, peak ${comments.toFixed(1)} MiB (budget < ${MEMORY_BUDGET_MIB} MiB)`
  )
  process.exitCode =
    rows < MEMORY_BUDGET_MIB && comments < MEMORY_BUDGET_MIB ? 0 : 1
}
