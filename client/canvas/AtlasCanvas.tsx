import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import {
  ClipboardList,
  FileDown,
  History,
  Home,
  Keyboard,
  ServerCog,
  Share2,
  UserRound,
  Users,
} from 'lucide-react'
import {
  type ComponentProps,
  type ComponentType,
  createContext,
  lazy,
  Suspense,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react'
import { useTranslation } from 'react-i18next'
import {
  type Editor,
  PeopleMenu,
  type TLComponents,
  type TLUserPreferences,
  Tldraw,
  useTldrawCurrentUser,
  useValue,
} from 'tldraw'
import type * as Y from 'yjs'
import { canWrite } from '../../shared/api/atlases'
import type { AtlasAccess } from '../access/access'
import { useAccessControl } from '../access/control'
import { LinksDialog } from '../access/LinksDialog'
import { ROLE_ICONS } from '../access/roles'
import { NextBasisteamLink } from '../basisteam/NextBasisteamLink'
import { type ConnectionState, ConnectionStatus } from '../components/ConnectionStatus'
import { NameDialog } from '../components/NameDialog'
import { ScreenLink } from '../components/ScreenLink'
import { SyncNotice } from '../components/SyncNotice'
import { AtlasImageDrop } from '../export/AtlasImageDrop'
import type { ExportDialog as ExportDialogModule } from '../export/ExportDialog'
import { noteExport } from '../lib/api'
import { isTooOld, loadPart, onTooOld } from '../lib/build'
import { type LocalUser, loadLocalUser, saveLocalUser } from '../lib/user'
import { useAtlasSync } from '../sync/useAtlasSync'
import type { SyncNotice as SyncNoticeKind } from '../sync/useSyncedDoc'
import { DeletionConfirm } from './deletion'
import { registerKeyboardRouting, shortcutsOpen } from './keyboard'
import { MapTextPanel } from './mapText/MapText'
import { AtlasContextMenu, AtlasMainMenu } from './menu'
import {
  AtlasPageMenu,
  ensureAtlasPages,
  InstrumentOverlay,
  PosterToggle,
  registerInstrumentPageGuard,
} from './pages'
import { Inspector } from './people/Inspector'
import { ShortcutsDialog } from './ShortcutsDialog'
import { AtlasToasts } from './toasts'
import './people/people.css'
import { EasyReadSwitch } from '../easyRead/EasyReadSwitch'
import { useCanvasPreferences, usePrefersReducedMotion } from './preferences'
import { bindingUtils, canvasShapeUtils, tools } from './registry'
import { registerMapSideEffects } from './sideEffects'
import {
  AtlasKeyboardShortcutsDialog,
  AtlasMenuPanel,
  AtlasStylePanel,
  AtlasToolbar,
  uiOverrides,
} from './ui'

// The export dialog (with the PDF library) loads when it is first opened. After a deploy its
// file may be gone: then nothing opens and the update notice asks for a reload.
const ExportDialog = lazy(() =>
  loadPart<{ default: ComponentType<ComponentProps<typeof ExportDialogModule>> }>(
    () => import('../export/ExportDialog').then((m) => ({ default: m.ExportDialog })),
    { default: NoExportDialog },
  ),
)

/** Stands in for the export dialog that could not be loaded: closes at once. */
function NoExportDialog({ onClose }: { onClose: () => void }) {
  useEffect(() => onClose(), [onClose])
  return null
}

// Fonts, icons and translations come from our own origin, never from a CDN.
const assetUrls = getAssetUrlsByImport()
const licenseKey = import.meta.env.VITE_TLDRAW_LICENSE_KEY as string | undefined

interface AtlasUi {
  access: AtlasAccess
  connection: ConnectionState
  notice: SyncNoticeKind | null
  skipped: number
  /** The server is an older version: this page looks but does not write (`useAtlasSync`). */
  serverOlder: boolean
  user: LocalUser
  doc: Y.Doc | null
  openShare: () => void
  openName: () => void
}
const AtlasUiContext = createContext<AtlasUi | null>(null)
function useAtlasUi(): AtlasUi {
  const ui = useContext(AtlasUiContext)
  if (!ui) throw new Error('useAtlasUi outside AtlasCanvas')
  return ui
}

function AtlasBar() {
  const { t } = useTranslation()
  const { access, connection, notice, skipped, user, doc, openShare, openName } = useAtlasUi()
  const [exporting, setExporting] = useState(false)
  const showShortcuts = useValue(shortcutsOpen)
  return (
    <div className="tlui-share-zone atlas-bar" draggable={false}>
      <ConnectionStatus state={connection} />
      <SyncNotice notice={notice} skipped={skipped} />
      <PeopleMenu />
      <button type="button" className="button" onClick={openName} title={t('name.change')}>
        <UserRound aria-hidden="true" size={20} />
        <span>{user.name ? t('name.you', { name: user.name }) : t('name.change')}</span>
      </button>
      {access.role === 'edit' && (
        <button type="button" className="button primary" onClick={openShare}>
          <Share2 aria-hidden="true" size={20} /> {t('share.button')}
        </button>
      )}
      <ScreenLink
        atlasId={access.id}
        screen="plan"
        className="button"
        title={t('plan.buttonHint')}
        data-testid="plan-button"
      >
        <ClipboardList aria-hidden="true" size={20} /> {t('plan.button')}
      </ScreenLink>
      <button
        type="button"
        className="button"
        onClick={() => setExporting(true)}
        disabled={!doc}
        title={t('exportDialog.buttonHint')}
        data-testid="export-button"
      >
        <FileDown aria-hidden="true" size={20} /> {t('exportDialog.button')}
      </button>
      <ScreenLink
        atlasId={access.id}
        screen="meeting"
        className="button"
        title={t('meeting.buttonHint')}
        data-testid="meeting-button"
      >
        <Users aria-hidden="true" size={20} /> {t('meeting.button')}
      </ScreenLink>
      <NextBasisteamLink access={access} />
      {access.role === 'edit' && (
        <ScreenLink
          atlasId={access.id}
          screen="history"
          className="button"
          aria-label={t('history.button')}
          title={t('history.buttonHint')}
          data-testid="history-button"
        >
          <History aria-hidden="true" size={20} />
          <span className="easy-only">{t('history.button')}</span>
        </ScreenLink>
      )}
      <button
        type="button"
        className="button"
        onClick={() => shortcutsOpen.set(true)}
        aria-label={t('shortcuts.button')}
        title={t('shortcuts.button')}
        data-testid="shortcuts-button"
      >
        <Keyboard aria-hidden="true" size={20} />
        <span className="easy-only">{t('shortcuts.button')}</span>
      </button>
      <EasyReadSwitch />
      <a className="button" href="/" aria-label={t('atlas.home')} title={t('atlas.home')}>
        <Home aria-hidden="true" size={20} />
        <span className="easy-only">{t('atlas.home')}</span>
      </a>
      {showShortcuts && <ShortcutsDialog onClose={() => shortcutsOpen.set(false)} />}
      {exporting && doc && (
        <Suspense fallback={null}>
          <ExportDialog
            access={access}
            doc={doc}
            title={access.title}
            role={access.role}
            onExported={(kind) => noteExport(access.id, access.token, kind)}
            onClose={() => setExporting(false)}
          />
        </Suspense>
      )}
    </div>
  )
}

/** Says plainly who you are on a page that cannot change anything, or why it cannot now. */
function ReadOnlyBanner() {
  const { t } = useTranslation()
  const { access, serverOlder } = useAtlasUi()
  if (serverOlder) {
    return (
      <div className="readonly-banner" role="status" data-role="server-older">
        <ServerCog aria-hidden="true" size={20} /> {t('offline.update.serverOlder')}
      </div>
    )
  }
  // Only edit links write (canWrite); every other role is told who it is here.
  if (access.role === 'edit') return null
  const Icon = ROLE_ICONS[access.role]
  return (
    <div className="readonly-banner" role="status" data-role={access.role}>
      <Icon aria-hidden="true" size={20} /> {t(`access.readOnly.${access.role}`)}
    </div>
  )
}

/** The top-right corner: the atlas bar, and below it the editing panel of the selection. */
function AtlasRightPanel() {
  return (
    <div className="atlas-right">
      <AtlasBar />
      <Inspector />
      <AtlasImageDrop />
      <DeletionConfirm />
    </div>
  )
}

/**
 * The middle of the top: the read-only notice for a viewer, the poster's button on the basisposter,
 * and the map in words (with its speaker button and the screen reader's announcements).
 */
function AtlasTopPanel() {
  const { doc } = useAtlasUi()
  return (
    <div className="atlas-top">
      <ReadOnlyBanner />
      <PosterToggle />
      <MapTextPanel doc={doc} />
    </div>
  )
}

const components: TLComponents = {
  MainMenu: AtlasMainMenu,
  PageMenu: AtlasPageMenu,
  ContextMenu: AtlasContextMenu,
  SharePanel: AtlasRightPanel,
  TopPanel: AtlasTopPanel,
  MenuPanel: AtlasMenuPanel,
  StylePanel: AtlasStylePanel,
  Toolbar: AtlasToolbar,
  InFrontOfTheCanvas: InstrumentOverlay,
  KeyboardShortcutsDialog: AtlasKeyboardShortcutsDialog,
  Toasts: AtlasToasts,
}

/** The shared tldraw canvas of one atlas, with connection state, presence and sharing. */
export function AtlasCanvas({ access }: { access: AtlasAccess }) {
  const { t, i18n } = useTranslation()
  const [user, setUser] = useState<LocalUser>(loadLocalUser)
  const [dialog, setDialog] = useState<'share' | 'name' | null>(user.name ? null : 'name')
  const { refuse } = useAccessControl()
  const sync = useAtlasSync(access, user, refuse)
  const tooOld = useSyncExternalStore(onTooOld, isTooOld)
  // A print of the page (the contact schedule's button or the browser's own) goes in the access log.
  useEffect(() => {
    const printed = () => noteExport(access.id, access.token, 'print')
    window.addEventListener('afterprint', printed)
    return () => window.removeEventListener('afterprint', printed)
  }, [access.id, access.token])

  const [canvasPreferences, keepCanvasPreferences] = useCanvasPreferences()
  const reduceMotion = usePrefersReducedMotion()
  const userPreferences = useMemo<TLUserPreferences>(
    () => ({
      ...canvasPreferences,
      ...(reduceMotion ? { animationSpeed: 0 } : {}),
      id: user.id,
      name: user.name,
      color: user.color,
      locale: i18n.language,
      colorScheme: 'light',
    }),
    [user, i18n.language, canvasPreferences, reduceMotion],
  )
  const userRef = useRef(user)
  userRef.current = user
  // The speed forced to 0 for less motion is not the participant's choice: it is not kept.
  const motionRef = useRef({ reduceMotion, stored: canvasPreferences.animationSpeed })
  motionRef.current = { reduceMotion, stored: canvasPreferences.animationSpeed }
  // Stable: a new function here would give tldraw a new user, and tldraw builds a new editor
  // for a new user (seconds on a large atlas, at every re-render).
  const setUserPreferences = useCallback(
    (prefs: TLUserPreferences) => {
      // tldraw's own menus may rename the user and change its preferences; the device keeps both.
      const current = userRef.current
      if (typeof prefs.name === 'string' && prefs.name !== current.name) {
        const next = { ...current, name: prefs.name }
        saveLocalUser(next)
        setUser(next)
      }
      const motion = motionRef.current
      keepCanvasPreferences(
        motion.reduceMotion ? { ...prefs, animationSpeed: motion.stored } : prefs,
      )
    },
    [keepCanvasPreferences],
  )
  const tlUser = useTldrawCurrentUser({ userPreferences, setUserPreferences })

  function updateUser(next: LocalUser) {
    saveLocalUser(next)
    setUser(next)
  }

  const ui: AtlasUi = {
    access,
    connection: sync.connection,
    notice: sync.notice,
    skipped: sync.skipped,
    serverOlder: sync.serverOlder,
    user,
    doc: sync.doc,
    openShare: () => setDialog('share'),
    openName: () => setDialog('name'),
  }

  // The dialogs stay where they are while the canvas is (re)loading: after a rotation or a
  // handover the page goes on with another secret, and the new link must stay on the screen.
  return (
    <AtlasUiContext.Provider value={ui}>
      {sync.store ? (
        <main
          className="atlas-screen"
          aria-label={access.title}
          data-testid="atlas-canvas"
          data-role={access.role}
        >
          <Tldraw
            store={sync.store}
            assetUrls={assetUrls}
            licenseKey={licenseKey}
            user={tlUser}
            components={components}
            shapeUtils={canvasShapeUtils}
            bindingUtils={bindingUtils}
            tools={tools}
            overrides={uiOverrides}
            onMount={(editor: Editor) => {
              // The store is given once the page knows whether its server is older (useAtlasSync).
              const writes = canWrite(access.role) && !sync.serverOlder
              editor.updateInstanceState({ isReadonly: !writes })
              ;(window as unknown as { editor?: Editor }).editor = editor
              const stopGuard = registerInstrumentPageGuard(editor)
              const stopKeyboardRouting = registerKeyboardRouting(editor)
              const stopBoth = () => {
                stopGuard()
                stopKeyboardRouting()
              }
              if (access.role !== 'edit' || !writes) return stopBoth
              ensureAtlasPages(editor, { title: access.title })
              // Where a person stands on the relationship map, and an event on the time axis, is data.
              const stopSideEffects = registerMapSideEffects(editor)
              return () => {
                stopBoth()
                stopSideEffects()
              }
            }}
          />
        </main>
      ) : tooOld ? null : (
        // A page too old for the atlas never opens it: the update notice says so, not "opening".
        <div className="page loading" role="status">
          {t('atlas.loading')}
        </div>
      )}
      {dialog === 'name' && (
        <NameDialog
          initial={user.name}
          onSave={(name) => {
            updateUser({ ...user, name })
            setDialog(null)
          }}
          onClose={user.name ? () => setDialog(null) : undefined}
        />
      )}
      {dialog === 'share' && (
        <LinksDialog
          access={access}
          userName={user.name}
          doc={sync.doc}
          onClose={() => setDialog(null)}
        />
      )}
    </AtlasUiContext.Provider>
  )
}
