// Untrusted text (anything that came from Cloudflare's or GitHub's API, or from a log field) made
// inert for the place it is written. The step's log is read by the runner line by line, and a line
// that starts with `::` is a workflow command (`::stop-commands::`, `::add-mask::`...): text from
// outside must never be able to start a line there. Anywhere it is shown, characters that change how
// text displays without being seen are written as visible escapes, and no cut splits a character.

/**
 * Characters that change how text displays without being seen: C1 controls, the soft hyphen, bidirectional
 * controls (U+061C, U+200E-U+200F, U+202A-U+202E, U+2066-U+2069), zero-width and other invisible format
 * characters, and the tag characters (U+E0000-U+E007F) that spell hidden ASCII. Lone surrogates too: they
 * are not characters, and a file written as UTF-8 turns each into U+FFFD.
 */
const INVISIBLE_RE =
  /[\u0080-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\u{e0000}-\u{e007f}]|\p{Cs}/gu

/** `\u202e` for a BMP character, `\u{e0041}` beyond it: the way JavaScript and JSON write them. */
function escapeCodePoint(c: string): string {
  const code = c.codePointAt(0)!
  // Stryker disable next-line EqualityOperator: equivalent, U+FFFF is not in INVISIBLE_RE, so > and >= escape alike
  return code > 0xffff
    ? `\\u{${code.toString(16)}}`
    : `\\u${code.toString(16).padStart(4, '0')}`
}

/** Invisible characters (INVISIBLE_RE) written as visible escapes; everything else as it is. */
export function showInvisible(text: string): string {
  return text.replace(INVISIBLE_RE, escapeCodePoint)
}

/**
 * Untrusted text as part of one line of the step's log: cut to `maxChars` (never inside a surrogate
 * pair, and before escaping, so that no escape is cut in half), then control characters (newlines
 * included) and invisible characters written as visible escapes (`\n`, `\u202e`), so the text stays on
 * the line it was put in and shows what it holds.
 */
export function inline(text: string, maxChars = 300): string {
  const escaped = JSON.stringify(cut(text, maxChars))
    .slice(1, -1)
    .replace(/\\"/g, '"')
    .replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)
  return showInvisible(escaped)
}

/** Outside or user text in a message: quoted, on one line, invisible characters shown, cut short. */
export function quoted(text: string, maxChars = 80): string {
  return `"${inline(text, maxChars)}"`
}

/** The longest start of `text` of at most `maxChars` UTF-16 units that does not end inside a surrogate pair. */
export function prefix(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text
  let end = Math.max(0, maxChars)
  const code = text.charCodeAt(end - 1)
  if (code >= 0xd800 && code <= 0xdbff) end-- // a high surrogate whose pair would be cut off
  return text.slice(0, end)
}

/** `text` shortened to at most `maxChars` UTF-16 units plus an ellipsis, never splitting a surrogate pair. */
export function cut(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${prefix(text, maxChars)}…`
}

/**
 * A JSON value as JSON text, or undefined when it cannot be written: JSON.parse reads nesting
 * hundreds of thousands deep, but JSON.stringify throws a RangeError a few thousand levels down.
 */
export function jsonText(value: unknown): string | undefined {
  try {
    return JSON.stringify(value)
  } catch {
    return undefined
  }
}
