// The gateway itself, `POST https://gateway.ai.cloudflare.com/v1/{account}/{gateway}/workers-ai/{model}`
// (served here under /gateway/v1): a call to Workers AI through the gateway's `workers-ai` provider,
// answered and logged. The action never makes such a call; the contract suite's `--seed` does, so
// that its checks have rows with known metadata to find, and the stand-in target seeds itself the
// same way.
// Sources: AI Gateway's Workers AI provider page (the URL, `Authorization: Bearer <API token>`, the
// Workers AI answer `{result: {response}, success, errors, messages}`), its "Custom metadata" page
// (`cf-aig-metadata`: a JSON object, at most five entries of strings, numbers or booleans) and its
// "Logging" page (the gateway answers with the call's log id in `cf-aig-log-id`; the log is written a
// moment after the call, with the call's time). What such a log holds in `model_type`, `path` and
// `request_type` for Workers AI is not documented: those values are illustrative.
import { ulid } from './cloudflare-runs.mjs'
import { BASE_LOG } from './cloudflare-samples.mjs'
import { sendJson } from './send-json.mjs'

/** The gateway's path under the stand-in's origin: account, gateway, then the Workers AI model (it holds slashes). */
export const GATEWAY_RE =
  /^\/gateway\/v1\/([^/]+)\/([^/]+)\/workers-ai\/(@cf\/[^?]+)$/

/** Workers AI's published prices for the model the contract seeds with, in USD per token (its pricing page). */
const PRICE_PER_TOKEN = { in: 0.027e-6, out: 0.201e-6 }

/** Headers a gateway does not record (hop by hop). */
const UNRECORDED = new Set(['connection', 'content-length', 'host'])

/**
 * The gateway's side of one stand-in. `token` is the API token Workers AI accepts; `addLogs` registers
 * the call's log (visible `logDelayMs` after the answer); `upstreamMs` is how long the model takes.
 */
export function createGateway({
  token,
  addLogs,
  upstreamMs = 40,
  logDelayMs = 200
}) {
  let counter = 0
  const timers = new Set()

  function handle(req, res, url, raw) {
    const m = GATEWAY_RE.exec(url.pathname)
    if (!m || req.method !== 'POST')
      return sendJson(res, 404, {
        success: false,
        errors: [{ code: 7003, message: 'No route for the URI' }]
      })
    if (req.headers.authorization !== `Bearer ${token}`)
      return sendJson(res, 401, {
        success: false,
        errors: [{ code: 10000, message: 'Authentication error' }],
        messages: [],
        result: null
      })
    const startedMs = Date.now()
    let prompt = ''
    try {
      const body = JSON.parse(raw)
      prompt = String(
        body.prompt ??
          (Array.isArray(body.messages)
            ? body.messages.map((x) => x?.content ?? '').join(' ')
            : '')
      )
    } catch {
      return sendJson(res, 400, {
        success: false,
        errors: [{ code: 5006, message: 'Invalid JSON body' }],
        messages: [],
        result: null
      })
    }
    let metadata
    try {
      const parsed = JSON.parse(String(req.headers['cf-aig-metadata'] ?? ''))
      if (
        typeof parsed === 'object' &&
        parsed !== null &&
        !Array.isArray(parsed)
      )
        metadata = JSON.stringify(parsed)
    } catch {
      // A header that is not a JSON object is not recorded as metadata.
    }
    const timer = setTimeout(() => {
      timers.delete(timer)
      const response = 'OK'
      const tokensIn = 20 + prompt.split(/\s+/).filter(Boolean).length
      const tokensOut = 1
      const head = {}
      for (const [name, value] of Object.entries(req.headers))
        if (!UNRECORDED.has(name)) head[name] = value
      const answer = {
        result: { response },
        success: true,
        errors: [],
        messages: []
      }
      const id = ulid(startedMs, ++counter)
      const answerText = JSON.stringify(answer)
      addLogs(
        [
          {
            ...BASE_LOG,
            id,
            created_at: new Date(startedMs).toISOString(),
            provider: 'workers-ai',
            model: m[3],
            path: m[3],
            duration: Date.now() - startedMs,
            tokens_in: tokensIn,
            tokens_out: tokensOut,
            cost: Number(
              (
                tokensIn * PRICE_PER_TOKEN.in +
                tokensOut * PRICE_PER_TOKEN.out
              ).toFixed(12)
            ),
            metadata,
            request_size: Buffer.byteLength(raw),
            request_head: JSON.stringify(head),
            response_size: Buffer.byteLength(answerText),
            response_head: '{"content-type":"application/json"}'
          }
        ],
        { gateway: decodeURIComponent(m[2]), visibleAfterMs: logDelayMs }
      )
      sendJson(res, 200, answer, { 'cf-aig-log-id': id })
    }, upstreamMs)
    timers.add(timer)
  }

  return {
    handle,
    stop() {
      for (const timer of timers) clearTimeout(timer)
    }
  }
}
