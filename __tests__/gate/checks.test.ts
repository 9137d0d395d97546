import { describe, expect, it } from '@jest/globals'
import { evaluate, statusOfCalls } from '../../src/gate/checks.js'
import type { Limits } from '../../src/inputs/config.js'
import type { LogDetail } from '../../src/cloudflare/log.js'
import { LOG } from '../helpers/fixtures.js'

const log: LogDetail = LOG
const limits = (extra: Partial<Limits>): Limits => ({
  requireSuccess: false,
  ...extra
})

describe('evaluate', () => {
  it('passes a limit the value meets, including equality', () => {
    const checks = evaluate(
      log,
      limits({ maxCostUsd: 0.0012, maxDurationMs: 1000 })
    )
    expect(checks.map((c) => [c.field, c.passed])).toEqual([
      ['cost', true],
      ['duration', true]
    ])
  })

  it('fails a breached limit with a one-line message naming the value and the limit', () => {
    const [check] = evaluate(
      { ...log, cost: 0.75 },
      limits({ maxCostUsd: 0.05 })
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
      limits({
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
        limits({ expectedStatus: [...expectedStatus] })
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
    expect(evaluate({ ...log, success: false }, limits({}))).toEqual([])
    const [check] = evaluate(
      { ...log, success: false },
      limits({ requireSuccess: true })
    )
    expect(check?.passed).toBe(false)
    expect(check?.message).toMatch(/^success false/)
  })

  it('says in or not in for a status code, and shows an unreported one as not reported', () => {
    const expectedStatus = [{ kind: 'class', hundreds: 2 }] as const
    const check = (status_code?: number) =>
      evaluate(
        { ...log, status_code },
        limits({ expectedStatus: [...expectedStatus] })
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
      limits({ maxTokensIn: 500 })
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
      limits({ requireSuccess: true })
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
      limits({ requireSuccess: true })
    )
    expect(passed).toMatchObject({
      actualValue: true,
      limitValue: true,
      passed: true,
      message: 'success true'
    })
  })

  it('checks token counts', () => {
    const checks = evaluate(log, limits({ maxTokensIn: 411, maxTokensOut: 96 }))
    expect(checks.map((c) => c.message)).toEqual([
      'tokens-in 412 tokens > max-tokens-in 411 tokens',
      'tokens-out 96 tokens <= max-tokens-out 96 tokens'
    ])
  })
})

describe('statusOfCalls', () => {
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
