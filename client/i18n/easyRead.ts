/** Messages of the easy-read switch, its toolbar and its dialog steps: Dutch first, English second. */
export const easyReadMessages = {
  nl: {
    switch: 'Makkelijk lezen',
    switchHint: 'Grotere letters, minder knoppen en korte zinnen',
    toolbar: 'Gereedschap',
    undo: 'Ongedaan maken',
    next: 'Volgende',
    back: 'Terug',
    step: 'Stap {{n}} van {{total}}',
  },
  en: {
    switch: 'Easy read',
    switchHint: 'Larger letters, fewer buttons and short sentences',
    toolbar: 'Tools',
    undo: 'Undo',
    next: 'Next',
    back: 'Back',
    step: 'Step {{n}} of {{total}}',
  },
} as const
