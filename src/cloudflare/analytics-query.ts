// Pure: the GraphQL Analytics queries the analytics source sends, as text, and their filters. Only the
// dataset aiGatewayRequestsAdaptiveGroups is read. Cloudflare's GraphQL API has no cursors: a long
// list is paged by ordering on a dimension and filtering past the last value seen
// (https://developers.cloudflare.com/analytics/graphql-api/features/pagination/). One field the account
// is not entitled to fails the whole query, so each query names only the fields the caller asks for
// (checked against the settings node's availableFields first).
import { isoSeconds } from '../inputs/window.js'

export const DATASET = 'aiGatewayRequestsAdaptiveGroups'

/**
 * The type of the dataset's filter, as Cloudflare's schema names it (Account + the node's name in
 * Pascal case + `Filter_InputObject`; seen in public clients of this dataset).
 */
export const FILTER_TYPE =
  'AccountAiGatewayRequestsAdaptiveGroupsFilter_InputObject'

/** The `sum { … }` fields the source reads: counts of calls, USD, tokens. */
export const SUM_FIELDS = [
  'cost',
  'erroredRequests',
  'cachedRequests',
  'tokensIn',
  'tokensOut'
] as const
export type SumField = (typeof SUM_FIELDS)[number]

/** Dimensions read as histograms: one group per distinct value, ordered, paged on the last value. */
export const HISTOGRAM_DIMENSIONS = [
  'durationMs',
  'cost',
  'tokensIn',
  'tokensOut'
] as const
export type HistogramDimension = (typeof HISTOGRAM_DIMENSIONS)[number]

/** The confidence level asked for every count and sum: a 95% interval. */
export const CONFIDENCE_LEVEL = 0.95

/** A totals query asks for 2 groups so that a second one (which must not exist) is seen and refused. */
export const TOTALS_LIMIT = 2

const INTERVAL = '{ estimate lower upper sampleSize }'

/**
 * The count's 95% interval, asked in every grouped query: Cloudflare samples each query on its own
 * (adaptively), so whether a group-by was sampled is told by its own answer, never by the totals'.
 * One field of the 30 a query may name (`confidence` counts once).
 */
const COUNT_CONFIDENCE = `confidence(level: ${CONFIDENCE_LEVEL}) { count ${INTERVAL} }`

export const SETTINGS_QUERY = `query Settings($accountTag: string!) {
  viewer {
    accounts(filter: { accountTag: $accountTag }) {
      settings {
        ${DATASET} { enabled availableFields maxDuration notOlderThan maxPageSize }
      }
    }
  }
}`

/** One query of the dataset: `$accountTag` and `$filter` are its variables, the rest is written in. */
function datasetQuery(name: string, args: string, selection: string): string {
  return `query ${name}($accountTag: string!, $filter: ${FILTER_TYPE}!) {
  viewer {
    accounts(filter: { accountTag: $accountTag }) {
      ${DATASET}(${args}) {
        ${selection}
      }
    }
  }
}`
}

const sumSelection = (sums: readonly SumField[]): string =>
  sums.length === 0 ? '' : ` sum { ${sums.join(' ')} }`

/** The window's totals: one group without dimensions, every count and sum with its 95% interval. */
export function totalsQuery(sums: readonly SumField[]): string {
  const confidenceSums =
    sums.length === 0
      ? ''
      : ` sum { ${sums.map((s) => `${s} ${INTERVAL}`).join(' ')} }`
  return datasetQuery(
    'Totals',
    `limit: ${TOTALS_LIMIT}, filter: $filter`,
    `count${sumSelection(sums)} confidence(level: ${CONFIDENCE_LEVEL}) { count ${INTERVAL}${confidenceSums} }`
  )
}

/** One page of a histogram: a group per value of the dimension, ascending. */
export function histogramQuery(
  dimension: HistogramDimension,
  limit: number
): string {
  return datasetQuery(
    'Histogram',
    `limit: ${limit}, filter: $filter, orderBy: [${dimension}_ASC]`,
    `count dimensions { ${dimension} } ${COUNT_CONFIDENCE}`
  )
}

/** The calls per provider and model, costliest first when cost is offered. */
export function modelsQuery(sums: readonly SumField[], limit: number): string {
  const order = sums.includes('cost') ? ', orderBy: [sum_cost_DESC]' : ''
  return datasetQuery(
    'Models',
    `limit: ${limit}, filter: $filter${order}`,
    `count${sumSelection(sums)} dimensions { model provider } ${COUNT_CONFIDENCE}`
  )
}

export function statusCodesQuery(limit: number): string {
  return datasetQuery(
    'StatusCodes',
    `limit: ${limit}, filter: $filter`,
    `count dimensions { statusCode } ${COUNT_CONFIDENCE}`
  )
}

/** A trend: the calls, cost and errors of each UTC day. */
export function trendQuery(sums: readonly SumField[], limit: number): string {
  return datasetQuery(
    'Trend',
    `limit: ${limit}, filter: $filter, orderBy: [date_ASC]`,
    `count${sumSelection(sums)} dimensions { date } ${COUNT_CONFIDENCE}`
  )
}

/** A window of the gateway, and a run's calls in it: `[sinceMs, untilMs)`, both at whole seconds. */
export interface AnalyticsSelection {
  gatewayId: string
  sinceMs: number
  untilMs: number
  /** Matched by value (`metadataValues_has`): analytics has no key=value metadata filter. */
  runId?: string
}

/** The filter of a selection: the gateway, the window, and the run id when there is one. */
export function selectionFilter(
  selection: AnalyticsSelection
): Record<string, unknown> {
  return {
    gateway: selection.gatewayId,
    datetime_geq: isoSeconds(selection.sinceMs),
    datetime_lt: isoSeconds(selection.untilMs),
    ...(selection.runId === undefined
      ? {}
      : { metadataValues_has: selection.runId })
  }
}

/** A histogram page's filter: the selection's, and past the last value of the page before (if any). */
export function pageFilter(
  selection: AnalyticsSelection,
  dimension: HistogramDimension,
  afterValue: number | undefined
): Record<string, unknown> {
  const base = selectionFilter(selection)
  return afterValue === undefined
    ? base
    : { AND: [base, { [`${dimension}_gt`]: afterValue }] }
}
