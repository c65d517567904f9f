// Every message a client can see, in each supported language. `{name}` marks a parameter.
export const LOCALES = ['en', 'cs', 'de'] as const;
export type Locale = (typeof LOCALES)[number];

const catalog = {
  unauthenticated: {
    en: 'Authentication required.',
    cs: 'Je vyžadováno přihlášení.',
    de: 'Anmeldung erforderlich.',
  },
  invalidAccessToken: {
    en: 'The access token is invalid.',
    cs: 'Přístupový token je neplatný.',
    de: 'Das Zugriffstoken ist ungültig.',
  },
  expiredAccessToken: {
    en: 'The access token has expired.',
    cs: 'Platnost přístupového tokenu vypršela.',
    de: 'Das Zugriffstoken ist abgelaufen.',
  },
  forbidden: {
    en: 'You are not allowed to do this.',
    cs: 'K této akci nemáte oprávnění.',
    de: 'Dazu sind Sie nicht berechtigt.',
  },
  notFound: {
    en: '{entity} not found.',
    cs: 'Položka {entity} nebyla nalezena.',
    de: '{entity} wurde nicht gefunden.',
  },
  invalidCredentials: {
    en: 'Invalid email or password.',
    cs: 'Neplatný e-mail nebo heslo.',
    de: 'E-Mail-Adresse oder Passwort ist falsch.',
  },
  wrongCurrentPassword: {
    en: 'The current password is wrong.',
    cs: 'Současné heslo není správné.',
    de: 'Das aktuelle Passwort ist falsch.',
  },
  required: {
    en: '{field} is required.',
    cs: 'Pole {field} je povinné.',
    de: '{field} ist erforderlich.',
  },
  invalidValue: {
    en: '{field} is not valid.',
    cs: 'Hodnota pole {field} není platná.',
    de: '{field} ist ungültig.',
  },
  invalidLink: {
    en: '{field} must be a path in the app (starting with a single /) or an absolute http(s) URL.',
    cs: 'Pole {field} musí být cesta v aplikaci (začínající jedním /) nebo absolutní adresa http(s).',
    de: '{field} muss ein Pfad in der Anwendung (beginnend mit einem einzelnen /) oder eine absolute http(s)-URL sein.',
  },
  invalidEmail: {
    en: 'Enter a valid email address.',
    cs: 'Zadejte platnou e-mailovou adresu.',
    de: 'Geben Sie eine gültige E-Mail-Adresse ein.',
  },
  tooShort: {
    en: '{field} must have at least {min} characters.',
    cs: 'Pole {field} musí mít alespoň {min} znaků.',
    de: '{field} muss mindestens {min} Zeichen lang sein.',
  },
  tooLong: {
    en: '{field} must have at most {max} characters.',
    cs: 'Pole {field} může mít nejvýše {max} znaků.',
    de: '{field} darf höchstens {max} Zeichen lang sein.',
  },
  passwordTooCommon: {
    en: 'This password is too common; choose another one.',
    cs: 'Toto heslo je příliš běžné, zvolte jiné.',
    de: 'Dieses Passwort ist zu verbreitet; wählen Sie ein anderes.',
  },
  unsupportedLocale: {
    en: 'Locale must be one of: {allowed}.',
    cs: 'Jazyk musí být jeden z: {allowed}.',
    de: 'Die Sprache muss eine der folgenden sein: {allowed}.',
  },
  invalidRefreshToken: {
    en: 'The refresh token is invalid or has expired.',
    cs: 'Obnovovací token je neplatný nebo vypršel.',
    de: 'Das Aktualisierungstoken ist ungültig oder abgelaufen.',
  },
  invalidSelectionToken: {
    en: 'The organization selection is invalid, expired or already used.',
    cs: 'Výběr organizace je neplatný, vypršel nebo už byl použit.',
    de: 'Die Organisationsauswahl ist ungültig, abgelaufen oder bereits verwendet.',
  },
  invalidResetToken: {
    en: 'The password reset link is invalid, expired or already used.',
    cs: 'Odkaz pro obnovení hesla je neplatný, vypršel nebo už byl použit.',
    de: 'Der Link zum Zurücksetzen des Passworts ist ungültig, abgelaufen oder bereits verwendet.',
  },
  invalidApiToken: {
    en: 'The API token is invalid or has been revoked.',
    cs: 'API token je neplatný nebo byl zneplatněn.',
    de: 'Das API-Token ist ungültig oder wurde widerrufen.',
  },
  expiredApiToken: {
    en: 'The API token has expired.',
    cs: 'Platnost API tokenu vypršela.',
    de: 'Das API-Token ist abgelaufen.',
  },
  unknownScope: {
    en: 'Unknown scope "{scope}". Valid scopes: {allowed}.',
    cs: 'Neznámý rozsah „{scope}“. Platné rozsahy: {allowed}.',
    de: 'Unbekannter Geltungsbereich „{scope}“. Gültig sind: {allowed}.',
  },
  mustBeInFuture: {
    en: '{field} must be in the future.',
    cs: 'Pole {field} musí být v budoucnosti.',
    de: '{field} muss in der Zukunft liegen.',
  },
  tooFarInFuture: {
    en: '{field} may be at most {days} days ahead.',
    cs: 'Pole {field} může být nejvýše {days} dní dopředu.',
    de: '{field} darf höchstens {days} Tage in der Zukunft liegen.',
  },
  lastOwner: {
    en: 'The last owner of an organization can be neither demoted nor removed.',
    cs: 'Posledního vlastníka organizace nelze ponížit ani odebrat.',
    de: 'Der letzte Eigentümer einer Organisation kann weder herabgestuft noch entfernt werden.',
  },
  alreadyMember: {
    en: 'This person is already a member of the organization.',
    cs: 'Tato osoba už je členem organizace.',
    de: 'Diese Person ist bereits Mitglied der Organisation.',
  },
  invalidInvitation: {
    en: 'The invitation is invalid, expired or already used.',
    cs: 'Pozvánka je neplatná, vypršela nebo už byla použita.',
    de: 'Die Einladung ist ungültig, abgelaufen oder bereits verwendet.',
  },
  slugTaken: {
    en: 'The slug "{slug}" is already taken.',
    cs: 'Identifikátor „{slug}“ už je obsazený.',
    de: 'Der Kurzname „{slug}“ ist bereits vergeben.',
  },
  invalidSlug: {
    en: '{field} may contain only lowercase letters, digits and single dashes.',
    cs: 'Pole {field} smí obsahovat jen malá písmena, číslice a jednotlivé pomlčky.',
    de: '{field} darf nur Kleinbuchstaben, Ziffern und einzelne Bindestriche enthalten.',
  },
  rateLimited: {
    en: 'Too many attempts. Try again in {seconds} seconds.',
    cs: 'Příliš mnoho pokusů. Zkuste to znovu za {seconds} s.',
    de: 'Zu viele Versuche. Versuchen Sie es in {seconds} Sekunden erneut.',
  },
  queryRejected: {
    en: 'The query is too large or too complex: {reason}',
    cs: 'Dotaz je příliš velký nebo složitý: {reason}',
    de: 'Die Abfrage ist zu groß oder zu komplex: {reason}',
  },
  unavailable: {
    en: 'The service is temporarily unavailable. Try again shortly.',
    cs: 'Služba je dočasně nedostupná. Zkuste to za chvíli znovu.',
    de: 'Der Dienst ist vorübergehend nicht verfügbar. Versuchen Sie es gleich erneut.',
  },
  mustBeLessThan: {
    en: '{field} must be less than {other}.',
    cs: 'Pole {field} musí být menší než {other}.',
    de: '{field} muss kleiner als {other} sein.',
  },
  nameTaken: {
    en: 'This name is already used in the organization.',
    cs: 'Tento název už v organizaci existuje.',
    de: 'Dieser Name wird in der Organisation bereits verwendet.',
  },
  notAMember: {
    en: '{field} must be a member of the organization.',
    cs: 'Pole {field} musí být členem organizace.',
    de: '{field} muss Mitglied der Organisation sein.',
  },
  unknownReference: {
    en: '{field} does not refer to anything in this organization.',
    cs: 'Pole {field} neodkazuje na nic v této organizaci.',
    de: '{field} verweist auf nichts in dieser Organisation.',
  },
  tooManySubscriptions: {
    en: 'At most {max} operations may run on one connection.',
    cs: 'Na jednom spojení může běžet nejvýše {max} operací.',
    de: 'Auf einer Verbindung dürfen höchstens {max} Operationen laufen.',
  },
  internal: {
    en: 'Something went wrong on our side (reference {requestId}).',
    cs: 'Na naší straně došlo k chybě (reference {requestId}).',
    de: 'Bei uns ist ein Fehler aufgetreten (Referenz {requestId}).',
  },
} satisfies Record<string, Record<Locale, string>>;

export type MessageKey = keyof typeof catalog;
export type MessageParams = Record<string, string | number>;

export function translate(locale: Locale, key: MessageKey, params: MessageParams = {}): string {
  return catalog[key][locale].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}

/** Picks the best supported language from an Accept-Language header, honouring q-values. */
export function negotiateLocale(header: string | null | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((entry) => entry.tag && Number.isFinite(entry.q) && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    const base = tag.split('-')[0] ?? '';
    if (isLocale(base)) return base;
  }
  return undefined;
}
