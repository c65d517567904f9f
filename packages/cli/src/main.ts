// The entry point of `herald`: parses, runs, and exits with the code of what happened.
import { CommanderError } from 'commander';
import { EXIT, failureLine, failureOf } from './errors.ts';
import { paint } from './output.ts';
import { buildProgram } from './program.ts';

const program = buildProgram();
const json = process.argv.includes('--json');

// Every command reports usage errors the same way, and leaves exiting to the end of this file.
const outputError = (text: string, write: (text: string) => void) =>
  write(`${paint('red', text.trimEnd(), process.stderr)}\n`);
const overrideAll = (command: typeof program) => {
  command.exitOverride();
  command.configureOutput({ outputError });
  command.showHelpAfterError('(add --help for usage)');
  for (const sub of command.commands) overrideAll(sub);
};
overrideAll(program);

let code: number = EXIT.ok;
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and the version are answers; anything else commander refuses is a usage error.
    code = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? EXIT.ok : EXIT.usage;
  } else {
    const failure = failureOf(error);
    code = failure.exitCode;
    if (json) {
      const { exitCode: _, ...shape } = failure;
      process.stderr.write(`${JSON.stringify({ error: shape })}\n`);
    } else {
      process.stderr.write(`${paint('red', 'herald:', process.stderr)} ${failureLine(failure)}\n`);
    }
  }
}
// Sockets and timers of the client are closed by each command; exiting here also ends a
// renewal the server has not answered yet.
process.exitCode = code;
setTimeout(() => process.exit(code), 50).unref();
