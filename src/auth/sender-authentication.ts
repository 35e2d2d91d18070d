import { authenticate, type AuthenticateResult, type DKIMResult, type DNSResolver } from 'mailauth';

/** One DKIM signature as the approval rules need to see it. */
export interface DkimCheck {
  domain: string;
  selector: string | null;
  /** pass | fail | neutral | policy | temperror | permerror … as mailauth reports it. */
  result: string;
  /** The signing domain aligns with the single From domain (mailauth's relaxed or DMARC adkim=). */
  aligned: boolean;
  /** Body bytes an `l=` tag left unsigned: anything could have been appended there. */
  unsignedBodyBytes: number;
}

export interface SenderAuthentication {
  /** The one author domain of `From`; null when there is none or more than one. */
  fromDomain: string | null;
  /** pass|fail|softfail|neutral|none|temperror|permerror; null when no client IP was known. */
  spf: string | null;
  dkim: DkimCheck[];
  /** pass|fail|none|temperror|permerror; null when DMARC could not be evaluated. */
  dmarc: string | null;
  dmarcPolicy: string | null;
  /** A passing, aligned DKIM signature that covers the whole body. */
  alignedDkimPass: boolean;
  summary: string;
  /** mailauth's result without keys, signatures and canonicalised headers, for the audit trail. */
  raw: unknown;
}

export interface AuthenticateMessageInput {
  raw: Buffer;
  clientIp: string | null;
  helo: string | null;
  /** The envelope sender; null or '' for a null reverse path (bounces). */
  mailFrom: string | null;
  /** Our host name, the authserv-id of the Authentication-Results we record. */
  mta: string;
  /** Tests pass a fake; production leaves it out and mailauth uses the system resolver. */
  resolver?: DNSResolver;
}

// Bulky copies that add nothing to an audit trail kept beside the raw message: the key is also in
// `rr` as DNS served it, and the signature and signed headers are in the message itself.
const AUDIT_OMIT = new Set(['publicKey', 'canonicalizedHeader', 'signature']);

/**
 * Runs SPF, DKIM and DMARC over a stored message. Only the SMTP envelope is trusted: Received
 * headers are ignored (`trustReceived: false`) because the sender writes them. ARC is not
 * evaluated (an approval never rests on a forwarder's word) and BIMI is irrelevant and would
 * fetch logos. DNS failures come back as temperror results, not exceptions.
 */
export async function authenticateMessage(
  input: AuthenticateMessageInput,
): Promise<SenderAuthentication> {
  const result = await authenticate(input.raw, {
    ...(input.clientIp ? { ip: input.clientIp } : {}),
    ...(input.helo ? { helo: input.helo } : {}),
    ...(input.mailFrom ? { sender: input.mailFrom } : {}),
    mta: input.mta,
    ...(input.resolver ? { resolver: input.resolver } : {}),
    trustReceived: false,
    disableArc: true,
    disableBimi: true,
    // RFC 8301: rsa-sha1 signatures must not count as valid.
    rejectRsaSha1: true,
  });

  const fromDomain = singleFromDomain(result);
  // Without a client IP mailauth reports a temperror about "postmaster@undefined"; say "not checked".
  const spf = input.clientIp && result.spf ? result.spf.status.result : null;
  const dkim = result.dkim.results.flatMap((row) => dkimCheck(row, fromDomain));
  const dmarc = result.dmarc ? result.dmarc.status.result : null;
  const dmarcPolicy = result.dmarc ? (result.dmarc.policy ?? null) : null;
  const alignedDkimPass = dkim.some(countsAsAlignedPass);

  const signatures = dkim.map((d) => `${d.result}:${d.domain}${d.aligned ? '(aligned)' : ''}`);
  const summary = [
    `from=${fromDomain ?? '?'}`,
    `spf=${spf ?? 'not-checked'}`,
    `dkim=${signatures.join(',') || 'none'}`,
    `dmarc=${dmarc ?? 'not-evaluated'}${dmarcPolicy ? ` (p=${dmarcPolicy})` : ''}`,
  ].join(' ');

  return {
    fromDomain,
    spf,
    dkim,
    dmarc,
    dmarcPolicy,
    alignedDkimPass,
    summary,
    raw: auditRecord(result, input.clientIp !== null && input.clientIp !== ''),
  };
}

/**
 * Whether the sender is who `From` says, for projects that require it: DMARC passes, or a DKIM
 * signature that passes, covers the whole body and aligns with the From domain. The second arm
 * admits domains that publish no DMARC record but do sign. A DMARC pass is not trusted when the
 * only aligned DKIM signature leaves body bytes unsigned: mailauth counts it, yet a decision could
 * have been appended after the signed part, and whether SPF carried the pass instead is not known
 * here, so this fails closed.
 */
export function meetsDmarcRequirement(auth: SenderAuthentication): boolean {
  if (auth.fromDomain === null) return false;
  if (auth.alignedDkimPass) return true;
  const partialAligned = auth.dkim.some(
    (d) => d.result === 'pass' && d.aligned && d.unsignedBodyBytes > 0,
  );
  return auth.dmarc === 'pass' && !partialAligned;
}

function countsAsAlignedPass(check: DkimCheck): boolean {
  return check.result === 'pass' && check.aligned && check.unsignedBodyBytes === 0;
}

function singleFromDomain(result: AuthenticateResult): string | null {
  // mailauth aligns against the first From address only, so several From fields or authors in
  // different domains must not inherit an alignment meant for one of them.
  if (result.dkim.fromFields !== 1) return null;
  const domains = new Set(
    result.dkim.headerFrom.map((address) =>
      address.includes('@') ? (address.split('@').pop() ?? '').toLowerCase() : '',
    ),
  );
  const [domain] = [...domains];
  return domains.size === 1 && domain ? domain : null;
}

function dkimCheck(row: DKIMResult, fromDomain: string | null): DkimCheck[] {
  // An unsigned message yields one row without a signing domain: no signature to report.
  if (!row.signingDomain) return [];
  // A body that no longer matches its hash is "neutral" in mailauth's lenient mode; RFC 6376
  // §6.3 and mailauth's strict mode call it a failure, and so does the audit trail.
  const bodyChanged =
    row.status.result === 'neutral' &&
    !!row.bodyHash &&
    !!row.bodyHashExpecting &&
    row.bodyHash !== row.bodyHashExpecting;
  return [
    {
      domain: row.signingDomain,
      selector: row.selector ?? null,
      result: bodyChanged ? 'fail' : row.status.result,
      aligned: fromDomain !== null && !!row.status.aligned,
      unsignedBodyBytes: row.status.underSized ?? 0,
    },
  ];
}

function auditRecord(result: AuthenticateResult, spfChecked: boolean): unknown {
  const kept = {
    authenticationResults: result.headers,
    spf: spfChecked ? result.spf : false,
    dkim: result.dkim,
    dmarc: result.dmarc,
    dmarcSkipReason: result.dmarcSkipReason ?? null,
  };
  // The round trip through JSON also turns Dates into strings and drops undefined values.
  return JSON.parse(
    JSON.stringify(kept, (key, value: unknown) => (AUDIT_OMIT.has(key) ? undefined : value)),
  ) as unknown;
}
