import { z } from 'zod'

/**
 * Where the server says which versions it serves: public, the same for everyone, no atlas and no
 * secret. A server from before this address answers 404, which a client takes as "not known".
 */
export const SERVER_VERSION_PATH = '/api/version'

/** A serialised tldraw record schema (version 2): a version per migration sequence. */
export const RecordSchemaVersions = z.object({
  schemaVersion: z.literal(2),
  sequences: z.record(z.string(), z.number().int().min(0)),
})
export type RecordSchemaVersions = z.infer<typeof RecordSchemaVersions>

/** Answer of `GET /api/version`: the sync protocols the server serves and the record schema it stores. */
export const ServerVersion = z.object({
  /** The newest sync protocol it speaks (`SYNC_PROTOCOL` of its build). */
  protocol: z.number().int(),
  /** The oldest one it still serves; an older client is closed with 4426. */
  minProtocol: z.number().int(),
  /** The atlas record schema it validates and stores; a client with a newer one must not write. */
  schema: RecordSchemaVersions,
})
export type ServerVersion = z.infer<typeof ServerVersion>
