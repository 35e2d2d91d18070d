/**
 * The one error type of the domain. Each code maps to an SMTP reply in `inbound/` and, later, to an
 * HTTP status in `web/`; the edges translate, the domain only names what went wrong.
 */
export type DocketErrorCode =
  'not_found' | 'invalid_input' | 'conflict' | 'sender_refused' | 'too_large' | 'unavailable';

export class DocketError extends Error {
  constructor(
    readonly code: DocketErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DocketError';
  }
}

export function isDocketError(error: unknown, code?: DocketErrorCode): error is DocketError {
  return error instanceof DocketError && (code === undefined || error.code === code);
}
