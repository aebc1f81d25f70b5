import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Role } from '../shared/api/atlases'
import { isAtlasId, isToken } from '../shared/sync/ids'
import type { AtlasMeta, MetaStore, StoredLink } from './storage/types'

/** A new atlas id: 16 random bytes, base64url (22 characters). */
export function newAtlasId(): string {
  return randomBytes(16).toString('base64url')
}

/** A new link secret: 32 random bytes, base64url (43 characters). */
export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

/** A new link id: 12 random bytes, base64url (16 characters). Names a link; grants nothing. */
export function newLinkId(): string {
  return randomBytes(12).toString('base64url')
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

/** A new link of an atlas with its secret; only the link (with the secret's hash) is stored. */
export function makeLink(
  role: Role,
  label: string,
  now = new Date(),
): {
  link: StoredLink
  token: string
} {
  const token = newToken()
  return {
    token,
    link: {
      id: newLinkId(),
      role,
      label,
      hash: hashToken(token),
      createdAt: now.toISOString(),
      lastUsedAt: null,
    },
  }
}

/** The link a token is the secret of, or null. Compares against every link in constant time. */
export function linkFor(meta: AtlasMeta, token: string): StoredLink | null {
  const hash = hashToken(token)
  let found: StoredLink | null = null
  for (const link of meta.links) if (sameHash(hash, link.hash)) found = link
  return found
}

/** Who may do what in an atlas: the metadata, the role, and the link that grants it. */
export interface Access {
  meta: AtlasMeta
  role: Role
  link: StoredLink
}

/**
 * Checks a token against an atlas. Every failure (malformed id or token, unknown atlas, wrong,
 * revoked or other-atlas token) gives the same null, so callers cannot tell them apart.
 */
export async function authorize(
  store: MetaStore,
  id: string,
  token: string | null | undefined,
): Promise<Access | null> {
  if (!isAtlasId(id) || typeof token !== 'string' || !isToken(token)) return null
  const meta = await store.getMeta(id)
  if (!meta) return null
  const link = linkFor(meta, token)
  return link ? { meta, role: link.role, link } : null
}
