import { parseWeekdays, updateProjectSettings } from '../../projects/project-settings.js';
import type { CommandContext } from './context.js';

export interface ProjectSetInput {
  code: string;
  name?: string;
  timezone?: string;
  senderPolicy?: 'anyone' | 'members';
  workingDays?: string;
  holidays?: string;
  reviewDays?: number;
  rfiDays?: number;
  ackDays?: number;
  requireDmarc?: boolean;
  rfiManager?: string;
  alias?: string[];
}

export async function projectSet(ctx: CommandContext, input: ProjectSetInput): Promise<void> {
  const project = await updateProjectSettings(ctx.db, input.code, {
    ...(input.name ? { name: input.name } : {}),
    ...(input.timezone ? { timezone: input.timezone } : {}),
    ...(input.senderPolicy ? { senderPolicy: input.senderPolicy } : {}),
    ...(input.workingDays ? { workingWeekdays: parseWeekdays(input.workingDays) } : {}),
    ...(input.holidays !== undefined
      ? {
          holidays: input.holidays
            .split(',')
            .map((d) => d.trim())
            .filter(Boolean),
        }
      : {}),
    ...(input.reviewDays !== undefined ? { reviewDays: input.reviewDays } : {}),
    ...(input.rfiDays !== undefined ? { rfiDays: input.rfiDays } : {}),
    ...(input.ackDays !== undefined ? { ackDays: input.ackDays } : {}),
    ...(input.requireDmarc !== undefined ? { requireDmarc: input.requireDmarc } : {}),
    ...(input.rfiManager !== undefined ? { rfiManager: input.rfiManager || null } : {}),
    ...(input.alias ? { aliases: input.alias } : {}),
  });
  const days = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  ctx.io.out(
    `${project.code} (${project.name}): time zone ${project.timezone}, working days ${project.working_weekdays.map((d) => days[d]).join(' ')}, ${project.holidays.length} holiday(s)`,
  );
  ctx.io.out(
    `  review ${project.review_days}, RFI ${project.rfi_days}, acknowledgement ${project.ack_days} working days; sender policy ${project.sender_policy}; DMARC required: ${project.require_dmarc ? 'yes' : 'no'}`,
  );
  const aliases = Object.entries(project.response_aliases);
  if (aliases.length > 0)
    ctx.io.out(`  aliases: ${aliases.map(([a, c]) => `${a} = ${c}`).join('; ')}`);
}
