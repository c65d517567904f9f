// An organization's own settings: its name and its slug (unique within its product, so that no
// product learns of another's organizations).
import { z } from 'zod';
import { auditAs, type Caller } from '../auth/caller.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { badInput, conflict } from '../platform/errors.ts';
import { name, parseInput, slug } from '../platform/validation.ts';

const updateInput = z.object({ name: name().nullish(), slug: slug.nullish() });

export async function updateOrganization(caller: Caller, input: { name?: string | null; slug?: string | null }) {
  const { app, principal } = caller;
  const data = parseInput(updateInput, input);
  // null is not a name: the field is left out to keep it.
  for (const field of ['name', 'slug'] as const) if (input[field] === null) throw badInput(field, 'required');
  if (data.name == null && data.slug == null) throw badInput('input');
  const id = principal.organizationId;
  try {
    return await app.db.$transaction(async (tx) => {
      const current = await tx.organization.findUniqueOrThrow({ where: { id } });
      const updated = await tx.organization.update({
        where: { id },
        data: { name: data.name ?? undefined, slug: data.slug ?? undefined },
      });
      await auditAs(
        caller,
        tx,
        'organization.updated',
        { type: 'Organization', id },
        { from: { name: current.name, slug: current.slug }, to: { name: updated.name, slug: updated.slug } },
      );
      return updated;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw conflict('slugTaken', { slug: data.slug as string }, 'slug');
    }
    throw error;
  }
}
