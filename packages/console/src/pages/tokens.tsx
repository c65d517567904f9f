// API tokens: generated with a name, scopes (only those the admin holds) and an optional
// expiry; the secret shown once with a copy button; a table with prefix, scopes, who created
// it, when it was last used, expiry and status; rotation and revocation after a confirmation;
// and the filter for tokens unused for 30 days or more, to prune them.
import type { Session } from '@herald/client';
import { useEffect, useState } from 'preact/hooks';
import { useQuery, useSubmit } from '../data.ts';
import {
  type ConsoleActorFragment,
  type ConsoleApiTokenFragment,
  ConsoleApiTokensDocument,
  ConsoleCreateApiTokenDocument,
  ConsoleRevokeApiTokenDocument,
  ConsoleRotateApiTokenDocument,
  type ConsoleServiceAccountFragment,
} from '../generated/graphql.ts';
import { HeraldError, herald } from '../herald.ts';
import { type MessageKey, plural, shortDate, t } from '../i18n.ts';
import { ScopePicker } from '../scopes.tsx';
import { can } from '../session.ts';
import {
  Badge,
  ConfirmDialog,
  Dialog,
  FormError,
  Link,
  Loading,
  PageTitle,
  SecretOnce,
  SelectField,
  TableScroll,
  TextField,
  Time,
} from '../ui.tsx';

const DAY_MS = 24 * 3600 * 1000;
export const PRUNE_DAYS = 30;

export function TokensPage(props: { session: Session }) {
  return (
    <section>
      <PageTitle>{t('tokensTitle')}</PageTitle>
      <p class="lead">{t('tokensIntro')}</p>
      <TokensTable session={props.session} />
    </section>
  );
}

export function TokensSection(props: { session: Session; serviceAccount: ConsoleServiceAccountFragment }) {
  const [generating, setGenerating] = useState(false);
  const [shown, setShown] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const mayWrite = can(props.session, 'write:tokens') && !props.serviceAccount.disabledAt;
  return (
    <section aria-labelledby="tokens-heading">
      <div class="title-row">
        <h2 id="tokens-heading">{t('tokensTitle')}</h2>
        {mayWrite ? (
          <button type="button" class="primary" onClick={() => setGenerating(true)}>
            {t('generateToken')}
          </button>
        ) : null}
      </div>
      <TokensTable
        session={props.session}
        serviceAccountSlug={props.serviceAccount.slug}
        version={version}
        onSecret={setShown}
      />
      {generating ? (
        <GenerateToken
          session={props.session}
          serviceAccountSlug={props.serviceAccount.slug}
          onClose={() => setGenerating(false)}
          onCreated={(token) => {
            setGenerating(false);
            setShown(token);
            setVersion((n) => n + 1);
          }}
        />
      ) : null}
      {shown ? <TokenOnce token={shown} onClose={() => setShown(null)} /> : null}
    </section>
  );
}

export function actorName(actor: ConsoleActorFragment | null): string {
  if (!actor) return '—';
  return actor.name ?? (actor.type === 'SERVICE_ACCOUNT' ? t('deletedServiceAccount') : t('deletedUser'));
}

function status(token: { revokedAt: string | null; expiresAt?: string | null }) {
  if (token.revokedAt) return <Badge tone="off">{t('revoked')}</Badge>;
  if (token.expiresAt && new Date(token.expiresAt).getTime() <= Date.now()) {
    return <Badge tone="warn">{t('expired')}</Badge>;
  }
  return <Badge tone="ok">{t('active')}</Badge>;
}

export function TokensTable(props: {
  session: Session;
  serviceAccountSlug?: string;
  /** Changes when a token was added elsewhere, to read the list again. */
  version?: number;
  onSecret?: (token: string) => void;
}) {
  const [unused, setUnused] = useState(false);
  const [includeRevoked, setIncludeRevoked] = useState(false);
  const [first, setFirst] = useState(50);
  const [acting, setActing] = useState<{ token: ConsoleApiTokenFragment; action: 'rotate' | 'revoke' } | null>(null);
  const [rotated, setRotated] = useState<string | null>(null);
  // The instant is fixed when the filter is turned on, so that reloading asks the same question.
  const [since, setSince] = useState<string | null>(null);
  const tokens = useQuery(ConsoleApiTokensDocument, {
    serviceAccountSlug: props.serviceAccountSlug ?? null,
    includeRevoked,
    unusedSince: unused ? since : null,
    first,
  });
  useEffect(() => {
    if (props.version) void tokens.reload();
  }, [props.version]);
  const mayWrite = can(props.session, 'write:tokens');
  const connection = tokens.data?.apiTokens;
  const label = props.serviceAccountSlug ? t('tokensOf', { slug: props.serviceAccountSlug }) : t('tokensTitle');
  return (
    <div class="listing">
      <div class="filters">
        <label class="choice">
          <input
            type="checkbox"
            name="unused"
            checked={unused}
            onChange={(event) => {
              const on = (event.target as HTMLInputElement).checked;
              setSince(on ? new Date(Date.now() - PRUNE_DAYS * DAY_MS).toISOString() : null);
              setUnused(on);
            }}
          />
          {t('unusedFilter', { days: PRUNE_DAYS })}
        </label>
        <label class="choice">
          <input
            type="checkbox"
            name="revoked"
            checked={includeRevoked}
            onChange={(event) => setIncludeRevoked((event.target as HTMLInputElement).checked)}
          />
          {t('showRevoked')}
        </label>
        <button type="button" onClick={() => tokens.reload()}>
          {t('refresh')}
        </button>
      </div>
      {tokens.error ? <FormError message={tokens.error.message} /> : null}
      {tokens.loading && !connection ? <Loading /> : null}
      {connection ? (
        <p class="count" role="status">
          {plural({ one: 'tokenCountOne', few: 'tokenCountFew', other: 'tokenCountOther' }, connection.totalCount)}
        </p>
      ) : null}
      {connection && connection.edges.length > 0 ? (
        <TableScroll label={label}>
          <table class="tokens">
            <thead>
              <tr>
                <th scope="col">{t('name')}</th>
                {props.serviceAccountSlug ? null : <th scope="col">{t('serviceAccount')}</th>}
                <th scope="col">{t('prefix')}</th>
                <th scope="col">{t('scopes')}</th>
                <th scope="col">{t('createdBy')}</th>
                <th scope="col">{t('lastUsed')}</th>
                <th scope="col">{t('expires')}</th>
                <th scope="col">{t('limits')}</th>
                <th scope="col">{t('status')}</th>
                {mayWrite ? <th scope="col">{t('actions')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {connection.edges.map(({ node }) => {
                const live = !node.revokedAt && !(node.expiresAt && new Date(node.expiresAt).getTime() <= Date.now());
                return (
                  <tr key={node.id} data-token={node.id}>
                    <th scope="row">{node.name}</th>
                    {props.serviceAccountSlug ? null : (
                      <td>
                        <Link to={`/service-accounts/${node.serviceAccount.slug}`}>{node.serviceAccount.name}</Link>
                      </td>
                    )}
                    <td class="mono">{node.prefix}</td>
                    <td class="mono scopes-cell">{node.scopes.join(' ')}</td>
                    <td>
                      {actorName(node.createdBy)}
                      <br />
                      <Time value={node.createdAt} />
                    </td>
                    <td class="last-used">
                      <Time value={node.lastUsedAt} never={t('neverUsed')} />
                    </td>
                    <td>{node.expiresAt ? <Time value={node.expiresAt} /> : t('noExpiry')}</td>
                    <td class="small">{limitsOf(node)}</td>
                    <td>
                      {status(node)}
                      {node.revokedBy ? (
                        <span class="muted small">{` ${t('revokedByName', { name: actorName(node.revokedBy) })}`}</span>
                      ) : null}
                    </td>
                    {mayWrite ? (
                      <td class="row-actions">
                        {live ? (
                          <>
                            <button type="button" onClick={() => setActing({ token: node, action: 'rotate' })}>
                              {t('rotate')}
                              <span class="visually-hidden">{` ${node.name}`}</span>
                            </button>
                            <button
                              type="button"
                              class="danger"
                              onClick={() => setActing({ token: node, action: 'revoke' })}
                            >
                              {t('revoke')}
                              <span class="visually-hidden">{` ${node.name}`}</span>
                            </button>
                          </>
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      ) : connection ? (
        <p class="empty">{unused ? t('noUnusedTokens', { days: PRUNE_DAYS }) : t('noTokens')}</p>
      ) : null}
      {connection?.pageInfo.hasNextPage ? (
        <button type="button" onClick={() => setFirst((n) => n + 50)}>
          {t('showMore')}
        </button>
      ) : null}
      {acting?.action === 'revoke' ? (
        <ConfirmDialog
          title={t('revokeTokenTitle', { name: acting.token.name })}
          confirm={t('revoke')}
          danger
          onConfirm={() =>
            herald
              .request(ConsoleRevokeApiTokenDocument, { input: { id: acting.token.id } })
              .then(() => tokens.reload())
          }
          onClose={() => setActing(null)}
        >
          <p>{t('revokeTokenExplained', { prefix: acting.token.prefix })}</p>
        </ConfirmDialog>
      ) : null}
      {acting?.action === 'rotate' ? (
        <ConfirmDialog
          title={t('rotateTokenTitle', { name: acting.token.name })}
          confirm={t('rotate')}
          danger
          onConfirm={async () => {
            const { rotateApiToken } = await herald.request(ConsoleRotateApiTokenDocument, {
              input: { id: acting.token.id },
            });
            await tokens.reload();
            if (props.onSecret) props.onSecret(rotateApiToken.token);
            else setRotated(rotateApiToken.token);
          }}
          onClose={() => setActing(null)}
        >
          <p>{t('rotateTokenExplained', { prefix: acting.token.prefix })}</p>
        </ConfirmDialog>
      ) : null}
      {rotated ? <TokenOnce token={rotated} onClose={() => setRotated(null)} /> : null}
    </div>
  );
}

const WINDOWS: [number, MessageKey][] = [
  [1, 'perSecond'],
  [60, 'perMinute'],
  [3600, 'perHour'],
  [86_400, 'perDay'],
];
const windowName = (seconds: number) => {
  const known = WINDOWS.find(([size]) => size === seconds);
  return known ? t(known[1]) : t('perSeconds', { seconds });
};

/** "100 per minute · 5000 left, back to 5000 per day", or "—" for a token without limits. */
function limitsOf(token: ConsoleApiTokenFragment): string {
  const parts: string[] = [];
  if (token.rateLimit) parts.push(`${token.rateLimit.limit} ${windowName(token.rateLimit.windowSeconds)}`);
  if (token.remaining !== null) {
    parts.push(
      token.refill
        ? t('budgetRefilled', {
            remaining: token.remaining,
            amount: token.refill.amount,
            every: windowName(token.refill.intervalSeconds),
          })
        : t('budgetLeft', { remaining: token.remaining }),
    );
  }
  return parts.length > 0 ? parts.join(' · ') : '—';
}

type Expiry = '30' | '90' | '365' | 'max' | 'custom';

function expiresAt(choice: Expiry, custom: string): string | null {
  if (choice === 'max') return null;
  if (choice === 'custom') {
    if (!custom) throw new HeraldError({ code: 'BAD_USER_INPUT', field: 'expiresAt', message: t('chooseDate') });
    // The end of the chosen day, where the admin is.
    return new Date(`${custom}T23:59:59`).toISOString();
  }
  return new Date(Date.now() + Number(choice) * DAY_MS).toISOString();
}

function GenerateToken(props: {
  session: Session;
  serviceAccountSlug: string;
  onClose: () => void;
  onCreated: (token: string) => void;
}) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  const [expiry, setExpiry] = useState<Expiry>('90');
  const [custom, setCustom] = useState('');
  const [rate, setRate] = useState('');
  const [rateWindow, setRateWindow] = useState('60');
  const [budget, setBudget] = useState('');
  const [refillEvery, setRefillEvery] = useState('');
  const count = (field: string, value: string) => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < 1) {
      throw new HeraldError({ code: 'BAD_USER_INPUT', field, message: t('wholeNumber') });
    }
    return number;
  };
  const fields = ['name', 'scopes', 'expiresAt', 'rateLimit', 'remaining', 'refill'];
  const { busy, errors, submit } = useSubmit(fields, async () => {
    const limits = {
      ...(rate ? { rateLimit: { limit: count('rateLimit', rate), windowSeconds: Number(rateWindow) } } : {}),
      ...(budget ? { remaining: count('remaining', budget) } : {}),
      ...(budget && refillEvery
        ? { refill: { amount: count('remaining', budget), intervalSeconds: Number(refillEvery) } }
        : {}),
    };
    const { createApiToken } = await herald.request(ConsoleCreateApiTokenDocument, {
      input: {
        serviceAccountSlug: props.serviceAccountSlug,
        name,
        scopes,
        expiresAt: expiresAt(expiry, custom),
        ...limits,
      },
    });
    props.onCreated(createApiToken.token);
  });
  const inDays = (days: number) => shortDate(new Date(Date.now() + days * DAY_MS));
  return (
    <Dialog title={t('generateToken')} onClose={props.onClose}>
      <form onSubmit={submit} noValidate>
        <FormError message={errors.form} />
        <TextField
          label={t('tokenName')}
          name="name"
          required
          value={name}
          onValue={setName}
          error={errors.fields.name}
          hint={t('tokenNameHint')}
        />
        <ScopePicker held={props.session.scopes} value={scopes} onValue={setScopes} error={errors.fields.scopes} />
        <SelectField
          label={t('expiry')}
          name="expiry"
          value={expiry}
          onValue={(value) => setExpiry(value as Expiry)}
          error={expiry === 'custom' ? undefined : errors.fields.expiresAt}
          options={[
            { value: '30', label: t('expiryDays', { days: 30, date: inDays(30) }) },
            { value: '90', label: t('expiryDays', { days: 90, date: inDays(90) }) },
            { value: '365', label: t('expiryDays', { days: 365, date: inDays(365) }) },
            { value: 'max', label: t('expiryLongest') },
            { value: 'custom', label: t('expiryCustom') },
          ]}
        />
        {expiry === 'custom' ? (
          <TextField
            label={t('expiryDate')}
            name="expiresAt"
            type="date"
            value={custom}
            onValue={setCustom}
            error={errors.fields.expiresAt}
          />
        ) : null}
        <details class="limits" open={!!(errors.fields.rateLimit || errors.fields.remaining || errors.fields.refill)}>
          <summary>{t('limitsOptional')}</summary>
          <p class="hint">{t('limitsExplained')}</p>
          <div class="pair">
            <TextField
              label={t('rateLimit')}
              name="rateLimit"
              type="number"
              value={rate}
              onValue={setRate}
              error={errors.fields.rateLimit}
            />
            <SelectField
              label={t('rateWindow')}
              name="rateWindow"
              value={rateWindow}
              onValue={setRateWindow}
              options={WINDOWS.map(([size, key]) => ({ value: String(size), label: t(key) }))}
            />
          </div>
          <div class="pair">
            <TextField
              label={t('budget')}
              name="remaining"
              type="number"
              value={budget}
              onValue={setBudget}
              error={errors.fields.remaining}
            />
            <SelectField
              label={t('refillEvery')}
              name="refill"
              value={refillEvery}
              onValue={setRefillEvery}
              error={errors.fields.refill}
              options={[
                { value: '', label: t('refillNever') },
                ...WINDOWS.slice(2).map(([size, key]) => ({ value: String(size), label: t(key) })),
              ]}
            />
          </div>
        </details>
        <div class="actions">
          <button type="button" onClick={props.onClose}>
            {t('cancel')}
          </button>
          <button type="submit" class="primary" disabled={busy}>
            {t('generate')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** The new secret, once: the dialog closes only by the button that says it was stored. */
export function TokenOnce(props: { token: string; onClose: () => void }) {
  return (
    <Dialog title={t('tokenOnceTitle')} onClose={props.onClose} dismissible={false}>
      <p class="warning" role="alert">
        {t('tokenOnceWarning')}
      </p>
      <SecretOnce label={t('token')} value={props.token} id="api-token" />
      <div class="actions">
        <button type="button" class="primary" onClick={props.onClose}>
          {t('storedIt')}
        </button>
      </div>
    </Dialog>
  );
}
