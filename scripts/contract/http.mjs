// The contract suite's one HTTP request: node:http(s), bounded in time and size, no redirect followed
// (the credentials go to the configured host only), and nothing sent in clear but to loopback.

const MAX_BODY_BYTES = 2 * 1024 * 1024
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/

/** Throws unless `url` is https, or http to a loopback host (a stand-in on this machine). */
export function checkedBaseUrl(url, name) {
  let parsed
  try {
    parsed = new URL(url)
  } catch {
    throw new Error(`${name} is not a URL: ${url}`)
  }
  if (parsed.protocol === 'https:') return url.replace(/\/+$/, '')
  if (parsed.protocol === 'http:' && LOOPBACK.test(parsed.hostname))
    return url.replace(/\/+$/, '')
  throw new Error(
    `${name} must be https:// (http:// only to a loopback host, where nothing crosses a network): ${url}`
  )
}

/**
 * One request. Resolves { status, headers: { 'content-type', 'retry-after', 'cf-aig-log-id' }, text };
 * rejects on a network error, a timeout or an answer over 2 MiB.
 */
export async function send({
  url,
  method = 'GET',
  headers = {},
  body,
  timeoutMs = 30_000
}) {
  const { request } = await import(
    url.startsWith('https:') ? 'node:https' : 'node:http'
  )
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        headers: {
          accept: 'application/json',
          'user-agent': 'ai-gateway-gate-contract',
          ...(body === undefined
            ? {}
            : {
                'content-type': 'application/json',
                'content-length': Buffer.byteLength(body)
              }),
          ...headers
        },
        timeout: timeoutMs
      },
      (res) => {
        const chunks = []
        let size = 0
        res.on('data', (chunk) => {
          size += chunk.length
          if (size > MAX_BODY_BYTES) {
            req.destroy(new Error(`the answer is over ${MAX_BODY_BYTES} bytes`))
            return
          }
          chunks.push(chunk)
        })
        res.on('end', () => {
          const kept = {}
          for (const name of ['content-type', 'retry-after', 'cf-aig-log-id'])
            if (typeof res.headers[name] === 'string')
              kept[name] = res.headers[name]
          resolve({
            status: res.statusCode ?? 0,
            headers: kept,
            text: Buffer.concat(chunks).toString('utf8')
          })
        })
        res.on('error', reject)
      }
    )
    req.on('timeout', () =>
      req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`))
    )
    req.on('error', reject)
    if (body !== undefined) req.write(body)
    req.end()
  })
}

/** The JSON of an answer's text, or undefined when it is not JSON. */
export function jsonOf(text) {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
