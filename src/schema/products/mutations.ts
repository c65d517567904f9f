import { builder } from '../../graphql/builder.ts';
import { createProduct, updateProduct } from '../../products/settings.ts';
import { changeSubscription } from '../../products/subscriptions.ts';
import { OrganizationRef } from '../accounts/types.ts';
import { LimitsInput } from '../limits/types.ts';
import { ProductRef, SubscriptionStatus } from './types.ts';

const productFields = {
  name: 'The name emails and pages carry.',
  defaultLocale: 'The language of messages when nothing else decides it: en, cs or de.',
  features: 'The feature modules it declares: Herald’s own and its own (`dsar` makes `read:dsar` and `write:dsar`).',
  allowedOrigins: 'The browser origins whose pages may call Herald for it (CORS).',
  mailFrom: 'The sender of its emails.',
  invitationUrl: 'Its page that takes an invitation token: `{token}` marks where it goes.',
  passwordResetUrl: 'Its page that takes a password reset token: `{token}` marks where it goes.',
  operatorOrganizationId: 'The organization whose owners, admins and service accounts operate it.',
};

type InputFields = Parameters<Parameters<typeof builder.inputType>[1]['fields']>[0];

/** The settings both inputs take, each optional. */
const settings = (t: InputFields) => ({
  defaultLocale: t.string({ description: productFields.defaultLocale }),
  features: t.stringList({ description: productFields.features }),
  allowedOrigins: t.stringList({ description: productFields.allowedOrigins }),
  mailFrom: t.string({ description: productFields.mailFrom }),
  invitationUrl: t.string({ description: productFields.invitationUrl }),
  passwordResetUrl: t.string({ description: productFields.passwordResetUrl }),
  defaultLimits: t.field({
    type: LimitsInput,
    description: 'The limits of its organizations without an override (a field left out stays, null removes it).',
  }),
});

const CreateProductInput = builder.inputType('CreateProductInput', {
  fields: (t) => ({
    slug: t.string({ required: true, description: 'Its name on requests and in tokens; never changes.' }),
    name: t.string({ required: true, description: productFields.name }),
    ...settings(t),
    operatorOrganizationId: t.id({ description: `${productFields.operatorOrganizationId} The caller’s by default.` }),
  }),
});

const UpdateProductInput = builder.inputType('UpdateProductInput', {
  fields: (t) => ({
    productSlug: t.string({ required: true }),
    name: t.string({ description: productFields.name }),
    ...settings(t),
    operatorOrganizationId: t.id({ description: productFields.operatorOrganizationId }),
  }),
});

const UpdateOrganizationSubscriptionInput = builder.inputType('UpdateOrganizationSubscriptionInput', {
  fields: (t) => ({
    organizationId: t.id({ required: true }),
    status: t.field({ type: SubscriptionStatus, description: 'CANCELED suspends the organization.' }),
    plan: t.string(),
    features: t.stringList({ description: 'The feature modules it enables: some of its product’s.' }),
    currentPeriodEnd: t.field({ type: 'DateTime' }),
  }),
});

builder.mutationFields((t) => ({
  createProduct: t.withAuth({ scope: 'write:products' }).field({
    type: ProductRef,
    description: 'A new product; for the operators of the default product.',
    args: { input: t.arg({ type: CreateProductInput, required: true }) },
    resolve: (_root, { input }, context) => createProduct(context, input),
  }),
  updateProduct: t.withAuth({ scope: 'write:products' }).field({
    type: ProductRef,
    description: 'Changes a product (fields left out stay); for its operators.',
    args: { input: t.arg({ type: UpdateProductInput, required: true }) },
    resolve: (_root, { input }, context) => updateProduct(context, input),
  }),
  updateOrganizationSubscription: t.withAuth({ scope: 'write:subscriptions' }).field({
    type: OrganizationRef,
    description:
      'Changes an organization’s subscription (fields left out stay); for its product’s operators. CANCELED ends its sessions and suspends its credentials until it leaves CANCELED.',
    args: { input: t.arg({ type: UpdateOrganizationSubscriptionInput, required: true }) },
    resolve: (_root, { input }, context) => changeSubscription(context, input),
  }),
}));
