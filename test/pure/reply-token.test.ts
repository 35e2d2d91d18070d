import { describe, expect, it } from 'vitest';
import {
  parseReplySubaddress,
  readSignedReplyToken,
  replyAddress,
  signReplyToken,
  verifyReplyToken,
  type ReplyTokenClaims,
} from '../../src/auth/reply-token.js';

const secret = 'test-secret-with-at-least-32-characters!';
const now = new Date('2026-06-01T09:30:00Z');
const claims: ReplyTokenClaims = {
  kind: 'review',
  recordId: 4711,
  revision: 2,
  step: 3,
  personId: 58,
  expiresAt: new Date('2026-07-01T00:00:00Z'),
};
// Ids at the edge of the 40-character budget, and ids past it (the token then grows).
const large: ReplyTokenClaims = {
  kind: 'rfi',
  recordId: 2_097_151,
  revision: 127,
  step: 127,
  personId: 16_383,
  expiresAt: new Date('2149-06-01T00:00:00Z'),
};
const huge: ReplyTokenClaims = { ...claims, kind: 'ack', recordId: 0xffff_ffff, personId: 99_999 };

describe('reply tokens', () => {
  it('round-trips every claim and names the token with a stable id', () => {
    const token = signReplyToken(secret, claims);
    expect(token).toMatch(/^[a-z2-7]+$/);
    const result = verifyReplyToken(secret, token, now);
    expect(result.ok && result.claims).toEqual(claims);
    expect(result.ok && result.tokenId).toMatch(/^[0-9a-f]{24}$/);
    for (const other of [large, huge]) {
      const verified = verifyReplyToken(secret, signReplyToken(secret, other), now);
      expect(verified.ok && verified.claims).toEqual(other);
    }
  });

  it('makes each token unique, so the single-use ledger can tell them apart', () => {
    const first = signReplyToken(secret, claims);
    const second = signReplyToken(secret, claims);
    expect(first).not.toBe(second);
    const ids = [first, second].map((t) => {
      const r = verifyReplyToken(secret, t, now);
      return r.ok ? r.tokenId : null;
    });
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('verifies upper- and mixed-case variants, with the same token id', () => {
    const token = signReplyToken(secret, claims);
    const mixed = [...token].map((c, i) => (i % 2 ? c.toUpperCase() : c)).join('');
    const ids = [token, token.toUpperCase(), mixed].map((t) => {
      const r = verifyReplyToken(secret, t, now);
      return r.ok ? r.tokenId : r.reason;
    });
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^[0-9a-f]{24}$/);
  });

  it('rounds a mid-day expiry up to the next 00:00 UTC, never earlier', () => {
    const token = signReplyToken(secret, {
      ...claims,
      expiresAt: new Date('2026-07-01T00:00:01Z'),
    });
    const result = verifyReplyToken(secret, token, now);
    expect(result.ok && result.claims.expiresAt.toISOString()).toBe('2026-07-02T00:00:00.000Z');
  });

  it.each([
    ['a 40-character-budget', claims],
    ['an oversized (non-whole-byte length)', huge],
  ])('rejects every single-character change to %s token', (_label, tokenClaims) => {
    const token = signReplyToken(secret, tokenClaims);
    const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
    let tried = 0;
    for (let i = 0; i < token.length; i++) {
      for (const c of alphabet) {
        if (c === token[i]) continue;
        const tampered = token.slice(0, i) + c + token.slice(i + 1);
        expect(verifyReplyToken(secret, tampered, now).ok, tampered).toBe(false);
        tried++;
      }
    }
    expect(tried).toBe(token.length * 31);
  });

  it('rejects a token signed with another secret', () => {
    const token = signReplyToken('another-secret-of-at-least-32-chars!!', claims);
    expect(verifyReplyToken(secret, token, now)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('expires at 00:00 UTC of the expiry day', () => {
    const token = signReplyToken(secret, claims);
    expect(verifyReplyToken(secret, token, new Date('2026-06-30T23:59:59Z')).ok).toBe(true);
    for (const at of ['2026-07-01T00:00:00Z', '2027-01-01T00:00:00Z']) {
      expect(verifyReplyToken(secret, token, new Date(at))).toEqual({
        ok: false,
        reason: 'expired',
      });
    }
  });

  it('reads truncated, padded and garbage tokens as malformed', () => {
    const token = signReplyToken(secret, claims);
    const cases = [
      '',
      token.slice(0, -1),
      token.slice(0, -8),
      token.slice(1),
      `${token}a`,
      `${token}aaaaaaaa`,
      token.replace(/.$/, '0'),
      `${token}=`,
      'hello world',
      'a'.repeat(40),
      '7'.repeat(40),
      'a'.repeat(10_000),
    ];
    for (const bad of cases) {
      expect(verifyReplyToken(secret, bad, now), bad.slice(0, 60)).toEqual({
        ok: false,
        reason: 'malformed',
      });
    }
  });

  it('refuses to sign claims it cannot encode', () => {
    const bad: Partial<ReplyTokenClaims>[] = [
      { recordId: -1 },
      { step: 1.5 },
      { personId: 2 ** 32 },
      { kind: 'nope' as ReplyTokenClaims['kind'] },
      { expiresAt: new Date('2150-01-01T00:00:00Z') },
      { expiresAt: new Date(Number.NaN) },
    ];
    for (const change of bad) {
      expect(() => signReplyToken(secret, { ...claims, ...change })).toThrow(RangeError);
    }
    expect(() => signReplyToken('', claims)).toThrow(RangeError);
  });

  it('keeps the reply local part within 64 characters for a 20-character project code', () => {
    const code = 'abcdefghij-klmnopq-r';
    expect(code).toHaveLength(20);
    for (const tokenClaims of [claims, large]) {
      const token = signReplyToken(secret, tokenClaims);
      expect(token.length).toBeLessThanOrEqual(40);
      const address = replyAddress(code, token, 'Docket.Example.com');
      const [local, domain] = address.split('@');
      expect(local).toBe(`${code}+r-${token}`);
      expect(domain).toBe('docket.example.com');
      expect(local!.length).toBeLessThanOrEqual(64);
    }
  });

  it('finds the token in a subaddress, in any case, and nothing else', () => {
    const token = signReplyToken(secret, claims);
    expect(parseReplySubaddress(`r-${token}`)).toBe(token);
    expect(parseReplySubaddress(`R-${token.toUpperCase()}`)).toBe(token);
    for (const other of ['submittal', 'rfi', 'r-', 'r-abc!', `x-${token}`, token]) {
      expect(parseReplySubaddress(other), other).toBeNull();
    }
  });

  it('reads the claims of a token it signed, expired too, for naming an address only', () => {
    const token = signReplyToken(secret, claims);
    expect(verifyReplyToken(secret, token, new Date('2027-01-01T00:00:00Z'))).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(readSignedReplyToken(secret, token)).toEqual(claims);
    expect(readSignedReplyToken(secret, token.toUpperCase())).toEqual(claims);
    expect(readSignedReplyToken('another-secret-with-at-least-32-chars', token)).toBeNull();
    expect(readSignedReplyToken(secret, token.slice(0, -2))).toBeNull();
    expect(readSignedReplyToken(secret, 'submittal')).toBeNull();
  });
});
