import { CircleCheck, CircleStop, type LucideIcon, TrendingUp, TriangleAlert } from 'lucide-react'
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import type * as Y from 'yjs'
import { setStatus } from '../../shared/plan/basisteam'
import { type Agreement, AgreementStatus } from '../../shared/plan/layout'

/** A pictogram beside each status's word. */
export const STATUS_ICONS: Record<AgreementStatus, LucideIcon> = {
  'on-track': TrendingUp,
  attention: TriangleAlert,
  done: CircleCheck,
  stopped: CircleStop,
}

/** An agreement's status in words with its pictogram, for a page that only reads. */
export function StatusWord({ status }: { status: AgreementStatus | null }) {
  const { t } = useTranslation()
  if (!status) return <span className="team-status muted">{t('basisteam.status.none')}</span>
  const Icon = STATUS_ICONS[status]
  return (
    <span className="team-status" data-status={status}>
      <Icon aria-hidden="true" /> {t(`basisteam.status.${status}`)}
    </span>
  )
}

/**
 * The four statuses as large buttons (op koers / aandacht nodig / klaar / gestopt); choosing one
 * adds it to the agreement's history with the meeting it was set at.
 */
export function StatusButtons({
  agreement,
  doc,
  meetingId,
}: {
  agreement: Agreement
  /** Null on a page that may not write: the status in words. */
  doc: Y.Doc | null
  meetingId: string | null
}) {
  const { t } = useTranslation()
  const labelId = useId()
  if (!doc) {
    return (
      <p>
        {t('basisteam.review.status')} <StatusWord status={agreement.status} />
      </p>
    )
  }
  return (
    <fieldset className="team-statuses" aria-labelledby={labelId}>
      <legend id={labelId}>{t('basisteam.review.status')}</legend>
      <div className="team-status-row">
        {AgreementStatus.options.map((status) => {
          const Icon = STATUS_ICONS[status]
          const on = agreement.status === status
          return (
            <button
              key={status}
              type="button"
              className="team-status-button"
              data-status={status}
              aria-pressed={on}
              onClick={() => setStatus(doc, agreement.id, status, meetingId)}
            >
              <Icon aria-hidden="true" /> {t(`basisteam.status.${status}`)}
            </button>
          )
        })}
      </div>
    </fieldset>
  )
}
