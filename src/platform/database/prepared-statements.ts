/**
 * Names for the statements PostgreSQL should keep prepared on each connection.
 *
 * An unnamed statement is parsed and planned again every time it runs: for the assignment's
 * statement that is 0.7 ms of the server's 1.0 ms (PostgreSQL's own log, log_min_duration_statement
 * = 0). A named one is parsed once per connection, and after five runs PostgreSQL may keep a
 * generic plan too. A name is never released (pg's client offers no call to release one), so
 * names go only to statements that recur, and only so many: texts built around a list of ids of
 * varying length, or one-off statements, would otherwise grow every backend's memory for as long
 * as it runs.
 */
export function statementNames(options: { max: number; after: number; candidates?: number }) {
  const names = new Map<string, string>();
  const seen = new Map<string, number>();
  const candidates = options.candidates ?? 1000;
  return (sql: string): string | undefined => {
    const name = names.get(sql);
    if (name !== undefined || names.size >= options.max) return name;
    const uses = (seen.get(sql) ?? 0) + 1;
    if (uses < options.after) {
      // Forgetting every candidate at once keeps this bounded; a statement that recurs soon
      // comes back.
      if (seen.size >= candidates) seen.clear();
      seen.set(sql, uses);
      return undefined;
    }
    seen.delete(sql);
    const named = `herald_${names.size}`;
    names.set(sql, named);
    return named;
  };
}

/**
 * Whether the server at this URL may keep named statements: not behind a pooler in
 * transaction mode, which hands each transaction whichever server connection is free. The
 * URL says so as it does for Prisma's own engines, with `pgbouncer=true`.
 */
export function preparesStatements(url: string): boolean {
  return new URL(url).searchParams.get('pgbouncer') !== 'true';
}
