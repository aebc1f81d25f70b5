import {
  BriefcaseBusiness,
  Check,
  House,
  Mail,
  MessageCircle,
  Phone,
  UserPlus,
  UserRound,
} from 'lucide-react'
import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type * as Y from 'yjs'
import {
  type BasisteamMember,
  ContactRoute,
  removeMember,
  setMember,
} from '../../shared/plan/basisteam'
import './basisteam.css'

/** A pictogram beside each contact route's word. */
export const CONTACT_ICONS = {
  call: Phone,
  app: MessageCircle,
  mail: Mail,
  visit: House,
} as const satisfies Record<ContactRoute, unknown>

/** A person of the atlas as the basisteam lists him. */
export interface TeamPerson {
  id: string
  name: string
}

const NEW_MEMBER = { teamRole: '', contact: null, contactNote: '', professional: false } as const

/**
 * The basisteam's members: the persons of the atlas as large buttons to tap on and off, and per
 * member his role in the team, how to reach him and whether he is a professional. A page that
 * may not write (`doc` null) sees the members as a list.
 */
export function MembersEditor({
  persons,
  members,
  doc,
  onNewPerson,
  nameOf,
}: {
  /** The persons of the atlas, in its order. */
  persons: TeamPerson[]
  members: BasisteamMember[]
  doc: Y.Doc | null
  /** Adds a person to the atlas; returns his id (null while the atlas is not loaded). */
  onNewPerson: ((name: string) => string | null) | null
  nameOf: (personId: string) => string
}) {
  const { t } = useTranslation()
  const chosen = new Map(members.map((m) => [m.personId, m]))
  // Members in the atlas's order; a member no longer in the atlas stays listed, at the end.
  const atlasIds = persons.map((p) => p.id)
  const ordered = [
    ...atlasIds.filter((id) => chosen.has(id)),
    ...members.map((m) => m.personId).filter((id) => !atlasIds.includes(id)),
  ]
  return (
    <div className="team-members" data-testid="basisteam-members">
      {doc && (
        <>
          <p className="team-hint">{t('basisteam.members.hint')}</p>
          <ul className="team-toggles">
            {[...atlasIds, ...ordered.filter((id) => !atlasIds.includes(id))].map((id) => {
              const on = chosen.has(id)
              return (
                <li key={id}>
                  <button
                    type="button"
                    className="team-toggle"
                    aria-pressed={on}
                    data-person={id}
                    onClick={() =>
                      on ? removeMember(doc, id) : setMember(doc, { personId: id, ...NEW_MEMBER })
                    }
                  >
                    {on ? <Check aria-hidden="true" /> : <UserRound aria-hidden="true" />}
                    <span>{nameOf(id)}</span>
                  </button>
                </li>
              )
            })}
          </ul>
          {onNewPerson && <NewPerson onNewPerson={onNewPerson} doc={doc} />}
        </>
      )}
      {ordered.length === 0 ? (
        <p className="muted">{t('basisteam.members.none')}</p>
      ) : (
        <ul className="team-cards">
          {ordered.map((id) => {
            const member = chosen.get(id)
            if (!member) return null
            return (
              <li key={id} className="team-card" data-testid="basisteam-member" data-person={id}>
                <MemberCard member={member} name={nameOf(id)} doc={doc} />
              </li>
            )
          })}
        </ul>
      )}
    </div>
  )
}

function MemberCard({
  member,
  name,
  doc,
}: {
  member: BasisteamMember
  name: string
  doc: Y.Doc | null
}) {
  const { t } = useTranslation()
  const roleId = useId()
  const noteId = useId()
  const proId = useId()
  const contactId = useId()
  const change = (details: Partial<BasisteamMember>) => {
    if (doc) setMember(doc, { ...member, ...details })
  }
  const ContactIcon = member.contact ? CONTACT_ICONS[member.contact] : null
  const head = (
    <p className="team-card-name">
      <UserRound aria-hidden="true" /> <strong>{name}</strong>
      {member.professional && (
        <span className="team-pro">
          <BriefcaseBusiness aria-hidden="true" /> {t('basisteam.members.professionalBadge')}
        </span>
      )}
    </p>
  )
  if (!doc) {
    return (
      <>
        {head}
        {member.teamRole && <p>{member.teamRole}</p>}
        {(ContactIcon || member.contactNote) && (
          <p className="team-contact">
            {ContactIcon && member.contact && (
              <>
                <ContactIcon aria-hidden="true" /> {t(`basisteam.contact.${member.contact}`)}
              </>
            )}
            {member.contactNote && <span> · {member.contactNote}</span>}
          </p>
        )}
      </>
    )
  }
  return (
    <>
      {head}
      <div className="team-field">
        <label htmlFor={roleId}>{t('basisteam.members.role', { name })}</label>
        <input
          id={roleId}
          value={member.teamRole}
          maxLength={200}
          placeholder={t('basisteam.members.rolePlaceholder')}
          onChange={(e) => change({ teamRole: e.currentTarget.value })}
        />
      </div>
      <fieldset className="team-field">
        <legend id={contactId}>{t('basisteam.members.contact', { name })}</legend>
        <div className="team-routes">
          {ContactRoute.options.map((route) => {
            const Icon = CONTACT_ICONS[route]
            const on = member.contact === route
            return (
              <button
                key={route}
                type="button"
                className="team-route"
                aria-pressed={on}
                data-route={route}
                onClick={() => change({ contact: on ? null : route })}
              >
                <Icon aria-hidden="true" /> {t(`basisteam.contact.${route}`)}
              </button>
            )
          })}
        </div>
      </fieldset>
      <div className="team-field">
        <label htmlFor={noteId}>{t('basisteam.members.contactNote', { name })}</label>
        <input
          id={noteId}
          value={member.contactNote}
          maxLength={500}
          placeholder={t('basisteam.members.contactNotePlaceholder')}
          onChange={(e) => change({ contactNote: e.currentTarget.value })}
        />
      </div>
      <div className="team-check">
        <input
          id={proId}
          type="checkbox"
          checked={member.professional}
          onChange={(e) => change({ professional: e.currentTarget.checked })}
        />
        <label htmlFor={proId}>
          <BriefcaseBusiness aria-hidden="true" /> {t('basisteam.members.professional')}
        </label>
      </div>
    </>
  )
}

/** A new person by name: he then stands in the atlas too, and in the basisteam. */
function NewPerson({
  onNewPerson,
  doc,
}: {
  onNewPerson: (name: string) => string | null
  doc: Y.Doc
}) {
  const { t } = useTranslation()
  const nameId = useId()
  const [name, setName] = useState('')
  const [added, setAdded] = useState<string | null>(null)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const trimmed = name.trim()
    if (!trimmed) return
    const id = onNewPerson(trimmed)
    if (!id) return
    setMember(doc, { personId: id, ...NEW_MEMBER })
    setName('')
    setAdded(trimmed)
  }
  return (
    <form className="team-new" onSubmit={submit}>
      <p className="team-new-title">{t('basisteam.members.newTitle')}</p>
      <div className="team-new-row">
        <label htmlFor={nameId} className="visually-hidden">
          {t('basisteam.members.newName')}
        </label>
        <input
          id={nameId}
          value={name}
          autoComplete="off"
          placeholder={t('basisteam.members.newName')}
          onChange={(e) => setName(e.currentTarget.value)}
        />
        <button type="submit" className="button" disabled={!name.trim()}>
          <UserPlus aria-hidden="true" /> {t('basisteam.members.add')}
        </button>
      </div>
      {added && (
        <p role="status" className="team-hint">
          {t('basisteam.members.added', { name: added })}
        </p>
      )}
    </form>
  )
}
