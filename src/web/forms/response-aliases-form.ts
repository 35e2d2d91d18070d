import { z } from 'zod';
import { RESPONSE_CODES, type ResponseCode } from '../../submittals/review-decision.js';
import { nonBlankLines } from './form-fields.js';

/**
 * The project's own response aliases, one `ALIAS = CODE` a line, where CODE is one of the five
 * standard responses. The text replaces the project's aliases as a whole, so a deleted line is a
 * removed alias.
 */
export const responseAliasesForm = z.object({
  aliases: z
    .string()
    .prefault('')
    .transform((text, ctx) => {
      const aliases: Record<string, ResponseCode> = {};
      for (const line of nonBlankLines(text)) {
        const equals = line.indexOf('=');
        const alias = collapse(line.slice(0, equals));
        const code = collapse(line.slice(equals + 1));
        if (equals < 0 || !alias) {
          ctx.addIssue({
            code: 'custom',
            message: `"${line}" is not ALIAS = CODE (for example: NO EXCEPTIONS = APPROVED).`,
          });
          return z.NEVER;
        }
        if (!isResponseCode(code)) {
          ctx.addIssue({
            code: 'custom',
            message: `"${code}" is not a response code. Use one of: ${RESPONSE_CODES.join(', ')}.`,
          });
          return z.NEVER;
        }
        aliases[alias] = code;
      }
      return aliases;
    }),
});

function collapse(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toUpperCase();
}

function isResponseCode(text: string): text is ResponseCode {
  return (RESPONSE_CODES as readonly string[]).includes(text);
}

/** The aliases as the textarea shows them. */
export function aliasesText(aliases: Readonly<Record<string, string>>): string {
  return Object.entries(aliases)
    .map(([alias, code]) => `${alias} = ${code}`)
    .join('\n');
}

/**
 * The change that makes a project's aliases exactly `wanted`: each current alias removed
 * (`ALIAS=`), then each wanted one set, in the `ALIAS=CODE` pairs `updateProjectSettings` applies
 * in order and validates as a whole.
 */
export function replaceAliasPairs(
  current: Readonly<Record<string, string>>,
  wanted: Readonly<Record<string, ResponseCode>>,
): string[] {
  return [
    ...Object.keys(current).map((alias) => `${alias}=`),
    ...Object.entries(wanted).map(([alias, code]) => `${alias}=${code}`),
  ];
}
