import { CalendarDays, CalendarX, CircleCheck, Flag } from 'lucide-react'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type * as Y from 'yjs'
import type { PlanVersion } from '../../shared/api/versions'
import type { PlanAccess } from '../plan/api'
import { failureKey, keepVersion, listVersions } from './api'
import { useBasisteam, useMeetingWords, useRememberBasisteam } from './useBasisteam'
import './basisteam.css'

/** The gentle warning of a plan without a next meeting: information, never an alarm. */
export function NoNextMeeting({ compact = false }: { compact?: boolean }) {
  const { t } = useTranslation()
  return (
    <p className="team-warning" data-testid="no-next-meeting">
      <CalendarX aria-hidden="true" />
      <span>
        {t('basisteam.noNext')}
        {!compact && <> {t('basisteam.noNextHint')}</>}
      </span>
    </p>
  )
}

/** The versions of the plan the server keeps, loaded again when `refresh` changes. */
export function useVersions(
  access: PlanAccess,
  refresh: unknown,
): { versions: PlanVersion[] | null; problem: string | null; reload: () => void } {
  const { t } = useTranslation()
  const [versions, setVersions] = useState<PlanVersion[] | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [tick, setTick] = useState(0)
  // biome-ignore lint/correctness/useExhaustiveDependencies: refresh and tick ask for a new load
  useEffect(() => {
    let live = true
    listVersions(access)
      .then((list) => {
        if (!live) return
        setVersions(list)
        setProblem(null)
      })
      .catch((error: unknown) => {
        if (live) setProblem(t(failureKey(error)))
      })
    return () => {
      live = false
    }
  }, [access.id, access.token, refresh, tick, t])
  return { versions, problem, reload: () => setTick((n) => n + 1) }
}

/**
 * "Bijeenkomst afronden" at the end of the meedenkbijeenkomst: the server keeps the plan as it
 * is as version 1 (a version of the meedenkbijeenkomst itself, without a basisteam meeting).
 */
export function FinishFirstMeeting({ access, writer }: { access: PlanAccess; writer: boolean }) {
  const { t } = useTranslation()
  const { versions, problem: loadProblem, reload } = useVersions(access, null)
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const kept = versions?.find((v) => v.meetingId === null) ?? null
  const finish = async () => {
    setBusy(true)
    setProblem(null)
    try {
      await keepVersion(access, null)
      reload()
    } catch (error) {
      setProblem(t(failureKey(error)))
    } finally {
      setBusy(false)
    }
  }
  return (
    <section className="team-finish" aria-labelledby="team-finish-title">
      <h2 id="team-finish-title">
        <Flag aria-hidden="true" /> {t('basisteam.finishMeeting.title')}
      </h2>
      {kept ? (
        <p className="team-done" role="status" data-testid="first-version-kept">
          <CircleCheck aria-hidden="true" /> {t('basisteam.finishMeeting.done', { n: kept.number })}
        </p>
      ) : writer ? (
        <>
          <p className="team-hint">{t('basisteam.finishMeeting.hint')}</p>
          <button
            type="button"
            className="button primary"
            disabled={busy || versions === null}
            onClick={() => void finish()}
          >
            <Flag aria-hidden="true" /> {t('basisteam.finishMeeting.button')}
          </button>
        </>
      ) : null}
      {(problem ?? loadProblem) && (
        <p className="team-problem" role="alert">
          {problem ?? loadProblem}
        </p>
      )}
    </section>
  )
}

/** On the plan: when the basisteam meets next, or a gentle warning when it has no date. */
export function PlanNextMeeting({ doc, atlasId }: { doc: Y.Doc; atlasId: string }) {
  const { t } = useTranslation()
  const team = useBasisteam(doc)
  useRememberBasisteam(atlasId, team, true)
  const words = useMeetingWords()
  if (!team.exists) return null
  if (!team.next) return <NoNextMeeting />
  return (
    <p className="team-next-line" data-testid="plan-next-meeting">
      <CalendarDays aria-hidden="true" />{' '}
      {t('basisteam.next', { date: words.short(team.next.startsAt) })}
    </p>
  )
}
