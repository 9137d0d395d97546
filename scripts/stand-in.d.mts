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

export interface StandInRequest {
  method: string
  path: string
  timeMs: number
  viaProxy: boolean
}

export interface StandInComment {
  id: number
  /** owner/name */
  repo: string
  issue: number
  body: string
  user: GitHubAccount
}

export interface StandIn {
  origin: string
  apiUrl: string
  githubApiUrl: string
  /** GITHUB_TOKEN's stand-in (github-actions[bot]). */
  githubToken: string
  githubAccounts: GitHubTokenAccount[]
  token: string
  requests: StandInRequest[]
  comments: StandInComment[]
  addComment(issue: number, body: string, user: GitHubAccount, repo?: string): StandInComment
  setCommentHtmlUrl(url: string | undefined): void
  setGithubFault(fault: { status: number; message: string } | undefined): void
  githubRequests(): StandInRequest[]
  logRequests(): StandInRequest[]
  close(): Promise<void>
}

export declare function startStandIn(options?: {
  port?: number
  token?: string
  logs?: Record<string, Record<string, unknown>>
  /** The tokens GitHub accepts, each acting as its account; by default the three of GITHUB_ACCOUNTS. */
  githubAccounts?: GitHubTokenAccount[]
}): Promise<StandIn>
