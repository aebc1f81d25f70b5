import { createHash } from 'node:crypto'
import { constants } from 'node:fs'
import { type FileHandle, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { Low } from 'lowdb'
import * as Y from 'yjs'
import { z } from 'zod'
import { AccessEntry } from '../../shared/api/accessLog'
import { Role } from '../../shared/api/atlases'
import { SnapshotInfo } from '../../shared/api/history'
import { Approval, Piketpaaltje } from '../../shared/api/plan'
import { PlanVersion } from '../../shared/api/versions'
import { isAtlasId } from '../../shared/sync/ids'
import type { Logger } from '../log'
import {
  CorruptFileError,
  DurableJSONFile,
  type FileCodec,
  fsyncDir,
  NOT_JSON,
  writeFileDurably,
} from './durable-file'
import { type AtRestCipher, SealedRecordError } from './encryption'
import { snapshotFileBytes } from './snapshotFile'
import {
  type AtlasMeta,
  type AtlasStore,
  type DocName,
  parseDocKey,
  StorageError,
  tooSoon,
} from './types'

/**
 * How an update log is opened: each write is on the disk when it returns (`O_DSYNC`, as a write
 * and an fdatasync), so an append is one call on the thread pool, not a write and a sync. Where
 * the platform has no `O_DSYNC` (Windows), `appendUpdates` syncs after the write.
 */
const LOG_DSYNC: number = constants.O_DSYNC ?? 0
const LOG_FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | LOG_DSYNC
/** Update logs kept open at most; beyond it the least recently appended one is closed. */
const OPEN_LOGS_MAX = 128

const hex64 = z.string().regex(/^[0-9a-f]{64}$/)

/** meta.json as written before links had labels: one edit and one view secret. */
const MetaFileV1 = z.object({
  version: z.literal(1),
  id: z.string(),
  title: z.string(),
  createdAt: z.string(),
  editHash: hex64,
  viewHash: hex64,
})

/** meta.json as written now; the PostgreSQL storage keeps the same record. */
export const MetaFileV2 = z.object({
  version: z.literal(2),
  id: z.string(),
  title: z.string(),
  createdAt: z.string(),
  links: z.array(
    z.object({
      id: z.string(),
      role: Role,
      label: z.string(),
      hash: hex64,
      createdAt: z.string(),
      lastUsedAt: z.string().nullable(),
      carriedByEdit: z.boolean().optional(),
    }),
  ),
  privateTime: z.object({ on: z.boolean(), since: z.string().nullable() }),
  piketpaaltjes: z.array(Piketpaaltje),
  approvals: z.array(Approval),
})
type MetaFileV2 = z.infer<typeof MetaFileV2>

/** versions.json: the versions of the plan, appended, never changed. */
const VersionsFile = z.object({ version: z.literal(1), versions: z.array(PlanVersion) })
type VersionsFile = z.infer<typeof VersionsFile>

const MetaFile = z.union([MetaFileV1, MetaFileV2])

/** history/index.json: the snapshots of the maps kept, oldest first (their states beside it). */
const HistoryFile = z.object({ version: z.literal(1), snapshots: z.array(SnapshotInfo) })
type HistoryFile = z.infer<typeof HistoryFile>

/** The folder of an atlas's history, and its index, inside the atlas's folder. */
const HISTORY_DIR = 'history'
const HISTORY_INDEX = `${HISTORY_DIR}/index.json`

/**
 * The metadata of a meta.json of either version. A version 1 file's two secrets become its first
 * two links, with ids taken from their hashes (stable without writing the file back).
 */
function metaOf(file: z.infer<typeof MetaFile>): AtlasMeta {
  if (file.version === 2) {
    const { version: _, ...meta } = file
    return meta
  }
  const link = (role: 'edit' | 'view', hash: string) => ({
    id: hash.slice(0, 16),
    role,
    label: '',
    hash,
    createdAt: file.createdAt,
    lastUsedAt: null,
  })
  return {
    id: file.id,
    title: file.title,
    createdAt: file.createdAt,
    links: [link('edit', file.editHash), { ...link('view', file.viewHash), carriedByEdit: true }],
    privateTime: { on: false, since: null },
    piketpaaltjes: [],
    approvals: [],
  }
}

/** Where a document's snapshot and update log live in its atlas's folder. */
const DOC_FILES: Record<DocName, { snapshot: string; log: string }> = {
  atlas: { snapshot: 'doc.json', log: 'updates.log' },
  plan: { snapshot: 'plan.json', log: 'plan-updates.log' },
}

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

/**
 * The embedded storage: a folder per atlas under `<dataDir>/atlases/`, holding `meta.json`
 * (title, creation time, links with the hashes of their secrets, privétijd, piketpaaltjes and
 * approvals), `doc.json` (a snapshot of the atlas's Yjs state) and, while people edit,
 * `updates.log` (the updates since the snapshot); `plan.json` and `plan-updates.log` hold the
 * plan document the same way. The JSON files are lowdb databases
 * written durably; lowdb rewrites a whole file per write, so the updates go to a plain
 * append-only file (fsynced per append) that `storeDoc` folds into the snapshot. Saving one
 * atlas costs the same however many are stored, and a damaged file only affects its own atlas.
 * A snapshot carries the SHA-256 of its state, so a loaded state is known intact without
 * decoding it (older snapshots are decoded once and rewritten with it).
 */
export class LowdbAtlasStore implements AtlasStore {
  readonly checksLoadedState = true
  /** Documents whose update log is known to exist with its directory entry on disk. */
  readonly #logsOnDisk = new Set<string>()
  /**
   * Per document, the length of its log up to the last acknowledged append. A failed append may
   * leave bytes after it (a write cut short by a full disk): the next append cuts them off first,
   * so a line is never glued to a torn one.
   */
  readonly #logEnds = new Map<string, number>()
  /**
   * The open update logs, least recently appended first. A log stays open while its room is
   * edited, so an append costs one write; it is closed before the log is removed, moved aside or
   * fails, and this process is the only writer of the folder.
   */
  readonly #logHandles = new Map<string, OpenLog>()
  /** The metadata of atlases read so far (this process is the only writer of the folder). */
  readonly #metas = new Map<string, AtlasMeta>()
  /** Per atlas, the last metadata change: the next one waits for it. */
  readonly #metaWrites = new Map<string, Promise<unknown>>()

  private constructor(
    readonly root: string,
    /** Encrypts every file of an atlas at rest; null: files are stored as they are. */
    readonly cipher: AtRestCipher | null,
    private readonly log: Logger | undefined,
  ) {}

  /**
   * Opens (and creates if needed) the storage under `dataDir`. With `cipher`, every file of an
   * atlas is encrypted; a folder is either encrypted or not, and opening it the other way, or
   * with another key, throws `StorageSetupError` (see `checkEncryptionMode`).
   */
  static async open(
    dataDir: string,
    options: { cipher?: AtRestCipher | null; log?: Logger } = {},
  ): Promise<LowdbAtlasStore> {
    const root = join(dataDir, 'atlases')
    await mkdir(root, { recursive: true, mode: 0o700 })
    const cipher = options.cipher ?? null
    await checkEncryptionMode(dataDir, root, cipher)
    const store = new LowdbAtlasStore(root, cipher, options.log)
    await store.#openErased()
    return store
  }

  /**
   * How the file `name` of atlas `id` is stored: sealed for its place (with a key), or plain
   * UTF-8 (undefined). Every file of an atlas's folder goes through it.
   */
  fileCodec(id: string, name: string): FileCodec | undefined {
    const { cipher } = this
    if (!cipher) return undefined
    const context = `${id}/${name}`
    return {
      encode: (text) => cipher.seal(Buffer.from(text, 'utf8'), context),
      decode: (bytes) => cipher.open(bytes, context).toString('utf8'),
    }
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
      await this.writeMeta(meta)
    } catch (error) {
      // No folder without its meta.json is left behind.
      await this.removeAtlas(meta.id).catch(() => {})
      throw error
    }
  }

  async removeAtlas(id: string): Promise<void> {
    await this.#forgetLog(id)
    await this.#forgetLog(`${id}/plan`)
    await rm(this.atlasDir(id), { recursive: true, force: true })
    this.#metas.delete(id)
    await fsyncDir(this.root)
  }

  async getMeta(id: string): Promise<AtlasMeta | null> {
    if (!isAtlasId(id) || this.#erased.has(id)) return null
    // The first read goes through the atlas's change queue: its clean-up of temp files can then
    // never remove the temp file of a change being written.
    return this.#metas.get(id) ?? this.#serially(id, () => this.#readMeta(id))
  }

  async updateMeta(id: string, change: (meta: AtlasMeta) => AtlasMeta): Promise<AtlasMeta> {
    return this.#serially(id, async () => {
      const current = await this.#readMeta(id)
      if (!current) throw new StorageError(`Atlas ${id} does not exist`)
      const updated = change(structuredClone(current))
      await this.writeMeta(updated)
      this.#metas.set(id, updated)
      return updated
    })
  }

  /** The metadata from the cache, or else from disk (stale temp files removed first). */
  async #readMeta(id: string): Promise<AtlasMeta | null> {
    const cached = this.#metas.get(id)
    if (cached) return cached
    await this.removeStaleTempFiles(this.atlasDir(id), 'meta.json')
    const data = await this.readFile(id, 'meta.json', MetaFile)
    if (!data) return null
    if (data.id !== id) throw new StorageError(`Atlas ${id}: meta.json belongs to another atlas`)
    const meta = metaOf(data)
    this.#metas.set(id, meta)
    return meta
  }

  /** Runs `task` after every earlier task of the same atlas's metadata has settled. */
  #serially<T>(id: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#metaWrites.get(id) ?? Promise.resolve()
    const next = previous.catch(() => {}).then(task)
    this.#metaWrites.set(id, next)
    const forget = () => {
      if (this.#metaWrites.get(id) === next) this.#metaWrites.delete(id)
    }
    next.then(forget, forget)
    return next
  }

  private async writeMeta(meta: AtlasMeta): Promise<void> {
    const db = new Low<MetaFileV2 | null>(
      new DurableJSONFile(
        join(this.atlasDir(meta.id), 'meta.json'),
        this.fileCodec(meta.id, 'meta.json'),
      ),
      null,
    )
    db.data = { version: 2, ...meta }
    await db.write()
  }

  /** The folder and file names of a document; throws for a key that names none. */
  private docFiles(key: string): { atlasId: string; dir: string; snapshot: string; log: string } {
    const parsed = parseDocKey(key)
    if (!parsed) throw new StorageError('Not a document key')
    return {
      atlasId: parsed.atlasId,
      dir: this.atlasDir(parsed.atlasId),
      ...DOC_FILES[parsed.name],
    }
  }

  /**
   * The snapshot plus the logged updates, checked to be intact. A non-empty log, or a snapshot
   * without a checksum, is decoded and written back as one checksummed snapshot. A log with
   * damaged lines is kept aside whole as `<log>.damaged-<time>` once its good lines are in the
   * snapshot: the lines after a damaged one still load, as far as they do not build on it.
   */
  async loadDoc(id: string): Promise<Uint8Array | null> {
    const files = this.docFiles(id)
    await this.removeStaleTempFiles(files.dir, files.snapshot)
    const data = await this.readJson(
      files.dir,
      files.snapshot,
      DocFile,
      id,
      this.fileCodec(files.atlasId, files.snapshot),
    )
    const snapshot = data ? this.snapshotState(id, data) : null
    const { updates, damaged } = await this.readLog(id)
    if (updates.length === 0 && (!snapshot || data?.sha256)) {
      // A log of damaged lines only must not stay to be appended to.
      if (damaged.length > 0) await this.#moveLogAside(id, damaged)
      return snapshot
    }
    let state: Uint8Array
    try {
      // Decoding is the check; merging the snapshot with the log decodes it too.
      if (updates.length === 0) Y.decodeUpdate(snapshot as Uint8Array)
      state = Y.mergeUpdates(snapshot ? [snapshot, ...updates] : updates)
      if (damaged.length > 0) state = withoutWaitingParts(state)
    } catch {
      throw new StorageError(`Atlas ${id}: ${files.snapshot} is damaged (not a Yjs update)`)
    }
    if (damaged.length === 0) {
      await this.storeDoc(id, state)
      return state
    }
    // The good lines reach the snapshot before the log leaves: a crash in between loses nothing.
    await this.writeSnapshot(id, state)
    await this.#moveLogAside(id, damaged)
    return state
  }

  /**
   * One line per update, in one synced write (no merging: that would decode them all). A
   * write cut short goes on with the rest; if the append fails, its bytes are cut off again, so
   * what is not acknowledged is not in the log either (and the next line starts on its own).
   */
  async appendUpdates(id: string, updates: readonly Uint8Array[]): Promise<void> {
    const files = this.docFiles(id)
    const path = join(files.dir, files.log)
    const context = `${files.atlasId}/${files.log}`
    let lines = ''
    for (const u of updates) {
      const bytes = this.cipher ? this.cipher.seal(u, context) : u
      lines += `${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}\n`
    }
    const data = Buffer.from(lines, 'latin1')
    const log = await this.#openLog(id, path)
    // Never past the end: the end is read when the log is opened (a file shorter than known was
    // replaced, and is not padded).
    const start = this.#logEnds.get(id) ?? 0
    try {
      let written = 0
      while (written < data.length) {
        const { bytesWritten } = await log.handle.write(data, written, data.length - written)
        if (bytesWritten <= 0) throw new ShortWriteError()
        written += bytesWritten
      }
      if (!LOG_DSYNC) await log.handle.datasync()
    } catch (error) {
      // Cut off what was written (the next line starts on its own), and open afresh next time.
      await log.handle.truncate(start).catch(() => {})
      log.writing--
      await this.#closeLog(id, log)
      throw error
    }
    log.writing--
    this.#logEnds.set(id, start + data.length)
    // A new file's directory entry must reach the disk too.
    if (!this.#logsOnDisk.has(id)) {
      await fsyncDir(files.dir)
      this.#logsOnDisk.add(id)
    }
  }

  /**
   * The open log of a document (opened, and created, if need be), now the most recently used.
   * On opening, a file shorter than known (replaced) sets the end; bytes past the known end (a
   * failed append's) are cut off first. Beyond `OPEN_LOGS_MAX`, the least recently used logs
   * that no append is writing are closed. The caller writes, then lowers `writing` again.
   */
  async #openLog(id: string, path: string): Promise<OpenLog> {
    const known = this.#logHandles.get(id)
    if (known) {
      this.#logHandles.delete(id)
      this.#logHandles.set(id, known)
      known.writing++
      return known
    }
    const handle = await open(path, LOG_FLAGS, 0o600)
    try {
      const { size } = await handle.stat()
      const start = Math.min(this.#logEnds.get(id) ?? size, size)
      if (size !== start) await handle.truncate(start)
      this.#logEnds.set(id, start)
    } catch (error) {
      await handle.close().catch(() => {})
      throw error
    }
    const log: OpenLog = { handle, writing: 1 }
    this.#logHandles.set(id, log)
    // Taken out of the map at once, so that no append picks one up while it closes.
    const over = this.#logHandles.size - OPEN_LOGS_MAX
    const closing = [...this.#logHandles]
      .filter(([, other]) => other.writing === 0)
      .slice(0, Math.max(over, 0))
    for (const [other] of closing) this.#logHandles.delete(other)
    await Promise.all(closing.map(([, other]) => other.handle.close().catch(() => {})))
    return log
  }

  /** Closes a document's log (that one, if given) if it is open: its bytes are on disk already. */
  async #closeLog(id: string, only?: OpenLog): Promise<void> {
    const log = this.#logHandles.get(id)
    if (!log || (only && log !== only)) return
    this.#logHandles.delete(id)
    await log.handle.close().catch(() => {})
  }

  /** Closes a document's log and forgets what is known of it: it was removed or moved. */
  async #forgetLog(id: string): Promise<void> {
    await this.#closeLog(id)
    this.#forgetLogFile(id)
  }

  /** Forgets what is known of a document's log file once it is closed and removed or moved. */
  #forgetLogFile(id: string): void {
    this.#logsOnDisk.delete(id)
    this.#logEnds.delete(id)
  }

  /** Writes the snapshot, then drops the log (a crash in between only replays updates again). */
  async storeDoc(id: string, state: Uint8Array): Promise<void> {
    await this.writeSnapshot(id, state)
    await this.#removeLog(id)
  }

  async #removeLog(id: string): Promise<void> {
    const files = this.docFiles(id)
    let removed = true
    await this.#closeLog(id)
    await rm(join(files.dir, files.log)).catch((error: { code?: string }) => {
      if (error.code !== 'ENOENT') throw error
      removed = false
    })
    this.#forgetLogFile(id)
    if (removed) await fsyncDir(files.dir)
  }

  /**
   * The updates of the log, and the numbers (from 1) of its damaged lines. Each line stands on
   * its own, so the lines after a damaged one still load. A crash during an append can leave a
   * last line without its newline: that update was never acknowledged, but it counts as damaged
   * (and is kept aside) all the same.
   */
  private async readLog(id: string): Promise<{ updates: Uint8Array[]; damaged: number[] }> {
    const files = this.docFiles(id)
    let bytes: Buffer
    try {
      bytes = await readFile(join(files.dir, files.log))
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return { updates: [], damaged: [] }
      throw error
    }
    const context = `${files.atlasId}/${files.log}`
    const updates: Uint8Array[] = []
    const damaged: number[] = []
    let start = 0
    for (let number = 1; start < bytes.length; number++) {
      const end = bytes.indexOf(0x0a, start)
      const line = bytes.subarray(start, end < 0 ? bytes.length : end)
      start = end < 0 ? bytes.length : end + 1
      const update = end < 0 ? null : this.#logLine(line, context)
      if (update) updates.push(update)
      else damaged.push(number)
    }
    return { updates, damaged }
  }

  /** The update a log line holds, or null if the line is damaged. */
  #logLine(line: Buffer, context: string): Uint8Array | null {
    const text = line.toString('latin1')
    if (text.length === 0 || !BASE64.test(text)) return null
    try {
      const raw = Buffer.from(text, 'base64')
      const update = new Uint8Array(this.cipher ? this.cipher.open(raw, context) : raw)
      Y.decodeUpdate(update)
      return update
    } catch {
      return null
    }
  }

  /**
   * Keeps a log with damaged lines for inspection, whole and as it was, beside the documents under
   * a name that is never read again, and says so in the log (line numbers, never content).
   */
  async #moveLogAside(id: string, damaged: number[]): Promise<void> {
    const files = this.docFiles(id)
    const time = new Date().toISOString().replace(/[:.]/g, '-')
    const aside = `${files.log}.damaged-${time}`
    await this.#closeLog(id)
    await rename(join(files.dir, files.log), join(files.dir, aside))
    await fsyncDir(files.dir)
    this.#forgetLogFile(id)
    this.log?.warn('damaged log kept aside', {
      atlas: files.atlasId,
      file: aside,
      damagedLines: damaged.slice(0, 20).join(','),
      count: damaged.length,
    })
  }

  /** The state bytes of a snapshot; throws if they do not match its checksum or are not base64. */
  private snapshotState(id: string, data: DocFile): Uint8Array {
    const damaged = () =>
      new StorageError(`Atlas ${id}: ${this.docFiles(id).snapshot} is damaged (state)`)
    if (!data.sha256 && !BASE64.test(data.state)) throw damaged()
    const state = new Uint8Array(Buffer.from(data.state, 'base64'))
    if (data.sha256 && sha256(state) !== data.sha256) throw damaged()
    return state
  }

  private async writeSnapshot(id: string, state: Uint8Array): Promise<void> {
    const files = this.docFiles(id)
    // The same file `fileCodec` reads back, made in slices (see `snapshotFileBytes`).
    const seal = this.cipher
      ? { cipher: this.cipher, context: `${files.atlasId}/${files.snapshot}` }
      : null
    const bytes = await snapshotFileBytes(state, new Date().toISOString(), seal)
    await writeFileDurably(join(files.dir, files.snapshot), bytes)
  }

  /**
   * A crash during a write can leave a temp file beside the real one. Called when a document is
   * opened (the registry loads each once) or the metadata first read, when no write of that
   * file can be under way.
   */
  private async removeStaleTempFiles(dir: string, file: string): Promise<void> {
    let names: string[]
    try {
      names = await readdir(dir)
    } catch {
      return
    }
    // Only this document's: the atlas's other files may be written at this very moment.
    const stale = names.filter((name) => name.startsWith(`.${file}.`) && name.endsWith('.tmp'))
    await Promise.all(stale.map((name) => rm(join(dir, name), { force: true })))
  }

  async listVersions(atlasId: string): Promise<PlanVersion[]> {
    if (!isAtlasId(atlasId)) return []
    return (await this.readFile(atlasId, 'versions.json', VersionsFile))?.versions ?? []
  }

  async addVersion(
    atlasId: string,
    make: (existing: PlanVersion[]) => PlanVersion,
  ): Promise<PlanVersion> {
    const [version] = await this.addVersions(atlasId, (existing) => [make(existing)])
    return version as PlanVersion
  }

  async addVersions(
    atlasId: string,
    make: (existing: PlanVersion[]) => PlanVersion[],
  ): Promise<PlanVersion[]> {
    // In the metadata's queue, so an atlas being removed or renamed waits for it and vice versa.
    return this.#serially(atlasId, async () => {
      if (!(await this.#readMeta(atlasId)))
        throw new StorageError(`Atlas ${atlasId} does not exist`)
      const existing = await this.listVersions(atlasId)
      const added = make(existing).map((version) => PlanVersion.parse(version))
      const db = new Low<VersionsFile | null>(
        new DurableJSONFile(
          join(this.atlasDir(atlasId), 'versions.json'),
          this.fileCodec(atlasId, 'versions.json'),
        ),
        null,
      )
      db.data = { version: 1, versions: [...existing, ...added] }
      await db.write()
      return added
    })
  }

  private readFile<T>(id: string, name: string, schema: z.ZodType<T>): Promise<T | null> {
    return this.readJson(this.atlasDir(id), name, schema, id, this.fileCodec(id, name))
  }

  private async readJson<T>(
    dir: string,
    name: string,
    schema: z.ZodType<T>,
    id: string,
    codec?: FileCodec,
  ): Promise<T | null> {
    const db = new Low<unknown>(new DurableJSONFile(join(dir, name), codec), null)
    try {
      await db.read()
    } catch (error) {
      if (error instanceof CorruptFileError) {
        const problem = error.problem === NOT_JSON ? 'not JSON' : 'does not open with the key'
        throw new StorageError(`Atlas ${id}: ${name} is damaged (${problem})`)
      }
      throw error
    }
    if (db.data === null) return null
    const parsed = schema.safeParse(db.data)
    if (!parsed.success)
      throw new StorageError(`Atlas ${id}: ${name} is damaged (unexpected shape)`)
    return parsed.data
  }

  // The history of the maps: `history/index.json` and one snapshot file per entry beside it.

  async listSnapshots(atlasId: string): Promise<SnapshotInfo[]> {
    if (!isAtlasId(atlasId) || this.#erased.has(atlasId)) return []
    return (await this.readFile(atlasId, HISTORY_INDEX, HistoryFile))?.snapshots ?? []
  }

  async addSnapshot(
    atlasId: string,
    info: SnapshotInfo,
    state: Uint8Array,
    drop: (all: SnapshotInfo[]) => SnapshotInfo[],
    notWithinMs?: number,
  ): Promise<SnapshotInfo | null> {
    const dir = this.atlasDir(atlasId)
    const name = `${HISTORY_DIR}/${SnapshotInfo.shape.id.parse(info.id)}.json`
    // The same file format as doc.json, made in slices (see `snapshotFileBytes`).
    const seal = this.cipher ? { cipher: this.cipher, context: `${atlasId}/${name}` } : null
    const bytes = await snapshotFileBytes(state, info.at, seal)
    return this.#serially(atlasId, async () => {
      // An atlas erased or removed meanwhile stays so: its folder is never made again.
      if (this.#erased.has(atlasId) || !(await this.#readMeta(atlasId))) return null
      const existing = await this.listSnapshots(atlasId)
      if (tooSoon(existing[existing.length - 1], info, notWithinMs)) return null
      const folder = join(dir, HISTORY_DIR)
      try {
        await mkdir(folder, { mode: 0o700 })
        await fsyncDir(dir)
      } catch (error) {
        if ((error as { code?: string }).code !== 'EEXIST') throw error
      }
      await writeFileDurably(join(dir, name), bytes)
      const all = [...existing, info]
      const dropped = new Set(drop(all).map((s) => s.id))
      await this.#writeHistoryIndex(
        atlasId,
        all.filter((s) => !dropped.has(s.id)),
      )
      await this.#removeSnapshotFiles(atlasId, [...dropped])
      return info
    })
  }

  async removeSnapshots(atlasId: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return
    await this.#serially(atlasId, async () => {
      if (this.#erased.has(atlasId)) return
      const gone = new Set(ids)
      const existing = await this.listSnapshots(atlasId)
      await this.#writeHistoryIndex(
        atlasId,
        existing.filter((s) => !gone.has(s.id)),
      )
      await this.#removeSnapshotFiles(atlasId, ids)
    })
  }

  async loadSnapshot(atlasId: string, snapshotId: string): Promise<Uint8Array | null> {
    if (!isAtlasId(atlasId) || !SnapshotInfo.shape.id.safeParse(snapshotId).success) return null
    const listed = (await this.listSnapshots(atlasId)).some((s) => s.id === snapshotId)
    if (!listed) return null
    const name = `${HISTORY_DIR}/${snapshotId}.json`
    const data = await this.readFile(atlasId, name, DocFile)
    if (!data) return null
    const state = new Uint8Array(Buffer.from(data.state, 'base64'))
    if (!data.sha256 || sha256(state) !== data.sha256) {
      throw new StorageError(`Atlas ${atlasId}: ${name} is damaged (state)`)
    }
    return state
  }

  /** Writes the index (first, so a crash never lists a snapshot whose file is gone). */
  async #writeHistoryIndex(atlasId: string, snapshots: SnapshotInfo[]): Promise<void> {
    const db = new Low<HistoryFile | null>(
      new DurableJSONFile(
        join(this.atlasDir(atlasId), HISTORY_INDEX),
        this.fileCodec(atlasId, HISTORY_INDEX),
      ),
      null,
    )
    db.data = { version: 1, snapshots }
    await db.write()
  }

  async #removeSnapshotFiles(atlasId: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return
    const folder = join(this.atlasDir(atlasId), HISTORY_DIR)
    await Promise.all(ids.map((id) => rm(join(folder, `${id}.json`), { force: true })))
    await fsyncDir(folder)
  }

  // The client's rights: the access log beside the atlas, and erasure.

  /** Erased atlases and when (ISO 8601), read at start from `<dataDir>/erased/`. */
  readonly #erased = new Map<string, string>()
  /** Atlases whose access log is known to exist with its directory entry on disk. */
  readonly #accessLogsOnDisk = new Set<string>()

  /** `<dataDir>/erased/`: one small file per erased atlas, `<id>.json` = `{ id, erasedAt }`. */
  get #erasedRoot(): string {
    return join(this.root, '..', 'erased')
  }

  /** Reads the erasure records and finishes any erasure that a crash cut short. */
  async #openErased(): Promise<void> {
    await mkdir(this.#erasedRoot, { recursive: true, mode: 0o700 })
    await fsyncDir(join(this.root, '..'))
    for (const name of await readdir(this.#erasedRoot)) {
      const id = name.replace(/\.json$/, '')
      if (!name.endsWith('.json') || !isAtlasId(id)) continue
      const path = join(this.#erasedRoot, name)
      let record: unknown = null
      try {
        record = JSON.parse(await readFile(path, 'utf8'))
      } catch {
        // Damaged: the file's name still says the atlas was erased, and it stays so.
      }
      const parsed = ErasedFile.safeParse(record)
      const erasedAt =
        parsed.success && parsed.data.id === id
          ? parsed.data.erasedAt
          : (await stat(path)).mtime.toISOString()
      this.#erased.set(id, erasedAt)
      await rm(this.atlasDir(id), { recursive: true, force: true })
    }
  }

  async appendAccess(id: string, entries: readonly AccessEntry[]): Promise<void> {
    if (entries.length === 0) return
    const dir = this.atlasDir(id)
    await this.#serially(id, async () => {
      if (this.#erased.has(id)) return
      const lines = entries.map((e) => this.#accessLine(id, e)).join('')
      // Never creates the atlas's folder: an atlas removed meanwhile stays removed.
      const handle = await open(join(dir, ACCESS_LOG), 'a', 0o600)
      try {
        const { bytesWritten } = await handle.write(lines)
        // A full disk can take part of it: never acknowledged (the reader skips the torn line).
        if (bytesWritten !== Buffer.byteLength(lines)) {
          throw new StorageError(`Atlas ${id}: access log written only in part`)
        }
        await handle.datasync()
      } finally {
        await handle.close()
      }
      if (!this.#accessLogsOnDisk.has(id)) {
        await fsyncDir(dir)
        this.#accessLogsOnDisk.add(id)
      }
    })
  }

  async readAccess(id: string, since: Date): Promise<AccessEntry[]> {
    const dir = this.atlasDir(id)
    return this.#serially(id, async () => {
      if (this.#erased.has(id)) return []
      let text: string
      try {
        text = await readFile(join(dir, ACCESS_LOG), 'utf8')
      } catch (error) {
        if ((error as { code?: string }).code === 'ENOENT') return []
        throw error
      }
      const lines = text.split('\n')
      // A crash during an append can leave a last line without its newline: never acknowledged.
      lines.pop()
      const kept: AccessEntry[] = []
      for (const line of lines) {
        const entry = AccessEntry.safeParse(this.#accessEntry(id, line))
        if (entry.success && Date.parse(entry.data.at) >= since.getTime()) kept.push(entry.data)
      }
      if (kept.length < lines.length || (text.length > 0 && !text.endsWith('\n'))) {
        await writeFileDurably(
          join(dir, ACCESS_LOG),
          kept.map((e) => this.#accessLine(id, e)).join(''),
        )
      }
      return kept
    })
  }

  /**
   * One line of the access log: the entry's JSON, or with a key the base64 of it sealed, after a
   * dot (a character base64 never holds), so that an entry glued to a torn one is still found.
   */
  #accessLine(id: string, entry: AccessEntry): string {
    const json = JSON.stringify(entry)
    const codec = this.fileCodec(id, ACCESS_LOG)
    return codec ? `.${Buffer.from(codec.encode(json)).toString('base64')}\n` : `${json}\n`
  }

  /** The entry a line holds, or undefined when it holds none (torn, damaged, another key). */
  #accessEntry(id: string, line: string): unknown {
    const codec = this.fileCodec(id, ACCESS_LOG)
    // An append after a torn one starts on the torn line: the entry after it is whole.
    const candidates = codec
      ? [line.slice(line.lastIndexOf('.') + 1)]
      : [line, line.slice(line.lastIndexOf('{"at":'))]
    for (const candidate of candidates) {
      try {
        return JSON.parse(codec ? codec.decode(Buffer.from(candidate, 'base64')) : candidate)
      } catch {
        // Try the next reading, or skip the line.
      }
    }
    return undefined
  }

  async eraseAtlas(id: string, at: Date): Promise<void> {
    this.atlasDir(id)
    await this.#serially(id, async () => {
      const erasedAt = at.toISOString()
      await writeFileDurably(
        join(this.#erasedRoot, `${id}.json`),
        JSON.stringify({ id, erasedAt } satisfies ErasedFile),
      )
      this.#erased.set(id, erasedAt)
      this.#accessLogsOnDisk.delete(id)
      await this.removeAtlas(id)
    })
  }

  erasedAt(id: string): string | null {
    return this.#erased.get(id) ?? null
  }

  /** The ids of the atlases in the folder, sorted. */
  async atlasIds(): Promise<string[]> {
    return (await readdir(this.root)).filter((name) => isAtlasId(name)).sort()
  }

  /** The erased atlases and when (ISO 8601). */
  erasures(): [id: string, erasedAt: string][] {
    return [...this.#erased]
  }
}

/** A write that wrote nothing: the append is not acknowledged. */
/** An update log kept open, and how many appends are writing to it now. */
interface OpenLog {
  handle: FileHandle
  writing: number
}

class ShortWriteError extends Error {
  override name = 'ShortWriteError'
  readonly code = 'ESHORTWRITE'
}

/** The data folder cannot be opened as asked; the message says what to do (no key in it). */
export class StorageSetupError extends Error {
  override name = 'StorageSetupError'
}

/** `<dataDir>/storage.json`: whether the folder's atlases are encrypted, and a key check. */
const StorageFile = z.object({
  version: z.literal(1),
  encryption: z.enum(['none', 'aes-256-gcm']),
  /** A known text sealed with the folder's key (base64): tells a wrong key at start-up. */
  keyCheck: z.string().optional(),
})
const KEY_CHECK = 'netwerkatlas at-rest key check'
const KEY_CHECK_CONTEXT = 'storage.json'

/**
 * A data folder is either encrypted or not: `storage.json` says which, written when the folder is
 * first opened (a folder of atlases from before it was kept is unencrypted). Opening it the
 * other way, or with another key, throws with a message for the person starting the server.
 */
async function checkEncryptionMode(
  dataDir: string,
  root: string,
  cipher: AtRestCipher | null,
): Promise<void> {
  const path = join(dataDir, 'storage.json')
  let text: string | null = null
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') throw error
  }
  if (text === null) {
    const atlases = (await readdir(root)).filter((name) => isAtlasId(name))
    if (atlases.length > 0 && cipher) {
      throw new StorageSetupError(
        `${dataDir} holds atlases stored without encryption, but ATLAS_ENCRYPTION_KEY is set. ` +
          'A data folder is either encrypted or not: start without the key, or use a new DATA_DIR.',
      )
    }
    const file: z.infer<typeof StorageFile> = cipher
      ? {
          version: 1,
          encryption: 'aes-256-gcm',
          keyCheck: cipher.seal(Buffer.from(KEY_CHECK), KEY_CHECK_CONTEXT).toString('base64'),
        }
      : { version: 1, encryption: 'none' }
    await writeFileDurably(path, `${JSON.stringify(file)}\n`)
    return
  }
  let file: z.infer<typeof StorageFile>
  try {
    file = StorageFile.parse(JSON.parse(text))
  } catch {
    throw new StorageSetupError(`${path} is damaged: it should say whether atlases are encrypted.`)
  }
  if (file.encryption === 'none' && cipher) {
    throw new StorageSetupError(
      `${dataDir} is not encrypted, but ATLAS_ENCRYPTION_KEY is set. ` +
        'A data folder is either encrypted or not: start without the key, or use a new DATA_DIR.',
    )
  }
  if (file.encryption === 'aes-256-gcm') {
    if (!cipher) {
      throw new StorageSetupError(
        `${dataDir} is encrypted: set ATLAS_ENCRYPTION_KEY to the key it was written with.`,
      )
    }
    let opened = ''
    try {
      opened = cipher
        .open(Buffer.from(file.keyCheck ?? '', 'base64'), KEY_CHECK_CONTEXT)
        .toString('utf8')
    } catch (error) {
      if (!(error instanceof SealedRecordError)) throw error
    }
    if (opened !== KEY_CHECK) {
      throw new StorageSetupError(
        `ATLAS_ENCRYPTION_KEY is not the key ${dataDir} was encrypted with.`,
      )
    }
  }
}

/**
 * A state without the parts that wait for a missing one (the changes a device made after the
 * update of a damaged log line): sent as it is, a device would echo them back and the server
 * would refuse them. The device that made them still holds them and gives them back in order.
 */
function withoutWaitingParts(state: Uint8Array): Uint8Array {
  const doc = new Y.Doc({ gc: false })
  try {
    Y.applyUpdate(doc, state)
    if (doc.store.pendingStructs === null && doc.store.pendingDs === null) return state
    doc.store.pendingStructs = null
    doc.store.pendingDs = null
    return Y.encodeStateAsUpdate(doc)
  } finally {
    doc.destroy()
  }
}

/** The access log of an atlas: one JSON entry per line, appended and fsynced. */
const ACCESS_LOG = 'access.log'

/** What is kept of an erased atlas: its id and the time of erasure, nothing else. */
const ErasedFile = z.object({ id: z.string(), erasedAt: z.string() })
type ErasedFile = z.infer<typeof ErasedFile>
