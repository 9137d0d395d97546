// Pure: the selection inputs read (several log ids, a time window, extra filters) into typed values.
// What the API makes of them (the list query, the rows re-checked) is cloudflare/query.ts and
// sources/match.ts.
import { inline } from '../text/escape.js'

/** Input names, as action.yml spells them (quoted in problems). */
const LOG_IDS = 'log-ids'
const SINCE = 'since'
const UNTIL = 'until'
const FILTERS = 'filters'

const MAX_ID_LENGTH = 256
/** The whole of `filters` goes, URL-encoded, into every list request's URL: keep it well under what servers accept. */
export const MAX_FILTERS_CHARS = 4096

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

export function isoSeconds(ms: number): string {
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
