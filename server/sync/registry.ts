import * as Y from 'yjs'
import { errorKind, type Logger } from '../log'
import type { DocumentStore } from '../storage/types'
import { type Connection, Room } from './room'

/** When the registry saves a changed document. */
export interface SaveTiming {
  /** Quiet time after the last change. */
  debounceMs: number
  /** Longest a change waits while changes keep coming. */
  maxWaitMs: number
  /** Pause before a failed save is tried again. */
  retryMs?: number
}

/** A log shorter than this is never worth folding into the snapshot. */
const MIN_LOG_BYTES = 64 * 1024

/**
 * A room plus what it takes to save it. While people edit, a save appends the updates since the
 * last save (when the store can append); once the appended bytes outgrow the snapshot, or when
 * the room empties, a save writes the whole state instead. Disk writes thus stay proportional to
 * the edits, whatever the size of the atlas.
 */
class OpenRoom {
  #dirty = false
  #firstDirtyAt = 0
  #timer: ReturnType<typeof setTimeout> | undefined
  #saving: Promise<void> | undefined
  /** Updates not yet on disk, oldest first. */
  #pending: Uint8Array[] = []
  #pendingBytes = 0
  /** Bytes appended since the snapshot, and the snapshot's size. */
  #loggedBytes = 0
  #snapshotBytes: number

  readonly room: Room

  constructor(
    id: string,
    state: Uint8Array | null,
    private readonly store: DocumentStore,
    private readonly timing: SaveTiming,
    private readonly log: Logger,
  ) {
    this.#snapshotBytes = state?.byteLength ?? 0
    this.room = new Room(id, state, log, (update) => this.#changed(update))
  }

  #changed(update: Uint8Array): void {
    this.#pending.push(update)
    this.#pendingBytes += update.byteLength
    const now = Date.now()
    if (!this.#dirty) {
      this.#dirty = true
      this.#firstDirtyAt = now
    }
    const left = this.#firstDirtyAt + this.timing.maxWaitMs - now
    this.#schedule(Math.max(0, Math.min(this.timing.debounceMs, left)))
  }

  #schedule(ms: number): void {
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      this.save().catch(() => {})
    }, ms)
  }

  /**
   * Saves now if anything changed; resolves when everything changed so far is on disk. With
   * `compact`, leaves the whole state in one snapshot (no appended updates).
   */
  async save(options: { compact?: boolean } = {}): Promise<void> {
    clearTimeout(this.#timer)
    this.#timer = undefined
    while (this.#saving) await this.#saving.catch(() => {})
    const compact = options.compact === true && this.#loggedBytes > 0
    if (!this.#dirty && !compact) return
    this.#dirty = false
    const pending = this.#pending
    const pendingBytes = this.#pendingBytes
    this.#pending = []
    this.#pendingBytes = 0
    const append =
      this.store.appendUpdate !== undefined &&
      !options.compact &&
      this.#loggedBytes + pendingBytes <= Math.max(this.#snapshotBytes, MIN_LOG_BYTES)
    const started = Date.now()
    const bytes = append
      ? pending.length === 1
        ? (pending[0] as Uint8Array)
        : Y.mergeUpdates(pending)
      : Y.encodeStateAsUpdate(this.room.doc)
    this.#saving = append
      ? (this.store.appendUpdate?.(this.room.id, bytes) ?? Promise.resolve())
      : this.store.storeDoc(this.room.id, bytes)
    try {
      await this.#saving
      if (append) this.#loggedBytes += bytes.byteLength
      else {
        this.#loggedBytes = 0
        this.#snapshotBytes = bytes.byteLength
      }
      this.log.debug('atlas saved', {
        atlas: this.room.id,
        kind: append ? 'append' : 'snapshot',
        bytes: bytes.byteLength,
        ms: Date.now() - started,
      })
    } catch (error) {
      // Nothing of this save counts as stored: keep its updates for the next try.
      this.#dirty = true
      this.#pending = [...pending, ...this.#pending]
      this.#pendingBytes += pendingBytes
      this.log.error('atlas save failed', { atlas: this.room.id, error: errorKind(error) })
      this.#schedule(this.timing.retryMs ?? 1000)
      throw error
    } finally {
      this.#saving = undefined
    }
  }

  get dirty(): boolean {
    return this.#dirty
  }
}

/**
 * The open rooms: each atlas is loaded from storage once, even when several clients join at the
 * same moment; changes are saved debounced; a room is saved and unloaded when its last
 * connection leaves.
 */
export class RoomRegistry {
  readonly #rooms = new Map<string, Promise<OpenRoom>>()
  /** Joins still waiting for their room, per atlas: a room is never unloaded under them. */
  readonly #joining = new Map<string, number>()

  constructor(
    private readonly store: DocumentStore,
    private readonly timing: SaveTiming,
    private readonly log: Logger,
  ) {}

  /** Ids of the rooms in memory. */
  get openIds(): string[] {
    return [...this.#rooms.keys()]
  }

  /** The loaded room of an atlas, if it is open (for tests and tools). */
  async peek(id: string): Promise<Room | undefined> {
    return (await this.#rooms.get(id))?.room
  }

  /** Loads the atlas if needed and adds the connection; rejects if the atlas cannot be loaded. */
  async join(id: string, conn: Connection): Promise<Room> {
    let entry = this.#rooms.get(id)
    if (!entry) {
      const loading = this.#load(id)
      entry = loading
      this.#rooms.set(id, loading)
      loading.catch(() => {
        if (this.#rooms.get(id) === loading) this.#rooms.delete(id)
      })
    }
    this.#joining.set(id, (this.#joining.get(id) ?? 0) + 1)
    try {
      const open = await entry
      open.room.join(conn)
      return open.room
    } finally {
      const left = (this.#joining.get(id) ?? 1) - 1
      if (left > 0) this.#joining.set(id, left)
      else this.#joining.delete(id)
    }
  }

  /** Removes a connection; the last one out saves and unloads the room. */
  async leave(id: string, conn: Connection): Promise<void> {
    const entry = this.#rooms.get(id)
    if (!entry) return
    const open = await entry
    open.room.leave(conn)
    if (open.room.size > 0) return
    try {
      // An atlas at rest is one snapshot: the next load reads no log.
      await open.save({ compact: true })
    } catch {
      // Logged by save; the room stays loaded and the retry keeps going.
      return
    }
    // Someone may have joined while the save ran.
    const idle = open.room.size === 0 && !open.dirty && !this.#joining.has(id)
    if (idle && this.#rooms.get(id) === entry) {
      this.#rooms.delete(id)
      open.room.destroy()
    }
  }

  /** Saves every changed room now and waits until all saves are on disk. */
  async flushAll(): Promise<void> {
    const results = await Promise.allSettled(
      // Snapshots, so that the compaction of a room emptied by the shutdown finds nothing left
      // to write once the server has closed.
      [...this.#rooms.values()].map(async (entry) => (await entry).save({ compact: true })),
    )
    const failed = results.filter((r) => r.status === 'rejected').length
    if (failed > 0) throw new Error(`${failed} atlas(es) could not be saved`)
  }

  async #load(id: string): Promise<OpenRoom> {
    const started = Date.now()
    try {
      const state = await this.store.loadDoc(id)
      const open = new OpenRoom(id, state, this.store, this.timing, this.log)
      this.log.debug('atlas loaded', {
        atlas: id,
        bytes: state?.byteLength ?? 0,
        ms: Date.now() - started,
      })
      return open
    } catch (error) {
      this.log.error('atlas load failed', { atlas: id, error: errorKind(error) })
      throw error
    }
  }
}
