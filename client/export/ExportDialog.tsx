import {
  ArrowDown,
  ArrowUp,
  CalendarDays,
  Download,
  FileArchive,
  FileImage,
  FileText,
  Image as ImageIcon,
  LayoutGrid,
  type LucideIcon,
  Network,
  Send,
  Table2,
  Users,
  X,
} from 'lucide-react'
import { Fragment, useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useEditor } from 'tldraw'
import type * as Y from 'yjs'
import type { ExportKind } from '../../shared/api/accessLog'
import type { Role } from '../../shared/api/atlases'
import { INSTRUMENTS, type Instrument, instrumentOfPage } from '../../shared/schema/pages'
import { setViewersMayExport } from '../../shared/sync/settings'
import { Dialog } from '../components/Dialog'
import { Steps } from '../easyRead/Steps'
import type { DocAccess } from '../sync/useSyncedDoc'
import {
  AtlasTooLargeForImage,
  download,
  type ExportResult,
  type ExportSource,
  exportAtlasFile,
  exportAtlasPdf,
  exportInstrumentImage,
  instrumentName,
  sheetPreviews,
} from './exporter'
import { type Dpi, PAPER, type Paper } from './paper'
import { useViewersMayExport } from './useViewersMayExport'
import './export.css'

const INSTRUMENT_ICONS: Record<Instrument, LucideIcon> = {
  basisposter: LayoutGrid,
  familiekaart: Users,
  relatiekaart: Network,
  contactschema: Table2,
  gebeurteniskaart: CalendarDays,
}

type Kind = 'image' | 'pdf' | 'file'
type Purpose = 'send' | 'keep'
type Status =
  | { state: 'idle' }
  | { state: 'busy'; done: number; total: number }
  /** Made, waiting for a tap on "Nu versturen" (sharing needs a fresh tap). */
  | { state: 'ready'; result: ExportResult }
  | { state: 'done'; file: string; note?: string }
  | { state: 'failed'; reason: 'tooLarge' | 'other' }

function fileOf(result: ExportResult): File {
  return new File([result.blob], result.fileName, { type: result.blob.type })
}

/** Whether this device can hand the file to another app (WhatsApp, mail) — phones and tablets. */
function canShare(result: ExportResult): boolean {
  return typeof navigator.canShare === 'function' && navigator.canShare({ files: [fileOf(result)] })
}

/** A group of large radio buttons with a pictogram beside each word. */
function Choice<T extends string>({
  legend,
  name,
  value,
  options,
  onChange,
}: {
  legend: string
  name: string
  value: T
  options: { value: T; label: string; hint?: string; icon?: LucideIcon }[]
  onChange: (value: T) => void
}) {
  return (
    <fieldset className="export-choice">
      <legend>{legend}</legend>
      {options.map((o) => {
        const Icon = o.icon
        return (
          <label key={o.value} className="export-option" data-checked={o.value === value}>
            <input
              type="radio"
              name={name}
              value={o.value}
              checked={o.value === value}
              onChange={() => onChange(o.value)}
            />
            {Icon && <Icon aria-hidden="true" size={22} />}
            <span>
              <strong>{o.label}</strong>
              {o.hint && <small>{o.hint}</small>}
            </span>
          </label>
        )
      })}
    </fieldset>
  )
}

/** Previews of the sheets (blob URLs of SVGs), made again when what they show changes. */
function usePreviews(
  source: ExportSource,
  request: {
    instruments: Instrument[]
    withTitlePage: boolean
    paper: Paper
    /** The sheets speak the reader's language: a new language draws them again. */
    language: string
  } | null,
) {
  const [previews, setPreviews] = useState<{ url: string; label: string }[] | 'loading' | 'failed'>(
    'loading',
  )
  const key = request ? JSON.stringify(request) : ''
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `request`
  useEffect(() => {
    if (!request) return
    let cancelled = false
    let urls: string[] = []
    setPreviews('loading')
    // Wait until the choices settle: each preview draws the maps again.
    const timer = setTimeout(() => {
      sheetPreviews(source, request.instruments, request.paper, request.withTitlePage)
        .then((sheets) => {
          if (cancelled) return
          urls = sheets.map((s) =>
            URL.createObjectURL(new Blob([s.svg], { type: 'image/svg+xml' })),
          )
          setPreviews(sheets.map((s, i) => ({ url: urls[i] as string, label: s.label })))
        })
        .catch(() => !cancelled && setPreviews('failed'))
    }, 250)
    return () => {
      cancelled = true
      clearTimeout(timer)
      for (const url of urls) URL.revokeObjectURL(url)
    }
  }, [key, source])
  return previews
}

/**
 * Exporteren: one map as a PNG or SVG, the whole atlas as a PDF, or the atlas file. Plain words,
 * large targets, a preview, and progress for the PDF.
 */
export function ExportDialog({
  access,
  doc,
  title,
  role,
  onExported,
  onClose,
}: {
  /** The page's link: the atlas file carries the plan it may read. */
  access: DocAccess
  doc: Y.Doc
  title: string
  role: Role
  /** Called once a file is made (for the atlas's access log: what kind, never its content). */
  onExported?: (kind: ExportKind) => void
  onClose: () => void
}) {
  const { t, i18n } = useTranslation()
  const editor = useEditor()
  const [source] = useState<ExportSource>(() => ({ editor, doc, title, access }))
  const allowed = useViewersMayExport(doc)
  const [kind, setKind] = useState<Kind>('image')
  const [instrument, setInstrument] = useState<Instrument>(
    () => instrumentOfPage(editor.getCurrentPageId()) ?? 'relatiekaart',
  )
  const [format, setFormat] = useState<'png' | 'svg'>('png')
  const [paper, setPaper] = useState<Paper>('A4')
  // An image is often looked at on a screen; a PDF is for paper.
  const [imageDpi, setImageDpi] = useState<Dpi>(150)
  const [pdfDpi, setPdfDpi] = useState<Dpi>(300)
  const dpi = kind === 'pdf' ? pdfDpi : imageDpi
  const setDpi = kind === 'pdf' ? setPdfDpi : setImageDpi
  const run = useRef<{ id: number; abort: AbortController } | null>(null)
  const moveFocus = useRef<string | null>(null)
  const [purpose, setPurpose] = useState<Purpose>('send')
  const [embed, setEmbed] = useState(false)
  const [order, setOrder] = useState<Instrument[]>([...INSTRUMENTS])
  const [chosen, setChosen] = useState<Set<Instrument>>(() => new Set(INSTRUMENTS))
  const [status, setStatus] = useState<Status>({ state: 'idle' })
  const embedHintId = useId()
  const pdfInstruments = order.filter((i) => chosen.has(i))
  const previews = usePreviews(
    source,
    kind === 'image'
      ? { instruments: [instrument], withTitlePage: false, paper, language: i18n.language }
      : kind === 'pdf'
        ? { instruments: pdfInstruments, withTitlePage: true, paper, language: i18n.language }
        : null,
  )
  const busy = status.state === 'busy'
  const sending = kind === 'image' && purpose === 'send'
  const mayExport = role === 'edit' || allowed

  function choosePurpose(next: Purpose) {
    setPurpose(next)
    // Sending goes outside this device: the atlas stays out of the image unless asked for.
    setEmbed(next === 'keep')
  }

  function move(i: number, by: -1 | 1) {
    const next = [...order]
    const [item] = next.splice(i, 1)
    next.splice(i + by, 0, item as Instrument)
    setOrder(next)
    // Keep the keyboard where it was: on the same arrow, or the other one at the end of the list.
    const at = i + by
    const sameWay = by === -1 ? at > 0 : at < next.length - 1
    moveFocus.current = `${item}:${sameWay ? by : -by}`
  }
  useEffect(() => {
    if (!moveFocus.current) return
    document.querySelector<HTMLButtonElement>(`[data-move="${moveFocus.current}"]`)?.focus()
    moveFocus.current = null
  })

  // Closing the dialog stops an export that is still running.
  useEffect(() => () => run.current?.abort.abort(), [])

  async function start() {
    const id = (run.current?.id ?? 0) + 1
    const abort = new AbortController()
    run.current = { id, abort }
    const current = () => run.current?.id === id && !abort.signal.aborted
    const send = kind === 'image' && purpose === 'send'
    setStatus({ state: 'busy', done: 0, total: kind === 'pdf' ? pdfInstruments.length + 1 : 1 })
    try {
      let result: ExportResult
      if (kind === 'file') result = await exportAtlasFile(source)
      else if (kind === 'pdf')
        result = await exportAtlasPdf(
          source,
          { instruments: pdfInstruments, paper, dpi },
          (done, total) => current() && setStatus({ state: 'busy', done, total }),
          abort.signal,
        )
      else
        result = await exportInstrumentImage(source, {
          instrument,
          format,
          paper,
          dpi,
          embedAtlas: embed,
        })
      if (!current()) return
      onExported?.(kind === 'file' ? 'atlas-file' : kind)
      if (send && canShare(result)) {
        setStatus({ state: 'ready', result })
        return
      }
      download(result)
      const notes = [send ? t('exportDialog.shareFailed') : '', planNote(result)]
      setStatus({
        state: 'done',
        file: result.fileName,
        note: notes.filter(Boolean).join(' ') || undefined,
      })
    } catch (error) {
      if (!current()) return
      setStatus({
        state: 'failed',
        reason: error instanceof AtlasTooLargeForImage ? 'tooLarge' : 'other',
      })
    } finally {
      if (run.current?.id === id) run.current = null
    }
  }

  function stop() {
    run.current?.abort.abort()
    run.current = null
    setStatus({ state: 'idle' })
  }

  // A file that carries less of the plan than the atlas has says so: it may be the only backup.
  function planNote(result: ExportResult): string {
    if (result.plan === 'local') return t('exportDialog.planMissing')
    if (result.plan === 'refused') return t('exportDialog.planNotShown')
    return ''
  }

  async function share(result: ExportResult) {
    try {
      await navigator.share({ files: [fileOf(result)], title: result.fileName })
      setStatus({ state: 'done', file: result.fileName, note: planNote(result) || undefined })
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return
      download(result)
      const note = `${t('exportDialog.shareFailed')} ${planNote(result)}`.trim()
      setStatus({ state: 'done', file: result.fileName, note })
    }
  }

  if (!mayExport) {
    return (
      <Dialog title={t('exportDialog.title')} onClose={onClose}>
        <p role="alert">{t('exportDialog.notAllowed')}</p>
      </Dialog>
    )
  }

  const instrumentOptions = INSTRUMENTS.map((i) => ({
    value: i,
    label: instrumentName(i),
    icon: INSTRUMENT_ICONS[i],
  }))
  const paperOptions = (Object.keys(PAPER) as Paper[]).map((p) => ({ value: p, label: p }))
  const dpiOptions = [
    { value: '150' as const, label: t('exportDialog.dpi150') },
    { value: '300' as const, label: t('exportDialog.dpi300') },
  ]

  return (
    <Dialog title={t('exportDialog.title')} onClose={onClose} closable={!busy}>
      <div className="export-dialog" data-testid="export-dialog">
        <fieldset className="export-settings" disabled={busy}>
          {/* In easy-read one question per screen, with Terug and Volgende (see `Steps`). */}
          <Steps
            steps={[
              <Choice
                key="kind"
                legend={t('exportDialog.what')}
                name="export-kind"
                value={kind}
                onChange={(k) => {
                  setKind(k)
                  setStatus({ state: 'idle' })
                }}
                options={[
                  {
                    value: 'image',
                    label: t('exportDialog.kindImage'),
                    hint: t('exportDialog.kindImageHint'),
                    icon: FileImage,
                  },
                  {
                    value: 'pdf',
                    label: t('exportDialog.kindPdf'),
                    hint: t('exportDialog.kindPdfHint'),
                    icon: FileText,
                  },
                  {
                    value: 'file',
                    label: t('exportDialog.kindFile'),
                    hint: t('exportDialog.kindFileHint'),
                    icon: FileArchive,
                  },
                ]}
              />,
              kind === 'image' && (
                <Fragment key="image">
                  <Choice
                    legend={t('exportDialog.instrument')}
                    name="export-instrument"
                    value={instrument}
                    onChange={setInstrument}
                    options={instrumentOptions}
                  />
                  <Choice
                    legend={t('exportDialog.format')}
                    name="export-format"
                    value={format}
                    onChange={setFormat}
                    options={[
                      { value: 'png', label: t('exportDialog.formatPng'), icon: ImageIcon },
                      { value: 'svg', label: t('exportDialog.formatSvg'), icon: FileImage },
                    ]}
                  />
                </Fragment>
              ),
              kind === 'pdf' && (
                <fieldset key="pdf" className="export-choice">
                  <legend>{t('exportDialog.instruments')}</legend>
                  <ol className="export-order">
                    {order.map((i, index) => {
                      const Icon = INSTRUMENT_ICONS[i]
                      return (
                        <li key={i}>
                          <label className="export-option" data-checked={chosen.has(i)}>
                            <input
                              type="checkbox"
                              checked={chosen.has(i)}
                              onChange={(e) => {
                                const next = new Set(chosen)
                                if (e.target.checked) next.add(i)
                                else next.delete(i)
                                setChosen(next)
                              }}
                            />
                            <Icon aria-hidden="true" size={22} />
                            <strong>{instrumentName(i)}</strong>
                          </label>
                          <button
                            type="button"
                            className="icon-button"
                            disabled={index === 0}
                            onClick={() => move(index, -1)}
                            data-move={`${i}:-1`}
                            aria-label={t('exportDialog.moveUp', { name: instrumentName(i) })}
                          >
                            <ArrowUp aria-hidden="true" />
                          </button>
                          <button
                            type="button"
                            className="icon-button"
                            disabled={index === order.length - 1}
                            onClick={() => move(index, 1)}
                            data-move={`${i}:1`}
                            aria-label={t('exportDialog.moveDown', { name: instrumentName(i) })}
                          >
                            <ArrowDown aria-hidden="true" />
                          </button>
                        </li>
                      )
                    })}
                  </ol>
                  <p className="muted">
                    {t('exportDialog.pages', {
                      count: pdfInstruments.length + 1,
                      maps: pdfInstruments.length,
                    })}
                  </p>
                </fieldset>
              ),
              kind !== 'file' && (
                <div key="paper" className="export-row">
                  <Choice
                    legend={t('exportDialog.paper')}
                    name="export-paper"
                    value={paper}
                    onChange={setPaper}
                    options={paperOptions}
                  />
                  {/* An SVG is a drawing: it has a paper size but no dots per inch. */}
                  {!(kind === 'image' && format === 'svg') && (
                    <Choice
                      legend={t('exportDialog.quality')}
                      name="export-dpi"
                      value={String(dpi) as '150' | '300'}
                      onChange={(v) => setDpi(Number(v) as Dpi)}
                      options={dpiOptions}
                    />
                  )}
                </div>
              ),
              kind === 'image' && (
                <Fragment key="purpose">
                  <Choice
                    legend={t('exportDialog.purpose')}
                    name="export-purpose"
                    value={purpose}
                    onChange={choosePurpose}
                    options={[
                      { value: 'send', label: t('exportDialog.purposeSend'), icon: Send },
                      { value: 'keep', label: t('exportDialog.purposeKeep'), icon: Download },
                    ]}
                  />
                  <label className="export-option export-embed" data-checked={embed}>
                    <input
                      type="checkbox"
                      checked={embed}
                      onChange={(e) => setEmbed(e.target.checked)}
                      aria-describedby={embedHintId}
                    />
                    <strong>{t('exportDialog.embed')}</strong>
                  </label>
                  <p id={embedHintId} className="export-embed-hint">
                    {embed ? t('exportDialog.embedOn') : t('exportDialog.embedOff')}
                  </p>
                </Fragment>
              ),
              role === 'edit' && <ViewersSetting key="viewers" doc={doc} allowed={allowed} />,
            ]}
          />
        </fieldset>

        <div className="export-preview">
          <h3>{t('exportDialog.preview')}</h3>
          {kind === 'file' ? (
            <p className="muted">{t('exportDialog.kindFileHint')}</p>
          ) : previews === 'loading' ? (
            <p className="muted">{t('exportDialog.previewLoading')}</p>
          ) : previews === 'failed' ? (
            <p className="error-text">{t('exportDialog.previewFailed')}</p>
          ) : (
            // Focusable, so the previews scroll by keyboard where the screen is narrow.
            <div
              className="export-thumbs"
              data-testid="export-preview"
              // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to be scrolled by keys
              tabIndex={0}
            >
              {previews.map((p) => (
                <img
                  key={p.url}
                  src={p.url}
                  alt={t('exportDialog.previewAlt', { name: p.label })}
                  data-paper={paper}
                />
              ))}
            </div>
          )}
          <div className="export-actions">
            {kind === 'pdf' && pdfInstruments.length === 0 && (
              <p className="error-text" role="alert">
                {t('exportDialog.noneChosen')}
              </p>
            )}
            {status.state === 'ready' ? (
              <button
                type="button"
                className="button primary"
                onClick={() => share(status.result)}
                data-testid="export-share"
              >
                <Send aria-hidden="true" /> {t('exportDialog.shareNow')}
              </button>
            ) : (
              <button
                type="button"
                className="button primary"
                disabled={busy || (kind === 'pdf' && pdfInstruments.length === 0)}
                onClick={start}
                data-testid="export-download"
              >
                {sending ? <Send aria-hidden="true" /> : <Download aria-hidden="true" />}{' '}
                {busy
                  ? t('exportDialog.busy')
                  : sending
                    ? t('exportDialog.send')
                    : t('exportDialog.download')}
              </button>
            )}
            {busy && kind === 'pdf' && (
              <button type="button" className="button" onClick={stop}>
                <X aria-hidden="true" /> {t('exportDialog.stop')}
              </button>
            )}
          </div>
          <div className="export-status" role="status" data-testid="export-status">
            {status.state === 'busy' && kind === 'pdf' && (
              <>
                <progress
                  max={status.total}
                  value={status.done}
                  aria-label={t('exportDialog.progressLabel')}
                />
                <span>
                  {status.done === 0
                    ? t('exportDialog.preparing')
                    : t('exportDialog.progress', { done: status.done, total: status.total })}
                </span>
              </>
            )}
            {status.state === 'done' && (
              <span>
                {t('exportDialog.done', { file: status.file })} {status.note}
              </span>
            )}
            {status.state === 'failed' && (
              <span className="error-text">
                {status.reason === 'tooLarge'
                  ? t('exportDialog.tooLargeToEmbed')
                  : t('exportDialog.failed')}
              </span>
            )}
          </div>
        </div>
      </div>
    </Dialog>
  )
}

function ViewersSetting({ doc, allowed }: { doc: Y.Doc; allowed: boolean }) {
  const { t } = useTranslation()
  const hintId = useId()
  return (
    <fieldset className="export-choice">
      <legend>{t('exportDialog.viewersTitle')}</legend>
      <label className="export-option" data-checked={allowed}>
        <input
          type="checkbox"
          checked={allowed}
          onChange={(e) => setViewersMayExport(doc, e.target.checked)}
          aria-describedby={hintId}
          data-testid="viewers-may-export"
        />
        <strong>{t('exportDialog.viewersMayExport')}</strong>
      </label>
      <p id={hintId} className="muted">
        {t('exportDialog.viewersMayExportHint')}
      </p>
    </fieldset>
  )
}
