// Saved sign-ins, one per profile, in the user's configuration directory
// ($XDG_CONFIG_HOME/herald/credentials.json, else ~/.config/herald/credentials.json), readable
// by the user alone (file 0600, folder 0700). A profile holds where Herald is and either an API
// token or the refresh token of a person's session, which every command rotates.
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import type { StorageAdapter } from '@herald/client';

export interface Profile {
  url: string;
  product?: string;
  /** An API token (`hld_…`) or another bearer credential given to `herald login --token`. */
  token?: string;
  /** The refresh token of a person's session, kept by @herald/client through `storageFor`. */
  refreshToken?: string;
}

interface CredentialsFile {
  profiles: Record<string, Profile>;
}

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(homedir(), '.config');
  return path.join(base, 'herald');
}

export const credentialsPath = (env: NodeJS.ProcessEnv = process.env) => path.join(configDir(env), 'credentials.json');

async function load(file: string): Promise<CredentialsFile> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<CredentialsFile>;
    return { profiles: parsed.profiles && typeof parsed.profiles === 'object' ? parsed.profiles : {} };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { profiles: {} };
    throw new Error(`cannot read ${file}: ${(error as Error).message}`);
  }
}

/** Written whole to a file of mode 0600 beside it, then renamed over it: never half a file, never readable by others. */
async function store(file: string, contents: CredentialsFile) {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(contents, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, file);
}

export interface ProfileStore {
  readonly name: string;
  read(): Promise<Profile | null>;
  write(profile: Profile): Promise<void>;
  update(change: (profile: Profile) => Profile): Promise<void>;
  remove(): Promise<void>;
  /** Where @herald/client keeps the session's refresh token: in this profile. */
  sessionStorage(): StorageAdapter;
}

export function profileStore(name: string, env: NodeJS.ProcessEnv = process.env): ProfileStore {
  const file = credentialsPath(env);
  const read = async () => (await load(file)).profiles[name] ?? null;
  const update = async (change: (profile: Profile) => Profile) => {
    const contents = await load(file);
    const current = contents.profiles[name];
    if (!current) return;
    contents.profiles[name] = change(current);
    await store(file, contents);
  };
  return {
    name,
    read,
    async write(profile) {
      const contents = await load(file);
      contents.profiles[name] = profile;
      await store(file, contents);
    },
    update,
    async remove() {
      const contents = await load(file);
      if (!(name in contents.profiles)) return;
      delete contents.profiles[name];
      if (Object.keys(contents.profiles).length === 0) await rm(file, { force: true });
      else await store(file, contents);
    },
    sessionStorage: () => ({
      get: async () => (await read())?.refreshToken ?? null,
      set: (_key, value) => update((profile) => ({ ...profile, refreshToken: value })),
      remove: () => update(({ refreshToken: _, ...profile }) => profile),
    }),
  };
}
