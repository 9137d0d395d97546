// Pure: the values of the selection inputs (several log ids, a time window, extra filters) and the
// query of the list endpoint that reads a run or a window.
//
// API facts behind the query (GET /accounts/{account}/ai-gateway/gateways/{gateway}/logs):
// - `filters` is honoured only as ONE query parameter holding a JSON array; the flattened form the
//   official SDKs send (`filters.key=…&filters.operator=…`, repeated) is silently ignored and every log
//   comes back (https://github.com/cloudflare/cloudflare-typescript/issues/2723).
// - custom metadata is filtered with a pair, `metadata.key eq K` and `metadata.value eq V`, matched
//   independently across the whole map, so the rows are checked again here (matchesRun).
// - `created_at` `gt`/`lt` compare at whole seconds, so the bounds sent are whole seconds a little
//   wider than the window, and the rows are checked against the exact window here (inWindow).
// - `per_page` is 1..50 (51 is a 400); `page` counts from 1; `order_by_direction` defaults to desc.
import { inline } from './escape.js'

/** Input names, as action.yml spells them (quoted in problems). */
const LOG_IDS = 'log-ids'
const SINCE = 'since'
const UNTIL = 'until'
const FILTERS = 'filters'

const MAX_ID_LENGTH = 256
/** The whole of `filters` goes, URL-encoded, into every list request's URL: keep it well under what servers accept. */
export const MAX_FILTERS_CHARS = 4096
export const MAX_PER_PAGE = 50

export const FILTER_OPERATORS = ['eq', 'neq', 'contains', 'lt', 'gt'] as const
export type FilterOperator = (typeof FILTER_OPERATORS)[number]
export type FilterValue = string | number | boolean | null

/** One filter in the API's own shape; `value` is always an array (any of its values matches). */
export interface LogFilter {
  key: string
  operator: FilterOperator
  value: FilterValue[]
}

/** A user's or the API's text in a message: quoted, on one line, invisible characters shown, cut short. */
function quote(text: string): string {
  return `"${inline(text, 80)}"`
}

/**
 * `log-ids`: ids separated by newlines, commas or spaces; repeated ids count once, in the order first
 * given, with the first spelling. Repeats are found ignoring case: the API finds a log by its id
 * whatever the case (`abcdef` and `ABCDEF` are the same call, and fetchLog accepts either spelling
 * back), so counting both would gate one call twice. Each id is checked as `log-id` is: at most 256
 * characters and not only dots (`.` and `..` cannot stay one path segment, whatever the encoding).
 */
export function parseLogIds(value: string): {
  ids: string[]
  problems: string[]
} {
  const ids: string[] = []
  const problems: string[] = []
  const seen = new Set<string>()
  for (const id of value.split(/[\s,]+/)) {
    const folded = id.toLowerCase()
    if (id === '' || seen.has(folded)) continue
    seen.add(folded)
    if (id.length > MAX_ID_LENGTH)
      problems.push(
        `${LOG_IDS} has an id longer than ${MAX_ID_LENGTH} characters: ${quote(id)}`
      )
    else if (/^\.+$/.test(id))
      problems.push(`${LOG_IDS} has ${quote(id)}, which is not an id`)
    else ids.push(id)
  }
  if (ids.length === 0 && problems.length === 0) {
    problems.push(
      `${LOG_IDS} ${quote(value)} has no ids (separate them with newlines, commas or spaces)`
    )
  }
  return { ids, problems }
}

const RELATIVE_RE = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/i
const RELATIVE_UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000
}
// A calendar date, or a date and time with seconds optional and a zone required (a time without a zone
// would mean the runner's local time, which nobody reading the workflow can see).
const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i
const TIME_HELP =
  'use 30m, 24h, 7d (back from now) or an ISO 8601 time such as 2026-11-25T09:30:00Z'

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one.
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

function parseIso(m: RegExpExecArray): { ms: number } | { error: string } {
  const [, y, mo, d, h, mi, s, fraction, zone] = m
  const year = Number(y)
  const month = Number(mo)
  const day = Number(d)
  if (h !== undefined && zone === undefined)
    return {
      error: `has no time zone: add Z (UTC) or an offset such as +02:00`
    }
  if (
    year < 1970 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month)
  )
    return { error: `is not a date: ${TIME_HELP}` }
  const hour = Number(h ?? 0)
  const minute = Number(mi ?? 0)
  const second = Number(s ?? 0)
  if (hour > 23 || minute > 59 || second > 59)
    return { error: `is not a time of day: ${TIME_HELP}` }
  let offsetMin = 0
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!
    const zoneHours = Number(z[2])
    const zoneMinutes = Number(z[3] ?? 0)
    if (zoneHours > 23 || zoneMinutes > 59)
      return { error: `has an offset that is not one: ${TIME_HELP}` }
    offsetMin = (z[1] === '-' ? -1 : 1) * (zoneHours * 60 + zoneMinutes)
  }
  // Digits past milliseconds are dropped: the API keeps milliseconds at most.
  const ms = Number((fraction ?? '').slice(0, 3).padEnd(3, '0'))
  return {
    ms:
      Date.UTC(year, month - 1, day, hour, minute, second, ms) -
      offsetMin * 60_000
  }
}

/** A point in time for `since` or `until`: a span back from `nowMs` (`30m`, `24h`, `7d`) or an ISO 8601 time. */
export function parseTime(
  value: string,
  nowMs: number
): { ms: number } | { error: string } {
  const text = value.trim()
  const relative = RELATIVE_RE.exec(text)
  if (relative) {
    const ms =
      nowMs -
      Number(relative[1]) * RELATIVE_UNIT_MS[relative[2]!.toLowerCase()]!
    return Number.isFinite(ms) && ms >= 0
      ? { ms: Math.round(ms) }
      : { error: 'reaches back before 1970' }
  }
  const iso = ISO_RE.exec(text)
  if (iso) return parseIso(iso)
  return { error: `is not a time: ${TIME_HELP}` }
}

export interface TimeWindow {
  /** Calls created at or after this time; null when `since` is not set. */
  sinceMs: number | null
  /** Calls created before this time; null when `until` is not set: now, fixed when the read starts. */
  untilMs: number | null
}

/**
 * `since` and `until` ('' when unset). The window holds calls with since <= created_at < until, so
 * that back-to-back windows never count a call twice. `since` must be before `until` (or now).
 * Returns no window when neither is set; which modes a window may go with is the config's concern.
 */
export function parseWindow(
  since: string,
  until: string,
  nowMs: number
): { window: TimeWindow | null; problems: string[] } {
  const problems: string[] = []
  const read = (name: string, value: string): number | null => {
    if (value.trim() === '') return null
    const parsed = parseTime(value, nowMs)
    if ('error' in parsed) {
      problems.push(`${name} ${quote(value.trim())} ${parsed.error}`)
      return null
    }
    return parsed.ms
  }
  const sinceMs = read(SINCE, since)
  const untilMs = read(UNTIL, until)
  if (problems.length > 0) return { window: null, problems }
  if (sinceMs === null && untilMs === null) return { window: null, problems }
  const end = untilMs ?? nowMs
  if (sinceMs !== null && sinceMs >= end) {
    const untilShown =
      untilMs === null
        ? 'now'
        : `${UNTIL} ${quote(until.trim())} (${isoSeconds(end)})`
    problems.push(
      `${SINCE} ${quote(since.trim())} (${isoSeconds(sinceMs)}) is not before ${untilShown}`
    )
    return { window: null, problems }
  }
  return { window: { sinceMs, untilMs }, problems }
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

const isOperator = (value: unknown): value is FilterOperator =>
  (FILTER_OPERATORS as readonly unknown[]).includes(value)
const isFilterValue = (value: unknown): value is FilterValue =>
  value === null ||
  typeof value === 'string' ||
  typeof value === 'boolean' ||
  (typeof value === 'number' && Number.isFinite(value))

/** Why one entry of `filters` is not a filter in the API's shape, or null when it is one. */
function filterError(item: unknown): string | null {
  if (typeof item !== 'object' || item === null || Array.isArray(item))
    return `is not an object: ${FILTERS} ${FILTERS_SHAPE}`
  const extra = Object.keys(item).filter(
    (k) => k !== 'key' && k !== 'operator' && k !== 'value'
  )
  if (extra.length > 0)
    return `has ${extra.map(quote).join(', ')}: a filter has only "key", "operator" and "value"`
  const { key, operator, value } = item as Record<string, unknown>
  if (typeof key !== 'string' || key.trim() === '')
    return 'has no "key" (e.g. "model")'
  if (
    /^metadata\./.test(key) &&
    key !== 'metadata.key' &&
    key !== 'metadata.value'
  ) {
    return `has the key ${quote(key)}, which the API refuses: filter custom metadata with a metadata.key and a metadata.value filter`
  }
  if (!isOperator(operator))
    return `has an unknown "operator" (use ${FILTER_OPERATORS.join(', ')})`
  if (!Array.isArray(value))
    return 'has a "value" that is not an array (e.g. ["gpt-4o"])'
  if (value.length === 0) return 'has an empty "value" array'
  if (!value.every(isFilterValue))
    return 'has a "value" entry that is not a string, number, boolean or null'
  return null
}

const FILTERS_SHAPE =
  'must be a JSON array of {"key": …, "operator": …, "value": […]} objects'

/**
 * `filters`: a JSON array of `{"key", "operator", "value": [...]}` in the API's own shape, passed
 * through. Keys the API may add later are allowed; `metadata.<name>` is refused because the API answers
 * it with a 400 (custom metadata is filtered with the metadata.key / metadata.value pair).
 */
export function parseFilters(value: string): {
  filters: LogFilter[]
  problems: string[]
} {
  const text = value.trim()
  if (text === '') return { filters: [], problems: [] }
  if (text.length > MAX_FILTERS_CHARS)
    return {
      filters: [],
      problems: [`${FILTERS} is longer than ${MAX_FILTERS_CHARS} characters`]
    }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    // A SyntaxError from JSON.parse; read its message without instanceof, which fails across realms.
    const why = String(
      (error as { message?: unknown } | null)?.message ?? error
    )
    return {
      filters: [],
      problems: [
        `${FILTERS} ${quote(text)} is not JSON (${inline(why, 120)}): it ${FILTERS_SHAPE}`
      ]
    }
  }
  if (!Array.isArray(parsed))
    return {
      filters: [],
      problems: [`${FILTERS} ${quote(text)} ${FILTERS_SHAPE}`]
    }
  const filters: LogFilter[] = []
  const problems: string[] = []
  parsed.forEach((item: unknown, index) => {
    const why = filterError(item)
    if (why === null) filters.push(item as LogFilter)
    else
      problems.push(
        `${FILTERS} item ${index + 1} ${quote(JSON.stringify(item) ?? String(item))} ${why}`
      )
  })
  return { filters, problems }
}

/** What one request of the list endpoint asks for. */
export interface ListRequest {
  /** Calls whose custom metadata has `key` equal to `value`. */
  run?: { key: string; value: string } | null
  window?: TimeWindow | null
  /** The user's own `filters`, passed through. */
  filters?: readonly LogFilter[]
  page: number
  perPage: number
}

/** An ISO 8601 time at whole seconds, as `created_at` filters compare. */
function isoWholeSeconds(ms: number): string {
  return isoSeconds(Math.floor(ms / 1000) * 1000)
}

/**
 * The filters one list request sends: the run's metadata pair, the window's bounds, then the user's
 * own. The API compares created_at at whole seconds, so the bounds are whole seconds that take in
 * every call of the window (and a few around it, which inWindow drops): `gt` the second before the
 * one `since` falls in, `lt` the second at or after `until`.
 */
export function listFilters(
  request: Pick<ListRequest, 'run' | 'window' | 'filters'>
): LogFilter[] {
  const filters: LogFilter[] = []
  if (request.run) {
    filters.push({
      key: 'metadata.key',
      operator: 'eq',
      value: [request.run.key]
    })
    filters.push({
      key: 'metadata.value',
      operator: 'eq',
      value: runFilterValues(request.run.value)
    })
  }
  const sinceMs = request.window?.sinceMs ?? null
  const untilMs = request.window?.untilMs ?? null
  if (sinceMs !== null)
    filters.push({
      key: 'created_at',
      operator: 'gt',
      value: [isoWholeSeconds(sinceMs - 1000)]
    })
  if (untilMs !== null)
    filters.push({
      key: 'created_at',
      operator: 'lt',
      value: [isoWholeSeconds(Math.ceil(untilMs / 1000) * 1000)]
    })
  filters.push(...(request.filters ?? []))
  return filters
}

/**
 * The list request's query string (without `?`): `filters` as one parameter holding the URL-encoded
 * JSON array (never the flattened form), ascending by created_at so that pages stay stable while new
 * calls arrive at the end.
 */
export function listQuery(request: ListRequest): string {
  if (
    !Number.isSafeInteger(request.perPage) ||
    request.perPage < 1 ||
    request.perPage > MAX_PER_PAGE
  ) {
    throw new RangeError(
      `per_page must be a whole number from 1 to ${MAX_PER_PAGE}, not ${request.perPage}`
    )
  }
  if (!Number.isSafeInteger(request.page) || request.page < 1) {
    throw new RangeError(
      `page must be a whole number from 1, not ${request.page}`
    )
  }
  const filters = listFilters(request)
  // encodeURIComponent rather than URLSearchParams: a space becomes %20, not `+`, which every server
  // reads the same way.
  const parts =
    filters.length > 0
      ? [`filters=${encodeURIComponent(JSON.stringify(filters))}`]
      : []
  parts.push(
    `per_page=${request.perPage}`,
    `page=${request.page}`,
    'order_by=created_at',
    'order_by_direction=asc'
  )
  return parts.join('&')
}

/** A row's custom metadata as a map: the API documents a JSON string, and an object is read the same way. */
export function metadataMap(metadata: unknown): Record<string, unknown> | null {
  let value = metadata
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value)
    } catch {
      return null
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null
}

/**
 * A metadata value as the run-id input would spell it: a string as it is, a number or a boolean by its
 * JSON text (`12345`, `1.5`, `true`); undefined for anything else. cf-aig-metadata values may be
 * strings, numbers or booleans (the API's metadata schema: string | number | boolean), and an eval that
 * sends `{"run_id": 12345}` names the run `12345` as surely as one that sends `"12345"`.
 */
export function metadataText(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'boolean') return String(value)
  if (typeof value === 'number' && Number.isFinite(value))
    return JSON.stringify(value)
  return undefined
}

/**
 * Whether a row belongs to the run: its metadata has `key` equal to `value`, in the same entry (a
 * number or a boolean compared by its JSON text). The API's pair matches key and value independently
 * (a call with {"run_id": "gh-1", "note": "gh-2"} matches key run_id + value gh-2), so every row it
 * returns is checked again.
 */
export function matchesRun(
  row: { metadata?: unknown },
  key: string,
  value: string
): boolean {
  const map = metadataMap(row.metadata)
  return (
    map !== null && Object.hasOwn(map, key) && metadataText(map[key]) === value
  )
}

/**
 * The values a run's `metadata.value` filter sends: the run id as text, and, when that text is a
 * number or a boolean as JSON writes it, that number or boolean too. The filter's `value` array
 * matches when any of its values does; a number sent as text might not match a metadata value stored
 * as a number, so both are asked for, and matchesRun keeps only the run's own rows.
 */
export function runFilterValues(value: string): FilterValue[] {
  if (value === 'true' || value === 'false') return [value, value === 'true']
  const n = Number(value)
  return value.trim() !== '' &&
    Number.isFinite(n) &&
    JSON.stringify(n) === value
    ? [value, n]
    : [value]
}

/** Whether a row's created_at lies in the window (since <= created_at < until); a row without a readable time does not. */
export function inWindow(
  row: { created_at?: unknown },
  window: TimeWindow,
  nowMs?: number
): boolean {
  const createdMs =
    typeof row.created_at === 'string' ? Date.parse(row.created_at) : NaN
  if (Number.isNaN(createdMs)) return false
  const untilMs = window.untilMs ?? nowMs ?? Infinity
  return (
    (window.sinceMs === null || createdMs >= window.sinceMs) &&
    createdMs < untilMs
  )
}

/** A selection read through the list endpoint, in words for the report and the errors. */
export function describeList(
  run: { key: string; value: string } | null,
  window: TimeWindow | null,
  filters: readonly LogFilter[]
): string {
  const parts: string[] = []
  if (run) parts.push(`run ${quote(run.value)} (metadata ${quote(run.key)})`)
  if (window) {
    const from =
      window.sinceMs === null ? 'the start' : isoSeconds(window.sinceMs)
    const to = window.untilMs === null ? 'now' : isoSeconds(window.untilMs)
    parts.push(`${run ? 'created ' : 'calls '}from ${from} to ${to}`)
  }
  if (filters.length > 0)
    parts.push(
      `with ${filters.length} more filter${filters.length === 1 ? '' : 's'}`
    )
  return parts.join(', ')
}
