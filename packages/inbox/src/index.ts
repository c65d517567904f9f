// @herald/inbox: importing it defines <herald-inbox> (once, whoever imports it first).
import { HeraldInbox, type InboxNotification } from './element.ts';

if (!customElements.get('herald-inbox')) customElements.define('herald-inbox', HeraldInbox);

export { HeraldInbox, type InboxNotification };

declare global {
  interface HTMLElementTagNameMap {
    'herald-inbox': HeraldInbox;
  }
}
