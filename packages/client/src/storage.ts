/**
 * Where the refresh token is kept between page loads. Any method may answer a promise, so an
 * adapter can sit on a file, a keychain or IndexedDB.
 */
export interface StorageAdapter {
  get(key: string): string | null | undefined | Promise<string | null | undefined>;
  set(key: string, value: string): void | Promise<void>;
  remove(key: string): void | Promise<void>;
}

export type StorageOption = 'memory' | 'session' | 'local' | StorageAdapter;

export function memoryStorage(): StorageAdapter {
  const values = new Map<string, string>();
  return {
    get: (key) => values.get(key) ?? null,
    set: (key, value) => void values.set(key, value),
    remove: (key) => void values.delete(key),
  };
}

function webStorage(kind: 'session' | 'local'): StorageAdapter {
  const area = kind === 'local' ? globalThis.localStorage : globalThis.sessionStorage;
  if (!area) {
    throw new TypeError(
      `storage '${kind}' needs the browser's ${kind}Storage; here, pass an adapter { get, set, remove }`,
    );
  }
  return {
    get: (key) => area.getItem(key),
    set: (key, value) => area.setItem(key, value),
    remove: (key) => area.removeItem(key),
  };
}

export function storageFor(option: StorageOption): StorageAdapter {
  if (option === 'memory') return memoryStorage();
  if (option === 'session' || option === 'local') return webStorage(option);
  return option;
}
