import * as encoding from 'lib0/encoding'
import { beforeAll, describe, expect, it } from 'vitest'
import { encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import type { CreateAtlasResponse } from '../../shared/api/atlases'
import { CloseCode, MAX_MESSAGE_BYTES } from '../../shared/sync/layout'
import {
  connectProvider,
  createAtlas,
  type RawClient,
  readShape,
  synced,
  waitFor,
  writeShape,
} from '../helpers/clients'
import { serverOfThisFile } from '../helpers/serverOfFile'

const { server, client, raw, providers } = serverOfThisFile()

function syncMessage(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  write(encoder)
  return encoding.toUint8Array(encoder)
}

/** An update that adds one shape, made on a throwaway document. */
function shapeUpdate(id: string): Uint8Array {
  const doc = new Y.Doc()
  writeShape(doc, id, { x: 1, y: 2 })
  return Y.encodeStateAsUpdate(doc)
}

/** Sends sync step 1 and waits for the answer: every message sent before it has been handled. */
async function roundTrip(r: RawClient): Promise<void> {
  const answer = r.nextFrame((f) => f[0] === 0 && f[1] === 1)
  r.send(syncMessage((e) => syncProtocol.writeSyncStep1(e, new Y.Doc())))
  await answer
}

async function serverDoc(id: string): Promise<Y.Doc> {
  const room = await server.server.registry.peek(id)
  if (!room) throw new Error(`room ${id} is not open`)
  return room.doc
}

describe('sync between edit clients', () => {
  it('two edit clients converge, in both directions and under concurrent edits', async () => {
    const atlas = await createAtlas(server.url)
    const a = await client(atlas.id, atlas.editToken)
    const b = await client(atlas.id, atlas.editToken)

    writeShape(a.doc, 'fromA', { x: 10, y: 20 })
    await waitFor(() => readShape(b.doc, 'fromA')?.x === 10, 'B to see A’s shape')
    writeShape(b.doc, 'fromB', { x: 30, y: 40 })
    await waitFor(() => readShape(a.doc, 'fromB')?.y === 40, 'A to see B’s shape')

    for (let i = 0; i < 20; i++) {
      writeShape(a.doc, 'shared', { x: i, y: 0 })
      writeShape(b.doc, 'shared', { x: 100 + i, y: 0 })
    }
    const same = () =>
      Buffer.from(Y.encodeStateVector(a.doc)).equals(Buffer.from(Y.encodeStateVector(b.doc))) &&
      JSON.stringify(a.doc.getMap('records').toJSON()) ===
        JSON.stringify(b.doc.getMap('records').toJSON())
    await waitFor(same, 'both clients to hold the same document')
    expect(readShape(a.doc, 'shared')).toEqual(readShape(b.doc, 'shared'))
    const onServer = await serverDoc(atlas.id)
    expect(onServer.getMap('records').toJSON()).toEqual(a.doc.getMap('records').toJSON())
  })

  it('shares presence and removes it when a client leaves', async () => {
    const atlas = await createAtlas(server.url)
    const a = await client(atlas.id, atlas.editToken)
    const viewer = await client(atlas.id, atlas.viewToken)
    a.awareness.setLocalStateField('user', { name: 'Sanne', color: '#f80' })
    viewer.awareness.setLocalStateField('user', { name: 'Opa', color: '#08f' })
    await waitFor(
      () => viewer.awareness.getStates().get(a.doc.clientID)?.user?.name === 'Sanne',
      'viewer to see Sanne',
    )
    await waitFor(
      () => a.awareness.getStates().get(viewer.doc.clientID)?.user?.name === 'Opa',
      'Sanne to see the viewer’s cursor',
    )
    viewer.disconnect()
    await waitFor(
      () => !a.awareness.getStates().has(viewer.doc.clientID),
      'the viewer’s presence to go',
    )
  })
})

describe('view links', () => {
  it('refuses every write of a view client and leaves the document byte-identical', async () => {
    const atlas = await createAtlas(server.url)
    const editor = await client(atlas.id, atlas.editToken)
    writeShape(editor.doc, 'original', { x: 1, y: 1 })
    const doc = await serverDoc(atlas.id)
    await waitFor(() => readShape(doc, 'original') !== undefined, 'the server to have the original')
    const before = Y.encodeStateAsUpdate(doc)

    // A stock provider with a view link that edits its local copy.
    const viewer = await client(atlas.id, atlas.viewToken)
    expect(readShape(viewer.doc, 'original')).toEqual(readShape(editor.doc, 'original'))
    const refusalsBefore = server.logs.filter((l) => l.includes('write refused')).length
    writeShape(viewer.doc, 'fromViewer', { x: 5, y: 5 })
    await waitFor(
      () => server.logs.filter((l) => l.includes('write refused')).length > refusalsBefore,
      'the server to refuse the viewer’s update',
    )

    // The same by hand: an update, and a sync step 2 that carries content.
    const r = raw(atlas.id, atlas.viewToken)
    await r.opened
    r.send(syncMessage((e) => syncProtocol.writeUpdate(e, shapeUpdate('rawUpdate'))))
    r.send(
      syncMessage((e) => {
        encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2)
        encoding.writeVarUint8Array(e, shapeUpdate('rawStep2'))
      }),
    )
    // A deletion is a write too.
    const deleting = new Y.Doc()
    Y.applyUpdate(deleting, before)
    deleting.getMap('records').delete('shape:original')
    r.send(
      syncMessage((e) =>
        syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(deleting, Y.encodeStateVector(doc))),
      ),
    )
    await roundTrip(r)

    expect(Buffer.from(Y.encodeStateAsUpdate(doc)).equals(Buffer.from(before))).toBe(true)
    expect(readShape(editor.doc, 'fromViewer')).toBeUndefined()
    const fresh = await client(atlas.id, atlas.editToken)
    expect(fresh.doc.getMap('records').toJSON()).toEqual({
      'shape:original': readShape(editor.doc, 'original'),
    })
    // Refusing writes does not disconnect the viewer, who still receives edits.
    writeShape(editor.doc, 'later', { x: 9, y: 9 })
    await waitFor(
      () => readShape(viewer.doc, 'later') !== undefined,
      'the viewer to receive later edits',
    )
    expect(r.ws.readyState).toBe(r.ws.OPEN)
  })

  it('accepts the empty sync step 2 that a fresh view client sends', async () => {
    const atlas = await createAtlas(server.url)
    const r = raw(atlas.id, atlas.viewToken)
    await r.opened
    r.send(syncMessage((e) => syncProtocol.writeSyncStep2(e, new Y.Doc())))
    const awareness = new (await import('y-protocols/awareness')).Awareness(new Y.Doc())
    awareness.setLocalState({ user: { name: 'Opa' } })
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, 1)
    encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(awareness, [awareness.clientID]))
    r.send(encoding.toUint8Array(encoder))
    await roundTrip(r)
    expect(r.ws.readyState).toBe(r.ws.OPEN)
    expect(server.logs.some((l) => l.includes('write refused') && l.includes(atlas.id))).toBe(false)
    awareness.destroy()
  })
})

describe('links that grant nothing', () => {
  let atlas: CreateAtlasResponse
  let other: CreateAtlasResponse

  beforeAll(async () => {
    atlas = await createAtlas(server.url)
    other = await createAtlas(server.url)
    // Give the atlas content and a present editor, so that any leak would show.
    const editor = connectProvider(server.wsUrl, atlas.id, atlas.editToken)
    await synced(editor)
    editor.awareness.setLocalStateField('user', { name: 'Sanne' })
    writeShape(editor.doc, 'secret', { x: 1, y: 2, text: 'geheim' })
    await waitFor(
      async () => readShape(await serverDoc(atlas.id), 'secret') !== undefined,
      'the shape on the server',
    )
    providers.push(editor)
  })

  const wrongToken = Buffer.alloc(32, 1).toString('base64url')
  const cases: Array<[string, () => [string, string | null]]> = [
    ['no token', () => [atlas.id, null]],
    ['an empty token', () => [atlas.id, '']],
    ['a wrong token', () => [atlas.id, wrongToken]],
    ['another atlas’s edit token', () => [atlas.id, other.editToken]],
    ['another atlas’s view token', () => [atlas.id, other.viewToken]],
    ['an unknown atlas', () => ['AAAAAAAAAAAAAAAAAAAAAA', atlas.editToken]],
    ['a malformed atlas id', () => ['not-an-atlas', atlas.editToken]],
    ['a path below the atlas', () => [`${atlas.id}/x`, atlas.editToken]],
  ]

  it.each(cases)('%s: closed with 4401 before a single byte is sent', async (_, input) => {
    const [id, token] = input()
    const r = raw(id, token)
    // Behave like a client: ask for the document and announce presence right away.
    r.ws.once('open', () => {
      r.send(syncMessage((e) => syncProtocol.writeSyncStep1(e, new Y.Doc())))
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, 3)
      r.send(encoding.toUint8Array(encoder))
    })
    const closed = await r.closed
    expect(closed).toEqual({ code: CloseCode.Unauthorized, reason: 'Link is not valid' })
    expect(r.frames).toEqual([])
  })

  it('a stock provider with a wrong link stops and is told why', async () => {
    const provider = connectProvider(server.wsUrl, atlas.id, wrongToken)
    providers.push(provider)
    const closed = await new Promise<{ code: number; reason: string }>((resolve) =>
      provider.on('closed', (event) => resolve(event)),
    )
    expect(closed).toEqual({ code: 4401, reason: 'Link is not valid' })
    expect(provider.doc.getMap('records').size).toBe(0)
    expect(provider.awareness.getStates().size).toBe(1)
  })

  it('never loads the atlas for a link that grants nothing', async () => {
    const idle = await createAtlas(server.url)
    const r = raw(idle.id, other.editToken)
    await r.closed
    expect(server.server.registry.openIds).not.toContain(idle.id)
  })

  it('never logs a token', async () => {
    const logs = server.logs.join('\n')
    expect(logs).toContain('sync refused')
    for (const secret of [
      atlas.editToken,
      atlas.viewToken,
      other.editToken,
      other.viewToken,
      wrongToken,
    ]) {
      expect(logs).not.toContain(secret)
    }
    expect(logs).not.toContain('geheim')
  })
})

describe('bad messages', () => {
  it('a garbage frame and an oversized frame close only their own socket', async () => {
    const one = await createAtlas(server.url)
    const two = await createAtlas(server.url)
    const a = await client(one.id, one.editToken)
    const b = await client(one.id, one.editToken)
    const c = await client(two.id, two.editToken)
    const d = await client(two.id, two.editToken)
    const closes: unknown[] = []
    for (const p of [a, b, c, d]) p.on('connection-close', (event) => closes.push(event?.code))

    const garbage = raw(one.id, one.editToken)
    await garbage.opened
    garbage.send(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]))
    expect(await garbage.closed).toEqual({
      code: CloseCode.MalformedMessage,
      reason: 'Message could not be read',
    })

    const badUpdate = raw(one.id, one.editToken)
    await badUpdate.opened
    badUpdate.send(
      syncMessage((e) => syncProtocol.writeUpdate(e, new Uint8Array([5, 200, 1, 2, 3]))),
    )
    expect((await badUpdate.closed).code).toBe(CloseCode.MalformedMessage)

    const huge = raw(one.id, one.editToken)
    await huge.opened
    huge.send(new Uint8Array(MAX_MESSAGE_BYTES + 1))
    expect((await huge.closed).code).toBe(CloseCode.MessageTooLarge)

    writeShape(a.doc, 'afterBadMessages', { x: 1, y: 1 })
    await waitFor(() => readShape(b.doc, 'afterBadMessages') !== undefined, 'B to keep syncing')
    writeShape(d.doc, 'otherRoom', { x: 2, y: 2 })
    await waitFor(
      () => readShape(c.doc, 'otherRoom') !== undefined,
      'the other room to keep syncing',
    )
    expect(closes).toEqual([])
    expect(readShape(await serverDoc(one.id), 'afterBadMessages')).toBeDefined()
  })

  it('accepts a message just under the limit', async () => {
    const atlas = await createAtlas(server.url)
    const a = await client(atlas.id, atlas.editToken)
    const b = await client(atlas.id, atlas.editToken)
    writeShape(a.doc, 'big', { x: 1, y: 1, text: 'x'.repeat(MAX_MESSAGE_BYTES - 4096) })
    await waitFor(() => readShape(b.doc, 'big') !== undefined, 'the big shape to arrive')
  })
})
