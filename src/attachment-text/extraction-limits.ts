/**
 * How far Docket goes to read an attachment's text. Every reading runs in a worker thread under
 * these limits, so a hostile or broken file costs a bounded amount of time and memory and ends as
 * "no text" with the reason, never as a crash or a hang.
 */
export interface ExtractionLimits {
  /** Larger files are not read at all. */
  maxBytes: number;
  /** A reading still running after this long is stopped (its worker is terminated). */
  timeoutMs: number;
  /** PDF pages read; the text of a longer PDF is that of its first pages. */
  maxPages: number;
  /** Characters of text kept per attachment; the rest is cut. */
  maxTextChars: number;
  /** Bytes of XML inflated from an Office file, all its parts together: a zip bomb stops here. */
  maxInflatedBytes: number;
  /** Heap and buffers a worker may hold before it is stopped. */
  maxMemoryMb: number;
}

export const DEFAULT_EXTRACTION_LIMITS: Readonly<ExtractionLimits> = Object.freeze({
  maxBytes: 50 * 1024 * 1024,
  timeoutMs: 60_000,
  maxPages: 2_000,
  maxTextChars: 1_000_000,
  maxInflatedBytes: 100 * 1024 * 1024,
  maxMemoryMb: 512,
});

/** `12.3 MB`, for reasons a person reads. */
export function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}
