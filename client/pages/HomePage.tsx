import type { TFunction } from 'i18next'
import {
  ArrowRight,
  BookOpen,
  CalendarDays,
  CalendarX,
  CircleCheck,
  CloudOff,
  FileUp,
  FolderOpen,
  ImageUp,
  Plus,
  RefreshCw,
  TriangleAlert,
} from 'lucide-react'
import { type ChangeEvent, type FormEvent, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useLocation } from 'wouter'
import { atlasPath, MAX_TITLE_LENGTH } from '../../shared/api/atlases'
import {
  type EmbeddedResult,
  MAX_OPEN_FILE_BYTES,
  readEmbeddedAtlas,
} from '../../shared/export/embed'
import { ROLE_ICONS } from '../access/roles'
import { useMeetingWords } from '../basisteam/useBasisteam'
import { LanguageSwitch } from '../components/LanguageSwitch'
import { ApiFailure, createAtlas, importAtlasFile } from '../lib/api'
import {
  listRecentAtlases,
  type RecentAtlas,
  rememberCreated,
  strongestSecret,
} from '../lib/recentAtlases'
import { createSampleAtlas } from '../lib/sampleAtlas'
import { useOnline } from '../pwa/useOnline'
import './HomePage.css'
import { EasyReadSwitch } from '../easyRead/EasyReadSwitch'

/** What the home page opens: atlas files, and PNG or SVG images that carry an atlas. */
const OPENABLE_FILES = '.netwerkatlas,.json,application/json,.png,image/png,.svg,image/svg+xml'

/** Whether a drag carries files (not text or a link from the page). */
function draggingFiles(e: DragEvent): boolean {
  return e.dataTransfer?.types.includes('Files') ?? false
}

/** Refusals of a new atlas that the page says in the reader's language. */
const REFUSALS = {
  429: 'newAtlasRefused.tooMany',
  503: 'newAtlasRefused.busy',
  507: 'newAtlasRefused.diskFull',
} as const

/**
 * Why making an atlas failed: our own words for the server's limits, else the server's message,
 * or `offline` when the server was not reached.
 */
function failureReason(err: unknown, offline: string, t: TFunction): string {
  if (!(err instanceof ApiFailure) || err.status === 0) return offline
  const refusal = REFUSALS[err.status as keyof typeof REFUSALS]
  return refusal ? t(refusal) : err.message
}

/** Start screen: make an atlas for a client, or open one this device has seen. */
export function HomePage() {
  const { t, i18n } = useTranslation()
  const [, navigate] = useLocation()
  const [name, setName] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const recent = listRecentAtlases()
  const [sampleBusy, setSampleBusy] = useState(false)
  const [sampleError, setSampleError] = useState<string | null>(null)
  const online = useOnline()

  async function openSample() {
    // The server makes an atlas's links: without it, say so at once instead of waiting.
    if (!navigator.onLine) {
      setSampleError(t('offline.noNewAtlas'))
      return
    }
    setSampleBusy(true)
    setSampleError(null)
    try {
      const title = t('content.sample.title')
      const created = await createSampleAtlas(title)
      rememberCreated(created, title)
      navigate(atlasPath(created.id))
    } catch (err) {
      setSampleError(
        t('content.sample.failed', { reason: failureReason(err, t('status.offline'), t) }),
      )
      setSampleBusy(false)
    }
  }

  const [fileBusy, setFileBusy] = useState(false)
  const [fileError, setFileError] = useState<string | null>(null)
  const [imported, setImported] = useState<{ id: string; title: string; skipped: number } | null>(
    null,
  )
  const [dragging, setDragging] = useState(false)
  const importedLink = useRef<HTMLAnchorElement>(null)
  const fileErrorText = useRef<HTMLParagraphElement>(null)

  /** Reads an atlas file or an image made by Netwerkatlas, and makes a new atlas of it. */
  async function openFile(file: File) {
    if (fileBusy) return
    if (!navigator.onLine) {
      setImported(null)
      setFileError(t('offline.noNewAtlas'))
      return
    }
    setFileBusy(true)
    setFileError(null)
    setImported(null)
    try {
      let found: EmbeddedResult
      try {
        found =
          file.size > MAX_OPEN_FILE_BYTES
            ? { kind: 'too-large' }
            : await readEmbeddedAtlas(new Uint8Array(await file.arrayBuffer()))
      } catch {
        found = { kind: 'damaged' }
      }
      if (found.kind !== 'atlas') {
        const message = {
          'no-data': 'atlasFile.noAtlasInImage',
          damaged: 'atlasFile.damaged',
          'too-large': 'atlasFile.tooLarge',
        } as const
        setFileError(t(message[found.kind]))
        return
      }
      const created = await importAtlasFile(found.json)
      rememberCreated(created, created.title)
      setImported({
        id: created.id,
        title: created.title,
        skipped: created.skipped.length + created.skippedMore,
      })
    } catch (err) {
      if (err instanceof ApiFailure && err.status === 400) setFileError(t('atlasFile.damaged'))
      else if (err instanceof ApiFailure && err.status === 413)
        setFileError(t('atlasFile.tooLarge'))
      else {
        setFileError(t('atlasFile.failed', { reason: failureReason(err, t('status.offline'), t) }))
      }
    } finally {
      setFileBusy(false)
    }
  }

  function onFileChosen(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0]
    e.target.value = ''
    if (file) void openFile(file)
  }

  // A file dropped anywhere on the page opens like a chosen one (and never replaces the page).
  const openDropped = useRef(openFile)
  useEffect(() => {
    openDropped.current = openFile
  })
  useEffect(() => {
    let depth = 0
    const onEnter = (e: DragEvent) => {
      if (!draggingFiles(e)) return
      e.preventDefault()
      depth++
      setDragging(true)
    }
    const onOver = (e: DragEvent) => {
      if (!draggingFiles(e)) return
      e.preventDefault()
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy'
    }
    const onLeave = (e: DragEvent) => {
      if (!draggingFiles(e)) return
      depth = Math.max(0, depth - 1)
      if (depth === 0) setDragging(false)
    }
    const onDrop = (e: DragEvent) => {
      if (!draggingFiles(e)) return
      e.preventDefault()
      depth = 0
      setDragging(false)
      const file = e.dataTransfer?.files[0]
      if (file) void openDropped.current(file)
    }
    window.addEventListener('dragenter', onEnter)
    window.addEventListener('dragover', onOver)
    window.addEventListener('dragleave', onLeave)
    window.addEventListener('drop', onDrop)
    return () => {
      window.removeEventListener('dragenter', onEnter)
      window.removeEventListener('dragover', onOver)
      window.removeEventListener('dragleave', onLeave)
      window.removeEventListener('drop', onDrop)
    }
  }, [])

  useEffect(() => {
    if (imported) importedLink.current?.focus()
  }, [imported])

  // Below the drop zone the message can be under the bottom of the screen: bring it into view.
  useEffect(() => {
    if (fileError) fileErrorText.current?.scrollIntoView({ block: 'nearest' })
  }, [fileError])

  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    const clientName = name.trim()
    if (!clientName) {
      setError(t('home.nameRequired'))
      return
    }
    if (!navigator.onLine) {
      setError(t('offline.noNewAtlas'))
      return
    }
    setBusy(true)
    setError(null)
    try {
      const title = t('home.titlePrefix', { name: clientName }).slice(0, MAX_TITLE_LENGTH)
      const created = await createAtlas({ title })
      rememberCreated(created, title)
      navigate(atlasPath(created.id))
    } catch (err) {
      setError(t('home.createFailed', { reason: failureReason(err, t('status.offline'), t) }))
      setBusy(false)
    }
  }

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t('app.name')}</h1>
          <p className="tagline">{t('app.tagline')}</p>
        </div>
        <div className="header-switches">
          <EasyReadSwitch />
          <LanguageSwitch />
        </div>
      </header>
      <main className="home">
        {!online && (
          <p className="home-offline with-icon" role="status" data-testid="home-offline">
            <CloudOff aria-hidden="true" /> {t('offline.homeOffline')}
          </p>
        )}
        <section className="card" aria-labelledby="new-atlas">
          <h2 id="new-atlas">
            <Plus aria-hidden="true" /> {t('home.newAtlas')}
          </h2>
          <form onSubmit={onSubmit} noValidate>
            <label htmlFor="client-name">{t('home.clientName')}</label>
            <input
              id="client-name"
              name="client-name"
              value={name}
              maxLength={80}
              autoComplete="off"
              placeholder={t('home.clientNameHint')}
              onChange={(e) => setName(e.target.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'create-error' : undefined}
            />
            <button type="submit" className="button primary" disabled={busy}>
              <Plus aria-hidden="true" /> {busy ? t('home.creating') : t('home.create')}
            </button>
            {error && (
              <p id="create-error" className="error-text" role="alert">
                {error}
              </p>
            )}
          </form>
        </section>
        <section className="card stack" aria-labelledby="sample-atlas">
          <h2 id="sample-atlas">
            <BookOpen aria-hidden="true" /> {t('content.sample.button')}
          </h2>
          <p className="muted">{t('content.sample.intro')}</p>
          <button
            type="button"
            className="button"
            disabled={sampleBusy}
            onClick={openSample}
            aria-describedby={sampleError ? 'sample-error' : undefined}
          >
            <BookOpen aria-hidden="true" />{' '}
            {sampleBusy ? t('content.sample.busy') : t('content.sample.title')}
          </button>
          {sampleError && (
            <p id="sample-error" className="error-text" role="alert">
              {sampleError}
            </p>
          )}
        </section>
        <section className="card stack" aria-labelledby="atlas-file">
          <h2 id="atlas-file">
            <FileUp aria-hidden="true" /> {t('atlasFile.open')}
          </h2>
          <p className="muted">{t('atlasFile.openIntro')}</p>
          <div className="drop-zone" data-dragging={dragging || undefined} data-testid="drop-zone">
            <label className="button" aria-disabled={fileBusy || undefined}>
              <FileUp aria-hidden="true" /> {fileBusy ? t('atlasFile.busy') : t('atlasFile.choose')}
              <input
                type="file"
                className="visually-hidden"
                accept={OPENABLE_FILES}
                disabled={fileBusy}
                onChange={onFileChosen}
                data-testid="open-atlas-file"
              />
            </label>
            <p className="drop-hint">
              <ImageUp aria-hidden="true" /> {t('atlasFile.dropHere')}
            </p>
          </div>
          {fileError && (
            <p className="error-text with-icon" role="alert" ref={fileErrorText}>
              <TriangleAlert aria-hidden="true" /> {fileError}
            </p>
          )}
          {imported && (
            <div role="status" className="stack">
              <p className="with-icon">
                <CircleCheck aria-hidden="true" className="ok-icon" />{' '}
                {imported.skipped === 0
                  ? t('atlasFile.imported', { title: imported.title })
                  : t('atlasFile.skipped', { count: imported.skipped })}
              </p>
              <a className="button primary" href={atlasPath(imported.id)} ref={importedLink}>
                <ArrowRight aria-hidden="true" /> {t('atlasFile.openAtlas')}
              </a>
            </div>
          )}
        </section>
        <section className="card" aria-labelledby="recent-atlases">
          <h2 id="recent-atlases">
            <FolderOpen aria-hidden="true" /> {t('home.recent')}
          </h2>
          {recent.length === 0 ? (
            <p className="muted">{t('home.recentEmpty')}</p>
          ) : (
            <ul className="atlas-list">
              {recent.map((atlas) => (
                <li key={atlas.id}>
                  <a className="atlas-link" href={atlasPath(atlas.id)}>
                    <span className="atlas-title">{atlas.title}</span>
                    <span className="atlas-meta">
                      <RecentRole atlas={atlas} />
                      {t('home.lastOpened', {
                        date: new Date(atlas.lastOpened).toLocaleDateString(i18n.language),
                      })}
                    </span>
                    <span className="atlas-meta" data-testid="recent-synced">
                      <RefreshCw aria-hidden="true" size={18} />{' '}
                      {atlas.lastSynced
                        ? t('offline.lastSynced', {
                            date: new Date(atlas.lastSynced).toLocaleString(i18n.language, {
                              dateStyle: 'medium',
                              timeStyle: 'short',
                            }),
                          })
                        : t('offline.neverSynced')}
                    </span>
                    <RecentBasisteam atlas={atlas} />
                  </a>
                </li>
              ))}
            </ul>
          )}
        </section>
      </main>
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          <p>
            <FileUp /> {t('atlasFile.dropRelease')}
          </p>
        </div>
      )}
    </div>
  )
}

/** The basisteam's next date of an atlas in the list, or a gentle word that it has none. */
function RecentBasisteam({ atlas }: { atlas: RecentAtlas }) {
  const { t } = useTranslation()
  const { short } = useMeetingWords()
  if (!atlas.basisteam) return null
  const { next } = atlas.basisteam
  return next ? (
    <span className="atlas-meta atlas-basisteam" data-testid="recent-basisteam">
      <CalendarDays aria-hidden="true" /> {t('basisteam.next', { date: short(next) })}
    </span>
  ) : (
    <span className="atlas-meta atlas-basisteam warning" data-testid="recent-basisteam">
      <CalendarX aria-hidden="true" /> {t('basisteam.noNext')}
    </span>
  )
}

/**
 * The role an atlas in the list opens with: the strongest this device holds a secret for
 * (nothing when every secret it had has stopped working).
 */
function RecentRole({ atlas }: { atlas: RecentAtlas }) {
  const { t } = useTranslation()
  const role = strongestSecret(atlas)?.role
  if (!role) return null
  const Icon = ROLE_ICONS[role]
  return (
    <>
      <Icon aria-hidden="true" size={18} /> {t(`access.roles.${role}`)}
      {' · '}
    </>
  )
}
