// Pure: the baseline inputs. Which run a run is compared with (a run id given as an input, the newest
// completed run of the same workflow on the pull request's base branch, or the window just before this
// one), and whether a missing baseline is an error. What `base-branch` needs from the runner and the
// event is base-branch.ts; asking GitHub is github/runs.ts; reading the baseline's calls is
// sources/baseline.ts.
import { type Selection } from './selection.js'
import { INPUT, type RawInputs } from './names.js'
import { booleanInput, MAX_ID_LENGTH, Problems, quote } from './problems.js'
import {
  BASE_BRANCH,
  parseBaseBranch,
  PULL_REQUEST_EVENTS,
  type BaseBranchLookup
} from './base-branch.js'
import { type Threshold } from './threshold-terms.js'

export type BaselineSource =
  | { kind: 'run-id'; value: string }
  | { kind: 'base-branch'; lookup: BaseBranchLookup }
  /** The window of the same length just before this one (`since` to `until`), read by the same source. */
  | { kind: 'previous-window' }

export interface BaselineConfig {
  source: BaselineSource
  /** `baseline-required`: a missing baseline is an error instead of a warning. */
  required: boolean
}

export const PREVIOUS_WINDOW = 'previous-window'
/**
 * The event on which a breached threshold against the baseline is a warning, never a failure: with
 * `base-branch`, any event other than a pull request's (a push to main, a schedule). The change was
 * reviewed in its pull request; failing the branch for it would only make every later run compare with
 * an older and older run. Undefined when thresholds keep their level: on a pull request, and with an
 * explicit `baseline-run-id`.
 */
export function baselineWarnsOn(source: BaselineSource): string | undefined {
  if (source.kind !== 'base-branch') return undefined
  const { eventName } = source.lookup
  return PULL_REQUEST_EVENTS.has(eventName) ? undefined : eventName
}

/** The input that selected calls, for a message that says what the baseline cannot go with. */
function selectionInput(selection: Selection): string {
  return selection.kind === 'log'
    ? INPUT.logId
    : selection.kind === 'logs'
      ? INPUT.logIds
      : INPUT.since
}

/**
 * `baseline-run-id` or `baseline: base-branch`, and `baseline-required`. Setting either asks for the
 * comparison: the report shows it and the baseline outputs are set, so the baseline is read whenever one
 * is set (and the run itself was read). A threshold that compares with the baseline needs one of them.
 * A baseline is another eval run, read as this one is: it needs `run-id`.
 */
export function parseBaseline(
  raw: RawInputs,
  problems: Problems,
  env: NodeJS.ProcessEnv,
  selection: Selection | undefined,
  thresholds: readonly Threshold[]
): BaselineConfig | null {
  const explicit = raw[INPUT.baselineRunId]
  const mode = raw[INPUT.baseline]
  const required = booleanInput(raw, problems, INPUT.baselineRequired, false)
  const modeName = mode.toLowerCase()
  if (mode && modeName !== BASE_BRANCH && modeName !== PREVIOUS_WINDOW) {
    problems.bad(
      INPUT.baseline,
      mode,
      `is not ${BASE_BRANCH} or ${PREVIOUS_WINDOW} (to name the run to compare with, use ${INPUT.baselineRunId})`
    )
  }
  if (!explicit && !mode) {
    noBaselineNamed(problems, required, thresholds)
    return null
  }
  if (explicit && mode) {
    problems.add(
      `${INPUT.baselineRunId} and ${INPUT.baseline} both name the run to compare with: set one of them`
    )
    return null
  }
  const name = explicit ? INPUT.baselineRunId : INPUT.baseline
  if (!selection) return null
  if (!explicit && modeName === PREVIOUS_WINDOW) {
    if (selection.kind !== 'list' || selection.window?.sinceMs == null) {
      problems.add(
        `${INPUT.baseline}: ${PREVIOUS_WINDOW} compares a time window with the one just before it, so it needs ${INPUT.since}${selection.kind === 'list' ? '' : `, not ${selectionInput(selection)}`}`
      )
      return null
    }
    return { source: { kind: 'previous-window' }, required }
  }
  const runIdValue =
    selection.kind === 'list' ? selection.run?.value : undefined
  if (runIdValue === undefined) {
    problems.add(
      `${name} compares an eval run with another, so it needs ${INPUT.runId}, not ${selectionInput(selection)}`
    )
    return null
  }
  if (explicit) {
    checkBaselineRunId(problems, explicit, runIdValue)
    return { source: { kind: 'run-id', value: explicit }, required }
  }
  if (mode.toLowerCase() !== BASE_BRANCH) return null
  const lookup = parseBaseBranch(raw, problems, env, runIdValue)
  return lookup ? { source: { kind: 'base-branch', lookup }, required } : null
}

/** No baseline named: `baseline-required` and the thresholds that compare with one are input errors. */
function noBaselineNamed(
  problems: Problems,
  required: boolean,
  thresholds: readonly Threshold[]
): void {
  const either = `set ${INPUT.baselineRunId}, or ${INPUT.baseline}: ${BASE_BRANCH} or ${PREVIOUS_WINDOW}`
  if (required)
    problems.add(
      `${INPUT.baselineRequired} asks for a baseline that is not named: ${either}`
    )
  for (const t of thresholds.filter((t) => t.limit.kind === 'baseline')) {
    problems.add(
      `${t.input} ${quote(t.source)} compares with the baseline: ${either}`
    )
  }
}

/** `baseline-run-id`: an id of the API's length, and not the run itself. */
function checkBaselineRunId(
  problems: Problems,
  explicit: string,
  runIdValue: string
): void {
  if (explicit.length > MAX_ID_LENGTH)
    problems.bad(
      INPUT.baselineRunId,
      explicit,
      `is longer than ${MAX_ID_LENGTH} characters`
    )
  else if (explicit === runIdValue)
    problems.bad(
      INPUT.baselineRunId,
      explicit,
      `is the run itself (${INPUT.runId})`
    )
}
