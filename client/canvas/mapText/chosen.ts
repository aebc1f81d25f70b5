import i18next from 'i18next'
import type { Editor } from 'tldraw'
import { readAtlasContent } from '../../../shared/domain/content'
import { instrumentOfPage } from '../../../shared/schema/pages'
import { describeChosen } from './describe'

/**
 * A person on the canvas in a few words for tldraw's announcement of the selection ("Ria, moeder,
 * binnenste ring, familie"): his family role from the family ties, and on the relationship map
 * his ring and sector. Reads only the people, the relation lines and the pages, not every shape.
 */
export function describePersonOnCanvas(editor: Editor, personId: string): string | null {
  const { query } = editor.store
  const content = readAtlasContent([
    ...query.records('person').get(),
    ...query.records('page').get(),
    ...query
      .records('shape')
      .get()
      .filter((s) => s.type === 'relation'),
  ])
  return describeChosen(
    { type: 'person', personId },
    content,
    instrumentOfPage(editor.getCurrentPageId()),
    { t: i18next.t, language: i18next.language },
  )
}
