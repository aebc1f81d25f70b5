/** The participant on this device: a stable id, a name given once, and a colour. */
export interface LocalUser {
  id: string
  name: string
  color: string
}

const KEY = 'netwerkatlas:user'

/** Calm, well-distinguishable cursor colours with good contrast on white. */
export const USER_COLORS = [
  '#1f6fd1',
  '#c2410c',
  '#15803d',
  '#9333ea',
  '#be123c',
  '#0e7490',
  '#a16207',
  '#4338ca',
] as const

/** The user kept on this device, created (without a name) on first use. */
export function loadLocalUser(): LocalUser {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<LocalUser> | null
    if (stored && typeof stored.id === 'string' && typeof stored.color === 'string') {
      return { id: stored.id, name: stored.name ?? '', color: stored.color }
    }
  } catch {
    // A damaged entry is replaced below.
  }
  const user: LocalUser = {
    id: crypto.randomUUID(),
    name: '',
    color: USER_COLORS[Math.floor(Math.random() * USER_COLORS.length)] ?? USER_COLORS[0],
  }
  saveLocalUser(user)
  return user
}

/** Keeps the user on this device. */
export function saveLocalUser(user: LocalUser): void {
  localStorage.setItem(KEY, JSON.stringify(user))
}
