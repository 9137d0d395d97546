// The seam between where measurements come from and what judges them. A source turns a selection into
// measurements: the metrics the gate judges, the calls it read (when it reads calls one by one), and
// what it could not measure exactly. The gate and the report depend on this shape only, never on the
// source behind it. `logs` (sources/logs.ts: the log detail and list endpoints, metrics computed from
// the rows) is the first source.
import type { LogDetail, LogSummary } from '../cloudflare/log.js'
import type { Metrics } from './metrics.js'

/** Which source measured: the name the report and the outputs give. */
export type SourceName = 'logs'

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
}

/** The caveat that applies to a threshold's metric (`duration.p95` or all of `duration`), if any. */
export function caveatOf(
  measured: Pick<Measurements, 'caveats'>,
  name: string
): Caveat | undefined {
  const metric = name.split('.')[0]
  return measured.caveats.find((c) => c.metric === name || c.metric === metric)
}
