// The one way the stand-in answers JSON, for both APIs: the body with its length, as the real services send it.

export function sendJson(res, status, body, headers = {}) {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers
  })
  res.end(text)
}
