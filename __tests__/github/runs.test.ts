import { describe, expect, it } from '@jest/globals'
import {
  explainRunsStatus,
  parseWorkflowRuns,
  runUrl,
  workflowRunsUrl
} from '../../src/github/runs.js'
import { scrubber } from '../../src/text/secrets.js'

describe('parseWorkflowRuns', () => {
  // GitHub's `workflow-run` schema (github/rest-api-description), as the list answers it: the fields read, and a few others.
  const run = (fields: Record<string, unknown> = {}) => ({
    id: 4100,
    name: 'eval',
    head_branch: 'main',
    head_sha: 'c0ffee'.padEnd(40, '0'),
    path: '.github/workflows/eval.yml',
    run_number: 562,
    event: 'push',
    status: 'completed',
    conclusion: 'success',
    workflow_id: 161335,
    html_url: 'https://github.com/o/r/actions/runs/4100',
    run_attempt: 2,
    ...fields
  })
  const answer = (...runs: unknown[]) =>
    JSON.stringify({ total_count: runs.length, workflow_runs: runs })
  const parse = (body: string) =>
    parseWorkflowRuns(body, 'main', 4242, 'eval.yml')

  const only = (body: string) => {
    const parsed = parse(body)
    if (!('runs' in parsed)) return parsed
    expect(parsed.runs).toHaveLength(1)
    return parsed.runs[0]
  }

  it("takes a run of this workflow's file, its path written with or without the ref (GitHub's own example has @main)", () => {
    for (const path of [
      '.github/workflows/eval.yml',
      '.github/workflows/eval.yml@main',
      '.github/workflows/eval.yml@refs/heads/main'
    ])
      expect(only(answer(run({ path })))).toMatchObject({
        run: { id: 4100 }
      })
  })

  it('takes every run, newest first: its id, attempt, branch and commit; and says how many were listed', () => {
    expect(parse(answer(run(), run({ id: 1, conclusion: 'failure' })))).toEqual(
      {
        runs: [
          {
            run: {
              id: 4100,
              attempt: 2,
              branch: 'main',
              headSha: 'c0ffee'.padEnd(40, '0')
            }
          },
          {
            run: {
              id: 1,
              attempt: 2,
              branch: 'main',
              headSha: 'c0ffee'.padEnd(40, '0')
            }
          }
        ],
        listed: 2
      }
    )
  })

  it('keeps the run when GitHub leaves out run_attempt or gives a head_sha that is not a commit id', () => {
    expect(
      only(answer(run({ run_attempt: undefined, head_sha: '<img src=x>' })))
    ).toEqual({
      run: { id: 4100, attempt: null, branch: 'main', headSha: null }
    })
    expect(only(answer(run({ run_attempt: '2' })))).toMatchObject({
      run: { attempt: null }
    })
    expect(only(answer(run({ run_attempt: 0 })))).toMatchObject({
      run: { attempt: null }
    })
  })

  it.each([
    ['41 hex digits', 'c0ffee'.padEnd(41, '0')],
    ['a commit id after a prefix', 'x' + 'c0ffee'.padEnd(40, '0')],
    ['a commit id and a newline', 'c0ffee'.padEnd(40, '0') + '\n'],
    ['39 hex digits', 'c0ffee'.padEnd(39, '0')],
    ['capital hex digits', 'C0FFEE'.padEnd(40, '0')]
  ])('takes no commit from a head_sha of %s', (_what, headSha) => {
    expect(only(answer(run({ head_sha: headSha })))).toEqual({
      run: { id: 4100, attempt: 2, branch: 'main', headSha: null }
    })
  })

  it('lists no run when there is no completed run', () => {
    expect(
      parse(JSON.stringify({ total_count: 0, workflow_runs: [] }))
    ).toEqual({ runs: [], listed: 0 })
  })

  it.each<[string, unknown, string]>([
    [
      'cancelled',
      'cancelled',
      'its conclusion is "cancelled", neither "success" nor "failure"'
    ],
    [
      'skipped',
      'skipped',
      'its conclusion is "skipped", neither "success" nor "failure"'
    ],
    [
      'timed out',
      'timed_out',
      'its conclusion is "timed_out", neither "success" nor "failure"'
    ],
    [
      'not finished',
      null,
      'its conclusion is null, neither "success" nor "failure"'
    ],
    [
      'without a conclusion',
      undefined,
      'its conclusion is nothing, neither "success" nor "failure"'
    ]
  ])('passes over a run %s', (_what, conclusion, why) => {
    expect(only(answer(run({ conclusion })))).toEqual({
      passedOver: why,
      id: 4100
    })
  })

  it("passes over a pull request's run from a branch of that name, and this run itself", () => {
    expect(only(answer(run({ event: 'pull_request' })))).toEqual({
      passedOver:
        'it ran for a pull request from a branch named "main", not on the branch itself',
      id: 4100
    })
    expect(only(answer(run({ event: 'pull_request_target' })))).toMatchObject({
      passedOver: expect.stringContaining('pull request')
    })
    expect(only(answer(run({ id: 4242 })))).toEqual({
      passedOver: 'it is this run itself',
      id: 4242
    })
  })

  it.each<[string, string]>([
    ['not json', "GitHub's answer is not JSON"],
    ['null', "GitHub's answer has no workflow_runs list"],
    [
      '{"total_count":1,"workflow_runs":{}}',
      "GitHub's answer has no workflow_runs list"
    ],
    [answer(null), "GitHub's answer lists a run that is not an object"],
    [answer('4100'), "GitHub's answer lists a run that is not an object"],
    [answer(4100), "GitHub's answer lists a run that is not an object"],
    [
      answer(run({ id: 0 })),
      "GitHub's answer lists a run whose id is not a positive whole number"
    ],
    [
      answer(run({ id: '4100' })),
      "GitHub's answer lists a run whose id is not a positive whole number"
    ],
    [
      answer(run({ id: -4 })),
      "GitHub's answer lists a run whose id is not a positive whole number"
    ],
    [
      answer(run({ id: 4.5 })),
      "GitHub's answer lists a run whose id is not a positive whole number"
    ],
    [
      answer(run({ id: 2 ** 60 })),
      "GitHub's answer lists a run whose id is not a positive whole number"
    ],
    [
      answer(run({ head_branch: undefined })),
      'GitHub\'s answer lists run 4100 of branch nothing, not "main"'
    ],
    [
      answer(run({ head_branch: ['main'] })),
      'GitHub\'s answer lists run 4100 of branch ["main"], not "main"'
    ],
    [
      answer(run({ head_branch: 'feature\n::error::x' })),
      'GitHub\'s answer lists run 4100 of branch "feature\\n::error::x", not "main"'
    ],
    // One broken run makes the whole answer untrusted, wherever it stands.
    [
      answer(run(), run({ id: 4000, head_branch: 'feature' })),
      'GitHub\'s answer lists run 4000 of branch "feature", not "main"'
    ],
    [
      answer(run({ path: '.github/workflows/deploy.yml' })),
      'GitHub\'s answer lists run 4100 of workflow ".github/workflows/deploy.yml", not of this workflow ".github/workflows/eval.yml"'
    ],
    [
      answer(run({ path: '.github/workflows/nightly-eval.yml' })),
      'GitHub\'s answer lists run 4100 of workflow ".github/workflows/nightly-eval.yml", not of this workflow ".github/workflows/eval.yml"'
    ],
    [
      answer(run({ path: '.github/workflows/Eval.yml' })),
      'GitHub\'s answer lists run 4100 of workflow ".github/workflows/Eval.yml", not of this workflow ".github/workflows/eval.yml"'
    ],
    [
      answer(run({ path: 'eval.yml' })),
      'GitHub\'s answer lists run 4100 of workflow "eval.yml", not of this workflow ".github/workflows/eval.yml"'
    ],
    [
      answer(run({ path: 'dynamic/github-code-scanning/codeql' })),
      'GitHub\'s answer lists run 4100 of workflow "dynamic/github-code-scanning/codeql", not of this workflow ".github/workflows/eval.yml"'
    ],
    [
      answer(run({ path: undefined })),
      'GitHub\'s answer lists run 4100 of workflow nothing, not of this workflow ".github/workflows/eval.yml"'
    ],
    [
      answer(run({ path: 42 })),
      'GitHub\'s answer lists run 4100 of workflow 42, not of this workflow ".github/workflows/eval.yml"'
    ],
    [
      answer(run({ path: 'x/.github/workflows/eval.yml' })),
      'GitHub\'s answer lists run 4100 of workflow "x/.github/workflows/eval.yml", not of this workflow ".github/workflows/eval.yml"'
    ]
  ])('%s is no baseline: %s', (body, problem) => {
    expect(parse(body)).toEqual({ problem })
  })
})

describe('workflowRunsUrl', () => {
  it("asks for a page of the branch's completed runs, every path segment and the branch encoded", () => {
    const lookup = {
      apiUrl: 'https://api.github.com',
      owner: 'octo-org',
      repo: 'evals',
      workflowFile: 'My Eval.yml'
    }
    expect(workflowRunsUrl(lookup, 'release/2.x&status=failure')).toBe(
      'https://api.github.com/repos/octo-org/evals/actions/workflows/My%20Eval.yml/runs?branch=release%2F2.x%26status%3Dfailure&status=completed&per_page=20&page=1&exclude_pull_requests=true'
    )
    expect(workflowRunsUrl(lookup, 'main', 3)).toContain(
      '?branch=main&status=completed&per_page=20&page=3&'
    )
  })
})

describe('explainRunsStatus', () => {
  const lookup = { owner: 'o', repo: 'r', workflowFile: 'eval.yml' }
  const body = (message: string) =>
    JSON.stringify({
      message,
      documentation_url: 'https://docs.github.com/rest',
      status: '403'
    })
  const none = (text: string) => text

  it.each([
    [
      401,
      body('Bad credentials'),
      'GitHub refused github-token (HTTP 401: "Bad credentials")'
    ],
    [
      403,
      body('Resource not accessible by integration'),
      'GitHub answered HTTP 403: "Resource not accessible by integration": github-token needs "actions: read" to list the runs of workflow eval.yml of o/r'
    ],
    [
      404,
      body('Not Found'),
      'GitHub answered HTTP 404: "Not Found" for the runs of workflow eval.yml of o/r: github-token needs "actions: read" there'
    ],
    [
      301,
      '',
      'GitHub answered HTTP 301 (a redirect, not followed: github-token is sent to GITHUB_API_URL only)'
    ],
    [
      502,
      '<html>Bad gateway</html>',
      'GitHub answered HTTP 502 for the runs of workflow eval.yml of o/r'
    ],
    // The redirect range is 300 to 399, whatever GitHub says with it.
    [
      299,
      '',
      'GitHub answered HTTP 299 for the runs of workflow eval.yml of o/r'
    ],
    [
      300,
      body('Multiple choices'),
      'GitHub answered HTTP 300 (a redirect, not followed: github-token is sent to GITHUB_API_URL only)'
    ],
    [
      399,
      '',
      'GitHub answered HTTP 399 (a redirect, not followed: github-token is sent to GITHUB_API_URL only)'
    ],
    [
      400,
      body('Problems parsing JSON'),
      'GitHub answered HTTP 400: "Problems parsing JSON" for the runs of workflow eval.yml of o/r'
    ]
  ])('HTTP %p', (status, text, reason) => {
    expect(explainRunsStatus(status, text, lookup, none)).toBe(reason)
  })

  // Only a message with something in it is quoted; anything else says nothing rather than `: ""`.
  it.each([
    ['a body that is not JSON', 'Bad credentials'],
    ['a JSON null', 'null'],
    ['an empty message', body('')],
    ['a message of blanks', body(' \t\n ')],
    ['a message that is not a string', JSON.stringify({ message: 401 })],
    ['no message', JSON.stringify({ documentation_url: 'x' })]
  ])('quotes no message from %s', (_what, text) => {
    expect(explainRunsStatus(401, text, lookup, none)).toBe(
      'GitHub refused github-token (HTTP 401)'
    )
  })

  it("keeps GitHub's message on one line, short, and without the token", () => {
    const token = 'ghs_SECRETtoken0123456789'
    const reason = explainRunsStatus(
      403,
      body(`no\n::error::forged ${token} ${'x'.repeat(300)}`),
      lookup,
      scrubber([token])
    )
    expect(reason).toContain('"no\\n::error::forged *** xxx')
    expect(reason).not.toContain('\n')
    expect(reason).not.toContain(token)
    expect(reason.length).toBeLessThan(400)
  })
})

describe('runUrl', () => {
  it("links a run's attempt on the server, owner and repository encoded", () => {
    expect(runUrl('https://github.com', 'o', 'r', 4100, 2)).toBe(
      'https://github.com/o/r/actions/runs/4100/attempts/2'
    )
    expect(runUrl('https://ghes.example.com', 'a b', 'c', 7, null)).toBe(
      'https://ghes.example.com/a%20b/c/actions/runs/7'
    )
  })
})
