import { useEffect, useRef, useState } from 'react'
import { IndexeddbPersistence } from 'y-indexeddb'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { canWrite, type Role } from '../../shared/api/atlases'
import { CloseCode } from '../../shared/sync/layout'

/** How this device reaches a document: the atlas, the role its link grants, and the secret. */
export interface DocAccess {
  id: string
  role: Role
  token: string
}

/** The connection to the server, as a badge shows it. */
export type SyncConnection = 'online' | 'syncing' | 'offline'

/** Why the server will not give this link the document (now). */
export type Refusal = 'unauthorized' | 'private-time'

/** The live state of one synced document on this device. */
export interface SyncedDoc {
  /** The document once the device's own copy is read (null before). */
  doc: Y.Doc | null
  connection: SyncConnection
  /** True once the server's state has arrived at least once. */
  synced: boolean
}

/** Where the sync server lives: the page's own origin. */
export function syncServerUrl(): string {
  const { protocol, host } = window.location
  return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}/sync`
}

/**
 * Opens one document of an atlas local-first, without a canvas: the device's own copy
 * (IndexedDB) first, then the server's room (`<id>` for the atlas, `<id>/plan` for the plan).
 * A link that may not write keeps its own copy and no BroadcastChannel. When the server refuses
 * (a revoked link: 4401; a professional during privétijd: 4403) the provider stops and
 * `onRefused` says why.
 */
export function useSyncedDoc(
  access: DocAccess,
  room: 'atlas' | 'plan',
  onRefused: (why: Refusal) => void,
): SyncedDoc {
  const [doc, setDoc] = useState<Y.Doc | null>(null)
  const [connection, setConnection] = useState<SyncConnection>('offline')
  const [synced, setSynced] = useState(false)
  const refused = useRef(onRefused)
  refused.current = onRefused

  useEffect(() => {
    const readOnly = !canWrite(access.role)
    const name = room === 'plan' ? `${access.id}/plan` : access.id
    const ydoc = new Y.Doc()
    const local = new IndexeddbPersistence(`netwerkatlas:${name}:${access.role}`, ydoc)
    const provider = new WebsocketProvider(syncServerUrl(), name, ydoc, {
      params: { token: access.token },
      disableBc: readOnly,
    })
    const update = () => {
      setConnection(provider.wsconnected ? (provider.synced ? 'online' : 'syncing') : 'offline')
      if (provider.synced) setSynced(true)
    }
    provider.on('status', update)
    provider.on('sync', update)
    let stopped = false
    provider.on('connection-close', (event) => {
      const why =
        event?.code === CloseCode.Unauthorized
          ? 'unauthorized'
          : event?.code === CloseCode.PrivateTime
            ? 'private-time'
            : null
      if (!why) return
      stopped = true
      provider.shouldConnect = false
      refused.current(why)
    })
    const goOffline = () => provider.disconnect()
    const goOnline = () => {
      if (!stopped) provider.connect()
    }
    window.addEventListener('offline', goOffline)
    window.addEventListener('online', goOnline)
    let disposed = false
    void local.whenSynced.then(() => {
      if (!disposed) setDoc(ydoc)
    })
    return () => {
      disposed = true
      window.removeEventListener('offline', goOffline)
      window.removeEventListener('online', goOnline)
      provider.destroy()
      void local.destroy()
      ydoc.destroy()
      setDoc(null)
      setSynced(false)
    }
  }, [access.id, access.role, access.token, room])

  return { doc, connection, synced }
}

/** A value computed from a document, computed again after every change of it. */
export function useDocValue<T>(doc: Y.Doc | null, read: (doc: Y.Doc) => T, empty: T): T {
  const reader = useRef(read)
  reader.current = read
  const [value, setValue] = useState<T>(() => (doc ? read(doc) : empty))
  useEffect(() => {
    if (!doc) return
    const refresh = () => setValue(reader.current(doc))
    refresh()
    doc.on('afterTransaction', refresh)
    return () => doc.off('afterTransaction', refresh)
  }, [doc])
  return doc ? value : empty
}
