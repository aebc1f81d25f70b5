import { ArrowLeft, ArrowRight, Lock, Map as MapIcon } from 'lucide-react'
import { type ComponentType, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import * as Y from 'yjs'
import { canWrite } from '../../shared/api/atlases'
import { setMeetingStep } from '../../shared/plan/actions'
import { MEETING_KEY, MEETING_STEPS, type MeetingStep, readPlan } from '../../shared/plan/layout'
import type { AtlasAccess } from '../access/access'
import { useAccessControl } from '../access/control'
import { type ConnectionState, ConnectionStatus } from '../components/ConnectionStatus'
import { ScreenLink } from '../components/ScreenLink'
import { SyncNotice } from '../components/SyncNotice'
import { loadLocalUser } from '../lib/user'
import { useHoldUpdate } from '../pwa/serviceWorker'
import { useAtlasSync } from '../sync/useAtlasSync'
import { type Refusal, useDocValue, useSyncedDoc } from '../sync/useSyncedDoc'
import { type Meeting, MeetingContext, sentence } from './context'
import { STEP_ICONS, StepIndicator } from './StepIndicator'
import { BasisteamStep } from './steps/BasisteamStep'
import { InformationStep } from './steps/InformationStep'
import { IntroductionsStep } from './steps/IntroductionsStep'
import { PresentationStep } from './steps/PresentationStep'
import { PrivateTimeStep } from './steps/PrivateTimeStep'
import { QuestionsStep } from './steps/QuestionsStep'
import { WelcomeStep } from './steps/WelcomeStep'
import { useAtlasContent } from './useAtlasContent'
import './meeting.css'
import { EasyReadSwitch } from '../easyRead/EasyReadSwitch'

/*
 * The step is `meeting.step` in the plan document: edit links move it, every device shows the step
 * it reads, so all follow live; the steps write the plan through `shared/plan/actions.ts` and read
 * persons and questions from the atlas (`useAtlasSync`, `readAtlasContent`; a new person goes into
 * its store). Privétijd is switched over HTTP and read from the plan's server part; a
 * professional's screen, whose plan socket the server closes (4403), pauses until `GET
 * /api/atlases/:id` answers again.
 */

/** What each step shows below its name and sentence. */
const STEP_CONTENT: Record<MeetingStep, ComponentType> = {
  welcome: WelcomeStep,
  introductions: IntroductionsStep,
  questions: QuestionsStep,
  information: InformationStep,
  'private-time': PrivateTimeStep,
  presentation: PresentationStep,
  basisteam: BasisteamStep,
}

/** The plan of a document that holds nothing yet. */
const EMPTY_PLAN = readPlan(new Y.Doc())

/** Longest a device without its own copy waits for the server before showing the first step. */
const FIRST_SYNC_WAIT_MS = 4000

/**
 * True once the device's own copy holds a meeting or the server's state arrived, or after a
 * while without either (offline): a new device does not show "Welkom" for a moment first.
 */
function useSettled(doc: Y.Doc | null, synced: boolean): boolean {
  const [waited, setWaited] = useState(false)
  useEffect(() => {
    const timer = setTimeout(() => setWaited(true), FIRST_SYNC_WAIT_MS)
    return () => clearTimeout(timer)
  }, [])
  return synced || waited || (doc !== null && doc.getMap(MEETING_KEY).size > 0)
}

/** The worse of two connections: the badge says "online" only when both documents are. */
function worse(a: ConnectionState, b: ConnectionState): ConnectionState {
  const rank = { online: 0, syncing: 1, unsaved: 2, offline: 3 } as const
  return rank[a] >= rank[b] ? a : b
}

/** "Terug" and "Volgende" for a device that moves the steps; a word for one that follows. */
function StepNavigation({ meeting, step }: { meeting: Meeting; step: MeetingStep }) {
  const { t } = useTranslation()
  const at = MEETING_STEPS.indexOf(step)
  const previous = MEETING_STEPS[at - 1]
  const next = MEETING_STEPS[at + 1]
  useEffect(() => {
    if (!meeting.writer) return
    // A presenter's remote sends Page Up / Page Down; keys typed in a field stay there.
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null
      if (target?.closest('input, textarea, select, [contenteditable="true"]')) return
      const to = e.key === 'PageDown' ? next : e.key === 'PageUp' ? previous : undefined
      if (!to) return
      e.preventDefault()
      setMeetingStep(meeting.planDoc, to)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [meeting.writer, meeting.planDoc, next, previous])
  if (!meeting.writer) return <p className="meeting-follows muted">{t('meeting.follows')}</p>
  return (
    <div className="meeting-nav-buttons">
      <button
        type="button"
        className="button meeting-big-button"
        disabled={!previous}
        onClick={() => previous && setMeetingStep(meeting.planDoc, previous)}
      >
        <ArrowLeft aria-hidden="true" /> {t('meeting.previous')}
      </button>
      <button
        type="button"
        className="button primary meeting-big-button"
        disabled={!next}
        onClick={() => next && setMeetingStep(meeting.planDoc, next)}
      >
        {t('meeting.next')} <ArrowRight aria-hidden="true" />
      </button>
    </div>
  )
}

/** The meeting while the server gives this link the plan: one calm screen per step. */
function MeetingSession({
  access,
  onRefused,
}: {
  access: AtlasAccess
  onRefused: (why: Refusal) => void
}) {
  const { t } = useTranslation()
  const planSync = useSyncedDoc(access, 'plan', onRefused)
  const plan = useDocValue(planSync.doc, readPlan, EMPTY_PLAN)
  const [user] = useState(loadLocalUser)
  const atlas = useAtlasSync(access, user, onRefused)
  const content = useAtlasContent(atlas.doc)
  const settled = useSettled(planSync.doc, planSync.synced)

  const planDoc = planSync.doc
  if (!planDoc || !atlas.doc || !settled) {
    return (
      <div className="page loading" role="status">
        {t('meeting.loading')}
      </div>
    )
  }
  const clientName = content.client?.name.trim() || ''
  const meeting: Meeting = {
    access,
    writer: canWrite(access.role),
    planDoc,
    plan,
    content,
    store: atlas.store,
    clientName: clientName || t('meeting.welcome.clientFallback'),
  }
  const step = plan.meeting.step
  const at = MEETING_STEPS.indexOf(step)
  const Icon = STEP_ICONS[step]
  const Content = STEP_CONTENT[step]
  const stepName = t(`meeting.steps.${step}.name`)
  return (
    <MeetingContext.Provider value={meeting}>
      <div className="meeting" data-role={access.role} data-testid="meeting-screen">
        <header className="meeting-header">
          <p className="meeting-title">
            {clientName ? t('meeting.of', { name: clientName }) : access.title}
          </p>
          <div className="meeting-header-actions">
            {plan.server.privateTime.on && (
              <span className="meeting-badge" data-testid="private-time-badge">
                <Lock aria-hidden="true" /> {t('meeting.steps.private-time.name')}
              </span>
            )}
            <ConnectionStatus state={worse(planSync.connection, atlas.connection)} />
            <SyncNotice notice={null} skipped={planSync.skipped} />
            <ScreenLink atlasId={access.id} screen="maps" className="button">
              <MapIcon aria-hidden="true" /> <span>{t('meeting.toMaps')}</span>
            </ScreenLink>
            <EasyReadSwitch />
          </div>
        </header>
        {/* Focusable, so a keyboard alone can scroll a long step on a small screen. */}
        <div
          className="meeting-scroll"
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to be scrolled by keys
          tabIndex={0}
        >
          <StepIndicator step={step} />
          <p className="visually-hidden" aria-live="polite">
            {t('meeting.stepNow', { n: at + 1, total: MEETING_STEPS.length, name: stepName })}
          </p>
          <main className="meeting-step" data-step={step} aria-labelledby="meeting-step-title">
            <div className="meeting-step-head">
              <Icon aria-hidden="true" className="meeting-step-icon" />
              <div>
                <h1 id="meeting-step-title">{stepName}</h1>
                <p className="meeting-now">
                  {sentence(t(`meeting.steps.${step}.now`, { client: meeting.clientName }))}
                </p>
              </div>
            </div>
            <Content />
          </main>
        </div>
        <footer className="meeting-nav">
          <StepNavigation meeting={meeting} step={step} />
        </footer>
      </div>
    </MeetingContext.Provider>
  )
}

/**
 * Meeting mode ("Bijeenkomst") of an atlas: the steps of the meedenkbijeenkomst on a big screen
 * and on phones. Edit links move the steps and fill them in; every device follows live through
 * the plan document. During privétijd the server refuses a professional's link the plan: the
 * atlas page then shows the waiting screen, and this screen comes back when privétijd is over.
 */
export function MeetingScreen({ access }: { access: AtlasAccess }) {
  const control = useAccessControl()
  // A new version waits until the meeting screen is closed: the room is never reloaded under it.
  useHoldUpdate('meeting')
  return <MeetingSession access={access} onRefused={control.refuse} />
}
