import { importMail, type ImportInput } from './import.js';
import { memberAdd, type MemberAddInput } from './member-add.js';
import { projectCreate, type ProjectCreateInput } from './project-create.js';
import { threads, type ThreadsInput } from './threads.js';
import { projectSet, type ProjectSetInput } from './project-set.js';
import { workflowAdd, workflowList, type WorkflowAddInput } from './workflow.js';
import { submittals } from './submittals.js';
import { transmittals } from './transmittals.js';
import { outbox } from './outbox.js';
import { itemClose, items, type ItemsInput } from './items.js';
import { tokenCreate, tokenList, tokenRevoke, type TokenCreateInput } from './token.js';
import { issueLoginLink, webBaseUrl } from '../../auth/web-login-link.js';
import { jobsList, jobsRun, type JobsRunInput } from './jobs.js';
import { memberPause, memberResume, projectReminders } from './reminders.js';
import { reindex, type ReindexInput } from './reindex.js';
import type { ReminderSettings } from '../../reminders/reminder-settings.js';
import type { CommandContext } from './context.js';

/**
 * The commands that work on an open database. The CLI runs them in its own process, or — when a
 * `docket serve` already holds the embedded database — sends them to that server to run.
 */
export const commands = {
  'project create': (ctx: CommandContext, input: ProjectCreateInput) => projectCreate(ctx, input),
  'member add': (ctx: CommandContext, input: MemberAddInput) => memberAdd(ctx, input),
  import: (ctx: CommandContext, input: ImportInput) => importMail(ctx, input),
  threads: (ctx: CommandContext, input: ThreadsInput) => threads(ctx, input),
  reindex: (ctx: CommandContext, input: ReindexInput) => reindex(ctx, input),
  'project set': (ctx: CommandContext, input: ProjectSetInput) => projectSet(ctx, input),
  'workflow add': (ctx: CommandContext, input: WorkflowAddInput) => workflowAdd(ctx, input),
  'workflow list': (ctx: CommandContext, input: { code: string; json?: boolean }) =>
    workflowList(ctx, input),
  submittals: (ctx: CommandContext, input: { code: string; json?: boolean }) =>
    submittals(ctx, input),
  transmittals: (ctx: CommandContext, input: { code: string; json?: boolean }) =>
    transmittals(ctx, input),
  outbox: (ctx: CommandContext, input: { code: string; json?: boolean; limit?: number }) =>
    outbox(ctx, input),
  items: (ctx: CommandContext, input: ItemsInput) => items(ctx, input),
  'item close': (ctx: CommandContext, input: { code: string; number: string }) =>
    itemClose(ctx, input),
  'token create': (ctx: CommandContext, input: TokenCreateInput) => tokenCreate(ctx, input),
  'token list': (ctx: CommandContext, input: { email: string }) => tokenList(ctx, input),
  'token revoke': (ctx: CommandContext, input: { token: string }) => tokenRevoke(ctx, input),
  'jobs list': (ctx: CommandContext, _input: Record<string, never>) => jobsList(ctx),
  'jobs run': (ctx: CommandContext, input: JobsRunInput) => jobsRun(ctx, input),
  'member pause': (ctx: CommandContext, input: { code: string; email: string; until?: string }) =>
    memberPause(ctx, input),
  'member resume': (ctx: CommandContext, input: { code: string; email: string }) =>
    memberResume(ctx, input),
  'project reminders': (ctx: CommandContext, input: ReminderSettings & { code: string }) =>
    projectReminders(ctx, input),
  'login-link': async (ctx: CommandContext, input: { email: string }) => {
    const link = await issueLoginLink(
      ctx.db,
      { email: input.email, baseUrl: webBaseUrl(ctx.config.http) },
      new Date(),
    );
    if (link.created)
      ctx.io.out(`Created ${link.email}${link.isAdmin ? ' as the first administrator' : ''}.`);
    ctx.io.out(link.url);
  },
} as const;

export type CommandName = keyof typeof commands;
export type CommandInput<N extends CommandName> = Parameters<(typeof commands)[N]>[1];

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(commands, name);
}

export function runCommand<N extends CommandName>(
  name: N,
  ctx: CommandContext,
  input: CommandInput<N>,
): Promise<void> {
  return (commands[name] as (ctx: CommandContext, input: CommandInput<N>) => Promise<void>)(
    ctx,
    input,
  );
}
