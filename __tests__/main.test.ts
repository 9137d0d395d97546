// run() with @actions/core mocked and the API client's outside world replaced: the order of what the
// step writes, and the backstop for errors that are not Errors.
import { afterAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { EOL, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CommentApi, IssueComment } from '../src/github/comment.js'
import type { GatewayDeps, RawResponse } from '../src/cloudflare/gateway.js'
import { LOG } from './helpers/fixtures.js'
import { leakedPieces } from './helpers/hostile.js'
import {
  fakeAnalytics,
  groupsAnswer,
  type FakeCall
} from './helpers/analytics-fake.js'

const calls: string[] = []
const outputs: Record<string, string> = {}
const record =
  (name: string) =>
  (...args: unknown[]) => {
    calls.push(`${name}:${String(args[0])}`)
  }
/** Warnings and errors with their annotation titles: the title is what the checks page shows above the message. */
const annotations: { kind: string; message: string; title?: string }[] = []
const annotate =
  (kind: 'warning' | 'error') =>
  (message: string, properties?: { title?: string }) => {
    calls.push(`${kind}:${message}`)
    annotations.push({ kind, message, title: properties?.title })
  }
let inputs: Record<string, string> = {}
const summaryWrites: string[] = []
/** What core.summary.write() throws when it fails; undefined: it writes. */
let summaryFailure: Error | undefined

jest.unstable_mockModule('@actions/core', () => ({
  getInput: (name: string) => inputs[name] ?? '',
  setSecret: record('setSecret'),
  setOutput: (name: string, value: string) => {
    outputs[name] = value
    calls.push(`setOutput:${name}`)
  },
  info: record('info'),
  debug: record('debug'),
  warning: annotate('warning'),
  error: annotate('error'),
  setFailed: record('setFailed'),
  ExitCode: { Success: 0, Failure: 1 },
  // As @actions/core's summary does (lib/summary.js): addRaw buffers the text, with the platform's line
  // end when addEOL is true, and write() appends the buffer to the file, or throws and keeps it.
  summary: {
    buffer: '',
    addRaw(text: string, addEOL = false) {
      this.buffer += addEOL ? `${text}${EOL}` : text
      return this
    },
    async write() {
      if (summaryFailure) throw summaryFailure
      summaryWrites.push(this.buffer)
      this.buffer = ''
      calls.push('summary:write')
      return this
    }
  }
}))

const { errorMessage, run, scrubber, scrubMetadata } =
  await import('../src/main.js')
const commentModule = await import('../src/github/comment.js')

const log = { ...LOG, cost: 0.75 }
/** The step's clock: half an hour after the fixture's call, on the same day. */
const NOW_MS = Date.parse('2026-11-25T10:00:00Z')

function deps(send: GatewayDeps['send'], overrides: Partial<GatewayDeps> = {}) {
  return {
    env: { GITHUB_STEP_SUMMARY: '/dev/null' } as NodeJS.ProcessEnv,
    now: () => NOW_MS,
    gateway: {
      send,
      sleep: async () => undefined,
      now: () => NOW_MS,
      random: () => 0.5,
      debug: () => undefined,
      ...overrides
    }
  }
}
const answer = (body: unknown, status = 200): Promise<RawResponse> =>
  Promise.resolve({ status, headers: {}, body: JSON.stringify(body) })

/**
 * The list endpoint as the API answers it: the `created_at` filters compared at whole seconds, rows in
 * ascending `created_at`, pages of `per_page` in Cloudflare's envelope with `result_info`.
 */
function listAnswer(
  url: string,
  rows: readonly { created_at: string }[]
): Promise<RawResponse> {
  const query = new URL(url).searchParams
  const filters = JSON.parse(query.get('filters') ?? '[]') as {
    key: string
    operator: string
    value: string[]
  }[]
  const bound = (operator: string) =>
    filters.find((f) => f.key === 'created_at' && f.operator === operator)
      ?.value[0]
  const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000)
  const gt = bound('gt')
  const lt = bound('lt')
  const matching = rows.filter(
    (row) =>
      (gt === undefined || seconds(row.created_at) > seconds(gt)) &&
      (lt === undefined || seconds(row.created_at) < seconds(lt))
  )
  const perPage = Number(query.get('per_page'))
  const page = Number(query.get('page'))
  const result = matching.slice((page - 1) * perPage, page * perPage)
  return answer({
    success: true,
    result,
    result_info: {
      page,
      per_page: perPage,
      count: result.length,
      total_count: matching.length
    }
  })
}

/** The `created_at` upper bound (`lt`) a list request asked for. */
const untilAsked = (url: string): string | undefined =>
  (
    JSON.parse(new URL(url).searchParams.get('filters') ?? '[]') as {
      key: string
      operator: string
      value: string[]
    }[]
  ).find((f) => f.key === 'created_at' && f.operator === 'lt')?.value[0]

const row = (id: string, extra: Partial<typeof LOG> = {}) => ({
  ...LOG,
  id,
  metadata: '{"run_id":"r1"}',
  ...extra
})
/** A fake API: log details by id, list pages from `rows` (50 a page), and the logging state. */
function api(rows: ReturnType<typeof row>[], platform = 'legacy') {
  const urls: string[] = []
  const send: GatewayDeps['send'] = (url) => {
    urls.push(url)
    const u = new URL(url)
    if (u.pathname.endsWith('/logging-state'))
      return answer({ success: true, result: { platform } })
    if (u.pathname.endsWith('/logs')) return listAnswer(url, rows)
    const id = decodeURIComponent(u.pathname.split('/').pop()!)
    const found = rows.find((r) => r.id === id)
    return found
      ? answer({ success: true, result: found })
      : answer(
          {
            success: false,
            errors: [{ code: 7002, message: 'Not Found' }]
          },
          404
        )
  }
  return { send, urls }
}

// run() sets the exit code as the action would; Jest's own process must not exit with it.
afterAll(() => {
  process.exitCode = undefined
})

beforeEach(() => {
  calls.length = 0
  annotations.length = 0
  summaryWrites.length = 0
  summaryFailure = undefined
  for (const k of Object.keys(outputs)) delete outputs[k]
  inputs = {
    'api-token': 'cf-token-SECRET-1',
    'account-id': 'acc',
    'gateway-id': 'gw',
    'log-id': 'log-1',
    'max-cost': '0.05'
  }
  process.exitCode = undefined
})

describe('run', () => {
  it('registers the token before anything else, and writes outputs and the summary before failing', async () => {
    await run(deps(() => answer({ success: true, result: log })))
    expect(calls[0]).toBe('setSecret:cf-token-SECRET-1')
    const lastOutput = calls
      .map((c) => c.startsWith('setOutput'))
      .lastIndexOf(true)
    const summary = calls.indexOf('summary:write')
    const failure = calls.findIndex((c) => c.startsWith('error:'))
    expect(lastOutput).toBeGreaterThan(0)
    expect(summary).toBeGreaterThan(lastOutput)
    expect(failure).toBeGreaterThan(summary)
    expect(calls.filter((c) => c.startsWith('error:'))).toEqual([
      'error:cost 0.75 USD > max-cost 0.05 USD'
    ])
    expect(process.exitCode).toBe(1)
    expect(outputs.result).toBe('fail')
  })

  it('fails the step on an error that is not an Error, with outputs saying result=error', async () => {
    await run(
      deps(() => answer({ success: true, result: log }), {
        now: () => {
          throw 'a string, not an Error'
        }
      })
    )
    expect(calls.filter((c) => c.startsWith('error:'))).toEqual([
      'error:Unexpected error: a string, not an Error'
    ])
    expect(outputs.result).toBe('error')
    expect(outputs.passed).toBe('false')
    expect(calls.indexOf('summary:write')).toBeLessThan(
      calls.findIndex((c) => c.startsWith('error:'))
    )
  })

  it('never writes the token into outputs or the summary, even when an error message echoes it', async () => {
    await run(
      deps(() =>
        answer(
          {
            success: false,
            errors: [{ code: 9, message: 'bad token cf-token-SECRET-1' }]
          },
          400
        )
      )
    )
    const written = [
      ...Object.values(outputs),
      ...summaryWrites,
      ...calls.filter((c) => !c.startsWith('setSecret:'))
    ].join('\n')
    expect(written).toContain('bad token ***')
    expect(written).not.toContain('cf-token-SECRET-1')
  })

  it('makes no request when an input is bad', async () => {
    inputs['max-cost'] = 'abc'
    const send = jest.fn<GatewayDeps['send']>(() =>
      answer({ success: true, result: log })
    )
    await run(deps(send))
    expect(send).not.toHaveBeenCalled()
    expect(calls.filter((c) => c.startsWith('error:'))).toEqual([
      'error:Invalid input: max-cost "abc" is not an amount in USD (e.g. 0.05 or $0.05)'
    ])
    expect(outputs.result).toBe('error')
  })

  it('registers only the secrets that are set, never an empty one', async () => {
    inputs['github-token'] = 'ghs_github-SECRET-token'
    await run(deps(() => answer({ success: true, result: log })))
    expect(calls.filter((c) => c.startsWith('setSecret:'))).toEqual([
      'setSecret:cf-token-SECRET-1',
      'setSecret:ghs_github-SECRET-token'
    ])
  })

  describe('where the report points', () => {
    const LOCATION =
      '<sub>Cloudflare AI Gateway log log-1 · gateway gw · account acc (dashboard: AI › AI Gateway › Logs)</sub>'

    it('names the log, gateway and account in the summary, even when an input is bad', async () => {
      inputs['max-cost'] = 'abc'
      await run(deps(() => answer({ success: true, result: log })))
      expect(summaryWrites.join('')).toContain(LOCATION)
    })

    it('names them when the API cannot be read', async () => {
      await run(
        deps(() =>
          answer(
            {
              success: false,
              errors: [{ code: 10000, message: 'Authentication error' }]
            },
            403
          )
        )
      )
      expect(outputs.result).toBe('error')
      expect(summaryWrites.join('')).toContain(LOCATION)
    })
  })

  describe('errors', () => {
    it('fails with result=error and an annotation titled as an error, after writing outputs and the summary', async () => {
      inputs['max-cost'] = 'abc'
      await run(deps(() => answer({ success: true, result: log })))
      expect(annotations).toEqual([
        {
          kind: 'error',
          message:
            'Invalid input: max-cost "abc" is not an amount in USD (e.g. 0.05 or $0.05)',
          title: 'AI Gateway gate: error'
        }
      ])
      expect(process.exitCode).toBe(1)
      expect(calls.indexOf('summary:write')).toBeLessThan(
        calls.indexOf(`error:${annotations[0]!.message}`)
      )
    })

    it("writes an unexpected error's stack to the debug log, scrubbed", async () => {
      await run(
        deps(() => answer({ success: true, result: log }), {
          now: () => {
            throw new Error('clock broke near cf-token-SECRET-1')
          }
        })
      )
      const debugs = calls.filter((c) => c.startsWith('debug:'))
      expect(debugs).toHaveLength(1)
      expect(debugs[0]).toMatch(/^debug:Error: clock broke near \*\*\*\n\s+at /)
      expect(annotations.map((a) => a.message)).toEqual([
        'Unexpected error: clock broke near ***'
      ])
    })

    it('keeps the debug log free of stacks for the errors it explains itself', async () => {
      await run(
        deps(() =>
          answer(
            {
              success: false,
              errors: [{ code: 10000, message: 'Authentication error' }]
            },
            403
          )
        )
      )
      inputs['max-cost'] = 'abc'
      await run(deps(() => answer({ success: true, result: log })))
      expect(annotations).toHaveLength(2)
      expect(calls.filter((c) => c.startsWith('debug:'))).toEqual([])
    })
  })

  describe('secrets in log fields', () => {
    it('scrubs a secret from log text before it is escaped for markdown, where it would no longer match', async () => {
      inputs['github-token'] = 'ghs_abc_def_SECRET'
      await run(
        deps(() =>
          answer({
            success: true,
            result: {
              ...log,
              metadata: JSON.stringify({ leaked: 'ghs_abc_def_SECRET' })
            }
          })
        )
      )
      const written = [...Object.values(outputs), ...summaryWrites].join('\n')
      expect(written).not.toContain('SECRET')
      expect(summaryWrites.join('')).toContain('| leaked | \\*\\*\\* |')
    })
  })

  describe('many bad inputs', () => {
    it('names every one of them in the failure, however long the message', async () => {
      const long = 'x'.repeat(100)
      const bad = [
        'max-cost',
        'max-duration',
        'max-tokens-in',
        'max-tokens-out',
        'expected-status',
        'require-success',
        'fail-on-breach',
        'wait-timeout',
        'max-retries',
        'request-timeout',
        'comment',
        'comment-on',
        'pr-number'
      ]
      for (const name of bad) inputs[name] = long
      await run(deps(() => answer({ success: true, result: log })))
      const failed = calls.filter((c) => c.startsWith('error:'))
      expect(failed).toHaveLength(1)
      for (const name of bad)
        expect(failed[0]).toContain(`${name} "${'x'.repeat(80)}…"`)
    })
  })

  describe('secrets the API reflects', () => {
    it('leaves no part of a secret in the summary when a metadata value spells it with escapes past the cut', async () => {
      const spelled = [...'cf-token-SECRET-1']
        .map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
        .join('')
      const metadata = `{"note":"${'n'.repeat(190)}${spelled}"}`
      await run(
        deps(() => answer({ success: true, result: { ...log, metadata } }))
      )
      const written = [...Object.values(outputs), ...summaryWrites].join('\n')
      expect(leakedPieces(written, 'cf-token-SECRET-1')).toEqual([])
      expect(outputs.metadata).toBe(`{"note":"${'n'.repeat(190)}***"}`)
    })

    it("scrubs every secret from the client's debug lines, not only the credentials it sends", async () => {
      inputs['github-token'] = 'ghs_github-SECRET-token'
      const debugs: string[] = []
      const echo = {
        success: false,
        errors: [
          {
            code: 1,
            message: `${'x'.repeat(480)} ghs_github-SECRET-token cf-token-SECRET-1`
          }
        ]
      }
      await run(deps(() => answer(echo, 500), { debug: (m) => debugs.push(m) }))
      expect(debugs.length).toBeGreaterThan(0)
      for (const secret of ['ghs_github-SECRET-token', 'cf-token-SECRET-1']) {
        expect(
          leakedPieces(
            [...debugs, ...calls].join('\n').replace(/setSecret:.*/g, ''),
            secret
          )
        ).toEqual([])
      }
    })
  })

  describe('many calls, in-process', () => {
    it('gates a run on its total: count, total-cost and metrics outputs, one annotation per breach', async () => {
      inputs = {
        ...inputs,
        'log-id': '',
        'run-id': 'r1',
        settle: '0',
        'max-cost': '0.003'
      }
      const { send, urls } = api([
        row('a', { cost: 0.001 }),
        row('b', { cost: 0.002 }),
        row('c', { cost: 0.0005, metadata: '{"run_id":"r2"}' })
      ])
      await run(deps(send))
      expect(urls).toHaveLength(1)
      expect(outputs.count).toBe('2')
      expect(outputs['total-cost']).toBe('0.003')
      expect(JSON.parse(outputs.metrics!)).toMatchObject({
        count: 2,
        errors: 0,
        cost: { sum: 0.003, max: 0.002 }
      })
      expect(outputs.result).toBe('pass')
      expect(outputs.log).toBe('')
      expect(outputs.cost).toBe('')
      // One model: no totals row in its table, so the totals have a line of their own.
      expect(summaryWrites.join('')).toContain(
        '**2 calls** · total cost **0.003\u00a0USD**'
      )
    })

    it('warns on a warn: threshold without failing, and lists it in warnings', async () => {
      inputs = {
        ...inputs,
        'log-id': '',
        'run-id': 'r1',
        settle: '0',
        'max-cost': '',
        thresholds: 'warn: duration.max < 100\ncount >= 1'
      }
      const { send } = api([row('a')])
      await run(deps(send))
      expect(process.exitCode).toBeUndefined()
      expect(outputs.result).toBe('pass')
      expect(JSON.parse(outputs.warnings!)).toMatchObject([
        { metric: 'duration.max', input: 'thresholds', actual: 812 }
      ])
      expect(calls.filter((c) => c.startsWith('warning:'))).toEqual([
        'warning:duration.max 812 ms >= 100 ms'
      ])
    })

    it('warns about an input that does not apply to log-ids before any request, then gates the calls', async () => {
      inputs = {
        ...inputs,
        'log-id': '',
        'log-ids': 'a b',
        settle: '10s',
        'max-cost': '1'
      }
      const { send, urls } = api([row('a'), row('b')])
      const sent = jest.fn<GatewayDeps['send']>((url, headers, timeoutMs) => {
        calls.push('request')
        return send(url, headers, timeoutMs)
      })
      await run(deps(sent))
      expect(annotations).toEqual([
        {
          kind: 'warning',
          message:
            'settle is ignored: it applies to run-id or since, not log-ids',
          title: 'AI Gateway gate (inputs)'
        }
      ])
      expect(
        calls.findIndex((c) => c.startsWith('warning:settle'))
      ).toBeLessThan(calls.indexOf('request'))
      expect(urls).toHaveLength(2)
      expect(outputs.result).toBe('pass')
    })

    it('refuses more log-ids than request-budget before any request', async () => {
      inputs = {
        ...inputs,
        'log-id': '',
        'log-ids': 'a b c',
        'request-budget': '2'
      }
      const send = jest.fn<GatewayDeps['send']>(() =>
        answer({ success: true, result: log })
      )
      await run(deps(send))
      expect(send).not.toHaveBeenCalled()
      expect(outputs.result).toBe('error')
      expect(annotations).toEqual([
        {
          kind: 'error',
          message:
            'Invalid input: log-ids has 3 ids, more than request-budget (2) allows: each id costs at least one request. For many calls use run-id (the list endpoint reads 50 calls a request), or raise request-budget (at most 1200)',
          title: 'AI Gateway gate: error'
        }
      ])
    })

    it('reads log-ids one by one', async () => {
      inputs = {
        ...inputs,
        'log-id': '',
        'log-ids': 'a, b\nb',
        'max-cost': '1'
      }
      const { send, urls } = api([row('a'), row('b')])
      await run(deps(send))
      expect(urls.map((u) => u.split('/').pop())).toEqual(['a', 'b'])
      expect(outputs.count).toBe('2')
      expect(outputs.result).toBe('pass')
    })

    it('fails an empty run at once when the account keeps its logs in Workers Observability, asked after the first read', async () => {
      inputs = { ...inputs, 'log-id': '', 'run-id': 'r9', 'wait-timeout': '30' }
      const { send, urls } = api([], 'workers_observability')
      await run(deps(send))
      expect(outputs.result).toBe('error')
      // One list request, the question, and no waiting.
      expect(urls.map((u) => new URL(u).pathname.split('/').pop())).toEqual([
        'logs',
        'logging-state'
      ])
      const [error] = calls.filter((c) => c.startsWith('error:'))
      expect(error).toMatch(
        /^error:No calls found for run "r9" \(metadata "run_id"\) in gateway "gw" of account "acc" \(not waited for\)\. The account keeps its AI Gateway logs in Workers Observability/
      )
    })

    it('accepts an empty run with expected-logs 0', async () => {
      inputs = {
        ...inputs,
        'log-id': '',
        'run-id': 'r9',
        'expected-logs': '0',
        'max-cost': ''
      }
      const { send } = api([])
      await run(deps(send))
      expect(outputs.result).toBe('pass')
      expect(outputs.count).toBe('0')
      expect(outputs['total-cost']).toBe('')
    })
    it('reads at most 4 log details at once, and says how many calls it read', async () => {
      const ids = ['a', 'b', 'c', 'd', 'e', 'f']
      inputs = {
        ...inputs,
        'log-id': '',
        'log-ids': ids.join('\n'),
        'max-cost': '1'
      }
      const { send: answerOf } = api(ids.map((id) => row(id)))
      let inFlight = 0
      let most = 0
      const send: GatewayDeps['send'] = async (...args) => {
        most = Math.max(most, ++inFlight)
        // An answer a turn of the event loop later, so that the requests made meanwhile overlap.
        await new Promise((resolve) => setImmediate(resolve))
        inFlight--
        return answerOf(...args)
      }
      await run(deps(send))
      expect(most).toBe(4)
      expect(outputs.count).toBe('6')
      expect(summaryWrites.join('')).toContain(
        '<sub>Cloudflare AI Gateway 6 calls \\(log-ids\\) · gateway gw · account acc'
      )
    })

    it('says "1 call" for a single log-ids entry', async () => {
      inputs = { ...inputs, 'log-id': '', 'log-ids': 'a', 'max-cost': '1' }
      await run(deps(api([row('a')]).send))
      expect(outputs.count).toBe('1')
      expect(summaryWrites.join('')).toContain(
        '<sub>Cloudflare AI Gateway 1 call \\(log-ids\\) · gateway gw · account acc'
      )
    })

    it("fails an empty run with the causes of a run's empty read, and how long it waited", async () => {
      inputs = { ...inputs, 'log-id': '', 'run-id': 'r9', 'wait-timeout': '3s' }
      const clock = { ms: NOW_MS }
      const { send, urls } = api([row('a')])
      await run({
        ...deps(send),
        now: () => clock.ms,
        gateway: {
          ...deps(send).gateway,
          now: () => clock.ms,
          sleep: async (ms) => void (clock.ms += ms)
        }
      })
      expect(urls.filter((u) => u.endsWith('/logging-state'))).toHaveLength(1)
      expect(annotations.map((a) => a.message)).toEqual([
        'No calls found for run "r9" (metadata "run_id") in gateway "gw" of account "acc" after waiting 3 s. ' +
          "Likely causes: the eval's calls did not send the cf-aig-metadata header with this run id and key, they went through another gateway, or logging is off for the gateway. Set expected-logs: 0 if an empty run is fine."
      ])
      expect(outputs.result).toBe('error')
    })

    it('fails an empty time window with the causes of a window', async () => {
      inputs = {
        ...inputs,
        'log-id': '',
        since: '2026-11-25T09:50:00Z',
        until: '2026-11-25T09:55:00Z',
        'wait-timeout': '0'
      }
      await run(deps(api([row('a')]).send))
      expect(annotations.map((a) => a.message)).toEqual([
        'No calls found for calls from 2026-11-25T09:50:00Z to 2026-11-25T09:55:00Z in gateway "gw" of account "acc". ' +
          'Likely causes: a wrong gateway-id, no traffic in the window, or logging turned off for the gateway. Set expected-logs: 0 if an empty window is fine.'
      ])
    })

    it('reports too few calls as they are, without the causes of an empty selection', async () => {
      inputs = {
        ...inputs,
        'log-id': '',
        'run-id': 'r1',
        'expected-logs': '3',
        'wait-timeout': '0'
      }
      const { send, urls } = api([row('a')])
      await run(deps(send))
      expect(annotations.map((a) => a.message)).toEqual([
        'Found 1 of 3 expected calls for run "r1" (metadata "run_id") after waiting 0 s (wait-timeout)'
      ])
      expect(urls.filter((u) => u.endsWith('/logging-state'))).toEqual([])
    })
  })

  describe('the baseline', () => {
    const runInputs = () => ({
      ...inputs,
      'log-id': '',
      'run-id': 'r1',
      settle: '0',
      'max-cost': ''
    })
    const base = (id: string, cost: number) =>
      row(id, { cost, metadata: '{"run_id":"base"}' })

    it('says what the run was compared with, in one line', async () => {
      inputs = { ...runInputs(), 'baseline-run-id': 'base' }
      await run(
        deps(api([row('a'), base('b1', 0.001), base('b2', 0.002)]).send)
      )
      expect(outputs.result).toBe('pass')
      expect(outputs['baseline-run-id']).toBe('base')
      expect(calls).toContain(
        'info:Compared with the baseline: run "base" (metadata "run_id"), 2 calls'
      )
      expect(annotations).toEqual([])
    })

    it('says "1 call" for a baseline of one call', async () => {
      inputs = { ...runInputs(), 'baseline-run-id': 'base' }
      await run(deps(api([row('a'), base('b1', 0.001)]).send))
      expect(calls).toContain(
        'info:Compared with the baseline: run "base" (metadata "run_id"), 1 call'
      )
    })

    it('warns once that there is none, and the gate stands', async () => {
      inputs = {
        ...runInputs(),
        'baseline-run-id': 'gone',
        thresholds: 'count >= 1'
      }
      await run(deps(api([row('a')]).send))
      expect(outputs.result).toBe('pass')
      expect(process.exitCode).toBeUndefined()
      expect(outputs['baseline-run-id']).toBe('')
      expect(annotations).toEqual([
        {
          kind: 'warning',
          message:
            'No baseline to compare with: no calls of run "gone" (metadata "run_id") are left in the gateway',
          title: 'AI Gateway gate (baseline)'
        }
      ])
    })

    it('leaves the warning to a threshold skipped for want of it, which says why', async () => {
      inputs = {
        ...runInputs(),
        'baseline-run-id': 'gone',
        thresholds: 'cost <= baseline + 10%'
      }
      await run(deps(api([row('a')]).send))
      expect(outputs.result).toBe('pass')
      expect(annotations).toEqual([
        {
          kind: 'warning',
          message:
            'cost.sum <= baseline + 10% not checked: no baseline (no calls of run "gone" (metadata "run_id") are left in the gateway)',
          title: 'AI Gateway gate (warning)'
        }
      ])
    })

    it('fails the step with baseline-required when there is none', async () => {
      inputs = {
        ...runInputs(),
        'baseline-run-id': 'gone',
        'baseline-required': 'true'
      }
      await run(deps(api([row('a')]).send))
      expect(outputs.result).toBe('error')
      expect(process.exitCode).toBe(1)
      expect(annotations).toEqual([
        {
          kind: 'error',
          message:
            'No baseline to compare with: no calls of run "gone" (metadata "run_id") are left in the gateway (baseline-required is true)',
          title: 'AI Gateway gate: error'
        }
      ])
    })

    it("warns with GitHub's refusal when the base branch's run cannot be looked up, the token scrubbed", async () => {
      const dir = mkdtempSync(join(tmpdir(), 'main-test-'))
      const eventPath = join(dir, 'event.json')
      // The pull_request event payload, trimmed to what the lookup reads (GitHub's webhook docs).
      writeFileSync(
        eventPath,
        JSON.stringify({ pull_request: { number: 7, base: { ref: 'main' } } })
      )
      inputs = {
        ...runInputs(),
        'run-id': 'gh-4100-1',
        baseline: 'base-branch',
        'github-token': 'ghs_github-SECRET-token'
      }
      const cloudflare = api([row('a', { metadata: '{"run_id":"gh-4100-1"}' })])
      const github: string[] = []
      const send: GatewayDeps['send'] = (url, headers, timeoutMs) => {
        if (!url.startsWith('https://api.github.com/'))
          return cloudflare.send(url, headers, timeoutMs)
        github.push(url)
        // GitHub's 403 for a token without "actions: read", its message made hostile: it echoes the token.
        return answer(
          {
            message:
              'Resource not accessible by integration (ghs_github-SECRET-token)',
            documentation_url:
              'https://docs.github.com/rest/actions/workflow-runs#list-workflow-runs-for-a-workflow',
            status: '403'
          },
          403
        )
      }
      await run({
        ...deps(send),
        env: {
          GITHUB_STEP_SUMMARY: '/dev/null',
          GITHUB_RUN_ID: '4100',
          GITHUB_RUN_ATTEMPT: '1',
          GITHUB_REPOSITORY: 'o/r',
          GITHUB_WORKFLOW_REF:
            'o/r/.github/workflows/eval.yml@refs/pull/7/merge',
          GITHUB_EVENT_NAME: 'pull_request',
          GITHUB_EVENT_PATH: eventPath
        }
      })
      expect(github).toEqual([
        'https://api.github.com/repos/o/r/actions/workflows/eval.yml/runs?branch=main&status=completed&per_page=20&page=1&exclude_pull_requests=true'
      ])
      expect(outputs.result).toBe('pass')
      expect(annotations).toEqual([
        {
          kind: 'warning',
          message:
            'No baseline to compare with: GitHub answered HTTP 403: "Resource not accessible by integration (***)": github-token needs "actions: read" to list the runs of workflow eval.yml of o/r',
          title: 'AI Gateway gate (baseline)'
        }
      ])
    })
  })

  describe('the PR comment', () => {
    // The account GITHUB_TOKEN acts as: the github-actions bot (GraphQL viewer { databaseId login }).
    const BOT = { id: 41898282, login: 'github-actions[bot]' }
    /** A PR with no comments yet, as GitHub's issue-comment endpoints answer (REST docs, "Create an issue comment"). */
    function github(create?: () => Promise<IssueComment>) {
      const bodies: string[] = []
      const api: CommentApi = {
        listPage: async () => [],
        viewer: async () => BOT,
        create: async (body) => {
          bodies.push(body)
          if (create) return create()
          return {
            id: 2001,
            html_url: 'https://github.com/o/r/pull/7#issuecomment-2001',
            body,
            user: { login: BOT.login, id: BOT.id, type: 'Bot' }
          }
        },
        update: async () => {
          throw new Error('no comment to update')
        },
        remove: async () => {
          throw new Error('no comment to remove')
        }
      }
      // The real comment step, with the fake in place of Octokit.
      const loadComment = jest.fn(async () => ({
        postComment: (req: Parameters<typeof commentModule.postComment>[0]) =>
          commentModule.postComment({ ...req, makeApi: () => api })
      }))
      return { bodies, loadComment }
    }
    const commentEnv = {
      GITHUB_STEP_SUMMARY: '/dev/null',
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_REPOSITORY: 'o/r'
    }
    const commentInputs = () => ({
      ...inputs,
      comment: 'update',
      'pr-number': '7',
      'github-token': 'ghs_github-SECRET-token'
    })

    it('loads the real comment step by default, which warns when it cannot tell the repository', async () => {
      inputs = { ...commentInputs(), 'max-cost': '1' }
      await run({
        ...deps(() => answer({ success: true, result: log })),
        env: { ...commentEnv, GITHUB_REPOSITORY: 'o' }
      })
      expect(outputs.result).toBe('pass')
      expect(annotations.map((a) => a.message)).toEqual([
        'No PR comment: the pull request number or the repository could not be read from the event (GITHUB_REPOSITORY is not owner/name).'
      ])
    })

    it('is not loaded when comment is off', async () => {
      const { loadComment } = github()
      await run({
        ...deps(() => answer({ success: true, result: log })),
        loadComment
      })
      expect(loadComment).not.toHaveBeenCalled()
      expect(outputs['comment-id']).toBeUndefined()
    })

    it('posts the report, sets comment-id and comment-url, then fails the step', async () => {
      inputs = commentInputs()
      const { bodies, loadComment } = github()
      await run({
        ...deps(() => answer({ success: true, result: log })),
        env: commentEnv,
        loadComment
      })
      // The comment is its own rendering: shorter than the report, with the run's links, without the account.
      expect(bodies).toHaveLength(1)
      const body = bodies[0]!
      expect(body).not.toBe(
        `${outputs.markdown}\n<!-- ai-gateway-gate:key=ai-gateway-gate -->\n`
      )
      expect(body.split('\n')[0]).toBe(outputs.markdown!.split('\n')[0])
      expect(body).toContain('- ❌ cost 0.75 USD &gt; max-cost 0.05 USD')
      expect(body).toContain(
        '<details><summary>Details: checks, the call, its metadata</summary>'
      )
      expect(body).toMatch(
        /\n<sub>Full report: the job summary of this workflow run · Cloudflare AI Gateway log log-1 · gateway gw<\/sub>\n\n<!-- ai-gateway-gate:key=ai-gateway-gate -->\n$/
      )
      expect(outputs.markdown).toContain('account acc')
      expect(body).not.toContain('acc ')
      expect(outputs['comment-id']).toBe('2001')
      expect(outputs['comment-url']).toBe(
        'https://github.com/o/r/pull/7#issuecomment-2001'
      )
      expect(calls).toContain(
        'info:PR comment created: https://github.com/o/r/pull/7#issuecomment-2001'
      )
      expect(calls.indexOf('setOutput:comment-url')).toBeLessThan(
        calls.indexOf('error:cost 0.75 USD > max-cost 0.05 USD')
      )
      expect(process.exitCode).toBe(1)
    })

    it("warns when GitHub refuses the comment, and the gate's result stands", async () => {
      inputs = { ...commentInputs(), 'max-cost': '1' }
      // GitHub's 403 for a token without pull-requests: write, as Octokit throws it (a RequestError with status).
      const refused = Object.assign(
        new Error('Resource not accessible by integration'),
        { status: 403 }
      )
      const { loadComment } = github(() => Promise.reject(refused))
      await run({
        ...deps(() => answer({ success: true, result: log })),
        env: commentEnv,
        loadComment
      })
      expect(outputs.result).toBe('pass')
      expect(process.exitCode).toBeUndefined()
      expect(outputs['comment-id']).toBeUndefined()
      expect(annotations.map((a) => a.message)).toEqual([
        'Could not write the PR comment (HTTP 403: Resource not accessible by integration). The token may not write comments: grant "permissions: pull-requests: write" to the job, or pass a github-token that can. The gate\'s result stands.'
      ])
      expect(annotations.map((a) => a.title)).toEqual([
        'AI Gateway gate (PR comment)'
      ])
    })

    it("warns in one line when the comment step cannot be loaded, and the gate's result stands", async () => {
      inputs = { ...commentInputs(), 'max-cost': '1' }
      const loadComment = () =>
        Promise.reject(
          new Error(
            "Cannot find module '/action/dist/comment.js'\n    at ModuleLoader.resolve (node:internal/modules/esm/loader:1:1)"
          )
        )
      await run({
        ...deps(() => answer({ success: true, result: log })),
        env: commentEnv,
        loadComment
      })
      expect(outputs.result).toBe('pass')
      expect(process.exitCode).toBeUndefined()
      expect(annotations.map((a) => a.message)).toEqual([
        "Could not write the PR comment (Cannot find module '/action/dist/comment.js'). The gate's result stands."
      ])
      expect(annotations.map((a) => a.title)).toEqual([
        'AI Gateway gate (PR comment)'
      ])
    })
  })

  describe('the summary and the annotations', () => {
    it('does not write the summary with job-summary false, and still sets markdown', async () => {
      inputs['job-summary'] = 'false'
      await run(deps(() => answer({ success: true, result: log })))
      expect(summaryWrites).toEqual([])
      expect(outputs.markdown).toContain('AI Gateway gate: failed')
    })

    it('writes the summary when job-summary cannot be read, and reports the bad value', async () => {
      inputs['job-summary'] = 'nope'
      await run(deps(() => answer({ success: true, result: log })))
      expect(summaryWrites.join('')).toContain(
        'job-summary "nope" is not a boolean'
      )
    })

    it('turns breaches into warnings with fail-on-breach false, and passes the step', async () => {
      inputs['fail-on-breach'] = 'false'
      await run(deps(() => answer({ success: true, result: log })))
      expect(process.exitCode).toBeUndefined()
      expect(outputs.result).toBe('fail')
      expect(calls.filter((c) => c.startsWith('warning:'))).toEqual([
        'warning:cost 0.75 USD > max-cost 0.05 USD'
      ])
      expect(calls.filter((c) => c.startsWith('error:'))).toEqual([])
    })

    it('says what passed in one line', async () => {
      inputs['max-cost'] = '1'
      await run(deps(() => answer({ success: true, result: log })))
      expect(calls).toContain(
        'info:AI Gateway gate passed: cost 0.75 USD <= max-cost 1 USD; success true'
      )
      expect(process.exitCode).toBeUndefined()
    })
    it('writes the report as the summary, ending in a line break so that the next step starts its own line', async () => {
      await run(deps(() => answer({ success: true, result: log })))
      expect(summaryWrites).toEqual([`${outputs.markdown}${EOL}`])
    })

    it('skips the summary off a runner, and says so', async () => {
      await run({
        ...deps(() => answer({ success: true, result: log })),
        env: {}
      })
      expect(summaryWrites).toEqual([])
      expect(calls).toContain(
        'info:GITHUB_STEP_SUMMARY is not set (not running on a GitHub runner?): the job summary is skipped.'
      )
      expect(outputs.result).toBe('fail')
      expect(process.exitCode).toBe(1)
    })

    it('warns when the summary cannot be written, and still fails the step on the breach', async () => {
      // What @actions/core's summary throws when the file cannot be opened (lib/summary.js).
      summaryFailure = new Error(
        "Unable to access summary file: '/home/runner/work/_temp/_runner_file_commands/step_summary_1'. Check if the file has correct read/write permissions."
      )
      await run(deps(() => answer({ success: true, result: log })))
      expect(annotations).toEqual([
        {
          kind: 'warning',
          message:
            "Could not write the job summary: Unable to access summary file: '/home/runner/work/_temp/_runner_file_commands/step_summary_1'. Check if the file has correct read/write permissions.",
          title: 'AI Gateway gate'
        },
        {
          kind: 'error',
          message: 'cost 0.75 USD > max-cost 0.05 USD',
          title: 'AI Gateway gate'
        }
      ])
      expect(outputs.result).toBe('fail')
      expect(process.exitCode).toBe(1)
    })

    it('titles a breach with the gate, or says fail-on-breach is false when it only warns', async () => {
      await run(deps(() => answer({ success: true, result: log })))
      inputs['fail-on-breach'] = 'false'
      await run(deps(() => answer({ success: true, result: log })))
      expect(annotations).toEqual([
        {
          kind: 'error',
          message: 'cost 0.75 USD > max-cost 0.05 USD',
          title: 'AI Gateway gate'
        },
        {
          kind: 'warning',
          message: 'cost 0.75 USD > max-cost 0.05 USD',
          title: 'AI Gateway gate (fail-on-breach is false)'
        }
      ])
    })

    it('annotates at most 5 failed checks and 5 warnings, then one line each counting the rest', async () => {
      const lines = (n: number, level: string) =>
        Array.from({ length: n }, (_, i) => `${level}count > ${i + 1}`)
      inputs = {
        ...inputs,
        'log-id': '',
        'run-id': 'r1',
        settle: '0',
        'max-cost': '',
        thresholds: [...lines(12, ''), ...lines(7, 'warn: ')].join('\n')
      }
      await run(deps(api([row('a')]).send))
      expect(annotations).toEqual([
        ...[1, 2, 3, 4, 5].map((n) => ({
          kind: 'warning',
          message: `count 1 call <= ${n}`,
          title: 'AI Gateway gate (warning)'
        })),
        {
          kind: 'warning',
          message:
            '… and 2 more warnings, not annotated: the job summary and the warnings output list them',
          title: 'AI Gateway gate (warning)'
        },
        ...[1, 2, 3, 4, 5].map((n) => ({
          kind: 'error',
          message: `count 1 call <= ${n}`,
          title: 'AI Gateway gate'
        })),
        {
          kind: 'error',
          message:
            '… and 7 more failed checks, not annotated: the job summary and the failures output list them',
          title: 'AI Gateway gate'
        }
      ])
      expect(process.exitCode).toBe(1)
      expect(JSON.parse(outputs.failures!)).toHaveLength(12)
    })

    it('annotates exactly 5 failed checks with no count line, and counts the rest as warnings with fail-on-breach false', async () => {
      const lines = (n: number) =>
        Array.from({ length: n }, (_, i) => `count > ${i + 1}`).join('\n')
      inputs = {
        ...inputs,
        'log-id': '',
        'run-id': 'r1',
        settle: '0',
        'max-cost': '',
        thresholds: lines(5)
      }
      await run(deps(api([row('a')]).send))
      expect(annotations.map((a) => a.kind)).toEqual(Array(5).fill('error'))
      annotations.length = 0
      inputs = { ...inputs, thresholds: lines(6), 'fail-on-breach': 'false' }
      await run(deps(api([row('a')]).send))
      expect(annotations.map((a) => a.message).at(-1)).toBe(
        '… and 1 more failed checks, not annotated: the job summary and the failures output list them'
      )
      expect(annotations.map((a) => a.title)).toEqual(
        Array(6).fill('AI Gateway gate (fail-on-breach is false)')
      )
    })

    it('lists only the limits that gate in the pass line, not the warn: thresholds', async () => {
      inputs = {
        ...inputs,
        'log-id': '',
        'run-id': 'r1',
        settle: '0',
        'max-cost': '',
        thresholds: 'warn: duration.max < 10s\ncount >= 1'
      }
      await run(deps(api([row('a')]).send))
      expect(calls.filter((c) => c.startsWith('info:AI Gateway gate'))).toEqual(
        [
          'info:AI Gateway gate passed: errors 0 of 1 call == 0 (require-success); count 1 call >= 1'
        ]
      )
    })

    it('shortens a report too long for the job summary at a line end, and says so', async () => {
      inputs = {
        ...inputs,
        'log-id': '',
        'run-id': 'r1',
        settle: '0',
        'max-cost': '',
        thresholds: Array.from(
          { length: 20_000 },
          (_, i) => `count > ${i + 1}`
        ).join('\n')
      }
      await run(deps(api([row('a')]).send))
      expect(outputs.result).toBe('fail')
      expect(summaryWrites).toHaveLength(1)
      const written = summaryWrites[0]!
      const note = '\n\n_The report was shortened to fit the job summary._\n'
      expect(written.endsWith(note + EOL)).toBe(true)
      expect(written.length).toBeLessThanOrEqual(512 * 1024 + EOL.length)
      // Cut at a line end: the last check kept is whole.
      expect(written.slice(0, -(note + EOL).length)).toMatch(
        /\n- ❌ count 1 call &lt;= \d+$/
      )
    })

    it('says when no limit was set', async () => {
      inputs = {
        ...inputs,
        'log-id': '',
        'run-id': 'r9',
        'expected-logs': '0',
        'max-cost': '',
        'require-success': 'false'
      }
      await run(deps(api([]).send))
      expect(outputs.result).toBe('pass')
      expect(calls).toContain('info:AI Gateway gate passed: no limits set')
    })
  })

  describe('outputs stay small whatever the log holds', () => {
    // What `name<<delimiter` blocks take in GITHUB_OUTPUT, in UTF-8 bytes: the measure of GitHub's 1 MiB per job.
    const outputBytes = () =>
      Object.entries(outputs).reduce(
        (sum, [name, value]) =>
          sum +
          Buffer.byteLength(
            `${name}<<ghadelimiter_x\n${value}\nghadelimiter_x\n`
          ),
        0
      )

    // Heads as the gateway records them, a JSON object of header name to value, with one very long value.
    const head = (value: string) =>
      JSON.stringify({ 'content-type': 'application/json', 'x-trace': value })
    const everyTextField = (value: string) => ({
      ...Object.fromEntries(
        [
          'model',
          'provider',
          'path',
          'model_type',
          'metadata',
          'request_type',
          'request_content_type',
          'response_content_type'
          // created_at is not here: anything but a time with a zone makes the answer invalid.
        ].map((name) => [name, value])
      ),
      request_head: head(value),
      response_head: head(value)
    })

    it.each([
      ['a 3 MB head', { request_head: head('h'.repeat(3_000_000)) }],
      [
        'every text field 1 MB of control characters',
        everyTextField('\u0001'.repeat(1_000_000))
      ],
      ['every text field 1 MB of emoji', everyTextField('😀'.repeat(500_000))]
    ])(
      'writes under 1 MiB in all for %s, with the head cut visibly and `log` valid JSON',
      async (_name, fields) => {
        inputs['max-cost'] = '1'
        await run(
          deps(() => answer({ success: true, result: { ...log, ...fields } }))
        )
        expect(outputs.result).toBe('pass')
        expect(outputBytes()).toBeLessThan(1024 * 1024)
        const written = JSON.parse(outputs.log ?? '') as Record<string, string>
        expect(written.request_head).toMatch(/…\[cut: \d+ more characters\]$/)
        expect(outputs['request-head']).toBe(written.request_head)
      }
    )

    it('writes a log of usual size whole', async () => {
      await run(deps(() => answer({ success: true, result: log })))
      expect(JSON.parse(outputs.log ?? '')).toEqual(log)
    })
  })

  describe('a time window with since and until', () => {
    it('gates only the calls inside it, though the API compares whole seconds and returns calls just outside', async () => {
      inputs = {
        ...inputs,
        'log-id': '',
        'max-cost': '',
        since: '2026-11-25T09:40:00.500Z',
        until: '2026-11-25T09:45:00.500Z',
        settle: '0'
      }
      const at = (id: string, iso: string) => row(id, { created_at: iso })
      const { send, urls } = api([
        at('before', '2026-11-25T09:40:00.200Z'),
        at('first', '2026-11-25T09:40:00.500Z'),
        at('last', '2026-11-25T09:45:00.499Z'),
        at('after', '2026-11-25T09:45:00.800Z')
      ])
      await run(deps(send))
      expect(urls).toHaveLength(1)
      expect(outputs.count).toBe('2')
      expect(outputs.result).toBe('pass')
    })
  })

  describe('a time window without until', () => {
    it('ends the window when the read starts, so that calls made while it reads or settles neither join it nor keep it from settling', async () => {
      const startMs = Date.parse('2026-11-25T10:00:00Z')
      const clock = { ms: startMs }
      // A busy gateway: a call every 2 s, from ten minutes before the step on, for as long as the step runs.
      const made = () =>
        Array.from(
          { length: Math.floor((clock.ms - (startMs - 600_000)) / 2000) + 1 },
          (_, k) => startMs - 600_000 + k * 2000
        )
      let requests = 0
      const urls: string[] = []
      const send: GatewayDeps['send'] = (url) => {
        if (++requests > 200)
          return Promise.reject(new Error('the read does not end'))
        urls.push(url)
        return listAnswer(
          url,
          made().map((ms) => ({
            ...LOG,
            id: `call-${ms}`,
            created_at: new Date(ms).toISOString()
          }))
        )
      }
      delete inputs['log-id']
      delete inputs['max-cost']
      inputs = { ...inputs, since: '5m', settle: '2s', 'wait-timeout': '0' }
      await run({
        env: { GITHUB_STEP_SUMMARY: '/dev/null' },
        now: () => clock.ms,
        gateway: {
          ...deps(send).gateway,
          now: () => clock.ms,
          sleep: async (ms) => void (clock.ms += ms)
        }
      })
      // The calls made from 5 minutes before the step up to its start: 150, one every 2 s.
      expect(outputs.result).toBe('pass')
      expect(outputs.count).toBe('150')
      expect(requests).toBeLessThan(10)
      // Every read, the settling ones too, asks for the calls before the step's start, not the clock's now.
      expect(new Set(urls.map(untilAsked))).toEqual(
        new Set(['2026-11-25T10:00:00Z'])
      )
    })
  })
})

describe('errorMessage', () => {
  it.each([
    [new Error('first line\n    at stack (file.js:1:1)'), 'first line'],
    ['a string', 'a string'],
    [42, '42'],
    [null, 'null'],
    [undefined, 'undefined'],
    [{ message: 'from an object' }, 'from an object'],
    [Object.create(null), 'an error that cannot be printed'],
    [new Error('\nthe first line with text'), 'the first line with text'],
    [new Error(' \t\nafter a blank line'), 'after a blank line'],
    [new Error('  padded  \n'), 'padded']
  ])('%p -> %p', (error, text) => {
    expect(errorMessage(error)).toBe(text)
  })

  describe('secrets and outside text', () => {
    const SECRET = 'cf-token/SECRET+0123456789'
    const scrub = scrubber([SECRET])

    it('scrubs the whole text before it is cut, so no part of a secret is left', () => {
      const shown = errorMessage(
        new Error(`${'x'.repeat(990)} ${SECRET}`),
        scrub
      )
      expect(leakedPieces(shown, SECRET)).toEqual([])
      expect(shown).toBe(`${'x'.repeat(990)} ***`)
    })

    it('shows invisible characters and never cuts inside a surrogate pair', () => {
      expect(errorMessage(new Error('a\u202eb'))).toBe('a\\u202eb')
      expect(errorMessage(new Error(`${'x'.repeat(999)}😀`))).toBe(
        `${'x'.repeat(999)}…`
      )
    })
  })
})

describe('scrubMetadata', () => {
  const SECRET = 'cf-token/SECRET+0123456789'
  const scrub = scrubber([SECRET])
  const spelled = [...SECRET]
    .map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .join('')

  it('finds a secret spelled with \\u escapes, which the report would decode', () => {
    const metadata = `{"note": "${spelled}", "run": 1}`
    expect(metadata).not.toContain(SECRET)
    expect(scrubMetadata(metadata, scrub)).toBe('{"note":"***","run":1}')
  })

  it('keeps metadata without a secret exactly as the API gave it', () => {
    expect(scrubMetadata('{"run": "nightly",  "pr": 42}', scrub)).toBe(
      '{"run": "nightly",  "pr": 42}'
    )
  })

  it('scrubs metadata that is not JSON, or nests too deeply to decode and write, as text', () => {
    expect(scrubMetadata(`not json ${SECRET}`, scrub)).toBe('not json ***')
    const deep = `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)},"b":"${SECRET}"}`
    expect(scrubMetadata(deep, scrub)).not.toContain(SECRET)
  })
})

describe('run, measured by GraphQL Analytics', () => {
  const HOUR = 3_600_000
  const call = (atMs: number, metadataValues: string[] = []): FakeCall => ({
    atMs,
    durationMs: 800,
    costMicros: 10_000,
    tokensIn: 10,
    tokensOut: 20,
    errored: false,
    cached: false,
    statusCode: 200,
    model: 'gpt-4o-mini',
    provider: 'openai',
    metadataValues
  })
  /** The analytics source posts its queries and makes no GET of the logs API. */
  const noGet: GatewayDeps['send'] = () =>
    Promise.reject(new Error('no GET expected'))
  const analyticsRun = () => {
    inputs = {
      ...inputs,
      'log-id': '',
      'run-id': 'r1',
      since: '2026-11-25T06:00:00Z',
      until: '2026-11-25T09:00:00Z',
      source: 'analytics',
      'max-cost': '1'
    }
  }

  it('names the selection in the words of analytics, and says nothing of a switch it did not make', async () => {
    analyticsRun()
    const fake = fakeAnalytics({
      calls: [call(NOW_MS - 2 * HOUR, ['r1']), call(NOW_MS - 2 * HOUR)]
    })
    await run(deps(noGet, { post: fake.post }))
    expect(outputs.result).toBe('pass')
    expect(outputs.markdown).toContain(
      '<sub>Cloudflare AI Gateway run "r1" \\(any metadata value, not one key: analytics matches values only\\), created from 2026-11-25T06:00:00Z to 2026-11-25T09:00:00Z · gateway gw'
    )
    expect(calls.filter((c) => c.startsWith('info:Measured by'))).toEqual([])
  })

  it('says why auto left the logs for analytics', async () => {
    inputs = {
      ...inputs,
      'log-id': '',
      since: '2026-11-25T06:00:00Z',
      until: '2026-11-25T09:00:00Z',
      'max-logs': '2',
      'max-cost': '1'
    }
    const rows = ['a', 'b', 'c'].map((id) =>
      row(id, { created_at: '2026-11-25T08:00:00Z' })
    )
    const fake = fakeAnalytics({
      calls: [0, 1, 2].map(() => call(NOW_MS - 2 * HOUR))
    })
    await run(deps(api(rows).send, { post: fake.post }))
    expect(outputs.result).toBe('pass')
    expect(calls).toContain(
      'info:Measured by GraphQL Analytics: the logs list 3 calls for it, more than max-logs (2)'
    )
  })

  it('says why auto left the logs for analytics when the list goes on in full pages of calls already read', async () => {
    inputs = {
      ...inputs,
      'log-id': '',
      since: '2026-11-25T06:00:00Z',
      until: '2026-11-25T09:00:00Z',
      'max-logs': '100',
      'max-cost': '1'
    }
    const rows = Array.from({ length: 100 }, (_, i) =>
      row(`call-${i}`, { created_at: '2026-11-25T08:00:00Z' })
    )
    // Pages 1 and 2 hold the 100 calls; every later page answers page 2 again, full, and the API counts
    // no more than max-logs: 100 distinct calls are read, and the list never ends.
    const send: GatewayDeps['send'] = (url) => {
      const u = new URL(url)
      if (u.pathname.endsWith('/logging-state'))
        return answer({ success: true, result: { platform: 'legacy' } })
      // Page 3 and on: page 2's answer again.
      const page = Number(u.searchParams.get('page'))
      u.searchParams.set('page', String(Math.min(page, 2)))
      return listAnswer(u.href, rows)
    }
    const fake = fakeAnalytics({
      calls: [0, 1, 2].map(() => call(NOW_MS - 2 * HOUR))
    })
    await run(deps(send, { post: fake.post }))
    expect(outputs.result).toBe('pass')
    expect(calls).toContain(
      'info:Measured by GraphQL Analytics: the logs list more calls for it than max-logs (100)'
    )
  })

  // A read that could not be shown whole is no verdict: with fail-on-breach false it is a warning and the
  // step passes; any other error still fails it.
  describe('a read that is not whole', () => {
    const warned = (message: string) => {
      expect(outputs.result).toBe('error')
      expect(process.exitCode).toBeUndefined()
      expect(annotations).toEqual([
        {
          kind: 'warning',
          message,
          title: 'AI Gateway gate (fail-on-breach is false)'
        }
      ])
    }
    const failed = (message: string) => {
      expect(outputs.result).toBe('error')
      expect(process.exitCode).toBe(1)
      expect(annotations).toEqual([
        { kind: 'error', message, title: 'AI Gateway gate: error' }
      ])
    }
    const OUT_OF_REQUESTS =
      'Could not read every call of run "r1" (metadata "run_id"): read 100 distinct calls, the API counts 120; the request budget is spent (request-budget allows 2 Cloudflare API requests; Cloudflare allows 1200 per 5 minutes per user): narrow the selection, or raise request-budget. The gate does not pass on part of a selection.'
    const outOfRequests = async () => {
      inputs = {
        ...inputs,
        'log-id': '',
        'run-id': 'r1',
        settle: '0',
        'request-budget': '2'
      }
      await run(
        deps(api(Array.from({ length: 120 }, (_, i) => row(`c${i}`))).send)
      )
    }
    const oneRunCall = () => [call(NOW_MS - 2 * HOUR, ['r1'])]

    it('fails the step when fail-on-breach is true', async () => {
      await outOfRequests()
      failed(OUT_OF_REQUESTS)
    })

    describe('with fail-on-breach false', () => {
      beforeEach(() => {
        inputs['fail-on-breach'] = 'false'
      })

      it('warns when the request budget runs out before every call of a run is read', async () => {
        await outOfRequests()
        warned(OUT_OF_REQUESTS)
      })

      it('warns when the request budget is spent before a log of log-ids could be read', async () => {
        inputs = {
          ...inputs,
          'log-id': '',
          'log-ids': 'a b',
          'request-budget': '2'
        }
        await run(deps(api([row('a')]).send))
        warned(
          'The request budget is spent: request-budget allows 2 Cloudflare API requests, all made before log "b" in gateway "gw" of account "acc" could be read. Cloudflare allows 1200 per 5 minutes per user and then locks the user out for 5 minutes: narrow the selection, or raise request-budget.'
        )
      })

      it('warns when the list answers a call without an id', async () => {
        inputs = { ...inputs, 'log-id': '', 'run-id': 'r1', settle: '0' }
        await run(deps(api([row('a'), row('')]).send))
        warned(
          'The API answered row 2 of page 1 of run "r1" (metadata "run_id") with an empty id: the gate cannot tell its calls apart'
        )
      })

      it('warns when the query budget is spent before analytics could answer', async () => {
        analyticsRun()
        inputs['query-budget'] = '1'
        const fake = fakeAnalytics({ calls: oneRunCall() })
        await run(deps(noGet, { post: fake.post }))
        warned(
          'The totals of the window need 1 GraphQL queries (GraphQL Analytics reads at most 2764800 s a query) and query-budget allows 1 GraphQL query, 0 of them left: shorten the window or raise query-budget.'
        )
      })

      it('warns when analytics answers the totals with a count that is not a number', async () => {
        analyticsRun()
        const fake = fakeAnalytics({
          calls: oneRunCall(),
          intercept: (posted) =>
            posted.operation === 'Totals'
              ? groupsAnswer([{ count: 'many' }])
              : undefined
        })
        await run(deps(noGet, { post: fake.post }))
        warned(
          'GraphQL Analytics answered the totals query with an invalid answer: count is "many", not a whole number ≥ 0'
        )
      })

      it('still fails when analytics is turned off for the account', async () => {
        analyticsRun()
        const fake = fakeAnalytics({
          calls: oneRunCall(),
          settings: { enabled: false }
        })
        await run(deps(noGet, { post: fake.post }))
        failed(
          'GraphQL Analytics has aiGatewayRequestsAdaptiveGroups turned off for account "acc" (its settings say enabled: false): use source: logs.'
        )
      })

      it('still fails when a run has more calls than max-logs', async () => {
        inputs = {
          ...inputs,
          'log-id': '',
          'run-id': 'r1',
          settle: '0',
          'max-logs': '2'
        }
        await run(deps(api([row('a'), row('b'), row('c')]).send))
        failed(
          '3 calls match run "r1" (metadata "run_id"), more than max-logs (2): narrow the selection (a run id, a shorter window, filters) or raise max-logs'
        )
      })

      it('still fails when the API refuses the token', async () => {
        await run(
          deps(() =>
            answer(
              {
                success: false,
                errors: [{ code: 10000, message: 'Authentication error' }]
              },
              403
            )
          )
        )
        failed(
          'HTTP 403 from the API (10000: Authentication error): the API token needs the "AI Gateway Read" permission for account "acc".'
        )
      })
    })
  })
})
