/** Messages of the people part of the atlas screen: Dutch first, English second (same keys). */
export const peopleMessages = {
  nl: {},
  en: {},
} as const
