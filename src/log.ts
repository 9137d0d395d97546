// The AI Gateway log detail: its 25 fields, their check at run time, and the redaction of the
// recorded call's HTTP headers. Source: ../shared/reference/ai-gateway-logs-openapi.json (LogDetail).

type FieldType = 'string' | 'number' | 'integer' | 'boolean'

interface FieldSpec {
  /** The API's snake_case name. */
  name: string
  /** The step output's kebab-case name. */
  output: string
  type: FieldType
  /** Always present in the API's answer (`null` allowed only where `nullable`). */
  required: boolean
  nullable?: boolean
  /** A cost, a duration, a count or a size: a negative one would pass every limit, so it makes the answer invalid. */
  nonNegative?: boolean
}

const field = (name: string, type: FieldType, required = false, nullable = false): FieldSpec => ({
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

function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return `a string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`
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
 * the same information.
 */
export function parseLogDetail(result: unknown): LogDetail {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) {
    throw new InvalidLogError(`the log detail ("result") is ${typeOf(result)}, not an object`)
  }
  const source = result as Record<string, unknown>
  const log: Record<string, unknown> = {}
  const problems: string[] = []
  for (const spec of LOG_FIELDS) {
    let value = source[spec.name]
    if (spec.name === 'metadata' && typeof value === 'object' && value !== null) value = JSON.stringify(value)
    if (value === undefined || value === null) {
      if (spec.required && !(spec.nullable && value === null)) problems.push(`${spec.name} is ${value === null ? 'null' : 'missing'}`)
      else if (value === null && spec.nullable) log[spec.name] = null
      continue
    }
    if (!hasType(value, spec.type)) {
      problems.push(`${spec.name} is ${typeOf(value)}, expected ${spec.type === 'integer' ? 'an integer' : `a ${spec.type}`}`)
      continue
    }
    if (spec.nonNegative && (value as number) < 0) {
      problems.push(`${spec.name} is negative (${formatNumber(value as number)}), which no call can be`)
      continue
    }
    log[spec.name] = value
  }
  if (problems.length > 0) throw new InvalidLogError(`the log detail is not valid: ${problems.join('; ')}`)
  for (const head of ['request_head', 'response_head'] as const) {
    if (typeof log[head] === 'string') log[head] = redactHeaders(log[head])
  }
  return log as unknown as LogDetail
}

export const REDACTED = '[redacted]'

const SENSITIVE_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'x-auth-key',
  'cf-aig-authorization',
  'cookie',
  'set-cookie',
  'x-goog-api-key'
])

/** Headers that can carry the caller's provider keys (issue #3). */
export function isSensitiveHeader(name: string): boolean {
  const lower = name.trim().toLowerCase()
  return SENSITIVE_HEADERS.has(lower) || /token|secret|key|auth|cookie|session|password/.test(lower)
}

/**
 * Redacts sensitive header values in a recorded head. The gateway stores heads as a JSON object of
 * header name to value; a head that is not JSON is treated as `Name: value` lines. Anything we cannot
 * read either way is dropped whole rather than passed on with a key in it.
 */
export function redactHeaders(head: string): string {
  let parsed: unknown
  try {
    parsed = JSON.parse(head)
  } catch {
    parsed = undefined
  }
  if (typeof parsed === 'object' && parsed !== null) {
    return JSON.stringify(redactObject(parsed))
  }
  // A JSON string can hold a whole head (encoded twice): redact what it holds.
  if (typeof parsed === 'string') return JSON.stringify(redactHeaders(parsed))
  if (parsed !== undefined) return head // a bare JSON number, boolean or null holds no header
  // JSON that does not parse (a head cut short: request_head_complete false) is not `Name: value` lines.
  if (/^\s*[[{"]/.test(head)) return REDACTED
  const lines = head.split(/\r?\n/)
  if (!lines.every((line) => line.trim() === '' || /^[^:\s][^:]*:/.test(line) || /^HTTP\/|^[A-Z]+ \S+ HTTP\//.test(line))) {
    return REDACTED
  }
  return lines
    .map((line) => {
      const colon = line.indexOf(':')
      if (/^[A-Z]+ \S+ HTTP\//.test(line)) return redactQuery(line)
      if (colon <= 0 || /^HTTP\//.test(line)) return line
      return isSensitiveHeader(line.slice(0, colon)) ? `${line.slice(0, colon)}: ${REDACTED}` : line
    })
    .join('\n')
}

/** A request line's query parameters named like a credential (`?api_key=…`) lose their values. */
function redactQuery(requestLine: string): string {
  return requestLine.replace(/([?&])([^=&\s#]+)=([^&\s#]*)/g, (whole, sep: string, name: string) =>
    isSensitiveHeader(name) ? `${sep}${name}=${REDACTED}` : whole
  )
}

function redactObject(value: object): unknown {
  // {"name": "authorization", "value": "…"} entries, as HAR files write headers
  const entry = value as { name?: unknown; value?: unknown }
  if (!Array.isArray(value) && typeof entry.name === 'string' && 'value' in entry && isSensitiveHeader(entry.name)) {
    return { ...entry, value: REDACTED }
  }
  if (Array.isArray(value)) {
    // [[name, value], …] pairs, as Headers serialise, or a flat [name, value, …] list, as Node's rawHeaders
    return value.map((entry: unknown, i) =>
      Array.isArray(entry) && typeof entry[0] === 'string' && isSensitiveHeader(entry[0])
        ? [entry[0], REDACTED]
        : typeof entry === 'object' && entry !== null
          ? redactObject(entry)
          : i % 2 === 1 && typeof value[i - 1] === 'string' && isSensitiveHeader(value[i - 1] as string)
            ? REDACTED
            : entry
    )
  }
  const out: Record<string, unknown> = {}
  for (const [name, inner] of Object.entries(value)) {
    out[name] = isSensitiveHeader(name)
      ? REDACTED
      : typeof inner === 'object' && inner !== null
        ? redactObject(inner)
        : inner
  }
  return out
}

/** Exponents up to this are written out as zeros; past it, a number would print hundreds of them (1e-320). */
const MAX_WRITTEN_OUT_EXPONENT = 30

/**
 * Numbers as the API gave them, never rounded (a call often costs a fraction of a cent), and in exponent
 * notation (4e-7) only when writing the zeros out would not fit: at most about 50 characters either way.
 */
export function formatNumber(value: number): string {
  // JavaScript's shortest round-trip digits, with a small exponent written out: 4e-7 -> 0.0000004.
  const text = String(value)
  const m = /^(-?)(\d)(?:\.(\d+))?e-(\d+)$/.exec(text)
  if (!m || Number(m[4]) > MAX_WRITTEN_OUT_EXPONENT) return text
  return `${m[1]}0.${'0'.repeat(Number(m[4]) - 1)}${m[2]}${m[3] ?? ''}`
}

/** A field's value as a step output: '' when absent or null, booleans and numbers as text. */
export function fieldOutput(log: LogDetail | undefined, name: string): string {
  const value = log ? (log as unknown as Record<string, unknown>)[name] : undefined
  if (value === undefined || value === null) return ''
  return typeof value === 'number' ? formatNumber(value) : String(value)
}
