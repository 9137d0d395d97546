import { describe, expect, it } from '@jest/globals'
import { defaultCommentKey } from '../../src/inputs/comment.js'

describe('defaultCommentKey', () => {
  it.each([
    [{ GITHUB_WORKFLOW: 'evals', GITHUB_JOB: 'gate' }, 'evals/gate'],
    [{ GITHUB_WORKFLOW: 'evals' }, 'evals/'],
    [{ GITHUB_JOB: 'gate' }, '/gate'],
    [{}, 'ai-gateway-gate']
  ])('%p gives %p: either part names the comment', (env, key) => {
    expect(defaultCommentKey(env)).toBe(key)
  })
})
