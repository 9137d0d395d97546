// The GraphQL Analytics client: the settings node read once, then the totals, histograms, status codes,
// trend and models of a selection, each read in chunks of at most maxDuration. Counts are merged here;
// sums are returned chunk by chunk, for the source to add in decimal (sources/metrics.ts exactSum).
// Every answer is checked field by field before it is used (types, signs, bounds, order, size), and
// every loop is bounded by the query budget: no answer can make the client loop or hold more than
// (query budget × page size) groups.
import {
  DATASET,
  histogramQuery,
  modelsQuery,
  pageFilter,
  selectionFilter,
  SETTINGS_QUERY,
  statusCodesQuery,
  totalsQuery,
  TOTALS_LIMIT,
  trendQuery,
  type AnalyticsSelection,
  type HistogramDimension,
  type SumField
} from './analytics-query.js'
import {
  accountOf,
  AnalyticsError,
  asObject,
  invalidAnswer,
  queryData,
  shown,
  type AnalyticsSession
} from './graphql.js'
import { budgetAllows, QUERY_BUDGET } from './budget.js'
import { inline } from '../text/escape.js'

export { AnalyticsError, analyticsSession } from './graphql.js'
export type {
  AnalyticsConnection,
  AnalyticsErrorKind,
  AnalyticsSession
} from './graphql.js'
export type { AnalyticsSelection, HistogramDimension, SumField }

/** The largest page asked for, whatever maxPageSize says: Cloudflare documents 10,000. */
export const MAX_PAGE_SIZE = 10_000

export interface AnalyticsSettings {
  enabled: boolean
  /** Fields the account may query, nested ones as paths joined by underscores (`sum_cost`). */
  availableFields: readonly string[]
  /** The longest window one query may cover. */
  maxDurationMs: number
  /** How far back data is kept. */
  notOlderThanMs: number
  /** The most groups one query returns (capped at MAX_PAGE_SIZE). */
  maxPageSize: number
}

/** A count or sum from a sample, with its 95% interval (`confidence(level: 0.95)`). */
export interface Confidence {
  estimate: number
  lower: number
  upper: number
  sampleSize: number
}

/** One chunk's totals. */
export interface Totals {
  count: number
  /** The sums asked for. */
  sums: Partial<Record<SumField, number>>
  confidence: {
    count: Confidence
    sums: Partial<Record<SumField, Confidence>>
  }
  /** The answer was sampled: a sample smaller than its estimate of the count, or an interval with width. */
  sampled: boolean
}

/**
 * What a grouped query's own `confidence` says: its groups' count intervals added (wider than the
 * combined interval, never narrower), and whether any group was sampled. Cloudflare samples each query
 * on its own, so a group-by is judged by this, not by the totals.
 */
export interface Sample {
  count: Confidence
  sampled: boolean
}

/** Distinct values ascending, with how many calls had each. */
export interface Histogram {
  values: number[]
  counts: number[]
  sample: Sample
}

export interface ModelRow {
  provider: string
  model: string
  count: number
  sums: Partial<Record<SumField, number>>
}

export interface StatusRow {
  code: number | null
  count: number
}

export interface TrendRow {
  /** YYYY-MM-DD, UTC. */
  date: string
  count: number
  sums: Partial<Record<SumField, number>>
}

const SECOND_MS = 1000

// ---- strict readers: each names the field and the bad value ----

type Scrub = (text: string) => string

function objectAt(
  value: unknown,
  where: string,
  what: string,
  scrub: Scrub
): Record<string, unknown> {
  const object = asObject(value)
  if (!object)
    throw invalidAnswer(
      what,
      `${where} is ${shown(value, scrub)}, not an object`
    )
  return object
}

/** A whole number of calls (or seconds): a safe integer, never negative. */
function whole(
  value: unknown,
  where: string,
  what: string,
  scrub: Scrub
): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw invalidAnswer(
      what,
      `${where} is ${shown(value, scrub)}, not a whole number ≥ 0`
    )
  return value
}

/** An amount (USD, tokens, ms): a finite number, never negative. */
function amount(
  value: unknown,
  where: string,
  what: string,
  scrub: Scrub
): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw invalidAnswer(
      what,
      `${where} is ${shown(value, scrub)}, not a finite number ≥ 0`
    )
  return value
}

function confidenceAt(
  value: unknown,
  where: string,
  what: string,
  scrub: Scrub
): Confidence {
  const c = objectAt(value, where, what, scrub)
  const estimate = amount(c.estimate, `${where}.estimate`, what, scrub)
  const lower = amount(c.lower, `${where}.lower`, what, scrub)
  const upper = amount(c.upper, `${where}.upper`, what, scrub)
  const sampleSize = whole(c.sampleSize, `${where}.sampleSize`, what, scrub)
  if (!(lower <= estimate && estimate <= upper))
    throw invalidAnswer(
      what,
      `${where} is not an interval around its estimate (lower ${lower}, estimate ${estimate}, upper ${upper})`
    )
  return { estimate, lower, upper, sampleSize }
}

/** Whether an interval comes from a sample: fewer calls read than estimated, or any width (conservative). */
export function fromSample(c: Confidence): boolean {
  return c.sampleSize < c.estimate || c.lower !== c.upper
}

const NO_SAMPLE: Sample = {
  count: { estimate: 0, lower: 0, upper: 0, sampleSize: 0 },
  sampled: false
}

function addSample(a: Sample, count: Confidence, sampled: boolean): Sample {
  return {
    count: {
      estimate: a.count.estimate + count.estimate,
      lower: a.count.lower + count.lower,
      upper: a.count.upper + count.upper,
      sampleSize: a.count.sampleSize + count.sampleSize
    },
    sampled: a.sampled || sampled
  }
}

/**
 * A group's count interval (`confidence.count`), asked in every grouped query. Unsampled, the count
 * is the estimate: a count other than its own estimate is another answer.
 */
function groupConfidence(
  group: Record<string, unknown>,
  count: number,
  where: string,
  what: string,
  scrub: Scrub
): { count: Confidence; sampled: boolean } {
  const conf = objectAt(group.confidence, `${where}: confidence`, what, scrub)
  const c = confidenceAt(conf.count, `${where}: confidence.count`, what, scrub)
  const sampled = fromSample(c)
  if (!sampled && count !== c.estimate)
    throw invalidAnswer(
      what,
      `${where}: count ${count} is not its unsampled estimate ${c.estimate}`
    )
  return { count: c, sampled }
}

/** The groups of the dataset in an answer: a list of at most `limit` objects. */
function groupsOf(
  data: Record<string, unknown>,
  limit: number,
  what: string,
  session: AnalyticsSession
): Record<string, unknown>[] {
  const groups = accountOf(data, what, session)[DATASET]
  if (!Array.isArray(groups))
    throw invalidAnswer(
      what,
      `${DATASET} is ${shown(groups, session.scrub)}, not a list`
    )
  if (groups.length > limit)
    throw invalidAnswer(
      what,
      `${groups.length} groups, more than the limit of ${limit} asked for`
    )
  return groups.map((g, i) =>
    objectAt(g, `group ${i + 1}`, what, session.scrub)
  )
}

/** Sums that count calls: whole numbers. */
const COUNTED: ReadonlySet<SumField> = new Set([
  'erroredRequests',
  'cachedRequests'
])

function sumsOf(
  group: Record<string, unknown>,
  sums: readonly SumField[],
  where: string,
  what: string,
  scrub: Scrub
): Partial<Record<SumField, number>> {
  if (sums.length === 0) return {}
  const sum = objectAt(group.sum, `${where}: sum`, what, scrub)
  const read: Partial<Record<SumField, number>> = {}
  for (const field of sums)
    read[field] = (COUNTED.has(field) ? whole : amount)(
      sum[field],
      `${where}: sum.${field}`,
      what,
      scrub
    )
  return read
}

// ---- merging: counts must stay exact, sums are added in decimal ----

function addCounts(a: number, b: number, what: string): number {
  const total = a + b
  if (!Number.isSafeInteger(total))
    throw invalidAnswer(
      what,
      `counts that add up past ${Number.MAX_SAFE_INTEGER}`
    )
  return total
}

// ---- the settings node ----

function positiveWhole(
  value: unknown,
  where: string,
  what: string,
  scrub: Scrub
): number {
  const n = whole(value, where, what, scrub)
  if (n === 0) throw invalidAnswer(what, `${where} is 0`)
  return n
}

/** The settings node: whether the dataset is on, its fields, and its limits. Read once, first. */
export async function readSettings(
  session: AnalyticsSession
): Promise<AnalyticsSettings> {
  const what = 'settings'
  const { scrub } = session
  const data = await queryData(session, what, SETTINGS_QUERY, {
    accountTag: session.conn.accountId
  })
  const settings = objectAt(
    accountOf(data, what, session).settings,
    'settings',
    what,
    scrub
  )
  const node = settings[DATASET]
  if (node === null || node === undefined)
    throw new AnalyticsError(
      'disabled',
      `GraphQL Analytics offers no ${DATASET} dataset to account ${JSON.stringify(session.conn.accountId)} (its settings node is ${node === null ? 'null' : 'missing'}): use source: logs.`
    )
  const s = objectAt(node, `settings.${DATASET}`, what, scrub)
  if (typeof s.enabled !== 'boolean')
    throw invalidAnswer(
      what,
      `enabled is ${shown(s.enabled, scrub)}, not true or false`
    )
  const fields = s.availableFields
  if (!Array.isArray(fields) || !fields.every((f) => typeof f === 'string'))
    throw invalidAnswer(what, 'availableFields is not a list of names')
  return {
    enabled: s.enabled,
    availableFields: fields as string[],
    maxDurationMs:
      positiveWhole(s.maxDuration, 'maxDuration', what, scrub) * SECOND_MS,
    notOlderThanMs:
      positiveWhole(s.notOlderThan, 'notOlderThan', what, scrub) * SECOND_MS,
    maxPageSize: Math.min(
      positiveWhole(s.maxPageSize, 'maxPageSize', what, scrub),
      MAX_PAGE_SIZE
    )
  }
}

// ---- chunks ----

/**
 * The selection cut into consecutive windows of at most maxDuration, oldest first. More chunks than
 * the budget has queries left is an error before any is built: a maxDuration of one second would
 * otherwise make a million windows of a long selection.
 */
export function chunksOf(
  selection: AnalyticsSelection,
  settings: Pick<AnalyticsSettings, 'maxDurationMs'>,
  session: AnalyticsSession,
  what: string
): AnalyticsSelection[] {
  const { sinceMs, untilMs } = selection
  const chunkMs = settings.maxDurationMs
  const needed = Math.ceil((untilMs - sinceMs) / chunkMs)
  if (needed > session.budget.left)
    throw new AnalyticsError(
      'budget',
      `The ${what} of the window need ${needed} GraphQL queries (GraphQL Analytics reads at most ${chunkMs / SECOND_MS} s a query) and ${budgetAllows(QUERY_BUDGET, session.budget.limit)}, ${session.budget.left} of them left: shorten the window or raise ${QUERY_BUDGET.input}.`
    )
  const chunks: AnalyticsSelection[] = []
  for (let start = sinceMs; start < untilMs; start += chunkMs)
    chunks.push({
      ...selection,
      sinceMs: start,
      untilMs: Math.min(start + chunkMs, untilMs)
    })
  return chunks
}

function variables(
  session: AnalyticsSession,
  filter: Record<string, unknown>
): Record<string, unknown> {
  return { accountTag: session.conn.accountId, filter }
}

// ---- totals ----

function totalsOfChunk(
  groups: Record<string, unknown>[],
  sums: readonly SumField[],
  what: string,
  scrub: Scrub
): Totals {
  if (groups.length > 1)
    throw invalidAnswer(
      what,
      `${groups.length} groups where the totals are one`
    )
  const group = groups[0]
  if (!group) {
    // No group: no calls in this chunk. Nothing was sampled.
    const zero = { estimate: 0, lower: 0, upper: 0, sampleSize: 0 }
    return {
      count: 0,
      sums: Object.fromEntries(sums.map((s) => [s, 0])),
      confidence: {
        count: zero,
        sums: Object.fromEntries(sums.map((s) => [s, zero]))
      },
      sampled: false
    }
  }
  const count = whole(group.count, 'count', what, scrub)
  const read = sumsOf(group, sums, 'totals', what, scrub)
  const conf = objectAt(group.confidence, 'confidence', what, scrub)
  const countConf = confidenceAt(conf.count, 'confidence.count', what, scrub)
  const sumConf: Partial<Record<SumField, Confidence>> = {}
  if (sums.length > 0) {
    const cs = objectAt(conf.sum, 'confidence.sum', what, scrub)
    for (const field of sums)
      sumConf[field] = confidenceAt(
        cs[field],
        `confidence.sum.${field}`,
        what,
        scrub
      )
  }
  // Any interval with width is a sample's, whatever sampleSize says (conservative).
  const sampled =
    fromSample(countConf) ||
    Object.values(sumConf).some((c) => c.lower !== c.upper)
  if (!sampled) checkUnsampled(count, read, countConf, sumConf, what)
  return {
    count,
    sums: read,
    confidence: { count: countConf, sums: sumConf },
    sampled
  }
}

/** Two renderings of one decimal sum (USD, tokens): equal to about 12 significant digits. */
const sameAmount = (a: number, b: number): boolean =>
  Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b))

/** Unsampled totals: every figure is its own estimate, every interval a point. */
function checkUnsampled(
  count: number,
  sums: Partial<Record<SumField, number>>,
  countConf: Confidence,
  sumConf: Partial<Record<SumField, Confidence>>,
  what: string
): void {
  if (count !== countConf.estimate)
    throw invalidAnswer(
      what,
      `count ${count} is not its unsampled estimate ${countConf.estimate} (confidence.count)`
    )
  for (const [field, c] of Object.entries(sumConf) as Array<
    [SumField, Confidence]
  >) {
    const sum = sums[field]!
    if (COUNTED.has(field) ? sum !== c.estimate : !sameAmount(sum, c.estimate))
      throw invalidAnswer(
        what,
        `sum.${field} ${sum} is not its unsampled estimate ${c.estimate} (confidence.sum.${field})`
      )
  }
}

/** The selection's count and sums with their intervals, one entry per chunk, oldest first. */
export async function readTotals(
  session: AnalyticsSession,
  selection: AnalyticsSelection,
  settings: AnalyticsSettings,
  sums: readonly SumField[]
): Promise<Totals[]> {
  const what = 'totals'
  const totals: Totals[] = []
  for (const chunk of chunksOf(selection, settings, session, what)) {
    const data = await queryData(
      session,
      what,
      totalsQuery(sums),
      variables(session, selectionFilter(chunk))
    )
    const groups = groupsOf(data, TOTALS_LIMIT, what, session)
    totals.push(totalsOfChunk(groups, sums, what, session.scrub))
  }
  return totals
}

// ---- histograms ----

/** What a histogram is called at the start of a message: `The durationMs histogram (duration)`. */
const histogramName = (dimension: HistogramDimension, metric: string): string =>
  `The ${dimension} histogram (${metric})`

/**
 * One histogram over the selection: every distinct value of the dimension and its count, read page
 * by page in ascending order (each page past the last value of the one before), chunk by chunk, and
 * merged by value. A page must move strictly past the last value: otherwise the next page would ask
 * the same question again, forever.
 */
export async function readHistogram(
  session: AnalyticsSession,
  selection: AnalyticsSelection,
  settings: AnalyticsSettings,
  dimension: HistogramDimension,
  metric: string
): Promise<Histogram> {
  const name = histogramName(dimension, metric)
  const what = `${dimension} histogram`
  const limit = settings.maxPageSize
  const merged = new Map<number, number>()
  let sample = NO_SAMPLE
  let pages = 0
  for (const chunk of chunksOf(selection, settings, session, what)) {
    let after: number | undefined
    for (;;) {
      if (session.budget.left === 0)
        throw new AnalyticsError(
          'budget',
          `${name} needs more than ${pages} quer${pages === 1 ? 'y' : 'ies'}: ${budgetAllows(QUERY_BUDGET, session.budget.limit)} and all are spent (${QUERY_BUDGET.cloudflare}). Raise ${QUERY_BUDGET.input} or shorten the window.`
        )
      pages++
      const data = await queryData(
        session,
        what,
        histogramQuery(dimension, limit),
        variables(session, pageFilter(chunk, dimension, after))
      )
      const groups = groupsOf(data, limit, what, session)
      for (const [i, group] of groups.entries()) {
        const where = `group ${i + 1} of page ${pages}`
        const count = whole(group.count, `${where}: count`, what, session.scrub)
        const dims = objectAt(
          group.dimensions,
          `${where}: dimensions`,
          what,
          session.scrub
        )
        const value = amount(
          dims[dimension],
          `${where}: ${dimension}`,
          what,
          session.scrub
        )
        if (after !== undefined && !(value > after))
          throw invalidAnswer(
            what,
            `${where} has ${dimension} ${value}, not past ${after} (the value before it${i === 0 ? ', the last of the page before' : ''}): the values must rise strictly`
          )
        after = value
        const c = groupConfidence(group, count, where, what, session.scrub)
        sample = addSample(sample, c.count, c.sampled)
        merged.set(value, addCounts(merged.get(value) ?? 0, count, what))
      }
      if (groups.length < limit) break
    }
  }
  const values = [...merged.keys()].sort((a, b) => a - b)
  return { values, counts: values.map((v) => merged.get(v)!), sample }
}

// ---- lists of one page: models, status codes, trend ----

/**
 * The groups of a one-page list query, chunk by chunk, each read by `read`. `full`: some chunk
 * returned a whole page, so groups past it may be missing.
 */
async function readList<T>(
  session: AnalyticsSession,
  selection: AnalyticsSelection,
  settings: AnalyticsSettings,
  what: string,
  query: string,
  read: (
    group: Record<string, unknown>,
    where: string
  ) => { key: string; row: T }
): Promise<{ chunks: T[][]; full: boolean; sample: Sample }> {
  const chunks: T[][] = []
  let full = false
  let sample = NO_SAMPLE
  for (const chunk of chunksOf(selection, settings, session, what)) {
    const data = await queryData(
      session,
      what,
      query,
      variables(session, selectionFilter(chunk))
    )
    const groups = groupsOf(data, settings.maxPageSize, what, session)
    full ||= groups.length === settings.maxPageSize
    const seen = new Set<string>()
    chunks.push(
      groups.map((group, i) => {
        const where = `group ${i + 1}`
        const { key, row } = read(group, where)
        // A group-by answers each key once: twice is not an answer to the query.
        if (seen.has(key))
          throw invalidAnswer(what, `${where} repeats ${inline(key, 120)}`)
        seen.add(key)
        const count = whole(group.count, `${where}: count`, what, session.scrub)
        const c = groupConfidence(group, count, where, what, session.scrub)
        sample = addSample(sample, c.count, c.sampled)
        return row
      })
    )
  }
  return { chunks, full, sample }
}

function stringAt(
  value: unknown,
  where: string,
  what: string,
  scrub: Scrub
): string {
  if (typeof value !== 'string')
    throw invalidAnswer(
      what,
      `${where} is ${shown(value, scrub)}, not a string`
    )
  return value
}

/**
 * Calls per provider and model, chunk by chunk. `full`: a chunk returned a whole page, so models past
 * it may be missing (one query a chunk; no paging for a list the report only shows).
 */
export async function readModels(
  session: AnalyticsSession,
  selection: AnalyticsSelection,
  settings: AnalyticsSettings,
  sums: readonly SumField[]
): Promise<{ chunks: ModelRow[][]; full: boolean; sample: Sample }> {
  const what = 'models'
  const { scrub } = session
  return readList<ModelRow>(
    session,
    selection,
    settings,
    what,
    modelsQuery(sums, settings.maxPageSize),
    (group, where) => {
      const dims = objectAt(
        group.dimensions,
        `${where}: dimensions`,
        what,
        scrub
      )
      // Names come from the API: the caller's secrets are taken out before they are kept.
      const provider = scrub(
        stringAt(dims.provider, `${where}: provider`, what, scrub)
      )
      const model = scrub(stringAt(dims.model, `${where}: model`, what, scrub))
      const row = {
        provider,
        model,
        count: whole(group.count, `${where}: count`, what, scrub),
        sums: sumsOf(group, sums, where, what, scrub)
      }
      return { key: JSON.stringify([provider, model]), row }
    }
  )
}

/**
 * Calls per status code (null: not reported), merged over the chunks, ascending by code, with what the
 * query's own confidence says. Checked against the totals by the source (every call has one code).
 */
export async function readStatusCodes(
  session: AnalyticsSession,
  selection: AnalyticsSelection,
  settings: AnalyticsSettings
): Promise<{ rows: StatusRow[]; sample: Sample }> {
  const what = 'status codes'
  const { scrub } = session
  const { chunks, full, sample } = await readList<StatusRow>(
    session,
    selection,
    settings,
    what,
    statusCodesQuery(settings.maxPageSize),
    (group, where) => {
      const dims = objectAt(
        group.dimensions,
        `${where}: dimensions`,
        what,
        scrub
      )
      const code =
        dims.statusCode === null
          ? null
          : whole(dims.statusCode, `${where}: statusCode`, what, scrub)
      return {
        key: String(code),
        row: { code, count: whole(group.count, `${where}: count`, what, scrub) }
      }
    }
  )
  // A whole page of distinct status codes means some may be missing, and a status check must see them all.
  if (full)
    throw invalidAnswer(
      what,
      `${settings.maxPageSize} distinct status codes, a whole page: some may be missing`
    )
  const merged = new Map<number | null, number>()
  for (const row of chunks.flat())
    merged.set(row.code, addCounts(merged.get(row.code) ?? 0, row.count, what))
  const rows = [...merged]
    .map(([code, count]) => ({ code, count }))
    .sort((a, b) => (a.code ?? -1) - (b.code ?? -1))
  return { rows, sample }
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/

/** Calls, and the sums asked for, per UTC day of the selection, chunk by chunk; and whether it was sampled. */
export async function readTrend(
  session: AnalyticsSession,
  selection: AnalyticsSelection,
  settings: AnalyticsSettings,
  sums: readonly SumField[]
): Promise<{ chunks: TrendRow[][]; sample: Sample }> {
  const what = 'trend'
  const { scrub } = session
  const first = isoDay(selection.sinceMs)
  const last = isoDay(selection.untilMs - 1)
  const { chunks, sample } = await readList<TrendRow>(
    session,
    selection,
    settings,
    what,
    trendQuery(sums, settings.maxPageSize),
    (group, where) => {
      const dims = objectAt(
        group.dimensions,
        `${where}: dimensions`,
        what,
        scrub
      )
      const date = stringAt(dims.date, `${where}: date`, what, scrub)
      if (
        !DATE_RE.test(date) ||
        isoDay(Date.parse(`${date}T00:00:00Z`)) !== date ||
        date < first ||
        date > last
      )
        throw invalidAnswer(
          what,
          `${where}: date ${shown(date, scrub)} is not a day from ${first} to ${last}`
        )
      return {
        key: date,
        row: {
          date,
          count: whole(group.count, `${where}: count`, what, scrub),
          sums: sumsOf(group, sums, where, what, scrub)
        }
      }
    }
  )
  return { chunks, sample }
}

/** The UTC day of a time, YYYY-MM-DD; `invalid` for a time no Date holds. */
export function isoDay(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15
    ? new Date(ms).toISOString().slice(0, 10)
    : 'invalid'
}
