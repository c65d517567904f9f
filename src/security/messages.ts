// What a security alert says, in each supported language: the notification and the email
// use the recipient's language, Slack (one channel for the whole organization) English.
// Parameters are display values only: names, emails, display prefixes, addresses, never a
// secret.
import type { Locale } from '../i18n/messages.ts';

type Text = Record<Locale, string>;

/** One entry per cause, or per cause and variant (`new_ip:api_token`). */
const alerts = {
  refresh_token_reuse: {
    title: {
      en: 'A refresh token of {user} was used twice',
      cs: 'Obnovovací token uživatele {user} byl použit dvakrát',
      de: 'Ein Aktualisierungstoken von {user} wurde zweimal verwendet',
    },
    message: {
      en: 'A refresh token of {user} came back from {ip} after it had been replaced, so someone other than its owner may hold it. Herald ended that sign-in on every device that shared it. If it was not them, they should change their password.',
      cs: 'Obnovovací token uživatele {user} přišel z adresy {ip} znovu poté, co už byl nahrazen, takže ho může mít někdo jiný než jeho vlastník. Herald toto přihlášení ukončil na všech zařízeních, která ho sdílela. Pokud to nebyl on, měl by si změnit heslo.',
      de: 'Ein Aktualisierungstoken von {user} kam von {ip} erneut, nachdem es bereits ersetzt worden war; jemand anderes als sein Inhaber könnte es besitzen. Herald hat diese Anmeldung auf allen Geräten beendet, die sie teilten. Wenn es nicht die Person selbst war, sollte sie ihr Passwort ändern.',
    },
  },
  'new_ip:api_token': {
    title: {
      en: 'API token {credential} used from a new address',
      cs: 'API token {credential} byl použit z nové adresy',
      de: 'API-Token {credential} von einer neuen Adresse verwendet',
    },
    message: {
      en: 'The API token {credential} of the service account {owner} was used from {ip}, an address it had not been used from before. If you do not recognise it, rotate or revoke the token.',
      cs: 'API token {credential} servisního účtu {owner} byl použit z adresy {ip}, ze které dosud použit nebyl. Pokud ji neznáte, token obnovte nebo zneplatněte.',
      de: 'Das API-Token {credential} des Dienstkontos {owner} wurde von {ip} verwendet, einer Adresse, von der es bisher nicht verwendet wurde. Wenn Sie sie nicht kennen, erneuern oder widerrufen Sie das Token.',
    },
  },
  'new_ip:oauth_client': {
    title: {
      en: 'OAuth client {credential} used from a new address',
      cs: 'OAuth klient {credential} byl použit z nové adresy',
      de: 'OAuth-Client {credential} von einer neuen Adresse verwendet',
    },
    message: {
      en: 'The OAuth client {credential} authenticated from {ip}, an address it had not authenticated from before. If you do not recognise it, rotate its secret or delete the client.',
      cs: 'OAuth klient {credential} se přihlásil z adresy {ip}, ze které se dosud nepřihlašoval. Pokud ji neznáte, změňte jeho tajný klíč nebo klienta smažte.',
      de: 'Der OAuth-Client {credential} hat sich von {ip} angemeldet, einer Adresse, von der er sich bisher nicht angemeldet hat. Wenn Sie sie nicht kennen, erneuern Sie sein Geheimnis oder löschen Sie den Client.',
    },
  },
  account_locked: {
    title: {
      en: 'Sign-in to {user} locked after {failures} failed attempts',
      cs: 'Přihlašování k účtu {user} zablokováno po {failures} neúspěšných pokusech',
      de: 'Anmeldung bei {user} nach {failures} Fehlversuchen gesperrt',
    },
    message: {
      en: 'Sign-in to {user} failed {failures} times within {minutes} minutes, the last attempt from {ip}. Until that time has passed, sign-in is refused from addresses it has not signed in from before; where it has, it still works. If it was not them, someone may be guessing their password.',
      cs: 'Přihlášení k účtu {user} selhalo {failures}krát během {minutes} minut, poslední pokus z adresy {ip}. Do uplynutí této doby je přihlášení odmítáno z adres, ze kterých se k účtu dosud nepřihlašoval; z těch, ze kterých ano, funguje dál. Pokud to nebyl on, může se někdo snažit uhodnout jeho heslo.',
      de: 'Die Anmeldung bei {user} ist innerhalb von {minutes} Minuten {failures}-mal fehlgeschlagen, zuletzt von {ip}. Bis diese Zeit vergangen ist, wird die Anmeldung von Adressen abgewiesen, von denen sich das Konto bisher nicht angemeldet hat; von den bekannten funktioniert sie weiter. Wenn es nicht die Person selbst war, versucht womöglich jemand, ihr Passwort zu erraten.',
    },
  },
  'privileged_token:created': {
    title: {
      en: 'API token with write:* created',
      cs: 'Vytvořen API token s rozsahem write:*',
      de: 'API-Token mit write:* erstellt',
    },
    message: {
      en: '{actor} created the API token {credential} for the service account {owner} with write:*, which allows everything in the organization.',
      cs: '{actor} vytvořil(a) API token {credential} pro servisní účet {owner} s rozsahem write:*, který v organizaci dovoluje vše.',
      de: '{actor} hat das API-Token {credential} für das Dienstkonto {owner} mit write:* erstellt, das in der Organisation alles erlaubt.',
    },
  },
  'privileged_token:oauth_client_created': {
    title: {
      en: 'OAuth client with write:* created',
      cs: 'Vytvořen OAuth klient s rozsahem write:*',
      de: 'OAuth-Client mit write:* erstellt',
    },
    message: {
      en: '{actor} created the OAuth client {credential} for the service account {owner} with write:*, which allows everything in the organization.',
      cs: '{actor} vytvořil(a) OAuth klienta {credential} pro servisní účet {owner} s rozsahem write:*, který v organizaci dovoluje vše.',
      de: '{actor} hat den OAuth-Client {credential} für das Dienstkonto {owner} mit write:* erstellt, der in der Organisation alles erlaubt.',
    },
  },
  'privileged_token:rotated': {
    title: {
      en: 'API token with write:* rotated',
      cs: 'API token s rozsahem write:* byl obnoven',
      de: 'API-Token mit write:* erneuert',
    },
    message: {
      en: '{actor} rotated the API token {credential} of the service account {owner}: a new secret with write:*, which allows everything in the organization.',
      cs: '{actor} obnovil(a) API token {credential} servisního účtu {owner}: nový tajný klíč s rozsahem write:*, který v organizaci dovoluje vše.',
      de: '{actor} hat das API-Token {credential} des Dienstkontos {owner} erneuert: ein neues Geheimnis mit write:*, das in der Organisation alles erlaubt.',
    },
  },
  'privileged_token:updated': {
    title: {
      en: 'API token raised to write:*',
      cs: 'API token povýšen na write:*',
      de: 'API-Token auf write:* erweitert',
    },
    message: {
      en: '{actor} gave the API token {credential} of the service account {owner} write:*, which allows everything in the organization.',
      cs: '{actor} udělil(a) API tokenu {credential} servisního účtu {owner} rozsah write:*, který v organizaci dovoluje vše.',
      de: '{actor} hat dem API-Token {credential} des Dienstkontos {owner} write:* gegeben, das in der Organisation alles erlaubt.',
    },
  },
  requests_refused: {
    title: {
      en: 'More than {threshold} requests refused by limits this hour',
      cs: 'Limity tuto hodinu odmítly více než {threshold} požadavků',
      de: 'Mehr als {threshold} Anfragen in dieser Stunde durch Limits abgewiesen',
    },
    message: {
      en: 'More than {threshold} requests of the organization were refused by its limits within this hour. An integration may be looping, or the plan may be too small for what the organization does.',
      cs: 'Během této hodiny limity odmítly více než {threshold} požadavků organizace. Některá integrace se možná zacyklila, nebo tarif nestačí na to, co organizace dělá.',
      de: 'Innerhalb dieser Stunde wurden mehr als {threshold} Anfragen der Organisation durch ihre Limits abgewiesen. Eine Integration läuft womöglich in einer Schleife, oder der Tarif ist zu klein für das, was die Organisation tut.',
    },
  },
} satisfies Record<string, { title: Text; message: Text }>;

export type AlertText = keyof typeof alerts;

const email = {
  greeting: { en: 'Hello {name},', cs: 'Dobrý den, {name},', de: 'Hallo {name},' },
  organization: {
    en: 'Organization: {organization}',
    cs: 'Organizace: {organization}',
    de: 'Organisation: {organization}',
  },
  time: { en: 'Time: {time}', cs: 'Čas: {time}', de: 'Zeit: {time}' },
  why: {
    en: 'You receive this as an owner or admin of {organization}. Herald sends one alert per cause and subject an hour; it never includes a secret.',
    cs: 'Tento e-mail dostáváte jako vlastník nebo správce organizace {organization}. Herald posílá nejvýše jedno upozornění za hodinu pro každou příčinu a předmět; nikdy neobsahuje tajný údaj.',
    de: 'Sie erhalten diese Nachricht als Eigentümer oder Administrator von {organization}. Herald sendet pro Ursache und Gegenstand höchstens eine Warnung pro Stunde; sie enthält nie ein Geheimnis.',
  },
  subject: {
    en: 'Security alert: {title}',
    cs: 'Bezpečnostní upozornění: {title}',
    de: 'Sicherheitswarnung: {title}',
  },
} satisfies Record<string, Text>;

export type AlertParams = Record<string, string | number>;

const fill = (template: string, params: AlertParams) =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));

export function alertTitle(text: AlertText, locale: Locale, params: AlertParams): string {
  return fill(alerts[text].title[locale], params);
}

export function alertMessage(text: AlertText, locale: Locale, params: AlertParams): string {
  return fill(alerts[text].message[locale], params);
}

/** The alert email to one owner or admin, in their language. */
export function alertEmail(
  text: AlertText,
  locale: Locale,
  params: AlertParams & { organization: string },
  recipient: { name: string },
  at: Date,
) {
  const line = (key: keyof typeof email, extra: AlertParams = {}) => fill(email[key][locale], { ...params, ...extra });
  const title = alertTitle(text, locale, params);
  return {
    // Names are free text: a line break must not reach a mail header.
    subject: line('subject', { title }).replace(/\s+/g, ' '),
    text: [
      line('greeting', { name: recipient.name }),
      '',
      alertMessage(text, locale, params),
      '',
      line('organization'),
      line('time', { time: at.toISOString() }),
      '',
      line('why'),
    ].join('\n'),
  };
}

/** Slack's mrkdwn gives `&`, `<` and `>` a meaning; user-chosen names must not make links. */
const escapeSlack = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The incoming-webhook body: `text` (what notifications and fallbacks show) and the same as blocks. */
export function alertSlackMessage(text: AlertText, params: AlertParams & { organization: string; product?: string }) {
  const title = escapeSlack(alertTitle(text, 'en', params));
  const message = escapeSlack(alertMessage(text, 'en', params));
  const organization = escapeSlack(String(params.organization));
  // Named after the organization's product (alerts stored before products: Herald).
  const product = escapeSlack(String(params.product ?? 'Herald'));
  return {
    text: `:warning: ${product} security alert (${organization}): ${title}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `:warning: *${title}*\n${message}` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `${product} · ${organization}` }] },
    ],
  };
}
