import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { AccessChange } from '../access'
import { errorKind, type Logger } from '../log'
import type { Room } from './room'

/** What the other instances tell an instance about who may be in an atlas. */
export interface AccessEvents {
  /** Another instance changed who may be in an atlas. */
  changed(atlasId: string, change: AccessChange): void
  /** Messages may have been missed (Redis was out of reach): check every open atlas again. */
  catchUp(): void
}

/** What a message on a room's channel carries (its first byte). */
enum Kind {
  /** A Yjs update applied by the sending instance (checked there: role, view-only, limits). */
  Update = 0,
  /** A state vector: "send me what I lack" (an instance that just opened the room or reconnected). */
  Ask = 1,
  /** A presence (awareness) update of the sending instance's devices. */
  Presence = 2,
  /**
   * The answer's own state vector: "and send me what I lack". An instance that asked may hold
   * edits the others missed too (both were cut off from Redis); it answers this with an update
   * and never asks back, so the exchange ends there.
   */
  AskBack = 3,
  /**
   * An update the sending instance checked and sends on before it applies it: a device's small
   * edit that no guard corrects (`Relay#checked`). It may go out to this instance's devices
   * before it is applied here too.
   */
  Relayed = 4,
}

/** Bytes that name an instance in each message, so that it skips its own. */
const INSTANCE_BYTES = 16

/** The longest a room waits to ask what it lacks after a message of an unknown kind. */
const ASK_AGAIN_MS = 1000

/** The origin of changes that came from another instance: never published again. */
const FROM_REDIS = Symbol('from another instance')

/**
 * Rooms shared between server instances through Redis pub/sub, the way Hocuspocus' Redis
 * extension does: each instance keeps its own copy of a room, publishes every change its copy
 * takes (updates already checked against the sender's role and the limits, and presence) on the
 * room's channel (a device's small edit as it came, before this instance applies it), and
 * applies what the others publish. Pub/sub delivers at most once and only while connected, so
 * whatever an instance may have missed is asked for again: when it opens a room, and for every
 * open room after each (re)connection to Redis, it publishes its state vector and the others
 * answer with what it lacks. Yjs ignores what it already has, so a message that arrives twice
 * changes nothing. PostgreSQL stays the durable copy: each instance saves what its room holds.
 */
export class RedisRooms {
  readonly #pub: Redis
  readonly #sub: Redis
  readonly #id = randomBytes(INSTANCE_BYTES)
  readonly #rooms = new Map<string, { room: Room; detach: () => void }>()
  /** Per connection, whether it is out of reach now (its errors are logged once per outage). */
  readonly #down = { publish: false, subscribe: false }
  #connectedOnce = false
  /** Rooms that ask for what they lack within a second (`#askSoon`). */
  readonly #asking = new WeakSet<Room>()

  constructor(
    url: string,
    private readonly log: Logger,
    private readonly access: AccessEvents,
    private readonly prefix = 'netwerkatlas',
  ) {
    // Retries forever, a second apart at most: a Redis that restarts is found again.
    const options = { retryStrategy: (times: number) => Math.min(times * 100, 1000) }
    this.#pub = new Redis(url, options)
    this.#sub = new Redis(url, options)
    for (const [name, client] of [
      ['publish', this.#pub],
      ['subscribe', this.#sub],
    ] as const) {
      client.on('error', (error: Error) => {
        if (this.#down[name]) return
        this.#down[name] = true
        this.log.warn('redis connection error', { connection: name, error: errorKind(error) })
      })
      client.on('ready', () => {
        this.#down[name] = false
      })
    }
    this.#sub.on('messageBuffer', (channel: Buffer, message: Buffer) => {
      const name = channel.toString('utf8')
      if (name === this.#accessChannel) this.#receiveAccess(message)
      else this.#receive(name, message)
    })
    this.#sub.subscribe(this.#accessChannel).catch((error: unknown) => {
      this.log.warn('redis subscribe failed', { error: errorKind(error) })
    })
    // ioredis subscribes again by itself after a reconnection; what passed meanwhile (or before
    // the first connection, with a Redis that was away at start) is asked for.
    this.#sub.on('ready', () => {
      this.log.info(this.#connectedOnce ? 'redis connected again' : 'redis connected', {
        rooms: this.#rooms.size,
      })
      this.#connectedOnce = true
      for (const { room } of this.#rooms.values()) this.#ask(room)
      this.access.catchUp()
    })
  }

  /** The channel of changes to who may be in an atlas (links, privétijd, erasure). */
  get #accessChannel(): string {
    return `${this.prefix}:access`
  }

  /** Tells the other instances that this one changed who may be in an atlas. */
  announce(atlasId: string, change: AccessChange): void {
    const message = Buffer.concat([this.#id, Buffer.from(JSON.stringify({ atlasId, change }))])
    this.#pub.publish(this.#accessChannel, message).catch((error: unknown) => {
      this.log.warn('redis publish failed', { atlas: atlasId, error: errorKind(error) })
    })
  }

  #receiveAccess(message: Buffer): void {
    if (message.subarray(0, INSTANCE_BYTES).equals(this.#id)) return
    let parsed: { atlasId?: unknown; change?: AccessChange }
    try {
      parsed = JSON.parse(message.subarray(INSTANCE_BYTES).toString('utf8'))
    } catch {
      this.log.error('redis message failed', { error: 'not JSON' })
      return
    }
    if (typeof parsed.atlasId !== 'string' || typeof parsed.change !== 'object') return
    const change = parsed.change ?? {}
    this.access.changed(parsed.atlasId, {
      privateTime: typeof change.privateTime === 'boolean' ? change.privateTime : undefined,
      erased: change.erased === true,
    })
  }

  #channel(key: string): string {
    return `${this.prefix}:room:${key}`
  }

  /** Shares a room just loaded; it stops being shared when its document is destroyed. */
  attach(room: Room): void {
    const key = room.id
    room.relay = {
      checked: (update) => this.#publish(key, Kind.Relayed, update),
      changed: (update, origin) => {
        if (origin !== FROM_REDIS) this.#publish(key, Kind.Update, update)
      },
    }
    const onPresence = (
      { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
      origin: unknown,
    ) => {
      if (origin === FROM_REDIS) return
      const changed = [...added, ...updated, ...removed]
      if (changed.length > 0) {
        this.#publish(key, Kind.Presence, encodeAwarenessUpdate(room.awareness, changed))
      }
    }
    room.awareness.on('update', onPresence)
    const detach = () => {
      room.relay = undefined
      room.awareness.off('update', onPresence)
      if (this.#rooms.get(key)?.room === room) {
        this.#rooms.delete(key)
        this.#sub.unsubscribe(this.#channel(key)).catch(() => {})
      }
    }
    this.#rooms.set(key, { room, detach })
    room.doc.once('destroy', detach)
    // Not awaited: without Redis the room still serves this instance's devices, and ioredis
    // sends the subscription once it is connected (whose 'ready' asks for what passed).
    this.#sub.subscribe(this.#channel(key)).then(
      // Subscribed first: what the others publish from now on arrives; the answer covers before.
      () => this.#ask(room),
      (error: unknown) => {
        this.log.warn('redis subscribe failed', { atlas: key, error: errorKind(error) })
      },
    )
  }

  #ask(room: Room): void {
    this.#publish(room.id, Kind.Ask, Y.encodeStateVector(room.doc))
  }

  /** Asks for what a room lacks within a second: the messages of that second share one ask. */
  #askSoon(room: Room): void {
    if (this.#asking.has(room)) return
    this.#asking.add(room)
    setTimeout(() => {
      this.#asking.delete(room)
      if (this.#rooms.get(room.id)?.room === room) this.#ask(room)
    }, ASK_AGAIN_MS).unref()
  }

  #publish(key: string, kind: Kind, payload: Uint8Array): void {
    const message = Buffer.concat([Buffer.from([kind]), this.#id, payload])
    // Offline, ioredis queues it until it is connected again; a failure is logged, the room goes on.
    this.#pub.publish(this.#channel(key), message).catch((error: unknown) => {
      this.log.warn('redis publish failed', { atlas: key, error: errorKind(error) })
    })
  }

  #receive(channel: string, message: Buffer): void {
    const prefix = `${this.prefix}:room:`
    if (!channel.startsWith(prefix) || message.length < 1 + INSTANCE_BYTES) return
    if (message.subarray(1, 1 + INSTANCE_BYTES).equals(this.#id)) return
    const entry = this.#rooms.get(channel.slice(prefix.length))
    if (!entry) return
    const { room } = entry
    const payload = new Uint8Array(message.subarray(1 + INSTANCE_BYTES))
    try {
      switch (message[0]) {
        case Kind.Update:
          Y.applyUpdate(room.doc, payload, FROM_REDIS)
          break
        case Kind.Relayed:
          room.applyRelayed(payload, FROM_REDIS)
          break
        case Kind.Ask:
          this.#publish(room.id, Kind.Update, Y.encodeStateAsUpdate(room.doc, payload))
          this.#publish(room.id, Kind.AskBack, Y.encodeStateVector(room.doc))
          break
        case Kind.AskBack:
          this.#publish(room.id, Kind.Update, Y.encodeStateAsUpdate(room.doc, payload))
          break
        case Kind.Presence:
          applyAwarenessUpdate(room.awareness, payload, FROM_REDIS)
          break
        default:
          // A kind this version does not know (a newer instance's, during an upgrade): it may
          // have carried an edit, so what this instance lacks is asked for, once a second at most.
          this.#askSoon(room)
      }
    } catch (error) {
      // Only instances of this installation publish here; a message that does not apply is
      // logged by kind and dropped, and the room goes on.
      this.log.error('redis message failed', { atlas: room.id, error: errorKind(error) })
    }
  }

  /** Closes both connections. */
  async close(): Promise<void> {
    for (const { detach } of [...this.#rooms.values()]) detach()
    this.#pub.disconnect()
    this.#sub.disconnect()
  }
}
