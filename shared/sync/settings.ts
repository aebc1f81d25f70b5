import type * as Y from 'yjs'
import { META_KEY } from './layout'

/** Key in the meta map: may people with the view link export and print? (default: yes) */
export const META_VIEWERS_MAY_EXPORT = 'viewersMayExport'

/** Whether people with the view link may export the atlas (images, PDF, atlas file). */
export function viewersMayExport(doc: Y.Doc): boolean {
  return doc.getMap(META_KEY).get(META_VIEWERS_MAY_EXPORT) !== false
}

/** Sets whether people with the view link may export; an edit link's choice, synced to all. */
export function setViewersMayExport(doc: Y.Doc, allowed: boolean): void {
  doc.getMap(META_KEY).set(META_VIEWERS_MAY_EXPORT, allowed)
}
