// Pure: one markdown report, used for the job summary, the `markdown` output and the PR comment.
// Every value that comes from the log is written by whoever made the LLM call, so it is untrusted:
// it is escaped so that it cannot add HTML, links, images or mentions, break a table or a code span,
// it is shortened without splitting a character, and characters that change how text displays
// without being seen (bidirectional controls, zero-width characters) are shown as escapes.
import type { Check } from './checks.js'
import { cut, jsonText, prefix, showInvisible } from './escape.js'
import { formatNumber, type LogDetail } from './log.js'

export interface Location {
  accountId: string
  gatewayId: string
  logId: string
}

export type Outcome =
  | { kind: 'checked'; log: LogDetail; checks: Check[]; failOnBreach: boolean }
  | { kind: 'error'; message: string }

export const REPORT_TITLE = 'AI Gateway gate'
/** A value longer than this is shortened in the report. */
export const MAX_VALUE_CHARS = 200
const MAX_METADATA_ENTRIES = 20

/**
 * Untrusted text as inert markdown: HTML entities for `<>&`, backslash escapes for the markdown
 * punctuation that makes links, images, emphasis, tables, code spans and autolinks (`:/`, `www.`), whitespace
 * folded to one line, and a zero-width space after `@` so that no one is mentioned. Values never start
 * a line, so `-`, `+` and `1.` need no escape. Invisible characters become `\u202e`-style escapes (their
 * backslash escaped in turn, so the escape is what the reader sees), after the cut, so none is cut in half.
 */
export function escapeText(value: string, maxChars = MAX_VALUE_CHARS): string {
  // eslint-disable-next-line no-control-regex
  const text = cut(value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim(), maxChars)
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
function cell(value: unknown): string {
  if (value === undefined || value === null || value === '') return '—'
  if (typeof value === 'number') return formatNumber(value)
  return escapeText(String(value))
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}

function verdict(outcome: Outcome): string {
  if (outcome.kind === 'error') return `### ⚠️ ${REPORT_TITLE}: error`
  const failed = outcome.checks.filter((c) => !c.passed).length
  const total = outcome.checks.length
  const of = `${failed === 0 ? total : failed} of ${total} check${total === 1 ? '' : 's'}`
  if (failed === 0) return `### ✅ ${REPORT_TITLE}: passed${total > 0 ? ` (${of})` : ' (no limits set)'}`
  if (!outcome.failOnBreach) return `### ⚠️ ${REPORT_TITLE}: limits breached, ${of} (warnings only: fail-on-breach is false)`
  return `### ❌ ${REPORT_TITLE}: failed, ${of}`
}

function checksTable(checks: Check[]): string {
  if (checks.length === 0) return '_No limits were set: nothing was checked._'
  return table(
    ['Check', 'Actual', 'Limit', 'Status'],
    checks.map((c) => [
      c.field.replace('_', '-'),
      c.actual,
      `${c.field === 'success' || c.field === 'status_code' ? '' : '≤ '}${c.limit}`,
      c.passed ? '✅ pass' : '❌ fail'
    ])
  )
}

function callTable(log: LogDetail): string {
  const tokens =
    log.tokens_in === null && log.tokens_out === null
      ? '—'
      : `${cell(log.tokens_in)} in / ${cell(log.tokens_out)} out`
  const rows: [string, string][] = [
    ['Model', cell(log.model)],
    ['Provider', cell(log.provider)],
    ['Status code', cell(log.status_code)],
    ['Success', cell(log.success)],
    ['Cached', cell(log.cached)],
    ['Tokens', tokens],
    ['Cost', log.cost === undefined ? '—' : `${formatNumber(log.cost)} USD${log.custom_cost ? ' (custom cost)' : ''}`],
    ['Duration', `${formatNumber(log.duration)} ms`],
    ['Created at', cell(log.created_at)],
    ['Step', cell(log.step)]
  ]
  return table(['Call', ''], rows.map(([k, v]) => [`**${k}**`, v]))
}

/** Metadata as key/value rows when it is a JSON object; otherwise the raw text, escaped. */
function metadataSection(metadata: string | undefined): string | undefined {
  if (metadata === undefined || metadata.trim() === '') return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(metadata)
  } catch {
    parsed = undefined
  }
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
    const entries = Object.entries(parsed)
    if (entries.length === 0) return undefined
    const rows = entries
      .slice(0, MAX_METADATA_ENTRIES)
      .map(([k, v]) => [escapeText(k, 60), cell(typeof v === 'object' && v !== null ? (jsonText(v) ?? '(nested too deeply to show)') : v)])
    const more = entries.length > MAX_METADATA_ENTRIES ? `\n\n_…and ${entries.length - MAX_METADATA_ENTRIES} more entries._` : ''
    return `${table(['Metadata', ''], rows)}${more}`
  }
  return `**Metadata:** ${escapeText(metadata)}`
}

function locationLine(where: Partial<Location>): string {
  const part = (label: string, value: string | undefined): string | undefined =>
    value ? `${label} ${escapeText(value, 80)}` : undefined
  const parts = [part('log', where.logId), part('gateway', where.gatewayId), part('account', where.accountId)].filter(Boolean)
  return parts.length > 0
    ? `<sub>Cloudflare AI Gateway ${parts.join(' · ')} (dashboard: AI › AI Gateway › Logs)</sub>`
    : ''
}

export function renderReport(outcome: Outcome, where: Partial<Location>): string {
  const parts: string[] = [verdict(outcome)]
  if (outcome.kind === 'error') {
    parts.push(escapeText(outcome.message, 2000))
  } else {
    const failed = outcome.checks.filter((c) => !c.passed)
    if (failed.length > 0) parts.push(failed.map((c) => `- ${escapeText(c.message)}`).join('\n'))
    parts.push(checksTable(outcome.checks))
    parts.push(callTable(outcome.log))
    const metadata = metadataSection(outcome.log.metadata)
    if (metadata) parts.push(metadata)
  }
  const location = locationLine(where)
  if (location) parts.push(location)
  return `${parts.join('\n\n')}\n`
}

/** Shortens markdown to `maxChars`, with a visible note, at a line break so no table row is cut. */
export function truncateMarkdown(markdown: string, maxChars: number, note: string): string {
  if (markdown.length <= maxChars) return markdown
  const suffix = `\n\n_${note}_\n`
  const room = Math.max(0, maxChars - suffix.length)
  const lineEnd = markdown.lastIndexOf('\n', room)
  return `${lineEnd > 0 ? markdown.slice(0, lineEnd) : prefix(markdown, room)}${suffix}`
}
