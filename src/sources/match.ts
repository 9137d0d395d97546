// Pure: the rows the list endpoint returned, checked again against the selection where the API matches
// loosely (a run's metadata key and value are matched independently there; created_at is compared at
// whole seconds), and the selection in words.
import { inline } from '../text/escape.js'
import {
  isoSeconds,
  type LogFilter,
  type TimeWindow
} from '../inputs/selection.js'

/** A value in a message: quoted, on one line, invisible characters shown, cut short. */
function quote(text: string): string {
  return `"${inline(text, 80)}"`
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
 * Whether a row belongs to the run: its metadata has `key` equal to `value`, in the same entry. The
 * API's pair matches key and value independently (a call with {"run_id": "gh-1", "note": "gh-2"}
 * matches key run_id + value gh-2), so every row it returns is checked again.
 */
export function matchesRun(
  row: { metadata?: unknown },
  key: string,
  value: string
): boolean {
  const map = metadataMap(row.metadata)
  return map !== null && Object.hasOwn(map, key) && map[key] === value
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
