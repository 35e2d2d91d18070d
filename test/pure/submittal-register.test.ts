import { describe, expect, it } from 'vitest';
import { isDocketError } from '../../src/errors.js';
import {
  emptyRegisterForm,
  readRegisterForm,
  registerFilters,
  registerQueryString,
} from '../../src/submittals/register-filters.js';
import { submittalRegisterCsv } from '../../src/submittals/submittal-register-csv.js';
import { parseSubmittalSlug, submittalSlug } from '../../src/submittals/submittal-slug.js';
import { registerRow } from './register-row.js';

describe('submittal addresses', () => {
  it.each([
    ['03 30 00', 7, '03-30-00-007'],
    ['03 30 00.13', 2, '03-30-00.13-002'],
    ['26 05 19', 1234, '26-05-19-1234'],
  ])('%s-%d is %s and reads back', (section, seq, slug) => {
    expect(submittalSlug(section, seq)).toBe(slug);
    expect(parseSubmittalSlug(slug)).toEqual({ specSection: section, seq });
  });

  it.each([
    ['03 30 00-007', { specSection: '03 30 00', seq: 7 }],
    ['03 30 00-007.1', { specSection: '03 30 00', seq: 7 }],
    ['03-30-00-7', { specSection: '03 30 00', seq: 7 }],
    ['03-30-00', null],
    ['03-30-00-000', null],
    ['../etc/passwd', null],
    ['03-30-00-007-extra', null],
    ['', null],
  ])('%j names %j', (segment, key) => {
    expect(parseSubmittalSlug(segment)).toEqual(key);
  });
});

describe('register filters', () => {
  const refused = (query: Record<string, string>): string => {
    try {
      registerFilters(readRegisterForm(query));
    } catch (error) {
      if (isDocketError(error, 'invalid_input')) return error.message;
      throw error;
    }
    return 'accepted';
  };

  it('reads every filter', () => {
    expect(
      registerFilters(
        readRegisterForm({
          status: 'open',
          decision: 'approved as noted',
          spec: ' 03 30 ',
          bic: 'Sam@',
          overdue: '1',
          q: 'mix',
          unrelated: 'x',
        }),
      ),
    ).toEqual({
      status: 'open',
      decision: 'APPROVED AS NOTED',
      specPrefix: '0330',
      ballInCourt: 'sam@',
      overdueOnly: true,
      text: 'mix',
    });
    expect(registerFilters(readRegisterForm({ decision: 'none' }))).toEqual({ decision: 'none' });
    expect(registerFilters(emptyRegisterForm())).toEqual({});
  });

  it.each([
    [{ status: 'pending' }, 'status must be "open", "closed" or empty'],
    [{ decision: 'LGTM' }, 'decision must be one of APPROVED'],
    [{ spec: 'concrete' }, 'spec section "concrete" must be digits'],
    [{ spec: '0' }, 'must be digits'],
    [{ overdue: 'on' }, 'overdue must be "1"'],
    [{ q: 'x'.repeat(201) }, 'at most 200 characters'],
  ])('refuses %j with a reason', (query, reason) => {
    expect(refused(query)).toContain(reason);
  });

  it('carries only the filled-in fields into links', () => {
    expect(registerQueryString(emptyRegisterForm())).toBe('');
    expect(registerQueryString(readRegisterForm({ status: 'closed', q: 'a&b' }))).toBe(
      '?status=closed&q=a%26b',
    );
  });
});

describe('the register as CSV', () => {
  const url = (id: number) => `https://docket.example/p/twr-a/threads/${id}`;

  it('starts with a BOM and writes dates as days in the project zone', () => {
    const csv = submittalRegisterCsv([registerRow()], 'America/New_York', url);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const [header, row] = csv.slice(1).split('\r\n');
    expect(header).toBe(
      'Number,Title,Spec section,Type,Status,Overdue,Submitter,Responsible contractor,' +
        'Submittal manager,Ball in court,Reviewers,Due,Received,Issued,Required on site,' +
        'Lead time (days),Distribution,Documents,Thread',
    );
    // 03:00 UTC on 1 December is still 30 November in New York.
    expect(row).toBe(
      '03 30 00-007.1,Concrete mix design,03 30 00,Product Data,Open,Overdue,' +
        'Dana Fields <dana@contractor.example>,,,sam@architect.example,' +
        '"sam@architect.example & lee@eng.example, then owen@owner.example",' +
        '2026-11-30,2026-11-16,,2027-02-15,,pm@gc.example; site@gc.example,2,' +
        'https://docket.example/p/twr-a/threads/42',
    );
  });

  it('quotes commas and quotes, and keeps spreadsheet formulas inert', () => {
    const csv = submittalRegisterCsv(
      [
        registerRow({ title: '=HYPERLINK("http://evil.example","click")', threadId: null }),
        registerRow({ title: 'Rebar, "Grade 60"', submitterName: '@boss', decision: 'APPROVED' }),
      ],
      'UTC',
      url,
    );
    const lines = csv.slice(1).split('\r\n');
    expect(lines[1]).toMatch(
      /^03 30 00-007\.1,"'=HYPERLINK\(""http:\/\/evil\.example"",""click""\)",/,
    );
    expect(lines[1]).toMatch(/,$/);
    expect(lines[2]).toContain('"Rebar, ""Grade 60"""');
    expect(lines[2]).toContain(",Open — APPROVED,Overdue,'@boss <dana@contractor.example>,");
  });
});
