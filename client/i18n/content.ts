/** Messages of the content part of the atlas screen: Dutch first, English second (same keys). */
export const contentMessages = {
  nl: {},
  en: {},
} as const
