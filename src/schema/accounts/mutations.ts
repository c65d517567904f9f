import { login, register, selectOrganization, switchOrganization } from '../../accounts/login.ts';
import { changePassword, requestPasswordReset, resetPassword } from '../../accounts/passwords.ts';
import { updateProfile } from '../../accounts/profile.ts';
import { logout, refreshSession, revokeProductSessions } from '../../accounts/sessions.ts';
import { builder } from '../../graphql/builder.ts';
import { AuthPayload, LoginResult, UserRef } from './types.ts';

const RegisterInput = builder.inputType('RegisterInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    password: t.string({ required: true }),
    name: t.string({ required: true }),
    organizationName: t.string({ required: true }),
  }),
});

const LoginInput = builder.inputType('LoginInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    password: t.string({ required: true }),
    organizationId: t.id({ description: 'Skips the organization selection for users in several.' }),
  }),
});

const SelectOrganizationInput = builder.inputType('SelectOrganizationInput', {
  fields: (t) => ({
    selectionToken: t.string({ required: true }),
    organizationId: t.id({ required: true }),
  }),
});

const SwitchOrganizationInput = builder.inputType('SwitchOrganizationInput', {
  fields: (t) => ({ organizationId: t.id({ required: true }) }),
});

const RefreshInput = builder.inputType('RefreshInput', {
  fields: (t) => ({ refreshToken: t.string({ required: true }) }),
});

const LogoutInput = builder.inputType('LogoutInput', {
  fields: (t) => ({ refreshToken: t.string({ required: true }) }),
});

const RequestPasswordResetInput = builder.inputType('RequestPasswordResetInput', {
  fields: (t) => ({ email: t.string({ required: true }) }),
});

const ResetPasswordInput = builder.inputType('ResetPasswordInput', {
  fields: (t) => ({ token: t.string({ required: true }), password: t.string({ required: true }) }),
});

const ChangePasswordInput = builder.inputType('ChangePasswordInput', {
  fields: (t) => ({ currentPassword: t.string({ required: true }), newPassword: t.string({ required: true }) }),
});

const UpdateProfileInput = builder.inputType('UpdateProfileInput', {
  fields: (t) => ({ name: t.string(), locale: t.string({ description: 'en, cs or de' }) }),
});

builder.mutationFields((t) => ({
  register: t.field({
    type: AuthPayload,
    authScopes: { public: true },
    description: 'Creates an organization with the caller as OWNER, and the user when the email is new.',
    args: { input: t.arg({ type: RegisterInput, required: true }) },
    resolve: (_root, { input }, { app, product, ip }) => register(app, product, input, ip),
  }),
  login: t.field({
    type: LoginResult,
    authScopes: { public: true },
    args: { input: t.arg({ type: LoginInput, required: true }) },
    resolve: (_root, { input }, { app, product, ip }) => login(app, product, input, ip),
  }),
  selectOrganization: t.field({
    type: AuthPayload,
    authScopes: { public: true },
    args: { input: t.arg({ type: SelectOrganizationInput, required: true }) },
    resolve: (_root, { input }, { app, product, ip }) => selectOrganization(app, product, input, ip),
  }),
  switchOrganization: t.withAuth({ user: true }).field({
    type: AuthPayload,
    description: 'A new token pair for another of the user’s organizations.',
    args: { input: t.arg({ type: SwitchOrganizationInput, required: true }) },
    resolve: (_root, { input }, { app, product, principal }) => switchOrganization(app, product, principal.id, input),
  }),
  refresh: t.field({
    type: AuthPayload,
    authScopes: { public: true },
    description: 'Exchanges a refresh token for a new pair; the old refresh token stops working.',
    args: { input: t.arg({ type: RefreshInput, required: true }) },
    resolve: (_root, { input }, { app, ip, productNamed }) => refreshSession(app, input.refreshToken, ip, productNamed),
  }),
  logout: t.boolean({
    authScopes: { public: true },
    description: 'Ends the session the refresh token belongs to.',
    args: { input: t.arg({ type: LogoutInput, required: true }) },
    resolve: (_root, { input }, { app }) => logout(app, input.refreshToken),
  }),
  logoutAll: t.withAuth({ user: true }).boolean({
    description:
      'Ends every session of the signed-in user in this product, in every organization; other products’ stay (a password change or reset ends them all).',
    resolve: async (_root, _args, { app, principal, product }) => {
      await revokeProductSessions(app, principal.id, product.id);
      return true;
    },
  }),
  requestPasswordReset: t.boolean({
    authScopes: { public: true },
    description: 'Emails a reset link when the account exists. Always answers true.',
    args: { input: t.arg({ type: RequestPasswordResetInput, required: true }) },
    resolve: (_root, { input }, { app, ip, product, requestedLocale }) =>
      requestPasswordReset(app, product, input, ip, requestedLocale),
  }),
  resetPassword: t.boolean({
    authScopes: { public: true },
    description: 'Sets a new password with the emailed token; every session ends.',
    args: { input: t.arg({ type: ResetPasswordInput, required: true }) },
    resolve: (_root, { input }, { app, ip }) => resetPassword(app, input, ip),
  }),
  changePassword: t.withAuth({ user: true }).field({
    type: AuthPayload,
    description: 'Changes the password, ends every other session and answers a fresh pair.',
    args: { input: t.arg({ type: ChangePasswordInput, required: true }) },
    resolve: (_root, { input }, { app, principal, ip }) => changePassword(app, principal, input, ip),
  }),
  updateProfile: t.withAuth({ user: true }).field({
    type: UserRef,
    args: { input: t.arg({ type: UpdateProfileInput, required: true }) },
    resolve: (_root, { input }, { app, principal }) => updateProfile(app, principal.id, input),
  }),
}));
