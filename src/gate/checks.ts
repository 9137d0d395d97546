// Pure: a log detail and the limits in, one check per limit that is set out (and expected-status
// over the calls of a selection).
// A gated field the log does not report fails its check ("not reported"); it never passes silently.
import type { Limits } from '../inputs/config.js'
import { INPUT, type InputName } from '../inputs/names.js'
import {
  formatNumber,
  formatStatusPatterns,
  statusMatches,
  type StatusPattern
} from '../inputs/units.js'
import { inline } from '../text/escape.js'
import type { LogDetail } from '../cloudflare/log.js'

export interface Check {
  /** The log field checked (snake_case, as the API names it). */
  field:
    'cost' | 'duration' | 'tokens_in' | 'tokens_out' | 'status_code' | 'success'
  /** The input that set the limit. */
  input: InputName
  /** The field's value (null when not reported) and the limit, as values and as text with the unit. */
  actualValue: number | boolean | null
  limitValue: number | boolean | string
  actual: string
  limit: string
  unit: string
  passed: boolean
  /** One line: "cost 0.75 USD > max-cost 0.05 USD". */
  message: string
}

function maxCheck(
  field: Check['field'],
  input: InputName,
  unit: string,
  actual: number | null | undefined,
  limit: number
): Check {
  const label = field.replace('_', '-')
  const suffix = unit ? ` ${unit}` : ''
  const limitShown = `${formatNumber(limit)}${suffix}`
  if (actual === undefined || actual === null) {
    return {
      field,
      input,
      actualValue: null,
      limitValue: limit,
      actual: 'not reported',
      limit: limitShown,
      unit,
      passed: false,
      message: `${label} not reported by the log (${input} ${limitShown})`
    }
  }
  const passed = actual <= limit
  const actualShown = `${formatNumber(actual)}${suffix}`
  return {
    field,
    input,
    actualValue: actual,
    limitValue: limit,
    actual: actualShown,
    limit: limitShown,
    unit,
    passed,
    message: `${label} ${actualShown} ${passed ? '<=' : '>'} ${input} ${limitShown}`
  }
}

export function evaluate(log: LogDetail, limits: Limits): Check[] {
  const checks: Check[] = []
  if (limits.maxCostUsd !== undefined) {
    checks.push(
      maxCheck('cost', INPUT.maxCost, 'USD', log.cost, limits.maxCostUsd)
    )
  }
  if (limits.maxDurationMs !== undefined) {
    checks.push(
      maxCheck(
        'duration',
        INPUT.maxDuration,
        'ms',
        log.duration,
        limits.maxDurationMs
      )
    )
  }
  if (limits.maxTokensIn !== undefined) {
    checks.push(
      maxCheck(
        'tokens_in',
        INPUT.maxTokensIn,
        'tokens',
        log.tokens_in,
        limits.maxTokensIn
      )
    )
  }
  if (limits.maxTokensOut !== undefined) {
    checks.push(
      maxCheck(
        'tokens_out',
        INPUT.maxTokensOut,
        'tokens',
        log.tokens_out,
        limits.maxTokensOut
      )
    )
  }
  if (limits.expectedStatus !== undefined) {
    const expected = formatStatusPatterns(limits.expectedStatus)
    const code = log.status_code
    const base = {
      field: 'status_code',
      input: INPUT.expectedStatus,
      limitValue: expected,
      limit: expected,
      unit: ''
    } as const
    if (code === undefined) {
      checks.push({
        ...base,
        actualValue: null,
        actual: 'not reported',
        passed: false,
        message: `status-code not reported by the log (${INPUT.expectedStatus} ${expected})`
      })
    } else {
      const passed = statusMatches(code, limits.expectedStatus)
      checks.push({
        ...base,
        actualValue: code,
        actual: String(code),
        passed,
        message: `status-code ${code} ${passed ? 'in' : 'not in'} ${INPUT.expectedStatus} ${expected}`
      })
    }
  }
  if (limits.requireSuccess) {
    const passed = log.success === true
    checks.push({
      field: 'success',
      input: INPUT.requireSuccess,
      actualValue: log.success,
      limitValue: true,
      actual: String(log.success),
      limit: 'true',
      unit: '',
      passed,
      message: passed
        ? 'success true'
        : `success ${String(log.success)} (${INPUT.requireSuccess} is true: the gateway recorded the call as failed)`
    })
  }
  return checks
}

/**
 * `expected-status` over many calls: every call's status code must match. The actual value is the
 * number of calls that do not (a call that reports no status code is one of them).
 */
export function statusOfCalls(
  logs: readonly Pick<LogDetail, 'id' | 'status_code'>[],
  patterns: StatusPattern[]
): Check {
  const expected = formatStatusPatterns(patterns)
  const outside = logs.filter(
    (log) =>
      log.status_code === undefined || !statusMatches(log.status_code, patterns)
  )
  const base = {
    field: 'status_code',
    input: INPUT.expectedStatus,
    limitValue: expected,
    unit: 'calls'
  } as const
  const calls = `${logs.length} call${logs.length === 1 ? '' : 's'}`
  if (outside.length === 0) {
    return {
      ...base,
      actualValue: 0,
      actual: `all ${calls}`,
      limit: expected,
      passed: true,
      message: `status-code of all ${calls} in ${INPUT.expectedStatus} ${expected}`
    }
  }
  const first = outside[0]!
  // The id comes from the API: inline() keeps it on the message's one line.
  const example = `call ${inline(first.id, 80)}: ${first.status_code === undefined ? 'not reported' : first.status_code}`
  return {
    ...base,
    actualValue: outside.length,
    actual: `${outside.length} of ${calls} outside`,
    limit: expected,
    passed: false,
    message: `status-code of ${outside.length} of ${calls} not in ${INPUT.expectedStatus} ${expected} (first: ${example})`
  }
}
