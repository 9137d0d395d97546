// Pure: the query of the list endpoint that reads a run or a window.
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
import { isoSeconds, type TimeWindow } from '../inputs/window.js'
import type { FilterValue, LogFilter } from '../inputs/filters.js'

export const MAX_PER_PAGE = 50

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
