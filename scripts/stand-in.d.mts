// Types for scripts/stand-in.mjs, so that the TypeScript tests can use it.
export declare const DEMO_TOKEN: string
export declare const DEMO_ACCOUNT: string
export declare const DEMO_GATEWAY: string
export declare const GITHUB_LOGIN: string

/** A GitHub account the stand-in knows: REST `user.id` and GraphQL `databaseId` are both `id`. */
export interface GitHubAccount {
  login: string
  id: number
  /** REST's `user.type`; GraphQL's `viewer.__typename` is "User" whatever this is. */
  type: 'User' | 'Bot'
}

/** An account with the token that acts as it. */
export interface GitHubTokenAccount extends GitHubAccount {
  token: string
}

export declare const GITHUB_ACCOUNTS: {
  /** GITHUB_TOKEN: github-actions[bot], 41898282. */
  actions: GitHubTokenAccount
  /** A GitHub App's installation token: my-app[bot]. */
  app: GitHubTokenAccount
  /** A personal access token: a user. */
  personal: GitHubTokenAccount
}
export declare const SAMPLE_LOGS: Record<string, Record<string, unknown>>
export declare const RUN_MODELS: ReadonlyArray<{
  provider: string
  model: string
  inUsd: number
  outUsd: number
}>
export declare const LOGGING_STATES: {
  legacy: Record<string, unknown>
  workersObservability: Record<string, unknown>
}

export interface StandInRequest {
  method: string
  path: string
  /** The query string with its `?`, '' when none. */
  query: string
  timeMs: number
  viaProxy: boolean
}

/** A log as the stand-in stores it: the detail's fields (the list serves 19 of them). */
export type StandInLog = Record<string, unknown> & {
  id: string
  created_at: string
}

/** A broken, stale or hostile list endpoint's ways (scripts/stand-in/cloudflare-list.mjs, answerWithQuirks). */
export interface ListQuirks {
  /** That page answered `drop` rows short, the next `times` times (default: always). */
  shortPages?: Record<number, { drop: number; times?: number }>
  /** Pages of this many rows whatever per_page asked. */
  rowsPerPage?: number
  /** Every page answered as page 1. */
  ignorePage?: boolean
  /** The `count` oldest logs deleted once `afterRequests` list requests were answered. */
  deleteOldest?: { afterRequests: number; count: number }
  /** total_count never goes down. */
  staleTotal?: boolean
  /** total_count is this number whatever the rows. */
  fixedTotal?: number
}

export interface RunOptions {
  /** The metadata value that marks the run's calls. */
  runId: string
  /** The metadata key (default `run_id`). */
  key?: string
  calls?: number
  gateway?: string
  /** A count spread over the run, or the indices of the calls. */
  failed?: number | number[]
  withoutCost?: number | number[]
  late?: number | number[]
  /** How long after registration late calls become visible (default 3000). */
  lateMs?: number
  /** Late calls become visible one after another over this many ms after lateMs (default 0: all at once). */
  lateSpreadMs?: number
  spacingMs?: number
  startMs?: number
  /** More cf-aig-metadata entries for every call of the run. */
  metadata?: Record<string, string | number | boolean>
  models?: ReadonlyArray<{
    provider: string
    model: string
    inUsd: number
    outUsd: number
  }>
}

/** A gateway of generated calls for the GraphQL Analytics API (scripts/stand-in/cloudflare-analytics-calls.mjs). */
export interface AnalyticsGatewayOptions {
  /** How many calls (default 1000); call i is a pure function of (seed, i). */
  calls?: number
  /** The calls are spread evenly over [sinceMs, untilMs) (default: the 24 hours before now). */
  sinceMs?: number
  untilMs?: number
  seed?: number
  /** Run ids some calls carry as the metadata value `run_id: <id>` (metadataValues_has selects them). */
  runIds?: string[]
  /** The share of the calls that belong to one of runIds (default 0.01). */
  runShare?: number
  /** 1 (default): exact answers; 1/k: every k-th call, scaled by k, with confidence intervals. */
  sampleRate?: number
  /** availableFields paths the account is not entitled to (`sum_tokensIn`, `dimensions_cost`, `confidence`): asking one fails the query. */
  unentitled?: string[]
  /** The settings node's `enabled` (default true); false refuses every dataset query. */
  enabled?: boolean
  /** Calls newer than now - lagMs are not visible yet (default 0; the real lag is 139-365 s). */
  lagMs?: number
  /** The settings node's maxDuration in seconds (default 2764800, 32 days). */
  maxDurationS?: number
  /** The settings node's notOlderThan in seconds (default 5356800, 62 days). */
  notOlderThanS?: number
  /** A query with no dimensions answers two groups (an invalid answer the client must refuse). */
  totalsTwoGroups?: boolean
  /** The account whose settings these options set (enabled, unentitled, maxDurationS, notOlderThanS); default: any account. */
  account?: string
}

/** exactAnalytics's answer: the truth over the generated calls, by a plain loop and a sort. */
export interface ExactAnalytics {
  count: number
  errors: number
  cached: number
  /** Exact, in whole micro-dollars. */
  costSumMicros: number
  costSum: number
  tokensInSum: number
  tokensOutSum: number
  /** durationMs: nearest-rank percentiles (rank = ceil(p/100 * n)), min, max, sum, distinct values. */
  duration: {
    min: number | null
    max: number | null
    sum: number
    p50: number | null
    p90: number | null
    p95: number | null
    p99: number | null
    distinct: number
  }
  byModel: Array<{
    provider: string
    model: string
    count: number
    errors: number
    costSumMicros: number
    costSum: number
    tokensInSum: number
    tokensOutSum: number
  }>
  byDate: Array<{
    date: string
    count: number
    errors: number
    costSumMicros: number
    costSum: number
  }>
}

export declare function exactAnalytics(
  options: AnalyticsGatewayOptions,
  window?: { sinceMs?: number; untilMs?: number; runId?: string }
): ExactAnalytics

export declare const ANALYTICS_MODELS: ReadonlyArray<{
  provider: string
  model: string
  inUsdPerM: number
  outUsdPerM: number
  medianMs: number
  weight: number
}>

/** One statement about the GraphQL Analytics API, graded by its source. */
export interface AnalyticsAssumption {
  id: string
  grade: 'documented' | 'seen-live' | 'open' | 'inferred' | 'assumed'
  statement: string
  source: string
  standIn: string
}
export declare const ANALYTICS_ASSUMPTIONS: ReadonlyArray<AnalyticsAssumption>

export interface StandInComment {
  id: number
  /** owner/name */
  repo: string
  issue: number
  body: string
  user: GitHubAccount
}

/** A GitHub Actions run registered with addWorkflowRun, as the stand-in keeps it. */
export interface StandInWorkflowRun {
  id: number
  run_attempt: number
  head_branch: string
  head_sha: string
  event: string
  status: string
  conclusion: string | null
  created_at: string
}

export interface WorkflowRunOptions {
  /** owner/name (default o/r). */
  repo?: string
  /** The workflow's file name (default eval.yml). */
  workflow?: string
  id: number
  attempt?: number
  branch?: string
  sha?: string
  /** The triggering event (default push). */
  event?: string
  /** completed (default), in_progress, queued. */
  status?: string
  /** success (default), failure, cancelled, …; null while it runs. */
  conclusion?: string | null
  /** ISO 8601 (default now): the list is newest first. */
  createdAt?: string
  htmlUrl?: string
  /** The run's `path` when it is not the workflow's own file (default `.github/workflows/<workflow>`). */
  path?: string
}

export interface StandIn {
  origin: string
  apiUrl: string
  githubApiUrl: string
  /** The gateway's own URL (calls to Workers AI through it are logged), as https://gateway.ai.cloudflare.com/v1 is. */
  gatewayUrl: string
  /** GITHUB_TOKEN's stand-in (github-actions[bot]). */
  githubToken: string
  githubAccounts: GitHubTokenAccount[]
  token: string
  requests: StandInRequest[]
  comments: StandInComment[]
  addComment(
    issue: number,
    body: string,
    user: GitHubAccount,
    repo?: string
  ): StandInComment
  setCommentHtmlUrl(url: string | undefined): void
  setGithubFault(fault: { status: number; message: string } | undefined): void
  githubRequests(): StandInRequest[]
  logRequests(): StandInRequest[]
  /** Requests made to the list endpoint. */
  listRequests(): StandInRequest[]
  /** Registers a run of calls; returns its logs (all 25 fields each). */
  addRun(options: RunOptions): StandInLog[]
  /**
   * Registers logs in a gateway, visible after `visibleAfterMs`. `answered`: fields every answer shows
   * instead of the stored ones, which the list still filters and orders by (a broken or hostile API).
   */
  addLogs(
    logs: StandInLog[],
    options?: {
      gateway?: string
      visibleAfterMs?: number
      answered?: Record<string, unknown>
    }
  ): StandInLog[]
  /** Registers a workflow file of a repository (default o/r), known to GitHub even without runs. */
  addWorkflow(
    file: string,
    repo?: string
  ): { repo: string; file: string; id: number; name: string }
  /** Registers a run of a workflow (and the workflow). */
  addWorkflowRun(options: WorkflowRunOptions): StandInWorkflowRun
  /** From now on the runs list answers this text with status 200; undefined: the real answer. */
  setWorkflowRunsBody(body: string | undefined): void
  /** The next `times` (default 1) list requests for `page` answer `status` (default 429, with Retry-After `retryAfterS`). */
  failListPage(
    page: number,
    options?: { status?: number; retryAfterS?: number; times?: number }
  ): void
  /** Every list request from now on waits `ms` before it is answered. */
  setListDelay(ms: number): void
  /** The list endpoint of `gateway` answers as a broken or stale API would; null: as documented. */
  setListQuirks(gateway: string, quirks: ListQuirks | null): void
  /** Cloudflare's rate limit (1200 requests per 5 minutes per token, then 429 with Retry-After 300); null: none. */
  setRateLimit(
    limits: { limit?: number; windowMs?: number; retryAfterS?: number } | null
  ): void
  /** The 429s the rate limit answered. */
  rateLimited(): number
  /** Registers (or replaces) a gateway of generated calls for the GraphQL Analytics API. */
  addAnalyticsGateway(gateway: string, options?: AnalyticsGatewayOptions): void
  /** Requests made to POST /client/v4/graphql. */
  graphqlRequests(): StandInRequest[]
  /** The GraphQL queries whose filters named `gateway` (the settings query names none). */
  analyticsQueryCount(gateway: string): number
  /** Every GraphQL query answered: the gateways its filters named, and whether it was answered with data. */
  analyticsQueries(): Array<{ gateways: string[]; ok: boolean; timeMs: number }>
  /** Refusals answer this HTTP status: 200 (default) or 400, as the docs' list of messages says. */
  setGraphqlRefusalStatus(status: number): void
  /** The GraphQL limit (default 300 queries per 5 minutes, then 429); null: none. */
  setGraphqlRateLimit(
    limits: { limit?: number; windowMs?: number } | null
  ): void
  close(): Promise<void>
}

export declare function startStandIn(options?: {
  port?: number
  token?: string
  logs?: Record<string, Record<string, unknown>>
  /** The tokens GitHub accepts, each acting as its account; by default the three of GITHUB_ACCOUNTS. */
  githubAccounts?: GitHubTokenAccount[]
  /** Runs to register at start. */
  runs?: RunOptions[]
  /** Each list request waits this long before it is answered. */
  listDelayMs?: number
  /** The `result` of GET …/ai-gateway/logging-state; null answers 404. */
  loggingState?: unknown
  /** How long a call through the gateway takes (default 40 ms). */
  gatewayUpstreamMs?: number
  /** Gateways of generated calls for the GraphQL Analytics API, by gateway id. */
  analytics?: Record<string, AnalyticsGatewayOptions>
}): Promise<StandIn>
