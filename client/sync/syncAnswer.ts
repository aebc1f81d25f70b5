import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { messageYjsSyncStep2, readSyncStep2 } from 'y-protocols/sync'
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
 * Applies the server's first sync answer on a device that holds nothing yet without encoding it
 * again.
 *
 * That answer holds the whole atlas (2.7 MB at 5,000 shapes). Yjs encodes every applied
 * transaction again for the doc's `update` listeners. Here those are the provider, which sends
 * nothing back for its own answers, and the local copy, which stores the update. So both are
 * detached while the answer's transaction ends, and the local copy is given the answer's bytes
 * as received: the same update, without ~150 ms of encoding before the atlas can be shown.
 *
 * Everything else takes y-websocket's own way: answers over the BroadcastChannel from other
 * tabs, answers on a reconnect (the doc holds the atlas already), and updates. A change made
 * while the answer is applied (an observer that writes) is a transaction of its own, which finds
 * both listeners attached again. An answer that fails to apply is not stored as received: the
 * local copy gets what the doc holds.
 */
export function applyFirstAnswerAsReceived(provider: WebsocketProvider, local: LocalCopy): void {
  const { doc } = provider
  const handle = provider.messageHandlers[MESSAGE_SYNC]
  if (!handle) throw new Error('y-websocket has no sync message handler')
  const listeners = [provider._updateHandler, local._storeUpdate]
  provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, from, emitSynced, type) => {
    const ahead = decoding.clone(decoder)
    const first =
      emitSynced &&
      !local._destroyed &&
      doc.store.clients.size === 0 &&
      doc.store.pendingStructs === null &&
      decoding.readVarUint(ahead) === messageYjsSyncStep2
    if (!first) {
      handle(encoder, decoder, from, emitSynced, type)
      return
    }
    // What y-websocket's handler does for a sync step 2, with the error seen.
    encoding.writeVarUint(encoder, MESSAGE_SYNC)
    decoding.readVarUint(decoder)
    const answer = decoding.readVarUint8Array(ahead)
    let failed = false
    let detached = true
    let answering: Y.Transaction | undefined
    const attach = () => {
      if (!detached) return
      detached = false
      for (const listener of listeners) doc.on('update', listener)
    }
    const onTransaction = (transaction: Y.Transaction) => {
      answering ??= transaction
      if (transaction !== answering) attach()
    }
    for (const listener of listeners) doc.off('update', listener)
    doc.on('beforeObserverCalls', onTransaction)
    try {
      readSyncStep2(decoder, doc, provider, () => {
        failed = true
      })
    } finally {
      doc.off('beforeObserverCalls', onTransaction)
      attach()
    }
    if (doc.store.clients.size > 0) {
      local._storeUpdate(failed ? Y.encodeStateAsUpdate(doc) : answer.slice(), provider)
    }
    if (!provider.synced) provider.synced = true
  }
}
