import {
  Approval,
  type ApprovalDecision,
  Piketpaaltje,
  type PiketpaaltjeRequest,
} from '../../shared/api/plan'
import { ApiFailure, callAtlas } from '../lib/api'

/** Which atlas and with which secret: what the plan's calls need. */
export interface PlanAccess {
  id: string
  token: string
}

function send(access: PlanAccess, method: string, path: string, body?: unknown) {
  return callAtlas(access.id, access.token, method, path, body)
}

/** Sets a piketpaaltje (a professional link only); the server stamps it with the link's label. */
export async function setPiketpaaltje(
  access: PlanAccess,
  request: PiketpaaltjeRequest,
): Promise<Piketpaaltje> {
  return Piketpaaltje.parse(await send(access, 'POST', '/piketpaaltjes', request))
}

/** Removes a piketpaaltje (only the professional who set it may). */
export async function removePiketpaaltje(access: PlanAccess, id: string): Promise<void> {
  await send(access, 'DELETE', `/piketpaaltjes/${encodeURIComponent(id)}`)
}

/** Approves the plan or asks for a change, tied to the plan shown by its hash (409 when it changed). */
export async function decideOnPlan(
  access: PlanAccess,
  decision: ApprovalDecision,
  comment: string,
  planHash: string,
): Promise<Approval> {
  return Approval.parse(await send(access, 'POST', '/approvals', { decision, comment, planHash }))
}

/** The catalogue key that says, in plain words, why a call of the plan failed. */
export function failureKey(
  error: unknown,
): 'plan.failed.privateTime' | 'plan.failed.role' | 'plan.failed.offline' | 'plan.failed.other' {
  if (!(error instanceof ApiFailure)) return 'plan.failed.other'
  if (error.status === 0) return 'plan.failed.offline'
  if (error.status === 423) return 'plan.failed.privateTime'
  if (error.status === 403) return 'plan.failed.role'
  return 'plan.failed.other'
}
