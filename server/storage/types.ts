/** What the server keeps about an atlas besides its document. Tokens only as SHA-256 hashes. */
export interface AtlasMeta {
  id: string
  title: string
  /** ISO 8601 time of creation. */
  createdAt: string
  /** Hex SHA-256 of the edit token. */
  editHash: string
  /** Hex SHA-256 of the view token. */
  viewHash: string
}

/**
 * Where atlas documents (Yjs state) live: load and replace, plus an optional cheap append. A
 * store with `appendUpdates` lets the server write only what changed while people edit, and the
 * whole state now and then; without it every save replaces the whole state.
 */
export interface DocumentStore {
  /**
   * True when `loadDoc` returns only states it has checked to be intact (a damaged one throws
   * `StorageError`): the server may then send such a state to a client before applying it.
   */
  readonly checksLoadedState?: boolean
  /** The stored Yjs state of an atlas (snapshot and appended updates), or null if none. */
  loadDoc(id: string): Promise<Uint8Array | null>
  /** Durably replaces the stored Yjs state of an atlas; appended updates are folded into it. */
  storeDoc(id: string, state: Uint8Array): Promise<void>
  /** Durably adds Yjs updates (in order, all or none acknowledged) to the stored state of an atlas. */
  appendUpdates?(id: string, updates: readonly Uint8Array[]): Promise<void>
}

/** Where atlas metadata lives. */
export interface MetaStore {
  /** Stores a new atlas; fails if the id is taken. */
  createAtlas(meta: AtlasMeta): Promise<void>
  /** The metadata of an atlas, or null if there is no such atlas. */
  getMeta(id: string): Promise<AtlasMeta | null>
  /**
   * Removes an atlas and everything stored for it; nothing happens if there is none. Only for an
   * atlas whose creation could not be finished (nobody holds its link yet).
   */
  removeAtlas(id: string): Promise<void>
}

/** Everything the server stores. */
export interface AtlasStore extends DocumentStore, MetaStore {}

/** Stored data of one atlas could not be read; the message never includes the data. */
export class StorageError extends Error {
  override name = 'StorageError'
}
