import type { PGliteOptions } from '@electric-sql/pglite';

const INT8 = 20;
const NUMERIC = 1700;
const BYTEA = 17;
const DATE = 1082;

/** Identity columns are bigint; every id and count we keep fits a JavaScript number exactly. */
export const parseInt8 = (value: string): number => Number(value);

/** Calendar dates stay 'YYYY-MM-DD' strings: a Date would shift them by the process's time zone. */
export const keepDate = (value: string): string => value;

/** How values cross between PGlite and Docket: the same types as the `pg` driver gives. */
export function pgliteOptions(dataDir: string | undefined): PGliteOptions {
  return {
    ...(dataDir ? { dataDir } : {}),
    parsers: { [INT8]: parseInt8, [NUMERIC]: parseInt8, [DATE]: keepDate },
    // PGlite's default bytea serializer is several times slower than hex encoding by Buffer.
    serializers: { [BYTEA]: (value: Uint8Array) => `\\x${Buffer.from(value).toString('hex')}` },
  };
}
