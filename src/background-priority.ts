import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** How much lower than the SMTP loop background threads run, in nice steps (19 is the lowest). */
const BACKGROUND_NICE_STEPS = 10;
const LOWEST_PRIORITY = 19;

/**
 * Lowers the calling worker thread's scheduling priority, so that on a busy machine the event
 * loop answering SMTP gets the processor first and parsing or text extraction takes what is left
 * (a burst of mail is accepted at full speed and filed right behind it). Linux gives each thread
 * its own nice value: the thread's id is read from /proc/thread-self. Elsewhere, or without the
 * right to change it, the thread keeps its priority.
 */
export function lowerThreadPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return;
    setPriority(tid, Math.min(getPriority(tid) + BACKGROUND_NICE_STEPS, LOWEST_PRIORITY));
  } catch {
    // Not Linux, or not allowed: a missed optimisation, nothing more.
  }
}
