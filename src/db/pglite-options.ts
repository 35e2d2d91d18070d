import type { PGliteOptions } from '@electric-sql/pglite';
import { valueParsers } from './value-parsers.js';

const BYTEA = 17;

/** How values cross between PGlite and Docket: the same types as the `pg` driver gives. */
export function pgliteOptions(dataDir: string | undefined): PGliteOptions {
  return {
    ...(dataDir ? { dataDir } : {}),
    parsers: { ...valueParsers },
    // PGlite's default bytea serializer is several times slower than hex encoding by Buffer.
    serializers: { [BYTEA]: (value: Uint8Array) => `\\x${Buffer.from(value).toString('hex')}` },
  };
}
