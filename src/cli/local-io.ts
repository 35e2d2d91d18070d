import cliProgress from 'cli-progress';
import type { CommandIo } from './command-io.js';

/** Prints to the terminal; progress bars only when stderr is a terminal, so pipes stay clean. */
export const terminalIo: CommandIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  progress(total, label) {
    if (!process.stderr.isTTY) return { tick: () => undefined, stop: () => undefined };
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {eta_formatted} left`,
        stream: process.stderr,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(Math.max(total, 1), 0);
    return { tick: (delta = 1) => bar.increment(delta), stop: () => bar.stop() };
  },
};
