// Pure: the trend of a nightly check (`trend: 14d`): calls, cost and errors per UTC day, as a table and
// as two line charts (cost per day, errors per day: their scales differ too much for one axis). A day
// without calls is a day of zeros, not a gap: a line drawn straight across a missing day would hide it.
import type { TrendDay } from '../sources/source.js'
import { lineChart } from './charts.js'
import { count, escapeText, table, usd } from './format.js'
import { utcText } from './provenance.js'

/** Rows of the trend table shown open in the job summary; a longer trend's table is folded under its charts. */
export const MAX_OPEN_TREND_ROWS = 14
/** Days filled in between two days of a trend at most: a trend is at most 62 days long. */
const MAX_FILLED_DAYS = 366
const DAY_MS = 86_400_000
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/

/** `2026-12-01` as ms since the epoch, or undefined when it is not a date of that shape. */
function dayMs(date: string): number | undefined {
  if (!DATE_RE.test(date)) return undefined
  const ms = Date.parse(`${date}T00:00:00Z`)
  return Number.isNaN(ms) ? undefined : ms
}

/**
 * The trend one entry a day, oldest first: the days given, sorted by date, and a day of zeros for
 * each day between two of them that has no entry (grouping by date gives no group for a day without
 * calls). Dates that are not YYYY-MM-DD are kept as given, and nothing is filled next to them.
 */
export function dailyTrend(trend: readonly TrendDay[]): TrendDay[] {
  const sorted = [...trend].sort((a, b) =>
    a.date < b.date ? -1 : a.date > b.date ? 1 : 0
  )
  // A day without calls costs nothing, unless the source could not give costs at all.
  const fillCost = sorted.some((d) => d.cost === null) ? null : 0
  const days: TrendDay[] = []
  for (const day of sorted) {
    const previous = days[days.length - 1]
    const from = previous && dayMs(previous.date)
    const to = dayMs(day.date)
    if (
      from !== undefined &&
      to !== undefined &&
      (to - from) / DAY_MS <= MAX_FILLED_DAYS
    )
      for (let ms = from + DAY_MS; ms < to; ms += DAY_MS)
        days.push({
          date: new Date(ms).toISOString().slice(0, 10),
          count: 0,
          cost: fillCost,
          errors: 0
        })
    days.push(day)
  }
  return days
}

export interface TrendOptions {
  /** The figures come from a sample: the heading says they are estimates. */
  estimated: boolean
  /** Where the window ends (ms): the last day, when it is that day, is marked as partial. */
  untilMs?: number
  /** Leave the table open however long it is (the PR comment folds the whole trend already). */
  open?: boolean
}

/** `the last 14 days (UTC), oldest first`, and that they are estimates when they are. */
export function trendHeading(days: number, estimated: boolean): string {
  return `**Trend**: the last ${days === 1 ? 'day' : `${days} days`} (UTC), oldest first${estimated ? ', estimated from the sample' : ''}`
}

/** One row a day: date, calls, cost, errors; the last day says where it ends when the window ends that day. */
export function trendTable(
  trend: readonly TrendDay[],
  options: Pick<TrendOptions, 'untilMs'> = {}
): string {
  const until =
    options.untilMs === undefined ? undefined : utcText(options.untilMs)
  const rows = trend.map((day, i) => {
    const partial =
      i === trend.length - 1 &&
      until !== undefined &&
      until.startsWith(`${day.date} `) &&
      !until.endsWith(' 00:00:00')
        ? ` (to ${until.slice(11)})`
        : ''
    return [
      `${escapeText(day.date, 40)}${partial}`,
      count(day.count),
      usd(day.cost),
      count(day.errors)
    ]
  })
  return table(['Date', 'Calls', 'Cost', 'Errors'], rows, [1, 2, 3])
}

/** `12-01` for `2026-12-01` (62 days never repeat a month and day); any other text as it is. */
const shortDate = (date: string): string =>
  DATE_RE.test(date) ? date.slice(5) : date

/**
 * Cost per day (in US cents below a dollar a day, as the cost chart does) and errors per day. The
 * cost chart is left out when a day's cost is unknown: a 0 drawn for it would be a claim.
 */
export function trendCharts(trend: readonly TrendDay[]): string[] {
  const labels = trend.map((d) => shortDate(d.date))
  const costs = trend.map((d) => d.cost)
  const known = costs.every(
    (c): c is number => c !== null && Number.isFinite(c)
  )
  const charts: (string | undefined)[] = []
  if (known) {
    const max = costs.reduce((m: number, c) => Math.max(m, c ?? 0), 0)
    const [unit, scale] = max < 1 ? ['US cents', 100] : ['USD', 1]
    charts.push(
      lineChart({
        title: `Cost per day (${unit})`,
        unit,
        labels,
        values: costs.map((c) => (c ?? 0) * scale)
      })
    )
  }
  charts.push(
    lineChart({
      title: 'Errors per day',
      unit: 'errors',
      labels,
      values: trend.map((d) => d.errors)
    })
  )
  return charts.filter((c): c is string => c !== undefined)
}

/**
 * The job summary's trend: the heading, the charts, then the table (folded under the charts when
 * the trend is longer than MAX_OPEN_TREND_ROWS days). Undefined when no trend was asked for.
 */
export function trendSection(
  trend: readonly TrendDay[] | undefined,
  options: TrendOptions
): string | undefined {
  if (trend === undefined) return undefined
  const days = dailyTrend(trend)
  if (days.length === 0) return '**Trend**: no day of it had calls.'
  const unknown = days.some((d) => d.cost === null)
    ? '\n\n_No cost chart: the cost of a day is unknown (—)._'
    : ''
  const tableText = trendTable(days, options)
  const tableShown =
    days.length > MAX_OPEN_TREND_ROWS && options.open !== true
      ? `<details><summary>Trend by day: ${days.length} days</summary>\n\n${tableText}\n\n</details>`
      : tableText
  return [
    `${trendHeading(days.length, options.estimated)}${unknown}`,
    ...trendCharts(days),
    tableShown
  ].join('\n\n')
}
