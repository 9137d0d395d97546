// Reading the baseline with the outside world replaced: GitHub's runs list and Cloudflare's list
// endpoint answered by a fake `send` that records every request, an event file on disk, no sleeps.
import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BaseBranchLookup } from '../../src/inputs/base-branch.js'
import {
  baseBranchRuns,
  readBaseline,
  type Found,
  type RunBaselineConfig
} from '../../src/sources/baseline.js'
import { parseConfig, type Config } from '../../src/inputs/config.js'
import { CollectError } from '../../src/cloudflare/collect.js'
import type { GatewayDeps, RawResponse } from '../../src/cloudflare/gateway.js'
import { AnswerTooLargeError, MAX_BODY_BYTES } from '../../src/net/http.js'
import { readInputs } from '../../src/inputs/names.js'
import type { LogSummary } from '../../src/sources/metrics.js'
import { scrubber } from '../../src/text/secrets.js'
import { LOG } from '../helpers/fixtures.js'

const GITHUB_TOKEN = 'ghs_SECRETgithubtoken0123456789'
const dir = mkdtempSync(join(tmpdir(), 'baseline-read-'))
let files = 0
const eventFile = (text: string): string => {
  const path = join(dir, `event-${files++}.json`)
  writeFileSync(path, text)
  return path
}
const prEvent = (baseRef: string) =>
  eventFile(
    JSON.stringify({ pull_request: { number: 7, base: { ref: baseRef } } })
  )

const lookup = (extra: Partial<BaseBranchLookup> = {}): BaseBranchLookup => ({
  apiUrl: 'https://api.github.test',
  token: GITHUB_TOKEN,
  owner: 'o',
  repo: 'r',
  workflowFile: 'eval.yml',
  runId: 4242,
  runAttempt: 1,
  serverUrl: 'https://github.com',
  eventName: 'pull_request',
  eventPath: prEvent('main'),
  ...extra
})

interface Sent {
  url: string
  headers: Record<string, string>
}
/** A fake transport: `answer` decides each response; every request is recorded. */
function fakeDeps(
  answer: (url: string) => RawResponse | Error
): GatewayDeps & { sent: Sent[]; debugs: string[] } {
  const sent: Sent[] = []
  const debugs: string[] = []
  return {
    sent,
    debugs,
    send: async (url, headers) => {
      sent.push({ url, headers })
      const res = answer(url)
      if (res instanceof Error) throw res
      return res
    },
    sleep: async () => undefined,
    now: () => 0,
    random: () => 0.5,
    debug: (m) => debugs.push(m)
  }
}
const json = (body: unknown, status = 200): RawResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body)
})
// GitHub's answer to the runs list (the `workflow-run` schema's fields that are read; `path` is the
// run's workflow file, `.github/workflows/<file>`, the lookup's eval.yml here).
const runsAnswer = (...runs: Record<string, unknown>[]) =>
  json({
    total_count: runs.length,
    workflow_runs: runs.map((r) => ({
      path: '.github/workflows/eval.yml',
      head_branch: 'main',
      event: 'push',
      status: 'completed',
      conclusion: 'success',
      ...r
    }))
  })

/** Every run the lookup yields, in order. */
async function runsOf(
  ...args: Parameters<typeof baseBranchRuns>
): Promise<Found[]> {
  const all: Found[] = []
  for await (const found of baseBranchRuns(...args)) all.push(found)
  return all
}
const GITHUB_RUNS =
  'https://api.github.test/repos/o/r/actions/workflows/eval.yml/runs?branch=main&status=completed&per_page=20'
/** Runs 1..n (ids 5000 + i, newest first), all successful pushes to main. */
const manyRuns = (n: number, first = 0) =>
  Array.from({ length: n }, (_, i) => ({
    id: 5000 - first - i,
    run_attempt: 1
  }))

describe('baseBranchRuns', () => {
  const scrub = scrubber([GITHUB_TOKEN])

  it("asks GitHub for the base branch's completed runs, with the token and the API version, and yields each that succeeded or failed", async () => {
    const deps = fakeDeps(() =>
      runsAnswer(
        {
          id: 4300,
          run_attempt: 1,
          conclusion: 'failure',
          head_sha: 'c0ffee'.padEnd(40, '0')
        },
        { id: 4200, run_attempt: 1, conclusion: 'cancelled' },
        { id: 4100, run_attempt: 2 }
      )
    )
    const found = await runsOf(lookup(), 'gh-4242-1', deps, 5000, scrub)
    expect(found).toEqual([
      {
        runIdValue: 'gh-4300-1',
        workflowRun: {
          id: 4300,
          attempt: 1,
          branch: 'main',
          headSha: 'c0ffee'.padEnd(40, '0'),
          url: 'https://github.com/o/r/actions/runs/4300/attempts/1'
        }
      },
      {
        runIdValue: 'gh-4100-2',
        workflowRun: {
          id: 4100,
          attempt: 2,
          branch: 'main',
          headSha: null,
          url: 'https://github.com/o/r/actions/runs/4100/attempts/2'
        }
      }
    ])
    expect(deps.sent).toEqual([
      {
        url: `${GITHUB_RUNS}&page=1&exclude_pull_requests=true`,
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${GITHUB_TOKEN}`,
          'x-github-api-version': '2022-11-28',
          'user-agent': 'ai-gateway-gate'
        }
      }
    ])
    // Each run passed over is named in the debug log, with why.
    expect(deps.debugs).toContain(
      'baseline: run 4200 of eval.yml on "main" passed over: its conclusion is "cancelled", neither "success" nor "failure"'
    )
  })

  it('asks for the next page only when the runs of a full page are used up, and stops after MAX_RUN_PAGES pages', async () => {
    const pages: Record<string, RawResponse> = {
      '1': runsAnswer(
        ...manyRuns(20).map((r) => ({ ...r, conclusion: 'skipped' }))
      ),
      '2': runsAnswer(
        ...manyRuns(19, 20).map((r) => ({ ...r, conclusion: 'cancelled' })),
        { id: 4000, run_attempt: 1 }
      ),
      '3': runsAnswer(...manyRuns(20, 40))
    }
    const deps = fakeDeps(
      (url) => pages[new URL(url).searchParams.get('page') ?? '']!
    )
    const lookupRuns = baseBranchRuns(lookup(), 'gh-4242-1', deps, 5000, scrub)
    const first = await lookupRuns.next()
    expect(first.value).toMatchObject({ runIdValue: 'gh-4000-1' })
    // The run found on page 2 is given before page 3 is asked for.
    expect(
      deps.sent.map((s) => new URL(s.url).searchParams.get('page'))
    ).toEqual(['1', '2'])
    const second = await lookupRuns.next()
    expect(second.value).toMatchObject({ runIdValue: 'gh-4960-1' })
    expect(deps.sent).toHaveLength(3)

    const endless = fakeDeps(() =>
      runsAnswer(
        ...manyRuns(20).map((r) => ({ ...r, conclusion: 'cancelled' }))
      )
    )
    expect(await runsOf(lookup(), 'gh-4242-1', endless, 5000, scrub)).toEqual([
      {
        missing:
          'no run of eval.yml on "main" succeeded or failed on the branch itself (60 completed runs looked at; the debug log says why each was passed over)',
        workflowRun: null
      }
    ])
    expect(endless.sent).toHaveLength(3)
  })

  it('does not yield a run twice when runs shift between pages', async () => {
    const page1 = manyRuns(20).map((r) => ({ ...r, conclusion: 'cancelled' }))
    // A run completed meanwhile: page 2 starts with the last run of page 1.
    const page2 = [page1[19]!, { id: 3000, run_attempt: 1 }]
    const deps = fakeDeps((url) =>
      new URL(url).searchParams.get('page') === '1'
        ? runsAnswer(...page1)
        : runsAnswer(...page2)
    )
    const found = await runsOf(lookup(), 'gh-4242-1', deps, 5000, scrub)
    expect(found.map((f) => 'runIdValue' in f && f.runIdValue)).toEqual([
      'gh-3000-1'
    ])
    expect(
      deps.debugs.filter((d) => d.startsWith('baseline: run 4981 '))
    ).toHaveLength(1)
  })

  it('stops at a page shorter than asked', async () => {
    const deps = fakeDeps(() => runsAnswer(...manyRuns(19)))
    expect(await runsOf(lookup(), 'gh-4242-1', deps, 5000, scrub)).toHaveLength(
      19
    )
    expect(deps.sent).toHaveLength(1)
  })

  it('passes over a pull request from a branch named like the base branch, and this run itself', async () => {
    const deps = fakeDeps(() =>
      runsAnswer(
        { id: 4300, run_attempt: 1, event: 'pull_request_target' },
        { id: 4242, run_attempt: 1 },
        { id: 4100, run_attempt: 1 }
      )
    )
    expect(
      (await runsOf(lookup(), 'gh-4242-1', deps, 5000, scrub)).map(
        (f) => 'runIdValue' in f && f.runIdValue
      )
    ).toEqual(['gh-4100-1'])
    expect(deps.debugs).toEqual(
      expect.arrayContaining([
        'baseline: run 4300 of eval.yml on "main" passed over: it ran for a pull request from a branch named "main", not on the branch itself',
        'baseline: run 4242 of eval.yml on "main" passed over: it is this run itself'
      ])
    )
  })

  it('says in the debug log what GitHub answered, for which workflow and branch', async () => {
    const deps = fakeDeps(() => json({ message: 'Server Error' }, 500))
    await runsOf(lookup(), 'gh-4242-1', deps, 5000, scrub)
    expect(deps.debugs).toContain(
      'GitHub answered HTTP 500 for page 1 of the completed runs of eval.yml on "main"'
    )
  })

  it('links no run when there is no server URL', async () => {
    const [found] = await runsOf(
      lookup({ serverUrl: null }),
      'gh-4242-1',
      fakeDeps(() => runsAnswer({ id: 4100, run_attempt: 1 })),
      5000,
      scrub
    )
    expect(found?.workflowRun?.url).toBeNull()
  })

  it('asks nothing when the event does not say the base branch', async () => {
    const deps = fakeDeps(() => runsAnswer())
    const found = await runsOf(
      lookup({ eventPath: eventFile('{"pull_request": {}}') }),
      'gh-4242-1',
      deps,
      5000,
      scrub
    )
    expect(found).toEqual([
      {
        missing:
          'the base branch is not known: the event has no pull_request.base.ref to find the base branch with',
        workflowRun: null
      }
    ])
    expect(deps.sent).toEqual([])
  })

  it.each<[string, RawResponse | Error, string]>([
    [
      'no completed run yet',
      runsAnswer(),
      'no completed run of eval.yml on "main" yet'
    ],
    [
      'only runs that neither succeeded nor failed',
      runsAnswer(
        { id: 4100, conclusion: 'cancelled' },
        { id: 4000, conclusion: 'timed_out' }
      ),
      'no run of eval.yml on "main" succeeded or failed on the branch itself (2 completed runs looked at; the debug log says why each was passed over)'
    ],
    [
      'a refusal',
      json({ message: 'Bad credentials' }, 401),
      'GitHub refused github-token (HTTP 401: "Bad credentials")'
    ],
    [
      'a connection that fails',
      Object.assign(
        new TypeError('connect ECONNREFUSED 127.0.0.1:1\n::error::x'),
        { cause: { code: 'ECONNREFUSED' } }
      ),
      'GitHub could not be asked for the completed runs of eval.yml on "main": connect ECONNREFUSED 127.0.0.1:1\\n::error::x (ECONNREFUSED)'
    ],
    [
      'an error that echoes the token',
      new Error(`bad header Bearer ${GITHUB_TOKEN}`),
      'GitHub could not be asked for the completed runs of eval.yml on "main": bad header Bearer ***'
    ],
    [
      'a run id that is not a number',
      runsAnswer({ id: '4100' }),
      "GitHub's answer lists a run whose id is not a positive whole number"
    ],
    [
      // What the transport throws for an answer over its cap (http.ts): said as GitHub's, not as a log detail.
      'an answer too large to read',
      new AnswerTooLargeError(' (Content-Length 600000)'),
      `GitHub could not be asked for the completed runs of eval.yml on "main": GitHub answered with more than ${MAX_BODY_BYTES} bytes (Content-Length 600000), more than any list of workflow runs; not read`
    ],
    [
      'a run of another workflow file',
      runsAnswer({ id: 4100, path: '.github/workflows/deploy.yml' }),
      'GitHub\'s answer lists run 4100 of workflow ".github/workflows/deploy.yml", not of this workflow ".github/workflows/eval.yml"'
    ]
  ])('%s is no baseline, saying why', async (_what, answer, missing) => {
    expect(
      await runsOf(
        lookup(),
        'gh-4242-1',
        fakeDeps(() => answer),
        5000,
        scrub
      )
    ).toEqual([{ missing, workflowRun: null }])
  })

  it('stops at a run whose attempt it cannot tell: the runs after it are not tried', async () => {
    const runs = await runsOf(
      lookup(),
      'gh-4242-1',
      fakeDeps(() => runsAnswer({ id: 4100 }, { id: 4000, run_attempt: 1 })),
      5000,
      scrub
    )
    expect(runs).toEqual([
      {
        missing:
          'GitHub did not say which attempt of run 4100 it lists (run_attempt), and run-id holds the attempt',
        workflowRun: expect.objectContaining({ id: 4100 })
      }
    ])
  })

  it('counts one completed run passed over in the singular', async () => {
    expect(
      await runsOf(
        lookup(),
        'gh-4242-1',
        fakeDeps(() => runsAnswer({ id: 4100, conclusion: 'cancelled' })),
        5000,
        scrub
      )
    ).toEqual([
      {
        missing:
          'no run of eval.yml on "main" succeeded or failed on the branch itself (1 completed run looked at; the debug log says why each was passed over)',
        workflowRun: null
      }
    ])
  })

  it('says so when run-id holds the attempt and GitHub does not say which attempt it lists', async () => {
    const [found] = await runsOf(
      lookup(),
      'gh-4242-1',
      fakeDeps(() => runsAnswer({ id: 4100 })),
      5000,
      scrub
    )
    expect(found).toMatchObject({
      missing:
        'GitHub did not say which attempt of run 4100 it lists (run_attempt), and run-id holds the attempt',
      workflowRun: { id: 4100 }
    })
    const [withoutAttempt] = await runsOf(
      lookup(),
      'gh-4242',
      fakeDeps(() => runsAnswer({ id: 4100 })),
      5000,
      scrub
    )
    expect(withoutAttempt).toMatchObject({ runIdValue: 'gh-4100' })
  })
})

describe('readBaseline', () => {
  const NOW_MS = Date.parse('2026-11-26T12:00:00Z')
  const config = (inputs: Record<string, string> = {}): Config => {
    const all: Record<string, string> = {
      'api-token': 'cf-token-SECRET-1',
      'account-id': 'acc',
      'gateway-id': 'gw',
      'run-id': 'gh-4242-1',
      ...inputs
    }
    return parseConfig(
      readInputs((name) => all[name] ?? '', {}),
      {},
      NOW_MS
    )
  }
  const explicit: RunBaselineConfig = {
    source: { kind: 'run-id', value: 'gh-4100-1' },
    required: false
  }
  const call = (id: string, run: string, cost: number): LogSummary => ({
    ...LOG,
    id,
    cost,
    metadata: JSON.stringify({ run_id: run })
  })
  /** Cloudflare's list endpoint over `rows`: 50 a page, with total_count. */
  const listOf = (rows: LogSummary[]) => (url: string) => {
    const query = new URL(url).searchParams
    const page = Number(query.get('page'))
    const perPage = Number(query.get('per_page'))
    const result = rows.slice((page - 1) * perPage, page * perPage)
    return json({
      success: true,
      errors: [],
      messages: [],
      result,
      result_info: {
        page,
        per_page: perPage,
        count: result.length,
        total_count: rows.length
      }
    })
  }
  const same = (n: number, run: string) =>
    Array.from({ length: n }, (_, i) => call(`${run}-${i}`, run, 0.01))
  const keep = (row: LogSummary) => row
  const scrub = scrubber([])

  it('is missing, saying why, when the gate reads no run', async () => {
    const deps = fakeDeps(() => new Error('no request may be sent'))
    const baseline = await readBaseline(
      config({ 'run-id': '', 'log-id': 'log-1' }),
      explicit,
      deps,
      scrub,
      keep
    )
    expect(baseline).toEqual({
      kind: 'missing',
      reason: 'the gate did not read a run (run-id)',
      workflowRun: null
    })
    expect(deps.sent).toEqual([])
  })

  it('is missing, saying why, when its costs add up past the largest number', async () => {
    const rows = [
      call('b-1', 'gh-4100-1', 1e308),
      call('b-2', 'gh-4100-1', 1e308)
    ]
    const baseline = await readBaseline(
      config(),
      explicit,
      fakeDeps(listOf(rows)),
      scrub,
      keep
    )
    expect(baseline).toEqual({
      kind: 'missing',
      reason:
        'the baseline, run "gh-4100-1" (metadata "run_id"), is not valid: the sum of cost over 2 calls is not a finite number (past 1.8e308, the largest a number holds)',
      workflowRun: null
    })
  })

  it('finds a baseline whose calls carry the run id as a number', async () => {
    const rows = [{ ...call('b-1', '', 0.5), metadata: '{"run_id":4100}' }]
    const baseline = await readBaseline(
      config({ 'run-id': '4242' }),
      { source: { kind: 'run-id', value: '4100' }, required: false },
      fakeDeps(listOf(rows)),
      scrub,
      keep
    )
    expect(baseline).toMatchObject({
      kind: 'found',
      runId: '4100',
      metrics: { count: 1 }
    })
  })

  it.each([
    [1, 1],
    [49, 1],
    [50, 2],
    [120, 3]
  ])(
    'reads a baseline of %p calls in %p list requests, filtered by its run id and key',
    async (calls, requests) => {
      const deps = fakeDeps(listOf(same(calls, 'gh-4100-1')))
      const baseline = await readBaseline(
        config({ 'run-id-key': 'eval_run' }),
        explicit,
        deps,
        scrub,
        keep
      )
      // The stand-in here ignores the filters: the rows carry run_id, not eval_run, so none is the run's.
      expect(baseline).toMatchObject({ kind: 'missing' })
      const filters = JSON.parse(
        new URL(deps.sent[0]!.url).searchParams.get('filters') ?? ''
      )
      expect(filters).toEqual([
        { key: 'metadata.key', operator: 'eq', value: ['eval_run'] },
        { key: 'metadata.value', operator: 'eq', value: ['gh-4100-1'] },
        { key: 'created_at', operator: 'lt', value: [expect.any(String)] }
      ])
      expect(deps.sent).toHaveLength(requests)

      const found = await readBaseline(
        config(),
        explicit,
        fakeDeps(listOf(same(calls, 'gh-4100-1'))),
        scrub,
        keep
      )
      expect(found).toMatchObject({
        kind: 'found',
        runId: 'gh-4100-1',
        describe: 'run "gh-4100-1" (metadata "run_id")',
        workflowRun: null
      })
      if (found.kind === 'found') expect(found.metrics.count).toBe(calls)
    }
  )

  it("keeps only the run's own calls (the API matches a metadata key and value independently), with the run's filters", async () => {
    const trap = {
      ...call('trap', 'gh-1-1', 5),
      metadata: JSON.stringify({ run_id: 'gh-1-1', note: 'gh-4100-1' })
    }
    const deps = fakeDeps(listOf([...same(3, 'gh-4100-1'), trap]))
    const filters = '[{"key":"model","operator":"eq","value":["gpt-4o-mini"]}]'
    const found = await readBaseline(
      config({ filters, since: '24h' }),
      explicit,
      deps,
      scrub,
      keep
    )
    expect(found).toMatchObject({ kind: 'found' })
    if (found.kind === 'found') expect(found.metrics.count).toBe(3)
    // The user's filters go along; the run's window does not: the baseline ran at another time.
    const sent = JSON.parse(
      new URL(deps.sent[0]!.url).searchParams.get('filters') ?? ''
    ) as { key: string; operator: string }[]
    expect(sent.map((f) => `${f.key} ${f.operator}`)).toEqual([
      'metadata.key eq',
      'metadata.value eq',
      'created_at lt',
      'model eq'
    ])
  })

  it('measures the rows as `prepare` leaves them (the caller scrubs secrets there)', async () => {
    const found = await readBaseline(
      config(),
      explicit,
      fakeDeps(listOf(same(2, 'gh-4100-1'))),
      scrub,
      (row) => ({
        ...row,
        model: 'prepared'
      })
    )
    expect(
      found.kind === 'found' && found.metrics.models.map((m) => m.model)
    ).toEqual(['prepared'])
  })

  it('is missing, never an error, when no calls of it are left or its pages cannot be read', async () => {
    expect(
      await readBaseline(config(), explicit, fakeDeps(listOf([])), scrub, keep)
    ).toEqual({
      kind: 'missing',
      reason:
        'no calls of run "gh-4100-1" (metadata "run_id") are left in the gateway',
      workflowRun: null
    })
    const refused = await readBaseline(
      config({ 'max-retries': '0' }),
      explicit,
      fakeDeps(() =>
        json(
          {
            success: false,
            errors: [{ code: 10000, message: 'Authentication error' }]
          },
          403
        )
      ),
      scrub,
      keep
    )
    expect(refused.kind === 'missing' && refused.reason).toMatch(
      /^the baseline, run "gh-4100-1" \(metadata "run_id"\): its calls could not be read: HTTP 403 from the API \(10000: Authentication error\)/
    )
  })

  it('rethrows what is not a reading failure (a bug is not "no baseline")', async () => {
    await expect(
      readBaseline(
        config(),
        explicit,
        fakeDeps(() => ({}) as RawResponse),
        scrub,
        keep
      )
    ).rejects.toThrow()
  })

  it('base-branch: one GitHub request, then the newest run read by its run-id value', async () => {
    const deps = fakeDeps((url) =>
      url.startsWith('https://api.github.test')
        ? runsAnswer({ id: 4100, run_attempt: 3 })
        : listOf(same(2, 'gh-4100-3'))(url)
    )
    const baseBranch: RunBaselineConfig = {
      source: { kind: 'base-branch', lookup: lookup() },
      required: false
    }
    const found = await readBaseline(config(), baseBranch, deps, scrub, keep)
    expect(found).toMatchObject({
      kind: 'found',
      runId: 'gh-4100-3',
      workflowRun: { id: 4100, attempt: 3, branch: 'main' }
    })
    expect(deps.sent.map((s) => new URL(s.url).host)).toEqual([
      'api.github.test',
      'api.cloudflare.com'
    ])
  })

  it('base-branch: a run GitHub names whose calls are gone says which run it was', async () => {
    const deps = fakeDeps((url) =>
      url.startsWith('https://api.github.test')
        ? runsAnswer({ id: 4100, run_attempt: 1 })
        : listOf([])(url)
    )
    const baseBranch: RunBaselineConfig = {
      source: { kind: 'base-branch', lookup: lookup() },
      required: true
    }
    expect(
      await readBaseline(config(), baseBranch, deps, scrub, keep)
    ).toMatchObject({
      kind: 'missing',
      reason:
        'no calls of run "gh-4100-1" (metadata "run_id") (the newest run on "main" that succeeded or failed, run 4100) are left in the gateway',
      workflowRun: {
        id: 4100,
        url: 'https://github.com/o/r/actions/runs/4100/attempts/1'
      }
    })
  })

  const baseBranch: RunBaselineConfig = {
    source: { kind: 'base-branch', lookup: lookup() },
    required: false
  }
  /** GitHub's runs and, for Cloudflare, the calls of each run-id value given. */
  const world =
    (runs: Record<string, unknown>[], calls: Record<string, number>) =>
    (url: string) => {
      if (url.startsWith('https://api.github.test')) return runsAnswer(...runs)
      const filters = new URL(url).searchParams.get('filters') ?? ''
      const value = Object.keys(calls).find((v) => filters.includes(`"${v}"`))
      return listOf(value ? same(calls[value]!, value) : [])(url)
    }

  it('base-branch: a failed run is a baseline (a failed gate is still a measurement)', async () => {
    const deps = fakeDeps(
      world(
        [
          { id: 4200, run_attempt: 1, conclusion: 'failure' },
          { id: 4100, run_attempt: 1 }
        ],
        { 'gh-4200-1': 3, 'gh-4100-1': 5 }
      )
    )
    const found = await readBaseline(config(), baseBranch, deps, scrub, keep)
    expect(found).toMatchObject({
      kind: 'found',
      runId: 'gh-4200-1',
      workflowRun: { id: 4200 }
    })
  })

  it('base-branch: past a run whose calls are gone, the next one, each named in the debug log', async () => {
    const deps = fakeDeps(
      world(
        [
          { id: 4300, run_attempt: 1, conclusion: 'failure' },
          { id: 4250, run_attempt: 1, conclusion: 'cancelled' },
          { id: 4200, run_attempt: 2 },
          { id: 4100, run_attempt: 1 }
        ],
        { 'gh-4200-2': 4, 'gh-4100-1': 5 }
      )
    )
    const found = await readBaseline(config(), baseBranch, deps, scrub, keep)
    expect(found).toMatchObject({
      kind: 'found',
      runId: 'gh-4200-2',
      workflowRun: { id: 4200, attempt: 2 }
    })
    if (found.kind === 'found') expect(found.metrics.count).toBe(4)
    // One GitHub page, one list request per run tried; run 4100 is not read.
    expect(deps.sent.map((s) => new URL(s.url).host)).toEqual([
      'api.github.test',
      'api.cloudflare.com',
      'api.cloudflare.com'
    ])
    expect(deps.debugs).toEqual(
      expect.arrayContaining([
        'baseline: reading run 4300 of "main" (run "gh-4300-1" (metadata "run_id"))',
        'baseline: no calls of run 4300 (run "gh-4300-1" (metadata "run_id")) are left in the gateway',
        'baseline: run 4250 of eval.yml on "main" passed over: its conclusion is "cancelled", neither "success" nor "failure"',
        'baseline: reading run 4200 of "main" (run "gh-4200-2" (metadata "run_id"))'
      ])
    )
  })

  it('base-branch: tries at most MAX_BASELINE_RUNS runs, and says which', async () => {
    const deps = fakeDeps(
      world(
        [
          { id: 4400, run_attempt: 1 },
          { id: 4300, run_attempt: 1, conclusion: 'failure' },
          { id: 4200, run_attempt: 1 },
          { id: 4100, run_attempt: 1 }
        ],
        { 'gh-4100-1': 5 }
      )
    )
    const missing = await readBaseline(config(), baseBranch, deps, scrub, keep)
    expect(missing).toEqual({
      kind: 'missing',
      reason:
        'no calls of the 3 newest runs on "main" that succeeded or failed are left in the gateway: run 4400 (run "gh-4400-1" (metadata "run_id")), run 4300 (run "gh-4300-1" (metadata "run_id")), run 4200 (run "gh-4200-1" (metadata "run_id"))',
      workflowRun: expect.objectContaining({ id: 4400 })
    })
    expect(deps.sent).toHaveLength(4)
  })

  it('base-branch: a lookup that fails before any run was tried says only why', async () => {
    const deps = fakeDeps((url) =>
      url.startsWith('https://api.github.test')
        ? json({ message: 'Server Error' }, 502)
        : new Error('no Cloudflare request may be sent')
    )
    expect(await readBaseline(config(), baseBranch, deps, scrub, keep)).toEqual(
      {
        kind: 'missing',
        reason:
          'GitHub answered HTTP 502: "Server Error" for the runs of workflow eval.yml of o/r',
        workflowRun: null
      }
    )
  })

  /** The list endpoint over `rows`, whose answers claim `total` calls and hold up to `perPage + extra` rows a page. */
  const listClaiming =
    (rows: LogSummary[], total: number, extra = 0) =>
    (url: string) => {
      const query = new URL(url).searchParams
      const page = Number(query.get('page'))
      const perPage = Number(query.get('per_page')) + extra
      const result = rows.slice((page - 1) * perPage, page * perPage)
      return json({
        success: true,
        errors: [],
        messages: [],
        result,
        result_info: {
          page,
          per_page: perPage,
          count: result.length,
          total_count: total
        }
      })
    }

  it('throws, never a missing baseline, when its calls cannot all be read', async () => {
    const error = await readBaseline(
      config(),
      explicit,
      fakeDeps(listClaiming(same(2, 'gh-4100-1'), 3)),
      scrub,
      keep
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CollectError)
    expect(error).toMatchObject({ kind: 'incomplete' })
    expect((error as Error).message).toMatch(
      /^Baseline: Could not read every call of run "gh-4100-1" \(metadata "run_id"\): read 2 distinct calls, the API counts 3;/
    )
  })

  it('throws, never a missing baseline, when the API pages against its own rules', async () => {
    const error = await readBaseline(
      config(),
      explicit,
      fakeDeps(listClaiming(same(51, 'gh-4100-1'), 51, 1)),
      scrub,
      keep
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CollectError)
    expect(error).toMatchObject({ kind: 'invalid' })
    expect((error as Error).message).toMatch(
      /^Baseline: The API answered page 1 of run "gh-4100-1" \(metadata "run_id"\) with 51 rows, more than the 50 asked/
    )
  })

  it('is missing, saying why, when it has more calls than max-logs', async () => {
    expect(
      await readBaseline(
        config({ 'max-logs': '1' }),
        explicit,
        fakeDeps(listOf(same(2, 'gh-4100-1'))),
        scrub,
        keep
      )
    ).toEqual({
      kind: 'missing',
      reason: expect.stringMatching(
        /^the baseline, run "gh-4100-1" \(metadata "run_id"\): its calls could not be read: 2 calls match run "gh-4100-1" \(metadata "run_id"\), more than max-logs \(1\)/
      ),
      workflowRun: null
    })
  })

  it('base-branch: a lookup that fails after runs were tried says both', async () => {
    let githubAsked = 0
    const deps = fakeDeps((url) => {
      if (!url.startsWith('https://api.github.test')) return listOf([])(url)
      githubAsked++
      return githubAsked === 1
        ? runsAnswer(
            ...manyRuns(19).map((r) => ({ ...r, conclusion: 'cancelled' })),
            {
              id: 4000,
              run_attempt: 1
            }
          )
        : json({ message: 'Server Error' }, 502)
    })
    const missing = await readBaseline(config(), baseBranch, deps, scrub, keep)
    expect(missing).toMatchObject({
      kind: 'missing',
      reason:
        'no calls of run "gh-4000-1" (metadata "run_id") (the newest run on "main" that succeeded or failed, run 4000) are left in the gateway, and the next run could not be looked up: GitHub answered HTTP 502: "Server Error" for the runs of workflow eval.yml of o/r',
      workflowRun: { id: 4000 }
    })
  })
})
