import {
  FileQuestion,
  History,
  LayoutDashboard,
  type LucideIcon,
  Network,
  Table2,
  Target,
  Trash2,
} from 'lucide-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  type TLPage,
  TldrawUiButton,
  TldrawUiButtonIcon,
  TldrawUiButtonLabel,
  TldrawUiPopover,
  TldrawUiPopoverContent,
  TldrawUiPopoverTrigger,
  useEditor,
  useMenuIsOpen,
  useReadonly,
  useValue,
} from 'tldraw'
import { type Instrument, instrumentOfPage } from '../../../shared/schema/pages'
import { Dialog } from '../../components/Dialog'

/** The pictogram of each instrument, beside its name wherever the maps are listed. */
export const INSTRUMENT_ICONS: Record<Instrument, LucideIcon> = {
  basisposter: LayoutDashboard,
  familiekaart: Network,
  relatiekaart: Target,
  contactschema: Table2,
  gebeurteniskaart: History,
}

/** The name of a page in the UI language: an instrument by its translated name, another page by its own. */
export function usePageName(): (page: TLPage) => string {
  const { t } = useTranslation()
  return (page) => {
    const instrument = instrumentOfPage(page.id)
    return instrument ? t(`maps.instruments.${instrument}`) : page.name
  }
}

function PageIcon({ page }: { page: TLPage }) {
  const instrument = instrumentOfPage(page.id)
  const Icon = instrument ? INSTRUMENT_ICONS[instrument] : FileQuestion
  return <Icon aria-hidden="true" size={20} />
}

/**
 * The list of maps, in place of tldraw's page menu: the five instruments by their names, in
 * the UI language, with a pictogram. Choosing one goes there; nothing can be renamed, moved or
 * deleted here. A page someone drew on beside the five (an older atlas) is listed after them and
 * can be deleted, after a question that says what is on it.
 */
export function AtlasPageMenu() {
  const editor = useEditor()
  const { t } = useTranslation()
  const readOnly = useReadonly()
  const pageName = usePageName()
  const [isOpen, onOpenChange] = useMenuIsOpen('page-menu')
  const [deleting, setDeleting] = useState<TLPage | null>(null)
  const pages = useValue('pages', () => editor.getPages(), [editor])
  const current = useValue('current page', () => editor.getCurrentPage(), [editor])
  const instruments = pages.filter((p) => instrumentOfPage(p.id))
  const others = pages.filter((p) => !instrumentOfPage(p.id))

  const go = (page: TLPage) => {
    editor.setCurrentPage(page.id)
    onOpenChange(false)
  }

  const item = (page: TLPage) => {
    const isCurrent = page.id === current.id
    return (
      <li
        key={page.id}
        className="atlas-page-menu__item"
        data-testid="page-menu.item"
        data-pageid={page.id}
        data-iscurrent={isCurrent}
      >
        <button
          type="button"
          className="atlas-page-menu__go"
          aria-current={isCurrent ? 'page' : undefined}
          onClick={() => go(page)}
        >
          <PageIcon page={page} />
          <span>{pageName(page)}</span>
        </button>
        {!readOnly && !instrumentOfPage(page.id) && (
          <button
            type="button"
            className="icon-button"
            aria-label={t('pageMenu.delete', { name: page.name })}
            title={t('pageMenu.delete', { name: page.name })}
            onClick={() => setDeleting(page)}
          >
            <Trash2 aria-hidden="true" size={20} />
          </button>
        )}
      </li>
    )
  }

  return (
    <>
      <TldrawUiPopover id="page-menu" open={isOpen} onOpenChange={onOpenChange}>
        <TldrawUiPopoverTrigger>
          <TldrawUiButton
            type="menu"
            title={t('pageMenu.button')}
            aria-label={`${t('pageMenu.button')}: ${pageName(current)}`}
            data-testid="page-menu.button"
            className="tlui-page-menu__trigger atlas-page-menu__trigger"
          >
            <PageIcon page={current} />
            <TldrawUiButtonLabel>{pageName(current)}</TldrawUiButtonLabel>
            <TldrawUiButtonIcon icon="chevron-down" small />
          </TldrawUiButton>
        </TldrawUiPopoverTrigger>
        <TldrawUiPopoverContent side="bottom" align="start" sideOffset={0}>
          <nav
            className="atlas-page-menu"
            aria-label={t('pageMenu.button')}
            data-testid="page-menu.list"
          >
            <ul>{instruments.map(item)}</ul>
            {others.length > 0 && (
              <>
                <h2 className="atlas-page-menu__heading">{t('pageMenu.others')}</h2>
                <ul>{others.map(item)}</ul>
              </>
            )}
          </nav>
        </TldrawUiPopoverContent>
      </TldrawUiPopover>
      {deleting && (
        <DeletePageDialog
          page={deleting}
          onClose={() => setDeleting(null)}
          onDelete={() => {
            setDeleting(null)
            editor.markHistoryStoppingPoint('delete page')
            editor.deletePage(deleting.id)
          }}
        />
      )}
    </>
  )
}

/** Asks before a free page goes, and says how much is drawn on it. */
function DeletePageDialog({
  page,
  onClose,
  onDelete,
}: {
  page: TLPage
  onClose: () => void
  onDelete: () => void
}) {
  const editor = useEditor()
  const { t } = useTranslation()
  const count = editor.getSortedChildIdsForParent(page.id).length
  return (
    <Dialog title={t('pageMenu.deleteTitle', { name: page.name })} onClose={onClose}>
      <div className="stack">
        <p>{t('pageMenu.deleteText', { count })}</p>
        <div className="actions">
          <button
            type="button"
            className="button"
            // biome-ignore lint/a11y/noAutofocus: the safe choice takes the focus in a confirm dialog
            autoFocus
            onClick={onClose}
          >
            {t('pageMenu.keep')}
          </button>
          <button type="button" className="button danger-solid" onClick={onDelete}>
            <Trash2 aria-hidden="true" size={20} /> {t('pageMenu.deleteYes')}
          </button>
        </div>
      </div>
    </Dialog>
  )
}
