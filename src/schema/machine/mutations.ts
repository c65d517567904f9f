import { builder } from '../../graphql/builder.ts';
import { createApiToken, revokeApiToken, rotateApiToken, updateApiToken } from '../../machine/api-tokens.ts';
import { createServiceAccount, deleteServiceAccount, updateServiceAccount } from '../../machine/service-accounts.ts';
import { credentialLimitFields } from '../limits/inputs.ts';
import { ApiTokenRef, CreateApiTokenPayload, ServiceAccountRef } from './types.ts';

const CreateServiceAccountInput = builder.inputType('CreateServiceAccountInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    slug: t.string({ description: 'Unique in the organization; derived from the name when omitted.' }),
    description: t.string(),
  }),
});

const UpdateServiceAccountInput = builder.inputType('UpdateServiceAccountInput', {
  fields: (t) => ({
    slug: t.string({ required: true, description: 'Which service account.' }),
    name: t.string(),
    description: t.string(),
    disabled: t.boolean({
      description:
        'Disabling revokes every API token and OAuth client of the account; enabling it again brings none of them back.',
    }),
  }),
});

const DeleteServiceAccountInput = builder.inputType('DeleteServiceAccountInput', {
  fields: (t) => ({ slug: t.string({ required: true }) }),
});

const CreateApiTokenInput = builder.inputType('CreateApiTokenInput', {
  fields: (t) => ({
    serviceAccountSlug: t.string({ required: true }),
    name: t.string({ required: true }),
    scopes: t.stringList({ required: true, description: '`<read|write>:<module|*>`, at most what the caller holds.' }),
    expiresAt: t.field({
      type: 'DateTime',
      description: 'In the future, within the configured maximum (API_TOKEN_MAX_TTL_DAYS), which is also the default.',
    }),
    ...credentialLimitFields(t),
  }),
});

const UpdateApiTokenInput = builder.inputType('UpdateApiTokenInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    name: t.string(),
    scopes: t.stringList(),
    expiresAt: t.field({ type: 'DateTime' }),
    ...credentialLimitFields(t),
  }),
});

const RevokeApiTokenInput = builder.inputType('RevokeApiTokenInput', {
  fields: (t) => ({ id: t.id({ required: true }) }),
});

const RotateApiTokenInput = builder.inputType('RotateApiTokenInput', {
  fields: (t) => ({ id: t.id({ required: true }) }),
});

builder.mutationFields((t) => ({
  createServiceAccount: t.withAuth({ scope: 'write:service_accounts' }).field({
    type: ServiceAccountRef,
    args: { input: t.arg({ type: CreateServiceAccountInput, required: true }) },
    resolve: (_root, { input }, caller) => createServiceAccount(caller, input),
  }),
  updateServiceAccount: t.withAuth({ scope: 'write:service_accounts' }).field({
    type: ServiceAccountRef,
    args: { input: t.arg({ type: UpdateServiceAccountInput, required: true }) },
    resolve: (_root, { input }, caller) => updateServiceAccount(caller, input),
  }),
  deleteServiceAccount: t.withAuth({ scope: 'write:service_accounts' }).field({
    type: ServiceAccountRef,
    description: 'Deletes the account and every token it has.',
    args: { input: t.arg({ type: DeleteServiceAccountInput, required: true }) },
    resolve: (_root, { input }, caller) => deleteServiceAccount(caller, input),
  }),
  createApiToken: t.withAuth({ scope: 'write:tokens' }).field({
    type: CreateApiTokenPayload,
    args: { input: t.arg({ type: CreateApiTokenInput, required: true }) },
    resolve: (_root, { input }, caller) => createApiToken(caller, input),
  }),
  updateApiToken: t.withAuth({ scope: 'write:tokens' }).field({
    type: ApiTokenRef,
    args: { input: t.arg({ type: UpdateApiTokenInput, required: true }) },
    resolve: (_root, { input }, caller) => updateApiToken(caller, input),
  }),
  revokeApiToken: t.withAuth({ scope: 'write:tokens' }).field({
    type: ApiTokenRef,
    args: { input: t.arg({ type: RevokeApiTokenInput, required: true }) },
    resolve: (_root, { input }, caller) => revokeApiToken(caller, input),
  }),
  rotateApiToken: t.withAuth({ scope: 'write:tokens' }).field({
    type: CreateApiTokenPayload,
    description: 'A new secret with the same name, scopes and expiry; the old one stops working.',
    args: { input: t.arg({ type: RotateApiTokenInput, required: true }) },
    resolve: (_root, { input }, caller) => rotateApiToken(caller, input),
  }),
}));
