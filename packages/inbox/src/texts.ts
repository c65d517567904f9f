// What the element says, in English, Czech and German: the `lang` attribute, else the
// document's language, else English.
export const LANGUAGES = ['en', 'cs', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];

const en = {
  notifications: 'Notifications',
  unread: (n: number) => (n === 1 ? '1 unread' : `${n} unread`),
  inbox: 'Inbox',
  archived: 'Archived',
  settings: 'Settings',
  unreadOnly: 'Unread only',
  markAllRead: 'Mark all as read',
  markRead: 'Mark as read',
  markUnread: 'Mark as unread',
  archive: 'Archive',
  unarchive: 'Move to inbox',
  close: 'Close',
  empty: 'You are all caught up.',
  emptyArchive: 'Nothing archived.',
  loading: 'Loading…',
  offline: 'Offline: new notifications will appear when the connection is back.',
  failed: 'Notifications could not be loaded.',
  retry: 'Try again',
  inApp: 'In the app',
  email: 'Email',
  locked: 'Always on',
  types: {
    ASSIGNMENT: 'Assignments',
    SLA_WARNING: 'SLA warnings',
    SLA_BREACH: 'SLA breaches',
    CUSTOM: 'Product updates',
    SECURITY_ALERT: 'Security alerts',
    WEBHOOK_DISABLED: 'Disabled webhooks',
  } as Record<string, string>,
};
export type Texts = typeof en;

const cs: Texts = {
  notifications: 'Oznámení',
  unread: (n) => `nepřečtená: ${n}`,
  inbox: 'Doručené',
  archived: 'Archiv',
  settings: 'Nastavení',
  unreadOnly: 'Jen nepřečtená',
  markAllRead: 'Označit vše jako přečtené',
  markRead: 'Označit jako přečtené',
  markUnread: 'Označit jako nepřečtené',
  archive: 'Archivovat',
  unarchive: 'Vrátit do doručených',
  close: 'Zavřít',
  empty: 'Máte vše přečteno.',
  emptyArchive: 'Archiv je prázdný.',
  loading: 'Načítání…',
  offline: 'Offline: nová oznámení se objeví, až bude spojení zpět.',
  failed: 'Oznámení se nepodařilo načíst.',
  retry: 'Zkusit znovu',
  inApp: 'V aplikaci',
  email: 'E-mail',
  locked: 'Vždy zapnuto',
  types: {
    ASSIGNMENT: 'Přiřazení',
    SLA_WARNING: 'Varování SLA',
    SLA_BREACH: 'Porušení SLA',
    CUSTOM: 'Novinky produktu',
    SECURITY_ALERT: 'Bezpečnostní upozornění',
    WEBHOOK_DISABLED: 'Vypnuté webhooky',
  },
};

const de: Texts = {
  notifications: 'Benachrichtigungen',
  unread: (n) => `${n} ungelesen`,
  inbox: 'Posteingang',
  archived: 'Archiv',
  settings: 'Einstellungen',
  unreadOnly: 'Nur ungelesene',
  markAllRead: 'Alle als gelesen markieren',
  markRead: 'Als gelesen markieren',
  markUnread: 'Als ungelesen markieren',
  archive: 'Archivieren',
  unarchive: 'In den Posteingang',
  close: 'Schließen',
  empty: 'Sie sind auf dem neuesten Stand.',
  emptyArchive: 'Nichts archiviert.',
  loading: 'Wird geladen…',
  offline: 'Offline: Neue Benachrichtigungen erscheinen, sobald die Verbindung zurück ist.',
  failed: 'Benachrichtigungen konnten nicht geladen werden.',
  retry: 'Erneut versuchen',
  inApp: 'In der App',
  email: 'E-Mail',
  locked: 'Immer an',
  types: {
    ASSIGNMENT: 'Zuweisungen',
    SLA_WARNING: 'SLA-Warnungen',
    SLA_BREACH: 'SLA-Verletzungen',
    CUSTOM: 'Produktneuigkeiten',
    SECURITY_ALERT: 'Sicherheitswarnungen',
    WEBHOOK_DISABLED: 'Deaktivierte Webhooks',
  },
};

const TEXTS: Record<Language, Texts> = { en, cs, de };

export function languageOf(requested: string | null | undefined): Language {
  const base = (requested ?? '').toLowerCase().split('-')[0] as Language;
  return LANGUAGES.includes(base) ? base : 'en';
}

export const textsFor = (language: Language) => TEXTS[language];

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 31_536_000],
  ['month', 2_592_000],
  ['week', 604_800],
  ['day', 86_400],
  ['hour', 3600],
  ['minute', 60],
];

/** "2 minutes ago", "yesterday", "právě teď": the largest unit that fits. */
export function relativeTime(language: Language, at: string, now = Date.now()): string {
  const seconds = Math.round((new Date(at).getTime() - now) / 1000);
  const format = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return format.format(0, 'second');
}
