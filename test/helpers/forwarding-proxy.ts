// A reverse proxy in front of a test server, as deployments put one (HTTP and WebSocket
// upgrades), and a client that reaches it from a loopback address of its choosing
// (127.0.0.0/8 is all loopback on Linux), so that one machine plays many client addresses.
// `append` sets X-Forwarded-For as nginx's `$proxy_add_x_forwarded_for` does (the client's
// header, then the address the proxy received the request from); `replace` as
// `proxy_set_header X-Forwarded-For $remote_addr` does (the client's header dropped).
import { once } from 'node:events';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import net, { type AddressInfo } from 'node:net';

export type ForwardingMode = 'append' | 'replace';

export interface ForwardingProxy {
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

function forwardedHeaders(req: IncomingMessage, mode: ForwardingMode): IncomingHttpHeaders {
  const peer = req.socket.remoteAddress ?? '';
  const claimed = req.headers['x-forwarded-for'];
  return {
    ...req.headers,
    'x-forwarded-for': mode === 'append' && claimed !== undefined ? `${claimed}, ${peer}` : peer,
  };
}

export async function startForwardingProxy(target: string, mode: ForwardingMode): Promise<ForwardingProxy> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    const upstream = http.request(
      { host: hostname, port, method: req.method, path: req.url, headers: forwardedHeaders(req, mode) },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('upgrade', (req, client, head) => {
    const upstream = net.connect(Number(port), hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (const [name, value] of Object.entries(forwardedHeaders(req, mode))) {
        for (const one of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${one}`);
      }
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      upstream.write(head);
      client.pipe(upstream).pipe(client);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    for (const socket of [client, upstream]) {
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * One HTTP request to `url` from the loopback address `from`. With `headersOnly`, answers
 * as soon as the status and headers arrive (for streams that stay open).
 */
export function requestFrom(
  from: string,
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; headersOnly?: boolean } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, localAddress: from },
      (response) => {
        const answer = { status: response.statusCode ?? 0, headers: response.headers, body: '' };
        if (options.headersOnly) {
          resolve(answer);
          response.destroy();
          return;
        }
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          answer.body += chunk;
        });
        response.on('end', () => resolve(answer));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

/** A GraphQL operation over HTTP from `from`; answers the parsed body. */
export async function graphqlFrom(
  from: string,
  url: string,
  body: { query: string; variables?: Record<string, unknown> },
  headers: Record<string, string> = {},
) {
  const answer = await requestFrom(from, `${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return JSON.parse(answer.body) as {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
}
