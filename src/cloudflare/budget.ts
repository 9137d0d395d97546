// The request budgets: how many Cloudflare API requests, and how many GraphQL Analytics queries, one
// gate may make in all. Cloudflare allows 1200 API requests per 5 minutes per user and then refuses
// every request of that user for 5 minutes (deploys included), and 300 GraphQL queries per 5 minutes
// per user; a gate that polls, retries and re-reads must stop well before either, and say so.

/** Cloudflare's own limit, quoted in messages. */
export const CLOUDFLARE_REQUESTS_PER_5_MINUTES = 1200
/** Cloudflare's GraphQL Analytics limit, quoted in messages. */
export const CLOUDFLARE_GRAPHQL_QUERIES_PER_5_MINUTES = 300

/** What a budget counts, for its error: the input that sets it, what it counts, Cloudflare's own limit. */
export interface BudgetKind {
  input: string
  /** Singular and plural: `Cloudflare API request`, `Cloudflare API requests`. */
  unit: readonly [string, string]
  /** Cloudflare's limit, one clause: `Cloudflare allows 1200 per 5 minutes per user and then …`. */
  cloudflare: string
  /** What to do, one clause: `narrow the selection`. */
  advice: string
}

export const REQUEST_BUDGET: BudgetKind = {
  input: 'request-budget',
  unit: ['Cloudflare API request', 'Cloudflare API requests'],
  cloudflare: `Cloudflare allows ${CLOUDFLARE_REQUESTS_PER_5_MINUTES} per 5 minutes per user and then locks the user out for 5 minutes`,
  advice: 'narrow the selection'
}

export const QUERY_BUDGET: BudgetKind = {
  input: 'query-budget',
  unit: ['GraphQL query', 'GraphQL queries'],
  cloudflare: `Cloudflare allows ${CLOUDFLARE_GRAPHQL_QUERIES_PER_5_MINUTES} GraphQL queries per 5 minutes per user`,
  advice: 'shorten the window or ask for fewer percentiles'
}

/** `request-budget allows 2 Cloudflare API requests`: a budget's limit in words. */
export function budgetAllows(kind: BudgetKind, limit: number): string {
  return `${kind.input} allows ${limit} ${kind.unit[limit === 1 ? 0 : 1]}`
}

/** Thrown instead of a request the budget has no room for. */
export class BudgetSpentError extends Error {
  constructor(
    readonly limit: number,
    where: string,
    readonly kind: BudgetKind = REQUEST_BUDGET
  ) {
    const name = kind.input.replace(/-/g, ' ')
    super(
      `The ${name} is spent: ${budgetAllows(kind, limit)}, all made before ${where} could be read. ` +
        `${kind.cloudflare}: ${kind.advice}, or raise ${kind.input}.`
    )
    this.name = 'BudgetSpentError'
  }
}

/** A count of requests made against a limit, shared by every request of one gate. */
export class RequestBudget {
  private used = 0
  constructor(
    readonly limit: number,
    readonly kind: BudgetKind = REQUEST_BUDGET
  ) {}

  /** Takes one request from the budget: false when none is left (then nothing is taken). */
  take(): boolean {
    if (this.used >= this.limit) return false
    this.used++
    return true
  }

  /** Requests made so far. */
  get spent(): number {
    return this.used
  }

  /** Requests still allowed. */
  get left(): number {
    return this.limit - this.used
  }
}
