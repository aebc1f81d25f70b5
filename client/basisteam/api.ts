import { PlanVersion, VersionList } from '../../shared/api/versions'
import { ApiFailure, callAtlas } from '../lib/api'
import type { PlanAccess } from '../plan/api'

/** Every version of the plan the server keeps, oldest first (any link; 423 during privétijd for a professional). */
export async function listVersions(access: PlanAccess): Promise<PlanVersion[]> {
  return VersionList.parse(await callAtlas(access.id, access.token, 'GET', '/versions')).versions
}

/** Asks the server to keep the plan as it is now as a version (edit links only). */
export async function keepVersion(
  access: PlanAccess,
  meetingId: string | null,
): Promise<PlanVersion> {
  return PlanVersion.parse(
    await callAtlas(access.id, access.token, 'POST', '/versions', { meetingId }),
  )
}

/** The catalogue key that says, in plain words, why a call of the basisteam failed. */
export function failureKey(
  error: unknown,
):
  | 'basisteam.failed.privateTime'
  | 'basisteam.failed.role'
  | 'basisteam.failed.offline'
  | 'basisteam.failed.other' {
  if (!(error instanceof ApiFailure)) return 'basisteam.failed.other'
  if (error.status === 0) return 'basisteam.failed.offline'
  if (error.status === 423) return 'basisteam.failed.privateTime'
  if (error.status === 403) return 'basisteam.failed.role'
  return 'basisteam.failed.other'
}
