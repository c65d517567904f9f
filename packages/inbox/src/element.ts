// <herald-inbox url="https://herald.example.com" product="acme">: a bell with the unread count
// and a panel with the person's notifications, live. The page hands it an access token through
// `getToken` (an async function, asked again when Herald refuses the token), so the page's own
// session code stays in charge. Built on @herald/client: its transport, its subscriptions that
// reconnect with backoff, renew the token on 4403 and wait out a 4429.
import { createHeraldClient, type HeraldClient, HeraldError } from '@herald/client';
import {
  InboxAddedDocument,
  InboxArchiveDocument,
  InboxCatchUpDocument,
  InboxChangedDocument,
  InboxCountDocument,
  type InboxItemFragment,
  InboxMarkAllReadDocument,
  InboxMarkReadDocument,
  InboxMarkUnreadDocument,
  InboxPageDocument,
  type InboxPreferenceFragment,
  InboxPreferencesDocument,
  InboxUnarchiveDocument,
  InboxUnreadCountDocument,
  InboxUpdatePreferenceDocument,
  type NotificationFilter,
} from './generated/graphql.ts';
import { safeLink } from './links.ts';
import { BELL, ICONS, type Icon, STYLES, svg } from './styles.ts';
import { type Language, languageOf, relativeTime, type Texts, textsFor } from './texts.ts';

export type InboxNotification = InboxItemFragment;
type View = 'inbox' | 'archived' | 'settings';
type Status = 'idle' | 'loading' | 'ready' | 'error';

const PAGE = 20;
const CATCH_UP_PAGE = 50;

/**
 * The shadow root's parts, built node by node: no markup parsed from strings and no <style>
 * element, so that the element runs under a strict Content-Security-Policy with Trusted Types
 * (`require-trusted-types-for 'script'`, `style-src 'self'`), as Herald's console has.
 */
function build(root: ShadowRoot) {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(STYLES);
  root.adoptedStyleSheets = [sheet];
  const bell = part('button', 'bell', 'bell', { 'aria-haspopup': 'dialog', 'aria-expanded': 'false' });
  const badge = part('span', 'badge', 'badge', { 'aria-hidden': 'true' });
  badge.hidden = true;
  bell.append(svg(BELL), badge);
  const panel = part('div', 'panel', 'panel', { role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'heading' });
  panel.hidden = true;
  const heading = el('h2');
  heading.id = 'heading';
  const close = part('button', '', 'close', { 'data-act': 'close' });
  close.textContent = '✕';
  const header = part('div', 'header', 'header');
  header.append(heading, part('button', '', 'mark-all', { 'data-act': 'all-read' }), close);
  const tabs = part('div', 'tabs', 'tabs', { role: 'tablist' });
  for (const view of ['inbox', 'archived', 'settings'])
    tabs.append(part('button', '', '', { role: 'tab', 'data-view': view }));
  const unreadOnly = part('label', '', 'unread-only');
  const checkbox = el('input');
  checkbox.type = 'checkbox';
  checkbox.dataset.act = 'unread-only';
  unreadOnly.append(checkbox, el('span'));
  tabs.append(unreadOnly);
  const banner = part('div', 'banner', 'offline', { role: 'status' });
  banner.hidden = true;
  const body = part('div', 'body', 'body');
  body.append(part('ul', '', 'list'), part('div', 'state', 'state', { role: 'status' }), el('div', 'more'));
  panel.append(header, tabs, banner, body);
  root.append(bell, panel);
}

function part<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  name: string,
  attributes: Record<string, string> = {},
): HTMLElementTagNameMap[K] {
  const element = el(tag, className);
  if (name) element.setAttribute('part', name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  return element;
}

const byNewest = (a: InboxNotification, b: InboxNotification) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

export class HeraldInbox extends HTMLElement {
  static observedAttributes = ['url', 'product', 'lang'];

  #getToken: (() => Promise<string | null | undefined>) | null = null;
  #client: HeraldClient | null = null;
  #stops: (() => void)[] = [];
  readonly #root: ShadowRoot;

  #count = 0;
  #view: View = 'inbox';
  #unreadOnly = false;
  #open = false;
  #offline = typeof navigator !== 'undefined' && navigator.onLine === false;
  /** The current view's notifications, by id. */
  #items = new Map<string, InboxNotification>();
  #endCursor: string | null = null;
  #hasNext = false;
  #status: Status = 'idle';
  #preferences: InboxPreferenceFragment[] | null = null;
  /** Every notification id announced with herald-notification: a push and a catch-up never announce one twice. */
  #announced = new Set<string>();
  /** The newest notification id seen, the cursor to catch up from after a drop. */
  #newest: string | null = null;
  /** Bumped when the view changes, so that answers for the previous one are dropped. */
  #generation = 0;
  #catchUp: ReturnType<typeof setTimeout> | null = null;
  #ticker: ReturnType<typeof setInterval> | null = null;
  #observer: IntersectionObserver | null = null;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    build(this.#root);
    this.#root.addEventListener('click', (event) => this.#onClick(event));
    this.#root.addEventListener('change', (event) => this.#onChange(event));
    this.#root.addEventListener('keydown', (event) => this.#onKey(event as KeyboardEvent));
  }

  /** An async function answering an access token for the signed-in person (or null when there is none). */
  get getToken() {
    return this.#getToken;
  }

  set getToken(value: (() => Promise<string | null | undefined>) | null) {
    this.#getToken = value;
    this.#restart();
  }

  /** The unread count the badge shows. */
  get unreadCount() {
    return this.#count;
  }

  get open() {
    return this.#open;
  }

  connectedCallback() {
    // A page (or a framework) may have set getToken before this element was defined: it is then
    // an own property hiding the accessor. Take it over.
    if (Object.hasOwn(this, 'getToken')) {
      const value = (this as { getToken?: unknown }).getToken as HeraldInbox['getToken'];
      delete (this as { getToken?: unknown }).getToken;
      this.#getToken = value;
    }
    addEventListener('online', this.#onNetwork);
    addEventListener('offline', this.#onNetwork);
    document.addEventListener('click', this.#onOutside, true);
    document.addEventListener('keydown', this.#onEscape);
    this.#restart();
    this.#render();
  }

  disconnectedCallback() {
    removeEventListener('online', this.#onNetwork);
    removeEventListener('offline', this.#onNetwork);
    document.removeEventListener('click', this.#onOutside, true);
    document.removeEventListener('keydown', this.#onEscape);
    this.#stop();
    this.#tick(false);
  }

  attributeChangedCallback(name: string, before: string | null, after: string | null) {
    if (before === after) return;
    if (name === 'lang') this.#render();
    else this.#restart();
  }

  /** Opens or closes the panel. */
  toggle(open = !this.#open) {
    if (open === this.#open) return;
    this.#open = open;
    this.#tick(open);
    this.#render();
    if (open) {
      if (this.#status === 'idle' || this.#status === 'error') void this.#load(true);
      this.#q<HTMLElement>(`[data-view="${this.#view}"]`)?.focus();
    } else {
      this.#q<HTMLElement>('.bell')?.focus();
    }
  }

  // The connection.

  #stop() {
    for (const stop of this.#stops) stop();
    this.#stops = [];
    this.#client?.close();
    this.#client = null;
    if (this.#catchUp) clearTimeout(this.#catchUp);
  }

  #restart() {
    this.#stop();
    // Perhaps someone else now, or no one: nothing of the previous person's feed carries over.
    this.#items.clear();
    this.#announced.clear();
    this.#newest = null;
    this.#count = 0;
    this.#status = 'idle';
    this.#render();
    const url = this.getAttribute('url');
    if (!this.isConnected || !url || !this.#getToken) return;
    const getToken = this.#getToken;
    // `client`: the name the audit log records for the page's requests (X-Herald-Client).
    const name = this.getAttribute('client');
    const client = createHeraldClient({
      url,
      product: this.getAttribute('product') ?? undefined,
      locale: this.#language,
      getToken: () => getToken(),
      ...(name
        ? {
            fetch: (input: RequestInfo | URL, init?: RequestInit) => {
              const headers = new Headers(init?.headers);
              headers.set('x-herald-client', name);
              return fetch(input, { ...init, headers });
            },
          }
        : {}),
    });
    this.#client = client;
    const connected = () => {
      // Each subscription reports its socket's connection: fetch what was missed once.
      if (this.#catchUp) clearTimeout(this.#catchUp);
      this.#catchUp = setTimeout(() => void this.#caughtUp(), 50);
    };
    const error = (failure: HeraldError) => this.#fail(failure);
    this.#stops.push(
      client.subscribe(
        InboxAddedDocument,
        {},
        {
          next: ({ notificationAdded: event }) => {
            this.#setCount(event.unreadCount);
            this.#arrived([event.notification]);
          },
          connected,
          error,
        },
      ),
      client.subscribe(
        InboxChangedDocument,
        {},
        {
          next: ({ notificationChanged: event }) => {
            this.#setCount(event.unreadCount);
            this.#merge([event.notification]);
          },
          error,
        },
      ),
      client.subscribe(
        InboxUnreadCountDocument,
        {},
        {
          next: ({ unreadCountChanged }) => this.#setCount(unreadCountChanged),
          error,
        },
      ),
    );
    void this.#load(true);
  }

  /** After a (re)connection: the count, then what arrived meanwhile, then the state of what is shown. */
  async #caughtUp() {
    const client = this.#client;
    if (!client) return;
    try {
      const { unreadNotificationCount } = await client.request(InboxCountDocument, {});
      this.#setCount(unreadNotificationCount);
      let before = this.#newest;
      const missed: InboxNotification[] = [];
      while (before) {
        const { notifications } = await client.request(InboxCatchUpDocument, { last: CATCH_UP_PAGE, before });
        missed.push(...notifications.edges.map((edge) => edge.node));
        before = notifications.pageInfo.hasPreviousPage ? notifications.pageInfo.startCursor : null;
      }
      this.#arrived(missed.sort(byNewest).reverse());
      if (this.#view !== 'settings' && this.#status !== 'idle') await this.#refreshFirstPage();
      this.#offline = false;
      this.#render();
    } catch (failure) {
      this.#fail(failure);
    }
  }

  // The feed.

  #filter(): NotificationFilter {
    if (this.#view === 'archived') return { status: 'ARCHIVED' };
    return this.#unreadOnly ? { status: 'UNREAD' } : {};
  }

  /** Whether a notification belongs in the view shown. */
  #belongs(item: InboxNotification) {
    if (this.#view === 'archived') return !!item.archivedAt;
    return !item.archivedAt && !(this.#unreadOnly && item.readAt);
  }

  /** Whether a notification falls within what is loaded: newer than the oldest held, or everything is loaded. */
  #inRange(item: InboxNotification) {
    if (!this.#hasNext) return true;
    let oldest: string | null = null;
    for (const id of this.#items.keys()) if (oldest === null || id < oldest) oldest = id;
    return oldest !== null && item.id > oldest;
  }

  async #load(reset: boolean) {
    const client = this.#client;
    if (!client || this.#view === 'settings') return;
    if (!reset && (this.#status === 'loading' || !this.#hasNext)) return;
    const generation = reset ? ++this.#generation : this.#generation;
    this.#status = 'loading';
    if (reset) {
      this.#items.clear();
      this.#endCursor = null;
      this.#hasNext = false;
    }
    this.#render();
    try {
      const { notifications, unreadNotificationCount } = await client.request(InboxPageDocument, {
        first: PAGE,
        after: reset ? null : this.#endCursor,
        filter: this.#filter(),
      });
      if (generation !== this.#generation) return;
      this.#setCount(unreadNotificationCount);
      for (const { node } of notifications.edges) {
        this.#items.set(node.id, node);
        this.#seen(node.id);
      }
      this.#endCursor = notifications.pageInfo.endCursor ?? this.#endCursor;
      this.#hasNext = notifications.pageInfo.hasNextPage;
      this.#status = 'ready';
      this.#offline = false;
    } catch (failure) {
      if (generation !== this.#generation) return;
      this.#status = 'error';
      this.#fail(failure);
    }
    this.#render();
  }

  /** The first page again, merged into what is held: changes made while the socket was down. */
  async #refreshFirstPage() {
    const client = this.#client;
    if (!client) return;
    const generation = this.#generation;
    const { notifications } = await client.request(InboxPageDocument, { first: PAGE, filter: this.#filter() });
    if (generation !== this.#generation) return;
    const fresh = new Set(notifications.edges.map((edge) => edge.node.id));
    const oldest = notifications.edges.at(-1)?.node.id;
    // Held ones within the page's range that it no longer lists have left the view.
    for (const id of [...this.#items.keys()]) {
      if (!fresh.has(id) && (!notifications.pageInfo.hasNextPage || (oldest && id > oldest))) this.#items.delete(id);
    }
    for (const { node } of notifications.edges) this.#items.set(node.id, node);
    if (this.#items.size <= fresh.size) {
      this.#endCursor = notifications.pageInfo.endCursor;
      this.#hasNext = notifications.pageInfo.hasNextPage;
    }
  }

  #seen(id: string) {
    if (this.#newest === null || id > this.#newest) this.#newest = id;
  }

  /** New notifications (pushed, or found when catching up), oldest first: shown once, announced once. */
  #arrived(list: InboxNotification[]) {
    for (const item of list) {
      this.#seen(item.id);
      if (this.#status !== 'idle' && this.#belongs(item)) this.#items.set(item.id, item);
      if (this.#announced.has(item.id)) continue;
      this.#announced.add(item.id);
      this.dispatchEvent(
        new CustomEvent('herald-notification', { detail: { notification: item }, bubbles: true, composed: true }),
      );
    }
    this.#render();
  }

  /** Notifications as they are now (changed in this tab or another): kept, moved in or out of the view. */
  #merge(list: InboxNotification[]) {
    for (const item of list) {
      if (this.#belongs(item) && (this.#items.has(item.id) || this.#inRange(item))) this.#items.set(item.id, item);
      else this.#items.delete(item.id);
    }
    this.#render();
  }

  #setCount(count: number) {
    if (count < 0 || count === this.#count) return;
    this.#count = count;
    this.#render();
  }

  #fail(failure: unknown) {
    const error =
      failure instanceof HeraldError
        ? failure
        : new HeraldError({ code: 'INTERNAL', message: String((failure as Error)?.message ?? failure) });
    if (error.code === 'NETWORK') this.#offline = true;
    this.dispatchEvent(
      new CustomEvent('herald-error', {
        detail: { code: error.code, reason: error.reason, message: error.message, error },
        bubbles: true,
        composed: true,
      }),
    );
    this.#render();
  }

  // What a person does.

  async #act(id: string, act: string) {
    const client = this.#client;
    const item = this.#items.get(id);
    if (!client || !item) return;
    try {
      let changed: InboxNotification;
      if (act === 'read')
        changed = (await client.request(InboxMarkReadDocument, { input: { id } })).markNotificationRead;
      else if (act === 'unread')
        changed = (await client.request(InboxMarkUnreadDocument, { input: { id } })).markNotificationUnread;
      else if (act === 'archive')
        changed = (await client.request(InboxArchiveDocument, { input: { id } })).archiveNotification;
      else changed = (await client.request(InboxUnarchiveDocument, { input: { id } })).unarchiveNotification;
      this.#merge([changed]);
      if (act === 'read' && !item.readAt) this.#announceRead({ id });
    } catch (failure) {
      this.#fail(failure);
    }
  }

  async #markAllRead() {
    const client = this.#client;
    if (!client) return;
    try {
      const { markAllNotificationsRead } = await client.request(InboxMarkAllReadDocument, {});
      const now = new Date().toISOString();
      this.#merge([...this.#items.values()].map((item) => (item.readAt ? item : { ...item, readAt: now })));
      this.#setCount(0);
      this.#announceRead({ all: true, marked: markAllNotificationsRead });
    } catch (failure) {
      this.#fail(failure);
    }
  }

  #announceRead(detail: { id?: string; all?: boolean; marked?: number }) {
    this.dispatchEvent(
      new CustomEvent('herald-read', {
        detail: { ...detail, unreadCount: this.#count },
        bubbles: true,
        composed: true,
      }),
    );
  }

  async #loadPreferences() {
    const client = this.#client;
    if (!client) return;
    this.#status = 'loading';
    this.#render();
    try {
      this.#preferences = (await client.request(InboxPreferencesDocument, {})).notificationPreferences;
      this.#status = 'ready';
    } catch (failure) {
      this.#status = 'error';
      this.#fail(failure);
    }
    this.#render();
  }

  async #setPreference(type: string, channel: string, enabled: boolean) {
    const client = this.#client;
    if (!client) return;
    try {
      const { updateNotificationPreferences } = await client.request(InboxUpdatePreferenceDocument, {
        input: {
          type: type as InboxPreferenceFragment['type'],
          channel: channel as InboxPreferenceFragment['channel'],
          enabled,
        },
      });
      this.#preferences = updateNotificationPreferences;
    } catch (failure) {
      this.#fail(failure);
    }
    this.#render();
  }

  #show(view: View) {
    if (view === this.#view) return;
    this.#view = view;
    this.#generation++;
    if (view === 'settings') void this.#loadPreferences();
    else void this.#load(true);
  }

  // Events.

  #onClick(event: Event) {
    const target = event.target as HTMLElement;
    if (target.closest('.bell')) return this.toggle();
    const tab = target.closest<HTMLElement>('[data-view]');
    if (tab) return this.#show(tab.dataset.view as View);
    const button = target.closest<HTMLElement>('[data-act]');
    const act = button?.dataset.act;
    const id = target.closest<HTMLElement>('[data-id]')?.dataset.id;
    if (act === 'close') this.toggle(false);
    else if (act === 'all-read') {
      if (this.#count > 0) void this.#markAllRead();
    } else if (act === 'retry') void (this.#view === 'settings' ? this.#loadPreferences() : this.#load(true));
    else if (act === 'open' && id) this.#follow(event as MouseEvent, button as HTMLAnchorElement, id);
    else if (act && id && act !== 'unread-only') void this.#act(id, act);
  }

  /**
   * A notification's link is followed as links are, and read on the way. A plain click in this
   * tab waits (briefly) for the mark to be sent, which leaving the page would cancel; a click
   * that opens another tab or window does not need to.
   */
  #follow(event: MouseEvent, link: HTMLAnchorElement, id: string) {
    if (this.#items.get(id)?.readAt) return;
    const marking = this.#act(id, 'read');
    const elsewhere = event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey;
    if (elsewhere || link.target) return;
    event.preventDefault();
    const go = () => location.assign(link.href);
    void Promise.race([marking, new Promise((resolve) => setTimeout(resolve, 400))]).then(go, go);
  }

  #onChange(event: Event) {
    const input = event.target as HTMLInputElement;
    if (input.dataset.act === 'unread-only') {
      this.#unreadOnly = input.checked;
      void this.#load(true);
    } else if (input.dataset.type && input.dataset.channel) {
      void this.#setPreference(input.dataset.type, input.dataset.channel, input.checked);
    }
  }

  #onKey(event: KeyboardEvent) {
    if (!this.#open) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      this.toggle(false);
      return;
    }
    const tab = (event.target as HTMLElement).closest?.('[role=tab]');
    if (tab && (event.key === 'ArrowRight' || event.key === 'ArrowLeft')) {
      const tabs = [...this.#root.querySelectorAll<HTMLElement>('[role=tab]')];
      const next =
        tabs[(tabs.indexOf(tab as HTMLElement) + (event.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
      next?.focus();
      next?.click();
      return;
    }
    if (event.key !== 'Tab') return;
    // Focus stays inside the open dialog.
    const focusable = [
      ...this.#root.querySelectorAll<HTMLElement>('.panel button, .panel a[href], .panel input'),
    ].filter((element) => !element.closest('[hidden]') && !(element as HTMLButtonElement).disabled);
    const first = focusable[0];
    const last = focusable.at(-1);
    const active = this.#root.activeElement;
    if (event.shiftKey && active === first) {
      event.preventDefault();
      last?.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first?.focus();
    }
  }

  /** Escape closes the panel wherever the focus is (inside, the dialog's own handler does). */
  #onEscape = (event: KeyboardEvent) => {
    if (this.#open && event.key === 'Escape' && !event.composedPath().includes(this)) this.toggle(false);
  };

  #onOutside = (event: Event) => {
    if (this.#open && !event.composedPath().includes(this)) this.toggle(false);
  };

  #onNetwork = () => {
    this.#offline = navigator.onLine === false;
    this.#render();
  };

  #tick(on: boolean) {
    if (this.#ticker) clearInterval(this.#ticker);
    this.#ticker = on ? setInterval(() => this.#updateTimes(), 30_000) : null;
  }

  // Rendering: fixed markup from the template, and data only ever as text.

  get #language(): Language {
    return languageOf(this.getAttribute('lang') || document.documentElement.lang || navigator.language);
  }

  #q<T extends Element>(selector: string) {
    return this.#root.querySelector<T>(selector);
  }

  #updateTimes() {
    const language = this.#language;
    for (const time of this.#root.querySelectorAll('time')) {
      time.textContent = relativeTime(language, time.dateTime);
    }
  }

  #render() {
    const t = textsFor(this.#language);
    const q = <T extends HTMLElement>(selector: string) => this.#q<T>(selector) as T;
    const badge = q('.badge');
    badge.hidden = this.#count === 0;
    badge.textContent = this.#count > 99 ? '99+' : String(this.#count);
    const bell = q('.bell');
    bell.setAttribute('aria-label', this.#count ? `${t.notifications}, ${t.unread(this.#count)}` : t.notifications);
    bell.setAttribute('aria-expanded', String(this.#open));
    q('.panel').hidden = !this.#open;
    q('h2').textContent = t.notifications;
    const allRead = q<HTMLButtonElement>('[data-act=all-read]');
    allRead.textContent = t.markAllRead;
    // Never disabled: a disabled button drops the focus of whoever just pressed it.
    allRead.setAttribute('aria-disabled', String(this.#count === 0));
    allRead.hidden = this.#view === 'settings';
    q('[data-act=close]').setAttribute('aria-label', t.close);
    for (const tab of this.#root.querySelectorAll<HTMLElement>('[role=tab]')) {
      const view = tab.dataset.view as View;
      tab.textContent = t[view];
      tab.setAttribute('aria-selected', String(view === this.#view));
      tab.tabIndex = view === this.#view ? 0 : -1;
    }
    const toggle = q('label[part=unread-only]');
    toggle.hidden = this.#view !== 'inbox';
    q('label[part=unread-only] span').textContent = t.unreadOnly;
    q<HTMLInputElement>('[data-act=unread-only]').checked = this.#unreadOnly;
    const banner = q('.banner');
    banner.hidden = !this.#offline;
    banner.textContent = t.offline;
    if (!this.#open) return;
    const focused = (this.#root.activeElement as HTMLElement | null)?.dataset?.key;
    const list = q('ul');
    if (this.#view === 'settings') list.replaceChildren(this.#settings(t));
    else list.replaceChildren(...[...this.#items.values()].sort(byNewest).map((item) => this.#itemNode(item, t)));
    const state = q('.state');
    state.replaceChildren();
    if (this.#status === 'loading') state.textContent = t.loading;
    else if (this.#status === 'error') {
      const retry = document.createElement('button');
      retry.dataset.act = 'retry';
      retry.textContent = t.retry;
      state.append(`${t.failed} `, retry);
    } else if (this.#view !== 'settings' && this.#items.size === 0) {
      state.textContent = this.#view === 'archived' ? t.emptyArchive : t.empty;
    }
    state.hidden = state.childNodes.length === 0;
    if (focused) this.#q<HTMLElement>(`[data-key="${CSS.escape(focused)}"]`)?.focus();
    this.#watchMore();
  }

  #itemNode(item: InboxNotification, t: Texts) {
    const unread = !item.readAt;
    const li = el('li', `item${unread ? ' unread' : ''}`);
    li.setAttribute('part', `item${unread ? ' item-unread' : ''}`);
    li.dataset.id = item.id;
    const icon = el('span', `icon ${item.type in ICONS ? item.type : 'CUSTOM'}`);
    icon.append(svg(ICONS[item.type] ?? (ICONS.CUSTOM as Icon)));
    const text = el('div', 'text');
    const href = safeLink(item.url);
    const title = el(href ? 'a' : 'span', 'title');
    title.setAttribute('part', 'item-title');
    title.textContent = item.title;
    if (href) {
      title.setAttribute('href', href);
      title.dataset.act = 'open';
      title.dataset.key = `${item.id}:open`;
    }
    if (unread) {
      const hidden = el('span', 'sr');
      hidden.textContent = `${t.unread(1)}: `;
      title.prepend(hidden);
    }
    text.append(title);
    if (item.message) {
      const message = el('p', 'message');
      message.setAttribute('part', 'item-message');
      message.textContent = item.message;
      text.append(message);
    }
    const time = el('time');
    time.setAttribute('part', 'item-time');
    time.dateTime = item.createdAt;
    time.title = new Date(item.createdAt).toLocaleString(this.#language);
    time.textContent = relativeTime(this.#language, item.createdAt);
    const actions = el('div', 'actions');
    const archived = !!item.archivedAt;
    const buttons: [act: string, label: string][] = [
      unread ? ['read', t.markRead] : ['unread', t.markUnread],
      archived ? ['unarchive', t.unarchive] : ['archive', t.archive],
    ];
    for (const [act, label] of buttons) {
      const button = el('button');
      button.dataset.act = act;
      button.dataset.key = `${item.id}:${act === 'read' || act === 'unread' ? 'read' : 'archive'}`;
      button.textContent = label;
      button.setAttribute('aria-label', `${label}: ${item.title}`);
      actions.append(button);
    }
    text.append(time, actions);
    li.append(icon, text);
    if (unread) li.append(el('span', 'dot'));
    return li;
  }

  #settings(t: Texts) {
    const li = el('li');
    const table = el('table');
    const head = el('tr');
    for (const label of ['', t.inApp, t.email]) head.append(Object.assign(el('th'), { textContent: label }));
    table.append(head);
    const types = [...new Set((this.#preferences ?? []).map((p) => p.type))];
    for (const type of types) {
      const row = el('tr');
      row.append(Object.assign(el('td'), { textContent: t.types[type] ?? type }));
      for (const channel of ['IN_APP', 'EMAIL']) {
        const preference = this.#preferences?.find((p) => p.type === type && p.channel === channel);
        const cell = el('td');
        const box = el('input');
        box.type = 'checkbox';
        box.checked = !!preference?.enabled;
        box.disabled = !preference || preference.locked;
        box.dataset.type = type;
        box.dataset.channel = channel;
        box.dataset.key = `${type}:${channel}`;
        box.setAttribute('aria-label', `${t.types[type] ?? type}: ${channel === 'IN_APP' ? t.inApp : t.email}`);
        cell.append(box);
        if (preference?.locked) cell.append(Object.assign(el('span', 'lock'), { textContent: t.locked }));
        row.append(cell);
      }
      table.append(row);
    }
    li.append(table);
    return li;
  }

  /** Loads the next page when the end of the list scrolls into view. */
  #watchMore() {
    const more = this.#q<HTMLElement>('.more');
    if (!more || typeof IntersectionObserver === 'undefined') return;
    this.#observer ??= new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting) && this.#hasNext) void this.#load(false);
      },
      // A little before the end, so that the next page is there when the person gets to it.
      { root: this.#q('.body'), rootMargin: '0px 0px 200px 0px' },
    );
    this.#observer.disconnect();
    if (this.#hasNext && this.#status === 'ready') this.#observer.observe(more);
  }
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  return element;
}
