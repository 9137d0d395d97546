import { describe, expect, it } from '@jest/globals'
import { baselineWarnsOn } from '../../src/inputs/baseline.js'

describe('baselineWarnsOn', () => {
  const baseBranch = (eventName: string) =>
    ({
      kind: 'base-branch',
      lookup: {
        apiUrl: 'https://api.github.com',
        token: 't',
        owner: 'o',
        repo: 'r',
        workflowFile: 'eval.yml',
        runId: 2,
        runAttempt: 1,
        serverUrl: null,
        eventName,
        eventPath: undefined
      }
    }) as const

  it('names the event when base-branch runs off a pull request', () => {
    expect(baselineWarnsOn(baseBranch('push'))).toBe('push')
    expect(baselineWarnsOn(baseBranch('schedule'))).toBe('schedule')
    expect(baselineWarnsOn(baseBranch('workflow_dispatch'))).toBe(
      'workflow_dispatch'
    )
  })

  it('says nothing on a pull request, or with an explicit baseline-run-id', () => {
    expect(baselineWarnsOn(baseBranch('pull_request'))).toBeUndefined()
    expect(baselineWarnsOn(baseBranch('pull_request_target'))).toBeUndefined()
    expect(baselineWarnsOn({ kind: 'run-id', value: 'gh-1-1' })).toBeUndefined()
  })
})
