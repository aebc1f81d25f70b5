import { Role } from '../../shared/api/atlases'
import { forgetAtlas } from '../lib/recentAtlases'

/** The name of the IndexedDB database that holds a document of an atlas for one role. */
export function localCopyName(atlasId: string, room: 'atlas' | 'plan', role: Role): string {
  return `netwerkatlas:${room === 'plan' ? `${atlasId}/plan` : atlasId}:${role}`
}

/** Keys of this device's own settings per atlas (kept beside the list of atlases). */
const PER_ATLAS_KEYS = (atlasId: string) => [`netwerkatlas:plan-mine:${atlasId}`]

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name)
    // A tab of the atlas still open elsewhere keeps it until it closes; it is deleted then.
    request.onsuccess = request.onerror = request.onblocked = () => resolve()
  })
}

/**
 * Removes everything this device holds of an atlas that was deleted: its copies of the atlas and
 * the plan (for every role), its links (secrets) and its settings for it.
 */
export async function removeLocalCopies(atlasId: string): Promise<void> {
  forgetAtlas(atlasId)
  for (const key of PER_ATLAS_KEYS(atlasId)) {
    try {
      localStorage.removeItem(key)
    } catch {
      // Storage that cannot be written holds nothing to remove.
    }
  }
  const names = Role.options.flatMap((role) => [
    localCopyName(atlasId, 'atlas', role),
    localCopyName(atlasId, 'plan', role),
  ])
  await Promise.all(names.map(deleteDatabase))
}
