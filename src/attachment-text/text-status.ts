import type { AttachmentTextState } from '../db/database.js';

/** Whether an attachment's text was read, and what came of it, without the text. */
export interface AttachmentTextStatus {
  state: AttachmentTextState;
  /** What the file turned out to be: pdf, docx, xlsx, pptx, text, html, image… */
  kind: string | null;
  /** Why there is no text, or what was left out of it. */
  detail: string | null;
  /** PDF pages read. */
  pages: number | null;
}

/** The status from a row joined to `attachment_texts`; null for an attachment never queued. */
export function textStatusOf(row: {
  text_state: AttachmentTextState | null;
  text_kind: string | null;
  text_detail: string | null;
  text_pages: number | null;
}): AttachmentTextStatus | null {
  if (row.text_state === null) return null;
  return {
    state: row.text_state,
    kind: row.text_kind,
    detail: row.text_detail,
    pages: row.text_pages,
  };
}

/** The status in a few words, for a person: "Text read, 12 pages", "No text: …". */
export function describeTextStatus(status: AttachmentTextStatus | null): string {
  if (!status) return 'Text not read (filed before Docket read attachments)';
  const detail = status.detail ? ` (${status.detail})` : '';
  switch (status.state) {
    case 'pending':
      return 'Text waiting to be read';
    case 'extracted': {
      const pages = status.pages ? `, ${status.pages} page${status.pages === 1 ? '' : 's'}` : '';
      return `Text read${pages}${detail}`;
    }
    case 'no_text':
      return `No text: ${status.detail ?? 'nothing to read'}`;
    case 'failed':
      return `Text not read: ${status.detail ?? 'reading did not finish'}`;
  }
}
