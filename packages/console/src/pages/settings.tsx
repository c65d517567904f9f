// Organization → Settings: its name and slug, and where security alerts go besides email
// (a Slack incoming webhook, shown masked: the URL is a secret).
import type { Session } from '@herald/client';
import { useState } from 'preact/hooks';
import { useQuery, useSubmit } from '../data.ts';
import {
  ConsoleOrganizationSettingsDocument,
  ConsoleUpdateOrganizationDocument,
  ConsoleUpdateSecurityAlertSettingsDocument,
} from '../generated/graphql.ts';
import { herald } from '../herald.ts';
import { t } from '../i18n.ts';
import { can } from '../session.ts';
import { FormError, Loading, PageTitle, Status, TextField } from '../ui.tsx';

export function SettingsPage(props: { session: Session }) {
  const settings = useQuery(ConsoleOrganizationSettingsDocument, {});
  if (settings.error) return <FormError message={settings.error.message} />;
  if (!settings.data) return <Loading />;
  const mayWrite = can(props.session, 'write:organization');
  return (
    <section>
      <PageTitle>{t('settingsTitle')}</PageTitle>
      <OrganizationForm
        name={settings.data.organization.name}
        slug={settings.data.organization.slug}
        mayWrite={mayWrite}
        onSaved={() => settings.reload()}
      />
      <SlackForm
        current={settings.data.securityAlertSettings.slackWebhookUrl}
        mayWrite={mayWrite}
        onSaved={() => settings.reload()}
      />
    </section>
  );
}

function OrganizationForm(props: { name: string; slug: string; mayWrite: boolean; onSaved: () => void }) {
  const [name, setName] = useState(props.name);
  const [slug, setSlug] = useState(props.slug);
  const [saved, setSaved] = useState<string | null>(null);
  const { busy, errors, submit } = useSubmit(['name', 'slug'], async () => {
    setSaved(null);
    await herald.request(ConsoleUpdateOrganizationDocument, {
      input: { ...(name !== props.name ? { name } : {}), ...(slug !== props.slug ? { slug } : {}) },
    });
    setSaved(t('saved'));
    props.onSaved();
  });
  return (
    <section aria-labelledby="organization-heading">
      <h2 id="organization-heading">{t('organization')}</h2>
      <form onSubmit={submit} noValidate>
        <FormError message={errors.form} />
        <TextField label={t('name')} name="name" value={name} onValue={setName} error={errors.fields.name} />
        <TextField
          label={t('slug')}
          name="slug"
          class="mono"
          value={slug}
          onValue={setSlug}
          error={errors.fields.slug}
          hint={t('organizationSlugHint')}
        />
        {props.mayWrite ? (
          <div class="actions start">
            <button type="submit" class="primary" disabled={busy}>
              {t('save')}
            </button>
          </div>
        ) : null}
      </form>
      <Status message={saved} />
    </section>
  );
}

function SlackForm(props: { current: string | null; mayWrite: boolean; onSaved: () => void }) {
  const [url, setUrl] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const save = (slackWebhookUrl: string | null) => async () => {
    setSaved(null);
    await herald.request(ConsoleUpdateSecurityAlertSettingsDocument, { input: { slackWebhookUrl } });
    setUrl('');
    setSaved(slackWebhookUrl ? t('saved') : t('slackRemoved'));
    props.onSaved();
  };
  const { busy, errors, submit } = useSubmit(['slackWebhookUrl'], save(url));
  const removal = useSubmit(['slackWebhookUrl'], save(null));
  return (
    <section aria-labelledby="alerts-heading">
      <h2 id="alerts-heading">{t('securityAlertsTitle')}</h2>
      <p class="lead">{t('securityAlertsIntro')}</p>
      <p>
        {t('slackCurrent')}{' '}
        {props.current ? <span class="mono">{props.current}</span> : <span class="muted">{t('slackNone')}</span>}
      </p>
      {props.mayWrite ? (
        <form onSubmit={submit} noValidate>
          <FormError message={errors.form ?? removal.errors.form} />
          <TextField
            label={t('slackUrl')}
            name="slackWebhookUrl"
            type="url"
            value={url}
            onValue={setUrl}
            error={errors.fields.slackWebhookUrl}
            hint={t('slackHint')}
          />
          <div class="actions start">
            <button type="submit" class="primary" disabled={busy || !url}>
              {t('save')}
            </button>
            {props.current ? (
              <button type="button" class="danger" disabled={removal.busy} onClick={() => removal.submit()}>
                {t('slackRemove')}
              </button>
            ) : null}
          </div>
        </form>
      ) : null}
      <Status message={saved} />
    </section>
  );
}
