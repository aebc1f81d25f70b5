import type { TFunction } from 'i18next'
import { ArrowDown, ArrowUp, NotebookPen, Plus, Trash2, X } from 'lucide-react'
import { useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type Atom, atom, type Editor, useEditor, useValue } from 'tldraw'
import type { ContentQuestion, PosterTexts } from '../../../shared/domain/content'
import { instrumentOfPage } from '../../../shared/schema/pages'
import { POSTER_FIELDS, type PosterField } from '../../../shared/schema/poster'
import { ReadAloud } from '../../components/ReadAloud'
import { SharedTextArea } from '../../components/SharedTextArea'
import { useKeysStayHere } from '../people/useKeysStayHere'
import { addQuestion, moveQuestion, removeQuestion, updatePoster, updateQuestion } from './poster'
import type { SheetPlace } from './sheetPlace'
import { usePosterContent } from './useAtlasContent'

const HINTS: Record<PosterField, 'storyHint' | 'goesWellHint' | 'wishesHint'> = {
  story: 'storyHint',
  goesWell: 'goesWellHint',
  wishes: 'wishesHint',
}

/** Whether the poster sheet is open, per editor: the toggle and the sheet live in different slots. */
const sheetOpen = new WeakMap<Editor, Atom<boolean>>()
function posterSheetOpen(editor: Editor): Atom<boolean> {
  let open = sheetOpen.get(editor)
  if (!open) {
    open = atom('poster sheet open', false)
    sheetOpen.set(editor, open)
  }
  return open
}

/** The id of the poster sheet (one canvas per page). */
const SHEET_ID = 'poster-sheet'

/** Closes the sheet and gives the focus back to the button that opened it. */
function closePosterSheet(editor: Editor): void {
  posterSheetOpen(editor).set(false)
  requestAnimationFrame(() =>
    editor.getContainer().ownerDocument.querySelector<HTMLElement>('.poster-toggle')?.focus(),
  )
}

/**
 * The button that opens the basisposter's sheet. It sits in the middle of the top bar, in
 * tldraw's own layout, so the bars beside it never cover it, however they wrap on a tablet.
 * Only on the basisposter.
 */
export function PosterToggle() {
  const { t } = useTranslation()
  const editor = useEditor()
  const onPoster = useValue(
    'on the basisposter',
    () => instrumentOfPage(editor.getCurrentPageId()) === 'basisposter',
    [editor],
  )
  const readOnly = useValue('read only', () => editor.getIsReadonly(), [editor])
  const open = useValue(posterSheetOpen(editor))
  if (!onPoster) return null
  const label = open
    ? t('content.poster.close')
    : readOnly
      ? t('content.poster.read')
      : t('content.poster.open')
  return (
    <button
      type="button"
      className="button primary poster-toggle"
      title={label}
      aria-expanded={open}
      aria-controls={open ? SHEET_ID : undefined}
      onClick={() => {
        if (open) return closePosterSheet(editor)
        // The inspector of a selected person would cover the sheet.
        editor.selectNone()
        posterSheetOpen(editor).set(true)
      }}
    >
      {open ? <X aria-hidden="true" size={20} /> : <NotebookPen aria-hidden="true" size={20} />}
      {label}
    </button>
  )
}

/**
 * The basisposter's texts (story, what already goes well, wishes) and the client's questions for
 * the plan, in a sheet opened with the `PosterToggle`. Edits write to the poster and question
 * records, so they sync like the canvas. A viewer sees the texts but cannot change them.
 */
export function PosterEditor({ place }: { place?: SheetPlace }) {
  const { t } = useTranslation()
  const editor = useEditor()
  const readOnly = useValue('read only', () => editor.getIsReadonly(), [editor])
  const focusMode = useValue('focus mode', () => editor.getInstanceState().isFocusMode, [editor])
  const open = useValue(posterSheetOpen(editor)) && !focusMode
  const { poster, questions } = usePosterContent()
  const headingId = useId()
  // Keys typed in the sheet are not shortcuts for the canvas behind it.
  const sheet = useKeysStayHere<HTMLElement>()
  // The sheet is far from its button in the page: it takes the focus when it opens, so the
  // keyboard goes on inside it; Escape closes it and gives the focus back to the button.
  useEffect(() => {
    const element = sheet.current
    if (!open || !element) return
    element.focus()
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.isComposing) closePosterSheet(editor)
    }
    element.addEventListener('keydown', onKey)
    return () => element.removeEventListener('keydown', onKey)
  }, [open, editor, sheet])
  // Leaving the basisposter, or focus mode (which hides the button), closes the sheet.
  useEffect(() => {
    if (focusMode) posterSheetOpen(editor).set(false)
  }, [focusMode, editor])
  useEffect(
    () => () => {
      posterSheetOpen(editor).set(false)
    },
    [editor],
  )
  if (!open) return null
  return (
    <section
      ref={sheet}
      tabIndex={-1}
      id={SHEET_ID}
      className="instrument-sheet poster-sheet"
      style={place}
      aria-labelledby={headingId}
      data-testid="poster-editor"
    >
      <header className="instrument-sheet-header">
        <h2 id={headingId}>{t('maps.instruments.basisposter')}</h2>
        <ReadAloud text={posterSpeech(poster, questions, t)} />
      </header>
      <div className="poster-columns">
        <div className="poster-texts">
          {POSTER_FIELDS.map((field) => (
            <PosterTextField
              key={field}
              field={field}
              poster={poster}
              readOnly={readOnly}
              onChange={(value) => updatePoster(editor, { [field]: value })}
            />
          ))}
        </div>
        <QuestionList questions={questions} readOnly={readOnly} />
      </div>
    </section>
  )
}

/** The poster's texts and questions in the order they stand, as sentences to read aloud. */
function posterSpeech(
  poster: PosterTexts,
  questions: readonly ContentQuestion[],
  t: TFunction,
): string {
  const sentence = (text: string) => {
    const trimmed = text.trim()
    return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`
  }
  const texts = POSTER_FIELDS.map(
    (field) =>
      `${sentence(t(`content.poster.${field}`))} ${sentence(poster[field] || t('content.poster.empty'))}`,
  )
  const asked = questions.filter((q) => q.text.trim())
  const list =
    asked.length > 0
      ? asked.map((q, i) => `${t('content.poster.question', { n: i + 1 })}: ${sentence(q.text)}`)
      : [sentence(t('content.poster.noQuestions'))]
  return [...texts, sentence(t('content.poster.questions')), ...list].join(' ')
}

function PosterTextField({
  field,
  poster,
  readOnly,
  onChange,
}: {
  field: PosterField
  poster: PosterTexts
  readOnly: boolean
  onChange: (value: string) => void
}) {
  const { t } = useTranslation()
  const editor = useEditor()
  const id = useId()
  const hintId = useId()
  if (readOnly) {
    return (
      <section className="poster-field" aria-labelledby={id}>
        <h3 id={id}>{t(`content.poster.${field}`)}</h3>
        <p className="poster-text">{poster[field] || t('content.poster.empty')}</p>
      </section>
    )
  }
  return (
    <div className="poster-field">
      <label htmlFor={id}>{t(`content.poster.${field}`)}</label>
      <p id={hintId} className="muted hint">
        {t(`content.poster.${HINTS[field]}`)}
      </p>
      <SharedTextArea
        id={id}
        aria-describedby={hintId}
        rows={4}
        value={poster[field]}
        onFocus={() => editor.markHistoryStoppingPoint('edit poster')}
        onChange={onChange}
      />
    </div>
  )
}

function QuestionList({
  questions,
  readOnly,
}: {
  questions: ContentQuestion[]
  readOnly: boolean
}) {
  const { t } = useTranslation()
  const editor = useEditor()
  const headingId = useId()
  const hintId = useId()
  const fields = useRef(new Map<string, HTMLTextAreaElement>())
  const list = useRef<HTMLOListElement>(null)
  const current = useRef(questions)
  current.current = questions
  const [focusId, setFocusId] = useState<string | null>(null)

  // Enter in a question starts the next one, right below it, as in a list on paper; Shift+Enter
  // is a new line within the question. An empty question stays: no row of empty questions.
  // A native listener: the sheet keeps keys from the canvas, and React would not see them.
  useEffect(() => {
    const element = list.current
    if (!element) return
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Enter' || e.shiftKey || e.isComposing || e.ctrlKey || e.metaKey || e.altKey) {
        return
      }
      const field = e.target
      if (!(field instanceof HTMLTextAreaElement)) return
      const id = field.closest('li')?.dataset.questionId
      if (!id) return
      e.preventDefault()
      if (field.value.trim() === '') return
      setFocusId(addQuestion(editor, current.current, id))
    }
    element.addEventListener('keydown', onKey)
    return () => element.removeEventListener('keydown', onKey)
  }, [editor])

  // Focus follows a question that was just added or moved, so the keyboard stays with it.
  useEffect(() => {
    if (!focusId) return
    const field = fields.current.get(focusId)
    if (field) {
      field.focus()
      setFocusId(null)
    }
  }, [focusId])

  /** After a move, the focus stays with the moved question's button (or its other arrow). */
  const keepFocus = (questionId: string, action: 'up' | 'down') => {
    requestAnimationFrame(() => {
      const item = document.querySelector(`li[data-question-id="${CSS.escape(questionId)}"]`)
      const button = item?.querySelector<HTMLButtonElement>(`button[data-action="${action}"]`)
      const other = item?.querySelector<HTMLButtonElement>(
        `button[data-action="${action === 'up' ? 'down' : 'up'}"]`,
      )
      ;(button && !button.disabled ? button : other)?.focus()
    })
  }

  return (
    <section className="poster-questions" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('content.poster.questions')}</h3>
      <p id={hintId} className="muted hint">
        {t('content.poster.questionsHint')}
      </p>
      {questions.length === 0 && <p className="muted">{t('content.poster.noQuestions')}</p>}
      <ol className="question-list" ref={list}>
        {questions.map((q, i) => {
          const n = i + 1
          if (readOnly) {
            return (
              <li key={q.id} data-question-id={q.id}>
                {q.text || '…'}
              </li>
            )
          }
          return (
            <li key={q.id} data-question-id={q.id}>
              <SharedTextArea
                ref={(el) => {
                  if (el) fields.current.set(q.id, el)
                  else fields.current.delete(q.id)
                }}
                aria-label={t('content.poster.question', { n })}
                aria-describedby={hintId}
                rows={2}
                value={q.text}
                onFocus={() => editor.markHistoryStoppingPoint('edit question')}
                onChange={(text) => updateQuestion(editor, q.id, text)}
              />
              <div className="question-actions">
                <button
                  type="button"
                  className="icon-button"
                  aria-label={t('content.poster.moveUp', { n })}
                  title={t('content.poster.moveUp', { n })}
                  data-action="up"
                  disabled={i === 0}
                  onClick={() => {
                    moveQuestion(editor, questions, q.id, 'up')
                    keepFocus(q.id, 'up')
                  }}
                >
                  <ArrowUp aria-hidden="true" size={22} />
                </button>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={t('content.poster.moveDown', { n })}
                  title={t('content.poster.moveDown', { n })}
                  data-action="down"
                  disabled={i === questions.length - 1}
                  onClick={() => {
                    moveQuestion(editor, questions, q.id, 'down')
                    keepFocus(q.id, 'down')
                  }}
                >
                  <ArrowDown aria-hidden="true" size={22} />
                </button>
                <button
                  type="button"
                  className="icon-button danger"
                  aria-label={t('content.poster.remove', { n })}
                  title={t('content.poster.remove', { n })}
                  onClick={() => removeQuestion(editor, q.id)}
                >
                  <Trash2 aria-hidden="true" size={22} />
                </button>
              </div>
            </li>
          )
        })}
      </ol>
      {!readOnly && (
        <button
          type="button"
          className="button primary"
          onClick={() => setFocusId(addQuestion(editor, questions))}
        >
          <Plus aria-hidden="true" size={20} /> {t('content.poster.addQuestion')}
        </button>
      )}
    </section>
  )
}
