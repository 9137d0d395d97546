// End to end: a run compared with its baseline. The built dist/index.js runs as a child process, as a
// runner runs it, against the local stand-in of Cloudflare's list endpoint and of GitHub's list of a
// workflow's runs. Run `npm run build` after changing src/.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { exactSum } from '../../src/sources/metrics.js'
import { formatUsd } from '../../src/inputs/units.js'
import { percentText } from '../../src/report/markdown.js'
import { runAction, type ActionRun } from '../../scripts/run-action.mjs'
import {
  DEMO_ACCOUNT,
  startStandIn,
  type StandIn,
  type StandInLog
} from '../../scripts/stand-in.mjs'

let standIn: StandIn
let template: StandInLog
beforeAll(async () => {
  standIn = await startStandIn()
  template = standIn.addRun({
    runId: 'template',
    calls: 1,
    gateway: 'templates'
  })[0]!
})
afterAll(async () => {
  await standIn.close()
})

const dir = mkdtempSync(join(tmpdir(), 'baseline-event-'))
let events = 0
/** An event file as the runner writes it (GITHUB_EVENT_PATH). */
const eventFile = (payload: unknown): string => {
  const path = join(dir, `event-${events++}.json`)
  writeFileSync(path, JSON.stringify(payload))
  return path
}
// The fields of GitHub's webhook payloads the action reads: pull_request.base.ref, repository.default_branch.
const pullRequestEvent = (baseRef: string) => ({
  action: 'synchronize',
  number: 7,
  pull_request: {
    number: 7,
    base: { ref: baseRef, repo: { full_name: 'o/r' } },
    head: { ref: 'feature', repo: { full_name: 'o/r' } }
  },
  repository: { full_name: 'o/r', default_branch: 'main' }
})
const pushEvent = (defaultBranch: string) => ({
  ref: `refs/heads/${defaultBranch}`,
  repository: { full_name: 'o/r', default_branch: defaultBranch }
})

/** What a runner sets for a run of `workflow` (GITHUB_RUN_ID `runId`, attempt `attempt`) on the event given. */
const runnerEnv = (
  workflow: string,
  runId: number,
  attempt: number,
  event: 'pull_request' | 'push',
  payload: unknown
): Record<string, string> => ({
  GITHUB_EVENT_NAME: event,
  GITHUB_EVENT_PATH: eventFile(payload),
  GITHUB_REPOSITORY: 'o/r',
  GITHUB_API_URL: standIn.githubApiUrl,
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_WORKFLOW_REF: `o/r/.github/workflows/${workflow}@${event === 'pull_request' ? 'refs/pull/7/merge' : 'refs/heads/main'}`,
  GITHUB_RUN_ID: String(runId),
  GITHUB_RUN_ATTEMPT: String(attempt),
  GITHUB_WORKFLOW: 'eval',
  GITHUB_JOB: 'eval'
})

let gateways = 0
/** A gateway of its own for each test, so that its list requests can be counted. */
const freshGateway = (): string => `gw-baseline-${gateways++}`

const gate = (
  gateway: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {}
): Promise<ActionRun> =>
  runAction(
    {
      'api-token': standIn.token,
      'account-id': DEMO_ACCOUNT,
      'gateway-id': gateway,
      'api-url': standIn.apiUrl,
      settle: '0',
      ...inputs
    },
    { env }
  )

interface CallSpec {
  cost?: number
  duration: number
  success?: boolean
  model?: string
}
/** Registers a run whose calls have exactly these costs, durations and outcomes (a minute ago, 100 ms apart). */
function addCalls(
  gateway: string,
  runId: string,
  calls: CallSpec[]
): StandInLog[] {
  const startMs = Date.now() - 60_000
  const logs = calls.map((c, i) => {
    const log: StandInLog = {
      ...template,
      id: `${runId}-${i}`,
      created_at: new Date(startMs + i * 100).toISOString(),
      model: c.model ?? 'gpt-4o-mini',
      success: c.success ?? true,
      status_code: c.success === false ? 500 : 200,
      duration: c.duration,
      cost: c.cost,
      metadata: JSON.stringify({ run_id: runId })
    }
    if (c.cost === undefined) delete log.cost
    return log
  })
  return standIn.addLogs(logs, { gateway })
}
const same = (n: number, spec: CallSpec): CallSpec[] =>
  Array.from({ length: n }, () => spec)

const listRequestsOf = (gateway: string) =>
  standIn
    .listRequests()
    .filter((r) => r.path.includes(`/gateways/${gateway}/logs`))
/** List requests whose filters name this run-id value. */
const listRequestsFor = (gateway: string, runIdValue: string) =>
  listRequestsOf(gateway).filter((r) =>
    decodeURIComponent(r.query).includes(`"value":["${runIdValue}"]`)
  )
/** Warning and error annotations, as the runner shows them (it decodes %25, %3A, %2C, %0D and %0A in workflow commands). */
const annotations = (run: ActionRun) =>
  run.stdout
    .split('\n')
    .filter((l) => /^::(warning|error)/.test(l))
    .map((l) =>
      l
        .replace(/%3A/g, ':')
        .replace(/%2C/g, ',')
        .replace(/%0D/g, '\r')
        .replace(/%0A/g, '\n')
        .replace(/%25/g, '%')
    )
/** An amount as the report's tables write it: its unit joined by a no-break space. */
const nb = (text: string): string =>
  text.replace(/(\d) (USD|ms|s)\b/g, '$1\u00a0$2')
const costs = (logs: StandInLog[]): number[] =>
  logs.map((l) => l.cost as number)

describe('an explicit baseline (baseline-run-id)', () => {
  it('compares the run with it: outputs, the report, and one list request per 50 of its calls, no GitHub request', async () => {
    const gateway = freshGateway()
    const baseline = standIn.addRun({ runId: 'gh-100-1', calls: 30, gateway })
    const current = standIn.addRun({ runId: 'gh-200-1', calls: 40, gateway })
    const githubBefore = standIn.githubRequests().length

    const run = await gate(gateway, {
      'run-id': 'gh-200-1',
      'baseline-run-id': 'gh-100-1'
    })

    expect([run.code, run.outputs.result]).toEqual([0, 'pass'])
    expect(run.outputs['baseline-run-id']).toBe('gh-100-1')
    const baselineMetrics = JSON.parse(run.outputs['baseline-metrics'] ?? '')
    expect(baselineMetrics).toMatchObject({
      count: 30,
      errors: 0,
      'error-rate': 0,
      cost: { sum: exactSum(costs(baseline)) }
    })
    // The same shape as `metrics`.
    expect(Object.keys(baselineMetrics)).toEqual(
      Object.keys(JSON.parse(run.outputs.metrics ?? ''))
    )
    expect(JSON.parse(run.outputs.metrics ?? '').cost.sum).toBe(
      exactSum(costs(current))
    )

    expect(run.summary).toContain(
      '**Compared with the baseline**: run "gh-100-1" \\(metadata "run\\_id"\\)'
    )
    expect(run.summary).toContain('| Metric | This run | Baseline | Change |')
    expect(run.summary).toContain('| calls | 40 | 30 | +10 (+33%) |')
    // Amounts for people: 4 significant digits below 1 USD; the outputs keep them exact.
    const now = exactSum(costs(current))
    const before = exactSum(costs(baseline))
    const totalCost = exactSum([now, -before])
    expect(run.summary).toContain(
      `| total cost | ${nb(formatUsd(now))} | ${nb(formatUsd(before))} | ${totalCost > 0 ? '+' : ''}${nb(formatUsd(totalCost))} (${percentText(((now - before) / before) * 100)}) |`
    )
    expect(run.summary.split('\n')[0]).toBe(
      `### ✅ AI Gateway gate: passed · cost ${percentText(((now - before) / before) * 100)} vs the baseline (${formatUsd(now)} vs ${formatUsd(before)}) · 1 check passed`
    )
    expect(run.summary).toContain(
      '| Model | Calls | Cost | Change | p95 duration | Change | Tokens in / out | Errors |'
    )
    expect(run.stdout).toContain(
      'Compared with the baseline: run "gh-100-1" (metadata "run_id"), 30 calls'
    )

    expect(listRequestsFor(gateway, 'gh-100-1')).toHaveLength(1)
    expect(listRequestsFor(gateway, 'gh-200-1')).toHaveLength(1)
    expect(standIn.githubRequests()).toHaveLength(githubBefore)
  })

  it('finds a run and a baseline whose cf-aig-metadata carries the run id as a number', async () => {
    const gateway = freshGateway()
    // cf-aig-metadata values may be numbers: {"run_id": 100}, not {"run_id": "100"}.
    standIn.addRun({
      runId: '100',
      calls: 3,
      gateway,
      metadata: { run_id: 100 }
    })
    standIn.addRun({
      runId: '200',
      calls: 4,
      gateway,
      metadata: { run_id: 200 }
    })
    const run = await gate(gateway, {
      'run-id': '200',
      'baseline-run-id': '100'
    })
    expect([run.code, run.outputs.result, run.outputs.count]).toEqual([
      0,
      'pass',
      '4'
    ])
    expect(run.outputs['baseline-run-id']).toBe('100')
    expect(JSON.parse(run.outputs['baseline-metrics'] ?? '').count).toBe(3)
  })

  it('reads nothing for a baseline when none is asked for', async () => {
    const gateway = freshGateway()
    standIn.addRun({ runId: 'gh-300-1', calls: 20, gateway })
    const githubBefore = standIn.githubRequests().length
    const run = await gate(gateway, { 'run-id': 'gh-300-1' })
    expect([
      run.code,
      run.outputs.result,
      run.outputs['baseline-run-id'],
      run.outputs['baseline-metrics']
    ]).toEqual([0, 'pass', '', ''])
    expect(run.summary).not.toMatch(/Compared with|No baseline/)
    expect(listRequestsOf(gateway)).toHaveLength(1)
    expect(standIn.githubRequests()).toHaveLength(githubBefore)
  })
})

describe('baseline: base-branch', () => {
  it("on a pull_request event, compares with the base branch's newest completed run of the same workflow that succeeded or failed, in one GitHub request", async () => {
    const gateway = freshGateway()
    const hoursAgo = (h: number) =>
      new Date(Date.now() - h * 3_600_000).toISOString()
    standIn.addWorkflowRun({
      workflow: 'eval.yml',
      id: 4100,
      attempt: 2,
      branch: 'main',
      sha: 'c0ffee'.padEnd(40, '0'),
      createdAt: hoursAgo(3)
    })
    // Newer, but not what the lookup wants: a cancelled run on main, a run still in progress, a run of
    // another branch, a run of another workflow.
    standIn.addWorkflowRun({
      workflow: 'eval.yml',
      id: 4200,
      branch: 'main',
      conclusion: 'cancelled',
      createdAt: hoursAgo(1)
    })
    standIn.addWorkflowRun({
      workflow: 'eval.yml',
      id: 4250,
      branch: 'main',
      status: 'in_progress',
      conclusion: null,
      createdAt: hoursAgo(0.7)
    })
    standIn.addWorkflowRun({
      workflow: 'eval.yml',
      id: 4300,
      branch: 'feature',
      createdAt: hoursAgo(0.5)
    })
    standIn.addWorkflowRun({
      workflow: 'other.yml',
      id: 4400,
      branch: 'main',
      createdAt: hoursAgo(0.2)
    })
    standIn.addRun({ runId: 'gh-4100-2', calls: 55, gateway })
    standIn.addRun({ runId: 'gh-4200-1', calls: 5, gateway })
    standIn.addRun({ runId: 'gh-7001-1', calls: 20, gateway })
    const githubBefore = standIn.githubRequests().length

    const run = await gate(
      gateway,
      {
        'run-id': 'gh-7001-1',
        baseline: 'base-branch',
        'github-token': standIn.githubToken
      },
      runnerEnv('eval.yml', 7001, 1, 'pull_request', pullRequestEvent('main'))
    )

    expect([run.code, run.outputs.result]).toEqual([0, 'pass'])
    expect(run.outputs['baseline-run-id']).toBe('gh-4100-2')
    expect(JSON.parse(run.outputs['baseline-metrics'] ?? '').count).toBe(55)
    const github = standIn.githubRequests().slice(githubBefore)
    expect(github.map((r) => `${r.method} ${r.path}${r.query}`)).toEqual([
      'GET /github/repos/o/r/actions/workflows/eval.yml/runs?branch=main&status=completed&per_page=20&page=1&exclude_pull_requests=true'
    ])
    // 55 calls: ceil(55 / 50) = 2 list requests.
    expect(listRequestsFor(gateway, 'gh-4100-2')).toHaveLength(2)
    expect(listRequestsFor(gateway, 'gh-4200-1')).toHaveLength(0)
    expect(run.summary).toContain(
      '**Compared with the baseline**: run "gh-4100-2" \\(metadata "run\\_id"\\) · [run 4100, attempt 2](https://github.com/o/r/actions/runs/4100/attempts/2) on main at `c0ffee0`'
    )
    expect(run.summary).toContain('| calls | 20 | 55 | -35 (-64%) |')
  })

  it("on a push, compares with the default branch's newest completed run", async () => {
    const gateway = freshGateway()
    standIn.addWorkflowRun({
      workflow: 'push-eval.yml',
      id: 5100,
      branch: 'trunk'
    })
    standIn.addWorkflowRun({
      workflow: 'push-eval.yml',
      id: 5200,
      branch: 'main'
    })
    standIn.addRun({ runId: 'eval-5100', calls: 3, gateway })
    standIn.addRun({ runId: 'eval-8001', calls: 3, gateway })
    const run = await gate(
      gateway,
      {
        'run-id': 'eval-8001',
        baseline: 'base-branch',
        'github-token': standIn.githubToken
      },
      runnerEnv('push-eval.yml', 8001, 1, 'push', pushEvent('trunk'))
    )
    expect([run.code, run.outputs['baseline-run-id']]).toEqual([0, 'eval-5100'])
    expect(standIn.githubRequests().at(-1)?.query).toContain(
      'branch=trunk&status=completed'
    )
  })

  it('refuses a run-id without the run id before any request, and a missing GITHUB_WORKFLOW_REF too', async () => {
    const gateway = freshGateway()
    const before = standIn.requests.length
    const env = runnerEnv(
      'eval.yml',
      7002,
      1,
      'pull_request',
      pullRequestEvent('main')
    )
    const run = await gate(
      gateway,
      {
        'run-id': 'nightly-eval-1',
        baseline: 'base-branch',
        'github-token': standIn.githubToken
      },
      env
    )
    expect([run.code, run.outputs.result]).toEqual([1, 'error'])
    expect(annotations(run)).toEqual([
      '::error title=AI Gateway gate: error::Invalid input: run-id "nightly-eval-1" does not hold this run\'s id (GITHUB_RUN_ID 7002), so baseline: base-branch cannot work out the base branch\'s run id from it: use a form such as gh-${{ github.run_id }}-${{ github.run_attempt }}'
    ])

    const { GITHUB_WORKFLOW_REF: _ref, ...withoutRef } = env
    const second = await gate(
      gateway,
      {
        'run-id': 'gh-7002-1',
        baseline: 'base-branch',
        'github-token': standIn.githubToken
      },
      withoutRef
    )
    expect([second.code, second.outputs.result]).toEqual([1, 'error'])
    expect(annotations(second)[0]).toContain(
      "baseline: base-branch needs the workflow's file from GITHUB_WORKFLOW_REF"
    )
    expect(standIn.requests.length).toBe(before)
  })
})

describe('base-branch: the newest completed run that succeeded or failed', () => {
  const prEnv = (workflow: string, runId: number) =>
    runnerEnv(workflow, runId, 1, 'pull_request', pullRequestEvent('main'))
  const minutesAgo = (m: number) =>
    new Date(Date.now() - m * 60_000).toISOString()
  /** The `::debug::` lines of the step's log (the runner shows them with step debug logging on). */
  const debugLines = (run: ActionRun) =>
    run.stdout
      .split('\n')
      .filter((l) => l.startsWith('::debug::baseline: '))
      .map((l) => l.slice('::debug::'.length))

  it("takes main's newest run when its gate failed, not an older green one: a merged cost increase is the new baseline", async () => {
    const gateway = freshGateway()
    // Main's green run, then the merge of a deliberate cost increase, whose gate on main failed.
    standIn.addWorkflowRun({
      workflow: 'ratchet.yml',
      id: 7100,
      createdAt: minutesAgo(120)
    })
    standIn.addWorkflowRun({
      workflow: 'ratchet.yml',
      id: 7200,
      conclusion: 'failure',
      createdAt: minutesAgo(60)
    })
    addCalls(gateway, 'gh-7100-1', same(10, { cost: 0.01, duration: 1000 }))
    addCalls(gateway, 'gh-7200-1', same(10, { cost: 0.02, duration: 1000 }))
    addCalls(gateway, 'gh-7201-1', same(10, { cost: 0.02, duration: 1000 }))
    const run = await gate(
      gateway,
      {
        'run-id': 'gh-7201-1',
        baseline: 'base-branch',
        'github-token': standIn.githubToken,
        thresholds: 'cost <= baseline + 10%'
      },
      prEnv('ratchet.yml', 7201)
    )
    expect([
      run.code,
      run.outputs.result,
      run.outputs['baseline-run-id']
    ]).toEqual([0, 'pass', 'gh-7200-1'])
    expect(run.summary).toContain(
      '| cost.sum | 0.2 USD | ≤ baseline + 10% \\(0.22 USD\\) | error | ✅ pass |'
    )
    expect(listRequestsFor(gateway, 'gh-7100-1')).toHaveLength(0)
  })

  it('goes past a run with no calls left (its eval step was skipped, say) to the next, naming each run in the debug log', async () => {
    const gateway = freshGateway()
    const githubBefore = standIn.githubRequests().length
    standIn.addWorkflowRun({
      workflow: 'no-calls.yml',
      id: 7300,
      createdAt: minutesAgo(90)
    })
    standIn.addWorkflowRun({
      workflow: 'no-calls.yml',
      id: 7400,
      createdAt: minutesAgo(60)
    })
    standIn.addWorkflowRun({
      workflow: 'no-calls.yml',
      id: 7450,
      conclusion: 'cancelled',
      createdAt: minutesAgo(30)
    })
    addCalls(gateway, 'gh-7300-1', same(4, { cost: 0.01, duration: 1000 }))
    addCalls(gateway, 'gh-7401-1', same(4, { cost: 0.01, duration: 1000 }))
    const run = await gate(
      gateway,
      {
        'run-id': 'gh-7401-1',
        baseline: 'base-branch',
        'github-token': standIn.githubToken
      },
      prEnv('no-calls.yml', 7401)
    )
    expect([
      run.code,
      run.outputs.result,
      run.outputs['baseline-run-id']
    ]).toEqual([0, 'pass', 'gh-7300-1'])
    expect(JSON.parse(run.outputs['baseline-metrics'] ?? '').count).toBe(4)
    expect(run.summary).toContain(
      '[run 7300, attempt 1](https://github.com/o/r/actions/runs/7300/attempts/1) on main'
    )
    expect(debugLines(run)).toEqual([
      'baseline: run 7450 of no-calls.yml on "main" passed over: its conclusion is "cancelled", neither "success" nor "failure"',
      'baseline: reading run 7400 of "main" (run "gh-7400-1" (metadata "run_id"))',
      'baseline: no calls of run 7400 (run "gh-7400-1" (metadata "run_id")) are left in the gateway',
      'baseline: reading run 7300 of "main" (run "gh-7300-1" (metadata "run_id"))'
    ])
    expect(listRequestsFor(gateway, 'gh-7400-1')).toHaveLength(1)
    expect(standIn.githubRequests().length - githubBefore).toBe(1)
  })

  it('reads the next page of runs only when a full page held none to try', async () => {
    const gateway = freshGateway()
    const githubBefore = standIn.githubRequests().length
    standIn.addWorkflowRun({
      workflow: 'busy.yml',
      id: 7500,
      createdAt: minutesAgo(200)
    })
    // 20 runs cancelled by a concurrency group: a whole page of GitHub's answer.
    for (let i = 0; i < 20; i++)
      standIn.addWorkflowRun({
        workflow: 'busy.yml',
        id: 7501 + i,
        conclusion: 'cancelled',
        createdAt: minutesAgo(100 - i)
      })
    addCalls(gateway, 'gh-7500-1', same(2, { cost: 0.01, duration: 1000 }))
    addCalls(gateway, 'gh-7600-1', same(2, { cost: 0.01, duration: 1000 }))
    const run = await gate(
      gateway,
      {
        'run-id': 'gh-7600-1',
        baseline: 'base-branch',
        'github-token': standIn.githubToken
      },
      prEnv('busy.yml', 7600)
    )
    expect(run.outputs['baseline-run-id']).toBe('gh-7500-1')
    expect(
      standIn
        .githubRequests()
        .slice(githubBefore)
        .map((r) => new URLSearchParams(r.query).get('page'))
    ).toEqual(['1', '2'])
  })
})

describe('thresholds against the baseline on an event other than a pull request', () => {
  const thresholds = 'cost <= baseline + 10%\ncount <= 100'
  let gateway: string
  beforeAll(() => {
    gateway = freshGateway()
    standIn.addWorkflowRun({ workflow: 'main-eval.yml', id: 7700 })
    addCalls(gateway, 'gh-7700-1', same(10, { cost: 0.01, duration: 1000 }))
    addCalls(gateway, 'gh-7701-1', same(10, { cost: 0.02, duration: 1000 }))
  })

  it('are warnings on a push, never a failure, and the report says why', async () => {
    const run = await gate(
      gateway,
      {
        'run-id': 'gh-7701-1',
        baseline: 'base-branch',
        'github-token': standIn.githubToken,
        thresholds
      },
      runnerEnv('main-eval.yml', 7701, 1, 'push', pushEvent('main'))
    )
    const message =
      'cost.sum 0.2 USD > baseline + 10% (0.11 USD) (a warning on push: thresholds against the baseline fail pull requests only)'
    expect([
      run.code,
      run.outputs.result,
      run.outputs['baseline-run-id'],
      run.outputs.failures
    ]).toEqual([0, 'pass', 'gh-7700-1', '[]'])
    expect(JSON.parse(run.outputs.warnings ?? '')).toEqual([
      expect.objectContaining({ metric: 'cost.sum', limit: 0.11, message })
    ])
    expect(annotations(run)).toEqual([
      `::warning title=AI Gateway gate (warning)::${message}`
    ])
    expect(run.summary).toContain(
      '_On a push event, a threshold against the baseline is a warning, never a failure: the change was reviewed in its pull request._'
    )
    expect(run.summary).toContain(
      '| cost.sum | 0.2 USD | ≤ baseline + 10% \\(0.11 USD\\) | warn |'
    )
  })

  it('fail a pull request, and a push that names its baseline with baseline-run-id, as before', async () => {
    addCalls(gateway, 'gh-7702-1', same(10, { cost: 0.02, duration: 1000 }))
    const pullRequest = await gate(
      gateway,
      {
        'run-id': 'gh-7702-1',
        baseline: 'base-branch',
        'github-token': standIn.githubToken,
        thresholds
      },
      runnerEnv(
        'main-eval.yml',
        7702,
        1,
        'pull_request',
        pullRequestEvent('main')
      )
    )
    expect([pullRequest.code, pullRequest.outputs.result]).toEqual([1, 'fail'])
    expect(annotations(pullRequest)).toEqual([
      '::error title=AI Gateway gate::cost.sum 0.2 USD > baseline + 10% (0.11 USD)'
    ])

    const named = await gate(
      gateway,
      {
        'run-id': 'gh-7701-1',
        'baseline-run-id': 'gh-7700-1',
        thresholds
      },
      runnerEnv('main-eval.yml', 7701, 1, 'push', pushEvent('main'))
    )
    expect([named.code, named.outputs.result]).toEqual([1, 'fail'])
    expect(named.summary).not.toContain('is a warning, never a failure')
  })
})

describe('thresholds against the baseline', () => {
  const thresholds =
    'cost <= baseline + 10%\nduration.p95 <= baseline * 1.2\nerror-rate <= baseline + 0.01'
  let gateway: string
  beforeAll(() => {
    gateway = freshGateway()
    addCalls(gateway, 'bl-base', same(10, { cost: 0.01, duration: 1000 }))
    addCalls(gateway, 'bl-pass', same(10, { cost: 0.0105, duration: 1100 }))
    addCalls(gateway, 'bl-fail', [
      ...same(8, { cost: 0.012, duration: 1300 }),
      ...same(2, { cost: 0.012, duration: 1300, success: false })
    ])
  })
  const judged = (runId: string) =>
    gate(gateway, {
      'run-id': runId,
      'baseline-run-id': 'bl-base',
      'require-success': 'false',
      thresholds
    })

  it('pass when the run stays within them', async () => {
    const run = await judged('bl-pass')
    expect([
      run.code,
      run.outputs.result,
      run.outputs.failures,
      run.outputs.warnings
    ]).toEqual([0, 'pass', '[]', '[]'])
    expect(run.summary).toContain(
      '| cost.sum | 0.105 USD | ≤ baseline + 10% \\(0.11 USD\\) | error | ✅ pass |'
    )
    expect(run.summary).toContain(
      '| duration.p95 | 1.1 s | ≤ baseline \\* 1.2 \\(1.2 s\\) | error | ✅ pass |'
    )
    expect(run.summary).toContain(
      '| error-rate | 0% \\(0 of 10 calls\\) | ≤ baseline + 0.01 \\(1%\\) | error | ✅ pass |'
    )
    expect(run.summary).toContain(
      nb('| total cost | 0.105 USD | 0.1 USD | +0.005 USD (+5%) |')
    )
  })

  it('fail when it does not, naming the baseline in each failure', async () => {
    const run = await judged('bl-fail')
    expect([run.code, run.outputs.result]).toEqual([1, 'fail'])
    expect(JSON.parse(run.outputs.failures ?? '')).toEqual([
      {
        metric: 'cost.sum',
        input: 'thresholds',
        actual: 0.12,
        operator: '<=',
        limit: 0.11,
        baseline: 0.1,
        unit: 'USD',
        call: null,
        message: 'cost.sum 0.12 USD > baseline + 10% (0.11 USD)'
      },
      {
        metric: 'duration.p95',
        input: 'thresholds',
        actual: 1300,
        operator: '<=',
        limit: 1200,
        baseline: 1000,
        unit: 'ms',
        call: expect.any(String),
        message: expect.stringMatching(
          /^duration\.p95 1300 ms > baseline \* 1\.2 \(1200 ms\) \(call bl-fail-\d\)$/
        )
      },
      {
        metric: 'error-rate',
        input: 'thresholds',
        actual: 0.2,
        operator: '<=',
        limit: 0.01,
        baseline: 0,
        unit: 'fraction',
        call: null,
        message: 'error-rate 20% (2 of 10 calls) > baseline + 0.01 (1%)'
      }
    ])
    expect(annotations(run)).toEqual([
      '::error title=AI Gateway gate::cost.sum 0.12 USD > baseline + 10% (0.11 USD)',
      expect.stringMatching(
        /^::error title=AI Gateway gate::duration\.p95 1300 ms > baseline \* 1\.2 \(1200 ms\)/
      ),
      '::error title=AI Gateway gate::error-rate 20% (2 of 10 calls) > baseline + 0.01 (1%)'
    ])
    expect(run.summary).toContain('| error rate | 20% | 0% | +20 pp |')
  })
})

describe('no baseline', () => {
  const prEnv = (workflow: string, runId: number) =>
    runnerEnv(workflow, runId, 1, 'pull_request', pullRequestEvent('main'))

  it('skips the thresholds that compare with it, with a warning that says why; the rest of the gate stands', async () => {
    const gateway = freshGateway()
    standIn.addWorkflowRun({
      workflow: 'first.yml',
      id: 6100,
      branch: 'main',
      conclusion: 'cancelled'
    })
    standIn.addRun({ runId: 'gh-9001-1', calls: 5, gateway })
    const inputs = {
      'run-id': 'gh-9001-1',
      baseline: 'base-branch',
      'github-token': standIn.githubToken,
      thresholds: 'cost <= baseline + 10%\ncount >= 1'
    }

    const run = await gate(gateway, inputs, prEnv('first.yml', 9001))
    expect([
      run.code,
      run.outputs.result,
      run.outputs['baseline-run-id'],
      run.outputs['baseline-metrics']
    ]).toEqual([0, 'pass', '', ''])
    const none =
      'no run of first.yml on "main" succeeded or failed on the branch itself (1 completed run looked at; the debug log says why each was passed over)'
    const why = `no baseline (${none})`
    expect(annotations(run)).toEqual([
      `::warning title=AI Gateway gate (warning)::cost.sum <= baseline + 10% not checked: ${why}`
    ])
    expect(JSON.parse(run.outputs.warnings ?? '')).toEqual([
      expect.objectContaining({
        metric: 'cost.sum',
        limit: null,
        baseline: null,
        skipped: why
      })
    ])
    expect(run.summary).toContain('| cost.sum | ')
    expect(run.summary).toContain('| ≤ baseline + 10% | warn | ⏭️ skipped |')
    // The summary escapes what markdown would read: parentheses among them.
    expect(run.summary).toContain(
      `**No baseline to compare with**: ${none.replace(/[()]/g, '\\$&')}`
    )
    expect(run.stdout).toContain(
      '::debug::baseline: run 6100 of first.yml on "main" passed over: its conclusion is "cancelled", neither "success" nor "failure"'
    )
    expect(listRequestsOf(gateway)).toHaveLength(1)

    const required = await gate(
      gateway,
      { ...inputs, 'baseline-required': 'true' },
      prEnv('first.yml', 9001)
    )
    expect([required.code, required.outputs.result]).toEqual([1, 'error'])
    expect(annotations(required)).toEqual([
      `::error title=AI Gateway gate: error::No baseline to compare with: ${none} (baseline-required is true)`
    ])
    expect(required.summary).toContain(
      '### ⛔ AI Gateway gate: error, no verdict'
    )
  })

  it("is missing when GitHub's run is of another workflow file, saying so, and reads none of its calls", async () => {
    const gateway = freshGateway()
    // Listed under eval-path.yml, but its `path` is deploy.yml's: not this workflow's run.
    standIn.addWorkflowRun({
      workflow: 'eval-path.yml',
      id: 6250,
      branch: 'main',
      path: '.github/workflows/deploy.yml'
    })
    standIn.addRun({ runId: 'gh-6250-1', calls: 3, gateway })
    standIn.addRun({ runId: 'gh-9005-1', calls: 5, gateway })
    const inputs = {
      'run-id': 'gh-9005-1',
      baseline: 'base-branch',
      'github-token': standIn.githubToken
    }
    const run = await gate(gateway, inputs, prEnv('eval-path.yml', 9005))
    expect([
      run.code,
      run.outputs.result,
      run.outputs['baseline-run-id'],
      run.outputs['baseline-metrics']
    ]).toEqual([0, 'pass', '', ''])
    const why =
      'GitHub\'s answer lists run 6250 of workflow ".github/workflows/deploy.yml", not of this workflow ".github/workflows/eval-path.yml"'
    expect(annotations(run)).toEqual([
      `::warning title=AI Gateway gate (baseline)::No baseline to compare with: ${why}`
    ])
    expect(run.summary).toContain('**No baseline to compare with**')
    expect(listRequestsFor(gateway, 'gh-6250-1')).toHaveLength(0)

    const required = await gate(
      gateway,
      { ...inputs, 'baseline-required': 'true' },
      prEnv('eval-path.yml', 9005)
    )
    expect([required.code, required.outputs.result]).toEqual([1, 'error'])
    expect(annotations(required)).toEqual([
      `::error title=AI Gateway gate: error::No baseline to compare with: ${why} (baseline-required is true)`
    ])
  })

  it('says so when the run GitHub names has no logs left, and links that run', async () => {
    const gateway = freshGateway()
    standIn.addWorkflowRun({ workflow: 'gone.yml', id: 6200, branch: 'main' })
    standIn.addRun({ runId: 'gh-9002-1', calls: 5, gateway })
    const run = await gate(
      gateway,
      {
        'run-id': 'gh-9002-1',
        baseline: 'base-branch',
        'github-token': standIn.githubToken
      },
      prEnv('gone.yml', 9002)
    )
    expect([
      run.code,
      run.outputs.result,
      run.outputs['baseline-run-id']
    ]).toEqual([0, 'pass', ''])
    expect(annotations(run)).toEqual([
      '::warning title=AI Gateway gate (baseline)::No baseline to compare with: no calls of run "gh-6200-1" (metadata "run_id") (the newest run on "main" that succeeded or failed, run 6200) are left in the gateway'
    ])
    expect(run.summary).toContain(
      '**No baseline to compare with** ([run 6200, attempt 1](https://github.com/o/r/actions/runs/6200/attempts/1) on main'
    )
    expect(listRequestsFor(gateway, 'gh-6200-1')).toHaveLength(1)
  })

  it('says so when GitHub refuses the lookup, keeping its message on one line', async () => {
    const gateway = freshGateway()
    standIn.addRun({ runId: 'gh-9003-1', calls: 5, gateway })
    standIn.setGithubFault({
      status: 403,
      message: 'Resource not accessible by integration\n::error::forged\u202e'
    })
    let run: ActionRun
    try {
      run = await gate(
        gateway,
        {
          'run-id': 'gh-9003-1',
          baseline: 'base-branch',
          'github-token': standIn.githubToken
        },
        prEnv('eval.yml', 9003)
      )
    } finally {
      standIn.setGithubFault(undefined)
    }
    expect([run.code, run.outputs.result]).toEqual([0, 'pass'])
    expect(annotations(run)).toEqual([
      '::warning title=AI Gateway gate (baseline)::No baseline to compare with: GitHub answered HTTP 403: "Resource not accessible by integration\\n::error::forged\\u202e": github-token needs "actions: read" to list the runs of workflow eval.yml of o/r'
    ])
    expect(
      run.stdout.split('\n').filter((l) => l.startsWith('::error'))
    ).toEqual([])
  })

  it("never trusts GitHub's answer: a run id that is not a number is no baseline, and its html_url is never linked", async () => {
    const gateway = freshGateway()
    standIn.addWorkflow('hostile.yml')
    standIn.addRun({ runId: 'gh-6300-1', calls: 2, gateway })
    standIn.addRun({ runId: 'gh-9004-1', calls: 2, gateway })
    const inputs = {
      'run-id': 'gh-9004-1',
      baseline: 'base-branch',
      'github-token': standIn.githubToken
    }
    const answer = (run: Record<string, unknown>) =>
      JSON.stringify({
        total_count: 1,
        workflow_runs: [
          {
            // The workflow-run schema's `path`: this workflow's file, as GitHub answers it.
            path: '.github/workflows/hostile.yml',
            run_attempt: 1,
            head_branch: 'main',
            event: 'push',
            status: 'completed',
            conclusion: 'success',
            ...run
          }
        ]
      })
    try {
      standIn.setWorkflowRunsBody(answer({ id: '6300' }))
      const stringId = await gate(gateway, inputs, prEnv('hostile.yml', 9004))
      expect(annotations(stringId)).toEqual([
        "::warning title=AI Gateway gate (baseline)::No baseline to compare with: GitHub's answer lists a run whose id is not a positive whole number"
      ])

      standIn.setWorkflowRunsBody(
        answer({
          id: 6300,
          html_url: 'javascript:alert(1)//)[x](https://evil.example/)',
          head_sha: '<img src=x>'
        })
      )
      const linked = await gate(gateway, inputs, prEnv('hostile.yml', 9004))
      expect([linked.code, linked.outputs['baseline-run-id']]).toEqual([
        0,
        'gh-6300-1'
      ])
      expect(linked.summary).toContain(
        '[run 6300, attempt 1](https://github.com/o/r/actions/runs/6300/attempts/1) on main'
      )
      expect(linked.summary).not.toMatch(/evil\.example|javascript:|<img/)

      // A pull request from a fork's branch named like the base branch: its run is not the base branch's.
      standIn.setWorkflowRunsBody(answer({ id: 6300, event: 'pull_request' }))
      const forked = await gate(gateway, inputs, prEnv('hostile.yml', 9004))
      expect(annotations(forked)[0]).toContain(
        'No baseline to compare with: no run of hostile.yml on "main" succeeded or failed on the branch itself'
      )
      expect(forked.stdout).toContain(
        '::debug::baseline: run 6300 of hostile.yml on "main" passed over: it ran for a pull request from a branch named "main", not on the branch itself'
      )
    } finally {
      standIn.setWorkflowRunsBody(undefined)
    }
  })
})
