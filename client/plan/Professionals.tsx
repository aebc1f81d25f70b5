import { CircleCheckBig, Flag, MessageSquareText, Send, Trash2, TriangleAlert } from 'lucide-react'
import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type {
  ApprovalDecision,
  Approval as ApprovalRecord,
  Piketpaaltje,
} from '../../shared/api/plan'
import { ApiFailure } from '../lib/api'
import {
  decideOnPlan,
  failureKey,
  type PlanAccess,
  removePiketpaaltje,
  setPiketpaaltje,
} from './api'
import { changedSince, shortDate } from './planView'
import { useOwnLinkId } from './useOwnLinkId'

/** Who set a piketpaaltje or gave an approval: the link's label, or "a professional". */
function useLabel(): (label: string) => string {
  const { t } = useTranslation()
  return (label) => label.trim() || t('plan.someone')
}

/** The piketpaaltjes at the top of the plan, each with who set it and when. */
export function PiketpaaltjeList({ piketpaaltjes }: { piketpaaltjes: Piketpaaltje[] }) {
  const { t, i18n } = useTranslation()
  const label = useLabel()
  const headingId = useId()
  if (piketpaaltjes.length === 0) return null
  return (
    <section className="plan-block piketpaaltjes" aria-labelledby={headingId}>
      <h2 id={headingId}>
        <Flag aria-hidden="true" size={24} /> {t('plan.piketpaaltjes')}
      </h2>
      <p className="muted">{t('plan.piketpaaltjesIntro')}</p>
      <ul>
        {piketpaaltjes.map((p) => (
          <li key={p.id} data-testid="piketpaaltje">
            <strong>{p.text}</strong>
            <span className="muted">
              {t('plan.setBy', { who: label(p.setBy), date: shortDate(p.setAt, i18n.language) })}
              {p.framework && ` · ${t('plan.framework', { framework: p.framework })}`}
            </span>
          </li>
        ))}
      </ul>
    </section>
  )
}

/** The professionals' decisions on the plan, each marked when the plan changed after it. */
export function ApprovalList({
  approvals,
  currentHash,
}: {
  approvals: ApprovalRecord[]
  /** The plan as shown now; null while it is being hashed (nothing is marked then). */
  currentHash: string | null
}) {
  const { t, i18n } = useTranslation()
  const label = useLabel()
  const headingId = useId()
  if (approvals.length === 0) return null
  return (
    <section className="plan-block approvals" aria-labelledby={headingId}>
      <h2 id={headingId}>
        <CircleCheckBig aria-hidden="true" size={24} /> {t('plan.approvals')}
      </h2>
      <ul>
        {approvals.map((a) => {
          const words = { who: label(a.by), date: shortDate(a.at, i18n.language) }
          const approved = a.decision === 'approved'
          return (
            <li key={a.id} data-testid="approval" data-decision={a.decision}>
              <span className={`approval-decision ${a.decision}`}>
                {approved ? (
                  <CircleCheckBig aria-hidden="true" size={22} />
                ) : (
                  <MessageSquareText aria-hidden="true" size={22} />
                )}
                {approved ? t('plan.approved', words) : t('plan.changesRequested', words)}
              </span>
              {a.comment && <q className="approval-comment">{a.comment}</q>}
              {changedSince(a.planHash, currentHash) && (
                <span
                  className="changed-since"
                  data-testid="changed-since-approval"
                  title={t('plan.changedSinceHint')}
                >
                  <TriangleAlert aria-hidden="true" size={18} /> {t('plan.changedSince')}
                </span>
              )}
            </li>
          )
        })}
      </ul>
    </section>
  )
}

/**
 * A professional who set a piketpaaltje approves the plan or asks for a change, with a comment.
 * The decision is tied to the plan as this page shows it (`planHash`); when the plan changed
 * meanwhile the server refuses, and the page says so: the plan on it is already the new one.
 */
export function ApprovalForm({
  access,
  planHash,
}: {
  access: PlanAccess
  /** The hash of the plan on this page; null while it is being computed. */
  planHash: string | null
}) {
  const { t } = useTranslation()
  const headingId = useId()
  const commentId = useId()
  const hintId = useId()
  const [comment, setComment] = useState('')
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<{ text: string; kind: 'ok' | 'problem' } | null>(null)

  const decide = async (decision: ApprovalDecision) => {
    if (decision === 'changes-requested' && !comment.trim()) {
      setMessage({ text: t('plan.approve.needComment'), kind: 'problem' })
      return
    }
    if (!planHash) {
      setMessage({ text: t('plan.failed.noHash'), kind: 'problem' })
      return
    }
    setBusy(true)
    setMessage(null)
    try {
      await decideOnPlan(access, decision, comment.trim(), planHash)
      setComment('')
      setMessage({ text: t('plan.approve.sent'), kind: 'ok' })
    } catch (error) {
      const stale = error instanceof ApiFailure && error.status === 409
      setMessage({ text: stale ? t('plan.approve.stale') : t(failureKey(error)), kind: 'problem' })
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="plan-block approval-form" aria-labelledby={headingId}>
      <h2 id={headingId}>
        <CircleCheckBig aria-hidden="true" size={24} /> {t('plan.approve.title')}
      </h2>
      <p className="muted">{t('plan.approve.intro')}</p>
      <label htmlFor={commentId}>{t('plan.approve.comment')}</label>
      <p id={hintId} className="muted hint">
        {t('plan.approve.commentHint')}
      </p>
      <textarea
        id={commentId}
        rows={3}
        aria-describedby={hintId}
        value={comment}
        onChange={(e) => setComment(e.currentTarget.value)}
      />
      <div className="row">
        <button
          type="button"
          className="button primary"
          disabled={busy}
          onClick={() => void decide('approved')}
        >
          <CircleCheckBig aria-hidden="true" size={20} /> {t('plan.approve.approve')}
        </button>
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() => void decide('changes-requested')}
        >
          <MessageSquareText aria-hidden="true" size={20} /> {t('plan.approve.requestChange')}
        </button>
      </div>
      {message && (
        <p
          className={message.kind === 'ok' ? 'plan-message' : 'plan-message problem'}
          role={message.kind === 'ok' ? 'status' : 'alert'}
          data-testid="approval-message"
        >
          {message.text}
        </p>
      )}
    </section>
  )
}

/**
 * A professional sets a piketpaaltje (text and the rule it comes from) and removes his own. The
 * server stamps it with his link's label and the time, and every plan shows it at once.
 */
export function PiketpaaltjeForm({
  access,
  piketpaaltjes,
  linkId: knownLinkId,
}: {
  access: PlanAccess
  /** The plan's piketpaaltjes as they are now (the plan document's server part). */
  piketpaaltjes: Piketpaaltje[]
  /** This page's link id when the caller knows it; asked from the server otherwise. */
  linkId?: string | null
}) {
  const { t } = useTranslation()
  const asked = useOwnLinkId(access, knownLinkId === undefined)
  const linkId = knownLinkId === undefined ? asked : knownLinkId
  const headingId = useId()
  const textId = useId()
  const frameworkId = useId()
  const frameworkHintId = useId()
  const [text, setText] = useState('')
  const [framework, setFramework] = useState('')
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const mine = linkId ? piketpaaltjes.filter((p) => p.linkId === linkId) : []

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!text.trim()) {
      setProblem(t('plan.piketForm.needText'))
      return
    }
    setBusy(true)
    setProblem(null)
    try {
      await setPiketpaaltje(access, { text: text.trim(), framework: framework.trim() })
      setText('')
      setFramework('')
    } catch (error) {
      setProblem(t(failureKey(error)))
    } finally {
      setBusy(false)
    }
  }

  const remove = async (id: string) => {
    setProblem(null)
    try {
      await removePiketpaaltje(access, id)
    } catch (error) {
      setProblem(t(failureKey(error)))
    }
  }

  return (
    <section className="plan-block piketpaaltje-form" aria-labelledby={headingId}>
      <h2 id={headingId}>
        <Flag aria-hidden="true" size={24} /> {t('plan.piketForm.title')}
      </h2>
      <p className="muted">{t('plan.piketForm.intro')}</p>
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <label htmlFor={textId}>{t('plan.piketForm.text')}</label>
        <textarea
          id={textId}
          rows={2}
          value={text}
          maxLength={500}
          onChange={(e) => setText(e.currentTarget.value)}
        />
        <label htmlFor={frameworkId}>{t('plan.piketForm.framework')}</label>
        <p id={frameworkHintId} className="muted hint">
          {t('plan.piketForm.frameworkHint')}
        </p>
        <input
          id={frameworkId}
          aria-describedby={frameworkHintId}
          value={framework}
          maxLength={120}
          onChange={(e) => setFramework(e.currentTarget.value)}
        />
        <div className="row">
          <button type="submit" className="button primary" disabled={busy}>
            <Send aria-hidden="true" size={20} /> {t('plan.piketForm.submit')}
          </button>
        </div>
      </form>
      {problem && (
        <p className="plan-message problem" role="alert">
          {problem}
        </p>
      )}
      {mine.length > 0 && (
        <>
          <h3>{t('plan.piketForm.mine')}</h3>
          <ul className="own-piketpaaltjes">
            {mine.map((p) => (
              <li key={p.id}>
                <span>{p.text}</span>
                <button
                  type="button"
                  className="button quiet"
                  aria-label={t('plan.piketForm.removeWhich', { text: p.text })}
                  onClick={() => void remove(p.id)}
                >
                  <Trash2 aria-hidden="true" size={20} /> {t('plan.piketForm.remove')}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}
