// The floor of the forward-auth benchmark: node:http and nothing else, signing one ES256 JWT
// with jose per request (claims of the size Herald's forward-auth JWTs carry) and answering
// it in an Authorization header, as /api/tokens/validate does. Prints the port it listens on.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPair, SignJWT } from 'jose';

const { privateKey } = await generateKeyPair('ES256');
const server = createServer(async (_req, res) => {
  const iat = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ org: randomUUID(), scopes: ['read:work_items'], type: 'service_account' })
    .setProtectedHeader({ alg: 'ES256', kid: 'bench', typ: 'herald-forward+jwt' })
    .setIssuer('herald')
    .setAudience('herald-forward-auth')
    .setSubject(randomUUID())
    .setJti(randomUUID())
    .setIssuedAt(iat)
    .setExpirationTime(iat + 900)
    .sign(privateKey);
  const body = JSON.stringify({ status: 'ok', expiresAt: iat + 900 });
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    authorization: `Bearer ${token}`,
  });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => console.log(`port ${(server.address() as AddressInfo).port}`));
