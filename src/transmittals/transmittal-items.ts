import type { TransmittalItem } from '../pdf/transmittal-cover-sheet.js';
import type { FiledAttachment } from '../records/record-context.js';

/**
 * Above this many bytes of documents, recipients get the cover sheet and a list of the documents
 * (name and SHA-256) instead of the files. 10 MiB of files is about 13.7 MB once base64-encoded,
 * which is where common receiving limits start refusing mail (many hosted and self-run servers
 * cap a message at 10–20 MB); a refused transmittal is worse than one that says where the files
 * are. A per-project setting, or download links, can come with the web UI.
 */
export const TRANSMITTAL_ATTACH_LIMIT_BYTES = 10 * 1024 * 1024;

export type ItemFormat = 'Documents' | 'Drawings' | 'Specifications' | 'Shop Drawings';

/** An item as it is filed: the cover sheet's columns plus the attachment it came from. */
export interface TransmittalDocument extends TransmittalItem {
  attachmentId: number;
  contentType: string;
}

/**
 * Guesses an item's format from its file name: "shop" means Shop Drawings (before Drawings, as
 * shop drawings are usually named so), "spec" Specifications, a CAD file (.dwg, .dxf, or a CAD
 * content type) or "drawing" in the name Drawings; everything else is Documents.
 */
export function guessItemFormat(fileName: string, contentType = ''): ItemFormat {
  const name = fileName.toLowerCase();
  if (name.includes('shop')) return 'Shop Drawings';
  if (name.includes('spec')) return 'Specifications';
  if (/\.(dwg|dxf)$/.test(name) || /dwg|dxf|acad/i.test(contentType)) return 'Drawings';
  if (name.includes('drawing')) return 'Drawings';
  return 'Documents';
}

/** The file name without its extension; a name that is only an extension (`.pdf`) is kept whole. */
export function describeFile(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(0, dot) : fileName;
}

/**
 * The transmittal's items: one per attachment that is not inline (inline parts are logos and
 * signatures, not documents), one copy each, in the order the sender attached them.
 */
export function itemsFromAttachments(
  attachments: readonly FiledAttachment[],
): TransmittalDocument[] {
  return attachments
    .filter((a) => !a.inline)
    .map((a, index) => {
      const fileName = a.filename?.trim() || `attachment-${index + 1}`;
      return {
        description: describeFile(fileName),
        format: guessItemFormat(fileName, a.contentType),
        copies: 1,
        fileName,
        size: a.size,
        sha256: a.sha256,
        attachmentId: a.id,
        contentType: a.contentType,
      };
    });
}

/**
 * Whether the documents travel with each recipient's email: only when their total size is within
 * the limit, so one oversized drawing set does not get the whole transmittal refused.
 */
export function attachDocuments(
  items: readonly Pick<TransmittalItem, 'size'>[],
  limit = TRANSMITTAL_ATTACH_LIMIT_BYTES,
): boolean {
  return items.reduce((total, item) => total + item.size, 0) <= limit;
}
