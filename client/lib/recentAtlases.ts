import type { Role } from '../../shared/api/atlases'

/** An atlas opened on this device, with the secrets needed to open it again. */
export interface RecentAtlas {
  id: string
  title: string
  role: Role
  editToken?: string
  viewToken?: string
  lastOpened: string
}

const KEY = 'netwerkatlas:atlases'

/** The atlases opened on this device, most recent first. */
export function listRecentAtlases(): RecentAtlas[] {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown
    if (!Array.isArray(raw)) return []
    return (raw as RecentAtlas[])
      .filter((a) => typeof a?.id === 'string' && typeof a.title === 'string')
      .sort((a, b) => b.lastOpened.localeCompare(a.lastOpened))
  } catch {
    return []
  }
}

/** The stored entry of one atlas, if it was opened here before. */
export function getRecentAtlas(id: string): RecentAtlas | undefined {
  return listRecentAtlases().find((a) => a.id === id)
}

/**
 * Records (or refreshes) an atlas on this device. Secrets already known are kept: opening an
 * atlas through its view link must not forget the edit secret this device already has.
 */
export function rememberAtlas(entry: Omit<RecentAtlas, 'lastOpened'>): RecentAtlas {
  const others = listRecentAtlases().filter((a) => a.id !== entry.id)
  const previous = getRecentAtlas(entry.id)
  const merged: RecentAtlas = {
    ...previous,
    ...entry,
    editToken: entry.editToken ?? previous?.editToken,
    viewToken: entry.viewToken ?? previous?.viewToken,
    lastOpened: new Date().toISOString(),
  }
  localStorage.setItem(KEY, JSON.stringify([merged, ...others]))
  return merged
}

/** Keeps a just-created (or imported) atlas and both its secrets on this device. */
export function rememberCreated(
  created: { id: string; editToken: string; viewToken: string },
  title: string,
): void {
  rememberAtlas({
    id: created.id,
    title,
    role: 'edit',
    editToken: created.editToken,
    viewToken: created.viewToken,
  })
}
