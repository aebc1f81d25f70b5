import * as Y from 'yjs'
import type { AccessEntry } from '../../shared/api/accessLog'
import type { SnapshotInfo } from '../../shared/api/history'
import type { PlanVersion } from '../../shared/api/versions'
import { type AtlasMeta, type AtlasStore, StorageError, tooSoon } from './types'

/** An `AtlasStore` in memory, for tests of rooms and routes. */
export class MemoryAtlasStore implements AtlasStore {
  readonly metas = new Map<string, AtlasMeta>()
  readonly docs = new Map<string, Uint8Array>()
  readonly versions = new Map<string, PlanVersion[]>()
  readonly accessLogs = new Map<string, AccessEntry[]>()
  readonly erased = new Map<string, string>()
  readonly history = new Map<string, { info: SnapshotInfo; state: Uint8Array }[]>()

  async listSnapshots(atlasId: string): Promise<SnapshotInfo[]> {
    return (this.history.get(atlasId) ?? []).map((s) => structuredClone(s.info))
  }

  async addSnapshot(
    atlasId: string,
    info: SnapshotInfo,
    state: Uint8Array,
    drop: (all: SnapshotInfo[]) => SnapshotInfo[],
    notWithinMs?: number,
  ): Promise<SnapshotInfo | null> {
    if (!this.metas.has(atlasId)) return null
    const existing = this.history.get(atlasId) ?? []
    const newest = existing[existing.length - 1]
    if (tooSoon(newest?.info, info, notWithinMs)) return null
    const all = [...existing, { info, state: state.slice() }]
    const dropped = new Set(drop(all.map((s) => s.info)).map((s) => s.id))
    this.history.set(
      atlasId,
      all.filter((s) => !dropped.has(s.info.id)),
    )
    return structuredClone(info)
  }

  async removeSnapshots(atlasId: string, ids: readonly string[]): Promise<void> {
    const gone = new Set(ids)
    const kept = (this.history.get(atlasId) ?? []).filter((s) => !gone.has(s.info.id))
    if (this.history.has(atlasId)) this.history.set(atlasId, kept)
  }

  async loadSnapshot(atlasId: string, snapshotId: string): Promise<Uint8Array | null> {
    const found = (this.history.get(atlasId) ?? []).find((s) => s.info.id === snapshotId)
    return found ? found.state.slice() : null
  }

  async listVersions(atlasId: string): Promise<PlanVersion[]> {
    return structuredClone(this.versions.get(atlasId) ?? [])
  }

  async addVersion(
    atlasId: string,
    make: (existing: PlanVersion[]) => PlanVersion,
  ): Promise<PlanVersion> {
    if (!this.metas.has(atlasId)) throw new StorageError(`Atlas ${atlasId} does not exist`)
    const existing = this.versions.get(atlasId) ?? []
    const version = make(structuredClone(existing))
    this.versions.set(atlasId, [...existing, version])
    return version
  }

  async addVersions(
    atlasId: string,
    make: (existing: PlanVersion[]) => PlanVersion[],
  ): Promise<PlanVersion[]> {
    if (!this.metas.has(atlasId)) throw new StorageError(`Atlas ${atlasId} does not exist`)
    const existing = this.versions.get(atlasId) ?? []
    const added = make(structuredClone(existing))
    this.versions.set(atlasId, [...existing, ...added])
    return added
  }

  async createAtlas(meta: AtlasMeta): Promise<void> {
    if (this.metas.has(meta.id)) throw new StorageError(`Atlas ${meta.id} already exists`)
    this.metas.set(meta.id, { ...meta })
  }

  async getMeta(id: string): Promise<AtlasMeta | null> {
    return this.metas.get(id) ?? null
  }

  async updateMeta(id: string, change: (meta: AtlasMeta) => AtlasMeta): Promise<AtlasMeta> {
    const meta = this.metas.get(id)
    if (!meta) throw new StorageError(`Atlas ${id} does not exist`)
    const updated = change(structuredClone(meta))
    this.metas.set(id, updated)
    return updated
  }

  async removeAtlas(id: string): Promise<void> {
    this.metas.delete(id)
    this.versions.delete(id)
    this.history.delete(id)
    this.docs.delete(id)
    this.docs.delete(`${id}/plan`)
  }

  async loadDoc(id: string): Promise<Uint8Array | null> {
    const state = this.docs.get(id)
    return state ? state.slice() : null
  }

  async storeDoc(id: string, state: Uint8Array): Promise<void> {
    this.docs.set(id, state.slice())
  }

  async appendUpdates(id: string, updates: readonly Uint8Array[]): Promise<void> {
    const state = this.docs.get(id)
    this.docs.set(id, Y.mergeUpdates(state ? [state, ...updates] : [...updates]))
  }

  async appendAccess(id: string, entries: readonly AccessEntry[]): Promise<void> {
    if (this.erased.has(id) || !this.metas.has(id)) return
    this.accessLogs.set(id, [...(this.accessLogs.get(id) ?? []), ...entries])
  }

  async readAccess(id: string, since: Date): Promise<AccessEntry[]> {
    const kept = (this.accessLogs.get(id) ?? []).filter((e) => Date.parse(e.at) >= since.getTime())
    if (this.accessLogs.has(id)) this.accessLogs.set(id, kept)
    return kept
  }

  async eraseAtlas(id: string, at: Date): Promise<void> {
    this.erased.set(id, at.toISOString())
    this.accessLogs.delete(id)
    await this.removeAtlas(id)
  }

  erasedAt(id: string): string | null {
    return this.erased.get(id) ?? null
  }
}
