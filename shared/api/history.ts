import { z } from 'zod'
import type { AtlasContent } from '../domain/content'
import { Role } from './atlases'

/** Why the server kept a snapshot: edits (at most one per interval), or just before a bulk change. */
export const SNAPSHOT_REASONS = ['edits', 'import', 'before-restore'] as const
export type SnapshotReason = (typeof SNAPSHOT_REASONS)[number]

/** The id of a snapshot: 16 URL-safe characters. */
export const SnapshotId = z.string().regex(/^[A-Za-z0-9_-]{16}$/, 'Not a snapshot id')

/** A link that edited the atlas: its label and role as they were (never its secret); null label: a link stopped since. */
export const SnapshotEditor = z.object({ label: z.string().nullable(), role: Role })
export type SnapshotEditor = z.infer<typeof SnapshotEditor>

/** One snapshot of the maps as the server keeps it (without its content). */
export const SnapshotInfo = z.object({
  id: SnapshotId,
  /** ISO 8601 time it was taken. */
  at: z.string(),
  reason: z.enum(SNAPSHOT_REASONS),
  /** The links that edited since the snapshot before it. */
  editors: z.array(SnapshotEditor),
})
export type SnapshotInfo = z.infer<typeof SnapshotInfo>

/** Answer of `GET /api/atlases/:id/history`: the snapshots, newest first, and how long they are kept. */
export const HistoryList = z.object({
  snapshots: z.array(SnapshotInfo),
  keepDays: z.number().int(),
  maxSnapshots: z.number().int(),
})
export type HistoryList = z.infer<typeof HistoryList>

/** Answer of `GET /api/atlases/:id/history/:snapshot`: the snapshot and what the maps held then. */
export interface SnapshotContent {
  snapshot: SnapshotInfo
  content: AtlasContent
}

/** A person or relation named in a comparison, as the snapshot or now has it. */
export const ChangedPerson = z.object({ id: z.string(), name: z.string() })
export type ChangedPerson = z.infer<typeof ChangedPerson>

export const ChangedRelation = z.object({
  id: z.string(),
  kind: z.string(),
  from: ChangedPerson,
  to: ChangedPerson,
})
export type ChangedRelation = z.infer<typeof ChangedRelation>

/** A snapshot held against the atlas as it is now: what was added, removed and moved since. */
export const HistoryComparison = z.object({
  persons: z.object({
    added: z.array(ChangedPerson),
    removed: z.array(ChangedPerson),
    moved: z.array(ChangedPerson),
  }),
  relations: z.object({
    added: z.array(ChangedRelation),
    removed: z.array(ChangedRelation),
  }),
})
export type HistoryComparison = z.infer<typeof HistoryComparison>

/** Body of `POST /api/atlases/:id/history/:snapshot/restore`: one person (with his relations), or everything. */
export const RestoreRequest = z.object({
  personId: z
    .string({ error: 'personId must be a string' })
    .min(1, 'personId must not be empty')
    .max(200, 'personId must be at most 200 characters')
    .optional(),
})
export type RestoreRequest = z.infer<typeof RestoreRequest>

/** Answer of a restore: how many persons and relations came back or changed. */
export const RestoreResponse = z.object({
  persons: z.number().int(),
  relations: z.number().int(),
  /** The snapshot of the atlas taken just before the restore. */
  before: SnapshotId,
})
export type RestoreResponse = z.infer<typeof RestoreResponse>
