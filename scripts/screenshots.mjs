// `npm run screenshots [-- DIR]`: runs the built action (dist/index.js) as a runner would, against the
// local stand-in, in the situations a reader meets, and writes what GitHub would show to DIR (default
// `screenshots/`, git-ignored): `<name>.comment.md`, the PR comment's body as the action posted it
// (read back from the stand-in's GitHub), and `<name>.summary.md`, the job summary.
//
// Situations: `pr-baseline` (a pull request's eval run against main's: cost up, calls failed, a model
// new and one gone, two of three checks failed and a warning), `pr-wide` (twelve models with long
// names, the widest table a comment has), `pr-pass` (a run within its limits), `single-fail` (one call
// over its limits, log-id) and `error` (no call found).
//
// To look at them as a reader will, render each file as GitHub does (GitHub-flavoured markdown styled
// with github-markdown-css, Mermaid blocks drawn by mermaid) in a headless browser, the comment at
// 800 px (a pull request's column) and the summary at 1000 px; `<details>` closed is what a reader
// sees first, `<details open>` shows the charts. Look for tables wider than the column, charts that say
// nothing, numbers nobody can read.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction } from './run-action.mjs'
import { DEMO_ACCOUNT, RUN_MODELS, startStandIn } from './stand-in.mjs'

const out = process.argv[2] ?? 'screenshots'
mkdirSync(out, { recursive: true })
const eventDir = mkdtempSync(join(tmpdir(), 'screenshots-event-'))

const standIn = await startStandIn()
const REPO = 'octo-org/eval-service'
const [owner] = REPO.split('/')
const HEAD_SHA = '3f9a2c4d1e0b7a6958c4d3e2f1a0b9c8d7e6f5a4'
const BASE_SHA = 'c0ffee1234567890abcdef1234567890abcdef12'
const MERGE_SHA = '9d8c7b6a5f4e3d2c1b0a99887766554433221100'
const [gpt4oMini, gpt4o, haiku] = RUN_MODELS
const mistral = {
  provider: 'mistral',
  model: 'mistral-small-latest',
  inUsd: 0.2e-6,
  outUsd: 0.6e-6
}

/**
 * A run of calls in `gateway`, made by the stand-in's addRun (deterministic), with the failed calls'
 * status codes spread over 500, 429 and 503 as a provider's failures are.
 */
function addRun(gateway, options) {
  const logs = standIn.addRun({ ...options, gateway: `${gateway}-draft` })
  const codes = [500, 429, 503]
  let failed = 0
  const shaped = logs.map((log) =>
    log.success === false
      ? { ...log, status_code: codes[failed++ % codes.length] }
      : log
  )
  return standIn.addLogs(shaped, { gateway })
}

let events = 0
function pullRequestEnv(runId, number) {
  const path = join(eventDir, `event-${events++}.json`)
  writeFileSync(
    path,
    JSON.stringify({
      action: 'synchronize',
      number,
      pull_request: {
        number,
        head: {
          ref: 'cheaper-prompts',
          sha: HEAD_SHA,
          repo: { full_name: REPO }
        },
        base: { ref: 'main', sha: BASE_SHA, repo: { full_name: REPO } }
      },
      repository: { full_name: REPO, default_branch: 'main' }
    })
  )
  return {
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: path,
    GITHUB_REPOSITORY: REPO,
    GITHUB_REPOSITORY_OWNER: owner,
    GITHUB_API_URL: standIn.githubApiUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_WORKFLOW_REF: `${REPO}/.github/workflows/eval.yml@refs/pull/${number}/merge`,
    GITHUB_RUN_ID: String(runId),
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SHA: MERGE_SHA,
    GITHUB_WORKFLOW: 'eval',
    GITHUB_JOB: 'gate'
  }
}

const common = {
  'api-token': standIn.token,
  'account-id': DEMO_ACCOUNT,
  'api-url': standIn.apiUrl,
  'job-summary': 'true',
  comment: 'update',
  'github-token': standIn.githubToken
}

const situations = [
  {
    name: 'pr-baseline',
    prepare() {
      standIn.addWorkflowRun({
        repo: REPO,
        workflow: 'eval.yml',
        id: 4100,
        branch: 'main',
        sha: BASE_SHA
      })
      addRun('gw-pr', {
        runId: 'gh-4100-1',
        calls: 60,
        failed: 1,
        models: [gpt4oMini, haiku, mistral]
      })
      addRun('gw-pr', {
        runId: 'gh-7001-1',
        calls: 60,
        failed: 4,
        models: [gpt4oMini, gpt4o, haiku]
      })
    },
    inputs: {
      'gateway-id': 'gw-pr',
      'run-id': 'gh-7001-1',
      settle: '0',
      'require-success': 'false',
      baseline: 'base-branch',
      thresholds: [
        'cost <= baseline + 10%',
        'duration.p95 < 8s',
        'error-rate < 5%',
        'warn: cost.max <= $0.02'
      ].join('\n')
    },
    env: () => pullRequestEnv(7001, 42),
    issue: 42
  },
  {
    name: 'pr-wide',
    prepare() {
      // Model names as long as real ones get (Workers AI, Bedrock, OpenRouter).
      const models = [
        '@cf/meta/llama-3.1-8b-instruct-fp8-fast',
        'anthropic.claude-3-5-sonnet-20241022-v2:0',
        'meta-llama/llama-3.3-70b-instruct:free',
        '@cf/mistralai/mistral-small-3.1-24b-instruct',
        'gemini-2.0-flash-thinking-exp-01-21',
        'gpt-4o-mini-2024-07-18',
        'gpt-4.1-nano',
        'o3-mini-high',
        'deepseek/deepseek-r1-distill-llama-70b',
        '@cf/qwen/qwen2.5-coder-32b-instruct',
        'claude-3-7-sonnet-latest',
        'mistral-large-2411'
      ].map((model, i) => ({
        provider: model.split(/[/.]/)[0].replace('@', '') || 'workers-ai',
        model,
        inUsd: (i + 1) * 0.2e-6,
        outUsd: (i + 1) * 0.8e-6
      }))
      standIn.addWorkflowRun({
        repo: REPO,
        workflow: 'eval.yml',
        id: 4200,
        branch: 'main',
        sha: BASE_SHA
      })
      addRun('gw-wide', {
        runId: 'gh-4200-1',
        calls: 150,
        failed: 2,
        models: models.slice(2)
      })
      addRun('gw-wide', {
        runId: 'gh-7005-1',
        calls: 150,
        failed: 12,
        models: models.slice(0, 10)
      })
    },
    inputs: {
      'gateway-id': 'gw-wide',
      'run-id': 'gh-7005-1',
      settle: '0',
      'require-success': 'false',
      baseline: 'base-branch',
      thresholds: [
        'cost <= baseline + 10%',
        'duration.p95 < 5s',
        'error-rate < 5%',
        'warn: tokens <= baseline + 5%'
      ].join('\n')
    },
    env: () => pullRequestEnv(7005, 46),
    issue: 46
  },
  {
    name: 'pr-pass',
    prepare() {
      addRun('gw-pass', { runId: 'gh-7002-1', calls: 40 })
    },
    inputs: {
      'gateway-id': 'gw-pass',
      'run-id': 'gh-7002-1',
      settle: '0',
      'require-success': 'false',
      thresholds: ['cost <= $1', 'duration.p95 < 8s', 'error-rate < 5%'].join(
        '\n'
      )
    },
    env: () => pullRequestEnv(7002, 43),
    issue: 43
  },
  {
    name: 'single-fail',
    prepare() {},
    inputs: {
      'gateway-id': 'demo-gateway',
      'log-id': 'expensive-call',
      'max-cost': '$0.05',
      'max-duration': '2s'
    },
    env: () => pullRequestEnv(7003, 44),
    issue: 44
  },
  {
    name: 'error',
    prepare() {},
    inputs: {
      'gateway-id': 'gw-empty',
      'run-id': 'gh-7004-1',
      settle: '0',
      'wait-timeout': '0',
      'max-cost': '$1'
    },
    env: () => pullRequestEnv(7004, 45),
    issue: 45
  }
]

try {
  for (const s of situations) {
    s.prepare()
    const run = await runAction({ ...common, ...s.inputs }, { env: s.env() })
    const comment = standIn.comments.find(
      (c) => c.repo === REPO && c.issue === s.issue
    )
    writeFileSync(join(out, `${s.name}.summary.md`), run.summary)
    if (comment) writeFileSync(join(out, `${s.name}.comment.md`), comment.body)
    console.log(
      `${s.name}: exit ${run.code}, result ${run.outputs.result}; wrote ${s.name}.summary.md${comment ? ` and ${s.name}.comment.md` : ' (no comment: see the run log below)'}`
    )
    if (!comment) console.log(run.stdout)
  }
} finally {
  await standIn.close()
}
