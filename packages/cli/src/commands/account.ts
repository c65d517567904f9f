// herald login, logout, whoami.
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { act, examples } from '../command.ts';
import { clientFor, connectWith, targetOf } from '../connection.ts';
import { credentialsPath } from '../credentials.ts';
import { usageError } from '../errors.ts';
import { type Identity, identify } from '../identity.ts';
import { note, printJson, printRecord } from '../output.ts';

interface LoginOptions {
  token?: string;
  email?: string;
  passwordStdin?: boolean;
  organization?: string;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

/** Asks on the terminal; with `hidden`, what is typed is not echoed. */
async function ask(question: string, hidden = false): Promise<string> {
  if (!process.stdin.isTTY)
    throw usageError(`${question.replace(/:\s*$/, '')} is needed, and stdin is not a terminal.`);
  const lines = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  if (hidden) {
    const write = (lines as unknown as { _writeToOutput: (text: string) => void })._writeToOutput;
    (lines as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = (text) => {
      if (text.startsWith(question)) write.call(lines, question);
    };
  }
  try {
    return (await lines.question(question)).trim();
  } finally {
    if (hidden) process.stderr.write('\n');
    lines.close();
  }
}

function printIdentity(identity: Identity, json: boolean) {
  if (json) {
    printJson(identity);
    return;
  }
  const organization = identity.organization.slug
    ? `${identity.organization.name} (${identity.organization.slug})`
    : identity.organization.id;
  printRecord([
    [
      identity.kind === 'user' ? 'user' : 'service account',
      identity.email ? `${identity.name} <${identity.email}>` : identity.id,
    ],
    ['organization', organization],
    ['product', identity.product ?? 'default'],
    ['scopes', identity.scopes.join(' ')],
    ['url', identity.url],
    ['credential', identity.credential],
  ]);
}

export function registerAccount(program: Command) {
  program
    .command('login')
    .description('Sign in and save the credential in the profile (email and password, or an API token)')
    .option('--token <token>', 'an API token (hld_…); "-" reads it from stdin')
    .option('--email <email>', 'your email (asked for on a terminal when left out)')
    .option('--password-stdin', 'read the password from stdin instead of asking')
    .option('--organization <slug-or-id>', 'the organization to act in, when you belong to several')
    .addHelpText(
      'after',
      examples(
        'herald login --email ada@example.com',
        'herald login --email ada@example.com --organization acme',
        'printf %s "$PASSWORD" | herald login --email ada@example.com --password-stdin',
        'herald login --token hld_…',
        'vault read -field=token secret/herald | herald --profile ci login --token -',
      ) +
        `\nCredentials are saved in ${credentialsPath().replace(process.env.HOME ?? '\0', '~')} (mode 0600), one entry per --profile.\n`,
    )
    .action(
      act<LoginOptions>(
        async ({ options, json, herald: previous }) => {
          const { profile } = previous;
          const target = targetOf(options, await profile.read());
          // A new sign-in replaces the profile's credential: a saved session is ended first.
          if (previous.credential.kind === 'session') await previous.client.signOut().catch(() => {});
          if (options.token !== undefined) {
            if (options.email) throw usageError('Give either --token or --email, not both.');
            const token = options.token === '-' ? await readStdin() : options.token.trim();
            if (!token) throw usageError('The token is empty.');
            const herald = connectWith(target, profile, { kind: 'token', token, source: 'profile' });
            try {
              const identity = await identify(herald);
              await profile.write({ ...target, token });
              if (json) printIdentity(identity, true);
              else note(`Signed in to ${target.url} as service account ${identity.id} (profile ${profile.name}).`);
            } finally {
              herald.close();
            }
            return;
          }
          const email = options.email ?? (await ask('Email: '));
          const password = options.passwordStdin ? await readStdin() : await ask('Password: ', true);
          if (!email || !password) throw usageError('An email and a password are needed.');
          // The session's refresh token is written into the profile as it is issued.
          await profile.write({ ...target });
          const client = clientFor(target, profile);
          try {
            const wanted = options.organization;
            const first = await client.signIn({ email, password });
            let session = first.session;
            if (!session) {
              const organizations = first.organizations ?? [];
              let chosen = organizations.find((o) => o.slug === wanted || o.id === wanted);
              if (!chosen && wanted) {
                throw usageError(`You are not a member of ${wanted}: ${organizations.map((o) => o.slug).join(', ')}.`);
              }
              if (!chosen && process.stdin.isTTY && !options.passwordStdin) {
                for (const [i, o] of organizations.entries()) note(`  ${i + 1}. ${o.name} (${o.slug})`);
                const answer = await ask(`Organization [1-${organizations.length}]: `);
                chosen = organizations[Number(answer) - 1] ?? organizations.find((o) => o.slug === answer);
              }
              if (!chosen) {
                throw usageError(
                  `You belong to several organizations; choose one with --organization: ${organizations.map((o) => o.slug).join(', ')}.`,
                );
              }
              session = await client.selectOrganization({ organizationId: chosen.id });
            } else if (wanted && session.organization.slug !== wanted && session.organization.id !== wanted) {
              await client.signOut();
              throw usageError(`You are not a member of ${wanted}.`);
            }
            if (json) {
              printJson({
                user: session.user,
                organization: session.organization,
                scopes: session.scopes,
                url: target.url,
              });
            } else {
              note(
                `Signed in to ${target.url} as ${session.user.email} in ${session.organization.name} (${session.organization.slug}), profile ${profile.name}.`,
              );
            }
          } catch (error) {
            await profile.remove();
            throw error;
          } finally {
            client.close();
          }
        },
        { signedIn: false },
      ),
    );

  program
    .command('logout')
    .description('End the saved session (or forget the saved token) of the profile')
    .addHelpText('after', examples('herald logout', 'herald --profile ci logout'))
    .action(
      act(
        async ({ herald }) => {
          if (herald.credential.kind === 'session') await herald.client.signOut();
          await herald.profile.remove();
          note(`Signed out (profile ${herald.profile.name}).`);
        },
        { signedIn: false },
      ),
    );

  program
    .command('whoami')
    .description('Who the command line acts as: the person or service account, organization, scopes')
    .addHelpText('after', examples('herald whoami', 'herald whoami --json | jq -r .scopes[]'))
    .action(act(async ({ herald, json }) => printIdentity(await identify(herald), json)));
}
