import { statfs } from 'node:fs/promises'
import type { IncomingMessage } from 'node:http'
import { zValidator } from '@hono/zod-validator'
import { type Context, Hono, type MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { z } from 'zod'
import {
  type AtlasInfo,
  CreateAtlasRequest,
  type CreateAtlasResponse,
  editUrl,
  MAX_ATLAS_FILE_BYTES,
  viewUrl,
} from '../../shared/api/atlases'
import type { ImportAtlasResponse } from '../../shared/api/atlasFile'
import type { AccessControl } from '../access'
import type { AccessLog } from '../accessLog'
import { clientAddress } from '../address'
import type { AddressBlock } from '../addressBlock'
import { makeLink, newAtlasId } from '../auth'
import type { VolumeLimits } from '../config'
import { deviceOf } from '../device'
import type { AtlasHistory } from '../history'
import { errorKind, type Logger } from '../log'
import { AddressRateLimit } from '../rateLimit'
import { type AtlasMeta, type AtlasStore, docKey } from '../storage/types'
import type { PlanMirror } from '../sync/planMirror'
import type { RoomRegistry } from '../sync/registry'
import { ERASED_MESSAGE, type LinkEnv, requireJson, requireLink } from './gate'
import { historyRoutes } from './history'
import { ImportRunner, readBodyParts } from './importRunner'
import { linkRoutes } from './links'
import { planRoutes } from './plan'
import { rightsRoutes } from './rights'
import { versionRoutes } from './versions'

/** Largest request body accepted when creating an atlas. */
const MAX_BODY_BYTES = 16 * 1024

/** A JSON body checked against `schema`; the first problem is the 400's message. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return [
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => c.json({ error: 'Request body is too large' }, 413),
    }),
    requireJson,
    zValidator('json', schema, (result, c) => {
      if (!result.success) {
        const message = result.error.issues[0]?.message ?? 'Invalid request body'
        return c.json({ error: message }, 400)
      }
    }),
  ] as const
}

/**
 * A new atlas's metadata with its first two links, an edit and a view link (no label: they were
 * made with the atlas), and their secrets.
 */
function newAtlas(title: string): { meta: AtlasMeta; editToken: string; viewToken: string } {
  const now = new Date()
  const edit = makeLink('edit', '', now)
  const view = makeLink('view', '', now)
  return {
    editToken: edit.token,
    viewToken: view.token,
    meta: {
      id: newAtlasId(),
      title,
      createdAt: now.toISOString(),
      // The first edit link carries the view secret too (`editUrl`).
      links: [edit.link, { ...view.link, carriedByEdit: true }],
      privateTime: { on: false, since: null },
      piketpaaltjes: [],
      approvals: [],
    },
  }
}

/** What limits the making of atlases: per address, by free disk space, and the import worker. */
export interface VolumeGuard {
  /** Refuses (429) an address that made too many atlases this minute. */
  creations: MiddlewareHandler
  /** Refuses (429) an address that imported too many files this minute. */
  imports: MiddlewareHandler
  /** Refuses (507) a new atlas when the data folder's disk is nearly full. */
  freeDisk: MiddlewareHandler
  importer: ImportRunner
}

/** The address of a request's client (without a Node request, as in `app.request`: one for all). */
export function requestAddress(c: Context, trustProxy: boolean): string {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming
  return incoming ? clientAddress(incoming, trustProxy) : 'unknown'
}

function perAddress(
  perMinute: number,
  trustProxy: boolean,
  what: string,
  block: AddressBlock | undefined,
): MiddlewareHandler {
  const limit = new AddressRateLimit(perMinute)
  return async (c, next) => {
    const address = requestAddress(c, trustProxy)
    const wait = limit.take(address)
    if (wait > 0) {
      block?.refused(address)
      c.header('Retry-After', String(wait))
      return c.json({ error: `Too many ${what} from this address; try again later` }, 429)
    }
    await next()
  }
}

/** The rate limits, free-space check and import worker of `createApp`'s deps. */
export function volumeGuard(deps: {
  dataDir: string
  volume: VolumeLimits
  maxDocumentBytes: number
  trustProxy: boolean
  log: Logger
  addressBlock?: AddressBlock
}): VolumeGuard {
  const { volume, trustProxy, addressBlock } = deps
  return {
    creations: perAddress(volume.atlasCreationsPerMinute, trustProxy, 'new atlases', addressBlock),
    imports: perAddress(volume.importsPerMinute, trustProxy, 'imports', addressBlock),
    freeDisk: async (c, next) => {
      if (volume.minFreeDiskBytes > 0) {
        // Asked each time (a statfs costs microseconds): space frees up and fills on its own.
        const disk = await statfs(deps.dataDir).catch(() => null)
        if (disk && disk.bavail * disk.bsize < volume.minFreeDiskBytes) {
          return c.json(
            {
              error:
                'The server is almost out of disk space, so no new atlas can be made now. Existing atlases still save.',
            },
            507,
          )
        }
      }
      await next()
    },
    importer: new ImportRunner(
      { maxRecords: volume.maxImportRecords, maxDocumentBytes: deps.maxDocumentBytes },
      deps.log,
    ),
  }
}

/** What the routes of an atlas need. */
export interface AtlasRouteDeps {
  store: AtlasStore
  access: AccessControl
  mirror: PlanMirror
  registry: RoomRegistry
  accessLog: AccessLog
  history: AtlasHistory
  log: Logger
  volume: VolumeGuard
}

/**
 * `/api/atlases`: create or import an atlas; tell a link holder what the link grants; the
 * atlas's links, privétijd, piketpaaltjes and approvals; its access log and erasure. Every
 * request about an erased atlas gets 410.
 */
export function atlasRoutes(deps: AtlasRouteDeps) {
  const { store, access, accessLog, history, volume } = deps
  const [limit, json, validate] = jsonBody(CreateAtlasRequest)
  // Every request about an erased atlas, whatever it asks and with whatever link.
  const gone: MiddlewareHandler = async (c, next) => {
    if (access.isErased(c.req.param('id') ?? '')) return c.json({ error: ERASED_MESSAGE }, 410)
    await next()
  }
  return new Hono()
    .use('/:id', gone)
    .use('/:id/*', gone)
    .post('/', volume.creations, volume.freeDisk, limit, json, validate, async (c) => {
      const { title } = c.req.valid('json')
      const { meta, editToken, viewToken } = newAtlas(title)
      await store.createAtlas(meta)
      await accessLog.note(meta.id, 'created', null, deviceOf(c.req.header('User-Agent')))
      const body: CreateAtlasResponse = {
        id: meta.id,
        editToken,
        viewToken,
        editUrl: editUrl(meta.id, editToken, viewToken),
        viewUrl: viewUrl(meta.id, viewToken),
      }
      return c.json(body, 201)
    })
    .post(
      '/import',
      volume.imports,
      volume.freeDisk,
      bodyLimit({
        maxSize: MAX_ATLAS_FILE_BYTES,
        onError: (c) => c.json({ error: 'The atlas file is too large' }, 413),
      }),
      requireJson,
      async (c) => {
        // Read in the import worker: parsing and migrating 20 MB takes seconds of a core, and the
        // atlas schema with its migrations would be a third of this thread's heap.
        const file = await volume.importer.run(await readBodyParts(c.req.raw, MAX_ATLAS_FILE_BYTES))
        if (!file.ok) {
          if (file.status === 503) c.header('Retry-After', '60')
          return c.json({ error: file.error }, file.status)
        }
        const { meta, editToken, viewToken } = newAtlas(file.title)
        await store.createAtlas(meta)
        try {
          await store.storeDoc(docKey(meta.id, 'atlas'), file.state)
          if (file.planState) await store.storeDoc(docKey(meta.id, 'plan'), file.planState)
          // Renumbered 1..n in the file's order, kept as they were otherwise; one write.
          if (file.versions.length > 0) {
            await store.addVersions(meta.id, (existing) =>
              file.versions.map((version, i) => ({ ...version, number: existing.length + i + 1 })),
            )
          }
        } catch (error) {
          // The answer is an error, so nobody gets this atlas's link: keep nothing of it.
          await store.removeAtlas(meta.id).catch(() => {})
          throw error
        }
        // The atlas as it came in: the first page of its history (the atlas stands without it).
        await history.take(meta.id, file.state, 'import').catch((error) => {
          deps.log.error('history snapshot failed', { atlas: meta.id, error: errorKind(error) })
        })
        await accessLog.note(meta.id, 'imported', null, deviceOf(c.req.header('User-Agent')))
        const body: ImportAtlasResponse = {
          id: meta.id,
          title: file.title,
          editToken,
          viewToken,
          editUrl: editUrl(meta.id, editToken, viewToken),
          viewUrl: viewUrl(meta.id, viewToken),
          skipped: file.skipped,
          skippedMore: file.skippedMore,
        }
        return c.json(body, 201)
      },
    )
    .get('/:id', requireLink(access), (c) => {
      const { meta, role, link } = c.get('access')
      const body: AtlasInfo = {
        id: meta.id,
        title: meta.title,
        createdAt: meta.createdAt,
        role,
        linkId: link.id,
        privateTime: access.isPrivate(meta.id),
      }
      return c.json(body, 200)
    })
    .route('/:id', linkRoutes(deps))
    .route('/:id', planRoutes(deps))
    .route('/:id', versionRoutes(deps))
    .route('/:id', rightsRoutes(deps))
    .route('/:id', historyRoutes(deps))
}

export type { LinkEnv }
