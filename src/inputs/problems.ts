// Shared by every group of inputs: the one error that names every bad input, the collector of problems
// and warnings, and the readers of the value shapes several groups share (booleans, seconds, ids).
import { cut } from '../text/escape.js'
import type { InputName, RawInputs } from './names.js'
import { parseSecondsMs } from './units.js'

/** Ids (a log's, an account's, a run's) longer than this are not ids: ULIDs are 26 characters. */
export const MAX_ID_LENGTH = 256

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid input${problems.length > 1 ? 's' : ''}: ${problems.join('; ')}`
    )
    this.name = 'ConfigError'
  }
}

/** Quote a user value in an error message: JSON quoting keeps control characters visible and on one line. */
export function quote(value: string): string {
  return JSON.stringify(cut(value, 80))
}

/** The problems found so far, and the ways of adding one; and the warnings, which stop nothing. */
export class Problems {
  readonly list: string[] = []
  readonly warnings: string[] = []
  add(problem: string): void {
    this.list.push(problem)
  }
  /** An input set where it means nothing: `settle is ignored: it applies to run-id or since, not log-ids`. */
  ignored(name: InputName, why: string): void {
    this.warnings.push(`${name} is ignored: ${why}`)
  }
  /** `max-cost "abc" is not an amount`. Never called with a secret's value. */
  bad(name: InputName, value: string, why: string): void {
    this.list.push(`${name} ${quote(value)} ${why}`)
  }
  addAll(problems: readonly string[]): void {
    this.list.push(...problems)
  }
}

/** GitHub's own boolean spellings (core.getBooleanInput); anything else is an error, never a quiet `false`. */
export function parseBoolean(value: string): boolean | undefined {
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  return undefined
}

export function booleanInput(
  raw: RawInputs,
  problems: Problems,
  name: InputName,
  fallback: boolean
): boolean {
  const value = raw[name]
  if (!value) return fallback
  const parsed = parseBoolean(value)
  if (parsed === undefined)
    problems.bad(name, value, 'is not a boolean (true or false)')
  return parsed ?? fallback
}

export function secondsInput(
  raw: RawInputs,
  problems: Problems,
  name: InputName,
  fallbackS: number,
  minMs: number,
  maxS: number
): number {
  const value = raw[name]
  if (!value) return fallbackS * 1000
  const parsed = parseSecondsMs(value)
  if ('error' in parsed || parsed.ms < minMs || parsed.ms > maxS * 1000) {
    problems.bad(
      name,
      value,
      `is not a number of seconds from ${minMs / 1000} to ${maxS} (e.g. 30, 45s, 1m)`
    )
    return fallbackS * 1000
  }
  return parsed.ms
}

/** `.` and `..` cannot stay one path segment: URL parsers read %2E%2E as `..` and would address another endpoint. */
export function idInput(
  raw: RawInputs,
  problems: Problems,
  name: InputName,
  maxLength: number,
  missing: string
): string {
  const value = raw[name]
  if (!value) problems.add(`${name} is required${missing}`)
  else if (value.length > maxLength)
    problems.bad(name, value, `is longer than ${maxLength} characters`)
  else if (/^\.+$/.test(value)) problems.bad(name, value, 'is not an id')
  return value
}
