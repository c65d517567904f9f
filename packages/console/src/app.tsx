// The console's frame: the header (organization, language, sign-out), the navigation, and
// the page of the address. Pages that need a session send a signed-out visitor to sign in,
// and back to where they were going afterwards.
import type { Session } from '@herald/client';
import type { HeraldInbox } from '@herald/inbox';
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useQuery } from './data.ts';
import { ConsoleMyOrganizationsDocument } from './generated/graphql.ts';
import { herald, product } from './herald.ts';
import { LOCALES, type Locale, setLocale, t, useLocale } from './i18n.ts';
import { useOperatedProduct } from './operator.ts';
import { AuditPage } from './pages/audit.tsx';
import { MembersPage } from './pages/members.tsx';
import { ServiceAccountPage } from './pages/service-account.tsx';
import { ServiceAccountsPage } from './pages/service-accounts.tsx';
import { SettingsPage } from './pages/settings.tsx';
import { AcceptInvitationPage, ForgotPasswordPage, ResetPasswordPage, SignInPage } from './pages/sign-in.tsx';
import { TokensPage } from './pages/tokens.tsx';
import { WebhookPage, WebhooksPage } from './pages/webhooks.tsx';
import { navigate, useLocation } from './router.ts';
import { useSession } from './session.ts';
import { Link, Loading, PageTitle } from './ui.tsx';

const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', cs: 'Čeština', de: 'Deutsch' };

const PUBLIC: Record<string, () => ComponentChildren> = {
  '/sign-in': () => <SignInPage />,
  '/forgot-password': () => <ForgotPasswordPage />,
  '/reset-password': () => <ResetPasswordPage />,
  '/accept-invitation': () => <AcceptInvitationPage />,
};

function page(path: string, session: Session): ComponentChildren {
  if (path === '/' || path === '/service-accounts') return <ServiceAccountsPage session={session} />;
  const account = /^\/service-accounts\/([a-z0-9-]+)$/.exec(path);
  if (account) return <ServiceAccountPage session={session} slug={account[1] as string} />;
  if (path === '/tokens') return <TokensPage session={session} />;
  if (path === '/members') return <MembersPage session={session} />;
  if (path === '/settings') return <SettingsPage session={session} />;
  if (path === '/audit') return <AuditPage session={session} />;
  if (path === '/webhooks') return <WebhooksPage session={session} />;
  const endpoint = /^\/webhooks\/([\w-]+)$/.exec(path);
  if (endpoint) return <WebhookPage session={session} id={endpoint[1] as string} />;
  if (path === '/product') return <OperatorPage render={(pages) => <pages.ProductPage session={session} />} />;
  if (path === '/product/organizations') {
    return <OperatorPage render={(pages) => <pages.ProductOrganizationsPage session={session} />} />;
  }
  const operated = /^\/product\/organizations\/([a-z0-9-]+)$/.exec(path);
  if (operated) {
    const slug = operated[1] as string;
    return <OperatorPage render={(pages) => <pages.ProductOrganizationPage session={session} slug={slug} />} />;
  }
  return <NotFound />;
}

type OperatorPages = typeof import('./pages/operators.tsx');
let operatorPages: Promise<OperatorPages> | undefined;

/** The operators' pages, loaded when one is opened: no one else pays for them. */
function OperatorPage(props: { render: (pages: OperatorPages) => ComponentChildren }) {
  const [pages, setPages] = useState<{ loaded: OperatorPages } | null>(null);
  useEffect(() => {
    operatorPages ??= import('./pages/operators.tsx');
    void operatorPages.then((loaded) => setPages({ loaded }));
  }, []);
  return pages ? props.render(pages.loaded) : <Loading />;
}

export function App() {
  useLocale();
  const { path, query } = useLocation();
  const { session, restoring } = useSession();
  const isPublic = path in PUBLIC;

  useEffect(() => {
    if (!restoring && !session && !isPublic) {
      const next = `${location.pathname}${location.search}`;
      navigate(`/sign-in?next=${encodeURIComponent(next)}`, { replace: true, redirect: true });
    }
  }, [restoring, session, isPublic]);

  // Signed in on the sign-in page (or having just signed in): on to where they were going.
  useEffect(() => {
    if (session && path === '/sign-in') {
      const next = query.get('next');
      navigate(next?.startsWith('/console') ? next.slice('/console'.length) || '/' : '/', { replace: true });
    }
  }, [session, path, query]);

  return (
    <>
      <a class="skip" href="#main">
        {t('skipToContent')}
      </a>
      <Header session={session} />
      <div class="frame">
        {session && !isPublic ? <Navigation path={path} session={session} /> : null}
        <main id="main">
          {isPublic ? (PUBLIC[path] as () => ComponentChildren)() : session ? page(path, session) : <Loading />}
        </main>
      </div>
    </>
  );
}

function Header(props: { session: Session | null }) {
  const locale = useLocale();
  return (
    <header class="top">
      <p class="brand">{t('appName')}</p>
      <div class="top-controls">
        {props.session ? <OrganizationSwitch session={props.session} /> : null}
        <label class="compact">
          <span class="visually-hidden">{t('language')}</span>
          <select value={locale} onChange={(event) => setLocale((event.target as HTMLSelectElement).value as Locale)}>
            {LOCALES.map((code) => (
              <option key={code} value={code} lang={code}>
                {LANGUAGE_NAMES[code]}
              </option>
            ))}
          </select>
        </label>
        {props.session ? <Inbox session={props.session} locale={locale} /> : null}
        {props.session ? <AccountMenu session={props.session} /> : null}
      </div>
    </header>
  );
}

/**
 * The person's notifications: Herald's <herald-inbox>, bundled with the console (it shares the
 * console's @herald/client) and loaded once someone is signed in. It asks the console's client
 * for the access token, so a refreshed or switched session reaches it.
 */
function Inbox(props: { session: Session; locale: Locale }) {
  const holder = useRef<HTMLSpanElement>(null);
  const [inbox, setInbox] = useState<HeraldInbox | null>(null);
  useEffect(() => {
    let gone = false;
    void import('@herald/inbox').then(() => {
      if (gone || !holder.current) return;
      const element = document.createElement('herald-inbox');
      element.setAttribute('url', location.origin);
      element.setAttribute('client', 'console');
      const slug = product();
      if (slug) element.setAttribute('product', slug);
      holder.current.append(element);
      setInbox(element);
    });
    return () => {
      gone = true;
    };
  }, []);
  useEffect(() => {
    inbox?.setAttribute('lang', props.locale);
  }, [inbox, props.locale]);
  // Another person or organization: the element starts over with the new session's token.
  const who = `${props.session.user.id} ${props.session.organization.id}`;
  useEffect(() => {
    if (inbox) inbox.getToken = () => herald.getAccessToken();
  }, [inbox, who]);
  return <span class="inbox" ref={holder} />;
}

function OrganizationSwitch(props: { session: Session }) {
  const organizations = useQuery(ConsoleMyOrganizationsDocument, {});
  const [error, setError] = useState<string | null>(null);
  const memberships = organizations.data?.myOrganizations ?? [];
  if (memberships.length < 2) {
    return <p class="organization">{props.session.organization.name}</p>;
  }
  return (
    <label class="compact">
      <span class="visually-hidden">{t('organization')}</span>
      <select
        value={props.session.organization.id}
        aria-describedby={error ? 'switch-error' : undefined}
        onChange={async (event) => {
          setError(null);
          try {
            await herald.switchOrganization({ organizationId: (event.target as HTMLSelectElement).value });
            navigate('/');
          } catch (problem) {
            setError(problem instanceof Error ? problem.message : String(problem));
          }
        }}
      >
        {memberships.map((membership) => (
          <option key={membership.organization.id} value={membership.organization.id}>
            {membership.organization.name}
          </option>
        ))}
      </select>
      {error ? (
        <span class="error" id="switch-error" role="alert">
          {error}
        </span>
      ) : null}
    </label>
  );
}

function AccountMenu(props: { session: Session }) {
  return (
    <details class="account">
      <summary>
        <span class="visually-hidden">{t('account')}: </span>
        {props.session.user.name}
      </summary>
      <div class="menu">
        <p class="muted">{props.session.user.email}</p>
        <button type="button" onClick={() => herald.signOut()}>
          {t('signOut')}
        </button>
        <button type="button" onClick={() => herald.signOutEverywhere()}>
          {t('signOutEverywhere')}
        </button>
      </div>
    </details>
  );
}

type NavigationItem = { to: string; label: string };

function Navigation(props: { path: string; session: Session }) {
  const items: NavigationItem[] = [
    { to: '/service-accounts', label: t('navServiceAccounts') },
    { to: '/tokens', label: t('navTokens') },
    { to: '/members', label: t('navMembers') },
    { to: '/settings', label: t('navSettings') },
    { to: '/webhooks', label: t('navWebhooks') },
    { to: '/audit', label: t('navAudit') },
  ];
  // Only for the product's operators, as Herald answers the operator fields to them alone.
  const { operated } = useOperatedProduct(props.session);
  const operator: NavigationItem[] = operated
    ? [
        { to: '/product', label: t('navProduct') },
        { to: '/product/organizations', label: t('navProductOrganizations') },
      ]
    : [];
  const isCurrent = (item: NavigationItem) =>
    props.path === item.to ||
    (props.path.startsWith(`${item.to}/`) && item.to !== '/product') ||
    (props.path === '/' && item.to === '/service-accounts');
  const links = (list: NavigationItem[]) =>
    list.map((item) => (
      <li key={item.to}>
        <Link to={item.to} current={isCurrent(item)}>
          {item.label}
        </Link>
      </li>
    ));
  return (
    <nav aria-label={t('navigation')}>
      <ul>{links(items)}</ul>
      {operator.length ? (
        <>
          <p class="nav-group" id="operator-navigation">
            {t('navOperatorSection')}
          </p>
          <ul aria-labelledby="operator-navigation">{links(operator)}</ul>
        </>
      ) : null}
    </nav>
  );
}

function NotFound() {
  return (
    <section>
      <PageTitle>{t('notFound')}</PageTitle>
      <p>
        <Link to="/">{t('backHome')}</Link>
      </p>
    </section>
  );
}
