// Where an organization stands with its product: which product it belongs to, its subscription's
// status and enabled features. Every authenticated request reads it (a cancelled subscription
// suspends every credential, a feature switched off narrows every token), so it is cached per
// instance and a change reaches every instance before it is answered (shared-cache.ts).
import type { SubscriptionStatus } from '../generated/prisma/enums.ts';
import type { Db } from '../platform/database/db.ts';
import type { Logger } from '../platform/observability/logger.ts';
import type { EventBus } from '../platform/pubsub.ts';
import { sharedCache } from '../platform/shared-cache.ts';
import type { SharedEpoch } from '../platform/shared-epoch.ts';
import { LIMIT_FIELDS, type Limits, limitColumn, limitsOf } from '../platform/tenant-limits.ts';

export interface Standing {
  organizationId: string;
  productId: string;
  status: SubscriptionStatus;
  /** The feature modules the subscription enables. */
  features: readonly string[];
  /** The operator's limits for it (null fields: its product's defaults apply). */
  overrides: Limits;
  /** The lower limits its own admins set. */
  own: Limits;
}

const LIMIT_COLUMNS = Object.fromEntries(
  LIMIT_FIELDS.flatMap((field) => [
    [limitColumn('limit', field), true],
    [limitColumn('own', field), true],
  ]),
);

export interface OrganizationStandings {
  /** The organization's standing now; null for an organization that no longer exists. */
  of(organizationId: string): Promise<Standing | null>;
  /** Call once a change to the organization's subscription is committed. */
  changed(organizationId: string): Promise<void>;
  /** Calls `listener` on this instance whenever any instance changes the organization's standing. */
  watch(organizationId: string, listener: () => void): () => void;
  close(): Promise<void>;
}

export function createOrganizationStandings(options: {
  db: Db;
  pubsub: EventBus;
  epoch: SharedEpoch;
  logger: Logger;
}): OrganizationStandings {
  const cache = sharedCache<Standing | null>({
    name: 'standings',
    load: async (organizationId) => {
      const row = await options.db.organization.findUnique({
        where: { id: organizationId },
        select: {
          id: true,
          productId: true,
          subscriptionStatus: true,
          subscriptionFeatures: true,
          ...LIMIT_COLUMNS,
        },
      });
      return (
        row && {
          organizationId: row.id,
          productId: row.productId,
          status: row.subscriptionStatus,
          features: row.subscriptionFeatures,
          overrides: limitsOf(row, 'limit'),
          own: limitsOf(row, 'own'),
        }
      );
    },
    pubsub: options.pubsub,
    epoch: options.epoch,
    logger: options.logger,
    maxEntries: 100_000,
  });
  return {
    of: (organizationId) => cache.get(organizationId),
    changed: (organizationId) => cache.changed([organizationId]),
    watch: cache.watch,
    close: () => cache.close(),
  };
}

declare module '../platform/app.ts' {
  interface App {
    standings: OrganizationStandings;
  }
}
