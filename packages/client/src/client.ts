import { queryText, type TypedDocument, type Variables } from './documents.ts';
import {
  clientError,
  endedError,
  fromClose,
  fromGraphQLErrors,
  type GraphQLErrorShape,
  HeraldError,
  networkError,
} from './errors.ts';
import { type SessionChange, SessionKeeper, type SessionListener } from './keeper.ts';
import type { Live, LiveSink } from './live.ts';
import * as operations from './operations.ts';
import { type AuthPayload, type Organization, type Pair, pairOf, type Session } from './session.ts';
import { type StorageOption, storageFor } from './storage.ts';
import { aloneTabs, browserTabs } from './tabs.ts';
import { type Answer, createTransport, graphqlEndpoint } from './transport.ts';

export interface HeraldClientOptions {
  /** Where Herald answers, e.g. `https://auth.example.com` (or its `/graphql` endpoint). */
  url: string;
  /** The product's slug, sent as `X-Product-Slug` (and `?product=` on the socket). */
  product?: string;
  /**
   * Where the refresh token is kept: `memory` (gone with the page), `session` (this tab, survives
   * reloads), `local` (every tab of the origin, survives restarts) or an adapter. Default `memory`.
   */
  storage?: StorageOption;
  /** The language of Herald's messages and the client's own (`en`, `cs`, `de`). */
  locale?: string;
  /** The storage key, and the name tabs coordinate under; default from `url` and `product`. */
  storageKey?: string;
  /**
   * For pages whose own code keeps the session: answers an access token. The client keeps none
   * of its own then; it asks once, and again after Herald refused the token as expired or
   * ended (an UNAUTHENTICATED answer, a socket closed with 4403). Sign-in methods are not for
   * use with it.
   */
  getToken?: () => Promise<string | null | undefined>;
  fetch?: typeof fetch;
  /** A WebSocket class where the runtime has none. */
  WebSocket?: unknown;
}

export type SignInResult =
  | { session: Session; organizations?: undefined; selectionToken?: undefined }
  /** The person belongs to several organizations: finish with `selectOrganization`. */
  | { session?: undefined; organizations: Organization[]; selectionToken: string };

export type Sink<TResult> = LiveSink<TResult>;

export interface HeraldClient {
  /** The session in hand; null when signed out, and until `ready` has restored a stored one. */
  readonly session: Session | null;
  /** Settles once a stored session has been restored (or found gone). */
  readonly ready: Promise<Session | null>;
  onSessionChange(listener: (session: Session | null, change: SessionChange) => void): () => void;
  signUp(input: { email: string; password: string; name: string; organizationName: string }): Promise<Session>;
  signIn(input: { email: string; password: string; organizationId?: string }): Promise<SignInResult>;
  selectOrganization(input: { organizationId: string; selectionToken?: string }): Promise<Session>;
  switchOrganization(input: { organizationId: string }): Promise<Session>;
  /** Ends this session, in every tab that shares it. */
  signOut(): Promise<void>;
  /** Ends every session of the person, on every device. */
  signOutEverywhere(): Promise<void>;
  requestPasswordReset(input: { email: string }): Promise<void>;
  resetPassword(input: { token: string; password: string }): Promise<void>;
  acceptInvitation(input: { token: string; password: string; name?: string }): Promise<Session>;
  request<TResult, TVariables extends Variables = Variables>(
    document: TypedDocument<TResult, TVariables> | string,
    variables?: TVariables,
  ): Promise<TResult>;
  subscribe<TResult, TVariables extends Variables = Variables>(
    document: TypedDocument<TResult, TVariables> | string,
    variables: TVariables | undefined,
    sink: Sink<TResult>,
  ): () => void;
  /** A fresh access token, for callers that need the raw token; null when signed out. */
  getAccessToken(): Promise<string | null>;
  /** Stops timers, sockets and listening to other tabs. */
  close(): void;
}

/** Herald's refusals after which a new token may help; the others mean "sign in again" or "you may not". */
const renewable = (errors: readonly GraphQLErrorShape[] | undefined) => {
  const extensions = errors?.[0]?.extensions;
  return (
    extensions?.code === 'UNAUTHENTICATED' &&
    (extensions.reason === 'TOKEN_EXPIRED' || extensions.reason === 'SESSION_ENDED')
  );
};

export function createHeraldClient(options: HeraldClientOptions): HeraldClient {
  const { url, product, locale } = options;
  const endpoint = graphqlEndpoint(url);
  const post = createTransport({
    endpoint,
    product,
    locale,
    fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
  });
  const storageOption = options.storage ?? 'memory';
  const key = options.storageKey ?? `herald:${new URL(endpoint).origin}:${product ?? ''}`;

  const answered = <T>(answer: Answer): T => {
    if (answer.errors?.length) throw fromGraphQLErrors(answer.errors, answer.retryAfter);
    return answer.data as T;
  };
  const call = async <T>(query: string, input?: unknown, token: string | null = null) =>
    answered<T>(await post(query, input === undefined ? {} : { input }, token));
  const issued = (payload: AuthPayload) => pairOf(payload, Date.now());

  const keeper = new SessionKeeper({
    storage: storageFor(storageOption),
    key,
    // A session in memory is this page's alone.
    tabs: storageOption === 'memory' ? aloneTabs() : browserTabs(key, key),
    shared: storageOption !== 'session',
    rotate: async (refreshToken) =>
      issued((await call<{ refresh: AuthPayload }>(operations.REFRESH, { refreshToken })).refresh),
    revoke: (refreshToken) => call(operations.LOGOUT, { refreshToken }),
    locale,
  });
  const ready = keeper.restore().catch(() => null);
  let selectionToken: string | null = null;

  const { getToken } = options;
  let given: string | null = null;
  let asking: Promise<string | null> | null = null;
  const accessToken = async (stale?: string): Promise<string | null> => {
    if (getToken) {
      if (given && given !== stale) return given;
      // Callers at the same time share one call; a failed call is not kept.
      asking ??= getToken()
        .then((token) => {
          given = token || null;
          return given;
        })
        .finally(() => {
          asking = null;
        });
      return asking;
    }
    await ready;
    return keeper.accessToken(stale);
  };

  const start = (pair: Pair, change: SessionChange['type']) => {
    selectionToken = null;
    return keeper.start(pair, change);
  };

  async function request<TResult>(document: TypedDocument<TResult, never> | string, variables?: unknown) {
    const query = queryText(document);
    let token = await accessToken();
    let answer = await post(query, variables, token);
    if (token && renewable(answer.errors)) {
      token = await accessToken(token);
      answer = await post(query, variables, token);
    }
    return answered<TResult>(answer);
  }

  let live: Promise<Live> | null = null;
  const loadLive = () =>
    (live ??= import('./live.ts').then(({ createLive }) =>
      createLive({
        url: (token) => {
          const socket = new URL(endpoint.replace(/^http/, 'ws'));
          socket.searchParams.set('token', token);
          if (product) socket.searchParams.set('product', product);
          if (locale) socket.searchParams.set('locale', locale);
          return socket.toString();
        },
        accessToken,
        fromClose: (code, reason) => fromClose(locale, code, reason),
        fromErrors: (errors) => fromGraphQLErrors(errors),
        network: (cause) => networkError(locale, cause),
        signedOut: () => endedError(locale, 'SIGNED_OUT'),
        wait: (ms) =>
          new Promise((resolve) => {
            const done = () => {
              clearTimeout(timer);
              globalThis.removeEventListener?.('online', done);
              resolve();
            };
            const timer = setTimeout(done, ms);
            globalThis.addEventListener?.('online', done);
          }),
        webSocket: options.WebSocket,
      }),
    ));

  keeper.onChange((_session, change) => {
    if (!live) return;
    void live.then((open) => {
      if (change.type === 'signedOut') open.end(endedError(locale, change.reason ?? 'SIGNED_OUT'));
      else if (change.type !== 'refreshed') open.restart();
    });
  });

  return {
    get session() {
      return keeper.session;
    },
    ready,
    onSessionChange: (listener: SessionListener) => keeper.onChange(listener),

    async signUp(input) {
      const { register } = await call<{ register: AuthPayload }>(operations.REGISTER, input);
      return start(issued(register), 'signedIn');
    },

    async signIn(input) {
      const { login } = await call<{
        login:
          | (AuthPayload & { __typename: 'AuthPayload' })
          | { __typename: string; selectionToken: string; organizations: Organization[] };
      }>(operations.LOGIN, input);
      if (login.__typename === 'AuthPayload') return { session: await start(issued(login as AuthPayload), 'signedIn') };
      const selection = login as { selectionToken: string; organizations: Organization[] };
      selectionToken = selection.selectionToken;
      return { organizations: selection.organizations, selectionToken: selection.selectionToken };
    },

    async selectOrganization(input) {
      const token = input.selectionToken ?? selectionToken;
      if (!token) throw clientError(locale, 'BAD_USER_INPUT', 'noSelection', { field: 'selectionToken' });
      const { selectOrganization } = await call<{ selectOrganization: AuthPayload }>(operations.SELECT_ORGANIZATION, {
        organizationId: input.organizationId,
        selectionToken: token,
      });
      return start(issued(selectOrganization), 'signedIn');
    },

    async switchOrganization(input) {
      const { switchOrganization } = await request<{ switchOrganization: AuthPayload }>(
        operations.SWITCH_ORGANIZATION,
        { input },
      );
      return start(issued(switchOrganization), 'switched');
    },

    async signOut() {
      await ready;
      await keeper.signOut();
    },

    async signOutEverywhere() {
      await request(operations.LOGOUT_ALL);
      await keeper.signedOutEverywhere();
    },

    async requestPasswordReset(input) {
      await call(operations.REQUEST_PASSWORD_RESET, input);
    },

    async resetPassword(input) {
      await call(operations.RESET_PASSWORD, input);
    },

    async acceptInvitation(input) {
      const { acceptInvitation } = await call<{ acceptInvitation: AuthPayload }>(operations.ACCEPT_INVITATION, input);
      return start(issued(acceptInvitation), 'signedIn');
    },

    request,

    subscribe(document, variables, sink) {
      let stopped = false;
      let stop: (() => void) | null = null;
      loadLive().then(
        (open) => {
          if (!stopped) stop = open.subscribe(queryText(document), variables ?? {}, sink);
        },
        (error: unknown) => sink.error?.(error instanceof HeraldError ? error : networkError(locale, error)),
      );
      return () => {
        stopped = true;
        stop?.();
      };
    },

    getAccessToken: () => accessToken(),

    close() {
      keeper.close();
      void live?.then((open) => open.close());
    },
  };
}
