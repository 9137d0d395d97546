// src/runner.ts re-creates @actions/core's input, output and annotation functions from its own modules
// (to skip the OIDC client it would load too): check that both write exactly the same.
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as core from '@actions/core'
import * as runner from '../src/runner.js'
import { parseOutputFile } from '../scripts/run-action.mjs'

type Impl = typeof runner | typeof core

let dir: string
let written: string[]
const savedEnv = { ...process.env }

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'runner-test-'))
  written = []
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk))
    return true
  })
})
afterEach(() => {
  jest.restoreAllMocks()
  rmSync(dir, { recursive: true, force: true })
  process.env = { ...savedEnv }
  process.exitCode = undefined
})

/** What one implementation prints for a sequence of calls. */
function printed(impl: Impl, calls: (impl: Impl) => void): string {
  written = []
  calls(impl)
  return written.join('')
}

const awkward = 'line 1\nline 2\r\n100% done, a:b, x,y ::notice::no'

describe('runner matches @actions/core', () => {
  it.each([
    ['setSecret', (i: Impl) => i.setSecret(awkward)],
    ['info', (i: Impl) => i.info(awkward)],
    ['debug', (i: Impl) => i.debug(awkward)],
    ['warning with a title', (i: Impl) => i.warning(awkward, { title: 'AI Gateway gate: a,b:c' })],
    ['error', (i: Impl) => i.error(awkward)],
    ['setFailed', (i: Impl) => i.setFailed(awkward)]
  ])('%s prints the same command', (_name, calls) => {
    const ours = printed(runner, calls)
    const theirs = printed(core, calls)
    expect(ours).toBe(theirs)
    expect(ours.length).toBeGreaterThan(0)
  })

  it('setFailed sets the exit code to 1, as core does', () => {
    printed(runner, (i) => i.setFailed('x'))
    expect(process.exitCode).toBe(1)
  })

  it('reads inputs the same way: INPUT_ upper-cased, spaces as underscores, trimmed', () => {
    process.env['INPUT_API-TOKEN'] = '  tok  '
    process.env.INPUT_MY_INPUT = 'v'
    for (const name of ['api-token', 'my input', 'missing']) expect(runner.getInput(name)).toBe(core.getInput(name))
    expect(runner.getInput('api-token')).toBe('tok')
  })

  it('writes outputs to GITHUB_OUTPUT that read back the same, multi-line values included', () => {
    const values: Record<string, string> = { result: 'pass', markdown: '### title\n\n| a | b |\n', empty: '' }
    const read = (impl: Impl): Record<string, string> => {
      const file = join(dir, `output-${impl === runner ? 'runner' : 'core'}`)
      writeFileSync(file, '')
      process.env.GITHUB_OUTPUT = file
      for (const [name, value] of Object.entries(values)) impl.setOutput(name, value)
      return parseOutputFile(readFileSync(file, 'utf8'))
    }
    expect(read(runner)).toEqual(values)
    expect(read(runner)).toEqual(read(core))
  })

  it('appends to the job summary through core\'s own summary', async () => {
    const file = join(dir, 'summary')
    writeFileSync(file, '')
    process.env.GITHUB_STEP_SUMMARY = file
    await runner.summary.addRaw('### hello', true).write()
    expect(readFileSync(file, 'utf8')).toBe('### hello\n')
  })
})
