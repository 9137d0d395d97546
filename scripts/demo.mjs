// `npm run demo`: runs the built action (dist/index.js) exactly as a runner would, against the local
// stand-in of the Cloudflare API, on sample logs: one gate that passes and one that fails. Exits 0
// when the action behaved as expected (the failing gate is meant to fail).
import { runAction } from './run-action.mjs'
import { DEMO_ACCOUNT, DEMO_GATEWAY, startStandIn } from './stand-in.mjs'

const standIn = await startStandIn()
const limits = { 'max-cost': '$0.05', 'max-duration': '2s', 'expected-status': '2xx' }
const gates = [
  { title: 'A cheap call under the limits', logId: 'cheap-call', expect: { code: 0, result: 'pass' } },
  { title: 'An expensive, slow call over the limits', logId: 'expensive-call', expect: { code: 1, result: 'fail' } },
  { title: 'A call the provider failed (fail-on-breach: false, so only warnings)', logId: 'failed-call', extra: { 'fail-on-breach': 'false' }, expect: { code: 0, result: 'fail' } }
]

const rule = (text) => console.log(`\n${'='.repeat(100)}\n${text}\n${'='.repeat(100)}`)
let allAsExpected = true
try {
  for (const gate of gates) {
    const inputs = {
      'api-token': standIn.token,
      'account-id': DEMO_ACCOUNT,
      'gateway-id': DEMO_GATEWAY,
      'log-id': gate.logId,
      'api-url': standIn.apiUrl,
      ...limits,
      ...gate.extra
    }
    rule(`${gate.title}\nnode dist/index.js with ${Object.entries(inputs).filter(([k]) => k !== 'api-token').map(([k, v]) => `${k}=${v}`).join(' ')}`)
    const run = await runAction(inputs)
    console.log('--- what the runner prints (annotations and log lines) ---')
    console.log(run.stdout.trim())
    console.log(`--- exit code: ${run.code} (the step ${run.code === 0 ? 'passes' : 'fails'}) ---`)
    console.log('--- outputs ---')
    for (const name of ['result', 'passed', 'failures', 'cost', 'duration', 'tokens-in', 'tokens-out', 'status-code', 'request-head']) {
      console.log(`${name}: ${run.outputs[name]}`)
    }
    console.log('--- job summary (GITHUB_STEP_SUMMARY) ---')
    console.log(run.summary.trim())
    const ok = run.code === gate.expect.code && run.outputs.result === gate.expect.result
    if (!ok) {
      allAsExpected = false
      console.log(`!!! expected exit ${gate.expect.code} and result=${gate.expect.result}`)
      if (run.stderr) console.log(run.stderr)
    }
  }
} finally {
  await standIn.close()
}
rule(allAsExpected ? 'Demo OK: the gates passed and failed as expected.' : 'Demo FAILED: an action run did not behave as expected (is dist/ built? npm run build).')
process.exit(allAsExpected ? 0 : 1)
