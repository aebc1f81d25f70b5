import { Copy, Eye, Pencil, ShieldAlert } from 'lucide-react'
import QRCode from 'qrcode'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { editUrl, viewUrl } from '../../shared/api/atlases'
import { Dialog } from './Dialog'

function ShareLink({ kind, url }: { kind: 'edit' | 'view'; url: string }) {
  const { t } = useTranslation()
  const [qr, setQr] = useState<string | null>(null)
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null)
  useEffect(() => {
    // Drawn on this device: the link never goes to a QR service.
    void QRCode.toDataURL(url, { margin: 1, width: 200, errorCorrectionLevel: 'M' }).then(setQr)
  }, [url])
  const title = kind === 'edit' ? t('share.editTitle') : t('share.viewTitle')
  async function copy() {
    try {
      await navigator.clipboard.writeText(url)
      setCopied('yes')
    } catch {
      setCopied('failed')
    }
  }
  const Icon = kind === 'edit' ? Pencil : Eye
  return (
    <section className="share-link" data-kind={kind}>
      <h3>
        <Icon aria-hidden="true" /> {title}
      </h3>
      <p>{kind === 'edit' ? t('share.editHint') : t('share.viewHint')}</p>
      <input readOnly value={url} aria-label={title} onFocus={(e) => e.currentTarget.select()} />
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
          <img src={qr} width={200} height={200} alt={t('share.qrLabel', { kind: title })} />
          <figcaption>{t('share.qr')}</figcaption>
        </figure>
      )}
    </section>
  )
}

/** Copy and QR code for the edit link and the view link this device holds. */
export function ShareDialog({
  atlasId,
  editToken,
  viewToken,
  onClose,
}: {
  atlasId: string
  editToken?: string
  viewToken?: string
  onClose: () => void
}) {
  const { t } = useTranslation()
  const origin = window.location.origin
  return (
    <Dialog title={t('share.title')} onClose={onClose}>
      <p>{t('share.intro')}</p>
      <p className="note">
        <ShieldAlert aria-hidden="true" /> {t('share.careful')}
      </p>
      <div className="share-links">
        {editToken && viewToken && (
          <ShareLink kind="edit" url={origin + editUrl(atlasId, editToken, viewToken)} />
        )}
        {viewToken ? (
          <ShareLink kind="view" url={origin + viewUrl(atlasId, viewToken)} />
        ) : (
          <p>{t('share.noViewLink')}</p>
        )}
      </div>
    </Dialog>
  )
}
