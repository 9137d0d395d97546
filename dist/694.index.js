export const id = 694;
export const ids = [694];
export const modules = {

/***/ 2694:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  AnalyticsError: () => (/* reexport */ graphql/* AnalyticsError */.NB),
  analyticsFieldsNeeded: () => (/* reexport */ analyticsFieldsNeeded),
  describeAnalytics: () => (/* binding */ describeAnalytics),
  measureAnalytics: () => (/* binding */ measureAnalytics),
  measureTrend: () => (/* binding */ measureTrend)
});

// EXTERNAL MODULE: ./src/inputs/window.ts
var inputs_window = __webpack_require__(3901);
;// CONCATENATED MODULE: ./src/cloudflare/analytics-query.ts
// Pure: the GraphQL Analytics queries the analytics source sends, as text, and their filters. Only the
// dataset aiGatewayRequestsAdaptiveGroups is read. Cloudflare's GraphQL API has no cursors: a long
// list is paged by ordering on a dimension and filtering past the last value seen
// (https://developers.cloudflare.com/analytics/graphql-api/features/pagination/). One field the account
// is not entitled to fails the whole query, so each query names only the fields the caller asks for
// (checked against the settings node's availableFields first).

const DATASET = 'aiGatewayRequestsAdaptiveGroups';
/**
 * The type of the dataset's filter, as Cloudflare's schema names it (Account + the node's name in
 * Pascal case + `Filter_InputObject`; seen in public clients of this dataset).
 */
const FILTER_TYPE = 'AccountAiGatewayRequestsAdaptiveGroupsFilter_InputObject';
/** The `sum { … }` fields the source reads: counts of calls, USD, tokens. */
const SUM_FIELDS = (/* unused pure expression or super */ null && ([
    'cost',
    'erroredRequests',
    'cachedRequests',
    'tokensIn',
    'tokensOut'
]));
/** Dimensions read as histograms: one group per distinct value, ordered, paged on the last value. */
const HISTOGRAM_DIMENSIONS = (/* unused pure expression or super */ null && ([
    'durationMs',
    'cost',
    'tokensIn',
    'tokensOut'
]));
/** The confidence level asked for every count and sum: a 95% interval. */
const CONFIDENCE_LEVEL = 0.95;
/** A totals query asks for 2 groups so that a second one (which must not exist) is seen and refused. */
const TOTALS_LIMIT = 2;
const INTERVAL = '{ estimate lower upper sampleSize }';
/**
 * The count's 95% interval, asked in every grouped query: Cloudflare samples each query on its own
 * (adaptively), so whether a group-by was sampled is told by its own answer, never by the totals'.
 * One field of the 30 a query may name (`confidence` counts once).
 */
const COUNT_CONFIDENCE = `confidence(level: ${CONFIDENCE_LEVEL}) { count ${INTERVAL} }`;
const SETTINGS_QUERY = `query Settings($accountTag: string!) {
  viewer {
    accounts(filter: { accountTag: $accountTag }) {
      settings {
        ${DATASET} { enabled availableFields maxDuration notOlderThan maxPageSize }
      }
    }
  }
}`;
/** One query of the dataset: `$accountTag` and `$filter` are its variables, the rest is written in. */
function datasetQuery(name, args, selection) {
    return `query ${name}($accountTag: string!, $filter: ${FILTER_TYPE}!) {
  viewer {
    accounts(filter: { accountTag: $accountTag }) {
      ${DATASET}(${args}) {
        ${selection}
      }
    }
  }
}`;
}
const sumSelection = (sums) => sums.length === 0 ? '' : ` sum { ${sums.join(' ')} }`;
/** The window's totals: one group without dimensions, every count and sum with its 95% interval. */
function totalsQuery(sums) {
    const confidenceSums = sums.length === 0
        ? ''
        : ` sum { ${sums.map((s) => `${s} ${INTERVAL}`).join(' ')} }`;
    return datasetQuery('Totals', `limit: ${TOTALS_LIMIT}, filter: $filter`, `count${sumSelection(sums)} confidence(level: ${CONFIDENCE_LEVEL}) { count ${INTERVAL}${confidenceSums} }`);
}
/** One page of a histogram: a group per value of the dimension, ascending. */
function histogramQuery(dimension, limit) {
    return datasetQuery('Histogram', `limit: ${limit}, filter: $filter, orderBy: [${dimension}_ASC]`, `count dimensions { ${dimension} } ${COUNT_CONFIDENCE}`);
}
/** The calls per provider and model, costliest first when cost is offered. */
function modelsQuery(sums, limit) {
    const order = sums.includes('cost') ? ', orderBy: [sum_cost_DESC]' : '';
    return datasetQuery('Models', `limit: ${limit}, filter: $filter${order}`, `count${sumSelection(sums)} dimensions { model provider } ${COUNT_CONFIDENCE}`);
}
function statusCodesQuery(limit) {
    return datasetQuery('StatusCodes', `limit: ${limit}, filter: $filter`, `count dimensions { statusCode } ${COUNT_CONFIDENCE}`);
}
/** A trend: the calls, cost and errors of each UTC day. */
function trendQuery(sums, limit) {
    return datasetQuery('Trend', `limit: ${limit}, filter: $filter, orderBy: [date_ASC]`, `count${sumSelection(sums)} dimensions { date } ${COUNT_CONFIDENCE}`);
}
/** The filter of a selection: the gateway, the window, and the run id when there is one. */
function selectionFilter(selection) {
    return {
        gateway: selection.gatewayId,
        datetime_geq: (0,inputs_window/* isoSeconds */.nE)(selection.sinceMs),
        datetime_lt: (0,inputs_window/* isoSeconds */.nE)(selection.untilMs),
        ...(selection.runId === undefined
            ? {}
            : { metadataValues_has: selection.runId })
    };
}
/** A histogram page's filter: the selection's, and past the last value of the page before (if any). */
function pageFilter(selection, dimension, afterValue) {
    const base = selectionFilter(selection);
    return afterValue === undefined
        ? base
        : { AND: [base, { [`${dimension}_gt`]: afterValue }] };
}

// EXTERNAL MODULE: ./src/cloudflare/graphql.ts
var graphql = __webpack_require__(1074);
// EXTERNAL MODULE: ./src/cloudflare/budget.ts
var budget = __webpack_require__(3550);
// EXTERNAL MODULE: ./src/text/escape.ts
var text_escape = __webpack_require__(7388);
;// CONCATENATED MODULE: ./src/cloudflare/analytics.ts
// The GraphQL Analytics client: the settings node read once, then the totals, histograms, status codes,
// trend and models of a selection, each read in chunks of at most maxDuration. Counts are merged here;
// sums are returned chunk by chunk, for the source to add in decimal (sources/metrics.ts exactSum).
// Every answer is checked field by field before it is used (types, signs, bounds, order, size), and
// every loop is bounded by the query budget: no answer can make the client loop or hold more than
// (query budget × page size) groups.





/** The largest page asked for, whatever maxPageSize says: Cloudflare documents 10,000. */
const MAX_PAGE_SIZE = 10_000;
const SECOND_MS = 1000;
function objectAt(value, where, what, scrub) {
    const object = (0,graphql/* asObject */.eB)(value);
    if (!object)
        throw (0,graphql/* invalidAnswer */.k_)(what, `${where} is ${(0,graphql/* shown */.SP)(value, scrub)}, not an object`);
    return object;
}
/** A whole number of calls (or seconds): a safe integer, never negative. */
function whole(value, where, what, scrub) {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
        throw (0,graphql/* invalidAnswer */.k_)(what, `${where} is ${(0,graphql/* shown */.SP)(value, scrub)}, not a whole number ≥ 0`);
    return value;
}
/** An amount (USD, tokens, ms): a finite number, never negative. */
function amount(value, where, what, scrub) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
        throw (0,graphql/* invalidAnswer */.k_)(what, `${where} is ${(0,graphql/* shown */.SP)(value, scrub)}, not a finite number ≥ 0`);
    return value;
}
function confidenceAt(value, where, what, scrub) {
    const c = objectAt(value, where, what, scrub);
    const estimate = amount(c.estimate, `${where}.estimate`, what, scrub);
    const lower = amount(c.lower, `${where}.lower`, what, scrub);
    const upper = amount(c.upper, `${where}.upper`, what, scrub);
    const sampleSize = whole(c.sampleSize, `${where}.sampleSize`, what, scrub);
    if (!(lower <= estimate && estimate <= upper))
        throw (0,graphql/* invalidAnswer */.k_)(what, `${where} is not an interval around its estimate (lower ${lower}, estimate ${estimate}, upper ${upper})`);
    return { estimate, lower, upper, sampleSize };
}
/** Whether an interval comes from a sample: fewer calls read than estimated, or any width (conservative). */
function fromSample(c) {
    return c.sampleSize < c.estimate || c.lower !== c.upper;
}
const NO_SAMPLE = {
    count: { estimate: 0, lower: 0, upper: 0, sampleSize: 0 },
    sampled: false
};
function addSample(a, count, sampled) {
    return {
        count: {
            estimate: a.count.estimate + count.estimate,
            lower: a.count.lower + count.lower,
            upper: a.count.upper + count.upper,
            sampleSize: a.count.sampleSize + count.sampleSize
        },
        sampled: a.sampled || sampled
    };
}
/**
 * A group's count interval (`confidence.count`), asked in every grouped query. Unsampled, the count
 * is the estimate: a count other than its own estimate is another answer.
 */
function groupConfidence(group, count, where, what, scrub) {
    const conf = objectAt(group.confidence, `${where}: confidence`, what, scrub);
    const c = confidenceAt(conf.count, `${where}: confidence.count`, what, scrub);
    const sampled = fromSample(c);
    if (!sampled && count !== c.estimate)
        throw (0,graphql/* invalidAnswer */.k_)(what, `${where}: count ${count} is not its unsampled estimate ${c.estimate}`);
    return { count: c, sampled };
}
/** The groups of the dataset in an answer: a list of at most `limit` objects. */
function groupsOf(data, limit, what, session) {
    const groups = (0,graphql/* accountOf */.XP)(data, what, session)[DATASET];
    if (!Array.isArray(groups))
        throw (0,graphql/* invalidAnswer */.k_)(what, `${DATASET} is ${(0,graphql/* shown */.SP)(groups, session.scrub)}, not a list`);
    if (groups.length > limit)
        throw (0,graphql/* invalidAnswer */.k_)(what, `${groups.length} groups, more than the limit of ${limit} asked for`);
    return groups.map((g, i) => objectAt(g, `group ${i + 1}`, what, session.scrub));
}
/** Sums that count calls: whole numbers. */
const COUNTED = new Set([
    'erroredRequests',
    'cachedRequests'
]);
function sumsOf(group, sums, where, what, scrub) {
    if (sums.length === 0)
        return {};
    const sum = objectAt(group.sum, `${where}: sum`, what, scrub);
    const read = {};
    for (const field of sums)
        read[field] = (COUNTED.has(field) ? whole : amount)(sum[field], `${where}: sum.${field}`, what, scrub);
    return read;
}
// ---- merging: counts must stay exact, sums are added in decimal ----
function addCounts(a, b, what) {
    const total = a + b;
    if (!Number.isSafeInteger(total))
        throw (0,graphql/* invalidAnswer */.k_)(what, `counts that add up past ${Number.MAX_SAFE_INTEGER}`);
    return total;
}
// ---- the settings node ----
function positiveWhole(value, where, what, scrub) {
    const n = whole(value, where, what, scrub);
    if (n === 0)
        throw (0,graphql/* invalidAnswer */.k_)(what, `${where} is 0`);
    return n;
}
/** The settings node: whether the dataset is on, its fields, and its limits. Read once, first. */
async function readSettings(session) {
    const what = 'settings';
    const { scrub } = session;
    const data = await (0,graphql/* queryData */.VR)(session, what, SETTINGS_QUERY, {
        accountTag: session.conn.accountId
    });
    const settings = objectAt((0,graphql/* accountOf */.XP)(data, what, session).settings, 'settings', what, scrub);
    const node = settings[DATASET];
    if (node === null || node === undefined)
        throw new graphql/* AnalyticsError */.NB('disabled', `GraphQL Analytics offers no ${DATASET} dataset to account ${JSON.stringify(session.conn.accountId)} (its settings node is ${node === null ? 'null' : 'missing'}): use source: logs.`);
    const s = objectAt(node, `settings.${DATASET}`, what, scrub);
    if (typeof s.enabled !== 'boolean')
        throw (0,graphql/* invalidAnswer */.k_)(what, `enabled is ${(0,graphql/* shown */.SP)(s.enabled, scrub)}, not true or false`);
    const fields = s.availableFields;
    if (!Array.isArray(fields) || !fields.every((f) => typeof f === 'string'))
        throw (0,graphql/* invalidAnswer */.k_)(what, 'availableFields is not a list of names');
    return {
        enabled: s.enabled,
        availableFields: fields,
        maxDurationMs: positiveWhole(s.maxDuration, 'maxDuration', what, scrub) * SECOND_MS,
        notOlderThanMs: positiveWhole(s.notOlderThan, 'notOlderThan', what, scrub) * SECOND_MS,
        maxPageSize: Math.min(positiveWhole(s.maxPageSize, 'maxPageSize', what, scrub), MAX_PAGE_SIZE)
    };
}
// ---- chunks ----
/**
 * The selection cut into consecutive windows of at most maxDuration, oldest first. More chunks than
 * the budget has queries left is an error before any is built: a maxDuration of one second would
 * otherwise make a million windows of a long selection.
 */
function chunksOf(selection, settings, session, what) {
    const { sinceMs, untilMs } = selection;
    const chunkMs = settings.maxDurationMs;
    const needed = Math.ceil((untilMs - sinceMs) / chunkMs);
    if (needed > session.budget.left)
        throw new graphql/* AnalyticsError */.NB('budget', `The ${what} of the window need ${needed} GraphQL queries (GraphQL Analytics reads at most ${chunkMs / SECOND_MS} s a query) and ${(0,budget/* budgetAllows */.O$)(budget/* QUERY_BUDGET */.bP, session.budget.limit)}, ${session.budget.left} of them left: shorten the window or raise ${budget/* QUERY_BUDGET */.bP.input}.`);
    const chunks = [];
    for (let start = sinceMs; start < untilMs; start += chunkMs)
        chunks.push({
            ...selection,
            sinceMs: start,
            untilMs: Math.min(start + chunkMs, untilMs)
        });
    return chunks;
}
function variables(session, filter) {
    return { accountTag: session.conn.accountId, filter };
}
// ---- totals ----
function totalsOfChunk(groups, sums, what, scrub) {
    if (groups.length > 1)
        throw (0,graphql/* invalidAnswer */.k_)(what, `${groups.length} groups where the totals are one`);
    const group = groups[0];
    if (!group) {
        // No group: no calls in this chunk. Nothing was sampled.
        const zero = { estimate: 0, lower: 0, upper: 0, sampleSize: 0 };
        return {
            count: 0,
            sums: Object.fromEntries(sums.map((s) => [s, 0])),
            confidence: {
                count: zero,
                sums: Object.fromEntries(sums.map((s) => [s, zero]))
            },
            sampled: false
        };
    }
    const count = whole(group.count, 'count', what, scrub);
    const read = sumsOf(group, sums, 'totals', what, scrub);
    const conf = objectAt(group.confidence, 'confidence', what, scrub);
    const countConf = confidenceAt(conf.count, 'confidence.count', what, scrub);
    const sumConf = {};
    if (sums.length > 0) {
        const cs = objectAt(conf.sum, 'confidence.sum', what, scrub);
        for (const field of sums)
            sumConf[field] = confidenceAt(cs[field], `confidence.sum.${field}`, what, scrub);
    }
    // Any interval with width is a sample's, whatever sampleSize says (conservative).
    const sampled = fromSample(countConf) ||
        Object.values(sumConf).some((c) => c.lower !== c.upper);
    if (!sampled)
        checkUnsampled(count, read, countConf, sumConf, what);
    return {
        count,
        sums: read,
        confidence: { count: countConf, sums: sumConf },
        sampled
    };
}
/** Two renderings of one decimal sum (USD, tokens): equal to about 12 significant digits. */
const sameAmount = (a, b) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b));
/** Unsampled totals: every figure is its own estimate, every interval a point. */
function checkUnsampled(count, sums, countConf, sumConf, what) {
    if (count !== countConf.estimate)
        throw (0,graphql/* invalidAnswer */.k_)(what, `count ${count} is not its unsampled estimate ${countConf.estimate} (confidence.count)`);
    for (const [field, c] of Object.entries(sumConf)) {
        const sum = sums[field];
        if (COUNTED.has(field) ? sum !== c.estimate : !sameAmount(sum, c.estimate))
            throw (0,graphql/* invalidAnswer */.k_)(what, `sum.${field} ${sum} is not its unsampled estimate ${c.estimate} (confidence.sum.${field})`);
    }
}
/** The selection's count and sums with their intervals, one entry per chunk, oldest first. */
async function readTotals(session, selection, settings, sums) {
    const what = 'totals';
    const totals = [];
    for (const chunk of chunksOf(selection, settings, session, what)) {
        const data = await (0,graphql/* queryData */.VR)(session, what, totalsQuery(sums), variables(session, selectionFilter(chunk)));
        const groups = groupsOf(data, TOTALS_LIMIT, what, session);
        totals.push(totalsOfChunk(groups, sums, what, session.scrub));
    }
    return totals;
}
// ---- histograms ----
/** What a histogram is called at the start of a message: `The durationMs histogram (duration)`. */
const histogramName = (dimension, metric) => `The ${dimension} histogram (${metric})`;
/**
 * One histogram over the selection: every distinct value of the dimension and its count, read page
 * by page in ascending order (each page past the last value of the one before), chunk by chunk, and
 * merged by value. A page must move strictly past the last value: otherwise the next page would ask
 * the same question again, forever.
 */
async function readHistogram(session, selection, settings, dimension, metric) {
    const name = histogramName(dimension, metric);
    const what = `${dimension} histogram`;
    const limit = settings.maxPageSize;
    const merged = new Map();
    let sample = NO_SAMPLE;
    let pages = 0;
    for (const chunk of chunksOf(selection, settings, session, what)) {
        let after;
        for (;;) {
            if (session.budget.left === 0)
                throw new graphql/* AnalyticsError */.NB('budget', `${name} needs more than ${pages} quer${pages === 1 ? 'y' : 'ies'}: ${(0,budget/* budgetAllows */.O$)(budget/* QUERY_BUDGET */.bP, session.budget.limit)} and all are spent (${budget/* QUERY_BUDGET */.bP.cloudflare}). Raise ${budget/* QUERY_BUDGET */.bP.input} or shorten the window.`);
            pages++;
            const data = await (0,graphql/* queryData */.VR)(session, what, histogramQuery(dimension, limit), variables(session, pageFilter(chunk, dimension, after)));
            const groups = groupsOf(data, limit, what, session);
            for (const [i, group] of groups.entries()) {
                const where = `group ${i + 1} of page ${pages}`;
                const count = whole(group.count, `${where}: count`, what, session.scrub);
                const dims = objectAt(group.dimensions, `${where}: dimensions`, what, session.scrub);
                const value = amount(dims[dimension], `${where}: ${dimension}`, what, session.scrub);
                if (after !== undefined && !(value > after))
                    throw (0,graphql/* invalidAnswer */.k_)(what, `${where} has ${dimension} ${value}, not past ${after} (the value before it${i === 0 ? ', the last of the page before' : ''}): the values must rise strictly`);
                after = value;
                const c = groupConfidence(group, count, where, what, session.scrub);
                sample = addSample(sample, c.count, c.sampled);
                merged.set(value, addCounts(merged.get(value) ?? 0, count, what));
            }
            if (groups.length < limit)
                break;
        }
    }
    const values = [...merged.keys()].sort((a, b) => a - b);
    return { values, counts: values.map((v) => merged.get(v)), sample };
}
// ---- lists of one page: models, status codes, trend ----
/**
 * The groups of a one-page list query, chunk by chunk, each read by `read`. `full`: some chunk
 * returned a whole page, so groups past it may be missing.
 */
async function readList(session, selection, settings, what, query, read) {
    const chunks = [];
    let full = false;
    let sample = NO_SAMPLE;
    for (const chunk of chunksOf(selection, settings, session, what)) {
        const data = await (0,graphql/* queryData */.VR)(session, what, query, variables(session, selectionFilter(chunk)));
        const groups = groupsOf(data, settings.maxPageSize, what, session);
        full ||= groups.length === settings.maxPageSize;
        const seen = new Set();
        chunks.push(groups.map((group, i) => {
            const where = `group ${i + 1}`;
            const { key, row } = read(group, where);
            // A group-by answers each key once: twice is not an answer to the query.
            if (seen.has(key))
                throw (0,graphql/* invalidAnswer */.k_)(what, `${where} repeats ${(0,text_escape/* inline */.mG)(key, 120)}`);
            seen.add(key);
            const count = whole(group.count, `${where}: count`, what, session.scrub);
            const c = groupConfidence(group, count, where, what, session.scrub);
            sample = addSample(sample, c.count, c.sampled);
            return row;
        }));
    }
    return { chunks, full, sample };
}
function stringAt(value, where, what, scrub) {
    if (typeof value !== 'string')
        throw (0,graphql/* invalidAnswer */.k_)(what, `${where} is ${(0,graphql/* shown */.SP)(value, scrub)}, not a string`);
    return value;
}
/**
 * Calls per provider and model, chunk by chunk. `full`: a chunk returned a whole page, so models past
 * it may be missing (one query a chunk; no paging for a list the report only shows).
 */
async function readModels(session, selection, settings, sums) {
    const what = 'models';
    const { scrub } = session;
    return readList(session, selection, settings, what, modelsQuery(sums, settings.maxPageSize), (group, where) => {
        const dims = objectAt(group.dimensions, `${where}: dimensions`, what, scrub);
        // Names come from the API: the caller's secrets are taken out before they are kept.
        const provider = scrub(stringAt(dims.provider, `${where}: provider`, what, scrub));
        const model = scrub(stringAt(dims.model, `${where}: model`, what, scrub));
        const row = {
            provider,
            model,
            count: whole(group.count, `${where}: count`, what, scrub),
            sums: sumsOf(group, sums, where, what, scrub)
        };
        return { key: JSON.stringify([provider, model]), row };
    });
}
/**
 * Calls per status code (null: not reported), merged over the chunks, ascending by code, with what the
 * query's own confidence says. Checked against the totals by the source (every call has one code).
 */
async function readStatusCodes(session, selection, settings) {
    const what = 'status codes';
    const { scrub } = session;
    const { chunks, full, sample } = await readList(session, selection, settings, what, statusCodesQuery(settings.maxPageSize), (group, where) => {
        const dims = objectAt(group.dimensions, `${where}: dimensions`, what, scrub);
        const code = dims.statusCode === null
            ? null
            : whole(dims.statusCode, `${where}: statusCode`, what, scrub);
        return {
            key: String(code),
            row: { code, count: whole(group.count, `${where}: count`, what, scrub) }
        };
    });
    // A whole page of distinct status codes means some may be missing, and a status check must see them all.
    if (full)
        throw (0,graphql/* invalidAnswer */.k_)(what, `${settings.maxPageSize} distinct status codes, a whole page: some may be missing`);
    const merged = new Map();
    for (const row of chunks.flat())
        merged.set(row.code, addCounts(merged.get(row.code) ?? 0, row.count, what));
    const rows = [...merged]
        .map(([code, count]) => ({ code, count }))
        .sort((a, b) => (a.code ?? -1) - (b.code ?? -1));
    return { rows, sample };
}
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
/** Calls, and the sums asked for, per UTC day of the selection, chunk by chunk; and whether it was sampled. */
async function readTrend(session, selection, settings, sums) {
    const what = 'trend';
    const { scrub } = session;
    const first = isoDay(selection.sinceMs);
    const last = isoDay(selection.untilMs - 1);
    const { chunks, sample } = await readList(session, selection, settings, what, trendQuery(sums, settings.maxPageSize), (group, where) => {
        const dims = objectAt(group.dimensions, `${where}: dimensions`, what, scrub);
        const date = stringAt(dims.date, `${where}: date`, what, scrub);
        if (!DATE_RE.test(date) ||
            isoDay(Date.parse(`${date}T00:00:00Z`)) !== date ||
            date < first ||
            date > last)
            throw (0,graphql/* invalidAnswer */.k_)(what, `${where}: date ${(0,graphql/* shown */.SP)(date, scrub)} is not a day from ${first} to ${last}`);
        return {
            key: date,
            row: {
                date,
                count: whole(group.count, `${where}: count`, what, scrub),
                sums: sumsOf(group, sums, where, what, scrub)
            }
        };
    });
    return { chunks, sample };
}
/** The UTC day of a time, YYYY-MM-DD; `invalid` for a time no Date holds. */
function isoDay(ms) {
    return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15
        ? new Date(ms).toISOString().slice(0, 10)
        : 'invalid';
}

// EXTERNAL MODULE: ./src/inputs/thresholds.ts + 1 modules
var thresholds = __webpack_require__(5279);
;// CONCATENATED MODULE: ./src/sources/analytics-fields.ts


/** The histogram dimension behind each distribution metric; `tokens` (in + out per call) has none. */
const HISTOGRAM_OF = {
    duration: 'durationMs',
    cost: 'cost',
    'tokens-in': 'tokensIn',
    'tokens-out': 'tokensOut',
    tokens: null
};
/** The sum behind each distribution metric's sum and avg; `tokens` is tokensIn + tokensOut. */
const SUMS_OF = {
    duration: [],
    cost: ['cost'],
    'tokens-in': ['tokensIn'],
    'tokens-out': ['tokensOut'],
    tokens: ['tokensIn', 'tokensOut']
};
/** A field as availableFields names it: `sum_cost`, `dimensions_durationMs`. */
const sumField = (field) => `sum_${field}`;
const dimensionField = (dimension) => `dimensions_${dimension}`;
/** The fields the trend reads: calls and errors a day are its point (cost is shown when offered). */
const TREND_FIELDS = [
    'count',
    dimensionField('date'),
    sumField('erroredRequests')
];
/** The availableFields one threshold needs (the `duration` histogram and `count` are read anyway). */
function fieldsOfThreshold(threshold) {
    switch (threshold.metric) {
        case 'status-code':
            return [dimensionField('statusCode')];
        case 'count':
            return ['count'];
        case 'errors':
        case 'error-rate':
            return [sumField('erroredRequests')];
        case 'cached':
        case 'cache-rate':
            return [sumField('cachedRequests')];
    }
    const { metric, aggregate } = threshold;
    if (metric === 'duration')
        return [dimensionField('durationMs')];
    if (aggregate === 'sum' || aggregate === 'avg')
        return SUMS_OF[metric].map(sumField);
    // min, max and percentiles: the histogram, when the metric has one (tokens is unavailable, not an error).
    const dimension = HISTOGRAM_OF[metric];
    return dimension ? [dimensionField(dimension)] : [];
}
/** A threshold as the user wrote it, for a message: `thresholds "cost.p95 < $0.01"`, `"max-cost: 0.05"`. */
function thresholdText(threshold) {
    return threshold.input === thresholds/* THRESHOLDS_INPUT */.U6
        ? `${thresholds/* THRESHOLDS_INPUT */.U6} ${(0,text_escape/* quoted */.TL)(threshold.source)}`
        : (0,text_escape/* quoted */.TL)(threshold.source);
}
/** Each field the thresholds need, with the first threshold that needs it, in the thresholds' order. */
function analyticsFieldsNeeded(thresholds) {
    const needed = new Map();
    for (const threshold of thresholds)
        for (const field of fieldsOfThreshold(threshold))
            if (!needed.has(field))
                needed.set(field, threshold);
    return [...needed].map(([field, threshold]) => ({ field, threshold }));
}
/**
 * Why a selection cannot be measured with the account's fields: one sentence per missing field a
 * threshold (or the trend) needs, naming both; empty when every needed field is offered.
 */
function missingFields(thresholds, trend, available) {
    const offered = (field) => available.has(field);
    const missing = analyticsFieldsNeeded(thresholds)
        .filter(({ field }) => !offered(field))
        .map(({ field, threshold }) => `${thresholdText(threshold)} needs ${field}, which this account's analytics does not offer (availableFields)`);
    if (trend)
        for (const field of TREND_FIELDS)
            if (!offered(field))
                missing.push(`trend needs ${field}, which this account's analytics does not offer (availableFields)`);
    return missing;
}
const NOT_OFFERED = (field) => `this account's analytics does not offer ${field} (availableFields)`;
/** Tokens in + out of one call: analytics groups by each alone, never by their total. */
const TOKENS_PER_CALL_REASON = 'analytics has no per-call total of tokens in and out, so its min, max and percentiles need source: logs';
const PER_CALL_REASON = 'per-call details (the costliest and slowest calls, the ids of failed calls) are not in analytics: they need source: logs';
/**
 * The histograms to read: durations when offered (for the report, if no threshold asks), cost and tokens
 * when a threshold asks for a figure only a histogram gives.
 */
function histogramsToRead(asked, available) {
    const histograms = [];
    if (available.has(dimensionField('durationMs')))
        histograms.push({
            dimension: 'durationMs',
            metric: 'duration',
            optional: !asked.has(dimensionField('durationMs'))
        });
    for (const metric of ['cost', 'tokens-in', 'tokens-out']) {
        const dimension = HISTOGRAM_OF[metric];
        if (asked.has(dimensionField(dimension)))
            histograms.push({ dimension, metric, optional: false });
    }
    return histograms;
}
/** The queries to make and the caveats of fields not offered; missingFields() is checked first. */
function planAnalytics(thresholds, available) {
    const caveats = [];
    const unavailable = (metric, field) => {
        caveats.push({ metric, kind: 'unavailable', reason: NOT_OFFERED(field) });
    };
    const sums = [
        'cost',
        'erroredRequests',
        'cachedRequests',
        'tokensIn',
        'tokensOut'
    ].filter((field) => available.has(sumField(field)));
    const offers = (field) => sums.includes(field);
    if (!offers('erroredRequests'))
        for (const m of ['errors', 'error-rate'])
            unavailable(m, sumField('erroredRequests'));
    if (!offers('cachedRequests'))
        for (const m of ['cached', 'cache-rate'])
            unavailable(m, sumField('cachedRequests'));
    for (const metric of ['cost', 'tokens-in', 'tokens-out', 'tokens']) {
        const lacking = SUMS_OF[metric].find((field) => !offers(field));
        if (lacking)
            for (const aggregate of ['sum', 'avg'])
                unavailable(`${metric}.${aggregate}`, sumField(lacking));
    }
    for (const aggregate of ['min', 'max', 'p50', 'p90', 'p95', 'p99'])
        caveats.push({
            metric: `tokens.${aggregate}`,
            kind: 'unavailable',
            reason: TOKENS_PER_CALL_REASON
        });
    const asked = new Set(analyticsFieldsNeeded(thresholds).map(({ field }) => field));
    const histograms = histogramsToRead(asked, available);
    if (!available.has(dimensionField('durationMs')))
        unavailable('duration', dimensionField('durationMs'));
    const models = available.has(dimensionField('model')) &&
        available.has(dimensionField('provider'));
    if (!models)
        unavailable('models', `${dimensionField('model')} and ${dimensionField('provider')}`);
    caveats.push({
        metric: 'calls',
        kind: 'unavailable',
        reason: PER_CALL_REASON
    });
    return {
        sums,
        histograms,
        statusCodes: asked.has(dimensionField('statusCode')),
        models,
        trendCost: offers('cost'),
        caveats
    };
}

// EXTERNAL MODULE: ./src/inputs/threshold-terms.ts
var threshold_terms = __webpack_require__(1200);
// EXTERNAL MODULE: ./src/sources/metrics.ts
var metrics = __webpack_require__(5227);
;// CONCATENATED MODULE: ./src/sources/analytics-metrics.ts
// Pure: what GraphQL Analytics answered, turned into the same Metrics the logs source computes from
// rows, wherever analytics can give them. Chunks are added exactly (exactSum, as the logs source adds
// costs); percentiles come from the histograms by nearest rank over the cumulative counts, the same
// definition the logs source applies to a sorted list of calls, so the two agree on the same calls.



function addConfidence(parts) {
    // Bounds added are wider than the combined interval would be: conservative, never narrower.
    return {
        estimate: (0,metrics/* exactSum */.dZ)(parts.map((c) => c.estimate)),
        lower: (0,metrics/* exactSum */.dZ)(parts.map((c) => c.lower)),
        upper: (0,metrics/* exactSum */.dZ)(parts.map((c) => c.upper)),
        sampleSize: parts.reduce((n, c) => n + c.sampleSize, 0)
    };
}
function mergeTotals(chunks, sums) {
    return {
        count: chunks.reduce((n, t) => n + t.count, 0),
        sums: Object.fromEntries(sums.map((s) => [s, (0,metrics/* exactSum */.dZ)(chunks.map((t) => t.sums[s] ?? 0))])),
        confidence: {
            count: addConfidence(chunks.map((t) => t.confidence.count)),
            sums: Object.fromEntries(sums.map((s) => [
                s,
                addConfidence(chunks.map((t) => t.confidence.sums[s]))
            ]))
        },
        sampled: chunks.some((t) => t.sampled)
    };
}
/** A value from a histogram: no single call stands behind it, so no id. */
const point = (value) => ({ value, id: '' });
/**
 * Min, max and the nearest-rank percentiles of a histogram, its exact sum and mean: the value at rank
 * ceil(p/100 × n) counting calls up from the smallest value, as the logs source takes it from the
 * sorted calls.
 */
function histogramDistribution(histogram) {
    const { values, counts } = histogram;
    const calls = counts.reduce((n, c) => n + c, 0);
    const { sum, avg } = (0,metrics/* exactWeightedSum */.uE)(values.map((value, i) => ({ value, weight: counts[i] })));
    if (calls === 0)
        return {
            calls,
            sum,
            avg,
            min: null,
            max: null,
            p50: null,
            p90: null,
            p95: null,
            p99: null
        };
    const at = (p) => {
        const rank = (0,metrics/* nearestRank */.p3)(p, calls);
        let seen = 0;
        for (let i = 0; i < values.length; i++) {
            seen += counts[i];
            if (seen >= rank)
                return point(values[i]);
        }
        return point(values[values.length - 1]);
    };
    // The ends are the first and last values some call had (a value counted 0 times is no call's).
    const held = values.filter((_, i) => counts[i] > 0);
    return {
        calls,
        sum,
        avg,
        min: point(held[0]),
        max: point(held[held.length - 1]),
        p50: at(50),
        p90: at(90),
        p95: at(95),
        p99: at(99)
    };
}
const EMPTY = {
    missing: 0,
    sum: null,
    avg: null,
    min: null,
    max: null,
    p50: null,
    p90: null,
    p95: null,
    p99: null
};
/** A 95% interval divided by a count's: the conservative ratio of the bounds, capped at `cap`. */
function ratio(part, whole, cap = Infinity) {
    // The sampled calls are real calls: there are at least sampleSize of them, whatever the lower bound says.
    const fewest = Math.max(whole.lower, whole.sampleSize);
    return {
        estimate: whole.estimate === 0 ? 0 : Math.min(cap, part.estimate / whole.estimate),
        lower: whole.upper === 0 ? 0 : Math.min(cap, part.lower / whole.upper),
        upper: fewest === 0 ? cap : Math.min(cap, part.upper / fewest),
        sampleSize: whole.sampleSize
    };
}
const interval = (c) => ({ ...c });
/**
 * The intervals of a sampled answer, by the names the gate and the report use: counts and sums as
 * Cloudflare gave them, rates and averages as the conservative ratio of the bounds. Unsampled: none.
 */
function intervalsOf(totals) {
    if (!totals.sampled)
        return undefined;
    const count = totals.confidence.count;
    const sums = totals.confidence.sums;
    const out = { count: interval(count) };
    if (sums.erroredRequests) {
        out.errors = interval(sums.erroredRequests);
        out['error-rate'] = ratio(sums.erroredRequests, count, 1);
    }
    if (sums.cachedRequests) {
        out.cached = interval(sums.cachedRequests);
        out['cache-rate'] = ratio(sums.cachedRequests, count, 1);
    }
    const metricSums = [
        ['cost', sums.cost],
        ['tokens-in', sums.tokensIn],
        ['tokens-out', sums.tokensOut],
        [
            'tokens',
            sums.tokensIn && sums.tokensOut
                ? addConfidence([sums.tokensIn, sums.tokensOut])
                : undefined
        ]
    ];
    for (const [metric, sum] of metricSums) {
        if (!sum)
            continue;
        out[`${metric}.sum`] = interval(sum);
        out[`${metric}.avg`] = ratio(sum, count);
    }
    return out;
}
const compareText = (a, b) => a < b ? -1 : a > b ? 1 : 0;
/** The models of every chunk merged by provider and model, ordered as the logs source orders them. */
function mergeModels(chunks) {
    const byKey = new Map();
    for (const row of chunks.flat()) {
        const key = JSON.stringify([row.provider, row.model]);
        byKey.set(key, [...(byKey.get(key) ?? []), row]);
    }
    const total = (rows, field) => rows.every((r) => r.sums[field] !== undefined)
        ? (0,metrics/* exactSum */.dZ)(rows.map((r) => r.sums[field]))
        : null;
    const models = [...byKey.values()].map((rows) => ({
        provider: rows[0].provider,
        model: rows[0].model,
        calls: rows.reduce((n, r) => n + r.count, 0),
        errors: total(rows, 'erroredRequests') ?? 0,
        costUsd: total(rows, 'cost'),
        tokensIn: total(rows, 'tokensIn'),
        tokensOut: total(rows, 'tokensOut'),
        p95DurationMs: null
    }));
    return models.sort((a, b) => (b.costUsd ?? -Infinity) - (a.costUsd ?? -Infinity) ||
        b.calls - a.calls ||
        compareText(a.provider, b.provider) ||
        compareText(a.model, b.model));
}
const DAY_MS = 86_400_000;
/** The UTC days from `firstDay` to `lastDay` (YYYY-MM-DD), each with its calls; days without calls are zeros. */
function trendDays(firstDay, lastDay, chunks, withCost) {
    const byDate = new Map();
    for (const row of chunks.flat())
        byDate.set(row.date, [...(byDate.get(row.date) ?? []), row]);
    const days = [];
    const lastMs = Date.parse(`${lastDay}T00:00:00Z`);
    for (let ms = Date.parse(`${firstDay}T00:00:00Z`); ms <= lastMs; ms += DAY_MS) {
        const date = new Date(ms).toISOString().slice(0, 10);
        const rows = byDate.get(date) ?? [];
        days.push({
            date,
            count: rows.reduce((n, r) => n + r.count, 0),
            cost: withCost ? (0,metrics/* exactSum */.dZ)(rows.map((r) => r.sums.cost ?? 0)) : null,
            errors: (0,metrics/* exactSum */.dZ)(rows.map((r) => r.sums.erroredRequests ?? 0))
        });
    }
    return days;
}
/** `estimated from a sample of N calls of about M`: why a figure from a sampled query is an estimate. */
function sampleReason(count) {
    return `estimated from a sample of ${count.sampleSize} calls of about ${count.estimate} (GraphQL Analytics sampled the answer)`;
}
/** A bound as a message shows it: 12 significant digits, without the noise of added floats. */
const bound = (x) => Number(x.toPrecision(12));
const countText = (c) => c.lower === c.upper
    ? String(c.estimate)
    : `${bound(c.estimate)} (95%: ${bound(c.lower)}–${bound(c.upper)})`;
/**
 * A group-by that gives every call one group (a histogram, the status codes) must count the calls the
 * totals count. Unsampled both: the same number. Sampled either: their intervals must meet (bounds
 * taken outward to whole calls, for rounding); an unsampled figure is its own point interval.
 */
function checkAgainstTotals(calls, sample, totals, what) {
    const whatCounted = `${calls}${sample.sampled ? ` (sampled, 95%: ${bound(sample.count.lower)}–${bound(sample.count.upper)})` : ''}`;
    if (!totals.sampled && !sample.sampled) {
        if (calls === totals.count)
            return;
        throw new graphql/* AnalyticsError */.NB('invalid-answer', `GraphQL Analytics counted ${totals.count} calls in the totals but ${calls} in the ${what} of the same window: the answers disagree (events reach analytics minutes after the call; is until too close to now?)`);
    }
    const [lower, upper] = sample.sampled
        ? [sample.count.lower, sample.count.upper]
        : [calls, calls];
    const t = totals.sampled
        ? totals.confidence.count
        : { estimate: totals.count, lower: totals.count, upper: totals.count };
    if (Math.floor(lower) <= Math.ceil(t.upper) &&
        Math.ceil(upper) >= Math.floor(t.lower))
        return;
    throw new graphql/* AnalyticsError */.NB('invalid-answer', `GraphQL Analytics counted ${countText(t)} calls in the totals but ${whatCounted} in the ${what} of the same window: the sampled answers disagree beyond their 95% intervals`);
}
const ESTIMATED_AGGREGATES = ['min', 'max', 'p50', 'p90', 'p95', 'p99'];
/** The sums and means the totals give exactly (cost, tokens); the rest of each distribution empty. */
function distributionsOfSums(totals) {
    const { count, sums } = totals;
    const distributions = Object.fromEntries(threshold_terms/* DISTRIBUTION_METRICS */.JO.map((m) => [m, { ...EMPTY }]));
    const fromSums = (metric, sum) => {
        if (sum === undefined)
            return;
        distributions[metric].sum = sum;
        distributions[metric].avg = (0,metrics/* exactQuotient */.j7)(sum, count);
    };
    fromSums('cost', sums.cost);
    fromSums('tokens-in', sums.tokensIn);
    fromSums('tokens-out', sums.tokensOut);
    if (sums.tokensIn !== undefined && sums.tokensOut !== undefined)
        fromSums('tokens', (0,metrics/* exactSum */.dZ)([sums.tokensIn, sums.tokensOut]));
    return distributions;
}
/** Each histogram's figures into its distribution; the caveats of those read from a sample. */
function addHistograms(distributions, read) {
    const caveats = [];
    for (const { metric, histogram } of read.histograms) {
        const { calls, ...figures } = histogramDistribution(histogram);
        // Every call has one value in the histogram: a different number of calls is another answer.
        checkAgainstTotals(calls, histogram.sample, read.totals, `${metric} histogram`);
        // The sum and mean of a metric with a sum of its own come from that sum (exact, with an interval).
        const own = distributions[metric];
        distributions[metric] =
            own.sum === null
                ? { missing: 0, ...figures }
                : { ...own, ...figures, sum: own.sum, avg: own.avg };
        // Cloudflare samples each query on its own: the histogram's figures are estimates when it was sampled.
        const sample = sampleReason(histogram.sample.count);
        if (histogram.sample.sampled)
            caveats.push(...(metric === 'duration'
                ? [{ metric, kind: 'estimated', reason: sample }]
                : ESTIMATED_AGGREGATES.map((a) => ({
                    metric: `${metric}.${a}`,
                    kind: 'estimated',
                    reason: sample
                }))));
    }
    return caveats;
}
/** The status codes' and the models' caveats (sampled, a page that may not hold them all). */
function listCaveats(read) {
    const { totals } = read;
    const caveats = [];
    if (read.statusCodes) {
        const { rows, sample } = read.statusCodes;
        // Every call has one status code (null: not reported): a partial list would pass any expected-status.
        checkAgainstTotals(rows.reduce((n, r) => n + r.count, 0), sample, totals, 'status codes');
        if (sample.sampled)
            caveats.push({
                metric: 'status-code',
                kind: 'estimated',
                reason: sampleReason(sample.count)
            });
    }
    if (read.models?.sample.sampled)
        caveats.push({
            metric: 'models',
            kind: 'estimated',
            reason: sampleReason(read.models.sample.count)
        });
    if (read.models?.full)
        caveats.push({
            metric: 'models',
            kind: 'estimated',
            reason: 'a whole page of models came back, so models past it may be missing'
        });
    return caveats;
}
/** Metrics as the logs source would give them, and the caveats of what analytics gives differently. */
function metricsOf(read) {
    const { totals, plan } = read;
    const { count, sums } = totals;
    const distributions = distributionsOfSums(totals);
    const caveats = [
        ...plan.caveats,
        ...addHistograms(distributions, read),
        ...listCaveats(read)
    ];
    const errors = sums.erroredRequests ?? 0;
    const cached = sums.cachedRequests ?? 0;
    const rate = (part) => part === undefined || count === 0 ? null : part / count;
    return {
        metrics: {
            count,
            errors,
            cached,
            errorRate: rate(sums.erroredRequests),
            cacheRate: rate(sums.cachedRequests),
            distributions,
            models: read.models ? mergeModels(read.models.chunks) : [],
            costliest: [],
            slowest: [],
            statusCodes: (read.statusCodes?.rows ?? []).map(({ code, count: calls }) => ({
                code,
                calls,
                // No call stands behind an aggregate: no id, and no place among calls read one by one.
                first: { id: '', index: -1 }
            }))
        },
        caveats
    };
}

;// CONCATENATED MODULE: ./src/sources/analytics.ts
// The `analytics` source: a window (and a run in it) measured by Cloudflare's GraphQL Analytics API,
// which aggregates on Cloudflare's side, so a day of a million calls costs a handful of queries. Order:
// the settings node once, every reason to refuse checked before a real query (a disabled dataset, a
// window older than the data kept, a field a threshold needs and the account does not offer), then the
// totals (zero calls is an error), the histograms the thresholds need, status codes, the trend, and
// the models last (only the report shows them).








const analytics_SECOND_MS = 1000;
const analytics_DAY_MS = 86_400_000;
/** The fields every read needs: the count, and the confidence that says whether it was sampled. */
const ALWAYS_NEEDED = ['count', 'confidence'];
/** Whether the account offers a field: `confidence` may be listed whole or by its nested paths. */
function offeredFields(settings) {
    const fields = new Set(settings.availableFields);
    if (settings.availableFields.some((f) => f.startsWith('confidence_')))
        fields.add('confidence');
    return fields;
}
/** The selection in words, for the report and the errors. */
function describeAnalytics(selection) {
    const window = `from ${(0,inputs_window/* isoSeconds */.nE)(selection.sinceMs)} to ${(0,inputs_window/* isoSeconds */.nE)(selection.untilMs)}`;
    return selection.runId === undefined
        ? `calls ${window}`
        : `run ${(0,text_escape/* quoted */.TL)(selection.runId)} (any metadata value, not one key: analytics matches values only), created ${window}`;
}
/** Every reason to refuse before a real query: each an AnalyticsError of one line. */
function checkBeforeQueries(request, settings, selection, trendSinceMs) {
    const account = JSON.stringify(request.accountId);
    if (!settings.enabled)
        throw new graphql/* AnalyticsError */.NB('disabled', `GraphQL Analytics has aiGatewayRequestsAdaptiveGroups turned off for account ${account} (its settings say enabled: false): use source: logs.`);
    const oldestMs = request.nowMs - settings.notOlderThanMs;
    const days = Math.floor(settings.notOlderThanMs / analytics_DAY_MS);
    const keptDays = `${days} day${days === 1 ? '' : 's'}`;
    if (selection.sinceMs < oldestMs)
        throw new graphql/* AnalyticsError */.NB('too-old', `since (${(0,inputs_window/* isoSeconds */.nE)(selection.sinceMs)}) is before the oldest data GraphQL Analytics keeps (${(0,inputs_window/* isoSeconds */.nE)(oldestMs)}, ${keptDays} back; notOlderThan): choose a later since, or source: logs.`);
    if (trendSinceMs !== undefined && trendSinceMs < oldestMs)
        throw new graphql/* AnalyticsError */.NB('too-old', `trend: ${request.trendDays}d starts on ${isoDay(trendSinceMs)}, before the oldest data GraphQL Analytics keeps (${(0,inputs_window/* isoSeconds */.nE)(oldestMs)}, ${keptDays} back; notOlderThan): ask for fewer days.`);
    const offered = offeredFields(settings);
    const missing = ALWAYS_NEEDED.filter((f) => !offered.has(f)).map((f) => `the analytics source needs ${f}, which this account's analytics does not offer (availableFields)`);
    missing.push(...missingFields(request.thresholds, trendSinceMs !== undefined, offered));
    if (missing.length > 0)
        throw new graphql/* AnalyticsError */.NB('field-unavailable', `${missing.join('; ')}. Use source: logs for these.`);
}
/** Zero calls is never a pass: the usual reasons it happens with analytics. */
function emptyError(request, describe) {
    return new graphql/* AnalyticsError */.NB('empty', `No calls found for ${describe} in gateway ${JSON.stringify(request.gatewayId)} of account ${JSON.stringify(request.accountId)} by GraphQL Analytics. ` +
        'Likely causes: the API token lacks the "Account Analytics Read" permission (analytics may then answer with no rows rather than an error), ' +
        'the calls are too recent (events reach analytics minutes after the call: end the window earlier), or a wrong gateway-id.');
}
/** The trend's window: the N UTC days ending with the day the window ends in, up to the window's end. */
function trendSelection(selection, days) {
    const lastDayMs = Date.parse(`${isoDay(selection.untilMs - 1)}T00:00:00Z`);
    // The gateway's days, whatever run the gate reads: a run of one CI run has no calls on the days before.
    return {
        gatewayId: selection.gatewayId,
        sinceMs: lastDayMs - (days - 1) * analytics_DAY_MS,
        untilMs: selection.untilMs
    };
}
/**
 * A read for the report only (the models, a histogram no threshold needs), unless the budget runs out
 * first: never worth failing the gate. Any other error stands.
 */
async function withinBudget(session, read) {
    if (session.budget.left === 0)
        return 'spent';
    try {
        return await read();
    }
    catch (error) {
        if (error instanceof budget/* BudgetSpentError */.o_ ||
            (error instanceof graphql/* AnalyticsError */.NB && error.kind === 'budget'))
            return 'spent';
        throw error;
    }
}
/** Why a read for the report alone is missing: the query budget ran out before it. */
const budgetSpent = (what, session) => `query-budget was spent before the ${what} could be read (${session.budget.limit} GraphQL queries)`;
/** The trend's caveat when its own query was sampled (Cloudflare samples each query on its own). */
const TREND_ESTIMATED = {
    metric: 'trend',
    kind: 'estimated',
    reason: 'GraphQL Analytics sampled the trend: the calls, cost and errors a day are estimates'
};
/**
 * The selection in whole seconds: the API's datetime filters take them, and the window reported is the
 * one read. A window shorter than a second is refused.
 */
function wholeSeconds(request) {
    const selection = {
        gatewayId: request.gatewayId,
        sinceMs: Math.floor(request.window.sinceMs / analytics_SECOND_MS) * analytics_SECOND_MS,
        untilMs: Math.floor(request.window.untilMs / analytics_SECOND_MS) * analytics_SECOND_MS,
        ...(request.runId === undefined ? {} : { runId: request.runId })
    };
    if (!(selection.sinceMs < selection.untilMs))
        throw new graphql/* AnalyticsError */.NB('empty', `The window ${describeAnalytics(selection)} is empty: since must be at least a second before until.`);
    return selection;
}
/** A window (and a run in it) measured by GraphQL Analytics. */
async function measureAnalytics(request, deps) {
    const selection = wholeSeconds(request);
    const describe = describeAnalytics(selection);
    const session = (0,graphql/* analyticsSession */.Pb)(request, deps, request.queries);
    const settings = await readSettings(session);
    const trend = request.trendDays
        ? trendSelection(selection, request.trendDays)
        : undefined;
    checkBeforeQueries(request, settings, selection, trend?.sinceMs);
    const plan = planAnalytics(request.thresholds, offeredFields(settings));
    const totals = mergeTotals(await readTotals(session, selection, settings, plan.sums), plan.sums);
    if (totals.count === 0)
        throw emptyError(request, describe);
    const reader = { session, selection, settings, plan };
    // What the thresholds need first; what only the report shows last, so it never spends their budget.
    const histograms = await readHistograms(reader, { optional: false });
    const statusCodes = plan.statusCodes
        ? await readStatusCodes(session, selection, settings)
        : undefined;
    const trendSums = plan.trendCost
        ? ['cost', 'erroredRequests']
        : ['erroredRequests'];
    const trendRead = trend
        ? await readTrend(session, trend, settings, trendSums)
        : undefined;
    histograms.push(...(await readHistograms(reader, { optional: true })));
    const models = await readModelsIfAsked(reader);
    if (trendRead?.sample.sampled)
        plan.caveats.push(TREND_ESTIMATED);
    const { metrics, caveats } = metricsOf({
        plan,
        totals,
        histograms,
        ...(statusCodes ? { statusCodes } : {}),
        ...(models ? { models } : {})
    });
    const intervals = intervalsOf(totals);
    deps.debug(`GraphQL Analytics: ${session.budget.spent} queries, ${totals.count} calls${totals.sampled ? ' (sampled)' : ''}`);
    return {
        source: 'analytics',
        describe,
        metrics,
        caveats,
        ...(intervals ? { intervals } : {}),
        covered: { sinceMs: selection.sinceMs, untilMs: selection.untilMs },
        ...(trend && trendRead
            ? {
                trend: trendDays(isoDay(trend.sinceMs), isoDay(trend.untilMs - 1), trendRead.chunks, plan.trendCost)
            }
            : {})
    };
}
/**
 * The plan's histograms that thresholds need, or (`optional`) those only the report shows: one of
 * those is best-effort, a spent query budget makes it unavailable (a caveat), not an error.
 */
async function readHistograms({ session, selection, settings, plan }, { optional }) {
    const read = [];
    for (const { dimension, metric } of plan.histograms.filter((h) => h.optional === optional)) {
        const histogramOf = () => readHistogram(session, selection, settings, dimension, metric);
        if (!optional) {
            read.push({ metric, histogram: await histogramOf() });
            continue;
        }
        const histogram = await withinBudget(session, histogramOf);
        if (histogram === 'spent')
            plan.caveats.push({
                metric,
                kind: 'unavailable',
                reason: budgetSpent(`${dimension} histogram`, session)
            });
        else
            read.push({ metric, histogram });
    }
    return read;
}
/** The models table's query, when the plan asks for it and the query budget has room (else a caveat). */
async function readModelsIfAsked({ session, selection, settings, plan }) {
    if (!plan.models)
        return undefined;
    const models = await withinBudget(session, () => readModels(session, selection, settings, plan.sums));
    if (models !== 'spent')
        return models;
    plan.caveats.push({
        metric: 'models',
        kind: 'unavailable',
        reason: budgetSpent('models', session)
    });
    return undefined;
}
/**
 * The last N UTC days up to `untilMs`, oldest first: the settings, then the days by `date` (a query per
 * maxDuration). `sampled`: the trend query was sampled, so its days are estimates (the caller says so).
 */
async function measureTrend(request, deps) {
    const untilMs = Math.floor(request.untilMs / analytics_SECOND_MS) * analytics_SECOND_MS;
    // The selection's last second stands for the selection: only its day matters here.
    const selection = {
        gatewayId: request.gatewayId,
        sinceMs: untilMs - analytics_SECOND_MS,
        untilMs,
        ...(request.runId === undefined ? {} : { runId: request.runId })
    };
    const trend = trendSelection(selection, request.days);
    const session = (0,graphql/* analyticsSession */.Pb)(request, deps, request.queries);
    const settings = await readSettings(session);
    const asked = {
        ...request,
        window: selection,
        thresholds: [],
        trendDays: request.days
    };
    checkBeforeQueries(asked, settings, selection, trend.sinceMs);
    const plan = planAnalytics([], offeredFields(settings));
    const sums = plan.trendCost
        ? ['cost', 'erroredRequests']
        : ['erroredRequests'];
    const { chunks, sample } = await readTrend(session, trend, settings, sums);
    return {
        days: trendDays(isoDay(trend.sinceMs), isoDay(trend.untilMs - 1), chunks, plan.trendCost),
        sampled: sample.sampled
    };
}


/***/ })

};
