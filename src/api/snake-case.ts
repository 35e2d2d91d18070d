/**
 * The API speaks snake_case, as the `next_cursor` of its pages and most JSON APIs do, while the
 * domain's read models are camelCase: this turns one into the other, deeply. Dates stay Dates, so
 * `c.json` writes them as ISO 8601 UTC strings.
 */
export type Snake<T> = T extends Date
  ? T
  : T extends readonly (infer U)[]
    ? Snake<U>[]
    : T extends object
      ? { [K in keyof T as K extends string ? SnakeKey<K> : K]: Snake<T[K]> }
      : T;

type SnakeKey<S extends string> = S extends `${infer Head}${infer Tail}`
  ? Head extends Lowercase<Head>
    ? `${Head}${SnakeKey<Tail>}`
    : `_${Lowercase<Head>}${SnakeKey<Tail>}`
  : S;

export function snakeCase<T>(value: T): Snake<T> {
  return convert(value) as Snake<T>;
}

function convert(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(convert);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`),
      convert(inner),
    ]),
  );
}
