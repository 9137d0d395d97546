// Shared by the transport's tests (http.test.ts) and the API client's (gateway.test.ts).
import net from 'node:net'

/**
 * A server on 127.0.0.1 that writes raw bytes, for answers no HTTP library would send. `answers[i]`
 * answers the i-th connection (the last one repeats); `null` closes the connection at once.
 */
export async function rawServer(
  answers: (string | null)[],
  { closeAfterMs = 50 } = {}
) {
  let connections = 0
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    sockets.add(socket)
    const answer = answers[Math.min(connections++, answers.length - 1)] ?? null
    socket.on('error', () => undefined)
    socket.once('data', () => {
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
