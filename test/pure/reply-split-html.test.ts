import { describe, expect, it } from 'vitest';

import { splitReply } from '../../src/mail/reply-split.js';

describe('splitReply — HTML', () => {
  const cases: [string, string, string, string, string][] = [
    [
      'Gmail',
      '<div dir="ltr">Approved.<div><br></div><div>Tom</div></div><br><div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">On Tue, 14 May 2024 at 09:12, Jane Roe &lt;<a href="mailto:jane@architect.example">jane@architect.example</a>&gt; wrote:<br></div><blockquote class="gmail_quote">Please review.</blockquote></div>',
      'Approved.\n\nTom',
      'On Tue, 14 May 2024 at 09:12, Jane Roe <jane@architect.example> wrote:\n> Please review.',
      'HTML: Gmail quote (div.gmail_quote)',
    ],
    [
      'Outlook (divRplyFwdMsg after an <hr>)',
      '<div>Approved &amp; released.</div><hr style="display:inline-block;width:98%"><div id="divRplyFwdMsg" dir="ltr"><b>From:</b> Jane Roe<br><b>Sent:</b> Tuesday<br><b>Subject:</b> RFI-007</div><div>Please review.</div>',
      'Approved & released.',
      '--------------------------------\n\nFrom: Jane Roe\nSent: Tuesday\nSubject: RFI-007\nPlease review.',
      'HTML: Outlook reply header (divRplyFwdMsg)',
    ],
    [
      'Outlook desktop (border-top:solid #E1E1E1)',
      '<p class="MsoNormal">Agreed.<o:p></o:p></p><p class="MsoNormal"><o:p>&nbsp;</o:p></p><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p class="MsoNormal"><b>From:</b> Jane Roe</p></div><p>Please review.</p>',
      'Agreed.',
      'From: Jane Roe\nPlease review.',
      'HTML: Outlook reply header (border-top:solid)',
    ],
    [
      'Apple Mail (blockquote type=cite)',
      '<div>Looks good.</div><div><br><blockquote type="cite"><div>On 14 May 2024, at 09:12, Jane Roe &lt;jane@architect.example&gt; wrote:</div><br><div>Please review.</div></blockquote></div>',
      'Looks good.',
      '> On 14 May 2024, at 09:12, Jane Roe <jane@architect.example> wrote:\n>\n> Please review.',
      'HTML: Apple Mail quote (blockquote type=cite)',
    ],
  ];
  it.each(cases)('%s', (_, html, reply, elided, reason) => {
    expect(splitReply(null, html)).toEqual({
      reply,
      elided,
      reasons: ['no text part: used HTML', reason],
    });
  });

  it('prefers the text part, and falls back to HTML markers when the text shows no quote', () => {
    const html =
      '<div>Approved.</div><div class="gmail_quote">On Tue, Jane wrote:<blockquote>Review?</blockquote></div>';
    expect(
      splitReply(
        'Approved.\n\nOn Tue, 14 May 2024 at 09:12, Jane <j@a.example> wrote:\n> Review?',
        html,
      ).reasons,
    ).toEqual(['quote header: "On Tue, 14 May 2024 at 09:12, Jane <j@a.example> wrote:"']);
    expect(splitReply('Approved.\n\nJane asked: Review?', html)).toEqual({
      reply: 'Approved.',
      elided: 'On Tue, Jane wrote:\n> Review?',
      reasons: [
        'text part shows no quote: used HTML markers',
        'HTML: Gmail quote (div.gmail_quote)',
      ],
    });
  });
});
