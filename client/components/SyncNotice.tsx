import { CircleAlert, Hourglass } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import type { SyncNotice as Notice } from '../sync/useSyncedDoc'

const KEYS = {
  'update-refused': 'syncNotice.updateRefused',
  'document-full': 'syncNotice.documentFull',
  busy: 'syncNotice.busy',
} as const

/**
 * A calm line beside the connection state when the server stopped or slowed this device down,
 * or when part of the atlas could not be shown. Nothing is lost: the device keeps its copy.
 */
export function SyncNotice({ notice, skipped = 0 }: { notice: Notice | null; skipped?: number }) {
  const { t } = useTranslation()
  if (!notice && skipped === 0) return null
  const Icon = notice === 'busy' ? Hourglass : CircleAlert
  return (
    <output className="sync-notice" data-notice={notice ?? 'skipped'} aria-live="polite">
      <Icon aria-hidden="true" size={20} />
      <span>{notice ? t(KEYS[notice]) : t('syncNotice.skipped', { count: skipped })}</span>
    </output>
  )
}
