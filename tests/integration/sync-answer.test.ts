import type { AddressInfo } from 'node:net'
import * as encoding from 'lib0/encoding'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import { messageYjsSyncStep2 } from 'y-protocols/sync'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { applyFirstAnswerAsReceived } from '../../client/sync/syncAnswer'
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

const closers: Array<() => Promise<unknown>> = []

afterEach(async () => {
  for (const p of providers.splice(0)) p.destroy()
  for (const close of closers.splice(0)) await close()
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

/**
 * A device's local copy as y-indexeddb keeps it: every update not its own, in order. `encoded`
 * tells, per update, whether Yjs encoded it for the doc's `update` listeners.
 */
function localCopy(doc: Y.Doc) {
  const stored: Uint8Array[] = []
  const encoded: boolean[] = []
  const copy = {
    stored,
    encoded,
    _destroyed: false,
    _storeUpdate: (
      update: Uint8Array,
      origin: unknown,
      _doc?: Y.Doc,
      transaction?: Y.Transaction,
    ) => {
      if (origin === copy) return
      stored.push(update)
      encoded.push(transaction !== undefined)
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
  applyFirstAnswerAsReceived(provider, local)
  return { doc, local, provider }
}

const records = (doc: Y.Doc) => doc.getMap(RECORDS_KEY).toJSON()

describe('the first sync answer, applied as received', () => {
  it('gives the local copy the answer as it came, and keeps sending and storing edits after it', async () => {
    const { server, atlas, room } = await atlasWithShapes(200)
    const { doc, local, provider } = device(server, atlas.id, atlas.editToken)
    await synced(provider)
    expect(readShape(doc, 's199')?.x).toBe(199)
    // One stored update, as it came (not encoded again), and it alone rebuilds the atlas.
    expect(local.encoded).toEqual([false])
    expect(records(local.replay())).toEqual(records(await room()))

    // A reconnect brings nothing new, and stores nothing.
    provider.disconnect()
    provider.connect()
    await synced(provider)
    expect(local.stored).toHaveLength(1)

    // The provider and the local copy listen again: a local edit reaches both.
    writeShape(doc, 'mine', { x: 7, y: 8 })
    await waitFor(async () => readShape(await room(), 'mine')?.x === 7, 'the edit on the server')
    expect(local.encoded).toEqual([false, true])
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

  it('stores no answer that cannot be applied', async () => {
    // A server whose first answer lacks its last byte (the end of its delete set): Yjs takes
    // in the shapes, then fails.
    const whole = new Y.Doc()
    for (let i = 0; i < 20; i++) writeShape(whole, `s${i}`, { x: i, y: 0 })
    const update = Y.encodeStateAsUpdate(whole)
    const broken = new WebSocketServer({ port: 0 })
    closers.push(() => new Promise((resolve) => broken.close(() => resolve(undefined))))
    broken.on('connection', (socket) => {
      const answer = encoding.createEncoder()
      encoding.writeVarUint(answer, 0) // a sync message
      encoding.writeVarUint(answer, messageYjsSyncStep2)
      encoding.writeVarUint8Array(answer, update.subarray(0, update.length - 1))
      socket.send(encoding.toUint8Array(answer))
    })
    const url = `ws://127.0.0.1:${(broken.address() as AddressInfo).port}`
    const doc = new Y.Doc()
    const local = localCopy(doc)
    const provider = connectProvider(url, 'atlas', 'token', doc)
    providers.push(provider)
    applyFirstAnswerAsReceived(provider, local)
    await synced(provider)
    expect(readShape(doc, 's19')?.x).toBe(19)
    expect(readShape(local.replay(), 's19')?.x).toBe(19)
    // The provider goes on: a local edit is stored and the doc is usable.
    writeShape(doc, 'mine', { x: 1, y: 2 })
    expect(readShape(local.replay(), 'mine')?.x).toBe(1)
  })
})
