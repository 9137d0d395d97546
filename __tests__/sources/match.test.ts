import { describe, expect, it } from '@jest/globals'
import { describeList, inWindow, matchesRun } from '../../src/sources/match.js'
import type { LogFilter } from '../../src/inputs/selection.js'

const NOW_MS = Date.parse('2026-11-26T12:00:00.500Z')

describe('matchesRun', () => {
  it.each([
    [{ metadata: '{"run_id":"gh-1"}' }, true],
    [{ metadata: { run_id: 'gh-1', other: 'x' } }, true],
    // the independent-metadata trap: the API matches key run_id and value gh-1 in different entries
    [{ metadata: '{"run_id":"gh-2","note":"gh-1"}' }, false],
    [{ metadata: { note: 'gh-1', run_id: 'gh-2' } }, false],
    [{ metadata: '{"RUN_ID":"gh-1"}' }, false],
    [{ metadata: '{"run_id":"GH-1"}' }, false],
    [{ metadata: '{"run_id":"gh-1 "}' }, false],
    [{ metadata: '{"run_id":1}' }, false],
    [{ metadata: '{"run_id":["gh-1"]}' }, false],
    [{ metadata: '{"run_id":"gh-1"' }, false],
    [{ metadata: 'gh-1' }, false],
    [{ metadata: '"gh-1"' }, false],
    [{ metadata: '["run_id","gh-1"]' }, false],
    [{ metadata: 'null' }, false],
    [{ metadata: null }, false],
    [{}, false],
    [{ metadata: '{"__proto__":{"run_id":"gh-1"}}' }, false],
    [{ metadata: '{"toString":"gh-1"}' }, false]
  ])('%j: %s', (row, matches) => {
    expect(matchesRun(row, 'run_id', 'gh-1')).toBe(matches)
  })

  it('a key that is an Object prototype name matches only as an own entry', () => {
    expect(
      matchesRun({ metadata: '{"constructor":"v"}' }, 'constructor', 'v')
    ).toBe(true)
    expect(matchesRun({ metadata: '{}' }, 'constructor', 'v')).toBe(false)
  })
})

describe('inWindow', () => {
  const window = {
    sinceMs: Date.parse('2026-11-25T09:00:00Z'),
    untilMs: Date.parse('2026-11-25T10:00:00Z')
  }
  it.each([
    ['2026-11-25T08:59:59.999Z', false],
    ['2026-11-25T09:00:00.000Z', true],
    ['2026-11-25T09:59:59.999Z', true],
    ['2026-11-25T10:00:00.000Z', false],
    ['not a date', false]
  ])('%s: %s', (created_at, inside) => {
    expect(inWindow({ created_at }, window)).toBe(inside)
  })

  it('an open until is now, given by the caller', () => {
    const open = { sinceMs: null, untilMs: null }
    expect(inWindow({ created_at: '2026-11-26T12:00:00Z' }, open, NOW_MS)).toBe(
      true
    )
    expect(inWindow({ created_at: '2026-11-26T12:00:01Z' }, open, NOW_MS)).toBe(
      false
    )
    expect(inWindow({ created_at: 12 }, open, NOW_MS)).toBe(false)
  })
})

describe('describeList', () => {
  const run = { key: 'run_id', value: 'gh-1' }
  const filter: LogFilter = { key: 'model', operator: 'eq', value: ['x'] }
  const sinceMs = Date.parse('2026-11-25T09:00:00.250Z')
  const untilMs = Date.parse('2026-11-25T10:00:00Z')

  it.each([
    [
      run,
      { sinceMs, untilMs },
      [filter],
      'run "gh-1" (metadata "run_id"), created from 2026-11-25T09:00:00Z to 2026-11-25T10:00:00Z, with 1 more filter'
    ],
    [run, null, [], 'run "gh-1" (metadata "run_id")'],
    [
      run,
      null,
      [filter, filter],
      'run "gh-1" (metadata "run_id"), with 2 more filters'
    ],
    [
      null,
      { sinceMs, untilMs: null },
      [],
      'calls from 2026-11-25T09:00:00Z to now'
    ],
    [
      null,
      { sinceMs: null, untilMs },
      [filter],
      'calls from the start to 2026-11-25T10:00:00Z, with 1 more filter'
    ],
    [null, null, [filter, filter, filter], 'with 3 more filters']
  ])('%j, %j, %j: %s', (r, window, filters, text) => {
    expect(describeList(r, window, filters)).toBe(text)
  })

  it('keeps hostile run text quoted on one line', () => {
    expect(
      describeList({ key: 'k\n::error::x', value: 'v"\r' }, null, [])
    ).toBe('run "v"\\r" (metadata "k\\n::error::x")')
  })
})
