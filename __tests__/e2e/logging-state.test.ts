// End to end: accounts that keep their AI Gateway logs in Workers Observability (accounts created on or
// after 2026-09-24) learn so at the first "not found", not after wait-timeout. The built dist/index.js
// runs as a child process against the local stand-in, whose logging-state answers as the account's would
// (LOGGING_STATES). Run `npm run build` after changing src/.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { runAction, type ActionRun } from '../../scripts/run-action.mjs'
import {
  DEMO_ACCOUNT,
  DEMO_GATEWAY,
  LOGGING_STATES,
  startStandIn,
  type StandIn
} from '../../scripts/stand-in.mjs'

let observed: StandIn
let legacy: StandIn
beforeAll(async () => {
  observed = await startStandIn({
    loggingState: LOGGING_STATES.workersObservability
  })
  legacy = await startStandIn({ loggingState: LOGGING_STATES.legacy })
})
afterAll(async () => {
  await observed.close()
  await legacy.close()
})

/** Far longer than any of these runs may take: each stops at once, or waits only as long as asked. */
const WAIT_TIMEOUT = '20'

const gate = (standIn: StandIn, inputs: Record<string, string>) =>
  runAction({
    'api-token': standIn.token,
    'account-id': DEMO_ACCOUNT,
    'gateway-id': DEMO_GATEWAY,
    'api-url': standIn.apiUrl,
    // settle is an input error for a log id; for a run it is not the subject here.
    ...('run-id' in inputs ? { settle: '0' } : {}),
    ...inputs
  })

/** What the stand-in was asked, in order, since `before`: the last path segment of each request. */
const askedSince = (standIn: StandIn, before: number): string[] =>
  standIn.requests
    .slice(before)
    .map((r) => decodeURIComponent(r.path.split('/').at(-1) ?? ''))
const errorLines = (run: ActionRun) =>
  run.stdout.split('\n').filter((l) => l.startsWith('::error'))

const HINT = 'The account keeps its AI Gateway logs in Workers Observability'

describe('an account that logs to Workers Observability', () => {
  it('is told so at the first 404 of a log, without waiting out wait-timeout', async () => {
    const before = observed.requests.length
    const run = await gate(observed, {
      'log-id': 'never-written',
      'wait-timeout': WAIT_TIMEOUT
    })
    expect([run.code, run.outputs.result]).toEqual([1, 'error'])
    expect(errorLines(run)).toEqual([
      expect.stringContaining(
        `Not found: log "never-written" in gateway "${DEMO_GATEWAY}" of account "${DEMO_ACCOUNT}" (not waited for). ${HINT}`
      )
    ])
    expect(run.summary).toContain('Workers Observability')
    expect(askedSince(observed, before)).toEqual([
      'never-written',
      'logging-state'
    ])
    expect(run.wallMs).toBeLessThan(10_000)
  })

  it('asks once for several log ids', async () => {
    const before = observed.requests.length
    const run = await gate(observed, {
      'log-ids': 'gone-1, gone-2, gone-3',
      'wait-timeout': WAIT_TIMEOUT
    })
    expect(run.outputs.result).toBe('error')
    expect(errorLines(run)[0]).toContain(HINT)
    const asked = askedSince(observed, before)
    expect(asked.filter((a) => a === 'logging-state')).toHaveLength(1)
    expect(asked.filter((a) => a.startsWith('gone-')).sort()).toEqual([
      'gone-1',
      'gone-2',
      'gone-3'
    ])
    expect(run.wallMs).toBeLessThan(10_000)
  })

  it("is told so at the first read of a run that finds no call, without waiting for the run's first call", async () => {
    const before = observed.requests.length
    const run = await gate(observed, {
      'run-id': 'gh-none-1',
      'wait-timeout': WAIT_TIMEOUT
    })
    expect([run.code, run.outputs.result]).toEqual([1, 'error'])
    expect(errorLines(run)).toEqual([
      expect.stringContaining(
        `No calls found for run "gh-none-1" (metadata "run_id") in gateway "${DEMO_GATEWAY}" of account "${DEMO_ACCOUNT}" (not waited for). ${HINT}`
      )
    ])
    expect(askedSince(observed, before)).toEqual(['logs', 'logging-state'])
    expect(run.wallMs).toBeLessThan(10_000)
  })

  it('is not asked when the log or the calls are found', async () => {
    observed.addRun({ runId: 'gh-found-1', calls: 3 })
    const before = observed.requests.length
    const one = await gate(observed, { 'log-id': 'cheap-call' })
    const many = await gate(observed, { 'run-id': 'gh-found-1' })
    expect([one.outputs.result, many.outputs.result]).toEqual(['pass', 'pass'])
    expect(askedSince(observed, before)).not.toContain('logging-state')
  })
})

describe('an account on legacy logs', () => {
  it('is asked once, at the first 404, and the log is still waited for until wait-timeout', async () => {
    const before = legacy.requests.length
    const run = await gate(legacy, {
      'log-id': 'written-never',
      'wait-timeout': '2'
    })
    expect(run.outputs.result).toBe('error')
    expect(errorLines(run)).toEqual([
      expect.stringMatching(
        /Not found: log "written-never" .* after waiting 2\.\d s\. Likely causes: a wrong log-id or gateway-id/
      )
    ])
    const asked = askedSince(legacy, before)
    // The first 404, the question, then polls (0.3 s, then every second) until 2 s after the first request.
    expect(asked.slice(0, 2)).toEqual(['written-never', 'logging-state'])
    expect(asked.filter((a) => a === 'logging-state')).toHaveLength(1)
    expect(asked.filter((a) => a === 'written-never').length).toBeGreaterThan(2)
    expect(run.wallMs).toBeGreaterThan(2000)
  })

  it('is asked once, after the first empty read of a run, which is still read again until wait-timeout', async () => {
    const before = legacy.requests.length
    const run = await gate(legacy, {
      'run-id': 'gh-none-2',
      'wait-timeout': '2'
    })
    expect(errorLines(run)[0]).toContain(
      "after waiting 2 s. Likely causes: the eval's calls did not send the cf-aig-metadata header"
    )
    const asked = askedSince(legacy, before)
    expect(asked.slice(0, 2)).toEqual(['logs', 'logging-state'])
    expect(asked.filter((a) => a === 'logging-state')).toHaveLength(1)
    expect(asked.filter((a) => a === 'logs').length).toBeGreaterThan(1)
  })
})
