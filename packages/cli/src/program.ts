// The `herald` command: global options, every command group, help with examples, completion.
import { Argument, Command } from 'commander';
import { examples } from './command.ts';
import { registerAccount } from './commands/account.ts';
import { registerAudit } from './commands/audit.ts';
import { registerMachine } from './commands/machine.ts';
import { registerMcp } from './commands/mcp.ts';
import { registerMembers } from './commands/members.ts';
import { registerNotifications } from './commands/notifications.ts';
import { registerWebhooks } from './commands/webhooks.ts';
import { registerWork } from './commands/work.ts';
import { completionScript, completions, SHELLS, type Shell } from './completion.ts';
import { DEFAULT_URL } from './connection.ts';
import { printLine } from './output.ts';

export const VERSION = '0.1.0';

export function buildProgram(): Command {
  const program = new Command('herald')
    .description('Herald from the command line: service accounts, tokens, members, work items, the audit log')
    .version(VERSION)
    .option('--url <url>', `where Herald answers (HERALD_URL; default the profile's, else ${DEFAULT_URL})`)
    .option('--product <slug>', 'the product (HERALD_PRODUCT; default the profile’s, else the default product)')
    .option('--profile <name>', 'which saved sign-in to use (HERALD_PROFILE; default "default")')
    .option('--json', 'print JSON for scripts (the API’s field names) instead of tables')
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      `${examples(
        'herald login --email ada@example.com',
        'herald tokens create --service-account ci --name deploys --scope read:work_items',
        'HERALD_TOKEN=hld_… herald work-items list --status OPEN --json',
        'herald audit --client cli',
      )}
Environment: HERALD_URL, HERALD_TOKEN (an API token, used instead of the saved sign-in),
HERALD_PRODUCT, HERALD_PROFILE, XDG_CONFIG_HOME (where sign-ins are saved), NO_COLOR.
Exit codes: 0 ok, 1 error, 2 usage, 3 unauthenticated, 4 forbidden, 5 rate limited.
`,
    );

  registerAccount(program);
  registerMachine(program);
  registerMembers(program);
  registerWork(program);
  registerWebhooks(program);
  registerAudit(program);
  registerNotifications(program);
  registerMcp(program);

  program
    .command('completion')
    .description('Print the shell completion script')
    .addArgument(new Argument('<shell>', 'the shell').choices(SHELLS))
    .addHelpText(
      'after',
      examples(
        'eval "$(herald completion bash)"       # in ~/.bashrc',
        'eval "$(herald completion zsh)"        # in ~/.zshrc',
        'herald completion fish > ~/.config/fish/completions/herald.fish',
      ),
    )
    .action((shell: Shell) => {
      process.stdout.write(completionScript(shell));
    });

  program
    .command('__complete', { hidden: true })
    .argument('[words...]')
    .allowUnknownOption()
    .helpOption(false)
    .action((words: string[]) => {
      for (const candidate of completions(program, words)) printLine(candidate);
    });

  return program;
}
