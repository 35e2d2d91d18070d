import { describe, expect, it } from 'vitest';
import {
  ITEM_TYPES,
  itemNumber,
  itemSubject,
  itemTypeByName,
  itemTypeForSubaddress,
  parseItemNumber,
} from '../../src/items/item-types.js';

describe('itemTypeForSubaddress', () => {
  it.each([
    ['rfi', 'RFI'],
    ['RFI', 'RFI'],
    ['notice', 'NOT'],
    ['not', 'NOT'],
    ['cor', 'COR'],
    ['letter', 'LTR'],
    ['ltr', 'LTR'],
    ['general', 'GEN'],
    ['gen', 'GEN'],
    [' Notice ', 'NOT'],
  ])('+%s opens %s', (subaddress, prefix) => {
    expect(itemTypeForSubaddress(subaddress)?.prefix).toBe(prefix);
  });

  it.each(['submittal', 'transmittal', 'bounces', 'r-abc', 'rfis', 'request', ''])(
    '+%s opens no item',
    (subaddress) => {
      expect(itemTypeForSubaddress(subaddress)).toBeNull();
    },
  );

  it('gives only RFIs a response deadline', () => {
    expect(ITEM_TYPES.filter((t) => t.dueInWorkingDays).map((t) => t.prefix)).toEqual(['RFI']);
  });

  it('names each type by its prefix or a subaddress', () => {
    expect(itemTypeByName('NOT')?.label).toBe('Notice');
    expect(itemTypeByName('cor')?.label).toBe('Change Order Request');
    expect(itemTypeByName('notice')?.prefix).toBe('NOT');
    expect(itemTypeByName('XYZ')).toBeNull();
  });
});

describe('item numbers', () => {
  it.each([
    ['RFI', 1, 'RFI-001'],
    ['NOT', 12, 'NOT-012'],
    ['RFI', 999, 'RFI-999'],
    ['RFI', 1000, 'RFI-1000'],
    ['GEN', 12345, 'GEN-12345'],
  ])('%s %i → %s', (prefix, number, expected) => {
    expect(itemNumber(prefix, number)).toBe(expected);
  });

  it.each([
    ['RFI-007', 'RFI', 7],
    ['rfi-7', 'RFI', 7],
    [' NOT-0012 ', 'NOT', 12],
    ['LTR-1000', 'LTR', 1000],
  ])('reads %j as %s %i', (text, prefix, number) => {
    const parsed = parseItemNumber(text);
    expect(parsed?.type.prefix).toBe(prefix);
    expect(parsed?.number).toBe(number);
  });

  it.each(['RFI-0', 'RFI 7', 'RFI-', 'XYZ-001', 'TR-0042', 'RFI-7a', '', '007'])(
    'refuses %j',
    (text) => {
      expect(parseItemNumber(text)).toBeNull();
    },
  );

  it('reads back every number it writes', () => {
    for (const type of ITEM_TYPES) {
      for (const n of [1, 99, 999, 1000, 123456]) {
        expect(parseItemNumber(itemNumber(type.prefix, n))).toEqual({ type, number: n });
      }
    }
  });
});

describe('itemSubject', () => {
  it.each([
    ['Door hardware at level 2', 'Door hardware at level 2'],
    ['Re: Door hardware at level 2', 'Door hardware at level 2'],
    ['RE: Fwd: Door hardware', 'Door hardware'],
    ['Fw: FW: Re: Footing depth at grid C/4', 'Footing depth at grid C/4'],
    ['AW: WG: Brandschutz Türen', 'Brandschutz Türen'],
    ['Re[2]: Slab edge', 'Slab edge'],
    ['Re : Slab edge', 'Slab edge'],
    ['[EXTERNAL] Re: Slab edge', 'Slab edge'],
    ['Ｒｅ：Slab edge', 'Slab edge'],
    ['  Re:   Slab\t edge  ', 'Slab edge'],
    // not leaders: kept as the asker wrote them, letter case included
    ['Question: door hardware', 'Question: door hardware'],
    ['RFI: Footing depth', 'RFI: Footing depth'],
    ['Re: RFI: Footing depth', 'RFI: Footing depth'],
    ['Rex: hello', 'Rex: hello'],
    ['Level 3: slab edge', 'Level 3: slab edge'],
    // nothing left
    ['Re:', '(no subject)'],
    ['', '(no subject)'],
  ])('%j → %j', (subject, expected) => {
    expect(itemSubject(subject)).toBe(expected);
  });
});
