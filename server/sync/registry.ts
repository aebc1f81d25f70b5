import * as Y from 'yjs'
import { errorKind, type Logger } from '../log'
import { type DocumentStore, StorageUnavailableError } from '../storage/types'
import { DEFAULT_SYNC_LIMITS, type SyncLimits } from './limits'
import { type Connection, Room } from './room'

/** When the registry saves a changed document. */
export interface SaveTiming {
  /** Quiet time after the last change. */
  debounceMs: number
  /** Longest a change waits while changes keep coming. */
  maxWaitMs: number
  /** Pause before a failed save is tried again (default 500 ms), doubling with each failure… */
  retryMs?: number
  /** …up to this (default 30 s). */
  retryMaxMs?: number
  /** Quiet time after which a log that outgrew its snapshot is folded into it (default 2 s). */
  compactIdleMs?: number
  /**
   * How long a room of at least `KEEP_IDLE_FROM_BYTES` stays in memory after its last connection
   * left (default 0: it is saved and unloaded at once, as smaller rooms always are). Someone who
   * comes back, or opens it again and again, does not load it anew each time: a 6 MB atlas takes
   * ~200 ms of the event loop to load, a small one a few.
   */
  idleMs?: number
}

/**
 * Answers a join that waits for a cold atlas from the atlas's stored state, before the room is
 * built (building it applies the whole state, which takes a while for a large atlas): the client
 * can then apply the state while the server does. Called at most once, only with a state the
 * store has checked. Resolves once the session knows whether its client asked for everything
 * (a client that has sent nothing yet is waited for, briefly): undefined if there is nothing to
 * answer, else `flushed`, which settles when the answer has been handed to the socket.
 */
export type ColdAnswer = (state: Uint8Array) => Promise<{ flushed: Promise<void> } | undefined>

/** What else hears of a room's edits and saves (the history of the maps). */
export interface RoomHooks {
  /** A connection's update was applied (server-made changes have no link). */
  edited?(id: string, linkId: string | undefined): void
  /** Everything changed so far is on disk. */
  saved?(id: string, doc: Y.Doc): void
}

/** Thrown by `join` when `maxOpenRooms` documents are open and none of them is idle. */
export class RoomLimitError extends Error {
  override name = 'RoomLimitError'
}

/** Thrown by `join` for a document that was discarded (its atlas was erased). */
export class RoomGoneError extends Error {
  override name = 'RoomGoneError'
}

/** Rooms this large stay loaded for `idleMs` after their last connection left. */
const KEEP_IDLE_FROM_BYTES = 1024 * 1024

/** Longest the room waits for cold answers to reach the sockets before it is built. */
const COLD_ANSWER_FLUSH_MS = 50

/** A log shorter than this is never worth folding into the snapshot. */
const MIN_LOG_BYTES = 64 * 1024
/** Quiet time after which a log that outgrew its snapshot is folded into it. */
const COMPACT_IDLE_MS = 2000
/** While edits never pause, a log is folded anyway once it reaches this many times its allowance. */
const MAX_LOG_FACTOR = 4

/**
 * A room plus what it takes to save it. A save appends the updates since the last save (when
 * the store can append), so the hot path writes only what changed, whatever the size of the
 * atlas. Writing the whole state (a snapshot, which encodes the whole document on the event loop)
 * waits until the room is quiet, the room empties or the server stops; only a log that keeps
 * growing without a pause is folded in while people edit.
 */
class OpenRoom {
  #dirty = false
  #firstDirtyAt = 0
  #lastChangeAt = 0
  #timer: ReturnType<typeof setTimeout> | undefined
  #compactTimer: ReturnType<typeof setTimeout> | undefined
  /** Unloads the room once it has been empty for `idleMs`. */
  idleTimer: ReturnType<typeof setTimeout> | undefined
  #saving: Promise<void> | undefined
  /** Updates not yet on disk, oldest first. */
  #pending: Uint8Array[] = []
  #pendingBytes = 0
  /** Bytes appended since the snapshot, and the snapshot's size. */
  #loggedBytes = 0
  #snapshotBytes: number
  /** When someone last joined or left (for unloading the least recently used). */
  lastUsed = performance.now()
  /** Saves failed in a row; the next try waits longer with each. */
  #failures = 0

  readonly room: Room

  constructor(
    id: string,
    state: Uint8Array | null,
    private readonly store: DocumentStore,
    private readonly timing: SaveTiming,
    private readonly log: Logger,
    limits: SyncLimits,
    private readonly hooks: RoomHooks = {},
  ) {
    this.#snapshotBytes = state?.byteLength ?? 0
    this.room = new Room(
      id,
      state,
      log,
      (update, from) => {
        this.hooks.edited?.(id, from?.link)
        this.#changed(update)
      },
      limits,
    )
  }

  #changed(update: Uint8Array): void {
    this.#pending.push(update)
    this.#pendingBytes += update.byteLength
    const now = Date.now()
    this.#lastChangeAt = now
    if (this.#dirty) return
    this.#dirty = true
    this.#firstDirtyAt = now
    // One timer per save: when it fires early (edited since), it waits out the max wait.
    if (!this.#timer) this.#schedule(Math.min(this.timing.debounceMs, this.timing.maxWaitMs))
  }

  /** When the pending changes are due: the debounce after the last one, at most the max wait. */
  #due(): number {
    return Math.min(
      this.#lastChangeAt + this.timing.debounceMs,
      this.#firstDirtyAt + this.timing.maxWaitMs,
    )
  }

  /**
   * Saves after `ms`, or later if the room was changed since: a room still being edited when its
   * debounce ends is saved at the max wait, so that a save costs two timers however fast the
   * edits come (chasing the debounce would wake the process after every pause between edits).
   */
  #schedule(ms: number, retry = false): void {
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      const now = Date.now()
      const wait =
        retry || this.#due() <= now ? 0 : this.#firstDirtyAt + this.timing.maxWaitMs - now
      if (wait > 0) this.#schedule(wait)
      else this.save().catch(() => {})
    }, ms)
  }

  /** Folds the log into a snapshot once the room has been quiet for a while. */
  #scheduleCompaction(ms = this.#compactIdleMs): void {
    if (this.#compactTimer) return
    this.#compactTimer = setTimeout(() => {
      this.#compactTimer = undefined
      const wait = this.#lastChangeAt + this.#compactIdleMs - Date.now()
      if (wait > 0) this.#scheduleCompaction(wait)
      else this.save({ compact: true }).catch(() => {})
    }, ms)
  }

  /**
   * Saves now if anything changed; resolves when everything changed so far is on disk. With
   * `compact`, leaves the whole state in one snapshot (no appended updates).
   */
  async save(options: { compact?: boolean } = {}): Promise<void> {
    clearTimeout(this.#timer)
    this.#timer = undefined
    if (this.#discarded) return
    if (options.compact) {
      clearTimeout(this.#compactTimer)
      this.#compactTimer = undefined
    }
    while (this.#saving) await this.#saving.catch(() => {})
    if (this.#discarded) return
    const compact = options.compact === true && this.#loggedBytes > 0
    if (!this.#dirty && !compact) return
    this.#dirty = false
    const pending = this.#pending
    const pendingBytes = this.#pendingBytes
    this.#pending = []
    this.#pendingBytes = 0
    const allowance = Math.max(this.#snapshotBytes, MIN_LOG_BYTES)
    const append =
      this.store.appendUpdates !== undefined &&
      !options.compact &&
      this.#loggedBytes + pendingBytes <= MAX_LOG_FACTOR * allowance
    const started = Date.now()
    const state = append ? undefined : Y.encodeStateAsUpdate(this.room.doc)
    const bytes = state ? state.byteLength : pendingBytes
    this.#saving = state
      ? this.store.storeDoc(this.room.id, state)
      : (this.store.appendUpdates?.(this.room.id, pending) ?? Promise.resolve())
    try {
      await this.#saving
      if (append) {
        this.#loggedBytes += bytes
        if (this.#loggedBytes > allowance) this.#scheduleCompaction()
      } else {
        this.#loggedBytes = 0
        this.#snapshotBytes = bytes
        this.room.noteStoredSize(bytes + this.#pendingBytes)
      }
      this.log.debug('atlas saved', {
        atlas: this.room.id,
        kind: append ? 'append' : 'snapshot',
        bytes,
        ms: Date.now() - started,
      })
      if (this.#failures > 0) {
        this.log.info('atlas saved again', { atlas: this.room.id, failures: this.#failures })
        this.#failures = 0
      }
      this.room.setSaveBehind(false)
      if (!this.#discarded) this.hooks.saved?.(this.room.id, this.room.doc)
    } catch (error) {
      // Nothing of this save counts as stored: keep its updates for the next try.
      this.#dirty = true
      this.#pending = [...pending, ...this.#pending]
      this.#pendingBytes += pendingBytes
      this.#failures++
      const retryMs = Math.min(
        (this.timing.retryMs ?? 500) * 2 ** Math.min(this.#failures - 1, 16),
        this.timing.retryMaxMs ?? 30_000,
      )
      const kind = errorKind(error)
      this.log.error('atlas save failed', {
        atlas: this.room.id,
        error: kind,
        attempt: this.#failures,
        retryMs,
      })
      if (this.#failures === 1 && (kind === 'ENOSPC' || kind === 'EDQUOT')) {
        this.log.error('disk full: atlas kept in memory until it can be saved', {
          atlas: this.room.id,
          bytes: this.#pendingBytes,
        })
      }
      if (this.#failures === 1 && error instanceof StorageUnavailableError) {
        this.log.error('storage out of reach: atlas kept in memory until it can be saved', {
          atlas: this.room.id,
          bytes: this.#pendingBytes,
        })
      }
      // Changes only in memory: every device is told, and keeps its own copy.
      if (this.#pending.length > 0) this.room.setSaveBehind(true)
      this.#schedule(retryMs, true)
      throw error
    } finally {
      this.#saving = undefined
    }
  }

  get dirty(): boolean {
    return this.#dirty
  }

  /** Nobody in it, nothing to save, no save running: it can be unloaded. */
  get idle(): boolean {
    return this.room.size === 0 && !this.#dirty && !this.#saving
  }

  get #compactIdleMs(): number {
    return this.timing.compactIdleMs ?? COMPACT_IDLE_MS
  }

  #discarded = false

  /**
   * Drops the room without saving it (its atlas was erased): no save starts from now on, and
   * this resolves once a save under way has settled, so nothing writes the document afterwards.
   */
  async discard(): Promise<void> {
    this.#discarded = true
    this.#dirty = false
    this.#pending = []
    while (this.#saving) await this.#saving.catch(() => {})
    this.destroy()
  }

  /** Stops the timers and releases the room (after a final save). */
  destroy(): void {
    clearTimeout(this.#timer)
    clearTimeout(this.#compactTimer)
    clearTimeout(this.idleTimer)
    this.room.destroy()
  }
}

/**
 * The open rooms: each atlas is loaded from storage once, even when several clients join at the
 * same moment; changes are saved debounced; a room is saved and unloaded once its last
 * connection has left (after `idleMs`). At most `maxOpenRooms` are in memory: to load another,
 * idle ones are unloaded (least recently used first), and if none is idle the join is refused.
 */
export class RoomRegistry {
  readonly #rooms = new Map<string, Promise<OpenRoom>>()
  /** The rooms of `#rooms` that finished loading. */
  readonly #loaded = new Map<string, OpenRoom>()
  /** Joins still waiting for their room, per atlas: a room is never unloaded under them. */
  readonly #joining = new Map<string, number>()
  /** Per atlas being loaded: the waiting joins that can be answered from the stored state. */
  readonly #coldAnswers = new Map<string, Set<ColdAnswer>>()
  /** Documents of erased atlases: never loaded again by this process. */
  readonly #discarded = new Set<string>()

  constructor(
    private readonly store: DocumentStore,
    private readonly timing: SaveTiming,
    private readonly log: Logger,
    /** Readies a room just loaded, before anyone joins it (the plan's server part). */
    private readonly prepare?: (room: Room) => Promise<void>,
    private readonly limits: SyncLimits = DEFAULT_SYNC_LIMITS,
    private readonly hooks: RoomHooks = {},
  ) {}

  /** Ids of the rooms in memory. */
  get openIds(): string[] {
    return [...this.#rooms.keys()]
  }

  /** The loaded room of an atlas, if it is open (for tests and tools). */
  async peek(id: string): Promise<Room | undefined> {
    return (await this.#rooms.get(id))?.room
  }

  /**
   * Loads the atlas if needed and adds the connection; rejects if the atlas cannot be loaded.
   * While the atlas loads, `answerCold` may be called with its stored state (see `ColdAnswer`).
   */
  async join(id: string, conn: Connection, answerCold?: ColdAnswer): Promise<Room> {
    if (this.#discarded.has(id)) throw new RoomGoneError('document discarded')
    let entry = this.#rooms.get(id)
    let answers: Set<ColdAnswer> | undefined
    if (!entry) {
      if (!this.#makeRoom()) throw new RoomLimitError('too many documents open')
      answers = new Set()
      this.#coldAnswers.set(id, answers)
      const loading = this.#load(id)
      entry = loading
      this.#rooms.set(id, loading)
      loading.catch(() => {
        if (this.#rooms.get(id) === loading) this.#rooms.delete(id)
      })
    } else {
      answers = this.#coldAnswers.get(id)
    }
    if (answerCold) answers?.add(answerCold)
    this.#joining.set(id, (this.#joining.get(id) ?? 0) + 1)
    try {
      const open = await entry
      if (this.#discarded.has(id)) throw new RoomGoneError('document discarded')
      open.lastUsed = performance.now()
      clearTimeout(open.idleTimer)
      open.idleTimer = undefined
      open.room.join(conn)
      return open.room
    } finally {
      const left = (this.#joining.get(id) ?? 1) - 1
      if (left > 0) this.#joining.set(id, left)
      else this.#joining.delete(id)
    }
  }

  /** Removes a connection; the last one out saves and unloads the room (after `idleMs`). */
  async leave(id: string, conn: Connection): Promise<void> {
    const entry = this.#rooms.get(id)
    if (!entry) return
    const open = await entry
    open.room.leave(conn)
    open.lastUsed = performance.now()
    if (open.room.size > 0) return
    const idleMs = this.timing.idleMs ?? 0
    if (idleMs > 0 && open.room.bytes >= KEEP_IDLE_FROM_BYTES) {
      clearTimeout(open.idleTimer)
      open.idleTimer = setTimeout(() => {
        open.idleTimer = undefined
        this.#unloadWhenIdle(id, entry, open).catch(() => {})
      }, idleMs)
      // Shutdown saves every room anyway (`flushAll`).
      open.idleTimer.unref()
      return
    }
    await this.#unloadWhenIdle(id, entry, open)
  }

  /** Saves a room that nobody is in as one snapshot and unloads it, unless someone came back. */
  async #unloadWhenIdle(id: string, entry: Promise<OpenRoom>, open: OpenRoom): Promise<void> {
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
    if (idle && this.#rooms.get(id) === entry) this.#unload(id, open)
  }

  /** True when another room may be loaded: under the cap, or after unloading idle ones. */
  #makeRoom(): boolean {
    if (this.#rooms.size < this.limits.maxOpenRooms) return true
    const idle = [...this.#loaded]
      .filter(([id, open]) => open.idle && !this.#joining.has(id))
      .sort(([, a], [, b]) => a.lastUsed - b.lastUsed)
    for (const [id, open] of idle) {
      this.#unload(id, open)
      if (this.#rooms.size < this.limits.maxOpenRooms) return true
    }
    return false
  }

  #unload(id: string, open: OpenRoom): void {
    this.#rooms.delete(id)
    this.#loaded.delete(id)
    open.destroy()
  }

  /**
   * Drops a document's room without saving it, its atlas being erased: waits for a load or a
   * save under way, and never loads the document again.
   */
  async discard(id: string): Promise<void> {
    this.#discarded.add(id)
    const entry = this.#rooms.get(id)
    if (!entry) return
    this.#rooms.delete(id)
    this.#loaded.delete(id)
    const open = await entry.catch(() => undefined)
    this.#loaded.delete(id)
    await open?.discard()
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
      const readMs = Date.now() - started
      const answers = this.#coldAnswers.get(id)
      this.#coldAnswers.delete(id)
      const answered =
        state && answers && this.store.checksLoadedState
          ? await this.#answerCold(state, answers)
          : 0
      const answeredMs = Date.now() - started
      const open = new OpenRoom(
        id,
        state,
        this.store,
        this.timing,
        this.log,
        this.limits,
        this.hooks,
      )
      try {
        await this.prepare?.(open.room)
      } catch (error) {
        open.destroy()
        throw error
      }
      this.#loaded.set(id, open)
      this.log.debug('atlas loaded', {
        atlas: id,
        bytes: state?.byteLength ?? 0,
        answered,
        readMs,
        answeredMs,
        ms: Date.now() - started,
      })
      return open
    } catch (error) {
      this.#coldAnswers.delete(id)
      this.log.error('atlas load failed', { atlas: id, error: errorKind(error) })
      throw error
    }
  }

  /**
   * Lets the waiting joins answer from the stored state (each waits, briefly, for its client's
   * first message if none came yet), and gives their answers a moment to reach the sockets before
   * building the room blocks the event loop. Returns how many answered.
   */
  async #answerCold(state: Uint8Array, answers: Set<ColdAnswer>): Promise<number> {
    const decided = await Promise.all(
      [...answers].map((answer) => answer(state).catch(() => undefined)),
    )
    const sent = decided.flatMap((answer) => (answer ? [answer.flushed] : []))
    if (sent.length === 0) return 0
    let timer: ReturnType<typeof setTimeout> | undefined
    await Promise.race([
      Promise.allSettled(sent),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, COLD_ANSWER_FLUSH_MS)
      }),
    ])
    clearTimeout(timer)
    return sent.length
  }
}
