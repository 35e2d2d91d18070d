import { holderLabel } from '../dashboard/overdue-by-holder.js';
import type { ReminderLine, ReminderProject } from './reminder-model.js';
import type { WeeklyFigures } from './weekly-figures.js';

/** How many overdue items a weekly summary lists per project; the rest are counted. */
export const WEEKLY_OLDEST = 10;

export interface WeeklyOverdueItem {
  number: string;
  title: string;
  /** Who holds the ball, by name where the project knows it. */
  holders: string[];
  daysOverdue: number;
  link: string;
}

/** One project's part of a weekly summary: the mail and the PDF both draw it. */
export interface WeeklyProjectSummary {
  code: string;
  name: string;
  /** The project's dashboard. */
  link: string;
  counts: {
    openSubmittals: number;
    overdueSubmittals: number;
    openItems: number;
    transmittalsAwaitingAck: number;
    messagesLastWeek: number;
  };
  /** The dashboard's "Overdue by ball in court" bars. */
  overdueByHolder: { label: string; value: number }[];
  /** The oldest overdue items, at most {@link WEEKLY_OLDEST}. */
  oldest: WeeklyOverdueItem[];
  /** Overdue items not listed. */
  moreOverdue: number;
}

/**
 * Puts one project's overdue lines and figures together. A record waiting on several people (a
 * review step with two reviewers) is one item naming them all, so the list counts records, not
 * people.
 */
export function summariseProject(
  baseUrl: string,
  project: ReminderProject,
  lines: readonly ReminderLine[],
  figures: WeeklyFigures | undefined,
): WeeklyProjectSummary {
  const link = `${baseUrl}/p/${encodeURIComponent(project.code)}`;
  const names = figures?.names ?? new Map<string, string>();
  const items = new Map<string, WeeklyOverdueItem>();
  for (const { obligation: o, daysOverdue } of lines) {
    const key = `${o.recordType} ${o.recordId} ${o.revision} ${o.step}`;
    const holder = names.get(o.holder) ?? o.holder;
    const item = items.get(key);
    if (item) {
      if (!item.holders.includes(holder)) item.holders.push(holder);
      item.daysOverdue = Math.max(item.daysOverdue, daysOverdue);
      continue;
    }
    items.set(key, {
      number: o.number,
      title: o.title,
      holders: [holder],
      daysOverdue,
      link: o.threadId === null ? link : `${link}/threads/${o.threadId}`,
    });
  }
  const all = [...items.values()];
  const counts = figures?.counts;
  return {
    code: project.code,
    name: project.name,
    link,
    counts: {
      openSubmittals: counts?.openSubmittals ?? 0,
      overdueSubmittals: counts?.overdueSubmittals ?? 0,
      openItems: counts?.openItems ?? 0,
      transmittalsAwaitingAck: counts?.transmittalsAwaitingAck ?? 0,
      messagesLastWeek: figures?.messagesLastWeek ?? 0,
    },
    overdueByHolder: (figures?.overdueHolders ?? []).map((h) => ({
      label: holderLabel(h),
      value: h.total,
    })),
    oldest: all.slice(0, WEEKLY_OLDEST),
    moreOverdue: Math.max(0, all.length - WEEKLY_OLDEST),
  };
}
