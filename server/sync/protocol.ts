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
import type * as Y from 'yjs'
import { SaveState } from '../../shared/sync/layout'
import { MalformedMessageError } from './errors'
import { DEFAULT_SYNC_LIMITS } from './limits'
import { type PresenceEntry, readPresence } from './presence'
import { type ReadUpdate, readUpdate, type UpdateRefusal } from './updateCheck'

export { MalformedMessageError } from './errors'

/** Top-level message types of the y-websocket protocol. */
export const MessageType = { Sync: 0, Awareness: 1, Auth: 2, QueryAwareness: 3 } as const

/** A message from a client, decoded and checked. */
export type ClientMessage =
  | { kind: 'sync-step1'; stateVector: Uint8Array }
  | UpdateMessage
  | { kind: 'awareness'; entries: PresenceEntry[]; oversized: number }
  | { kind: 'query-awareness' }

/** A document update (a sync step 2 is one too), read within the limits or refused by them. */
export interface UpdateMessage {
  kind: 'sync-step2' | 'update'
  update: Uint8Array
  read: ReadUpdate | { refused: UpdateRefusal }
}

/** How much one message may carry (see `SyncLimits`). */
export interface MessageLimits {
  maxUpdateStructs: number
  maxUpdateDeleteRanges: number
  maxPresenceBytes: number
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

/** Reads a state vector's entries without building it: a longer one than any update is refused. */
function checkStateVector(stateVector: Uint8Array, maxEntries: number): void {
  checked('state vector', () => {
    const decoder = decoding.createDecoder(stateVector)
    const count = decoding.readVarUint(decoder)
    if (count > maxEntries) throw new Error('too long')
    for (let i = 0; i < count; i++) {
      decoding.readVarUint(decoder)
      decoding.readVarUint(decoder)
    }
    if (decoding.hasContent(decoder)) throw new Error('trailing bytes')
  })
}

/**
 * Decodes and validates one client message within `limits`; throws `MalformedMessageError` if it
 * is not one. An update is read without building Yjs objects (`readUpdate`).
 */
export function decodeClientMessage(
  data: Uint8Array,
  limits: MessageLimits = DEFAULT_SYNC_LIMITS,
): ClientMessage {
  const updateLimits = {
    maxStructs: limits.maxUpdateStructs,
    maxDeleteRanges: limits.maxUpdateDeleteRanges,
  }
  const decoder = decoding.createDecoder(data)
  const type = checked('message type', () => decoding.readVarUint(decoder))
  switch (type) {
    case MessageType.Sync: {
      const step = checked('sync message type', () => decoding.readVarUint(decoder))
      switch (step) {
        case syncProtocol.messageYjsSyncStep1: {
          const stateVector = readPayload(decoder, 'sync step 1')
          checkStateVector(stateVector, limits.maxUpdateStructs)
          return { kind: 'sync-step1', stateVector }
        }
        case syncProtocol.messageYjsSyncStep2: {
          const update = readPayload(decoder, 'sync step 2')
          return { kind: 'sync-step2', update, read: readUpdate(update, updateLimits) }
        }
        case syncProtocol.messageYjsUpdate: {
          const update = readPayload(decoder, 'update')
          return { kind: 'update', update, read: readUpdate(update, updateLimits) }
        }
        default:
          throw new MalformedMessageError('unknown sync message type')
      }
    }
    case MessageType.Awareness: {
      const update = readPayload(decoder, 'awareness message')
      return { kind: 'awareness', ...readPresence(update, limits.maxPresenceBytes) }
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

/** True for a sync step 1 from a client that holds nothing yet (an empty state vector). */
export function asksForWholeState(message: ClientMessage): boolean {
  return message.kind === 'sync-step1' && isEmptyStateVector(message.stateVector)
}

/** True for the state vector of a document that holds nothing. */
export function isEmptyStateVector(stateVector: Uint8Array): boolean {
  return stateVector.length === 1 && stateVector[0] === 0
}

/** `[sync, step 2, update]`: the answer to a sync step 1, from an update that holds it. */
export function encodeSyncStep2Update(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Sync)
  encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** `[save state, saved | behind]`: whether the server's copy is on its disk (see `SaveState`). */
export function encodeSaveState(behind: boolean): Uint8Array {
  return new Uint8Array([SaveState.messageType, behind ? SaveState.behind : SaveState.saved])
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
