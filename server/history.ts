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
 * routes list, read and take snapshots through it.
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

  constructor(
    private readonly store: HistoryStore & MetaStore,
    readonly options: HistoryOptions,
    private readonly log: Logger,
  ) {}

  /** Notes that a link (or the server: no link) changed a document (only the maps count). */
  edited(docId: string, linkId: string | undefined): void {
    const key = parseDocKey(docId)
    if (key?.name !== 'atlas') return
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
    if (key?.name !== 'atlas' || !this.#changed.has(key.atlasId)) return
    const last = this.#lastAt.get(key.atlasId)
    if (last !== undefined && Date.now() - last < this.options.intervalMs) return
    const { atlasId } = key
    const state = Y.encodeStateAsUpdate(doc)
    // Cleared as the state is encoded: a change from now on counts for the next snapshot.
    this.#changed.delete(atlasId)
    this.#serially(atlasId, async () => {
      if (Date.now() - (await this.#last(atlasId)) < this.options.intervalMs) {
        this.#changed.add(atlasId)
        return
      }
      await this.#take(atlasId, state, 'edits')
    }).catch((error) => {
      this.#changed.add(atlasId)
      this.log.error('history snapshot failed', { atlas: atlasId, error: errorKind(error) })
    })
  }

  /** Takes a snapshot of `state` now (before a bulk change, or of an import); resolves once stored. */
  take(atlasId: string, state: Uint8Array, reason: SnapshotReason): Promise<SnapshotInfo> {
    this.#changed.delete(atlasId)
    return this.#serially(atlasId, () => this.#take(atlasId, state, reason))
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

  async #take(atlasId: string, state: Uint8Array, reason: SnapshotReason): Promise<SnapshotInfo> {
    const linkIds = [...(this.#editors.get(atlasId) ?? [])]
    const meta = await this.store.getMeta(atlasId)
    const editors: SnapshotEditor[] = linkIds.map((id) => {
      const link = meta?.links.find((l) => l.id === id)
      // A link stopped since: its role is no longer known either; only edit links write.
      return link ? { label: link.label, role: link.role } : { label: null, role: 'edit' }
    })
    const now = Date.now()
    const info: SnapshotInfo = { id: newLinkId(), at: new Date(now).toISOString(), reason, editors }
    await this.store.addSnapshot(atlasId, info, state, (all) => {
      const drop = new Set(this.#expired(all))
      const left = all.filter((s) => !drop.has(s.id))
      for (const s of left.slice(0, Math.max(0, left.length - this.options.maxSnapshots))) {
        drop.add(s.id)
      }
      return all.filter((s) => drop.has(s.id) && s.id !== info.id)
    })
    this.#lastAt.set(atlasId, now)
    const editedSince = this.#editors.get(atlasId)
    for (const id of linkIds) editedSince?.delete(id)
    this.log.info('history snapshot', { atlas: atlasId, reason, bytes: state.byteLength })
    return info
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
