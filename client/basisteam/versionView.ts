/**
 * A kept version of the plan shown and printed with the plan's own parts: its words become a
 * `PlanView` whose persons are the names the version kept, so it reads as it was then.
 */
import type { PlanVersion } from '../../shared/api/versions'
import type { Agreement } from '../../shared/plan/layout'
import type { VersionPerson } from '../../shared/plan/versions'
import { EMPTY_SERVER_PART, type PlanPerson, type PlanView } from '../plan/planView'

/** The version as the plan's screens and the printed plan read a plan. */
export function versionPlanView(version: PlanVersion, live: PlanView['server']): PlanView {
  const { content } = version
  const persons = new Map<string, PlanPerson>()
  const person = (p: VersionPerson) => {
    if (!persons.has(p.id)) {
      // An id the atlas no longer held when the version was kept has no name: "onbekend".
      persons.set(p.id, { id: p.id, name: p.name, pictogram: null, photo: null, isClient: false })
    }
    return p.id
  }
  const agreements: Agreement[] = content.agreements.map((a, i) => ({
    id: a.id,
    questionId: a.questionId,
    index: String(i).padStart(6, '0'),
    what: a.what,
    who: a.who.map(person),
    where: a.where,
    when: a.when,
    date: a.date,
    frequency: a.frequency,
    how: a.how,
    fallback: a.fallback,
    backupPersonId: a.backup ? person(a.backup) : null,
    status: a.status,
    note: a.note,
    createdAt: '',
  }))
  return {
    name: content.client,
    questions: content.questions.map((q, i) => ({ ...q, index: String(i).padStart(6, '0') })),
    agreements,
    persons: [...persons.values()].filter((p) => p.name !== ''),
    server: {
      ...EMPTY_SERVER_PART,
      // Only approvals given on exactly this plan belong to the version.
      approvals: live.approvals.filter((a) => a.planHash === version.planHash),
    },
  }
}
