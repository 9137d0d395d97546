// The calls of an analytics gateway, generated on the fly: call i is a pure function of (seed, i), so a
// gateway of a million calls is a few numbers, never an array of rows. The GraphQL Analytics stand-in
// (cloudflare-analytics.mjs) aggregates over them; `exactAnalytics` below computes the truth over the
// same calls with a plain loop and a sort, independently of the GraphQL code path, for tests and the bench.
// The rows' rules (ANALYTICS_ASSUMPTIONS ids in brackets):
// - time: spread evenly over [sinceMs, untilMs), in whole seconds, non-decreasing in i [analytics.datetime-seconds];
// - provider/model from a handful (ANALYTICS_MODELS), statusCode mostly 200, some 429 and 500, error =
//   statusCode >= 400 [analytics.error-dimension], cached only for successes;
// - durationMs whole and skewed, at most 30,000 distinct values (a 24 h histogram of 1M calls is ~3 pages);
// - cost in whole micro-dollars (six decimals), 0 for errors and cache hits [analytics.cost-cached];
// - metadata: `run_id: <one of runIds>` for about `runShare` of the calls, `user: u<n>` for the others.

// Globals read once: inside a vm context (Jest) every global lookup goes through the context's proxy.
const M_PI = Math.PI
const M_ceil = Math.ceil
const M_cos = Math.cos
const M_exp = Math.exp
const M_floor = Math.floor
const M_imul = Math.imul
const M_log = Math.log
const M_max = Math.max
const M_min = Math.min
const M_round = Math.round
const M_sqrt = Math.sqrt

/** Models the generated calls use: per-million-token prices in USD (so micro-dollars per token), and a typical latency. */
export const ANALYTICS_MODELS = [
  {
    provider: 'openai',
    model: 'gpt-4o-mini',
    inUsdPerM: 0.15,
    outUsdPerM: 0.6,
    medianMs: 900,
    weight: 0.4
  },
  {
    provider: 'openai',
    model: 'gpt-4o',
    inUsdPerM: 2.5,
    outUsdPerM: 10,
    medianMs: 1800,
    weight: 0.2
  },
  {
    provider: 'anthropic',
    model: 'claude-3-5-haiku',
    inUsdPerM: 0.8,
    outUsdPerM: 4,
    medianMs: 1200,
    weight: 0.2
  },
  {
    provider: 'workers-ai',
    model: '@cf/meta/llama-3.1-8b-instruct',
    inUsdPerM: 0.28,
    outUsdPerM: 0.83,
    medianMs: 700,
    weight: 0.15
  },
  {
    provider: 'google-ai-studio',
    model: 'gemini-2.0-flash',
    inUsdPerM: 0.1,
    outUsdPerM: 0.4,
    medianMs: 1500,
    weight: 0.05
  }
]
const CUMULATIVE = ANALYTICS_MODELS.reduce((acc, m) => {
  acc.push((acc.at(-1) ?? 0) + m.weight)
  return acc
}, [])

/** The longest a call takes, in ms (so durationMs has at most 30,000 distinct values). */
export const MAX_DURATION_MS = 30_000

/** A uniform number in [0, 1) from (seed, i, salt): a 32-bit integer hash (murmur3's finaliser). */
function uniform(seed, i, salt) {
  let h =
    M_imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^
    M_imul(i ^ 0x5bd1e995, 0xc2b2ae35) ^
    M_imul(salt + 0x27d4eb2f, 0x165667b1)
  h ^= h >>> 16
  h = M_imul(h, 0x7feb352d)
  h ^= h >>> 15
  h = M_imul(h, 0x846ca68b)
  h ^= h >>> 16
  return (h >>> 0) / 4294967296
}

/** A standard normal number (Box-Muller) from two uniforms of (seed, i). */
function normal(seed, i, salt) {
  const u = uniform(seed, i, salt) || 1e-12
  const v = uniform(seed, i, salt + 1)
  return M_sqrt(-2 * M_log(u)) * M_cos(2 * M_PI * v)
}

const clamp = (x, lo, hi) => M_min(hi, M_max(lo, x))

/** The options of a gateway with their defaults (see registerAnalyticsGateway in cloudflare-analytics.mjs). */
export function gatewayOptions(options = {}) {
  const untilMs = options.untilMs ?? Date.now()
  const sinceMs = options.sinceMs ?? untilMs - 86_400_000
  if (!(untilMs > sinceMs))
    throw new Error('analytics: untilMs must be after sinceMs')
  return {
    calls: options.calls ?? 1000,
    sinceMs,
    untilMs,
    seed: (options.seed ?? 1) | 0,
    runIds: options.runIds ?? [],
    runShare: options.runShare ?? 0.01,
    sampleRate: options.sampleRate ?? 1,
    unentitled: options.unentitled ?? [],
    enabled: options.enabled ?? true,
    lagMs: options.lagMs ?? 0,
    maxDurationS: options.maxDurationS ?? 2_764_800,
    notOlderThanS: options.notOlderThanS ?? 5_356_800,
    totalsTwoGroups: options.totalsTwoGroups ?? false,
    account: options.account ?? null
  }
}

/** The time of call i, in ms: spread evenly over [sinceMs, untilMs), floored to the whole second. */
export function callTimeMs(o, i) {
  const raw = o.sinceMs + M_floor((i * (o.untilMs - o.sinceMs)) / o.calls)
  return raw - (((raw % 1000) + 1000) % 1000)
}

/** The smallest index whose time is >= t (0..calls): a guess from the spread, corrected by a step or two. */
export function firstIndexAtOrAfter(o, t) {
  if (t <= o.sinceMs) return 0
  let i = clamp(
    M_floor(((t - o.sinceMs) * o.calls) / (o.untilMs - o.sinceMs)) - 2,
    0,
    o.calls
  )
  while (i < o.calls && callTimeMs(o, i) < t) i++
  // the guess may overshoot: step back while the previous call is still at or after t
  while (i > 0 && callTimeMs(o, i - 1) >= t) i--
  return i
}

/** The UTC date (YYYY-MM-DD) of a time in ms, from a cache by day (toISOString per call is slow). */
const dates = new Map()
export function utcDate(timeMs) {
  const day = M_floor(timeMs / 86_400_000)
  let text = dates.get(day)
  if (text === undefined) {
    text = new Date(day * 86_400_000).toISOString().slice(0, 10)
    if (dates.size > 10_000) dates.clear()
    dates.set(day, text)
  }
  return text
}

/**
 * Writes call i of gateway `o` (options with defaults) into `out` and returns it: every field the dataset
 * answers, and its metadata as `runId` (a run id, or null) and `user` (u0..u99, for the calls of no run).
 * Writing into one object keeps a million-call query free of a million allocations.
 */
export function fillCall(o, i, out) {
  const { seed } = o
  const pick = uniform(seed, i, 1)
  let m = 0
  while (m < CUMULATIVE.length - 1 && pick >= CUMULATIVE[m]) m++
  const model = ANALYTICS_MODELS[m]
  const s = uniform(seed, i, 2)
  const statusCode = s < 0.02 ? 429 : s < 0.03 ? 500 : 200
  const error = statusCode >= 400
  const cached = !error && uniform(seed, i, 3) < 0.12
  const tokensIn = clamp(
    M_round(M_exp(M_log(600) + 0.8 * normal(seed, i, 4))),
    1,
    32_000
  )
  const tokensOut = error
    ? 0
    : clamp(M_round(M_exp(M_log(250) + 0.7 * normal(seed, i, 6))), 1, 8000)
  out.timeMs = callTimeMs(o, i)
  out.provider = model.provider
  out.model = model.model
  out.statusCode = statusCode
  out.error = error
  out.cached = cached
  out.durationMs = cached
    ? 3 + M_floor(uniform(seed, i, 8) * 40)
    : statusCode === 429
      ? 15 + M_floor(uniform(seed, i, 8) * 200)
      : clamp(
          M_round(M_exp(M_log(model.medianMs) + 1.25 * normal(seed, i, 9))),
          50,
          MAX_DURATION_MS
        )
  out.costMicros =
    error || cached
      ? 0
      : M_round(tokensIn * model.inUsdPerM + tokensOut * model.outUsdPerM)
  out.tokensIn = tokensIn
  out.tokensOut = tokensOut
  out.runId =
    o.runIds.length > 0 && uniform(seed, i, 11) < o.runShare
      ? o.runIds[M_floor(uniform(seed, i, 12) * o.runIds.length)]
      : null
  out.user = out.runId === null ? M_floor(uniform(seed, i, 13) * 100) : null
  return out
}

/** Call i of gateway `o` as a fresh object, its metadata as the cf-aig-metadata map it stands for. */
export function callAt(o, i) {
  const call = fillCall(o, i, {})
  return {
    ...call,
    metadata:
      call.runId === null ? { user: `u${call.user}` } : { run_id: call.runId }
  }
}

/** Nearest rank over sorted values: rank = ceil(p/100 * n), 1-based. */
function nearestRank(sorted, p) {
  if (sorted.length === 0) return null
  return sorted[M_max(1, M_ceil((p / 100) * sorted.length)) - 1]
}

/**
 * The exact figures of the calls of gateway `options` with time in [sinceMs, untilMs) (and a metadata
 * value equal to `runId`, when given), by a plain loop over every call and a sort: the truth the GraphQL
 * answers are compared with. Lag and sampling are not applied (they are the API's, not the calls').
 * costSumMicros is exact (integer micro-dollars); costSum is that in dollars.
 */
export function exactAnalytics(options, { sinceMs, untilMs, runId } = {}) {
  const o = gatewayOptions(options)
  const from = sinceMs ?? -Infinity
  const to = untilMs ?? Infinity
  const all = new Int32Array(o.calls)
  let count = 0
  const byModel = new Map()
  const byDate = new Map()
  let errors = 0
  let cached = 0
  let costSumMicros = 0
  let tokensInSum = 0
  let tokensOutSum = 0
  const call = {}
  for (let i = 0; i < o.calls; i++) {
    fillCall(o, i, call)
    if (call.timeMs < from || call.timeMs >= to) continue
    if (
      runId !== undefined &&
      call.runId !== runId &&
      `u${call.user}` !== runId
    )
      continue
    all[count++] = call.durationMs
    if (call.error) errors++
    if (call.cached) cached++
    costSumMicros += call.costMicros
    tokensInSum += call.tokensIn
    tokensOutSum += call.tokensOut
    const key = `${call.provider}/${call.model}`
    const row = byModel.get(key) ?? {
      provider: call.provider,
      model: call.model,
      count: 0,
      errors: 0,
      costSumMicros: 0,
      tokensInSum: 0,
      tokensOutSum: 0
    }
    row.count++
    if (call.error) row.errors++
    row.costSumMicros += call.costMicros
    row.tokensInSum += call.tokensIn
    row.tokensOutSum += call.tokensOut
    byModel.set(key, row)
    const date = utcDate(call.timeMs)
    const day = byDate.get(date) ?? {
      date,
      count: 0,
      errors: 0,
      costSumMicros: 0
    }
    day.count++
    if (call.error) day.errors++
    day.costSumMicros += call.costMicros
    byDate.set(date, day)
  }
  // a typed array sorts numerically, and a million of them in a few tens of ms
  const durations = all.subarray(0, count).sort()
  return {
    count,
    errors,
    cached,
    costSumMicros,
    costSum: costSumMicros / 1e6,
    tokensInSum,
    tokensOutSum,
    duration: {
      min: count ? durations[0] : null,
      max: count ? durations[count - 1] : null,
      sum: durations.reduce((a, b) => a + b, 0),
      p50: nearestRank(durations, 50),
      p90: nearestRank(durations, 90),
      p95: nearestRank(durations, 95),
      p99: nearestRank(durations, 99),
      distinct: new Set(durations).size
    },
    byModel: [...byModel.values()]
      .map((r) => ({ ...r, costSum: r.costSumMicros / 1e6 }))
      .sort((a, b) => a.model.localeCompare(b.model)),
    byDate: [...byDate.values()]
      .map((d) => ({ ...d, costSum: d.costSumMicros / 1e6 }))
      .sort((a, b) => a.date.localeCompare(b.date))
  }
}
