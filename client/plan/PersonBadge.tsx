import { CircleHelp } from 'lucide-react'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { PICTOGRAM_ICONS } from '../canvas/shapes/person/pictograms'
import type { PlanPerson } from './planView'

/** A person's photo or pictogram in a circle; a question mark for a person the atlas lacks. */
export function PersonPicture({ person, size = 32 }: { person: PlanPerson | null; size?: number }) {
  if (person?.photo) {
    return <img className="person-picture" src={person.photo} alt="" width={size} height={size} />
  }
  const Icon = person ? PICTOGRAM_ICONS[person.pictogram ?? 'person'] : CircleHelp
  return (
    <span
      className={`person-picture${person?.isClient ? ' client' : ''}`}
      style={{ width: size, height: size }}
      aria-hidden="true"
    >
      <Icon size={Math.round(size * 0.62)} />
    </span>
  )
}

/**
 * A person as the plan names him: picture and name; "onbekend" for an id that is not (or no longer)
 * a person of the atlas, so the plan never breaks on it.
 */
export function PersonBadge({
  person,
  size,
  children,
}: {
  person: PlanPerson | null
  size?: number
  children?: ReactNode
}) {
  const { t } = useTranslation()
  const name = person ? person.name.trim() || t('people.unnamed') : t('plan.unknown')
  return (
    <span className={`person-badge${person ? '' : ' unknown'}`} data-testid="person-badge">
      <PersonPicture person={person} size={size} />
      <span className="person-badge-name">{name}</span>
      {children}
    </span>
  )
}
