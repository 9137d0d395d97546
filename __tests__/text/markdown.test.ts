// truncateMarkdown: a report cut to fit where it goes, at a line end, with a note.
import { describe, expect, it } from '@jest/globals'
import { truncateMarkdown } from '../../src/text/markdown.js'

describe('truncateMarkdown', () => {
  const note = 'The report was shortened.'
  const suffix = `\n\n_${note}_\n`
  const markdown =
    Array.from(
      { length: 200 },
      (_, i) => `| row ${i} | ${'x'.repeat(i % 17)} |`
    ).join('\n') + '\n'

  it.each([0, 1, 500])(
    'leaves markdown %p characters under the limit unchanged',
    (under) => {
      expect(truncateMarkdown(markdown, markdown.length + under, note)).toBe(
        markdown
      )
    }
  )

  it('cuts inside the first line when the only line break before the limit is the very first character', () => {
    const long = `\n${'y'.repeat(500)}`
    const out = truncateMarkdown(long, 100, note)
    expect(out).toBe(`${long.slice(0, 100 - suffix.length)}${suffix}`)
  })

  it('shortens at a line break and adds the note', () => {
    const out = truncateMarkdown(markdown, 1000, note)
    expect(out.length).toBeLessThanOrEqual(1000)
    expect(out.endsWith(suffix)).toBe(true)
    const kept = out.slice(0, -suffix.length)
    expect(markdown.startsWith(kept)).toBe(true)
    expect(markdown[kept.length]).toBe('\n')
    // Only whole rows are kept.
    for (const line of kept.split('\n'))
      expect(line).toMatch(/^\| row \d+ \| x* \|$/)
    // And as many as fit.
    expect(markdown.indexOf('\n', kept.length + 1)).toBeGreaterThan(
      1000 - suffix.length
    )
  })

  it('is never longer than the limit', () => {
    for (let limit = suffix.length; limit < markdown.length + 5; limit += 7) {
      const out = truncateMarkdown(markdown, limit, note)
      expect(out.length).toBeLessThanOrEqual(limit)
      if (limit < markdown.length) expect(out.endsWith(suffix)).toBe(true)
    }
  })

  it('cuts a single long line hard when it has no line break', () => {
    const out = truncateMarkdown('y'.repeat(500), 100, note)
    expect(out).toBe(`${'y'.repeat(100 - suffix.length)}${suffix}`)
  })

  describe('characters', () => {
    it('never cuts a single long line inside a surrogate pair', () => {
      const note = 'shortened'
      for (const limit of [40, 41]) {
        expect(truncateMarkdown('😀'.repeat(100), limit, note)).not.toMatch(
          /\p{Cs}/u
        )
      }
    })
  })
})
