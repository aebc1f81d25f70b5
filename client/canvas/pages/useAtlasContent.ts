import { type Editor, useEditor, useValue } from 'tldraw'
import { type AtlasContent, readAtlasContent } from '../../../shared/domain/content'

/** The atlas's structured content, read from the editor's records (not its camera or pointer). */
export function atlasContentOf(editor: Editor): AtlasContent {
  const { query } = editor.store
  return readAtlasContent([
    ...query.records('person').get(),
    ...query.records('shape').get(),
    ...query.records('page').get(),
    ...query.records('question').get(),
    ...query.records('poster').get(),
  ])
}

/** The atlas's structured content, live: re-read when a person, shape, question or the poster changes. */
export function useAtlasContent(): AtlasContent {
  const editor = useEditor()
  return useValue('atlas content', () => atlasContentOf(editor), [editor])
}

/**
 * The poster's texts and the questions for the plan, live: re-read only when a question or the
 * poster changes, not at every move of a shape (which re-reading the whole atlas would be).
 */
export function usePosterContent(): Pick<AtlasContent, 'poster' | 'questions'> {
  const editor = useEditor()
  return useValue('poster content', () => {
    const { query } = editor.store
    const { poster, questions } = readAtlasContent([
      ...query.records('question').get(),
      ...query.records('poster').get(),
    ])
    return { poster, questions }
  }, [editor])
}
