import { DocketError } from '../errors.js';
import { RESPONSE_CODES, type ResponseCode } from './review-decision.js';

/** The register's filter form as typed, so a page can show it back and carry it in links. */
export interface RegisterForm {
  status: string;
  decision: string;
  spec: string;
  bic: string;
  overdue: string;
  q: string;
}

/** Validated filters; every one is optional and they combine with AND. */
export interface RegisterFilters {
  /** `open` takes drafts too: everything not closed. */
  status?: 'open' | 'closed';
  /** A response, or `none` for submittals with no decision yet. */
  decision?: ResponseCode | 'none';
  /** Spec section prefix without spaces: `03`, `0330`, `033000`. */
  specPrefix?: string;
  /** Part of an address holding the ball, lowercased. */
  ballInCourt?: string;
  overdueOnly?: boolean;
  /**
   * Part of the title or of the number as shown (`03 30 00-007.1`), or words in the text of its
   * documents.
   */
  text?: string;
}

export const REGISTER_FIELDS = ['status', 'decision', 'spec', 'bic', 'overdue', 'q'] as const;

export function emptyRegisterForm(): RegisterForm {
  return { status: '', decision: '', spec: '', bic: '', overdue: '', q: '' };
}

/** The form from a query string, trimmed; unknown parameters are ignored. */
export function readRegisterForm(query: Record<string, string | undefined>): RegisterForm {
  const form = emptyRegisterForm();
  for (const name of REGISTER_FIELDS) form[name] = (query[name] ?? '').trim();
  return form;
}

/** `?status=open&…` for the filled-in fields, or '' when none is. */
export function registerQueryString(form: RegisterForm): string {
  const params = new URLSearchParams();
  for (const name of REGISTER_FIELDS) if (form[name]) params.set(name, form[name]);
  const query = params.toString();
  return query ? `?${query}` : '';
}

/**
 * The filters a form asks for. Throws `DocketError('invalid_input')` with a sentence a person can
 * act on for a value the form could not have sent (a hand-edited address, an old bookmark).
 */
export function registerFilters(form: RegisterForm): RegisterFilters {
  const filters: RegisterFilters = {};
  if (form.status) {
    if (form.status !== 'open' && form.status !== 'closed')
      throw new DocketError('invalid_input', 'status must be "open", "closed" or empty');
    filters.status = form.status;
  }
  if (form.decision) {
    const decision = form.decision.toUpperCase();
    if (decision === 'NONE') filters.decision = 'none';
    else if ((RESPONSE_CODES as readonly string[]).includes(decision))
      filters.decision = decision as ResponseCode;
    else
      throw new DocketError(
        'invalid_input',
        `decision must be one of ${RESPONSE_CODES.join(', ')} or "none"`,
      );
  }
  if (form.spec) {
    const compact = form.spec.replace(/[\s.-]/g, '');
    if (!/^\d{2,8}$/.test(compact))
      throw new DocketError(
        'invalid_input',
        `spec section "${form.spec}" must be digits such as 03, 03 30 or 03 30 00`,
      );
    filters.specPrefix = compact;
  }
  if (form.bic) {
    if (form.bic.length > 320)
      throw new DocketError('invalid_input', 'ball in court must be at most 320 characters');
    filters.ballInCourt = form.bic.toLowerCase();
  }
  if (form.overdue) {
    if (form.overdue !== '1')
      throw new DocketError('invalid_input', 'overdue must be "1" (overdue only) or empty');
    filters.overdueOnly = true;
  }
  if (form.q) {
    if (form.q.length > 200)
      throw new DocketError('invalid_input', 'the search text must be at most 200 characters');
    if (form.q.includes('\u0000'))
      throw new DocketError('invalid_input', 'the search text cannot hold a NUL character');
    filters.text = form.q;
  }
  return filters;
}
