import { describe, it, expect } from 'vitest';
import { subjectTags } from '../../src/mail/subject-tags.js';

describe('subjectTags', () => {
  it.each([
    // submittals: revision dropped, sequence padded to three digits
    ['Submittal 03 30 00-007 Rebar', ['SUB 03 30 00-007']],
    ['Re: [TWR-A SUB 03 30 00-007.1] Rebar shop drawings', ['SUB 03 30 00-007']],
    ['03 30 00-007.2 resubmitted', ['SUB 03 30 00-007']],
    ['03 30 00-7', ['SUB 03 30 00-007']],
    ['26 05 19.13-012 cable schedule', ['SUB 26 05 19.13-012']],
    // known prefixes, canonical three-digit numbers
    ['RFI-007 Footing depth', ['RFI-007']],
    ['Re: RFI-7 footing depth', ['RFI-007']],
    ['TR-0042 drawings issued', ['TR-042']],
    ['COR-12, LTR-3 and GEN-0001', ['COR-012', 'LTR-003', 'GEN-001']],
    ['NOT-1234 notice', ['NOT-1234']],
    ['RFI-007 and RFI-7 again', ['RFI-007']],
    ['TR-0042 re RFI-007', ['TR-042', 'RFI-007']],
    ['RFI-007: footing (see RFI-008).', ['RFI-007', 'RFI-008']],
    // Docket tags: other types only inside a bracket, after the project code
    ['[TWR-A RFI-007] Footing depth', ['RFI-007']],
    ['[TWR-A CHG-0031] Change order', ['CHG-031']],
    ['[TWR-A MTG 012] Minutes', ['MTG-012']],
    ['[ABC-123 DWG-456] issued', ['DWG-456']],
    ['Re: [TWR-A SUB 03 30 00-007.1] also RFI-9', ['SUB 03 30 00-007', 'RFI-009']],
    // cautious: none of these are references
    ['CHG-0031 change order', []],
    ['[ABC-123] mailing list tag', []],
    ['[list 0042] digest', []],
    ['rfi-007 footing depth', []],
    ['RFI 7 footing depth', []],
    ['RFI-', []],
    ['XRFI-007', []],
    ['RFI-007a', []],
    ['Level 03 30 00 pour', []],
    ['Call 123 30 00-007', []],
    ['', []],
  ])('%j → %j', (subject, expected) => {
    expect(subjectTags(subject)).toEqual(expected);
  });
});
