/** Messages of the maps part of the atlas screen: Dutch first, English second (same keys). */
export const mapsMessages = {
  nl: {},
  en: {},
} as const
