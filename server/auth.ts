import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Role } from '../shared/api/atlases'
import { isAtlasId, isToken } from '../shared/sync/ids'
import type { AtlasMeta, MetaStore } from './storage/types'

/** A new atlas id: 16 random bytes, base64url (22 characters). */
export function newAtlasId(): string {
  return randomBytes(16).toString('base64url')
}

/** A new link secret: 32 random bytes, base64url (43 characters). */
export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

/** Hex SHA-256 of a token: the only form in which the server keeps a secret. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex')
  const y = Buffer.from(b, 'hex')
  return x.length === y.length && timingSafeEqual(x, y)
}

/** The role a token grants in an atlas, or null. Compares both hashes in constant time. */
export function roleFor(meta: AtlasMeta, token: string): Role | null {
  const hash = hashToken(token)
  const edit = sameHash(hash, meta.editHash)
  const view = sameHash(hash, meta.viewHash)
  return edit ? 'edit' : view ? 'view' : null
}

/** Who may do what in an atlas. */
export interface Access {
  meta: AtlasMeta
  role: Role
}

/**
 * Checks a token against an atlas. Every failure (malformed id or token, unknown atlas, wrong
 * or other-atlas token) gives the same null, so callers cannot tell them apart.
 */
export async function authorize(
  store: MetaStore,
  id: string,
  token: string | null | undefined,
): Promise<Access | null> {
  if (!isAtlasId(id) || typeof token !== 'string' || !isToken(token)) return null
  const meta = await store.getMeta(id)
  if (!meta) return null
  const role = roleFor(meta, token)
  return role ? { meta, role } : null
}
