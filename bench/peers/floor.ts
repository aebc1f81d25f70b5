/**
 * The floor: the least a y-websocket server can do and still serve the protocol. An edit is
 * sent on to the room's other sockets as the very bytes that came in, before anything else, and
 * only then applied to the room's Y.Doc (which answers a joining client's sync step 1).
 * Awareness is passed on as it came. No checks, no storage, no re-encoding: no server that keeps
 * a document can reach a watcher sooner on this machine and network stack, so the floor's
 * latency is the share of W1's figures that is the clients' and the kernel's, not a server's.
 * Used by `bench/profile.ts --peer floor`; not in `npm run bench`. Prints `listening on <port>`.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { type WebSocket, WebSocketServer } from 'ws'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'

const MESSAGE_SYNC = 0
const MESSAGE_AWARENESS = 1

interface Room {
  doc: Y.Doc
  sockets: Set<WebSocket>
}
const rooms = new Map<string, Room>()

function roomOf(name: string): Room {
  let room = rooms.get(name)
  if (!room) {
    room = { doc: new Y.Doc({ gc: true }), sockets: new Set() }
    rooms.set(name, room)
  }
  return room
}

function passOn(room: Room, from: WebSocket, data: Buffer): void {
  for (const socket of room.sockets) if (socket !== from) socket.send(data)
}

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false })
wss.on('connection', (ws: WebSocket, name: string) => {
  const room = roomOf(name)
  room.sockets.add(ws)
  ws.on('close', () => {
    room.sockets.delete(ws)
    if (room.sockets.size === 0) {
      room.doc.destroy()
      rooms.delete(name)
    }
  })
  ws.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(data)
    const type = decoding.readVarUint(decoder)
    if (type === MESSAGE_AWARENESS) {
      passOn(room, ws, data)
      return
    }
    if (type !== MESSAGE_SYNC) return
    const step = decoding.readVarUint(decoder)
    if (step === syncProtocol.messageYjsSyncStep1) {
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, MESSAGE_SYNC)
      syncProtocol.writeSyncStep2(encoder, room.doc, decoding.readVarUint8Array(decoder))
      ws.send(encoding.toUint8Array(encoder))
      return
    }
    // Sync step 2 and updates: on to the others first, then into the room's document.
    passOn(room, ws, data)
    Y.applyUpdate(room.doc, decoding.readVarUint8Array(decoder))
  })
  // The server's own step 1, so that the client sends what the room lacks.
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  syncProtocol.writeSyncStep1(encoder, room.doc)
  ws.send(encoding.toUint8Array(encoder))
})

const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/plain' })
  res.end('okay')
})
server.on('upgrade', (req, socket, head) => {
  const name = decodeURIComponent((req.url ?? '/').slice(1).split('?')[0] ?? '')
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, name))
})
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on ${(server.address() as AddressInfo).port}\n`)
})
process.once('SIGTERM', () => process.exit(0))
