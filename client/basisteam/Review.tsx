import {
  ArrowLeft,
  ArrowRight,
  Check,
  ClipboardPen,
  Flag,
  MessageSquareHeart,
  Plus,
  UserRound,
  Users,
} from 'lucide-react'
import { useId, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type * as Y from 'yjs'
import type { PlanVersion } from '../../shared/api/versions'
import { addAgreement } from '../../shared/plan/actions'
import {
  type BasisteamMeeting,
  finishMeeting,
  readMeetingPresent,
  readNote,
  readStatusLog,
  type StatusChange,
  setMeetingPresent,
  setNote,
} from '../../shared/plan/basisteam'
import type { Agreement } from '../../shared/plan/layout'
import { SharedTextArea } from '../components/SharedTextArea'
import { AgreementCard } from '../plan/AgreementCard'
import type { PlanAccess } from '../plan/api'
import { type PlanView, type PlanWords, planSections, whoWords } from '../plan/planView'
import { useDocValue } from '../sync/useSyncedDoc'
import { failureKey, keepVersion } from './api'
import { CalendarButton, MeetingForm, MeetingWhen } from './MeetingPlanner'
import { StatusButtons, StatusWord } from './StatusButtons'
import { type Basisteam, useMeetingWords } from './useBasisteam'

const STEPS = ['present', 'agreements', 'adjust', 'finish'] as const
type Step = (typeof STEPS)[number]
const STEP_ICONS = {
  present: Users,
  agreements: MessageSquareHeart,
  adjust: ClipboardPen,
  finish: Flag,
} as const

/**
 * The agreements a meeting reviews: every open one (carried over by itself), and those whose
 * status was set at this very meeting, so an agreement marked "klaar" stays in view until the end.
 */
export function reviewedAgreements(
  log: StatusChange[],
  agreements: Agreement[],
  meetingId: string,
): Agreement[] {
  const setHere = new Set(log.filter((c) => c.meetingId === meetingId).map((c) => c.agreementId))
  return agreements.filter(
    (a) => (a.status !== 'done' && a.status !== 'stopped') || setHere.has(a.id),
  )
}

/**
 * A basisteam meeting, step by step: who is here; for each open agreement what goes well, what
 * needs attention and its status; adjusting the plan; finishing, which keeps this meeting's
 * version of the plan and asks for the next date.
 */
export function Review({
  access,
  doc,
  writer,
  view,
  words,
  team,
  meeting,
  onNewPerson,
  onClose,
  onKept,
  online,
}: {
  /** Whether the plan is in step with the server: a version is only kept of what it holds. */
  online: boolean
  access: PlanAccess
  doc: Y.Doc
  writer: boolean
  view: PlanView
  words: PlanWords
  team: Basisteam
  meeting: BasisteamMeeting
  onNewPerson: (name: string) => string | null
  onClose: () => void
  onKept: (version: PlanVersion) => void
}) {
  const { t } = useTranslation()
  const [step, setStep] = useState<Step>('present')
  const meetingWords = useMeetingWords()
  const at = STEPS.indexOf(step)
  const previous = STEPS[at - 1]
  const next = STEPS[at + 1]
  const title = t('basisteam.review.title', { date: meetingWords.short(meeting.startsAt) })
  return (
    <section className="team-review" aria-labelledby="team-review-title" data-testid="review">
      <div className="team-version-head">
        <h2 id="team-review-title">{title}</h2>
        <button type="button" className="button" onClick={onClose}>
          <ArrowLeft aria-hidden="true" /> {t('basisteam.review.back')}
        </button>
      </div>
      <MeetingWhen meeting={meeting} />
      <nav aria-label={t('basisteam.review.stepsLabel')}>
        <ol className="team-steps">
          {STEPS.map((s, i) => {
            const Icon = STEP_ICONS[s]
            return (
              <li key={s}>
                <button
                  type="button"
                  className="team-step"
                  aria-current={s === step ? 'step' : undefined}
                  onClick={() => setStep(s)}
                >
                  <span aria-hidden="true">{i + 1}</span> <Icon aria-hidden="true" />{' '}
                  {t(`basisteam.review.steps.${s}`)}
                </button>
              </li>
            )
          })}
        </ol>
      </nav>
      <div className="team-review-step" data-review-step={step}>
        <h3>{t(`basisteam.review.steps.${step}`)}</h3>
        {step === 'present' && (
          <Present doc={doc} writer={writer} view={view} team={team} meeting={meeting} />
        )}
        {step === 'agreements' && (
          <Agreements doc={doc} writer={writer} view={view} words={words} meeting={meeting} />
        )}
        {step === 'adjust' && (
          <Adjust
            doc={doc}
            writer={writer}
            view={view}
            words={words}
            meeting={meeting}
            onNewPerson={onNewPerson}
          />
        )}
        {step === 'finish' && (
          <Finish
            access={access}
            doc={doc}
            writer={writer}
            view={view}
            meeting={meeting}
            team={team}
            onKept={onKept}
            online={online}
          />
        )}
      </div>
      <div className="team-review-nav">
        {previous ? (
          <button type="button" className="button" onClick={() => setStep(previous)}>
            <ArrowLeft aria-hidden="true" /> {t('basisteam.review.previous')}
          </button>
        ) : (
          <span />
        )}
        {next && (
          <button type="button" className="button primary" onClick={() => setStep(next)}>
            {t('basisteam.review.next')} <ArrowRight aria-hidden="true" />
          </button>
        )}
      </div>
    </section>
  )
}

function Present({
  doc,
  writer,
  view,
  team,
  meeting,
}: {
  doc: Y.Doc
  writer: boolean
  view: PlanView
  team: Basisteam
  meeting: BasisteamMeeting
}) {
  const { t } = useTranslation()
  const present = useDocValue(doc, (d) => readMeetingPresent(d, meeting.id), [] as string[])
  const memberIds = new Set(team.members.map((m) => m.personId))
  // The members first: they are who is expected; anyone else of the atlas can come too.
  const persons = [
    ...view.persons.filter((p) => memberIds.has(p.id)),
    ...view.persons.filter((p) => !memberIds.has(p.id)),
  ]
  const nameOf = (id: string) =>
    view.persons.find((p) => p.id === id)?.name.trim() || t('plan.unknown')
  if (!writer) {
    return present.length === 0 ? (
      <p className="muted">{t('meeting.introductions.nobody')}</p>
    ) : (
      <ul className="team-toggles">
        {present.map((id) => (
          <li key={id} className="team-toggle">
            <UserRound aria-hidden="true" /> {nameOf(id)}
          </li>
        ))}
      </ul>
    )
  }
  return (
    <>
      <p className="team-hint">{t('basisteam.review.presentHint')}</p>
      <ul className="team-toggles" data-testid="review-present">
        {persons.map((p) => {
          const on = present.includes(p.id)
          return (
            <li key={p.id}>
              <button
                type="button"
                className="team-toggle"
                aria-pressed={on}
                onClick={() => setMeetingPresent(doc, meeting.id, p.id, !on)}
              >
                {on ? <Check aria-hidden="true" /> : <UserRound aria-hidden="true" />}
                <span>{p.name.trim() || t('people.unnamed')}</span>
              </button>
            </li>
          )
        })}
      </ul>
    </>
  )
}

function Agreements({
  doc,
  writer,
  view,
  words,
  meeting,
}: {
  doc: Y.Doc
  writer: boolean
  view: PlanView
  words: PlanWords
  meeting: BasisteamMeeting
}) {
  const { t } = useTranslation()
  const log = useDocValue(doc, readStatusLog, NO_CHANGES)
  const reviewed = useMemo(
    () => reviewedAgreements(log, view.agreements, meeting.id),
    [log, view.agreements, meeting.id],
  )
  if (reviewed.length === 0) return <p className="muted">{t('basisteam.review.noOpen')}</p>
  return (
    <>
      <p className="team-hint">{t('basisteam.review.agreementsHint')}</p>
      <ol className="team-reviewed">
        {reviewed.map((a) => {
          const who = whoWords(a, view.persons, words)
          return (
            <li
              key={a.id}
              className="team-card"
              data-testid="reviewed-agreement"
              data-agreement-id={a.id}
            >
              <p className="team-card-name">
                <strong>{a.what.trim() || t('plan.whatEmpty')}</strong>
              </p>
              {who && <p className="team-hint">{who}</p>}
              <StatusHistory changes={log.filter((c) => c.agreementId === a.id)} />
              <Note
                doc={doc}
                writer={writer}
                meetingId={meeting.id}
                agreementId={a.id}
                kind="good"
              />
              <Note
                doc={doc}
                writer={writer}
                meetingId={meeting.id}
                agreementId={a.id}
                kind="attention"
              />
              <StatusButtons agreement={a} doc={writer ? doc : null} meetingId={meeting.id} />
            </li>
          )
        })}
      </ol>
    </>
  )
}

const NO_CHANGES: StatusChange[] = []

/** When an agreement's status changed before, and whether at a meeting: folded away, calm. */
function StatusHistory({ changes }: { changes: StatusChange[] }) {
  const { t } = useTranslation()
  const { short } = useMeetingWords()
  if (changes.length === 0) return null
  return (
    <details className="team-history" data-testid="status-history">
      <summary>{t('basisteam.review.history', { n: changes.length })}</summary>
      <ul>
        {changes.map((c) => (
          <li key={`${c.at} ${c.status}`}>
            {short(c.at)}
            {c.meetingId ? ` · ${t('basisteam.versions.fromMeeting')}` : ''}:{' '}
            <StatusWord status={c.status} />
          </li>
        ))}
      </ul>
    </details>
  )
}

function Note({
  doc,
  writer,
  meetingId,
  agreementId,
  kind,
}: {
  doc: Y.Doc
  writer: boolean
  meetingId: string
  agreementId: string
  kind: 'good' | 'attention'
}) {
  const { t } = useTranslation()
  const value = useDocValue(doc, (d) => readNote(d, meetingId, agreementId, kind), '')
  const label = t(`basisteam.review.${kind}`)
  const id = useId()
  if (!writer) {
    return value ? (
      <p>
        <strong>{label}</strong> {value}
      </p>
    ) : null
  }
  return (
    <div className="team-field">
      <label htmlFor={id}>{label}</label>
      <SharedTextArea
        id={id}
        rows={2}
        value={value}
        data-note={kind}
        onChange={(text) => setNote(doc, meetingId, agreementId, kind, text)}
      />
    </div>
  )
}

function Adjust({
  doc,
  writer,
  view,
  words,
  meeting,
  onNewPerson,
}: {
  doc: Y.Doc
  writer: boolean
  view: PlanView
  words: PlanWords
  meeting: BasisteamMeeting
  onNewPerson: (name: string) => string | null
}) {
  const { t } = useTranslation()
  const sections = planSections(view.questions, view.agreements)
  return (
    <>
      {writer && <p className="team-hint">{t('basisteam.review.adjustHint')}</p>}
      {sections.map((section) => (
        <section
          key={section.question?.id ?? 'other'}
          className="plan-question"
          data-testid="plan-question"
        >
          <h4 className="question-title">
            {section.question ? `${section.n}. ${section.question.text || '…'}` : t('plan.other')}
          </h4>
          {section.agreements.map((a, i) => (
            <div key={a.id}>
              <AgreementCard
                agreement={a}
                n={i + 1}
                persons={view.persons}
                words={words}
                doc={writer ? doc : null}
                onNewPerson={onNewPerson}
              />
              <StatusButtons agreement={a} doc={writer ? doc : null} meetingId={meeting.id} />
            </div>
          ))}
          {writer && section.question && (
            <button
              type="button"
              className="button primary add-agreement"
              onClick={() => section.question && addAgreement(doc, section.question.id)}
            >
              <Plus aria-hidden="true" size={20} /> {t('plan.addAgreement')}
            </button>
          )}
        </section>
      ))}
    </>
  )
}

function Finish({
  access,
  doc,
  writer,
  view,
  meeting,
  team,
  onKept,
  online,
}: {
  access: PlanAccess
  doc: Y.Doc
  writer: boolean
  view: PlanView
  meeting: BasisteamMeeting
  team: Basisteam
  onKept: (version: PlanVersion) => void
  online: boolean
}) {
  const { t } = useTranslation()
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const [kept, setKept] = useState<number | null>(null)
  const following = team.meetings.find(
    (m) => m.finishedAt === null && m.id !== meeting.id && m.startsAt > meeting.startsAt,
  )
  const finish = async () => {
    setBusy(true)
    setProblem(null)
    try {
      const version = await keepVersion(access, meeting.id)
      finishMeeting(doc, meeting.id)
      setKept(version.number)
      onKept(version)
    } catch (error) {
      setProblem(t(failureKey(error)))
    } finally {
      setBusy(false)
    }
  }
  if (!writer && meeting.finishedAt === null) return <p className="muted">{t('meeting.follows')}</p>
  return (
    <>
      {meeting.finishedAt === null && kept === null ? (
        <>
          <p className="team-hint">{t('basisteam.review.finishHint')}</p>
          <button
            type="button"
            className="button primary"
            disabled={busy || !online}
            aria-describedby={online ? undefined : 'team-finish-offline'}
            onClick={() => void finish()}
          >
            <Flag aria-hidden="true" />{' '}
            {busy ? t('basisteam.review.finishing') : t('basisteam.review.finish')}
          </button>
        </>
      ) : (
        kept !== null && (
          <p className="team-done" role="status" data-testid="review-kept">
            <Check aria-hidden="true" /> {t('basisteam.review.saved', { n: kept })}
          </p>
        )
      )}
      {!online && meeting.finishedAt === null && kept === null && (
        <p id="team-finish-offline" className="team-warning">
          {t('basisteam.failed.offline')}
        </p>
      )}
      {problem && (
        <p className="team-problem" role="alert">
          {problem}
        </p>
      )}
      {(meeting.finishedAt !== null || kept !== null) && writer && (
        <div className="team-next">
          <h4>{t('basisteam.meeting.nextTitle')}</h4>
          {following ? (
            <>
              <MeetingWhen meeting={following} />
              <CalendarButton meeting={following} clientName={view.name} />
            </>
          ) : (
            <MeetingForm doc={doc} meeting={null} />
          )}
        </div>
      )}
    </>
  )
}
