/**
 * The import worker's thread: reads one atlas file and posts the result back. A thread of its own
 * so that parsing a large file never holds up the event loop, where every open atlas is served.
 */
import { setPriority } from 'node:os'
import { parentPort, workerData } from 'node:worker_threads'
import { atlasFileState, type ImportLimits } from './importAtlas'

// The lowest priority for this thread (on Linux a priority is a thread's own): on a server with
// few cores the rooms' event loop then gets a core first, and the import what is left.
try {
  setPriority(19)
} catch {
  // Not allowed here: the import runs at the server's priority.
}

const { bytes, limits } = workerData as { bytes: Uint8Array; limits: ImportLimits }
const result = atlasFileState(bytes, limits)
parentPort?.postMessage(result, result.ok ? [result.state.buffer as ArrayBuffer] : [])
