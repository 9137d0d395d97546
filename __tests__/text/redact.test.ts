// Redaction of the recorded call's credentials: sensitive headers in every head shape, and
// credentials in URLs. parseLogDetail applies it (see log.test.ts); here each shape is checked alone.
import { describe, expect, it } from '@jest/globals'
import {
  isSensitiveHeader,
  isSensitiveParam,
  REDACTED,
  redactHeaders,
  redactUrlCredentials
} from '../../src/text/redact.js'
import { elapsedMs, HOSTILE_TEXTS, LINEAR_CPU_MS } from '../helpers/hostile.js'

const PROVIDER_KEY = 'sk-live-PROVIDER-SECRET-123'

const listedSensitive = [
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'x-auth-key',
  'cf-aig-authorization',
  'cookie',
  'set-cookie',
  'x-goog-api-key'
]
// Any name containing token, secret or key, in any case.
const containsSensitive = [
  'x-access-token',
  'X-Amz-Security-Token',
  'client-secret',
  'X-SECRET',
  'openai-organization-key',
  'X-Custom-Key',
  'keyid'
]
const allSensitive = [
  ...listedSensitive,
  ...listedSensitive.map((n) => n.toUpperCase()),
  ...listedSensitive.map((n) =>
    n.replace(
      /(^|-)([a-z])/g,
      (_m, dash: string, c: string) => dash + c.toUpperCase()
    )
  ),
  ...containsSensitive
]
const harmless = [
  'content-type',
  'Content-Length',
  'user-agent',
  'accept',
  'openai-processing-ms',
  'cf-ray',
  'x-request-id',
  'Host'
]

describe('isSensitiveHeader', () => {
  it.each(allSensitive)('%p is sensitive', (name) => {
    expect(isSensitiveHeader(name)).toBe(true)
  })

  it.each(harmless)('%p is not', (name) => {
    expect(isSensitiveHeader(name)).toBe(false)
  })
})

describe('redactHeaders', () => {
  describe('a JSON object head', () => {
    it.each(allSensitive)('redacts %p and keeps the other headers', (name) => {
      const head = JSON.stringify({
        'content-type': 'application/json',
        [name]: `Bearer ${PROVIDER_KEY}`,
        'x-request-id': 'req-1'
      })
      const out = redactHeaders(head)
      expect(JSON.parse(out)).toEqual({
        'content-type': 'application/json',
        [name]: REDACTED,
        'x-request-id': 'req-1'
      })
      expect(out).not.toContain(PROVIDER_KEY)
    })

    it('keeps a head with no sensitive header as it was', () => {
      const head = JSON.stringify(
        Object.fromEntries(harmless.map((n) => [n, `value of ${n}`]))
      )
      expect(JSON.parse(redactHeaders(head))).toEqual(JSON.parse(head))
    })

    it('redacts a sensitive header whose value is a list or an object', () => {
      const out = redactHeaders(
        JSON.stringify({
          'set-cookie': [`a=${PROVIDER_KEY}`, 'b=2'],
          'x-api-key': { v: PROVIDER_KEY },
          accept: ['a', 'b']
        })
      )
      expect(JSON.parse(out)).toEqual({
        'set-cookie': REDACTED,
        'x-api-key': REDACTED,
        accept: ['a', 'b']
      })
    })

    it('redacts nested objects and [name, value] pairs', () => {
      const out = redactHeaders(
        JSON.stringify({
          headers: { Authorization: `Bearer ${PROVIDER_KEY}`, accept: '*/*' },
          pairs: [
            ['X-Api-Key', PROVIDER_KEY],
            ['accept', 'text/plain']
          ]
        })
      )
      expect(JSON.parse(out)).toEqual({
        headers: { Authorization: REDACTED, accept: '*/*' },
        pairs: [
          ['X-Api-Key', REDACTED],
          ['accept', 'text/plain']
        ]
      })
    })

    it('redacts a top-level array of [name, value] pairs', () => {
      const out = redactHeaders(
        JSON.stringify([
          ['authorization', `Bearer ${PROVIDER_KEY}`],
          ['content-type', 'application/json']
        ])
      )
      expect(JSON.parse(out)).toEqual([
        ['authorization', REDACTED],
        ['content-type', 'application/json']
      ])
    })
  })

  describe('a head of `Name: value` lines', () => {
    it.each(allSensitive)('redacts %p and keeps the other lines', (name) => {
      const head = `POST /v1/chat/completions HTTP/1.1\r\nContent-Type: application/json\r\n${name}: Bearer ${PROVIDER_KEY}\r\nAccept: */*`
      expect(redactHeaders(head)).toBe(
        `POST /v1/chat/completions HTTP/1.1\nContent-Type: application/json\n${name}: ${REDACTED}\nAccept: */*`
      )
    })

    it('keeps a status line and harmless headers, and a value containing a colon', () => {
      const head =
        'HTTP/1.1 200 OK\nDate: Tue, 25 Nov 2026 09:30:12 GMT\nLocation: https://example.com/x\n\n'
      expect(redactHeaders(head)).toBe(head)
    })

    it('redacts a sensitive header written without a space after the colon', () => {
      expect(redactHeaders(`x-api-key:${PROVIDER_KEY}\naccept: */*`)).toBe(
        `x-api-key: ${REDACTED}\naccept: */*`
      )
    })
  })

  describe('an unreadable head is dropped whole', () => {
    it.each([
      ['free text', `the key is ${PROVIDER_KEY}`],
      ['a header line without a colon', `Authorization Bearer ${PROVIDER_KEY}`],
      ['a good line followed by junk', `accept: */*\n${PROVIDER_KEY}`],
      ['a folded continuation line', `X-Note: hello\n  ${PROVIDER_KEY}`],
      ['an HTML page', `<html><body>${PROVIDER_KEY}</body></html>`],
      [
        'JSON cut short, sensitive header first',
        `{"authorization":"Bearer ${PROVIDER_KEY}`
      ],
      [
        'JSON cut short, harmless header first',
        `{"content-type":"application/json","authorization":"Bearer ${PROVIDER_KEY}`
      ],
      [
        'JSON cut short after a value',
        `{"content-type":"application/json","x-api-key":"${PROVIDER_KEY}"`
      ],
      [
        'a JSON list cut short',
        `[["accept","*/*"],["authorization","Bearer ${PROVIDER_KEY}"]`
      ]
    ])('%s', (_case, head) => {
      expect(redactHeaders(head)).toBe(REDACTED)
    })
  })

  it('redacts a head that was JSON-encoded twice', () => {
    const twiceObject = JSON.stringify(
      JSON.stringify({ authorization: `Bearer ${PROVIDER_KEY}`, accept: '*/*' })
    )
    const twiceLines = JSON.stringify(
      `Authorization: Bearer ${PROVIDER_KEY}\naccept: */*`
    )
    expect(
      JSON.parse(JSON.parse(redactHeaders(twiceObject)) as string)
    ).toEqual({ authorization: REDACTED, accept: '*/*' })
    expect(JSON.parse(redactHeaders(twiceLines))).toBe(
      `Authorization: ${REDACTED}\naccept: */*`
    )
    expect(
      redactHeaders(JSON.stringify(`free text ${PROVIDER_KEY}`))
    ).not.toContain(PROVIDER_KEY)
  })

  it.each(['42', 'null', 'true', ''])(
    'passes %p through: it holds no header',
    (head) => {
      expect(redactHeaders(head)).toBe(head)
    }
  )

  describe('other head shapes', () => {
    it('redacts HAR-style {name, value} entries', () => {
      const head = JSON.stringify([
        { name: 'Authorization', value: `Bearer ${PROVIDER_KEY}` },
        { name: 'content-type', value: 'application/json' }
      ])
      expect(JSON.parse(redactHeaders(head))).toEqual([
        { name: 'Authorization', value: REDACTED },
        { name: 'content-type', value: 'application/json' }
      ])
    })

    it('redacts credential query parameters of a request line, and keeps the others', () => {
      const head = `GET /v1/models?api_key=${PROVIDER_KEY}&limit=5&access_token=${PROVIDER_KEY} HTTP/1.1\nhost: api.example.com`
      const redacted = redactHeaders(head)
      expect(redacted).not.toContain(PROVIDER_KEY)
      expect(redacted).toBe(
        `GET /v1/models?api_key=${REDACTED}&limit=5&access_token=${REDACTED} HTTP/1.1\nhost: api.example.com`
      )
    })
  })

  describe('heads that hide a key', () => {
    it('drops a double-encoded head that was cut short', () => {
      // cut inside the key: the part of it that is left must not come through
      const head = JSON.stringify(
        JSON.stringify({
          'content-type': 'application/json',
          authorization: `Bearer ${PROVIDER_KEY}`
        })
      ).slice(0, -12)
      expect(redactHeaders(head)).toBe(REDACTED)
    })

    it('redacts the value after a sensitive name in a flat [name, value, …] list', () => {
      const head = JSON.stringify([
        'Authorization',
        `Bearer ${PROVIDER_KEY}`,
        'content-type',
        'application/json'
      ])
      expect(JSON.parse(redactHeaders(head))).toEqual([
        'Authorization',
        REDACTED,
        'content-type',
        'application/json'
      ])
    })
  })

  describe('list-shaped heads', () => {
    it.each([
      [
        "Postman's {key, value}",
        { key: 'Authorization', value: `Bearer ${PROVIDER_KEY}`, type: 'text' },
        { key: 'Authorization', value: REDACTED, type: REDACTED }
      ],
      [
        '{name, values}',
        { name: 'Cookie', values: [`session=${PROVIDER_KEY}`, 'b=2'] },
        { name: 'Cookie', values: REDACTED }
      ],
      [
        '{header, value}',
        { header: 'X-Api-Key', value: PROVIDER_KEY },
        { header: 'X-Api-Key', value: REDACTED }
      ],
      [
        '{name, value} with more members',
        { name: 'x-goog-api-key', value: PROVIDER_KEY, comment: PROVIDER_KEY },
        { name: 'x-goog-api-key', value: REDACTED, comment: REDACTED }
      ]
    ])(
      'redacts %s entries and keeps the harmless ones whole',
      (_case, entry, redacted) => {
        const harmlessEntries = [
          { key: 'Content-Type', value: 'application/json' },
          { name: 'accept', values: ['*/*'] },
          { header: 'user-agent', value: 'evals/1.0' }
        ]
        const out = redactHeaders(JSON.stringify([entry, ...harmlessEntries]))
        expect(out).not.toContain(PROVIDER_KEY)
        expect(JSON.parse(out)).toEqual([redacted, ...harmlessEntries])
      }
    )

    it('redacts list entries nested under a member, as in a HAR request', () => {
      const head = JSON.stringify({
        request: { headers: [{ key: 'authorization', value: PROVIDER_KEY }] }
      })
      expect(JSON.parse(redactHeaders(head))).toEqual({
        request: { headers: [{ key: 'authorization', value: REDACTED }] }
      })
    })

    it('still redacts a `key` member that is not the name of an entry', () => {
      expect(
        JSON.parse(
          redactHeaders(JSON.stringify({ api: { key: PROVIDER_KEY } }))
        )
      ).toEqual({ api: { key: REDACTED } })
    })
  })

  describe('credentials in URLs inside header values', () => {
    it.each([
      [
        'Referer: https://app.example/chat?api_key=K&tab=2',
        'Referer: https://app.example/chat?api_key=[redacted]&tab=2'
      ],
      [
        'Location: https://app.example/cb?state=ok&token=K',
        'Location: https://app.example/cb?state=ok&token=[redacted]'
      ],
      [
        'Location: https://app.example/cb#access_token=K&expires_in=3600',
        'Location: https://app.example/cb#access_token=[redacted]&expires_in=3600'
      ],
      [
        'Referer: https://user:K@app.example/',
        'Referer: https://[redacted]@app.example/'
      ],
      [
        'Link: <https://x.example/p?X-Amz-Signature=K&X-Amz-Credential=K>; rel=next',
        'Link: <https://x.example/p?X-Amz-Signature=[redacted]&X-Amz-Credential=[redacted]>; rel=next'
      ]
    ])('a line head: %p', (line, redacted) => {
      const head = `HTTP/1.1 302 Found\r\n${line.replace(/K/g, PROVIDER_KEY)}\r\ncontent-type: text/plain`
      expect(redactHeaders(head)).toBe(
        `HTTP/1.1 302 Found\n${redacted}\ncontent-type: text/plain`
      )
    })

    it('a JSON object head, a JSON list head and [name, value] pairs', () => {
      const url = `https://app.example/?api_key=${PROVIDER_KEY}&q=1`
      const shown = 'https://app.example/?api_key=[redacted]&q=1'
      expect(
        JSON.parse(redactHeaders(JSON.stringify({ referer: url })))
      ).toEqual({ referer: shown })
      expect(
        JSON.parse(
          redactHeaders(JSON.stringify([{ name: 'Location', value: url }]))
        )
      ).toEqual([{ name: 'Location', value: shown }])
      expect(
        JSON.parse(redactHeaders(JSON.stringify([['location', url]])))
      ).toEqual([['location', shown]])
      expect(
        JSON.parse(redactHeaders(JSON.stringify(['location', url])))
      ).toEqual(['location', shown])
    })
  })

  describe('edges of each head shape', () => {
    it('treats an empty header name as harmless, with or without blanks', () => {
      expect(isSensitiveHeader('')).toBe(false)
      expect(isSensitiveHeader('   ')).toBe(false)
      expect(
        JSON.parse(
          redactHeaders(JSON.stringify({ '': 'kept', ' ': 'kept too' }))
        )
      ).toEqual({ '': 'kept', ' ': 'kept too' })
    })

    it('decodes a percent-encoded parameter name before judging it: %74oken is token', () => {
      expect(isSensitiveParam('%74oken')).toBe(true)
      expect(redactUrlCredentials(`p?q=1&%74oken=${PROVIDER_KEY}`)).toBe(
        `p?q=1&%74oken=${REDACTED}`
      )
    })

    it('redacts a sensitive pair that is LAST in a flat [name, value, …] list', () => {
      const head = JSON.stringify([
        'content-type',
        'application/json',
        'Authorization',
        `Bearer ${PROVIDER_KEY}`
      ])
      expect(JSON.parse(redactHeaders(head))).toEqual([
        'content-type',
        'application/json',
        'Authorization',
        REDACTED
      ])
    })

    it('keeps [name, value] pairs whose name is not a string, and null values', () => {
      const head = JSON.stringify([
        [42, 'x'],
        [null, 'y'],
        ['accept', null],
        ['x-api-key', PROVIDER_KEY]
      ])
      expect(JSON.parse(redactHeaders(head))).toEqual([
        [42, 'x'],
        [null, 'y'],
        ['accept', null],
        ['x-api-key', REDACTED]
      ])
      expect(
        JSON.parse(
          redactHeaders(
            JSON.stringify([7, 'a', null, 'b', 'cookie', PROVIDER_KEY])
          )
        )
      ).toEqual([7, 'a', null, 'b', 'cookie', REDACTED])
    })

    it('copies nesting 16 levels below the head, and drops what is deeper', () => {
      const nest = (levels: number, inner: unknown): unknown =>
        levels === 0 ? inner : { a: nest(levels - 1, inner) }
      // the head object is level 0; the object at level 16 is kept, the one at level 17 is not
      expect(JSON.parse(redactHeaders(JSON.stringify(nest(17, 'x'))))).toEqual(
        nest(17, 'x')
      )
      expect(JSON.parse(redactHeaders(JSON.stringify(nest(18, 'x'))))).toEqual(
        nest(17, REDACTED)
      )
    })

    it('drops JSON cut short even after a leading blank line', () => {
      expect(
        redactHeaders(
          `\n{"content-type":"application/json","authorization":"Bearer ${PROVIDER_KEY}`
        )
      ).toBe(REDACTED)
    })

    it('keeps a line head whose values hold quotes and brackets, and lines of blanks', () => {
      const head =
        'HTTP/1.1 401 Unauthorized\nETag: "abc"\nLink: [x]{y}\n  \nWWW-Authenticate: Bearer realm="api"'
      expect(redactHeaders(head)).toBe(
        'HTTP/1.1 401 Unauthorized\nETag: "abc"\nLink: [x]{y}\n  \nWWW-Authenticate: [redacted]'
      )
    })

    it.each([
      [
        'a folded continuation line with a colon',
        `X-Note: hello\n  see: ${PROVIDER_KEY}`
      ],
      [
        'free text that mentions HTTP/',
        `accept: */*\nthe key ${PROVIDER_KEY} went over HTTP/1.1`
      ],
      [
        'free text ending in something like a request line',
        `accept: */*\n${PROVIDER_KEY} GET / HTTP/1.1`
      ]
    ])('drops a line head with %s', (_case, head) => {
      expect(redactHeaders(head)).toBe(REDACTED)
    })

    it('redacts a sensitive header whose value looks like a status or request line', () => {
      expect(
        redactHeaders(
          `X-Api-Key: PUT /vault HTTP/1.1 ${PROVIDER_KEY}\nAuthorization: Basic HTTP/${PROVIDER_KEY}`
        )
      ).toBe(`X-Api-Key: ${REDACTED}\nAuthorization: ${REDACTED}`)
    })
  })
})

describe('redactUrlCredentials', () => {
  it.each([
    ['chat/completions', 'chat/completions'],
    [
      'v1beta/models/gemini:generateContent?key=K&alt=sse',
      'v1beta/models/gemini:generateContent?key=[redacted]&alt=sse'
    ],
    ['p?limit=5&offset=10#top', 'p?limit=5&offset=10#top'],
    ['p?sig=K&se=2026-12-01&sp=r', 'p?sig=[redacted]&se=2026-12-01&sp=r'],
    ['p?password=K;session=K', 'p?password=[redacted];session=[redacted]'],
    ['p?api%5Fkey=K', 'p?api%5Fkey=[redacted]'],
    ['p?%ZZ=1&jwt=K', 'p?%ZZ=1&jwt=[redacted]'],
    ['p?x=1?token=K', 'p?x=1?token=[redacted]'],
    ['text/html;charset=utf-8', 'text/html;charset=utf-8'],
    ['https://host.example/a//b', 'https://host.example/a//b'],
    ['mailto:someone@example.com', 'mailto:someone@example.com']
  ])('%p -> %p', (text, redacted) => {
    expect(redactUrlCredentials(text.replace(/K/g, PROVIDER_KEY))).toBe(
      redacted
    )
  })

  it.each([
    'sig',
    'Signature',
    'X-Amz-Signature',
    'X-Amz-Credential',
    'client_secret',
    'access_token',
    'passwd',
    'pwd',
    'api-key'
  ])('%p is a credential parameter', (name) => {
    expect(isSensitiveParam(name)).toBe(true)
  })

  it.each(['limit', 'q', 'model', 'alt', 'state', 'stream'])(
    '%p is not',
    (name) => {
      expect(isSensitiveParam(name)).toBe(false)
    }
  )

  it.each(Object.keys(HOSTILE_TEXTS))(
    '%s: redactUrlCredentials in well under a second',
    (name) => {
      expect(
        elapsedMs(() => redactUrlCredentials(HOSTILE_TEXTS[name]!))
      ).toBeLessThan(LINEAR_CPU_MS)
    }
  )
})
