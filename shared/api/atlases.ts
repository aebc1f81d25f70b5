import { z } from 'zod'
import { ATLAS_ID_PATTERN, TOKEN_PATTERN } from '../sync/ids'

/**
 * What a link grants. `edit`: the client and his network, who write the atlas and the plan.
 * `view`: sees both, writes nothing. `procesbegeleider` (the facilitator) and `professional`:
 * see both, write neither, and are shut out during privétijd; a professional sets piketpaaltjes
 * and approves the plan where he set one.
 */
export const Role = z.enum(['edit', 'view', 'procesbegeleider', 'professional'])
export type Role = z.infer<typeof Role>

/** Whether a role writes the atlas and the plan. */
export function canWrite(role: Role): boolean {
  return role === 'edit'
}

/** Whether a role belongs to the professionals, who leave the room during privétijd. */
export function isProfessionalRole(role: Role): boolean {
  return role === 'procesbegeleider' || role === 'professional'
}

/** Longest atlas title accepted. */
export const MAX_TITLE_LENGTH = 120

/** Largest atlas file the server accepts. */
export const MAX_ATLAS_FILE_BYTES = 20 * 1024 * 1024

/** Body of `POST /api/atlases`. */
export const CreateAtlasRequest = z.object({
  title: z
    .string({ error: 'title must be a string' })
    .trim()
    .min(1, 'title must not be empty')
    .max(MAX_TITLE_LENGTH, `title must be at most ${MAX_TITLE_LENGTH} characters`),
})
export type CreateAtlasRequest = z.infer<typeof CreateAtlasRequest>

const atlasId = z.string().regex(ATLAS_ID_PATTERN)
const token = z.string().regex(TOKEN_PATTERN)

/** Answer of `POST /api/atlases` (201). The tokens are shown once; the server keeps only hashes. */
export const CreateAtlasResponse = z.object({
  id: atlasId,
  editToken: token,
  viewToken: token,
  editUrl: z.string(),
  viewUrl: z.string(),
})
export type CreateAtlasResponse = z.infer<typeof CreateAtlasResponse>

/** Answer of `GET /api/atlases/:id` for a valid token. */
export const AtlasInfo = z.object({
  id: atlasId,
  title: z.string(),
  createdAt: z.string(),
  role: Role,
  /** The id of the link this token is the secret of: a page finds its own piketpaaltjes by it. */
  linkId: z.string(),
  /** Whether privétijd is on (a professional link gets 423 instead while it is). */
  privateTime: z.boolean(),
})
export type AtlasInfo = z.infer<typeof AtlasInfo>

/** Every error answer of the API: a plain message. */
export const ApiError = z.object({ error: z.string() })
export type ApiError = z.infer<typeof ApiError>

/** Path of the atlas page (without secret). */
export function atlasPath(id: string): string {
  return `/atlas/${id}`
}

/**
 * Edit link: the secret travels in the fragment, which browsers never send to a server. An edit
 * link also carries the view secret, so whoever may edit can hand out a view link (a device that
 * never had it shows an edit link without it).
 */
export function editUrl(id: string, editToken: string, viewToken?: string): string {
  const view = viewToken ? `&view=${viewToken}` : ''
  return `${atlasPath(id)}#edit=${editToken}${view}`
}

/** View link: only the view secret, in the fragment. */
export function viewUrl(id: string, viewToken: string): string {
  return `${atlasPath(id)}#view=${viewToken}`
}

/** A link of any role: its secret in the fragment, under the role's name (`#professional=…`). */
export function linkUrl(id: string, role: Role, token: string): string {
  return `${atlasPath(id)}#${role}=${token}`
}

/** The secret a link's fragment carries, with its role; an edit link may carry the view secret too. */
export interface LinkSecret {
  role: Role
  token: string
  viewToken?: string
}

/**
 * Reads the secret from a fragment such as `#edit=…&view=…` or `#professional=…`, the strongest
 * role first; null when it holds none (malformed parts are dropped).
 */
export function parseLink(hash: string): LinkSecret | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''))
  const valid = (value: string | null) => (value && TOKEN_PATTERN.test(value) ? value : undefined)
  const viewToken = valid(params.get('view'))
  for (const role of ['edit', 'procesbegeleider', 'professional'] as const) {
    const token = valid(params.get(role))
    if (token) return { role, token, ...(role === 'edit' && viewToken ? { viewToken } : {}) }
  }
  return viewToken ? { role: 'view', token: viewToken } : null
}
