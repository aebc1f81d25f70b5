import * as decoding from 'lib0/decoding'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addAgreement, setMeetingStep } from '../../shared/plan/actions'
import { createLogger } from '../log'
import { encodeUpdate } from './protocol'
import { type Connection, Room } from './room'

const ATLAS = 'AAAAAAAAAAAAAAAAAAAAAA'
const endOfTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

/** A room with a writer and a watcher; the watcher keeps every message it is sent. */
function room(id: string) {
  const r = new Room(id, null, createLogger('silent'))
  const writer: Connection = { role: 'edit', send: () => {} }
  const received: Uint8Array[] = []
  const watcher: Connection = { role: 'edit', send: (data) => received.push(data) }
  r.join(writer)
  r.join(watcher)
  received.length = 0
  const doc = new Y.Doc()
  /** Sends one change of the writer's doc as a message; returns that message. */
  const write = (change: (doc: Y.Doc) => void): Uint8Array => {
    let message: Uint8Array | undefined
    const note = (u: Uint8Array) => {
      message = encodeUpdate(u)
    }
    doc.once('update', note)
    change(doc)
    r.receive(writer, message as Uint8Array)
    return message as Uint8Array
  }
  return { room: r, write, received, writer }
}

describe('a calm room', () => {
  it('sends a lone small edit on as it came, before it applies it', async () => {
    const { room: r, write, received } = room(`${ATLAS}/plan`)
    write((d) => setMeetingStep(d, 'welcome'))
    await endOfTurn()
    received.length = 0
    const seen: number[] = []
    r.doc.on('update', () => seen.push(received.length))
    const message = write((d) => setMeetingStep(d, 'questions'))
    // The watcher had the writer's own message when the room's document changed.
    expect(seen).toEqual([1])
    expect(received).toEqual([message])
    expect(received[0]).toBe(message)
    await endOfTurn()
    expect(received).toHaveLength(1)
    expect(r.doc.getMap('meeting').get('step')).toBe('questions')
  })

  it('stays calm after an edit sent again that changes nothing', async () => {
    const { room: r, write, received, writer } = room(`${ATLAS}/plan`)
    const first = write((d) => setMeetingStep(d, 'welcome'))
    await endOfTurn()
    // A device that sends an edit again (after a reconnection): out as it came, no update event.
    r.receive(writer, first)
    await endOfTurn()
    received.length = 0
    const next = write((d) => setMeetingStep(d, 'questions'))
    expect(received).toEqual([next])
    expect(received[0]).toBe(next)
  })

  it('sends Yjs’s own encoding of an update that takes the full plan check', async () => {
    const { write, received } = room(`${ATLAS}/plan`)
    write((d) => setMeetingStep(d, 'welcome'))
    await endOfTurn()
    received.length = 0
    const message = write((d) => addAgreement(d, 'question:a', { id: 'a1' }))
    await endOfTurn()
    expect(received).toHaveLength(1)
    expect(received[0]).not.toBe(message)
  })

  it('sends a busy turn’s edits merged, not as they came', async () => {
    const { write, received } = room(`${ATLAS}/plan`)
    write((d) => setMeetingStep(d, 'welcome'))
    write((d) => setMeetingStep(d, 'questions'))
    await endOfTurn()
    received.length = 0
    // The turn before carried two updates: the room is busy, this turn's wait for the flush.
    const first = write((d) => setMeetingStep(d, 'information'))
    const second = write((d) => setMeetingStep(d, 'presentation'))
    expect(received).toHaveLength(0)
    await endOfTurn()
    expect(received).toHaveLength(1)
    expect(received[0]).not.toBe(first)
    expect(received[0]).not.toBe(second)
  })
})

describe('a room shared with other instances', () => {
  /** A relay that keeps what the room gives it, by way. */
  function relay() {
    const checked: Uint8Array[] = []
    const changed: { update: Uint8Array; origin: unknown }[] = []
    return {
      checked,
      changed,
      relay: {
        checked: (update: Uint8Array) => checked.push(update),
        changed: (update: Uint8Array, origin: unknown) => changed.push({ update, origin }),
      },
    }
  }

  it('relays a lone small edit once, as it came, before it applies it', async () => {
    const { room: r, write } = room(`${ATLAS}/plan`)
    const kept = relay()
    r.relay = kept.relay
    const seen: number[] = []
    r.doc.on('update', () => seen.push(kept.checked.length))
    write((d) => setMeetingStep(d, 'welcome'))
    await endOfTurn()
    // Relayed before the document changed, and not again from its update event.
    expect(seen).toEqual([1])
    expect(kept.changed).toEqual([])
    const other = new Y.Doc()
    Y.applyUpdate(other, kept.checked[0] as Uint8Array)
    expect(other.getMap('meeting').get('step')).toBe('welcome')
  })

  it('relays what takes the full check from its update event, with its origin', async () => {
    const { room: r, write, writer } = room(`${ATLAS}/plan`)
    const kept = relay()
    r.relay = kept.relay
    write((d) => addAgreement(d, 'question:a', { id: 'a1' }))
    await endOfTurn()
    expect(kept.checked).toEqual([])
    expect(kept.changed).toHaveLength(1)
    expect(kept.changed[0]?.origin).toBe(writer)
  })

  it('sends an edit relayed by another instance on before it applies it, once', async () => {
    const { room: r, received } = room(`${ATLAS}/plan`)
    const elsewhere = new Y.Doc()
    let update: Uint8Array | undefined
    elsewhere.once('update', (u: Uint8Array) => {
      update = u
    })
    setMeetingStep(elsewhere, 'questions')
    const seen: number[] = []
    r.doc.on('beforeTransaction', () => seen.push(received.length))
    const origin = Symbol('another instance')
    r.applyRelayed(update as Uint8Array, origin)
    // The watcher had it when the room began to apply it.
    expect(seen).toEqual([1])
    expect(received).toEqual([encodeUpdate(update as Uint8Array)])
    await endOfTurn()
    expect(received).toHaveLength(1)
    expect(r.doc.getMap('meeting').get('step')).toBe('questions')
  })

  it('sends what waited for a relayed edit along with it', async () => {
    const { room: r, received } = room(`${ATLAS}/plan`)
    const elsewhere = new Y.Doc()
    const updates: Uint8Array[] = []
    elsewhere.on('update', (u: Uint8Array) => updates.push(u))
    setMeetingStep(elsewhere, 'welcome')
    setMeetingStep(elsewhere, 'questions')
    const [first, second] = updates as [Uint8Array, Uint8Array]
    const origin = Symbol('another instance')
    // The second arrives first (after a gap) and waits for the first, unseen by the members.
    Y.applyUpdate(r.doc, second, origin)
    expect(received).toEqual([])
    r.applyRelayed(first, origin)
    await endOfTurn()
    const member = new Y.Doc()
    for (const message of received) {
      const decoder = decoding.createDecoder(message)
      expect([decoding.readVarUint(decoder), decoding.readVarUint(decoder)]).toEqual([0, 2])
      Y.applyUpdate(member, decoding.readVarUint8Array(decoder))
    }
    expect(member.getMap('meeting').get('step')).toBe('questions')
  })

  it('lets a relayed edit in a busy turn wait for the merged flush', async () => {
    const { room: r, write, received } = room(`${ATLAS}/plan`)
    write((d) => setMeetingStep(d, 'welcome'))
    write((d) => setMeetingStep(d, 'questions'))
    await endOfTurn()
    received.length = 0
    const elsewhere = new Y.Doc()
    Y.applyUpdate(elsewhere, Y.encodeStateAsUpdate(r.doc))
    let update: Uint8Array | undefined
    elsewhere.once('update', (u: Uint8Array) => {
      update = u
    })
    setMeetingStep(elsewhere, 'information')
    r.applyRelayed(update as Uint8Array, Symbol('another instance'))
    expect(received).toHaveLength(0)
    await endOfTurn()
    expect(received).toHaveLength(1)
    expect(r.doc.getMap('meeting').get('step')).toBe('information')
  })
})
