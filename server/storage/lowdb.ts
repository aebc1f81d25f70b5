import { createHash } from 'node:crypto'
import { mkdir, open, readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { Low } from 'lowdb'
import * as Y from 'yjs'
import { z } from 'zod'
import { isAtlasId } from '../../shared/sync/ids'
import { CorruptFileError, DurableJSONFile, fsyncDir } from './durable-file'
import { type AtlasMeta, type AtlasStore, StorageError } from './types'

const hex64 = z.string().regex(/^[0-9a-f]{64}$/)

const MetaFile = z.object({
  version: z.literal(1),
  id: z.string(),
  title: z.string(),
  createdAt: z.string(),
  editHash: hex64,
  viewHash: hex64,
})
type MetaFile = z.infer<typeof MetaFile>

const DocFile = z.object({
  version: z.literal(1),
  /** The whole Yjs state as one update (v1 encoding), base64. */
  state: z.string(),
  /** Hex SHA-256 of the state's bytes; absent in snapshots written before it was kept. */
  sha256: hex64.optional(),
  savedAt: z.string(),
})
type DocFile = z.infer<typeof DocFile>

/** What `z.base64()` accepts, checked only for snapshots that carry no checksum. */
const BASE64 = /^$|^(?:[0-9a-zA-Z+/]{4})*(?:(?:[0-9a-zA-Z+/]{2}==)|(?:[0-9a-zA-Z+/]{3}=))?$/

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** The append-only log of updates since `doc.json` was written: one base64 update per line. */
const LOG_FILE = 'updates.log'

/**
 * The embedded storage: a folder per atlas under `<dataDir>/atlases/`, holding `meta.json`
 * (title, creation time, token hashes), `doc.json` (a snapshot of the Yjs state) and, while
 * people edit, `updates.log` (the updates since the snapshot). The JSON files are lowdb databases
 * written durably; lowdb rewrites a whole file per write, so the updates go to a plain
 * append-only file (fsynced per append) that `storeDoc` folds into the snapshot. Saving one
 * atlas costs the same however many are stored, and a damaged file only affects its own atlas.
 * A snapshot carries the SHA-256 of its state, so a loaded state is known intact without
 * decoding it (older snapshots are decoded once and rewritten with it).
 */
export class LowdbAtlasStore implements AtlasStore {
  readonly checksLoadedState = true
  /** Atlases whose update log is known to exist with its directory entry on disk. */
  readonly #logsOnDisk = new Set<string>()

  private constructor(readonly root: string) {}

  /** Opens (and creates if needed) the storage under `dataDir`. */
  static async open(dataDir: string): Promise<LowdbAtlasStore> {
    const root = join(dataDir, 'atlases')
    await mkdir(root, { recursive: true, mode: 0o700 })
    return new LowdbAtlasStore(root)
  }

  /** The folder of one atlas. */
  atlasDir(id: string): string {
    if (!isAtlasId(id)) throw new StorageError('Not an atlas id')
    return join(this.root, id)
  }

  async createAtlas(meta: AtlasMeta): Promise<void> {
    const dir = this.atlasDir(meta.id)
    try {
      await mkdir(dir, { mode: 0o700 })
    } catch (error) {
      if ((error as { code?: string }).code === 'EEXIST') {
        throw new StorageError(`Atlas ${meta.id} already exists`)
      }
      throw error
    }
    try {
      await fsyncDir(this.root)
      const db = new Low<MetaFile | null>(new DurableJSONFile(join(dir, 'meta.json')), null)
      db.data = { version: 1, ...meta }
      await db.write()
    } catch (error) {
      // No folder without its meta.json is left behind.
      await this.removeAtlas(meta.id).catch(() => {})
      throw error
    }
  }

  async removeAtlas(id: string): Promise<void> {
    await rm(this.atlasDir(id), { recursive: true, force: true })
    this.#logsOnDisk.delete(id)
    await fsyncDir(this.root)
  }

  async getMeta(id: string): Promise<AtlasMeta | null> {
    if (!isAtlasId(id)) return null
    const data = await this.readFile(id, 'meta.json', MetaFile)
    if (!data) return null
    const { version: _, ...meta } = data
    if (meta.id !== id) throw new StorageError(`Atlas ${id}: meta.json belongs to another atlas`)
    return meta
  }

  /**
   * The snapshot plus the logged updates, checked to be intact. A non-empty log, or a snapshot
   * without a checksum, is decoded and written back as one checksummed snapshot.
   */
  async loadDoc(id: string): Promise<Uint8Array | null> {
    await this.removeStaleTempFiles(id)
    const data = await this.readFile(id, 'doc.json', DocFile)
    const snapshot = data ? this.snapshotState(id, data) : null
    const updates = await this.readLog(id)
    if (updates.length === 0 && (!snapshot || data?.sha256)) return snapshot
    let state: Uint8Array
    try {
      // Decoding is the check; merging the snapshot with the log decodes it too.
      if (updates.length === 0) Y.decodeUpdate(snapshot as Uint8Array)
      state = Y.mergeUpdates(snapshot ? [snapshot, ...updates] : updates)
    } catch {
      throw new StorageError(`Atlas ${id}: doc.json is damaged (not a Yjs update)`)
    }
    await this.storeDoc(id, state)
    return state
  }

  /** One line per update, in one write and one fsync (no merging: that would decode them all). */
  async appendUpdates(id: string, updates: readonly Uint8Array[]): Promise<void> {
    const path = join(this.atlasDir(id), LOG_FILE)
    let lines = ''
    for (const u of updates) {
      lines += `${Buffer.from(u.buffer, u.byteOffset, u.byteLength).toString('base64')}\n`
    }
    const handle = await open(path, 'a', 0o600)
    try {
      await handle.write(lines)
      await handle.datasync()
    } finally {
      await handle.close()
    }
    // A new file's directory entry must reach the disk too.
    if (!this.#logsOnDisk.has(id)) {
      await fsyncDir(this.atlasDir(id))
      this.#logsOnDisk.add(id)
    }
  }

  /** Writes the snapshot, then drops the log (a crash in between only replays updates again). */
  async storeDoc(id: string, state: Uint8Array): Promise<void> {
    await this.writeSnapshot(id, state)
    const log = join(this.atlasDir(id), LOG_FILE)
    let removed = true
    await rm(log).catch((error: { code?: string }) => {
      if (error.code !== 'ENOENT') throw error
      removed = false
    })
    this.#logsOnDisk.delete(id)
    if (removed) await fsyncDir(this.atlasDir(id))
  }

  /**
   * The complete updates of the log. A crash during an append can leave a last line without its
   * newline, or bytes that do not decode: that update was never acknowledged, so it is dropped.
   */
  private async readLog(id: string): Promise<Uint8Array[]> {
    let text: string
    try {
      text = await readFile(join(this.atlasDir(id), LOG_FILE), 'utf8')
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return []
      throw error
    }
    const lines = text.split('\n')
    lines.pop()
    const updates: Uint8Array[] = []
    for (const line of lines) {
      const update = new Uint8Array(Buffer.from(line, 'base64'))
      try {
        Y.decodeUpdate(update)
      } catch {
        break
      }
      updates.push(update)
    }
    return updates
  }

  /** The state bytes of a snapshot; throws if they do not match its checksum or are not base64. */
  private snapshotState(id: string, data: DocFile): Uint8Array {
    const damaged = () => new StorageError(`Atlas ${id}: doc.json is damaged (state)`)
    if (!data.sha256 && !BASE64.test(data.state)) throw damaged()
    const state = new Uint8Array(Buffer.from(data.state, 'base64'))
    if (data.sha256 && sha256(state) !== data.sha256) throw damaged()
    return state
  }

  private async writeSnapshot(id: string, state: Uint8Array): Promise<void> {
    const db = new Low<DocFile | null>(
      new DurableJSONFile(join(this.atlasDir(id), 'doc.json')),
      null,
    )
    db.data = {
      version: 1,
      state: Buffer.from(state.buffer, state.byteOffset, state.byteLength).toString('base64'),
      sha256: sha256(state),
      savedAt: new Date().toISOString(),
    }
    await db.write()
  }

  /**
   * A crash during a write can leave a temp file beside the real one. Called when an atlas is
   * opened, when no write to it can be under way (the registry loads each atlas once).
   */
  private async removeStaleTempFiles(id: string): Promise<void> {
    let names: string[]
    try {
      names = await readdir(this.atlasDir(id))
    } catch {
      return
    }
    const stale = names.filter((name) => /^\..+\.tmp$/.test(name))
    await Promise.all(stale.map((name) => rm(join(this.atlasDir(id), name), { force: true })))
  }

  private async readFile<T>(id: string, name: string, schema: z.ZodType<T>): Promise<T | null> {
    const db = new Low<unknown>(new DurableJSONFile(join(this.atlasDir(id), name)), null)
    try {
      await db.read()
    } catch (error) {
      if (error instanceof CorruptFileError) {
        throw new StorageError(`Atlas ${id}: ${name} is damaged (not JSON)`)
      }
      throw error
    }
    if (db.data === null) return null
    const parsed = schema.safeParse(db.data)
    if (!parsed.success)
      throw new StorageError(`Atlas ${id}: ${name} is damaged (unexpected shape)`)
    return parsed.data
  }
}
