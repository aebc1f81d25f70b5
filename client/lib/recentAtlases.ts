import type { Role } from '../../shared/api/atlases'

/** An atlas opened on this device, with the secrets needed to open it again. */
export interface RecentAtlas {
  id: string
  title: string
  /** The role the atlas was last opened with. */
  role: Role
  editToken?: string
  viewToken?: string
  procesbegeleiderToken?: string
  professionalToken?: string
  lastOpened: string
  /** When this device last was in step with the server's copy of the atlas (UTC ISO). */
  lastSynced?: string
  /**
   * The basisteam as this device last saw it in the plan: the next meeting's start (UTC ISO), or
   * null when the team has no next date. Absent for an atlas without a basisteam.
   */
  basisteam?: { next: string | null }
}

/** Where an entry keeps the secret of each role. */
const SECRET_FIELD = {
  edit: 'editToken',
  view: 'viewToken',
  procesbegeleider: 'procesbegeleiderToken',
  professional: 'professionalToken',
} as const satisfies Record<Role, keyof RecentAtlas>

/** The roles from the one that may do most to the one that may do least. */
const STRONGEST_FIRST: readonly Role[] = ['edit', 'procesbegeleider', 'professional', 'view']

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

/** The secret this device holds for `role` in an atlas, if any. */
export function secretOf(entry: RecentAtlas | undefined, role: Role): string | undefined {
  return entry?.[SECRET_FIELD[role]]
}

/**
 * The strongest role this device holds a secret for, with that secret: what an atlas opened
 * without a link (from the home page's list) opens with.
 */
export function strongestSecret(
  entry: RecentAtlas | undefined,
): { role: Role; token: string } | undefined {
  for (const role of STRONGEST_FIRST) {
    const token = secretOf(entry, role)
    if (token) return { role, token }
  }
  return undefined
}

function save(entries: RecentAtlas[]): void {
  localStorage.setItem(KEY, JSON.stringify(entries))
}

/**
 * Records (or refreshes) an atlas on this device with the secret of the role it was opened
 * with. Secrets already known are kept: opening an atlas through its view link must not forget
 * the edit secret this device already has.
 */
export function rememberAtlas(
  entry: Pick<RecentAtlas, 'id' | 'title' | 'role'> & Partial<Omit<RecentAtlas, 'lastOpened'>>,
): RecentAtlas {
  const previous = getRecentAtlas(entry.id)
  const others = listRecentAtlases().filter((a) => a.id !== entry.id)
  const merged: RecentAtlas = { ...previous, ...entry, lastOpened: new Date().toISOString() }
  for (const field of Object.values(SECRET_FIELD)) {
    const secret = entry[field] ?? previous?.[field]
    if (secret) merged[field] = secret
    else delete merged[field]
  }
  save([merged, ...others])
  return merged
}

/**
 * Records an atlas opened with the secret of `role` (by default the role it was opened with),
 * keeping the other secrets the device holds.
 */
export function rememberSecret(
  opened: { id: string; title: string; role: Role; token: string },
  role: Role = opened.role,
): RecentAtlas {
  const entry: Parameters<typeof rememberAtlas>[0] = {
    id: opened.id,
    title: opened.title,
    role: opened.role,
  }
  entry[SECRET_FIELD[role]] = opened.token
  return rememberAtlas(entry)
}

/**
 * Forgets secrets of an atlas on this device: a link that no longer works, or the links a
 * facilitator gave away when he handed the atlas over to the client.
 */
export function forgetSecrets(id: string, secrets: ReadonlyArray<{ role: Role; token?: string }>) {
  const entries = listRecentAtlases()
  const entry = entries.find((a) => a.id === id)
  if (!entry) return
  for (const { role, token } of secrets) {
    if (token === undefined || entry[SECRET_FIELD[role]] === token) delete entry[SECRET_FIELD[role]]
  }
  save(entries)
}

/** Forgets an atlas on this device: its entry in the list and every secret of it. */
export function forgetAtlas(id: string): void {
  save(listRecentAtlases().filter((a) => a.id !== id))
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

/** Keeps what the plan says of the basisteam's next meeting in this device's list (for the home page). */
export function rememberBasisteam(id: string, basisteam: { next: string | null } | null): void {
  const entries = listRecentAtlases()
  const entry = entries.find((a) => a.id === id)
  if (!entry) return
  if (JSON.stringify(entry.basisteam ?? null) === JSON.stringify(basisteam)) return
  if (basisteam) entry.basisteam = basisteam
  else delete entry.basisteam
  save(entries)
}

/** Notes that this device's copy of an atlas is in step with the server's now (for the home page). */
export function rememberSynced(id: string, at: Date = new Date()): void {
  const entries = listRecentAtlases()
  const entry = entries.find((a) => a.id === id)
  if (!entry) return
  entry.lastSynced = at.toISOString()
  save(entries)
}
