import { Worker } from 'node:worker_threads'
import { errorKind, type Logger } from '../log'
import type { AtlasFileState, ImportLimits } from './importAtlas'

/** Imports waiting for the worker at most; more are turned away (503) rather than queued. */
const MAX_WAITING = 4
/** Longest one import may run; a file that takes longer is refused. */
const IMPORT_TIMEOUT_MS = 60_000
/** Heap of the import worker: a hostile file exhausts this thread's memory, not the server's. */
const WORKER_HEAP_MB = 1024

/** What the import worker answers, or why it could not. */
export type ImportRun = AtlasFileState | { ok: false; status: 500 | 503; error: string }

/**
 * Where the worker's code is: beside this module, as the built server's `import-worker.mjs`
 * (server/build.ts), or as TypeScript when the server runs from source (tests, `dev:server`).
 */
function startWorker(workerData: unknown, transferList: ArrayBuffer[]): Worker {
  const fromSource = import.meta.url.endsWith('.ts')
  const options = {
    workerData,
    transferList,
    // A larger young generation: fewer scavenges while millions of small objects are made.
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: 64 },
  }
  if (!fromSource) return new Worker(new URL('./import-worker.mjs', import.meta.url), options)
  const source = new URL('./importWorker.ts', import.meta.url).href
  // From source the thread needs tsx's loader, which a worker only gets by registering it itself.
  return new Worker(
    `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}) })`,
    { ...options, eval: true },
  )
}

/** Size of each part of a body that comes without a Content-Length (chunked). */
const PART_BYTES = 1024 * 1024

/**
 * A request body in parts of its own, filled chunk by chunk as the bytes arrive: each copy on
 * the event loop is one chunk's. (`Request.arrayBuffer()` copies 20 MB twice in one go once the
 * last byte is in, ~150 ms on our machines with every room of the server waiting.) With a
 * Content-Length the body is one part of that size from the start; without, it is parts of
 * `PART_BYTES`, never copied again here: the import worker joins them, off the event loop. The
 * caller's body limit refuses a body past `maxBytes`; no part is larger, whatever the header says.
 */
export async function readBodyParts(request: Request, maxBytes: number): Promise<Uint8Array[]> {
  const parts: Uint8Array[] = []
  if (!request.body) return parts
  const declared = Number(request.headers.get('content-length'))
  const partBytes = Math.max(1, Math.min(PART_BYTES, maxBytes))
  let part = new Uint8Array(
    Number.isSafeInteger(declared) && declared > 0 ? Math.min(declared, maxBytes) : partBytes,
  )
  let filled = 0
  const reader = request.body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    let chunk = value
    while (chunk.byteLength > 0) {
      if (filled === part.byteLength) {
        parts.push(part)
        part = new Uint8Array(partBytes)
        filled = 0
      }
      const taken = Math.min(chunk.byteLength, part.byteLength - filled)
      part.set(taken === chunk.byteLength ? chunk : chunk.subarray(0, taken), filled)
      filled += taken
      chunk = chunk.subarray(taken)
    }
  }
  if (filled > 0) parts.push(filled === part.byteLength ? part : part.subarray(0, filled))
  return parts
}

/** One file in a fresh worker thread, ended after `IMPORT_TIMEOUT_MS`. */
function runInWorker(parts: Uint8Array[], limits: ImportLimits, log: Logger): Promise<ImportRun> {
  return new Promise((resolve) => {
    // The parts move to the worker (no copy); the caller does not use them again. A part that is
    // a view of a larger buffer (the last one, a body shorter than its Content-Length) is copied:
    // moving its buffer could take bytes the view does not own.
    const own = parts.map((part) =>
      part.byteOffset === 0 && part.byteLength === part.buffer.byteLength ? part : part.slice(),
    )
    const worker = startWorker(
      { parts: own, limits },
      own.map((part) => part.buffer as ArrayBuffer),
    )
    let settled = false
    const finish = (run: ImportRun) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      void worker.terminate()
      resolve(run)
    }
    const timer = setTimeout(() => {
      log.warn('import refused', { reason: 'time' })
      finish({ ok: false, status: 413, error: 'The atlas file takes too long to read' })
    }, IMPORT_TIMEOUT_MS)
    worker.once('message', (result: AtlasFileState) => finish(result))
    worker.once('error', (error: Error & { code?: string }) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        log.warn('import refused', { reason: 'memory' })
        finish({ ok: false, status: 413, error: 'The atlas file needs too much memory to read' })
      } else {
        log.error('import failed', { error: errorKind(error) })
        finish({ ok: false, status: 500, error: 'The atlas file could not be read on the server' })
      }
    })
    worker.once('exit', () =>
      finish({ ok: false, status: 500, error: 'The atlas file could not be read on the server' }),
    )
  })
}

/**
 * Runs imports one at a time in a worker thread (the server has few cores to spare, and a second
 * parse would only slow the first), with a short queue.
 */
export class ImportRunner {
  #running: Promise<unknown> = Promise.resolve()
  #waiting = 0

  constructor(
    private readonly limits: ImportLimits,
    private readonly log: Logger,
  ) {}

  /**
   * Reads an atlas file, given in parts (`readBodyParts`), off the event loop; the parts are
   * handed over to the worker.
   */
  run(parts: Uint8Array[]): Promise<ImportRun> {
    if (this.#waiting >= MAX_WAITING) {
      return Promise.resolve({
        ok: false,
        status: 503,
        error: 'The server is reading other atlas files; try again in a minute',
      })
    }
    this.#waiting++
    const next = this.#running.then(() => {
      this.#waiting--
      return runInWorker(parts, this.limits, this.log)
    })
    this.#running = next.catch(() => {})
    return next
  }
}
