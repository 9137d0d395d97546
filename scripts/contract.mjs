// `npm run contract`: checks, one by one, the assumptions about Cloudflare's and GitHub's APIs that the
// stand-in encodes (scripts/contract/assumptions.mjs), against a target:
// - the local stand-in, by default (no network: CI proves the stand-in keeps its own claims);
// - the real services, when CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_GATEWAY_ID are
//   set (and GITHUB_TOKEN with GITHUB_REPOSITORY for GitHub's); only reads, unless --seed;
// - a recording, with --replay DIR.
// Each check prints holds, refuted (with the evidence) or unknown (and why); the last line is
// `N hold, N refuted, N unknown`. Exit 1 when any is refuted, 2 on a usage error. docs/contract.md.
import { appendFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { ASSUMPTIONS } from './contract/assumptions.mjs'
import { createRecorder } from './contract/recording.mjs'
import { markdownReport, runContract, summaryLine } from './contract/run.mjs'
import { seedCostText, seedTarget, SEED_PLAN } from './contract/seed.mjs'
import {
  CLOUDFLARE_REQUEST_CAP,
  REAL_TARGET_VARIABLES,
  realTargetFromEnv,
  replayTarget,
  standInTarget,
  UsageError
} from './contract/targets.mjs'

// What the tests use (types in contract.d.mts).
export { ASSUMPTIONS } from './contract/assumptions.mjs'
export { CHECKS, DETAIL_FIELDS, probeLogId } from './contract/checks.mjs'
export { createRecorder, RECORDING_FORMAT } from './contract/recording.mjs'
export {
  runContract,
  scrubSecrets,
  summaryLine,
  tally
} from './contract/run.mjs'
export { seedCostText, seedTarget, SEED_PLAN } from './contract/seed.mjs'
export {
  CLOUDFLARE_REQUEST_CAP,
  INVALID_TOKEN,
  PROBE_TOKEN,
  replayTarget,
  standInTarget
} from './contract/targets.mjs'

const USAGE = `usage: npm run contract -- [--seed] [--record DIR] [--replay DIR] [--summary FILE] [--list]
  (no option)     check every assumption against the local stand-in, or against the real services
                  when ${REAL_TARGET_VARIABLES.join(', ')} are set
  --seed          real services only: first send ${SEED_PLAN.calls} cheap calls through the gateway (says what it costs)
  --record DIR    write the answers, scrubbed, as fixtures (DIR/manifest.json, DIR/exchanges/)
  --replay DIR    check against a recording instead
  --summary FILE  append the results as markdown (a job summary)
  --list          print the assumptions and exit`

export function parseArgs(argv) {
  const options = { seed: false, list: false }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--seed') options.seed = true
    else if (arg === '--list') options.list = true
    else if (['--record', '--replay', '--summary'].includes(arg)) {
      const value = argv[++i]
      if (!value || value.startsWith('--'))
        throw new UsageError(`${arg} needs a value`)
      options[arg.slice(2)] = value
    } else if (arg === '--help' || arg === '-h') options.help = true
    else throw new UsageError(`unknown option ${arg}`)
  }
  if (options.replay && (options.seed || options.record))
    throw new UsageError(
      '--replay sends nothing: it takes neither --seed nor --record'
    )
  return options
}

/** The whole run; `out` gets every line. Returns the exit code. */
export async function main(
  argv,
  env = process.env,
  out = (line) => console.log(line)
) {
  let options
  let target
  try {
    options = parseArgs(argv)
    if (options.help) {
      out(USAGE)
      return 0
    }
    if (options.list) {
      for (const a of ASSUMPTIONS)
        out(
          `${a.id}\n  statement: ${a.statement}\n  source:    ${a.source}\n  stand-in:  ${a.standIn}`
        )
      return 0
    }
    target = options.replay
      ? replayTarget(options.replay)
      : realTargetFromEnv(env)
  } catch (error) {
    out(`contract: ${error.message}\n${USAGE}`)
    return 2
  }
  const real = target?.kind === 'real'
  if (!target && options.seed) {
    out(
      'contract: --seed is for the real services; the stand-in is always seeded (for free)'
    )
    return 2
  }
  out(
    `Contract suite: ${ASSUMPTIONS.length} assumptions about Cloudflare's and GitHub's APIs that the stand-in makes.`
  )
  if (!target) {
    target = await standInTarget()
    out(`target: ${target.label}`)
    out(
      `        (no ${REAL_TARGET_VARIABLES.join(', ')} set; set all three to check the real services)`
    )
  } else out(`target: ${target.label}`)
  try {
    if (real && options.seed) {
      out(seedCostText())
      await seedTarget(target)
      out(
        target.seed?.visible
          ? `seeded: ${target.seed.calls.length} calls, run ${target.nonce}`
          : `not seeded: ${target.seedMissing}`
      )
    } else if (real)
      out(
        `read-only: nothing is sent through the gateway; checks that need known rows use the newest logs or say unknown (--seed sends ${SEED_PLAN.calls} cheap calls first)`
      )
    else if (target.kind === 'stand-in') {
      await seedTarget(target)
      out(
        `seeded the stand-in with ${target.seed?.calls.length ?? 0} calls through its gateway (run ${target.nonce})`
      )
    }
    const recorder = options.record ? createRecorder(target) : null
    const { results, tally } = await runContract(target, { write: out })
    const c = target.counts
    const requests = `requests: ${c.cloudflare} to Cloudflare's API${real ? ` (cap ${CLOUDFLARE_REQUEST_CAP})` : ''}, ${c.gateway} call(s) through the gateway, ${c.github} to GitHub`
    out(requests)
    if (recorder) {
      recorder.write(options.record, {
        results,
        secrets: target.secrets,
        note:
          target.kind === 'real'
            ? 'Recorded from the real services with --record: the answers Cloudflare and GitHub gave, scrubbed.'
            : 'Recorded from the local stand-in, not from Cloudflare or GitHub: it shows what the stand-in claims.'
      })
      out(`recorded to ${options.record}`)
    }
    if (options.summary)
      appendFileSync(
        options.summary,
        markdownReport({ label: target.label, results, requests })
      )
    out(summaryLine(tally))
    return tally.refuted > 0 ? 1 : 0
  } finally {
    await target.close()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  process.exitCode = await main(process.argv.slice(2))
