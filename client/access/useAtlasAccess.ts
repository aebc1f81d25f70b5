import { useEffect, useState } from 'react'
import { isProfessionalRole } from '../../shared/api/atlases'
import { ApiFailure, fetchAtlasInfo } from '../lib/api'
import { forgetSecrets, rememberSecret } from '../lib/recentAtlases'
import { removeLocalCopies } from '../sync/localCopy'
import { type AccessState, type AtlasAccess, linkFor, resolveAccess } from './access'
import type { AccessControl } from './control'

/**
 * The access of one atlas page: resolves the link in the address bar (again when only the
 * fragment changes), keeps the link of the page's role in the address bar, and answers the
 * screens' refusals, rotations and handovers.
 */
export function useAtlasAccess(id: string): {
  state: AccessState
  control: AccessControl
  /** Resolves the link again (after privétijd). */
  retry: () => void
} {
  const [state, setState] = useState<AccessState>({ kind: 'loading' })
  const [machine] = useState(() => new AccessMachine(setState))
  // A new object at every change, so the same fragment pasted again is read again.
  const [fragment, setFragment] = useState(() => ({ hash: window.location.hash }))

  useEffect(() => {
    // A link of this atlas pasted into the address bar changes only the fragment: the browser
    // does not load the page again, so the page reads the new link itself.
    const onHashChange = () => {
      machine.set({ kind: 'loading' })
      setFragment({ hash: window.location.hash })
    }
    window.addEventListener('hashchange', onHashChange)
    return () => window.removeEventListener('hashchange', onHashChange)
  }, [machine])

  useEffect(() => {
    let live = true
    void resolveAccess(id, fragment.hash).then((s) => {
      if (!live) return
      // The secrets stay in the fragment (never sent to a server): the address bar holds a link
      // that works elsewhere, also for a page opened from the home page's list (no fragment).
      if (s.kind === 'ready') showLink(s.access)
      machine.set(s)
      // The server may have stopped the link or deleted the atlas meanwhile: it is asked as soon
      // as it can be reached (a deleted atlas's upgrade gets 410, which a socket cannot read).
      if (s.kind === 'ready' && s.unconfirmed) machine.confirm()
    })
    return () => {
      live = false
    }
  }, [id, fragment, machine])

  return { state, control: machine, retry: () => setFragment({ hash: window.location.hash }) }
}

/** The state of a page's access with the answers to its screens; one per page. */
class AccessMachine implements AccessControl {
  private current: AccessState = { kind: 'loading' }
  private changingLinks: Promise<void> | null = null

  constructor(private readonly publish: (state: AccessState) => void) {}

  set(next: AccessState): void {
    this.current = next
    this.publish(next)
  }

  refuse: AccessControl['refuse'] = (why) => {
    const now = this.current
    if (now.kind !== 'ready') return
    if (why === 'private-time') this.waitForPrivateTime(now.access)
    else if (why === 'erased') this.erased(now.access.id)
    else void this.checkRefusal()
  }

  /**
   * The atlas was deleted: the screen (and with it the device's copy, which it holds open) goes
   * first, then the copy and the links are removed.
   */
  erased(id: string): void {
    this.set({ kind: 'problem', problem: 'erased' })
    setTimeout(() => void removeLocalCopies(id), 0)
  }

  whileChangingLinks: AccessControl['whileChangingLinks'] = (change) => {
    const settled = () => {
      if (this.changingLinks === tracked) this.changingLinks = null
    }
    const tracked: Promise<void> = change.then(settled, settled)
    this.changingLinks = tracked
    return change
  }

  switchTo: AccessControl['switchTo'] = (link, { forget = [] } = {}) => {
    const now = this.current
    if (now.kind !== 'ready') return
    const { access } = now
    forgetSecrets(
      access.id,
      forget.map((role) => ({ role })),
    )
    rememberSecret({ id: access.id, title: access.title, role: link.role, token: link.token })
    const viewToken =
      link.role === 'edit' && !forget.includes('view') ? access.viewToken : undefined
    const next: AtlasAccess = {
      id: access.id,
      title: access.title,
      role: link.role,
      token: link.token,
      ...(viewToken ? { viewToken } : {}),
    }
    showLink(next)
    this.set({ kind: 'ready', access: next })
  }

  private waitForPrivateTime(access: AtlasAccess): void {
    // Only professionals leave the room; the server never shuts out another role.
    if (!isProfessionalRole(access.role)) return
    this.set({ kind: 'private-time', id: access.id, role: access.role, token: access.token })
  }

  /** Asks the server whether the page's link still works, until it answers (see `checkRefusal`). */
  confirm(): void {
    void this.checkRefusal()
  }

  /**
   * A socket of the secret this device is replacing closes with 4401 too: wait for the change,
   * then ask the server about the secret the page holds by then. One round trip, so a revoked
   * link's page still says so well within a second.
   */
  private async checkRefusal(): Promise<void> {
    while (this.changingLinks) await this.changingLinks
    const then = this.current
    if (then.kind !== 'ready') return
    const { access } = then
    try {
      await fetchAtlasInfo(access.id, access.token)
      // Still valid: the refusal was of a secret this page no longer uses.
    } catch (err) {
      if (this.current !== then) return
      if (err instanceof ApiFailure && err.status === 423) {
        this.waitForPrivateTime(access)
        return
      }
      if (err instanceof ApiFailure && err.status === 410) {
        this.erased(access.id)
        return
      }
      // The server was not reached (or failed): ask again in a moment, never call a link dead
      // on a dropped network.
      if (err instanceof ApiFailure && (err.status === 0 || err.status >= 500)) {
        setTimeout(() => {
          if (this.current === then) void this.checkRefusal()
        }, RECHECK_MS)
        return
      }
      if (err instanceof ApiFailure && err.status === 404)
        forgetSecrets(access.id, [{ role: access.role, token: access.token }])
      this.set({ kind: 'problem', problem: 'bad-link' })
    }
  }
}

/** How long a page waits to ask again whether a refused link still works, when it got no answer. */
const RECHECK_MS = 3000

/**
 * Puts the link of the page's role into the address bar (no navigation, no hashchange). Only
 * the fragment changes: the atlas's other screens (`/atlas/<id>/plan`, …) keep their path.
 */
function showLink(access: AtlasAccess): void {
  const link = linkFor(access)
  const fragment = link.slice(link.indexOf('#'))
  window.history.replaceState(window.history.state, '', window.location.pathname + fragment)
}
