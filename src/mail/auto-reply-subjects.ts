/**
 * Subjects that out-of-office and auto-responders write, in the languages our projects work in.
 * Each pattern is anchored at the start (after `[External]`-style tags) so that a person's
 * "Re: out of office hours works" or "Absence of fire stopping at L3" is not mistaken for one.
 */
const NOT_A_LETTER = '(?![\\p{L}])';

const OUT_OF_OFFICE_SUBJECTS: readonly RegExp[] = [
  // English; Outlook writes "Automatic reply:", older Exchange "Out of Office AutoReply:".
  /^automatic[- ]reply\b/iu,
  /^auto(?:matic)?[- ]?(?:reply|response|responder|respond)\b/iu,
  /^auto:/iu,
  new RegExp(`^out[- ]of[- ](?:the[- ])?office${NOT_A_LETTER}(?!\\s+hours)`, 'iu'),
  /^(?:ooo|oof)\s*[:\-–]/iu,
  // German
  /^abwesenheit\p{L}*/iu,
  new RegExp(`^abwesend${NOT_A_LETTER}`, 'iu'),
  /^automatische (?:antwort|rückantwort|r[üu]ckmeldung)/iu,
  // French
  /^r[ée]ponse automatique/iu,
  /^absente? du bureau/iu,
  /^absence(?:\s+du\s+bureau)?\s*(?:[:\-–]|$)/iu,
  // Italian
  /^risposta automatica/iu,
  /^fuori (?:sede|ufficio)/iu,
  /^risposta non al computer/iu,
  // Spanish and Portuguese
  /^respuesta autom[áa]tica/iu,
  /^fuera de (?:la )?oficina/iu,
  /^resposta autom[áa]tica/iu,
  /^fora do escrit[óo]rio/iu,
  // Dutch
  /^automatisch antwoord/iu,
  /^afwezig\p{L}*/iu,
  // Nordic, Polish, Russian
  /^(?:autosvar|automatisk svar|fr[åa]nvaro|automaattinen vastaus)/iu,
  /^(?:automatyczna odpowied[źz]|poza biurem)/iu,
  /^(?:автоматический ответ|автоответ)/iu,
];

// "[External]", "(EXT)" and similar tags that gateways put in front of the subject.
const LEADING_TAGS = /^(?:\s*(?:\[[^\]]{0,40}\]|\([^)]{0,40}\)))+\s*/u;

/** The auto-responder phrase the subject starts with, or null. */
export function outOfOfficeSubject(subject: string): string | null {
  const text = subject.replace(LEADING_TAGS, '').trim();
  for (const pattern of OUT_OF_OFFICE_SUBJECTS) {
    const match = pattern.exec(text);
    if (match) return match[0].trim();
  }
  return null;
}
