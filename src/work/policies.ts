// SLA policies. A policy gives new items their due date; changing or deleting it leaves the
// due dates of existing items as they are (a promise made is kept), while a changed warning
// lead moves the warnings still to be sent.
import { z } from 'zod';
import { auditAs, type Caller } from '../auth/caller.ts';
import type { Principal } from '../auth/principal.ts';
import { Prisma, type SlaPolicy } from '../generated/prisma/client.ts';
import type { App } from '../platform/app.ts';
import { badInput, conflict, notFound } from '../platform/errors.ts';
import { isUuid, parseInput } from '../platform/validation.ts';

type Tx = Prisma.TransactionClient;

const YEAR_IN_MINUTES = 366 * 24 * 60;

const fields = {
  name: z.string().trim().min(1).max(100),
  targetMinutes: z.number().int().min(1).max(YEAR_IN_MINUTES),
  warnBeforeMinutes: z.number().int().min(0).max(YEAR_IN_MINUTES),
};

const PolicyInput = z.object({ ...fields, warnBeforeMinutes: fields.warnBeforeMinutes.default(0) });

function assertWarnsBeforeTarget(policy: { targetMinutes: number; warnBeforeMinutes: number }) {
  if (policy.warnBeforeMinutes >= policy.targetMinutes) {
    throw badInput('warnBeforeMinutes', 'mustBeLessThan', { other: 'targetMinutes' });
  }
}

async function nameMustBeFree<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw conflict('nameTaken', { field: 'name' }, 'name');
    }
    throw error;
  }
}

const policyTarget = (policy: SlaPolicy) => ({ type: 'SlaPolicy', id: policy.id });

export async function createSlaPolicy(caller: Caller, input: z.input<typeof PolicyInput>): Promise<SlaPolicy> {
  const { app, principal } = caller;
  const data = parseInput(PolicyInput, input);
  assertWarnsBeforeTarget(data);
  return nameMustBeFree(() =>
    app.db.$transaction(async (tx) => {
      const policy = await tx.slaPolicy.create({ data: { ...data, organizationId: principal.organizationId } });
      await auditAs(caller, tx, 'sla_policy.created', policyTarget(policy), { name: policy.name });
      return policy;
    }),
  );
}

export function listSlaPolicies(app: App, principal: Principal) {
  return app.db.slaPolicy.findMany({ where: { organizationId: principal.organizationId }, orderBy: { name: 'asc' } });
}

async function policyOrFail(app: App, principal: Principal, id: string) {
  const policy = isUuid(id)
    ? await app.db.slaPolicy.findFirst({ where: { id, organizationId: principal.organizationId } })
    : null;
  if (!policy) throw notFound('SlaPolicy', 'id');
  return policy;
}

const UpdateInput = z.object({
  id: z.string(),
  name: fields.name.nullish(),
  targetMinutes: fields.targetMinutes.nullish(),
  warnBeforeMinutes: fields.warnBeforeMinutes.nullish(),
});

/** Warnings not yet sent, of items still running under the policy, follow its new lead. */
const moveWarnings = (tx: Tx, policyId: string, warnBeforeMinutes: number) => tx.$executeRaw`
  UPDATE "WorkItem"
  SET "pendingWarningAt" = CASE WHEN ${warnBeforeMinutes}::int > 0
    THEN "dueAt" - make_interval(mins => ${warnBeforeMinutes}::int) ELSE NULL END
  WHERE "slaPolicyId" = ${policyId}::uuid AND "pendingBreachAt" IS NOT NULL AND "slaWarnedAt" IS NULL`;

export async function updateSlaPolicy(
  caller: Caller,
  input: { id: string; name?: string | null; targetMinutes?: number | null; warnBeforeMinutes?: number | null },
): Promise<SlaPolicy> {
  const { app, principal } = caller;
  const data = parseInput(UpdateInput, input);
  for (const field of ['name', 'targetMinutes', 'warnBeforeMinutes'] as const) {
    if (input[field] === null) throw badInput(field, 'required');
  }
  if (data.name == null && data.targetMinutes == null && data.warnBeforeMinutes == null) throw badInput('input');
  const current = await policyOrFail(app, principal, data.id);
  const next = {
    name: data.name ?? current.name,
    targetMinutes: data.targetMinutes ?? current.targetMinutes,
    warnBeforeMinutes: data.warnBeforeMinutes ?? current.warnBeforeMinutes,
  };
  assertWarnsBeforeTarget(next);
  return nameMustBeFree(() =>
    app.db.$transaction(async (tx) => {
      const policy = await tx.slaPolicy.update({ where: { id: current.id }, data: next });
      if (next.warnBeforeMinutes !== current.warnBeforeMinutes) {
        await moveWarnings(tx, policy.id, next.warnBeforeMinutes);
      }
      const { name, targetMinutes, warnBeforeMinutes } = current;
      await auditAs(caller, tx, 'sla_policy.updated', policyTarget(policy), {
        from: { name, targetMinutes, warnBeforeMinutes },
        to: next,
      });
      return policy;
    }),
  );
}

/** Deletes the policy; its items keep their due dates and the warnings still to come. */
export async function deleteSlaPolicy(caller: Caller, input: { id: string }): Promise<SlaPolicy> {
  const { app, principal } = caller;
  const current = await policyOrFail(app, principal, input.id);
  return app.db.$transaction(async (tx) => {
    const policy = await tx.slaPolicy.delete({ where: { id: current.id } });
    await auditAs(caller, tx, 'sla_policy.deleted', policyTarget(policy), { name: policy.name });
    return policy;
  });
}
