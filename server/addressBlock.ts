import type { Socket } from 'node:net'
import { TokenBucket } from './sync/limits'

/** Addresses remembered at most; the one least recently refused is forgotten first. */
const MAX_ADDRESSES = 10_000

/**
 * An address that keeps coming after it was refused (429 for making or importing atlases, for
 * too many sockets, for a link in its cool-down) is blocked for a while: its new connections are
 * closed as they are accepted, before Node reads a byte of them. Answering a flood one 429 at a
 * time costs the server as much as serving it; closing a connection costs a fraction.
 *
 * More than `refusals` refusals within a minute (a bucket of that many, refilled evenly) blocks
 * the address for `seconds`. Behind a reverse proxy every connection comes from the proxy, so
 * there the address is blocked per request instead (`blocked`), not per connection.
 */
export class AddressBlock {
  readonly #refusals = new Map<string, TokenBucket>()
  readonly #until = new Map<string, number>()

  constructor(
    private readonly refusals: number,
    private readonly seconds: number,
    /** Told of each block (for the log; the address is not for the log). */
    private readonly onBlock: (address: string) => void = () => {},
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Counts one refusal of `address`; true when this one blocks it. */
  refused(address: string): boolean {
    if (this.refusals <= 0 || this.blocked(address)) return false
    let bucket = this.#refusals.get(address)
    if (bucket) this.#refusals.delete(address)
    else bucket = new TokenBucket(this.refusals, this.refusals / 60, this.now)
    this.#refusals.set(address, bucket)
    if (this.#refusals.size > MAX_ADDRESSES) {
      this.#refusals.delete(this.#refusals.keys().next().value as string)
    }
    if (bucket.take()) return false
    this.#refusals.delete(address)
    this.#until.set(address, this.now() + this.seconds * 1000)
    this.onBlock(address)
    if (this.#until.size > MAX_ADDRESSES) {
      this.#until.delete(this.#until.keys().next().value as string)
    }
    return true
  }

  /** Whether `address` is blocked now. */
  blocked(address: string): boolean {
    if (this.#until.size === 0) return false
    const until = this.#until.get(address)
    if (until === undefined) return false
    if (until > this.now()) return true
    this.#until.delete(address)
    return false
  }

  /** Seconds until `address` may come again (0 when it is not blocked). */
  remaining(address: string): number {
    const until = this.#until.get(address)
    return until === undefined ? 0 : Math.max(0, Math.ceil((until - this.now()) / 1000))
  }

  /** Whether a new connection comes from a blocked address (its peer, IPv4 in IPv6 form as IPv4). */
  blocksConnection(socket: Socket): boolean {
    if (this.#until.size === 0) return false
    const peer = socket.remoteAddress ?? ''
    return this.blocked(peer.startsWith('::ffff:') ? peer.slice('::ffff:'.length) : peer)
  }
}
