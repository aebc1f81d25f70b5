import { ApiError } from '../../shared/api/atlases'
import { Piketpaaltje, type PiketpaaltjeRequest } from '../../shared/api/plan'
import { ApiFailure } from '../lib/api'

/** Sends one call of the meeting to the API with the link's secret; a refusal throws ApiFailure. */
async function send(
  atlasId: string,
  token: string,
  method: string,
  path: string,
  body: unknown,
): Promise<unknown> {
  let response: Response
  try {
    response = await fetch(`/api/atlases/${encodeURIComponent(atlasId)}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      referrerPolicy: 'no-referrer',
      cache: 'no-store',
    })
  } catch (e) {
    throw new ApiFailure(0, e instanceof Error ? e.message : String(e))
  }
  const answer: unknown = response.status === 204 ? null : await response.json().catch(() => null)
  if (!response.ok) {
    const parsed = ApiError.safeParse(answer)
    throw new ApiFailure(response.status, parsed.success ? parsed.data.error : response.statusText)
  }
  return answer
}

/** Switches privétijd on or off; the server mirrors it into the plan, so every device sees it. */
export async function switchPrivateTime(
  atlasId: string,
  token: string,
  on: boolean,
): Promise<void> {
  await send(atlasId, token, 'PUT', '/private-time', { on })
}

/** Sets a piketpaaltje with a professional's link; it reaches every device through the plan. */
export async function setPiketpaaltje(
  atlasId: string,
  token: string,
  request: PiketpaaltjeRequest,
): Promise<Piketpaaltje> {
  return Piketpaaltje.parse(await send(atlasId, token, 'POST', '/piketpaaltjes', request))
}
