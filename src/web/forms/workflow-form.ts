import { z } from 'zod';
import { nonBlankLines } from './form-fields.js';

/**
 * A review workflow as typed: a name, an optional spec prefix (empty for the project default) and
 * one step a line, the reviewers of a step (who review in parallel) separated by commas.
 */
export const workflowForm = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Give the workflow a name, such as Default or Structural.')
    .max(100, 'The workflow name is too long (100 characters at most).')
    .prefault(''),
  spec_prefix: z
    .string()
    .trim()
    .prefault('')
    .transform((prefix) => prefix || null),
  steps: z
    .string()
    .prefault('')
    .transform((text) => nonBlankLines(text).map((line) => line.split(',')))
    .refine(
      (steps) => steps.length > 0,
      "Write at least one step: the reviewers' email addresses.",
    ),
});
