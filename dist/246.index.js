export const id = 246;
export const ids = [246];
export const modules = {

/***/ 2246:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   postComment: () => (/* binding */ postComment)
/* harmony export */ });
/* unused harmony exports MAX_COMMENT_CHARS, marker, hasMarker, commentBody, writtenBy, findMarked, syncComment, explainFailure, octokitCommentApi */
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2413);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _report_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(665);
// The sticky PR comment (issue #4): find ours by a hidden marker among the token's own comments,
// update it or create one, and remove extra copies a race left behind. Best effort: every failure is
// one warning, and the gate's result stands. This module (and Octokit with it) is imported only when a
// comment is to be written.



/** GitHub rejects a comment body over 65,536 characters. */
const MAX_COMMENT_CHARS = 65_536;
const PER_PAGE = 100;
/** Bounds the listing of a PR with an absurd number of comments: 50 pages of 100. */
const MAX_PAGES = 50;
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
    const report = (0,_report_js__WEBPACK_IMPORTED_MODULE_2__/* .truncateMarkdown */ .o4)(markdown, MAX_COMMENT_CHARS - tag.length, 'The report was shortened to fit in a comment; the job summary has all of it.');
    return `${report}${tag}`;
}
/**
 * Is this comment written by the token's account? GraphQL names a GitHub App's bot `name`, REST
 * names it `name[bot]`; the account type must agree, so a user who shares a bot's name never matches.
 */
function writtenBy(comment, account) {
    const user = comment.user;
    if (!user)
        return false;
    const bare = (login) => login.toLowerCase().replace(/\[bot\]$/, '');
    const type = user.type ?? (user.login.endsWith('[bot]') ? 'Bot' : 'User');
    return type === account.type && bare(user.login) === bare(account.login);
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
 * removing the extra ones we wrote, should two runs have raced), or create it.
 */
async function syncComment(api, mode, key, markdown) {
    const body = commentBody(markdown, key);
    if (mode === 'new')
        return { comment: await api.create(body), action: 'created', removed: [] };
    const marked = await findMarked(api, key);
    if (marked.length === 0)
        return { comment: await api.create(body), action: 'created', removed: [] };
    // Asked only when there is a marked comment to edit: no REST endpoint tells an installation token
    // (GITHUB_TOKEN) its own account, and we must never edit anyone else's comment.
    const account = await api.viewer();
    const ours = marked.filter((c) => writtenBy(c, account));
    const [keep, ...extra] = ours;
    if (!keep)
        return { comment: await api.create(body), action: 'created', removed: [] };
    let comment = keep;
    let action = 'unchanged';
    if (keep.body !== body) {
        comment = await api.update(keep.id, body);
        action = 'updated';
    }
    for (const c of extra)
        await api.remove(c.id);
    return { comment, action, removed: extra.map((c) => c.id) };
}
/** One line for a failed GitHub call: what went wrong and what fixes it. */
function explainFailure(error, forkPr) {
    const e = (typeof error === 'object' && error !== null ? error : {});
    const timedOut = [e.name, e.cause?.name].some((name) => name === 'TimeoutError' || name === 'AbortError');
    // Octokit reports an aborted request as status 500; say what happened instead.
    const status = typeof e.status === 'number' && !timedOut ? e.status : undefined;
    let text;
    try {
        text = typeof e.message === 'string' ? e.message : String(error);
    }
    catch {
        text = 'an unreadable error';
    }
    const message = timedOut ? 'no answer in time (request-timeout)' : text.split('\n')[0].slice(0, 300);
    const prefix = `Could not write the PR comment (${status ? `HTTP ${status}: ` : ''}${message})`;
    if (/rate limit/i.test(message)) {
        return `${prefix}. GitHub's API rate limit for this token is used up; the next run will write the comment. The gate's result stands.`;
    }
    if (status === 403 || status === 401 || /not accessible by integration/i.test(message)) {
        return forkPr
            ? `${prefix}. This pull request comes from a fork, so GitHub gives the workflow a read-only token. Post the report from a separate workflow_run workflow that uses the "markdown" output (see the README). The gate's result stands.`
            : `${prefix}. The token may not write comments: grant "permissions: pull-requests: write" to the job, or pass a github-token that can. The gate's result stands.`;
    }
    if (status === 404) {
        return `${prefix}. The pull request was not found or the token cannot see it: check github-token and "permissions: pull-requests: write". The gate's result stands.`;
    }
    return `${prefix}. The gate's result stands.`;
}
function readEvent(env) {
    if (!env.GITHUB_EVENT_PATH)
        return {};
    try {
        return JSON.parse((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)(env.GITHUB_EVENT_PATH, 'utf8'));
    }
    catch {
        return {};
    }
}
/** The issue-comment endpoints through Octokit, each request bounded by `timeoutMs`. */
function octokitCommentApi(token, owner, repo, issueNumber, timeoutMs) {
    const octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(token);
    const request = () => ({ signal: AbortSignal.timeout(timeoutMs) });
    const base = { owner, repo };
    return {
        listPage: async (page, perPage) => (await octokit.rest.issues.listComments({ ...base, issue_number: issueNumber, page, per_page: perPage, request: request() })).data,
        viewer: async () => {
            const data = await octokit.graphql('query { viewer { login __typename } }', { request: request() });
            return { login: data.viewer.login, type: data.viewer.__typename };
        },
        create: async (body) => (await octokit.rest.issues.createComment({ ...base, issue_number: issueNumber, body, request: request() })).data,
        update: async (id, body) => (await octokit.rest.issues.updateComment({ ...base, comment_id: id, body, request: request() })).data,
        remove: async (id) => {
            await octokit.rest.issues.deleteComment({ ...base, comment_id: id, request: request() });
        }
    };
}
/** Writes the comment when the event is a pull request; never throws. */
async function postComment(req) {
    if (req.mode === 'off')
        return undefined;
    const event = req.env.GITHUB_EVENT_NAME ?? '';
    if (!COMMENT_EVENTS.has(event)) {
        req.info(`No PR comment: the event is ${event ? `"${event}"` : 'unknown'}, and comments are written on pull_request and pull_request_target events.`);
        return undefined;
    }
    const payload = readEvent(req.env);
    const number = payload.pull_request?.number ?? payload.number;
    const [owner, repo] = (req.env.GITHUB_REPOSITORY ?? '').split('/');
    if (!number || !owner || !repo) {
        req.warn('No PR comment: the pull request number or the repository could not be read from the event (GITHUB_EVENT_PATH, GITHUB_REPOSITORY).');
        return undefined;
    }
    // A fork that has since been deleted leaves head.repo null: still a fork.
    const headRepo = payload.pull_request?.head?.repo;
    const forkPr = headRepo === null || Boolean(headRepo?.full_name && headRepo.full_name !== payload.pull_request?.base?.repo?.full_name);
    try {
        const api = (req.makeApi ?? octokitCommentApi)(req.githubToken, owner, repo, number, req.timeoutMs ?? 30_000);
        const result = await syncComment(api, req.mode, req.key, req.markdown);
        const extra = result.removed.length > 0 ? ` and removed ${result.removed.length} duplicate${result.removed.length > 1 ? 's' : ''}` : '';
        req.info(`PR comment ${result.action}${extra}: ${result.comment.html_url}`);
        return { id: result.comment.id, url: result.comment.html_url };
    }
    catch (error) {
        req.warn(explainFailure(error, forkPr));
        return undefined;
    }
}


/***/ })

};
