import { describe, expect, it } from 'vitest';

import { splitReply } from '../../src/mail/reply-split.js';
import { parseDecision, type ResponseCode } from '../../src/submittals/review-decision.js';

/**
 * A reviewer's decision is read from the first line of the trimmed reply, whatever the client did
 * around it: quoted history, a signature, invisible marks, a localised header block. And nothing
 * someone else wrote (a quoted or forwarded approval) becomes the reviewer's decision.
 */
const REQUEST = 'On Tue, 14 May 2024 at 09:12, Docket <docket@docket.example> wrote:';

describe('a decision read from the trimmed reply', () => {
  const cases: [name: string, body: string, decision: ResponseCode | null][] = [
    [
      'top-posted over the request',
      `APPROVED AS NOTED\nAnchor spacing to suit.\n\n${REQUEST}\n> Please review SUB-014.`,
      'APPROVED AS NOTED',
    ],
    [
      'bottom-posted under the request',
      `${REQUEST}\n> Please review SUB-014.\n\nApproved as noted: see markups.\n\n-- \nJane Roe`,
      'APPROVED AS NOTED',
    ],
    [
      'a zero-width space and a tracking glyph around it',
      '\u200bREVISE AND RESUBMIT\u200b\n\u1427\n',
      'REVISE AND RESUBMIT',
    ],
    [
      'above a German Outlook block',
      'Approved\n\nVon: Docket <docket@docket.example>\nGesendet: Dienstag, 14. Mai 2024 09:12\nAn: Jane Roe\nBetreff: SUB-014\n\nREJECTED',
      'APPROVED',
    ],
    [
      'a device line under it',
      'Rejected - wrong anchor type.\n\nSkickat från min iPhone',
      'REJECTED',
    ],
    ['a quoted approval with nothing written is no decision', `${REQUEST}\n> APPROVED`, null],
    [
      'a forwarded approval is not the forwarder’s decision',
      'FYI\n\n---------- Forwarded message ---------\nFrom: Jane Roe <jane@roe-architects.example>\nDate: Tue, 14 May 2024\nSubject: SUB-014\n\nAPPROVED',
      null,
    ],
    ['a selective quote of an approval above a question', '> APPROVED\n\nApproved by whom?', null],
  ];
  it.each(cases)('%s', (_, body, decision) => {
    expect(parseDecision(splitReply(body).reply).decision).toBe(decision);
  });
});
