/**
 * What a `+submittal` email asks for, read from its subject and body:
 *
 *   Subject: 03 30 00 Concrete mix design           → new submittal in spec section 03 30 00
 *   Subject: 03 30 00-007 Concrete mix design rev 1 → a new revision of submittal 03 30 00-007
 *   Type: Product Data
 *   Reviewers: sam@architect.example, lee@eng.example; owner@client.example
 *   Required on site: 2027-02-15
 *
 * Reviewers in one group (commas) review in parallel; groups separated by semicolons are steps.
 */
export interface SubmittalRequest {
  specSection: string;
  /** The submittal number a resubmittal names (`seq` of `03 30 00-007`), else null. */
  resubmitSeq: number | null;
  title: string;
  type: SubmittalType;
  reviewerSteps: string[][] | null;
  requiredOnSite: string | null;
  problems: string[];
}

export const SUBMITTAL_TYPES = [
  'Shop Drawing',
  'Product Data',
  'Sample',
  'Mock-up',
  'Calculation',
  'Certificate',
  'Other',
] as const;
export type SubmittalType = (typeof SUBMITTAL_TYPES)[number];

// Reply/forward leaders and bracketed tags a mail client may have put before the section number.
const LEADERS = /^(?:\s*(?:\[[^\]]*\]|(?:re|fwd?|fw|aw|wg|sv|vs|tr|rv|enc)\s*:))+\s*/i;
// MasterFormat: three pairs of digits, optionally a fourth level (`03 30 00.13`); the spaces may be
// missing or be dots or hyphens in what people type.
const SECTION =
  /^(\d{2})[\s.-]?(\d{2})[\s.-]?(\d{2})(?:\.(\d{2}))?(?:\s*-\s*(\d{1,4})(?:\.\d+)?)?\b\s*[:–—-]?\s*/;
const EMAIL = /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/;

/** Reads a submittal request; `null` when the subject names no spec section. */
export function parseSubmittalRequest(subject: string, body: string): SubmittalRequest | null {
  const stripped = subject.replace(LEADERS, '');
  const match = SECTION.exec(stripped);
  if (!match) return null;
  const [whole, a, b, c, level, seq] = match;
  const specSection = `${a} ${b} ${c}${level ? `.${level}` : ''}`;
  const title = stripped.slice(whole.length).trim() || `Submittal ${specSection}`;
  const problems: string[] = [];
  const fields = readFields(body);

  let type: SubmittalType = 'Other';
  const typeField = fields.get('type');
  if (typeField) {
    const found = SUBMITTAL_TYPES.find(
      (t) =>
        t.toLowerCase().replace(/[^a-z]/g, '') ===
        typeField
          .toLowerCase()
          .replace(/[^a-z]/g, '')
          .replace(/s$/, ''),
    );
    if (found) type = found;
    else problems.push(`unknown type "${typeField}" (use one of ${SUBMITTAL_TYPES.join(', ')})`);
  }

  let reviewerSteps: string[][] | null = null;
  const reviewersField = fields.get('reviewers');
  if (reviewersField) {
    const steps = reviewersField
      .split(';')
      .map((group) =>
        group
          .split(',')
          .map((s) =>
            s
              .trim()
              .replace(/^.*<([^>]+)>.*$/, '$1')
              .toLowerCase(),
          )
          .filter(Boolean),
      )
      .filter((group) => group.length > 0);
    const bad = steps.flat().filter((address) => !EMAIL.test(address));
    if (bad.length > 0) problems.push(`not email addresses in Reviewers: ${bad.join(', ')}`);
    else if (steps.length > 0) reviewerSteps = steps;
  }

  let requiredOnSite: string | null = null;
  const required = fields.get('required on site');
  if (required) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(required) && !Number.isNaN(Date.parse(required)))
      requiredOnSite = required;
    else problems.push(`"Required on site: ${required}" is not a date like 2027-02-15`);
  }

  return {
    specSection,
    resubmitSeq: seq ? Number(seq) : null,
    title,
    type,
    reviewerSteps,
    requiredOnSite,
    problems,
  };
}

/** `Name: value` lines at the start of the body (before the first line that is not a field). */
function readFields(body: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of body.split(/\r?\n/)) {
    const match = /^\s*(type|reviewers|required on site)\s*:\s*(.+?)\s*$/i.exec(line);
    if (match?.[1] && match[2]) fields.set(match[1].toLowerCase(), match[2]);
  }
  return fields;
}

/** `03 30 00-007.1`: the number people quote, with the revision. */
export function submittalNumber(specSection: string, seq: number, revision?: number): string {
  const base = `${specSection}-${String(seq).padStart(3, '0')}`;
  return revision === undefined ? base : `${base}.${revision}`;
}
