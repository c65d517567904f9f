// The few messages the client writes itself (Herald's own come localized from the server),
// in the languages Herald speaks.
const MESSAGES = {
  en: {
    network: 'Herald could not be reached. Check the connection and try again.',
    badAnswer: 'Herald answered HTTP {status} without a GraphQL answer.',
    signedOut: 'You are signed out.',
    tokenExpired: 'The sign-in expired; it is being renewed.',
    sessionEnded: 'This session has ended; sign in again.',
    invalidCredential: 'The sign-in is not valid; sign in again.',
    rateLimited: 'Too many connections; try again in {seconds} s.',
    noSelection: 'There is no organization to choose: sign in first.',
  },
  cs: {
    network: 'Herald není dostupný. Zkontrolujte připojení a zkuste to znovu.',
    badAnswer: 'Herald odpověděl HTTP {status} bez odpovědi GraphQL.',
    signedOut: 'Jste odhlášeni.',
    tokenExpired: 'Přihlášení vypršelo; obnovuje se.',
    sessionEnded: 'Tato relace skončila; přihlaste se znovu.',
    invalidCredential: 'Přihlášení není platné; přihlaste se znovu.',
    rateLimited: 'Příliš mnoho spojení; zkuste to znovu za {seconds} s.',
    noSelection: 'Není z čeho vybírat: nejdřív se přihlaste.',
  },
  de: {
    network: 'Herald ist nicht erreichbar. Prüfen Sie die Verbindung und versuchen Sie es erneut.',
    badAnswer: 'Herald hat mit HTTP {status} ohne GraphQL-Antwort geantwortet.',
    signedOut: 'Sie sind abgemeldet.',
    tokenExpired: 'Die Anmeldung ist abgelaufen; sie wird erneuert.',
    sessionEnded: 'Diese Sitzung ist beendet; melden Sie sich erneut an.',
    invalidCredential: 'Die Anmeldung ist ungültig; melden Sie sich erneut an.',
    rateLimited: 'Zu viele Verbindungen; versuchen Sie es in {seconds} s erneut.',
    noSelection: 'Es gibt keine Organisation zur Auswahl: melden Sie sich zuerst an.',
  },
};

export type MessageKey = keyof (typeof MESSAGES)['en'];

/** The message in the locale's language (`de-AT` reads German), English when Herald has none. */
export function message(locale: string | undefined, key: MessageKey, params: Record<string, string | number> = {}) {
  const language = (locale ?? 'en').toLowerCase().split(/[-_]/)[0] as keyof typeof MESSAGES;
  const text = (MESSAGES[language] ?? MESSAGES.en)[key];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''));
}
