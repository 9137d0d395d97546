// Reading the baseline with the outside world replaced: GitHub's runs list and Cloudflare's list
// endpoint answered by a fake `send` that records every request, an event file on disk, no sleeps.
import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type {
  BaseBranchLookup,
  BaselineConfig
} from '../../src/inputs/baseline.js'
import { findBaseBranchRun, readBaseline } from '../../src/sources/baseline.js'
import { parseConfig, type Config } from '../../src/inputs/config.js'
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

describe('findBaseBranchRun', () => {
  const scrub = scrubber([GITHUB_TOKEN])

  it("asks GitHub once for the base branch's last successful run, with the token and the API version", async () => {
    const deps = fakeDeps(() =>
      runsAnswer({
        id: 4100,
        run_attempt: 2,
        head_sha: 'c0ffee'.padEnd(40, '0')
      })
    )
    const found = await findBaseBranchRun(
      lookup(),
      'gh-4242-1',
      deps,
      5000,
      scrub
    )
    expect(found).toEqual({
      runIdValue: 'gh-4100-2',
      workflowRun: {
        id: 4100,
        attempt: 2,
        branch: 'main',
        headSha: 'c0ffee'.padEnd(40, '0'),
        url: 'https://github.com/o/r/actions/runs/4100/attempts/2'
      }
    })
    expect(deps.sent).toEqual([
      {
        url: 'https://api.github.test/repos/o/r/actions/workflows/eval.yml/runs?branch=main&status=success&per_page=1&exclude_pull_requests=true',
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${GITHUB_TOKEN}`,
          'x-github-api-version': '2022-11-28',
          'user-agent': 'ai-gateway-gate'
        }
      }
    ])
  })

  it('says in the debug log what GitHub answered, for which workflow and branch', async () => {
    const deps = fakeDeps(() => json({ message: 'Server Error' }, 500))
    await findBaseBranchRun(lookup(), 'gh-4242-1', deps, 5000, scrub)
    expect(deps.debugs).toContain(
      'GitHub answered HTTP 500 for the last successful run of eval.yml on "main"'
    )
  })

  it('links no run when there is no server URL', async () => {
    const found = await findBaseBranchRun(
      lookup({ serverUrl: null }),
      'gh-4242-1',
      fakeDeps(() => runsAnswer({ id: 4100, run_attempt: 1 })),
      5000,
      scrub
    )
    expect(found.workflowRun?.url).toBeNull()
  })

  it('asks nothing when the event does not say the base branch', async () => {
    const deps = fakeDeps(() => runsAnswer())
    const found = await findBaseBranchRun(
      lookup({ eventPath: eventFile('{"pull_request": {}}') }),
      'gh-4242-1',
      deps,
      5000,
      scrub
    )
    expect(found).toEqual({
      missing:
        'the base branch is not known: the event has no pull_request.base.ref to find the base branch with',
      workflowRun: null
    })
    expect(deps.sent).toEqual([])
  })

  it.each<[string, RawResponse | Error, string]>([
    [
      'no successful run yet',
      runsAnswer(),
      'no successful run of eval.yml on "main" yet'
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
      'GitHub could not be asked for the last successful run of eval.yml on "main": connect ECONNREFUSED 127.0.0.1:1\\n::error::x (ECONNREFUSED)'
    ],
    [
      'an error that echoes the token',
      new Error(`bad header Bearer ${GITHUB_TOKEN}`),
      'GitHub could not be asked for the last successful run of eval.yml on "main": bad header Bearer ***'
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
      `GitHub could not be asked for the last successful run of eval.yml on "main": GitHub answered with more than ${MAX_BODY_BYTES} bytes (Content-Length 600000), more than any list of one workflow run; not read`
    ],
    [
      'a run of another workflow file',
      runsAnswer({ id: 4100, path: '.github/workflows/deploy.yml' }),
      'GitHub\'s answer lists run 4100 of workflow ".github/workflows/deploy.yml", not of this workflow ".github/workflows/eval.yml"'
    ]
  ])('%s is no baseline, saying why', async (_what, answer, missing) => {
    expect(
      await findBaseBranchRun(
        lookup(),
        'gh-4242-1',
        fakeDeps(() => answer),
        5000,
        scrub
      )
    ).toEqual({ missing, workflowRun: null })
  })

  it('says so when run-id holds the attempt and GitHub does not say which attempt succeeded', async () => {
    const found = await findBaseBranchRun(
      lookup(),
      'gh-4242-1',
      fakeDeps(() => runsAnswer({ id: 4100 })),
      5000,
      scrub
    )
    expect(found).toMatchObject({
      missing:
        'GitHub did not say which attempt of run 4100 succeeded (run_attempt), and run-id holds the attempt',
      workflowRun: { id: 4100 }
    })
    const withoutAttempt = await findBaseBranchRun(
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
  const explicit: BaselineConfig = {
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

  it('base-branch: one GitHub request, then the found run read by its run-id value', async () => {
    const deps = fakeDeps((url) =>
      url.startsWith('https://api.github.test')
        ? runsAnswer({ id: 4100, run_attempt: 3 })
        : listOf(same(2, 'gh-4100-3'))(url)
    )
    const baseBranch: BaselineConfig = {
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
    const baseBranch: BaselineConfig = {
      source: { kind: 'base-branch', lookup: lookup() },
      required: true
    }
    expect(
      await readBaseline(config(), baseBranch, deps, scrub, keep)
    ).toMatchObject({
      kind: 'missing',
      reason:
        'no calls of run "gh-4100-1" (metadata "run_id") (the last successful run on "main", run 4100) are left in the gateway',
      workflowRun: {
        id: 4100,
        url: 'https://github.com/o/r/actions/runs/4100/attempts/1'
      }
    })
  })
})
