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
  authorizationScheme: {
    en: 'The Authorization header must be "Bearer " followed by an access token or an API token, e.g. "Authorization: Bearer eyJ…".',
    cs: 'Hlavička Authorization musí obsahovat „Bearer “ a za ním přístupový token nebo API token, např. „Authorization: Bearer eyJ…“.',
    de: 'Der Authorization-Header muss „Bearer “ gefolgt von einem Zugriffstoken oder API-Token enthalten, z. B. „Authorization: Bearer eyJ…“.',
  },
  expiredAccessToken: {
    en: 'The access token has expired.',
    cs: 'Platnost přístupového tokenu vypršela.',
    de: 'Das Zugriffstoken ist abgelaufen.',
  },
  sessionEnded: {
    en: 'This session has ended; sign in again.',
    cs: 'Tato relace skončila; přihlaste se znovu.',
    de: 'Diese Sitzung ist beendet; bitte melden Sie sich erneut an.',
  },
  productMismatch: {
    en: 'This credential belongs to another product than the one the request names.',
    cs: 'Tento přihlašovací údaj patří k jinému produktu, než který požadavek uvádí.',
    de: 'Dieser Berechtigungsnachweis gehört zu einem anderen Produkt als dem, das die Anfrage nennt.',
  },
  subscriptionInactive: {
    en: "This organization's subscription is cancelled; it can be used again once the subscription is renewed.",
    cs: 'Předplatné této organizace je zrušeno; znovu ji lze používat po obnovení předplatného.',
    de: 'Das Abonnement dieser Organisation ist gekündigt; sie kann wieder genutzt werden, sobald es erneuert ist.',
  },
  featureDisabled: {
    en: "This needs the scope {scopes}, whose feature this organization's subscription does not include.",
    cs: 'Vyžaduje rozsah {scopes}, jehož funkci předplatné této organizace nezahrnuje.',
    de: 'Dafür ist der Geltungsbereich {scopes} nötig, dessen Feature das Abonnement dieser Organisation nicht umfasst.',
  },
  unknownFeature: {
    en: '{field}: "{feature}" is not a feature of this product.',
    cs: '{field}: „{feature}“ není funkcí tohoto produktu.',
    de: '{field}: „{feature}“ ist kein Feature dieses Produkts.',
  },
  invalidFeature: {
    en: '{field}: "{feature}" cannot be a feature: use lower-case letters, digits and underscores, and none of products, subscriptions, extensions.',
    cs: '{field}: „{feature}“ nemůže být funkcí: použijte malá písmena, číslice a podtržítka, a nic z products, subscriptions, extensions.',
    de: '{field}: „{feature}“ kann kein Feature sein: Kleinbuchstaben, Ziffern und Unterstriche, und keines von products, subscriptions, extensions.',
  },
  operatorOnly: {
    en: "Only the operators of this product may do this: the owners and admins of its operator organization, and that organization's service accounts.",
    cs: 'Tuto akci smějí provést jen provozovatelé tohoto produktu: vlastníci a správci jeho provozující organizace a její servisní účty.',
    de: 'Das dürfen nur die Betreiber dieses Produkts: Inhaber und Admins seiner Betreiberorganisation sowie deren Dienstkonten.',
  },
  productSlugTaken: {
    en: 'A product with the slug {slug} exists already.',
    cs: 'Produkt s identifikátorem {slug} již existuje.',
    de: 'Ein Produkt mit dem Kürzel {slug} existiert bereits.',
  },
  reservedProductSlug: {
    en: '{field}: {slug} is reserved; choose another slug.',
    cs: '{field}: {slug} je vyhrazený; zvolte jiný identifikátor.',
    de: '{field}: {slug} ist reserviert; bitte ein anderes Kürzel wählen.',
  },
  setByEnvironment: {
    en: '{field} of the default product is set by the environment variable {variable}; change it there.',
    cs: '{field} výchozího produktu nastavuje proměnná prostředí {variable}; změňte ji tam.',
    de: '{field} des Standardprodukts wird durch die Umgebungsvariable {variable} gesetzt; bitte dort ändern.',
  },
  invalidProductSlug: {
    en: '{field} must be one product slug: lower-case letters, digits and hyphens, at most 63 characters, e.g. "acme".',
    cs: '{field} musí být jeden identifikátor produktu: malá písmena, číslice a pomlčky, nejvýše 63 znaků, např. „acme“.',
    de: '{field} muss genau ein Produktkürzel sein: Kleinbuchstaben, Ziffern und Bindestriche, höchstens 63 Zeichen, z. B. „acme“.',
  },
  forbidden: {
    en: 'You are not allowed to do this.',
    cs: 'K této akci nemáte oprávnění.',
    de: 'Dazu sind Sie nicht berechtigt.',
  },
  forbiddenScopeRole: {
    en: 'You are not allowed to do this: it needs the scope {scopes}, which your role in this organization does not grant.',
    cs: 'K této akci nemáte oprávnění: vyžaduje rozsah {scopes}, který vaše role v této organizaci neuděluje.',
    de: 'Dazu sind Sie nicht berechtigt: Es erfordert den Geltungsbereich {scopes}, den Ihre Rolle in dieser Organisation nicht gewährt.',
  },
  forbiddenScopeToken: {
    en: 'You are not allowed to do this: it needs the scope {scopes}, which this API token does not hold.',
    cs: 'K této akci nemáte oprávnění: vyžaduje rozsah {scopes}, který tento API token nemá.',
    de: 'Dazu sind Sie nicht berechtigt: Es erfordert den Geltungsbereich {scopes}, den dieses API-Token nicht hat.',
  },
  forbiddenUsersOnly: {
    en: 'Only a signed-in user can do this, not an API token.',
    cs: 'Tuto akci může provést jen přihlášený uživatel, ne API token.',
    de: 'Das kann nur ein angemeldeter Benutzer, kein API-Token.',
  },
  forbiddenServiceAccountsOnly: {
    en: 'Only a service account, through an API token, can do this.',
    cs: 'Tuto akci může provést jen servisní účet pomocí API tokenu.',
    de: 'Das kann nur ein Dienstkonto über ein API-Token.',
  },
  forbiddenServiceAccountsWithScope: {
    en: 'Only a service account, with an API token holding {scopes}, can do this.',
    cs: 'Tuto akci může provést jen servisní účet s API tokenem, který má rozsah {scopes}.',
    de: 'Das kann nur ein Dienstkonto mit einem API-Token, das {scopes} hat.',
  },
  forbiddenOwnersOnly: {
    en: 'Only an owner of the organization can make, change or remove owners.',
    cs: 'Vlastníky může jmenovat, měnit nebo odebírat jen vlastník organizace.',
    de: 'Nur ein Eigentümer der Organisation kann Eigentümer ernennen, ändern oder entfernen.',
  },
  forbiddenBeyondOwnScopes: {
    en: 'You cannot hand out {scopes}: you do not hold it yourself.',
    cs: 'Rozsah {scopes} nemůžete udělit: sami ho nemáte.',
    de: '{scopes} können Sie nicht vergeben: Sie haben es selbst nicht.',
  },
  forbiddenCredentialBeyondOwnScopes: {
    en: 'You cannot change, rotate, revoke or delete a credential holding {scopes}: you do not hold it yourself.',
    cs: 'Přístupový údaj s rozsahem {scopes} nemůžete měnit, obnovit, odvolat ani smazat: sami ho nemáte.',
    de: 'Zugangsdaten mit {scopes} können Sie weder ändern, erneuern, widerrufen noch löschen: Sie haben es selbst nicht.',
  },
  forbiddenOwnExpiry: {
    en: 'An API token cannot extend its own expiry; another credential or a user holding its scopes must do it.',
    cs: 'API token si nemůže sám prodloužit platnost; musí to udělat jiný přístupový údaj nebo uživatel s jeho rozsahy.',
    de: 'Ein API-Token kann seine eigene Gültigkeit nicht verlängern; das muss ein anderer Zugang oder ein Benutzer mit seinen Geltungsbereichen tun.',
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
  invalidValueBecause: {
    en: '{field} is not valid: {reason}',
    cs: 'Hodnota pole {field} není platná: {reason}',
    de: '{field} ist ungültig: {reason}',
  },
  nulCharacter: {
    en: '{field} must not contain a NUL character (U+0000).',
    cs: 'Pole {field} nesmí obsahovat znak NUL (U+0000).',
    de: '{field} darf kein NUL-Zeichen (U+0000) enthalten.',
  },
  invalidDateTime: {
    en: 'Expected an ISO 8601 date-time with an offset, such as 2030-01-31T09:00:00Z.',
    cs: 'Očekává se datum a čas podle ISO 8601 s posunem, například 2030-01-31T09:00:00Z.',
    de: 'Erwartet wird ein ISO-8601-Zeitpunkt mit Zeitzonenversatz, etwa 2030-01-31T09:00:00Z.',
  },
  invalidDateTimeField: {
    en: '{field} must be an ISO 8601 date-time with an offset, such as 2030-01-31T09:00:00Z.',
    cs: 'Pole {field} musí být datum a čas podle ISO 8601 s posunem, například 2030-01-31T09:00:00Z.',
    de: '{field} muss ein ISO-8601-Zeitpunkt mit Zeitzonenversatz sein, etwa 2030-01-31T09:00:00Z.',
  },
  enumValue: {
    en: '{field} must be one of {allowed}, not {value}.',
    cs: 'Pole {field} musí být jedna z hodnot {allowed}, ne {value}.',
    de: '{field} muss einer der Werte {allowed} sein, nicht {value}.',
  },
  enumValueSuggestion: {
    en: '{field} must be one of {allowed}, not {value}. Did you mean {suggestion}?',
    cs: 'Pole {field} musí být jedna z hodnot {allowed}, ne {value}. Měli jste na mysli {suggestion}?',
    de: '{field} muss einer der Werte {allowed} sein, nicht {value}. Meinten Sie {suggestion}?',
  },
  expectedType: {
    en: '{field} must be of type {type}, not {value}.',
    cs: 'Pole {field} musí být typu {type}, ne {value}.',
    de: '{field} muss vom Typ {type} sein, nicht {value}.',
  },
  unknownField: {
    en: '{field} is not a field of {type}.',
    cs: '{field} není pole typu {type}.',
    de: '{field} ist kein Feld von {type}.',
  },
  unknownFieldSuggestion: {
    en: '{field} is not a field of {type}. Did you mean {suggestion}?',
    cs: '{field} není pole typu {type}. Měli jste na mysli {suggestion}?',
    de: '{field} ist kein Feld von {type}. Meinten Sie {suggestion}?',
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
  oauthClientRevoked: {
    en: 'The OAuth client this access token was issued to has been revoked or its secret rotated; request a new token.',
    cs: 'OAuth klient, kterému byl tento přístupový token vydán, byl zneplatněn nebo dostal nové tajemství; vyžádejte si nový token.',
    de: 'Der OAuth-Client, für den dieses Zugriffstoken ausgestellt wurde, wurde widerrufen oder sein Geheimnis erneuert; fordern Sie ein neues Token an.',
  },
  mcpNeedsCredential: {
    en: 'MCP needs "Authorization: Bearer <token>" with an API token (hld_…) or an OAuth client-credentials access token.',
    cs: 'MCP vyžaduje „Authorization: Bearer <token>“ s API tokenem (hld_…) nebo přístupovým tokenem OAuth klienta (client credentials).',
    de: 'MCP erfordert „Authorization: Bearer <token>“ mit einem API-Token (hld_…) oder einem OAuth-Zugriffstoken aus Client Credentials.',
  },
  mcpNeedsMachineCredential: {
    en: 'MCP acts as a service account: use an API token or an OAuth client-credentials access token, not a person’s access token.',
    cs: 'MCP jedná jako servisní účet: použijte API token nebo přístupový token OAuth klienta, ne přístupový token osoby.',
    de: 'MCP handelt als Dienstkonto: Verwenden Sie ein API-Token oder ein OAuth-Zugriffstoken aus Client Credentials, nicht das Zugriffstoken einer Person.',
  },
  invalidOAuthClient: {
    en: 'The OAuth client has been revoked.',
    cs: 'OAuth klient byl zneplatněn.',
    de: 'Der OAuth-Client wurde widerrufen.',
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
  invitationAccepted: {
    en: 'This invitation has already been accepted; remove the member instead.',
    cs: 'Tato pozvánka už byla přijata; místo toho člena odeberte.',
    de: 'Diese Einladung wurde bereits angenommen; entfernen Sie stattdessen das Mitglied.',
  },
  invitationRevoked: {
    en: 'This invitation has been revoked; invite the person again instead.',
    cs: 'Tato pozvánka byla zrušena; místo toho osobu pozvěte znovu.',
    de: 'Diese Einladung wurde widerrufen; laden Sie die Person stattdessen erneut ein.',
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
  mustBeAfter: {
    en: '{field} must be later than {other}.',
    cs: 'Pole {field} musí být později než {other}.',
    de: '{field} muss später als {other} sein.',
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
  forbiddenOwnLimits: {
    en: 'A token cannot change its own rate limit or budget; another credential with write:tokens can.',
    cs: 'Token nemůže měnit svůj vlastní limit ani rozpočet požadavků; může to jiný přístupový údaj s write:tokens.',
    de: 'Ein Token kann sein eigenes Limit oder Budget nicht ändern; ein anderer Berechtigungsnachweis mit write:tokens kann es.',
  },
  limitAbovePlan: {
    en: '{field} can only be lowered here: the plan allows at most {max}; the product operators can raise it.',
    cs: 'Pole {field} lze zde jen snížit: tarif dovoluje nejvýše {max}; zvýšit ho mohou provozovatelé produktu.',
    de: '{field} kann hier nur gesenkt werden: der Tarif erlaubt höchstens {max}; die Betreiber des Produkts können ihn erhöhen.',
  },
  organizationLimitReached: {
    en: 'The organization has reached its limit {limit}. Try again in {seconds} seconds.',
    cs: 'Organizace dosáhla svého limitu {limit}. Zkuste to znovu za {seconds} s.',
    de: 'Die Organisation hat ihr Limit {limit} erreicht. Versuchen Sie es in {seconds} Sekunden erneut.',
  },
  credentialLimitReached: {
    en: 'This credential has reached its limit {limit}. Try again in {seconds} seconds.',
    cs: 'Tento přístupový údaj dosáhl svého limitu {limit}. Zkuste to znovu za {seconds} s.',
    de: 'Dieser Berechtigungsnachweis hat sein Limit {limit} erreicht. Versuchen Sie es in {seconds} Sekunden erneut.',
  },
  tooManyStreams: {
    en: 'At most {max} subscription streams may be open at once for one sign-in.',
    cs: 'Pro jedno přihlášení smí být najednou otevřeno nejvýše {max} odběrů.',
    de: 'Pro Anmeldung dürfen höchstens {max} Abonnement-Streams gleichzeitig offen sein.',
  },
  tooManySubscriptions: {
    en: 'At most {max} operations may run on one connection.',
    cs: 'Na jednom spojení může běžet nejvýše {max} operací.',
    de: 'Auf einer Verbindung dürfen höchstens {max} Operationen laufen.',
  },
  invalidSlackWebhookUrl: {
    en: '{field} must be an absolute https URL of an incoming webhook, such as https://hooks.slack.com/services/…, without credentials and not pointing to a private address.',
    cs: 'Pole {field} musí být absolutní adresa https příchozího webhooku, například https://hooks.slack.com/services/…, bez přihlašovacích údajů a nesmí mířit na privátní adresu.',
    de: '{field} muss eine absolute https-URL eines eingehenden Webhooks sein, etwa https://hooks.slack.com/services/…, ohne Zugangsdaten und nicht auf eine private Adresse.',
  },
  // The landing pages of emailed links (src/http/link-pages.ts). `{mutation}` and the like
  // mark code, set in its own type on the page.
  invitationPageTitle: {
    en: 'Accept your invitation',
    cs: 'Přijetí pozvánky',
    de: 'Einladung annehmen',
  },
  invitationPageIntro: {
    en: 'You have been invited to join an organization on Herald. Herald is a service without pages of its own: usually the product that invited you opens this link. You can also accept here, with the token below.',
    cs: 'Byli jste pozváni do organizace v systému Herald. Herald je služba bez vlastních stránek: tento odkaz obvykle otevírá produkt, který vás pozval. Pozvánku můžete přijmout i zde, pomocí tokenu níže.',
    de: 'Sie wurden eingeladen, einer Organisation auf Herald beizutreten. Herald ist ein Dienst ohne eigene Seiten: Normalerweise öffnet das Produkt, das Sie eingeladen hat, diesen Link. Sie können die Einladung auch hier annehmen, mit dem Token unten.',
  },
  invitationPageHow: {
    en: 'To accept, call {mutation} on the GraphQL API at {endpoint}. New to Herald? Give your name and choose a password of at least 8 characters. Already have an account? Leave out the name and give your current password. The invitation works once, within {days} days of being sent.',
    cs: 'Pozvánku přijmete voláním {mutation} v GraphQL API na adrese {endpoint}. Jste v systému Herald noví? Zadejte své jméno a zvolte heslo o délce alespoň 8 znaků. Účet už máte? Jméno vynechte a zadejte své současné heslo. Pozvánka platí jednou, do {days} dnů od odeslání.',
    de: 'Zum Annehmen rufen Sie {mutation} über die GraphQL-API unter {endpoint} auf. Neu bei Herald? Geben Sie Ihren Namen an und wählen Sie ein Passwort mit mindestens 8 Zeichen. Sie haben schon ein Konto? Lassen Sie den Namen weg und geben Sie Ihr aktuelles Passwort an. Die Einladung gilt einmal, innerhalb von {days} Tagen nach dem Versand.',
  },
  invitationPageFillIn: {
    en: 'Fill in your name and a new password, or remove the name and give your current password; then run.',
    cs: 'Doplňte své jméno a nové heslo, nebo jméno odstraňte a zadejte své současné heslo; pak spusťte.',
    de: 'Tragen Sie Ihren Namen und ein neues Passwort ein, oder entfernen Sie den Namen und geben Sie Ihr aktuelles Passwort an; dann ausführen.',
  },
  resetPageTitle: {
    en: 'Reset your password',
    cs: 'Obnovení hesla',
    de: 'Passwort zurücksetzen',
  },
  resetPageIntro: {
    en: 'Someone asked to reset the password of your Herald account. Herald is a service without pages of its own: usually your product opens this link. You can also set the new password here, with the token below. If it was not you, close this page; your password stays as it is.',
    cs: 'Někdo požádal o obnovení hesla k vašemu účtu v systému Herald. Herald je služba bez vlastních stránek: tento odkaz obvykle otevírá váš produkt. Nové heslo můžete nastavit i zde, pomocí tokenu níže. Pokud jste to nebyli vy, stránku zavřete; vaše heslo zůstane beze změny.',
    de: 'Jemand hat angefordert, das Passwort Ihres Herald-Kontos zurückzusetzen. Herald ist ein Dienst ohne eigene Seiten: Normalerweise öffnet Ihr Produkt diesen Link. Sie können das neue Passwort auch hier setzen, mit dem Token unten. Wenn Sie es nicht waren, schließen Sie diese Seite; Ihr Passwort bleibt unverändert.',
  },
  resetPageHow: {
    en: 'To set a new password, call {mutation} on the GraphQL API at {endpoint}, then sign in with {login}. The token works once, within {minutes} minutes of being sent, and every session of the account ends.',
    cs: 'Nové heslo nastavíte voláním {mutation} v GraphQL API na adrese {endpoint}; pak se přihlaste pomocí {login}. Token platí jednou, do {minutes} minut od odeslání, a všechna přihlášení k účtu skončí.',
    de: 'Für ein neues Passwort rufen Sie {mutation} über die GraphQL-API unter {endpoint} auf und melden sich dann mit {login} an. Das Token gilt einmal, innerhalb von {minutes} Minuten nach dem Versand, und alle Sitzungen des Kontos enden.',
  },
  resetPageFillIn: {
    en: 'Fill in a new password of at least 8 characters, then run.',
    cs: 'Doplňte nové heslo o délce alespoň 8 znaků, pak spusťte.',
    de: 'Tragen Sie ein neues Passwort mit mindestens 8 Zeichen ein, dann ausführen.',
  },
  linkPageToken: {
    en: 'Your token',
    cs: 'Váš token',
    de: 'Ihr Token',
  },
  linkPageExample: {
    en: 'Ready to run, with your token filled in',
    cs: 'Připraveno ke spuštění, s vaším tokenem',
    de: 'Bereit zum Ausführen, mit Ihrem Token',
  },
  linkPageAcceptInConsole: {
    en: 'Accept it in the Herald console',
    cs: 'Přijmout ji v konzoli Herald',
    de: 'In der Herald-Konsole annehmen',
  },
  linkPageResetInConsole: {
    en: 'Set the new password in the Herald console',
    cs: 'Nastavit nové heslo v konzoli Herald',
    de: 'Das neue Passwort in der Herald-Konsole festlegen',
  },
  linkPageOpenExplorer: {
    en: 'Open it in GraphiQL',
    cs: 'Otevřít v GraphiQL',
    de: 'In GraphiQL öffnen',
  },
  linkPageNoToken: {
    en: 'This link has lost its token. Open the whole link from the email; if it is broken across lines, copy all of it into the address bar.',
    cs: 'Tomuto odkazu chybí token. Otevřete celý odkaz z e-mailu; pokud je rozdělený na více řádků, zkopírujte do adresního řádku celý.',
    de: 'Diesem Link fehlt das Token. Öffnen Sie den vollständigen Link aus der E-Mail; ist er auf mehrere Zeilen umbrochen, kopieren Sie ihn ganz in die Adresszeile.',
  },
  consoleTitle: {
    en: 'Herald console',
    cs: 'Konzole Herald',
    de: 'Herald-Konsole',
  },
  consoleNeedsScript: {
    en: 'The Herald console needs JavaScript.',
    cs: 'Konzole Herald potřebuje JavaScript.',
    de: 'Die Herald-Konsole braucht JavaScript.',
  },
  linkPageOperators: {
    en: 'This page stands in for the product’s own. Operators send these links to their frontend with {variable}.',
    cs: 'Tato stránka zastupuje stránku produktu. Provozovatelé tyto odkazy posílají na svůj frontend pomocí {variable}.',
    de: 'Diese Seite vertritt die Seite des Produkts. Betreiber leiten diese Links mit {variable} auf ihr Frontend.',
  },
  internal: {
    en: 'Something went wrong on our side (reference {requestId}).',
    cs: 'Na naší straně došlo k chybě (reference {requestId}).',
    de: 'Bei uns ist ein Fehler aufgetreten (Referenz {requestId}).',
  },
  unknownWebhookEvent: {
    en: 'Unknown event type "{event}". Valid event types: {allowed}.',
    cs: 'Neznámý typ události „{event}“. Platné typy událostí: {allowed}.',
    de: 'Unbekannter Ereignistyp „{event}“. Gültig sind: {allowed}.',
  },
  invalidWebhookUrl: {
    en: '{field} must be an absolute https URL without credentials, e.g. https://hooks.example.com/herald.',
    cs: 'Pole {field} musí být absolutní https URL bez přihlašovacích údajů, např. https://hooks.example.com/herald.',
    de: '{field} muss eine absolute https-URL ohne Zugangsdaten sein, z. B. https://hooks.example.com/herald.',
  },
  webhookTargetForbidden: {
    en: '{field} leads to a loopback, private, link-local or other non-public address, which webhooks may not reach.',
    cs: 'Pole {field} vede na adresu loopback, privátní, link-local nebo jinou neveřejnou, kam webhooky nesmějí.',
    de: '{field} führt zu einer Loopback-, privaten, Link-Local- oder anderen nicht öffentlichen Adresse, die Webhooks nicht erreichen dürfen.',
  },
  webhookHostUnresolvable: {
    en: 'The host of {field} does not resolve.',
    cs: 'Hostitele v poli {field} nelze přeložit na adresu.',
    de: 'Der Host von {field} lässt sich nicht auflösen.',
  },
  notificationTypeLocked: {
    en: '{type} notifications cannot be turned off in the app: they ask for action.',
    cs: 'Oznámení {type} nelze v aplikaci vypnout: vyžadují zásah.',
    de: '{type}-Benachrichtigungen lassen sich in der App nicht abschalten: Sie erfordern ein Handeln.',
  },
  notificationChannelOrganizationOnly: {
    en: '{channel} is set for the whole organization only: send {field}: true (owners and admins).',
    cs: '{channel} se nastavuje jen pro celou organizaci: pošlete {field}: true (vlastníci a správci).',
    de: '{channel} wird nur für die ganze Organisation festgelegt: senden Sie {field}: true (Inhaber und Admins).',
  },
  recipientMuted: {
    en: 'The recipient has turned off these notifications; nothing was stored.',
    cs: 'Příjemce si tato oznámení vypnul; nic nebylo uloženo.',
    de: 'Der Empfänger hat diese Benachrichtigungen abgeschaltet; nichts wurde gespeichert.',
  },
  unreadOnlyWithStatus: {
    en: 'Give either {field} or filter.status, not both ({field}: true means status UNREAD).',
    cs: 'Uveďte buď {field}, nebo filter.status, ne obojí ({field}: true znamená status UNREAD).',
    de: 'Geben Sie entweder {field} oder filter.status an, nicht beides ({field}: true bedeutet status UNREAD).',
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
