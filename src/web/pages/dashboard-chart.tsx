import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';

export interface ChartFigureProps {
  /** Unique on the page: names the heading, and the figure by it. */
  id: string;
  heading: string;
  /** The chart's SVG document, already escaped by its renderer; null draws the empty state. */
  svg: string | null;
  emptyMessage: string;
  /** Where the chart can be fetched alone (image/svg+xml), if it has its own address. */
  imageHref?: string;
  /** The same numbers as a table, for screen readers and anyone who prefers them. */
  table: { caption: string; columns: string[]; rows: (string | number)[][] };
  children?: Child;
}

/**
 * One dashboard chart: heading, inline SVG (named by its own title and description), and the
 * numbers behind it as a table in a <details>, which opens without JavaScript. With no data the
 * figure says so in words instead of drawing an empty frame.
 */
export function ChartFigure(props: ChartFigureProps) {
  const headingId = `${props.id}-heading`;
  return (
    <section class="chart-card" aria-labelledby={headingId}>
      <h2 id={headingId}>{props.heading}</h2>
      {props.svg === null ? (
        <p class="empty chart-empty">{props.emptyMessage}</p>
      ) : (
        <>
          <div class="chart-frame" role="region" aria-label={props.heading} tabindex={0}>
            {raw(props.svg)}
          </div>
          <details class="chart-data">
            <summary>Show the numbers</summary>
            <div class="table-scroll" role="region" aria-label={props.table.caption} tabindex={0}>
              <table class="chart-table">
                <caption>{props.table.caption}</caption>
                <thead>
                  <tr>
                    {props.table.columns.map((column) => (
                      <th scope="col">{column}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {props.table.rows.map((row) => (
                    <tr>
                      {row.map((cell, i) =>
                        i === 0 ? <th scope="row">{cell}</th> : <td class="num">{cell}</td>,
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
      {props.children}
      {props.imageHref && props.svg !== null ? (
        <p class="chart-link">
          <a href={props.imageHref}>Open this chart as an image (SVG)</a>
        </p>
      ) : null}
    </section>
  );
}
