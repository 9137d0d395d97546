// The selection inputs: exactly one mode (log-id, log-ids, or a run and/or a time window read through
// the list endpoint), its values read into typed ones (the window in window.ts, filters in filters.ts).
// What the API makes of them (the list query, the rows re-checked) is cloudflare/query.ts and
// sources/match.ts.
import { quoted } from '../text/escape.js'
import { INPUT, type RawInputs } from './names.js'
import { idInput, Problems } from './problems.js'
import { MAX_ID_LENGTH } from './problems.js'
import { parseWindow, type TimeWindow } from './window.js'
import { type LogFilter, parseFilters } from './filters.js'

/** Input names, as action.yml spells them (quoted in problems). */
const LOG_IDS = 'log-ids'

/**
 * `log-ids`: ids separated by newlines, commas or spaces; repeated ids count once, in the order first
 * given, with the first spelling. Repeats are found ignoring case: the API finds a log by its id
 * whatever the case (`abcdef` and `ABCDEF` are the same call, and fetchLog accepts either spelling
 * back), so counting both would gate one call twice. Each id is checked as `log-id` is: at most 256
 * characters and not only dots (`.` and `..` cannot stay one path segment, whatever the encoding).
 */
export function parseLogIds(value: string): {
  ids: string[]
  problems: string[]
} {
  const ids: string[] = []
  const problems: string[] = []
  const seen = new Set<string>()
  for (const id of value.split(/[\s,]+/)) {
    const folded = id.toLowerCase()
    if (id === '' || seen.has(folded)) continue
    seen.add(folded)
    if (id.length > MAX_ID_LENGTH)
      problems.push(
        `${LOG_IDS} has an id longer than ${MAX_ID_LENGTH} characters: ${quoted(id)}`
      )
    else if (/^\.+$/.test(id))
      problems.push(`${LOG_IDS} has ${quoted(id)}, which is not an id`)
    else ids.push(id)
  }
  if (ids.length === 0 && problems.length === 0) {
    problems.push(
      `${LOG_IDS} ${quoted(value)} has no ids (separate them with newlines, commas or spaces)`
    )
  }
  return { ids, problems }
}

/** Which calls the gate reads: exactly one mode. */
export type Selection =
  | { kind: 'log'; logId: string }
  | { kind: 'logs'; logIds: string[] }
  | {
      kind: 'list'
      run: { key: string; value: string } | null
      window: TimeWindow | null
      filters: LogFilter[]
    }

const SELECTION_INPUTS = [
  INPUT.logId,
  INPUT.logIds,
  INPUT.runId,
  INPUT.since
] as const

/**
 * Exactly one way of selecting calls: `log-id`, `log-ids`, or a list selection (`run-id`, `since`,
 * or both: the run narrowed to a window). `until`, `filters` and `run-id-key` refine a list selection.
 */
export function parseSelection(
  raw: RawInputs,
  problems: Problems,
  nowMs: number
): Selection | undefined {
  const set = SELECTION_INPUTS.filter((name) => raw[name] !== '')
  const modes = new Set(
    set.map((name) =>
      name === INPUT.runId || name === INPUT.since ? 'list' : name
    )
  )
  if (set.length === 0) {
    problems.add(
      `${INPUT.logId} is required (the cf-aig-log-id response header of the call), or select calls with ${INPUT.logIds}, ${INPUT.runId} (an eval run) or ${INPUT.since} (a time window)`
    )
    return undefined
  }
  if (modes.size > 1) {
    problems.add(
      `${set.join(' and ')} are different ways to select calls: set one of them (${INPUT.runId} and ${INPUT.since} go together)`
    )
    return undefined
  }
  const listOnly = [INPUT.until, INPUT.filters].filter(
    (name) => raw[name] !== ''
  )
  if (!modes.has('list') && listOnly.length > 0) {
    problems.add(
      `${listOnly.join(' and ')} refine${listOnly.length === 1 ? 's' : ''} ${INPUT.runId} or ${INPUT.since}, not ${set[0]}`
    )
  }

  if (!modes.has('list') && raw[INPUT.runIdKey])
    problems.ignored(
      INPUT.runIdKey,
      `it names the metadata key of ${INPUT.runId}, not of ${set[0]}`
    )
  if (modes.has(INPUT.logId))
    return {
      kind: 'log',
      logId: idInput(raw, problems, INPUT.logId, MAX_ID_LENGTH, '')
    }
  if (modes.has(INPUT.logIds)) {
    const parsed = parseLogIds(raw[INPUT.logIds])
    problems.addAll(parsed.problems)
    return { kind: 'logs', logIds: parsed.ids }
  }

  const run = parseRun(raw, problems)
  if (raw[INPUT.until] && !raw[INPUT.since])
    problems.add(
      `${INPUT.until} ends a window that ${INPUT.since} starts: set ${INPUT.since} too`
    )
  const window = parseWindow(raw[INPUT.since], raw[INPUT.until], nowMs)
  problems.addAll(window.problems)
  const filters = parseFilters(raw[INPUT.filters])
  problems.addAll(filters.problems)
  return { kind: 'list', run, window: window.window, filters: filters.filters }
}

/** `run-id` and its metadata key (`run_id` when not set); null when the calls are selected by window alone. */
function parseRun(
  raw: RawInputs,
  problems: Problems
): { key: string; value: string } | null {
  if (raw[INPUT.runId]) {
    const key = raw[INPUT.runIdKey] || 'run_id'
    if (key.length > MAX_ID_LENGTH)
      problems.bad(
        INPUT.runIdKey,
        key,
        `is longer than ${MAX_ID_LENGTH} characters`
      )
    if (raw[INPUT.runId].length > MAX_ID_LENGTH)
      problems.bad(
        INPUT.runId,
        raw[INPUT.runId],
        `is longer than ${MAX_ID_LENGTH} characters`
      )
    return { key, value: raw[INPUT.runId] }
  }
  if (raw[INPUT.runIdKey]) {
    problems.ignored(
      INPUT.runIdKey,
      `it names the metadata key of ${INPUT.runId}, which is not set (the calls are selected with ${INPUT.since})`
    )
  }
  return null
}
