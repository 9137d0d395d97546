// End to end: the built dist/index.js run as a child process, as a runner runs it, against the local
// stand-in of the Cloudflare and GitHub APIs on 127.0.0.1. Run `npm run build` after changing src/.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ACTION_PATH, runAction } from '../../scripts/run-action.mjs'
import {
  DEMO_ACCOUNT,
  DEMO_GATEWAY,
  GITHUB_ACCOUNTS,
  LOGGING_STATES,
  startStandIn,
  type StandIn
} from '../../scripts/stand-in.mjs'
import { LOG_FIELD_OUTPUTS } from '../helpers/fixtures.js'

let standIn: StandIn
beforeAll(async () => {
  standIn = await startStandIn()
})
afterAll(async () => {
  await standIn.close()
})

const gate = (
  inputs: Record<string, string>,
  options: Parameters<typeof runAction>[1] = {}
) =>
  runAction(
    {
      'api-token': standIn.token,
      'account-id': DEMO_ACCOUNT,
      'gateway-id': DEMO_GATEWAY,
      'api-url': standIn.apiUrl,
      ...inputs
    },
    options
  )

/** The requests the stand-in saw for one log id. */
const requestsFor = (logId: string) =>
  standIn
    .logRequests()
    .filter((r) => r.path.endsWith(`/logs/${encodeURIComponent(logId)}`))

describe('the built action, run as a runner runs it', () => {
  it('passes a cheap call: outputs, every log field, and the summary; one HTTP request', async () => {
    const run = await gate({
      'log-id': 'cheap-call',
      'max-cost': '$0.05',
      'max-duration': '2s',
      'expected-status': '2xx'
    })
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({
      result: 'pass',
      passed: 'true',
      failures: '[]',
      id: 'cheap-call',
      cost: '0.0012',
      duration: '812',
      'tokens-in': '412',
      'tokens-out': '96',
      'status-code': '200',
      success: 'true',
      cached: 'false',
      'created-at': '2026-11-25T09:30:12.345Z'
    })
    for (const name of LOG_FIELD_OUTPUTS)
      expect(run.outputs).toHaveProperty([name])
    expect(JSON.parse(run.outputs.log ?? '')).toMatchObject({
      id: 'cheap-call',
      cost: 0.0012
    })
    expect(run.summary).toContain(
      '### ✅ AI Gateway gate: passed · all 4 checks passed'
    )
    expect(run.summary).toContain(
      '| cost | 0.0012 USD | ≤ 0.05 USD | ✅ pass |'
    )
    expect(run.summary).toContain(
      '| eval | summarise\\-v2 |'.replace('\\-', '-')
    )
    expect(run.outputs.markdown?.trim()).toBe(run.summary.trim())
    expect(requestsFor('cheap-call')).toHaveLength(1)
  })

  it('fails an expensive call after writing outputs and summary, one annotation per failed check', async () => {
    const run = await gate({
      'log-id': 'expensive-call',
      'max-cost': '0.05',
      'max-duration': '1500',
      'max-tokens-out': '8000'
    })
    expect(run.code).toBe(1)
    expect(run.outputs.result).toBe('fail')
    expect(run.outputs.passed).toBe('false')
    expect(JSON.parse(run.outputs.failures ?? '')).toEqual([
      {
        field: 'cost',
        input: 'max-cost',
        actual: 0.75,
        limit: 0.05,
        unit: 'USD',
        message: 'cost 0.75 USD > max-cost 0.05 USD'
      },
      {
        field: 'duration',
        input: 'max-duration',
        actual: 9400,
        limit: 1500,
        unit: 'ms',
        message: 'duration 9400 ms > max-duration 1500 ms'
      }
    ])
    const annotations = run.stdout
      .split('\n')
      .filter((l) => l.startsWith('::error'))
    expect(annotations).toEqual([
      '::error title=AI Gateway gate::cost 0.75 USD > max-cost 0.05 USD',
      '::error title=AI Gateway gate::duration 9400 ms > max-duration 1500 ms'
    ])
    // The outputs and annotations keep the exact numbers; the report rounds them for people.
    expect(run.summary).toContain(
      [
        '### ❌ AI Gateway gate: failed · 2 of 4 checks failed',
        '',
        '- ❌ cost 0.75 USD &gt; max-cost 0.05 USD',
        '- ❌ duration 9.4 s &gt; max-duration 1.5 s',
        ''
      ].join('\n')
    )
  })

  it('turns breaches into warnings and passes the step when fail-on-breach is false', async () => {
    const run = await gate({
      'log-id': 'expensive-call',
      'max-cost': '0.05',
      'fail-on-breach': 'false'
    })
    expect(run.code).toBe(0)
    expect(run.outputs.result).toBe('fail')
    expect(run.stdout).toContain(
      '::warning title=AI Gateway gate (fail-on-breach is false)::cost 0.75 USD > max-cost 0.05 USD'
    )
    expect(run.stdout).not.toContain('::error')
  })

  it('fails a failed call on require-success, and a gated field the log does not report', async () => {
    const run = await gate({
      'log-id': 'failed-call',
      'max-cost': '1',
      'max-tokens-in': '100'
    })
    expect(run.code).toBe(1)
    expect(run.outputs.cost).toBe('')
    expect(run.outputs['tokens-in']).toBe('')
    expect(
      JSON.parse(run.outputs.failures ?? '').map(
        (f: { field: string }) => f.field
      )
    ).toEqual(['cost', 'tokens_in', 'success'])
  })

  it('shows a sub-cent cost as the API gave it, never rounded', async () => {
    const run = await gate({ 'log-id': 'tiny-call', 'max-cost': '0.01' })
    expect(run.code).toBe(0)
    expect(run.summary).toContain('0.0000004 USD')
  })

  it('rejects bad inputs together, naming each input and value, before any request', async () => {
    const before = standIn.requests.length
    const run = await gate({
      'log-id': 'cheap-call',
      'max-cost': 'abc',
      'max-duration': '5h',
      'max-tokens-in': '1.5',
      'expected-status': '700',
      'require-success': 'yes'
    })
    expect(run.code).toBe(1)
    expect(standIn.requests.length).toBe(before)
    const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error'))
    expect(errors).toHaveLength(1)
    for (const part of [
      'max-cost "abc"',
      'max-duration "5h"',
      'max-tokens-in "1.5"',
      'expected-status "700"',
      'require-success "yes"'
    ]) {
      expect(errors[0]).toContain(part)
    }
    expect(run.outputs.result).toBe('error')
    expect(run.outputs.passed).toBe('false')
    expect(run.summary).toContain('### ⛔ AI Gateway gate: error, no verdict')
  })

  it('fails with no credentials, and never prints a stack trace', async () => {
    const run = await runAction({
      'account-id': 'a',
      'gateway-id': 'g',
      'log-id': 'x',
      'api-url': standIn.apiUrl
    })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      'no credentials: set api-token (or the CLOUDFLARE_API_TOKEN environment variable)'
    )
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /)
  })

  it('takes the token and account from CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID', async () => {
    const run = await runAction(
      {
        'gateway-id': DEMO_GATEWAY,
        'log-id': 'cheap-call',
        'api-url': standIn.apiUrl
      },
      {
        env: {
          CLOUDFLARE_API_TOKEN: standIn.token,
          CLOUDFLARE_ACCOUNT_ID: DEMO_ACCOUNT
        }
      }
    )
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`::add-mask::${standIn.token}`)
  })

  it('explains a token the API refuses, without retrying it', async () => {
    const run = await gate({
      'log-id': 'refused-token',
      'api-token': 'wrong-token-value'
    })
    expect(run.code).toBe(1)
    expect(run.outputs.result).toBe('error')
    expect(run.stdout).toContain(
      'the API token needs the "AI Gateway Read" permission for account'
    )
    expect(requestsFor('refused-token')).toHaveLength(1)
  })

  it('fails a log that never appears with its ids and the likely causes', async () => {
    const run = await gate({ 'log-id': 'never-written', 'wait-timeout': '0' })
    expect(run.code).toBe(1)
    const error = run.stdout.split('\n').find((l) => l.startsWith('::error'))
    expect(error).toContain(
      `Not found: log "never-written" in gateway "${DEMO_GATEWAY}" of account "${DEMO_ACCOUNT}"`
    )
    expect(error).toContain('cf-aig-collect-log: false')
    expect(run.outputs.result).toBe('error')
    expect(run.outputs.log).toBe('')
    expect(run.summary).toContain('Not found')
  })

  it('goes through the proxy that HTTP_PROXY names, as self-hosted runners set it', async () => {
    // http:// is allowed only for loopback hosts, and Node's proxy support proxies those too unless
    // NO_PROXY names them. Nothing listens on port 1: the log can only come through the proxy.
    const run = await gate(
      { 'log-id': 'cheap-call', 'api-url': 'http://localhost:1/client/v4' },
      { env: { HTTP_PROXY: standIn.origin, NO_PROXY: '' } }
    )
    expect(run.code).toBe(0)
    const seen = requestsFor('cheap-call').at(-1)
    expect(seen?.viaProxy).toBe(true)
  })

  it('loads node:https and node:tls only for an https api-url (start-up a plain http gate does not pay)', async () => {
    // A preload that writes, at exit, the Node built-ins the process loaded.
    const dir = mkdtempSync(join(tmpdir(), 'builtins-'))
    const preload = join(dir, 'builtins.cjs')
    writeFileSync(
      preload,
      "process.on('exit', () => require('node:fs').writeFileSync(process.env.BUILTINS_FILE, process.moduleLoadList.join('\\n')))\n"
    )
    const builtinsOf = async (inputs: Record<string, string>) => {
      const file = join(
        dir,
        `loaded-${new URL(inputs['api-url'] ?? '').protocol}`
      )
      const run = await gate(inputs, {
        env: { NODE_OPTIONS: `--require ${preload}`, BUILTINS_FILE: file }
      })
      return { run, loaded: readFileSync(file, 'utf8').split('\n') }
    }
    const plain = await builtinsOf({
      'log-id': 'cheap-call',
      'api-url': standIn.apiUrl
    })
    expect(plain.run.code).toBe(0)
    expect(plain.loaded).toContain('NativeModule http')
    expect(plain.loaded).not.toContain('NativeModule https')
    expect(plain.loaded).not.toContain('NativeModule tls')
    // Nothing listens on port 1: the request fails, after node:https was loaded to make it.
    const secure = await builtinsOf({
      'log-id': 'cheap-call',
      'api-url': 'https://127.0.0.1:1/client/v4',
      'max-retries': '0'
    })
    expect(secure.run.outputs.result).toBe('error')
    expect(secure.loaded).toContain('NativeModule https')
    expect(secure.loaded).toContain('NativeModule tls')
  })

  it('tunnels an https api-url through the proxy that HTTPS_PROXY names, never showing it the token', async () => {
    // A proxy that records what it is asked and refuses to connect: enough to see the action use it.
    const asked: { line: string; authorization?: string }[] = []
    const proxy = http.createServer()
    proxy.on('connect', (req: http.IncomingMessage, socket: net.Socket) => {
      asked.push({
        line: `${req.method} ${req.url}`,
        authorization: req.headers.authorization
      })
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n')
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    const { port } = proxy.address() as net.AddressInfo
    const run = await gate(
      {
        'log-id': 'cheap-call',
        'api-url': 'https://api.cloudflare.invalid/client/v4',
        'max-retries': '0'
      },
      { env: { HTTPS_PROXY: `http://127.0.0.1:${port}`, NO_PROXY: '' } }
    )
    await new Promise((resolve) => proxy.close(resolve))
    expect(asked).toEqual([
      { line: 'CONNECT api.cloudflare.invalid:443', authorization: undefined }
    ])
    expect(run.code).toBe(1)
    expect(run.outputs.result).toBe('error')
  })

  it('writes no summary outside GitHub, and says so', async () => {
    const run = await gate({ 'log-id': 'cheap-call' }, { summary: false })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('GITHUB_STEP_SUMMARY is not set')
  })

  it('does not write the summary when job-summary is false', async () => {
    const run = await gate({ 'log-id': 'cheap-call', 'job-summary': 'false' })
    expect(run.code).toBe(0)
    expect(run.summary).toBe('')
    expect(run.outputs.markdown).toContain('AI Gateway gate: passed')
  })
})

describe('faults, end to end', () => {
  it('waits out a 429 with Retry-After and passes', async () => {
    const run = await gate({
      'log-id': 'rate-limited-cheap-call',
      'max-cost': '0.05'
    })
    expect(run.code).toBe(0)
    const seen = requestsFor('rate-limited-cheap-call')
    expect(seen).toHaveLength(2)
    expect(seen[1]!.timeMs - seen[0]!.timeMs).toBeGreaterThanOrEqual(950)
  })

  it('fails at once on a Retry-After longer than a minute, saying when the API answers again', async () => {
    const run = await gate({ 'log-id': 'rate-limited-long' })
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(
      /wait 300 s \(Retry-After\), so it will answer again at/
    )
    expect(requestsFor('rate-limited-long')).toHaveLength(1)
  })

  it('retries a 503 HTML page and passes', async () => {
    const run = await gate({ 'log-id': 'html-503-cheap-call' })
    expect(run.code).toBe(0)
    expect(requestsFor('html-503-cheap-call')).toHaveLength(2)
  })

  it('never passes an HTML page with status 200', async () => {
    const run = await gate({ 'log-id': 'html-200', 'max-retries': '0' })
    expect(run.code).toBe(1)
    expect(run.outputs.result).toBe('error')
    expect(run.stdout).toContain('HTTP 200 with an HTML page, not JSON')
  })

  it.each([
    ['string-cost', 'cost is a string "0.0012", expected a number'],
    ['null-duration', 'duration is null']
  ])(
    'never passes a log with a field of the wrong type (%s)',
    async (logId, message) => {
      const run = await gate({ 'log-id': logId, 'max-cost': '1' })
      expect(run.code).toBe(1)
      expect(run.outputs.result).toBe('error')
      expect(run.stdout).toContain(message)
    }
  )

  it('picks up a log that appears after a few seconds, at about one request per second', async () => {
    const run = await gate({
      'log-id': 'late-2500-cheap-call',
      'wait-timeout': '20'
    })
    expect(run.code).toBe(0)
    const seen = requestsFor('late-2500-cheap-call')
    const spanMs = seen.at(-1)!.timeMs - seen[0]!.timeMs
    expect(spanMs).toBeGreaterThanOrEqual(2500)
    expect(spanMs).toBeLessThan(2500 + 1500) // picked up within about a second of appearing (polls are 1 s apart)
    expect(seen.length).toBeLessThanOrEqual(Math.ceil(spanMs / 1000) + 2)
  })

  it('gives up on a hung connection after request-timeout, and never hangs', async () => {
    const run = await gate({
      'log-id': 'hang',
      'request-timeout': '0.5',
      'max-retries': '1'
    })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('timed out after 0.5 s (request-timeout)')
    expect(requestsFor('hang')).toHaveLength(2)
    expect(run.wallMs).toBeLessThan(10_000)
  })

  it('retries after one hung attempt and passes', async () => {
    const run = await gate({
      'log-id': 'hang-once-cheap-call',
      'request-timeout': '0.5'
    })
    expect(run.code).toBe(0)
    expect(requestsFor('hang-once-cheap-call')).toHaveLength(2)
  })

  it('keeps a hostile log inert: no HTML, no broken tables, no mentions, no provider keys', async () => {
    const run = await gate({ 'log-id': 'hostile-call', 'max-cost': '1' })
    expect(run.code).toBe(0)
    const everything = [
      run.stdout,
      run.stderr,
      run.summary,
      ...Object.values(run.outputs)
    ].join('\n')
    for (const secret of [
      'PROVIDER-SECRET-1',
      'PROVIDER-SECRET-2',
      'PROVIDER-SECRET-3',
      'PROVIDER-SECRET-4',
      'PROVIDER-SECRET-5'
    ]) {
      expect(everything).not.toContain(secret)
    }
    expect(run.outputs['request-head']).toContain(
      '"authorization":"[redacted]"'
    )
    expect(run.summary).not.toMatch(/<(img|script|b)\b/i)
    expect(run.summary).not.toMatch(/@(octocat|everyone|team)/)
    expect(run.summary).not.toMatch(/[^\\]\]\(/)
    // Every row of every table has as many cells as its header: no value added a column or a row.
    const tables = run.summary
      .split('\n\n')
      .filter((block) => block.startsWith('|'))
    expect(tables).toHaveLength(3)
    for (const table of tables) {
      const cells = table
        .split('\n')
        .map((row) => row.split(/(?<!\\)\|/).length)
      expect(new Set(cells).size).toBe(1)
    }
    expect(run.summary.length).toBeLessThan(20_000)
  })

  it('never writes the API token to outputs, the summary or the log beyond its mask', async () => {
    const run = await gate({ 'log-id': 'expensive-call', 'max-cost': '0.05' })
    const everything = [
      run.summary,
      ...Object.values(run.outputs),
      run.stderr,
      run.stdout.replace(`::add-mask::${standIn.token}`, '')
    ].join('\n')
    expect(everything).not.toContain(standIn.token)
  })
})

describe('hostile endpoints, second round', () => {
  const errorLines = (stdout: string) =>
    stdout.split('\n').filter((l) => l.startsWith('::error'))

  it('never passes silently on a 101 Switching Protocols: each attempt fails, then the step does', async () => {
    const run = await gate({
      'log-id': 'upgrade-101',
      'max-retries': '1',
      'max-cost': '1'
    })
    expect(run.code).toBe(1)
    expect(run.outputs.result).toBe('error')
    expect(run.outputs.passed).toBe('false')
    expect(errorLines(run.stdout)).toEqual([
      expect.stringContaining(
        'the API answered HTTP 101 (switching protocols to "websocket") instead of an answer (2 attempts; max-retries is 1)'
      )
    ])
    expect(run.summary).toContain('AI Gateway gate: error')
    expect(requestsFor('upgrade-101')).toHaveLength(2)
  })

  it('retries a 101 like a dropped connection and passes on the next answer', async () => {
    const run = await gate({
      'log-id': 'upgrade-101-once-cheap-call',
      'max-cost': '1'
    })
    expect(run.code).toBe(0)
    expect(run.outputs.result).toBe('pass')
    expect(requestsFor('upgrade-101-once-cheap-call')).toHaveLength(2)
  })

  it('fails the step, with result=error, when the process is about to exit before the run finished', async () => {
    // Every HTTP request is left pending forever, as a 101 once left the request, and no timer fires
    // (not even the request's own, which would settle it): nothing is left for the event loop, and Node
    // would exit 0 with nothing written.
    const dir = mkdtempSync(join(tmpdir(), 'backstop-'))
    const preload = join(dir, 'pending-forever.mjs')
    writeFileSync(
      preload,
      [
        "import http from 'node:http'",
        "import { EventEmitter } from 'node:events'",
        'http.request = () => Object.assign(new EventEmitter(), { end() { return this }, destroy() { return this } })',
        'globalThis.setTimeout = () => ({ ref() { return this }, unref() { return this }, hasRef: () => false })'
      ].join('\n')
    )
    const run = await gate(
      { 'log-id': 'cheap-call', 'request-timeout': '0.5' },
      { env: { NODE_OPTIONS: `--import=${pathToFileURL(preload).href}` } }
    )
    expect(run.code).toBe(1)
    expect(run.outputs.result).toBe('error')
    expect(run.outputs.passed).toBe('false')
    expect(errorLines(run.stdout)).toEqual([
      expect.stringContaining('was about to exit before it finished')
    ])
  })

  it.each([
    ['negative-cost', 'cost is negative (-5)'],
    ['negative-duration', 'duration is negative (-1000)'],
    ['negative-tokens', 'tokens_in is negative (-1)']
  ])(
    'never passes a log with a negative amount (%s): the answer is invalid',
    async (logId, message) => {
      const run = await gate({
        'log-id': logId,
        'max-cost': '1',
        'max-duration': '10s',
        'max-tokens-in': '100'
      })
      expect(run.code).toBe(1)
      expect(run.outputs.result).toBe('error')
      expect(errorLines(run.stdout)).toEqual([expect.stringContaining(message)])
    }
  )

  it('prints a number too small to write out (1e-320) in a bounded width', async () => {
    const run = await gate({ 'log-id': 'tiny-number', 'max-cost': '0.01' })
    expect(run.code).toBe(0)
    expect(run.outputs.cost).toBe('1e-320')
    expect(run.summary).toContain(
      '| cost | 1e-320 USD | ≤ 0.01 USD | ✅ pass |'
    )
    expect(
      Math.max(...run.summary.split('\n').map((l) => l.length))
    ).toBeLessThan(200)
  })

  it('keeps all outputs under 1 MiB for a log with a huge head: the head cut visibly, `log` valid JSON', async () => {
    const run = await gate({ 'log-id': 'huge-head', 'max-cost': '1' })
    expect(run.code).toBe(0)
    expect(run.outputBytes).toBeLessThan(1024 * 1024)
    const log = JSON.parse(run.outputs.log ?? '') as { request_head: string }
    expect(log.request_head).toMatch(
      /^\{"content-type":"application\/json","x-trace":"h+…\[cut: \d+ more characters\]$/
    )
    expect(run.outputs['request-head']).toBe(log.request_head)
  })

  it('refuses an answer larger than any log detail at once, without retrying it', async () => {
    const run = await gate({ 'log-id': 'too-big' })
    expect(run.code).toBe(1)
    expect(run.outputs.result).toBe('error')
    expect(errorLines(run.stdout)).toEqual([
      expect.stringContaining('the API answered with more than 524288 bytes')
    ])
    expect(requestsFor('too-big')).toHaveLength(1)
  })

  const maxRssKib = (stderr: string) =>
    Number(/max-rss-kib=(\d+)/.exec(stderr)?.[1])
  const measured = () => ({
    env: {
      NODE_OPTIONS: `--import=${pathToFileURL(join(dirname(ACTION_PATH), '..', 'scripts', 'bench-maxrss.mjs')).href}`
    }
  })

  it('refuses a 15 MB answer before reading it, and stays small', async () => {
    const run = await gate(
      { 'log-id': 'big-answer-ascii-15360kib', 'max-cost': '1' },
      measured()
    )
    expect(run.outputs.result).toBe('error')
    expect(errorLines(run.stdout)).toEqual([
      expect.stringContaining(
        'the API answered with more than 524288 bytes (Content-Length'
      )
    ])
    expect(maxRssKib(run.stderr)).toBeLessThan(150 * 1024)
  })

  it.each([
    'ascii',
    'unicode',
    'many-headers',
    'many-metadata',
    'many-objects',
    'many-lines'
  ])(
    'stays under 150 MiB of memory for the largest answer it reads (%s)',
    async (shape) => {
      const run = await gate(
        { 'log-id': `big-answer-${shape}`, 'max-cost': '1' },
        measured()
      )
      expect(run.outputs.result).toBe('pass') // read whole, not refused for its size
      expect(maxRssKib(run.stderr)).toBeGreaterThan(0)
      expect(maxRssKib(run.stderr)).toBeLessThan(150 * 1024)
    }
  )

  it.each([
    [
      'a bare ? (the URL parser drops it, and the ids would go into the query)',
      (url: string) => `${url}?`,
      'must not have a query or fragment'
    ],
    [
      'a bare #',
      (url: string) => `${url}#`,
      'must not have a query or fragment'
    ],
    [
      'a query holding a token',
      (url: string) => `${url}?token=QUERY-SECRET-VALUE`,
      'must not have a query or fragment'
    ],
    [
      'http:// to a host that is not loopback',
      () => 'http://api.cloudflare.invalid/client/v4',
      'must be https'
    ]
  ])(
    'refuses an api-url with %s, before any request, never echoing query values',
    async (_name, apiUrl, message) => {
      const before = standIn.requests.length
      const run = await gate({
        'log-id': 'cheap-call',
        'api-url': apiUrl(standIn.apiUrl)
      })
      expect(run.code).toBe(1)
      expect(run.outputs.result).toBe('error')
      expect(errorLines(run.stdout)).toEqual([expect.stringContaining(message)])
      expect(standIn.requests.length).toBe(before)
      expect(
        [run.stdout, run.summary, ...Object.values(run.outputs)].join('\n')
      ).not.toContain('QUERY-SECRET-VALUE')
    }
  )

  it('accepts http:// to localhost', async () => {
    const run = await gate({
      'log-id': 'cheap-call',
      'api-url': standIn.apiUrl.replace('127.0.0.1', 'localhost')
    })
    expect(run.code).toBe(0)
  })

  it.each([
    ['api-token', { 'api-token': 'token-SECRET-PART\nX-Injected: yes' }, {}],
    ['api-token', { 'api-token': 'tökén-SECRET-PART' }, {}],
    [
      'the CLOUDFLARE_API_TOKEN environment variable',
      { 'api-token': '' },
      { CLOUDFLARE_API_TOKEN: 'token-SECRET-PART\u0007' }
    ],
    [
      'api-key',
      {
        'api-token': '',
        'api-email': 'me@example.com',
        'api-key': 'key-SECRET-PART\r\nX: 1'
      },
      {}
    ]
  ])(
    'refuses a credential that cannot be a header (%s) as an input error, before any request',
    async (name, inputs, env) => {
      const before = standIn.requests.length
      const run = await gate({ 'log-id': 'cheap-call', ...inputs }, { env })
      expect(run.code).toBe(1)
      expect(run.outputs.result).toBe('error')
      expect(errorLines(run.stdout)).toEqual([
        `::error title=AI Gateway gate%3A error::Invalid input: ${name} has a character that cannot be sent in an HTTP header (a line break, another control character or a non-ASCII character); the value is not shown`
      ])
      expect(standIn.requests.length).toBe(before)
      const written = [
        run.stdout
          .split('\n')
          .filter((l) => !l.startsWith('::add-mask::'))
          .join('\n'),
        run.summary,
        ...Object.values(run.outputs)
      ].join('\n')
      expect(written).not.toContain('SECRET-PART')
    }
  )

  it('names the host a redirect points to, does not follow it, and shows nothing of its query', async () => {
    const run = await gate({ 'log-id': 'redirect' })
    expect(run.code).toBe(1)
    expect(run.outputs.result).toBe('error')
    const [line] = errorLines(run.stdout)
    expect(line).toContain('HTTP 301 from the API for log "redirect"')
    expect(line).toContain(
      'a redirect to host "login.evil.example" (not followed'
    )
    expect(line).not.toContain('an empty body')
    expect(
      [run.stdout, run.summary, ...Object.values(run.outputs)].join('\n')
    ).not.toContain('stolen-by-redirect')
    expect(requestsFor('redirect')).toHaveLength(1)
  })

  it('asks logging-state once when a log is not found, and keeps the usual error for a legacy account', async () => {
    const run = await gate({
      'log-id': 'not-there-legacy',
      'wait-timeout': '0'
    })
    expect(run.code).toBe(1)
    expect(errorLines(run.stdout)).toEqual([
      expect.stringContaining('Likely causes: a wrong log-id or gateway-id')
    ])
    expect(
      standIn.requests.filter((r) =>
        r.path.endsWith('/ai-gateway/logging-state')
      ).length
    ).toBeGreaterThanOrEqual(1)
  })

  it('says the logs are in Workers Observability when logging-state says so, with what to do', async () => {
    const observed = await startStandIn({
      loggingState: LOGGING_STATES.workersObservability
    })
    try {
      const run = await runAction({
        'api-token': observed.token,
        'account-id': DEMO_ACCOUNT,
        'gateway-id': DEMO_GATEWAY,
        'api-url': observed.apiUrl,
        'log-id': 'never-written',
        'wait-timeout': '0'
      })
      expect(run.code).toBe(1)
      expect(run.outputs.result).toBe('error')
      const [line] = errorLines(run.stdout)
      expect(line).toContain('Not found: log "never-written"')
      expect(line).toContain(
        'keeps its AI Gateway logs in Workers Observability'
      )
      expect(line).toContain('Workers & Pages › Observability')
      expect(run.summary).toContain('Workers Observability')
      expect(observed.requests.map((r) => r.path)).toEqual([
        `/client/v4/accounts/${DEMO_ACCOUNT}/ai-gateway/gateways/${DEMO_GATEWAY}/logs/never-written`,
        `/client/v4/accounts/${DEMO_ACCOUNT}/ai-gateway/logging-state`
      ])
    } finally {
      await observed.close()
    }
  })
})

describe('the PR comment, end to end', () => {
  const dir = mkdtempSync(join(tmpdir(), 'event-'))
  let events = 0
  /** An event file as the runner writes it (GITHUB_EVENT_PATH), with exactly this text. */
  const eventFile = (text: string): string => {
    const path = join(dir, `event-${events++}.json`)
    writeFileSync(path, text)
    return path
  }
  // The pull_request event payload's fields the action reads (GitHub's webhook payload for pull_request).
  const prEvent = (n: number) =>
    JSON.stringify({
      action: 'synchronize',
      number: n,
      pull_request: {
        number: n,
        head: { repo: { full_name: 'o/r' } },
        base: { repo: { full_name: 'o/r' } }
      }
    })
  const runnerEnv = (event: string, eventPath: string) => ({
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: 'o/r',
    GITHUB_API_URL: standIn.githubApiUrl,
    GITHUB_WORKFLOW: 'evals',
    GITHUB_JOB: 'gate'
  })
  const prEnv = (n: number) => runnerEnv('pull_request', eventFile(prEvent(n)))
  const commentGate = (
    logId: string,
    githubToken: string,
    env: Record<string, string>,
    inputs: Record<string, string> = {}
  ) =>
    gate(
      {
        'log-id': logId,
        'max-cost': '0.05',
        comment: 'update',
        'github-token': githubToken,
        ...inputs
      },
      { env }
    )
  /** GitHub requests since `since`, as `METHOD /path` with comment ids as ID. */
  const githubRequests = (since: number) =>
    standIn.requests
      .slice(since)
      .filter((r) => r.path.startsWith('/github/'))
      .map((r) => `${r.method} ${r.path.replace(/\d{4,}/, 'ID')}`)
  const onIssue = (issue: number) =>
    standIn.comments.filter((c) => c.repo === 'o/r' && c.issue === issue)
  const MARKER = '<!-- ai-gateway-gate:key=evals%2Fgate -->'
  const annotations = (stdout: string) =>
    stdout.split('\n').filter((l) => /^::(warning|error)/.test(l))

  /** Accounts that look like ours by login, type or marker: a person named github-actions, another App's bot, a person quoting our marker. */
  const LOOK_ALIKES = [
    { login: 'github-actions', id: 70000001, type: 'User' },
    { login: 'other-app[bot]', id: 70000002, type: 'Bot' },
    { login: 'my-app', id: 70000003, type: 'User' },
    { login: 'mallory', id: 70000004, type: 'User' }
  ] as const

  it.each([
    ['GITHUB_TOKEN (github-actions[bot])', 'actions', 201],
    ['a GitHub App installation token (my-app[bot])', 'app', 202],
    ['a personal access token (a user)', 'personal', 203]
  ] as const)(
    'with %s: creates the comment once, then edits it in place; look-alikes stay untouched',
    async (_kind, kind, issue) => {
      const account = GITHUB_ACCOUNTS[kind]
      const forged = `### ✅ AI Gateway gate: passed\n${MARKER}\n`
      const lookAlikes = [
        ...LOOK_ALIKES.map((user) => standIn.addComment(issue, forged, user)),
        // The other token kinds' accounts are not this token's either.
        ...Object.values(GITHUB_ACCOUNTS)
          .filter((a) => a !== account)
          .map(({ login, id, type }) =>
            standIn.addComment(issue, forged, { login, id, type })
          )
      ]
      const env = prEnv(issue)

      let since = standIn.requests.length
      const first = await commentGate('cheap-call', account.token, env)
      expect([first.code, first.outputs.result]).toEqual([0, 'pass'])
      // Marked comments exist (the look-alikes'), so the action asks who it is, finds none of its own and creates one.
      const comments = `/github/repos/o/r/issues/${issue}/comments`
      expect(githubRequests(since)).toEqual([
        `GET ${comments}`,
        'POST /github/graphql',
        `POST ${comments}`
      ])

      since = standIn.requests.length
      const second = await commentGate('expensive-call', account.token, env)
      expect([second.code, second.outputs.result]).toEqual([1, 'fail'])
      expect(githubRequests(since)).toEqual([
        `GET ${comments}`,
        'POST /github/graphql',
        'PATCH /github/repos/o/r/issues/comments/ID'
      ])

      const ours = onIssue(issue).filter((c) => c.user.id === account.id)
      expect(ours).toHaveLength(1)
      expect(ours[0]!.body).toContain('AI Gateway gate: failed')
      expect(ours[0]!.body).toContain(MARKER)
      expect(first.outputs['comment-id']).toBe(String(ours[0]!.id))
      expect(second.outputs['comment-id']).toBe(String(ours[0]!.id))
      expect(second.outputs['comment-url']).toBe(
        `https://github.com/o/r/pull/${issue}#issuecomment-${ours[0]!.id}`
      )
      expect(second.stdout).toContain(
        `PR comment updated: https://github.com/o/r/pull/${issue}#issuecomment-${ours[0]!.id}`
      )
      for (const c of lookAlikes)
        expect(onIssue(issue).find((x) => x.id === c.id)?.body).toBe(forged)
      expect(onIssue(issue)).toHaveLength(lookAlikes.length + 1)
    }
  )

  it('creates a comment on a PR with no marked comment in one listing page and one write', async () => {
    standIn.addComment(204, 'LGTM', {
      login: 'octocat',
      id: 583231,
      type: 'User'
    })
    const since = standIn.requests.length
    const run = await commentGate('cheap-call', standIn.githubToken, prEnv(204))
    expect(run.code).toBe(0)
    expect(githubRequests(since)).toEqual([
      'GET /github/repos/o/r/issues/204/comments',
      'POST /github/repos/o/r/issues/204/comments'
    ])
    expect(onIssue(204).map((c) => c.user.login)).toEqual([
      'octocat',
      'github-actions[bot]'
    ])
  })

  it('finds its own comment after 2 full pages of the longest marked comments by another account, and edits only it', async () => {
    const issue = 230
    // GitHub's longest body, 65,536 characters (about 200 KB of UTF-8), with our marker: anyone can write it.
    const forged = `${MARKER}\n${'漢'.repeat(65_536 - MARKER.length - 1)}`
    const mallory = LOOK_ALIKES[3]
    for (let i = 0; i < 200; i++) standIn.addComment(issue, forged, mallory)
    const env = prEnv(issue)
    const first = await commentGate('cheap-call', standIn.githubToken, env)
    expect(first.outputs['comment-id']).not.toBe('')
    let since = standIn.requests.length
    const second = await commentGate('expensive-call', standIn.githubToken, env)
    const comments = `/github/repos/o/r/issues/${issue}/comments`
    // Pages 1 and 2 are full (100 each), page 3 has ours: three pages, then who we are, then the edit.
    expect(githubRequests(since)).toEqual([
      `GET ${comments}`,
      `GET ${comments}`,
      `GET ${comments}`,
      'POST /github/graphql',
      'PATCH /github/repos/o/r/issues/comments/ID'
    ])
    expect(second.outputs['comment-id']).toBe(first.outputs['comment-id'])
    const ours = onIssue(issue).filter(
      (c) => c.user.id === GITHUB_ACCOUNTS.actions.id
    )
    expect(ours).toHaveLength(1)
    expect(ours[0]!.body).toContain('AI Gateway gate: failed')
    expect(onIssue(issue).filter((c) => c.body === forged).length).toBe(200)
    since = standIn.requests.length
    // The same report again: the body read from the stream is the one to write, so nothing is written.
    const third = await commentGate('expensive-call', standIn.githubToken, env)
    expect(third.stdout).toContain('PR comment unchanged')
    expect(githubRequests(since).at(-1)).toBe('POST /github/graphql')
  })

  it('keeps two comments for two comment-keys, each edited in place', async () => {
    const env = prEnv(205)
    for (const logId of ['cheap-call', 'expensive-call']) {
      for (const key of ['model-a', 'model-b']) {
        const run = await commentGate(logId, standIn.githubToken, env, {
          'comment-key': key
        })
        expect(run.outputs['comment-id']).toMatch(/^\d+$/)
      }
    }
    const ours = onIssue(205)
    expect(ours).toHaveLength(2)
    expect(ours.map((c) => c.body.match(/key=([^ ]+) -->/)?.[1])).toEqual([
      'model-a',
      'model-b'
    ])
    for (const c of ours) expect(c.body).toContain('AI Gateway gate: failed')
  })

  it('writes on the pull request pr-number names from a workflow_run event', async () => {
    // The workflow_run event's payload (GitHub's webhook payload for workflow_run): no pull_request
    // object for a fork's run, which is why the number comes from the pr-number input.
    const payload = {
      action: 'completed',
      workflow_run: {
        id: 9001,
        event: 'pull_request',
        head_sha: 'abc123',
        pull_requests: []
      }
    }
    const env = runnerEnv('workflow_run', eventFile(JSON.stringify(payload)))
    const first = await commentGate('cheap-call', standIn.githubToken, env, {
      'pr-number': '206'
    })
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(
      /PR comment created: https:\/\/github\.com\/o\/r\/pull\/206#issuecomment-\d+/
    )
    const second = await commentGate(
      'expensive-call',
      standIn.githubToken,
      env,
      { 'pr-number': '206' }
    )
    expect(second.code).toBe(1)
    expect(onIssue(206)).toHaveLength(1)
    expect(onIssue(206)[0]!.body).toContain('AI Gateway gate: failed')
    expect(second.outputs['comment-id']).toBe(first.outputs['comment-id'])
  })

  it('without pr-number writes nothing on a workflow_run event, and says why', async () => {
    const env = runnerEnv(
      'workflow_run',
      eventFile(
        JSON.stringify({ action: 'completed', workflow_run: { id: 9001 } })
      )
    )
    const since = standIn.requests.length
    const run = await commentGate('cheap-call', standIn.githubToken, env)
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('No PR comment: the event is "workflow_run"')
    expect(run.stdout).toContain('pr-number')
    expect(githubRequests(since)).toEqual([])
  })

  it('refuses a pr-number that is not a whole number from 1 before any request', async () => {
    const since = standIn.requests.length
    const run = await commentGate(
      'cheap-call',
      standIn.githubToken,
      prEnv(207),
      { 'pr-number': '12abc' }
    )
    expect(run.code).toBe(1)
    expect(run.outputs.result).toBe('error')
    expect(annotations(run.stdout)).toEqual([
      '::error title=AI Gateway gate%3A error::Invalid input: pr-number "12abc" is not a pull request number (a whole number from 1)'
    ])
    expect(standIn.requests.length).toBe(since)
  })

  it('comment-on breach: nothing on a pass, a comment on a breach, then "passes now" on the next pass', async () => {
    const env = prEnv(208)
    const breachOnly = { 'comment-on': 'breach' }

    let since = standIn.requests.length
    const pass = await commentGate(
      'cheap-call',
      standIn.githubToken,
      env,
      breachOnly
    )
    expect([pass.code, pass.outputs.result]).toEqual([0, 'pass'])
    expect(githubRequests(since)).toEqual([
      'GET /github/repos/o/r/issues/208/comments'
    ])
    expect(pass.stdout).toContain(
      'No PR comment: the gate passed, comment-on is breach'
    )
    expect(pass.outputs['comment-id']).toBeUndefined()
    expect(onIssue(208)).toHaveLength(0)

    const breach = await commentGate(
      'expensive-call',
      standIn.githubToken,
      env,
      breachOnly
    )
    expect([breach.code, breach.outputs.result]).toEqual([1, 'fail'])
    expect(onIssue(208)).toHaveLength(1)
    expect(onIssue(208)[0]!.body).toContain('AI Gateway gate: failed')

    const error = await commentGate('never-written', standIn.githubToken, env, {
      ...breachOnly,
      'wait-timeout': '0'
    })
    expect(error.outputs.result).toBe('error')
    expect(onIssue(208)[0]!.body).toContain('AI Gateway gate: error')

    since = standIn.requests.length
    const passAgain = await commentGate(
      'cheap-call',
      standIn.githubToken,
      env,
      breachOnly
    )
    expect([passAgain.code, passAgain.outputs.result]).toEqual([0, 'pass'])
    const corrected = [
      'GET /github/repos/o/r/issues/208/comments',
      'POST /github/graphql',
      'PATCH /github/repos/o/r/issues/comments/ID'
    ]
    expect(githubRequests(since)).toEqual(corrected)
    expect(onIssue(208)).toHaveLength(1)
    expect(onIssue(208)[0]!.body).toMatch(/^\*\*The gate passes now\.\*\*/)
    expect(onIssue(208)[0]!.body).toContain('AI Gateway gate: passed')
    expect(onIssue(208)[0]!.body).not.toMatch(/AI Gateway gate: (failed|error)/)
    expect(passAgain.outputs['comment-id']).toBe(String(onIssue(208)[0]!.id))
  })

  it('never lets a hostile html_url reach stdout as a workflow command', async () => {
    standIn.setCommentHtmlUrl(
      'https://github.com/o/r/pull/209\n::stop-commands::zzz\n::error::forged by the server'
    )
    try {
      const run = await commentGate(
        'cheap-call',
        standIn.githubToken,
        prEnv(209)
      )
      expect([run.code, run.outputs.result]).toEqual([0, 'pass'])
      const lines = run.stdout.split('\n')
      expect(
        lines.filter(
          (l) => l.startsWith('::stop-commands') || l.startsWith('::error')
        )
      ).toEqual([])
      expect(lines).toContain(
        'PR comment created: https://github.com/o/r/pull/209\\n::stop-commands::zzz\\n::error::forged by the server'
      )
    } finally {
      standIn.setCommentHtmlUrl(undefined)
    }
  })

  it("never lets GitHub's error message reach stdout as a workflow command, and the gate's result stands", async () => {
    standIn.setGithubFault({
      status: 500,
      message: '\n::stop-commands::zzz\n::error::forged by the server'
    })
    try {
      const run = await commentGate(
        'cheap-call',
        standIn.githubToken,
        prEnv(210)
      )
      expect([run.code, run.outputs.result]).toEqual([0, 'pass'])
      const lines = run.stdout.split('\n')
      expect(
        lines.filter(
          (l) => l.startsWith('::stop-commands') || l.startsWith('::error')
        )
      ).toEqual([])
      const warnings = annotations(run.stdout)
      expect(warnings).toHaveLength(1)
      expect(warnings[0]).toMatch(
        /^::warning title=AI Gateway gate \(PR comment\)::Could not write the PR comment \(HTTP 500: ::stop-commands::zzz/
      )
    } finally {
      standIn.setGithubFault(undefined)
    }
  })

  it.each([
    ['is not JSON', '{"number": 42, "pull_request": '],
    ['is null', 'null']
  ])(
    'keeps a pass green when the event file %s: one warning, exit 0',
    async (_name, text) => {
      const since = standIn.requests.length
      const run = await commentGate(
        'cheap-call',
        standIn.githubToken,
        runnerEnv('pull_request', eventFile(text))
      )
      expect(run.code).toBe(0)
      expect(run.outputs.result).toBe('pass')
      expect(annotations(run.stdout)).toEqual([
        expect.stringMatching(
          /^::warning title=AI Gateway gate \(PR comment\)::No PR comment: .*GITHUB_EVENT_PATH/
        )
      ])
      expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /)
      expect(githubRequests(since)).toEqual([])
    }
  )

  it('writes with pr-number even when the event file is not JSON', async () => {
    const run = await commentGate(
      'cheap-call',
      standIn.githubToken,
      runnerEnv('workflow_run', eventFile('not json')),
      { 'pr-number': '211' }
    )
    expect(run.code).toBe(0)
    expect(annotations(run.stdout)).toEqual([])
    expect(onIssue(211)).toHaveLength(1)
  })

  it('writes no comment on a push event and leaves the gate alone', async () => {
    const run = await gate(
      {
        'log-id': 'cheap-call',
        comment: 'update',
        'github-token': standIn.githubToken
      },
      {
        env: { GITHUB_EVENT_NAME: 'push', GITHUB_API_URL: standIn.githubApiUrl }
      }
    )
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('No PR comment: the event is "push"')
    expect(run.outputs['comment-id']).toBeUndefined()
  })
})

/** Every run of 8 characters of `secret`: what a cut through it would leave. */
const secretPieces = (secret: string): string[] =>
  Array.from({ length: secret.length - 7 }, (_, i) => secret.slice(i, i + 8))

/** Everything the step wrote where people or later steps read it: the log (beyond the secret's own mask), outputs, summary. */
const written = (
  run: Awaited<ReturnType<typeof runAction>>,
  secret: string
): string =>
  [
    run.stdout
      .split('\n')
      .filter((l) => l !== `::add-mask::${secret}`)
      .join('\n'),
    run.stderr,
    run.summary,
    ...Object.values(run.outputs)
  ].join('\n')

/** Characters that display text reversed or hide it, lone surrogates, and U+FFFD (what a lone surrogate becomes in UTF-8). */
const INVISIBLE_OR_BROKEN =
  /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufffd\u{e0000}-\u{e007f}]|\p{Cs}/u

describe('hostile text, end to end', () => {
  it('reads a request line of 300 KiB of `?` (about the largest answer it reads) in well under the time a backtracking pattern took (a minute)', async () => {
    const run = await gate(
      { 'log-id': 'question-marks', 'max-cost': '1' },
      { timeoutMs: 25_000 }
    )
    expect(run.code).toBe(0)
    expect(run.outputs.result).toBe('pass')
    expect(
      run.outputs['request-head']?.startsWith('GET /v1/chat/completions??')
    ).toBe(true)
    expect(run.wallMs).toBeLessThan(10_000)
  })

  it('passes a log whose heads and metadata nest deeper than JSON.stringify can write', async () => {
    const run = await gate({ 'log-id': 'deep-json', 'max-cost': '1' })
    expect(run.stdout).not.toContain('Unexpected error')
    expect(run.code).toBe(0)
    expect(run.outputs.result).toBe('pass')
    expect(run.outputs['request-head']).toContain('[redacted]')
    expect(run.summary).toContain('| tree | \\(nested too deeply to show\\) |')
    expect(run.summary).toContain('| eval | deep |')
  })

  it('redacts list-shaped heads and credentials in URLs, in header values and in the path', async () => {
    const run = await gate({ 'log-id': 'list-head', 'max-cost': '1' })
    expect(run.code).toBe(0)
    const everything = [
      run.stdout,
      run.stderr,
      run.summary,
      ...Object.values(run.outputs)
    ].join('\n')
    expect(everything).not.toMatch(/LIST-SECRET-/)
    expect(run.outputs.path).toBe(
      'v1beta/models/gemini-2.0-flash:generateContent?key=[redacted]&alt=sse'
    )
    expect(JSON.parse(run.outputs['request-head'] ?? '')).toContainEqual({
      key: 'Content-Type',
      value: 'application/json'
    })
    expect(run.outputs['response-head']).toContain(
      'Location: https://app.example/callback?token=[redacted]&state=ok'
    )
  })

  it('shows bidirectional controls and zero-width characters in the report, and cuts no emoji in half', async () => {
    const run = await gate({ 'log-id': 'unicode-call', 'max-cost': '1' })
    expect(run.code).toBe(0)
    expect(run.summary).not.toMatch(INVISIBLE_OR_BROKEN)
    expect(run.outputs.markdown).not.toMatch(INVISIBLE_OR_BROKEN)
    // The escape is what the reader sees: its backslash is escaped for markdown.
    expect(run.summary).toContain(
      '| **Model** | gpt-4o\\\\u202e-inim\\\\u202c |'
    )
    expect(run.summary).toContain('open\\\\u200bai\\\\u2066')
    expect(run.summary).toContain(`| eval\\\\u2067 | ${'x'.repeat(199)}… |`)
  })

  it('writes no text from the API that could be a workflow command, is invisible, or is half a character', async () => {
    const run = await gate({ 'log-id': 'hostile-errors', 'max-retries': '1' })
    expect(run.code).toBe(1)
    expect(run.outputs.result).toBe('error')
    expect(run.stdout).not.toMatch(INVISIBLE_OR_BROKEN)
    for (const line of run.stdout
      .split('\n')
      .filter((l) => l.startsWith('::'))) {
      expect(line).toMatch(/^::(add-mask|debug|error|warning)( [^:]*)?::/)
    }
    const error = run.stdout.split('\n').find((l) => l.startsWith('::error'))
    expect(error).toContain(
      'bad request ::stop-commands::pwned ::error::forged\\u202e evil\\u200b'
    )
    expect(
      run.stdout
        .split('\n')
        .some((l) =>
          l.startsWith(
            '::debug::attempt 1 failed: HTTP 500 with 10000: bad request'
          )
        )
    ).toBe(true)
  })
})

describe('a token the API reflects, end to end', () => {
  // A bearer token may hold `/` and `+` (RFC 6750's b64token), which JSON and URLs write differently.
  const TOKEN = 'e2e/Token+Secret/0123456789abcdef'
  let reflecting: StandIn
  beforeAll(async () => {
    reflecting = await startStandIn({ token: TOKEN })
  })
  afterAll(async () => {
    await reflecting.close()
  })
  const reflected = (logId: string, inputs: Record<string, string> = {}) =>
    runAction({
      'api-token': TOKEN,
      'account-id': DEMO_ACCOUNT,
      'gateway-id': DEMO_GATEWAY,
      'api-url': reflecting.apiUrl,
      'log-id': logId,
      ...inputs
    })

  it('never writes a part of it when an error message quotes it across the cut', async () => {
    const run = await reflected('reflects-token', { 'max-retries': '1' })
    expect(run.code).toBe(1)
    expect(run.outputs.result).toBe('error')
    const text = written(run, TOKEN)
    for (const piece of secretPieces(TOKEN)) expect(text).not.toContain(piece)
    expect(run.stdout).toMatch(
      /::error title=AI Gateway gate%3A error::The API did not answer .*HTTP 500 with 10001: Invalid request headers: x+ Bearer \*\*\* was/
    )
    expect(run.stdout).toMatch(
      /::debug::attempt 1 failed: HTTP 500 with 10001: Invalid request headers: x+ Bearer \*\*\* was/
    )
  })

  it('never writes it from log fields that hold it JSON-escaped, \\u-escaped or percent-encoded', async () => {
    const run = await reflected('reflects-token-log', { 'max-cost': '1' })
    expect(run.code).toBe(0)
    const text = written(run, TOKEN)
    for (const piece of secretPieces(TOKEN)) expect(text).not.toContain(piece)
    expect(run.outputs['request-content-type']).toBe(
      'application/json; reflected=***'
    )
    expect(JSON.parse(run.outputs.metadata ?? '')).toEqual({
      echo: '***',
      note: `${'n'.repeat(190)}***`
    })
  })

  it('never writes a part of it when a wrong field value quoting it is cut', async () => {
    const run = await reflected('reflects-token-field', { 'max-cost': '1' })
    expect(run.code).toBe(1)
    expect(run.outputs.result).toBe('error')
    const text = written(run, TOKEN)
    for (const piece of secretPieces(TOKEN)) expect(text).not.toContain(piece)
    expect(run.stdout).toContain(
      `cost is a string "${'c'.repeat(30)}***", expected a number`
    )
  })
})
