/**
 * Clients in the load generator: a Y.Doc with each server's own provider (y-websocket's
 * `WebsocketProvider` for ours and the reference, `HocuspocusProvider` for Hocuspocus), one
 * websocket each, counting the bytes it receives from the server.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import { WebSocket } from 'ws'
import type { Awareness } from 'y-protocols/awareness'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import type { Peer, RoomRef } from './peers'

/** Bytes that crossed the client sockets (websocket payloads). */
export interface Traffic {
  /** From the server to the clients. */
  received: number
  /** From the clients to the server. */
  sent: number
}

export function newTraffic(): Traffic {
  return { received: 0, sent: 0 }
}

function byteSize(data: unknown): number {
  if (typeof data === 'string') return Buffer.byteLength(data)
  if (data instanceof ArrayBuffer) return data.byteLength
  if (ArrayBuffer.isView(data)) return data.byteLength
  if (Array.isArray(data)) return data.reduce((n: number, part) => n + byteSize(part), 0)
  return 0
}

/** A `ws` WebSocket class that adds every payload it carries to `traffic`. */
function countingWebSocket(traffic: Traffic): typeof WebSocket {
  return class CountingWebSocket extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args)
      this.on('message', (data) => {
        traffic.received += byteSize(data)
      })
      const send = this.send.bind(this) as (...a: unknown[]) => void
      this.send = ((...a: unknown[]) => {
        traffic.sent += byteSize(a[0])
        send(...a)
      }) as WebSocket['send']
    }
  } as typeof WebSocket
}

/** One connected replica. */
export interface Client {
  doc: Y.Doc
  awareness: Awareness
  /** Resolves once the first sync with the server is complete. */
  synced: Promise<void>
  destroy(): void
}

/** Connects a fresh Y.Doc to `room` on `peer`. */
export function connectClient(peer: Peer, room: RoomRef, traffic: Traffic): Client {
  const doc = new Y.Doc()
  const Polyfill = countingWebSocket(traffic)
  if (peer.kind === 'hocuspocus') {
    const socket = new HocuspocusProviderWebsocket({
      url: peer.wsUrl,
      WebSocketPolyfill: Polyfill,
    })
    const provider = new HocuspocusProvider({
      websocketProvider: socket,
      name: room.name,
      document: doc,
    })
    provider.attach()
    const synced = new Promise<void>((resolve) => {
      if (provider.isSynced) resolve()
      else provider.on('synced', () => resolve())
    })
    return {
      doc,
      awareness: provider.awareness as Awareness,
      synced,
      destroy() {
        provider.destroy()
        socket.destroy()
        doc.destroy()
      },
    }
  }
  const provider = new WebsocketProvider(peer.wsUrl, room.name, doc, {
    WebSocketPolyfill: Polyfill as unknown as typeof globalThis.WebSocket,
    params: room.token ? { token: room.token } : {},
    disableBc: true,
  })
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) return resolve()
    const onSync = (isSynced: boolean) => {
      if (!isSynced) return
      provider.off('sync', onSync)
      resolve()
    }
    provider.on('sync', onSync)
  })
  return {
    doc,
    awareness: provider.awareness,
    synced,
    destroy() {
      provider.destroy()
      doc.destroy()
    },
  }
}

/** Rejects if `promise` does not settle within `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms)
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })
}
