import { type Editor, type TLRecord, type TLStore, transact } from 'tldraw'
import {
  clientNameFromTitle,
  type PageLayoutPlan,
  planAtlasPages,
} from '../../../shared/domain/pageLayout'
import { instrumentPageId } from '../../../shared/schema/pages'

/** What the layout needs beyond the atlas itself. */
export interface EnsureAtlasPagesOptions {
  /** The atlas title ("Atlas van Sanne"); names the client when the atlas has none yet. */
  title?: string
  /** The year the time axis runs up to (default: this year). */
  thisYear?: number
}

function plan(records: TLRecord[], options: EnsureAtlasPagesOptions): PageLayoutPlan {
  const title = options.title ?? ''
  return planAtlasPages(records, {
    clientName: clientNameFromTitle(title),
    thisYear: options.thisYear ?? new Date().getFullYear(),
  })
}

/**
 * Gives an atlas its five instrument pages, laid out for their purpose, in a store without an
 * editor (tests, tools). Returns what was planned; see `ensureAtlasPages`.
 */
export function ensureAtlasPagesInStore(
  store: TLStore,
  options: EnsureAtlasPagesOptions = {},
): PageLayoutPlan {
  const result = plan(store.allRecords(), options)
  transact(() => {
    if (result.put.length) store.put(result.put)
    if (result.removePageIds.length) store.remove(result.removePageIds)
  })
  return result
}

/**
 * Gives the open atlas its five instrument pages (Basisposter, Familiekaart, Relatiekaart,
 * Contactschema, Gebeurteniskaart) with their fixed ids and layout, and removes tldraw's empty
 * default page. Call it once when an editable atlas mounts: it only adds what is missing, and
 * two devices that run it at the same moment write the same records. Kept out of undo history.
 * Does nothing on a read-only editor.
 */
export function ensureAtlasPages(editor: Editor, options: EnsureAtlasPagesOptions = {}): void {
  if (editor.getIsReadonly()) return
  const result = plan(editor.store.allRecords(), {
    title: options.title ?? editor.getDocumentSettings().name,
    thisYear: options.thisYear,
  })
  if (!result.put.length && !result.removePageIds.length) return
  editor.run(
    () => {
      if (result.put.length) editor.store.put(result.put)
      const current = editor.getCurrentPageId()
      if (result.removePageIds.includes(current) || !editor.getPage(current)) {
        editor.setCurrentPage(instrumentPageId('basisposter'))
      }
      for (const id of result.removePageIds) editor.deletePage(id)
    },
    { history: 'ignore', ignoreShapeLock: true },
  )
}
