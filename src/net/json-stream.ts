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
export class JsonStreamError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'JsonStreamError'
  }
}

export interface ArrayLimits {
  /** More objects than this in the array is an error (a page holds at most per_page). */
  maxObjects: number
  /** More bytes than this in one object, the streamed value left out, is an error. */
  maxObjectBytes: number
  /** More bytes than this in the streamed value of one object is an error. */
  maxStreamedBytes: number
}

/** Takes the bytes of a JSON string's content (between its quotes, escapes as written) as they arrive, cut anywhere. */
export interface StringSink<T> {
  write(bytes: Buffer): void
  /** The string is complete; throws if it was not valid. */
  end(): T
}

/** Which top-level field of each object to stream, and a fresh sink for each value of it. */
export interface Streamed<T> {
  key: string
  open: () => StringSink<T>
}

/** One object of the array: its bytes (the streamed field's value written as ""), and what its sink made of that value. */
export interface SplitObject<T> {
  bytes: Buffer
  /** Undefined when the object has no such field, or its value is not a string. */
  streamed: T | undefined
}

type Phase = 'before' | 'open' | 'comma' | 'after' | 'inside' | 'done'

const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d
const COMMA = 0x2c
const COLON = 0x3a
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d])
/** A key longer than this is not compared with the streamed key (no key of an answer is this long). */
const MAX_KEY_BYTES = 256

/**
 * Splits the bytes of a JSON array of objects, given in chunks of any size, into the bytes of each
 * object. It tracks only what it needs to find where an object ends (nesting, strings, escapes) and
 * where the streamed field's value lies (keys and colons of the object itself, not of nested ones).
 * Text around the objects must be JSON: `[`, commas, `]`, whitespace.
 */
export class ArraySplitter<T = never> {
  private phase: Phase = 'before'
  private depth = 0
  private inString = false
  private escaped = false
  private pieces: Buffer[] = []
  private objectBytes = 0
  private objects = 0
  // The object's own keys (depth 1): is the next string a key, the key being read, and what follows it.
  private expectKey = false
  private inKey = false
  private key: Buffer[] = []
  private keyBytes = 0
  private keyIsStreamed = false
  private valueIsStreamed = false
  private sink: StringSink<T> | undefined
  private streamedBytes = 0
  private result: T | undefined
  // Where the kept bytes of the current object start in the chunk being pushed.
  private keepFrom = 0

  constructor(
    private readonly limits: ArrayLimits,
    private readonly streamed?: Streamed<T>
  ) {}

  /** Every object that ends in `chunk`. */
  push(chunk: Uint8Array): SplitObject<T>[] {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    const done: SplitObject<T>[] = []
    // Where the kept bytes of the current object start in `bytes`, while inside one; none while a value streams.
    this.keepFrom = this.sink ? bytes.length : 0
    let i = 0
    while (i < bytes.length) {
      if (this.phase !== 'inside') i = this.betweenObjects(bytes, i)
      else if (this.inString) i = this.stringBytes(bytes, i)
      else i = this.insideObject(bytes, i, done)
    }
    if (this.phase === 'inside' && this.keepFrom < bytes.length)
      this.keep(bytes.subarray(this.keepFrom))
    return done
  }

  /** A byte of the array around the objects: `[`, commas, `]`, whitespace, or an object's `{`. */
  private betweenObjects(bytes: Buffer, i: number): number {
    const b = bytes[i]!
    if (WHITESPACE.has(b)) return i + 1
    if (this.phase === 'before' && b === OPEN_BRACKET) this.phase = 'open'
    else if (
      (this.phase === 'open' || this.phase === 'after') &&
      b === CLOSE_BRACKET
    )
      this.phase = 'done'
    else if (this.phase === 'after' && b === COMMA) this.phase = 'comma'
    else if (
      (this.phase === 'open' || this.phase === 'comma') &&
      b === OPEN_BRACE
    ) {
      if (++this.objects > this.limits.maxObjects)
        throw new JsonStreamError(
          `the answer holds more than ${this.limits.maxObjects} objects`
        )
      this.phase = 'inside'
      this.depth = 1
      this.expectKey = true
      this.result = undefined
      this.keepFrom = i
    } else throw new JsonStreamError(this.unexpected(b))
    return i + 1
  }

  /** Inside a string from `i`: to the streamed value's sink, into the key being read, or skipped. */
  private stringBytes(bytes: Buffer, from: number): number {
    const i = this.skipString(bytes, from)
    // The string's bytes in this chunk, without its closing quote when it ends here.
    const content = bytes.subarray(from, this.inString ? i : i - 1)
    if (this.sink) {
      // The streamed value's bytes go to its sink, not into the object.
      this.streamedBytes += content.length
      if (this.streamedBytes > this.limits.maxStreamedBytes)
        throw new JsonStreamError(
          `the "${this.streamed!.key}" of object ${this.objects} of the answer is longer than ${this.limits.maxStreamedBytes} bytes`
        )
      this.sink.write(content)
      if (!this.inString) {
        this.result = this.sink.end()
        this.sink = undefined
        this.keepFrom = i - 1 // the closing quote: the value is kept as ""
      }
    } else if (this.inKey) {
      this.readKey(content)
      if (!this.inString) this.endKey()
    }
    return i
  }

  /** A byte of an object outside its strings: nesting, its own keys and colons, and its end. */
  private insideObject(
    bytes: Buffer,
    at: number,
    done: SplitObject<T>[]
  ): number {
    const b = bytes[at]!
    const i = at + 1
    if (WHITESPACE.has(b)) return i
    const own = this.depth === 1
    if (b === QUOTE) {
      this.inString = true
      if (own && this.expectKey) {
        this.inKey = true
        this.key = []
        this.keyBytes = 0
      } else if (own && this.valueIsStreamed) {
        // The streamed value starts: keep the object up to its opening quote, and stream the rest.
        this.keep(bytes.subarray(this.keepFrom, i))
        this.keepFrom = bytes.length
        this.sink = this.streamed!.open()
        this.streamedBytes = 0
      }
      this.valueIsStreamed = false
      return i
    }
    this.valueIsStreamed = false
    if (b === OPEN_BRACE || b === OPEN_BRACKET) this.depth++
    else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
      if (--this.depth === 0) {
        this.keep(bytes.subarray(this.keepFrom, i))
        done.push({
          bytes:
            this.pieces.length === 1
              ? this.pieces[0]!
              : Buffer.concat(this.pieces, this.objectBytes),
          streamed: this.result
        })
        this.pieces = []
        this.objectBytes = 0
        this.phase = 'after'
      }
    } else if (own && b === COMMA) this.expectKey = true
    else if (own && b === COLON) {
      this.valueIsStreamed = this.keyIsStreamed
      // A repeated key's last value is the one JSON.parse keeps: forget what an earlier one made.
      if (this.keyIsStreamed) this.result = undefined
      this.keyIsStreamed = false
    }
    return i
  }

  /** Throws unless the array has ended. */
  end(): void {
    if (this.phase !== 'done')
      throw new JsonStreamError(
        this.phase === 'before'
          ? 'the answer is empty, not a JSON array'
          : 'the answer ended inside its JSON array'
      )
  }

  /**
   * Moves through a string from `i`: returns where the string ends (after its closing quote) or the
   * chunk's length. Only the closing quote and backslashes matter: found by search, not byte by byte.
   */
  private skipString(bytes: Buffer, i: number): number {
    while (i < bytes.length) {
      if (this.escaped) {
        this.escaped = false
        i++
        continue
      }
      const quote = bytes.indexOf(QUOTE, i)
      const backslash = bytes.indexOf(BACKSLASH, i)
      if (quote < 0 && backslash < 0) return bytes.length
      if (backslash >= 0 && (quote < 0 || backslash < quote)) {
        this.escaped = true
        i = backslash + 1
      } else {
        this.inString = false
        return quote + 1
      }
    }
    return i
  }

  private readKey(piece: Buffer): void {
    this.keyBytes += piece.length
    if (this.keyBytes <= MAX_KEY_BYTES) this.key.push(piece)
  }

  /** The object's own key has been read: is it the streamed one (escapes read as JSON reads them)? */
  private endKey(): void {
    this.inKey = false
    this.expectKey = false
    this.keyIsStreamed = false
    if (!this.streamed || this.keyBytes > MAX_KEY_BYTES) return
    const raw = Buffer.concat(this.key).toString('utf8')
    let key: unknown = raw
    if (raw.includes('\\')) {
      try {
        key = JSON.parse(`"${raw}"`)
      } catch {
        return // JSON.parse of the object will say what is wrong
      }
    }
    this.keyIsStreamed = key === this.streamed.key
  }

  /** A piece of the current object, kept (as a view, not a copy) until the object ends. */
  private keep(piece: Buffer): void {
    if (piece.length === 0) return
    this.objectBytes += piece.length
    if (this.objectBytes > this.limits.maxObjectBytes)
      throw new JsonStreamError(
        `object ${this.objects} of the answer is longer than ${this.limits.maxObjectBytes} bytes`
      )
    this.pieces.push(piece)
  }

  private unexpected(b: number): string {
    // A byte of a multi-byte character is shown as its number: it is not a character by itself.
    const shown =
      b < 0x80
        ? JSON.stringify(String.fromCharCode(b))
        : `byte 0x${b.toString(16)}`
    switch (this.phase) {
      case 'before':
        return `the answer is not a JSON array (it starts with ${shown})`
      case 'done':
        return `the answer goes on after its JSON array (${shown})`
      case 'after':
        return `the answer has ${shown} after object ${this.objects}, where a comma or the end of its array belongs`
      default:
        return `the answer's JSON array holds ${shown} where an object belongs`
    }
  }
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t'
}
const HEX_RE = /^[0-9a-fA-F]$/

/**
 * The text of a JSON string from its content's bytes, handed on in pieces as they are decoded, never
 * held whole: UTF-8 decoded as response.text() decodes it (a broken byte becomes U+FFFD), escapes as
 * JSON.parse reads them (`\uXXXX` one UTF-16 unit at a time, so a pair arrives as its two halves).
 * A raw control character, which JSON.parse would refuse, is passed on as it is.
 */
export class JsonStringDecoder {
  private utf8 = new TextDecoder()
  /** After a backslash: '' (the escape's letter is next), or `u` and the hex digits read so far. */
  private escape: string | null = null

  constructor(private readonly onText: (text: string) => void) {}

  write(bytes: Buffer): void {
    let i = 0
    while (i < bytes.length) {
      if (this.escape !== null) {
        const c = String.fromCharCode(bytes[i]!)
        i++
        if (this.escape === '') {
          if (c === 'u') this.escape = 'u'
          else if (c in SIMPLE_ESCAPES) {
            this.escape = null
            this.onText(SIMPLE_ESCAPES[c]!)
          } else throw new JsonStreamError(`a string has the escape \\${c}`)
          continue
        }
        if (!HEX_RE.test(c))
          throw new JsonStreamError(
            `a string has the escape \\${this.escape}${c}`
          )
        this.escape += c
        if (this.escape.length === 5) {
          this.onText(String.fromCharCode(parseInt(this.escape.slice(1), 16)))
          this.escape = null
        }
        continue
      }
      const backslash = bytes.indexOf(BACKSLASH, i)
      const end = backslash < 0 ? bytes.length : backslash
      if (end > i) {
        const text = this.utf8.decode(bytes.subarray(i, end), { stream: true })
        if (text !== '') this.onText(text)
      }
      if (backslash < 0) return
      // A character cut by the backslash is broken: U+FFFD before the escape, as a whole decode has it.
      const broken = this.utf8.decode()
      if (broken !== '') this.onText(broken)
      this.escape = ''
      i = backslash + 1
    }
  }

  end(): void {
    if (this.escape !== null)
      throw new JsonStreamError('a string ends inside an escape')
    const rest = this.utf8.decode()
    if (rest !== '') this.onText(rest)
  }
}

/**
 * The objects of a JSON array whose UTF-8 bytes arrive in `chunks`, each parsed as soon as it ends,
 * with what `streamed` made of its streamed field; the stream is read only as fast as the objects are
 * taken. Throws a JsonStreamError when the answer is not such an array within `limits`.
 */
export async function* jsonArrayObjects<T = never>(
  chunks: AsyncIterable<Uint8Array>,
  limits: ArrayLimits,
  streamed?: Streamed<T>
): AsyncGenerator<{ object: unknown; streamed: T | undefined }, void> {
  const splitter = new ArraySplitter<T>(limits, streamed)
  let index = 0
  const parse = (split: SplitObject<T>) => {
    index++
    try {
      return {
        object: JSON.parse(split.bytes.toString('utf8')) as unknown,
        streamed: split.streamed
      }
    } catch (error) {
      const why = String((error as { message?: unknown } | null)?.message)
      throw new JsonStreamError(
        `object ${index} of the answer is not JSON (${why})`
      )
    }
  }
  for await (const chunk of chunks)
    for (const split of splitter.push(chunk)) yield parse(split)
  splitter.end()
}

/** Reads a string's text in pieces and makes something of it (a yes or no, a count), never keeping the text. */
export interface TextReader<T> {
  text(piece: string): void
  end(): T
}

/** A sink that decodes a JSON string's bytes (JsonStringDecoder) into `reader`, piece by piece. */
export function decodingSink<T>(reader: TextReader<T>): StringSink<T> {
  const decoder = new JsonStringDecoder((piece) => reader.text(piece))
  return {
    write: (bytes) => decoder.write(bytes),
    end: () => {
      decoder.end()
      return reader.end()
    }
  }
}
