import type { Db, Project } from '../db/database.js';
import { DocketError } from '../errors.js';

export interface ReminderSettings {
  /** Local 'HH:MM' the daily digest and escalations go out. */
  digestTime?: string;
  /** Working days overdue before the project's managers are told. */
  escalateAfterDays?: number;
  /** Working days overdue before administrators are told. */
  escalateAdminAfterDays?: number;
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Changes a project's reminder time and escalation thresholds, refusing impossible values. */
export async function updateReminderSettings(
  db: Db,
  projectId: number,
  settings: ReminderSettings,
): Promise<Project> {
  const digestTime = settings.digestTime?.trim().replace(/^(\d):/, '0$1:');
  if (digestTime !== undefined && !TIME.test(digestTime)) {
    throw new DocketError('invalid_input', `digest time "${settings.digestTime}" is not HH:MM`);
  }
  for (const [name, value] of [
    ['escalation threshold', settings.escalateAfterDays],
    ['administrator escalation threshold', settings.escalateAdminAfterDays],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > 1000)) {
      throw new DocketError('invalid_input', `${name} must be a whole number of working days ≥ 1`);
    }
  }
  return db
    .updateTable('projects')
    .set({
      ...(digestTime !== undefined ? { digest_time: digestTime } : {}),
      ...(settings.escalateAfterDays !== undefined
        ? { escalate_after_days: settings.escalateAfterDays }
        : {}),
      ...(settings.escalateAdminAfterDays !== undefined
        ? { escalate_admin_after_days: settings.escalateAdminAfterDays }
        : {}),
    })
    .where('id', '=', projectId)
    .returningAll()
    .executeTakeFirstOrThrow();
}
