import type { OrganizationChoice } from '../../accounts/login.ts';
import type { Session } from '../../accounts/sessions.ts';
import type { Membership, Organization, User } from '../../generated/prisma/client.ts';
import { Role as RoleValues } from '../../generated/prisma/enums.ts';
import { builder } from '../../graphql/builder.ts';
import { isLocale } from '../../i18n/messages.ts';

export const Role = builder.enumType('Role', { values: Object.values(RoleValues) });

export const UserRef = builder.objectRef<User>('User').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    email: t.exposeString('email'),
    name: t.exposeString('name'),
    locale: t.string({
      description:
        "Language of messages and emails: en, cs or de. The user's choice (updateProfile), else the request's product's default language.",
      resolve: (user, _args, { product }) =>
        user.locale && isLocale(user.locale)
          ? user.locale
          : isLocale(product.defaultLocale)
            ? product.defaultLocale
            : 'en',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const OrganizationRef = builder.objectRef<Organization>('Organization').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    slug: t.exposeString('slug'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const MembershipRef = builder
  .objectRef<Membership & { user: User; organization: Organization }>('Membership')
  .implement({
    fields: (t) => ({
      role: t.expose('role', { type: Role }),
      user: t.field({ type: UserRef, resolve: (m) => m.user }),
      organization: t.field({ type: OrganizationRef, resolve: (m) => m.organization }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
    }),
  });

export const AuthPayload = builder.objectRef<Session>('AuthPayload').implement({
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'accessToken' in value,
  fields: (t) => ({
    accessToken: t.exposeString('accessToken', { description: 'ES256 JWT for `Authorization: Bearer`.' }),
    refreshToken: t.exposeString('refreshToken', {
      description: 'Opaque; exchanged once, by `refresh`, for a new pair.',
    }),
    expiresIn: t.exposeInt('expiresIn', { description: 'Seconds until the access token expires.' }),
    scopes: t.exposeStringList('scopes'),
    user: t.field({ type: UserRef, resolve: (s) => s.user }),
    organization: t.field({ type: OrganizationRef, resolve: (s) => s.organization }),
  }),
});

export const OrganizationSelection = builder.objectRef<OrganizationChoice>('OrganizationSelection').implement({
  description: 'The user belongs to several organizations: finish with `selectOrganization`.',
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'selectionToken' in value,
  fields: (t) => ({
    selectionToken: t.exposeString('selectionToken', { description: 'Single use, valid for 5 minutes.' }),
    organizations: t.field({
      type: [OrganizationRef],
      resolve: (s) => s.organizations as Organization[],
    }),
  }),
});

export const LoginResult = builder.unionType('LoginResult', { types: [AuthPayload, OrganizationSelection] });
