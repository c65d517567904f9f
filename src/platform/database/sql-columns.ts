import { Prisma } from '../../generated/prisma/client.ts';

/**
 * A model's columns, spelled out for what a raw statement answers. PostgreSQL keeps repeated
 * statements prepared (prepared-statements.ts), and a prepared statement answering `table.*`
 * fails ("cached plan must not change result type") as soon as a migration adds a column,
 * which in a rolling deploy another instance applies while this one runs. A list stays as it was.
 */
export function columnsOf(fields: Record<string, string>, table?: string): Prisma.Sql {
  const prefix = table ? `${table}.` : '';
  return Prisma.raw(
    Object.values(fields)
      .map((column) => `${prefix}"${column}"`)
      .join(', '),
  );
}
