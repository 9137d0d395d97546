import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
  jest
} from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import nock from 'nock'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import type {
  Account,
  ApiOptions,
  BodyCheck,
  CommentApi,
  CommentRequest,
  IssueComment,
  ListedComment,
  SyncOptions
} from '../../src/github/comment.js'
import type { TextReader } from '../../src/net/json-stream.js'

// @actions/github reads GITHUB_API_URL (and the proxy variables) when it is first loaded, not when
// getOctokit is called: set them before the module under test loads it.
const API = 'https://gh.test'
const savedEnv = { ...process.env }
process.env.GITHUB_API_URL = API
for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy'])
  delete process.env[name]
// On Node 24 with nock 15.0.0 the module under test must be imported after nock, or nock does not intercept its requests.
const {
  MAX_COMMENT_CHARS,
  MAX_DELETIONS,
  PASSES_NOW_NOTE,
  GitHubAnswerError,
  BodyReader,
  checkBody,
  commentBody,
  findMarked,
  listedComments,
  commentTarget,
  explainFailure,
  hasMarker,
  marker,
  octokitCommentApi,
  postComment,
  syncComment,
  writtenBy
} = await import('../../src/github/comment.js')

const KEY = 'ci-eval'
const REPORT =
  '### ✅ AI Gateway gate: passed (2 of 2 checks)\n\n| Check | Actual |\n| --- | --- |\n| cost | 0.0012 |\n'
const RED_REPORT =
  '### ❌ AI Gateway gate: failed, 1 of 2 checks\n\n| Check | Actual |\n| --- | --- |\n| cost | 0.75 |\n'

type RestUser = NonNullable<IssueComment['user']>

/**
 * The three kinds of token, each as GitHub describes its account in both APIs:
 * - `rest`: a REST issue comment's `user` (the issue-comment schema's simple-user: login, id, type);
 * - `viewer`: GraphQL `viewer { databaseId login }`. The schema declares `viewer: User!` and
 *   `User.databaseId: Int`; for an installation token the viewer is the App's bot and its login keeps
 *   `[bot]`. databaseId is the same number as REST's user.id.
 */
const TOKEN_KINDS = {
  // GITHUB_TOKEN: the GitHub Actions app's bot, github-actions[bot], id 41898282 (GET /users/github-actions[bot]).
  GITHUB_TOKEN: {
    rest: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' },
    viewer: { id: 41898282, login: 'github-actions[bot]' }
  },
  // An installation token of another GitHub App: its own bot account.
  'a GitHub App token': {
    rest: { login: 'my-app[bot]', id: 150123456, type: 'Bot' },
    viewer: { id: 150123456, login: 'my-app[bot]' }
  },
  // A personal access token: the person's account.
  'a personal access token': {
    rest: { login: 'octo-dev', id: 5837461, type: 'User' },
    viewer: { id: 5837461, login: 'octo-dev' }
  }
} satisfies Record<string, { rest: RestUser; viewer: Account }>
type TokenKind = (typeof TOKEN_KINDS)[keyof typeof TOKEN_KINDS]
const ACTIONS: TokenKind = TOKEN_KINDS.GITHUB_TOKEN
const botUser: RestUser = ACTIONS.rest

/** Accounts that look like ours by login, type or marker, but are not: never edited or deleted. */
const LOOK_ALIKES: Record<string, RestUser> = {
  'a person named github-actions': {
    login: 'github-actions',
    id: 70000001,
    type: 'User'
  },
  "another App's bot": { login: 'other-app[bot]', id: 70000002, type: 'Bot' },
  'a person named my-app': { login: 'my-app', id: 70000003, type: 'User' },
  'a person named octo-dev-bot': {
    login: 'octo-dev-bot',
    id: 70000004,
    type: 'User'
  },
  'a person quoting our marker': {
    login: 'mallory',
    id: 70000005,
    type: 'User'
  }
}
const mallory = LOOK_ALIKES['a person quoting our marker']!

beforeAll(() => {
  nock.disableNetConnect()
})

afterAll(() => {
  nock.cleanAll()
  nock.enableNetConnect()
  nock.restore()
  process.env = savedEnv
})

describe('marker and hasMarker', () => {
  it("finds a key's marker and not a key that only shares a prefix", () => {
    const a = commentBody(REPORT, 'a')
    const ab = commentBody(REPORT, 'ab')
    expect(hasMarker(a, 'a')).toBe(true)
    expect(hasMarker(ab, 'ab')).toBe(true)
    expect(hasMarker(ab, 'a')).toBe(false)
    expect(hasMarker(a, 'ab')).toBe(false)
  })

  it('keeps a key containing --> inside the HTML comment and from posing as another key', () => {
    const key = 'x --> <!-- ai-gateway-gate:key=b -->'
    const m = marker(key)
    // The only "-->" is the one that closes the marker.
    expect(m.indexOf('-->')).toBe(m.length - 3)
    expect(m.startsWith('<!-- ')).toBe(true)
    const body = commentBody(REPORT, key)
    expect(hasMarker(body, key)).toBe(true)
    expect(hasMarker(body, 'b')).toBe(false)
    expect(hasMarker(body, 'x')).toBe(false)
    expect(marker('a-->')).not.toBe(marker('a'))
  })

  it('never matches a missing body', () => {
    expect(hasMarker(null, KEY)).toBe(false)
    expect(hasMarker(undefined, KEY)).toBe(false)
    expect(hasMarker('', KEY)).toBe(false)
  })

  it('is the report followed by the marker', () => {
    const body = commentBody(REPORT, KEY)
    expect(body.startsWith(REPORT)).toBe(true)
    expect(body.trimEnd().endsWith(marker(KEY))).toBe(true)
    expect(body).not.toMatch(/shortened/)
  })

  it('shortens a report over 65,536 characters with a visible note and stays within the limit', () => {
    const line = `| row | ${'x'.repeat(90)} |\n`
    const big = `### ❌ AI Gateway gate\n\n${line.repeat(1000)}` // about 100,000 characters
    expect(big.length).toBeGreaterThan(MAX_COMMENT_CHARS)
    const body = commentBody(big, KEY)
    expect(MAX_COMMENT_CHARS).toBe(65_536)
    expect(body.length).toBeLessThanOrEqual(65_536)
    expect(body).toContain(
      '_The report was shortened to fit in a comment; the job summary has all of it._'
    )
    expect(body.startsWith('### ❌ AI Gateway gate')).toBe(true)
    expect(body.trimEnd().endsWith(marker(KEY))).toBe(true)
    expect(hasMarker(body, KEY)).toBe(true)
    // Cut at a line end: no half row before the note.
    expect(body).toMatch(/\|\n\n_The report was shortened/)
  })

  it('shortens a single huge line (no line break to cut at) within the limit', () => {
    const body = commentBody('y'.repeat(200_000), KEY)
    expect(body.length).toBeLessThanOrEqual(65_536)
    expect(body).toContain('The report was shortened')
    expect(hasMarker(body, KEY)).toBe(true)
  })

  it('leaves a report that fits exactly alone and shortens one character more', () => {
    const room = MAX_COMMENT_CHARS - `\n${marker(KEY)}\n`.length
    const fits = commentBody('z'.repeat(room), KEY)
    expect(fits.length).toBe(65_536)
    expect(fits).not.toContain('shortened')
    const over = commentBody('z'.repeat(room + 1), KEY)
    expect(over.length).toBeLessThanOrEqual(65_536)
    expect(over).toContain('shortened')
  })
})

describe('BodyReader', () => {
  const body = commentBody(REPORT, KEY)
  /** What a BodyReader makes of `text` given in pieces of `size` characters. */
  const check = (text: string, size: number, expected?: string) => {
    const reader = new BodyReader(marker(KEY), expected)
    for (let i = 0; i < text.length; i += size)
      reader.text(text.slice(i, i + size))
    return reader.end()
  }

  it.each([1, 2, 3, 7, 40, 100_000])(
    'finds the marker and the same body whatever the pieces (%i characters each), as hasMarker and === do',
    (size) => {
      expect(check(body, size, body)).toEqual({ marked: true, same: true })
      expect(check(body, size, `${body} `)).toEqual({
        marked: true,
        same: false
      })
      expect(check(`${body} `, size, body)).toEqual({
        marked: true,
        same: false
      })
      expect(check(body.replace('passed', 'failed'), size, body)).toEqual({
        marked: true,
        same: false
      })
      expect(check(commentBody(REPORT, 'other'), size, body)).toEqual({
        marked: false,
        same: false
      })
      expect(check(REPORT, size, undefined)).toEqual({
        marked: false,
        same: false
      })
    }
  )

  it('finds a marker at the very start or end, or cut across two pieces at any point', () => {
    const m = marker(KEY)
    for (let cut = 0; cut <= m.length; cut++) {
      const reader = new BodyReader(m, undefined)
      reader.text(`x${m.slice(0, cut)}`)
      reader.text(`${m.slice(cut)}y`)
      expect([cut, reader.end().marked]).toEqual([cut, true])
    }
    expect(check(m, 1)).toEqual({ marked: true, same: false })
    expect(check(m.slice(1), 1)).toEqual({ marked: false, same: false })
  })

  it('checkBody reads a whole body the same way, and no body as neither', () => {
    const readBody = () => new BodyReader(marker(KEY), body)
    expect(checkBody(readBody, body)).toEqual({ marked: true, same: true })
    expect(checkBody(readBody, null)).toEqual({ marked: false, same: false })
    expect(checkBody(readBody, undefined)).toEqual({
      marked: false,
      same: false
    })
  })

  it('reads a marker of any length, one character included, only in the text it is given', () => {
    const unmarked = new BodyReader('!', undefined)
    unmarked.text('no mark here')
    expect(unmarked.end().marked).toBe(false)
    const marked = new BodyReader('!', undefined)
    marked.text('here')
    marked.text('!')
    expect(marked.end().marked).toBe(true)
  })
})

describe('findMarked', () => {
  it('keeps of each marked comment its id, html_url, account id and whether its body is the one to write: never its body', async () => {
    const forged = commentBody('I am the gate', KEY)
    const api = new FakeApi([
      { id: 1, body: forged, user: mallory },
      { id: 2, body: 'LGTM', user: mallory },
      { id: 3, body: commentBody(REPORT, KEY), user: botUser },
      { id: 4, body: null, user: null }
    ])
    expect(await findMarked(api, KEY, commentBody(REPORT, KEY))).toEqual([
      {
        id: 1,
        html_url: 'https://github.test/o/r/pull/7#issuecomment-1',
        user: { id: mallory.id },
        sameBody: false
      },
      {
        id: 3,
        html_url: 'https://github.test/o/r/pull/7#issuecomment-3',
        user: { id: botUser.id },
        sameBody: true
      }
    ])
  })

  it('keeps 5000 marked comments of 65,536 characters by another account in a few hundred KiB, not 650 MB', async () => {
    const huge = `${marker(KEY)}${'漢'.repeat(MAX_COMMENT_CHARS - marker(KEY).length)}`
    const api = new FakeApi([])
    api.listPage = async (page, perPage, readBody) =>
      Array.from({ length: perPage }, (_, i) => ({
        id: page * 1000 + i,
        html_url: 'u',
        user: mallory,
        check: checkBody(readBody, huge)
      }))
    const found = await findMarked(api, KEY)
    expect(found).toHaveLength(5000)
    // What is kept is a handful of small fields per comment.
    expect(JSON.stringify(found).length).toBeLessThan(5000 * 100)
    expect(found.every((c) => !('body' in c))).toBe(true)
  })

  it('cuts an html_url longer than any of GitHub, visibly', async () => {
    const api = new FakeApi([
      { id: 1, body: commentBody('x', KEY), user: mallory }
    ])
    api.comments[0]!.html_url = `https://github.test/${'p'.repeat(5000)}`
    const [found] = await findMarked(api, KEY)
    expect(found!.html_url).toHaveLength(2049)
    expect(found!.html_url.endsWith('…')).toBe(true)
  })
})

describe('findMarked, over a listing as GitHub writes it', () => {
  it('keeps an author that is gone as null, a comment without a user or an html_url as none', async () => {
    const body = commentBody(REPORT, KEY)
    const page = Buffer.from(
      JSON.stringify([
        { id: 1, html_url: 'h1', user: null, body },
        { id: 2, body },
        { id: 3, html_url: 42, user: { login: 'x' }, body }
      ])
    )
    const api = new FakeApi([])
    api.listPage = async (_page, perPage, readBody) => {
      const listed: ListedComment[] = []
      for await (const c of listedComments(
        (async function* () {
          yield page
        })(),
        perPage,
        readBody
      ))
        listed.push(c)
      return listed
    }
    const found = await findMarked(api, KEY)
    expect(found).toEqual([
      { id: 1, html_url: 'h1', user: null, sameBody: false },
      { id: 2, html_url: '', user: { id: undefined }, sameBody: false },
      { id: 3, html_url: '', user: { id: undefined }, sameBody: false }
    ])
    expect(found[0]!.user).toBeNull()
    expect(found[1]!.user).not.toBeNull()
  })
})

describe('listedComments', () => {
  // A listing page as GitHub's REST API answers it: a JSON array of issue comments (the issue-comment schema).
  const answer = (comments: unknown[]) => Buffer.from(JSON.stringify(comments))
  async function* chunks(bytes: Buffer, size: number) {
    for (let i = 0; i < bytes.length; i += size)
      yield bytes.subarray(i, i + size)
  }
  const readBody = () => new BodyReader(marker(KEY), commentBody(REPORT, KEY))
  const all = async (bytes: Buffer, size = 1000, perPage = 100) => {
    const listed: ListedComment[] = []
    for await (const c of listedComments(
      chunks(bytes, size),
      perPage,
      readBody
    ))
      listed.push(c)
    return listed
  }

  it('yields each comment without its body, its body read into a check, in chunks of any size', async () => {
    const comments = [
      {
        id: 1,
        html_url: 'h1',
        user: mallory,
        body: commentBody('x', KEY),
        reactions: { total_count: 0 }
      },
      { id: 2, html_url: 'h2', user: botUser, body: commentBody(REPORT, KEY) },
      { id: 3, html_url: 'h3', user: null, body: null }
    ]
    for (const size of [1, 5, 64, 100_000])
      expect(await all(answer(comments), size)).toEqual([
        {
          id: 1,
          html_url: 'h1',
          user: mallory,
          reactions: { total_count: 0 },
          check: { marked: true, same: false }
        },
        {
          id: 2,
          html_url: 'h2',
          user: botUser,
          check: { marked: true, same: true }
        },
        {
          id: 3,
          html_url: 'h3',
          user: null,
          check: { marked: false, same: false }
        }
      ])
  })

  it('finds a marker that the answer writes with escapes (\\u003c for <, as some JSON encoders do)', async () => {
    const escaped = Buffer.from(
      `[{"id":1,"html_url":"h","user":null,"body":"x ${marker(KEY).replace(/</g, '\\u003c').replace(/>/g, '\\u003e')}"}]`
    )
    const [c] = await all(escaped, 3)
    expect(c!.check.marked).toBe(true)
  })

  it('fails a page with more comments than asked for, and a body longer than GitHub allows', async () => {
    await expect(
      all(answer([{ id: 1 }, { id: 2 }, { id: 3 }]), 10, 2)
    ).rejects.toThrow('the answer holds more than 2 objects')
    const tooLong = answer([
      { id: 1, body: '\u0000'.repeat(MAX_COMMENT_CHARS * 2 + 1) }
    ])
    await expect(all(tooLong, 65536)).rejects.toThrow(
      'the "body" of object 1 of the answer is longer than'
    )
  })

  it('fails an answer that is not a list of comment objects', async () => {
    await expect(all(Buffer.from('{"message":"x"}'))).rejects.toThrow(
      'the answer is not a JSON array'
    )
  })
})

describe('writtenBy', () => {
  const comment = (user: IssueComment['user']): IssueComment => ({
    id: 1,
    body: 'x',
    html_url: 'u',
    user
  })

  it.each(Object.entries(TOKEN_KINDS))(
    'matches the comments of the account %s acts as, by its id',
    (_kind, { rest, viewer }) => {
      expect(writtenBy(comment(rest), viewer)).toBe(true)
    }
  )

  it.each(Object.entries(TOKEN_KINDS))(
    'never matches a look-alike for %s',
    (_kind, { viewer }) => {
      for (const user of Object.values(LOOK_ALIKES))
        expect([user.login, writtenBy(comment(user), viewer)]).toEqual([
          user.login,
          false
        ])
    }
  )

  it("never matches another token kind's account", () => {
    for (const [a, { viewer }] of Object.entries(TOKEN_KINDS)) {
      for (const [b, { rest }] of Object.entries(TOKEN_KINDS))
        if (a !== b) expect(writtenBy(comment(rest), viewer)).toBe(false)
    }
  })

  it('ignores login and type: only the id decides', () => {
    // Same login and type, another id (an account deleted and its name taken again): not ours.
    expect(
      writtenBy(
        comment({ login: 'github-actions[bot]', id: 1, type: 'Bot' }),
        ACTIONS.viewer
      )
    ).toBe(false)
    // Our id under another spelling of the login: ours.
    expect(
      writtenBy(
        comment({ login: 'GitHub-Actions', id: 41898282, type: 'User' }),
        ACTIONS.viewer
      )
    ).toBe(true)
  })

  it('never matches a comment whose author is gone (null user) or has no numeric id', () => {
    expect(writtenBy(comment(null), ACTIONS.viewer)).toBe(false)
    expect(
      writtenBy(
        comment({
          login: 'github-actions[bot]',
          id: '41898282' as unknown as number
        }),
        ACTIONS.viewer
      )
    ).toBe(false)
    expect(
      writtenBy(comment({ login: 'x', id: Number.NaN }), {
        id: Number.NaN,
        login: 'x'
      })
    ).toBe(false)
  })

  it('never matches an id past 2^53, which JSON cannot carry exactly (two accounts could read as one number)', () => {
    for (const id of [2 ** 53, 2 ** 60, Number.POSITIVE_INFINITY])
      expect(writtenBy(comment({ login: 'x', id }), { id, login: 'x' })).toBe(
        false
      )
    // The largest id JSON carries exactly still matches.
    const largest = Number.MAX_SAFE_INTEGER
    expect(
      writtenBy(comment({ login: 'x', id: largest }), {
        id: largest,
        login: 'x'
      })
    ).toBe(true)
  })
})

type Call =
  | { op: 'list'; page: number; perPage: number }
  | { op: 'viewer' }
  | { op: 'create'; body: string }
  | { op: 'update'; id: number; body: string }
  | { op: 'remove'; id: number }

/** An in-memory PR conversation that records every call; `token` is the kind of token the fake client holds. */
class FakeApi implements CommentApi {
  readonly calls: Call[] = []
  comments: IssueComment[]
  private nextId = 9000

  constructor(
    comments: Array<Omit<IssueComment, 'html_url'>>,
    private readonly viewerAnswer: Account | Error = ACTIONS.viewer,
    private readonly author: RestUser = ACTIONS.rest
  ) {
    this.comments = comments.map((c) => ({
      ...c,
      html_url: `https://github.test/o/r/pull/7#issuecomment-${c.id}`
    }))
  }

  static as(
    token: TokenKind,
    comments: Array<Omit<IssueComment, 'html_url'>> = []
  ): FakeApi {
    return new FakeApi(comments, token.viewer, token.rest)
  }

  ops(op: Call['op']): Call[] {
    return this.calls.filter((c) => c.op === op)
  }

  async listPage(
    page: number,
    perPage: number,
    readBody: () => TextReader<BodyCheck>
  ): Promise<ListedComment[]> {
    this.calls.push({ op: 'list', page, perPage })
    return this.comments
      .slice((page - 1) * perPage, page * perPage)
      .map(({ body, ...c }) => ({ ...c, check: checkBody(readBody, body) }))
  }

  async viewer(): Promise<Account> {
    this.calls.push({ op: 'viewer' })
    if (this.viewerAnswer instanceof Error) throw this.viewerAnswer
    return this.viewerAnswer
  }

  async create(body: string): Promise<IssueComment> {
    this.calls.push({ op: 'create', body })
    const id = this.nextId++
    const c = {
      id,
      body,
      html_url: `https://github.test/o/r/pull/7#issuecomment-${id}`,
      user: this.author
    }
    this.comments.push(c)
    return { ...c }
  }

  async update(id: number, body: string): Promise<IssueComment> {
    this.calls.push({ op: 'update', id, body })
    const c = this.comments.find((x) => x.id === id)
    if (!c) throw Object.assign(new Error('Not Found'), { status: 404 })
    c.body = body
    return { ...c }
  }

  async remove(id: number): Promise<void> {
    this.calls.push({ op: 'remove', id })
    this.comments = this.comments.filter((x) => x.id !== id)
  }
}

const others = (
  n: number,
  firstId: number
): Array<Omit<IssueComment, 'html_url'>> =>
  Array.from({ length: n }, (_, i) => ({
    id: firstId + i,
    body: `comment ${i}`,
    user: i % 2 ? mallory : botUser
  }))

/** syncComment with this file's defaults: update, KEY, the passing REPORT, comment-on always. */
const sync = (api: CommentApi, options: Partial<SyncOptions> = {}) =>
  syncComment(api, {
    mode: 'update',
    key: KEY,
    markdown: REPORT,
    result: 'pass',
    on: 'always',
    ...options
  })

describe('syncComment', () => {
  it('creates the comment when there is none: one listing page and one create, no identity lookup', async () => {
    const api = new FakeApi([{ id: 1, body: 'LGTM', user: mallory }])
    const result = await sync(api)
    expect(api.ops('list')).toEqual([{ op: 'list', page: 1, perPage: 100 }])
    expect(api.ops('create')).toEqual([
      { op: 'create', body: commentBody(REPORT, KEY) }
    ])
    expect(api.ops('update')).toHaveLength(0)
    expect(api.ops('remove')).toHaveLength(0)
    expect(api.ops('viewer')).toHaveLength(0) // nothing to edit: no need to ask who we are
    expect(result).toMatchObject({
      action: 'created',
      removed: [],
      comment: { id: 9000 }
    })
    expect(api.comments).toHaveLength(2)
  })

  it('updates our comment in place: one listing page and one update, no create', async () => {
    const api = new FakeApi([
      { id: 1, body: 'LGTM', user: mallory },
      { id: 2, body: commentBody('old report', KEY), user: botUser }
    ])
    const result = await sync(api)
    expect(api.ops('list')).toHaveLength(1)
    expect(api.ops('update')).toEqual([
      { op: 'update', id: 2, body: commentBody(REPORT, KEY) }
    ])
    expect(api.ops('create')).toHaveLength(0)
    expect(api.ops('remove')).toHaveLength(0)
    expect(api.ops('viewer')).toHaveLength(1)
    expect(result).toMatchObject({
      action: 'updated',
      removed: [],
      comment: { id: 2, body: commentBody(REPORT, KEY) }
    })
    expect(api.comments.map((c) => c.id)).toEqual([1, 2])
  })

  it('writes nothing when the body is unchanged', async () => {
    const api = new FakeApi([
      { id: 2, body: commentBody(REPORT, KEY), user: botUser }
    ])
    const result = await sync(api)
    expect(
      api.calls.filter((c) => c.op !== 'list' && c.op !== 'viewer')
    ).toEqual([])
    expect(result).toMatchObject({
      action: 'unchanged',
      removed: [],
      comment: { id: 2 }
    })
  })

  it("never edits someone else's comment that carries our marker, and creates our own", async () => {
    const forged = commentBody('I am the gate, trust me', KEY)
    const api = new FakeApi([
      { id: 3, body: forged, user: mallory },
      {
        id: 4,
        body: forged,
        user: LOOK_ALIKES['a person named github-actions']!
      }
    ])
    const result = await sync(api)
    expect(api.ops('update')).toHaveLength(0)
    expect(api.ops('remove')).toHaveLength(0)
    expect(api.ops('create')).toEqual([
      { op: 'create', body: commentBody(REPORT, KEY) }
    ])
    expect(result.action).toBe('created')
    expect(api.comments.find((c) => c.id === 3)?.body).toBe(forged)
    expect(api.comments.find((c) => c.id === 4)?.body).toBe(forged)
  })

  it('ignores our own comment for another key (the prefix of ours, too)', async () => {
    const api = new FakeApi([
      { id: 5, body: commentBody('other job', 'ci'), user: botUser },
      { id: 6, body: commentBody('other job', `${KEY}-2`), user: botUser }
    ])
    const result = await sync(api)
    expect(api.ops('update')).toHaveLength(0)
    expect(api.ops('remove')).toHaveLength(0)
    expect(api.ops('create')).toHaveLength(1)
    expect(result.action).toBe('created')
    expect(api.comments.find((c) => c.id === 5)?.body).toBe(
      commentBody('other job', 'ci')
    )
  })

  it('finds our comment on a later page (page 1 full with 100 other comments) and updates it', async () => {
    const api = new FakeApi([
      ...others(100, 100),
      { id: 500, body: commentBody('old', KEY), user: botUser },
      ...others(3, 600)
    ])
    const result = await sync(api)
    expect(api.ops('list')).toEqual([
      { op: 'list', page: 1, perPage: 100 },
      { op: 'list', page: 2, perPage: 100 }
    ])
    expect(api.ops('update')).toEqual([
      { op: 'update', id: 500, body: commentBody(REPORT, KEY) }
    ])
    expect(api.ops('create')).toHaveLength(0)
    expect(result.action).toBe('updated')
  })

  it('asks for the next page after a full page even when it turns out empty', async () => {
    const api = new FakeApi(others(100, 100))
    const result = await sync(api)
    expect(api.ops('list').map((c) => (c as { page: number }).page)).toEqual([
      1, 2
    ])
    expect(result.action).toBe('created')
  })

  it('stops listing after 50 pages of 100 and then creates', async () => {
    const api = new FakeApi([])
    api.listPage = async (page, perPage, readBody) => {
      api.calls.push({ op: 'list', page, perPage })
      return others(perPage, page * 1000).map(({ body, ...c }) => ({
        ...c,
        html_url: 'u',
        check: checkBody(readBody, body)
      }))
    }
    const result = await sync(api)
    expect(api.ops('list')).toHaveLength(50)
    expect(api.ops('list').at(-1)).toEqual({
      op: 'list',
      page: 50,
      perPage: 100
    })
    expect(result.action).toBe('created')
  })

  it('after a race keeps the oldest of ours, updates it and deletes the other one', async () => {
    const api = new FakeApi([
      { id: 10, body: commentBody('run 1', KEY), user: botUser },
      { id: 11, body: commentBody('forged', KEY), user: mallory },
      { id: 12, body: commentBody('run 2', KEY), user: botUser }
    ])
    const result = await sync(api)
    expect(api.ops('update')).toEqual([
      { op: 'update', id: 10, body: commentBody(REPORT, KEY) }
    ])
    expect(api.ops('remove')).toEqual([{ op: 'remove', id: 12 }])
    expect(api.ops('create')).toHaveLength(0)
    expect(result).toMatchObject({
      action: 'updated',
      removed: [12],
      comment: { id: 10 }
    })
    expect(api.comments.map((c) => c.id)).toEqual([10, 11])
  })

  it('removes the duplicates even when the oldest is already up to date', async () => {
    const api = new FakeApi([
      { id: 10, body: commentBody(REPORT, KEY), user: botUser },
      { id: 12, body: commentBody(REPORT, KEY), user: botUser }
    ])
    const result = await sync(api)
    expect(api.ops('update')).toHaveLength(0)
    expect(api.ops('remove')).toEqual([{ op: 'remove', id: 12 }])
    expect(result).toMatchObject({
      action: 'unchanged',
      removed: [12],
      comment: { id: 10 }
    })
  })

  it('mode new always creates, without listing', async () => {
    const api = new FakeApi([
      { id: 2, body: commentBody(REPORT, KEY), user: botUser }
    ])
    const result = await sync(api, { mode: 'new' })
    expect(api.calls).toEqual([
      { op: 'create', body: commentBody(REPORT, KEY) }
    ])
    expect(result.action).toBe('created')
  })

  it('still creates when there is nothing to match and the viewer query fails', async () => {
    const api = new FakeApi(
      [],
      Object.assign(new Error('viewer unavailable'), { status: 502 })
    )
    const result = await sync(api)
    expect(result.action).toBe('created')
    expect(api.ops('create')).toHaveLength(1)
  })

  it('fails, writing nothing, when a marked comment exists and the viewer query fails', async () => {
    const api = new FakeApi(
      [{ id: 2, body: commentBody('old', KEY), user: botUser }],
      new Error('viewer unavailable')
    )
    await expect(sync(api)).rejects.toThrow('viewer unavailable')
    expect(
      api.calls.filter(
        (c) => c.op === 'create' || c.op === 'update' || c.op === 'remove'
      )
    ).toEqual([])
  })

  it.each(Object.entries(TOKEN_KINDS))(
    'with %s: creates the comment once, then edits it in place',
    async (_kind, token) => {
      const api = FakeApi.as(token, [{ id: 1, body: 'LGTM', user: mallory }])
      const first = await sync(api, { markdown: RED_REPORT, result: 'fail' })
      expect(first).toMatchObject({
        action: 'created',
        comment: { id: 9000, user: token.rest }
      })
      const second = await sync(api)
      expect(second).toMatchObject({
        action: 'updated',
        comment: { id: 9000, body: commentBody(REPORT, KEY) }
      })
      const third = await sync(api)
      expect(third).toMatchObject({
        action: 'unchanged',
        comment: { id: 9000 }
      })
      expect(api.ops('create')).toHaveLength(1)
      expect(api.comments.map((c) => c.id)).toEqual([1, 9000])
    }
  )

  it.each(Object.entries(TOKEN_KINDS))(
    'with %s: leaves every look-alike carrying our marker alone',
    async (_kind, token) => {
      const forged = commentBody('looks like the gate', KEY)
      const lookAlikes = Object.values(LOOK_ALIKES).map((user, i) => ({
        id: 20 + i,
        body: forged,
        user
      }))
      // The other token kinds' accounts are look-alikes too, from this token's point of view.
      const otherKinds = Object.values(TOKEN_KINDS)
        .filter((k) => k !== token)
        .map((k, i) => ({ id: 40 + i, body: forged, user: k.rest }))
      const api = FakeApi.as(token, [...lookAlikes, ...otherKinds])
      const result = await sync(api)
      expect(api.ops('update')).toEqual([])
      expect(api.ops('remove')).toEqual([])
      expect(result).toMatchObject({ action: 'created', comment: { id: 9000 } })
      for (const c of [...lookAlikes, ...otherKinds])
        expect(api.comments.find((x) => x.id === c.id)?.body).toBe(forged)
    }
  )

  it(`deletes at most ${MAX_DELETIONS} duplicates per run and leaves the rest for the next run`, async () => {
    const ours = Array.from({ length: 9 }, (_, i) => ({
      id: 100 + i,
      body: commentBody(`run ${i}`, KEY),
      user: botUser
    }))
    const api = new FakeApi(ours)
    const first = await sync(api)
    expect(MAX_DELETIONS).toBe(5)
    expect(api.ops('remove')).toEqual(
      [101, 102, 103, 104, 105].map((id) => ({ op: 'remove', id }))
    )
    expect(first).toMatchObject({
      action: 'updated',
      comment: { id: 100 },
      removed: [101, 102, 103, 104, 105],
      duplicatesLeft: 3
    })
    const second = await sync(api)
    expect(second).toMatchObject({
      action: 'unchanged',
      comment: { id: 100 },
      removed: [106, 107, 108],
      duplicatesLeft: 0
    })
    expect(api.comments.map((c) => c.id)).toEqual([100])
  })

  describe('with comment-on: breach', () => {
    const breach = (
      api: CommentApi,
      result: 'pass' | 'fail' | 'error',
      markdown = result === 'pass' ? REPORT : RED_REPORT
    ) => sync(api, { on: 'breach', result, markdown })
    const passesNow = commentBody(`${PASSES_NOW_NOTE}\n\n${REPORT}`, KEY)

    it('writes nothing on a pass when there is no comment: one listing page, no identity query, no write', async () => {
      const api = new FakeApi([{ id: 1, body: 'LGTM', user: mallory }])
      await expect(breach(api, 'pass')).resolves.toEqual({ action: 'skipped' })
      expect(api.calls).toEqual([{ op: 'list', page: 1, perPage: 100 }])
    })

    it.each(['fail', 'error'] as const)(
      'writes the comment on %s',
      async (result) => {
        const api = new FakeApi([])
        await expect(breach(api, result)).resolves.toMatchObject({
          action: 'created'
        })
        expect(api.ops('create')).toEqual([
          { op: 'create', body: commentBody(RED_REPORT, KEY) }
        ])
      }
    )

    it('updates a red comment to say the gate passes now, once; a later pass changes nothing', async () => {
      const api = new FakeApi([])
      await breach(api, 'fail')
      const corrected = await breach(api, 'pass')
      expect(corrected).toMatchObject({
        action: 'updated',
        comment: { id: 9000, body: passesNow }
      })
      expect(passesNow).toMatch(/^\*\*The gate passes now\.\*\*/)
      expect(passesNow).toContain(REPORT)
      expect(await breach(api, 'pass')).toMatchObject({
        action: 'unchanged',
        comment: { id: 9000 }
      })
      // A new breach turns the same comment red again.
      expect(await breach(api, 'fail')).toMatchObject({
        action: 'updated',
        comment: { id: 9000, body: commentBody(RED_REPORT, KEY) }
      })
      expect(api.ops('create')).toHaveLength(1)
    })

    it("never turns a look-alike's marked comment into a pass report, and creates nothing", async () => {
      const forged = commentBody(RED_REPORT, KEY)
      const api = new FakeApi(
        Object.values(LOOK_ALIKES).map((user, i) => ({
          id: 20 + i,
          body: forged,
          user
        }))
      )
      await expect(breach(api, 'pass')).resolves.toEqual({ action: 'skipped' })
      expect(
        api.calls.filter((c) => c.op !== 'list' && c.op !== 'viewer')
      ).toEqual([])
    })

    it('mode new with breach creates nothing on a pass and a comment on a breach', async () => {
      const api = new FakeApi([])
      await expect(
        sync(api, { mode: 'new', on: 'breach', result: 'pass' })
      ).resolves.toEqual({ action: 'skipped' })
      expect(api.calls).toEqual([])
      await expect(
        sync(api, { mode: 'new', on: 'breach', result: 'fail' })
      ).resolves.toMatchObject({ action: 'created' })
    })
  })
})

describe('postComment', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'comment-test-'))
  })
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  let eventCount = 0
  const eventFile = (payload: unknown): string => {
    const path = join(dir, `event-${eventCount++}.json`)
    writeFileSync(path, JSON.stringify(payload))
    return path
  }
  const prPayload = (head = 'octo/repo', base = 'octo/repo'): unknown => ({
    action: 'synchronize',
    number: 42,
    pull_request: {
      number: 42,
      head: { repo: { full_name: head } },
      base: { repo: { full_name: base } }
    }
  })

  type MakeApi = NonNullable<CommentRequest['makeApi']>
  const request = (
    env: NodeJS.ProcessEnv,
    makeApi: MakeApi,
    extra: Partial<CommentRequest> = {}
  ) => {
    const warn = jest.fn<(message: string) => void>()
    const info = jest.fn<(message: string) => void>()
    const makeApiMock = jest.fn<MakeApi>(makeApi)
    const req: CommentRequest = {
      ...{
        mode: 'update',
        key: KEY,
        on: 'always',
        githubToken: 'ghs_test',
        markdown: REPORT,
        result: 'pass'
      },
      ...{ env, warn, info, makeApi: makeApiMock, ...extra }
    }
    return { req, warn, info, makeApi: makeApiMock }
  }
  const prEnv = (payload: unknown = prPayload()): NodeJS.ProcessEnv => ({
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: eventFile(payload),
    GITHUB_REPOSITORY: 'octo/repo'
  })
  const failing =
    (error: unknown): MakeApi =>
    () => {
      const api = new FakeApi([])
      api.listPage = async () => {
        throw error
      }
      return api
    }
  const httpError = (status: number, message: string): Error =>
    Object.assign(new Error(message), { status })

  it('writes nothing on a push event and says why in one info line', async () => {
    const { req, warn, info, makeApi } = request(
      { GITHUB_EVENT_NAME: 'push', GITHUB_REPOSITORY: 'octo/repo' },
      () => new FakeApi([])
    )
    await expect(postComment(req)).resolves.toBeUndefined()
    expect(makeApi).not.toHaveBeenCalled()
    expect(warn).not.toHaveBeenCalled()
    expect(info).toHaveBeenCalledTimes(1)
    expect(info.mock.calls[0]![0]).toMatch(/"push"/)
    expect(info.mock.calls[0]![0]).toMatch(/pull_request/)
  })

  it('does nothing at all when the mode is off', async () => {
    const { req, warn, info, makeApi } = request(
      prEnv(),
      () => new FakeApi([]),
      { mode: 'off' }
    )
    await expect(postComment(req)).resolves.toBeUndefined()
    expect(makeApi).not.toHaveBeenCalled()
    expect(warn).not.toHaveBeenCalled()
    expect(info).not.toHaveBeenCalled()
  })

  it('reads the PR number from the event file and the repository from GITHUB_REPOSITORY', async () => {
    const api = new FakeApi([])
    const { number: _, ...payload } = prPayload() as { number: number }
    const { req, warn, info, makeApi } = request(prEnv(payload), () => api, {
      timeoutMs: 1234
    })
    const posted = await postComment(req)
    expect(makeApi).toHaveBeenCalledTimes(1)
    expect(makeApi).toHaveBeenCalledWith({
      token: 'ghs_test',
      owner: 'octo',
      repo: 'repo',
      issueNumber: 42,
      requestTimeoutMs: 1234,
      deadline: expect.any(AbortSignal)
    })
    expect(posted).toEqual({
      id: 9000,
      url: 'https://github.test/o/r/pull/7#issuecomment-9000'
    })
    expect(api.ops('create')).toEqual([
      { op: 'create', body: commentBody(REPORT, KEY) }
    ])
    expect(warn).not.toHaveBeenCalled()
    expect(info).toHaveBeenCalledTimes(1)
    expect(info.mock.calls[0]![0]).toMatch(/created.*issuecomment-9000/)
  })

  it('comments on pull_request_target too, reporting an update and the duplicates removed', async () => {
    const api = new FakeApi([
      { id: 10, body: commentBody('old', KEY), user: botUser },
      { id: 12, body: commentBody('old', KEY), user: botUser }
    ])
    const env = {
      ...prEnv({ number: 8 }),
      GITHUB_EVENT_NAME: 'pull_request_target'
    }
    const { req, warn, info, makeApi } = request(env, () => api)
    await expect(postComment(req)).resolves.toEqual({
      id: 10,
      url: 'https://github.test/o/r/pull/7#issuecomment-10'
    })
    expect(makeApi.mock.calls[0]![0].issueNumber).toBe(8)
    expect(warn).not.toHaveBeenCalled()
    expect(info.mock.calls[0]![0]).toMatch(/updated and removed 1 duplicate:/)
  })

  it.each([
    [2, 'PR comment updated and removed 2 duplicates: '],
    [
      MAX_DELETIONS + 3,
      `PR comment updated and removed ${MAX_DELETIONS} duplicates (3 more left for the next run): `
    ]
  ])(
    'says how many duplicates it removed and how many it left, with %s duplicates of ours after a race',
    async (extra, said) => {
      const ours = Array.from({ length: 1 + extra }, (_, i) => ({
        id: 100 + i,
        body: commentBody(`run ${i}`, KEY),
        user: botUser
      }))
      const { req, warn, info } = request(prEnv(), () => new FakeApi(ours))
      await expect(postComment(req)).resolves.toMatchObject({ id: 100 })
      expect(warn).not.toHaveBeenCalled()
      expect(info.mock.calls).toEqual([
        [`${said}https://github.test/o/r/pull/7#issuecomment-100`]
      ])
    }
  )

  it('warns once when the event file or the repository is missing', async () => {
    for (const env of [
      { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REPOSITORY: 'octo/repo' },
      {
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: join(dir, 'missing.json'),
        GITHUB_REPOSITORY: 'octo/repo'
      },
      { ...prEnv(), GITHUB_REPOSITORY: undefined }
    ]) {
      const { req, warn, info, makeApi } = request(env, () => new FakeApi([]))
      await expect(postComment(req)).resolves.toBeUndefined()
      expect(makeApi).not.toHaveBeenCalled()
      expect(warn).toHaveBeenCalledTimes(1)
      expect(warn.mock.calls[0]![0]).toMatch(
        /pull request number or the repository/
      )
      expect(info).not.toHaveBeenCalled()
    }
  })

  const rawEventFile = (text: string): string => {
    const path = join(dir, `event-${eventCount++}.json`)
    writeFileSync(path, text)
    return path
  }

  it.each([
    ['not JSON', '{"number": 42, ', /is not JSON/],
    ['null', 'null', /is not a JSON object/],
    ['an array', '[42]', /is not a JSON object/],
    ['a string', '"42"', /is not a JSON object/],
    ['empty', '', /is not JSON/]
  ])(
    'warns once, writing nothing, when the event file is %s',
    async (_name, text, why) => {
      const env = {
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: rawEventFile(text),
        GITHUB_REPOSITORY: 'octo/repo'
      }
      const { req, warn, info, makeApi } = request(env, () => new FakeApi([]))
      await expect(postComment(req)).resolves.toBeUndefined()
      expect(makeApi).not.toHaveBeenCalled()
      expect(warn).toHaveBeenCalledTimes(1)
      expect(warn.mock.calls[0]![0]).toMatch(why)
      expect(info).not.toHaveBeenCalled()
    }
  )

  it.each([
    ['a string number', { number: '42', pull_request: { number: '42' } }],
    ['zero', { number: 0 }],
    ['a fraction', { number: 4.2 }],
    ['a null pull_request', { pull_request: null }]
  ])(
    'warns once when the event names no usable pull request (%s)',
    async (_name, payload) => {
      const { req, warn, makeApi } = request(
        prEnv(payload),
        () => new FakeApi([])
      )
      await expect(postComment(req)).resolves.toBeUndefined()
      expect(makeApi).not.toHaveBeenCalled()
      expect(warn).toHaveBeenCalledTimes(1)
    }
  )

  it.each([
    ['workflow_run', 'workflow_run'],
    ['push', 'push'],
    ['pull_request (another PR than the event names)', 'pull_request']
  ])(
    'writes on the pull request pr-number names on a %s event',
    async (_name, event) => {
      const api = new FakeApi([])
      const env = {
        GITHUB_EVENT_NAME: event,
        GITHUB_EVENT_PATH: eventFile({ number: 7, workflow_run: { id: 1 } }),
        GITHUB_REPOSITORY: 'octo/repo'
      }
      const { req, warn, makeApi } = request(env, () => api, { prNumber: 42 })
      await expect(postComment(req)).resolves.toEqual({
        id: 9000,
        url: expect.stringContaining('9000')
      })
      expect(makeApi.mock.calls[0]![0]).toMatchObject({
        owner: 'octo',
        repo: 'repo',
        issueNumber: 42
      })
      expect(warn).not.toHaveBeenCalled()
    }
  )

  it.each([
    ['no event file', undefined],
    ['an event file that is not JSON', 'not json {'],
    ['an event file that is null', 'null']
  ])(
    'writes on the pull request pr-number names with %s',
    async (_name, text) => {
      const api = new FakeApi([])
      const eventPath =
        text === undefined ? {} : { GITHUB_EVENT_PATH: rawEventFile(text) }
      const env = {
        GITHUB_EVENT_NAME: 'workflow_run',
        GITHUB_REPOSITORY: 'octo/repo',
        ...eventPath
      }
      const { req, warn } = request(env, () => api, { prNumber: 42 })
      await expect(postComment(req)).resolves.toMatchObject({ id: 9000 })
      expect(warn).not.toHaveBeenCalled()
    }
  )

  it('says in one info line, on a pass with comment-on breach and no earlier comment, that nothing was written', async () => {
    const api = new FakeApi([])
    const { req, warn, info } = request(prEnv(), () => api, {
      on: 'breach',
      result: 'pass'
    })
    await expect(postComment(req)).resolves.toBeUndefined()
    expect(api.ops('create')).toEqual([])
    expect(warn).not.toHaveBeenCalled()
    expect(info.mock.calls).toEqual([
      [
        expect.stringMatching(
          /^No PR comment: the gate passed, comment-on is breach/
        )
      ]
    ])
  })

  it('prints a hostile html_url on one line, escaped, never as a workflow command', async () => {
    const api = new FakeApi([])
    const create = api.create.bind(api)
    api.create = async (body) => ({
      ...(await create(body)),
      html_url:
        'https://github.test/x\n::stop-commands::zzz\r\n::error::forged\u202e'
    })
    const { req, info } = request(prEnv(), () => api)
    await postComment(req)
    const line = info.mock.calls[0]![0]
    expect(line).toBe(
      'PR comment created: https://github.test/x\\n::stop-commands::zzz\\r\\n::error::forged\\u202e'
    )
    expect(line).not.toMatch(/[\n\r\u202e]/)
  })

  it('gives the client one deadline of 3 request-timeouts for all its requests, and says so when it passes', async () => {
    const slowPages = (options: ApiOptions): CommentApi => {
      const api = new FakeApi([])
      // Each page of 100 comments takes 30 ms (well under the 50 ms request-timeout); the listing
      // would go on for 50 pages (1.5 s) unless the deadline (150 ms) stops it.
      api.listPage = (page, perPage, readBody) =>
        new Promise((resolve, reject) => {
          api.calls.push({ op: 'list', page, perPage })
          if (options.deadline.aborted) return reject(options.deadline.reason)
          const timer = setTimeout(
            () =>
              resolve(
                others(perPage, page * 1000).map(({ body, ...c }) => ({
                  ...c,
                  html_url: 'u',
                  check: checkBody(readBody, body)
                }))
              ),
            30
          )
          options.deadline.addEventListener('abort', () => {
            clearTimeout(timer)
            reject(options.deadline.reason)
          })
        })
      return api
    }
    let api: FakeApi | undefined
    const { req, warn, info } = request(
      prEnv(),
      (options) => (api = slowPages(options) as FakeApi),
      { timeoutMs: 50 }
    )
    await expect(postComment(req)).resolves.toBeUndefined()
    // Stopped by the deadline, not by the end of the listing (50 pages); how many pages fit in the
    // deadline depends on the machine's load, so only that it stopped early is asserted here (the
    // deadline's exact moment is tested with fake timers).
    expect(api!.ops('list').length).toBeGreaterThanOrEqual(1)
    expect(api!.ops('list').length).toBeLessThan(50)
    expect(api!.ops('create')).toEqual([])
    expect(warn.mock.calls).toEqual([
      [
        expect.stringMatching(
          /took longer than their 0\.15 s in all \(3 × request-timeout\)/
        )
      ]
    ])
    expect(info).not.toHaveBeenCalled()
  })

  describe('with fake timers', () => {
    afterEach(() => {
      jest.useRealTimers()
    })

    it('aborts the deadline 3 request-timeouts after the client is built, with a TimeoutError the client rejects with', async () => {
      jest.useFakeTimers()
      let deadline: AbortSignal | undefined
      let listing: () => void = () => undefined
      const listed = new Promise<void>((resolve) => {
        listing = resolve
      })
      const { req, warn, info } = request(
        prEnv(),
        (options) => {
          deadline = options.deadline
          const api = new FakeApi([])
          // A listing that never answers: only the deadline ends it, as fetch ends on an aborted signal.
          api.listPage = () =>
            new Promise((_resolve, reject) => {
              listing()
              options.deadline.addEventListener('abort', () =>
                reject(options.deadline.reason)
              )
            })
          return api
        },
        { timeoutMs: 1000 }
      )
      const posted = postComment(req)
      await listed
      jest.advanceTimersByTime(2999)
      expect(deadline!.aborted).toBe(false)
      jest.advanceTimersByTime(1)
      expect(deadline!.aborted).toBe(true)
      const reason = deadline!.reason as DOMException
      expect([reason.name, reason.message]).toEqual([
        'TimeoutError',
        'The comment requests ran out of time'
      ])
      await expect(posted).resolves.toBeUndefined()
      expect(warn.mock.calls).toEqual([
        [
          "Could not write the PR comment (the comment's requests took longer than their 3 s in all (3 × request-timeout)). The gate's result stands."
        ]
      ])
      expect(info).not.toHaveBeenCalled()
    })

    it.each<[string, MakeApi]>([
      ['written', () => new FakeApi([])],
      ['failed', failing(httpError(502, 'Bad Gateway'))]
    ])(
      'leaves no deadline timer behind once the comment is %s (it would hold the process open)',
      async (_name, makeApi) => {
        jest.useFakeTimers()
        let deadline: AbortSignal | undefined
        const { req } = request(
          prEnv(),
          (options) => {
            deadline = options.deadline
            return makeApi(options)
          },
          { timeoutMs: 1000 }
        )
        await postComment(req)
        expect(jest.getTimerCount()).toBe(0)
        jest.advanceTimersByTime(3000)
        expect(deadline!.aborted).toBe(false)
      }
    )
  })

  it('starts the deadline after the client is built: a slow load of Octokit does not use it up', async () => {
    const { req, warn } = request(
      prEnv(),
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 250))
        return new FakeApi([])
      },
      { timeoutMs: 50 }
    )
    await expect(postComment(req)).resolves.toMatchObject({ id: 9000 })
    expect(warn).not.toHaveBeenCalled()
  })

  const failureCases: Array<[string, unknown, unknown, RegExp[], RegExp[]]> = [
    [
      '403 on a fork PR',
      httpError(403, 'Resource not accessible by integration'),
      prPayload('someone/repo-fork', 'octo/repo'),
      [
        /HTTP 403/,
        /Resource not accessible by integration/,
        /fork/,
        /workflow_run/,
        /result stands/
      ],
      [/pull-requests: write/]
    ],
    [
      '403 on a same-repo PR',
      httpError(403, 'Resource not accessible by integration'),
      prPayload(),
      [/HTTP 403/, /pull-requests: write/, /result stands/],
      [/fork/, /workflow_run/]
    ],
    [
      '404',
      httpError(404, 'Not Found'),
      prPayload(),
      [/HTTP 404/, /not found/, /github-token/],
      [/fork/]
    ],
    [
      '500',
      httpError(500, 'Internal Server Error'),
      prPayload(),
      [/HTTP 500/, /Internal Server Error/, /result stands/],
      [/fork/, /pull-requests/]
    ],
    [
      'non-Error string',
      'socket hang up',
      prPayload(),
      [/\(socket hang up\)/, /result stands/],
      [/HTTP/]
    ],
    [
      'non-Error object',
      { code: 'ECONNRESET' },
      prPayload(),
      [/result stands/],
      [/HTTP/]
    ],
    ['null', null, prPayload(), [/\(null\)/, /result stands/], [/HTTP/]],
    [
      'undefined',
      undefined,
      prPayload(),
      [/\(undefined\)/, /result stands/],
      [/HTTP/]
    ],
    [
      'an object without a prototype',
      Object.create(null),
      prPayload(),
      [/unreadable error/, /result stands/],
      [/HTTP/]
    ],
    [
      'a rate-limit 403 on a fork PR',
      httpError(403, 'API rate limit exceeded for installation ID 1.'),
      prPayload('someone/repo-fork', 'octo/repo'),
      [/HTTP 403/, /rate limit/, /next run/],
      [/workflow_run/, /pull-requests: write/]
    ],
    [
      'a timeout, which Octokit reports as status 500',
      Object.assign(new Error('The operation was aborted due to timeout'), {
        status: 500,
        cause: { name: 'TimeoutError' }
      }),
      prPayload(),
      [/no answer in time \(request-timeout\)/, /result stands/],
      [/HTTP 500/]
    ],
    [
      '403 on a PR whose fork was deleted (head.repo is null)',
      httpError(403, 'Resource not accessible by integration'),
      {
        number: 42,
        pull_request: {
          number: 42,
          head: { repo: null },
          base: { repo: { full_name: 'octo/repo' } }
        }
      },
      [/fork/, /workflow_run/],
      [/pull-requests: write/]
    ]
  ]

  it.each(failureCases)(
    'turns a failure (%s) into exactly one warning and resolves undefined',
    async (_name, error, payload, has, hasNot) => {
      const { req, warn, info } = request(prEnv(payload), failing(error))
      await expect(postComment(req)).resolves.toBeUndefined()
      expect(warn).toHaveBeenCalledTimes(1)
      const message = warn.mock.calls[0]![0]
      expect(message).toMatch(/^Could not write the PR comment/)
      for (const re of has) expect(message).toMatch(re)
      for (const re of hasNot) expect(message).not.toMatch(re)
      expect(message).not.toContain('\n')
      expect(info).not.toHaveBeenCalled()
    }
  )

  it('keeps only the first line of a long error message', async () => {
    const { req, warn } = request(
      prEnv(),
      failing(httpError(422, `Validation Failed\n${'detail '.repeat(100)}`))
    )
    await postComment(req)
    expect(warn).toHaveBeenCalledTimes(1)
    expect(warn.mock.calls[0]![0]).toMatch(/\(HTTP 422: Validation Failed\)/)
    expect(warn.mock.calls[0]![0]).not.toContain('detail')
  })

  it('makes a hostile error message inert: one line, control and invisible characters shown as escapes', async () => {
    const { req, warn } = request(
      prEnv(),
      failing(httpError(500, '\n::stop-commands::zzz\r::error::forged\u202e'))
    )
    await postComment(req)
    const inert = '::stop-commands::zzz\\r::error::forged\\u202e'
    expect(warn.mock.calls).toEqual([
      [
        `Could not write the PR comment (HTTP 500: ${inert}). The gate's result stands.`
      ]
    ])
  })

  it('scrubs a secret GitHub reflects before the message is cut, so no part of it is left', async () => {
    const secret = 'ghs_SECRETSECRETSECRETSECRET'
    const { req, warn } = request(
      prEnv(),
      failing(httpError(401, `${'x'.repeat(290)} ${secret}`))
    )
    await postComment({
      ...req,
      scrub: (text) => text.split(secret).join('***')
    })
    const message = warn.mock.calls[0]![0] as string
    expect(message).not.toContain('ghs_')
    expect(message).toContain(' ***')
  })

  it('names pr-number when the pull request is not found', () => {
    expect(
      explainFailure(httpError(404, 'Not Found'), { forkPr: false })
    ).toMatch(/pr-number/)
  })

  it('turns a failure to build the client, or to write, into one warning', async () => {
    const throwing = request(prEnv(), () => {
      throw new Error('Parameter token or opts.auth is required')
    })
    await expect(postComment(throwing.req)).resolves.toBeUndefined()
    expect(throwing.warn).toHaveBeenCalledTimes(1)
    expect(throwing.warn.mock.calls[0]![0]).toMatch(
      /Parameter token or opts.auth is required/
    )

    const createFails = request(prEnv(), () => {
      const api = new FakeApi([])
      api.create = async () => {
        throw httpError(403, 'Resource not accessible by integration')
      }
      return api
    })
    await expect(postComment(createFails.req)).resolves.toBeUndefined()
    expect(createFails.warn).toHaveBeenCalledTimes(1)
    expect(createFails.warn.mock.calls[0]![0]).toMatch(/pull-requests: write/)
    expect(createFails.info).not.toHaveBeenCalled()
  })
})

describe('explainFailure', () => {
  /** Octokit's RequestError: GitHub's `message` (with its documentation_url) and the numeric HTTP status. */
  const httpError = (status: number, message: string): Error =>
    Object.assign(new Error(message), { status })
  const sameRepo = { forkPr: false }
  const stands = "The gate's result stands."
  const tokenFix =
    'The token may not write comments: grant "permissions: pull-requests: write" to the job, or pass a github-token that can.'

  it.each([
    // GitHub's answer to a revoked or mistyped token (REST docs, "Authenticating to the REST API").
    [
      '401 Bad credentials',
      httpError(401, 'Bad credentials - https://docs.github.com/rest'),
      'HTTP 401: Bad credentials - https://docs.github.com/rest'
    ],
    // A fine-grained personal access token without the write permission (recorded in actions/github-script#323).
    [
      '403 from a personal access token',
      httpError(403, 'Resource not accessible by personal access token'),
      'HTTP 403: Resource not accessible by personal access token'
    ],
    // The text of GitHub's 403 for an installation token, on an error that carries no HTTP status.
    [
      '"not accessible by integration" without a status',
      new Error('Resource not accessible by integration'),
      'Resource not accessible by integration'
    ]
  ])('gives the token advice for %s', (_name, error, shown) => {
    expect(explainFailure(error, sameRepo)).toBe(
      `Could not write the PR comment (${shown}). ${tokenFix} ${stands}`
    )
  })

  it('gives no token advice for another status', () => {
    expect(explainFailure(httpError(422, 'Validation Failed'), sameRepo)).toBe(
      `Could not write the PR comment (HTTP 422: Validation Failed). ${stands}`
    )
  })

  it.each([
    // @octokit/request rethrows fetch's AbortError as it is, with status 500 set on it.
    [
      'an AbortError',
      Object.assign(
        new DOMException('This operation was aborted', 'AbortError'),
        { status: 500 }
      )
    ],
    // Any other fetch failure (a TimeoutError from AbortSignal.timeout) is wrapped: status 500, the error as its cause.
    [
      'a wrapped TimeoutError',
      Object.assign(new Error('The operation was aborted due to timeout'), {
        status: 500,
        cause: new DOMException(
          'The operation was aborted due to timeout',
          'TimeoutError'
        )
      })
    ]
  ])(
    'says a request got no answer in time for %s, never HTTP 500',
    (_name, error) => {
      expect(explainFailure(error, sameRepo)).toBe(
        `Could not write the PR comment (no answer in time (request-timeout)). ${stands}`
      )
      expect(
        explainFailure(error, {
          forkPr: false,
          deadlineExceeded: true,
          deadlineMs: 90_000
        })
      ).toBe(
        `Could not write the PR comment (the comment's requests took longer than their 90 s in all (3 × request-timeout)). ${stands}`
      )
    }
  )

  it('shows no HTTP status that is not a number (GitHub error bodies carry "status": "403" as a string)', () => {
    expect(
      explainFailure(
        { status: '500', message: 'Internal Server Error' },
        sameRepo
      )
    ).toBe(`Could not write the PR comment (Internal Server Error). ${stands}`)
  })

  it('shows the first line that is not blank, trimmed', () => {
    expect(
      explainFailure(
        httpError(422, '\n   \n\t  Validation Failed  \n  details'),
        sameRepo
      )
    ).toBe(
      `Could not write the PR comment (HTTP 422: Validation Failed). ${stands}`
    )
  })

  /** @octokit/graphql's GraphqlResponseError: a heading line, then each of GitHub's `errors` as " - message". */
  const graphqlError = (errors: unknown): Error =>
    Object.assign(
      new Error(
        'Request failed due to following response errors:\n - Something went wrong'
      ),
      { errors }
    )

  it("shows the first of GitHub's GraphQL errors", () => {
    expect(
      explainFailure(
        graphqlError([
          { type: 'NOT_FOUND', message: 'Could not resolve to a User.' },
          { message: 'Something went wrong' }
        ]),
        sameRepo
      )
    ).toBe(
      `Could not write the PR comment (Could not resolve to a User.). ${stands}`
    )
  })

  it.each([
    ['an empty list', []],
    ['not a list', { message: 'x' }],
    ['a null entry', [null]],
    ['a message that is not text', [{ message: 42 }]],
    ['a blank message', [{ message: ' \n ' }]]
  ])(
    "falls back to the error's message when its GraphQL errors have %s",
    (_name, errors) => {
      expect(explainFailure(graphqlError(errors), sameRepo)).toBe(
        `Could not write the PR comment (Request failed due to following response errors:). ${stands}`
      )
    }
  )

  it.each(['', '\n  \n\t'])(
    'shows nothing of a message with no text (%j)',
    (message) => {
      expect(explainFailure(httpError(502, message), sameRepo)).toBe(
        `Could not write the PR comment (HTTP 502: ). ${stands}`
      )
    }
  )
})

describe('octokitCommentApi against nock', () => {
  const TOKEN = 'ghs_nocktoken'
  const api = (
    requestTimeoutMs = 5000,
    deadline = AbortSignal.timeout(60_000)
  ) =>
    octokitCommentApi({
      token: TOKEN,
      owner: 'o',
      repo: 'r',
      issueNumber: 7,
      requestTimeoutMs,
      deadline
    })
  /** GraphQL `{ data: { viewer } }` as GitHub answers `viewer { databaseId login }` for GITHUB_TOKEN (schema: viewer: User!). */
  const viewerAnswer = {
    data: { viewer: { databaseId: 41898282, login: 'github-actions[bot]' } }
  }
  // A REST issue comment (the issue-comment schema), with the fields this module reads.
  const restComment = (id: number, body: string, user: RestUser = botUser) => ({
    id,
    body,
    html_url: `https://github.test/o/r/pull/7#issuecomment-${id}`,
    user
  })
  const readBody = () => new BodyReader(marker(KEY), undefined)
  /** Every comment of a listing page, read to its end. */
  const listed = async (
    page: Promise<Iterable<ListedComment> | AsyncIterable<ListedComment>>
  ): Promise<ListedComment[]> => {
    const comments: ListedComment[] = []
    for await (const c of await page) comments.push(c)
    return comments
  }
  const unmatched: string[] = []
  const onNoMatch = (req: {
    method?: string
    path?: string
    href?: string
  }): void => {
    unmatched.push(`${req.method ?? ''} ${req.href ?? req.path ?? ''}`)
  }
  beforeAll(() => {
    nock.emitter.on('no match', onNoMatch)
  })
  afterAll(() => {
    nock.emitter.removeListener('no match', onNoMatch)
  })
  afterEach(() => {
    const pending = nock.pendingMocks()
    nock.cleanAll()
    expect(pending).toEqual([])
    expect(unmatched.splice(0)).toEqual([])
  })

  it('lists one page with the page and per_page query parameters and the token', async () => {
    const scope = nock(API, { reqheaders: { authorization: `token ${TOKEN}` } })
      .get('/repos/o/r/issues/7/comments')
      .query({ page: '3', per_page: '100' })
      .reply(200, [restComment(1, 'hello')])
    const page = await listed((await api()).listPage(3, 100, readBody))
    const { body: _body, ...fields } = restComment(1, 'hello')
    expect(page).toEqual([{ ...fields, check: { marked: false, same: false } }])
    expect(scope.isDone()).toBe(true)
  })

  it("asks GraphQL for the viewer's databaseId: the account id", async () => {
    let query = ''
    const scope = nock(API, { reqheaders: { authorization: `token ${TOKEN}` } })
      .post('/graphql', (body: { query?: string }) => {
        query = body.query ?? ''
        return true
      })
      .reply(200, viewerAnswer)
    await expect((await api()).viewer()).resolves.toEqual(ACTIONS.viewer)
    expect(query).toMatch(/viewer\s*\{[^}]*databaseId/)
    expect(scope.isDone()).toBe(true)
  })

  it.each(Object.entries(TOKEN_KINDS))(
    'reads the account of %s, whose __typename is always User',
    async (_kind, token) => {
      nock(API)
        .post('/graphql')
        .reply(200, {
          data: {
            viewer: {
              __typename: 'User',
              databaseId: token.viewer.id,
              login: token.viewer.login
            }
          }
        })
      await expect((await api()).viewer()).resolves.toEqual(token.viewer)
    }
  )

  it.each([
    [
      'a null databaseId (the schema allows it)',
      { data: { viewer: { databaseId: null, login: 'x' } } }
    ],
    ['no viewer', { data: {} }],
    ['a string id', { data: { viewer: { databaseId: '41898282' } } }],
    ['null data', { data: null }],
    // Account ids start at 1: a 0 or a negative id is no account's.
    ['a zero databaseId', { data: { viewer: { databaseId: 0, login: 'x' } } }],
    ['a negative databaseId', { data: { viewer: { databaseId: -1 } } }],
    ['an id past 2^53', { data: { viewer: { databaseId: 2 ** 53 } } }]
  ])(
    'rejects a viewer answer with %s: no account, nothing is ours',
    async (_name, answer) => {
      nock(API).post('/graphql').reply(200, answer)
      await expect((await api()).viewer()).rejects.toThrow(
        /did not say which account the token is/
      )
    }
  )

  it.each([
    ['no login', { databaseId: 41898282 }],
    ['a login that is not a string', { databaseId: 41898282, login: 7 }]
  ])(
    'takes a viewer with %s by its id alone: the login is only for messages',
    async (_name, viewer) => {
      nock(API).post('/graphql').reply(200, { data: { viewer } })
      await expect((await api()).viewer()).resolves.toEqual({
        id: 41898282,
        login: ''
      })
    }
  )

  it('sends no request once the deadline has passed, the GraphQL viewer query included', async () => {
    // Every endpoint would answer: only the deadline's signal on each request can stop it.
    const scope = nock(API)
      .get('/repos/o/r/issues/7/comments')
      .query(true)
      .reply(200, [])
      .post('/graphql')
      .reply(200, viewerAnswer)
      .post('/repos/o/r/issues/7/comments')
      .reply(201, restComment(55, 'new body'))
      .patch('/repos/o/r/issues/comments/55')
      .reply(200, restComment(55, 'edited'))
      .delete('/repos/o/r/issues/comments/56')
      .reply(204)
    const deadline = new AbortController()
    deadline.abort(
      new DOMException('The comment requests ran out of time', 'TimeoutError')
    )
    const client = await api(5000, deadline.signal)
    try {
      const calls: Array<[string, () => Promise<unknown>]> = [
        ['listPage', () => client.listPage(1, 100, readBody)],
        ['viewer', () => client.viewer()],
        ['create', () => client.create('new body')],
        ['update', () => client.update(55, 'edited')],
        ['remove', () => client.remove(56)]
      ]
      for (const [name, call] of calls) {
        const error = await call().then(
          () => undefined,
          (e: unknown) => e
        )
        // Octokit wraps fetch's rejection with the signal's reason: the TimeoutError is its cause.
        const e = error as { cause?: { name?: unknown } } | undefined
        expect([name, e?.cause?.name]).toEqual([name, 'TimeoutError'])
      }
      expect(scope.pendingMocks()).toHaveLength(5)
    } finally {
      nock.cleanAll()
    }
  })

  describe('GITHUB_EVENT_PATH while @actions/github loads', () => {
    const saved = process.env.GITHUB_EVENT_PATH
    afterEach(() => {
      if (saved === undefined) delete process.env.GITHUB_EVENT_PATH
      else process.env.GITHUB_EVENT_PATH = saved
    })

    it('is put back as it was', async () => {
      process.env.GITHUB_EVENT_PATH =
        '/home/runner/work/_temp/_github_workflow/event.json'
      await api()
      expect(process.env.GITHUB_EVENT_PATH).toBe(
        '/home/runner/work/_temp/_github_workflow/event.json'
      )
    })

    it('stays unset when it was not set', async () => {
      delete process.env.GITHUB_EVENT_PATH
      await api()
      expect(Object.keys(process.env)).not.toContain('GITHUB_EVENT_PATH')
    })
  })

  it('creates, updates and deletes with the issue-comment endpoints', async () => {
    const scope = nock(API, { reqheaders: { authorization: `token ${TOKEN}` } })
      .post('/repos/o/r/issues/7/comments', { body: 'new body' })
      .reply(201, restComment(55, 'new body'))
      .patch('/repos/o/r/issues/comments/55', { body: 'edited' })
      .reply(200, restComment(55, 'edited'))
      .delete('/repos/o/r/issues/comments/56')
      .reply(204)
    const client = await api()
    await expect(client.create('new body')).resolves.toMatchObject({
      id: 55,
      body: 'new body'
    })
    await expect(client.update(55, 'edited')).resolves.toMatchObject({
      id: 55,
      body: 'edited'
    })
    await expect(client.remove(56)).resolves.toBeUndefined()
    expect(scope.isDone()).toBe(true)
  })

  it('rejects with the HTTP status of an error answer, and its message as Octokit writes it', async () => {
    nock(API).get('/repos/o/r/issues/7/comments').query(true).reply(403, {
      message: 'Resource not accessible by integration',
      documentation_url: 'https://docs.github.com/rest'
    })
    await expect(
      (await api()).listPage(1, 100, readBody)
    ).rejects.toMatchObject({
      status: 403,
      message:
        'Resource not accessible by integration - https://docs.github.com/rest'
    })
  })

  it("takes an error page that is not JSON (a proxy's) as the message", async () => {
    nock(API)
      .get('/repos/o/r/issues/7/comments')
      .query(true)
      .reply(502, '<html>Bad gateway</html>')
    await expect(
      (await api()).listPage(1, 100, readBody)
    ).rejects.toMatchObject({
      status: 502,
      message: '<html>Bad gateway</html>'
    })
  })

  it('rejects with a GitHubAnswerError, named so, for an error answer', async () => {
    nock(API)
      .get('/repos/o/r/issues/7/comments')
      .query(true)
      .reply(404, { message: 'Not Found' })
    const error = await (await api()).listPage(1, 100, readBody).then(
      () => undefined,
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(GitHubAnswerError)
    expect(error).toMatchObject({
      name: 'GitHubAnswerError',
      status: 404,
      message: 'Not Found'
    })
  })

  it.each([
    ['an empty body', ''],
    ['a blank body', ' \r\n\t ']
  ])(
    'takes an error answer with %s as its HTTP status',
    async (_name, text) => {
      nock(API).get('/repos/o/r/issues/7/comments').query(true).reply(503, text)
      await expect(
        (await api()).listPage(1, 100, readBody)
      ).rejects.toMatchObject({ status: 503, message: 'HTTP 503' })
    }
  )

  it('takes an error answer that is JSON without a message string as its text', async () => {
    for (const text of ['{"error":"Service Unavailable"}', '{"message":42}']) {
      nock(API).get('/repos/o/r/issues/7/comments').query(true).reply(500, text)
      await expect(
        (await api()).listPage(1, 100, readBody)
      ).rejects.toMatchObject({ status: 500, message: text })
    }
  })

  describe('GITHUB_API_URL', () => {
    afterEach(() => {
      process.env.GITHUB_API_URL = API
    })

    it("lists under a GitHub Enterprise Server's API path, its trailing slashes dropped", async () => {
      process.env.GITHUB_API_URL = `${API}/api/v3//`
      const scope = nock(API)
        .get('/api/v3/repos/o/r/issues/7/comments')
        .query({ per_page: '100', page: '1' })
        .reply(200, [restComment(1, 'hello')])
      expect(
        (await listed((await api()).listPage(1, 100, readBody))).map(
          (c) => c.id
        )
      ).toEqual([1])
      expect(scope.isDone()).toBe(true)
    })

    it.each([
      ['not set', undefined],
      ['empty', '']
    ])('lists on api.github.com when it is %s', async (_name, value) => {
      if (value === undefined) delete process.env.GITHUB_API_URL
      else process.env.GITHUB_API_URL = value
      const scope = nock('https://api.github.com')
        .get('/repos/o/r/issues/7/comments')
        .query({ per_page: '100', page: '1' })
        .reply(200, [restComment(1, 'hello')])
      expect(
        (await listed((await api()).listPage(1, 100, readBody))).map(
          (c) => c.id
        )
      ).toEqual([1])
      expect(scope.isDone()).toBe(true)
    })
  })

  it('follows a 300 Multiple Choices to the location it prefers, as any redirect within GITHUB_API_URL', async () => {
    const scope = nock(API)
      .get('/repos/o/r/issues/7/comments')
      .query(true)
      .reply(
        300,
        { message: 'Multiple Choices' },
        {
          location: `${API}/repositories/42/issues/7/comments?per_page=100&page=1`
        }
      )
      .get('/repositories/42/issues/7/comments')
      .query({ per_page: '100', page: '1' })
      .reply(200, [restComment(1, 'hello')])
    expect(
      (await listed((await api()).listPage(1, 100, readBody))).map((c) => c.id)
    ).toEqual([1])
    expect(scope.isDone()).toBe(true)
  })

  it.each([400, 403, 404, 422, 500])(
    'never follows the location of an HTTP %i error answer: it is the error',
    async (status) => {
      nock(API)
        .get('/repos/o/r/issues/7/comments')
        .query(true)
        .reply(
          status,
          { message: 'Nope' },
          {
            location: `${API}/repositories/42/issues/7/comments?per_page=100&page=1`
          }
        )
      await expect(
        (await api()).listPage(1, 100, readBody)
      ).rejects.toMatchObject({ status, message: 'Nope' })
    }
  )

  it("lists over node:http with GitHub's REST headers, reading the page as a stream", async () => {
    const scope = nock(API, {
      reqheaders: {
        authorization: `token ${TOKEN}`,
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        'user-agent': 'ai-gateway-gate'
      }
    })
      .get('/repos/o/r/issues/7/comments')
      .query({ per_page: '100', page: '2' })
      // GitHub's pagination header (https://docs.github.com/rest/using-the-rest-api/using-pagination-in-the-rest-api).
      .reply(
        200,
        [restComment(5, commentBody(REPORT, KEY)), restComment(6, 'LGTM')],
        {
          link: '<https://gh.test/repos/o/r/issues/7/comments?per_page=100&page=1>; rel="prev", <https://gh.test/repos/o/r/issues/7/comments?per_page=100&page=1>; rel="first"'
        }
      )
    const page = await listed(
      (await api()).listPage(
        2,
        100,
        () => new BodyReader(marker(KEY), commentBody(REPORT, KEY))
      )
    )
    expect(page.map((c) => [c.id, c.check])).toEqual([
      [5, { marked: true, same: true }],
      [6, { marked: false, same: false }]
    ])
    expect(scope.isDone()).toBe(true)
  })

  it("follows GitHub's redirect of a renamed repository within GITHUB_API_URL, with the token", async () => {
    // GitHub answers a moved repository's URLs with 301 and the new location
    // (https://docs.github.com/rest/using-the-rest-api/best-practices-for-using-the-rest-api#follow-redirects).
    const scope = nock(API, { reqheaders: { authorization: `token ${TOKEN}` } })
      .get('/repos/o/r/issues/7/comments')
      .query(true)
      .reply(
        301,
        { message: 'Moved Permanently' },
        {
          location: `${API}/repositories/42/issues/7/comments?per_page=100&page=1`
        }
      )
      .get('/repositories/42/issues/7/comments')
      .query({ per_page: '100', page: '1' })
      .reply(200, [restComment(1, 'hello')])
    expect(
      (await listed((await api()).listPage(1, 100, readBody))).map((c) => c.id)
    ).toEqual([1])
    expect(scope.isDone()).toBe(true)
  })

  it('never follows a redirect to another host: the token goes to GITHUB_API_URL only', async () => {
    nock(API)
      .get('/repos/o/r/issues/7/comments')
      .query(true)
      .reply(302, '', { location: 'https://evil.test/steal?x=1' })
    await expect(
      (await api()).listPage(1, 100, readBody)
    ).rejects.toMatchObject({
      status: 302,
      message:
        'GitHub redirected the comment list to another host, "evil.test" (not followed: the token is sent to GITHUB_API_URL only)'
    })
  })

  it('stops after 3 redirects', async () => {
    nock(API)
      .get('/repos/o/r/issues/7/comments')
      .query(true)
      .times(4)
      .reply(
        301,
        { message: 'Moved Permanently' },
        {
          location: `${API}/repos/o/r/issues/7/comments?per_page=100&page=1`
        }
      )
    await expect(
      (await api()).listPage(1, 100, readBody)
    ).rejects.toMatchObject({ status: 301, message: 'Moved Permanently' })
  })

  it('gives up on a request that outlives the timeout', async () => {
    let release: () => void = () => undefined
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    nock(API)
      .get('/repos/o/r/issues/7/comments')
      .query(true)
      .reply(async () => {
        await held
        return [200, []]
      })
    // Without the timeout the answer would come after 1.5 s and the listing would succeed.
    const timer = setTimeout(release, 1500)
    try {
      const error = await (await api(100)).listPage(1, 100, readBody).then(
        () => undefined,
        (e: unknown) => e
      )
      // Octokit wraps the TimeoutError (under Jest it comes from another realm: then only the cause names it).
      const e = error as
        { message?: string; cause?: { name?: string } } | undefined
      expect(e).toBeDefined()
      expect(`${e?.message} ${e?.cause?.name}`).toMatch(/timeout/i)
    } finally {
      clearTimeout(timer)
      release()
    }
  })

  it('syncComment over Octokit: our comment on page 1 costs one GET, one GraphQL query and one PATCH', async () => {
    const scope = nock(API, { reqheaders: { authorization: `token ${TOKEN}` } })
      .get('/repos/o/r/issues/7/comments')
      .query({ page: '1', per_page: '100' })
      .reply(200, [
        restComment(1, 'LGTM', mallory),
        restComment(2, commentBody('old', KEY))
      ])
      .post('/graphql')
      .reply(200, viewerAnswer)
      .patch('/repos/o/r/issues/comments/2', { body: commentBody(REPORT, KEY) })
      .reply(200, restComment(2, commentBody(REPORT, KEY)))
    const result = await sync(await api())
    expect(result).toMatchObject({
      action: 'updated',
      removed: [],
      comment: { id: 2 }
    })
    expect(scope.isDone()).toBe(true)
  })

  it('postComment with the real client turns a fork PR 403 into one warning', async () => {
    nock(API)
      .get('/repos/octo/repo/issues/42/comments')
      .query(true)
      .reply(403, { message: 'Resource not accessible by integration' })
      .post('/graphql')
      .optionally()
      .reply(200, viewerAnswer)
    const dir = mkdtempSync(join(tmpdir(), 'comment-test-'))
    try {
      const path = join(dir, 'event.json')
      writeFileSync(
        path,
        JSON.stringify({
          pull_request: {
            number: 42,
            head: { repo: { full_name: 'fork/repo' } },
            base: { repo: { full_name: 'octo/repo' } }
          }
        })
      )
      const warn = jest.fn<(message: string) => void>()
      const info = jest.fn<(message: string) => void>()
      const posted = await postComment({
        mode: 'update',
        key: KEY,
        on: 'always',
        githubToken: TOKEN,
        markdown: REPORT,
        result: 'pass',
        env: {
          GITHUB_EVENT_NAME: 'pull_request',
          GITHUB_EVENT_PATH: path,
          GITHUB_REPOSITORY: 'octo/repo'
        },
        timeoutMs: 5000,
        warn,
        info
      })
      expect(posted).toBeUndefined()
      expect(warn).toHaveBeenCalledTimes(1)
      expect(warn.mock.calls[0]![0]).toMatch(
        /HTTP 403.*Resource not accessible by integration.*fork.*workflow_run/
      )
      expect(info).not.toHaveBeenCalled()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it.each([
    // GraphQL answers a request it refuses with HTTP 200 and an `errors` list. An exhausted budget (GitHub's
    // "Rate limits and query limits for the GraphQL API"): the error has no type once the budget is spent,
    // in the wording users report (orgs/community#184351).
    [
      'a rate limit',
      { message: 'API rate limit already exceeded for user ID 41898282.' },
      "GitHub's API rate limit for this token is used up; the next run will write the comment."
    ],
    // A token without the permission: GitHub's FORBIDDEN error, in the REST answer's wording.
    [
      'a refusal',
      { type: 'FORBIDDEN', message: 'Resource not accessible by integration' },
      'The token may not write comments: grant "permissions: pull-requests: write" to the job, or pass a github-token that can.'
    ]
  ])(
    "postComment with the real client shows GitHub's own text of a GraphQL error (%s), not Octokit's heading",
    async (_name, graphqlError, advice) => {
      nock(API)
        .get('/repos/octo/repo/issues/42/comments')
        .query(true)
        .reply(200, [restComment(2, commentBody('old', KEY))])
        .post('/graphql')
        .reply(200, { data: null, errors: [graphqlError] })
      const warn = jest.fn<(message: string) => void>()
      const info = jest.fn<(message: string) => void>()
      const posted = await postComment({
        ...{ mode: 'update', key: KEY, on: 'always', githubToken: TOKEN },
        ...{ markdown: REPORT, result: 'pass', prNumber: 42, timeoutMs: 5000 },
        env: {
          GITHUB_EVENT_NAME: 'workflow_run',
          GITHUB_REPOSITORY: 'octo/repo'
        },
        warn,
        info
      })
      expect(posted).toBeUndefined()
      expect(warn.mock.calls).toEqual([
        [
          `Could not write the PR comment (${graphqlError.message}). ${advice} The gate's result stands.`
        ]
      ])
      expect(info).not.toHaveBeenCalled()
    }
  )

  it('stops all the requests of a run at one deadline of 3 request-timeouts, however many pages are left', async () => {
    // Pages 1 and 2 are full (so the listing goes on) and page 3 has not answered when the run's
    // deadline passes: the deadline stops it, though the request's own timeout (10 s) has not run out.
    // Only setTimeout is faked: the deadline's timer; the request-timeout is AbortSignal.timeout's own.
    jest.useFakeTimers({
      doNotFake: [
        'Date',
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval'
      ]
    })
    const fullPage = Array.from({ length: 100 }, (_, i) =>
      restComment(i + 1, 'chatter', mallory)
    )
    let release: () => void = () => undefined
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    let pageThreeAsked: () => void = () => undefined
    const pageThree = new Promise<void>((resolve) => {
      pageThreeAsked = resolve
    })
    const comments = '/repos/octo/repo/issues/42/comments'
    const scope = nock(API)
      .get(comments)
      .query({ page: '1', per_page: '100' })
      .reply(200, fullPage)
      .get(comments)
      .query({ page: '2', per_page: '100' })
      .reply(200, fullPage)
      .get(comments)
      .query({ page: '3', per_page: '100' })
      .reply(async () => {
        pageThreeAsked()
        await held
        return [200, fullPage]
      })
    const warn = jest.fn<(message: string) => void>()
    const info = jest.fn<(message: string) => void>()
    try {
      const posted = postComment({
        ...{ mode: 'update', key: KEY, on: 'always', githubToken: TOKEN },
        ...{ markdown: REPORT, result: 'pass', prNumber: 42 },
        env: {
          GITHUB_EVENT_NAME: 'workflow_run',
          GITHUB_REPOSITORY: 'octo/repo'
        },
        timeoutMs: 10_000,
        warn,
        info
      })
      await pageThree
      jest.advanceTimersByTime(30_000)
      await expect(posted).resolves.toBeUndefined()
      expect(scope.isDone()).toBe(true)
      expect(warn.mock.calls).toEqual([
        [
          "Could not write the PR comment (the comment's requests took longer than their 30 s in all (3 × request-timeout)). The gate's result stands."
        ]
      ])
      expect(info).not.toHaveBeenCalled()
    } finally {
      jest.useRealTimers()
      release()
      nock.cleanAll()
    }
  })
})

describe('octokitCommentApi against a server on 127.0.0.1', () => {
  /** A server whose every answer `respond` writes, and the close of each request's connection. */
  async function server(
    respond: (res: http.ServerResponse, index: number) => void
  ) {
    const closings: Promise<void>[] = []
    const s = http.createServer((req, res) => {
      closings.push(
        new Promise((resolve) => req.socket.on('close', () => resolve()))
      )
      respond(res, closings.length - 1)
    })
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
    const { port } = s.address() as AddressInfo
    return {
      url: `http://127.0.0.1:${port}`,
      requests: () => closings.length,
      closed: (index: number) => closings[index]!,
      close: async () => {
        s.closeAllConnections()
        await new Promise((resolve) => s.close(resolve))
      }
    }
  }
  const list = async (url: string, requestTimeoutMs = 5000) => {
    process.env.GITHUB_API_URL = url
    const client = await octokitCommentApi({
      token: 'ghs_localtoken',
      owner: 'o',
      repo: 'r',
      issueNumber: 7,
      requestTimeoutMs,
      deadline: AbortSignal.timeout(60_000)
    })
    const ids: number[] = []
    for await (const c of await client.listPage(
      1,
      100,
      () => new BodyReader(marker(KEY), undefined)
    ))
      ids.push(c.id)
    return ids
  }
  /** 'closed' once `closing` resolves, or 'still open' after `ms`. */
  const closedWithin = async (closing: Promise<void>, ms: number) => {
    let timer: NodeJS.Timeout | undefined
    try {
      return await Promise.race([
        closing.then(() => 'closed'),
        new Promise<string>((resolve) => {
          timer = setTimeout(() => resolve('still open'), ms)
        })
      ])
    } finally {
      clearTimeout(timer)
    }
  }

  beforeAll(() => {
    nock.enableNetConnect('127.0.0.1')
  })
  afterAll(() => {
    nock.disableNetConnect()
  })
  afterEach(() => {
    process.env.GITHUB_API_URL = API
  })

  it("reads no more than 64 KiB of an error answer that never ends, and takes GitHub's message from it", async () => {
    // 64 KiB exactly, sent in two parts (the first not JSON on its own), and then the answer stays open.
    const json = JSON.stringify({
      message: 'Resource not accessible by integration',
      documentation_url: 'https://docs.github.com/rest'
    })
    const text = json.padEnd(64 * 1024, ' ')
    const gh = await server((res) => {
      res.writeHead(403, { 'content-type': 'application/json' })
      res.write(text.slice(0, 20))
      setTimeout(() => res.write(text.slice(20)), 50)
    })
    try {
      await expect(list(gh.url, 3000)).rejects.toMatchObject({
        status: 403,
        message:
          'Resource not accessible by integration - https://docs.github.com/rest'
      })
    } finally {
      await gh.close()
    }
  })

  it('drops the rest of a redirect it follows, closing that connection', async () => {
    const gh = await server((res, index) => {
      if (index === 0) {
        // A redirect whose body goes on and on.
        res.writeHead(301, {
          location: '/repositories/42/issues/7/comments?per_page=100&page=1'
        })
        res.write('Moved Permanently'.repeat(1000))
        return
      }
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify([{ id: 1, html_url: 'h', user: null }]))
    })
    try {
      await expect(list(gh.url)).resolves.toEqual([1])
      expect(gh.requests()).toBe(2)
      expect(await closedWithin(gh.closed(0), 2000)).toBe('closed')
    } finally {
      await gh.close()
    }
  })
})

describe('commentTarget', () => {
  const dir = mkdtempSync(join(tmpdir(), 'event-'))
  const file = (name: string, text: string): string => {
    const path = join(dir, name)
    writeFileSync(path, text)
    return path
  }
  const pr = file(
    'pr.json',
    JSON.stringify({
      number: 9,
      pull_request: {
        number: 9,
        head: { repo: { full_name: 'fork/r' } },
        base: { repo: { full_name: 'o/r' } }
      }
    })
  )

  it("finds the pull request of a pull_request event, and knows a fork's", () => {
    expect(
      commentTarget(
        {
          GITHUB_EVENT_NAME: 'pull_request',
          GITHUB_EVENT_PATH: pr,
          GITHUB_REPOSITORY: 'o/r'
        },
        undefined
      )
    ).toEqual({
      owner: 'o',
      repo: 'r',
      issueNumber: 9,
      forkPr: true
    })
  })

  it('takes pr-number on any event, over the event', () => {
    expect(
      commentTarget(
        { GITHUB_EVENT_NAME: 'workflow_run', GITHUB_REPOSITORY: 'o/r' },
        12
      )
    ).toEqual({ owner: 'o', repo: 'r', issueNumber: 12, forkPr: false })
  })

  it('skips other events with a note, and a repository that is not owner/name with a warning', () => {
    expect(
      commentTarget(
        { GITHUB_EVENT_NAME: 'push', GITHUB_REPOSITORY: 'o/r' },
        undefined
      )
    ).toMatchObject({ skip: 'info' })
    expect(
      commentTarget(
        {
          GITHUB_EVENT_NAME: 'pull_request',
          GITHUB_EVENT_PATH: pr,
          GITHUB_REPOSITORY: 'o/r/x'
        },
        undefined
      )
    ).toEqual({
      skip: 'warning',
      message:
        'No PR comment: the pull request number or the repository could not be read from the event (GITHUB_REPOSITORY is not owner/name).'
    })
  })

  it('calls the event unknown when GITHUB_EVENT_NAME is not set', () => {
    expect(commentTarget({ GITHUB_REPOSITORY: 'o/r' }, undefined)).toEqual({
      skip: 'info',
      message:
        'No PR comment: the event is unknown, and comments are written on pull_request and pull_request_target events, or on the pull request that pr-number names.'
    })
  })

  it.each([undefined, '', 'o', 'o/', '/r', '/', 'o/r/'])(
    'warns that GITHUB_REPOSITORY %j is not owner/name',
    (repository) => {
      expect(
        commentTarget(
          {
            GITHUB_EVENT_NAME: 'pull_request',
            GITHUB_EVENT_PATH: pr,
            GITHUB_REPOSITORY: repository
          },
          undefined
        )
      ).toEqual({
        skip: 'warning',
        message:
          'No PR comment: the pull request number or the repository could not be read from the event (GITHUB_REPOSITORY is not owner/name).'
      })
    }
  )

  it.each([
    ['no number at all', { action: 'opened' }],
    ['a negative number', { number: -3 }],
    ['a zero number', { number: 0, pull_request: { number: 0 } }]
  ])(
    'warns that the event names no pull request when it has %s',
    (_name, payload) => {
      expect(
        commentTarget(
          {
            GITHUB_EVENT_NAME: 'pull_request',
            GITHUB_EVENT_PATH: file('no-pr.json', JSON.stringify(payload)),
            GITHUB_REPOSITORY: 'o/r'
          },
          undefined
        )
      ).toEqual({
        skip: 'warning',
        message:
          'No PR comment: the pull request number or the repository could not be read from the event (the event names no pull request).'
      })
    }
  )

  it.each([0, -9, '9', 9.5, null])(
    "takes the event's number when pull_request.number (%j) is not a PR number",
    (unusable) => {
      const path = file(
        'odd-pr.json',
        JSON.stringify({ number: 9, pull_request: { number: unusable } })
      )
      expect(
        commentTarget(
          {
            GITHUB_EVENT_NAME: 'pull_request',
            GITHUB_EVENT_PATH: path,
            GITHUB_REPOSITORY: 'o/r'
          },
          undefined
        )
      ).toEqual({ owner: 'o', repo: 'r', issueNumber: 9, forkPr: false })
    }
  )
})
