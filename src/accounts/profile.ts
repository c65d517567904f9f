import { z } from 'zod';
import type { App } from '../platform/app.ts';
import { badInput } from '../platform/errors.ts';
import { locale, name, parseInput } from '../platform/validation.ts';

const profileInput = z.object({ name: name().optional(), locale: locale.optional() });

export async function updateProfile(app: App, userId: string, input: unknown) {
  const data = parseInput(profileInput, input);
  if (data.name === undefined && data.locale === undefined) throw badInput('input');
  return app.db.user.update({ where: { id: userId }, data });
}
