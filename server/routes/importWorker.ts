/**
 * The import worker's thread: reads one atlas file and posts the result back. A thread of its own
 * so that parsing a large file never holds up the event loop, where every open atlas is served.
 */
import { constants, setPriority } from 'node:os'
import { parentPort, workerData } from 'node:worker_threads'
import { atlasFileState, type ImportLimits } from './importAtlas'

// On a server with one core to spare, the parse still competes with the event loop: the lowest
// priority lets every open atlas go first. On Linux a nice value is the calling thread's own, so
// this leaves the event loop's as it is; where it is refused the parse runs at the usual priority.
try {
  setPriority(constants.priority.PRIORITY_LOW)
} catch {
  // Not permitted here: no harm.
}

const { parts, limits } = workerData as { parts: Uint8Array[]; limits: ImportLimits }
// A body read without a Content-Length comes in parts: joined here, off the event loop, and let go.
const file = parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts)
parts.length = 0
const result = atlasFileState(file, limits)
const moved = result.ok ? [result.state, ...(result.planState ? [result.planState] : [])] : []
parentPort?.postMessage(
  result,
  moved.map((bytes) => bytes.buffer as ArrayBuffer),
)
