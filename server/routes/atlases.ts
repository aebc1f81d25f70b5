import { zValidator } from '@hono/zod-validator'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import {
  type AtlasInfo,
  CreateAtlasRequest,
  type CreateAtlasResponse,
  editUrl,
  MAX_ATLAS_FILE_BYTES,
  viewUrl,
} from '../../shared/api/atlases'
import type { ImportAtlasResponse } from '../../shared/api/atlasFile'
import { authorize, hashToken, newAtlasId, newToken } from '../auth'
import type { AtlasStore } from '../storage/types'

/** The one answer for every link that grants nothing, so no one can probe which atlases exist. */
export const NOT_FOUND_MESSAGE = 'No atlas found for this link.'

/** Largest request body accepted when creating an atlas. */
const MAX_BODY_BYTES = 16 * 1024

/** Answers 400 unless the request says its body is JSON. */
async function requireJson(
  c: {
    req: { header(name: string): string | undefined }
    json(body: unknown, status: 400): Response
  },
  next: () => Promise<void>,
) {
  const type = c.req.header('Content-Type') ?? ''
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    return c.json({ error: 'Request body must be JSON (Content-Type: application/json)' }, 400)
  }
  await next()
}

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
    .post(
      '/import',
      bodyLimit({
        maxSize: MAX_ATLAS_FILE_BYTES,
        onError: (c) => c.json({ error: 'The atlas file is too large' }, 413),
      }),
      requireJson,
      async (c) => {
        let json: unknown
        try {
          json = await c.req.json()
        } catch {
          return c.json({ error: 'The atlas file is not valid JSON' }, 400)
        }
        // The atlas schema and its migrations are a third of the server's heap: loaded on first use.
        const { atlasFileState } = await import('./importAtlas')
        const file = atlasFileState(json)
        if (!file.ok) return c.json({ error: file.error }, 400)
        const { state } = file
        const id = newAtlasId()
        const editToken = newToken()
        const viewToken = newToken()
        await store.createAtlas({
          id,
          title: file.title,
          createdAt: new Date().toISOString(),
          editHash: hashToken(editToken),
          viewHash: hashToken(viewToken),
        })
        try {
          await store.storeDoc(id, state)
        } catch (error) {
          // The answer is an error, so nobody gets this atlas's link: keep nothing of it.
          await store.removeAtlas(id).catch(() => {})
          throw error
        }
        const body: ImportAtlasResponse = {
          id,
          title: file.title,
          editToken,
          viewToken,
          editUrl: editUrl(id, editToken, viewToken),
          viewUrl: viewUrl(id, viewToken),
          skipped: file.skipped,
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
