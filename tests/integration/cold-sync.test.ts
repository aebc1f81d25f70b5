import { afterEach, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
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
const dirs: string[] = []

afterEach(async () => {
  for (const p of providers.splice(0)) p.destroy()
  for (const s of servers.splice(0)) await s.close()
  await Promise.all(dirs.splice(0).map(removeDir))
})

/** An atlas with `count` shapes, stored by a server that was then stopped; returns its data folder. */
async function storedAtlas(count: number) {
  const first = await startTestServer()
  dirs.push(first.dataDir)
  const atlas = await createAtlas(first.url)
  const writer = await syncedClient(first.wsUrl, atlas.id, atlas.editToken)
  writer.doc.transact(() => {
    for (let i = 0; i < count; i++) writeShape(writer.doc, `s${i}`, { x: i, y: 0 })
  })
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(writer.doc))
  await waitFor(
    async () => (await first.server.registry.peek(atlas.id))?.doc.getMap('records').size === count,
    'the server to hold every shape',
  )
  writer.destroy()
  // Closing saves every room.
  await first.close()
  return { atlas, dataDir: first.dataDir, copy }
}

async function restarted(dataDir: string): Promise<TestServer> {
  const server = await startTestServer({ dataDir })
  servers.push(server)
  return server
}

const loadLine = (server: TestServer) => server.logs.find((l) => l.includes('atlas loaded')) ?? ''

describe('first sync of an atlas that is not open yet', () => {
  it('answers a client that holds nothing from the stored state, which it then also holds', async () => {
    const { atlas, dataDir } = await storedAtlas(50)
    const server = await restarted(dataDir)
    const fresh = connectProvider(server.wsUrl, atlas.id, atlas.viewToken)
    providers.push(fresh)
    await synced(fresh)
    expect(loadLine(server)).toMatch(/answered=1\b/)
    for (let i = 0; i < 50; i++) expect(readShape(fresh.doc, `s${i}`)?.x).toBe(i)
    const room = await server.server.registry.peek(atlas.id)
    expect(Y.encodeStateVector(fresh.doc)).toEqual(Y.encodeStateVector(room?.doc as Y.Doc))
  })

  it('answers a client with a copy of its own from the room, and both sides get what they lack', async () => {
    const { atlas, dataDir, copy } = await storedAtlas(20)
    writeShape(copy, 'offline', { x: 7, y: 7 })
    const server = await restarted(dataDir)
    const returning = connectProvider(server.wsUrl, atlas.id, atlas.editToken, copy)
    providers.push(returning)
    await synced(returning)
    expect(loadLine(server)).toMatch(/answered=0\b/)
    const other = await syncedClient(server.wsUrl, atlas.id, atlas.editToken)
    providers.push(other)
    await waitFor(() => readShape(other.doc, 'offline')?.x === 7, 'the offline edit to arrive')
    expect(readShape(other.doc, 's19')?.x).toBe(19)
  })
})
