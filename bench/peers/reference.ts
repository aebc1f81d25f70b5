/**
 * The y-websocket reference server (`@y/websocket-server`), started the way its own `server.js`
 * does, plus a read-only seed loader: a room whose `<SEED_DIR>/<room>.bin` exists starts with that
 * Yjs state (for the cold-load workload). Prints `listening on <port>` once ready.
 */
import { readFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { setPersistence, setupWSConnection } from '@y/websocket-server/utils'
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
const server = http.createServer((_req, res) => {
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
