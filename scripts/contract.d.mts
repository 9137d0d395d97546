// Types for scripts/contract.mjs (and what it re-exports from scripts/contract/), for the TypeScript tests.

/** One assumption of the contract (scripts/contract/assumptions.mjs). */
export interface Assumption {
  id: string
  /** What must hold. */
  statement: string
  /** Where the belief comes from. */
  source: string
  /** The stand-in behaviour (and so the tests) that depends on it. */
  standIn: string
}

export type Verdict = 'holds' | 'refuted' | 'unknown'

export interface CheckResult {
  id: string
  verdict: Verdict
  /** What was seen (holds, refuted), or why the check cannot tell (unknown); secrets scrubbed. */
  evidence: string
}

export interface Tally {
  holds: number
  refuted: number
  unknown: number
}

/** A request as the checks write it, and as a recording keeps it. */
export interface RequestSpec {
  api: 'cloudflare' | 'github'
  method: string
  segments: string[]
  query: Array<[string, string | number]>
  body?: string
  /** Cloudflare only: a token no account has, or the rate-limit probe's. */
  auth?: 'bad' | 'probe'
}

export interface SeedCall {
  seq: number
  id: string
  metadata: Record<string, string>
  startedMs: number
  endedMs: number
}

export interface Seed {
  nonce: string
  model: string
  calls: SeedCall[]
  /** Every seeded log was found in the list. */
  visible: boolean
}

export interface Target {
  kind: 'stand-in' | 'real' | 'replay'
  label: string
  accountId: string
  gatewayId: string
  github: { repository: string; workflow: string; branch: string } | null
  githubMissing: string
  nonce: string
  seed: Seed | null
  seedMissing: string
  requestCap: number
  counts: { cloudflare: number; gateway: number; github: number }
  secrets: string[]
  /** Hooks called with every exchange (the recorder's). */
  onExchange: Array<
    (
      phase: string,
      request: RequestSpec,
      answer: { status: number; headers: Record<string, string>; text: string }
    ) => void
  >
  close(): Promise<void>
}

export declare const ASSUMPTIONS: ReadonlyArray<Assumption>
export declare const CHECKS: Record<
  string,
  (ctx: unknown) => Promise<{ verdict: Verdict; evidence: string }>
>
/** The log detail's 25 fields as the checks type them: name, type, required, nullable. */
export declare const DETAIL_FIELDS: ReadonlyArray<
  [string, 'string' | 'number' | 'integer' | 'boolean', boolean?, boolean?]
>
export declare function probeLogId(nonce: string): string
export declare const RECORDING_FORMAT: number
export declare const CLOUDFLARE_REQUEST_CAP: number
export declare const INVALID_TOKEN: string
export declare const PROBE_TOKEN: string
export declare const SEED_PLAN: {
  model: string
  calls: number
  maxTokens: number
}

export declare function seedCostText(): string
/** Sends the seed's calls through the target's gateway and waits for their logs. */
export declare function seedTarget(target: Target): Promise<void>
export declare function runContract(
  target: Target,
  options?: { write?: (line: string) => void }
): Promise<{ results: CheckResult[]; tally: Tally }>
export declare function summaryLine(tally: Tally): string
export declare function tally(results: CheckResult[]): Tally
export declare function scrubSecrets(text: string, secrets: string[]): string

export declare function createRecorder(target: Target): {
  write(
    dir: string,
    options: { results: CheckResult[]; secrets: string[]; note: string }
  ): void
}
export declare function replayTarget(dir: string): Target
export declare function standInTarget(options?: {
  standIn?: import('./stand-in.mjs').StandIn
  apiUrl?: string
  nonce?: string
}): Promise<Target>

/** The CLI: returns the exit code (0, 1 when an assumption is refuted, 2 on a usage error). */
export declare function main(
  argv: string[],
  env?: Record<string, string | undefined>,
  out?: (line: string) => void
): Promise<number>
export declare function parseArgs(
  argv: string[]
): Record<string, string | boolean>
