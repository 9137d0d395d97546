// How a selection of many calls is read: max-logs, expected-logs and settle, each refused when bad and
// ignored, with a warning, where the mode makes it mean nothing.
import { INPUT, type RawInputs } from './names.js'
import { secondsInput, type Problems } from './problems.js'
import type { Selection } from './selection.js'
import { parseWhole } from './units.js'

/** How a selection read through the list endpoint is read. */
export interface Reading {
  maxLogs: number
  /** Wait until at least this many calls are found; undefined: wait for the first one. */
  expectedLogs?: number
  settleMs: number
}

const MAX_SETTLE_S = 60

export const DEFAULT_MAX_LOGS = 5000

/** 200 list requests at most: Cloudflare allows 1200 requests per 5 minutes per user, shared with the dashboard. */
const MAX_MAX_LOGS = 10_000

export function parseReading(
  raw: RawInputs,
  problems: Problems,
  selection: Selection | undefined
): Reading {
  let maxLogs = DEFAULT_MAX_LOGS
  if (raw[INPUT.maxLogs]) {
    const n = parseWhole(raw[INPUT.maxLogs])
    if (n === undefined || n < 1 || n > MAX_MAX_LOGS)
      problems.bad(
        INPUT.maxLogs,
        raw[INPUT.maxLogs],
        `is not a whole number from 1 to ${MAX_MAX_LOGS}`
      )
    else maxLogs = n
  }
  if (selection?.kind === 'logs' && selection.logIds.length > maxLogs) {
    problems.add(
      `${INPUT.logIds} has ${selection.logIds.length} ids, more than ${INPUT.maxLogs} (${maxLogs})`
    )
  }
  const reading: Reading = { maxLogs, settleMs: 5000 }
  // Values are still checked where they are ignored: a typo is a typo in every mode.
  if (selection?.kind === 'log' && raw[INPUT.maxLogs])
    problems.ignored(
      INPUT.maxLogs,
      `it applies to ${INPUT.runId}, ${INPUT.since} or ${INPUT.logIds}, not ${INPUT.logId}`
    )
  if (selection && selection.kind !== 'list') {
    const mode = selection.kind === 'log' ? INPUT.logId : INPUT.logIds
    for (const name of [INPUT.expectedLogs, INPUT.settle])
      if (raw[name])
        problems.ignored(
          name,
          `it applies to ${INPUT.runId} or ${INPUT.since}, not ${mode}`
        )
  }
  if (raw[INPUT.expectedLogs]) {
    const n = parseWhole(raw[INPUT.expectedLogs])
    if (n === undefined || n > maxLogs)
      problems.bad(
        INPUT.expectedLogs,
        raw[INPUT.expectedLogs],
        `is not a whole number from 0 to ${INPUT.maxLogs} (${maxLogs})`
      )
    else reading.expectedLogs = n
  }
  reading.settleMs = secondsInput(
    raw,
    problems,
    INPUT.settle,
    5,
    0,
    MAX_SETTLE_S
  )
  return reading
}
