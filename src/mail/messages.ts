// The emails people get about their account (an invitation, a password reset), in en, cs and
// de, in the name of the product they are for. Names are free text: a line break must not
// reach a mail header, so subjects fold all whitespace.
import type { Locale } from '../i18n/messages.ts';

type Text = Record<Locale, string>;
type Params = Record<string, string>;

const fill = (template: string, params: Params) =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);

const invitation = {
  subject: {
    en: 'You are invited to {organization} on {product}',
    cs: 'Pozvánka do organizace {organization} v {product}',
    de: 'Einladung zu {organization} bei {product}',
  },
  greeting: { en: 'Hello,', cs: 'Dobrý den,', de: 'Hallo,' },
  body: {
    en: 'You have been invited to join {organization} on {product}. Open this link within 7 days to accept:',
    cs: 'Byli jste pozváni do organizace {organization} v {product}. Pozvánku přijmete otevřením tohoto odkazu do 7 dnů:',
    de: 'Sie wurden eingeladen, {organization} bei {product} beizutreten. Öffnen Sie diesen Link innerhalb von 7 Tagen, um anzunehmen:',
  },
  ignore: {
    en: 'If you did not expect this invitation, ignore this email.',
    cs: 'Pokud jste pozvánku nečekali, tento e-mail ignorujte.',
    de: 'Wenn Sie diese Einladung nicht erwartet haben, ignorieren Sie diese E-Mail.',
  },
} satisfies Record<string, Text>;

const passwordReset = {
  subject: {
    en: 'Reset your {product} password',
    cs: 'Obnovení hesla k {product}',
    de: 'Ihr Passwort für {product} zurücksetzen',
  },
  greeting: { en: 'Hello {name},', cs: 'Dobrý den, {name},', de: 'Hallo {name},' },
  body: {
    en: 'Someone asked to reset the password of your {product} account. If it was you, open this link within 30 minutes:',
    cs: 'Někdo požádal o obnovení hesla k vašemu účtu {product}. Pokud jste to byli vy, otevřete do 30 minut tento odkaz:',
    de: 'Jemand hat angefordert, das Passwort Ihres {product}-Kontos zurückzusetzen. Wenn Sie das waren, öffnen Sie diesen Link innerhalb von 30 Minuten:',
  },
  ignore: {
    en: 'If it was not you, ignore this email; your password stays as it is.',
    cs: 'Pokud jste to nebyli vy, tento e-mail ignorujte; vaše heslo zůstává beze změny.',
    de: 'Wenn Sie das nicht waren, ignorieren Sie diese E-Mail; Ihr Passwort bleibt unverändert.',
  },
} satisfies Record<string, Text>;

function compose(texts: typeof invitation, locale: Locale, params: Params, link: string) {
  const line = (key: keyof typeof invitation) => fill(texts[key][locale], params);
  return {
    subject: line('subject').replace(/\s+/g, ' '),
    text: [line('greeting'), '', line('body'), '', link, '', line('ignore')].join('\n'),
  };
}

export const invitationEmail = (locale: Locale, params: { organization: string; product: string }, link: string) =>
  compose(invitation, locale, params, link);

export const passwordResetEmail = (locale: Locale, params: { name: string; product: string }, link: string) =>
  compose(passwordReset, locale, params, link);
