// Creating and changing products, by their operators. A product's slug never changes (it is in
// every access token). For the default product, a field that an environment variable sets is
// the environment's: updateProduct refuses to change it, naming the variable.
import { z } from 'zod';
import { auditAs, type Caller } from '../auth/caller.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { isLocale, LOCALES } from '../i18n/messages.ts';
import type { App } from '../platform/app.ts';
import { asOrigin, tokenLinkTemplate } from '../platform/config.ts';
import { AppError, badInput, conflict, notFound } from '../platform/errors.ts';
import { isProductSlug, RESERVED_PRODUCT_SLUGS } from '../platform/product-slug.ts';
import { limitColumns, limitsInput } from '../platform/tenant-limits.ts';
import { isUuid, name, parseInput } from '../platform/validation.ts';
import { isDefaultProduct, type Product } from './catalog.ts';
import { FEATURE_NAME, UNGATED_MODULES } from './features.ts';
import { assertOperates } from './operators.ts';

/** The fields of the default product that an environment variable sets, by the variable. */
const FROM_ENVIRONMENT = {
  allowedOrigins: 'CORS_ORIGINS',
  mailFrom: 'MAIL_FROM',
  invitationUrl: 'INVITATION_URL',
  passwordResetUrl: 'PASSWORD_RESET_URL',
  operatorOrganizationId: 'OPERATOR_ORGANIZATION',
} as const;

/** The fields of `product` that the environment sets (the default product's only), each with its variable. */
export function settingsFromEnvironment(app: App, product: Product): { field: string; variable: string }[] {
  if (!isDefaultProduct(app, product)) return [];
  return Object.entries(FROM_ENVIRONMENT)
    .filter(([, variable]) => app.config.setInEnvironment.has(variable))
    .map(([field, variable]) => ({ field, variable }));
}

const fields = {
  name: name(),
  defaultLocale: z.string().refine(isLocale, `one of ${LOCALES.join(', ')}`),
  features: z.array(z.string()).max(100),
  allowedOrigins: z.array(z.string()).max(100),
  mailFrom: z.string().trim().min(3).max(200).nullable(),
  invitationUrl: tokenLinkTemplate.nullable(),
  passwordResetUrl: tokenLinkTemplate.nullable(),
};

const createInput = z.object({
  slug: z.string(),
  name: fields.name,
  defaultLocale: fields.defaultLocale.nullish(),
  features: fields.features.nullish(),
  allowedOrigins: fields.allowedOrigins.nullish(),
  mailFrom: fields.mailFrom.optional(),
  invitationUrl: fields.invitationUrl.optional(),
  passwordResetUrl: fields.passwordResetUrl.optional(),
  operatorOrganizationId: z.string().nullish(),
  /** The limits of its organizations without an override; a field left out is unchanged (none at creation). */
  defaultLimits: limitsInput.nullish(),
});

// The same fields, each optional (a field left out stays), the product named by its slug.
const updateInput = createInput.omit({ slug: true }).extend({
  productSlug: z.string(),
  name: fields.name.nullish(),
});

function checkedFeatures(features: readonly string[]): string[] {
  for (const feature of features) {
    if (!FEATURE_NAME.test(feature) || UNGATED_MODULES.includes(feature)) {
      throw badInput('features', 'invalidFeature', { feature });
    }
  }
  return [...new Set(features)];
}

function checkedOrigins(origins: readonly string[]): string[] {
  return [
    ...new Set(
      origins.map((entry) => {
        const origin = entry === 'null' ? null : asOrigin(entry.trim());
        if (origin === null) throw badInput('allowedOrigins');
        return origin;
      }),
    ),
  ];
}

async function checkedOperator(app: App, id: string): Promise<string> {
  if (!isUuid(id)) throw notFound('Organization', 'operatorOrganizationId');
  const organization = await app.db.organization.findUnique({ where: { id }, select: { id: true } });
  if (!organization) throw notFound('Organization', 'operatorOrganizationId');
  return organization.id;
}

/** A product, found by the slug an operator input names. */
export async function productNamed(app: App, slug: string, field = 'productSlug'): Promise<Product> {
  const product = isProductSlug(slug) ? await app.products.bySlug(slug) : null;
  if (!product) throw notFound('Product', field);
  return product;
}

/** A new product, by an operator of the default product; its operator is the caller's organization unless named. */
export async function createProduct(caller: Caller, input: unknown): Promise<Product> {
  const { app } = caller;
  const data = parseInput(createInput, input);
  await assertOperates(caller, await app.products.defaultProduct(), 'write:products', 'create_product');
  if (!isProductSlug(data.slug)) throw badInput('slug', 'invalidProductSlug');
  if (RESERVED_PRODUCT_SLUGS.includes(data.slug)) throw badInput('slug', 'reservedProductSlug', { slug: data.slug });
  const operatorOrganizationId = data.operatorOrganizationId
    ? await checkedOperator(app, data.operatorOrganizationId)
    : caller.principal.organizationId;
  let product: Product;
  try {
    product = await app.db.$transaction(async (tx) => {
      const created = await tx.product.create({
        data: {
          slug: data.slug,
          name: data.name,
          defaultLocale: data.defaultLocale ?? 'en',
          features: checkedFeatures(data.features ?? []),
          allowedOrigins: checkedOrigins(data.allowedOrigins ?? []),
          mailFrom: data.mailFrom ?? null,
          invitationUrl: data.invitationUrl ?? null,
          passwordResetUrl: data.passwordResetUrl ?? null,
          operatorOrganizationId,
          ...limitColumns('default', data.defaultLimits),
        },
      });
      await auditAs(caller, tx, 'product.created', { type: 'Product', id: created.id }, { slug: created.slug });
      return created;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw conflict('productSlugTaken', { slug: data.slug }, 'slug');
    }
    throw error;
  }
  await app.products.changed();
  return product;
}

/** Changes a product (a field left out stays), by its operators. */
export async function updateProduct(caller: Caller, input: unknown): Promise<Product> {
  const { app } = caller;
  const data = parseInput(updateInput, input);
  const product = await productNamed(app, data.productSlug);
  await assertOperates(caller, product, 'write:products', 'update_product');
  if (isDefaultProduct(app, product)) {
    for (const [field, variable] of Object.entries(FROM_ENVIRONMENT)) {
      if (data[field as keyof typeof FROM_ENVIRONMENT] !== undefined && app.config.setInEnvironment.has(variable)) {
        throw new AppError('BAD_USER_INPUT', 'setByEnvironment', {
          params: { field, variable },
          extensions: { field, variable },
        });
      }
    }
  }
  const changes: Prisma.ProductUncheckedUpdateInput = {
    ...(data.name ? { name: data.name } : {}),
    ...(data.defaultLocale ? { defaultLocale: data.defaultLocale } : {}),
    ...(data.features ? { features: checkedFeatures(data.features) } : {}),
    ...(data.allowedOrigins ? { allowedOrigins: checkedOrigins(data.allowedOrigins) } : {}),
    ...(data.mailFrom !== undefined ? { mailFrom: data.mailFrom } : {}),
    ...(data.invitationUrl !== undefined ? { invitationUrl: data.invitationUrl } : {}),
    ...(data.passwordResetUrl !== undefined ? { passwordResetUrl: data.passwordResetUrl } : {}),
    ...(data.operatorOrganizationId
      ? { operatorOrganizationId: await checkedOperator(app, data.operatorOrganizationId) }
      : {}),
    ...limitColumns('default', data.defaultLimits),
  };
  const updated = await app.db.$transaction(async (tx) => {
    const row = await tx.product.update({ where: { id: product.id }, data: changes });
    await auditAs(
      caller,
      tx,
      'product.updated',
      { type: 'Product', id: row.id },
      {
        slug: row.slug,
        fields: Object.keys(changes),
      },
    );
    return row;
  });
  await app.products.changed();
  return updated;
}
