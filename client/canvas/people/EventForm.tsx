import { Fragment, useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { type TLShape, useEditor, useValue } from 'tldraw'
import { EVENT_DATE_PATTERN, EVENT_MOODS, type EventShapeProps } from '../../../shared/schema/event'
import { Steps } from '../../easyRead/Steps'
import { eventFocusRequest } from '../shapes/event/EventTool'
import { allPersons } from '../shapes/person/personActions'
import { CheckField, ChoiceField, DraftField, optionsOf, TextArea, TextField } from './fields'
import { DeleteShapeButton } from './formParts'

type EventShape = TLShape<'event'>

function parseDate(draft: string): string | undefined {
  const text = draft.trim()
  return EVENT_DATE_PATTERN.test(text) ? text : undefined
}

/** Edits a life event: when, what, high or low, what helped, and who was involved. */
export function EventForm({ shape, readOnly }: { shape: EventShape; readOnly: boolean }) {
  const editor = useEditor()
  const { t } = useTranslation()
  const persons = useValue('all persons', () => allPersons(editor), [editor])
  const update = (props: Partial<EventShapeProps>) =>
    editor.updateShape<EventShape>({ id: shape.id, type: 'event', props })
  const p = shape.props
  const titleRef = useRef<HTMLInputElement>(null)
  const focusRequest = useValue(eventFocusRequest)
  useEffect(() => {
    if (focusRequest === shape.id && titleRef.current) {
      titleRef.current.focus()
      eventFocusRequest.set(null)
    }
  }, [focusRequest, shape.id])

  return (
    <div className="stack">
      <h2 className="inspector-title">{t('people.inspector.eventTitle')}</h2>
      {/* In easy-read one question per screen, with Terug and Volgende (see `Steps`); the title
          first, where a new event puts the keyboard. */}
      <Steps
        steps={[
          <Fragment key="title">
            <TextField
              label={t('people.event.title')}
              inputRef={titleRef}
              value={p.title}
              disabled={readOnly}
              maxLength={120}
              onChange={(title) => update({ title })}
            />
          </Fragment>,
          <Fragment key="date">
            <DraftField
              label={t('people.event.date')}
              value={p.date}
              parse={parseDate}
              hint={t('people.event.dateHint')}
              invalidText={t('people.event.dateInvalid')}
              inputMode="text"
              disabled={readOnly}
              onCommit={(date) => date && update({ date })}
            />
          </Fragment>,
          <Fragment key="description">
            <TextArea
              label={t('people.event.description')}
              value={p.description}
              disabled={readOnly}
              onChange={(description) => update({ description })}
            />
          </Fragment>,
          <Fragment key="mood">
            <ChoiceField
              legend={t('people.event.mood')}
              value={p.mood}
              disabled={readOnly}
              columns={1}
              options={optionsOf(EVENT_MOODS, (m) => t(`people.event.moods.${m}`))}
              onChange={(mood) => update({ mood })}
            />
          </Fragment>,
          <Fragment key="helped">
            <TextArea
              label={t('people.event.helped')}
              value={p.helped}
              disabled={readOnly}
              onChange={(helped) => update({ helped })}
            />
          </Fragment>,
          <Fragment key="persons">
            <fieldset className="field choice" disabled={readOnly}>
              <legend>{t('people.event.persons')}</legend>
              {persons.length === 0 && <p className="muted">{t('people.event.nobody')}</p>}
              <div className="checks">
                {persons.map((person) => (
                  <CheckField
                    key={person.id}
                    label={person.name.trim() || t('people.unnamed')}
                    checked={p.personIds.includes(person.id)}
                    onChange={(checked) =>
                      update({
                        personIds: checked
                          ? [...p.personIds, person.id]
                          : p.personIds.filter((id) => id !== person.id),
                      })
                    }
                  />
                ))}
              </div>
            </fieldset>
          </Fragment>,
        ]}
      />
      {!readOnly && (
        <DeleteShapeButton
          shapeId={shape.id}
          mark="delete event"
          label={t('people.event.delete')}
        />
      )}
    </div>
  )
}
