import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ApiError } from '../shared/api/atlases'
import {
  type RecordSchemaVersions,
  SERVER_VERSION_PATH,
  type ServerVersion,
} from '../shared/api/serverVersion'
import { atlasSchema } from '../shared/schema'
import { MIN_SYNC_PROTOCOL, SYNC_PROTOCOL } from '../shared/sync/layout'
import type { AccessControl } from './access'
import type { AccessLog } from './accessLog'
import type { AddressBlock } from './addressBlock'
import type { VolumeLimits } from './config'
import type { AtlasHistory } from './history'
import { errorKind, type Logger, loggedPath } from './log'
import { atlasRoutes, requestAddress, type VolumeGuard, volumeGuard } from './routes/atlases'
import { ERASED_MESSAGE } from './routes/gate'
import { clientFiles } from './static'
import type { AtlasStore } from './storage/types'
import type { PlanMirror } from './sync/planMirror'
import { RoomGoneError, type RoomRegistry } from './sync/registry'

/** What the app needs from the outside world. */
export interface AppDeps {
  store: AtlasStore
  access: AccessControl
  mirror: PlanMirror
  /** The rooms in memory (an erased atlas's are dropped). */
  registry: RoomRegistry
  accessLog: AccessLog
  /** The snapshots of each atlas's maps. */
  history: AtlasHistory
  log: Logger
  /** Folder of the built client. */
  clientDir: string
  /** Folder of the stored atlases, whose free space decides whether a new one may be made. */
  dataDir: string
  volume: VolumeLimits
  /** Largest atlas an import may make (the sync server's `maxDocumentBytes`). */
  maxDocumentBytes: number
  /** The address people open the app at, if known: an https one turns on HSTS. */
  publicUrl: string | null
  /** Whether a reverse proxy sets X-Forwarded-For (see `clientAddress`). */
  trustProxy: boolean
  /** Addresses refused too often, turned away for a while (none blocked when absent). */
  addressBlock?: AddressBlock
  /** The record schema `GET /api/version` announces (tests only; the server's own when absent). */
  announcedSchema?: RecordSchemaVersions | null
}

/**
 * The page's Content-Security-Policy: everything from our own origin, no inline script, nothing
 * from elsewhere. Styles allow 'unsafe-inline' because tldraw and React put style attributes on
 * every shape (positions, sizes, colours) and tldraw adds <style> elements; no script can run
 * from a style. `data:` and `blob:` images, fonts and workers are what the exports and tldraw's
 * own images and text measuring use; tldraw also reads data: and blob: URLs with fetch (the
 * exports' embedded fonts), which never leaves the device. 'self' covers the sync websocket.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' data: blob:",
  "worker-src 'self' blob:",
  "media-src 'self' data: blob:",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

/** Browser features the app never uses, switched off for the page and anything in it. */
export const PERMISSIONS_POLICY = [
  'accelerometer',
  'bluetooth',
  'camera',
  'display-capture',
  'geolocation',
  'gyroscope',
  'hid',
  'magnetometer',
  'microphone',
  'midi',
  'payment',
  'serial',
  'usb',
]
  .map((feature) => `${feature}=()`)
  .join(', ')

/** HSTS for a server known to be reached over https: a year, this host only. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000'

/** The atlas id in the path of a request about one atlas. */
const ATLAS_PATH = /^\/api\/atlases\/([A-Za-z0-9_-]{22})(?:\/|$)/

/** The HTTP app: API, headers, request log and the built client. It never listens. */
export function createApp(deps: AppDeps) {
  const { store, access, mirror, registry, accessLog, history, log, clientDir } = deps
  const app = new Hono()
  const https = deps.publicUrl?.startsWith('https:') ?? false
  const volume: VolumeGuard = volumeGuard(deps)

  // A load balancer's health check (deploy/haproxy.cfg): cheap, no secret, no atlas, and not in
  // the request log, which it would fill with a line every few seconds.
  app.get('/api/health', (c) => {
    c.header('Cache-Control', 'no-store')
    return c.text('ok')
  })

  // Behind a proxy a blocked address still reaches us (its connections are the proxy's).
  const block = deps.addressBlock
  if (block) {
    app.use(async (c, next) => {
      const address = requestAddress(c, deps.trustProxy)
      if (block.blocked(address)) {
        c.header('Retry-After', String(block.remaining(address)))
        c.header('Connection', 'close')
        return c.json(
          { error: 'Too many refused requests from this address; try again later' },
          429,
        )
      }
      await next()
    })
  }

  app.use(async (c, next) => {
    const started = performance.now()
    await next()
    // The path only: a query string could carry a secret.
    log.info('http', {
      method: c.req.method,
      path: loggedPath(c.req.path),
      status: c.res.status,
      ms: Math.round(performance.now() - started),
    })
  })

  app.use(async (c, next) => {
    await next()
    c.header('Referrer-Policy', 'no-referrer')
    c.header('X-Content-Type-Options', 'nosniff')
    c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    // For browsers that do not read frame-ancestors.
    c.header('X-Frame-Options', 'DENY')
    c.header('Permissions-Policy', PERMISSIONS_POLICY)
    if (https) c.header('Strict-Transport-Security', STRICT_TRANSPORT_SECURITY)
    if (c.req.path.startsWith('/api/')) c.header('Cache-Control', 'no-store')
  })

  app.onError((error, c) => {
    if (error instanceof HTTPException && error.status < 500) {
      return c.json({ error: error.message || 'Bad request' } satisfies ApiError, error.status)
    }
    // A request let in just before its atlas was erased finds the atlas's rooms or files gone
    // halfway: it gets the answer it would have got a moment later, not a server error.
    const atlasId = ATLAS_PATH.exec(c.req.path)?.[1]
    if (error instanceof RoomGoneError || (atlasId && access.isErased(atlasId))) {
      return c.json({ error: ERASED_MESSAGE } satisfies ApiError, 410)
    }
    log.error('http error', {
      method: c.req.method,
      path: loggedPath(c.req.path),
      error: errorKind(error),
    })
    return c.json({ error: 'Something went wrong on the server.' } satisfies ApiError, 500)
  })

  const routes = app.route(
    '/api/atlases',
    atlasRoutes({ store, access, mirror, registry, accessLog, history, log, volume }),
  )

  // Public and the same for everyone: a client compares it with its own before it writes.
  const version: ServerVersion = {
    protocol: SYNC_PROTOCOL,
    minProtocol: MIN_SYNC_PROTOCOL,
    schema: deps.announcedSchema ?? (atlasSchema.serialize() as RecordSchemaVersions),
  }
  app.get(SERVER_VERSION_PATH, (c) => c.json(version))

  app.all('/api/*', (c) => c.json({ error: 'Not found' } satisfies ApiError, 404))
  app.all('/sync/*', (c) => c.text('This address is for websocket connections.', 426))
  app.use('*', clientFiles(clientDir))

  return routes
}

/** The app's type, for a typed client (`hc<AppType>`). */
export type AppType = ReturnType<typeof createApp>
