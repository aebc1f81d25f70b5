import { TokenBucket } from './sync/limits'

/** Addresses remembered at most; the one least recently seen is forgotten first. */
const MAX_ADDRESSES = 10_000

/**
 * At most `perMinute` requests a minute per client address (all of them at once, then one every
 * 60/perMinute seconds). One instance per kind of request.
 */
export class AddressRateLimit {
  readonly #buckets = new Map<string, TokenBucket>()

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Spends one request of `address`: 0 when allowed, else the seconds until one is (≥ 1). */
  take(address: string): number {
    let bucket = this.#buckets.get(address)
    if (bucket) this.#buckets.delete(address)
    else bucket = new TokenBucket(this.perMinute, this.perMinute / 60, this.now)
    // Re-inserted: the map's order is then least recently seen first.
    this.#buckets.set(address, bucket)
    if (this.#buckets.size > MAX_ADDRESSES) {
      this.#buckets.delete(this.#buckets.keys().next().value as string)
    }
    if (bucket.take()) return 0
    return Math.max(1, Math.ceil(bucket.waitMs() / 1000))
  }
}
