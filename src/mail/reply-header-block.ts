/**
 * Header blocks: the From/Sent/To/Subject lines Outlook, Apple Mail and webmail write above a
 * message they reply to or forward, unquoted, in the languages of our users. One such line is
 * easily content ("From: 07:00", "Subject: TR-0042"); a block of them with a sender is history.
 */

// Labels as clients write them; bold in the text part of an HTML reply ("*From:*").
const FROM_LABELS = [
  'From',
  'Von',
  'De',
  'Da',
  'Van',
  'Fra',
  'Från',
  'Od',
  'Nadawca',
  'От',
  'Від',
  'Lähettäjä',
  'Feladó',
  'Expéditeur',
  'Afzender',
  'Remitente',
  'Mittente',
  'Odesílatel',
  'Gönderen',
  '发件人',
  '寄件者',
  '差出人',
];
const DATE_LABELS = [
  'Sent',
  'Date',
  'Sent Date',
  'Gesendet',
  'Datum',
  'Envoyé',
  'Envoyé le',
  'Enviado',
  'Enviado el',
  'Enviada em',
  'Fecha',
  'Data',
  'Inviato',
  'Verzonden',
  'Skickat',
  'Sendt',
  'Dato',
  'Wysłano',
  'Wysłane',
  'Отправлено',
  'Дата',
  'Надіслано',
  'Відправлено',
  'Lähetetty',
  'Päivämäärä',
  'Elküldve',
  'Dátum',
  'Odesláno',
  'Gönderildi',
  'Tarih',
  'Message du',
  '发送时间',
  '日期',
  '送信日時',
  '日時',
];
const OTHER_LABELS = [
  'To',
  'Cc',
  'Bcc',
  'Subject',
  'Reply-To',
  'An',
  'Kopie',
  'Betreff',
  'À',
  'A',
  'Objet',
  'Sujet',
  'Copie à',
  'Destinataire',
  'Répondre à',
  'Para',
  'CC',
  'Asunto',
  'Assunto',
  'Oggetto',
  'Aan',
  'Onderwerp',
  'Beantwoorden - Aan',
  'Til',
  'Emne',
  'Kopi',
  'Till',
  'Kopia',
  'Ämne',
  'Do',
  'DW',
  'Temat',
  'Adresat',
  'Кому',
  'Копия',
  'Тема',
  'Копія',
  'Vastaanottaja',
  'Aihe',
  'Címzett',
  'Másolat',
  'Tárgy',
  'Komu',
  'Kopie',
  'Předmět',
  'Kime',
  'Bilgi',
  'Konu',
  '收件人',
  '抄送',
  '主题',
  '宛先',
  '件名',
];

// Longest first, so "Envoyé le" is tried before "Envoyé".
const label = (names: readonly string[]) =>
  new RegExp(
    `^\\s*[*_]{0,2}(?:${[...new Set(names)].sort((a, b) => b.length - a.length).join('|')})[*_]{0,2}\\s?[:：]`,
    'u',
  );
const FROM_LABEL = label(FROM_LABELS);
const DATE_LABEL = label(DATE_LABELS);
const ANY_LABEL = label([...FROM_LABELS, ...DATE_LABELS, ...OTHER_LABELS]);
// Only the start of a line is read: a To line can list forty addresses.
const LABEL_WINDOW = 80;

export type HeaderField = 'from' | 'date' | 'other';

/** Which header field a line starts with, if any. */
export function headerField(line: string): HeaderField | null {
  const head = line.slice(0, LABEL_WINDOW);
  if (!ANY_LABEL.test(head)) return null;
  if (FROM_LABEL.test(head)) return 'from';
  if (DATE_LABEL.test(head)) return 'date';
  return 'other';
}

const ADDRESS = /@|\[mailto:/;
// A header value wrapped onto the next line: an address alone, or a line after one that ends
// unfinished (a dangling "<", a comma or semicolon in an address list).
const STARTS_LIKE_CONTINUATION = /^\s*[<[(]/;
const ENDS_UNFINISHED = /[<,;(]\s*$/;

// Eight fields with their wrapped values; a longer run of labels is not a client's header.
const MAX_BLOCK_LINES = 16;

export interface HeaderBlock {
  start: number;
  /** Just past the last header line (or wrapped value) of the block. */
  end: number;
}

/**
 * The header block starting at `start`, if it is one: at least three header lines with a From
 * or a date among them; a From line with an address and a date line; or, right under a rule or
 * separator line (`underRule`), a From line with an address. A wrapped value may take up to two
 * extra lines.
 */
export function headerBlockAt(
  lines: readonly string[],
  start: number,
  underRule: boolean,
  counter: { steps: number } = { steps: 0 },
): HeaderBlock | null {
  const firstField = headerField(lines[start] ?? '');
  if (firstField === null) return null;
  let fields = 0;
  let hasFrom = false;
  let hasDate = false;
  let fromAddress = false;
  let end = start;
  let wrapped = 0;
  for (let k = start; k < Math.min(lines.length, start + MAX_BLOCK_LINES); k++) {
    counter.steps += 1;
    const line = lines[k] ?? '';
    if (line.trim() === '') break;
    const field = headerField(line);
    if (field !== null) {
      fields += 1;
      hasFrom ||= field === 'from';
      hasDate ||= field === 'date';
      if (field === 'from') fromAddress ||= ADDRESS.test(line) || ENDS_UNFINISHED.test(line);
      end = k + 1;
      wrapped = 0;
      continue;
    }
    const previous = lines[k - 1] ?? '';
    const continues =
      STARTS_LIKE_CONTINUATION.test(line) ||
      ENDS_UNFINISHED.test(previous) ||
      headerField(lines[k + 1] ?? '') !== null;
    if (!continues || wrapped >= 2) break;
    if (ADDRESS.test(line) && headerField(previous) === 'from') fromAddress = true;
    wrapped += 1;
    end = k + 1;
  }
  const block = { start, end };
  if (fields >= 3 && (hasFrom || hasDate)) return block;
  // A sender with an address and a date is a header too ("From: …", "Date: …" from a phone).
  if (hasFrom && fromAddress && hasDate) return block;
  return underRule && hasFrom && fromAddress ? block : null;
}
