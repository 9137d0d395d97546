import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 2988:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Jj: () => (/* binding */ cut),
/* harmony export */   Pl: () => (/* binding */ prefix),
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
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
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

/***/ 7257:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  wX: () => (/* binding */ InvalidLogError),
  Hg: () => (/* binding */ LOG_FIELDS),
  o: () => (/* binding */ fieldOutput),
  ZV: () => (/* binding */ formatNumber),
  vu: () => (/* binding */ parseLogDetail)
});

// EXTERNAL MODULE: ./src/escape.ts
var src_escape = __nccwpck_require__(2988);
;// CONCATENATED MODULE: ./src/redact.ts
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
    return SENSITIVE_HEADERS.has(lower) || /token|secret|key|auth|cookie|session|password/.test(lower);
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
    return isSensitiveHeader(decoded) || /sig|credential|pass|pwd|jwt/i.test(decoded);
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
        .replace(QUERY_PARAM_RE, (whole, sep, name) => (isSensitiveParam(name) ? `${sep}${name}=${REDACTED}` : whole))
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
        return (0,src_escape/* jsonText */.s$)(redactObject(parsed, 0)) ?? REDACTED;
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
            return redactUrlCredentials(line);
        if (colon <= 0 || /^HTTP\//.test(line))
            return line;
        const name = line.slice(0, colon);
        return isSensitiveHeader(name) ? `${name}: ${REDACTED}` : `${name}:${redactUrlCredentials(line.slice(colon + 1))}`;
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
        return value.map((entry, i) => Array.isArray(entry) && typeof entry[0] === 'string' && isSensitiveHeader(entry[0])
            ? [entry[0], REDACTED]
            : i % 2 === 1 && typeof value[i - 1] === 'string' && isSensitiveHeader(value[i - 1])
                ? REDACTED
                : redactValue(entry, depth));
    }
    const record = value;
    const nameMember = entryNameMember(record);
    if (nameMember !== undefined && isSensitiveHeader(record[nameMember])) {
        // Every member but the name: `value`, `values`, and whatever else a format keeps beside them.
        return Object.fromEntries(Object.keys(record).map((member) => [member, member === nameMember ? record[member] : REDACTED]));
    }
    const out = {};
    for (const [name, inner] of Object.entries(record)) {
        // In an entry, the naming member holds a header's name (`"key": "Content-Type"`), not a key.
        out[name] = name !== nameMember && isSensitiveHeader(name) ? REDACTED : redactValue(inner, depth);
    }
    return out;
}

// EXTERNAL MODULE: ./src/secrets.ts
var secrets = __nccwpck_require__(7194);
;// CONCATENATED MODULE: ./src/log.ts
// The AI Gateway log detail: its 25 fields and their check at run time, as the API documents them
// (the LogDetail schema of Cloudflare's OpenAPI description of the AI Gateway logs endpoints).



const field = (name, type, required = false, nullable = false) => ({
    name,
    output: name.replace(/_/g, '-'),
    type,
    required,
    nullable
});
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
    field('duration', 'number', true),
    field('tokens_in', 'integer', true, true),
    field('tokens_out', 'integer', true, true),
    field('cost', 'number'),
    field('custom_cost', 'boolean'),
    field('step', 'integer'),
    field('metadata', 'string'),
    field('request_type', 'string'),
    field('request_content_type', 'string'),
    field('request_size', 'integer'),
    field('request_head', 'string'),
    field('request_head_complete', 'boolean'),
    field('response_content_type', 'string'),
    field('response_size', 'integer'),
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
/** A wrong value described for an error message: scrubbed before it is cut, then quoted with invisible characters shown. */
function typeOf(value, scrub) {
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return 'an array';
    if (typeof value === 'string')
        return `a string ${(0,src_escape/* showInvisible */.jQ)(JSON.stringify((0,src_escape/* cut */.Jj)(scrub(value), 40)))}`;
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
        if (spec.name === 'metadata' && typeof value === 'object' && value !== null) {
            value = (0,src_escape/* jsonText */.s$)(value);
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
        if (!hasType(value, spec.type)) {
            problems.push(`${spec.name} is ${typeOf(value, scrub)}, expected ${spec.type === 'integer' ? 'an integer' : `a ${spec.type}`}`);
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
    // The path of the call can carry a key in its query: Google AI Studio's `?key=`.
    log.path = redactUrlCredentials(log.path);
    return log;
}
/** Numbers as the API gave them, never rounded (a call often costs a fraction of a cent), and never in exponent notation (4e-7). */
function formatNumber(value) {
    // JavaScript's shortest round-trip digits, with a small exponent written out: 4e-7 -> 0.0000004.
    const text = String(value);
    const m = /^(-?)(\d)(?:\.(\d+))?e-(\d+)$/.exec(text);
    return m ? `${m[1]}0.${'0'.repeat(Number(m[4]) - 1)}${m[2]}${m[3] ?? ''}` : text;
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
/* harmony import */ var _escape_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(2988);
/* harmony import */ var _log_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(7257);


const REPORT_TITLE = 'AI Gateway gate';
/** A value longer than this is shortened in the report. */
const MAX_VALUE_CHARS = 200;
const MAX_METADATA_ENTRIES = 20;
/**
 * Untrusted text as inert markdown: HTML entities for `<>&`, backslash escapes for the markdown
 * punctuation that makes links, images, emphasis, tables, code spans and autolinks (`:/`, `www.`), whitespace
 * folded to one line, and a zero-width space after `@` so that no one is mentioned. Values never start
 * a line, so `-`, `+` and `1.` need no escape. Invisible characters become `\u202e`-style escapes (their
 * backslash escaped in turn, so the escape is what the reader sees), after the cut, so none is cut in half.
 */
function escapeText(value, maxChars = MAX_VALUE_CHARS) {
    // eslint-disable-next-line no-control-regex
    const text = (0,_escape_js__WEBPACK_IMPORTED_MODULE_1__/* .cut */ .Jj)(value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim(), maxChars);
    return (0,_escape_js__WEBPACK_IMPORTED_MODULE_1__/* .showInvisible */ .jQ)(text)
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
            .map(([k, v]) => [escapeText(k, 60), cell(typeof v === 'object' && v !== null ? ((0,_escape_js__WEBPACK_IMPORTED_MODULE_1__/* .jsonText */ .s$)(v) ?? '(nested too deeply to show)') : v)]);
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
    const lineEnd = markdown.lastIndexOf('\n', room);
    return `${lineEnd > 0 ? markdown.slice(0, lineEnd) : (0,_escape_js__WEBPACK_IMPORTED_MODULE_1__/* .prefix */ .Pl)(markdown, room)}${suffix}`;
}


/***/ }),

/***/ 7194:
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
    const forms = [...new Set(secrets.filter((s) => s.length >= MIN_SECRET_CHARS).flatMap(secretForms))].sort((a, b) => b.length - a.length);
    return (text) => forms.reduce((out, form) => (out.includes(form) ? out.split(form).join(SCRUBBED) : out), text);
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
function warning(message, properties = {}) {
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
// EXTERNAL MODULE: ./src/escape.ts
var src_escape = __nccwpck_require__(2988);
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
    commentOn: 'comment-on',
    prNumber: 'pr-number',
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
    return JSON.stringify((0,src_escape/* cut */.Jj)(value, 80));
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
/** `/\/+$/` would retry from every slash of a long run of them: quadratic in an api-url of slashes. */
function withoutTrailingSlashes(url) {
    let end = url.length;
    while (end > 0 && url[end - 1] === '/')
        end--;
    return url.slice(0, end);
}
function parseConfig(read, env) {
    const problems = [];
    const input = (name) => read(name).trim();
    const negative = (value) => (/^-\s*\$?\s*[\d.]/.test(value) ? 'is negative: ' : '');
    const bad = (name, value, why) => {
        problems.push(`${name} ${quote(value)} ${why}`);
    };
    // Credentials: a token wins; the legacy pair is used only without one.
    const token = input(INPUT.apiToken) || (env.CLOUDFLARE_API_TOKEN ?? '').trim();
    const email = input(INPUT.apiEmail);
    const key = input(INPUT.apiKey);
    let auth;
    if (token) {
        auth = { kind: 'token', token };
    }
    else if (email && key) {
        auth = { kind: 'global-key', email, key };
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
    let apiUrl = apiUrlInput;
    try {
        const url = new URL(apiUrlInput);
        if (url.protocol !== 'http:' && url.protocol !== 'https:')
            bad(INPUT.apiUrl, apiUrlInput, 'must be an http(s) URL');
        else if (url.username || url.password)
            bad(INPUT.apiUrl, '(hidden)', 'must not carry credentials; use api-token');
        else if (url.search || url.hash)
            bad(INPUT.apiUrl, apiUrlInput, 'must not have a query or fragment');
        apiUrl = withoutTrailingSlashes(url.href);
    }
    catch {
        bad(INPUT.apiUrl, apiUrlInput, 'is not a URL (e.g. https://api.cloudflare.com/client/v4)');
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
    const commentOnInput = input(INPUT.commentOn);
    let on = 'always';
    if (['', 'always'].includes(commentOnInput.toLowerCase()))
        on = 'always';
    else if (commentOnInput.toLowerCase() === 'breach')
        on = 'breach';
    else
        bad(INPUT.commentOn, commentOnInput, 'is not one of always, breach');
    // `new` keeps every run's comment as history: a breach's comment could not be taken back by a later
    // pass without editing that history, so the pair is refused rather than given a surprising meaning.
    if (on === 'breach' && mode === 'new')
        bad(INPUT.commentOn, commentOnInput, `needs ${INPUT.comment}: update (a pass corrects the one comment)`);
    const prNumberInput = input(INPUT.prNumber);
    let prNumber;
    if (prNumberInput) {
        const n = Number(prNumberInput);
        if (WHOLE_RE.test(prNumberInput) && Number.isSafeInteger(n) && n > 0)
            prNumber = n;
        else
            bad(INPUT.prNumber, prNumberInput, 'is not a pull request number (a whole number from 1)');
    }
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
        comment: { mode, key: commentKey, githubToken, on, ...(prNumber === undefined ? {} : { prNumber }) }
    };
}

// EXTERNAL MODULE: ./src/log.ts + 1 modules
var src_log = __nccwpck_require__(7257);
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
// EXTERNAL MODULE: ./src/secrets.ts
var src_secrets = __nccwpck_require__(7194);
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
/** A log detail is a few KiB; a body past this is not an answer from the logs API. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
function logUrl(req) {
    // Each id is one percent-encoded path segment: `../../user/tokens` stays a log id (issue #3).
    const segment = (id) => encodeURIComponent(id).replace(/\./g, '%2E');
    return `${req.apiUrl}/accounts/${segment(req.accountId)}/ai-gateway/gateways/${segment(req.gatewayId)}/logs/${segment(req.logId)}`;
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
/** Longest `errors[]` text quoted in an error message. */
const MAX_ERRORS_CHARS = 500;
/**
 * The answer's Cloudflare `errors[]` as "code: message" text, when it has any: on one line, with
 * invisible characters shown, and `scrub` applied before it is cut, so that no part of a secret the
 * API echoes survives the cut.
 */
function cloudflareErrors(body, scrub = src_secrets/* NO_SECRETS */.g1) {
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
        const text = typeof message === 'string' ? message : ((0,src_escape/* jsonText */.s$)(e) ?? 'an error nested too deeply to show');
        return typeof code === 'number' || typeof code === 'string' ? `${code}: ${text}` : text;
    })
        .join('; ');
    return (0,src_escape/* inline */.mG)(scrub(text).replace(/\s+/g, ' '), MAX_ERRORS_CHARS);
}
function describeBody(res, scrub) {
    const type = String(res.headers['content-type'] ?? '');
    if (/html/i.test(type) || /^\s*<(!doctype|html)/i.test(res.body))
        return 'an HTML page';
    return cloudflareErrors(res.body, scrub) ?? (res.body.trim() === '' ? 'an empty body' : 'a body that is not the API\'s JSON');
}
function networkErrorMessage(error) {
    const e = error;
    const code = e?.code ?? e?.cause?.code;
    const message = typeof e?.message === 'string' ? e.message : String(error);
    return code && !message.includes(String(code)) ? `${message} (${String(code)})` : message;
}
/**
 * The success envelope unwrapped and checked; throws a GatewayError naming what was wrong. `scrub`
 * removes the caller's secrets from the API's text before any of it is cut for the message.
 */
function parseLogAnswer(res, scrub = src_secrets/* NO_SECRETS */.g1) {
    let envelope;
    try {
        envelope = JSON.parse(res.body);
    }
    catch {
        throw new GatewayError('invalid-answer', `the API answered HTTP ${res.status} with ${describeBody(res, scrub)}, not JSON`, res.status);
    }
    if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) {
        throw new GatewayError('invalid-answer', `the API answered HTTP ${res.status} with JSON that is not an object`, res.status);
    }
    const { success, result } = envelope;
    if (success !== true) {
        const errors = cloudflareErrors(res.body, scrub);
        const shown = (0,src_escape/* inline */.mG)(scrub((0,src_escape/* jsonText */.s$)(success ?? null) ?? 'a value nested too deeply to show'), 40);
        throw new GatewayError('api-error', `the API answered success: ${shown}${errors ? ` (${errors})` : ''}`, res.status);
    }
    if (result === undefined || result === null) {
        throw new GatewayError('invalid-answer', 'the API answered success: true but no "result"', res.status);
    }
    try {
        return (0,src_log/* parseLogDetail */.vu)(result, scrub);
    }
    catch (error) {
        if (error instanceof src_log/* InvalidLogError */.wX)
            throw new GatewayError('invalid-answer', error.message, res.status);
        throw error;
    }
}
/**
 * Fetches one log detail. Retries connection errors, timeouts, 408, 409, 429 and 5xx up to
 * `maxRetries` extra attempts; polls a 404 until `waitTimeoutMs` after the first request, since the
 * gateway writes a log a moment after the call. The total time is bounded by the inputs: at most
 * (maxRetries + 1) attempts of `requestTimeoutMs`, their sleeps (each ≤ 60 s), and the wait.
 */
async function fetchLog(req, deps) {
    const url = logUrl(req);
    const headers = { accept: 'application/json', 'user-agent': 'ai-gateway-gate', ...authHeaders(req.auth) };
    // Scrubbed before any of the API's text is cut: the credentials it could echo, and whatever else the caller knows.
    const scrub = (0,src_secrets/* scrubber */.ty)([...authSecrets(req.auth), ...(deps.secrets ?? [])]);
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
            res = undefined;
            failure = (0,src_escape/* inline */.mG)(scrub(networkErrorMessage(error)));
        }
        if (res) {
            const status = res.status;
            if (status >= 200 && status < 300) {
                const log = parseLogAnswer(res, scrub);
                if (log.id.toLowerCase() !== req.logId.toLowerCase()) {
                    const answered = `"${(0,src_escape/* inline */.mG)(scrub(log.id), 80)}"`;
                    const message = `the API answered with log ${answered}, not the requested ${JSON.stringify(req.logId)}`;
                    throw new GatewayError('invalid-answer', message, status);
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
                throw new GatewayError('not-found', `Not found: ${where} ${waited}. Likely causes: a wrong log-id or gateway-id, logging turned off for the gateway, or the call sent cf-aig-collect-log: false.`, 404);
            }
            if (status === 401 || status === 403) {
                const errors = cloudflareErrors(res.body, scrub);
                throw new GatewayError('auth', `HTTP ${status} from the API${errors ? ` (${errors})` : ''}: the ${req.auth.kind === 'token' ? 'API token needs the "AI Gateway Read" permission' : 'api-email and api-key must be a valid global API key'} for account ${JSON.stringify(req.accountId)}.`, status);
            }
            const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
            if (!retryable) {
                throw new GatewayError('bad-request', `HTTP ${status} from the API for ${where}: ${describeBody(res, scrub)}`, status);
            }
            failure = `HTTP ${status}${status === 429 ? ' (rate limited)' : ''} with ${describeBody(res, scrub)}`;
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
/** The real transport: one GET over node:http(s), bounded by `timeoutMs` from start to the last byte. */
function sendRequest(url, headers, timeoutMs) {
    return new Promise((resolve, reject) => {
        const target = new URL(url);
        const client = target.protocol === 'https:' ? external_node_https_namespaceObject : external_node_http_;
        const agent = proxyAgent(target.protocol, process.env);
        const req = client.request(target, { method: 'GET', headers, ...(agent ? { agent } : {}) });
        const timer = setTimeout(() => {
            req.destroy(new Error(`timed out after ${timeoutMs / 1000} s (request-timeout)`));
        }, timeoutMs);
        const fail = (error) => {
            clearTimeout(timer);
            reject(error);
        };
        req.on('error', fail);
        req.on('response', (res) => {
            const chunks = [];
            let bytes = 0;
            res.on('data', (chunk) => {
                bytes += chunk.length;
                if (bytes > MAX_BODY_BYTES)
                    req.destroy(new Error(`the answer is larger than ${MAX_BODY_BYTES} bytes`));
                else
                    chunks.push(chunk);
            });
            res.on('error', fail);
            res.on('end', () => {
                clearTimeout(timer);
                resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
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
/** The longest error text of an unexpected error shown in the annotation. */
const MAX_ERROR_CHARS = 1000;
/**
 * One readable line for any thrown value, an Error or not (annotations are one line each): `scrub`
 * is applied to the whole text first, then the first line is taken and cut, with invisible characters shown.
 */
function errorMessage(error, scrub = src_secrets/* NO_SECRETS */.g1) {
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
    const scrubbed = scrub(text);
    const line = scrubbed.split('\n').find((l) => l.trim() !== '') ?? scrubbed;
    return (0,src_escape/* inline */.mG)(line.trim(), MAX_ERROR_CHARS);
}
/** The secret values the action knows: the secret inputs and CLOUDFLARE_API_TOKEN, registered before anything is printed. */
function actionSecrets(env) {
    return [...SECRET_INPUTS.map((name) => getInput(name)), env.CLOUDFLARE_API_TOKEN ?? ''].map((s) => s.trim()).filter(Boolean);
}
function scrubStrings(value, scrub) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? scrub(v) : v]));
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
        decoded = (0,src_escape/* jsonText */.s$)(JSON.parse(scrubbed));
    }
    catch {
        return scrubbed;
    }
    if (decoded === undefined)
        return scrubbed;
    const clean = scrub(decoded);
    return clean === decoded ? scrubbed : clean;
}
/** Every text field of the log scrubbed, metadata in the form the report shows it too. */
function scrubLog(log, scrub) {
    const scrubbed = scrubStrings(log, scrub);
    return scrubbed.metadata === undefined ? scrubbed : { ...scrubbed, metadata: scrubMetadata(scrubbed.metadata, scrub) };
}
async function run(deps = { env: process.env, gateway: realGatewayDeps(debug) }) {
    const { env } = deps;
    // Secrets first: registered before any other line of the action can print them.
    const secrets = actionSecrets(env);
    for (const secret of secrets)
        setSecret(secret);
    const scrub = (0,src_secrets/* scrubber */.ty)(secrets);
    // The client scrubs the API's text before it cuts it; its debug lines are scrubbed once more on the way out.
    const gateway = { ...deps.gateway, secrets, debug: (message) => deps.gateway.debug(scrub(message)) };
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
        // Scrubbed before rendering: once escaped for markdown (`_` -> `\_`) or cut, a secret would no longer match.
        const log = scrubLog((await fetchLog(config, gateway)).log, scrub);
        outcome = { kind: 'checked', log, checks: evaluate(log, config.limits), failOnBreach: config.failOnBreach };
    }
    catch (error) {
        const known = error instanceof ConfigError || error instanceof GatewayError;
        // The stack spans lines, which the debug command keeps inside its own line; the message in it may quote the API.
        if (!known)
            debug((0,src_escape/* showInvisible */.jQ)(error instanceof Error && error.stack ? scrub(error.stack) : errorMessage(error, scrub)));
        // Our own errors are one line by construction and are never cut: an input error names every bad input.
        outcome = { kind: 'error', message: known ? scrub(error.message) : `Unexpected error: ${errorMessage(error, scrub)}` };
    }
    const markdown = scrub((0,report/* renderReport */.B1)(outcome, scrubStrings(where, scrub)));
    // Everything written from here on is built from scrubbed text: the log, the message, the markdown.
    writeOutputs(outcome, markdown);
    // A job-summary value that did not parse is already an input error; the summary still says so.
    const wantSummary = config ? config.jobSummary : getInput(INPUT.jobSummary).trim().toLowerCase() !== 'false';
    if (wantSummary)
        await writeSummary(markdown, env);
    if (config && config.comment.mode !== 'off')
        await comment(config, outcome, markdown, env, scrub);
    fail(outcome);
}
/** The `result` output: pass, fail (a limit was breached) or error. */
function resultOf(outcome) {
    if (outcome.kind === 'error')
        return 'error';
    return outcome.checks.some((c) => !c.passed) ? 'fail' : 'pass';
}
/** The PR comment, best effort: whatever goes wrong, loading the module included, is one warning. */
async function comment(config, outcome, markdown, env, scrub) {
    let postComment;
    try {
        // Loaded only when a comment is to be written: Octokit's start-up is not paid by a plain gate.
        ;
        ({ postComment } = await __nccwpck_require__.e(/* import() */ 246).then(__nccwpck_require__.bind(__nccwpck_require__, 2246)));
    }
    catch (error) {
        warning(`Could not write the PR comment (${(0,src_escape/* inline */.mG)(errorMessage(error))}). The gate's result stands.`);
        return;
    }
    const result = resultOf(outcome);
    const timeoutMs = config.requestTimeoutMs;
    const posted = await postComment({ ...config.comment, result, markdown, env, timeoutMs, warn: warning, info: info, scrub });
    if (posted) {
        setOutput(OUTPUT.commentId, String(posted.id));
        setOutput(OUTPUT.commentUrl, posted.url);
    }
}
function writeOutputs(outcome, markdown) {
    const log = outcome.kind === 'checked' ? outcome.log : undefined;
    const checks = outcome.kind === 'checked' ? outcome.checks : [];
    const result = resultOf(outcome);
    setOutput(OUTPUT.result, result);
    setOutput(OUTPUT.passed, String(result === 'pass'));
    setOutput(OUTPUT.failures, failuresJson(checks));
    setOutput(OUTPUT.log, log ? JSON.stringify(log) : '');
    for (const field of src_log/* LOG_FIELDS */.Hg)
        setOutput(field.output, (0,src_log/* fieldOutput */.o)(log, field.name));
    setOutput(OUTPUT.markdown, markdown);
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
// own catch, or a promise rejected and never awaited, still fails the step with one readable line.


// Scrubbed before errorMessage cuts it: the runner masks only a whole secret.
const unexpected = (error) => setFailed(`Unexpected error: ${errorMessage(error, (0,src_secrets/* scrubber */.ty)(actionSecrets(process.env)))}`);
process.on('unhandledRejection', unexpected);
run().catch(unexpected);

