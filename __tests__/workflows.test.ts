// The repository's own workflows (.github/workflows/): the `action` job of ci.yml run here the way a
// runner runs it (its shell steps in bash with the job's environment, `uses: ./` as the built action
// with the step's inputs, the expressions it uses evaluated), the contract workflow's skip and its
// arguments, Dependabot's and CodeQL's settings. actionlint runs over every workflow in action.test.ts.
import { afterAll, describe, expect, it } from '@jest/globals'
import { spawn, spawnSync } from 'node:child_process'
import {
  chmodSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { parse } from 'yaml'
import { runAction } from '../scripts/run-action.mjs'

const ROOT = new URL('../', import.meta.url).pathname
const workflow = (file: string): Workflow =>
  parse(
    readFileSync(join(ROOT, '.github', 'workflows', file), 'utf8')
  ) as Workflow

interface Step {
  id?: string
  name?: string
  uses?: string
  run?: string
  if?: string
  with?: Record<string, string | number | boolean>
  env?: Record<string, string>
  'continue-on-error'?: boolean
}
interface Job {
  'runs-on': string
  env?: Record<string, string>
  steps: Step[]
}
interface Workflow {
  name: string
  on: Record<string, unknown>
  permissions: Record<string, string>
  jobs: Record<string, Job>
}

/** What a step left: its outcome, its outputs, what it printed. */
interface StepResult {
  outcome: 'success' | 'failure' | 'skipped'
  outputs: Record<string, string>
  log: string
}

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** The expressions the job uses, evaluated as the runner does; any other is an error, not a guess. */
function evaluate(
  text: string,
  env: Record<string, string>,
  steps: Record<string, StepResult>
): string {
  return text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expression: string) => {
    let m: RegExpExecArray | null
    if ((m = /^env\.(\w+)$/.exec(expression))) return env[m[1]!] ?? ''
    if ((m = /^toJSON\(steps\.([\w-]+)\.outputs\)$/.exec(expression)))
      return JSON.stringify(steps[m[1]!]?.outputs ?? {}, null, 2)
    if ((m = /^steps\.([\w-]+)\.outcome$/.exec(expression)))
      return steps[m[1]!]?.outcome ?? ''
    if ((m = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression)))
      return steps[m[1]!]?.outputs[m[2]!] ?? ''
    throw new Error(`the local runner does not evaluate \${{ ${expression} }}`)
  })
}

/** Process groups the job's shell steps left running (the stand-in), ended after the job. */
const groups: number[] = []
afterAll(() => {
  for (const pid of groups)
    try {
      process.kill(-pid, 'SIGTERM')
    } catch {
      // already gone
    }
})

/** One `run:` step, as the runner runs it: bash -eo pipefail on a script file, in the repository. */
async function runShell(
  script: string,
  env: Record<string, string>
): Promise<{ code: number | null; log: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'step-'))
  const file = join(dir, 'step.sh')
  writeFileSync(file, script)
  const child = spawn(
    'bash',
    ['--noprofile', '--norc', '-eo', 'pipefail', file],
    {
      cwd: ROOT,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe']
    }
  )
  groups.push(child.pid!)
  let log = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (log += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (log += d))
  const code = await new Promise<number | null>((resolve) =>
    child.on('exit', (c) => resolve(c))
  )
  rmSync(dir, { recursive: true, force: true })
  return { code, log }
}

/** Runs a job's steps in order; a failing step without continue-on-error fails the job (throws). */
async function runJob(
  job: Job,
  jobEnv: Record<string, string>
): Promise<Record<string, StepResult>> {
  const steps: Record<string, StepResult> = {}
  const runnerTemp = mkdtempSync(join(tmpdir(), 'runner-temp-'))
  for (const [i, step] of job.steps.entries()) {
    const key = step.id ?? `step-${i + 1}`
    if (step.if)
      throw new Error(`the local runner does not evaluate if: ${step.if}`)
    let result: StepResult
    if (step.uses && /^actions\/(checkout|setup-node)@/.test(step.uses)) {
      // This machine has the checkout, and Node 24 runs these tests.
      result = { outcome: 'skipped', outputs: {}, log: '' }
    } else if (step.uses === './') {
      const inputs = Object.fromEntries(
        Object.entries(step.with ?? {}).map(([name, value]) => [
          name,
          evaluate(String(value), jobEnv, steps)
        ])
      )
      const run = await runAction(inputs, { env: jobEnv })
      result = {
        outcome: run.code === 0 ? 'success' : 'failure',
        outputs: run.outputs,
        log: run.stdout + run.stderr
      }
    } else if (step.run) {
      const env = {
        PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
        HOME: process.env.HOME ?? '/tmp',
        RUNNER_TEMP: runnerTemp,
        ...jobEnv,
        ...Object.fromEntries(
          Object.entries(step.env ?? {}).map(([n, v]) => [
            n,
            evaluate(String(v), jobEnv, steps)
          ])
        )
      }
      const run = await runShell(evaluate(step.run, jobEnv, steps), env)
      result = {
        outcome: run.code === 0 ? 'success' : 'failure',
        outputs: {},
        log: run.log
      }
    } else
      throw new Error(
        `the local runner does not run step ${JSON.stringify(step)}`
      )
    steps[key] = result
    if (result.outcome === 'failure' && !step['continue-on-error'])
      throw new Error(`step "${step.name ?? key}" failed:\n${result.log}`)
  }
  rmSync(runnerTemp, { recursive: true, force: true })
  return steps
}

describe('ci.yml', () => {
  const ci = workflow('ci.yml')

  it('runs .ci/run on ubuntu-latest, and the action itself with uses: ./', () => {
    expect(ci.jobs.ci?.['runs-on']).toBe('ubuntu-latest')
    expect(ci.jobs.ci?.steps.map((s) => s.run).filter(Boolean)).toEqual([
      'bash .ci/run'
    ])
    expect(ci.jobs.action?.steps.filter((s) => s.uses === './')).toHaveLength(2)
    expect(ci.permissions).toEqual({ contents: 'read' })
  })

  it("its action job's steps pass here as on a runner: the stand-in started, the gates run, their outputs checked", async () => {
    const port = String(await freePort())
    const steps = await runJob(ci.jobs.action!, {
      ...ci.jobs.action!.env,
      STAND_IN_PORT: port
    })
    expect(steps.pass).toMatchObject({
      outcome: 'success',
      outputs: { result: 'pass' }
    })
    expect(steps.fail).toMatchObject({
      outcome: 'failure',
      outputs: { result: 'fail' }
    })
    const check = Object.values(steps).at(-1)!
    expect(check.outcome).toBe('success')
    expect(check.log).toMatch(/^ok {3}result is "pass"$/m)
    expect(check.log).not.toMatch(/^FAIL/m)
  })

  it('its output check fails on an output that differs, and on bad arguments', () => {
    const run = (...args: string[]) =>
      spawnSync(
        process.execPath,
        [join(ROOT, 'scripts', 'assert-outputs.mjs'), ...args],
        {
          encoding: 'utf8'
        }
      )
    const wrong = run(
      '{"result":"fail","cost":"0.75"}',
      'result=pass',
      'cost~0.7',
      'count=1'
    )
    expect(wrong.status).toBe(1)
    expect(wrong.stdout.trim().split('\n')).toEqual([
      'FAIL result is "pass", got "fail"',
      'ok   cost contains "0.7"',
      'FAIL count is "1", got no such output'
    ])
    expect(run('not json', 'a=b').status).toBe(2)
    expect(run('{}').status).toBe(2)
    expect(run('{}', 'nonsense').status).toBe(2)
  })
})

describe('contract.yml', () => {
  const contract = workflow('contract.yml')
  const job = contract.jobs.contract!

  it('runs weekly and on demand (with a seed choice), reading only', () => {
    expect(Object.keys(contract.on).sort()).toEqual([
      'schedule',
      'workflow_dispatch'
    ])
    expect(contract.permissions).toEqual({
      contents: 'read',
      actions: 'read',
      issues: 'read',
      'pull-requests': 'read'
    })
    expect(job.env).toMatchObject({
      CLOUDFLARE_API_TOKEN: '${{ secrets.CLOUDFLARE_API_TOKEN }}',
      CLOUDFLARE_ACCOUNT_ID: '${{ secrets.CLOUDFLARE_ACCOUNT_ID }}',
      CLOUDFLARE_GATEWAY_ID: '${{ secrets.CLOUDFLARE_GATEWAY_ID }}'
    })
    // every step after the first runs only when the secrets are there
    for (const step of job.steps.slice(1))
      expect(step.if).toMatch(/steps\.secrets\.outputs\.present == 'true'/)
  })

  async function firstStep(env: Record<string, string>) {
    const dir = mkdtempSync(join(tmpdir(), 'contract-yml-'))
    const summary = join(dir, 'summary')
    const output = join(dir, 'output')
    writeFileSync(summary, '')
    writeFileSync(output, '')
    const run = await runShell(job.steps[0]!.run!, {
      PATH: process.env.PATH ?? '',
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_OUTPUT: output,
      ...env
    })
    const result = {
      ...run,
      summary: readFileSync(summary, 'utf8'),
      output: readFileSync(output, 'utf8')
    }
    rmSync(dir, { recursive: true, force: true })
    return result
  }

  it('without the secrets says, in one line, that it was skipped and why', async () => {
    const run = await firstStep({
      CLOUDFLARE_API_TOKEN: '',
      CLOUDFLARE_ACCOUNT_ID: '',
      CLOUDFLARE_GATEWAY_ID: ''
    })
    expect(run.code).toBe(0)
    expect(run.summary).toBe(
      'Contract suite skipped: the repository has no CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_GATEWAY_ID secrets, so there is no real account to check (CI checks the stand-in on every push).\n'
    )
    expect(run.output).toBe('present=false\n')
    const partial = await firstStep({
      CLOUDFLARE_API_TOKEN: 't',
      CLOUDFLARE_ACCOUNT_ID: '',
      CLOUDFLARE_GATEWAY_ID: 'g'
    })
    expect(partial.output).toBe('present=false\n')
    const all = await firstStep({
      CLOUDFLARE_API_TOKEN: 't',
      CLOUDFLARE_ACCOUNT_ID: 'a',
      CLOUDFLARE_GATEWAY_ID: 'g'
    })
    expect([all.output, all.summary]).toEqual(['present=true\n', ''])
  })

  it('with them runs npm run contract, recording, writing the job summary, and seeding only when asked', async () => {
    const step = job.steps.find((s) => s.run?.includes('npm run contract'))!
    expect(step.env).toEqual({
      GITHUB_TOKEN: '${{ github.token }}',
      SEED: '${{ inputs.seed }}'
    })
    const bin = mkdtempSync(join(tmpdir(), 'fake-npm-'))
    const npm = join(bin, 'npm')
    writeFileSync(npm, '#!/bin/sh\nprintf "%s\\n" "$@"\n')
    chmodSync(npm, 0o755)
    const args = async (seed: string) =>
      (
        await runShell(step.run!, {
          PATH: `${bin}:${process.env.PATH ?? ''}`,
          RUNNER_TEMP: '/runner/temp',
          GITHUB_STEP_SUMMARY: '/runner/summary',
          SEED: seed
        })
      ).log
        .trim()
        .split('\n')
    expect(await args('false')).toEqual([
      'run',
      'contract',
      '--',
      '--record',
      '/runner/temp/contract-recording',
      '--summary',
      '/runner/summary'
    ])
    expect((await args('true')).at(-1)).toBe('--seed')
    rmSync(bin, { recursive: true, force: true })
  })
})

describe('codeql.yml and dependabot.yml', () => {
  it('CodeQL analyses JavaScript and TypeScript', () => {
    const codeql = workflow('codeql.yml')
    const steps = codeql.jobs.analyze!.steps
    expect(
      steps.find((s) => s.uses?.startsWith('github/codeql-action/init@'))?.with
    ).toMatchObject({
      languages: 'javascript-typescript'
    })
    expect(
      steps.some((s) => s.uses?.startsWith('github/codeql-action/analyze@'))
    ).toBe(true)
  })

  it('Dependabot updates npm and GitHub Actions weekly, grouped', () => {
    const config = parse(
      readFileSync(join(ROOT, '.github', 'dependabot.yml'), 'utf8')
    ) as {
      version: number
      updates: {
        'package-ecosystem': string
        directory: string
        schedule: { interval: string }
        groups?: Record<string, unknown>
      }[]
    }
    expect(config.version).toBe(2)
    expect(
      config.updates.map((u) => [
        u['package-ecosystem'],
        u.directory,
        u.schedule.interval
      ])
    ).toEqual([
      ['npm', '/', 'weekly'],
      ['github-actions', '/', 'weekly']
    ])
    for (const update of config.updates)
      expect(Object.keys(update.groups ?? {}).length).toBeGreaterThan(0)
  })
})
