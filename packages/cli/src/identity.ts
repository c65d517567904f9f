// Who the command line acts as: the person signed in (their session), or the service account
// of an API token (forward-auth's JWT tells its claims) or of an OAuth access token (its claims).
import type { Herald } from './connection.ts';
import { CliError, EXIT, notSignedIn } from './errors.ts';
import { MeDocument } from './generated/graphql.ts';

export interface Identity {
  kind: 'user' | 'serviceAccount';
  id: string;
  email?: string;
  name?: string;
  organization: { id: string; name?: string; slug?: string };
  product?: string;
  scopes: readonly string[];
  url: string;
  credential: string;
}

const claimsOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

/** Who the command line acts as: the person signed in, or the service account of the token. */
export async function identify(herald: Herald): Promise<Identity> {
  const { credential } = herald;
  if (credential.kind === 'session') {
    const session = herald.client.session;
    if (!session) throw notSignedIn('The saved session has ended: run `herald login` again.');
    const { me } = await herald.request(MeDocument);
    return {
      kind: 'user',
      id: me.id,
      email: me.email,
      name: me.name,
      organization: session.organization,
      product: herald.product,
      scopes: session.scopes,
      url: herald.url,
      credential: 'session',
    };
  }
  if (credential.kind !== 'token') throw notSignedIn();
  let claims: Record<string, unknown>;
  if (credential.token.startsWith('hld_')) {
    // Forward-auth answers a valid API token with a short-lived JWT of the same claims.
    const answer = await herald.fetch('/api/tokens/validate');
    if (answer.status === 429) {
      throw new CliError('RATE_LIMITED', 'Too many requests.', EXIT.rateLimited);
    }
    const jwt = answer.headers.get('authorization')?.replace(/^Bearer\s+/i, '');
    if (answer.status !== 200 || !jwt) {
      throw notSignedIn(`The API token is invalid or has been revoked (${credential.source}).`);
    }
    claims = claimsOf(jwt);
  } else {
    claims = claimsOf(credential.token);
  }
  return {
    kind: 'serviceAccount',
    id: String(claims.sub),
    organization: { id: String(claims.org) },
    product: typeof claims.product === 'string' ? claims.product : herald.product,
    scopes: Array.isArray(claims.scopes) ? (claims.scopes as string[]) : [],
    url: herald.url,
    credential: credential.source === 'HERALD_TOKEN' ? 'HERALD_TOKEN' : 'token',
  };
}
