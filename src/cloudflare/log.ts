// The AI Gateway log detail: its 25 fields and their check at run time, as the API documents them
// (the LogDetail schema of Cloudflare's OpenAPI description of the AI Gateway logs endpoints).
import { cut, jsonText, showInvisible } from '../text/escape.js'
import { redactHeaders, redactUrlCredentials } from '../text/redact.js'
import { NO_SECRETS } from '../text/secrets.js'
import { formatNumber } from '../inputs/units.js'

type FieldType = 'string' | 'number' | 'integer' | 'boolean'

interface FieldSpec {
  /** The API's snake_case name. */
  name: keyof LogDetail
  /** The step output's kebab-case name. */
  output: string
  type: FieldType
  /** Always present in the API's answer (`null` allowed only where `nullable`). */
  required: boolean
  nullable?: boolean
  /** A cost, a duration, a count or a size: a negative one would pass every limit, so it makes the answer invalid. */
  nonNegative?: boolean
}

const field = (
  name: keyof LogDetail,
  type: FieldType,
  required = false,
  nullable = false
): FieldSpec => ({
  name,
  output: name.replace(/_/g, '-'),
  type,
  required,
  nullable
})
const amount = (spec: FieldSpec): FieldSpec => ({ ...spec, nonNegative: true })

/** Every field of the log detail, in the order the outputs list them. */
export const LOG_FIELDS: readonly FieldSpec[] = [
  field('id', 'string', true),
  field('created_at', 'string', true),
  field('provider', 'string', true),
  field('model', 'string', true),
  field('model_type', 'string'),
  field('path', 'string', true),
  field('success', 'boolean', true),
  field('cached', 'boolean', true),
  field('status_code', 'integer'),
  amount(field('duration', 'number', true)),
  amount(field('tokens_in', 'integer', true, true)),
  amount(field('tokens_out', 'integer', true, true)),
  amount(field('cost', 'number')),
  field('custom_cost', 'boolean'),
  amount(field('step', 'integer')),
  field('metadata', 'string'),
  field('request_type', 'string'),
  field('request_content_type', 'string'),
  amount(field('request_size', 'integer')),
  field('request_head', 'string'),
  field('request_head_complete', 'boolean'),
  field('response_content_type', 'string'),
  amount(field('response_size', 'integer')),
  field('response_head', 'string'),
  field('response_head_complete', 'boolean')
]

export interface LogDetail {
  id: string
  created_at: string
  provider: string
  model: string
  model_type?: string
  path: string
  success: boolean
  cached: boolean
  status_code?: number
  /** Milliseconds. */
  duration: number
  tokens_in: number | null
  tokens_out: number | null
  /** USD. */
  cost?: number
  custom_cost?: boolean
  step?: number
  /** A JSON-encoded string of the call's cf-aig-metadata. */
  metadata?: string
  request_type?: string
  request_content_type?: string
  request_size?: number
  request_head?: string
  request_head_complete?: boolean
  response_content_type?: string
  response_size?: number
  response_head?: string
  response_head_complete?: boolean
}

/** The log detail was not what the API promises; the message names the field and what was wrong. */
export class InvalidLogError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'InvalidLogError'
  }
}

/** A wrong value described for an error message: scrubbed before it is cut, then quoted with invisible characters shown. */
function typeOf(value: unknown, scrub: (text: string) => string): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string')
    return `a string ${showInvisible(JSON.stringify(cut(scrub(value), 40)))}`
  return `${typeof value === 'object' ? 'an' : 'a'} ${typeof value}${typeof value === 'number' ? ` ${String(value)}` : ''}`
}

function hasType(value: unknown, type: FieldType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string'
    case 'boolean':
      return typeof value === 'boolean'
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value)
  }
}

/**
 * Checks the API's `result` against the LogDetail schema and returns only its known fields, with the
 * recorded headers redacted. Optional fields may be absent or null (both mean "not reported").
 * `metadata` is documented as a JSON string; an object is accepted and re-encoded, since it carries
 * the same information. `scrub` removes the caller's secrets from a wrong value before the message cuts it.
 */
export function parseLogDetail(
  result: unknown,
  scrub: (text: string) => string = NO_SECRETS
): LogDetail {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) {
    throw new InvalidLogError(
      `the log detail ("result") is ${typeOf(result, scrub)}, not an object`
    )
  }
  const source = result as Record<string, unknown>
  const log: Record<string, unknown> = {}
  const problems: string[] = []
  for (const spec of LOG_FIELDS) {
    let value = source[spec.name]
    if (
      spec.name === 'metadata' &&
      typeof value === 'object' &&
      value !== null
    ) {
      value = jsonText(value)
      if (value === undefined) {
        problems.push('metadata is an object nested too deeply to encode')
        continue
      }
    }
    if (value === undefined || value === null) {
      if (spec.required && !(spec.nullable && value === null))
        problems.push(`${spec.name} is ${value === null ? 'null' : 'missing'}`)
      else if (value === null && spec.nullable) log[spec.name] = null
      continue
    }
    if (!hasType(value, spec.type)) {
      problems.push(
        `${spec.name} is ${typeOf(value, scrub)}, expected ${spec.type === 'integer' ? 'an integer' : `a ${spec.type}`}`
      )
      continue
    }
    if (spec.nonNegative && (value as number) < 0) {
      problems.push(
        `${spec.name} is negative (${formatNumber(value as number)}), which no call can be`
      )
      continue
    }
    log[spec.name] = value
  }
  if (problems.length > 0)
    throw new InvalidLogError(
      `the log detail is not valid: ${problems.join('; ')}`
    )
  for (const head of ['request_head', 'response_head'] as const) {
    if (typeof log[head] === 'string') log[head] = redactHeaders(log[head])
  }
  // The path of the call can carry a key in its query: Google AI Studio's `?key=`.
  log.path = redactUrlCredentials(log.path as string)
  return log as unknown as LogDetail
}

/**
 * A row of the list endpoint: 19 of the log detail's 25 fields (the list leaves out the recorded
 * request/response heads and sizes). A full LogDetail is one too.
 */
export type LogSummary = Omit<
  LogDetail,
  | 'request_size'
  | 'request_head'
  | 'request_head_complete'
  | 'response_size'
  | 'response_head'
  | 'response_head_complete'
>
