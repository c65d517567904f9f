// Where URLs given by customers may lead (SSRF), with WEBHOOK_ALLOW_PRIVATE_TARGETS unset:
// every way of writing a loopback, private or otherwise special address in a URL is refused by
// both mutations that take such URLs, and the address classifier is pinned range by range.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublicAddress } from '../src/webhooks/public-address.ts';
import { CreateWebhookEndpointDocument, UpdateSecurityAlertSettingsDocument } from './generated/graphql.ts';
import { createOwner } from './helpers/seed.ts';
import { failure, ok, startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { WEBHOOK_DELIVERY_INTERVAL_MS: '0' } });
});
afterAll(() => server?.close());

type Verdict = 'public' | 'not public' | 'malformed';

// Literal hosts only: no DNS is asked, and nothing is sent anywhere.
const urls: [string, Verdict, string][] = [
  ['https://2130706433/x', 'not public', 'IPv4 as one decimal number'],
  ['https://0177.0.0.1/x', 'not public', 'IPv4 in octal'],
  ['https://0x7f.1/x', 'not public', 'IPv4 in hex, two parts'],
  ['https://127.1/x', 'not public', 'IPv4 shortened'],
  ['https://0x7f000001/x', 'not public', 'IPv4 as one hex number'],
  ['https://0.0.0.0/x', 'not public', 'IPv4 unspecified'],
  ['https://[::ffff:127.0.0.1]/x', 'not public', 'IPv4-mapped loopback'],
  ['https://[::ffff:a9fe:a9fe]/x', 'not public', 'IPv4-mapped metadata address in hex'],
  ['https://[::127.0.0.1]/x', 'not public', 'IPv4-compatible loopback'],
  ['https://[::a9fe:a9fe]/x', 'not public', 'IPv4-compatible metadata address'],
  ['https://[::10.0.0.1]/x', 'not public', 'IPv4-compatible private'],
  ['https://[::ffff:0:7f00:1]/x', 'not public', 'IPv4-translated (RFC 6145)'],
  ['https://[2002:7f00:1::]/x', 'not public', '6to4 of loopback'],
  ['https://[2002:5db8:d70e::1]/x', 'not public', '6to4 of a public IPv4'],
  ['https://[64:ff9b::7f00:1]/x', 'not public', 'NAT64 of loopback'],
  ['https://[64:ff9b::5db8:d70e]/x', 'not public', 'NAT64 of a public IPv4'],
  ['https://[64:ff9b:1::a00:1]/x', 'not public', 'local-use NAT64'],
  ['https://[2001::5db8:d70e]/x', 'not public', 'Teredo'],
  ['https://[2001:db8::1]/x', 'not public', 'documentation'],
  ['https://[3fff::1]/x', 'not public', 'documentation (RFC 9637)'],
  ['https://[100::1]/x', 'not public', 'discard'],
  ['https://[4000::1]/x', 'not public', 'unassigned, outside 2000::/3'],
  ['https://[::]/x', 'not public', 'IPv6 unspecified'],
  ['https://[::1]/x', 'not public', 'IPv6 loopback'],
  ['https://[fd00:ec2::254]/x', 'not public', 'unique local (AWS metadata over IPv6)'],
  ['https://[fe80::1]/x', 'not public', 'link-local'],
  ['https://[fe80::1%25eth0]/x', 'malformed', 'link-local with a zone id'],
  ['https://[2606:4700::1%25eth0]/x', 'malformed', 'global with a zone id'],
  ['https://93.184.215.14/x', 'public', 'public IPv4'],
  ['https://[::ffff:93.184.215.14]/x', 'public', 'IPv4-mapped public IPv4'],
  ['https://[2606:4700::6810:84e5]/x', 'public', 'global unicast IPv6'],
];

describe('URL targets through the public mutations', () => {
  it.each(urls)('createWebhookEndpoint: %s is %s (%s)', async (url, verdict) => {
    const owner = await createOwner(server);
    const response = await server.gql(
      CreateWebhookEndpointDocument,
      { input: { url, events: ['work_item.created'] } },
      { token: owner.accessToken },
    );
    if (verdict === 'public') {
      expect(ok(response).createWebhookEndpoint.webhookEndpoint.url).toBe(new URL(url).toString());
      return;
    }
    const error = failure(response);
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'url' });
    if (verdict === 'not public') expect(error.message).toContain('non-public address');
    expect(await server.app.db.webhookEndpoint.count({ where: { organizationId: owner.organizationId } })).toBe(0);
  });

  it.each(urls)('updateSecurityAlertSettings: %s is %s (%s)', async (url, verdict) => {
    const owner = await createOwner(server);
    const response = await server.gql(
      UpdateSecurityAlertSettingsDocument,
      { input: { slackWebhookUrl: url } },
      { token: owner.accessToken },
    );
    const stored = async () =>
      (await server.app.db.organization.findUniqueOrThrow({ where: { id: owner.organizationId } }))
        .securityAlertSlackWebhookUrl;
    if (verdict === 'public') {
      ok(response);
      expect(await stored()).toBe(url);
      return;
    }
    expect(failure(response).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'slackWebhookUrl' });
    expect(await stored()).toBeNull();
  });
});

describe('isPublicAddress', () => {
  it.each([
    // IPv4: IANA's special-purpose registry, block by block, and public neighbours.
    ['0.0.0.0', false],
    ['0.1.2.3', false],
    ['10.0.0.1', false],
    ['100.64.0.1', false],
    ['100.127.255.255', false],
    ['100.128.0.1', true],
    ['127.0.0.1', false],
    ['127.255.255.254', false],
    ['169.254.169.254', false],
    ['172.16.0.1', false],
    ['172.31.255.255', false],
    ['172.32.0.1', true],
    ['192.0.0.9', false],
    ['192.0.2.1', false],
    ['192.31.196.1', false],
    ['192.52.193.1', false],
    ['192.88.99.1', false],
    ['192.168.0.1', false],
    ['192.175.48.1', false],
    ['198.18.0.1', false],
    ['198.19.255.255', false],
    ['198.51.100.1', false],
    ['203.0.113.1', false],
    ['224.0.0.1', false],
    ['240.0.0.1', false],
    ['255.255.255.255', false],
    ['8.8.8.8', true],
    ['93.184.215.14', true],
    // IPv4 written other than in dotted decimal is not what DNS or a URL parser hands over.
    ['2130706433', false],
    ['0177.0.0.1', false],
    ['0x7f.1', false],
    ['127.1', false],
    ['08.8.8.8', false],
    // IPv6 outside global unicast.
    ['::', false],
    ['::1', false],
    ['::127.0.0.1', false],
    ['::7f00:1', false],
    ['::8.8.8.8', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['::ffff:8.8.8.8', true],
    ['::ffff:0:7f00:1', false],
    ['64:ff9b::7f00:1', false],
    ['64:ff9b::808:808', false],
    ['64:ff9b:1::1', false],
    ['100::1', false],
    ['1fff:ffff::1', false],
    ['4000::1', false],
    ['5f00::1', false],
    ['fc00::1', false],
    ['fd00:ec2::254', false],
    ['fe80::1', false],
    ['fe80::1%eth0', false],
    ['fec0::1', false],
    ['ff02::1', false],
    // Special blocks inside global unicast.
    ['2001::1', false],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', false],
    ['2001:1::1', false],
    ['2001:2::1', false],
    ['2001:3::1', false],
    ['2001:4:112::1', false],
    ['2001:10::1', false],
    ['2001:20::1', false],
    ['2001:30::1', false],
    ['2001:1ff::1', false],
    ['2001:db8::1', false],
    ['2002::1', false],
    ['2002:7f00:1::', false],
    ['2002:808:808::1', false],
    ['2620:4f:8000::1', false],
    ['3fff::1', false],
    ['3fff:fff::1', false],
    // Global unicast.
    ['2001:200::1', true],
    ['2001:4860:4860::8888', true],
    ['2606:4700::6810:84e5', true],
    ['2620:4f:8001::1', true],
    ['2a00:1450:4001::1', true],
    ['3ffe::1', true],
    ['2606:4700::1%eth0', false],
    // Not addresses at all.
    ['', false],
    ['localhost', false],
    ['[::1]', false],
  ])('%s: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});
