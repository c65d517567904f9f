// What an organization uses, as its console shows it: requests this minute and today, in
// flight and live, a history per minute of requests and refusals; refusals counted in
// herald_rate_limit_refusals_total by limit, and one security alert an hour past a threshold.
import { print } from 'graphql';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  MeDocument,
  NotificationsDocument,
  OrganizationUsageDocument,
  UpdateOrganizationLimitsDocument,
} from './generated/graphql.ts';
import { eventually } from './helpers/machine.ts';
import { type Account, createOwner } from './helpers/seed.ts';
import { ok, startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
let operator: Account;

beforeAll(async () => {
  server = await startServer({ env: { LIMITS_REFUSAL_ALERT_THRESHOLD: '2' } });
  operator = await createOwner(server, { organizationName: 'Operators' });
});
afterAll(() => server?.close());

/** Waits, when the UTC minute is about to end, for the next one: the counts must not straddle two. */
async function freshMinute(secondsNeeded = 15) {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 60_000 - secondsNeeded * 1000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 50));
}

const setLimits = (organizationId: string, limits: Record<string, number | null>) =>
  server.gql(
    UpdateOrganizationLimitsDocument,
    { input: { organizationId, ...limits } },
    { token: operator.accessToken },
  );
const me = (account: Account) => server.post({ query: print(MeDocument) }, { token: account.accessToken });
const usage = async (account: Account, minutes?: number) =>
  ok(await server.gql(OrganizationUsageDocument, { minutes }, { token: account.accessToken })).organization;

it('counts every request, limited or not, and keeps a history per minute', async () => {
  await freshMinute();
  const customer = await createOwner(server);
  for (let i = 0; i < 3; i++) expect((await me(customer)).status).toBe(200);
  const now = await usage(customer, 3);
  // The usage query is a request too.
  expect(now.usage).toEqual({
    requestsThisMinute: 4,
    requestsToday: 4,
    concurrentRequests: null,
    liveConnections: null,
  });
  expect(now.usageHistory).toHaveLength(3);
  const last = now.usageHistory[2];
  expect(last).toMatchObject({ requests: 4, refused: 0 });
  expect(new Date(last?.at as string).getTime()).toBe(Math.floor(Date.now() / 60_000) * 60_000);
  expect(now.usageHistory.slice(0, 2).map((point) => point.requests)).toEqual([0, 0]);
  // The default is the last hour.
  expect((await usage(customer)).usageHistory).toHaveLength(60);
});

it('counts requests in flight and live connections while their limits are set', async () => {
  const customer = await createOwner(server);
  ok(await setLimits(customer.organizationId, { concurrentRequests: 5, liveConnections: 2 }));
  // The usage query holds a slot of its own while it runs.
  expect((await usage(customer)).usage).toMatchObject({ concurrentRequests: 1, liveConnections: 0 });
});

it('counts refusals per minute and by limit, and alerts the organization once past the threshold', async () => {
  await freshMinute();
  const customer = await createOwner(server);
  ok(await setLimits(customer.organizationId, { requestsPerMinute: 2 }));
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) statuses.push((await me(customer)).status);
  expect(statuses).toEqual([200, 200, 429, 429, 429]);
  ok(await setLimits(customer.organizationId, { requestsPerMinute: null }));

  const history = (await usage(customer, 1)).usageHistory;
  expect(history).toEqual([expect.objectContaining({ requests: 3, refused: 3 })]);

  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  const line = metrics
    .split('\n')
    .find((l) => l.startsWith('herald_rate_limit_refusals_total{limit="requestsPerMinute"'));
  expect(Number(line?.split(' ').pop())).toBeGreaterThanOrEqual(3);

  // Three refusals pass a threshold of two: one alert, whatever follows within the hour.
  const alerts = async () => {
    const { notifications } = ok(
      await server.gql(NotificationsDocument, { first: 50 }, { token: customer.accessToken }),
    );
    return notifications.edges.map((edge) => edge.node).filter((node) => node.type === 'SECURITY_ALERT');
  };
  const raised = await eventually(async () => {
    const found = await alerts();
    if (found.length === 0) throw new Error('no alert yet');
    return found;
  });
  expect(raised).toHaveLength(1);
  expect(raised[0]?.title).toBe('More than 2 requests refused by limits this hour');
});
