// Pure: the report's pictures, as Mermaid blocks (GitHub renders ```mermaid in job summaries and
// comments). A label that comes from a log (a model name) is written by whoever made the call: inside
// a Mermaid block markdown escaping does not apply, and a quote, a newline, `%%{init}%%` or a closing
// fence would break the chart or inject into it. So labels keep only characters that are inert there.
// Each block sets its theme and colours (an init directive of our own, never built from a log's text).
import { formatDuration, formatNumber } from '../inputs/units.js'

/** Models drawn in the cost chart; the rest are summed into "other models". */
export const MAX_CHART_MODELS = 8
const MAX_LABEL_CHARS = 40

/**
 * Colours told apart by everyone (blue and amber, GitHub's own accents; they differ in lightness too),
 * set in each block with a theme, so that no viewer's default palette turns them pale.
 */
export const THIS_RUN_COLOUR = '#0969da'
export const HIGHLIGHT_COLOUR = '#bf8700'

/**
 * The block's first line: the base theme (the one Mermaid lets a block adjust) and the bar colours, in
 * series order; with `heightPx`, the chart's height (Mermaid's default, 500 px, is tall for a line).
 */
function theme(colours: readonly string[], heightPx?: number): string {
  const palette = colours.join(', ')
  const size =
    heightPx === undefined ? '' : ` "xyChart": {"height": ${heightPx}},`
  return `%%{init: {"theme": "base",${size} "themeVariables": {"xyChart": {"plotColorPalette": "${palette}"}}}}%%`
}

/**
 * A label Mermaid reads as plain text: letters, digits and `space . _ - / : + @` kept (`@` for Workers
 * AI's `@cf/…` models: inside a quoted label it is text, and a chart mentions no one), anything else `?`.
 */
export function mermaidLabel(text: string): string {
  const kept = text
    .replace(/[^A-Za-z0-9 ._\-/:+@]/g, '?')
    .replace(/\s+/g, ' ')
    .trim()
  const label =
    kept.length > MAX_LABEL_CHARS
      ? `${kept.slice(0, MAX_LABEL_CHARS - 1)}…`
      : kept
  return label === '' ? '?' : label
}

/** A number as Mermaid's xychart reads it: plain digits, no exponent, 6 significant digits at most. */
function plain(value: number): string {
  return formatNumber(Number(value.toPrecision(6)))
}

/** The axis's top: the largest value rounded up to 2 significant digits (0.1546 -> 0.16), never 0. */
export function axisTop(max: number): number {
  if (!(max > 0) || !Number.isFinite(max)) return 1
  const power = 10 ** (Math.floor(Math.log10(max)) - 1)
  return Number((Math.ceil(max / power - 1e-9) * power).toPrecision(2))
}

export interface ModelCost {
  label: string
  /** This run's cost of the model; null when it did not use it (or its cost is unknown). */
  current: number | null
  baseline: number | null
}

/**
 * Cost by model, this run against the baseline: a horizontal bar chart, each model's row (blue) followed
 * by its row on the baseline (amber, labelled with `baselineName`), costliest models first. Undefined
 * when there is nothing to draw. Horizontal, so model names are read whole at a comment's width.
 */
export function costByModelChart(
  models: readonly ModelCost[],
  baselineName: string
): string | undefined {
  const known = (v: number | null): number =>
    v !== null && Number.isFinite(v) && v > 0 ? v : 0
  const rows = models
    .map((m) => ({
      label: m.label,
      current: known(m.current),
      baseline: known(m.baseline)
    }))
    .filter((m) => m.current > 0 || m.baseline > 0)
    .sort(
      (a, b) =>
        Math.max(b.current, b.baseline) - Math.max(a.current, a.baseline)
    )
  if (rows.length === 0) return undefined
  const shown = rows.slice(0, MAX_CHART_MODELS)
  const rest = rows.slice(MAX_CHART_MODELS)
  if (rest.length > 0)
    shown.push({
      label: `${rest.length} other models`,
      current: rest.reduce((sum, m) => sum + m.current, 0),
      baseline: rest.reduce((sum, m) => sum + m.baseline, 0)
    })
  const base = mermaidLabel(baselineName)
  const max = shown.reduce((m, r) => Math.max(m, r.current, r.baseline), 0)
  // Below a dollar, in cents: the axis's tick labels (`0.01`, `0.02`…) would run into each other.
  const [unit, scale] = max < 1 ? ['US cents', 100] : ['USD', 1]
  // Two models whose labels read the same once cleaned would be one category to Mermaid: number the repeats.
  const seen = new Map<string, number>()
  const categories: string[] = []
  const baselineBars: string[] = []
  const currentBars: string[] = []
  for (const m of shown) {
    let label = mermaidLabel(m.label)
    const n = (seen.get(label) ?? 0) + 1
    seen.set(label, n)
    if (n > 1) label = `${label} ${n}`
    categories.push(`"${label}"`, `"${label} (${base})"`)
    currentBars.push(plain(m.current * scale), '0')
    baselineBars.push('0', plain(m.baseline * scale))
  }
  // The baseline's series first: a bar of 0 is drawn as a sliver, and the series drawn last covers the other's.
  return [
    '```mermaid',
    theme([HIGHLIGHT_COLOUR, THIS_RUN_COLOUR]),
    'xychart-beta horizontal',
    `    title "Cost by model (${unit}): this run, and on ${base}"`,
    `    x-axis [${categories.join(', ')}]`,
    `    y-axis "${unit}" 0 --> ${plain(axisTop(max * scale))}`,
    `    bar [${baselineBars.join(', ')}]`,
    `    bar [${currentBars.join(', ')}]`,
    '```'
  ].join('\n')
}

/** A step of 1, 2 or 5 times a power of ten, so bucket edges read as round numbers. */
export function niceStep(rough: number): number {
  if (!(rough > 0) || !Number.isFinite(rough)) return 1
  const power = 10 ** Math.floor(Math.log10(rough))
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough)
  return Math.max(1, step ?? 10 * power)
}

/** What the duration histogram marks: the p95 of the calls and the limit a threshold sets (both in ms). */
export interface DurationMarks {
  p95Ms?: number | null
  limitMs?: number | null
}

/** `Calls by duration, p95 9.4 s (amber from there), limit 8 s`. */
function histogramTitle(
  p95: number | undefined,
  limit: number | undefined
): string {
  return [
    'Calls by duration',
    p95 === undefined
      ? undefined
      : `p95 ${formatDuration(p95)} (amber from there)`,
    limit === undefined ? undefined : `limit ${formatDuration(limit)}`
  ]
    .filter(Boolean)
    .join(', ')
}

/** One bar series, or two split at the p95's bucket (the slow ones amber). */
function histogramSeries(
  calls: readonly number[],
  p95Bucket: number | undefined
): string[] {
  if (p95Bucket === undefined) return [`    bar [${calls.join(', ')}]`]
  return [
    // The slow bars first: the fast ones, drawn last, cover the slivers their zeros leave.
    `    bar [${calls.map((c, i) => (i >= p95Bucket ? c : 0)).join(', ')}]`,
    `    bar [${calls.map((c, i) => (i < p95Bucket ? c : 0)).join(', ')}]`
  ]
}

/**
 * How durations are spread: calls per duration bucket, as horizontal bars (fastest at the top). The
 * bucket that holds the p95 is labelled and, with every slower one, drawn in amber; the bucket the limit
 * falls in is labelled too, and the buckets run on to it when it is at most three times the slowest
 * call (the empty buckets between show the headroom).
 * Undefined without durations.
 */
export function durationHistogram(
  durationsMs: readonly number[],
  marks: DurationMarks = {},
  buckets = 8
): string | undefined {
  const values = durationsMs.filter((d) => Number.isFinite(d) && d >= 0)
  if (values.length === 0) return undefined
  const max = values.reduce((m, d) => Math.max(m, d), 0)
  const usable = (v: number | null | undefined): v is number =>
    typeof v === 'number' && Number.isFinite(v) && v >= 0
  const limit = usable(marks.limitMs) ? marks.limitMs : undefined
  const p95 = usable(marks.p95Ms) ? marks.p95Ms : undefined
  const drawLimit = limit !== undefined && limit <= 3 * Math.max(max, 1)
  const span = drawLimit ? Math.max(max, limit) : max
  const step = niceStep(span / buckets)
  const count = Math.max(1, Math.floor(span / step) + 1)
  const bucketOf = (ms: number): number =>
    Math.min(count - 1, Math.floor(ms / step))
  const calls = new Array<number>(count).fill(0)
  // Not `calls[i]!++`: Stryker's instrumenter cannot rewrite an increment of a non-null assertion, and stops.
  for (const d of values) {
    const bucket = bucketOf(d)
    calls[bucket] = calls[bucket]! + 1
  }
  const p95Bucket = p95 === undefined ? undefined : bucketOf(p95)
  const limitBucket = drawLimit ? bucketOf(limit) : undefined
  const label = (i: number): string => {
    const notes = [
      i === p95Bucket ? 'p95' : undefined,
      i === limitBucket ? 'limit' : undefined
    ].filter(Boolean)
    const range = `${seconds(i * step)}-${seconds((i + 1) * step)} s`
    return `"${range}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}"`
  }
  const top = calls.reduce((m, c) => Math.max(m, c), 0)
  const title = histogramTitle(p95, limit)
  const series = histogramSeries(calls, p95Bucket)
  return [
    '```mermaid',
    theme(
      p95Bucket === undefined
        ? [THIS_RUN_COLOUR]
        : [HIGHLIGHT_COLOUR, THIS_RUN_COLOUR]
    ),
    'xychart-beta horizontal',
    `    title "${title}"`,
    `    x-axis [${calls.map((_, i) => label(i)).join(', ')}]`,
    `    y-axis "Calls" 0 --> ${Math.max(1, top)}`,
    ...series,
    '```'
  ].join('\n')
}

function seconds(ms: number): string {
  return formatNumber(Number((ms / 1000).toPrecision(6)))
}

export interface LineChart {
  /** Our own words (`Cost per day (US cents)`), never text from outside: a quote or a newline is dropped all the same. */
  title: string
  /** The y axis's name, our own words: `US cents`, `errors`. */
  unit: string
  /** One label a point, in order (`12-01`); kept inert by mermaidLabel. */
  labels: readonly string[]
  values: readonly number[]
}

/** Points of a line chart labelled one by one; past this many, every k-th is labelled so that labels do not overlap. */
export const MAX_LINE_LABELS = 16
/** The height of a line chart, px: a strip under the text, not a square. */
const LINE_CHART_HEIGHT_PX = 280

/**
 * A label that reads as nothing and differs from every other such label (Mermaid's categories are
 * told apart by their text, and it trims spaces): point `i` written in binary with two zero-width
 * characters.
 */
function blankLabel(i: number): string {
  return [...i.toString(2)]
    .map((b) => (b === '0' ? '\u200b' : '\u200c'))
    .join('')
}

/**
 * A line over days (a trend): one `line` series in blue, the y axis from 0 to a round top. Undefined
 * without points. Past MAX_LINE_LABELS points, every k-th is labelled, counted back from the last (the
 * newest day keeps its label), the others get blank labels. A label repeated once cleaned would merge
 * two points into one category: repeats are numbered, as in the cost chart.
 */
export function lineChart(chart: LineChart): string | undefined {
  const n = chart.values.length
  if (n === 0) return undefined
  const values = chart.values.map((v) => (Number.isFinite(v) && v > 0 ? v : 0))
  const every = n > MAX_LINE_LABELS ? Math.ceil(n / (MAX_LINE_LABELS - 6)) : 1
  const seen = new Map<string, number>()
  const labels = values.map((_, i) => {
    if ((n - 1 - i) % every !== 0) return `"${blankLabel(i + 1)}"`
    const label = mermaidLabel(chart.labels[i] ?? '')
    const k = (seen.get(label) ?? 0) + 1
    seen.set(label, k)
    return `"${k > 1 ? `${label} ${k}` : label}"`
  })
  const max = values.reduce((m, v) => Math.max(m, v), 0)
  return [
    '```mermaid',
    theme([THIS_RUN_COLOUR], LINE_CHART_HEIGHT_PX),
    'xychart-beta',
    `    title "${ownText(chart.title)}"`,
    `    x-axis [${labels.join(', ')}]`,
    `    y-axis "${ownText(chart.unit)}" 0 --> ${plain(axisTop(max))}`,
    `    line [${values.map(plain).join(', ')}]`,
    '```'
  ].join('\n')
}

/** Our own words in a quoted Mermaid string: no quote, newline, `%` or fence can end it or start a directive. */
function ownText(text: string): string {
  return text.replace(/["%`\r\n]/g, ' ')
}
