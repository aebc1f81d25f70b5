import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  editUrl,
  isProfessionalRole,
  linkUrl,
  parseLink,
  parseLinkFragment,
  type Role,
  viewUrl,
} from '../../shared/api/atlases'
import { AtlasCanvas } from '../canvas/AtlasCanvas'
import { ApiFailure, fetchAtlasInfo } from '../lib/api'
import { getRecentAtlas, type RecentAtlas, rememberAtlas } from '../lib/recentAtlases'
import { type AtlasScreen, screenUrl } from '../lib/screens'
import { MeetingScreen } from '../meeting/MeetingScreen'
import { type AtlasProblem, ErrorPage } from './ErrorPage'

/** What this device may do in the atlas, and the secrets it holds for it. */
export interface AtlasAccess {
  id: string
  title: string
  role: Role
  token: string
  editToken?: string
  viewToken?: string
}

type State =
  | { kind: 'loading' }
  | { kind: 'ready'; access: AtlasAccess }
  | { kind: 'problem'; problem: AtlasProblem }

/**
 * The link for the role this page has: what the address bar shows, so an address copied from it
 * opens the same role on another device. A view page never shows the edit secret, even when this
 * device holds it.
 */
function linkFor(access: AtlasAccess, screen: AtlasScreen): string {
  const link = isProfessionalRole(access.role)
    ? linkUrl(access.id, access.role, access.token)
    : access.role === 'view'
      ? viewUrl(access.id, access.token)
      : editUrl(access.id, access.token, access.viewToken)
  return screenUrl(access.id, screen, link.slice(link.indexOf('#')))
}

function accessFrom(entry: RecentAtlas, token: string): AtlasAccess {
  return {
    id: entry.id,
    title: entry.title,
    role: entry.role,
    token,
    editToken: entry.editToken,
    viewToken: entry.viewToken,
  }
}

/**
 * Works out access from the link (fragment) or from this device, asks the server what the secret
 * may do, and opens the canvas. Without a server, an atlas this device knows opens from its own copy.
 */
async function resolveAccess(id: string, hash: string): Promise<State> {
  // A professional's link is his alone: it is not kept on the device's list of atlases.
  const link = parseLink(hash)
  if (link && isProfessionalRole(link.role)) {
    try {
      const info = await fetchAtlasInfo(id, link.token)
      return {
        kind: 'ready',
        access: { id, title: info.title, role: info.role, token: link.token },
      }
    } catch (err) {
      if (err instanceof ApiFailure && err.status === 0)
        return { kind: 'problem', problem: 'offline-unknown' }
      return { kind: 'problem', problem: 'bad-link' }
    }
  }
  const fromLink = parseLinkFragment(hash)
  const known = getRecentAtlas(id)
  // A view link never upgrades itself with an edit secret this device may hold.
  const viewOnlyLink = fromLink.viewToken && !fromLink.editToken
  const editToken = fromLink.editToken ?? (viewOnlyLink ? undefined : known?.editToken)
  const viewToken = fromLink.viewToken ?? known?.viewToken
  const token = editToken ?? viewToken
  if (!token) return { kind: 'problem', problem: 'bad-link' }
  try {
    const info = await fetchAtlasInfo(id, token)
    const entry = rememberAtlas({
      id,
      title: info.title,
      role: info.role,
      editToken: info.role === 'edit' ? token : undefined,
      viewToken,
    })
    return { kind: 'ready', access: { ...accessFrom(entry, token), role: info.role } }
  } catch (err) {
    if (err instanceof ApiFailure && err.status === 0 && known) {
      const role: Role = editToken ? 'edit' : 'view'
      return { kind: 'ready', access: { ...accessFrom(known, token), role } }
    }
    if (err instanceof ApiFailure && err.status === 0)
      return { kind: 'problem', problem: 'offline-unknown' }
    return { kind: 'problem', problem: 'bad-link' }
  }
}

/** The atlas screen: resolves the link, then shows the shared canvas (or the meeting). */
export function AtlasPage({ id, screen = 'maps' }: { id: string; screen?: AtlasScreen }) {
  const { t } = useTranslation()
  const [state, setState] = useState<State>({ kind: 'loading' })
  // A new object at every change, so the same fragment pasted again is read again.
  const [fragment, setFragment] = useState(() => ({ hash: window.location.hash }))

  useEffect(() => {
    // A link of this atlas pasted into the address bar changes only the fragment: the browser
    // does not load the page again, so the page reads the new link itself.
    const onHashChange = () => {
      setState({ kind: 'loading' })
      setFragment({ hash: window.location.hash })
    }
    window.addEventListener('hashchange', onHashChange)
    return () => window.removeEventListener('hashchange', onHashChange)
  }, [])

  useEffect(() => {
    let live = true
    void resolveAccess(id, fragment.hash).then((s) => {
      if (!live) return
      // The secrets stay in the fragment (never sent to a server): the address bar holds a link
      // that works elsewhere, also for a page opened from the home page's list (no fragment).
      if (s.kind === 'ready')
        window.history.replaceState(window.history.state, '', linkFor(s.access, screen))
      setState(s)
    })
    return () => {
      live = false
    }
  }, [id, fragment, screen])

  if (state.kind === 'problem') return <ErrorPage problem={state.problem} />
  if (state.kind === 'loading') {
    return (
      <div className="page loading" role="status">
        {t('atlas.loading')}
      </div>
    )
  }
  if (screen === 'meeting') return <MeetingScreen access={state.access} />
  return (
    <AtlasCanvas
      access={state.access}
      onUnauthorized={() => setState({ kind: 'problem', problem: 'bad-link' })}
    />
  )
}
