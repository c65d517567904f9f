// What commands print: JSON for scripts (--json: the API's own field names, which are fixed),
// aligned tables for people, colours only on a terminal (and never with NO_COLOR), progress of
// long listings on stderr when it is a terminal.
import { styleText } from 'node:util';

type Style = Parameters<typeof styleText>[0];

/** Styled only when the stream is a terminal that takes colours. */
export const paint = (style: Style, text: string, stream: NodeJS.WriteStream = process.stdout) =>
  styleText(style, text, { stream, validateStream: true });

export function printJson(value: unknown) {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(text = '') {
  process.stdout.write(`${text}\n`);
}

/** Notes for people (what was created, what to do next): on stderr, so stdout stays the answer. */
export function note(text: string) {
  process.stderr.write(`${text}\n`);
}

export interface Column<T> {
  header: string;
  value: (row: T) => string | number | boolean | null | undefined;
  /** Colours a cell on a terminal (the padding is added after). */
  style?: (text: string, row: T) => Style | null;
}

/** `2026-12-07 21:04` (UTC), or empty. */
export const when = (iso: string | null | undefined) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : '');

export function printTable<T>(rows: readonly T[], columns: readonly Column<T>[], empty: string) {
  if (rows.length === 0) {
    printLine(empty);
    return;
  }
  const cells = rows.map((row) => columns.map((column) => String(column.value(row) ?? '')));
  const widths = columns.map((column, i) =>
    Math.max(column.header.length, ...cells.map((line) => line[i]?.length ?? 0)),
  );
  const pad = (text: string, i: number) => (i === columns.length - 1 ? text : text.padEnd(widths[i] as number));
  printLine(
    paint(
      'bold',
      columns
        .map((column, i) => pad(column.header.toUpperCase(), i))
        .join('  ')
        .trimEnd(),
    ),
  );
  rows.forEach((row, r) => {
    const line = columns.map((column, i) => {
      const text = cells[r]?.[i] ?? '';
      const padded = pad(text, i);
      const style = column.style?.(text, row);
      return style && text ? paint(style, text) + padded.slice(text.length) : padded;
    });
    printLine(line.join('  ').trimEnd());
  });
}

/** Key/value lines for one record. */
export function printRecord(fields: readonly [string, string | number | boolean | null | undefined][]) {
  const width = Math.max(...fields.map(([label]) => label.length));
  for (const [label, value] of fields) printLine(`${paint('bold', label.padEnd(width))}  ${value ?? ''}`);
}

/** A progress line that rewrites itself on a terminal's stderr, and says nothing elsewhere. */
export function progress() {
  const shown = process.stderr.isTTY === true;
  return {
    update(text: string) {
      if (shown) process.stderr.write(`\r\x1b[2K${text}`);
    },
    done() {
      if (shown) process.stderr.write('\r\x1b[2K');
    },
  };
}
