import { describe, expect, it } from 'vitest';

import { linesOf, squashed, TALON_GOLD } from '../../bench/reply-corpus-gold.js';
import { sameText } from '../../bench/reply-gold.js';
import { splitReply } from '../../src/mail/reply-split.js';
import { corpusPath } from '../support/corpus.js';
import { needsCorpus } from '../support/external-suites.js';
import { crudeMail, readCorpus } from './crude-mime.js';

/**
 * mailgun/talon fixtures: one reply per mail client. Talon expects the reply "Hello" for the
 * standard replies and "Hi. I am fine. Thanks, Alex" (whitespace ignored) for the HTML ones.
 * Where talon keeps a device signature in the reply ("Sent from my iPhone"), we cut it.
 */
const squash = (text: string): string => text.replace(/\s+/g, '');

describe(`splitReply — talon corpus in ${corpusPath}`, needsCorpus, () => {
  describe('every expected reply (bench/reply-corpus-gold.ts)', () => {
    it.each(TALON_GOLD.map((gold) => [`${gold.file} (${gold.part})`, gold] as const))(
      '%s',
      (_, gold) => {
        const raw = readCorpus(gold.file);
        const mail = gold.file.endsWith('.eml') ? crudeMail(raw) : { text: null, html: raw };
        const part = (gold.part === 'text' ? mail.text : mail.html) ?? '';
        const reply =
          gold.part === 'text' ? splitReply(mail.text).reply : splitReply(null, mail.html).reply;
        const want = typeof gold.reply === 'string' ? gold.reply : linesOf(part, gold.reply.lines);
        if (gold.compare === 'squashed') expect(squashed(reply)).toBe(squashed(want));
        else expect(sameText(reply, want)).toBe(true);
      },
    );
  });

  describe('standard replies (text part)', () => {
    const cases: [string, string][] = [
      ['android', 'quote header: "02.04.2012 14:20 пользователь'],
      ['aol', 'original message: "-----Original Message-----"'],
      ['apple_mail', 'quote header: "On Apr 3, 2012, at 4:19 PM, bob wrote:"'],
      ['apple_mail_2', 'quoted text at the end: "> On 22 Aug 2015, at 19:21,'],
      ['comcast', 'original message: "----- Original Message -----"'],
      ['gmail', 'quote header: "On Mon, Apr 2, 2012 at 6:26 PM, Megan One <xxx@gmail.com> wrote:"'],
      ['hotmail', 'quoted text at the end: "> Subject: Test"'],
      ['iphone', 'quote header: "On Apr 3, 2012, at 4:19 PM, bob <bob@example.com> wrote:"'],
      ['outlook', 'header block: "From: xxx@xxx.mailgun.org [mailto:xxx@xxx.mailgun.org]"'],
      ['sparrow', 'quote header: "On Tuesday, April 3, 2012 at 4:55 PM, xxx wrote:"'],
      ['thunderbird', 'bottom-posted reply: the history above the answer cut'],
      ['yahoo', 'original message: "----- Original Message -----"'],
    ];
    it.each(cases)('%s', (name, reason) => {
      const mail = crudeMail(readCorpus(`talon/standard_replies/${name}.eml`));
      const split = splitReply(mail.text, mail.html);
      expect(split.reply).toBe('Hello');
      expect(split.reasons[0]?.startsWith(reason)).toBe(true);
      expect(split.elided).not.toMatch(/^Hello/);
    });

    it('iphone: the device signature is cut with the history', () => {
      const mail = crudeMail(readCorpus('talon/standard_replies/iphone.eml'));
      expect(splitReply(mail.text).elided).toMatch(/^Sent from my iPhone\n\nOn Apr 3, 2012/);
    });

    it('sparrow: the "-- " signature is cut', () => {
      const mail = crudeMail(readCorpus('talon/standard_replies/sparrow.eml'));
      expect(splitReply(mail.text).elided).toMatch(/^-- \nxxx\nSent with Sparrow/);
    });
  });

  describe('standard replies (HTML part alone)', () => {
    const cases: [string, string, string][] = [
      ['android', 'Hello', 'HTML: Gmail quote (div.gmail_quote)'],
      ['aol', 'Hello', 'original message: "-----Original Message-----"'],
      ['comcast', 'Hello', 'header block: "From: bob@xxx.mailgun.org"'],
      ['gmail', 'Hello', 'HTML: Gmail quote (div.gmail_quote)'],
      ['hotmail', 'Hello', 'quoted text at the end: "> Subject: Test"'],
      // The fixture's HTML part says something else than its text part.
      ['outlook', 'Allo! Follow up MIME!', 'header block: "From: xxx@xxx.mailgun.org'],
      ['sparrow', 'Hello', 'HTML: Apple Mail quote (blockquote type=cite)'],
    ];
    it.each(cases)('%s', (name, reply, reason) => {
      const mail = crudeMail(readCorpus(`talon/standard_replies/${name}.eml`));
      const split = splitReply(null, mail.html);
      expect(split.reply).toBe(reply);
      expect(split.reasons[0]).toBe('no text part: used HTML');
      expect(split.reasons[1]?.startsWith(reason)).toBe(true);
    });
  });

  describe('HTML replies', () => {
    const cases: [string, string][] = [
      ['gmail', 'HTML: Gmail quote (div.gmail_quote)'],
      ['hotmail', 'HTML: Outlook.com quote (hr#stopSpelling)'],
      [
        'mail_ru',
        'quote header: "Thu, 26 Jun 2014 14:00:51 +0400 от Alexander L <abc@example.com>:"',
      ],
      ['ms_outlook_2003', 'header block: "From: Alexander L [mailto:abc@example.com]"'],
      ['ms_outlook_2007', 'HTML: Outlook reply header (border-top:solid)'],
      [
        'ms_outlook_2010',
        'header block: "From: Foo [mailto:foo@bar.com] On Behalf Of baz@bar.com"',
      ],
      ['thunderbird', 'HTML: Thunderbird attribution (moz-cite-prefix)'],
      ['windows_mail', 'header block: "От: Alexander L"'],
      ['yandex_ru', 'quote header: "26.06.2014, 14:41, "Alexander L" <abc@example.com>:"'],
    ];
    it.each(cases)('%s', (name, reason) => {
      const split = splitReply(null, readCorpus(`talon/html_replies/${name}.html`));
      expect(squash(split.reply)).toBe('Hi.Iamfine.Thanks,Alex');
      expect(split.reasons).toEqual(['no text part: used HTML', reason]);
      expect(split.elided).toMatch(/Hello! How are you\?/);
    });

    it('Outlook for Mac (OLK_SRC_BODY_SECTION)', () => {
      const split = splitReply(null, readCorpus('talon/OLK_SRC_BODY_SECTION.html'));
      expect(split.reply).toBe('Reply');
      expect(split.elided).toBe(
        'From: Bob <bob@example.com>\nDate: Tue, 01 Nov 2011 18:54:39 -0700\nTo: Rob <rob@example.com>\nSubject: Test\nHi',
      );
    });

    it('a reply separated from the history by <hr>', () => {
      const split = splitReply(null, readCorpus('talon/reply-separated-by-hr.html'));
      expect(split.reply).toBe('Hi\nthere\nBob');
      expect(split.elided.split('\n').slice(0, 2)).toEqual([
        '-'.repeat(32),
        'From: bob@example.com',
      ]);
    });

    it('reply and quotation sharing one HTML block', () => {
      const mail = crudeMail(readCorpus('talon/reply-quotations-share-block.eml'));
      for (const split of [splitReply(mail.text), splitReply(null, mail.html)]) {
        expect(split.reply).toMatch(/^Hi Katharine\.\s+Sounds great\./);
        expect(split.reply).not.toMatch(/From:|wrote:/);
        expect(split.elided).toMatch(
          /^--- On Wed, 4\/4\/12, xxx@example\.com <xxx@example\.com> wrote:/,
        );
      }
    });
  });
});
