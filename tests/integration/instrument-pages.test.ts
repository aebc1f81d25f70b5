/**
 * The server keeps the five instrument pages against a client that still deletes them (an old
 * build in a tab): real y-websocket clients on a spawned server; the deleting client edits
 * through a tldraw store and the real bridge, taking the page, its shapes and their bindings in
 * one batch, as tldraw's deletePage does.
 */
import { createTLStore, type TLRecord } from 'tldraw'
import { afterEach, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import { bindStoreToDoc, loadDocIntoStore } from '../../client/sync/bridge'
import { buildSampleAtlas, seedAtlasDoc } from '../../shared/domain/sampleAtlas'
import { atlasSchema } from '../../shared/schema'
import { instrumentPageId } from '../../shared/schema/pages'
import { RecordsMap } from '../../shared/sync/records'
import { createAtlas, syncedClient, waitFor } from '../helpers/clients'
import { type ChildServer, makeDataDir, removeDir, spawnServer } from '../helpers/server'

const PAGE = instrumentPageId('relatiekaart')

const providers: WebsocketProvider[] = []
const children: ChildServer[] = []
const dirs: string[] = []

afterEach(async () => {
  for (const p of providers.splice(0)) p.destroy()
  for (const c of children.splice(0)) {
    if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL')
    await c.exited
  }
  await Promise.all(dirs.splice(0).map(removeDir))
})

async function client(wsUrl: string, atlas: string, token: string): Promise<WebsocketProvider> {
  const provider = await syncedClient(wsUrl, atlas, token)
  providers.push(provider)
  return provider
}

/** Every record of a doc as the JSON it is stored as, by id. */
function storedJson(provider: WebsocketProvider): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [id, record] of Object.entries(new RecordsMap(provider.doc).toObject())) {
    out[id] = JSON.stringify(record)
  }
  return out
}

/** What tldraw's deletePage removes: the page, every shape under it, their bindings. */
function pageWithContents(records: TLRecord[], pageId: string): TLRecord['id'][] {
  const ids = new Set<string>([pageId])
  for (let grew = true; grew; ) {
    grew = false
    for (const r of records) {
      if (r.typeName === 'shape' && !ids.has(r.id) && ids.has(r.parentId)) {
        ids.add(r.id)
        grew = true
      }
    }
  }
  for (const r of records) {
    if (r.typeName === 'binding' && (ids.has(r.fromId) || ids.has(r.toId))) ids.add(r.id)
  }
  return [...ids] as TLRecord['id'][]
}

describe('instrument pages', () => {
  it('a page an old client deletes with its shapes comes back for everyone, the sender too', async () => {
    const dir = await makeDataDir()
    dirs.push(dir)
    const server = await spawnServer(dir)
    children.push(server)
    const atlas = await createAtlas(server.url)
    const a = await client(server.wsUrl, atlas.id, atlas.editToken)
    const b = await client(server.wsUrl, atlas.id, atlas.editToken)
    seedAtlasDoc(a.doc, buildSampleAtlas({ thisYear: 2025 }))
    const original = storedJson(a)
    await waitFor(
      () => JSON.stringify(storedJson(b)) === JSON.stringify(original),
      'the second client to hold the atlas',
    )

    // B watches for anything of the page going away, even for a moment.
    const seenGone = new Set<string>()
    let updatesOnB = 0
    b.doc.on('update', () => updatesOnB++)
    new RecordsMap(b.doc).observe((change) => {
      for (const id of change.removed) seenGone.add(id)
    })

    // A, an old build: a tldraw store bound to its doc by the real bridge.
    const store = createTLStore({ schema: atlasSchema })
    const origin = { bridge: 'a' }
    loadDocIntoStore(store, a.doc, { origin })
    const unbind = bindStoreToDoc(store, a.doc, { origin })
    const taken = pageWithContents(store.allRecords(), PAGE)
    expect(taken.filter((id) => id.startsWith('shape:')).length).toBeGreaterThan(10)
    expect(taken.filter((id) => id.startsWith('binding:')).length).toBeGreaterThan(1)
    store.remove(taken)
    unbind()

    // Everyone ends with the very same records as before: B, A, and a client that comes later.
    // B's first update after A's change holds the restore too: both come in one message.
    await waitFor(() => updatesOnB > 0, "B to get A's change")
    expect(storedJson(b)).toEqual(original)
    await waitFor(
      () => JSON.stringify(storedJson(a)) === JSON.stringify(original),
      'the page to be back on A',
    )
    const c = await client(server.wsUrl, atlas.id, atlas.editToken)
    expect(storedJson(c)).toEqual(original)
    expect(storedJson(b)).toEqual(original)
    expect(storedJson(a)).toEqual(original)
    expect([...seenGone]).toEqual([])

    const restored = server
      .output()
      .split('\n')
      .filter((line) => line.includes('instrument page restored'))
    expect(restored).toEqual([
      expect.stringMatching(
        new RegExp(
          `warn instrument page restored atlas=${atlas.id} role=edit pages=relatiekaart records=${taken.length}$`,
        ),
      ),
    ])
    // The log names no content: no person, no page name.
    expect(server.output()).not.toMatch(/Sanne|Relatiekaart/)

    // And it is what the server stores.
    for (const p of providers.splice(0)) p.destroy()
    server.child.kill('SIGTERM')
    await server.exited
    const again = await spawnServer(dir)
    children.push(again)
    const fresh = await client(again.wsUrl, atlas.id, atlas.viewToken)
    expect(storedJson(fresh)).toEqual(original)
  })
})
