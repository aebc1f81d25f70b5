import { afterEach, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { applySyncAnswersAsReceived, type LocalCopy } from '../../client/sync/syncAnswer'
import { RECORDS_KEY } from '../../shared/sync/layout'
import {
  connectProvider,
  createAtlas,
  readShape,
  synced,
  syncedClient,
  waitFor,
  writeShape,
} from '../helpers/clients'
import { removeDir, startTestServer, type TestServer } from '../helpers/server'

const providers: WebsocketProvider[] = []
const servers: TestServer[] = []

afterEach(async () => {
  for (const p of providers.splice(0)) p.destroy()
  for (const s of servers.splice(0)) {
    await s.close()
    await removeDir(s.dataDir)
  }
})

/** A server with an atlas of `count` shapes, written by a client that stays connected. */
async function atlasWithShapes(count: number) {
  const server = await startTestServer()
  servers.push(server)
  const atlas = await createAtlas(server.url)
  const writer = await syncedClient(server.wsUrl, atlas.id, atlas.editToken)
  providers.push(writer)
  writer.doc.transact(() => {
    for (let i = 0; i < count; i++) writeShape(writer.doc, `s${i}`, { x: i, y: 0 })
  })
  const room = async () => (await server.server.registry.peek(atlas.id))?.doc as Y.Doc
  await waitFor(async () => readShape(await room(), `s${count - 1}`)?.x === count - 1, 'stored')
  return { server, atlas, room }
}

/** A device's local copy as y-indexeddb keeps it: every update not its own, in order. */
function localCopy(doc: Y.Doc): LocalCopy & { stored: Uint8Array[]; replay(): Y.Doc } {
  const stored: Uint8Array[] = []
  const copy = {
    stored,
    _destroyed: false,
    _storeUpdate: (update: Uint8Array, origin: unknown) => {
      if (origin !== copy) stored.push(update)
    },
    replay() {
      const doc = new Y.Doc()
      for (const update of stored) Y.applyUpdate(doc, update)
      return doc
    },
  }
  doc.on('update', copy._storeUpdate)
  return copy
}

/** A device joining the atlas with its local copy, its answers applied as received. */
function device(server: TestServer, atlasId: string, token: string) {
  const doc = new Y.Doc()
  const local = localCopy(doc)
  const provider = connectProvider(server.wsUrl, atlasId, token, doc)
  providers.push(provider)
  applySyncAnswersAsReceived(provider, local)
  return { doc, local, provider }
}

const records = (doc: Y.Doc) => doc.getMap(RECORDS_KEY).toJSON()

describe('sync answers applied as received', () => {
  it('gives the local copy the answer as it came, and keeps sending and storing edits after it', async () => {
    const { server, atlas, room } = await atlasWithShapes(200)
    const { doc, local, provider } = device(server, atlas.id, atlas.editToken)
    await synced(provider)
    expect(readShape(doc, 's199')?.x).toBe(199)
    // One stored update, and it alone rebuilds the atlas.
    expect(local.stored).toHaveLength(1)
    expect(records(local.replay())).toEqual(records(await room()))

    // The provider and the local copy listen again: a local edit reaches both.
    writeShape(doc, 'mine', { x: 7, y: 8 })
    await waitFor(async () => readShape(await room(), 'mine')?.x === 7, 'the edit on the server')
    expect(local.stored).toHaveLength(2)
    expect(records(local.replay())).toEqual(records(doc))
  })

  it('sends and stores a change made while an answer is applied', async () => {
    const { server, atlas, room } = await atlasWithShapes(50)
    const { doc, local, provider } = device(server, atlas.id, atlas.editToken)
    // An observer that writes as soon as the atlas arrives, inside the answer's transaction.
    let wrote = false
    doc.getMap(RECORDS_KEY).observe(() => {
      if (wrote) return
      wrote = true
      writeShape(doc, 'fix', { x: 42, y: 0 })
    })
    await synced(provider)
    expect(wrote).toBe(true)
    await waitFor(async () => readShape(await room(), 'fix')?.x === 42, 'the change on the server')
    expect(records(local.replay())).toEqual(records(doc))
    expect(readShape(local.replay(), 's49')?.x).toBe(49)
  })
})
