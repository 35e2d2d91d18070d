import { readdirSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { splitReply } from '../../src/mail/reply-split.js';
import { corpusPresent } from '../support/corpus.js';
import { needsCorpus } from '../support/external-suites.js';
import { corpus, readCorpus } from './crude-mime.js';

/**
 * The crisp-oss/email-reply-parser fixtures (90 reply bodies, ten languages). Upstream keeps its
 * expectations in code, not files; these are ours: for 43 messages the reply is exactly the
 * shared Lorem paragraph, for the rest we pin the reply's first and last line and where the
 * elided part starts (null: nothing elided).
 */
const DIR = 'crisp-email-reply-parser/';
// Read when the corpus is there; without it the suite below is skipped and these stay empty.
const files = (corpusPresent ? readdirSync(new URL(DIR, corpus)) : [])
  .filter((f) => f.endsWith('.txt'))
  .map((f) => f.slice(0, -4))
  .sort();
const read = (name: string): string => readCorpus(`${DIR}${name}.txt`);

const LOREM = corpusPresent
  ? read('email_10').replace(/\r/g, '').split('\n').slice(0, 5).join('\n')
  : '';

const REPLY_IS_LOREM = `
email_7 email_8 email_9 email_10 email_11 email_12 email_13 email_14 email_15 email_16
email_17 email_18 email_22 email_23 email_24 email_25 email_26
email_danish_dash_separator email_en_multiline_2 email_finnish email_fr_multiline
email_french_2 email_french_dash_separator email_german email_german_2 email_german_3
email_german_outlook email_gmail_split_line_from email_ios_outlook email_ios_outlook_fr
email_italian email_msn email_norwegian_gmail email_original_message
email_original_message_2 email_outlook_split_line_from email_portuguese email_russian
email_tricky_5_mixed_languages email_tricky_10_special_chars_in_name
email_tricky_12_no_space_after_header email_tricky_14_long_quote_header
email_tricky_15_original_message_variations
`
  .trim()
  .split(/\s+/);

// [file, reply starts with, reply ends with, elided starts with | null]
const PINNED: [string, string, string, string | null][] = [
  ['correct_sig', 'this is an email with a co', 'th a correct -- signature.', '--'],
  ['email_1', 'Hi folks', '-Abhishek Kona', '__'],
  [
    'email_19',
    'On Thursday, I get proper ',
    'y, I get proper rendering.',
    'Sent from a magnificent to',
  ],
  ['email_2', 'Hi,', 'te them all individually."', '> '],
  ['email_20', 'On Thursday.', 'On Thursday.', '> On May 17, 2017, at 01:4'],
  ['email_21', 'On Thursday:', 'ollit anim id est laborum.', null],
  ['email_2_1', 'Outlook with a reply', 'Outlook with a reply', '--------------------------'],
  ['email_3', 'Oh thanks.', '-Abhishek Kona', 'On 01/03/11 7:07 PM, Russe'],
  [
    'email_4',
    "Awesome! I haven't had ano",
    'd another problem with it.',
    'On Aug 22, 2011, at 7:37 P',
  ],
  ['email_5', "One: Here's what I've got.", 'for a while.', null],
  [
    'email_6',
    'I get proper rendering as ',
    'agnificent torch of pixels',
    'On Dec 16, 2011, at 12:47 ',
  ],
  ['email_blackberry', 'Here is another email', 'Here is another email', 'Sent from my BlackBerry'],
  ['email_bullets', 'test 2 this should list se', '   - and another', 'On Fri, Feb 24, 2012 at 10'],
  ['email_custom_quote_header', 'Thank you!', 'Thank you!', '2013.02.08. 7:31 keltezéss'],
  [
    'email_customer_quote_header_2',
    'Thank you very much.',
    'Thank you very much.',
    'From: somedude [mailto:tes',
  ],
  ['email_customer_quote_header_3', 'bonjour,', "merci d'avance", 'De : Someone Somewhere <so'],
  ['email_emoji', '🎉', '@pandaland', null],
  ['email_iphone', 'Here is another email', 'Here is another email', 'Sent from my iPhone'],
  [
    'email_multi_word_sent_from_my_mobile_device',
    'Here is another email',
    'Here is another email',
    'Sent from my Verizon Wirel',
  ],
  ['email_not_a_signature', 'Dear XXXXX:', 'Super Domain Name Manager', null],
  ['email_not_a_signature_2', 'Hello,', 'Thanks!', null],
  [
    'email_one_is_not_on',
    'Thank, this is really help',
    'evelopment), when I run...',
    'On Oct 1, 2012, at 11:55 P',
  ],
  ['email_reply_header', 'This is the latest reply.', 'Stranger', 'On Wed, Dec 9, Mister Exam'],
  [
    'email_sent_from',
    'Hi it can happen to any te',
    'tween words or paragraphs.',
    'Sent from TypeApp<http://w',
  ],
  ['email_sent_from_my_not_signature', 'Here is another email', 'sier then my mobile phone.', null],
  ['email_thread', 'This is new email reply in', 'ply in thread from bellow.', 'On Nov 21, 2014,'],
  [
    'email_tricky_11_double_signature',
    'Thanks for your help!',
    'Thanks for your help!',
    'Best regards,',
  ],
  [
    'email_tricky_13_timestamp_variations',
    'Here are different timesta',
    'ontent, not quote headers.',
    null,
  ],
  ['email_tricky_16_unicode_signatures', 'Thanks for the update!', '📱 +1 555-0123', null],
  [
    'email_tricky_17_forward_header',
    'See the forwarded message ',
    'e forwarded message below.',
    '---------- Forwarded messa',
  ],
  [
    'email_tricky_18_inline_reply',
    'On Dec 15, 2024, at 2:00 P',
    'suitable for our use case.',
    null,
  ],
  [
    'email_tricky_19_quote_without_header',
    'I wanted to respond to you',
    'And my final thoughts.',
    null,
  ],
  [
    'email_tricky_1_on_false_positive',
    'On the surface, this looks',
    'that performance is great.',
    null,
  ],
  [
    'email_tricky_20_html_entities',
    'The data should be &gt; 10',
    'ols are handled correctly.',
    'On Dec 15, 2024, John &quo',
  ],
  ['email_tricky_2_url_with_wrote', 'Hi there,', 'rns like "wrote:" in them.', 'Best regards,'],
  ['email_tricky_3_code_block', "Here's the code that's cau", 'cted as actual signatures.', null],
  ['email_tricky_4_from_in_body', 'I need to parse emails tha', 'he actual message content.', null],
  [
    'email_tricky_6_regards_in_sentence',
    'I wanted to discuss the is',
    'nt that should be visible.',
    null,
  ],
  ['email_tricky_7_multiple_dashes', 'Here is my analysis:', ' separators in my content.', null],
  [
    'email_tricky_8_sent_from_in_content',
    'The notification was sent ',
    'sent from the main server.',
    null,
  ],
  [
    'email_tricky_9_nested_quotes',
    'I agree with the points be',
    'ree with the points below.',
    'On Dec 15, 2024, at 2:00 P',
  ],
  ['email_unquoted_reply', 'This is my reply.', 'This is my reply.', 'On Nov 26, 2013 you wrote:'],
  ['email_with_date_headers', 'Thank you very much.', 'This is my previous mail', null],
  ['email_with_from_headers', '[FROM]', 'email is <foo@example.com>', null],
  ['email_with_regards', 'Hi, ', 'Can you help?', 'Regards,'],
  ['email_zoho', 'What is the best way to cl', 'running a test?', '---- On Wed, 24 Feb 2021 1'],
  ['sig_no_empty_line', 'this is an email with a si', ' with no empty line above.', '--'],
];

/** Non-blank lines, trimmed and sorted: what "nothing of substance lost" compares. */
function substance(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .sort();
}

describe('splitReply — crisp-oss corpus', needsCorpus, () => {
  it('covers every fixture with an expectation', () => {
    expect(files).toHaveLength(90);
    expect([...REPLY_IS_LOREM, ...PINNED.map(([f]) => f)].sort()).toEqual(files);
  });

  it.each(REPLY_IS_LOREM)('%s: the reply is the new paragraph only', (name) => {
    const split = splitReply(read(name));
    expect(split.reply).toBe(LOREM);
    expect(split.elided).not.toBe('');
    expect(split.reasons.length).toBeGreaterThan(0);
  });

  it.each(PINNED)('%s', (name, start, end, elided) => {
    const split = splitReply(read(name));
    expect(split.reply.startsWith(start)).toBe(true);
    expect(split.reply.endsWith(end)).toBe(true);
    if (elided === null) expect(split.elided).toBe('');
    else expect(split.elided.startsWith(elided)).toBe(true);
  });

  it.each(files)('%s: reply + elided keep every line', (name) => {
    const text = read(name);
    const split = splitReply(text);
    expect(substance(`${split.reply}\n${split.elided}`)).toEqual(substance(text));
  });
});
