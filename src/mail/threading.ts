/**
 * The incremental threading decision: which existing thread (if any) a new message joins.
 *
 * JWZ / RFC 5256 REFERENCES semantics, adapted to a store of thread keys instead of an in-memory
 * message table. Rules, strongest first; a weaker rule is consulted only when the stronger ones
 * found nothing, so weak evidence never overrides or merges what headers proved:
 *   (a) Message-ID keys: the ids in References (or, only when References holds none, the first
 *       In-Reply-To id), then the message's own id (a reply may have arrived first and bound it);
 *   (b) Outlook's Thread-Index conversation root;
 *   (c) Docket record tags in the subject;
 *   (d) a cautious normalised-subject match (see `matchBySubject`).
 * Only references can merge threads. Every rule that fired is returned as a readable reason.
 */
import { selectReferences, type IgnoredWhy } from './message-id.js';
import { isGenericSubject, normalizeSubject, type NormalizedSubject } from './subject.js';
import { subjectTags } from './subject-tags.js';
import { threadIndexRoot } from './thread-index.js';

export type ThreadKeyKind = 'message-id' | 'thread-index' | 'tag';
export interface ThreadKey {
  kind: ThreadKeyKind;
  value: string;
}

/**
 * One step of a filing decision. Rules: `references`, `in-reply-to`, `message-id`,
 * `conflicting-references`, `duplicate-message-id`, `self-reference`, `in-reply-to-ignored`,
 * `thread-index`, `thread-index-ignored`, `tag`, `tag-ignored`, `subject`, `new-thread`.
 */
export interface FilingReason {
  rule: string;
  detail: string;
}

export interface ThreadCandidate {
  threadId: number;
  normalizedSubject: string;
  lastMessageAt: Date;
  participants: string[];
}

export interface ThreadStore {
  /** The thread each of these keys is bound to, if any (keys not found are absent). Key string is `${kind}:${value}`. */
  threadsForKeys(keys: string[]): Promise<Map<string, number>>;
  /** Threads in the same project with this normalised subject whose last message is at or after `since`. */
  recentThreadsBySubject(normalizedSubject: string, since: Date): Promise<ThreadCandidate[]>;
  /** Whether a message with this Message-ID is filed in the thread (else the key is a ghost). */
  hasMessageInThread(threadId: number, messageId: string): Promise<boolean>;
}

export interface ThreadingInput {
  messageId: string | null;
  inReplyTo: string[];
  references: string[];
  /** Raw Thread-Index header. */
  threadIndex: string | null;
  subject: string;
  /** Lowercased from/to/cc addresses of this message, minus the project's own inbox addresses. */
  participants: string[];
  /** When the message was sent (or received). */
  date: Date;
}

export interface ThreadDecision {
  /** null → start a new thread. */
  threadId: number | null;
  /** Other existing threads this message proves are the same conversation; the caller merges them into threadId. */
  mergeThreadIds: number[];
  /**
   * Keys not bound to any thread yet, to bind to the chosen or new thread (insert, never
   * re-point: keys of merged threads move with the merge, and a key bound elsewhere that was
   * deliberately not merged must stay). Includes referenced ids of messages we have not seen
   * (ghost parents), so the parent joins this thread when it arrives.
   */
  bindKeys: ThreadKey[];
  /** The id this message replies to (last of References, else the first usable In-Reply-To); never itself. */
  parentMessageId: string | null;
  normalizedSubject: string;
  /** Every rule that fired, in order, readable by a person ("why was this filed here"). */
  reasons: FilingReason[];
}

export interface ThreadingOptions {
  /** How recent a thread's last message must be for a subject match. Default 30. */
  subjectWindowDays?: number;
}

/** The stored form of a key: `${kind}:${value}`. */
export function threadKeyString(key: ThreadKey): string {
  return `${key.kind}:${key.value}`;
}

/**
 * Decide the thread for one incoming message of a project. Pure apart from the two store reads;
 * the caller applies the decision (create thread, merge, bind keys) in its transaction.
 * Note: `parentMessageId` links can form a cycle across messages (A references B, B references
 * A); a tree view must guard against that.
 */
export async function decideThread(
  input: ThreadingInput,
  store: ThreadStore,
  options: ThreadingOptions = {},
): Promise<ThreadDecision> {
  const refs = selectReferences(input);
  const reasons: FilingReason[] = refs.ignored.map(({ header, id, why }) => ({
    rule: why === 'self' ? 'self-reference' : 'in-reply-to-ignored',
    detail: `${header} <${id}> ${IGNORED_TEXT[why]}`,
  }));
  const subject = normalizeSubject(input.subject);
  const { ownKey, refKeys, rootKey, tagKeys, allKeys } = keysOf(input, refs);
  const bound = await store.threadsForKeys(allKeys.map(threadKeyString));
  const threadOf = (key: ThreadKey | null) => (key ? bound.get(threadKeyString(key)) : undefined);

  // (a) References / In-Reply-To; the latest matching id per thread explains the match best.
  const byThread = new Map<number, string>();
  for (const key of refKeys) {
    const t = threadOf(key);
    if (t !== undefined) byThread.set(t, key.value);
  }
  // A reply that arrived first bound this message's id as a ghost parent: it proved the two are
  // one conversation as surely as References do, so its thread joins (and may merge) too. An id
  // bound by a real message filed earlier is a duplicate Message-ID, which proves nothing.
  const ownThread = threadOf(ownKey);
  const ghostParentThread =
    ownThread !== undefined &&
    byThread.size > 0 &&
    !byThread.has(ownThread) &&
    !(await store.hasMessageInThread(ownThread, refs.ownId!))
      ? ownThread
      : undefined;
  const ids = [
    ...byThread.keys(),
    ...(ghostParentThread === undefined ? [] : [ghostParentThread]),
  ].sort((a, b) => a - b);
  let threadId: number | null = ids[0] ?? null;
  const mergeThreadIds = ids.slice(1);
  for (const [t, id] of [...byThread].sort(([a], [b]) => a - b)) {
    const rule = refs.fromReferences ? 'references' : 'in-reply-to';
    reasons.push({ rule, detail: `replies to <${id}>, which is in thread ${t}` });
  }
  if (ghostParentThread !== undefined) {
    reasons.push({
      rule: 'message-id',
      detail: `this Message-ID <${refs.ownId}> was named by an earlier reply in thread ${ghostParentThread}`,
    });
  }
  if (mergeThreadIds.length > 0) {
    reasons.push({
      rule: 'conflicting-references',
      detail: `references span threads ${ids.join(', ')}, so they are one conversation: threads ${mergeThreadIds.join(', ')} merge into the oldest, thread ${threadId}`,
    });
  }

  /** Weaker evidence picks a thread only when nothing stronger did, and never merges. */
  const consider = (t: number | undefined, rule: string, what: string, ignoredRule: string) => {
    if (t === undefined || t === threadId || mergeThreadIds.includes(t)) return;
    if (threadId === null) {
      threadId = t;
      reasons.push({ rule, detail: `${what} is in thread ${t}` });
    } else {
      reasons.push({
        rule: ignoredRule,
        detail: `${what} is in thread ${t}, but stronger evidence chose thread ${threadId}; left as it is`,
      });
    }
  };
  // The own id is bound either because a reply arrived first and named it (a ghost parent), or
  // because another message already used this id: then the references decide.
  consider(
    threadOf(ownKey),
    'message-id',
    `this Message-ID <${refs.ownId}> (named by an earlier reply, or another copy)`,
    'duplicate-message-id',
  );
  // (b) Outlook conversation root. (c) Record tags: one message may cite several records.
  consider(
    threadOf(rootKey),
    'thread-index',
    'the Outlook Thread-Index conversation',
    'thread-index-ignored',
  );
  for (const key of tagKeys) {
    consider(threadOf(key), 'tag', `subject tag ${key.value}`, 'tag-ignored');
  }

  // (d) Subject, only when nothing above matched.
  if (threadId === null) {
    const match = await matchBySubject(input, subject, refs.referenced.length > 0, store, options);
    threadId = match.threadId;
    reasons.push(match.reason);
  }

  return {
    threadId,
    mergeThreadIds,
    bindKeys: allKeys.filter((key) => threadOf(key) === undefined),
    parentMessageId: refs.parent,
    normalizedSubject: subject.normalized,
    reasons,
  };
}

/** Every key a message's decision looks up, as stored (`kind:value`): to read them in advance. */
export function threadKeysOf(input: ThreadingInput): string[] {
  return keysOf(input, selectReferences(input)).allKeys.map(threadKeyString);
}

function keysOf(input: ThreadingInput, refs: ReturnType<typeof selectReferences>) {
  const root = input.threadIndex === null ? null : threadIndexRoot(input.threadIndex);
  const refKeys = refs.referenced.map((value): ThreadKey => ({ kind: 'message-id', value }));
  const ownKey: ThreadKey | null = refs.ownId ? { kind: 'message-id', value: refs.ownId } : null;
  const rootKey: ThreadKey | null = root ? { kind: 'thread-index', value: root } : null;
  const tagKeys = subjectTags(input.subject).map((value): ThreadKey => ({ kind: 'tag', value }));
  const allKeys = [ownKey, ...refKeys, rootKey, ...tagKeys].filter((k) => k !== null);
  return { ownKey, refKeys, rootKey, tagKeys, allKeys };
}

const IGNORED_TEXT: Record<IgnoredWhy, string> = {
  self: 'is the message itself (a loop); ignored',
  'participant-address': "is a participant's address, not a Message-ID; ignored",
  'not-in-references': 'is not among the References, which take precedence; ignored',
  'not-first': 'is not the first In-Reply-To id; ignored',
};

const DAY_MS = 86_400_000;
/** How far back a subject match looks unless told otherwise. */
export const DEFAULT_SUBJECT_WINDOW_DAYS = 30;

/**
 * The last resort, deliberately narrow because a wrong merge is worse than a split thread: the
 * message must look like a reply (a reply prefix, or references we could not match), its subject
 * must be specific, and a thread with that subject must have had a message within the window and
 * share at least one participant. Several candidates: the most recently active wins.
 */
async function matchBySubject(
  input: ThreadingInput,
  subject: NormalizedSubject,
  hasReferences: boolean,
  store: ThreadStore,
  options: ThreadingOptions,
): Promise<{ threadId: number | null; reason: FilingReason }> {
  const newThread = (why: string) => ({
    threadId: null,
    reason: { rule: 'new-thread', detail: why },
  });
  if (!subject.isReply && !hasReferences) {
    return newThread(
      'no known Message-ID, Thread-Index or tag, and the subject has no reply prefix',
    );
  }
  if (isGenericSubject(subject.normalized)) {
    return newThread(
      `no known Message-ID, Thread-Index or tag, and the subject "${subject.normalized}" is too generic to match`,
    );
  }
  const days = options.subjectWindowDays ?? DEFAULT_SUBJECT_WINDOW_DAYS;
  const since = new Date(input.date.getTime() - days * DAY_MS);
  const ours = new Set(input.participants.map((p) => p.toLowerCase()));
  const candidates = (await store.recentThreadsBySubject(subject.normalized, since))
    .filter((c) => c.normalizedSubject === subject.normalized && c.lastMessageAt >= since)
    .map((c) => ({ ...c, shared: c.participants.filter((p) => ours.has(p.toLowerCase())) }))
    .filter((c) => c.shared.length > 0)
    .sort(
      (a, b) => b.lastMessageAt.getTime() - a.lastMessageAt.getTime() || a.threadId - b.threadId,
    );
  const best = candidates[0];
  if (!best) {
    return newThread(
      `no thread with subject "${subject.normalized}" and a shared participant in the last ${days} days`,
    );
  }
  return {
    threadId: best.threadId,
    reason: {
      rule: 'subject',
      detail: `same subject "${subject.normalized}" as thread ${best.threadId} (last message ${best.lastMessageAt.toISOString()}), shared participants: ${best.shared.join(', ')}`,
    },
  };
}
