import {
  Ban,
  Check,
  ChevronDown,
  Copy,
  HandHelping,
  History,
  Link2,
  type LucideIcon,
  Plus,
  RefreshCw,
  RotateCcw,
  ShieldAlert,
  ShieldCheck,
  Smartphone,
  Trash2,
} from 'lucide-react'
import QRCode from 'qrcode'
import {
  type FormEvent,
  Fragment,
  type ReactNode,
  useCallback,
  useEffect,
  useRef,
  useState,
} from 'react'
import { useTranslation } from 'react-i18next'
import type * as Y from 'yjs'
import type { Role } from '../../shared/api/atlases'
import { type LinkInfo, MAX_LINK_LABEL_LENGTH } from '../../shared/api/links'
import { Dialog } from '../components/Dialog'
import { ReadAloud } from '../components/ReadAloud'
import { Steps } from '../easyRead/Steps'
import { useEasyRead } from '../easyRead/state'
import { ApiFailure, createLink, fetchLinks, revokeLink } from '../lib/api'
import { AccessLogView } from './AccessLogView'
import type { AtlasAccess } from './access'
import { type Ago, agoOf } from './ago'
import { useAccessControl } from './control'
import { EraseAtlas } from './EraseAtlas'
import { ROLE_ICONS, ROLES_IN_ORDER } from './roles'
import './access.css'

/** A new link whose secret is on the screen now, and never again. */
interface ShownLink {
  url: string
  label: string
  role: Role
  /** After a handover: what happened, above the link for the client. */
  handedOver?: boolean
}

/** The reason to show for a failed call, in the reader's language (the server speaks English). */
function useReason(): (err: unknown) => string {
  const { t } = useTranslation()
  return (err) => {
    if (!(err instanceof ApiFailure) || err.status === 0) return t('status.offline')
    if (err.status === 404) return t('error.badLinkTitle')
    return t('access.links.serverProblem')
  }
}

function useAgo(): (ago: Ago) => string {
  const { t } = useTranslation()
  return (ago) =>
    'count' in ago ? t(`access.ago.${ago.unit}`, { count: ago.count }) : t(`access.ago.${ago.unit}`)
}

/**
 * "Wie heeft een link?": every link of the atlas with its role, label, when it was made and last
 * used, and which one is this device's; make a link for a role with a label (its secret shown
 * once, with a QR code drawn on this device); stop any link; a new link to draw with that stops
 * the old ones; the facilitator's handover of the atlas to the client; and the client's rights:
 * "Wie heeft mijn atlas geopend?" and "Atlas verwijderen". For edit links only.
 */
export function LinksDialog({
  access,
  userName,
  doc = null,
  onClose,
}: {
  access: AtlasAccess
  userName: string
  /** The atlas document, for the atlas file offered before deleting. */
  doc?: Y.Doc | null
  onClose: () => void
}) {
  const { t } = useTranslation()
  const [shown, setShown] = useState<ShownLink | null>(null)
  const [pane, setPane] = useState<'links' | 'log' | 'erase'>('links')
  // Bumped when a link stops, so the list is fetched again (after a new link it is fetched
  // anyway: the list comes back when the new link is put away).
  const [version, setVersion] = useState(0)
  const changed = useCallback(() => setVersion((v) => v + 1), [])
  const easy = useEasyRead()
  const newLink = useNewLink(access, setShown)

  let body: ReactNode = null
  if (shown) {
    body = (
      <OneTimeLink
        link={shown}
        onDone={() => {
          setShown(null)
          // After a handover this device may no longer manage the links.
          if (access.role !== 'edit') onClose()
        }}
      />
    )
  } else if (access.role === 'edit' && pane === 'log') {
    body = <AccessLogView access={access} onBack={() => setPane('links')} />
  } else if (access.role === 'edit' && pane === 'erase') {
    body = <EraseAtlas access={access} doc={doc} onBack={() => setPane('links')} />
  } else if (access.role === 'edit') {
    const intro = `${t('access.links.intro')} ${t('share.careful')}`
    // In easy-read one part per screen: first what a link is, then the two questions of a new
    // link, then the rest (see `Steps`).
    body = (
      <Steps
        steps={[
          <Fragment key="intro">
            <p>{t('access.links.intro')}</p>
            <p className="note">
              <ShieldAlert aria-hidden="true" /> {t('share.careful')}
            </p>
            {easy && <ReadAloud text={intro} />}
          </Fragment>,
          ...newLinkParts(newLink, easy),
          <LinkList key="list" access={access} version={version} onChanged={changed} />,
          <RotateEditLink key="rotate" access={access} onMade={setShown} />,
          <Handover key="handover" access={access} userName={userName} onDone={setShown} />,
          <section key="rights" className="links-section" aria-labelledby="links-rights">
            <h3 id="links-rights">
              <ShieldCheck aria-hidden="true" /> {t('rights.heading')}
            </h3>
            <div className="actions">
              <button type="button" className="button" onClick={() => setPane('log')}>
                <History aria-hidden="true" /> {t('rights.accessLog.open')}
              </button>
              <button type="button" className="button" onClick={() => setPane('erase')}>
                <Trash2 aria-hidden="true" /> {t('rights.erase.open')}
              </button>
            </div>
          </section>,
        ]}
      />
    )
  }
  const title =
    pane === 'log' && !shown
      ? t('rights.accessLog.title')
      : pane === 'erase' && !shown
        ? t('rights.erase.title')
        : t('access.links.title')
  return (
    <Dialog title={title} onClose={onClose}>
      <div className="links-dialog">{body}</div>
    </Dialog>
  )
}

/** The links of the atlas, never their secrets, each with a way to stop it. */
function LinkList({
  access,
  version,
  onChanged,
}: {
  access: AtlasAccess
  version: number
  onChanged: () => void
}) {
  const { t } = useTranslation()
  const reason = useReason()
  const [links, setLinks] = useState<LinkInfo[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [asking, setAsking] = useState<string | null>(null)
  const [message, setMessage] = useState<{ text: string; error?: boolean } | null>(null)
  const [busy, setBusy] = useState(false)
  const [attempt, setAttempt] = useState(0)
  const said = useRef<HTMLParagraphElement>(null)
  // The stopped link's row (and the button that had the focus) is gone: the focus goes to the
  // words that say so, not to the page behind the dialog.
  useEffect(() => {
    if (message && !message.error) said.current?.focus()
  }, [message])

  // biome-ignore lint/correctness/useExhaustiveDependencies: version and attempt ask for a new fetch
  useEffect(() => {
    let live = true
    setError(null)
    fetchLinks(access.id, access.token).then(
      (list) => live && setLinks(list),
      (err) => live && setError(t('access.links.loadFailed', { reason: reason(err) })),
    )
    return () => {
      live = false
    }
  }, [access.id, access.token, version, attempt])

  async function stop(link: LinkInfo, label: string) {
    setBusy(true)
    setMessage(null)
    try {
      await revokeLink(access.id, access.token, link.linkId)
      setMessage({ text: t('access.links.stopped', { label }) })
      setAsking(null)
      onChanged()
    } catch (err) {
      const text =
        err instanceof ApiFailure && err.status === 409
          ? t('access.links.lastEditLink')
          : t('access.links.stopFailed', { reason: reason(err) })
      setMessage({ text, error: true })
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="links-section" aria-labelledby="links-list">
      <h3 id="links-list">
        <Link2 aria-hidden="true" /> {t('access.links.list')}
      </h3>
      {error && (
        <div className="stack">
          <p className="error-text" role="alert">
            {error}
          </p>
          <button type="button" className="button" onClick={() => setAttempt((a) => a + 1)}>
            <RefreshCw aria-hidden="true" /> {t('access.links.retry')}
          </button>
        </div>
      )}
      {!links && !error && <p role="status">{t('access.links.loading')}</p>}
      {links && (
        <ul className="link-list">
          {links.map((link) => (
            <LinkRow
              key={link.linkId}
              link={link}
              asking={asking === link.linkId}
              busy={busy}
              onAsk={() => {
                setMessage(null)
                setAsking(link.linkId)
              }}
              onKeep={() => setAsking(null)}
              onStop={(label) => void stop(link, label)}
            />
          ))}
        </ul>
      )}
      {message && (
        <p
          ref={said}
          tabIndex={-1}
          className={message.error ? 'error-text' : 'with-icon'}
          role={message.error ? 'alert' : 'status'}
        >
          {!message.error && <Check aria-hidden="true" className="ok-icon" />} {message.text}
        </p>
      )}
    </section>
  )
}

function LinkRow({
  link,
  asking,
  busy,
  onAsk,
  onKeep,
  onStop,
}: {
  link: LinkInfo
  asking: boolean
  busy: boolean
  onAsk: () => void
  onKeep: () => void
  onStop: (label: string) => void
}) {
  const { t } = useTranslation()
  const ago = useAgo()
  const Icon = ROLE_ICONS[link.role]
  // The first two links of an atlas were made with it, before anyone could name them.
  const label = link.label || t('access.links.firstLink')
  const role = t(`access.roles.${link.role}`)
  const stopButton = useFocusBack(asking)
  return (
    <li
      className="link-row"
      data-testid="link"
      data-role={link.role}
      data-current={link.current || undefined}
    >
      <div className="link-what">
        <strong className="link-label">{label}</strong>
        <span className="link-role" data-role={link.role}>
          <Icon aria-hidden="true" size={20} /> {role}
        </span>
        {link.current && (
          <span className="link-device">
            <Smartphone aria-hidden="true" size={18} /> {t('access.links.thisDevice')}
          </span>
        )}
        <span className="link-times">
          {t('access.links.made', { when: ago(agoOf(link.createdAt)) })}
          {' · '}
          {t('access.links.used', { when: ago(agoOf(link.lastUsedAt)) })}
        </span>
      </div>
      {asking ? (
        <Question
          legend={t('access.links.stopQuestion', { label })}
          text={
            <>
              {t('access.links.stopText')}
              {link.current && <> {t('access.links.stopOwn')}</>}
            </>
          }
          yes={t('access.links.stopYes')}
          yesIcon={Ban}
          busy={busy}
          onKeep={onKeep}
          onYes={() => onStop(label)}
        />
      ) : (
        <button
          type="button"
          className="button"
          ref={stopButton}
          onClick={onAsk}
          aria-label={t('access.links.stopLabel', { label: `${label} (${role})` })}
        >
          <Ban aria-hidden="true" /> {t('access.links.stop')}
        </button>
      )}
    </li>
  )
}

/** What "Nieuwe link maken" asks (the role, for whom) and the call that makes the link. */
function useNewLink(access: AtlasAccess, onMade: (link: ShownLink) => void) {
  const { t } = useTranslation()
  const reason = useReason()
  const [role, setRole] = useState<Role>('edit')
  const [label, setLabel] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  async function submit(e: FormEvent) {
    e.preventDefault()
    const trimmed = label.trim()
    if (!trimmed) {
      setError(t('access.links.labelRequired'))
      return
    }
    setBusy(true)
    setError(null)
    try {
      const made = await createLink(access.id, access.token, { role, label: trimmed })
      setLabel('')
      onMade({ url: window.location.origin + made.url, label: made.label, role: made.role })
    } catch (err) {
      setError(t('access.links.makeFailed', { reason: reason(err) }))
    } finally {
      setBusy(false)
    }
  }
  return { role, setRole, label, setLabel, error, busy, submit }
}
type NewLink = ReturnType<typeof useNewLink>

/**
 * "Nieuwe link maken": one section with both questions, or in easy-read two parts, the role and
 * then for whom (each a screen of its own).
 */
function newLinkParts(newLink: NewLink, easy: boolean): ReactNode[] {
  if (!easy) {
    return [
      <section key="new" className="links-section" aria-labelledby="links-new">
        <NewLinkHeading />
        <form onSubmit={newLink.submit} noValidate>
          <RoleQuestion newLink={newLink} />
          <LabelQuestion newLink={newLink} />
        </form>
      </section>,
    ]
  }
  return [
    <section key="new-role" className="links-section" aria-labelledby="links-new">
      <NewLinkHeading />
      <RoleQuestion newLink={newLink} />
    </section>,
    <section key="new-label" className="links-section" aria-labelledby="links-new-label">
      <form onSubmit={newLink.submit} noValidate>
        <LabelQuestion newLink={newLink} headingId="links-new-label" />
      </form>
    </section>,
  ]
}

function NewLinkHeading() {
  const { t } = useTranslation()
  return (
    <h3 id="links-new">
      <Plus aria-hidden="true" /> {t('access.links.make')}
    </h3>
  )
}

/** "Wat mag deze persoon?": the roles, each with its pictogram and what it may do. */
function RoleQuestion({ newLink }: { newLink: NewLink }) {
  const { t } = useTranslation()
  const { role, setRole } = newLink
  return (
    <fieldset className="role-choice">
      <legend>{t('access.links.whatMay')}</legend>
      {ROLES_IN_ORDER.map((r) => {
        const Icon = ROLE_ICONS[r]
        return (
          <label key={r} className="role-option" data-role={r}>
            <input
              type="radio"
              name="link-role"
              value={r}
              checked={role === r}
              onChange={() => setRole(r)}
            />
            <Icon aria-hidden="true" size={22} />
            <span>
              <span className="role-word">{t(`access.roles.${r}`)}</span>
              <span className="role-hint">{t(`access.roleHints.${r}`)}</span>
            </span>
          </label>
        )
      })}
    </fieldset>
  )
}

/**
 * "Voor wie is de link?" and the button that makes it; in easy-read the label is the heading of
 * its own screen (`headingId`).
 */
function LabelQuestion({ newLink, headingId }: { newLink: NewLink; headingId?: string }) {
  const { t } = useTranslation()
  const { label, setLabel, error, busy } = newLink
  return (
    <>
      {headingId ? (
        <h3 id={headingId}>
          <label htmlFor="link-label">{t('access.links.forWho')}</label>
        </h3>
      ) : (
        <label htmlFor="link-label">{t('access.links.forWho')}</label>
      )}
      <input
        id="link-label"
        value={label}
        maxLength={MAX_LINK_LABEL_LENGTH}
        autoComplete="off"
        placeholder={t('access.links.forWhoHint')}
        onChange={(e) => setLabel(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'link-label-error' : undefined}
      />
      {error && (
        <p id="link-label-error" className="error-text" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button primary" disabled={busy}>
        <Plus aria-hidden="true" /> {busy ? t('access.links.making') : t('access.links.makeButton')}
      </button>
    </>
  )
}

/**
 * "Nieuwe link om te tekenen, de oude stoppen": one call makes the new edit link and stops every
 * other, this device's too; the page goes on with the new secret (its old socket's 4401 is
 * expected, see `whileChangingLinks`).
 */
function RotateEditLink({
  access,
  onMade,
}: {
  access: AtlasAccess
  onMade: (link: ShownLink) => void
}) {
  const { t } = useTranslation()
  const control = useAccessControl()
  const [label, setLabel] = useState<string>(() => t('access.links.rotateLabel'))

  async function rotate() {
    const made = await control.whileChangingLinks(
      createLink(access.id, access.token, {
        role: 'edit',
        label: label.trim(),
        revokeOthers: true,
      }),
    )
    // The server stopped the view secret the old edit links carried along with them.
    control.switchTo({ role: 'edit', token: made.token }, { forget: ['view'] })
    onMade({ url: window.location.origin + made.url, label: made.label, role: 'edit' })
  }

  return (
    <AskFirstSection
      icon={RotateCcw}
      words="rotate"
      fields={[
        { id: 'rotate-label', label: t('access.links.rotateForWho'), value: label, set: setLabel },
      ]}
      step={rotate}
    />
  )
}

/**
 * The facilitator who made the atlas hands it over: a procesbegeleider link for himself, then a
 * new edit link for the client that stops every other (his own too). His device goes on with
 * the procesbegeleider link only, and shows the client's link once, as a QR code to scan.
 */
function Handover({
  access,
  userName,
  onDone,
}: {
  access: AtlasAccess
  userName: string
  onDone: (link: ShownLink) => void
}) {
  const { t } = useTranslation()
  const control = useAccessControl()
  const [own, setOwn] = useState<string>(userName || t('access.roles.procesbegeleider'))
  const [client, setClient] = useState<string>(() => t('access.links.rotateLabel'))

  async function handOver() {
    const mine = await createLink(access.id, access.token, {
      role: 'procesbegeleider',
      label: own.trim(),
    })
    const theirs = await control.whileChangingLinks(
      createLink(access.id, access.token, {
        role: 'edit',
        label: client.trim(),
        revokeOthers: true,
      }),
    )
    control.switchTo(
      { role: 'procesbegeleider', token: mine.token },
      { forget: ['edit', 'view', 'professional'] },
    )
    onDone({
      url: window.location.origin + theirs.url,
      label: theirs.label,
      role: 'edit',
      handedOver: true,
    })
  }

  return (
    <AskFirstSection
      icon={HandHelping}
      words="handover"
      questionText={t('access.links.handoverQuestionText')}
      fields={[
        { id: 'handover-own', label: t('access.links.handoverYourName'), value: own, set: setOwn },
        {
          id: 'handover-client',
          label: t('access.links.handoverClientName'),
          value: client,
          set: setClient,
        },
      ]}
      step={handOver}
    />
  )
}

/** A link's label that a step asks for. */
interface LabelInput {
  id: string
  label: string
  value: string
  set: (value: string) => void
}

/**
 * A folded part of the dialog for a step that stops links: the labels it needs, a button, and a
 * question before the step is taken (the button gets the focus back when the answer is "no").
 * Its words are `access.links.<words>Title`, `…Text`, `…Button`, `…Question` and `…Yes`.
 * Once done the step stays busy (the section gives way to the new link); on failure it says
 * why and may be tried again.
 */
function AskFirstSection({
  icon: Icon,
  words,
  questionText,
  fields,
  step,
}: {
  icon: LucideIcon
  words: 'rotate' | 'handover'
  questionText?: string
  fields: LabelInput[]
  step: () => Promise<void>
}) {
  const { t } = useTranslation()
  const reason = useReason()
  const [asking, setAsking] = useState(false)
  const ask = useFocusBack(asking)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [blank, setBlank] = useState<string | null>(null)
  const errorId = `${words}-error`
  // The blank field gets the focus after the render, after `useFocusBack` gave it to the button.
  const focusBlank = useRef<string | null>(null)
  useEffect(() => {
    if (focusBlank.current) document.getElementById(focusBlank.current)?.focus()
    focusBlank.current = null
  })

  /** The first blank field, named in the message and given the focus; `true` when all are filled. */
  function filled(): boolean {
    const empty = fields.find((field) => !field.value.trim())
    setBlank(empty?.id ?? null)
    if (!empty) return true
    setAsking(false)
    setError(t('access.links.fieldRequired', { field: empty.label }))
    focusBlank.current = empty.id
    document.getElementById(empty.id)?.focus()
    return false
  }

  function askFirst() {
    if (!filled()) return
    setError(null)
    setAsking(true)
  }

  async function run() {
    if (!filled()) return
    setBusy(true)
    setError(null)
    try {
      await step()
    } catch (err) {
      setError(t('access.links.failed', { reason: reason(err) }))
      setBusy(false)
    }
  }

  return (
    <details className="links-section links-more">
      <summary>
        <Icon aria-hidden="true" /> {t(`access.links.${words}Title`)}
        <ChevronDown aria-hidden="true" className="links-more-chevron" />
      </summary>
      <div className="links-more-body">
        <p>{t(`access.links.${words}Text`)}</p>
        {fields.map((field) => (
          <Fragment key={field.id}>
            <label htmlFor={field.id}>{field.label}</label>
            <input
              id={field.id}
              value={field.value}
              maxLength={MAX_LINK_LABEL_LENGTH}
              autoComplete="off"
              onChange={(e) => {
                field.set(e.target.value)
                // Once the blank field is filled in, its message goes.
                if (blank === field.id && e.target.value.trim()) {
                  setBlank(null)
                  setError(null)
                }
              }}
              aria-invalid={blank === field.id ? true : undefined}
              aria-describedby={blank === field.id ? errorId : undefined}
            />
          </Fragment>
        ))}
        {asking ? (
          <Question
            legend={t(`access.links.${words}Question`)}
            text={questionText}
            yes={t(`access.links.${words}Yes`)}
            yesIcon={Icon}
            busy={busy}
            onKeep={() => setAsking(false)}
            onYes={() => void run()}
          />
        ) : (
          <button type="button" className="button" ref={ask} onClick={askFirst}>
            <Icon aria-hidden="true" /> {t(`access.links.${words}Button`)}
          </button>
        )}
        {error && (
          <p id={errorId} className="error-text" role="alert">
            {error}
          </p>
        )}
      </div>
    </details>
  )
}

/** The button that opened a question gets the focus back when the question is answered "no". */
function useFocusBack(asking: boolean) {
  const button = useRef<HTMLButtonElement>(null)
  const wasAsking = useRef(asking)
  useEffect(() => {
    if (wasAsking.current && !asking) button.current?.focus()
    wasAsking.current = asking
  }, [asking])
  return button
}

/** A question before something that cannot be undone; the safe answer has the focus. */
function Question({
  legend,
  text,
  yes,
  yesIcon: YesIcon,
  busy,
  onKeep,
  onYes,
}: {
  legend: string
  text?: ReactNode
  yes: string
  yesIcon: LucideIcon
  busy: boolean
  onKeep: () => void
  onYes: () => void
}) {
  const { t } = useTranslation()
  const keep = useRef<HTMLButtonElement>(null)
  // Enter or a second tap does not stop a link by accident.
  useEffect(() => keep.current?.focus(), [])
  return (
    <fieldset className="link-question">
      <legend>{legend}</legend>
      {text && <p>{text}</p>}
      <div className="actions">
        <button type="button" className="button" ref={keep} onClick={onKeep} disabled={busy}>
          {t('access.links.keep')}
        </button>
        <button type="button" className="button danger" onClick={onYes} disabled={busy}>
          <YesIcon aria-hidden="true" /> {yes}
        </button>
      </div>
    </fieldset>
  )
}

/** A new link, shown once: the words, a copy button and a QR code drawn on this device. */
function OneTimeLink({ link, onDone }: { link: ShownLink; onDone: () => void }) {
  const { t } = useTranslation()
  const [qr, setQr] = useState<string | null>(null)
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null)
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    // Drawn on this device: the link never goes to a QR service.
    void QRCode.toDataURL(link.url, { margin: 1, width: 240, errorCorrectionLevel: 'M' }).then(
      setQr,
    )
  }, [link.url])
  useEffect(() => heading.current?.focus(), [])
  const title = t('access.links.newLink', { label: link.label })
  const Icon = ROLE_ICONS[link.role]
  async function copy() {
    try {
      await navigator.clipboard.writeText(link.url)
      setCopied('yes')
    } catch {
      setCopied('failed')
    }
  }
  return (
    <section className="one-time-link stack" data-testid="new-link" data-role={link.role}>
      {link.handedOver && (
        <p className="with-icon" role="status">
          <Check aria-hidden="true" className="ok-icon" /> {t('access.links.handedOver')}
        </p>
      )}
      <h3 ref={heading} tabIndex={-1}>
        <Icon aria-hidden="true" /> {title}
      </h3>
      <p className="note once">
        <ShieldAlert aria-hidden="true" /> {t('access.links.shownOnce')}
      </p>
      <input
        readOnly
        value={link.url}
        aria-label={title}
        onFocus={(e) => e.currentTarget.select()}
      />
      <button type="button" className="button" onClick={copy}>
        <Copy aria-hidden="true" /> {copied === 'yes' ? t('share.copied') : t('share.copy')}
      </button>
      {copied === 'failed' && (
        <p className="error-text" role="alert">
          {t('share.copyFailed')}
        </p>
      )}
      {qr && (
        <figure>
          <img
            src={qr}
            width={240}
            height={240}
            alt={t('access.links.qrLabel', { label: link.label })}
          />
          <figcaption>{t('share.qr')}</figcaption>
        </figure>
      )}
      <button type="button" className="button primary" onClick={onDone}>
        <Check aria-hidden="true" /> {t('access.links.done')}
      </button>
    </section>
  )
}
