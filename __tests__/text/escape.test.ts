import { describe, expect, it } from '@jest/globals'
import {
  cut,
  inline,
  jsonText,
  prefix,
  quoted,
  showInvisible
} from '../../src/text/escape.js'
import {
  elapsedMs,
  HOSTILE_TEXTS,
  MB,
  LINEAR_CPU_MS
} from '../helpers/hostile.js'

describe('inline', () => {
  it('keeps text that could be a workflow command on the line it was put in', () => {
    const text = inline(
      'https://github.example/pull/1\n::stop-commands::zzz\r\n::error::x'
    )
    expect(text).not.toMatch(/[\r\n]/)
    expect(text).toBe(
      'https://github.example/pull/1\\n::stop-commands::zzz\\r\\n::error::x'
    )
  })

  it('shows line and paragraph separators, bidirectional controls and zero-width characters as escapes', () => {
    expect(inline('a\u2028b\u2029c')).toBe('a\\u2028b\\u2029c')
    expect(inline('gpt\u202e4o\u200b\u2066x\ufeff')).toBe(
      'gpt\\u202e4o\\u200b\\u2066x\\ufeff'
    )
  })

  it('keeps quotes, non-ASCII letters and emoji as they are', () => {
    expect(inline('say "hi" — naïve 😀')).toBe('say "hi" — naïve 😀')
  })

  it('cuts long text', () => {
    expect(inline('x'.repeat(400))).toBe(`${'x'.repeat(300)}…`)
    expect(inline('abcdef', 3)).toBe('abc…')
  })

  describe('cuts before escaping', () => {
    it('never leaves half an escape or half a character', () => {
      expect(inline('\u202e'.repeat(10), 3)).toBe('\\u202e\\u202e\\u202e…')
      expect(inline('\n'.repeat(10), 3)).toBe('\\n\\n\\n…')
      expect(inline('ab😀', 3)).toBe('ab…')
      expect(inline(`${'x'.repeat(299)}😀`)).toBe(`${'x'.repeat(299)}…`)
    })

    it('shows a lone surrogate in the text as an escape', () => {
      expect(inline('a\ud83d')).toBe('a\\ud83d')
    })
  })
})

describe('quoted', () => {
  it('puts outside text in quotes on one line, cut at 80 characters by default', () => {
    expect(quoted('run\n"7"')).toBe('"run\\n"7""')
    expect(quoted('r'.repeat(100))).toBe(`"${'r'.repeat(80)}…"`)
    expect(quoted('abcdef', 3)).toBe('"abc…"')
  })
})

describe('cut', () => {
  it('never splits a surrogate pair', () => {
    expect(cut('ab😀cd', 3)).toBe('ab…')
    expect(cut('ab😀cd', 4)).toBe('ab😀…')
    expect(cut('abc', 3)).toBe('abc')
  })
})

describe('showInvisible', () => {
  it.each([
    [
      'bidirectional controls',
      'a\u202ab\u202bc\u202cd\u202de\u202ef\u2066g\u2067h\u2068i\u2069j\u061ck\u200el\u200f',
      'a\\u202ab\\u202bc\\u202cd\\u202de\\u202ef\\u2066g\\u2067h\\u2068i\\u2069j\\u061ck\\u200el\\u200f'
    ],
    [
      'zero-width characters',
      'a\u200bb\u200cc\u200dd\u2060e\ufeff',
      'a\\u200bb\\u200cc\\u200dd\\u2060e\\ufeff'
    ],
    [
      'a soft hyphen and C1 controls',
      'a\u00adb\u009bc\u0085',
      'a\\u00adb\\u009bc\\u0085'
    ],
    [
      'tag characters, which spell hidden ASCII',
      'a\u{E0041}\u{E0042}b',
      'a\\u{e0041}\\u{e0042}b'
    ],
    ['lone surrogates', 'a\ud83db\ude00', 'a\\ud83db\\ude00']
  ])('writes %s as escapes', (_case, text, shown) => {
    expect(showInvisible(text)).toBe(shown)
  })

  it('keeps what displays as it is: letters, accents, CJK, emoji, a ZWJ-free flag', () => {
    const text = 'naïve — 日本語 😀 🇫🇷 ok'
    expect(showInvisible(text)).toBe(text)
  })
})

describe('prefix', () => {
  it('is the longest start that does not end inside a surrogate pair', () => {
    expect(prefix('ab😀cd', 3)).toBe('ab')
    expect(prefix('ab😀cd', 4)).toBe('ab😀')
    expect(prefix('abc', 5)).toBe('abc')
    expect(prefix('😀', 1)).toBe('')
    expect(prefix('abc', 0)).toBe('')
  })

  it('never ends on a high surrogate, at any length', () => {
    const text = '😀a😀😀b😀'
    for (let n = 0; n <= text.length; n++) {
      const start = prefix(text, n)
      expect(text.startsWith(start)).toBe(true)
      expect(start.length).toBeGreaterThanOrEqual(n - 1)
      expect(start).not.toMatch(/\p{Cs}/u)
    }
  })

  it('steps back over the first and the last high surrogate (U+D800 and U+DBFF) when the cut falls inside their pair', () => {
    expect(prefix('a\u{10000}b', 2)).toBe('a') // U+10000 is \ud800\udc00
    expect(prefix('a\u{10ffff}b', 2)).toBe('a') // U+10FFFF is \udbff\udfff
    expect(prefix('a\u{10000}b', 3)).toBe('a\u{10000}')
  })

  it('keeps a text that fits whole, even one that ends in a lone high surrogate', () => {
    expect(prefix('ab\ud83d', 3)).toBe('ab\ud83d')
    expect(prefix('ab\ud83d', 10)).toBe('ab\ud83d')
  })
})

describe('jsonText', () => {
  it('writes a value as JSON', () => {
    expect(jsonText({ a: [1, 'b'] })).toBe('{"a":[1,"b"]}')
  })

  it('is undefined for nesting JSON.stringify cannot write, where JSON.stringify throws', () => {
    const deep = JSON.parse(
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`
    ) as unknown
    expect(() => JSON.stringify(deep)).toThrow(RangeError)
    expect(jsonText(deep)).toBeUndefined()
  })
})

describe('escaping hostile text of a megabyte', () => {
  it.each(Object.keys(HOSTILE_TEXTS))(
    '%s: inline and showInvisible in a few seconds at most (linear, not quadratic)',
    (name) => {
      const text = HOSTILE_TEXTS[name]!
      expect(
        elapsedMs(() => [inline(text, MB), showInvisible(text)])
      ).toBeLessThan(LINEAR_CPU_MS)
    }
  )
})
