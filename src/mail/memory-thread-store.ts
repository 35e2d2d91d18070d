/**
 * A `ThreadStore` held in memory, for tests and for replaying a mailbox without a database. It
 * applies decisions the way the database does: a new thread per null decision, merged threads
 * fold into the chosen one (keys, messages, subjects and participants move), and keys are only
 * ever inserted, never re-pointed.
 */
import { normalizeMessageId } from './message-id.js';
import {
  threadKeyString,
  type ThreadCandidate,
  type ThreadDecision,
  type ThreadingInput,
  type ThreadStore,
} from './threading.js';

interface MemoryThread {
  subjects: Set<string>;
  participants: Set<string>;
  lastMessageAt: Date;
}

export class MemoryThreadStore implements ThreadStore {
  readonly #keys = new Map<string, number>();
  readonly #threads = new Map<number, MemoryThread>();
  readonly #messages: { label: string; threadId: number; messageId: string | null }[] = [];
  #nextThreadId = 1;

  threadsForKeys(keys: string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    for (const key of keys) {
      const threadId = this.#keys.get(key);
      if (threadId !== undefined) found.set(key, threadId);
    }
    return Promise.resolve(found);
  }

  hasMessageInThread(threadId: number, messageId: string): Promise<boolean> {
    return Promise.resolve(
      this.#messages.some((m) => m.threadId === threadId && m.messageId === messageId),
    );
  }

  recentThreadsBySubject(normalizedSubject: string, since: Date): Promise<ThreadCandidate[]> {
    const candidates: ThreadCandidate[] = [];
    for (const [threadId, thread] of this.#threads) {
      if (!thread.subjects.has(normalizedSubject) || thread.lastMessageAt < since) continue;
      candidates.push({
        threadId,
        normalizedSubject,
        lastMessageAt: thread.lastMessageAt,
        participants: [...thread.participants],
      });
    }
    return Promise.resolve(candidates);
  }

  /**
   * Files one message by its decision and returns its thread id. `label` names the message for
   * `threadOf` and `groups`; it defaults to the Message-ID, else `#<arrival index>`.
   */
  apply(
    decision: ThreadDecision,
    message: Pick<ThreadingInput, 'messageId' | 'participants' | 'date'>,
    label: string = message.messageId ?? `#${this.#messages.length}`,
  ): number {
    const threadId = decision.threadId ?? this.#nextThreadId++;
    const thread = this.#threads.get(threadId) ?? {
      subjects: new Set<string>(),
      participants: new Set<string>(),
      lastMessageAt: message.date,
    };
    this.#threads.set(threadId, thread);

    for (const mergedId of decision.mergeThreadIds) this.#merge(mergedId, threadId, thread);
    for (const key of decision.bindKeys) {
      const keyString = threadKeyString(key);
      if (!this.#keys.has(keyString)) this.#keys.set(keyString, threadId);
    }
    thread.subjects.add(decision.normalizedSubject);
    for (const p of message.participants) thread.participants.add(p);
    if (message.date > thread.lastMessageAt) thread.lastMessageAt = message.date;
    this.#messages.push({
      label,
      threadId,
      messageId: message.messageId === null ? null : normalizeMessageId(message.messageId),
    });
    return threadId;
  }

  /** The thread a message is in now (after any later merges), by its label. */
  threadOf(label: string): number | undefined {
    return this.#messages.find((m) => m.label === label)?.threadId;
  }

  /** Message labels grouped by thread, threads by id, messages in arrival order. */
  groups(): string[][] {
    const byThread = new Map<number, string[]>();
    for (const m of this.#messages)
      byThread.set(m.threadId, [...(byThread.get(m.threadId) ?? []), m.label]);
    return [...byThread].sort(([a], [b]) => a - b).map(([, labels]) => labels);
  }

  /** How many threads exist (merged ones no longer count). */
  get threadCount(): number {
    return this.#threads.size;
  }

  #merge(mergedId: number, intoId: number, into: MemoryThread): void {
    const merged = this.#threads.get(mergedId);
    if (!merged || mergedId === intoId) return;
    for (const [key, threadId] of this.#keys)
      if (threadId === mergedId) this.#keys.set(key, intoId);
    for (const m of this.#messages) if (m.threadId === mergedId) m.threadId = intoId;
    for (const s of merged.subjects) into.subjects.add(s);
    for (const p of merged.participants) into.participants.add(p);
    if (merged.lastMessageAt > into.lastMessageAt) into.lastMessageAt = merged.lastMessageAt;
    this.#threads.delete(mergedId);
  }
}
