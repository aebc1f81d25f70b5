import { CalendarClock, Info, Trash2, UserRoundPlus, X } from 'lucide-react'
import { type ReactNode, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type * as Y from 'yjs'
import { addWho, removeAgreement, removeWho, setAgreementValue } from '../../shared/plan/actions'
import {
  type Agreement,
  AgreementFrequency,
  type AgreementTextField,
} from '../../shared/plan/layout'
import { StatusWord } from '../basisteam/StatusButtons'
import { ReadAloud } from '../components/ReadAloud'
import { SharedTextArea } from '../components/SharedTextArea'
import { PersonBadge } from './PersonBadge'
import { PersonPicker } from './PersonPicker'
import {
  needsWhen,
  needsWho,
  type PlanPerson,
  type PlanWords,
  personById,
  whenWords,
} from './planView'
import { writeAgreementText } from './writeText'

/** What an agreement card needs besides the agreement. */
export interface AgreementCardProps {
  agreement: Agreement
  /** Its place under its question (1, 2, …). */
  n: number
  persons: PlanPerson[]
  words: PlanWords
  /** The plan document to write to; null on a page that may not write. */
  doc: Y.Doc | null
  /** Adds a person to the atlas and returns his id. */
  onNewPerson: (name: string) => string | null
}

/** One agreement of the plan: a form for an edit link, plain words for everyone else. */
export function AgreementCard(props: AgreementCardProps) {
  const { t } = useTranslation()
  return (
    <article
      className="agreement"
      data-testid="agreement"
      data-agreement-id={props.agreement.id}
      aria-label={t('plan.agreement', { n: props.n })}
    >
      {props.doc ? <AgreementForm {...props} doc={props.doc} /> : <AgreementText {...props} />}
      {!props.doc && props.agreement.status && (
        <p className="agreement-status">
          <StatusWord status={props.agreement.status} />
        </p>
      )}
    </article>
  )
}

/** A calm note where an agreement still lacks something: information, not an error. */
function Hint({ children, testId }: { children: ReactNode; testId: string }) {
  return (
    <p className="plan-hint" data-testid={testId}>
      <Info aria-hidden="true" size={20} />
      <span>{children}</span>
    </p>
  )
}

function TextField({
  agreement,
  field,
  doc,
  label,
  rows = 1,
  describedBy,
  hideLabel = false,
}: {
  agreement: Agreement
  field: AgreementTextField
  doc: Y.Doc
  label: string
  rows?: number
  describedBy?: string
  /** The group's legend already says it on screen. */
  hideLabel?: boolean
}) {
  const id = useId()
  const shown = agreement[field]
  return (
    <div className="plan-field">
      <label htmlFor={id} className={hideLabel ? 'visually-hidden' : undefined}>
        {label}
      </label>
      <SharedTextArea
        id={id}
        rows={rows}
        value={shown}
        aria-describedby={describedBy}
        data-field={field}
        onChange={(next) => writeAgreementText(doc, agreement.id, field, shown, next)}
      />
    </div>
  )
}

function AgreementForm(props: AgreementCardProps & { doc: Y.Doc }) {
  const { agreement, persons, doc, onNewPerson } = props
  const { t } = useTranslation()
  const [picking, setPicking] = useState(false)
  const [confirming, setConfirming] = useState(false)
  const dateId = useId()
  const frequencyId = useId()
  const backupId = useId()
  const whoHintId = useId()
  const whenHintId = useId()
  const { id } = agreement
  const speech = useAgreementSpeech(props)
  const backupKnown =
    agreement.backupPersonId === null || personById(persons, agreement.backupPersonId) !== null

  return (
    <>
      <TextField agreement={agreement} field="what" doc={doc} label={t('plan.what')} rows={2} />

      <fieldset className="plan-field">
        <legend>{t('plan.who')}</legend>
        <ul className="who-list">
          {agreement.who.map((personId) => {
            const person = personById(persons, personId)
            const name = person ? person.name.trim() || t('people.unnamed') : t('plan.unknown')
            return (
              <li key={personId}>
                <PersonBadge person={person}>
                  <button
                    type="button"
                    className="icon-button small"
                    aria-label={t('plan.removeWho', { name })}
                    title={t('plan.removeWho', { name })}
                    onClick={() => removeWho(doc, id, personId)}
                  >
                    <X aria-hidden="true" size={18} />
                  </button>
                </PersonBadge>
              </li>
            )
          })}
          <li>
            <button
              type="button"
              className="button"
              aria-expanded={picking}
              aria-describedby={needsWho(agreement) ? whoHintId : undefined}
              onClick={() => setPicking(!picking)}
            >
              <UserRoundPlus aria-hidden="true" size={20} /> {t('plan.choosePerson')}
            </button>
          </li>
        </ul>
        {picking && (
          <PersonPicker
            persons={persons}
            chosen={agreement.who}
            onToggle={(personId, on) =>
              on ? addWho(doc, id, personId) : removeWho(doc, id, personId)
            }
            onNewPerson={(name) => {
              const personId = onNewPerson(name)
              if (personId) addWho(doc, id, personId)
            }}
            onClose={() => setPicking(false)}
          />
        )}
        {needsWho(agreement) && (
          <div id={whoHintId}>
            <Hint testId="hint-who">{t('plan.hintWho')}</Hint>
          </div>
        )}
      </fieldset>

      <TextField agreement={agreement} field="where" doc={doc} label={t('plan.where')} />

      <fieldset className="plan-when">
        <legend>
          <CalendarClock aria-hidden="true" size={20} /> {t('plan.when')}
        </legend>
        <TextField
          agreement={agreement}
          field="when"
          doc={doc}
          label={t('plan.when')}
          hideLabel
          describedBy={needsWhen(agreement) ? whenHintId : undefined}
        />
        <div className="plan-when-row">
          <div className="plan-field">
            <label htmlFor={dateId}>{t('plan.date')}</label>
            <input
              id={dateId}
              type="date"
              value={agreement.date ?? ''}
              onChange={(e) => setAgreementValue(doc, id, 'date', e.currentTarget.value || null)}
            />
          </div>
          <div className="plan-field">
            <label htmlFor={frequencyId}>{t('plan.frequency')}</label>
            <select
              id={frequencyId}
              value={agreement.frequency ?? ''}
              onChange={(e) => {
                const parsed = AgreementFrequency.safeParse(e.currentTarget.value)
                setAgreementValue(doc, id, 'frequency', parsed.success ? parsed.data : null)
              }}
            >
              <option value="">{t('plan.frequencies.none')}</option>
              {AgreementFrequency.options.map((f) => (
                <option key={f} value={f}>
                  {t(`plan.frequencies.${f}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
        {needsWhen(agreement) && (
          <div id={whenHintId}>
            <Hint testId="hint-when">{t('plan.hintWhen')}</Hint>
          </div>
        )}
      </fieldset>

      <TextField agreement={agreement} field="how" doc={doc} label={t('plan.how')} rows={2} />

      <fieldset className="plan-fallback">
        <legend>{t('plan.fallback')}</legend>
        <TextField
          agreement={agreement}
          field="fallback"
          doc={doc}
          label={t('plan.fallback')}
          rows={2}
          hideLabel
        />
        <div className="plan-field">
          <label htmlFor={backupId}>{t('plan.backup')}</label>
          <select
            id={backupId}
            value={agreement.backupPersonId ?? ''}
            onChange={(e) =>
              setAgreementValue(doc, id, 'backupPersonId', e.currentTarget.value || null)
            }
          >
            <option value="">{t('plan.nobody')}</option>
            {persons.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name.trim() || t('people.unnamed')}
              </option>
            ))}
            {!backupKnown && agreement.backupPersonId && (
              <option value={agreement.backupPersonId}>{t('plan.unknown')}</option>
            )}
          </select>
        </div>
      </fieldset>

      <div className="agreement-actions">
        {/* The words filled in, read aloud: for someone who writes the plan but reads it less easily. */}
        <ReadAloud text={speech} className="agreement-read-aloud" />
        {confirming ? (
          <div className="confirm" role="alert">
            <p>{t('plan.removeAsk')}</p>
            <button type="button" className="button" onClick={() => setConfirming(false)}>
              {t('plan.keep')}
            </button>
            <button
              type="button"
              className="button danger"
              onClick={() => removeAgreement(doc, id)}
            >
              <Trash2 aria-hidden="true" size={20} /> {t('plan.removeYes')}
            </button>
          </div>
        ) : (
          <button type="button" className="button quiet" onClick={() => setConfirming(true)}>
            <Trash2 aria-hidden="true" size={20} /> {t('plan.removeAgreement')}
          </button>
        )}
      </div>
    </>
  )
}

/** The card's words in the order they stand, as sentences to read aloud. */
function useAgreementSpeech({ agreement, persons, words, n }: AgreementCardProps): string {
  const { t } = useTranslation()
  const when = whenWords(agreement, words)
  const backup = agreement.backupPersonId
  const nameOf = (id: string) => personById(persons, id)?.name ?? words.unknown
  const said = (label: string, value: string) => (value.trim() ? `${label}: ${value.trim()}` : '')
  return [
    t('plan.agreement', { n }),
    said(t('plan.what'), agreement.what || t('plan.whatEmpty')),
    said(t('plan.who'), words.and(agreement.who.map(nameOf))),
    said(t('plan.where'), agreement.where),
    said(t('plan.when'), when ?? ''),
    said(t('plan.how'), agreement.how),
    said(t('plan.fallback'), agreement.fallback),
    backup ? `${nameOf(backup)} ${t('plan.helps')}` : '',
  ]
    .filter(Boolean)
    .map((s) => (/[.!?]$/.test(s) ? s : `${s}.`))
    .join(' ')
}

/** An agreement in plain words, for a page that may not change it. */
function AgreementText(props: AgreementCardProps) {
  const { agreement, persons, words } = props
  const speech = useAgreementSpeech(props)
  return (
    <>
      <AgreementWords
        agreement={agreement}
        persons={persons}
        when={whenWords(agreement, words)}
        backup={agreement.backupPersonId}
      />
      <ReadAloud text={speech} className="agreement-read-aloud" />
    </>
  )
}

function AgreementWords({
  agreement,
  persons,
  when,
  backup,
}: {
  agreement: Agreement
  persons: PlanPerson[]
  when: string | null
  backup: string | null
}) {
  const { t } = useTranslation()
  return (
    <dl className="agreement-text">
      <div>
        <dt>{t('plan.what')}</dt>
        <dd data-field="what" className={agreement.what ? undefined : 'empty'}>
          {agreement.what || t('plan.whatEmpty')}
        </dd>
      </div>
      {agreement.who.length > 0 && (
        <div>
          <dt>{t('plan.who')}</dt>
          <dd className="who-list">
            {agreement.who.map((personId) => (
              <PersonBadge key={personId} person={personById(persons, personId)} />
            ))}
          </dd>
        </div>
      )}
      {agreement.where.trim() && (
        <div>
          <dt>{t('plan.where')}</dt>
          <dd>{agreement.where}</dd>
        </div>
      )}
      {when && (
        <div>
          <dt>{t('plan.when')}</dt>
          <dd>{when}</dd>
        </div>
      )}
      {agreement.how.trim() && (
        <div>
          <dt>{t('plan.how')}</dt>
          <dd>{agreement.how}</dd>
        </div>
      )}
      {(agreement.fallback.trim() || backup) && (
        <div>
          <dt>{t('plan.fallback')}</dt>
          <dd>
            {agreement.fallback}
            {backup && (
              <span className="backup">
                <PersonBadge person={personById(persons, backup)} />
                <span>{t('plan.helps')}</span>
              </span>
            )}
          </dd>
        </div>
      )}
    </dl>
  )
}
