// Pure: how the report writes a value. Text from outside (a log, an API, an input) escaped into inert
// markdown, tables, and numbers rounded for people. Shared by every section of the report, so that a
// section in a module of its own (report/provenance.ts, report/trend.ts) writes values the same way.
import { cut, showInvisible } from '../text/escape.js'
import { formatDuration, formatNumber, formatUsd } from '../inputs/units.js'

/** A value longer than this is shortened in the report. */
export const MAX_VALUE_CHARS = 200

/**
 * Untrusted text as inert markdown: HTML entities for `<>&`, backslash escapes for the markdown
 * punctuation that makes links, images, emphasis, tables, code spans and autolinks (`:/`, `www.`), whitespace
 * folded to one line, and a zero-width space after `@` so that no one is mentioned. Values never start
 * a line, so `-`, `+` and `1.` need no escape. Invisible characters become `\u202e`-style escapes (their
 * backslash escaped in turn, so the escape is what the reader sees), after the cut, so none is cut in half.
 */
export function escapeText(value: string, maxChars = MAX_VALUE_CHARS): string {
  const text = cut(
    value
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
    maxChars
  )
  return showInvisible(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#!|~]/g, (c) => `\\${c}`)
    .replace(/:(?=\/)/g, '\\:')
    .replace(/\b(www)\./gi, '$1\\.')
    .replace(/@/g, '@&#8203;')
}

/** A value as a table cell: escaped, or an em dash when the log did not report it. */
export function cell(value: unknown): string {
  if (value === undefined || value === null || value === '') return '—'
  if (typeof value === 'number') return formatNumber(value)
  return escapeText(String(value))
}

/** A GFM table; `right` lists the columns of numbers, aligned right so their digits line up. */
export function table(
  header: string[],
  rows: string[][],
  right: readonly number[] = []
): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`
  const rule = header.map((_, i) => (right.includes(i) ? '---:' : '---'))
  return [line(header), line(rule), ...rows.map(line)].join('\n')
}

export const plural = (n: number, word: string): string =>
  `${n} ${word}${n === 1 ? '' : 's'}`
/** A number and its unit kept on one line in a narrow table column (`0.0005918 USD` never wraps after the digits). */
const nowrap = (text: string): string =>
  text.replace(/ (USD|ms|s)$/, '\u00a0$1')
export const usd = (value: number | null): string =>
  value === null ? '—' : nowrap(formatUsd(value))
export const duration = (value: number | null): string =>
  value === null ? '—' : nowrap(formatDuration(value))
/** A rate as a percentage, 4 significant digits: `6.667%`. */
export const rate = (fraction: number): string =>
  `${formatNumber(Number((fraction * 100).toPrecision(4)))}%`

/**
 * A count for people: rounded to a whole number (an estimate from a sample is not one), thousands
 * separated with commas (`1,000,000`), so that a million calls reads at a glance.
 */
export function count(value: number): string {
  const whole = Math.round(value)
  if (!Number.isSafeInteger(whole)) return formatNumber(whole)
  return String(whole).replace(/\B(?=(\d{3})+$)/g, ',')
}
