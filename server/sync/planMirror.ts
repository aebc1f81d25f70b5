import type * as Y from 'yjs'
import { errorKind, type Logger } from '../log'
import { docKey, type MetaStore, parseDocKey } from '../storage/types'
import type { RoomRegistry } from './registry'
import type { Connection, Room } from './room'
import { serverPartOf, writeServerPart } from './serverPart'

/**
 * Keeps each plan's server part (piketpaaltjes, approvals, privétijd) equal to the atlas's
 * metadata, which is where they are decided, and reads documents for the server's own checks.
 */
export class PlanMirror {
  constructor(
    private readonly store: MetaStore,
    private readonly registry: RoomRegistry,
    private readonly log: Logger,
  ) {}

  /** For the registry: a plan room gets its server part from the metadata before anyone joins. */
  readonly prepare = async (room: Room): Promise<void> => {
    const key = parseDocKey(room.id)
    if (key?.name !== 'plan') return
    const meta = await this.store.getMeta(key.atlasId)
    if (!meta) return
    room.serverPart = serverPartOf(meta)
    writeServerPart(room.doc, room.serverPart)
  }

  /** Writes the metadata's server part into the plan (opening the plan if nobody has it open). */
  async mirror(atlasId: string): Promise<void> {
    const meta = await this.store.getMeta(atlasId)
    if (!meta) return
    await this.read(docKey(atlasId, 'plan'), (doc, room) => {
      room.serverPart = serverPartOf(meta)
      writeServerPart(doc, room.serverPart)
    })
  }

  /**
   * Runs `fn` on a document as the server (opening it if needed, and letting the registry save
   * and close it afterwards if nobody else has it open).
   */
  async read<T>(key: string, fn: (doc: Y.Doc, room: Room) => T): Promise<T> {
    const server: Connection = { role: 'edit', send: () => {} }
    const room = await this.registry.join(key, server)
    try {
      return fn(room.doc, room)
    } finally {
      this.registry.leave(key, server).catch((error) => {
        this.log.error('document release failed', { atlas: key, error: errorKind(error) })
      })
    }
  }
}
