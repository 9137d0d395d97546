// Markdown cut to fit where it goes (a job summary, a comment), at a line end so no table row or
// code fence is split mid-line, with a note that it was cut.
import { prefix } from './escape.js'

/** Shortens markdown to `maxChars`, with a visible note, at a line break so no table row is cut. */
export function truncateMarkdown(
  markdown: string,
  maxChars: number,
  note: string
): string {
  if (markdown.length <= maxChars) return markdown
  const suffix = `\n\n_${note}_\n`
  const room = Math.max(0, maxChars - suffix.length)
  const lineEnd = markdown.lastIndexOf('\n', room)
  return `${lineEnd > 0 ? markdown.slice(0, lineEnd) : prefix(markdown, room)}${suffix}`
}
