// `npm run release -- X.Y.Z [--push] [--any-branch]`: tags a release, as docs/releasing.md describes.
// It checks first, and tags nothing unless every check holds:
// - the version is X.Y.Z, package.json says it, and CHANGELOG.md has its `## [X.Y.Z] - YYYY-MM-DD` section;
// - the working tree is clean, HEAD is on main (unless --any-branch), and tag vX.Y.Z does not exist;
// - dist/ is the build of src/: `npm run build` changes nothing in it.
// Then it makes the annotated tag vX.Y.Z and moves the major tag (v1) to the same commit, writes the
// release notes (the changelog section) to a file, and prints the commands that push the tags and
// publish the release; with --push it pushes the tags itself (the major tag by force: it moves).
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const USAGE = 'usage: npm run release -- X.Y.Z [--push] [--any-branch]'

function git(...args) {
  return execFileSync('git', args, { encoding: 'utf8' }).trim()
}
function fail(message) {
  console.error(`release: ${message}`)
  process.exit(1)
}

const args = process.argv.slice(2)
const flags = new Set(args.filter((a) => a.startsWith('--')))
const [version, ...extra] = args.filter((a) => !a.startsWith('--'))
for (const flag of flags)
  if (!['--push', '--any-branch'].includes(flag)) {
    console.error(`release: unknown option ${flag}\n${USAGE}`)
    process.exit(2)
  }
if (!version || extra.length || !/^\d+\.\d+\.\d+$/.test(version)) {
  console.error(`release: give the version as X.Y.Z\n${USAGE}`)
  process.exit(2)
}
const tag = `v${version}`
const major = `v${version.split('.')[0]}`

const pkg = JSON.parse(readFileSync('package.json', 'utf8'))
if (pkg.version !== version)
  fail(
    `package.json says ${pkg.version}, not ${version}: run \`npm version ${version} --no-git-tag-version\` and commit`
  )
const changelog = readFileSync('CHANGELOG.md', 'utf8')
const heading = new RegExp(
  `^## \\[${version.replace(/\./g, '\\.')}\\] - \\d{4}-\\d{2}-\\d{2}$`,
  'm'
)
const start = changelog.search(heading)
if (start < 0)
  fail(
    `CHANGELOG.md has no "## [${version}] - YYYY-MM-DD" section: move the Unreleased entries under it`
  )
const rest = changelog.slice(start).split('\n')
const end = rest.findIndex(
  (line, i) => i > 0 && /^## |^\[[^\]]+\]: /.test(line)
)
const notes = rest
  .slice(1, end < 0 ? undefined : end)
  .join('\n')
  .trim()

if (git('status', '--porcelain'))
  fail(
    'the working tree is not clean: commit or stash everything first (a tag is exactly a commit)'
  )
const branch = git('rev-parse', '--abbrev-ref', 'HEAD')
if (branch !== 'main' && !flags.has('--any-branch'))
  fail(
    `HEAD is on ${branch}, not main (--any-branch to release from it anyway)`
  )
if (
  spawnSync('git', ['rev-parse', '-q', '--verify', `refs/tags/${tag}`])
    .status === 0
)
  fail(`tag ${tag} exists already: a release tag is made once and never moved`)

console.log('release: rebuilding dist/ to check that it is the build of src/ …')
const build = spawnSync('npm', ['run', 'build'], { encoding: 'utf8' })
if (build.status !== 0)
  fail(`npm run build failed:\n${build.stdout}${build.stderr}`)
const changed = git('status', '--porcelain', '--', 'dist')
if (changed)
  fail(
    `dist/ is not the build of src/ (npm run build changed it):\n${changed}\ncommit the rebuilt dist/, then release`
  )

git('tag', '-a', tag, '-m', tag)
const commit = git('rev-parse', `${tag}^{}`)
git('tag', '-f', major, commit)
const notesFile = join(mkdtempSync(join(tmpdir(), 'release-')), `${tag}.md`)
writeFileSync(notesFile, `${notes}\n`)
console.log(
  `release: tagged ${tag} (annotated) and moved ${major} to ${commit}`
)

const push = [
  ['git', 'push', 'origin', tag],
  ['git', 'push', '--force', 'origin', major]
]
if (flags.has('--push')) {
  for (const [cmd, ...rest] of push) {
    console.log(`release: ${[cmd, ...rest].join(' ')}`)
    const pushed = spawnSync(cmd, rest, { stdio: 'inherit' })
    if (pushed.status !== 0) fail(`${[cmd, ...rest].join(' ')} failed`)
  }
} else {
  console.log('release: push the tags with')
  for (const command of push) console.log(`  ${command.join(' ')}`)
}
console.log(
  `release: then publish the release from ${tag}, its notes the changelog section:\n  gh release create ${tag} --title ${tag} --notes-file ${notesFile}`
)
