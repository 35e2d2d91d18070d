import { generateKeyPairSync } from 'node:crypto';
import { dkimSign } from 'mailauth';
import { describe, expect, it } from 'vitest';
import {
  authenticateMessage,
  meetsDmarcRequirement,
  type SenderAuthentication,
} from '../../src/auth/sender-authentication.js';

// ed25519 keys are generated in microseconds and mailauth verifies ed25519-sha256 (RFC 8463).
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' });
const spki = publicKey.export({ type: 'spki', format: 'der' });
const dkimKey = `v=DKIM1; k=ed25519; p=${spki.subarray(-32).toString('base64')}`;

const SENDER_IP = '192.0.2.10';
const STRANGER_IP = '198.51.100.7';

// Only the test's own records exist; anything else is NXDOMAIN, so no query reaches real DNS.
const records: Record<string, string[][]> = {
  'sel._domainkey.example.com TXT': [[dkimKey]],
  'example.com TXT': [[`v=spf1 ip4:${SENDER_IP} -all`]],
  '_dmarc.example.com TXT': [['v=DMARC1; p=quarantine']],
  'example.net TXT': [[`v=spf1 ip4:${SENDER_IP} -all`]],
  '_dmarc.example.net TXT': [['v=DMARC1; p=reject']],
  'sel._domainkey.mail.example.org TXT': [[dkimKey]],
};
function resolver(name: string, rrtype: string): Promise<string[][]> {
  const key = `${name.toLowerCase()} ${rrtype}`;
  const answer = records[key];
  if (answer) return Promise.resolve(answer);
  return Promise.reject(
    Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' }),
  );
}

function message(from: string, body = 'Approved as noted.\r\n'): string {
  return [
    `From: Rita Reviewer <${from}>`,
    'To: tower-a+r-abc@docket.example.com',
    'Subject: Re: [TWR-A SUB 03 30 00-007.1] Concrete mix',
    'Date: Mon, 01 Jun 2026 10:00:00 +0000',
    'Message-ID: <reply-1@mail.example.com>',
    '',
    body,
  ].join('\r\n');
}

async function sign(text: string, signingDomain: string, maxBodyLength?: number) {
  const entry = { signingDomain, selector: 'sel', privateKey: privatePem };
  // mailauth signs only what is in signatureData; its typings also ask for the fields on top.
  const { signatures, errors } = await dkimSign(text, {
    ...entry,
    signatureData: [{ ...entry, ...(maxBodyLength === undefined ? {} : { maxBodyLength }) }],
  });
  expect(errors).toEqual([]);
  expect(signatures).toMatch(/^DKIM-Signature:/);
  return signatures + text;
}

function check(raw: string, mailFrom: string, clientIp: string | null = STRANGER_IP) {
  return authenticateMessage({
    raw: Buffer.from(raw),
    clientIp,
    helo: 'mx.sender.test',
    mailFrom,
    mta: 'docket.example.com',
    resolver,
  });
}

describe('authenticateMessage', () => {
  it('passes DMARC on an aligned DKIM signature even when SPF fails', async () => {
    const auth = await check(
      await sign(message('rita@example.com'), 'example.com'),
      'rita@example.com',
    );
    expect(auth).toMatchObject({ fromDomain: 'example.com', spf: 'fail', dmarc: 'pass' });
    expect(auth.dmarcPolicy).toBe('quarantine');
    expect(auth.dkim).toEqual([
      {
        domain: 'example.com',
        selector: 'sel',
        result: 'pass',
        aligned: true,
        unsignedBodyBytes: 0,
      },
    ]);
    expect(auth.alignedDkimPass).toBe(true);
    expect(meetsDmarcRequirement(auth)).toBe(true);
    expect(auth.summary).toBe(
      'from=example.com spf=fail dkim=pass:example.com(aligned) dmarc=pass (p=quarantine)',
    );
  });

  it('does not align a signature by another domain; DMARC fails when SPF fails too', async () => {
    const raw = await sign(message('rita@example.net'), 'example.com');
    const auth = await check(raw, 'rita@example.net');
    expect(auth.dkim).toMatchObject([{ domain: 'example.com', result: 'pass', aligned: false }]);
    expect(auth).toMatchObject({ spf: 'fail', dmarc: 'fail', dmarcPolicy: 'reject' });
    expect(auth.alignedDkimPass).toBe(false);
    expect(meetsDmarcRequirement(auth)).toBe(false);
  });

  it('fails a signature whose body was changed after signing', async () => {
    const signed = await sign(message('rita@example.com'), 'example.com');
    const auth = await check(signed.replace('Approved as noted.', 'Rejected.'), 'rita@example.com');
    expect(auth.dkim).toMatchObject([{ domain: 'example.com', result: 'fail' }]);
    expect(auth.alignedDkimPass).toBe(false);
    expect(auth.dmarc).toBe('fail');
    expect(meetsDmarcRequirement(auth)).toBe(false);
  });

  it('fails DMARC for unsigned mail from a p=reject domain sent from a stranger', async () => {
    const auth = await check(message('rita@example.net'), 'rita@example.net');
    expect(auth).toMatchObject({ dkim: [], spf: 'fail', dmarc: 'fail', dmarcPolicy: 'reject' });
    expect(meetsDmarcRequirement(auth)).toBe(false);
  });

  it('passes DMARC on aligned SPF alone, from the domain’s own server', async () => {
    const auth = await check(message('rita@example.net'), 'rita@example.net', SENDER_IP);
    expect(auth).toMatchObject({ dkim: [], spf: 'pass', dmarc: 'pass' });
    expect(meetsDmarcRequirement(auth)).toBe(true);
  });

  it('accepts an aligned (sub-domain) DKIM pass where the domain publishes no DMARC', async () => {
    const raw = await sign(message('rita@example.org'), 'mail.example.org');
    const auth = await check(raw, 'rita@example.org');
    expect(auth).toMatchObject({ dmarc: 'none', dmarcPolicy: null, alignedDkimPass: true });
    expect(auth.dkim).toMatchObject([
      { domain: 'mail.example.org', result: 'pass', aligned: true },
    ]);
    expect(meetsDmarcRequirement(auth)).toBe(true);
  });

  it('does not trust a signature whose l= tag leaves appended text unsigned', async () => {
    const signed = await sign(message('rita@example.com', 'Noted.\r\n'), 'example.com', 8);
    const auth = await check(`${signed}REJECTED\r\n`, 'rita@example.com');
    expect(auth.dkim).toMatchObject([{ result: 'pass', aligned: true, unsignedBodyBytes: 10 }]);
    expect(auth.dmarc).toBe('pass'); // mailauth counts it; the approval rule must not
    expect(auth.alignedDkimPass).toBe(false);
    expect(meetsDmarcRequirement(auth)).toBe(false);
  });

  it('reports SPF as not checked without a client IP, and keeps a lean JSON audit record', async () => {
    const auth = await check(await sign(message('rita@example.com'), 'example.com'), '', null);
    expect(auth.spf).toBeNull();
    expect(auth.summary).toContain('spf=not-checked');
    const text = JSON.stringify(auth.raw);
    expect(JSON.parse(text)).toEqual(auth.raw);
    expect(text).toContain('dkim=pass');
    expect(text).not.toMatch(/publicKey|canonicalizedHeader|BEGIN PUBLIC KEY|postmaster@undefined/);
  });

  it('refuses alignment when From names several domains', async () => {
    const raw = await sign(
      message('rita@example.com').replace(/^From: (.*)$/m, 'From: $1, <eve@example.net>'),
      'example.com',
    );
    const auth = await check(raw, 'rita@example.com');
    expect(auth.fromDomain).toBeNull();
    expect(auth.dmarc).toBeNull();
    expect(auth.dkim).toMatchObject([{ result: 'pass', aligned: false }]);
    expect(meetsDmarcRequirement(auth)).toBe(false);
  });
});

describe('meetsDmarcRequirement', () => {
  const base: SenderAuthentication = {
    fromDomain: 'example.com',
    spf: 'pass',
    dkim: [],
    dmarc: 'pass',
    dmarcPolicy: 'reject',
    alignedDkimPass: false,
    summary: '',
    raw: null,
  };
  it.each<[string, Partial<SenderAuthentication>, boolean]>([
    ['DMARC pass', {}, true],
    ['DMARC fail', { dmarc: 'fail' }, false],
    ['no DMARC, aligned DKIM', { dmarc: 'none', alignedDkimPass: true }, true],
    ['DMARC temperror', { dmarc: 'temperror' }, false],
    ['no single From domain', { fromDomain: null, alignedDkimPass: true }, false],
  ])('%s → %s', (_label, change, expected) => {
    expect(meetsDmarcRequirement({ ...base, ...change })).toBe(expected);
  });
});
