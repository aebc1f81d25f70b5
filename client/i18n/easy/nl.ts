import type { EasyCatalogue } from './types'

/**
 * Dutch easy-read texts: short sentences (at most 15 words), plain words. They take the place
 * of the normal text with the same key while easy-read is on; every other key keeps its text.
 */
export const easyNl = {
  app: {
    tagline: 'Teken je netwerk. Maak samen een plan.',
  },
  home: {
    newAtlas: 'Nieuwe atlas',
    clientName: 'Naam van de klant',
    create: 'Maak de atlas',
    recent: 'Jouw atlassen',
    recentEmpty: 'Hier komen jouw atlassen. Er is er nog geen.',
    open: 'Open',
    nameRequired: 'Schrijf eerst een naam.',
    createFailed: 'Dat lukte niet. {{reason}}',
  },
  atlas: {
    loading: 'Even wachten. De atlas gaat open.',
    home: 'Naar het begin',
  },
  status: {
    onlineHint: 'Alles is bewaard.',
    syncingHint: 'De anderen krijgen jouw werk.',
    offlineCalm: 'Geen internet. Ga gewoon door. Alles blijft bewaard.',
    unsavedHint: 'Je werk staat op dit apparaat. Het gaat later naar de server.',
  },
  share: {
    copy: 'Kopieer de link',
    copyFailed: 'Kopiëren lukt niet. Kopieer de link zelf.',
    qr: 'Scan deze code met een tablet of telefoon.',
    careful: 'Geef een link alleen aan mensen die je vertrouwt.',
  },
  name: {
    title: 'Hoe heet jij?',
    intro: 'De anderen zien jouw naam.',
    label: 'Jouw naam',
    save: 'Klaar',
  },
  access: {
    roleHints: {
      edit: 'Kijken en meetekenen.',
      view: 'Alleen kijken.',
      procesbegeleider: 'Alleen kijken. Niet bij de privétijd.',
      professional: 'Alleen kijken. Mag piketpaaltjes zetten. Niet bij de privétijd.',
    },
    readOnly: {
      view: 'Je kijkt mee. Je kunt niets veranderen.',
    },
    links: {
      title: 'Links',
      intro: 'Met een link kan iemand jouw atlas zien. Je kunt een link altijd stoppen.',
      list: 'Wie heeft een link?',
      make: 'Nieuwe link',
      whatMay: 'Wat mag deze persoon doen?',
      forWho: 'Voor wie is de link?',
      labelRequired: 'Schrijf eerst op voor wie de link is.',
      fieldRequired: 'Schrijf eerst iets op bij ‘{{field}}’.',
      makeButton: 'Maak de link',
      shownOnce: 'Je ziet deze link maar één keer. Kopieer hem nu. Of scan de code.',
      stopText: 'Met deze link kan niemand de atlas meer openen. Dit kan niet terug.',
      rotateText:
        'Heeft iemand een link die hij niet meer mag hebben? Maak dan een nieuwe link. Alle oude links om te tekenen stoppen.',
      handoverText:
        'Heb jij de atlas gemaakt voor de klant? Geef de atlas dan aan de klant. De klant krijgt een nieuwe link. Jij mag daarna alleen kijken.',
    },
  },
  shortcuts: {
    intro: 'Alles kan ook met het toetsenbord.',
    rows: {
      tab: 'Naar de volgende knop. Met Shift ga je terug.',
      mapTab: 'Kies het volgende ding op de kaart.',
      enter: 'Open wat je gekozen hebt.',
      escape: 'Terug naar de kaart.',
      arrows: 'Schuif wat je gekozen hebt.',
      newPerson: 'Maak een nieuwe persoon.',
      newEvent: 'Maak een nieuwe gebeurtenis.',
      connect: 'Open een persoon. Kies de ander bij Naar. Druk op Verbind.',
      maps: 'Naar een andere kaart.',
      help: 'Laat deze lijst zien.',
    },
  },
  maps: {
    emptyTimeline: {
      edit: 'Kies Gebeurtenis. Tik dan op de lijn. Of druk op Enter.',
      view: 'Hier komen de gebeurtenissen.',
    },
  },
  mapText: {
    show: 'Lees de kaart',
    hide: 'Verberg de tekst',
  },
  plan: {
    buttonHint: 'Naar het plan',
    toMapsHint: 'Terug naar de kaarten',
    readOnly: 'Je kijkt mee. Je kunt niets veranderen.',
    noQuestions: 'Er zijn nog geen vragen.',
    addQuestion: 'Nieuwe vraag',
    addAgreement: 'Nieuwe afspraak',
    noAgreements: 'Nog geen afspraken.',
    otherHint: 'Deze vraag staat niet meer op de basisposter.',
    piketpaaltjesIntro: 'Dit moet in het plan. Een professional zegt dat.',
    present: 'Groot laten zien',
    presentHint: 'Laat het plan groot zien aan de groep.',
    print: 'Printen',
    printHint: 'Maak een PDF van het plan.',
  },
  exportDialog: {
    buttonHint: 'Maak een plaatje of een PDF.',
  },
  meeting: {
    buttonHint: 'Naar de bijeenkomst',
  },
  easyRead: {
    switchHint: 'Grote letters. Minder knoppen. Korte zinnen.',
  },
} as const satisfies EasyCatalogue
