import { describe, expect, it } from '@jest/globals'
import {
  baseBranchOf,
  baselineRunIdValue,
  namesTheRun,
  positiveWhole,
  workflowFileOf
} from '../../src/inputs/base-branch.js'

describe('positiveWhole', () => {
  it.each([
    ['1', 1],
    ['12345678901', 12345678901],
    ['0', undefined],
    ['01', undefined],
    ['-1', undefined],
    ['1.5', undefined],
    ['1e3', undefined],
    [' 1', undefined],
    ['', undefined],
    [undefined, undefined],
    ['9'.repeat(20), undefined]
  ])('%p is %p', (value, expected) => {
    expect(positiveWhole(value)).toBe(expected)
  })
})

describe('workflowFileOf', () => {
  it.each([
    ['octo-org/evals/.github/workflows/eval.yml@refs/pull/7/merge', 'eval.yml'],
    ['o/r/.github/workflows/nightly.yaml@refs/heads/main', 'nightly.yaml'],
    ['o/r/.github/workflows/My Eval.yml@refs/tags/v1', 'My Eval.yml'],
    ['o/r/.github/workflows/eval.yml', undefined],
    ['o/r/.github/workflows/sub/eval.yml@refs/heads/main', undefined],
    ['o/r/eval.yml@refs/heads/main', undefined],
    ['o/r/.github/workflows/eval.txt@refs/heads/main', undefined],
    // GITHUB_WORKFLOW_REF starts with owner/repo: anything before them is not this form.
    ['x/o/r/.github/workflows/eval.yml@refs/heads/main', undefined],
    ['', undefined]
  ])('%p is %p', (ref, file) => {
    expect(workflowFileOf(ref)).toBe(file)
  })
})

describe('namesTheRun and baselineRunIdValue', () => {
  const current = { runId: 4242, runAttempt: 1 }

  it.each([
    // run-id, the baseline run's id and attempt, its run-id value
    ['gh-4242-1', 4100, 2, 'gh-4100-2'],
    ['4242.1', 4100, 3, '4100.3'],
    ['run-4242-attempt-1', 4100, 2, 'run-4100-attempt-2'],
    ['gh-4242', 4100, 2, 'gh-4100'],
    ['1-4242', 4100, 2, '2-4100'],
    ['eval-4242-4242-1', 4100, 2, 'eval-4100-4100-2'],
    // A 1 inside a word or a commit id is not the attempt; a digit next to the run id is not part of it.
    ['v1-gh-4242-1', 4100, 2, 'v1-gh-4100-2'],
    ['gh4242x1', 4100, 2, 'gh4100x1'],
    ['a1b2-4242-1', 4100, 2, 'a1b2-4100-2'],
    // The attempt is one place: the nearest after the run id, else the nearest before it. Other
    // numbers equal to it (a matrix shard) are the same in the baseline's run-id and stay.
    ['gh-4242-1-shard-1', 4100, 2, 'gh-4100-2-shard-1'],
    ['shard-1-gh-4242-1', 4100, 2, 'shard-1-gh-4100-2'],
    ['1-1-4242', 4100, 2, '1-2-4100'],
    ['gh-4242-1.1', 4100, 3, 'gh-4100-3.1'],
    ['gh-4242-x-4242-1', 4100, 2, 'gh-4100-x-4100-2'],
    ['1-4242-4242', 4100, 2, '2-4100-4100']
  ])('%p for run %p attempt %p is %p', (runIdValue, id, attempt, expected) => {
    expect(namesTheRun(runIdValue, current.runId)).toBe(true)
    expect(baselineRunIdValue(runIdValue, current, { id, attempt })).toBe(
      expected
    )
  })

  it.each(['nightly', 'gh-42420-1', 'gh-14242-1', '1', 'gh-424-2-1'])(
    '%p does not name run 4242',
    (runIdValue) => {
      expect(namesTheRun(runIdValue, 4242)).toBe(false)
    }
  )

  it("needs the baseline's attempt only when run-id holds the attempt", () => {
    expect(
      baselineRunIdValue('gh-4242-1', current, { id: 4100, attempt: null })
    ).toBeUndefined()
    expect(
      baselineRunIdValue('gh-4242', current, { id: 4100, attempt: null })
    ).toBe('gh-4100')
  })

  it('is the same for every call, since the patterns it uses keep no state between calls', () => {
    const again = [1, 2, 3].map(() => [
      namesTheRun('gh-4242-1', 4242),
      baselineRunIdValue('gh-4242-1', current, { id: 7, attempt: 2 })
    ])
    expect(again).toEqual([
      [true, 'gh-7-2'],
      [true, 'gh-7-2'],
      [true, 'gh-7-2']
    ])
  })
})

describe('baseBranchOf', () => {
  it("takes a pull request's base branch, and any other event's default branch", () => {
    const pr = {
      pull_request: { base: { ref: 'release/2.x' } },
      repository: { default_branch: 'main' }
    }
    expect(baseBranchOf('pull_request', pr)).toEqual({ branch: 'release/2.x' })
    expect(baseBranchOf('pull_request_target', pr)).toEqual({
      branch: 'release/2.x'
    })
    expect(baseBranchOf('push', pr)).toEqual({ branch: 'main' })
    expect(
      baseBranchOf('schedule', { repository: { default_branch: 'trunk' } })
    ).toEqual({ branch: 'trunk' })
  })

  it('takes a branch name of exactly 255 characters, the longest git takes', () => {
    const branch = 'b'.repeat(255)
    expect(
      baseBranchOf('push', { repository: { default_branch: branch } })
    ).toEqual({ branch })
  })

  // The payload is typed unknown: only plain objects are read, whatever else carries the field's name.
  // (An event file is JSON, where only objects have named fields; these values pin the contract.)
  it.each<[string, unknown]>([
    ['an array', Object.assign([], { repository: { default_branch: 'main' } })],
    [
      'a function',
      Object.assign(() => undefined, {
        repository: { default_branch: 'main' }
      })
    ]
  ])('reads no field of %s', (_what, payload) => {
    expect(baseBranchOf('push', payload)).toEqual({
      problem:
        'the event has no repository.default_branch to find the base branch with'
    })
  })

  it.each<[string, unknown, string]>([
    [
      'pull_request',
      {},
      'the event has no pull_request.base.ref to find the base branch with'
    ],
    [
      'pull_request',
      { pull_request: null },
      'the event has no pull_request.base.ref to find the base branch with'
    ],
    [
      'pull_request',
      { pull_request: { base: { ref: 7 } } },
      'the event has no pull_request.base.ref to find the base branch with'
    ],
    [
      'pull_request',
      { pull_request: { base: [] } },
      'the event has no pull_request.base.ref to find the base branch with'
    ],
    [
      'pull_request',
      { pull_request: { base: null } },
      'the event has no pull_request.base.ref to find the base branch with'
    ],
    [
      'pull_request',
      { pull_request: { base: 'main' } },
      'the event has no pull_request.base.ref to find the base branch with'
    ],
    [
      'pull_request',
      { pull_request: ['main'] },
      'the event has no pull_request.base.ref to find the base branch with'
    ],
    [
      'push',
      { repository: 'o/r' },
      'the event has no repository.default_branch to find the base branch with'
    ],
    [
      'push',
      null,
      'the event has no repository.default_branch to find the base branch with'
    ],
    [
      'push',
      { repository: { default_branch: '  ' } },
      'the event has no repository.default_branch to find the base branch with'
    ],
    [
      'push',
      { repository: { default_branch: 'main\n::error::x' } },
      'the event\'s repository.default_branch "main\\n::error::x" is not a branch name'
    ],
    [
      'push',
      { repository: { default_branch: 'b'.repeat(256) } },
      `the event's repository.default_branch "${'b'.repeat(80)}…" is not a branch name`
    ]
  ])('%s %j: %s', (event, payload, problem) => {
    expect(baseBranchOf(event, payload)).toEqual({ problem })
  })
})
