import { measureCalls } from '../../src/sources/logs.js'
import { describe, expect, it } from '@jest/globals'
import type { Baseline } from '../../src/sources/baseline.js'
import { computeMetrics, type LogSummary } from '../../src/sources/metrics.js'
import { parseThresholds } from '../../src/inputs/thresholds.js'
import {
  judge,
  resultOf,
  verdictsJson,
  type GateRules,
  type Outcome,
  type Verdict
} from '../../src/gate/verdict.js'
import type { LogDetail } from '../../src/cloudflare/log.js'
import type { StatusPattern } from '../../src/inputs/units.js'
import { LOG } from '../helpers/fixtures.js'
import { type Limits } from '../../src/inputs/limits.js'

const rules = (
  limits: Partial<Limits>,
  thresholds = '',
  failOnBreach = true
): GateRules => {
  const parsed = parseThresholds(thresholds)
  expect(parsed.problems).toEqual([])
  return {
    limits: { requireSuccess: false, ...limits },
    thresholds: parsed.thresholds,
    failOnBreach
  }
}

const call = (
  id: string,
  cost: number | undefined,
  duration: number,
  success = true
): LogSummary => ({
  ...LOG,
  id,
  cost,
  duration,
  success,
  status_code: success ? 200 : 500
})
const run = [
  call('a', 0.5, 1000),
  call('b', 0.75, 9000),
  call('c', 1, 3000, false)
]

describe('judge: one log', () => {
  it('keeps the checks and messages of the limit inputs, and measures the log as a selection of one', () => {
    const outcome = judge(
      measureCalls({ kind: 'log', log: { ...LOG, cost: 0.75 } }),
      rules({ maxCostUsd: 0.05, requireSuccess: true })
    )
    if (outcome.kind !== 'checked') throw new Error('not checked')
    expect(
      outcome.verdicts.map((v) => [
        v.name,
        v.actual,
        v.limit,
        v.passed,
        v.message
      ])
    ).toEqual([
      [
        'cost',
        '0.75 USD',
        '≤ 0.05 USD',
        false,
        'cost 0.75 USD > max-cost 0.05 USD'
      ],
      ['success', 'true', 'true', true, 'success true']
    ])
    expect(outcome.measured.metrics.count).toBe(1)
    expect(outcome.measured.metrics.distributions.cost.sum).toBe(0.75)
    expect(resultOf(outcome)).toBe('fail')
    expect(JSON.parse(verdictsJson(outcome, 'error', 100).json)).toEqual([
      {
        field: 'cost',
        input: 'max-cost',
        actual: 0.75,
        limit: 0.05,
        unit: 'USD',
        message: 'cost 0.75 USD > max-cost 0.05 USD'
      }
    ])
  })

  it('adds the thresholds lines after the limits', () => {
    const outcome = judge(
      measureCalls({ kind: 'log', log: LOG }),
      rules({ maxCostUsd: 1 }, 'duration < 500ms\nwarn: tokens-in <= 100')
    )
    if (outcome.kind !== 'checked') throw new Error('not checked')
    expect(
      outcome.verdicts.map((v) => [v.name, v.input, v.level, v.passed])
    ).toEqual([
      ['cost', 'max-cost', 'error', true],
      ['duration.max', 'thresholds', 'error', false],
      ['tokens-in.sum', 'thresholds', 'warn', false]
    ])
  })
})

describe('judge: many calls', () => {
  it('budgets the total with max-cost, bounds the slowest call with max-duration, and requires no failed call', () => {
    const outcome = judge(
      measureCalls({ kind: 'many', logs: run, describe: 'run x' }),
      rules({ maxCostUsd: 2, maxDurationMs: 8000, requireSuccess: true })
    )
    if (outcome.kind !== 'checked') throw new Error('not checked')
    expect(outcome.verdicts.map((v) => [v.name, v.input, v.passed])).toEqual([
      ['cost.sum', 'max-cost', false],
      ['duration.max', 'max-duration', false],
      ['errors', 'require-success', false]
    ])
    expect(outcome.verdicts[0]!.actual).toBe('2.25 USD')
    expect(outcome.verdicts[0]!.limit).toBe('≤ 2 USD')
  })

  it('checks expected-status on every call', () => {
    const outcome = judge(
      measureCalls({ kind: 'many', logs: run, describe: 'run x' }),
      rules({ expectedStatus: [{ kind: 'class', hundreds: 2 }] })
    )
    if (outcome.kind !== 'checked') throw new Error('not checked')
    expect(outcome.verdicts.map((v) => [v.name, v.actual, v.passed])).toEqual([
      ['status-code', '1 of 3 calls outside', false]
    ])
  })

  it('never fails the job on a warning, and lists it in warnings, not failures', () => {
    const outcome = judge(
      measureCalls({ kind: 'many', logs: run, describe: 'run x' }),
      rules({}, 'warn: cost.max <= 0.10\ncount >= 3')
    )
    expect(resultOf(outcome)).toBe('pass')
    expect(JSON.parse(verdictsJson(outcome, 'error', 100).json)).toEqual([])
    expect(JSON.parse(verdictsJson(outcome, 'warn', 100).json)).toEqual([
      {
        metric: 'cost.max',
        input: 'thresholds',
        actual: 1,
        operator: '<=',
        limit: 0.1,
        unit: 'USD',
        call: 'c',
        message: 'cost.max 1 USD > 0.1 USD (call c)'
      }
    ])
  })

  it('shows each operator as its symbol before the limit', () => {
    const outcome = judge(
      measureCalls({ kind: 'many', logs: run, describe: 'run x' }),
      rules(
        {},
        'duration < 500ms\ncount > 1\ncount >= 3\ncount == 3\ncost <= 5'
      )
    )
    if (outcome.kind !== 'checked') throw new Error('not checked')
    expect(outcome.verdicts.map((v) => [v.name, v.limit])).toEqual([
      ['duration.max', '< 500 ms'],
      ['count', '> 1'],
      ['count', '≥ 3'],
      ['count', '= 3'],
      ['cost.sum', '≤ 5 USD']
    ])
  })

  it('gives a threshold that compares with no baseline neither a baseline nor a skipped key', () => {
    const outcome = judge(
      measureCalls({ kind: 'many', logs: run, describe: 'run x' }),
      rules({}, 'cost <= 5')
    )
    if (outcome.kind !== 'checked') throw new Error('not checked')
    const [verdict] = outcome.verdicts
    expect(Object.keys(verdict!)).not.toContain('skipped')
    expect(Object.keys(verdict!.entry)).toEqual([
      'metric',
      'input',
      'actual',
      'operator',
      'limit',
      'unit',
      'call',
      'message'
    ])
  })

  it('fails closed on a cost threshold when a call has no cost', () => {
    const outcome = judge(
      measureCalls({
        kind: 'many',
        logs: [...run, call('d', undefined, 10)],
        describe: 'run x'
      }),
      rules({ maxCostUsd: 100 })
    )
    expect(resultOf(outcome)).toBe('fail')
    if (outcome.kind !== 'checked') throw new Error('not checked')
    expect(outcome.verdicts[0]!.message).toBe(
      'cost.sum unknown: 1 of 4 calls reports no cost (limit <= 100 USD) (max-cost)'
    )
  })

  it('puts the interval a sampled figure was judged at in its failures entry: its bounds only', () => {
    const outcome = judge(
      {
        source: 'analytics',
        metrics: { ...computeMetrics(run), count: 1200 },
        caveats: [],
        intervals: {
          'cost.sum': { estimate: 2.25, lower: 2.1, upper: 2.4, sampleSize: 3 }
        }
      },
      rules({}, 'cost.sum < 2.3')
    )
    expect(JSON.parse(verdictsJson(outcome, 'error', 100).json)).toEqual([
      {
        metric: 'cost.sum',
        input: 'thresholds',
        actual: 2.25,
        operator: '<',
        limit: 2.3,
        unit: 'USD',
        call: null,
        interval: { lower: 2.1, upper: 2.4 },
        message:
          "cost.sum ≈ 2.25 USD (95%: 2.1 USD to 2.4 USD) >= 2.3 USD (sampled: judged at the interval's upper bound)"
      }
    ])
  })
})

describe('judge: against a baseline', () => {
  const earlier = [call('x', 0.5, 1000), call('y', 0.5, 2000)]
  const found: Baseline = {
    kind: 'found',
    runId: 'gh-1-1',
    describe: 'run "gh-1-1"',
    metrics: computeMetrics(earlier),
    workflowRun: null
  }
  const missing: Baseline = {
    kind: 'missing',
    reason: 'no successful run of eval.yml on "main" yet',
    workflowRun: null
  }
  const thresholds = 'cost <= baseline + 10%\nduration.max <= baseline * 5'

  it("judges the thresholds against the baseline's values, and keeps the baseline in the outcome", () => {
    const outcome = judge(
      measureCalls({ kind: 'many', logs: run, describe: 'run x' }),
      rules({}, thresholds),
      found
    )
    if (outcome.kind !== 'checked') throw new Error('not checked')
    expect(outcome.baseline).toBe(found)
    expect(resultOf(outcome)).toBe('fail')
    expect(outcome.verdicts.map((v) => [v.name, v.limit, v.passed])).toEqual([
      ['cost.sum', '≤ baseline + 10% (1.1 USD)', false],
      ['duration.max', '≤ baseline * 5 (10000 ms)', true]
    ])
    expect(JSON.parse(verdictsJson(outcome, 'error', 100).json)).toEqual([
      {
        metric: 'cost.sum',
        input: 'thresholds',
        actual: 2.25,
        operator: '<=',
        limit: 1.1,
        baseline: 1,
        unit: 'USD',
        call: null,
        message: 'cost.sum 2.25 USD > baseline + 10% (1.1 USD)'
      }
    ])
  })

  it('skips them without a baseline: warnings that say why, and the gate passes', () => {
    const outcome = judge(
      measureCalls({ kind: 'many', logs: run, describe: 'run x' }),
      rules({}, thresholds),
      missing
    )
    expect(resultOf(outcome)).toBe('pass')
    if (outcome.kind !== 'checked') throw new Error('not checked')
    expect(outcome.verdicts.map((v) => [v.level, v.passed, v.skipped])).toEqual(
      [
        [
          'warn',
          false,
          'no baseline (no successful run of eval.yml on "main" yet)'
        ],
        [
          'warn',
          false,
          'no baseline (no successful run of eval.yml on "main" yet)'
        ]
      ]
    )
    expect(JSON.parse(verdictsJson(outcome, 'warn', 100).json)[0]).toEqual({
      metric: 'cost.sum',
      input: 'thresholds',
      actual: 2.25,
      operator: '<=',
      limit: null,
      baseline: null,
      unit: 'USD',
      call: null,
      skipped: 'no baseline (no successful run of eval.yml on "main" yet)',
      message:
        'cost.sum <= baseline + 10% not checked: no baseline (no successful run of eval.yml on "main" yet)'
    })
  })

  /** The base-branch lookup of a run on `eventName` (only the event matters to the gate). */
  const baseBranchOn = (eventName: string): GateRules['baseline'] => ({
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
        eventName,
        eventPath: undefined
      }
    }
  })
  const limitsAndBaseline =
    'cost <= baseline + 10%\nwarn: duration.max <= baseline\ncount <= 2'

  it.each(['push', 'schedule', 'workflow_dispatch', 'merge_group'])(
    'on %s with base-branch, a breached threshold against the baseline is a warning that says why; the others keep their level',
    (event) => {
      const outcome = judge(
        measureCalls({ kind: 'many', logs: run, describe: 'run x' }),
        { ...rules({}, limitsAndBaseline), baseline: baseBranchOn(event) },
        found
      )
      if (outcome.kind !== 'checked') throw new Error('not checked')
      expect(outcome.baselineWarnsOn).toBe(event)
      expect(outcome.verdicts.map((v) => [v.name, v.level, v.passed])).toEqual([
        ['cost.sum', 'warn', false],
        ['duration.max', 'warn', false],
        ['count', 'error', false]
      ])
      expect(outcome.verdicts.map((v) => v.message)).toEqual([
        `cost.sum 2.25 USD > baseline + 10% (1.1 USD) (a warning on ${event}: thresholds against the baseline fail pull requests only)`,
        // A warning as written says nothing more.
        'duration.max 9000 ms > baseline (2000 ms) (call b)',
        'count 3 calls > 2'
      ])
      expect(
        JSON.parse(verdictsJson(outcome, 'warn', 100).json)[0]
      ).toMatchObject({
        metric: 'cost.sum',
        message: expect.stringContaining(`(a warning on ${event}:`)
      })
    }
  )

  it('keeps the level on a pull request, with baseline-run-id, and without a baseline threshold', () => {
    const measured = measureCalls({
      kind: 'many',
      logs: run,
      describe: 'run x'
    })
    for (const baseline of [
      baseBranchOn('pull_request'),
      baseBranchOn('pull_request_target'),
      { source: { kind: 'run-id', value: 'gh-1-1' } } as const,
      null,
      undefined
    ]) {
      const outcome = judge(
        measured,
        { ...rules({}, thresholds), baseline },
        found
      )
      expect(resultOf(outcome)).toBe('fail')
      expect(outcome.kind === 'checked' && outcome.baselineWarnsOn).toBe(
        undefined
      )
    }
    // On a push, with no threshold against the baseline, there is nothing to say.
    const plain = judge(
      measured,
      { ...rules({}, 'count <= 2'), baseline: baseBranchOn('push') },
      found
    )
    expect(resultOf(plain)).toBe('fail')
    expect(plain.kind === 'checked' && 'baselineWarnsOn' in plain).toBe(false)
  })

  it('passes a push whose only breaches are against the baseline', () => {
    const outcome = judge(
      measureCalls({ kind: 'many', logs: run, describe: 'run x' }),
      { ...rules({}, thresholds), baseline: baseBranchOn('push') },
      found
    )
    expect(resultOf(outcome)).toBe('pass')
    expect(JSON.parse(verdictsJson(outcome, 'error', 100).json)).toEqual([])
  })

  it('adds no baseline to an outcome that was not compared', () => {
    const outcome = judge(
      measureCalls({ kind: 'many', logs: run, describe: 'run x' }),
      rules({})
    )
    expect(outcome.kind === 'checked' && 'baseline' in outcome).toBe(false)
  })
})

describe('verdictsJson: the failures of one log', () => {
  it('lists only failed checks, with field, actual value and limit, null when not reported', () => {
    const outcome = judge(
      measureCalls({
        kind: 'log',
        log: { ...LOG, cost: 0.75, tokens_in: null }
      }),
      rules({ maxCostUsd: 0.05, maxDurationMs: 5000, maxTokensIn: 100 })
    )
    expect(JSON.parse(verdictsJson(outcome, 'error', 100).json)).toEqual([
      {
        field: 'cost',
        input: 'max-cost',
        actual: 0.75,
        limit: 0.05,
        unit: 'USD',
        message: 'cost 0.75 USD > max-cost 0.05 USD'
      },
      {
        field: 'tokens_in',
        input: 'max-tokens-in',
        actual: null,
        limit: 100,
        unit: 'tokens',
        message: 'tokens-in not reported by the log (max-tokens-in 100 tokens)'
      }
    ])
    expect(verdictsJson(outcome, 'warn', 100).json).toBe('[]')
  })

  it('is [] when every check passes', () => {
    expect(
      verdictsJson(
        judge(
          measureCalls({ kind: 'log', log: LOG }),
          rules({ maxCostUsd: 1 })
        ),
        'error',
        100
      )
    ).toEqual({ json: '[]', omitted: 0 })
  })
})

describe('judge: sums past the largest number', () => {
  it('is an error naming the metric, not a verdict against Infinity', () => {
    const logs = [call('a', 1e308, 10), call('b', 1e308, 20)]
    const outcome = judge(
      measureCalls({ kind: 'many', logs, describe: 'run x' }),
      rules({ maxCostUsd: 1 }, 'cost.sum < $5\nwarn: duration.p95 < 1ms')
    )
    expect(outcome).toEqual({
      kind: 'error',
      message:
        'Invalid answer: the sum of cost over 2 calls is not a finite number (past 1.8e308, the largest a number holds), so the calls cannot be judged.'
    })
    expect(resultOf(outcome)).toBe('error')
  })

  it('judges costs that add up to just under the largest number', () => {
    const logs = [call('a', 1e308, 10), call('b', 7e307, 20)]
    const outcome = judge(
      measureCalls({ kind: 'many', logs, describe: 'run x' }),
      rules({})
    )
    expect(outcome.kind).toBe('checked')
  })
})

describe('resultOf', () => {
  it('is error for an error, pass with no verdicts', () => {
    expect(resultOf({ kind: 'error', message: 'x' })).toBe('error')
    expect(
      resultOf(
        judge(
          measureCalls({ kind: 'many', logs: run, describe: 'run x' }),
          rules({})
        )
      )
    ).toBe('pass')
    expect(verdictsJson({ kind: 'error', message: 'x' }, 'error', 100)).toEqual(
      { json: '[]', omitted: 0 }
    )
  })
})

// The verdicts of one log read whole and of expected-status over many calls, in the shape the per-call
// checks had before one evaluator judged everything: the wording and the entries must not change.
const oneCall = (log: LogDetail, limits: Limits) =>
  judge(measureCalls({ kind: 'log', log }), {
    limits,
    thresholds: [],
    failOnBreach: true
  })
const asCheck = (v: Verdict) => ({
  field: v.entry.field,
  input: v.input,
  actualValue: v.entry.actual,
  limitValue: v.entry.limit,
  actual: v.actual,
  limit: v.limit.replace(/^≤ /, ''),
  unit: v.entry.unit,
  passed: v.passed,
  message: v.message
})
const verdictsOf = (outcome: Outcome): Verdict[] =>
  outcome.kind === 'checked' ? outcome.verdicts : []
const evaluate = (log: LogDetail, limits: Limits) =>
  verdictsOf(oneCall(log, limits)).map(asCheck)
const statusOfCalls = (logs: Partial<LogDetail>[], patterns: StatusPattern[]) =>
  asCheck(
    verdictsOf(
      judge(
        measureCalls({
          kind: 'many',
          logs: logs.map((l) => ({ ...LOG, status_code: undefined, ...l })),
          describe: 'run'
        }),
        {
          limits: { requireSuccess: false, expectedStatus: patterns },
          thresholds: [],
          failOnBreach: true
        }
      )
    )[0]!
  )
const oneCallLimits = (extra: Partial<Limits>): Limits => ({
  requireSuccess: false,
  ...extra
})

describe('judge: one log read whole keeps the one-call wording', () => {
  const log: LogDetail = LOG

  it('passes a limit the value meets, including equality', () => {
    const checks = evaluate(
      log,
      oneCallLimits({ maxCostUsd: 0.0012, maxDurationMs: 1000 })
    )
    expect(checks.map((c) => [c.field, c.passed])).toEqual([
      ['cost', true],
      ['duration', true]
    ])
  })

  it('fails a breached limit with a one-line message naming the value and the limit', () => {
    const [check] = evaluate(
      { ...log, cost: 0.75 },
      oneCallLimits({ maxCostUsd: 0.05 })
    )
    expect(check).toMatchObject({
      passed: false,
      message: 'cost 0.75 USD > max-cost 0.05 USD'
    })
  })

  it('fails a gated field the log does not report instead of passing it', () => {
    const checks = evaluate(
      {
        ...log,
        cost: undefined,
        tokens_in: null,
        tokens_out: null,
        status_code: undefined
      },
      oneCallLimits({
        maxCostUsd: 1,
        maxTokensIn: 10,
        maxTokensOut: 10,
        expectedStatus: [{ kind: 'class', hundreds: 2 }]
      })
    )
    expect(checks.every((c) => !c.passed)).toBe(true)
    expect(checks.map((c) => c.message)).toEqual([
      'cost not reported by the log (max-cost 1 USD)',
      'tokens-in not reported by the log (max-tokens-in 10 tokens)',
      'tokens-out not reported by the log (max-tokens-out 10 tokens)',
      'status-code not reported by the log (expected-status 2xx)'
    ])
  })

  it('matches status codes and classes', () => {
    const expectedStatus = [
      { kind: 'code', code: 429 },
      { kind: 'class', hundreds: 2 }
    ] as const
    const result = (status_code: number): boolean | undefined =>
      evaluate(
        { ...log, status_code },
        oneCallLimits({ expectedStatus: [...expectedStatus] })
      )[0]?.passed
    expect([200, 204, 299, 429, 300, 428, 500].map(result)).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      false
    ])
  })

  it('checks success only when require-success is on', () => {
    expect(evaluate({ ...log, success: false }, oneCallLimits({}))).toEqual([])
    const [check] = evaluate(
      { ...log, success: false },
      oneCallLimits({ requireSuccess: true })
    )
    expect(check?.passed).toBe(false)
    expect(check?.message).toMatch(/^success false/)
  })

  it('says in or not in for a status code, and shows an unreported one as not reported', () => {
    const expectedStatus = [{ kind: 'class', hundreds: 2 }] as const
    const check = (status_code?: number) =>
      evaluate(
        { ...log, status_code },
        oneCallLimits({ expectedStatus: [...expectedStatus] })
      )[0]
    expect(check(204)).toMatchObject({
      actual: '204',
      passed: true,
      message: 'status-code 204 in expected-status 2xx'
    })
    expect(check(503)).toMatchObject({
      actual: '503',
      passed: false,
      message: 'status-code 503 not in expected-status 2xx'
    })
    expect(check(undefined)).toMatchObject({
      actualValue: null,
      actual: 'not reported',
      limit: '2xx',
      unit: ''
    })
  })

  it('shows a limit the log does not report as not reported', () => {
    const [check] = evaluate(
      { ...log, tokens_in: null },
      oneCallLimits({ maxTokensIn: 500 })
    )
    expect(check).toEqual({
      field: 'tokens_in',
      input: 'max-tokens-in',
      actualValue: null,
      limitValue: 500,
      actual: 'not reported',
      limit: '500 tokens',
      unit: 'tokens',
      passed: false,
      message: 'tokens-in not reported by the log (max-tokens-in 500 tokens)'
    })
  })

  it('gives the whole success check: true expected, no unit', () => {
    const [failed] = evaluate(
      { ...log, success: false },
      oneCallLimits({ requireSuccess: true })
    )
    expect(failed).toEqual({
      field: 'success',
      input: 'require-success',
      actualValue: false,
      limitValue: true,
      actual: 'false',
      limit: 'true',
      unit: '',
      passed: false,
      message:
        'success false (require-success is true: the gateway recorded the call as failed)'
    })
    const [passed] = evaluate(
      { ...log, success: true },
      oneCallLimits({ requireSuccess: true })
    )
    expect(passed).toMatchObject({
      actualValue: true,
      limitValue: true,
      passed: true,
      message: 'success true'
    })
  })

  it('checks token counts', () => {
    const checks = evaluate(
      log,
      oneCallLimits({ maxTokensIn: 411, maxTokensOut: 96 })
    )
    expect(checks.map((c) => c.message)).toEqual([
      'tokens-in 412 tokens > max-tokens-in 411 tokens',
      'tokens-out 96 tokens <= max-tokens-out 96 tokens'
    ])
  })
})

describe('judge: expected-status over many calls', () => {
  const twoXx = [{ kind: 'class', hundreds: 2 }] as const
  it('passes when every call is in the expected statuses', () => {
    const check = statusOfCalls(
      [
        { id: 'a', status_code: 200 },
        { id: 'b', status_code: 201 }
      ],
      [...twoXx]
    )
    expect(check).toMatchObject({
      passed: true,
      actualValue: 0,
      actual: 'all 2 calls',
      message: 'status-code of all 2 calls in expected-status 2xx'
    })
  })

  it('counts the calls outside them, a call without a status among them, and names the first', () => {
    const check = statusOfCalls(
      [
        { id: 'a', status_code: 200 },
        { id: 'b\n::x', status_code: 500 },
        { id: 'c' }
      ],
      [...twoXx, { kind: 'code', code: 429 }]
    )
    expect(check).toMatchObject({
      passed: false,
      actualValue: 2,
      actual: '2 of 3 calls outside',
      limit: '2xx, 429',
      message:
        'status-code of 2 of 3 calls not in expected-status 2xx, 429 (first: call b\\n::x: 500)'
    })
  })

  it('names a first call that reports no status', () => {
    expect(statusOfCalls([{ id: 'c' }], [...twoXx]).message).toBe(
      'status-code of 1 of 1 call not in expected-status 2xx (first: call c: not reported)'
    )
  })
})

describe('judge: the texts people read', () => {
  const one = (log: LogDetail, limits: Partial<Limits>, thresholds = '') =>
    (
      judge(
        measureCalls({ kind: 'log', log }),
        rules(limits, thresholds)
      ) as Extract<Outcome, { kind: 'checked' }>
    ).verdicts

  it("rounds a call's money and duration, and keeps the exact ones in actual, limit, message and entry", () => {
    const [cost, duration] = one(
      { ...LOG, cost: 0.40074815, duration: 3750 },
      { maxCostUsd: 0.05, maxDurationMs: 1500 }
    )
    expect(cost).toMatchObject({
      actual: '0.40074815 USD',
      message: 'cost 0.40074815 USD > max-cost 0.05 USD',
      entry: {
        actual: 0.40074815,
        message: 'cost 0.40074815 USD > max-cost 0.05 USD'
      },
      shown: {
        actual: '0.4007 USD',
        limit: '≤ 0.05 USD',
        message: 'cost 0.4007 USD > max-cost 0.05 USD'
      }
    })
    expect(duration!.shown).toEqual({
      actual: '3.8 s',
      limit: '≤ 1.5 s',
      message: 'duration 3.8 s > max-duration 1.5 s'
    })
  })

  it('keeps the exact digits when rounding would make a breach read as equal, and says an unreported field rounded', () => {
    const [cost] = one({ ...LOG, cost: 0.050004 }, { maxCostUsd: 0.05 })
    expect(cost!.shown.message).toBe('cost 0.050004 USD > max-cost 0.05 USD')
    const [missing] = one({ ...LOG, cost: undefined }, { maxCostUsd: 1.5 })
    expect(missing!.shown).toEqual({
      actual: 'not reported',
      limit: '≤ 1.50 USD',
      message: 'cost not reported by the log (max-cost 1.50 USD)'
    })
    const [tokens] = one(LOG, { maxTokensIn: 10 })
    expect(tokens!.shown.message).toBe(tokens!.message)
  })

  it('gives a threshold over many calls its rounded texts, with the comparison in the limit', () => {
    const verdicts = (
      judge(
        measureCalls({ kind: 'many', logs: run, describe: 'run' }),
        rules({}, 'duration.p95 < 8s\ncost <= $2')
      ) as Extract<Outcome, { kind: 'checked' }>
    ).verdicts
    expect(verdicts.map((v) => v.shown)).toEqual([
      {
        actual: '9 s',
        limit: '< 8 s',
        message: 'duration.p95 9 s >= 8 s (call b)'
      },
      {
        actual: '2.25 USD',
        limit: '≤ 2.00 USD',
        message: 'cost.sum 2.25 USD > 2.00 USD'
      }
    ])
  })
})

// Edges the mutation run (Stryker) found untested: the entries a workflow parses from `failures`, and
// the texts a reader sees.
describe('judge: the failures entries of expected-status', () => {
  it('over many calls: the field the API names, counted in calls', () => {
    const outcome = judge(
      measureCalls({
        kind: 'many',
        logs: [
          { ...LOG, id: 'a', status_code: 200 },
          { ...LOG, id: 'b', status_code: 500 }
        ],
        describe: 'run'
      }),
      rules({ expectedStatus: [{ kind: 'class', hundreds: 2 }] })
    )
    expect(JSON.parse(verdictsJson(outcome, 'error', 100).json)).toEqual([
      {
        field: 'status_code',
        input: 'expected-status',
        actual: 1,
        limit: '2xx',
        unit: 'calls',
        message:
          'status-code of 1 of 2 calls not in expected-status 2xx (first: call b: 500)'
      }
    ])
  })

  it.each([
    [503, 503, 'status-code 503 not in expected-status 2xx'],
    [
      undefined,
      null,
      'status-code not reported by the log (expected-status 2xx)'
    ]
  ])(
    'of one log with status %s: the field the API names, no unit',
    (status_code, actual, message) => {
      const outcome = oneCall(
        { ...LOG, status_code },
        oneCallLimits({ expectedStatus: [{ kind: 'class', hundreds: 2 }] })
      )
      expect(verdictsOf(outcome).map((v) => v.name)).toEqual(['status-code'])
      expect(JSON.parse(verdictsJson(outcome, 'error', 100).json)).toEqual([
        {
          field: 'status_code',
          input: 'expected-status',
          actual,
          limit: '2xx',
          unit: '',
          message
        }
      ])
    }
  )
})

describe('judge: texts at the edges', () => {
  it('rounds a value equal to its limit for people, both sides alike', () => {
    const [cost] = verdictsOf(
      oneCall(
        { ...LOG, cost: 0.123456 },
        oneCallLimits({ maxCostUsd: 0.123456 })
      )
    )
    expect(cost!.passed).toBe(true)
    expect(cost!.message).toBe('cost 0.123456 USD <= max-cost 0.123456 USD')
    expect(cost!.shown.message).toBe('cost 0.1235 USD <= max-cost 0.1235 USD')
  })

  it('on push, a threshold against a missing baseline is skipped without the pull-request note', () => {
    const outcome = judge(
      measureCalls({ kind: 'many', logs: run, describe: 'run x' }),
      {
        ...rules({}, 'cost <= baseline + 10%'),
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
              eventName: 'push',
              eventPath: undefined
            }
          }
        }
      },
      {
        kind: 'missing',
        reason: 'no successful run of eval.yml on "main" yet',
        workflowRun: null
      }
    )
    expect(verdictsOf(outcome).map((v) => v.message)).toEqual([
      'cost.sum <= baseline + 10% not checked: no baseline (no successful run of eval.yml on "main" yet)'
    ])
  })
})
