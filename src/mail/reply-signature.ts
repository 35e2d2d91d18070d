/**
 * Signature lines: the delimiters that open a signature, the "Sent from my iPhone" lines phones
 * and mail apps append (in the languages of our users), and the shape of a contact card under a
 * drawn rule. A sign-off ("Regards,", "Viele Grüße") and the name under it are what the person
 * wrote, so they are not signature lines.
 */

// "-- " (RFC 3676, "- -- " once a PGP signature has escaped it), "--", "__", the em or en dash
// "--" becomes on many keyboards, and the armour a PGP signature starts with.
const DELIMITER = /^\s*(?:(?:- )?--|__|[—–]|-----BEGIN PGP SIGNATURE-----)\s*$/u;
// A drawn rule: three or more dashes, underscores, equals signs, stars, tildes, hashes, dashes.
const RULE = /^\s*[-_=*~#+—–]{3,}\s*$/u;

/** A line that opens a signature wherever it stands: `-- `, `--`, `__` or a lone dash. */
export function isSignatureDelimiter(line: string): boolean {
  return DELIMITER.test(line);
}

/** A rule drawn across the text; a separator above history or a signature, or just content. */
export function isRule(line: string): boolean {
  return RULE.test(line);
}

// Device and app lines, by language. The product may be anything; what follows the opening
// words is limited in length below so that a sentence starting the same way stays content.
const IDEVICE = '(?:i[Pp]hone|i[Pp]ad|[Aa]ndroid)';
const device = (source: string) => new RegExp(`^${source}`, 'u');
const DEVICE_LINES: readonly RegExp[] = [
  // English: "Sent from my iPhone", "Sent from Outlook for Android", "Sent with Spark",
  // "Sent via BlackBerry", "(Sent from mobile device)", "<<sent by galaxy>>".
  device(
    `[(<\\s]*[Ss]ent (?:from|via|with|by|using|on) (?:my |a |an |the (?:\\p{Lu}|mobile|phone)|\\p{Lu}|mobile|phone|${IDEVICE})`,
  ),
  device('(?:Get|Download) Outlook for '),
  // German
  device('Von meine[mr] .{1,40} gesendet'),
  device('Gesendet (?:von|vom|mit|über|aus) '),
  device('Diese Nachricht wurde von .{1,60} gesendet'),
  device('Outlook für .{1,20} beziehen'),
  // French
  device(`Envoyé (?:de|depuis|à partir de|avec|par) (?:mon |ma |l'|\\p{Lu}|${IDEVICE})`),
  device('Télécharger Outlook pour '),
  // Spanish and Portuguese
  device(
    `Enviado (?:desde|con|do|da|a partir do|pelo|pela) (?:mi |meu |minha |o |\\p{Lu}|${IDEVICE})`,
  ),
  device('Obtener Outlook para '),
  // Italian
  device(`Inviato (?:da|dal|con|tramite) (?:mio |\\p{Lu}|${IDEVICE})`),
  // Dutch
  device('(?:Verzonden|Verstuurd) (?:vanaf|vanuit|met|via|van) '),
  // Swedish, Danish, Norwegian
  device('(?:Skickat|Skickades|Sänt) (?:från|med|via) '),
  device('Från min '),
  device(`Sendt fra (?:min |mi |\\p{Lu}|${IDEVICE})`),
  device('Hämta Outlook för '),
  // Polish
  device('Wysłan[eoa] (?:z|ze|przy użyciu) '),
  device('Pobierz (?:aplikację )?Outlook '),
  // Russian and Ukrainian
  device('Отправлено (?:с|со|из|через) '),
  device('(?:Надіслано|Відправлено|Надіслане) (?:з|із|зі|через) '),
  device('(?:Получить|Отримати|Скачать|Завантажити) Outlook '),
  // Finnish, Czech, Hungarian, Turkish, Chinese, Japanese
  device(`Lähetetty (?:\\p{Lu}|${IDEVICE})`),
  device('Odesláno z '),
  device(`${IDEVICE}-(?:ról|ről) küldve`),
  device(`${IDEVICE}['’]?(?:umdan|dan|den) gönderildi`),
  device('(?:从|從)我的.{1,20}(?:发送|傳送|發送)'),
  device(`${IDEVICE}から送信`),
];
const EXCUSE = /\b(?:excuse|typos?|brevity|brief|autocorrect|entschuldigen|tippfehler|fautes)\b/iu;
const LINK = /<?https?:\/\/\S+>?|<[^<>\s]+>/gu;

/**
 * "Sent from my iPhone" and its kin in many languages: short, or with an apology for typos.
 * "Sent from my desk at the site office, the link is quicker" is a sentence and not one.
 */
export function isDeviceLine(line: string): boolean {
  const text = line.trim();
  if (text === '' || text.length > 160) return false;
  if (!DEVICE_LINES.some((pattern) => pattern.test(text))) return false;
  const words = text.replace(LINK, ' ').trim().split(/\s+/).length;
  return words <= 8 || (words <= 16 && EXCUSE.test(text));
}

const CARD_MAX_LINES = 6;
const CARD_MAX_LENGTH = 80;
const ENDS_SENTENCE = /[.!?:;]["'”’)]*$/u;
const LINK_OR_ADDRESS = /^(?:<?https?:\/\/|www\.)\S+$|^\S+@\S+$/iu;
const ENDS_WITH_LINK = /(?:https?:\/\/|www\.)\S+$/iu;

/**
 * A line of a contact card or a list footer: short and not a sentence ("Tom Builder",
 * "M +44 7700 900123"), or ending in a link ("Join … with MSN Hotmail. http://www.hotmail.com").
 */
export function isCardLine(line: string): boolean {
  const text = line.trim();
  if (text.length > 200) return false;
  if (LINK_OR_ADDRESS.test(text) || ENDS_WITH_LINK.test(text)) return true;
  return text.length <= CARD_MAX_LENGTH && !ENDS_SENTENCE.test(text);
}

/** How many non-blank lines a contact card may have. */
export const CARD_LINES = CARD_MAX_LINES;
