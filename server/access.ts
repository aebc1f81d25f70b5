import { isProfessionalRole, type Role } from '../shared/api/atlases'
import { CloseCode } from '../shared/sync/layout'
import { type Access, authorize } from './auth'
import { errorKind, type Logger } from './log'
import type { AtlasMeta, MetaStore, RightsStore } from './storage/types'

/** How often a link's "last used" is written at most. */
const LAST_USED_RESOLUTION_MS = 60 * 60 * 1000

/** An open sync connection, as access control sees it: who it is, and how to end it. */
export interface SessionHandle {
  readonly atlasId: string
  readonly role: Role
  readonly linkId: string
  /** Ends the connection at once: nothing more is sent, the socket closes with this code. */
  end(code: number, reason: string): void
}

/**
 * Who may do what, now: checks links, holds privétijd in memory (so that every send can ask it
 * without waiting for a disk), and knows the open connections of each atlas, so that a revoked
 * link or the start of privétijd ends them at once.
 */
export class AccessControl {
  /** Privétijd per atlas as last set or read; authoritative before the disk has it. */
  readonly #privateTime = new Map<string, boolean>()
  readonly #sessions = new Map<string, Set<SessionHandle>>()
  /** Links whose "last used" is being written. */
  readonly #noting = new Set<string>()
  /** Those writes, for `settled`. */
  readonly #noteWrites = new Set<Promise<void>>()
  /** Atlases being erased or erased by this process (the store knows those erased before). */
  readonly #erased = new Set<string>()

  /**
   * Told each time this process changes who may be in an atlas (a link stopped, privétijd, an
   * erasure), so that other instances of the scaled mode apply it too (`applyElsewhere`).
   */
  announce: (atlasId: string, change: AccessChange) => void = () => {}

  constructor(
    private readonly store: MetaStore & Pick<RightsStore, 'erasedAt'>,
    private readonly log: Logger,
  ) {}

  /**
   * Applies a change another instance made: privétijd as it says (else as the database says),
   * and the links as the database holds them now (a connection whose link is gone ends). An
   * atlas told erased, or gone from the database, is marked erased: returns true then (its rooms
   * are the caller's to drop). Never announced again.
   */
  async applyElsewhere(atlasId: string, change: AccessChange): Promise<boolean> {
    if (change.erased || this.isErased(atlasId)) {
      this.#markErased(atlasId)
      return true
    }
    if (change.privateTime !== undefined) this.#setPrivate(atlasId, change.privateTime)
    if (this.connectionCount(atlasId) === 0) return false
    const meta = await this.store.getMeta(atlasId)
    if (!meta) {
      this.#markErased(atlasId)
      return true
    }
    if (change.privateTime === undefined) this.#setPrivate(atlasId, meta.privateTime.on)
    const links = new Set(meta.links.map((l) => l.id))
    this.#endSessions(
      atlasId,
      (s) => !links.has(s.linkId),
      CloseCode.Unauthorized,
      UNAUTHORIZED_REASON,
    )
    return false
  }

  /**
   * After messages from other instances may have been missed: forgets privétijd learned for
   * atlases nobody is in here (read again at the next link check), and returns the atlases with
   * open connections, to be checked again with `applyElsewhere`.
   */
  catchUp(): string[] {
    for (const id of [...this.#privateTime.keys()]) {
      if (!this.#sessions.has(id)) this.#privateTime.delete(id)
    }
    return [...this.#sessions.keys()]
  }

  /** Checks a token (see `authorize`) and notes that its link was used. Null for an erased atlas. */
  async authorize(id: string, token: string | null | undefined): Promise<Access | null> {
    if (this.isErased(id)) return null
    const access = await authorize(this.store, id, token)
    // An erasure may have begun while the metadata was read.
    if (!access || this.isErased(id)) return null
    this.#learn(access.meta)
    this.#noteUse(access)
    return access
  }

  /** Whether an atlas was erased (or is being erased): every request about it gets 410. */
  isErased(atlasId: string): boolean {
    return this.#erased.has(atlasId) || this.store.erasedAt(atlasId) !== null
  }

  /**
   * Marks an atlas erased in memory, at once: from this moment no link of it works, and every
   * open connection of it ends with `CloseCode.Erased`. The caller removes its files.
   */
  markErased(atlasId: string): void {
    this.#markErased(atlasId)
    this.announce(atlasId, { erased: true })
  }

  #markErased(atlasId: string): void {
    this.#erased.add(atlasId)
    this.#privateTime.delete(atlasId)
    this.#endSessions(atlasId, () => true, CloseCode.Erased, ERASED_REASON)
  }

  /** Whether privétijd is on in an atlas (as far as this process knows it: read or set). */
  isPrivate(atlasId: string): boolean {
    return this.#privateTime.get(atlasId) ?? false
  }

  /** Whether a role may receive anything of an atlas right now. */
  mayReceive(atlasId: string, role: Role): boolean {
    return !(isProfessionalRole(role) && this.isPrivate(atlasId))
  }

  /**
   * Switches privétijd in memory, at once: from this moment no professional connection of the
   * atlas is sent anything, and they are ended. The caller stores it durably.
   */
  setPrivate(atlasId: string, on: boolean): void {
    this.#setPrivate(atlasId, on)
    this.announce(atlasId, { privateTime: on })
  }

  #setPrivate(atlasId: string, on: boolean): void {
    this.#privateTime.set(atlasId, on)
    if (on) {
      this.#endSessions(
        atlasId,
        (s) => isProfessionalRole(s.role),
        CloseCode.PrivateTime,
        PRIVATE_TIME_REASON,
      )
    }
  }

  /** How many connections of an atlas are open (its maps and its plan together). */
  connectionCount(atlasId: string): number {
    return this.#sessions.get(atlasId)?.size ?? 0
  }

  /** Adds an open connection; returns the function that removes it. */
  register(session: SessionHandle): () => void {
    let set = this.#sessions.get(session.atlasId)
    if (!set) {
      set = new Set()
      this.#sessions.set(session.atlasId, set)
    }
    set.add(session)
    return () => {
      const current = this.#sessions.get(session.atlasId)
      current?.delete(session)
      if (current?.size === 0) this.#sessions.delete(session.atlasId)
    }
  }

  /**
   * Ends every open connection of an atlas that `which` picks (after a link was stopped); other
   * instances end theirs whose link is gone. Returns how many here.
   */
  endSessions(
    atlasId: string,
    which: (session: SessionHandle) => boolean,
    code: number,
    reason: string,
  ): number {
    const ended = this.#endSessions(atlasId, which, code, reason)
    this.announce(atlasId, {})
    return ended
  }

  #endSessions(
    atlasId: string,
    which: (session: SessionHandle) => boolean,
    code: number,
    reason: string,
  ): number {
    const picked = [...(this.#sessions.get(atlasId) ?? [])].filter(which)
    for (const session of picked) session.end(code, reason)
    return picked.length
  }

  /** Keeps what the metadata says about privétijd, unless this process set it since. */
  #learn(meta: AtlasMeta): void {
    if (!this.#privateTime.has(meta.id)) this.#privateTime.set(meta.id, meta.privateTime.on)
  }

  /** Writes a link's "last used" when it is older than the resolution; never delays the caller. */
  #noteUse({ meta, link }: Access): void {
    const now = Date.now()
    const last = link.lastUsedAt ? Date.parse(link.lastUsedAt) : 0
    if (now - last < LAST_USED_RESOLUTION_MS || this.#noting.has(link.hash)) return
    this.#noting.add(link.hash)
    const at = new Date(now).toISOString()
    const write: Promise<void> = this.store
      .updateMeta(meta.id, (m) => ({
        ...m,
        links: m.links.map((l) => (l.id === link.id ? { ...l, lastUsedAt: at } : l)),
      }))
      .then(
        () => {},
        (error) => {
          this.log.warn('link use not noted', { atlas: meta.id, error: errorKind(error) })
        },
      )
      .finally(() => {
        this.#noting.delete(link.hash)
        this.#noteWrites.delete(write)
      })
    this.#noteWrites.add(write)
  }

  /**
   * Resolves once every "last used" write under way is on disk (or failed): a process that
   * exits in the middle of one leaves its temp file beside meta.json, and loses the note.
   */
  async settled(): Promise<void> {
    while (this.#noteWrites.size > 0) await Promise.allSettled([...this.#noteWrites])
  }
}

/** What changed about who may be in an atlas, as told to the other instances. */
export interface AccessChange {
  /** Privétijd switched on or off. */
  privateTime?: boolean
  /** The atlas is being erased. */
  erased?: boolean
}

/** The reason sent with `CloseCode.Unauthorized`: a link that does not (or no longer) work. */
export const UNAUTHORIZED_REASON = 'Link is not valid'

/** The reason sent with `CloseCode.PrivateTime`. */
export const PRIVATE_TIME_REASON = 'Private time: the network decides on its own'

/** The reason sent with `CloseCode.Erased`. */
export const ERASED_REASON = 'This atlas was deleted'
