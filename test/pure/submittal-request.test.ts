import { describe, expect, it } from 'vitest';
import { parseSubmittalRequest, submittalNumber } from '../../src/submittals/submittal-request.js';

describe('parseSubmittalRequest', () => {
  it.each([
    ['03 30 00 Concrete mix design', '03 30 00', null, 'Concrete mix design'],
    ['Fwd: 03 30 00 Concrete mix design', '03 30 00', null, 'Concrete mix design'],
    ['[EXTERNAL] RE: 033000 - Concrete mix design', '03 30 00', null, 'Concrete mix design'],
    [
      '05 12 00.13 Structural steel: connections',
      '05 12 00.13',
      null,
      'Structural steel: connections',
    ],
    ['03 30 00-007 Concrete mix design, revised', '03 30 00', 7, 'Concrete mix design, revised'],
    ['03 30 00-007.1 Concrete mix design', '03 30 00', 7, 'Concrete mix design'],
    ['08 71 00', '08 71 00', null, 'Submittal 08 71 00'],
  ])('%s', (subject, specSection, resubmitSeq, title) => {
    expect(parseSubmittalRequest(subject, '')).toMatchObject({
      specSection,
      resubmitSeq,
      title,
      problems: [],
    });
  });

  it.each(['Concrete mix design', 'RFI about 03 30 00', '3 30 00 Concrete', ''])(
    'refuses "%s" without a leading spec section',
    (subject) => {
      expect(parseSubmittalRequest(subject, '')).toBeNull();
    },
  );

  it('reads Type, Reviewers (parallel groups, ordered steps) and Required on site from the body', () => {
    const body = [
      'Type: product data',
      'Reviewers: Sam Ortiz <SAM@architect.example>, lee@eng.example; owner@client.example',
      'Required on site: 2027-02-15',
      '',
      'Please review the attached mix design.',
    ].join('\r\n');
    expect(parseSubmittalRequest('03 30 00 Concrete mix design', body)).toMatchObject({
      type: 'Product Data',
      reviewerSteps: [['sam@architect.example', 'lee@eng.example'], ['owner@client.example']],
      requiredOnSite: '2027-02-15',
      problems: [],
    });
  });

  it('reports fields it cannot use instead of guessing', () => {
    const request = parseSubmittalRequest(
      '03 30 00 Mix',
      'Type: Brochure\nReviewers: sam, lee@eng.example\nRequired on site: next week',
    );
    expect(request?.type).toBe('Other');
    expect(request?.reviewerSteps).toBeNull();
    expect(request?.requiredOnSite).toBeNull();
    expect(request?.problems).toEqual([
      'unknown type "Brochure" (use one of Shop Drawing, Product Data, Sample, Mock-up, Calculation, Certificate, Other)',
      'not email addresses in Reviewers: sam',
      '"Required on site: next week" is not a date like 2027-02-15',
    ]);
  });
});

describe('submittalNumber', () => {
  it('pads the sequence and adds the revision', () => {
    expect(submittalNumber('03 30 00', 7, 1)).toBe('03 30 00-007.1');
    expect(submittalNumber('03 30 00', 12)).toBe('03 30 00-012');
  });
});
