import { z } from 'zod'
import { TOKEN_PATTERN } from '../sync/ids'
import { Role } from './atlases'

/** Longest label of a link ("Ria (moeder)", "curator"). */
export const MAX_LINK_LABEL_LENGTH = 80

/** Link ids: 16 url-safe characters; they name a link in the list, they grant nothing. */
export const LINK_ID_PATTERN = /^[A-Za-z0-9_-]{16}$/

const label = z
  .string({ error: 'label must be a string' })
  .trim()
  .min(1, 'label must not be empty')
  .max(MAX_LINK_LABEL_LENGTH, `label must be at most ${MAX_LINK_LABEL_LENGTH} characters`)

/**
 * Body of `POST /api/atlases/:id/links` (edit links only). With `revokeOthers`, every other link
 * of the same role stops in the same change: "make a new edit link and stop the old ones".
 */
export const CreateLinkRequest = z.object({
  role: Role,
  label,
  revokeOthers: z.boolean({ error: 'revokeOthers must be true or false' }).optional(),
})
export type CreateLinkRequest = z.infer<typeof CreateLinkRequest>

/** Answer of `POST /api/atlases/:id/links` (201): the secret, shown once; the server keeps its hash. */
export const CreateLinkResponse = z.object({
  linkId: z.string().regex(LINK_ID_PATTERN),
  role: Role,
  label: z.string(),
  token: z.string().regex(TOKEN_PATTERN),
  /** The atlas page with the secret in the fragment (never sent to a server). */
  url: z.string(),
})
export type CreateLinkResponse = z.infer<typeof CreateLinkResponse>

/** One link as `GET /api/atlases/:id/links` lists it: never its secret. */
export const LinkInfo = z.object({
  linkId: z.string().regex(LINK_ID_PATTERN),
  role: Role,
  label: z.string(),
  /** ISO 8601 time the link was made. */
  createdAt: z.string(),
  /** ISO 8601 time it was last used (to the hour), null when never. */
  lastUsedAt: z.string().nullable(),
  /** True for the link the request was made with. */
  current: z.boolean(),
})
export type LinkInfo = z.infer<typeof LinkInfo>

/** Answer of `GET /api/atlases/:id/links`: every link of the atlas, oldest first. */
export const LinkList = z.array(LinkInfo)
export type LinkList = z.infer<typeof LinkList>

/** Body of `PUT /api/atlases/:id/private-time`. */
export const PrivateTimeRequest = z.object({
  on: z.boolean({ error: 'on must be true or false' }),
})
export type PrivateTimeRequest = z.infer<typeof PrivateTimeRequest>
