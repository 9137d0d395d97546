// The credentials of the recorded call, removed from what the gateway logged: the values of
// sensitive headers in `request_head` / `response_head`, whatever shape the head has, and credentials
// in URLs (query and fragment parameters, `user:password@`). Every pattern here runs over text from
// the API, so each one is linear in its input: no nested or overlapping quantifiers.
import { jsonText } from './escape.js'

export const REDACTED = '[redacted]'

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
])

/** Headers that can carry the caller's provider keys. */
export function isSensitiveHeader(name: string): boolean {
  const lower = name.trim().toLowerCase()
  return (
    SENSITIVE_HEADERS.has(lower) ||
    /token|secret|key|auth|cookie|session|password/.test(lower)
  )
}

/** URL parameters that carry credentials: the header words, and signatures (`sig=`, `X-Amz-Signature=`), credentials, passwords. */
export function isSensitiveParam(name: string): boolean {
  let decoded = name
  if (name.includes('%')) {
    try {
      decoded = decodeURIComponent(name)
    } catch {
      // a stray `%` is not an encoding: test the name as written
    }
  }
  return (
    isSensitiveHeader(decoded) || /sig|credential|pass|pwd|jwt/i.test(decoded)
  )
}

// Both patterns are linear in the text: each starts only at a separator (`?&#;`, or `//`), and the
// run after it stops at the next separator, so no character is read by more than one attempt. A run
// that could reach across separators (the old `[^=&\s#]+` took `?`) retries from every `?` of a line
// of them: a 1 MB line of `?` took minutes.
// A value also stops at `<>"'`, which end a URL written in a Link header, HTML or JSON.
const QUERY_PARAM_RE = /([?&#;])([^=&?#;\s]+)=([^&?#;\s<>"']*)/g
const USERINFO_RE = /\/\/[^/?#@\s]+@/g

/**
 * Credentials in URLs anywhere in `text`: the values of query (and fragment) parameters named like a
 * credential (`?api_key=…`, `#access_token=…`) and the user-info of `https://user:password@host`.
 */
export function redactUrlCredentials(text: string): string {
  return text
    .replace(QUERY_PARAM_RE, (whole, sep: string, name: string) =>
      isSensitiveParam(name) ? `${sep}${name}=${REDACTED}` : whole
    )
    .replace(USERINFO_RE, `//${REDACTED}@`)
}

/** Header values nest a few levels at most; anything deeper is not a head, and JSON.stringify would overflow on it. */
const MAX_HEAD_DEPTH = 16

/**
 * Redacts sensitive header values in a recorded head. The gateway stores heads as a JSON object of
 * header name to value; a head that is not JSON is treated as `Name: value` lines. Anything we cannot
 * read either way is dropped whole rather than passed on with a key in it. URLs in the values that are
 * kept (Referer, Location, the request line) lose their credentials.
 */
export function redactHeaders(head: string): string {
  let parsed: unknown
  try {
    parsed = JSON.parse(head)
  } catch {
    parsed = undefined
  }
  if (typeof parsed === 'object' && parsed !== null) {
    return jsonText(redactObject(parsed, 0)) ?? REDACTED
  }
  // A JSON string can hold a whole head (encoded twice): redact what it holds.
  if (typeof parsed === 'string') return JSON.stringify(redactHeaders(parsed))
  if (parsed !== undefined) return head // a bare JSON number, boolean or null holds no header
  // JSON that does not parse (a head cut short: request_head_complete false) is not `Name: value` lines.
  if (/^\s*[[{"]/.test(head)) return REDACTED
  const lines = head.split(/\r?\n/)
  if (
    !lines.every(
      (line) =>
        line.trim() === '' ||
        /^[^:\s][^:]*:/.test(line) ||
        /^HTTP\/|^[A-Z]+ \S+ HTTP\//.test(line)
    )
  ) {
    return REDACTED
  }
  return lines
    .map((line) => {
      const colon = line.indexOf(':')
      if (/^[A-Z]+ \S+ HTTP\//.test(line)) return redactUrlCredentials(line)
      if (colon <= 0 || /^HTTP\//.test(line)) return line
      const name = line.slice(0, colon)
      return isSensitiveHeader(name)
        ? `${name}: ${REDACTED}`
        : `${name}:${redactUrlCredentials(line.slice(colon + 1))}`
    })
    .join('\n')
}

/** The member that names the header in a list entry: HAR's {name, value}, Postman's {key, value}, {header, value}. */
const ENTRY_NAME_MEMBERS = ['name', 'key', 'header'] as const

/** The naming member of a `{name, value}` / `{name, values}`-shaped entry, or undefined for any other object. */
function entryNameMember(record: Record<string, unknown>): string | undefined {
  if (!('value' in record) && !('values' in record)) return undefined
  return ENTRY_NAME_MEMBERS.find((member) => typeof record[member] === 'string')
}

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactUrlCredentials(value)
  if (typeof value === 'object' && value !== null)
    return redactObject(value, depth + 1)
  return value
}

function redactObject(value: object, depth: number): unknown {
  if (depth > MAX_HEAD_DEPTH) return REDACTED
  if (Array.isArray(value)) {
    // [[name, value], …] pairs, as Headers serialise, or a flat [name, value, …] list, as Node's rawHeaders
    return value.map((entry: unknown, i) =>
      Array.isArray(entry) &&
      typeof entry[0] === 'string' &&
      isSensitiveHeader(entry[0])
        ? [entry[0], REDACTED]
        : i % 2 === 1 &&
            typeof value[i - 1] === 'string' &&
            isSensitiveHeader(value[i - 1] as string)
          ? REDACTED
          : redactValue(entry, depth)
    )
  }
  const record = value as Record<string, unknown>
  const nameMember = entryNameMember(record)
  if (
    nameMember !== undefined &&
    isSensitiveHeader(record[nameMember] as string)
  ) {
    // Every member but the name: `value`, `values`, and whatever else a format keeps beside them.
    return Object.fromEntries(
      Object.keys(record).map((member) => [
        member,
        member === nameMember ? record[member] : REDACTED
      ])
    )
  }
  const out: Record<string, unknown> = {}
  for (const [name, inner] of Object.entries(record)) {
    // In an entry, the naming member holds a header's name (`"key": "Content-Type"`), not a key.
    out[name] =
      name !== nameMember && isSensitiveHeader(name)
        ? REDACTED
        : redactValue(inner, depth)
  }
  return out
}
