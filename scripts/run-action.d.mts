// Types for scripts/run-action.mjs, so that the TypeScript tests can use it.
export declare const ACTION_PATH: string
export declare function parseOutputFile(text: string): Record<string, string>
export interface ActionRun {
  code: number | null
  stdout: string
  stderr: string
  wallMs: number
  outputs: Record<string, string>
  /** The size of the GITHUB_OUTPUT file, in bytes. */
  outputBytes: number
  summary: string
}
export declare function runAction(
  inputs: Record<string, string>,
  options?: {
    env?: Record<string, string>
    summary?: boolean
    node?: string
    timeoutMs?: number
  }
): Promise<ActionRun>
