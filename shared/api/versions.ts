import { z } from 'zod'
import { PlanVersionContent } from '../plan/versions'

/** The most versions one atlas keeps (one per meeting: decades of meetings). */
export const MAX_VERSIONS = 500

/**
 * A version of the plan, kept by the server when a meeting finishes: the plan's words with the
 * names as they were, the hash an approval of that plan carries, when and at which meeting.
 * Never changed afterwards; restoring one is a new change to the plan.
 */
export const PlanVersion = z.object({
  id: z.string(),
  /** 1, 2, … in the order they were kept. */
  number: z.number().int().min(1),
  /** ISO 8601 time it was kept. */
  at: z.string(),
  /** The basisteam meeting it closed, or null for the meedenkbijeenkomst. */
  meetingId: z.string().nullable(),
  /** Hex SHA-256 of `versionHashInput(content)`: equal to the `planHash` of an approval of it. */
  planHash: z.string().regex(/^[0-9a-f]{64}$/),
  content: PlanVersionContent,
})
export type PlanVersion = z.infer<typeof PlanVersion>

/** Body of `POST /api/atlases/:id/versions` (edit links only). */
export const CreateVersionRequest = z.object({
  meetingId: z
    .string({ error: 'meetingId must be a string or null' })
    .min(1, 'meetingId must not be empty')
    .max(100, 'meetingId must be at most 100 characters')
    .nullable(),
})
export type CreateVersionRequest = z.infer<typeof CreateVersionRequest>

/** Answer of `GET /api/atlases/:id/versions`: every version, oldest first. */
export const VersionList = z.object({ versions: z.array(PlanVersion) })
export type VersionList = z.infer<typeof VersionList>
