/**
 * The threading rules' view of one project while a batch of its messages is filed in one
 * transaction: what the database held when the batch began (read in a few set-based queries
 * instead of three per message), with the batch's own decisions laid over it in memory. Each
 * message is decided exactly as if the ones before it in the batch had been filed one by one:
 * their new threads, bound keys, merges and summary changes are visible to it.
 *
 * New threads get provisional ids above any real one, in creation order, so the rules' "the
 * oldest thread survives a merge" compares them as it would compare the real ids they get later.
 */
import type { ThreadCandidate, ThreadDecision, ThreadStore } from '../mail/threading.js';

/** Provisional thread ids: 16 digits, above any id a real thread will reach. */
export const PROVISIONAL_THREAD_BASE = 9_007_199_254_000_000;

interface OverlayThread {
  normalizedSubject: string;
  lastMessageAt: Date;
  participants: Set<string>;
}

export interface BatchThreadSeed {
  /** Keys bound in the database (`kind:value` → thread), for every key the batch names. */
  keys: Map<string, number>;
  /**
   * The unmerged threads those keys name, and recent ones with the subjects the batch may match
   * on: every existing thread the batch can join.
   */
  threads: ThreadCandidate[];
  /** Asks the database whether a message with this id is filed in one of these threads. */
  hasMessageInThreads: (threadIds: number[], messageId: string) => Promise<boolean>;
}

export interface AppliedDecision {
  threadId: number;
  /** The thread was created by this message (provisional id). */
  created: boolean;
  /** Keys this message bound (`kind:value`), to the thread it joined. */
  boundKeys: string[];
}

export class BatchThreadStore implements ThreadStore {
  readonly #keys = new Map<string, number>();
  readonly #mergedInto = new Map<number, number>();
  readonly #threads = new Map<number, OverlayThread>();
  readonly #messages: { threadId: number; messageId: string | null }[] = [];
  readonly #askDatabase: BatchThreadSeed['hasMessageInThreads'];
  #nextProvisional = PROVISIONAL_THREAD_BASE;

  constructor(seed: BatchThreadSeed) {
    for (const [key, threadId] of seed.keys) this.#keys.set(key, threadId);
    for (const candidate of seed.threads) {
      this.#threads.set(candidate.threadId, {
        normalizedSubject: candidate.normalizedSubject,
        lastMessageAt: candidate.lastMessageAt,
        participants: new Set(candidate.participants),
      });
    }
    this.#askDatabase = seed.hasMessageInThreads;
  }

  threadsForKeys(keys: string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    for (const key of keys) {
      const threadId = this.#keys.get(key);
      if (threadId !== undefined) found.set(key, this.resolve(threadId));
    }
    return Promise.resolve(found);
  }

  async hasMessageInThread(threadId: number, messageId: string): Promise<boolean> {
    const target = this.resolve(threadId);
    if (this.#messages.some((m) => m.threadId === target && m.messageId === messageId)) return true;
    // Merges reach the database when the batch is written: the messages of a thread merged into
    // this one are still under their own thread there.
    const stored = [target, ...this.#mergedInto.keys()].filter(
      (id) => id < PROVISIONAL_THREAD_BASE && this.resolve(id) === target,
    );
    return stored.length > 0 && this.#askDatabase(stored, messageId);
  }

  recentThreadsBySubject(normalizedSubject: string, since: Date): Promise<ThreadCandidate[]> {
    const candidates: ThreadCandidate[] = [];
    for (const [threadId, thread] of this.#threads) {
      if (this.#mergedInto.has(threadId)) continue;
      if (thread.normalizedSubject !== normalizedSubject || thread.lastMessageAt < since) continue;
      candidates.push({
        threadId,
        normalizedSubject,
        lastMessageAt: thread.lastMessageAt,
        participants: [...thread.participants].sort(),
      });
    }
    return Promise.resolve(candidates);
  }

  /**
   * Records one message's decision as filing would: a new thread for a null decision, merged
   * threads folded into the chosen one, keys bound where not bound yet, the summary advanced.
   */
  apply(
    decision: ThreadDecision,
    message: { messageId: string | null; participants: string[]; at: Date },
  ): AppliedDecision {
    const created = decision.threadId === null;
    const threadId = decision.threadId ?? this.#nextProvisional++;
    if (created) {
      this.#threads.set(threadId, {
        normalizedSubject: decision.normalizedSubject,
        lastMessageAt: message.at,
        participants: new Set(),
      });
    }
    for (const merged of decision.mergeThreadIds) {
      if (merged !== threadId) this.#mergedInto.set(merged, threadId);
    }
    const boundKeys: string[] = [];
    for (const key of decision.bindKeys) {
      const keyString = `${key.kind}:${key.value}`;
      if (this.#keys.has(keyString)) continue;
      this.#keys.set(keyString, threadId);
      boundKeys.push(keyString);
    }
    const thread = this.#threads.get(threadId);
    if (thread) {
      for (const merged of decision.mergeThreadIds) {
        const other = this.#threads.get(merged);
        if (!other || merged === threadId) continue;
        for (const p of other.participants) thread.participants.add(p);
        if (other.lastMessageAt > thread.lastMessageAt) thread.lastMessageAt = other.lastMessageAt;
      }
      for (const p of message.participants) thread.participants.add(p);
      if (message.at > thread.lastMessageAt) thread.lastMessageAt = message.at;
    }
    for (const m of this.#messages) m.threadId = this.resolve(m.threadId);
    this.#messages.push({ threadId, messageId: message.messageId });
    return { threadId, created, boundKeys };
  }

  /** Where a thread's messages are now, after the merges so far. */
  resolve(threadId: number): number {
    let current = threadId;
    for (let next = this.#mergedInto.get(current); next !== undefined;) {
      current = next;
      next = this.#mergedInto.get(current);
    }
    return current;
  }
}
