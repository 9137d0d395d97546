// Every statement about Cloudflare's GraphQL Analytics API (the AI Gateway dataset) that the stand-in
// (cloudflare-analytics.mjs, cloudflare-analytics-calls.mjs) encodes, in one table, graded by where it
// comes from, so that a check against a real account can confirm or refute each one:
// - documented: Cloudflare's docs say so (the page is the source);
// - seen-live: third parties published queries or answers of the live API; not promised by the docs;
// - open: nobody knows yet; the stand-in picks one answer and says which;
// - inferred: we concluded it from documented behaviour of other datasets or from the rest of the table;
// - assumed: the stand-in needs an answer and no evidence gives one (wording of messages, mostly).
// The stand-in's code names a row by its id in brackets; the contract suite (scripts/contract/) checks
// the rows it can against the stand-in, and against a real account when one is configured.

const DOCS = 'https://developers.cloudflare.com/analytics/graphql-api'
const THIRD_PARTIES =
  "third parties' published queries and answers of the live API (not in Cloudflare's docs)"

/** @type {ReadonlyArray<{id: string, grade: 'documented'|'seen-live'|'open'|'inferred'|'assumed', statement: string, source: string, standIn: string}>} */
export const ANALYTICS_ASSUMPTIONS = [
  {
    id: 'analytics.endpoint',
    grade: 'documented',
    statement:
      'Queries are `POST /client/v4/graphql` with a JSON body `{query, variables}` and the same Bearer token as the REST API.',
    source: `${DOCS}/getting-started/execute-graphql-query/`,
    standIn:
      'cloudflare.mjs routes POST /client/v4/graphql to cloudflare-analytics.mjs (handle).'
  },
  {
    id: 'analytics.dataset-node',
    grade: 'documented',
    statement:
      'The dataset is `viewer { accounts(filter: {accountTag}) { aiGatewayRequestsAdaptiveGroups(limit, filter, orderBy) { count dimensions {...} } } }`.',
    source:
      'https://developers.cloudflare.com/ai-gateway/observability/analytics/ (GraphQL example); the dataset list of the GraphQL Analytics API.',
    standIn: 'cloudflare-analytics.mjs (viewer, account, dataset).'
  },
  {
    id: 'analytics.settings-node',
    grade: 'documented',
    statement:
      '`settings { aiGatewayRequestsAdaptiveGroups { enabled availableFields maxDuration notOlderThan maxPageSize maxNumberOfFields } }` under the account; maxDuration and notOlderThan in seconds.',
    source: `${DOCS}/features/discovery/settings/`,
    standIn:
      'cloudflare-analytics.mjs (settingsNode); per account (settingsOf).'
  },
  {
    id: 'analytics.available-fields-paths',
    grade: 'documented',
    statement:
      'availableFields lists nested fields as paths joined by underscores (`sum_cost`, `dimensions_durationMs`); `confidence` is listed as one path.',
    source: `${DOCS}/features/discovery/settings/ ("If it is a nested field, the path will be returned, like sum_requests"); \`confidence\` as one entry is inferred.`,
    standIn: 'cloudflare-analytics.mjs (allAvailableFields).'
  },
  {
    id: 'analytics.errors-shape',
    grade: 'documented',
    statement:
      'Answers are `{data, errors}`: `errors` is null on success, else a list of `{message, path, extensions: {timestamp}}` with `data` null (or partial); no numeric error codes. Documented messages the stand-in uses: "cannot request data older than Ns", "number of fields can\'t be more than N", "limit must be positive number and not greater than N", "query time range is too large…", "does not have access to the path…", "error parsing args…", "scalar fields must have not selections".',
    source: `${DOCS}/errors/`,
    standIn:
      'cloudflare-analytics.mjs (errorBody, Refusal); the text after the documented prefixes is assumed.'
  },
  {
    id: 'analytics.refusal-status',
    grade: 'open',
    statement:
      "Refusals (limits, parse errors, entitlements) come with HTTP 200. The docs' example and intro say a 200 can carry errors; the current page's list of messages marks the limits and parse errors HTTP 400 and entitlements 403.",
    source: `${DOCS}/errors/ (both readings on one page)`,
    standIn:
      'cloudflare-analytics.mjs: 200 by default; setGraphqlRefusalStatus(400) answers every refusal 400, so a client can be tested on both.'
  },
  {
    id: 'analytics.auth-401',
    grade: 'documented',
    statement:
      'A token the API does not accept is answered HTTP 401 with an `errors` list ("Unauthorized"), not the REST failure envelope.',
    source: `${DOCS}/errors/ (its list of messages: 401 "Unauthorized"); the body's exact shape is assumed.`,
    standIn:
      'cloudflare-analytics.mjs (handle): 401, data null, errors [{message: "Unauthorized"}].'
  },
  {
    id: 'analytics.token-permission',
    grade: 'documented',
    statement: 'The token needs Account Analytics Read on the account.',
    source: `${DOCS}/getting-started/authentication/api-token-auth/`,
    standIn: 'Not modelled: the stand-in has one token, allowed everything.'
  },
  {
    id: 'analytics.zero-rows-without-permission',
    grade: 'seen-live',
    statement:
      'A token without AI Gateway Read may get zero rows rather than an error.',
    source: THIRD_PARTIES,
    standIn:
      'Shaped like a gateway with no registered calls: an empty list, no error (what the action must read as "no calls found").'
  },
  {
    id: 'analytics.no-cursors',
    grade: 'documented',
    statement:
      'There are no cursors: a client pages with `orderBy` and a filter on the last value it read.',
    source: `${DOCS}/features/pagination/`,
    standIn:
      'cloudflare-analytics.mjs answers no cursor or page info; limit and orderBy only.'
  },
  {
    id: 'analytics.paging-gt-inferred',
    grade: 'inferred',
    statement:
      '`durationMs`, `cost`, `tokensIn`, `tokensOut` and `date` take `_gt` and `_geq` filters, so that a histogram can be paged on the last value.',
    source: `${DOCS}/features/pagination/ and ${DOCS}/features/filtering/ (operators on other datasets' dimensions); not seen for this dataset.`,
    standIn: 'cloudflare-analytics.mjs (readFilter, PAGED).'
  },
  {
    id: 'analytics.rate-limit-300',
    grade: 'documented',
    statement:
      '300 GraphQL queries per 5 minutes per user; past it, "rate limiter budget depleted, try again after 5 minutes".',
    source: `${DOCS}/limits/ and ${DOCS}/errors/; HTTP 429 from the errors page's list.`,
    standIn:
      'cloudflare-analytics.mjs (setGraphqlRateLimit): off unless a test turns it on.'
  },
  {
    id: 'analytics.confidence',
    grade: 'documented',
    statement:
      '`confidence(level: 0.95)` gives `{estimate lower upper sampleSize}` for `count` and for each `sum` field.',
    source: `${DOCS}/features/confidence-intervals/`,
    standIn:
      'cloudflare-analytics.mjs (render): exact (lower = upper = estimate, sampleSize = count) when unsampled; a normal approximation when sampled (the method is assumed).'
  },
  {
    id: 'analytics.sampling',
    grade: 'documented',
    statement:
      'Adaptive datasets may sample: counts and sums are then estimates scaled from a sample (sampleSize below the estimate).',
    source: `${DOCS}/sampling/`,
    standIn:
      'cloudflare-analytics.mjs (aggregate): a gateway with sampleRate 1/k keeps every k-th call and multiplies by k.'
  },
  {
    id: 'analytics.sum-fields',
    grade: 'seen-live',
    statement:
      '`sum { cost cachedRequests erroredRequests cachedTokensIn cachedTokensOut uncachedTokensIn uncachedTokensOut }`, later also `tokensIn tokensOut`.',
    source: THIRD_PARTIES,
    standIn:
      'cloudflare-analytics.mjs (SUM_FIELDS); any other sum field is an unknown field.'
  },
  {
    id: 'analytics.dimensions',
    grade: 'seen-live',
    statement:
      'Dimensions `model provider gateway statusCode cached error durationMs cost tokensIn tokensOut date datetime datetimeHour datetimeMinute` (and metadata fields).',
    source: THIRD_PARTIES,
    standIn:
      'cloudflare-analytics.mjs (DIMENSIONS); metadata dimensions are not answered (their names are not known).'
  },
  {
    id: 'analytics.filters',
    grade: 'seen-live',
    statement:
      'Filters `gateway`, `datetime_geq`, `datetime_leq`, `datetime_lt`, `statusCode_geq`, `error`, `metadataValues_has`, `metadataKeys_has`, combined with `AND: [...]`; no key=value metadata filter.',
    source: `${THIRD_PARTIES}; AND from ${DOCS}/features/filtering/.`,
    standIn:
      'cloudflare-analytics.mjs (readFilter): anything else is "error parsing args: unknown field".'
  },
  {
    id: 'analytics.order-by',
    grade: 'inferred',
    statement:
      'orderBy takes `<dimension>_ASC`/`_DESC` of an asked dimension, `count_DESC` and `sum_cost_DESC`.',
    source: `${DOCS}/features/sorting/ (the naming of other datasets' orderBy values).`,
    standIn: 'cloudflare-analytics.mjs (readOrder): other values are refused.'
  },
  {
    id: 'analytics.no-quantiles-avg',
    grade: 'seen-live',
    statement: 'The dataset has no `quantiles` and no `avg` node.',
    source: THIRD_PARTIES,
    standIn: 'cloudflare-analytics.mjs: both are unknown fields.'
  },
  {
    id: 'analytics.limits',
    grade: 'seen-live',
    statement:
      'maxDuration 32 days (2764800 s), notOlderThan 62 days (5356800 s), maxPageSize 10000, at most 30 fields a query.',
    source: `${THIRD_PARTIES} (the settings node of an account).`,
    standIn:
      'cloudflare-analytics-calls.mjs (gatewayOptions defaults; maxDurationS and notOlderThanS overridable per account); MAX_PAGE_SIZE, MAX_NUMBER_OF_FIELDS.'
  },
  {
    id: 'analytics.max-fields-30',
    grade: 'inferred',
    statement:
      "The 30 fields are counted as availableFields' paths: `count`, each `sum_*`, each `dimensions_*`, and `confidence` once.",
    source: `${DOCS}/limits/ (maxNumberOfFields) with the paths of ${DOCS}/features/discovery/settings/.`,
    standIn: 'cloudflare-analytics.mjs (dataset: plan.used.size).'
  },
  {
    id: 'analytics.unentitled-whole-query',
    grade: 'seen-live',
    statement:
      'One field the account is not entitled to fails the whole query ("does not have access to the path…").',
    source: `${THIRD_PARTIES}; the message from ${DOCS}/errors/.`,
    standIn:
      'cloudflare-analytics.mjs (dataset): option `unentitled`; settings leave those fields out.'
  },
  {
    id: 'analytics.disabled-assumed',
    grade: 'assumed',
    statement:
      'A query on a dataset whose settings say `enabled: false` is refused with "does not have access to the path".',
    source: `${DOCS}/features/discovery/settings/ documents \`enabled\`; the refusal's wording is assumed.`,
    standIn: 'cloudflare-analytics.mjs (dataset): option `enabled: false`.'
  },
  {
    id: 'analytics.lag',
    grade: 'seen-live',
    statement: 'Events reach the dataset 139 to 365 s after the call.',
    source: THIRD_PARTIES,
    standIn:
      'cloudflare-analytics.mjs (aggregate): option `lagMs` hides calls newer than now - lagMs (default 0: no lag unless a test asks).'
  },
  {
    id: 'analytics.datetime-seconds',
    grade: 'inferred',
    statement:
      'Times are RFC 3339 strings; `datetime` is at whole seconds, and the datetime filters compare at whole seconds.',
    source: `${DOCS}/features/filtering/ (Time values of other datasets).`,
    standIn:
      'cloudflare-analytics-calls.mjs (callTimeMs) and cloudflare-analytics.mjs (readFilter).'
  },
  {
    id: 'analytics.error-dimension',
    grade: 'assumed',
    statement:
      '`error` is a boolean (true for a call answered with an HTTP status of 400 or more), as a dimension and as a filter; erroredRequests counts those calls.',
    source: 'No evidence of its type; the stand-in picks boolean.',
    standIn:
      'cloudflare-analytics-calls.mjs (fillCall) and cloudflare-analytics.mjs (readFilter).'
  },
  {
    id: 'analytics.cost-cached',
    grade: 'assumed',
    statement:
      'A cache hit and a failed call cost 0; cachedTokensIn/Out are the tokens of cache hits, uncachedTokensIn/Out the others.',
    source: 'The field names; no evidence of their exact meaning.',
    standIn:
      'cloudflare-analytics-calls.mjs (fillCall), cloudflare-analytics.mjs (sumValues).'
  },
  {
    id: 'analytics.unknown-field',
    grade: 'assumed',
    statement:
      'An unknown field, argument, filter or orderBy value fails the whole query with a GraphQL-style message and `data: null`.',
    source:
      'The GraphQL specification (validation errors); Cloudflare\'s exact wording is not documented ("Cannot query field…" is graphql-js\'s).',
    standIn: 'cloudflare-analytics.mjs (selectObject, readFilter, readOrder).'
  },
  {
    id: 'analytics.type-names',
    grade: 'inferred',
    statement:
      'Type names follow the other datasets: `AccountAiGatewayRequestsAdaptiveGroups`, its `…Filter_InputObject`.',
    source: `${DOCS}/features/discovery/introspection/ (other datasets' type names).`,
    standIn: 'cloudflare-analytics.mjs (TYPE), in __typename and messages only.'
  },
  {
    id: 'analytics.bad-request-assumed',
    grade: 'assumed',
    statement:
      'A body that is not JSON with a `query` string is answered HTTP 400 with an `errors` list.',
    source: 'No evidence.',
    standIn: 'cloudflare-analytics.mjs (handle).'
  },
  {
    id: 'analytics.retries-cached-count',
    grade: 'open',
    statement: 'Whether retries and cached calls count once in `count`.',
    source: 'Unknown.',
    standIn:
      'The stand-in counts every call once, cache hits included (cachedRequests among them).'
  },
  {
    id: 'analytics.new-system-accounts',
    grade: 'open',
    statement:
      'Accounts on Workers Observability logging are served by the dataset (likely: the data comes from the gateway, not the log store).',
    source: 'Unverified.',
    standIn: 'The stand-in answers analytics whatever the logging-state says.'
  }
]
