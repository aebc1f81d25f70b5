import { mkdir, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { Low } from 'lowdb'
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
  state: z.base64(),
  savedAt: z.string(),
})
type DocFile = z.infer<typeof DocFile>

/**
 * The embedded storage: a folder per atlas under `<dataDir>/atlases/`, holding `meta.json`
 * (title, creation time, token hashes) and `doc.json` (the Yjs state). Each file is its own
 * lowdb database written durably, so saving one atlas costs the same however many are stored,
 * and a damaged file only affects its own atlas.
 */
export class LowdbAtlasStore implements AtlasStore {
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
    await fsyncDir(this.root)
    const db = new Low<MetaFile | null>(new DurableJSONFile(join(dir, 'meta.json')), null)
    db.data = { version: 1, ...meta }
    await db.write()
  }

  async getMeta(id: string): Promise<AtlasMeta | null> {
    if (!isAtlasId(id)) return null
    const data = await this.readFile(id, 'meta.json', MetaFile)
    if (!data) return null
    const { version: _, ...meta } = data
    if (meta.id !== id) throw new StorageError(`Atlas ${id}: meta.json belongs to another atlas`)
    return meta
  }

  async loadDoc(id: string): Promise<Uint8Array | null> {
    await this.removeStaleTempFiles(id)
    const data = await this.readFile(id, 'doc.json', DocFile)
    return data ? new Uint8Array(Buffer.from(data.state, 'base64')) : null
  }

  async storeDoc(id: string, state: Uint8Array): Promise<void> {
    const db = new Low<DocFile | null>(
      new DurableJSONFile(join(this.atlasDir(id), 'doc.json')),
      null,
    )
    db.data = {
      version: 1,
      state: Buffer.from(state.buffer, state.byteOffset, state.byteLength).toString('base64'),
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
