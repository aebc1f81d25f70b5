import type { SerializedSchema, SerializedStore, UnknownRecord } from '@tldraw/store'
import type { TLRecord } from '@tldraw/tlschema'
import type * as Y from 'yjs'
import { z } from 'zod'
import { AtlasContent, readAtlasContent, SkippedRecord } from '../domain/content'
import { PlanPart, planPartPersonIds, readPlanPart } from '../plan/planFile'
import { atlasSchema } from '../schema'
import { RecordsMap, readSchema } from '../sync/records'
import { CreateAtlasResponse, MAX_TITLE_LENGTH } from './atlases'
import { MAX_VERSIONS, PlanVersion } from './versions'

/** The value of `format` in every atlas file. */
export const ATLAS_FILE_FORMAT = 'netwerkatlas'
/** The version of the atlas file format this code writes (it reads this one and version 1). */
export const ATLAS_FILE_VERSION = 2
/** The versions of the atlas file format this code reads. */
export const READABLE_ATLAS_FILE_VERSIONS = [1, 2] as const
/** File name extension of an atlas file. */
export const ATLAS_FILE_EXTENSION = '.netwerkatlas'

/** The serialized tldraw schema the records were written with (checked loosely: tldraw reads it). */
const SerializedSchemaJson = z.looseObject({ schemaVersion: z.number().int() })

/**
 * What an import reads: the envelope. `records` stay unknown here, because each record is
 * migrated and validated on its own; `content` is derived data and is computed again.
 */
export const AtlasFileEnvelope = z.object({
  format: z.literal(ATLAS_FILE_FORMAT, { error: 'This is not a Netwerkatlas file' }),
  version: z.literal(READABLE_ATLAS_FILE_VERSIONS, {
    error: 'The file was made by a newer version of Netwerkatlas, or it is damaged',
  }),
  exportedAt: z.string({ error: 'exportedAt must be a string' }),
  title: z.string({ error: 'title must be a string' }),
  schema: SerializedSchemaJson,
  records: z.array(z.unknown(), { error: 'records must be a list' }),
  content: z.unknown(),
  // Version 2: checked by `readPlanFields`, after the envelope and the forbidden keys.
  plan: z.unknown().optional(),
  versions: z.unknown().optional(),
})

/** The plan part of a file: null when the atlas has none (and in every version 1 file). */
const FilePlan = PlanPart.nullable()

/** The versions of the plan a file carries, oldest first; their ids differ. */
const FileVersions = z
  .array(PlanVersion, { error: 'versions must be a list' })
  .max(MAX_VERSIONS, `a plan may keep at most ${MAX_VERSIONS} versions`)
  .refine((list) => new Set(list.map((v) => v.id)).size === list.length, 'two versions share an id')

/** An atlas file as written by `buildAtlasFile`: every document record plus the structured content. */
export const AtlasFile = AtlasFileEnvelope.extend({
  records: z.array(z.looseObject({ id: z.string(), typeName: z.string() })),
  content: AtlasContent,
  plan: FilePlan,
  versions: FileVersions,
})
export type AtlasFile = z.infer<typeof AtlasFile>

/** Records listed in an import's `skipped` answer at most; the rest are only counted. */
export const MAX_SKIPPED_LISTED = 100

/**
 * Answer of `POST /api/atlases/import` (201): a new atlas, and the records that were left out
 * (the first `MAX_SKIPPED_LISTED` of them; `skippedMore` counts the others).
 */
export const ImportAtlasResponse = CreateAtlasResponse.extend({
  title: z.string(),
  skipped: z.array(SkippedRecord),
  skippedMore: z.number().int().min(0),
})
export type ImportAtlasResponse = z.infer<typeof ImportAtlasResponse>

/** The plan beside an atlas, as an export takes it: its document and its versions. */
export interface PlanSource {
  doc: Y.Doc
  versions: PlanVersion[]
}

/**
 * The atlas file of a doc: its records as stored, the schema they were written with, the content,
 * and (given `plan`) the plan and its versions.
 */
export function buildAtlasFile(
  doc: Y.Doc,
  title: string,
  now = new Date(),
  plan: PlanSource | null = null,
): AtlasFile {
  return {
    format: ATLAS_FILE_FORMAT,
    version: ATLAS_FILE_VERSION,
    exportedAt: now.toISOString(),
    title,
    schema: (readSchema(doc) ?? atlasSchema.serialize()) as unknown as AtlasFile['schema'],
    records: [...new RecordsMap(doc).values()] as unknown as AtlasFile['records'],
    content: readAtlasContent(doc),
    plan: plan ? readPlanPart(plan.doc) : null,
    versions: plan ? plan.versions : [],
  }
}

/** A file name for an atlas file: the title without characters file systems refuse. */
export function atlasFileName(title: string): string {
  return safeFileName(title, ATLAS_FILE_EXTENSION)
}

/** A file name made of `name` (characters no file system allows left out) and `extension`. */
export function safeFileName(name: string, extension: string): string {
  const base = name.replace(/[\\/:*?"<>|\p{Cc}]+/gu, ' ').trim() || 'atlas'
  return `${base.slice(0, 100)}${extension}`
}

/** What an import makes of a file: the title and records to store, and what was left out. */
export type ReadAtlasFileResult =
  | {
      ok: true
      title: string
      records: TLRecord[]
      skipped: SkippedRecord[]
      plan: PlanPart | null
      versions: PlanVersion[]
    }
  | { ok: false; error: string; tooLarge?: true }

/**
 * Names no key or record id of an atlas file may have: in a plain object they reach or replace
 * its prototype instead of being data, so they are refused by name wherever they appear.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
])

/** The first forbidden key (`FORBIDDEN_KEYS`) anywhere in parsed JSON, or null. */
export function forbiddenKey(json: unknown): string | null {
  // A loop, not recursion: a file of deeply nested lists must not overflow the stack.
  const pending: unknown[] = [json]
  while (pending.length > 0) {
    const value = pending.pop()
    if (typeof value !== 'object' || value === null) continue
    if (Array.isArray(value)) {
      for (const item of value) if (typeof item === 'object' && item !== null) pending.push(item)
      continue
    }
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) return key
      const item = (value as Record<string, unknown>)[key]
      if (typeof item === 'object' && item !== null) pending.push(item)
    }
  }
  return null
}

/** The record type named `typeName`, if the atlas schema has one. */
function recordType(typeName: unknown) {
  const types: Record<string, (typeof atlasSchema.types)[keyof typeof atlasSchema.types]> =
    atlasSchema.types
  return typeof typeName === 'string' && Object.hasOwn(types, typeName)
    ? types[typeName]
    : undefined
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] || 'invalid' : 'invalid'
}

/**
 * Reads an atlas file (parsed JSON). A foreign or damaged envelope gives `ok: false`. Records
 * are migrated to the current schema; a record that cannot be migrated or does not validate is
 * left out and listed in `skipped`.
 */
export function readAtlasFile(
  json: unknown,
  { maxRecords = Number.POSITIVE_INFINITY }: { maxRecords?: number } = {},
): ReadAtlasFileResult {
  const parsed = AtlasFileEnvelope.safeParse(json)
  if (!parsed.success) {
    return { ok: false, error: parsed.error.issues[0]?.message ?? 'Invalid atlas file' }
  }
  const file = parsed.data
  if (file.records.length > maxRecords) {
    return {
      ok: false,
      error: `The atlas file holds more than ${maxRecords} records`,
      tooLarge: true,
    }
  }
  const forbidden = forbiddenKey(json)
  if (forbidden !== null) {
    return { ok: false, error: `The atlas file holds a key that is not allowed: ${forbidden}` }
  }
  const planFields = readPlanFields(file)
  if (!planFields.ok) return planFields
  const schema = file.schema as unknown as SerializedSchema
  const skipped: SkippedRecord[] = []
  const store: Record<string, UnknownRecord> = {}
  file.records.forEach((raw, index) => {
    const { id, typeName } = (raw ?? {}) as { id?: unknown; typeName?: unknown }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || typeof id !== 'string') {
      skipped.push({ id: typeof id === 'string' ? id : `#${index}`, reason: 'not a record' })
      return
    }
    if (FORBIDDEN_KEYS.has(id)) {
      skipped.push({ id, reason: 'this id is not allowed' })
      return
    }
    const type = recordType(typeName)
    if (type?.scope !== 'document') {
      skipped.push({ id, reason: `unknown record type ${String(typeName)}` })
      return
    }
    if (Object.hasOwn(store, id)) {
      skipped.push({ id, reason: 'duplicate id' })
      return
    }
    store[id] = raw as UnknownRecord
  })

  let migrated: Record<string, unknown>
  let whole: ReturnType<typeof atlasSchema.migrateStoreSnapshot>
  try {
    whole = atlasSchema.migrateStoreSnapshot({ schema, store: store as SerializedStore<TLRecord> })
  } catch {
    return { ok: false, error: 'The schema in the file cannot be read' }
  }
  if (whole.type === 'success') {
    migrated = whole.value
  } else if (whole.reason === 'target-version-too-new') {
    return { ok: false, error: 'The file was made by a newer version of Netwerkatlas' }
  } else {
    // One bad record fails the whole store: migrate record by record to keep the good ones.
    migrated = {}
    for (const [id, record] of Object.entries(store)) {
      try {
        const one = atlasSchema.migratePersistedRecord(record as TLRecord, schema)
        if (one.type === 'success') migrated[id] = one.value
        else skipped.push({ id, reason: `cannot be migrated (${one.reason})` })
      } catch (error) {
        skipped.push({ id, reason: `cannot be migrated (${errorText(error)})` })
      }
    }
  }

  const records: TLRecord[] = []
  for (const [id, record] of Object.entries(migrated)) {
    const type = recordType((record as { typeName?: unknown } | null)?.typeName)
    try {
      if (!type) throw new Error('unknown record type')
      records.push(type.validate(record) as TLRecord)
    } catch (error) {
      skipped.push({ id, reason: errorText(error) })
    }
  }
  const title = file.title.trim().slice(0, MAX_TITLE_LENGTH) || 'Atlas'
  return { ok: true, title, records, skipped, plan: planFields.plan, versions: planFields.versions }
}

/** Where in the plan part an issue is, in words ("plan.agreements.0.what"). */
function issueText(part: string, error: z.ZodError): string {
  const issue = error.issues[0]
  const path = [part, ...(issue?.path ?? [])].join('.')
  return `The ${part} in the atlas file is damaged (${path}: ${issue?.message ?? 'invalid'})`
}

/**
 * The plan and the versions of a version 2 file, checked; a version 1 file has neither. The plan
 * names persons by the ids of the file's person records, which the import keeps. A person taken
 * off the atlas while the plan still named him reads as unknown in the plan, before the export as
 * after the import: refusing such a file would make a backup that cannot be opened.
 */
function readPlanFields(
  file: z.infer<typeof AtlasFileEnvelope>,
): { ok: true; plan: PlanPart | null; versions: PlanVersion[] } | { ok: false; error: string } {
  if (file.version === 1) return { ok: true, plan: null, versions: [] }
  const plan = FilePlan.safeParse(file.plan ?? null)
  if (!plan.success) return { ok: false, error: issueText('plan', plan.error) }
  const versions = FileVersions.safeParse(file.versions ?? [])
  if (!versions.success) return { ok: false, error: issueText('versions', versions.error) }
  if (plan.data) {
    for (const id of planPartPersonIds(plan.data)) {
      if (!id.startsWith('person:')) {
        return {
          ok: false,
          error: `The plan in the atlas file names a person by an id that is not a person's (${id})`,
        }
      }
    }
  }
  return { ok: true, plan: plan.data, versions: versions.data }
}
