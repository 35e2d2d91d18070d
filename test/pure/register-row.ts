import type { RegisterRow } from '../../src/submittals/submittal-register.js';

/** A register row as the query returns it, for tests of what is made from rows. */
export function registerRow(overrides: Partial<RegisterRow> = {}): RegisterRow {
  return {
    id: 1,
    number: '03 30 00-007.1',
    slug: '03-30-00-007',
    specSection: '03 30 00',
    title: 'Concrete mix design',
    type: 'Product Data',
    status: 'open',
    decision: null,
    revision: 1,
    submitter: 'dana@contractor.example',
    submitterName: 'Dana Fields',
    responsibleContractor: null,
    submittalManager: null,
    ballInCourt: ['sam@architect.example'],
    reviewers: [['sam@architect.example', 'lee@eng.example'], ['owen@owner.example']],
    dueAt: new Date('2026-12-01T03:00:00Z'),
    receivedAt: new Date('2026-11-16T15:00:00Z'),
    issuedAt: null,
    requiredOnSite: '2027-02-15',
    leadTimeDays: null,
    distribution: ['pm@gc.example', 'site@gc.example'],
    documentCount: 2,
    threadId: 42,
    overdue: true,
    ...overrides,
  };
}
