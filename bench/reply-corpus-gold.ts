/**
 * Docket's expected new text for the reply bodies of the shared corpus (../shared/corpus), which is
 * read in place and never copied here. The upstream projects keep their expectations in code, and
 * not all of them agree with Docket's conventions (fixtures/reply-trimming/README.md), so these
 * are ours.
 *
 * crisp-oss/email-reply-parser: the expected reply is given as line numbers of the body (1-based,
 * after CRLF → LF), so no corpus text is repeated here. `all` is every line.
 *
 * mailgun/talon: the standard replies expect "Hello" from the text part (talon keeps the
 * "Sent from my iPhone" and Sparrow signatures; Docket cuts them), and the HTML replies expect
 * talon's own text compared with all whitespace removed, as talon's tests compare it.
 */

export const CRISP_DIR = 'crisp-email-reply-parser';

/** The first five lines: the Lorem paragraph most of the localised quote-header samples share. */
const LOREM = '1-5';

export const CRISP_GOLD: Readonly<Record<string, string>> = {
  correct_sig: '1',
  email_1: '1-7',
  email_2: '1,3-34', // inline reply: the quote header goes, quotes and answers stay
  email_2_1: '1',
  email_3: '1-5',
  email_4: '1',
  email_5: 'all',
  email_6: '1-3', // "Sent a magnificent torch of pixels" is not a device line
  email_7: LOREM,
  email_8: LOREM,
  email_9: LOREM,
  email_10: LOREM,
  email_11: LOREM,
  email_12: LOREM,
  email_13: LOREM,
  email_14: LOREM,
  email_15: LOREM, // a device line with the history pasted below it
  email_16: LOREM,
  email_17: LOREM,
  email_18: LOREM,
  email_19: '1',
  email_20: '1',
  email_21: 'all',
  email_22: LOREM,
  email_23: LOREM,
  email_24: LOREM,
  email_25: LOREM,
  email_26: LOREM,
  email_blackberry: '1',
  email_bullets: '1-9',
  email_custom_quote_header: '1',
  email_customer_quote_header_2: '1',
  email_customer_quote_header_3: '1-3',
  email_danish_dash_separator: LOREM,
  email_emoji: '1', // a lone em dash starts the signature
  email_en_multiline_2: LOREM,
  email_finnish: LOREM,
  email_fr_multiline: LOREM,
  email_french_2: LOREM,
  email_french_dash_separator: LOREM,
  email_german: LOREM,
  email_german_2: LOREM,
  email_german_3: LOREM,
  email_german_outlook: LOREM,
  email_gmail_split_line_from: LOREM,
  email_ios_outlook: LOREM,
  email_ios_outlook_fr: LOREM,
  email_iphone: '1',
  email_italian: LOREM,
  email_msn: LOREM,
  email_multi_word_sent_from_my_mobile_device: '1',
  email_norwegian_gmail: LOREM,
  email_not_a_signature: 'all',
  email_not_a_signature_2: 'all',
  email_one_is_not_on: '1-5',
  email_original_message: LOREM,
  email_original_message_2: LOREM,
  email_outlook_split_line_from: LOREM,
  email_portuguese: LOREM,
  email_reply_header: '1-11',
  email_russian: LOREM,
  email_sent_from: '1',
  email_sent_from_my_not_signature: 'all',
  email_thread: '1',
  email_tricky_10_special_chars_in_name: LOREM,
  email_tricky_11_double_signature: '1-4', // the sign-off stays, the "--" block goes
  email_tricky_12_no_space_after_header: LOREM,
  email_tricky_13_timestamp_variations: 'all',
  email_tricky_14_long_quote_header: LOREM,
  email_tricky_15_original_message_variations: LOREM,
  email_tricky_16_unicode_signatures: '1-4', // a rule of em dashes above a contact card
  email_tricky_17_forward_header: '1',
  email_tricky_18_inline_reply: '2-12',
  email_tricky_19_quote_without_header: 'all',
  email_tricky_1_on_false_positive: 'all',
  email_tricky_20_html_entities: '1-3',
  email_tricky_2_url_with_wrote: 'all', // "Best regards," and the name are what the person wrote
  email_tricky_3_code_block: 'all',
  email_tricky_4_from_in_body: 'all',
  email_tricky_5_mixed_languages: LOREM,
  email_tricky_6_regards_in_sentence: 'all',
  email_tricky_7_multiple_dashes: 'all',
  email_tricky_8_sent_from_in_content: 'all',
  email_tricky_9_nested_quotes: '1',
  email_unquoted_reply: '1',
  email_with_date_headers: 'all',
  email_with_from_headers: 'all',
  email_with_regards: 'all',
  email_zoho: '1-2',
  sig_no_empty_line: '1',
};

/** The lines a span like `1,3-34` or `all` names, joined: the expected reply of a corpus body. */
export function linesOf(body: string, span: string): string {
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  if (span === 'all') return lines.join('\n');
  const picked: string[] = [];
  for (const part of span.split(',')) {
    const [from, to = from] = part.split('-').map(Number);
    if (from === undefined || !Number.isInteger(from) || !Number.isInteger(to)) {
      throw new Error(`bad line span ${span}`);
    }
    picked.push(...lines.slice(from - 1, to));
  }
  return picked.join('\n');
}

export interface TalonCase {
  /** Relative to the corpus folder. */
  file: string;
  /** Which part the reply is read from: an .eml's text or HTML part, or an .html file. */
  part: 'text' | 'html';
  /** The expected new text, or (`lines`) the lines of the decoded part it is made of. */
  reply: string | { lines: string };
  /** `squashed`: compared with all whitespace removed (talon's own comparison for HTML). */
  compare: 'trimmed' | 'squashed';
}

const standard = (name: string, part: 'text' | 'html', reply = 'Hello'): TalonCase => ({
  file: `talon/standard_replies/${name}.eml`,
  part,
  reply,
  compare: part === 'html' ? 'squashed' : 'trimmed',
});

const htmlReply = (name: string): TalonCase => ({
  file: `talon/html_replies/${name}.html`,
  part: 'html',
  reply: 'Hi. I am fine.\n\nThanks,\nAlex',
  compare: 'squashed',
});

export const TALON_GOLD: readonly TalonCase[] = [
  ...[
    'android',
    'aol',
    'apple_mail',
    'apple_mail_2',
    'comcast',
    'gmail',
    'hotmail',
    'iphone',
    'outlook',
    'sparrow',
    'thunderbird',
    'yahoo',
  ].map((name) => standard(name, 'text')),
  ...['android', 'aol', 'comcast', 'gmail', 'hotmail', 'sparrow'].map((name) =>
    standard(name, 'html'),
  ),
  // The fixture's HTML part says something else than its text part.
  standard('outlook', 'html', 'Allo! Follow up MIME!'),
  ...[
    'gmail',
    'hotmail',
    'mail_ru',
    'ms_outlook_2003',
    'ms_outlook_2007',
    'ms_outlook_2010',
    'thunderbird',
    'windows_mail',
    'yandex_ru',
  ].map(htmlReply),
  { file: 'talon/OLK_SRC_BODY_SECTION.html', part: 'html', reply: 'Reply', compare: 'squashed' },
  {
    file: 'talon/reply-quotations-share-block.eml',
    part: 'text',
    reply: { lines: '1-3' },
    compare: 'trimmed',
  },
  {
    file: 'talon/reply-separated-by-hr.html',
    part: 'html',
    reply: 'Hi\nthere\nBob',
    compare: 'squashed',
  },
];

/** Talon's comparison for HTML: every whitespace character removed. */
export function squashed(text: string): string {
  return text.replace(/\s+/g, '');
}
