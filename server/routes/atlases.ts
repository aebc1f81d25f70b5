import { zValidator } from '@hono/zod-validator'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import {
  type AtlasInfo,
  CreateAtlasRequest,
  type CreateAtlasResponse,
  editUrl,
  viewUrl,
} from '../../shared/api/atlases'
import { authorize, hashToken, newAtlasId, newToken } from '../auth'
import type { AtlasStore } from '../storage/types'

/** The one answer for every link that grants nothing, so no one can probe which atlases exist. */
export const NOT_FOUND_MESSAGE = 'No atlas found for this link.'

/** Largest request body accepted when creating an atlas. */
const MAX_BODY_BYTES = 16 * 1024

function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '')
  return match?.[1] ?? null
}

/** `/api/atlases`: create an atlas; tell a link holder what the link grants. */
export function atlasRoutes(store: AtlasStore) {
  return new Hono()
    .post(
      '/',
      bodyLimit({
        maxSize: MAX_BODY_BYTES,
        onError: (c) => c.json({ error: 'Request body is too large' }, 413),
      }),
      async (c, next) => {
        const type = c.req.header('Content-Type') ?? ''
        if (!/^application\/json\s*(;|$)/i.test(type)) {
          return c.json(
            { error: 'Request body must be JSON (Content-Type: application/json)' },
            400,
          )
        }
        await next()
      },
      zValidator('json', CreateAtlasRequest, (result, c) => {
        if (!result.success) {
          const message = result.error.issues[0]?.message ?? 'Invalid request body'
          return c.json({ error: message }, 400)
        }
      }),
      async (c) => {
        const { title } = c.req.valid('json')
        const id = newAtlasId()
        const editToken = newToken()
        const viewToken = newToken()
        await store.createAtlas({
          id,
          title,
          createdAt: new Date().toISOString(),
          editHash: hashToken(editToken),
          viewHash: hashToken(viewToken),
        })
        const body: CreateAtlasResponse = {
          id,
          editToken,
          viewToken,
          editUrl: editUrl(id, editToken, viewToken),
          viewUrl: viewUrl(id, viewToken),
        }
        return c.json(body, 201)
      },
    )
    .get('/:id', async (c) => {
      const access = await authorize(
        store,
        c.req.param('id'),
        bearerToken(c.req.header('Authorization')),
      )
      if (!access) return c.json({ error: NOT_FOUND_MESSAGE }, 404)
      const { meta, role } = access
      const body: AtlasInfo = { id: meta.id, title: meta.title, createdAt: meta.createdAt, role }
      return c.json(body, 200)
    })
}
