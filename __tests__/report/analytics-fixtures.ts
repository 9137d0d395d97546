// Measurements as the GraphQL Analytics source gives them (the seam in src/sources/source.ts, the shapes
// fixed in the lead's contract): totals as sums with a 95% interval each when the answer is sampled,
// percentiles from a durationMs histogram (no call ids: Point ids are ''), models without a p95, no
// calls one by one (no costliest or slowest calls), and a trend by UTC day.
import type {
  Distribution,
  Metrics,
  ModelMetrics
} from '../../src/sources/metrics.js'
import type {
  Caveat,
  Interval,
  Measurements,
  TrendDay
} from '../../src/sources/source.js'
import { parseThresholds } from '../../src/inputs/thresholds.js'
import { judge, type Outcome } from '../../src/gate/verdict.js'

const point = (value: number) => ({ value, id: '' })

function dist(
  sum: number,
  count: number,
  points: [number, number, number, number, number, number] | null
): Distribution {
  return {
    missing: 0,
    sum,
    avg: sum / count,
    min: points ? point(points[0]) : null,
    p50: points ? point(points[1]) : null,
    p90: points ? point(points[2]) : null,
    p95: points ? point(points[3]) : null,
    p99: points ? point(points[4]) : null,
    max: points ? point(points[5]) : null
  }
}

export const MODELS: ModelMetrics[] = [
  {
    provider: 'openai',
    model: 'gpt-4o',
    calls: 412_000,
    errors: 800,
    costUsd: 980.5,
    tokensIn: 310_000_000,
    tokensOut: 95_000_000,
    p95DurationMs: null
  },
  {
    provider: 'openai',
    model: 'gpt-4o-mini',
    calls: 560_000,
    errors: 380,
    costUsd: 250.04,
    tokensIn: 200_000_000,
    tokensOut: 60_000_000,
    p95DurationMs: null
  },
  {
    provider: 'workers-ai',
    model: '@cf/meta/llama-3.1-8b-instruct',
    calls: 28_000,
    errors: 24,
    costUsd: 4.02,
    tokensIn: 10_000_000,
    tokensOut: 5_000_000,
    p95DurationMs: null
  }
]

export function analyticsMetrics(models = MODELS): Metrics {
  const count = 1_000_000
  return {
    count,
    errors: 1204,
    cached: 35_000,
    errorRate: 1204 / count,
    cacheRate: 35_000 / count,
    distributions: {
      cost: dist(1234.56, count, [0, 0.0008, 0.003, 0.0042, 0.012, 0.2]),
      duration: dist(1_850_000_000, count, [35, 1200, 2900, 3800, 7400, 58000]),
      'tokens-in': dist(520_000_000, count, null),
      'tokens-out': dist(160_000_000, count, null),
      tokens: dist(680_000_000, count, null)
    },
    models,
    costliest: [],
    slowest: [],
    statusCodes: []
  }
}

export const SAMPLED: Record<string, Interval> = {
  count: {
    estimate: 1_000_000,
    lower: 990_000,
    upper: 1_010_000,
    sampleSize: 12_000
  },
  errors: { estimate: 1204, lower: 1150, upper: 1260, sampleSize: 12_000 },
  'error-rate': {
    estimate: 0.001204,
    lower: 1150 / 1_010_000,
    upper: 1260 / 990_000,
    sampleSize: 12_000
  },
  'cost.sum': {
    estimate: 1234.56,
    lower: 1190.1,
    upper: 1280.9,
    sampleSize: 12_000
  }
}

export const HISTOGRAM_ESTIMATED: Caveat = {
  metric: 'duration',
  kind: 'estimated',
  reason: 'percentiles from a sampled histogram'
}
/** The trend's own query sampled: the source marks the trend estimated (whatever measured the selection). */
export const TREND_ESTIMATED: Caveat = {
  metric: 'trend',
  kind: 'estimated',
  reason:
    'GraphQL Analytics sampled the trend: the calls, cost and errors a day are estimates'
}
export const TOKENS_UNAVAILABLE: Caveat = {
  metric: 'tokens',
  kind: 'unavailable',
  reason: 'GraphQL Analytics has no histogram of tokens in + out per call'
}

/** `days` UTC days ending 2026-12-02: about a million calls a day, cost and errors varying. */
export function trendOf(days: number, endDate = '2026-12-02'): TrendDay[] {
  const end = Date.parse(`${endDate}T00:00:00Z`)
  return Array.from({ length: days }, (_, i) => {
    const ms = end - (days - 1 - i) * 86_400_000
    return {
      date: new Date(ms).toISOString().slice(0, 10),
      count: 950_000 + ((i * 37_813) % 100_000),
      cost: Number((1100 + ((i * 71.3) % 300)).toFixed(2)),
      errors: 900 + ((i * 131) % 700)
    }
  })
}

export const WHY = 'the window has 1,000,000 calls, more than max-logs (5000)'
/** 2026-12-01 09:20:00 to 2026-12-02 09:20:00 UTC. */
export const COVERED = {
  sinceMs: Date.parse('2026-12-01T09:20:00Z'),
  untilMs: Date.parse('2026-12-02T09:20:00Z')
}

export function analytics(extra: Partial<Measurements> = {}): Measurements {
  return {
    source: 'analytics',
    describe: 'every call of gateway "gw-1" since 24h',
    metrics: analyticsMetrics(),
    caveats: [],
    why: WHY,
    covered: COVERED,
    ...extra
  }
}

export const sampled = (extra: Partial<Measurements> = {}): Measurements =>
  analytics({
    intervals: SAMPLED,
    caveats: [HISTOGRAM_ESTIMATED, TOKENS_UNAVAILABLE],
    ...extra
  })

export function judged(
  measured: Measurements,
  thresholds = 'cost.sum < 1300\nduration.p95 < 8s\nerror-rate < 0.2%'
): Extract<Outcome, { kind: 'checked' }> {
  const parsed = parseThresholds(thresholds)
  if (parsed.problems.length > 0) throw new Error(String(parsed.problems))
  const outcome = judge(measured, {
    limits: { requireSuccess: false },
    thresholds: parsed.thresholds,
    failOnBreach: true
  })
  if (outcome.kind !== 'checked') throw new Error(outcome.message)
  return outcome
}
