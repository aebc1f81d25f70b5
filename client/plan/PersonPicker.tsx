import { Check, UserPlus, X } from 'lucide-react'
import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { PersonBadge } from './PersonBadge'
import type { PlanPerson } from './planView'

/**
 * Choosing who does an agreement: the persons of the atlas as large buttons with their picture
 * (tap to choose, tap again to take off), and a new person by name, who then stands in the atlas
 * too.
 */
export function PersonPicker({
  persons,
  chosen,
  onToggle,
  onNewPerson,
  onClose,
}: {
  persons: PlanPerson[]
  chosen: string[]
  onToggle: (personId: string, chosen: boolean) => void
  onNewPerson: (name: string) => void
  onClose: () => void
}) {
  const { t } = useTranslation()
  const headingId = useId()
  const nameId = useId()
  const hintId = useId()
  const [name, setName] = useState('')

  const submit = (e: FormEvent) => {
    e.preventDefault()
    const trimmed = name.trim()
    if (!trimmed) return
    onNewPerson(trimmed)
    setName('')
  }

  return (
    <section className="person-picker" aria-labelledby={headingId} data-testid="person-picker">
      <div className="person-picker-head">
        <p id={headingId}>{t('plan.choosePersonTitle')}</p>
        <button
          type="button"
          className="icon-button"
          onClick={onClose}
          aria-label={t('plan.closePicker')}
          title={t('plan.closePicker')}
        >
          <X aria-hidden="true" size={22} />
        </button>
      </div>
      <ul className="person-choices">
        {persons.map((person) => {
          const on = chosen.includes(person.id)
          return (
            <li key={person.id}>
              <button
                type="button"
                className={`person-choice${on ? ' on' : ''}`}
                aria-pressed={on}
                onClick={() => onToggle(person.id, !on)}
              >
                <PersonBadge person={person} size={36} />
                {on && <Check aria-label={t('plan.chosen')} size={22} />}
              </button>
            </li>
          )
        })}
      </ul>
      <form className="new-person" onSubmit={submit}>
        <label htmlFor={nameId}>{t('plan.newPerson')}</label>
        <p id={hintId} className="muted hint">
          {t('plan.newPersonHint')}
        </p>
        <div className="new-person-row">
          <input
            id={nameId}
            aria-describedby={hintId}
            value={name}
            autoComplete="off"
            placeholder={t('plan.newPersonName')}
            aria-label={t('plan.newPersonName')}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <button type="submit" className="button" disabled={!name.trim()}>
            <UserPlus aria-hidden="true" size={20} /> {t('plan.add')}
          </button>
        </div>
      </form>
    </section>
  )
}
