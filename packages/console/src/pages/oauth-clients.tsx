// OAuth applications of a service account (the client credentials grant at /oauth/token):
// registered with a name and scopes, the client id and the secret (once) shown with copy
// buttons, a table like the tokens', secret rotation and revocation after a confirmation.
import type { Session } from '@herald/client';
import { useState } from 'preact/hooks';
import { useQuery, useSubmit } from '../data.ts';
import {
  ConsoleCreateOAuthClientDocument,
  type ConsoleOAuthClientFragment,
  ConsoleOAuthClientsDocument,
  ConsoleRevokeOAuthClientDocument,
  ConsoleRotateOAuthClientSecretDocument,
  type ConsoleServiceAccountFragment,
} from '../generated/graphql.ts';
import { herald } from '../herald.ts';
import { t } from '../i18n.ts';
import { ScopePicker } from '../scopes.tsx';
import { can } from '../session.ts';
import { Badge, ConfirmDialog, Dialog, FormError, Loading, SecretOnce, TableScroll, TextField, Time } from '../ui.tsx';
import { actorName } from './tokens.tsx';

interface Credentials {
  clientId: string;
  clientSecret: string;
}

export function OAuthClientsSection(props: { session: Session; serviceAccount: ConsoleServiceAccountFragment }) {
  const [registering, setRegistering] = useState(false);
  const [shown, setShown] = useState<Credentials | null>(null);
  const [includeRevoked, setIncludeRevoked] = useState(false);
  const [acting, setActing] = useState<{ client: ConsoleOAuthClientFragment; action: 'rotate' | 'revoke' } | null>(
    null,
  );
  const clients = useQuery(ConsoleOAuthClientsDocument, {
    serviceAccountSlug: props.serviceAccount.slug,
    includeRevoked,
    first: 100,
  });
  const mayWrite = can(props.session, 'write:tokens');
  const connection = clients.data?.oauthClients;
  return (
    <section aria-labelledby="clients-heading">
      <div class="title-row">
        <h2 id="clients-heading">{t('oauthTitle')}</h2>
        {mayWrite && !props.serviceAccount.disabledAt ? (
          <button type="button" class="primary" onClick={() => setRegistering(true)}>
            {t('registerApplication')}
          </button>
        ) : null}
      </div>
      <p class="lead">{t('oauthIntro')}</p>
      <div class="filters">
        <label class="choice">
          <input
            type="checkbox"
            checked={includeRevoked}
            onChange={(event) => setIncludeRevoked((event.target as HTMLInputElement).checked)}
          />
          {t('showRevoked')}
        </label>
      </div>
      {clients.error ? <FormError message={clients.error.message} /> : null}
      {clients.loading && !connection ? <Loading /> : null}
      {connection && connection.edges.length === 0 ? <p class="empty">{t('noApplications')}</p> : null}
      {connection && connection.edges.length > 0 ? (
        <TableScroll label={t('oauthTitle')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('name')}</th>
                <th scope="col">{t('clientId')}</th>
                <th scope="col">{t('secret')}</th>
                <th scope="col">{t('scopes')}</th>
                <th scope="col">{t('createdBy')}</th>
                <th scope="col">{t('lastUsed')}</th>
                <th scope="col">{t('status')}</th>
                {mayWrite ? <th scope="col">{t('actions')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {connection.edges.map(({ node }) => (
                <tr key={node.id}>
                  <th scope="row">{node.name}</th>
                  <td class="mono">{node.clientId}</td>
                  <td class="mono">
                    {node.secretPrefix}…
                    {node.secretRotatedAt ? (
                      <span class="small muted">
                        <br />
                        {t('rotatedAt')} <Time value={node.secretRotatedAt} />
                      </span>
                    ) : null}
                  </td>
                  <td class="mono scopes-cell">{node.scopes.join(' ')}</td>
                  <td>
                    {actorName(node.createdBy)}
                    <br />
                    <Time value={node.createdAt} />
                  </td>
                  <td>
                    <Time value={node.lastUsedAt} never={t('neverUsed')} />
                  </td>
                  <td>
                    {node.revokedAt ? <Badge tone="off">{t('revoked')}</Badge> : <Badge tone="ok">{t('active')}</Badge>}
                    {node.revokedBy ? (
                      <span class="muted small">{` ${t('revokedByName', { name: actorName(node.revokedBy) })}`}</span>
                    ) : null}
                  </td>
                  {mayWrite ? (
                    <td class="row-actions">
                      {node.revokedAt ? null : (
                        <>
                          <button type="button" onClick={() => setActing({ client: node, action: 'rotate' })}>
                            {t('rotateSecret')}
                            <span class="visually-hidden">{` ${node.name}`}</span>
                          </button>
                          <button
                            type="button"
                            class="danger"
                            onClick={() => setActing({ client: node, action: 'revoke' })}
                          >
                            {t('revoke')}
                            <span class="visually-hidden">{` ${node.name}`}</span>
                          </button>
                        </>
                      )}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
      {registering ? (
        <RegisterApplication
          session={props.session}
          serviceAccountSlug={props.serviceAccount.slug}
          onClose={() => setRegistering(false)}
          onCreated={(credentials) => {
            setRegistering(false);
            setShown(credentials);
            void clients.reload();
          }}
        />
      ) : null}
      {acting?.action === 'revoke' ? (
        <ConfirmDialog
          title={t('revokeApplicationTitle', { name: acting.client.name })}
          confirm={t('revoke')}
          danger
          onConfirm={() =>
            herald
              .request(ConsoleRevokeOAuthClientDocument, { input: { id: acting.client.id } })
              .then(() => clients.reload())
          }
          onClose={() => setActing(null)}
        >
          <p>{t('revokeApplicationExplained')}</p>
        </ConfirmDialog>
      ) : null}
      {acting?.action === 'rotate' ? (
        <ConfirmDialog
          title={t('rotateSecretTitle', { name: acting.client.name })}
          confirm={t('rotateSecret')}
          danger
          onConfirm={async () => {
            const { rotateOAuthClientSecret } = await herald.request(ConsoleRotateOAuthClientSecretDocument, {
              input: { id: acting.client.id },
            });
            await clients.reload();
            setShown(rotateOAuthClientSecret);
          }}
          onClose={() => setActing(null)}
        >
          <p>{t('rotateSecretExplained')}</p>
        </ConfirmDialog>
      ) : null}
      {shown ? (
        <Dialog title={t('secretOnceTitle')} onClose={() => setShown(null)} dismissible={false}>
          <p class="warning" role="alert">
            {t('secretOnceWarning')}
          </p>
          <SecretOnce label={t('clientId')} value={shown.clientId} id="client-id" />
          <SecretOnce label={t('clientSecret')} value={shown.clientSecret} id="client-secret" />
          <div class="actions">
            <button type="button" class="primary" onClick={() => setShown(null)}>
              {t('storedIt')}
            </button>
          </div>
        </Dialog>
      ) : null}
    </section>
  );
}

function RegisterApplication(props: {
  session: Session;
  serviceAccountSlug: string;
  onClose: () => void;
  onCreated: (credentials: Credentials) => void;
}) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  const { busy, errors, submit } = useSubmit(['name', 'scopes'], async () => {
    const { createOAuthClient } = await herald.request(ConsoleCreateOAuthClientDocument, {
      input: { serviceAccountSlug: props.serviceAccountSlug, name, scopes },
    });
    props.onCreated(createOAuthClient);
  });
  return (
    <Dialog title={t('registerApplication')} onClose={props.onClose}>
      <form onSubmit={submit} noValidate>
        <FormError message={errors.form} />
        <TextField
          label={t('applicationName')}
          name="name"
          required
          value={name}
          onValue={setName}
          error={errors.fields.name}
        />
        <ScopePicker held={props.session.scopes} value={scopes} onValue={setScopes} error={errors.fields.scopes} />
        <div class="actions">
          <button type="button" onClick={props.onClose}>
            {t('cancel')}
          </button>
          <button type="submit" class="primary" disabled={busy}>
            {t('register')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
