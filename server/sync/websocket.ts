import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { type WebSocket, WebSocketServer } from 'ws'
import { CloseCode, MAX_MESSAGE_BYTES, MIN_SYNC_PROTOCOL } from '../../shared/sync/layout'
import { clientAddress } from '../address'
import type { AddressBlock } from '../addressBlock'
import { hashToken } from '../auth'
import { deviceOf } from '../device'
import { errorKind } from '../log'
import { refuseSocket } from '../refuse'
import { openSession, type SessionDeps } from './session'
import { parseSyncTarget } from './target'

const HEARTBEAT_MS = 30_000

/** The reason beside `CloseCode.ClientTooOld`. */
const TOO_OLD_REASON = 'This version of the app is too old; load the new version'

/** Longest a socket may take to answer the closing handshake at shutdown. */
const CLOSE_GRACE_MS = 1000

/**
 * Closes for what a client did that leave a backlog it may never read: the socket is ended after
 * the grace instead of ws's 30 s, so its queue does not stay in memory.
 */
const ABUSE_CLOSES: ReadonlySet<number> = new Set([
  CloseCode.SendBufferFull,
  CloseCode.TooManyRequests,
])

/**
 * Serves `ws(s)://…/sync/<atlasId>?token=…` on an http server. Returns a function that closes
 * every socket with the given code, and resolves once they are all gone. An address with
 * `maxConnectionsPerAddress` sockets open gets 429 before its next upgrade.
 */
export function attachSyncServer(
  server: Server,
  deps: SessionDeps & { trustProxy: boolean; addressBlock?: AddressBlock },
): (code: number, reason: string) => Promise<void> {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  const alive = new WeakMap<WebSocket, boolean>()
  /** Open (and opening) sockets per client address. */
  const perAddress = new Map<string, number>()
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      try {
        if (!alive.get(ws)) ws.terminate()
        alive.set(ws, false)
        ws.ping()
      } catch (error) {
        deps.log.warn('sync heartbeat failed', { error: errorKind(error) })
      }
    }
  }, HEARTBEAT_MS).unref()

  // Every upgrade request is a boundary: whatever it holds, it is answered (101 or 4xx) and
  // never throws into the HTTP server, which would end the process.
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // The HTTP server no longer watches this socket: a reset before ws takes it must not
    // become an unhandled 'error' event.
    socket.on('error', () => socket.destroy())
    let upgraded = false
    try {
      // The query carries the token: the target is never logged.
      const target = parseSyncTarget(req.url)
      if ('refuse' in target) {
        const message = target.refuse === 400 ? 'The request target is not valid.' : 'Not found.'
        return refuseSocket(socket, target.refuse, message)
      }
      // Nothing of an erased atlas is left: its devices learn so and remove their copies.
      if (deps.access.isErased(target.atlasId)) {
        return refuseSocket(socket, 410, 'This atlas was deleted.')
      }
      const address = clientAddress(req, deps.trustProxy)
      const block = deps.addressBlock
      if (block?.blocked(address)) {
        return refuseSocket(socket, 429, 'Too many refused requests from this address.', {
          'Retry-After': String(block.remaining(address)),
        })
      }
      // A link refused lately waits before it may open a socket again (see `CoolDown`).
      if (target.token && !deps.coolDown.empty) {
        const wait = deps.coolDown.remaining(hashToken(target.token))
        if (wait > 0) {
          deps.log.debug('sync refused', { reason: 'cool-down' })
          block?.refused(address)
          return refuseSocket(socket, 429, 'This link was refused too often; try again later.', {
            'Retry-After': String(Math.ceil(wait / 1000)),
          })
        }
      }
      const open = perAddress.get(address) ?? 0
      if (open >= deps.limits.maxConnectionsPerAddress) {
        deps.log.debug('sync refused', { reason: 'connections per address' })
        block?.refused(address)
        return refuseSocket(socket, 429, 'Too many connections from this address.', {
          'Retry-After': '10',
        })
      }
      perAddress.set(address, open + 1)
      socket.once('close', () => {
        const left = (perAddress.get(address) ?? 1) - 1
        if (left > 0) perAddress.set(address, left)
        else perAddress.delete(address)
      })
      wss.handleUpgrade(req, socket, head, (ws) => {
        upgraded = true
        // A page of an older build: told so before any byte (a browser cannot read an HTTP
        // refusal of an upgrade), so it asks its user to load the new version.
        if ((target.protocol ?? 1) < MIN_SYNC_PROTOCOL) {
          deps.log.info('sync refused', { reason: 'client too old', protocol: target.protocol })
          ws.close(CloseCode.ClientTooOld, TOO_OLD_REASON)
          return
        }
        const session = openSession(
          {
            send: (data, sent) => {
              if (ws.readyState === ws.OPEN) ws.send(data, sent && (() => sent()))
              else sent?.()
            },
            close: (code, reason) => {
              ws.close(code, reason)
              if (ABUSE_CLOSES.has(code)) {
                setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref()
              }
            },
            buffered: () => ws.bufferedAmount,
          },
          {
            atlasId: target.atlasId,
            doc: target.doc,
            device: deviceOf(req.headers['user-agent']),
            ...(target.app ? { app: target.app } : {}),
          },
          target.token,
          deps,
        )
        alive.set(ws, true)
        ws.on('pong', () => alive.set(ws, true))
        ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => session.message(toBytes(data)))
        ws.on('close', () => session.closed())
        // ws closes the socket itself (1009 for an oversized message); only note why.
        ws.on('error', (error) => deps.log.warn('sync socket error', { error: errorKind(error) }))
      })
    } catch (error) {
      deps.log.error('sync upgrade failed', { error: errorKind(error) })
      // After the 101 an HTTP answer would be read as a websocket frame.
      if (upgraded) socket.destroy()
      else refuseSocket(socket, 500, 'Server error.')
    }
  })

  return async (code, reason) => {
    clearInterval(heartbeat)
    const gone = [...wss.clients].map((ws) => {
      const closed = new Promise((resolve) => ws.once('close', resolve))
      ws.close(code, reason)
      const timer = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS)
      return closed.finally(() => clearTimeout(timer))
    })
    await Promise.all(gone)
  }
}

/**
 * The message's bytes. A Buffer is a Uint8Array and is kept as it is: a view of it would cost a
 * typed array per message, and ws sends a Buffer passed on to other sockets without another.
 */
function toBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data)
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data
}
