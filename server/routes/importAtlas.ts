import { createHash } from 'node:crypto'
import * as Y from 'yjs'
import { MAX_SKIPPED_LISTED, readAtlasFile } from '../../shared/api/atlasFile'
import type { PlanVersion } from '../../shared/api/versions'
import type { SkippedRecord } from '../../shared/domain/content'
import { seedAtlasDoc } from '../../shared/domain/sampleAtlas'
import { writePlanPart } from '../../shared/plan/planFile'
import { versionHashInput } from '../../shared/plan/versions'

/** What an import may cost: records in the file, and bytes of the atlas it becomes. */
export interface ImportLimits {
  maxRecords: number
  maxDocumentBytes: number
}

/** What `atlasFileState` makes of an atlas file; `status` is the HTTP status of a refusal. */
export type AtlasFileState =
  | {
      ok: true
      title: string
      state: Uint8Array
      /** The plan document's state, or null when the file has no plan. */
      planState: Uint8Array | null
      /** The plan's versions as the file keeps them, oldest first (renumbered when stored). */
      versions: PlanVersion[]
      skipped: SkippedRecord[]
      skippedMore: number
    }
  | { ok: false; status: 400 | 413; error: string }

/** Longest id and reason in a `skipped` entry: they come from the file, whatever their size. */
const MAX_SKIPPED_TEXT = 200

const short = (text: string) =>
  text.length > MAX_SKIPPED_TEXT ? `${text.slice(0, MAX_SKIPPED_TEXT)}…` : text

/**
 * Reads an atlas file (its bytes, UTF-8 JSON) and builds the Yjs state of the atlas it holds.
 * Runs in the import worker (`importWorker.ts`): parsing 20 MB takes seconds of one core.
 */
export function atlasFileState(bytes: Uint8Array, limits: ImportLimits): AtlasFileState {
  let json: unknown
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch {
    return { ok: false, status: 400, error: 'The atlas file is not valid JSON' }
  }
  const file = readAtlasFile(json, { maxRecords: limits.maxRecords })
  if (!file.ok) return { ok: false, status: file.tooLarge ? 413 : 400, error: file.error }
  // A version's hash is what an approval of that plan names: it must be the hash of its content.
  for (const version of file.versions) {
    const hash = createHash('sha256')
      .update(versionHashInput(version.content), 'utf8')
      .digest('hex')
    if (hash !== version.planHash) {
      return {
        ok: false,
        status: 400,
        error: `Version ${version.number} of the plan in the atlas file does not match its hash`,
      }
    }
  }
  const doc = new Y.Doc()
  seedAtlasDoc(doc, file.records)
  const state = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  let planState: Uint8Array | null = null
  if (file.plan) {
    const plan = new Y.Doc()
    writePlanPart(plan, file.plan)
    planState = Y.encodeStateAsUpdate(plan)
    plan.destroy()
  }
  if (
    state.byteLength > limits.maxDocumentBytes ||
    (planState?.byteLength ?? 0) > limits.maxDocumentBytes
  ) {
    return {
      ok: false,
      status: 413,
      error: 'The atlas in this file is larger than this server allows',
    }
  }
  const listed = file.skipped.slice(0, MAX_SKIPPED_LISTED)
  return {
    ok: true,
    title: file.title,
    state,
    planState,
    versions: file.versions,
    skipped: listed.map(({ id, reason }) => ({ id: short(id), reason: short(reason) })),
    skippedMore: file.skipped.length - listed.length,
  }
}
