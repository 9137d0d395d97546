// The AI Gateway log detail: its 25 fields and their check at run time, as the API documents them
// (the LogDetail schema of Cloudflare's OpenAPI description of the AI Gateway logs endpoints).
import { createHash } from 'node:crypto'
import { cut, jsonText, prefix, showInvisible } from '../text/escape.js'
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

/**
 * A row of the list endpoint, checked: 19 of the log detail's 25 fields (the list leaves out the
 * recorded request/response heads and sizes). A full LogDetail is one too.
 */
export type ListRow = Omit<
  LogDetail,
  | 'request_size'
  | 'request_head'
  | 'request_head_complete'
  | 'response_size'
  | 'response_head'
  | 'response_head_complete'
>

/**
 * What the gate keeps of each call of a selection of many (run-id, since, log-ids): the fields the
 * metrics, the thresholds, expected-status and the report read, and nothing else. A list row can carry
 * tens of KiB of text (metadata, path) and a log detail hundreds (the heads); 10,000 of them kept whole
 * would take hundreds of MiB, so each is cut down to this as soon as its answer is read (summarize).
 * A full LogDetail is one too (a selection of one).
 */
export type LogSummary = Pick<
  LogDetail,
  | 'id'
  | 'created_at'
  | 'provider'
  | 'model'
  | 'success'
  | 'cached'
  | 'status_code'
  | 'duration'
  | 'tokens_in'
  | 'tokens_out'
  | 'cost'
> & {
  /**
   * Of a run's call, only the run's own entry (`{"run_id":"gh-1-1"}`), which the run's re-check reads
   * (matchesRun); absent otherwise. A single log keeps its whole metadata.
   */
  metadata?: string
}

/**
 * The longest id, provider or model kept for a call of many, in UTF-16 units. The gateway's ids are 26
 * characters and model names a few dozen; a longer text (a hostile API could send 10 KB in each of
 * 10,000 rows) is cut here, and a digest of the whole keeps two long texts that differ apart (an id
 * tells calls apart, a provider and model group them).
 */
export const MAX_SUMMARY_TEXT_CHARS = 256

/**
 * `text` when it is short enough to keep, else its start and a digest of all of it:
 * `gpt-4o…[10000 characters, sha256 0a1b…]`. Scrubbed first, so a cut never leaves half a secret that
 * the scrub after it would miss; hashed as UTF-16, so that no two texts share a digest by encoding.
 */
function bounded(text: string, scrub: (text: string) => string): string {
  if (text.length <= MAX_SUMMARY_TEXT_CHARS) return text
  const clean = scrub(text)
  if (clean.length <= MAX_SUMMARY_TEXT_CHARS) return clean
  const digest = createHash('sha256')
    .update(clean, 'utf16le')
    .digest('hex')
    .slice(0, 32)
  return `${prefix(clean, MAX_SUMMARY_TEXT_CHARS)}…[${clean.length} characters, sha256 ${digest}]`
}

/**
 * A checked row (or log detail) cut down to what the gate keeps of a call of many (LogSummary). The
 * copies are new objects, so the answer the row came from, and its long strings, can be collected.
 * `runEntry` is the metadata to keep (the run's own entry, see runEntry in selection.ts); without it
 * none is kept. `scrub` removes the caller's secrets from a text before it is cut.
 */
export function summarize(
  row: ListRow,
  scrub: (text: string) => string = NO_SECRETS,
  runEntry?: string
): LogSummary {
  const summary: LogSummary = {
    id: bounded(row.id, scrub),
    created_at: row.created_at,
    provider: bounded(row.provider, scrub),
    model: bounded(row.model, scrub),
    success: row.success,
    cached: row.cached,
    duration: row.duration,
    tokens_in: row.tokens_in,
    tokens_out: row.tokens_out
  }
  if (row.status_code !== undefined) summary.status_code = row.status_code
  if (row.cost !== undefined) summary.cost = row.cost
  if (runEntry !== undefined) summary.metadata = runEntry
  return summary
}

/** The log detail was not what the API promises; the message names the field and what was wrong. */
export class InvalidLogError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'InvalidLogError'
  }
}

/** The API's text in an error message: scrubbed before it is cut, then quoted on one line with invisible characters shown. */
function quoted(
  text: string,
  scrub: (text: string) => string,
  maxChars: number
): string {
  return showInvisible(JSON.stringify(cut(scrub(text), maxChars)))
}

/** A wrong value described for an error message: scrubbed before it is cut, then quoted with invisible characters shown. */
function typeOf(value: unknown, scrub: (text: string) => string): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return `a string ${quoted(value, scrub, 40)}`
  return `${typeof value === 'object' ? 'an' : 'a'} ${typeof value}${typeof value === 'number' ? ` ${String(value)}` : ''}`
}

/**
 * `created_at` as the schema gives it, `format: date-time`, which OpenAPI takes from RFC 3339 (section
 * 5.6): a date, `T`, a time with seconds, an optional fraction (here up to nanoseconds), and a zone, `Z`
 * or an offset `±hh:mm`; `T` and `Z` in either case.
 */
const DATE_TIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):(\d{2}))$/i

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one; setUTCFullYear, unlike Date.UTC, leaves years 0-99 alone.
  const date = new Date(0)
  date.setUTCFullYear(year, month, 0)
  return date.getUTCDate()
}

/**
 * The milliseconds since 1970 of an RFC 3339 date-time with a zone (DATE_TIME_RE), or undefined for
 * anything else: another shape, a date that does not exist (month 13, 31 June, 29 February of a common
 * year), a time past 23:59:59 or an offset past 23:59. Read by hand, not by Date.parse: Date.parse reads
 * a time without a zone in the runner's own time zone, and takes shapes (`2026/11/25`, `Nov 25`) that
 * no one can check. A leap second (`:60`) is refused too: a Date cannot hold one.
 */
export function dateTimeMs(text: string): number | undefined {
  const m = DATE_TIME_RE.exec(text)
  if (!m) return undefined
  const [year, month, day, hour, minute, second] = m
    .slice(1, 7)
    .map(Number) as [number, number, number, number, number, number]
  const [, , , , , , , fraction, sign, zoneHours, zoneMinutes] = m
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
    return undefined
  if (hour > 23 || minute > 59 || second > 59) return undefined
  if (Number(zoneHours ?? 0) > 23 || Number(zoneMinutes ?? 0) > 59)
    return undefined
  const offsetMin =
    sign === undefined
      ? 0
      : (sign === '-' ? -1 : 1) * (Number(zoneHours) * 60 + Number(zoneMinutes))
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  // Digits past milliseconds are dropped: a Date holds milliseconds.
  const ms = Number((fraction ?? '').slice(0, 3).padEnd(3, '0'))
  date.setUTCHours(hour, minute - offsetMin, second, ms)
  return date.getTime()
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

/** What is wrong with a field's value (present and not null), or undefined when it is one the gate can use. */
function valueProblem(
  spec: FieldSpec,
  value: unknown,
  id: unknown,
  scrub: (text: string) => string
): string | undefined {
  if (!hasType(value, spec.type))
    return `${spec.name} is ${typeOf(value, scrub)}, expected ${spec.type === 'integer' ? 'an integer' : `a ${spec.type}`}`
  if (spec.name === 'created_at' && dateTimeMs(value as string) === undefined) {
    // A call's time is what a window is measured by: one that cannot be read would leave the call out
    // of the window unnoticed, or read it in the runner's time zone.
    const whose =
      typeof id === 'string' ? `log ${quoted(id, scrub, 80)} has ` : ''
    return `${whose}created_at ${quoted(value as string, scrub, 80)}, which is not an ISO 8601 time with a zone (such as 2026-11-25T09:30:12Z)`
  }
  if (spec.nonNegative && (value as number) < 0)
    return `${spec.name} is negative (${formatNumber(value as number)}), which no call can be`
  return undefined
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
    const problem = valueProblem(spec, value, source.id, scrub)
    if (problem) problems.push(problem)
    else log[spec.name] = value
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
