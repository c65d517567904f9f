// Integrations → Service accounts: the organization's machine users, and a new one with a
// slug derived from its name (as Herald derives it), which the admin may change.
import type { Session } from '@herald/client';
import { useState } from 'preact/hooks';
import { useQuery, useSubmit } from '../data.ts';
import { ConsoleCreateServiceAccountDocument, ConsoleServiceAccountsDocument } from '../generated/graphql.ts';
import { herald } from '../herald.ts';
import { t } from '../i18n.ts';
import { navigate } from '../router.ts';
import { can } from '../session.ts';
import { Badge, Dialog, FormError, Link, Loading, PageTitle, TableScroll, TextField, Time } from '../ui.tsx';

/** Herald's own rule (src/accounts/slug.ts): `Deploy Bot` → `deploy-bot`. */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
}

export function ServiceAccountsPage(props: { session: Session }) {
  const accounts = useQuery(ConsoleServiceAccountsDocument, { first: 100 });
  const [creating, setCreating] = useState(false);
  const mayWrite = can(props.session, 'write:service_accounts');
  const edges = accounts.data?.serviceAccounts.edges ?? [];
  return (
    <section>
      <div class="title-row">
        <PageTitle>{t('serviceAccountsTitle')}</PageTitle>
        {mayWrite ? (
          <button type="button" class="primary" onClick={() => setCreating(true)}>
            {t('newServiceAccount')}
          </button>
        ) : null}
      </div>
      <p class="lead">{t('serviceAccountsIntro')}</p>
      {accounts.error ? <FormError message={accounts.error.message} /> : null}
      {accounts.loading && !accounts.data ? <Loading /> : null}
      {accounts.data && edges.length === 0 ? <p class="empty">{t('noServiceAccounts')}</p> : null}
      {edges.length > 0 ? (
        <TableScroll label={t('serviceAccountsTitle')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('name')}</th>
                <th scope="col">{t('slug')}</th>
                <th scope="col">{t('description')}</th>
                <th scope="col">{t('status')}</th>
                <th scope="col">{t('created')}</th>
              </tr>
            </thead>
            <tbody>
              {edges.map(({ node }) => (
                <tr key={node.id}>
                  <th scope="row">
                    <Link to={`/service-accounts/${node.slug}`}>{node.name}</Link>
                  </th>
                  <td class="mono">{node.slug}</td>
                  <td>{node.description ?? ''}</td>
                  <td>
                    {node.disabledAt ? (
                      <Badge tone="off">{t('disabled')}</Badge>
                    ) : (
                      <Badge tone="ok">{t('active')}</Badge>
                    )}
                  </td>
                  <td>
                    <Time value={node.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
      {creating ? <CreateServiceAccount onClose={() => setCreating(false)} /> : null}
    </section>
  );
}

function CreateServiceAccount(props: { onClose: () => void }) {
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [slugEdited, setSlugEdited] = useState(false);
  const [description, setDescription] = useState('');
  const shownSlug = slugEdited ? slug : slugify(name);
  const { busy, errors, submit } = useSubmit(['name', 'slug', 'description'], async () => {
    const { createServiceAccount } = await herald.request(ConsoleCreateServiceAccountDocument, {
      input: { name, slug: shownSlug || null, description: description || null },
    });
    props.onClose();
    navigate(`/service-accounts/${createServiceAccount.slug}`);
  });
  return (
    <Dialog title={t('newServiceAccount')} onClose={props.onClose}>
      <form onSubmit={submit} noValidate>
        <FormError message={errors.form} />
        <TextField label={t('name')} name="name" required value={name} onValue={setName} error={errors.fields.name} />
        <TextField
          label={t('slug')}
          name="slug"
          class="mono"
          value={shownSlug}
          onValue={(value) => {
            setSlugEdited(true);
            setSlug(value);
          }}
          error={errors.fields.slug}
          hint={t('slugHint')}
        />
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
            {t('create')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
