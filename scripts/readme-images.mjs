// `node scripts/readme-images.mjs RENDER_DIR` (or RENDER_DIR in the environment): makes the README's
// pictures, docs/images/comment.png and docs/images/summary.png, from what the built action writes.
// It runs dist/index.js as a runner does (scripts/run-action.mjs) against the local stand-in, as
// `npm run demo` does: a pull request's eval run of 120 calls gated with `baseline: base-branch` (the
// base branch's run, registered in the stand-in's GitHub, has 120 calls of its own), `comment: update`
// and thresholds against the baseline, which the pull request's dearer run breaks. The comment is the body the action posted to the stand-in's
// GitHub; the summary is its GITHUB_STEP_SUMMARY. Both are rendered with the renderer whose folder is
// RENDER_DIR (render.mjs: GitHub-flavoured markdown, github-markdown-css, Mermaid, headless Chromium;
// set-up in docs/images/README.md), the comment at 800 px wide, the summary at 1000 px, and each
// picture is cut below its last line of content. `--markdown DIR` also keeps the two markdown files.
// Exits 1 when the action did not run as expected or a picture could not be made.
import { execFileSync } from 'node:child_process'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { inflateSync, deflateSync, crc32 } from 'node:zlib'
import { runAction } from './run-action.mjs'
import {
  DEMO_ACCOUNT,
  DEMO_GATEWAY,
  RUN_MODELS,
  startStandIn
} from './stand-in.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const OUT_DIR = join(ROOT, 'docs', 'images')
// Width: the column GitHub gives a PR comment, and a job summary. Height: at most this many pixels are
// kept (the top of the report: its verdict, the change and the checks), so that each file stays small.
const PICTURES = [
  { name: 'comment', width: 800, maxHeight: 1200 },
  { name: 'summary', width: 1000, maxHeight: 1200 }
]

function usage(message) {
  console.error(`${message}
usage: node scripts/readme-images.mjs RENDER_DIR [--markdown DIR]
  RENDER_DIR: a copy of the renderer with its packages installed (docs/images/README.md);
  it may also come from the RENDER_DIR environment variable.`)
  process.exit(2)
}

const args = process.argv.slice(2)
let markdownDir
const markdownAt = args.indexOf('--markdown')
if (markdownAt >= 0) {
  markdownDir = args[markdownAt + 1]
  if (!markdownDir) usage('--markdown needs a folder')
  args.splice(markdownAt, 2)
}
const renderDir = args[0] ?? process.env.RENDER_DIR
if (!renderDir) usage('No renderer folder given.')
const renderer = join(resolve(renderDir), 'render.mjs')
if (!existsSync(renderer)) usage(`${renderer} does not exist.`)
if (!existsSync(join(resolve(renderDir), 'node_modules', 'marked')))
  usage(`${renderDir} has no node_modules: run npm install there first.`)
if (!existsSync(join(ROOT, 'dist', 'index.js')))
  usage('dist/index.js does not exist: run npm run build first.')

// ---- 1. The action's comment and summary, from a run against the stand-in -------------------------

const REPO = 'octo-org/octo-repo'
const PR = 7
const BASE_RUN = { id: 4100, attempt: 1 }
const THIS_RUN = { id: 7001, attempt: 1 }
const runIdOf = (run) => `gh-${run.id}-${run.attempt}`
// Fixed times for the calls (their log ids are made from them), so that the same pictures come out of
// every run of this script.
const BASE_CALLS_AT = Date.parse('2026-11-24T09:00:00Z')
const THIS_CALLS_AT = Date.parse('2026-11-25T09:00:00Z')

async function gateOnce() {
  const standIn = await startStandIn()
  const work = mkdtempSync(join(tmpdir(), 'readme-images-'))
  try {
    // The base branch's run of the same workflow, three hours ago, and its calls.
    standIn.addWorkflowRun({
      repo: REPO,
      workflow: 'eval.yml',
      id: BASE_RUN.id,
      attempt: BASE_RUN.attempt,
      branch: 'main',
      sha: 'c0ffee'.padEnd(40, '0'),
      createdAt: new Date(Date.now() - 3 * 3_600_000).toISOString()
    })
    standIn.addRun({
      runId: runIdOf(BASE_RUN),
      calls: 120,
      failed: 1,
      startMs: BASE_CALLS_AT
    })
    // This pull request's run: the same eval with gpt-4o asked twice as often, and one more failed call,
    // so that its cost breaks `cost <= baseline + 10%`.
    const [mini, gpt4o, haiku] = RUN_MODELS
    standIn.addRun({
      runId: runIdOf(THIS_RUN),
      calls: 120,
      failed: 2,
      models: [mini, gpt4o, gpt4o, haiku],
      startMs: THIS_CALLS_AT
    })

    // The pull_request event's fields the action reads (GitHub's webhook payload).
    const eventPath = join(work, 'event.json')
    writeFileSync(
      eventPath,
      JSON.stringify({
        action: 'synchronize',
        number: PR,
        pull_request: {
          number: PR,
          base: { ref: 'main', repo: { full_name: REPO } },
          head: { ref: 'cheaper-prompts', repo: { full_name: REPO } }
        },
        repository: { full_name: REPO, default_branch: 'main' }
      })
    )
    const run = await runAction(
      {
        'api-token': standIn.token,
        'account-id': DEMO_ACCOUNT,
        'gateway-id': DEMO_GATEWAY,
        'api-url': standIn.apiUrl,
        'run-id': runIdOf(THIS_RUN),
        settle: '0',
        'max-cost': '$2.00',
        'require-success': 'false',
        baseline: 'base-branch',
        thresholds: [
          'cost <= baseline + 10%',
          'duration.p95 <= baseline * 1.2',
          'error-rate < 5%',
          'warn: cost.max <= $0.02'
        ].join('\n'),
        comment: 'update',
        'github-token': standIn.githubToken
      },
      {
        env: {
          GITHUB_EVENT_NAME: 'pull_request',
          GITHUB_EVENT_PATH: eventPath,
          GITHUB_REPOSITORY: REPO,
          GITHUB_API_URL: standIn.githubApiUrl,
          GITHUB_SERVER_URL: 'https://github.com',
          GITHUB_WORKFLOW_REF: `${REPO}/.github/workflows/eval.yml@refs/pull/${PR}/merge`,
          GITHUB_RUN_ID: String(THIS_RUN.id),
          GITHUB_RUN_ATTEMPT: String(THIS_RUN.attempt),
          GITHUB_WORKFLOW: 'eval',
          GITHUB_JOB: 'eval'
        }
      }
    )
    const posted = standIn.comments.filter(
      (c) => c.repo === REPO && c.issue === PR
    )
    if (
      !['pass', 'fail'].includes(run.outputs.result) ||
      posted.length !== 1 ||
      !run.summary.trim()
    ) {
      console.error(run.stdout, run.stderr)
      throw new Error(
        `expected a report and one comment; got result=${run.outputs.result}, ${posted.length} comments`
      )
    }
    console.log(
      `gate: result=${run.outputs.result}, ${run.outputs.count} calls, baseline ${run.outputs['baseline-run-id']}, comment posted (${posted[0].body.length} characters)`
    )
    return { comment: posted[0].body, summary: run.summary }
  } finally {
    await standIn.close()
    rmSync(work, { recursive: true, force: true })
  }
}

// ---- 2. PNG: decode, cut below the content, encode (Chromium writes 8-bit RGB or RGBA) -------------

function readPng(file) {
  const data = readFileSync(file)
  let at = 8
  let header
  const idat = []
  while (at < data.length) {
    const length = data.readUInt32BE(at)
    const type = data.toString('latin1', at + 4, at + 8)
    const body = data.subarray(at + 8, at + 8 + length)
    if (type === 'IHDR')
      header = {
        width: body.readUInt32BE(0),
        height: body.readUInt32BE(4),
        depth: body[8],
        colour: body[9],
        interlace: body[12]
      }
    else if (type === 'IDAT') idat.push(body)
    at += 12 + length
  }
  const channels = { 2: 3, 6: 4 }[header?.colour]
  if (!header || header.depth !== 8 || !channels || header.interlace !== 0)
    throw new Error(`${file}: not an 8-bit RGB(A) PNG without interlacing`)
  const raw = inflateSync(Buffer.concat(idat))
  const stride = header.width * channels
  const pixels = Buffer.alloc(stride * header.height)
  for (let y = 0; y < header.height; y++) {
    const filter = raw[y * (stride + 1)]
    const row = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1))
    const out = pixels.subarray(y * stride, (y + 1) * stride)
    const up = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : null
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[x - channels] : 0
      const b = up ? up[x] : 0
      const c = up && x >= channels ? up[x - channels] : 0
      let value = row[x]
      if (filter === 1) value += a
      else if (filter === 2) value += b
      else if (filter === 3) value += (a + b) >> 1
      else if (filter === 4) {
        const p = a + b - c
        const pa = Math.abs(p - a)
        const pb = Math.abs(p - b)
        const pc = Math.abs(p - c)
        value += pa <= pb && pa <= pc ? a : pb <= pc ? b : c
      }
      out[x] = value & 0xff
    }
  }
  return { width: header.width, height: header.height, channels, pixels }
}

/** Sum of the filtered bytes read as signed numbers: the usual guess at which filter compresses a row best. */
const cost = (bytes) => {
  let sum = 0
  for (const b of bytes) sum += b < 128 ? b : 256 - b
  return sum
}

function writePng(file, image) {
  const { width, height } = image
  // Drop the alpha channel when every pixel is opaque (a screenshot's always are): a quarter less to store.
  let { channels, pixels } = image
  if (channels === 4 && pixels.every((v, i) => i % 4 !== 3 || v === 255)) {
    const rgb = Buffer.alloc((pixels.length / 4) * 3)
    for (let i = 0, j = 0; i < pixels.length; i += 4, j += 3) {
      rgb[j] = pixels[i]
      rgb[j + 1] = pixels[i + 1]
      rgb[j + 2] = pixels[i + 2]
    }
    pixels = rgb
    channels = 3
  }
  const stride = width * channels
  const raw = Buffer.alloc((stride + 1) * height)
  const candidates = Array.from({ length: 5 }, () => Buffer.alloc(stride))
  for (let y = 0; y < height; y++) {
    const row = pixels.subarray(y * stride, (y + 1) * stride)
    const up = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : null
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? row[x - channels] : 0
      const b = up ? up[x] : 0
      const c = up && x >= channels ? up[x - channels] : 0
      const p = a + b - c
      const pa = Math.abs(p - a)
      const pb = Math.abs(p - b)
      const pc = Math.abs(p - c)
      const paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
      candidates[0][x] = row[x]
      candidates[1][x] = (row[x] - a) & 0xff
      candidates[2][x] = (row[x] - b) & 0xff
      candidates[3][x] = (row[x] - ((a + b) >> 1)) & 0xff
      candidates[4][x] = (row[x] - paeth) & 0xff
    }
    let best = 0
    for (let f = 1; f < 5; f++)
      if (cost(candidates[f]) < cost(candidates[best])) best = f
    raw[y * (stride + 1)] = best
    candidates[best].copy(raw, y * (stride + 1) + 1)
  }
  const chunk = (type, body) => {
    const head = Buffer.alloc(8)
    head.writeUInt32BE(body.length, 0)
    head.write(type, 4, 'latin1')
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])) >>> 0)
    return Buffer.concat([head, body, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8
  ihdr[9] = channels === 4 ? 6 : 2
  writeFileSync(
    file,
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(raw, { level: 9 })),
      chunk('IEND', Buffer.alloc(0))
    ])
  )
}

/**
 * The picture cut 24 px (the page's padding) below its last row that is not all background; when that is
 * taller than maxHeight, cut instead in a gap between blocks (rows of background) above maxHeight, so
 * that no table or chart is cut through.
 */
function cropToContent(image, maxHeight) {
  const { width, channels, pixels } = image
  const stride = width * channels
  const background = pixels.subarray(0, channels)
  const blank = (y) => {
    for (let x = 0; x < width; x++) {
      const at = y * stride + x * channels
      if (
        pixels[at] !== background[0] ||
        pixels[at + 1] !== background[1] ||
        pixels[at + 2] !== background[2]
      )
        return false
    }
    return true
  }
  let last = image.height - 1
  while (last > 0 && blank(last)) last--
  let height = Math.min(last + 25, image.height)
  if (height > maxHeight) {
    // The lowest gap above maxHeight that ends a block taller than 40 px (a table, a chart, a paragraph
    // of several lines): not one that ends a heading, which stays with the table it names.
    let cut = 0
    let blockStart = 0
    for (let y = 1; y < maxHeight; y++) {
      if (blank(y - 1) && !blank(y)) blockStart = y
      if (!blank(y - 1) && blank(y) && y - blockStart > 40) cut = y
    }
    let gap = 0
    while (cut > 0 && gap < 24 && cut + gap < image.height && blank(cut + gap))
      gap++
    height = cut > 0 ? cut + gap : maxHeight
  }
  return { ...image, height, pixels: pixels.subarray(0, stride * height) }
}

// ---- 3. Render, cut, write ----------------------------------------------------------------------

const texts = await gateOnce()
const work = mkdtempSync(join(tmpdir(), 'readme-images-render-'))
try {
  mkdirSync(OUT_DIR, { recursive: true })
  if (markdownDir) mkdirSync(markdownDir, { recursive: true })
  for (const { name, width, maxHeight } of PICTURES) {
    const source = join(work, `${name}.md`)
    writeFileSync(source, texts[name])
    if (markdownDir) copyFileSync(source, join(markdownDir, `${name}.md`))
    const shot = join(work, `${name}.png`)
    execFileSync(process.execPath, [renderer, source, shot, String(width)], {
      stdio: ['ignore', 'ignore', 'inherit']
    })
    if (!existsSync(shot)) throw new Error(`the renderer wrote no ${shot}`)
    const image = cropToContent(readPng(shot), maxHeight)
    const out = join(OUT_DIR, `${name}.png`)
    writePng(out, image)
    console.log(
      `${out}: ${image.width} × ${image.height} px, ${Math.round(statSync(out).size / 1024)} KB`
    )
  }
} finally {
  rmSync(work, { recursive: true, force: true })
}
