import { readFileSync } from 'node:fs';

/** A fixture from fixtures/mail, byte for byte. */
export function fixture(name: string): Buffer {
  return readFileSync(new URL(`../../fixtures/mail/${name}`, import.meta.url));
}

/** The shared corpus of real mail, read in place (never copied into the repository). */
export const corpusDir = new URL('../../../shared/corpus/', import.meta.url);
