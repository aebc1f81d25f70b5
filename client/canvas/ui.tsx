import {
  ArrowToolbarItem,
  DefaultMenuPanel,
  DefaultStylePanel,
  DefaultToolbar,
  DrawToolbarItem,
  EllipseToolbarItem,
  EraserToolbarItem,
  FrameToolbarItem,
  HandToolbarItem,
  HighlightToolbarItem,
  LaserToolbarItem,
  LineToolbarItem,
  NoteToolbarItem,
  RectangleToolbarItem,
  SelectToolbarItem,
  TextToolbarItem,
  type TLUiOverrides,
  type TLUiStylePanelProps,
  ToolbarItem,
  useEditor,
  useTools,
  useValue,
} from 'tldraw'
import { en } from '../i18n/en'
import { nl } from '../i18n/nl'
import { deleteSelectionAfterAsking } from './deletion'
import { useOnlyAtlasShapesSelected } from './people/Inspector'
import { PeoplePanel } from './people/PeoplePanel'
import { EventToolIcon } from './shapes/event'
import { createPerson, PersonToolIcon } from './shapes/person'
import { RelationToolIcon } from './shapes/relation'

/** The atlas's tools in the toolbar: id, pictogram and shortcut. Labels come from i18n. */
const ATLAS_TOOLS = [
  { id: 'person', icon: <PersonToolIcon />, kbd: 'p' },
  { id: 'relation', icon: <RelationToolIcon />, kbd: 'c' },
  { id: 'event', icon: <EventToolIcon />, kbd: 'j' },
] as const

/** Toolbar entries, translations and shortcuts for the atlas's own tools. */
export const uiOverrides: TLUiOverrides = {
  tools(editor, tools) {
    for (const tool of ATLAS_TOOLS) {
      // Only tools the editor knows get an entry.
      if (!editor.root.children?.[tool.id]) continue
      tools[tool.id] = {
        id: tool.id,
        label: `atlas.tool.${tool.id}`,
        icon: tool.icon,
        kbd: tool.kbd,
        onSelect: () => editor.setCurrentTool(tool.id),
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
    // The atlas's panels and sheets are light only (see menu.tsx): no dark-mode shortcut.
    delete actions['toggle-dark-mode']
    return actions
  },
  translations: {
    nl: {
      ...Object.fromEntries(
        Object.entries(nl.people.tools).map(([id, label]) => [`atlas.tool.${id}`, label]),
      ),
      'atlas.action.new-person': nl.people.panel.add,
      // tldraw's own Dutch says "Dichtbij" (near) here.
      'toast.close': nl.share.close,
    },
    en: {
      ...Object.fromEntries(
        Object.entries(en.people.tools).map(([id, label]) => [`atlas.tool.${id}`, label]),
      ),
      'atlas.action.new-person': en.people.panel.add,
    },
  },
}

/** Most tools the toolbar shows at once; the others are under its "Meer" button. */
const TOOLBAR_MAX_ITEMS = 11

/**
 * The toolbar's width at which it shows TOOLBAR_MAX_ITEMS. tldraw shows 4 tools at 310 px and
 * adds one per step of width; a tool takes ~40 px, as in tldraw's own 8 tools at 470 px. More
 * tools over the same widths were added faster than they fit: a phone's toolbar ran off both edges.
 */
const TOOLBAR_FULL_WIDTH = 310 + (TOOLBAR_MAX_ITEMS - 4) * 40

/** The toolbar: the atlas's tools first, then a calm choice of tldraw's drawing tools. */
export function AtlasToolbar() {
  const tools = useTools()
  return (
    <DefaultToolbar maxItems={TOOLBAR_MAX_ITEMS} maxSizePx={TOOLBAR_FULL_WIDTH}>
      <SelectToolbarItem />
      <HandToolbarItem />
      {ATLAS_TOOLS.map((tool) => tools[tool.id] && <ToolbarItem key={tool.id} tool={tool.id} />)}
      <DrawToolbarItem />
      <TextToolbarItem />
      <NoteToolbarItem />
      <RectangleToolbarItem />
      <ArrowToolbarItem />
      <EraserToolbarItem />
      <EllipseToolbarItem />
      <LineToolbarItem />
      <HighlightToolbarItem />
      <LaserToolbarItem />
      <FrameToolbarItem />
    </DefaultToolbar>
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
