// `prisma generate` first tries to download the Rust schema engine, which it does not
// need for generating: pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file skips the
// download, and generation runs on the bundled WebAssembly.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const result = spawnSync('prisma', ['generate', '--schema', 'prisma/schema.prisma'], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
  },
  shell: process.platform === 'win32',
});
process.exit(result.status ?? 1);
