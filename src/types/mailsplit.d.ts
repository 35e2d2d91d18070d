// mailsplit ships no types; this declares the one class Docket uses.
declare module 'mailsplit' {
  export class Headers {
    constructor(headers: Buffer | string);
    get(key: string): string[];
    getFirst(key: string): string;
    getList(): { key: string; line: string }[];
  }
  const mailsplit: { Headers: typeof Headers };
  export default mailsplit;
}
