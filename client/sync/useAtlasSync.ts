import { useEffect, useRef, useState } from 'react'
import { atom, createTLStore, type TLStore } from 'tldraw'
import type { WebsocketProvider } from 'y-websocket'
import type * as Y from 'yjs'
import { canWrite } from '../../shared/api/atlases'
import { atlasSchema } from '../../shared/schema'
import { RecordsMap } from '../../shared/sync/records'
import { markTooOld } from '../lib/build'
import type { LocalUser } from '../lib/user'
import { bindStoreToDoc, loadDocIntoStore, NewerSchemaError } from './bridge'
import { bindPresence, userRecordFor } from './presence'
import { fetchServerVersion, isServerOlder } from './serverVersion'
import { applyFirstAnswerAsReceived } from './syncAnswer'
import {
  connectDoc,
  type DocAccess,
  type Refusal,
  type SyncConnection,
  type SyncNotice,
} from './useSyncedDoc'

/** How long a device with no copy of the atlas waits for the server before starting empty. */
const FIRST_SYNC_WAIT_MS = 4000

/** Performance mark set when the atlas's records are in the store (read by the benchmarks). */
export const STORE_LOADED_MARK = 'netwerkatlas:store-loaded'

/** Longest remote changes wait for an animation frame (frames stop in a hidden tab). */
const REMOTE_FLUSH_MAX_MS = 100

/** Runs `flush` at the next animation frame, or after REMOTE_FLUSH_MAX_MS if no frame comes. */
function nextFrame(flush: () => void): void {
  let done = false
  const run = () => {
    if (done) return
    done = true
    cancelAnimationFrame(frame)
    clearTimeout(timer)
    flush()
  }
  const frame = requestAnimationFrame(run)
  const timer = setTimeout(run, REMOTE_FLUSH_MAX_MS)
}

function waitForSync(provider: WebsocketProvider, ms: number): Promise<void> {
  if (provider.synced) return Promise.resolve()
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      provider.off('sync', onSync)
      resolve()
    }
    const onSync = (synced: boolean) => synced && done()
    const timer = setTimeout(done, ms)
    provider.on('sync', onSync)
  })
}

/** The live state of one atlas on this device. */
export interface AtlasSync {
  store: TLStore | null
  connection: SyncConnection
  /** The atlas's Y.Doc once it is loaded (for reading the whole atlas, e.g. to export it). */
  doc: Y.Doc | null
  /** Why the server stopped or slowed this device down, if it did. */
  notice: SyncNotice | null
  /** How many stored records could not be shown (no record, or not one this app can read). */
  skipped: number
  /**
   * The server is an older version than this page (its record schema or protocol): the atlas is
   * shown, but this page writes nothing to it until the server has the new version.
   */
  serverOlder: boolean
}

/**
 * Opens an atlas local-first: the device's own copy (IndexedDB) first, then the server. The
 * tldraw store is bound to the Y.Doc; presence travels through awareness. A link that may not
 * write keeps its own local copy and no BroadcastChannel, so nothing of it reaches an edit tab.
 * When the server refuses the link (revoked: 4401; a professional during privétijd: 4403) the
 * provider stops and `onRefused` says why, as `useSyncedDoc` does.
 */
export function useAtlasSync(
  access: DocAccess,
  user: LocalUser,
  onRefused: (why: Refusal) => void,
): AtlasSync {
  const [store, setStore] = useState<TLStore | null>(null)
  const [loadedDoc, setLoadedDoc] = useState<Y.Doc | null>(null)
  const [connection, setConnection] = useState<SyncConnection>('offline')
  const [notice, setNotice] = useState<SyncNotice | null>(null)
  const [skipped, setSkipped] = useState(0)
  const [serverOlder, setServerOlder] = useState(false)
  const [$user] = useState(() => atom('atlas user', userRecordFor(user)))
  const refused = useRef(onRefused)
  refused.current = onRefused

  useEffect(() => {
    $user.set(userRecordFor(user))
  }, [user, $user])

  useEffect(() => {
    const mayWrite = canWrite(access.role)
    // Asked while the device's copy loads: a page newer than its server must not write to it.
    const olderServer = mayWrite
      ? fetchServerVersion().then((version) => version !== null && isServerOlder(version))
      : Promise.resolve(false)
    const { doc, local, provider, close } = connectDoc(access, 'atlas', {
      refused: (why) => refused.current(why),
      connection: (state) => setConnection(state),
      notice: setNotice,
    })
    applyFirstAnswerAsReceived(provider, local)

    let disposed = false
    const cleanups: Array<() => void> = []
    const tlStore = createTLStore({ schema: atlasSchema })
    void (async () => {
      await local.whenSynced
      if (!disposed && new RecordsMap(doc).size === 0)
        await waitForSync(provider, FIRST_SYNC_WAIT_MS)
      const serverIsOlder = await olderServer
      if (disposed) return
      const readOnly = !mayWrite || serverIsOlder
      setServerOlder(serverIsOlder)
      let loaded: ReturnType<typeof loadDocIntoStore>
      try {
        loaded = loadDocIntoStore(tlStore, doc, { readOnly })
      } catch (error) {
        // A newer app wrote this atlas: this page says it must load the new version, and its
        // canvas neither reads nor writes the atlas (the copies only keep each other in step).
        if (error instanceof NewerSchemaError) {
          markTooOld()
          return
        }
        throw error
      }
      if (loaded.skipped.length > 0) {
        // Ids only (random, no content): enough to find the records in a copy of the atlas.
        console.warn('netwerkatlas: records skipped', loaded.skipped)
        setSkipped(loaded.skipped.length)
      }
      // For the browser benchmark (W6): when the records are in the store, before tldraw draws.
      performance.mark(STORE_LOADED_MARK)
      cleanups.push(
        bindStoreToDoc(tlStore, doc, {
          readOnly,
          scheduleRemote: nextFrame,
          skippedOnLoad: loaded.skipped,
          skipped: (ids) => {
            if (ids.size > 0) console.warn('netwerkatlas: records skipped', [...ids])
            setSkipped(ids.size)
          },
        }),
      )
      cleanups.push(bindPresence(tlStore, provider.awareness, $user))
      setStore(tlStore)
      setLoadedDoc(doc)
    })()

    return () => {
      disposed = true
      for (const cleanup of cleanups) cleanup()
      close()
      setStore(null)
      setLoadedDoc(null)
      setNotice(null)
      setSkipped(0)
      setServerOlder(false)
    }
  }, [access.id, access.token, access.role, $user, access])

  return { store, connection, doc: loadedDoc, notice, skipped, serverOlder }
}
