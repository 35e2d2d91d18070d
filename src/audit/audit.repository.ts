import type { Trx } from '../db/database.js';

export interface AuditEntry {
  projectId: number;
  recordType: 'submittal' | 'transmittal' | 'item';
  recordId: number;
  actor: string | null;
  action: string;
  details?: Record<string, unknown>;
}

/** Appends to a record's audit trail: who did what, when, and on what evidence. */
export async function recordAudit(trx: Trx, entry: AuditEntry, at: Date): Promise<void> {
  await trx
    .insertInto('audit_events')
    .values({
      project_id: entry.projectId,
      record_type: entry.recordType,
      record_id: entry.recordId,
      at,
      actor: entry.actor,
      action: entry.action,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}
