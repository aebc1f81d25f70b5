import { ArrowDown, ArrowUp, NotebookPen, Plus, Trash2, X } from 'lucide-react'
import { useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useEditor, useValue } from 'tldraw'
import type { ContentQuestion, PosterTexts } from '../../../shared/domain/content'
import { POSTER_FIELDS, type PosterField } from '../../../shared/schema/poster'
import { addQuestion, moveQuestion, removeQuestion, updatePoster, updateQuestion } from './poster'
import { usePosterContent } from './useAtlasContent'

const HINTS: Record<PosterField, 'storyHint' | 'goesWellHint' | 'wishesHint'> = {
  story: 'storyHint',
  goesWell: 'goesWellHint',
  wishes: 'wishesHint',
}

/**
 * The basisposter's texts (story, what already goes well, wishes) and the client's questions for
 * the plan, in a sheet opened from a button above the poster. Edits write to the poster and question records, so
 * they sync like the canvas. A viewer sees the texts but cannot change them.
 */
export function PosterEditor() {
  const { t } = useTranslation()
  const editor = useEditor()
  const readOnly = useValue('read only', () => editor.getIsReadonly(), [editor])
  const { poster, questions } = usePosterContent()
  const [open, setOpen] = useState(false)
  const headingId = useId()
  const sheetId = useId()
  const toggle = useRef<HTMLButtonElement>(null)

  const close = () => {
    setOpen(false)
    requestAnimationFrame(() => toggle.current?.focus())
  }

  return (
    <>
      <button
        ref={toggle}
        type="button"
        className={`button primary poster-toggle${readOnly ? ' below-banner' : ''}`}
        aria-expanded={open}
        aria-controls={open ? sheetId : undefined}
        onClick={() => (open ? close() : setOpen(true))}
      >
        {open ? <X aria-hidden="true" size={20} /> : <NotebookPen aria-hidden="true" size={20} />}
        {open
          ? t('content.poster.close')
          : readOnly
            ? t('content.poster.read')
            : t('content.poster.open')}
      </button>
      {open && (
        <section
          id={sheetId}
          className="instrument-sheet poster-sheet"
          aria-labelledby={headingId}
          data-testid="poster-editor"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation()
              close()
            }
          }}
        >
          <header className="instrument-sheet-header">
            <h2 id={headingId}>{t('content.poster.title')}</h2>
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
      )}
    </>
  )
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
      <textarea
        id={id}
        aria-describedby={hintId}
        rows={4}
        value={poster[field]}
        onFocus={() => editor.markHistoryStoppingPoint('edit poster')}
        onChange={(e) => onChange(e.target.value)}
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
  const [focusId, setFocusId] = useState<string | null>(null)

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
      <ol className="question-list">
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
              <textarea
                ref={(el) => {
                  if (el) fields.current.set(q.id, el)
                  else fields.current.delete(q.id)
                }}
                aria-label={t('content.poster.question', { n })}
                aria-describedby={hintId}
                rows={2}
                value={q.text}
                onFocus={() => editor.markHistoryStoppingPoint('edit question')}
                onChange={(e) => updateQuestion(editor, q.id, e.target.value)}
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
