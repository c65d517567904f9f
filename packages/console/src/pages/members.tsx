// Organization → Members: who belongs, with which role (changed in place), removing someone,
// and the invitations still open: invite, send again (a new link; the old one stops) or revoke.
import type { Session } from '@herald/client';
import { useState } from 'preact/hooks';
import { useQuery, useSubmit } from '../data.ts';
import {
  ConsoleInvitationsDocument,
  ConsoleInviteMemberDocument,
  ConsoleMembersDocument,
  ConsoleRemoveMemberDocument,
  ConsoleResendInvitationDocument,
  ConsoleRevokeInvitationDocument,
  ConsoleUpdateMemberRoleDocument,
  type Role,
} from '../generated/graphql.ts';
import { herald } from '../herald.ts';
import { type MessageKey, t } from '../i18n.ts';
import { can } from '../session.ts';
import {
  Badge,
  ConfirmDialog,
  Dialog,
  FormError,
  Loading,
  PageTitle,
  SelectField,
  Status,
  TableScroll,
  TextField,
  Time,
} from '../ui.tsx';

const ROLES: Role[] = ['OWNER', 'ADMIN', 'MEMBER'];
const ROLE_NAMES: Record<Role, MessageKey> = { OWNER: 'roleOwner', ADMIN: 'roleAdmin', MEMBER: 'roleMember' };
const roleOptions = () => ROLES.map((role) => ({ value: role, label: t(ROLE_NAMES[role]) }));

export function MembersPage(props: { session: Session }) {
  const members = useQuery(ConsoleMembersDocument, { first: 100 });
  const invitations = useQuery(ConsoleInvitationsDocument, { first: 100 });
  const mayWrite = can(props.session, 'write:members');
  const [inviting, setInviting] = useState(false);
  const [removing, setRemoving] = useState<{ id: string; name: string } | null>(null);
  const [revoking, setRevoking] = useState<{ id: string; email: string } | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const act = async (action: () => Promise<unknown>, done: string) => {
    setNote(null);
    setProblem(null);
    try {
      await action();
      setNote(done);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  };
  const memberEdges = members.data?.members.edges ?? [];
  const invitationEdges = invitations.data?.invitations.edges ?? [];
  return (
    <section>
      <div class="title-row">
        <PageTitle>{t('membersTitle')}</PageTitle>
        {mayWrite ? (
          <button type="button" class="primary" onClick={() => setInviting(true)}>
            {t('inviteMember')}
          </button>
        ) : null}
      </div>
      <FormError message={problem ?? members.error?.message ?? null} />
      <Status message={note} />
      {members.loading && !members.data ? <Loading /> : null}
      {memberEdges.length > 0 ? (
        <TableScroll label={t('membersTitle')}>
          <table class="members">
            <thead>
              <tr>
                <th scope="col">{t('name')}</th>
                <th scope="col">{t('email')}</th>
                <th scope="col">{t('role')}</th>
                <th scope="col">{t('joined')}</th>
                {mayWrite ? <th scope="col">{t('actions')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {memberEdges.map(({ node }) => {
                const self = node.user.id === props.session.user.id;
                return (
                  <tr key={node.user.id}>
                    <th scope="row">
                      {node.user.name}
                      {self ? <span class="muted">{` (${t('you')})`}</span> : null}
                    </th>
                    <td>{node.user.email}</td>
                    <td>
                      {mayWrite ? (
                        <select
                          aria-label={t('roleOf', { name: node.user.name })}
                          value={node.role}
                          onChange={(event) => {
                            const role = (event.target as HTMLSelectElement).value as Role;
                            void act(
                              () =>
                                herald
                                  .request(ConsoleUpdateMemberRoleDocument, { input: { userId: node.user.id, role } })
                                  .finally(() => members.reload()),
                              t('roleChanged', { name: node.user.name, role: t(ROLE_NAMES[role]) }),
                            );
                          }}
                        >
                          {roleOptions().map((option) => (
                            <option key={option.value} value={option.value}>
                              {option.label}
                            </option>
                          ))}
                        </select>
                      ) : (
                        t(ROLE_NAMES[node.role])
                      )}
                    </td>
                    <td>
                      <Time value={node.createdAt} />
                    </td>
                    {mayWrite ? (
                      <td class="row-actions">
                        {self ? null : (
                          <button
                            type="button"
                            class="danger"
                            onClick={() => setRemoving({ id: node.user.id, name: node.user.name })}
                          >
                            {t('remove')}
                            <span class="visually-hidden">{` ${node.user.name}`}</span>
                          </button>
                        )}
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      ) : null}

      <section aria-labelledby="invitations-heading">
        <h2 id="invitations-heading">{t('invitationsTitle')}</h2>
        {invitations.error ? <FormError message={invitations.error.message} /> : null}
        {invitations.data && invitationEdges.length === 0 ? <p class="empty">{t('noInvitations')}</p> : null}
        {invitationEdges.length > 0 ? (
          <TableScroll label={t('invitationsTitle')}>
            <table class="invitations">
              <thead>
                <tr>
                  <th scope="col">{t('email')}</th>
                  <th scope="col">{t('role')}</th>
                  <th scope="col">{t('sent')}</th>
                  <th scope="col">{t('expires')}</th>
                  {mayWrite ? <th scope="col">{t('actions')}</th> : null}
                </tr>
              </thead>
              <tbody>
                {invitationEdges.map(({ node }) => (
                  <tr key={node.id}>
                    <th scope="row">{node.email}</th>
                    <td>{t(ROLE_NAMES[node.role])}</td>
                    <td>
                      <Time value={node.createdAt} />
                    </td>
                    <td>
                      <Time value={node.expiresAt} />
                      {new Date(node.expiresAt).getTime() <= Date.now() ? (
                        <>
                          {' '}
                          <Badge tone="warn">{t('expired')}</Badge>
                        </>
                      ) : null}
                    </td>
                    {mayWrite ? (
                      <td class="row-actions">
                        <button
                          type="button"
                          onClick={() =>
                            act(
                              () =>
                                herald
                                  .request(ConsoleResendInvitationDocument, { input: { id: node.id } })
                                  .then(() => invitations.reload()),
                              t('invitationResent', { email: node.email }),
                            )
                          }
                        >
                          {t('resend')}
                          <span class="visually-hidden">{` ${node.email}`}</span>
                        </button>
                        <button
                          type="button"
                          class="danger"
                          onClick={() => setRevoking({ id: node.id, email: node.email })}
                        >
                          {t('revoke')}
                          <span class="visually-hidden">{` ${node.email}`}</span>
                        </button>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        ) : null}
      </section>

      {inviting ? (
        <Invite
          onClose={() => setInviting(false)}
          onSent={(email) => {
            setInviting(false);
            setNote(t('invitationSent', { email }));
            void invitations.reload();
          }}
        />
      ) : null}
      {removing ? (
        <ConfirmDialog
          title={t('removeMemberTitle', { name: removing.name })}
          confirm={t('remove')}
          danger
          onConfirm={() =>
            herald.request(ConsoleRemoveMemberDocument, { input: { userId: removing.id } }).then(() => members.reload())
          }
          onClose={() => setRemoving(null)}
        >
          <p>{t('removeMemberExplained')}</p>
        </ConfirmDialog>
      ) : null}
      {revoking ? (
        <ConfirmDialog
          title={t('revokeInvitationTitle', { email: revoking.email })}
          confirm={t('revoke')}
          danger
          onConfirm={() =>
            herald
              .request(ConsoleRevokeInvitationDocument, { input: { id: revoking.id } })
              .then(() => invitations.reload())
          }
          onClose={() => setRevoking(null)}
        >
          <p>{t('revokeInvitationExplained')}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function Invite(props: { onClose: () => void; onSent: (email: string) => void }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('MEMBER');
  const { busy, errors, submit } = useSubmit(['email', 'role'], async () => {
    await herald.request(ConsoleInviteMemberDocument, { input: { email, role } });
    props.onSent(email);
  });
  return (
    <Dialog title={t('inviteMember')} onClose={props.onClose}>
      <form onSubmit={submit} noValidate>
        <FormError message={errors.form} />
        <TextField
          label={t('email')}
          name="email"
          type="email"
          required
          value={email}
          onValue={setEmail}
          error={errors.fields.email}
        />
        <SelectField
          label={t('role')}
          name="role"
          value={role}
          onValue={(value) => setRole(value as Role)}
          options={roleOptions()}
          error={errors.fields.role}
          hint={t('roleHint')}
        />
        <div class="actions">
          <button type="button" onClick={props.onClose}>
            {t('cancel')}
          </button>
          <button type="submit" class="primary" disabled={busy}>
            {t('sendInvitation')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
