import type { IncomingMessage, Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { serve } from '@hono/node-server'
import { CloseCode } from '../shared/sync/layout'
import { type AccessChange, AccessControl } from './access'
import { AccessLog } from './accessLog'
import { AddressBlock } from './addressBlock'
import { createApp } from './app'
import type { Config } from './config'
import { AtlasHistory } from './history'
import { errorKind, type Logger } from './log'
import { refuseSocket } from './refuse'
import { AtRestCipher } from './storage/encryption'
import { LowdbAtlasStore } from './storage/lowdb'
import { type AtlasStore, docKey } from './storage/types'
import { CoolDown } from './sync/limits'
import { PlanMirror } from './sync/planMirror'
import type { RedisRooms } from './sync/redisRooms'
import { RoomRegistry } from './sync/registry'
import { attachSyncServer } from './sync/websocket'

/** A running server. */
export interface RunningServer {
  /** `http://host:port` with the port actually bound. */
  url: string
  port: number
  store: AtlasStore
  registry: RoomRegistry
  access: AccessControl
  /**
   * Stops: no new connections, every socket closed with 1001 (clients reconnect), every pending
   * save and note of a link's use written to disk. Rejects if a save failed.
   */
  close(): Promise<void>
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host
}

/** Opens the storage and listens with the HTTP API, the client and the sync websocket. */
export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  const cipher = config.encryptionKey ? new AtRestCipher(config.encryptionKey) : null
  let store: AtlasStore
  let shared: RedisRooms | null = null
  let closeStore = async () => {}
  if (config.scaled) {
    // Only the scaled mode loads PostgreSQL's and Redis's clients (the embedded server starts
    // without them).
    const [{ PostgresAtlasStore }, { RedisRooms }] = await Promise.all([
      import('./storage/postgres'),
      import('./sync/redisRooms'),
    ])
    const database = await PostgresAtlasStore.open(config.scaled.databaseUrl, { cipher, log })
    store = database
    closeStore = () => database.close()
    // The rooms, and changes of who may be in them, are shared through Redis.
    shared = new RedisRooms(config.scaled.redisUrl, log, {
      changed: (atlasId, change) => void applyElsewhere(atlasId, change),
      catchUp: () => {
        for (const atlasId of access.catchUp()) void applyElsewhere(atlasId, {})
      },
    })
  } else {
    store = await LowdbAtlasStore.open(config.dataDir, { cipher, log })
  }
  const access = new AccessControl(store, log)
  const history = new AtlasHistory(store, config.history, log)
  if (shared) access.announce = (atlasId, change) => shared.announce(atlasId, change)
  /** A change another instance made to who may be in an atlas; an erased one's rooms go. */
  const applyElsewhere = async (atlasId: string, change: AccessChange) => {
    try {
      if (await access.applyElsewhere(atlasId, change)) {
        await Promise.all([
          registry.discard(docKey(atlasId, 'atlas')),
          registry.discard(docKey(atlasId, 'plan')),
        ])
        accessLog.forget(atlasId)
      }
    } catch (error) {
      log.warn('access change not applied', { atlas: atlasId, error: errorKind(error) })
    }
  }
  const registry: RoomRegistry = new RoomRegistry(
    store,
    {
      debounceMs: config.saveDebounceMs,
      maxWaitMs: config.saveMaxWaitMs,
      idleMs: config.roomIdleMs,
      retryMaxMs: config.saveRetryMaxMs,
    },
    log,
    async (room) => {
      await mirror.prepare(room)
      shared?.attach(room)
    },
    config.limits,
    {
      edited: (id, linkId) => history.edited(id, linkId),
      saved: (id, doc) => history.saved(id, doc),
    },
  )
  const mirror = new PlanMirror(store, registry, log)
  const accessLog = new AccessLog(store, log, config.accessLogDays)
  const addressBlock = new AddressBlock(
    config.volume.addressBlockRefusals,
    config.volume.addressBlockSeconds,
    () => log.warn('address blocked', { seconds: config.volume.addressBlockSeconds }),
  )
  const app = createApp({
    store,
    log,
    clientDir: config.clientDir,
    access,
    mirror,
    registry,
    accessLog,
    history,
    dataDir: config.dataDir,
    volume: config.volume,
    maxDocumentBytes: config.limits.maxDocumentBytes,
    publicUrl: config.publicUrl,
    trustProxy: config.trustProxy,
    addressBlock,
    announcedSchema: config.announcedSchema,
  })
  let listening = false
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve(
      {
        fetch: app.fetch,
        port: config.port,
        hostname: config.host,
        serverOptions: {
          // A connection that does not finish its headers (or its request) in time is closed;
          // Node checks every connection once a second instead of every 30 s.
          headersTimeout: config.http.headersTimeoutMs,
          requestTimeout: config.http.requestTimeoutMs,
          connectionsCheckingInterval: 1000,
        },
      },
      () => {
        listening = true
        resolve(s as Server)
      },
    ) as Server
    // Before listening an error means no server; after it (a failed accept) only a note, since
    // an 'error' event without a listener would end the process.
    s.on('error', (error) => {
      if (listening) log.error('server error', { error: errorKind(error) })
      else reject(error)
    })
  })
  // A blocked address's connections are closed as they come, before Node reads a byte of them;
  // behind a proxy they are the proxy's, and its requests are refused one by one (createApp).
  if (!config.trustProxy) {
    server.prependListener('connection', (socket: Socket) => {
      if (addressBlock.blocksConnection(socket)) socket.destroy()
    })
  }
  // Without a listener Node drops a CONNECT request unanswered; it gets a clear refusal.
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => socket.destroy())
    refuseSocket(socket, 405, 'This server does not open tunnels.')
  })
  const closeSockets = attachSyncServer(server, {
    access,
    registry,
    log,
    limits: config.limits,
    coolDown: new CoolDown(config.limits.refusalCoolDownMs, config.limits.refusalCoolDownMaxMs),
    trustProxy: config.trustProxy,
    addressBlock,
    accessLog,
  })
  const port = (server.address() as AddressInfo).port

  let closing: Promise<void> | undefined
  const close = () => {
    closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeIdleConnections()
      const socketsClosed = closeSockets(CloseCode.GoingAway, 'Server is restarting')
      await registry.flushAll()
      // The last saves may have started a snapshot of the history.
      await history.settled()
      await socketsClosed
      // After the sockets: a connection being let in may still note its link's use.
      await access.settled()
      server.closeAllConnections()
      await stopped
      // After the last save: Redis's and the database's connections go last.
      await shared?.close()
      await closeStore()
    })()
    return closing
  }

  return {
    url: `http://${hostForUrl(config.host)}:${port}`,
    port,
    store,
    registry,
    access,
    close,
  }
}
