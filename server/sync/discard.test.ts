import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { writeShape } from '../../tests/helpers/clients'
import { createLogger } from '../log'
import { encodeUpdate } from './protocol'
import { RoomGoneError, RoomRegistry } from './registry'
import type { Connection } from './room'

const ID = 'CCCCCCCCCCCCCCCCCCCCCC'

function editUpdate(key: string): Uint8Array {
  const doc = new Y.Doc()
  writeShape(doc, key, { x: 0, y: 0 })
  return Y.encodeStateAsUpdate(doc)
}

describe('RoomRegistry.discard (an erased atlas)', () => {
  it('waits for a save under way, starts none after it, and never loads the document again', async () => {
    const saves: string[] = []
    let release = () => {}
    const store = {
      loadDoc: async () => null,
      storeDoc: (id: string) => {
        saves.push(id)
        return new Promise<void>((resolve) => {
          release = resolve
        })
      },
    }
    const registry = new RoomRegistry(
      store,
      { debounceMs: 5, maxWaitMs: 10 },
      createLogger('silent'),
    )
    const editor: Connection = { role: 'edit', send: () => {} }
    const room = await registry.join(ID, editor)
    room.receive(editor, encodeUpdate(editUpdate('a')))
    await expect.poll(() => saves.length).toBe(1)
    // A change while that save runs: it would be the next save.
    room.receive(editor, encodeUpdate(editUpdate('b')))

    let discarded = false
    const discarding = registry.discard(ID).then(() => {
      discarded = true
    })
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(discarded).toBe(false)
    release()
    await discarding
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(saves).toEqual([ID])
    expect(registry.openIds).toEqual([])
    await expect(registry.join(ID, editor)).rejects.toBeInstanceOf(RoomGoneError)
    // Leaving a discarded room is quiet.
    await registry.leave(ID, editor)
  })
})
