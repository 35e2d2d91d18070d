/** How a command talks to the person who ran it, locally or through the running server. */
export interface CommandIo {
  out(text: string): void;
  /**
   * A progress bar over `total` units (bytes of an mbox, say). With `itemName` the bar also counts
   * items ("messages") and shows their rate.
   */
  progress(total: number, label: string, itemName?: string): ProgressHandle;
}

export interface ProgressHandle {
  /** `delta` units done, covering `items` more items. */
  tick(delta?: number, items?: number): void;
  stop(): void;
}
