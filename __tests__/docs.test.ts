// The README starts with the user and the reference lives in docs/: every relative link between them
// (a file, or a heading in it) must lead somewhere, and the README must stay short.
import { describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const FILES = [
  'README.md',
  'CHANGELOG.md',
  ...readdirSync(join(ROOT, 'docs'), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f))
].sort()

/** The text without fenced code blocks and code spans, where a `](x)` is not a link. */
function prose(markdown: string): string {
  return markdown
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '')
    .replace(/(`+)[\s\S]*?\1/g, '')
}

/** GitHub's anchor for a heading (github-slugger): lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`|\*\*/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-')
}

/** Every anchor a markdown file has: its headings' (a repeated one gets -1, -2, …) and `<a id|name>`. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>()
  const found = new Set<string>()
  const text = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '')
  for (const [, heading] of text.matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const base = slug(heading!)
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    found.add(n === 0 ? base : `${base}-${n}`)
  }
  for (const [, id] of text.matchAll(/<a\s[^>]*(?:id|name)="([^"]+)"/g))
    found.add(id!)
  return found
}

/** The relative targets a markdown file links to: `](target)`, `href="…"`, `src="…"`. */
function relativeLinks(markdown: string): string[] {
  const text = prose(markdown)
  const targets = [
    ...[...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map(
      (m) => m[1]!
    ),
    ...[...text.matchAll(/\b(?:href|src)="([^"]+)"/g)].map((m) => m[1]!)
  ]
  return targets.filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t))
}

/** The links of `file` (a path under `root`) that lead nowhere, each with why. */
function brokenLinks(
  file: string,
  readText: (path: string) => string | undefined
): string[] {
  const text = readText(file)!
  const broken: string[] = []
  for (const link of relativeLinks(text)) {
    const [path, anchor] = link.split('#', 2) as [string, string | undefined]
    const target = path
      ? normalize(join(dirname(file), decodeURIComponent(path)))
      : file
    const targetText = readText(target)
    if (targetText === undefined) {
      broken.push(`${file}: ${link}: no file ${target}`)
      continue
    }
    if (anchor !== undefined && target.endsWith('.md')) {
      if (!anchors(targetText).has(decodeURIComponent(anchor)))
        broken.push(`${file}: ${link}: no heading #${anchor} in ${target}`)
    }
  }
  return broken
}

/** A file's text; '' for a file that is not markdown (an image) or a folder; undefined when missing. */
const readRepo = (path: string): string | undefined => {
  const full = join(ROOT, path)
  if (!existsSync(full)) return undefined
  return path.endsWith('.md') ? readFileSync(full, 'utf8') : ''
}

describe('links', () => {
  it('finds what it is meant to find (so that no broken link means something)', () => {
    const files: Record<string, string> = {
      'README.md': [
        '# Title',
        '## Comment the eval’s cost: on every `PR`',
        '## Twice',
        '## Twice',
        '[ok](#comment-the-evals-cost-on-every-pr) [ok](#twice-1) [ok](docs/a.md#the-token)',
        '[bad](#nowhere) [bad](docs/missing.md) [bad](docs/a.md#nope) <img src="docs/x.png">',
        '[web](https://example.com/#x) `[code](#not-a-link)`',
        '```md',
        '[in a block](#not-a-link-either)',
        '```'
      ].join('\n'),
      'docs/a.md': '## The token\n[back](../README.md#title)\n'
    }
    const readText = (path: string) => files[path]
    expect(brokenLinks('README.md', readText)).toEqual([
      'README.md: #nowhere: no heading #nowhere in README.md',
      'README.md: docs/missing.md: no file docs/missing.md',
      'README.md: docs/a.md#nope: no heading #nope in docs/a.md',
      'README.md: docs/x.png: no file docs/x.png'
    ])
    expect(brokenLinks('docs/a.md', readText)).toEqual([])
  })

  it.each(FILES)('every relative link and anchor in %s resolves', (file) => {
    expect(brokenLinks(file, readRepo)).toEqual([])
  })

  it('the README links to every file in docs/', () => {
    const linked = new Set(
      relativeLinks(readRepo('README.md')!).map((l) => l.split('#')[0])
    )
    const docs = FILES.filter(
      (f) => f.startsWith('docs/') && f.split('/').length === 2
    )
    for (const doc of docs) expect([doc, linked.has(doc)]).toEqual([doc, true])
  })
})

describe('the README', () => {
  it('is under 25 KB', () => {
    expect(Buffer.byteLength(readRepo('README.md')!, 'utf8')).toBeLessThan(
      25_000
    )
  })

  it('opens with what the action does, its pictures, the Legacy Logs requirement, then the quick start', () => {
    const readme = readRepo('README.md')!
    const at = (text: string) => {
      const i = readme.indexOf(text)
      expect([text, i >= 0]).toEqual([text, true])
      return i
    }
    const order = [
      at('gates CI on the LLM calls'),
      at('src="docs/images/comment.png"'),
      at('src="docs/images/summary.png"'),
      at('2026-09-24'),
      at('## Quick start'),
      at('## Contents')
    ]
    expect(order).toEqual([...order].sort((a, b) => a - b))
  })
})
