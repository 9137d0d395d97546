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
}): Promise<StandIn>
