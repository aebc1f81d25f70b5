import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { isProfessionalRole, linkUrl } from '../../shared/api/atlases'
import {
  CreateLinkRequest,
  type CreateLinkResponse,
  type LinkList,
  PrivateTimeRequest,
} from '../../shared/api/links'
import { CloseCode } from '../../shared/sync/layout'
import { loggedLink } from '../accessLog'
import { makeLink } from '../auth'
import { deviceOf } from '../device'
import type { StoredLink } from '../storage/types'
import { UNAUTHORIZED_REASON } from '../sync/session'
import type { AtlasRouteDeps } from './atlases'
import { jsonBody } from './atlases'
import { changeAsLink, type LinkEnv, PRIVATE_TIME_MESSAGE, ROLE_MESSAGE, requireLink } from './gate'

/**
 * `/api/atlases/:id/links` (edit links only): make a link for a role with a label, list the
 * links without their secrets, revoke one (its open connections end at once); and
 * `/api/atlases/:id/private-time`.
 */
export function linkRoutes({ store, access: control, mirror, accessLog }: AtlasRouteDeps) {
  const editOnly = requireLink(control, ['edit'])
  const [limit, json, validate] = jsonBody(CreateLinkRequest)
  const [ptLimit, ptJson, ptValidate] = jsonBody(PrivateTimeRequest)
  return new Hono<LinkEnv>()
    .post('/links', editOnly, limit, json, validate, async (c) => {
      const access = c.get('access')
      const { meta } = access
      const { role, label, revokeOthers } = c.req.valid('json')
      const { link, token } = makeLink(role, label)
      let revoked: string[] = []
      await changeAsLink(store, access, (m) => {
        // Renewing the edit links also stops the view secret they carried.
        const stops = (l: StoredLink) =>
          l.role === role || (role === 'edit' && l.carriedByEdit === true)
        revoked = revokeOthers ? m.links.filter(stops).map((l) => l.id) : []
        return { ...m, links: [...m.links.filter((l) => !revoked.includes(l.id)), link] }
      })
      const device = deviceOf(c.req.header('User-Agent'))
      await accessLog.note(meta.id, 'link-made', access, device, { link: loggedLink(link) })
      for (const stopped of meta.links.filter((l) => revoked.includes(l.id))) {
        await accessLog.note(meta.id, 'link-stopped', access, device, {
          link: loggedLink(stopped),
        })
      }
      if (revoked.length > 0) {
        control.endSessions(
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
      const access = c.get('access')
      const linkId = c.req.param('linkId')
      let stopped: StoredLink | undefined
      // Checked in the change itself: two stops at once never leave an atlas without an edit link.
      await changeAsLink(store, access, (m) => {
        const target = m.links.find((l) => l.id === linkId)
        if (!target) throw new HTTPException(404, { message: 'This atlas has no such link.' })
        stopped = target
        if (target.role === 'edit' && m.links.filter((l) => l.role === 'edit').length === 1) {
          throw new HTTPException(409, {
            message: 'This is the last link that may edit the atlas. Make a new one first.',
          })
        }
        return { ...m, links: m.links.filter((l) => l.id !== linkId) }
      })
      const { meta } = access
      control.endSessions(
        meta.id,
        (s) => s.linkId === linkId,
        CloseCode.Unauthorized,
        UNAUTHORIZED_REASON,
      )
      if (stopped) {
        await accessLog.note(
          meta.id,
          'link-stopped',
          access,
          deviceOf(c.req.header('User-Agent')),
          {
            link: loggedLink(stopped),
          },
        )
      }
      return c.body(null, 204)
    })
    .put('/private-time', requireLinkAnyTime(control), ptLimit, ptJson, ptValidate, async (c) => {
      const access = c.get('access')
      const { meta, role } = access
      const { on } = c.req.valid('json')
      const professional = isProfessionalRole(role)
      // A professional leaves the room (switches it on), never ends it; a view link does neither.
      if (role === 'view' || (professional && !on)) return c.json({ error: ROLE_MESSAGE }, 403)
      if (professional && control.isPrivate(meta.id)) {
        return c.json({ error: PRIVATE_TIME_MESSAGE }, 423)
      }
      const since = on ? new Date().toISOString() : null
      let switched = false
      const stored = () =>
        changeAsLink(store, access, (m) => {
          switched = m.privateTime.on !== on
          return switched ? { ...m, privateTime: { on, since } } : m
        })
      if (on) {
        // In memory first: from here on no professional connection is sent a byte.
        control.setPrivate(meta.id, true)
        await stored()
      } else {
        // Stored first: professionals come back only once the end is durable (and by a link
        // that still works).
        await stored()
        control.setPrivate(meta.id, false)
      }
      if (switched) {
        await accessLog.note(
          meta.id,
          on ? 'private-time-on' : 'private-time-off',
          access,
          deviceOf(c.req.header('User-Agent')),
        )
      }
      await mirror.mirror(meta.id)
      return c.body(null, 204)
    })
}

/** Any valid link, also a professional's during privétijd (the route decides itself). */
function requireLinkAnyTime(control: AtlasRouteDeps['access']) {
  return requireLink(control, undefined, { duringPrivateTime: true })
}
