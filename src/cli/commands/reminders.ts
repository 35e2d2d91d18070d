import { getProjectByCode } from '../../projects/project.repository.js';
import {
  pauseMemberReminders,
  PAUSED_INDEFINITELY,
  resumeMemberReminders,
} from '../../reminders/member-pause.js';
import {
  updateReminderSettings,
  type ReminderSettings,
} from '../../reminders/reminder-settings.js';
import type { CommandContext } from './context.js';

/** `docket member pause <code> <email> [--until date]`. */
export async function memberPause(
  ctx: CommandContext,
  input: { code: string; email: string; until?: string },
): Promise<void> {
  const project = await getProjectByCode(ctx.db, input.code);
  const paused = await pauseMemberReminders(ctx.db, {
    projectId: project.id,
    email: input.email,
    until: input.until ?? null,
  });
  ctx.io.out(
    paused.until === PAUSED_INDEFINITELY
      ? `Reminders to ${paused.email} in ${project.code} are paused until resumed.`
      : `Reminders to ${paused.email} in ${project.code} are paused through ${paused.until}.`,
  );
}

/** `docket member resume <code> <email>`. */
export async function memberResume(
  ctx: CommandContext,
  input: { code: string; email: string },
): Promise<void> {
  const project = await getProjectByCode(ctx.db, input.code);
  const { email } = await resumeMemberReminders(ctx.db, {
    projectId: project.id,
    email: input.email,
  });
  ctx.io.out(`Reminders to ${email} in ${project.code} resume from the next run.`);
}

/** `docket project reminders <code> [--digest-time HH:MM] [--escalate-after n] [--escalate-admin-after n]`. */
export async function projectReminders(
  ctx: CommandContext,
  input: ReminderSettings & { code: string },
): Promise<void> {
  const { code, ...settings } = input;
  const found = await getProjectByCode(ctx.db, code);
  const project = await updateReminderSettings(ctx.db, found.id, settings);
  ctx.io.out(
    `${project.code}: digest and escalations at ${project.digest_time} ${project.timezone} on working days; managers told after ${project.escalate_after_days}, administrators after ${project.escalate_admin_after_days} working days overdue`,
  );
}
