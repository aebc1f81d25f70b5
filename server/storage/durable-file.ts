import { randomBytes } from 'node:crypto'
import { type FileHandle, open, readFile, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { Adapter } from 'lowdb'

/** fsyncs a directory so that a rename inside it survives a power cut. */
export async function fsyncDir(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined
  try {
    handle = await open(dir, 'r')
    await handle.sync()
  } catch (error) {
    // Some platforms (Windows) cannot open or sync a directory; the rename is still atomic there.
    if (!isUnsupportedDirSync(error)) throw error
  } finally {
    await handle?.close()
  }
}

function isUnsupportedDirSync(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code
  return code === 'EISDIR' || code === 'EPERM' || code === 'EINVAL' || code === 'EBADF'
}

/**
 * Replaces `path` with `data` so that after a crash the file holds either the old or the new
 * content, never a mix: write a temp file in the same folder, fsync it, rename it over the
 * target, fsync the folder.
 */
export async function writeFileDurably(
  path: string,
  data: string | Uint8Array | readonly Uint8Array[],
): Promise<void> {
  const dir = dirname(path)
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    const handle = await open(temp, 'wx', 0o600)
    try {
      if (typeof data === 'string' || data instanceof Uint8Array) await handle.writeFile(data)
      else for (const piece of data) await writeWhole(handle, piece)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
  await fsyncDir(dir)
}

/** Writes all of `bytes` at the handle's position; a write that takes nothing is an error. */
async function writeWhole(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let done = 0
  while (done < bytes.byteLength) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.byteLength - done)
    if (bytesWritten === 0) throw Object.assign(new Error('nothing written'), { code: 'ENOSPC' })
    done += bytesWritten
  }
}

/** The problem of a `CorruptFileError` whose bytes are there but are not JSON. */
export const NOT_JSON = 'not valid JSON'

/** A file's JSON could not be parsed (or opened); the message names the file, never its content. */
export class CorruptFileError extends Error {
  override name = 'CorruptFileError'
  constructor(
    readonly path: string,
    readonly problem = NOT_JSON,
  ) {
    super(`${path} is ${problem}`)
  }
}

/** How a file's text becomes its bytes on disk and back (encryption at rest); UTF-8 without it. */
export interface FileCodec {
  encode(text: string): Uint8Array
  /** Throws if the bytes do not decode (another key, damaged bytes). */
  decode(bytes: Uint8Array): string
}

/**
 * A lowdb adapter for one JSON file with durable writes (see `writeFileDurably`). lowdb's own
 * `JSONFile` renames a temp file but never fsyncs, so an acknowledged write could vanish in a
 * crash. Writes through one adapter are applied in order.
 */
export class DurableJSONFile<T> implements Adapter<T> {
  #queue: Promise<unknown> = Promise.resolve()

  constructor(
    readonly path: string,
    private readonly codec?: FileCodec,
  ) {}

  async read(): Promise<T | null> {
    let bytes: Buffer
    try {
      bytes = await readFile(this.path)
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return null
      throw error
    }
    let text: string
    try {
      text = this.codec ? this.codec.decode(bytes) : bytes.toString('utf8')
    } catch {
      throw new CorruptFileError(this.path, 'not readable with this key')
    }
    try {
      return JSON.parse(text) as T
    } catch {
      throw new CorruptFileError(this.path)
    }
  }

  write(data: T): Promise<void> {
    const text = JSON.stringify(data)
    const bytes = this.codec ? this.codec.encode(text) : text
    const next = this.#queue.then(() => writeFileDurably(this.path, bytes))
    this.#queue = next.catch(() => {})
    return next
  }
}
