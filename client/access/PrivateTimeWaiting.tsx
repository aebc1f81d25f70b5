import { Coffee } from 'lucide-react'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { fetchAtlasInfo } from '../lib/api'

/** How often a waiting page asks whether privétijd is over. */
const POLL_MS = 2000

/**
 * What a professional's or facilitator's page shows while privétijd is on: a calm note, and
 * nothing of the atlas or the plan (the server sends none). It asks the server now and then, and
 * calls `onEnded` once privétijd is over.
 */
export function PrivateTimeWaiting({
  access,
  onEnded,
}: {
  access: { id: string; token: string }
  onEnded: () => void
}) {
  const { t } = useTranslation()
  useEffect(() => {
    let live = true
    let timer: ReturnType<typeof setTimeout> | undefined
    const ask = async () => {
      const over = await fetchAtlasInfo(access.id, access.token).then(
        (info) => !info.privateTime,
        () => false,
      )
      if (!live) return
      if (over) onEnded()
      else timer = setTimeout(() => void ask(), POLL_MS)
    }
    timer = setTimeout(() => void ask(), POLL_MS)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [access.id, access.token, onEnded])
  return (
    <main className="page">
      <div className="card error-card" data-testid="private-time-waiting" role="status">
        <h1>
          <Coffee aria-hidden="true" size={32} /> {t('privateTime.title')}
        </h1>
        <p>{t('privateTime.text')}</p>
      </div>
    </main>
  )
}
