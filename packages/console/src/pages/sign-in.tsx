// Signing in (and choosing an organization when the person has several), asking for a
// password reset, setting a new password from the emailed link, and accepting an invitation
// from its emailed link. Point INVITATION_URL and PASSWORD_RESET_URL here (docs/console.md).
import type { Organization } from '@herald/client';
import { useState } from 'preact/hooks';
import { useSubmit } from '../data.ts';
import { herald } from '../herald.ts';
import { t } from '../i18n.ts';
import { navigate, useLocation } from '../router.ts';
import { FormError, Link, PageTitle, Status, TextField } from '../ui.tsx';

export function SignInPage() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [choices, setChoices] = useState<Organization[] | null>(null);
  const { busy, errors, submit } = useSubmit(['email', 'password'], async () => {
    const result = await herald.signIn({ email, password });
    if (!result.session) setChoices(result.organizations);
  });
  if (choices) return <OrganizationChoice organizations={choices} />;
  return (
    <section class="narrow">
      <PageTitle>{t('signInTitle')}</PageTitle>
      <form onSubmit={submit} noValidate>
        <FormError message={errors.form} />
        <TextField
          label={t('email')}
          name="email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onValue={setEmail}
          error={errors.fields.email}
        />
        <TextField
          label={t('password')}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onValue={setPassword}
          error={errors.fields.password}
        />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {t('signIn')}
          </button>
        </div>
      </form>
      <p>
        <Link to="/forgot-password">{t('forgotPassword')}</Link>
      </p>
    </section>
  );
}

function OrganizationChoice(props: { organizations: Organization[] }) {
  const [error, setError] = useState<string | null>(null);
  return (
    <section class="narrow">
      <PageTitle>{t('chooseOrganization')}</PageTitle>
      <FormError message={error} />
      <ul class="choices">
        {props.organizations.map((organization) => (
          <li key={organization.id}>
            <button
              type="button"
              onClick={async () => {
                setError(null);
                try {
                  await herald.selectOrganization({ organizationId: organization.id });
                } catch (problem) {
                  setError(problem instanceof Error ? problem.message : String(problem));
                }
              }}
            >
              {organization.name} <span class="muted mono">{organization.slug}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const { busy, errors, submit } = useSubmit(['email'], async () => {
    await herald.requestPasswordReset({ email });
    setSent(true);
  });
  return (
    <section class="narrow">
      <PageTitle>{t('forgotPasswordTitle')}</PageTitle>
      <p>{t('forgotPasswordIntro')}</p>
      <form onSubmit={submit} noValidate>
        <FormError message={errors.form} />
        <TextField
          label={t('email')}
          name="email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onValue={setEmail}
          error={errors.fields.email}
        />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {t('sendResetLink')}
          </button>
        </div>
      </form>
      <Status message={sent ? t('resetLinkSent') : null} />
      <p>
        <Link to="/sign-in">{t('backToSignIn')}</Link>
      </p>
    </section>
  );
}

export function ResetPasswordPage() {
  const token = useLocation().query.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const { busy, errors, submit } = useSubmit(['password', 'token'], async () => {
    await herald.resetPassword({ token, password });
    setDone(true);
  });
  return (
    <section class="narrow">
      <PageTitle>{t('resetPasswordTitle')}</PageTitle>
      {done ? (
        <>
          <Status message={t('passwordChanged')} />
          <p>
            <Link to="/sign-in">{t('signIn')}</Link>
          </p>
        </>
      ) : (
        <form onSubmit={submit} noValidate>
          <FormError message={token ? (errors.fields.token ?? errors.form) : t('linkWithoutToken')} />
          <TextField
            label={t('newPassword')}
            name="password"
            type="password"
            autoComplete="new-password"
            required
            value={password}
            onValue={setPassword}
            error={errors.fields.password}
            hint={t('passwordHint')}
          />
          <div class="actions">
            <button type="submit" class="primary" disabled={busy || !token}>
              {t('setPassword')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

export function AcceptInvitationPage() {
  const token = useLocation().query.get('token') ?? '';
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const { busy, errors, submit } = useSubmit(['name', 'password', 'token'], async () => {
    await herald.acceptInvitation({ token, password, ...(name ? { name } : {}) });
    navigate('/', { replace: true });
  });
  return (
    <section class="narrow">
      <PageTitle>{t('acceptInvitationTitle')}</PageTitle>
      <p>{t('acceptInvitationIntro')}</p>
      <form onSubmit={submit} noValidate>
        <FormError message={token ? (errors.fields.token ?? errors.form) : t('linkWithoutToken')} />
        <TextField
          label={t('yourName')}
          name="name"
          autoComplete="name"
          value={name}
          onValue={setName}
          error={errors.fields.name}
          hint={t('yourNameHint')}
        />
        <TextField
          label={t('password')}
          name="password"
          type="password"
          autoComplete="new-password"
          required
          value={password}
          onValue={setPassword}
          error={errors.fields.password}
          hint={t('invitationPasswordHint')}
        />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy || !token}>
            {t('acceptInvitation')}
          </button>
        </div>
      </form>
    </section>
  );
}
