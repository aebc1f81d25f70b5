/**
 * `npm run migrate-storage`: moves every atlas of an embedded data folder (DATA_DIR, encrypted
 * ones with ATLAS_ENCRYPTION_KEY) into the PostgreSQL database at DATABASE_URL, for the scaled
 * mode, with its plan versions, access log and history. Each atlas moves in one transaction, and
 * one already in the database is left as it is, so running it again (after a failure, or twice)
 * is safe. The folder's atlases stay where they
 * are (opening a document folds its update log into its snapshot, as the server does).
 */
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { SnapshotInfo } from '../shared/api/history'
import { ConfigError, loadMigrationConfig } from './config'
import { createLogger, errorKind } from './log'
import { AtRestCipher } from './storage/encryption'
import { LowdbAtlasStore, StorageSetupError } from './storage/lowdb'
import { PostgresAtlasStore } from './storage/postgres'
import { StorageError } from './storage/types'

/** What a move did, atlas by atlas. */
export interface MoveSummary {
  moved: string[]
  /** Already in the database: left as they were. */
  present: string[]
  /** Erased in the database: not brought back. */
  erased: string[]
  /** Could not be read or written; each with a reason that holds no content. */
  failed: { id: string; reason: string }[]
  /** Records of atlases erased in the folder, newly kept in the database. */
  erasures: number
}

/** Moves every atlas of `source` into `target` (see the file's comment). */
export async function moveAtlases(
  source: LowdbAtlasStore,
  target: PostgresAtlasStore,
): Promise<MoveSummary> {
  const summary: MoveSummary = { moved: [], present: [], erased: [], failed: [], erasures: 0 }
  for (const id of await source.atlasIds()) {
    try {
      const meta = await source.getMeta(id)
      if (!meta) {
        summary.failed.push({ id, reason: 'no meta.json' })
        continue
      }
      const result = await target.importAtlas({
        meta,
        docs: { atlas: await source.loadDoc(id), plan: await source.loadDoc(`${id}/plan`) },
        versions: await source.listVersions(id),
        access: await source.readAccess(id, new Date(0)),
        history: await historyOf(source, id),
      })
      summary[result === 'added' ? 'moved' : result].push(id)
    } catch (error) {
      // A StorageError's message names the file and the kind of damage, never the content.
      const reason = error instanceof StorageError ? error.message : errorKind(error)
      summary.failed.push({ id, reason })
    }
  }
  for (const [id, erasedAt] of source.erasures()) {
    if (await target.importErasure(id, erasedAt)) summary.erasures++
  }
  return summary
}

/** The snapshots of an atlas's maps with their states, oldest first (one whose file is gone is left out). */
async function historyOf(
  source: LowdbAtlasStore,
  id: string,
): Promise<{ info: SnapshotInfo; state: Uint8Array }[]> {
  const history: { info: SnapshotInfo; state: Uint8Array }[] = []
  for (const info of await source.listSnapshots(id)) {
    const state = await source.loadSnapshot(id, info.id)
    if (state) history.push({ info, state })
  }
  return history
}

/** The summary in plain words, one line per fact. */
export function describeSummary(summary: MoveSummary): string {
  const atlases = (n: number) => `${n} ${n === 1 ? 'atlas' : 'atlases'}`
  const lines = [
    `Moved ${atlases(summary.moved.length)} into PostgreSQL.`,
    `${atlases(summary.present.length)} already there: left as they were.`,
  ]
  if (summary.erased.length > 0) {
    lines.push(`${atlases(summary.erased.length)} erased in the database: not brought back.`)
  }
  lines.push(`${summary.erasures} new records of erased atlases.`)
  if (summary.failed.length > 0) {
    lines.push(`${atlases(summary.failed.length)} could not be moved:`)
    for (const { id, reason } of summary.failed) lines.push(`  ${id}: ${reason}`)
    lines.push('Nothing of those is in the database; run the command again once they are fixed.')
  }
  return `${lines.join('\n')}\n`
}

async function main(): Promise<number> {
  let config: ReturnType<typeof loadMigrationConfig>
  try {
    config = loadMigrationConfig(process.env)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    process.stderr.write(`${error.message}\n`)
    return 1
  }
  const cipher = config.encryptionKey ? new AtRestCipher(config.encryptionKey) : null
  const log = createLogger('warn')
  let source: LowdbAtlasStore
  let target: PostgresAtlasStore
  // Opening a folder would make one: a mistyped DATA_DIR must not look like an empty one.
  if (!(await stat(join(config.dataDir, 'atlases')).catch(() => null))?.isDirectory()) {
    process.stderr.write(`Nothing was moved: ${config.dataDir} holds no atlases folder.\n`)
    return 1
  }
  try {
    source = await LowdbAtlasStore.open(config.dataDir, { cipher, log })
    target = await PostgresAtlasStore.open(config.databaseUrl, { cipher, log })
  } catch (error) {
    if (!(error instanceof StorageSetupError)) throw error
    process.stderr.write(`Nothing was moved: ${error.message}\n`)
    return 1
  }
  try {
    const summary = await moveAtlases(source, target)
    process.stdout.write(describeSummary(summary))
    return summary.failed.length > 0 ? 1 : 0
  } finally {
    await target.close()
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main()
}
