import { beforeEach, describe, expect, it } from '@jest/globals'
import { measureCalls } from '../../src/sources/logs.js'
import { computeMetrics, type LogSummary } from '../../src/sources/metrics.js'
import { parseThresholds } from '../../src/inputs/thresholds.js'
import { judge, type Outcome } from '../../src/gate/verdict.js'
import type { Baseline } from '../../src/sources/baseline.js'
import type { LogDetail } from '../../src/cloudflare/log.js'
import type { RunLinks } from '../../src/github/context.js'
import {
  MAX_COMMENT_MODELS,
  MAX_COMMENT_PROBLEMS,
  renderComment,
  withoutAccountId,
  type CommentContext
} from '../../src/report/comment.js'
import { renderReport, MAX_FAILED_CALLS } from '../../src/report/markdown.js'
import { LOG } from '../helpers/fixtures.js'
import {
  insideDetails,
  outsideDetails,
  visibleLines
} from '../helpers/comment.js'
import {
  analytics,
  HISTOGRAM_ESTIMATED,
  judged as judgedAnalytics,
  sampled,
  TOKENS_UNAVAILABLE,
  trendOf
} from './analytics-fixtures.js'

const ACCOUNT = '0d37909e38d3e99c29fa2cd343ac421a'
const SHA = '3f9a2c4d1e0b7a6958c4d3e2f1a0b9c8d7e6f5a4'
const links: RunLinks = {
  run: { id: 7001, url: 'https://github.com/o/r/actions/runs/7001' },
  commit: { sha: SHA, url: `https://github.com/o/r/commit/${SHA}` }
}
const context: CommentContext = {
  where: { accountId: ACCOUNT, gatewayId: 'gw-1', selection: 'run "gh-1"' },
  links
}

const call = (id: string, fields: Partial<LogSummary>): LogSummary => ({
  ...LOG,
  id,
  ...fields
})
/** A run: `n` calls over `models` models, `failed` of them failed with 500, 429 or 503. */
const runOf = (n: number, models: number, failed = 0, costScale = 1) =>
  Array.from({ length: n }, (_, i) =>
    call(`call-${String(i).padStart(3, '0')}`, {
      model: `model-${i % models}`,
      cost: Number(((i + 1) * 0.0012345 * costScale).toFixed(7)),
      duration: 200 + ((i * 137) % 3800),
      success: i >= failed,
      status_code: i < failed ? [500, 429, 503][i % 3] : 200
    })
  )
const found = (logs: LogSummary[], branch = 'main'): Baseline => ({
  kind: 'found',
  runId: 'gh-4100-1',
  describe: 'run "gh-4100-1" (metadata "run_id")',
  metrics: computeMetrics(logs),
  workflowRun: {
    id: 4100,
    attempt: 1,
    branch,
    headSha: 'c0ffee'.padEnd(40, '0'),
    url: 'https://github.com/o/r/actions/runs/4100/attempts/1'
  }
})
const judged = (
  logs: LogSummary[],
  thresholds: string,
  baseline?: Baseline,
  failOnBreach = true
): Outcome => {
  const parsed = parseThresholds(thresholds)
  expect(parsed.problems).toEqual([])
  return judge(
    measureCalls({ kind: 'many', logs, describe: 'run' }),
    {
      limits: { requireSuccess: false },
      thresholds: parsed.thresholds,
      failOnBreach
    },
    baseline
  )
}

describe('renderComment: a run against its baseline', () => {
  const current = [
    ...runOf(40, 3, 4, 2),
    call('new-1', { model: 'gpt-4o', cost: 0.05, duration: 900 })
  ]
  const before = [
    ...runOf(30, 3, 1),
    call('gone-1', { model: 'mistral-small', cost: 0.01, duration: 700 })
  ]
  // Rendered in each test, not as the file loads: Stryker then sees which tests cover the report's code.
  let outcome: Outcome
  let comment: string
  beforeEach(() => {
    outcome = judged(
      current,
      'cost <= baseline + 10%\nduration.p95 < 8s\nerror-rate < 5%\nwarn: cost.max <= $0.02',
      found(before)
    )
    comment = renderComment(outcome, context)
  })

  it('opens with the result, the change in cost against the base branch, and how many checks failed', () => {
    expect(comment.split('\n')[0]).toBe(
      '### ❌ AI Gateway gate: failed · cost +255% vs main (2.07 USD vs 0.584 USD) · 2 of 3 checks failed · 1 warning'
    )
    // The same first line as the job summary's.
    expect(renderReport(outcome, context.where).split('\n')[0]).toBe(
      comment.split('\n')[0]
    )
  })

  it('then the checks that failed or warned, one line each, failures first', () => {
    expect(comment.split('\n').slice(2, 5)).toEqual([
      '- ❌ cost.sum 2.07 USD &gt; baseline + 10% \\(0.6424 USD\\)',
      '- ❌ error-rate 9.756% \\(4 of 41 calls\\) &gt;= 5%',
      '- ⚠️ warning: cost.max 0.09876 USD &gt; 0.02 USD \\(call call-039\\)'
    ])
  })

  it('then one table of the models with their change, new and gone marked, without a provider column', () => {
    const table = comment
      .split('\n\n')
      .find((block) => block.startsWith('| Model |'))!
    const rows = table.split('\n')
    expect(rows[0]).toBe(
      '| Model | Calls | Cost | Change | p95 duration | Change | Errors |'
    )
    expect(rows[2]).toMatch(/^\| \*\*all calls\*\* \| 41 \| /)
    expect(rows.find((r) => r.startsWith('| gpt-4o |'))).toMatch(
      /\| new \|.*\| new \| 0 \|$/
    )
    expect(rows.at(-1)).toBe('| mistral-small | 0 | — | gone | — | gone | — |')
    expect(table).not.toContain('Provider')
    expect(table).not.toContain('Tokens')
  })

  it('folds every other detail, charts included, into <details>', () => {
    const outside = outsideDetails(comment)
    expect(outside).not.toContain('```')
    expect(outside).not.toContain('| Metric |')
    expect(outside).not.toContain('Costliest')
    expect(comment).toContain(
      '<details><summary>Details: comparison, checks, failed calls, costliest and slowest calls, charts</summary>\n\n'
    )
    const inside = insideDetails(comment)
    expect(inside.match(/```mermaid/g)).toHaveLength(2)
    expect(inside).toContain('**Compared with the baseline**')
    expect(inside).toContain('| Metric | Actual | Limit | Level | Result |')
    expect(inside).toContain('**Failed calls** (4 of 41 calls)')
    expect(inside).toContain(
      [
        '| Call | Model | Status code |',
        '| --- | --- | ---: |',
        '| call-000 | model-0 | 500 |',
        '| call-001 | model-1 | 429 |',
        '| call-002 | model-2 | 503 |',
        '| call-003 | model-0 | 500 |'
      ].join('\n')
    )
    expect(visibleLines(comment).length).toBeLessThanOrEqual(30)
  })

  it('ends with the run whose job summary has the whole report, the commit, and where the calls were, without the account', () => {
    expect(comment.trimEnd().split('\n').at(-1)).toBe(
      `<sub>Full report: [job summary of workflow run 7001](https://github.com/o/r/actions/runs/7001) · commit [\`3f9a2c4\`](https://github.com/o/r/commit/${SHA}) · Cloudflare AI Gateway run "gh-1" · gateway gw-1</sub>`
    )
    expect(comment).not.toContain(ACCOUNT)
    expect(comment).not.toContain('account')
  })
})

describe('renderComment: size', () => {
  it(`stays within 30 visible lines with ${MAX_COMMENT_MODELS + 15} models and a dozen failed checks`, () => {
    const logs = runOf(200, MAX_COMMENT_MODELS + 15, 30)
    const thresholds = Array.from(
      { length: 12 },
      (_, i) => `cost.p${[50, 90, 95, 99][i % 4]} < $0.00000${i + 1}`
    ).join('\n')
    const comment = renderComment(
      judged(logs, thresholds, found(runOf(100, 4))),
      context
    )
    const visible = visibleLines(comment)
    expect(visible.length).toBeLessThanOrEqual(30)
    const problems = visible.filter((l) => l.startsWith('- '))
    expect(problems).toHaveLength(MAX_COMMENT_PROBLEMS + 1)
    expect(problems.at(-1)).toBe('- …and 7 more (see the checks below)')
    expect(visible).toContain('_…and 15 more models in the job summary._')
    // Failed calls: the first MAX_FAILED_CALLS, then how many more.
    const inside = insideDetails(comment)
    expect(inside).toContain('**Failed calls** (30 of 200 calls)')
    expect(
      inside
        .split('\n')
        .filter((l) => /^\| call-\d+ \| model-\d+ \| \d{3} \|$/.test(l))
    ).toHaveLength(MAX_FAILED_CALLS)
    expect(inside).toContain('_…and 20 more failed calls._')
  })

  it('without a baseline: no change in the first line, no cost chart, the rest folded', () => {
    const comment = renderComment(judged(runOf(10, 2), 'cost <= $1'), context)
    expect(comment.split('\n')[0]).toBe(
      '### ✅ AI Gateway gate: passed · 1 check passed'
    )
    expect(comment).toContain(
      '<details><summary>Details: checks, costliest and slowest calls, charts</summary>'
    )
    // No baseline: no cost chart, the histogram only.
    expect(insideDetails(comment).match(/```mermaid/g)).toHaveLength(1)
  })

  it('says above the table why there is no baseline', () => {
    const missing: Baseline = {
      kind: 'missing',
      reason: 'no successful run of eval.yml on "main" yet',
      workflowRun: null
    }
    const comment = renderComment(
      judged(runOf(10, 2), 'cost <= baseline + 10%', missing),
      context
    )
    const visible = visibleLines(comment)
    expect(visible[0]).toBe(
      '### ✅ AI Gateway gate: passed · no error-level checks · 1 warning'
    )
    expect(visible).toContain(
      '**No baseline to compare with**: no successful run of eval.yml on "main" yet'
    )
    expect(insideDetails(comment)).not.toContain('No baseline')
  })
})

describe('renderComment: one log', () => {
  const log: LogDetail = {
    ...LOG,
    cost: 0.75,
    duration: 9400,
    metadata: '{"eval":"long-context"}'
  }
  let outcome: Outcome
  beforeEach(() => {
    outcome = judge(measureCalls({ kind: 'log', log }), {
      limits: { requireSuccess: true, maxCostUsd: 0.05, maxDurationMs: 2000 },
      thresholds: [],
      failOnBreach: true
    })
  })

  it('is the verdict, the failed checks, the call in one line, the details folded, the links', () => {
    const comment = renderComment(outcome, {
      where: { accountId: ACCOUNT, gatewayId: 'gw-1', logId: 'log-1' },
      links
    })
    expect(visibleLines(comment)).toEqual([
      '### ❌ AI Gateway gate: failed · 2 of 3 checks failed',
      '- ❌ cost 0.75 USD &gt; max-cost 0.05 USD',
      '- ❌ duration 9.4 s &gt; max-duration 2 s',
      'Call log-1: **gpt-4o-mini** (openai) · 0.75 USD · 9.4 s · 412 in / 96 out tokens · status 200 · success',
      '<details>',
      `<sub>Full report: [job summary of workflow run 7001](https://github.com/o/r/actions/runs/7001) · commit [\`3f9a2c4\`](https://github.com/o/r/commit/${SHA}) · Cloudflare AI Gateway log log-1 · gateway gw-1</sub>`
    ])
    const inside = insideDetails(comment)
    expect(inside).toContain('| cost | 0.75 USD | ≤ 0.05 USD | ❌ fail |')
    expect(inside).toContain('| **Model** | gpt-4o-mini |')
    expect(inside).toContain('| eval | long-context |')
  })
})

describe('renderComment: an error', () => {
  it('is the error, its own sign, the message without the account id, and the links', () => {
    const comment = renderComment(
      {
        kind: 'error',
        message: `No calls found for run "gh-1" in gateway "gw-1" of account "${ACCOUNT}".`
      },
      context
    )
    expect(comment).toBe(
      [
        '### ⛔ AI Gateway gate: error, no verdict',
        '',
        'No calls found for run "gh-1" in gateway "gw-1" of account "\\*\\*\\*".',
        '',
        `<sub>Full report: [job summary of workflow run 7001](https://github.com/o/r/actions/runs/7001) · commit [\`3f9a2c4\`](https://github.com/o/r/commit/${SHA}) · Cloudflare AI Gateway run "gh-1" · gateway gw-1</sub>`,
        ''
      ].join('\n')
    )
  })
})

describe('renderComment: links', () => {
  const outcome: Outcome = { kind: 'error', message: 'boom' }
  const footer = (l: RunLinks) =>
    renderComment(outcome, { where: {}, links: l }).trimEnd().split('\n').at(-1)

  it('says where the report is without a link when the run is not known, and the commit without a link without its page', () => {
    expect(footer({})).toBe(
      '<sub>Full report: the job summary of this workflow run</sub>'
    )
    expect(footer({ commit: { sha: SHA } })).toBe(
      '<sub>Full report: the job summary of this workflow run · commit `3f9a2c4`</sub>'
    )
  })

  it('never links a target that is not http(s), and encodes what could end a link', () => {
    expect(footer({ run: { id: 1, url: 'javascript:alert(1)' } })).toBe(
      '<sub>Full report: the job summary of this workflow run</sub>'
    )
    expect(
      footer({
        run: { id: 1, url: 'https://x.example/r)[y](https://evil.example' }
      })
    ).toBe(
      '<sub>Full report: [job summary of workflow run 1](https://x.example/r%29%5By%5D%28https://evil.example)</sub>'
    )
  })
})

describe('renderComment: hostile text', () => {
  const hostile =
    '<img src=x onerror=alert(1)> [x](javascript:alert(1)) @octocat `tick` | pipe\n::error::x %%{init}%% ```'
  const logs = [
    call('a', { model: hostile, provider: hostile, cost: 0.5 }),
    call('b', { model: 'gpt-4o-mini', cost: 0.25, success: false }),
    call(hostile, { model: hostile, cost: 0.1, success: false })
  ]
  let comment: string
  beforeEach(() => {
    comment = renderComment(
      judged(
        logs,
        'error-rate < 1%',
        found([call('x', { model: hostile, cost: 0.2 })], hostile)
      ),
      {
        where: { accountId: hostile, gatewayId: hostile, selection: hostile },
        links
      }
    )
  })

  it('adds no HTML but its own details, summary and sub tags', () => {
    const withoutOurs = comment.replace(
      /<\/?(details|summary|sub)>|<!--[^\n]*-->/g,
      ''
    )
    expect(withoutOurs).not.toMatch(/<[a-z/!]/i)
    expect(comment).toContain('&lt;img src=x onerror=alert\\(1\\)&gt;')
  })

  it('links only the run and the commit, and mentions nobody', () => {
    expect(comment.match(/\]\(/g)).toHaveLength(3) // the run, the commit, the baseline run
    expect(comment).not.toMatch(/@(?!&#8203;)/)
  })

  it('keeps every table row to its header, and starts no line with the hostile text', () => {
    for (const block of comment
      .split('\n\n')
      .filter((b) => b.startsWith('|'))) {
      const cells = block
        .split('\n')
        .map((row) => (row.match(/(?<!\\)\|/g) ?? []).length)
      expect(new Set(cells).size).toBe(1)
    }
    expect(comment.split('\n').filter((l) => l.startsWith('::'))).toEqual([])
  })

  it('keeps the charts inert: one init directive of its own per chart, fences of its own', () => {
    expect(comment.split('\n').filter((l) => l.includes('%%{'))).toHaveLength(2)
    expect(comment.split('\n').filter((l) => l.startsWith('```'))).toEqual([
      '```mermaid',
      '```',
      '```mermaid',
      '```'
    ])
  })
})

describe('withoutAccountId', () => {
  it('hides the account id as given and as escaped, and leaves a value too short to be one', () => {
    expect(withoutAccountId(`a ${ACCOUNT} b`, ACCOUNT)).toBe('a \\*\\*\\* b')
    expect(withoutAccountId('a acc_id_12 b', 'acc_id_12')).toBe('a \\*\\*\\* b')
    expect(withoutAccountId('a acc\\_id\\_12 b', 'acc_id_12')).toBe(
      'a \\*\\*\\* b'
    )
    expect(withoutAccountId('a abc b', 'abc')).toBe('a abc b')
    expect(withoutAccountId('a b', undefined)).toBe('a b')
  })
})

// Whole comments the mutation run (Stryker) found unpinned: nothing left empty between the parts.
describe('renderComment: whole comments', () => {
  it('of an empty selection: the verdict, the totals in the details, the links, no empty part', () => {
    expect(renderComment(judged([], ''), context)).toBe(
      [
        '### \u2705 AI Gateway gate: passed \u00b7 no limits set',
        '',
        '<details><summary>Details: checks, costliest and slowest calls, charts</summary>',
        '',
        '_No limits or thresholds were set: nothing was checked._',
        '',
        '</details>',
        '',
        '<sub>Full report: [job summary of workflow run 7001](https://github.com/o/r/actions/runs/7001) \u00b7 commit [`3f9a2c4`](https://github.com/o/r/commit/3f9a2c4d1e0b7a6958c4d3e2f1a0b9c8d7e6f5a4) \u00b7 Cloudflare AI Gateway run "gh-1" \u00b7 gateway gw-1</sub>',
        ''
      ].join('\n')
    )
  })

  it('of one log without metadata: its line, the details, the links', () => {
    const outcome = judge(
      measureCalls({ kind: 'log', log: { ...LOG, metadata: undefined } }),
      {
        limits: { requireSuccess: true },
        thresholds: [],
        failOnBreach: true
      }
    )
    expect(
      renderComment(outcome, {
        where: { accountId: ACCOUNT, gatewayId: 'gw-1', logId: 'log-1' },
        links
      })
    ).toBe(
      [
        '### \u2705 AI Gateway gate: passed \u00b7 1 check passed',
        '',
        'Call log-1: **gpt-4o-mini** (openai) \u00b7 0.0012 USD \u00b7 812 ms \u00b7 412 in / 96 out tokens \u00b7 status 200 \u00b7 success',
        '',
        '<details><summary>Details: checks, the call, its metadata</summary>',
        '',
        '| Check | Actual | Limit | Status |',
        '| --- | --- | --- | --- |',
        '| success | true | true | \u2705 pass |',
        '',
        '| Call |  |',
        '| --- | --- |',
        '| **Model** | gpt-4o-mini |',
        '| **Provider** | openai |',
        '| **Status code** | 200 |',
        '| **Success** | true |',
        '| **Cached** | false |',
        '| **Tokens** | 412 in / 96 out |',
        '| **Cost** | 0.0012 USD |',
        '| **Duration** | 812 ms |',
        '| **Created at** | 2026-11-25T09:30:12.345Z |',
        '| **Step** | \u2014 |',
        '',
        '</details>',
        '',
        '<sub>Full report: [job summary of workflow run 7001](https://github.com/o/r/actions/runs/7001) \u00b7 commit [`3f9a2c4`](https://github.com/o/r/commit/3f9a2c4d1e0b7a6958c4d3e2f1a0b9c8d7e6f5a4) \u00b7 Cloudflare AI Gateway log log-1 \u00b7 gateway gw-1</sub>',
        ''
      ].join('\n')
    )
  })
})

describe('withoutAccountId: the shortest id hidden', () => {
  it('hides an id of 8 characters, not one of 7', () => {
    expect(withoutAccountId('account 12345678.', '12345678')).toBe(
      'account \\*\\*\\*.'
    )
    expect(withoutAccountId('account 1234567.', '1234567')).toBe(
      'account 1234567.'
    )
  })
})

describe('renderComment: measured by GraphQL Analytics', () => {
  let comment: string
  beforeEach(() => {
    comment = renderComment(
      judgedAnalytics(sampled({ trend: trendOf(14) })),
      context
    )
  })

  it('folds the window, the estimates and what is not available, and names them in the summary', () => {
    expect(comment).toContain(
      '<details><summary>Details: window, checks, estimates, what is not available</summary>'
    )
    expect(insideDetails(comment)).toContain(
      'Window covered: 2026-12-01 09:20:00 to 2026-12-02 09:20:00 UTC (24 h)'
    )
    expect(outsideDetails(comment)).not.toContain('Window covered')
  })

  it('names no estimates in an exact answer, and nothing unavailable when every figure is there', () => {
    expect(
      renderComment(
        judgedAnalytics(analytics({ caveats: [TOKENS_UNAVAILABLE] })),
        context
      )
    ).toContain(
      '<details><summary>Details: window, checks, what is not available</summary>'
    )
    expect(
      renderComment(
        judgedAnalytics(sampled({ caveats: [HISTOGRAM_ESTIMATED] })),
        context
      )
    ).toContain(
      '<details><summary>Details: window, checks, estimates</summary>'
    )
  })

  it('folds a trend of one day under "the last day"', () => {
    const one = renderComment(
      judgedAnalytics(sampled({ trend: trendOf(1) })),
      context
    )
    expect(one).toContain(
      '<details><summary>Trend: the last day, cost and errors per day</summary>'
    )
  })

  it('says so, unfolded, when no day of the trend had calls', () => {
    const none = renderComment(judgedAnalytics(sampled({ trend: [] })), context)
    expect(outsideDetails(none)).toContain('**Trend**: no day of it had calls.')
    expect(none).not.toContain('<summary>Trend')
  })
})
