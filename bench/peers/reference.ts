/**
 * The y-websocket reference server (`@y/websocket-server`), started the way its own `server.js`
 * does, plus a read-only seed loader: a room whose `<SEED_DIR>/<room>.bin` exists starts with that
 * Yjs state (for the cold-load workload), and `PUT /close/<room>` (for W7). Prints `listening on <port>` once ready.
 */
import { readFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { docs, setPersistence, setupWSConnection } from '@y/websocket-server/utils'
import { WebSocketServer } from 'ws'
import * as Y from 'yjs'

const seedDir = process.env.SEED_DIR
if (seedDir) {
  setPersistence({
    provider: null,
    // Called synchronously when a room is created, before the first sync message is answered.
    bindState: (name: string, doc: Y.Doc) => {
      const started = performance.now()
      let state: Buffer
      try {
        state = readFileSync(join(seedDir, `${name}.bin`))
      } catch {
        return
      }
      Y.applyUpdate(doc, state)
      process.stdout.write(`loaded ${name} ms=${(performance.now() - started).toFixed(2)}\n`)
    },
    writeState: async () => {},
  })
}

const wss = new WebSocketServer({ noServer: true })
wss.on('connection', setupWSConnection)
// For W7: `PUT /close/<room>` closes every connection of a room at once (the nearest thing the
// reference server has to our privétijd switch).
const server = http.createServer((req, res) => {
  const close = req.method === 'PUT' ? /^\/close\/([^/?]+)$/.exec(req.url ?? '') : null
  if (close?.[1]) {
    for (const ws of docs.get(close[1])?.conns.keys() ?? []) ws.close(4403, 'closed')
    res.writeHead(204)
    res.end()
    return
  }
  res.writeHead(200, { 'Content-Type': 'text/plain' })
  res.end('okay')
})
server.on('upgrade', (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
})
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on ${(server.address() as AddressInfo).port}\n`)
})
process.once('SIGTERM', () => process.exit(0))
