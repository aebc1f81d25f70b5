/**
 * Edit → applied latency across replicas in one process (one clock). A writer moves a shape to
 * x = BASE + seq; every watcher, after each update it applies, reads the x of the shapes it
 * follows and records, for every seq it had not seen yet, the time since that seq was written.
 */
import * as Y from 'yjs'
import { moveShape, shapeX } from './shapes'

/** Moved shapes get x values above any seeded coordinate, so a seq is read straight from x. */
const BASE = 1_000_000

interface Track {
  next: number
  /** performance.now() and Date.now() when each seq was written. */
  sentPerf: number[]
  sentWall: number[]
  /** Date.now() when the first watcher applied each seq. */
  firstSeenWall: number[]
}

export class LatencyProbe {
  readonly #tracks = new Map<string, Track>()
  /** Latencies (ms) of the edits written while recording. */
  samples: number[] = []
  recording = false
  /** Seqs written while recording, per shape: [first, last). */
  readonly #window = new Map<string, [number, number]>()

  #track(id: string): Track {
    let track = this.#tracks.get(id)
    if (!track) {
      track = { next: 0, sentPerf: [], sentWall: [], firstSeenWall: [] }
      this.#tracks.set(id, track)
    }
    return track
  }

  /** Moves shape `id` in `doc` to its next position and notes when. */
  write(doc: Y.Doc, id: string): void {
    const track = this.#track(id)
    const seq = track.next++
    track.sentPerf[seq] = performance.now()
    track.sentWall[seq] = Date.now()
    if (this.recording) {
      const span = this.#window.get(id)
      if (span) span[1] = seq + 1
      else this.#window.set(id, [seq, seq + 1])
    }
    moveShape(doc, id, BASE + seq, (seq % 200) * 3)
  }

  /** Makes `doc` a watcher of the given shapes. Returns the function that stops watching. */
  watch(doc: Y.Doc, ids: string[]): () => void {
    const lastSeen = new Map<string, number>()
    const onUpdate = () => {
      const now = performance.now()
      for (const id of ids) {
        const x = shapeX(doc, id)
        if (x === undefined || x < BASE) continue
        const seq = x - BASE
        const last = lastSeen.get(id) ?? -1
        if (seq <= last) continue
        lastSeen.set(id, seq)
        const track = this.#track(id)
        const span = this.#window.get(id)
        for (let s = last + 1; s <= seq; s++) {
          track.firstSeenWall[s] ??= Date.now()
          const sent = track.sentPerf[s]
          if (sent !== undefined && span && s >= span[0] && s < span[1]) {
            this.samples.push(now - sent)
          }
        }
      }
    }
    doc.on('update', onUpdate)
    return () => doc.off('update', onUpdate)
  }

  /** True once every watcher in `docs` holds the last write of every shape. */
  caughtUp(docs: Y.Doc[]): boolean {
    for (const [id, track] of this.#tracks) {
      if (track.next === 0) continue
      const want = BASE + track.next - 1
      for (const doc of docs) if (shapeX(doc, id) !== want) return false
    }
    return true
  }

  /** Every recorded edit with its write time and the time a watcher first applied it (wall clock). */
  recordedEdits(): { sentWall: number; seenWall: number }[] {
    const out: { sentWall: number; seenWall: number }[] = []
    for (const [id, [from, to]] of this.#window) {
      const track = this.#track(id)
      for (let s = from; s < to; s++) {
        const sentWall = track.sentWall[s]
        const seenWall = track.firstSeenWall[s]
        if (sentWall !== undefined && seenWall !== undefined) out.push({ sentWall, seenWall })
      }
    }
    return out
  }

  /** Edits written while recording. */
  get recordedCount(): number {
    let n = 0
    for (const [from, to] of this.#window.values()) n += to - from
    return n
  }
}

/** Calls `tick` at `hz` until `stop()` is called, catching up on missed ticks without bursts. */
export function every(hz: number, tick: () => void, phaseMs = 0): { stop(): void } {
  const period = 1000 / hz
  let next = performance.now() + phaseMs
  let timer: ReturnType<typeof setTimeout> | undefined
  let stopped = false
  const loop = () => {
    if (stopped) return
    tick()
    next += period
    const now = performance.now()
    // A late tick moves the schedule rather than firing a burst.
    if (next < now) next = now
    timer = setTimeout(loop, next - now)
  }
  timer = setTimeout(loop, phaseMs)
  return {
    stop() {
      stopped = true
      clearTimeout(timer)
    },
  }
}

/** Whether two docs hold the same content: same state vector. */
export function sameStateVector(a: Y.Doc, b: Y.Doc): boolean {
  const va = Y.decodeStateVector(Y.encodeStateVector(a))
  const vb = Y.decodeStateVector(Y.encodeStateVector(b))
  if (va.size !== vb.size) return false
  for (const [client, clock] of va) if (vb.get(client) !== clock) return false
  return true
}

/**
 * Edit → applied latency for any kind of edit, read from the writer's clock: Yjs numbers a
 * client's changes, so an edit has reached a watcher once the watcher holds the writer's changes
 * up to the clock the writer had right after it. Needs no value that encodes a sequence number:
 * it measures a map key that cycles through a few values, or one character typed into a text.
 */
export class ClockProbe {
  /** Latencies (ms) of the edits written while recording. */
  samples: number[] = []
  recording = false
  /** The writer's clock after each edit, and performance.now() when it was made. */
  readonly #clocks: number[] = []
  readonly #sent: number[] = []
  /** Edits written while recording: [first, last). */
  #window: [number, number] | undefined

  constructor(private readonly writer: Y.Doc) {}

  /** Makes one edit in the writer (`edit` changes `writer`) and notes when. */
  write(edit: (seq: number) => void): void {
    const seq = this.#clocks.length
    const sent = performance.now()
    edit(seq)
    this.#clocks.push(Y.getState(this.writer.store, this.writer.clientID))
    this.#sent.push(sent)
    if (this.recording) {
      if (this.#window) this.#window[1] = seq + 1
      else this.#window = [seq, seq + 1]
    }
  }

  /** Makes `doc` a watcher of the writer's edits. Returns the function that stops watching. */
  watch(doc: Y.Doc): () => void {
    let next = 0
    const onUpdate = () => {
      const now = performance.now()
      const have = Y.getState(doc.store, this.writer.clientID)
      const span = this.#window
      while (next < this.#clocks.length && (this.#clocks[next] as number) <= have) {
        if (span && next >= span[0] && next < span[1]) {
          this.samples.push(now - (this.#sent[next] as number))
        }
        next++
      }
    }
    doc.on('update', onUpdate)
    return () => doc.off('update', onUpdate)
  }

  /** True once every doc in `docs` holds all the writer's changes. */
  caughtUp(docs: Y.Doc[]): boolean {
    const want = Y.getState(this.writer.store, this.writer.clientID)
    return docs.every((doc) => Y.getState(doc.store, this.writer.clientID) >= want)
  }

  /** Edits written while recording. */
  get recordedCount(): number {
    return this.#window ? this.#window[1] - this.#window[0] : 0
  }
}
