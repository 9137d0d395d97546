import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  readRunLinks,
  runLinksOf,
  serverBase
} from '../../src/github/context.js'

const SHA = '3f9a2c4d1e0b7a6958c4d3e2f1a0b9c8d7e6f5a4'
const MERGE = '9d8c7b6a5f4e3d2c1b0a99887766554433221100'
// What a runner sets (GitHub's default environment variables).
const runner = {
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'octo-org/eval-service',
  GITHUB_RUN_ID: '7001',
  GITHUB_SHA: MERGE
}

describe('runLinksOf', () => {
  it('links the run and the commit GITHUB_SHA names', () => {
    expect(runLinksOf(runner)).toEqual({
      run: {
        id: 7001,
        url: 'https://github.com/octo-org/eval-service/actions/runs/7001'
      },
      commit: {
        sha: MERGE,
        url: `https://github.com/octo-org/eval-service/commit/${MERGE}`
      }
    })
  })

  it("prefers the pull request's head, or a workflow_run's, to the merge commit GITHUB_SHA names", () => {
    expect(
      runLinksOf(runner, { pull_request: { head: { sha: SHA } } }).commit?.sha
    ).toBe(SHA)
    expect(
      runLinksOf(runner, { workflow_run: { head_sha: SHA } }).commit?.sha
    ).toBe(SHA)
    // A head that is not a commit id falls back to GITHUB_SHA.
    expect(
      runLinksOf(runner, { pull_request: { head: { sha: 'main' } } }).commit
        ?.sha
    ).toBe(MERGE)
    expect(runLinksOf(runner, { pull_request: null }).commit?.sha).toBe(MERGE)
  })

  it('keeps a GitHub Enterprise Server URL with its path, without a trailing slash', () => {
    expect(
      runLinksOf({ ...runner, GITHUB_SERVER_URL: 'https://ghes.example.com/' })
        .run?.url
    ).toBe('https://ghes.example.com/octo-org/eval-service/actions/runs/7001')
  })

  it.each([
    ['a javascript: server URL', { GITHUB_SERVER_URL: 'javascript:alert(1)' }],
    [
      'a server URL with credentials',
      { GITHUB_SERVER_URL: 'https://u:p@github.com' }
    ],
    [
      'a server URL with a user name alone',
      { GITHUB_SERVER_URL: 'https://u@github.com' }
    ],
    [
      'a server URL with a password alone',
      { GITHUB_SERVER_URL: 'https://:p@github.com' }
    ],
    [
      'a server URL with a query',
      { GITHUB_SERVER_URL: 'https://github.com/?x=1' }
    ],
    ['no server URL', { GITHUB_SERVER_URL: '' }],
    ['a repository that is not owner/name', { GITHUB_REPOSITORY: 'o/r/x' }],
    ['a repository with markup', { GITHUB_REPOSITORY: 'o/r)[x](https://evil' }],
    ['a repository named ..', { GITHUB_REPOSITORY: 'o/..' }],
    ['no repository', { GITHUB_REPOSITORY: undefined }]
  ])('leaves both links out with %s, and keeps the commit id', (_case, env) => {
    const links = runLinksOf({ ...runner, ...env })
    expect(links.run).toBeUndefined()
    expect(links.commit).toEqual({ sha: MERGE })
  })

  it.each([
    ['not a number', '12abc'],
    ['zero', '0'],
    ['negative', '-5'],
    ['missing', undefined]
  ])('leaves the run out when GITHUB_RUN_ID is %s', (_case, id) => {
    expect(runLinksOf({ ...runner, GITHUB_RUN_ID: id }).run).toBeUndefined()
  })

  it('links a SHA-256 commit id (64 hex digits) as well as a SHA-1 one', () => {
    const sha256 = `${MERGE}${SHA.slice(0, 24)}`
    expect(runLinksOf({ ...runner, GITHUB_SHA: sha256 }).commit).toEqual({
      sha: sha256,
      url: `https://github.com/octo-org/eval-service/commit/${sha256}`
    })
  })

  it('leaves the commit out when GITHUB_SHA only ends in a commit id', () => {
    for (const sha of [
      `0${MERGE}`,
      `v${MERGE}`,
      `x${MERGE}${SHA.slice(0, 24)}`
    ])
      expect([sha, runLinksOf({ ...runner, GITHUB_SHA: sha }).commit]).toEqual([
        sha,
        undefined
      ])
  })

  it('links a repository whose name starts or ends with a dot, such as .github', () => {
    for (const repository of ['octo-org/.github', 'octo-org/site.'])
      expect(
        runLinksOf({ ...runner, GITHUB_REPOSITORY: repository }).run?.url
      ).toBe(`https://github.com/${repository}/actions/runs/7001`)
  })

  it('leaves the commit out when no commit id is known', () => {
    expect(runLinksOf({ ...runner, GITHUB_SHA: 'HEAD' }).commit).toBeUndefined()
    expect(
      runLinksOf({ ...runner, GITHUB_SHA: `${MERGE}\n::error::x` }).commit
    ).toBeUndefined()
    expect(runLinksOf({}).commit).toBeUndefined()
  })
})

describe('serverBase', () => {
  it.each([
    ['https://github.com', 'https://github.com'],
    ['http://127.0.0.1:8080///', 'http://127.0.0.1:8080'],
    ['https://x.example/a b', 'https://x.example/a%20b'],
    ['ftp://github.com', undefined],
    ['data:text/html,x', undefined],
    ['not a url', undefined],
    ['https://github.com/#x', undefined],
    [undefined, undefined]
  ])('%p is %p', (value, base) => {
    expect(serverBase(value)).toBe(base)
  })
})

describe('readRunLinks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'context-'))
  it('reads the head commit from the event file, and does without it when the file is missing or broken', () => {
    const event = join(dir, 'event.json')
    writeFileSync(
      event,
      JSON.stringify({ pull_request: { head: { sha: SHA } } })
    )
    expect(
      readRunLinks({ ...runner, GITHUB_EVENT_PATH: event }).commit?.sha
    ).toBe(SHA)
    const broken = join(dir, 'broken.json')
    writeFileSync(broken, '{not json')
    expect(
      readRunLinks({ ...runner, GITHUB_EVENT_PATH: broken }).commit?.sha
    ).toBe(MERGE)
    expect(
      readRunLinks({ ...runner, GITHUB_EVENT_PATH: join(dir, 'none.json') }).run
        ?.id
    ).toBe(7001)
  })
})
