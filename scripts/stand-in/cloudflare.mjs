// Cloudflare's API under /client/v4, as the action uses it: the routes, the token check, the log detail
// (registered logs, else the scenarios chosen by log id), the logging-state endpoint, the list endpoint
// (with its delay and its failed pages), the store of logs that addRun and addLogs register, and the
// GraphQL Analytics endpoint (cloudflare-analytics.mjs) with its gateways of generated calls.
import { createAnalytics } from './cloudflare-analytics.mjs'
import { ANSWERED, listLogs, LIST_RE, shownLog } from './cloudflare-list.mjs'
import { makeRun } from './cloudflare-runs.mjs'
import { DEMO_GATEWAY } from './cloudflare-samples.mjs'
import { createScenarios, notFound } from './cloudflare-scenarios.mjs'
import { sendJson } from './send-json.mjs'

/**
 * Cloudflare's side of one stand-in. `token` is the only API token accepted; `logs` the samples by id;
 * `loggingState` the `result` of the logging-state endpoint (LOGGING_STATES), or null for a 404;
 * `listDelayMs` how long each list request waits before it is answered, as a slow API would; `runs`
 * addRun options to register at once.
 */
export function createCloudflare({
  token,
  logs,
  loggingState,
  listDelayMs,
  runs
}) {
  /** Registered logs, by gateway: { log (all 25 fields), visibleAtMs }. */
  const gatewayLogs = new Map()
  /** Faults to answer list requests with, by page: { status, retryAfterS, times }. */
  const listFaults = new Map()
  const delayed = new Set()
  /** A broken or stale list endpoint's ways, by gateway (see answerWithQuirks in cloudflare-list.mjs). */
  const listQuirks = new Map()
  /** { limit, windowMs, retryAfterS, times: request times by token, refused, lockedUntilMs } or null. */
  let rateLimit = null
  let logCounter = 0

  /** Counts the request against its token's limit; true when it is refused (over it, or locked out). */
  function overRateLimit(req) {
    const nowMs = Date.now()
    const user = req.headers.authorization ?? ''
    if ((rateLimit.lockedUntil.get(user) ?? 0) > nowMs) return true
    const times = (rateLimit.times.get(user) ?? []).filter(
      (t) => t > nowMs - rateLimit.windowMs
    )
    times.push(nowMs)
    rateLimit.times.set(user, times)
    if (times.length <= rateLimit.limit) return false
    rateLimit.lockedUntil.set(user, nowMs + rateLimit.retryAfterS * 1000)
    return true
  }
  const scenarios = createScenarios(logs)
  const analytics = createAnalytics({ token })

  /** Answers a request under /client/v4/ (`raw`: its body); a list request waits `listDelayMs` first. */
  function handle(req, res, url, raw = '') {
    // The GraphQL Analytics API: its own limits and answers (cloudflare-analytics.mjs).
    if (url.pathname === '/client/v4/graphql' && req.method === 'POST')
      return analytics.handle(req, res, raw)
    if (LIST_RE.test(url.pathname) && listDelayMs > 0) {
      const timer = setTimeout(() => {
        delayed.delete(timer)
        cloudflare(req, res, url)
      }, listDelayMs)
      delayed.add(timer)
      return
    }
    return cloudflare(req, res, url)
  }

  function cloudflare(req, res, url) {
    if (rateLimit && overRateLimit(req)) {
      // Cloudflare: 1200 requests per 5 minutes per user; past it every request of the user is refused
      // for 5 minutes with a 429 (developers.cloudflare.com/fundamentals/api/reference/limits/), code 971.
      rateLimit.refused++
      return sendJson(
        res,
        429,
        {
          success: false,
          errors: [
            {
              code: 971,
              message: 'Please wait and consider throttling your request speed'
            }
          ]
        },
        { 'retry-after': String(rateLimit.retryAfterS) }
      )
    }
    const list = LIST_RE.exec(url.pathname)
    if (list && req.method === 'GET') {
      if (req.headers.authorization !== `Bearer ${token}`) {
        return sendJson(res, 403, {
          success: false,
          errors: [{ code: 10000, message: 'Authentication error' }]
        })
      }
      const gateway = decodeURIComponent(list[2])
      return listLogs(
        res,
        url,
        gatewayLogs.get(gateway) ?? [],
        listFaults,
        listQuirks.get(gateway) ?? null
      )
    }
    const noRoute = {
      success: false,
      errors: [{ code: 7003, message: 'No route for the URI' }]
    }
    const m =
      /^\/client\/v4\/accounts\/([^/]+)\/ai-gateway\/gateways\/([^/]+)\/logs\/([^/]+)$/.exec(
        url.pathname
      )
    const state =
      /^\/client\/v4\/accounts\/([^/]+)\/ai-gateway\/logging-state$/.exec(
        url.pathname
      )
    if ((!m && !state) || req.method !== 'GET')
      return sendJson(res, 404, noRoute)
    if (req.headers.authorization !== `Bearer ${token}`) {
      return sendJson(res, 403, {
        success: false,
        errors: [{ code: 10000, message: 'Authentication error' }]
      })
    }
    if (state)
      return loggingState === null
        ? sendJson(res, 404, noRoute)
        : sendJson(res, 200, {
            success: true,
            errors: [],
            messages: [],
            result: loggingState
          })
    const id = decodeURIComponent(m[3])
    // Log ids are ULIDs, whose Crockford base32 reads either case, and the API finds a log by its id in
    // either spelling (it answers with the id as stored): `abcdef` and `ABCDEF` are the same call.
    const registered = (gatewayLogs.get(decodeURIComponent(m[2])) ?? []).find(
      (entry) => entry.log.id.toLowerCase() === id.toLowerCase()
    )
    if (registered) {
      return Date.now() >= registered.visibleAtMs
        ? sendJson(res, 200, {
            success: true,
            errors: [],
            messages: [],
            result: shownLog(registered.log)
          })
        : sendJson(res, 404, notFound)
    }
    return scenarios.answer(req, res, id)
  }

  /**
   * Registers logs (all 25 fields, an `id` each) in a gateway, listed and served once `visibleAfterMs`
   * has passed. `answered`: fields every answer shows instead of the stored ones, which the list still
   * filters and orders by (a fault: see ANSWERED).
   */
  function addLogs(
    newLogs,
    { gateway = DEMO_GATEWAY, visibleAfterMs = 0, answered } = {}
  ) {
    const entries = gatewayLogs.get(gateway) ?? []
    gatewayLogs.set(gateway, entries)
    const visibleAtMs = Date.now() + visibleAfterMs
    for (const log of newLogs)
      entries.push({
        log: answered ? { ...log, [ANSWERED]: answered } : log,
        visibleAtMs
      })
    return newLogs
  }

  /** Registers a run (see makeRun): its calls on time at once, its late calls `lateMs` from now. */
  function addRun(options) {
    const run = makeRun(options, () => ++logCounter)
    addLogs(run.onTime, { gateway: run.gateway })
    // Spread: the late logs become visible one after another over lateSpreadMs, landing on pages already read.
    const spreadMs = options.lateSpreadMs ?? 0
    run.late.forEach((log, i) =>
      addLogs([log], {
        gateway: run.gateway,
        visibleAfterMs:
          run.lateMs +
          (run.late.length > 1 ? (i * spreadMs) / (run.late.length - 1) : 0)
      })
    )
    return run.logs
  }

  for (const run of runs) addRun(run)

  return {
    handle,
    analytics,
    addRun,
    addLogs,
    /** The next `times` list requests for `page` (any gateway) are answered with `status`: 429 with Retry-After, or a 5xx HTML page. */
    failListPage(page, { status = 429, retryAfterS = 1, times = 1 } = {}) {
      listFaults.set(page, { status, retryAfterS, times })
    },
    /** The list endpoint of `gateway` answers as a broken or stale API would (see answerWithQuirks); null: as documented. */
    setListQuirks(gateway, quirks) {
      if (quirks) listQuirks.set(gateway, { ...quirks })
      else listQuirks.delete(gateway)
    },
    /**
     * Cloudflare's rate limit: past `limit` requests of one token in `windowMs`, every request of that
     * token answers 429 with Retry-After `retryAfterS` until that time has passed. null: no limit.
     */
    setRateLimit(limits) {
      rateLimit = limits && {
        limit: 1200,
        windowMs: 300_000,
        retryAfterS: 300,
        ...limits,
        times: new Map(),
        lockedUntil: new Map(),
        refused: 0
      }
    },
    /** The 429s the rate limit answered. */
    rateLimited() {
      return rateLimit?.refused ?? 0
    },
    /** Every list request from now on waits this long before it is answered. */
    setListDelay(ms) {
      listDelayMs = ms
    },
    /** Drops the delayed list requests and ends the hanging answers, so that the server can close. */
    stop() {
      for (const timer of delayed) clearTimeout(timer)
      scenarios.stop()
    }
  }
}
