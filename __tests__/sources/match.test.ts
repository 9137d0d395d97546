import { describe, expect, it } from '@jest/globals'
import {
  describeList,
  inWindow,
  matchesRun,
  metadataText,
  runEntry
} from '../../src/sources/match.js'
import { type LogFilter } from '../../src/inputs/filters.js'

const NOW_MS = Date.parse('2026-11-26T12:00:00.500Z')

/** Rows' metadata and whether it marks run gh-1 under run_id. */
const MATCHES_RUN_ROWS: [{ metadata?: unknown }, boolean][] = [
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
]

describe('matchesRun', () => {
  // cf-aig-metadata values may be strings, numbers or booleans: a number or a boolean is the run its JSON text names.
  it.each([
    ['{"run_id":12345}', '12345', true],
    ['{"run_id":"12345"}', '12345', true],
    ['{"run_id":12345}', '12345.0', false],
    ['{"run_id":12345}', '012345', false],
    ['{"run_id":1.5}', '1.5', true],
    ['{"run_id":-7}', '-7', true],
    ['{"run_id":1e21}', '1e+21', true],
    ['{"run_id":true}', 'true', true],
    ['{"run_id":false}', 'false', true],
    ['{"run_id":true}', 'True', false],
    ['{"run_id":false}', 'true', false],
    ['{"run_id":null}', 'null', false],
    ['{"run_id":{"a":1}}', '{"a":1}', false],
    ['{"run_id":2,"note":12345}', '12345', false]
  ])('%s is run %j: %s', (metadata, runId, matches) => {
    expect(matchesRun({ metadata }, 'run_id', runId)).toBe(matches)
  })

  it.each(MATCHES_RUN_ROWS)('%j: %s', (row, matches) => {
    expect(matchesRun(row, 'run_id', 'gh-1')).toBe(matches)
  })

  it.each(MATCHES_RUN_ROWS)(
    'runEntry keeps what matchesRun reads, and nothing else: %j',
    (row, matches) => {
      const entry = runEntry(row, 'run_id', 'gh-1')
      expect(entry).toBe(matches ? '{"run_id":"gh-1"}' : undefined)
      expect(matchesRun({ metadata: entry }, 'run_id', 'gh-1')).toBe(matches)
    }
  )

  it('runEntry of a key that is __proto__ or another prototype name: an own entry, read back as one', () => {
    for (const key of ['__proto__', 'constructor', 'toString']) {
      const row = {
        metadata: JSON.stringify({ [key]: 'v', note: 'x'.repeat(10_000) })
      }
      // JSON.stringify leaves out a __proto__ set by assignment: build the text by hand.
      const text = `{${JSON.stringify(key)}:"v","note":"${'x'.repeat(10_000)}"}`
      for (const metadata of [row.metadata, text]) {
        const matches = matchesRun({ metadata }, key, 'v')
        const entry = runEntry({ metadata }, key, 'v')
        expect([key, matchesRun({ metadata: entry }, key, 'v')]).toEqual([
          key,
          matches
        ])
        if (matches) expect(entry).toBe(`{${JSON.stringify(key)}:"v"}`)
      }
    }
  })

  it('a metadata object holding a number that is not finite is no run: JSON has no text for it', () => {
    for (const value of [NaN, Infinity, -Infinity]) {
      expect(metadataText(value)).toBeUndefined()
      expect(
        matchesRun({ metadata: { run_id: value } }, 'run_id', 'null')
      ).toBe(false)
    }
    expect(metadataText(12.5)).toBe('12.5')
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
    // The zone counts: 18:30 in Tokyo is 09:30 UTC, 04:59:59 in New York is 09:59:59 UTC.
    ['2026-11-25T18:30:00+09:00', true],
    ['2026-11-25T04:59:59.999-05:00', true],
    ['2026-11-25T17:59:59+09:00', false]
  ])('%s: %s', (created_at, inside) => {
    expect(inWindow({ created_at }, window)).toBe(inside)
  })

  it.each([
    'not a date',
    'yesterday',
    '2026-11-25 09:30:00',
    '2026-11-25T09:30:00',
    '2026-13-01T09:30:00Z'
  ])(
    'throws, naming the call, for a created_at that is not a time with a zone (%j): every row is checked before, and none may be left out silently',
    (created_at) => {
      expect(() => inWindow({ id: 'log-9', created_at }, window)).toThrow(
        `log "log-9" has created_at ${JSON.stringify(created_at)}, which is not an ISO 8601 time with a zone`
      )
    }
  )

  it('names a call without an id as "" when its created_at is not a time', () => {
    expect(() => inWindow({ created_at: 'soon' }, window)).toThrow(
      'log "" has created_at "soon", which is not an ISO 8601 time with a zone'
    )
  })

  it('an open until is now, given by the caller', () => {
    const open = { sinceMs: null, untilMs: null }
    expect(inWindow({ created_at: '2026-11-26T12:00:00Z' }, open, NOW_MS)).toBe(
      true
    )
    expect(inWindow({ created_at: '2026-11-26T12:00:01Z' }, open, NOW_MS)).toBe(
      false
    )
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
