const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

/** Identity columns are bigint; every id and count we keep fits a JavaScript number exactly. */
const parseInt8 = (value: string): number => Number(value);

/** Calendar dates stay 'YYYY-MM-DD' strings: a Date would shift them by the process's time zone. */
const keepDate = (value: string): string => value;

/**
 * How Docket reads the column types whose driver defaults do not suit it, by type OID; the same
 * for `pg` and for PGlite, so both databases hand the code the same values.
 */
export const valueParsers: Readonly<Record<number, (value: string) => unknown>> = {
  [INT8]: parseInt8,
  [NUMERIC]: parseInt8,
  [DATE]: keepDate,
};
