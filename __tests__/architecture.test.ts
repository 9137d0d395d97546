// The layout is the architecture: src/ is folders by concern, and data flows one way through them.
// Each folder has a level; a module imports only from its own folder or from folders of a lower level
// (text < net, inputs < cloudflare, github < sources < gate < report < main), and no import cycle exists.
// docs/architecture.md draws the same flow.
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', 'src')

/** The folders of src/ and their level in the flow; '.' is src/ itself (index.ts, main.ts). */
const LEVELS: Record<string, number> = {
  text: 0,
  net: 1,
  inputs: 1,
  cloudflare: 2,
  github: 2,
  sources: 3,
  gate: 4,
  report: 5,
  '.': 6
}

function modules(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? modules(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [relative(SRC, join(dir, entry.name))]
        : []
  )
}

/** The src-relative modules a module imports (static, dynamic and type-only imports alike). */
function importsOf(module: string): string[] {
  const text = readFileSync(join(SRC, module), 'utf8')
  const specifiers = [
    ...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)
  ].map((m) => m[1]!)
  return specifiers.map((s) =>
    normalize(join(dirname(module), s)).replace(/\.js$/, '.ts')
  )
}

const folderOf = (module: string): string =>
  module.includes('/') ? module.split('/')[0]! : '.'

/** Every import that breaks the levels: `from -> to`. */
function levelViolations(graph: Map<string, string[]>): string[] {
  const broken: string[] = []
  for (const [from, targets] of graph)
    for (const to of targets) {
      const [a, b] = [folderOf(from), folderOf(to)]
      if (a === b) continue
      if (!(LEVELS[b]! < LEVELS[a]!)) broken.push(`${from} -> ${to}`)
    }
  return broken
}

/** One cycle per strongly connected group of modules, as a path that ends where it starts. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = []
  const state = new Map<string, 'open' | 'done'>()
  const path: string[] = []
  const visit = (node: string): void => {
    state.set(node, 'open')
    path.push(node)
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open')
        found.push([...path.slice(path.indexOf(next)), next])
      else if (!state.has(next)) visit(next)
    }
    path.pop()
    state.set(node, 'done')
  }
  for (const node of graph.keys()) if (!state.has(node)) visit(node)
  return found
}

const graph = new Map(modules().map((m) => [m, importsOf(m)]))

describe('the architecture', () => {
  it('has every module of src/ in a folder with a level', () => {
    expect(
      modules()
        .map(folderOf)
        .filter((f) => !(f in LEVELS))
    ).toEqual([])
    // index.ts and main.ts are the only modules at the top.
    expect(
      modules()
        .filter((m) => folderOf(m) === '.')
        .sort()
    ).toEqual(['index.ts', 'main.ts'])
  })

  it('imports only from its own folder or a lower level', () => {
    expect(levelViolations(graph)).toEqual([])
  })

  it('has no import cycle', () => {
    expect(cycles(graph)).toEqual([])
  })

  it('finds an import that goes up a level, and a cycle, when there is one (the checks can fail)', () => {
    const bad = new Map([
      ['inputs/config.ts', ['gate/verdict.ts']],
      ['gate/verdict.ts', ['gate/a.ts']],
      ['gate/a.ts', ['gate/verdict.ts']],
      ['github/comment.ts', ['cloudflare/gateway.ts']]
    ])
    expect(levelViolations(bad)).toEqual([
      'inputs/config.ts -> gate/verdict.ts',
      'github/comment.ts -> cloudflare/gateway.ts'
    ])
    expect(cycles(bad)).toEqual([
      ['gate/verdict.ts', 'gate/a.ts', 'gate/verdict.ts']
    ])
  })

  it('reads every import form: static, type-only and dynamic', () => {
    expect(graph.get('main.ts')).toEqual(
      expect.arrayContaining(['github/comment.ts', 'inputs/config.ts'])
    )
  })
})
