import type { easyNl } from './nl'
import type { SameKeys } from './types'

/** English easy-read texts: the Dutch easy catalogue's keys, short sentences (at most 15 words). */
export const easyEn: SameKeys<typeof easyNl> = {
  app: {
    tagline: 'Draw your network. Make a plan together.',
  },
  home: {
    newAtlas: 'New atlas',
    clientName: 'Name of the client',
    create: 'Make the atlas',
    recent: 'Your atlases',
    recentEmpty: 'Your atlases come here. There is none yet.',
    open: 'Open',
    nameRequired: 'Write a name first.',
    createFailed: 'That did not work. {{reason}}',
  },
  atlas: {
    loading: 'Please wait. The atlas opens.',
    home: 'To the start',
  },
  status: {
    onlineHint: 'Everything is saved.',
    syncingHint: 'The others get your work.',
    offlineCalm: 'No internet. Just go on. Everything stays saved.',
    unsavedHint: 'Your work is on this device. It goes to the server later.',
  },
  share: {
    copy: 'Copy the link',
    copyFailed: 'Copying does not work. Copy the link yourself.',
    qr: 'Scan this code with a tablet or phone.',
    careful: 'Only give a link to people you trust.',
  },
  name: {
    title: 'What is your name?',
    intro: 'The others see your name.',
    label: 'Your name',
    save: 'Done',
  },
  access: {
    roleHints: {
      edit: 'Look and draw along.',
      view: 'Only look.',
      procesbegeleider: 'Only look. Not there during private time.',
      professional: 'Only look. Can set conditions. Not there during private time.',
    },
    readOnly: {
      view: 'You are looking. You cannot change anything.',
    },
    links: {
      title: 'Links',
      intro: 'With a link someone can see your atlas. You can always stop a link.',
      list: 'Who has a link?',
      make: 'New link',
      whatMay: 'What may this person do?',
      forWho: 'Who is the link for?',
      labelRequired: 'First write who the link is for.',
      fieldRequired: 'First write something at ‘{{field}}’.',
      makeButton: 'Make the link',
      shownOnce: 'You see this link only once. Copy it now. Or scan the code.',
      stopText: 'Nobody can open the atlas with this link anymore. This cannot be undone.',
      rotateText:
        'Does someone have a link he should not have? Then make a new link. All old links to draw stop.',
      handoverText:
        'Did you make the atlas for the client? Then give the atlas to the client. The client gets a new link. After that you may only look.',
    },
  },
  shortcuts: {
    intro: 'You can do everything with the keyboard too.',
    rows: {
      tab: 'To the next button. With Shift you go back.',
      mapTab: 'Choose the next thing on the map.',
      enter: 'Open what you chose.',
      escape: 'Back to the map.',
      arrows: 'Move what you chose.',
      newPerson: 'Make a new person.',
      newEvent: 'Make a new event.',
      connect: 'Open a person. Choose the other at To. Press Connect.',
      maps: 'To another map.',
      help: 'Show this list.',
    },
  },
  maps: {
    emptyTimeline: {
      edit: 'Choose Event. Then tap on the line. Or press Enter.',
      view: 'The events come here.',
    },
  },
  mapText: {
    show: 'Read the map',
    hide: 'Hide the text',
  },
  plan: {
    buttonHint: 'To the plan',
    toMapsHint: 'Back to the maps',
    readOnly: 'You are looking. You cannot change anything.',
    noQuestions: 'There are no questions yet.',
    addQuestion: 'New question',
    addAgreement: 'New agreement',
    noAgreements: 'No agreements yet.',
    otherHint: 'This question is no longer on the main poster.',
    piketpaaltjesIntro: 'This must be in the plan. A professional says so.',
    present: 'Show it big',
    presentHint: 'Show the plan big to the group.',
    print: 'Print',
    printHint: 'Make a PDF of the plan.',
  },
  exportDialog: {
    buttonHint: 'Make a picture or a PDF.',
  },
  meeting: {
    buttonHint: 'To the meeting',
  },
  easyRead: {
    switchHint: 'Big letters. Fewer buttons. Short sentences.',
  },
}
