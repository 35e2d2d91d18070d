/**
 * Large and hostile reply bodies for timing the trimmer (`npm run bench:trimming`) and for the
 * pure test that checks its work grows linearly with the input.
 */

const HEADER = (n: number) =>
  `On Tue, ${1 + (n % 28)} May 2024 at 09:${String(n % 60).padStart(2, '0')}, Person ${n} <person${n}@example.com> wrote:`;

/**
 * A short answer on top of a long thread quoted in full: every earlier message quoted one level
 * deeper under its own quote header, as Gmail and Apple Mail build it, about `bytes` long.
 */
export function quotedHistory(bytes: number): string {
  const lines = ['Approved as noted, see markups.', '', HEADER(0), ''];
  let size = lines.join('\n').length;
  for (let n = 1; size < bytes; n++) {
    const depth = '>'.repeat(1 + (n % 12));
    const block = [
      `${depth} Please review the revised curtain wall anchors for level ${n}, grid C/${n % 9}.`,
      `${depth} The slab edge moves 50 mm; anchor spacing to suit, see S-201 rev ${n}.`,
      `${depth}`,
      `${depth} ${HEADER(n)}`,
      `${depth}`,
    ];
    lines.push(...block);
    size += block.join('\n').length + 1;
  }
  return lines.join('\n');
}

/** `count` quote lines, each a run of `>` marks: what a very deep or broken quote looks like. */
export function quoteMarks(count: number): string {
  return Array.from({ length: count }, (_, i) => '>'.repeat(1 + (i % 40))).join('\n');
}

/**
 * Lines of `length` characters built to tempt a backtracking regex: they start like a quote
 * header ("On …", a date, "From:") and never finish like one.
 */
export function longLines(count: number, length: number): string {
  const openers = ['On Tue, 14 May 2024 ', '2024-05-14 09:12 GMT+01:00 ', 'From: Jane ', '-- '];
  return Array.from({ length: count }, (_, i) => {
    const opener = openers[i % openers.length] ?? '';
    return `${opener}${'site, 12 <a@b '.repeat(Math.ceil(length / 14))}`.slice(0, length);
  }).join('\n');
}
