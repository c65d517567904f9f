// What a product looks like to its people: its name, the sender of its emails, the pages its
// links lead to, the origins its pages are served from. For the default product, a field an
// environment variable sets is read from the environment (updateProduct refuses to change it).
import { isLocale, type Locale } from '../i18n/messages.ts';
import type { App } from '../platform/app.ts';
import { isDefaultProduct, type Product } from './catalog.ts';

export interface Brand {
  name: string;
  /** The sender of its emails. */
  mailFrom: string;
  /** Its pages that take emailed tokens; null for Herald's own landing pages. */
  invitationUrl: string | null;
  passwordResetUrl: string | null;
  allowedOrigins: readonly string[];
  /** The language of its messages when nothing closer decides. */
  locale: Locale;
}

/**
 * The language Herald writes to a person in: what their request asks for (`?locale=`,
 * Accept-Language), else their own choice, else the product's default, else English.
 */
export function languageFor(
  brand: Pick<Brand, 'locale'>,
  userLocale: string | null | undefined,
  requested?: Locale | null,
): Locale {
  if (requested) return requested;
  if (userLocale && isLocale(userLocale)) return userLocale;
  return brand.locale;
}

export function brandOf(app: App, product: Product): Brand {
  const { config } = app;
  const fromEnvironment = (variable: string) => isDefaultProduct(app, product) && config.setInEnvironment.has(variable);
  return {
    name: product.name,
    mailFrom: fromEnvironment('MAIL_FROM') ? config.MAIL_FROM : (product.mailFrom ?? config.MAIL_FROM),
    invitationUrl: fromEnvironment('INVITATION_URL') ? (config.INVITATION_URL ?? null) : product.invitationUrl,
    passwordResetUrl: fromEnvironment('PASSWORD_RESET_URL')
      ? (config.PASSWORD_RESET_URL ?? null)
      : product.passwordResetUrl,
    allowedOrigins: fromEnvironment('CORS_ORIGINS') ? (config.CORS_ORIGINS ?? []) : product.allowedOrigins,
    locale: isLocale(product.defaultLocale) ? product.defaultLocale : 'en',
  };
}
