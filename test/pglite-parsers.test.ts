// The embedded database's adapter client (src/pglite-parsers.ts): the parsers the adapter
// passes with each query are written into PGlite's own table once and still decide how values
// are read, in transactions too; any other parsers keep applying per query.
import { PGlite, types } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsersFoldedOnce } from '../src/platform/database/pglite-parsers.ts';

describe('the embedded database adapter client', () => {
  let pglite: PGlite;
  beforeAll(async () => {
    pglite = await PGlite.create();
  });
  afterAll(() => pglite.close());

  const adapterParsers = { [types.INT8]: (value: string) => `int8:${value}`, [types.TIMESTAMP]: () => 'ts' };
  const select = "SELECT 42::int8 AS n, '2026-12-03 10:00'::timestamp AS t, 7::int4 AS i";

  it("reads values with the adapter's parsers, which end up in PGlite's table", async () => {
    const client = parsersFoldedOnce(pglite);
    const first = await client.query(select, [], { parsers: adapterParsers });
    const again = await client.query(select, [], { rowMode: 'array', parsers: adapterParsers });
    expect(first.rows).toEqual([{ n: 'int8:42', t: 'ts', i: 7 }]);
    expect(again.rows).toEqual([['int8:42', 'ts', 7]]);
    expect(pglite.parsers[types.INT8]).toBe(adapterParsers[types.INT8]);
  });

  it('reads with them inside a transaction, and rolls back', async () => {
    const client = parsersFoldedOnce(pglite);
    await client.query('CREATE TABLE kept (n int8)');
    const read = await client.transaction(async (tx) => {
      await tx.query('INSERT INTO kept VALUES (5)', [], { parsers: adapterParsers });
      const rows = (await tx.query('SELECT n FROM kept', [], { parsers: adapterParsers })).rows;
      await tx.rollback();
      return rows;
    });
    expect(read).toEqual([{ n: 'int8:5' }]);
    expect((await pglite.query('SELECT count(*)::int AS c FROM kept')).rows).toEqual([{ c: 0 }]);
  });

  it('applies another set of parsers to its own query only', async () => {
    const client = parsersFoldedOnce(pglite);
    await client.query(select, [], { parsers: adapterParsers });
    const other = { [types.INT4]: (value: string) => `int4:${value}` };
    const { rows } = await client.query(select, [], { parsers: other });
    expect(rows).toEqual([{ n: 'int8:42', t: 'ts', i: 'int4:7' }]);
    expect(pglite.parsers[types.INT4]).not.toBe(other[types.INT4]);
  });
});
