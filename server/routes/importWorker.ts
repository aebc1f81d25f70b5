/**
 * The import worker's thread: reads one atlas file and posts the result back. A thread of its own
 * so that parsing a large file never holds up the event loop, where every open atlas is served.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { atlasFileState, type ImportLimits } from './importAtlas'

const { bytes, limits } = workerData as { bytes: Uint8Array; limits: ImportLimits }
const result = atlasFileState(bytes, limits)
const moved = result.ok ? [result.state, ...(result.planState ? [result.planState] : [])] : []
parentPort?.postMessage(
  result,
  moved.map((bytes) => bytes.buffer as ArrayBuffer),
)
