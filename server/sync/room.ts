import { Awareness, applyAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { canWrite, type Role } from '../../shared/api/atlases'
import { type PlanIssue, transactionPlanIssue } from '../../shared/plan/check'
import { PLAN_ROOTS, type ServerPart } from '../../shared/plan/layout'
import { CloseCode, META_KEY, RECORDS_KEY } from '../../shared/sync/layout'
import { errorKind, type Logger } from '../log'
import { parseDocKey } from '../storage/types'
import { SyncRefusal } from './errors'
import { guardInstrumentPages, isInstrumentPageId } from './instrumentPages'
import { DEFAULT_SYNC_LIMITS, type SyncLimits, TokenBucket } from './limits'
import { planWriteSurelyFits } from './planFastPath'
import { encodePresence, type PresenceEntry, removesPresence } from './presence'
import {
  decodeClientMessage,
  encodeAwareness,
  encodeSaveState,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  isEmptyStateVector,
  type UpdateMessage,
} from './protocol'
import { afterSends } from './quietCollection'
import { checkRecords } from './recordCheck'
import { guardServerPart } from './serverPart'
import { carriesContent, checkUpdate, REFUSAL_REASONS } from './updateCheck'

/** What a room sends: document changes and answers, or presence (which may be skipped). */
export type SendKind = 'document' | 'presence'

/** One client in a room, as the room sees it: a role and a way to send bytes. */
export interface Connection {
  readonly role: Role
  /** The link it came in with (its id): presence a connection left is taken up by that link only. */
  readonly link?: string
  /** Sends a message; presence may be left out for a connection that is behind. */
  send(data: Uint8Array, kind?: SendKind): void
}

/**
 * Where a room's document changes go beyond its own members (other server instances): each change
 * once, a member's small checked edit as it came, before it is applied.
 */
export interface Relay {
  /**
   * A member's update that passed every check and that no guard corrects, before it is applied:
   * it may be passed on to other members before they apply it (`Room#applyRelayed`).
   */
  checked(update: Uint8Array): void
  /** Any other change of the document (its update event), with its origin. */
  changed(update: Uint8Array, origin: unknown): void
}

/** Changes waiting to be sent: updates with the connection they came from, changed presences. */
interface Outbox {
  updates: { update: Uint8Array; from: Connection | undefined }[]
  awareness: Set<number>
}

interface Member {
  /** The awareness client id this connection introduced: the only one it may set or remove. */
  presenceId: number | undefined
  /** Presence that arrived above the rate, applied when the rate allows (latest per client). */
  heldPresence: Map<number, PresenceEntry>
  heldTimer: ReturnType<typeof setTimeout> | undefined
  /** Rates of what costs the server work per request, and of structs written. */
  syncAnswers: TokenBucket
  structs: TokenBucket
  presenceQueries: TokenBucket
  presenceUpdates: TokenBucket
  refusedWrites: number
  /** Presence entries dropped: another connection's id, or too large. */
  droppedPresence: number
}

/** The reason sent with 4422 for an update that would store a record the atlas schema refuses. */
export const RECORD_REFUSAL_REASON = 'Update refused: a record does not fit the atlas'

/**
 * The reason sent with 4422 for an update that would leave a plan entry not fitting the plan: the
 * layout's names of the place and the problem, never the content.
 */
export function planRefusalReason(issue: PlanIssue): string {
  const where = issue.field ? `${issue.root}.${issue.field}` : issue.root
  return `Update refused: a plan entry does not fit (${where}: ${issue.problem})`
}

/**
 * The largest update sent on as it came: the small edits of typing and dragging. A larger one
 * waits for Yjs's own encoding, which leaves out what the server already had.
 */
const MAX_FORWARDED_BYTES = 4096

/** Updates the plan's shadow may lag behind the document before it is dropped (see `#shadow`). */
const MAX_BEHIND = 256
const MAX_BEHIND_BYTES = 256 * 1024

/** Departed presence ids remembered per room (a few bytes each). */
const MAX_FORMER_OWNERS = 1000

/** The top-level types each kind of document holds (`shared/sync/layout.ts`, `shared/plan/layout.ts`). */
const ATLAS_ROOTS: ReadonlySet<string> = new Set([RECORDS_KEY, META_KEY])
const PLAN_ROOT_NAMES: ReadonlySet<string> = new Set(PLAN_ROOTS)

/**
 * One open document (an atlas, or its plan): its Y.Doc, the presence of the people in it, and
 * their connections. Speaks the y-websocket protocol over bytes; sockets stay outside. Every
 * connection receives everything and may share presence; only edit connections write, the
 * others' document writes are dropped. In an atlas the five instrument pages are kept
 * (`instrumentPages.ts`); in a plan, the part only the server writes (`serverPart.ts`).
 *
 * What a client may ask is bounded (`SyncLimits`): an update is checked before it is applied
 * (`updateCheck.ts`) and refused whole, full states and presence answers have a rate per
 * connection, and a connection sets only the presence it introduced. A refusal throws
 * `SyncRefusal`, which ends the connection with its code and reason.
 */
export class Room {
  readonly doc = new Y.Doc({ gc: true })
  readonly awareness = new Awareness(this.doc)
  readonly #members = new Map<Connection, Member>()
  /** Which connection introduced each awareness client id. */
  readonly #presenceOwners = new Map<number, Member>()
  /** The link of the last connection that owned an id, after it left (the oldest forgotten first). */
  readonly #formerOwners = new Map<number, string | undefined>()
  /** What the room will send at the end of this event-loop turn (see `flush`). */
  #outbox: Outbox = { updates: [], awareness: new Set() }
  #flushScheduled = false
  /** The last turn carried at most one update: the next turn's first goes out at once. */
  #calm = true
  /** This turn's first update went out at once (the flush sends the rest, merged). */
  #sentAtOnce = false
  readonly #roots: ReadonlySet<string>
  readonly #isPlan: boolean
  /** The document's own top-level types (for `checkUpdate`). */
  readonly #rootTypes: ReadonlySet<unknown>
  /** The document's size: its stored state, plus every change since (see `noteStoredSize`). */
  #size: number
  /** The answer to a sync step 1 of a client that holds nothing, while the document is unchanged. */
  #wholeState: Uint8Array | undefined
  /** In a plan room: what the server part must hold (set by the server when it writes it). */
  serverPart: ServerPart | undefined
  /** True while changes of the document are only in memory because saving them fails. */
  #saveBehind = false
  /**
   * In a plan room: a copy of the document that a client's update is applied to first, so the
   * entries it touches are checked as they would be (`#checkPlan`), where the fast path
   * (`planFastPath.ts`) does not find it fitting already. Made at the first full check. Every
   * change of the document that did not pass through it waits in `#behind` and is applied to it,
   * merged, before the next full check; once too much has gathered the copy is dropped instead
   * and made again at the next full check: a person typing (the fast path) pays nothing for it.
   */
  #shadow: Y.Doc | undefined
  #behind: Uint8Array[] = []
  #behindBytes = 0
  /** True while a member's update that the shadow holds already is applied to the document. */
  #inShadow = false
  /** The origin of an update applied after it went out as it came (`#write`, `applyRelayed`). */
  #forwarded: unknown
  /** The member whose update is being applied after the relay had it as it came (`#write`). */
  #relayed: Connection | undefined
  /** Where the document's changes go beyond this room's members (set once, by the scaled mode). */
  relay: Relay | undefined

  constructor(
    readonly id: string,
    initialState: Uint8Array | null,
    private readonly log: Logger,
    /** Called with every update of the document (to save it), and the connection it came from. */
    onChange: (update: Uint8Array, from: Connection | undefined) => void = () => {},
    private readonly limits: SyncLimits = DEFAULT_SYNC_LIMITS,
  ) {
    const isPlan = parseDocKey(id)?.name === 'plan'
    this.#isPlan = isPlan
    this.#roots = isPlan ? PLAN_ROOT_NAMES : ATLAS_ROOTS
    this.#rootTypes = new Set([...this.#roots].map((name) => this.doc.getMap(name)))
    if (initialState) Y.applyUpdate(this.doc, initialState)
    this.#dropPending()
    this.#size = initialState?.byteLength ?? 0
    if (isPlan) this.#guardServerPart()
    else this.#guardPages()
    // The server has no presence of its own.
    this.awareness.setLocalState(null)
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      const sender = this.#members.has(origin as Connection) ? (origin as Connection) : undefined
      // The sends come first: nothing below is on the way to the other devices.
      if (this.#forwarded !== undefined && origin === this.#forwarded) {
        // Out already, as it came (`#write`, `applyRelayed`).
      } else if (this.#calm && !this.#sentAtOnce && this.#outbox.updates.length === 0) {
        this.#sentAtOnce = true
        this.#sendUpdates([{ update, from: sender }])
      } else this.#outbox.updates.push({ update, from: sender })
      this.#scheduleFlush()
      if (this.relay && (this.#relayed === undefined || sender !== this.#relayed)) {
        this.relay.changed(update, origin)
      }
      onChange(update, sender)
      this.#size += update.byteLength
      this.#wholeState = undefined
      // A member's update that took the full check is in the shadow already.
      if (this.#shadow && !(this.#inShadow && sender)) {
        this.#behind.push(update)
        this.#behindBytes += update.byteLength
      }
    })
    this.awareness.on(
      'update',
      ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
        for (const id of [...added, ...updated, ...removed]) this.#outbox.awareness.add(id)
        this.#scheduleFlush()
      },
    )
  }

  /**
   * Drops what a stored state left waiting for parts that never came (states saved before the
   * server refused incomplete updates): it would be saved and sent to every new client again.
   */
  #dropPending(): void {
    const { store } = this.doc
    if (store.pendingStructs === null && store.pendingDs === null) return
    store.pendingStructs = null
    store.pendingDs = null
    this.log.warn('waiting changes dropped', { atlas: this.id })
  }

  /** A fresh copy of the document (the plan's shadow). */
  #copy(): Y.Doc {
    const copy = new Y.Doc({ gc: true })
    for (const name of this.#roots) copy.getMap(name)
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(this.doc))
    return copy
  }

  /**
   * Applies a client's update to the plan's shadow and checks every entry it touched; the first
   * that does not fit is returned and the shadow made again from the document. A plan is tens of
   * KB, so the copy costs little next to keeping a refused change out of every device.
   */
  #checkPlan(update: Uint8Array): PlanIssue | null {
    this.#catchUp()
    this.#shadow ??= this.#copy()
    const shadow = this.#shadow
    let issue: PlanIssue | null = null
    const check = (tr: Y.Transaction) => {
      issue ??= transactionPlanIssue(shadow, tr)
    }
    shadow.on('afterTransaction', check)
    let failed = false
    try {
      Y.applyUpdate(shadow, update)
    } catch (error) {
      failed = true
      throw error
    } finally {
      shadow.off('afterTransaction', check)
      if (issue || failed) {
        shadow.destroy()
        this.#shadow = this.#copy()
      }
    }
    return issue
  }

  /** Brings the plan's shadow level with the document: what waits, merged, in one apply. */
  #catchUp(): void {
    const shadow = this.#shadow
    if (!shadow || this.#behind.length === 0) return
    const behind = this.#behind
    this.#behind = []
    this.#behindBytes = 0
    try {
      Y.applyUpdate(
        shadow,
        behind.length === 1 ? (behind[0] as Uint8Array) : Y.mergeUpdates(behind),
      )
    } catch (error) {
      this.log.error('plan copy failed', { atlas: this.id, error: errorKind(error) })
      shadow.destroy()
      this.#shadow = this.#copy()
    }
  }

  /**
   * A guard wrote a correction from inside the cleanup of the update it corrects, before that
   * update's own event. Yjs encodes that event from the store as it is by then, so the update
   * already carries the correction; the turn is held all the same (both leave in its flush), so
   * that no device sees what was corrected (a page gone, a changed server part) whatever Yjs does.
   */
  #holdTurn(): void {
    this.#calm = false
  }

  /** Keeps the five instrument pages of an atlas, and says so in the log. */
  #guardPages(): void {
    guardInstrumentPages(this.doc, {
      restored: ({ origin, pages, records }) => {
        this.#holdTurn()
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
        this.#holdTurn()
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

  /** The document's size in bytes: as last stored, plus the changes since. */
  get bytes(): number {
    return this.#size
  }

  /** The document's size as the registry last stored it; changes since are added to it. */
  noteStoredSize(bytes: number): void {
    this.#size = bytes
  }

  /**
   * Adds a connection and starts the sync: the server's state vector (edit connections only: a
   * view connection's answer could only be refused) and everyone's presence.
   */
  join(conn: Connection): void {
    const { limits } = this
    this.#members.set(conn, {
      presenceId: undefined,
      heldPresence: new Map(),
      heldTimer: undefined,
      syncAnswers: new TokenBucket(limits.syncAnswersPerMinute, limits.syncAnswersPerMinute / 60),
      structs: new TokenBucket(limits.maxUpdateStructs, limits.updateStructsPerMinute / 60),
      presenceQueries: new TokenBucket(
        limits.presenceQueriesPerMinute,
        limits.presenceQueriesPerMinute / 60,
      ),
      presenceUpdates: new TokenBucket(
        limits.presenceUpdatesPerSecond,
        limits.presenceUpdatesPerSecond,
      ),
      refusedWrites: 0,
      droppedPresence: 0,
    })
    if (canWrite(conn.role)) conn.send(encodeSyncStep1(this.doc))
    if (this.awareness.getStates().size > 0) conn.send(encodeAwareness(this.awareness), 'presence')
    if (this.#saveBehind) conn.send(encodeSaveState(true))
  }

  /**
   * Tells every connection whether the server's copy is saved or behind (only when that changes),
   * so that devices say so and keep their own copy.
   */
  setSaveBehind(behind: boolean): void {
    if (this.#saveBehind === behind) return
    this.#saveBehind = behind
    this.#sendAll(encodeSaveState(behind), 'document')
  }

  /**
   * Handles one message from a member. Throws `MalformedMessageError` for bytes that are not a
   * protocol message and `SyncRefusal` for one the room does not take; the document is untouched
   * then.
   */
  receive(conn: Connection, data: Uint8Array): void {
    const member = this.#members.get(conn)
    if (!member) return
    const message = decodeClientMessage(data, this.limits)
    switch (message.kind) {
      case 'sync-step1':
        if (!member.syncAnswers.take()) {
          throw new SyncRefusal(
            CloseCode.TooManyRequests,
            'Too many full-state requests',
            'sync step 1 rate',
          )
        }
        conn.send(this.#answer(message.stateVector))
        break
      case 'sync-step2':
      case 'update':
        this.#write(conn, member, message, data)
        break
      case 'awareness':
        member.droppedPresence += message.oversized
        this.#presence(conn, member, message.entries)
        break
      case 'query-awareness':
        if (!member.presenceQueries.take()) {
          throw new SyncRefusal(
            CloseCode.TooManyRequests,
            'Too many presence requests',
            'presence query rate',
          )
        }
        conn.send(encodeAwareness(this.awareness), 'presence')
        break
    }
  }

  /** What the document holds beyond a state vector; the whole state is encoded once per change. */
  #answer(stateVector: Uint8Array): Uint8Array {
    if (!isEmptyStateVector(stateVector)) return encodeSyncStep2(this.doc, stateVector)
    this.#wholeState ??= encodeSyncStep2(this.doc)
    return this.#wholeState
  }

  /**
   * Applies a document update of an edit connection, or refuses it whole. In a calm room a lone
   * small update that passed every check goes out to the others as it came (`data`), before it
   * is applied: Yjs's update event would carry the same change, only later. Not when a guard may
   * correct it (an instrument page's record, a full plan check): its correction must leave with
   * it.
   */
  #write(conn: Connection, member: Member, message: UpdateMessage, data: Uint8Array): void {
    const { read } = message
    if (!canWrite(conn.role)) {
      // A fresh view client answers the sync with an empty step 2: that is not a write.
      if ('refused' in read || carriesContent(read)) this.#refuse(member, conn.role)
      return
    }
    if ('refused' in read) {
      throw new SyncRefusal(CloseCode.UpdateRefused, REFUSAL_REASONS[read.refused], read.refused)
    }
    if (!carriesContent(read)) return
    const refusal = checkUpdate(read, {
      doc: this.doc,
      roots: this.#roots,
      rootTypes: this.#rootTypes,
    })
    if (refusal) throw new SyncRefusal(CloseCode.UpdateRefused, REFUSAL_REASONS[refusal], refusal)
    // Applying costs the event loop ~2 µs a struct: a connection writes at most a full update at
    // once, then at its rate. (Before the record check, which must be the last before applying.)
    if (!member.structs.take(read.structCount)) {
      throw new SyncRefusal(
        CloseCode.TooManyRequests,
        'Too many changes in a short time',
        'struct rate',
      )
    }
    if (this.#size + message.update.byteLength > this.limits.maxDocumentBytes) {
      throw new SyncRefusal(
        CloseCode.DocumentTooLarge,
        'Document is full: no more changes are accepted',
        'document size',
      )
    }
    /** Records the update touches (an instrument page's may make its guard write). */
    const touched = this.#isPlan ? undefined : new Set<string>()
    if (touched) {
      const bad = checkRecords(read, this.doc, touched)
      if (bad) {
        throw new SyncRefusal(
          CloseCode.UpdateRefused,
          RECORD_REFUSAL_REASON,
          `invalid record (${bad.problem}${bad.typeName ? `, ${bad.typeName}` : ''})`,
        )
      }
    }
    const fullCheck = this.#isPlan && !planWriteSurelyFits(read, this.doc)
    if (fullCheck) {
      const issue = this.#checkPlan(message.update)
      if (issue) {
        const where = issue.field ? `${issue.root}.${issue.field}` : issue.root
        throw new SyncRefusal(
          CloseCode.UpdateRefused,
          planRefusalReason(issue),
          `invalid plan entry (${where}: ${issue.problem})`,
        )
      }
    }
    const asItCame =
      message.kind === 'update' &&
      data.byteLength <= MAX_FORWARDED_BYTES &&
      !fullCheck &&
      !(touched && touchesInstrumentPage(touched))
    this.#inShadow = fullCheck
    try {
      if (asItCame && this.#sendsAtOnce(2)) {
        this.#sentAtOnce = true
        this.#forwarded = conn
        this.#scheduleFlush()
        this.#sendAll(data, 'document', conn)
      }
      if (asItCame && this.relay) {
        this.#relayed = conn
        this.relay.checked(message.update)
      }
      Y.applyUpdate(this.doc, message.update, conn)
    } finally {
      this.#inShadow = false
      this.#forwarded = undefined
      this.#relayed = undefined
    }
  }

  /**
   * Applies an update that another instance checked and relayed as it came (`Relay#checked`). In
   * a calm room it goes out to every member first, as a member's own lone edit does (`#write`).
   */
  applyRelayed(update: Uint8Array, origin: unknown): void {
    try {
      if (update.byteLength <= MAX_FORWARDED_BYTES && this.#sendsAtOnce(1)) {
        this.#sentAtOnce = true
        this.#forwarded = origin
        this.#scheduleFlush()
        this.#sendAll(encodeUpdate(update), 'document')
      }
      Y.applyUpdate(this.doc, update, origin)
    } finally {
      this.#forwarded = undefined
    }
  }

  /**
   * Whether this turn's first update may go out at once, to a room of at least `members`. Not
   * while the document holds changes that wait for a missing part (heard from another instance
   * after a gap): the update may be that part, and its event then carries them too.
   */
  #sendsAtOnce(members: number): boolean {
    return (
      this.doc.store.pendingStructs === null &&
      this.doc.store.pendingDs === null &&
      this.#calm &&
      !this.#sentAtOnce &&
      this.#outbox.updates.length === 0 &&
      this.#members.size >= members
    )
  }

  /**
   * Applies the presence a connection may set: the client id it introduced (the first one it
   * announces that no other connection has), never another's; at most the rate per second, the
   * rest held and merged into the next.
   */
  #presence(conn: Connection, member: Member, entries: PresenceEntry[]): void {
    const kept: PresenceEntry[] = []
    for (const entry of entries) {
      if (entry.client === member.presenceId) kept.push(entry)
      else if (member.presenceId === undefined && this.#mayIntroduce(conn, entry)) {
        member.presenceId = entry.client
        this.#presenceOwners.set(entry.client, member)
        kept.push(entry)
      } else member.droppedPresence++
    }
    if (kept.length === 0) return
    for (const entry of kept) member.heldPresence.set(entry.client, entry)
    this.#applyHeldPresence(conn, member)
  }

  /**
   * Whether a connection may take this id as its own: a state nobody owns that would apply, and
   * not one that a connection of another link left (someone else's cursor and name).
   */
  #mayIntroduce(conn: Connection, entry: PresenceEntry): boolean {
    if (removesPresence(entry) || this.#presenceOwners.has(entry.client)) return false
    if (
      this.#formerOwners.has(entry.client) &&
      this.#formerOwners.get(entry.client) !== conn.link
    ) {
      return false
    }
    const known = this.awareness.meta.get(entry.client)
    return known === undefined || known.clock < entry.clock
  }

  #applyHeldPresence(conn: Connection, member: Member): void {
    if (member.heldTimer || member.heldPresence.size === 0) return
    if (!member.presenceUpdates.take()) {
      member.heldTimer = setTimeout(() => {
        member.heldTimer = undefined
        if (this.#members.get(conn) === member) this.#applyHeldPresence(conn, member)
      }, member.presenceUpdates.waitMs())
      return
    }
    const update = encodePresence(member.heldPresence.values())
    member.heldPresence.clear()
    applyAwarenessUpdate(this.awareness, update, conn)
  }

  /** Removes a connection and its presence. */
  leave(conn: Connection): void {
    const member = this.#members.get(conn)
    if (!member) return
    this.#members.delete(conn)
    clearTimeout(member.heldTimer)
    const id = member.presenceId
    if (id !== undefined) {
      this.#presenceOwners.delete(id)
      this.#formerOwners.delete(id)
      this.#formerOwners.set(id, conn.link)
      if (this.#formerOwners.size > MAX_FORMER_OWNERS) {
        this.#formerOwners.delete(this.#formerOwners.keys().next().value as number)
      }
      if (this.awareness.getStates().has(id)) removeAwarenessStates(this.awareness, [id], null)
    }
    if (member.refusedWrites > 1) {
      this.log.warn('write refused', {
        atlas: this.id,
        role: conn.role,
        count: member.refusedWrites,
      })
    }
    if (member.droppedPresence > 0) {
      this.log.info('presence dropped', {
        atlas: this.id,
        role: conn.role,
        count: member.droppedPresence,
      })
    }
  }

  /**
   * Sends what changed since the last flush; runs at the end of the event-loop turn in which the
   * first change arrived. In a calm room (the last turn carried at most one update) a turn's
   * first update has already gone out at once, from the update itself, as the reference server
   * sends: a lone edit waits neither for the end of the turn nor for the rest of the transaction.
   * Updates that arrived together go out merged as one message, not back to their sender when
   * they all came from one connection (when several people's edits meet, everyone gets the one
   * merge: Yjs ignores what it already has, and one merge is cheaper than one per sender). A
   * turn that carried several updates makes the room busy: the next turn's updates all wait for
   * its flush, so under load a client gets one message per turn, not one per edit. Presence goes
   * out as the latest state of every changed client, in one message.
   */
  flush(): void {
    this.#flushScheduled = false
    const { updates, awareness } = this.#outbox
    this.#outbox = { updates: [], awareness: new Set() }
    this.#calm = updates.length + (this.#sentAtOnce ? 1 : 0) <= 1
    this.#sentAtOnce = false
    if (this.#behind.length >= MAX_BEHIND || this.#behindBytes >= MAX_BEHIND_BYTES) {
      this.#shadow?.destroy()
      this.#shadow = undefined
      this.#behind = []
      this.#behindBytes = 0
    }
    if (this.#members.size === 0) return
    this.#sendUpdates(updates)
    // Runs outside any session: a failure is logged, never thrown into the event loop.
    try {
      if (awareness.size > 0) {
        this.#sendAll(encodeAwareness(this.awareness, [...awareness]), 'presence')
      }
    } catch (error) {
      this.log.error('sync broadcast failed', { atlas: this.id, error: errorKind(error) })
    }
    afterSends()
  }

  /** Sends updates to every connection as one message, never back to a lone sender. */
  #sendUpdates(updates: Outbox['updates']): void {
    if (updates.length === 0 || this.#members.size === 0) return
    // Runs inside Yjs's update event or outside any session: a failure is logged, never thrown.
    try {
      const message = encodeUpdate(
        updates.length === 1
          ? (updates[0] as { update: Uint8Array }).update
          : Y.mergeUpdates(updates.map((u) => u.update)),
      )
      const from = updates[0]?.from
      this.#sendAll(message, 'document', updates.every((u) => u.from === from) ? from : undefined)
    } catch (error) {
      this.log.error('sync broadcast failed', { atlas: this.id, error: errorKind(error) })
    }
  }

  #sendAll(message: Uint8Array, kind: SendKind, except?: Connection): void {
    // No copy of the members: a send that closes its connection deletes it from the map, which a
    // Map's iteration allows (the rest are still visited once each).
    for (const conn of this.#members.keys()) {
      if (conn === except) continue
      try {
        conn.send(message, kind)
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
    for (const member of this.#members.values()) clearTimeout(member.heldTimer)
    this.awareness.destroy()
    this.#shadow?.destroy()
    this.doc.destroy()
  }

  #refuse(member: Member, role: Role): void {
    member.refusedWrites++
    // Logged once per connection (and counted on leave) so a misbehaving client cannot flood the log.
    if (member.refusedWrites === 1) this.log.warn('write refused', { atlas: this.id, role })
  }
}

/** Whether an update touched an instrument page's record (without an array of the set). */
function touchesInstrumentPage(touched: Set<string>): boolean {
  for (const id of touched) if (isInstrumentPageId(id)) return true
  return false
}
