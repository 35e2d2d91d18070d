import { describe, it, expect } from 'vitest';
import { MemoryThreadStore } from '../../src/mail/memory-thread-store.js';
import {
  decideThread,
  type ThreadDecision,
  type ThreadingInput,
  type ThreadingOptions,
  type ThreadStore,
} from '../../src/mail/threading.js';

const T0 = Date.parse('2025-03-03T09:00:00Z');
const day = (n: number): Date => new Date(T0 + n * 86_400_000);
const TEAM = ['arch@design.example', 'gc@build.example'];

/** A Thread-Index of conversation `seed`, `depth` replies deep. */
function threadIndex(seed: number, depth = 0): string {
  const head = [1, 0x01, 0xda, 0x3b, 0x2c, 0x1d, ...Array.from({ length: 16 }, (_, i) => seed + i)];
  const blocks = Array.from({ length: depth * 5 }, (_, i) => (i * 13 + seed) % 256);
  return Buffer.from([...head, ...blocks]).toString('base64');
}

/** Short names in tests stand for Message-IDs at one host: `a` is `<a@x>`. */
const mid = (name: string): string => (name.includes('@') ? name : `${name}@x`);

/** A message: `id` is the Message-ID (null for none); defaults are a team mail on day 0. */
function msg(id: string | null, more: Partial<ThreadingInput> = {}): ThreadingInput {
  return {
    threadIndex: null,
    subject: 'Concrete pour sequence',
    participants: TEAM,
    date: day(0),
    ...more,
    messageId: id === null ? null : mid(id),
    inReplyTo: (more.inReplyTo ?? []).map(mid),
    references: (more.references ?? []).map(mid),
  };
}

/** Files messages in order; returns the store and each decision. */
async function fileAll(messages: ThreadingInput[], options?: ThreadingOptions) {
  const store = new MemoryThreadStore();
  const decisions: ThreadDecision[] = [];
  for (const [i, m] of messages.entries()) {
    const decision = await decideThread(m, store, options);
    store.apply(decision, m, m.messageId?.replace(/@x$/, '') ?? `#${i}`);
    decisions.push(decision);
  }
  return { store, decisions, last: decisions.at(-1) as ThreadDecision };
}

const rules = (d: ThreadDecision): string[] => d.reasons.map((r) => r.rule);

describe('decideThread: which messages end up together', () => {
  it.each([
    {
      name: 'simple chain',
      messages: [msg('a'), msg('b', { references: ['a'] }), msg('c', { references: ['a', 'b'] })],
      groups: [['a', 'b', 'c']],
    },
    {
      name: 'reply before parent: the parent joins when it comes',
      messages: [msg('c', { references: ['a', 'b'] }), msg('b', { references: ['a'] }), msg('a')],
      groups: [['c', 'b', 'a']],
    },
    {
      name: 'loop: A references B, B references A',
      messages: [msg('a', { references: ['b'] }), msg('b', { references: ['a'] })],
      groups: [['a', 'b']],
    },
    {
      name: 'unrelated roots stay apart',
      messages: [msg('a'), msg('x', { subject: 'Window samples' })],
      groups: [['a'], ['x']],
    },
    {
      name: 'conflicting references merge three threads',
      messages: [
        msg('a', { subject: 'One' }),
        msg('x', { subject: 'Two' }),
        msg('y', { subject: 'Three' }),
        msg('m', { references: ['y', 'a', 'x'] }),
      ],
      groups: [['a', 'x', 'y', 'm']],
    },
    {
      name: 'missing Message-IDs thread by their references',
      messages: [msg('a'), msg(null, { references: ['a'] }), msg(null, { inReplyTo: ['a'] })],
      groups: [['a', '#1', '#2']],
    },
    {
      name: 'Outlook: only In-Reply-To to an unseen parent, but the same Thread-Index root',
      messages: [
        msg('a', { threadIndex: threadIndex(1) }),
        msg('c', { inReplyTo: ['unseen'], threadIndex: threadIndex(1, 2), subject: 'RE: pour' }),
        msg('unseen', { threadIndex: threadIndex(1, 1) }),
        msg('z', {
          inReplyTo: ['other'],
          threadIndex: threadIndex(9, 1),
          subject: 'RE: Window samples',
        }),
      ],
      groups: [['a', 'c', 'unseen'], ['z']],
    },
  ])('$name', async ({ messages, groups }) => {
    const { store } = await fileAll(messages);
    expect(store.groups()).toEqual(groups);
    expect(store.threadCount).toBe(groups.length);
  });
});

describe('decideThread: decisions and reasons', () => {
  it('chain: joins by References, parent is the last reference, binds only new keys', async () => {
    const { decisions, last } = await fileAll([
      msg('a'),
      msg('b', { references: ['<a@X>'] }),
      msg('c', { references: ['a', 'b'], inReplyTo: ['b'] }),
    ]);
    expect(decisions[0]).toMatchObject({ threadId: null, parentMessageId: null });
    expect(rules(decisions[0] as ThreadDecision)).toEqual(['new-thread']);
    expect(last).toMatchObject({
      threadId: 1,
      mergeThreadIds: [],
      parentMessageId: 'b@x',
      bindKeys: [{ kind: 'message-id', value: 'c@x' }],
      normalizedSubject: 'concrete pour sequence',
    });
    expect(last.reasons).toEqual([
      { rule: 'references', detail: 'replies to <b@x>, which is in thread 1' },
    ]);
  });

  it('reply first: binds ghost parents; the parent is found by its own id', async () => {
    const { decisions, last } = await fileAll([msg('c', { references: ['a', 'b'] }), msg('a')]);
    expect(decisions[0]?.bindKeys.map((k) => k.value)).toEqual(['c@x', 'a@x', 'b@x']);
    expect(last).toMatchObject({ threadId: 1, bindKeys: [], parentMessageId: null });
    expect(rules(last)).toEqual(['message-id']);
  });

  it('self-reference is never its own parent', async () => {
    const { decisions } = await fileAll([
      msg('a'),
      msg('s', { references: ['s'], inReplyTo: ['s'], subject: 'Loop' }),
      msg('t', { references: ['a', 't'] }),
    ]);
    const [, s, t] = decisions as [ThreadDecision, ThreadDecision, ThreadDecision];
    expect(s).toMatchObject({ threadId: null, parentMessageId: null });
    expect(s.bindKeys).toEqual([{ kind: 'message-id', value: 's@x' }]);
    expect(rules(s)).toEqual(['self-reference', 'self-reference', 'new-thread']);
    expect(t).toMatchObject({ threadId: 1, parentMessageId: 'a@x' });
    expect(rules(t)).toEqual(['self-reference', 'references']);
  });

  it("liar: garbage In-Reply-To (a participant's address) with correct References", async () => {
    const { last } = await fileAll([
      msg('a'),
      msg('b', { references: ['a'], inReplyTo: ['arch@design.example'] }),
    ]);
    expect(last).toMatchObject({ threadId: 1, parentMessageId: 'a@x', mergeThreadIds: [] });
    expect(last.bindKeys).toEqual([{ kind: 'message-id', value: 'b@x' }]);
    expect(rules(last)).toEqual(['in-reply-to-ignored', 'references']);
  });

  it('liar: References into one thread, In-Reply-To into another: References win, no merge', async () => {
    const { store, last } = await fileAll([
      msg('a'),
      msg('x', { subject: 'Window samples' }),
      msg('m', { references: ['x'], inReplyTo: ['a'] }),
    ]);
    expect(last).toMatchObject({ threadId: 2, mergeThreadIds: [], parentMessageId: 'x@x' });
    expect(rules(last)).toEqual(['in-reply-to-ignored', 'references']);
    expect(store.groups()).toEqual([['a'], ['x', 'm']]);
  });

  it('garbage In-Reply-To alone gives no parent and no key', async () => {
    const { last } = await fileAll([msg('b', { inReplyTo: ['gc@build.example'] })]);
    expect(last).toMatchObject({ threadId: null, parentMessageId: null });
    expect(last.bindKeys).toEqual([{ kind: 'message-id', value: 'b@x' }]);
  });

  it('duplicate Message-ID: filed by its references, the other thread is untouched', async () => {
    const { store, last } = await fileAll([
      msg('a'),
      msg('x', { subject: 'Window samples' }),
      msg('a', { references: ['x'], subject: 'Re: Window samples' }),
    ]);
    expect(last).toMatchObject({ threadId: 2, mergeThreadIds: [], bindKeys: [] });
    expect(rules(last)).toEqual(['references', 'duplicate-message-id']);
    expect(store.groups()).toEqual([['a'], ['x', 'a']]);
  });

  it('out of order: the child arriving after its own reply and its parent merges the two threads', async () => {
    const { store, last } = await fileAll([
      msg('c', { inReplyTo: ['b'] }),
      msg('a'),
      msg('b', { inReplyTo: ['a'] }),
    ]);
    expect(last).toMatchObject({ threadId: 1, mergeThreadIds: [2], parentMessageId: 'a@x' });
    expect(rules(last)).toEqual(['in-reply-to', 'message-id', 'conflicting-references']);
    expect(store.groups()).toEqual([['c', 'a', 'b']]);
  });

  it('duplicate Message-ID without references joins the first copy', async () => {
    const { last } = await fileAll([msg('a'), msg('a')]);
    expect(last).toMatchObject({ threadId: 1, bindKeys: [] });
    expect(rules(last)).toEqual(['message-id']);
  });

  it('missing Message-ID: no own key', async () => {
    const { last } = await fileAll([msg('a'), msg(null, { references: ['a', 'p'] })]);
    expect(last).toMatchObject({ threadId: 1, parentMessageId: 'p@x' });
    expect(last.bindKeys).toEqual([{ kind: 'message-id', value: 'p@x' }]);
  });

  it('Outlook Thread-Index picks the thread when the parent is unknown', async () => {
    const { last } = await fileAll([
      msg('a', { threadIndex: threadIndex(1) }),
      msg('c', { inReplyTo: ['unseen'], threadIndex: threadIndex(1, 1), subject: 'RE: pour' }),
    ]);
    expect(last).toMatchObject({ threadId: 1, parentMessageId: 'unseen@x' });
    expect(last.bindKeys).toEqual([
      { kind: 'message-id', value: 'c@x' },
      { kind: 'message-id', value: 'unseen@x' },
    ]);
    expect(rules(last)).toEqual(['thread-index']);
  });

  it('Thread-Index never overrides or merges what Message-IDs proved', async () => {
    const { last } = await fileAll([
      msg('a', { threadIndex: threadIndex(1) }),
      msg('x', { subject: 'Window samples' }),
      msg('m', { references: ['x'], threadIndex: threadIndex(1, 1) }),
    ]);
    expect(last).toMatchObject({
      threadId: 2,
      mergeThreadIds: [],
      bindKeys: [{ kind: 'message-id', value: 'm@x' }],
    });
    expect(rules(last)).toEqual(['references', 'thread-index-ignored']);
  });

  it('conflicting references: the oldest thread wins, the others merge into it', async () => {
    const { last } = await fileAll([
      msg('a', { subject: 'One' }),
      msg('x', { subject: 'Two' }),
      msg('y', { subject: 'Three' }),
      msg('m', { references: ['y', 'a', 'x', 'new'] }),
    ]);
    expect(last).toMatchObject({ threadId: 1, mergeThreadIds: [2, 3], parentMessageId: 'new@x' });
    expect(rules(last)).toEqual([
      'references',
      'references',
      'references',
      'conflicting-references',
    ]);
  });

  it('subject tags pick a record thread, but two records are never merged', async () => {
    const { store, decisions, last } = await fileAll([
      msg('n7', { subject: '[TWR-A RFI-007] Footing depth' }),
      msg('n8', { subject: '[TWR-A RFI-008] Slab edge' }),
      msg('q', { subject: 'RFI-7 footing depth follow-up', participants: ['new@sub.example'] }),
      msg('r', { subject: 'RFI-008 and RFI-007 together' }),
    ]);
    expect(decisions[2]).toMatchObject({
      threadId: 1,
      bindKeys: [{ kind: 'message-id', value: 'q@x' }],
    });
    expect(rules(decisions[2] as ThreadDecision)).toEqual(['tag']);
    expect(last).toMatchObject({ threadId: 2, mergeThreadIds: [] });
    expect(rules(last)).toEqual(['tag', 'tag-ignored']);
    expect(store.groups()).toEqual([
      ['n7', 'q'],
      ['n8', 'r'],
    ]);
  });
});

describe('decideThread: the cautious subject match', () => {
  const root = msg('a', { subject: 'Concrete pour sequence', date: day(0) });
  const otherTeam = ['someone@else.example'];

  it.each([
    { name: 'reply prefix, shared participant, recent', m: {}, thread: 1 },
    {
      name: 'one shared participant is enough',
      m: { participants: ['gc@build.example', 'new@x.example'] },
      thread: 1,
    },
    {
      name: 'participants compared case-insensitively',
      m: { participants: ['GC@Build.Example'] },
      thread: 1,
    },
    {
      name: 'foreign prefixes count',
      m: { subject: 'AW: [EXTERNAL] Concrete  pour sequence' },
      thread: 1,
    },
    {
      name: 'unmatched references count as a reply',
      m: { subject: 'Concrete pour sequence', references: ['lost'] },
      thread: 1,
    },
    { name: 'within the 30-day window', m: { date: day(29) }, thread: 1 },
    { name: 'no reply prefix', m: { subject: 'Concrete pour sequence' }, thread: null },
    {
      name: 'a forward is not a reply',
      m: { subject: 'Fwd: Concrete pour sequence' },
      thread: null,
    },
    { name: 'strangers', m: { participants: otherTeam }, thread: null },
    { name: 'no participants at all', m: { participants: [] }, thread: null },
    { name: 'thread too old', m: { date: day(31) }, thread: null },
    { name: 'different subject', m: { subject: 'Re: Concrete pour' }, thread: null },
  ])('$name → $thread', async ({ m, thread }) => {
    const { last } = await fileAll([
      root,
      msg('r', { subject: 'Re: Concrete pour sequence', date: day(2), ...m }),
    ]);
    expect(last.threadId).toBe(thread);
    expect(rules(last)).toEqual([thread === null ? 'new-thread' : 'subject']);
  });

  it.each(['Question', 'FYI', 'Hi', 'update', 'ok'])(
    'generic subject %j never matches',
    async (subject) => {
      const { last } = await fileAll([
        msg('a', { subject }),
        msg('r', { subject: `Re: ${subject}` }),
      ]);
      expect(last.threadId).toBeNull();
      expect(last.reasons[0]?.detail).toContain('too generic');
    },
  );

  it('re-checks what a store returns: stale or differently-subjected candidates are refused', async () => {
    const sloppy: ThreadStore = {
      threadsForKeys: () => Promise.resolve(new Map()),
      hasMessageInThread: () => Promise.resolve(false),
      recentThreadsBySubject: () =>
        Promise.resolve([
          {
            threadId: 4,
            normalizedSubject: 'concrete pour sequence',
            lastMessageAt: day(-40),
            participants: TEAM,
          },
          { threadId: 5, normalizedSubject: 'other', lastMessageAt: day(0), participants: TEAM },
        ]),
    };
    const decision = await decideThread(
      msg('r', { subject: 'Re: Concrete pour sequence' }),
      sloppy,
    );
    expect(decision.threadId).toBeNull();
  });

  it('honours subjectWindowDays', async () => {
    const messages = [root, msg('r', { subject: 'Re: Concrete pour sequence', date: day(8) })];
    expect((await fileAll(messages, { subjectWindowDays: 7 })).last.threadId).toBeNull();
    expect((await fileAll(messages, { subjectWindowDays: 10 })).last.threadId).toBe(1);
  });

  it('several candidates: the most recently active wins, and the reason says why', async () => {
    const { last } = await fileAll([
      root,
      msg('b', { subject: 'Concrete pour sequence', date: day(5) }),
      msg('c', { subject: 'Concrete pour sequence', date: day(3) }),
      msg('r', {
        subject: 'RE: Concrete pour sequence',
        date: day(7),
        participants: ['arch@design.example'],
      }),
    ]);
    // threads 1, 2 and 3 were last active on days 0, 5 and 3
    expect(last.threadId).toBe(2);
    expect(last.reasons).toEqual([
      {
        rule: 'subject',
        detail: `same subject "concrete pour sequence" as thread 2 (last message ${day(5).toISOString()}), shared participants: arch@design.example`,
      },
    ]);
  });
});
