// The AI Gateway log detail: its 25 fields, their check at run time, and the redaction of the
// recorded call's HTTP headers. Source: ../shared/reference/ai-gateway-logs-openapi.json (LogDetail).
import { cut, jsonText, showInvisible } from './escape.js'
import { NO_SECRETS } from './secrets.js'

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
}

const field = (name: string, type: FieldType, required = false, nullable = false): FieldSpec => ({
  name,
  output: name.replace(/_/g, '-'),
  type,
  required,
  nullable
})

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
  field('duration', 'number', true),
  field('tokens_in', 'integer', true, true),
  field('tokens_out', 'integer', true, true),
  field('cost', 'number'),
  field('custom_cost', 'boolean'),
  field('step', 'integer'),
  field('metadata', 'string'),
  field('request_type', 'string'),
  field('request_content_type', 'string'),
  field('request_size', 'integer'),
  field('request_head', 'string'),
  field('request_head_complete', 'boolean'),
  field('response_content_type', 'string'),
  field('response_size', 'integer'),
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
  if (typeof value === 'string') return `a string ${showInvisible(JSON.stringify(cut(scrub(value), 40)))}`
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
export function parseLogDetail(result: unknown, scrub: (text: string) => string = NO_SECRETS): LogDetail {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) {
    throw new InvalidLogError(`the log detail ("result") is ${typeOf(result, scrub)}, not an object`)
  }
  const source = result as Record<string, unknown>
  const log: Record<string, unknown> = {}
  const problems: string[] = []
  for (const spec of LOG_FIELDS) {
    let value = source[spec.name]
    if (spec.name === 'metadata' && typeof value === 'object' && value !== null) {
      value = jsonText(value)
      if (value === undefined) {
        problems.push('metadata is an object nested too deeply to encode')
        continue
      }
    }
    if (value === undefined || value === null) {
      if (spec.required && !(spec.nullable && value === null)) problems.push(`${spec.name} is ${value === null ? 'null' : 'missing'}`)
      else if (value === null && spec.nullable) log[spec.name] = null
      continue
    }
    if (!hasType(value, spec.type)) {
      problems.push(`${spec.name} is ${typeOf(value, scrub)}, expected ${spec.type === 'integer' ? 'an integer' : `a ${spec.type}`}`)
      continue
    }
    log[spec.name] = value
  }
  if (problems.length > 0) throw new InvalidLogError(`the log detail is not valid: ${problems.join('; ')}`)
  for (const head of ['request_head', 'response_head'] as const) {
    if (typeof log[head] === 'string') log[head] = redactHeaders(log[head])
  }
  // The path of the call can carry a key in its query: Google AI Studio's `?key=`.
  log.path = redactUrlCredentials(log.path as string)
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

/** Headers that can carry the caller's provider keys. */
export function isSensitiveHeader(name: string): boolean {
  const lower = name.trim().toLowerCase()
  return SENSITIVE_HEADERS.has(lower) || /token|secret|key|auth|cookie|session|password/.test(lower)
}

/** URL parameters that carry credentials: the header words, and signatures (`sig=`, `X-Amz-Signature=`), credentials, passwords. */
export function isSensitiveParam(name: string): boolean {
  let decoded = name
  if (name.includes('%')) {
    try {
      decoded = decodeURIComponent(name)
    } catch {
      // a stray `%` is not an encoding: test the name as written
    }
  }
  return isSensitiveHeader(decoded) || /sig|credential|pass|pwd|jwt/i.test(decoded)
}

// Both patterns are linear in the text: each starts only at a separator (`?&#;`, or `//`), and the
// run after it stops at the next separator, so no character is read by more than one attempt. A run
// that could reach across separators (the old `[^=&\s#]+` took `?`) retries from every `?` of a line
// of them: a 1 MB line of `?` took minutes.
// A value also stops at `<>"'`, which end a URL written in a Link header, HTML or JSON.
const QUERY_PARAM_RE = /([?&#;])([^=&?#;\s]+)=([^&?#;\s<>"']*)/g
const USERINFO_RE = /\/\/[^/?#@\s]+@/g

/**
 * Credentials in URLs anywhere in `text`: the values of query (and fragment) parameters named like a
 * credential (`?api_key=…`, `#access_token=…`) and the user-info of `https://user:password@host`.
 */
export function redactUrlCredentials(text: string): string {
  return text
    .replace(QUERY_PARAM_RE, (whole, sep: string, name: string) => (isSensitiveParam(name) ? `${sep}${name}=${REDACTED}` : whole))
    .replace(USERINFO_RE, `//${REDACTED}@`)
}

/** Header values nest a few levels at most; anything deeper is not a head, and JSON.stringify would overflow on it. */
const MAX_HEAD_DEPTH = 16

/**
 * Redacts sensitive header values in a recorded head. The gateway stores heads as a JSON object of
 * header name to value; a head that is not JSON is treated as `Name: value` lines. Anything we cannot
 * read either way is dropped whole rather than passed on with a key in it. URLs in the values that are
 * kept (Referer, Location, the request line) lose their credentials.
 */
export function redactHeaders(head: string): string {
  let parsed: unknown
  try {
    parsed = JSON.parse(head)
  } catch {
    parsed = undefined
  }
  if (typeof parsed === 'object' && parsed !== null) {
    return jsonText(redactObject(parsed, 0)) ?? REDACTED
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
      if (/^[A-Z]+ \S+ HTTP\//.test(line)) return redactUrlCredentials(line)
      if (colon <= 0 || /^HTTP\//.test(line)) return line
      const name = line.slice(0, colon)
      return isSensitiveHeader(name) ? `${name}: ${REDACTED}` : `${name}:${redactUrlCredentials(line.slice(colon + 1))}`
    })
    .join('\n')
}

/** The member that names the header in a list entry: HAR's {name, value}, Postman's {key, value}, {header, value}. */
const ENTRY_NAME_MEMBERS = ['name', 'key', 'header'] as const

/** The naming member of a `{name, value}` / `{name, values}`-shaped entry, or undefined for any other object. */
function entryNameMember(record: Record<string, unknown>): string | undefined {
  if (!('value' in record) && !('values' in record)) return undefined
  return ENTRY_NAME_MEMBERS.find((member) => typeof record[member] === 'string')
}

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactUrlCredentials(value)
  if (typeof value === 'object' && value !== null) return redactObject(value, depth + 1)
  return value
}

function redactObject(value: object, depth: number): unknown {
  if (depth > MAX_HEAD_DEPTH) return REDACTED
  if (Array.isArray(value)) {
    // [[name, value], …] pairs, as Headers serialise, or a flat [name, value, …] list, as Node's rawHeaders
    return value.map((entry: unknown, i) =>
      Array.isArray(entry) && typeof entry[0] === 'string' && isSensitiveHeader(entry[0])
        ? [entry[0], REDACTED]
        : i % 2 === 1 && typeof value[i - 1] === 'string' && isSensitiveHeader(value[i - 1] as string)
          ? REDACTED
          : redactValue(entry, depth)
    )
  }
  const record = value as Record<string, unknown>
  const nameMember = entryNameMember(record)
  if (nameMember !== undefined && isSensitiveHeader(record[nameMember] as string)) {
    // Every member but the name: `value`, `values`, and whatever else a format keeps beside them.
    return Object.fromEntries(Object.keys(record).map((member) => [member, member === nameMember ? record[member] : REDACTED]))
  }
  const out: Record<string, unknown> = {}
  for (const [name, inner] of Object.entries(record)) {
    // In an entry, the naming member holds a header's name (`"key": "Content-Type"`), not a key.
    out[name] = name !== nameMember && isSensitiveHeader(name) ? REDACTED : redactValue(inner, depth)
  }
  return out
}

/** Numbers as the API gave them, never rounded (a call often costs a fraction of a cent), and never in exponent notation (4e-7). */
export function formatNumber(value: number): string {
  // JavaScript's shortest round-trip digits, with a small exponent written out: 4e-7 -> 0.0000004.
  const text = String(value)
  const m = /^(-?)(\d)(?:\.(\d+))?e-(\d+)$/.exec(text)
  return m ? `${m[1]}0.${'0'.repeat(Number(m[4]) - 1)}${m[2]}${m[3] ?? ''}` : text
}

/** A field's value as a step output: '' when absent or null, booleans and numbers as text. */
export function fieldOutput(log: LogDetail | undefined, name: string): string {
  const value = log ? (log as unknown as Record<string, unknown>)[name] : undefined
  if (value === undefined || value === null) return ''
  return typeof value === 'number' ? formatNumber(value) : String(value)
}
