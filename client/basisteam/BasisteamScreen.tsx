import {
  ArrowLeft,
  CalendarCheck,
  CalendarDays,
  Check,
  ClipboardList,
  Eye,
  Pencil,
  Play,
  Users,
} from 'lucide-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { TLStore } from 'tldraw'
import type * as Y from 'yjs'
import { canWrite } from '../../shared/api/atlases'
import { addMeeting, type BasisteamMeeting } from '../../shared/plan/basisteam'
import type { AtlasAccess } from '../access/access'
import { useAccessControl } from '../access/control'
import { type ConnectionState, ConnectionStatus } from '../components/ConnectionStatus'
import { ScreenLink } from '../components/ScreenLink'
import { SyncNotice } from '../components/SyncNotice'
import { noteExport } from '../lib/api'
import { addPerson } from '../plan/atlasWrites'
import type { PlanView } from '../plan/planView'
import { useAtlasWithPlan } from '../plan/useAtlasWithPlan'
import { usePlanWords } from '../plan/usePlanWords'
import type { Refusal, SyncNotice as SyncNoticeKind } from '../sync/useSyncedDoc'
import { CalendarButton, MeetingForm, MeetingWhen } from './MeetingPlanner'
import { MembersEditor } from './MembersEditor'
import { NoNextMeeting, useVersions } from './parts'
import { Review } from './Review'
import { type Basisteam, useBasisteam, useMeetingWords, useRememberBasisteam } from './useBasisteam'
import { Versions } from './Versions'
import '../plan/plan.css'
import './basisteam.css'
import { EasyReadSwitch } from '../easyRead/EasyReadSwitch'

/**
 * The basisteam of an atlas (`/atlas/<id>/basisteam`): its next meeting (with its calendar file),
 * its members, a meeting guided step by step, and the earlier versions of the plan. Edit links
 * change things; every other link sees them. A professional's page waits during privétijd.
 */
export function BasisteamScreen({ access }: { access: AtlasAccess }) {
  const control = useAccessControl()
  return <BasisteamPlace access={access} onRefused={control.refuse} />
}

function BasisteamPlace({
  access,
  onRefused,
}: {
  access: AtlasAccess
  onRefused: (why: Refusal) => void
}) {
  const { t } = useTranslation()
  const { store, plan, view, connection, notice, skipped, planSynced } = useAtlasWithPlan(
    access,
    onRefused,
  )
  const team = useBasisteam(plan)
  useRememberBasisteam(access.id, team, planSynced)
  if (!store || !plan) {
    return (
      <div className="page loading" role="status">
        {t('basisteam.loading')}
      </div>
    )
  }
  return (
    <BasisteamPage
      access={access}
      store={store}
      doc={plan}
      view={view}
      team={team}
      connection={connection}
      notice={notice}
      skipped={skipped}
    />
  )
}

function BasisteamPage({
  access,
  store,
  doc,
  view,
  team,
  connection,
  notice,
  skipped,
}: {
  access: AtlasAccess
  store: TLStore
  doc: Y.Doc
  view: PlanView
  team: Basisteam
  connection: ConnectionState
  /** Plan entries left out because they do not fit the plan. */
  notice: SyncNoticeKind | null
  skipped: number
}) {
  const { t } = useTranslation()
  const writer = canWrite(access.role)
  const words = usePlanWords()
  const [reviewing, setReviewing] = useState<string | null>(null)
  const [kept, setKept] = useState(0)
  const versions = useVersions(access, kept)
  const [moving, setMoving] = useState(false)
  // The team is formed at the meeting; afterwards its cards stay calm until someone changes them.
  const [editingMembers, setEditingMembers] = useState(team.members.length === 0)
  const nameOf = (id: string) => {
    const person = view.persons.find((p) => p.id === id)
    if (!person) return t('plan.unknown')
    return person.name.trim() || t('people.unnamed')
  }
  const onNewPerson = (name: string) => addPerson(store, name)
  const reviewed = team.meetings.find((m) => m.id === reviewing) ?? null
  const start = () => {
    // A meeting held without a planned date gets one now, so its notes and statuses belong to it.
    const id = team.next?.id ?? addMeeting(doc, { startsAt: new Date().toISOString() })
    setReviewing(id)
  }
  const held = team.meetings.filter((m) => m.finishedAt !== null).reverse()

  return (
    <div className="plan-screen team-screen" data-testid="basisteam-screen" data-role={access.role}>
      <header className="plan-header">
        <ScreenLink atlasId={access.id} screen="maps" className="button">
          <ArrowLeft aria-hidden="true" size={20} /> {t('basisteam.toMaps')}
        </ScreenLink>
        <h1>
          <Users aria-hidden="true" size={30} /> {t('basisteam.title', { name: view.name })}
        </h1>
        <div className="plan-tools">
          <ConnectionStatus state={connection} />
          <SyncNotice notice={notice} skipped={skipped} />
          <ScreenLink atlasId={access.id} screen="plan" className="button">
            <ClipboardList aria-hidden="true" size={20} /> {t('basisteam.toPlan')}
          </ScreenLink>
          <EasyReadSwitch />
        </div>
      </header>
      <main className="plan-main">
        {!writer && (
          <p className="readonly-banner plan-readonly" role="status">
            <Eye aria-hidden="true" size={20} /> {t('basisteam.readOnly')}
          </p>
        )}
        {reviewed ? (
          <Review
            access={access}
            doc={doc}
            writer={writer}
            view={view}
            words={words}
            team={team}
            meeting={reviewed}
            onNewPerson={onNewPerson}
            onClose={() => setReviewing(null)}
            onKept={() => setKept((n) => n + 1)}
            online={connection === 'online'}
          />
        ) : (
          <>
            <section className="team-block" aria-labelledby="team-next" data-testid="next-meeting">
              <h2 id="team-next">
                <CalendarDays aria-hidden="true" /> {t('basisteam.meeting.nextTitle')}
              </h2>
              {team.next ? (
                <NextMeeting
                  meeting={team.next}
                  clientName={view.name}
                  writer={writer}
                  onStart={start}
                  moving={moving}
                  onMove={() => setMoving(!moving)}
                  doc={doc}
                />
              ) : (
                <>
                  <NoNextMeeting />
                  {writer && (
                    <MeetingForm doc={doc} meeting={null} suggestedDate={team.oldFirstMeeting} />
                  )}
                  {writer && (
                    <button type="button" className="button" onClick={start}>
                      <Play aria-hidden="true" /> {t('basisteam.review.start')}
                    </button>
                  )}
                </>
              )}
            </section>
            <section className="team-block" aria-labelledby="team-members">
              <h2 id="team-members">
                <Users aria-hidden="true" /> {t('basisteam.members.title')}
              </h2>
              <MembersEditor
                persons={view.persons}
                members={team.members}
                doc={writer && editingMembers ? doc : null}
                onNewPerson={onNewPerson}
                nameOf={nameOf}
              />
              {writer && (
                <button
                  type="button"
                  className="button team-edit"
                  aria-pressed={editingMembers}
                  onClick={() => setEditingMembers(!editingMembers)}
                >
                  {editingMembers ? <Check aria-hidden="true" /> : <Pencil aria-hidden="true" />}{' '}
                  {editingMembers ? t('basisteam.members.editDone') : t('basisteam.members.edit')}
                </button>
              )}
            </section>
            {held.length > 0 && <HeldMeetings meetings={held} onOpen={setReviewing} />}
            <Versions
              versions={versions.versions}
              problem={versions.problem}
              live={view}
              doc={writer ? doc : null}
              words={words}
              onPrinted={() => noteExport(access.id, access.token, 'plan-pdf')}
            />
          </>
        )}
      </main>
    </div>
  )
}

function NextMeeting({
  meeting,
  clientName,
  writer,
  onStart,
  moving,
  onMove,
  doc,
}: {
  meeting: BasisteamMeeting
  clientName: string
  writer: boolean
  onStart: () => void
  moving: boolean
  onMove: () => void
  doc: Y.Doc
}) {
  const { t } = useTranslation()
  return (
    <>
      <MeetingWhen meeting={meeting} />
      <CalendarButton meeting={meeting} clientName={clientName} />
      {writer && (
        <div className="team-actions">
          <button type="button" className="button primary team-start" onClick={onStart}>
            <Play aria-hidden="true" /> {t('basisteam.review.start')}
          </button>
          <button type="button" className="button" aria-expanded={moving} onClick={onMove}>
            <CalendarDays aria-hidden="true" /> {t('basisteam.meeting.move')}
          </button>
        </div>
      )}
      {writer && <p className="team-hint">{t('basisteam.review.startHint')}</p>}
      {writer && moving && (
        <MeetingForm key={meeting.id} doc={doc} meeting={meeting} onPlanned={onMove} />
      )}
    </>
  )
}

/** The meetings held, most recent first; opening one shows what was said there. */
function HeldMeetings({
  meetings,
  onOpen,
}: {
  meetings: BasisteamMeeting[]
  onOpen: (id: string) => void
}) {
  const { t } = useTranslation()
  const words = useMeetingWords()
  return (
    <section className="team-block" aria-labelledby="team-held">
      <h2 id="team-held">
        <CalendarCheck aria-hidden="true" /> {t('basisteam.meeting.heldTitle')}
      </h2>
      <ul className="team-version-list">
        {meetings.map((m) => (
          <li key={m.id} className="team-version">
            <span className="team-version-name">
              {words.when(m.startsAt)}
              {m.finishedAt && (
                <span className="muted">
                  {' · '}
                  {t('basisteam.meeting.finished', { date: words.short(m.finishedAt) })}
                </span>
              )}
            </span>
            <button type="button" className="button" onClick={() => onOpen(m.id)}>
              <Eye aria-hidden="true" /> {t('basisteam.versions.open')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  )
}
