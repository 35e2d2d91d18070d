import { DateTime } from 'luxon';

/** A moment as the project reads it, in its own zone, with the exact instant for machines. */
export function When(props: { at: Date | null; zone: string; dateOnly?: boolean }) {
  if (!props.at) return <span class="muted">—</span>;
  const local = DateTime.fromJSDate(props.at, { zone: props.zone });
  return (
    <time datetime={props.at.toISOString()}>
      {local.toFormat(props.dateOnly ? 'yyyy-LL-dd' : 'yyyy-LL-dd HH:mm')}
    </time>
  );
}

/** A person by name when we have one, the address on hover (and in full when there is no name). */
export function Person(props: { address: string; name?: string | null }) {
  return props.name ? <span title={props.address}>{props.name}</span> : <>{props.address}</>;
}

/** The path of a project's page: `/p/twr-a/transmittals`. */
export function projectPath(code: string, rest = ''): string {
  return `/p/${encodeURIComponent(code)}${rest}`;
}

/** A file size as people read it: `3.0 KB`. Binary units, like the thread view. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
