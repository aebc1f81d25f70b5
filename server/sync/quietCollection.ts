/**
 * Young-generation collections at a quiet moment. V8 collects the young generation when it is
 * full, in the middle of whatever runs then: often an edit on its way to the other devices,
 * which then waits the whole collection (1–5 ms). Right after a room has sent what it had, the
 * next edit is usually milliseconds away; a collection started there costs nobody a wait. So
 * once the young generation is past half full, the turn after a send collects it.
 *
 * The same work is done, only earlier and more often (each collection copies what is alive
 * then, which is about the same amount however full the space is).
 */
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

type Collect = (options: { type: 'minor'; execution: 'sync' }) => void

/** How full the young generation may be before a quiet moment collects it. */
const FULL_ENOUGH = 0.5

/**
 * The young generation is looked at no more often than this: reading it allocates (one object
 * per heap space), and busy rooms flush hundreds of times a second; a room with a drag under way
 * (~3 MB allocated a second) fills well under 1 % of the space in this time.
 */
const LOOK_EVERY_MS = 10

let collect: Collect | null | undefined
let scheduled = false
let lookedAt = Number.NEGATIVE_INFINITY

/** V8's collector as a function of this module, not on `globalThis` (`--expose-gc` would put it there). */
function collector(): Collect | null {
  if (collect !== undefined) return collect
  try {
    setFlagsFromString('--expose-gc')
    collect = runInNewContext('gc') as Collect
  } catch {
    collect = null
  }
  return collect
}

/** Asks for a look at the young generation once the sends of this turn are out. */
export function afterSends(): void {
  if (scheduled || performance.now() - lookedAt < LOOK_EVERY_MS) return
  scheduled = true
  setImmediate(collectIfFull)
}

/** Collects the young generation if it is past half full (exported for its test). */
export function collectIfFull(): void {
  scheduled = false
  lookedAt = performance.now()
  const young = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')
  if (!young) return
  const used = young.space_used_size
  if (used < FULL_ENOUGH * (used + young.space_available_size)) return
  collector()?.({ type: 'minor', execution: 'sync' })
}
