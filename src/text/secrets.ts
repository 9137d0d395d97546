// Secrets made unreadable in the text the action writes. The runner masks a secret in the step's log
// only where it appears whole and exactly as registered; the action also writes files (outputs, the
// summary, a PR comment) and shortens long text. So it replaces every secret itself, in the forms an API
// or a log is likely to hold it, and always before any cut: a cut through a secret leaves a part of it
// that no exact match finds.

/** What a secret is replaced with. */
export const SCRUBBED = '***'
/** Shorter values are not treated as secrets: replacing "abc" everywhere would garble the report. */
const MIN_SECRET_CHARS = 4

/** Inside a JSON string: `"`, `\` and control characters escaped. */
const jsonEscaped = (text: string): string => JSON.stringify(text).slice(1, -1)

/**
 * A secret as it appears in text: as given; inside a JSON string, once or twice encoded (heads and
 * metadata are JSON strings inside JSON), with `/` written `\/` as PHP's json_encode does; and
 * percent-encoded in a URL (either case of hex digits, or encoded twice). Longest first, so that a
 * longer form is replaced before a shorter one inside it.
 */
export function secretForms(secret: string): string[] {
  const url = encodeURIComponent(secret)
  const forms = [
    secret,
    jsonEscaped(secret),
    jsonEscaped(jsonEscaped(secret)),
    jsonEscaped(secret).replace(/\//g, '\\/'),
    url,
    url.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
    encodeURIComponent(url)
  ]
  return [...new Set(forms)].sort((a, b) => b.length - a.length)
}

/** Replaces every form of every secret with ***. Linear in the text: one split and join per form. */
export function scrubber(secrets: readonly string[]): (text: string) => string {
  const forms = [
    ...new Set(
      secrets.filter((s) => s.length >= MIN_SECRET_CHARS).flatMap(secretForms)
    )
  ].sort((a, b) => b.length - a.length)
  return (text) =>
    forms.reduce(
      (out, form) =>
        out.includes(form) ? out.split(form).join(SCRUBBED) : out,
      text
    )
}

/** A scrubber that knows no secret, for callers that have none. */
export const NO_SECRETS = (text: string): string => text
