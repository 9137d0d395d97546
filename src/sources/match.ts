// Pure: the rows the list endpoint returned, checked again against the selection where the API matches
// loosely (a run's metadata key and value are matched independently there; created_at is compared at
// whole seconds), and the selection in words.
import { dateTimeMs } from '../cloudflare/log.js'
import { quoted } from '../text/escape.js'
import { isoSeconds, type TimeWindow } from '../inputs/window.js'
import type { LogFilter } from '../inputs/filters.js'

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
 * What a call of the run keeps of its metadata (log.ts's summarize): the run's own entry as JSON, when
 * the row is the run's; undefined otherwise. matchesRun answers the same for it as for the whole.
 */
export function runEntry(
  row: { metadata?: unknown },
  key: string,
  value: string
): string | undefined {
  // A computed key makes an own entry, `__proto__` included, as JSON.parse reads it back.
  return matchesRun(row, key, value)
    ? JSON.stringify({ [key]: value })
    : undefined
}

/**
 * Whether a row's created_at lies in the window (since <= created_at < until). Every row is checked
 * on arrival (parseLogDetail refuses a created_at that is not a time with a zone), so an unreadable one
 * here is a bug, and it throws: a call left out of a window without a word would pass a gate it breaks.
 */
export function inWindow(
  row: { id?: string; created_at: string },
  window: TimeWindow,
  nowMs?: number
): boolean {
  const createdMs = dateTimeMs(row.created_at)
  if (createdMs === undefined)
    throw new RangeError(
      `log ${quoted(row.id ?? '')} has created_at ${quoted(row.created_at)}, which is not an ISO 8601 time with a zone`
    )
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
  if (run) parts.push(`run ${quoted(run.value)} (metadata ${quoted(run.key)})`)
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
