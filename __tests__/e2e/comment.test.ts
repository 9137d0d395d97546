// End to end: the PR comment and the job summary as people read them. The built dist/index.js runs as a
// runner runs it against the local stand-in (Cloudflare's list endpoint, GitHub's workflow runs and
// issue comments), and the comment is read back from what the stand-in's GitHub stored. Run
// `npm run build` after changing src/.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction, type ActionRun } from '../../scripts/run-action.mjs'
import {
  DEMO_ACCOUNT,
  RUN_MODELS,
  startStandIn,
  type StandIn,
  type StandInLog
} from '../../scripts/stand-in.mjs'
import { exactSum } from '../../src/sources/metrics.js'
import {
  insideDetails,
  outsideDetails,
  visibleLines
} from '../helpers/comment.js'

let standIn: StandIn
beforeAll(async () => {
  standIn = await startStandIn()
})
afterAll(async () => {
  await standIn.close()
})

const REPO = 'octo-org/eval-service'
const HEAD_SHA = '3f9a2c4d1e0b7a6958c4d3e2f1a0b9c8d7e6f5a4'
const MERGE_SHA = '9d8c7b6a5f4e3d2c1b0a99887766554433221100'
const MARKER = '<!-- ai-gateway-gate:key=eval%2Fgate -->'
const dir = mkdtempSync(join(tmpdir(), 'comment-event-'))
let events = 0

/**
 * What a runner sets for run `runId` of eval.yml on a pull_request event for PR `pr` (GitHub's default
 * environment variables, and the event payload's fields the action reads: the PR's number, head and base).
 */
function pullRequestEnv(
  runId: number,
  pr: number,
  extra: Record<string, string> = {}
): Record<string, string> {
  const path = join(dir, `event-${events++}.json`)
  writeFileSync(
    path,
    JSON.stringify({
      action: 'synchronize',
      number: pr,
      pull_request: {
        number: pr,
        head: { ref: 'feature', sha: HEAD_SHA, repo: { full_name: REPO } },
        base: { ref: 'main', repo: { full_name: REPO } }
      },
      repository: { full_name: REPO, default_branch: 'main' }
    })
  )
  return {
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: path,
    GITHUB_REPOSITORY: REPO,
    GITHUB_API_URL: standIn.githubApiUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_WORKFLOW_REF: `${REPO}/.github/workflows/eval.yml@refs/pull/${pr}/merge`,
    GITHUB_RUN_ID: String(runId),
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SHA: MERGE_SHA,
    GITHUB_WORKFLOW: 'eval',
    GITHUB_JOB: 'gate',
    ...extra
  }
}

const gate = (
  inputs: Record<string, string>,
  env: Record<string, string>
): Promise<ActionRun> =>
  runAction(
    {
      'api-token': standIn.token,
      'account-id': DEMO_ACCOUNT,
      'api-url': standIn.apiUrl,
      comment: 'update',
      'github-token': standIn.githubToken,
      ...inputs
    },
    { env }
  )

const commentOn = (pr: number): string => {
  const found = standIn.comments.filter(
    (c) => c.repo === REPO && c.issue === pr
  )
  expect(found).toHaveLength(1)
  return found[0]!.body
}

type Call = StandInLog & {
  cost: number
  duration: number
  model: string
  success: boolean
  status_code: number
}

const [gpt4oMini, gpt4o, haiku] = RUN_MODELS
const mistral = {
  provider: 'mistral',
  model: 'mistral-small-latest',
  inUsd: 0.2e-6,
  outUsd: 0.6e-6
}

describe('the PR comment of a run against its base branch', () => {
  const gateway = 'gw-comment'
  let current: Call[]
  let baseline: Call[]
  let run: ActionRun
  let comment: string

  beforeAll(async () => {
    standIn.addWorkflowRun({
      repo: REPO,
      workflow: 'eval.yml',
      id: 4100,
      branch: 'main',
      sha: 'c0ffee'.padEnd(40, '0')
    })
    // main used gpt-4o-mini, claude and mistral; this pull request drops mistral and adds gpt-4o.
    baseline = standIn.addRun({
      runId: 'gh-4100-1',
      calls: 60,
      failed: 1,
      gateway,
      models: [gpt4oMini!, haiku!, mistral]
    }) as Call[]
    current = standIn.addRun({
      runId: 'gh-7001-1',
      calls: 60,
      failed: 4,
      gateway,
      models: [gpt4oMini!, gpt4o!, haiku!]
    }) as Call[]
    run = await gate(
      {
        'gateway-id': gateway,
        'run-id': 'gh-7001-1',
        settle: '0',
        'require-success': 'false',
        baseline: 'base-branch',
        thresholds: [
          'cost <= baseline + 10%',
          'duration.p95 < 8s',
          'error-rate < 5%',
          'warn: cost.max <= $0.01'
        ].join('\n')
      },
      pullRequestEnv(7001, 42)
    )
    comment = commentOn(42)
  })

  const costOf = (calls: Call[]) => exactSum(calls.map((c) => c.cost))

  it('comment shape: at most 30 visible lines, no chart outside <details>, the run and commit links, no account id, the cost change in the first line', () => {
    expect([run.code, run.outputs.result]).toEqual([1, 'fail'])
    const now = costOf(current)
    const before = costOf(baseline)
    const percent = Math.round(((now - before) / before) * 100)
    const [first] = comment.split('\n')
    expect(first).toMatch(
      new RegExp(
        `^### ❌ AI Gateway gate: failed · cost \\+${percent}% vs main \\(0\\.\\d{1,4} USD vs 0\\.\\d{1,4} USD\\) · 2 of 3 checks failed · 1 warning$`
      )
    )
    const visible = visibleLines(comment)
    expect(visible.length).toBeLessThanOrEqual(30)
    expect(outsideDetails(comment)).not.toContain('```')
    expect(insideDetails(comment).match(/```mermaid/g)).toHaveLength(2)
    expect(comment).toContain(
      '[job summary of workflow run 7001](https://github.com/octo-org/eval-service/actions/runs/7001)'
    )
    // The pull request's head, not the merge commit GITHUB_SHA names.
    expect(comment).toContain(
      `commit [\`3f9a2c4\`](https://github.com/octo-org/eval-service/commit/${HEAD_SHA})`
    )
    expect(comment).not.toContain(DEMO_ACCOUNT)
    expect(comment).not.toMatch(/\baccount\b/)
    expect(comment.endsWith(`</sub>\n\n${MARKER}\n`)).toBe(true)
    // The job summary is the whole report: the account id is named there, and it has the same first line.
    expect(run.summary).toContain(`account ${DEMO_ACCOUNT}`)
    expect(run.summary.split('\n')[0]).toBe(first)
    expect(run.outputs.markdown?.trim()).toBe(run.summary.trim())
  })

  it('rounding: amounts at most 4 significant digits, durations in s or ms, in the comment and the summary; the outputs exact', () => {
    const now = costOf(current)
    expect(run.outputs['total-cost']).toBe(String(now))
    expect(JSON.parse(run.outputs.metrics ?? '').cost.sum).toBe(now)
    for (const text of [comment, run.summary]) {
      // Every amount below 1 USD has at most 4 significant digits; every duration is `850 ms` or `3.8 s`.
      const amounts = [...text.matchAll(/(\d+\.\d+|\d+)[ \u00a0]USD/g)].map(
        (m) => m[1]!
      )
      expect(amounts.length).toBeGreaterThan(5)
      for (const amount of amounts) {
        if (Number(amount) < 1)
          expect(amount.replace(/^0\.0*/, '').length).toBeLessThanOrEqual(4)
        else expect(amount).toMatch(/^\d+\.\d\d$/)
      }
      for (const m of text.matchAll(/\b(\d+(?:\.\d+)?)[ \u00a0](ms|s)\b/g)) {
        if (m[2] === 'ms') expect(m[1]).toMatch(/^\d{1,3}$/)
        else expect(m[1]).toMatch(/^\d+(\.\d)?$/)
      }
      expect(text).not.toContain(`${now} USD`)
    }
    // The failures output keeps the exact numbers and messages.
    const failures = JSON.parse(run.outputs.failures ?? '') as {
      metric: string
      actual: number
      message: string
    }[]
    expect(failures[0]).toMatchObject({ metric: 'cost.sum', actual: now })
    expect(failures[0]!.message).toContain(`cost.sum ${now} USD > `)
  })

  it('new/gone: the comparison marks the model new in this run and the one gone from it', () => {
    const table = outsideDetails(comment)
      .split('\n\n')
      .find((b) => b.startsWith('| Model |'))!
    expect(table.split('\n')[0]).toBe(
      '| Model | Calls | Cost | Change | p95 duration | Change | Errors |'
    )
    const row = (model: string) =>
      table.split('\n').find((r) => r.startsWith(`| ${model} |`))!
    expect(row('gpt-4o')).toMatch(
      /^\| gpt-4o \| \d+ \| [\d.]+\u00a0USD \| new \| [\d.]+\u00a0(s|ms) \| new \| \d+ \|$/
    )
    expect(row('mistral-small-latest')).toBe(
      '| mistral-small-latest | 0 | — | gone | — | gone | — |'
    )
    expect(row('gpt-4o-mini')).toMatch(/ \| [+-]\d+(\.\d)?% \| /)
    expect(table).not.toContain('Provider')
    // The summary's table says the same, with tokens.
    expect(run.summary).toContain(
      '| mistral-small-latest | 0 | — | gone | — | gone | — | — |'
    )
  })

  it("failed calls listed: id, model and status code, in the summary and in the comment's details", () => {
    const failed = current.filter((c) => !c.success)
    expect(failed).toHaveLength(4)
    const list = [
      '**Failed calls** (4 of 60 calls)',
      '',
      '| Call | Model | Status code |',
      '| --- | --- | ---: |',
      ...failed.map((c) => `| ${c.id} | ${c.model} | ${c.status_code} |`)
    ].join('\n')
    expect(run.summary).toContain(list)
    expect(insideDetails(comment)).toContain(list)
    expect(outsideDetails(comment)).not.toContain('Failed calls')
    // The error-rate breach is one of the lines above the table.
    expect(visibleLines(comment)).toContain(
      '- ❌ error-rate 6.667% \\(4 of 60 calls\\) &gt;= 5%'
    )
  })

  it('the summary marks the p95 and the limit in the duration histogram, and compares cost by model with main', () => {
    const charts = [
      ...run.summary.matchAll(/```mermaid\n([\s\S]*?)\n```/g)
    ].map((m) => m[1]!)
    expect(charts).toHaveLength(2)
    expect(charts[0]).toContain(
      'title "Cost by model (US cents): this run, and on main"'
    )
    expect(charts[0]).toContain('"mistral-small-latest (main)"')
    expect(charts[1]).toMatch(
      /title "Calls by duration, p95 [\d.]+ s \(amber from there\), limit 8 s"/
    )
    expect(charts[1]).toMatch(/ \(p95\)"/)
    expect(charts[1]).toMatch(/ \(limit\)"\]/)
    for (const chart of charts)
      expect(chart.split('\n')[0]).toMatch(/^%%\{init: \{"theme": "base"/)
  })
})

describe('the PR comment: links and one log', () => {
  it('leaves the run link out when GITHUB_SERVER_URL is not http(s) or GITHUB_REPOSITORY is not owner/name', async () => {
    for (const [pr, extra] of [
      [51, { GITHUB_SERVER_URL: 'javascript:alert(1)//' }],
      [52, { GITHUB_REPOSITORY: 'octo-org/eval-service/extra' }]
    ] as const) {
      const run = await gate(
        {
          'gateway-id': 'demo-gateway',
          'log-id': 'cheap-call',
          'pr-number': String(pr)
        },
        pullRequestEnv(7100 + pr, pr, extra)
      )
      expect(run.outputs.result).toBe('pass')
      if (pr === 52) {
        // Without owner/name there is no repository to comment on either.
        expect(run.stdout).toContain('GITHUB_REPOSITORY is not owner/name')
        continue
      }
      const body = commentOn(pr)
      expect(body).not.toMatch(/javascript|\]\(/)
      expect(body).toContain(
        '<sub>Full report: the job summary of this workflow run · commit `3f9a2c4` · Cloudflare AI Gateway log cheap-call · gateway demo-gateway</sub>'
      )
    }
  })

  it("a single log's comment is short: the verdict, the failed checks, the call in one line, the rest folded", async () => {
    const run = await gate(
      {
        'gateway-id': 'demo-gateway',
        'log-id': 'expensive-call',
        'max-cost': '$0.05',
        'max-duration': '2s'
      },
      pullRequestEnv(7201, 61)
    )
    expect([run.code, run.outputs.result]).toEqual([1, 'fail'])
    const body = commentOn(61)
    const visible = visibleLines(body)
    expect(visible.slice(0, 3)).toEqual([
      '### ❌ AI Gateway gate: failed · 2 of 3 checks failed',
      '- ❌ cost 0.75 USD &gt; max-cost 0.05 USD',
      '- ❌ duration 9.4 s &gt; max-duration 2 s'
    ])
    expect(visible[3]).toMatch(/^Call expensive-call: \*\*gpt-4o\*\* /)
    expect(visible).toHaveLength(6)
    expect(insideDetails(body)).toContain('| **Model** | gpt-4o |')
    expect(body).not.toContain(DEMO_ACCOUNT)
    // The outputs and annotations keep the exact values.
    expect(run.stdout).toContain('duration 9400 ms > max-duration 2000 ms')
  })

  it("an error's comment has its own sign and never names the account", async () => {
    const run = await gate(
      {
        'gateway-id': 'gw-empty',
        'run-id': 'gh-nothing-1',
        settle: '0',
        'wait-timeout': '0'
      },
      pullRequestEnv(7301, 71)
    )
    expect(run.outputs.result).toBe('error')
    const body = commentOn(71)
    expect(body.split('\n')[0]).toBe(
      '### ⛔ AI Gateway gate: error, no verdict'
    )
    expect(body).not.toContain(DEMO_ACCOUNT)
    expect(run.summary).toContain(DEMO_ACCOUNT)
    expect(visibleLines(body)).toHaveLength(3)
  })
})
