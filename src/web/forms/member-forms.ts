import { z } from 'zod';

const ROLES = ['manager', 'reviewer', 'member'] as const;

const role = z.enum(ROLES, {
  error: (issue) =>
    `${JSON.stringify(issue.input ?? '')} is not a role: choose manager, reviewer or member.`,
});

/** Adding a person (or updating one already in the project) by email. */
export const addMemberForm = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, 'Enter the email address of the person to add.')
    .regex(/^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/, {
      error: (issue) => `${JSON.stringify(issue.input)} is not an email address.`,
    })
    .prefault(''),
  name: z.string().trim().max(200, 'The name is too long (200 characters at most).').prefault(''),
  role,
});

/** Giving a member another role. */
export const memberRoleForm = z.object({ role });

/** The id in `/members/:id/...` and `/workflows/:id/...`; anything else is no such record. */
export function recordId(text: string): number | null {
  return /^\d{1,15}$/.test(text) ? Number(text) : null;
}
