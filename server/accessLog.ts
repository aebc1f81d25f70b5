import type {
  AccessEntry,
  AccessEvent,
  DeviceInfo,
  ExportKind,
  LoggedLink,
} from '../shared/api/accessLog'
import type { Access } from './auth'
import { errorKind, type Logger } from './log'
import type { RightsStore, StoredLink } from './storage/types'
import { TokenBucket } from './sync/limits'

/**
 * Opens by the same link from the same kind of device within this time are one line: a page
 * that reconnects, a reload, the plan opened beside the maps.
 */
export const OPEN_COALESCE_MS = 15 * 60 * 1000

/** Export notes a link may make: a few at once, then one every 10 s. */
const EXPORT_NOTES_BURST = 10
const EXPORT_NOTES_PER_SECOND = 0.1

/** Coalescing and rate-limit state kept at most, oldest forgotten first. */
const MAX_REMEMBERED = 10_000

/** How often one atlas's log is cut to the retention while entries are appended. */
const PRUNE_EVERY_MS = 24 * 60 * 60 * 1000

/** A link as the log names it: role and label, never the secret or its hash. */
export function loggedLink(link: Pick<StoredLink, 'id' | 'role' | 'label'>): LoggedLink {
  return { linkId: link.id, role: link.role, label: link.label }
}

/**
 * The access log of every atlas (in the spirit of NEN 7513): which link opened an atlas when and
 * from which kind of device, link changes, privétijd switches, exports and imports; never a
 * secret and never content. Entries older than the retention are dropped.
 */
export class AccessLog {
  readonly #lastOpen = new Map<string, number>()
  readonly #pruned = new Map<string, number>()
  readonly #exportNotes = new Map<string, TokenBucket>()

  constructor(
    private readonly store: RightsStore,
    private readonly log: Logger,
    /** Days an entry is kept. */
    readonly retentionDays: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /**
   * Writes one entry durably. A failure is logged, never thrown: what it records has happened
   * already (a link made, privétijd on), and must not be undone or reported as failed for it.
   */
  async note(
    atlasId: string,
    event: AccessEvent,
    by: Access | null,
    device: DeviceInfo,
    extra: Pick<AccessEntry, 'link' | 'export'> = {},
  ): Promise<void> {
    const entry: AccessEntry = {
      at: new Date(this.now()).toISOString(),
      event,
      by: by ? loggedLink(by.link) : null,
      device,
      ...extra,
    }
    try {
      await this.store.appendAccess(atlasId, [entry])
    } catch (error) {
      this.log.warn('access log not written', { atlas: atlasId, event, error: errorKind(error) })
      return
    }
    this.#pruneNowAndThen(atlasId)
  }

  /** Notes that a link opened the atlas, unless it did from the same kind of device just now. */
  opened(access: Access, device: DeviceInfo): void {
    const key = `${access.meta.id} ${access.link.id} ${device.kind} ${device.browser} ${device.system}`
    const now = this.now()
    const last = this.#lastOpen.get(key)
    if (last !== undefined && now - last < OPEN_COALESCE_MS) return
    remember(this.#lastOpen, key, now)
    void this.note(access.meta.id, 'opened', access, device)
  }

  /** Whether a link may note another export now (a few at once, then one every 10 s). */
  mayNoteExport(linkId: string): boolean {
    let bucket = this.#exportNotes.get(linkId)
    if (!bucket) {
      bucket = new TokenBucket(EXPORT_NOTES_BURST, EXPORT_NOTES_PER_SECOND, this.now)
      remember(this.#exportNotes, linkId, bucket)
    }
    return bucket.take()
  }

  /** Notes an export made on a device. */
  exported(access: Access, device: DeviceInfo, kind: ExportKind): Promise<void> {
    return this.note(access.meta.id, 'exported', access, device, { export: kind })
  }

  /** The entries kept, newest first; older ones are removed from the file in the same step. */
  async read(atlasId: string): Promise<AccessEntry[]> {
    const entries = await this.store.readAccess(atlasId, this.#keepSince())
    this.#pruned.set(atlasId, this.now())
    return entries.reverse()
  }

  /** Forgets what it remembers of an erased atlas. */
  forget(atlasId: string): void {
    this.#pruned.delete(atlasId)
    for (const key of this.#lastOpen.keys()) {
      if (key.startsWith(`${atlasId} `)) this.#lastOpen.delete(key)
    }
  }

  #keepSince(): Date {
    return new Date(this.now() - this.retentionDays * 24 * 60 * 60 * 1000)
  }

  /** Cuts an atlas's log to the retention about once a day while entries are appended. */
  #pruneNowAndThen(atlasId: string): void {
    const last = this.#pruned.get(atlasId)
    if (last !== undefined && this.now() - last < PRUNE_EVERY_MS) return
    remember(this.#pruned, atlasId, this.now())
    this.store.readAccess(atlasId, this.#keepSince()).catch((error) => {
      this.log.warn('access log not pruned', { atlas: atlasId, error: errorKind(error) })
    })
  }
}

function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.delete(key)
  map.set(key, value)
  if (map.size > MAX_REMEMBERED) map.delete(map.keys().next().value as K)
}
