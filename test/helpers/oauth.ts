// OAuth clients for tests, and a real OAuth library (oauth4webapi) pointed at a test server.
// The server's issuer and public URL are `https://herald.test`; the library's requests to
// it are sent to the server's loopback address, as a TLS-terminating proxy would.
import { randomUUID } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { CreateOAuthClientDocument, CreateServiceAccountDocument } from '../generated/graphql.ts';
import { ok, type StartOptions, type TestServer } from './server.ts';

export const ISSUER = 'https://herald.test';
export const OAUTH_ENV: NonNullable<StartOptions['env']> = { JWT_ISSUER: ISSUER, PUBLIC_URL: ISSUER };

export interface TestClient {
  id: string;
  clientId: string;
  clientSecret: string;
  serviceAccountSlug: string;
  serviceAccountId: string;
}

/** A new service account in the owner's organization with one OAuth client of `scopes`. */
export async function createTestClient(
  server: TestServer,
  owner: { accessToken: string },
  scopes: string[],
  serviceAccountSlug?: string,
): Promise<TestClient> {
  let slug = serviceAccountSlug;
  let serviceAccountId = '';
  if (!slug) {
    const { createServiceAccount } = ok(
      await server.gql(
        CreateServiceAccountDocument,
        { input: { name: 'Integration', slug: `integration-${randomUUID().slice(0, 8)}` } },
        { token: owner.accessToken },
      ),
    );
    slug = createServiceAccount.slug;
    serviceAccountId = createServiceAccount.id;
  }
  const { createOAuthClient } = ok(
    await server.gql(
      CreateOAuthClientDocument,
      { input: { serviceAccountSlug: slug, name: 'sync', scopes } },
      { token: owner.accessToken },
    ),
  );
  return {
    id: createOAuthClient.oauthClient.id,
    clientId: createOAuthClient.clientId,
    clientSecret: createOAuthClient.clientSecret,
    serviceAccountSlug: slug,
    serviceAccountId: serviceAccountId || createOAuthClient.oauthClient.serviceAccount.id,
  };
}

/** oauth4webapi's view of a test server: discovery and the client credentials grant. */
export function oauthLibrary(server: TestServer) {
  const viaLoopback: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.origin !== ISSUER) throw new Error(`unexpected request to ${url.href}`);
    return fetch(`${server.url}${url.pathname}${url.search}`, init);
  };
  const options = { [oauth.customFetch]: viaLoopback };
  const issuer = new URL(ISSUER);
  return {
    async discover(): Promise<oauth.AuthorizationServer> {
      const response = await oauth.discoveryRequest(issuer, { ...options, algorithm: 'oauth2' });
      return oauth.processDiscoveryResponse(issuer, response);
    },
    /** Requests a token, authenticating with `method`; answers the processed token response. */
    async token(
      as: oauth.AuthorizationServer,
      client: Pick<TestClient, 'clientId' | 'clientSecret'>,
      method: 'basic' | 'post',
      scope?: string,
    ): Promise<oauth.TokenEndpointResponse> {
      const auth =
        method === 'basic' ? oauth.ClientSecretBasic(client.clientSecret) : oauth.ClientSecretPost(client.clientSecret);
      const parameters = new URLSearchParams(scope === undefined ? {} : { scope });
      const response = await oauth.clientCredentialsGrantRequest(
        as,
        { client_id: client.clientId },
        auth,
        parameters,
        options,
      );
      return oauth.processClientCredentialsResponse(as, { client_id: client.clientId }, response);
    },
  };
}
