import { getProjectByCode } from '../../projects/project.repository.js';
import type { CommandContext } from './context.js';

/** The project's outbound mail, newest first: what was sent, or captured when no relay is set. */
export async function outbox(
  ctx: CommandContext,
  input: { code: string; json?: boolean; limit?: number },
): Promise<void> {
  const project = await getProjectByCode(ctx.db, input.code);
  const rows = await ctx.db
    .selectFrom('outbox')
    .select([
      'id',
      'status',
      'kind',
      'to_addresses',
      'reply_to',
      'subject',
      'created_at',
      'sent_at',
      'attempts',
      'last_error',
      'text_body',
    ])
    .where('project_id', '=', project.id)
    .orderBy('id', 'desc')
    .limit(input.limit ?? 20)
    .execute();
  if (input.json) return ctx.io.out(JSON.stringify(rows, null, 2));
  if (rows.length === 0) return ctx.io.out(`No outbound mail in ${project.code} yet.`);
  for (const row of rows) {
    ctx.io.out(
      `#${row.id} ${row.status.toUpperCase()} ${row.created_at.toISOString()} to ${row.to_addresses.join(', ')}`,
    );
    ctx.io.out(`    ${row.subject}`);
    if (row.reply_to) ctx.io.out(`    reply to: ${row.reply_to}`);
    if (row.last_error) ctx.io.out(`    last error (${row.attempts} attempts): ${row.last_error}`);
  }
}
