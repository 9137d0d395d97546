import { measureCalls } from '../../src/sources/logs.js'
import { beforeEach, describe, expect, it } from '@jest/globals'
import type { LogDetail } from '../../src/cloudflare/log.js'
import { LOG } from '../helpers/fixtures.js'
import { elapsedMs, HOSTILE_TEXTS, LINEAR_CPU_MS } from '../helpers/hostile.js'
import type { WorkflowRun } from '../../src/github/runs.js'
import type { Baseline } from '../../src/sources/baseline.js'
import { change } from '../../src/gate/comparison.js'
import { computeMetrics, type LogSummary } from '../../src/sources/metrics.js'
import {
  baselineLine,
  callLine,
  changeText,
  charts,
  escapeText,
  linkTarget,
  MAX_FAILED_CALLS,
  MAX_VALUE_CHARS,
  percentText,
  renderReport,
  totalsLine,
  type Location
} from '../../src/report/markdown.js'
import { parseThresholds } from '../../src/inputs/thresholds.js'
import { truncateMarkdown } from '../../src/text/markdown.js'
import { judge, type Outcome } from '../../src/gate/verdict.js'
import { type Limits } from '../../src/inputs/limits.js'
import {
  analytics,
  analyticsMetrics,
  judged as judgedAnalytics,
  MODELS,
  sampled,
  trendOf
} from './analytics-fixtures.js'

/** A number and its unit as the report's tables join them: a no-break space, so no cell wraps between them. */
const nb = (text: string): string =>
  text
    .replace(/(\d) (USD|ms|s)\b/g, '$1\u00a0$2')
    .replace(/\| (\d+) (\(\d[\d.]*%\)) \|$/, '| $1\u00a0$2 |')

const log: LogDetail = {
  ...LOG,
  step: 0,
  metadata: '{"run":"nightly","pr":42}'
}
const where: Partial<Location> = {
  accountId: 'acc-1',
  gatewayId: 'gw-1',
  logId: 'log-1'
}
const limits = (extra: Partial<Limits>): Limits => ({
  requireSuccess: true,
  ...extra
})
const checked = (l: LogDetail, lim: Limits, failOnBreach = true): Outcome =>
  judge(measureCalls({ kind: 'log', log: l }), {
    limits: lim,
    thresholds: [],
    failOnBreach
  })

const CALL_AND_METADATA = [
  '| Call |  |',
  '| --- | --- |',
  '| **Model** | gpt-4o-mini |',
  '| **Provider** | openai |',
  '| **Status code** | 200 |',
  '| **Success** | SUCCESS |',
  '| **Cached** | false |',
  '| **Tokens** | TOKENS |',
  '| **Cost** | COST |',
  '| **Duration** | 812 ms |',
  '| **Created at** | 2026-11-25T09:30:12.345Z |',
  '| **Step** | 0 |',
  '',
  '| Metadata |  |',
  '| --- | --- |',
  '| run | nightly |',
  '| pr | 42 |',
  '',
  '<sub>Cloudflare AI Gateway log log-1 · gateway gw-1 · account acc-1 (dashboard: AI › AI Gateway › Logs)</sub>',
  ''
].join('\n')

const callAndMetadata = (
  success: string,
  tokens: string,
  cost: string
): string =>
  CALL_AND_METADATA.replace('SUCCESS', success)
    .replace('TOKENS', tokens)
    .replace('COST', cost)

/** The rows of `| ` tables, one array of lines per table. */
function tables(markdown: string): string[][] {
  const found: string[][] = []
  let current: string[] | undefined
  for (const line of markdown.split('\n')) {
    if (line.startsWith('|')) {
      if (!current) found.push((current = []))
      current.push(line)
    } else {
      current = undefined
    }
  }
  return found
}

/** Cells of a GFM table row: GitHub splits on every `|` not preceded by a backslash. */
function cellCount(row: string): number {
  return (row.match(/(?<!\\)\|/g) ?? []).length - 1
}

/** Characters `ch` in inline markdown that are not backslash-escaped. */
function unescaped(markdown: string, ch: string): number {
  let count = 0
  for (let i = 0; i < markdown.length; i++) {
    if (markdown[i] === '\\') i++
    else if (markdown[i] === ch) count++
  }
  return count
}

/** The cell after `| **Label** | ` in the call table. */
function callRow(markdown: string, label: string): string | undefined {
  const line = markdown
    .split('\n')
    .find((l) => l.startsWith(`| **${label}** | `))
  return line?.slice(`| **${label}** | `.length, -' |'.length)
}

describe('renderReport', () => {
  describe('whole reports', () => {
    it('renders a passing gate', () => {
      expect(
        renderReport(
          checked(log, limits({ maxCostUsd: 0.05, maxDurationMs: 1500 })),
          where
        )
      ).toBe(
        [
          '### ✅ AI Gateway gate: passed · all 3 checks passed',
          '',
          '| Check | Actual | Limit | Status |',
          '| --- | --- | --- | --- |',
          '| cost | 0.0012 USD | ≤ 0.05 USD | ✅ pass |',
          '| duration | 812 ms | ≤ 1.5 s | ✅ pass |',
          '| success | true | true | ✅ pass |',
          '',
          callAndMetadata('true', '412 in / 96 out', '0.0012 USD')
        ].join('\n')
      )
    })

    it('renders a failing gate', () => {
      const bad: LogDetail = {
        ...log,
        cost: 0.75,
        success: false,
        tokens_in: null
      }
      const outcome = checked(
        bad,
        limits({
          maxCostUsd: 0.05,
          maxDurationMs: 1500,
          maxTokensIn: 100,
          expectedStatus: [{ kind: 'class', hundreds: 2 }]
        })
      )
      expect(renderReport(outcome, where)).toBe(
        [
          '### ❌ AI Gateway gate: failed · 3 of 5 checks failed',
          '',
          '- ❌ cost 0.75 USD &gt; max-cost 0.05 USD',
          '- ❌ tokens-in not reported by the log \\(max-tokens-in 100 tokens\\)',
          '- ❌ success false \\(require-success is true: the gateway recorded the call as failed\\)',
          '',
          '| Check | Actual | Limit | Status |',
          '| --- | --- | --- | --- |',
          '| cost | 0.75 USD | ≤ 0.05 USD | ❌ fail |',
          '| duration | 812 ms | ≤ 1.5 s | ✅ pass |',
          '| tokens-in | not reported | ≤ 100 tokens | ❌ fail |',
          '| status-code | 200 | 2xx | ✅ pass |',
          '| success | false | true | ❌ fail |',
          '',
          callAndMetadata('false', '— in / 96 out', '0.75 USD')
        ].join('\n')
      )
    })

    it('renders an error', () => {
      const outcome: Outcome = {
        kind: 'error',
        message:
          'Log log-1 was not found in gateway gw-1 of account acc-1 after waiting 30 s'
      }
      expect(renderReport(outcome, where)).toBe(
        [
          '### ⛔ AI Gateway gate: error, no verdict',
          '',
          'Log log-1 was not found in gateway gw-1 of account acc-1 after waiting 30 s',
          '',
          '<sub>Cloudflare AI Gateway log log-1 · gateway gw-1 · account acc-1 (dashboard: AI › AI Gateway › Logs)</sub>',
          ''
        ].join('\n')
      )
    })

    it('renders an error before the ids were known without a location line', () => {
      expect(
        renderReport(
          { kind: 'error', message: 'Invalid input: gateway-id is required' },
          {}
        )
      ).toBe(
        '### ⛔ AI Gateway gate: error, no verdict\n\nInvalid input: gateway-id is required\n'
      )
    })
  })

  describe('the verdict line', () => {
    it.each([
      [
        'all pass',
        checked(log, limits({ maxCostUsd: 1 })),
        '### ✅ AI Gateway gate: passed · all 2 checks passed'
      ],
      [
        'one check, passing',
        checked(log, limits({})),
        '### ✅ AI Gateway gate: passed · 1 check passed'
      ],
      [
        'no checks',
        checked(log, limits({ requireSuccess: false })),
        '### ✅ AI Gateway gate: passed · no limits set'
      ],
      [
        'one check, failing',
        checked({ ...log, success: false }, limits({})),
        '### ❌ AI Gateway gate: failed · 1 of 1 check failed'
      ],
      [
        'a breach, fail-on-breach true',
        checked(log, limits({ maxCostUsd: 0.001 }), true),
        '### ❌ AI Gateway gate: failed · 1 of 2 checks failed'
      ],
      [
        'a breach, fail-on-breach false',
        checked(log, limits({ maxCostUsd: 0.001 }), false),
        '### ⚠️ AI Gateway gate: limits breached (fail-on-breach is false) · 1 of 2 checks failed'
      ],
      [
        'an error',
        { kind: 'error', message: 'boom' } as Outcome,
        '### ⛔ AI Gateway gate: error, no verdict'
      ],
      [
        'an error in report mode',
        { kind: 'error', message: 'boom', reportOnly: true } as Outcome,
        '### ⛔ AI Gateway gate: error, no verdict (fail-on-breach is false: the step passes)'
      ]
    ] as [string, Outcome, string | RegExp][])('%s', (_case, outcome, line) => {
      const first = renderReport(outcome, where).split('\n')[0]
      if (typeof line === 'string') expect(first).toBe(line)
      else expect(first).toMatch(line)
    })

    it('lists each failed check under the verdict, whether or not the breach fails the step', () => {
      for (const failOnBreach of [true, false]) {
        const report = renderReport(
          checked(
            log,
            limits({ maxCostUsd: 0.001, maxDurationMs: 100 }),
            failOnBreach
          ),
          where
        )
        expect(report.split('\n').slice(2, 4)).toEqual([
          '- ❌ cost 0.0012 USD &gt; max-cost 0.001 USD',
          '- ❌ duration 812 ms &gt; max-duration 100 ms'
        ])
      }
    })

    it('says nothing was checked when no limit was set', () => {
      const report = renderReport(
        checked(log, limits({ requireSuccess: false })),
        where
      )
      expect(report).toContain(
        '\n\n_No limits were set: nothing was checked._\n\n'
      )
      expect(report).not.toContain('| Check |')
    })
  })

  describe('the checks table', () => {
    it.each([
      [
        { maxCostUsd: 0.05 },
        log,
        '| cost | 0.0012 USD | ≤ 0.05 USD | ✅ pass |'
      ],
      [
        { maxCostUsd: 0.000001 },
        { ...log, cost: 4e-7 },
        '| cost | 0.0000004 USD | ≤ 0.000001 USD | ✅ pass |'
      ],
      [
        { maxCostUsd: 0.05 },
        { ...log, cost: undefined },
        '| cost | not reported | ≤ 0.05 USD | ❌ fail |'
      ],
      [
        { maxDurationMs: 500 },
        log,
        '| duration | 812 ms | ≤ 500 ms | ❌ fail |'
      ],
      [
        { maxTokensIn: 412 },
        log,
        '| tokens-in | 412 tokens | ≤ 412 tokens | ✅ pass |'
      ],
      [
        { maxTokensOut: 10 },
        log,
        '| tokens-out | 96 tokens | ≤ 10 tokens | ❌ fail |'
      ],
      [
        {
          expectedStatus: [
            { kind: 'code', code: 200 },
            { kind: 'code', code: 429 }
          ]
        },
        { ...log, status_code: 429 },
        '| status-code | 429 | 200, 429 | ✅ pass |'
      ],
      [
        { expectedStatus: [{ kind: 'class', hundreds: 2 }] },
        { ...log, status_code: 503 },
        '| status-code | 503 | 2xx | ❌ fail |'
      ],
      [{}, { ...log, success: false }, '| success | false | true | ❌ fail |']
    ] as [Partial<Limits>, LogDetail, string][])(
      '%p on the log gives %p',
      (extra, l, row) => {
        const lines = renderReport(checked(l, limits(extra)), where).split('\n')
        expect(lines).toContain(row)
      }
    )
  })

  describe('the call table', () => {
    const full: LogDetail = {
      ...log,
      cost: 0.0012,
      custom_cost: true,
      step: 2,
      cached: true,
      status_code: 429,
      success: false
    }
    it.each([
      ['Model', full, 'gpt-4o-mini'],
      ['Provider', full, 'openai'],
      ['Status code', full, '429'],
      ['Status code', { ...log, status_code: undefined }, '—'],
      ['Success', full, 'false'],
      ['Success', log, 'true'],
      ['Cached', full, 'true'],
      ['Cached', log, 'false'],
      ['Tokens', log, '412 in / 96 out'],
      ['Tokens', { ...log, tokens_out: null }, '412 in / — out'],
      ['Tokens', { ...log, tokens_in: null, tokens_out: null }, '—'],
      ['Tokens', { ...log, tokens_in: 0, tokens_out: 0 }, '0 in / 0 out'],
      ['Cost', log, '0.0012 USD'],
      ['Cost', { ...log, cost: 4e-7 }, '0.0000004 USD'],
      ['Cost', { ...log, cost: 0 }, '0 USD'],
      ['Cost', full, '0.0012 USD (custom cost)'],
      ['Cost', { ...log, cost: undefined }, '—'],
      ['Duration', log, '812 ms'],
      ['Duration', { ...log, duration: 0.5 }, '0.5 ms'],
      ['Created at', log, '2026-11-25T09:30:12.345Z'],
      ['Step', full, '2'],
      ['Step', log, '0'],
      ['Step', { ...log, step: undefined }, '—']
    ] as [string, LogDetail, string][])('%s of %#', (label, l, shown) => {
      expect(callRow(renderReport(checked(l, limits({})), where), label)).toBe(
        shown
      )
    })

    it('lists the rows in order', () => {
      const labels = renderReport(checked(log, limits({})), where)
        .split('\n')
        .filter((l) => l.startsWith('| **'))
        .map((l) => /^\| \*\*(.+?)\*\*/.exec(l)?.[1])
      expect(labels).toEqual([
        'Model',
        'Provider',
        'Status code',
        'Success',
        'Cached',
        'Tokens',
        'Cost',
        'Duration',
        'Created at',
        'Step'
      ])
    })
  })

  describe('metadata', () => {
    const section = (metadata: string | undefined): string => {
      const report = renderReport(
        checked({ ...log, metadata }, limits({})),
        where
      )
      const start = report.indexOf('| Metadata |')
      const text = report.indexOf('**Metadata:**')
      if (start >= 0) return report.slice(start, report.indexOf('\n\n<sub>'))
      if (text >= 0) return report.slice(text, report.indexOf('\n', text))
      return ''
    }

    it.each([
      [
        'a JSON object',
        '{"run":"nightly","pr":42}',
        '| Metadata |  |\n| --- | --- |\n| run | nightly |\n| pr | 42 |'
      ],
      [
        'values of every JSON type',
        '{"s":"x","n":0.0012,"t":true,"f":false,"z":null,"o":{"a":[1,2]}}',
        '| Metadata |  |\n| --- | --- |\n| s | x |\n| n | 0.0012 |\n| t | true |\n| f | false |\n| z | — |\n| o | \\{"a":\\[1,2\\]\\} |'
      ],
      ['text that is not JSON', 'nightly run', '**Metadata:** nightly run'],
      ['a JSON array', '[1,2]', '**Metadata:** \\[1,2\\]'],
      ['a JSON string', '"hi"', '**Metadata:** "hi"'],
      ['an empty object', '{}', ''],
      ['blank text', '  ', ''],
      ['absent', undefined, '']
    ])('%s', (_case, metadata, shown) => {
      expect(section(metadata)).toBe(shown)
    })

    it('shows at most 20 entries and says how many more there are', () => {
      const metadata = JSON.stringify(
        Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`k${i}`, i]))
      )
      const report = renderReport(
        checked({ ...log, metadata }, limits({})),
        where
      )
      expect(report).toContain('| k19 | 19 |')
      expect(report).not.toContain('| k20 |')
      expect(report).toContain('\n\n_…and 5 more entries._\n\n')
    })
  })

  describe('the location line', () => {
    it.each([
      [
        where,
        '<sub>Cloudflare AI Gateway log log-1 · gateway gw-1 · account acc-1 (dashboard: AI › AI Gateway › Logs)</sub>'
      ],
      [
        { logId: 'log-1' },
        '<sub>Cloudflare AI Gateway log log-1 (dashboard: AI › AI Gateway › Logs)</sub>'
      ],
      [
        { gatewayId: 'gw_1', accountId: '' },
        '<sub>Cloudflare AI Gateway gateway gw\\_1 (dashboard: AI › AI Gateway › Logs)</sub>'
      ]
    ] as [Partial<Location>, string][])('%p', (w, line) => {
      const lines = renderReport(checked(log, limits({})), w).split('\n')
      expect(lines.at(-2)).toBe(line)
      expect(lines.at(-1)).toBe('')
    })
  })

  describe('hostile log fields', () => {
    const long = 'A'.repeat(10_000)
    const pieces = {
      script: '<script>alert(1)</script>',
      img: '<img src=x onerror=alert(1)>',
      pipes: 'a|b||c \\| d\\',
      newlines: 'line one\nINJECTED-LINE\r\nINJECTED-CR\u2028INJECTED-LS',
      backticks: '`code` ``x`` \\`',
      link: '[x](javascript:alert(1))',
      image: '![img](https://evil/x.png)',
      mentions: '@octocat and @org/team',
      url: 'https://evil.example/path <https://evil.example>',
      entities: '&#64;octocat &lt;b&gt; **bold** _em_ ~~s~~ # h',
      html: '<!-- hidden --> <details open>'
    }
    const all = Object.values(pieces).join(' ')
    const hostileLog: LogDetail = {
      ...log,
      model: [
        pieces.script,
        pieces.pipes,
        pieces.newlines,
        pieces.mentions
      ].join(' '),
      provider: `<img onerror=alert(1)>|provider|${long}`,
      path: all,
      created_at: [
        pieces.link,
        pieces.image,
        pieces.url,
        pieces.backticks
      ].join(' '),
      metadata: JSON.stringify({
        ...Object.fromEntries(
          Object.values(pieces).map((piece) => [piece, piece])
        ),
        'note|x': 'a|b|c',
        nested: { html: '<b>x</b>', who: '@octocat', pipe: '|' },
        long,
        ['K'.repeat(100)]: 'v'
      })
    }
    const hostileWhere: Partial<Location> = {
      accountId: '@octocat',
      gatewayId: `gw|<b>|${long}`,
      logId: '[x](https://evil.example)'
    }
    // Rendered in each test, not as the file loads: Stryker then sees which tests cover the renderer.
    const reports: [string, () => string][] = [
      [
        'a passing gate',
        () =>
          renderReport(
            checked(hostileLog, limits({ maxCostUsd: 1 })),
            hostileWhere
          )
      ],
      [
        'a failing gate',
        () =>
          renderReport(
            checked(
              { ...hostileLog, success: false },
              limits({ maxCostUsd: 0.0001, maxTokensIn: 1 }),
              false
            ),
            hostileWhere
          )
      ],
      [
        'metadata that is not JSON',
        () =>
          renderReport(
            checked({ ...hostileLog, metadata: `${all} ${long}` }, limits({})),
            hostileWhere
          )
      ],
      [
        'an error',
        () =>
          renderReport(
            { kind: 'error', message: `${all} ${long}` },
            hostileWhere
          )
      ]
    ]

    describe.each(reports)('%s', (kind, render) => {
      let report: string
      beforeEach(() => {
        report = render()
      })

      it('has no raw HTML from the log', () => {
        const withoutOurs = report.replace(/<sub>|<\/sub>/g, '')
        expect(withoutOurs).not.toContain('<')
        expect(withoutOurs).not.toContain('>')
        expect(report).toContain('&lt;script&gt;')
        // `&` only starts the entities the escaping itself writes
        expect(report).not.toMatch(/&(?!amp;|lt;|gt;|#8203;)/)
        expect(report).not.toContain('&#64;')
      })

      it('keeps every table row to its header’s cells', () => {
        const found = tables(report)
        expect(found.length).toBe(
          kind === 'an error' ? 0 : kind === 'metadata that is not JSON' ? 2 : 3
        )
        for (const rows of found) {
          const header = cellCount(rows[0]!)
          expect([2, 4]).toContain(header)
          for (const row of rows) expect(cellCount(row)).toBe(header)
        }
      })

      it('lets no value start a line of its own', () => {
        for (const line of report.split('\n')) {
          expect(line).not.toMatch(/^INJECTED/)
          if (kind !== 'an error')
            expect(line).toMatch(/^(### |\| |- |\*\*Metadata:\*\* |<sub>|$)/)
        }
        expect(report).not.toMatch(/[\r\u2028\u2029]/)
        expect(report).toContain(
          'line one INJECTED-LINE INJECTED-CR INJECTED-LS'
        )
      })

      it('mentions nobody', () => {
        expect(report).not.toMatch(/@(?!&#8203;)/)
        expect(report).toContain('@&#8203;octocat and @&#8203;org/team')
      })

      it('makes no link, image or autolink', () => {
        expect(report).not.toContain('](')
        expect(unescaped(report, '[')).toBe(0)
        expect(unescaped(report, ']')).toBe(0)
        expect(unescaped(report, '!')).toBe(0)
        expect(report).not.toMatch(/https?:\/\//)
        expect(report).toContain('\\[x\\]\\(javascript:alert\\(1\\)\\)')
      })

      it('lets no backtick open a code span, and adds no emphasis or heading', () => {
        expect(unescaped(report, '`')).toBe(0)
        expect(unescaped(report, '_')).toBe(0)
        expect(unescaped(report, '~')).toBe(0)
        const ours = report.match(/^###/gm)!.length * 3
        expect(unescaped(report.replaceAll('&#8203;', ''), '#')).toBe(ours)
        // `**` only around the call table's labels and the metadata title
        expect(unescaped(report, '*')).toBe(
          (report.match(/^\| \*\*[A-Z][a-z ]+\*\* \|/gm) ?? []).length * 4 +
            (report.match(/^\*\*Metadata:\*\*/gm) ?? []).length * 4
        )
      })

      it('shortens long values with …', () => {
        // An error message has a larger budget (2000 characters) than a log value.
        expect(report).not.toContain(
          'A'.repeat(kind === 'an error' ? 2000 : MAX_VALUE_CHARS + 1)
        )
        expect(report).toContain('A'.repeat(70) + '…')
        expect(report.length).toBeLessThan(12_000)
      })
    })

    it('escapes each piece in its metadata row', () => {
      const passing = reports[0]![1]()
      const row = (piece: string): string =>
        `| ${escapeText(piece, 60)} | ${escapeText(piece)} |`
      for (const piece of Object.values(pieces))
        expect(passing.split('\n')).toContain(row(piece))
      expect(passing).toContain(
        '| \\[x\\]\\(javascript:alert\\(1\\)\\) | \\[x\\]\\(javascript:alert\\(1\\)\\) |'
      )
      expect(passing).toContain(
        '| a\\|b\\|\\|c \\\\\\| d\\\\ | a\\|b\\|\\|c \\\\\\| d\\\\ |'
      )
      expect(passing).toContain('| note\\|x | a\\|b\\|c |')
      expect(passing).toContain(
        '| nested | \\{"html":"&lt;b&gt;x&lt;/b&gt;","who":"@&#8203;octocat","pipe":"\\|"\\} |'
      )
    })

    it('shortens each kind of value to its limit', () => {
      const passing = reports[0]![1]()
      expect(callRow(passing, 'Provider')).toBe(
        escapeText(`<img onerror=alert(1)>|provider|${long}`)
      )
      expect(callRow(passing, 'Provider')).toMatch(
        /^&lt;img onerror=alert\\\(1\\\)&gt;\\\|provider\\\|A{168}…$/
      )
      expect(passing).toContain(`| long | ${'A'.repeat(MAX_VALUE_CHARS)}… |`)
      expect(passing).toContain(`| ${'K'.repeat(60)}… | v |`)
      expect(passing).toMatch(/ · gateway gw\\\|&lt;b&gt;\\\|A{73}… · /)
      const error = reports[3]![1]()
      expect(error.split('\n')[2]).toMatch(/A+…$/)
      expect(error.split('\n')[2]!.length).toBeLessThan(2200)
    })
  })

  describe('values that nest or are huge', () => {
    it('shows a metadata value nested too deeply to write, instead of throwing', () => {
      const metadata = `{"eval":"deep","tree":${'['.repeat(100_000)}${']'.repeat(100_000)}}`
      const report = renderReport(
        checked({ ...log, metadata }, limits({})),
        where
      )
      expect(report).toContain('| eval | deep |')
      expect(report).toContain('| tree | \\(nested too deeply to show\\) |')
    })

    it.each(Object.keys(HOSTILE_TEXTS))(
      '%s in every text field: rendered in well under a second',
      (name) => {
        const text = HOSTILE_TEXTS[name]!
        const hostile: LogDetail = {
          ...log,
          model: text,
          provider: text,
          path: text,
          created_at: text,
          metadata: text
        }
        expect(
          elapsedMs(() =>
            renderReport(checked(hostile, limits({ maxCostUsd: 1 })), {
              logId: text,
              gatewayId: text,
              accountId: text
            })
          )
        ).toBeLessThan(LINEAR_CPU_MS)
      }
    )
  })

  describe('the baseline', () => {
    const call = (id: string, fields: Partial<LogSummary>): LogSummary => ({
      ...LOG,
      id,
      ...fields
    })
    const thisRun = [
      call('a', { cost: 0.25, duration: 1500 }),
      call('b', { cost: 0.25, duration: 1500 }),
      call('c', { model: 'gpt-4o', cost: 0.1, duration: 900, success: false })
    ]
    const earlier = [
      call('x', { cost: 0.1, duration: 1000 }),
      call('y', { cost: 0.2, duration: 2000 })
    ]
    const workflowRun: WorkflowRun = {
      id: 4100,
      attempt: 2,
      branch: 'main',
      headSha: 'c0ffee'.padEnd(40, '0'),
      url: 'https://github.com/o/r/actions/runs/4100/attempts/2'
    }
    const found = (
      extra: Partial<Extract<Baseline, { kind: 'found' }>> = {}
    ): Baseline => ({
      kind: 'found',
      runId: 'gh-4100-2',
      describe: 'run "gh-4100-2" (metadata "run_id")',
      metrics: computeMetrics(earlier),
      workflowRun,
      ...extra
    })
    const report = (
      baseline: Baseline | undefined,
      thresholds = '',
      logs = thisRun
    ): string => {
      const parsed = parseThresholds(thresholds)
      const outcome = judge(
        measureCalls({ kind: 'many', logs, describe: 'run' }),
        {
          limits: { requireSuccess: false },
          thresholds: parsed.thresholds,
          failOnBreach: true
        },
        baseline
      )
      return renderReport(outcome, {})
    }
    /** The comparison: from its title to the thresholds table. */
    const section = (markdown: string): string => {
      const start = markdown.search(/\*\*(Compared with|No baseline)/)
      const end = markdown
        .slice(start)
        .search(/\n\n(\| Metric \| Actual \||_No limits)/)
      return start < 0 ? '' : markdown.slice(start, start + end)
    }

    it('says which run it compared with, links it, and shows the calls per model with their change, then the headline metrics', () => {
      expect(section(report(found()))).toBe(
        nb(
          [
            '**Compared with the baseline**: run "gh-4100-2" \\(metadata "run\\_id"\\) · [run 4100, attempt 2](https://github.com/o/r/actions/runs/4100/attempts/2) on main at `c0ffee0`',
            '',
            '| Model | Calls | Cost | Change | p95 duration | Change | Tokens in / out | Errors |',
            '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
            nb(
              '| **all calls** | 3 | 0.6 USD | +100% | 1.5 s | -25% | 1236 / 288 | 1 (33.33%) |'
            ),
            '| gpt-4o-mini | 2 | 0.5 USD | +67% | 1.5 s | -25% | 824 / 192 | 0 |',
            '| gpt-4o | 1 | 0.1 USD | new | 900 ms | new | 412 / 96 | 1 |',
            '',
            '| Metric | This run | Baseline | Change |',
            '| --- | ---: | ---: | ---: |',
            '| calls | 3 | 2 | +1 (+50%) |',
            '| total cost | 0.6 USD | 0.3 USD | +0.3 USD (+100%) |',
            '| p95 duration | 1.5 s | 2 s | -500 ms (-25%) |',
            '| errors | 1 | 0 | +1 |',
            '| error rate | 33.33% | 0% | +33.33 pp |'
          ].join('\n')
        )
      )
    })

    it('says in the first line how the cost changed against the baseline', () => {
      expect(report(found()).split('\n')[0]).toBe(
        '### ✅ AI Gateway gate: passed · cost +100% vs main (0.6 USD vs 0.3 USD) · no limits set'
      )
      expect(report(found({ workflowRun: null })).split('\n')[0]).toBe(
        '### ✅ AI Gateway gate: passed · cost +100% vs the baseline (0.6 USD vs 0.3 USD) · no limits set'
      )
      // A baseline that cost nothing has no percentage: the amount says the change.
      const free = found({
        metrics: computeMetrics(earlier.map((c) => ({ ...c, cost: 0 })))
      })
      expect(report(free).split('\n')[0]).toContain(
        '· cost +0.6 USD vs main (0.6 USD vs 0 USD) ·'
      )
      // A cost unknown on either side is no change to state.
      const unknown = found({
        metrics: computeMetrics(earlier.map((c) => ({ ...c, cost: undefined })))
      })
      expect(report(unknown).split('\n')[0]).toBe(
        '### ✅ AI Gateway gate: passed · no limits set'
      )
      expect(report(undefined).split('\n')[0]).toBe(
        '### ✅ AI Gateway gate: passed · no limits set'
      )
    })

    it('marks a model new in this run and one gone from it, and names the provider only where a model name is ambiguous', () => {
      const markdown = report(
        found({
          metrics: computeMetrics([
            ...earlier,
            call('z', {
              model: 'claude-3-5-haiku',
              provider: 'anthropic',
              cost: 0.05,
              duration: 700
            }),
            call('w', {
              model: 'gpt-4o',
              provider: 'azure-openai',
              cost: 0.05,
              duration: 700
            })
          ])
        })
      )
      const rows = tables(markdown)[0]!.slice(2)
      expect(rows).toEqual(
        [
          '| **all calls** | 3 | 0.6 USD | +50% | 1.5 s | -25% | 1236 / 288 | 1 (33.33%) |',
          '| gpt-4o-mini | 2 | 0.5 USD | +67% | 1.5 s | -25% | 824 / 192 | 0 |',
          '| gpt-4o (openai) | 1 | 0.1 USD | new | 900 ms | new | 412 / 96 | 1 |',
          '| claude-3-5-haiku | 0 | — | gone | — | gone | — | — |',
          '| gpt-4o (azure-openai) | 0 | — | gone | — | gone | — | — |'
        ].map(nb)
      )
    })

    it('names an explicit baseline without a link', () => {
      expect(section(report(found({ workflowRun: null }))).split('\n')[0]).toBe(
        '**Compared with the baseline**: run "gh-4100-2" \\(metadata "run\\_id"\\)'
      )
    })

    it('says why there is no baseline, escaped, and links the run it looked for', () => {
      const missing: Baseline = {
        kind: 'missing',
        reason:
          'no calls of run "<b>x</b>" | [y](javascript:z) @team\n::error::w',
        workflowRun
      }
      expect(section(report(missing)).split('\n\n')[0]).toBe(
        '**No baseline to compare with** ([run 4100, attempt 2](https://github.com/o/r/actions/runs/4100/attempts/2) on main at `c0ffee0`): ' +
          'no calls of run "&lt;b&gt;x&lt;/b&gt;" \\| \\[y\\]\\(javascript:z\\) @&#8203;team ::error::w'
      )
    })

    it('says, after the comparison, that thresholds against the baseline only warn on an event other than a pull request', () => {
      const outcome = judge(
        measureCalls({ kind: 'many', logs: thisRun, describe: 'run' }),
        {
          limits: { requireSuccess: false },
          thresholds: parseThresholds('cost <= baseline').thresholds,
          failOnBreach: true,
          baseline: {
            source: {
              kind: 'base-branch',
              lookup: {
                apiUrl: 'https://api.github.com',
                token: 't',
                owner: 'o',
                repo: 'r',
                workflowFile: 'eval.yml',
                runId: 2,
                runAttempt: 1,
                serverUrl: null,
                eventName: 'workflow_dispatch',
                eventPath: undefined
              }
            }
          }
        },
        found()
      )
      const markdown = renderReport(outcome, {})
      const line =
        '_On a workflow\\_dispatch event, a threshold against the baseline is a warning, never a failure: the change was reviewed in its pull request._'
      // Between the line that says which run this one is compared with and the model table.
      expect(markdown).toContain(`\n\n${line}\n\n| Model |`)
      expect(markdown.indexOf('**Compared with the baseline**')).toBeLessThan(
        markdown.indexOf(line)
      )
      // On a pull request (or with nothing to warn about), no such line.
      expect(report(found(), 'cost <= baseline')).not.toContain(
        'is a warning, never a failure'
      )
    })

    it('writes nothing about a baseline when none was asked for', () => {
      expect(report(undefined)).not.toMatch(/Compared with|No baseline/)
    })

    it('links only an http(s) run URL, with what could end the link encoded; never one of a hostile server', () => {
      const run = (url: string | null): string =>
        section(report(found({ workflowRun: { ...workflowRun, url } }))).split(
          '\n'
        )[0]!
      expect(run('javascript:alert(1)')).toContain(
        ' · run 4100, attempt 2 on main'
      )
      expect(run(null)).toContain(' · run 4100, attempt 2 on main')
      expect(
        run(
          'https://ghes.example.com/o/r/actions/runs/4100)[x](https://evil.example'
        )
      ).toContain(
        '[run 4100, attempt 2](https://ghes.example.com/o/r/actions/runs/4100%29%5Bx%5D%28https://evil.example) on main'
      )
    })

    it('keeps hostile model names, branch names and run ids inert in the comparison', () => {
      const hostile =
        '<img src=x onerror=alert(1)> | ![t](https://evil.example/t.png) @octocat `x`\n| injected |'
      const markdown = report(
        found({
          describe: `run "${hostile}"`,
          workflowRun: { ...workflowRun, branch: hostile }
        }),
        '',
        [call('a', { model: hostile, provider: hostile, cost: 1 })]
      )
      const comparison = section(markdown)
      expect(comparison).not.toMatch(/<img|!\[|\]\(https:\/\/evil|@octocat/)
      for (const t of tables(comparison))
        for (const row of t) expect(cellCount(row)).toBe(cellCount(t[0]!))
      expect(unescaped(comparison, '`')).toBe(2) // the commit's code span only
    })

    it('marks a threshold skipped for want of a baseline, and says why among the warnings', () => {
      const markdown = report(
        {
          kind: 'missing',
          reason: 'no successful run of eval.yml on "main" yet',
          workflowRun: null
        },
        'cost <= baseline + 10%'
      )
      expect(markdown).toContain(
        '| cost.sum | 0.6 USD | ≤ baseline + 10% | warn | ⏭️ skipped |'
      )
      expect(markdown).toContain(
        '- ⏭️ warning: cost.sum &lt;= baseline + 10% not checked: no baseline \\(no successful run of eval.yml on "main" yet\\)'
      )
      expect(markdown.split('\n')[0]).toBe(
        '### ✅ AI Gateway gate: passed · no error-level checks · 1 warning'
      )
    })
  })
})

describe('escapeText', () => {
  it.each([
    ['plain', 'gpt-4o-mini', 'gpt-4o-mini'],
    ['html', '<b>&</b>', '&lt;b&gt;&amp;&lt;/b&gt;'],
    ['pipe and backslash', 'a|b\\c', 'a\\|b\\\\c'],
    [
      'markdown punctuation',
      '`*_{}[]()#!~',
      '\\`\\*\\_\\{\\}\\[\\]\\(\\)\\#\\!\\~'
    ],
    ['an autolink', 'https://x.y', 'https\\://x.y'],
    [
      'a www. autolink',
      'www.evil.example/login and WWW.x.y',
      'www\\.evil.example/login and WWW\\.x.y'
    ],
    ['a mention', '@octocat', '@&#8203;octocat'],
    ['whitespace', ' a\n\tb\r\n c ', 'a b c'],
    ['control characters', 'a\u0000b\u001bc\u007fd', 'a b c d']
  ])('%s', (_case, value, escaped) => {
    expect(escapeText(value)).toBe(escaped)
  })

  it('shortens before escaping, so no entity is cut', () => {
    expect(escapeText('a'.repeat(9) + '<', 10)).toBe('a'.repeat(9) + '&lt;')
    expect(escapeText('a'.repeat(10) + '<', 10)).toBe('a'.repeat(10) + '…')
    expect(escapeText('abc', 3)).toBe('abc')
  })

  describe('characters that display text reversed or hide it', () => {
    it.each([
      ['a right-to-left override', 'gpt-4o\u202e-inim', 'gpt-4o\\\\u202e-inim'],
      [
        'isolates',
        'a\u2066b\u2067c\u2068d\u2069',
        'a\\\\u2066b\\\\u2067c\\\\u2068d\\\\u2069'
      ],
      [
        'zero-width characters',
        'open\u200bai\u200c\u200d\u2060',
        'open\\\\u200bai\\\\u200c\\\\u200d\\\\u2060'
      ],
      ['tag characters', 'a\u{E0041}b', 'a\\\\u\\{e0041\\}b'],
      ['a lone surrogate', 'a\ud83db', 'a\\\\ud83db']
    ])('shows %s as an escape the reader sees', (_case, value, escaped) => {
      expect(escapeText(value)).toBe(escaped)
    })

    it('never cuts inside a surrogate pair, nor an escape in half', () => {
      expect(escapeText(`${'x'.repeat(9)}😀`, 10)).toBe(`${'x'.repeat(9)}…`)
      expect(escapeText(`${'x'.repeat(8)}😀`, 10)).toBe(`${'x'.repeat(8)}😀`)
      expect(escapeText(`${'x'.repeat(9)}\u202e\u202e`, 10)).toBe(
        `${'x'.repeat(9)}\\\\u202e…`
      )
    })

    it('keeps emoji, accents and other scripts as they are', () => {
      expect(escapeText('naïve 日本語 😀')).toBe('naïve 日本語 😀')
    })
  })
})

describe('changeText', () => {
  it.each([
    ['USD', 0.3, 0.1, '+0.2 USD (+200%)'],
    ['USD', 0.1, 0.3, '-0.2 USD (-67%)'],
    ['USD', 0.40074815, 0.2024, '+0.1983 USD (+98%)'],
    ['USD', 12.3456, 2.2, '+10.15 USD (+461%)'],
    ['ms', 1000, 1000, '±0 ms (±0%)'],
    ['ms', 3800, 4000, '-200 ms (-5%)'],
    ['ms', 4000, 3991, '+9 ms (+0.2%)'],
    ['ms', 9000, 3000, '+6 s (+200%)'],
    ['calls', 3, 0, '+3'],
    ['fraction', 0.05, 0.02, '+3 pp (+150%)'],
    ['fraction', 0, 0, '±0 pp'],
    ['USD', null, 0.3, '—']
  ] as const)('%s %p against %p is %p', (unit, current, baseline, text) => {
    expect(changeText(unit, change(current, baseline))).toBe(nb(text))
  })
})

describe('percentText', () => {
  it.each([
    [98.4, '+98%'],
    [161.6, '+162%'],
    [-20.9, '-21%'],
    [10, '+10%'],
    [9.96, '+10%'],
    [-0.917, '-0.9%'],
    [2.7, '+2.7%'],
    [5, '+5%'],
    [0.04, '+<0.1%'],
    [0.05, '+0.1%'],
    [-0.01, '-<0.1%'],
    [0, '±0%']
  ])('%p is %p', (percent, text) => {
    expect(percentText(percent)).toBe(text)
  })
})

describe('renderReport: the failed calls', () => {
  const many = (logs: LogSummary[]) =>
    renderReport(
      judge(measureCalls({ kind: 'many', logs, describe: 'run' }), {
        limits: { requireSuccess: true },
        thresholds: [],
        failOnBreach: true
      }),
      {}
    )
  const call = (i: number, fields: Partial<LogSummary> = {}): LogSummary => ({
    ...LOG,
    id: `c${i}`,
    ...fields
  })

  it('lists each failed call by id, model and status code, in the order read', () => {
    const report = many([
      call(1),
      call(2, { success: false, status_code: 429, model: 'gpt-4o' }),
      call(3, { success: false, status_code: undefined })
    ])
    expect(report).toContain(
      [
        '**Failed calls** (2 of 3 calls)',
        '',
        '| Call | Model | Status code |',
        '| --- | --- | ---: |',
        '| c2 | gpt-4o | 429 |',
        '| c3 | gpt-4o-mini | not reported |',
        ''
      ].join('\n')
    )
    expect(report).toContain(
      '- ❌ errors 2 of 3 calls \\!= 0 \\(require-success\\)'
    )
  })

  it('marks a failed call among the costliest and the slowest after its id', () => {
    const report = many([
      call(1, { cost: 0.5, duration: 100 }),
      call(2, { success: false, cost: 0.25, duration: 4200 })
    ])
    expect(report).toContain(
      nb(
        [
          '**Costliest calls** (❌ failed)',
          '',
          '| Call | Model | Cost | Duration |',
          '| --- | --- | ---: | ---: |',
          '| c1 | gpt-4o-mini | 0.5 USD | 100 ms |',
          '| c2 ❌ | gpt-4o-mini | 0.25 USD | 4.2 s |'
        ].join('\n')
      )
    )
    expect(many([call(1)])).toContain('**Slowest calls**\n\n| Call |')
  })

  it(`lists at most ${MAX_FAILED_CALLS} and counts the rest; none when every call succeeded`, () => {
    const report = many(
      Array.from({ length: 14 }, (_, i) => call(i, { success: false }))
    )
    expect(report.match(/^\| c\d+ \| gpt-4o-mini \| 200 \|$/gm)).toHaveLength(
      MAX_FAILED_CALLS
    )
    const block = report.slice(
      report.indexOf('**Failed calls**'),
      report.indexOf('**Costliest calls**')
    )
    expect(block).toContain('| c9 |')
    expect(block).not.toContain('| c10 |')
    expect(report).toContain('\n\n_…and 4 more failed calls._\n\n')
    expect(many([call(1), call(2)])).not.toContain('Failed calls')
  })
})

describe('linkTarget', () => {
  it.each([
    [
      'https://github.com/o/r/actions/runs/1',
      'https://github.com/o/r/actions/runs/1'
    ],
    ['http://127.0.0.1:8080/o/r', 'http://127.0.0.1:8080/o/r'],
    [
      "https://x.example/a b)c(d[e]f<g>h'i|j\\k",
      'https://x.example/a%20b%29c%28d%5Be%5Df%3Cg%3Eh%27i%7Cj/k'
    ],
    ['javascript:alert(1)', undefined],
    ['data:text/html,x', undefined],
    ['not a url', undefined]
  ])('%p is %p', (url, target) => {
    expect(linkTarget(url)).toBe(target)
  })
})

describe('renderReport cut to fit', () => {
  const note = 'The report was shortened.'

  it('shortens a whole report so that its tables stay whole', () => {
    const report = renderReport(checked(log, limits({ maxCostUsd: 1 })), where)
    const out = truncateMarkdown(report, 400, note)
    expect(out.length).toBeLessThanOrEqual(400)
    for (const rows of tables(out))
      for (const row of rows) expect(row).toMatch(/^\|.*\|$/)
  })
})

// Whole reports of many calls the mutation run (Stryker) found unpinned: the totals line of one model,
// warnings and the limit the histogram marks, an unknown cost, an empty selection, and changes against
// a baseline of 0.
describe('renderReport: runs of one model, and changes from 0', () => {
  const call = (id: string, fields: Partial<LogSummary> = {}): LogSummary => ({
    ...LOG,
    id,
    ...fields
  })
  const render = (
    logs: LogSummary[],
    thresholds: string,
    baseline?: Baseline
  ): string =>
    renderReport(
      judge(
        measureCalls({ kind: 'many', logs, describe: 'run' }),
        {
          limits: { requireSuccess: false },
          thresholds: parseThresholds(thresholds).thresholds,
          failOnBreach: true
        },
        baseline
      ),
      {}
    )

  it('one model: the totals in a line, failures then warnings, the error-level duration limit on the histogram', () => {
    expect(
      render(
        [
          call('a', { cost: 0.25, duration: 1500 }),
          call('b', {
            cost: 0.5,
            duration: 3000,
            success: false,
            status_code: 500
          })
        ],
        'warn: duration.max < 2500ms\nduration.p95 < 2s\nwarn: cost <= $0.5'
      )
    ).toBe(
      [
        '### \u274c AI Gateway gate: failed \u00b7 1 of 1 check failed \u00b7 2 warnings',
        '',
        '- \u274c duration.p95 3 s &gt;= 2 s \\(call b\\)',
        '- \u26a0\ufe0f warning: duration.max 3 s &gt;= 2.5 s \\(call b\\)',
        '- \u26a0\ufe0f warning: cost.sum 0.75 USD &gt; 0.5 USD',
        '',
        '**2 calls** \u00b7 total cost **0.75\u00a0USD** \u00b7 p95 duration **3\u00a0s** \u00b7 **1 error** (50%)',
        '',
        '| Model | Calls | Cost | p95 duration | Tokens in / out | Errors |',
        '| --- | ---: | ---: | ---: | ---: | ---: |',
        '| gpt-4o-mini | 2 | 0.75\u00a0USD | 3\u00a0s | 824 / 192 | 1 |',
        '',
        '| Metric | Actual | Limit | Level | Result |',
        '| --- | --- | --- | --- | --- |',
        '| duration.max | 3 s | &lt; 2.5 s | warn | \u26a0\ufe0f warn |',
        '| duration.p95 | 3 s | &lt; 2 s | error | \u274c fail |',
        '| cost.sum | 0.75 USD | \u2264 0.5 USD | warn | \u26a0\ufe0f warn |',
        '',
        '**Failed calls** (1 of 2 calls)',
        '',
        '| Call | Model | Status code |',
        '| --- | --- | ---: |',
        '| b | gpt-4o-mini | 500 |',
        '',
        '**Costliest calls** (\u274c failed)',
        '',
        '| Call | Model | Cost | Duration |',
        '| --- | --- | ---: | ---: |',
        '| b \u274c | gpt-4o-mini | 0.5\u00a0USD | 3\u00a0s |',
        '| a | gpt-4o-mini | 0.25\u00a0USD | 1.5\u00a0s |',
        '',
        '**Slowest calls** (\u274c failed)',
        '',
        '| Call | Model | Cost | Duration |',
        '| --- | --- | ---: | ---: |',
        '| b \u274c | gpt-4o-mini | 0.5\u00a0USD | 3\u00a0s |',
        '| a | gpt-4o-mini | 0.25\u00a0USD | 1.5\u00a0s |',
        '',
        '```mermaid',
        '%%{init: {"theme": "base", "themeVariables": {"xyChart": {"plotColorPalette": "#bf8700, #0969da"}}}}%%',
        'xychart-beta horizontal',
        '    title "Calls by duration, p95 3 s (amber from there), limit 2 s"',
        '    x-axis ["0-0.5 s", "0.5-1 s", "1-1.5 s", "1.5-2 s", "2-2.5 s (limit)", "2.5-3 s", "3-3.5 s (p95)"]',
        '    y-axis "Calls" 0 --> 1',
        '    bar [0, 0, 0, 0, 0, 0, 1]',
        '    bar [0, 0, 0, 1, 0, 0, 0]',
        '```',
        ''
      ].join('\n')
    )
  })

  it('says how many calls have no cost when the total is unknown', () => {
    expect(
      render(
        [
          call('a', { cost: undefined, duration: 1500 }),
          call('b', { cost: undefined, duration: 3000 })
        ],
        ''
      ).split('\n')[2]
    ).toBe(
      '**2 calls** \u00b7 total cost **unknown (2 calls without cost)** \u00b7 p95 duration **3\u00a0s** \u00b7 **0 errors** (0%)'
    )
  })

  it('an empty selection: the totals line without an error rate, and no model table', () => {
    expect(render([], '')).toBe(
      [
        '### \u2705 AI Gateway gate: passed \u00b7 no limits set',
        '',
        '**0 calls** \u00b7 total cost **unknown (0 calls without cost)** \u00b7 p95 duration **\u2014** \u00b7 **0 errors**',
        '',
        '_No limits or thresholds were set: nothing was checked._',
        ''
      ].join('\n')
    )
  })

  it('against a baseline of 0: the change as an amount, ±0 when both are 0; tokens as — when unknown', () => {
    const baseline: Baseline = {
      kind: 'found',
      runId: 'r',
      describe: 'run r',
      workflowRun: null,
      metrics: computeMetrics([
        call('x', { cost: 0, duration: 1000, model: 'm1' }),
        call('y', { cost: 0, duration: 0, model: 'm2' }),
        call('z', { cost: 0.2, duration: 1000, model: 'm3' })
      ])
    }
    const report = render(
      [
        call('a', {
          cost: 0.1,
          duration: 1000,
          model: 'm1',
          tokens_in: null,
          tokens_out: null
        }),
        call('b', { cost: 0, duration: 1000, model: 'm2', tokens_out: null }),
        call('c', { cost: 0.1, duration: 900, model: 'm3', tokens_in: null })
      ],
      '',
      baseline
    )
    expect(report.split('\n').slice(4, 10).join('\n')).toBe(
      [
        '| Model | Calls | Cost | Change | p95 duration | Change | Tokens in / out | Errors |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
        '| **all calls** | 3 | 0.2\u00a0USD | \u00b10% | 1\u00a0s | \u00b10% | \u2014 | 0 |',
        '| m1 | 1 | 0.1\u00a0USD | +0.1\u00a0USD | 1\u00a0s | \u00b10% | \u2014 | 0 |',
        '| m3 | 1 | 0.1\u00a0USD | -50% | 900\u00a0ms | -10% | \u2014 / 96 | 0 |',
        '| m2 | 1 | 0\u00a0USD | \u00b10 | 1\u00a0s | +1\u00a0s | 412 / \u2014 | 0 |'
      ].join('\n')
    )
  })

  it("two models: the totals are the table's first row, not a line of their own", () => {
    const report = render(
      [
        call('a', { model: 'm1', cost: 0.1 }),
        call('b', { model: 'm2', cost: 0.2 })
      ],
      ''
    )
    expect(report).toContain('| **all calls** | 2 |')
    expect(report).not.toContain('**2 calls**')
  })

  it('marks on the histogram the first duration limit that is a number, past one skipped for want of a baseline', () => {
    const report = renderReport(
      judge(
        measureCalls({
          kind: 'many',
          logs: [call('a', { duration: 1500 }), call('b', { duration: 3000 })],
          describe: 'run'
        }),
        {
          limits: { requireSuccess: false },
          thresholds: parseThresholds(
            'duration.p95 <= baseline\nwarn: duration.max < 2500ms'
          ).thresholds,
          failOnBreach: true
        },
        { kind: 'missing', reason: 'none yet', workflowRun: null }
      ),
      {}
    )
    expect(report).toContain(
      'title "Calls by duration, p95 3 s (amber from there), limit 2.5 s"'
    )
  })

  it('shows an empty metadata value as —, and 20 entries without a line for more', () => {
    const entries = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`k${i}`, i === 0 ? '' : 'v'])
    )
    const report = renderReport(
      checked({ ...log, metadata: JSON.stringify(entries) }, limits({})),
      where
    )
    expect(report).toContain('| k0 | — |')
    expect(report).not.toContain('more entries')
  })

  it('says the cost change as an amount against a baseline that cost 0, and draws no cost chart without a baseline found', () => {
    const zero: Baseline = {
      kind: 'found',
      runId: 'r',
      describe: 'run r',
      workflowRun: null,
      metrics: computeMetrics([call('x', { cost: 0 })])
    }
    expect(render([call('a', { cost: 0 })], '', zero).split('\n')[0]).toBe(
      '### ✅ AI Gateway gate: passed · cost 0 USD vs the baseline (0 USD vs 0 USD) · no limits set'
    )
    expect(render([call('a', { cost: 0.1 })], '', zero)).toContain(
      'title "Cost by model (US cents): this run, and on baseline"'
    )
    expect(
      render([call('a', { cost: 0.1 })], '', {
        kind: 'missing',
        reason: 'none yet',
        workflowRun: null
      })
    ).not.toContain('Cost by model')
  })

  it('leaves tokens out of the call line when the log reports neither', () => {
    expect(callLine({ ...LOG, tokens_in: null, tokens_out: null })).toBe(
      '**gpt-4o-mini** (openai) · 0.0012 USD · 812 ms · status 200 · success'
    )
    expect(callLine({ ...LOG, tokens_out: null })).toContain(
      ' · 412 in / — out tokens · '
    )
  })

  it('names a baseline run without an attempt number as the run alone', () => {
    expect(
      baselineLine({
        kind: 'found',
        runId: 'r',
        describe: 'run r',
        metrics: computeMetrics([]),
        workflowRun: {
          id: 4100,
          attempt: null,
          branch: 'main',
          headSha: null,
          url: null
        }
      })
    ).toBe('**Compared with the baseline**: run r · run 4100 on main')
  })

  it('shows — for the change of a model whose cost is unknown in this run', () => {
    const baseline: Baseline = {
      kind: 'found',
      runId: 'r',
      describe: 'run r',
      workflowRun: null,
      metrics: computeMetrics([call('x', { model: 'm1', cost: 0.1 })])
    }
    expect(
      render([call('a', { model: 'm1', cost: undefined })], '', baseline)
    ).toContain('| m1 | 1 | — | — |')
  })

  it('marks the duration limit on the histogram, not a cost limit listed before it', () => {
    expect(
      render(
        [call('a', { duration: 1500 }), call('b', { duration: 3000 })],
        'cost <= $1\nduration.p95 < 2s'
      )
    ).toContain('limit 2 s"')
  })
})

describe('renderReport: measured by GraphQL Analytics, rendered in each test', () => {
  let report: string
  beforeEach(() => {
    report = renderReport(
      judgedAnalytics(
        sampled({
          trend: trendOf(62),
          metrics: analyticsMetrics([
            { ...MODELS[0]!, tokensIn: null },
            { ...MODELS[1]!, tokensOut: null },
            MODELS[2]!
          ])
        })
      ),
      where
    )
  })

  it('gives the models without a p95 column, counts with separators, a token count that is unknown as —', () => {
    const models = tables(report).find((t) => t[0]!.startsWith('| Model |'))!
    expect(models).toEqual([
      '| Model | Calls | Cost | Tokens in / out | Errors |',
      '| --- | ---: | ---: | ---: | ---: |',
      '| **all calls** | 1,000,000 | 1234.56\u00a0USD | 520,000,000 / 160,000,000 | 1,204\u00a0(0.1204%) |',
      '| gpt-4o | 412,000 | 980.50\u00a0USD | — / 95,000,000 | 800 |',
      '| gpt-4o-mini | 560,000 | 250.04\u00a0USD | 200,000,000 / — | 380 |',
      '| @&#8203;cf/meta/llama-3.1-8b-instruct | 28,000 | 4.02\u00a0USD | 10,000,000 / 5,000,000 | 24 |'
    ])
  })

  it('draws no chart of calls it did not read one by one: the line that says so, then the trend', () => {
    const paragraphs = report.split('\n\n')
    const perCall = paragraphs.findIndex((p) =>
      p.includes('need `source: logs`')
    )
    expect(perCall).toBeGreaterThan(0)
    expect(paragraphs[perCall + 1]).toBe(
      '**Trend**: the last 62 days (UTC), oldest first'
    )
  })

  it("folds the trend's long table, and ends its last day where the window ends", () => {
    expect(report).toContain(
      '<details><summary>Trend by day: 62 days</summary>'
    )
    expect(report).toMatch(/^\| 2026-12-02 \(to 09:20:00\) \| /m)
  })
})

describe('totalsLine: from GraphQL Analytics', () => {
  it('writes one error as one, with separators in the counts', () => {
    expect(
      totalsLine(
        { ...analyticsMetrics([MODELS[0]!]), errors: 1, errorRate: 0.000001 },
        analytics()
      )
    ).toBe(
      '**1,000,000 calls** · total cost **1234.56\u00a0USD** · p95 duration **3.8\u00a0s** · **1 error** (0.0001%)'
    )
  })

  it('marks the figures of a sample as estimates, and a p95 it does not have as — alone', () => {
    const metrics = analyticsMetrics([MODELS[0]!])
    expect(
      totalsLine(
        {
          ...metrics,
          distributions: {
            ...metrics.distributions,
            duration: { ...metrics.distributions.duration, p95: null }
          }
        },
        sampled()
      )
    ).toBe(
      '**≈ 1,000,000 calls** · total cost **≈ 1234.56\u00a0USD** · p95 duration **—** · **≈ 1,204 errors** (0.1204%)'
    )
  })
})

describe('renderReport: more models, unknown values, a cost below zero', () => {
  const call = (id: string, fields: Partial<LogSummary> = {}): LogSummary => ({
    ...LOG,
    id,
    ...fields
  })
  const render = (logs: LogSummary[], baseline?: Baseline): string =>
    renderReport(
      judge(
        measureCalls({ kind: 'many', logs, describe: 'run' }),
        {
          limits: { requireSuccess: false },
          thresholds: [],
          failOnBreach: true
        },
        baseline
      ),
      {}
    )
  const baselineOf = (logs: LogSummary[]): Baseline => ({
    kind: 'found',
    runId: 'r',
    describe: 'run r',
    workflowRun: null,
    metrics: computeMetrics(logs)
  })

  it('counts the models past the table in a line of their own', () => {
    const logs = Array.from({ length: 21 }, (_, i) =>
      call(`c${i}`, { model: `m${String(i).padStart(2, '0')}`, cost: 0.01 })
    )
    expect(render(logs)).toContain('\n\n_…and 1 more model._\n\n')
  })

  it('writes — for a total cost this run does not know, in the comparison', () => {
    const report = render(
      [call('a', { cost: undefined })],
      baselineOf([call('x', { cost: 0.1 })])
    )
    expect(report).toContain('| total cost | — | 0.1\u00a0USD | — |')
  })

  it('gives the change from a baseline of 0 to a cost below zero as the amount', () => {
    const report = render(
      [call('a', { model: 'm1', cost: -0.05, duration: 1000 })],
      baselineOf([call('x', { model: 'm1', cost: 0, duration: 1000 })])
    )
    expect(report).toContain('| m1 | 1 | -0.05\u00a0USD | -0.05\u00a0USD | ')
  })
})

describe('charts', () => {
  it('is the histogram alone without a baseline', () => {
    const outcome = judge(
      measureCalls({ kind: 'many', logs: [LOG], describe: 'run' }),
      { limits: { requireSuccess: false }, thresholds: [], failOnBreach: true }
    )
    if (outcome.kind !== 'checked') throw new Error(outcome.message)
    const drawn = charts(outcome)
    expect(drawn).toHaveLength(1)
    expect(drawn[0]).toContain('title "Calls by duration')
  })
})

describe('callLine: what the log does not report', () => {
  it('says so for the cost and the status code, a failure, tokens in unknown', () => {
    expect(
      callLine({
        ...LOG,
        cost: undefined,
        status_code: undefined,
        success: false,
        tokens_in: null
      })
    ).toBe(
      '**gpt-4o-mini** (openai) · cost not reported · 812 ms · — in / 96 out tokens · status not reported · failed'
    )
  })
})
