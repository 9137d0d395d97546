import { describe, expect, it } from '@jest/globals'
import {
  ArraySplitter,
  decodingSink,
  JsonStreamError,
  JsonStringDecoder,
  jsonArrayObjects,
  type ArrayLimits,
  type StringSink,
  type TextReader
} from '../../src/net/json-stream.js'

const LIMITS: ArrayLimits = {
  maxObjects: 100,
  maxObjectBytes: 64 * 1024,
  maxStreamedBytes: 1024 * 1024
}

/** `bytes` cut into chunks of `size` bytes (the last one shorter): cuts fall anywhere, inside characters too. */
function chunked(bytes: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = []
  for (let i = 0; i < bytes.length; i += size)
    chunks.push(bytes.subarray(i, i + size))
  return chunks
}

async function* stream(chunks: Buffer[]): AsyncGenerator<Buffer> {
  for (const chunk of chunks) yield chunk
}

/** A sink that keeps the decoded text, to compare with what JSON.parse reads. */
const textSink = (): StringSink<string> => {
  let text = ''
  const reader: TextReader<string> = {
    text: (piece) => (text += piece),
    end: () => text
  }
  return decodingSink(reader)
}

/** Every object of `json` cut into chunks of `size`, with its "body" streamed into a textSink. */
async function read(json: string | Buffer, size: number, limits = LIMITS) {
  const objects: { object: unknown; streamed: string | undefined }[] = []
  const bytes = typeof json === 'string' ? Buffer.from(json) : json
  for await (const o of jsonArrayObjects(stream(chunked(bytes, size)), limits, {
    key: 'body',
    open: textSink
  }))
    objects.push(o)
  return objects
}

async function failure(json: string | Buffer, size = 7, limits = LIMITS) {
  try {
    await read(json, size, limits)
  } catch (error) {
    expect(error).toBeInstanceOf(JsonStreamError)
    expect((error as Error).name).toBe('JsonStreamError')
    return (error as Error).message
  }
  throw new Error('read accepted the answer')
}

// Issue comments in the shape GitHub's REST API lists them (the issue-comment schema, trimmed), with
// bodies that have everything a splitter can trip on: quotes, backslashes, braces, brackets, commas
// and colons in strings, escapes of every kind, characters of 2, 3 and 4 bytes, an HTML comment.
const COMMENTS = [
  {
    id: 1,
    html_url: 'https://github.com/o/r/pull/7#issuecomment-1',
    user: { login: 'octocat', id: 583231, type: 'User' },
    body: 'LGTM "quoted" \\ back{slash} [1, 2]: {"body": "not this"}'
  },
  {
    id: 2,
    html_url: 'https://github.com/o/r/pull/7#issuecomment-2',
    user: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' },
    body: '### ✅ passed\n\t<!-- ai-gateway-gate:key=ci -->\r\n漢字 é 😀 \u0000\u001f\u2028\ud800'
  },
  {
    id: 3,
    user: null,
    body: null,
    reactions: { '+1': 0, body: 'a nested body is not the body' }
  }
]

describe('jsonArrayObjects', () => {
  it.each([1, 2, 3, 5, 64, 100_000])(
    'reads every object, and its streamed body as JSON.parse reads it, in chunks of %i bytes',
    async (size) => {
      const objects = await read(JSON.stringify(COMMENTS), size)
      expect(objects.map((o) => o.streamed)).toEqual([
        COMMENTS[0]!.body,
        COMMENTS[1]!.body,
        undefined
      ])
      // The streamed value stays out of the object: its body is "" (a null body is kept as it is).
      expect(objects.map((o) => o.object)).toEqual([
        { ...COMMENTS[0], body: '' },
        { ...COMMENTS[1], body: '' },
        COMMENTS[2]
      ])
    }
  )

  it('reads whitespace between the tokens anywhere, as JSON allows', async () => {
    const spaced =
      ' [ \n{ "id" : 1 ,\t"body"\r\n:\n "a\\"b" , "user" : { "body" : "x" } } ,\n{"body":"c"} ] \n'
    const objects = await read(spaced, 3)
    expect(objects).toEqual([
      { object: { id: 1, body: '', user: { body: 'x' } }, streamed: 'a"b' },
      { object: { body: '' }, streamed: 'c' }
    ])
  })

  it('streams a key written with escapes, as JSON.parse reads it', async () => {
    const objects = await read('[{"b\\u006fdy":"hidden"}]', 4)
    expect(objects).toEqual([{ object: { body: '' }, streamed: 'hidden' }])
  })

  it('a repeated key: what the last value makes, as JSON.parse keeps the last', async () => {
    expect(await read('[{"body":"first","body":"last"}]', 5)).toEqual([
      { object: { body: '' }, streamed: 'last' }
    ])
    expect(await read('[{"body":"first","body":null}]', 5)).toEqual([
      { object: { body: null }, streamed: undefined }
    ])
  })

  it('streams nothing when the key is only a value, or is nested', async () => {
    expect(
      await read('[{"note":"body","user":{"body":"x"},"list":["body"]}]', 2)
    ).toEqual([
      {
        object: { note: 'body', user: { body: 'x' }, list: ['body'] },
        streamed: undefined
      }
    ])
  })

  it('reads an empty key, first in its object', async () => {
    expect(await read('[{"":"x","body":"y"}]', 3)).toEqual([
      { object: { '': 'x', body: '' }, streamed: 'y' }
    ])
  })

  it('reads an empty array, and an empty body', async () => {
    expect(await read('[]', 1)).toEqual([])
    expect(await read(' [ ] ', 1)).toEqual([])
    expect(await read('[{"body":""}]', 1)).toEqual([
      { object: { body: '' }, streamed: '' }
    ])
  })

  it('never holds a body of 3 MB (a million three-byte characters) whole: only pieces as long as a chunk pass through', async () => {
    const body = '漢'.repeat(1_000_000)
    let longest = 0
    let chars = 0
    const objects = []
    for await (const o of jsonArrayObjects(
      stream(chunked(Buffer.from(JSON.stringify([{ id: 1, body }])), 65536)),
      { ...LIMITS, maxStreamedBytes: 4 * 1024 * 1024 },
      {
        key: 'body',
        open: () =>
          decodingSink({
            text: (piece) => {
              longest = Math.max(longest, piece.length)
              chars += piece.length
            },
            end: () => chars
          })
      }
    ))
      objects.push(o)
    expect(objects).toEqual([{ object: { id: 1, body: '' }, streamed: 1e6 }])
    expect(longest).toBeLessThanOrEqual(65536)
  })

  it.each([
    [
      'not an array',
      '{"id":1}',
      'the answer is not a JSON array (it starts with "{")'
    ],
    ['empty', '', 'the answer is empty, not a JSON array'],
    ['cut short', '[{"id":1},{"id"', 'the answer ended inside its JSON array'],
    [
      'cut inside a string',
      '[{"body":"abc',
      'the answer ended inside its JSON array'
    ],
    [
      'a number in the array',
      '[1]',
      `the answer's JSON array holds "1" where an object belongs`
    ],
    [
      'a missing comma',
      '[{"id":1} {"id":2}]',
      'the answer has "{" after object 1, where a comma or the end of its array belongs'
    ],
    [
      'a trailing comma',
      '[{"id":1},]',
      `the answer's JSON array holds "]" where an object belongs`
    ],
    [
      'a leading comma',
      '[,{"id":1}]',
      `the answer's JSON array holds "," where an object belongs`
    ],
    [
      'two commas in a row',
      '[{"id":1},,{"id":2}]',
      `the answer's JSON array holds "," where an object belongs`
    ],
    [
      'text after the array',
      '[{"id":1}] x',
      'the answer goes on after its JSON array ("x")'
    ],
    ['a second array', '[][]', 'the answer goes on after its JSON array ("[")'],
    ['a broken object', '[{"id":1,}]', 'object 1 of the answer is not JSON'],
    [
      'a character where JSON belongs',
      '[\u6f22]',
      "the answer's JSON array holds byte 0xe6 where an object belongs"
    ],
    [
      'a lone byte 0x80 where JSON belongs',
      Buffer.from([0x5b, 0x80, 0x5d]),
      "the answer's JSON array holds byte 0x80 where an object belongs"
    ]
  ])('fails an answer that is %s', async (_name, json, message) => {
    expect(await failure(json)).toContain(message)
  })

  it('fails more objects than the limit before reading the one too many', async () => {
    expect(await read('[{},{}]', 4, { ...LIMITS, maxObjects: 2 })).toHaveLength(
      2
    )
    expect(await failure('[{},{},{}]', 4, { ...LIMITS, maxObjects: 2 })).toBe(
      'the answer holds more than 2 objects'
    )
  })

  it('fails an object longer than the limit, the streamed body left out of the count', async () => {
    const limits = { ...LIMITS, maxObjectBytes: 20 }
    expect(
      await read(`[{"body":"${'b'.repeat(1000)}"}]`, 9, limits)
    ).toHaveLength(1)
    // {"note":"nnnnnnnnn"} is 20 bytes: at the limit, not over it.
    expect(await read(`[{"note":"${'n'.repeat(9)}"}]`, 9, limits)).toEqual([
      { object: { note: 'n'.repeat(9) }, streamed: undefined }
    ])
    expect(await failure(`[{"note":"${'n'.repeat(10)}"}]`, 9, limits)).toBe(
      'object 1 of the answer is longer than 20 bytes'
    )
  })

  it('fails a streamed body longer than its limit, counted in bytes as they arrive', async () => {
    const limits = { ...LIMITS, maxStreamedBytes: 10 }
    expect(await read('[{"body":"0123456789"}]', 3, limits)).toHaveLength(1)
    expect(await failure('[{"body":"0123456789x"}]', 3, limits)).toBe(
      'the "body" of object 1 of the answer is longer than 10 bytes'
    )
  })

  it('fails a body with an escape JSON does not have', async () => {
    expect(await failure('[{"body":"a\\qb"}]')).toBe(
      'a string has the escape \\q'
    )
    expect(await failure('[{"body":"a\\u12g4"}]', 2)).toBe(
      'a string has the escape \\u12g'
    )
  })

  it('fails a body whose closing quote cuts an escape short', async () => {
    expect(await failure('[{"body":"ab\\u12"}]')).toBe(
      'a string ends inside an escape'
    )
  })

  it('ends a body cut inside a character with U+FFFD, as response.text() does', async () => {
    const json = Buffer.concat([
      Buffer.from('[{"body":"a'),
      Buffer.from([0xe6, 0xbc]), // the first two bytes of 漢
      Buffer.from('"}]')
    ])
    for (const size of [1, 100])
      expect(await read(json, size)).toEqual([
        { object: { body: '' }, streamed: 'a\ufffd' }
      ])
  })

  it('reads every other field exactly as JSON.parse does (objects parsed whole)', async () => {
    const other = [
      {
        id: 2 ** 40,
        n: -1.5e-7,
        t: true,
        f: false,
        z: null,
        a: [{}, []],
        s: '\u2028'
      }
    ]
    expect((await read(JSON.stringify(other), 3))[0]!.object).toEqual(other[0])
  })
})

describe('ArraySplitter', () => {
  it('hands an object on in the push whose chunk ends it, as views of the chunks when it fits in one', () => {
    const splitter = new ArraySplitter(LIMITS)
    expect(splitter.push(Buffer.from('[{"id":1},{"i'))).toHaveLength(1)
    const [second] = splitter.push(Buffer.from('d":2}]'))
    expect(second!.bytes.toString()).toBe('{"id":2}')
    expect(second!.streamed).toBeUndefined()
    expect(() => splitter.end()).not.toThrow()
  })

  it('hands an object that fits in one chunk on as a view of that chunk, not a copy', () => {
    const chunk = new TextEncoder().encode('[{"id":1}]')
    const [object] = new ArraySplitter(LIMITS).push(chunk)
    expect(object!.bytes.toString()).toBe('{"id":1}')
    chunk[7] = 0x32 // the "1"
    expect(object!.bytes.toString()).toBe('{"id":2}')
  })

  it('keeps string values as they are when no field is streamed', () => {
    const splitter = new ArraySplitter(LIMITS)
    const [object] = splitter.push(Buffer.from('[{"login":"octocat"}]'))
    expect(object!.bytes.toString()).toBe('{"login":"octocat"}')
    expect(object!.streamed).toBeUndefined()
  })

  /** The objects `chunks` split into, as text, with their "body" streamed into a textSink. */
  const split = (chunks: string[], key = 'body') => {
    const splitter = new ArraySplitter({ ...LIMITS }, { key, open: textSink })
    const objects = chunks.flatMap((chunk) => splitter.push(Buffer.from(chunk)))
    splitter.end()
    return objects.map((o) => ({
      bytes: o.bytes.toString(),
      streamed: o.streamed
    }))
  }

  it.each([
    ['a string before the first key', '{["body"]:"v"}'],
    ['two strings before a colon', '{"" "body":"v"}'],
    ['two colons after a key', '{"a":1:"v"}'],
    ['a value after a value', '{"a":1 "v"}'],
    ['a value after the key, with no colon', '{"body" 1 "v"}']
  ])(
    'streams nothing from an object whose "body" is not in its place (%s): the object is handed on whole, for JSON.parse to refuse',
    (_name, object) => {
      expect(split([`[${object}]`])).toEqual([
        { bytes: object, streamed: undefined }
      ])
    }
  )

  it('compares keys of up to 256 bytes with the streamed key, and never a longer one', () => {
    const k256 = 'k'.repeat(256)
    expect(split([`[{"${k256}":"v"}]`], k256)).toEqual([
      { bytes: `{"${k256}":""}`, streamed: 'v' }
    ])
    // A longer key that starts with the streamed one, cut right after its first 256 bytes.
    expect(split([`[{"${k256}`, `k":"v"}]`], k256)).toEqual([
      { bytes: `{"${k256}k":"v"}`, streamed: undefined }
    ])
    const k300 = 'k'.repeat(300)
    expect(split([`[{"${k300}":"v"}]`], k300)).toEqual([
      { bytes: `{"${k300}":"v"}`, streamed: undefined }
    ])
  })
})

describe('JsonStringDecoder', () => {
  /** The text `decoder` hands on for the JSON string content `raw`, fed in chunks of `size`. */
  const decode = (raw: Buffer, size: number): string => {
    let text = ''
    const decoder = new JsonStringDecoder((piece) => (text += piece))
    for (const chunk of chunked(raw, size)) decoder.write(chunk)
    decoder.end()
    return text
  }
  const content = (s: string) => Buffer.from(JSON.stringify(s).slice(1, -1))

  it.each([
    'plain',
    'quotes " and backslashes \\ and a slash /',
    '\b\f\n\r\t and \u0000 \u001f \u007f',
    'é 漢 😀 𝄞 at the cut of every chunk size',
    'lone halves \ud800 \udfff and a pair written as two escapes',
    ''
  ])('decodes %j as JSON.parse does, whatever the chunks', (s) => {
    for (const size of [1, 2, 3, 4, 5, 7, 1000])
      expect(decode(content(s), size)).toBe(s)
  })

  it('reads escapes GitHub or another encoder may write: \\/, \\u003c, a pair as \\uXXXX\\uXXXX, upper-case hex', () => {
    for (const size of [1, 2, 6, 100])
      expect(
        decode(Buffer.from('\\/\\u003c!--\\uD83D\\uDE00\\u00E9'), size)
      ).toBe('/<!--😀é')
  })

  it('writes a broken UTF-8 byte as U+FFFD, as response.text() does, before an escape too', () => {
    const raw = Buffer.concat([
      Buffer.from('a'),
      Buffer.from([0xe6, 0xbc]), // the first two bytes of 漢, cut by the escape
      Buffer.from('\\n'),
      Buffer.from([0xff]),
      Buffer.from('z')
    ])
    for (const size of [1, 2, 100])
      expect(decode(raw, size)).toBe('a\ufffd\n\ufffdz')
  })

  it('hands on no empty piece: a character cut across chunks arrives once, whole', () => {
    const pieces: string[] = []
    const decoder = new JsonStringDecoder((piece) => pieces.push(piece))
    for (const chunk of chunked(Buffer.from('漢\\n\\u0041b'), 1))
      decoder.write(chunk)
    decoder.end()
    expect(pieces).toEqual(['漢', '\n', 'A', 'b'])
  })

  it('ends a string cut inside a character with U+FFFD', () => {
    const raw = Buffer.concat([Buffer.from('a'), Buffer.from([0xe6, 0xbc])])
    for (const size of [1, 100]) expect(decode(raw, size)).toBe('a\ufffd')
  })

  it('fails a string that ends inside an escape', () => {
    for (const raw of ['ab\\', 'ab\\u12'])
      expect(() => decode(Buffer.from(raw), 2)).toThrow(
        'a string ends inside an escape'
      )
  })
})
