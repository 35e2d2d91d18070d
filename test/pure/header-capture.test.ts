import { describe, expect, it } from 'vitest';
import { HeaderCapture, headerBlockOf } from '../../src/mail/header-capture.js';

const crlf = Buffer.from(
  'From: Dana <dana@contractor.example>\r\nSubject: Anchor bolts\r\n\r\nBody line\r\n\r\nMore\r\n',
);
const lf = Buffer.from('From: dana@contractor.example\nSubject: Anchor bolts\n\nBody\n');
const noBody = Buffer.from('From: dana@contractor.example\r\nSubject: Headers only\r\n');

describe('capturing the header block of a streamed message', () => {
  it.each([
    ['CRLF', crlf],
    ['bare LF', lf],
    ['no blank line', noBody],
  ])('%s: the same block however the bytes are split in two', (_name, message) => {
    const whole = headerBlockOf(message).toString();
    for (let cut = 0; cut <= message.length; cut++) {
      const capture = new HeaderCapture();
      capture.keep(message.subarray(0, cut));
      capture.keep(message.subarray(cut));
      expect(capture.headerBlock.toString(), `cut at ${cut}`).toBe(whole);
    }
  });

  it.each([
    ['CRLF', crlf],
    ['bare LF', lf],
  ])('%s: the same block from one byte at a time', (_name, message) => {
    const capture = new HeaderCapture();
    for (let i = 0; i < message.length; i++) capture.keep(message.subarray(i, i + 1));
    expect(capture.headerBlock.toString()).toBe(headerBlockOf(message).toString());
    expect(capture.headerBlock.toString()).toMatch(/Anchor bolts\r?\n$/);
  });

  it('copies only the header out of a large first chunk', () => {
    const message = Buffer.concat([crlf, Buffer.alloc(1_000_000, 0x61)]);
    const capture = new HeaderCapture();
    capture.keep(message);
    expect(capture.headerBlock.length).toBe(headerBlockOf(message).length);
    expect(capture.headerBlock.buffer).not.toBe(message.buffer);
  });
});
