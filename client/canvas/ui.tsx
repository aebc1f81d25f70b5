import {
  DefaultKeyboardShortcutsDialog,
  DefaultKeyboardShortcutsDialogContent,
  DefaultMenuPanel,
  DefaultStylePanel,
  DefaultToolbar,
  DrawToolbarItem,
  EraserToolbarItem,
  HandToolbarItem,
  NoteToolbarItem,
  RectangleToolbarItem,
  SelectToolbarItem,
  TextToolbarItem,
  type TLUiKeyboardShortcutsDialogProps,
  type TLUiOverrides,
  type TLUiStylePanelProps,
  TldrawUiMenuActionItem,
  TldrawUiMenuGroup,
  TldrawUiMenuItem,
  TldrawUiMenuToolItem,
  ToolbarItem,
  useEditor,
  useTools,
  useValue,
} from 'tldraw'
import { useEasyRead } from '../easyRead/state'
import { en } from '../i18n/en'
import { nl } from '../i18n/nl'
import { deleteSelectionAfterAsking } from './deletion'
import { EasyToolbar } from './EasyToolbar'
import { focusInspector } from './keyboard'
import { useOnlyAtlasShapesSelected } from './people/Inspector'
import { PeoplePanel } from './people/PeoplePanel'
import { createEvent, EventToolIcon } from './shapes/event'
import { createPerson, PersonToolIcon } from './shapes/person'
import { RelationToolIcon } from './shapes/relation'

/**
 * The atlas's tools in the toolbar: id, pictogram, shortcut, and what a press of the toolbar
 * button without a pointer does where the tool waits for a tap. Labels come from i18n.
 */
const ATLAS_TOOLS = [
  { id: 'person', icon: <PersonToolIcon />, kbd: 'p', withoutPointer: createPerson },
  { id: 'relation', icon: <RelationToolIcon />, kbd: 'c', withoutPointer: null },
  { id: 'event', icon: <EventToolIcon />, kbd: 'j', withoutPointer: createEvent },
] as const

/**
 * Whether the toolbar button was pressed with Enter or Space: the browser's click then has no
 * pointer (detail 0). tldraw's toolbar tells only "toolbar", so the event being handled says it.
 */
function pressedWithoutPointer(source: string): boolean {
  const event = window.event
  return (
    source === 'toolbar' &&
    event instanceof MouseEvent &&
    event.type === 'click' &&
    event.detail === 0
  )
}

/**
 * tldraw's tools that a poster of the method uses: free drawing, text, a sticky note, a box to
 * group things (its shape can be changed in the style panel) and the eraser. Every other tool
 * (line, arrow, frame, laser, highlighter, embed, media upload, the other shapes) is gone from the
 * toolbar, the shortcuts and the shortcuts dialog: a line between people is a relation.
 */
const KEPT_TLDRAW_TOOLS: ReadonlySet<string> = new Set([
  'select',
  'hand',
  'draw',
  'text',
  'note',
  'rectangle',
  'eraser',
])

/**
 * tldraw's actions that the atlas does without: its own exports (the Exporteren button is the one
 * export), inserting embeds and media, frames, turning shapes into an image (that would end
 * persons and their relations), and the dark scheme (the panels and sheets are light only).
 */
const REMOVED_ACTIONS = [
  'export-as-svg',
  'export-as-png',
  'export-all-as-svg',
  'export-all-as-png',
  'insert-embed',
  'insert-media',
  'frame-selection',
  'flatten-to-image',
  'toggle-dark-mode',
] as const

/** tldraw's messages the atlas names itself, from its own catalogues (one word per thing). */
function tldrawMessages(c: typeof nl | typeof en): Record<string, string> {
  return {
    // tldraw names a selected shape by `tool.<type>` when it announces it to a screen reader.
    ...Object.fromEntries(
      Object.entries(c.people.tools).map(([id, label]) => [`tool.${id}`, label]),
    ),
    'tool.select': c.atlas.tools.select,
    'tool.note': c.atlas.tools.note,
    'atlas.action.new-person': c.people.panel.add,
    'atlas.action.new-event': c.people.event.add,
    'atlas.action.open-inspector': c.people.inspector.open,
    'atlas.action.leave-inspector': c.people.inspector.leave,
    'atlas.shortcuts.atlas': c.atlas.shortcuts,
    // tldraw's own Dutch says "Dichtbij" (near) on its notices' close button.
    'toast.close': c.share.close,
  }
}

/** Toolbar entries, translations and shortcuts for the atlas's own tools. */
export const uiOverrides: TLUiOverrides = {
  tools(editor, tools) {
    for (const id of Object.keys(tools)) if (!KEPT_TLDRAW_TOOLS.has(id)) delete tools[id]
    for (const tool of ATLAS_TOOLS) {
      // Only tools the editor knows get an entry.
      if (!editor.root.children?.[tool.id]) continue
      tools[tool.id] = {
        id: tool.id,
        label: `tool.${tool.id}`,
        icon: tool.icon,
        kbd: tool.kbd,
        onSelect: (source) => {
          // A tool chosen by keyboard cannot be placed with a tap: the person or the event is
          // made in the middle of the screen, its first field focused (as Shift+P, Shift+J).
          if (tool.withoutPointer && pressedWithoutPointer(source)) tool.withoutPointer(editor)
          else editor.setCurrentTool(tool.id)
        },
      }
    }
    return tools
  },
  actions(editor, actions) {
    // Delete and Cut ask first when they take several persons or relations away.
    for (const id of ['delete', 'cut'] as const) {
      const original = actions[id]
      if (!original) continue
      actions[id] = {
        ...original,
        onSelect: (source) => deleteSelectionAfterAsking(editor, () => original.onSelect(source)),
      }
    }
    // The atlas is its five instruments: no action makes a new page.
    delete actions['move-to-new-page']
    const nextPage = actions['change-page-next']
    if (nextPage) {
      actions['change-page-next'] = {
        ...nextPage,
        onSelect: () => {
          const pages = editor.getPages()
          const at = pages.findIndex((page) => page.id === editor.getCurrentPageId())
          const next = pages[at + 1]
          if (next) editor.setCurrentPage(next.id)
        },
      }
    }
    // Keyboard only: a new person in the middle of the screen, his name field focused.
    actions['atlas-new-person'] = {
      id: 'atlas-new-person',
      label: 'atlas.action.new-person',
      kbd: 'shift+p',
      onSelect: () => {
        createPerson(editor)
      },
    }
    // Keyboard only: a new life event in the middle of the screen, its title field focused.
    actions['atlas-new-event'] = {
      id: 'atlas-new-event',
      label: 'atlas.action.new-event',
      kbd: 'shift+j',
      onSelect: () => {
        createEvent(editor)
      },
    }
    for (const id of REMOVED_ACTIONS) delete actions[id]
    // tldraw's key into the style panel leads into the inspector where that edits the selection.
    const styles = actions['adjust-shape-styles']
    if (styles) {
      actions['adjust-shape-styles'] = {
        ...styles,
        onSelect: (source) => {
          if (!focusInspector(editor)) return styles.onSelect(source)
        },
      }
    }
    return actions
  },
  translations: { nl: tldrawMessages(nl), en: tldrawMessages(en) },
}

/** Most tools the toolbar shows at once. */
const TOOLBAR_MAX_ITEMS = 10

/**
 * The toolbar's width at which it shows TOOLBAR_MAX_ITEMS. tldraw shows 4 tools at 310 px and
 * adds one per step of width; a tool takes ~40 px, as in tldraw's own 8 tools at 470 px. More
 * tools over the same widths were added faster than they fit: a phone's toolbar ran off both edges.
 */
const TOOLBAR_FULL_WIDTH = 310 + (TOOLBAR_MAX_ITEMS - 4) * 40

/**
 * The toolbar: the atlas's tools first, then the few drawing tools a poster needs; in easy-read
 * only the five of `EasyToolbar`.
 */
export function AtlasToolbar() {
  const tools = useTools()
  const easy = useEasyRead()
  if (easy) return <EasyToolbar />
  return (
    <DefaultToolbar maxItems={TOOLBAR_MAX_ITEMS} maxSizePx={TOOLBAR_FULL_WIDTH}>
      <SelectToolbarItem />
      <HandToolbarItem />
      {ATLAS_TOOLS.map((tool) => tools[tool.id] && <ToolbarItem key={tool.id} tool={tool.id} />)}
      <DrawToolbarItem />
      <TextToolbarItem />
      <NoteToolbarItem />
      <RectangleToolbarItem />
      <EraserToolbarItem />
    </DefaultToolbar>
  )
}

/**
 * tldraw's shortcuts dialog, with the atlas's own keys first. tldraw's lists leave out by
 * themselves what the atlas removed (see `KEPT_TLDRAW_TOOLS`, `REMOVED_ACTIONS`).
 */
export function AtlasKeyboardShortcutsDialog(props: TLUiKeyboardShortcutsDialogProps) {
  return (
    <DefaultKeyboardShortcutsDialog {...props}>
      <TldrawUiMenuGroup label="atlas.shortcuts.atlas" id="atlas">
        {ATLAS_TOOLS.map((tool) => (
          <TldrawUiMenuToolItem key={tool.id} toolId={tool.id} />
        ))}
        <TldrawUiMenuActionItem actionId="atlas-new-person" />
        <TldrawUiMenuActionItem actionId="atlas-new-event" />
        {/* Keys of the canvas and the inspector (keyboard.ts): listed, not bound here. */}
        <TldrawUiMenuItem
          id="atlas-open-inspector"
          label="atlas.action.open-inspector"
          kbd="[[Enter]]"
          onSelect={() => {}}
        />
        <TldrawUiMenuItem
          id="atlas-leave-inspector"
          label="atlas.action.leave-inspector"
          kbd="[[Esc]]"
          onSelect={() => {}}
        />
      </TldrawUiMenuGroup>
      <DefaultKeyboardShortcutsDialogContent />
    </DefaultKeyboardShortcutsDialog>
  )
}

/** The top-left corner: tldraw's menu and page list, then the people of the atlas. */
export function AtlasMenuPanel() {
  return (
    <div className="atlas-left">
      <DefaultMenuPanel />
      <PeoplePanel />
    </div>
  )
}

/** tldraw's tools that draw with the style panel's colours, lines and sizes. */
const STYLED_TOOLS: ReadonlySet<string> = new Set([
  'draw',
  'geo',
  'text',
  'note',
  'arrow',
  'line',
  'highlight',
])

/**
 * tldraw's style panel, only when there is something to style: a drawing that is selected, or
 * a drawing tool that is chosen. Never while only persons, lines or events are selected (the
 * inspector edits those), and not over the atlas while nothing is chosen.
 */
export function AtlasStylePanel(props: TLUiStylePanelProps) {
  const editor = useEditor()
  const onlyAtlas = useOnlyAtlasShapesSelected()
  const wanted = useValue(
    'style panel wanted',
    () => editor.getSelectedShapeIds().length > 0 || STYLED_TOOLS.has(editor.getCurrentToolId()),
    [editor],
  )
  // On a small screen tldraw opens this panel from its own style button: always show it there.
  if (props.isMobile) return <DefaultStylePanel {...props} />
  return onlyAtlas || !wanted ? null : <DefaultStylePanel {...props} />
}
