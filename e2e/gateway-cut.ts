import { createServer, connect, type Server, type Socket } from 'node:net'

/*
 * A way between the browser and a gateway that a test can cut: a TCP relay on a port of its own. Cut, every
 * connection through it drops (the change feed's too) and new ones are refused, as when the gateway cannot be
 * reached; the gateway itself runs on (its runner polls and archives). Mended, it listens on the same port again.
 * The page uses the relay's address as its origin, so the gateway's Origin check sees the page's own address.
 */

export interface GatewayCut {
  url: string
  cut(): Promise<void>
  mend(): Promise<void>
  close(): Promise<void>
}

export async function gatewayCut(target: string): Promise<GatewayCut> {
  const { hostname, port: targetPort } = new URL(target)
  const sockets = new Set<Socket>()
  const relay = (client: Socket) => {
    const upstream = connect(Number(targetPort), hostname)
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
      // A cut destroys both ends; either end's error only closes the pair.
      s.on('error', () => (client.destroy(), upstream.destroy()))
    }
    client.pipe(upstream).pipe(client)
  }
  let server: Server = createServer(relay)
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => resolve((server.address() as { port: number }).port))
    })
  const port = await listen(0)
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy()
      server.close(() => resolve())
    })
  return {
    url: `http://127.0.0.1:${port}`,
    cut: stop,
    mend: async () => {
      server = createServer(relay)
      await listen(port)
    },
    close: stop,
  }
}
