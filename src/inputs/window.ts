// Pure: a time window's inputs (`since`, `until`) read into milliseconds: a span back from now (30m,
// 24h, 7d) or an ISO 8601 date or date-time with a zone (a time without one would be read in the
// runner's time zone, which is no one's intent).
import { quoted } from '../text/escape.js'

/** Input names, as action.yml spells them (quoted in problems). */
const SINCE = 'since'
const UNTIL = 'until'

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
      problems.push(`${name} ${quoted(value.trim())} ${parsed.error}`)
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
        : `${UNTIL} ${quoted(until.trim())} (${isoSeconds(end)})`
    problems.push(
      `${SINCE} ${quoted(since.trim())} (${isoSeconds(sinceMs)}) is not before ${untilShown}`
    )
    return { window: null, problems }
  }
  return { window: { sinceMs, untilMs }, problems }
}

export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}
