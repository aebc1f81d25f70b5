import { Plus, Printer } from 'lucide-react'
import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useEditor, useValue } from 'tldraw'
import type { ContactRow, ContentPerson } from '../../../shared/domain/content'
import {
  CONTACT_FREQUENCIES,
  CONTACT_MEANS,
  type ContactFrequency,
  type ContactMeans,
} from '../../../shared/schema/relation'
import { useKeysStayHere } from '../people/useKeysStayHere'
import { addContact, updateContact } from './contacts'
import type { SheetPlace } from './sheetPlace'
import { useAtlasContent } from './useAtlasContent'

/**
 * The contact schedule (Contactschema): a table of who has contact with whom, how, how often and
 * what it brings. Its rows are the atlas's relations; every edit writes to the relation shape,
 * so it syncs like the canvas. Printable on its own (see instruments.css).
 */
export function ContactTable({ place }: { place?: SheetPlace }) {
  const { t } = useTranslation()
  const editor = useEditor()
  const readOnly = useValue('read only', () => editor.getIsReadonly(), [editor])
  const content = useAtlasContent()
  const headingId = useId()
  const rows = content.contacts
  // Keys typed in the table are not shortcuts for the canvas behind it.
  const sheet = useKeysStayHere<HTMLElement>()

  return (
    <section
      ref={sheet}
      className="instrument-sheet contact-sheet"
      style={place}
      aria-labelledby={headingId}
      data-testid="contact-schedule"
    >
      <header className="instrument-sheet-header">
        <div>
          <h2 id={headingId}>
            <span className="print-only">
              {t('content.contacts.printTitle', { name: content.client?.name ?? '' })}
            </span>
            <span className="screen-only">{t('maps.instruments.contactschema')}</span>
          </h2>
          <p className="muted">{t('content.contacts.intro')}</p>
        </div>
        <button type="button" className="button screen-only" onClick={() => window.print()}>
          <Printer aria-hidden="true" size={20} /> {t('content.contacts.print')}
        </button>
      </header>
      {rows.length === 0 ? (
        <p className="contact-empty">{t('content.contacts.empty')}</p>
      ) : (
        <table className="contact-table">
          <thead>
            <tr>
              <th scope="col">{t('content.contacts.who')}</th>
              <th scope="col">{t('content.contacts.withWhom')}</th>
              <th scope="col">{t('content.contacts.means')}</th>
              <th scope="col">{t('content.contacts.frequency')}</th>
              <th scope="col">{t('content.contacts.brings')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <ContactRowView key={row.relationId} row={row} readOnly={readOnly} />
            ))}
          </tbody>
        </table>
      )}
      {!readOnly && <AddContact persons={content.persons} />}
    </section>
  )
}

function ContactRowView({ row, readOnly }: { row: ContactRow; readOnly: boolean }) {
  const { t } = useTranslation()
  const editor = useEditor()
  const names = { who: row.who.name, withWhom: row.withWhom.name }
  const meansText = row.means ? t(`content.contacts.means_${row.means}`) : ''
  const frequencyText = row.frequency ? t(`content.contacts.frequency_${row.frequency}`) : ''
  const edit = (patch: Parameters<typeof updateContact>[2]) => {
    editor.markHistoryStoppingPoint('edit contact')
    updateContact(editor, row.relationId, patch)
  }

  if (readOnly) {
    return (
      <tr data-relation-id={row.relationId}>
        <th scope="row">{row.who.name}</th>
        <td>{row.withWhom.name}</td>
        <td>{meansText || '—'}</td>
        <td>{frequencyText || '—'}</td>
        <td className="contact-brings-text">{row.brings || '—'}</td>
      </tr>
    )
  }

  return (
    <tr data-relation-id={row.relationId}>
      <th scope="row">{row.who.name}</th>
      <td>{row.withWhom.name}</td>
      <td>
        <select
          className="screen-only"
          aria-label={t('content.contacts.meansLabel', names)}
          value={row.means ?? ''}
          onChange={(e) => edit({ contactMeans: (e.target.value || null) as ContactMeans | null })}
        >
          <option value="">{t('content.contacts.notChosen')}</option>
          {CONTACT_MEANS.map((m) => (
            <option key={m} value={m}>
              {t(`content.contacts.means_${m}`)}
            </option>
          ))}
        </select>
        <span className="print-only">{meansText}</span>
      </td>
      <td>
        <select
          className="screen-only"
          aria-label={t('content.contacts.frequencyLabel', names)}
          value={row.frequency ?? ''}
          onChange={(e) =>
            edit({ contactFrequency: (e.target.value || null) as ContactFrequency | null })
          }
        >
          <option value="">{t('content.contacts.notChosen')}</option>
          {CONTACT_FREQUENCIES.map((f) => (
            <option key={f} value={f}>
              {t(`content.contacts.frequency_${f}`)}
            </option>
          ))}
        </select>
        <span className="print-only">{frequencyText}</span>
      </td>
      <td>
        <textarea
          className="screen-only contact-brings"
          aria-label={t('content.contacts.bringsLabel', names)}
          rows={2}
          value={row.brings}
          onChange={(e) => updateContact(editor, row.relationId, { contactBrings: e.target.value })}
          onFocus={() => editor.markHistoryStoppingPoint('edit contact')}
        />
        <span className="print-only contact-brings-text">{row.brings}</span>
      </td>
    </tr>
  )
}

function AddContact({ persons }: { persons: ContentPerson[] }) {
  const { t } = useTranslation()
  const editor = useEditor()
  const [who, setWho] = useState('')
  const [withWhom, setWithWhom] = useState('')
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null)
  const ids = { who: useId(), withWhom: useId(), title: useId(), message: useId() }
  const defaultWho = who || persons.find((p) => p.isClient)?.id || ''

  function onSubmit(e: FormEvent) {
    e.preventDefault()
    if (!defaultWho || !withWhom) {
      setMessage({ text: t('content.contacts.addMissing'), error: true })
      return
    }
    if (defaultWho === withWhom) {
      setMessage({ text: t('content.contacts.addSame'), error: true })
      return
    }
    const id = addContact(editor, defaultWho, withWhom)
    if (!id) return
    const name = (pid: string) => persons.find((p) => p.id === pid)?.name ?? ''
    setMessage({
      text: t('content.contacts.added', { who: name(defaultWho), withWhom: name(withWhom) }),
      error: false,
    })
    setWithWhom('')
  }

  if (persons.length < 2) {
    return <p className="muted screen-only">{t('content.contacts.noPeople')}</p>
  }
  const options = persons.map((p) => (
    <option key={p.id} value={p.id}>
      {p.name || '…'}
    </option>
  ))
  return (
    <form className="contact-add screen-only" onSubmit={onSubmit} aria-labelledby={ids.title}>
      <h3 id={ids.title}>
        <Plus aria-hidden="true" size={22} /> {t('content.contacts.addTitle')}
      </h3>
      <div className="contact-add-fields">
        <div>
          <label htmlFor={ids.who}>{t('content.contacts.addWho')}</label>
          <select id={ids.who} value={defaultWho} onChange={(e) => setWho(e.target.value)}>
            <option value="">{t('content.contacts.choosePerson')}</option>
            {options}
          </select>
        </div>
        <div>
          <label htmlFor={ids.withWhom}>{t('content.contacts.addWithWhom')}</label>
          <select id={ids.withWhom} value={withWhom} onChange={(e) => setWithWhom(e.target.value)}>
            <option value="">{t('content.contacts.choosePerson')}</option>
            {options}
          </select>
        </div>
        <button type="submit" className="button primary">
          <Plus aria-hidden="true" size={20} /> {t('content.contacts.add')}
        </button>
      </div>
      <p
        id={ids.message}
        className={message?.error ? 'error-text' : 'muted'}
        role={message?.error ? 'alert' : 'status'}
      >
        {message?.text ?? ''}
      </p>
    </form>
  )
}
