import { createContext, useContext } from 'react'
import type { Role } from '../../shared/api/atlases'
import type { Refusal } from '../sync/useSyncedDoc'

/** What a screen of an atlas may ask of the page's access (see `useAtlasAccess`). */
export interface AccessControl {
  /**
   * The server refused this page's link: a socket closed with 4401 or 4403, or a call answered
   * 404 or 423. A revoked link shows "Deze link werkt niet"; a professional's link during
   * privétijd shows the waiting screen, and the screen comes back by itself when it ends. A
   * deleted atlas (4410, 410) says so, and the device removes its copy and links of it.
   */
  refuse(why: Refusal): void
  /**
   * Runs a change of this device's own links (rotation, handover): a refusal of the old secret
   * that arrives meanwhile waits for it, so the page switches instead of showing an error.
   */
  whileChangingLinks<T>(change: Promise<T>): Promise<T>
  /**
   * Goes on with another secret of this atlas (a new edit link after rotation, the facilitator's
   * own link after a handover); the device forgets its secrets of the roles in `forget`.
   */
  switchTo(link: { role: Role; token: string }, options?: { forget?: readonly Role[] }): void
}

/** The access of the atlas page around a screen. */
export const AccessControlContext = createContext<AccessControl | null>(null)

/**
 * The access of the atlas page this screen is on: a screen calls `refuse('private-time')` when
 * its plan provider is refused with 4403 or a call answers 423, and the page shows the waiting
 * screen of privétijd.
 */
export function useAccessControl(): AccessControl {
  const control = useContext(AccessControlContext)
  if (!control) throw new Error('useAccessControl outside an atlas page')
  return control
}
