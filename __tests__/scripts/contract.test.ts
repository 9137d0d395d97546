// The contract suite (scripts/contract.mjs): its table, its run against the stand-in (which must keep
// its own claims), a stand-in that answers otherwise (the check must say refuted, with the evidence),
// the real target's code pointed at the stand-in, --record and --replay, and every committed recording
// replayed: a recording whose answers refute an assumption fails here.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LOG_FIELDS } from '../../src/cloudflare/log.js'
import {
  ASSUMPTIONS,
  CHECKS,
  createRecorder,
  DETAIL_FIELDS,
  main,
  replayTarget,
  runContract,
  seedCostText,
  seedTarget,
  standInTarget,
  summaryLine,
  type CheckResult
} from '../../scripts/contract.mjs'
import {
  DEMO_ACCOUNT,
  DEMO_TOKEN,
  GITHUB_ACCOUNTS,
  startStandIn,
  type StandIn
} from '../../scripts/stand-in.mjs'

const ROOT = new URL('../../', import.meta.url).pathname
const FIXTURES = join(ROOT, '__tests__', 'fixtures', 'contract')
/** What only an account on Workers Observability, or one with AI Gateway analytics traffic, can tell. */
const UNKNOWN_ON_THE_STAND_IN = [
  'list.observability-account',
  'analytics.fields'
]

const verdicts = (results: CheckResult[]): Record<string, string> =>
  Object.fromEntries(results.map((r) => [r.id, r.verdict]))
const byId = (results: CheckResult[], id: string): CheckResult =>
  results.find((r) => r.id === id)!

/** Runs the CLI in this process; returns its exit code and every line it printed. */
async function cli(
  argv: string[],
  env: Record<string, string> = {}
): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = []
  const code = await main(argv, env, (line) => lines.push(...line.split('\n')))
  return { code, lines }
}

interface Rewrite {
  /** Changes the URL asked of the stand-in. */
  request?: (url: URL) => void
  /** Changes a JSON answer (the URL is the one the client asked for). */
  answer?: (asked: URL, body: Record<string, unknown>) => void
}

/** A loopback proxy in front of the stand-in that answers one thing otherwise. */
async function startProxy(
  origin: string,
  rewrite: Rewrite
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const asked = new URL(req.url ?? '/', origin)
    const upstream = new URL(asked)
    rewrite.request?.(upstream)
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const forward = http.request(
        upstream,
        {
          method: req.method,
          headers: { authorization: req.headers.authorization ?? '' }
        },
        (answer) => {
          let text = ''
          answer.setEncoding('utf8')
          answer.on('data', (chunk: string) => (text += chunk))
          answer.on('end', () => {
            let body = text
            try {
              const json = JSON.parse(text) as Record<string, unknown>
              rewrite.answer?.(asked, json)
              body = JSON.stringify(json)
            } catch {
              // not JSON: passed as it came
            }
            res.writeHead(answer.statusCode ?? 502, {
              'content-type': 'application/json',
              ...(answer.headers['retry-after']
                ? { 'retry-after': answer.headers['retry-after'] }
                : {})
            })
            res.end(body)
          })
        }
      )
      forward.end(Buffer.concat(chunks))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  }
}

describe('the table', () => {
  it('gives every assumption an id, a statement, a source and the stand-in behaviour behind it, and a check', () => {
    const ids = ASSUMPTIONS.map((a) => a.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(Object.keys(CHECKS).sort()).toEqual([...ids].sort())
    for (const a of ASSUMPTIONS)
      expect([
        a.id,
        a.statement.length > 20,
        a.source.length > 10,
        a.standIn.length > 3
      ]).toEqual([a.id, true, true, true])
  })

  it('covers what the issue names: the detail, filters, paging, ordering, created_at, metadata, OR, an unknown gateway, logging-state, 429, GitHub', () => {
    expect(ASSUMPTIONS.map((a) => a.id)).toEqual(
      expect.arrayContaining([
        'detail.envelope',
        'detail.fields',
        'detail.duration-ms',
        'list.filters-json',
        'list.filters-flattened-ignored',
        'list.per-page-50',
        'list.per-page-51-refused',
        'list.total-count-filtered',
        'list.order-by-values',
        'list.created-at-seconds',
        'list.metadata-independent',
        'list.value-array-or',
        'list.unknown-gateway',
        'logging-state.shape',
        'rate-limit.429',
        'github.viewer-database-id',
        'github.comment-user-id',
        'github.workflow-runs-filters',
        'analytics.settings-node'
      ])
    )
  })

  it("checks the log detail's fields exactly as the action reads them (src/cloudflare/log.ts)", () => {
    expect(
      DETAIL_FIELDS.map(([name, type, required, nullable]) => [
        name,
        type,
        required ?? false,
        nullable ?? false
      ])
    ).toEqual(
      LOG_FIELDS.map((f) => [f.name, f.type, f.required, f.nullable ?? false])
    )
  })

  it('is the table of docs/contract.md, row for row', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'contract.md'), 'utf8')
    const documented = [
      ...doc.matchAll(/^\| `([a-z][a-z0-9-]*\.[a-z0-9.-]+)` \|/gm)
    ].map((m) => m[1])
    expect(documented).toEqual(ASSUMPTIONS.map((a) => a.id))
    const cell = (text: string): string => text.replace(/\|/g, '\\|')
    for (const a of ASSUMPTIONS)
      expect(doc).toContain(
        `| \`${a.id}\` | ${cell(a.statement)} | ${cell(a.source)} | ${cell(a.standIn)} |`
      )
  })
})

describe('npm run contract, against the stand-in (the default)', () => {
  it('says which target it used, seeds it, and every assumption the stand-in can show holds', async () => {
    const { code, lines } = await cli([])
    expect(code).toBe(0)
    expect(lines[1]).toMatch(
      /^target: the local stand-in \(scripts\/stand-in\.mjs\) at http:\/\/127\.0\.0\.1:\d+$/
    )
    expect(lines[2]).toMatch(
      /no CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_GATEWAY_ID set/
    )
    expect(lines).toContain(
      lines.find((l) => /^seeded the stand-in with 4 calls/.test(l))
    )
    const results = lines.filter((l) => /^(holds|refuted|unknown) /.test(l))
    expect(results).toHaveLength(ASSUMPTIONS.length)
    expect(
      results
        .filter((l) => !l.startsWith('holds'))
        .map((l) => l.split(/\s+/)[1])
    ).toEqual(UNKNOWN_ON_THE_STAND_IN)
    expect(lines.at(-1)).toBe(
      `${ASSUMPTIONS.length - 2} hold, 0 refuted, 2 unknown`
    )
    expect(lines.at(-2)).toMatch(
      /^requests: \d+ to Cloudflare's API, 4 call\(s\) through the gateway, 3 to GitHub$/
    )
  })

  it('runs as a command with no credentials and no network, and exits 0', () => {
    const env = { ...process.env }
    for (const name of Object.keys(env))
      if (/^(CLOUDFLARE_|GITHUB_TOKEN)/.test(name)) delete env[name]
    const run = spawnSync(
      process.execPath,
      [join(ROOT, 'scripts', 'contract.mjs')],
      { env, encoding: 'utf8', timeout: 60_000 }
    )
    expect(run.status).toBe(0)
    expect(run.stdout).toMatch(/^target: the local stand-in/m)
    expect(run.stdout.trim().split('\n').at(-1)).toMatch(
      /^\d+ hold, 0 refuted, 2 unknown$/
    )
  })

  it('refuses half a set of credentials, --seed without them, and options it does not know', async () => {
    const half = await cli([], {
      CLOUDFLARE_API_TOKEN: 't',
      CLOUDFLARE_ACCOUNT_ID: 'a'
    })
    expect(half.code).toBe(2)
    expect(half.lines[0]).toBe(
      'contract: CLOUDFLARE_GATEWAY_ID not set: the real target needs CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_GATEWAY_ID (or none of them, for the stand-in)'
    )
    expect((await cli(['--seed'])).code).toBe(2)
    expect((await cli(['--nope'])).lines[0]).toBe(
      'contract: unknown option --nope'
    )
    expect((await cli(['--record'])).lines[0]).toBe(
      'contract: --record needs a value'
    )
    const clear = await cli([], {
      CLOUDFLARE_API_TOKEN: 't',
      CLOUDFLARE_ACCOUNT_ID: 'a',
      CLOUDFLARE_GATEWAY_ID: 'g',
      CLOUDFLARE_API_URL: 'http://api.example/client/v4'
    })
    expect(clear.code).toBe(2)
    expect(clear.lines[0]).toMatch(
      /the Cloudflare API URL must be https:\/\/ \(http:\/\/ only to a loopback host/
    )
  })

  it('--list prints every assumption with its statement, source and stand-in behaviour', async () => {
    const { code, lines } = await cli(['--list'])
    expect(code).toBe(0)
    expect(lines.filter((l) => /^\S/.test(l))).toEqual(
      ASSUMPTIONS.map((a) => a.id)
    )
  })
})

describe('a stand-in that answers otherwise', () => {
  let standIn: StandIn
  beforeAll(async () => {
    standIn = await startStandIn()
  })
  afterAll(async () => {
    await standIn.close()
  })

  /** The suite against the stand-in behind a proxy; recorded too, so that the replay can be checked. */
  async function against(rewrite: Rewrite, record?: string) {
    const proxy = await startProxy(standIn.origin, rewrite)
    try {
      const target = await standInTarget({
        standIn,
        apiUrl: `${proxy.url}/client/v4`
      })
      await seedTarget(target)
      const recorder = createRecorder(target)
      const run = await runContract(target)
      if (record)
        recorder.write(record, {
          results: run.results,
          secrets: target.secrets,
          note: 'test'
        })
      return run
    } finally {
      await proxy.close()
    }
  }

  it('per_page=51 accepted (and the token echoed): list.per-page-51-refused is refuted with the evidence, the token scrubbed, and counted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'contract-refuted-'))
    try {
      const { results, tally } = await against(
        {
          request: (url) => {
            if (url.searchParams.get('per_page') === '51')
              url.searchParams.set('per_page', '50')
          },
          answer: (asked, body) => {
            if (asked.searchParams.get('per_page') === '51')
              body.messages = [
                { code: 1, message: `accepted for Bearer ${DEMO_TOKEN}` }
              ]
          }
        },
        dir
      )
      const check = byId(results, 'list.per-page-51-refused')
      expect(check.verdict).toBe('refuted')
      expect(check.evidence).toMatch(
        /^per_page=51: HTTP 200 with \d+ rows, result_info \{"page":1,"per_page":50,/
      )
      expect(check.evidence).toContain('accepted for Bearer ***')
      expect(check.evidence).not.toContain(DEMO_TOKEN)
      expect(results.filter((r) => r.verdict === 'refuted')).toEqual([check])
      expect(summaryLine(tally)).toBe(
        `${ASSUMPTIONS.length - 3} hold, 1 refuted, 2 unknown`
      )

      // The recording of that answer, replayed, is a failing run: exit 1, the check refuted, the summary counting it.
      const replay = await cli(['--replay', dir])
      expect(replay.code).toBe(1)
      expect(
        replay.lines.find((l) => l.includes('list.per-page-51-refused'))
      ).toMatch(/^refuted +list\.per-page-51-refused +per_page=51: HTTP 200/)
      expect(replay.lines.at(-1)).toBe(
        `${ASSUMPTIONS.length - 3} hold, 1 refuted, 2 unknown`
      )
      expect(readFileSync(join(dir, 'manifest.json'), 'utf8')).not.toContain(
        DEMO_TOKEN
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('duration in seconds: detail.duration-ms is refuted, saying the number is not whole milliseconds of the call', async () => {
    const { results } = await against({
      answer: (asked, body) => {
        const result = body.result as Record<string, unknown> | undefined
        if (/\/logs\/[^/]+$/.test(asked.pathname) && result?.duration)
          result.duration = (result.duration as number) / 1000
      }
    })
    const check = byId(results, 'detail.duration-ms')
    expect(check.verdict).toBe('refuted')
    expect(check.evidence).toMatch(
      /^duration 0\.\d+ for a call the client timed at \d+ ms: not whole milliseconds \(in seconds the call took \d+\.\d+\)$/
    )
    expect(results.filter((r) => r.verdict === 'refuted')).toEqual([check])
  })

  it('metadata filters matched as pairs: list.metadata-independent is refuted', async () => {
    // The proxy drops the rows whose metadata has no entry that is both the key and the value asked.
    const { results } = await against({
      answer: (asked, body) => {
        const raw = asked.searchParams.get('filters')
        const list = raw
          ? (JSON.parse(raw) as { key: string; value: string[] }[])
          : []
        const key = list.find((f) => f.key === 'metadata.key')?.value[0]
        const value = list.find((f) => f.key === 'metadata.value')?.value[0]
        if (key === undefined || value === undefined) return
        const rows = (body.result as { metadata: string }[]).filter(
          (r) =>
            (JSON.parse(r.metadata) as Record<string, string>)[key] === value
        )
        body.result = rows
        ;(body.result_info as Record<string, number>).total_count = rows.length
      }
    })
    const check = byId(results, 'list.metadata-independent')
    expect(check.verdict).toBe('refuted')
    expect(check.evidence).toMatch(
      /not matched \(total_count 0\): pairs match, not independently$/
    )
  })
})

describe('the real target, pointed at the stand-in', () => {
  let standIn: StandIn
  let env: Record<string, string>
  beforeAll(async () => {
    standIn = await startStandIn()
    standIn.addRun({
      runId: 'r1',
      calls: 7,
      gateway: 'gw',
      metadata: { note: 'x' }
    })
    env = {
      CLOUDFLARE_API_TOKEN: standIn.token,
      CLOUDFLARE_ACCOUNT_ID: DEMO_ACCOUNT,
      CLOUDFLARE_GATEWAY_ID: 'gw',
      CLOUDFLARE_API_URL: standIn.apiUrl,
      CLOUDFLARE_GATEWAY_URL: standIn.gatewayUrl,
      GITHUB_API_URL: standIn.githubApiUrl,
      GITHUB_TOKEN: GITHUB_ACCOUNTS.actions.token,
      GITHUB_REPOSITORY: 'o/r'
    }
  })
  afterAll(async () => {
    await standIn.close()
  })

  it('only reads without --seed, under the request cap, and never provokes a 429', async () => {
    const before = standIn.requests.length
    const { code, lines } = await cli([], env)
    expect(code).toBe(0)
    expect(lines[1]).toMatch(/^target: the real services: /)
    expect(lines[2]).toMatch(/^read-only: nothing is sent through the gateway/)
    const made = standIn.requests.slice(before)
    expect(made.filter((r) => r.path.startsWith('/gateway/'))).toEqual([])
    expect(
      made.every(
        (r) =>
          r.method === 'GET' ||
          r.path === '/github/graphql' ||
          r.path === '/client/v4/graphql'
      )
    ).toBe(true)
    expect(standIn.rateLimited()).toBe(0)
    const cloudflare = made.filter((r) => r.path.startsWith('/client/v4/'))
    expect(cloudflare.length).toBeLessThan(50)
    expect(lines.at(-2)).toBe(
      `requests: ${cloudflare.length} to Cloudflare's API (cap 50), 0 call(s) through the gateway, 4 to GitHub`
    )
    expect(lines.find((l) => l.includes('rate-limit.429'))).toMatch(
      /^unknown +rate-limit\.429 +never provoked against a real account \(past the limit Cloudflare refuses every request of the user for 5 minutes\)/
    )
    expect(lines.find((l) => l.includes('detail.duration-ms'))).toMatch(
      /^unknown .*the run was not seeded/
    )
    // read-only, the newest logs are enough for these
    for (const id of [
      'list.metadata-independent',
      'list.value-array-or',
      'list.created-at-seconds'
    ])
      expect(lines.find((l) => l.includes(id))).toMatch(/^holds /)
    expect(lines.at(-1)).toMatch(/^\d+ hold, 0 refuted, \d+ unknown$/)
  })

  it('--seed says what it costs before it sends anything, then sends 4 calls with known metadata', async () => {
    const before = standIn.requests.length
    const { code, lines } = await cli(['--seed'], env)
    expect(code).toBe(0)
    const cost = lines.findIndex((l) => l.startsWith('--seed sends 4 calls'))
    const seeded = lines.findIndex((l) => l.startsWith('seeded: 4 calls'))
    expect(cost).toBeGreaterThan(0)
    expect(seeded).toBeGreaterThan(cost)
    expect(lines[cost + 1]).toMatch(/at most [\d.]+ neurons in all/)
    const made = standIn.requests.slice(before)
    expect(made.filter((r) => r.path.startsWith('/gateway/'))).toHaveLength(4)
    for (const id of [
      'detail.duration-ms',
      'log.created-at-call-time',
      'list.order-created-at-asc'
    ])
      expect(lines.find((l) => l.includes(id))).toMatch(/^holds /)
    expect(
      made.filter((r) => r.path.startsWith('/client/v4/')).length
    ).toBeLessThan(50)
  })
})

describe('a recording of the real target (pointed at the stand-in)', () => {
  it('scrubs the logs it did not seed (metadata mapped, heads and paths replaced), and still replays to the same verdicts', async () => {
    const standIn = await startStandIn()
    const dir = mkdtempSync(join(tmpdir(), 'contract-real-record-'))
    try {
      standIn.addRun({
        runId: 'secret-run',
        calls: 3,
        gateway: 'gw',
        metadata: { note: 'private-note' }
      })
      const env = {
        CLOUDFLARE_API_TOKEN: standIn.token,
        CLOUDFLARE_ACCOUNT_ID: DEMO_ACCOUNT,
        CLOUDFLARE_GATEWAY_ID: 'gw',
        CLOUDFLARE_API_URL: standIn.apiUrl
      }
      const recorded = await cli(['--record', dir], env)
      expect(recorded.code).toBe(0)
      const prepare = JSON.parse(
        readFileSync(join(dir, 'exchanges', 'prepare.json'), 'utf8')
      ) as { answer: { body: { result: Record<string, unknown>[] } } }[]
      const rows = prepare[0]!.answer.body.result
      expect(rows).toHaveLength(3)
      for (const row of rows) {
        expect(row.metadata).toBe('{"key-1":"value-1","key-2":"value-2"}')
        expect(row.path).toBe('[scrubbed]')
        expect(row.id).toMatch(/^log-0[1-3]$/)
      }
      const everything =
        readdirSync(join(dir, 'exchanges'))
          .map((f) => readFileSync(join(dir, 'exchanges', f), 'utf8'))
          .join('\n') + readFileSync(join(dir, 'manifest.json'), 'utf8')
      for (const secret of [
        'secret-run',
        'private-note',
        'run_id',
        standIn.token,
        DEMO_ACCOUNT,
        'sk-demo-provider-key'
      ])
        expect([secret, everything.includes(secret)]).toEqual([secret, false])
      expect(
        JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))
      ).toMatchObject({
        target: 'real',
        note: expect.stringMatching(/from the real services/)
      })

      const replay = await cli(['--replay', dir])
      const lines = (l: string[]) =>
        l
          .filter((x) => /^(holds|refuted|unknown) /.test(x))
          .map((x) => x.split(/\s+/).slice(0, 2).join(' '))
      expect(lines(replay.lines)).toEqual(lines(recorded.lines))
      // the read-only check that crosses two metadata entries replays with the mapped ones
      expect(
        replay.lines.find((l) => l.includes('list.metadata-independent'))
      ).toMatch(
        /^holds .*metadata\.key eq key-1 with metadata\.value eq value-2/
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
      await standIn.close()
    }
  })
})

describe('--record and --replay', () => {
  it('records scrubbed answers that replay to the same verdicts, and says when a recording no longer fits the suite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'contract-record-'))
    try {
      const recorded = await cli(['--record', dir])
      expect(recorded.code).toBe(0)
      expect(recorded.lines).toContain(`recorded to ${dir}`)
      const files = readdirSync(join(dir, 'exchanges'))
      expect(files).toContain('prepare.json')
      const everything = [
        readFileSync(join(dir, 'manifest.json'), 'utf8'),
        ...files.map((f) => readFileSync(join(dir, 'exchanges', f), 'utf8'))
      ].join('\n')
      for (const secret of [
        DEMO_TOKEN,
        DEMO_ACCOUNT,
        'octo-org',
        GITHUB_ACCOUNTS.actions.token,
        GITHUB_ACCOUNTS.personal.login,
        'contract-gateway'
      ])
        expect([secret, everything.includes(secret)]).toEqual([secret, false])
      // log ids are placeholders
      expect(everything).not.toMatch(/"id": "01[0-9A-Z]{24}"/)
      expect(everything).toMatch(/"log-01"/)

      const replay = await cli(['--replay', dir])
      expect(replay.code).toBe(0)
      const manifest = JSON.parse(
        readFileSync(join(dir, 'manifest.json'), 'utf8')
      ) as { results: CheckResult[] }
      expect(
        replay.lines
          .filter((l) => /^(holds|refuted|unknown) /.test(l))
          .map((l) => l.split(/\s+/).slice(0, 2).join(' '))
      ).toEqual(manifest.results.map((r) => `${r.verdict} ${r.id}`))

      // A request the recording does not hold: that check cannot tell, and says to record again.
      const file = join(dir, 'exchanges', 'list.per-page-51-refused.json')
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace(
          '"per_page",\n          51',
          '"per_page",\n          52'
        )
      )
      const stale = await cli(['--replay', dir])
      expect(
        stale.lines.find((l) => l.includes('list.per-page-51-refused'))
      ).toMatch(/^unknown .*differs from the recording .*record again$/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('the committed recordings', () => {
  const folders = existsSync(FIXTURES)
    ? readdirSync(FIXTURES).filter((f) =>
        existsSync(join(FIXTURES, f, 'manifest.json'))
      )
    : []

  it('include the stand-in’s, in a folder that says so, and a README saying where real ones go', () => {
    expect(folders).toContain('stand-in')
    const manifest = JSON.parse(
      readFileSync(join(FIXTURES, 'stand-in', 'manifest.json'), 'utf8')
    ) as { target: string; note: string }
    expect(manifest.target).toBe('stand-in')
    expect(manifest.note).toMatch(/not from Cloudflare or GitHub/)
    expect(readFileSync(join(FIXTURES, 'README.md'), 'utf8')).toMatch(
      /--record/
    )
  })

  it.each(folders)(
    '%s replays with the verdicts it was recorded with, and none refuted',
    async (folder) => {
      const manifest = JSON.parse(
        readFileSync(join(FIXTURES, folder, 'manifest.json'), 'utf8')
      ) as { results: CheckResult[] }
      const target = replayTarget(join(FIXTURES, folder))
      const { results } = await runContract(target)
      expect(results.filter((r) => r.verdict === 'refuted')).toEqual([])
      expect(verdicts(results)).toEqual(verdicts(manifest.results))
    }
  )
})

describe('--seed', () => {
  it('says the calls, the model, the tokens, the cost and that the logs stay', () => {
    expect(seedCostText()).toMatch(
      /^--seed sends 4 calls to Workers AI \(@cf\/meta\/llama-3\.2-1b-instruct\) through the gateway/
    )
    expect(seedCostText()).toMatch(
      /\$0\.0000\d\d at \$0\.011 per 1,000 neurons/
    )
    expect(seedCostText()).toMatch(/logs stay in the gateway/)
  })
})
