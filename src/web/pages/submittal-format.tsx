import { DateTime } from 'luxon';

/** A day or moment in the project's zone, with the exact instant for machines; an em dash if none. */
export function SubmittalWhen(props: { at: Date | null; zone: string; dateOnly?: boolean }) {
  if (!props.at) return <span class="muted">—</span>;
  const local = DateTime.fromJSDate(props.at, { zone: props.zone });
  return (
    <time datetime={props.at.toISOString()}>
      {local.toFormat(props.dateOnly ? 'yyyy-LL-dd' : 'yyyy-LL-dd HH:mm')}
    </time>
  );
}

/** Text, or a muted em dash where nothing is recorded. */
export function OrDash(props: { text: string | null | undefined }) {
  return props.text ? <>{props.text}</> : <span class="muted">—</span>;
}

/** A decision as a badge people can tell apart without colour: the words are always there. */
export function DecisionBadge(props: { decision: string | null }) {
  if (!props.decision) return <span class="muted">—</span>;
  const kind = props.decision.toLowerCase().replace(/[^a-z]+/g, '-');
  return <span class={`badge decision decision-${kind}`}>{props.decision}</span>;
}

/** `/p/twr-a/submittals/03-30-00-007`, plus `rest`. */
export function submittalPath(code: string, slug: string, rest = ''): string {
  return `/p/${encodeURIComponent(code)}/submittals/${slug}${rest}`;
}
