// Reads a whole selection of calls (a run, a time window) through the list endpoint, as few requests
// as the API allows, and never a gate on part of it. The page reader is injected: this module decides
// which pages to read and when, and knows nothing of HTTP.
//
// What the rules rest on (the API's behaviour, as documented and as probed by its users):
// - `result_info.total_count` is a hint: it can be stale for a while (after deletions, say). The only
//   reliable end of the data is a page shorter than `per_page`, so a full last page means one more read.
// - Pages are read in ascending `created_at` order under an upper bound fixed for the read, so a call
//   that arrives while the pages are read lands after them instead of shifting rows between pages.
// - The gateway writes a log a moment after the call: a run's last calls can be missing from a first
//   read. `expected-logs` waits for a known count; `settle` checks once more that nothing was added.
// - `created_at` is when a call started, and its log is written when it ends: a slow call's log
//   appears after the logs of quicker calls that started later, so a late row can land on a page
//   already read, not only after the known rows.

export interface ListPage<Row> {
  rows: Row[]
  /** The API's `result_info.total_count` for the whole selection (a hint, see above). */
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
}

export interface CollectDeps {
  now: () => number
  sleep: (ms: number) => Promise<void>
  debug: (message: string) => void
}

export class CollectError extends Error {
  constructor(
    readonly kind: 'too-many' | 'too-few' | 'empty',
    message: string
  ) {
    super(message)
    this.name = 'CollectError'
  }
}

/** Without an `until`, reads are bounded a little past the runner's clock: the gateway's clock may be ahead. */
export const CLOCK_SKEW_MS = 5 * 60_000
/** List pages read at once: a few, so a run of calls does not trip the API's rate limit. */
export const PAGES_AT_ONCE = 4

/** `expected-logs` and waiting for a first call poll at most about once a second. */
export const POLL_INTERVAL_MS = 1000

export interface Collected<Row> {
  rows: Row[]
  /** List requests made. */
  requests: number
}

/**
 * Every row of the selection that `keep` accepts, deduplicated by id. `keep` re-checks what the API
 * cannot filter exactly (a run's metadata key and value match independently there).
 */
export async function collect<Row extends { id: string }>(
  readPage: PageReader<Row>,
  keep: (row: Row) => boolean,
  options: CollectOptions,
  deps: CollectDeps
): Promise<Collected<Row>> {
  const startedMs = deps.now()
  // Every row the API returned, kept or not: where a row stands decides which page comes next.
  const seen = new Map<string, Row>()
  let requests = 0
  const counted: PageReader<Row> = async (page, perPage, untilMs) => {
    requests++
    return readPage(page, perPage, untilMs)
  }
  const bound = (): number => options.untilMs ?? deps.now() + CLOCK_SKEW_MS
  const kept = (): Row[] => [...seen.values()].filter(keep)

  // A first complete read, then (while fewer than expected, or none) read the tail again about once a second.
  const waitingFor = options.expectedLogs ?? 1
  const totals: Totals = {
    total: await readFrom(counted, 1, bound(), seen, options)
  }
  for (;;) {
    const leftMs = options.waitTimeoutMs - (deps.now() - startedMs)
    const found = kept().length
    if (found >= waitingFor || leftMs <= 0) break
    deps.debug(
      `found ${found} of ${waitingFor} calls of ${options.describe}; reading again in ${Math.min(POLL_INTERVAL_MS, leftMs)} ms`
    )
    await deps.sleep(Math.min(POLL_INTERVAL_MS, leftMs))
    await readAgain(counted, bound(), seen, options, totals)
  }

  // Settle: look once more after a pause; while the selection still grows, pause and look again, but
  // not past wait-timeout: a run that is still making calls would otherwise keep the step forever.
  if (options.settleMs > 0 && seen.size > 0) {
    for (;;) {
      await deps.sleep(options.settleMs)
      const before = seen.size
      await readAgain(counted, bound(), seen, options, totals)
      if (seen.size === before) break
      deps.debug(
        `${options.describe} grew from ${before} to ${seen.size} calls while settling`
      )
      if (deps.now() - startedMs >= options.waitTimeoutMs) {
        deps.debug(
          `${options.describe} still grows after wait-timeout: gating the ${seen.size} calls found`
        )
        break
      }
    }
  }

  const rows = kept()
  if (rows.length === 0 && options.expectedLogs !== 0) {
    throw new CollectError('empty', `No calls found for ${options.describe}`)
  }
  if (
    options.expectedLogs !== undefined &&
    rows.length < options.expectedLogs
  ) {
    const waitedS = Math.round((deps.now() - startedMs) / 1000)
    throw new CollectError(
      'too-few',
      `Found ${rows.length} of ${options.expectedLogs} expected calls for ${options.describe} after waiting ${waitedS} s (wait-timeout)`
    )
  }
  return { rows, requests }
}

function tooMany(total: number, options: CollectOptions): CollectError {
  return new CollectError(
    'too-many',
    `${total} calls match ${options.describe}, more than max-logs (${options.maxLogs}): narrow the selection (a run id, a shorter window, filters) or raise max-logs`
  )
}

function add<Row extends { id: string }>(
  into: Map<string, Row>,
  page: Row[]
): void {
  for (const row of page) if (!into.has(row.id)) into.set(row.id, row)
}

/** The last total_count whose rows were looked for on every page. */
interface Totals {
  total: number
}

/**
 * Reads again: from the page where the known rows end (rows that arrive later land there), then, when
 * the total says rows were added before it (late logs of calls that started earlier), the pages before
 * it, last first (late logs are mostly of a run's last, slowest calls), until the total is accounted
 * for. A total already checked in full is not chased again: it may be stale after deletions.
 */
async function readAgain<Row extends { id: string }>(
  read: PageReader<Row>,
  untilMs: number,
  into: Map<string, Row>,
  options: CollectOptions,
  totals: Totals
): Promise<void> {
  const tailPage = Math.floor(into.size / options.perPage) + 1
  const total = await readFrom(read, tailPage, untilMs, into, options)
  if (total <= into.size || total === totals.total) return
  totals.total = total
  for (
    let last = tailPage - 1;
    last >= 1 && into.size < total;
    last -= options.concurrency
  ) {
    const first = Math.max(1, last - options.concurrency + 1)
    const numbers = Array.from({ length: last - first + 1 }, (_, i) => last - i)
    const pages = await Promise.all(
      numbers.map((n) => read(n, options.perPage, untilMs))
    )
    for (const page of pages) add(into, page.rows)
  }
}

/**
 * Reads pages from `fromPage`. The first tells the total: more than max-logs stops the read at once;
 * otherwise the pages it implies are read a few at a time, then one after another while the last one
 * read came back full. The first short page is the end. Returns the first page's total.
 */
async function readFrom<Row extends { id: string }>(
  read: PageReader<Row>,
  fromPage: number,
  untilMs: number,
  into: Map<string, Row>,
  options: CollectOptions
): Promise<number> {
  const first = await read(fromPage, options.perPage, untilMs)
  if (first.totalCount > options.maxLogs)
    throw tooMany(first.totalCount, options)
  add(into, first.rows)
  if (first.rows.length < options.perPage) return first.totalCount
  // The page the total says comes back short: when the total fills its last page exactly, the one after
  // it (empty) is the end, and reading it in the same batch saves a round trip.
  const lastHinted = Math.floor(first.totalCount / options.perPage) + 1
  // A hostile or broken API could answer full pages forever: stop where max-logs would be passed.
  const lastAllowed = Math.ceil(options.maxLogs / options.perPage) + 1
  let next = fromPage + 1
  for (;;) {
    if (next > lastAllowed) throw tooMany(into.size, options)
    const last = Math.max(
      next,
      Math.min(lastHinted, next + options.concurrency - 1, lastAllowed)
    )
    const numbers = Array.from({ length: last - next + 1 }, (_, i) => next + i)
    const pages = await Promise.all(
      numbers.map((n) => read(n, options.perPage, untilMs))
    )
    for (const page of pages) add(into, page.rows)
    if (into.size > options.maxLogs) throw tooMany(into.size, options)
    if (pages.some((page) => page.rows.length < options.perPage))
      return first.totalCount
    next = last + 1
  }
}
