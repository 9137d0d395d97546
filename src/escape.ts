// Untrusted text (anything that came from Cloudflare's or GitHub's API, or from a log field) made
// inert for the place it is written. The step's log is read by the runner line by line, and a line
// that starts with `::` is a workflow command (`::stop-commands::`, `::add-mask::`...): text from
// outside must never be able to start a line there.

/** Characters that change how text displays without being seen: bidirectional controls and zero-width characters. */
const INVISIBLE_RE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g

/**
 * Untrusted text as part of one line of the step's log: control characters (newlines included) and
 * invisible characters are written as visible escapes (`\n`, `\u202e`), so the text stays on the line
 * it was put in; then cut to `maxChars`, never inside a surrogate pair.
 */
export function inline(text: string, maxChars = 300): string {
  const escaped = JSON.stringify(text)
    .slice(1, -1)
    .replace(/\\"/g, '"')
    .replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)
    .replace(INVISIBLE_RE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  return cut(escaped, maxChars)
}

/** `text` shortened to at most `maxChars` UTF-16 units plus an ellipsis, never splitting a surrogate pair. */
export function cut(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text
  let end = maxChars
  const code = text.charCodeAt(end - 1)
  if (code >= 0xd800 && code <= 0xdbff) end-- // a high surrogate whose pair would be cut off
  return `${text.slice(0, end)}…`
}
