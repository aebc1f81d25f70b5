import type {
  TLAnyBindingUtilConstructor,
  TLAnyShapeUtilConstructor,
  TLStateNodeConstructor,
} from 'tldraw'
import { PosterAreaShapeUtil, RingMapShapeUtil, TimelineShapeUtil } from './shapes/background'
import { EventShapeUtil, EventTool } from './shapes/event'
import { AtlasGeoShapeUtil } from './shapes/geo'
import { PersonShapeUtil, PersonTool } from './shapes/person'
import { RelationEndBindingUtil, RelationShapeUtil, RelationTool } from './shapes/relation'

/*
 * `client/canvas/shapes/geo/` draws tldraw's geo shape for the screen (see `GeoShapeUtil.tsx`);
 * `menu.tsx` is tldraw's menu with the app's two languages, no dark scheme; `ui.tsx` is the
 * toolbar: the method's tools and the few drawing tools a poster needs; `keyboard.ts`: Tab on the
 * canvas walks the shapes, Tab in the panels moves the focus, Enter opens the inspector;
 * `preferences.ts` keeps tldraw's user preferences on the device. `client/canvas/pages/` lays out
 * the five pages: contact schedule table and basisposter editor as overlays placed where the
 * panels leave room; a fresh page is fitted there too, a map never with names under 12 px; the
 * Relatiekaart's legend, the empty Gebeurteniskaart's note. `legend.ts` holds the maps' signs and
 * words, for the screen and the sheets.
 *
 * A person is a `person` record (the entity); person shapes are views of it (`personId`) and read
 * it reactively, so a rename shows on every map. A relation is a shape whose two ends are
 * `relation-end` bindings to person shapes: the line follows, and a removed person view takes its
 * relations with it. On the relatiekaart a view's position is the entity's closeness and sector
 * (side effects write one from the other, user changes only).
 */

/** The atlas's own shapes, passed to <Tldraw> beside tldraw's defaults (one per schema shape). */
export const shapeUtils: TLAnyShapeUtilConstructor[] = [
  PersonShapeUtil,
  RelationShapeUtil,
  EventShapeUtil,
  PosterAreaShapeUtil,
  RingMapShapeUtil,
  TimelineShapeUtil,
]

/**
 * The shapes the on-screen canvas draws with: the atlas's own, and tldraw's geo shape with a
 * simpler drawing for pages seen from afar (same type, props and records as tldraw's).
 */
export const canvasShapeUtils: TLAnyShapeUtilConstructor[] = [...shapeUtils, AtlasGeoShapeUtil]

/** The atlas's own bindings. */
export const bindingUtils: TLAnyBindingUtilConstructor[] = [RelationEndBindingUtil]

/** The atlas's own tools; each has a toolbar entry (see ui.tsx). */
export const tools: TLStateNodeConstructor[] = [PersonTool, RelationTool, EventTool]
