// GitHub's API under /github (the action's GITHUB_API_URL): the accounts its tokens act as, the REST
// issue-comment endpoints and the GraphQL `viewer` query (for the PR comment), and the list of a
// workflow's runs (for the base branch's last successful run, a baseline); the contract suite also
// reads a repository's comments and a user (scripts/contract/checks.mjs).
import { sendJson } from './send-json.mjs'

/**
 * GitHub accounts the stand-in knows, one per token kind, each with the token that acts as it. GitHub
 * names an account by its numeric id (REST `user.id`, GraphQL `databaseId`), the same number in both.
 */
export const GITHUB_ACCOUNTS = {
  // GITHUB_TOKEN: an installation token of the GitHub Actions app. Its bot account is
  // github-actions[bot], id 41898282 (https://api.github.com/users/github-actions%5Bbot%5D).
  actions: {
    token: 'ghs_demo-github-token',
    login: 'github-actions[bot]',
    id: 41898282,
    type: 'Bot'
  },
  // An installation token of another GitHub App, "my-app": its own bot account, `my-app[bot]`.
  app: {
    token: 'ghs_demo-my-app-installation-token',
    login: 'my-app[bot]',
    id: 150123456,
    type: 'Bot'
  },
  // A personal access token: the person's own account.
  personal: {
    token: 'github_pat_demo-personal-access-token',
    login: 'octo-dev',
    id: 5837461,
    type: 'User'
  }
}
/** The login of GITHUB_TOKEN's account, as REST and GraphQL both spell it. */
export const GITHUB_LOGIN = GITHUB_ACCOUNTS.actions.login

/**
 * GitHub's side of one stand-in, answering as GitHub documents it. Like GitHub, it lets any token with
 * write access edit or delete anyone's comment: telling its own comment apart is the action's job.
 * `githubAccounts` are the tokens it accepts, each acting as its account.
 */
export function createGitHub(githubAccounts) {
  const comments = []
  let nextCommentId = 1000
  let githubFault
  let commentHtmlUrl
  /** GitHub Actions workflows and their runs (listWorkflowRuns), and a raw answer that replaces the real one. */
  const workflows = []
  const workflowRuns = []
  let workflowRunsBody
  const accountOf = (authorization) =>
    githubAccounts.find(
      (a) =>
        authorization === `token ${a.token}` ||
        authorization === `Bearer ${a.token}`
    )

  // GitHub: /github/repos/{owner}/{repo}/issues/{n}/comments and /github/repos/{owner}/{repo}/issues/comments/{id}
  function handle(req, res, url, raw) {
    if (githubFault)
      return sendJson(res, githubFault.status, {
        message: githubFault.message,
        documentation_url: 'https://docs.github.com/rest'
      })
    const account = accountOf(req.headers.authorization)
    // GitHub's answer to a token it does not know (REST and GraphQL alike).
    if (!account)
      return sendJson(res, 401, {
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
        status: '401'
      })
    if (url.pathname === '/github/graphql' && req.method === 'POST')
      return sendJson(res, 200, graphql(account, raw))
    const runsPath =
      /^\/github\/repos\/([^/]+)\/([^/]+)\/actions\/workflows\/([^/]+)\/runs$/.exec(
        url.pathname
      )
    if (runsPath && req.method === 'GET')
      return listWorkflowRuns(
        res,
        url,
        `${runsPath[1]}/${runsPath[2]}`,
        decodeURIComponent(runsPath[3])
      )
    let m
    // "List issue comments for a repository" (docs.github.com/rest/issues/comments): every issue's and
    // pull request's comments, `sort` created (default) or updated, `direction` asc (default) or desc.
    if (
      req.method === 'GET' &&
      (m = /^\/github\/repos\/([^/]+)\/([^/]+)\/issues\/comments$/.exec(
        url.pathname
      ))
    ) {
      const perPage = Math.min(
        Number(url.searchParams.get('per_page') ?? 30) || 30,
        100
      )
      const page = Math.max(Number(url.searchParams.get('page') ?? 1) || 1, 1)
      const all = comments.filter((c) => c.repo === `${m[1]}/${m[2]}`)
      if (url.searchParams.get('direction') === 'desc') all.reverse()
      return sendJson(
        res,
        200,
        all.slice((page - 1) * perPage, page * perPage).map(view)
      )
    }
    // "Get a user" (docs.github.com/rest/users/users): the same simple-user fields a comment's `user` has.
    if (
      req.method === 'GET' &&
      (m = /^\/github\/users\/([^/]+)$/.exec(url.pathname))
    ) {
      const login = decodeURIComponent(m[1])
      const known = Object.values(GITHUB_ACCOUNTS).find(
        (a) => a.login === login
      )
      return known
        ? sendJson(res, 200, restUser(known))
        : sendJson(res, 404, {
            message: 'Not Found',
            documentation_url: 'https://docs.github.com/rest',
            status: '404'
          })
    }
    if (
      (m = /^\/github\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(
        url.pathname
      ))
    ) {
      const repo = `${m[1]}/${m[2]}`
      const issue = Number(m[3])
      if (req.method === 'GET') {
        // GitHub's default page size is 30 and its largest 100; oldest first.
        const perPage = Math.min(
          Number(url.searchParams.get('per_page') ?? 30),
          100
        )
        const page = Number(url.searchParams.get('page') ?? 1)
        const all = comments.filter((c) => c.repo === repo && c.issue === issue)
        const lastPage = Math.max(1, Math.ceil(all.length / perPage))
        return sendJson(
          res,
          200,
          all.slice((page - 1) * perPage, page * perPage).map(view),
          linkHeader(url, page, lastPage, perPage)
        )
      }
      if (req.method === 'POST') {
        const body = JSON.parse(raw).body
        if (typeof body === 'string' && body.length > 65_536)
          return sendJson(res, 422, tooLong)
        const comment = {
          id: nextCommentId++,
          repo,
          issue,
          body,
          user: account
        }
        comments.push(comment)
        return sendJson(res, 201, view(comment))
      }
    }
    if (
      (m = /^\/github\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(
        url.pathname
      ))
    ) {
      const index = comments.findIndex(
        (c) => c.repo === `${m[1]}/${m[2]}` && c.id === Number(m[3])
      )
      if (index < 0)
        return sendJson(res, 404, {
          message: 'Not Found',
          documentation_url: 'https://docs.github.com/rest',
          status: '404'
        })
      if (req.method === 'PATCH') {
        const body = JSON.parse(raw).body
        if (typeof body === 'string' && body.length > 65_536)
          return sendJson(res, 422, tooLong)
        comments[index].body = body
        return sendJson(res, 200, view(comments[index]))
      }
      if (req.method === 'DELETE') {
        comments.splice(index, 1)
        res.writeHead(204)
        return res.end()
      }
    }
    sendJson(res, 404, {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest',
      status: '404'
    })
  }

  /**
   * GitHub's "List workflow runs for a workflow", `GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs`
   * (https://docs.github.com/rest/actions/workflow-runs#list-workflow-runs-for-a-workflow; the parameters
   * as github/rest-api-docs-md lists them, the answer as the `workflow-run` schema of
   * github/rest-api-description gives it): `workflow_id` is the workflow's id or its file name; `branch`
   * matches head_branch; `status` matches a run's status or its conclusion ("a conclusion can be
   * `success` or a status can be `completed`", the parameter's description in GitHub's docs, so
   * `completed` lists cancelled and skipped runs too); `event` the triggering event; per_page 30 by
   * default and at most 100, `page` from 1; newest first (by creation, as github.com answers and as
   * `gh run list` shows them); `exclude_pull_requests=true` empties each run's pull_requests. A workflow
   * GitHub does not know is a 404; a known one with no matching run is a 200 with `total_count: 0`.
   */
  function listWorkflowRuns(res, url, repo, workflowId) {
    const q = url.searchParams
    const known = workflows.find(
      (w) =>
        w.repo === repo &&
        (w.file === workflowId || String(w.id) === workflowId)
    )
    if (!known) {
      const documentation =
        'https://docs.github.com/rest/actions/workflow-runs#list-workflow-runs-for-a-workflow'
      return sendJson(res, 404, {
        message: 'Not Found',
        documentation_url: documentation,
        status: '404'
      })
    }
    if (workflowRunsBody !== undefined) {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
      return res.end(workflowRunsBody)
    }
    const perPage = Math.min(Number(q.get('per_page') ?? 30) || 30, 100)
    const page = Math.max(Number(q.get('page') ?? 1) || 1, 1)
    const matching = workflowRuns
      .filter((r) => r.workflow === known)
      .filter((r) => !q.has('branch') || r.head_branch === q.get('branch'))
      .filter(
        (r) =>
          !q.has('status') ||
          r.status === q.get('status') ||
          r.conclusion === q.get('status')
      )
      .filter((r) => !q.has('event') || r.event === q.get('event'))
      .sort((a, b) =>
        a.created_at < b.created_at
          ? 1
          : a.created_at > b.created_at
            ? -1
            : b.id - a.id
      )
    const excludePullRequests = q.get('exclude_pull_requests') === 'true'
    const runs = matching
      .slice((page - 1) * perPage, page * perPage)
      .map((r) => workflowRunView(r, excludePullRequests))
    sendJson(res, 200, { total_count: matching.length, workflow_runs: runs })
  }

  /** A workflow run as the `workflow-run` schema has it (the nested actor, head_commit and repositories trimmed to a few fields). */
  function workflowRunView(r, excludePullRequests) {
    const api = `https://api.github.com/repos/${r.workflow.repo}`
    const [owner, name] = r.workflow.repo.split('/')
    const repository = {
      id: 1296269,
      node_id: 'MDEwOlJlcG9zaXRvcnkxMjk2MjY5',
      name,
      full_name: r.workflow.repo,
      owner: { login: owner, id: 1, type: 'Organization' },
      private: false,
      html_url: `https://github.com/${r.workflow.repo}`
    }
    return {
      id: r.id,
      name: r.workflow.name,
      node_id: Buffer.from(`010:WorkflowRun${r.id}`).toString('base64'),
      check_suite_id: r.id + 1,
      check_suite_node_id: Buffer.from(`010:CheckSuite${r.id + 1}`).toString(
        'base64'
      ),
      head_branch: r.head_branch,
      head_sha: r.head_sha,
      // The workflow-run schema's `path`: the file the run ran, `.github/workflows/<file>` (GitHub's
      // example also shows `.github/workflows/build.yml@main`); `r.path` when a test registered another.
      path: r.path ?? `.github/workflows/${r.workflow.file}`,
      display_title: r.display_title,
      run_number: r.run_number,
      event: r.event,
      status: r.status,
      conclusion: r.conclusion,
      workflow_id: r.workflow.id,
      url: `${api}/actions/runs/${r.id}`,
      html_url:
        r.html_url ??
        `https://github.com/${r.workflow.repo}/actions/runs/${r.id}`,
      pull_requests: excludePullRequests ? [] : r.pull_requests,
      created_at: r.created_at,
      updated_at: r.created_at,
      actor: restUser(GITHUB_ACCOUNTS.personal),
      run_attempt: r.run_attempt,
      referenced_workflows: [],
      run_started_at: r.created_at,
      triggering_actor: restUser(GITHUB_ACCOUNTS.personal),
      jobs_url: `${api}/actions/runs/${r.id}/jobs`,
      logs_url: `${api}/actions/runs/${r.id}/logs`,
      check_suite_url: `${api}/check-suites/${r.id + 1}`,
      artifacts_url: `${api}/actions/runs/${r.id}/artifacts`,
      cancel_url: `${api}/actions/runs/${r.id}/cancel`,
      rerun_url: `${api}/actions/runs/${r.id}/rerun`,
      previous_attempt_url:
        r.run_attempt > 1
          ? `${api}/actions/runs/${r.id}/attempts/${r.run_attempt - 1}`
          : null,
      workflow_url: `${api}/actions/workflows/${r.workflow.id}`,
      head_commit: {
        id: r.head_sha,
        tree_id: r.head_sha,
        message: r.display_title,
        timestamp: r.created_at
      },
      repository,
      head_repository: repository
    }
  }

  /**
   * Registers a run of a workflow (the workflow too, the first time): `conclusion` null while it runs.
   * Fields not given take the values of a successful push to main. `path` replaces the run's `path`
   * (by default the workflow's own file), for an answer that lists a run of another workflow file: the
   * schema allows any string there, GitHub's documentation does not say when it lists such a run, and
   * the action checks it as it checks every field of an untrusted answer.
   */
  function addWorkflowRun({
    repo = 'o/r',
    workflow = 'eval.yml',
    id,
    attempt = 1,
    branch = 'main',
    sha = 'a'.repeat(40),
    event = 'push',
    status = 'completed',
    conclusion = 'success',
    createdAt = new Date().toISOString(),
    htmlUrl,
    path
  }) {
    const known = addWorkflow(workflow, repo)
    const run = {
      workflow: known,
      id,
      run_attempt: attempt,
      head_branch: branch,
      head_sha: sha,
      event,
      status,
      conclusion,
      created_at: createdAt,
      run_number: workflowRuns.length + 1,
      display_title: `Run ${id}`,
      pull_requests: [],
      html_url: htmlUrl,
      path
    }
    workflowRuns.push(run)
    return run
  }

  /** Registers a workflow file of a repository (GitHub knows it even before it has runs). */
  function addWorkflow(file, repo = 'o/r') {
    let known = workflows.find((w) => w.repo === repo && w.file === file)
    if (!known) {
      known = {
        repo,
        file,
        id: 161335 + workflows.length,
        name: file.replace(/\.ya?ml$/, '')
      }
      workflows.push(known)
    }
    return known
  }

  // GraphQL: only `viewer`, with the fields GitHub's schema gives it. The schema declares
  // `viewer: User!` and `User.databaseId: Int`, so `__typename` is "User" for every kind of token,
  // an installation token's bot included, and its login keeps the `[bot]` suffix.
  function graphql(account, raw) {
    const query = String(JSON.parse(raw || '{}').query ?? '')
    const selection = /\bviewer\s*\{([^{}]*)\}/.exec(query)
    if (!selection)
      return {
        errors: [{ message: 'The stand-in answers only the viewer query' }]
      }
    const fields = {
      __typename: 'User',
      login: account.login,
      databaseId: account.id,
      id: nodeId(account)
    }
    const viewer = {}
    for (const name of selection[1].split(/[\s,]+/).filter(Boolean)) {
      if (!(name in fields)) {
        // GitHub's answer to a field the type does not have (HTTP 200, an `errors` list, no data).
        const extensions = {
          code: 'undefinedField',
          typeName: 'User',
          fieldName: name
        }
        return {
          errors: [
            {
              path: ['query', 'viewer', name],
              extensions,
              message: `Field '${name}' doesn't exist on type 'User'`
            }
          ]
        }
      }
      viewer[name] = fields[name]
    }
    return { data: { viewer } }
  }

  const nodeId = (account) =>
    Buffer.from(
      `${account.type === 'Bot' ? '03:Bot' : '04:User'}${account.id}`
    ).toString('base64')
  // REST: a comment's `user` is a simple-user (the issue-comment schema); a bot's html_url is its App's page.
  const restUser = (account) => ({
    login: account.login,
    id: account.id,
    node_id: nodeId(account),
    avatar_url: `https://avatars.githubusercontent.com/u/${account.id}?v=4`,
    url: `https://api.github.com/users/${encodeURIComponent(account.login)}`,
    html_url:
      account.type === 'Bot'
        ? `https://github.com/apps/${account.login.replace(/\[bot\]$/, '')}`
        : `https://github.com/${account.login}`,
    type: account.type,
    site_admin: false
  })
  const view = (c) => ({
    url: `https://api.github.com/repos/${c.repo}/issues/comments/${c.id}`,
    html_url:
      commentHtmlUrl ??
      `https://github.com/${c.repo}/pull/${c.issue}#issuecomment-${c.id}`,
    issue_url: `https://api.github.com/repos/${c.repo}/issues/${c.issue}`,
    id: c.id,
    node_id: Buffer.from(`012:IssueComment${c.id}`).toString('base64'),
    user: restUser(c.user),
    created_at: '2026-11-25T09:31:00Z',
    updated_at: '2026-11-25T09:31:00Z',
    author_association: 'NONE',
    body: c.body
  })
  /**
   * GitHub's pagination header (https://docs.github.com/rest/using-the-rest-api/using-pagination-in-the-rest-api):
   * `Link: <…?per_page=100&page=2>; rel="next", <…&page=50>; rel="last"`, with `prev` and `first` past
   * page 1; none when everything fits on one page.
   */
  function linkHeader(url, page, lastPage, perPage) {
    if (lastPage <= 1) return {}
    const at = (n) =>
      `<https://api.github.com${url.pathname.replace(/^\/github/, '')}?per_page=${perPage}&page=${n}>`
    const links = []
    if (page > 1) links.push(`${at(page - 1)}; rel="prev"`)
    if (page < lastPage) links.push(`${at(page + 1)}; rel="next"`)
    if (page < lastPage) links.push(`${at(lastPage)}; rel="last"`)
    if (page > 1) links.push(`${at(1)}; rel="first"`)
    return { link: links.join(', ') }
  }
  // GitHub's answer to a body over 65,536 characters.
  const tooLong = {
    message: 'Validation Failed',
    errors: [
      {
        resource: 'IssueComment',
        code: 'custom',
        field: 'body',
        message: 'body is too long (maximum is 65536 characters)'
      }
    ],
    documentation_url:
      'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
    status: '422'
  }

  return {
    handle,
    comments,
    /** Adds a comment as any account (a person, another App's bot, a look-alike) to the PR `repo`#`issue`. */
    addComment(issue, body, user, repo = 'o/r') {
      const comment = { id: nextCommentId++, repo, issue, body, user }
      comments.push(comment)
      return comment
    },
    /** From now on every comment's html_url is `url` (a hostile server's answer); undefined: GitHub's own. */
    setCommentHtmlUrl(url) {
      commentHtmlUrl = url
    },
    /** From now on every GitHub request gets this error status and message; undefined: answer normally. */
    setGithubFault(fault) {
      githubFault = fault
    },
    addWorkflow,
    addWorkflowRun,
    /** From now on the runs list answers this text (a hostile or broken server); undefined: the real answer. */
    setWorkflowRunsBody(body) {
      workflowRunsBody = body
    }
  }
}
