import { Hourglass } from 'lucide-react'
import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiFailure, fetchAtlasInfo } from '../lib/api'
import type { MeetingAccess } from './context'

/** How often the pause asks whether privétijd is over. */
const ASK_EVERY_MS = 2000

/**
 * What a professional's meeting screen shows while the server withholds the plan for privétijd:
 * nothing of the meeting, a calm word, and back by itself when the server answers again.
 */
export function PrivateTimePause({
  access,
  onOver,
  onRefused,
}: {
  access: MeetingAccess
  onOver: () => void
  /** The link no longer works at all (revoked meanwhile). */
  onRefused: () => void
}) {
  const { t } = useTranslation()
  const done = useRef({ onOver, onRefused })
  done.current = { onOver, onRefused }
  useEffect(() => {
    let live = true
    let timer: ReturnType<typeof setTimeout>
    const ask = async () => {
      try {
        const info = await fetchAtlasInfo(access.id, access.token)
        if (!live) return
        if (!info.privateTime) return done.current.onOver()
      } catch (err) {
        if (!live) return
        // 423: still privétijd; 0: no connection. Anything else: the link stopped working.
        if (err instanceof ApiFailure && err.status !== 423 && err.status !== 0)
          return done.current.onRefused()
      }
      timer = setTimeout(ask, ASK_EVERY_MS)
    }
    timer = setTimeout(ask, ASK_EVERY_MS)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [access.id, access.token])
  return (
    <div className="meeting meeting-pause">
      <main className="card meeting-pause-card" aria-live="polite">
        <Hourglass aria-hidden="true" size={56} />
        <h1>{t('meeting.privateTime.waitingTitle')}</h1>
        <p>{t('meeting.privateTime.pauseText')}</p>
      </main>
    </div>
  )
}
