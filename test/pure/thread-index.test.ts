import { describe, it, expect } from 'vitest';
import { threadIndexDepth, threadIndexRoot } from '../../src/mail/thread-index.js';

/** A real-shaped header: reserved 0x01, 5 bytes of FILETIME, a 16-byte conversation GUID. */
function header(guidSeed: number): Buffer {
  const time = [0x01, 0xda, 0x3b, 0x2c, 0x1d];
  const guid = Array.from({ length: 16 }, (_, i) => (guidSeed * 31 + i * 7) % 256);
  return Buffer.from([0x01, ...time, ...guid].slice(0, 22));
}
/** One 5-byte child block per reply (time delta and random bits). */
function child(n: number): Buffer {
  return Buffer.from([0x00, 0x00, 0x12, n, 0x40]);
}
const encode = (...parts: Buffer[]): string => Buffer.concat(parts).toString('base64');

const root1 = header(1);
const root2 = header(2);

describe('threadIndexRoot / threadIndexDepth', () => {
  it.each([
    { name: 'conversation start', raw: encode(root1), root: root1.toString('hex'), depth: 0 },
    { name: 'first reply', raw: encode(root1, child(1)), root: root1.toString('hex'), depth: 1 },
    {
      name: 'third reply',
      raw: encode(root1, child(1), child(2), child(3)),
      root: root1.toString('hex'),
      depth: 3,
    },
    {
      name: 'other conversation',
      raw: encode(root2, child(1)),
      root: root2.toString('hex'),
      depth: 1,
    },
    {
      name: 'folded with whitespace',
      raw: ` ${encode(root1, child(1)).replace(/(.{10})/, '$1\r\n ')} `,
      root: root1.toString('hex'),
      depth: 1,
    },
    {
      name: 'padding left off',
      raw: encode(root1).replace(/=+$/, ''),
      root: root1.toString('hex'),
      depth: 0,
    },
    { name: 'empty', raw: '', root: null, depth: null },
    { name: 'not base64', raw: 'not*base64!value', root: null, depth: null },
    { name: 'base64 with junk inside', raw: `${encode(root1)}$$`, root: null, depth: null },
    { name: 'shorter than 22 bytes', raw: encode(root1.subarray(0, 21)), root: null, depth: null },
    {
      name: 'not 22 + 5n bytes',
      raw: encode(root1, Buffer.from([1, 2, 3])),
      root: null,
      depth: null,
    },
    { name: 'all-zero placeholder', raw: encode(Buffer.alloc(22)), root: null, depth: null },
    { name: 'padding doubled', raw: `${encode(root1)}==`, root: null, depth: null },
    {
      name: 'padding on a 4n+2 length',
      raw: `${encode(root1, child(1))}==`,
      root: null,
      depth: null,
    },
  ])('$name', ({ raw, root, depth }) => {
    expect(threadIndexRoot(raw)).toBe(root);
    expect(threadIndexDepth(raw)).toBe(depth);
  });

  it('gives every message of one conversation the same root, and other conversations another', () => {
    const start = threadIndexRoot(encode(root1));
    const reply = threadIndexRoot(encode(root1, child(7)));
    const other = threadIndexRoot(encode(root2));
    expect(start).toHaveLength(44);
    expect(reply).toBe(start);
    expect(other).not.toBe(start);
  });
});
