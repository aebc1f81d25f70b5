/**
 * The y-websocket wire protocol over bytes, without sockets: decoding what a client sends and
 * encoding what the server answers. Every message is `[type: varUint, …]`:
 * 0 sync (`[0, 0 step1 | 1 step2 | 2 update, varUint8Array]`), 1 awareness
 * (`[1, varUint8Array]`), 3 query awareness (`[3]`). Type 2 (auth) is only sent by servers.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { Awareness } from 'y-protocols/awareness'
import { encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'

/** Top-level message types of the y-websocket protocol. */
export const MessageType = { Sync: 0, Awareness: 1, Auth: 2, QueryAwareness: 3 } as const

/** A message from a client, decoded and checked. */
export type ClientMessage =
  | { kind: 'sync-step1'; stateVector: Uint8Array }
  | { kind: 'sync-step2'; update: Uint8Array }
  | { kind: 'update'; update: Uint8Array }
  | { kind: 'awareness'; update: Uint8Array }
  | { kind: 'query-awareness' }

/** A message that does not follow the protocol. Its text names the problem, never the data. */
export class MalformedMessageError extends Error {
  override name = 'MalformedMessageError'
}

function checked<T>(what: string, read: () => T): T {
  try {
    return read()
  } catch {
    throw new MalformedMessageError(`${what} could not be decoded`)
  }
}

function readPayload(decoder: decoding.Decoder, what: string): Uint8Array {
  const payload = checked(what, () => decoding.readVarUint8Array(decoder))
  if (decoding.hasContent(decoder)) throw new MalformedMessageError(`${what} has trailing bytes`)
  return payload
}

function checkUpdate(update: Uint8Array, what: string): void {
  checked(what, () => Y.decodeUpdate(update))
}

function checkAwareness(update: Uint8Array): void {
  checked('awareness update', () => {
    const decoder = decoding.createDecoder(update)
    const count = decoding.readVarUint(decoder)
    for (let i = 0; i < count; i++) {
      decoding.readVarUint(decoder) // client id
      decoding.readVarUint(decoder) // clock
      JSON.parse(decoding.readVarString(decoder))
    }
    if (decoding.hasContent(decoder)) throw new Error('trailing bytes')
  })
}

/** Decodes and validates one client message; throws `MalformedMessageError` if it is not one. */
export function decodeClientMessage(data: Uint8Array): ClientMessage {
  const decoder = decoding.createDecoder(data)
  const type = checked('message type', () => decoding.readVarUint(decoder))
  switch (type) {
    case MessageType.Sync: {
      const step = checked('sync message type', () => decoding.readVarUint(decoder))
      switch (step) {
        case syncProtocol.messageYjsSyncStep1: {
          const stateVector = readPayload(decoder, 'sync step 1')
          checked('state vector', () => Y.decodeStateVector(stateVector))
          return { kind: 'sync-step1', stateVector }
        }
        case syncProtocol.messageYjsSyncStep2: {
          const update = readPayload(decoder, 'sync step 2')
          checkUpdate(update, 'sync step 2')
          return { kind: 'sync-step2', update }
        }
        case syncProtocol.messageYjsUpdate: {
          const update = readPayload(decoder, 'update')
          checkUpdate(update, 'update')
          return { kind: 'update', update }
        }
        default:
          throw new MalformedMessageError('unknown sync message type')
      }
    }
    case MessageType.Awareness: {
      const update = readPayload(decoder, 'awareness message')
      checkAwareness(update)
      return { kind: 'awareness', update }
    }
    case MessageType.QueryAwareness:
      if (decoding.hasContent(decoder)) {
        throw new MalformedMessageError('query awareness has trailing bytes')
      }
      return { kind: 'query-awareness' }
    default:
      throw new MalformedMessageError('unknown message type')
  }
}

/** True when a Yjs update would change a document: it carries structs or deletions. */
export function updateCarriesContent(update: Uint8Array): boolean {
  const { structs, ds } = Y.decodeUpdate(update)
  return structs.length > 0 || ds.clients.size > 0
}

/** True for a sync step 1 from a client that holds nothing yet (an empty state vector). */
export function asksForWholeState(message: ClientMessage): boolean {
  return message.kind === 'sync-step1' && Y.decodeStateVector(message.stateVector).size === 0
}

/** `[sync, step 2, update]`: the answer to a sync step 1, from an update that holds it. */
export function encodeSyncStep2Update(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Sync)
  encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** `[sync, step 1, state vector of doc]`: asks the client for what the server lacks. */
export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Sync)
  syncProtocol.writeSyncStep1(encoder, doc)
  return encoding.toUint8Array(encoder)
}

/** `[sync, step 2, what doc has beyond stateVector]`. */
export function encodeSyncStep2(doc: Y.Doc, stateVector?: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Sync)
  syncProtocol.writeSyncStep2(encoder, doc, stateVector)
  return encoding.toUint8Array(encoder)
}

/** `[sync, update, update]`: an incremental change. */
export function encodeUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Sync)
  syncProtocol.writeUpdate(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** `[awareness, update]` for the given clients' states (all known states by default). */
export function encodeAwareness(awareness: Awareness, clients?: number[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Awareness)
  encoding.writeVarUint8Array(
    encoder,
    encodeAwarenessUpdate(awareness, clients ?? [...awareness.getStates().keys()]),
  )
  return encoding.toUint8Array(encoder)
}
