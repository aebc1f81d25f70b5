import * as decoding from 'lib0/decoding'
import { messageYjsSyncStep2 } from 'y-protocols/sync'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

/** y-websocket's message type for sync messages. */
const MESSAGE_SYNC = 0

/** The device's own copy of the atlas: it stores every update it is given (y-indexeddb). */
export interface LocalCopy {
  _storeUpdate: (update: Uint8Array, origin: unknown) => void
  _destroyed: boolean
}

/**
 * Applies the server's sync answers (Yjs sync step 2) without encoding them again.
 *
 * The first answer a device gets holds the whole atlas (2.7 MB at 5,000 shapes). Yjs encodes
 * every applied transaction again for the doc's `update` listeners. Here those are the provider,
 * which sends nothing back for its own answers, and the local copy, which stores the update. So
 * both are detached while an answer is applied, and the local copy is given the answer's bytes
 * as received: the same update, without ~150 ms of encoding before the atlas can be shown.
 *
 * If anything else changes the doc while the answer is applied (an observer that writes), that
 * change has no encoded update of its own: then the whole state goes to both, as Yjs merges it.
 */
export function applySyncAnswersAsReceived(provider: WebsocketProvider, local: LocalCopy): void {
  const { doc } = provider
  const handle = provider.messageHandlers[MESSAGE_SYNC]
  if (!handle) throw new Error('y-websocket has no sync message handler')
  const listeners = [provider._updateHandler, local._storeUpdate]
  provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, from, emitSynced, type) => {
    const ahead = decoding.clone(decoder)
    if (decoding.readVarUint(ahead) !== messageYjsSyncStep2 || local._destroyed) {
      handle(encoder, decoder, from, emitSynced, type)
      return
    }
    const answer = decoding.readVarUint8Array(ahead)
    let otherChange = false
    const watch = (transaction: Y.Transaction) => {
      if (transaction.origin !== provider) otherChange = true
    }
    for (const listener of listeners) doc.off('update', listener)
    doc.on('afterTransaction', watch)
    try {
      handle(encoder, decoder, from, emitSynced, type)
    } finally {
      doc.off('afterTransaction', watch)
      for (const listener of listeners) doc.on('update', listener)
    }
    if (otherChange) {
      const whole = Y.encodeStateAsUpdate(doc)
      provider._updateHandler(whole, null)
      local._storeUpdate(whole, null)
    } else {
      local._storeUpdate(answer, provider)
    }
  }
}
