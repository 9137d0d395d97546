// Cloudflare's API under /client/v4, as the action uses it: the routes, the token check, the log detail
// (registered logs, else the scenarios chosen by log id), the logging-state endpoint, the list endpoint
// (with its delay and its failed pages), and the store of logs that addRun and addLogs register.
import { listLogs, LIST_RE } from './cloudflare-list.mjs'
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
  let logCounter = 0
  const scenarios = createScenarios(logs)

  /** Answers a request under /client/v4/; a list request waits `listDelayMs` first. */
  function handle(req, res, url) {
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
    const list = LIST_RE.exec(url.pathname)
    if (list && req.method === 'GET') {
      if (req.headers.authorization !== `Bearer ${token}`) {
        return sendJson(res, 403, {
          success: false,
          errors: [{ code: 10000, message: 'Authentication error' }]
        })
      }
      return listLogs(
        res,
        url,
        gatewayLogs.get(decodeURIComponent(list[2])) ?? [],
        listFaults
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
            result: { ...registered.log }
          })
        : sendJson(res, 404, notFound)
    }
    return scenarios.answer(req, res, id)
  }

  /** Registers logs (all 25 fields, an `id` each) in a gateway, listed and served once `visibleAfterMs` has passed. */
  function addLogs(
    newLogs,
    { gateway = DEMO_GATEWAY, visibleAfterMs = 0 } = {}
  ) {
    const entries = gatewayLogs.get(gateway) ?? []
    gatewayLogs.set(gateway, entries)
    const visibleAtMs = Date.now() + visibleAfterMs
    for (const log of newLogs) entries.push({ log, visibleAtMs })
    return newLogs
  }

  /** Registers a run (see makeRun): its calls on time at once, its late calls `lateMs` from now. */
  function addRun(options) {
    const run = makeRun(options, () => ++logCounter)
    addLogs(run.onTime, { gateway: run.gateway })
    addLogs(run.late, { gateway: run.gateway, visibleAfterMs: run.lateMs })
    return run.logs
  }

  for (const run of runs) addRun(run)

  return {
    handle,
    addRun,
    addLogs,
    /** The next `times` list requests for `page` (any gateway) are answered with `status`: 429 with Retry-After, or a 5xx HTML page. */
    failListPage(page, { status = 429, retryAfterS = 1, times = 1 } = {}) {
      listFaults.set(page, { status, retryAfterS, times })
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
