// Control characters other than tab and newline: PostgreSQL text refuses NUL, and the others
// would only confuse the index and the headlines (two of them mark highlights, see headline.ts).
// eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/**
 * Text gathered from a document, up to a number of characters. Readers append as they go and
 * stop when `full` says so; `cut` records that something was left out.
 */
export class CappedText {
  readonly #max: number;
  #parts: string[] = [];
  #length = 0;
  #cut = false;

  constructor(maxChars: number) {
    this.#max = maxChars;
  }

  get full(): boolean {
    return this.#length >= this.#max;
  }

  get cut(): boolean {
    return this.#cut;
  }

  /** Characters that can still be added. */
  get room(): number {
    return Math.max(0, this.#max - this.#length);
  }

  get length(): number {
    return this.#length;
  }

  append(text: string): void {
    if (text === '') return;
    const clean = text.replace(CONTROL, ' ');
    const room = this.#max - this.#length;
    if (room <= 0) {
      this.#cut = true;
      return;
    }
    const kept = clean.length > room ? clean.slice(0, room) : clean;
    if (kept.length < clean.length) this.#cut = true;
    this.#parts.push(kept);
    this.#length += kept.length;
  }

  /** The text with runs of blank space and blank lines tidied. */
  toString(): string {
    return this.#parts
      .join('')
      .replace(/ {2,}/g, ' ')
      .replace(/[ \t\u00a0]+\n/g, '\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
  }
}
