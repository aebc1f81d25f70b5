export { AtlasPageMenu, INSTRUMENT_ICONS, usePageName } from './AtlasPageMenu'
export { addContact, updateContact } from './contacts'
export {
  type EnsureAtlasPagesOptions,
  ensureAtlasPages,
  ensureAtlasPagesInStore,
} from './ensureAtlasPages'
export { registerInstrumentPageGuard } from './guard'
export { InstrumentOverlay } from './InstrumentOverlay'
export { PosterToggle } from './PosterEditor'
export { addQuestion, moveQuestion, removeQuestion, updatePoster, updateQuestion } from './poster'
export { atlasContentOf, useAtlasContent } from './useAtlasContent'
