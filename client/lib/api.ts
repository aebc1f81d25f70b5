import {
  ApiError,
  AtlasInfo,
  type CreateAtlasRequest,
  CreateAtlasResponse,
} from '../../shared/api/atlases'
import { ImportAtlasResponse } from '../../shared/api/atlasFile'

/** An answer of the API that was not a success; `status` 0 means the server was not reached. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

async function call(path: string, init: RequestInit): Promise<unknown> {
  let response: Response
  try {
    response = await fetch(path, { ...init, referrerPolicy: 'no-referrer', cache: 'no-store' })
  } catch (e) {
    throw new ApiFailure(0, e instanceof Error ? e.message : String(e))
  }
  const body: unknown = await response.json().catch(() => null)
  if (!response.ok) {
    const parsed = ApiError.safeParse(body)
    throw new ApiFailure(response.status, parsed.success ? parsed.data.error : response.statusText)
  }
  return body
}

/** Creates an atlas on the server and returns its id and link secrets. */
export async function createAtlas(request: CreateAtlasRequest): Promise<CreateAtlasResponse> {
  const body = await call('/api/atlases', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(request),
  })
  return CreateAtlasResponse.parse(body)
}

/** Asks the server what this token may do in this atlas. */
export async function fetchAtlasInfo(id: string, token: string): Promise<AtlasInfo> {
  const body = await call(`/api/atlases/${encodeURIComponent(id)}`, {
    headers: { Authorization: `Bearer ${token}` },
  })
  return AtlasInfo.parse(body)
}

/** Sends an atlas file (its text) to the server, which makes a new atlas of it. */
export async function importAtlasFile(text: string): Promise<ImportAtlasResponse> {
  const body = await call('/api/atlases/import', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: text,
  })
  return ImportAtlasResponse.parse(body)
}
