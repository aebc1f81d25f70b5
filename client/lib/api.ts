import { z } from 'zod'
import { AccessEntry, AccessLogResponse, type ExportKind } from '../../shared/api/accessLog'
import {
  ApiError,
  AtlasInfo,
  type CreateAtlasRequest,
  CreateAtlasResponse,
} from '../../shared/api/atlases'
import { ImportAtlasResponse } from '../../shared/api/atlasFile'
import {
  type CreateLinkRequest,
  CreateLinkResponse,
  LinkList,
  type PrivateTimeRequest,
} from '../../shared/api/links'
import { type PlanVersion, VersionList } from '../../shared/api/versions'

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

function atlasPathOf(id: string): string {
  return `/api/atlases/${encodeURIComponent(id)}`
}

/**
 * One call on an atlas's API with a link's secret (`path` after `/api/atlases/<id>`); the answer's
 * body, null for 204. A refusal throws `ApiFailure` with the server's plain message.
 */
export function callAtlas(
  id: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  return call(`${atlasPathOf(id)}${path}`, { method, ...withToken(token, body) })
}

function withToken(token: string, body?: unknown): RequestInit {
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` }
  if (body === undefined) return { headers }
  headers['Content-Type'] = 'application/json'
  return { headers, body: JSON.stringify(body) }
}

/** The links of an atlas, without their secrets (an edit link asks). */
export async function fetchLinks(id: string, token: string): Promise<LinkList> {
  return LinkList.parse(await call(`${atlasPathOf(id)}/links`, withToken(token)))
}

/** Makes a link for a role with a label; its secret is in the answer, and only there. */
export async function createLink(
  id: string,
  token: string,
  request: CreateLinkRequest,
): Promise<CreateLinkResponse> {
  const body = await call(`${atlasPathOf(id)}/links`, {
    method: 'POST',
    ...withToken(token, request),
  })
  return CreateLinkResponse.parse(body)
}

/** Stops a link: it never works again, and the pages open with it close. */
export async function revokeLink(id: string, token: string, linkId: string): Promise<void> {
  await call(`${atlasPathOf(id)}/links/${encodeURIComponent(linkId)}`, {
    method: 'DELETE',
    ...withToken(token),
  })
}

/** Switches privétijd on or off. */
export async function setPrivateTime(
  id: string,
  token: string,
  request: PrivateTimeRequest,
): Promise<void> {
  await call(`${atlasPathOf(id)}/private-time`, { method: 'PUT', ...withToken(token, request) })
}

// A newer server may log events this page does not know yet: those lines are counted, not a failure.
const AccessLogAnswer = AccessLogResponse.extend({ entries: z.array(z.unknown()) })

/**
 * Who opened the atlas and what was done with its links, newest first (an edit link asks);
 * `unknown` counts the lines of kinds this page cannot show.
 */
export async function fetchAccessLog(
  id: string,
  token: string,
): Promise<AccessLogResponse & { unknown: number }> {
  return readAccessLog(await call(`${atlasPathOf(id)}/access-log`, withToken(token)))
}

/** The access log's answer with the lines this page knows; `unknown` counts the others. */
export function readAccessLog(body: unknown): AccessLogResponse & { unknown: number } {
  const answer = AccessLogAnswer.parse(body)
  const entries = answer.entries.flatMap((raw) => {
    const entry = AccessEntry.safeParse(raw)
    return entry.success ? [entry.data] : []
  })
  return {
    entries,
    retentionDays: answer.retentionDays,
    unknown: answer.entries.length - entries.length,
  }
}

/**
 * Tells the server's access log that this device exported the atlas (what kind, no content).
 * Never fails the export: a note that does not arrive is only missing from the log.
 */
export function noteExport(id: string, token: string, kind: ExportKind): void {
  call(`${atlasPathOf(id)}/access-log/exports`, {
    method: 'POST',
    ...withToken(token, { kind }),
  }).catch(() => {})
}

/** Deletes the atlas on the server: every file of it, for every link. */
export async function eraseAtlas(id: string, token: string): Promise<void> {
  await call(atlasPathOf(id), { method: 'DELETE', ...withToken(token) })
}

/** The versions of an atlas's plan, oldest first (every link may read them). */
export async function fetchVersions(id: string, token: string): Promise<PlanVersion[]> {
  const body = await call(`/api/atlases/${encodeURIComponent(id)}/versions`, {
    headers: { Authorization: `Bearer ${token}` },
  })
  return VersionList.parse(body).versions
}
