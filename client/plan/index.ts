/** What the meeting screens take from the plan: its presentation, the professionals' forms, its data. */
export { PlanPresentation } from './PlanPresentation'
export { PlanScreen } from './PlanScreen'
export { ApprovalForm, ApprovalList, PiketpaaltjeForm, PiketpaaltjeList } from './Professionals'
export type { PlanView } from './planView'
export { usePlanHash, usePlanView } from './usePlanView'
