export const id = 812;
export const ids = [812];
export const modules = {

/***/ 6812:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  postComment: () => (/* binding */ postComment)
});

// UNUSED EXPORTS: BodyReader, DEADLINE_REQUEST_TIMEOUTS, GitHubAnswerError, MAX_COMMENT_CHARS, MAX_DELETIONS, PASSES_NOW_NOTE, checkBody, commentBody, commentTarget, explainFailure, findMarked, hasMarker, listedComments, marker, octokitCommentApi, syncComment, writtenBy

// EXTERNAL MODULE: ./src/net/http.ts
var http = __webpack_require__(9663);
;// CONCATENATED MODULE: ./src/net/json-stream.ts
// Pure: the objects of a JSON array read one at a time as the array's bytes arrive, with one string
// field of each object read as a stream rather than kept. A page of a pull request's comments can be
// 100 bodies of 65,536 characters (26 MB of UTF-8); parsed whole, or even one comment at a time, such
// pages allocate hundreds of MiB faster than the garbage collector gives them back, and all a comment's
// body is needed for is a yes or no (does it carry our marker, is it the body about to be written).
//
// The bytes are split without being decoded: in UTF-8 every byte of a multi-byte character is 0x80 or
// more, so the ASCII bytes that shape JSON (quotes, backslashes, braces, brackets, commas, colons) are
// never part of another character. What is kept of each object (everything but the streamed field's
// value, which becomes "") is then decoded and parsed by JSON.parse, which checks it.
/** The answer was not a JSON array of objects within the limits; the message says what it was. */
class JsonStreamError extends Error {
    constructor(message) {
        super(message);
        this.name = 'JsonStreamError';
    }
}
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
/** A key longer than this is not compared with the streamed key (no key of an answer is this long). */
const MAX_KEY_BYTES = 256;
/**
 * Splits the bytes of a JSON array of objects, given in chunks of any size, into the bytes of each
 * object. It tracks only what it needs to find where an object ends (nesting, strings, escapes) and
 * where the streamed field's value lies (keys and colons of the object itself, not of nested ones).
 * Text around the objects must be JSON: `[`, commas, `]`, whitespace.
 */
class ArraySplitter {
    limits;
    streamed;
    phase = 'before';
    depth = 0;
    inString = false;
    escaped = false;
    pieces = [];
    objectBytes = 0;
    objects = 0;
    // The object's own keys (depth 1): is the next string a key, the key being read, and what follows it.
    expectKey = false;
    inKey = false;
    key = [];
    keyBytes = 0;
    keyIsStreamed = false;
    valueIsStreamed = false;
    sink;
    streamedBytes = 0;
    result;
    // Where the kept bytes of the current object start in the chunk being pushed.
    keepFrom = 0;
    constructor(limits, streamed) {
        this.limits = limits;
        this.streamed = streamed;
    }
    /** Every object that ends in `chunk`. */
    push(chunk) {
        const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        const done = [];
        // Where the kept bytes of the current object start in `bytes`, while inside one; none while a value streams.
        this.keepFrom = this.sink ? bytes.length : 0;
        let i = 0;
        while (i < bytes.length) {
            if (this.phase !== 'inside')
                i = this.betweenObjects(bytes, i);
            else if (this.inString)
                i = this.stringBytes(bytes, i);
            else
                i = this.insideObject(bytes, i, done);
        }
        if (this.phase === 'inside' && this.keepFrom < bytes.length)
            this.keep(bytes.subarray(this.keepFrom));
        return done;
    }
    /** A byte of the array around the objects: `[`, commas, `]`, whitespace, or an object's `{`. */
    betweenObjects(bytes, i) {
        const b = bytes[i];
        if (WHITESPACE.has(b))
            return i + 1;
        if (this.phase === 'before' && b === OPEN_BRACKET)
            this.phase = 'open';
        else if ((this.phase === 'open' || this.phase === 'after') &&
            b === CLOSE_BRACKET)
            this.phase = 'done';
        else if (this.phase === 'after' && b === COMMA)
            this.phase = 'comma';
        else if ((this.phase === 'open' || this.phase === 'comma') &&
            b === OPEN_BRACE) {
            if (++this.objects > this.limits.maxObjects)
                throw new JsonStreamError(`the answer holds more than ${this.limits.maxObjects} objects`);
            this.phase = 'inside';
            this.depth = 1;
            this.expectKey = true;
            this.result = undefined;
            this.keepFrom = i;
        }
        else
            throw new JsonStreamError(this.unexpected(b));
        return i + 1;
    }
    /** Inside a string from `i`: to the streamed value's sink, into the key being read, or skipped. */
    stringBytes(bytes, from) {
        const i = this.skipString(bytes, from);
        // The string's bytes in this chunk, without its closing quote when it ends here.
        const content = bytes.subarray(from, this.inString ? i : i - 1);
        if (this.sink) {
            // The streamed value's bytes go to its sink, not into the object.
            this.streamedBytes += content.length;
            if (this.streamedBytes > this.limits.maxStreamedBytes)
                throw new JsonStreamError(`the "${this.streamed.key}" of object ${this.objects} of the answer is longer than ${this.limits.maxStreamedBytes} bytes`);
            this.sink.write(content);
            if (!this.inString) {
                this.result = this.sink.end();
                this.sink = undefined;
                this.keepFrom = i - 1; // the closing quote: the value is kept as ""
            }
        }
        else if (this.inKey) {
            this.readKey(content);
            if (!this.inString)
                this.endKey();
        }
        return i;
    }
    /** A byte of an object outside its strings: nesting, its own keys and colons, and its end. */
    insideObject(bytes, at, done) {
        const b = bytes[at];
        const i = at + 1;
        if (WHITESPACE.has(b))
            return i;
        const own = this.depth === 1;
        if (b === QUOTE) {
            this.inString = true;
            if (own && this.expectKey) {
                this.inKey = true;
                this.key = [];
                this.keyBytes = 0;
            }
            else if (own && this.valueIsStreamed) {
                // The streamed value starts: keep the object up to its opening quote, and stream the rest.
                this.keep(bytes.subarray(this.keepFrom, i));
                this.keepFrom = bytes.length;
                this.sink = this.streamed.open();
                this.streamedBytes = 0;
            }
            this.valueIsStreamed = false;
            return i;
        }
        this.valueIsStreamed = false;
        if (b === OPEN_BRACE || b === OPEN_BRACKET)
            this.depth++;
        else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
            if (--this.depth === 0) {
                this.keep(bytes.subarray(this.keepFrom, i));
                done.push({
                    bytes: this.pieces.length === 1
                        ? this.pieces[0]
                        : Buffer.concat(this.pieces, this.objectBytes),
                    streamed: this.result
                });
                this.pieces = [];
                this.objectBytes = 0;
                this.phase = 'after';
            }
        }
        else if (own && b === COMMA)
            this.expectKey = true;
        else if (own && b === COLON) {
            this.valueIsStreamed = this.keyIsStreamed;
            // A repeated key's last value is the one JSON.parse keeps: forget what an earlier one made.
            if (this.keyIsStreamed)
                this.result = undefined;
            this.keyIsStreamed = false;
        }
        return i;
    }
    /** Throws unless the array has ended. */
    end() {
        if (this.phase !== 'done')
            throw new JsonStreamError(this.phase === 'before'
                ? 'the answer is empty, not a JSON array'
                : 'the answer ended inside its JSON array');
    }
    /**
     * Moves through a string from `i`: returns where the string ends (after its closing quote) or the
     * chunk's length. Only the closing quote and backslashes matter: found by search, not byte by byte.
     */
    skipString(bytes, i) {
        while (i < bytes.length) {
            if (this.escaped) {
                this.escaped = false;
                i++;
                continue;
            }
            const quote = bytes.indexOf(QUOTE, i);
            const backslash = bytes.indexOf(BACKSLASH, i);
            if (quote < 0 && backslash < 0)
                return bytes.length;
            if (backslash >= 0 && (quote < 0 || backslash < quote)) {
                this.escaped = true;
                i = backslash + 1;
            }
            else {
                this.inString = false;
                return quote + 1;
            }
        }
        return i;
    }
    readKey(piece) {
        this.keyBytes += piece.length;
        if (this.keyBytes <= MAX_KEY_BYTES)
            this.key.push(piece);
    }
    /** The object's own key has been read: is it the streamed one (escapes read as JSON reads them)? */
    endKey() {
        this.inKey = false;
        this.expectKey = false;
        this.keyIsStreamed = false;
        if (!this.streamed || this.keyBytes > MAX_KEY_BYTES)
            return;
        const raw = Buffer.concat(this.key).toString('utf8');
        let key = raw;
        if (raw.includes('\\')) {
            try {
                key = JSON.parse(`"${raw}"`);
            }
            catch {
                return; // JSON.parse of the object will say what is wrong
            }
        }
        this.keyIsStreamed = key === this.streamed.key;
    }
    /** A piece of the current object, kept (as a view, not a copy) until the object ends. */
    keep(piece) {
        if (piece.length === 0)
            return;
        this.objectBytes += piece.length;
        if (this.objectBytes > this.limits.maxObjectBytes)
            throw new JsonStreamError(`object ${this.objects} of the answer is longer than ${this.limits.maxObjectBytes} bytes`);
        this.pieces.push(piece);
    }
    unexpected(b) {
        // A byte of a multi-byte character is shown as its number: it is not a character by itself.
        const shown = b < 0x80
            ? JSON.stringify(String.fromCharCode(b))
            : `byte 0x${b.toString(16)}`;
        switch (this.phase) {
            case 'before':
                return `the answer is not a JSON array (it starts with ${shown})`;
            case 'done':
                return `the answer goes on after its JSON array (${shown})`;
            case 'after':
                return `the answer has ${shown} after object ${this.objects}, where a comma or the end of its array belongs`;
            default:
                return `the answer's JSON array holds ${shown} where an object belongs`;
        }
    }
}
const SIMPLE_ESCAPES = {
    '"': '"',
    '\\': '\\',
    '/': '/',
    b: '\b',
    f: '\f',
    n: '\n',
    r: '\r',
    t: '\t'
};
const HEX_RE = /^[0-9a-fA-F]$/;
/**
 * The text of a JSON string from its content's bytes, handed on in pieces as they are decoded, never
 * held whole: UTF-8 decoded as response.text() decodes it (a broken byte becomes U+FFFD), escapes as
 * JSON.parse reads them (`\uXXXX` one UTF-16 unit at a time, so a pair arrives as its two halves).
 * A raw control character, which JSON.parse would refuse, is passed on as it is.
 */
class JsonStringDecoder {
    onText;
    utf8 = new TextDecoder();
    /** After a backslash: '' (the escape's letter is next), or `u` and the hex digits read so far. */
    escape = null;
    constructor(onText) {
        this.onText = onText;
    }
    write(bytes) {
        let i = 0;
        while (i < bytes.length) {
            if (this.escape !== null) {
                const c = String.fromCharCode(bytes[i]);
                i++;
                if (this.escape === '') {
                    if (c === 'u')
                        this.escape = 'u';
                    else if (c in SIMPLE_ESCAPES) {
                        this.escape = null;
                        this.onText(SIMPLE_ESCAPES[c]);
                    }
                    else
                        throw new JsonStreamError(`a string has the escape \\${c}`);
                    continue;
                }
                if (!HEX_RE.test(c))
                    throw new JsonStreamError(`a string has the escape \\${this.escape}${c}`);
                this.escape += c;
                if (this.escape.length === 5) {
                    this.onText(String.fromCharCode(parseInt(this.escape.slice(1), 16)));
                    this.escape = null;
                }
                continue;
            }
            const backslash = bytes.indexOf(BACKSLASH, i);
            const end = backslash < 0 ? bytes.length : backslash;
            if (end > i) {
                const text = this.utf8.decode(bytes.subarray(i, end), { stream: true });
                if (text !== '')
                    this.onText(text);
            }
            if (backslash < 0)
                return;
            // A character cut by the backslash is broken: U+FFFD before the escape, as a whole decode has it.
            const broken = this.utf8.decode();
            if (broken !== '')
                this.onText(broken);
            this.escape = '';
            i = backslash + 1;
        }
    }
    end() {
        if (this.escape !== null)
            throw new JsonStreamError('a string ends inside an escape');
        const rest = this.utf8.decode();
        if (rest !== '')
            this.onText(rest);
    }
}
/**
 * The objects of a JSON array whose UTF-8 bytes arrive in `chunks`, each parsed as soon as it ends,
 * with what `streamed` made of its streamed field; the stream is read only as fast as the objects are
 * taken. Throws a JsonStreamError when the answer is not such an array within `limits`.
 */
async function* jsonArrayObjects(chunks, limits, streamed) {
    const splitter = new ArraySplitter(limits, streamed);
    let index = 0;
    const parse = (split) => {
        index++;
        try {
            return {
                object: JSON.parse(split.bytes.toString('utf8')),
                streamed: split.streamed
            };
        }
        catch (error) {
            const why = String(error?.message);
            throw new JsonStreamError(`object ${index} of the answer is not JSON (${why})`);
        }
    };
    for await (const chunk of chunks)
        for (const split of splitter.push(chunk))
            yield parse(split);
    splitter.end();
}
/** A sink that decodes a JSON string's bytes (JsonStringDecoder) into `reader`, piece by piece. */
function decodingSink(reader) {
    const decoder = new JsonStringDecoder((piece) => reader.text(piece));
    return {
        write: (bytes) => decoder.write(bytes),
        end: () => {
            decoder.end();
            return reader.end();
        }
    };
}

// EXTERNAL MODULE: ./src/text/escape.ts
var text_escape = __webpack_require__(7388);
// EXTERNAL MODULE: ./src/text/markdown.ts
var text_markdown = __webpack_require__(6590);
// EXTERNAL MODULE: ./src/github/event.ts + 1 modules
var github_event = __webpack_require__(7077);
;// CONCATENATED MODULE: ./src/github/comment.ts
// The sticky PR comment: find ours by a hidden marker among the comments the token's own account
// wrote, update it or create one, and remove extra copies a race left behind. Best effort: every
// failure is one warning, and the gate's result stands. This module is imported only when a comment
// is to be written, and it loads Octokit only inside its own guard (see loadGetOctokit).





/** GitHub rejects a comment body over 65,536 characters. */
const MAX_COMMENT_CHARS = 65_536;
/**
 * The most bytes of JSON a listed comment's body can take: 65,536 characters each written as the
 * longest escape there is (a character past U+FFFF as two `\uXXXX`, 12 bytes).
 */
const MAX_BODY_JSON_BYTES = 12 * MAX_COMMENT_CHARS;
/** The rest of a listed comment (the issue-comment schema: user, reactions, the App that wrote it) is a few KiB. */
const MAX_COMMENT_FIELDS_BYTES = 64 * 1024;
const PER_PAGE = 100;
/** Bounds the listing of a PR with an absurd number of comments: 50 pages of 100. */
const MAX_PAGES = 50;
/** Extra copies of our comment removed per run: a handful bounds the run's cost; the next run removes more. */
const MAX_DELETIONS = 5;
/** All comment requests of a run share one deadline of this many request-timeouts. */
const DEADLINE_REQUEST_TIMEOUTS = 3;
const COMMENT_EVENTS = new Set(['pull_request', 'pull_request_target']);
function marker(key) {
    // Encoded so that no key can close the HTML comment or look like another key's marker.
    return `<!-- ai-gateway-gate:key=${encodeURIComponent(key)} -->`;
}
function hasMarker(body, key) {
    return typeof body === 'string' && body.includes(marker(key));
}
/**
 * Reads a body in pieces, as they arrive, into a BodyCheck: whether it carries `markerText` (found
 * across the pieces' edges too) and whether it is `expected`, without keeping it.
 */
class BodyReader {
    markerText;
    expected;
    /** The end of the text read so far, as long as the marker less one: where a marker cut by a piece's edge starts. */
    tail = '';
    marked = false;
    same;
    at = 0;
    constructor(markerText, expected) {
        this.markerText = markerText;
        this.expected = expected;
        this.same = expected !== undefined;
    }
    text(piece) {
        if (!this.marked) {
            const keep = this.markerText.length - 1;
            const edge = this.tail + piece.slice(0, keep);
            this.marked =
                edge.includes(this.markerText) || piece.includes(this.markerText);
            this.tail = (this.tail + piece.slice(-keep)).slice(-keep);
        }
        if (this.same) {
            this.same = this.expected.startsWith(piece, this.at);
            this.at += piece.length;
        }
    }
    end() {
        return {
            marked: this.marked,
            same: this.same && this.at === this.expected.length
        };
    }
}
/** A whole body (a fake's, or one already read) checked as the listing checks one that arrives in pieces. */
function checkBody(readBody, body) {
    if (typeof body !== 'string')
        return { marked: false, same: false };
    const reader = readBody();
    reader.text(body);
    return reader.end();
}
/** The comment body: the report, shortened to GitHub's limit with a visible note, then the marker. */
function commentBody(markdown, key) {
    const tag = `\n${marker(key)}\n`;
    const report = (0,text_markdown/* truncateMarkdown */.o)(markdown, MAX_COMMENT_CHARS - tag.length, 'The report was shortened to fit in a comment; the job summary has all of it.');
    return `${report}${tag}`;
}
/** Put above a passing report that replaces a breach's comment (`comment-on: breach`). */
const PASSES_NOW_NOTE = '**The gate passes now.** An earlier run of this job failed or could not check the call; this comment shows the latest run.';
/**
 * Is this comment written by the token's account? Only the numeric account id decides: a login can be
 * taken by a person (`github-actions` without `[bot]`), a type is shared by every App's bot, and
 * anyone can quote our marker.
 */
function writtenBy(comment, account) {
    const id = comment.user?.id;
    return typeof id === 'number' && Number.isSafeInteger(id) && id === account.id;
}
/** GitHub's html_url of a comment is under 300 characters; a longer one (not GitHub's) is cut to this. */
const MAX_URL_CHARS = 2048;
/**
 * Every comment of the PR that carries this key's marker, oldest first, paging through all of them,
 * each cut down to a MarkedComment as its page is read (so no page's bodies outlive it). `body`: the
 * body about to be written, to say which comments already have it.
 */
async function findMarked(api, key, body) {
    const found = [];
    const readBody = () => new BodyReader(marker(key), body);
    for (let page = 1; page <= MAX_PAGES; page++) {
        let listed = 0;
        for await (const c of await api.listPage(page, PER_PAGE, readBody)) {
            listed++;
            if (c.check.marked)
                found.push({
                    id: c.id,
                    html_url: typeof c.html_url === 'string'
                        ? (0,text_escape/* cut */.Jj)(c.html_url, MAX_URL_CHARS)
                        : '',
                    user: c.user === null ? null : { id: c.user?.id },
                    sameBody: c.check.same
                });
        }
        if (listed < PER_PAGE)
            break;
    }
    return found;
}
/**
 * `new`: one more comment. `update`: edit our comment for this key in place (keeping the oldest and
 * removing the extra ones we wrote, should two runs have raced), or create it. With `on: 'breach'` a
 * pass creates nothing; it only corrects a comment of ours that is already there.
 */
async function syncComment(api, options) {
    const { mode, key, result } = options;
    const passAfterBreach = options.on === 'breach' && result === 'pass';
    const body = commentBody(passAfterBreach
        ? `${PASSES_NOW_NOTE}\n\n${options.markdown}`
        : options.markdown, key);
    const create = async () => passAfterBreach
        ? { action: 'skipped' }
        : {
            comment: await api.create(body),
            action: 'created',
            removed: [],
            duplicatesLeft: 0
        };
    if (mode === 'new')
        return create();
    const marked = await findMarked(api, key, body);
    if (marked.length === 0)
        return create();
    // Asked only when there is a marked comment to edit: no REST endpoint tells an installation token
    // (GITHUB_TOKEN) its own account, and we must never edit anyone else's comment.
    const account = await api.viewer();
    const [keep, ...extra] = marked.filter((c) => writtenBy(c, account));
    if (!keep)
        return create();
    let comment = keep;
    let action = 'unchanged';
    if (!keep.sameBody) {
        comment = await api.update(keep.id, body);
        action = 'updated';
    }
    const removing = extra.slice(0, MAX_DELETIONS);
    for (const c of removing)
        await api.remove(c.id);
    return {
        comment,
        action,
        removed: removing.map((c) => c.id),
        duplicatesLeft: extra.length - removing.length
    };
}
/**
 * GitHub's own text of a GraphQL error. GraphQL refuses a request (a spent rate limit, a missing
 * permission) with HTTP 200 and an `errors` list, and Octokit's message for it opens with a heading line
 * ("Request failed due to following response errors:") that says none of it.
 */
function graphqlErrorText(errors) {
    const first = Array.isArray(errors) ? errors[0] : undefined;
    const message = first?.message;
    return typeof message === 'string' && message.trim() !== ''
        ? message
        : undefined;
}
/** One line for a failed GitHub call: what went wrong and what fixes it. GitHub's text is made inert. */
function explainFailure(error, context) {
    const e = (typeof error === 'object' && error !== null ? error : {});
    const timedOut = [e.name, e.cause?.name].some((name) => name === 'TimeoutError' || name === 'AbortError');
    // Octokit reports an aborted request as status 500; say what happened instead.
    const status = typeof e.status === 'number' && !timedOut ? e.status : undefined;
    let text;
    try {
        text =
            graphqlErrorText(e.errors) ??
                (typeof e.message === 'string' ? e.message : String(error));
    }
    catch {
        text = 'an unreadable error';
    }
    const firstLine = text.split('\n').find((line) => line.trim() !== '') ?? '';
    let message = (0,text_escape/* inline */.mG)((context.scrub ?? String)(firstLine.trim()), 300);
    if (timedOut) {
        const budgetS = (context.deadlineMs ?? 0) / 1000;
        message = context.deadlineExceeded
            ? `the comment's requests took longer than their ${budgetS} s in all (${DEADLINE_REQUEST_TIMEOUTS} × request-timeout)`
            : 'no answer in time (request-timeout)';
    }
    const prefix = `Could not write the PR comment (${status ? `HTTP ${status}: ` : ''}${message})`;
    if (/rate limit/i.test(message)) {
        return `${prefix}. GitHub's API rate limit for this token is used up; the next run will write the comment. The gate's result stands.`;
    }
    if (status === 403 ||
        status === 401 ||
        /not accessible by integration/i.test(message)) {
        return context.forkPr
            ? `${prefix}. This pull request comes from a fork, so GitHub gives the workflow a read-only token. Post the report from a separate workflow_run workflow with pr-number (see the README). The gate's result stands.`
            : `${prefix}. The token may not write comments: grant "permissions: pull-requests: write" to the job, or pass a github-token that can. The gate's result stands.`;
    }
    if (status === 404) {
        const fix = 'check github-token, pr-number and "permissions: pull-requests: write"';
        return `${prefix}. The pull request was not found or the token cannot see it: ${fix}. The gate's result stands.`;
    }
    return `${prefix}. The gate's result stands.`;
}
const isPrNumber = (value) => typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
function isForkPr(payload) {
    const pr = payload.pull_request;
    if (typeof pr !== 'object' || pr === null)
        return false;
    // A fork that has since been deleted leaves head.repo null: still a fork.
    const headRepo = pr.head?.repo;
    return (headRepo === null ||
        Boolean(headRepo?.full_name && headRepo.full_name !== pr.base?.repo?.full_name));
}
/** Where the comment goes: the pull request `pr-number` names, or the event's own pull request. Pure but for reading the event file. */
function commentTarget(env, prNumber) {
    const event = env.GITHUB_EVENT_NAME ?? '';
    if (prNumber === undefined && !COMMENT_EVENTS.has(event)) {
        const where = 'comments are written on pull_request and pull_request_target events, or on the pull request that pr-number names';
        return {
            skip: 'info',
            message: `No PR comment: the event is ${event ? `"${(0,text_escape/* inline */.mG)(event, 100)}"` : 'unknown'}, and ${where}.`
        };
    }
    const read = (0,github_event/* readEvent */.j)(env.GITHUB_EVENT_PATH);
    const payload = 'payload' in read ? read.payload : {};
    const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? '').split('/');
    const issueNumber = prNumber ?? [payload.pull_request?.number, payload.number].find(isPrNumber);
    const repositoryOk = Boolean(owner && repo) && rest.length === 0;
    if (!issueNumber || !owner || !repo || !repositoryOk) {
        const why = !repositoryOk
            ? 'GITHUB_REPOSITORY is not owner/name'
            : 'problem' in read
                ? read.problem
                : 'the event names no pull request';
        return {
            skip: 'warning',
            message: `No PR comment: the pull request number or the repository could not be read from the event (${why}).`
        };
    }
    return { owner, repo, issueNumber, forkPr: isForkPr(payload) };
}
/**
 * @actions/github, loaded here rather than at the top of the module so that any throw is the
 * comment's warning. It parses GITHUB_EVENT_PATH as it loads (for its `context`, which this module
 * never uses), and a malformed event file would throw there and make the comment fail even with
 * pr-number set: the variable is hidden while it loads, and readEvent reads the event instead.
 */
async function loadGetOctokit() {
    const eventPath = process.env.GITHUB_EVENT_PATH;
    delete process.env.GITHUB_EVENT_PATH;
    try {
        return (await __webpack_require__.e(/* import() */ 413).then(__webpack_require__.bind(__webpack_require__, 2413))).getOctokit;
    }
    finally {
        if (eventPath !== undefined)
            process.env.GITHUB_EVENT_PATH = eventPath;
    }
}
/** Redirects followed for the listing, within GITHUB_API_URL's origin: GitHub moves a renamed repository's URLs. */
const MAX_REDIRECTS = 3;
/** The most of an error answer read for its message. */
const MAX_ERROR_BYTES = 64 * 1024;
/** A GitHub answer that is not a success, with its status, as Octokit's RequestError carries it (explainFailure reads both). */
class GitHubAnswerError extends Error {
    status;
    constructor(message, status) {
        super(message);
        this.status = status;
        this.name = 'GitHubAnswerError';
    }
}
/** An error answer's message as Octokit writes it: GitHub's `message`, then ` - ` and its documentation_url. */
async function answerError(status, body) {
    const chunks = [];
    let bytes = 0;
    for await (const chunk of body) {
        chunks.push(chunk);
        bytes += chunk.length;
        if (bytes >= MAX_ERROR_BYTES)
            break;
    }
    const text = Buffer.concat(chunks).subarray(0, MAX_ERROR_BYTES).toString();
    let message = text.trim() === '' ? `HTTP ${status}` : text;
    try {
        const { message: said, documentation_url: docs } = JSON.parse(text);
        if (typeof said === 'string')
            message = `${said}${typeof docs === 'string' ? ` - ${docs}` : ''}`;
    }
    catch {
        // not JSON (a proxy's page): its text is the message, made inert where it is shown
    }
    return new GitHubAnswerError(message, status);
}
/**
 * One page of the PR's comments, `GET /repos/{owner}/{repo}/issues/{n}/comments` on GITHUB_API_URL
 * (as @actions/github reads it), as a stream of bytes. Read over node:http rather than through Octokit:
 * Octokit (and fetch under it) reads the whole page and parses it with a reviver that copies every
 * string, and the page can be 100 bodies of 65,536 characters; measured, that took the action past its
 * memory budget where a stream read comment by comment stays well under it.
 */
async function listingStream(options, page, perPage, signal) {
    const api = (process.env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
    const path = `/repos/${encodeURIComponent(options.owner)}/${encodeURIComponent(options.repo)}/issues/${options.issueNumber}/comments`;
    let url = `${api}${path}?per_page=${perPage}&page=${page}`;
    // GitHub's REST headers, the token as Octokit sends it.
    const headers = {
        accept: 'application/vnd.github+json',
        authorization: `token ${options.token}`,
        'user-agent': 'ai-gateway-gate',
        'x-github-api-version': '2022-11-28'
    };
    for (let redirects = 0;; redirects++) {
        const res = await (0,http/* openStream */.fv)(url, headers, signal);
        if (res.status >= 200 && res.status < 300)
            return res.body;
        const location = res.headers.location;
        if (res.status >= 300 &&
            res.status < 400 &&
            typeof location === 'string' &&
            redirects < MAX_REDIRECTS) {
            res.discard();
            const next = new URL(location, url);
            // The token goes to GITHUB_API_URL's origin only.
            if (next.origin !== new URL(url).origin)
                throw new GitHubAnswerError(`GitHub redirected the comment list to another host, "${(0,text_escape/* inline */.mG)(next.host, 100)}" (not followed: the token is sent to GITHUB_API_URL only)`, res.status);
            url = next.href;
            continue;
        }
        throw await answerError(res.status, res.body);
    }
}
/**
 * The comments of a listing page as its bytes arrive: each comment parsed without its body, which is
 * read by `readBody` on the way (jsonArrayObjects), so that no body is ever held whole. A page with
 * more comments than asked for, or a comment longer than GitHub allows, is an error.
 */
async function* listedComments(stream, perPage, readBody) {
    const comments = jsonArrayObjects(stream, {
        maxObjects: perPage,
        maxObjectBytes: MAX_COMMENT_FIELDS_BYTES,
        maxStreamedBytes: MAX_BODY_JSON_BYTES
    }, { key: 'body', open: () => decodingSink(readBody()) });
    for await (const { object, streamed } of comments) {
        if (typeof object !== 'object' || object === null || Array.isArray(object))
            throw new Error('GitHub listed a comment that is not an object');
        const { body: _body, ...comment } = object;
        yield { ...comment, check: streamed ?? { marked: false, same: false } };
    }
}
/** Throws unless GraphQL answered a viewer with a numeric account id (`databaseId` is nullable in the schema). */
function accountOf(data) {
    const viewer = data?.viewer;
    const id = viewer?.databaseId;
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) {
        throw new Error("GitHub's GraphQL API did not say which account the token is (viewer.databaseId)");
    }
    return { id, login: typeof viewer?.login === 'string' ? viewer.login : '' };
}
/** The issue-comment endpoints through Octokit, each request bounded by its timeout and the run's deadline. */
async function octokitCommentApi(options) {
    const octokit = (await loadGetOctokit())(options.token);
    const request = () => ({
        signal: AbortSignal.any([
            AbortSignal.timeout(options.requestTimeoutMs),
            options.deadline
        ])
    });
    const base = { owner: options.owner, repo: options.repo };
    const issue = { ...base, issue_number: options.issueNumber };
    return {
        listPage: async (page, perPage, readBody) => listedComments(await listingStream(options, page, perPage, request().signal), perPage, readBody),
        viewer: async () => accountOf(await octokit.graphql('query { viewer { databaseId login } }', {
            request: request()
        })),
        create: async (body) => (await octokit.rest.issues.createComment({
            ...issue,
            body,
            request: request()
        })).data,
        update: async (id, body) => (await octokit.rest.issues.updateComment({
            ...base,
            comment_id: id,
            body,
            request: request()
        })).data,
        remove: async (id) => {
            await octokit.rest.issues.deleteComment({
                ...base,
                comment_id: id,
                request: request()
            });
        }
    };
}
function doneMessage(result) {
    const count = result.removed.length;
    const removed = count > 0 ? ` and removed ${count} duplicate${count > 1 ? 's' : ''}` : '';
    const left = result.duplicatesLeft > 0
        ? ` (${result.duplicatesLeft} more left for the next run)`
        : '';
    return `PR comment ${result.action}${removed}${left}: ${(0,text_escape/* inline */.mG)(result.comment.html_url)}`;
}
/** Aborts the comment's requests after `deadlineMs`, as a timeout (the warning says which deadline ran out). */
function abortAfter(deadline, deadlineMs) {
    return setTimeout(() => deadline.abort(new DOMException('The comment requests ran out of time', 'TimeoutError')), deadlineMs);
}
/** Writes the comment when there is a pull request to write it on; never throws. */
async function postComment(req) {
    if (req.mode === 'off')
        return undefined;
    let forkPr = false;
    const timeoutMs = req.timeoutMs ?? 30_000;
    const deadlineMs = DEADLINE_REQUEST_TIMEOUTS * timeoutMs;
    const deadline = new AbortController();
    let timer;
    try {
        const target = commentTarget(req.env, req.prNumber);
        if ('skip' in target) {
            ;
            (target.skip === 'info' ? req.info : req.warn)(target.message);
            return undefined;
        }
        forkPr = target.forkPr;
        const { owner, repo, issueNumber } = target;
        const options = {
            token: req.githubToken,
            owner,
            repo,
            issueNumber,
            requestTimeoutMs: timeoutMs,
            deadline: deadline.signal
        };
        const api = await (req.makeApi ?? octokitCommentApi)(options);
        // The deadline runs from the first request: loading Octokit is not a request to GitHub.
        timer = abortAfter(deadline, deadlineMs);
        const result = await syncComment(api, {
            mode: req.mode,
            key: req.key,
            markdown: req.markdown,
            result: req.result,
            on: req.on
        });
        if (result.action === 'skipped') {
            req.info('No PR comment: the gate passed, comment-on is breach, and there is no earlier comment of ours to correct.');
            return undefined;
        }
        req.info(doneMessage(result));
        return { id: result.comment.id, url: result.comment.html_url };
    }
    catch (error) {
        req.warn(explainFailure(error, {
            forkPr,
            deadlineExceeded: deadline.signal.aborted,
            deadlineMs,
            scrub: req.scrub
        }));
        return undefined;
    }
    finally {
        clearTimeout(timer);
    }
}


/***/ })

};
