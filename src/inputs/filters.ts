// Pure: the `filters` input, the list endpoint's own filters as one JSON array, checked before any
// request: the API's key names and operators, values of its types, and no metadata filter of the
// user's own (the run's metadata pair is the action's).
import { inline, quoted } from '../text/escape.js'

/** Input name, as action.yml spells it (quoted in problems). */
const FILTERS = 'filters'

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
    return `has ${extra.map((name) => quoted(name)).join(', ')}: a filter has only "key", "operator" and "value"`
  const { key, operator, value } = item as Record<string, unknown>
  if (typeof key !== 'string' || key.trim() === '')
    return 'has no "key" (e.g. "model")'
  if (
    /^metadata\./.test(key) &&
    key !== 'metadata.key' &&
    key !== 'metadata.value'
  ) {
    return `has the key ${quoted(key)}, which the API refuses: filter custom metadata with a metadata.key and a metadata.value filter`
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
        `${FILTERS} ${quoted(text)} is not JSON (${inline(why, 120)}): it ${FILTERS_SHAPE}`
      ]
    }
  }
  if (!Array.isArray(parsed))
    return {
      filters: [],
      problems: [`${FILTERS} ${quoted(text)} ${FILTERS_SHAPE}`]
    }
  const filters: LogFilter[] = []
  const problems: string[] = []
  parsed.forEach((item: unknown, index) => {
    const why = filterError(item)
    if (why === null) filters.push(item as LogFilter)
    else
      problems.push(
        `${FILTERS} item ${index + 1} ${quoted(JSON.stringify(item) ?? String(item))} ${why}`
      )
  })
  return { filters, problems }
}
