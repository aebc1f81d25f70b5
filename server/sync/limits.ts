/**
 * How much one client may ask of the sync server: per message, per connection, per document.
 * Every value is configurable (server/config.ts, README "Configuration"); the defaults were chosen
 * against the largest atlas measured (5,000 shapes: 2.7 MB, 65,000 structs in one update).
 */

/** The sync server's limits. */
export interface SyncLimits {
  /** Structs (items, GC and skip runs, client sections) one update may carry. */
  maxUpdateStructs: number
  /** Structs a connection may write per minute; one full update may come at once. */
  updateStructsPerMinute: number
  /** Delete-set ranges (and client sections) one update may carry. */
  maxUpdateDeleteRanges: number
  /** Size of a document (its encoded state, estimated between snapshots) beyond which writes are refused. */
  maxDocumentBytes: number
  /** Full-state answers (sync step 1) per connection and minute; the first ones may come at once. */
  syncAnswersPerMinute: number
  /** Presence answers (query awareness) per connection and minute. */
  presenceQueriesPerMinute: number
  /** Presence updates per connection and second applied; more are merged into the next one. */
  presenceUpdatesPerSecond: number
  /** Largest presence state (its JSON, in bytes); a larger one is dropped. */
  maxPresenceBytes: number
  /** A socket whose unsent bytes exceed this is closed. */
  maxSendBufferBytes: number
  /** Above this many unsent bytes a socket is sent no presence. */
  presenceSkipBufferBytes: number
  /** A socket that has not joined its room by then is closed. */
  joinTimeoutMs: number
  /** Bytes a socket may send before it has joined its room. */
  maxBytesBeforeJoin: number
  /** Open sync connections per atlas (its maps and its plan together). */
  maxConnectionsPerAtlas: number
  /** Open sync connections per client address. */
  maxConnectionsPerAddress: number
  /** Documents held in memory; beyond it idle ones are unloaded, least recently used first. */
  maxOpenRooms: number
  /**
   * After a link's connection is closed for what it sent (a refused update, too many requests, a
   * full send buffer), that link's next connections are closed for this long, doubling with each
   * refusal up to `refusalCoolDownMaxMs`.
   */
  refusalCoolDownMs: number
  refusalCoolDownMaxMs: number
}

const MiB = 1024 * 1024

/** The defaults, as the README lists them. */
export const DEFAULT_SYNC_LIMITS: Readonly<SyncLimits> = Object.freeze({
  maxUpdateStructs: 150_000,
  updateStructsPerMinute: 150_000,
  maxUpdateDeleteRanges: 100_000,
  maxDocumentBytes: 16 * MiB,
  syncAnswersPerMinute: 6,
  presenceQueriesPerMinute: 30,
  presenceUpdatesPerSecond: 30,
  maxPresenceBytes: 8 * 1024,
  maxSendBufferBytes: 32 * MiB,
  presenceSkipBufferBytes: 1 * MiB,
  joinTimeoutMs: 5000,
  maxBytesBeforeJoin: 1 * MiB,
  maxConnectionsPerAtlas: 100,
  maxConnectionsPerAddress: 100,
  maxOpenRooms: 500,
  refusalCoolDownMs: 1000,
  refusalCoolDownMaxMs: 60_000,
})

/**
 * A token bucket: holds at most `capacity` tokens and gains `perSecond` of them each second.
 * `take()` spends one if there is one.
 */
export class TokenBucket {
  #tokens: number
  #at: number

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#tokens = capacity
    this.#at = now()
  }

  #refill(): void {
    const now = this.now()
    this.#tokens = Math.min(
      this.capacity,
      this.#tokens + ((now - this.#at) / 1000) * this.perSecond,
    )
    this.#at = now
  }

  /**
   * Spends `count` tokens; false when there are not enough. A full bucket pays for any count (it
   * then owes the rest), so that something larger than the bucket is allowed now and then.
   */
  take(count = 1): boolean {
    this.#refill()
    if (this.#tokens < Math.min(count, this.capacity)) return false
    this.#tokens -= count
    return true
  }

  /** Milliseconds until a token is available (0 if one is). */
  waitMs(): number {
    this.#refill()
    return this.#tokens >= 1 ? 0 : Math.ceil(((1 - this.#tokens) / this.perSecond) * 1000)
  }
}

/** Links cooled down remembered at most; the oldest are forgotten first. */
const MAX_COOLING = 10_000

/**
 * Per link (by the SHA-256 of its secret, as the server stores it): how long its new connections
 * are turned away after one of them was refused. A client that keeps reconnecting to repeat what
 * was refused (an update bomb, a flood of requests) is then refused before the websocket opens,
 * before it has sent a byte of it, joined or cost an answer; other links are not affected.
 */
export class CoolDown {
  readonly #links = new Map<string, { strikes: number; until: number }>()

  constructor(
    private readonly firstMs: number,
    private readonly maxMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Notes a refusal of `link`: its cool-down starts, twice as long as the last. */
  strike(link: string): void {
    const now = this.now()
    const last = this.#links.get(link)
    // A link that behaved for a long while starts again from the first step.
    const strikes = last && now - last.until < 10 * this.maxMs ? last.strikes + 1 : 1
    const ms = Math.min(this.maxMs, this.firstMs * 2 ** (strikes - 1))
    this.#links.delete(link)
    this.#links.set(link, { strikes, until: now + ms })
    if (this.#links.size > MAX_COOLING) {
      this.#links.delete(this.#links.keys().next().value as string)
    }
  }

  /** True while no link is cooling down (then nothing needs to be looked up). */
  get empty(): boolean {
    return this.#links.size === 0
  }

  /** Milliseconds until `link` may connect again (0: now). */
  remaining(link: string): number {
    const entry = this.#links.get(link)
    return entry ? Math.max(0, entry.until - this.now()) : 0
  }
}
