// herald notifications tail: the signed-in person's notifications as they arrive, over
// graphql-ws, through @herald/client (which renews the token and reconnects).
import type { Command } from 'commander';
import { act, examples } from '../command.ts';
import { usageError } from '../errors.ts';
import { NotificationAddedDocument } from '../generated/graphql.ts';
import { note, paint, printLine, when } from '../output.ts';

export function registerNotifications(program: Command) {
  const notifications = program.command('notifications').description('The signed-in person’s notifications');

  notifications
    .command('tail')
    .description('Print notifications as they arrive, until interrupted (needs a person’s sign-in, not a token)')
    .addHelpText(
      'after',
      examples('herald notifications tail', 'herald notifications tail --json | jq -r .notification.title'),
    )
    .action(
      act(async ({ herald, json }) => {
        if (herald.credential.kind !== 'session') {
          throw usageError(
            'Notifications belong to people: sign in with `herald login --email …` (an API token has none).',
          );
        }
        await new Promise<void>((resolve, reject) => {
          const stop = herald.client.subscribe(
            NotificationAddedDocument,
            {},
            {
              next: ({ notificationAdded }) => {
                if (json) {
                  // One JSON document per line, for `jq` and line-by-line readers.
                  process.stdout.write(`${JSON.stringify(notificationAdded)}\n`);
                  return;
                }
                const { notification, unreadCount } = notificationAdded;
                printLine(
                  `${when(notification.createdAt)}  ${paint('bold', notification.type)}  ${notification.title}${
                    notification.message ? ` — ${notification.message}` : ''
                  }${notification.url ? `  ${paint('underline', notification.url)}` : ''}  (${unreadCount} unread)`,
                );
              },
              error: (error) => {
                stop();
                reject(error);
              },
              complete: () => resolve(),
            },
          );
          const end = () => {
            stop();
            resolve();
          };
          process.once('SIGINT', end);
          process.once('SIGTERM', end);
          note('Waiting for notifications (Ctrl-C stops)…');
        });
      }),
    );
}
