import { isDocketError, type DocketErrorCode } from '../errors.js';

/** An error smtp-server sends as is: `responseCode` and a text that starts with the RFC 3463 code. */
export type SmtpError = Error & { responseCode: number };

export function smtpError(responseCode: number, enhancedCode: string, text: string): SmtpError {
  return Object.assign(new Error(`${enhancedCode} ${text}`), { responseCode });
}

const replies: Record<DocketErrorCode, [number, string]> = {
  not_found: [550, '5.1.1'],
  sender_refused: [550, '5.7.1'],
  too_large: [552, '5.3.4'],
  invalid_input: [554, '5.6.0'],
  conflict: [451, '4.3.0'],
  unavailable: [451, '4.3.0'],
};

/**
 * Maps any failure to the reply a sending server acts on. Anything unexpected — a database or
 * disk fault — is a temporary `451 4.3.0`, so the sender keeps the message and retries.
 */
export function toSmtpError(error: unknown): SmtpError {
  if (error instanceof Error && typeof (error as Partial<SmtpError>).responseCode === 'number') {
    return error as SmtpError;
  }
  if (isDocketError(error)) {
    const [code, enhanced] = replies[error.code];
    return smtpError(code, enhanced, error.message);
  }
  return smtpError(
    451,
    '4.3.0',
    'Temporary local problem storing the message, please try again later',
  );
}
