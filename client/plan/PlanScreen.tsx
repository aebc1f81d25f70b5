import {
  ArrowLeft,
  ClipboardList,
  Eye,
  Info,
  Plus,
  Presentation,
  Printer,
  UserRound,
  Users,
} from 'lucide-react'
import { useEffect, useId, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { TLStore } from 'tldraw'
import type * as Y from 'yjs'
import { canWrite } from '../../shared/api/atlases'
import { addAgreement, addWho } from '../../shared/plan/actions'
import type { AtlasAccess } from '../access/access'
import { useAccessControl } from '../access/control'
import { PlanNextMeeting } from '../basisteam/parts'
import { type ConnectionState, ConnectionStatus } from '../components/ConnectionStatus'
import { ScreenLink } from '../components/ScreenLink'
import { SharedTextArea } from '../components/SharedTextArea'
import { SyncNotice } from '../components/SyncNotice'
import { noteExport } from '../lib/api'
import { isPartMissing } from '../lib/build'
import { loadLocalUser } from '../lib/user'
import type { Refusal, SyncNotice as SyncNoticeKind } from '../sync/useSyncedDoc'
import { AgreementCard } from './AgreementCard'
import { addPerson, addQuestion, updateQuestionText } from './atlasWrites'
import { PlanPresentation } from './PlanPresentation'
import { ApprovalForm, ApprovalList, PiketpaaltjeForm, PiketpaaltjeList } from './Professionals'
import {
  type PlanSection,
  type PlanView,
  personById,
  personForName,
  planSections,
  sectionsFor,
} from './planView'
import { useAtlasWithPlan } from './useAtlasWithPlan'
import { useOwnLinkId } from './useOwnLinkId'
import { usePlanHash } from './usePlanView'
import { usePdfWords, usePlanWords } from './usePlanWords'
import './plan.css'
import { EasyReadSwitch } from '../easyRead/EasyReadSwitch'

/*
 * `/atlas/<id>/plan` opens two documents: the atlas (through `useAtlasSync`'s store, for the
 * questions and persons) and the plan (`useSyncedDoc(access, 'plan')`). The headings are the
 * atlas's question records, by id; a heading edited on the plan is a `store.put` of the question,
 * so the basisposter shows it. Agreements are written with `shared/plan/actions.ts`; a text field
 * writes what the person typed on top of what the document holds by then (`writeText.ts`:
 * `mergeText` from the text his screen showed), since the screen is drawn a moment after a peer's
 * keys reach the document. "Wie" holds person ids; an id the atlas lacks shows as "onbekend". A
 * new person made from the plan is a person record in the atlas (the Mensen list), on no map yet.
 * Piketpaaltjes and approvals are read from the plan's server part and written only through the
 * HTTP calls of a professional link; a professional's page finds his own by the link id that `GET
 * /api/atlases/:id` tells it. An approval carries the SHA-256 of `planHashInput` as the page shows
 * it (`crypto.subtle`), and every page compares each approval's hash with its own to say
 * "veranderd na goedkeuring". `PlanPresentation`, `PiketpaaltjeForm` and `ApprovalForm` are
 * exported (`client/plan/index.ts`) for the meeting's steps.
 */

/**
 * The filter of "my agreements", kept per atlas on this device: a person id, '' for everyone, or
 * null when nobody chose yet (then the plan shows the agreements of the person the user says he is).
 */
function useMine(atlasId: string): [string | null, (personId: string) => void] {
  const key = `netwerkatlas:plan-mine:${atlasId}`
  const [mine, setMine] = useState<string | null>(() => {
    try {
      return localStorage.getItem(key)
    } catch {
      return null
    }
  })
  const choose = (personId: string) => {
    setMine(personId)
    try {
      localStorage.setItem(key, personId)
    } catch {
      // The choice then lasts as long as the page.
    }
  }
  return [mine, choose]
}

/**
 * The plan of an atlas (`/atlas/:id/plan`): the basisposter's questions as headings, the
 * agreements under them, the piketpaaltjes and approvals at the top. Edit links write it; every
 * other link reads it. A professional's page waits while privétijd is on.
 */
export function PlanScreen({ access }: { access: AtlasAccess }) {
  const control = useAccessControl()
  return <PlanPlace access={access} onRefused={control.refuse} />
}

function PlanPlace({
  access,
  onRefused,
}: {
  access: AtlasAccess
  onRefused: (why: Refusal) => void
}) {
  const { t } = useTranslation()
  const { store, plan, view, connection, notice, skipped } = useAtlasWithPlan(access, onRefused)
  const [presenting, setPresenting] = useState(false)

  if (!store || !plan) {
    return (
      <div className="page loading" role="status">
        {t('plan.loading')}
      </div>
    )
  }
  if (presenting) {
    return (
      <div className="plan-presentation-screen">
        <PlanPresentation view={view} onClose={() => setPresenting(false)} />
      </div>
    )
  }
  return (
    <PlanPage
      access={access}
      store={store}
      doc={plan}
      view={view}
      connection={connection}
      notice={notice}
      skipped={skipped}
      onPresent={() => setPresenting(true)}
    />
  )
}

function PlanPage({
  access,
  store,
  doc,
  view,
  connection,
  notice,
  skipped,
  onPresent,
}: {
  access: AtlasAccess
  store: TLStore
  doc: Y.Doc
  view: PlanView
  connection: ConnectionState
  notice: SyncNoticeKind | null
  /** Plan entries left out because they do not fit the plan. */
  skipped: number
  onPresent: () => void
}) {
  const { t } = useTranslation()
  const writable = canWrite(access.role)
  const professional = access.role === 'professional'
  const linkId = useOwnLinkId(access, professional)
  const hash = usePlanHash(view)
  const [chosenMine, setMine] = useMine(access.id)
  const [user] = useState(loadLocalUser)
  const me = chosenMine === null ? personForName(view.persons, user.name) : null
  const mine = chosenMine ?? me?.id ?? ''
  const words = usePlanWords()
  const mineId = useId()
  const { piketpaaltjes, approvals } = view.server
  const setOne = linkId !== null && piketpaaltjes.some((p) => p.linkId === linkId)
  const chosen = mine ? personById(view.persons, mine) : null

  const sections = useMemo(() => {
    const all = planSections(view.questions, view.agreements)
    return mine ? sectionsFor(all, mine) : all
  }, [view.questions, view.agreements, mine])
  const filteredCount = sections.reduce((n, s) => n + s.agreements.length, 0)

  const newPerson = (name: string) => addPerson(store, name)
  const lastQuestion = view.questions.at(-1)

  return (
    <div className="plan-screen" data-testid="plan-screen" data-role={access.role}>
      <header className="plan-header">
        <ScreenLink
          atlasId={access.id}
          screen="maps"
          className="button"
          title={t('plan.toMapsHint')}
        >
          <ArrowLeft aria-hidden="true" size={20} /> {t('plan.toMaps')}
        </ScreenLink>
        <h1>
          <ClipboardList aria-hidden="true" size={30} /> {t('plan.title', { name: view.name })}
        </h1>
        <div className="plan-tools">
          <ConnectionStatus state={connection} />
          <SyncNotice notice={notice} skipped={skipped} />
          <button
            type="button"
            className="button"
            onClick={onPresent}
            title={t('plan.presentHint')}
          >
            <Presentation aria-hidden="true" size={20} /> {t('plan.present')}
          </button>
          <PrintButton
            view={view}
            hash={hash}
            onPrinted={() => noteExport(access.id, access.token, 'plan-pdf')}
          />
          <ScreenLink atlasId={access.id} screen="basisteam" className="button">
            <Users aria-hidden="true" size={20} /> {t('basisteam.button')}
          </ScreenLink>
          <EasyReadSwitch />
        </div>
      </header>

      <main className="plan-main">
        {!writable && (
          <p className="readonly-banner plan-readonly" role="status">
            <Eye aria-hidden="true" size={20} /> {t('plan.readOnly')}
          </p>
        )}
        <PlanNextMeeting doc={doc} atlasId={access.id} />
        <PiketpaaltjeList piketpaaltjes={piketpaaltjes} />
        <ApprovalList approvals={approvals} currentHash={hash} />
        {professional && setOne && <ApprovalForm access={access} planHash={hash} />}
        {professional && (
          <PiketpaaltjeForm access={access} piketpaaltjes={piketpaaltjes} linkId={linkId} />
        )}

        {view.persons.length > 0 && (
          <div className="plan-mine">
            <label htmlFor={mineId}>
              <UserRound aria-hidden="true" size={20} /> {t('plan.mine')}
            </label>
            <select id={mineId} value={mine} onChange={(e) => setMine(e.currentTarget.value)}>
              <option value="">{t('plan.mineAll')}</option>
              {view.persons.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name.trim() || t('people.unnamed')}
                </option>
              ))}
              {mine && !chosen && <option value={mine}>{t('plan.unknown')}</option>}
            </select>
          </div>
        )}
        {me && (
          <p className="muted" role="status" data-testid="mine-from-name">
            {t('basisteam.mineFromName', { name: me.name.trim() })}
          </p>
        )}
        {mine && filteredCount === 0 && (
          <p className="muted" role="status">
            {t('plan.mineEmpty', {
              name: chosen ? chosen.name.trim() || t('people.unnamed') : t('plan.unknown'),
            })}
          </p>
        )}

        {view.questions.length === 0 && <p className="muted">{t('plan.noQuestions')}</p>}
        {sections.map((section) => (
          <QuestionSection
            key={section.question?.id ?? 'other'}
            section={section}
            store={store}
            doc={writable ? doc : null}
            view={view}
            words={words}
            mine={mine}
            onNewPerson={newPerson}
          />
        ))}
        {writable && !mine && (
          <button
            type="button"
            className="button"
            onClick={() => addQuestion(store, lastQuestion?.index)}
          >
            <Plus aria-hidden="true" size={20} /> {t('plan.addQuestion')}
          </button>
        )}
      </main>
    </div>
  )
}

function QuestionSection({
  section,
  store,
  doc,
  view,
  words,
  mine,
  onNewPerson,
}: {
  section: PlanSection
  store: TLStore
  /** Null on a page that may not write. */
  doc: Y.Doc | null
  view: PlanView
  words: ReturnType<typeof usePlanWords>
  mine: string
  onNewPerson: (name: string) => string
}) {
  const { t } = useTranslation()
  const headingId = useId()
  const { question } = section
  const sectionRef = useRef<HTMLElement>(null)
  // An agreement just added here: its "what" takes the focus once its card is shown, so the
  // keyboard goes on in the new agreement rather than staying on the button.
  const [added, setAdded] = useState<string | null>(null)
  // biome-ignore lint/correctness/useExhaustiveDependencies: the card comes with a later list of agreements
  useEffect(() => {
    if (!added) return
    const what = sectionRef.current?.querySelector<HTMLElement>(
      `[data-agreement-id="${CSS.escape(added)}"] textarea[data-field="what"]`,
    )
    if (!what) return
    what.focus()
    setAdded(null)
  }, [added, section.agreements])
  return (
    <section
      ref={sectionRef}
      className="plan-question"
      aria-labelledby={headingId}
      data-testid="plan-question"
      data-question-id={question?.id ?? ''}
    >
      {question ? (
        <h2 id={headingId} className="question-title">
          <span className="question-number" aria-hidden="true">
            {section.n}
          </span>
          {doc ? (
            <SharedTextArea
              className="question-text"
              rows={1}
              aria-label={t('plan.question', { n: section.n })}
              value={question.text}
              onChange={(text) => updateQuestionText(store, question.id, text)}
            />
          ) : (
            <span className="question-text">{question.text || '…'}</span>
          )}
        </h2>
      ) : (
        <>
          <h2 id={headingId} className="question-title">
            {t('plan.other')}
          </h2>
          <p className="muted">
            <Info aria-hidden="true" size={18} /> {t('plan.otherHint')}
          </p>
        </>
      )}
      {section.agreements.length === 0 && <p className="muted">{t('plan.noAgreements')}</p>}
      {section.agreements.map((agreement, i) => (
        <AgreementCard
          key={agreement.id}
          agreement={agreement}
          n={i + 1}
          persons={view.persons}
          words={words}
          doc={doc}
          onNewPerson={onNewPerson}
        />
      ))}
      {doc && question && (
        <button
          type="button"
          className="button primary add-agreement"
          onClick={() => {
            const id = addAgreement(doc, question.id)
            // Under "my agreements", a new agreement is his own, so it stays in view.
            if (mine) addWho(doc, id, mine)
            setAdded(id)
          }}
        >
          <Plus aria-hidden="true" size={20} /> {t('plan.addAgreement')}
        </button>
      )}
    </section>
  )
}

/** "Plan printen": the PDF is made on this device (its code and fonts load on first use). */
function PrintButton({
  view,
  hash,
  onPrinted,
}: {
  view: PlanView
  hash: string | null
  onPrinted: () => void
}) {
  const { t, i18n } = useTranslation()
  const words = usePdfWords(view.name)
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const print = async () => {
    setBusy(true)
    setProblem(null)
    try {
      const { printPlan } = await import('./pdf/printPlan')
      await printPlan(view, words, i18n.language, hash)
      onPrinted()
    } catch (error) {
      // A print part gone after a deploy: the update notice says to load the page again.
      if (isPartMissing()) return
      setProblem(
        t('plan.printFailed', { reason: error instanceof Error ? error.message : String(error) }),
      )
    } finally {
      setBusy(false)
    }
  }
  return (
    <>
      <button
        type="button"
        className="button primary"
        onClick={() => void print()}
        disabled={busy}
        title={t('plan.printHint')}
        data-testid="plan-print"
      >
        <Printer aria-hidden="true" size={20} /> {busy ? t('plan.printing') : t('plan.print')}
      </button>
      {problem && (
        <p className="plan-message problem" role="alert">
          {problem}
        </p>
      )}
    </>
  )
}
