// One query of Cloudflare's GraphQL Analytics API: POSTed to {api-url}/graphql with the REST calls'
// credentials, through the REST client's retry loop (429, 5xx and timeouts retried), every attempt
// taken from the gate's query budget. The answer is read as from a hostile server: GraphQL refuses
// with HTTP 200 and an `errors` array (https://developers.cloudflare.com/analytics/graphql-api/errors/),
// so an answer is only `data` when there is no error, and `data` is checked before anything reads it.
// Every error is an AnalyticsError (or the transport's GatewayError, BudgetSpentError) of one line.
import {
  CLOUDFLARE_GRAPHQL_QUERIES_PER_5_MINUTES,
  type RequestBudget
} from './budget.js'
import {
  authSecrets,
  MAX_POST_ANSWER_BYTES,
  postJson,
  type Connection,
  type GatewayDeps
} from './gateway.js'
import { inline, jsonText } from '../text/escape.js'
import { scrubber } from '../text/secrets.js'

export type AnalyticsErrorKind =
  /** GraphQL answered with `errors`, or the token sees no such account. */
  | 'refused'
  /** An answer that is not what was asked (wrong types, bounds, order, size). */
  | 'invalid-answer'
  /** A field a threshold (or the trend) needs is not in the account's availableFields. */
  | 'field-unavailable'
  /** The dataset is turned off (or absent) for the account. */
  | 'disabled'
  /** The window starts before the oldest data analytics keeps (notOlderThan). */
  | 'too-old'
  /** A histogram needs more queries than the query budget has left. */
  | 'budget'
  /** The window holds no calls. */
  | 'empty'

export class AnalyticsError extends Error {
  constructor(
    readonly kind: AnalyticsErrorKind,
    message: string
  ) {
    super(message)
    this.name = 'AnalyticsError'
  }
}

/** Where the analytics are, and how long and how often to try. */
export type AnalyticsConnection = Pick<
  Connection,
  | 'apiUrl'
  | 'auth'
  | 'accountId'
  | 'gatewayId'
  | 'requestTimeoutMs'
  | 'maxRetries'
>

/** What every query of one gate shares: the connection, the transport, the query budget. */
export interface AnalyticsSession {
  conn: AnalyticsConnection
  deps: GatewayDeps
  budget: RequestBudget
  /** The credentials and the caller's secrets replaced in any of the API's text, before any cut. */
  scrub: (text: string) => string
}

export function analyticsSession(
  conn: AnalyticsConnection,
  deps: GatewayDeps,
  /** The gate's one query budget (QUERY_BUDGET), shared by every read of it: the window, its baseline, the trend. */
  budget: RequestBudget
): AnalyticsSession {
  return {
    conn,
    deps,
    budget,
    scrub: scrubber([...authSecrets(conn.auth), ...(deps.secrets ?? [])])
  }
}

/** Longest GraphQL error message quoted. */
const MAX_MESSAGE_CHARS = 300

/** An invalid answer to one query, naming what was wrong. */
export function invalidAnswer(what: string, detail: string): AnalyticsError {
  return new AnalyticsError(
    'invalid-answer',
    `GraphQL Analytics answered the ${what} query with an invalid answer: ${detail}`
  )
}

/** A value from the answer, shown short and inert in a message. */
export function shown(value: unknown, scrub: (text: string) => string): string {
  if (value === undefined) return 'nothing'
  return inline(
    scrub(jsonText(value) ?? 'a value nested too deeply to show'),
    60
  )
}

/** A GraphQL error's path (`viewer.accounts.0.settings`), when it is a list of names and indexes. */
function pathText(path: unknown, scrub: (text: string) => string): string {
  if (!Array.isArray(path) || path.length === 0) return ''
  if (!path.every((p) => typeof p === 'string' || typeof p === 'number'))
    return ''
  return ` (path ${inline(scrub(path.join('.')), 120)})`
}

/**
 * The refusal in an answer's `errors`, as one line: GraphQL's own message (scrubbed, then cut, then
 * escaped) and its path; undefined when the answer has no errors.
 */
function refusal(
  errors: unknown,
  what: string,
  scrub: (text: string) => string
): AnalyticsError | undefined {
  if (errors === undefined || errors === null) return undefined
  if (!Array.isArray(errors))
    throw invalidAnswer(what, `"errors" is ${shown(errors, scrub)}, not a list`)
  if (errors.length === 0) return undefined
  const first = (errors[0] ?? {}) as { message?: unknown; path?: unknown }
  const message =
    typeof first.message === 'string'
      ? `"${inline(scrub(first.message).replace(/\s+/g, ' '), MAX_MESSAGE_CHARS)}"`
      : 'an error without a message'
  const more =
    errors.length > 1
      ? ` and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''}`
      : ''
  return new AnalyticsError(
    'refused',
    `GraphQL Analytics refused the ${what} query: ${message}${pathText(first.path, scrub)}${more}.`
  )
}

/** A plain object (not null, not a list), or undefined. */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined
}

/** The `data` of an answer body: refused when it has errors, invalid when it has neither. */
export function parseGraphqlAnswer(
  body: string,
  what: string,
  scrub: (text: string) => string
): Record<string, unknown> {
  // The transport bounds what it reads; a transport that does not (a test's) is held to the same bound.
  if (body.length > MAX_POST_ANSWER_BYTES)
    throw invalidAnswer(what, `more than ${MAX_POST_ANSWER_BYTES} bytes`)
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    throw invalidAnswer(what, 'the body is not JSON')
  }
  const answer = asObject(parsed)
  if (!answer) throw invalidAnswer(what, 'the body is not a JSON object')
  const refused = refusal(answer.errors, what, scrub)
  if (refused) throw refused
  const data = asObject(answer.data)
  if (!data)
    throw invalidAnswer(
      what,
      `"data" is ${shown(answer.data, scrub)} and there are no errors`
    )
  return data
}

/**
 * The one account of an answer: `viewer.accounts` filtered by accountTag holds exactly it. None means
 * the token cannot see the account's analytics (Cloudflare answers a filter that matches nothing
 * with an empty list rather than an error).
 */
export function accountOf(
  data: Record<string, unknown>,
  what: string,
  session: AnalyticsSession
): Record<string, unknown> {
  const viewer = asObject(data.viewer)
  const accounts = viewer?.accounts
  if (!Array.isArray(accounts))
    throw invalidAnswer(what, 'no list at data.viewer.accounts')
  if (accounts.length === 0)
    throw new AnalyticsError(
      'refused',
      `GraphQL Analytics shows no account ${JSON.stringify(session.conn.accountId)} to this token: the API token needs the "Account Analytics Read" permission for it.`
    )
  if (accounts.length > 1)
    throw invalidAnswer(
      what,
      `${accounts.length} accounts at data.viewer.accounts, not the one asked for`
    )
  const account = asObject(accounts[0])
  if (!account) throw invalidAnswer(what, 'the account is not an object')
  return account
}

/** One query: POSTed, retried as the REST calls are, its `data` returned once checked for refusals. */
export async function queryData(
  session: AnalyticsSession,
  what: string,
  query: string,
  variables: Record<string, unknown>
): Promise<Record<string, unknown>> {
  const { conn, deps } = session
  const res = await postJson(
    conn,
    {
      url: `${conn.apiUrl}/graphql`,
      where: `the ${what} query of GraphQL Analytics for account ${JSON.stringify(conn.accountId)}`,
      what: 'GraphQL answer',
      body: JSON.stringify({ query, variables }),
      budget: session.budget,
      permission: 'Account Analytics Read',
      rateLimit: `Cloudflare allows ${CLOUDFLARE_GRAPHQL_QUERIES_PER_5_MINUTES} GraphQL queries per 5 minutes per user.`
    },
    deps
  )
  return parseGraphqlAnswer(res.body, what, session.scrub)
}
