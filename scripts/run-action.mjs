// Runs the built action (dist/index.js) exactly as a GitHub runner does: inputs as INPUT_* variables
// (hyphens kept, upper-cased), outputs and the job summary through the GITHUB_OUTPUT and
// GITHUB_STEP_SUMMARY files. Shared by `npm run demo`, `npm run bench` and the end-to-end tests.
import { spawn } from 'node:child_process'
import {
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ACTION_PATH = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'dist',
  'index.js'
)

/** Parses a GITHUB_OUTPUT file (`name<<delimiter` blocks, or `name=value` lines). */
export function parseOutputFile(text) {
  const outputs = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name, delimiter] = heredoc
      const value = []
      while (++i < lines.length && lines[i] !== delimiter) value.push(lines[i])
      outputs[name] = value.join('\n')
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(
        line.indexOf('=') + 1
      )
    }
  }
  return outputs
}

/**
 * @param {Record<string, string>} inputs input name -> value (e.g. { 'log-id': 'x' })
 * @param {{ env?: Record<string, string>, summary?: boolean, node?: string, timeoutMs?: number }} options
 */
export async function runAction(inputs, options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'ai-gateway-gate-'))
  const outputFile = join(dir, 'output')
  const summaryFile = join(dir, 'summary')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const env = {
    PATH: process.env.PATH ?? '',
    GITHUB_OUTPUT: outputFile,
    ...(options.summary === false ? {} : { GITHUB_STEP_SUMMARY: summaryFile }),
    ...options.env
  }
  for (const [name, value] of Object.entries(inputs))
    env[`INPUT_${name.toUpperCase()}`] = value
  const started = process.hrtime.bigint()
  const child = spawn(options.node ?? process.execPath, [ACTION_PATH], {
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d))
  const killer = setTimeout(
    () => child.kill('SIGKILL'),
    options.timeoutMs ?? 60_000
  )
  const code = await new Promise((resolve) =>
    child.on('close', (c) => resolve(c))
  )
  clearTimeout(killer)
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6
  const result = {
    code,
    stdout,
    stderr,
    wallMs,
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    outputBytes: statSync(outputFile).size,
    summary: readFileSync(summaryFile, 'utf8')
  }
  rmSync(dir, { recursive: true, force: true })
  return result
}
