import type { Context } from 'hono';
import { ZodError } from 'zod';
import { isDocketError } from '../../errors.js';
import { CSRF_FIELD } from '../web-env.js';

/** A posted form: each field as text, a field sent more than once (checkboxes) as a list. */
export type FormFields = Record<string, string | string[]>;

/** Reads the posted form, leaving out the CSRF token (it is checked before any route runs). */
export async function readFormFields(c: Context): Promise<FormFields> {
  const body = await c.req.parseBody({ all: true });
  const fields: FormFields = {};
  for (const [name, value] of Object.entries(body)) {
    if (name === CSRF_FIELD) continue;
    fields[name] = Array.isArray(value) ? value.map(asText) : asText(value);
  }
  return fields;
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** One field's text as sent ('' when missing; the first when sent twice). */
export function fieldText(fields: FormFields | undefined, name: string): string {
  const value = fields?.[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** Every value of a repeated field, such as a group of checkboxes. */
export function fieldList(fields: FormFields | undefined, name: string): string[] {
  const value = fields?.[name];
  return value === undefined ? [] : [value].flat();
}

/** The lines of a textarea, trimmed, blank ones dropped. */
export function nonBlankLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

/**
 * The sentence to show beside a form that was refused because of what the person typed, or null
 * when the failure is not theirs (and should surface as a server error).
 */
export function inputProblem(error: unknown): string | null {
  if (error instanceof ZodError) return error.issues[0]?.message ?? 'The form could not be read.';
  if (isDocketError(error, 'invalid_input') || isDocketError(error, 'conflict')) {
    return error.message.charAt(0).toUpperCase() + error.message.slice(1);
  }
  return null;
}
