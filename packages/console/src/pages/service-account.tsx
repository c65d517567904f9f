// One service account: what it is for, its status, its API tokens and OAuth applications.
// Disabling revokes every credential it has (enabling brings none back); deleting removes it.
import type { Session } from '@herald/client';
import { useState } from 'preact/hooks';
import { useQuery, useSubmit } from '../data.ts';
import {
  ConsoleDeleteServiceAccountDocument,
  ConsoleServiceAccountDocument,
  type ConsoleServiceAccountFragment,
  ConsoleUpdateServiceAccountDocument,
} from '../generated/graphql.ts';
import { herald } from '../herald.ts';
import { t } from '../i18n.ts';
import { navigate } from '../router.ts';
import { can } from '../session.ts';
import { Badge, ConfirmDialog, Dialog, FormError, Link, Loading, PageTitle, TextField, Time } from '../ui.tsx';
import { OAuthClientsSection } from './oauth-clients.tsx';
import { TokensSection } from './tokens.tsx';

export function ServiceAccountPage(props: { session: Session; slug: string }) {
  const account = useQuery(ConsoleServiceAccountDocument, { slug: props.slug });
  const [dialog, setDialog] = useState<'edit' | 'toggle' | 'delete' | null>(null);
  const mayWrite = can(props.session, 'write:service_accounts');
  const node = account.data?.serviceAccount;
  if (account.error) {
    return (
      <section>
        <PageTitle>{t('serviceAccountsTitle')}</PageTitle>
        <FormError message={account.error.message} />
        <p>
          <Link to="/service-accounts">{t('backToServiceAccounts')}</Link>
        </p>
      </section>
    );
  }
  if (!node) return <Loading />;
  const disabled = !!node.disabledAt;
  const toggle = () =>
    herald
      .request(ConsoleUpdateServiceAccountDocument, { input: { slug: node.slug, disabled: !disabled } })
      .then(() => account.reload());
  return (
    <section>
      <p class="crumbs">
        <Link to="/service-accounts">{t('serviceAccountsTitle')}</Link>
      </p>
      <div class="title-row">
        <PageTitle>{node.name}</PageTitle>
        {disabled ? <Badge tone="off">{t('disabled')}</Badge> : <Badge tone="ok">{t('active')}</Badge>}
      </div>
      <dl class="facts">
        <dt>{t('slug')}</dt>
        <dd class="mono">{node.slug}</dd>
        <dt>{t('description')}</dt>
        <dd>{node.description || <span class="muted">{t('noDescription')}</span>}</dd>
        <dt>{t('created')}</dt>
        <dd>
          <Time value={node.createdAt} />
        </dd>
        {disabled ? (
          <>
            <dt>{t('disabledSince')}</dt>
            <dd>
              <Time value={node.disabledAt} />
            </dd>
          </>
        ) : null}
      </dl>
      {mayWrite ? (
        <div class="actions start">
          <button type="button" onClick={() => setDialog('edit')}>
            {t('edit')}
          </button>
          <button type="button" onClick={() => setDialog('toggle')}>
            {disabled ? t('enable') : t('disable')}
          </button>
          <button type="button" class="danger" onClick={() => setDialog('delete')}>
            {t('delete')}
          </button>
        </div>
      ) : null}
      <TokensSection session={props.session} serviceAccount={node} key={`tokens-${node.disabledAt}`} />
      <OAuthClientsSection session={props.session} serviceAccount={node} key={`clients-${node.disabledAt}`} />
      {dialog === 'edit' ? (
        <EditServiceAccount
          account={node}
          onClose={() => setDialog(null)}
          onSaved={() => {
            setDialog(null);
            void account.reload();
          }}
        />
      ) : null}
      {dialog === 'toggle' ? (
        <ConfirmDialog
          title={disabled ? t('enableTitle', { name: node.name }) : t('disableTitle', { name: node.name })}
          confirm={disabled ? t('enable') : t('disable')}
          danger={!disabled}
          onConfirm={toggle}
          onClose={() => setDialog(null)}
        >
          <p>{disabled ? t('enableExplained') : t('disableExplained')}</p>
        </ConfirmDialog>
      ) : null}
      {dialog === 'delete' ? (
        <ConfirmDialog
          title={t('deleteTitle', { name: node.name })}
          confirm={t('delete')}
          danger
          onConfirm={async () => {
            await herald.request(ConsoleDeleteServiceAccountDocument, { input: { slug: node.slug } });
            navigate('/service-accounts');
          }}
          onClose={() => setDialog(null)}
        >
          <p>{t('deleteExplained')}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function EditServiceAccount(props: {
  account: ConsoleServiceAccountFragment;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [name, setName] = useState(props.account.name);
  const [description, setDescription] = useState(props.account.description ?? '');
  const { busy, errors, submit } = useSubmit(['name', 'description'], async () => {
    await herald.request(ConsoleUpdateServiceAccountDocument, {
      input: { slug: props.account.slug, name, description: description || null },
    });
    props.onSaved();
  });
  return (
    <Dialog title={t('editServiceAccount')} onClose={props.onClose}>
      <form onSubmit={submit} noValidate>
        <FormError message={errors.form} />
        <TextField label={t('name')} name="name" required value={name} onValue={setName} error={errors.fields.name} />
        <TextField
          label={t('description')}
          name="description"
          value={description}
          onValue={setDescription}
          error={errors.fields.description}
        />
        <div class="actions">
          <button type="button" onClick={props.onClose}>
            {t('cancel')}
          </button>
          <button type="submit" class="primary" disabled={busy}>
            {t('save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
