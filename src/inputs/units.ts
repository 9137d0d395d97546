// Numbers with units, as the inputs write them (`$0.05`, `2s`, `2xx`) and as the action writes them
// for people (`0.0000004`, never `4e-7`). Pure; one definition for every input that takes a unit.

const DECIMAL = String.raw`(?:\d+(?:\.\d*)?|\.\d+)`
const USD_RE = new RegExp(String.raw`^\$?\s*(${DECIMAL})(?:\s*USD)?$`, 'i')
const DURATION_RE = new RegExp(String.raw`^(${DECIMAL})\s*([a-zA-Z]*)$`)
const DURATION_UNIT_MS: Record<string, number> = {
  '': 1,
  ms: 1,
  s: 1000,
  sec: 1000,
  m: 60_000,
  min: 60_000
}
export const WHOLE_RE = /^\d+$/

/** Whether the text is written as an amount in USD (`0.05`, `$0.05`, `0.05 USD`), however large. */
export function isUsdAmount(value: string): boolean {
  return USD_RE.test(value)
}

/** An amount in USD: `0.05`, `$0.05`, `0.05 USD`; undefined when it is not one (a negative amount is not). */
export function parseUsd(value: string): number | undefined {
  const m = USD_RE.exec(value)
  const usd = m ? Number(m[1]) : NaN
  return Number.isFinite(usd) ? usd : undefined
}

/** A duration in milliseconds: a bare number is ms; `ms`, `s` (`sec`) and `m` (`min`) are the units. */
export function parseDurationMs(
  value: string
): { ms: number } | { error: string } {
  const m = DURATION_RE.exec(value)
  if (!m)
    return {
      error: `${value.trim().startsWith('-') ? 'is negative' : 'is not a duration'} (e.g. 1500, 1500ms, 2s, 0.5s, 1m)`
    }
  const unit = m[2]!.toLowerCase()
  const factor = DURATION_UNIT_MS[unit]
  if (factor === undefined)
    return { error: `has an unknown unit "${m[2]}" (use ms, s or m)` }
  const ms = Number(m[1]) * factor
  return Number.isFinite(ms) ? { ms } : { error: 'is too large' }
}

/** A time the action waits: seconds when bare (`30`), or with a unit like a duration (`45s`, `1m`, `500ms`). */
export function parseSecondsMs(
  value: string
): { ms: number } | { error: string } {
  return /^[\d.]+$/.test(value)
    ? parseDurationMs(`${value}s`)
    : parseDurationMs(value)
}

/** A whole number, or undefined (no sign, no decimals, no exponent; at most Number.MAX_SAFE_INTEGER). */
export function parseWhole(value: string): number | undefined {
  return WHOLE_RE.test(value) && Number.isSafeInteger(Number(value))
    ? Number(value)
    : undefined
}

/** One entry of `expected-status`: an exact code (`429`) or a class (`2xx`). */
export type StatusPattern =
  { kind: 'code'; code: number } | { kind: 'class'; hundreds: number }

/** `expected-status`: codes 100-599 and classes 1xx-5xx, comma-separated; the error quotes the wrong entry. */
export function parseStatusPatterns(
  value: string
): { patterns: StatusPattern[] } | { error: string } {
  const patterns: StatusPattern[] = []
  for (const part of value.split(',').map((p) => p.trim())) {
    if (/^[1-5]xx$/i.test(part)) {
      patterns.push({ kind: 'class', hundreds: Number(part[0]) })
    } else if (
      /^\d{3}$/.test(part) &&
      Number(part) >= 100 &&
      Number(part) <= 599
    ) {
      patterns.push({ kind: 'code', code: Number(part) })
    } else {
      const shown =
        part === ''
          ? 'an empty entry'
          : JSON.stringify(part.length > 80 ? `${part.slice(0, 80)}…` : part)
      return {
        error: `has ${shown}: use status codes 100-599 or classes 1xx-5xx, comma-separated`
      }
    }
  }
  return { patterns }
}

export function formatStatusPatterns(patterns: StatusPattern[]): string {
  return patterns
    .map((p) => (p.kind === 'code' ? String(p.code) : `${p.hundreds}xx`))
    .join(', ')
}

export function statusMatches(
  code: number,
  patterns: StatusPattern[]
): boolean {
  return patterns.some((p) =>
    p.kind === 'code' ? p.code === code : Math.floor(code / 100) === p.hundreds
  )
}

/** Below 1e-30, zeros written out would only be noise: such a number keeps its exponent, so the width stays bounded. */
const MAX_WRITTEN_OUT_EXPONENT = 30

/**
 * Numbers as the API gave them, never rounded (a call often costs a fraction of a cent), and without
 * exponent notation where people read costs (4e-7 is 0.0000004). JavaScript's shortest round-trip
 * digits; a number too small to be a cost (1e-320) keeps its exponent, so the width stays bounded.
 */
export function formatNumber(value: number): string {
  const text = String(value)
  const m = /^(-?)(\d)(?:\.(\d+))?e-(\d+)$/.exec(text)
  if (!m || Number(m[4]) > MAX_WRITTEN_OUT_EXPONENT) return text
  return `${m[1]}0.${'0'.repeat(Number(m[4]) - 1)}${m[2]}${m[3] ?? ''}`
}

/**
 * An amount for people to read (the report; outputs keep the exact number): at most 4 significant
 * digits below 1 USD (`0.4007 USD`, `0.0001235 USD`), cents from 1 USD up (`12.35 USD`).
 */
export function formatUsd(value: number): string {
  // NaN and ±Infinity go through as they are; -0 is written "0" by formatNumber.
  const rounded = Number(value.toPrecision(4))
  // 0.99996 rounds to 1.000: from there on, cents.
  const text = Math.abs(rounded) >= 1 ? value.toFixed(2) : formatNumber(rounded)
  return `${text} USD`
}

/**
 * A duration for people to read: `850 ms` below a second, `3.8 s` (one decimal, `8 s` when it is
 * whole) below 100 s, whole seconds from there (`125 s`).
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return `${formatNumber(ms)} ms`
  const abs = Math.abs(ms)
  const sign = ms < 0 ? '-' : ''
  // Under 1 ms (a stand-in, a cache hit): two significant digits, so it does not read as 0.
  if (abs < 1) return `${sign}${formatNumber(Number(abs.toPrecision(2)))} ms`
  if (Math.round(abs) < 1000) return `${sign}${Math.round(abs)} ms`
  const seconds = abs / 1000
  const text =
    Math.round(seconds * 10) < 1000
      ? String(Number(seconds.toFixed(1)))
      : String(Math.round(seconds))
  return `${sign}${text} s`
}
