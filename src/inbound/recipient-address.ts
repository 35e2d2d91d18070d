/** A project inbox address split into its parts: `code+subaddress@MAIL_DOMAIN`. */
export interface ProjectAddress {
  code: string;
  subaddress: string | null;
}

/**
 * Reads an envelope recipient as a project address, case-insensitively; null when the domain is not
 * ours or the local part cannot be a project code.
 */
export function parseProjectAddress(address: string, mailDomain: string): ProjectAddress | null {
  const lower = address.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  if (at <= 0 || lower.slice(at + 1) !== mailDomain.toLowerCase()) return null;
  const local = lower.slice(0, at);
  const plus = local.indexOf('+');
  const code = plus < 0 ? local : local.slice(0, plus);
  const subaddress = plus < 0 ? null : local.slice(plus + 1) || null;
  if (!/^[a-z0-9-]+$/.test(code)) return null;
  return { code, subaddress };
}
