import { createContext, useContext } from 'react'
import { useTranslation } from 'react-i18next'
import type { TLStore } from 'tldraw'
import type * as Y from 'yjs'
import type { AtlasContent } from '../../shared/domain/content'
import type { PlanContent } from '../../shared/plan/layout'
import type { AtlasAccess } from '../access/access'

/** Everything a step of the meeting reads and writes. */
export interface Meeting {
  access: AtlasAccess
  /** Whether this device writes the plan (an edit link): moves the steps, fills them in. */
  writer: boolean
  planDoc: Y.Doc
  plan: PlanContent
  /** The atlas: its persons and the basisposter's questions. */
  content: AtlasContent
  /** The atlas's store, to add a new person (null while the atlas is not loaded). */
  store: TLStore | null
  /** The client's name, or words for "the client" when the atlas has none yet. */
  clientName: string
}

/** The meeting of the screen, for its steps. */
export const MeetingContext = createContext<Meeting | null>(null)

/** The meeting of the screen; only inside MeetingScreen. */
export function useMeeting(): Meeting {
  const meeting = useContext(MeetingContext)
  if (!meeting) throw new Error('useMeeting outside MeetingScreen')
  return meeting
}

/**
 * A person's name by atlas person id: "Zonder naam" for a person without one, "Onbekend" for an
 * id the atlas does not hold (removed, or not synced yet), so no view breaks on it.
 */
export function usePersonName(): (personId: string) => string {
  const { t } = useTranslation()
  const { content } = useMeeting()
  return (personId) => {
    const person = content.persons.find((p) => p.id === personId)
    if (!person) return t('meeting.unknown')
    return person.name.trim() || t('meeting.unnamed')
  }
}

/** The sentence with its first letter as a capital ("de klant en…" → "De klant en…"). */
export function sentence(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1)
}
