// The whole job summary and PR comment of a gate measured by GraphQL Analytics: the source and why,
// exact or estimated, no per-call sections, the trend; and hostile model names in its per-model rows.
import { describe, expect, it } from '@jest/globals'
import { renderReport, type Location } from '../../src/report/markdown.js'
import { renderComment, type CommentContext } from '../../src/report/comment.js'
import { measureCalls } from '../../src/sources/logs.js'
import { judge } from '../../src/gate/verdict.js'
import { LOG } from '../helpers/fixtures.js'
import {
  insideDetails,
  outsideDetails,
  visibleLines
} from '../helpers/comment.js'
import {
  analytics,
  analyticsMetrics,
  COVERED,
  HISTOGRAM_ESTIMATED,
  judged,
  MODELS,
  sampled,
  TOKENS_UNAVAILABLE,
  TREND_ESTIMATED,
  trendOf
} from './analytics-fixtures.js'

const where: Partial<Location> = {
  accountId: '0d37909e38d3e99c29fa2cd343ac421a',
  gatewayId: 'gw-1',
  selection: 'every call of gateway "gw-1" since 24h'
}
const context: CommentContext = {
  where,
  links: { run: { id: 7001, url: 'https://github.com/o/r/actions/runs/7001' } }
}
const nb = (text: string): string =>
  text.replace(/(\d) (USD|ms|s)\b/g, '$1\u00a0$2')
/** Every table in the markdown keeps as many cells in each row as in its header. */
function tablesAreWhole(markdown: string): void {
  for (const block of markdown.split('\n\n').filter((b) => b.startsWith('|'))) {
    const cells = block
      .split('\n')
      .map((row) => (row.match(/(?<!\\)\|/g) ?? []).length)
    expect(new Set(cells).size).toBe(1)
  }
}

describe('renderReport: a sampled analytics answer with a trend', () => {
  const report = renderReport(
    judged(
      sampled({
        trend: trendOf(14),
        caveats: [HISTOGRAM_ESTIMATED, TOKENS_UNAVAILABLE, TREND_ESTIMATED]
      })
    ),
    where
  )
  const paragraphs = report.split('\n\n')

  it('says which source answered and why, the window, and that its figures are estimates, right after the verdict', () => {
    expect(paragraphs[0]).toBe(
      '### ✅ AI Gateway gate: passed · all 3 checks passed'
    )
    expect(paragraphs[1]).toBe(
      '**Measured by GraphQL Analytics**: the window has 1,000,000 calls, more than max-logs \\(5000\\). Window covered: 2026-12-01 09:20:00 to 2026-12-02 09:20:00 UTC (24 h); analytics is minutes behind, so the calls of the last minutes may not be in it yet. Cloudflare answered from a sample of 12,000 calls: its figures are estimates (≈), and a threshold on an estimate is judged at the unfavourable end of its 95% interval.'
    )
    expect(report.match(/unfavourable end/g)).toHaveLength(1)
  })

  it('shows the models without a p95 column (analytics has none per model), counts with separators', () => {
    expect(paragraphs[2]).toBe(
      [
        '| Model | Calls | Cost | Tokens in / out | Errors |',
        '| --- | ---: | ---: | ---: | ---: |',
        nb(
          '| **all calls** | 1,000,000 | 1234.56 USD | 520,000,000 / 160,000,000 | 1,204\u00a0(0.1204%) |'
        ),
        nb(
          '| gpt-4o | 412,000 | 980.50 USD | 310,000,000 / 95,000,000 | 800 |'
        ),
        nb(
          '| gpt-4o-mini | 560,000 | 250.04 USD | 200,000,000 / 60,000,000 | 380 |'
        ),
        nb(
          '| @&#8203;cf/meta/llama-3.1-8b-instruct | 28,000 | 4.02 USD | 10,000,000 / 5,000,000 | 24 |'
        )
      ].join('\n')
    )
  })

  it('shows each checked estimate with its interval, and a percentile from a sampled histogram as an estimate', () => {
    const checks = paragraphs.find((p) => p.startsWith('| Metric |'))!
    expect(checks).toContain(
      nb('| cost.sum | ≈ 1234.56 USD (95%: 1190.10–1280.90 USD) |')
    )
    expect(checks).toContain('| duration.p95 | ≈ 3.8 s |')
    expect(checks).toContain(
      '| error-rate | ≈ 0.1204% (95%: 0.1139%–0.1273%) |'
    )
  })

  it('then the estimates, what analytics cannot give, and one line instead of the per-call sections', () => {
    expect(report).toContain('**Estimated from the sample**')
    expect(report).toContain(
      '| count | ≈ 1,000,000 calls | 990,000–1,010,000 calls |'
    )
    expect(report).toContain(
      '- tokens: GraphQL Analytics has no histogram of tokens in + out per call'
    )
    expect(report).toContain('need `source: logs`')
    expect(report).not.toMatch(
      /Costliest calls|Slowest calls|Failed calls|Calls by duration/
    )
  })

  it('ends with the trend: its heading, the cost and errors charts, the table, then where the calls were', () => {
    const trend = report.slice(report.indexOf('**Trend**'))
    expect(trend.split('\n\n')[0]).toBe(
      '**Trend**: the last 14 days (UTC), oldest first, estimated from the sample'
    )
    expect(trend.match(/```mermaid/g)).toHaveLength(2)
    expect(trend).toContain('title "Cost per day (USD)"')
    expect(trend).toContain('title "Errors per day"')
    expect(trend).toContain(
      nb('| 2026-12-02 (to 09:20:00) | 1,041,569 | 1126.90 USD | 1,203 |')
    )
    expect(report.trimEnd().split('\n').pop()).toMatch(
      /^<sub>Cloudflare AI Gateway /
    )
  })

  it('keeps every table whole', () => {
    tablesAreWhole(report)
  })
})

describe('renderReport: an exact analytics answer', () => {
  const report = renderReport(judged(analytics()), where)

  it('says once that its figures are exact, and marks nothing as an estimate', () => {
    expect(report.match(/exact/g)).toHaveLength(1)
    expect(report).toContain(
      'Its figures are exact: Cloudflare computed them over every call.'
    )
    expect(report).not.toContain('≈')
    expect(report).not.toContain('Estimated from the sample')
    expect(report).not.toContain('**Trend**')
  })

  it('gives a totals line with separators when there is one model (no table row for all calls)', () => {
    const one = renderReport(
      judged(analytics({ metrics: { ...analyticsMetrics([MODELS[0]!]) } })),
      where
    )
    expect(one).toContain(
      nb(
        '**1,000,000 calls** · total cost **1234.56 USD** · p95 duration **3.8 s** · **1,204 errors** (0.1204%)'
      )
    )
    const estimated = renderReport(
      judged(sampled({ metrics: { ...analyticsMetrics([MODELS[0]!]) } })),
      where
    )
    expect(estimated).toContain(
      nb(
        '**≈ 1,000,000 calls** · total cost **≈ 1234.56 USD** · p95 duration **≈ 3.8 s** · **≈ 1,204 errors** (0.1204%)'
      )
    )
  })
})

describe('renderReport: the logs source', () => {
  const logs = measureCalls({
    kind: 'many',
    logs: [LOG, { ...LOG, id: 'b' }],
    describe: 'run'
  })
  const rules = {
    limits: { requireSuccess: true },
    thresholds: [],
    failOnBreach: true
  }

  it('reads as before when no reason was given, whatever window it covered', () => {
    const before = renderReport(judge(logs, rules), where)
    expect(
      renderReport(judge({ ...logs, covered: COVERED }, rules), where)
    ).toBe(before)
    expect(before).not.toContain('Measured by')
  })

  it('says why it answered when auto chose it, and keeps its per-call sections', () => {
    const report = renderReport(
      judge(
        { ...logs, why: 'run ids are read from the logs', covered: COVERED },
        rules
      ),
      where
    )
    expect(report).toContain(
      '**Measured by the Logs API**: run ids are read from the logs. Window covered: 2026-12-01 09:20:00 to 2026-12-02 09:20:00 UTC (24 h).'
    )
    expect(report).toContain('**Costliest calls**')
    expect(report).not.toContain('source: logs')
  })
})

describe('renderComment: analytics', () => {
  const comment = renderComment(
    judged(sampled({ trend: trendOf(14) })),
    context
  )
  const outside = outsideDetails(comment)

  it('says the source, why and that its figures are estimates above the fold, in one paragraph', () => {
    expect(comment.split('\n\n')[1]).toBe(
      '**Measured by GraphQL Analytics**: the window has 1,000,000 calls, more than max-logs \\(5000\\). Estimated from a sample of 12,000 calls (≈): thresholds are judged at the unfavourable end of the 95% interval.'
    )
    expect(outside).not.toContain('Window covered')
  })

  it('folds the window, checks, estimates and what is not available, and names them in the summary', () => {
    expect(comment).toContain(
      '<details><summary>Details: window, checks, estimates, what is not available</summary>'
    )
    const inside = insideDetails(comment)
    expect(inside).toContain(
      'Window covered: 2026-12-01 09:20:00 to 2026-12-02 09:20:00 UTC (24 h)'
    )
    expect(inside).toContain('**Estimated from the sample**')
    expect(inside).toContain('need `source: logs`')
  })

  it('folds the trend in details of its own, its table open inside (no details within details)', () => {
    expect(comment).toContain(
      '<details><summary>Trend: the last 14 days, cost and errors per day</summary>'
    )
    expect(outside).not.toContain('```mermaid')
    expect(comment.match(/<details>/g)).toHaveLength(2)
    const long = renderComment(judged(sampled({ trend: trendOf(62) })), context)
    expect(long.match(/<details>/g)).toHaveLength(2)
    expect(long).toContain(
      '<details><summary>Trend: the last 62 days, cost and errors per day</summary>'
    )
    expect(insideDetails(long).match(/^\| 20\d\d-/gm)).toHaveLength(62)
  })

  it('stays short above the fold', () => {
    expect(visibleLines(comment).length).toBeLessThanOrEqual(14)
  })

  it('says that an exact answer is exact, and never writes the account id', () => {
    const exact = renderComment(judged(analytics()), context)
    expect(exact.split('\n\n')[1]).toContain(
      'Exact: computed by Cloudflare over every call.'
    )
    expect(exact).toContain(
      '<details><summary>Details: window, checks</summary>'
    )
    expect(exact).not.toContain(where.accountId)
  })
})

describe('hostile text in an analytics per-model row and in the reason', () => {
  const hostile =
    'gpt-4o | x `tick` <script>alert(1)</script>\n| a | b |\n```\n%%{init: {}}%% @octocat [x](javascript:alert(1))'
  const measured = sampled({
    why: `gateway ${hostile}`,
    metrics: analyticsMetrics([
      { ...MODELS[0]!, model: hostile, provider: hostile },
      { ...MODELS[1]!, model: hostile, provider: 'openai' },
      MODELS[2]!
    ]),
    trend: trendOf(62)
  })
  const outcome = judged(measured)
  const outputs = [
    ['summary', renderReport(outcome, where)],
    ['comment', renderComment(outcome, context)]
  ] as const

  it.each(outputs)(
    '%s: adds no HTML but its own tags, links nothing new, mentions nobody',
    (_name, markdown) => {
      const withoutOurs = markdown.replace(/<\/?(details|summary|sub)>/g, '')
      expect(withoutOurs).not.toMatch(/<[a-z/!]/i)
      expect(markdown).toContain('&lt;script&gt;alert\\(1\\)&lt;/script&gt;')
      expect(markdown).not.toContain('](javascript')
      expect(markdown).not.toMatch(/@(?!&#8203;)/)
    }
  )

  it.each(outputs)(
    '%s: keeps every table row to its header, and the hostile text on one line',
    (_name, markdown) => {
      tablesAreWhole(markdown)
      expect(
        markdown.split('\n').filter((l) => l.startsWith('| a | b |'))
      ).toEqual([])
      expect(markdown.split('\n').filter((l) => l.startsWith('```'))).toEqual(
        Array.from({ length: 2 }, () => ['```mermaid', '```']).flat()
      )
      expect(
        markdown.split('\n').filter((l) => l.includes('%%{'))
      ).toHaveLength(2)
    }
  )

  it('writes the hostile model once per row, escaped, with its provider when two providers share the name', () => {
    const summary = outputs[0][1]
    const rows = summary
      .split('\n')
      .filter((l) => l.startsWith('| gpt-4o \\| x'))
    expect(rows).toHaveLength(2)
    expect(rows[0]).toMatch(/^\| gpt-4o \\\| x \\`tick\\` &lt;script&gt;/)
  })
})

describe('the trend marked estimated', () => {
  const heading = (report: string): string =>
    report.slice(report.indexOf('**Trend**')).split('\n\n')[0]!
  const exactHeading = '**Trend**: the last 3 days (UTC), oldest first'

  it("follows the trend's own caveat, whatever the source: a logs gate whose trend query was sampled", () => {
    const logs = analytics({
      source: 'logs',
      trend: trendOf(3),
      caveats: [TREND_ESTIMATED]
    })
    expect(heading(renderReport(judged(logs), where))).toBe(
      `${exactHeading}, estimated from the sample`
    )
  })

  it('is not marked by a sample of other figures: a sampled histogram, an exact trend', () => {
    const report = renderReport(judged(sampled({ trend: trendOf(3) })), where)
    expect(heading(report)).toBe(exactHeading)
  })
})
