export const id = 318;
export const ids = [318];
export const modules = {

/***/ 7318:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   postComment: () => (/* binding */ postComment)
/* harmony export */ });
/* unused harmony exports MAX_COMMENT_CHARS, MAX_DELETIONS, DEADLINE_REQUEST_TIMEOUTS, marker, hasMarker, commentBody, PASSES_NOW_NOTE, writtenBy, findMarked, syncComment, explainFailure, commentTarget, octokitCommentApi */
/* harmony import */ var _text_escape_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7388);
/* harmony import */ var _event_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7077);
/* harmony import */ var _text_markdown_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6590);



/** GitHub rejects a comment body over 65,536 characters. */
const MAX_COMMENT_CHARS = 65_536;
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
/** The comment body: the report, shortened to GitHub's limit with a visible note, then the marker. */
function commentBody(markdown, key) {
    const tag = `\n${marker(key)}\n`;
    const report = (0,_text_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .truncateMarkdown */ .o)(markdown, MAX_COMMENT_CHARS - tag.length, 'The report was shortened to fit in a comment; the job summary has all of it.');
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
/** Every comment of the PR that carries this key's marker, oldest first, paging through all of them. */
async function findMarked(api, key) {
    const found = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
        const comments = await api.listPage(page, PER_PAGE);
        found.push(...comments.filter((c) => hasMarker(c.body, key)));
        if (comments.length < PER_PAGE)
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
    const marked = await findMarked(api, key);
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
    if (keep.body !== body) {
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
    let message = (0,_text_escape_js__WEBPACK_IMPORTED_MODULE_2__/* .inline */ .mG)((context.scrub ?? String)(firstLine.trim()), 300);
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
            message: `No PR comment: the event is ${event ? `"${(0,_text_escape_js__WEBPACK_IMPORTED_MODULE_2__/* .inline */ .mG)(event, 100)}"` : 'unknown'}, and ${where}.`
        };
    }
    const read = (0,_event_js__WEBPACK_IMPORTED_MODULE_0__/* .readEvent */ .j)(env.GITHUB_EVENT_PATH);
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
        listPage: async (page, perPage) => (await octokit.rest.issues.listComments({
            ...issue,
            page,
            per_page: perPage,
            request: request()
        })).data,
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
    return `PR comment ${result.action}${removed}${left}: ${(0,_text_escape_js__WEBPACK_IMPORTED_MODULE_2__/* .inline */ .mG)(result.comment.html_url)}`;
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
        timer = setTimeout(() => deadline.abort(new DOMException('The comment requests ran out of time', 'TimeoutError')), deadlineMs);
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
