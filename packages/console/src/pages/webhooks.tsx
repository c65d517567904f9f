// Organization → Webhooks: the endpoints that receive the organization's events (signed per
// Standard Webhooks), added with an event picker and a secret shown once; each endpoint's
// page edits, disables, rotates the secret, deletes, sends a test, and shows the delivery log
// (status, attempts, response codes) with replay.
import type { Session } from '@herald/client';
import { useState } from 'preact/hooks';
import { useQuery, useSubmit } from '../data.ts';
import {
  ConsoleCreateWebhookEndpointDocument,
  ConsoleDeleteWebhookEndpointDocument,
  ConsoleReplayWebhookDeliveryDocument,
  ConsoleRotateWebhookEndpointSecretDocument,
  ConsoleSendTestWebhookDocument,
  ConsoleUpdateWebhookEndpointDocument,
  ConsoleWebhookDeliveriesDocument,
  ConsoleWebhookEndpointDocument,
  type ConsoleWebhookEndpointFragment,
  ConsoleWebhookEndpointsDocument,
  type WebhookDeliveryStatus,
} from '../generated/graphql.ts';
import { herald } from '../herald.ts';
import { type MessageKey, t } from '../i18n.ts';
import { navigate } from '../router.ts';
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
  Status,
  TableScroll,
  TextField,
  Time,
} from '../ui.tsx';

/** The event types Herald sends (docs/webhooks.md#events); Herald refuses any other. */
const EVENT_TYPES = [
  'notification.created',
  'work_item.created',
  'work_item.updated',
  'work_item.assigned',
  'work_item.status_changed',
  'sla.warning',
  'sla.breach',
  'member.added',
  'member.removed',
  'api_token.created',
  'api_token.revoked',
];

const STATUS_NAMES: Record<WebhookDeliveryStatus, MessageKey> = {
  PENDING: 'deliveryPending',
  SUCCEEDED: 'deliverySucceeded',
  FAILED: 'deliveryFailed',
};

function endpointStatus(endpoint: ConsoleWebhookEndpointFragment) {
  if (!endpoint.enabled) {
    return <Badge tone="off">{endpoint.disabledReason === 'failing' ? t('disabledFailing') : t('disabled')}</Badge>;
  }
  if (endpoint.failingSince) return <Badge tone="warn">{t('failing')}</Badge>;
  return <Badge tone="ok">{t('active')}</Badge>;
}

export function WebhooksPage(props: { session: Session }) {
  const endpoints = useQuery(ConsoleWebhookEndpointsDocument, {});
  const [adding, setAdding] = useState(false);
  const [secret, setSecret] = useState<{ id: string; secret: string } | null>(null);
  const mayWrite = can(props.session, 'write:organization');
  const edges = endpoints.data?.webhookEndpoints.edges ?? [];
  return (
    <section>
      <div class="title-row">
        <PageTitle>{t('webhooksTitle')}</PageTitle>
        {mayWrite ? (
          <button type="button" class="primary" onClick={() => setAdding(true)}>
            {t('addEndpoint')}
          </button>
        ) : null}
      </div>
      <p class="lead">{t('webhooksIntro')}</p>
      {endpoints.error ? <FormError message={endpoints.error.message} /> : null}
      {endpoints.loading && !endpoints.data ? <Loading /> : null}
      {endpoints.data && edges.length === 0 ? <p class="empty">{t('noEndpoints')}</p> : null}
      {edges.length > 0 ? (
        <TableScroll label={t('webhooksTitle')}>
          <table class="endpoints">
            <thead>
              <tr>
                <th scope="col">{t('endpointUrl')}</th>
                <th scope="col">{t('events')}</th>
                <th scope="col">{t('status')}</th>
                <th scope="col">{t('created')}</th>
              </tr>
            </thead>
            <tbody>
              {edges.map(({ node }) => (
                <tr key={node.id}>
                  <th scope="row" class="mono">
                    <Link to={`/webhooks/${node.id}`}>{node.url}</Link>
                    {node.description ? <span class="muted small">{` ${node.description}`}</span> : null}
                  </th>
                  <td class="mono small">{node.events.join(' ')}</td>
                  <td>{endpointStatus(node)}</td>
                  <td>
                    <Time value={node.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
      {adding ? (
        <EndpointForm
          title={t('addEndpoint')}
          onClose={() => setAdding(false)}
          onSave={async (input) => {
            const { createWebhookEndpoint } = await herald.request(ConsoleCreateWebhookEndpointDocument, { input });
            setAdding(false);
            setSecret({ id: createWebhookEndpoint.webhookEndpoint.id, secret: createWebhookEndpoint.secret });
            void endpoints.reload();
          }}
        />
      ) : null}
      {secret ? <SecretDialog secret={secret.secret} onClose={() => navigate(`/webhooks/${secret.id}`)} /> : null}
    </section>
  );
}

function SecretDialog(props: { secret: string; onClose: () => void }) {
  return (
    <Dialog title={t('signingSecretTitle')} onClose={props.onClose} dismissible={false}>
      <p class="warning" role="alert">
        {t('signingSecretWarning')}
      </p>
      <SecretOnce label={t('signingSecret')} value={props.secret} id="webhook-secret" />
      <div class="actions">
        <button type="button" class="primary" onClick={props.onClose}>
          {t('storedIt')}
        </button>
      </div>
    </Dialog>
  );
}

interface EndpointInput {
  url: string;
  description: string | null;
  events: string[];
}

function EndpointForm(props: {
  title: string;
  initial?: ConsoleWebhookEndpointFragment;
  onClose: () => void;
  onSave: (input: EndpointInput) => Promise<void>;
}) {
  const [url, setUrl] = useState(props.initial?.url ?? '');
  const [description, setDescription] = useState(props.initial?.description ?? '');
  const [events, setEvents] = useState<string[]>(props.initial?.events ?? []);
  const { busy, errors, submit } = useSubmit(['url', 'description', 'events'], () =>
    props.onSave({ url, description: description || null, events }),
  );
  const known = [...EVENT_TYPES, ...events.filter((event) => !EVENT_TYPES.includes(event))];
  return (
    <Dialog title={props.title} onClose={props.onClose}>
      <form onSubmit={submit} noValidate>
        <FormError message={errors.form} />
        <TextField
          label={t('endpointUrl')}
          name="url"
          type="url"
          required
          value={url}
          onValue={setUrl}
          error={errors.fields.url}
          hint={t('endpointUrlHint')}
        />
        <TextField
          label={t('description')}
          name="description"
          value={description}
          onValue={setDescription}
          error={errors.fields.description}
        />
        <fieldset class={errors.fields.events ? 'events invalid' : 'events'}>
          <legend>{t('events')}</legend>
          {known.map((event) => (
            <label class="choice" key={event}>
              <input
                type="checkbox"
                checked={events.includes(event)}
                onChange={(change) =>
                  setEvents(
                    (change.target as HTMLInputElement).checked
                      ? [...events, event]
                      : events.filter((chosen) => chosen !== event),
                  )
                }
              />
              <span class="mono">{event}</span>
            </label>
          ))}
          {errors.fields.events ? (
            <p class="error" role="alert">
              {errors.fields.events}
            </p>
          ) : null}
        </fieldset>
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

export function WebhookPage(props: { session: Session; id: string }) {
  const endpoint = useQuery(ConsoleWebhookEndpointDocument, { id: props.id });
  const [status, setStatus] = useState<WebhookDeliveryStatus | ''>('');
  const [first, setFirst] = useState(25);
  const deliveries = useQuery(ConsoleWebhookDeliveriesDocument, {
    endpointId: props.id,
    status: status || null,
    first,
  });
  const [dialog, setDialog] = useState<'edit' | 'rotate' | 'delete' | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const mayWrite = can(props.session, 'write:organization');
  const node = endpoint.data?.webhookEndpoint;
  if (endpoint.error) return <FormError message={endpoint.error.message} />;
  if (!node) return <Loading />;
  const act = async (action: () => Promise<unknown>, done: string) => {
    setNote(null);
    setProblem(null);
    try {
      await action();
      setNote(done);
      await Promise.all([endpoint.reload(), deliveries.reload()]);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  };
  const connection = deliveries.data?.webhookDeliveries;
  return (
    <section>
      <p class="crumbs">
        <Link to="/webhooks">{t('webhooksTitle')}</Link>
      </p>
      <div class="title-row">
        <PageTitle>
          <span class="mono">{node.url}</span>
        </PageTitle>
        {endpointStatus(node)}
      </div>
      <dl class="facts">
        <dt>{t('description')}</dt>
        <dd>{node.description || <span class="muted">{t('noDescription')}</span>}</dd>
        <dt>{t('events')}</dt>
        <dd class="mono">{node.events.join(' ')}</dd>
        <dt>{t('created')}</dt>
        <dd>
          <Time value={node.createdAt} />
        </dd>
        {node.failingSince ? (
          <>
            <dt>{t('failingSince')}</dt>
            <dd>
              <Time value={node.failingSince} />
            </dd>
          </>
        ) : null}
        {node.previousSecretExpiresAt ? (
          <>
            <dt>{t('previousSecretUntil')}</dt>
            <dd>
              <Time value={node.previousSecretExpiresAt} />
            </dd>
          </>
        ) : null}
      </dl>
      <FormError message={problem} />
      <Status message={note} />
      {mayWrite ? (
        <div class="actions start">
          <button type="button" onClick={() => setDialog('edit')}>
            {t('edit')}
          </button>
          <button
            type="button"
            onClick={() =>
              act(
                () =>
                  herald.request(ConsoleUpdateWebhookEndpointDocument, {
                    input: { id: node.id, enabled: !node.enabled },
                  }),
                node.enabled ? t('endpointDisabled') : t('endpointEnabled'),
              )
            }
          >
            {node.enabled ? t('disable') : t('enable')}
          </button>
          <button
            type="button"
            onClick={() =>
              act(
                () => herald.request(ConsoleSendTestWebhookDocument, { input: { endpointId: node.id } }),
                t('testSent'),
              )
            }
          >
            {t('sendTest')}
          </button>
          <button type="button" onClick={() => setDialog('rotate')}>
            {t('rotateSecret')}
          </button>
          <button type="button" class="danger" onClick={() => setDialog('delete')}>
            {t('delete')}
          </button>
        </div>
      ) : null}

      <section aria-labelledby="deliveries-heading">
        <h2 id="deliveries-heading">{t('deliveriesTitle')}</h2>
        <div class="filters">
          <SelectField
            label={t('status')}
            name="status"
            value={status}
            onValue={(value) => setStatus(value as WebhookDeliveryStatus | '')}
            options={[
              { value: '', label: t('deliveryAny') },
              ...(['PENDING', 'SUCCEEDED', 'FAILED'] as const).map((value) => ({
                value,
                label: t(STATUS_NAMES[value]),
              })),
            ]}
          />
          <button type="button" onClick={() => deliveries.reload()}>
            {t('refresh')}
          </button>
        </div>
        {deliveries.error ? <FormError message={deliveries.error.message} /> : null}
        {connection && connection.edges.length === 0 ? <p class="empty">{t('noDeliveries')}</p> : null}
        {connection && connection.edges.length > 0 ? (
          <TableScroll label={t('deliveriesTitle')}>
            <table class="deliveries">
              <thead>
                <tr>
                  <th scope="col">{t('event')}</th>
                  <th scope="col">{t('status')}</th>
                  <th scope="col">{t('attempts')}</th>
                  <th scope="col">{t('responseCode')}</th>
                  <th scope="col">{t('lastAttempt')}</th>
                  <th scope="col">{t('created')}</th>
                  {mayWrite ? <th scope="col">{t('actions')}</th> : null}
                </tr>
              </thead>
              <tbody>
                {connection.edges.map(({ node: delivery }) => (
                  <tr key={delivery.id}>
                    <th scope="row" class="mono">
                      {delivery.eventType}
                      <br />
                      <span class="muted small">{delivery.messageId}</span>
                      {delivery.replayOfId ? <span class="muted small">{` · ${t('replay')}`}</span> : null}
                    </th>
                    <td>
                      <Badge
                        tone={delivery.status === 'SUCCEEDED' ? 'ok' : delivery.status === 'FAILED' ? 'off' : 'warn'}
                      >
                        {t(STATUS_NAMES[delivery.status])}
                      </Badge>
                      {delivery.lastError ? <p class="small muted">{delivery.lastError}</p> : null}
                    </td>
                    <td>{delivery.attempts}</td>
                    <td class="mono">{delivery.responseStatus ?? '—'}</td>
                    <td>
                      <Time value={delivery.lastAttemptAt} />
                    </td>
                    <td>
                      <Time value={delivery.createdAt} />
                    </td>
                    {mayWrite ? (
                      <td class="row-actions">
                        <button
                          type="button"
                          onClick={() =>
                            act(
                              () =>
                                herald.request(ConsoleReplayWebhookDeliveryDocument, { input: { id: delivery.id } }),
                              t('replayQueued'),
                            )
                          }
                        >
                          {t('replay')}
                          <span class="visually-hidden">{` ${delivery.eventType} ${delivery.messageId}`}</span>
                        </button>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        ) : null}
        {connection?.pageInfo.hasNextPage ? (
          <button type="button" onClick={() => setFirst((n) => n + 25)}>
            {t('showMore')}
          </button>
        ) : null}
      </section>

      {dialog === 'edit' ? (
        <EndpointForm
          title={t('editEndpoint')}
          initial={node}
          onClose={() => setDialog(null)}
          onSave={async (input) => {
            await herald.request(ConsoleUpdateWebhookEndpointDocument, { input: { id: node.id, ...input } });
            setDialog(null);
            await endpoint.reload();
          }}
        />
      ) : null}
      {dialog === 'rotate' ? (
        <ConfirmDialog
          title={t('rotateSigningSecretTitle')}
          confirm={t('rotateSecret')}
          danger
          onConfirm={async () => {
            const { rotateWebhookEndpointSecret } = await herald.request(ConsoleRotateWebhookEndpointSecretDocument, {
              input: { id: node.id },
            });
            setSecret(rotateWebhookEndpointSecret.secret);
            await endpoint.reload();
          }}
          onClose={() => setDialog(null)}
        >
          <p>{t('rotateSigningSecretExplained')}</p>
        </ConfirmDialog>
      ) : null}
      {dialog === 'delete' ? (
        <ConfirmDialog
          title={t('deleteEndpointTitle')}
          confirm={t('delete')}
          danger
          onConfirm={async () => {
            await herald.request(ConsoleDeleteWebhookEndpointDocument, { input: { id: node.id } });
            navigate('/webhooks');
          }}
          onClose={() => setDialog(null)}
        >
          <p>{t('deleteEndpointExplained')}</p>
        </ConfirmDialog>
      ) : null}
      {secret ? <SecretDialog secret={secret} onClose={() => setSecret(null)} /> : null}
    </section>
  );
}
