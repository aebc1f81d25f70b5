import { createHash } from 'node:crypto'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import {
  CreateVersionRequest,
  MAX_VERSIONS,
  type PlanVersion,
  type VersionList,
} from '../../shared/api/versions'
import { readAgreements } from '../../shared/plan/layout'
import { versionContent, versionHashInput } from '../../shared/plan/versions'
import { newLinkId } from '../auth'
import { docKey } from '../storage/types'
import type { AtlasRouteDeps } from './atlases'
import { jsonBody } from './atlases'
import { type LinkEnv, requireLink } from './gate'

/**
 * `/api/atlases/:id/versions`: the versions of the plan. An edit link keeps one (the end of a
 * meeting); the server reads the plan and the atlas itself and copies the names in, so a version
 * says what the documents said, not what a client claims. Every link reads them (professionals
 * not during privétijd).
 */
export function versionRoutes({ store, access, mirror }: AtlasRouteDeps) {
  const editOnly = requireLink(access, ['edit'])
  const [limit, json, validate] = jsonBody(CreateVersionRequest)
  return new Hono<LinkEnv>()
    .get('/versions', requireLink(access), async (c) => {
      const body: VersionList = { versions: await store.listVersions(c.get('access').meta.id) }
      return c.json(body, 200)
    })
    .post('/versions', editOnly, limit, json, validate, async (c) => {
      const { meta } = c.get('access')
      const { meetingId } = c.req.valid('json')
      // The atlas schema (read by readAtlasContent) is a third of the server's heap: on first use.
      const { readAtlasContent } = await import('../../shared/domain/content')
      const atlas = await mirror.read(docKey(meta.id, 'atlas'), (doc) => readAtlasContent(doc))
      const agreements = await mirror.read(docKey(meta.id, 'plan'), (doc) => readAgreements(doc))
      const names = new Map(atlas.persons.map((p) => [p.id, p.name]))
      const content = versionContent(
        atlas.client?.name ?? '',
        atlas.questions.map((q) => ({ id: q.id, text: q.text })),
        agreements,
        (id) => names.get(id) ?? null,
      )
      const planHash = createHash('sha256').update(versionHashInput(content), 'utf8').digest('hex')
      const version = await store.addVersion(meta.id, (existing): PlanVersion => {
        if (existing.length >= MAX_VERSIONS) {
          throw new HTTPException(409, {
            message: `This plan already has ${MAX_VERSIONS} versions, the most it can keep.`,
          })
        }
        return {
          id: newLinkId(),
          number: existing.length + 1,
          at: new Date().toISOString(),
          meetingId,
          planHash,
          content,
        }
      })
      return c.json(version, 201)
    })
}
