import { Hono } from 'hono'
import { type AccessLogResponse, ExportNoteRequest } from '../../shared/api/accessLog'
import type { AccessControl } from '../access'
import type { AccessLog } from '../accessLog'
import { deviceOf } from '../device'
import type { AtlasHistory } from '../history'
import type { Logger } from '../log'
import { docKey, type RightsStore } from '../storage/types'
import type { RoomRegistry } from '../sync/registry'
import type { AtlasRouteDeps } from './atlases'
import { jsonBody } from './atlases'
import { type LinkEnv, requireLink } from './gate'

/**
 * The client's rights: `GET /api/atlases/:id/access-log` (edit links) lists who opened the atlas
 * and what was done with its links; `POST …/access-log/exports` (any link) notes an export made
 * on a device; `DELETE /api/atlases/:id` (edit links) erases the atlas.
 */
export function rightsRoutes({
  store,
  access: control,
  registry,
  accessLog,
  history,
  log,
}: AtlasRouteDeps) {
  const editOnly = requireLink(control, ['edit'])
  const [limit, json, validate] = jsonBody(ExportNoteRequest)
  return new Hono<LinkEnv>()
    .get('/access-log', editOnly, async (c) => {
      const { meta } = c.get('access')
      const body: AccessLogResponse = {
        entries: await accessLog.read(meta.id),
        retentionDays: accessLog.retentionDays,
      }
      return c.json(body, 200)
    })
    .post('/access-log/exports', requireLink(control), limit, json, validate, async (c) => {
      const access = c.get('access')
      if (!accessLog.mayNoteExport(access.link.id)) {
        c.header('Retry-After', '10')
        return c.json({ error: 'Too many exports noted; try again in a moment.' }, 429)
      }
      await accessLog.exported(
        access,
        deviceOf(c.req.header('User-Agent')),
        c.req.valid('json').kind,
      )
      return c.body(null, 204)
    })
    .delete('/', editOnly, async (c) => {
      const { meta } = c.get('access')
      await eraseAtlas(meta.id, { store, access: control, registry, accessLog, history, log })
      return c.body(null, 204)
    })
}

/**
 * Erases an atlas: from the first step no link of it works and its sockets close (4410); its
 * rooms are dropped unsaved once a save under way has settled; then every file of it is removed
 * and only the record of its erasure stays. Every later request about it gets 410.
 */
export async function eraseAtlas(
  id: string,
  deps: {
    store: RightsStore
    access: AccessControl
    registry: RoomRegistry
    accessLog: AccessLog
    history?: AtlasHistory
    log: Logger
  },
): Promise<void> {
  deps.access.markErased(id)
  await Promise.all([
    deps.registry.discard(docKey(id, 'atlas')),
    deps.registry.discard(docKey(id, 'plan')),
  ])
  await deps.store.eraseAtlas(id, new Date())
  deps.accessLog.forget(id)
  deps.history?.forget(id)
  deps.log.info('atlas erased', { atlas: id })
}
