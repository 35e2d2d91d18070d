import pino from 'pino';
import { PinoPretty } from 'pino-pretty';
import type { LogFormat } from './config.js';

/** The fixed set of log categories; every line carries one so operators can filter by it. */
export type LogCategory =
  'smtp' | 'ingest' | 'texts' | 'outbox' | 'http' | 'db' | 'jobs' | 'cli' | 'service';

export type Logger = pino.Logger;

/**
 * A logger writing JSON lines to `destination` (standard output by default), or, in the `pretty`
 * format, one readable line per entry, `[12:04:05.123] INFO: [service] docket is running
 * {"smtp":"0.0.0.0:2525",…}`, coloured when the terminal takes colour (`NO_COLOR` turns it off).
 * Pretty lines are written synchronously in this thread rather than by a transport's worker, so
 * the last line before an exit is never lost; a terminal reads them faster than Docket writes.
 */
export function createLogger(
  level: string,
  destination?: pino.DestinationStream,
  format: LogFormat = 'json',
): Logger {
  if (format === 'pretty') {
    const pretty = PinoPretty({
      sync: true,
      singleLine: true,
      translateTime: 'SYS:HH:MM:ss.l',
      messageFormat: '{if category}[{category}] {end}{msg}',
      ignore: 'category',
      ...(destination ? { destination } : {}),
    });
    return pino({ level, base: undefined }, pretty);
  }
  return pino({ level, base: undefined }, destination);
}

export function categoryLogger(root: Logger, category: LogCategory): Logger {
  return root.child({ category });
}
