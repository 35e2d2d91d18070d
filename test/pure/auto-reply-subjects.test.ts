import { describe, expect, it } from 'vitest';

import { outOfOfficeSubject } from '../../src/mail/auto-reply-subjects.js';
import { classifyAutomated } from '../../src/mail/auto-reply.js';
import type { MailAddress } from '../../src/mail/parsed-mail.js';

function mail(
  headers: Record<string, string | string[]>,
  subject = 'RE: RFI-007 slab edge detail',
  from: MailAddress | null = { address: 'jane@architect.example', name: 'Jane Roe' },
) {
  const map = new Map<string, string[]>();
  for (const [name, value] of Object.entries(headers)) {
    map.set(name.toLowerCase(), Array.isArray(value) ? value : [value]);
  }
  return { headers: map, subject, from };
}

const PERSON = 'jane@architect.example';

describe('outOfOfficeSubject', () => {
  const auto: [string, string][] = [
    ['Automatic reply: RFI-007 slab edge', 'Automatic reply'],
    ['Out of Office: RE: TR-0042', 'Out of Office'],
    ['Out of the office until Monday', 'Out of the office'],
    ['Out of Office AutoReply: Submittal 03 30 00-007', 'Out of Office'],
    ['Auto-Reply: Submittal', 'Auto-Reply'],
    ['Autoreply: Submittal', 'Autoreply'],
    ['Auto: Submittal returned', 'Auto:'],
    ['[External] Automatic reply: RFI-007', 'Automatic reply'],
    ['Abwesenheitsnotiz: RFI-007', 'Abwesenheitsnotiz'],
    ['Automatische Antwort: RFI-007', 'Automatische Antwort'],
    ['Réponse automatique : RFI-007', 'Réponse automatique'],
    ['Absence du bureau', 'Absence du bureau'],
    ['Absence', 'Absence'],
    ['Risposta automatica: RFI-007', 'Risposta automatica'],
    ['Respuesta automática: RFI-007', 'Respuesta automática'],
    ['Fuera de la oficina', 'Fuera de la oficina'],
    ['Afwezig: RFI-007', 'Afwezig'],
    ['Automatisch antwoord: RFI-007', 'Automatisch antwoord'],
    ['Autosvar: RFI-007', 'Autosvar'],
  ];
  it.each(auto)('%s', (subject, phrase) => {
    expect(outOfOfficeSubject(subject)).toBe(phrase);
    expect(classifyAutomated(mail({}, subject), PERSON).reasons).toEqual([
      `out-of-office subject: "${phrase}"`,
    ]);
  });

  const human = [
    'RE: Automatic reply settings for the site inbox',
    'Out of office hours works permit – level 3',
    'Absence of fire stopping at L3 riser',
    'Automated doors: submittal 08 71 00',
    'Re: Out of Office: RFI-007',
    'Autoclaved aerated concrete blocks',
  ];
  it.each(human)('not an auto-reply: %s', (subject) => {
    expect(outOfOfficeSubject(subject)).toBeNull();
  });
});
