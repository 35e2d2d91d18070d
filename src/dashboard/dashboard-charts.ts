import { renderBarChart } from '../charts/bar-chart.js';
import { renderLineChart } from '../charts/line-chart.js';
import { holderLabel, type OverdueHolder } from './overdue-by-holder.js';
import type { TurnaroundPeriod } from './review-turnaround.js';
import type { SubmittalState } from './submittal-states.js';

/**
 * The dashboard's three charts as standalone SVG documents, from the dashboard's plain data. The
 * web page inlines them, the chart addresses serve them, and mail may attach them.
 */

export function submittalStatesChart(states: readonly SubmittalState[], idPrefix = 'states') {
  const open = states.filter((s) => s.open).reduce((n, s) => n + s.count, 0);
  return renderBarChart({
    idPrefix,
    title: 'Submittals by status and decision',
    description:
      `Number of submittals in each status and decision; ${open} open ` +
      `(in review, draft, or returned to the submitter), listed first.`,
    bars: states.map((s) => ({ label: s.label, value: s.count })),
    valueLabel: 'Submittals',
    emptyMessage: 'No submittals yet',
  });
}

export function overdueChart(holders: readonly OverdueHolder[], idPrefix = 'overdue') {
  return renderBarChart({
    idPrefix,
    title: 'Overdue by ball in court',
    description:
      'For each person holding the ball on overdue work: submittal review steps past their due ' +
      'date, plus open RFIs and items past their due date, plus transmittals they have not ' +
      'acknowledged by the acknowledgement date.',
    bars: holders.map((h) => ({ label: holderLabel(h), value: h.total })),
    valueLabel: 'Overdue steps, items and acknowledgements held',
    emptyMessage: 'Nothing is overdue',
  });
}

export function turnaroundChart(periods: readonly TurnaroundPeriod[], idPrefix = 'turnaround') {
  const first = periods[0]?.label ?? '';
  const last = periods[periods.length - 1]?.label ?? '';
  return renderLineChart({
    idPrefix,
    title: 'Review turnaround over time',
    description:
      `Median project working days (weekdays minus project holidays) from receipt of a ` +
      `submittal revision to its review decision, by month of decision, ${first} to ${last}. ` +
      `Months without a decision have no point.`,
    points: periods.map((p, i) => ({ label: axisLabel(p, i), value: p.medianWorkingDays })),
    valueLabel: 'Median working days',
    periodLabel: `Month of decision (${first} – ${last})`,
    emptyMessage: 'No review decisions in the last 12 months',
  });
}

/** "Mar" under most months; the year too where it begins and where the chart does. */
function axisLabel(period: TurnaroundPeriod, index: number): string {
  const month = period.label.slice(0, 3);
  return index === 0 || period.month.endsWith('-01')
    ? `${month} ’${period.month.slice(2, 4)}`
    : month;
}
