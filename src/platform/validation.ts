import { z } from 'zod';
import { isLocale, LOCALES } from '../i18n/messages.ts';
import { type AppError, badInput } from './errors.ts';

/** Built once: a zod schema costs microseconds to build, and ids are checked on hot paths. */
const uuid = z.uuid();
export const isUuid = (value: string) => uuid.safeParse(value).success;

export const email = z.string().trim().toLowerCase().max(254).pipe(z.email());
export const name = (max = 100) => z.string().trim().min(1).max(max);

/** Lowercase letters, digits and single dashes, as in URLs: `acme-corp`. */
export const slug = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .refine((value) => /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(value), { params: { problem: 'slug' } });

export const locale = z.string().refine(isLocale, { params: { problem: 'locale' } });

function toAppError(issue: z.core.$ZodIssue): AppError {
  const field = issue.path.join('.') || 'input';
  if (issue.code === 'custom') {
    switch ((issue.params as { problem?: string } | undefined)?.problem) {
      case 'tooShort':
        return badInput(field, 'tooShort', { min: 8 });
      case 'tooLong':
        return badInput(field, 'tooLong', { max: 128 });
      case 'tooCommon':
        return badInput(field, 'passwordTooCommon');
      case 'slug':
        return badInput(field, 'invalidSlug');
      case 'locale':
        return badInput(field, 'unsupportedLocale', { allowed: LOCALES.join(', ') });
      case 'link':
        return badInput(field, 'invalidLink');
    }
  }
  if (issue.code === 'invalid_format' && issue.format === 'email') return badInput(field, 'invalidEmail');
  if (issue.code === 'too_small' && issue.origin === 'string') {
    return Number(issue.minimum) <= 1
      ? badInput(field, 'required')
      : badInput(field, 'tooShort', { min: Number(issue.minimum) });
  }
  if (issue.code === 'too_big' && issue.origin === 'string') {
    return field === 'email'
      ? badInput(field, 'invalidEmail')
      : badInput(field, 'tooLong', { max: Number(issue.maximum) });
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) return badInput(field, 'required');
  return badInput(field);
}

/** Validates a mutation's input; the first problem becomes BAD_USER_INPUT naming its field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw toAppError(result.error.issues[0] as z.core.$ZodIssue);
  return result.data;
}
