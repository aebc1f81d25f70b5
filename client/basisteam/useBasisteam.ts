import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type * as Y from 'yjs'
import { utcToDutchLocal } from '../../shared/calendar/time'
import {
  type BasisteamMeeting,
  type BasisteamMember,
  nextMeeting,
  readMeetings,
  readMembers,
} from '../../shared/plan/basisteam'
import { BASISTEAM_KEY } from '../../shared/plan/layout'
import { rememberBasisteam } from '../lib/recentAtlases'
import { formatDate, shortDate } from '../plan/planView'
import { useDocValue } from '../sync/useSyncedDoc'

/** The basisteam as the plan document holds it now. */
export interface Basisteam {
  members: BasisteamMember[]
  meetings: BasisteamMeeting[]
  /** The next meeting not yet held, or null. */
  next: BasisteamMeeting | null
  /** The date the meeting's last step wrote before meetings had a time (YYYY-MM-DD), or null. */
  oldFirstMeeting: string | null
  /** Whether the atlas has a basisteam at all (members or meetings). */
  exists: boolean
}

const NO_MEMBERS: BasisteamMember[] = []
const NO_MEETINGS: BasisteamMeeting[] = []

function readOldFirstMeeting(doc: Y.Doc): string | null {
  const old = doc.getMap(BASISTEAM_KEY).get('firstMeeting')
  return typeof old === 'string' ? old : null
}

/** The basisteam, live; the next meeting is looked at again every minute (it changes by day). */
export function useBasisteam(doc: Y.Doc | null): Basisteam {
  const [now, setNow] = useState(() => new Date())
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 60_000)
    return () => clearInterval(timer)
  }, [])
  const members = useDocValue(doc, readMembers, NO_MEMBERS)
  const meetings = useDocValue(doc, readMeetings, NO_MEETINGS)
  const oldFirstMeeting = useDocValue(doc, readOldFirstMeeting, null)
  return useMemo(
    () => ({
      members,
      meetings,
      next: nextMeeting(meetings, now),
      oldFirstMeeting,
      exists: members.length > 0 || meetings.length > 0,
    }),
    [members, meetings, oldFirstMeeting, now],
  )
}

/** Keeps the next meeting in this device's list of atlases whenever the plan is seen. */
export function useRememberBasisteam(atlasId: string, team: Basisteam, ready: boolean): void {
  const next = team.next?.startsAt ?? null
  useEffect(() => {
    if (!ready) return
    rememberBasisteam(atlasId, team.exists ? { next } : null)
  }, [atlasId, team.exists, next, ready])
}

/** A meeting's start in Dutch local time, in words: "vrijdag 12 maart 2027 om 19:30 uur". */
export function useMeetingWords(): {
  when: (startsAt: string) => string
  short: (startsAt: string) => string
} {
  const { t, i18n } = useTranslation()
  return {
    when: (startsAt) => {
      const local = utcToDutchLocal(startsAt)
      if (!local) return startsAt
      const date = new Intl.DateTimeFormat(i18n.language, {
        weekday: 'long',
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        timeZone: 'UTC',
      }).format(new Date(`${local.date}T00:00:00Z`))
      return t('basisteam.meeting.when', { date, time: local.time })
    },
    short: (startsAt) => {
      const local = utcToDutchLocal(startsAt)
      return local ? shortDate(local.date, i18n.language) : startsAt
    },
  }
}

/** A day (YYYY-MM-DD) in the reader's words, with the year. */
export function dayWords(date: string, language: string): string {
  return formatDate(date, language)
}
