// A fake of Cloudflare's GraphQL Analytics over a list of calls, as a GatewayDeps `post`: it answers the
// queries the client sends (recognised by their operation name) from the calls, the way the documented
// API does: HTTP 200 with `{data}`; groups of aiGatewayRequestsAdaptiveGroups with `count`, `sum {…}`,
// `dimensions {…}` and `confidence(level) { count/sum { estimate lower upper sampleSize } }`
// (https://developers.cloudflare.com/analytics/graphql-api/features/confidence-intervals/); the
// settings node `enabled availableFields maxDuration notOlderThan maxPageSize` (seconds; the limits
// third parties saw: 32 days, 62 days, 10,000). Costs are whole micro-dollars so that its sums are the
// exact decimals a real API writes; the tests' own truth is computed separately from the same calls.
import type { GatewayDeps, RawResponse } from '../../src/cloudflare/gateway.js'

export interface FakeCall {
  atMs: number
  durationMs: number
  /** USD in millionths: the fake writes sums as exact decimals. */
  costMicros: number
  tokensIn: number
  tokensOut: number
  errored: boolean
  cached: boolean
  statusCode: number | null
  model: string
  provider: string
  metadataValues: string[]
}

export const ALL_FIELDS = [
  'count',
  'confidence',
  'sum_cost',
  'sum_erroredRequests',
  'sum_cachedRequests',
  'sum_tokensIn',
  'sum_tokensOut',
  'dimensions_durationMs',
  'dimensions_cost',
  'dimensions_tokensIn',
  'dimensions_tokensOut',
  'dimensions_model',
  'dimensions_provider',
  'dimensions_date',
  'dimensions_statusCode'
]

export interface FakeSettings {
  enabled: boolean
  availableFields: string[]
  maxDuration: number
  notOlderThan: number
  maxPageSize: number
}

export const DEFAULT_SETTINGS: FakeSettings = {
  enabled: true,
  availableFields: ALL_FIELDS,
  maxDuration: 2_764_800,
  notOlderThan: 5_356_800,
  maxPageSize: 10_000
}

export interface Posted {
  url: string
  headers: Record<string, string>
  operation: string
  query: string
  variables: Record<string, unknown>
}

/** Micro-dollars as the decimal an API writes: 1234567 → 1.234567. */
export function usd(micros: number): number {
  const whole = Math.floor(micros / 1e6)
  const frac = String(micros % 1e6).padStart(6, '0')
  return Number(`${whole}.${frac}`)
}

/** A deterministic pseudo-random generator (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** `n` calls spread over [sinceMs, untilMs), with durations, costs and tokens of a busy gateway. */
export function generateCalls(
  n: number,
  sinceMs: number,
  untilMs: number,
  seed = 1
): FakeCall[] {
  const random = seeded(seed)
  const models = [
    ['openai', 'gpt-4o'],
    ['openai', 'gpt-4o-mini'],
    ['anthropic', 'claude-sonnet']
  ] as const
  return Array.from({ length: n }, () => {
    const [provider, model] = models[Math.floor(random() * models.length)]!
    const errored = random() < 0.05
    return {
      atMs: sinceMs + Math.floor(random() * (untilMs - sinceMs)),
      durationMs: 50 + Math.floor(random() * random() * 20_000),
      costMicros: Math.floor(random() * 5000),
      tokensIn: Math.floor(random() * 4000),
      tokensOut: Math.floor(random() * 1000),
      errored,
      cached: random() < 0.2,
      statusCode: errored ? (random() < 0.5 ? 500 : 429) : 200,
      model,
      provider,
      metadataValues: random() < 0.5 ? ['run-1'] : ['run-2']
    }
  })
}

type Filter = Record<string, unknown>

function matches(call: FakeCall, filter: Filter, gatewayId: string): boolean {
  if (Array.isArray(filter.AND))
    return (filter.AND as Filter[]).every((f) => matches(call, f, gatewayId))
  for (const [key, value] of Object.entries(filter)) {
    if (key === 'gateway' && value !== gatewayId) return false
    if (key === 'datetime_geq' && call.atMs < Date.parse(value as string))
      return false
    if (key === 'datetime_lt' && call.atMs >= Date.parse(value as string))
      return false
    if (
      key === 'metadataValues_has' &&
      !call.metadataValues.includes(value as string)
    )
      return false
    if (key.endsWith('_gt')) {
      const dim = key.slice(0, -3) as 'durationMs' | 'cost' | 'tokensIn'
      if (!((dimension(call, dim) as number) > (value as number))) return false
    }
  }
  return true
}

function dimension(call: FakeCall, name: string): number | string | null {
  switch (name) {
    case 'durationMs':
      return call.durationMs
    case 'cost':
      return usd(call.costMicros)
    case 'tokensIn':
      return call.tokensIn
    case 'tokensOut':
      return call.tokensOut
    case 'statusCode':
      return call.statusCode
    case 'date':
      return new Date(call.atMs).toISOString().slice(0, 10)
    default:
      throw new Error(`the fake knows no dimension ${name}`)
  }
}

function sums(calls: FakeCall[], fields: string[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const field of fields) {
    if (field === 'cost')
      out.cost = usd(calls.reduce((n, c) => n + c.costMicros, 0))
    if (field === 'erroredRequests')
      out.erroredRequests = calls.filter((c) => c.errored).length
    if (field === 'cachedRequests')
      out.cachedRequests = calls.filter((c) => c.cached).length
    if (field === 'tokensIn')
      out.tokensIn = calls.reduce((n, c) => n + c.tokensIn, 0)
    if (field === 'tokensOut')
      out.tokensOut = calls.reduce((n, c) => n + c.tokensOut, 0)
  }
  return out
}

/** The confidence of a figure: exact (lower = upper = estimate) unless sampled at `rate`. */
function confidence(value: number, calls: number, rate: number | undefined) {
  if (rate === undefined)
    return { estimate: value, lower: value, upper: value, sampleSize: calls }
  return {
    estimate: value,
    lower: value * 0.9,
    upper: value * 1.1,
    sampleSize: Math.max(1, Math.floor(calls * rate))
  }
}

export interface FakeAnalytics {
  post: NonNullable<GatewayDeps['post']>
  posted: Posted[]
  operations: () => string[]
}

/**
 * The fake. `intercept` may answer a posted query instead (hostile answers, refusals, faults); it gets
 * the operation and the number of that operation posted so far (from 1).
 */
export function fakeAnalytics(options: {
  calls: FakeCall[]
  gatewayId?: string
  accountId?: string
  settings?: Partial<FakeSettings>
  sampleRate?: number
  /** Which queries sampleRate samples (by operation): all when not given. */
  sampled?: (operation: string) => boolean
  intercept?: (posted: Posted, nth: number) => RawResponse | undefined
}): FakeAnalytics {
  const gatewayId = options.gatewayId ?? 'gw'
  const settings = { ...DEFAULT_SETTINGS, ...options.settings }
  const posted: Posted[] = []
  const post: FakeAnalytics['post'] = async (url, headers, body) => {
    const { query, variables } = JSON.parse(body) as {
      query: string
      variables: Record<string, unknown>
    }
    const operation = /query (\w+)/.exec(query)![1]!
    const entry = { url, headers, operation, query, variables }
    posted.push(entry)
    const nth = posted.filter((p) => p.operation === operation).length
    const intercepted = options.intercept?.(entry, nth)
    if (intercepted) return intercepted
    const ok = (data: unknown): RawResponse => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data, errors: null })
    })
    const account = (node: unknown) => ({ viewer: { accounts: [node] } })
    if (operation === 'Settings')
      return ok(
        account({
          settings: { aiGatewayRequestsAdaptiveGroups: settings }
        })
      )
    const filter = variables.filter as Filter
    const selected = options.calls.filter((c) => matches(c, filter, gatewayId))
    const limit = Number(/limit: (\d+)/.exec(query)![1])
    const sumFields = /sum \{ ([\w ]+?) \}/.exec(query)?.[1]?.split(' ') ?? []
    const groupBy = (key: (c: FakeCall) => string) => {
      const groups = new Map<string, FakeCall[]>()
      for (const c of selected)
        groups.set(key(c), [...(groups.get(key(c)) ?? []), c])
      return groups
    }
    const rate =
      (options.sampled?.(operation) ?? true) ? options.sampleRate : undefined
    // Every grouped query asks its own count interval: `confidence(level) { count {…} }`.
    const groupConfidence = (cs: FakeCall[]) =>
      query.includes('confidence')
        ? { confidence: { count: confidence(cs.length, cs.length, rate) } }
        : {}
    let groups: unknown[]
    switch (operation) {
      case 'Totals':
        groups =
          selected.length === 0
            ? []
            : [
                {
                  count: selected.length,
                  ...(sumFields.length
                    ? { sum: sums(selected, sumFields) }
                    : {}),
                  confidence: {
                    count: confidence(selected.length, selected.length, rate),
                    sum: Object.fromEntries(
                      Object.entries(sums(selected, sumFields)).map(
                        ([k, v]) => [k, confidence(v, selected.length, rate)]
                      )
                    )
                  }
                }
              ]
        break
      case 'Histogram': {
        const dim = /dimensions \{ (\w+) \}/.exec(query)![1]!
        const byValue = groupBy((c) => String(dimension(c, dim)))
        groups = [...byValue.values()]
          .map((cs) => ({
            count: cs.length,
            dimensions: { [dim]: dimension(cs[0]!, dim) },
            ...groupConfidence(cs)
          }))
          .sort(
            (a, b) =>
              (a.dimensions[dim] as number) - (b.dimensions[dim] as number)
          )
          .slice(0, limit)
        break
      }
      case 'Models':
        groups = [...groupBy((c) => `${c.provider}/${c.model}`).values()]
          .map((cs) => ({
            count: cs.length,
            sum: sums(cs, sumFields),
            dimensions: { model: cs[0]!.model, provider: cs[0]!.provider },
            ...groupConfidence(cs)
          }))
          .slice(0, limit)
        break
      case 'StatusCodes':
        groups = [...groupBy((c) => String(c.statusCode)).values()].map(
          (cs) => ({
            count: cs.length,
            dimensions: { statusCode: cs[0]!.statusCode },
            ...groupConfidence(cs)
          })
        )
        break
      case 'Trend':
        groups = [...groupBy((c) => dimension(c, 'date') as string).values()]
          .map((cs) => ({
            count: cs.length,
            sum: sums(cs, sumFields),
            dimensions: { date: dimension(cs[0]!, 'date') },
            ...groupConfidence(cs)
          }))
          .sort((a, b) => (a.dimensions.date! < b.dimensions.date! ? -1 : 1))
        break
      default:
        throw new Error(`the fake knows no query ${operation}`)
    }
    return ok(account({ aiGatewayRequestsAdaptiveGroups: groups }))
  }
  return { post, posted, operations: () => posted.map((p) => p.operation) }
}

/** GatewayDeps around a fake `post`: no GET, no sleeping, a fixed clock. */
export function fakeDeps(
  post: FakeAnalytics['post'],
  nowMs: number,
  extra: Partial<GatewayDeps> = {}
): GatewayDeps {
  return {
    send: () => Promise.reject(new Error('no GET expected')),
    post,
    sleep: () => Promise.resolve(),
    now: () => nowMs,
    random: () => 0,
    debug: () => undefined,
    ...extra
  }
}

/** A point interval: the `confidence.count` of an unsampled group of `n` calls. */
export const exactCount = (n: number) => ({
  count: { estimate: n, lower: n, upper: n, sampleSize: n }
})

/** An answer of the dataset node with these groups, as raw HTTP. */
export function groupsAnswer(groups: unknown): RawResponse {
  return graphqlAnswer({
    data: {
      viewer: { accounts: [{ aiGatewayRequestsAdaptiveGroups: groups }] }
    }
  })
}

export function graphqlAnswer(body: unknown, status = 200): RawResponse {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body)
  }
}
