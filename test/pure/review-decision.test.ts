import { describe, expect, it } from 'vitest';

import {
  acceptedResponsesText,
  parseDecision,
  validateResponseAliases,
  type ResponseCode,
} from '../../src/submittals/review-decision.js';

const AAN = 'APPROVED AS NOTED';
const RR = 'REVISE AND RESUBMIT';

describe('parseDecision reads a decision', () => {
  const cases: [reply: string, decision: ResponseCode, matched: string, comment: string][] = [
    ['APPROVED', 'APPROVED', 'APPROVED', ''],
    ['Approved.', 'APPROVED', 'Approved', ''],
    ['approved', 'APPROVED', 'approved', ''],
    ['Approved!', 'APPROVED', 'Approved', ''],
    ['Approved as noted.', AAN, 'Approved as noted', ''],
    ['**APPROVED AS NOTED**', AAN, 'APPROVED AS NOTED', ''],
    ['approved - as noted', AAN, 'approved - as noted', ''],
    ['Approved, as noted', AAN, 'Approved, as noted', ''],
    ['Approved – as noted', AAN, 'Approved – as noted', ''],
    ['R & R', RR, 'R & R', ''],
    ['R&R', RR, 'R&R', ''],
    ['r&r - resubmit with calcs', RR, 'r&r', 'resubmit with calcs'],
    ['R and R.', RR, 'R and R', ''],
    ['Revise & Resubmit', RR, 'Revise & Resubmit', ''],
    ['REVISE AND RESUBMIT', RR, 'REVISE AND RESUBMIT', ''],
    [
      'Revise and resubmit per attached comments',
      RR,
      'Revise and resubmit',
      'per attached comments',
    ],
    ['Approved as noted: see markups', AAN, 'Approved as noted', 'see markups'],
    ['APPROVED AS NOTED – see comments below', AAN, 'APPROVED AS NOTED', 'see comments below'],
    ['APPROVED AS NOTED — see comments below', AAN, 'APPROVED AS NOTED', 'see comments below'],
    ['Approved as noted see markups', AAN, 'Approved as noted', 'see markups'],
    ['Approved as noted, please see attached', AAN, 'Approved as noted', 'please see attached'],
    ['Approved as noted; pls see sheet S-201', AAN, 'Approved as noted', 'pls see sheet S-201'],
    ['Approved as noted below', AAN, 'Approved as noted', 'below'],
    ['Approved/see notes', 'APPROVED', 'Approved', 'see notes'],
    ['APPROVED (see markups)', 'APPROVED', 'APPROVED', '(see markups)'],
    [
      'Approved. As noted on our call, proceed.',
      'APPROVED',
      'Approved',
      'As noted on our call, proceed.',
    ],
    ['Rejected.', 'REJECTED', 'Rejected', ''],
    [
      'REJECTED - wrong product, see spec 2.3',
      'REJECTED',
      'REJECTED',
      'wrong product, see spec 2.3',
    ],
    ['For record only', 'FOR RECORD ONLY', 'For record only', ''],
    ['For Record Only.', 'FOR RECORD ONLY', 'For Record Only', ''],
    ['No exceptions taken.', 'APPROVED', 'No exceptions taken', ''],
    ['NO EXCEPTIONS TAKEN', 'APPROVED', 'NO EXCEPTIONS TAKEN', ''],
    ['Make corrections noted', AAN, 'Make corrections noted', ''],
    ['AAN', AAN, 'AAN', ''],
    ['aan.', AAN, 'aan', ''],
    ['ＡＰＰＲＯＶＥＤ', 'APPROVED', 'APPROVED', ''],
    ['- **Approved**', 'APPROVED', 'Approved', ''],
    ['"Approved"', 'APPROVED', 'Approved', ''],
    ['\n\n  Approved  \n', 'APPROVED', 'Approved', ''],
    ['---\nApproved', 'APPROVED', 'Approved', ''],
    ['Approved\r\nThanks', 'APPROVED', 'Approved', 'Thanks'],
    [
      'Approved as noted: see markups.\nIs the lead time 6 weeks?',
      AAN,
      'Approved as noted',
      'see markups.\nIs the lead time 6 weeks?',
    ],
    // greetings alone are skipped; a greeting and a decision may share a line
    [
      'Hi Dana,\n\nApproved as noted.\nRevise the slab edge detail.',
      AAN,
      'Approved as noted',
      'Revise the slab edge detail.',
    ],
    ['Hello,\nREJECTED\n\nWrong anchor bolts.', 'REJECTED', 'REJECTED', 'Wrong anchor bolts.'],
    ['Dear all,\nApproved', 'APPROVED', 'Approved', ''],
    ['Dear Mr. Smith,\nApproved', 'APPROVED', 'Approved', ''],
    ['Dana,\nApproved', 'APPROVED', 'Approved', ''],
    ['Hi\nApproved', 'APPROVED', 'Approved', ''],
    ['Hello Dana\nRejected', 'REJECTED', 'Rejected', ''],
    ['Good morning Dana,\n\nR&R, see markups.', RR, 'R&R', 'see markups.'],
    ['Morning all!\nAAN', AAN, 'AAN', ''],
    ['Hi Dana, approved as noted. Thanks', AAN, 'approved as noted', 'Thanks'],
  ];
  it.each(cases)('%j', (reply, decision, matched, comment) => {
    const result = parseDecision(reply);
    expect(result).toMatchObject({ decision, matched, comment });
  });
});

describe('parseDecision finds no decision', () => {
  const cases: [reply: string, reason: RegExp][] = [
    ['', /empty/],
    ['  \n\n ', /empty/],
    ['Hi Dana,', /only a greeting/],
    ['Hi Dana,\n\nThanks', /"Thanks" does not start with a response/],
    ['Not approved', /"Not approved" does not start with a response/],
    ['NOT APPROVED.', /does not start/],
    ['Not Approved,\nApproved as noted', /"Not Approved," does not start/],
    ['No, rejected', /does not start/],
    ['Not Yet,\nApproved', /"Not Yet," does not start/],
    ['Hi Dana, not approved', /"Hi Dana, not approved" does not start/],
    ['I cannot approve this', /does not start/],
    ['Thanks, approved.', /does not start/],
    ['Please see attached. Approved as noted.', /does not start/],
    ['See markups\nApproved as noted', /"See markups" does not start/],
    ['Decision: Approved', /does not start/],
    ['Approval pending', /does not start/],
    ['Approve', /does not start/],
    ['Approvedasnoted', /does not start/],
    ['Approved2', /does not start/],
    ['AA N', /does not start/],
    ['R & D approved', /does not start/],
    ['Revise', /does not start/],
    ['For record', /does not start/],
    ['No exceptions', /does not start/],
    ['> Approved', /does not start/],
    ['Hello approved', /does not start/],
    ['Morning delivery approved\nRejected', /does not start/],
    ['Dear Mr. Smith,\n\nI cannot approve this', /"I cannot approve this" does not start/],
    [
      'Approved by the owner last week?',
      /"Approved" is followed by "by the owner last week\?", so .* sentence/,
    ],
    ['Approved as per the notes', /followed by "as per the notes"/],
    ['Approved except sheet 4', /sentence/],
    ['Approved with comments', /sentence/],
    ['Rejected in part', /sentence/],
    ['Approved 2024-05-01', /sentence/],
    ['Approved as noted by', /"Approved as noted" is followed by "by"/],
    ['Rejected?', /"Rejected" is followed by a question mark/],
    ['Approved?', /question/],
    ['REJECTED??', /question/],
    ['Approved, right?', /question/],
    ['Approved as noted?', /"Approved as noted" is followed by a question mark/],
    ['Approved? As noted', /"Approved" is followed by a question mark/],
    ['Approved - is this the final set?', /question/],
  ];
  it.each(cases)('%j', (reply, reason) => {
    const result = parseDecision(reply);
    expect(result).toMatchObject({ decision: null, matched: null });
    expect(result.reason).toMatch(reason);
  });

  it('keeps the whole reply as the comment', () => {
    expect(parseDecision('Hi Dana,\nNot approved.\n See markups.  ').comment).toBe(
      'Hi Dana,\nNot approved.\n See markups.',
    );
  });
});

describe('reasons read as sentences', () => {
  const cases: [reply: string, reason: string][] = [
    [
      'Approved as noted.',
      'The first line starts with "Approved as noted", read as APPROVED AS NOTED.',
    ],
    ['AAN', 'The first line starts with "AAN", read as AAN, an alias of APPROVED AS NOTED.'],
    ['R & R', 'The first line starts with "R & R", read as R&R, an alias of REVISE AND RESUBMIT.'],
    [
      'Rejected?',
      '"Rejected" is followed by a question mark, so it reads as a question, not a decision.',
    ],
    ['Hello,', 'The reply holds only a greeting, so there is no decision to read.'],
  ];
  it.each(cases)('%j', (reply, reason) => {
    expect(parseDecision(reply).reason).toBe(reason);
  });
});

describe('project aliases', () => {
  const cases: [
    aliases: Record<string, ResponseCode>,
    reply: string,
    decision: ResponseCode | null,
  ][] = [
    [{}, 'Reviewed, no exceptions taken.', null],
    [{ 'Reviewed no exceptions taken': 'APPROVED' }, 'Reviewed, no exceptions taken.', 'APPROVED'],
    [{ 'A/N': AAN }, 'A/N - see redlines', AAN],
    [{ 'Furnish as corrected': AAN }, 'FURNISH AS CORRECTED: sheet 3', AAN],
    [{ 'Furnish as corrected': AAN }, 'R&R', RR],
    [{ AAN: RR }, 'aan', RR],
    [{ 'Rejected as submitted': RR }, 'Rejected as submitted.', RR],
    [{ 'Rejected as submitted': RR }, 'Rejected.', 'REJECTED'],
    [{ approved: 'APPROVED' }, 'Approved', 'APPROVED'],
  ];
  it.each(cases)('%j reads %j as %s', (aliases, reply, decision) => {
    expect(parseDecision(reply, aliases).decision).toBe(decision);
  });

  const invalid: [aliases: Record<string, string>, message: RegExp][] = [
    [{ '***': 'APPROVED' }, /"\*\*\*" has no letters or digits/],
    [{ Approved: 'REJECTED' }, /"Approved" would make the response APPROVED mean REJECTED/],
    [{ OK: 'FINE' }, /"OK" maps to unknown response code "FINE"/],
  ];
  it.each(invalid)('refuses %j', (aliases, message) => {
    const typed = aliases as Record<string, ResponseCode>;
    expect(() => validateResponseAliases(typed)).toThrow(message);
    expect(() => parseDecision('Approved', typed)).toThrow(message);
  });
});

describe('acceptedResponsesText', () => {
  it('lists every code with the default aliases', () => {
    expect(acceptedResponsesText()).toBe(
      [
        'Start the first line of your reply with one of these responses:',
        '  APPROVED (or NO EXCEPTIONS TAKEN)',
        '  APPROVED AS NOTED (or MAKE CORRECTIONS NOTED, AAN)',
        '  REVISE AND RESUBMIT (or R&R)',
        '  REJECTED',
        '  FOR RECORD ONLY',
        'You may add comments after it on the same line (e.g. "APPROVED AS NOTED: see markups") or below.',
      ].join('\n'),
    );
  });

  it('adds project aliases and moves remapped ones', () => {
    const text = acceptedResponsesText({ 'Furnish as corrected': AAN, AAN: RR });
    expect(text).toContain(
      '  APPROVED AS NOTED (or MAKE CORRECTIONS NOTED, Furnish as corrected)\n',
    );
    expect(text).toContain('  REVISE AND RESUBMIT (or AAN, R&R)\n');
  });
});
