// caveatOf: the caveat a threshold's metric carries, on its own name or on the whole metric.
import { describe, expect, it } from '@jest/globals'
import { caveatOf, type Caveat } from '../../src/sources/source.js'

const caveat = (
  metric: string,
  kind: Caveat['kind'] = 'unavailable'
): Caveat => ({ metric, kind, reason: `no ${metric} here` })

describe('caveatOf', () => {
  it("finds a caveat on a threshold's own name", () => {
    const p95 = caveat('duration.p95', 'estimated')
    const caveats = [caveat('cost'), p95, caveat('duration.p50')]
    expect(caveatOf({ caveats }, 'duration.p95')).toBe(p95)
  })

  it('finds a caveat on the whole metric for each of its aggregates', () => {
    const duration = caveat('duration')
    const caveats = [caveat('cost.sum'), duration]
    expect(caveatOf({ caveats }, 'duration.p95')).toBe(duration)
    expect(caveatOf({ caveats }, 'duration.max')).toBe(duration)
    expect(caveatOf({ caveats }, 'duration')).toBe(duration)
  })

  it('finds none for another metric, or another aggregate of it', () => {
    const caveats = [caveat('duration.p95'), caveat('tokens-in')]
    expect(caveatOf({ caveats }, 'duration.p50')).toBeUndefined()
    expect(caveatOf({ caveats }, 'cost.sum')).toBeUndefined()
    expect(caveatOf({ caveats: [] }, 'cost.sum')).toBeUndefined()
  })
})
