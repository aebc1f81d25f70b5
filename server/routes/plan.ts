import { createHash } from 'node:crypto'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import {
  type Approval,
  ApprovalRequest,
  type Piketpaaltje,
  PiketpaaltjeRequest,
} from '../../shared/api/plan'
import { planHashInput, readAgreements } from '../../shared/plan/layout'
import { newLinkId } from '../auth'
import { docKey } from '../storage/types'
import type { AtlasRouteDeps } from './atlases'
import { jsonBody } from './atlases'
import { changeAsLink, type LinkEnv, requireLink } from './gate'

const SET_ONE_MESSAGE = 'Only a professional who set a piketpaaltje approves the plan.'

/**
 * `/api/atlases/:id/piketpaaltjes` and `/api/atlases/:id/approvals`: what only professional
 * links write, through the server, stamped with the link's label and the time. They are kept in
 * the metadata and mirrored into the plan (see server/sync/serverPart.ts).
 */
export function planRoutes({ store, access, mirror }: AtlasRouteDeps) {
  const professional = requireLink(access, ['professional'])
  const [limit, json, validate] = jsonBody(PiketpaaltjeRequest)
  const [aLimit, aJson, aValidate] = jsonBody(ApprovalRequest)

  /** The SHA-256 of the plan as it is now: its agreements under the atlas's questions. */
  const currentPlanHash = async (atlasId: string): Promise<string> => {
    // The atlas schema (read by readAtlasContent) is a third of the server's heap: on first use.
    const { readAtlasContent } = await import('../../shared/domain/content')
    const questions = await mirror.read(docKey(atlasId, 'atlas'), (doc) =>
      readAtlasContent(doc).questions.map((q) => ({ id: q.id, text: q.text })),
    )
    const agreements = await mirror.read(docKey(atlasId, 'plan'), (doc) => readAgreements(doc))
    return createHash('sha256').update(planHashInput(questions, agreements), 'utf8').digest('hex')
  }

  return new Hono<LinkEnv>()
    .post('/piketpaaltjes', professional, limit, json, validate, async (c) => {
      const { meta, link } = c.get('access')
      const { text, framework } = c.req.valid('json')
      const piketpaaltje: Piketpaaltje = {
        id: newLinkId(),
        text,
        framework,
        linkId: link.id,
        setBy: link.label,
        setAt: new Date().toISOString(),
      }
      await changeAsLink(store, c.get('access'), (m) => ({
        ...m,
        piketpaaltjes: [...m.piketpaaltjes, piketpaaltje],
      }))
      await mirror.mirror(meta.id)
      return c.json(piketpaaltje, 201)
    })
    .delete('/piketpaaltjes/:pid', professional, async (c) => {
      const { meta, link } = c.get('access')
      const pid = c.req.param('pid')
      const target = meta.piketpaaltjes.find((p) => p.id === pid)
      if (!target) return c.json({ error: 'This plan has no such piketpaaltje.' }, 404)
      if (target.linkId !== link.id) {
        return c.json({ error: 'Only the professional who set a piketpaaltje removes it.' }, 403)
      }
      await changeAsLink(store, c.get('access'), (m) => ({
        ...m,
        piketpaaltjes: m.piketpaaltjes.filter((p) => p.id !== pid),
      }))
      await mirror.mirror(meta.id)
      return c.body(null, 204)
    })
    .post('/approvals', professional, aLimit, aJson, aValidate, async (c) => {
      const { meta, link } = c.get('access')
      const { decision, comment, planHash } = c.req.valid('json')
      if (!meta.piketpaaltjes.some((p) => p.linkId === link.id)) {
        return c.json({ error: SET_ONE_MESSAGE }, 403)
      }
      if ((await currentPlanHash(meta.id)) !== planHash) {
        return c.json(
          { error: 'The plan changed after you saw it. Look at it again, then decide.' },
          409,
        )
      }
      const approval: Approval = {
        id: newLinkId(),
        linkId: link.id,
        by: link.label,
        decision,
        comment,
        planHash,
        at: new Date().toISOString(),
      }
      await changeAsLink(store, c.get('access'), (m) => {
        // His piketpaaltje may have gone while the plan was hashed.
        if (!m.piketpaaltjes.some((p) => p.linkId === link.id)) {
          throw new HTTPException(403, { message: SET_ONE_MESSAGE })
        }
        return { ...m, approvals: [...m.approvals, approval] }
      })
      await mirror.mirror(meta.id)
      return c.json(approval, 201)
    })
}
