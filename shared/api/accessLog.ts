import { z } from 'zod'
import { Role } from './atlases'

/**
 * The device a link was used from, as far as the browser tells it in its User-Agent: a kind
 * (phone, tablet, computer), a browser and a system family. Never the full User-Agent string,
 * versions or anything that would single out one device.
 */
export const DeviceInfo = z.object({
  kind: z.enum(['phone', 'tablet', 'computer']).nullable(),
  browser: z.string().max(40).nullable(),
  system: z.string().max(40).nullable(),
})
export type DeviceInfo = z.infer<typeof DeviceInfo>

/**
 * What an export made: the atlas file, images or PDF of the maps, the printed plan, or a print of
 * the atlas page (the contact schedule's print button, or the browser's own).
 */
export const ExportKind = z.enum(['atlas-file', 'image', 'pdf', 'plan-pdf', 'print'])
export type ExportKind = z.infer<typeof ExportKind>

/** A link as the access log names it: its role and label, never its secret or hash. */
export const LoggedLink = z.object({
  linkId: z.string(),
  role: Role,
  label: z.string(),
})
export type LoggedLink = z.infer<typeof LoggedLink>

/** What happened, per entry of the access log. */
export const AccessEvent = z.enum([
  /** The atlas was made (a new atlas, or from an atlas file: `imported`). */
  'created',
  'imported',
  /** A link opened the atlas (its maps, plan or meeting), coalesced per link and device. */
  'opened',
  'link-made',
  'link-stopped',
  'private-time-on',
  'private-time-off',
  'exported',
  /** A snapshot of the history put back: one person (with his relations), or the whole atlas. */
  'restored-person',
  'restored-atlas',
])
export type AccessEvent = z.infer<typeof AccessEvent>

/** One line of the access log: who (by link), what, when, from which kind of device. No content. */
export const AccessEntry = z.object({
  /** ISO 8601 time. */
  at: z.string(),
  event: AccessEvent,
  /** The link that did it; null for a new or imported atlas (no link existed yet). */
  by: LoggedLink.nullable(),
  device: DeviceInfo,
  /** The link made or stopped (`link-made`, `link-stopped`). */
  link: LoggedLink.optional(),
  /** What was exported (`exported`). */
  export: ExportKind.optional(),
})
export type AccessEntry = z.infer<typeof AccessEntry>

/** Answer of `GET /api/atlases/:id/access-log` (edit links): the entries kept, newest first. */
export const AccessLogResponse = z.object({
  entries: z.array(AccessEntry),
  /** How many days entries are kept. */
  retentionDays: z.number(),
})
export type AccessLogResponse = z.infer<typeof AccessLogResponse>

/** Body of `POST /api/atlases/:id/access-log/exports`: what this device just exported. */
export const ExportNoteRequest = z.object({ kind: ExportKind })
export type ExportNoteRequest = z.infer<typeof ExportNoteRequest>
