import { editUrl, linkUrl, parseLink, type Role } from '../../shared/api/atlases'
import { ApiFailure, fetchAtlasInfo } from '../lib/api'
import {
  forgetSecrets,
  getRecentAtlas,
  rememberSecret,
  secretOf,
  strongestSecret,
} from '../lib/recentAtlases'
import { removeLocalCopies } from '../sync/localCopy'
import type { DocAccess } from '../sync/useSyncedDoc'

/*
 * An edit link also carries the view secret. The client keeps the secrets in localStorage (the
 * home page's list opens the atlas again) and leaves in the address bar the link of the role the
 * page has: an edit page the edit link, a view page the view link (also on a device that holds the
 * edit secret), a page opened from the list the link of its role. People share by copying the
 * address bar, so that address must open the same role on another device. The fragment is never
 * part of a request, and every answer and the page say `Referrer-Policy: no-referrer`, so not even
 * the atlas's path leaves through a link. A link pasted over the page's own (only the fragment
 * changes) is read again. When the server refuses the page's link (4401), the page asks `GET
 * /api/atlases/:id` once before it says "Deze link werkt niet": a rotation closes the device's own
 * old socket too, and the page then goes on with the new secret instead.
 *
 * The link in the address bar becomes `AtlasAccess` (role, secret) for every screen of an atlas
 * (`useAtlasAccess`). "Wie heeft een link?" holds "Wie heeft mijn atlas geopend?" and "Atlas
 * verwijderen"; the privétijd waiting screen is asked for with
 * `useAccessControl().refuse('private-time')` on a 4403 or a 423.
 */

/** What this device may do in the atlas, and the secret it uses for it. */
export interface AtlasAccess extends DocAccess {
  title: string
  /** The id of this page's link, as the server told it (unknown when opened offline). */
  linkId?: string
  /** An edit page's view secret, when the device has it (the first links of an atlas carry it). */
  viewToken?: string
}

/** Why an atlas could not be opened; `erased`: it was deleted (and this device's copy with it). */
export type AccessProblem = 'bad-link' | 'offline-unknown' | 'erased'

/** Where the access of an atlas page stands. */
export type AccessState =
  | { kind: 'loading' }
  /** `unconfirmed`: opened from this device's copy while the server could not be reached. */
  | { kind: 'ready'; access: AtlasAccess; unconfirmed?: true }
  | { kind: 'problem'; problem: AccessProblem }
  /** A professional's link during privétijd: the server gives it nothing until it ends. */
  | { kind: 'private-time'; id: string; role: Role; token: string }

/**
 * The link for the role this page has: what the address bar shows, so an address copied from it
 * opens the same role on another device. A page opened with a view (or professional) link never
 * shows the edit secret, even when this device holds it.
 */
export function linkFor(access: AtlasAccess): string {
  return access.role === 'edit'
    ? editUrl(access.id, access.token, access.viewToken)
    : linkUrl(access.id, access.role, access.token)
}

/**
 * Works out access from the link (fragment) or from this device, and asks the server what the
 * secret may do. The link decides the role: a view link never upgrades itself with an edit
 * secret this device may hold. Without a link, the strongest secret the device holds opens the
 * atlas. Without a server, an atlas this device knows opens from its own copy.
 */
export async function resolveAccess(id: string, hash: string): Promise<AccessState> {
  const known = getRecentAtlas(id)
  const fromLink = parseLink(hash)
  const chosen = fromLink ?? strongestSecret(known)
  if (!chosen) return { kind: 'problem', problem: 'bad-link' }
  const { token } = chosen
  const viewToken =
    chosen.role === 'edit' ? (fromLink?.viewToken ?? secretOf(known, 'view')) : undefined
  try {
    const info = await fetchAtlasInfo(id, token)
    // The server knows the role of a secret; a fragment could name another.
    const role = info.role
    rememberSecret({ id, title: info.title, role, token })
    if (role === 'edit' && viewToken)
      rememberSecret({ id, title: info.title, role, token: viewToken }, 'view')
    return {
      kind: 'ready',
      access: {
        id,
        title: info.title,
        role,
        token,
        linkId: info.linkId,
        ...(role === 'edit' ? { viewToken } : {}),
      },
    }
  } catch (err) {
    if (!(err instanceof ApiFailure)) return { kind: 'problem', problem: 'bad-link' }
    if (err.status === 410) {
      await removeLocalCopies(id)
      return { kind: 'problem', problem: 'erased' }
    }
    if (err.status === 423) return { kind: 'private-time', id, role: chosen.role, token }
    if (err.status === 0) {
      if (!known) return { kind: 'problem', problem: 'offline-unknown' }
      const access = { id, title: known.title, role: chosen.role, token }
      return {
        kind: 'ready',
        access: chosen.role === 'edit' ? { ...access, viewToken } : access,
        unconfirmed: true,
      }
    }
    // This secret will never work again: the device stops offering it.
    if (err.status === 404) forgetSecrets(id, [{ role: chosen.role, token }])
    return { kind: 'problem', problem: 'bad-link' }
  }
}
