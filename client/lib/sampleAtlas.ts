import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import type { CreateAtlasResponse } from '../../shared/api/atlases'
import { buildSampleAtlas, seedAtlasDoc } from '../../shared/domain/sampleAtlas'
import { RecordsMap } from '../../shared/sync/records'
import { createAtlas } from './api'

/** How long to wait for the sync server before giving up on the sample. */
const SYNC_TIMEOUT_MS = 10_000

function syncServerUrl(): string {
  const { protocol, host } = window.location
  return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}/sync`
}

/** Connects to an atlas's room with a fresh doc and resolves once the server's state is in. */
function openRoom(atlasId: string, token: string): Promise<WebsocketProvider> {
  const provider = new WebsocketProvider(syncServerUrl(), atlasId, new Y.Doc(), {
    params: { token },
    disableBc: true,
  })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      provider.destroy()
      reject(new Error('no connection with the server'))
    }, SYNC_TIMEOUT_MS)
    provider.on('sync', (synced: boolean) => {
      if (!synced) return
      clearTimeout(timer)
      resolve(provider)
    })
  })
}

/**
 * Creates an atlas on the server and fills it with the sample atlas (Sanne and her network),
 * through the same sync as any edit. Resolves when a fresh connection reads the sample back, so
 * the atlas opens complete.
 */
export async function createSampleAtlas(title: string): Promise<CreateAtlasResponse> {
  const created = await createAtlas({ title })
  const records = buildSampleAtlas()
  const writer = await openRoom(created.id, created.editToken)
  try {
    seedAtlasDoc(writer.doc, records)
    const deadline = Date.now() + SYNC_TIMEOUT_MS
    for (;;) {
      const reader = await openRoom(created.id, created.editToken)
      const stored = new RecordsMap(reader.doc).size
      reader.destroy()
      if (stored >= records.length) break
      if (Date.now() > deadline) throw new Error('the server did not keep the sample')
      await new Promise((r) => setTimeout(r, 150))
    }
  } finally {
    writer.destroy()
  }
  return created
}
