// The logs of a run of calls (an eval run that marks its calls with cf-aig-metadata), made up for addRun:
// deterministic, ULID-shaped ids, prices from RUN_MODELS, some failed, without cost or late on request.
import { BASE_LOG, DEMO_GATEWAY } from './cloudflare-samples.mjs'

/** Models a registered run's calls use, with per-token prices in USD (illustrative, in the range of published list prices). */
export const RUN_MODELS = [
  { provider: 'openai', model: 'gpt-4o-mini', inUsd: 0.15e-6, outUsd: 0.6e-6 },
  { provider: 'openai', model: 'gpt-4o', inUsd: 2.5e-6, outUsd: 10e-6 },
  {
    provider: 'anthropic',
    model: 'claude-3-5-haiku',
    inUsd: 0.8e-6,
    outUsd: 4e-6
  }
]

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
/** A ULID-shaped id (the API's log ids look like 01JADMCQQQBWH3NXZ5GCRN98DP): 10 characters of time, 16 of a counter. */
export function ulid(timeMs, counter) {
  let time = ''
  for (let t = timeMs, i = 0; i < 10; i++, t = Math.floor(t / 32))
    time = CROCKFORD[t % 32] + time
  let rest = ''
  for (let c = BigInt(counter), i = 0; i < 16; i++, c /= 32n)
    rest = CROCKFORD[Number(c % 32n)] + rest
  return time + rest
}

/** Deterministic numbers from a seed (mulberry32), so a run's calls are the same on every test run. */
function random(seedText) {
  let seed = 0
  for (const c of seedText) seed = (Math.imul(seed, 31) + c.charCodeAt(0)) | 0
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The indices a count or a list names: a count is spread evenly over the run. */
function pick(spec, n) {
  if (Array.isArray(spec)) return new Set(spec)
  const count = Math.min(Number(spec) || 0, n)
  return new Set(
    Array.from({ length: count }, (_, k) => Math.floor(((k + 0.5) * n) / count))
  )
}

/**
 * The logs of a run: `calls` calls whose cf-aig-metadata holds `key: runId` (plus `metadata`), made
 * `spacingMs` apart from `startMs` (default: just long enough ago to end a second before now).
 * `failed`, `withoutCost` and `late` are a count (spread over the run) or a list of call indices:
 * failed calls have success false and status 500; calls without cost have no `cost` field (the
 * API leaves it out when unknown); late calls are listed and served only `lateMs` after addRun,
 * though their created_at lies within the run. `nextLogNumber()` numbers the log ids across runs.
 * Returns the run's logs (all 25 fields each), split into those visible at once (`onTime`) and the
 * `late` ones, with the run's `gateway` and `lateMs`.
 */
export function makeRun(
  {
    runId,
    key = 'run_id',
    calls = 10,
    gateway = DEMO_GATEWAY,
    failed = 0,
    withoutCost = 0,
    late = 0,
    lateMs = 3000,
    spacingMs = 100,
    startMs = Date.now() - calls * spacingMs - 1000,
    metadata = {},
    models = RUN_MODELS
  },
  nextLogNumber
) {
  if (typeof runId !== 'string' || runId === '')
    throw new Error('addRun needs a runId')
  const failedSet = pick(failed, calls)
  const costless = pick(withoutCost, calls)
  const lateSet = pick(late, calls)
  const next = random(`${key}/${runId}`)
  const runLogs = []
  // One string shared by the run's calls: a bench's 10,000 calls with 10 KB of metadata each stay 10 KB here.
  const runMetadata = JSON.stringify({ [key]: runId, ...metadata })
  for (let i = 0; i < calls; i++) {
    const createdMs = startMs + i * spacingMs
    const model = models[Math.floor(next() * models.length)]
    const tokensIn = 100 + Math.floor(next() * 2900)
    const tokensOut = 20 + Math.floor(next() * 780)
    const duration = 200 + Math.floor(next() * 3800)
    const log = {
      id: ulid(createdMs, nextLogNumber()),
      ...BASE_LOG,
      created_at: new Date(createdMs).toISOString(),
      provider: model.provider,
      model: model.model,
      success: !failedSet.has(i),
      status_code: failedSet.has(i) ? 500 : 200,
      duration,
      tokens_in: tokensIn,
      tokens_out: tokensOut,
      // Rounded to 10 decimals, as a price list would give it, so the JSON carries a plain decimal.
      cost: costless.has(i)
        ? undefined
        : Number(
            (tokensIn * model.inUsd + tokensOut * model.outUsd).toFixed(10)
          ),
      metadata: runMetadata,
      request_head: '{"content-type":"application/json"}'
    }
    if (log.cost === undefined) delete log.cost
    runLogs.push(log)
  }
  return {
    logs: runLogs,
    onTime: runLogs.filter((_, i) => !lateSet.has(i)),
    late: runLogs.filter((_, i) => lateSet.has(i)),
    gateway,
    lateMs
  }
}
