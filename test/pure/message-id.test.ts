import { describe, it, expect } from 'vitest';
import {
  normalizeMessageId,
  parseMessageIdList,
  selectReferences,
} from '../../src/mail/message-id.js';

describe('normalizeMessageId', () => {
  it.each([
    ['<abc123@mail.example.com>', 'abc123@mail.example.com'],
    ['  <abc123@mail.example.com>  ', 'abc123@mail.example.com'],
    ['abc123@mail.example.com', 'abc123@mail.example.com'],
    // the left part keeps its case (base64 ids), the domain does not
    ['<CAFx9+Qz=AbC@Mail.Example.COM>', 'CAFx9+Qz=AbC@mail.example.com'],
    ['<abc\r\n 123@mail.example.com>', 'abc123@mail.example.com'],
    ['<abc123@mail.example.com> (sent by Outlook)', 'abc123@mail.example.com'],
    ['(comment) <abc123@mail.example.com>', 'abc123@mail.example.com'],
    ['abc123@mail.example.com (comment)', 'abc123@mail.example.com'],
    ['<<abc123@mail.example.com>>', 'abc123@mail.example.com'],
    ['<"quoted local"@example.com>', '"quotedlocal"@example.com'],
    ['<0123456789abcdef>', '0123456789abcdef'],
    ['<a@b>', 'a@b'],
    // idempotent on stored ids
    ['CAFx9+Qz=AbC@mail.example.com', 'CAFx9+Qz=AbC@mail.example.com'],
    // bogus
    ['', null],
    ['   ', null],
    ['<>', null],
    ['< >', null],
    ['<@example.com>', null],
    ['<abc@>', null],
    ['<undefined@example.com>', null],
    ['<null@localhost>', null],
    ['<1234>', null],
    ['<unknown>', null],
    [`<${'x'.repeat(600)}@example.com>`, null],
  ])('%j → %j', (raw, expected) => {
    expect(normalizeMessageId(raw)).toBe(expected);
  });
});

describe('parseMessageIdList', () => {
  it.each([
    ['<a@x.com> <b@x.com> <c@x.com>', ['a@x.com', 'b@x.com', 'c@x.com']],
    ['<a@x.com>\r\n\t<b@x.com>', ['a@x.com', 'b@x.com']],
    ['<a@x.com>,<b@x.com>, <c@x.com>', ['a@x.com', 'b@x.com', 'c@x.com']],
    ['<a@x.com><b@x.com>', ['a@x.com', 'b@x.com']],
    ['<a@x.com> <b@X.com> <a@x.com> <c@x.com> <b@x.com>', ['a@x.com', 'b@x.com', 'c@x.com']],
    ['a@x.com b@x.com', ['a@x.com', 'b@x.com']],
    ['a@x.com, b@x.com; c@x.com', ['a@x.com', 'b@x.com', 'c@x.com']],
    ['Your message of "Mon, 3 Jun 2024 10:00:00 +0200" <id1@x.com>', ['id1@x.com']],
    ['<id1@x.com> (Bob Smith\'s message of "Mon, 3 Jun 2024")', ['id1@x.com']],
    ['Message from "Bob (site) <bob@x.com>" of Mon, 3 Jun', ['bob@x.com']],
    ['<> <a@x.com> <undefined@x.com>', ['a@x.com']],
    ['no ids here at all', []],
    ['', []],
    ['"quoted a@b.com" plain@x.com', ['plain@x.com']],
  ])('%j → %j', (raw, expected) => {
    expect(parseMessageIdList(raw)).toEqual(expected);
  });
});

describe('selectReferences', () => {
  const base = { messageId: 'me@x.com', references: [], inReplyTo: [], participants: [] };

  it.each([
    {
      name: 'References win; the parent is the last one',
      input: { ...base, references: ['<r1@x.com>', '<r2@x.com>'], inReplyTo: ['<r2@x.com>'] },
      referenced: ['r1@x.com', 'r2@x.com'],
      parent: 'r2@x.com',
      fromReferences: true,
      ignored: [],
    },
    {
      name: 'In-Reply-To outside References is ignored',
      input: { ...base, references: ['<r1@x.com>'], inReplyTo: ['<liar@y.com>'] },
      referenced: ['r1@x.com'],
      parent: 'r1@x.com',
      fromReferences: true,
      ignored: [{ header: 'In-Reply-To', id: 'liar@y.com', why: 'not-in-references' }],
    },
    {
      name: 'without References, only the first In-Reply-To counts',
      input: { ...base, inReplyTo: ['<p1@x.com>', '<p2@x.com>'] },
      referenced: ['p1@x.com'],
      parent: 'p1@x.com',
      fromReferences: false,
      ignored: [{ header: 'In-Reply-To', id: 'p2@x.com', why: 'not-first' }],
    },
    {
      name: 'own id in References is a loop, not a parent',
      input: { ...base, references: ['<r1@x.com>', '<me@X.com>'] },
      referenced: ['r1@x.com'],
      parent: 'r1@x.com',
      fromReferences: true,
      ignored: [{ header: 'References', id: 'me@x.com', why: 'self' }],
    },
    {
      name: 'In-Reply-To naming only itself leaves no parent',
      input: { ...base, inReplyTo: ['<me@x.com>'] },
      referenced: [],
      parent: null,
      fromReferences: false,
      ignored: [{ header: 'In-Reply-To', id: 'me@x.com', why: 'self' }],
    },
    {
      name: "a participant's address is not a Message-ID",
      input: { ...base, inReplyTo: ['<bob@site.com>'], participants: ['bob@site.com'] },
      referenced: [],
      parent: null,
      fromReferences: false,
      ignored: [{ header: 'In-Reply-To', id: 'bob@site.com', why: 'participant-address' }],
    },
    {
      name: 'bogus References fall back to In-Reply-To',
      input: {
        ...base,
        messageId: null,
        references: ['<>', '<undefined@x>'],
        inReplyTo: ['<p@x.com>'],
      },
      referenced: ['p@x.com'],
      parent: 'p@x.com',
      fromReferences: false,
      ignored: [],
    },
  ])('$name', ({ name: _name, input, ...expected }) => {
    const { ownId: _ownId, ...selected } = selectReferences(input);
    expect(selected).toEqual(expected);
  });

  it('normalises the own id and reports null when it is bogus', () => {
    expect(selectReferences({ ...base, messageId: '<Me@X.COM>' }).ownId).toBe('Me@x.com');
    expect(selectReferences({ ...base, messageId: '<>' }).ownId).toBeNull();
  });
});
