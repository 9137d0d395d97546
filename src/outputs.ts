// Pure: the log as it is written to the step outputs. GitHub keeps at most 1 MiB of outputs per job,
// and each text field of the log is written twice (as its own output and inside `log`), so a log with
// a head of a few MB would write several MB. Every text field is cut to a bounded size, with a visible
// marker, before it is written; `log` stays valid JSON because it is serialised after the cut.
import type { LogDetail } from './log.js'

/** The most one text field may take in an output, counted as its UTF-8 bytes or its JSON escapes, whichever is more. */
export const MAX_OUTPUT_FIELD_BYTES = 16 * 1024

/** Room kept for the marker, so that a cut field with its marker stays within the limit. */
const MARKER_ROOM_BYTES = 48

/** What one UTF-16 unit costs in an output: its UTF-8 bytes, or its escape in `log` (`\n`, `\u0000`, a lone surrogate). */
function unitCost(text: string, i: number): number {
  const code = text.charCodeAt(i)
  if (code < 0x20) return code === 0x08 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d ? 2 : 6
  if (code === 0x22 || code === 0x5c) return 2
  if (code < 0x80) return 1
  if (code < 0x800) return 2
  if (code >= 0xd800 && code <= 0xdbff) {
    const next = text.charCodeAt(i + 1)
    return next >= 0xdc00 && next <= 0xdfff ? 2 : 6 // a pair is 4 bytes of UTF-8; a lone half is escaped
  }
  if (code >= 0xdc00 && code <= 0xdfff) {
    const previous = text.charCodeAt(i - 1)
    return previous >= 0xd800 && previous <= 0xdbff ? 2 : 6
  }
  return 3
}

/**
 * `text` unchanged when it fits in `maxBytes`; otherwise its beginning, never split inside a surrogate
 * pair, and `…[cut: N more characters]`.
 */
export function cutForOutput(text: string, maxBytes = MAX_OUTPUT_FIELD_BYTES): string {
  if (text.length * 6 <= maxBytes) return text // no unit costs more than 6
  const budget = maxBytes - MARKER_ROOM_BYTES
  let cost = 0
  let end = -1
  for (let i = 0; i < text.length; i++) {
    cost += unitCost(text, i)
    if (end < 0 && cost > budget) end = i
    if (cost > maxBytes) break
  }
  if (cost <= maxBytes) return text
  const code = text.charCodeAt(end - 1)
  if (end > 0 && code >= 0xd800 && code <= 0xdbff) end-- // the high half of a pair whose low half would be cut off
  return `${text.slice(0, end)}…[cut: ${text.length - end} more characters]`
}

/** The log with every text field cut for the outputs; numbers and booleans are short already. */
export function logForOutputs(log: LogDetail): LogDetail {
  return Object.fromEntries(
    Object.entries(log).map(([name, value]) => [name, typeof value === 'string' ? cutForOutput(value) : value])
  ) as unknown as LogDetail
}
