// Shared by the transport's tests (http.test.ts) and the API client's (gateway.test.ts).
import net from 'node:net'
// Node's own timers, so that a server still closes its connections in a test that fakes the clock.
import { clearTimeout, setTimeout } from 'node:timers'

/**
 * A server on 127.0.0.1 that writes raw bytes, for answers no HTTP library would send. `answers[i]`
 * answers the i-th connection (the last one repeats); `null` closes the connection at once. It keeps
 * what each connection sent first (`requests()`: the request head, or a proxy's CONNECT; `requested(n)`
 * waits for n of them), and `closed(i)` resolves when the i-th connection has closed, from either side.
 */
export async function rawServer(
  answers: (string | null)[],
  { closeAfterMs = 50 } = {}
) {
  let connections = 0
  const sockets = new Set<net.Socket>()
  const requests: string[] = []
  const closings: Promise<void>[] = []
  const onRequest: (() => void)[] = []
  const server = net.createServer((socket) => {
    sockets.add(socket)
    closings.push(new Promise((resolve) => socket.on('close', () => resolve())))
    const answer = answers[Math.min(connections++, answers.length - 1)] ?? null
    socket.on('error', () => undefined)
    socket.once('data', (data: Buffer) => {
      requests.push(data.toString('latin1'))
      for (const wake of onRequest.splice(0)) wake()
      if (answer === null) return socket.destroy()
      socket.write(answer)
      const timer = setTimeout(() => socket.destroy(), closeAfterMs)
      socket.on('close', () => clearTimeout(timer))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    requests: () => requests,
    /** Resolves once `count` requests have arrived. */
    requested: async (count: number) => {
      while (requests.length < count)
        await new Promise<void>((resolve) => onRequest.push(resolve))
    },
    closed: (index: number) =>
      closings[index] ?? Promise.reject(new Error(`no connection ${index}`)),
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    }
  }
}

// Raw answers, as a server or a proxy in the way would write them. The 101 is the WebSocket handshake
// answer of RFC 6455 section 1.3; the others are valid HTTP/1.1 heads followed by less than they promise.
export const SWITCHING =
  'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n'
export const okAnswer = (body: string) =>
  `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
