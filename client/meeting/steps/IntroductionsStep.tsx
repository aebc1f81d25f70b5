import { Check, UserPlus } from 'lucide-react'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { uniqueId } from 'tldraw'
import { setExpectation, setPresent } from '../../../shared/plan/actions'
import { defaultPersonProperties, personId } from '../../../shared/schema/person'
import { SharedTextArea } from '../../components/SharedTextArea'
import { useMeeting, usePersonName } from '../context'
import { inAtlasOrder, PersonToggles } from '../PersonToggles'

/** Longest name typed for a new person here (the people panel allows the same). */
const MAX_NAME = 60

/** Adds someone who is not in the atlas yet: he then stands in the atlas, and is here. */
function NewPerson() {
  const { t } = useTranslation()
  const { store, planDoc } = useMeeting()
  const [name, setName] = useState('')
  const [missing, setMissing] = useState(false)
  const [added, setAdded] = useState<string | null>(null)
  function submit(e: FormEvent) {
    e.preventDefault()
    const trimmed = name.trim().slice(0, MAX_NAME)
    if (!trimmed) {
      setMissing(true)
      return
    }
    if (!store) return
    const id = personId(uniqueId())
    // The bridge writes the new record into the atlas; the plan refers to him by id.
    store.put([{ ...defaultPersonProperties(), name: trimmed, id, typeName: 'person' }])
    setPresent(planDoc, id, true)
    setName('')
    setMissing(false)
    setAdded(trimmed)
  }
  return (
    <form className="meeting-new-person" onSubmit={submit} noValidate>
      <h3>
        <UserPlus aria-hidden="true" /> {t('meeting.introductions.newTitle')}
      </h3>
      <div className="meeting-inline-form">
        <label htmlFor="meeting-new-person">{t('meeting.introductions.newName')}</label>
        <input
          id="meeting-new-person"
          value={name}
          maxLength={MAX_NAME}
          autoComplete="off"
          aria-invalid={missing ? true : undefined}
          onChange={(e) => {
            setName(e.target.value)
            setAdded(null)
          }}
        />
        <button type="submit" className="button" disabled={!store}>
          <UserPlus aria-hidden="true" /> {t('meeting.introductions.add')}
        </button>
      </div>
      {missing && (
        <p className="error-text" role="alert">
          {t('meeting.introductions.nameRequired')}
        </p>
      )}
      <output className="meeting-done" aria-live="polite">
        {added && (
          <>
            <Check aria-hidden="true" /> {t('meeting.introductions.added', { name: added })}
          </>
        )}
      </output>
    </form>
  )
}

/** Introductions and expectations: who is here, and what each of them hopes for today. */
export function IntroductionsStep() {
  const { t } = useTranslation()
  const { writer, plan, planDoc, content } = useMeeting()
  const nameOf = usePersonName()
  const present = inAtlasOrder(
    plan.meeting.present,
    content.persons.map((p) => p.id),
  )
  return (
    <div className="meeting-stack">
      <section
        aria-labelledby="meeting-who"
        data-testid="meeting-present"
        className="meeting-stack"
      >
        <h2 id="meeting-who">{t('meeting.introductions.whoTitle')}</h2>
        {writer && <p className="meeting-hint">{t('meeting.introductions.whoHint')}</p>}
        <PersonToggles
          chosen={present}
          onChange={(id, on) => setPresent(planDoc, id, on)}
          emptyText={t('meeting.introductions.nobody')}
        />
        {writer && <NewPerson />}
      </section>
      <section
        aria-labelledby="meeting-hope"
        data-testid="meeting-expectations"
        className="meeting-stack"
      >
        <h2 id="meeting-hope">{t('meeting.introductions.hopeTitle')}</h2>
        {present.length === 0 && <p className="muted">{t('meeting.introductions.nobody')}</p>}
        <ul className="meeting-grid">
          {present.map((id) => {
            const name = nameOf(id)
            const hope = plan.meeting.expectations[id] ?? ''
            return (
              <li key={id} className="meeting-card" data-person={id}>
                {writer ? (
                  <>
                    <label htmlFor={`hope-${id}`}>
                      {t('meeting.introductions.hopeLabel', { name })}
                    </label>
                    <SharedTextArea
                      id={`hope-${id}`}
                      rows={2}
                      value={hope}
                      onChange={(next) => setExpectation(planDoc, id, next)}
                    />
                  </>
                ) : (
                  <>
                    <h3>{name}</h3>
                    <p className={hope ? 'meeting-hope' : 'muted'}>
                      {hope || t('meeting.introductions.hopeEmpty')}
                    </p>
                  </>
                )}
              </li>
            )
          })}
        </ul>
      </section>
    </div>
  )
}
