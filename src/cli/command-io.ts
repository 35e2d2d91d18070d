/** How a command talks to the person who ran it, locally or through the running server. */
export interface CommandIo {
  out(text: string): void;
  progress(total: number, label: string): ProgressHandle;
}

export interface ProgressHandle {
  tick(delta?: number): void;
  stop(): void;
}
