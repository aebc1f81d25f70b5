import { Hono } from 'hono'
import { isProfessionalRole, linkUrl } from '../../shared/api/atlases'
import {
  CreateLinkRequest,
  type CreateLinkResponse,
  type LinkList,
  PrivateTimeRequest,
} from '../../shared/api/links'
import { CloseCode } from '../../shared/sync/layout'
import { makeLink } from '../auth'
import { UNAUTHORIZED_REASON } from '../sync/session'
import type { AtlasRouteDeps } from './atlases'
import { jsonBody } from './atlases'
import { type LinkEnv, PRIVATE_TIME_MESSAGE, ROLE_MESSAGE, requireLink } from './gate'

/**
 * `/api/atlases/:id/links` (edit links only): make a link for a role with a label, list the
 * links without their secrets, revoke one (its open connections end at once); and
 * `/api/atlases/:id/private-time`.
 */
export function linkRoutes({ store, access, mirror }: AtlasRouteDeps) {
  const editOnly = requireLink(access, ['edit'])
  const [limit, json, validate] = jsonBody(CreateLinkRequest)
  const [ptLimit, ptJson, ptValidate] = jsonBody(PrivateTimeRequest)
  return new Hono<LinkEnv>()
    .post('/links', editOnly, limit, json, validate, async (c) => {
      const { meta } = c.get('access')
      const { role, label, revokeOthers } = c.req.valid('json')
      const { link, token } = makeLink(role, label)
      let revoked: string[] = []
      await store.updateMeta(meta.id, (m) => {
        revoked = revokeOthers ? m.links.filter((l) => l.role === role).map((l) => l.id) : []
        return { ...m, links: [...m.links.filter((l) => !revoked.includes(l.id)), link] }
      })
      if (revoked.length > 0) {
        access.endSessions(
          meta.id,
          (s) => revoked.includes(s.linkId),
          CloseCode.Unauthorized,
          UNAUTHORIZED_REASON,
        )
      }
      const body: CreateLinkResponse = {
        linkId: link.id,
        role,
        label,
        token,
        url: linkUrl(meta.id, role, token),
      }
      return c.json(body, 201)
    })
    .get('/links', editOnly, (c) => {
      const { meta, link: current } = c.get('access')
      const body: LinkList = meta.links.map((l) => ({
        linkId: l.id,
        role: l.role,
        label: l.label,
        createdAt: l.createdAt,
        lastUsedAt: l.lastUsedAt,
        current: l.id === current.id,
      }))
      return c.json(body, 200)
    })
    .delete('/links/:linkId', editOnly, async (c) => {
      const { meta } = c.get('access')
      const linkId = c.req.param('linkId')
      const target = meta.links.find((l) => l.id === linkId)
      if (!target) return c.json({ error: 'This atlas has no such link.' }, 404)
      const editLinks = meta.links.filter((l) => l.role === 'edit')
      if (target.role === 'edit' && editLinks.length === 1) {
        return c.json(
          { error: 'This is the last link that may edit the atlas. Make a new one first.' },
          409,
        )
      }
      await store.updateMeta(meta.id, (m) => ({
        ...m,
        links: m.links.filter((l) => l.id !== linkId),
      }))
      access.endSessions(
        meta.id,
        (s) => s.linkId === linkId,
        CloseCode.Unauthorized,
        UNAUTHORIZED_REASON,
      )
      return c.body(null, 204)
    })
    .put('/private-time', requireLinkAnyTime(access), ptLimit, ptJson, ptValidate, async (c) => {
      const { meta, role } = c.get('access')
      const { on } = c.req.valid('json')
      const professional = isProfessionalRole(role)
      // A professional leaves the room (switches it on), never ends it; a view link does neither.
      if (role === 'view' || (professional && !on)) return c.json({ error: ROLE_MESSAGE }, 403)
      if (professional && access.isPrivate(meta.id)) {
        return c.json({ error: PRIVATE_TIME_MESSAGE }, 423)
      }
      // In memory first: from here on no professional connection is sent a byte.
      access.setPrivate(meta.id, on)
      const since = on ? new Date().toISOString() : null
      await store.updateMeta(meta.id, (m) =>
        m.privateTime.on === on ? m : { ...m, privateTime: { on, since } },
      )
      await mirror.mirror(meta.id)
      return c.body(null, 204)
    })
}

/** Any valid link, also a professional's during privétijd (the route decides itself). */
function requireLinkAnyTime(control: AtlasRouteDeps['access']) {
  return requireLink(control, undefined, { duringPrivateTime: true })
}
