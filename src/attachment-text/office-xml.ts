import type { CappedText } from './capped-text.js';
import type { XmlHandler } from './xml-stream.js';

/** `w:t` → `t`: Office writes its own prefixes, but matching local names does not depend on them. */
const local = (name: string) => name.slice(name.indexOf(':') + 1);

/**
 * Word (`w:`) and PowerPoint (`a:`) text: the characters of text runs (`<w:t>`, `<a:t>`, also in
 * text boxes), tabs and breaks as such, a line per paragraph. Deleted revisions (`w:delText`) and
 * field codes (`w:instrText`) are not text a reader sees, so they are left out.
 */
export function textRunHandler(prefix: 'w' | 'a', sink: CappedText): XmlHandler {
  let inRun = 0;
  return {
    open(name) {
      const element = local(name);
      if (element === 't') inRun++;
      else if (element === 'tab' && name.startsWith(`${prefix}:`)) sink.append('\t');
      else if (element === 'br' || element === 'cr') sink.append('\n');
    },
    close(name) {
      const element = local(name);
      if (element === 't') inRun = Math.max(0, inRun - 1);
      else if (element === 'p') sink.append('\n');
    },
    text(text) {
      if (inRun > 0) sink.append(text);
    },
    get done() {
      return sink.full;
    },
  };
}

/**
 * Excel's shared strings (`xl/sharedStrings.xml`): each `<si>` is one string, made of its `<t>`
 * runs; phonetic guides (`<rPh>`) are not part of it. Collects at most `maxChars` characters.
 */
export function sharedStringsHandler(strings: string[], maxChars: number): XmlHandler {
  let current: string[] | null = null;
  let inText = false;
  let inPhonetic = false;
  let total = 0;
  return {
    open(name) {
      const element = local(name);
      if (element === 'si') current = [];
      else if (element === 'rPh') inPhonetic = true;
      else if (element === 't') inText = true;
    },
    close(name) {
      const element = local(name);
      if (element === 'si' && current) {
        const text = current.join('');
        strings.push(text);
        total += text.length;
        current = null;
      } else if (element === 'rPh') inPhonetic = false;
      else if (element === 't') inText = false;
    },
    text(text) {
      if (current && inText && !inPhonetic) current.push(text);
    },
    get done() {
      return total >= maxChars;
    },
  };
}

/**
 * An Excel worksheet: each cell's value (a shared string looked up, an inline string, or the
 * number, date serial or result as written), a tab between cells and a line per row.
 */
export function sheetHandler(strings: readonly string[], sink: CappedText): XmlHandler {
  let type: string | null = null;
  let value: string[] | null = null;
  let inValue = false;
  return {
    open(name, attributes) {
      const element = local(name);
      if (element === 'c') {
        type = attributes.t ?? null;
        value = [];
      } else if (element === 'v' || element === 't') inValue = true;
    },
    close(name) {
      const element = local(name);
      if (element === 'c' && value) {
        const text = value.join('').trim();
        const shown = type === 's' ? (strings[Number(text)] ?? '') : text;
        if (shown !== '') sink.append(`${shown}\t`);
        value = null;
      } else if (element === 'v' || element === 't') inValue = false;
      else if (element === 'row') sink.append('\n');
    },
    text(text) {
      if (value && inValue) value.push(text);
    },
    get done() {
      return sink.full;
    },
  };
}
