import { atom, createTLStore, type TLInstancePresence, TLPOINTER_ID, type TLUser } from 'tldraw'
import { describe, expect, it } from 'vitest'
import {
  Awareness,
  applyAwarenessUpdate,
  encodeAwarenessUpdate,
  removeAwarenessStates,
} from 'y-protocols/awareness'
import * as Y from 'yjs'
import { atlasSchema } from '../../shared/schema'
import { bindPresence, PRESENCE_FIELD, presenceIdFor, userRecordFor } from './presence'

/** A participant: a store (with the session records an editor would create) and an awareness. */
function participant(name: string, color: string) {
  const store = createTLStore({ schema: atlasSchema })
  store.mergeRemoteChanges(() => {}) // the store creates its document, page, instance and camera
  const awareness = new Awareness(new Y.Doc())
  const $user = atom<TLUser | null>('user', userRecordFor({ id: name.toLowerCase(), name, color }))
  return { store, awareness, $user }
}

/** Awareness traffic both ways, as the websocket provider relays it. */
function relay(a: Awareness, b: Awareness) {
  const forward = (from: Awareness, to: Awareness) => {
    from.on('update', ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
      if (origin === 'relay') return
      const changed = [...added, ...updated, ...removed]
      applyAwarenessUpdate(to, encodeAwarenessUpdate(from, changed), 'relay')
    })
  }
  forward(a, b)
  forward(b, a)
}

/** Lets the queued awareness writes happen. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

const presences = (store: ReturnType<typeof participant>['store']) =>
  store.allRecords().filter((r): r is TLInstancePresence => r.typeName === 'instance_presence')

describe('presence', () => {
  it('mirrors each peer as an instance_presence record with its name, colour and cursor', async () => {
    const sanne = participant('Sanne', '#1f6fd1')
    const zus = participant('Zus', '#c2410c')
    relay(sanne.awareness, zus.awareness)
    const stopSanne = bindPresence(sanne.store, sanne.awareness, sanne.$user)
    const stopZus = bindPresence(zus.store, zus.awareness, zus.$user)
    await settle()

    expect(sanne.awareness.getLocalState()?.[PRESENCE_FIELD]).toMatchObject({ userName: 'Sanne' })
    const seenBySanne = presences(sanne.store)
    expect(seenBySanne).toHaveLength(1)
    expect(seenBySanne[0]).toMatchObject({
      id: presenceIdFor(zus.awareness.clientID),
      userName: 'Zus',
      color: '#c2410c',
    })

    // Zus moves her pointer: Sanne's store follows.
    zus.store.update(TLPOINTER_ID, (p) => ({ ...p, x: 120, y: 80 }))
    await settle()
    expect(presences(sanne.store)[0]?.cursor).toMatchObject({ x: 120, y: 80 })

    // A renamed user reaches the peer too.
    zus.$user.set(userRecordFor({ id: 'zus', name: 'Zus van Sanne', color: '#c2410c' }))
    await settle()
    expect(presences(sanne.store)[0]?.userName).toBe('Zus van Sanne')

    stopSanne()
    stopZus()
  })

  it('keeps mirrored presence out of the document and the user history', async () => {
    const a = participant('A', '#1f6fd1')
    const b = participant('B', '#15803d')
    relay(a.awareness, b.awareness)
    const userChanges: unknown[] = []
    a.store.listen((e) => userChanges.push(e), { source: 'user' })
    const stopA = bindPresence(a.store, a.awareness, a.$user)
    const stopB = bindPresence(b.store, b.awareness, b.$user)
    await settle()
    expect(presences(a.store)).toHaveLength(1)
    expect(userChanges).toEqual([])
    expect(
      Object.keys(a.store.serialize('document')).some((id) => id.startsWith('instance_presence')),
    ).toBe(false)
    stopA()
    stopB()
  })

  it('removes a peer when it leaves or stops sharing', async () => {
    const a = participant('A', '#1f6fd1')
    const b = participant('B', '#15803d')
    relay(a.awareness, b.awareness)
    const stopA = bindPresence(a.store, a.awareness, a.$user)
    const stopB = bindPresence(b.store, b.awareness, b.$user)
    await settle()
    expect(presences(a.store)).toHaveLength(1)

    stopB() // B closes the atlas: its presence field is cleared
    expect(presences(a.store)).toHaveLength(0)

    const stopB2 = bindPresence(b.store, b.awareness, b.$user)
    await settle()
    expect(presences(a.store)).toHaveLength(1)
    removeAwarenessStates(a.awareness, [b.awareness.clientID], 'timeout') // B's connection drops
    expect(presences(a.store)).toHaveLength(0)

    stopA()
    stopB2()
  })

  it('skips a peer whose presence this schema rejects', () => {
    const a = participant('A', '#1f6fd1')
    const stop = bindPresence(a.store, a.awareness, a.$user)
    const stranger = new Awareness(new Y.Doc())
    stranger.setLocalStateField(PRESENCE_FIELD, { userName: 42 })
    applyAwarenessUpdate(a.awareness, encodeAwarenessUpdate(stranger, [stranger.clientID]), 'relay')
    expect(presences(a.store)).toHaveLength(0)
    stop()
  })
})
