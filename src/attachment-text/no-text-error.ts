/**
 * A file that has no text Docket can read, for a reason that belongs to the file itself (it needs
 * a password, it is broken, it is not what it says): reading it again would end the same way.
 */
export class NoTextError extends Error {
  readonly kind: string;

  constructor(kind: string, reason: string) {
    super(reason);
    this.name = 'NoTextError';
    this.kind = kind;
  }
}
