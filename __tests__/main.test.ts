// run() with the runner protocol (src/runner.ts) mocked and the API client's outside world replaced: the order of what the
// step writes, and the backstop for errors that are not Errors.
import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import type { GatewayDeps, RawResponse } from '../src/gateway.js'
import { LOG } from './fixtures.js'

const calls: string[] = []
const outputs: Record<string, string> = {}
const record = (name: string) => (...args: unknown[]) => {
  calls.push(`${name}:${String(args[0])}`)
}
let inputs: Record<string, string> = {}
const summaryWrites: string[] = []

jest.unstable_mockModule('../src/runner.js', () => ({
  getInput: (name: string) => inputs[name] ?? '',
  setSecret: record('setSecret'),
  setOutput: (name: string, value: string) => {
    outputs[name] = value
    calls.push(`setOutput:${name}`)
  },
  info: record('info'),
  debug: record('debug'),
  warning: record('warning'),
  error: record('error'),
  setFailed: record('setFailed'),
  ExitCode: { Success: 0, Failure: 1 },
  summary: {
    addRaw(text: string) {
      summaryWrites.push(text)
      return this
    },
    async write() {
      calls.push('summary:write')
      return this
    }
  }
}))

const { errorMessage, failUnfinishedRun, run } = await import('../src/main.js')

const log = { ...LOG, cost: 0.75 }

function deps(send: GatewayDeps['send'], overrides: Partial<GatewayDeps> = {}) {
  return {
    env: { GITHUB_STEP_SUMMARY: '/dev/null' },
    gateway: { send, sleep: async () => undefined, now: () => 0, random: () => 0.5, debug: () => undefined, ...overrides }
  }
}
const answer = (body: unknown, status = 200): Promise<RawResponse> => Promise.resolve({ status, headers: {}, body: JSON.stringify(body) })

beforeEach(() => {
  calls.length = 0
  summaryWrites.length = 0
  for (const k of Object.keys(outputs)) delete outputs[k]
  inputs = { 'api-token': 'cf-token-SECRET-1', 'account-id': 'acc', 'gateway-id': 'gw', 'log-id': 'log-1', 'max-cost': '0.05' }
  process.exitCode = undefined
})

describe('run', () => {
  it('registers the token before anything else, and writes outputs and the summary before failing', async () => {
    await run(deps(() => answer({ success: true, result: log })))
    expect(calls[0]).toBe('setSecret:cf-token-SECRET-1')
    const lastOutput = calls.map((c) => c.startsWith('setOutput')).lastIndexOf(true)
    const summary = calls.indexOf('summary:write')
    const failure = calls.findIndex((c) => c.startsWith('error:'))
    expect(lastOutput).toBeGreaterThan(0)
    expect(summary).toBeGreaterThan(lastOutput)
    expect(failure).toBeGreaterThan(summary)
    expect(calls.filter((c) => c.startsWith('error:'))).toEqual(['error:cost 0.75 USD > max-cost 0.05 USD'])
    expect(process.exitCode).toBe(1)
    expect(outputs.result).toBe('fail')
  })

  it('fails the step on an error that is not an Error, with outputs saying result=error', async () => {
    await run(
      deps(() => answer({ success: true, result: log }), {
        now: () => {
          throw 'a string, not an Error' // eslint-disable-line no-throw-literal
        }
      })
    )
    expect(calls.filter((c) => c.startsWith('setFailed:'))).toEqual(['setFailed:Unexpected error: a string, not an Error'])
    expect(outputs.result).toBe('error')
    expect(outputs.passed).toBe('false')
    expect(calls.indexOf('summary:write')).toBeLessThan(calls.findIndex((c) => c.startsWith('setFailed:')))
  })

  it('never writes the token into outputs or the summary, even when an error message echoes it', async () => {
    await run(deps(() => answer({ success: false, errors: [{ code: 9, message: 'bad token cf-token-SECRET-1' }] }, 400)))
    const written = [...Object.values(outputs), ...summaryWrites, ...calls.filter((c) => !c.startsWith('setSecret:'))].join('\n')
    expect(written).toContain('bad token ***')
    expect(written).not.toContain('cf-token-SECRET-1')
  })

  it('makes no request when an input is bad', async () => {
    inputs['max-cost'] = 'abc'
    const send = jest.fn<GatewayDeps['send']>(() => answer({ success: true, result: log }))
    await run(deps(send))
    expect(send).not.toHaveBeenCalled()
    expect(calls.filter((c) => c.startsWith('setFailed:'))).toEqual(['setFailed:Invalid input: max-cost "abc" is not an amount in USD (e.g. 0.05 or $0.05)'])
    expect(outputs.result).toBe('error')
  })
})

describe('run: secrets in log fields', () => {
  it('scrubs a secret from log text before it is escaped for markdown, where it would no longer match', async () => {
    inputs['github-token'] = 'ghs_abc_def_SECRET'
    await run(deps(() => answer({ success: true, result: { ...log, metadata: JSON.stringify({ leaked: 'ghs_abc_def_SECRET' }) } })))
    const written = [...Object.values(outputs), ...summaryWrites].join('\n')
    expect(written).not.toContain('SECRET')
    expect(summaryWrites.join('')).toContain('| leaked | \\*\\*\\* |')
  })
})

describe('errorMessage', () => {
  it.each([
    [new Error('first line\n    at stack (file.js:1:1)'), 'first line'],
    ['a string', 'a string'],
    [42, '42'],
    [null, 'null'],
    [{ message: 'from an object' }, 'from an object'],
    [Object.create(null), 'an error that cannot be printed'],
    [new Error('\nthe first line with text'), 'the first line with text']
  ])('%p -> %p', (error, text) => {
    expect(errorMessage(error)).toBe(text)
  })
})

describe('run: many bad inputs', () => {
  it('names every one of them in the failure, however long the message', async () => {
    const long = 'x'.repeat(100)
    const bad = ['max-cost', 'max-duration', 'max-tokens-in', 'max-tokens-out', 'expected-status', 'require-success', 'fail-on-breach', 'wait-timeout', 'max-retries', 'request-timeout', 'comment']
    for (const name of bad) inputs[name] = long
    await run(deps(() => answer({ success: true, result: log })))
    const failed = calls.filter((c) => c.startsWith('setFailed:'))
    expect(failed).toHaveLength(1)
    for (const name of bad) expect(failed[0]).toContain(`${name} "${'x'.repeat(80)}…"`)
  })
})

describe('run: outputs stay small whatever the log holds', () => {
  // What `name<<delimiter` blocks take in GITHUB_OUTPUT, in UTF-8 bytes: the measure of GitHub's 1 MiB per job.
  const outputBytes = () => Object.entries(outputs).reduce((sum, [name, value]) => sum + Buffer.byteLength(`${name}<<ghadelimiter_x\n${value}\nghadelimiter_x\n`), 0)

  // Heads as the gateway records them, a JSON object of header name to value, with one very long value.
  const head = (value: string) => JSON.stringify({ 'content-type': 'application/json', 'x-trace': value })
  const everyTextField = (value: string) => ({
    ...Object.fromEntries(
      ['model', 'provider', 'path', 'model_type', 'metadata', 'request_type', 'request_content_type', 'response_content_type', 'created_at'].map((name) => [name, value])
    ),
    request_head: head(value),
    response_head: head(value)
  })

  it.each([
    ['a 3 MB head', { request_head: head('h'.repeat(3_000_000)) }],
    ['every text field 1 MB of control characters', everyTextField('\u0001'.repeat(1_000_000))],
    ['every text field 1 MB of emoji', everyTextField('😀'.repeat(500_000))]
  ])('writes under 1 MiB in all for %s, with the head cut visibly and `log` valid JSON', async (_name, fields) => {
    inputs['max-cost'] = '1'
    await run(deps(() => answer({ success: true, result: { ...log, ...fields } })))
    expect(outputs.result).toBe('pass')
    expect(outputBytes()).toBeLessThan(1024 * 1024)
    const written = JSON.parse(outputs.log ?? '') as Record<string, string>
    expect(written.request_head).toMatch(/…\[cut: \d+ more characters\]$/)
    expect(outputs['request-head']).toBe(written.request_head)
  })

  it('writes a log of usual size whole', async () => {
    await run(deps(() => answer({ success: true, result: log })))
    expect(JSON.parse(outputs.log ?? '')).toEqual(log)
  })
})

describe('failUnfinishedRun', () => {
  it('says error in the outputs and fails the step with one line', () => {
    failUnfinishedRun()
    expect(outputs).toEqual({ result: 'error', passed: 'false' })
    const failed = calls.filter((c) => c.startsWith('setFailed:'))
    expect(failed).toHaveLength(1)
    expect(failed[0]).toContain('the action was about to exit before it finished')
    expect(failed[0]).toContain('the gate did not pass')
    expect(failed[0]).not.toContain('\n')
  })
})
