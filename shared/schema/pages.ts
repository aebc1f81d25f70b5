import type { TLPageId } from '@tldraw/tlschema'

/** The five instruments of the netwerkatlas, in order; each is a page with a fixed id. */
export const INSTRUMENTS = [
  'basisposter',
  'familiekaart',
  'relatiekaart',
  'contactschema',
  'gebeurteniskaart',
] as const
export type Instrument = (typeof INSTRUMENTS)[number]

/** The method's own names; they stay Dutch in every language. */
export const INSTRUMENT_NAMES: Record<Instrument, string> = {
  basisposter: 'Basisposter',
  familiekaart: 'Familiekaart',
  relatiekaart: 'Relatiekaart',
  contactschema: 'Contactschema',
  gebeurteniskaart: 'Gebeurteniskaart',
}

/** The page id of an instrument. Fixed ids let two devices create the pages at once and agree. */
export function instrumentPageId(instrument: Instrument): TLPageId {
  return `page:${instrument}` as TLPageId
}

/** The instrument a page shows, if it is one of the five. */
export function instrumentOfPage(pageId: string): Instrument | null {
  const name = pageId.replace(/^page:/, '')
  return (INSTRUMENTS as readonly string[]).includes(name) ? (name as Instrument) : null
}
