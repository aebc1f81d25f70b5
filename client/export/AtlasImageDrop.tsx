import { FolderOpen, ImagePlus, X } from 'lucide-react'
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  defaultHandleExternalFileContent,
  type TLExternalContent,
  type TLUiToastsContextType,
  useEditor,
  useTranslation as useTldrawTranslation,
  useToasts,
} from 'tldraw'
import { atlasPath } from '../../shared/api/atlases'
import {
  MAX_OPEN_FILE_BYTES,
  readEmbeddedAtlas,
  withoutEmbeddedAtlas,
} from '../../shared/export/embed'
import { Dialog } from '../components/Dialog'
import { useEasyRead } from '../easyRead/state'
import { importAtlasFile } from '../lib/api'
import { rememberCreated } from '../lib/recentAtlases'

type FilesContent = Extract<TLExternalContent<unknown>, { type: 'files' }>

/** The atlas file inside a dropped image made by Netwerkatlas, if one of the files is such. */
async function atlasInFiles(
  files: readonly File[],
): Promise<{ json: string; title: string } | null> {
  for (const file of files) {
    if (!/^image\/(png|svg\+xml)$/.test(file.type) || file.size > MAX_OPEN_FILE_BYTES) continue
    const found = await readEmbeddedAtlas(new Uint8Array(await file.arrayBuffer()))
    if (found.kind !== 'atlas') continue
    try {
      const { title } = JSON.parse(found.json) as { title?: unknown }
      return { json: found.json, title: typeof title === 'string' ? title : '' }
    } catch {}
  }
  return null
}

/**
 * An image exported with the atlas inside, dropped on the canvas: asks whether to open it as a
 * new atlas or to put it on the map as a picture. Other files go to tldraw as usual.
 */
export function AtlasImageDrop() {
  const { t } = useTranslation()
  const editor = useEditor()
  const tldrawToasts = useToasts()
  const easy = useEasyRead()
  // Easy-read has no time-outs: tldraw's notices about a dropped file stay until they are closed.
  const toasts = useMemo(
    () =>
      easy
        ? {
            ...tldrawToasts,
            addToast: ((toast) =>
              tldrawToasts.addToast({
                ...toast,
                keepOpen: true,
              })) as TLUiToastsContextType['addToast'],
          }
        : tldrawToasts,
    [easy, tldrawToasts],
  )
  const msg = useTldrawTranslation()
  const [offer, setOffer] = useState<{
    json: string
    title: string
    content: FilesContent
  } | null>(null)
  const [state, setState] = useState<'ask' | 'busy' | 'failed' | { id: string; skipped: number }>(
    'ask',
  )

  useEffect(() => {
    const asPicture = (content: FilesContent) =>
      defaultHandleExternalFileContent(editor, content, { toasts, msg })
    editor.registerExternalContentHandler('files', async (content) => {
      const atlas = await atlasInFiles(content.files)
      if (!atlas) return asPicture(content)
      setState('ask')
      setOffer({ ...atlas, content })
    })
    return () => {
      editor.registerExternalContentHandler('files', asPicture)
    }
  }, [editor, toasts, msg])

  if (!offer) return null
  const close = () => setOffer(null)

  async function openAsAtlas(json: string) {
    setState('busy')
    try {
      const created = await importAtlasFile(json)
      rememberCreated(created, created.title)
      // What could not be read is said first; otherwise straight to the new atlas.
      const skipped = created.skipped.length + created.skippedMore
      if (skipped > 0) setState({ id: created.id, skipped })
      else window.location.assign(atlasPath(created.id))
    } catch {
      setState('failed')
    }
  }

  /** On the map as a picture: without the other atlas inside it. */
  async function asPicture(content: FilesContent) {
    const files = await Promise.all(
      content.files.map(async (file) => {
        const bytes = new Uint8Array(await file.arrayBuffer())
        const plain = withoutEmbeddedAtlas(bytes)
        return plain === bytes
          ? file
          : new File([plain as BlobPart], file.name, { type: file.type })
      }),
    )
    await defaultHandleExternalFileContent(editor, { ...content, files }, { toasts, msg })
  }

  return (
    <Dialog title={t('exportDialog.dropTitle')} onClose={close}>
      <p>{t('exportDialog.dropIntro', { title: offer.title })}</p>
      <div className="export-actions">
        <button
          type="button"
          className="button primary"
          disabled={state === 'busy' || typeof state === 'object'}
          onClick={() => openAsAtlas(offer.json)}
        >
          <FolderOpen aria-hidden="true" />{' '}
          {state === 'busy' ? t('exportDialog.busy') : t('exportDialog.dropOpen')}
        </button>
        {!editor.getIsReadonly() && (
          <button
            type="button"
            className="button"
            disabled={state === 'busy' || typeof state === 'object'}
            onClick={() => {
              close()
              void asPicture(offer.content)
            }}
          >
            <ImagePlus aria-hidden="true" /> {t('exportDialog.dropPicture')}
          </button>
        )}
        <button type="button" className="button" onClick={close} disabled={state === 'busy'}>
          <X aria-hidden="true" /> {t('exportDialog.dropCancel')}
        </button>
      </div>
      <p className="muted">{t('exportDialog.dropOpenHint')}</p>
      {state === 'failed' && (
        <p className="error-text" role="alert">
          {t('exportDialog.dropFailed')}
        </p>
      )}
      {typeof state === 'object' && (
        <div role="status">
          <p>{t('atlasFile.skipped', { count: state.skipped })}</p>
          <a className="button primary" href={atlasPath(state.id)}>
            <FolderOpen aria-hidden="true" /> {t('atlasFile.openAtlas')}
          </a>
        </div>
      )}
    </Dialog>
  )
}
