// Pure: the report's pictures, as Mermaid blocks (GitHub renders ```mermaid in job summaries and
// comments). A label that comes from a log (a model name) is written by whoever made the call: inside
// a Mermaid block markdown escaping does not apply, and a quote, a newline, `%%{init}%%` or a closing
// fence would break the chart or inject into it. So labels keep only characters that are inert there.
import { formatNumber } from '../inputs/units.js'

/** Slices of the cost pie beyond this many are summed into "other models". */
export const MAX_PIE_SLICES = 8
const MAX_LABEL_CHARS = 40

/** A label Mermaid reads as plain text: letters, digits and `space . _ - / : +` kept, anything else `?`. */
export function mermaidLabel(text: string): string {
  const kept = text
    .replace(/[^A-Za-z0-9 ._\-/:+]/g, '?')
    .replace(/\s+/g, ' ')
    .trim()
  const label =
    kept.length > MAX_LABEL_CHARS
      ? `${kept.slice(0, MAX_LABEL_CHARS - 1)}…`
      : kept
  return label === '' ? '?' : label
}

export interface Slice {
  label: string
  value: number
}

/** A pie of cost by model; undefined when there is nothing to draw (no call has a cost above zero). */
export function costPie(slices: readonly Slice[]): string | undefined {
  const positive = slices
    .filter((s) => Number.isFinite(s.value) && s.value > 0)
    .sort((a, b) => b.value - a.value)
  if (positive.length === 0) return undefined
  const shown = positive.slice(0, MAX_PIE_SLICES)
  const rest = positive.slice(MAX_PIE_SLICES)
  if (rest.length > 0)
    shown.push({
      label: `${rest.length} other models`,
      value: rest.reduce((sum, s) => sum + s.value, 0)
    })
  // Two models whose labels read the same once cleaned would be one slice to Mermaid: number the repeats.
  const seen = new Map<string, number>()
  const lines = shown.map((s) => {
    let label = mermaidLabel(s.label)
    const n = (seen.get(label) ?? 0) + 1
    seen.set(label, n)
    if (n > 1) label = `${label} (${n})`
    return `    "${label}" : ${formatNumber(Number(s.value.toPrecision(6)))}`
  })
  return [
    '```mermaid',
    'pie showData title Cost by model (USD)',
    ...lines,
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

/** How durations are spread: a bar chart of calls per duration bucket; undefined without durations. */
export function durationHistogram(
  durationsMs: readonly number[],
  buckets = 8
): string | undefined {
  const values = durationsMs.filter((d) => Number.isFinite(d) && d >= 0)
  if (values.length === 0) return undefined
  const max = values.reduce((m, d) => Math.max(m, d), 0)
  const step = niceStep(max / buckets)
  const count = Math.max(1, Math.floor(max / step) + 1)
  const calls = new Array<number>(count).fill(0)
  // Not `calls[i]!++`: Stryker's instrumenter cannot rewrite an increment of a non-null assertion, and stops.
  for (const d of values) {
    const bucket = Math.min(count - 1, Math.floor(d / step))
    calls[bucket] = calls[bucket]! + 1
  }
  const label = (i: number): string =>
    `"${seconds(i * step)}-${seconds((i + 1) * step)}"`
  const top = calls.reduce((m, c) => Math.max(m, c), 0)
  return [
    '```mermaid',
    'xychart-beta',
    '    title "Calls by duration (s)"',
    `    x-axis [${calls.map((_, i) => label(i)).join(', ')}]`,
    `    y-axis "Calls" 0 --> ${top}`,
    `    bar [${calls.join(', ')}]`,
    '```'
  ].join('\n')
}

function seconds(ms: number): string {
  return formatNumber(Number((ms / 1000).toPrecision(6)))
}
