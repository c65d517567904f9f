// Operator commands on accounts, run with the server's configuration:
//   npm run users -- disable <email>   (every session ends on every instance)
//   npm run users -- enable <email>
// With the embedded database, stop the server first: PGlite is one process's database.
// Without REDIS_URL, running instances notice within a minute (their cache's lifetime).
import { setUserDisabled } from '../src/accounts/disable.ts';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';

const [command, email] = process.argv.slice(2);
if ((command !== 'disable' && command !== 'enable') || !email) {
  console.error('usage: npm run users -- disable|enable <email>');
  process.exit(2);
}
const app = await createApp(loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' }));
try {
  if (!(await setUserDisabled(app, email, command === 'disable'))) {
    console.error(`No account has the email ${email}.`);
    process.exitCode = 1;
  } else {
    console.log(`${email} is ${command}d.`);
  }
} finally {
  await app.close();
}
