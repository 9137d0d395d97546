import { describe, expect, it } from '@jest/globals'
import { cut, inline } from '../src/escape.js'

describe('inline', () => {
  it('keeps text that could be a workflow command on the line it was put in', () => {
    const text = inline('https://github.example/pull/1\n::stop-commands::zzz\r\n::error::x')
    expect(text).not.toMatch(/[\r\n]/)
    expect(text).toBe('https://github.example/pull/1\\n::stop-commands::zzz\\r\\n::error::x')
  })

  it('shows line and paragraph separators, bidirectional controls and zero-width characters as escapes', () => {
    expect(inline('a\u2028b\u2029c')).toBe('a\\u2028b\\u2029c')
    expect(inline('gpt\u202e4o\u200b\u2066x\ufeff')).toBe('gpt\\u202e4o\\u200b\\u2066x\\ufeff')
  })

  it('keeps quotes, non-ASCII letters and emoji as they are', () => {
    expect(inline('say "hi" — naïve 😀')).toBe('say "hi" — naïve 😀')
  })

  it('cuts long text', () => {
    expect(inline('x'.repeat(400))).toBe(`${'x'.repeat(300)}…`)
    expect(inline('abcdef', 3)).toBe('abc…')
  })
})

describe('cut', () => {
  it('never splits a surrogate pair', () => {
    expect(cut('ab😀cd', 3)).toBe('ab…')
    expect(cut('ab😀cd', 4)).toBe('ab😀…')
    expect(cut('abc', 3)).toBe('abc')
  })
})
