// Every HTML page Herald serves carries a strict Content-Security-Policy that forbids framing,
// X-Frame-Options, nosniff and a referrer policy: the pages there are today, and, through the
// server's response class, any HTML answer a new route writes without thinking of them.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PageResponse } from '../src/http/page-headers.ts';
import { startServer, type TestServer } from './helpers/server.ts';

function directives(policy: string | null): Record<string, string[]> {
  return Object.fromEntries(
    (policy ?? '').split(/;\s*/).map((directive) => {
      const [name, ...sources] = directive.split(' ');
      return [name as string, sources];
    }),
  );
}

function expectPageHeaders(headers: Headers) {
  const policy = directives(headers.get('content-security-policy'));
  expect(policy['default-src']).toEqual(["'none'"]);
  expect(policy['frame-ancestors']).toEqual(["'none'"]);
  expect(policy['base-uri']).toEqual(["'none'"]);
  expect(policy['form-action']).toEqual(["'none'"]);
  expect(policy['script-src'] ?? []).not.toContain("'unsafe-inline'");
  expect(policy['script-src'] ?? []).not.toContain("'unsafe-eval'");
  expect(headers.get('x-frame-options')).toBe('DENY');
  expect(headers.get('x-content-type-options')).toBe('nosniff');
  expect(headers.get('referrer-policy')).toBe('no-referrer');
}

describe("Herald's pages", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.close());

  it.each([
    ['GraphiQL', '/graphql', 200],
    ['the invitation page', '/accept-invitation?token=abc', 200],
    ['the invitation page without a token', '/accept-invitation', 400],
    ['the password reset page', '/reset-password?token=abc', 200],
  ])('%s carries the page headers', async (_name, path, status) => {
    const response = await fetch(`${server.url}${path}`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expectPageHeaders(response.headers);
  });

  it('leaves answers that are not pages alone', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.headers.get('x-frame-options')).toBeNull();
    expect(response.headers.get('content-security-policy')).toBeNull();
  });
});

describe('an HTML answer of a route that sets none of the headers', () => {
  let server: Server;
  let url: string;
  const routes: Record<string, (res: ServerResponse) => void> = {
    '/set-header': (res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end('<p>hello</p>');
    },
    '/write-head': (res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<p>hello</p>'),
    '/write-head-message': (res) => res.writeHead(200, 'OK', ['Content-Type', 'TEXT/HTML']).end('<p>hello</p>'),
    '/own-policy': (res) =>
      res
        .writeHead(200, {
          'content-type': 'text/html',
          'content-security-policy':
            "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; img-src data:",
        })
        .end('<p>hello</p>'),
    '/json': (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
  };

  beforeAll(async () => {
    server = createServer({ ServerResponse: PageResponse }, (req: IncomingMessage, res) =>
      routes[req.url ?? '']?.(res),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it.each(['/set-header', '/write-head', '/write-head-message'])(
    '%s gets them all, and a policy that allows nothing',
    async (path) => {
      const response = await fetch(`${url}${path}`);
      expectPageHeaders(response.headers);
      expect(response.headers.get('content-security-policy')).toBe(
        "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      );
    },
  );

  it('keeps a policy the page set itself', async () => {
    const response = await fetch(`${url}/own-policy`);
    expectPageHeaders(response.headers);
    expect(directives(response.headers.get('content-security-policy'))['img-src']).toEqual(['data:']);
  });

  it('adds nothing to an answer that is not HTML', async () => {
    const response = await fetch(`${url}/json`);
    expect(response.headers.get('x-frame-options')).toBeNull();
    expect(response.headers.get('content-security-policy')).toBeNull();
  });
});
