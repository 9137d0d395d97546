// The action's inputs: their names (the contract with users, action.yml and the tests) and the one
// place they are read. Everything else gets the raw record that readInputs returns.
/** Input names: the contract with users (action.yml) and with the tests. */
export const INPUT = {
  apiToken: 'api-token',
  apiEmail: 'api-email',
  apiKey: 'api-key',
  accountId: 'account-id',
  gatewayId: 'gateway-id',
  logId: 'log-id',
  logIds: 'log-ids',
  runId: 'run-id',
  runIdKey: 'run-id-key',
  since: 'since',
  until: 'until',
  filters: 'filters',
  maxLogs: 'max-logs',
  expectedLogs: 'expected-logs',
  settle: 'settle',
  apiUrl: 'api-url',
  maxCost: 'max-cost',
  maxDuration: 'max-duration',
  maxTokensIn: 'max-tokens-in',
  maxTokensOut: 'max-tokens-out',
  expectedStatus: 'expected-status',
  requireSuccess: 'require-success',
  thresholds: 'thresholds',
  baselineRunId: 'baseline-run-id',
  baseline: 'baseline',
  baselineRequired: 'baseline-required',
  failOnBreach: 'fail-on-breach',
  jobSummary: 'job-summary',
  waitTimeout: 'wait-timeout',
  maxRetries: 'max-retries',
  requestTimeout: 'request-timeout',
  requestBudget: 'request-budget',
  source: 'source',
  queryBudget: 'query-budget',
  trend: 'trend',
  comment: 'comment',
  commentKey: 'comment-key',
  commentOn: 'comment-on',
  prNumber: 'pr-number',
  githubToken: 'github-token'
} as const

export type InputName = (typeof INPUT)[keyof typeof INPUT]

/** Every input, trimmed, '' when unset; the environment's fallbacks already applied. */
export type RawInputs = Readonly<Record<InputName, string>>

/** Inputs that hold secrets: registered with setSecret before anything else, never quoted back. */
export const SECRET_INPUTS: readonly InputName[] = [
  INPUT.apiToken,
  INPUT.apiKey,
  INPUT.githubToken
]

/**
 * Reads every input once. `api-token` and `account-id` fall back to CLOUDFLARE_API_TOKEN and
 * CLOUDFLARE_ACCOUNT_ID (what wrangler and Cloudflare's own actions read), so they are set in one place.
 */
export function readInputs(
  read: (name: string) => string,
  env: NodeJS.ProcessEnv
): RawInputs {
  const raw = Object.fromEntries(
    Object.values(INPUT).map((name) => [name, read(name).trim()])
  ) as Record<InputName, string>
  raw[INPUT.apiToken] ||= (env.CLOUDFLARE_API_TOKEN ?? '').trim()
  raw[INPUT.accountId] ||= (env.CLOUDFLARE_ACCOUNT_ID ?? '').trim()
  return raw
}
