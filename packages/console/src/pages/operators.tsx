// The pages of a product's operators (owners and admins of the organization that operates the
// product): the product's settings and default limits, its organizations, and each one's
// subscription, limits and usage over the last hour. Herald decides who operates: the
// `product` query answers the operator fields (else null), and every mutation checks again.
// Only operators load this module: the console imports it when one of its pages is opened.
import type { Session } from '@herald/client';
import { useState } from 'preact/hooks';
import { useQuery, useSubmit } from '../data.ts';
import {
  type ConsoleLimitsFragment,
  ConsoleProductOrganizationDocument,
  type ConsoleProductOrganizationQuery,
  ConsoleProductOrganizationsDocument,
  ConsoleUpdateOrganizationLimitsDocument,
  ConsoleUpdateOrganizationSubscriptionDocument,
  ConsoleUpdateProductDocument,
  type SubscriptionStatus,
  type UpdateProductInput,
} from '../generated/graphql.ts';
import { herald } from '../herald.ts';
import { currentLocale, LOCALES, shortDate, t } from '../i18n.ts';
import { useOperatedProduct } from '../operator.ts';
import { can } from '../session.ts';
import { FormError, Link, Loading, PageTitle, SelectField, Status, TableScroll, TextField, Time } from '../ui.tsx';
import { type OperatorMessage, op } from './operators-messages.ts';

type Product = NonNullable<ReturnType<typeof useOperatedProduct>['operated']>;

function NotOperator() {
  return (
    <section>
      <PageTitle>{op('opNotOperatorTitle')}</PageTitle>
      <p>{op('opNotOperator')}</p>
    </section>
  );
}

const list = (value: string) =>
  value
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter(Boolean);

const LIMITS = ['requestsPerMinute', 'requestsPerDay', 'concurrentRequests', 'liveConnections'] as const;
type LimitName = (typeof LIMITS)[number];
const LIMIT_LABELS: Record<LimitName, OperatorMessage> = {
  requestsPerMinute: 'opRequestsPerMinute',
  requestsPerDay: 'opRequestsPerDay',
  concurrentRequests: 'opConcurrentRequests',
  liveConnections: 'opLiveConnections',
};

const asText = (value: number | null | undefined) => (value === null || value === undefined ? '' : String(value));

/** The limits that changed, as updateOrganizationLimits and LimitsInput take them: an emptied one is null. */
function changedLimits(before: ConsoleLimitsFragment, values: Record<LimitName, string>) {
  const changes: Partial<Record<LimitName, number | null>> = {};
  for (const name of LIMITS) {
    const value = values[name].trim();
    if (value === asText(before[name])) continue;
    changes[name] = value === '' ? null : Number(value);
  }
  return changes;
}

function LimitsForm(props: {
  id: string;
  limits: ConsoleLimitsFragment;
  hint: string;
  mayWrite: boolean;
  save: (changes: Partial<Record<LimitName, number | null>>) => Promise<unknown>;
  onSaved: () => void;
}) {
  const [values, setValues] = useState(
    () => Object.fromEntries(LIMITS.map((name) => [name, asText(props.limits[name])])) as Record<LimitName, string>,
  );
  const [saved, setSaved] = useState<string | null>(null);
  const { busy, errors, submit } = useSubmit(LIMITS, async () => {
    setSaved(null);
    await props.save(changedLimits(props.limits, values));
    setSaved(t('saved'));
    props.onSaved();
  });
  return (
    <form onSubmit={submit} noValidate aria-labelledby={props.id}>
      <FormError message={errors.form} />
      <div class="limit-fields">
        {LIMITS.map((name) => (
          <TextField
            key={name}
            label={op(LIMIT_LABELS[name])}
            name={name}
            type="number"
            value={values[name]}
            onValue={(value) => setValues({ ...values, [name]: value })}
            error={errors.fields[name]}
            hint={props.hint}
          />
        ))}
      </div>
      {props.mayWrite ? (
        <div class="actions start">
          <button type="submit" class="primary" disabled={busy}>
            {op('opSaveLimits')}
          </button>
        </div>
      ) : null}
      <Status message={saved} />
    </form>
  );
}

// —— The product ——

const SETTINGS = [
  'name',
  'defaultLocale',
  'features',
  'allowedOrigins',
  'mailFrom',
  'invitationUrl',
  'passwordResetUrl',
] as const;
type Setting = (typeof SETTINGS)[number];

function settingText(product: Product, field: Setting): string {
  const value = product[field];
  if (Array.isArray(value)) return value.join(', ');
  return value ?? '';
}

export function ProductPage(props: { session: Session }) {
  const query = useOperatedProduct(props.session);
  if (query.error) return <FormError message={query.error.message} />;
  if (query.loading && !query.data) return <Loading />;
  const product = query.operated;
  if (!product) return <NotOperator />;
  const mayWrite = can(props.session, 'write:products');
  return (
    <section>
      <PageTitle>{op('opProductTitle', { name: product.name })}</PageTitle>
      <p class="lead">{op('opProductIntro', { slug: product.slug })}</p>
      <ProductForm key={product.id} product={product} mayWrite={mayWrite} onSaved={() => query.reload()} />
      <section aria-labelledby="default-limits-heading">
        <h2 id="default-limits-heading">{op('opDefaultLimitsTitle')}</h2>
        <p class="lead">{op('opDefaultLimitsIntro')}</p>
        <LimitsForm
          id="default-limits-heading"
          limits={product.defaultLimits}
          hint={op('opUnlimitedHint')}
          mayWrite={mayWrite}
          save={(defaultLimits) =>
            herald.request(ConsoleUpdateProductDocument, { input: { productSlug: product.slug, defaultLimits } })
          }
          onSaved={() => query.reload()}
        />
      </section>
    </section>
  );
}

const SETTING_LABELS: Record<Exclude<Setting, 'name'>, OperatorMessage> = {
  defaultLocale: 'opDefaultLocale',
  features: 'opFeatures',
  allowedOrigins: 'opAllowedOrigins',
  mailFrom: 'opMailFrom',
  invitationUrl: 'opInvitationUrl',
  passwordResetUrl: 'opPasswordResetUrl',
};
const SETTING_HINTS: Partial<Record<Setting, OperatorMessage>> = {
  features: 'opFeaturesHint',
  allowedOrigins: 'opAllowedOriginsHint',
  invitationUrl: 'opLinkHint',
  passwordResetUrl: 'opLinkHint',
};

const settingLabel = (field: Setting) => (field === 'name' ? t('name') : op(SETTING_LABELS[field]));

function ProductForm(props: { product: Product; mayWrite: boolean; onSaved: () => void }) {
  const { product } = props;
  const fromEnvironment = new Map((product.setByEnvironment ?? []).map((setting) => [setting.field, setting.variable]));
  const initial = Object.fromEntries(SETTINGS.map((field) => [field, settingText(product, field)])) as Record<
    Setting,
    string
  >;
  const [values, setValues] = useState(initial);
  const [saved, setSaved] = useState<string | null>(null);
  const { busy, errors, submit } = useSubmit(SETTINGS, async () => {
    setSaved(null);
    const input: UpdateProductInput = { productSlug: product.slug };
    const changed = (field: Setting) => values[field] !== initial[field] && !fromEnvironment.has(field);
    const optional = (field: Setting) => values[field].trim() || null;
    if (changed('name')) input.name = values.name.trim();
    if (changed('defaultLocale')) input.defaultLocale = values.defaultLocale;
    if (changed('features')) input.features = list(values.features);
    if (changed('allowedOrigins')) input.allowedOrigins = list(values.allowedOrigins);
    if (changed('mailFrom')) input.mailFrom = optional('mailFrom');
    if (changed('invitationUrl')) input.invitationUrl = optional('invitationUrl');
    if (changed('passwordResetUrl')) input.passwordResetUrl = optional('passwordResetUrl');
    await herald.request(ConsoleUpdateProductDocument, { input });
    setSaved(t('saved'));
    props.onSaved();
  });
  return (
    <section aria-labelledby="product-heading">
      <h2 id="product-heading">{op('opProductSettings')}</h2>
      <form onSubmit={submit} noValidate>
        <FormError message={errors.form} />
        {SETTINGS.map((field) => {
          const variable = fromEnvironment.get(field);
          const hintKey = SETTING_HINTS[field];
          const hint = variable ? op('opSetByEnvironment', { variable }) : hintKey ? op(hintKey) : undefined;
          if (field === 'defaultLocale') {
            return (
              <SelectField
                key={field}
                label={settingLabel(field)}
                name={field}
                value={values[field]}
                onValue={(value) => setValues({ ...values, [field]: value })}
                options={LOCALES.map((code) => ({ value: code, label: code }))}
                error={errors.fields[field]}
              />
            );
          }
          return variable ? (
            <ReadOnlyField key={field} label={settingLabel(field)} value={values[field]} hint={hint as string} />
          ) : (
            <TextField
              key={field}
              label={settingLabel(field)}
              name={field}
              class={field === 'name' ? undefined : 'mono'}
              value={values[field]}
              onValue={(value) => setValues({ ...values, [field]: value })}
              error={errors.fields[field]}
              hint={hint}
            />
          );
        })}
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

/** A field the environment sets: shown, not editable, with the variable named. */
function ReadOnlyField(props: { label: string; value: string; hint: string }) {
  return <TextField label={props.label} name="" class="mono" value={props.value} hint={props.hint} readOnly />;
}

// —— Its organizations ——

const PAGE = 25;
const STATUS_LABELS: Record<SubscriptionStatus, OperatorMessage> = {
  ACTIVE: 'opStatusActive',
  TRIALING: 'opStatusTrialing',
  PAST_DUE: 'opStatusPastDue',
  CANCELED: 'opStatusCanceled',
};

export function ProductOrganizationsPage(props: { session: Session }) {
  const product = useOperatedProduct(props.session);
  const [after, setAfter] = useState<string[]>([]);
  const slug = product.operated?.slug ?? '';
  const page = useQuery(
    ConsoleProductOrganizationsDocument,
    { productSlug: slug, first: PAGE, ...(after.length ? { after: after[after.length - 1] } : {}) },
    { skip: !slug },
  );
  if (product.error) return <FormError message={product.error.message} />;
  if (product.loading && !product.data) return <Loading />;
  if (!product.operated) return <NotOperator />;
  const connection = page.data?.productOrganizations;
  return (
    <section>
      <PageTitle>{op('opOrganizationsTitle', { name: product.operated.name })}</PageTitle>
      <FormError message={page.error?.message ?? null} />
      {!connection ? (
        <Loading />
      ) : (
        <>
          <p class="muted">{op('opOrganizationsCount', { count: connection.totalCount })}</p>
          <TableScroll label={op('opOrganizationsTitle', { name: product.operated.name })}>
            <table class="organizations">
              <thead>
                <tr>
                  <th scope="col">{t('name')}</th>
                  <th scope="col">{t('slug')}</th>
                  <th scope="col">{op('opSubscription')}</th>
                  <th scope="col">{op('opPlan')}</th>
                  <th scope="col">{op('opCreated')}</th>
                </tr>
              </thead>
              <tbody>
                {connection.edges.map(({ node }) => (
                  <tr key={node.id}>
                    <td>
                      <Link to={`/product/organizations/${node.slug}`}>{node.name}</Link>
                    </td>
                    <td class="mono">{node.slug}</td>
                    <td>{op(STATUS_LABELS[node.subscription.status])}</td>
                    <td>{node.subscription.plan ?? '—'}</td>
                    <td>
                      <Time value={node.createdAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          <div class="actions start">
            {after.length ? (
              <button type="button" onClick={() => setAfter(after.slice(0, -1))}>
                {op('opPrevious')}
              </button>
            ) : null}
            {connection.pageInfo.hasNextPage && connection.pageInfo.endCursor ? (
              <button type="button" onClick={() => setAfter([...after, connection.pageInfo.endCursor as string])}>
                {op('opNext')}
              </button>
            ) : null}
          </div>
        </>
      )}
    </section>
  );
}

// —— One organization ——

type Organization = ConsoleProductOrganizationQuery['productOrganizations']['edges'][number]['node'];

export function ProductOrganizationPage(props: { session: Session; slug: string }) {
  const product = useOperatedProduct(props.session);
  const productSlug = product.operated?.slug ?? '';
  const query = useQuery(ConsoleProductOrganizationDocument, { productSlug, slug: props.slug }, { skip: !productSlug });
  if (product.error) return <FormError message={product.error.message} />;
  if (product.loading && !product.data) return <Loading />;
  if (!product.operated) return <NotOperator />;
  if (query.error) return <FormError message={query.error.message} />;
  if (!query.data) return <Loading />;
  const organization = query.data.productOrganizations.edges[0]?.node;
  if (!organization) {
    return (
      <section>
        <PageTitle>{t('notFound')}</PageTitle>
        <p>
          <Link to="/product/organizations">{op('opAllOrganizations')}</Link>
        </p>
      </section>
    );
  }
  const mayWrite = can(props.session, 'write:subscriptions');
  return (
    <section>
      <p>
        <Link to="/product/organizations">{op('opAllOrganizations')}</Link>
      </p>
      <PageTitle>{organization.name}</PageTitle>
      <SubscriptionForm
        key={organization.id}
        organization={organization}
        mayWrite={mayWrite}
        onSaved={() => query.reload()}
      />
      <section aria-labelledby="limits-heading">
        <h2 id="limits-heading">{op('opLimitsTitle')}</h2>
        <p class="lead">{op('opLimitsIntro')}</p>
        <LimitsForm
          key={organization.id}
          id="limits-heading"
          limits={organization.limits}
          hint={op('opDefaultHint')}
          mayWrite={mayWrite}
          save={(changes) =>
            herald.request(ConsoleUpdateOrganizationLimitsDocument, {
              input: { organizationId: organization.id, ...changes },
            })
          }
          onSaved={() => query.reload()}
        />
      </section>
      <Usage organization={organization} onRefresh={() => query.reload()} />
    </section>
  );
}

function SubscriptionForm(props: { organization: Organization; mayWrite: boolean; onSaved: () => void }) {
  const { subscription } = props.organization;
  const [status, setStatus] = useState<string>(subscription.status);
  const [plan, setPlan] = useState(subscription.plan ?? '');
  const [features, setFeatures] = useState(subscription.features.join(', '));
  const [periodEnd, setPeriodEnd] = useState(subscription.currentPeriodEnd?.slice(0, 10) ?? '');
  const [saved, setSaved] = useState<string | null>(null);
  const { busy, errors, submit } = useSubmit(['status', 'plan', 'features', 'currentPeriodEnd'], async () => {
    setSaved(null);
    const before = subscription.currentPeriodEnd?.slice(0, 10) ?? '';
    await herald.request(ConsoleUpdateOrganizationSubscriptionDocument, {
      input: {
        organizationId: props.organization.id,
        ...(status !== subscription.status ? { status: status as SubscriptionStatus } : {}),
        ...(plan !== (subscription.plan ?? '') ? { plan: plan.trim() || null } : {}),
        ...(features !== subscription.features.join(', ') ? { features: list(features) } : {}),
        ...(periodEnd !== before ? { currentPeriodEnd: periodEnd ? `${periodEnd}T23:59:59.000Z` : null } : {}),
      },
    });
    setSaved(t('saved'));
    props.onSaved();
  });
  return (
    <section aria-labelledby="subscription-heading">
      <h2 id="subscription-heading">{op('opSubscription')}</h2>
      <form onSubmit={submit} noValidate>
        <FormError message={errors.form} />
        <SelectField
          label={t('status')}
          name="status"
          value={status}
          onValue={setStatus}
          options={Object.entries(STATUS_LABELS).map(([value, key]) => ({ value, label: op(key) }))}
          error={errors.fields.status}
        />
        <TextField label={op('opPlan')} name="plan" value={plan} onValue={setPlan} error={errors.fields.plan} />
        <TextField
          label={op('opFeatures')}
          name="features"
          class="mono"
          value={features}
          onValue={setFeatures}
          error={errors.fields.features}
          hint={op('opSubscriptionFeaturesHint')}
        />
        <TextField
          label={op('opPeriodEnd')}
          name="currentPeriodEnd"
          type="date"
          value={periodEnd}
          onValue={setPeriodEnd}
          error={errors.fields.currentPeriodEnd}
          hint={subscription.currentPeriodEnd ? shortDate(new Date(subscription.currentPeriodEnd)) : undefined}
        />
        {props.mayWrite ? (
          <div class="actions start">
            <button type="submit" class="primary" disabled={busy}>
              {op('opSaveSubscription')}
            </button>
          </div>
        ) : null}
      </form>
      <Status message={saved} />
    </section>
  );
}

function Usage(props: { organization: Organization; onRefresh: () => void }) {
  const { usage, usageHistory } = props.organization;
  const requests = usageHistory.reduce((sum, point) => sum + point.requests, 0);
  const refused = usageHistory.reduce((sum, point) => sum + point.refused, 0);
  return (
    <section aria-labelledby="usage-heading">
      <h2 id="usage-heading">{op('opUsageTitle')}</h2>
      <dl class="usage">
        <dt>{op('opRequestsThisMinute')}</dt>
        <dd>{usage.requestsThisMinute}</dd>
        <dt>{op('opRequestsToday')}</dt>
        <dd>{usage.requestsToday}</dd>
        {usage.concurrentRequests !== null ? (
          <>
            <dt>{op('opConcurrentRequests')}</dt>
            <dd>{usage.concurrentRequests}</dd>
          </>
        ) : null}
        {usage.liveConnections !== null ? (
          <>
            <dt>{op('opLiveConnections')}</dt>
            <dd>{usage.liveConnections}</dd>
          </>
        ) : null}
      </dl>
      <UsageChart points={usageHistory} summary={op('opChartSummary', { requests, refused })} />
      <div class="actions start">
        <button type="button" onClick={props.onRefresh}>
          {op('opRefresh')}
        </button>
      </div>
    </section>
  );
}

const WIDTH = 600;
const HEIGHT = 160;
const MINUTES = 60;

/**
 * Requests and refusals per minute over the last hour, as bars (refusals stacked on top). Inline
 * SVG made of elements (no markup strings, no style attributes): it passes the console's policy.
 * The numbers are in the summary and in each bar's title for screen readers.
 */
export function UsageChart(props: {
  points: readonly { at: string; requests: number; refused: number }[];
  summary: string;
}) {
  const end = Math.floor(Date.now() / 60_000) * 60_000;
  const start = end - (MINUTES - 1) * 60_000;
  const highest = Math.max(1, ...props.points.map((point) => point.requests + point.refused));
  const slot = WIDTH / MINUTES;
  const scale = (count: number) => (count / highest) * (HEIGHT - 20);
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={props.summary}>
        <line class="axis" x1="0" y1={HEIGHT - 0.5} x2={WIDTH} y2={HEIGHT - 0.5} />
        <text class="scale" x="2" y="12">
          {highest}
        </text>
        {props.points.map((point) => {
          const minute = Math.floor(new Date(point.at).getTime() / 60_000) * 60_000;
          if (minute < start || minute > end) return null;
          const x = ((minute - start) / 60_000) * slot + 1;
          const requests = scale(point.requests);
          const refused = scale(point.refused);
          const title = op('opChartPoint', {
            time: new Date(minute).toLocaleTimeString(currentLocale(), { hour: '2-digit', minute: '2-digit' }),
            requests: point.requests,
            refused: point.refused,
          });
          return (
            <g key={point.at} data-requests={point.requests} data-refused={point.refused}>
              <title>{title}</title>
              {point.requests ? (
                <rect class="requests" x={x} y={HEIGHT - requests} width={slot - 2} height={requests} />
              ) : null}
              {point.refused ? (
                <rect class="refused" x={x} y={HEIGHT - requests - refused} width={slot - 2} height={refused} />
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption>
        {props.summary} <span class="legend requests">{op('opLegendRequests')}</span>{' '}
        <span class="legend refused">{op('opLegendRefused')}</span>
      </figcaption>
    </figure>
  );
}
