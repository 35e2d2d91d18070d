import { describe, expect, it } from 'vitest';

import { splitReply } from '../../src/mail/reply-split.js';

const QUOTE = '> Please review submittal 03 30 00-007.\n> Thanks, Jane';

describe('splitReply — plain text from the common clients', () => {
  const cases: [string, string, string, string, string[]][] = [
    [
      'Gmail',
      `Approved as noted. Revise the slab edge detail.\n\nOn Tue, 14 May 2024 at 09:12, Jane Roe <jane@architect.example> wrote:\n\n${QUOTE}\n`,
      'Approved as noted. Revise the slab edge detail.',
      'On Tue, 14 May 2024 at 09:12, Jane Roe <jane@architect.example> wrote:',
      ['quote header: "On Tue, 14 May 2024 at 09:12, Jane Roe <jane@architect.example> wrote:"'],
    ],
    [
      'Gmail, attribution wrapped over two lines',
      `Rejected, see comments.\n\nOn Tue, 14 May 2024 at 09:12, Jane Roe from Architects Ltd <\njane@architect.example> wrote:\n${QUOTE}`,
      'Rejected, see comments.',
      'On Tue, 14 May 2024 at 09:12, Jane Roe from Architects Ltd <\njane@architect.example> wrote:',
      [
        'quote header: "On Tue, 14 May 2024 at 09:12, Jane Roe from Architects Ltd < jane@architect.example> wrote:"',
      ],
    ],
    [
      'Outlook desktop (unquoted history; the sign-off is what the person wrote)',
      'Reviewed, no exceptions taken.\n\nRegards,\nTom Builder\nSite Manager\n\nFrom: Jane Roe <jane@architect.example>\nSent: Tuesday, May 14, 2024 9:12 AM\nTo: Tom Builder <tom@builder.example>\nSubject: RFI-007 slab edge detail\n\nPlease confirm the edge detail.\n',
      'Reviewed, no exceptions taken.\n\nRegards,\nTom Builder\nSite Manager',
      'From: Jane Roe',
      ['header block: "From: Jane Roe <jane@architect.example>"'],
    ],
    [
      'Outlook web (underscore separator, name without address)',
      'Agreed.\n\n________________________________\nFrom: Jane Roe\nSent: 14 May 2024 09:12\nTo: Tom Builder\nSubject: RFI-007\n\nPlease confirm.',
      'Agreed.',
      '________________________________\nFrom: Jane Roe',
      ['header block: "From: Jane Roe"'],
    ],
    [
      'Outlook, -----Original Message-----',
      'Approved.\n-----Original Message-----\nFrom: Jane Roe [mailto:jane@architect.example]\nSent: Tuesday, May 14, 2024 9:12 AM\n\nPlease approve.',
      'Approved.',
      '-----Original Message-----',
      ['original message: "-----Original Message-----"'],
    ],
    [
      'Apple Mail',
      `Looks good to me.\n\n> On 14 May 2024, at 09:12, Jane Roe <jane@architect.example> wrote:\n>\n${QUOTE}`,
      'Looks good to me.',
      '> On 14 May 2024, at 09:12, Jane Roe <jane@architect.example> wrote:',
      [
        'quoted text at the end: "> On 14 May 2024, at 09:12, Jane Roe <jane@architect.example> wrote:"',
      ],
    ],
    [
      'Apple Mail, unquoted attribution with a time',
      `Looks good to me.\n\nOn May 14, 2024, at 9:12 AM, Jane Roe <jane@architect.example> wrote:\n\n${QUOTE}`,
      'Looks good to me.',
      'On May 14, 2024, at 9:12 AM,',
      ['quote header: "On May 14, 2024, at 9:12 AM, Jane Roe <jane@architect.example> wrote:"'],
    ],
    [
      'iPhone',
      `Approved\n\nSent from my iPhone\n\nOn 14 May 2024, at 09:12, Jane Roe <jane@architect.example> wrote:\n\n${QUOTE}`,
      'Approved',
      'Sent from my iPhone\n\nOn 14 May 2024',
      [
        'quote header: "On 14 May 2024, at 09:12, Jane Roe <jane@architect.example> wrote:"',
        'device signature: "Sent from my iPhone"',
      ],
    ],
    [
      'a "-- " signature',
      'Please proceed with the pour on Friday.\n\n-- \nTom Builder | Site Manager\n+44 20 7946 0000\n',
      'Please proceed with the pour on Friday.',
      '-- \nTom Builder | Site Manager',
      ['signature: "--"'],
    ],
  ];
  it.each(cases)('%s', (_, text, reply, elidedStart, reasons) => {
    const split = splitReply(text);
    expect(split.reply).toBe(reply);
    expect(split.elided.startsWith(elidedStart)).toBe(true);
    expect(split.reasons).toEqual(reasons);
  });
});

describe('splitReply — Outlook header blocks in other languages', () => {
  const blocks: [string, string][] = [
    [
      'German',
      'Von: Jane Roe\nGesendet: Dienstag, 14. Mai 2024 09:12\nAn: Tom Builder\nBetreff: RFI-007',
    ],
    ['French', 'De : Jane Roe\nEnvoyé : mardi 14 mai 2024 09:12\nÀ : Tom Builder\nObjet : RFI-007'],
    [
      'Italian',
      'Da: Jane Roe\nInviato: martedì 14 maggio 2024 09:12\nA: Tom Builder\nOggetto: RFI-007',
    ],
    [
      'Dutch',
      'Van: Jane Roe\nVerzonden: dinsdag 14 mei 2024 09:12\nAan: Tom Builder\nOnderwerp: RFI-007',
    ],
    [
      'Spanish',
      'De: Jane Roe\nEnviado: martes, 14 de mayo de 2024 9:12\nPara: Tom Builder\nAsunto: RFI-007',
    ],
  ];
  it.each(blocks)('%s', (_, block) => {
    const split = splitReply(`Freigegeben.\n\n${block}\n\nBitte prüfen.`);
    expect(split.reply).toBe('Freigegeben.');
    expect(split.elided).toBe(`${block}\n\nBitte prüfen.`);
    expect(split.reasons).toEqual([`header block: "${block.split('\n')[0] ?? ''}"`]);
  });
});

describe('splitReply — what stays in the reply', () => {
  it('content that says "wrote" is not a quote header', () => {
    const text =
      'The structural engineer wrote: "slab edge 200 mm". We agree.\n\nIn 2023 the architect wrote:\n- edge beam 300 deep\n\nOn the other hand, the wrote-off items stay.';
    expect(splitReply(text)).toEqual({ reply: text, elided: '', reasons: [] });
  });

  it('an inline reply keeps the interleaved quotes and cuts the quote header', () => {
    const header = 'On Tue, 14 May 2024 at 09:12, Jane Roe <jane@architect.example> wrote:';
    const answers = `> Is option A acceptable?\n\nYes, option A.\n\n> And the edge detail?\n\nRevise to 200 mm.`;
    expect(splitReply(`${header}\n${answers}`)).toEqual({
      reply: answers,
      elided: header,
      reasons: [`inline reply: answers between quoted lines kept; quote header: "${header}"`],
    });
  });

  it('a plain bottom-post: the quote above the answer is cut', () => {
    const split = splitReply(
      `On 14/05/2024 09:12, Jane Roe wrote:\n${QUOTE}\nApproved.\n\n-- \nTom`,
    );
    expect(split).toEqual({
      reply: 'Approved.',
      elided: `On 14/05/2024 09:12, Jane Roe wrote:\n${QUOTE}\n\n-- \nTom`,
      reasons: [
        'bottom-posted reply: the history above the answer cut; quote header: "On 14/05/2024 09:12, Jane Roe wrote:"',
        'signature: "--"',
      ],
    });
  });

  it('an Outlook Express bottom-post: header block and quote above, answer below', () => {
    const history =
      '----- Original Message -----\nFrom: "Jane Roe" <jane@architect.example>\nSent: Tuesday, May 14, 2024 9:12 AM\nSubject: RFI-007\n\n> Is 200 mm acceptable?';
    expect(splitReply(`${history}\n\nYes, 200 mm is fine.\n>\n`)).toEqual({
      reply: 'Yes, 200 mm is fine.',
      elided: `${history}\n\n>`,
      reasons: [
        'bottom-posted reply: the history above the answer cut; original message: "----- Original Message -----"',
      ],
    });
  });

  it('keeps indentation and Markdown-like rules', () => {
    const body = 'Pour sequence:\n    Mon – formwork\n    Tue – pour\n----\nBlinding first.';
    const split = splitReply(
      `${body}\n\nOn Tue, 14 May 2024 at 09:12, Jane <jane@a.example> wrote:\n${QUOTE}`,
    );
    expect(split.reply).toBe(body);
  });

  it('a forward with no comment has an empty reply and cuts everything', () => {
    const text =
      '---------- Forwarded message ---------\nFrom: Jane Roe <jane@architect.example>\nDate: Tue, 14 May 2024\nSubject: RFI-007\n\nPlease review.';
    expect(splitReply(text)).toEqual({
      reply: '',
      elided: text,
      reasons: [
        'nothing written above or below the history; forwarded message: "---------- Forwarded message ---------"',
      ],
    });
  });

  it("a forwarded approval is not the forwarder's decision: its first line is not in the reply", () => {
    const text =
      'FYI\n\n---------- Forwarded message ---------\nFrom: Jane Roe <jane@architect.example>\nDate: Tue, 14 May 2024\nSubject: SUB-014\n\nAPPROVED AS NOTED';
    expect(splitReply(text).reply).toBe('FYI');
  });

  it('a 60 KB line that starts like a quote header is content; the signature below it is cut', () => {
    const text = `On ${'site '.repeat(12000)}\n\n-- \nTom`;
    const split = splitReply(text);
    expect(split.reply).toBe(`On ${'site '.repeat(12000)}`.trim());
    expect(split.elided).toBe('-- \nTom');
  });

  it('empty input', () => {
    expect(splitReply(null)).toEqual({ reply: '', elided: '', reasons: ['empty body'] });
    expect(splitReply('  \n ', null)).toEqual({ reply: '', elided: '', reasons: ['empty body'] });
  });
});
