// The event file the runner wrote (GITHUB_EVENT_PATH), read defensively: whoever triggered the run
// shapes much of it, and a file that is missing, not JSON or not an object is a problem to report,
// never a throw. Read here rather than through @actions/github's context, which parses it as it loads
// and throws on a malformed file.
import { readFileSync } from 'node:fs'

export function readEvent(
  path: string | undefined
): { payload: Record<string, unknown> } | { problem: string } {
  if (!path) return { problem: 'GITHUB_EVENT_PATH is not set' }
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return { problem: 'the event file (GITHUB_EVENT_PATH) could not be read' }
  }
  let payload: unknown
  try {
    payload = JSON.parse(text)
  } catch {
    return { problem: 'the event file (GITHUB_EVENT_PATH) is not JSON' }
  }
  if (
    typeof payload !== 'object' ||
    payload === null ||
    Array.isArray(payload)
  ) {
    return {
      problem: 'the event file (GITHUB_EVENT_PATH) is not a JSON object'
    }
  }
  return { payload: payload as Record<string, unknown> }
}
