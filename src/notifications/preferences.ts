// Who wants which notifications where: per type × channel, a user's own choice in an
// organization, else the organization's default (set by its admins), else the built-in
// default. In-app is the only channel that decides whether a notification is stored at all: a
// type a user muted in the app is neither stored for them nor pushed.
import type { Caller } from '../auth/caller.ts';
import { auditAs, scopeHolder } from '../auth/caller.ts';
import { type NotificationChannel, type NotificationType, Prisma } from '../generated/prisma/client.ts';
import { NotificationChannel as Channels, NotificationType as Types } from '../generated/prisma/enums.ts';
import type { Db } from '../platform/database/db.ts';
import { AppError, badInput } from '../platform/errors.ts';

export const NOTIFICATION_TYPES = Object.values(Types) as NotificationType[];
export const NOTIFICATION_CHANNELS = Object.values(Channels) as NotificationChannel[];

/** Types whose in-app notifications nobody can turn off: they ask for action. */
export const LOCKED_IN_APP: readonly NotificationType[] = ['SECURITY_ALERT', 'SLA_BREACH'];

/** Channels set for the whole organization only (the organization's endpoints receive them). */
export const ORGANIZATION_ONLY: readonly NotificationChannel[] = ['WEBHOOK'];

const EMAIL_BY_DEFAULT: readonly NotificationType[] = ['SECURITY_ALERT', 'SLA_BREACH'];

export function builtInDefault(type: NotificationType, channel: NotificationChannel): boolean {
  if (channel === 'EMAIL') return EMAIL_BY_DEFAULT.includes(type);
  return true;
}

const isLocked = (type: NotificationType, channel: NotificationChannel) =>
  channel === 'IN_APP' && LOCKED_IN_APP.includes(type);

export interface NotificationPreferenceView {
  type: NotificationType;
  channel: NotificationChannel;
  /** What applies to the user. */
  enabled: boolean;
  /** What applies to members without a choice of their own. */
  organizationEnabled: boolean;
  /** Whether the user chose it themselves (rather than following the organization). */
  overridden: boolean;
  /** Nobody may change it (critical in-app), or only admins for the organization (webhooks). */
  locked: boolean;
}

/** Every type × channel with what applies to the caller, in a fixed order. */
export async function notificationPreferences(caller: Caller): Promise<NotificationPreferenceView[]> {
  const { app, principal } = caller;
  const [own, organization] = await Promise.all([
    app.db.notificationPreference.findMany({
      where: { userId: principal.id, organizationId: principal.organizationId },
    }),
    app.db.organizationNotificationPreference.findMany({ where: { organizationId: principal.organizationId } }),
  ]);
  const key = (type: string, channel: string) => `${type} ${channel}`;
  const mine = new Map(own.map((p) => [key(p.type, p.channel), p.enabled]));
  const shared = new Map(organization.map((p) => [key(p.type, p.channel), p.enabled]));
  return NOTIFICATION_TYPES.flatMap((type) =>
    NOTIFICATION_CHANNELS.map((channel) => {
      const organizationEnabled = isLocked(type, channel)
        ? true
        : (shared.get(key(type, channel)) ?? builtInDefault(type, channel));
      const choice =
        ORGANIZATION_ONLY.includes(channel) || isLocked(type, channel) ? undefined : mine.get(key(type, channel));
      return {
        type,
        channel,
        enabled: choice ?? organizationEnabled,
        organizationEnabled,
        overridden: choice !== undefined,
        locked: isLocked(type, channel) || ORGANIZATION_ONLY.includes(channel),
      };
    }),
  );
}

export interface PreferenceInput {
  type: NotificationType;
  channel: NotificationChannel;
  enabled: boolean;
  organizationDefault?: boolean | null;
}

/**
 * Sets the caller's own choice, or with `organizationDefault` the organization's default
 * (write:notifications, i.e. owners and admins). Answers every preference after.
 */
export async function updateNotificationPreferences(
  caller: Caller,
  input: PreferenceInput,
): Promise<NotificationPreferenceView[]> {
  const { app, principal } = caller;
  const { type, channel, enabled } = input;
  const forOrganization = input.organizationDefault === true;
  if (!NOTIFICATION_TYPES.includes(type)) throw badInput('type');
  if (!NOTIFICATION_CHANNELS.includes(channel)) throw badInput('channel');
  if (isLocked(type, channel) && !enabled) throw badInput('type', 'notificationTypeLocked', { type });
  if (ORGANIZATION_ONLY.includes(channel) && !forOrganization) {
    throw badInput('organizationDefault', 'notificationChannelOrganizationOnly', { channel });
  }
  if (forOrganization) {
    const holds = await scopeHolder(caller);
    if (!holds('write:notifications')) {
      throw new AppError('FORBIDDEN', 'forbiddenScopeRole', {
        params: { scopes: 'write:notifications' },
        extensions: { reason: 'MISSING_SCOPE', requiredScopes: ['write:notifications'] },
      });
    }
    const organizationId = principal.organizationId;
    await app.db.$transaction(async (tx) => {
      await tx.organizationNotificationPreference.upsert({
        where: { organizationId_type_channel: { organizationId, type, channel } },
        create: { organizationId, type, channel, enabled },
        update: { enabled },
      });
      await auditAs(caller, tx, 'notification_preference.organization_updated', undefined, { type, channel, enabled });
    });
  } else {
    const where = { userId: principal.id, organizationId: principal.organizationId, type, channel };
    await app.db.notificationPreference.upsert({
      where: { userId_organizationId_type_channel: where },
      create: { ...where, enabled },
      update: { enabled },
    });
  }
  return notificationPreferences(caller);
}

interface Addressed {
  recipientId: string;
  organizationId: string;
  type: NotificationType;
}

type Reader = Pick<Prisma.TransactionClient, '$queryRaw'> | Db;

/**
 * Which of `list` their recipients turned off, on each of `channels`, as a test: one query,
 * in the caller's transaction. What nobody can turn off (critical types in the app) is never
 * asked about.
 */
export async function turnedOff(
  tx: Reader,
  list: readonly Addressed[],
  channels: readonly NotificationChannel[],
): Promise<(n: Addressed, channel: NotificationChannel) => boolean> {
  const asked = channels.flatMap((channel) =>
    list.filter((n) => !isLocked(n.type, channel)).map((n) => ({ ...n, channel })),
  );
  if (asked.length === 0) return () => false;
  const rows = await tx.$queryRaw<{ key: string }[]>`
    SELECT m.recipient::text || ' ' || m.org::text || ' ' || m.type || ' ' || m.channel AS key
    FROM (
      SELECT DISTINCT * FROM unnest(
        ${asked.map((n) => n.recipientId)}::uuid[], ${asked.map((n) => n.organizationId)}::uuid[],
        ${asked.map((n) => n.type)}::text[], ${asked.map((n) => n.channel)}::text[]
      )
    ) AS m(recipient, org, type, channel)
    WHERE NOT ${channelWanted(Prisma.raw('m.recipient'), Prisma.raw('m.org'), Prisma.raw('m.type'), Prisma.raw('m.channel'))}`;
  const off = new Set(rows.map((row) => row.key));
  return (n, channel) => off.has(`${n.recipientId} ${n.organizationId} ${n.type} ${channel}`);
}

/** Which of `list` their recipients muted in the app: those are not stored for them. */
export async function mutedInApp(tx: Reader, list: readonly Addressed[]) {
  const off = await turnedOff(tx, list, ['IN_APP']);
  return (n: Addressed) => off(n, 'IN_APP');
}

/**
 * Whether a recipient wants a type on a channel, as SQL over three expressions (uuid, uuid,
 * text), for statements that store notifications in one round trip. WEBHOOK is the
 * organization's alone; EMAIL's built-in default is on for the types that ask for action.
 */
export function channelWanted(
  recipient: Prisma.Sql,
  organization: Prisma.Sql,
  type: Prisma.Sql,
  channel: Prisma.Sql,
): Prisma.Sql {
  return Prisma.sql`COALESCE(
      (SELECT p.enabled FROM "NotificationPreference" AS p WHERE p."userId" = ${recipient}
        AND p."organizationId" = ${organization} AND p.type = ${type}::text::"NotificationType"
        AND p.channel = ${channel}::text::"NotificationChannel"
        AND ${channel}::text <> ALL(${[...ORGANIZATION_ONLY]}::text[])),
      (SELECT o.enabled FROM "OrganizationNotificationPreference" AS o WHERE o."organizationId" = ${organization}
        AND o.type = ${type}::text::"NotificationType" AND o.channel = ${channel}::text::"NotificationChannel"),
      ${channel}::text <> 'EMAIL' OR ${type}::text = ANY(${[...EMAIL_BY_DEFAULT]}::text[]))`;
}

/** `wanted` in the app. */
export const inAppWanted = (recipient: Prisma.Sql, organization: Prisma.Sql, type: Prisma.Sql) =>
  channelWanted(recipient, organization, type, Prisma.sql`'IN_APP'`);
