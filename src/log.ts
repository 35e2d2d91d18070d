import pino from 'pino';

/** The fixed set of log categories; every line carries one so operators can filter by it. */
export type LogCategory =
  'smtp' | 'ingest' | 'texts' | 'outbox' | 'http' | 'db' | 'jobs' | 'cli' | 'service';

export type Logger = pino.Logger;

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: undefined }, destination);
}

export function categoryLogger(root: Logger, category: LogCategory): Logger {
  return root.child({ category });
}
