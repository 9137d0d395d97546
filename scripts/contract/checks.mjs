// The check of each assumption (assumptions.mjs), by id. A check asks its target through
// `ctx.client` (a client of its own, so that a recording keeps each check's exchanges apart) and
// answers { verdict: 'holds' | 'refuted' | 'unknown', evidence }: what it saw, or why it cannot tell.
// Checks only read; the few rows they need with known metadata come from the seed (seed.mjs).
// `prepare` runs first: one list page (newest first, 50 rows) that several checks read.

/** The log detail's 25 fields as the action checks them (src/cloudflare/log.ts, LOG_FIELDS): name, type, required, nullable. */
export const DETAIL_FIELDS = [
  ['id', 'string', true],
  ['created_at', 'string', true],
  ['provider', 'string', true],
  ['model', 'string', true],
  ['model_type', 'string'],
  ['path', 'string', true],
  ['success', 'boolean', true],
  ['cached', 'boolean', true],
  ['status_code', 'integer'],
  ['duration', 'number', true],
  ['tokens_in', 'integer', true, true],
  ['tokens_out', 'integer', true, true],
  ['cost', 'number'],
  ['custom_cost', 'boolean'],
  ['step', 'integer'],
  ['metadata', 'string'],
  ['request_type', 'string'],
  ['request_content_type', 'string'],
  ['request_size', 'integer'],
  ['request_head', 'string'],
  ['request_head_complete', 'boolean'],
  ['response_content_type', 'string'],
  ['response_size', 'integer'],
  ['response_head', 'string'],
  ['response_head_complete', 'boolean']
]
/** The detail's fields that list rows do not have (LogDetail minus LogListItem). */
export const DETAIL_ONLY_FIELDS = [
  'request_size',
  'request_head',
  'request_head_complete',
  'response_size',
  'response_head',
  'response_head_complete'
]
/** order_by's enum for the list (OpenAPI). */
export const ORDER_BY_VALUES = [
  'created_at',
  'provider',
  'model',
  'model_type',
  'success',
  'cached'
]

const holds = (evidence) => ({ verdict: 'holds', evidence })
const refuted = (evidence) => ({ verdict: 'refuted', evidence })
const unknown = (evidence) => ({ verdict: 'unknown', evidence })

const logsPath = (t, gateway = t.gatewayId) => [
  'accounts',
  t.accountId,
  'ai-gateway',
  'gateways',
  gateway,
  'logs'
]
const filters = (list) => ['filters', JSON.stringify(list)]
const eq = (key, ...values) => ({ key, operator: 'eq', value: values })

/** An answer in a few words: its status, and Cloudflare's first error or the start of its body. */
export function brief(answer) {
  const error = answer.json?.errors?.[0]
  if (error && typeof error === 'object')
    return `HTTP ${answer.status}, code ${error.code} "${String(error.message).slice(0, 120)}"`
  const text =
    answer.text.length > 300 ? `${answer.text.slice(0, 300)}…` : answer.text
  return `HTTP ${answer.status}: ${text}`
}
const isList = (a) =>
  a.status === 200 && a.json?.success === true && Array.isArray(a.json.result)
const rowsOf = (a) => (isList(a) ? a.json.result : [])
const totalOf = (a) => a.json?.result_info?.total_count
const idsOf = (a) => rowsOf(a).map((r) => r?.id)
const isFailure = (a) =>
  a.json?.success === false &&
  Array.isArray(a.json.errors) &&
  a.json.errors.length > 0

function typeOk(value, type) {
  switch (type) {
    case 'string':
      return typeof value === 'string'
    case 'boolean':
      return typeof value === 'boolean'
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value)
  }
  return false
}
const typeName = (v) =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v
const wholeSecond = (ms) => Math.floor(ms / 1000) * 1000
const isoSeconds = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

/** A ULID-shaped log id no gateway has, made from the run's nonce (the same in a replay). */
export function probeLogId(nonce) {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
  let hash = 2166136261
  let id = '01JZZZZZZZ'
  for (let i = 0; id.length < 26; i++) {
    hash =
      Math.imul(hash ^ nonce.charCodeAt(i % nonce.length) ^ i, 16777619) >>> 0
    id += alphabet[hash % 32]
  }
  return id
}

/** Rows the checks can name: the seeded calls' rows when the seed is visible, else the newest page's. */
function knownRows(ctx) {
  if (ctx.seedRows) return ctx.seedRows
  return ctx.rows
}
const noRows = (ctx) =>
  unknown(
    ctx.discoverError ??
      `the gateway has no logs to look at (${ctx.target.seedMissing || 'seeding found none'})`
  )

/** Reads the newest page and finds the seeded rows in it. */
export async function prepare(ctx) {
  const { target } = ctx
  ctx.rows = []
  try {
    const answer = await ctx.client.cloudflare(logsPath(target), [
      ['per_page', 50]
    ])
    ctx.discovered = answer
    ctx.rows = rowsOf(answer)
    if (!isList(answer))
      ctx.discoverError = `the list answered ${brief(answer)}`
  } catch (error) {
    ctx.discoverError = `the list could not be read: ${error.message}`
  }
  const seed = target.seed
  if (seed?.visible) {
    const byId = new Map(ctx.rows.map((r) => [r?.id, r]))
    const rows = seed.calls.map((c) => byId.get(c.id))
    if (rows.every(Boolean)) ctx.seedRows = rows
    else
      ctx.seedMissing =
        'the seeded calls are no longer among the newest 50 rows'
  }
}

const seedUnknown = (ctx) =>
  unknown(
    ctx.seedMissing ?? (ctx.target.seedMissing || 'the run was not seeded')
  )

export const CHECKS = {
  async 'detail.envelope'(ctx) {
    const row = knownRows(ctx)[0]
    if (!row) return noRows(ctx)
    const answer = await ctx.client.cloudflare([
      ...logsPath(ctx.target),
      row.id
    ])
    const j = answer.json
    const ok =
      answer.status === 200 &&
      j?.success === true &&
      Array.isArray(j.errors) &&
      j.errors.length === 0 &&
      Array.isArray(j.messages) &&
      typeof j.result === 'object' &&
      j.result !== null &&
      j.result.id === row.id
    if (!ok)
      return refuted(
        `GET of log ${row.id}: ${brief(answer)}; keys ${JSON.stringify(Object.keys(j ?? {}))}`
      )
    ctx.detail = j.result
    return holds(
      `HTTP 200, {success: true, errors: [], messages: [], result} for log ${row.id}`
    )
  },

  async 'detail.fields'(ctx) {
    const detail = ctx.detail
    if (!detail) return unknown('no log detail was read (see detail.envelope)')
    const problems = []
    const absent = []
    for (const [name, type, required, nullable] of DETAIL_FIELDS) {
      const value = detail[name]
      if (value === undefined || value === null) {
        if (required && !(nullable && value === null))
          problems.push(`${name} is ${value === null ? 'null' : 'missing'}`)
        else absent.push(name)
      } else if (!typeOk(value, type))
        problems.push(
          `${name} is a ${typeName(value)} (${JSON.stringify(value).slice(0, 40)}), not a ${type}`
        )
    }
    const known = new Set(DETAIL_FIELDS.map(([n]) => n))
    const extra = Object.keys(detail).filter((k) => !known.has(k))
    const notes = [
      absent.length ? `absent or null: ${absent.join(', ')}` : 'all 25 present',
      extra.length ? `fields the action does not read: ${extra.join(', ')}` : ''
    ]
      .filter(Boolean)
      .join('; ')
    return problems.length
      ? refuted(`${problems.join('; ')} (${notes})`)
      : holds(`every field has its type; ${notes}`)
  },

  async 'detail.duration-ms'(ctx) {
    if (!ctx.seedRows) return seedUnknown(ctx)
    const seen = []
    for (const [i, call] of ctx.target.seed.calls.entries()) {
      const row = ctx.detail?.id === call.id ? ctx.detail : ctx.seedRows[i]
      const d = row.duration
      const w = call.endedMs - call.startedMs
      const said = `duration ${JSON.stringify(d)} for a call the client timed at ${w} ms`
      if (typeof d !== 'number' || !Number.isFinite(d))
        return refuted(`${said}: not a number`)
      if (!Number.isInteger(d))
        return refuted(
          `${said}: not whole milliseconds (in seconds the call took ${w / 1000})`
        )
      if (d < 1 || d > w + 1000)
        return refuted(
          `${said}: outside 1..${w + 1000}, so not milliseconds of this call`
        )
      if (w >= 2000 && d < w / 100)
        return refuted(
          `${said}: a hundredth of the call or less, as seconds would be`
        )
      seen.push(`${d} ms of ${w}`)
    }
    return holds(`durations against the client's timings: ${seen.join(', ')}`)
  },

  async 'detail.unknown-log'(ctx) {
    const id = probeLogId(ctx.target.nonce)
    const answer = await ctx.client.cloudflare([...logsPath(ctx.target), id])
    if (answer.status === 404 && isFailure(answer)) {
      const code = answer.json.errors[0].code
      return holds(
        `${brief(answer)}${code === 7002 ? '' : ' (the stand-in answers code 7002)'}`
      )
    }
    return refuted(`GET of log ${id}, which no gateway has: ${brief(answer)}`)
  },

  async 'auth.refused'(ctx) {
    const answer = await ctx.client.cloudflare(
      logsPath(ctx.target),
      [['per_page', 1]],
      'bad'
    )
    return (answer.status === 401 || answer.status === 403) && isFailure(answer)
      ? holds(brief(answer))
      : refuted(`a token no account has: ${brief(answer)}`)
  },

  async 'list.per-page-50'(ctx) {
    const a = ctx.discovered
    if (!a) return unknown(ctx.discoverError)
    const info = a.json?.result_info
    const numbers = ['page', 'per_page', 'count', 'total_count'].every(
      (k) => typeof info?.[k] === 'number'
    )
    if (
      isList(a) &&
      rowsOf(a).length <= 50 &&
      numbers &&
      info.per_page === 50 &&
      info.page === 1
    )
      return holds(
        `HTTP 200, ${rowsOf(a).length} rows, result_info ${JSON.stringify(info)}`
      )
    return refuted(
      `per_page=50: ${brief(a)}; result_info ${JSON.stringify(info)}`
    )
  },

  async 'list.per-page-51-refused'(ctx) {
    const a = await ctx.client.cloudflare(logsPath(ctx.target), [
      ['per_page', 51]
    ])
    if (a.status === 400 && isFailure(a)) return holds(brief(a))
    const info = a.json?.result_info
    return refuted(
      `per_page=51: HTTP ${a.status}${isList(a) ? ` with ${rowsOf(a).length} rows, result_info ${JSON.stringify(info)}` : ''}; answer ${brief(a)}`
    )
  },

  async 'list.rows'(ctx) {
    const rows = ctx.rows
    if (!rows?.length) return noRows(ctx)
    const required = DETAIL_FIELDS.filter(([, , r]) => r).map(([n]) => n)
    for (const row of rows) {
      const missing = required.filter((n) => !(n in row))
      const detailOnly = DETAIL_ONLY_FIELDS.filter((n) => n in row)
      if (missing.length || detailOnly.length)
        return refuted(
          `row ${row.id}: ${missing.length ? `missing ${missing.join(', ')}` : ''}${missing.length && detailOnly.length ? '; ' : ''}${detailOnly.length ? `has the detail's ${detailOnly.join(', ')}` : ''}`
        )
    }
    return holds(
      `${rows.length} rows, none with a head or a size, none missing a required field`
    )
  },

  async 'list.filters-json'(ctx) {
    const all = totalOf(ctx.discovered ?? {})
    if (!(all > 0)) return noRows(ctx)
    const a = await ctx.client.cloudflare(logsPath(ctx.target), [
      filters([eq('id', probeLogId(ctx.target.nonce))]),
      ['per_page', 5]
    ])
    if (isList(a) && totalOf(a) === 0 && rowsOf(a).length === 0)
      return holds(
        `a JSON filter on an id no log has: total_count 0 (the gateway counts ${all})`
      )
    return refuted(
      `a JSON filter on an id no log has: ${isList(a) ? `total_count ${totalOf(a)}, ${rowsOf(a).length} rows (the gateway counts ${all})` : brief(a)}`
    )
  },

  async 'list.filters-flattened-ignored'(ctx) {
    const all = totalOf(ctx.discovered ?? {})
    if (!(all > 0)) return noRows(ctx)
    const a = await ctx.client.cloudflare(logsPath(ctx.target), [
      ['filters.key', 'id'],
      ['filters.operator', 'eq'],
      ['filters.value', probeLogId(ctx.target.nonce)],
      ['per_page', 5]
    ])
    if (isList(a) && totalOf(a) > 0)
      return holds(
        `the flattened filter on an id no log has: total_count ${totalOf(a)} (unfiltered: ${all})`
      )
    return refuted(
      `the flattened filter on an id no log has: ${isList(a) ? `total_count ${totalOf(a)}: honoured, not ignored` : `${brief(a)}: refused, not ignored`}`
    )
  },

  async 'list.total-count-filtered'(ctx) {
    const all = totalOf(ctx.discovered ?? {})
    const row = knownRows(ctx)[0]
    if (!row) return noRows(ctx)
    if (!(all > 1))
      return unknown(
        `the gateway counts ${all} log(s): a count of the filtered rows and of the gateway's would agree`
      )
    const a = await ctx.client.cloudflare(logsPath(ctx.target), [
      filters([eq('id', row.id)]),
      ['per_page', 5]
    ])
    if (isList(a) && totalOf(a) === 1 && idsOf(a).join() === row.id)
      return holds(
        `id eq ${row.id}: total_count 1, that row (the gateway counts ${all})`
      )
    return refuted(
      `id eq ${row.id}: ${isList(a) ? `total_count ${totalOf(a)}, rows ${JSON.stringify(idsOf(a))} (the gateway counts ${all})` : brief(a)}`
    )
  },

  async 'list.value-array-or'(ctx) {
    const [a1, a2] = knownRows(ctx)
    if (!a2)
      return knownRows(ctx).length
        ? unknown('fewer than 2 logs to name')
        : noRows(ctx)
    const a = await ctx.client.cloudflare(logsPath(ctx.target), [
      filters([eq('id', a1.id, a2.id)]),
      ['per_page', 5]
    ])
    const got = idsOf(a)
    if (
      isList(a) &&
      totalOf(a) === 2 &&
      got.includes(a1.id) &&
      got.includes(a2.id)
    )
      return holds(`id eq [${a1.id}, ${a2.id}]: both, total_count 2`)
    return refuted(
      `id eq [${a1.id}, ${a2.id}]: ${isList(a) ? `total_count ${totalOf(a)}, rows ${JSON.stringify(got)}` : brief(a)}`
    )
  },

  async 'list.metadata-independent'(ctx) {
    let row, key, value
    if (ctx.seedRows) {
      const noted = ctx.target.seed.calls.findIndex(
        (c) => c.metadata.contract_note
      )
      row = ctx.seedRows[noted]
      key = 'contract_run'
      value = ctx.target.seed.calls[noted].metadata.contract_note
    } else {
      // Read-only: a row whose metadata has two entries with different values: its first key with its second value.
      for (const r of ctx.rows) {
        // A JSON string, as documented; an object carries the same (the action accepts both).
        let map
        try {
          map =
            typeof r.metadata === 'string' ? JSON.parse(r.metadata) : r.metadata
        } catch {
          continue
        }
        const entries = Object.entries(map ?? {}).filter(([, v]) =>
          ['string', 'number', 'boolean'].includes(typeof v)
        )
        if (
          entries.length >= 2 &&
          String(entries[0][1]) !== String(entries[1][1])
        ) {
          row = r
          key = entries[0][0]
          value = String(entries[1][1])
          break
        }
      }
      if (!row)
        return unknown(
          `no row among the newest ${ctx.rows.length} has two metadata entries to cross (--seed sends one)`
        )
    }
    const a = await ctx.client.cloudflare(logsPath(ctx.target), [
      filters([
        eq('id', row.id),
        eq('metadata.key', key),
        eq('metadata.value', value)
      ]),
      ['per_page', 5]
    ])
    if (isList(a) && idsOf(a).includes(row.id))
      return holds(
        `metadata.key eq ${key} with metadata.value eq ${value} (another entry's value) matches log ${row.id}`
      )
    return refuted(
      `metadata.key eq ${key} with metadata.value eq ${value} (another entry's value): ${isList(a) ? `log ${row.id} not matched (total_count ${totalOf(a)}): pairs match, not independently` : brief(a)}`
    )
  },

  async 'list.created-at-seconds'(ctx) {
    const rows = knownRows(ctx)
    if (!rows.length) return noRows(ctx)
    const row = rows.find((r) => Date.parse(r.created_at) % 1000 !== 0)
    if (!row)
      return unknown(
        `created_at has no fraction of a second in any of ${rows.length} rows (${rows[0].created_at}): nothing finer to compare`
      )
    const t = Date.parse(row.created_at)
    const s = wholeSecond(t)
    const count = async (op, ms) => {
      const a = await ctx.client.cloudflare(logsPath(ctx.target), [
        filters([
          eq('id', row.id),
          { key: 'created_at', operator: op, value: [isoSeconds(ms)] }
        ]),
        ['per_page', 5]
      ])
      if (!isList(a)) throw Object.assign(new Error(brief(a)), { answer: a })
      return idsOf(a).includes(row.id) ? 1 : 0
    }
    let gtBefore, ltAfter, gtSame
    try {
      gtBefore = await count('gt', s - 1000)
      ltAfter = await count('lt', s + 1000)
      gtSame = await count('gt', s)
    } catch (error) {
      return refuted(
        `a created_at filter on log ${row.id} was answered ${error.message}`
      )
    }
    const said = `log ${row.id} at ${row.created_at}: gt ${isoSeconds(s - 1000)} ${gtBefore ? 'matches' : 'does not match'}, lt ${isoSeconds(s + 1000)} ${ltAfter ? 'matches' : 'does not match'}, gt ${isoSeconds(s)} ${gtSame ? 'matches' : 'does not match'}`
    if (gtBefore && ltAfter && !gtSame) return holds(said)
    if (!gtBefore || !ltAfter)
      return refuted(
        `${said}: coarser than whole seconds, so the action's bounds can miss calls`
      )
    return refuted(
      `${said}: compared finer than whole seconds (the action still reads right: its bounds are wider and rows are re-checked)`
    )
  },

  async 'list.order-by-values'(ctx) {
    const seen = []
    for (const value of ORDER_BY_VALUES) {
      const a = await ctx.client.cloudflare(logsPath(ctx.target), [
        ['order_by', value],
        ['order_by_direction', 'asc'],
        ['per_page', 1]
      ])
      seen.push(`${value}: ${a.status === 200 ? 200 : brief(a)}`)
    }
    return seen.every((s) => s.endsWith(': 200'))
      ? holds(seen.join(', '))
      : refuted(seen.join('; '))
  },

  async 'list.order-by-unknown-refused'(ctx) {
    const a = await ctx.client.cloudflare(logsPath(ctx.target), [
      ['order_by', 'cost'],
      ['per_page', 1]
    ])
    return a.status === 400 && isFailure(a)
      ? holds(`order_by=cost: ${brief(a)}`)
      : refuted(`order_by=cost: ${brief(a)}`)
  },

  async 'list.order-created-at-asc'(ctx) {
    const query = [
      ['order_by', 'created_at'],
      ['order_by_direction', 'asc'],
      ['per_page', 50]
    ]
    if (ctx.seedRows) {
      const nonce = ctx.target.seed.nonce
      const a = await ctx.client.cloudflare(logsPath(ctx.target), [
        filters([eq('metadata.value', nonce)]),
        ...query
      ])
      const sent = ctx.target.seed.calls.map((c) => c.id)
      const got = idsOf(a)
      if (isList(a) && got.join() === sent.join())
        return holds(
          `the ${sent.length} seeded calls, in the order they were made`
        )
      return refuted(
        `metadata.value eq ${nonce}, ascending: ${isList(a) ? `rows ${JSON.stringify(got)}, sent in the order ${JSON.stringify(sent)}` : brief(a)}`
      )
    }
    const a = await ctx.client.cloudflare(logsPath(ctx.target), query)
    const times = rowsOf(a).map((r) => Date.parse(r.created_at))
    if (!isList(a)) return refuted(`ascending: ${brief(a)}`)
    if (new Set(times).size < 2)
      return unknown('fewer than 2 distinct created_at to order')
    const bad = times.findIndex((t, i) => i > 0 && t < times[i - 1])
    return bad < 0
      ? holds(`${times.length} rows, created_at never decreasing`)
      : refuted(
          `row ${bad + 1} (${rowsOf(a)[bad].created_at}) is older than row ${bad} (${rowsOf(a)[bad - 1].created_at})`
        )
  },

  async 'list.order-default-desc'(ctx) {
    const rows = ctx.rows
    if (!rows?.length) return noRows(ctx)
    const times = rows.map((r) => Date.parse(r.created_at))
    if (new Set(times).size < 2)
      return unknown('fewer than 2 distinct created_at to order')
    const bad = times.findIndex((t, i) => i > 0 && t > times[i - 1])
    return bad < 0
      ? holds(
          `${rows.length} rows without order parameters, created_at never increasing`
        )
      : refuted(
          `row ${bad + 1} (${rows[bad].created_at}) is newer than row ${bad} (${rows[bad - 1].created_at})`
        )
  },

  async 'list.unknown-gateway'(ctx) {
    const gateway = `no-such-gateway-${ctx.target.nonce}`
    const a = await ctx.client.cloudflare(logsPath(ctx.target, gateway), [
      ['per_page', 5]
    ])
    if (isList(a) && totalOf(a) === 0 && rowsOf(a).length === 0)
      return holds(`gateway ${gateway}: HTTP 200, no rows, total_count 0`)
    return refuted(
      `gateway ${gateway}: ${isList(a) ? `total_count ${totalOf(a)}` : brief(a)}`
    )
  },

  async 'logging-state.shape'(ctx) {
    const a = await ctx.client.cloudflare([
      'accounts',
      ctx.target.accountId,
      'ai-gateway',
      'logging-state'
    ])
    const result = a.json?.result
    const shape =
      result && typeof result === 'object' && !Array.isArray(result)
        ? `{${Object.entries(result)
            .map(
              ([k, v]) =>
                `${k}: ${typeof v === 'string' && v.length <= 40 ? JSON.stringify(v) : typeName(v)}`
            )
            .join(', ')}}`
        : JSON.stringify(result)?.slice(0, 80)
    if (
      a.status === 200 &&
      a.json?.success === true &&
      ['legacy', 'workers_observability'].includes(result?.platform) &&
      typeof result.migration_available === 'boolean'
    ) {
      ctx.loggingPlatform = result.platform
      return holds(`result ${shape}`)
    }
    return refuted(
      `${a.status === 200 ? `HTTP 200, result ${shape}` : brief(a)}`
    )
  },

  async 'list.observability-account'(ctx) {
    if (ctx.loggingPlatform === undefined)
      return unknown(
        "the account's logging platform is not known (see logging-state.shape)"
      )
    if (ctx.loggingPlatform !== 'workers_observability')
      return unknown(
        `the account's logging-state says ${ctx.loggingPlatform}: only an account on Workers Observability can tell`
      )
    const a = ctx.discovered
    if (!a) return unknown(ctx.discoverError)
    return isList(a) && totalOf(a) === 0
      ? holds('HTTP 200, no rows, total_count 0')
      : refuted(
          `the list answered ${isList(a) ? `total_count ${totalOf(a)}` : brief(a)}`
        )
  },

  async 'rate-limit.429'(ctx) {
    const judge = (a, how) => {
      const retryAfter = a.headers['retry-after']
      const code = a.json?.errors?.[0]?.code
      const ok =
        a.status === 429 &&
        isFailure(a) &&
        code === 971 &&
        /^\d+$/.test(retryAfter ?? '')
      const said = `${how}: ${brief(a)}, Retry-After ${retryAfter === undefined ? 'absent' : JSON.stringify(retryAfter)}`
      return ok ? holds(said) : refuted(said)
    }
    const limiter = ctx.target.rateLimit
    if (limiter) {
      // The stand-in only: its limit lowered to 2 requests, then a third made with a token of its own.
      limiter.set()
      try {
        let last
        for (let i = 0; i < 3; i++)
          last = await ctx.client.cloudflare(
            logsPath(ctx.target),
            [['per_page', 1]],
            'probe'
          )
        return judge(last, 'the third request past a limit of 2')
      } finally {
        limiter.reset()
      }
    }
    const seen = ctx.target.seen429s[0]
    if (seen) return judge(seen.answer, `a 429 met in ${seen.phase}`)
    return unknown(
      'never provoked against a real account (past the limit Cloudflare refuses every request of the user for 5 minutes); no 429 was met in this run'
    )
  },

  async 'log.created-at-call-time'(ctx) {
    if (!ctx.seedRows) return seedUnknown(ctx)
    const offsets = []
    for (const [i, call] of ctx.target.seed.calls.entries()) {
      const t = Date.parse(ctx.seedRows[i].created_at)
      const said = `log ${call.id} created_at ${ctx.seedRows[i].created_at}, its call sent at ${new Date(call.startedMs).toISOString()} and answered ${call.endedMs - call.startedMs} ms later`
      if (!(t >= call.startedMs - 5000 && t <= call.endedMs + 5000))
        return refuted(said)
      offsets.push(`${t - call.startedMs} ms`)
    }
    return holds(
      `created_at minus the time each seeded call was sent: ${offsets.join(', ')}`
    )
  },

  async 'github.viewer-database-id'(ctx) {
    if (!ctx.target.github) return unknown(ctx.target.githubMissing)
    const a = await ctx.client.github(
      'POST',
      ['graphql'],
      [],
      JSON.stringify({ query: 'query { viewer { databaseId login } }' })
    )
    const viewer = a.json?.data?.viewer
    if (
      a.status === 200 &&
      Number.isSafeInteger(viewer?.databaseId) &&
      viewer.databaseId > 0 &&
      typeof viewer.login === 'string'
    ) {
      ctx.viewer = { id: viewer.databaseId, login: viewer.login }
      return holds(`viewer ${viewer.login}, databaseId ${viewer.databaseId}`)
    }
    return refuted(`HTTP ${a.status}: ${a.text.slice(0, 300)}`)
  },

  async 'github.comment-user-id'(ctx) {
    if (!ctx.target.github) return unknown(ctx.target.githubMissing)
    if (!ctx.viewer)
      return unknown(
        "the token's account is not known (see github.viewer-database-id)"
      )
    const [owner, repo] = ctx.target.github.repository.split('/')
    const a = await ctx.client.github(
      'GET',
      ['repos', owner, repo, 'issues', 'comments'],
      [
        ['per_page', 30],
        ['sort', 'created'],
        ['direction', 'desc']
      ]
    )
    if (a.status !== 200 || !Array.isArray(a.json))
      return unknown(
        `the repository's comments could not be listed: HTTP ${a.status} ${a.text.slice(0, 200)}`
      )
    const mine = a.json.filter((c) => c?.user?.login === ctx.viewer.login)
    if (mine.length) {
      const wrong = mine.find((c) => c.user.id !== ctx.viewer.id)
      return wrong
        ? refuted(
            `comment ${wrong.id} by ${ctx.viewer.login}: user.id ${JSON.stringify(wrong.user.id)}, databaseId ${ctx.viewer.id}`
          )
        : holds(
            `${mine.length} comment(s) by ${ctx.viewer.login}: user.id ${ctx.viewer.id} = databaseId`
          )
    }
    const u = await ctx.client.github('GET', ['users', ctx.viewer.login])
    if (u.status !== 200)
      return unknown(
        `no comment by ${ctx.viewer.login} among the repository's last 30, and GET /users/${ctx.viewer.login} answered HTTP ${u.status}`
      )
    return u.json?.id === ctx.viewer.id
      ? holds(
          `no comment by ${ctx.viewer.login} among the last 30; GET /users/${ctx.viewer.login}: id ${u.json.id} = databaseId`
        )
      : refuted(
          `GET /users/${ctx.viewer.login}: id ${JSON.stringify(u.json?.id)}, databaseId ${ctx.viewer.id}`
        )
  },

  async 'github.workflow-runs-filters'(ctx) {
    const gh = ctx.target.github
    if (!gh) return unknown(ctx.target.githubMissing)
    const [owner, repo] = gh.repository.split('/')
    const a = await ctx.client.github(
      'GET',
      ['repos', owner, repo, 'actions', 'workflows', gh.workflow, 'runs'],
      [
        ['branch', gh.branch],
        ['status', 'success'],
        ['per_page', 5]
      ]
    )
    if (a.status === 404)
      return unknown(
        `GitHub knows no workflow ${gh.workflow} in the repository (CONTRACT_GITHUB_WORKFLOW names another)`
      )
    const runs = a.json?.workflow_runs
    if (
      a.status !== 200 ||
      !Array.isArray(runs) ||
      typeof a.json.total_count !== 'number'
    )
      return refuted(`HTTP ${a.status}: ${a.text.slice(0, 300)}`)
    if (runs.length === 0)
      return unknown(
        `no successful run of ${gh.workflow} on ${gh.branch} to look at`
      )
    const wrong = runs.find(
      (r) => r.head_branch !== gh.branch || r.conclusion !== 'success'
    )
    if (wrong)
      return refuted(
        `run ${wrong.id}: branch ${JSON.stringify(wrong.head_branch)}, conclusion ${JSON.stringify(wrong.conclusion)}`
      )
    const times = runs.map((r) => Date.parse(r.created_at))
    const bad = times.findIndex((t, i) => i > 0 && t > times[i - 1])
    if (bad >= 0)
      return refuted(
        `run ${runs[bad].id} is newer than run ${runs[bad - 1].id}, listed after it`
      )
    return holds(
      `${runs.length} run(s) of ${gh.workflow}, all on ${gh.branch} with conclusion success, newest first (total_count ${a.json.total_count})`
    )
  },

  async 'analytics.settings-node'(ctx) {
    const a = await ctx.client.graphql(
      graphqlBody(
        `query S($accountTag: string!) { viewer { accounts(filter: {accountTag: $accountTag}) { settings { ${ANALYTICS_DATASET} { enabled availableFields maxDuration notOlderThan maxPageSize } } } } }`,
        { accountTag: ctx.target.accountId }
      )
    )
    const s = a.json?.data?.viewer?.accounts?.[0]?.settings?.[ANALYTICS_DATASET]
    const said = `HTTP ${a.status}, ${a.text.slice(0, 300)}`
    if (a.status !== 200 || !s) return refuted(said)
    const ok =
      a.json.errors === null &&
      typeof s.enabled === 'boolean' &&
      Array.isArray(s.availableFields) &&
      s.availableFields.every((f) => typeof f === 'string') &&
      [s.maxDuration, s.notOlderThan, s.maxPageSize].every(Number.isSafeInteger)
    if (!ok) return refuted(said)
    const nested = s.availableFields.filter((f) => f.includes('_'))
    if (s.availableFields.length > 0 && nested.length === 0)
      return refuted(
        `availableFields has no underscore path: ${s.availableFields.join(', ')}`
      )
    return holds(
      `enabled ${s.enabled}, ${s.availableFields.length} available fields (e.g. ${nested.slice(0, 3).join(', ')}), maxDuration ${s.maxDuration} s, notOlderThan ${s.notOlderThan} s, maxPageSize ${s.maxPageSize}`
    )
  },

  async 'analytics.errors-http-200'(ctx) {
    const a = await ctx.client.graphql(
      datasetQuery(ctx, 'count', 'limit: 100001, filter: $filter')
    )
    const errors = a.json?.errors
    const ok =
      a.status === 200 &&
      a.json?.data === null &&
      Array.isArray(errors) &&
      errors.length > 0 &&
      errors.every((e) => typeof e?.message === 'string')
    const said = `limit 100001: HTTP ${a.status}, ${a.text.slice(0, 300)}`
    return ok ? holds(said) : refuted(said)
  },

  async 'analytics.no-cursors'(ctx) {
    const said = []
    for (const field of ['cursor', 'pageInfo { hasNextPage }']) {
      const a = await ctx.client.graphql(datasetQuery(ctx, `count ${field}`))
      const refusedIt =
        Array.isArray(a.json?.errors) && a.json.errors.length > 0
      said.push(
        `${field.split(' ')[0]}: HTTP ${a.status}, ${refusedIt ? `errors "${String(a.json.errors[0]?.message).slice(0, 100)}"` : a.text.slice(0, 200)}`
      )
      if (!refusedIt) return refuted(said.join('; '))
    }
    return holds(said.join('; '))
  },

  async 'analytics.confidence-shape'(ctx) {
    const a = await ctx.client.graphql(
      datasetQuery(
        ctx,
        'count confidence(level: 0.95) { count { estimate lower upper sampleSize } }'
      )
    )
    const groups = a.json?.data?.viewer?.accounts?.[0]?.[ANALYTICS_DATASET]
    if (a.status !== 200 || !Array.isArray(groups))
      return refuted(`HTTP ${a.status}, ${a.text.slice(0, 300)}`)
    if (groups.length === 0)
      return unknown(
        'no calls in the hour before the run started: nothing to read an interval of'
      )
    const c = groups[0].confidence?.count
    const ok =
      c &&
      ['estimate', 'lower', 'upper', 'sampleSize'].every(
        (k) => typeof c[k] === 'number'
      ) &&
      c.lower <= c.estimate &&
      c.estimate <= c.upper &&
      c.sampleSize <= c.estimate
    const said = `count ${groups[0].count}, confidence.count ${JSON.stringify(c)}`
    return ok ? holds(said) : refuted(said)
  },

  async 'analytics.fields'(ctx) {
    if (ctx.target.kind === 'stand-in')
      return unknown(
        'needs a real account with AI Gateway traffic: the stand-in answers these fields because the table says so, which proves nothing'
      )
    const a = await ctx.client.graphql(
      datasetQuery(
        ctx,
        'count sum { cost erroredRequests cachedRequests tokensIn tokensOut } dimensions { model provider durationMs date }',
        'limit: 5, filter: $filter'
      )
    )
    const errors = a.json?.errors
    if (
      a.status === 200 &&
      errors === null &&
      Array.isArray(a.json?.data?.viewer?.accounts)
    )
      return holds(`HTTP 200, errors null: ${a.text.slice(0, 200)}`)
    return refuted(`HTTP ${a.status}, ${a.text.slice(0, 300)}`)
  }
}

const ANALYTICS_DATASET = 'aiGatewayRequestsAdaptiveGroups'
const graphqlBody = (query, variables) => JSON.stringify({ query, variables })
/**
 * A dataset query over the hour before the run's nonce was made (so that a replay asks the same), for
 * the whole account (the gateway id is scrubbed from recordings; the account id is mapped).
 */
function datasetQuery(ctx, inner, args = 'limit: 2, filter: $filter') {
  const stamp = /contract-(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)-/.exec(
    ctx.target.nonce ?? ''
  )
  const endMs = stamp
    ? Date.UTC(
        +stamp[1],
        +stamp[2] - 1,
        +stamp[3],
        +stamp[4],
        +stamp[5],
        +stamp[6]
      )
    : Math.floor(Date.now() / 1000) * 1000
  return graphqlBody(
    `query Q($accountTag: string!, $filter: AccountAiGatewayRequestsAdaptiveGroupsFilter_InputObject) { viewer { accounts(filter: {accountTag: $accountTag}) { ${ANALYTICS_DATASET}(${args}) { ${inner} } } } }`,
    {
      accountTag: ctx.target.accountId,
      filter: {
        datetime_geq: isoSeconds(endMs - 3_600_000),
        datetime_lt: isoSeconds(endMs)
      }
    }
  )
}
