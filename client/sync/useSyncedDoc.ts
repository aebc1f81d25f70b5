import * as decoding from 'lib0/decoding'
import { useEffect, useRef, useState } from 'react'
import { IndexeddbPersistence } from 'y-indexeddb'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { canWrite, type Role } from '../../shared/api/atlases'
import { watchPlanIssues } from '../../shared/plan/check'
import {
  CloseCode,
  INCOMPLETE_UPDATE_REASON,
  SaveState,
  SYNC_PROTOCOL,
} from '../../shared/sync/layout'
import { BUILD_ID, markTooOld } from '../lib/build'
import { rememberSynced } from '../lib/recentAtlases'
import { holdUntilSynced } from './holdUntilSynced'
import { localCopyName } from './localCopy'

/** How this device reaches a document: the atlas, the role its link grants, and the secret. */
export interface DocAccess {
  id: string
  role: Role
  token: string
}

/**
 * The connection to the server, as a badge shows it; `unsaved`: connected, but the server cannot
 * save its copy (a full disk), so this device's copy is the one that counts for now.
 */
export type SyncConnection = 'online' | 'syncing' | 'offline' | 'unsaved'

/** Why the server will not give this link the document (now); `erased`: the atlas was deleted. */
export type Refusal = 'unauthorized' | 'private-time' | 'erased'

/**
 * What the page says beside the connection state when the server closed the connection for what
 * this device sent: a change it does not take (4422, 4402: sending it again would be refused
 * again, so the device stops and keeps its copy), a full atlas (4413: the same), or a server that
 * asked it to slow down (4429, 1013, 4409, 4408: it waits longer before each next try).
 */
export type SyncNotice = 'update-refused' | 'document-full' | 'busy'

/** The notice for a close, or null when y-websocket's own reconnect fits. */
/** A 4422 for an update that came before what it builds on: a race, not a refusal. */
function isIncompleteUpdate(event: CloseEvent): boolean {
  return event.code === CloseCode.UpdateRefused && event.reason === INCOMPLETE_UPDATE_REASON
}

function noticeFor(event: CloseEvent | null): SyncNotice | null {
  switch (event?.code) {
    case CloseCode.UpdateRefused:
      // A race with another tab (its own changes wait for the sync): the next connection sends it all.
      return isIncompleteUpdate(event) ? null : 'update-refused'
    case CloseCode.MalformedMessage:
      return 'update-refused'
    case CloseCode.DocumentTooLarge:
      return 'document-full'
    case CloseCode.TooManyRequests:
    case CloseCode.TryAgainLater:
    case CloseCode.SendBufferFull:
    case CloseCode.JoinTimeout:
      return 'busy'
    default:
      return null
  }
}

/** First wait after a "busy" close, doubled at each next one up to BUSY_MAX_MS. */
const BUSY_FIRST_MS = 5000
const BUSY_MAX_MS = 60_000
/** A connection open this long took what the device sent: a refusal before it is over. */
const SETTLED_MS = 10_000
/** A connection that lasted this long starts the waits from the first again. */
const BUSY_RESET_MS = 60_000

/** The live state of one synced document on this device. */
export interface SyncedDoc {
  /** The document once the device's own copy is read (null before). */
  doc: Y.Doc | null
  connection: SyncConnection
  /** True once the server's state has arrived at least once. */
  synced: boolean
  /** Why the server stopped or slowed this device down, if it did. */
  notice: SyncNotice | null
  /** Entries of a plan left out because they do not fit it (stored before the server checked). */
  skipped: number
}

/** Where the sync server lives: the page's own origin. */
export function syncServerUrl(): string {
  const { protocol, host } = window.location
  return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}/sync`
}

/** One document of an atlas on this device: its own copy and its room on the server. */
export interface DocConnection {
  doc: Y.Doc
  local: IndexeddbPersistence
  provider: WebsocketProvider
  /** Stops listening, destroys provider, local copy and doc. */
  close(): void
}

/**
 * Connects a new Y.Doc to its room (`<id>` for the atlas, `<id>/plan` for the plan) and to the
 * device's own copy (IndexedDB). A link that may not write keeps its own copy and no
 * BroadcastChannel. When the server refuses (a revoked link: 4401; a professional during
 * privétijd: 4403) the provider stops and `onRefused` says why. The browser's offline and online
 * events move the socket at once (it knows before the socket does).
 */
export function connectDoc(
  access: DocAccess,
  room: 'atlas' | 'plan',
  on: {
    refused(why: Refusal): void
    connection(state: SyncConnection, synced: boolean): void
    /** The server's reason to stop or slow down, or null once it is over. */
    notice?(notice: SyncNotice | null): void
  },
): DocConnection {
  const readOnly = !canWrite(access.role)
  const name = room === 'plan' ? `${access.id}/plan` : access.id
  const doc = new Y.Doc()
  const local = new IndexeddbPersistence(localCopyName(access.id, room, access.role), doc)
  const provider = new WebsocketProvider(syncServerUrl(), name, doc, {
    // The protocol this page speaks, and its build (the server logs which builds are out there).
    params: { token: access.token, v: String(SYNC_PROTOCOL), app: BUILD_ID },
    disableBc: readOnly,
    // y-websocket stops at every 44xx close. This device's own changes wait for the sync
    // (`holdUntilSynced`), so an update that builds on what the server lacks comes only from
    // another tab's race; the next connection settles it by sending all this device holds. The
    // other refusals are handled below ('connection-close').
    shouldReconnect: (event) =>
      isIncompleteUpdate(event) || !(event.code >= 4400 && event.code < 4500),
  })
  if (!readOnly) holdUntilSynced(provider)
  // What the server last said of its copy (`SaveState`); a new connection starts as saved, and
  // the server says "behind" on joining while it still is.
  let serverBehind = false
  const update = () =>
    on.connection(
      provider.wsconnected
        ? serverBehind
          ? 'unsaved'
          : provider.synced
            ? 'online'
            : 'syncing'
        : 'offline',
      provider.synced,
    )
  provider.messageHandlers[SaveState.messageType] = (_encoder, decoder) => {
    serverBehind = decoding.readVarUint(decoder) === SaveState.behind
    update()
  }
  let stopped = false
  let busyMs = BUSY_FIRST_MS
  let busyTimer: ReturnType<typeof setTimeout> | undefined
  let openedAt = 0
  let noticed: SyncNotice | null = null
  /** Closes for a change built on what the server lacks since the last sync (see below). */
  let incompleteInRow = 0
  const notice = (next: SyncNotice | null) => {
    if (next === noticed) return
    noticed = next
    on.notice?.(next)
  }
  // The home page says when the atlas was last in step with the server: when a sync completes,
  // and when a connection that was in step ends (everything up to then reached the server).
  let inStep = false
  const markSynced = () => {
    if (room === 'atlas' && !serverBehind) rememberSynced(access.id)
  }
  // The server answers a new connection before it reads what the device sends, so a sync says
  // nothing of a refused change: a connection that stays open a while does.
  let settleTimer: ReturnType<typeof setTimeout> | undefined
  provider.on('status', ({ status }) => {
    clearTimeout(settleTimer)
    if (status === 'connected') {
      openedAt = Date.now()
      settleTimer = setTimeout(() => {
        incompleteInRow = 0
        if (noticed === 'update-refused' && !stopped) notice(null)
      }, SETTLED_MS)
    } else serverBehind = false
    update()
  })
  provider.on('sync', (isSynced) => {
    if (isSynced && noticed === 'busy') notice(null)
    if (isSynced || inStep) markSynced()
    inStep = isSynced
    update()
  })
  /** Connects again after a wait that doubles each time, up to BUSY_MAX_MS. */
  const retryLater = () => {
    if (openedAt > 0 && Date.now() - openedAt > BUSY_RESET_MS) busyMs = BUSY_FIRST_MS
    clearTimeout(busyTimer)
    busyTimer = setTimeout(() => {
      busyTimer = undefined
      if (!stopped) provider.connect()
    }, busyMs)
    busyMs = Math.min(busyMs * 2, BUSY_MAX_MS)
  }
  provider.on('connection-close', (event) => {
    const why =
      event?.code === CloseCode.Unauthorized
        ? 'unauthorized'
        : event?.code === CloseCode.PrivateTime
          ? 'private-time'
          : event?.code === CloseCode.Erased
            ? 'erased'
            : null
    if (why) {
      stopped = true
      provider.shouldConnect = false
      on.refused(why)
      return
    }
    if (event?.code === CloseCode.ClientTooOld) {
      // The device keeps its copy; the new version sends it.
      stopped = true
      provider.shouldConnect = false
      markTooOld()
      return
    }
    if (event && isIncompleteUpdate(event) && !stopped) {
      // The first is a race that the next connection settles. Again and again means the base
      // is not on its way (a tab closed before sending it): y-websocket would knock every 100 ms.
      incompleteInRow += 1
      if (incompleteInRow < 2) return
      provider.shouldConnect = false
      notice('update-refused')
      retryLater()
      return
    }
    const next = noticeFor(event)
    if (!next || stopped) return
    // y-websocket would reconnect within a second and send the same again.
    provider.shouldConnect = false
    notice(next)
    if (next !== 'busy') {
      stopped = true
      return
    }
    retryLater()
  })
  const goOffline = () => provider.disconnect()
  const goOnline = () => {
    if (!stopped && busyTimer === undefined) provider.connect()
  }
  window.addEventListener('offline', goOffline)
  window.addEventListener('online', goOnline)
  return {
    doc,
    local,
    provider,
    close() {
      if (inStep) markSynced()
      stopped = true
      clearTimeout(busyTimer)
      clearTimeout(settleTimer)
      window.removeEventListener('offline', goOffline)
      window.removeEventListener('online', goOnline)
      provider.destroy()
      void local.destroy()
      doc.destroy()
    },
  }
}

/**
 * Opens one document of an atlas local-first, without a canvas (`connectDoc`): the device's own
 * copy first, then the server's room; `onRefused` says why the server refuses it.
 */
export function useSyncedDoc(
  access: DocAccess,
  room: 'atlas' | 'plan',
  onRefused: (why: Refusal) => void,
): SyncedDoc {
  const [doc, setDoc] = useState<Y.Doc | null>(null)
  const [connection, setConnection] = useState<SyncConnection>('offline')
  const [synced, setSynced] = useState(false)
  const [notice, setNotice] = useState<SyncNotice | null>(null)
  const [skipped, setSkipped] = useState(0)
  const refused = useRef(onRefused)
  refused.current = onRefused

  useEffect(() => {
    const opened = connectDoc(access, room, {
      refused: (why) => refused.current(why),
      connection: (state, isSynced) => {
        setConnection(state)
        if (isSynced) setSynced(true)
      },
      notice: setNotice,
    })
    let disposed = false
    // The readers leave such entries out; the page says how many, as the atlas does for records.
    const unwatch =
      room === 'plan'
        ? watchPlanIssues(opened.doc, (entries) => {
            if (entries.length > 0) console.warn('netwerkatlas: plan entries skipped', entries)
            setSkipped(entries.length)
          })
        : () => {}
    void opened.local.whenSynced.then(() => {
      if (!disposed) setDoc(opened.doc)
    })
    return () => {
      disposed = true
      unwatch()
      setSkipped(0)
      opened.close()
      setDoc(null)
      setSynced(false)
      setNotice(null)
    }
  }, [access.id, access.role, access.token, room, access])

  return { doc, connection, synced, notice, skipped }
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
