// How many authenticated, subscribed sockets one Herald process holds, and its memory per
// socket. The server runs in a child process so that the clients' memory is not counted.
//   npm run bench:sockets -- [sockets=5000]
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type WebSocket from 'ws';
import { benchEnv, freePort, openSubscriber, register } from './common.ts';

const target = Number(process.argv[2] ?? 5000);

const port = await freePort();
const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', '--expose-gc', 'src/main.ts'], {
  env: { ...process.env, ...(await benchEnv()), PORT: String(port), DATABASE_URL: '', REDIS_URL: '' },
  stdio: 'inherit',
});
const base = `http://127.0.0.1:${port}`;
const rssMiB = async () => {
  const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024;
};

try {
  for (let i = 0; ; i++) {
    if (
      await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (i > 300) throw new Error('server did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const owner = await register(base, 'bench');
  const url = `ws://127.0.0.1:${port}/graphql?token=${owner.accessToken}`;
  const query = 'subscription { notificationAdded { notification { id title } unreadCount } }';
  // Warm up the code paths before the baseline.
  const warm = await Promise.all(Array.from({ length: 50 }, () => openSubscriber(url, query)));
  for (const socket of warm) socket.close();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const before = await rssMiB();

  const sockets: WebSocket[] = [];
  const started = Date.now();
  let failed = 0;
  while (sockets.length < target && failed < 50) {
    const batch = Math.min(250, target - sockets.length);
    const results = await Promise.allSettled(Array.from({ length: batch }, () => openSubscriber(url, query)));
    for (const result of results) {
      if (result.status === 'fulfilled') sockets.push(result.value);
      else failed++;
    }
  }
  const seconds = (Date.now() - started) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const after = await rssMiB();
  console.log(`sockets held: ${sockets.length} of ${target} (failed: ${failed}), opened in ${seconds.toFixed(1)} s`);
  console.log(`server RSS: ${before.toFixed(1)} MiB before, ${after.toFixed(1)} MiB after`);
  console.log(`memory per socket: ${(((after - before) * 1024) / sockets.length).toFixed(1)} KiB`);
  for (const socket of sockets) socket.terminate();
} finally {
  child.kill('SIGTERM');
}
