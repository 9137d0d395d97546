import { describe, expect, it } from '@jest/globals'
import {
  NO_SECRETS,
  SCRUBBED,
  scrubber,
  secretForms
} from '../../src/text/secrets.js'
import {
  elapsedMs,
  HOSTILE_TEXTS,
  leakedPieces,
  MB,
  LINEAR_CPU_MS
} from '../helpers/hostile.js'

// A bearer token may hold `/` and `+` (RFC 6750's b64token); `"` stands for any character JSON escapes.
const SECRET = 'tok/en+Se"cret-0123'

describe('secretForms', () => {
  it('lists the secret as given, JSON-escaped once and twice, with `\\/`, and percent-encoded, longest first', () => {
    const forms = secretForms(SECRET)
    expect(new Set(forms)).toEqual(
      new Set([
        'tok/en+Se"cret-0123',
        'tok/en+Se\\"cret-0123',
        'tok/en+Se\\\\\\"cret-0123',
        'tok\\/en+Se\\"cret-0123',
        'tok%2Fen%2BSe%22cret-0123',
        'tok%2fen%2bSe%22cret-0123',
        'tok%252Fen%252BSe%2522cret-0123'
      ])
    )
    expect(forms.map((f) => f.length)).toEqual(
      [...forms.map((f) => f.length)].sort((a, b) => b - a)
    )
  })

  it('is just the secret when no encoding changes it', () => {
    expect(secretForms('plain-token_0123')).toEqual(['plain-token_0123'])
  })
})

describe('scrubber', () => {
  let scrub: ReturnType<typeof scrubber>
  beforeEach(() => {
    scrub = scrubber([SECRET])
  })

  it.each(secretForms(SECRET))('replaces the form %p', (form) => {
    expect(scrub(`before ${form} after`)).toBe(`before ${SCRUBBED} after`)
  })

  it('replaces a secret in JSON text and in a URL, as an API echoes it', () => {
    const json = JSON.stringify({
      message: `bad token ${SECRET}`,
      nested: JSON.stringify({ echo: SECRET })
    })
    const url = `https://x.example/cb?token=${encodeURIComponent(SECRET)}&again=${encodeURIComponent(encodeURIComponent(SECRET))}`
    for (const text of [json, url])
      expect(leakedPieces(scrub(text), SECRET)).toEqual([])
  })

  it('replaces a longer secret before a shorter one inside it', () => {
    expect(scrubber(['abcd', 'abcdefgh'])('x abcdefgh y abcd z')).toBe(
      'x *** y *** z'
    )
  })

  it('leaves values shorter than 4 characters alone, and text without a secret as it was', () => {
    expect(scrubber(['abc', ''])('abc abc')).toBe('abc abc')
    expect(scrub('nothing here')).toBe('nothing here')
    expect(NO_SECRETS(SECRET)).toBe(SECRET)
  })

  it.each(Object.keys(HOSTILE_TEXTS))(
    '%s: scrubs a megabyte in well under a second',
    (name) => {
      const text = HOSTILE_TEXTS[name]!
      expect(elapsedMs(() => scrub(text))).toBeLessThan(LINEAR_CPU_MS)
    }
  )

  it('scrubs a megabyte of near misses of the secret in well under a second', () => {
    const text = `${SECRET.slice(0, -1)} `.repeat(MB / SECRET.length)
    expect(elapsedMs(() => scrub(text))).toBeLessThan(LINEAR_CPU_MS)
    expect(scrub(text)).toBe(text)
  })
})
