import type { Signal } from 'tldraw'
import {
  createPresenceStateDerivation,
  createUserId,
  InstancePresenceRecordType,
  react,
  type TLInstancePresence,
  type TLStore,
  type TLUser,
  UserRecordType,
} from 'tldraw'
import type { Awareness } from 'y-protocols/awareness'
import type { LocalUser } from '../lib/user'

/** The awareness field that carries a participant's tldraw presence record. */
export const PRESENCE_FIELD = 'presence'

/** The tldraw user record for the participant on this device. */
export function userRecordFor(user: LocalUser): TLUser {
  return UserRecordType.create({ id: createUserId(user.id), name: user.name, color: user.color })
}

/** The presence record id a peer with this awareness client id gets in every store. */
export function presenceIdFor(clientId: number): TLInstancePresence['id'] {
  return InstancePresenceRecordType.createId(String(clientId))
}

/**
 * Shares this participant's presence (cursor, selection, camera, name, colour) through awareness
 * and mirrors every other participant's presence into the store as `instance_presence` records,
 * as remote changes; a peer's record goes when the peer leaves. Returns the function that stops
 * it, clears the local state and removes the mirrored records. The local state is shared one
 * microtask after it changes, so a burst of changes goes out once.
 */
export function bindPresence(
  store: TLStore,
  awareness: Awareness,
  $user: Signal<TLUser | null>,
): () => void {
  const $presence = createPresenceStateDerivation($user, {
    instanceId: presenceIdFor(awareness.clientID),
  })(store)
  // Awareness is written after the reactive flush, never inside it: a synchronous listener (the
  // provider, another bridge) may start a store transaction, which tldraw forbids mid-flush.
  let scheduled = false
  let stopped = false
  const stopLocal = react('share presence', () => {
    $presence.get()
    if (scheduled) return
    scheduled = true
    queueMicrotask(() => {
      scheduled = false
      if (!stopped) awareness.setLocalStateField(PRESENCE_FIELD, $presence.get())
    })
  })

  const presenceType = store.schema.types.instance_presence
  const mirrored = new Set<TLInstancePresence['id']>()
  const onChange = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    _origin: unknown,
  ) => {
    const states = awareness.getStates()
    const put: TLInstancePresence[] = []
    const gone: TLInstancePresence['id'][] = []
    for (const clientId of [...added, ...updated]) {
      if (clientId === awareness.clientID) continue
      const id = presenceIdFor(clientId)
      const state = states.get(clientId)?.[PRESENCE_FIELD] as TLInstancePresence | null | undefined
      if (!state) {
        gone.push(id)
        continue
      }
      try {
        // A peer on another app version may send presence this schema rejects: skip that peer.
        put.push(
          presenceType.validate({
            ...state,
            id,
            typeName: 'instance_presence',
          }) as TLInstancePresence,
        )
      } catch {
        gone.push(id)
      }
    }
    for (const clientId of removed) {
      if (clientId !== awareness.clientID) gone.push(presenceIdFor(clientId))
    }
    const toRemove = gone.filter((id) => store.has(id))
    if (!put.length && !toRemove.length) return
    store.mergeRemoteChanges(() => {
      if (put.length) store.put(put)
      if (toRemove.length) store.remove(toRemove)
    })
    for (const r of put) mirrored.add(r.id)
    for (const id of gone) mirrored.delete(id)
  }
  awareness.on('change', onChange)
  // Peers already known before binding.
  onChange({ added: [...awareness.getStates().keys()], updated: [], removed: [] }, null)

  return () => {
    stopped = true
    stopLocal()
    awareness.off('change', onChange)
    awareness.setLocalStateField(PRESENCE_FIELD, null)
    const stale = [...mirrored].filter((id) => store.has(id))
    if (stale.length) store.mergeRemoteChanges(() => store.remove(stale))
    mirrored.clear()
  }
}
