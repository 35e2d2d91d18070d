import type { AttachmentMatch, HeadlinePart } from '../../attachment-text/attachment-matches.js';

/** A headline from a document's text, the words found marked (text escaped like any other). */
export function Headline(props: { parts: readonly HeadlinePart[] }) {
  return (
    <q class="headline">
      {props.parts.map((part) => (part.match ? <mark>{part.text}</mark> : part.text))}
    </q>
  );
}

/** "Found in S-101.pdf: “…the podium slab…”", for each attachment a search matched. */
export function AttachmentMatches(props: {
  matches: readonly AttachmentMatch[];
  href: (attachmentId: number) => string;
}) {
  if (props.matches.length === 0) return null;
  return (
    <ul class="attachment-matches">
      {props.matches.map((match) => (
        <li>
          Found in{' '}
          <a href={props.href(match.attachmentId)} download>
            {match.filename ?? `attachment ${match.attachmentId}`}
          </a>
          {match.headline.length > 0 ? (
            <>
              : <Headline parts={match.headline} />
            </>
          ) : (
            ' (its name)'
          )}
        </li>
      ))}
    </ul>
  );
}
