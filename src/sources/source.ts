// The seam between where measurements come from and what judges them. A source turns a selection into
// measurements: the metrics the gate judges, the calls it read (when it reads calls one by one), and
// what it could not measure exactly. The gate and the report depend on this shape only, never on the
// source behind it. `logs` (sources/logs.ts: the log detail and list endpoints, metrics computed from
// the rows) is the first source.
import type { LogDetail, LogSummary } from '../cloudflare/log.js'
import type { Metrics } from './metrics.js'

/** Which source measured: the name the report and the outputs give. */
export type SourceName = 'logs' | 'analytics'

/**
 * A figure read from a sample, with its 95% confidence interval (GraphQL Analytics'
 * `confidence(level: 0.95)`): a threshold on it passes only if it passes at the unfavourable end.
 */
export interface Interval {
  estimate: number
  lower: number
  upper: number
  /** The calls the estimate was made from. */
  sampleSize: number
}

/** One UTC day of a trend (`trend: 14d`): the `trend` output is a JSON array of these. */
export interface TrendDay {
  /** YYYY-MM-DD, UTC. */
  date: string
  count: number
  /** USD; null when the source could not give it. */
  cost: number | null
  errors: number
}

/**
 * A metric the source cannot give as the logs source would: `unavailable` (the threshold on it fails
 * closed, saying why) or `estimated` (judged, and shown as an estimate). `metric` is a threshold's
 * name (`duration.p95`) or a metric for all its aggregates (`duration`).
 */
export interface Caveat {
  metric: string
  kind: 'unavailable' | 'estimated'
  reason: string
}

export interface Measurements {
  source: SourceName
  /** One log read whole (`log-id`): the report shows it in full, and the limits keep their one-call wording. */
  log?: LogDetail
  /** The calls read, when the source reads them one by one; undefined when it does not. */
  calls?: readonly LogSummary[]
  /** The selection in words, for a selection of many: `run "gh-1" (metadata "run_id")`. */
  describe?: string
  metrics: Metrics
  caveats: readonly Caveat[]
  /**
   * Figures read from a sample, by threshold name or scalar metric (`count`, `errors`, `cached`,
   * `error-rate`, `cost.sum`, `cost.avg`, `tokens-in.sum`): each with its interval. Absent or empty:
   * every figure is exact.
   */
  intervals?: Readonly<Record<string, Interval>>
  /** Why this source answered, when it was chosen (`source: auto`): one sentence for the report and the log. */
  why?: string
  /** The window the source actually covered (analytics trims `until` for its lag), in ms since the epoch. */
  covered?: { sinceMs: number; untilMs: number }
  /** The last N UTC days (`trend`), oldest first; undefined when no trend was asked for. */
  trend?: readonly TrendDay[]
}

/** The caveat that applies to a threshold's metric (`duration.p95` or all of `duration`), if any. */
export function caveatOf(
  measured: Pick<Measurements, 'caveats'>,
  name: string
): Caveat | undefined {
  const metric = name.split('.')[0]
  return measured.caveats.find((c) => c.metric === name || c.metric === metric)
}
