import type { Context, MiddlewareHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { isProfessionalRole, type Role } from '../../shared/api/atlases'
import type { AccessControl } from '../access'
import type { Access } from '../auth'
import type { AtlasMeta, MetaStore } from '../storage/types'

/** The one answer for every link that grants nothing, so no one can probe which atlases exist. */
export const NOT_FOUND_MESSAGE = 'No atlas found for this link.'

/** The answer to every request about an erased atlas (410). */
export const ERASED_MESSAGE = 'This atlas was deleted.'

/** The answer to a professional link during privétijd (423). */
export const PRIVATE_TIME_MESSAGE =
  'Private time: the network is deciding on its own now. Try again when it has ended.'

/** The answer to a link whose role may not do what it asks (403). */
export const ROLE_MESSAGE = 'This link may not do this.'

/** What a route behind `requireLink` knows. */
export type LinkEnv = { Variables: { access: Access } }

function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '')
  return match?.[1] ?? null
}

/**
 * Lets a request through only with a link (`Authorization: Bearer <secret>`) of the atlas in
 * the path (`:id`): 404 for anything that grants nothing (no existence leak), 423 for a
 * professional link during privétijd, 403 for a role not in `roles` (both left to the route with
 * `duringPrivateTime`). The access is in `c.get('access')` afterwards.
 */
export function requireLink(
  control: AccessControl,
  roles?: readonly Role[],
  options: { duringPrivateTime?: boolean } = {},
): MiddlewareHandler<LinkEnv> {
  return async (c, next) => {
    const access = await control.authorize(
      c.req.param('id') ?? '',
      bearerToken(c.req.header('Authorization')),
    )
    if (!access) {
      if (control.isErased(c.req.param('id') ?? '')) return c.json({ error: ERASED_MESSAGE }, 410)
      return c.json({ error: NOT_FOUND_MESSAGE }, 404)
    }
    const refused = options.duringPrivateTime ? null : refusal(c, control, access, roles)
    if (refused) return refused
    c.set('access', access)
    await next()
  }
}

/** The answer that refuses `access` (privétijd first, then the role), or null. */
export function refusal(
  c: Context,
  control: AccessControl,
  access: Access,
  roles?: readonly Role[],
): Response | null {
  if (isProfessionalRole(access.role) && control.isPrivate(access.meta.id)) {
    return c.json({ error: PRIVATE_TIME_MESSAGE }, 423)
  }
  if (roles && !roles.includes(access.role)) return c.json({ error: ROLE_MESSAGE }, 403)
  return null
}

/** Answers 400 unless the request says its body is JSON. */
export const requireJson: MiddlewareHandler = async (c, next) => {
  const type = c.req.header('Content-Type') ?? ''
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    return c.json({ error: 'Request body must be JSON (Content-Type: application/json)' }, 400)
  }
  await next()
}

/**
 * Changes the atlas's metadata on behalf of the request's link, checked in the same step of the
 * atlas's change queue: a link revoked meanwhile (by a request that came just before) changes
 * nothing and gets 404 like any link that grants nothing. `change` may throw an `HTTPException`
 * to refuse with its status.
 */
export function changeAsLink(
  store: MetaStore,
  access: Access,
  change: (meta: AtlasMeta) => AtlasMeta,
): Promise<AtlasMeta> {
  return store.updateMeta(access.meta.id, (meta) => {
    if (!meta.links.some((l) => l.id === access.link.id)) {
      throw new HTTPException(404, { message: NOT_FOUND_MESSAGE })
    }
    return change(meta)
  })
}
