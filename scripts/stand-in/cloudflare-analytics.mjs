// Cloudflare's GraphQL Analytics API (POST /client/v4/graphql), as far as the evidence goes, for the
// AI Gateway dataset only: `viewer { accounts(filter: {accountTag}) { settings { aiGatewayRequestsAdaptiveGroups
// {...} } aiGatewayRequestsAdaptiveGroups(limit, filter, orderBy) {...} } }`. Queries are parsed with
// graphql-js (the reference parser) and walked here against the fields, filters and orderings the
// evidence lists; anything else is an `errors` answer with `data: null`, never a made-up value.
// Every behaviour names its row of ANALYTICS_ASSUMPTIONS (cloudflare-analytics-assumptions.mjs) in
// brackets; the calls come from cloudflare-analytics-calls.mjs, generated on the fly.
import { Kind, parse } from 'graphql'
import {
  fillCall,
  firstIndexAtOrAfter,
  gatewayOptions,
  utcDate
} from './cloudflare-analytics-calls.mjs'
import { sendJson } from './send-json.mjs'

export const DATASET = 'aiGatewayRequestsAdaptiveGroups'
/** The sum fields [analytics.sum-fields]; `cost` summed in micro-dollars, exactly. */
export const SUM_FIELDS = [
  'cost',
  'erroredRequests',
  'cachedRequests',
  'cachedTokensIn',
  'cachedTokensOut',
  'uncachedTokensIn',
  'uncachedTokensOut',
  'tokensIn',
  'tokensOut'
]
/** The dimensions [analytics.dimensions], with the type each is answered as. */
export const DIMENSIONS = {
  model: 'string',
  provider: 'string',
  gateway: 'string',
  statusCode: 'int',
  cached: 'boolean',
  error: 'boolean',
  durationMs: 'int',
  cost: 'float',
  tokensIn: 'int',
  tokensOut: 'int',
  date: 'date',
  datetime: 'time',
  datetimeHour: 'time',
  datetimeMinute: 'time'
}
/** Dimensions with `_gt` / `_geq` filters, for paging on the last value [analytics.paging-gt-inferred]. */
const PAGED = ['durationMs', 'cost', 'tokensIn', 'tokensOut', 'date']
/** The settings node's fields [analytics.settings-node]. */
const SETTINGS_FIELDS = [
  'enabled',
  'availableFields',
  'maxDuration',
  'notOlderThan',
  'maxPageSize',
  'maxNumberOfFields'
]
export const MAX_PAGE_SIZE = 10_000
export const MAX_NUMBER_OF_FIELDS = 30
/** The parser stops past this many tokens: a megabyte of query is an error, not a minute of work. */
const MAX_TOKENS = 20_000
const MAX_FILTER_DEPTH = 8
/** Brackets nested deeper than this (a real query has about 10) are refused before parsing. */
const MAX_DEPTH = 64
const TYPE = {
  query: 'Query',
  viewer: 'viewer',
  account: 'account',
  settings: 'AccountSettings',
  settingsNode: 'Settings',
  groups: 'AccountAiGatewayRequestsAdaptiveGroups',
  sum: 'AccountAiGatewayRequestsAdaptiveGroupsSum',
  dimensions: 'AccountAiGatewayRequestsAdaptiveGroupsDimensions',
  confidence: 'AccountAiGatewayRequestsAdaptiveGroupsConfidence',
  confidenceSum: 'AccountAiGatewayRequestsAdaptiveGroupsConfidenceSum',
  interval: 'ConfidenceInterval',
  filter: 'AccountAiGatewayRequestsAdaptiveGroupsFilter_InputObject'
}

/** A refusal: its message and path become one GraphQL error [analytics.errors-shape]. */
class Refusal extends Error {
  constructor(message, path, status) {
    super(message)
    this.path = path
    this.status = status
  }
}

/** Every field path of the dataset as availableFields names them: nested ones joined by `_` [analytics.available-fields-paths]. */
export function allAvailableFields() {
  return [
    'count',
    ...SUM_FIELDS.map((f) => `sum_${f}`),
    ...Object.keys(DIMENSIONS).map((d) => `dimensions_${d}`),
    'confidence'
  ]
}

/** The inverse of the standard normal distribution (Acklam's rational approximation, |error| < 1.2e-9). */
function normalQuantile(p) {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269,
    -30.66479806614716, 2.506628277459239
  ]
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866,
    66.80131188771972, -13.28068155288572
  ]
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838,
    -2.549732539343734, 4.374664141464968, 2.938163982698783
  ]
  const d = [
    0.007784695709041462, 0.3224671290700398, 2.445134137142996,
    3.754408661907416
  ]
  const low = 0.02425
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p))
    return (
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    )
  }
  if (p > 1 - low) return -normalQuantile(1 - p)
  const q = p - 0.5
  const r = q * q
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) *
      q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  )
}

/**
 * The analytics side of one stand-in: gateways of generated calls registered by id, the GraphQL
 * handler, and the count of queries received per gateway.
 */
export function createAnalytics({ token }) {
  /** Registered gateways: id -> options with defaults. */
  const gateways = new Map()
  /** Every GraphQL request answered: { gateways (the ids its filters named), ok, timeMs }. */
  const queries = []
  let refusalStatus = 200
  /** { limit, windowMs, times } or null [analytics.rate-limit-300]. */
  let rateLimit = null

  /**
   * Registers a gateway of generated calls (see gatewayOptions for the options and defaults). Options
   * that the real API holds per account (enabled, unentitled, maxDurationS, notOlderThanS) are the
   * settings of the account `account` (any account when not given): give such a gateway an account of
   * its own, so that other tests' settings are not changed.
   */
  function register(id, options = {}) {
    const o = gatewayOptions(options)
    gateways.delete(id)
    gateways.set(id, { ...o, id })
    return o
  }

  /** The settings of an account: those of the last gateway registered for it, else for any account, else the defaults. */
  function settingsOf(accountTag) {
    const all = [...gateways.values()].reverse()
    return (
      all.find((g) => g.account === accountTag) ??
      all.find((g) => g.account === null) ??
      gatewayOptions({ calls: 0, sinceMs: 0, untilMs: 1 })
    )
  }
  const visibleTo = (accountTag) =>
    [...gateways.values()].filter(
      (g) => g.account === null || g.account === accountTag
    )

  function answer(res, status, body) {
    sendJson(res, status, body)
  }

  /** POST /client/v4/graphql. */
  function handle(req, res, raw) {
    const record = { gateways: [], ok: false, timeMs: Date.now() }
    queries.push(record)
    // A wrong token [analytics.auth-401].
    if (req.headers.authorization !== `Bearer ${token}`)
      return answer(res, 401, errorBody([{ message: 'Unauthorized' }]))
    if (rateLimit) {
      const nowMs = Date.now()
      rateLimit.times = rateLimit.times.filter(
        (t) => t > nowMs - rateLimit.windowMs
      )
      rateLimit.times.push(nowMs)
      if (rateLimit.times.length > rateLimit.limit)
        return answer(
          res,
          429,
          errorBody([
            {
              message: 'rate limiter budget depleted, try again after 5 minutes'
            }
          ])
        )
    }
    let body
    try {
      body = JSON.parse(raw)
    } catch {
      body = undefined
    }
    if (!body || typeof body !== 'object' || typeof body.query !== 'string')
      // Not a GraphQL request at all [analytics.bad-request-assumed].
      return answer(
        res,
        400,
        errorBody([
          {
            message:
              'error parsing request: the body must be JSON with a "query" string'
          }
        ])
      )
    try {
      const data = run(body, record)
      record.ok = true
      // Success: `errors` is null [analytics.errors-shape].
      return answer(res, 200, { data, errors: null })
    } catch (error) {
      if (!(error instanceof Refusal)) throw error
      return answer(
        res,
        error.status ?? refusalStatus,
        errorBody([{ message: error.message, path: error.path ?? null }])
      )
    }
  }

  /** Runs one request's query; returns `data` or throws a Refusal. */
  function run(body, record) {
    // The parser recurses once a level: a query nested deeper than any real one is refused before it.
    let depth = 0
    for (let i = 0; i < body.query.length; i++) {
      const c = body.query.charCodeAt(i)
      if (c === 123 || c === 40 || c === 91) depth++
      else if (c === 125 || c === 41 || c === 93) depth--
      if (depth > MAX_DEPTH)
        throw new Refusal(
          `query is nested more than ${MAX_DEPTH} levels deep`,
          null
        )
    }
    let document
    try {
      document = parse(body.query, { maxTokens: MAX_TOKENS })
    } catch (error) {
      throw new Refusal(error.message, null)
    }
    const operations = document.definitions.filter(
      (d) => d.kind === Kind.OPERATION_DEFINITION
    )
    const fragments = new Map(
      document.definitions
        .filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)
        .map((d) => [d.name.value, d])
    )
    if (
      document.definitions.some(
        (d) =>
          d.kind !== Kind.OPERATION_DEFINITION &&
          d.kind !== Kind.FRAGMENT_DEFINITION
      )
    )
      throw new Refusal('only queries and fragments can be executed', null)
    let operation
    if (body.operationName) {
      operation = operations.find((o) => o.name?.value === body.operationName)
      if (!operation)
        throw new Refusal(
          `Unknown operation named "${body.operationName}".`,
          null
        )
    } else if (operations.length === 1) operation = operations[0]
    else
      throw new Refusal(
        operations.length
          ? 'Must provide operation name if query contains multiple operations.'
          : 'Must provide an operation.',
        null
      )
    if (operation.operation !== 'query')
      throw new Refusal(
        `Schema is not configured for ${operation.operation}s.`,
        null
      )

    const given =
      body.variables && typeof body.variables === 'object' ? body.variables : {}
    const variables = {}
    for (const def of operation.variableDefinitions ?? []) {
      const name = def.variable.name.value
      if (name in given) variables[name] = given[name]
      else if (def.defaultValue) variables[name] = valueOf(def.defaultValue, {})
      else if (def.type.kind === Kind.NON_NULL_TYPE)
        throw new Refusal(
          `Variable "$${name}" of required type "${typeText(def.type)}" was not provided.`,
          null
        )
    }
    const ctx = {
      variables,
      fragments,
      record,
      declared: new Set(Object.keys(variables))
    }
    return selectObject(
      operation.selectionSet,
      TYPE.query,
      [],
      ctx,
      (field) => {
        if (field === 'viewer') return (sel, p) => viewer(sel, p, ctx)
        return undefined
      }
    )
  }

  /** The value of an argument's AST, variables resolved. */
  function valueOf(node, variables, depth = 0) {
    if (depth > 32)
      throw new Refusal('error parsing args: value nested too deeply', null)
    switch (node.kind) {
      case Kind.VARIABLE:
        if (!(node.name.value in variables))
          throw new Refusal(
            `Variable "$${node.name.value}" is not defined.`,
            null
          )
        return variables[node.name.value]
      case Kind.INT:
        return Number.parseInt(node.value, 10)
      case Kind.FLOAT:
        return Number.parseFloat(node.value)
      case Kind.STRING:
      case Kind.ENUM:
        return node.value
      case Kind.BOOLEAN:
        return node.value
      case Kind.NULL:
        return null
      case Kind.LIST:
        return node.values.map((v) => valueOf(v, variables, depth + 1))
      case Kind.OBJECT:
        return Object.fromEntries(
          node.fields.map((f) => [
            f.name.value,
            valueOf(f.value, variables, depth + 1)
          ])
        )
    }
    throw new Refusal('error parsing args: unsupported value', null)
  }

  /** The fields of a selection set, fragments flattened: [{ key, name, node }]. */
  function fieldsOf(selectionSet, ctx, depth = 0) {
    if (depth > 16) throw new Refusal('fragments nested too deeply', null)
    const out = []
    for (const s of selectionSet.selections) {
      if (s.kind === Kind.FIELD)
        out.push({
          key: s.alias?.value ?? s.name.value,
          name: s.name.value,
          node: s
        })
      else if (s.kind === Kind.INLINE_FRAGMENT)
        out.push(...fieldsOf(s.selectionSet, ctx, depth + 1))
      else {
        const fragment = ctx.fragments.get(s.name.value)
        if (!fragment)
          throw new Refusal(`Unknown fragment "${s.name.value}".`, null)
        out.push(...fieldsOf(fragment.selectionSet, ctx, depth + 1))
      }
    }
    return out
  }

  function argsOf(node, ctx, allowed, typeName, path) {
    const args = {}
    for (const a of node.arguments ?? []) {
      if (!allowed.includes(a.name.value))
        throw new Refusal(
          `Unknown argument "${a.name.value}" on field "${typeName}.${node.name.value}".`,
          path
        )
      args[a.name.value] = valueOf(a.value, ctx.variables)
    }
    return args
  }

  const unknownField = (name, typeName, path) =>
    new Refusal(`Cannot query field "${name}" on type "${typeName}".`, path)

  /**
   * An object's fields: `resolve(name, path)` gives a function of (selection node, path) for a known
   * field, undefined for an unknown one (an error [analytics.unknown-field]).
   */
  function selectObject(selectionSet, typeName, path, ctx, resolve) {
    if (!selectionSet)
      throw new Refusal(
        `Field "${path.at(-1)}" of type "${typeName}" must have a selection of subfields.`,
        path
      )
    const out = {}
    for (const f of fieldsOf(selectionSet, ctx)) {
      const p = [...path, f.key]
      if (f.name === '__typename') {
        out[f.key] = typeName
        continue
      }
      const fn = resolve(f.name, p)
      if (!fn) throw unknownField(f.name, typeName, p)
      out[f.key] = fn(f.node, p)
    }
    return out
  }
  const scalar = (node, path, value) => {
    // [analytics.errors-shape]: Cloudflare's documented wording for a selection on a scalar.
    if (node.selectionSet)
      throw new Refusal('scalar fields must have not selections', path)
    return value
  }

  function viewer(node, path, ctx) {
    return selectObject(node.selectionSet, TYPE.viewer, path, ctx, (field) => {
      if (field !== 'accounts') return undefined
      return (sel, p) => {
        const args = argsOf(sel, ctx, ['filter', 'limit'], TYPE.viewer, p)
        const accountTag = args.filter?.accountTag
        if (
          typeof accountTag !== 'string' ||
          Object.keys(args.filter).some((k) => k !== 'accountTag')
        )
          throw new Refusal(
            'error parsing args: accounts needs filter: {accountTag: "<account id>"}',
            p
          )
        return [account(sel, [...p, '0'], ctx, accountTag)]
      }
    })
  }

  function account(node, path, ctx, accountTag) {
    return selectObject(node.selectionSet, TYPE.account, path, ctx, (field) => {
      if (field === 'settings')
        return (sel, p) =>
          selectObject(sel.selectionSet, TYPE.settings, p, ctx, (f) =>
            f === DATASET
              ? (s, pp) => settingsNode(s, pp, ctx, accountTag)
              : undefined
          )
      if (field === DATASET) return (sel, p) => dataset(sel, p, ctx, accountTag)
      return undefined
    })
  }

  /** The settings node [analytics.settings-node]: availableFields leaves out what the account is not entitled to. */
  function settingsNode(node, path, ctx, accountTag) {
    const s = settingsOf(accountTag)
    const values = {
      enabled: s.enabled,
      availableFields: allAvailableFields().filter(
        (f) => !s.unentitled.includes(f)
      ),
      maxDuration: s.maxDurationS,
      notOlderThan: s.notOlderThanS,
      maxPageSize: MAX_PAGE_SIZE,
      maxNumberOfFields: MAX_NUMBER_OF_FIELDS
    }
    return selectObject(node.selectionSet, TYPE.settingsNode, path, ctx, (f) =>
      SETTINGS_FIELDS.includes(f)
        ? (sel, p) => scalar(sel, p, values[f])
        : undefined
    )
  }

  /** Reads what the dataset node asks into a plan: the output shape, the dimensions, the fields (paths). */
  function planOf(node, path, ctx) {
    const used = new Set()
    const dims = new Set()
    let level = null
    const interval = (sel, p, field) =>
      selectObject(sel.selectionSet, TYPE.interval, p, ctx, (f) =>
        ['estimate', 'lower', 'upper', 'sampleSize'].includes(f)
          ? (s, pp) => {
              scalar(s, pp)
              return { kind: 'interval', field, part: f }
            }
          : undefined
      )
    const shape = selectObject(
      node.selectionSet,
      TYPE.groups,
      path,
      ctx,
      (field) => {
        if (field === 'count')
          return (sel, p) => {
            used.add('count')
            return scalar(sel, p, { kind: 'count' })
          }
        if (field === 'sum')
          return (sel, p) =>
            selectObject(sel.selectionSet, TYPE.sum, p, ctx, (f) =>
              SUM_FIELDS.includes(f)
                ? (s, pp) => {
                    used.add(`sum_${f}`)
                    return scalar(s, pp, { kind: 'sum', field: f })
                  }
                : undefined
            )
        if (field === 'dimensions')
          return (sel, p) =>
            selectObject(sel.selectionSet, TYPE.dimensions, p, ctx, (f) =>
              f in DIMENSIONS
                ? (s, pp) => {
                    used.add(`dimensions_${f}`)
                    dims.add(f)
                    return scalar(s, pp, { kind: 'dimension', field: f })
                  }
                : undefined
            )
        if (field === 'confidence')
          return (sel, p) => {
            used.add('confidence')
            const args = argsOf(sel, ctx, ['level'], TYPE.groups, p)
            if (
              typeof args.level !== 'number' ||
              !(args.level > 0 && args.level < 1)
            )
              throw new Refusal(
                'error parsing args: confidence level must be a number between 0 and 1',
                p
              )
            if (level !== null && level !== args.level)
              throw new Refusal(
                'error parsing args: one confidence level a query',
                p
              )
            level = args.level
            return selectObject(
              sel.selectionSet,
              TYPE.confidence,
              p,
              ctx,
              (f) => {
                if (f === 'count') return (s, pp) => interval(s, pp, 'count')
                if (f === 'sum')
                  return (s, pp) =>
                    selectObject(
                      s.selectionSet,
                      TYPE.confidenceSum,
                      pp,
                      ctx,
                      (g) =>
                        SUM_FIELDS.includes(g)
                          ? (x, px) => interval(x, px, g)
                          : undefined
                    )
                return undefined
              }
            )
          }
        return undefined
      }
    )
    return { shape, used, dims: [...dims], level }
  }

  /** The dataset node [analytics.dataset-node]. */
  function dataset(node, path, ctx, accountTag) {
    const args = argsOf(
      node,
      ctx,
      ['limit', 'filter', 'orderBy'],
      TYPE.account,
      path
    )
    const plan = planOf(node, path, ctx)
    const filter = readFilter(args.filter ?? {}, path)
    ctx.record.gateways.push(...filter.gateways)
    const selected = visibleTo(accountTag).filter(
      (g) =>
        filter.gateways.length === 0 ||
        filter.gateways.every((id) => id === g.id)
    )
    // One gateway asked for: its settings; otherwise the account's.
    const s =
      filter.gateways.length > 0 && selected.length === 1
        ? selected[0]
        : settingsOf(accountTag)
    if (!s.enabled)
      throw new Refusal(
        `account '${accountTag}' does not have access to the path ${DATASET}`,
        path
      ) // [analytics.disabled-assumed]
    const denied = [...plan.used].find((f) => s.unentitled.includes(f))
    if (denied)
      throw new Refusal(
        `account '${accountTag}' does not have access to the path ${denied}`,
        path
      ) // [analytics.unentitled-whole-query]
    if (plan.used.size > MAX_NUMBER_OF_FIELDS)
      throw new Refusal(
        `number of fields can't be more than ${MAX_NUMBER_OF_FIELDS}`,
        path
      ) // [analytics.max-fields-30]
    const limit = args.limit
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE)
      throw new Refusal(
        `limit must be positive number and not greater than ${MAX_PAGE_SIZE}`,
        path
      ) // [analytics.limits]
    const order = readOrder(args.orderBy, plan.dims, path)
    // The time range [analytics.limits], [analytics.limits].
    const nowMs = Date.now()
    const fromMs = filter.fromMs ?? nowMs - s.notOlderThanS * 1000
    const toMs = filter.toMs ?? nowMs
    if (fromMs < nowMs - s.notOlderThanS * 1000)
      throw new Refusal(
        `cannot request data older than ${s.notOlderThanS}s`,
        path
      )
    if (toMs - fromMs > s.maxDurationS * 1000)
      throw new Refusal(
        `query time range is too large, it cannot be more than ${s.maxDurationS}s`,
        path
      )

    const groups = aggregate(selected, plan, filter, fromMs, toMs, nowMs)
    order(groups)
    return groups.slice(0, limit).map((g) => render(plan.shape, g, plan.level))
  }

  /**
   * A filter object as a conjunction: the gateways named, the time window [fromMs, toMs) and the
   * other conditions as predicates over a call [analytics.filters]. Unknown keys are refused.
   */
  function readFilter(filter, path) {
    const out = { gateways: [], fromMs: undefined, toMs: undefined, tests: [] }
    const bad = (message) => new Refusal(`error parsing args: ${message}`, path)
    const time = (key, v) => {
      const t =
        typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v)
          ? Date.parse(v)
          : Number.NaN
      if (!Number.isFinite(t))
        throw bad(`${key}: ${JSON.stringify(v)} is not a time (RFC 3339)`)
      return t
    }
    const walk = (f, depth) => {
      if (depth > MAX_FILTER_DEPTH)
        throw bad(`filter nested more than ${MAX_FILTER_DEPTH} deep`)
      if (!f || typeof f !== 'object' || Array.isArray(f))
        throw bad(`a filter must be an object of ${TYPE.filter}`)
      for (const [key, v] of Object.entries(f)) {
        if (key === 'AND') {
          if (!Array.isArray(v) || v.length > 100)
            throw bad('AND takes a list of at most 100 filters')
          for (const x of v) walk(x, depth + 1)
          continue
        }
        if (key === 'gateway') {
          if (typeof v !== 'string') throw bad('gateway must be a string')
          out.gateways.push(v)
          continue
        }
        // Time conditions in whole seconds of the calls' datetime [analytics.datetime-seconds].
        if (key === 'datetime_geq') {
          const t = Math.ceil(time(key, v) / 1000) * 1000
          out.fromMs = Math.max(out.fromMs ?? -Infinity, t)
          continue
        }
        if (key === 'datetime_lt' || key === 'datetime_leq') {
          const t = time(key, v)
          const end =
            key === 'datetime_lt'
              ? Math.ceil(t / 1000) * 1000
              : Math.floor(t / 1000) * 1000 + 1000
          out.toMs = Math.min(out.toMs ?? Infinity, end)
          continue
        }
        if (key === 'statusCode_geq') {
          if (!Number.isSafeInteger(v))
            throw bad('statusCode_geq must be an integer')
          out.tests.push((c) => c.statusCode >= v)
          continue
        }
        if (key === 'error') {
          if (typeof v !== 'boolean') throw bad('error must be a boolean') // [analytics.error-dimension]
          out.tests.push((c) => c.error === v)
          continue
        }
        if (key === 'metadataValues_has' || key === 'metadataKeys_has') {
          if (typeof v !== 'string') throw bad(`${key} must be a string`)
          out.tests.push(
            key === 'metadataValues_has'
              ? (c) => c.runId === v || (c.user !== null && `u${c.user}` === v)
              : (c) => (c.runId === null ? 'user' : 'run_id') === v
          )
          continue
        }
        const paged = /^(\w+)_(gt|geq)$/.exec(key)
        if (paged && PAGED.includes(paged[1])) {
          const [, dim, op] = paged
          if (dim === 'date' ? typeof v !== 'string' : typeof v !== 'number')
            throw bad(
              `${key} must be a ${dim === 'date' ? 'date (YYYY-MM-DD)' : 'number'}`
            )
          const get = dimensionGetter(dim)
          out.tests.push(op === 'gt' ? (c) => get(c) > v : (c) => get(c) >= v)
          continue
        }
        throw bad(`unknown field "${key}" of ${TYPE.filter}`) // [analytics.filters]
      }
    }
    walk(filter, 0)
    return out
  }

  /** orderBy: `<dimension>_ASC|_DESC` of an asked dimension, `count_DESC`, `sum_cost_DESC` [analytics.order-by]. */
  function readOrder(orderBy, dims, path) {
    const list =
      orderBy === undefined || orderBy === null
        ? []
        : Array.isArray(orderBy)
          ? orderBy
          : [orderBy]
    const keys = list.map((o) => {
      const m = typeof o === 'string' ? /^(\w+)_(ASC|DESC)$/.exec(o) : null
      const field = m?.[1]
      if (o === 'count_DESC') return { get: (g) => g.count, sign: -1 }
      if (o === 'sum_cost_DESC') return { get: (g) => g.sums[0], sign: -1 }
      if (m && field in DIMENSIONS) {
        if (!dims.includes(field))
          throw new Refusal(
            `error parsing args: orderBy ${o}: ${field} is not among the dimensions asked`,
            path
          )
        return { get: (g) => g.dims[field], sign: m[2] === 'ASC' ? 1 : -1 }
      }
      throw new Refusal(
        `error parsing args: unknown orderBy value ${JSON.stringify(o)}`,
        path
      )
    })
    return (groups) => {
      if (keys.length === 0) return
      groups.sort((a, b) => {
        for (const k of keys) {
          const x = k.get(a)
          const y = k.get(b)
          if (x < y) return -k.sign
          if (x > y) return k.sign
        }
        return 0
      })
    }
  }

  /**
   * The groups of the calls of `selected` gateways in [fromMs, toMs) that pass the filter and are
   * visible (older than now - lagMs [analytics.lag]); sampled gateways keep every k-th call and scale
   * [analytics.sampling]. Each group: dims, count, sums (SUM_FIELDS order; cost in micro-dollars),
   * squares (for the intervals), sampled (calls in the sample), k.
   */
  function aggregate(selected, plan, filter, fromMs, toMs, nowMs) {
    const groups = new Map()
    const dims = plan.dims
    const getters = dims.map(dimensionGetter)
    const call = {}
    const twoGroups =
      dims.length === 0 && selected.some((g) => g.totalsTwoGroups)
    for (const g of selected) {
      const k = Math.max(1, Math.round(1 / g.sampleRate))
      const visibleMs = nowMs - g.lagMs
      const end = Math.min(toMs, visibleMs + 1)
      const lo = firstIndexAtOrAfter(g, fromMs)
      const hi = firstIndexAtOrAfter(g, end)
      for (let i = lo; i < hi; i++) {
        if (k > 1 && i % k !== 0) continue
        fillCall(g, i, call)
        call.gateway = g.id
        let pass = true
        for (const t of filter.tests)
          if (!t(call)) {
            pass = false
            break
          }
        if (!pass) continue
        const key =
          dims.length === 0
            ? twoGroups
              ? i % 2
              : 0
            : dims.length === 1
              ? getters[0](call)
              : getters.map((get) => String(get(call))).join('\u0000')
        let acc = groups.get(key)
        if (!acc) {
          acc = {
            dims: Object.fromEntries(dims.map((d, j) => [d, getters[j](call)])),
            n: 0,
            k,
            raw: new Float64Array(SUM_FIELDS.length),
            squares: new Float64Array(SUM_FIELDS.length)
          }
          groups.set(key, acc)
        }
        acc.n++
        const values = sumValues(call)
        for (let j = 0; j < values.length; j++) {
          acc.raw[j] += values[j]
          acc.squares[j] += values[j] * values[j]
        }
      }
    }
    return [...groups.values()].map((acc) => ({
      ...acc,
      count: acc.n * acc.k,
      sums: Array.from(acc.raw, (x) => x * acc.k)
    }))
  }

  return {
    handle,
    register,
    /** The GraphQL requests answered, each with the gateway ids its filters named. */
    queries: () => queries.map((q) => ({ ...q, gateways: [...q.gateways] })),
    /** How many GraphQL requests named `gateway` in a filter. */
    queryCount: (gateway) =>
      queries.filter((q) => q.gateways.includes(gateway)).length,
    /** The HTTP status of refusals: 200 (the issue's reading of the docs) or 400 (the docs' list of messages) [analytics.refusal-status]. */
    setRefusalStatus(status) {
      refusalStatus = status
    },
    /** Cloudflare's GraphQL limit (300 queries per 5 minutes per user) [analytics.rate-limit-300]; null: none. */
    setRateLimit(limits) {
      rateLimit = limits && {
        limit: 300,
        windowMs: 300_000,
        ...limits,
        times: []
      }
    }
  }
}

const values = new Array(SUM_FIELDS.length)
/** A call's contribution to each sum field, in SUM_FIELDS order (cost in micro-dollars). */
function sumValues(c) {
  values[0] = c.costMicros
  values[1] = c.error ? 1 : 0
  values[2] = c.cached ? 1 : 0
  values[3] = c.cached ? c.tokensIn : 0
  values[4] = c.cached ? c.tokensOut : 0
  values[5] = c.cached ? 0 : c.tokensIn
  values[6] = c.cached ? 0 : c.tokensOut
  values[7] = c.tokensIn
  values[8] = c.tokensOut
  return values
}

const isoSeconds = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
/** How a dimension is read off a call (cost in dollars, times as Cloudflare's RFC 3339 strings). */
function dimensionGetter(dim) {
  switch (dim) {
    case 'cost':
      return (c) => c.costMicros / 1e6
    case 'date':
      return (c) => utcDate(c.timeMs)
    case 'datetime':
      return (c) => isoSeconds(c.timeMs)
    case 'datetimeHour':
      return (c) => isoSeconds(c.timeMs - (c.timeMs % 3_600_000))
    case 'datetimeMinute':
      return (c) => isoSeconds(c.timeMs - (c.timeMs % 60_000))
    default:
      return (c) => c[dim]
  }
}

/** A group in the shape the query asked for. */
function render(shape, group, level) {
  const z = level === null ? 0 : normalQuantile(1 - (1 - level) / 2)
  const walk = (node) => {
    if (Array.isArray(node)) return node.map(walk)
    if (node && typeof node === 'object' && typeof node.kind === 'string')
      return leaf(node)
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => [k, walk(v)])
    )
  }
  const sumOut = (j) => (j === 0 ? group.sums[0] / 1e6 : group.sums[j])
  const leaf = (node) => {
    if (node.kind === 'count') return group.count
    if (node.kind === 'sum') return sumOut(SUM_FIELDS.indexOf(node.field))
    if (node.kind === 'dimension') return group.dims[node.field]
    // An interval: exact when unsampled; else a normal approximation of the Horvitz-Thompson estimate
    // with inclusion probability 1/k: variance k^2 (1 - 1/k) sum(x^2 over the sample) [analytics.confidence].
    const j = node.field === 'count' ? -1 : SUM_FIELDS.indexOf(node.field)
    const estimate = j < 0 ? group.count : sumOut(j)
    if (node.part === 'estimate') return estimate
    if (node.part === 'sampleSize') return group.n
    const k = group.k
    const squares = j < 0 ? group.n : group.squares[j] / (j === 0 ? 1e12 : 1)
    const half = k === 1 ? 0 : z * k * Math.sqrt((1 - 1 / k) * squares)
    return node.part === 'lower'
      ? Math.max(0, estimate - half)
      : estimate + half
  }
  return walk(shape)
}

function errorBody(errors) {
  const timestamp = new Date().toISOString()
  return {
    data: null,
    errors: errors.map((e) => ({
      message: e.message,
      path: e.path ?? null,
      extensions: { timestamp }
    }))
  }
}

function typeText(type) {
  if (type.kind === Kind.NON_NULL_TYPE) return `${typeText(type.type)}!`
  if (type.kind === Kind.LIST_TYPE) return `[${typeText(type.type)}]`
  return type.name.value
}
