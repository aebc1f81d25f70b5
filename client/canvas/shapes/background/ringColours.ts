import type { Sector } from '../../../../shared/schema/person'

/** A calm hue per sector (HSL degrees). */
export const SECTOR_HUES: Record<Sector, number> = {
  family: 24,
  friends: 140,
  neighbours: 48,
  work: 205,
  professionals: 275,
}

/** Lightness per ring, innermost (very close) darkest. */
export const RING_LIGHTNESS = [84, 88, 92, 95.5] as const

/** The fill of one cell of the map: a sector's hue, a ring's lightness. */
export function ringCellColour(sector: Sector, ring: number): string {
  return `hsl(${SECTOR_HUES[sector]} 45% ${RING_LIGHTNESS[ring]}%)`
}

/** The colour of a sector's name, written on the cells of that sector. */
export function sectorNameColour(sector: Sector): string {
  return `hsl(${SECTOR_HUES[sector]} 35% 30%)`
}

/**
 * The lines between rings and between sectors. Neighbouring cells differ too little in lightness
 * to tell the rings apart by colour (1.1:1), so the lines carry the structure: at least 3:1
 * against every cell (WCAG 1.4.11, checked in `colours.test.ts`).
 */
export const RING_LINE = '#5a6a73'

/** The colour of the ring names (on a white halo). */
export const RING_NAME_COLOUR = '#435158'
