// The runner's protocol (inputs, outputs, masks, annotations, the job summary), from @actions/core's
// own modules. Why not `import * as core from '@actions/core'`: its entry module also loads the OIDC
// client, and with it @actions/http-client and undici, ~1 MB that a gate never uses. Measured on Node
// 24: a bundle that only imports @actions/core starts in ~57 ms, an empty script in ~22 ms, the whole
// floor for the gate's GET (issue #5's B) in ~53 ms. So the files that hold the protocol are imported
// directly (their package "exports" lists only the entry, hence the relative path); the functions
// below are @actions/core's, line for line, and __tests__/runner.test.ts checks them against it.
import * as os from 'node:os'
import { issueCommand } from '../node_modules/@actions/core/lib/command.js'
import { issueFileCommand, prepareKeyValueMessage } from '../node_modules/@actions/core/lib/file-command.js'
import { toCommandProperties } from '../node_modules/@actions/core/lib/utils.js'
export { summary } from '../node_modules/@actions/core/lib/summary.js'

export const ExitCode = { Success: 0, Failure: 1 } as const

export interface AnnotationProperties {
  title?: string
}

/** An input as GitHub passes it: INPUT_<NAME>, spaces as underscores, trimmed; '' when unset. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '').trim()
}

export function setSecret(secret: string): void {
  issueCommand('add-mask', {}, secret)
}

export function setOutput(name: string, value: string): void {
  if (process.env.GITHUB_OUTPUT) {
    issueFileCommand('OUTPUT', prepareKeyValueMessage(name, value))
    return
  }
  process.stdout.write(os.EOL)
  issueCommand('set-output', { name }, value)
}

export function info(message: string): void {
  process.stdout.write(message + os.EOL)
}

export function debug(message: string): void {
  issueCommand('debug', {}, message)
}

export function warning(message: string, properties: AnnotationProperties = {}): void {
  issueCommand('warning', toCommandProperties(properties), message)
}

export function error(message: string, properties: AnnotationProperties = {}): void {
  issueCommand('error', toCommandProperties(properties), message)
}

export function setFailed(message: string): void {
  process.exitCode = ExitCode.Failure
  error(message)
}
