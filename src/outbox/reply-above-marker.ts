/**
 * The first line of every notification; replies are read from above it. A module of its own so
 * that parsing (in worker threads) need not load the whole outbox.
 */
export const REPLY_ABOVE_MARKER = '##- Please type your reply above this line -##';
