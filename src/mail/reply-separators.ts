/**
 * Separators that open a forwarded or original message: Outlook's "-----Original Message-----",
 * Gmail's "---------- Forwarded message ---------", Apple Mail's "Begin forwarded message:", in
 * the languages of our users. A forward is cut like any history, so a forwarded approval is never
 * read as the forwarder's decision.
 */
import { MAX_ATTRIBUTION_LENGTH } from './reply-attribution.js';

const ORIGINAL_NAMES = [
  'Original Message',
  'Reply Message',
  'Ursprüngliche Nachricht',
  'Originalnachricht',
  "Message d'origine",
  'Mensaje original',
  'Messaggio originale',
  'Oorspronkelijk bericht',
  'Origineel bericht',
  'Ursprungligt meddelande',
  'Oprindelig meddelelse',
  'Oprindelig besked',
  'Opprinnelig melding',
  'Alkuperäinen viesti',
  'Wiadomość oryginalna',
  'Oryginalna wiadomość',
  'Mensagem original',
  'Исходное сообщение',
  'Оригінальне повідомлення',
  'Вихідне повідомлення',
  'Původní zpráva',
  'Eredeti üzenet',
  'Orijinal Mesaj',
  '原始邮件',
];
const FORWARD_NAMES = [
  'Forwarded message',
  'Weitergeleitete Nachricht',
  'Message transféré',
  'Mensaje reenviado',
  'Messaggio inoltrato',
  'Doorgestuurd bericht',
  'Vidarebefordrat meddelande',
  'Videresendt meddelelse',
  'Videresendt melding',
  'Välitetty viesti',
  'Wiadomość przekazana dalej',
  'Przekazana wiadomość',
  'Przesłana wiadomość',
  'Mensagem encaminhada',
  'Пересылаемое сообщение',
  'Пересланное сообщение',
  'Конец пересылаемого сообщения',
  'Пересланий лист',
  'Переслане повідомлення',
  'Přeposlaná zpráva',
  'Továbbított üzenet',
  'İletilen ileti',
  '转发的邮件',
];
const between = (names: readonly string[]) =>
  new RegExp(`^\\s*[*_]*-{2,}\\s*(?:${names.join('|')})\\s*-*[*_]*\\s*$`, 'iu');
const ORIGINAL_SEPARATOR = between(ORIGINAL_NAMES);
const FORWARD_SEPARATOR = between(FORWARD_NAMES);
// Apple Mail and others introduce a forward with a sentence, in the sender's language.
const FORWARD_INTRO = new RegExp(
  `^\\s*(?:${[
    'Begin forwarded message',
    'Anfang der weitergeleiteten Nachricht',
    'Début du message réexpédié',
    'Début du message transféré',
    'Inicio del mensaje reenviado',
    'Comienzo del mensaje reenviado',
    'Inizio messaggio inoltrato',
    'Begin doorgestuurd bericht',
    'Vidarebefordrat brev',
    'Vidarebefordrat mejl',
    'Start på videresendt besked',
    'Videresendt melding',
    'Начало переадресованного сообщения',
    'Начало пересылаемого сообщения',
    'Початок пересланого листа',
    'Początek przekazywanej wiadomości',
    'Início da mensagem reencaminhada',
    'Välitetty viesti alkaa',
    'Začátek přeposlané zprávy',
  ].join('|')})\\s*[:：]\\s*$`,
  'iu',
);

/** "-----Original Message-----", "Begin forwarded message:" and their translations. */
export function separatorKind(line: string): 'original' | 'forward' | null {
  if (line.length > MAX_ATTRIBUTION_LENGTH) return null;
  if (FORWARD_SEPARATOR.test(line) || FORWARD_INTRO.test(line)) return 'forward';
  return ORIGINAL_SEPARATOR.test(line) ? 'original' : null;
}
