import { RefreshCw, Sparkles } from 'lucide-react'
import { useState, useSyncExternalStore } from 'react'
import { useTranslation } from 'react-i18next'
import { isPartMissing, isTooOld, onPartMissing, onTooOld } from '../lib/build'
import { applyUpdate, loadNewVersion, useUpdateState } from './serviceWorker'
import './pwa.css'

/**
 * "Er is een nieuwe versie": shown on every screen once a new build waits on the device. The user
 * loads it when she chooses; while the meeting is open or edits wait for the server the notice
 * says when instead of offering the button. "Later" puts it away for this page. A page the server
 * calls too old says so, and offers the new version at once. A page that could not load a part of
 * its build (gone from the server after a deploy) asks to be loaded again, under the same holds.
 */
export function UpdateNotice() {
  const { t } = useTranslation()
  const { waiting, hold } = useUpdateState()
  const [later, setLater] = useState(false)
  const tooOld = useSyncExternalStore(onTooOld, isTooOld)
  const partMissing = useSyncExternalStore(onPartMissing, isPartMissing)
  if (tooOld) {
    return (
      <section className="update-notice" aria-labelledby="update-notice-text" data-hold="too-old">
        <Sparkles aria-hidden="true" size={22} />
        <p id="update-notice-text" role="alert">
          {t('offline.update.tooOld')}
        </p>
        <button type="button" className="button primary" onClick={loadNewVersion}>
          <RefreshCw aria-hidden="true" /> {t('offline.update.load')}
        </button>
      </section>
    )
  }
  if (partMissing) {
    return (
      <section
        className="update-notice"
        aria-labelledby="update-notice-text"
        data-hold={hold ?? 'none'}
        data-reason="part-missing"
      >
        <RefreshCw aria-hidden="true" size={22} />
        <p id="update-notice-text" role="alert">
          {t('offline.update.partMissing')}
          {hold === 'meeting' && <> {t('offline.update.afterMeeting')}</>}
          {hold === 'unsent' && <> {t('offline.update.afterSync')}</>}
        </p>
        {hold === null && (
          <button type="button" className="button primary" onClick={loadNewVersion}>
            <RefreshCw aria-hidden="true" /> {t('offline.update.load')}
          </button>
        )}
      </section>
    )
  }
  if (!waiting || later) return null
  return (
    <section
      className="update-notice"
      aria-labelledby="update-notice-text"
      data-hold={hold ?? 'none'}
    >
      <Sparkles aria-hidden="true" size={22} />
      <p id="update-notice-text" role="status">
        {t('offline.update.available')}
        {hold === 'meeting' && <> {t('offline.update.afterMeeting')}</>}
        {hold === 'unsent' && <> {t('offline.update.afterSync')}</>}
      </p>
      {hold === null && (
        <button type="button" className="button primary" onClick={applyUpdate}>
          <RefreshCw aria-hidden="true" /> {t('offline.update.load')}
        </button>
      )}
      <button type="button" className="button" onClick={() => setLater(true)}>
        {t('offline.update.later')}
      </button>
    </section>
  )
}
