import type { Trx } from '../db/database.js';

/** A record as an automatic answer names it: `{ type: 'submittal', id, label: '03 30 00-001.0' }`. */
export interface AnsweredRecord {
  type: 'submittal' | 'item' | 'transmittal';
  id: number;
  label: string;
}

/**
 * The addresses a record involves, as our own data holds them: a submittal's submitter,
 * distribution list, ball holders and every reviewer of every revision; an item's asker, ball
 * holders and answerer; a transmittal's sender and recipients. Lowercased, like every stored
 * address. Empty when the record does not exist.
 */
export async function addressesInvolvedIn(
  trx: Trx,
  projectId: number,
  record: AnsweredRecord,
): Promise<Set<string>> {
  switch (record.type) {
    case 'submittal': {
      const submittal = await trx
        .selectFrom('submittals')
        .select(['submitter', 'distribution', 'ball_in_court'])
        .where('project_id', '=', projectId)
        .where('id', '=', record.id)
        .executeTakeFirst();
      if (!submittal) return new Set();
      const reviewers = await trx
        .selectFrom('review_steps')
        .select('reviewer')
        .distinct()
        .where('project_id', '=', projectId)
        .where('submittal_id', '=', record.id)
        .execute();
      return lowercased([
        submittal.submitter,
        ...submittal.distribution,
        ...submittal.ball_in_court,
        ...reviewers.map((r) => r.reviewer),
      ]);
    }
    case 'item': {
      const item = await trx
        .selectFrom('items')
        .select(['asker', 'ball_in_court', 'answered_by'])
        .where('project_id', '=', projectId)
        .where('id', '=', record.id)
        .executeTakeFirst();
      if (!item) return new Set();
      return lowercased([item.asker, ...item.ball_in_court, item.answered_by ?? '']);
    }
    case 'transmittal': {
      const transmittal = await trx
        .selectFrom('transmittals')
        .select('sender')
        .where('project_id', '=', projectId)
        .where('id', '=', record.id)
        .executeTakeFirst();
      if (!transmittal) return new Set();
      const recipients = await trx
        .selectFrom('transmittal_recipients')
        .select('email')
        .where('project_id', '=', projectId)
        .where('transmittal_id', '=', record.id)
        .execute();
      return lowercased([transmittal.sender, ...recipients.map((r) => r.email)]);
    }
  }
}

function lowercased(addresses: string[]): Set<string> {
  return new Set(addresses.filter((a) => a !== '').map((a) => a.toLowerCase()));
}
