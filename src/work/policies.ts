import { z } from 'zod';
import type { App } from '../app.ts';
import type { Principal } from '../auth/principal.ts';
import { badInput, conflict } from '../errors.ts';
import { Prisma, type SlaPolicy } from '../generated/prisma/client.ts';
import { parseInput } from '../validation.ts';

const YEAR_IN_MINUTES = 366 * 24 * 60;

const PolicyInput = z.object({
  name: z.string().trim().min(1).max(100),
  targetMinutes: z.number().int().min(1).max(YEAR_IN_MINUTES),
  warnBeforeMinutes: z.number().int().min(0).max(YEAR_IN_MINUTES).default(0),
});

export async function createSlaPolicy(
  app: App,
  principal: Principal,
  input: z.input<typeof PolicyInput>,
): Promise<SlaPolicy> {
  const data = parseInput(PolicyInput, input);
  if (data.warnBeforeMinutes >= data.targetMinutes) {
    throw badInput('warnBeforeMinutes', 'mustBeLessThan', { other: 'targetMinutes' });
  }
  try {
    return await app.db.slaPolicy.create({ data: { ...data, organizationId: principal.organizationId } });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw conflict('nameTaken', { field: 'name' }, 'name');
    }
    throw error;
  }
}

export function listSlaPolicies(app: App, principal: Principal) {
  return app.db.slaPolicy.findMany({ where: { organizationId: principal.organizationId }, orderBy: { name: 'asc' } });
}
