// Shared hostile text: shapes that make a backtracking pattern, a recursive walk or JSON.stringify take
// minutes or overflow the stack, and a check for pieces of a secret that a cut left behind.

/** A megabyte: the size a recorded head can reach; a quadratic pattern takes minutes on it. */
export const MB = 1024 * 1024

const fill = (unit: string, size = MB): string =>
  unit.repeat(Math.ceil(size / unit.length)).slice(0, size)
const deep = (open: string, close: string, depth: number): string =>
  `${open.repeat(depth)}${close.repeat(depth)}`

/**
 * About 1 MB each, of shapes that break naive patterns: runs of URL separators, near-misses of
 * `name=value`, lines without colons, request lines full of `?`, deeply nested JSON, JSON cut short,
 * `//` runs for user-info, escapes, invisible characters and emoji.
 */
export const HOSTILE_TEXTS: Record<string, string> = {
  'question marks': fill('?'),
  ampersands: fill('&'),
  equals: fill('='),
  hashes: fill('#'),
  semicolons: fill(';'),
  '`?a` repeated': fill('?a'),
  '`?a=` repeated': fill('?a='),
  '`&token=` repeated': fill('&token='),
  'a name without `=`': `?${fill('a')}`,
  'a request line of `?`': `GET /v1/chat?${fill('?')} HTTP/1.1\r\nhost: api.example.com`,
  'a request line of `&a`': `GET /v1/chat?${fill('&a')} HTTP/1.1`,
  'a line without colons': fill('a'),
  'capitals, as a method would start': fill('A'),
  'a method and a target of spaces': `GET ${fill('a ')}`,
  'a header line of `?`': `Referer: https://x.example/${fill('?')}`,
  'colons only': fill(':'),
  'spaces then a letter': `${fill(' ')}x`,
  newlines: fill('\n'),
  '`a:` lines': fill('a: b\n'),
  '`[`-prefixed text': `[${fill('x')}`,
  'unterminated arrays': fill('['),
  'nested arrays': deep('[', ']', MB / 2),
  'nested objects': `${'{"a":'.repeat(150_000)}1${'}'.repeat(150_000)}`,
  'a JSON string of `?`': JSON.stringify(fill('?')),
  'a JSON head with a value of `?`': JSON.stringify({
    referer: `https://x.example/${fill('?')}`
  }),
  'a JSON list of names': JSON.stringify(
    Array.from({ length: MB / 16 }, (_, i) => (i % 2 ? 'x' : 'authorization'))
  ),
  slashes: fill('/'),
  '`//a` repeated': fill('//a'),
  '`//` then no `@`': `//${fill('a')}`,
  'percent signs': fill('%'),
  backslashes: fill('\\'),
  '`\\u` repeated': fill('\\u'),
  'markdown punctuation': fill('<>&[]()`*_|@:/www.'),
  'bidirectional controls': fill('\u202e\u2066\u200b'),
  emoji: fill('😀'),
  'lone surrogates': fill('\ud83d')
}

/** Every run of 8 characters of `secret`: what a cut through it would leave. */
export const secretPieces = (secret: string): string[] =>
  Array.from({ length: secret.length - 7 }, (_, i) => secret.slice(i, i + 8))

/** The pieces of `secret` (8 characters or more) that appear in `text`. */
export const leakedPieces = (text: string, secret: string): string[] =>
  secretPieces(secret).filter((piece) => text.includes(piece))

/**
 * The CPU time a linear pass over a megabyte of hostile text may take. A quadratic one (a regex that
 * backtracks, a rescan from every character) takes minutes to hours on the same input, so a bound of a
 * few seconds tells them apart and still leaves room for a machine loaded by other jobs (where a
 * half-second pass was measured at 1.5 s).
 */
export const LINEAR_CPU_MS = 3000

/**
 * Milliseconds of CPU the process spends in `fn`: a bound on the cost's order (linear or worse over a
 * megabyte), not a performance measure. The bounds the tests set are far above the linear cost and
 * far below the quadratic one (hours); CPU time, not wall time, so a busy machine does not move it.
 */
export function elapsedMs(fn: () => unknown): number {
  const started = process.cpuUsage()
  fn()
  const spent = process.cpuUsage(started)
  return (spent.user + spent.system) / 1000
}
