import { DoorClosed } from 'lucide-react'
import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { LanguageSwitch } from '../components/LanguageSwitch'
import { ApiFailure, fetchAtlasInfo } from '../lib/api'
import './access.css'
import { EasyReadSwitch } from '../easyRead/EasyReadSwitch'

/** How often the waiting screen asks the server whether privétijd has ended. */
export const PRIVATE_TIME_POLL_MS = 3000

/**
 * The calm full screen of a professional's page during privétijd, on every route (maps, plan,
 * meeting). It shows nothing of the atlas, and asks the server every few seconds with the
 * page's own link; `onEnded` runs once privétijd is over (or the link no longer works, which
 * the page then says).
 */
export function PrivateTimeWaiting({
  atlasId,
  token,
  onEnded,
}: {
  atlasId: string
  token: string
  onEnded: () => void
}) {
  const { t } = useTranslation()
  const ended = useRef(onEnded)
  ended.current = onEnded
  useEffect(() => {
    let live = true
    let timer: ReturnType<typeof setTimeout> | undefined
    const ask = async () => {
      timer = undefined
      try {
        await fetchAtlasInfo(atlasId, token)
        if (live) ended.current()
        return
      } catch (err) {
        if (live && err instanceof ApiFailure && err.status === 404) {
          ended.current()
          return
        }
      }
      // 423: still private; no answer: the server is away. Ask again later either way.
      if (live) timer = setTimeout(ask, PRIVATE_TIME_POLL_MS)
    }
    const askNow = () => {
      if (timer === undefined) return
      clearTimeout(timer)
      void ask()
    }
    timer = setTimeout(ask, PRIVATE_TIME_POLL_MS)
    // Back from another tab or from a lost connection: no need to wait for the next round.
    window.addEventListener('online', askNow)
    window.addEventListener('focus', askNow)
    return () => {
      live = false
      clearTimeout(timer)
      window.removeEventListener('online', askNow)
      window.removeEventListener('focus', askNow)
    }
  }, [atlasId, token])
  return (
    <div className="page private-time" data-testid="private-time-waiting">
      <header className="page-header private-time-header">
        <div className="header-switches">
          <EasyReadSwitch />
          <LanguageSwitch />
        </div>
      </header>
      <main className="card private-time-card" role="status">
        <DoorClosed aria-hidden="true" size={72} strokeWidth={1.5} />
        <h1>{t('access.privateTime.title')}</h1>
        <p>{t('access.privateTime.text')}</p>
      </main>
    </div>
  )
}
