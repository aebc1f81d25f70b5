import type { AccessEntry } from '../../shared/api/accessLog'
import type { Role } from '../../shared/api/atlases'
import type { SnapshotInfo } from '../../shared/api/history'
import type { Approval, Piketpaaltje } from '../../shared/api/plan'
import type { PlanVersion } from '../../shared/api/versions'

/** One link of an atlas: its role and label, and the SHA-256 of its secret (never the secret). */
export interface StoredLink {
  id: string
  role: Role
  label: string
  /** Hex SHA-256 of the link's secret. */
  hash: string
  /** ISO 8601 time the link was made. */
  createdAt: string
  /** ISO 8601 time it was last used (kept to about the hour), null when never. */
  lastUsedAt: string | null
  /**
   * A view link whose secret the atlas's first edit links carry (`#edit=…&view=…`): whoever held
   * such an edit link holds this one too, so it stops with them when the edit links are renewed.
   */
  carriedByEdit?: boolean
}

/** What the server keeps about an atlas besides its documents. Secrets only as SHA-256 hashes. */
export interface AtlasMeta {
  id: string
  title: string
  /** ISO 8601 time of creation. */
  createdAt: string
  /** The links that work; a revoked link is gone from here. */
  links: StoredLink[]
  /** Privétijd: while on, professional links get nothing of the atlas or the plan. */
  privateTime: { on: boolean; since: string | null }
  /** Written by the server only, through professional links. */
  piketpaaltjes: Piketpaaltje[]
  approvals: Approval[]
}

/** The two documents of an atlas: the maps, and the plan beside them. */
export type DocName = 'atlas' | 'plan'

/** The storage key of a document: the atlas id, and `<id>/plan` for its plan. */
export function docKey(atlasId: string, name: DocName): string {
  return name === 'plan' ? `${atlasId}/plan` : atlasId
}

/** The atlas id and document name of a storage key; null for anything else. */
export function parseDocKey(key: string): { atlasId: string; name: DocName } | null {
  const match = /^([A-Za-z0-9_-]{22})(\/plan)?$/.exec(key)
  if (!match?.[1]) return null
  return { atlasId: match[1], name: match[2] ? 'plan' : 'atlas' }
}

/**
 * Where documents (Yjs state) live, by key (`docKey`): load and replace, plus an optional cheap
 * append. A store with `appendUpdates` lets the server write only what changed while people
 * edit, and the whole state now and then; without it every save replaces the whole state.
 */
export interface DocumentStore {
  /**
   * True when `loadDoc` returns only states it has checked to be intact (a damaged one throws
   * `StorageError`): the server may then send such a state to a client before applying it.
   */
  readonly checksLoadedState?: boolean
  /** The stored Yjs state of a document (snapshot and appended updates), or null if none. */
  loadDoc(key: string): Promise<Uint8Array | null>
  /** Durably replaces the stored Yjs state of a document; appended updates are folded into it. */
  storeDoc(key: string, state: Uint8Array): Promise<void>
  /** Durably adds Yjs updates (in order, all or none acknowledged) to the stored state of a document. */
  appendUpdates?(key: string, updates: readonly Uint8Array[]): Promise<void>
}

/** Where atlas metadata lives. */
export interface MetaStore {
  /** Stores a new atlas; fails if the id is taken. */
  createAtlas(meta: AtlasMeta): Promise<void>
  /** The metadata of an atlas, or null if there is no such atlas. Never mutate what it returns. */
  getMeta(id: string): Promise<AtlasMeta | null>
  /**
   * Changes the metadata of an atlas: `change` gets a copy of the current metadata and returns
   * the new one, which is durably stored before the promise resolves. Changes of one atlas run
   * one after another. Rejects with `StorageError` if there is no such atlas.
   */
  updateMeta(id: string, change: (meta: AtlasMeta) => AtlasMeta): Promise<AtlasMeta>
  /**
   * Removes an atlas and everything stored for it; nothing happens if there is none. Only for an
   * atlas whose creation could not be finished (nobody holds its link yet).
   */
  removeAtlas(id: string): Promise<void>
}

/** Where the versions of an atlas's plan live: appended, never changed. */
export interface VersionStore {
  /** The versions of an atlas's plan, oldest first (none when there are none). */
  listVersions(atlasId: string): Promise<PlanVersion[]>
  /**
   * Durably adds the version `make` returns given the versions so far (so it can number it);
   * additions to one atlas run one after another.
   */
  addVersion(atlasId: string, make: (existing: PlanVersion[]) => PlanVersion): Promise<PlanVersion>
  /**
   * Durably adds the versions `make` returns, in one write (an imported atlas brings up to
   * `MAX_VERSIONS` at once; one write each would rewrite the file as often).
   */
  addVersions(
    atlasId: string,
    make: (existing: PlanVersion[]) => PlanVersion[],
  ): Promise<PlanVersion[]>
}

/** The client's rights: who opened his atlas (the access log), and erasing it. */
export interface RightsStore {
  /**
   * Durably adds entries to an atlas's access log (all or none); nothing happens for an atlas that
   * was erased. Runs in the atlas's change queue, so an erasure waits for it.
   */
  appendAccess(id: string, entries: readonly AccessEntry[]): Promise<void>
  /**
   * The access log of an atlas from `since` on, oldest first. Older entries (and damaged lines)
   * are removed from the file in the same step.
   */
  readAccess(id: string, since: Date): Promise<AccessEntry[]>
  /**
   * Erases an atlas: every file of it is removed, and only a record of its id and the time of
   * erasure stays (written first, so an erasure a crash cut short is finished at the next start).
   */
  eraseAtlas(id: string, at: Date): Promise<void>
  /** When an atlas was erased (ISO 8601), or null if it was not. */
  erasedAt(id: string): string | null
}

/**
 * Where the history of an atlas's maps lives: snapshots of the whole Yjs state, each with its
 * time and the links that edited before it. Removed with the atlas when it is erased.
 */
export interface HistoryStore {
  /** The snapshots of an atlas, oldest first (none when there are none or the atlas is gone). */
  listSnapshots(atlasId: string): Promise<SnapshotInfo[]>
  /**
   * Durably adds a snapshot, then removes the snapshots `drop` picks from the list (the new one
   * included), in the atlas's change queue. Its editors are `info`'s and those `noteEditors`
   * noted since the last snapshot (then cleared). With `notWithinMs`, nothing is added when the
   * newest snapshot is less than that older than `info.at`, checked in the same step as the
   * addition (several servers of one atlas may try at once). Resolves with what was stored, or
   * null when nothing was (that rule, or an atlas that is gone).
   */
  addSnapshot(
    atlasId: string,
    info: SnapshotInfo,
    state: Uint8Array,
    drop: (all: SnapshotInfo[]) => SnapshotInfo[],
    notWithinMs?: number,
  ): Promise<SnapshotInfo | null>
  /**
   * Durably notes links that edited the maps, for the next snapshot whichever server takes it
   * (only a store shared by several servers has this; one server keeps them in memory).
   */
  noteEditors?(atlasId: string, linkIds: readonly string[]): Promise<void>
  /** Removes snapshots of an atlas (those past their keeping time). */
  removeSnapshots(atlasId: string, ids: readonly string[]): Promise<void>
  /** The Yjs state of one snapshot, or null if the atlas has no such snapshot. */
  loadSnapshot(atlasId: string, snapshotId: string): Promise<Uint8Array | null>
}

/** Whether `info` comes less than `notWithinMs` after `newest` (see `HistoryStore.addSnapshot`). */
export function tooSoon(
  newest: SnapshotInfo | undefined,
  info: SnapshotInfo,
  notWithinMs: number | undefined,
): boolean {
  if (notWithinMs === undefined || !newest) return false
  return Date.parse(info.at) - Date.parse(newest.at) < notWithinMs
}

/** Everything the server stores. */
export interface AtlasStore
  extends DocumentStore,
    MetaStore,
    VersionStore,
    RightsStore,
    HistoryStore {}

/**
 * The storage cannot be reached now (a database restarting, a network fault): nothing of the
 * operation is stored, and trying again later may succeed. Its code names it in the log.
 */
export class StorageUnavailableError extends Error {
  override name = 'StorageUnavailableError'
  readonly code = 'EUNAVAILABLE'
}

/** Stored data of one atlas could not be read; the message never includes the data. */
export class StorageError extends Error {
  override name = 'StorageError'
}
