// Organization → Audit log: what happened, newest first, filtered by action and by who acted,
// a page at a time.
import type { Session } from '@herald/client';
import { useState } from 'preact/hooks';
import { useQuery } from '../data.ts';
import { type ActorType, ConsoleActorsDocument, ConsoleAuditEventsDocument } from '../generated/graphql.ts';
import { t } from '../i18n.ts';
import { FormError, Loading, PageTitle, TableScroll, TextField, Time } from '../ui.tsx';

const PAGE = 25;

export function AuditPage(_props: { session: Session }) {
  const actors = useQuery(ConsoleActorsDocument, {});
  const [action, setAction] = useState('');
  const [actor, setActor] = useState('');
  const [applied, setApplied] = useState<{ action: string; actor: string }>({ action: '', actor: '' });
  // The cursors of the pages before this one: the first page has none.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors.at(-1) ?? null;
  const [actorType, actorId] = applied.actor ? (applied.actor.split(':') as [ActorType, string]) : [null, null];
  const events = useQuery(ConsoleAuditEventsDocument, {
    first: PAGE,
    after,
    filter: { action: applied.action || null, actorType, actorId },
  });

  const names = new Map<string, string>();
  for (const { node } of actors.data?.members.edges ?? []) names.set(`USER:${node.user.id}`, node.user.name);
  for (const { node } of actors.data?.serviceAccounts.edges ?? []) names.set(`SERVICE_ACCOUNT:${node.id}`, node.name);
  const who = (type: ActorType, id: string | null) =>
    (id && names.get(`${type}:${id}`)) ??
    (type === 'SYSTEM' ? t('actorSystem') : type === 'ANONYMOUS' ? t('actorAnonymous') : (id ?? '—'));

  const connection = events.data?.auditEvents;
  return (
    <section>
      <PageTitle>{t('auditTitle')}</PageTitle>
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          setApplied({ action: action.trim(), actor });
          setCursors([null]);
        }}
      >
        <TextField
          label={t('auditAction')}
          name="action"
          value={action}
          onValue={setAction}
          hint={t('auditActionHint')}
        />
        <div class="field">
          <label for="audit-actor">{t('auditActor')}</label>
          <select
            id="audit-actor"
            value={actor}
            onChange={(event) => setActor((event.target as HTMLSelectElement).value)}
          >
            <option value="">{t('auditAnyone')}</option>
            {[...names].map(([key, name]) => (
              <option key={key} value={key}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t('applyFilter')}</button>
      </form>
      {events.error ? <FormError message={events.error.message} /> : null}
      {events.loading && !connection ? <Loading /> : null}
      {connection ? (
        <p class="count" role="status">
          {t('auditCount', { count: connection.totalCount })}
        </p>
      ) : null}
      {connection && connection.edges.length > 0 ? (
        <TableScroll label={t('auditTitle')}>
          <table class="audit">
            <thead>
              <tr>
                <th scope="col">{t('auditWhen')}</th>
                <th scope="col">{t('auditAction')}</th>
                <th scope="col">{t('auditActor')}</th>
                <th scope="col">{t('auditClient')}</th>
                <th scope="col">{t('auditTarget')}</th>
                <th scope="col">{t('auditAddress')}</th>
              </tr>
            </thead>
            <tbody>
              {connection.edges.map(({ node }) => (
                <tr key={node.id}>
                  <td>
                    <Time value={node.createdAt} />
                  </td>
                  <th scope="row" class="mono">
                    {node.action}
                  </th>
                  <td>{who(node.actorType, node.actorId)}</td>
                  <td class="mono small">{node.client ?? '—'}</td>
                  <td class="mono small">{node.targetType ? `${node.targetType} ${node.targetId ?? ''}` : '—'}</td>
                  <td class="mono small">{node.ip ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : connection ? (
        <p class="empty">{t('auditNone')}</p>
      ) : null}
      <nav class="pager" aria-label={t('auditPages')}>
        <button type="button" disabled={cursors.length < 2} onClick={() => setCursors(cursors.slice(0, -1))}>
          {t('newer')}
        </button>
        <button
          type="button"
          disabled={!connection?.pageInfo.hasNextPage}
          onClick={() => connection && setCursors([...cursors, connection.pageInfo.endCursor ?? null])}
        >
          {t('older')}
        </button>
      </nav>
    </section>
  );
}
