import { Awareness, applyAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { canWrite, type Role } from '../../shared/api/atlases'
import type { ServerPart } from '../../shared/plan/layout'
import { errorKind, type Logger } from '../log'
import { parseDocKey } from '../storage/types'
import { guardInstrumentPages } from './instrumentPages'
import {
  decodeClientMessage,
  encodeAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  updateCarriesContent,
} from './protocol'
import { guardServerPart } from './serverPart'

/** One client in a room, as the room sees it: a role and a way to send bytes. */
export interface Connection {
  readonly role: Role
  send(data: Uint8Array): void
}

/** Changes waiting to be sent: updates with the connection they came from, changed presences. */
interface Outbox {
  updates: { update: Uint8Array; from: Connection | undefined }[]
  awareness: Set<number>
}

interface Member {
  /** Awareness client ids this connection has announced; removed when it leaves. */
  awarenessIds: Set<number>
  refusedWrites: number
}

/**
 * One open document (an atlas, or its plan): its Y.Doc, the presence of the people in it, and
 * their connections. Speaks the y-websocket protocol over bytes; sockets stay outside. Every
 * connection receives everything and may share presence; only edit connections write, the
 * others' document writes are dropped. In an atlas the five instrument pages are kept
 * (`instrumentPages.ts`); in a plan, the part only the server writes (`serverPart.ts`).
 */
export class Room {
  readonly doc = new Y.Doc({ gc: true })
  readonly awareness = new Awareness(this.doc)
  readonly #members = new Map<Connection, Member>()
  /** What the room will send at the end of this event-loop turn (see `flush`). */
  #outbox: Outbox = { updates: [], awareness: new Set() }
  #flushScheduled = false
  /** True while an update is applied to a doc that holds structs still waiting for what they build on. */
  #completingPending = false
  /** In a plan room: what the server part must hold (set by the server when it writes it). */
  serverPart: ServerPart | undefined

  constructor(
    readonly id: string,
    initialState: Uint8Array | null,
    private readonly log: Logger,
    /** Called with every update of the document (to save it). */
    onChange: (update: Uint8Array) => void = () => {},
  ) {
    if (initialState) Y.applyUpdate(this.doc, initialState)
    if (parseDocKey(id)?.name === 'plan') this.#guardServerPart()
    else this.#guardPages()
    // The server has no presence of its own.
    this.awareness.setLocalState(null)
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      onChange(update)
      // An update that completes structs someone else sent earlier carries them too, and its
      // sender never had them: then it goes back to the sender as well.
      const sender =
        !this.#completingPending && this.#members.has(origin as Connection)
          ? (origin as Connection)
          : undefined
      this.#outbox.updates.push({ update, from: sender })
      this.#scheduleFlush()
    })
    this.awareness.on(
      'update',
      (
        { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
        origin: unknown,
      ) => {
        const member =
          origin instanceof Object ? this.#members.get(origin as Connection) : undefined
        if (member) {
          for (const id of [...added, ...updated]) member.awarenessIds.add(id)
          for (const id of removed) member.awarenessIds.delete(id)
        }
        for (const id of [...added, ...updated, ...removed]) this.#outbox.awareness.add(id)
        this.#scheduleFlush()
      },
    )
  }

  /** Keeps the five instrument pages of an atlas, and says so in the log. */
  #guardPages(): void {
    guardInstrumentPages(this.doc, {
      restored: ({ origin, pages, records }) => {
        const from = this.#members.has(origin as Connection) ? (origin as Connection) : undefined
        this.log.warn('instrument page restored', {
          atlas: this.id,
          role: from?.role,
          pages: pages.map((id) => id.replace(/^page:/, '')).join(','),
          records,
        })
      },
      failed: (error) => {
        this.log.error('instrument page guard failed', { atlas: this.id, error: errorKind(error) })
      },
    })
  }

  /** Keeps the server's part of a plan as the server wrote it, and says so in the log. */
  #guardServerPart(): void {
    guardServerPart(this.doc, () => this.serverPart, {
      undone: (origin) => {
        const from = this.#members.has(origin as Connection) ? (origin as Connection) : undefined
        this.log.warn('server part restored', { atlas: this.id, role: from?.role })
      },
      failed: (error) => {
        this.log.error('server part guard failed', { atlas: this.id, error: errorKind(error) })
      },
    })
  }

  /** How many connections are in the room. */
  get size(): number {
    return this.#members.size
  }

  /**
   * Adds a connection and starts the sync: the server's state vector (edit connections only: a
   * view connection's answer could only be refused) and everyone's presence.
   */
  join(conn: Connection): void {
    this.#members.set(conn, { awarenessIds: new Set(), refusedWrites: 0 })
    if (canWrite(conn.role)) conn.send(encodeSyncStep1(this.doc))
    if (this.awareness.getStates().size > 0) conn.send(encodeAwareness(this.awareness))
  }

  /**
   * Handles one message from a member. Throws `MalformedMessageError` for bytes that are not a
   * protocol message; the document is untouched then.
   */
  receive(conn: Connection, data: Uint8Array): void {
    const member = this.#members.get(conn)
    if (!member) return
    const message = decodeClientMessage(data)
    switch (message.kind) {
      case 'sync-step1':
        conn.send(encodeSyncStep2(this.doc, message.stateVector))
        break
      case 'sync-step2':
      case 'update':
        if (!canWrite(conn.role)) {
          // A fresh view client answers the sync with an empty step 2: that is not a write.
          if (updateCarriesContent(message.update)) this.#refuse(member, conn.role)
          return
        }
        this.#completingPending =
          this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null
        try {
          Y.applyUpdate(this.doc, message.update, conn)
        } finally {
          this.#completingPending = false
        }
        break
      case 'awareness':
        applyAwarenessUpdate(this.awareness, message.update, conn)
        break
      case 'query-awareness':
        conn.send(encodeAwareness(this.awareness))
        break
    }
  }

  /** Removes a connection and its presence. */
  leave(conn: Connection): void {
    const member = this.#members.get(conn)
    if (!member) return
    this.#members.delete(conn)
    if (member.awarenessIds.size > 0) {
      removeAwarenessStates(this.awareness, [...member.awarenessIds], null)
    }
    if (member.refusedWrites > 1) {
      this.log.warn('write refused', {
        atlas: this.id,
        role: conn.role,
        count: member.refusedWrites,
      })
    }
  }

  /**
   * Sends what changed since the last flush; runs at the end of the event-loop turn in which the
   * first change arrived, so it adds no delay when messages come one by one. Updates that arrived
   * together go out merged as one message, not back to their sender when they all came from one
   * connection (when several people's edits meet, everyone gets the one merge: Yjs ignores what
   * it already has, and one merge is cheaper than one per sender). Presence goes out as the
   * latest state of every changed client, in one message. Under load this turns N×M messages
   * per client into one.
   */
  flush(): void {
    this.#flushScheduled = false
    const { updates, awareness } = this.#outbox
    this.#outbox = { updates: [], awareness: new Set() }
    if (this.#members.size === 0) return
    // Runs outside any session: a failure is logged, never thrown into the event loop.
    try {
      if (updates.length > 0) {
        const message = encodeUpdate(
          updates.length === 1
            ? (updates[0] as { update: Uint8Array }).update
            : Y.mergeUpdates(updates.map((u) => u.update)),
        )
        const from = updates[0]?.from
        this.#sendAll(message, updates.every((u) => u.from === from) ? from : undefined)
      }
      if (awareness.size > 0) this.#sendAll(encodeAwareness(this.awareness, [...awareness]))
    } catch (error) {
      this.log.error('sync broadcast failed', { atlas: this.id, error: errorKind(error) })
    }
  }

  #sendAll(message: Uint8Array, except?: Connection): void {
    for (const conn of this.#members.keys()) {
      if (conn === except) continue
      try {
        conn.send(message)
      } catch (error) {
        this.log.error('sync send failed', { atlas: this.id, error: errorKind(error) })
      }
    }
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return
    this.#flushScheduled = true
    setImmediate(() => this.flush())
  }

  /** Releases the document and presence timers. */
  destroy(): void {
    this.awareness.destroy()
    this.doc.destroy()
  }

  #refuse(member: Member, role: Role): void {
    member.refusedWrites++
    // Logged once per connection (and counted on leave) so a misbehaving client cannot flood the log.
    if (member.refusedWrites === 1) this.log.warn('write refused', { atlas: this.id, role })
  }
}
