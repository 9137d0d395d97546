// scripts/release.mjs in a scratch repository: it tags nothing unless the version, the changelog, a
// clean tree on main, a new tag and a built dist/ all check out; then it tags vX.Y.Z and moves v1.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { execFileSync, spawnSync } from 'node:child_process'
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const RELEASE = new URL('../../scripts/release.mjs', import.meta.url).pathname
const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid'
}

let repo: string
const git = (...args: string[]): string =>
  execFileSync('git', args, { cwd: repo, env: ENV, encoding: 'utf8' }).trim()
const release = (...args: string[]) =>
  spawnSync(process.execPath, [RELEASE, ...args], {
    cwd: repo,
    env: ENV,
    encoding: 'utf8'
  })
const write = (path: string, text: string): void => {
  mkdirSync(join(repo, path, '..'), { recursive: true })
  writeFileSync(join(repo, path), text)
}
/** A repository like this one: its build copies src/ to dist/. */
function commitRelease(version: string, built = true): void {
  write(
    'package.json',
    JSON.stringify({ name: 'x', version, scripts: { build: 'node build.mjs' } })
  )
  write('src/index.js', `export const version = '${version}'\n`)
  if (built) write('dist/index.js', `export const version = '${version}'\n`)
  write(
    'CHANGELOG.md',
    `# Changelog\n\n## [Unreleased]\n\n## [${version}] - 2026-12-01\n\n### Added\n\n- Something in ${version}.\n\n## [0.9.0] - 2026-01-01\n\n- Old.\n\n[${version}]: https://example.invalid\n`
  )
  git('add', '-A')
  git('commit', '-qm', `release ${version}`)
}

beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'release-'))
  execFileSync('git', ['init', '-q', '-b', 'main', repo])
  write(
    'build.mjs',
    "import { cpSync } from 'node:fs'\ncpSync('src', 'dist', { recursive: true })\n"
  )
  write('.gitignore', 'node_modules/\n')
})
afterEach(() => rmSync(repo, { recursive: true, force: true }))

describe('npm run release', () => {
  it('tags vX.Y.Z, moves v1 to it, writes the notes, and says how to push and publish', () => {
    commitRelease('1.2.3')
    const run = release('1.2.3')
    expect(run.status).toBe(0)
    const head = git('rev-parse', 'HEAD')
    expect(git('rev-parse', 'v1.2.3^{}')).toBe(head)
    expect(git('cat-file', '-t', 'v1.2.3')).toBe('tag') // annotated
    expect(git('rev-parse', 'v1^{}')).toBe(head)
    expect(run.stdout).toContain('git push origin v1.2.3')
    expect(run.stdout).toContain('git push --force origin v1')
    const notesFile = /--notes-file (\S+)/.exec(run.stdout)![1]!
    expect(readFileSync(notesFile, 'utf8')).toBe(
      '### Added\n\n- Something in 1.2.3.\n'
    )

    // the next release moves v1, and leaves v1.2.3 where it was
    commitRelease('1.2.4')
    expect(release('1.2.4').status).toBe(0)
    expect(git('rev-parse', 'v1^{}')).toBe(git('rev-parse', 'HEAD'))
    expect(git('rev-parse', 'v1.2.3^{}')).toBe(head)
  })

  it.each([
    ['no version', [], 2, /give the version as X\.Y\.Z/],
    ['a version that is not X.Y.Z', ['v1.2'], 2, /give the version as X\.Y\.Z/],
    ['an unknown option', ['1.2.3', '--force'], 2, /unknown option --force/],
    [
      'another version than package.json',
      ['1.2.4'],
      1,
      /package\.json says 1\.2\.3, not 1\.2\.4/
    ]
  ])('refuses %s', (_what, args, status, message) => {
    commitRelease('1.2.3')
    const run = release(...(args as string[]))
    expect([run.status, run.stderr]).toEqual([
      status,
      expect.stringMatching(message as RegExp)
    ])
    expect(git('tag')).toBe('')
  })

  it('refuses a dirty tree, another branch, an existing tag, a missing changelog section and a stale dist/', () => {
    commitRelease('1.2.3')
    write('src/extra.js', 'x\n')
    expect(release('1.2.3').stderr).toMatch(/the working tree is not clean/)
    rmSync(join(repo, 'src/extra.js'))

    git('checkout', '-qb', 'feature')
    expect(release('1.2.3').stderr).toMatch(/HEAD is on feature, not main/)
    git('checkout', '-q', 'main')

    git('tag', 'v1.2.3')
    expect(release('1.2.3').stderr).toMatch(/tag v1\.2\.3 exists already/)
    git('tag', '-d', 'v1.2.3')

    write('CHANGELOG.md', '# Changelog\n\n## [Unreleased]\n')
    git('commit', '-qam', 'no section')
    expect(release('1.2.3').stderr).toMatch(
      /CHANGELOG\.md has no "## \[1\.2\.3\] - YYYY-MM-DD" section/
    )

    commitRelease('1.2.3', false) // src/ changed, dist/ not rebuilt
    write('src/index.js', "export const version = 'changed'\n")
    git('commit', '-qam', 'src changed')
    const stale = release('1.2.3')
    expect(stale.status).toBe(1)
    expect(stale.stderr).toMatch(
      /dist\/ is not the build of src\/ \(npm run build changed it\)/
    )
    expect(git('tag')).toBe('')
  })
})
