// `npm run demo`: runs the built action (dist/index.js) exactly as a runner would, against the local
// stand-in of the Cloudflare API: gates of one call each (one that passes, one that fails, one that
// only warns), then a gate of a whole eval run of 120 calls read through the list endpoint. Exits 0
// when the action behaved as expected (the failing gate is meant to fail).
import { runAction } from './run-action.mjs'
import { DEMO_ACCOUNT, DEMO_GATEWAY, startStandIn } from './stand-in.mjs'

const standIn = await startStandIn()
// An eval run as the stand-in serves it: 120 calls whose cf-aig-metadata is {"run_id": "gh-demo-1"},
// three of which the provider failed, over three models.
const RUN_ID = 'gh-demo-1'
standIn.addRun({ runId: RUN_ID, calls: 120, failed: 3 })

const limits = {
  'max-cost': '$0.05',
  'max-duration': '2s',
  'expected-status': '2xx'
}
const singleLogOutputs = [
  'result',
  'passed',
  'failures',
  'cost',
  'duration',
  'tokens-in',
  'tokens-out',
  'status-code',
  'request-head'
]
const gates = [
  {
    title: 'A cheap call under the limits',
    inputs: { 'log-id': 'cheap-call', ...limits },
    expect: { code: 0, result: 'pass' }
  },
  {
    title: 'An expensive, slow call over the limits',
    inputs: { 'log-id': 'expensive-call', ...limits },
    expect: { code: 1, result: 'fail' }
  },
  {
    title:
      'A call the provider failed (fail-on-breach: false, so only warnings)',
    inputs: { 'log-id': 'failed-call', ...limits, 'fail-on-breach': 'false' },
    expect: { code: 0, result: 'fail' }
  },
  {
    title: `A whole eval run: every call with run_id ${RUN_ID}, gated on its total cost and thresholds (settle 2s: one more look after 2 s)`,
    inputs: {
      'run-id': RUN_ID,
      'max-cost': '$1.00',
      'require-success': 'false',
      settle: '2s',
      thresholds: [
        'duration.p95 < 8s',
        'error-rate < 5%',
        'count >= 100',
        'warn: cost.max <= $0.01'
      ].join('\n')
    },
    outputs: [
      'result',
      'passed',
      'count',
      'total-cost',
      'failures',
      'warnings',
      'metrics'
    ],
    // The run passes; its costliest call is over the warn-level line, which warns and never fails the job.
    expect: { code: 0, result: 'pass', count: '120', warnings: 1 }
  }
]

const rule = (text) =>
  console.log(`\n${'='.repeat(100)}\n${text}\n${'='.repeat(100)}`)
let allAsExpected = true
try {
  for (const gate of gates) {
    const inputs = {
      'api-token': standIn.token,
      'account-id': DEMO_ACCOUNT,
      'gateway-id': DEMO_GATEWAY,
      'api-url': standIn.apiUrl,
      ...gate.inputs
    }
    const shown = Object.entries(inputs)
      .filter(([k]) => k !== 'api-token')
      .map(([k, v]) => `${k}=${JSON.stringify(v).slice(1, -1)}`)
    rule(`${gate.title}\nnode dist/index.js with ${shown.join(' ')}`)
    const listedBefore = standIn.listRequests().length
    const run = await runAction(inputs)
    console.log('--- what the runner prints (annotations and log lines) ---')
    console.log(run.stdout.trim())
    console.log(
      `--- exit code: ${run.code} (the step ${run.code === 0 ? 'passes' : 'fails'}) ---`
    )
    console.log('--- outputs ---')
    for (const name of gate.outputs ?? singleLogOutputs)
      console.log(`${name}: ${run.outputs[name]}`)
    const listed = standIn.listRequests().length - listedBefore
    if (listed > 0)
      console.log(`(list requests the stand-in answered: ${listed})`)
    console.log('--- job summary (GITHUB_STEP_SUMMARY) ---')
    console.log(run.summary.trim())
    const warnings = JSON.parse(run.outputs.warnings || '[]').length
    const ok =
      run.code === gate.expect.code &&
      run.outputs.result === gate.expect.result &&
      (gate.expect.count === undefined ||
        run.outputs.count === gate.expect.count) &&
      (gate.expect.warnings === undefined || warnings === gate.expect.warnings)
    if (!ok) {
      allAsExpected = false
      console.log(
        `!!! expected ${JSON.stringify(gate.expect)}; got exit ${run.code}, result=${run.outputs.result}, count=${run.outputs.count}, ${warnings} warnings`
      )
      if (run.stderr) console.log(run.stderr)
    }
  }
} finally {
  await standIn.close()
}
rule(
  allAsExpected
    ? 'Demo OK: the gates passed and failed as expected.'
    : 'Demo FAILED: an action run did not behave as expected (is dist/ built? npm run build).'
)
process.exit(allAsExpected ? 0 : 1)
