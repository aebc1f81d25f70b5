import { Check, UserRound } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { useMeeting, usePersonName } from './context'

/** Person ids in the atlas's order (the client first, then by name); unknown ids at the end. */
export function inAtlasOrder(ids: string[], atlasIds: string[]): string[] {
  const chosen = new Set(ids)
  const known = atlasIds.filter((id) => chosen.has(id))
  const knownSet = new Set(known)
  return [...known, ...ids.filter((id) => !knownSet.has(id))]
}

/**
 * The persons of the atlas as large buttons to tap on and off (who is here, who is in the
 * basisteam) for a device that writes; the chosen ones as a list for a device that follows.
 */
export function PersonToggles({
  chosen,
  onChange,
  emptyText,
}: {
  chosen: string[]
  onChange: (personId: string, on: boolean) => void
  emptyText: string
}) {
  const { t } = useTranslation()
  const { writer, content } = useMeeting()
  const nameOf = usePersonName()
  const atlasIds = content.persons.map((p) => p.id)
  const ordered = inAtlasOrder(chosen, atlasIds)
  if (!writer) {
    if (ordered.length === 0) return <p className="muted">{emptyText}</p>
    return (
      <ul className="meeting-people">
        {ordered.map((id) => (
          <li key={id} className="meeting-person" data-person={id}>
            <UserRound aria-hidden="true" /> {nameOf(id)}
          </li>
        ))}
      </ul>
    )
  }
  const chosenSet = new Set(chosen)
  // Someone chosen who is no longer in the atlas can still be taken off.
  const all = [...atlasIds, ...ordered.filter((id) => !atlasIds.includes(id))]
  if (all.length === 0) return <p className="muted">{t('meeting.introductions.noPersons')}</p>
  return (
    <ul className="meeting-people">
      {all.map((id) => {
        const on = chosenSet.has(id)
        return (
          <li key={id}>
            <button
              type="button"
              className="meeting-person meeting-toggle"
              aria-pressed={on}
              data-person={id}
              onClick={() => onChange(id, !on)}
            >
              {on ? <Check aria-hidden="true" /> : <UserRound aria-hidden="true" />}
              <span>{nameOf(id)}</span>
            </button>
          </li>
        )
      })}
    </ul>
  )
}
