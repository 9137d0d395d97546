import { describe, expect, it } from '@jest/globals'
import {
  parseConfig,
  wantsSummary,
  type Config
} from '../../src/inputs/config.js'
import { readInputs, type InputName } from '../../src/inputs/names.js'
import { elapsedMs, LINEAR_CPU_MS } from '../helpers/hostile.js'
import { ConfigError } from '../../src/inputs/problems.js'
import { DEFAULT_API_URL } from '../../src/inputs/connection.js'

type Inputs = Partial<Record<InputName, string>>

const TOKEN = 'cf-token-SECRET-0123456789abcdef'
const GLOBAL_KEY = 'global-key-SECRET-fedcba9876543210'
const GITHUB_TOKEN = 'ghs_SECRETgithubtoken0123456789'

/** The smallest set of inputs that parses. */
const base: Inputs = {
  'api-token': TOKEN,
  'account-id': 'acc-123',
  'gateway-id': 'my-gateway',
  'log-id': '01JADMCQQQBWH3NXZ5GCRN98DP'
}

/** A reader built from a plain object, as GitHub passes inputs: strings, '' when unset. */
const reader =
  (inputs: Inputs) =>
  (name: string): string =>
    inputs[name as InputName] ?? ''

/** A fixed now, for the inputs that count back from it (since: 24h). */
const NOW_MS = Date.parse('2026-11-26T12:00:00Z')

const parse = (inputs: Inputs, env: NodeJS.ProcessEnv = {}): Config =>
  parseConfig(readInputs(reader(inputs), env), env, NOW_MS)

/** Runs parseConfig expecting a ConfigError, and returns it. */
function configError(inputs: Inputs, env: NodeJS.ProcessEnv = {}): ConfigError {
  try {
    parse(inputs, env)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return error as ConfigError
  }
  throw new Error(`parseConfig accepted ${JSON.stringify(inputs)}`)
}

describe('parseConfig: defaults', () => {
  const config = parse(base)

  it.each([
    ['require-success', config.limits.requireSuccess, true],
    ['fail-on-breach', config.failOnBreach, true],
    ['job-summary', config.jobSummary, true],
    ['wait-timeout (ms)', config.waitTimeoutMs, 30_000],
    ['max-retries', config.maxRetries, 3],
    ['request-timeout (ms)', config.requestTimeoutMs, 30_000],
    ['comment mode', config.comment.mode, 'off'],
    ['comment-on', config.comment.on, 'always'],
    ['pr-number', config.comment.prNumber, undefined],
    ['api-url', config.apiUrl, DEFAULT_API_URL],
    ['api-url value', config.apiUrl, 'https://api.cloudflare.com/client/v4']
  ] as const)('%s defaults to %p', (_name, actual, expected) => {
    expect(actual).toBe(expected)
  })

  it('sets no limit that was not asked for', () => {
    expect(config.limits.maxCostUsd).toBeUndefined()
    expect(config.limits.maxDurationMs).toBeUndefined()
    expect(config.limits.maxTokensIn).toBeUndefined()
    expect(config.limits.maxTokensOut).toBeUndefined()
    expect(config.limits.expectedStatus).toBeUndefined()
  })

  it('returns the ids and the token auth', () => {
    expect(config).toMatchObject({
      auth: { kind: 'token', token: TOKEN },
      accountId: 'acc-123',
      gatewayId: 'my-gateway',
      selection: { kind: 'log', logId: '01JADMCQQQBWH3NXZ5GCRN98DP' }
    })
  })

  it('derives the comment key from the workflow and the job, or uses a fixed one outside GitHub', () => {
    expect(
      parse(base, { GITHUB_WORKFLOW: 'evals', GITHUB_JOB: 'gate' }).comment.key
    ).toBe('evals/gate')
    expect(parse(base).comment.key).toBe('ai-gateway-gate')
    expect(
      parse(
        { ...base, 'comment-key': 'matrix-a' },
        { GITHUB_WORKFLOW: 'evals', GITHUB_JOB: 'gate' }
      ).comment.key
    ).toBe('matrix-a')
  })
})

describe('parseConfig: valid values', () => {
  it.each([
    ['0.05', 0.05],
    ['$0.05', 0.05],
    ['$ 0.05', 0.05],
    ['0.05 USD', 0.05],
    ['  0.05  ', 0.05],
    ['0', 0],
    ['.5', 0.5],
    ['3', 3],
    ['0.0000004', 4e-7]
  ])('max-cost %p is %p USD', (value, usd) => {
    expect(parse({ ...base, 'max-cost': value }).limits.maxCostUsd).toBe(usd)
  })

  it.each([
    ['1500', 1500],
    ['1500ms', 1500],
    ['1500 ms', 1500],
    ['2s', 2000],
    ['2S', 2000],
    ['0.5s', 500],
    ['1m', 60_000],
    ['1.5m', 90_000],
    ['0', 0]
  ])('max-duration %p is %p ms', (value, ms) => {
    expect(parse({ ...base, 'max-duration': value }).limits.maxDurationMs).toBe(
      ms
    )
  })

  it.each([
    ['max-tokens-in', '4000', 'maxTokensIn', 4000],
    ['max-tokens-in', '0', 'maxTokensIn', 0],
    ['max-tokens-out', '512', 'maxTokensOut', 512],
    ['max-tokens-out', ' 7 ', 'maxTokensOut', 7]
  ] as const)('%s %p is %p', (name, value, field, expected) => {
    expect(parse({ ...base, [name]: value }).limits[field]).toBe(expected)
  })

  it.each([
    ['200', [{ kind: 'code', code: 200 }]],
    ['2xx', [{ kind: 'class', hundreds: 2 }]],
    ['2XX', [{ kind: 'class', hundreds: 2 }]],
    [
      '200, 429',
      [
        { kind: 'code', code: 200 },
        { kind: 'code', code: 429 }
      ]
    ],
    [
      '2xx,404',
      [
        { kind: 'class', hundreds: 2 },
        { kind: 'code', code: 404 }
      ]
    ],
    ['100', [{ kind: 'code', code: 100 }]],
    ['599', [{ kind: 'code', code: 599 }]],
    ['1xx', [{ kind: 'class', hundreds: 1 }]],
    ['5xx', [{ kind: 'class', hundreds: 5 }]]
  ])('expected-status %p', (value, patterns) => {
    expect(
      parse({ ...base, 'expected-status': value }).limits.expectedStatus
    ).toEqual(patterns)
  })

  describe.each([
    ['require-success', (c: Config) => c.limits.requireSuccess],
    ['fail-on-breach', (c: Config) => c.failOnBreach],
    ['job-summary', (c: Config) => c.jobSummary]
  ] as const)('boolean %s', (name, get) => {
    it.each([
      ['true', true],
      ['True', true],
      ['TRUE', true],
      ['false', false],
      ['False', false],
      ['FALSE', false],
      [' false ', false]
    ])('%p is %p', (value, expected) => {
      expect(get(parse({ ...base, [name]: value }))).toBe(expected)
    })
  })

  it.each([
    ['wait-timeout', '0', (c: Config) => c.waitTimeoutMs, 0],
    ['wait-timeout', '10', (c: Config) => c.waitTimeoutMs, 10_000],
    ['wait-timeout', '1.5', (c: Config) => c.waitTimeoutMs, 1500],
    ['wait-timeout', '5s', (c: Config) => c.waitTimeoutMs, 5000],
    ['wait-timeout', '600', (c: Config) => c.waitTimeoutMs, 600_000],
    ['wait-timeout', '1m', (c: Config) => c.waitTimeoutMs, 60_000],
    ['wait-timeout', '1500ms', (c: Config) => c.waitTimeoutMs, 1500],
    ['request-timeout', '5', (c: Config) => c.requestTimeoutMs, 5000],
    ['request-timeout', '0.5', (c: Config) => c.requestTimeoutMs, 500],
    ['max-retries', '0', (c: Config) => c.maxRetries, 0],
    ['max-retries', '10', (c: Config) => c.maxRetries, 10]
  ] as const)('%s %p', (name, value, get, expected) => {
    expect(get(parse({ ...base, [name]: value }))).toBe(expected)
  })

  it.each([
    ['', 'off'],
    ['off', 'off'],
    ['false', 'off'],
    ['update', 'update'],
    ['true', 'update'],
    ['Update', 'update'],
    ['new', 'new']
  ])('comment %p is %p', (value, mode) => {
    expect(
      parse({ ...base, comment: value, 'github-token': GITHUB_TOKEN }).comment
        .mode
    ).toBe(mode)
  })

  it.each([
    ['', 'always'],
    ['always', 'always'],
    ['breach', 'breach'],
    ['Breach', 'breach'],
    [' breach ', 'breach']
  ])('comment-on %p is %p', (value, on) => {
    expect(
      parse({
        ...base,
        comment: 'update',
        'comment-on': value,
        'github-token': GITHUB_TOKEN
      }).comment.on
    ).toBe(on)
  })

  it.each([
    ['42', 42],
    [' 7 ', 7],
    ['1', 1],
    ['007', 7]
  ])(
    'pr-number %p is pull request %p, whatever the comment mode',
    (value, prNumber) => {
      expect(
        parse({
          ...base,
          comment: 'update',
          'pr-number': value,
          'github-token': GITHUB_TOKEN
        }).comment.prNumber
      ).toBe(prNumber)
      expect(parse({ ...base, 'pr-number': value }).comment.prNumber).toBe(
        prNumber
      )
    }
  )

  it('refuses comment-on breach with comment new, naming both inputs', () => {
    const error = configError({
      ...base,
      comment: 'new',
      'comment-on': 'breach',
      'github-token': GITHUB_TOKEN
    })
    expect(error.problems).toEqual([
      'comment-on "breach" needs comment: update (a pass corrects the one comment)'
    ])
    const always = parse({
      ...base,
      comment: 'new',
      'comment-on': 'always',
      'github-token': GITHUB_TOKEN
    })
    expect(always.comment).toMatchObject({ mode: 'new', on: 'always' })
  })

  it.each([
    [
      'https://api.cloudflare.com/client/v4',
      'https://api.cloudflare.com/client/v4'
    ],
    [
      'https://api.cloudflare.com/client/v4/',
      'https://api.cloudflare.com/client/v4'
    ],
    ['http://127.0.0.1:8787/client/v4', 'http://127.0.0.1:8787/client/v4'],
    ['http://localhost:8787/client/v4', 'http://localhost:8787/client/v4'],
    ['http://LOCALHOST:8787', 'http://localhost:8787'],
    ['http://127.1.2.3/client/v4', 'http://127.1.2.3/client/v4'],
    ['http://[::1]:8787/client/v4', 'http://[::1]:8787/client/v4'],
    ['https://proxy.example.com', 'https://proxy.example.com']
  ])('api-url %p is used as %p (no trailing slash)', (value, url) => {
    expect(parse({ ...base, 'api-url': value }).apiUrl).toBe(url)
  })
})

describe('parseConfig: api-url to every loopback address', () => {
  it.each([
    'http://127.10.20.30/client/v4',
    'http://127.0.200.1/client/v4',
    'http://127.0.0.254/client/v4'
  ])('accepts http:// to %p', (value) => {
    expect(parse({ ...base, 'api-url': value }).apiUrl).toBe(value)
  })
})

describe('parseConfig: credentials and the environment', () => {
  const { 'api-token': _token, 'account-id': _account, ...noCreds } = base

  it('takes the token from CLOUDFLARE_API_TOKEN when api-token is empty', () => {
    expect(
      parse(
        { ...noCreds, 'account-id': 'acc' },
        { CLOUDFLARE_API_TOKEN: 'env-token' }
      ).auth
    ).toEqual({ kind: 'token', token: 'env-token' })
  })

  it('takes the account from CLOUDFLARE_ACCOUNT_ID when account-id is empty', () => {
    expect(
      parse(
        { ...noCreds, 'api-token': TOKEN },
        { CLOUDFLARE_ACCOUNT_ID: 'env-account' }
      ).accountId
    ).toBe('env-account')
  })

  it('prefers the inputs over the environment', () => {
    const config = parse(base, {
      CLOUDFLARE_API_TOKEN: 'env-token',
      CLOUDFLARE_ACCOUNT_ID: 'env-account'
    })
    expect(config.auth).toEqual({ kind: 'token', token: TOKEN })
    expect(config.accountId).toBe('acc-123')
  })

  it('uses the token, not the legacy pair, when both are given', () => {
    const config = parse({
      ...base,
      'api-email': 'me@example.com',
      'api-key': GLOBAL_KEY
    })
    expect(config.auth).toEqual({ kind: 'token', token: TOKEN })
  })

  it('uses the token from the environment over the legacy pair', () => {
    const config = parse(
      {
        ...noCreds,
        'account-id': 'acc',
        'api-email': 'me@example.com',
        'api-key': GLOBAL_KEY
      },
      { CLOUDFLARE_API_TOKEN: 'env-token' }
    )
    expect(config.auth).toEqual({ kind: 'token', token: 'env-token' })
  })

  it('uses the legacy pair when there is no token', () => {
    const config = parse({
      ...noCreds,
      'account-id': 'acc',
      'api-email': 'me@example.com',
      'api-key': GLOBAL_KEY
    })
    expect(config.auth).toEqual({
      kind: 'global-key',
      email: 'me@example.com',
      key: GLOBAL_KEY
    })
  })

  it('ignores a whitespace-only token', () => {
    const error = configError({ ...base, 'api-token': '   ' })
    expect(error.problems).toEqual([expect.stringContaining('no credentials')])
  })
})

// [input, value, what the reason says]
const badValues: [InputName, string, RegExp][] = [
  ['max-cost', 'cheap', /not an amount in USD/],
  ['max-cost', '-0.05', /not an amount in USD/],
  ['max-cost', '$-1', /not an amount in USD/],
  ['max-cost', 'NaN', /not an amount in USD/],
  ['max-cost', 'Infinity', /not an amount in USD/],
  ['max-cost', '0,05', /not an amount in USD/],
  ['max-cost', '0.05 EUR', /not an amount in USD/],
  ['max-duration', 'fast', /not a duration/],
  ['max-duration', '-100', /is negative/],
  ['max-duration', '-2s', /is negative/],
  ['max-duration', 'NaN', /not a duration/],
  ['max-duration', '5h', /unknown unit "h"/],
  ['max-duration', '2parsecs', /unknown unit "parsecs"/],
  ['max-duration', '1.2.3s', /not a duration/],
  ['max-tokens-in', '1.5', /not a whole number of tokens/],
  ['max-tokens-in', '-1', /not a whole number of tokens/],
  ['max-tokens-in', 'NaN', /not a whole number of tokens/],
  ['max-tokens-in', 'lots', /not a whole number of tokens/],
  ['max-tokens-in', '9007199254740993', /not a whole number of tokens/],
  ['max-tokens-out', '0.5', /not a whole number of tokens/],
  ['max-tokens-out', '1e3', /not a whole number of tokens/],
  [
    'expected-status',
    '99',
    /has "99": use status codes 100-599 or classes 1xx-5xx/
  ],
  ['expected-status', '600', /has "600"/],
  ['expected-status', '7xx', /has "7xx"/],
  ['expected-status', '0xx', /has "0xx"/],
  ['expected-status', '2000', /has "2000"/],
  ['expected-status', 'ok', /has "ok"/],
  ['expected-status', '200, 6xx', /has "6xx"/],
  ['expected-status', '200,', /has an empty entry/],
  ['expected-status', '200,,429', /has an empty entry/],
  ['expected-status', ',200', /has an empty entry/],
  ['require-success', 'yes', /not a boolean/],
  ['require-success', 'tRuE', /not a boolean/],
  ['fail-on-breach', 'no', /not a boolean/],
  ['fail-on-breach', '0', /not a boolean/],
  ['job-summary', 'on', /not a boolean/],
  ['wait-timeout', '-1', /not a number of seconds from 0 to 600/],
  ['wait-timeout', 'soon', /not a number of seconds/],
  ['wait-timeout', 'NaN', /not a number of seconds/],
  ['wait-timeout', '601', /not a number of seconds from 0 to 600/],
  ['wait-timeout', '11m', /not a number of seconds from 0 to 600/],
  ['request-timeout', '0', /not a number of seconds/],
  ['request-timeout', '-5', /not a number of seconds/],
  ['request-timeout', '301', /not a number of seconds/],
  ['max-retries', '1.5', /not a whole number from 0 to 10/],
  ['max-retries', '-1', /not a whole number from 0 to 10/],
  ['max-retries', '11', /not a whole number from 0 to 10/],
  ['max-retries', 'many', /not a whole number/],
  ['comment', 'maybe', /not one of off, update, new/],
  ['comment-on', 'fail', /is not one of always, breach/],
  ['comment-on', 'never', /is not one of always, breach/],
  ['pr-number', '0', /is not a pull request number \(a whole number from 1\)/],
  ['pr-number', '-3', /is not a pull request number/],
  ['pr-number', '4.2', /is not a pull request number/],
  ['pr-number', '#42', /is not a pull request number/],
  ['pr-number', '1e3', /is not a pull request number/],
  ['pr-number', '99999999999999999999', /is not a pull request number/],
  ['pr-number', '42; rm -rf /', /is not a pull request number/],
  ['api-url', 'ftp://x', /must be an http\(s\) URL/],
  ['api-url', 'file:///etc/passwd', /must be an http\(s\) URL/],
  ['api-url', 'javascript:alert(1)', /must be an http\(s\) URL/],
  ['api-url', 'not a url', /is not a URL/],
  [
    'api-url',
    'https://api.example.com/v4?',
    /must not have a query or fragment \(not even a bare \? or #\)/
  ],
  [
    'api-url',
    'https://api.example.com/v4#',
    /must not have a query or fragment/
  ],
  [
    'api-url',
    'http://api.example.com/v4',
    /must be https: http:\/\/ would send the credentials in clear/
  ],
  ['gateway-id', 'g'.repeat(65), /longer than 64 characters/]
]

describe('parseConfig: a bad value names the input and quotes the value', () => {
  it.each(badValues)('%s %p', (name, value, why) => {
    const error = configError({ ...base, [name]: value })
    expect(error.problems).toHaveLength(1)
    const [problem] = error.problems
    expect(problem).toContain(`${name} ${JSON.stringify(value.trim())}`)
    expect(problem).toMatch(why)
    expect(error.message).toBe(`Invalid input: ${problem}`)
  })

  it('accepts a gateway-id of exactly 64 characters', () => {
    expect(parse({ ...base, 'gateway-id': 'g'.repeat(64) }).gatewayId).toBe(
      'g'.repeat(64)
    )
  })

  it('shortens a very long bad value in the message', () => {
    const logId = 'L'.repeat(300)
    const error = configError({ ...base, 'log-id': logId })
    expect(error.problems).toEqual([
      `log-id ${JSON.stringify(`${'L'.repeat(80)}…`)} is longer than 256 characters`
    ])
  })

  it('keeps a control character in a quoted value visible and on one line', () => {
    const error = configError({ ...base, 'max-cost': '0.05\nrm -rf' })
    expect(error.message).toContain('max-cost "0.05\\nrm -rf"')
    expect(error.message).not.toContain('\n')
  })

  it('does not quote the credentials of an api-url back', () => {
    const error = configError({
      ...base,
      'api-url': 'https://user:hunter2pass@api.example.com/v4'
    })
    expect(error.problems).toEqual([
      expect.stringMatching(/^api-url "\(hidden\)" must not carry credentials/)
    ])
    expect(error.message).not.toContain('hunter2pass')
  })
})

describe('parseConfig: the whole message of a bad limit or timeout', () => {
  it.each([
    [
      'max-cost',
      '-0.05',
      'max-cost "-0.05" is negative: is not an amount in USD (e.g. 0.05 or $0.05)'
    ],
    [
      'max-cost',
      '- $ .5',
      'max-cost "- $ .5" is negative: is not an amount in USD (e.g. 0.05 or $0.05)'
    ],
    [
      'max-cost',
      '-$1',
      'max-cost "-$1" is negative: is not an amount in USD (e.g. 0.05 or $0.05)'
    ],
    [
      'max-cost',
      '1-2',
      'max-cost "1-2" is not an amount in USD (e.g. 0.05 or $0.05)'
    ],
    [
      'max-cost',
      '-x1',
      'max-cost "-x1" is not an amount in USD (e.g. 0.05 or $0.05)'
    ],
    [
      'max-cost',
      '-$x1',
      'max-cost "-$x1" is not an amount in USD (e.g. 0.05 or $0.05)'
    ],
    [
      'max-tokens-in',
      '-1',
      'max-tokens-in "-1" is negative: is not a whole number of tokens (e.g. 4000)'
    ],
    [
      'max-tokens-out',
      '-',
      'max-tokens-out "-" is not a whole number of tokens (e.g. 4000)'
    ],
    [
      'request-timeout',
      '0',
      'request-timeout "0" is not a number of seconds from 0.001 to 300 (e.g. 30, 45s, 1m)'
    ],
    [
      'wait-timeout',
      '601',
      'wait-timeout "601" is not a number of seconds from 0 to 600 (e.g. 30, 45s, 1m)'
    ]
  ] as const)('%s %p', (name, value, problem) => {
    expect(configError({ ...base, [name]: value }).problems).toEqual([problem])
  })
})

describe('parseConfig: missing inputs', () => {
  it.each([
    ['gateway-id', ''],
    ['gateway-id', '   '],
    ['log-id', ''],
    ['log-id', '\t'],
    ['account-id', ''],
    ['account-id', '  ']
  ] as const)('%s %p is reported as required', (name, value) => {
    const error = configError({ ...base, [name]: value })
    expect(error.problems).toEqual([
      expect.stringMatching(new RegExp(`^${name} is required`))
    ])
  })

  it('reports missing credentials, naming the inputs and the environment variable', () => {
    const { 'api-token': _token, ...inputs } = base
    const error = configError(inputs)
    expect(error.problems).toHaveLength(1)
    expect(error.problems[0]).toMatch(/no credentials/)
    expect(error.problems[0]).toContain('api-token')
    expect(error.problems[0]).toContain('CLOUDFLARE_API_TOKEN')
    expect(error.problems[0]).toContain('api-email')
  })

  it.each([
    [{ 'api-email': 'me@example.com' }, 'api-key is required with api-email'],
    [{ 'api-key': GLOBAL_KEY }, 'api-email is required with api-key']
  ])('reports half of the legacy pair %p', (pair, message) => {
    const { 'api-token': _token, ...inputs } = base
    const error = configError({ ...inputs, ...pair })
    expect(error.problems).toEqual([expect.stringContaining(message)])
    expect(error.message).not.toContain(GLOBAL_KEY)
  })

  it.each(['update', 'new'])(
    'requires github-token when comment is %p',
    (mode) => {
      const error = configError({ ...base, comment: mode })
      expect(error.problems).toEqual([
        `github-token is required when comment is ${mode}`
      ])
    }
  )
})

describe('parseConfig: every bad input at once', () => {
  const everythingBad: Inputs = Object.fromEntries(
    badValues.map(([name, value]) => [name, value])
  )

  it('reports every bad input in one error, each naming its input', () => {
    // One bad value per input (the table's last for each name), plus the missing required ones.
    const inputs: Inputs = { ...everythingBad, 'api-token': TOKEN }
    const error = configError(inputs)
    const named = new Set(Object.keys(everythingBad))
    // +2: log-id and account-id are missing
    expect(error.problems).toHaveLength(named.size + 2)
    for (const [name, value] of Object.entries(everythingBad)) {
      expect(
        error.problems.some((p) =>
          p.startsWith(`${name} ${JSON.stringify(value)}`)
        )
      ).toBe(true)
    }
    expect(error.problems).toContainEqual(
      expect.stringMatching(/^log-id is required/)
    )
    expect(error.problems).toContainEqual(
      expect.stringMatching(/^account-id is required/)
    )
    expect(error.message).toMatch(/^Invalid inputs: /)
    for (const problem of error.problems)
      expect(error.message).toContain(problem)
  })

  it('reports missing credentials together with bad values', () => {
    const error = configError({ 'max-cost': 'cheap', 'max-duration': '5h' })
    expect(error.problems).toEqual([
      expect.stringMatching(/^no credentials/),
      expect.stringMatching(/^account-id is required/),
      expect.stringMatching(/^gateway-id is required/),
      expect.stringMatching(/^log-id is required/),
      expect.stringMatching(/^max-cost "cheap"/),
      expect.stringMatching(/^max-duration "5h"/)
    ])
  })

  it.each([
    [
      'api-token input',
      { ...everythingBad, 'api-token': TOKEN, 'github-token': GITHUB_TOKEN },
      {}
    ],
    [
      'CLOUDFLARE_API_TOKEN',
      { ...everythingBad, 'github-token': GITHUB_TOKEN },
      { CLOUDFLARE_API_TOKEN: TOKEN }
    ],
    [
      'legacy pair',
      {
        ...everythingBad,
        'api-email': 'me@example.com',
        'api-key': GLOBAL_KEY,
        'github-token': GITHUB_TOKEN
      },
      {}
    ],
    [
      'token in a bad api-url',
      {
        ...base,
        'api-url': `https://${TOKEN}@api.example.com`,
        'max-cost': 'x'
      },
      {}
    ],
    [
      'token as the api-url password',
      {
        ...base,
        'api-url': `https://user:${TOKEN}@api.example.com`,
        'max-cost': 'x'
      },
      {}
    ]
  ])(
    'never puts a secret in the message (%s)',
    (_case, inputs: Inputs, env: NodeJS.ProcessEnv) => {
      const error = configError(inputs, env)
      expect(error.problems.length).toBeGreaterThan(0)
      for (const secret of [TOKEN, GLOBAL_KEY, GITHUB_TOKEN]) {
        expect(error.message).not.toContain(secret)
        expect(error.problems.join('\n')).not.toContain(secret)
      }
    }
  )
})

describe('parseConfig: problems found by the other parsers join the rest', () => {
  it('reports a bad thresholds line with the other bad inputs, in one message', () => {
    const error = configError({
      ...base,
      'max-cost': 'cheap',
      thresholds: 'cost <= lots'
    })
    const problems = [
      'max-cost "cheap" is not an amount in USD (e.g. 0.05 or $0.05)',
      'thresholds line 1 "cost <= lots" cost takes an amount in USD ($2.00, 2.00 or 2 USD), not "lots"'
    ]
    expect(error.problems).toEqual(problems)
    expect(error.message).toBe(`Invalid inputs: ${problems.join('; ')}`)
  })
})

describe('parseConfig: limits too large to be numbers', () => {
  it.each([
    ['max-cost', /max-cost "9{80}…" is not an amount in USD/],
    ['max-duration', /max-duration "9{80}…" is too large/]
  ])(
    'rejects a %s that would be Infinity, rather than checking nothing',
    (name, message) => {
      const error = configError({ ...base, [name]: '9'.repeat(400) })
      expect(error.problems).toHaveLength(1)
      expect(error.problems[0]).toMatch(message)
    }
  )
})

describe('parseConfig: ids that would leave their path segment', () => {
  it.each([
    ['log-id', '..'],
    ['log-id', '.'],
    ['gateway-id', '..'],
    ['account-id', '..']
  ])('rejects %s %p: URL parsers read %%2E%%2E as ..', (name, value) => {
    const error = configError({ ...base, [name]: value })
    expect(error.problems).toEqual([
      `${name} ${JSON.stringify(value)} is not an id`
    ])
  })

  it('accepts ids that only contain dots among other characters', () => {
    expect(parse({ ...base, 'log-id': '../../user/tokens' }).selection).toEqual(
      { kind: 'log', logId: '../../user/tokens' }
    )
  })
})

describe('parseConfig: ids with dots that stay in their path segment', () => {
  it.each(['v1.', 'a..', '.hidden', '1.2.3'])('accepts log-id %p', (logId) => {
    expect(parse({ ...base, 'log-id': logId }).selection).toEqual({
      kind: 'log',
      logId
    })
  })
})

describe('parseConfig: an api-url of slashes', () => {
  it('drops every trailing slash', () => {
    expect(
      parse({ ...base, 'api-url': 'https://proxy.example.com/v4///' }).apiUrl
    ).toBe('https://proxy.example.com/v4')
  })

  it('reads a long run of slashes in well under a second (a /\\/+$/ pattern retries from each of them)', () => {
    const value = `https://proxy.example.com/${'/'.repeat(100_000)}v4`
    let apiUrl = ''
    expect(
      elapsedMs(() => (apiUrl = parse({ ...base, 'api-url': value }).apiUrl))
    ).toBeLessThan(LINEAR_CPU_MS)
    expect(apiUrl).toBe(value)
  })
})

describe('parseConfig: api-url holes', () => {
  it.each([
    [
      'https://api.example.com/v4?token=SECRET-QUERY-VALUE',
      'https://api.example.com/v4?…'
    ],
    [
      'https://api.example.com/v4#frag-SECRET-QUERY-VALUE',
      'https://api.example.com/v4#…'
    ],
    [
      'ftp://api.example.com/?key=SECRET-QUERY-VALUE',
      'ftp://api.example.com/?…'
    ],
    ['https://exa mple.com/?key=SECRET-QUERY-VALUE', 'https://exa mple.com/?…'],
    ['https://user:SECRET-QUERY-VALUE@exa mple.com/', 'https://…@exa mple.com/']
  ])('never quotes the query, fragment or user of %p back', (value, shown) => {
    const error = configError({ ...base, 'api-url': value })
    expect(error.problems).toHaveLength(1)
    expect(error.problems[0]).toContain(`api-url ${JSON.stringify(shown)}`)
    expect(error.message).not.toContain('SECRET-QUERY-VALUE')
  })

  it.each([
    'http://api.cloudflare.com/client/v4',
    'http://10.0.0.1/client/v4',
    'http://localhost.evil.example/client/v4',
    'http://127.0.0.1.evil.example/client/v4',
    'http://[::2]/client/v4',
    'http://[::ffff:127.0.0.1]/client/v4'
  ])('refuses http:// to %p, a host that is not loopback', (value) => {
    const error = configError({ ...base, 'api-url': value })
    expect(error.problems).toEqual([
      expect.stringMatching(
        /must be https: .*allowed only for localhost, 127\.0\.0\.0\/8 and ::1/
      )
    ])
  })

  it('refuses a dangling ? or # that the URL parser would drop', () => {
    expect(new URL('https://api.example.com/v4?').search).toBe('') // why the raw text is checked
    for (const value of [
      'https://api.example.com/v4?',
      'https://api.example.com/v4/#',
      'https://api.example.com/v4?#'
    ]) {
      expect(configError({ ...base, 'api-url': value }).problems).toEqual([
        expect.stringContaining('must not have a query or fragment')
      ])
    }
  })
})

describe('parseConfig: an api-url with half of a user:password', () => {
  it.each([
    'https://user@api.example.com/client/v4',
    'https://:pw-SECRET@api.example.com/client/v4'
  ])('refuses %p, never quoting it', (value) => {
    expect(configError({ ...base, 'api-url': value }).problems).toEqual([
      'api-url "(hidden)" must not carry credentials; use api-token'
    ])
  })
})

describe('parseConfig: an api-url that is not a URL keeps its password out of the message', () => {
  it.each([
    [
      '"https://user:pw-SECRET@api.example.com/v4"',
      '"\\"https://…@api.example.com/v4\\""'
    ],
    ['https:user:pw-SECRET@exa mple.com/', '"…@exa mple.com/"']
  ])('%p is quoted as %s', (value, shown) => {
    const error = configError({ ...base, 'api-url': value })
    expect(error.problems).toEqual([
      `api-url ${shown} is not a URL (e.g. https://api.cloudflare.com/client/v4)`
    ])
    expect(error.message).not.toContain('SECRET')
  })
})

describe('parseConfig: credentials that cannot be sent in a header', () => {
  const { 'api-token': _token, ...noToken } = base
  const secretish = 'tok-SECRET-VALUE'
  it.each([
    ['api-token', { ...base, 'api-token': `${secretish}\nX-Injected: 1` }, {}],
    ['api-token', { ...base, 'api-token': `${secretish}é` }, {}],
    ['api-token', { ...base, 'api-token': `${secretish}\u0000` }, {}],
    ['api-token', { ...base, 'api-token': `${secretish}\ttab` }, {}],
    ['api-token', { ...base, 'api-token': `${secretish}\u202e` }, {}],
    [
      'the CLOUDFLARE_API_TOKEN environment variable',
      noToken,
      { CLOUDFLARE_API_TOKEN: `${secretish}\r\nX: 1` }
    ],
    [
      'api-email',
      {
        ...noToken,
        'api-email': `me${secretish}@exämple.com`,
        'api-key': GLOBAL_KEY
      },
      {}
    ],
    [
      'api-key',
      {
        ...noToken,
        'api-email': 'me@example.com',
        'api-key': `${secretish}\u0085`
      },
      {}
    ]
  ])(
    'is an input error naming %s, never the value',
    (name, inputs: Inputs, env: NodeJS.ProcessEnv) => {
      const error = configError(inputs, env)
      expect(error.problems).toEqual([
        `${name} has a character that cannot be sent in an HTTP header (a line break, another control character or a non-ASCII character); the value is not shown`
      ])
      expect(error.message).not.toContain(secretish)
    }
  )

  it('does not check the legacy pair when a token is used', () => {
    expect(
      parse({ ...base, 'api-email': 'mé@example.com', 'api-key': 'k\u0000' })
        .auth
    ).toEqual({ kind: 'token', token: TOKEN })
  })

  it('accepts every visible ASCII character and inner spaces', () => {
    const token =
      Array.from({ length: 0x7f - 0x21 }, (_, i) =>
        String.fromCharCode(0x21 + i)
      ).join('') + ' x'
    expect(parse({ ...base, 'api-token': token }).auth).toEqual({
      kind: 'token',
      token
    })
  })
})

describe('parseConfig: the baseline', () => {
  const run: Inputs = { ...base, 'log-id': '', 'run-id': 'gh-4242-2' }
  /** What a runner sets for run 4242, attempt 2, of eval.yml on a pull request. */
  const runner: NodeJS.ProcessEnv = {
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '2',
    GITHUB_REPOSITORY: 'octo-org/evals',
    GITHUB_WORKFLOW_REF:
      'octo-org/evals/.github/workflows/eval.yml@refs/pull/7/merge',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: '/home/runner/work/_temp/_github_workflow/event.json'
  }
  const baseBranch: Inputs = {
    ...run,
    baseline: 'base-branch',
    'github-token': GITHUB_TOKEN
  }

  it('is not read when neither baseline input is set', () => {
    expect(parse(run).baseline).toBeNull()
  })

  it('takes an explicit baseline-run-id, read with the run-id-key of the run', () => {
    expect(parse({ ...run, 'baseline-run-id': 'gh-4000-1' }).baseline).toEqual({
      source: { kind: 'run-id', value: 'gh-4000-1' },
      required: false
    })
    expect(
      parse({
        ...run,
        'baseline-run-id': 'gh-4000-1',
        'baseline-required': 'true'
      }).baseline?.required
    ).toBe(true)
  })

  it("reads base-branch's needs from the runner's environment", () => {
    expect(parse(baseBranch, runner).baseline).toEqual({
      source: {
        kind: 'base-branch',
        lookup: {
          apiUrl: 'https://api.github.com',
          token: GITHUB_TOKEN,
          owner: 'octo-org',
          repo: 'evals',
          workflowFile: 'eval.yml',
          runId: 4242,
          runAttempt: 2,
          serverUrl: 'https://github.com',
          eventName: 'pull_request',
          eventPath: '/home/runner/work/_temp/_github_workflow/event.json'
        }
      },
      required: false
    })
  })

  it('takes GitHub Enterprise Server URLs and defaults to github.com', () => {
    const ghes = {
      ...runner,
      GITHUB_API_URL: 'https://ghes.example.com/api/v3/',
      GITHUB_SERVER_URL: 'https://ghes.example.com'
    }
    expect(
      parse({ ...baseBranch, baseline: 'Base-Branch' }, ghes).baseline?.source
    ).toMatchObject({
      lookup: {
        apiUrl: 'https://ghes.example.com/api/v3',
        serverUrl: 'https://ghes.example.com'
      }
    })
    const { GITHUB_API_URL: _api, GITHUB_SERVER_URL: _server, ...bare } = runner
    expect(parse(baseBranch, bare).baseline?.source).toMatchObject({
      lookup: {
        apiUrl: 'https://api.github.com',
        serverUrl: 'https://github.com'
      }
    })
  })

  it('links no run when GITHUB_SERVER_URL is not a usable URL, and still reads the baseline', () => {
    expect(
      parse(baseBranch, { ...runner, GITHUB_SERVER_URL: 'javascript:alert(1)' })
        .baseline?.source
    ).toMatchObject({ lookup: { serverUrl: null } })
  })

  it.each<[string, Inputs, NodeJS.ProcessEnv, string[]]>([
    [
      'a baseline value that is not base-branch',
      { ...run, baseline: 'main' },
      runner,
      [
        'baseline "main" is not base-branch or previous-window (to name the run to compare with, use baseline-run-id)'
      ]
    ],
    [
      'both ways at once',
      { ...baseBranch, 'baseline-run-id': 'gh-1-1' },
      runner,
      [
        'baseline-run-id and baseline both name the run to compare with: set one of them'
      ]
    ],
    [
      'a baseline of one log',
      { ...base, 'baseline-run-id': 'gh-1-1' },
      {},
      [
        'baseline-run-id compares an eval run with another, so it needs run-id, not log-id'
      ]
    ],
    [
      'a baseline of a window',
      {
        ...base,
        'log-id': '',
        since: '24h',
        baseline: 'base-branch',
        'github-token': GITHUB_TOKEN
      },
      runner,
      [
        'baseline compares an eval run with another, so it needs run-id, not since'
      ]
    ],
    [
      'a baseline that is the run itself',
      { ...run, 'baseline-run-id': 'gh-4242-2' },
      {},
      ['baseline-run-id "gh-4242-2" is the run itself (run-id)']
    ],
    [
      'a baseline-run-id too long',
      { ...run, 'baseline-run-id': 'b'.repeat(257) },
      {},
      [`baseline-run-id "${'b'.repeat(80)}…" is longer than 256 characters`]
    ],
    [
      'baseline-required without a baseline',
      { ...run, 'baseline-required': 'true' },
      {},
      [
        'baseline-required asks for a baseline that is not named: set baseline-run-id, or baseline: base-branch or previous-window'
      ]
    ],
    [
      'baseline-required that is not a boolean',
      { ...run, 'baseline-run-id': 'gh-1-1', 'baseline-required': 'yes' },
      {},
      ['baseline-required "yes" is not a boolean (true or false)']
    ],
    [
      'a threshold that compares with a baseline that is not named',
      { ...run, thresholds: 'count >= 1\ncost <= baseline + 10%' },
      {},
      [
        'thresholds "cost <= baseline + 10%" compares with the baseline: set baseline-run-id, or baseline: base-branch or previous-window'
      ]
    ],
    [
      'base-branch without github-token',
      { ...baseBranch, 'github-token': '' },
      runner,
      [
        'baseline: base-branch needs github-token (with "actions: read") to find the base branch\'s latest runs'
      ]
    ],
    [
      'base-branch with a run-id that does not hold the run id',
      { ...baseBranch, 'run-id': 'nightly-2' },
      runner,
      [
        'run-id "nightly-2" does not hold this run\'s id (GITHUB_RUN_ID 4242), so baseline: base-branch cannot work out the base branch\'s run id from it: use a form such as gh-${{ github.run_id }}-${{ github.run_attempt }}'
      ]
    ],
    [
      'base-branch with a run-id that holds the run id only inside a longer number',
      { ...baseBranch, 'run-id': 'gh-42420-2' },
      runner,
      [
        expect.stringMatching(
          /^run-id "gh-42420-2" does not hold this run's id/
        ) as unknown as string
      ]
    ],
    [
      'base-branch outside a runner',
      baseBranch,
      {},
      [
        "baseline: base-branch needs GITHUB_RUN_ID, which is not set (it is set on GitHub's runners; elsewhere, name the run with baseline-run-id)",
        "baseline: base-branch needs GITHUB_RUN_ATTEMPT, which is not set (it is set on GitHub's runners; elsewhere, name the run with baseline-run-id)",
        "baseline: base-branch needs GITHUB_REPOSITORY as owner/name, which is not set (it is set on GitHub's runners; elsewhere, name the run with baseline-run-id)",
        "baseline: base-branch needs the workflow's file from GITHUB_WORKFLOW_REF (owner/repo/.github/workflows/<file>.yml@<ref>), which is not set"
      ]
    ],
    [
      'base-branch with a GITHUB_RUN_ID that is not a run id',
      baseBranch,
      { ...runner, GITHUB_RUN_ID: '42x' },
      [
        'baseline: base-branch needs GITHUB_RUN_ID, which is "42x" (it is set on GitHub\'s runners; elsewhere, name the run with baseline-run-id)'
      ]
    ],
    [
      'base-branch with a GITHUB_WORKFLOW_REF that names no workflow file',
      baseBranch,
      {
        ...runner,
        GITHUB_WORKFLOW_REF: 'octo-org/evals/ci.yml@refs/heads/main'
      },
      [
        'baseline: base-branch needs the workflow\'s file from GITHUB_WORKFLOW_REF (owner/repo/.github/workflows/<file>.yml@<ref>), which is "octo-org/evals/ci.yml@refs/heads/main"'
      ]
    ],
    [
      'base-branch with a GITHUB_API_URL that would send the token in clear',
      baseBranch,
      { ...runner, GITHUB_API_URL: 'http://ghes.example.com/api/v3' },
      [
        'baseline: base-branch needs GITHUB_API_URL to be https (http only to a loopback host), since github-token is sent there; it is "http://ghes.example.com/api/v3"'
      ]
    ]
  ])('refuses %s before any request', (_what, inputs, env, problems) => {
    expect(configError(inputs, env).problems).toEqual(problems)
  })

  it('never quotes github-token in its problems', () => {
    const error = configError(
      { ...baseBranch, 'run-id': 'nightly' },
      {
        ...runner,
        GITHUB_API_URL: `https://x:${GITHUB_TOKEN}@ghes.example.com`
      }
    )
    expect(error.message).not.toContain(GITHUB_TOKEN)
  })
})

describe('parseConfig: selecting calls', () => {
  const noLog: Inputs = { ...base, 'log-id': '' }

  it.each<[string, Inputs, string[]]>([
    [
      'log-id with log-ids',
      { ...base, 'log-ids': 'a,b' },
      [
        'log-id and log-ids are different ways to select calls: set one of them (run-id and since go together)'
      ]
    ],
    [
      'log-ids with run-id and since',
      { ...noLog, 'log-ids': 'a', 'run-id': 'r1', since: '24h' },
      [
        'log-ids and run-id and since are different ways to select calls: set one of them (run-id and since go together)'
      ]
    ],
    [
      'until with log-id',
      { ...base, until: '1h' },
      ['until refines run-id or since, not log-id']
    ],
    [
      'filters with log-id',
      { ...base, filters: '[]' },
      ['filters refines run-id or since, not log-id']
    ],
    [
      'until and filters with log-ids',
      { ...noLog, 'log-ids': 'a b', until: '1h', filters: '[]' },
      ['until and filters refine run-id or since, not log-ids']
    ],
    [
      'a log-ids entry that is not an id',
      { ...noLog, 'log-ids': '.., abc' },
      ['log-ids has "..", which is not an id']
    ],
    [
      'a run-id longer than 256 characters',
      { ...noLog, 'run-id': 'r'.repeat(257) },
      [`run-id "${'r'.repeat(80)}…" is longer than 256 characters`]
    ],
    [
      'a run-id-key longer than 256 characters',
      { ...noLog, 'run-id': 'r1', 'run-id-key': 'k'.repeat(257) },
      [`run-id-key "${'k'.repeat(80)}…" is longer than 256 characters`]
    ],
    [
      'until without since',
      { ...noLog, 'run-id': 'r1', until: '1h' },
      ['until ends a window that since starts: set since too']
    ],
    [
      'a since that is not a time',
      { ...noLog, since: 'yesterday' },
      [
        'since "yesterday" is not a time: use 30m, 24h, 7d (back from now) or an ISO 8601 time such as 2026-11-25T09:30:00Z'
      ]
    ],
    [
      'filters that are not an array',
      { ...noLog, 'run-id': 'r1', filters: '{}' },
      [
        'filters "{}" must be a JSON array of {"key": …, "operator": …, "value": […]} objects'
      ]
    ]
  ])('refuses %s', (_what, inputs, problems) => {
    expect(configError(inputs).problems).toEqual(problems)
  })

  it('takes run-id and since together as one selection: the run within the window', () => {
    expect(
      parse({ ...noLog, 'run-id': 'r1', since: '24h', until: '1h' }).selection
    ).toEqual({
      kind: 'list',
      run: { key: 'run_id', value: 'r1' },
      window: {
        sinceMs: NOW_MS - 24 * 3_600_000,
        untilMs: NOW_MS - 3_600_000
      },
      filters: []
    })
  })

  it('takes a run-id and a run-id-key of exactly 256 characters', () => {
    const value = 'r'.repeat(256)
    const key = 'k'.repeat(256)
    expect(
      parse({ ...noLog, 'run-id': value, 'run-id-key': key }).selection
    ).toMatchObject({ kind: 'list', run: { key, value } })
  })
})

describe('parseConfig: reading many calls', () => {
  const run: Inputs = { ...base, 'log-id': '', 'run-id': 'r1' }

  it('reads up to 5000 calls and settles for 5 s by default', () => {
    expect(parse(run).reading).toStrictEqual({ maxLogs: 5000, settleMs: 5000 })
  })

  it.each([
    ['1', 1],
    ['10000', 10_000]
  ])('takes max-logs %p', (value, maxLogs) => {
    expect(parse({ ...run, 'max-logs': value }).reading.maxLogs).toBe(maxLogs)
  })

  it.each(['0', '10001', '2.5', 'all'])('refuses max-logs %p', (value) => {
    expect(configError({ ...run, 'max-logs': value }).problems).toEqual([
      `max-logs ${JSON.stringify(value)} is not a whole number from 1 to 10000`
    ])
  })

  it('takes as many log-ids as request-budget allows, and refuses one more before any request, suggesting run-id', () => {
    const inputs: Inputs = { ...base, 'log-id': '', 'request-budget': '3' }
    expect(parse({ ...inputs, 'log-ids': 'a b c' }).selection).toEqual({
      kind: 'logs',
      logIds: ['a', 'b', 'c']
    })
    expect(configError({ ...inputs, 'log-ids': 'a b c d' }).problems).toEqual([
      'log-ids has 4 ids, more than request-budget (3) allows: each id costs at least one request. For many calls use run-id (the list endpoint reads 50 calls a request), or raise request-budget (at most 1200)'
    ])
  })

  it('measures log-ids against the default request-budget of 300, counting repeats once', () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `id-${i}`)
    const inputs: Inputs = { ...base, 'log-id': '' }
    expect(
      parse({ ...inputs, 'log-ids': [...ids(300), 'ID-0'].join(',') }).selection
    ).toMatchObject({ kind: 'logs' })
    expect(
      configError({ ...inputs, 'log-ids': ids(301).join('\n') }).problems
    ).toEqual([
      'log-ids has 301 ids, more than request-budget (300) allows: each id costs at least one request. For many calls use run-id (the list endpoint reads 50 calls a request), or raise request-budget (at most 1200)'
    ])
  })

  it('says only that request-budget is bad when it is, not that log-ids is over it', () => {
    expect(
      configError({
        ...base,
        'log-id': '',
        'log-ids': 'a b',
        'request-budget': '0'
      }).problems
    ).toEqual(['request-budget "0" is not a whole number from 1 to 1200'])
  })

  it('takes as many log-ids as max-logs, and refuses one more', () => {
    const inputs: Inputs = { ...base, 'log-id': '', 'max-logs': '2' }
    expect(parse({ ...inputs, 'log-ids': 'a b' }).selection).toEqual({
      kind: 'logs',
      logIds: ['a', 'b']
    })
    expect(configError({ ...inputs, 'log-ids': 'a b c' }).problems).toEqual([
      'log-ids has 3 ids, more than max-logs (2)'
    ])
  })

  it('takes expected-logs from 0 to max-logs, and settle', () => {
    expect(
      parse({ ...run, 'max-logs': '5', 'expected-logs': '5', settle: '10s' })
        .reading
    ).toStrictEqual({ maxLogs: 5, expectedLogs: 5, settleMs: 10_000 })
    expect(parse({ ...run, 'expected-logs': '0' }).reading.expectedLogs).toBe(0)
  })

  it.each<[string, Inputs, string[]]>([
    [
      'expected-logs above max-logs',
      { ...run, 'max-logs': '5', 'expected-logs': '6' },
      ['expected-logs "6" is not a whole number from 0 to max-logs (5)']
    ],
    [
      'expected-logs that is not a whole number',
      { ...run, 'expected-logs': 'some' },
      ['expected-logs "some" is not a whole number from 0 to max-logs (5000)']
    ],
    [
      'a settle that is not a time, even where settle is ignored',
      { ...base, settle: 'soon' },
      [
        'settle "soon" is not a number of seconds from 0 to 60 (e.g. 30, 45s, 1m)'
      ]
    ],
    [
      'a max-logs that is not a number, even where max-logs is ignored',
      { ...base, 'max-logs': 'all' },
      ['max-logs "all" is not a whole number from 1 to 10000']
    ]
  ])('refuses %s', (_what, inputs, problems) => {
    expect(configError(inputs).problems).toEqual(problems)
  })
})

describe('parseConfig: inputs that do not apply to the mode', () => {
  const logIds: Inputs = { ...base, 'log-id': '', 'log-ids': 'a b' }

  it('has no warnings when every input set applies', () => {
    expect(parse(base).warnings).toEqual([])
    expect(parse({ ...logIds, 'max-logs': '10' }).warnings).toEqual([])
    expect(
      parse({
        ...base,
        'log-id': '',
        'run-id': 'r1',
        'run-id-key': 'eval_run',
        'max-logs': '10',
        'expected-logs': '2',
        settle: '1s'
      }).warnings
    ).toEqual([])
  })

  it('warns about max-logs, expected-logs, settle and run-id-key with log-id, naming each and the mode, and reads the log', () => {
    const config = parse({
      ...base,
      'max-logs': '10',
      'expected-logs': '1',
      settle: '1s',
      'run-id-key': 'eval_run'
    })
    expect(config.selection).toEqual({
      kind: 'log',
      logId: '01JADMCQQQBWH3NXZ5GCRN98DP'
    })
    expect(config.warnings).toEqual([
      'run-id-key is ignored: it names the metadata key of run-id, not of log-id',
      'max-logs is ignored: it applies to run-id, since or log-ids, not log-id',
      'expected-logs is ignored: it applies to run-id or since, not log-id',
      'settle is ignored: it applies to run-id or since, not log-id'
    ])
  })

  it('warns about expected-logs, settle and run-id-key with log-ids, and reads the ids', () => {
    const config = parse({
      ...logIds,
      'expected-logs': '2',
      settle: '1s',
      'run-id-key': 'eval_run'
    })
    expect(config.selection).toEqual({ kind: 'logs', logIds: ['a', 'b'] })
    expect(config.warnings).toEqual([
      'run-id-key is ignored: it names the metadata key of run-id, not of log-ids',
      'expected-logs is ignored: it applies to run-id or since, not log-ids',
      'settle is ignored: it applies to run-id or since, not log-ids'
    ])
  })

  it('warns about run-id-key with since alone', () => {
    const config = parse({
      ...base,
      'log-id': '',
      since: '24h',
      'run-id-key': 'eval_run'
    })
    expect(config.selection).toMatchObject({ kind: 'list', run: null })
    expect(config.warnings).toEqual([
      'run-id-key is ignored: it names the metadata key of run-id, which is not set (the calls are selected with since)'
    ])
  })

  it('still refuses two selection modes at once, and until or filters with log-id: they change which calls are meant', () => {
    expect(
      configError({ ...base, 'run-id': 'r1', settle: '1s' }).problems
    ).toEqual([
      'log-id and run-id are different ways to select calls: set one of them (run-id and since go together)'
    ])
    expect(
      configError({ ...base, filters: '[]', 'expected-logs': '1' }).problems
    ).toEqual(['filters refines run-id or since, not log-id'])
  })
})

describe('parseConfig: the comment', () => {
  it('has no pr-number unless one is given', () => {
    expect(parse(base).comment).toStrictEqual({
      mode: 'off',
      key: 'ai-gateway-gate',
      githubToken: '',
      on: 'always'
    })
    expect(parse({ ...base, 'pr-number': '7' }).comment.prNumber).toBe(7)
  })
})

describe('parseConfig: the baseline, more', () => {
  const run: Inputs = { ...base, 'log-id': '', 'run-id': 'gh-4242-2' }
  /** What a runner sets for run 4242, attempt 2, of eval.yml on a pull request. */
  const runner: NodeJS.ProcessEnv = {
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '2',
    GITHUB_REPOSITORY: 'octo-org/evals',
    GITHUB_WORKFLOW_REF:
      'octo-org/evals/.github/workflows/eval.yml@refs/pull/7/merge'
  }
  const baseBranch: Inputs = {
    ...run,
    baseline: 'base-branch',
    'github-token': GITHUB_TOKEN
  }
  const repositoryProblem = (shown: string): string =>
    `baseline: base-branch needs GITHUB_REPOSITORY as owner/name, which is ${shown} (it is set on GitHub's runners; elsewhere, name the run with baseline-run-id)`

  it('refuses a baseline of several log ids, naming log-ids', () => {
    expect(
      configError({
        ...base,
        'log-id': '',
        'log-ids': 'a b',
        'baseline-run-id': 'gh-1-1'
      }).problems
    ).toEqual([
      'baseline-run-id compares an eval run with another, so it needs run-id, not log-ids'
    ])
  })

  it('takes a baseline-run-id of exactly 256 characters', () => {
    const value = 'b'.repeat(256)
    expect(parse({ ...run, 'baseline-run-id': value }).baseline).toEqual({
      source: { kind: 'run-id', value },
      required: false
    })
  })

  it.each(['octo-org', 'octo-org/', '/evals', 'octo-org/evals/extra'])(
    'refuses base-branch with GITHUB_REPOSITORY %p',
    (repository) => {
      expect(
        configError(baseBranch, { ...runner, GITHUB_REPOSITORY: repository })
          .problems
      ).toEqual([repositoryProblem(JSON.stringify(repository))])
    }
  )

  it('reads base-branch without GITHUB_EVENT_NAME as an empty event name, with the github.com URLs by default', () => {
    expect(parse(baseBranch, runner).baseline?.source).toEqual({
      kind: 'base-branch',
      lookup: {
        apiUrl: 'https://api.github.com',
        token: GITHUB_TOKEN,
        owner: 'octo-org',
        repo: 'evals',
        workflowFile: 'eval.yml',
        runId: 4242,
        runAttempt: 2,
        serverUrl: 'https://github.com',
        eventName: '',
        eventPath: undefined
      }
    })
  })
})

describe('parseConfig: required inputs and thresholds, in the exact words', () => {
  it('says where else the account can come from, and that gateway-id is required', () => {
    expect(
      configError({ ...base, 'account-id': '', 'gateway-id': '' }).problems
    ).toEqual([
      'account-id is required (or set the CLOUDFLARE_ACCOUNT_ID environment variable)',
      'gateway-id is required'
    ])
  })

  it('refuses a threshold line it cannot read, naming the line', () => {
    expect(
      configError({
        ...base,
        'log-id': '',
        'run-id': 'r1',
        thresholds: 'cost <= banana'
      }).problems
    ).toEqual([
      'thresholds line 1 "cost <= banana" cost takes an amount in USD ($2.00, 2.00 or 2 USD), not "banana"'
    ])
  })
})

describe('parseConfig: the defaults of fail-on-breach and job-summary, and the request-budget check', () => {
  it('fails on a breach and writes the job summary when neither input is set', () => {
    const config = parse(base)
    expect(config.failOnBreach).toBe(true)
    expect(config.jobSummary).toBe(true)
  })

  it('does not measure log-ids against a request-budget it refused, even past the default of 300', () => {
    const ids = Array.from({ length: 301 }, (_, i) => `id-${i}`).join(' ')
    expect(
      configError({
        ...base,
        'log-id': '',
        'log-ids': ids,
        'request-budget': '0'
      }).problems
    ).toEqual(['request-budget "0" is not a whole number from 1 to 1200'])
  })
})

describe('wantsSummary', () => {
  const raw = (jobSummary: string) =>
    readInputs(reader({ ...base, 'job-summary': jobSummary }), {})

  it('writes the summary when job-summary is not set', () => {
    expect(wantsSummary(raw(''))).toBe(true)
  })

  it('writes the summary when job-summary is not a boolean (the summary reports it)', () => {
    expect(wantsSummary(raw('maybe'))).toBe(true)
  })

  it('follows job-summary when it is a boolean', () => {
    expect(wantsSummary(raw('false'))).toBe(false)
    expect(wantsSummary(raw('TRUE'))).toBe(true)
  })
})
