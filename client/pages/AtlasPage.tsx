import { useEffect, useRef, useState } from 'react'
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
import { PlanScreen } from '../plan/PlanScreen'
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
function linkFor(access: AtlasAccess): string {
  if (access.role === 'view') return viewUrl(access.id, access.token)
  if (access.role === 'edit') return editUrl(access.id, access.token, access.viewToken)
  return linkUrl(access.id, access.role, access.token)
}

/** The screens of one atlas, each on its own path below the atlas's. */
export type AtlasScreen = 'maps' | 'plan'

const SCREEN_PATHS: Record<AtlasScreen, string> = { maps: '', plan: '/plan' }

/** `link` (an atlas link) on the path of `screen`, its secret still in the fragment. */
function onScreen(link: string, screen: AtlasScreen): string {
  const at = link.indexOf('#')
  return `${link.slice(0, at)}${SCREEN_PATHS[screen]}${link.slice(at)}`
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
  const fromLink = parseLinkFragment(hash)
  const link = parseLink(hash)
  // A professional's or facilitator's link opens with its own secret, never one this device holds.
  const professional = link && isProfessionalRole(link.role) ? link.token : undefined
  if (link && professional) return resolveProfessional(id, link.role, professional)
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

async function resolveProfessional(id: string, role: Role, token: string): Promise<State> {
  try {
    const info = await fetchAtlasInfo(id, token)
    return { kind: 'ready', access: { id, title: info.title, role: info.role, token } }
  } catch (err) {
    // Privétijd: the link is good, the server tells nothing now; the screen waits for the end.
    if (err instanceof ApiFailure && err.status === 423) {
      return { kind: 'ready', access: { id, title: '', role, token } }
    }
    if (err instanceof ApiFailure && err.status === 0)
      return { kind: 'problem', problem: 'offline-unknown' }
    return { kind: 'problem', problem: 'bad-link' }
  }
}

/** An atlas's screen (the maps, the plan): resolves the link, then shows the screen. */
export function AtlasPage({ id, screen = 'maps' }: { id: string; screen?: AtlasScreen }) {
  const { t } = useTranslation()
  const [state, setState] = useState<State>({ kind: 'loading' })
  const screenNow = useRef(screen)
  screenNow.current = screen
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
        window.history.replaceState(
          window.history.state,
          '',
          onScreen(linkFor(s.access), screenNow.current),
        )
      setState(s)
    })
    return () => {
      live = false
    }
  }, [id, fragment])

  if (state.kind === 'problem') return <ErrorPage problem={state.problem} />
  if (state.kind === 'loading') {
    return (
      <div className="page loading" role="status">
        {t('atlas.loading')}
      </div>
    )
  }
  if (screen === 'plan') return <PlanScreen access={state.access} />
  return (
    <AtlasCanvas
      access={state.access}
      onUnauthorized={() => setState({ kind: 'problem', problem: 'bad-link' })}
    />
  )
}
