import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import {
  decodeClientMessage,
  encodeAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  MalformedMessageError,
  updateCarriesContent,
} from './protocol'

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
    expect(decodeClientMessage(encodeSyncStep2(doc))).toEqual({ kind: 'sync-step2', update })
    expect(decodeClientMessage(encodeUpdate(update))).toEqual({ kind: 'update', update })
    expect(decodeClientMessage(new Uint8Array([3]))).toEqual({ kind: 'query-awareness' })
    const awareness = new Awareness(doc)
    awareness.setLocalState({ user: { name: 'Sanne' } })
    const decoded = decodeClientMessage(encodeAwareness(awareness))
    expect(decoded).toEqual({
      kind: 'awareness',
      update: encodeAwarenessUpdate(awareness, [doc.clientID]),
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

describe('updateCarriesContent', () => {
  it('is false for the empty step 2 a fresh client sends', () => {
    const empty = message((e) => syncProtocol.writeSyncStep2(e, new Y.Doc()))
    const decoded = decodeClientMessage(new Uint8Array([0, ...empty]))
    expect(decoded.kind).toBe('sync-step2')
    if (decoded.kind !== 'sync-step2') return
    expect(updateCarriesContent(decoded.update)).toBe(false)
  })

  it('is false for a diff against a state the sender already has', () => {
    const doc = docWithContent()
    expect(updateCarriesContent(Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc)))).toBe(false)
  })

  it('is true for inserts', () => {
    expect(updateCarriesContent(Y.encodeStateAsUpdate(docWithContent()))).toBe(true)
  })

  it('is true for a deletion alone', () => {
    const doc = docWithContent()
    const before = Y.encodeStateVector(doc)
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    doc.getMap('records').delete('shape:a')
    const diff = Y.encodeStateAsUpdate(doc, before)
    expect(updates).toHaveLength(1)
    expect(updateCarriesContent(updates[0] as Uint8Array)).toBe(true)
    expect(updateCarriesContent(diff)).toBe(true)
  })
})
