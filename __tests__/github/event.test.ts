import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readEvent } from '../../src/github/event.js'

const dir = mkdtempSync(join(tmpdir(), 'event-'))
const file = (name: string, text: string): string => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

describe('readEvent', () => {
  it.each([
    ['no GITHUB_EVENT_PATH', undefined, 'GITHUB_EVENT_PATH is not set'],
    [
      'a file that is not there',
      join(dir, 'missing.json'),
      'the event file (GITHUB_EVENT_PATH) could not be read'
    ],
    [
      'a file that is not JSON',
      file('bad.json', '{nope'),
      'the event file (GITHUB_EVENT_PATH) is not JSON'
    ],
    [
      'null',
      file('null.json', 'null'),
      'the event file (GITHUB_EVENT_PATH) is not a JSON object'
    ],
    [
      'an array',
      file('array.json', '[1]'),
      'the event file (GITHUB_EVENT_PATH) is not a JSON object'
    ],
    [
      'a string',
      file('string.json', '"x"'),
      'the event file (GITHUB_EVENT_PATH) is not a JSON object'
    ]
  ])('reads %s as a problem, never a throw', (_case, path, problem) => {
    expect(readEvent(path)).toEqual({ problem })
  })

  it('reads an object', () => {
    expect(readEvent(file('pr.json', '{"number": 9}'))).toEqual({
      payload: { number: 9 }
    })
  })
})
