import type { MessageKey } from '../i18n/messages.ts';

/**
 * A value a custom scalar refuses. graphql-js keeps it as the original error of the one it
 * reports, which names the variable path; the message is English, and the key lets the
 * response say it in the request's language.
 */
export class ScalarProblem extends Error {
  readonly messageKey: MessageKey;
  readonly fieldMessageKey: MessageKey;

  constructor(message: string, keys: { messageKey: MessageKey; fieldMessageKey: MessageKey }) {
    super(message);
    this.messageKey = keys.messageKey;
    this.fieldMessageKey = keys.fieldMessageKey;
  }
}
