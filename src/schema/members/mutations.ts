import { builder } from '../../graphql/builder.ts';
import { acceptInvitation, inviteMember, resendInvitation, revokeInvitation } from '../../members/invitations.ts';
import { leaveOrganization, removeMember, updateMemberRole } from '../../members/membership.ts';
import { AuthPayload, MembershipRef, Role } from '../accounts/types.ts';
import { InvitationRef } from './types.ts';

const InviteMemberInput = builder.inputType('InviteMemberInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    role: t.field({ type: Role, required: true, description: 'Only owners may invite owners.' }),
  }),
});

const AcceptInvitationInput = builder.inputType('AcceptInvitationInput', {
  fields: (t) => ({
    token: t.string({ required: true, description: 'From the invitation email.' }),
    name: t.string({ description: 'Required when the email has no account yet.' }),
    password: t.string({ required: true, description: 'A new password, or the existing account’s password.' }),
  }),
});

const UpdateMemberRoleInput = builder.inputType('UpdateMemberRoleInput', {
  fields: (t) => ({ userId: t.id({ required: true }), role: t.field({ type: Role, required: true }) }),
});

const RemoveMemberInput = builder.inputType('RemoveMemberInput', {
  fields: (t) => ({ userId: t.id({ required: true }) }),
});

const RevokeInvitationInput = builder.inputType('RevokeInvitationInput', {
  fields: (t) => ({ id: t.id({ required: true }) }),
});

const ResendInvitationInput = builder.inputType('ResendInvitationInput', {
  fields: (t) => ({ id: t.id({ required: true }) }),
});

const LeaveOrganizationInput = builder.inputType('LeaveOrganizationInput', {
  fields: (t) => ({ organizationId: t.id({ required: true, description: 'One of the user’s organizations.' }) }),
});

builder.mutationFields((t) => ({
  inviteMember: t.withAuth({ scope: 'write:members' }).field({
    type: InvitationRef,
    description: 'Emails a single-use invitation, valid for 7 days.',
    args: { input: t.arg({ type: InviteMemberInput, required: true }) },
    resolve: (_root, { input }, caller) => inviteMember(caller, input),
  }),
  revokeInvitation: t.withAuth({ scope: 'write:members' }).field({
    type: InvitationRef,
    description: 'Withdraws a pending invitation; its emailed link stops working.',
    args: { input: t.arg({ type: RevokeInvitationInput, required: true }) },
    resolve: (_root, { input }, caller) => revokeInvitation(caller, input),
  }),
  resendInvitation: t.withAuth({ scope: 'write:members' }).field({
    type: InvitationRef,
    description:
      'Emails a pending or expired invitation again with a new link, valid for 7 days; the earlier link stops working.',
    args: { input: t.arg({ type: ResendInvitationInput, required: true }) },
    resolve: (_root, { input }, caller) => resendInvitation(caller, input),
  }),
  leaveOrganization: t.withAuth({ user: true }).boolean({
    description: 'The signed-in user leaves an organization; their sessions there end. The last owner cannot leave.',
    args: { input: t.arg({ type: LeaveOrganizationInput, required: true }) },
    resolve: (_root, { input }, caller) => leaveOrganization(caller, input),
  }),
  acceptInvitation: t.field({
    type: AuthPayload,
    authScopes: { public: true },
    description: 'Joins the organization (creating the account if needed) and signs in there.',
    args: { input: t.arg({ type: AcceptInvitationInput, required: true }) },
    resolve: (_root, { input }, { app, ip, productNamed }) => acceptInvitation(app, input, ip, productNamed),
  }),
  updateMemberRole: t.withAuth({ scope: 'write:members' }).field({
    type: MembershipRef,
    description: 'Only owners grant or take away OWNER; the last owner keeps it.',
    args: { input: t.arg({ type: UpdateMemberRoleInput, required: true }) },
    resolve: (_root, { input }, caller) => updateMemberRole(caller, input),
  }),
  removeMember: t.withAuth({ scope: 'write:members' }).boolean({
    description: 'Removes a member; their sessions in this organization end.',
    args: { input: t.arg({ type: RemoveMemberInput, required: true }) },
    resolve: (_root, { input }, caller) => removeMember(caller, input),
  }),
}));
