// Reads a whole selection of calls (a run, a time window) through the list endpoint, as few requests
// as the API allows, and never a gate on part of it. The page reader is injected: this module decides
// which pages to read and when, and knows nothing of HTTP.
//
// What the rules rest on (the API's behaviour, as documented and as probed by its users):
// - `result_info.total_count` is the API's count of the selection. It can lag behind calls still being
//   written (more rows than it says is fine) and be stale for a while after deletions. A page shorter
//   than `per_page` is the end of the data only once every page the total implies has been read.
// - Pages are read in ascending `created_at` order under an upper bound fixed for the read, so a call
//   that arrives while the pages are read lands after them instead of shifting rows between pages.
// - The gateway writes a log a moment after the call: a run's last calls can be missing from a first
//   read. `expected-logs` waits for a known count; `settle` checks once more that nothing was added.
// - `created_at` is when a call started, and its log is written when it ends: a slow call's log
//   appears after the logs of quicker calls that started later, so a late row can land on a page
//   already read, not only after the known rows.
//
// Complete means: the distinct calls read reach the newest total_count, the end of the data (a short
// page after every page the total implies) was seen, and every row is one call (a non-empty id; an id
// seen twice holds the same call). Short of that after the re-reads that wait-timeout and the request
// budget allow, the read is an error that gives the numbers: the gate never judges part of a selection.
import {
  BudgetSpentError,
  budgetAllows,
  CLOUDFLARE_REQUESTS_PER_5_MINUTES,
  REQUEST_BUDGET
} from './budget.js'
import { inline } from '../text/escape.js'

export interface ListPage<Row> {
  rows: Row[]
  /** The API's `result_info.total_count` for the whole selection. */
  totalCount: number
}

/** Reads one page (from 1) of the selection, with `created_at` before `untilMs`. */
export type PageReader<Row> = (
  page: number,
  perPage: number,
  untilMs: number
) => Promise<ListPage<Row>>

export interface CollectOptions {
  /** The API's largest page: 50. */
  perPage: number
  /** More matching calls than this is an error before the rest is read. */
  maxLogs: number
  /** Wait until at least this many calls are found; undefined: wait for the first one. */
  expectedLogs?: number
  waitTimeoutMs: number
  /** After a read, look again after this long; read again while the selection grows. 0: off. */
  settleMs: number
  /** Pages read at once. */
  concurrency: number
  /** The selection's own upper bound (`until`), if it has one. */
  untilMs?: number
  /** The selection in words, for errors: `run "gh-1-1" (metadata run_id)`. */
  describe: string
  /** Called once, before any wait, when the first read finds no call and one is waited for: it may throw to stop at once. */
  whenNoneFound?: () => Promise<void>
}

export interface CollectDeps {
  now: () => number
  sleep: (ms: number) => Promise<void>
  debug: (message: string) => void
}

export class CollectError extends Error {
  constructor(
    /**
     * too-many: over max-logs; too-few: fewer than expected-logs; empty: no call; incomplete: the read
     * cannot show it saw every call; invalid: the API's rows contradict each other.
     */
    readonly kind: 'too-many' | 'too-few' | 'empty' | 'incomplete' | 'invalid',
    message: string,
    /**
     * too-many: how many calls match; empty: where the account keeps its logs, when it was asked. A
     * gate with `source: auto` reads them to switch to GraphQL Analytics.
     */
    readonly detail: {
      total?: number
      platform?: 'workers-observability' | 'legacy'
    } = {}
  ) {
    super(message)
    this.name = 'CollectError'
  }
}

/** Without an `until`, reads are bounded a little past the runner's clock: the gateway's clock may be ahead. */
export const CLOCK_SKEW_MS = 5 * 60_000
/** List pages read at once: a few, so a run of calls does not trip the API's rate limit. */
export const PAGES_AT_ONCE = 4

/** Re-reads start about a second apart... */
export const POLL_INTERVAL_MS = 1000
/** ...and back off, doubling while they find nothing new, to this: a waiting gate costs few requests. */
export const MAX_POLL_INTERVAL_MS = 8000

export interface Collected<Row> {
  rows: Row[]
  /** List requests made. */
  requests: number
}

/** What a read has shown so far, for the decision to read again and for the error that says why it stopped. */
interface Evidence {
  /** The newest total_count answered. */
  total: number
  /** The end of the data: a short page read after every page the total implied. */
  endSeen: boolean
  /** The first page that came back short with more pages after it: the API did not page as asked. */
  shortPage?: { page: number; rows: number }
  /** Pages of the first read that held only calls of earlier pages: the API ignores `page`. */
  repeated?: { from: number; to: number }
}

/**
 * Every row of the selection that `keep` accepts, one per call. `keep` re-checks what the API cannot
 * filter exactly (a run's metadata key and value match independently there); the rows it refuses still
 * count toward the API's total.
 */
export async function collect<Row extends { id: string }>(
  readPage: PageReader<Row>,
  keep: (row: Row) => boolean,
  options: CollectOptions,
  deps: CollectDeps
): Promise<Collected<Row>> {
  const startedMs = deps.now()
  const reader = new Reader(readPage, options)
  const bound = (): number => options.untilMs ?? deps.now() + CLOCK_SKEW_MS
  const kept = (): Row[] => reader.rows().filter(keep)
  const waitingFor = options.expectedLogs ?? 1
  const elapsedMs = (): number => deps.now() - startedMs

  try {
    await reader.read(1, bound(), true)
    if (options.whenNoneFound && waitingFor > 0 && kept().length === 0)
      await options.whenNoneFound()
    await readUntilDone(
      reader,
      kept,
      waitingFor,
      options,
      deps,
      bound,
      elapsedMs
    )
  } catch (error) {
    if (!(error instanceof BudgetSpentError)) throw error
    // A read that was already whole when the budget ran out (settling, say) is still whole.
    if (!(reader.complete() && kept().length >= waitingFor))
      throw incomplete(reader, options, elapsedMs(), error)
    deps.debug(
      `the request budget ran out while settling ${options.describe}: gating the ${reader.size} calls read`
    )
  }

  if (!reader.complete()) throw incomplete(reader, options, elapsedMs())
  const rows = kept()
  const dropped = reader.size - rows.length
  if (dropped > 0)
    deps.debug(
      `${dropped} of the ${reader.size} rows the API listed for ${options.describe} do not match it exactly and are left out`
    )
  if (rows.length === 0 && options.expectedLogs !== 0) {
    throw new CollectError('empty', `No calls found for ${options.describe}`)
  }
  if (
    options.expectedLogs !== undefined &&
    rows.length < options.expectedLogs
  ) {
    const waitedS = Math.round(elapsedMs() / 1000)
    throw new CollectError(
      'too-few',
      `Found ${rows.length} of ${options.expectedLogs} expected calls for ${options.describe} after waiting ${waitedS} s (wait-timeout)`
    )
  }
  return { rows, requests: reader.requests }
}

/**
 * Reads again until the read is complete, holds the calls waited for, and (with settle) stays the same
 * over a pause; or until wait-timeout. An incomplete read is read again once at once (a page answered
 * short once is a glitch), then, like every wait, after a pause that doubles while nothing new is found.
 */
async function readUntilDone<Row extends { id: string }>(
  reader: Reader<Row>,
  kept: () => Row[],
  waitingFor: number,
  options: CollectOptions,
  deps: CollectDeps,
  bound: () => number,
  elapsedMs: () => number
): Promise<void> {
  let intervalMs = POLL_INTERVAL_MS
  let rereads = 0
  let settles = 0
  let settled = options.settleMs === 0
  for (;;) {
    const complete = reader.complete()
    const found = kept().length
    const leftMs = options.waitTimeoutMs - elapsedMs()
    let pauseMs: number
    if (complete && found >= waitingFor) {
      if (settled || reader.size === 0) return
      // Settle: look once more after a pause; while the selection still grows, pause and look again,
      // but not past wait-timeout: a run that is still making calls would otherwise keep the step forever.
      if (leftMs <= 0 && settles > 0) {
        deps.debug(
          `${options.describe} still grows after wait-timeout: gating the ${reader.size} calls found`
        )
        return
      }
      pauseMs = options.settleMs
    } else {
      if (leftMs <= 0 && (complete || rereads > 0)) return
      pauseMs = !complete && rereads === 0 ? 0 : Math.min(intervalMs, leftMs)
      deps.debug(
        complete
          ? `found ${found} of ${waitingFor} calls of ${options.describe}; reading again in ${pauseMs} ms`
          : `read ${reader.size} distinct calls of ${options.describe}, the API counts ${reader.evidence.total}; reading again in ${pauseMs} ms`
      )
    }
    if (pauseMs > 0) await deps.sleep(pauseMs)
    const before = reader.size
    await reader.again(bound())
    rereads++
    const grew = reader.size > before
    if (complete && found >= waitingFor) {
      settles++
      if (grew)
        deps.debug(
          `${options.describe} grew from ${before} to ${reader.size} calls while settling`
        )
      else if (reader.complete()) settled = true
    }
    if (grew) intervalMs = POLL_INTERVAL_MS
    else if (pauseMs > 0)
      intervalMs = Math.min(intervalMs * 2, MAX_POLL_INTERVAL_MS)
  }
}

/** The error of a read that cannot show it saw every call, with the numbers and the likeliest reason. */
function incomplete(
  reader: Reader<{ id: string }>,
  options: CollectOptions,
  waitedMs: number,
  budget?: BudgetSpentError
): CollectError {
  const { total, shortPage, repeated, endSeen } = reader.evidence
  const counts =
    options.expectedLogs !== undefined && options.expectedLogs > total
      ? `the API counts ${total} and ${options.expectedLogs} are expected (expected-logs)`
      : `the API counts ${total}`
  const why = budget
    ? `the request budget is spent (${budgetAllows(REQUEST_BUDGET, budget.limit)}; Cloudflare allows ${CLOUDFLARE_REQUESTS_PER_5_MINUTES} per 5 minutes per user): narrow the selection, or raise request-budget`
    : repeated
      ? `the API repeated rows already read (page${repeated.to > repeated.from ? `s ${repeated.from}-${repeated.to}` : ` ${repeated.from}`} held only calls of earlier pages), as if it ignored the page asked for`
      : shortPage
        ? `page ${shortPage.page} came back with ${shortPage.rows} of the ${options.perPage} rows asked before the last page, and reading again did not find the rest`
        : !endSeen
          ? 'the end of the list was never seen'
          : `reading again for ${Math.round(waitedMs / 1000)} s (wait-timeout) did not find the rest: calls may have been deleted while they were read, or the API's count is stale`
  return new CollectError(
    'incomplete',
    `Could not read every call of ${options.describe}: read ${reader.size} distinct call${reader.size === 1 ? '' : 's'}, ${counts}; ${why}. The gate does not pass on part of a selection.`
  )
}

function tooMany(total: number, options: CollectOptions): CollectError {
  return new CollectError(
    'too-many',
    // Full pages past the last one max-logs allows can repeat calls already read: then the count read is
    // no more than max-logs, and the message says only that the list goes on past it.
    `${total > options.maxLogs ? `${total} calls match ${options.describe}, more than max-logs (${options.maxLogs})` : `more calls than max-logs (${options.maxLogs}) match ${options.describe}`}: narrow the selection (a run id, a shorter window, filters) or raise max-logs`,
    { total }
  )
}

/** The rows read so far, one per call, and what the pages showed about the whole. */
class Reader<Row extends { id: string }> {
  /** Every row the API returned, kept or not, by id as the API compares ids (case-insensitive), with the page it came on. */
  private readonly seen = new Map<string, { row: Row; page: number }>()
  readonly evidence: Evidence = { total: 0, endSeen: false }
  requests = 0

  constructor(
    private readonly readPage: PageReader<Row>,
    private readonly options: CollectOptions
  ) {}

  get size(): number {
    return this.seen.size
  }

  rows(): Row[] {
    return Array.from(this.seen.values(), (entry) => entry.row)
  }

  complete(): boolean {
    return this.evidence.endSeen && this.seen.size >= this.evidence.total
  }

  /** One page, checked and added; the number of calls it added. */
  private async page(
    number: number,
    untilMs: number
  ): Promise<{ rows: number; added: number }> {
    this.requests++
    const answer = await this.readPage(number, this.options.perPage, untilMs)
    if (answer.rows.length > this.options.perPage)
      throw new CollectError(
        'invalid',
        `The API answered page ${number} of ${this.options.describe} with ${answer.rows.length} rows, more than the ${this.options.perPage} asked (per_page): it does not page as documented, so the gate cannot tell whether it saw every call`
      )
    this.evidence.total = answer.totalCount
    if (answer.totalCount > this.options.maxLogs)
      throw tooMany(answer.totalCount, this.options)
    return { rows: answer.rows.length, added: this.add(answer.rows, number) }
  }

  private add(rows: readonly Row[], page: number): number {
    let added = 0
    rows.forEach((row, i) => {
      if (typeof row.id !== 'string' || row.id.trim() === '')
        throw new CollectError(
          'invalid',
          `The API answered row ${i + 1} of page ${page} of ${this.options.describe} with an empty id: the gate cannot tell its calls apart`
        )
      const key = row.id.toLowerCase()
      const known = this.seen.get(key)
      if (!known) {
        this.seen.set(key, { row, page })
        added++
      } else if (JSON.stringify(known.row) !== JSON.stringify(row)) {
        // The same row again (pages that overlap as calls land) is one call; two different ones under one id are not.
        throw new CollectError(
          'invalid',
          `The API answered two different calls with the id "${inline(row.id, 80)}" (on page ${known.page} and page ${page}) for ${this.options.describe}: the gate cannot tell its calls apart`
        )
      }
    })
    if (this.seen.size > this.options.maxLogs)
      throw tooMany(this.seen.size, this.options)
    return added
  }

  /** `numbers` read together, in order. Every page of the batch is waited for, so an error counts the rows of the others. */
  private async batch(
    numbers: number[],
    untilMs: number
  ): Promise<{ rows: number; added: number }[]> {
    const settled = await Promise.allSettled(
      numbers.map((n) => this.page(n, untilMs))
    )
    const failed = settled.find((r) => r.status === 'rejected')
    if (failed) throw failed.reason
    return settled.map(
      (r) =>
        (r as PromiseFulfilledResult<{ rows: number; added: number }>).value
    )
  }

  /**
   * Reads from page `from` to the end: every page the total implies (a short page among them does not
   * end the read), a few at a time, then more while the last one read came back full. `first`: the
   * selection's first read, where a page that brings nothing new means the API repeats itself.
   */
  async read(from: number, untilMs: number, first = false): Promise<void> {
    const head = await this.page(from, untilMs)
    // The page the total says comes back short: when the total fills its last page exactly, the one after
    // it (empty) is the end, and reading it in the same batch saves a round trip.
    const lastHinted =
      Math.floor(this.evidence.total / this.options.perPage) + 1
    // A hostile or broken API could answer full pages forever: stop where max-logs would be passed.
    const lastAllowed =
      Math.ceil(this.options.maxLogs / this.options.perPage) + 1
    // Pages that came back short: one before the last page read means the API did not page as asked.
    const short: { page: number; rows: number }[] = []
    if (head.rows < this.options.perPage)
      short.push({ page: from, rows: head.rows })
    let lastRead = from
    let lastRows = head.rows
    let next = from + 1
    while (next <= lastHinted || lastRows === this.options.perPage) {
      if (next > lastAllowed) throw tooMany(this.seen.size, this.options)
      // Past the pages the total implies (a total that is too low), batches of the same size, not one by one.
      const last = Math.min(
        next > lastHinted
          ? next + this.options.concurrency - 1
          : Math.min(lastHinted, next + this.options.concurrency - 1),
        lastAllowed
      )
      const numbers = Array.from(
        { length: last - next + 1 },
        (_, i) => next + i
      )
      const pages = await this.batch(numbers, untilMs)
      pages.forEach((p, i) => {
        if (p.rows < this.options.perPage)
          short.push({ page: numbers[i]!, rows: p.rows })
      })
      if (
        first &&
        pages.every((p) => p.rows === this.options.perPage && p.added === 0)
      ) {
        this.evidence.repeated = { from: next, to: last }
        throw incomplete(this, this.options, 0)
      }
      lastRead = last
      lastRows = pages.at(-1)!.rows
      next = last + 1
    }
    this.evidence.shortPage ??= short.find((p) => p.page < lastRead)
    this.evidence.endSeen = true
  }

  /**
   * Reads again: from the page where the known rows end (rows that arrive later land there), then, while
   * the total says rows are missing (late logs of calls that started earlier, rows that shifted between
   * pages), the pages before it, last first (late logs are mostly of a run's last, slowest calls).
   */
  async again(untilMs: number): Promise<void> {
    const tailPage = Math.floor(this.seen.size / this.options.perPage) + 1
    await this.read(tailPage, untilMs)
    for (
      let last = tailPage - 1;
      last >= 1 && this.seen.size < this.evidence.total;
      last -= this.options.concurrency
    ) {
      const first = Math.max(1, last - this.options.concurrency + 1)
      await this.batch(
        Array.from({ length: last - first + 1 }, (_, i) => last - i),
        untilMs
      )
    }
  }
}
