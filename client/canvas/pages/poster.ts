import {
  type Editor,
  getIndexAbove,
  getIndexBelow,
  getIndexBetween,
  type IndexKey,
  uniqueId,
} from 'tldraw'
import type { ContentQuestion, PosterTexts } from '../../../shared/domain/content'
import { type AtlasPoster, type AtlasQuestion, POSTER_ID } from '../../../shared/schema/poster'

/** Writes some of the basisposter's texts (creating the poster record if the atlas lacks it). */
export function updatePoster(editor: Editor, patch: Partial<PosterTexts>): void {
  const current = editor.store.get(POSTER_ID)
  const next: AtlasPoster = {
    ...(current ?? { id: POSTER_ID, typeName: 'poster', story: '', goesWell: '', wishes: '' }),
    ...patch,
  }
  editor.store.put([next])
}

/**
 * Adds an empty question right after the question `afterId` (at the end without it, or when
 * that question is gone); returns its id. One undo step.
 */
export function addQuestion(
  editor: Editor,
  questions: readonly ContentQuestion[],
  afterId?: string,
): string {
  const found = afterId === undefined ? -1 : questions.findIndex((q) => q.id === afterId)
  const at = found < 0 ? questions.length - 1 : found
  const key = (n: number) => (questions[n]?.index ?? null) as IndexKey | null
  const question: AtlasQuestion = {
    id: `question:${uniqueId()}` as AtlasQuestion['id'],
    typeName: 'question',
    text: '',
    index: at < questions.length - 1 ? between(key(at), key(at + 1)) : getIndexAbove(key(at)),
  }
  editor.markHistoryStoppingPoint('add question')
  editor.store.put([question])
  return question.id
}

/** Changes a question's text. */
export function updateQuestion(editor: Editor, id: string, text: string): void {
  const question = editor.store.get(id as AtlasQuestion['id'])
  if (question) editor.store.put([{ ...question, text }])
}

/** Removes a question. One undo step. */
export function removeQuestion(editor: Editor, id: string): void {
  editor.markHistoryStoppingPoint('remove question')
  editor.store.remove([id as AtlasQuestion['id']])
}

/**
 * Moves a question one place up or down by giving it a sort key between its new neighbours, so
 * only that question changes and two people reordering at once both keep their move.
 */
export function moveQuestion(
  editor: Editor,
  questions: readonly ContentQuestion[],
  id: string,
  direction: 'up' | 'down',
): void {
  const i = questions.findIndex((q) => q.id === id)
  const question = editor.store.get(id as AtlasQuestion['id'])
  if (i < 0 || !question) return
  const key = (n: number) => (questions[n]?.index ?? null) as IndexKey | null
  let index: IndexKey
  if (direction === 'up') {
    if (i === 0) return
    index = between(key(i - 2), key(i - 1))
  } else {
    if (i === questions.length - 1) return
    index = between(key(i + 1), key(i + 2))
  }
  editor.markHistoryStoppingPoint('move question')
  editor.store.put([{ ...question, index }])
}

/** A key between two neighbours; when two devices gave them the same key, one just past it. */
function between(below: IndexKey | null, above: IndexKey | null): IndexKey {
  if (below !== null && above !== null && below >= above) {
    return above === below ? getIndexBelow(above) : getIndexAbove(below)
  }
  return getIndexBetween(below, above)
}
