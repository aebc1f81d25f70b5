import { ApprovalForm, ApprovalList, PlanPresentation, usePlanHash, usePlanView } from '../../plan'
import { useOwnLinkId } from '../../plan/useOwnLinkId'
import { useMeeting } from '../context'

/** A date (YYYY-MM-DD) in words of the reader's language. */
export function formatDate(date: string, language: string): string {
  // Noon, so no time zone moves the day.
  const day = new Date(`${date}T12:00:00`)
  if (Number.isNaN(day.getTime())) return date
  return new Intl.DateTimeFormat(language, { dateStyle: 'full' }).format(day)
}

/**
 * The plan, large and clean for the room (the plan screen's own presentation), with the
 * professionals' decisions; a professional who set a piketpaaltje approves it here, on his own
 * device, or asks for a change.
 */
export function PresentationStep() {
  const { access, store, planDoc } = useMeeting()
  const view = usePlanView(store, planDoc, access.title)
  const hash = usePlanHash(view)
  const professional = access.role === 'professional'
  const linkId = useOwnLinkId(access, professional)
  const setOne = linkId !== null && view.server.piketpaaltjes.some((p) => p.linkId === linkId)
  return (
    <div className="meeting-plan" data-testid="meeting-plan">
      <PlanPresentation view={view} />
      <ApprovalList approvals={view.server.approvals} currentHash={hash} />
      {professional && setOne && <ApprovalForm access={access} planHash={hash} />}
    </div>
  )
}
