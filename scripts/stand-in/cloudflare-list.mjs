// Cloudflare's list endpoint, `GET /accounts/{account}/ai-gateway/gateways/{gateway}/logs`, over the logs
// registered with addRun / addLogs: its parameters, filters, ordering and rows.
// Sources: the OpenAPI extract of the AI Gateway logs API (List Gateway Logs: parameters, LogListItem,
// LogListResultInfo, LogFilter), cloudflare-typescript issue #2723 (only a JSON `filters` parameter is
// honoured), and third parties' probes of the live API (independent metadata key/value matching,
// created_at compared at whole seconds, per_page 51 answered with code 7001, an unknown gateway
// answered with 200 and no rows).
import { html503 } from './cloudflare-scenarios.mjs'
import { sendJson } from './send-json.mjs'

/** The list endpoint's path, under /client/v4; the gateway is the second group. */
export const LIST_RE =
  /^\/client\/v4\/accounts\/([^/]+)\/ai-gateway\/gateways\/([^/]+)\/logs$/

/** The log detail's fields that list rows leave out: 25 - 6 = the 19 fields of LogListItem. */
const DETAIL_ONLY_FIELDS = [
  'request_size',
  'request_head',
  'request_head_complete',
  'response_size',
  'response_head',
  'response_head_complete'
]
/** LogFilter.key's enum in the OpenAPI extract. */
const FILTER_KEYS = new Set([
  'id',
  'created_at',
  'request_content_type',
  'response_content_type',
  'request_type',
  'success',
  'cached',
  'provider',
  'model',
  'model_type',
  'cost',
  'tokens',
  'tokens_in',
  'tokens_out',
  'duration',
  'feedback',
  'event_id',
  'metadata.key',
  'metadata.value',
  'authentication',
  'wholesale',
  'compatibilityMode',
  'dlp_action',
  'user_agent'
])
const FILTER_OPERATORS = new Set(['eq', 'neq', 'contains', 'lt', 'gt'])
/** order_by's enum for the list in the OpenAPI extract. */
const ORDER_BY = new Set([
  'created_at',
  'provider',
  'model',
  'model_type',
  'success',
  'cached'
])
const MAX_PER_PAGE = 50

/**
 * A fault, not the API's documented answer: fields a registered log shows in every answer (list row and
 * detail) instead of its stored ones, set with addLogs' `answered`. It stands in for a broken or hostile
 * API (or a proxy rewriting its answers) that filters and orders by one `created_at` and prints another,
 * such as "yesterday" or a time without a zone, where the OpenAPI extract promises `format: date-time`.
 */
export const ANSWERED = Symbol('answered')

/** A log as the API shows it: its stored fields, with the faults set by addLogs' `answered` over them. */
export const shownLog = (log) => ({ ...log, ...log[ANSWERED] })

function listRow(log) {
  const row = {}
  for (const [name, value] of Object.entries(shownLog(log)))
    if (!DETAIL_ONLY_FIELDS.includes(name) && value !== undefined)
      row[name] = value
  return row
}

/** Parsed once per log: a run of 10,000 calls with 10 KB of metadata each is filtered on every page. */
const metadataMaps = new WeakMap()

function metadataOf(log) {
  let map = metadataMaps.get(log)
  if (map === undefined) {
    try {
      const parsed =
        typeof log.metadata === 'string'
          ? JSON.parse(log.metadata)
          : log.metadata
      map = typeof parsed === 'object' && parsed !== null ? parsed : {}
    } catch {
      map = {}
    }
    metadataMaps.set(log, map)
  }
  return map
}

const wholeSeconds = (iso) => Math.floor(Date.parse(iso) / 1000)

/** Whether one value of a filter matches a field's value; `undefined` (the row lacks the field) matches nothing. */
function matchesValue(key, operator, fieldValue, wanted) {
  if (fieldValue === undefined) return false
  if (key === 'created_at') {
    // Whole seconds on both sides (third parties' probes): 09:30:12.900 is not `gt` 09:30:12.
    const a = wholeSeconds(fieldValue)
    const b = wholeSeconds(String(wanted))
    return operator === 'eq'
      ? a === b
      : operator === 'lt'
        ? a < b
        : operator === 'gt'
          ? a > b
          : String(fieldValue).includes(String(wanted))
  }
  if (fieldValue === null || wanted === null)
    return operator === 'eq' && fieldValue === wanted
  const numeric =
    typeof fieldValue === 'number' &&
    String(wanted).trim() !== '' &&
    Number.isFinite(Number(wanted))
  switch (operator) {
    case 'eq':
      return numeric
        ? fieldValue === Number(wanted)
        : String(fieldValue) === String(wanted)
    case 'contains':
      return String(fieldValue).includes(String(wanted))
    case 'lt':
      return numeric
        ? fieldValue < Number(wanted)
        : String(fieldValue) < String(wanted)
    case 'gt':
      return numeric
        ? fieldValue > Number(wanted)
        : String(fieldValue) > String(wanted)
  }
  return false
}

/**
 * Whether a log passes one filter. Any value of the array may match; `neq` means none equals.
 * `metadata.key` and `metadata.value` each look at the whole map on their own: a call with
 * {"run_id":"gh-1","note":"gh-2"} passes `metadata.key eq run_id` and `metadata.value eq gh-2` (the trap).
 */
function passes(log, filter) {
  let fieldValues
  if (filter.key === 'metadata.key') fieldValues = Object.keys(metadataOf(log))
  else if (filter.key === 'metadata.value')
    fieldValues = Object.values(metadataOf(log)).map(String)
  else if (filter.key === 'tokens')
    fieldValues = [
      log.tokens_in == null || log.tokens_out == null
        ? null
        : log.tokens_in + log.tokens_out
    ]
  else fieldValues = [log[filter.key]]
  if (filter.operator === 'neq')
    return !fieldValues.some((v) =>
      filter.value.some((w) => matchesValue(filter.key, 'eq', v, w))
    )
  return fieldValues.some((v) =>
    filter.value.some((w) => matchesValue(filter.key, filter.operator, v, w))
  )
}

/**
 * The `filters` query parameter as the API reads it: one parameter holding a JSON array. Anything else
 * (the SDKs' flattened `filters.key=…`, a repeated parameter, text that is not a JSON array) is ignored
 * and every log is listed (cloudflare-typescript issue #2723). A JSON array with a bad entry is a 400.
 */
function readFilters(searchParams) {
  const raw = searchParams.getAll('filters')
  if (raw.length !== 1) return { filters: [] }
  let parsed
  try {
    parsed = JSON.parse(raw[0])
  } catch {
    return { filters: [] }
  }
  if (!Array.isArray(parsed)) return { filters: [] }
  for (const f of parsed) {
    if (typeof f !== 'object' || f === null || typeof f.key !== 'string')
      return { error: 'Invalid filter' }
    // A dotted metadata key (`metadata.run_id`) is a 400 (third parties' probes); so is any key outside LogFilter's enum.
    if (!FILTER_KEYS.has(f.key))
      return { error: `Invalid filter key: ${f.key}` }
    if (!FILTER_OPERATORS.has(f.operator))
      return { error: `Invalid filter operator: ${f.operator}` }
    if (!Array.isArray(f.value))
      return { error: 'Invalid filter value: expected an array' }
    if (
      f.key === 'created_at' &&
      f.value.some((v) => Number.isNaN(Date.parse(String(v))))
    ) {
      return { error: 'Invalid filter value: expected a date' }
    }
  }
  return { filters: parsed }
}

/** Cloudflare's v4 failure envelope; 7001 is what the list answers to a per_page over 50 (third parties' probes). */
function badRequest(res, message) {
  sendJson(res, 400, {
    success: false,
    errors: [{ code: 7001, message }],
    messages: [],
    result: null
  })
}

/**
 * The list endpoint: only the JSON `filters` parameter filters; per_page 1..50 (default 20), page
 * from 1, order_by created_at (or another LogListItem enum value), order_by_direction desc by default;
 * result_info has page, per_page, count and total_count (no total_pages); rows have the 19 list
 * fields; a gateway with no logs (an unknown one) is a 200 with total_count 0; logs not yet visible
 * (late) are neither listed nor counted.
 * `entries` are the gateway's registered logs ({ log, visibleAtMs }); `listFaults` the faults set with
 * failListPage, by page ({ status, retryAfterS, times }), counted down here; `quirks` a broken or stale
 * API's ways, set per gateway with setListQuirks (see answerWithQuirks).
 */
export function listLogs(res, url, entries, listFaults, quirks = null) {
  const q = url.searchParams
  const whole = (name, fallback) => {
    const raw = q.get(name)
    return raw === null ? fallback : /^\d+$/.test(raw) ? Number(raw) : NaN
  }
  const perPage = whole('per_page', 20)
  if (!(perPage >= 1 && perPage <= MAX_PER_PAGE))
    return badRequest(res, `per_page must be between 1 and ${MAX_PER_PAGE}`)
  const page = whole('page', 1)
  if (!(page >= 1)) return badRequest(res, 'page must be 1 or more')
  const orderBy = q.get('order_by') ?? 'created_at'
  if (!ORDER_BY.has(orderBy))
    return badRequest(res, `Invalid order_by: ${orderBy}`)
  const direction = q.get('order_by_direction') ?? 'desc'
  if (direction !== 'asc' && direction !== 'desc')
    return badRequest(res, `Invalid order_by_direction: ${direction}`)
  const { filters, error } = readFilters(q)
  if (error) return badRequest(res, error)

  const fault = listFaults.get(page)
  if (fault && fault.times > 0) {
    fault.times--
    if (fault.status === 429) {
      // The 429 the detail endpoint's scenario answers with: code 971 and a Retry-After.
      const body = {
        success: false,
        errors: [
          {
            code: 971,
            message: 'Please wait and consider throttling your request speed'
          }
        ]
      }
      return sendJson(res, 429, body, {
        'retry-after': String(fault.retryAfterS)
      })
    }
    res.writeHead(fault.status, { 'content-type': 'text/html' })
    return res.end(html503)
  }

  const nowMs = Date.now()
  const key = (log) =>
    orderBy === 'created_at' ? Date.parse(log.created_at) : String(log[orderBy])
  const sign = direction === 'asc' ? 1 : -1
  const matching = entries
    .filter(
      (entry) =>
        nowMs >= entry.visibleAtMs && filters.every((f) => passes(entry.log, f))
    )
    .map((entry) => entry.log)
    // Ties (several calls in one millisecond) in id order, so that pages never overlap.
    .sort(
      (a, b) =>
        sign *
        (key(a) < key(b)
          ? -1
          : key(a) > key(b)
            ? 1
            : a.id < b.id
              ? -1
              : a.id > b.id
                ? 1
                : 0)
    )
  const answer = quirks
    ? answerWithQuirks(matching, page, perPage, quirks, filters, entries)
    : {
        rows: matching.slice((page - 1) * perPage, page * perPage),
        totalCount: matching.length
      }
  const rows = answer.rows.map(listRow)
  sendJson(res, 200, {
    success: true,
    errors: [],
    messages: [],
    result: rows,
    result_info: {
      page,
      per_page: perPage,
      count: rows.length,
      total_count: answer.totalCount
    }
  })
}

/**
 * A list answer from an API that is broken, stale or hostile, for the tests that the gate never passes
 * on part of a selection. None of this is documented behaviour; each quirk is a way a real service can
 * fail (a cache of counts that lags behind deletions, a proxy that rewrites paging) or lie:
 * - `shortPages`: { [page]: { drop, times } } answers that page `drop` rows short (its last rows), the
 *   next `times` times (default: always), with the total unchanged;
 * - `rowsPerPage`: pages of this many rows whatever per_page asked (20: fewer; 2000: more);
 * - `ignorePage`: every page answered as page 1;
 * - `deleteOldest`: { afterRequests, count } deletes the gateway's `count` oldest logs once
 *   `afterRequests` list requests have been answered (Cloudflare deletes a gateway's oldest logs when it
 *   reaches its log limit, if automatic deletion is on), so the rows after them shift back a page;
 * - `staleTotal`: total_count never goes down (a count cached from before deletions);
 * - `fixedTotal`: total_count is this number whatever the rows (a count that lags far behind).
 */
function answerWithQuirks(matching, page, perPage, quirks, filters, entries) {
  const size = quirks.rowsPerPage ?? perPage
  const from = quirks.ignorePage ? 0 : (page - 1) * size
  let rows = matching.slice(from, from + size)
  const short = quirks.shortPages?.[page]
  if (short && (short.times === undefined || short.times > 0)) {
    if (short.times !== undefined) short.times--
    rows = rows.slice(0, Math.max(0, rows.length - short.drop))
  }
  let totalCount = quirks.fixedTotal ?? matching.length
  if (quirks.staleTotal) {
    const key = JSON.stringify(filters)
    quirks.totals ??= new Map()
    totalCount = Math.max(totalCount, quirks.totals.get(key) ?? 0)
    quirks.totals.set(key, totalCount)
  }
  quirks.answered = (quirks.answered ?? 0) + 1
  const deletion = quirks.deleteOldest
  if (deletion && !deletion.done && quirks.answered >= deletion.afterRequests) {
    deletion.done = true
    const oldest = [...entries]
      .sort(
        (a, b) => Date.parse(a.log.created_at) - Date.parse(b.log.created_at)
      )
      .slice(0, deletion.count)
    for (const entry of oldest) entries.splice(entries.indexOf(entry), 1)
  }
  return { rows, totalCount }
}
