import * as Y from 'yjs'
import type { SnapshotEditor, SnapshotInfo, SnapshotReason } from '../shared/api/history'
import { newLinkId } from './auth'
import { errorKind, type Logger } from './log'
import { type HistoryStore, type MetaStore, parseDocKey } from './storage/types'

/** How the history is kept: how often while people edit, and for how long. */
export interface HistoryOptions {
  /** At most one snapshot per this while the maps are edited (an hour). */
  intervalMs: number
  /** Snapshots older than this many days are removed. */
  keepDays: number
  /** At most this many snapshots per atlas; the oldest go first. */
  maxSnapshots: number
}

const DAY_MS = 24 * 60 * 60 * 1000

/**
 * The history of each atlas's maps: a snapshot at the first save after `intervalMs` since the
 * last one, and one just before a bulk change (an import, a restore), each with the labels of
 * the links that edited since the one before. The registry tells it about edits and saves; the
 * routes list, read and take snapshots through it. In the scaled mode every server saves every
 * edit of an open atlas, but only the one an edit came in through takes a snapshot for it; the
 * store decides, in one step with the addition, whether the interval has passed for the atlas,
 * and keeps the links each server saw edit until a snapshot takes them.
 */
export class AtlasHistory {
  /** Per atlas, when its last snapshot was taken (ms), once known. */
  readonly #lastAt = new Map<string, number>()
  /** Per atlas, the links that edited its maps since its last snapshot. */
  readonly #editors = new Map<string, Set<string>>()
  /** Atlases whose maps changed since their last snapshot (a save without changes takes none). */
  readonly #changed = new Set<string>()
  /** Per atlas, the snapshot being taken: the next waits for it. */
  readonly #queue = new Map<string, Promise<unknown>>()

  /**
   * Whether the store is shared by several servers of one atlas (the scaled mode): then who
   * edited since the last snapshot lives in it, and it checks the interval for the atlas.
   */
  readonly #shared: boolean

  constructor(
    private readonly store: HistoryStore & MetaStore,
    readonly options: HistoryOptions,
    private readonly log: Logger,
  ) {
    this.#shared = store.noteEditors !== undefined
  }

  /** Notes that a link (or the server: no link) changed a document (only the maps count). */
  edited(docId: string, linkId: string | undefined): void {
    const key = parseDocKey(docId)
    if (key?.name !== 'atlas') return
    // In the scaled mode the instance an edit came in through takes its snapshot, after noting
    // its link: another instance's copy of it (no link here) would race it without the label.
    if (linkId === undefined && this.#shared) return
    this.#changed.add(key.atlasId)
    if (linkId === undefined) return
    const editors = this.#editors.get(key.atlasId) ?? new Set<string>()
    editors.add(linkId)
    this.#editors.set(key.atlasId, editors)
  }

  /**
   * A document was saved: the maps get a snapshot when the last is `intervalMs` old (or unknown
   * yet, to find out). The state is encoded now, while the document is surely there.
   */
  saved(docId: string, doc: Y.Doc): void {
    const key = parseDocKey(docId)
    if (key?.name !== 'atlas') return
    const { atlasId } = key
    if (this.#shared && this.#editors.get(atlasId)?.size) {
      this.#serially(atlasId, () => this.#note(atlasId)).catch((error) => {
        this.log.error('history editors not noted', { atlas: atlasId, error: errorKind(error) })
      })
    }
    if (!this.#changed.has(atlasId)) return
    const last = this.#lastAt.get(atlasId)
    if (last !== undefined && Date.now() - last < this.options.intervalMs) return
    const state = Y.encodeStateAsUpdate(doc)
    // Cleared as the state is encoded: a change from now on counts for the next snapshot.
    this.#changed.delete(atlasId)
    this.#serially(atlasId, async () => {
      if (Date.now() - (await this.#last(atlasId)) < this.options.intervalMs) {
        this.#changed.add(atlasId)
        return
      }
      if (!(await this.#take(atlasId, state, 'edits', this.options.intervalMs))) {
        // Another server of the atlas took one within the interval: its time is read again.
        this.#changed.add(atlasId)
        this.#lastAt.delete(atlasId)
      }
    }).catch((error) => {
      this.#changed.add(atlasId)
      this.log.error('history snapshot failed', { atlas: atlasId, error: errorKind(error) })
    })
  }

  /** Takes a snapshot of `state` now (before a bulk change, or of an import); resolves once stored. */
  take(atlasId: string, state: Uint8Array, reason: SnapshotReason): Promise<SnapshotInfo> {
    this.#changed.delete(atlasId)
    return this.#serially(atlasId, async () => {
      const info = await this.#take(atlasId, state, reason)
      // Null only for an atlas gone meanwhile: nothing to keep a snapshot for.
      return info ?? this.#describe(reason, [])
    })
  }

  /** The snapshots of an atlas, newest first; those past their keeping time are removed. */
  async list(atlasId: string): Promise<SnapshotInfo[]> {
    const all = await this.store.listSnapshots(atlasId)
    const expired = this.#expired(all)
    if (expired.length > 0) await this.store.removeSnapshots(atlasId, expired)
    const gone = new Set(expired)
    return all.filter((s) => !gone.has(s.id)).reverse()
  }

  /** The state of one snapshot, or null for an id the atlas does not (or no longer) keep. */
  async load(atlasId: string, snapshotId: string): Promise<Uint8Array | null> {
    const listed = await this.list(atlasId)
    if (!listed.some((s) => s.id === snapshotId)) return null
    return this.store.loadSnapshot(atlasId, snapshotId)
  }

  /** Resolves once every snapshot under way is stored (or failed): for a shutdown. */
  async settled(): Promise<void> {
    while (this.#queue.size > 0) await Promise.allSettled([...this.#queue.values()])
  }

  /** Forgets what it knows of an atlas (erased: its snapshots went with its folder). */
  forget(atlasId: string): void {
    this.#lastAt.delete(atlasId)
    this.#editors.delete(atlasId)
    this.#changed.delete(atlasId)
  }

  async #last(atlasId: string): Promise<number> {
    const known = this.#lastAt.get(atlasId)
    if (known !== undefined) return known
    const all = await this.store.listSnapshots(atlasId)
    const last = all.length > 0 ? Date.parse((all[all.length - 1] as SnapshotInfo).at) : 0
    this.#lastAt.set(atlasId, last)
    return last
  }

  /**
   * Stores a snapshot (with `notWithinMs`, only if the newest is that old); null when none was.
   * With a shared store the editors go through it: those of every server are in the snapshot.
   */
  async #take(
    atlasId: string,
    state: Uint8Array,
    reason: SnapshotReason,
    notWithinMs?: number,
  ): Promise<SnapshotInfo | null> {
    let linkIds: string[] = []
    let editors: SnapshotEditor[] = []
    if (this.#shared) {
      await this.#note(atlasId)
    } else {
      linkIds = [...(this.#editors.get(atlasId) ?? [])]
      const meta = await this.store.getMeta(atlasId)
      editors = linkIds.map((id) => {
        const link = meta?.links.find((l) => l.id === id)
        // A link stopped since: its role is no longer known either; only edit links write.
        return link ? { label: link.label, role: link.role } : { label: null, role: 'edit' }
      })
    }
    const info = this.#describe(reason, editors)
    const stored = await this.store.addSnapshot(
      atlasId,
      info,
      state,
      (all) => {
        const drop = new Set(this.#expired(all))
        const left = all.filter((s) => !drop.has(s.id))
        for (const s of left.slice(0, Math.max(0, left.length - this.options.maxSnapshots))) {
          drop.add(s.id)
        }
        return all.filter((s) => drop.has(s.id) && s.id !== info.id)
      },
      notWithinMs,
    )
    if (!stored) return null
    this.#lastAt.set(atlasId, Date.parse(stored.at))
    const editedSince = this.#editors.get(atlasId)
    for (const id of linkIds) editedSince?.delete(id)
    this.log.info('history snapshot', { atlas: atlasId, reason, bytes: state.byteLength })
    return stored
  }

  #describe(reason: SnapshotReason, editors: SnapshotEditor[]): SnapshotInfo {
    return { id: newLinkId(), at: new Date().toISOString(), reason, editors }
  }

  /** Hands the links that edited through this server to the shared store (the scaled mode). */
  async #note(atlasId: string): Promise<void> {
    const ids = [...(this.#editors.get(atlasId) ?? [])]
    if (ids.length === 0 || !this.store.noteEditors) return
    this.#editors.delete(atlasId)
    try {
      await this.store.noteEditors(atlasId, ids)
    } catch (error) {
      const editors = this.#editors.get(atlasId) ?? new Set<string>()
      for (const id of ids) editors.add(id)
      this.#editors.set(atlasId, editors)
      throw error
    }
  }

  /** Ids of the snapshots older than `keepDays`. */
  #expired(all: SnapshotInfo[]): string[] {
    const from = Date.now() - this.options.keepDays * DAY_MS
    return all.filter((s) => Date.parse(s.at) < from).map((s) => s.id)
  }

  #serially<T>(atlasId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#queue.get(atlasId) ?? Promise.resolve()
    const next = previous.catch(() => {}).then(task)
    this.#queue.set(atlasId, next)
    const done = () => {
      if (this.#queue.get(atlasId) === next) this.#queue.delete(atlasId)
    }
    next.then(done, done)
    return next
  }
}
