// The console's own words in English, Czech and German (Herald's messages come translated in
// the same language: the client asks for it). The choice is the person's, kept in
// localStorage, else the browser's first language the console speaks, else English.
import { useEffect, useState } from 'preact/hooks';
import { type MessageKey, messages } from './messages.ts';

export const LOCALES = ['en', 'cs', 'de'] as const;
export type Locale = (typeof LOCALES)[number];
export type { MessageKey };

const KEY = 'herald-console:locale';
const CHANGED = 'herald-console:locale';

const isLocale = (value: string | null | undefined): value is Locale => LOCALES.includes(value as Locale);

function initial(): Locale {
  const chosen = localStorage.getItem(KEY);
  if (isLocale(chosen)) return chosen;
  for (const language of navigator.languages ?? []) {
    const base = language.toLowerCase().split('-')[0];
    if (isLocale(base)) return base;
  }
  return 'en';
}

let locale: Locale = initial();
document.documentElement.lang = locale;

export const currentLocale = () => locale;

export function setLocale(next: Locale) {
  locale = next;
  localStorage.setItem(KEY, next);
  document.documentElement.lang = next;
  dispatchEvent(new Event(CHANGED));
}

/** Re-renders the component when the language changes. */
export function useLocale(): Locale {
  const [value, setValue] = useState(locale);
  useEffect(() => {
    const update = () => setValue(locale);
    addEventListener(CHANGED, update);
    return () => removeEventListener(CHANGED, update);
  }, []);
  return value;
}

export type Params = Record<string, string | number>;

export function t(key: MessageKey, params: Params = {}): string {
  const text = messages[locale][key] ?? messages.en[key];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** A count with the plural form the language needs: `one`, `few` (Czech) or `other`. */
export function plural(forms: Partial<Record<Intl.LDMLPluralRule, MessageKey>> & { other: MessageKey }, count: number) {
  const rule = new Intl.PluralRules(locale).select(count);
  return t(forms[rule] ?? forms.other, { count });
}

export const exactTime = (date: Date) =>
  new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(date);

export const shortDate = (date: Date) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(date);

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "3 minutes ago", "in 2 days", "now". */
export function relativeTime(date: Date, now = Date.now()): string {
  const seconds = Math.round((date.getTime() - now) / 1000);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  if (Math.abs(seconds) < 45) return format.format(0, 'second');
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(0, 'second');
}
