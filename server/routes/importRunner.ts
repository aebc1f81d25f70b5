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

/** Size of the first buffer when a body comes without a Content-Length (chunked). */
const FIRST_BUFFER_BYTES = 64 * 1024

/**
 * A request body as one buffer of its own, filled chunk by chunk as the bytes arrive. Reading it
 * with `Request.arrayBuffer()` copies 20 MB twice in one go on the event loop once the last byte
 * is in (~150 ms on our machines, every room of the server waiting); here each copy is one
 * chunk's. With a Content-Length the buffer has that size from the start and no copy remains;
 * without, it doubles as needed. The caller's body limit refuses a body past `maxBytes`; the
 * first buffer is never larger, whatever the header says.
 */
export async function readBodyBytes(request: Request, maxBytes: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array(0)
  const declared = Number(request.headers.get('content-length'))
  let buffer = new Uint8Array(
    Number.isSafeInteger(declared) && declared > 0
      ? Math.min(declared, maxBytes)
      : Math.min(FIRST_BUFFER_BYTES, maxBytes),
  )
  let length = 0
  const reader = request.body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    if (length + value.byteLength > buffer.byteLength) {
      const grown = new Uint8Array(Math.max(buffer.byteLength * 2, length + value.byteLength))
      grown.set(buffer.subarray(0, length))
      buffer = grown
    }
    buffer.set(value, length)
    length += value.byteLength
  }
  return length === buffer.byteLength ? buffer : buffer.slice(0, length)
}

/** One file in a fresh worker thread, ended after `IMPORT_TIMEOUT_MS`. */
function runInWorker(bytes: Uint8Array, limits: ImportLimits, log: Logger): Promise<ImportRun> {
  return new Promise((resolve) => {
    // The bytes move to the worker (no copy); the caller does not use them again.
    const copy = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    const own = copy ? bytes : bytes.slice()
    const worker = startWorker({ bytes: own, limits }, [own.buffer as ArrayBuffer])
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

  /** Reads an atlas file off the event loop; `bytes` are handed over to the worker. */
  run(bytes: Uint8Array): Promise<ImportRun> {
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
      return runInWorker(bytes, this.limits, this.log)
    })
    this.#running = next.catch(() => {})
    return next
  }
}
