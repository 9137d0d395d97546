// Pure: how a run compares with its baseline, in numbers. For the headline metrics (calls, total cost,
// p95 duration, errors, error rate) and for each model (cost, p95 duration): this run's value, the
// baseline's, and the change, absolute and relative. The report writes them out.
import {
  aggregateValue,
  exactSum,
  type Metrics,
  type ModelMetrics
} from '../sources/metrics.js'

export interface Change {
  current: number | null
  baseline: number | null
  /** current - baseline, exact in decimal; null when either is unknown. */
  delta: number | null
  /** The change in percent of the baseline; null when either is unknown or the baseline is 0. */
  percent: number | null
}

export type ComparedUnit = 'calls' | 'USD' | 'ms' | 'fraction'

export interface HeadlineChange {
  label: string
  unit: ComparedUnit
  change: Change
}

export interface ModelChange {
  provider: string
  model: string
  cost: Change
  p95DurationMs: Change
}

export function change(
  current: number | null,
  baseline: number | null
): Change {
  if (current === null || baseline === null)
    return { current, baseline, delta: null, percent: null }
  // Exact, as the sums are: 1.3 - 1.1 is 0.2, not 0.19999999999999996.
  const delta = exactSum([current, -baseline])
  return {
    current,
    baseline,
    delta,
    percent: baseline === 0 ? null : (delta / Math.abs(baseline)) * 100
  }
}

/** The headline metrics of both runs, in the order the report's first line gives them. */
export function headlineChanges(
  current: Metrics,
  baseline: Metrics
): HeadlineChange[] {
  const p95 = (m: Metrics): number | null =>
    aggregateValue(m.distributions.duration, 'p95')
  return [
    {
      label: 'calls',
      unit: 'calls',
      change: change(current.count, baseline.count)
    },
    {
      label: 'total cost',
      unit: 'USD',
      change: change(
        current.distributions.cost.sum,
        baseline.distributions.cost.sum
      )
    },
    {
      label: 'p95 duration',
      unit: 'ms',
      change: change(p95(current), p95(baseline))
    },
    {
      label: 'errors',
      unit: 'calls',
      change: change(current.errors, baseline.errors)
    },
    {
      label: 'error rate',
      unit: 'fraction',
      change: change(current.errorRate, baseline.errorRate)
    }
  ]
}

const modelKey = (m: Pick<ModelMetrics, 'provider' | 'model'>): string =>
  JSON.stringify([m.provider, m.model])

/**
 * Every model of either run: this run's in the report's order (costliest first), then those only the
 * baseline used. A model one run did not use has no value there (null), so its change is unknown.
 */
export function modelChanges(
  current: Metrics,
  baseline: Metrics
): ModelChange[] {
  const before = new Map(baseline.models.map((m) => [modelKey(m), m]))
  const now = new Set(current.models.map(modelKey))
  const row = (
    m: ModelMetrics | undefined,
    b: ModelMetrics | undefined,
    names: ModelMetrics
  ): ModelChange => ({
    provider: names.provider,
    model: names.model,
    cost: change(m ? m.costUsd : null, b ? b.costUsd : null),
    p95DurationMs: change(
      m?.p95DurationMs?.value ?? null,
      b?.p95DurationMs?.value ?? null
    )
  })
  return [
    ...current.models.map((m) => row(m, before.get(modelKey(m)), m)),
    ...baseline.models
      .filter((b) => !now.has(modelKey(b)))
      .map((b) => row(undefined, b, b))
  ]
}
