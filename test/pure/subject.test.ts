import { describe, it, expect } from 'vitest';
import { isGenericSubject, normalizeSubject } from '../../src/mail/subject.js';

type Case = [subject: string, normalized: string, isReply: boolean, isForward: boolean];

const cases: Case[] = [
  // plain and whitespace
  ['Concrete pour schedule', 'concrete pour schedule', false, false],
  ['  Concrete \t pour\r\n schedule  ', 'concrete pour schedule', false, false],
  ['Concrete\u00a0pour', 'concrete pour', false, false],
  ['', '', false, false],
  // English reply/forward, counters and odd spacing
  ['Re: Concrete pour', 'concrete pour', true, false],
  ['RE: RE: re: Concrete pour', 'concrete pour', true, false],
  ['RE[2]: Concrete pour', 'concrete pour', true, false],
  ['Re(3): Concrete pour', 'concrete pour', true, false],
  ['Re^2: Concrete pour', 'concrete pour', true, false],
  ['Re : Concrete pour', 'concrete pour', true, false],
  ['Re:: Concrete pour', 'concrete pour', true, false],
  ['RE: : Concrete pour', 'concrete pour', true, false],
  ['Re:Re:Concrete pour', 'concrete pour', true, false],
  ['Fwd: Concrete pour', 'concrete pour', false, true],
  ['Fw: Concrete pour', 'concrete pour', false, true],
  ['FW: RE: Concrete pour', 'concrete pour', true, true],
  ['Re: Fwd: Concrete pour', 'concrete pour', true, true],
  // other languages
  ['AW: WG: Betonage', 'betonage', true, true],
  ['SV: Gjutning', 'gjutning', true, false],
  ['VS: Gjutning', 'gjutning', false, true],
  ['Antw: Storten beton', 'storten beton', true, false],
  ['Doorst: Storten beton', 'storten beton', false, true],
  ['R: Getto', 'getto', true, false],
  ['RIF: Getto', 'getto', true, false],
  ['I: Getto', 'getto', false, true],
  ['TR: Coulage', 'coulage', false, true],
  ['Réf: Coulage', 'coulage', true, false],
  ['RV: Vaciado', 'vaciado', false, true],
  ['ENC: Concretagem', 'concretagem', false, true],
  ['Odp: Betonowanie', 'betonowanie', true, false],
  ['Ynt: Beton dökümü', 'beton dökümü', true, false],
  ['回复: 混凝土浇筑', '混凝土浇筑', true, false],
  ['答复：混凝土浇筑', '混凝土浇筑', true, false],
  ['转发： 混凝土浇筑', '混凝土浇筑', false, true],
  ['Ｒｅ：Concrete pour', 'concrete pour', true, false],
  // gateway banners and list tags
  ['[EXTERNAL] Concrete pour', 'concrete pour', false, false],
  ['RE: [External] RE: Concrete pour', 'concrete pour', true, false],
  ['*EXTERNAL* Re: Concrete pour', 'concrete pour', true, false],
  ['EXT: Concrete pour', 'concrete pour', false, false],
  ['[project-list] Re: [EXTERNAL] Concrete pour', 'concrete pour', true, false],
  ['Re: [TWR-A SUB 03 30 00-007.1] Rebar shop drawings', 'rebar shop drawings', true, false],
  ['Re [project-list]: Concrete pour', 'concrete pour', true, false],
  ['[EXTERNAL]', '', false, false],
  // RFC 5256 forward forms
  ['Concrete pour (fwd)', 'concrete pour', false, true],
  ['Concrete pour (FWD) (fwd) ', 'concrete pour', false, true],
  ['[Fwd: Concrete pour]', 'concrete pour', false, true],
  ['Re: [Fwd: Re: Concrete pour]', 'concrete pour', true, true],
  // things that are not prefixes
  ['Rex: hello', 'rex: hello', false, false],
  ['Are: we done', 'are: we done', false, false],
  ['TR-0042 transmittal', 'tr-0042 transmittal', false, false],
  ['RFI: Footing depth', 'rfi: footing depth', false, false],
  ['Concrete Re: pour', 'concrete re: pour', false, false],
  ['RE Concrete pour', 're concrete pour', false, false],
  ['Re: ', '', true, false],
];

describe('normalizeSubject', () => {
  it.each(cases)('%j → %j (reply %s, forward %s)', (subject, normalized, isReply, isForward) => {
    expect(normalizeSubject(subject)).toEqual({ normalized, isReply, isForward });
  });
});

describe('isGenericSubject', () => {
  it.each([
    ['', true],
    ['hi', true],
    ['ok', true],
    ['hello', true],
    ['question', true],
    ['update', true],
    ['fyi', true],
    ['test', true],
    ['(no subject)', true],
    ['see attached', true],
    ['concrete pour', false],
    ['rfi-007 footing depth', false],
    ['abc', false],
  ] as const)('%j → %s', (subject, generic) => {
    expect(isGenericSubject(subject)).toBe(generic);
  });
});

describe('normalizeSubject on absurd input', () => {
  it('caps the key so it always fits an index entry', () => {
    const { normalized } = normalizeSubject(`Re: ${'Curtain wall '.repeat(1000)}`);
    expect(normalized).toHaveLength(500);
    expect(normalized.startsWith('curtain wall curtain')).toBe(true);
  });
});
