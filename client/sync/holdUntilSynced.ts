import * as bc from 'lib0/broadcastchannel'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import { messageSync, type WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

/**
 * Makes a provider keep this device's own changes off the socket until the connection is in
 * step with the server: the server's copy has arrived (sync step 2) and this device has answered
 * the server's question for what it lacks (its sync step 1). y-websocket sends every change as
 * soon as the socket opens; after offline edits such a change builds on edits the server has not
 * got yet, and the server refuses it as incomplete and closes the socket. Held changes go out
 * merged once both have happened (other tabs get them at once); a connection that ends before
 * drops them, since the next one's answer carries all this device holds.
 */
export function holdUntilSynced(provider: WebsocketProvider): void {
  const sendNow = provider._updateHandler
  let answered = false
  let held: Uint8Array[] = []

  const inStep = () => provider.wsconnected && provider.synced && answered

  const message = (update: Uint8Array) => {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, messageSync)
    syncProtocol.writeUpdate(encoder, update)
    return encoding.toUint8Array(encoder)
  }

  const flush = () => {
    if (!inStep() || held.length === 0) return
    const update = held.length === 1 ? (held[0] as Uint8Array) : Y.mergeUpdates(held)
    held = []
    const ws = provider.ws
    if (ws && ws.readyState === ws.OPEN) ws.send(message(update))
  }

  const onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === provider) return
    // Offline the provider only tells other tabs; the next connection's answer carries the rest.
    if (!provider.wsconnected || inStep()) {
      sendNow(update, origin)
      return
    }
    held.push(update)
    if (provider.bcconnected) bc.publish(provider.bcChannel, message(update), provider)
  }
  provider.doc.off('update', sendNow)
  // The provider removes its `_updateHandler` when it is destroyed.
  provider._updateHandler = onUpdate
  provider.doc.on('update', onUpdate)

  const handleSync = provider.messageHandlers[messageSync]
  if (!handleSync) throw new Error('y-websocket has no sync message handler')
  provider.messageHandlers[messageSync] = (encoder, decoder, p, emitSynced, type) => {
    const kind = decoding.readVarUint(decoding.clone(decoder))
    handleSync(encoder, decoder, p, emitSynced, type)
    if (!emitSynced) return
    if (kind === syncProtocol.messageYjsSyncStep1) {
      answered = true
      // The answer holds all this device has that the server lacks, what was held included:
      // sending that again would only count twice against the connection's budget.
      held = []
    }
    // The provider sends the answer to the server's step 1 when this handler returns: held
    // changes may build on what that answer carries, so they go after it.
    if (kind !== syncProtocol.messageYjsUpdate) queueMicrotask(flush)
  }

  provider.on('status', ({ status }) => {
    if (status === 'connected') return
    answered = false
    held = []
  })
}
