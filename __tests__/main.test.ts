// run() with @actions/core mocked and the API client's outside world replaced: the order of what the
// step writes, and the backstop for errors that are not Errors.
import { afterAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import type { GatewayDeps, RawResponse } from '../src/gateway.js'
import { LOG } from './fixtures.js'
import { leakedPieces } from './hostile.js'

const calls: string[] = []
const outputs: Record<string, string> = {}
const record =
  (name: string) =>
  (...args: unknown[]) => {
    calls.push(`${name}:${String(args[0])}`)
  }
let inputs: Record<string, string> = {}
const summaryWrites: string[] = []

jest.unstable_mockModule('@actions/core', () => ({
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

const { errorMessage, run, scrubber, scrubMetadata } =
  await import('../src/main.js')

const log = { ...LOG, cost: 0.75 }

function deps(send: GatewayDeps['send'], overrides: Partial<GatewayDeps> = {}) {
  return {
    env: { GITHUB_STEP_SUMMARY: '/dev/null' },
    now: () => 0,
    gateway: {
      send,
      sleep: async () => undefined,
      now: () => 0,
      random: () => 0.5,
      debug: () => undefined,
      ...overrides
    }
  }
}
const answer = (body: unknown, status = 200): Promise<RawResponse> =>
  Promise.resolve({ status, headers: {}, body: JSON.stringify(body) })

// run() sets the exit code as the action would; Jest's own process must not exit with it.
afterAll(() => {
  process.exitCode = undefined
})

beforeEach(() => {
  calls.length = 0
  summaryWrites.length = 0
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
        if (u.pathname.endsWith('/logs')) {
          const page = Number(u.searchParams.get('page'))
          const perPage = Number(u.searchParams.get('per_page'))
          const result = rows.slice((page - 1) * perPage, page * perPage)
          return answer({
            success: true,
            result,
            result_info: {
              page,
              per_page: perPage,
              count: result.length,
              total_count: rows.length
            }
          })
        }
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
      expect(summaryWrites.join('')).toContain(
        '**2 calls** · total cost **0.003 USD**'
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

    it('fails an empty run with its likely causes, after asking where the account keeps its logs', async () => {
      inputs = { ...inputs, 'log-id': '', 'run-id': 'r9', 'wait-timeout': '0' }
      const { send, urls } = api([], 'workers_observability')
      await run(deps(send))
      expect(outputs.result).toBe('error')
      expect(urls.at(-1)).toMatch(/\/logging-state$/)
      const [error] = calls.filter((c) => c.startsWith('error:'))
      expect(error).toMatch(
        /^error:No calls found for run "r9" \(metadata "run_id"\) in gateway "gw" of account "acc"\. The account keeps its AI Gateway logs in Workers Observability/
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
          'response_content_type',
          'created_at'
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
      // The list endpoint as the API answers it: `created_at` filters compared at whole seconds, ascending pages.
      const send: GatewayDeps['send'] = (url) => {
        if (++requests > 200)
          return Promise.reject(new Error('the read does not end'))
        const query = new URL(url).searchParams
        const filters = JSON.parse(query.get('filters') ?? '[]') as {
          key: string
          operator: string
          value: string[]
        }[]
        const bound = (operator: string) =>
          filters.find((f) => f.key === 'created_at' && f.operator === operator)
            ?.value[0]
        const seconds = (ms: number) => Math.floor(ms / 1000)
        const gt = bound('gt')
        const lt = bound('lt')
        const rows = made()
          .filter(
            (ms) =>
              (gt === undefined || seconds(ms) > seconds(Date.parse(gt))) &&
              (lt === undefined || seconds(ms) < seconds(Date.parse(lt)))
          )
          .map((ms) => ({
            ...LOG,
            id: `call-${ms}`,
            created_at: new Date(ms).toISOString()
          }))
        const perPage = Number(query.get('per_page'))
        const page = Number(query.get('page'))
        const result = rows.slice((page - 1) * perPage, page * perPage)
        return answer({
          success: true,
          result,
          result_info: {
            page,
            per_page: perPage,
            count: result.length,
            total_count: rows.length
          }
        })
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
    })
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
