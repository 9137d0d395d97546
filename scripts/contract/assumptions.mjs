// The contract: every assumption about Cloudflare's and GitHub's APIs that the stand-in
// (scripts/stand-in.mjs) encodes and the action relies on, one row each. `statement` is what must
// hold; `source` is where the belief comes from; `standIn` names the stand-in behaviour (and so the
// tests) that would be wrong if the statement were. The check of each row is in checks.mjs under the
// same id; docs/contract.md explains each row for people.

/** @type {ReadonlyArray<import('../contract.d.mts').Assumption>} */
export const ASSUMPTIONS = [
  // The log detail, GET /accounts/{account}/ai-gateway/gateways/{gateway}/logs/{id}.
  {
    id: 'detail.envelope',
    statement:
      'The log detail answers 200 with the v4 envelope {success: true, errors: [], messages: [], result} and the log as `result`, its `id` the one asked for.',
    source:
      'OpenAPI: "Get Gateway Log Detail" (aig-config-get-gateway-log-detail); the v4 envelope of every Cloudflare API answer.',
    standIn: 'cloudflare.mjs: a registered log is answered in that envelope.'
  },
  {
    id: 'detail.fields',
    statement:
      "The log detail's `result` has the LogDetail fields with their types: id, created_at, provider, model, path, duration, success, cached, tokens_in and tokens_out always (tokens may be null), the other 15 absent, null or of their type; nothing required is missing.",
    source: 'OpenAPI: the LogDetail schema (25 properties, 10 required).',
    standIn:
      'cloudflare-samples.mjs (BASE_LOG), cloudflare-runs.mjs and cloudflare-gateway.mjs: every log has the 25 fields; src/cloudflare/log.ts checks them at run time.'
  },
  {
    id: 'detail.duration-ms',
    statement:
      "`duration` is a whole number of milliseconds: for a call whose round trip the client timed, it lies between 1 and the client's time (plus a second of slack), and is not that time in seconds.",
    source:
      'OpenAPI types `duration` as an integer and states no unit (the extract notes "presumably milliseconds; unverified").',
    standIn:
      'Every sample and run has durations in ms (812, 9400); `max-duration: 2s` is compared as 2000.'
  },
  {
    id: 'detail.unknown-log',
    statement:
      'A log id the gateway does not have is answered 404 in the failure envelope (AigError404; the stand-in uses code 7002 "Not Found"), not 400 nor 200.',
    source: "OpenAPI: the detail's 404, AigError404 (example code 7002).",
    standIn:
      'cloudflare-scenarios.mjs (notFound): the action waits for a late log while it gets 404.'
  },
  {
    id: 'auth.refused',
    statement:
      'A token the API does not accept is answered 401 or 403 with success false and an errors list.',
    source:
      'The v4 failure envelope; 403 with code 10000 "Authentication error" as commonly reported for a rejected token (unverified). The action names the missing permission on 401 and 403 alike.',
    standIn:
      'cloudflare.mjs: a wrong token is answered 403 with code 10000 "Authentication error".'
  },
  // The list endpoint, GET /accounts/{account}/ai-gateway/gateways/{gateway}/logs.
  {
    id: 'list.per-page-50',
    statement:
      'The list answers per_page=50 with 200, `result` a list of at most 50 rows and `result_info` holding page, per_page (50), count and total_count as numbers.',
    source: 'OpenAPI: per_page 1..50 (default 20), LogListResultInfo.',
    standIn:
      'cloudflare-list.mjs (listLogs): the action reads 50 rows a page and trusts total_count.'
  },
  {
    id: 'list.per-page-51-refused',
    statement:
      'The list refuses per_page=51 with 400 in the failure envelope (third parties saw code 7001), rather than capping it.',
    source:
      "OpenAPI: per_page maximum 50; third parties' probes of the live API (400, code 7001).",
    standIn:
      'cloudflare-list.mjs (badRequest); src/cloudflare/query.ts never asks for more than 50.'
  },
  {
    id: 'list.rows',
    statement:
      "List rows have the 19 LogListItem fields and not the detail's 6 heads and sizes (request_head, request_size, …).",
    source: 'OpenAPI: LogListItem (19 properties) against LogDetail (25).',
    standIn:
      'cloudflare-list.mjs (listRow drops DETAIL_ONLY_FIELDS); the action reads run rows from the list alone.'
  },
  {
    id: 'list.filters-json',
    statement:
      '`filters` sent as ONE query parameter holding a URL-encoded JSON array is honoured: a filter that matches no log answers total_count 0 while the gateway has logs.',
    source:
      'cloudflare-typescript issue #2723 (the JSON form works); OpenAPI leaves the serialization unstated.',
    standIn:
      'cloudflare-list.mjs (readFilters); src/cloudflare/query.ts sends only this form.'
  },
  {
    id: 'list.filters-flattened-ignored',
    statement:
      'The flattened form the official SDKs send (`filters.key=…&filters.operator=…&filters.value=…`) is silently ignored: it answers every log, as if there were no filter.',
    source: 'cloudflare-typescript issue #2723.',
    standIn:
      'cloudflare-list.mjs (readFilters ignores anything but one JSON array), so a test that sent the flattened form would read every log.'
  },
  {
    id: 'list.total-count-filtered',
    statement:
      "`result_info.total_count` counts the logs the filters match, not the gateway's logs.",
    source:
      "OpenAPI: LogListResultInfo.total_count (meaning unstated); third parties' probes.",
    standIn:
      'cloudflare-list.mjs (totalCount: matching.length); the action proves completeness with it and stops over max-logs on page 1.'
  },
  {
    id: 'list.value-array-or',
    statement:
      "Several values in one filter's `value` array mean OR: `id eq [a, b]` matches both logs.",
    source:
      "OpenAPI: LogFilter.value is an array (its meaning unstated); third parties' probes.",
    standIn:
      "cloudflare-list.mjs (passes: any value may match); users' `filters` input passes arrays through."
  },
  {
    id: 'list.metadata-independent',
    statement:
      'The `metadata.key` and `metadata.value` filters match independently across the whole metadata: {"run": R, "note": N} matches `metadata.key eq run` with `metadata.value eq N`.',
    source: "Third parties' probes of the live API (contested).",
    standIn:
      'cloudflare-list.mjs (passes: each filter looks at the whole map); src/sources/match.ts re-checks every row (harmless if pairs match).'
  },
  {
    id: 'list.created-at-seconds',
    statement:
      '`created_at` filters compare at whole seconds: a log at 12.345 s is `gt` 11 s and `lt` 13 s but not `gt` 12 s.',
    source: "Third parties' probes of the live API (contested).",
    standIn:
      "cloudflare-list.mjs (wholeSeconds); src/cloudflare/query.ts widens the window's bounds to whole seconds and re-checks rows."
  },
  {
    id: 'list.order-by-values',
    statement:
      "Every value of order_by's enum (created_at, provider, model, model_type, success, cached) is accepted.",
    source: "OpenAPI: the list's order_by enum.",
    standIn: 'cloudflare-list.mjs (ORDER_BY).'
  },
  {
    id: 'list.order-by-unknown-refused',
    statement:
      'An order_by outside the enum (`cost`, which only the delete endpoint takes) is refused with 400.',
    source:
      "OpenAPI: the list's enum leaves out cost, tokens_in, tokens_out, duration and feedback.",
    standIn: 'cloudflare-list.mjs (badRequest for an unknown order_by).'
  },
  {
    id: 'list.order-created-at-asc',
    statement:
      '`order_by=created_at&order_by_direction=asc` lists the oldest first: seeded calls come back in the order they were made.',
    source: 'OpenAPI: order_by, order_by_direction.',
    standIn:
      'cloudflare-list.mjs (the sort); the action reads ascending so pages stay stable while calls land.'
  },
  {
    id: 'list.order-default-desc',
    statement: 'Without order parameters the list is newest first.',
    source:
      'OpenAPI: order_by default created_at, order_by_direction default desc.',
    standIn: 'cloudflare-list.mjs (direction defaults to desc).'
  },
  {
    id: 'list.unknown-gateway',
    statement:
      'The list of a gateway that does not exist answers 200 with no rows and total_count 0, not 404.',
    source: "Third parties' probes of the live API.",
    standIn:
      'cloudflare-list.mjs (a gateway with no logs); the action\'s "No calls found" error names a wrong gateway among the causes.'
  },
  {
    id: 'logging-state.shape',
    statement:
      '`GET /accounts/{account}/ai-gateway/logging-state` answers 200 with `result` an object whose `platform` is "legacy" or "workers_observability" (and a boolean `migration_available`).',
    source:
      'Cloudflare\'s generated clients ("returns the canonical logging platform and migration availability"); one report of `workers_observability`. Undocumented.',
    standIn:
      'cloudflare-samples.mjs (LOGGING_STATES); src/cloudflare/gateway.ts (parseLoggingPlatform) reads a platform-like key.'
  },
  {
    id: 'list.observability-account',
    statement:
      'For an account whose logging-state says Workers Observability, the list answers 200 with no rows: the logs API holds nothing for it.',
    source:
      'AI Gateway docs: accounts created on or after 2026-09-24 use "Logs powered by Workers Observability"; this API is documented as Legacy Logs (contested: what it answers there).',
    standIn:
      "None: the stand-in serves every account as legacy logs; the action's not-found error asks logging-state instead."
  },
  {
    id: 'rate-limit.429',
    statement:
      'Past the rate limit the API answers 429 with the failure envelope (code 971) and a `Retry-After` in whole seconds.',
    source:
      'Cloudflare API docs ("Rate limits": 1200 requests per 5 minutes per user, then 429 for 5 minutes); code 971 as third parties saw it.',
    standIn:
      'cloudflare.mjs (setRateLimit) and cloudflare-scenarios.mjs (rate-limited-*): the action honours Retry-After and fails at once past 60 s.'
  },
  {
    id: 'log.created-at-call-time',
    statement:
      "A log's `created_at` is the time of its call (within 5 s of when the client sent it), though the log is written a moment later.",
    source:
      'AI Gateway "Logging" docs; third parties\' observations of late logs.',
    standIn:
      "cloudflare-runs.mjs (late logs keep their call's time) and cloudflare-gateway.mjs; the action re-reads pages for late logs."
  },
  // GitHub.
  {
    id: 'github.viewer-database-id',
    statement:
      "GraphQL `query { viewer { databaseId login } }` answers the token's account with a positive whole `databaseId`, for an installation token (GITHUB_TOKEN) too.",
    source: 'GitHub GraphQL schema (`viewer: User!`, `User.databaseId: Int`).',
    standIn:
      "github.mjs (graphql): the sticky comment is recognised by its author's id."
  },
  {
    id: 'github.comment-user-id',
    statement:
      "A comment's `user.id` (REST) is the same number as that account's GraphQL `databaseId` (checked on a comment by the token's account, else on `GET /users/{login}`).",
    source:
      'GitHub REST "issue comment" schema (`user`: simple-user) and the GraphQL schema.',
    standIn:
      "github.mjs (restUser and graphql use one id per account); src/github/comment.ts edits only comments whose user.id is the viewer's."
  },
  {
    id: 'github.workflow-runs-filters',
    statement:
      '`GET /repos/{owner}/{repo}/actions/workflows/{file}/runs?branch=B&status=success` lists only runs of branch B whose conclusion is success, newest first, as {total_count, workflow_runs}.',
    source:
      'GitHub REST "List workflow runs for a workflow" (`status` takes a conclusion).',
    standIn:
      'github.mjs (listWorkflowRuns); `baseline: base-branch` asks exactly this with per_page=1.'
  },
  // The GraphQL Analytics API (POST /client/v4/graphql), for the analytics source. Every statement about
  // it, graded by its source, is in scripts/stand-in/cloudflare-analytics-assumptions.mjs; these rows are
  // the ones a read-only query can check.
  {
    id: 'analytics.settings-node',
    statement:
      '`viewer { accounts(filter: {accountTag}) { settings { aiGatewayRequestsAdaptiveGroups { enabled availableFields maxDuration notOlderThan maxPageSize } } } }` answers HTTP 200, `errors` null, a boolean `enabled`, `availableFields` a list of strings with nested fields as underscore paths (`sum_cost`), and whole seconds and a whole page size.',
    source:
      'Cloudflare GraphQL Analytics API docs, "Settings node" and "Error responses" (errors is null when there are none).',
    standIn:
      "cloudflare-analytics.mjs (settingsNode): the action's preflight reads it before any dataset query."
  },
  {
    id: 'analytics.errors-http-200',
    statement:
      'A refused query (a limit over maxPageSize) is answered HTTP 200 with `data` null and `errors` a list of objects with a string `message`.',
    source:
      'Cloudflare GraphQL Analytics API docs, "Error responses" (a 200 can carry errors; its list of messages also marks limit errors HTTP 400: contested).',
    standIn:
      'cloudflare-analytics.mjs (Refusal, errorBody); setGraphqlRefusalStatus(400) answers the other reading.'
  },
  {
    id: 'analytics.no-cursors',
    statement:
      'The dataset has no cursor: asking it for `cursor` or `pageInfo` is refused with `errors`, so a client pages with orderBy and a filter on the last value.',
    source: 'Cloudflare GraphQL Analytics API docs, "Pagination".',
    standIn:
      'cloudflare-analytics.mjs answers limit and orderBy only; the action pages histograms with `<dimension>_gt`.'
  },
  {
    id: 'analytics.confidence-shape',
    statement:
      '`confidence(level: 0.95) { count { estimate lower upper sampleSize } }` on the dataset answers numbers with lower <= estimate <= upper and sampleSize <= estimate (equal when unsampled).',
    source:
      'Cloudflare GraphQL Analytics API docs, "Confidence Intervals" and "Sampling".',
    standIn:
      'cloudflare-analytics.mjs (render): exact when unsampled, a normal approximation when a gateway samples.'
  },
  {
    id: 'analytics.fields',
    statement:
      'The dataset has the sum fields, dimensions and filters third parties saw live (cost, erroredRequests, cachedRequests, tokensIn, tokensOut; model, provider, durationMs, date; metadataValues_has), for an account with AI Gateway traffic.',
    source:
      "Third parties' published queries of the live API; the graded list is scripts/stand-in/cloudflare-analytics-assumptions.mjs.",
    standIn:
      'cloudflare-analytics.mjs (SUM_FIELDS, DIMENSIONS, readFilter): anything else is an unknown field.'
  }
]
