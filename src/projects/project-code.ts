import { DocketError } from '../errors.js';

// A code is the local part of the project's inbox, so it must survive every mail system unchanged:
// lowercase letters, digits and inner hyphens; never '+', which starts a subaddress.
// 20 characters at most, so a reply address with its signed token stays within the 64 characters
// RFC 5321 allows a local part.
const PROJECT_CODE = /^[a-z0-9](?:[a-z0-9-]{0,18}[a-z0-9])?$/;

/** Lowercases and validates a project code, or throws `invalid_input` saying what is allowed. */
export function normalizeProjectCode(input: string): string {
  const code = input.trim().toLowerCase();
  if (!PROJECT_CODE.test(code)) {
    throw new DocketError(
      'invalid_input',
      `project code "${input}" must be 1–20 letters, digits or inner hyphens (it becomes the inbox address)`,
    );
  }
  return code;
}

/** True when the runtime knows this IANA time zone (e.g. `Europe/Berlin`). */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
