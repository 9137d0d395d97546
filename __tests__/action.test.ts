// action.yml is the contract users read: its inputs and outputs must be exactly what the code reads
// and writes, and its runtime the one the tests run on.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { INPUT } from '../src/config.js'
import { LOG_FIELDS } from '../src/log.js'
import { OUTPUT } from '../src/main.js'

const actionYml = readFileSync(new URL('../action.yml', import.meta.url), 'utf8')

/** The keys of a top-level section (`inputs:` or `outputs:`), each with its description. */
function section(name: string): Map<string, string> {
  const body = actionYml.split(new RegExp(`^${name}:\\n`, 'm'))[1]?.split(/^\S/m)[0] ?? ''
  const entries = new Map<string, string>()
  for (const block of body.split(/^ {2}(?=[a-z])/m).slice(1)) {
    const key = block.slice(0, block.indexOf(':'))
    entries.set(key, /description:\s*(?:>-\s*)?(\S[\s\S]*?)(?:\n {4}\S|$)/.exec(block)?.[1] ?? '')
  }
  return entries
}

describe('action.yml', () => {
  it('declares exactly the inputs the code reads, each described', () => {
    const inputs = section('inputs')
    expect([...inputs.keys()].sort()).toEqual(Object.values(INPUT).sort())
    for (const [name, description] of inputs) expect([name, description.length > 10]).toEqual([name, true])
  })

  it('declares exactly the outputs the code writes: result, passed, failures, log, markdown, comment, and all 25 log fields', () => {
    const outputs = section('outputs')
    const written = [...Object.values(OUTPUT), ...LOG_FIELDS.map((f) => f.output)]
    expect(LOG_FIELDS).toHaveLength(25)
    expect([...outputs.keys()].sort()).toEqual(written.sort())
    for (const [name, description] of outputs) expect([name, description.length > 5]).toEqual([name, true])
  })

  it('runs dist/index.js on node24, and the tests run on Node 24 too', () => {
    expect(actionYml).toMatch(/^runs:\n {2}using: node24\n {2}main: dist\/index\.js$/m)
    expect(process.versions.node.split('.')[0]).toBe('24')
  })

  it('defaults github-token to the workflow token and keeps the documented defaults', () => {
    expect(actionYml).toContain("default: ${{ github.token }}")
    expect(actionYml).toMatch(/ {2}api-url:[\s\S]*?default: https:\/\/api\.cloudflare\.com\/client\/v4/)
    expect(actionYml).toMatch(/ {2}comment:[\s\S]*?default: 'off'/)
  })
})

describe('dist/', () => {
  it('keeps Octokit out of the entry bundle: it is loaded only when a comment is to be written', () => {
    const entry = readFileSync(new URL('../dist/index.js', import.meta.url), 'utf8')
    expect(entry).not.toMatch(/@octokit\/|getOctokit|issue_number/)
    expect(entry).toMatch(/__nccwpck_require__\.e\(\d+\)/) // the comment chunk, imported on demand
  })

  it('keeps the OIDC client and undici out of the entry bundle (src/runner.ts says why)', () => {
    const entry = readFileSync(new URL('../dist/index.js', import.meta.url), 'utf8')
    expect(entry).not.toMatch(/OidcClient|ACTIONS_ID_TOKEN_REQUEST_URL|ProxyAgent/)
    expect(entry.length).toBeLessThan(200_000)
  })
})
