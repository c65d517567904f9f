// How a command's action runs: the global options merged in, Herald opened with the saved
// credential (or none, for `login`), closed afterwards whatever happens.
import type { Command } from 'commander';
import { type GlobalOptions, type Herald, openHerald } from './connection.ts';

export interface Call<TOptions> {
  /** The command's positional arguments. */
  args: string[];
  options: TOptions & GlobalOptions;
  json: boolean;
  herald: Herald;
  command: Command;
}

/** An action for commander: `.action(act(async ({ herald, args }) => …))`. */
export function act<TOptions = Record<string, unknown>>(
  handler: (call: Call<TOptions>) => Promise<void>,
  { signedIn = true } = {},
) {
  return async (...received: unknown[]) => {
    const command = received.at(-1) as Command;
    const args = received.slice(0, -2).flatMap((arg) => (Array.isArray(arg) ? arg : [arg])) as string[];
    const options = command.optsWithGlobals() as TOptions & GlobalOptions;
    const herald = await openHerald(options, { signedIn });
    try {
      await handler({ args, options, json: options.json === true, herald, command });
    } finally {
      herald.close();
    }
  };
}

/** `--scope a --scope b,c` → ['a', 'b', 'c']. */
export const collectList = (value: string, previous: string[] = []) => [
  ...previous,
  ...value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean),
];

/** The examples paragraph of a command's --help. */
export const examples = (...lines: string[]) => `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;
