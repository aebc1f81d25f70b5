import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ApiError } from '../shared/api/atlases'
import type { AccessControl } from './access'
import type { AccessLog } from './accessLog'
import { errorKind, type Logger, loggedPath } from './log'
import { atlasRoutes } from './routes/atlases'
import { clientFiles } from './static'
import type { AtlasStore } from './storage/types'
import type { PlanMirror } from './sync/planMirror'
import type { RoomRegistry } from './sync/registry'

/** What the app needs from the outside world. */
export interface AppDeps {
  store: AtlasStore
  access: AccessControl
  mirror: PlanMirror
  /** The rooms in memory (an erased atlas's are dropped). */
  registry: RoomRegistry
  accessLog: AccessLog
  log: Logger
  /** Folder of the built client. */
  clientDir: string
}

/** The HTTP app: API, headers, request log and the built client. It never listens. */
export function createApp({ store, access, mirror, registry, accessLog, log, clientDir }: AppDeps) {
  const app = new Hono()

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
    if (c.req.path.startsWith('/api/')) c.header('Cache-Control', 'no-store')
  })

  app.onError((error, c) => {
    if (error instanceof HTTPException && error.status < 500) {
      return c.json({ error: error.message || 'Bad request' } satisfies ApiError, error.status)
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
    atlasRoutes({ store, access, mirror, registry, accessLog, log }),
  )

  app.all('/api/*', (c) => c.json({ error: 'Not found' } satisfies ApiError, 404))
  app.all('/sync/*', (c) => c.text('This address is for websocket connections.', 426))
  app.use('*', clientFiles(clientDir))

  return routes
}

/** The app's type, for a typed client (`hc<AppType>`). */
export type AppType = ReturnType<typeof createApp>
