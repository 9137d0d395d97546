import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 5625:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Hg: () => (/* binding */ LOG_FIELDS),
/* harmony export */   ZV: () => (/* binding */ formatNumber),
/* harmony export */   o: () => (/* binding */ fieldOutput),
/* harmony export */   vu: () => (/* binding */ parseLogDetail),
/* harmony export */   wX: () => (/* binding */ InvalidLogError)
/* harmony export */ });
/* unused harmony exports REDACTED, isSensitiveHeader, redactHeaders */
// The AI Gateway log detail: its 25 fields, their check at run time, and the redaction of the
// recorded call's HTTP headers. Source: ../shared/reference/ai-gateway-logs-openapi.json (LogDetail).
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
/** The log detail was not what the API promises; the message names the field and what was wrong. */
class InvalidLogError extends Error {
    constructor(message) {
        super(message);
        this.name = 'InvalidLogError';
    }
}
function typeOf(value) {
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return 'an array';
    if (typeof value === 'string')
        return `a string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
    return `${typeof value === 'object' ? 'an' : 'a'} ${typeof value}${typeof value === 'number' ? ` ${String(value)}` : ''}`;
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
/**
 * Checks the API's `result` against the LogDetail schema and returns only its known fields, with the
 * recorded headers redacted. Optional fields may be absent or null (both mean "not reported").
 * `metadata` is documented as a JSON string; an object is accepted and re-encoded, since it carries
 * the same information.
 */
function parseLogDetail(result) {
    if (typeof result !== 'object' || result === null || Array.isArray(result)) {
        throw new InvalidLogError(`the log detail ("result") is ${typeOf(result)}, not an object`);
    }
    const source = result;
    const log = {};
    const problems = [];
    for (const spec of LOG_FIELDS) {
        let value = source[spec.name];
        if (spec.name === 'metadata' && typeof value === 'object' && value !== null)
            value = JSON.stringify(value);
        if (value === undefined || value === null) {
            if (spec.required && !(spec.nullable && value === null))
                problems.push(`${spec.name} is ${value === null ? 'null' : 'missing'}`);
            else if (value === null && spec.nullable)
                log[spec.name] = null;
            continue;
        }
        if (!hasType(value, spec.type)) {
            problems.push(`${spec.name} is ${typeOf(value)}, expected ${spec.type === 'integer' ? 'an integer' : `a ${spec.type}`}`);
            continue;
        }
        if (spec.nonNegative && value < 0) {
            problems.push(`${spec.name} is negative (${formatNumber(value)}), which no call can be`);
            continue;
        }
        log[spec.name] = value;
    }
    if (problems.length > 0)
        throw new InvalidLogError(`the log detail is not valid: ${problems.join('; ')}`);
    for (const head of ['request_head', 'response_head']) {
        if (typeof log[head] === 'string')
            log[head] = redactHeaders(log[head]);
    }
    return log;
}
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
/** Headers that can carry the caller's provider keys (issue #3). */
function isSensitiveHeader(name) {
    const lower = name.trim().toLowerCase();
    return SENSITIVE_HEADERS.has(lower) || /token|secret|key|auth|cookie|session|password/.test(lower);
}
/**
 * Redacts sensitive header values in a recorded head. The gateway stores heads as a JSON object of
 * header name to value; a head that is not JSON is treated as `Name: value` lines. Anything we cannot
 * read either way is dropped whole rather than passed on with a key in it.
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
        return JSON.stringify(redactObject(parsed));
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
    if (!lines.every((line) => line.trim() === '' || /^[^:\s][^:]*:/.test(line) || /^HTTP\/|^[A-Z]+ \S+ HTTP\//.test(line))) {
        return REDACTED;
    }
    return lines
        .map((line) => {
        const colon = line.indexOf(':');
        if (/^[A-Z]+ \S+ HTTP\//.test(line))
            return redactQuery(line);
        if (colon <= 0 || /^HTTP\//.test(line))
            return line;
        return isSensitiveHeader(line.slice(0, colon)) ? `${line.slice(0, colon)}: ${REDACTED}` : line;
    })
        .join('\n');
}
/** A request line's query parameters named like a credential (`?api_key=…`) lose their values. */
function redactQuery(requestLine) {
    return requestLine.replace(/([?&])([^=&\s#]+)=([^&\s#]*)/g, (whole, sep, name) => isSensitiveHeader(name) ? `${sep}${name}=${REDACTED}` : whole);
}
function redactObject(value) {
    // {"name": "authorization", "value": "…"} entries, as HAR files write headers
    const entry = value;
    if (!Array.isArray(value) && typeof entry.name === 'string' && 'value' in entry && isSensitiveHeader(entry.name)) {
        return { ...entry, value: REDACTED };
    }
    if (Array.isArray(value)) {
        // [[name, value], …] pairs, as Headers serialise, or a flat [name, value, …] list, as Node's rawHeaders
        return value.map((entry, i) => Array.isArray(entry) && typeof entry[0] === 'string' && isSensitiveHeader(entry[0])
            ? [entry[0], REDACTED]
            : typeof entry === 'object' && entry !== null
                ? redactObject(entry)
                : i % 2 === 1 && typeof value[i - 1] === 'string' && isSensitiveHeader(value[i - 1])
                    ? REDACTED
                    : entry);
    }
    const out = {};
    for (const [name, inner] of Object.entries(value)) {
        out[name] = isSensitiveHeader(name)
            ? REDACTED
            : typeof inner === 'object' && inner !== null
                ? redactObject(inner)
                : inner;
    }
    return out;
}
/** Exponents up to this are written out as zeros; past it, a number would print hundreds of them (1e-320). */
const MAX_WRITTEN_OUT_EXPONENT = 30;
/**
 * Numbers as the API gave them, never rounded (a call often costs a fraction of a cent), and in exponent
 * notation (4e-7) only when writing the zeros out would not fit: at most about 50 characters either way.
 */
function formatNumber(value) {
    // JavaScript's shortest round-trip digits, with a small exponent written out: 4e-7 -> 0.0000004.
    const text = String(value);
    const m = /^(-?)(\d)(?:\.(\d+))?e-(\d+)$/.exec(text);
    if (!m || Number(m[4]) > MAX_WRITTEN_OUT_EXPONENT)
        return text;
    return `${m[1]}0.${'0'.repeat(Number(m[4]) - 1)}${m[2]}${m[3] ?? ''}`;
}
/** A field's value as a step output: '' when absent or null, booleans and numbers as text. */
function fieldOutput(log, name) {
    const value = log ? log[name] : undefined;
    if (value === undefined || value === null)
        return '';
    return typeof value === 'number' ? formatNumber(value) : String(value);
}


/***/ }),

/***/ 665:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   B1: () => (/* binding */ renderReport),
/* harmony export */   YI: () => (/* binding */ REPORT_TITLE),
/* harmony export */   o4: () => (/* binding */ truncateMarkdown)
/* harmony export */ });
/* unused harmony exports MAX_VALUE_CHARS, escapeText */
/* harmony import */ var _log_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(5625);

const REPORT_TITLE = 'AI Gateway gate';
/** A value longer than this is shortened in the report. */
const MAX_VALUE_CHARS = 200;
const MAX_METADATA_ENTRIES = 20;
/**
 * Untrusted text as inert markdown: HTML entities for `<>&`, backslash escapes for the markdown
 * punctuation that makes links, images, emphasis, tables, code spans and autolinks (`:/`, `www.`), whitespace
 * folded to one line, and a zero-width space after `@` so that no one is mentioned. Values never start
 * a line, so `-`, `+` and `1.` need no escape.
 */
function escapeText(value, maxChars = MAX_VALUE_CHARS) {
    // eslint-disable-next-line no-control-regex
    let text = value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
    if (text.length > maxChars)
        text = `${text.slice(0, maxChars)}…`;
    return text
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
        return (0,_log_js__WEBPACK_IMPORTED_MODULE_0__/* .formatNumber */ .ZV)(value);
    return escapeText(String(value));
}
function table(header, rows) {
    const line = (cells) => `| ${cells.join(' | ')} |`;
    return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
function verdict(outcome) {
    if (outcome.kind === 'error')
        return `### ⚠️ ${REPORT_TITLE}: error`;
    const failed = outcome.checks.filter((c) => !c.passed).length;
    const total = outcome.checks.length;
    const of = `${failed === 0 ? total : failed} of ${total} check${total === 1 ? '' : 's'}`;
    if (failed === 0)
        return `### ✅ ${REPORT_TITLE}: passed${total > 0 ? ` (${of})` : ' (no limits set)'}`;
    if (!outcome.failOnBreach)
        return `### ⚠️ ${REPORT_TITLE}: limits breached, ${of} (warnings only: fail-on-breach is false)`;
    return `### ❌ ${REPORT_TITLE}: failed, ${of}`;
}
function checksTable(checks) {
    if (checks.length === 0)
        return '_No limits were set: nothing was checked._';
    return table(['Check', 'Actual', 'Limit', 'Status'], checks.map((c) => [
        c.field.replace('_', '-'),
        c.actual,
        `${c.field === 'success' || c.field === 'status_code' ? '' : '≤ '}${c.limit}`,
        c.passed ? '✅ pass' : '❌ fail'
    ]));
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
        ['Cost', log.cost === undefined ? '—' : `${(0,_log_js__WEBPACK_IMPORTED_MODULE_0__/* .formatNumber */ .ZV)(log.cost)} USD${log.custom_cost ? ' (custom cost)' : ''}`],
        ['Duration', `${(0,_log_js__WEBPACK_IMPORTED_MODULE_0__/* .formatNumber */ .ZV)(log.duration)} ms`],
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
            .map(([k, v]) => [escapeText(k, 60), cell(typeof v === 'object' && v !== null ? JSON.stringify(v) : v)]);
        const more = entries.length > MAX_METADATA_ENTRIES ? `\n\n_…and ${entries.length - MAX_METADATA_ENTRIES} more entries._` : '';
        return `${table(['Metadata', ''], rows)}${more}`;
    }
    return `**Metadata:** ${escapeText(metadata)}`;
}
function locationLine(where) {
    const part = (label, value) => value ? `${label} ${escapeText(value, 80)}` : undefined;
    const parts = [part('log', where.logId), part('gateway', where.gatewayId), part('account', where.accountId)].filter(Boolean);
    return parts.length > 0
        ? `<sub>Cloudflare AI Gateway ${parts.join(' · ')} (dashboard: AI › AI Gateway › Logs)</sub>`
        : '';
}
function renderReport(outcome, where) {
    const parts = [verdict(outcome)];
    if (outcome.kind === 'error') {
        parts.push(escapeText(outcome.message, 2000));
    }
    else {
        const failed = outcome.checks.filter((c) => !c.passed);
        if (failed.length > 0)
            parts.push(failed.map((c) => `- ${escapeText(c.message)}`).join('\n'));
        parts.push(checksTable(outcome.checks));
        parts.push(callTable(outcome.log));
        const metadata = metadataSection(outcome.log.metadata);
        if (metadata)
            parts.push(metadata);
    }
    const location = locationLine(where);
    if (location)
        parts.push(location);
    return `${parts.join('\n\n')}\n`;
}
/** Shortens markdown to `maxChars`, with a visible note, at a line break so no table row is cut. */
function truncateMarkdown(markdown, maxChars, note) {
    if (markdown.length <= maxChars)
        return markdown;
    const suffix = `\n\n_${note}_\n`;
    const room = Math.max(0, maxChars - suffix.length);
    const cut = markdown.lastIndexOf('\n', room);
    return `${markdown.slice(0, cut > 0 ? cut : room)}${suffix}`;
}


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

/***/ 3024:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

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

;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
// EXTERNAL MODULE: external "os"
var external_os_ = __nccwpck_require__(857);
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/utils.js
// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Sanitizes an input into a string so it can be passed into issueCommand safely
 * @param input input to sanitize into a string
 */
function toCommandValue(input) {
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
function toCommandProperties(annotationProperties) {
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
function issueCommand(command, properties, message) {
    const cmd = new Command(command, properties, message);
    process.stdout.write(cmd.toString() + external_os_.EOL);
}
function issue(name, message = '') {
    issueCommand(name, {}, message);
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
    return toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A');
}
function escapeProperty(s) {
    return toCommandValue(s)
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




function issueFileCommand(command, message) {
    const filePath = process.env[`GITHUB_${command}`];
    if (!filePath) {
        throw new Error(`Unable to find environment variable for file command ${command}`);
    }
    if (!external_fs_.existsSync(filePath)) {
        throw new Error(`Missing file at path: ${filePath}`);
    }
    external_fs_.appendFileSync(filePath, `${toCommandValue(message)}${external_os_.EOL}`, {
        encoding: 'utf8'
    });
}
function prepareKeyValueMessage(key, value) {
    const delimiter = `ghadelimiter_${external_crypto_namespaceObject.randomUUID()}`;
    const convertedValue = toCommandValue(value);
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
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/summary.js
var __awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
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
        return __awaiter(this, void 0, void 0, function* () {
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
        return __awaiter(this, void 0, void 0, function* () {
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
        return __awaiter(this, void 0, void 0, function* () {
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
;// CONCATENATED MODULE: ./src/runner.ts
// The runner's protocol (inputs, outputs, masks, annotations, the job summary), from @actions/core's
// own modules. Why not `import * as core from '@actions/core'`: its entry module also loads the OIDC
// client, and with it @actions/http-client and undici, ~1 MB that a gate never uses. Measured on Node
// 24: a bundle that only imports @actions/core starts in ~57 ms, an empty script in ~22 ms, the whole
// floor for the gate's GET (issue #5's B) in ~53 ms. So the files that hold the protocol are imported
// directly (their package "exports" lists only the entry, hence the relative path); the functions
// below are @actions/core's, line for line, and __tests__/runner.test.ts checks them against it.





const ExitCode = { Success: 0, Failure: 1 };
/** An input as GitHub passes it: INPUT_<NAME>, spaces as underscores, trimmed; '' when unset. */
function getInput(name) {
    return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '').trim();
}
function setSecret(secret) {
    issueCommand('add-mask', {}, secret);
}
function setOutput(name, value) {
    if (process.env.GITHUB_OUTPUT) {
        issueFileCommand('OUTPUT', prepareKeyValueMessage(name, value));
        return;
    }
    process.stdout.write(external_node_os_namespaceObject.EOL);
    issueCommand('set-output', { name }, value);
}
function info(message) {
    process.stdout.write(message + external_node_os_namespaceObject.EOL);
}
function debug(message) {
    issueCommand('debug', {}, message);
}
function warning(message, properties = {}) {
    issueCommand('warning', toCommandProperties(properties), message);
}
function error(message, properties = {}) {
    issueCommand('error', toCommandProperties(properties), message);
}
function setFailed(message) {
    process.exitCode = ExitCode.Failure;
    error(message);
}

;// CONCATENATED MODULE: ./src/config.ts
// The one place the action's inputs are turned into a typed config.
// `parseConfig` is pure: it gets a reader for inputs and the environment, and returns the config or
// throws one ConfigError that names every bad input and its value (issue #2: "all bad inputs are
// reported together; nothing is sent").
/** Input names: the contract with users (action.yml) and with the tests. */
const INPUT = {
    apiToken: 'api-token',
    apiEmail: 'api-email',
    apiKey: 'api-key',
    accountId: 'account-id',
    gatewayId: 'gateway-id',
    logId: 'log-id',
    apiUrl: 'api-url',
    maxCost: 'max-cost',
    maxDuration: 'max-duration',
    maxTokensIn: 'max-tokens-in',
    maxTokensOut: 'max-tokens-out',
    expectedStatus: 'expected-status',
    requireSuccess: 'require-success',
    failOnBreach: 'fail-on-breach',
    jobSummary: 'job-summary',
    waitTimeout: 'wait-timeout',
    maxRetries: 'max-retries',
    requestTimeout: 'request-timeout',
    comment: 'comment',
    commentKey: 'comment-key',
    githubToken: 'github-token'
};
const DEFAULT_API_URL = 'https://api.cloudflare.com/client/v4';
// Upper bounds keep the step's total time bounded by what the inputs say (issue #3: "never hangs").
const MAX_WAIT_TIMEOUT_S = 600;
const MAX_RETRIES = 10;
const MAX_REQUEST_TIMEOUT_S = 300;
const MAX_GATEWAY_ID_LENGTH = 64;
const MAX_ID_LENGTH = 256;
class ConfigError extends Error {
    problems;
    constructor(problems) {
        super(`Invalid input${problems.length > 1 ? 's' : ''}: ${problems.join('; ')}`);
        this.problems = problems;
        this.name = 'ConfigError';
    }
}
/** Inputs that hold secrets: registered with setSecret before anything else, never quoted back. */
const SECRET_INPUTS = [INPUT.apiToken, INPUT.apiKey, INPUT.githubToken];
/** Quote a user value in an error message: JSON quoting keeps control characters visible and on one line. */
function quote(value) {
    const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
    return JSON.stringify(shown);
}
/** HTTP header values are visible ASCII and spaces; Node refuses anything else before sending a byte. */
const HEADER_SAFE_RE = /^[\x20-\x7e]*$/;
const NOT_HEADER_SAFE = 'has a character that cannot be sent in an HTTP header (a line break, another control character or a non-ASCII character); the value is not shown';
function isHeaderSafe(value) {
    return HEADER_SAFE_RE.test(value);
}
/** Loopback hosts, where http:// never leaves the machine: `localhost`, 127.0.0.0/8 and ::1, as the URL parser writes them. */
function isLoopbackHost(hostname) {
    return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}
/**
 * An api-url as it may be quoted in an error: its query and fragment values and any user:password are
 * cut out (they can hold tokens); a bare `?` or `#` is kept, since it is what is wrong.
 */
function withoutSecrets(url) {
    return url
        .replace(/^([a-z][\w+.-]*:\/\/)[^/?#]*@/i, '$1…@')
        .replace(/([?#])[\s\S]+$/, '$1…');
}
const DECIMAL = String.raw `(?:\d+(?:\.\d*)?|\.\d+)`;
const USD_RE = new RegExp(String.raw `^\$?\s*(${DECIMAL})(?:\s*USD)?$`, 'i');
const DURATION_RE = new RegExp(String.raw `^(${DECIMAL})\s*([a-zA-Z]*)$`);
const DURATION_UNIT_MS = { '': 1, ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000 };
const WHOLE_RE = /^\d+$/;
function parseUsd(value) {
    const m = USD_RE.exec(value);
    const usd = m ? Number(m[1]) : NaN;
    return Number.isFinite(usd) ? usd : undefined;
}
function parseDurationMs(value) {
    const m = DURATION_RE.exec(value);
    if (!m)
        return { error: `${value.trim().startsWith('-') ? 'is negative' : 'is not a duration'} (e.g. 1500, 1500ms, 2s, 0.5s, 1m)` };
    const unit = m[2].toLowerCase();
    const factor = DURATION_UNIT_MS[unit];
    if (factor === undefined)
        return { error: `has an unknown unit "${m[2]}" (use ms, s or m)` };
    const ms = Number(m[1]) * factor;
    return Number.isFinite(ms) ? { ms } : { error: 'is too large' };
}
function parseStatusPatterns(value) {
    const patterns = [];
    for (const part of value.split(',').map((p) => p.trim())) {
        if (/^[1-5]xx$/i.test(part)) {
            patterns.push({ kind: 'class', hundreds: Number(part[0]) });
        }
        else if (/^\d{3}$/.test(part) && Number(part) >= 100 && Number(part) <= 599) {
            patterns.push({ kind: 'code', code: Number(part) });
        }
        else {
            return { error: `has ${part === '' ? 'an empty entry' : quote(part)}: use status codes 100-599 or classes 1xx-5xx, comma-separated` };
        }
    }
    return { patterns };
}
function formatStatusPatterns(patterns) {
    return patterns.map((p) => (p.kind === 'code' ? String(p.code) : `${p.hundreds}xx`)).join(', ');
}
/** GitHub's own boolean spellings (core.getBooleanInput); anything else is an error, never a quiet `false`. */
function parseBoolean(value) {
    if (['true', 'True', 'TRUE'].includes(value))
        return true;
    if (['false', 'False', 'FALSE'].includes(value))
        return false;
    return undefined;
}
/** The default comment key: one comment per workflow and job, so re-runs update their own. */
function defaultCommentKey(env) {
    const workflow = env.GITHUB_WORKFLOW ?? '';
    const job = env.GITHUB_JOB ?? '';
    return workflow || job ? `${workflow}/${job}` : 'ai-gateway-gate';
}
function parseConfig(read, env) {
    const problems = [];
    const input = (name) => read(name).trim();
    const negative = (value) => (/^-\s*\$?\s*[\d.]/.test(value) ? 'is negative: ' : '');
    const bad = (name, value, why) => {
        problems.push(`${name} ${quote(value)} ${why}`);
    };
    // Credentials: a token wins; the legacy pair is used only without one.
    const tokenInput = input(INPUT.apiToken);
    const token = tokenInput || (env.CLOUDFLARE_API_TOKEN ?? '').trim();
    const email = input(INPUT.apiEmail);
    const key = input(INPUT.apiKey);
    // A value that cannot be a header would make every attempt fail before it is sent, and read as an outage.
    const headerSafe = (name, value) => {
        if (!isHeaderSafe(value))
            problems.push(`${name} ${NOT_HEADER_SAFE}`);
    };
    let auth;
    if (token) {
        auth = { kind: 'token', token };
        headerSafe(tokenInput ? INPUT.apiToken : 'the CLOUDFLARE_API_TOKEN environment variable', token);
    }
    else if (email && key) {
        auth = { kind: 'global-key', email, key };
        headerSafe(INPUT.apiEmail, email);
        headerSafe(INPUT.apiKey, key);
    }
    else if (email || key) {
        problems.push(`${email ? INPUT.apiKey : INPUT.apiEmail} is required with ${email ? INPUT.apiEmail : INPUT.apiKey} (or set ${INPUT.apiToken})`);
    }
    else {
        problems.push(`no credentials: set ${INPUT.apiToken} (or the CLOUDFLARE_API_TOKEN environment variable), or ${INPUT.apiEmail} and ${INPUT.apiKey}`);
    }
    const accountId = input(INPUT.accountId) || (env.CLOUDFLARE_ACCOUNT_ID ?? '').trim();
    if (!accountId)
        problems.push(`${INPUT.accountId} is required (or set the CLOUDFLARE_ACCOUNT_ID environment variable)`);
    else if (accountId.length > MAX_ID_LENGTH)
        bad(INPUT.accountId, accountId, `is longer than ${MAX_ID_LENGTH} characters`);
    const gatewayId = input(INPUT.gatewayId);
    if (!gatewayId)
        problems.push(`${INPUT.gatewayId} is required`);
    else if (gatewayId.length > MAX_GATEWAY_ID_LENGTH)
        bad(INPUT.gatewayId, gatewayId, `is longer than ${MAX_GATEWAY_ID_LENGTH} characters`);
    // `.` and `..` are the only ids that percent-encoding cannot keep in their path segment: URL
    // parsers read %2E%2E as `..` and would address another endpoint (issue #3).
    const dotsOnly = (name, value) => {
        if (/^\.+$/.test(value))
            bad(name, value, 'is not an id');
    };
    if (accountId)
        dotsOnly(INPUT.accountId, accountId);
    if (gatewayId)
        dotsOnly(INPUT.gatewayId, gatewayId);
    const logId = input(INPUT.logId);
    if (!logId)
        problems.push(`${INPUT.logId} is required (the cf-aig-log-id response header of the call)`);
    else if (logId.length > MAX_ID_LENGTH)
        bad(INPUT.logId, logId, `is longer than ${MAX_ID_LENGTH} characters`);
    else
        dotsOnly(INPUT.logId, logId);
    const apiUrlInput = input(INPUT.apiUrl) || DEFAULT_API_URL;
    const apiUrlShown = withoutSecrets(apiUrlInput);
    let apiUrl = apiUrlInput;
    try {
        const url = new URL(apiUrlInput);
        if (url.protocol !== 'http:' && url.protocol !== 'https:')
            bad(INPUT.apiUrl, apiUrlShown, 'must be an http(s) URL');
        else if (url.username || url.password)
            bad(INPUT.apiUrl, '(hidden)', 'must not carry credentials; use api-token');
        // The raw text, not url.search: the URL parser drops a bare `?` or `#`, and the ids would then be
        // appended after it, into the query, sending the request to another path.
        else if (/[?#]/.test(apiUrlInput))
            bad(INPUT.apiUrl, apiUrlShown, 'must not have a query or fragment (not even a bare ? or #)');
        else if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
            bad(INPUT.apiUrl, apiUrlShown, 'must be https: http:// would send the credentials in clear (it is allowed only for localhost, 127.0.0.0/8 and ::1)');
        }
        apiUrl = url.href.replace(/\/+$/, '');
    }
    catch {
        bad(INPUT.apiUrl, apiUrlShown, 'is not a URL (e.g. https://api.cloudflare.com/client/v4)');
    }
    const limits = { requireSuccess: true };
    const maxCost = input(INPUT.maxCost);
    if (maxCost) {
        const usd = parseUsd(maxCost);
        if (usd === undefined)
            bad(INPUT.maxCost, maxCost, `${negative(maxCost)}is not an amount in USD (e.g. 0.05 or $0.05)`);
        else
            limits.maxCostUsd = usd;
    }
    const maxDuration = input(INPUT.maxDuration);
    if (maxDuration) {
        const parsed = parseDurationMs(maxDuration);
        if ('error' in parsed)
            bad(INPUT.maxDuration, maxDuration, parsed.error);
        else
            limits.maxDurationMs = parsed.ms;
    }
    for (const [name, field] of [
        [INPUT.maxTokensIn, 'maxTokensIn'],
        [INPUT.maxTokensOut, 'maxTokensOut']
    ]) {
        const value = input(name);
        if (!value)
            continue;
        if (WHOLE_RE.test(value) && Number.isSafeInteger(Number(value)))
            limits[field] = Number(value);
        else
            bad(name, value, `${negative(value)}is not a whole number of tokens (e.g. 4000)`);
    }
    const expectedStatus = input(INPUT.expectedStatus);
    if (expectedStatus) {
        const parsed = parseStatusPatterns(expectedStatus);
        if ('error' in parsed)
            bad(INPUT.expectedStatus, expectedStatus, parsed.error);
        else
            limits.expectedStatus = parsed.patterns;
    }
    const boolean = (name, fallback) => {
        const value = input(name);
        if (!value)
            return fallback;
        const parsed = parseBoolean(value);
        if (parsed === undefined)
            bad(name, value, 'is not a boolean (true or false)');
        return parsed ?? fallback;
    };
    limits.requireSuccess = boolean(INPUT.requireSuccess, true);
    const failOnBreach = boolean(INPUT.failOnBreach, true);
    const jobSummary = boolean(INPUT.jobSummary, true);
    // Seconds by default (`30`), or with a unit like max-duration (`45s`, `1m`, `500ms`).
    const secondsMs = (name, fallbackS, minMs, maxS) => {
        const value = input(name);
        if (!value)
            return fallbackS * 1000;
        const parsed = /^[\d.]+$/.test(value) ? parseDurationMs(`${value}s`) : parseDurationMs(value);
        if ('error' in parsed || parsed.ms < minMs || parsed.ms > maxS * 1000) {
            bad(name, value, `is not a number of seconds from ${minMs / 1000} to ${maxS} (e.g. 30, 45s, 1m)`);
            return fallbackS * 1000;
        }
        return parsed.ms;
    };
    const waitTimeoutMs = secondsMs(INPUT.waitTimeout, 30, 0, MAX_WAIT_TIMEOUT_S);
    const requestTimeoutMs = secondsMs(INPUT.requestTimeout, 30, 1, MAX_REQUEST_TIMEOUT_S);
    let maxRetries = 3;
    const retries = input(INPUT.maxRetries);
    if (retries) {
        if (WHOLE_RE.test(retries) && Number(retries) <= MAX_RETRIES)
            maxRetries = Number(retries);
        else
            bad(INPUT.maxRetries, retries, `is not a whole number from 0 to ${MAX_RETRIES}`);
    }
    const commentInput = input(INPUT.comment).toLowerCase();
    let mode = 'off';
    if (commentInput === '' || commentInput === 'off' || commentInput === 'false')
        mode = 'off';
    else if (commentInput === 'update' || commentInput === 'true')
        mode = 'update';
    else if (commentInput === 'new')
        mode = 'new';
    else
        bad(INPUT.comment, read(INPUT.comment).trim(), 'is not one of off, update, new (or true, false)');
    const commentKey = input(INPUT.commentKey) || defaultCommentKey(env);
    const githubToken = input(INPUT.githubToken);
    if (mode !== 'off' && !githubToken)
        problems.push(`${INPUT.githubToken} is required when ${INPUT.comment} is ${mode}`);
    if (problems.length > 0 || !auth)
        throw new ConfigError(problems);
    return {
        auth,
        accountId,
        gatewayId,
        logId,
        apiUrl,
        limits,
        failOnBreach,
        jobSummary,
        waitTimeoutMs,
        maxRetries,
        requestTimeoutMs,
        comment: { mode, key: commentKey, githubToken }
    };
}

// EXTERNAL MODULE: ./src/log.ts
var src_log = __nccwpck_require__(5625);
;// CONCATENATED MODULE: ./src/checks.ts
// Pure: a log detail and the limits in, one check per limit that is set out.
// A gated field the log does not report fails its check ("not reported"); it never passes silently.


function maxCheck(field, input, unit, actual, limit) {
    const label = field.replace('_', '-');
    const suffix = unit ? ` ${unit}` : '';
    const limitShown = `${(0,src_log/* formatNumber */.ZV)(limit)}${suffix}`;
    if (actual === undefined || actual === null) {
        return {
            field,
            input,
            actualValue: null,
            limitValue: limit,
            actual: 'not reported',
            limit: limitShown,
            unit,
            passed: false,
            message: `${label} not reported by the log (${input} ${limitShown})`
        };
    }
    const passed = actual <= limit;
    const actualShown = `${(0,src_log/* formatNumber */.ZV)(actual)}${suffix}`;
    return {
        field,
        input,
        actualValue: actual,
        limitValue: limit,
        actual: actualShown,
        limit: limitShown,
        unit,
        passed,
        message: `${label} ${actualShown} ${passed ? '<=' : '>'} ${input} ${limitShown}`
    };
}
function statusMatches(code, patterns) {
    return patterns.some((p) => (p.kind === 'code' ? p.code === code : Math.floor(code / 100) === p.hundreds));
}
function evaluate(log, limits) {
    const checks = [];
    if (limits.maxCostUsd !== undefined) {
        checks.push(maxCheck('cost', INPUT.maxCost, 'USD', log.cost, limits.maxCostUsd));
    }
    if (limits.maxDurationMs !== undefined) {
        checks.push(maxCheck('duration', INPUT.maxDuration, 'ms', log.duration, limits.maxDurationMs));
    }
    if (limits.maxTokensIn !== undefined) {
        checks.push(maxCheck('tokens_in', INPUT.maxTokensIn, 'tokens', log.tokens_in, limits.maxTokensIn));
    }
    if (limits.maxTokensOut !== undefined) {
        checks.push(maxCheck('tokens_out', INPUT.maxTokensOut, 'tokens', log.tokens_out, limits.maxTokensOut));
    }
    if (limits.expectedStatus !== undefined) {
        const expected = formatStatusPatterns(limits.expectedStatus);
        const code = log.status_code;
        const base = { field: 'status_code', input: INPUT.expectedStatus, limitValue: expected, limit: expected, unit: '' };
        if (code === undefined) {
            checks.push({ ...base, actualValue: null, actual: 'not reported', passed: false, message: `status-code not reported by the log (${INPUT.expectedStatus} ${expected})` });
        }
        else {
            const passed = statusMatches(code, limits.expectedStatus);
            checks.push({ ...base, actualValue: code, actual: String(code), passed, message: `status-code ${code} ${passed ? 'in' : 'not in'} ${INPUT.expectedStatus} ${expected}` });
        }
    }
    if (limits.requireSuccess) {
        const passed = log.success === true;
        checks.push({
            field: 'success',
            input: INPUT.requireSuccess,
            actualValue: log.success,
            limitValue: true,
            actual: String(log.success),
            limit: 'true',
            unit: '',
            passed,
            message: passed ? 'success true' : `success ${String(log.success)} (${INPUT.requireSuccess} is true: the gateway recorded the call as failed)`
        });
    }
    return checks;
}
/** The `failures` output: one entry per failed check, naming the field, the actual value and the limit. */
function failuresJson(checks) {
    return JSON.stringify(checks
        .filter((c) => !c.passed)
        .map((c) => ({ field: c.field, input: c.input, actual: c.actualValue, limit: c.limitValue, unit: c.unit, message: c.message })));
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __nccwpck_require__(7067);
;// CONCATENATED MODULE: external "node:https"
const external_node_https_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");
;// CONCATENATED MODULE: ./src/escape.ts
// Untrusted text (anything that came from Cloudflare's or GitHub's API, or from a log field) made
// inert for the place it is written. The step's log is read by the runner line by line, and a line
// that starts with `::` is a workflow command (`::stop-commands::`, `::add-mask::`...): text from
// outside must never be able to start a line there.
/** Characters that change how text displays without being seen: bidirectional controls and zero-width characters. */
const INVISIBLE_RE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
/**
 * Untrusted text as part of one line of the step's log: control characters (newlines included) and
 * invisible characters are written as visible escapes (`\n`, `\u202e`), so the text stays on the line
 * it was put in; then cut to `maxChars`, never inside a surrogate pair.
 */
function inline(text, maxChars = 300) {
    const escaped = JSON.stringify(text)
        .slice(1, -1)
        .replace(/\\"/g, '"')
        .replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)
        .replace(INVISIBLE_RE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    return cut(escaped, maxChars);
}
/** `text` shortened to at most `maxChars` UTF-16 units plus an ellipsis, never splitting a surrogate pair. */
function cut(text, maxChars) {
    if (text.length <= maxChars)
        return text;
    let end = maxChars;
    const code = text.charCodeAt(end - 1);
    if (code >= 0xd800 && code <= 0xdbff)
        end--; // a high surrogate whose pair would be cut off
    return `${text.slice(0, end)}…`;
}

;// CONCATENATED MODULE: ./src/gateway.ts
// The AI Gateway API client: one GET of a log detail, with timeouts, retries, waiting for a log that
// is not written yet, and a run-time check of the answer. Errors are GatewayErrors whose message is one
// readable line (issue #3). Plain node:http(s) rather than fetch: undici's first use costs about 90 ms
// of start-up (../shared/TOOLCHAIN.md), and this client makes one request in the common case.




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
/** Retry-After longer than this is not slept through: Cloudflare's global limit blocks for 5 minutes. */
const MAX_RETRY_AFTER_MS = 60_000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 4_000;
/** 404 polling: short first intervals so a log written a moment late is picked up at once, then 1/s. */
const POLL_INTERVALS_MS = [300, 1000];
/**
 * A log detail is a few KiB: its fields are numbers, ids, a metadata string of at most 5 entries and
 * the heads of the recorded call. A body past this is not an answer from the logs API, and reading
 * more would let one answer take the runner's memory: parsed, redacted and scrubbed, a body costs up to
 * ~90 times its size (a head that is a list of empty objects). Measured on Node 24 with the worst heads
 * found (scripts/stand-in.mjs, big-answer-*), the whole action peaks at about 100 MiB with 512 KiB,
 * leaving room under the 150 MiB it may take; 1 MiB reached 154 MiB and 2 MiB 200 MiB.
 */
const MAX_BODY_BYTES = 512 * 1024;
/** An answer over MAX_BODY_BYTES: the same answer would come again, so it is not retried. */
class AnswerTooLargeError extends Error {
    constructor(detail) {
        super(`the API answered with more than ${MAX_BODY_BYTES} bytes${detail}, more than any log detail; not read`);
        this.name = 'AnswerTooLargeError';
    }
}
// Each id is one percent-encoded path segment: `../../user/tokens` stays a log id, never a path.
const segment = (id) => encodeURIComponent(id).replace(/\./g, '%2E');
function logUrl(req) {
    return `${req.apiUrl}/accounts/${segment(req.accountId)}/ai-gateway/gateways/${segment(req.gatewayId)}/logs/${segment(req.logId)}`;
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
/** `Retry-After` as milliseconds from now: delta-seconds or an HTTP date; undefined when absent or unreadable. */
function parseRetryAfterMs(value, nowMs) {
    const text = Array.isArray(value) ? value[0] : value;
    if (!text)
        return undefined;
    if (/^\s*\d+(\.\d+)?\s*$/.test(text))
        return Math.round(Number(text) * 1000);
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
/** The answer's Cloudflare `errors[]` as "code: message" text, when it has any. */
function cloudflareErrors(body) {
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
    return errors
        .map((e) => {
        const { code, message } = (e ?? {});
        const text = typeof message === 'string' ? message : JSON.stringify(e);
        return typeof code === 'number' || typeof code === 'string' ? `${code}: ${text}` : text;
    })
        .join('; ')
        .replace(/\s+/g, ' ')
        .slice(0, 500);
}
function describeBody(res) {
    const type = String(res.headers['content-type'] ?? '');
    if (/html/i.test(type) || /^\s*<(!doctype|html)/i.test(res.body))
        return 'an HTML page';
    return cloudflareErrors(res.body) ?? (res.body.trim() === '' ? 'an empty body' : 'a body that is not the API\'s JSON');
}
/**
 * A 3xx is never followed: the credentials go to api-url and nowhere else. The message names the host
 * it points to (that host is the likely fix of api-url, or a sign of a proxy in the way); the rest of
 * the Location (its path and query can carry tokens) is not shown.
 */
function describeRedirect(res, requestUrl) {
    const location = Array.isArray(res.headers.location) ? res.headers.location[0] : res.headers.location;
    if (!location)
        return `a redirect without a Location header (${describeBody(res)})`;
    let host;
    try {
        host = new URL(location, requestUrl).host;
    }
    catch {
        return 'a redirect to a Location that is not a URL (not followed)';
    }
    return `a redirect to host "${inline(host, 100)}" (not followed: the credentials are sent to api-url only; check api-url)`;
}
function networkErrorMessage(error) {
    const e = error;
    const code = e?.code ?? e?.cause?.code;
    const message = typeof e?.message === 'string' ? e.message : String(error);
    return code && !message.includes(String(code)) ? `${message} (${String(code)})` : message;
}
/** The success envelope unwrapped and checked; throws a GatewayError naming what was wrong. */
function parseLogAnswer(res) {
    let envelope;
    try {
        envelope = JSON.parse(res.body);
    }
    catch {
        throw new GatewayError('invalid-answer', `the API answered HTTP ${res.status} with ${describeBody(res)}, not JSON`, res.status);
    }
    if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) {
        throw new GatewayError('invalid-answer', `the API answered HTTP ${res.status} with JSON that is not an object`, res.status);
    }
    const { success, result } = envelope;
    if (success !== true) {
        const errors = cloudflareErrors(res.body);
        throw new GatewayError('api-error', `the API answered success: ${JSON.stringify(success ?? null)}${errors ? ` (${errors})` : ''}`, res.status);
    }
    if (result === undefined || result === null) {
        throw new GatewayError('invalid-answer', 'the API answered success: true but no "result"', res.status);
    }
    try {
        return (0,src_log/* parseLogDetail */.vu)(result);
    }
    catch (error) {
        if (error instanceof src_log/* InvalidLogError */.wX)
            throw new GatewayError('invalid-answer', error.message, res.status);
        throw error;
    }
}
/** Accounts created on or after 2026-09-24 keep AI Gateway logs in Workers Observability, not in the logs API. */
const WORKERS_OBSERVABILITY_HINT = 'The account keeps its AI Gateway logs in Workers Observability (its ai-gateway/logging-state says so), and the logs API this ' +
    'action reads (Cloudflare\'s "Legacy Logs") holds no logs for such accounts. Find the call in the Cloudflare dashboard ' +
    '(Workers & Pages › Observability, or AI › AI Gateway › Logs); this action cannot gate it until its log can be read through the logs API.';
/** The keys of `result` that may name the platform; other keys (such as a migration target) are not read. */
const PLATFORM_KEYS = ['platform', 'logging_platform', 'canonical_platform', 'canonical_logging_platform', 'logging_state', 'state'];
/**
 * The account's logging platform from a `GET …/ai-gateway/logging-state` answer. Cloudflare does not
 * document its shape; its generated clients only say it "returns the canonical logging platform and
 * migration availability" in the usual `{success, result}` envelope, and an account that logs to
 * Workers Observability was seen described by the value `workers_observability`. So: `result` is either
 * that name itself, or an object whose platform-like key holds it. Anything else is "unknown".
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
        const name = value.trim().toLowerCase().replace(/[\s-]+/g, '_');
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
 * One request for the account's logging platform, to explain a log that is not found. Best effort: its
 * failure (a network error, a refusal, an answer we cannot read) leaves the not-found error as it was.
 */
async function askLoggingPlatform(req, headers, deps) {
    try {
        const res = await deps.send(loggingStateUrl(req), headers, req.requestTimeoutMs);
        const platform = res.status >= 200 && res.status < 300 ? parseLoggingPlatform(res.body) : undefined;
        deps.debug(`logging-state answered HTTP ${res.status}: platform ${platform ?? 'unknown'}`);
        return platform;
    }
    catch (error) {
        deps.debug(`logging-state could not be read: ${inline(networkErrorMessage(error))}`);
        return undefined;
    }
}
/**
 * Fetches one log detail. Retries connection errors, timeouts, 408, 409, 429 and 5xx up to
 * `maxRetries` extra attempts; polls a 404 until `waitTimeoutMs` after the first request, since the
 * gateway writes a log a moment after the call. The total time is bounded by the inputs: at most
 * (maxRetries + 1) attempts of `requestTimeoutMs`, their sleeps (each ≤ 60 s), and the wait, plus one
 * request for the account's logging platform when the log is not found.
 */
async function fetchLog(req, deps) {
    const url = logUrl(req);
    const headers = { accept: 'application/json', 'user-agent': 'ai-gateway-gate', ...authHeaders(req.auth) };
    const startedMs = deps.now();
    let retries = 0;
    let polls = 0;
    let requests = 0;
    const where = `log ${JSON.stringify(req.logId)} in gateway ${JSON.stringify(req.gatewayId)} of account ${JSON.stringify(req.accountId)}`;
    for (;;) {
        requests++;
        let res;
        let failure;
        try {
            res = await deps.send(url, headers, req.requestTimeoutMs);
        }
        catch (error) {
            if (error instanceof AnswerTooLargeError)
                throw new GatewayError('invalid-answer', `${error.message} (${where})`);
            res = undefined;
            failure = networkErrorMessage(error);
        }
        if (res) {
            const status = res.status;
            if (status >= 200 && status < 300) {
                const log = parseLogAnswer(res);
                if (log.id.toLowerCase() !== req.logId.toLowerCase()) {
                    throw new GatewayError('invalid-answer', `the API answered with log ${JSON.stringify(log.id)}, not the requested ${JSON.stringify(req.logId)}`, status);
                }
                return { log, requests };
            }
            if (status === 404) {
                const waitedMs = deps.now() - startedMs;
                const leftMs = req.waitTimeoutMs - waitedMs;
                if (leftMs > 0) {
                    const delayMs = Math.min(pollIntervalMs(polls++), leftMs);
                    deps.debug(`${where} not found yet; asking again in ${delayMs} ms`);
                    await deps.sleep(delayMs);
                    continue;
                }
                const waited = req.waitTimeoutMs > 0 ? `after waiting ${(waitedMs / 1000).toFixed(1)} s` : 'and wait-timeout is 0';
                const platform = await askLoggingPlatform(req, headers, deps);
                throw new GatewayError('not-found', platform === 'workers-observability'
                    ? `Not found: ${where} ${waited}. ${WORKERS_OBSERVABILITY_HINT}`
                    : `Not found: ${where} ${waited}. Likely causes: a wrong log-id or gateway-id, logging turned off for the gateway, or the call sent cf-aig-collect-log: false.`, 404);
            }
            if (status >= 300 && status < 400) {
                throw new GatewayError('bad-request', `HTTP ${status} from the API for ${where}: ${describeRedirect(res, url)}`, status);
            }
            if (status === 401 || status === 403) {
                const errors = cloudflareErrors(res.body);
                throw new GatewayError('auth', `HTTP ${status} from the API${errors ? ` (${errors})` : ''}: the ${req.auth.kind === 'token' ? 'API token needs the "AI Gateway Read" permission' : 'api-email and api-key must be a valid global API key'} for account ${JSON.stringify(req.accountId)}.`, status);
            }
            const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
            if (!retryable) {
                throw new GatewayError('bad-request', `HTTP ${status} from the API for ${where}: ${describeBody(res)}`, status);
            }
            failure = `HTTP ${status}${status === 429 ? ' (rate limited)' : ''} with ${describeBody(res)}`;
        }
        else {
            failure ??= 'no answer';
        }
        const retryAfterMs = res ? parseRetryAfterMs(res.headers['retry-after'], Date.now()) : undefined;
        if (retryAfterMs !== undefined && retryAfterMs > MAX_RETRY_AFTER_MS) {
            const atMs = Date.now() + retryAfterMs;
            // A Retry-After past the dates a Date can hold is garbage, not a reason to crash.
            const at = Number.isFinite(atMs) && atMs < 8.64e15 ? new Date(atMs).toISOString().replace(/\.\d+Z$/, 'Z') : 'an unknown time';
            throw new GatewayError('rate-limited', `${failure}; the API asks to wait ${Math.ceil(retryAfterMs / 1000)} s (Retry-After), so it will answer again at ${at}. Cloudflare allows 1200 requests per 5 minutes per user.`, res?.status);
        }
        if (retries >= req.maxRetries) {
            throw new GatewayError(res?.status === 429 ? 'rate-limited' : 'unavailable', `The API did not answer for ${where}: ${failure} (${requests} attempt${requests > 1 ? 's' : ''}; max-retries is ${req.maxRetries}).`, res?.status);
        }
        const delayMs = retryAfterMs ?? backoffMs(retries, deps.random());
        retries++;
        deps.debug(`attempt ${requests} failed: ${failure}; retrying in ${delayMs} ms`);
        await deps.sleep(delayMs);
    }
}
/**
 * Self-hosted runners behind a proxy set HTTPS_PROXY / HTTP_PROXY / NO_PROXY. Node 24.5 and later
 * honour them for an agent built with `proxyEnv`; without those variables the default agent is used.
 */
function proxyAgent(protocol, env) {
    if (!['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some((name) => env[name]))
        return undefined;
    return protocol === 'https:' ? new external_node_https_namespaceObject.Agent({ proxyEnv: env }) : new external_node_http_.Agent({ proxyEnv: env });
}
/**
 * The real transport: one GET over node:http(s), bounded by `timeoutMs` from start to the last byte.
 * It settles exactly once, whatever the server does: a request that ends without a whole answer (a
 * connection closed early, a `101 Switching Protocols` that hands the connection to another protocol,
 * an answer cut short) is an error, retried like a dropped connection. Without that, Node's client
 * emits neither 'response' nor 'error' for a 101, and the step would end with nothing pending.
 */
function sendRequest(url, headers, timeoutMs) {
    return new Promise((resolve, reject) => {
        const target = new URL(url);
        const client = target.protocol === 'https:' ? external_node_https_namespaceObject : external_node_http_;
        const agent = proxyAgent(target.protocol, process.env);
        let settled = false;
        let answered = false;
        const req = client.request(target, { method: 'GET', headers, ...(agent ? { agent } : {}) });
        const timer = setTimeout(() => {
            req.destroy(new Error(`timed out after ${timeoutMs / 1000} s (request-timeout)`));
        }, timeoutMs);
        const fail = (error) => {
            if (settled)
                return;
            settled = true;
            clearTimeout(timer);
            req.destroy();
            reject(error);
        };
        req.on('error', fail);
        req.on('upgrade', (res, socket) => {
            socket.destroy();
            const protocol = typeof res.headers.upgrade === 'string' ? ` to "${inline(res.headers.upgrade, 40)}"` : '';
            fail(new Error(`the API answered HTTP ${res.statusCode ?? 101} (switching protocols${protocol}) instead of an answer`));
        });
        req.on('close', () => {
            if (!answered)
                fail(new Error('the connection closed without an answer'));
        });
        req.on('response', (res) => {
            answered = true;
            // A final 1xx (a 101 without an Upgrade header) is not an answer either; its connection is gone.
            if ((res.statusCode ?? 0) < 200) {
                fail(new Error(`the API answered HTTP ${res.statusCode ?? 0} instead of an answer`));
                return;
            }
            const declaredBytes = Number(res.headers['content-length']);
            if (declaredBytes > MAX_BODY_BYTES) {
                fail(new AnswerTooLargeError(` (Content-Length ${declaredBytes})`));
                return;
            }
            let chunks = [];
            let bytes = 0;
            res.on('data', (chunk) => {
                bytes += chunk.length;
                if (bytes > MAX_BODY_BYTES)
                    fail(new AnswerTooLargeError(''));
                else
                    chunks.push(chunk);
            });
            res.on('error', fail);
            res.on('close', () => {
                if (!res.complete)
                    fail(new Error('the connection closed before the whole answer arrived'));
            });
            res.on('end', () => {
                if (settled)
                    return;
                settled = true;
                clearTimeout(timer);
                const body = Buffer.concat(chunks).toString('utf8');
                chunks = []; // the bytes are not kept twice while the answer is parsed
                resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
            });
        });
        req.end();
    });
}
const realGatewayDeps = (debug) => ({
    send: sendRequest,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
    random: Math.random,
    debug
});

;// CONCATENATED MODULE: ./src/outputs.ts
/** The most one text field may take in an output, counted as its UTF-8 bytes or its JSON escapes, whichever is more. */
const MAX_OUTPUT_FIELD_BYTES = 16 * 1024;
/** Room kept for the marker, so that a cut field with its marker stays within the limit. */
const MARKER_ROOM_BYTES = 48;
/** What one UTF-16 unit costs in an output: its UTF-8 bytes, or its escape in `log` (`\n`, `\u0000`, a lone surrogate). */
function unitCost(text, i) {
    const code = text.charCodeAt(i);
    if (code < 0x20)
        return code === 0x08 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d ? 2 : 6;
    if (code === 0x22 || code === 0x5c)
        return 2;
    if (code < 0x80)
        return 1;
    if (code < 0x800)
        return 2;
    if (code >= 0xd800 && code <= 0xdbff) {
        const next = text.charCodeAt(i + 1);
        return next >= 0xdc00 && next <= 0xdfff ? 2 : 6; // a pair is 4 bytes of UTF-8; a lone half is escaped
    }
    if (code >= 0xdc00 && code <= 0xdfff) {
        const previous = text.charCodeAt(i - 1);
        return previous >= 0xd800 && previous <= 0xdbff ? 2 : 6;
    }
    return 3;
}
/**
 * `text` unchanged when it fits in `maxBytes`; otherwise its beginning, never split inside a surrogate
 * pair, and `…[cut: N more characters]`.
 */
function cutForOutput(text, maxBytes = MAX_OUTPUT_FIELD_BYTES) {
    if (text.length * 6 <= maxBytes)
        return text; // no unit costs more than 6
    const budget = maxBytes - MARKER_ROOM_BYTES;
    let cost = 0;
    let end = -1;
    for (let i = 0; i < text.length; i++) {
        cost += unitCost(text, i);
        if (end < 0 && cost > budget)
            end = i;
        if (cost > maxBytes)
            break;
    }
    if (cost <= maxBytes)
        return text;
    const code = text.charCodeAt(end - 1);
    if (end > 0 && code >= 0xd800 && code <= 0xdbff)
        end--; // the high half of a pair whose low half would be cut off
    return `${text.slice(0, end)}…[cut: ${text.length - end} more characters]`;
}
/** The log with every text field cut for the outputs; numbers and booleans are short already. */
function logForOutputs(log) {
    return Object.fromEntries(Object.entries(log).map(([name, value]) => [name, typeof value === 'string' ? cutForOutput(value) : value]));
}

// EXTERNAL MODULE: ./src/report.ts
var report = __nccwpck_require__(665);
;// CONCATENATED MODULE: ./src/main.ts
// run(): inputs → config → log detail → checks → report → outputs and summary → comment → only then
// fail the step. The one top-level catch is here: every failure ends as one readable line.







/** Output names: the contract with users (action.yml) and with the tests. */
const OUTPUT = {
    result: 'result',
    passed: 'passed',
    failures: 'failures',
    log: 'log',
    markdown: 'markdown',
    commentId: 'comment-id',
    commentUrl: 'comment-url'
};
/** GitHub rejects a step summary over 1 MiB; stay well under it. */
const MAX_SUMMARY_CHARS = 512 * 1024;
/** One readable line for any thrown value, an Error or not (annotations are one line each). */
function errorMessage(error) {
    let text;
    if (typeof error === 'object' && error !== null && typeof error.message === 'string') {
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
    const line = text.split('\n').find((l) => l.trim() !== '') ?? text;
    return line.trim().slice(0, 1000);
}
/** Replaces every secret value with *** in text the action writes to files (outputs, summary, comment). */
function scrubber(secrets) {
    const values = secrets.filter((s) => s.length >= 4);
    return (text) => values.reduce((out, secret) => out.split(secret).join('***'), text);
}
function scrubStrings(value, scrub) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? scrub(v) : v]));
}
async function run(deps = { env: process.env, gateway: realGatewayDeps(debug) }) {
    const { env } = deps;
    // Secrets first: registered before any other line of the action can print them.
    const secrets = [...SECRET_INPUTS.map((name) => getInput(name)), env.CLOUDFLARE_API_TOKEN ?? ''].map((s) => s.trim()).filter(Boolean);
    for (const secret of secrets)
        setSecret(secret);
    const scrub = scrubber(secrets);
    let config;
    let outcome;
    const where = {
        accountId: getInput(INPUT.accountId) || env.CLOUDFLARE_ACCOUNT_ID,
        gatewayId: getInput(INPUT.gatewayId),
        logId: getInput(INPUT.logId)
    };
    try {
        config = parseConfig((name) => getInput(name), env);
        Object.assign(where, { accountId: config.accountId, gatewayId: config.gatewayId, logId: config.logId });
        // Scrubbed before rendering: once escaped for markdown (`_` -> `\_`) a secret would no longer match.
        const log = scrubStrings((await fetchLog(config, deps.gateway)).log, scrub);
        outcome = { kind: 'checked', log, checks: evaluate(log, config.limits), failOnBreach: config.failOnBreach };
    }
    catch (error) {
        const known = error instanceof ConfigError || error instanceof GatewayError;
        if (!known)
            debug(error instanceof Error && error.stack ? error.stack : errorMessage(error));
        // Our own errors are one line by construction and are never cut: an input error names every bad input.
        outcome = { kind: 'error', message: scrub(known ? error.message : `Unexpected error: ${errorMessage(error)}`) };
    }
    const markdown = scrub((0,report/* renderReport */.B1)(outcome, scrubStrings(where, scrub)));
    // Everything written from here on is built from scrubbed text: the log, the message, the markdown.
    writeOutputs(outcome, markdown);
    // A job-summary value that did not parse is already an input error; the summary still says so.
    const wantSummary = config ? config.jobSummary : getInput(INPUT.jobSummary).trim().toLowerCase() !== 'false';
    if (wantSummary)
        await writeSummary(markdown, env);
    if (config && config.comment.mode !== 'off') {
        // Loaded only when a comment is to be written: Octokit's start-up is not paid by a plain gate.
        const { postComment } = await Promise.all(/* import() */[__nccwpck_require__.e(413), __nccwpck_require__.e(246)]).then(__nccwpck_require__.bind(__nccwpck_require__, 2246));
        const posted = await postComment({ ...config.comment, markdown, env, timeoutMs: config.requestTimeoutMs, warn: warning, info: info });
        if (posted) {
            setOutput(OUTPUT.commentId, String(posted.id));
            setOutput(OUTPUT.commentUrl, posted.url);
        }
    }
    fail(outcome);
}
function writeOutputs(outcome, markdown) {
    // Long text fields are cut here, after scrubbing: a secret is matched whole before any cut can split it.
    const log = outcome.kind === 'checked' ? logForOutputs(outcome.log) : undefined;
    const checks = outcome.kind === 'checked' ? outcome.checks : [];
    const failed = checks.some((c) => !c.passed);
    setOutput(OUTPUT.result, outcome.kind === 'error' ? 'error' : failed ? 'fail' : 'pass');
    setOutput(OUTPUT.passed, String(outcome.kind === 'checked' && !failed));
    setOutput(OUTPUT.failures, failuresJson(checks));
    setOutput(OUTPUT.log, log ? JSON.stringify(log) : '');
    for (const field of src_log/* LOG_FIELDS */.Hg)
        setOutput(field.output, (0,src_log/* fieldOutput */.o)(log, field.name));
    setOutput(OUTPUT.markdown, markdown);
}
/**
 * The backstop for a run that never finished: the event loop emptied (or the process is exiting) while
 * run() was still waiting on something that can never happen. Node would exit 0 with nothing written,
 * a silent pass; instead the outputs say error and the step fails with one line that says why.
 */
function failUnfinishedRun() {
    setOutput(OUTPUT.result, 'error');
    setOutput(OUTPUT.passed, 'false');
    setFailed(`${report/* REPORT_TITLE */.YI}: the action was about to exit before it finished (it was left waiting for something that never came), so the gate did not pass. Re-run the job; with debug logging on, the last lines show where it stopped.`);
}
async function writeSummary(markdown, env) {
    if (!env.GITHUB_STEP_SUMMARY) {
        info('GITHUB_STEP_SUMMARY is not set (not running on a GitHub runner?): the job summary is skipped.');
        return;
    }
    try {
        const body = (0,report/* truncateMarkdown */.o4)(markdown, MAX_SUMMARY_CHARS, 'The report was shortened to fit the job summary.');
        await summary.addRaw(body, true).write();
    }
    catch (error) {
        warning(`Could not write the job summary: ${errorMessage(error)}`);
    }
}
function fail(outcome) {
    if (outcome.kind === 'error') {
        setFailed(outcome.message);
        return;
    }
    const failed = outcome.checks.filter((c) => !c.passed);
    if (failed.length === 0) {
        info(`${report/* REPORT_TITLE */.YI} passed: ${outcome.checks.map((c) => c.message).join('; ') || 'no limits set'}`);
        return;
    }
    // One annotation per failed check; setFailed would add one more, so the exit code is set directly.
    for (const check of failed) {
        if (outcome.failOnBreach)
            error(check.message, { title: report/* REPORT_TITLE */.YI });
        else
            warning(check.message, { title: `${report/* REPORT_TITLE */.YI} (fail-on-breach is false)` });
    }
    if (outcome.failOnBreach)
        process.exitCode = ExitCode.Failure;
}

;// CONCATENATED MODULE: ./src/index.ts
// The action's entry point: nothing but run(). Backstops make sure that an error thrown outside run's
// own catch, a promise rejected and never awaited, or a run left waiting forever still fails the step
// with one readable line.


let finished = false;
process.on('unhandledRejection', (reason) => setFailed(`Unexpected error: ${errorMessage(reason)}`));
// Node exits when nothing is left to wait for, even with run() still pending (a request whose promise can
// never settle): 'beforeExit' catches that, 'exit' catches an exit from anywhere else. Both are synchronous.
const backstop = () => {
    if (finished)
        return;
    finished = true;
    failUnfinishedRun();
};
process.on('beforeExit', backstop);
process.on('exit', backstop);
run()
    .catch((error) => setFailed(`Unexpected error: ${errorMessage(error)}`))
    .finally(() => {
    finished = true;
});

