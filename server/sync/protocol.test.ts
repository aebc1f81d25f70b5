import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import { Awareness } from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import {
  decodeClientMessage,
  encodeAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  MalformedMessageError,
  type UpdateMessage,
} from './protocol'
import { carriesContent } from './updateCheck'

function message(write: (e: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  write(encoder)
  return encoding.toUint8Array(encoder)
}

function docWithContent(): Y.Doc {
  const doc = new Y.Doc()
  doc.getMap('records').set('shape:a', { id: 'shape:a', x: 1 })
  return doc
}

describe('decodeClientMessage', () => {
  it('reads the messages a y-websocket client sends', () => {
    const doc = docWithContent()
    const update = Y.encodeStateAsUpdate(doc)
    expect(decodeClientMessage(encodeSyncStep1(doc))).toEqual({
      kind: 'sync-step1',
      stateVector: Y.encodeStateVector(doc),
    })
    expect(decodeClientMessage(encodeSyncStep2(doc))).toMatchObject({
      kind: 'sync-step2',
      update,
      read: { structCount: 2, deleteCount: 0 },
    })
    expect(decodeClientMessage(encodeUpdate(update))).toMatchObject({ kind: 'update', update })
    expect(decodeClientMessage(new Uint8Array([3]))).toEqual({ kind: 'query-awareness' })
    const awareness = new Awareness(doc)
    awareness.setLocalState({ user: { name: 'Sanne' } })
    const decoded = decodeClientMessage(encodeAwareness(awareness))
    const json = new TextEncoder().encode(JSON.stringify({ user: { name: 'Sanne' } }))
    expect(decoded).toEqual({
      kind: 'awareness',
      entries: [{ client: doc.clientID, clock: 1, json }],
      oversized: 0,
    })
    awareness.destroy()
  })

  it('leaves presence states past the limit unread', () => {
    const awareness = new Awareness(new Y.Doc())
    awareness.setLocalState({ blob: 'x'.repeat(100) })
    const limits = { maxUpdateStructs: 10, maxUpdateDeleteRanges: 10, maxPresenceBytes: 50 }
    expect(decodeClientMessage(encodeAwareness(awareness), limits)).toEqual({
      kind: 'awareness',
      entries: [],
      oversized: 1,
    })
    awareness.destroy()
  })

  it.each([
    ['an empty frame', new Uint8Array([])],
    ['an unknown message type', new Uint8Array([9])],
    ['the auth type, which only servers send', new Uint8Array([2, 0, 0])],
    ['an unknown sync type', new Uint8Array([0, 7, 0])],
    ['a truncated sync message', new Uint8Array([0, 2, 10, 1, 2])],
    ['an endless varint', new Uint8Array(12).fill(0xff)],
    ['a sync message with trailing bytes', new Uint8Array([0, 0, 1, 0, 42])],
    ['an update that is not a Yjs update', new Uint8Array([0, 2, 4, 9, 200, 3, 1])],
    ['a step 2 that is not a Yjs update', new Uint8Array([0, 1, 3, 1, 1, 255])],
    ['a state vector that is not one', new Uint8Array([0, 0, 2, 5, 1])],
    [
      'awareness with a state that is not JSON',
      message((e) => {
        encoding.writeVarUint(e, 1)
        encoding.writeVarUint8Array(
          e,
          message((inner) => {
            encoding.writeVarUint(inner, 1)
            encoding.writeVarUint(inner, 123)
            encoding.writeVarUint(inner, 1)
            encoding.writeVarString(inner, '{not json')
          }),
        )
      }),
    ],
    ['query awareness with trailing bytes', new Uint8Array([3, 0])],
    ['a text frame', new TextEncoder().encode('hello server')],
  ])('refuses %s with MalformedMessageError', (_, data) => {
    expect(() => decodeClientMessage(data)).toThrow(MalformedMessageError)
  })
})

describe('the content of an update (carriesContent of what decodeClientMessage read)', () => {
  const carries = (update: Uint8Array) => {
    const { read } = decodeClientMessage(encodeUpdate(update)) as UpdateMessage
    if ('refused' in read) throw new Error(read.refused)
    return carriesContent(read)
  }

  it('is none for the empty step 2 a fresh client sends', () => {
    const empty = message((e) => syncProtocol.writeSyncStep2(e, new Y.Doc()))
    const decoded = decodeClientMessage(new Uint8Array([0, ...empty]))
    expect(decoded.kind).toBe('sync-step2')
    if (decoded.kind !== 'sync-step2' || 'refused' in decoded.read) throw new Error('not read')
    expect(carriesContent(decoded.read)).toBe(false)
  })

  it('is none for a diff against a state the sender already has', () => {
    const doc = docWithContent()
    expect(carries(Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc)))).toBe(false)
  })

  it('is some for inserts', () => {
    expect(carries(Y.encodeStateAsUpdate(docWithContent()))).toBe(true)
  })

  it('is some for a deletion alone', () => {
    const doc = docWithContent()
    const before = Y.encodeStateVector(doc)
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    doc.getMap('records').delete('shape:a')
    const diff = Y.encodeStateAsUpdate(doc, before)
    expect(updates).toHaveLength(1)
    expect(carries(updates[0] as Uint8Array)).toBe(true)
    expect(carries(diff)).toBe(true)
  })
})
