/**
 * The part of a plan document that only the server writes: the piketpaaltjes, the approvals and
 * privétijd. They are kept in the atlas's metadata (where no client can write) and mirrored into
 * the plan's `server` map, so every device sees them live and offline. A client's change to that
 * map is undone by writing the mirror again, as a change on top: every device converges on it.
 */
import * as Y from 'yjs'
import { SERVER_KEY, type ServerPart } from '../../shared/plan/layout'
import { jsonEqual } from '../../shared/sync/records'
import type { AtlasMeta } from '../storage/types'

/** Origin of the server's own transactions on a plan document. */
export const SERVER_ORIGIN = Symbol('server')

/** The server part of a plan, as the metadata holds it. */
export function serverPartOf(meta: AtlasMeta): ServerPart {
  return {
    piketpaaltjes: meta.piketpaaltjes,
    approvals: meta.approvals,
    privateTime: meta.privateTime,
  }
}

/** Writes the server part into a plan document (only what differs), as the server. */
export function writeServerPart(doc: Y.Doc, part: ServerPart): void {
  const map = doc.getMap(SERVER_KEY)
  doc.transact(() => {
    for (const key of map.keys()) if (!(key in part)) map.delete(key)
    for (const [key, value] of Object.entries(part)) {
      const current = map.get(key)
      const plain = current instanceof Y.AbstractType ? current.toJSON() : current
      if (current instanceof Y.AbstractType || !jsonEqual(plain, value)) map.set(key, value)
    }
  }, SERVER_ORIGIN)
}

/**
 * Undoes any change to the server part that the server did not make, by writing `truth()` again
 * right after the transaction (in the same turn, so both go out as one message). Returns the
 * function that stops it.
 */
export function guardServerPart(
  doc: Y.Doc,
  truth: () => ServerPart | undefined,
  events: { undone(origin: unknown): void; failed(error: unknown): void },
): () => void {
  const map = doc.getMap(SERVER_KEY)
  const handler = (tr: Y.Transaction) => {
    if (tr.origin === SERVER_ORIGIN) return
    try {
      let touched = false
      for (const type of tr.changed.keys()) {
        if (rootOf(type) === map) {
          touched = true
          break
        }
      }
      const part = touched ? truth() : undefined
      if (!part) return
      writeServerPart(doc, part)
      events.undone(tr.origin)
    } catch (error) {
      events.failed(error)
    }
  }
  doc.on('afterTransaction', handler)
  return () => doc.off('afterTransaction', handler)
}

/** The top-level type a (nested) type lives in. */
// biome-ignore lint/suspicious/noExplicitAny: the event type of a type is irrelevant here
function rootOf(type: Y.AbstractType<any>): unknown {
  let t = type
  while (t._item?.parent instanceof Y.AbstractType) t = t._item.parent
  return t
}
