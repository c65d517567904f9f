import { grants } from '../../auth/scopes.ts';
import type { Organization } from '../../generated/prisma/client.ts';
import { SubscriptionStatus as SubscriptionStatusValues } from '../../generated/prisma/enums.ts';
import { builder } from '../../graphql/builder.ts';
import type { Context } from '../../graphql/context.ts';
import type { Product } from '../../products/catalog.ts';
import { actsForOperator } from '../../products/operators.ts';
import { settingsFromEnvironment } from '../../products/settings.ts';
import { brandOf } from '../../products/white-label.ts';
import { OrganizationRef } from '../accounts/types.ts';
import { AuditEventRef } from '../audit/types.ts';

export const SubscriptionStatus = builder.enumType('SubscriptionStatus', {
  values: Object.values(SubscriptionStatusValues),
});

/** Whether the caller reads what only the product's operators see: its owners, admins and service accounts with `read:products`. */
const readsAsOperator = (product: Product, { principal }: Context) =>
  actsForOperator(principal, product) && grants(principal?.scopes ?? [], 'read:products');

/** A field only the product's operators read; null for everyone else. */
const operatorsOnly =
  <T>(read: (product: Product, context: Context) => T) =>
  (product: Product, _args: unknown, context: Context): T | null =>
    readsAsOperator(product, context) ? read(product, context) : null;

const EnvironmentSetting = builder
  .objectRef<{ field: string; variable: string }>('ProductEnvironmentSetting')
  .implement({
    description:
      'A field of the default product that an environment variable sets: `updateProduct` refuses to change it.',
    fields: (t) => ({
      field: t.exposeString('field', { description: 'The field of `Product` (and of `updateProduct`’s input).' }),
      variable: t.exposeString('variable', { description: 'The environment variable that sets it.' }),
    }),
  });

export const ProductRef = builder.objectRef<Product>('Product').implement({
  description:
    'A product that shares Herald: its organizations and everything in them are its own. Fields other than `id`, `slug`, `name` and `defaultLocale` are given to its operators only (null for others).',
  fields: (t) => ({
    id: t.exposeID('id'),
    slug: t.exposeString('slug', {
      description: 'Names the product on requests (`X-Product-Slug`) and in tokens; never changes.',
    }),
    name: t.exposeString('name'),
    defaultLocale: t.exposeString('defaultLocale', {
      description: 'The language of messages when nothing else decides it.',
    }),
    features: t.stringList({
      nullable: true,
      description: 'The feature modules the product declares; each is a scope module (`read:X`, `write:X`).',
      resolve: operatorsOnly((product) => product.features),
    }),
    allowedOrigins: t.stringList({
      nullable: true,
      description: 'The browser origins whose pages may call Herald for this product (CORS).',
      resolve: operatorsOnly((product, { app }) => brandOf(app, product).allowedOrigins),
    }),
    mailFrom: t.string({
      nullable: true,
      description: 'The sender of its emails (for the default product, MAIL_FROM when set).',
      resolve: operatorsOnly((product, { app }) => brandOf(app, product).mailFrom),
    }),
    invitationUrl: t.string({
      nullable: true,
      resolve: operatorsOnly((product, { app }) => brandOf(app, product).invitationUrl),
    }),
    passwordResetUrl: t.string({
      nullable: true,
      resolve: operatorsOnly((product, { app }) => brandOf(app, product).passwordResetUrl),
    }),
    setByEnvironment: t.field({
      type: [EnvironmentSetting],
      nullable: true,
      description:
        'The fields an environment variable sets (the default product’s only, else empty), which `updateProduct` refuses to change.',
      resolve: operatorsOnly((product, { app }) => settingsFromEnvironment(app, product)),
    }),
    operatorOrganization: t.field({
      type: OrganizationRef,
      nullable: true,
      resolve: (product, _args, context) =>
        readsAsOperator(product, context) && product.operatorOrganizationId
          ? context.app.organizationById(product.operatorOrganizationId)
          : null,
    }),
  }),
});

export const OrganizationSubscription = builder
  .objectRef<
    Pick<Organization, 'subscriptionStatus' | 'subscriptionPlan' | 'subscriptionFeatures' | 'subscriptionPeriodEnd'>
  >('OrganizationSubscription')
  .implement({
    description: "The organization's subscription to its product: what it may use, set by the product's operators.",
    fields: (t) => ({
      status: t.expose('subscriptionStatus', { type: SubscriptionStatus }),
      plan: t.exposeString('subscriptionPlan', { nullable: true }),
      features: t.exposeStringList('subscriptionFeatures', { description: 'The feature modules it enables.' }),
      currentPeriodEnd: t.expose('subscriptionPeriodEnd', { type: 'DateTime', nullable: true }),
    }),
  });

builder.objectFields(OrganizationRef, (t) => ({
  product: t.field({
    type: ProductRef,
    resolve: (organization, _args, { app }) => app.products.byId(organization.productId),
  }),
  subscription: t.field({ type: OrganizationSubscription, resolve: (organization) => organization }),
}));

builder.objectFields(AuditEventRef, (t) => ({
  product: t.field({
    type: ProductRef,
    nullable: true,
    description: 'The product of the organization it happened in (null for events of no organization).',
    resolve: async (event, _args, { app }) => {
      const standing = event.organizationId ? await app.standings.of(event.organizationId) : null;
      return standing ? app.products.byId(standing.productId) : null;
    },
  }),
}));
