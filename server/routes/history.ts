import type { Context } from 'hono'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import * as Y from 'yjs'
import {
  type HistoryComparison,
  type HistoryList,
  RestoreRequest,
  type RestoreResponse,
  type SnapshotContent,
  SnapshotId,
} from '../../shared/api/history'
import { deviceOf } from '../device'
import { docKey } from '../storage/types'
import type { AtlasRouteDeps } from './atlases'
import { jsonBody } from './atlases'
import { type LinkEnv, requireLink } from './gate'

/** The origin of the server's restore transactions: no connection's, so every device gets them. */
const RESTORE = Symbol('history restore')

/**
 * `/api/atlases/:id/history`: the snapshots of the maps (edit links only; every other role gets
 * 403). List them, read one, compare one with now, and put one person or the whole atlas back as a
 * new change through the room, after a snapshot of the atlas as it was just before; a restore is
 * noted in the access log.
 */
export function historyRoutes({ access, mirror, history, accessLog }: AtlasRouteDeps) {
  const editOnly = requireLink(access, ['edit'])
  const [limit, json, validate] = jsonBody(RestoreRequest)

  /** The snapshot in the path, read as a document; 400 for a malformed id, 404 for an unknown one. */
  const snapshotOf = async (c: Context<LinkEnv>) => {
    const id = c.req.param('snapshot') ?? ''
    if (!SnapshotId.safeParse(id).success) {
      throw new HTTPException(400, { message: 'This is not a snapshot id.' })
    }
    const atlasId = c.get('access').meta.id
    const info = (await history.list(atlasId)).find((s) => s.id === id)
    const state = info ? await history.load(atlasId, id) : null
    if (!info || !state) {
      throw new HTTPException(404, { message: 'This atlas has no snapshot with this id.' })
    }
    // The atlas schema (read by the history module) is a third of the server's heap: on first use.
    const domain = await import('../../shared/domain/history')
    const doc = new Y.Doc()
    try {
      Y.applyUpdate(doc, state)
      return { info, past: domain.readAtlasState(doc), domain }
    } finally {
      doc.destroy()
    }
  }

  return new Hono<LinkEnv>()
    .get('/history', editOnly, async (c) => {
      const body: HistoryList = {
        snapshots: await history.list(c.get('access').meta.id),
        keepDays: history.options.keepDays,
        maxSnapshots: history.options.maxSnapshots,
      }
      return c.json(body, 200)
    })
    .get('/history/:snapshot', editOnly, async (c) => {
      const { info, past } = await snapshotOf(c)
      const body: SnapshotContent = { snapshot: info, content: past.content }
      return c.json(body, 200)
    })
    .get('/history/:snapshot/compare', editOnly, async (c) => {
      const { past, domain } = await snapshotOf(c)
      const key = docKey(c.get('access').meta.id, 'atlas')
      const now = await mirror.read(key, (doc) => domain.readAtlasState(doc))
      const body: HistoryComparison = domain.compareStates(past, now)
      return c.json(body, 200)
    })
    .post('/history/:snapshot/restore', editOnly, limit, json, validate, async (c) => {
      const { meta, link } = c.get('access')
      const { personId } = c.req.valid('json')
      const { past, domain } = await snapshotOf(c)
      if (personId !== undefined && !past.content.persons.some((p) => p.id === personId)) {
        return c.json({ error: 'This person is not in this snapshot.' }, 404)
      }
      const key = docKey(meta.id, 'atlas')
      // The atlas as it is now is kept first, durably: a restore can itself be undone.
      const current = await mirror.read(key, (doc) => Y.encodeStateAsUpdate(doc))
      const before = await history.take(meta.id, current, 'before-restore')
      const restored = await mirror.read(key, (doc) =>
        personId === undefined
          ? domain.restoreAll(doc, past.records, RESTORE)
          : domain.restorePerson(doc, past.records, personId, RESTORE),
      )
      history.edited(key, link.id)
      // Who put back what kind of thing, and when: never whom or what it held.
      await accessLog.note(
        meta.id,
        personId === undefined ? 'restored-atlas' : 'restored-person',
        c.get('access'),
        deviceOf(c.req.header('User-Agent')),
      )
      const body: RestoreResponse = {
        persons: restored?.persons ?? 0,
        relations: restored?.relations ?? 0,
        before: before.id,
      }
      return c.json(body, 200)
    })
}
