// Types for scripts/stand-in.mjs, so that the TypeScript tests can use it.
export declare const DEMO_TOKEN: string
export declare const DEMO_ACCOUNT: string
export declare const DEMO_GATEWAY: string
export declare const GITHUB_LOGIN: string
export declare const SAMPLE_LOGS: Record<string, Record<string, unknown>>
export declare const LOGGING_STATES: { legacy: Record<string, unknown>; workersObservability: Record<string, unknown> }

export interface StandInRequest {
  method: string
  path: string
  timeMs: number
  viaProxy: boolean
}

export interface StandInComment {
  id: number
  issue: number
  body: string
  user: { login: string; type: string }
}

export interface StandIn {
  origin: string
  apiUrl: string
  githubApiUrl: string
  githubToken: string
  token: string
  requests: StandInRequest[]
  comments: StandInComment[]
  addComment(issue: number, body: string, user: { login: string; type: string }): StandInComment
  logRequests(): StandInRequest[]
  close(): Promise<void>
}

export declare function startStandIn(options?: {
  port?: number
  token?: string
  logs?: Record<string, Record<string, unknown>>
  /** The `result` of GET …/ai-gateway/logging-state; null answers 404. */
  loggingState?: unknown
}): Promise<StandIn>
