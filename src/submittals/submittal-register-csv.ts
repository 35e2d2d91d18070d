import { stringify } from 'csv-stringify/sync';
import { REGISTER_COLUMNS } from './register-cells.js';
import type { RegisterRow } from './submittal-register.js';

/** Excel reads a UTF-8 file as the local code page unless it starts with a byte order mark. */
const BOM = '\uFEFF';

/**
 * A cell a spreadsheet will not run: titles and names come from email subjects and headers, and a
 * cell starting with `=`, `+`, `-` or `@` would be read as a formula. A leading apostrophe keeps
 * it text (OWASP's advice for CSV injection).
 */
function inertCell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * The register as CSV: a header row, then one row per submittal, dates as ISO days in the
 * project's zone, `threadUrl` giving each row the link to its correspondence. CRLF line ends, as
 * RFC 4180 and spreadsheet programs expect.
 */
export function submittalRegisterCsv(
  rows: readonly RegisterRow[],
  timezone: string,
  threadUrl: (threadId: number) => string,
): string {
  const header = [...REGISTER_COLUMNS.map((c) => c.header), 'Thread'];
  const records = rows.map((row) => [
    ...REGISTER_COLUMNS.map((c) => inertCell(c.value(row, timezone))),
    row.threadId === null ? '' : threadUrl(row.threadId),
  ]);
  return BOM + stringify([header, ...records], { record_delimiter: 'windows' });
}
