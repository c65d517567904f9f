// ES256 signing keys. Embedded default: one key generated on first start and kept under
// DATA_DIR/keys (mode 0600). Production: JWT_PRIVATE_KEY (PKCS#8 PEM or JWK). Retired public
// keys stay published, and accepted, until the tokens they signed have expired.
import { chmod, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type CryptoKey,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  importPKCS8,
  type JWK,
} from 'jose';

export interface SigningKeys {
  kid: string;
  privateKey: CryptoKey;
  /** Public keys by kid: the current one and the retired ones still valid. */
  verificationKey(kid: string, now?: number): CryptoKey | undefined;
  jwks(now?: number): { keys: JWK[] };
}

interface PublicKeyEntry {
  jwk: JWK;
  key: CryptoKey;
  /** Unix seconds after which the key is neither published nor accepted. */
  exp?: number;
}

export class KeyConfigError extends Error {
  override name = 'KeyConfigError';
}

async function publicEntry(jwk: JWK, exp?: number): Promise<PublicKeyEntry> {
  const { kty, crv, x, y } = jwk;
  if (kty !== 'EC' || crv !== 'P-256' || !x || !y) throw new KeyConfigError('ES256 keys must be EC P-256');
  const kid = jwk.kid ?? (await calculateJwkThumbprint({ kty, crv, x, y }));
  const pub: JWK = { kty, crv, x, y, kid, alg: 'ES256', use: 'sig' };
  return { jwk: pub, key: (await importJWK(pub, 'ES256')) as CryptoKey, exp };
}

async function fromPrivateJwk(jwk: JWK): Promise<{ privateKey: CryptoKey; entry: PublicKeyEntry }> {
  if (!jwk.d) throw new KeyConfigError('the JWK has no private part (d)');
  const entry = await publicEntry(jwk);
  const privateKey = (await importJWK({ ...jwk, alg: 'ES256' }, 'ES256')) as CryptoKey;
  return { privateKey, entry };
}

async function parsePrivateKey(value: string) {
  const text = value.trim();
  if (text.startsWith('{')) return fromPrivateJwk(JSON.parse(text) as JWK);
  if (!text.includes('BEGIN PRIVATE KEY')) {
    throw new KeyConfigError('expected a PKCS#8 PEM ("BEGIN PRIVATE KEY") or a JWK');
  }
  const key = await importPKCS8(text, 'ES256', { extractable: true });
  return fromPrivateJwk(await exportJWK(key));
}

const keyDir = (dataDir: string) => path.join(dataDir, 'keys');
const currentKeyFile = (dataDir: string) => path.join(keyDir(dataDir), 'signing-key.json');
const retiredDir = (dataDir: string) => path.join(keyDir(dataDir), 'retired');

async function writeSecret(file: string, content: string) {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, content, { mode: 0o600, flag: 'wx' });
  await chmod(file, 0o600);
}

async function generatePrivateJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  jwk.kid = await calculateJwkThumbprint(jwk);
  return jwk;
}

/** Reads the embedded key under DATA_DIR, generating it on first start. */
async function loadOrCreateLocalKey(dataDir: string): Promise<JWK> {
  const file = currentKeyFile(dataDir);
  try {
    return JSON.parse(await readFile(file, 'utf8')) as JWK;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  try {
    await writeSecret(file, JSON.stringify(await generatePrivateJwk()));
  } catch (error) {
    // Another process created it first: theirs wins.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return JSON.parse(await readFile(file, 'utf8')) as JWK;
}

async function loadLocalRetired(dataDir: string): Promise<PublicKeyEntry[]> {
  const files = await readdir(retiredDir(dataDir)).catch(() => [] as string[]);
  return Promise.all(
    files
      .filter((file) => file.endsWith('.json'))
      .map(async (file) => {
        const jwk = JSON.parse(await readFile(path.join(retiredDir(dataDir), file), 'utf8')) as JWK & { exp?: number };
        return publicEntry(jwk, jwk.exp);
      }),
  );
}

/**
 * Retires the embedded key: its public half stays valid for `keepSeconds` (the access
 * token lifetime), and a new key signs from the next start on.
 */
export async function rotateLocalKey(dataDir: string, keepSeconds: number): Promise<string> {
  const current = JSON.parse(await readFile(currentKeyFile(dataDir), 'utf8')) as JWK;
  const { jwk } = await publicEntry(current);
  const exp = Math.floor(Date.now() / 1000) + keepSeconds;
  await mkdir(retiredDir(dataDir), { recursive: true, mode: 0o700 });
  await writeFile(path.join(retiredDir(dataDir), `${jwk.kid}.json`), JSON.stringify({ ...jwk, exp }));
  const next = await generatePrivateJwk();
  const tmp = `${currentKeyFile(dataDir)}.next`;
  await writeSecret(tmp, JSON.stringify(next));
  await rename(tmp, currentKeyFile(dataDir));
  return next.kid as string;
}

export async function loadSigningKeys(options: {
  privateKey?: string;
  retiredPublicKeys?: string;
  dataDir: string;
}): Promise<SigningKeys> {
  const { privateKey, entry } = options.privateKey
    ? await parsePrivateKey(options.privateKey)
    : await fromPrivateJwk(await loadOrCreateLocalKey(options.dataDir));

  const retired: PublicKeyEntry[] = options.privateKey ? [] : await loadLocalRetired(options.dataDir);
  if (options.retiredPublicKeys) {
    let list: unknown;
    try {
      list = JSON.parse(options.retiredPublicKeys);
    } catch {
      throw new KeyConfigError('JWT_RETIRED_PUBLIC_KEYS must be a JSON array of JWKs');
    }
    if (!Array.isArray(list)) throw new KeyConfigError('JWT_RETIRED_PUBLIC_KEYS must be a JSON array of JWKs');
    for (const jwk of list as (JWK & { exp?: number })[]) retired.push(await publicEntry(jwk, jwk.exp));
  }
  const all = [entry, ...retired.filter((r) => r.jwk.kid !== entry.jwk.kid)];
  const live = (now: number) => all.filter((e) => e.exp === undefined || e.exp > now);
  const seconds = () => Math.floor(Date.now() / 1000);

  return {
    kid: entry.jwk.kid as string,
    privateKey,
    verificationKey: (kid, now = seconds()) => live(now).find((e) => e.jwk.kid === kid)?.key,
    jwks: (now = seconds()) => ({ keys: live(now).map((e) => e.jwk) }),
  };
}
