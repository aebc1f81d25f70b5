import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { atlasPath, type LinkSecrets, parseLinkFragment, type Role } from '../../shared/api/atlases'
import { AtlasCanvas } from '../canvas/AtlasCanvas'
import { ApiFailure, fetchAtlasInfo } from '../lib/api'
import { getRecentAtlas, type RecentAtlas, rememberAtlas } from '../lib/recentAtlases'
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

const secretsFromLinks = new Map<string, LinkSecrets>()

/**
 * Reads the secrets from the address bar once and removes them from it (they are kept on this
 * device instead). Idempotent, so a second render or effect run sees the same secrets.
 */
function takeLinkSecrets(id: string): LinkSecrets {
  if (window.location.hash) {
    secretsFromLinks.set(id, parseLinkFragment(window.location.hash))
    window.history.replaceState(null, '', atlasPath(id))
  }
  return secretsFromLinks.get(id) ?? {}
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
async function resolveAccess(id: string): Promise<State> {
  const fromLink = takeLinkSecrets(id)
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

/** The atlas screen: resolves the link, then shows the shared canvas. */
export function AtlasPage({ id }: { id: string }) {
  const { t } = useTranslation()
  const [state, setState] = useState<State>({ kind: 'loading' })

  useEffect(() => {
    let live = true
    void resolveAccess(id).then((s) => {
      if (live) setState(s)
    })
    return () => {
      live = false
    }
  }, [id])

  if (state.kind === 'problem') return <ErrorPage problem={state.problem} />
  if (state.kind === 'loading') {
    return (
      <div className="page loading" role="status">
        {t('atlas.loading')}
      </div>
    )
  }
  return (
    <AtlasCanvas
      access={state.access}
      onUnauthorized={() => setState({ kind: 'problem', problem: 'bad-link' })}
    />
  )
}
