import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 3550:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Ao: () => (/* binding */ REQUEST_BUDGET),
/* harmony export */   O$: () => (/* binding */ budgetAllows),
/* harmony export */   TL: () => (/* binding */ CLOUDFLARE_GRAPHQL_QUERIES_PER_5_MINUTES),
/* harmony export */   bK: () => (/* binding */ RequestBudget),
/* harmony export */   bP: () => (/* binding */ QUERY_BUDGET),
/* harmony export */   n8: () => (/* binding */ CLOUDFLARE_REQUESTS_PER_5_MINUTES),
/* harmony export */   o_: () => (/* binding */ BudgetSpentError)
/* harmony export */ });
// The request budgets: how many Cloudflare API requests, and how many GraphQL Analytics queries, one
// gate may make in all. Cloudflare allows 1200 API requests per 5 minutes per user and then refuses
// every request of that user for 5 minutes (deploys included), and 300 GraphQL queries per 5 minutes
// per user; a gate that polls, retries and re-reads must stop well before either, and say so.
/** Cloudflare's own limit, quoted in messages. */
const CLOUDFLARE_REQUESTS_PER_5_MINUTES = 1200;
/** Cloudflare's GraphQL Analytics limit, quoted in messages. */
const CLOUDFLARE_GRAPHQL_QUERIES_PER_5_MINUTES = 300;
const REQUEST_BUDGET = {
    input: 'request-budget',
    unit: ['Cloudflare API request', 'Cloudflare API requests'],
    cloudflare: `Cloudflare allows ${CLOUDFLARE_REQUESTS_PER_5_MINUTES} per 5 minutes per user and then locks the user out for 5 minutes`,
    advice: 'narrow the selection'
};
const QUERY_BUDGET = {
    input: 'query-budget',
    unit: ['GraphQL query', 'GraphQL queries'],
    cloudflare: `Cloudflare allows ${CLOUDFLARE_GRAPHQL_QUERIES_PER_5_MINUTES} GraphQL queries per 5 minutes per user`,
    advice: 'shorten the window or ask for fewer percentiles'
};
/** `request-budget allows 2 Cloudflare API requests`: a budget's limit in words. */
function budgetAllows(kind, limit) {
    return `${kind.input} allows ${limit} ${kind.unit[limit === 1 ? 0 : 1]}`;
}
/** Thrown instead of a request the budget has no room for. */
class BudgetSpentError extends Error {
    limit;
    kind;
    constructor(limit, where, kind = REQUEST_BUDGET) {
        const name = kind.input.replace(/-/g, ' ');
        super(`The ${name} is spent: ${budgetAllows(kind, limit)}, all made before ${where} could be read. ` +
            `${kind.cloudflare}: ${kind.advice}, or raise ${kind.input}.`);
        this.limit = limit;
        this.kind = kind;
        this.name = 'BudgetSpentError';
    }
}
/** A count of requests made against a limit, shared by every request of one gate. */
class RequestBudget {
    limit;
    kind;
    used = 0;
    constructor(limit, kind = REQUEST_BUDGET) {
        this.limit = limit;
        this.kind = kind;
    }
    /** Takes one request from the budget: false when none is left (then nothing is taken). */
    take() {
        if (this.used >= this.limit)
            return false;
        this.used++;
        return true;
    }
    /** Requests made so far. */
    get spent() {
        return this.used;
    }
    /** Requests still allowed. */
    get left() {
        return this.limit - this.used;
    }
}


/***/ }),

/***/ 3749:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  Fe: () => (/* binding */ GatewayError),
  hD: () => (/* binding */ MAX_POST_ANSWER_BYTES),
  Gh: () => (/* binding */ WORKERS_OBSERVABILITY_HINT),
  O6: () => (/* binding */ authSecrets),
  $U: () => (/* binding */ fetchLog),
  pN: () => (/* binding */ listPages),
  V8: () => (/* binding */ loggingPlatformQuestion),
  B2: () => (/* binding */ postJson),
  j8: () => (/* binding */ realGatewayDeps)
});

// UNUSED EXPORTS: askLoggingPlatform, authHeaders, cloudflareErrors, describeRedirect, fetchListPage, listUrl, logUrl, loggingStateUrl, parseListAnswer, parseLogAnswer, parseLoggingPlatform

// EXTERNAL MODULE: ./src/cloudflare/budget.ts
var cloudflare_budget = __nccwpck_require__(3550);
// EXTERNAL MODULE: ./src/text/escape.ts
var text_escape = __nccwpck_require__(7388);
// EXTERNAL MODULE: ./src/net/http.ts
var http = __nccwpck_require__(9663);
// EXTERNAL MODULE: ./src/cloudflare/log.ts + 1 modules
var log = __nccwpck_require__(4184);
;// CONCATENATED MODULE: ./src/cloudflare/retry.ts
/** Retry-After longer than this is not slept through: Cloudflare's global limit blocks for 5 minutes. */
const MAX_RETRY_AFTER_MS = 60_000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 4_000;
/** 404 polling: short first intervals so a log written a moment late is picked up at once, then 1/s. */
const POLL_INTERVALS_MS = [300, 1000];
const initialState = (nowMs) => ({
    requests: 0,
    retries: 0,
    polls: 0,
    startedMs: nowMs
});
/** `Retry-After` as milliseconds from now: delta-seconds or an HTTP date; undefined when absent or unreadable. */
function parseRetryAfterMs(value, nowMs) {
    const text = Array.isArray(value) ? value[0] : value;
    if (!text)
        return undefined;
    if (/^\s*\d+(\.\d+)?\s*$/.test(text))
        return Math.round(Number(text) * 1000);
    // An HTTP date starts with the day's name (IMF-fixdate, RFC 850 and asctime forms alike); Date.parse
    // alone would also read `in 5` or `-5` as dates in 2001, and the client would retry at once.
    if (!/^\s*(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s/i.test(text))
        return undefined;
    const date = Date.parse(text);
    return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
/** Exponential backoff with jitter, as the Cloudflare SDK does: about 0.5 s doubling, capped. */
function backoffMs(retry, random) {
    const base = Math.min(BACKOFF_BASE_MS * 2 ** retry, BACKOFF_CAP_MS);
    return Math.round(base * (1 - random * 0.25));
}
function pollIntervalMs(poll) {
    return POLL_INTERVALS_MS[Math.min(poll, POLL_INTERVALS_MS.length - 1)];
}
function isRetryableStatus(status) {
    return status === 408 || status === 409 || status === 429 || status >= 500;
}
/** The next step after an attempt. `state.requests` counts the attempt being decided. */
function nextStep(attempt, state, policy, nowMs, random) {
    if ('res' in attempt) {
        const { res } = attempt;
        const status = res.status;
        if (status >= 200 && status < 300)
            return { kind: 'answer', res };
        if (status === 404) {
            const waitedMs = nowMs - state.startedMs;
            const leftMs = policy.waitTimeoutMs - waitedMs;
            if (leftMs <= 0)
                return { kind: 'not-found', waitedMs };
            const delayMs = Math.min(pollIntervalMs(state.polls), leftMs);
            return {
                kind: 'again',
                delayMs,
                poll: true,
                state: { ...state, polls: state.polls + 1 }
            };
        }
        if (status >= 300 && status < 400)
            return { kind: 'redirected', res };
        if (status === 401 || status === 403)
            return { kind: 'refused', res };
        if (!isRetryableStatus(status))
            return { kind: 'rejected', res };
        const retryAfterMs = parseRetryAfterMs(res.headers['retry-after'], nowMs);
        if (retryAfterMs !== undefined && retryAfterMs > MAX_RETRY_AFTER_MS)
            return { kind: 'wait-too-long', res, retryAfterMs };
        if (state.retries >= policy.maxRetries)
            return { kind: 'gave-up', res };
        const delayMs = retryAfterMs ?? backoffMs(state.retries, random);
        return {
            kind: 'again',
            delayMs,
            poll: false,
            state: { ...state, retries: state.retries + 1 }
        };
    }
    if (state.retries >= policy.maxRetries)
        return { kind: 'gave-up' };
    const delayMs = backoffMs(state.retries, random);
    return {
        kind: 'again',
        delayMs,
        poll: false,
        failure: attempt.failure,
        state: { ...state, retries: state.retries + 1 }
    };
}

// EXTERNAL MODULE: ./src/text/secrets.ts
var secrets = __nccwpck_require__(9690);
// EXTERNAL MODULE: ./src/cloudflare/query.ts
var query = __nccwpck_require__(235);
;// CONCATENATED MODULE: ./src/cloudflare/gateway.ts
// The AI Gateway logs API client: one GET of a log detail, and one page of the list endpoint; both
// return logs, never totals. Each request goes through the same loop (retry.ts decides what to do
// after every attempt), and every answer is checked at run time. Errors are GatewayErrors whose
// message is one readable line with the API's text scrubbed of secrets before it is cut.







class GatewayError extends Error {
    kind;
    status;
    constructor(kind, message, status) {
        super(message);
        this.kind = kind;
        this.status = status;
        this.name = 'GatewayError';
    }
}
// Each id is one percent-encoded path segment: `../../user/tokens` stays a log id.
const segment = (id) => encodeURIComponent(id).replace(/\./g, '%2E');
function gatewayUrl(req) {
    return `${req.apiUrl}/accounts/${segment(req.accountId)}/ai-gateway/gateways/${segment(req.gatewayId)}`;
}
function logUrl(req) {
    return `${gatewayUrl(req)}/logs/${segment(req.logId)}`;
}
function listUrl(req, list) {
    return `${gatewayUrl(req)}/logs?${(0,query/* listQuery */.ND)(list)}`;
}
/** Where the account's logging platform is stated: legacy logs, or "Logs powered by Workers Observability". */
function loggingStateUrl(req) {
    return `${req.apiUrl}/accounts/${segment(req.accountId)}/ai-gateway/logging-state`;
}
function authHeaders(auth) {
    return auth.kind === 'token'
        ? { authorization: `Bearer ${auth.token}` }
        : { 'x-auth-email': auth.email, 'x-auth-key': auth.key };
}
/** The secret values among the credentials: what an API that reflects its request could echo back. */
function authSecrets(auth) {
    return auth.kind === 'token' ? [auth.token] : [auth.key];
}
/** Longest `errors[]` text quoted in an error message. */
const MAX_ERRORS_CHARS = 500;
/**
 * The answer's Cloudflare `errors[]` as "code: message" text, when it has any: on one line, with
 * invisible characters shown, and `scrub` applied before it is cut, so that no part of a secret the
 * API echoes survives the cut.
 */
function cloudflareErrors(body, scrub = secrets/* NO_SECRETS */.g1) {
    let parsed;
    try {
        parsed = JSON.parse(body);
    }
    catch {
        return undefined;
    }
    const errors = parsed?.errors;
    if (!Array.isArray(errors) || errors.length === 0)
        return undefined;
    const text = errors
        .map((e) => {
        const { code, message } = (e ?? {});
        const text = typeof message === 'string'
            ? message
            : ((0,text_escape/* jsonText */.s$)(e) ?? 'an error nested too deeply to show');
        return typeof code === 'number' || typeof code === 'string'
            ? `${code}: ${text}`
            : text;
    })
        .join('; ');
    return (0,text_escape/* inline */.mG)(scrub(text).replace(/\s+/g, ' '), MAX_ERRORS_CHARS);
}
function describeBody(res, scrub) {
    const type = String(res.headers['content-type'] ?? '');
    if (/html/i.test(type) || /^\s*<(!doctype|html)/i.test(res.body))
        return 'an HTML page';
    return (cloudflareErrors(res.body, scrub) ??
        (res.body.trim() === ''
            ? 'an empty body'
            : "a body that is not the API's JSON"));
}
/**
 * A 3xx is never followed: the credentials go to api-url and nowhere else. The message names the host
 * it points to (that host is the likely fix of api-url, or a sign of a proxy in the way); the rest of
 * the Location (its path and query can carry tokens) is not shown.
 */
function describeRedirect(res, requestUrl) {
    const location = Array.isArray(res.headers.location)
        ? res.headers.location[0]
        : res.headers.location;
    if (!location)
        return 'a redirect without a Location header (not followed)';
    let host;
    try {
        host = new URL(location, requestUrl).host;
    }
    catch {
        return 'a redirect to a Location that is not a URL (not followed)';
    }
    return `a redirect to host "${(0,text_escape/* inline */.mG)(host, 100)}" (not followed: the credentials are sent to api-url only; check api-url)`;
}
function networkErrorMessage(error) {
    const e = error;
    const code = e?.code ?? e?.cause?.code;
    const message = typeof e?.message === 'string' ? e.message : String(error);
    return code && !message.includes(String(code))
        ? `${message} (${String(code)})`
        : message;
}
/** The `{success, result}` envelope unwrapped: throws a GatewayError naming what was wrong. */
function unwrap(res, scrub) {
    let envelope;
    try {
        envelope = JSON.parse(res.body);
    }
    catch {
        const body = describeBody(res, scrub);
        throw new GatewayError('invalid-answer', `the API answered HTTP ${res.status} with ${body}${body.startsWith('a body') ? '' : ', not JSON'}`, res.status);
    }
    if (typeof envelope !== 'object' ||
        envelope === null ||
        Array.isArray(envelope)) {
        throw new GatewayError('invalid-answer', `the API answered HTTP ${res.status} with JSON that is not an object`, res.status);
    }
    const { success, result } = envelope;
    if (success !== true) {
        const errors = cloudflareErrors(res.body, scrub);
        const shown = (0,text_escape/* inline */.mG)(scrub((0,text_escape/* jsonText */.s$)(success ?? null) ?? 'a value nested too deeply to show'), 40);
        throw new GatewayError('api-error', `the API answered success: ${shown}${errors ? ` (${errors})` : ''}`, res.status);
    }
    if (result === undefined || result === null) {
        throw new GatewayError('invalid-answer', 'the API answered success: true but no "result"', res.status);
    }
    return { result, envelope: envelope };
}
function checkedLog(result, status, scrub, where = '') {
    try {
        return (0,log/* parseLogDetail */.vu)(result, scrub);
    }
    catch (error) {
        if (error instanceof log/* InvalidLogError */.wX)
            throw new GatewayError('invalid-answer', `${where}${error.message}`, status);
        throw error;
    }
}
/**
 * A log detail answer, unwrapped and checked. `scrub` removes the caller's secrets from the API's
 * text before any of it is cut for the message.
 */
function parseLogAnswer(res, scrub = secrets/* NO_SECRETS */.g1) {
    return checkedLog(unwrap(res, scrub).result, res.status, scrub);
}
/** A page of the list endpoint: its rows (each checked as a log) and `result_info.total_count`. */
function parseListAnswer(res, scrub = secrets/* NO_SECRETS */.g1) {
    const { result, envelope } = unwrap(res, scrub);
    if (!Array.isArray(result))
        throw new GatewayError('invalid-answer', 'the API answered a list whose "result" is not an array', res.status);
    const info = envelope.result_info;
    const totalCount = info?.total_count;
    if (typeof totalCount !== 'number' ||
        !Number.isSafeInteger(totalCount) ||
        totalCount < 0) {
        throw new GatewayError('invalid-answer', 'the API answered a list without a whole result_info.total_count', res.status);
    }
    const rows = result.map((row, i) => checkedLog(row, res.status, scrub, `row ${i + 1} of the list: `));
    return { rows, totalCount };
}
/** Accounts created on or after 2026-09-24 keep AI Gateway logs in Workers Observability, not in the logs API. */
const WORKERS_OBSERVABILITY_HINT = 'The account keeps its AI Gateway logs in Workers Observability (its ai-gateway/logging-state says so), and the logs API this ' +
    'action reads (Cloudflare\'s "Legacy Logs") holds no logs for such accounts. Find the calls in the Cloudflare dashboard ' +
    '(Workers & Pages › Observability, or AI › AI Gateway › Logs); this action cannot gate them until their logs can be read through the logs API.';
/** The keys of `result` that may name the platform; other keys (such as a migration target) are not read. */
const PLATFORM_KEYS = [
    'platform',
    'logging_platform',
    'canonical_platform',
    'canonical_logging_platform',
    'logging_state',
    'state'
];
/**
 * The account's logging platform from a `GET …/ai-gateway/logging-state` answer. Cloudflare does not
 * document its shape; its generated clients only say it "returns the canonical logging platform and
 * migration availability" in the usual `{success, result}` envelope. So: `result` is either the
 * platform's name itself, or an object whose platform-like key holds it. Anything else is "unknown".
 */
function parseLoggingPlatform(body) {
    let envelope;
    try {
        envelope = JSON.parse(body);
    }
    catch {
        return undefined;
    }
    const { success, result } = (typeof envelope === 'object' && envelope !== null ? envelope : {});
    if (success !== true)
        return undefined;
    const named = (value) => {
        if (typeof value !== 'string')
            return undefined;
        const name = value
            .trim()
            .toLowerCase()
            .replace(/[\s-]+/g, '_');
        if (name === 'workers_observability' || name === 'workers_logs')
            return 'workers-observability';
        return name === 'legacy' || name === 'legacy_logs' ? 'legacy' : undefined;
    };
    if (typeof result === 'string')
        return named(result);
    if (typeof result !== 'object' || result === null || Array.isArray(result))
        return undefined;
    for (const key of PLATFORM_KEYS) {
        const platform = named(result[key]);
        if (platform)
            return platform;
    }
    return undefined;
}
/**
 * One request for the account's logging platform, to explain logs that are not found. Best effort:
 * its failure (a network error, a refusal, an answer we cannot read) changes nothing.
 */
async function askLoggingPlatform(conn, deps) {
    if (deps.budget && !deps.budget.take()) {
        deps.debug('logging-state not asked: the request budget is spent');
        return undefined;
    }
    try {
        const res = await deps.send(loggingStateUrl(conn), requestHeaders(conn.auth), conn.requestTimeoutMs);
        const platform = res.status >= 200 && res.status < 300
            ? parseLoggingPlatform(res.body)
            : undefined;
        deps.debug(`logging-state answered HTTP ${res.status}: platform ${platform ?? 'unknown'}`);
        return platform;
    }
    catch (error) {
        deps.debug(`logging-state could not be read: ${(0,text_escape/* inline */.mG)(networkErrorMessage(error))}`);
        return undefined;
    }
}
/**
 * The logging-state question of one gate, asked at most once however many logs or reads are not found
 * (the first not-found asks it; later ones reuse the answer), and never by a gate that finds its calls.
 */
function loggingPlatformQuestion(conn, deps) {
    let asked;
    return () => (asked ??= askLoggingPlatform(conn, deps));
}
function requestHeaders(auth) {
    return {
        accept: 'application/json',
        'user-agent': 'ai-gateway-gate',
        ...authHeaders(auth)
    };
}
/**
 * One request through the retry loop, until an answer (2xx) or an error. A 404 ends as the step
 * `not-found`, returned for the caller to explain; every other failure is a GatewayError here. The total
 * time is bounded by the inputs: at most (maxRetries + 1) attempts of request-timeout, their sleeps
 * (each at most a minute), and the wait for a log not written yet.
 */
async function exchange(conn, target, deps, scrub) {
    const headers = requestHeaders(conn.auth);
    let state = initialState(deps.now());
    for (;;) {
        for (const budget of [target.budget, deps.budget])
            if (budget && !budget.take())
                throw new cloudflare_budget/* BudgetSpentError */.o_(budget.limit, target.where, budget.kind);
        state = { ...state, requests: state.requests + 1 };
        const { res, failure } = await attempt(conn, target, headers, deps, scrub);
        const step = nextStep(res ? { res } : { failure }, state, target.policy, deps.now(), deps.random());
        const notFound = step.kind === 'not-found' || (step.kind === 'again' && step.poll);
        if (notFound && state.polls === 0 && target.onFirstNotFound)
            await target.onFirstNotFound();
        switch (step.kind) {
            case 'answer':
                return { res: step.res, requests: state.requests };
            case 'not-found':
                return { notFound: step.waitedMs };
            case 'again':
                deps.debug(step.poll
                    ? `${target.where} not found yet; asking again in ${step.delayMs} ms`
                    : `attempt ${state.requests} failed: ${failure}; retrying in ${step.delayMs} ms`);
                state = step.state;
                await deps.sleep(step.delayMs);
                continue;
            default:
                throw finalError(step, failure, state.requests, conn, target, deps, scrub);
        }
    }
}
/** One attempt: the answer, and what it failed with in words (for a retry's debug line or the error). */
async function attempt(conn, target, headers, deps, scrub) {
    let res;
    const { body } = target;
    const { post } = deps;
    // A caller that posts without a transport for it is a bug: thrown, not retried as a network failure.
    if (body !== undefined && !post)
        throw new Error(`GatewayDeps.post is needed to POST ${target.what}`);
    // Only the request's own failures are failures to retry: an error past it is a bug, and it is thrown.
    try {
        res =
            body === undefined
                ? await deps.send(target.url, headers, conn.requestTimeoutMs)
                : await post(target.url, headers, body, conn.requestTimeoutMs);
    }
    catch (error) {
        if (error instanceof http/* AnswerTooLargeError */.Oc)
            throw new GatewayError('invalid-answer', `the API answered with ${error.size}, more than any ${target.what}; not read (${target.where})`);
        return { failure: (0,text_escape/* inline */.mG)(scrub(networkErrorMessage(error))) };
    }
    return {
        res,
        failure: `HTTP ${res.status}${res.status === 429 ? ' (rate limited)' : ''} with ${describeBody(res, scrub)}`
    };
}
/** The error a step that ends the exchange without an answer stands for, in one line. */
function finalError(step, failure, requests, conn, target, deps, scrub) {
    switch (step.kind) {
        case 'redirected':
            return new GatewayError('bad-request', `HTTP ${step.res.status} from the API for ${target.where}: ${describeRedirect(step.res, target.url)}`, step.res.status);
        case 'refused': {
            const errors = cloudflareErrors(step.res.body, scrub);
            const needs = conn.auth.kind === 'token'
                ? `API token needs the "${target.permission ?? 'AI Gateway Read'}" permission`
                : 'api-email and api-key must be a valid global API key';
            return new GatewayError('auth', `HTTP ${step.res.status} from the API${errors ? ` (${errors})` : ''}: the ${needs} for account ${JSON.stringify(conn.accountId)}.`, step.res.status);
        }
        case 'rejected':
            return new GatewayError('bad-request', `HTTP ${step.res.status} from the API for ${target.where}: ${describeBody(step.res, scrub)}`, step.res.status);
        case 'wait-too-long': {
            const atMs = deps.now() + step.retryAfterMs;
            // A Retry-After past the dates a Date can hold is garbage, not a reason to crash.
            const at = Number.isFinite(atMs) && atMs <= 8.64e15
                ? new Date(atMs).toISOString().replace(/\.\d+Z$/, 'Z')
                : 'an unknown time';
            const wait = `the API asks to wait ${Math.ceil(step.retryAfterMs / 1000)} s (Retry-After), so it will answer again at ${at}`;
            return new GatewayError('rate-limited', `${failure}; ${wait}. ${target.rateLimit ?? `Cloudflare allows ${cloudflare_budget/* CLOUDFLARE_REQUESTS_PER_5_MINUTES */.n8} requests per 5 minutes per user.`}`, step.res.status);
        }
        case 'gave-up': {
            const attempts = `${requests} attempt${requests > 1 ? 's' : ''}; max-retries is ${target.policy.maxRetries}`;
            const kind = step.res?.status === 429 ? 'rate-limited' : 'unavailable';
            return new GatewayError(kind, `The API did not answer for ${target.where}: ${failure} (${attempts}).`, step.res?.status);
        }
    }
}
const clientScrub = (conn, deps) => 
// Scrubbed before any of the API's text is cut: the credentials it could echo, and whatever else the caller knows.
(0,secrets/* scrubber */.ty)([...authSecrets(conn.auth), ...(deps.secrets ?? [])]);
/**
 * Fetches one log detail. A 404 is asked again until wait-timeout after the first request, since the
 * gateway writes a log a moment after the call; still not there, the error says why that may be. The
 * first 404 asks the account's logging platform at once (`askPlatform`, shared by the gate's reads):
 * an account that keeps its logs in Workers Observability has none here to wait for, so that stops the
 * step at once; any other answer (legacy, or unknown) waits as usual.
 */
async function fetchLog(req, deps, askPlatform = loggingPlatformQuestion(req, deps)) {
    const scrub = clientScrub(req, deps);
    const where = `log ${JSON.stringify(req.logId)} in gateway ${JSON.stringify(req.gatewayId)} of account ${JSON.stringify(req.accountId)}`;
    const policy = {
        maxRetries: req.maxRetries,
        waitTimeoutMs: req.waitTimeoutMs
    };
    const onFirstNotFound = async () => {
        if ((await askPlatform()) === 'workers-observability')
            throw new GatewayError('not-found', `Not found: ${where} (not waited for). ${WORKERS_OBSERVABILITY_HINT}`, 404);
    };
    const answer = await exchange(req, { url: logUrl(req), where, what: 'log detail', policy, onFirstNotFound }, deps, scrub);
    if ('notFound' in answer) {
        const waited = req.waitTimeoutMs > 0
            ? `after waiting ${(answer.notFound / 1000).toFixed(1)} s`
            : 'and wait-timeout is 0';
        // Asked at the first 404 already: the answer is reused, not asked again.
        const platform = await askPlatform();
        const why = platform === 'workers-observability'
            ? WORKERS_OBSERVABILITY_HINT
            : 'Likely causes: a wrong log-id or gateway-id, logging turned off for the gateway, or the call sent cf-aig-collect-log: false.';
        throw new GatewayError('not-found', `Not found: ${where} ${waited}. ${why}`, 404);
    }
    const log = parseLogAnswer(answer.res, scrub);
    if (log.id.toLowerCase() !== req.logId.toLowerCase()) {
        const message = `the API answered with log "${(0,text_escape/* inline */.mG)(scrub(log.id), 80)}", not the requested ${JSON.stringify(req.logId)}`;
        throw new GatewayError('invalid-answer', message, answer.res.status);
    }
    return { log, requests: answer.requests };
}
/**
 * Reads one page of the list endpoint. A 404 here is not a log still to be written (an unknown
 * gateway answers 200 with no rows): it is final.
 */
async function fetchListPage(conn, list, deps) {
    const scrub = clientScrub(conn, deps);
    const where = `page ${list.page} of the logs of gateway ${JSON.stringify(conn.gatewayId)} of account ${JSON.stringify(conn.accountId)}`;
    const url = listUrl(conn, list);
    const answer = await exchange(conn, {
        url,
        where,
        what: 'list page',
        policy: { maxRetries: conn.maxRetries, waitTimeoutMs: 0 }
    }, deps, scrub);
    if ('notFound' in answer) {
        throw new GatewayError('bad-request', `HTTP 404 from the API for ${where}: check account-id and api-url`, 404);
    }
    try {
        return parseListAnswer(answer.res, scrub);
    }
    catch (error) {
        // Which page: a broken answer on page 3 of 20 is not the same problem as on page 1.
        if (error instanceof GatewayError)
            throw new GatewayError(error.kind, `${error.message} (${where})`, error.status);
        throw error;
    }
}
/**
 * The pages of one selection (a run, a window, extra filters), as collect() reads them: the read's
 * upper bound comes with each page, the rest of the query stays the same. Each row is cut down to what
 * the gate keeps (summarize) as soon as its page is checked, so that a page's long texts are garbage
 * once it is read: 10,000 rows of 10 KB would otherwise stay in memory until the gate is done.
 */
function listPages(conn, selection, deps, 
/** What a row keeps of its metadata: the run's own entry (sources/match.ts runEntry); none by default. */
metadataOf = () => undefined) {
    const { run, filters, sinceMs } = selection;
    const scrub = clientScrub(conn, deps);
    return async (page, perPage, untilMs) => {
        const { rows, totalCount } = await fetchListPage(conn, { run, filters, window: { sinceMs, untilMs }, page, perPage }, deps);
        return {
            rows: rows.map((row) => (0,log/* summarize */.eh)(row, scrub, metadataOf(row))),
            totalCount
        };
    };
}
/**
 * One POST of a JSON body through the same loop as every GET (retries of 429, 5xx and timeouts, the
 * budgets, a refusal or a failure as one line). A 404 is final: nothing is being written to wait for.
 * The answer is returned with its status (2xx) for the caller to read.
 */
async function postJson(conn, request, deps) {
    const scrub = clientScrub(conn, deps);
    const policy = { maxRetries: conn.maxRetries, waitTimeoutMs: 0 };
    const answer = await exchange(conn, { ...request, policy }, deps, scrub);
    if ('notFound' in answer)
        throw new GatewayError('bad-request', `HTTP 404 from the API for ${request.where}: check api-url`, 404);
    return answer.res;
}
/**
 * The largest POST answer read. A GraphQL histogram page of 10,000 groups is about 0.5 MB written
 * compactly and twice that indented, past the 512 KiB a log answer may have; its rows are small
 * numbers, not heads, so parsed it costs a few times its size, not ninety.
 */
const MAX_POST_ANSWER_BYTES = 4 * 1024 * 1024;
const realGatewayDeps = (debug) => ({
    send: http/* sendRequest */.w$,
    post: (url, headers, body, timeoutMs) => (0,http/* sendRequest */.w$)(url, headers, timeoutMs, {
        body,
        maxBodyBytes: MAX_POST_ANSWER_BYTES
    }),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
    random: Math.random,
    debug
});


/***/ }),

/***/ 1074:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   NB: () => (/* binding */ AnalyticsError),
/* harmony export */   Pb: () => (/* binding */ analyticsSession),
/* harmony export */   SP: () => (/* binding */ shown),
/* harmony export */   VR: () => (/* binding */ queryData),
/* harmony export */   XP: () => (/* binding */ accountOf),
/* harmony export */   eB: () => (/* binding */ asObject),
/* harmony export */   k_: () => (/* binding */ invalidAnswer)
/* harmony export */ });
/* unused harmony export parseGraphqlAnswer */
/* harmony import */ var _budget_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3550);
/* harmony import */ var _gateway_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(3749);
/* harmony import */ var _text_escape_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(7388);
/* harmony import */ var _text_secrets_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(9690);
// One query of Cloudflare's GraphQL Analytics API: POSTed to {api-url}/graphql with the REST calls'
// credentials, through the REST client's retry loop (429, 5xx and timeouts retried), every attempt
// taken from the gate's query budget. The answer is read as from a hostile server: GraphQL refuses
// with HTTP 200 and an `errors` array (https://developers.cloudflare.com/analytics/graphql-api/errors/),
// so an answer is only `data` when there is no error, and `data` is checked before anything reads it.
// Every error is an AnalyticsError (or the transport's GatewayError, BudgetSpentError) of one line.




class AnalyticsError extends Error {
    kind;
    constructor(kind, message) {
        super(message);
        this.kind = kind;
        this.name = 'AnalyticsError';
    }
}
function analyticsSession(conn, deps, 
/** The gate's one query budget (QUERY_BUDGET), shared by every read of it: the window, its baseline, the trend. */
budget) {
    return {
        conn,
        deps,
        budget,
        scrub: (0,_text_secrets_js__WEBPACK_IMPORTED_MODULE_2__/* .scrubber */ .ty)([...(0,_gateway_js__WEBPACK_IMPORTED_MODULE_1__/* .authSecrets */ .O6)(conn.auth), ...(deps.secrets ?? [])])
    };
}
/** Longest GraphQL error message quoted. */
const MAX_MESSAGE_CHARS = 300;
/** An invalid answer to one query, naming what was wrong. */
function invalidAnswer(what, detail) {
    return new AnalyticsError('invalid-answer', `GraphQL Analytics answered the ${what} query with an invalid answer: ${detail}`);
}
/** A value from the answer, shown short and inert in a message. */
function shown(value, scrub) {
    if (value === undefined)
        return 'nothing';
    return (0,_text_escape_js__WEBPACK_IMPORTED_MODULE_3__/* .inline */ .mG)(scrub((0,_text_escape_js__WEBPACK_IMPORTED_MODULE_3__/* .jsonText */ .s$)(value) ?? 'a value nested too deeply to show'), 60);
}
/** A GraphQL error's path (`viewer.accounts.0.settings`), when it is a list of names and indexes. */
function pathText(path, scrub) {
    if (!Array.isArray(path) || path.length === 0)
        return '';
    if (!path.every((p) => typeof p === 'string' || typeof p === 'number'))
        return '';
    return ` (path ${(0,_text_escape_js__WEBPACK_IMPORTED_MODULE_3__/* .inline */ .mG)(scrub(path.join('.')), 120)})`;
}
/**
 * The refusal in an answer's `errors`, as one line: GraphQL's own message (scrubbed, then cut, then
 * escaped) and its path; undefined when the answer has no errors.
 */
function refusal(errors, what, scrub) {
    if (errors === undefined || errors === null)
        return undefined;
    if (!Array.isArray(errors))
        throw invalidAnswer(what, `"errors" is ${shown(errors, scrub)}, not a list`);
    if (errors.length === 0)
        return undefined;
    const first = (errors[0] ?? {});
    const message = typeof first.message === 'string'
        ? `"${(0,_text_escape_js__WEBPACK_IMPORTED_MODULE_3__/* .inline */ .mG)(scrub(first.message).replace(/\s+/g, ' '), MAX_MESSAGE_CHARS)}"`
        : 'an error without a message';
    const more = errors.length > 1
        ? ` and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''}`
        : '';
    return new AnalyticsError('refused', `GraphQL Analytics refused the ${what} query: ${message}${pathText(first.path, scrub)}${more}.`);
}
/** A plain object (not null, not a list), or undefined. */
function asObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? value
        : undefined;
}
/** The `data` of an answer body: refused when it has errors, invalid when it has neither. */
function parseGraphqlAnswer(body, what, scrub) {
    // The transport bounds what it reads; a transport that does not (a test's) is held to the same bound.
    if (body.length > _gateway_js__WEBPACK_IMPORTED_MODULE_1__/* .MAX_POST_ANSWER_BYTES */ .hD)
        throw invalidAnswer(what, `more than ${_gateway_js__WEBPACK_IMPORTED_MODULE_1__/* .MAX_POST_ANSWER_BYTES */ .hD} bytes`);
    let parsed;
    try {
        parsed = JSON.parse(body);
    }
    catch {
        throw invalidAnswer(what, 'the body is not JSON');
    }
    const answer = asObject(parsed);
    if (!answer)
        throw invalidAnswer(what, 'the body is not a JSON object');
    const refused = refusal(answer.errors, what, scrub);
    if (refused)
        throw refused;
    const data = asObject(answer.data);
    if (!data)
        throw invalidAnswer(what, `"data" is ${shown(answer.data, scrub)} and there are no errors`);
    return data;
}
/**
 * The one account of an answer: `viewer.accounts` filtered by accountTag holds exactly it. None means
 * the token cannot see the account's analytics (Cloudflare answers a filter that matches nothing
 * with an empty list rather than an error).
 */
function accountOf(data, what, session) {
    const viewer = asObject(data.viewer);
    const accounts = viewer?.accounts;
    if (!Array.isArray(accounts))
        throw invalidAnswer(what, 'no list at data.viewer.accounts');
    if (accounts.length === 0)
        throw new AnalyticsError('refused', `GraphQL Analytics shows no account ${JSON.stringify(session.conn.accountId)} to this token: the API token needs the "Account Analytics Read" permission for it.`);
    if (accounts.length > 1)
        throw invalidAnswer(what, `${accounts.length} accounts at data.viewer.accounts, not the one asked for`);
    const account = asObject(accounts[0]);
    if (!account)
        throw invalidAnswer(what, 'the account is not an object');
    return account;
}
/** One query: POSTed, retried as the REST calls are, its `data` returned once checked for refusals. */
async function queryData(session, what, query, variables) {
    const { conn, deps } = session;
    const res = await (0,_gateway_js__WEBPACK_IMPORTED_MODULE_1__/* .postJson */ .B2)(conn, {
        url: `${conn.apiUrl}/graphql`,
        where: `the ${what} query of GraphQL Analytics for account ${JSON.stringify(conn.accountId)}`,
        what: 'GraphQL answer',
        body: JSON.stringify({ query, variables }),
        budget: session.budget,
        permission: 'Account Analytics Read',
        rateLimit: `Cloudflare allows ${_budget_js__WEBPACK_IMPORTED_MODULE_0__/* .CLOUDFLARE_GRAPHQL_QUERIES_PER_5_MINUTES */ .TL} GraphQL queries per 5 minutes per user.`
    }, deps);
    return parseGraphqlAnswer(res.body, what, session.scrub);
}


/***/ }),

/***/ 4184:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  wX: () => (/* binding */ InvalidLogError),
  Hg: () => (/* binding */ LOG_FIELDS),
  Kq: () => (/* binding */ dateTimeMs),
  vu: () => (/* binding */ parseLogDetail),
  eh: () => (/* binding */ summarize)
});

// UNUSED EXPORTS: MAX_SUMMARY_TEXT_CHARS

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __nccwpck_require__(7598);
// EXTERNAL MODULE: ./src/text/escape.ts
var text_escape = __nccwpck_require__(7388);
;// CONCATENATED MODULE: ./src/text/redact.ts
// The credentials of the recorded call, removed from what the gateway logged: the values of
// sensitive headers in `request_head` / `response_head`, whatever shape the head has, and credentials
// in URLs (query and fragment parameters, `user:password@`). Every pattern here runs over text from
// the API, so each one is linear in its input: no nested or overlapping quantifiers.

const REDACTED = '[redacted]';
const SENSITIVE_HEADERS = new Set([
    'authorization',
    'proxy-authorization',
    'x-api-key',
    'api-key',
    'x-auth-key',
    'cf-aig-authorization',
    'cookie',
    'set-cookie',
    'x-goog-api-key'
]);
/** Headers that can carry the caller's provider keys. */
function isSensitiveHeader(name) {
    const lower = name.trim().toLowerCase();
    return (SENSITIVE_HEADERS.has(lower) ||
        /token|secret|key|auth|cookie|session|password/.test(lower));
}
/** URL parameters that carry credentials: the header words, and signatures (`sig=`, `X-Amz-Signature=`), credentials, passwords. */
function isSensitiveParam(name) {
    let decoded = name;
    if (name.includes('%')) {
        try {
            decoded = decodeURIComponent(name);
        }
        catch {
            // a stray `%` is not an encoding: test the name as written
        }
    }
    return (isSensitiveHeader(decoded) || /sig|credential|pass|pwd|jwt/i.test(decoded));
}
// Both patterns are linear in the text: each starts only at a separator (`?&#;`, or `//`), and the
// run after it stops at the next separator, so no character is read by more than one attempt. A run
// that could reach across separators (the old `[^=&\s#]+` took `?`) retries from every `?` of a line
// of them: a 1 MB line of `?` took minutes.
// A value also stops at `<>"'`, which end a URL written in a Link header, HTML or JSON.
const QUERY_PARAM_RE = /([?&#;])([^=&?#;\s]+)=([^&?#;\s<>"']*)/g;
const USERINFO_RE = /\/\/[^/?#@\s]+@/g;
/**
 * Credentials in URLs anywhere in `text`: the values of query (and fragment) parameters named like a
 * credential (`?api_key=…`, `#access_token=…`) and the user-info of `https://user:password@host`.
 */
function redactUrlCredentials(text) {
    return text
        .replace(QUERY_PARAM_RE, (whole, sep, name) => isSensitiveParam(name) ? `${sep}${name}=${REDACTED}` : whole)
        .replace(USERINFO_RE, `//${REDACTED}@`);
}
/** Header values nest a few levels at most; anything deeper is not a head, and JSON.stringify would overflow on it. */
const MAX_HEAD_DEPTH = 16;
/**
 * Redacts sensitive header values in a recorded head. The gateway stores heads as a JSON object of
 * header name to value; a head that is not JSON is treated as `Name: value` lines. Anything we cannot
 * read either way is dropped whole rather than passed on with a key in it. URLs in the values that are
 * kept (Referer, Location, the request line) lose their credentials.
 */
function redactHeaders(head) {
    let parsed;
    try {
        parsed = JSON.parse(head);
    }
    catch {
        parsed = undefined;
    }
    if (typeof parsed === 'object' && parsed !== null) {
        return (0,text_escape/* jsonText */.s$)(redactObject(parsed, 0)) ?? REDACTED;
    }
    // A JSON string can hold a whole head (encoded twice): redact what it holds.
    if (typeof parsed === 'string')
        return JSON.stringify(redactHeaders(parsed));
    if (parsed !== undefined)
        return head; // a bare JSON number, boolean or null holds no header
    // JSON that does not parse (a head cut short: request_head_complete false) is not `Name: value` lines.
    if (/^\s*[[{"]/.test(head))
        return REDACTED;
    const lines = head.split(/\r?\n/);
    if (!lines.every((line) => line.trim() === '' ||
        /^[^:\s][^:]*:/.test(line) ||
        /^HTTP\/|^[A-Z]+ \S+ HTTP\//.test(line))) {
        return REDACTED;
    }
    return lines
        .map((line) => {
        const colon = line.indexOf(':');
        if (/^[A-Z]+ \S+ HTTP\//.test(line))
            return redactUrlCredentials(line);
        if (colon <= 0 || /^HTTP\//.test(line))
            return line;
        const name = line.slice(0, colon);
        return isSensitiveHeader(name)
            ? `${name}: ${REDACTED}`
            : `${name}:${redactUrlCredentials(line.slice(colon + 1))}`;
    })
        .join('\n');
}
/** The member that names the header in a list entry: HAR's {name, value}, Postman's {key, value}, {header, value}. */
const ENTRY_NAME_MEMBERS = ['name', 'key', 'header'];
/** The naming member of a `{name, value}` / `{name, values}`-shaped entry, or undefined for any other object. */
function entryNameMember(record) {
    if (!('value' in record) && !('values' in record))
        return undefined;
    return ENTRY_NAME_MEMBERS.find((member) => typeof record[member] === 'string');
}
function redactValue(value, depth) {
    if (typeof value === 'string')
        return redactUrlCredentials(value);
    if (typeof value === 'object' && value !== null)
        return redactObject(value, depth + 1);
    return value;
}
function redactObject(value, depth) {
    if (depth > MAX_HEAD_DEPTH)
        return REDACTED;
    if (Array.isArray(value)) {
        // [[name, value], …] pairs, as Headers serialise, or a flat [name, value, …] list, as Node's rawHeaders
        return value.map((entry, i) => Array.isArray(entry) &&
            typeof entry[0] === 'string' &&
            isSensitiveHeader(entry[0])
            ? [entry[0], REDACTED]
            : i % 2 === 1 &&
                typeof value[i - 1] === 'string' &&
                isSensitiveHeader(value[i - 1])
                ? REDACTED
                : redactValue(entry, depth));
    }
    const record = value;
    const nameMember = entryNameMember(record);
    if (nameMember !== undefined &&
        isSensitiveHeader(record[nameMember])) {
        // Every member but the name: `value`, `values`, and whatever else a format keeps beside them.
        return Object.fromEntries(Object.keys(record).map((member) => [
            member,
            member === nameMember ? record[member] : REDACTED
        ]));
    }
    const out = {};
    for (const [name, inner] of Object.entries(record)) {
        // In an entry, the naming member holds a header's name (`"key": "Content-Type"`), not a key.
        out[name] =
            name !== nameMember && isSensitiveHeader(name)
                ? REDACTED
                : redactValue(inner, depth);
    }
    return out;
}

// EXTERNAL MODULE: ./src/text/secrets.ts
var secrets = __nccwpck_require__(9690);
// EXTERNAL MODULE: ./src/inputs/units.ts
var units = __nccwpck_require__(4702);
;// CONCATENATED MODULE: ./src/cloudflare/log.ts
// The AI Gateway log detail: its 25 fields and their check at run time, as the API documents them
// (the LogDetail schema of Cloudflare's OpenAPI description of the AI Gateway logs endpoints).





const field = (name, type, required = false, nullable = false) => ({
    name,
    output: name.replace(/_/g, '-'),
    type,
    required,
    nullable
});
const amount = (spec) => ({ ...spec, nonNegative: true });
/** Every field of the log detail, in the order the outputs list them. */
const LOG_FIELDS = [
    field('id', 'string', true),
    field('created_at', 'string', true),
    field('provider', 'string', true),
    field('model', 'string', true),
    field('model_type', 'string'),
    field('path', 'string', true),
    field('success', 'boolean', true),
    field('cached', 'boolean', true),
    field('status_code', 'integer'),
    amount(field('duration', 'number', true)),
    amount(field('tokens_in', 'integer', true, true)),
    amount(field('tokens_out', 'integer', true, true)),
    amount(field('cost', 'number')),
    field('custom_cost', 'boolean'),
    amount(field('step', 'integer')),
    field('metadata', 'string'),
    field('request_type', 'string'),
    field('request_content_type', 'string'),
    amount(field('request_size', 'integer')),
    field('request_head', 'string'),
    field('request_head_complete', 'boolean'),
    field('response_content_type', 'string'),
    amount(field('response_size', 'integer')),
    field('response_head', 'string'),
    field('response_head_complete', 'boolean')
];
/**
 * The longest id, provider or model kept for a call of many, in UTF-16 units. The gateway's ids are 26
 * characters and model names a few dozen; a longer text (a hostile API could send 10 KB in each of
 * 10,000 rows) is cut here, and a digest of the whole keeps two long texts that differ apart (an id
 * tells calls apart, a provider and model group them).
 */
const MAX_SUMMARY_TEXT_CHARS = 256;
/**
 * `text` when it is short enough to keep, else its start and a digest of all of it:
 * `gpt-4o…[10000 characters, sha256 0a1b…]`. Scrubbed first, so a cut never leaves half a secret that
 * the scrub after it would miss; hashed as UTF-16, so that no two texts share a digest by encoding.
 */
function bounded(text, scrub) {
    if (text.length <= MAX_SUMMARY_TEXT_CHARS)
        return text;
    const clean = scrub(text);
    if (clean.length <= MAX_SUMMARY_TEXT_CHARS)
        return clean;
    const digest = (0,external_node_crypto_.createHash)('sha256')
        .update(clean, 'utf16le')
        .digest('hex')
        .slice(0, 32);
    return `${(0,text_escape/* prefix */.Pl)(clean, MAX_SUMMARY_TEXT_CHARS)}…[${clean.length} characters, sha256 ${digest}]`;
}
/**
 * A checked row (or log detail) cut down to what the gate keeps of a call of many (LogSummary). The
 * copies are new objects, so the answer the row came from, and its long strings, can be collected.
 * `runEntry` is the metadata to keep (the run's own entry, see runEntry in selection.ts); without it
 * none is kept. `scrub` removes the caller's secrets from a text before it is cut.
 */
function summarize(row, scrub = secrets/* NO_SECRETS */.g1, runEntry) {
    const summary = {
        id: bounded(row.id, scrub),
        created_at: row.created_at,
        provider: bounded(row.provider, scrub),
        model: bounded(row.model, scrub),
        success: row.success,
        cached: row.cached,
        duration: row.duration,
        tokens_in: row.tokens_in,
        tokens_out: row.tokens_out
    };
    if (row.status_code !== undefined)
        summary.status_code = row.status_code;
    if (row.cost !== undefined)
        summary.cost = row.cost;
    if (runEntry !== undefined)
        summary.metadata = runEntry;
    return summary;
}
/** The log detail was not what the API promises; the message names the field and what was wrong. */
class InvalidLogError extends Error {
    constructor(message) {
        super(message);
        this.name = 'InvalidLogError';
    }
}
/** The API's text in an error message: scrubbed before it is cut, then quoted on one line with invisible characters shown. */
function quoted(text, scrub, maxChars) {
    return (0,text_escape/* showInvisible */.jQ)(JSON.stringify((0,text_escape/* cut */.Jj)(scrub(text), maxChars)));
}
/** A wrong value described for an error message: scrubbed before it is cut, then quoted with invisible characters shown. */
function typeOf(value, scrub) {
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return 'an array';
    if (typeof value === 'string')
        return `a string ${quoted(value, scrub, 40)}`;
    return `${typeof value === 'object' ? 'an' : 'a'} ${typeof value}${typeof value === 'number' ? ` ${String(value)}` : ''}`;
}
/**
 * `created_at` as the schema gives it, `format: date-time`, which OpenAPI takes from RFC 3339 (section
 * 5.6): a date, `T`, a time with seconds, an optional fraction (here up to nanoseconds), and a zone, `Z`
 * or an offset `±hh:mm`; `T` and `Z` in either case.
 */
const DATE_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):(\d{2}))$/i;
function daysInMonth(year, month) {
    // Day 0 of the next month is the last day of this one; setUTCFullYear, unlike Date.UTC, leaves years 0-99 alone.
    const date = new Date(0);
    date.setUTCFullYear(year, month, 0);
    return date.getUTCDate();
}
/**
 * The milliseconds since 1970 of an RFC 3339 date-time with a zone (DATE_TIME_RE), or undefined for
 * anything else: another shape, a date that does not exist (month 13, 31 June, 29 February of a common
 * year), a time past 23:59:59 or an offset past 23:59. Read by hand, not by Date.parse: Date.parse reads
 * a time without a zone in the runner's own time zone, and takes shapes (`2026/11/25`, `Nov 25`) that
 * no one can check. A leap second (`:60`) is refused too: a Date cannot hold one.
 */
function dateTimeMs(text) {
    const m = DATE_TIME_RE.exec(text);
    if (!m)
        return undefined;
    const [year, month, day, hour, minute, second] = m
        .slice(1, 7)
        .map(Number);
    const [, , , , , , , fraction, sign, zoneHours, zoneMinutes] = m;
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
        return undefined;
    if (hour > 23 || minute > 59 || second > 59)
        return undefined;
    if (Number(zoneHours ?? 0) > 23 || Number(zoneMinutes ?? 0) > 59)
        return undefined;
    const offsetMin = sign === undefined
        ? 0
        : (sign === '-' ? -1 : 1) * (Number(zoneHours) * 60 + Number(zoneMinutes));
    const date = new Date(0);
    date.setUTCFullYear(year, month - 1, day);
    // Digits past milliseconds are dropped: a Date holds milliseconds.
    const ms = Number((fraction ?? '').slice(0, 3).padEnd(3, '0'));
    date.setUTCHours(hour, minute - offsetMin, second, ms);
    return date.getTime();
}
function hasType(value, type) {
    switch (type) {
        case 'string':
            return typeof value === 'string';
        case 'boolean':
            return typeof value === 'boolean';
        case 'number':
            return typeof value === 'number' && Number.isFinite(value);
        case 'integer':
            return typeof value === 'number' && Number.isSafeInteger(value);
    }
}
/** What is wrong with a field's value (present and not null), or undefined when it is one the gate can use. */
function valueProblem(spec, value, id, scrub) {
    if (!hasType(value, spec.type))
        return `${spec.name} is ${typeOf(value, scrub)}, expected ${spec.type === 'integer' ? 'an integer' : `a ${spec.type}`}`;
    if (spec.name === 'created_at' && dateTimeMs(value) === undefined) {
        // A call's time is what a window is measured by: one that cannot be read would leave the call out
        // of the window unnoticed, or read it in the runner's time zone.
        const whose = typeof id === 'string' ? `log ${quoted(id, scrub, 80)} has ` : '';
        return `${whose}created_at ${quoted(value, scrub, 80)}, which is not an ISO 8601 time with a zone (such as 2026-11-25T09:30:12Z)`;
    }
    if (spec.nonNegative && value < 0)
        return `${spec.name} is negative (${(0,units/* formatNumber */.ZV)(value)}), which no call can be`;
    return undefined;
}
/**
 * Checks the API's `result` against the LogDetail schema and returns only its known fields, with the
 * recorded headers redacted. Optional fields may be absent or null (both mean "not reported").
 * `metadata` is documented as a JSON string; an object is accepted and re-encoded, since it carries
 * the same information. `scrub` removes the caller's secrets from a wrong value before the message cuts it.
 */
function parseLogDetail(result, scrub = secrets/* NO_SECRETS */.g1) {
    if (typeof result !== 'object' || result === null || Array.isArray(result)) {
        throw new InvalidLogError(`the log detail ("result") is ${typeOf(result, scrub)}, not an object`);
    }
    const source = result;
    const log = {};
    const problems = [];
    for (const spec of LOG_FIELDS) {
        let value = source[spec.name];
        if (spec.name === 'metadata' &&
            typeof value === 'object' &&
            value !== null) {
            value = (0,text_escape/* jsonText */.s$)(value);
            if (value === undefined) {
                problems.push('metadata is an object nested too deeply to encode');
                continue;
            }
        }
        if (value === undefined || value === null) {
            if (spec.required && !(spec.nullable && value === null))
                problems.push(`${spec.name} is ${value === null ? 'null' : 'missing'}`);
            else if (value === null && spec.nullable)
                log[spec.name] = null;
            continue;
        }
        const problem = valueProblem(spec, value, source.id, scrub);
        if (problem)
            problems.push(problem);
        else
            log[spec.name] = value;
    }
    if (problems.length > 0)
        throw new InvalidLogError(`the log detail is not valid: ${problems.join('; ')}`);
    for (const head of ['request_head', 'response_head']) {
        if (typeof log[head] === 'string')
            log[head] = redactHeaders(log[head]);
    }
    // The path of the call can carry a key in its query: Google AI Studio's `?key=`.
    log.path = redactUrlCredentials(log.path);
    return log;
}


/***/ }),

/***/ 235:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   ND: () => (/* binding */ listQuery),
/* harmony export */   Vg: () => (/* binding */ MAX_PER_PAGE)
/* harmony export */ });
/* unused harmony exports runFilterValues, listFilters */
/* harmony import */ var _inputs_window_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3901);
// Pure: the query of the list endpoint that reads a run or a window.
//
// API facts behind the query (GET /accounts/{account}/ai-gateway/gateways/{gateway}/logs):
// - `filters` is honoured only as ONE query parameter holding a JSON array; the flattened form the
//   official SDKs send (`filters.key=…&filters.operator=…`, repeated) is silently ignored and every log
//   comes back (https://github.com/cloudflare/cloudflare-typescript/issues/2723).
// - custom metadata is filtered with a pair, `metadata.key eq K` and `metadata.value eq V`, matched
//   independently across the whole map, so the rows are checked again here (matchesRun).
// - `created_at` `gt`/`lt` compare at whole seconds, so the bounds sent are whole seconds a little
//   wider than the window, and the rows are checked against the exact window here (inWindow).
// - `per_page` is 1..50 (51 is a 400); `page` counts from 1; `order_by_direction` defaults to desc.

const MAX_PER_PAGE = 50;
/**
 * The values a run's `metadata.value` filter sends: the run id as text, and, when that text is a
 * number or a boolean as JSON writes it, that number or boolean too. The filter's `value` array
 * matches when any of its values does; a number sent as text might not match a metadata value stored
 * as a number, so both are asked for, and matchesRun keeps only the run's own rows.
 */
function runFilterValues(value) {
    if (value === 'true' || value === 'false')
        return [value, value === 'true'];
    const n = Number(value);
    return value.trim() !== '' &&
        Number.isFinite(n) &&
        JSON.stringify(n) === value
        ? [value, n]
        : [value];
}
/** An ISO 8601 time at whole seconds, as `created_at` filters compare. */
function isoWholeSeconds(ms) {
    return (0,_inputs_window_js__WEBPACK_IMPORTED_MODULE_0__/* .isoSeconds */ .nE)(Math.floor(ms / 1000) * 1000);
}
/**
 * The filters one list request sends: the run's metadata pair, the window's bounds, then the user's
 * own. The API compares created_at at whole seconds, so the bounds are whole seconds that take in
 * every call of the window (and a few around it, which inWindow drops): `gt` the second before the
 * one `since` falls in, `lt` the second at or after `until`.
 */
function listFilters(request) {
    const filters = [];
    if (request.run) {
        filters.push({
            key: 'metadata.key',
            operator: 'eq',
            value: [request.run.key]
        });
        filters.push({
            key: 'metadata.value',
            operator: 'eq',
            value: runFilterValues(request.run.value)
        });
    }
    const sinceMs = request.window?.sinceMs ?? null;
    const untilMs = request.window?.untilMs ?? null;
    if (sinceMs !== null)
        filters.push({
            key: 'created_at',
            operator: 'gt',
            value: [isoWholeSeconds(sinceMs - 1000)]
        });
    if (untilMs !== null)
        filters.push({
            key: 'created_at',
            operator: 'lt',
            value: [isoWholeSeconds(Math.ceil(untilMs / 1000) * 1000)]
        });
    filters.push(...(request.filters ?? []));
    return filters;
}
/**
 * The list request's query string (without `?`): `filters` as one parameter holding the URL-encoded
 * JSON array (never the flattened form), ascending by created_at so that pages stay stable while new
 * calls arrive at the end.
 */
function listQuery(request) {
    if (!Number.isSafeInteger(request.perPage) ||
        request.perPage < 1 ||
        request.perPage > MAX_PER_PAGE) {
        throw new RangeError(`per_page must be a whole number from 1 to ${MAX_PER_PAGE}, not ${request.perPage}`);
    }
    if (!Number.isSafeInteger(request.page) || request.page < 1) {
        throw new RangeError(`page must be a whole number from 1, not ${request.page}`);
    }
    const filters = listFilters(request);
    // encodeURIComponent rather than URLSearchParams: a space becomes %20, not `+`, which every server
    // reads the same way.
    const parts = filters.length > 0
        ? [`filters=${encodeURIComponent(JSON.stringify(filters))}`]
        : [];
    parts.push(`per_page=${request.perPage}`, `page=${request.page}`, 'order_by=created_at', 'order_by_direction=asc');
    return parts.join('&');
}


/***/ }),

/***/ 7077:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  j: () => (/* binding */ readEvent)
});

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: ./src/github/event.ts
// The event file the runner wrote (GITHUB_EVENT_PATH), read defensively: whoever triggered the run
// shapes much of it, and a file that is missing, not JSON or not an object is a problem to report,
// never a throw. Read here rather than through @actions/github's context, which parses it as it loads
// and throws on a malformed file.

function readEvent(path) {
    if (!path)
        return { problem: 'GITHUB_EVENT_PATH is not set' };
    let text;
    try {
        text = (0,external_node_fs_namespaceObject.readFileSync)(path, 'utf8');
    }
    catch {
        return { problem: 'the event file (GITHUB_EVENT_PATH) could not be read' };
    }
    let payload;
    try {
        payload = JSON.parse(text);
    }
    catch {
        return { problem: 'the event file (GITHUB_EVENT_PATH) is not JSON' };
    }
    if (typeof payload !== 'object' ||
        payload === null ||
        Array.isArray(payload)) {
        return {
            problem: 'the event file (GITHUB_EVENT_PATH) is not a JSON object'
        };
    }
    return { payload: payload };
}


/***/ }),

/***/ 1200:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   JO: () => (/* binding */ DISTRIBUTION_METRICS),
/* harmony export */   MB: () => (/* binding */ isAggregate),
/* harmony export */   Rj: () => (/* binding */ isDistribution),
/* harmony export */   T6: () => (/* binding */ SCALAR_METRICS),
/* harmony export */   Zo: () => (/* binding */ isOperator),
/* harmony export */   dq: () => (/* binding */ AGGREGATES),
/* harmony export */   jn: () => (/* binding */ isScalar),
/* harmony export */   p5: () => (/* binding */ UNIT),
/* harmony export */   we: () => (/* binding */ OPERATORS)
/* harmony export */ });
/** Metrics that are one number for the whole selection. */
const SCALAR_METRICS = [
    'count',
    'errors',
    'error-rate',
    'cached',
    'cache-rate'
];
/** Metrics that have a value per call, and so a distribution. */
const DISTRIBUTION_METRICS = [
    'cost',
    'duration',
    'tokens-in',
    'tokens-out',
    'tokens'
];
const AGGREGATES = [
    'sum',
    'avg',
    'min',
    'max',
    'p50',
    'p90',
    'p95',
    'p99'
];
const OPERATORS = ['<', '<=', '>', '>=', '=='];
const UNIT = {
    count: 'calls',
    errors: 'calls',
    cached: 'calls',
    'error-rate': 'fraction',
    'cache-rate': 'fraction',
    cost: 'USD',
    duration: 'ms',
    'tokens-in': 'tokens',
    'tokens-out': 'tokens',
    tokens: 'tokens'
};
const isScalar = (name) => SCALAR_METRICS.includes(name);
const isDistribution = (name) => DISTRIBUTION_METRICS.includes(name);
const isAggregate = (name) => AGGREGATES.includes(name);
const isOperator = (text) => OPERATORS.includes(text);


/***/ }),

/***/ 5279:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  U6: () => (/* binding */ THRESHOLDS_INPUT),
  S: () => (/* binding */ parseThresholds)
});

// UNUSED EXPORTS: parseThresholdLine

// EXTERNAL MODULE: ./src/text/escape.ts
var text_escape = __nccwpck_require__(7388);
// EXTERNAL MODULE: ./src/inputs/units.ts
var units = __nccwpck_require__(4702);
// EXTERNAL MODULE: ./src/inputs/threshold-terms.ts
var threshold_terms = __nccwpck_require__(1200);
;// CONCATENATED MODULE: ./src/inputs/threshold-limits.ts
// Pure: a threshold's limit as written after the operator: a value with the units its metric takes
// (the same amounts, durations and rates as the limit inputs), or `baseline` with an adjustment
// (`baseline + 10%`, `baseline - 500ms`, `baseline * 1.2`).



const DECIMAL = String.raw `(?:\d+(?:\.\d*)?|\.\d+)`;
const NUMBER_RE = new RegExp(String.raw `^(${DECIMAL})$`);
const PERCENT_RE = new RegExp(String.raw `^(${DECIMAL})\s*%$`);
/** A limit's value with the units this metric takes, or why it is not one. */
function parseLimitValue(metric, text) {
    const finite = (value) => Number.isFinite(value)
        ? { value }
        : { error: `value ${(0,text_escape/* quoted */.TL)(text)} is too large` };
    if (text === '')
        return { error: 'has no value' };
    switch (threshold_terms/* UNIT */.p5[metric]) {
        case 'USD': {
            // The same amounts max-cost takes.
            if (!(0,units/* isUsdAmount */.NB)(text))
                return {
                    error: `${metric} takes an amount in USD ($2.00, 2.00 or 2 USD), not ${(0,text_escape/* quoted */.TL)(text)}`
                };
            const usd = (0,units/* parseUsd */._e)(text);
            return usd === undefined
                ? { error: `value ${(0,text_escape/* quoted */.TL)(text)} is too large` }
                : { value: usd };
        }
        case 'ms':
            return durationLimitValue(metric, text);
        case 'tokens': {
            const m = NUMBER_RE.exec(text);
            return m
                ? finite(Number(m[1]))
                : { error: `${metric} takes a number of tokens, not ${(0,text_escape/* quoted */.TL)(text)}` };
        }
        case 'calls':
            return (0,units/* parseWhole */.z2)(text) !== undefined
                ? finite(Number(text))
                : {
                    error: `${metric} takes a whole number of calls, not ${(0,text_escape/* quoted */.TL)(text)}`
                };
        case 'fraction':
            return fractionLimitValue(metric, text);
    }
}
/** A duration limit: the same durations max-duration takes. */
function durationLimitValue(metric, text) {
    const parsed = (0,units/* parseDurationMs */.yi)(text);
    if ('ms' in parsed)
        return { value: parsed.ms };
    if (parsed.error.startsWith('has an unknown unit'))
        return { error: parsed.error };
    if (parsed.error === 'is too large')
        return { error: `value ${(0,text_escape/* quoted */.TL)(text)} is too large` };
    return {
        error: `${metric} takes a duration (8000, 8000ms, 8s, 1m), not ${(0,text_escape/* quoted */.TL)(text)}`
    };
}
/** A rate's limit: a percentage (`2%`) or a fraction from 0 to 1 (`0.02`). */
function fractionLimitValue(metric, text) {
    const percent = PERCENT_RE.exec(text);
    if (percent) {
        // `7e-2` rather than 7 / 100: the decimal is read once, so 7% is exactly the double nearest 0.07.
        const value = Number(`${percent[1]}e-2`);
        return value <= 1
            ? { value }
            : { error: `${metric} ${(0,text_escape/* quoted */.TL)(text)} is over 100%` };
    }
    const number = NUMBER_RE.exec(text);
    // A bare 2 is most likely 2%, but it could mean 200%: refuse rather than guess.
    if (number && Number(number[1]) <= 1)
        return { value: Number(number[1]) };
    return {
        error: `${metric} takes a percentage (2%) or a fraction from 0 to 1 (0.02), not ${(0,text_escape/* quoted */.TL)(text)}`
    };
}
const BASELINE_RE = /^baseline(?:\s*([-+*])\s*(.*))?$/i;
const FACTOR_RE = new RegExp(String.raw `^(${DECIMAL})$`);
/**
 * A limit as written after the operator: a value with the metric's units, or `baseline` with an
 * adjustment. After `+` or `-` a percentage is relative to the baseline (`baseline + 10%` is 1.10 times
 * it, also for a rate) and anything else is an amount in the metric's unit (`error-rate <= baseline +
 * 0.01`, `duration.p95 <= baseline + 500ms`); after `*` a positive factor.
 */
function parseLimit(metric, text) {
    const m = BASELINE_RE.exec(text);
    if (!m) {
        const parsed = parseLimitValue(metric, text);
        return 'error' in parsed
            ? parsed
            : { limit: { kind: 'value', value: parsed.value } };
    }
    const [, op, rawAmount] = m;
    if (op === undefined)
        return {
            limit: { kind: 'baseline', adjust: 'times', amount: 1, text: 'baseline' }
        };
    const amountText = rawAmount.trim();
    if (amountText === '')
        return {
            error: `has nothing after "baseline ${op}" (e.g. baseline + 10%, baseline * 1.2)`
        };
    return baselineAdjustment(metric, op, amountText);
}
/** `baseline * 1.2`, `baseline + 10%`, `baseline + 500ms`: the adjustment after `baseline`. */
function baselineAdjustment(metric, op, amountText) {
    const written = `baseline ${op} ${amountText}`;
    if (op === '*') {
        const factor = FACTOR_RE.exec(amountText) ? Number(amountText) : NaN;
        if (!(factor > 0) || !Number.isFinite(factor)) {
            return {
                error: `multiplies the baseline by a positive number (baseline * 1.2), not ${(0,text_escape/* quoted */.TL)(amountText)}`
            };
        }
        return {
            limit: {
                kind: 'baseline',
                adjust: 'times',
                amount: factor,
                text: written
            }
        };
    }
    const sign = op === '-' ? -1 : 1;
    const percent = PERCENT_RE.exec(amountText);
    if (percent) {
        const amount = Number(percent[1]);
        if (!Number.isFinite(amount))
            return { error: `value ${(0,text_escape/* quoted */.TL)(amountText)} is too large` };
        return {
            limit: {
                kind: 'baseline',
                adjust: 'percent',
                amount: sign * amount,
                text: written
            }
        };
    }
    const parsed = parseLimitValue(metric, amountText);
    if ('error' in parsed) {
        return {
            error: `${parsed.error} (after "baseline ${op}": an amount in the metric's unit, or a percentage of the baseline)`
        };
    }
    return {
        limit: {
            kind: 'baseline',
            adjust: 'add',
            amount: sign * parsed.value,
            text: written
        }
    };
}

;// CONCATENATED MODULE: ./src/inputs/thresholds.ts
// Pure: the `thresholds` input parsed into typed thresholds, a line at a time. The metric vocabulary
// is threshold-terms.ts; the limit after the operator, threshold-limits.ts.
//
// Grammar, one threshold per line:   [warn:] <metric>[.<aggregate>] <op> <value>
//   metric     count, errors, error-rate, cached, cache-rate (one number each: no aggregate), or
//              cost, duration, tokens-in, tokens-out, tokens (sum, avg, min, max, p50, p90, p95, p99);
//              a bare cost or tokens* means the sum, a bare duration the max (the slowest call).
//   op         < <= > >= ==
//   value      with the units the limit inputs take: cost $2.00 / 2.00 / 2 USD; duration 8000 / 8000ms
//              / 8s / 1m (bare = ms); tokens and counts bare numbers; rates 2% or a fraction 0.02.
//   warn:      reported, never fails the job (Lighthouse CI's warn level).
// Blank lines are skipped, and `#` starts a comment to the end of the line (no value contains `#`).
// Names are case-insensitive. Anything else is a problem quoting the line; all problems are returned.



const THRESHOLDS_INPUT = 'thresholds';
const DEFAULT_AGGREGATE = {
    cost: 'sum',
    duration: 'max',
    'tokens-in': 'sum',
    'tokens-out': 'sum',
    tokens: 'sum'
};
// `[warn:] name[.aggregate] op value`; the operator is taken greedily so that `=<` or `!=` are seen whole and refused.
const LINE_RE = /^(?:([a-z]+)\s*:\s*)?([a-z_][\w-]*)(?:\.([\w-]*))?\s*([<>=!≤≥]+)\s*(.*)$/i;
function list(names) {
    return names.join(', ');
}
/** Why a metric name is not known, with the likely intended one when it is only spelt differently. */
function unknownMetric(name) {
    const dashed = name.replace(/_/g, '-');
    const hint = (0,threshold_terms/* isScalar */.jn)(dashed) || (0,threshold_terms/* isDistribution */.Rj)(dashed)
        ? ` (did you mean ${dashed}?)`
        : '';
    return `has an unknown metric ${(0,text_escape/* quoted */.TL)(name)}${hint}: use ${list([...threshold_terms/* SCALAR_METRICS */.T6, ...threshold_terms/* DISTRIBUTION_METRICS */.JO])}`;
}
/** One line of `thresholds` (without its comment, not blank): a threshold, or why not. */
function parseThresholdLine(text, input = THRESHOLDS_INPUT) {
    const line = text.trim();
    const m = LINE_RE.exec(line);
    if (!m)
        return {
            error: 'is not <metric>[.<aggregate>] <op> <value> (e.g. cost <= $2.00, duration.p95 < 8s, warn: error-rate < 2%)'
        };
    const [, prefix, rawName, rawAggregate, operator, rawValue] = m;
    let level = 'error';
    if (prefix !== undefined) {
        if (prefix.toLowerCase() !== 'warn')
            return {
                error: `has an unknown level ${(0,text_escape/* quoted */.TL)(`${prefix}:`)} (use warn: or nothing)`
            };
        level = 'warn';
    }
    const name = rawName.toLowerCase();
    if (!(0,threshold_terms/* isOperator */.Zo)(operator))
        return {
            error: `has an unknown operator ${(0,text_escape/* quoted */.TL)(operator)} (use ${list(threshold_terms/* OPERATORS */.we)})`
        };
    const base = { operator, level, input, source: line };
    const value = rawValue.trim();
    if ((0,threshold_terms/* isScalar */.jn)(name)) {
        if (rawAggregate !== undefined)
            return {
                error: `${name} is one number and has no aggregate (${(0,text_escape/* quoted */.TL)(`.${rawAggregate}`)})`
            };
        const parsed = parseLimit(name, value);
        if ('error' in parsed)
            return parsed;
        return {
            threshold: { ...base, metric: name, aggregate: null, limit: parsed.limit }
        };
    }
    if ((0,threshold_terms/* isDistribution */.Rj)(name)) {
        const aggregate = rawAggregate === undefined
            ? DEFAULT_AGGREGATE[name]
            : rawAggregate.toLowerCase();
        if (!(0,threshold_terms/* isAggregate */.MB)(aggregate))
            return {
                error: `has an unknown aggregate ${(0,text_escape/* quoted */.TL)(rawAggregate ?? '')} (use ${list(threshold_terms/* AGGREGATES */.dq)})`
            };
        const parsed = parseLimit(name, value);
        if ('error' in parsed)
            return parsed;
        return {
            threshold: { ...base, metric: name, aggregate, limit: parsed.limit }
        };
    }
    return { error: unknownMetric(rawName) };
}
/**
 * The `thresholds` input: every threshold, and one problem per bad line (`thresholds line 2
 * "duration.p95 < 8x" has an unknown unit "x" (use ms, s or m)`), so that config can report them all.
 */
function parseThresholds(text) {
    const thresholds = [];
    const problems = [];
    text.split(/\r?\n/).forEach((raw, index) => {
        const hash = raw.indexOf('#');
        const line = (hash >= 0 ? raw.slice(0, hash) : raw).trim();
        if (line === '')
            return;
        const parsed = parseThresholdLine(line);
        if ('error' in parsed)
            problems.push(`${THRESHOLDS_INPUT} line ${index + 1} ${(0,text_escape/* quoted */.TL)(line)} ${parsed.error}`);
        else
            thresholds.push(parsed.threshold);
    });
    return { thresholds, problems };
}


/***/ }),

/***/ 4702:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Bh: () => (/* binding */ formatStatusPatterns),
/* harmony export */   Js: () => (/* binding */ parseSecondsMs),
/* harmony export */   NB: () => (/* binding */ isUsdAmount),
/* harmony export */   UK: () => (/* binding */ formatUsd),
/* harmony export */   W_: () => (/* binding */ statusMatches),
/* harmony export */   ZV: () => (/* binding */ formatNumber),
/* harmony export */   _e: () => (/* binding */ parseUsd),
/* harmony export */   a3: () => (/* binding */ formatDuration),
/* harmony export */   tY: () => (/* binding */ parseStatusPatterns),
/* harmony export */   yi: () => (/* binding */ parseDurationMs),
/* harmony export */   z2: () => (/* binding */ parseWhole)
/* harmony export */ });
/* unused harmony export WHOLE_RE */
// Numbers with units, as the inputs write them (`$0.05`, `2s`, `2xx`) and as the action writes them
// for people (`0.0000004`, never `4e-7`). Pure; one definition for every input that takes a unit.
const DECIMAL = String.raw `(?:\d+(?:\.\d*)?|\.\d+)`;
const USD_RE = new RegExp(String.raw `^\$?\s*(${DECIMAL})(?:\s*USD)?$`, 'i');
const DURATION_RE = new RegExp(String.raw `^(${DECIMAL})\s*([a-zA-Z]*)$`);
const DURATION_UNIT_MS = {
    '': 1,
    ms: 1,
    s: 1000,
    sec: 1000,
    m: 60_000,
    min: 60_000
};
const WHOLE_RE = /^\d+$/;
/** Whether the text is written as an amount in USD (`0.05`, `$0.05`, `0.05 USD`), however large. */
function isUsdAmount(value) {
    return USD_RE.test(value);
}
/** An amount in USD: `0.05`, `$0.05`, `0.05 USD`; undefined when it is not one (a negative amount is not). */
function parseUsd(value) {
    const m = USD_RE.exec(value);
    const usd = m ? Number(m[1]) : NaN;
    return Number.isFinite(usd) ? usd : undefined;
}
/** A duration in milliseconds: a bare number is ms; `ms`, `s` (`sec`) and `m` (`min`) are the units. */
function parseDurationMs(value) {
    const m = DURATION_RE.exec(value);
    if (!m)
        return {
            error: `${value.trim().startsWith('-') ? 'is negative' : 'is not a duration'} (e.g. 1500, 1500ms, 2s, 0.5s, 1m)`
        };
    const unit = m[2].toLowerCase();
    const factor = DURATION_UNIT_MS[unit];
    if (factor === undefined)
        return { error: `has an unknown unit "${m[2]}" (use ms, s or m)` };
    const ms = Number(m[1]) * factor;
    return Number.isFinite(ms) ? { ms } : { error: 'is too large' };
}
/** A time the action waits: seconds when bare (`30`), or with a unit like a duration (`45s`, `1m`, `500ms`). */
function parseSecondsMs(value) {
    return /^[\d.]+$/.test(value)
        ? parseDurationMs(`${value}s`)
        : parseDurationMs(value);
}
/** A whole number, or undefined (no sign, no decimals, no exponent; at most Number.MAX_SAFE_INTEGER). */
function parseWhole(value) {
    return WHOLE_RE.test(value) && Number.isSafeInteger(Number(value))
        ? Number(value)
        : undefined;
}
/** `expected-status`: codes 100-599 and classes 1xx-5xx, comma-separated; the error quotes the wrong entry. */
function parseStatusPatterns(value) {
    const patterns = [];
    for (const part of value.split(',').map((p) => p.trim())) {
        if (/^[1-5]xx$/i.test(part)) {
            patterns.push({ kind: 'class', hundreds: Number(part[0]) });
        }
        else if (/^\d{3}$/.test(part) &&
            Number(part) >= 100 &&
            Number(part) <= 599) {
            patterns.push({ kind: 'code', code: Number(part) });
        }
        else {
            const shown = part === ''
                ? 'an empty entry'
                : JSON.stringify(part.length > 80 ? `${part.slice(0, 80)}…` : part);
            return {
                error: `has ${shown}: use status codes 100-599 or classes 1xx-5xx, comma-separated`
            };
        }
    }
    return { patterns };
}
function formatStatusPatterns(patterns) {
    return patterns
        .map((p) => (p.kind === 'code' ? String(p.code) : `${p.hundreds}xx`))
        .join(', ');
}
function statusMatches(code, patterns) {
    return patterns.some((p) => p.kind === 'code' ? p.code === code : Math.floor(code / 100) === p.hundreds);
}
/** Below 1e-30, zeros written out would only be noise: such a number keeps its exponent, so the width stays bounded. */
const MAX_WRITTEN_OUT_EXPONENT = 30;
/**
 * Numbers as the API gave them, never rounded (a call often costs a fraction of a cent), and without
 * exponent notation where people read costs (4e-7 is 0.0000004). JavaScript's shortest round-trip
 * digits; a number too small to be a cost (1e-320) keeps its exponent, so the width stays bounded.
 */
function formatNumber(value) {
    const text = String(value);
    const m = /^(-?)(\d)(?:\.(\d+))?e-(\d+)$/.exec(text);
    if (!m || Number(m[4]) > MAX_WRITTEN_OUT_EXPONENT)
        return text;
    return `${m[1]}0.${'0'.repeat(Number(m[4]) - 1)}${m[2]}${m[3] ?? ''}`;
}
/**
 * An amount for people to read (the report; outputs keep the exact number): at most 4 significant
 * digits below 1 USD (`0.4007 USD`, `0.0001235 USD`), cents from 1 USD up (`12.35 USD`).
 */
function formatUsd(value) {
    // NaN and ±Infinity go through as they are; -0 is written "0" by formatNumber.
    const rounded = Number(value.toPrecision(4));
    // 0.99996 rounds to 1.000: from there on, cents.
    const text = Math.abs(rounded) >= 1 ? value.toFixed(2) : formatNumber(rounded);
    return `${text} USD`;
}
/**
 * A duration for people to read: `850 ms` below a second, `3.8 s` (one decimal, `8 s` when it is
 * whole) below 100 s, whole seconds from there (`125 s`).
 */
function formatDuration(ms) {
    if (!Number.isFinite(ms))
        return `${formatNumber(ms)} ms`;
    const abs = Math.abs(ms);
    const sign = ms < 0 ? '-' : '';
    // Under 1 ms (a stand-in, a cache hit): two significant digits, so it does not read as 0.
    if (abs < 1)
        return `${sign}${formatNumber(Number(abs.toPrecision(2)))} ms`;
    if (Math.round(abs) < 1000)
        return `${sign}${Math.round(abs)} ms`;
    const seconds = abs / 1000;
    const text = Math.round(seconds * 10) < 1000
        ? String(Number(seconds.toFixed(1)))
        : String(Math.round(seconds));
    return `${sign}${text} s`;
}


/***/ }),

/***/ 3901:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Et: () => (/* binding */ parseWindow),
/* harmony export */   nE: () => (/* binding */ isoSeconds)
/* harmony export */ });
/* unused harmony export parseTime */
/* harmony import */ var _text_escape_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(7388);
// Pure: a time window's inputs (`since`, `until`) read into milliseconds: a span back from now (30m,
// 24h, 7d) or an ISO 8601 date or date-time with a zone (a time without one would be read in the
// runner's time zone, which is no one's intent).

/** Input names, as action.yml spells them (quoted in problems). */
const SINCE = 'since';
const UNTIL = 'until';
const RELATIVE_RE = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/i;
const RELATIVE_UNIT_MS = {
    s: 1000,
    m: 60_000,
    h: 3_600_000,
    d: 86_400_000
};
// A calendar date, or a date and time with seconds optional and a zone required (a time without a zone
// would mean the runner's local time, which nobody reading the workflow can see).
const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const TIME_HELP = 'use 30m, 24h, 7d (back from now) or an ISO 8601 time such as 2026-11-25T09:30:00Z';
function daysInMonth(year, month) {
    // Day 0 of the next month is the last day of this one.
    return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
function parseIso(m) {
    const [, y, mo, d, h, mi, s, fraction, zone] = m;
    const year = Number(y);
    const month = Number(mo);
    const day = Number(d);
    if (h !== undefined && zone === undefined)
        return {
            error: `has no time zone: add Z (UTC) or an offset such as +02:00`
        };
    if (year < 1970 ||
        month < 1 ||
        month > 12 ||
        day < 1 ||
        day > daysInMonth(year, month))
        return { error: `is not a date: ${TIME_HELP}` };
    const hour = Number(h ?? 0);
    const minute = Number(mi ?? 0);
    const second = Number(s ?? 0);
    if (hour > 23 || minute > 59 || second > 59)
        return { error: `is not a time of day: ${TIME_HELP}` };
    let offsetMin = 0;
    if (zone !== undefined && zone.toUpperCase() !== 'Z') {
        const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
        const zoneHours = Number(z[2]);
        const zoneMinutes = Number(z[3] ?? 0);
        if (zoneHours > 23 || zoneMinutes > 59)
            return { error: `has an offset that is not one: ${TIME_HELP}` };
        offsetMin = (z[1] === '-' ? -1 : 1) * (zoneHours * 60 + zoneMinutes);
    }
    // Digits past milliseconds are dropped: the API keeps milliseconds at most.
    const ms = Number((fraction ?? '').slice(0, 3).padEnd(3, '0'));
    return {
        ms: Date.UTC(year, month - 1, day, hour, minute, second, ms) -
            offsetMin * 60_000
    };
}
/** A point in time for `since` or `until`: a span back from `nowMs` (`30m`, `24h`, `7d`) or an ISO 8601 time. */
function parseTime(value, nowMs) {
    const text = value.trim();
    const relative = RELATIVE_RE.exec(text);
    if (relative) {
        const ms = nowMs -
            Number(relative[1]) * RELATIVE_UNIT_MS[relative[2].toLowerCase()];
        return Number.isFinite(ms) && ms >= 0
            ? { ms: Math.round(ms) }
            : { error: 'reaches back before 1970' };
    }
    const iso = ISO_RE.exec(text);
    if (iso)
        return parseIso(iso);
    return { error: `is not a time: ${TIME_HELP}` };
}
/**
 * `since` and `until` ('' when unset). The window holds calls with since <= created_at < until, so
 * that back-to-back windows never count a call twice. `since` must be before `until` (or now).
 * Returns no window when neither is set; which modes a window may go with is the config's concern.
 */
function parseWindow(since, until, nowMs) {
    const problems = [];
    const read = (name, value) => {
        if (value.trim() === '')
            return null;
        const parsed = parseTime(value, nowMs);
        if ('error' in parsed) {
            problems.push(`${name} ${(0,_text_escape_js__WEBPACK_IMPORTED_MODULE_0__/* .quoted */ .TL)(value.trim())} ${parsed.error}`);
            return null;
        }
        return parsed.ms;
    };
    const sinceMs = read(SINCE, since);
    const untilMs = read(UNTIL, until);
    if (problems.length > 0)
        return { window: null, problems };
    if (sinceMs === null && untilMs === null)
        return { window: null, problems };
    const end = untilMs ?? nowMs;
    if (sinceMs !== null && sinceMs >= end) {
        const untilShown = untilMs === null
            ? 'now'
            : `${UNTIL} ${(0,_text_escape_js__WEBPACK_IMPORTED_MODULE_0__/* .quoted */ .TL)(until.trim())} (${isoSeconds(end)})`;
        problems.push(`${SINCE} ${(0,_text_escape_js__WEBPACK_IMPORTED_MODULE_0__/* .quoted */ .TL)(since.trim())} (${isoSeconds(sinceMs)}) is not before ${untilShown}`);
        return { window: null, problems };
    }
    return { window: { sinceMs, untilMs }, problems };
}
function isoSeconds(ms) {
    return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}


/***/ }),

/***/ 9663:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Oc: () => (/* binding */ AnswerTooLargeError),
/* harmony export */   fv: () => (/* binding */ openStream),
/* harmony export */   w$: () => (/* binding */ sendRequest)
/* harmony export */ });
/* unused harmony exports MAX_BODY_BYTES, proxyAgent */
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(7067);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_http__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _text_escape_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(7388);
// The transport: one GET (or one POST of a JSON body, for GraphQL) over node:http(s), and nothing else. Plain node:http rather than fetch:
// undici's first use costs about 90 ms of start-up, and a gate usually makes one request.


/**
 * A log detail is a few KiB, a page of the list a few tens: their fields are numbers, ids, a metadata
 * string of at most 5 entries and (in a detail) the heads of the recorded call. A body past this is not
 * an answer from the logs API, and reading more would let one answer take the runner's memory: parsed,
 * redacted and scrubbed, a body costs up to ~90 times its size (a head that is a list of empty
 * objects). Measured on Node 24 with the worst heads found (the stand-in's big-answer scenarios), the
 * whole action peaks at about 100 MiB with 512 KiB, under the 150 MiB it may take; 1 MiB reached 154 MiB.
 */
const MAX_BODY_BYTES = 512 * 1024;
/**
 * An answer over MAX_BODY_BYTES: the same answer would come again, so it is not retried. The transport
 * does not know what the answer was meant to be (a log detail, a page of the list, GitHub's list of
 * runs): `size` is the part of the message that holds here, and each caller says what it asked for.
 */
class AnswerTooLargeError extends Error {
    /** `more than 524288 bytes (Content-Length 600000)`. */
    size;
    constructor(detail, maxBodyBytes = MAX_BODY_BYTES) {
        const size = `more than ${maxBodyBytes} bytes${detail}`;
        super(`the answer was ${size}; not read`);
        this.name = 'AnswerTooLargeError';
        this.size = size;
    }
}
/**
 * The client module for a URL's protocol. node:https (and node:tls under it) is loaded only for an
 * https URL: a few milliseconds of start-up that a gate against an http address (the stand-in, a
 * local proxy) does not need to pay; `npm run bench` compares the action with a bare node:http GET.
 */
function clientFor(protocol) {
    return protocol === 'https:' ? process.getBuiltinModule('node:https') : node_http__WEBPACK_IMPORTED_MODULE_0__;
}
/**
 * Self-hosted runners behind a proxy set HTTPS_PROXY / HTTP_PROXY / NO_PROXY. Node 24.5 and later
 * honour them for an agent built with `proxyEnv`; without those variables the default agent is used.
 */
function proxyAgent(protocol, env) {
    if (!['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some((name) => env[name]))
        return undefined;
    return new (clientFor(protocol).Agent)({ proxyEnv: env });
}
/**
 * One GET (or, with `post`, one POST of a JSON body), bounded by `timeoutMs` from start to the last
 * byte. It settles once, whatever the server does: a request that ends without a whole answer (a connection closed early, a `101 Switching
 * Protocols` that hands the connection to another protocol, an answer cut short) is an error, retried
 * like a dropped connection. Without the 'upgrade' listener, Node's client emits neither 'response'
 * nor 'error' for a 101, and the process would end with nothing pending and the step unfinished; for
 * the same reason the timer settles the request itself, so that whatever path Node's client takes, the
 * request ends by `timeoutMs`. The first outcome wins: a promise ignores every later resolve or reject.
 */
function sendRequest(url, headers, timeoutMs, post) {
    const maxBodyBytes = post?.maxBodyBytes ?? MAX_BODY_BYTES;
    return new Promise((resolve, reject) => {
        const target = new URL(url);
        const client = clientFor(target.protocol);
        let answered = false;
        const req = client.request(target, {
            method: post ? 'POST' : 'GET',
            headers: post ? postHeaders(headers, post.body) : headers,
            agent: proxyAgent(target.protocol, process.env) // undefined: Node's global agent
        });
        const timer = setTimeout(() => {
            fail(new Error(`timed out after ${timeoutMs / 1000} s (request-timeout)`));
        }, timeoutMs);
        const fail = (error) => {
            clearTimeout(timer);
            req.destroy(); // closes the socket too, the one a 101 hands over included
            reject(error);
        };
        // Node calls a connection closed before the answer "socket hang up" and one cut short "aborted"
        // (both ECONNRESET, as is a reset): say which, and keep Node's error as the cause for its code.
        const onError = (error) => {
            if (error.code !== 'ECONNRESET')
                return fail(error);
            const closed = answered
                ? 'the connection closed before the whole answer arrived'
                : 'the connection closed without an answer';
            fail(new Error(closed, { cause: error }));
        };
        req.on('error', onError);
        // Node emits 'upgrade' only for an answer with an Upgrade header (and Connection: upgrade).
        req.on('upgrade', (res) => {
            const protocol = (0,_text_escape_js__WEBPACK_IMPORTED_MODULE_1__/* .inline */ .mG)(String(res.headers.upgrade), 40);
            fail(new Error(`the API answered HTTP 101 (switching protocols to "${protocol}") instead of an answer`));
        });
        req.on('response', (res) => {
            answered = true;
            const refused = refusal(res, maxBodyBytes);
            if (refused)
                return fail(refused);
            readBody(res, maxBodyBytes, {
                fail,
                onError,
                onBody: (body) => {
                    clearTimeout(timer);
                    resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
                }
            });
        });
        req.end(post?.body);
    });
}
function postHeaders(headers, body) {
    return {
        ...headers,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body))
    };
}
/** Why an answer is not one to read: a final 1xx (its connection is gone), or a declared size too large. */
function refusal(res, maxBodyBytes) {
    // A final 1xx (a 101 without an Upgrade header) is not an answer either.
    if ((res.statusCode ?? 0) < 200)
        return new Error(`the API answered HTTP ${res.statusCode ?? 0} instead of an answer`);
    const declaredBytes = Number(res.headers['content-length']);
    if (declaredBytes > maxBodyBytes)
        return new AnswerTooLargeError(` (Content-Length ${declaredBytes})`, maxBodyBytes);
    return undefined;
}
/** The answer's body as text, read up to `maxBodyBytes` (one byte more fails the request). */
function readBody(res, maxBodyBytes, on) {
    let chunks = [];
    let bytes = 0;
    res.on('data', (chunk) => {
        bytes += chunk.length;
        if (bytes > maxBodyBytes)
            on.fail(new AnswerTooLargeError('', maxBodyBytes));
        else
            chunks.push(chunk);
    });
    // Node destroys an answer cut short with an error ("aborted"), and emits it only to a listener.
    res.on('error', on.onError);
    res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        chunks = []; // the bytes are not kept twice while the answer is parsed
        on.onBody(body);
    });
}
/**
 * One GET whose answer is handed over as soon as its head arrives, its body read by the caller as a
 * stream: for answers too large to hold (a page of a pull request's comments can be 26 MB) that are
 * needed only a piece at a time. Bounded by `signal` from start to the last byte (the request is
 * aborted, and the body fails, when it fires). Proxies are honoured; redirects are not followed.
 * An answer that is not an answer (a final 1xx, a protocol switch) is an error, as in sendRequest.
 */
function openStream(url, headers, signal) {
    return new Promise((resolve, reject) => {
        const target = new URL(url);
        const client = clientFor(target.protocol);
        const req = client.request(target, {
            method: 'GET',
            headers,
            signal,
            agent: proxyAgent(target.protocol, process.env)
        });
        const fail = (error) => {
            req.destroy();
            reject(error);
        };
        req.on('error', reject); // an abort, a refused connection, a reset: the first outcome wins
        req.on('upgrade', (res) => {
            const protocol = (0,_text_escape_js__WEBPACK_IMPORTED_MODULE_1__/* .inline */ .mG)(String(res.headers.upgrade), 40);
            fail(new Error(`the server answered HTTP 101 (switching protocols to "${protocol}") instead of an answer`));
        });
        req.on('response', (res) => {
            if ((res.statusCode ?? 0) < 200) {
                fail(new Error(`the server answered HTTP ${res.statusCode ?? 0} instead of an answer`));
                return;
            }
            resolve({
                status: res.statusCode ?? 0,
                headers: res.headers,
                body: res,
                discard: () => req.destroy()
            });
        });
        req.end();
    });
}


/***/ }),

/***/ 5227:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   PZ: () => (/* binding */ aggregateValue),
/* harmony export */   Um: () => (/* binding */ scalarValue),
/* harmony export */   Yr: () => (/* binding */ aggregateCall),
/* harmony export */   am: () => (/* binding */ nonFiniteSumsText),
/* harmony export */   dZ: () => (/* binding */ exactSum),
/* harmony export */   j7: () => (/* binding */ exactQuotient),
/* harmony export */   p3: () => (/* binding */ nearestRank),
/* harmony export */   pH: () => (/* binding */ computeMetrics),
/* harmony export */   uE: () => (/* binding */ exactWeightedSum),
/* harmony export */   us: () => (/* binding */ metricsJson),
/* harmony export */   vS: () => (/* binding */ nonFiniteSums)
/* harmony export */ });
/* unused harmony exports TOP_CALLS, callValue, exactMean, distribution */
/* harmony import */ var _inputs_threshold_terms_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(1200);

const PERCENTILES = {
    p50: 50,
    p90: 90,
    p95: 95,
    p99: 99
};
/** Calls counted by status code, in the order each code first appears. */
function statusCounts(logs) {
    const byCode = new Map();
    logs.forEach((log, index) => {
        const code = log.status_code ?? null;
        const known = byCode.get(code);
        if (known)
            known.calls++;
        else
            byCode.set(code, { code, calls: 1, first: { id: log.id, index } });
    });
    return [...byCode.values()];
}
const TOP_CALLS = 5;
/** A finite number, or null: anything else the API might send counts as "not reported". */
function known(value) {
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
/** The value each call has for a metric (null when the call did not report it). */
function callValue(log, metric) {
    switch (metric) {
        case 'cost':
            return known(log.cost);
        case 'duration':
            return known(log.duration);
        case 'tokens-in':
            return known(log.tokens_in);
        case 'tokens-out':
            return known(log.tokens_out);
        case 'tokens': {
            const tokensIn = known(log.tokens_in);
            const tokensOut = known(log.tokens_out);
            return tokensIn === null || tokensOut === null
                ? null
                : tokensIn + tokensOut;
        }
    }
}
function toDecimal(value) {
    const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value));
    if (!m)
        throw new RangeError(`not a finite number: ${value}`);
    const fraction = m[3] ?? '';
    return {
        digits: BigInt(`${m[1]}${m[2]}${fraction}`),
        scale: fraction.length - Number(m[4] ?? 0)
    };
}
function decimalText({ digits, scale }) {
    const negative = digits < 0n;
    const text = (negative ? -digits : digits).toString().padStart(scale + 1, '0');
    const whole = text.slice(0, text.length - scale);
    const fraction = text.slice(text.length - scale);
    return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}
const POWERS_OF_TEN = [];
function tenToThe(exponent) {
    return (POWERS_OF_TEN[exponent] ??= 10n ** BigInt(exponent));
}
/** The sum when every value and every partial sum is a safe integer (durations, tokens): then doubles add exactly. */
function wholeNumberSum(values) {
    let sum = 0;
    for (const value of values) {
        sum += value;
        if (!Number.isSafeInteger(value) || !Number.isSafeInteger(sum))
            return null;
    }
    return sum;
}
function decimalSum(values) {
    const whole = wholeNumberSum(values);
    if (whole !== null)
        return { digits: BigInt(whole), scale: 0 };
    const decimals = values.map(toDecimal);
    // From 0, not from the first term: a term with a negative scale (1e+21) is scaled up to whole digits here.
    let scale = 0;
    for (const d of decimals)
        scale = Math.max(scale, d.scale);
    let digits = 0n;
    for (const d of decimals)
        digits += d.digits * tenToThe(scale - d.scale);
    return { digits, scale };
}
/** The exact decimal sum of the values, rounded once to the nearest double. */
function exactSum(values) {
    return Number(decimalText(decimalSum(values)));
}
// Digits kept beyond the sum's own scale when dividing for the mean: far more than a double holds.
const MEAN_EXTRA_DIGITS = 24;
function decimalMean(sum, count) {
    const n = BigInt(count);
    const scaled = sum.digits * tenToThe(MEAN_EXTRA_DIGITS);
    // Round half away from zero at the last kept digit; the double rounding that follows is far below a double's precision.
    const half = scaled < 0n ? -n / 2n : n / 2n;
    return Number(decimalText({
        digits: (scaled + half) / n,
        scale: sum.scale + MEAN_EXTRA_DIGITS
    }));
}
/**
 * A histogram's exact sum and mean: each value counted `weight` times (an analytics group's value and
 * its count), added in decimal as exactSum adds, so it equals the sum over the calls one by one.
 */
function exactWeightedSum(terms) {
    let calls = 0;
    for (const { weight } of terms)
        calls += weight;
    if (calls === 0)
        return { sum: null, avg: null };
    const decimals = terms.map(({ value, weight }) => {
        const d = toDecimal(value);
        return { digits: d.digits * BigInt(weight), scale: d.scale };
    });
    let scale = 0;
    for (const d of decimals)
        scale = Math.max(scale, d.scale);
    let digits = 0n;
    for (const d of decimals)
        digits += d.digits * tenToThe(scale - d.scale);
    const sum = { digits, scale };
    return { sum: Number(decimalText(sum)), avg: decimalMean(sum, calls) };
}
/** A sum already added (a total an API reported) divided by a count as exactMean divides; null for no calls. */
function exactQuotient(sum, count) {
    return count === 0 ? null : decimalMean(toDecimal(sum), count);
}
/** The exact sum divided by the count, rounded to the nearest double (0.3 / 3 is 0.1, not 0.09999999999999999). */
function exactMean(values) {
    return values.length === 0
        ? null
        : decimalMean(decimalSum(values), values.length);
}
/**
 * The 1-based nearest rank of percentile p among n values: ceil(p/100 × n), computed as p × n / 100 so
 * that a binary fraction cannot push it up a rank (0.07 × 100 is 7.000000000000001 in doubles).
 */
function nearestRank(p, n) {
    return Math.max(1, Math.ceil((p * n) / 100));
}
/**
 * Calls in a fixed order: ascending by value, then by created_at, then by id. Ties then always
 * resolve to the same call, whatever order the API returned the rows in.
 */
function ascending(points) {
    return [...points]
        .sort((a, b) => a.value - b.value ||
        compareText(a.createdAt, b.createdAt) ||
        compareText(a.id, b.id))
        .map(({ value, id }) => ({ value, id }));
}
function compareText(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
const EMPTY = {
    sum: null,
    avg: null,
    min: null,
    max: null,
    p50: null,
    p90: null,
    p95: null,
    p99: null
};
function distribution(logs, metric) {
    const points = [];
    let missing = 0;
    for (const log of logs) {
        const value = callValue(log, metric);
        if (value === null)
            missing++;
        else
            points.push({ value, id: log.id, createdAt: log.created_at });
    }
    if (missing > 0 || points.length === 0)
        return { missing, ...EMPTY };
    const sorted = ascending(points);
    const at = (p) => sorted[nearestRank(p, sorted.length) - 1];
    const sum = decimalSum(sorted.map((p) => p.value));
    return {
        missing,
        sum: Number(decimalText(sum)),
        avg: decimalMean(sum, sorted.length),
        min: sorted[0],
        max: sorted[sorted.length - 1],
        p50: at(PERCENTILES.p50),
        p90: at(PERCENTILES.p90),
        p95: at(PERCENTILES.p95),
        p99: at(PERCENTILES.p99)
    };
}
/** One aggregate of a distribution as a number (null when unknown). */
function aggregateValue(d, aggregate) {
    const value = d[aggregate];
    return value === null ? null : typeof value === 'number' ? value : value.value;
}
/** The call that set an aggregate, when it is one call's value (min, max, a percentile). */
function aggregateCall(d, aggregate) {
    const value = d[aggregate];
    return value !== null && typeof value === 'object' ? value.id : null;
}
function scalarValue(metrics, metric) {
    switch (metric) {
        case 'count':
            return metrics.count;
        case 'errors':
            return metrics.errors;
        case 'error-rate':
            return metrics.errorRate;
        case 'cached':
            return metrics.cached;
        case 'cache-rate':
            return metrics.cacheRate;
    }
}
function callRef(log) {
    return {
        id: log.id,
        createdAt: log.created_at,
        provider: log.provider,
        model: log.model,
        success: log.success,
        costUsd: known(log.cost),
        durationMs: known(log.duration)
    };
}
/** The `limit` calls with the highest value of a metric, highest first; ties go to the earlier call. */
function top(logs, metric, limit) {
    return logs
        .map((log) => ({ log, value: callValue(log, metric) }))
        .filter((entry) => entry.value !== null)
        .sort((a, b) => b.value - a.value ||
        compareText(a.log.created_at, b.log.created_at) ||
        compareText(a.log.id, b.log.id))
        .slice(0, limit)
        .map((entry) => callRef(entry.log));
}
/** The exact sum of a metric over the calls, or null when a call lacks it (as in a distribution, without sorting). */
function total(logs, metric) {
    const values = [];
    for (const log of logs) {
        const value = callValue(log, metric);
        if (value === null)
            return null;
        values.push(value);
    }
    return values.length === 0 ? null : exactSum(values);
}
function modelMetrics(logs) {
    const groups = new Map();
    for (const log of logs) {
        const key = JSON.stringify([log.provider, log.model]);
        const group = groups.get(key);
        if (group)
            group.push(log);
        else
            groups.set(key, [log]);
    }
    const models = [...groups.values()].map((group) => ({
        provider: group[0].provider,
        model: group[0].model,
        calls: group.length,
        errors: group.filter((log) => log.success !== true).length,
        costUsd: total(group, 'cost'),
        tokensIn: total(group, 'tokens-in'),
        tokensOut: total(group, 'tokens-out'),
        p95DurationMs: distribution(group, 'duration').p95
    }));
    // Where the money went first; models whose cost is unknown after the ones with a cost.
    return models.sort((a, b) => (b.costUsd ?? -Infinity) - (a.costUsd ?? -Infinity) ||
        b.calls - a.calls ||
        compareText(a.provider, b.provider) ||
        compareText(a.model, b.model));
}
function computeMetrics(logs) {
    const count = logs.length;
    // A call that is not recorded as a success is an error: `success` is required, and anything but `true` is not one.
    const errors = logs.filter((log) => log.success !== true).length;
    const cached = logs.filter((log) => log.cached === true).length;
    const distributions = Object.fromEntries(_inputs_threshold_terms_js__WEBPACK_IMPORTED_MODULE_0__/* .DISTRIBUTION_METRICS */ .JO.map((metric) => [metric, distribution(logs, metric)]));
    return {
        count,
        errors,
        cached,
        errorRate: count === 0 ? null : errors / count,
        cacheRate: count === 0 ? null : cached / count,
        distributions,
        models: modelMetrics(logs),
        costliest: top(logs, 'cost', TOP_CALLS),
        slowest: top(logs, 'duration', TOP_CALLS),
        statusCodes: statusCounts(logs)
    };
}
/**
 * The metrics whose sum is not a finite number: each value is finite, but their exact sum is past the
 * largest double (about 1.8e308), so it rounds to Infinity. No real bill or token count comes near it,
 * so such an answer is not valid; measured anyway, `total-cost` would say Infinity while `metrics`
 * (JSON, which has no Infinity) said null, and a threshold would compare with Infinity.
 */
function nonFiniteSums(metrics) {
    return _inputs_threshold_terms_js__WEBPACK_IMPORTED_MODULE_0__/* .DISTRIBUTION_METRICS */ .JO.filter((metric) => {
        const sum = metrics.distributions[metric].sum;
        return sum !== null && !Number.isFinite(sum);
    });
}
/** One line for an outcome or a missing baseline: `the sum of cost over 2 calls is not a finite number (past 1.8e308)`. */
function nonFiniteSumsText(metrics, overflowing) {
    const calls = `${metrics.count} call${metrics.count === 1 ? '' : 's'}`;
    return `the sum of ${overflowing.join(' and of ')} over ${calls} is not a finite number (past 1.8e308, the largest a number holds)`;
}
/**
 * The `metrics` output: `{"count", "errors", "error-rate", "cached", "cache-rate", "cost": {"sum",
 * "avg", "min", "max", "p50", "p90", "p95", "p99"}, "duration": {…}, "tokens-in": {…},
 * "tokens-out": {…}, "tokens": {…}}`, numbers as computed (no rounding), null where unknown.
 */
function metricsJson(metrics) {
    const out = {
        count: metrics.count,
        errors: metrics.errors,
        'error-rate': metrics.errorRate,
        cached: metrics.cached,
        'cache-rate': metrics.cacheRate
    };
    for (const metric of _inputs_threshold_terms_js__WEBPACK_IMPORTED_MODULE_0__/* .DISTRIBUTION_METRICS */ .JO) {
        const d = metrics.distributions[metric];
        out[metric] = Object.fromEntries(_inputs_threshold_terms_js__WEBPACK_IMPORTED_MODULE_0__/* .AGGREGATES */ .dq.map((aggregate) => [aggregate, aggregateValue(d, aggregate)]));
    }
    return JSON.stringify(out);
}


/***/ }),

/***/ 7388:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Jj: () => (/* binding */ cut),
/* harmony export */   Pl: () => (/* binding */ prefix),
/* harmony export */   TL: () => (/* binding */ quoted),
/* harmony export */   jQ: () => (/* binding */ showInvisible),
/* harmony export */   mG: () => (/* binding */ inline),
/* harmony export */   s$: () => (/* binding */ jsonText)
/* harmony export */ });
// Untrusted text (anything that came from Cloudflare's or GitHub's API, or from a log field) made
// inert for the place it is written. The step's log is read by the runner line by line, and a line
// that starts with `::` is a workflow command (`::stop-commands::`, `::add-mask::`...): text from
// outside must never be able to start a line there. Anywhere it is shown, characters that change how
// text displays without being seen are written as visible escapes, and no cut splits a character.
/**
 * Characters that change how text displays without being seen: C1 controls, the soft hyphen, bidirectional
 * controls (U+061C, U+200E-U+200F, U+202A-U+202E, U+2066-U+2069), zero-width and other invisible format
 * characters, and the tag characters (U+E0000-U+E007F) that spell hidden ASCII. Lone surrogates too: they
 * are not characters, and a file written as UTF-8 turns each into U+FFFD.
 */
const INVISIBLE_RE = /[\u0080-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\u{e0000}-\u{e007f}]|\p{Cs}/gu;
/** `\u202e` for a BMP character, `\u{e0041}` beyond it: the way JavaScript and JSON write them. */
function escapeCodePoint(c) {
    const code = c.codePointAt(0);
    // Stryker disable next-line EqualityOperator: equivalent, U+FFFF is not in INVISIBLE_RE, so > and >= escape alike
    return code > 0xffff
        ? `\\u{${code.toString(16)}}`
        : `\\u${code.toString(16).padStart(4, '0')}`;
}
/** Invisible characters (INVISIBLE_RE) written as visible escapes; everything else as it is. */
function showInvisible(text) {
    return text.replace(INVISIBLE_RE, escapeCodePoint);
}
/**
 * Untrusted text as part of one line of the step's log: cut to `maxChars` (never inside a surrogate
 * pair, and before escaping, so that no escape is cut in half), then control characters (newlines
 * included) and invisible characters written as visible escapes (`\n`, `\u202e`), so the text stays on
 * the line it was put in and shows what it holds.
 */
function inline(text, maxChars = 300) {
    const escaped = JSON.stringify(cut(text, maxChars))
        .slice(1, -1)
        .replace(/\\"/g, '"')
        .replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
    return showInvisible(escaped);
}
/** Outside or user text in a message: quoted, on one line, invisible characters shown, cut short. */
function quoted(text, maxChars = 80) {
    return `"${inline(text, maxChars)}"`;
}
/** The longest start of `text` of at most `maxChars` UTF-16 units that does not end inside a surrogate pair. */
function prefix(text, maxChars) {
    if (text.length <= maxChars)
        return text;
    let end = Math.max(0, maxChars);
    const code = text.charCodeAt(end - 1);
    if (code >= 0xd800 && code <= 0xdbff)
        end--; // a high surrogate whose pair would be cut off
    return text.slice(0, end);
}
/** `text` shortened to at most `maxChars` UTF-16 units plus an ellipsis, never splitting a surrogate pair. */
function cut(text, maxChars) {
    return text.length <= maxChars ? text : `${prefix(text, maxChars)}…`;
}
/**
 * A JSON value as JSON text, or undefined when it cannot be written: JSON.parse reads nesting
 * hundreds of thousands deep, but JSON.stringify throws a RangeError a few thousand levels down.
 */
function jsonText(value) {
    try {
        return JSON.stringify(value);
    }
    catch {
        return undefined;
    }
}


/***/ }),

/***/ 6590:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   o: () => (/* binding */ truncateMarkdown)
/* harmony export */ });
/* harmony import */ var _escape_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(7388);
// Markdown cut to fit where it goes (a job summary, a comment), at a line end so no table row or
// code fence is split mid-line, with a note that it was cut.

/** Shortens markdown to `maxChars`, with a visible note, at a line break so no table row is cut. */
function truncateMarkdown(markdown, maxChars, note) {
    if (markdown.length <= maxChars)
        return markdown;
    const suffix = `\n\n_${note}_\n`;
    const room = Math.max(0, maxChars - suffix.length);
    const lineEnd = markdown.lastIndexOf('\n', room);
    return `${lineEnd > 0 ? markdown.slice(0, lineEnd) : (0,_escape_js__WEBPACK_IMPORTED_MODULE_0__/* .prefix */ .Pl)(markdown, room)}${suffix}`;
}


/***/ }),

/***/ 9690:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   g1: () => (/* binding */ NO_SECRETS),
/* harmony export */   ty: () => (/* binding */ scrubber)
/* harmony export */ });
/* unused harmony exports SCRUBBED, secretForms */
// Secrets made unreadable in the text the action writes. The runner masks a secret in the step's log
// only where it appears whole and exactly as registered; the action also writes files (outputs, the
// summary, a PR comment) and shortens long text. So it replaces every secret itself, in the forms an API
// or a log is likely to hold it, and always before any cut: a cut through a secret leaves a part of it
// that no exact match finds.
/** What a secret is replaced with. */
const SCRUBBED = '***';
/** Shorter values are not treated as secrets: replacing "abc" everywhere would garble the report. */
const MIN_SECRET_CHARS = 4;
/** Inside a JSON string: `"`, `\` and control characters escaped. */
const jsonEscaped = (text) => JSON.stringify(text).slice(1, -1);
/**
 * A secret as it appears in text: as given; inside a JSON string, once or twice encoded (heads and
 * metadata are JSON strings inside JSON), with `/` written `\/` as PHP's json_encode does; and
 * percent-encoded in a URL (either case of hex digits, or encoded twice). Longest first, so that a
 * longer form is replaced before a shorter one inside it.
 */
function secretForms(secret) {
    const url = encodeURIComponent(secret);
    const forms = [
        secret,
        jsonEscaped(secret),
        jsonEscaped(jsonEscaped(secret)),
        jsonEscaped(secret).replace(/\//g, '\\/'),
        url,
        url.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
        encodeURIComponent(url)
    ];
    return [...new Set(forms)].sort((a, b) => b.length - a.length);
}
/** Replaces every form of every secret with ***. Linear in the text: one split and join per form. */
function scrubber(secrets) {
    const forms = [
        ...new Set(secrets.filter((s) => s.length >= MIN_SECRET_CHARS).flatMap(secretForms))
    ].sort((a, b) => b.length - a.length);
    return (text) => forms.reduce((out, form) => out.includes(form) ? out.split(form).join(SCRUBBED) : out, text);
}
/** A scrubber that knows no secret, for callers that have none. */
const NO_SECRETS = (text) => text;


/***/ }),

/***/ 2613:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("assert");

/***/ }),

/***/ 4434:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");

/***/ }),

/***/ 9896:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");

/***/ }),

/***/ 8611:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("http");

/***/ }),

/***/ 5692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("https");

/***/ }),

/***/ 9278:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("net");

/***/ }),

/***/ 4589:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:assert");

/***/ }),

/***/ 6698:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:async_hooks");

/***/ }),

/***/ 4573:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:buffer");

/***/ }),

/***/ 7540:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:console");

/***/ }),

/***/ 7598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 3053:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:diagnostics_channel");

/***/ }),

/***/ 610:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:dns");

/***/ }),

/***/ 8474:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:events");

/***/ }),

/***/ 7067:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");

/***/ }),

/***/ 2467:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http2");

/***/ }),

/***/ 7030:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");

/***/ }),

/***/ 643:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:perf_hooks");

/***/ }),

/***/ 1792:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:querystring");

/***/ }),

/***/ 7075:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");

/***/ }),

/***/ 1692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:tls");

/***/ }),

/***/ 3136:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");

/***/ }),

/***/ 7975:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");

/***/ }),

/***/ 3429:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util/types");

/***/ }),

/***/ 5919:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");

/***/ }),

/***/ 8522:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");

/***/ }),

/***/ 857:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("os");

/***/ }),

/***/ 3193:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("string_decoder");

/***/ }),

/***/ 4756:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tls");

/***/ }),

/***/ 9023:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId].call(module.exports, module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
var __webpack_exports__ = {};

// EXTERNAL MODULE: external "os"
var external_os_ = __nccwpck_require__(857);
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/utils.js
// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Sanitizes an input into a string so it can be passed into issueCommand safely
 * @param input input to sanitize into a string
 */
function utils_toCommandValue(input) {
    if (input === null || input === undefined) {
        return '';
    }
    else if (typeof input === 'string' || input instanceof String) {
        return input;
    }
    return JSON.stringify(input);
}
/**
 *
 * @param annotationProperties
 * @returns The command properties to send with the actual annotation command
 * See IssueCommandProperties: https://github.com/actions/runner/blob/main/src/Runner.Worker/ActionCommandManager.cs#L646
 */
function utils_toCommandProperties(annotationProperties) {
    if (!Object.keys(annotationProperties).length) {
        return {};
    }
    return {
        title: annotationProperties.title,
        file: annotationProperties.file,
        line: annotationProperties.startLine,
        endLine: annotationProperties.endLine,
        col: annotationProperties.startColumn,
        endColumn: annotationProperties.endColumn
    };
}
//# sourceMappingURL=utils.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/command.js


/**
 * Issues a command to the GitHub Actions runner
 *
 * @param command - The command name to issue
 * @param properties - Additional properties for the command (key-value pairs)
 * @param message - The message to include with the command
 * @remarks
 * This function outputs a specially formatted string to stdout that the Actions
 * runner interprets as a command. These commands can control workflow behavior,
 * set outputs, create annotations, mask values, and more.
 *
 * Command Format:
 *   ::name key=value,key=value::message
 *
 * @example
 * ```typescript
 * // Issue a warning annotation
 * issueCommand('warning', {}, 'This is a warning message');
 * // Output: ::warning::This is a warning message
 *
 * // Set an environment variable
 * issueCommand('set-env', { name: 'MY_VAR' }, 'some value');
 * // Output: ::set-env name=MY_VAR::some value
 *
 * // Add a secret mask
 * issueCommand('add-mask', {}, 'secretValue123');
 * // Output: ::add-mask::secretValue123
 * ```
 *
 * @internal
 * This is an internal utility function that powers the public API functions
 * such as setSecret, warning, error, and exportVariable.
 */
function command_issueCommand(command, properties, message) {
    const cmd = new Command(command, properties, message);
    process.stdout.write(cmd.toString() + external_os_.EOL);
}
function command_issue(name, message = '') {
    command_issueCommand(name, {}, message);
}
const CMD_STRING = '::';
class Command {
    constructor(command, properties, message) {
        if (!command) {
            command = 'missing.command';
        }
        this.command = command;
        this.properties = properties;
        this.message = message;
    }
    toString() {
        let cmdStr = CMD_STRING + this.command;
        if (this.properties && Object.keys(this.properties).length > 0) {
            cmdStr += ' ';
            let first = true;
            for (const key in this.properties) {
                if (this.properties.hasOwnProperty(key)) {
                    const val = this.properties[key];
                    if (val) {
                        if (first) {
                            first = false;
                        }
                        else {
                            cmdStr += ',';
                        }
                        cmdStr += `${key}=${escapeProperty(val)}`;
                    }
                }
            }
        }
        cmdStr += `${CMD_STRING}${escapeData(this.message)}`;
        return cmdStr;
    }
}
function escapeData(s) {
    return utils_toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A');
}
function escapeProperty(s) {
    return utils_toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A')
        .replace(/:/g, '%3A')
        .replace(/,/g, '%2C');
}
//# sourceMappingURL=command.js.map
;// CONCATENATED MODULE: external "crypto"
const external_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("crypto");
// EXTERNAL MODULE: external "fs"
var external_fs_ = __nccwpck_require__(9896);
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/file-command.js
// For internal use, subject to change.
// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */




function file_command_issueFileCommand(command, message) {
    const filePath = process.env[`GITHUB_${command}`];
    if (!filePath) {
        throw new Error(`Unable to find environment variable for file command ${command}`);
    }
    if (!external_fs_.existsSync(filePath)) {
        throw new Error(`Missing file at path: ${filePath}`);
    }
    external_fs_.appendFileSync(filePath, `${utils_toCommandValue(message)}${external_os_.EOL}`, {
        encoding: 'utf8'
    });
}
function file_command_prepareKeyValueMessage(key, value) {
    const delimiter = `ghadelimiter_${external_crypto_namespaceObject.randomUUID()}`;
    const convertedValue = utils_toCommandValue(value);
    // These should realistically never happen, but just in case someone finds a
    // way to exploit uuid generation let's not allow keys or values that contain
    // the delimiter.
    if (key.includes(delimiter)) {
        throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
    }
    if (convertedValue.includes(delimiter)) {
        throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
    }
    return `${key}<<${delimiter}${external_os_.EOL}${convertedValue}${external_os_.EOL}${delimiter}`;
}
//# sourceMappingURL=file-command.js.map
;// CONCATENATED MODULE: external "path"
const external_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("path");
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/core.js
var __awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};






/**
 * The code to exit an action
 */
var ExitCode;
(function (ExitCode) {
    /**
     * A code indicating that the action was successful
     */
    ExitCode[ExitCode["Success"] = 0] = "Success";
    /**
     * A code indicating that the action was a failure
     */
    ExitCode[ExitCode["Failure"] = 1] = "Failure";
})(ExitCode || (ExitCode = {}));
//-----------------------------------------------------------------------
// Variables
//-----------------------------------------------------------------------
/**
 * Sets env variable for this action and future actions in the job
 * @param name the name of the variable to set
 * @param val the value of the variable. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function exportVariable(name, val) {
    const convertedVal = toCommandValue(val);
    process.env[name] = convertedVal;
    const filePath = process.env['GITHUB_ENV'] || '';
    if (filePath) {
        return issueFileCommand('ENV', prepareKeyValueMessage(name, val));
    }
    issueCommand('set-env', { name }, convertedVal);
}
/**
 * Registers a secret which will get masked from logs
 *
 * @param secret - Value of the secret to be masked
 * @remarks
 * This function instructs the Actions runner to mask the specified value in any
 * logs produced during the workflow run. Once registered, the secret value will
 * be replaced with asterisks (***) whenever it appears in console output, logs,
 * or error messages.
 *
 * This is useful for protecting sensitive information such as:
 * - API keys
 * - Access tokens
 * - Authentication credentials
 * - URL parameters containing signatures (SAS tokens)
 *
 * Note that masking only affects future logs; any previous appearances of the
 * secret in logs before calling this function will remain unmasked.
 *
 * @example
 * ```typescript
 * // Register an API token as a secret
 * const apiToken = "abc123xyz456";
 * setSecret(apiToken);
 *
 * // Now any logs containing this value will show *** instead
 * console.log(`Using token: ${apiToken}`); // Outputs: "Using token: ***"
 * ```
 */
function setSecret(secret) {
    command_issueCommand('add-mask', {}, secret);
}
/**
 * Prepends inputPath to the PATH (for this action and future actions)
 * @param inputPath
 */
function addPath(inputPath) {
    const filePath = process.env['GITHUB_PATH'] || '';
    if (filePath) {
        issueFileCommand('PATH', inputPath);
    }
    else {
        issueCommand('add-path', {}, inputPath);
    }
    process.env['PATH'] = `${inputPath}${path.delimiter}${process.env['PATH']}`;
}
/**
 * Gets the value of an input.
 * Unless trimWhitespace is set to false in InputOptions, the value is also trimmed.
 * Returns an empty string if the value is not defined.
 *
 * @param     name     name of the input to get
 * @param     options  optional. See InputOptions.
 * @returns   string
 */
function getInput(name, options) {
    const val = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '';
    if (options && options.required && !val) {
        throw new Error(`Input required and not supplied: ${name}`);
    }
    if (options && options.trimWhitespace === false) {
        return val;
    }
    return val.trim();
}
/**
 * Gets the values of an multiline input.  Each value is also trimmed.
 *
 * @param     name     name of the input to get
 * @param     options  optional. See InputOptions.
 * @returns   string[]
 *
 */
function getMultilineInput(name, options) {
    const inputs = getInput(name, options)
        .split('\n')
        .filter(x => x !== '');
    if (options && options.trimWhitespace === false) {
        return inputs;
    }
    return inputs.map(input => input.trim());
}
/**
 * Gets the input value of the boolean type in the YAML 1.2 "core schema" specification.
 * Support boolean input list: `true | True | TRUE | false | False | FALSE` .
 * The return value is also in boolean type.
 * ref: https://yaml.org/spec/1.2/spec.html#id2804923
 *
 * @param     name     name of the input to get
 * @param     options  optional. See InputOptions.
 * @returns   boolean
 */
function getBooleanInput(name, options) {
    const trueValue = ['true', 'True', 'TRUE'];
    const falseValue = ['false', 'False', 'FALSE'];
    const val = getInput(name, options);
    if (trueValue.includes(val))
        return true;
    if (falseValue.includes(val))
        return false;
    throw new TypeError(`Input does not meet YAML 1.2 "Core Schema" specification: ${name}\n` +
        `Support boolean input list: \`true | True | TRUE | false | False | FALSE\``);
}
/**
 * Sets the value of an output.
 *
 * @param     name     name of the output to set
 * @param     value    value to store. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function setOutput(name, value) {
    const filePath = process.env['GITHUB_OUTPUT'] || '';
    if (filePath) {
        return file_command_issueFileCommand('OUTPUT', file_command_prepareKeyValueMessage(name, value));
    }
    process.stdout.write(external_os_.EOL);
    command_issueCommand('set-output', { name }, utils_toCommandValue(value));
}
/**
 * Enables or disables the echoing of commands into stdout for the rest of the step.
 * Echoing is disabled by default if ACTIONS_STEP_DEBUG is not set.
 *
 */
function setCommandEcho(enabled) {
    issue('echo', enabled ? 'on' : 'off');
}
//-----------------------------------------------------------------------
// Results
//-----------------------------------------------------------------------
/**
 * Sets the action status to failed.
 * When the action exits it will be with an exit code of 1
 * @param message add error issue message
 */
function setFailed(message) {
    process.exitCode = ExitCode.Failure;
    error(message);
}
//-----------------------------------------------------------------------
// Logging Commands
//-----------------------------------------------------------------------
/**
 * Gets whether Actions Step Debug is on or not
 */
function isDebug() {
    return process.env['RUNNER_DEBUG'] === '1';
}
/**
 * Writes debug message to user log
 * @param message debug message
 */
function debug(message) {
    command_issueCommand('debug', {}, message);
}
/**
 * Adds an error issue
 * @param message error issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function error(message, properties = {}) {
    command_issueCommand('error', utils_toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Adds a warning issue
 * @param message warning issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function core_warning(message, properties = {}) {
    command_issueCommand('warning', utils_toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Adds a notice issue
 * @param message notice issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function notice(message, properties = {}) {
    issueCommand('notice', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Writes info to log with console.log.
 * @param message info message
 */
function info(message) {
    process.stdout.write(message + external_os_.EOL);
}
/**
 * Begin an output group.
 *
 * Output until the next `groupEnd` will be foldable in this group
 *
 * @param name The name of the output group
 */
function startGroup(name) {
    issue('group', name);
}
/**
 * End an output group.
 */
function endGroup() {
    issue('endgroup');
}
/**
 * Wrap an asynchronous function call in a group.
 *
 * Returns the same type as the function itself.
 *
 * @param name The name of the group
 * @param fn The function to wrap in the group
 */
function group(name, fn) {
    return __awaiter(this, void 0, void 0, function* () {
        startGroup(name);
        let result;
        try {
            result = yield fn();
        }
        finally {
            endGroup();
        }
        return result;
    });
}
//-----------------------------------------------------------------------
// Wrapper action state
//-----------------------------------------------------------------------
/**
 * Saves state for current action, the state can only be retrieved by this action's post job execution.
 *
 * @param     name     name of the state to store
 * @param     value    value to store. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function saveState(name, value) {
    const filePath = process.env['GITHUB_STATE'] || '';
    if (filePath) {
        return issueFileCommand('STATE', prepareKeyValueMessage(name, value));
    }
    issueCommand('save-state', { name }, toCommandValue(value));
}
/**
 * Gets the value of an state set by this action's main execution.
 *
 * @param     name     name of the state to get
 * @returns   string
 */
function getState(name) {
    return process.env[`STATE_${name}`] || '';
}
function getIDToken(aud) {
    return __awaiter(this, void 0, void 0, function* () {
        return yield OidcClient.getIDToken(aud);
    });
}
/**
 * Summary exports
 */

/**
 * @deprecated use core.summary
 */

/**
 * Path exports
 */

/**
 * Platform utilities exports
 */

//# sourceMappingURL=core.js.map
;// CONCATENATED MODULE: ./src/inputs/names.ts
// The action's inputs: their names (the contract with users, action.yml and the tests) and the one
// place they are read. Everything else gets the raw record that readInputs returns.
/** Input names: the contract with users (action.yml) and with the tests. */
const INPUT = {
    apiToken: 'api-token',
    apiEmail: 'api-email',
    apiKey: 'api-key',
    accountId: 'account-id',
    gatewayId: 'gateway-id',
    logId: 'log-id',
    logIds: 'log-ids',
    runId: 'run-id',
    runIdKey: 'run-id-key',
    since: 'since',
    until: 'until',
    filters: 'filters',
    maxLogs: 'max-logs',
    expectedLogs: 'expected-logs',
    settle: 'settle',
    apiUrl: 'api-url',
    maxCost: 'max-cost',
    maxDuration: 'max-duration',
    maxTokensIn: 'max-tokens-in',
    maxTokensOut: 'max-tokens-out',
    expectedStatus: 'expected-status',
    requireSuccess: 'require-success',
    thresholds: 'thresholds',
    baselineRunId: 'baseline-run-id',
    baseline: 'baseline',
    baselineRequired: 'baseline-required',
    failOnBreach: 'fail-on-breach',
    jobSummary: 'job-summary',
    waitTimeout: 'wait-timeout',
    maxRetries: 'max-retries',
    requestTimeout: 'request-timeout',
    requestBudget: 'request-budget',
    source: 'source',
    queryBudget: 'query-budget',
    trend: 'trend',
    comment: 'comment',
    commentKey: 'comment-key',
    commentOn: 'comment-on',
    prNumber: 'pr-number',
    githubToken: 'github-token'
};
/** Inputs that hold secrets: registered with setSecret before anything else, never quoted back. */
const SECRET_INPUTS = [
    INPUT.apiToken,
    INPUT.apiKey,
    INPUT.githubToken
];
/**
 * Reads every input once. `api-token` and `account-id` fall back to CLOUDFLARE_API_TOKEN and
 * CLOUDFLARE_ACCOUNT_ID (what wrangler and Cloudflare's own actions read), so they are set in one place.
 */
function readInputs(read, env) {
    const raw = Object.fromEntries(Object.values(INPUT).map((name) => [name, read(name).trim()]));
    raw[INPUT.apiToken] ||= (env.CLOUDFLARE_API_TOKEN ?? '').trim();
    raw[INPUT.accountId] ||= (env.CLOUDFLARE_ACCOUNT_ID ?? '').trim();
    return raw;
}

;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/summary.js
var summary_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};


const { access, appendFile, writeFile } = external_fs_.promises;
const SUMMARY_ENV_VAR = 'GITHUB_STEP_SUMMARY';
const SUMMARY_DOCS_URL = 'https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions#adding-a-job-summary';
class Summary {
    constructor() {
        this._buffer = '';
    }
    /**
     * Finds the summary file path from the environment, rejects if env var is not found or file does not exist
     * Also checks r/w permissions.
     *
     * @returns step summary file path
     */
    filePath() {
        return summary_awaiter(this, void 0, void 0, function* () {
            if (this._filePath) {
                return this._filePath;
            }
            const pathFromEnv = process.env[SUMMARY_ENV_VAR];
            if (!pathFromEnv) {
                throw new Error(`Unable to find environment variable for $${SUMMARY_ENV_VAR}. Check if your runtime environment supports job summaries.`);
            }
            try {
                yield access(pathFromEnv, external_fs_.constants.R_OK | external_fs_.constants.W_OK);
            }
            catch (_a) {
                throw new Error(`Unable to access summary file: '${pathFromEnv}'. Check if the file has correct read/write permissions.`);
            }
            this._filePath = pathFromEnv;
            return this._filePath;
        });
    }
    /**
     * Wraps content in an HTML tag, adding any HTML attributes
     *
     * @param {string} tag HTML tag to wrap
     * @param {string | null} content content within the tag
     * @param {[attribute: string]: string} attrs key-value list of HTML attributes to add
     *
     * @returns {string} content wrapped in HTML element
     */
    wrap(tag, content, attrs = {}) {
        const htmlAttrs = Object.entries(attrs)
            .map(([key, value]) => ` ${key}="${value}"`)
            .join('');
        if (!content) {
            return `<${tag}${htmlAttrs}>`;
        }
        return `<${tag}${htmlAttrs}>${content}</${tag}>`;
    }
    /**
     * Writes text in the buffer to the summary buffer file and empties buffer. Will append by default.
     *
     * @param {SummaryWriteOptions} [options] (optional) options for write operation
     *
     * @returns {Promise<Summary>} summary instance
     */
    write(options) {
        return summary_awaiter(this, void 0, void 0, function* () {
            const overwrite = !!(options === null || options === void 0 ? void 0 : options.overwrite);
            const filePath = yield this.filePath();
            const writeFunc = overwrite ? writeFile : appendFile;
            yield writeFunc(filePath, this._buffer, { encoding: 'utf8' });
            return this.emptyBuffer();
        });
    }
    /**
     * Clears the summary buffer and wipes the summary file
     *
     * @returns {Summary} summary instance
     */
    clear() {
        return summary_awaiter(this, void 0, void 0, function* () {
            return this.emptyBuffer().write({ overwrite: true });
        });
    }
    /**
     * Returns the current summary buffer as a string
     *
     * @returns {string} string of summary buffer
     */
    stringify() {
        return this._buffer;
    }
    /**
     * If the summary buffer is empty
     *
     * @returns {boolen} true if the buffer is empty
     */
    isEmptyBuffer() {
        return this._buffer.length === 0;
    }
    /**
     * Resets the summary buffer without writing to summary file
     *
     * @returns {Summary} summary instance
     */
    emptyBuffer() {
        this._buffer = '';
        return this;
    }
    /**
     * Adds raw text to the summary buffer
     *
     * @param {string} text content to add
     * @param {boolean} [addEOL=false] (optional) append an EOL to the raw text (default: false)
     *
     * @returns {Summary} summary instance
     */
    addRaw(text, addEOL = false) {
        this._buffer += text;
        return addEOL ? this.addEOL() : this;
    }
    /**
     * Adds the operating system-specific end-of-line marker to the buffer
     *
     * @returns {Summary} summary instance
     */
    addEOL() {
        return this.addRaw(external_os_.EOL);
    }
    /**
     * Adds an HTML codeblock to the summary buffer
     *
     * @param {string} code content to render within fenced code block
     * @param {string} lang (optional) language to syntax highlight code
     *
     * @returns {Summary} summary instance
     */
    addCodeBlock(code, lang) {
        const attrs = Object.assign({}, (lang && { lang }));
        const element = this.wrap('pre', this.wrap('code', code), attrs);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML list to the summary buffer
     *
     * @param {string[]} items list of items to render
     * @param {boolean} [ordered=false] (optional) if the rendered list should be ordered or not (default: false)
     *
     * @returns {Summary} summary instance
     */
    addList(items, ordered = false) {
        const tag = ordered ? 'ol' : 'ul';
        const listItems = items.map(item => this.wrap('li', item)).join('');
        const element = this.wrap(tag, listItems);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML table to the summary buffer
     *
     * @param {SummaryTableCell[]} rows table rows
     *
     * @returns {Summary} summary instance
     */
    addTable(rows) {
        const tableBody = rows
            .map(row => {
            const cells = row
                .map(cell => {
                if (typeof cell === 'string') {
                    return this.wrap('td', cell);
                }
                const { header, data, colspan, rowspan } = cell;
                const tag = header ? 'th' : 'td';
                const attrs = Object.assign(Object.assign({}, (colspan && { colspan })), (rowspan && { rowspan }));
                return this.wrap(tag, data, attrs);
            })
                .join('');
            return this.wrap('tr', cells);
        })
            .join('');
        const element = this.wrap('table', tableBody);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds a collapsable HTML details element to the summary buffer
     *
     * @param {string} label text for the closed state
     * @param {string} content collapsable content
     *
     * @returns {Summary} summary instance
     */
    addDetails(label, content) {
        const element = this.wrap('details', this.wrap('summary', label) + content);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML image tag to the summary buffer
     *
     * @param {string} src path to the image you to embed
     * @param {string} alt text description of the image
     * @param {SummaryImageOptions} options (optional) addition image attributes
     *
     * @returns {Summary} summary instance
     */
    addImage(src, alt, options) {
        const { width, height } = options || {};
        const attrs = Object.assign(Object.assign({}, (width && { width })), (height && { height }));
        const element = this.wrap('img', null, Object.assign({ src, alt }, attrs));
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML section heading element
     *
     * @param {string} text heading text
     * @param {number | string} [level=1] (optional) the heading level, default: 1
     *
     * @returns {Summary} summary instance
     */
    addHeading(text, level) {
        const tag = `h${level}`;
        const allowedTag = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].includes(tag)
            ? tag
            : 'h1';
        const element = this.wrap(allowedTag, text);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML thematic break (<hr>) to the summary buffer
     *
     * @returns {Summary} summary instance
     */
    addSeparator() {
        const element = this.wrap('hr', null);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML line break (<br>) to the summary buffer
     *
     * @returns {Summary} summary instance
     */
    addBreak() {
        const element = this.wrap('br', null);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML blockquote to the summary buffer
     *
     * @param {string} text quote text
     * @param {string} cite (optional) citation url
     *
     * @returns {Summary} summary instance
     */
    addQuote(text, cite) {
        const attrs = Object.assign({}, (cite && { cite }));
        const element = this.wrap('blockquote', text, attrs);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML anchor tag to the summary buffer
     *
     * @param {string} text link text/content
     * @param {string} href hyperlink
     *
     * @returns {Summary} summary instance
     */
    addLink(text, href) {
        const element = this.wrap('a', text, { href });
        return this.addRaw(element).addEOL();
    }
}
const _summary = new Summary();
/**
 * @deprecated use `core.summary`
 */
const markdownSummary = (/* unused pure expression or super */ null && (_summary));
const summary = _summary;
//# sourceMappingURL=summary.js.map
// EXTERNAL MODULE: ./src/cloudflare/budget.ts
var cloudflare_budget = __nccwpck_require__(3550);
// EXTERNAL MODULE: ./src/cloudflare/graphql.ts
var graphql = __nccwpck_require__(1074);
// EXTERNAL MODULE: ./src/text/escape.ts
var text_escape = __nccwpck_require__(7388);
;// CONCATENATED MODULE: ./src/cloudflare/collect.ts
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


class CollectError extends Error {
    kind;
    detail;
    constructor(
    /**
     * too-many: over max-logs; too-few: fewer than expected-logs; empty: no call; incomplete: the read
     * cannot show it saw every call; invalid: the API's rows contradict each other.
     */
    kind, message, 
    /**
     * too-many: how many calls match; empty: where the account keeps its logs, when it was asked. A
     * gate with `source: auto` reads them to switch to GraphQL Analytics.
     */
    detail = {}) {
        super(message);
        this.kind = kind;
        this.detail = detail;
        this.name = 'CollectError';
    }
}
/** Without an `until`, reads are bounded a little past the runner's clock: the gateway's clock may be ahead. */
const CLOCK_SKEW_MS = 5 * 60_000;
/** List pages read at once: a few, so a run of calls does not trip the API's rate limit. */
const PAGES_AT_ONCE = 4;
/** Re-reads start about a second apart... */
const POLL_INTERVAL_MS = 1000;
/** ...and back off, doubling while they find nothing new, to this: a waiting gate costs few requests. */
const MAX_POLL_INTERVAL_MS = 8000;
/**
 * Every row of the selection that `keep` accepts, one per call. `keep` re-checks what the API cannot
 * filter exactly (a run's metadata key and value match independently there); the rows it refuses still
 * count toward the API's total.
 */
async function collect(readPage, keep, options, deps) {
    const startedMs = deps.now();
    const reader = new Reader(readPage, options);
    const bound = () => options.untilMs ?? deps.now() + CLOCK_SKEW_MS;
    const kept = () => reader.rows().filter(keep);
    const waitingFor = options.expectedLogs ?? 1;
    const elapsedMs = () => deps.now() - startedMs;
    try {
        await reader.read(1, bound(), true);
        if (options.whenNoneFound && waitingFor > 0 && kept().length === 0)
            await options.whenNoneFound();
        await readUntilDone(reader, kept, waitingFor, options, deps, bound, elapsedMs);
    }
    catch (error) {
        if (!(error instanceof cloudflare_budget/* BudgetSpentError */.o_))
            throw error;
        // A read that was already whole when the budget ran out (settling, say) is still whole.
        if (!(reader.complete() && kept().length >= waitingFor))
            throw incomplete(reader, options, elapsedMs(), error);
        deps.debug(`the request budget ran out while settling ${options.describe}: gating the ${reader.size} calls read`);
    }
    if (!reader.complete())
        throw incomplete(reader, options, elapsedMs());
    const rows = kept();
    const dropped = reader.size - rows.length;
    if (dropped > 0)
        deps.debug(`${dropped} of the ${reader.size} rows the API listed for ${options.describe} do not match it exactly and are left out`);
    if (rows.length === 0 && options.expectedLogs !== 0) {
        throw new CollectError('empty', `No calls found for ${options.describe}`);
    }
    if (options.expectedLogs !== undefined &&
        rows.length < options.expectedLogs) {
        const waitedS = Math.round(elapsedMs() / 1000);
        throw new CollectError('too-few', `Found ${rows.length} of ${options.expectedLogs} expected calls for ${options.describe} after waiting ${waitedS} s (wait-timeout)`);
    }
    return { rows, requests: reader.requests };
}
/**
 * Reads again until the read is complete, holds the calls waited for, and (with settle) stays the same
 * over a pause; or until wait-timeout. An incomplete read is read again once at once (a page answered
 * short once is a glitch), then, like every wait, after a pause that doubles while nothing new is found.
 */
async function readUntilDone(reader, kept, waitingFor, options, deps, bound, elapsedMs) {
    let intervalMs = POLL_INTERVAL_MS;
    let rereads = 0;
    let settles = 0;
    let settled = options.settleMs === 0;
    for (;;) {
        const complete = reader.complete();
        const found = kept().length;
        const leftMs = options.waitTimeoutMs - elapsedMs();
        let pauseMs;
        if (complete && found >= waitingFor) {
            if (settled || reader.size === 0)
                return;
            // Settle: look once more after a pause; while the selection still grows, pause and look again,
            // but not past wait-timeout: a run that is still making calls would otherwise keep the step forever.
            if (leftMs <= 0 && settles > 0) {
                deps.debug(`${options.describe} still grows after wait-timeout: gating the ${reader.size} calls found`);
                return;
            }
            pauseMs = options.settleMs;
        }
        else {
            if (leftMs <= 0 && (complete || rereads > 0))
                return;
            pauseMs = !complete && rereads === 0 ? 0 : Math.min(intervalMs, leftMs);
            deps.debug(complete
                ? `found ${found} of ${waitingFor} calls of ${options.describe}; reading again in ${pauseMs} ms`
                : `read ${reader.size} distinct calls of ${options.describe}, the API counts ${reader.evidence.total}; reading again in ${pauseMs} ms`);
        }
        if (pauseMs > 0)
            await deps.sleep(pauseMs);
        const before = reader.size;
        await reader.again(bound());
        rereads++;
        const grew = reader.size > before;
        if (complete && found >= waitingFor) {
            settles++;
            if (grew)
                deps.debug(`${options.describe} grew from ${before} to ${reader.size} calls while settling`);
            else if (reader.complete())
                settled = true;
        }
        if (grew)
            intervalMs = POLL_INTERVAL_MS;
        else if (pauseMs > 0)
            intervalMs = Math.min(intervalMs * 2, MAX_POLL_INTERVAL_MS);
    }
}
/** The error of a read that cannot show it saw every call, with the numbers and the likeliest reason. */
function incomplete(reader, options, waitedMs, budget) {
    const { total, shortPage, repeated, endSeen } = reader.evidence;
    const counts = options.expectedLogs !== undefined && options.expectedLogs > total
        ? `the API counts ${total} and ${options.expectedLogs} are expected (expected-logs)`
        : `the API counts ${total}`;
    const why = budget
        ? `the request budget is spent (${(0,cloudflare_budget/* budgetAllows */.O$)(cloudflare_budget/* REQUEST_BUDGET */.Ao, budget.limit)}; Cloudflare allows ${cloudflare_budget/* CLOUDFLARE_REQUESTS_PER_5_MINUTES */.n8} per 5 minutes per user): narrow the selection, or raise request-budget`
        : repeated
            ? `the API repeated rows already read (page${repeated.to > repeated.from ? `s ${repeated.from}-${repeated.to}` : ` ${repeated.from}`} held only calls of earlier pages), as if it ignored the page asked for`
            : shortPage
                ? `page ${shortPage.page} came back with ${shortPage.rows} of the ${options.perPage} rows asked before the last page, and reading again did not find the rest`
                : !endSeen
                    ? 'the end of the list was never seen'
                    : `reading again for ${Math.round(waitedMs / 1000)} s (wait-timeout) did not find the rest: calls may have been deleted while they were read, or the API's count is stale`;
    return new CollectError('incomplete', `Could not read every call of ${options.describe}: read ${reader.size} distinct call${reader.size === 1 ? '' : 's'}, ${counts}; ${why}. The gate does not pass on part of a selection.`);
}
function tooMany(total, options) {
    return new CollectError('too-many', 
    // Full pages past the last one max-logs allows can repeat calls already read: then the count read is
    // no more than max-logs, and the message says only that the list goes on past it.
    `${total > options.maxLogs ? `${total} calls match ${options.describe}, more than max-logs (${options.maxLogs})` : `more calls than max-logs (${options.maxLogs}) match ${options.describe}`}: narrow the selection (a run id, a shorter window, filters) or raise max-logs`, { total });
}
/** The rows read so far, one per call, and what the pages showed about the whole. */
class Reader {
    readPage;
    options;
    /** Every row the API returned, kept or not, by id as the API compares ids (case-insensitive), with the page it came on. */
    seen = new Map();
    evidence = { total: 0, endSeen: false };
    requests = 0;
    constructor(readPage, options) {
        this.readPage = readPage;
        this.options = options;
    }
    get size() {
        return this.seen.size;
    }
    rows() {
        return Array.from(this.seen.values(), (entry) => entry.row);
    }
    complete() {
        return this.evidence.endSeen && this.seen.size >= this.evidence.total;
    }
    /** One page, checked and added; the number of calls it added. */
    async page(number, untilMs) {
        this.requests++;
        const answer = await this.readPage(number, this.options.perPage, untilMs);
        if (answer.rows.length > this.options.perPage)
            throw new CollectError('invalid', `The API answered page ${number} of ${this.options.describe} with ${answer.rows.length} rows, more than the ${this.options.perPage} asked (per_page): it does not page as documented, so the gate cannot tell whether it saw every call`);
        this.evidence.total = answer.totalCount;
        if (answer.totalCount > this.options.maxLogs)
            throw tooMany(answer.totalCount, this.options);
        return { rows: answer.rows.length, added: this.add(answer.rows, number) };
    }
    add(rows, page) {
        let added = 0;
        rows.forEach((row, i) => {
            if (typeof row.id !== 'string' || row.id.trim() === '')
                throw new CollectError('invalid', `The API answered row ${i + 1} of page ${page} of ${this.options.describe} with an empty id: the gate cannot tell its calls apart`);
            const key = row.id.toLowerCase();
            const known = this.seen.get(key);
            if (!known) {
                this.seen.set(key, { row, page });
                added++;
            }
            else if (JSON.stringify(known.row) !== JSON.stringify(row)) {
                // The same row again (pages that overlap as calls land) is one call; two different ones under one id are not.
                throw new CollectError('invalid', `The API answered two different calls with the id "${(0,text_escape/* inline */.mG)(row.id, 80)}" (on page ${known.page} and page ${page}) for ${this.options.describe}: the gate cannot tell its calls apart`);
            }
        });
        if (this.seen.size > this.options.maxLogs)
            throw tooMany(this.seen.size, this.options);
        return added;
    }
    /** `numbers` read together, in order. Every page of the batch is waited for, so an error counts the rows of the others. */
    async batch(numbers, untilMs) {
        const settled = await Promise.allSettled(numbers.map((n) => this.page(n, untilMs)));
        const failed = settled.find((r) => r.status === 'rejected');
        if (failed)
            throw failed.reason;
        return settled.map((r) => r.value);
    }
    /**
     * Reads from page `from` to the end: every page the total implies (a short page among them does not
     * end the read), a few at a time, then more while the last one read came back full. `first`: the
     * selection's first read, where a page that brings nothing new means the API repeats itself.
     */
    async read(from, untilMs, first = false) {
        const head = await this.page(from, untilMs);
        // The page the total says comes back short: when the total fills its last page exactly, the one after
        // it (empty) is the end, and reading it in the same batch saves a round trip.
        const lastHinted = Math.floor(this.evidence.total / this.options.perPage) + 1;
        // A hostile or broken API could answer full pages forever: stop where max-logs would be passed.
        const lastAllowed = Math.ceil(this.options.maxLogs / this.options.perPage) + 1;
        // Pages that came back short: one before the last page read means the API did not page as asked.
        const short = [];
        if (head.rows < this.options.perPage)
            short.push({ page: from, rows: head.rows });
        let lastRead = from;
        let lastRows = head.rows;
        let next = from + 1;
        while (next <= lastHinted || lastRows === this.options.perPage) {
            if (next > lastAllowed)
                throw tooMany(this.seen.size, this.options);
            // Past the pages the total implies (a total that is too low), batches of the same size, not one by one.
            const last = Math.min(next > lastHinted
                ? next + this.options.concurrency - 1
                : Math.min(lastHinted, next + this.options.concurrency - 1), lastAllowed);
            const numbers = Array.from({ length: last - next + 1 }, (_, i) => next + i);
            const pages = await this.batch(numbers, untilMs);
            pages.forEach((p, i) => {
                if (p.rows < this.options.perPage)
                    short.push({ page: numbers[i], rows: p.rows });
            });
            if (first &&
                pages.every((p) => p.rows === this.options.perPage && p.added === 0)) {
                this.evidence.repeated = { from: next, to: last };
                throw incomplete(this, this.options, 0);
            }
            lastRead = last;
            lastRows = pages.at(-1).rows;
            next = last + 1;
        }
        this.evidence.shortPage ??= short.find((p) => p.page < lastRead);
        this.evidence.endSeen = true;
    }
    /**
     * Reads again: from the page where the known rows end (rows that arrive later land there), then, while
     * the total says rows are missing (late logs of calls that started earlier, rows that shifted between
     * pages), the pages before it, last first (late logs are mostly of a run's last, slowest calls).
     */
    async again(untilMs) {
        const tailPage = Math.floor(this.seen.size / this.options.perPage) + 1;
        await this.read(tailPage, untilMs);
        for (let last = tailPage - 1; last >= 1 && this.seen.size < this.evidence.total; last -= this.options.concurrency) {
            const first = Math.max(1, last - this.options.concurrency + 1);
            await this.batch(Array.from({ length: last - first + 1 }, (_, i) => last - i), untilMs);
        }
    }
}

// EXTERNAL MODULE: ./src/cloudflare/gateway.ts + 1 modules
var gateway = __nccwpck_require__(3749);
// EXTERNAL MODULE: ./src/inputs/units.ts
var units = __nccwpck_require__(4702);
;// CONCATENATED MODULE: ./src/inputs/problems.ts
// Shared by every group of inputs: the one error that names every bad input, the collector of problems
// and warnings, and the readers of the value shapes several groups share (booleans, seconds, ids).


/** Ids (a log's, an account's, a run's) longer than this are not ids: ULIDs are 26 characters. */
const MAX_ID_LENGTH = 256;
class ConfigError extends Error {
    problems;
    constructor(problems) {
        super(`Invalid input${problems.length > 1 ? 's' : ''}: ${problems.join('; ')}`);
        this.problems = problems;
        this.name = 'ConfigError';
    }
}
/** Quote a user value in an error message: JSON quoting keeps control characters visible and on one line. */
function quote(value) {
    return JSON.stringify((0,text_escape/* cut */.Jj)(value, 80));
}
/** The problems found so far, and the ways of adding one; and the warnings, which stop nothing. */
class Problems {
    list = [];
    warnings = [];
    add(problem) {
        this.list.push(problem);
    }
    /** An input set where it means nothing: `settle is ignored: it applies to run-id or since, not log-ids`. */
    ignored(name, why) {
        this.warnings.push(`${name} is ignored: ${why}`);
    }
    /** `max-cost "abc" is not an amount`. Never called with a secret's value. */
    bad(name, value, why) {
        this.list.push(`${name} ${quote(value)} ${why}`);
    }
    addAll(problems) {
        this.list.push(...problems);
    }
}
/** GitHub's own boolean spellings (core.getBooleanInput); anything else is an error, never a quiet `false`. */
function parseBoolean(value) {
    if (['true', 'True', 'TRUE'].includes(value))
        return true;
    if (['false', 'False', 'FALSE'].includes(value))
        return false;
    return undefined;
}
function booleanInput(raw, problems, name, fallback) {
    const value = raw[name];
    if (!value)
        return fallback;
    const parsed = parseBoolean(value);
    if (parsed === undefined)
        problems.bad(name, value, 'is not a boolean (true or false)');
    return parsed ?? fallback;
}
function secondsInput(raw, problems, name, fallbackS, minMs, maxS) {
    const value = raw[name];
    if (!value)
        return fallbackS * 1000;
    const parsed = (0,units/* parseSecondsMs */.Js)(value);
    if ('error' in parsed || parsed.ms < minMs || parsed.ms > maxS * 1000) {
        problems.bad(name, value, `is not a number of seconds from ${minMs / 1000} to ${maxS} (e.g. 30, 45s, 1m)`);
        return fallbackS * 1000;
    }
    return parsed.ms;
}
/** `.` and `..` cannot stay one path segment: URL parsers read %2E%2E as `..` and would address another endpoint. */
function idInput(raw, problems, name, maxLength, missing) {
    const value = raw[name];
    if (!value)
        problems.add(`${name} is required${missing}`);
    else if (value.length > maxLength)
        problems.bad(name, value, `is longer than ${maxLength} characters`);
    else if (/^\.+$/.test(value))
        problems.bad(name, value, 'is not an id');
    return value;
}

;// CONCATENATED MODULE: ./src/inputs/connection.ts
// The connection inputs: the credentials, the account and gateway, api-url, and how long and how often
// to try (wait-timeout, request-timeout, max-retries, request-budget). Upper bounds keep the step's
// total time bounded by what the inputs say: it never hangs.



const DEFAULT_API_URL = 'https://api.cloudflare.com/client/v4';
// Upper bounds keep the step's total time bounded by what the inputs say: it never hangs.
const MAX_WAIT_TIMEOUT_S = 600;
const MAX_RETRIES = 10;
const MAX_REQUEST_TIMEOUT_S = 300;
const MAX_GATEWAY_ID_LENGTH = 64;
/**
 * Cloudflare allows 1200 API requests per 5 minutes per user and then refuses every request of that
 * user for 5 minutes (deploys included): one gate spends at most a quarter of that by default.
 */
const DEFAULT_REQUEST_BUDGET = 300;
const MAX_REQUEST_BUDGET = 1200;
/** HTTP header values are visible ASCII and spaces; Node refuses anything else before sending a byte. */
const HEADER_SAFE_RE = /^[\x20-\x7e]*$/;
/** A credential that cannot be sent is an input error naming where it came from, never its value; retrying would only report an outage. */
function headerSafe(problems, name, value) {
    if (!HEADER_SAFE_RE.test(value)) {
        problems.add(`${name} has a character that cannot be sent in an HTTP header (a line break, another control character or a non-ASCII character); the value is not shown`);
    }
}
function parseAuth(raw, problems, env) {
    // A token wins; the legacy email and global key are used only without one.
    const token = raw[INPUT.apiToken];
    const email = raw[INPUT.apiEmail];
    const key = raw[INPUT.apiKey];
    if (token) {
        const fromEnv = token === (env.CLOUDFLARE_API_TOKEN ?? '').trim();
        headerSafe(problems, fromEnv
            ? 'the CLOUDFLARE_API_TOKEN environment variable'
            : INPUT.apiToken, token);
        return { kind: 'token', token };
    }
    if (email && key) {
        headerSafe(problems, INPUT.apiEmail, email);
        headerSafe(problems, INPUT.apiKey, key);
        return { kind: 'global-key', email, key };
    }
    if (email || key) {
        problems.add(`${email ? INPUT.apiKey : INPUT.apiEmail} is required with ${email ? INPUT.apiEmail : INPUT.apiKey} (or set ${INPUT.apiToken})`);
    }
    else {
        problems.add(`no credentials: set ${INPUT.apiToken} (or the CLOUDFLARE_API_TOKEN environment variable), or ${INPUT.apiEmail} and ${INPUT.apiKey}`);
    }
    return undefined;
}
/** `/\/+$/` would retry from every slash of a long run of them: quadratic in an api-url of slashes. */
function withoutTrailingSlashes(url) {
    let end = url.length;
    while (end > 0 && url[end - 1] === '/')
        end--;
    return url.slice(0, end);
}
/** Loopback hosts, where http:// never leaves the machine: `localhost`, 127.0.0.0/8 and ::1, as the URL parser writes them. */
function isLoopbackHost(hostname) {
    return (hostname === 'localhost' ||
        hostname === '[::1]' ||
        /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname));
}
/**
 * An api-url as it may be quoted in an error: its query and fragment values and any user:password are
 * cut out (they can hold tokens); a bare `?` or `#` is kept, since it is what is wrong. What comes before
 * an `@` in its part of the text goes wherever the scheme stands, so a text that is not a URL (quoted, or
 * `https:user:pw@…`) loses its password too. Each part starts only at the text's start or a `/` and ends at
 * the next `/`, `?` or `#`: one pass, never retried from every character of a long value.
 */
function withoutSecrets(url) {
    return url.replace(/(^|\/)[^/?#]*@/g, '$1…@').replace(/([?#])[\s\S]+$/, '$1…');
}
/** `api-url`: https, or http to a loopback host (the token would travel in clear); no credentials, query or fragment. */
function parseApiUrl(value) {
    const text = value || DEFAULT_API_URL;
    const shown = quote(withoutSecrets(text));
    let url;
    try {
        url = new URL(text);
    }
    catch {
        return { error: `${shown} is not a URL (e.g. ${DEFAULT_API_URL})` };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
        return { error: `${shown} must be an http(s) URL` };
    if (url.username || url.password)
        return { error: `"(hidden)" must not carry credentials; use api-token` };
    // The raw text, not url.search: the URL parser drops a bare `?` or `#`, and the ids would then be
    // appended after it, into the query, sending the request to another path.
    if (/[?#]/.test(text))
        return {
            error: `${shown} must not have a query or fragment (not even a bare ? or #)`
        };
    if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
        return {
            error: `${shown} must be https: http:// would send the credentials in clear (it is allowed only for localhost, 127.0.0.0/8 and ::1)`
        };
    }
    return { url: withoutTrailingSlashes(url.href) };
}
function parseConnection(raw, problems, env) {
    const auth = parseAuth(raw, problems, env);
    const accountId = idInput(raw, problems, INPUT.accountId, MAX_ID_LENGTH, ' (or set the CLOUDFLARE_ACCOUNT_ID environment variable)');
    const gatewayId = idInput(raw, problems, INPUT.gatewayId, MAX_GATEWAY_ID_LENGTH, '');
    const apiUrl = parseApiUrl(raw[INPUT.apiUrl]);
    if ('error' in apiUrl)
        problems.add(`${INPUT.apiUrl} ${apiUrl.error}`);
    const waitTimeoutMs = secondsInput(raw, problems, INPUT.waitTimeout, 30, 0, MAX_WAIT_TIMEOUT_S);
    const requestTimeoutMs = secondsInput(raw, problems, INPUT.requestTimeout, 30, 1, MAX_REQUEST_TIMEOUT_S);
    const maxRetries = parseMaxRetries(raw, problems);
    const { requestBudget, budgetValid } = parseRequestBudget(raw, problems);
    return {
        auth,
        accountId,
        gatewayId,
        apiUrl,
        waitTimeoutMs,
        maxRetries,
        requestTimeoutMs,
        requestBudget,
        budgetValid
    };
}
/** `max-retries`: 3 when not set (or not valid, which is an input error). */
function parseMaxRetries(raw, problems) {
    if (!raw[INPUT.maxRetries])
        return 3;
    const n = (0,units/* parseWhole */.z2)(raw[INPUT.maxRetries]);
    if (n !== undefined && n <= MAX_RETRIES)
        return n;
    problems.bad(INPUT.maxRetries, raw[INPUT.maxRetries], `is not a whole number from 0 to ${MAX_RETRIES}`);
    return 3;
}
/**
 * `request-budget`, and whether it is valid: a `log-ids` list is checked against it only then (one
 * problem, not two).
 */
function parseRequestBudget(raw, problems) {
    if (!raw[INPUT.requestBudget])
        return { requestBudget: DEFAULT_REQUEST_BUDGET, budgetValid: true };
    const n = (0,units/* parseWhole */.z2)(raw[INPUT.requestBudget]);
    if (n !== undefined && n >= 1 && n <= MAX_REQUEST_BUDGET)
        return { requestBudget: n, budgetValid: true };
    problems.bad(INPUT.requestBudget, raw[INPUT.requestBudget], `is not a whole number from 1 to ${MAX_REQUEST_BUDGET}`);
    return { requestBudget: DEFAULT_REQUEST_BUDGET, budgetValid: false };
}

;// CONCATENATED MODULE: ./src/inputs/github.ts
// GitHub's URLs as the runner gives them (GITHUB_API_URL, GITHUB_SERVER_URL), for the comment and the
// baseline lookup: https only (http to loopback for a local stand-in), no credentials, query or fragment.

/** What the runner sets GITHUB_API_URL and GITHUB_SERVER_URL to on github.com (and what @actions/github falls back to). */
const DEFAULT_GITHUB_API_URL = 'https://api.github.com';
const DEFAULT_GITHUB_SERVER_URL = 'https://github.com';
/**
 * A URL of GitHub's from the runner's environment (GITHUB_API_URL, GITHUB_SERVER_URL): https, or http
 * to a loopback host (a local stand-in), since github-token goes there; no credentials, query or
 * fragment; no trailing slash. Undefined when it is not one.
 */
function githubUrl(value) {
    let url;
    try {
        url = new URL(value);
    }
    catch {
        return undefined;
    }
    if (url.protocol !== 'https:' &&
        !(url.protocol === 'http:' && isLoopbackHost(url.hostname)))
        return undefined;
    if (url.username || url.password || /[?#]/.test(value))
        return undefined;
    return withoutTrailingSlashes(url.href);
}

;// CONCATENATED MODULE: ./src/inputs/base-branch.ts
// Pure: what `baseline: base-branch` needs, all known before any request: this run's id and attempt,
// the repository, the workflow's file and GitHub's URLs from the runner's environment, checked; the
// base branch from the event; and the baseline run's run-id value, worked out from this run's. Asking
// GitHub is github/runs.ts; the other baseline inputs are baseline.ts.





const BASE_BRANCH = 'base-branch';
const PULL_REQUEST_EVENTS = new Set([
    'pull_request',
    'pull_request_target'
]);
/** Git refuses longer ref names on most file systems; a longer branch from an event file is not a branch. */
const MAX_BRANCH_CHARS = 255;
/** A positive whole number written in decimal, as GITHUB_RUN_ID and GITHUB_RUN_ATTEMPT are; undefined otherwise. */
function positiveWhole(value) {
    if (value === undefined || !/^[1-9]\d*$/.test(value))
        return undefined;
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : undefined;
}
/**
 * The workflow's file name from GITHUB_WORKFLOW_REF (`owner/repo/.github/workflows/eval.yml@refs/pull/7/merge`
 * is `eval.yml`): GitHub's list of a workflow's runs takes the file name in place of the workflow's id.
 */
function workflowFileOf(workflowRef) {
    const m = /^[^/@]+\/[^/@]+\/\.github\/workflows\/([^/@]+\.ya?ml)@./i.exec(workflowRef);
    return m?.[1];
}
// A run id stands as a whole number when no digit touches it; an attempt (a small number, "1") only
// when no letter or digit does, since a single digit inside a word or a commit id is not the attempt.
const standingAlone = (value, around) => new RegExp(`(?<![${around}])${value}(?![${around}])`, 'g');
const runIdPattern = (runId) => standingAlone(runId, '0-9');
const attemptPattern = (attempt) => standingAlone(attempt, '0-9A-Za-z');
/** Whether this run's `run-id` names the run: it must hold the run id (an attempt alone names no run: every run has an attempt 1). */
function namesTheRun(runIdValue, runId) {
    return runIdPattern(runId).test(runIdValue);
}
/**
 * The baseline run's run-id value: this run's `run-id` with this run's id and attempt replaced by the
 * baseline run's, where they stand as whole numbers (`gh-123-1` for run 123, attempt 1, becomes
 * `gh-99-2` for run 99, attempt 2). The attempt is one place only, the nearest after the run id (or,
 * with none after it, the nearest before it): other numbers equal to it, such as a matrix shard in
 * `gh-123-1-shard-1`, are the same in the baseline run and stay. Undefined when the value holds the
 * attempt and the baseline's attempt is not known.
 */
function baselineRunIdValue(runIdValue, current, baseline) {
    const pieces = runIdValue.split(runIdPattern(current.runId));
    const place = attemptPlace(pieces, attemptPattern(current.runAttempt));
    if (place) {
        if (baseline.attempt === null)
            return undefined;
        const { piece, index, length } = place;
        const text = pieces[piece];
        pieces[piece] =
            text.slice(0, index) +
                String(baseline.attempt) +
                text.slice(index + length);
    }
    return pieces.join(String(baseline.id));
}
/** Where the attempt stands: the first match after the run id, else the last match before it. */
function attemptPlace(pieces, pattern) {
    for (let piece = 1; piece < pieces.length; piece++) {
        const match = [...pieces[piece].matchAll(pattern)][0];
        if (match)
            return { piece, index: match.index, length: match[0].length };
    }
    const last = [...pieces[0].matchAll(pattern)].at(-1);
    return last && { piece: 0, index: last.index, length: last[0].length };
}
/**
 * The branch whose newest completed run is the baseline: on a pull request, its base branch
 * (`pull_request.base.ref`); on any other event, the repository's default branch
 * (`repository.default_branch`). The payload is the runner's event file, read defensively.
 */
function baseBranchOf(eventName, payload) {
    const record = (value) => typeof value === 'object' && value !== null && !Array.isArray(value)
        ? value
        : undefined;
    const event = record(payload);
    const pullRequest = PULL_REQUEST_EVENTS.has(eventName);
    const branch = pullRequest
        ? record(record(event?.pull_request)?.base)?.ref
        : record(event?.repository)?.default_branch;
    const field = pullRequest
        ? 'pull_request.base.ref'
        : 'repository.default_branch';
    if (typeof branch !== 'string' || branch.trim() === '')
        return { problem: `the event has no ${field} to find the base branch with` };
    if (branch.length > MAX_BRANCH_CHARS ||
        // eslint-disable-next-line no-control-regex
        /[\u0000-\u001f\u007f]/.test(branch)) {
        return {
            problem: `the event's ${field} "${(0,text_escape/* inline */.mG)(branch, 80)}" is not a branch name`
        };
    }
    return { branch };
}
/**
 * `baseline: base-branch` reads the runner's environment: this run's id and attempt, the repository,
 * the workflow's file and GitHub's URLs. All of it is checked here, so that anything missing is an
 * input error before any request. The event file (the base branch) is read when the baseline is.
 */
function parseBaseBranch(raw, problems, env, runIdValue) {
    const needs = `${INPUT.baseline}: ${BASE_BRANCH} needs`;
    const elsewhere = `it is set on GitHub's runners; elsewhere, name the run with ${INPUT.baselineRunId}`;
    const token = raw[INPUT.githubToken];
    if (!token)
        problems.add(`${needs} ${INPUT.githubToken} (with "actions: read") to find the base branch's latest runs`);
    const { runId, runAttempt } = runnerRun(env, problems, runIdValue, {
        needs,
        elsewhere
    });
    const { owner, repo, workflowFile } = runnerWorkflow(env, problems, {
        needs,
        elsewhere
    });
    const apiUrlText = env.GITHUB_API_URL || DEFAULT_GITHUB_API_URL;
    const apiUrl = githubUrl(apiUrlText);
    if (!apiUrl) {
        const why = `since ${INPUT.githubToken} is sent there; it is ${quote(withoutSecrets(apiUrlText))}`;
        problems.add(`${needs} GITHUB_API_URL to be https (http only to a loopback host), ${why}`);
    }
    if (!token ||
        runId === undefined ||
        runAttempt === undefined ||
        !owner ||
        !repo ||
        !workflowFile ||
        !apiUrl)
        return undefined;
    const serverUrl = githubUrl(env.GITHUB_SERVER_URL || DEFAULT_GITHUB_SERVER_URL) ?? null;
    const event = {
        eventName: env.GITHUB_EVENT_NAME ?? '',
        eventPath: env.GITHUB_EVENT_PATH
    };
    return {
        apiUrl,
        token,
        owner,
        repo,
        workflowFile,
        runId,
        runAttempt,
        serverUrl,
        ...event
    };
}
/** How an environment variable's value reads in an input error. */
const shown = (value) => value === undefined ? 'is not set' : `is ${quote(value)}`;
/** This run's id and attempt from the runner's environment; `run-id` must hold the id. */
function runnerRun(env, problems, runIdValue, words) {
    const { needs, elsewhere } = words;
    const runId = positiveWhole(env.GITHUB_RUN_ID);
    const runAttempt = positiveWhole(env.GITHUB_RUN_ATTEMPT);
    if (runId === undefined)
        problems.add(`${needs} GITHUB_RUN_ID, which ${shown(env.GITHUB_RUN_ID)} (${elsewhere})`);
    if (runAttempt === undefined)
        problems.add(`${needs} GITHUB_RUN_ATTEMPT, which ${shown(env.GITHUB_RUN_ATTEMPT)} (${elsewhere})`);
    if (runId !== undefined && !namesTheRun(runIdValue, runId)) {
        const form = 'gh-${{ github.run_id }}-${{ github.run_attempt }}';
        const why = `so ${INPUT.baseline}: ${BASE_BRANCH} cannot work out the base branch's run id from it: use a form such as ${form}`;
        problems.bad(INPUT.runId, runIdValue, `does not hold this run's id (GITHUB_RUN_ID ${runId}), ${why}`);
    }
    return { runId, runAttempt };
}
/** The repository (owner/name) and the workflow's file this run belongs to, from the runner's environment. */
function runnerWorkflow(env, problems, words) {
    const { needs, elsewhere } = words;
    const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? '').split('/');
    if (!owner || !repo || rest.length > 0) {
        problems.add(`${needs} GITHUB_REPOSITORY as owner/name, which ${shown(env.GITHUB_REPOSITORY)} (${elsewhere})`);
    }
    const workflowFile = workflowFileOf(env.GITHUB_WORKFLOW_REF ?? '');
    if (!workflowFile) {
        const form = 'owner/repo/.github/workflows/<file>.yml@<ref>';
        problems.add(`${needs} the workflow's file from GITHUB_WORKFLOW_REF (${form}), which ${shown(env.GITHUB_WORKFLOW_REF)}`);
    }
    return { owner, repo, workflowFile };
}

;// CONCATENATED MODULE: ./src/inputs/baseline.ts



const PREVIOUS_WINDOW = 'previous-window';
/**
 * The event on which a breached threshold against the baseline is a warning, never a failure: with
 * `base-branch`, any event other than a pull request's (a push to main, a schedule). The change was
 * reviewed in its pull request; failing the branch for it would only make every later run compare with
 * an older and older run. Undefined when thresholds keep their level: on a pull request, and with an
 * explicit `baseline-run-id`.
 */
function baselineWarnsOn(source) {
    if (source.kind !== 'base-branch')
        return undefined;
    const { eventName } = source.lookup;
    return PULL_REQUEST_EVENTS.has(eventName) ? undefined : eventName;
}
/** The input that selected calls, for a message that says what the baseline cannot go with. */
function selectionInput(selection) {
    return selection.kind === 'log'
        ? INPUT.logId
        : selection.kind === 'logs'
            ? INPUT.logIds
            : INPUT.since;
}
/**
 * `baseline-run-id` or `baseline: base-branch`, and `baseline-required`. Setting either asks for the
 * comparison: the report shows it and the baseline outputs are set, so the baseline is read whenever one
 * is set (and the run itself was read). A threshold that compares with the baseline needs one of them.
 * A baseline is another eval run, read as this one is: it needs `run-id`.
 */
function parseBaseline(raw, problems, env, selection, thresholds) {
    const explicit = raw[INPUT.baselineRunId];
    const mode = raw[INPUT.baseline];
    const required = booleanInput(raw, problems, INPUT.baselineRequired, false);
    const modeName = mode.toLowerCase();
    if (mode && modeName !== BASE_BRANCH && modeName !== PREVIOUS_WINDOW) {
        problems.bad(INPUT.baseline, mode, `is not ${BASE_BRANCH} or ${PREVIOUS_WINDOW} (to name the run to compare with, use ${INPUT.baselineRunId})`);
    }
    if (!explicit && !mode) {
        noBaselineNamed(problems, required, thresholds);
        return null;
    }
    if (explicit && mode) {
        problems.add(`${INPUT.baselineRunId} and ${INPUT.baseline} both name the run to compare with: set one of them`);
        return null;
    }
    const name = explicit ? INPUT.baselineRunId : INPUT.baseline;
    if (!selection)
        return null;
    if (!explicit && modeName === PREVIOUS_WINDOW) {
        if (selection.kind !== 'list' || selection.window?.sinceMs == null) {
            problems.add(`${INPUT.baseline}: ${PREVIOUS_WINDOW} compares a time window with the one just before it, so it needs ${INPUT.since}${selection.kind === 'list' ? '' : `, not ${selectionInput(selection)}`}`);
            return null;
        }
        return { source: { kind: 'previous-window' }, required };
    }
    const runIdValue = selection.kind === 'list' ? selection.run?.value : undefined;
    if (runIdValue === undefined) {
        problems.add(`${name} compares an eval run with another, so it needs ${INPUT.runId}, not ${selectionInput(selection)}`);
        return null;
    }
    if (explicit) {
        checkBaselineRunId(problems, explicit, runIdValue);
        return { source: { kind: 'run-id', value: explicit }, required };
    }
    if (mode.toLowerCase() !== BASE_BRANCH)
        return null;
    const lookup = parseBaseBranch(raw, problems, env, runIdValue);
    return lookup ? { source: { kind: 'base-branch', lookup }, required } : null;
}
/** No baseline named: `baseline-required` and the thresholds that compare with one are input errors. */
function noBaselineNamed(problems, required, thresholds) {
    const either = `set ${INPUT.baselineRunId}, or ${INPUT.baseline}: ${BASE_BRANCH} or ${PREVIOUS_WINDOW}`;
    if (required)
        problems.add(`${INPUT.baselineRequired} asks for a baseline that is not named: ${either}`);
    for (const t of thresholds.filter((t) => t.limit.kind === 'baseline')) {
        problems.add(`${t.input} ${quote(t.source)} compares with the baseline: ${either}`);
    }
}
/** `baseline-run-id`: an id of the API's length, and not the run itself. */
function checkBaselineRunId(problems, explicit, runIdValue) {
    if (explicit.length > MAX_ID_LENGTH)
        problems.bad(INPUT.baselineRunId, explicit, `is longer than ${MAX_ID_LENGTH} characters`);
    else if (explicit === runIdValue)
        problems.bad(INPUT.baselineRunId, explicit, `is the run itself (${INPUT.runId})`);
}

;// CONCATENATED MODULE: ./src/inputs/limits.ts
// The limit inputs (max-cost, max-duration, max-tokens-in/-out, expected-status, require-success):
// read, and compiled into the same typed thresholds as the `thresholds` lines, so that one evaluator
// judges both.



function parseLimits(raw, problems) {
    const limits = {
        requireSuccess: booleanInput(raw, problems, INPUT.requireSuccess, true)
    };
    const negative = (value) => /^-\s*\$?\s*[\d.]/.test(value) ? 'is negative: ' : '';
    const maxCost = raw[INPUT.maxCost];
    if (maxCost) {
        const usd = (0,units/* parseUsd */._e)(maxCost);
        if (usd === undefined)
            problems.bad(INPUT.maxCost, maxCost, `${negative(maxCost)}is not an amount in USD (e.g. 0.05 or $0.05)`);
        else
            limits.maxCostUsd = usd;
    }
    const maxDuration = raw[INPUT.maxDuration];
    if (maxDuration) {
        const parsed = (0,units/* parseDurationMs */.yi)(maxDuration);
        if ('error' in parsed)
            problems.bad(INPUT.maxDuration, maxDuration, parsed.error);
        else
            limits.maxDurationMs = parsed.ms;
    }
    for (const [name, field] of [
        [INPUT.maxTokensIn, 'maxTokensIn'],
        [INPUT.maxTokensOut, 'maxTokensOut']
    ]) {
        const value = raw[name];
        if (!value)
            continue;
        const tokens = (0,units/* parseWhole */.z2)(value);
        if (tokens === undefined)
            problems.bad(name, value, `${negative(value)}is not a whole number of tokens (e.g. 4000)`);
        else
            limits[field] = tokens;
    }
    const expectedStatus = raw[INPUT.expectedStatus];
    if (expectedStatus) {
        const parsed = (0,units/* parseStatusPatterns */.tY)(expectedStatus);
        if ('error' in parsed)
            problems.bad(INPUT.expectedStatus, expectedStatus, parsed.error);
        else
            limits.expectedStatus = parsed.patterns;
    }
    return limits;
}
/**
 * The limit inputs as thresholds, so that one evaluator serves both: `max-cost` and
 * `max-tokens-in`/`-out` budget the total of the selection (one call's own value when it is one),
 * `max-duration` bounds the slowest call, `require-success` means no call failed, and
 * `expected-status` means no call answered outside the patterns.
 */
function limitsToThresholds(limits) {
    const thresholds = [];
    const atMost = (metric, aggregate, input, value) => {
        const source = `${input}: ${(0,units/* formatNumber */.ZV)(value)}`;
        thresholds.push({
            metric,
            aggregate,
            operator: '<=',
            limit: { kind: 'value', value },
            level: 'error',
            input,
            source
        });
    };
    if (limits.maxCostUsd !== undefined)
        atMost('cost', 'sum', INPUT.maxCost, limits.maxCostUsd);
    if (limits.maxDurationMs !== undefined)
        atMost('duration', 'max', INPUT.maxDuration, limits.maxDurationMs);
    if (limits.maxTokensIn !== undefined)
        atMost('tokens-in', 'sum', INPUT.maxTokensIn, limits.maxTokensIn);
    if (limits.maxTokensOut !== undefined)
        atMost('tokens-out', 'sum', INPUT.maxTokensOut, limits.maxTokensOut);
    if (limits.expectedStatus !== undefined) {
        thresholds.push({
            metric: 'status-code',
            aggregate: null,
            patterns: limits.expectedStatus,
            operator: '==',
            limit: { kind: 'value', value: 0 },
            level: 'error',
            input: INPUT.expectedStatus,
            source: `${INPUT.expectedStatus}: ${(0,units/* formatStatusPatterns */.Bh)(limits.expectedStatus)}`
        });
    }
    if (limits.requireSuccess) {
        thresholds.push({
            metric: 'errors',
            aggregate: null,
            operator: '==',
            limit: { kind: 'value', value: 0 },
            level: 'error',
            input: INPUT.requireSuccess,
            source: `${INPUT.requireSuccess}: true`
        });
    }
    return thresholds;
}

// EXTERNAL MODULE: ./src/inputs/thresholds.ts + 1 modules
var inputs_thresholds = __nccwpck_require__(5279);
// EXTERNAL MODULE: ./src/sources/metrics.ts
var sources_metrics = __nccwpck_require__(5227);
// EXTERNAL MODULE: ./src/inputs/threshold-terms.ts
var threshold_terms = __nccwpck_require__(1200);
;// CONCATENATED MODULE: ./src/sources/source.ts
/** The caveat that applies to a threshold's metric (`duration.p95` or all of `duration`), if any. */
function caveatOf(measured, name) {
    const metric = name.split('.')[0];
    return measured.caveats.find((c) => c.metric === name || c.metric === metric);
}

;// CONCATENATED MODULE: ./src/gate/thresholds.ts
// Pure: thresholds judged against the measurements of a selection (and of its baseline, when a
// threshold compares with it). One evaluator for every limit: the thresholds lines and the limit inputs,
// which inputs/limits.ts compiles into the same thresholds.







/** The log field a call lacks when a metric is unknown, as the API names it. */
const FIELD = {
    cost: 'cost',
    duration: 'duration',
    'tokens-in': 'tokens_in',
    'tokens-out': 'tokens_out',
    tokens: 'tokens_in or tokens_out'
};
function thresholdName(threshold) {
    return threshold.aggregate === null
        ? threshold.metric
        : `${threshold.metric}.${threshold.aggregate}`;
}
function compare(actual, operator, limit) {
    switch (operator) {
        case '<':
            return actual < limit;
        case '<=':
            return actual <= limit;
        case '>':
            return actual > limit;
        case '>=':
            return actual >= limit;
        case '==':
            return actual === limit;
    }
}
const NEGATION = {
    '<': '>=',
    '<=': '>',
    '>': '<=',
    '>=': '<',
    '==': '!='
};
/** A fraction as a percentage, without binary noise in the digits (0.07 is `7%`, not `7.000000000000001%`). */
function percent(fraction, significantDigits) {
    return `${(0,units/* formatNumber */.ZV)(Number((fraction * 100).toPrecision(significantDigits)))}%`;
}
function valueText(unit, value, precise, style) {
    switch (unit) {
        case 'fraction':
            // Limits as written (12 digits); actual rates to 4 digits, with the counts beside them.
            return percent(value, precise ? 12 : 4);
        case 'calls':
            return `${(0,units/* formatNumber */.ZV)(value)}`;
        case 'USD':
            return style === 'people'
                ? (0,units/* formatUsd */.UK)(value)
                : `${(0,units/* formatNumber */.ZV)(value)} USD`;
        case 'ms':
            return style === 'people'
                ? (0,units/* formatDuration */.a3)(value)
                : `${(0,units/* formatNumber */.ZV)(value)} ms`;
        case 'tokens':
            // An average of tokens is rarely whole: one decimal is enough to read.
            return `${(0,units/* formatNumber */.ZV)(style === 'people' ? Number(value.toFixed(1)) : value)} tokens`;
    }
}
const calls = (n) => `${(0,units/* formatNumber */.ZV)(n)} call${n === 1 ? '' : 's'}`;
function actualText(threshold, actual, metrics, style) {
    switch (threshold.metric) {
        case 'errors':
        case 'cached':
            return `${(0,units/* formatNumber */.ZV)(actual)} of ${calls(metrics.count)}`;
        case 'error-rate':
            return `${valueText('fraction', actual, false, style)} (${metrics.errors} of ${calls(metrics.count)})`;
        case 'cache-rate':
            return `${valueText('fraction', actual, false, style)} (${metrics.cached} of ${calls(metrics.count)})`;
        case 'count':
            return calls(actual);
        default:
            return valueText(threshold_terms/* UNIT */.p5[threshold.metric], actual, true, style);
    }
}
/** Why the actual value is unknown: no calls, or how many calls lack the field. */
function unknownReason(threshold, metrics) {
    if (metrics.count === 0)
        return 'no calls';
    if (threshold.aggregate === null)
        return 'not computed';
    const missing = metrics.distributions[threshold.metric].missing;
    return `${missing} of ${calls(metrics.count)} report${missing === 1 ? 's' : ''} no ${FIELD[threshold.metric]}`;
}
/**
 * A sampled figure passes only if it passes at the unfavourable end of its interval: an upper limit
 * (`<`, `<=`) at the upper bound, a lower limit at the lower bound, `==` at both. Which end that is
 * is named in the message.
 */
function judgeInterval(interval, operator, limit) {
    switch (operator) {
        case '<':
        case '<=':
            return { passed: compare(interval.upper, operator, limit), at: 'upper' };
        case '>':
        case '>=':
            return { passed: compare(interval.lower, operator, limit), at: 'lower' };
        case '==':
            return {
                passed: compare(interval.lower, operator, limit) &&
                    compare(interval.upper, operator, limit),
                at: 'either'
            };
    }
}
/** `≈ 1,204 calls (95%: 1,150–1,260)`: an estimate with its interval, in the metric's unit. */
function estimateText(threshold, interval, style) {
    const text = (value) => estimateValueText(threshold, value, style);
    return `≈ ${text(interval.estimate)} (95%: ${text(interval.lower)} to ${text(interval.upper)})`;
}
/** One number of an estimate's text: a count of calls in whole calls for people. */
function estimateValueText(threshold, value, style) {
    const unit = threshold_terms/* UNIT */.p5[threshold.metric];
    return threshold.aggregate === null && unit === 'calls'
        ? (0,units/* formatNumber */.ZV)(style === 'people' ? Math.round(value) : value)
        : valueText(unit, value, false, style);
}
/**
 * Whether rounding for people would make the judged value and the limit read the same (`8 s > 8 s`,
 * `… to 100.00 USD) < 100 USD`): then the report shows the exact digits. A sampled figure is judged at an
 * end of its interval, so that end is what must not read as the limit.
 */
function blurs(threshold, actual, limit, judged) {
    const unit = threshold_terms/* UNIT */.p5[threshold.metric];
    if (!judged)
        return (actual !== limit &&
            valueText(unit, actual, true, 'people') ===
                valueText(unit, limit, true, 'people'));
    const { interval, at } = judged;
    const ends = at === 'upper'
        ? [interval.upper]
        : at === 'lower'
            ? [interval.lower]
            : [interval.lower, interval.upper];
    const rounded = (value) => estimateValueText(threshold, value, 'people');
    return ends.some((end) => end !== limit && rounded(end) === rounded(limit));
}
/** A number without the noise of binary arithmetic (2.2 × 1.1 is 2.4200000000000004): 15 significant digits. */
function withoutNoise(value) {
    return Number(value.toPrecision(15));
}
/** A baseline limit's number, given the baseline's value of the metric. */
function resolveBaselineLimit(limit, baselineValue) {
    switch (limit.adjust) {
        case 'percent':
            return withoutNoise((baselineValue * (100 + limit.amount)) / 100);
        case 'add':
            return (0,sources_metrics/* exactSum */.dZ)([baselineValue, limit.amount]);
        case 'times':
            return withoutNoise(baselineValue * limit.amount);
    }
}
/** A threshold's metric in a set of metrics, and the call that set it (min, max, a percentile). */
function measure(threshold, metrics) {
    if (threshold.aggregate === null)
        return { value: (0,sources_metrics/* scalarValue */.Um)(metrics, threshold.metric), callId: null };
    const d = metrics.distributions[threshold.metric];
    return {
        value: (0,sources_metrics/* aggregateValue */.PZ)(d, threshold.aggregate),
        // A source that reads no calls one by one (analytics) has values without a call: '' is no call.
        callId: (0,sources_metrics/* aggregateCall */.Yr)(d, threshold.aggregate) || null
    };
}
/**
 * A sampled baseline's value taken at the bound that is unfavourable to the run: the lower bound under
 * an upper limit (`cost.sum <= baseline * 1.5`), the upper bound under a lower limit, the estimate for `==`.
 */
function baselineBound(operator, interval) {
    if (!interval || interval.lower === interval.upper)
        return undefined;
    if (operator === '<' || operator === '<=')
        return { value: interval.lower, bound: 'lower' };
    if (operator === '>' || operator === '>=')
        return { value: interval.upper, bound: 'upper' };
    return undefined;
}
/** The limit's number, or why a baseline limit has none: no baseline, or the baseline's value is unknown. */
function resolveLimit(threshold, baseline) {
    const { limit } = threshold;
    if (limit.kind === 'value')
        return { limit: limit.value };
    if (baseline === undefined)
        return { skipped: 'no baseline was read' };
    if ('missing' in baseline)
        return { skipped: `no baseline (${baseline.missing})` };
    const value = measure(threshold, baseline.metrics).value;
    if (value === null) {
        return {
            skipped: `the baseline's ${thresholdName(threshold)} is unknown: ${unknownReason(threshold, baseline.metrics)}`
        };
    }
    const name = thresholdName(threshold);
    const sampled = baselineBound(threshold.operator, baseline.intervals && Object.hasOwn(baseline.intervals, name)
        ? baseline.intervals[name]
        : undefined);
    if (sampled)
        return {
            limit: resolveBaselineLimit(limit, sampled.value),
            baseline: sampled.value,
            bound: sampled.bound
        };
    return { limit: resolveBaselineLimit(limit, value), baseline: value };
}
/**
 * Each threshold against the metrics. A metric that is unknown fails its threshold (fails closed),
 * saying why: a cost limit over calls some of which have no cost cannot be said to hold. A threshold
 * that compares with the baseline when there is none (or its value is unknown) is not checked: it
 * becomes a warning saying why, and the rest of the gate stands.
 */
function evaluateThresholds(thresholds, metrics, baseline, caveats = [], intervals = {}) {
    return thresholds.map((threshold) => threshold.metric === 'status-code'
        ? statusResult(threshold, metrics, caveats)
        : evaluateThreshold(threshold, metrics, baseline, caveats, intervals));
}
/** A threshold's figure as the source measured it: its value (null when unknown), caveat and interval. */
function measuredFigure(threshold, metrics, caveats, intervals) {
    const name = thresholdName(threshold);
    // What the source could not measure exactly: unavailable fails closed with its reason; estimated is said.
    const caveat = caveatOf({ caveats }, name);
    const measured = measure(threshold, metrics);
    const actual = caveat?.kind === 'unavailable' ? null : measured.value;
    // A figure read from a sample: shown with its interval, judged at the interval's unfavourable end.
    const interval = actual === null || !Object.hasOwn(intervals, name)
        ? undefined
        : intervals[name];
    return {
        name,
        unit: threshold_terms/* UNIT */.p5[threshold.metric],
        caveat,
        callId: measured.callId,
        actual,
        interval
    };
}
/** Why a figure is unknown: the source's reason when it could not measure it, else what the calls lack. */
function unknownWhy(threshold, metrics, caveat) {
    return caveat?.kind === 'unavailable'
        ? caveat.reason
        : unknownReason(threshold, metrics);
}
/** One threshold of a measured metric (every metric but `status-code`). */
function evaluateThreshold(threshold, metrics, baseline, caveats, intervals) {
    const { name, unit, caveat, callId, actual, interval } = measuredFigure(threshold, metrics, caveats, intervals);
    const from = threshold.input === inputs_thresholds/* THRESHOLDS_INPUT */.U6 ? '' : ` (${threshold.input})`;
    const resolved = resolveLimit(threshold, baseline);
    const shownIn = (style) => actual === null
        ? 'unknown'
        : interval
            ? estimateText(threshold, interval, style)
            : actualText(threshold, actual, metrics, style);
    const common = { threshold, name, unit, callId, actual };
    if ('skipped' in resolved)
        return skippedResult(common, resolved.skipped, from, shownIn);
    const { limit } = resolved;
    const atBound = interval && judgeInterval(interval, threshold.operator, limit);
    const passed = actual !== null &&
        (atBound ? atBound.passed : compare(actual, threshold.operator, limit));
    const tail = messageTail(atBound, callId, metrics, caveat, {
        breached: actual !== null && !passed
    });
    const textsIn = (style) => {
        const shown = shownIn(style);
        const limitText = judgedLimitText(threshold, unit, resolved, style);
        if (actual === null) {
            const reason = unknownWhy(threshold, metrics, caveat);
            const message = `${name} unknown: ${reason} (limit ${threshold.operator} ${limitText})${from}`;
            return { actualText: shown, limitText, message };
        }
        const op = passed ? threshold.operator : NEGATION[threshold.operator];
        const message = `${name} ${shown} ${op} ${limitText}${from}${tail}`;
        return { actualText: shown, limitText, message };
    };
    const exact = textsIn('exact');
    // Rounded, an actual and a limit that differ can read the same (`8 s > 8 s`): then the exact digits say it.
    const blurred = actual !== null &&
        blurs(threshold, actual, limit, atBound && { interval: interval, ...atBound });
    return {
        ...common,
        limit,
        level: threshold.level,
        ...('baseline' in resolved ? { baseline: resolved.baseline } : {}),
        ...(interval ? { interval } : {}),
        passed,
        ...exact,
        shown: blurred ? exact : textsIn('people')
    };
}
/** A threshold that compares with a baseline that is not there (or unknown): a warning, never a failure. */
function skippedResult(common, skipped, from, shownIn) {
    const { threshold } = common;
    const limitText = threshold.limit.kind === 'baseline' ? threshold.limit.text : '';
    const message = `${common.name} ${threshold.operator} ${limitText} not checked: ${skipped}${from}`;
    return {
        ...common,
        actualText: shownIn('exact'),
        limitText,
        message,
        shown: { actualText: shownIn('people'), limitText, message },
        limit: null,
        baseline: null,
        skipped,
        level: 'warn',
        passed: false
    };
}
/** The end of a judged message: the call that breached, what was estimated, how a sample was judged. */
function messageTail(atBound, callId, metrics, caveat, { breached }) {
    // The call's id comes from the API: inline() keeps it on the message's one line.
    const call = breached && callId !== null && metrics.count > 1
        ? ` (call ${(0,text_escape/* inline */.mG)(callId, 80)})`
        : '';
    const estimated = caveat?.kind === 'estimated' ? ` (estimated: ${caveat.reason})` : '';
    const bound = atBound
        ? ` (sampled: judged at the interval's ${atBound.at === 'either' ? 'both bounds' : `${atBound.at} bound`})`
        : '';
    return `${call}${estimated}${bound}`;
}
/** The limit as the message shows it: as written, or worked out from the baseline (and from which bound). */
function judgedLimitText(threshold, unit, resolved, style) {
    // A limit as written keeps its digits; one worked out from the baseline is shown as actual values are.
    const number = valueText(unit, resolved.limit, threshold.limit.kind === 'value', style);
    // A sampled baseline says which of its bounds the limit was worked out from.
    const boundNote = resolved.bound
        ? `, from the sampled baseline's ${resolved.bound} bound`
        : '';
    return threshold.limit.kind === 'baseline'
        ? `${threshold.limit.text} (${number}${boundNote})`
        : number;
}
/**
 * `expected-status` over the calls: every call's status code must match. The actual value is the
 * number of calls that do not (a call that reports no status code is one of them); the message names
 * the first of them.
 */
function statusResult(threshold, metrics, caveats) {
    const expected = (0,units/* formatStatusPatterns */.Bh)(threshold.patterns);
    // Status codes counted from a sample (analytics): the message says so, as the metric thresholds do.
    const caveat = caveatOf({ caveats }, 'status-code');
    const estimated = caveat?.kind === 'estimated' ? ` (estimated: ${caveat.reason})` : '';
    const outside = metrics.statusCodes.filter((s) => s.code === null || !(0,units/* statusMatches */.W_)(s.code, threshold.patterns));
    const count = outside.reduce((sum, s) => sum + s.calls, 0);
    const all = calls(metrics.count);
    const base = {
        threshold,
        name: 'status-code',
        actual: count,
        limit: 0,
        unit: 'calls',
        level: threshold.level,
        limitText: expected
    };
    if (count === 0)
        return withShown({
            ...base,
            callId: null,
            passed: true,
            actualText: `all ${all}`,
            message: `status-code of all ${all} in ${threshold.input} ${expected}${estimated}`
        });
    const first = outside.reduce((a, b) => b.first.index < a.first.index ? b : a);
    // The id comes from the API: inline() keeps it on the message's one line.
    const code = first.code === null ? 'not reported' : String(first.code);
    // A source without calls one by one (analytics) counts codes without ids.
    const example = first.first.id === '' ? code : `call ${(0,text_escape/* inline */.mG)(first.first.id, 80)}: ${code}`;
    return withShown({
        ...base,
        callId: first.first.id,
        passed: false,
        actualText: `${count} of ${all} outside`,
        message: `status-code of ${count} of ${all} not in ${threshold.input} ${expected} (first: ${example})${estimated}`
    });
}
/** A result whose texts hold no number to round: people read them as they are. */
function withShown(result) {
    const { actualText, limitText, message } = result;
    return { ...result, shown: { actualText, limitText, message } };
}
/**
 * Failed results of one level as JSON for the step's outputs (`warnings` for `warn`): numbers as
 * computed, the actual null when unknown.
 */
function resultsJson(results, level) {
    return JSON.stringify(results
        .filter((r) => !r.passed && r.level === level)
        .map((r) => ({
        metric: r.name,
        input: r.threshold.input,
        actual: r.actual,
        operator: r.threshold.operator,
        limit: r.limit,
        unit: r.unit,
        call: r.callId,
        message: r.message,
        ...(r.interval
            ? { interval: { lower: r.interval.lower, upper: r.interval.upper } }
            : {})
    })));
}

;// CONCATENATED MODULE: ./src/gate/verdict.ts







/** Longer than any id the gateway gives (ULIDs are 26 characters); an id past it is cut in the outputs. */
const MAX_CALL_ID_CHARS = 256;
const SYMBOL = {
    '<': '<',
    '<=': '≤',
    '>': '>',
    '>=': '≥',
    '==': '='
};
/** `expected-status` over many calls. */
function statusFromThreshold(result) {
    // expected-status names no metric: its entry says which field, as it did when it was a per-call check.
    return {
        name: result.name,
        input: result.threshold.input,
        actual: result.actualText,
        limit: result.limitText,
        level: result.level,
        passed: result.passed,
        message: result.message,
        entry: {
            field: 'status_code',
            input: result.threshold.input,
            actual: result.actual,
            limit: result.limitText,
            unit: 'calls',
            message: result.message
        },
        shown: {
            actual: result.shown.actualText,
            limit: result.shown.limitText,
            message: result.shown.message
        }
    };
}
/** A threshold's result as a verdict of a selection of many calls. */
function fromThreshold(result) {
    if (result.threshold.metric === 'status-code')
        return statusFromThreshold(result);
    // A limit worked out from the baseline also says the baseline's value, and why it was skipped if it was.
    const baseline = result.baseline === undefined ? {} : { baseline: result.baseline };
    const skipped = result.skipped === undefined ? {} : { skipped: result.skipped };
    return {
        name: result.name,
        input: result.threshold.input,
        actual: result.actualText,
        limit: `${SYMBOL[result.threshold.operator]} ${result.limitText}`,
        level: result.level,
        passed: result.passed,
        ...skipped,
        message: result.message,
        entry: {
            metric: result.name,
            input: result.threshold.input,
            actual: result.actual,
            operator: result.threshold.operator,
            limit: result.limit,
            ...baseline,
            unit: result.unit,
            // The id comes from the API: a hostile one could be megabytes, and outputs are bounded.
            call: result.callId === null ? null : (0,text_escape/* cut */.Jj)(result.callId, MAX_CALL_ID_CHARS),
            ...skipped,
            // A sampled figure: the interval it was judged at the unfavourable end of.
            ...(result.interval
                ? {
                    interval: {
                        lower: result.interval.lower,
                        upper: result.interval.upper
                    }
                }
                : {}),
            message: result.message
        },
        shown: {
            actual: result.shown.actualText,
            limit: `${SYMBOL[result.threshold.operator]} ${result.shown.limitText}`,
            message: result.shown.message
        }
    };
}
/** The log field a limit input bounds for one call, as the API names it, and its unit. */
const ONE_CALL_FIELD = {
    cost: { field: 'cost', unit: 'USD' },
    duration: { field: 'duration', unit: 'ms' },
    'tokens-in': { field: 'tokens_in', unit: 'tokens' },
    'tokens-out': { field: 'tokens_out', unit: 'tokens' }
};
/**
 * A limit input's result for one log read whole, in the one-call words: the log's own field, the
 * input that set the limit. The result (passed or not) is the evaluator's.
 */
function oneCallVerdict(result, log) {
    if (result.threshold.metric === 'status-code')
        return statusVerdict(result, log);
    if (result.threshold.metric === 'errors')
        return successVerdict(result, log);
    return limitVerdict(result);
}
function oneCallEntry(result, texts) {
    const { input } = result.threshold;
    const { field, actual, limit, unit, message } = texts;
    return {
        name: field.replace('_', '-'),
        input,
        actual,
        limit,
        level: 'error',
        passed: result.passed,
        message,
        entry: {
            field,
            input,
            actual: texts.actualValue,
            limit: texts.limitValue,
            unit,
            message
        },
        shown: texts.shown ?? { actual, limit, message }
    };
}
/** `expected-status` against the log's status code. */
function statusVerdict(result, log) {
    const { input } = result.threshold;
    const expected = result.limitText;
    const code = log.status_code;
    const texts = { field: 'status_code', limitValue: expected, limit: expected };
    return code === undefined
        ? oneCallEntry(result, {
            ...texts,
            actualValue: null,
            actual: 'not reported',
            unit: '',
            message: `status-code not reported by the log (${input} ${expected})`
        })
        : oneCallEntry(result, {
            ...texts,
            actualValue: code,
            actual: String(code),
            unit: '',
            message: `status-code ${code} ${result.passed ? 'in' : 'not in'} ${input} ${expected}`
        });
}
/** `require-success` against the log's success flag. */
function successVerdict(result, log) {
    const { input } = result.threshold;
    return oneCallEntry(result, {
        field: 'success',
        actualValue: log.success,
        actual: String(log.success),
        limitValue: true,
        limit: 'true',
        unit: '',
        message: result.passed
            ? 'success true'
            : `success ${String(log.success)} (${input} is true: the gateway recorded the call as failed)`
    });
}
/** `max-cost`, `max-duration` and the token limits against the log's field. */
function limitVerdict(result) {
    const { input } = result.threshold;
    const { field, unit } = ONE_CALL_FIELD[result.threshold.metric];
    const label = field.replace('_', '-');
    const limit = result.limit ?? Number.NaN;
    const exact = (value) => `${(0,units/* formatNumber */.ZV)(value)} ${unit}`;
    const limitShown = exact(limit);
    if (result.actual === null) {
        const limitForPeople = forPeople(unit, limit);
        return oneCallEntry(result, {
            field,
            actualValue: null,
            actual: 'not reported',
            limitValue: limit,
            limit: `≤ ${limitShown}`,
            unit,
            message: `${label} not reported by the log (${input} ${limitShown})`,
            shown: {
                actual: 'not reported',
                limit: `≤ ${limitForPeople}`,
                message: `${label} not reported by the log (${input} ${limitForPeople})`
            }
        });
    }
    const actual = result.actual;
    const op = result.passed ? '<=' : '>';
    const actualShown = exact(actual);
    // Rounded, an actual and a limit that differ can read the same: then the exact digits say it.
    const people = actual !== limit && forPeople(unit, actual) === forPeople(unit, limit)
        ? exact
        : (value) => forPeople(unit, value);
    return oneCallEntry(result, {
        field,
        actualValue: actual,
        actual: actualShown,
        limitValue: limit,
        limit: `≤ ${limitShown}`,
        unit,
        message: `${label} ${actualShown} ${op} ${input} ${limitShown}`,
        shown: {
            actual: people(actual),
            limit: `≤ ${people(limit)}`,
            message: `${label} ${people(actual)} ${op} ${input} ${people(limit)}`
        }
    });
}
/** A one-call value rounded for people: money and durations; tokens as they are. */
function forPeople(unit, value) {
    if (unit === 'USD')
        return (0,units/* formatUsd */.UK)(value);
    if (unit === 'ms')
        return (0,units/* formatDuration */.a3)(value);
    return `${(0,units/* formatNumber */.ZV)(value)} ${unit}`;
}
/** The baseline as the thresholds see it. */
function baselineMetrics(baseline) {
    if (baseline === undefined)
        return undefined;
    if (baseline.kind === 'missing')
        return { missing: baseline.reason };
    return baseline.intervals
        ? { metrics: baseline.metrics, intervals: baseline.intervals }
        : { metrics: baseline.metrics };
}
/**
 * The thresholds as judged: with `base-branch` on an event other than a pull request, a threshold
 * against the baseline is a warning, whatever its level. `demoted` holds the thresholds so changed.
 */
function levelled(thresholds, rules) {
    const event = rules.baseline
        ? baselineWarnsOn(rules.baseline.source)
        : undefined;
    const demoted = new Set();
    const judged = thresholds.map((t) => {
        if (event === undefined ||
            t.limit.kind !== 'baseline' ||
            t.level !== 'error')
            return t;
        const warning = { ...t, level: 'warn' };
        demoted.add(warning);
        return warning;
    });
    return { thresholds: judged, demoted, ...(demoted.size > 0 ? { event } : {}) };
}
/** Every limit and threshold judged against the measurements (and against the baseline, when one was asked for). */
function judge(measured, rules, baseline) {
    // A sum past the largest number is not a bill: judged, it would pass or fail against Infinity.
    const overflowing = (0,sources_metrics/* nonFiniteSums */.vS)(measured.metrics);
    if (overflowing.length > 0)
        return {
            kind: 'error',
            message: `Invalid answer: ${(0,sources_metrics/* nonFiniteSumsText */.am)(measured.metrics, overflowing)}, so the calls cannot be judged.`
        };
    const { thresholds, demoted, event } = levelled([...limitsToThresholds(rules.limits), ...rules.thresholds], rules);
    // A breach that only warns because of the event says why, in its annotation and its output entry.
    const why = ` (a warning on ${(0,text_escape/* inline */.mG)(event ?? '', 40)}: thresholds against the baseline fail pull requests only)`;
    const results = evaluateThresholds(thresholds, measured.metrics, baselineMetrics(baseline), measured.caveats, measured.intervals).map((result) => demoted.has(result.threshold) &&
        !result.passed &&
        result.skipped === undefined
        ? { ...result, message: `${result.message}${why}` }
        : result);
    const { log } = measured;
    const verdicts = results.map((result) => log && result.threshold.input !== inputs_thresholds/* THRESHOLDS_INPUT */.U6
        ? oneCallVerdict(result, log)
        : fromThreshold(result));
    return {
        kind: 'checked',
        measured,
        verdicts,
        failOnBreach: rules.failOnBreach,
        ...(baseline ? { baseline } : {}),
        ...(event === undefined ? {} : { baselineWarnsOn: event })
    };
}
/** The `result` output: error, fail (an error-level limit was breached; warnings never fail) or pass. */
function resultOf(outcome) {
    if (outcome.kind === 'error')
        return 'error';
    return outcome.verdicts.some((v) => !v.passed && v.level === 'error')
        ? 'fail'
        : 'pass';
}
/**
 * The `failures` (level error) or `warnings` (level warn) output: the entries of the first `maxEntries`
 * verdicts that did not pass, in the report's order, and how many more were left out.
 */
function verdictsJson(outcome, level, maxEntries) {
    const verdicts = outcome.kind === 'checked' ? outcome.verdicts : [];
    const entries = verdicts
        .filter((v) => !v.passed && v.level === level)
        .map((v) => v.entry);
    return {
        json: JSON.stringify(entries.slice(0, maxEntries)),
        omitted: Math.max(0, entries.length - maxEntries)
    };
}

;// CONCATENATED MODULE: ./src/inputs/comment.ts
// The PR comment inputs: comment (off, update, new), comment-key, comment-on, pr-number, github-token.


/** The default comment key: one comment per workflow and job, so re-runs update their own. */
function defaultCommentKey(env) {
    const workflow = env.GITHUB_WORKFLOW ?? '';
    const job = env.GITHUB_JOB ?? '';
    return workflow || job ? `${workflow}/${job}` : 'ai-gateway-gate';
}
function parseComment(raw, problems, env) {
    const commentInput = raw[INPUT.comment].toLowerCase();
    let mode = 'off';
    if (commentInput === '' || commentInput === 'off' || commentInput === 'false')
        mode = 'off';
    else if (commentInput === 'update' || commentInput === 'true')
        mode = 'update';
    else if (commentInput === 'new')
        mode = 'new';
    else
        problems.bad(INPUT.comment, raw[INPUT.comment], 'is not one of off, update, new (or true, false)');
    const githubToken = raw[INPUT.githubToken];
    if (mode !== 'off' && !githubToken)
        problems.add(`${INPUT.githubToken} is required when ${INPUT.comment} is ${mode}`);
    const commentOn = raw[INPUT.commentOn];
    let on = 'always';
    if (['', 'always'].includes(commentOn.toLowerCase()))
        on = 'always';
    else if (commentOn.toLowerCase() === 'breach')
        on = 'breach';
    else
        problems.bad(INPUT.commentOn, commentOn, 'is not one of always, breach');
    // `new` keeps every run's comment as history: a breach's comment could not be taken back by a later
    // pass without editing that history, so the pair is refused rather than given a surprising meaning.
    if (on === 'breach' && mode === 'new')
        problems.bad(INPUT.commentOn, commentOn, `needs ${INPUT.comment}: update (a pass corrects the one comment)`);
    let prNumber;
    if (raw[INPUT.prNumber]) {
        const n = (0,units/* parseWhole */.z2)(raw[INPUT.prNumber]);
        if (n !== undefined && n > 0)
            prNumber = n;
        else
            problems.bad(INPUT.prNumber, raw[INPUT.prNumber], 'is not a pull request number (a whole number from 1)');
    }
    const key = raw[INPUT.commentKey] || defaultCommentKey(env);
    return {
        mode,
        key,
        githubToken,
        on,
        ...(prNumber === undefined ? {} : { prNumber })
    };
}

;// CONCATENATED MODULE: ./src/inputs/reading.ts
// How a selection of many calls is read: max-logs, expected-logs and settle, each refused when bad and
// ignored, with a warning, where the mode makes it mean nothing.



const MAX_SETTLE_S = 60;
const DEFAULT_MAX_LOGS = 5000;
/** 200 list requests at most: Cloudflare allows 1200 requests per 5 minutes per user, shared with the dashboard. */
const MAX_MAX_LOGS = 10_000;
function parseReading(raw, problems, selection) {
    let maxLogs = DEFAULT_MAX_LOGS;
    if (raw[INPUT.maxLogs]) {
        const n = (0,units/* parseWhole */.z2)(raw[INPUT.maxLogs]);
        if (n === undefined || n < 1 || n > MAX_MAX_LOGS)
            problems.bad(INPUT.maxLogs, raw[INPUT.maxLogs], `is not a whole number from 1 to ${MAX_MAX_LOGS}`);
        else
            maxLogs = n;
    }
    if (selection?.kind === 'logs' && selection.logIds.length > maxLogs) {
        problems.add(`${INPUT.logIds} has ${selection.logIds.length} ids, more than ${INPUT.maxLogs} (${maxLogs})`);
    }
    const reading = { maxLogs, settleMs: 5000 };
    // Values are still checked where they are ignored: a typo is a typo in every mode.
    if (selection?.kind === 'log' && raw[INPUT.maxLogs])
        problems.ignored(INPUT.maxLogs, `it applies to ${INPUT.runId}, ${INPUT.since} or ${INPUT.logIds}, not ${INPUT.logId}`);
    if (selection && selection.kind !== 'list') {
        const mode = selection.kind === 'log' ? INPUT.logId : INPUT.logIds;
        for (const name of [INPUT.expectedLogs, INPUT.settle])
            if (raw[name])
                problems.ignored(name, `it applies to ${INPUT.runId} or ${INPUT.since}, not ${mode}`);
    }
    if (raw[INPUT.expectedLogs]) {
        const n = (0,units/* parseWhole */.z2)(raw[INPUT.expectedLogs]);
        if (n === undefined || n > maxLogs)
            problems.bad(INPUT.expectedLogs, raw[INPUT.expectedLogs], `is not a whole number from 0 to ${INPUT.maxLogs} (${maxLogs})`);
        else
            reading.expectedLogs = n;
    }
    reading.settleMs = secondsInput(raw, problems, INPUT.settle, 5, 0, MAX_SETTLE_S);
    return reading;
}

// EXTERNAL MODULE: ./src/inputs/window.ts
var inputs_window = __nccwpck_require__(3901);
;// CONCATENATED MODULE: ./src/inputs/filters.ts
// Pure: the `filters` input, the list endpoint's own filters as one JSON array, checked before any
// request: the API's key names and operators, values of its types, and no metadata filter of the
// user's own (the run's metadata pair is the action's).

/** Input name, as action.yml spells it (quoted in problems). */
const FILTERS = 'filters';
/** The whole of `filters` goes, URL-encoded, into every list request's URL: keep it well under what servers accept. */
const MAX_FILTERS_CHARS = 4096;
const FILTER_OPERATORS = ['eq', 'neq', 'contains', 'lt', 'gt'];
const isOperator = (value) => FILTER_OPERATORS.includes(value);
const isFilterValue = (value) => value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value));
/** Why one entry of `filters` is not a filter in the API's shape, or null when it is one. */
function filterError(item) {
    if (typeof item !== 'object' || item === null || Array.isArray(item))
        return `is not an object: ${FILTERS} ${FILTERS_SHAPE}`;
    const extra = Object.keys(item).filter((k) => k !== 'key' && k !== 'operator' && k !== 'value');
    if (extra.length > 0)
        return `has ${extra.map((name) => (0,text_escape/* quoted */.TL)(name)).join(', ')}: a filter has only "key", "operator" and "value"`;
    const { key, operator, value } = item;
    if (typeof key !== 'string' || key.trim() === '')
        return 'has no "key" (e.g. "model")';
    if (/^metadata\./.test(key) &&
        key !== 'metadata.key' &&
        key !== 'metadata.value') {
        return `has the key ${(0,text_escape/* quoted */.TL)(key)}, which the API refuses: filter custom metadata with a metadata.key and a metadata.value filter`;
    }
    if (!isOperator(operator))
        return `has an unknown "operator" (use ${FILTER_OPERATORS.join(', ')})`;
    if (!Array.isArray(value))
        return 'has a "value" that is not an array (e.g. ["gpt-4o"])';
    if (value.length === 0)
        return 'has an empty "value" array';
    if (!value.every(isFilterValue))
        return 'has a "value" entry that is not a string, number, boolean or null';
    return null;
}
const FILTERS_SHAPE = 'must be a JSON array of {"key": …, "operator": …, "value": […]} objects';
/**
 * `filters`: a JSON array of `{"key", "operator", "value": [...]}` in the API's own shape, passed
 * through. Keys the API may add later are allowed; `metadata.<name>` is refused because the API answers
 * it with a 400 (custom metadata is filtered with the metadata.key / metadata.value pair).
 */
function parseFilters(value) {
    const text = value.trim();
    if (text === '')
        return { filters: [], problems: [] };
    if (text.length > MAX_FILTERS_CHARS)
        return {
            filters: [],
            problems: [`${FILTERS} is longer than ${MAX_FILTERS_CHARS} characters`]
        };
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch (error) {
        // A SyntaxError from JSON.parse; read its message without instanceof, which fails across realms.
        const why = String(error?.message ?? error);
        return {
            filters: [],
            problems: [
                `${FILTERS} ${(0,text_escape/* quoted */.TL)(text)} is not JSON (${(0,text_escape/* inline */.mG)(why, 120)}): it ${FILTERS_SHAPE}`
            ]
        };
    }
    if (!Array.isArray(parsed))
        return {
            filters: [],
            problems: [`${FILTERS} ${(0,text_escape/* quoted */.TL)(text)} ${FILTERS_SHAPE}`]
        };
    const filters = [];
    const problems = [];
    parsed.forEach((item, index) => {
        const why = filterError(item);
        if (why === null)
            filters.push(item);
        else
            problems.push(`${FILTERS} item ${index + 1} ${(0,text_escape/* quoted */.TL)(JSON.stringify(item) ?? String(item))} ${why}`);
    });
    return { filters, problems };
}

;// CONCATENATED MODULE: ./src/inputs/selection.ts
// The selection inputs: exactly one mode (log-id, log-ids, or a run and/or a time window read through
// the list endpoint), its values read into typed ones (the window in window.ts, filters in filters.ts).
// What the API makes of them (the list query, the rows re-checked) is cloudflare/query.ts and
// sources/match.ts.






/** Input names, as action.yml spells them (quoted in problems). */
const LOG_IDS = 'log-ids';
/**
 * `log-ids`: ids separated by newlines, commas or spaces; repeated ids count once, in the order first
 * given, with the first spelling. Repeats are found ignoring case: the API finds a log by its id
 * whatever the case (`abcdef` and `ABCDEF` are the same call, and fetchLog accepts either spelling
 * back), so counting both would gate one call twice. Each id is checked as `log-id` is: at most 256
 * characters and not only dots (`.` and `..` cannot stay one path segment, whatever the encoding).
 */
function parseLogIds(value) {
    const ids = [];
    const problems = [];
    const seen = new Set();
    for (const id of value.split(/[\s,]+/)) {
        const folded = id.toLowerCase();
        if (id === '' || seen.has(folded))
            continue;
        seen.add(folded);
        if (id.length > MAX_ID_LENGTH)
            problems.push(`${LOG_IDS} has an id longer than ${MAX_ID_LENGTH} characters: ${(0,text_escape/* quoted */.TL)(id)}`);
        else if (/^\.+$/.test(id))
            problems.push(`${LOG_IDS} has ${(0,text_escape/* quoted */.TL)(id)}, which is not an id`);
        else
            ids.push(id);
    }
    if (ids.length === 0 && problems.length === 0) {
        problems.push(`${LOG_IDS} ${(0,text_escape/* quoted */.TL)(value)} has no ids (separate them with newlines, commas or spaces)`);
    }
    return { ids, problems };
}
const SELECTION_INPUTS = [
    INPUT.logId,
    INPUT.logIds,
    INPUT.runId,
    INPUT.since
];
/**
 * Exactly one way of selecting calls: `log-id`, `log-ids`, or a list selection (`run-id`, `since`,
 * or both: the run narrowed to a window). `until`, `filters` and `run-id-key` refine a list selection.
 */
function parseSelection(raw, problems, nowMs) {
    const set = SELECTION_INPUTS.filter((name) => raw[name] !== '');
    const modes = new Set(set.map((name) => name === INPUT.runId || name === INPUT.since ? 'list' : name));
    if (set.length === 0) {
        problems.add(`${INPUT.logId} is required (the cf-aig-log-id response header of the call), or select calls with ${INPUT.logIds}, ${INPUT.runId} (an eval run) or ${INPUT.since} (a time window)`);
        return undefined;
    }
    if (modes.size > 1) {
        problems.add(`${set.join(' and ')} are different ways to select calls: set one of them (${INPUT.runId} and ${INPUT.since} go together)`);
        return undefined;
    }
    const listOnly = [INPUT.until, INPUT.filters].filter((name) => raw[name] !== '');
    if (!modes.has('list') && listOnly.length > 0) {
        problems.add(`${listOnly.join(' and ')} refine${listOnly.length === 1 ? 's' : ''} ${INPUT.runId} or ${INPUT.since}, not ${set[0]}`);
    }
    if (!modes.has('list') && raw[INPUT.runIdKey])
        problems.ignored(INPUT.runIdKey, `it names the metadata key of ${INPUT.runId}, not of ${set[0]}`);
    if (modes.has(INPUT.logId))
        return {
            kind: 'log',
            logId: idInput(raw, problems, INPUT.logId, MAX_ID_LENGTH, '')
        };
    if (modes.has(INPUT.logIds)) {
        const parsed = parseLogIds(raw[INPUT.logIds]);
        problems.addAll(parsed.problems);
        return { kind: 'logs', logIds: parsed.ids };
    }
    const run = parseRun(raw, problems);
    if (raw[INPUT.until] && !raw[INPUT.since])
        problems.add(`${INPUT.until} ends a window that ${INPUT.since} starts: set ${INPUT.since} too`);
    const window = (0,inputs_window/* parseWindow */.Et)(raw[INPUT.since], raw[INPUT.until], nowMs);
    problems.addAll(window.problems);
    const filters = parseFilters(raw[INPUT.filters]);
    problems.addAll(filters.problems);
    return { kind: 'list', run, window: window.window, filters: filters.filters };
}
/** `run-id` and its metadata key (`run_id` when not set); null when the calls are selected by window alone. */
function parseRun(raw, problems) {
    if (raw[INPUT.runId]) {
        const key = raw[INPUT.runIdKey] || 'run_id';
        if (key.length > MAX_ID_LENGTH)
            problems.bad(INPUT.runIdKey, key, `is longer than ${MAX_ID_LENGTH} characters`);
        if (raw[INPUT.runId].length > MAX_ID_LENGTH)
            problems.bad(INPUT.runId, raw[INPUT.runId], `is longer than ${MAX_ID_LENGTH} characters`);
        return { key, value: raw[INPUT.runId] };
    }
    if (raw[INPUT.runIdKey]) {
        problems.ignored(INPUT.runIdKey, `it names the metadata key of ${INPUT.runId}, which is not set (the calls are selected with ${INPUT.since})`);
    }
    return null;
}

;// CONCATENATED MODULE: ./src/inputs/source.ts
// Where the measurements come from: `source` (logs, analytics, or auto), and what only the analytics
// source reads: `trend` (the last N UTC days) and `query-budget` (GraphQL queries a gate may make).
// Which source `auto` ends up with is decided while reading (sources/measure.ts); here only what can
// be known from the inputs: a combination no source can serve is an error before any request.


const SOURCES = ['logs', 'analytics', 'auto'];
/** Cloudflare allows 300 GraphQL queries per 5 minutes per user; a gate takes a tenth by default. */
const DEFAULT_QUERY_BUDGET = 30;
const MAX_QUERY_BUDGET = 300;
/** Analytics keeps 62 days (notOlderThan): a longer trend could never be read whole. */
const MAX_TREND_DAYS = 62;
/**
 * Analytics is minutes behind the calls (events reach it 139 to 365 s after the call, seen live): a
 * window read from it ends this long before the gate starts, unless `until` says otherwise.
 */
const ANALYTICS_LAG_MS = 10 * 60_000;
/** `14d` (or `14`): a whole number of days from 1 to MAX_TREND_DAYS. */
function parseTrendDays(value) {
    const match = /^(\d{1,3})\s*d?$/i.exec(value);
    if (!match)
        return undefined;
    const days = Number(match[1]);
    return days >= 1 && days <= MAX_TREND_DAYS ? days : undefined;
}
function parseChoice(raw, problems) {
    const value = raw[INPUT.source];
    if (!value)
        return 'auto';
    const choice = SOURCES.find((s) => s === value.toLowerCase());
    if (!choice)
        problems.bad(INPUT.source, value, `is not ${SOURCES.join(', ')}`);
    return choice ?? 'auto';
}
function parseQueryBudget(raw, problems) {
    const value = raw[INPUT.queryBudget];
    if (!value)
        return DEFAULT_QUERY_BUDGET;
    const n = (0,units/* parseWhole */.z2)(value);
    if (n === undefined || n < 1 || n > MAX_QUERY_BUDGET) {
        problems.bad(INPUT.queryBudget, value, `is not a whole number from 1 to ${MAX_QUERY_BUDGET} (Cloudflare allows ${MAX_QUERY_BUDGET} GraphQL queries per 5 minutes per user)`);
        return DEFAULT_QUERY_BUDGET;
    }
    return n;
}
/**
 * What analytics cannot serve, said before any request: one call or a list of ids (analytics has no
 * per-call rows), `filters` (the list endpoint's filters have no analytics counterpart), a run id
 * without a window (analytics is read by time; a run is matched by value inside it).
 */
function checkAnalytics(raw, problems, selection) {
    const why = `${INPUT.source} ${JSON.stringify(raw[INPUT.source])}`;
    if (selection.kind !== 'list') {
        const mode = selection.kind === 'log' ? INPUT.logId : INPUT.logIds;
        problems.add(`${why} reads runs and windows from GraphQL Analytics, which has no single calls: ${mode} needs ${INPUT.source}: logs (or auto)`);
        return;
    }
    if (selection.filters.length > 0)
        problems.add(`${INPUT.filters} cannot be applied by GraphQL Analytics (${why}): remove ${INPUT.filters}, or set ${INPUT.source}: logs`);
    if (selection.run && selection.window?.sinceMs == null)
        problems.add(`${INPUT.runId} with ${why} needs ${INPUT.since}: analytics is read by time, and the run is found inside that window (e.g. ${INPUT.since}: 2h)`);
}
/** The window's end with analytics: `until` when set, else ANALYTICS_LAG_MS before `nowMs`. */
function analyticsUntilMs(window, nowMs) {
    return window.untilMs ?? nowMs - ANALYTICS_LAG_MS;
}
/** A window that ends inside analytics' lag by default and starts there too holds nothing analytics has yet. */
function checkLag(raw, problems, selection, nowMs) {
    if (selection.kind !== 'list' || !selection.window)
        return;
    const { sinceMs, untilMs } = selection.window;
    // An `until` inside the lag is the user's to choose, but its last minutes may not be counted yet.
    if (untilMs !== null && untilMs > nowMs - ANALYTICS_LAG_MS)
        problems.warnings.push(`${INPUT.until} ${JSON.stringify(raw[INPUT.until])} ends within the last ${ANALYTICS_LAG_MS / 60_000} minutes, which GraphQL Analytics may not have yet (events reach it minutes after the call): the calls of those minutes may be missing from every count and sum`);
    if (sinceMs === null || untilMs !== null)
        return;
    if (sinceMs >= analyticsUntilMs(selection.window, nowMs))
        problems.add(`${INPUT.since} ${JSON.stringify(raw[INPUT.since])} starts within the last ${ANALYTICS_LAG_MS / 60_000} minutes, which GraphQL Analytics does not have yet (events reach it minutes after the call; without ${INPUT.until} its window ends ${ANALYTICS_LAG_MS / 60_000} minutes ago): set ${INPUT.since} further back, or ${INPUT.source}: logs`);
}
function parseSource(raw, problems, selection, nowMs) {
    const choice = parseChoice(raw, problems);
    const queryBudget = parseQueryBudget(raw, problems);
    let trendDays = null;
    const trend = raw[INPUT.trend];
    if (trend) {
        const days = parseTrendDays(trend);
        if (days === undefined)
            problems.bad(INPUT.trend, trend, `is not a number of days from 1 to ${MAX_TREND_DAYS} (e.g. 14d)`);
        else
            trendDays = days;
    }
    if (selection && choice === 'analytics') {
        checkAnalytics(raw, problems, selection);
        checkLag(raw, problems, selection, nowMs);
    }
    if (selection && selection.kind !== 'list' && trend)
        problems.add(`${INPUT.trend} adds the days before a run or a window (${INPUT.runId} or ${INPUT.since}), not ${selection.kind === 'log' ? INPUT.logId : INPUT.logIds}`);
    else if (trend && selection?.kind === 'list' && selection.filters.length > 0)
        problems.add(`${INPUT.trend} counts the gateway's calls day by day in GraphQL Analytics, which cannot apply ${INPUT.filters}: remove ${INPUT.trend} or ${INPUT.filters}`);
    else if (choice === 'logs' && trend)
        problems.add(`${INPUT.trend} is read from GraphQL Analytics (one query), which ${INPUT.source}: logs rules out: set ${INPUT.source} to auto or analytics, or remove ${INPUT.trend}`);
    if (selection && selection.kind !== 'list' && raw[INPUT.queryBudget])
        problems.ignored(INPUT.queryBudget, `it limits GraphQL Analytics queries, which ${selection.kind === 'log' ? INPUT.logId : INPUT.logIds} never makes`);
    if (choice === 'logs' && raw[INPUT.queryBudget] && !trend)
        problems.ignored(INPUT.queryBudget, `${INPUT.source} is logs, which makes no GraphQL Analytics query`);
    return {
        choice,
        queryBudget,
        trendDays,
        untilSet: raw[INPUT.until] !== ''
    };
}

;// CONCATENATED MODULE: ./src/inputs/config.ts
// The action's inputs, parsed into a typed config: one module per group of inputs (connection,
// selection, reading, limits, thresholds, comment, baseline), assembled here. Every bad input is
// reported together in one ConfigError naming each input and its value (never a secret's value),
// before any request is made; an input that does not apply to the mode is a warning.










/**
 * Each id of `log-ids` is one GET of its own at least (more when retried or not written yet): past the
 * budget the gate could only stop half way, after spending the account's rate limit, which locks the
 * user out of the whole API for 5 minutes. The list endpoint reads 50 calls a request.
 */
function checkLogIdsBudget(problems, selection, requestBudget) {
    if (selection?.kind !== 'logs' || selection.logIds.length <= requestBudget)
        return;
    problems.add(`${INPUT.logIds} has ${selection.logIds.length} ids, more than ${INPUT.requestBudget} (${requestBudget}) allows: each id costs at least one request. For many calls use ${INPUT.runId} (the list endpoint reads 50 calls a request), or raise ${INPUT.requestBudget} (at most ${MAX_REQUEST_BUDGET})`);
}
/** The typed config, or one ConfigError naming every bad input. Pure: `nowMs` anchors `since: 24h`. */
function parseConfig(raw, env, nowMs) {
    const problems = new Problems();
    const { auth, apiUrl, budgetValid, ...connection } = parseConnection(raw, problems, env);
    const selection = parseSelection(raw, problems, nowMs);
    const reading = parseReading(raw, problems, selection);
    const source = parseSource(raw, problems, selection, nowMs);
    const limits = parseLimits(raw, problems);
    const thresholds = (0,inputs_thresholds/* parseThresholds */.S)(raw[INPUT.thresholds]);
    problems.addAll(thresholds.problems);
    const failOnBreach = booleanInput(raw, problems, INPUT.failOnBreach, true);
    const jobSummary = booleanInput(raw, problems, INPUT.jobSummary, true);
    if (budgetValid)
        checkLogIdsBudget(problems, selection, connection.requestBudget);
    const comment = parseComment(raw, problems, env);
    const baseline = parseBaseline(raw, problems, env, selection, thresholds.thresholds);
    if (problems.list.length > 0 || !auth || !selection || 'error' in apiUrl)
        throw new ConfigError(problems.list);
    return {
        auth,
        ...connection,
        apiUrl: apiUrl.url,
        selection,
        reading,
        source,
        limits,
        thresholds: thresholds.thresholds,
        failOnBreach,
        jobSummary,
        comment,
        baseline,
        warnings: problems.warnings
    };
}
/** `job-summary` as far as it can be read when the config could not be: a bad value still writes the summary, which reports it. */
function wantsSummary(raw) {
    return parseBoolean(raw[INPUT.jobSummary]) ?? true;
}

// EXTERNAL MODULE: ./src/github/event.ts + 1 modules
var github_event = __nccwpck_require__(7077);
;// CONCATENATED MODULE: ./src/github/context.ts
// The workflow run a report comes from, as links a reader can follow: the run's page (where the job
// summary is) and the commit the run reflects. Built from the runner's environment and the event file,
// whose values are taken as untrusted text: a server URL that is not http(s), a repository that is not
// owner/name, a run id or a commit that is not one, and that link is left out, never written as given.


/** A repository as owner/name: GitHub's characters for each, and neither `.` nor `..`. */
const REPOSITORY_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]*)\/[A-Za-z0-9._-]+$/;
/** A commit id: SHA-1 (40 hex digits) or SHA-256 (64). */
const isSha = (value) => typeof value === 'string' && /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(value);
/** GITHUB_SERVER_URL as a base for links: http(s), no credentials, query or fragment, no trailing slash. */
function serverBase(value) {
    if (!value)
        return undefined;
    let url;
    try {
        url = new URL(value);
    }
    catch {
        return undefined;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
        return undefined;
    if (url.username || url.password || url.search || url.hash)
        return undefined;
    return url.href.replace(/\/+$/, '');
}
function repositoryOf(value) {
    if (!value || !REPOSITORY_RE.test(value))
        return undefined;
    const name = value.split('/')[1];
    return /^\.+$/.test(name) ? undefined : value;
}
/**
 * The commit a reviewer knows from the event's payload: a pull request's head (`pull_request.head.sha`),
 * or for a workflow_run event the triggering run's (`workflow_run.head_sha`, the fork set-up the
 * README describes); undefined when the payload holds neither.
 */
function headShaOf(payload) {
    const pr = payload?.pull_request;
    if (typeof pr === 'object' && pr !== null)
        return pr.head?.sha;
    const run = payload?.workflow_run;
    return typeof run === 'object' && run !== null ? run.head_sha : undefined;
}
/**
 * The links, pure: the run from GITHUB_SERVER_URL, GITHUB_REPOSITORY and GITHUB_RUN_ID; the commit from
 * the event's pull request head (what a reviewer knows; GITHUB_SHA is then the merge commit GitHub made),
 * a workflow_run's head, or GITHUB_SHA. Any part that is not what it should be leaves its link out.
 */
function runLinksOf(env, payload) {
    const server = serverBase(env.GITHUB_SERVER_URL);
    const repository = repositoryOf(env.GITHUB_REPOSITORY);
    const base = server && repository
        ? `${server}/${repository.split('/').map(encodeURIComponent).join('/')}`
        : undefined;
    const links = {};
    const runId = positiveWhole(env.GITHUB_RUN_ID);
    if (base && runId !== undefined)
        links.run = { id: runId, url: `${base}/actions/runs/${runId}` };
    const head = headShaOf(payload);
    const sha = [head, env.GITHUB_SHA].find(isSha);
    if (sha)
        links.commit = base ? { sha, url: `${base}/commit/${sha}` } : { sha };
    return links;
}
/** The links, with the event read from GITHUB_EVENT_PATH (a missing or broken file only loses the head commit). */
function readRunLinks(env) {
    const event = (0,github_event/* readEvent */.j)(env.GITHUB_EVENT_PATH);
    return runLinksOf(env, 'payload' in event ? event.payload : undefined);
}

;// CONCATENATED MODULE: ./src/report/charts.ts
// Pure: the report's pictures, as Mermaid blocks (GitHub renders ```mermaid in job summaries and
// comments). A label that comes from a log (a model name) is written by whoever made the call: inside
// a Mermaid block markdown escaping does not apply, and a quote, a newline, `%%{init}%%` or a closing
// fence would break the chart or inject into it. So labels keep only characters that are inert there.
// Each block sets its theme and colours (an init directive of our own, never built from a log's text).

/** Models drawn in the cost chart; the rest are summed into "other models". */
const MAX_CHART_MODELS = 8;
const MAX_LABEL_CHARS = 40;
/**
 * Colours told apart by everyone (blue and amber, GitHub's own accents; they differ in lightness too),
 * set in each block with a theme, so that no viewer's default palette turns them pale.
 */
const THIS_RUN_COLOUR = '#0969da';
const HIGHLIGHT_COLOUR = '#bf8700';
/**
 * The block's first line: the base theme (the one Mermaid lets a block adjust) and the bar colours, in
 * series order; with `heightPx`, the chart's height (Mermaid's default, 500 px, is tall for a line).
 */
function theme(colours, heightPx) {
    const palette = colours.join(', ');
    const size = heightPx === undefined ? '' : ` "xyChart": {"height": ${heightPx}},`;
    return `%%{init: {"theme": "base",${size} "themeVariables": {"xyChart": {"plotColorPalette": "${palette}"}}}}%%`;
}
/**
 * A label Mermaid reads as plain text: letters, digits and `space . _ - / : + @` kept (`@` for Workers
 * AI's `@cf/…` models: inside a quoted label it is text, and a chart mentions no one), anything else `?`.
 */
function mermaidLabel(text) {
    const kept = text
        .replace(/[^A-Za-z0-9 ._\-/:+@]/g, '?')
        .replace(/\s+/g, ' ')
        .trim();
    const label = kept.length > MAX_LABEL_CHARS
        ? `${kept.slice(0, MAX_LABEL_CHARS - 1)}…`
        : kept;
    return label === '' ? '?' : label;
}
/** A number as Mermaid's xychart reads it: plain digits, no exponent, 6 significant digits at most. */
function plain(value) {
    return (0,units/* formatNumber */.ZV)(Number(value.toPrecision(6)));
}
/** The axis's top: the largest value rounded up to 2 significant digits (0.1546 -> 0.16), never 0. */
function axisTop(max) {
    if (!(max > 0) || !Number.isFinite(max))
        return 1;
    const power = 10 ** (Math.floor(Math.log10(max)) - 1);
    return Number((Math.ceil(max / power - 1e-9) * power).toPrecision(2));
}
/**
 * Cost by model, this run against the baseline: a horizontal bar chart, each model's row (blue) followed
 * by its row on the baseline (amber, labelled with `baselineName`), costliest models first. Undefined
 * when there is nothing to draw. Horizontal, so model names are read whole at a comment's width.
 */
function costByModelChart(models, baselineName) {
    const known = (v) => v !== null && Number.isFinite(v) && v > 0 ? v : 0;
    const rows = models
        .map((m) => ({
        label: m.label,
        current: known(m.current),
        baseline: known(m.baseline)
    }))
        .filter((m) => m.current > 0 || m.baseline > 0)
        .sort((a, b) => Math.max(b.current, b.baseline) - Math.max(a.current, a.baseline));
    if (rows.length === 0)
        return undefined;
    const shown = rows.slice(0, MAX_CHART_MODELS);
    const rest = rows.slice(MAX_CHART_MODELS);
    if (rest.length > 0)
        shown.push({
            label: `${rest.length} other models`,
            current: rest.reduce((sum, m) => sum + m.current, 0),
            baseline: rest.reduce((sum, m) => sum + m.baseline, 0)
        });
    const base = mermaidLabel(baselineName);
    const max = shown.reduce((m, r) => Math.max(m, r.current, r.baseline), 0);
    // Below a dollar, in cents: the axis's tick labels (`0.01`, `0.02`…) would run into each other.
    const [unit, scale] = max < 1 ? ['US cents', 100] : ['USD', 1];
    // Two models whose labels read the same once cleaned would be one category to Mermaid: number the repeats.
    const seen = new Map();
    const categories = [];
    const baselineBars = [];
    const currentBars = [];
    for (const m of shown) {
        let label = mermaidLabel(m.label);
        const n = (seen.get(label) ?? 0) + 1;
        seen.set(label, n);
        if (n > 1)
            label = `${label} ${n}`;
        categories.push(`"${label}"`, `"${label} (${base})"`);
        currentBars.push(plain(m.current * scale), '0');
        baselineBars.push('0', plain(m.baseline * scale));
    }
    // The baseline's series first: a bar of 0 is drawn as a sliver, and the series drawn last covers the other's.
    return [
        '```mermaid',
        theme([HIGHLIGHT_COLOUR, THIS_RUN_COLOUR]),
        'xychart-beta horizontal',
        `    title "Cost by model (${unit}): this run, and on ${base}"`,
        `    x-axis [${categories.join(', ')}]`,
        `    y-axis "${unit}" 0 --> ${plain(axisTop(max * scale))}`,
        `    bar [${baselineBars.join(', ')}]`,
        `    bar [${currentBars.join(', ')}]`,
        '```'
    ].join('\n');
}
/** A step of 1, 2 or 5 times a power of ten, so bucket edges read as round numbers. */
function niceStep(rough) {
    if (!(rough > 0) || !Number.isFinite(rough))
        return 1;
    const power = 10 ** Math.floor(Math.log10(rough));
    const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough);
    return Math.max(1, step ?? 10 * power);
}
/** `Calls by duration, p95 9.4 s (amber from there), limit 8 s`. */
function histogramTitle(p95, limit) {
    return [
        'Calls by duration',
        p95 === undefined
            ? undefined
            : `p95 ${(0,units/* formatDuration */.a3)(p95)} (amber from there)`,
        limit === undefined ? undefined : `limit ${(0,units/* formatDuration */.a3)(limit)}`
    ]
        .filter(Boolean)
        .join(', ');
}
/** One bar series, or two split at the p95's bucket (the slow ones amber). */
function histogramSeries(calls, p95Bucket) {
    if (p95Bucket === undefined)
        return [`    bar [${calls.join(', ')}]`];
    return [
        // The slow bars first: the fast ones, drawn last, cover the slivers their zeros leave.
        `    bar [${calls.map((c, i) => (i >= p95Bucket ? c : 0)).join(', ')}]`,
        `    bar [${calls.map((c, i) => (i < p95Bucket ? c : 0)).join(', ')}]`
    ];
}
/**
 * How durations are spread: calls per duration bucket, as horizontal bars (fastest at the top). The
 * bucket that holds the p95 is labelled and, with every slower one, drawn in amber; the bucket the limit
 * falls in is labelled too, and the buckets run on to it when it is at most three times the slowest
 * call (the empty buckets between show the headroom).
 * Undefined without durations.
 */
function durationHistogram(durationsMs, marks = {}, buckets = 8) {
    const values = durationsMs.filter((d) => Number.isFinite(d) && d >= 0);
    if (values.length === 0)
        return undefined;
    const max = values.reduce((m, d) => Math.max(m, d), 0);
    const usable = (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
    const limit = usable(marks.limitMs) ? marks.limitMs : undefined;
    const p95 = usable(marks.p95Ms) ? marks.p95Ms : undefined;
    const drawLimit = limit !== undefined && limit <= 3 * Math.max(max, 1);
    const span = drawLimit ? Math.max(max, limit) : max;
    const step = niceStep(span / buckets);
    const count = Math.max(1, Math.floor(span / step) + 1);
    const bucketOf = (ms) => Math.min(count - 1, Math.floor(ms / step));
    const calls = new Array(count).fill(0);
    // Not `calls[i]!++`: Stryker's instrumenter cannot rewrite an increment of a non-null assertion, and stops.
    for (const d of values) {
        const bucket = bucketOf(d);
        calls[bucket] = calls[bucket] + 1;
    }
    const p95Bucket = p95 === undefined ? undefined : bucketOf(p95);
    const limitBucket = drawLimit ? bucketOf(limit) : undefined;
    const label = (i) => {
        const notes = [
            i === p95Bucket ? 'p95' : undefined,
            i === limitBucket ? 'limit' : undefined
        ].filter(Boolean);
        const range = `${seconds(i * step)}-${seconds((i + 1) * step)} s`;
        return `"${range}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}"`;
    };
    const top = calls.reduce((m, c) => Math.max(m, c), 0);
    const title = histogramTitle(p95, limit);
    const series = histogramSeries(calls, p95Bucket);
    return [
        '```mermaid',
        theme(p95Bucket === undefined
            ? [THIS_RUN_COLOUR]
            : [HIGHLIGHT_COLOUR, THIS_RUN_COLOUR]),
        'xychart-beta horizontal',
        `    title "${title}"`,
        `    x-axis [${calls.map((_, i) => label(i)).join(', ')}]`,
        `    y-axis "Calls" 0 --> ${Math.max(1, top)}`,
        ...series,
        '```'
    ].join('\n');
}
function seconds(ms) {
    return (0,units/* formatNumber */.ZV)(Number((ms / 1000).toPrecision(6)));
}
/** Points of a line chart labelled one by one; past this many, every k-th is labelled so that labels do not overlap. */
const MAX_LINE_LABELS = 16;
/** The height of a line chart, px: a strip under the text, not a square. */
const LINE_CHART_HEIGHT_PX = 280;
/**
 * A label that reads as nothing and differs from every other such label (Mermaid's categories are
 * told apart by their text, and it trims spaces): point `i` written in binary with two zero-width
 * characters.
 */
function blankLabel(i) {
    return [...i.toString(2)]
        .map((b) => (b === '0' ? '\u200b' : '\u200c'))
        .join('');
}
/**
 * A line over days (a trend): one `line` series in blue, the y axis from 0 to a round top. Undefined
 * without points. Past MAX_LINE_LABELS points, every k-th is labelled, counted back from the last (the
 * newest day keeps its label), the others get blank labels. A label repeated once cleaned would merge
 * two points into one category: repeats are numbered, as in the cost chart.
 */
function lineChart(chart) {
    const n = chart.values.length;
    if (n === 0)
        return undefined;
    const values = chart.values.map((v) => (Number.isFinite(v) && v > 0 ? v : 0));
    const every = n > MAX_LINE_LABELS ? Math.ceil(n / (MAX_LINE_LABELS - 6)) : 1;
    const seen = new Map();
    const labels = values.map((_, i) => {
        if ((n - 1 - i) % every !== 0)
            return `"${blankLabel(i + 1)}"`;
        const label = mermaidLabel(chart.labels[i] ?? '');
        const k = (seen.get(label) ?? 0) + 1;
        seen.set(label, k);
        return `"${k > 1 ? `${label} ${k}` : label}"`;
    });
    const max = values.reduce((m, v) => Math.max(m, v), 0);
    return [
        '```mermaid',
        theme([THIS_RUN_COLOUR], LINE_CHART_HEIGHT_PX),
        'xychart-beta',
        `    title "${ownText(chart.title)}"`,
        `    x-axis [${labels.join(', ')}]`,
        `    y-axis "${ownText(chart.unit)}" 0 --> ${plain(axisTop(max))}`,
        `    line [${values.map(plain).join(', ')}]`,
        '```'
    ].join('\n');
}
/** Our own words in a quoted Mermaid string: no quote, newline, `%` or fence can end it or start a directive. */
function ownText(text) {
    return text.replace(/["%`\r\n]/g, ' ');
}

;// CONCATENATED MODULE: ./src/gate/comparison.ts
// Pure: how a run compares with its baseline, in numbers. For the headline metrics (calls, total cost,
// p95 duration, errors, error rate) and for each model (cost, p95 duration): this run's value, the
// baseline's, and the change, absolute and relative. The report writes them out.

function change(current, baseline) {
    if (current === null || baseline === null)
        return { current, baseline, delta: null, percent: null };
    // Exact, as the sums are: 1.3 - 1.1 is 0.2, not 0.19999999999999996.
    const delta = (0,sources_metrics/* exactSum */.dZ)([current, -baseline]);
    return {
        current,
        baseline,
        delta,
        percent: baseline === 0 ? null : (delta / Math.abs(baseline)) * 100
    };
}
/** The headline metrics of both runs, in the order the report's first line gives them. */
function headlineChanges(current, baseline) {
    const p95 = (m) => (0,sources_metrics/* aggregateValue */.PZ)(m.distributions.duration, 'p95');
    return [
        {
            label: 'calls',
            unit: 'calls',
            change: change(current.count, baseline.count)
        },
        {
            label: 'total cost',
            unit: 'USD',
            change: change(current.distributions.cost.sum, baseline.distributions.cost.sum)
        },
        {
            label: 'p95 duration',
            unit: 'ms',
            change: change(p95(current), p95(baseline))
        },
        {
            label: 'errors',
            unit: 'calls',
            change: change(current.errors, baseline.errors)
        },
        {
            label: 'error rate',
            unit: 'fraction',
            change: change(current.errorRate, baseline.errorRate)
        }
    ];
}
const modelKey = (m) => JSON.stringify([m.provider, m.model]);
/**
 * Every model of either run: this run's in the report's order (costliest first), then those only the
 * baseline used. A model one run did not use has no value there (null), so its change is unknown.
 */
function modelChanges(current, baseline) {
    const before = new Map(baseline.models.map((m) => [modelKey(m), m]));
    const now = new Set(current.models.map(modelKey));
    const row = (m, b, names) => ({
        provider: names.provider,
        model: names.model,
        cost: change(m ? m.costUsd : null, b ? b.costUsd : null),
        p95DurationMs: change(m?.p95DurationMs?.value ?? null, b?.p95DurationMs?.value ?? null)
    });
    return [
        ...current.models.map((m) => row(m, before.get(modelKey(m)), m)),
        ...baseline.models
            .filter((b) => !now.has(modelKey(b)))
            .map((b) => row(undefined, b, b))
    ];
}

;// CONCATENATED MODULE: ./src/report/format.ts
// Pure: how the report writes a value. Text from outside (a log, an API, an input) escaped into inert
// markdown, tables, and numbers rounded for people. Shared by every section of the report, so that a
// section in a module of its own (report/provenance.ts, report/trend.ts) writes values the same way.


/** A value longer than this is shortened in the report. */
const MAX_VALUE_CHARS = 200;
/**
 * Untrusted text as inert markdown: HTML entities for `<>&`, backslash escapes for the markdown
 * punctuation that makes links, images, emphasis, tables, code spans and autolinks (`:/`, `www.`), whitespace
 * folded to one line, and a zero-width space after `@` so that no one is mentioned. Values never start
 * a line, so `-`, `+` and `1.` need no escape. Invisible characters become `\u202e`-style escapes (their
 * backslash escaped in turn, so the escape is what the reader sees), after the cut, so none is cut in half.
 */
function escapeText(value, maxChars = MAX_VALUE_CHARS) {
    const text = (0,text_escape/* cut */.Jj)(value
        // eslint-disable-next-line no-control-regex
        .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(), maxChars);
    return (0,text_escape/* showInvisible */.jQ)(text)
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/[\\`*_{}[\]()#!|~]/g, (c) => `\\${c}`)
        .replace(/:(?=\/)/g, '\\:')
        .replace(/\b(www)\./gi, '$1\\.')
        .replace(/@/g, '@&#8203;');
}
/** A value as a table cell: escaped, or an em dash when the log did not report it. */
function cell(value) {
    if (value === undefined || value === null || value === '')
        return '—';
    if (typeof value === 'number')
        return (0,units/* formatNumber */.ZV)(value);
    return escapeText(String(value));
}
/** A GFM table; `right` lists the columns of numbers, aligned right so their digits line up. */
function table(header, rows, right = []) {
    const line = (cells) => `| ${cells.join(' | ')} |`;
    const rule = header.map((_, i) => (right.includes(i) ? '---:' : '---'));
    return [line(header), line(rule), ...rows.map(line)].join('\n');
}
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
/** A number and its unit kept on one line in a narrow table column (`0.0005918 USD` never wraps after the digits). */
const nowrap = (text) => text.replace(/ (USD|ms|s)$/, '\u00a0$1');
const usd = (value) => value === null ? '—' : nowrap((0,units/* formatUsd */.UK)(value));
const duration = (value) => value === null ? '—' : nowrap((0,units/* formatDuration */.a3)(value));
/** A rate as a percentage, 4 significant digits: `6.667%`. */
const rate = (fraction) => `${(0,units/* formatNumber */.ZV)(Number((fraction * 100).toPrecision(4)))}%`;
/**
 * A count for people: rounded to a whole number (an estimate from a sample is not one), thousands
 * separated with commas (`1,000,000`), so that a million calls reads at a glance.
 */
function count(value) {
    const whole = Math.round(value);
    if (!Number.isSafeInteger(whole))
        return (0,units/* formatNumber */.ZV)(whole);
    return String(whole).replace(/\B(?=(\d{3})+$)/g, ',');
}

;// CONCATENATED MODULE: ./src/report/provenance.ts
// Pure: where the report's numbers came from and how far to trust them. Which source answered and why
// (`source: auto` chooses), the window it actually covered (GraphQL Analytics is minutes behind, so
// its window ends before the gate started), and whether its figures are exact (Cloudflare computed
// them over every call) or estimated from a sample, each with its 95% interval, and what the source
// could not give at all. A `logs` answer that was not chosen for a reason adds nothing: its report
// reads as it always did.





/** What the report calls each source. */
const SOURCE_LABEL = {
    logs: 'the Logs API',
    analytics: 'GraphQL Analytics'
};
/** The figures with an interval, in the order the report lists them; any other name follows, sorted. */
const INTERVAL_ORDER = [
    'count',
    'errors',
    'error-rate',
    'cached',
    'cache-rate',
    'cost.sum',
    'cost.avg',
    'tokens-in.sum',
    'tokens-in.avg',
    'tokens-out.sum',
    'tokens-out.avg',
    'tokens.sum',
    'tokens.avg'
];
/** An interval that says something: a sample's (lower below upper, or fewer calls read than estimated). */
function sampledInterval(interval) {
    return (interval.lower !== interval.upper || interval.sampleSize < interval.estimate);
}
/**
 * Whether the figures are estimates: an interval from a sample, or a metric the source marked
 * `estimated`. Degenerate intervals (lower = upper = estimate, every call counted) are exact.
 */
function isSampled(measured) {
    return (Object.values(measured.intervals ?? {}).some(sampledInterval) ||
        measured.caveats.some((c) => c.kind === 'estimated'));
}
/** `2026-12-01 09:30:00` (UTC, to the second); a time the Date cannot hold is said to be unknown. */
function utcText(ms) {
    const date = new Date(ms);
    if (Number.isNaN(date.getTime()))
        return 'an unknown time';
    return date
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, '');
}
/** A window's length in words, to the second: `24 h`, `23 h 50 min`, `7 d`, `45 s`. */
function spanText(ms) {
    if (!Number.isFinite(ms) || ms < 0)
        return 'an unknown length';
    let seconds = Math.round(ms / 1000);
    // Up to two days in hours, as `since: 24h` is written; from there in days.
    const units = [
        ...(seconds >= 2 * 86_400 ? [['d', 86_400]] : []),
        ['h', 3_600],
        ['min', 60],
        ['s', 1]
    ];
    const parts = [];
    for (const [unit, size] of units) {
        const n = Math.floor(seconds / size);
        seconds -= n * size;
        if (n > 0)
            parts.push(`${n} ${unit}`);
    }
    return parts.length === 0 ? '0 s' : parts.join(' ');
}
/** A figure's value with its unit, rounded for people: `1,204 calls`, `0.1235%`, `12.35 USD`, `3.8 s`. */
function figureText(name, value) {
    const [metric, aggregate] = name.split('.');
    switch (metric) {
        case 'count':
        case 'errors':
        case 'cached':
            return `${count(value)} calls`;
        case 'error-rate':
        case 'cache-rate':
            return rate(value);
        case 'cost':
            return usd(value);
        case 'duration':
            return duration(value);
        case 'tokens-in':
        case 'tokens-out':
        case 'tokens':
            return aggregate === 'avg'
                ? `${(0,units/* formatNumber */.ZV)(Number(value.toPrecision(4)))} tokens`
                : `${count(value)} tokens`;
        default:
            return (0,units/* formatNumber */.ZV)(Number(value.toPrecision(6)));
    }
}
/** `1,150–1,260 calls`: the unit once, after the upper bound, when both bounds have the same. */
function rangeText(name, lower, upper) {
    const low = figureText(name, lower);
    const high = figureText(name, upper);
    const unit = (text) => /[ \u00a0]([^ \u00a0\d]+)$/.exec(text)?.[1];
    const u = unit(low);
    const lowShown = u !== undefined && u === unit(high) ? low.slice(0, -u.length - 1) : low;
    return `${lowShown}–${high}`;
}
/** `≈ 1,204 calls (95%: 1,150–1,260 calls)`: an estimate and its interval, in one cell. */
function provenance_estimateText(name, interval) {
    return `≈ ${figureText(name, interval.estimate)} (95%: ${rangeText(name, interval.lower, interval.upper)})`;
}
/** A sentence from outside (`why`), escaped, ending with one full stop. */
function sentence(text) {
    return `${escapeText(text.trim().replace(/[.\s]+$/, ''), 400)}.`;
}
/** `**Measured by GraphQL Analytics**: <why>.`; undefined for a `logs` answer given no reason. */
function measuredBy(measured) {
    const { source, why } = measured;
    if (source === 'logs' && why === undefined)
        return undefined;
    return `**Measured by ${SOURCE_LABEL[source]}**${why === undefined ? '.' : `: ${sentence(why)}`}`;
}
/** The window the source covered, UTC to the second, and with analytics its lag. Undefined without one. */
function windowSentence(measured) {
    const { covered } = measured;
    if (!covered)
        return undefined;
    const lag = measured.source === 'analytics'
        ? '; analytics is minutes behind, so the calls of the last minutes may not be in it yet'
        : '';
    return `Window covered: ${utcText(covered.sinceMs)} to ${utcText(covered.untilMs)} UTC (${spanText(covered.untilMs - covered.sinceMs)})${lag}.`;
}
/**
 * Whether GraphQL Analytics' figures are exact or estimates, and the one rule for thresholds on
 * estimates; `short` for the PR comment. Undefined for the logs source (its figures are the calls').
 */
function exactness(measured, short = false) {
    if (measured.source !== 'analytics')
        return undefined;
    if (!isSampled(measured))
        return short
            ? 'Exact: computed by Cloudflare over every call.'
            : 'Its figures are exact: Cloudflare computed them over every call.';
    const size = measured.intervals?.count?.sampleSize;
    const of = size === undefined
        ? ''
        : ` of ${count(size)} ${size === 1 ? 'call' : 'calls'}`;
    return short
        ? `Estimated from a sample${of} (≈): thresholds are judged at the unfavourable end of the 95% interval.`
        : `Cloudflare answered from a sample${of}: its figures are estimates (≈), and a threshold on an estimate is judged at the unfavourable end of its 95% interval.`;
}
/**
 * The job summary's paragraph on where the numbers came from: which source answered and why, the
 * window it covered, whether its figures are exact or estimated. Undefined for a `logs` answer given
 * no reason: every report of the logs source reads as it did before there was a second source.
 */
function sourceParagraph(measured) {
    const first = measuredBy(measured);
    if (first === undefined)
        return undefined;
    return [first, windowSentence(measured), exactness(measured)]
        .filter((s) => s !== undefined)
        .join(' ');
}
/** The PR comment's shorter line: the source, why, exact or estimated; the window is in its details. */
function sourceLine(measured) {
    const first = measuredBy(measured);
    if (first === undefined)
        return undefined;
    return [first, exactness(measured, true)]
        .filter((s) => s !== undefined)
        .join(' ');
}
/** The percentiles a caveat on a whole metric (`duration`) shows in one row, in this order. */
const PERCENTILE_AGGREGATES = ['p50', 'p90', 'p95', 'p99'];
/** A distribution's aggregate by its threshold name (`duration.p95`), when the metrics have it. */
function provenance_valueOf(metrics, name) {
    const [metric, aggregate] = name.split('.');
    const d = metrics.distributions[metric];
    if (!d ||
        !aggregate ||
        !threshold_terms/* AGGREGATES */.dq.includes(aggregate))
        return null;
    return (0,sources_metrics/* aggregateValue */.PZ)(d, aggregate);
}
/**
 * The estimates table's row for a metric the source marked estimated: one aggregate
 * (`duration.p95`, `≈ 3.8 s`), or a whole metric's percentiles in one row (`duration p50 / p95`,
 * `≈ 1.2 s / 3.8 s`). Undefined when it has an interval (its row is there already) or no value.
 */
function caveatRow(metrics, metric, intervals) {
    if (metric in intervals)
        return undefined;
    if (metric.includes('.')) {
        const value = provenance_valueOf(metrics, metric);
        return {
            name: escapeText(metric, 80),
            estimate: value === null ? '—' : `≈ ${figureText(metric, value)}`
        };
    }
    const known = PERCENTILE_AGGREGATES.map((a) => ({
        a,
        value: provenance_valueOf(metrics, `${metric}.${a}`)
    })).filter((p) => p.value !== null);
    if (known.length === 0)
        return undefined;
    return {
        name: `${escapeText(metric, 80)} ${known.map((p) => p.a).join(' / ')}`,
        estimate: `≈ ${known.map((p) => figureText(`${metric}.${p.a}`, p.value)).join(' / ')}`
    };
}
/**
 * Every estimated figure in one table: each figure with an interval (its estimate and its 95%
 * interval), then the aggregates the source marked estimated (percentiles from a sampled histogram),
 * which have no interval: the reason stands in its place. Undefined when the figures are exact.
 */
function estimatesTable(measured) {
    if (measured.source !== 'analytics' || !isSampled(measured))
        return undefined;
    const intervals = measured.intervals ?? {};
    const names = Object.keys(intervals).sort((a, b) => {
        const rank = (n) => {
            const i = INTERVAL_ORDER.indexOf(n);
            return i === -1 ? INTERVAL_ORDER.length : i;
        };
        return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
    });
    const rows = names.map((name) => {
        const interval = intervals[name];
        return [
            escapeText(name, 80),
            `≈ ${figureText(name, interval.estimate)}`,
            rangeText(name, interval.lower, interval.upper)
        ];
    });
    for (const caveat of measured.caveats) {
        if (caveat.kind !== 'estimated')
            continue;
        const row = caveatRow(measured.metrics, caveat.metric, intervals);
        if (row)
            rows.push([
                row.name,
                row.estimate,
                `no interval: ${escapeText(caveat.reason, 300)}`
            ]);
    }
    if (rows.length === 0)
        return undefined;
    return `**Estimated from the sample**\n\n${table(['Figure', 'Estimate', '95% interval'], rows, [1])}`;
}
/** What the source could not give, each with its reason (a threshold on it fails closed, saying so). Undefined when it gave everything. */
function unavailableList(measured) {
    const missing = measured.caveats.filter((c) => c.kind === 'unavailable');
    if (missing.length === 0)
        return undefined;
    // One line per reason: `tokens.min, tokens.max, tokens.p50, …` share theirs.
    const byReason = new Map();
    for (const c of missing)
        byReason.set(c.reason, [...(byReason.get(c.reason) ?? []), c.metric]);
    const lines = [...byReason].map(([reason, metrics]) => `- ${metrics.map((m) => escapeText(m, 80)).join(', ')}: ${escapeText(reason, 400)}`);
    return `**Not available from ${SOURCE_LABEL[measured.source]}** (a threshold on one of these fails, saying why)\n\n${lines.join('\n')}`;
}
/** Where the per-call sections would be: a source that never reads calls one by one says where they are. */
function perCallLine(measured) {
    if (measured.source !== 'analytics')
        return undefined;
    return '_Per-call details (the costliest and slowest calls, the ids of failed calls) need `source: logs`: GraphQL Analytics gives totals, not calls._';
}
/**
 * A check's actual value as the checks table shows it: from a sample, the estimate and its interval
 * (`≈ 1,204 USD (95%: 1,150–1,260 USD)`), or `≈` before a value the source marked estimated; as the
 * gate wrote it otherwise. Escaped.
 */
function actualCell(verdict, measured) {
    const shown = escapeText(verdict.shown.actual);
    if (!measured)
        return shown;
    const interval = measured.intervals?.[verdict.name];
    if (interval && sampledInterval(interval))
        return provenance_estimateText(verdict.name, interval);
    const caveat = caveatOf(measured, verdict.name);
    if (caveat?.kind === 'estimated' &&
        verdict.shown.actual !== 'unknown' &&
        !verdict.shown.actual.startsWith('≈'))
        return `≈ ${shown}`;
    return shown;
}

;// CONCATENATED MODULE: ./src/report/trend.ts



/** Rows of the trend table shown open in the job summary; a longer trend's table is folded under its charts. */
const MAX_OPEN_TREND_ROWS = 14;
/** Days filled in between two days of a trend at most: a trend is at most 62 days long. */
const MAX_FILLED_DAYS = 366;
const DAY_MS = 86_400_000;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
/** `2026-12-01` as ms since the epoch, or undefined when it is not a date of that shape. */
function dayMs(date) {
    if (!DATE_RE.test(date))
        return undefined;
    const ms = Date.parse(`${date}T00:00:00Z`);
    return Number.isNaN(ms) ? undefined : ms;
}
/**
 * The trend one entry a day, oldest first: the days given, sorted by date, and a day of zeros for
 * each day between two of them that has no entry (grouping by date gives no group for a day without
 * calls). Dates that are not YYYY-MM-DD are kept as given, and nothing is filled next to them.
 */
function dailyTrend(trend) {
    const sorted = [...trend].sort((a, b) => a.date < b.date ? -1 : a.date > b.date ? 1 : 0);
    // A day without calls costs nothing, unless the source could not give costs at all.
    const fillCost = sorted.some((d) => d.cost === null) ? null : 0;
    const days = [];
    for (const day of sorted) {
        const previous = days[days.length - 1];
        const from = previous && dayMs(previous.date);
        const to = dayMs(day.date);
        if (from !== undefined &&
            to !== undefined &&
            (to - from) / DAY_MS <= MAX_FILLED_DAYS)
            for (let ms = from + DAY_MS; ms < to; ms += DAY_MS)
                days.push({
                    date: new Date(ms).toISOString().slice(0, 10),
                    count: 0,
                    cost: fillCost,
                    errors: 0
                });
        days.push(day);
    }
    return days;
}
/** `the last 14 days (UTC), oldest first`, and that they are estimates when they are. */
function trendHeading(days, estimated) {
    return `**Trend**: the last ${days === 1 ? 'day' : `${days} days`} (UTC), oldest first${estimated ? ', estimated from the sample' : ''}`;
}
/** One row a day: date, calls, cost, errors; the last day says where it ends when the window ends that day. */
function trendTable(trend, options = {}) {
    const until = options.untilMs === undefined ? undefined : utcText(options.untilMs);
    const rows = trend.map((day, i) => {
        const partial = i === trend.length - 1 &&
            until !== undefined &&
            until.startsWith(`${day.date} `) &&
            !until.endsWith(' 00:00:00')
            ? ` (to ${until.slice(11)})`
            : '';
        return [
            `${escapeText(day.date, 40)}${partial}`,
            count(day.count),
            usd(day.cost),
            count(day.errors)
        ];
    });
    return table(['Date', 'Calls', 'Cost', 'Errors'], rows, [1, 2, 3]);
}
/** `12-01` for `2026-12-01` (62 days never repeat a month and day); any other text as it is. */
const shortDate = (date) => DATE_RE.test(date) ? date.slice(5) : date;
/**
 * Cost per day (in US cents below a dollar a day, as the cost chart does) and errors per day. The
 * cost chart is left out when a day's cost is unknown: a 0 drawn for it would be a claim.
 */
function trendCharts(trend) {
    const labels = trend.map((d) => shortDate(d.date));
    const costs = trend.map((d) => d.cost);
    const known = costs.every((c) => c !== null && Number.isFinite(c));
    const charts = [];
    if (known) {
        const max = costs.reduce((m, c) => Math.max(m, c ?? 0), 0);
        const [unit, scale] = max < 1 ? ['US cents', 100] : ['USD', 1];
        charts.push(lineChart({
            title: `Cost per day (${unit})`,
            unit,
            labels,
            values: costs.map((c) => (c ?? 0) * scale)
        }));
    }
    charts.push(lineChart({
        title: 'Errors per day',
        unit: 'errors',
        labels,
        values: trend.map((d) => d.errors)
    }));
    return charts.filter((c) => c !== undefined);
}
/**
 * The job summary's trend: the heading, the charts, then the table (folded under the charts when
 * the trend is longer than MAX_OPEN_TREND_ROWS days). Undefined when no trend was asked for.
 */
function trendSection(trend, options) {
    if (trend === undefined)
        return undefined;
    const days = dailyTrend(trend);
    if (days.length === 0)
        return '**Trend**: no day of it had calls.';
    const unknown = days.some((d) => d.cost === null)
        ? '\n\n_No cost chart: the cost of a day is unknown (—)._'
        : '';
    const tableText = trendTable(days, options);
    const tableShown = days.length > MAX_OPEN_TREND_ROWS && options.open !== true
        ? `<details><summary>Trend by day: ${days.length} days</summary>\n\n${tableText}\n\n</details>`
        : tableText;
    return [
        `${trendHeading(days.length, options.estimated)}${unknown}`,
        ...trendCharts(days),
        tableShown
    ].join('\n\n');
}

;// CONCATENATED MODULE: ./src/report/markdown.ts










const REPORT_TITLE = 'AI Gateway gate';
const MAX_METADATA_ENTRIES = 20;
/** Rows of the per-model table in the job summary; the rest are summed up in one line. */
const MAX_MODEL_ROWS = 20;
/** Failed calls listed by id; the rest are counted. */
const MAX_FAILED_CALLS = 10;
/** `+98%`, `-0.9%`, `±0%`: whole from 10% up, one decimal below. */
function percentText(percent) {
    if (percent === 0)
        return '±0%';
    const sign = percent > 0 ? '+' : '-';
    const abs = Math.abs(percent);
    if (abs < 0.05)
        return `${sign}<0.1%`;
    const text = abs >= 10 ? String(Math.round(abs)) : String(Number(abs.toFixed(1)));
    return `${sign}${text}%`;
}
function countChecks(verdicts) {
    const gating = verdicts.filter((v) => v.level === 'error');
    return {
        total: gating.length,
        failed: gating.filter((v) => !v.passed).length,
        warned: verdicts.filter((v) => v.level === 'warn' && !v.passed).length
    };
}
/** What the baseline is called in a sentence: its branch (`main`) when GitHub named the run, else "the baseline". */
function baselineName(baseline) {
    return baseline.workflowRun
        ? escapeText(baseline.workflowRun.branch, 40)
        : 'the baseline';
}
/** `cost +98% vs main (0.4007 USD vs 0.2024 USD)`; undefined without a baseline or a known cost on both sides. */
function costChange(outcome) {
    const { baseline } = outcome;
    if (!baseline || baseline.kind !== 'found')
        return undefined;
    const c = change(outcome.measured.metrics.distributions.cost.sum, baseline.metrics.distributions.cost.sum);
    if (c.current === null || c.baseline === null || c.delta === null)
        return undefined;
    const by = c.percent === null
        ? `${c.delta > 0 ? '+' : ''}${(0,units/* formatUsd */.UK)(c.delta)}`
        : percentText(c.percent);
    return `cost ${by} vs ${baselineName(baseline)} (${(0,units/* formatUsd */.UK)(c.current)} vs ${(0,units/* formatUsd */.UK)(c.baseline)})`;
}
/**
 * The report's first line: the result, how many checks failed of how many, warnings, and with a
 * baseline the change in cost. An error (no verdict) has its own sign: ⛔, never a warning's ⚠️.
 */
function headline(outcome) {
    if (outcome.kind === 'error')
        return `### ⛔ ${REPORT_TITLE}: error, no verdict${outcome.reportOnly ? ' (fail-on-breach is false: the step passes)' : ''}`;
    const { total, failed, warned } = countChecks(outcome.verdicts);
    // The change in cost right after the result: what a reviewer of a pull request looks for first.
    const parts = [];
    const cost = costChange(outcome);
    if (cost)
        parts.push(cost);
    if (failed > 0)
        parts.push(`${failed} of ${plural(total, 'check')} failed`);
    else if (total === 0)
        parts.push(outcome.verdicts.length === 0 ? 'no limits set' : 'no error-level checks');
    else
        parts.push(total === 1 ? '1 check passed' : `all ${total} checks passed`);
    if (warned > 0)
        parts.push(plural(warned, 'warning'));
    const [icon, result] = failed === 0
        ? ['✅', 'passed']
        : outcome.failOnBreach
            ? ['❌', 'failed']
            : ['⚠️', 'limits breached (fail-on-breach is false)'];
    return `### ${icon} ${REPORT_TITLE}: ${result} · ${parts.join(' · ')}`;
}
function markdown_status(v) {
    if (v.passed)
        return '✅ pass';
    if (v.skipped !== undefined)
        return '⏭️ skipped';
    return v.level === 'warn' ? '⚠️ warn' : '❌ fail';
}
/**
 * The checks that failed or warned, one line each, failures first: `- ❌ cost.sum 0.4007 USD > 0.25 USD`.
 * At most `max` lines, then how many more. Undefined when every check held.
 */
function problems(verdicts, max = Infinity) {
    const failing = [
        ...verdicts.filter((v) => !v.passed && v.level === 'error'),
        ...verdicts.filter((v) => !v.passed && v.level === 'warn')
    ];
    if (failing.length === 0)
        return undefined;
    const icon = (v) => v.level === 'error' ? '❌' : v.skipped !== undefined ? '⏭️' : '⚠️';
    const lines = failing
        .slice(0, max)
        .map((v) => `- ${icon(v)} ${v.level === 'warn' ? 'warning: ' : ''}${escapeText(v.shown.message)}`);
    const rest = failing.length - lines.length;
    if (rest > 0)
        lines.push(`- …and ${rest} more (see the checks below)`);
    return lines.join('\n');
}
/** One log: the table it always had (check, actual, limit, status). */
function checksTable(verdicts) {
    if (verdicts.length === 0)
        return '_No limits were set: nothing was checked._';
    return table(['Check', 'Actual', 'Limit', 'Status'], verdicts.map((v) => [
        escapeText(v.name),
        escapeText(v.shown.actual),
        escapeText(v.shown.limit),
        markdown_status(v)
    ]));
}
/** Many calls: the thresholds table, with each one's level; an estimate says so, with its interval. */
function thresholdsTable(verdicts, measured) {
    if (verdicts.length === 0)
        return '_No limits or thresholds were set: nothing was checked._';
    return table(['Metric', 'Actual', 'Limit', 'Level', 'Result'], verdicts.map((v) => [
        escapeText(v.name),
        actualCell(v, measured),
        escapeText(v.shown.limit),
        v.level,
        markdown_status(v)
    ]));
}
/**
 * Many calls, in one line: how many, what they cost, how slow, how many failed. From GraphQL
 * Analytics, counts have thousands separators (a million calls is common there), and from a sample
 * every figure is marked `≈`.
 */
function totalsLine(metrics, measured) {
    const analytics = measured?.source === 'analytics';
    const about = analytics && isSampled(measured) ? '≈ ' : '';
    const many = (n, word) => analytics
        ? `${about}${count(n)} ${word}${n === 1 ? '' : 's'}`
        : plural(n, word);
    const cost = metrics.distributions.cost;
    const costText = cost.sum === null
        ? `unknown (${plural(cost.missing, 'call')} without cost)`
        : `${about}${usd(cost.sum)}`;
    const p95 = (0,sources_metrics/* aggregateValue */.PZ)(metrics.distributions.duration, 'p95');
    const errorRate = metrics.errorRate === null ? '' : ` (${rate(metrics.errorRate)})`;
    return `**${many(metrics.count, 'call')}** · total cost **${costText}** · p95 duration **${p95 === null ? '—' : `${about}${duration(p95)}`}** · **${many(metrics.errors, 'error')}**${errorRate}`;
}
/** A change in a table cell: the percentage, or the amount when the baseline was 0; `—` when unknown. */
function changeCell(unit, c) {
    if (c.delta === null)
        return '—';
    if (c.percent !== null)
        return percentText(c.percent);
    const amount = unit === 'USD' ? usd(c.delta) : duration(c.delta);
    return c.delta > 0 ? `+${amount}` : c.delta < 0 ? amount : '±0';
}
/** Every model of this run (costliest first), then those only the baseline used, with the changes when there is a baseline. */
function modelRows(metrics, baseline) {
    const rows = metrics.models.map((m) => ({
        provider: m.provider,
        model: m.model,
        calls: m.calls,
        errors: m.errors,
        costUsd: m.costUsd,
        tokensIn: m.tokensIn,
        tokensOut: m.tokensOut,
        p95DurationMs: m.p95DurationMs?.value ?? null
    }));
    if (!baseline || baseline.kind !== 'found')
        return rows;
    const before = new Set(baseline.metrics.models.map((m) => JSON.stringify([m.provider, m.model])));
    const changes = modelChanges(metrics, baseline.metrics);
    const compared = rows.map((row, i) => {
        const c = changes[i];
        const used = before.has(JSON.stringify([row.provider, row.model]));
        return {
            ...row,
            cost: c.cost,
            p95: c.p95DurationMs,
            ...(used ? {} : { mark: 'new' })
        };
    });
    const gone = changes.slice(rows.length).map((c) => ({
        provider: c.provider,
        model: c.model,
        costUsd: null,
        tokensIn: null,
        tokensOut: null,
        p95DurationMs: null,
        cost: c.cost,
        p95: c.p95DurationMs,
        mark: 'gone'
    }));
    return [...compared, ...gone];
}
/**
 * A model's name as the table shows it: the model alone (it names the provider's product), with the
 * provider beside it only when two providers served a model of the same name.
 */
function modelLabels(rows) {
    const providers = new Map();
    for (const r of rows)
        providers.set(r.model, (providers.get(r.model) ?? new Set()).add(r.provider));
    return rows.map((r) => (providers.get(r.model)?.size ?? 0) > 1
        ? `${escapeText(r.model, 80)} (${escapeText(r.provider, 40)})`
        : escapeText(r.model, 80));
}
/** The table's first row when it lists more than one model: every call, and the totals' change. */
function allCallsRow(metrics, found) {
    const totals = found ? headlineChanges(metrics, found.metrics) : undefined;
    return {
        provider: '',
        model: '',
        calls: metrics.count,
        errors: metrics.errors,
        costUsd: metrics.distributions.cost.sum,
        tokensIn: metrics.distributions['tokens-in'].sum,
        tokensOut: metrics.distributions['tokens-out'].sum,
        p95DurationMs: (0,sources_metrics/* aggregateValue */.PZ)(metrics.distributions.duration, 'p95'),
        ...(totals ? { cost: totals[1].change, p95: totals[2].change } : {})
    };
}
function modelHeader(compare, p95, tokens) {
    return [
        'Model',
        'Calls',
        'Cost',
        ...(compare ? ['Change'] : []),
        ...(p95 ? ['p95 duration'] : []),
        ...(compare && p95 ? ['Change'] : []),
        ...(tokens ? ['Tokens in / out'] : []),
        'Errors'
    ];
}
/**
 * One table for the calls per model and, with a baseline, how each changed: a first row for all calls,
 * then each model; a model this run added says `new`, one it no longer uses `gone`. No provider
 * column (see modelLabels), so that it fits a pull request's column. Undefined without models.
 */
function modelTable(outcome, options) {
    const { metrics } = outcome.measured;
    const found = outcome.baseline?.kind === 'found' ? outcome.baseline : undefined;
    const rows = modelRows(metrics, found);
    if (rows.length === 0)
        return undefined;
    const labels = modelLabels(rows);
    const compare = found !== undefined;
    // GraphQL Analytics has no percentile per model (no quantiles): no column of dashes, and counts of
    // millions with separators.
    const analytics = outcome.measured.source === 'analytics';
    const calls = analytics ? count : units/* formatNumber */.ZV;
    const p95 = !analytics;
    const changeOf = (row, c, unit) => row.mark ?? (c ? changeCell(unit, c) : '—');
    const line = (row, label) => [
        label,
        row.calls === undefined ? '0' : calls(row.calls),
        usd(row.costUsd),
        ...(compare ? [changeOf(row, row.cost, 'USD')] : []),
        ...(p95 ? [duration(row.p95DurationMs)] : []),
        ...(compare && p95 ? [changeOf(row, row.p95, 'ms')] : []),
        ...(options.tokens
            ? [
                row.tokensIn === null && row.tokensOut === null
                    ? '—'
                    : analytics
                        ? `${row.tokensIn === null ? '—' : count(row.tokensIn)} / ${row.tokensOut === null ? '—' : count(row.tokensOut)}`
                        : `${cell(row.tokensIn)} / ${cell(row.tokensOut)}`
            ]
            : []),
        row.errors === undefined ? '—' : calls(row.errors)
    ];
    const shown = rows.slice(0, options.maxRows);
    const body = shown.map((row, i) => line(row, labels[i]));
    // With more than one model, a first row for all of them: the totals and their change.
    if (rows.length > 1) {
        const first = line(allCallsRow(metrics, found), '**all calls**');
        if (metrics.errorRate !== null && metrics.errors > 0)
            first[first.length - 1] =
                `${calls(metrics.errors)}\u00a0(${rate(metrics.errorRate)})`;
        body.unshift(first);
    }
    const header = modelHeader(compare, p95, options.tokens);
    const right = header.map((_, i) => i).filter((i) => i > 0);
    const rest = rows.length - shown.length;
    const more = rest > 0
        ? `\n\n_…and ${plural(rest, 'more model')}${options.restWhere ? ` ${options.restWhere}` : ''}._`
        : '';
    return `${table(header, body, right)}${more}`;
}
/** The calls that failed (success false), up to MAX_FAILED_CALLS by id, model and status code; undefined when none did or the calls were not read one by one. */
function failedCalls(outcome) {
    const { calls, metrics } = outcome.measured;
    if (!calls)
        return undefined;
    const failed = calls.filter((c) => c.success !== true);
    if (failed.length === 0)
        return undefined;
    const rows = failed
        .slice(0, MAX_FAILED_CALLS)
        .map((c) => [
        escapeText(c.id, 80),
        escapeText(c.model, 80),
        c.status_code === undefined ? 'not reported' : String(c.status_code)
    ]);
    const rest = failed.length - rows.length;
    const more = rest > 0 ? `\n\n_…and ${plural(rest, 'more failed call')}._` : '';
    return `**Failed calls** (${failed.length} of ${plural(metrics.count, 'call')})\n\n${table(['Call', 'Model', 'Status code'], rows, [2])}${more}`;
}
/**
 * The costliest or the slowest calls. A call that failed is marked ❌ after its id (no column of its
 * own: with long model names, a fifth column made the table wider than a pull request's column).
 */
function callsTable(title, calls) {
    if (calls.length === 0)
        return undefined;
    const rows = calls.map((c) => [
        `${escapeText(c.id, 80)}${c.success ? '' : ' ❌'}`,
        escapeText(c.model, 80),
        usd(c.costUsd),
        duration(c.durationMs)
    ]);
    const failed = calls.some((c) => !c.success) ? ' (❌ failed)' : '';
    return `**${title}**${failed}\n\n${table(['Call', 'Model', 'Cost', 'Duration'], rows, [2, 3])}`;
}
/** A value of the comparison tables with its unit; a rate as a percentage. */
function comparedValue(unit, value) {
    if (value === null)
        return '—';
    switch (unit) {
        case 'USD':
            return usd(value);
        case 'ms':
            return duration(value);
        case 'calls':
            return (0,units/* formatNumber */.ZV)(value);
        case 'fraction':
            return rate(value);
    }
}
const signed = (value, text) => value > 0 ? `+${text}` : value < 0 ? text : `±${text}`;
/** `+0.2 USD (+18%)`, `-120 ms (-3.1%)`; a rate's change in percentage points, `+1.5 pp (+50%)`; `—` when unknown. */
function changeText(unit, c) {
    if (c.delta === null)
        return '—';
    const amount = unit === 'fraction'
        ? `${(0,units/* formatNumber */.ZV)(Number((c.delta * 100).toPrecision(4)))} pp`
        : comparedValue(unit, c.delta);
    const percent = c.percent === null ? '' : ` (${percentText(c.percent)})`;
    return `${signed(c.delta, amount)}${percent}`;
}
/**
 * A URL as a markdown link's target, or undefined when it is not an http(s) URL: the characters that
 * could end the target or the link, or start markup, percent-encoded.
 */
function linkTarget(url) {
    let parsed;
    try {
        parsed = new URL(url);
    }
    catch {
        return undefined;
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
        return undefined;
    return parsed.href.replace(/[()[\]<>"'`|\\\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
/** `[run 4200, attempt 1](…) on main at \`abc1234\``: the GitHub Actions run a baseline came from. */
function runLink(run) {
    const text = `run ${run.id}${run.attempt === null ? '' : `, attempt ${run.attempt}`}`;
    const target = run.url === null ? undefined : linkTarget(run.url);
    const sha = run.headSha === null ? '' : ` at \`${run.headSha.slice(0, 7)}\``;
    return `${target ? `[${text}](${target})` : text} on ${escapeText(run.branch, 80)}${sha}`;
}
/** Why thresholds against the baseline are warnings here: the event is not a pull request's. */
function baselineWarningsLine(event) {
    if (event === undefined)
        return undefined;
    return `_On a ${escapeText(event, 40)} event, a threshold against the baseline is a warning, never a failure: the change was reviewed in its pull request._`;
}
/** Which run this one is compared with, or why there is none: one line. */
function baselineLine(baseline) {
    if (baseline.kind === 'missing') {
        const of = baseline.workflowRun ? ` (${runLink(baseline.workflowRun)})` : '';
        return `**No baseline to compare with**${of}: ${escapeText(baseline.reason, 600)}`;
    }
    const from = baseline.workflowRun ? ` · ${runLink(baseline.workflowRun)}` : '';
    return `**Compared with the baseline**: ${escapeText(baseline.describe, 160)}${from}`;
}
/** The headline metrics of this run and the baseline, with the change. */
function comparisonTable(outcome) {
    const { baseline } = outcome;
    if (!baseline || baseline.kind !== 'found')
        return undefined;
    const rows = headlineChanges(outcome.measured.metrics, baseline.metrics).map((h) => [
        h.label,
        comparedValue(h.unit, h.change.current),
        comparedValue(h.unit, h.change.baseline),
        changeText(h.unit, h.change)
    ]);
    return table(['Metric', 'This run', 'Baseline', 'Change'], rows, [1, 2, 3]);
}
/** The limit a duration threshold sets, for the histogram to mark: an error-level one first. */
function durationLimit(verdicts) {
    const limits = [
        ...verdicts.filter((v) => v.level === 'error'),
        ...verdicts.filter((v) => v.level === 'warn')
    ]
        .filter((v) => v.name.startsWith('duration'))
        .map((v) => v.entry.limit);
    return limits.find((l) => typeof l === 'number');
}
/**
 * The charts that say what a table does not: cost by model against the baseline (only with one), and
 * how durations spread, with the p95 and the limit marked. None for one log.
 */
function charts(outcome) {
    const { log, calls, metrics } = outcome.measured;
    if (log || !calls)
        return [];
    const found = outcome.baseline?.kind === 'found' ? outcome.baseline : undefined;
    const cost = found
        ? costByModelChart(modelRows(metrics, found).map((row) => ({
            label: row.model,
            current: row.costUsd,
            baseline: row.cost?.baseline ?? null
        })), found.workflowRun?.branch ?? 'baseline')
        : undefined;
    const histogram = durationHistogram(calls.map((call) => call.duration), {
        p95Ms: (0,sources_metrics/* aggregateValue */.PZ)(metrics.distributions.duration, 'p95'),
        limitMs: durationLimit(outcome.verdicts)
    });
    return [cost, histogram].filter((chart) => chart !== undefined);
}
/** One log in one line: model, provider, cost, duration, tokens, status. */
function callLine(log) {
    const tokens = log.tokens_in === null && log.tokens_out === null
        ? undefined
        : `${cell(log.tokens_in)} in / ${cell(log.tokens_out)} out tokens`;
    return [
        `**${escapeText(log.model, 80)}** (${escapeText(log.provider, 40)})`,
        log.cost === undefined ? 'cost not reported' : (0,units/* formatUsd */.UK)(log.cost),
        (0,units/* formatDuration */.a3)(log.duration),
        tokens,
        `status ${log.status_code ?? 'not reported'}`,
        log.success ? 'success' : 'failed'
    ]
        .filter(Boolean)
        .join(' · ');
}
function callTable(log) {
    const tokens = log.tokens_in === null && log.tokens_out === null
        ? '—'
        : `${cell(log.tokens_in)} in / ${cell(log.tokens_out)} out`;
    const rows = [
        ['Model', cell(log.model)],
        ['Provider', cell(log.provider)],
        ['Status code', cell(log.status_code)],
        ['Success', cell(log.success)],
        ['Cached', cell(log.cached)],
        ['Tokens', tokens],
        [
            'Cost',
            log.cost === undefined
                ? '—'
                : `${(0,units/* formatUsd */.UK)(log.cost)}${log.custom_cost ? ' (custom cost)' : ''}`
        ],
        ['Duration', (0,units/* formatDuration */.a3)(log.duration)],
        ['Created at', cell(log.created_at)],
        ['Step', cell(log.step)]
    ];
    return table(['Call', ''], rows.map(([k, v]) => [`**${k}**`, v]));
}
/** Metadata as key/value rows when it is a JSON object; otherwise the raw text, escaped. */
function metadataSection(metadata) {
    if (metadata === undefined || metadata.trim() === '')
        return undefined;
    let parsed;
    try {
        parsed = JSON.parse(metadata);
    }
    catch {
        parsed = undefined;
    }
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        const entries = Object.entries(parsed);
        if (entries.length === 0)
            return undefined;
        const rows = entries
            .slice(0, MAX_METADATA_ENTRIES)
            .map(([k, v]) => [
            escapeText(k, 60),
            cell(typeof v === 'object' && v !== null
                ? ((0,text_escape/* jsonText */.s$)(v) ?? '(nested too deeply to show)')
                : v)
        ]);
        const more = entries.length > MAX_METADATA_ENTRIES
            ? `\n\n_…and ${entries.length - MAX_METADATA_ENTRIES} more entries._`
            : '';
        return `${table(['Metadata', ''], rows)}${more}`;
    }
    return `**Metadata:** ${escapeText(metadata)}`;
}
/** Where the calls were read, as parts of the last line: log, selection, gateway, and the account when asked. */
function locationParts(where, withAccount) {
    const part = (label, value) => value ? `${label} ${escapeText(value, 80)}` : undefined;
    return [
        part('log', where.logId),
        where.selection ? escapeText(where.selection, 160) : undefined,
        part('gateway', where.gatewayId),
        withAccount ? part('account', where.accountId) : undefined
    ].filter((p) => p !== undefined);
}
function locationLine(where) {
    const parts = locationParts(where, true);
    return parts.length > 0
        ? `<sub>Cloudflare AI Gateway ${parts.join(' · ')} (dashboard: AI › AI Gateway › Logs)</sub>`
        : '';
}
/** How many rows the model table has (before any is left out): with more than one, it opens with the totals. */
function modelRowCount(outcome) {
    return modelRows(outcome.measured.metrics, outcome.baseline).length;
}
/**
 * The sections of a selection of many calls below the first lines and the model table, in the order
 * the summary gives them (the line that names the baseline is the caller's to place).
 */
function runSections(outcome) {
    const { measured } = outcome;
    const { metrics } = measured;
    return [
        comparisonTable(outcome),
        thresholdsTable(outcome.verdicts, measured),
        estimatesTable(measured),
        unavailableList(measured),
        failedCalls(outcome),
        callsTable('Costliest calls', metrics.costliest),
        callsTable('Slowest calls', metrics.slowest),
        perCallLine(measured),
        ...charts(outcome)
    ].filter((section) => section !== undefined);
}
/** The trend (`trend: 14d`), its table folded when long unless `open`; undefined when none was asked for. */
function trendOf(outcome, open = false) {
    const { measured } = outcome;
    return trendSection(measured.trend, {
        open,
        // Whatever the source: the logs source's trend is an analytics query of its own, sampled or not.
        estimated: caveatOf(measured, 'trend')?.kind === 'estimated',
        ...(measured.covered ? { untilMs: measured.covered.untilMs } : {})
    });
}
/**
 * The whole report, for the job summary and the `markdown` output: the first line (result, checks,
 * the change in cost), what failed, the calls per model against the baseline, then every detail:
 * the comparison, the checks, the failed calls, the costliest and slowest calls, the charts.
 */
function renderReport(outcome, where) {
    const parts = [headline(outcome)];
    if (outcome.kind === 'error') {
        parts.push(escapeText(outcome.message, 2000));
    }
    else {
        const { log, metrics } = outcome.measured;
        parts.push(problems(outcome.verdicts));
        parts.push(sourceParagraph(outcome.measured));
        if (log) {
            parts.push(checksTable(outcome.verdicts), callTable(log), metadataSection(log.metadata));
        }
        else {
            const models = modelTable(outcome, {
                tokens: true,
                maxRows: MAX_MODEL_ROWS
            });
            // The totals are the table's first row; without that row (no calls, one model) they get a line.
            if (modelRowCount(outcome) < 2)
                parts.push(totalsLine(metrics, outcome.measured));
            // Which run the Change columns compare with (or why there is none), above them.
            if (outcome.baseline)
                parts.push(baselineLine(outcome.baseline));
            parts.push(baselineWarningsLine(outcome.baselineWarnsOn));
            parts.push(models, ...runSections(outcome), trendOf(outcome));
        }
    }
    const location = locationLine(where);
    if (location)
        parts.push(location);
    return `${parts.filter((p) => p !== undefined).join('\n\n')}\n`;
}

;// CONCATENATED MODULE: ./src/report/comment.ts



/** Failed or warned checks listed above the fold; the rest are in the details. */
const MAX_COMMENT_PROBLEMS = 5;
/** Models in the comment's table; the rest are in the job summary. */
const MAX_COMMENT_MODELS = 10;
/** `<details>` with a one-line summary; blank lines around the body so GitHub reads it as markdown. */
function details(summary, sections) {
    return `<details><summary>${summary}</summary>\n\n${sections.join('\n\n')}\n\n</details>`;
}
/** The last line: the run (its job summary has the whole report), the commit, the calls' location without the account. */
function footer(context) {
    const { run, commit } = context.links;
    const runTarget = run ? linkTarget(run.url) : undefined;
    const report = run && runTarget
        ? `Full report: [job summary of workflow run ${run.id}](${runTarget})`
        : 'Full report: the job summary of this workflow run';
    const short = commit ? `\`${commit.sha.slice(0, 7)}\`` : undefined;
    const commitTarget = commit?.url ? linkTarget(commit.url) : undefined;
    const commitPart = short
        ? `commit ${commitTarget ? `[${short}](${commitTarget})` : short}`
        : undefined;
    const where = locationParts(context.where, false);
    const calls = where.length > 0 ? `Cloudflare AI Gateway ${where.join(' · ')}` : undefined;
    return `<sub>${[report, commitPart, calls].filter(Boolean).join(' · ')}</sub>`;
}
function manyCalls(outcome) {
    // Which source answered, and whether its figures are exact or estimates: above the fold, since a
    // verdict on estimates reads differently.
    const parts = [sourceLine(outcome.measured)];
    if (outcome.baseline?.kind === 'missing')
        parts.push(baselineLine(outcome.baseline));
    parts.push(modelTable(outcome, {
        tokens: false,
        maxRows: MAX_COMMENT_MODELS,
        restWhere: 'in the job summary'
    }));
    const found = outcome.baseline?.kind === 'found' ? outcome.baseline : undefined;
    const window = sourceLine(outcome.measured)
        ? windowSentence(outcome.measured)
        : undefined;
    const sections = [
        ...(window ? [window] : []),
        ...(found ? [baselineLine(found)] : []),
        ...runSections(outcome)
    ];
    const { measured } = outcome;
    const failed = measured.metrics.errors;
    const analytics = measured.source === 'analytics';
    const inside = [
        window ? 'window' : undefined,
        found ? 'comparison' : undefined,
        'checks',
        analytics && isSampled(measured) ? 'estimates' : undefined,
        measured.caveats.some((c) => c.kind === 'unavailable')
            ? 'what is not available'
            : undefined,
        failed > 0 && measured.calls ? 'failed calls' : undefined,
        analytics ? undefined : 'costliest and slowest calls',
        analytics ? undefined : 'charts'
    ].filter(Boolean);
    if (sections.length > 0)
        parts.push(details(`Details: ${inside.join(', ')}`, sections));
    parts.push(trendDetails(outcome));
    return parts.filter((p) => p !== undefined);
}
/**
 * The trend folded, under a summary that says how long it is (the last day is usually partial: a
 * figure of it in the summary would read as a drop); inside, the charts and the table.
 */
function trendDetails(outcome) {
    const section = trendOf(outcome, true);
    const { trend } = outcome.measured;
    if (section === undefined || trend === undefined)
        return undefined;
    const n = dailyTrend(trend).length;
    if (n === 0)
        return section;
    return details(`Trend: ${n === 1 ? 'the last day' : `the last ${n} days`}, cost and errors per day`, [section]);
}
function oneCall(outcome) {
    const { log } = outcome.measured;
    if (!log)
        return [];
    const sections = [
        checksTable(outcome.verdicts),
        callTable(log),
        metadataSection(log.metadata)
    ].filter((s) => s !== undefined);
    return [
        `Call ${escapeText(log.id, 80)}: ${callLine(log)}`,
        details('Details: checks, the call, its metadata', sections)
    ];
}
/** What stands for the account id: `***`, as GitHub masks a secret, escaped so it is no emphasis. */
const HIDDEN = '\\*\\*\\*';
/** Cloudflare's account ids are 32 hex digits: a shorter value would match ordinary words. */
const MIN_ACCOUNT_ID_CHARS = 8;
/**
 * The text without the account id, as given or as escaped for markdown: an error message can quote
 * it (`gateway "g" of account "…"`), and a pull request is no place for it.
 */
function withoutAccountId(markdown, accountId) {
    if (!accountId || accountId.length < MIN_ACCOUNT_ID_CHARS)
        return markdown;
    const forms = new Set([accountId, escapeText(accountId, Infinity)]);
    let text = markdown;
    for (const form of forms)
        text = text.split(form).join(HIDDEN);
    return text;
}
/**
 * The PR comment: at most about 30 lines outside <details> (the first line, up to MAX_COMMENT_PROBLEMS
 * checks, a table of up to MAX_COMMENT_MODELS models and the totals, the details' summary, the links).
 */
function renderComment(outcome, context) {
    const parts = [headline(outcome)];
    if (outcome.kind === 'error') {
        parts.push(escapeText(outcome.message, 2000));
    }
    else {
        parts.push(problems(outcome.verdicts, MAX_COMMENT_PROBLEMS));
        parts.push(...(outcome.measured.log ? oneCall(outcome) : manyCalls(outcome)));
    }
    parts.push(footer(context));
    return withoutAccountId(`${parts.filter((p) => p !== undefined).join('\n\n')}\n`, context.where.accountId);
}

// EXTERNAL MODULE: ./src/cloudflare/log.ts + 1 modules
var cloudflare_log = __nccwpck_require__(4184);
;// CONCATENATED MODULE: ./src/report/outputs.ts






/** Output names besides the log's 25 fields. */
const OUTPUT = {
    result: 'result',
    passed: 'passed',
    failures: 'failures',
    failuresOmitted: 'failures-omitted',
    warnings: 'warnings',
    warningsOmitted: 'warnings-omitted',
    count: 'count',
    totalCost: 'total-cost',
    metrics: 'metrics',
    baselineRunId: 'baseline-run-id',
    baselineMetrics: 'baseline-metrics',
    log: 'log',
    markdown: 'markdown',
    commentId: 'comment-id',
    commentUrl: 'comment-url',
    source: 'source',
    trend: 'trend'
};
/** GitHub's limit for all of a job's outputs is 1 MiB; the rest is room for comment-id and comment-url. */
const MAX_OUTPUTS_BYTES = 1024 * 1024 - 16 * 1024;
/** The most entries `failures` and `warnings` hold each: far more than anyone reads, far less than 1 MiB. */
const MAX_VERDICT_ENTRIES = 100;
/**
 * Caps tried in turn, largest first, until all outputs fit: [text field, markdown] in characters and
 * the entries of `failures` and of `warnings`.
 */
const CAPS = [
    [64 * 1024, 256 * 1024, MAX_VERDICT_ENTRIES],
    [16 * 1024, 128 * 1024, MAX_VERDICT_ENTRIES],
    [4 * 1024, 64 * 1024, 50],
    [1024, 32 * 1024, 20],
    [256, 16 * 1024, 10]
];
/** Text cut to `maxChars` with a marker that says so; never inside a surrogate pair. */
function cutMarked(text, maxChars) {
    if (text.length <= maxChars)
        return text;
    const kept = (0,text_escape/* prefix */.Pl)(text, maxChars);
    return `${kept}…[cut: ${text.length - kept.length} more characters]`;
}
/** A field's value as a step output: '' when absent or null, booleans and numbers as text. */
function fieldOutput(log, name) {
    const value = log?.[name];
    if (value === undefined || value === null)
        return '';
    return typeof value === 'number' ? (0,units/* formatNumber */.ZV)(value) : String(value);
}
/**
 * Every output as name → value, with text fields cut at `fieldChars`, the markdown at `markdownChars`,
 * and `failures` and `warnings` at `maxEntries` entries each.
 */
function outputsWithCaps(outcome, markdown, fieldChars, markdownChars, maxEntries) {
    const result = resultOf(outcome);
    const checked = outcome.kind === 'checked' ? outcome : undefined;
    const full = checked?.measured.log;
    const log = full &&
        Object.fromEntries(Object.entries(full).map(([k, v]) => [
            k,
            typeof v === 'string' ? cutMarked(v, fieldChars) : v
        ]));
    const cost = checked?.measured.metrics.distributions.cost.sum;
    const found = checked?.baseline?.kind === 'found' ? checked.baseline : undefined;
    const failures = verdictsJson(outcome, 'error', maxEntries);
    const warnings = verdictsJson(outcome, 'warn', maxEntries);
    const outputs = [
        [OUTPUT.result, result],
        [OUTPUT.passed, String(result === 'pass')],
        [OUTPUT.failures, failures.json],
        [OUTPUT.failuresOmitted, String(failures.omitted)],
        [OUTPUT.warnings, warnings.json],
        [OUTPUT.warningsOmitted, String(warnings.omitted)],
        [OUTPUT.count, checked ? String(checked.measured.metrics.count) : ''],
        [
            OUTPUT.totalCost,
            cost === undefined || cost === null ? '' : (0,units/* formatNumber */.ZV)(cost)
        ],
        [OUTPUT.metrics, checked ? (0,sources_metrics/* metricsJson */.us)(checked.measured.metrics) : ''],
        [OUTPUT.baselineRunId, found ? found.runId : ''],
        [OUTPUT.baselineMetrics, found ? (0,sources_metrics/* metricsJson */.us)(found.metrics) : ''],
        [OUTPUT.log, log ? JSON.stringify(log) : ''],
        [OUTPUT.source, checked ? checked.measured.source : ''],
        [OUTPUT.trend, trendJson(checked?.measured.trend)],
        ...cloudflare_log/* LOG_FIELDS */.Hg.map((field) => [
            field.output,
            fieldOutput(log, field.name)
        ]),
        [OUTPUT.markdown, cutMarked(markdown, markdownChars)]
    ];
    return outputs;
}
/**
 * The `trend` output: one entry a day, oldest first, `{"date": "YYYY-MM-DD", "count", "cost", "errors"}`,
 * numbers as the source gave them (`cost` null when unknown), a day without calls as zeros; empty when
 * no trend was asked for (or the gate ended in an error). At most 62 small entries: never cut.
 */
function trendJson(trend) {
    if (trend === undefined)
        return '';
    return JSON.stringify(dailyTrend(trend).map(({ date, count, cost, errors }) => ({
        date,
        count,
        cost,
        errors
    })));
}
const bytes = (outputs) => outputs.reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(value), 0);
/** The outputs to write: the largest caps under which they all fit in GitHub's limit. */
function outputsOf(outcome, markdown) {
    let outputs = [];
    for (const [fieldChars, markdownChars, maxEntries] of CAPS) {
        outputs = outputsWithCaps(outcome, markdown, fieldChars, markdownChars, maxEntries);
        if (bytes(outputs) <= MAX_OUTPUTS_BYTES)
            break;
    }
    return outputs;
}

;// CONCATENATED MODULE: ./src/github/runs.ts
// GitHub's list of a workflow's runs, as the baseline lookup asks it: the URL, the answer checked as the
// untrusted text it is, the link to a run, and why an answer that is not 200 is no baseline.


/** Where GitHub keeps a repository's workflow files, as a run's `path` and GITHUB_WORKFLOW_REF write it. */
const WORKFLOWS_DIR = '.github/workflows/';
/**
 * The workflow file a run ran, from the `path` of GitHub's workflow-run: `.github/workflows/eval.yml`,
 * which GitHub's own example writes with the ref, `.github/workflows/eval.yml@main`; the ref is not
 * part of the file. Undefined when the path is not text.
 */
function workflowPathOf(path) {
    if (typeof path !== 'string')
        return undefined;
    const at = path.indexOf('@');
    return at === -1 ? path : path.slice(0, at);
}
/** A positive safe integer from GitHub's JSON; anything else is not one. */
const positiveId = (value) => typeof value === 'number' && Number.isSafeInteger(value) && value > 0
    ? value
    : undefined;
/** The conclusions that measured the eval: a failed gate is still a measurement of its calls. */
const BASELINE_CONCLUSIONS = new Set([
    'success',
    'failure'
]);
/**
 * GitHub's answer to `GET /repos/{owner}/{repo}/actions/workflows/{file}/runs?branch=…&status=completed…`:
 * `{"total_count": N, "workflow_runs": [workflow-run, …]}`, newest first. Every run is checked, since
 * the answer is untrusted: an id that is not a positive whole number, a run of another workflow file
 * than `workflowFile` (its `path`) or a run of another branch makes the whole answer no baseline; a run that neither succeeded nor failed (cancelled, skipped), a pull
 * request's run (a fork's branch can have the base branch's name) or this run itself is passed over.
 */
function parseWorkflowRuns(body, branch, currentRunId, workflowFile) {
    let answer;
    try {
        answer = JSON.parse(body);
    }
    catch {
        return { problem: "GitHub's answer is not JSON" };
    }
    const runs = answer?.workflow_runs;
    if (!Array.isArray(runs))
        return { problem: "GitHub's answer has no workflow_runs list" };
    const checked = runs.map((run) => checkWorkflowRun(run, branch, currentRunId, workflowFile));
    const problem = checked.find((c) => 'problem' in c);
    if (problem)
        return problem;
    return {
        runs: checked,
        listed: runs.length
    };
}
/** One run of GitHub's list, checked: a baseline, a run passed over, or a problem with the whole answer. */
function checkWorkflowRun(listed, branch, currentRunId, workflowFile) {
    const run = listed;
    if (typeof run !== 'object' || run === null)
        return { problem: "GitHub's answer lists a run that is not an object" };
    const id = positiveId(run.id);
    if (id === undefined)
        return {
            problem: "GitHub's answer lists a run whose id is not a positive whole number"
        };
    const shown = (value) => typeof value === 'string'
        ? `"${(0,text_escape/* inline */.mG)(value, 80)}"`
        : (0,text_escape/* inline */.mG)(JSON.stringify(value) ?? 'nothing', 40);
    // Another workflow's run measured other calls (another eval, another model): comparing with it would
    // report a change that is no change. The file is what GITHUB_WORKFLOW_REF names for this run.
    const ownPath = `${WORKFLOWS_DIR}${workflowFile}`;
    if (workflowPathOf(run.path) !== ownPath) {
        return {
            problem: `GitHub's answer lists run ${id} of workflow ${shown(run.path)}, not of this workflow "${(0,text_escape/* inline */.mG)(ownPath, 80)}"`
        };
    }
    if (!BASELINE_CONCLUSIONS.has(run.conclusion)) {
        return {
            passedOver: `its conclusion is ${shown(run.conclusion)}, neither "success" nor "failure"`,
            id
        };
    }
    const onBranch = `"${(0,text_escape/* inline */.mG)(branch, 80)}"`;
    if (run.head_branch !== branch)
        return {
            problem: `GitHub's answer lists run ${id} of branch ${shown(run.head_branch)}, not ${onBranch}`
        };
    if (typeof run.event === 'string' && PULL_REQUEST_EVENTS.has(run.event)) {
        return {
            passedOver: `it ran for a pull request from a branch named ${onBranch}, not on the branch itself`,
            id
        };
    }
    if (id === currentRunId)
        return { passedOver: 'it is this run itself', id };
    const headSha = typeof run.head_sha === 'string' && /^[0-9a-f]{40}$/.test(run.head_sha)
        ? run.head_sha
        : null;
    return {
        run: { id, attempt: positiveId(run.run_attempt) ?? null, branch, headSha }
    };
}
/** A run's page on GitHub: `https://github.com/o/r/actions/runs/123/attempts/2`. */
function runUrl(serverUrl, owner, repo, id, attempt) {
    const attemptPart = attempt === null ? '' : `/attempts/${attempt}`;
    return `${serverUrl}/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/actions/runs/${id}${attemptPart}`;
}
/** Runs asked for a page: 20 of GitHub's workflow-run objects (about 13 kB each, with their two repositories) stay far under the 512 KiB an answer may be. */
const RUNS_PER_PAGE = 20;
/**
 * GitHub's list of a workflow's runs, asked for the completed runs on a branch, newest first: the file
 * name stands for the workflow's id, `status=completed` matches the run's status (the conclusion is
 * checked on each run), `page` counts from 1. Pull requests are left out of each run, which keeps it small.
 * https://docs.github.com/rest/actions/workflow-runs#list-workflow-runs-for-a-workflow
 */
function workflowRunsUrl(lookup, branch, page = 1) {
    const path = [lookup.owner, lookup.repo].map(encodeURIComponent).join('/');
    const query = `branch=${encodeURIComponent(branch)}&status=completed&per_page=${RUNS_PER_PAGE}&page=${page}&exclude_pull_requests=true`;
    return `${lookup.apiUrl}/repos/${path}/actions/workflows/${encodeURIComponent(lookup.workflowFile)}/runs?${query}`;
}
/** GitHub's error text (`{"message": …}`), made one line and short; '' when there is none. */
function githubMessage(body, scrub) {
    let message;
    try {
        message = JSON.parse(body)?.message;
    }
    catch {
        return '';
    }
    return typeof message === 'string' && message.trim() !== ''
        ? `: "${(0,text_escape/* inline */.mG)(scrub(message), 200)}"`
        : '';
}
/** Why a non-200 answer to the runs request is no baseline, and what fixes it. */
function explainRunsStatus(status, body, lookup, scrub) {
    const said = githubMessage(body, scrub);
    const workflow = `workflow ${lookup.workflowFile} of ${lookup.owner}/${lookup.repo}`;
    if (status >= 300 && status < 400) {
        return `GitHub answered HTTP ${status} (a redirect, not followed: github-token is sent to GITHUB_API_URL only)`;
    }
    if (status === 401)
        return `GitHub refused github-token (HTTP 401${said})`;
    if (status === 403)
        return `GitHub answered HTTP 403${said}: github-token needs "actions: read" to list the runs of ${workflow}`;
    if (status === 404)
        return `GitHub answered HTTP 404${said} for the runs of ${workflow}: github-token needs "actions: read" there`;
    return `GitHub answered HTTP ${status}${said} for the runs of ${workflow}`;
}

// EXTERNAL MODULE: ./src/net/http.ts
var http = __nccwpck_require__(9663);
// EXTERNAL MODULE: ./src/cloudflare/query.ts
var query = __nccwpck_require__(235);
;// CONCATENATED MODULE: ./src/sources/match.ts
// Pure: the rows the list endpoint returned, checked again against the selection where the API matches
// loosely (a run's metadata key and value are matched independently there; created_at is compared at
// whole seconds), and the selection in words.



/** A row's custom metadata as a map: the API documents a JSON string, and an object is read the same way. */
function metadataMap(metadata) {
    let value = metadata;
    if (typeof value === 'string') {
        try {
            value = JSON.parse(value);
        }
        catch {
            return null;
        }
    }
    return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? value
        : null;
}
/**
 * A metadata value as the run-id input would spell it: a string as it is, a number or a boolean by its
 * JSON text (`12345`, `1.5`, `true`); undefined for anything else. cf-aig-metadata values may be
 * strings, numbers or booleans (the API's metadata schema: string | number | boolean), and an eval that
 * sends `{"run_id": 12345}` names the run `12345` as surely as one that sends `"12345"`.
 */
function metadataText(value) {
    if (typeof value === 'string')
        return value;
    if (typeof value === 'boolean')
        return String(value);
    if (typeof value === 'number' && Number.isFinite(value))
        return JSON.stringify(value);
    return undefined;
}
/**
 * Whether a row belongs to the run: its metadata has `key` equal to `value`, in the same entry (a
 * number or a boolean compared by its JSON text). The API's pair matches key and value independently
 * (a call with {"run_id": "gh-1", "note": "gh-2"} matches key run_id + value gh-2), so every row it
 * returns is checked again.
 */
function matchesRun(row, key, value) {
    const map = metadataMap(row.metadata);
    return (map !== null && Object.hasOwn(map, key) && metadataText(map[key]) === value);
}
/**
 * What a call of the run keeps of its metadata (log.ts's summarize): the run's own entry as JSON, when
 * the row is the run's; undefined otherwise. matchesRun answers the same for it as for the whole.
 */
function runEntry(row, key, value) {
    // A computed key makes an own entry, `__proto__` included, as JSON.parse reads it back.
    return matchesRun(row, key, value)
        ? JSON.stringify({ [key]: value })
        : undefined;
}
/**
 * Whether a row's created_at lies in the window (since <= created_at < until). Every row is checked
 * on arrival (parseLogDetail refuses a created_at that is not a time with a zone), so an unreadable one
 * here is a bug, and it throws: a call left out of a window without a word would pass a gate it breaks.
 */
function inWindow(row, window, nowMs) {
    const createdMs = (0,cloudflare_log/* dateTimeMs */.Kq)(row.created_at);
    if (createdMs === undefined)
        throw new RangeError(`log ${(0,text_escape/* quoted */.TL)(row.id ?? '')} has created_at ${(0,text_escape/* quoted */.TL)(row.created_at)}, which is not an ISO 8601 time with a zone`);
    const untilMs = window.untilMs ?? nowMs ?? Infinity;
    return ((window.sinceMs === null || createdMs >= window.sinceMs) &&
        createdMs < untilMs);
}
/** A selection read through the list endpoint, in words for the report and the errors. */
function describeList(run, window, filters) {
    const parts = [];
    if (run)
        parts.push(`run ${(0,text_escape/* quoted */.TL)(run.value)} (metadata ${(0,text_escape/* quoted */.TL)(run.key)})`);
    if (window) {
        const from = window.sinceMs === null ? 'the start' : (0,inputs_window/* isoSeconds */.nE)(window.sinceMs);
        const to = window.untilMs === null ? 'now' : (0,inputs_window/* isoSeconds */.nE)(window.untilMs);
        parts.push(`${run ? 'created ' : 'calls '}from ${from} to ${to}`);
    }
    if (filters.length > 0)
        parts.push(`with ${filters.length} more filter${filters.length === 1 ? '' : 's'}`);
    return parts.join(', ');
}

;// CONCATENATED MODULE: ./src/sources/baseline.ts
// Reads the baseline: for `base-branch`, GitHub's list of this workflow's completed runs on the base
// branch, newest first, a page at a time; the newest run that succeeded or failed (a failed gate is still
// a measurement) is read, and when none of its calls are left (its eval failed before any call, say), the
// next one, up to MAX_BASELINE_RUNS runs. Each run's calls are read through the list endpoint, with the
// run's own selection rules (run-id-key and filters) but without waiting or settling, since a baseline
// is finished. Every way of not having a baseline (no such run yet, no logs left for any run tried, a
// refused lookup, a page that cannot be read) is a reason, never a throw: the rest of the gate stands.










/** The base branch's runs whose calls are read, newest first, before there is no baseline. */
const MAX_BASELINE_RUNS = 3;
/** Pages of GitHub's list looked through for them: runs that neither succeeded nor failed are passed over. */
const MAX_RUN_PAGES = 3;
function networkMessage(error) {
    // The transport cannot say what the answer was meant to be; here it was GitHub's list of runs.
    if (error instanceof http/* AnswerTooLargeError */.Oc)
        return `GitHub answered with ${error.size}, more than any list of workflow runs; not read`;
    const e = error;
    const message = typeof e?.message === 'string' ? e.message : String(error);
    return typeof e?.cause?.code === 'string'
        ? `${message} (${e.cause.code})`
        : message;
}
/**
 * The base branch's runs of this workflow that succeeded or failed, newest first, each with its run-id
 * value: this run's `run-id` with this run's id and attempt replaced by that run's. GitHub is asked a
 * page (RUNS_PER_PAGE runs) at a time, the next page only when the runs of the last one are used up, at
 * most MAX_RUN_PAGES pages. A `missing` ends the runs: no such run (when none was yielded before), or
 * why the lookup could not go on.
 */
async function* baseBranchRuns(lookup, runIdValue, deps, timeoutMs, scrub) {
    const event = (0,github_event/* readEvent */.j)(lookup.eventPath);
    const base = 'problem' in event ? event : baseBranchOf(lookup.eventName, event.payload);
    if ('problem' in base) {
        yield {
            missing: `the base branch is not known: ${base.problem}`,
            workflowRun: null
        };
        return;
    }
    const { branch } = base;
    const onBranch = `${lookup.workflowFile} on ${(0,text_escape/* quoted */.TL)(branch)}`;
    let listed = 0;
    let yielded = 0;
    const seen = new Set();
    for (let page = 1; page <= MAX_RUN_PAGES; page++) {
        const answer = await runsPage(lookup, branch, page, deps, timeoutMs, scrub);
        if ('missing' in answer) {
            yield answer;
            return;
        }
        listed += answer.listed;
        for (const listedRun of answer.runs) {
            // A run that completed between two pages shifts the runs after it: one seen already is not tried twice.
            const id = 'run' in listedRun ? listedRun.run.id : listedRun.id;
            if (seen.has(id))
                continue;
            seen.add(id);
            if ('passedOver' in listedRun) {
                deps.debug(`baseline: run ${listedRun.id} of ${onBranch} passed over: ${listedRun.passedOver}`);
                continue;
            }
            const found = foundRun(lookup, runIdValue, listedRun.run);
            yield found;
            if ('missing' in found)
                return;
            yielded++;
        }
        // A page shorter than asked is the last one.
        if (answer.listed < RUNS_PER_PAGE)
            break;
    }
    if (yielded === 0) {
        yield {
            missing: listed === 0
                ? `no completed run of ${onBranch} yet`
                : `no run of ${onBranch} succeeded or failed on the branch itself (${listed} completed run${listed === 1 ? '' : 's'} looked at; the debug log says why each was passed over)`,
            workflowRun: null
        };
    }
}
/** One page of GitHub's list of the workflow's completed runs on the branch, checked; or why there is none. */
async function runsPage(lookup, branch, page, deps, timeoutMs, scrub) {
    const onBranch = `${lookup.workflowFile} on ${(0,text_escape/* quoted */.TL)(branch)}`;
    const headers = {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${lookup.token}`,
        'x-github-api-version': '2022-11-28',
        'user-agent': 'ai-gateway-gate'
    };
    let res;
    try {
        res = await deps.send(workflowRunsUrl(lookup, branch, page), headers, timeoutMs);
    }
    catch (error) {
        return {
            missing: `GitHub could not be asked for the completed runs of ${onBranch}: ${(0,text_escape/* inline */.mG)(scrub(networkMessage(error)), 200)}`,
            workflowRun: null
        };
    }
    deps.debug(`GitHub answered HTTP ${res.status} for page ${page} of the completed runs of ${onBranch}`);
    if (res.status !== 200)
        return {
            missing: explainRunsStatus(res.status, res.body, lookup, scrub),
            workflowRun: null
        };
    const answer = parseWorkflowRuns(res.body, branch, lookup.runId, lookup.workflowFile);
    return 'problem' in answer
        ? { missing: scrub(answer.problem), workflowRun: null }
        : answer;
}
/** A run of the base branch as the baseline: its link and its run-id value, or why it cannot be read. */
function foundRun(lookup, runIdValue, run) {
    const workflowRun = {
        ...run,
        url: lookup.serverUrl
            ? runUrl(lookup.serverUrl, lookup.owner, lookup.repo, run.id, run.attempt)
            : null
    };
    const value = baselineRunIdValue(runIdValue, lookup, run);
    return value === undefined
        ? {
            missing: `GitHub did not say which attempt of run ${run.id} it lists (run_attempt), and run-id holds the attempt`,
            workflowRun
        }
        : { runIdValue: value, workflowRun };
}
/** Why reading the baseline's calls failed, for the reason: our own errors are one line already. */
function readFailure(error) {
    if (error instanceof gateway/* GatewayError */.Fe || error instanceof CollectError)
        return `its calls could not be read: ${error.message}`;
    return undefined;
}
async function readBaseline(config, baseline, deps, scrub, prepare) {
    const { selection } = config;
    if (selection.kind !== 'list' || !selection.run) {
        return {
            kind: 'missing',
            reason: 'the gate did not read a run (run-id)',
            workflowRun: null
        };
    }
    const { key, value: runIdValue } = selection.run;
    const { filters } = selection;
    if (baseline.source.kind === 'run-id')
        return readNamedRun(config, { key, value: baseline.source.value }, deps, {
            filters,
            prepare
        });
    const lookup = baseBranchRuns(baseline.source.lookup, runIdValue, deps, config.requestTimeoutMs, scrub);
    return readBaseBranchRun(config, { key, lookup }, deps, { filters, prepare });
}
/** `baseline-run-id`: the run named, missing when none of its calls are left. */
async function readNamedRun(config, run, deps, { filters, prepare }) {
    const read = await readRun(config, run, filters, deps, null);
    if ('kind' in read)
        return read;
    return read.rows.length === 0
        ? {
            kind: 'missing',
            reason: `no calls of ${read.describe} are left in the gateway`,
            workflowRun: null
        }
        : found(read, run.value, null, prepare);
}
/**
 * `baseline: base-branch`: the base branch's latest runs, newest first, until one has calls left (at
 * most MAX_BASELINE_RUNS tried).
 */
async function readBaseBranchRun(config, { key, lookup }, deps, { filters, prepare }) {
    // The runs tried whose calls are gone: named in the debug log as they are passed over, and in the reason.
    const tried = [];
    for await (const next of lookup) {
        if ('missing' in next) {
            // Runs already tried are said too: the lookup stopped after them, not before.
            const after = tried.length === 0
                ? ''
                : `${noCallsLeft(tried)}, and the next run could not be looked up: `;
            return {
                kind: 'missing',
                reason: `${after}${next.missing}`,
                workflowRun: next.workflowRun ?? tried[0]?.workflowRun ?? null
            };
        }
        const { workflowRun } = next;
        const run = { key, value: next.runIdValue };
        deps.debug(`baseline: reading run ${workflowRun.id} of "${(0,text_escape/* inline */.mG)(workflowRun.branch, 80)}" (${describeList(run, null, filters)})`);
        const read = await readRun(config, run, filters, deps, workflowRun);
        if ('kind' in read)
            return read;
        if (read.rows.length > 0)
            return found(read, run.value, workflowRun, prepare);
        tried.push({ describe: read.describe, workflowRun });
        deps.debug(`baseline: no calls of run ${workflowRun.id} (${read.describe}) are left in the gateway`);
        if (tried.length === MAX_BASELINE_RUNS)
            break;
    }
    return {
        kind: 'missing',
        reason: noCallsLeft(tried),
        workflowRun: tried[0]?.workflowRun ?? null
    };
}
/** Why runs found on the base branch are no baseline: none of their calls are left. */
function noCallsLeft(tried) {
    const [first] = tried;
    if (first === undefined)
        return 'no run of the base branch was found';
    const onBranch = `on ${(0,text_escape/* quoted */.TL)(first.workflowRun.branch)}`;
    if (tried.length === 1)
        return `no calls of ${first.describe} (the newest run ${onBranch} that succeeded or failed, run ${first.workflowRun.id}) are left in the gateway`;
    const each = tried
        .map((t) => `run ${t.workflowRun.id} (${t.describe})`)
        .join(', ');
    return `no calls of the ${tried.length} newest runs ${onBranch} that succeeded or failed are left in the gateway: ${each}`;
}
/** A baseline read with calls in it, measured. */
function found(read, runId, workflowRun, prepare) {
    const metrics = (0,sources_metrics/* computeMetrics */.pH)(read.rows.map(prepare));
    // As for the run itself: a sum past the largest number is no answer to compare with.
    const overflowing = (0,sources_metrics/* nonFiniteSums */.vS)(metrics);
    if (overflowing.length > 0)
        return {
            kind: 'missing',
            reason: `the baseline, ${read.describe}, is not valid: ${(0,sources_metrics/* nonFiniteSumsText */.am)(metrics, overflowing)}`,
            workflowRun
        };
    return {
        kind: 'found',
        runId,
        describe: read.describe,
        metrics,
        workflowRun
    };
}
/**
 * One run's calls, read whole (possibly none), or why they could not be read. A read that cannot be
 * shown whole throws: that is no comparison at all, never a missing baseline.
 */
async function readRun(config, run, filters, deps, workflowRun) {
    const describe = describeList(run, null, filters);
    const readPage = (0,gateway/* listPages */.pN)(config, { run, filters, sinceMs: null }, deps, (row) => runEntry(row, run.key, run.value));
    // Finished runs only: no waiting for a first call, no settling; an empty run is no baseline, not an error.
    const options = {
        perPage: query/* MAX_PER_PAGE */.Vg,
        maxLogs: config.reading.maxLogs,
        expectedLogs: 0,
        waitTimeoutMs: 0,
        settleMs: 0,
        concurrency: PAGES_AT_ONCE,
        describe
    };
    try {
        const { rows } = await collect(readPage, (row) => matchesRun(row, run.key, run.value), options, deps);
        return { rows, describe };
    }
    catch (error) {
        // A baseline read that cannot be shown whole is no comparison at all, never a missing baseline:
        // a skipped threshold would let the gate pass on part of the base run's calls.
        if (error instanceof CollectError &&
            (error.kind === 'incomplete' || error.kind === 'invalid'))
            throw new CollectError(error.kind, `Baseline: ${error.message}`);
        const why = readFailure(error);
        if (why === undefined)
            throw error;
        return {
            kind: 'missing',
            reason: `the baseline, ${describe}: ${why}`,
            workflowRun
        };
    }
}

// EXTERNAL MODULE: ./src/text/secrets.ts
var text_secrets = __nccwpck_require__(9690);
;// CONCATENATED MODULE: ./src/sources/logs.ts
// The `logs` source: a selection read through the AI Gateway logs API (one log detail per id, or the
// list endpoint for a run or a window), and its metrics computed from the rows read. Every row is
// `prepare`d (the caller scrubs secrets from it) before it is measured or kept.








/** Log details (`log-ids`) read at once: a few, so a run of calls does not trip the API's rate limit. */
const LOG_DETAILS_AT_ONCE = 4;
/** The measurements of what was read: the logs source's metrics are exact, computed from every row. */
function measureCalls(selected) {
    return selected.kind === 'log'
        ? {
            source: 'logs',
            log: selected.log,
            calls: [selected.log],
            metrics: (0,sources_metrics/* computeMetrics */.pH)([selected.log]),
            caveats: []
        }
        : {
            source: 'logs',
            calls: selected.logs,
            describe: selected.describe,
            metrics: (0,sources_metrics/* computeMetrics */.pH)(selected.logs),
            caveats: []
        };
}
/** A selection of many calls in words, for the report and the errors; undefined for one log. */
function describeSelection(selection) {
    if (selection.kind === 'list')
        return describeList(selection.run, selection.window, selection.filters);
    if (selection.kind === 'logs')
        return describeLogIds(selection.logIds);
    return undefined;
}
function describeLogIds(logIds) {
    return `${logIds.length} call${logIds.length === 1 ? '' : 's'} (${INPUT.logIds})`;
}
/** The selection read and measured; `prepare` is applied to every row first. */
async function measureLogs(config, deps, prepare) {
    const read = await readSelection(config, config.selection, deps);
    return measureCalls(read.kind === 'log'
        ? { kind: 'log', log: prepare(read.log) }
        : { ...read, logs: read.logs.map(prepare) });
}
/** `fn` over `items`, at most `limit` at a time, results in the items' order. */
async function mapLimit(items, limit, fn) {
    const results = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            results[i] = await fn(items[i]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}
/** The selection's calls, read as its mode needs. */
async function readSelection(config, selection, deps) {
    // Asked at the first not-found of the gate, once, whichever read it is.
    const askPlatform = (0,gateway/* loggingPlatformQuestion */.V8)(config, deps);
    switch (selection.kind) {
        case 'log': {
            const logRequest = { ...config, logId: selection.logId };
            const { log } = await (0,gateway/* fetchLog */.$U)(logRequest, deps, askPlatform);
            return { kind: 'log', log };
        }
        case 'logs': {
            const logs = await readLogIds(config, selection.logIds, deps, askPlatform);
            return { kind: 'many', logs, describe: describeLogIds(selection.logIds) };
        }
        case 'list': {
            const { run, window, filters } = selection;
            const describe = describeList(run, window, filters);
            const logs = await readList(config, selection, describe, deps, askPlatform);
            return { kind: 'many', logs, describe };
        }
    }
}
/** `log-ids`: one detail each, a few at a time, each cut down at once to what the gate keeps. */
async function readLogIds(config, logIds, deps, askPlatform) {
    const scrub = (0,text_secrets/* scrubber */.ty)(deps.secrets ?? []);
    return mapLimit(logIds, LOG_DETAILS_AT_ONCE, 
    // Cut down at once (summarize): 10,000 details, each with its heads, would not fit in memory.
    async (logId) => (0,cloudflare_log/* summarize */.eh)((await (0,gateway/* fetchLog */.$U)({ ...config, logId }, deps, askPlatform)).log, scrub));
}
/** A run or a window, read whole through the list endpoint (collect), the rows re-checked against it. */
async function readList(config, selection, describe, deps, askPlatform) {
    const { run, filters } = selection;
    // A window without `until` ends when the read starts, fixed: "the last 24 hours" of this step.
    // Left open, calls made while it reads would join it, and a busy gateway would never settle.
    const window = selection.window && {
        ...selection.window,
        untilMs: selection.window.untilMs ?? deps.now()
    };
    const keep = (row) => (!run || matchesRun(row, run.key, run.value)) &&
        (!window || inWindow(row, window));
    const readPage = (0,gateway/* listPages */.pN)(config, { run, filters, sinceMs: window?.sinceMs ?? null }, deps, run ? (row) => runEntry(row, run.key, run.value) : undefined);
    // The first read that finds nothing asks where the account keeps its logs: Workers Observability
    // has none here to wait for, so that ends the read at once.
    let stopped;
    const byRun = run !== null;
    const whenNoneFound = async () => {
        if ((await askPlatform()) !== 'workers-observability')
            return;
        stopped = emptySelection(config, describe, byRun, {
            platform: 'workers-observability',
            waited: false
        });
        throw stopped;
    };
    const options = {
        ...config.reading,
        perPage: query/* MAX_PER_PAGE */.Vg,
        waitTimeoutMs: config.waitTimeoutMs,
        concurrency: PAGES_AT_ONCE,
        describe,
        whenNoneFound,
        untilMs: window?.untilMs ?? undefined
    };
    try {
        return (await collect(readPage, keep, options, deps)).rows;
    }
    catch (error) {
        if (error instanceof CollectError &&
            error.kind === 'empty' &&
            error !== stopped)
            throw emptySelection(config, describe, byRun, {
                platform: await askPlatform(),
                waited: config.waitTimeoutMs > 0
            });
        throw error;
    }
}
/**
 * An empty selection is suspicious, never a pass: say what usually causes it, or that the account keeps
 * its logs in Workers Observability (its logging-state, asked at the first read that found nothing).
 */
function emptySelection(config, describe, byRun, seen) {
    const where = ` in gateway ${JSON.stringify(config.gatewayId)} of account ${JSON.stringify(config.accountId)}`;
    const waited = seen.waited
        ? ` after waiting ${Math.round(config.waitTimeoutMs / 1000)} s`
        : seen.platform === 'workers-observability'
            ? ' (not waited for)'
            : '';
    const causes = seen.platform === 'workers-observability'
        ? gateway/* WORKERS_OBSERVABILITY_HINT */.Gh
        : byRun
            ? "Likely causes: the eval's calls did not send the cf-aig-metadata header with this run id and key, they went through another gateway, or logging is off for the gateway. Set expected-logs: 0 if an empty run is fine."
            : 'Likely causes: a wrong gateway-id, no traffic in the window, or logging turned off for the gateway. Set expected-logs: 0 if an empty window is fine.';
    return new CollectError('empty', `No calls found for ${describe}${where}${waited}. ${causes}`, seen.platform ? { platform: seen.platform } : {});
}

;// CONCATENATED MODULE: ./src/sources/measure.ts
// Which source measures the selection (`source`): `logs` reads every call, `analytics` asks Cloudflare's
// GraphQL Analytics for the aggregates, and `auto` reads logs and switches to analytics only when the logs
// cannot answer: a window with more calls than max-logs (seen on the first list page, which the logs
// source reads anyway), or an account whose logs are in Workers Observability (asked only when nothing
// was found). The baseline `previous-window` is read here too: the same source, the window before.









/**
 * The analytics source, loaded only by a gate that uses it: a gate of one log (or of a run that fits
 * the logs) does not parse its ~100 kB at start-up.
 */
const analytics = () => __nccwpck_require__.e(/* import() */ 694).then(__nccwpck_require__.bind(__nccwpck_require__, 2694));
/** The selection measured by the source `source` names (or `auto` settles on). */
async function measureSelection(config, deps) {
    const { selection } = config;
    if (selection.kind !== 'list')
        return { measured: await measureLogs(config, deps.gateway, deps.prepare) };
    if (config.source.choice === 'analytics')
        return analyticsMeasured(config, selection, deps);
    // The logs source fixes an open `until` itself as its read starts (its messages say "to now"); this is
    // the same moment to within the milliseconds between here and there, for previous-window to step back from.
    const window = fixedWindow(selection, deps.gateway.now());
    try {
        const measured = await measureLogs(config, deps.gateway, deps.prepare);
        const trend = await measure_trendOf(config, window, deps, measured.caveats);
        return { measured: trend ? { ...measured, ...trend } : measured, window };
    }
    catch (error) {
        const why = config.source.choice === 'auto'
            ? switchReason(error, config, selection)
            : undefined;
        if (why === undefined)
            throw error;
        deps.gateway.debug(`source auto: GraphQL Analytics measures, since ${why}`);
        const read = await analyticsMeasured(config, selection, deps);
        return { ...read, measured: { ...read.measured, why } };
    }
}
/** A window's `until` fixed now when it was left open: "the last 24 hours" of this step. */
function fixedWindow(selection, nowMs) {
    const { window } = selection;
    if (!window || window.sinceMs === null)
        return undefined;
    return { sinceMs: window.sinceMs, untilMs: window.untilMs ?? nowMs };
}
/**
 * Why `auto` leaves the logs for analytics, or undefined when the error stands: only for a selection
 * analytics can serve (a `since`, no `filters`): a window past max-logs, or a run or a window on an
 * account whose logs are in Workers Observability.
 */
function switchReason(error, config, selection) {
    if (!(error instanceof CollectError))
        return undefined;
    if (selection.window?.sinceMs == null || selection.filters.length > 0)
        return undefined;
    // A run keeps to the logs whatever its size (its calls are counted one by one); a window switches.
    if (error.kind === 'too-many' &&
        error.detail.total !== undefined &&
        selection.run === null) {
        const { maxLogs } = config.reading;
        // A list that goes on in full pages of calls already read stops at max-logs' last page with no more
        // than max-logs calls read: then the reason says only that the list goes on past it (as collect does).
        return error.detail.total > maxLogs
            ? `the logs list ${error.detail.total} calls for it, more than ${INPUT.maxLogs} (${maxLogs})`
            : `the logs list more calls for it than ${INPUT.maxLogs} (${maxLogs})`;
    }
    if (error.kind === 'empty' &&
        error.detail.platform === 'workers-observability')
        return 'the account keeps its logs in Workers Observability, which the logs API does not read';
    return undefined;
}
/** The window analytics reads: `until`, or the lag before the gate started; refused when nothing is left of it. */
function analyticsWindow(selection, startedMs) {
    const sinceMs = selection.window?.sinceMs;
    // The config refuses analytics without `since`, and auto switches only with one.
    if (sinceMs == null)
        throw new ConfigError([`GraphQL Analytics needs ${INPUT.since}`]);
    const untilMs = analyticsUntilMs(selection.window, startedMs);
    if (sinceMs >= untilMs)
        throw new ConfigError([
            `${INPUT.since} (${(0,inputs_window/* isoSeconds */.nE)(sinceMs)}) is not before the end of what GraphQL Analytics has (${(0,inputs_window/* isoSeconds */.nE)(untilMs)}: events reach it minutes after the call): set ${INPUT.since} further back, or ${INPUT.until}`
        ]);
    return { sinceMs, untilMs };
}
async function analyticsMeasured(config, selection, deps) {
    const window = analyticsWindow(selection, deps.startedMs);
    const { measureAnalytics } = await analytics();
    let measured;
    try {
        measured = await measureAnalytics({
            ...config,
            window,
            runId: selection.run?.value,
            thresholds: rulesOf(config),
            trendDays: config.source.trendDays ?? undefined,
            queries: deps.queries,
            nowMs: deps.startedMs
        }, deps.gateway);
    }
    catch (error) {
        // `expected-logs: 0` accepts an empty selection, whichever source reads it.
        if (error instanceof graphql/* AnalyticsError */.NB &&
            error.kind === 'empty' &&
            config.reading.expectedLogs === 0)
            return { measured: emptyAnalytics(window), window };
        throw error;
    }
    checkExpected(config, measured);
    return { measured, window };
}
/** No calls, as analytics measured them (with `expected-logs: 0`). */
function emptyAnalytics(window) {
    return {
        source: 'analytics',
        metrics: (0,sources_metrics/* computeMetrics */.pH)([]),
        caveats: [],
        covered: window
    };
}
/**
 * `expected-logs` with analytics: analytics is read once (nothing to wait for), so fewer calls than
 * expected is an error at once. A sampled count is judged at its lower bound.
 */
function checkExpected(config, measured) {
    const expected = config.reading.expectedLogs;
    if (expected === undefined)
        return;
    const interval = measured.intervals?.count;
    const count = interval ? interval.lower : measured.metrics.count;
    if (count >= expected)
        return;
    const counted = interval
        ? `counts about ${measured.metrics.count} calls (95%: from ${Math.floor(interval.lower)})`
        : `counts ${measured.metrics.count} calls`;
    throw new CollectError('too-few', `GraphQL Analytics ${counted} for ${measured.describe ?? 'the window'}, fewer than ${INPUT.expectedLogs} (${expected})`);
}
/** Every threshold the gate judges: analytics reads the fields they need, and only those. */
function rulesOf(config) {
    return [...limitsToThresholds(config.limits), ...config.thresholds];
}
/**
 * `trend` when the logs measured the selection: one GraphQL query of its own, and a `trend` caveat
 * `estimated` added to the logs' caveats when that query was sampled.
 */
async function measure_trendOf(config, window, deps, caveats) {
    const days = config.source.trendDays;
    if (days === null)
        return undefined;
    const untilMs = window?.untilMs ?? deps.gateway.now();
    const { measureTrend } = await analytics();
    const trend = await measureTrend({
        ...config,
        days,
        untilMs,
        queries: deps.queries,
        nowMs: deps.startedMs
    }, deps.gateway);
    const estimated = {
        metric: 'trend',
        kind: 'estimated',
        reason: 'GraphQL Analytics sampled the trend: the calls, cost and errors a day are estimates'
    };
    return {
        trend: trend.days,
        caveats: trend.sampled ? [...caveats, estimated] : caveats
    };
}
/**
 * `baseline: previous-window`: the window of the same length just before the one measured, read by the
 * source that measured it. A previous window with no calls is no baseline (a reason, not an error); one
 * that cannot be read whole is an error, as for the window itself.
 */
async function readPreviousWindow(config, read, deps) {
    const { selection } = config;
    // The window as read: analytics reads whole seconds, and says so in `covered`.
    const window = read.measured.covered ?? read.window;
    if (!window || selection.kind !== 'list')
        return missing('the gate did not read a time window (since)');
    const lengthMs = window.untilMs - window.sinceMs;
    const previous = {
        sinceMs: window.sinceMs - lengthMs,
        untilMs: window.sinceMs
    };
    const describe = `the previous window, ${(0,inputs_window/* isoSeconds */.nE)(previous.sinceMs)} to ${(0,inputs_window/* isoSeconds */.nE)(previous.untilMs)}`;
    let measured;
    try {
        measured = await measurePrevious(config, selection, previous, read, deps);
    }
    catch (error) {
        if (error instanceof graphql/* AnalyticsError */.NB && error.kind === 'empty')
            return missing(`no calls in ${describe}`);
        // An old window's previous one may reach past what analytics keeps: no baseline, not a failed gate.
        if (error instanceof graphql/* AnalyticsError */.NB && error.kind === 'too-old')
            return missing(`${describe} starts before the oldest data GraphQL Analytics keeps (notOlderThan)`);
        throw error;
    }
    const { metrics } = measured;
    if (metrics.count === 0)
        return missing(`no calls in ${describe}`);
    const overflowing = (0,sources_metrics/* nonFiniteSums */.vS)(metrics);
    if (overflowing.length > 0)
        return missing(`${describe} is not valid: ${(0,sources_metrics/* nonFiniteSumsText */.am)(metrics, overflowing)}`);
    return {
        kind: 'found',
        runId: '',
        describe,
        metrics,
        workflowRun: null,
        ...(measured.intervals ? { intervals: measured.intervals } : {})
    };
}
/**
 * The previous window, read by the source that read the window. With `auto`, a previous window past
 * max-logs is read by analytics too, as the window itself would have been.
 */
async function measurePrevious(config, selection, previous, read, deps) {
    const byAnalytics = async () => (await analytics()).measureAnalytics({
        ...config,
        window: previous,
        runId: selection.run?.value,
        thresholds: rulesOf(config),
        queries: deps.queries,
        nowMs: deps.startedMs
    }, deps.gateway);
    if (read.measured.source === 'analytics')
        return byAnalytics();
    try {
        return await measureLogs({
            ...config,
            selection: { ...selection, window: previous },
            // A finished window: nothing to wait for, and an empty one is no baseline rather than an error.
            waitTimeoutMs: 0,
            reading: { ...config.reading, expectedLogs: 0, settleMs: 0 }
        }, deps.gateway, deps.prepare);
    }
    catch (error) {
        if (config.source.choice === 'auto' &&
            switchReason(error, config, selection) !== undefined)
            return byAnalytics();
        throw error;
    }
}
function missing(reason) {
    return { kind: 'missing', reason, workflowRun: null };
}

// EXTERNAL MODULE: ./src/text/markdown.ts
var text_markdown = __nccwpck_require__(6590);
;// CONCATENATED MODULE: ./src/main.ts
// run(): inputs → config → the selection measured by its source → verdict → report → outputs and
// summary → comment → only then fail the step. The one top-level catch is here: every failure ends as
// one readable line, and the outputs and the summary are written whatever happened.




















/** GitHub rejects a step summary over 1 MiB; stay well under it. */
const MAX_SUMMARY_CHARS = 512 * 1024;
/** The longest error text of an unexpected error shown in the annotation. */
const MAX_ERROR_CHARS = 1000;
/**
 * Annotations printed per kind (failed checks, warnings): GitHub shows only 10 error and 10 warning
 * annotations per step, and thousands of them flood the log. The rest are counted in one more line;
 * all of them are in the report and the `failures` and `warnings` outputs.
 */
const MAX_ANNOTATIONS_PER_KIND = 5;
/**
 * One readable line for any thrown value, an Error or not (annotations are one line each): `scrub`
 * is applied to the whole text first, then the first line is taken and cut, with invisible characters shown.
 */
function errorMessage(error, scrub = text_secrets/* NO_SECRETS */.g1) {
    let text;
    if (typeof error === 'object' &&
        error !== null &&
        typeof error.message === 'string') {
        text = error.message;
    }
    else {
        try {
            text = String(error);
        }
        catch {
            text = 'an error that cannot be printed';
        }
    }
    const scrubbed = scrub(text);
    const line = scrubbed.split('\n').find((l) => l.trim() !== '') ?? scrubbed;
    return (0,text_escape/* inline */.mG)(line.trim(), MAX_ERROR_CHARS);
}
/** The secret values the action knows (CLOUDFLARE_API_TOKEN included, through api-token's fallback). */
function actionSecrets(raw) {
    return SECRET_INPUTS.map((name) => raw[name]).filter(Boolean);
}
function scrubStrings(value, scrub) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [
        k,
        typeof v === 'string' ? scrub(v) : v
    ]));
}
/**
 * metadata is JSON text, and JSON can spell a secret with escapes (`\u0074oken`) that no scrub of the
 * text finds but the report decodes. When the decoded text holds a secret, metadata becomes that
 * decoded text, scrubbed.
 */
function scrubMetadata(metadata, scrub) {
    const scrubbed = scrub(metadata);
    let decoded;
    try {
        decoded = (0,text_escape/* jsonText */.s$)(JSON.parse(scrubbed));
    }
    catch {
        return scrubbed;
    }
    if (decoded === undefined)
        return scrubbed;
    const clean = scrub(decoded);
    return clean === decoded ? scrubbed : clean;
}
/** Every text field of a log scrubbed, metadata in the form the report shows it too. */
function scrubLog(log, scrub) {
    const scrubbed = scrubStrings(log, scrub);
    return scrubbed.metadata === undefined
        ? scrubbed
        : { ...scrubbed, metadata: scrubMetadata(scrubbed.metadata, scrub) };
}
/** Loaded only when a comment is to be written: Octokit's start-up is not paid by a plain gate. */
const loadCommentModule = async () => {
    const { postComment } = await __nccwpck_require__.e(/* import() */ 812).then(__nccwpck_require__.bind(__nccwpck_require__, 6812));
    return { postComment };
};
const defaultDeps = () => ({
    env: process.env,
    gateway: (0,gateway/* realGatewayDeps */.j8)(debug),
    now: Date.now
});
async function run(deps = defaultDeps()) {
    const { env } = deps;
    const raw = readInputs(getInput, env);
    // Secrets first: registered before any other line of the action can print them.
    const secrets = actionSecrets(raw);
    for (const secret of secrets)
        setSecret(secret);
    const scrub = (0,text_secrets/* scrubber */.ty)(secrets);
    // The client scrubs the API's text before it cuts it; its debug lines are scrubbed once more on the way out.
    const gateway = {
        ...deps.gateway,
        secrets,
        debug: (message) => deps.gateway.debug(scrub(message))
    };
    let config;
    let outcome;
    const where = {
        accountId: raw[INPUT.accountId],
        gatewayId: raw[INPUT.gatewayId],
        logId: raw[INPUT.logId]
    };
    try {
        const startedMs = deps.now();
        config = parseConfig(raw, env, startedMs);
        outcome = await measureAndJudge(config, gateway, startedMs, scrub, where);
    }
    catch (error) {
        outcome = errorOutcome(error, config, scrub);
    }
    const scrubbedWhere = scrubStrings(where, scrub);
    const markdown = scrub(renderReport(outcome, scrubbedWhere));
    // Everything written from here on is built from scrubbed text: the logs, the message, the markdown.
    for (const [name, value] of outputsOf(outcome, markdown))
        setOutput(name, value);
    // A job-summary value that did not parse is already an input error; the summary still says so.
    if (config ? config.jobSummary : wantsSummary(raw))
        await writeSummary(markdown, env);
    // The comment is its own, shorter rendering, with the run's links and without the account id.
    if (config && config.comment.mode !== 'off')
        await comment(config, outcome, scrub(renderComment(outcome, {
            where: scrubbedWhere,
            links: readRunLinks(env)
        })), env, scrub, deps.loadComment ?? loadCommentModule);
    if (outcome.kind === 'checked' && outcome.baseline)
        reportBaseline(outcome.baseline, outcome.verdicts);
    fail(outcome);
}
/**
 * The selection measured and judged: the run (or one call), then its baseline when one is asked for.
 * `where` learns the selection's description as soon as it is known, so that an error still names it.
 */
async function measureAndJudge(config, gateway, startedMs, scrub, where) {
    // Before any request: an input that is ignored is said while the run is still to come.
    for (const warning of config.warnings)
        core_warning(warning, { title: `${REPORT_TITLE} (inputs)` });
    where.selection = describeSelection(config.selection);
    // One budget for every Cloudflare request of the gate: the run, its baseline, the logging-state
    // question; and one for its GraphQL Analytics queries, which Cloudflare counts apart.
    const reads = {
        gateway: { ...gateway, budget: new cloudflare_budget/* RequestBudget */.bK(config.requestBudget) },
        queries: new cloudflare_budget/* RequestBudget */.bK(config.source.queryBudget, cloudflare_budget/* QUERY_BUDGET */.bP),
        // Every row scrubbed before it is measured or rendered: once escaped for markdown (`_` -> `\_`) or
        // cut, a secret would no longer match.
        prepare: (row) => scrubLog(row, scrub),
        startedMs
    };
    const read = await measureSelection(config, reads);
    // Analytics says what it selected in its own words (a run id matched by value, the window it covered).
    if (read.measured.source === 'analytics' && read.measured.describe)
        where.selection = read.measured.describe;
    if (read.measured.why)
        info(`Measured by GraphQL Analytics: ${read.measured.why}`);
    // Read only when asked for (a baseline input is set), and only once the run itself could be read.
    const baseline = !config.baseline
        ? undefined
        : config.baseline.source.kind === 'previous-window'
            ? await readPreviousWindow(config, read, reads)
            : await baselineOf(config, { ...config.baseline, source: config.baseline.source }, reads.gateway, scrub);
    return baseline?.kind === 'missing' && config.baseline?.required
        ? {
            kind: 'error',
            message: `No baseline to compare with: ${baseline.reason} (${INPUT.baselineRequired} is true)`
        }
        : judge(read.measured, config, baseline);
}
/** An error as the outcome: ours are shown as they are, anything else as unexpected (its stack in debug). */
function errorOutcome(error, config, scrub) {
    const known = error instanceof ConfigError ||
        error instanceof gateway/* GatewayError */.Fe ||
        error instanceof CollectError ||
        error instanceof graphql/* AnalyticsError */.NB ||
        error instanceof cloudflare_budget/* BudgetSpentError */.o_;
    // The stack spans lines, which the debug command keeps inside its own line; the message in it may quote the API.
    if (!known)
        debug((0,text_escape/* showInvisible */.jQ)(error instanceof Error && error.stack
            ? scrub(error.stack)
            : errorMessage(error, scrub)));
    // Our own errors are one line by construction and are never cut: an input error names every bad input.
    return {
        kind: 'error',
        message: known
            ? scrub(error.message)
            : `Unexpected error: ${errorMessage(error, scrub)}`,
        // A read that could not be shown whole is no verdict; report mode says so without failing the step.
        ...(config && !config.failOnBreach && isIncompleteRead(error)
            ? { reportOnly: true }
            : {})
    };
}
/** The baseline read, with secrets scrubbed from its rows and from the reason there is none. */
async function baselineOf(config, baseline, gateway, scrub) {
    const read = await readBaseline(config, baseline, gateway, scrub, (row) => scrubLog(row, scrub));
    return read.kind === 'missing'
        ? { ...read, reason: scrub(read.reason) }
        : read;
}
/**
 * One line about the baseline: what the run was compared with, or a warning that there is none. A
 * threshold skipped for want of a baseline is a warning of its own that says why, so then no more is said.
 */
function reportBaseline(baseline, verdicts) {
    if (baseline.kind === 'found') {
        info(`Compared with the baseline: ${baseline.describe}, ${baseline.metrics.count} call${baseline.metrics.count === 1 ? '' : 's'}`);
    }
    else if (!verdicts.some((v) => v.skipped !== undefined)) {
        core_warning(`No baseline to compare with: ${baseline.reason}`, {
            title: `${REPORT_TITLE} (baseline)`
        });
    }
}
/** The PR comment, best effort: whatever goes wrong, loading the module included, is one warning. */
async function comment(config, outcome, markdown, env, scrub, load) {
    // Titled like every other annotation of the action, so a comment problem reads as this step's.
    const warn = (message) => core_warning(message, { title: `${REPORT_TITLE} (PR comment)` });
    let postComment;
    try {
        ;
        ({ postComment } = await load());
    }
    catch (error) {
        warn(`Could not write the PR comment (${errorMessage(error, scrub)}). The gate's result stands.`);
        return;
    }
    const result = resultOf(outcome);
    const timeoutMs = config.requestTimeoutMs;
    const posted = await postComment({
        ...config.comment,
        result,
        markdown,
        env,
        timeoutMs,
        warn,
        info: info,
        scrub
    });
    if (posted) {
        setOutput(OUTPUT.commentId, String(posted.id));
        setOutput(OUTPUT.commentUrl, posted.url);
    }
}
async function writeSummary(markdown, env) {
    if (!env.GITHUB_STEP_SUMMARY) {
        info('GITHUB_STEP_SUMMARY is not set (not running on a GitHub runner?): the job summary is skipped.');
        return;
    }
    try {
        const body = (0,text_markdown/* truncateMarkdown */.o)(markdown, MAX_SUMMARY_CHARS, 'The report was shortened to fit the job summary.');
        await summary.addRaw(body, true).write();
    }
    catch (error) {
        core_warning(`Could not write the job summary: ${errorMessage(error)}`, {
            title: REPORT_TITLE
        });
    }
}
/** The errors that mean the calls could not all be read (as opposed to a bad input or a refused request). */
function isIncompleteRead(error) {
    return (error instanceof cloudflare_budget/* BudgetSpentError */.o_ ||
        (error instanceof CollectError &&
            (error.kind === 'incomplete' || error.kind === 'invalid')) ||
        (error instanceof graphql/* AnalyticsError */.NB &&
            (error.kind === 'budget' || error.kind === 'invalid-answer')));
}
/**
 * The first MAX_ANNOTATIONS_PER_KIND messages, each through `annotate`, then one line through it that
 * counts the rest (`… and 13995 more failed checks: see the job summary or the failures output`).
 */
function annotateSome(messages, what, output, annotate) {
    for (const message of messages.slice(0, MAX_ANNOTATIONS_PER_KIND))
        annotate(message);
    const rest = messages.length - MAX_ANNOTATIONS_PER_KIND;
    if (rest > 0)
        annotate(`… and ${rest} more ${what}, not annotated: the job summary and the ${output} output list them`);
}
function fail(outcome) {
    if (outcome.kind === 'error' && outcome.reportOnly) {
        core_warning(outcome.message, {
            title: `${REPORT_TITLE} (fail-on-breach is false)`
        });
        return;
    }
    if (outcome.kind === 'error') {
        error(outcome.message, { title: `${REPORT_TITLE}: error` });
        process.exitCode = 1;
        return;
    }
    // Warnings never fail the job, whatever fail-on-breach says.
    const warned = outcome.verdicts
        .filter((v) => !v.passed && v.level === 'warn')
        .map((v) => v.message);
    annotateSome(warned, 'warnings', OUTPUT.warnings, (message) => core_warning(message, { title: `${REPORT_TITLE} (warning)` }));
    const failed = outcome.verdicts.filter((v) => !v.passed && v.level === 'error');
    if (failed.length === 0) {
        const checked = outcome.verdicts
            .filter((v) => v.level === 'error')
            .map((v) => v.message);
        info(`${REPORT_TITLE} passed: ${checked.join('; ') || 'no limits set'}`);
        return;
    }
    // One annotation per failed check, up to a handful; setFailed would add one more, so the exit code is set directly.
    annotateSome(failed.map((v) => v.message), 'failed checks', OUTPUT.failures, (message) => {
        if (outcome.failOnBreach)
            error(message, { title: REPORT_TITLE });
        else
            core_warning(message, {
                title: `${REPORT_TITLE} (fail-on-breach is false)`
            });
    });
    if (outcome.failOnBreach)
        process.exitCode = 1;
}

;// CONCATENATED MODULE: ./src/index.ts
// The action's entry point: nothing but run(), and backstops. An error thrown outside run's own catch,
// or a promise rejected and never awaited, still fails the step with one readable line; and if the
// process runs out of work before run() finished (a request that neither answered nor failed), the
// step fails instead of ending green with no outputs.




let finished = false;
// Scrubbed before errorMessage cuts it: the runner masks only a whole secret.
const unexpected = (error) => {
    finished = true;
    setFailed(`Unexpected error: ${errorMessage(error, (0,text_secrets/* scrubber */.ty)(actionSecrets(readInputs(getInput, process.env))))}`);
};
process.on('unhandledRejection', unexpected);
process.on('beforeExit', () => {
    if (finished)
        return;
    finished = true;
    setOutput(OUTPUT.result, 'error');
    setOutput(OUTPUT.passed, 'false');
    setFailed('The action was about to exit before it finished: a request was left with neither an answer nor an error, so the gate did not pass.');
});
run().then(() => (finished = true), unexpected);

