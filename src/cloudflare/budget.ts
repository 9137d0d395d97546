// The request budget: how many Cloudflare API requests one gate may make in all. Cloudflare allows 1200
// requests per 5 minutes per user and then refuses every request of that user for 5 minutes (deploys
// included), so a gate that polls, retries and re-reads must stop well before that, and say so.

/** Cloudflare's own limit, quoted in messages. */
export const CLOUDFLARE_REQUESTS_PER_5_MINUTES = 1200

/** Thrown instead of a request the budget has no room for. */
export class BudgetSpentError extends Error {
  constructor(
    readonly limit: number,
    where: string
  ) {
    super(
      `The request budget is spent: request-budget allows ${limit} Cloudflare API request${limit === 1 ? '' : 's'}, all made before ${where} could be read. ` +
        `Cloudflare allows ${CLOUDFLARE_REQUESTS_PER_5_MINUTES} per 5 minutes per user and then locks the user out for 5 minutes: narrow the selection, or raise request-budget.`
    )
    this.name = 'BudgetSpentError'
  }
}

/** A count of requests made against a limit, shared by every request of one gate. */
export class RequestBudget {
  private used = 0
  constructor(readonly limit: number) {}

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
}
