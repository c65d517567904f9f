// herald members list, invite, invitations, set-role, remove.
import { type Command, Option } from 'commander';
import { act, examples } from '../command.ts';
import {
  type InvitationRowFragment,
  InvitationsDocument,
  InviteMemberDocument,
  MembersDocument,
  type MembershipRowFragment,
  RemoveMemberDocument,
  UpdateMemberRoleDocument,
} from '../generated/graphql.ts';
import { type Column, note, printJson, printTable, when } from '../output.ts';
import { collect } from '../paging.ts';

const ROLES = ['OWNER', 'ADMIN', 'MEMBER'];

const memberColumns: Column<MembershipRowFragment>[] = [
  { header: 'user id', value: (m) => m.user.id },
  { header: 'email', value: (m) => m.user.email },
  { header: 'name', value: (m) => m.user.name },
  { header: 'role', value: (m) => m.role, style: (t) => (t === 'OWNER' ? 'magenta' : t === 'ADMIN' ? 'cyan' : null) },
  { header: 'joined', value: (m) => when(m.createdAt) },
];

const invitationColumns: Column<InvitationRowFragment>[] = [
  { header: 'id', value: (i) => i.id },
  { header: 'email', value: (i) => i.email },
  { header: 'role', value: (i) => i.role },
  { header: 'expires', value: (i) => when(i.expiresAt) },
  { header: 'state', value: (i) => (i.revokedAt ? 'revoked' : 'open') },
];

const roleOption = () => new Option('--role <role>', 'the role').choices(ROLES).makeOptionMandatory();

export function registerMembers(program: Command) {
  const members = program.command('members').description('People in the organization, their roles and invitations');

  members
    .command('list')
    .description('List the organization’s members')
    .addHelpText(
      'after',
      examples(
        'herald members list',
        'herald members list --json | jq -r \'.[] | select(.role=="ADMIN") | .user.email\'',
      ),
    )
    .action(
      act(async ({ herald, json }) => {
        const { nodes } = await collect(
          async (first, after) => (await herald.request(MembersDocument, { first, after })).members,
          {
            what: 'members',
          },
        );
        if (json) printJson(nodes);
        else printTable(nodes, memberColumns, 'No members.');
      }),
    );

  members
    .command('invite <email>')
    .description('Invite someone by email (the email carries the invitation)')
    .addOption(roleOption())
    .addHelpText('after', examples('herald members invite grace@example.com --role ADMIN'))
    .action(
      act<{ role: 'OWNER' | 'ADMIN' | 'MEMBER' }>(async ({ herald, json, args: [email], options }) => {
        const { inviteMember } = await herald.request(InviteMemberDocument, {
          input: { email: email as string, role: options.role },
        });
        if (json) printJson(inviteMember);
        else
          note(
            `Invited ${inviteMember.email} as ${inviteMember.role}; the invitation expires ${when(inviteMember.expiresAt)}.`,
          );
      }),
    );

  members
    .command('invitations')
    .description('List open invitations')
    .addHelpText('after', examples('herald members invitations'))
    .action(
      act(async ({ herald, json }) => {
        const { nodes } = await collect(
          async (first, after) => (await herald.request(InvitationsDocument, { first, after })).invitations,
          { what: 'invitations' },
        );
        if (json) printJson(nodes);
        else printTable(nodes, invitationColumns, 'No invitations.');
      }),
    );

  members
    .command('set-role <user-id>')
    .description('Change a member’s role')
    .addOption(roleOption())
    .addHelpText('after', examples('herald members set-role 0193a5c4-… --role MEMBER'))
    .action(
      act<{ role: 'OWNER' | 'ADMIN' | 'MEMBER' }>(async ({ herald, json, args: [userId], options }) => {
        const { updateMemberRole } = await herald.request(UpdateMemberRoleDocument, {
          input: { userId: userId as string, role: options.role },
        });
        if (json) printJson(updateMemberRole);
        else printTable([updateMemberRole], memberColumns, '');
      }),
    );

  members
    .command('remove <user-id>')
    .description('Remove a member from the organization (their sessions in it end)')
    .addHelpText('after', examples('herald members remove 0193a5c4-…'))
    .action(
      act(async ({ herald, json, args: [userId] }) => {
        const { removeMember } = await herald.request(RemoveMemberDocument, { input: { userId: userId as string } });
        if (json) printJson({ removed: removeMember, userId });
        else note(`Removed ${userId}.`);
      }),
    );
}
