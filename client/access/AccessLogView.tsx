import {
  ArrowLeft,
  Download,
  Eye,
  FilePlus,
  Link2,
  Lock,
  LockOpen,
  type LucideIcon,
  RefreshCw,
  RotateCcw,
  Unlink,
} from 'lucide-react'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { AccessEntry, AccessEvent, ExportKind, LoggedLink } from '../../shared/api/accessLog'
import { ApiFailure, fetchAccessLog } from '../lib/api'
import type { AtlasAccess } from './access'

const EVENT_KEYS = {
  created: 'created',
  imported: 'imported',
  opened: 'opened',
  'link-made': 'linkMade',
  'link-stopped': 'linkStopped',
  'private-time-on': 'privateTimeOn',
  'private-time-off': 'privateTimeOff',
  exported: 'exported',
  'restored-person': 'restoredPerson',
  'restored-atlas': 'restoredAtlas',
} as const satisfies Record<AccessEvent, string>

const EVENT_ICONS: Record<AccessEvent, LucideIcon> = {
  created: FilePlus,
  imported: FilePlus,
  opened: Eye,
  'link-made': Link2,
  'link-stopped': Unlink,
  'private-time-on': Lock,
  'private-time-off': LockOpen,
  exported: Download,
  'restored-person': RotateCcw,
  'restored-atlas': RotateCcw,
}

const EXPORT_KEYS = {
  'atlas-file': 'atlasFile',
  image: 'image',
  pdf: 'pdf',
  'plan-pdf': 'planPdf',
  print: 'print',
} as const satisfies Record<ExportKind, string>

/**
 * "Wie heeft mijn atlas geopend?": the atlas's access log, newest first, in plain words: who (the
 * link's label and role), what, on which kind of device, when. For edit links only.
 */
export function AccessLogView({ access, onBack }: { access: AtlasAccess; onBack: () => void }) {
  const { t } = useTranslation()
  const [entries, setEntries] = useState<AccessEntry[] | null>(null)
  const [retention, setRetention] = useState<number | null>(null)
  const [unknown, setUnknown] = useState(0)
  const [error, setError] = useState<string | null>(null)
  const [attempt, setAttempt] = useState(0)
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [])

  // biome-ignore lint/correctness/useExhaustiveDependencies: attempt asks for a new fetch
  useEffect(() => {
    let live = true
    setError(null)
    fetchAccessLog(access.id, access.token).then(
      (log) => {
        if (!live) return
        setEntries(log.entries)
        setRetention(log.retentionDays)
        setUnknown(log.unknown)
      },
      (err) => {
        if (!live) return
        const reason =
          err instanceof ApiFailure && err.status !== 0
            ? t('access.links.serverProblem')
            : t('status.offline')
        setError(t('rights.accessLog.loadFailed', { reason }))
      },
    )
    return () => {
      live = false
    }
  }, [access.id, access.token, attempt])

  return (
    <div className="access-log">
      <h3 ref={heading} tabIndex={-1} className="visually-hidden">
        {t('rights.accessLog.title')}
      </h3>
      <p>{t('rights.accessLog.intro')}</p>
      {retention !== null && (
        <p className="note">{t('rights.accessLog.kept', { count: retention })}</p>
      )}
      {error && (
        <div className="stack">
          <p className="error-text" role="alert">
            {error}
          </p>
          <button type="button" className="button" onClick={() => setAttempt((a) => a + 1)}>
            <RefreshCw aria-hidden="true" /> {t('rights.accessLog.retry')}
          </button>
        </div>
      )}
      {unknown > 0 && <p className="note">{t('rights.accessLog.unknown', { count: unknown })}</p>}
      {!entries && !error && <p role="status">{t('rights.accessLog.loading')}</p>}
      {entries && entries.length === 0 && <p>{t('rights.accessLog.empty')}</p>}
      {entries && entries.length > 0 && (
        <ul className="access-log-list" aria-label={t('rights.accessLog.list')}>
          {entries.map((entry) => (
            <AccessLine
              key={`${entry.at} ${entry.event} ${entry.by?.linkId} ${entry.link?.linkId} ${entry.export}`}
              entry={entry}
            />
          ))}
        </ul>
      )}
      <div className="actions">
        <button type="button" className="button" onClick={onBack}>
          <ArrowLeft aria-hidden="true" /> {t('rights.accessLog.back')}
        </button>
      </div>
    </div>
  )
}

function AccessLine({ entry }: { entry: AccessEntry }) {
  const { t, i18n } = useTranslation()
  const name = (link: LoggedLink | null | undefined) =>
    link
      ? t('rights.accessLog.who', {
          label: link.label || t('access.links.firstLink'),
          role: t(`access.roles.${link.role}`),
        })
      : t('rights.accessLog.someone')
  const sentence = t(`rights.accessLog.events.${EVENT_KEYS[entry.event]}`, {
    who: name(entry.by),
    link: name(entry.link),
    what: entry.export ? t(`rights.accessLog.exports.${EXPORT_KEYS[entry.export]}`) : '',
  })
  const device = entry.device.kind ? t(`rights.accessLog.device.${entry.device.kind}`) : ''
  const detail = [entry.device.browser, entry.device.system].filter(Boolean).join(', ')
  const at = new Date(entry.at)
  const when = new Intl.DateTimeFormat(i18n.language, {
    day: 'numeric',
    month: 'short',
    ...(at.getFullYear() === new Date().getFullYear() ? {} : { year: 'numeric' }),
    hour: '2-digit',
    minute: '2-digit',
  }).format(at)
  const Icon = EVENT_ICONS[entry.event]
  return (
    <li className="access-line" data-testid="access-entry" data-event={entry.event}>
      <Icon aria-hidden="true" size={24} className="access-icon" />
      <span>
        <span className="access-what">
          {sentence}
          {device && ` ${device}`}
        </span>
        {' · '}
        <time dateTime={entry.at}>{when}</time>
        {detail && <span className="access-device"> ({detail})</span>}
      </span>
    </li>
  )
}
