/**
 * The URL of a module beside `from` (an `import.meta.url`) to start a worker thread with:
 * TypeScript when Herald runs from src/, JavaScript when it runs built from dist/. A worker
 * is loaded by Node itself, so tsc's rewriting of import specifiers does not reach it.
 */
export function workerModule(name: string, from: string): URL {
  return new URL(`./${name}${from.endsWith('.ts') ? '.ts' : '.js'}`, from);
}
