import { describe, expect, it } from 'vitest';
import type { FiledAttachment } from '../../src/records/record-context.js';
import {
  attachDocuments,
  guessItemFormat,
  itemsFromAttachments,
  TRANSMITTAL_ATTACH_LIMIT_BYTES,
} from '../../src/transmittals/transmittal-items.js';
import {
  findPurpose,
  normaliseSentVia,
  parseTransmittalRequest,
  transmittalNumber,
  transmittalRecipients,
} from '../../src/transmittals/transmittal-request.js';

describe('transmittal purpose', () => {
  it.each([
    ['Level 3 drawings FOR CONSTRUCTION', 'For Construction'],
    ['[For Information] Level 3 drawings', 'For Information'],
    ['Slab penetrations - for review & comment', 'For Review and Comment'],
    ['Slab penetrations (for review/comment)', 'For Review and Comment'],
    ['Door schedule for your approval', 'For Approval'],
    ['Fire stopping data, as requested', 'As Requested'],
    ['As-built survey for record', 'For Record'],
    ['For Approval, then For Record', 'For Approval'],
    ['Level 3 drawings', null],
    ['Reformation of the construction schedule', null],
  ])('reads %j from a subject as %j', (subject, purpose) => {
    expect(findPurpose(subject)).toBe(purpose);
  });

  it('lets a Purpose: line drop the "for" and win over the subject', () => {
    const request = parseTransmittalRequest(
      'Drawings for construction',
      'Purpose:  approval\r\nPlease return by Friday.',
    );
    expect(request.purpose).toBe('For Approval');
    expect(request.problems).toEqual([]);
  });

  it('defaults to For Information and names an unknown purpose as a problem', () => {
    expect(parseTransmittalRequest('Drawings', '').purpose).toBe('For Information');
    const request = parseTransmittalRequest('Drawings', 'Purpose: for fun');
    expect(request.purpose).toBe('For Information');
    expect(request.problems).toEqual([expect.stringContaining('unknown purpose "for fun"')]);
  });

  it('takes a purpose tag out of the subject but keeps other tags and running text', () => {
    expect(parseTransmittalRequest('[For Information] Level 3 drawings', '').subject).toBe(
      'Level 3 drawings',
    );
    expect(parseTransmittalRequest('[TWR-A] Level 3 (Rev 2) [Approval]', '')).toMatchObject({
      subject: '[TWR-A] Level 3 (Rev 2)',
      purpose: 'For Approval',
    });
    expect(parseTransmittalRequest('Drawings FOR CONSTRUCTION', '').subject).toBe(
      'Drawings FOR CONSTRUCTION',
    );
  });
});

describe('transmittal fields', () => {
  it('reads Sent via and keeps the rest of the reply as remarks', () => {
    const request = parseTransmittalRequest(
      'Drawings',
      'Purpose: For Record\r\nSent via: courier\r\n\r\nOriginals follow by courier.\r\nRemarks: call me.\r\n\r\n\r\n\r\nThanks',
    );
    expect(request.sentVia).toBe('Under separate cover: courier');
    expect(request.remarks).toBe('Originals follow by courier.\ncall me.\n\nThanks');
  });

  it.each([
    ['', 'Email attachment'],
    ['E-mail', 'Email attachment'],
    ['attached', 'Email attachment'],
    ['hand delivery', 'Under separate cover: hand delivery'],
    ['under separate cover - post', 'Under separate cover: post'],
  ])('reads "Sent via: %s" as %j', (value, expected) => {
    expect(normaliseSentVia(value)).toBe(expected);
  });

  it('numbers transmittals TR-0001 and lets large projects grow past four digits', () => {
    expect(transmittalNumber(1)).toBe('TR-0001');
    expect(transmittalNumber(42)).toBe('TR-0042');
    expect(transmittalNumber(12345)).toBe('TR-12345');
  });
});

describe('transmittal recipients', () => {
  it('are the other To and Cc addresses: not ours, not the sender, each once', () => {
    const recipients = transmittalRecipients(
      {
        to: [
          { address: 'twr-a+transmittal@docket.localhost', name: '' },
          { address: 'Lee@Steel.example', name: 'Lee Park ' },
          { address: 'dana@contractor.example', name: 'Dana' },
        ],
        cc: [
          { address: 'lee@steel.example', name: 'Lee again' },
          { address: 'pat@owner.example', name: '' },
          { address: 'other@docket.localhost', name: '' },
          { address: '', name: 'Undisclosed recipients' },
        ],
      },
      'dana@contractor.example',
      'docket.localhost',
    );
    expect(recipients).toEqual([
      { email: 'lee@steel.example', name: 'Lee Park', role: 'to' },
      { email: 'pat@owner.example', name: null, role: 'cc' },
    ]);
  });
});

describe('transmittal items', () => {
  const attachment = (id: number, filename: string | null, size = 1000): FiledAttachment => ({
    id,
    filename,
    contentType: 'application/octet-stream',
    size,
    sha256: String(id).repeat(64).slice(0, 64),
    inline: false,
  });

  it.each([
    ['S-101 level 3.dwg', 'Drawings'],
    ['site plan.DXF', 'Drawings'],
    ['General arrangement drawing.pdf', 'Drawings'],
    ['Steel shop drawings rev 2.pdf', 'Shop Drawings'],
    ['05 12 00 spec.docx', 'Specifications'],
    ['Minutes.pdf', 'Documents'],
  ])('guesses %j as %j', (name, format) => {
    expect(guessItemFormat(name)).toBe(format);
  });

  it('skips inline parts and describes each file by its name without the extension', () => {
    const items = itemsFromAttachments([
      attachment(1, 'S-101.Rev0.pdf'),
      { ...attachment(2, 'logo.png'), inline: true },
      attachment(3, null),
    ]);
    expect(items.map((i) => [i.description, i.fileName, i.copies, i.attachmentId])).toEqual([
      ['S-101.Rev0', 'S-101.Rev0.pdf', 1, 1],
      ['attachment-2', 'attachment-2', 1, 3],
    ]);
  });

  it('attaches documents up to the limit and lists them above it', () => {
    const half = TRANSMITTAL_ATTACH_LIMIT_BYTES / 2;
    expect(attachDocuments([{ size: half }, { size: half }])).toBe(true);
    expect(attachDocuments([{ size: half }, { size: half + 1 }])).toBe(false);
  });
});
