// The Herald a command talks to, and with what: --url / HERALD_URL / the profile's address,
// --product / HERALD_PRODUCT, and HERALD_TOKEN, else the profile's API token, else the
// profile's session (a person's sign-in, renewed through @herald/client).
import { createHeraldClient, type HeraldClient, type TypedDocument, type Variables } from '@herald/client';
import { type Profile, type ProfileStore, profileStore } from './credentials.ts';
import { notSignedIn } from './errors.ts';

export const DEFAULT_URL = 'http://127.0.0.1:4000';
/** What the command line calls itself in Herald's audit log (`AuditEvent.client`). */
export const CLIENT_NAME = 'cli';

export interface GlobalOptions {
  url?: string;
  product?: string;
  profile?: string;
  json?: boolean;
}

export type Credential =
  | { kind: 'token'; token: string; source: 'HERALD_TOKEN' | 'profile' }
  | { kind: 'session' }
  | { kind: 'none' };

export interface Herald {
  url: string;
  product: string | undefined;
  profile: ProfileStore;
  credential: Credential;
  client: HeraldClient;
  request<TResult, TVariables extends Variables = Variables>(
    document: TypedDocument<TResult, TVariables>,
    variables?: TVariables,
  ): Promise<TResult>;
  /** A plain HTTP request to Herald (beside GraphQL), with the credential. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  close(): void;
}

/** fetch with the headers every request of the command line carries. */
export function cliFetch(token?: string): typeof fetch {
  return (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('x-herald-client', CLIENT_NAME);
    if (token && !headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
    return fetch(input, { ...init, headers });
  };
}

export interface Target {
  url: string;
  product: string | undefined;
}

/** Where Herald is, for a command: the option, the environment, the saved profile, the default. */
export function targetOf(options: GlobalOptions, saved: Profile | null, env = process.env): Target {
  return {
    url: (options.url ?? env.HERALD_URL ?? saved?.url ?? DEFAULT_URL).replace(/\/+$/, ''),
    product: options.product ?? env.HERALD_PRODUCT ?? saved?.product,
  };
}

export function clientFor(target: Target, profile: ProfileStore, token?: string): HeraldClient {
  return createHeraldClient({
    url: target.url,
    product: target.product,
    storage: token ? 'memory' : profile.sessionStorage(),
    storageKey: `herald-cli:${profile.name}`,
    fetch: cliFetch(token),
  });
}

/** Herald at `target`, acting with `credential`. */
export function connectWith(target: Target, profile: ProfileStore, credential: Credential): Herald {
  const token = credential.kind === 'token' ? credential.token : undefined;
  const client = clientFor(target, profile, token);
  const plainFetch = cliFetch(token);
  return {
    ...target,
    profile,
    credential,
    client,
    request: (document, variables) => client.request(document, variables),
    async fetch(path, init = {}) {
      const headers = new Headers(init.headers);
      if (credential.kind === 'session') {
        const accessToken = await client.getAccessToken();
        if (accessToken) headers.set('authorization', `Bearer ${accessToken}`);
      }
      if (target.product) headers.set('x-product-slug', target.product);
      return plainFetch(`${target.url}${path}`, { ...init, headers });
    },
    close: () => client.close(),
  };
}

/**
 * Opens Herald for a command. With `signedIn`, a command that has no credential, or whose
 * session has ended, fails with exit code 3 before it sends anything.
 */
export async function openHerald(options: GlobalOptions, { signedIn = true } = {}): Promise<Herald> {
  const profile = profileStore(options.profile ?? process.env.HERALD_PROFILE ?? 'default');
  const saved = await profile.read();
  const envToken = process.env.HERALD_TOKEN?.trim();
  const credential: Credential = envToken
    ? { kind: 'token', token: envToken, source: 'HERALD_TOKEN' }
    : saved?.token
      ? { kind: 'token', token: saved.token, source: 'profile' }
      : saved?.refreshToken
        ? { kind: 'session' }
        : { kind: 'none' };
  const herald = connectWith(targetOf(options, saved), profile, credential);
  if (!signedIn) return herald;
  if (credential.kind === 'none') {
    herald.close();
    throw notSignedIn();
  }
  if (credential.kind === 'session' && !(await herald.client.ready)) {
    herald.close();
    throw notSignedIn('The saved session has ended: run `herald login` again.');
  }
  return herald;
}
