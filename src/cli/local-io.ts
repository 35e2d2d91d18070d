import cliProgress from 'cli-progress';
import type { CommandIo } from './command-io.js';

/** Prints to the terminal; progress bars only when stderr is a terminal, so pipes stay clean. */
export const terminalIo: CommandIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  progress(total, label, itemName) {
    if (!process.stderr.isTTY) return { tick: () => undefined, stop: () => undefined };
    const counted = itemName ? ` | {items} ${itemName}, {rate}/s` : '';
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {percentage}%${counted} | {eta_formatted} left`,
        stream: process.stderr,
        hideCursor: true,
        // The rate is an average since the start; the ETA from the last 200 updates follows changes.
        etaBuffer: 200,
      },
      cliProgress.Presets.shades_classic,
    );
    const started = performance.now();
    let items = 0;
    const payload = () => {
      const seconds = (performance.now() - started) / 1000;
      return {
        items: items.toLocaleString('en'),
        rate: seconds > 0 ? Math.round(items / seconds) : 0,
      };
    };
    bar.start(Math.max(total, 1), 0, payload());
    return {
      tick(delta = 1, more = 0) {
        items += more;
        bar.increment(delta, payload());
      },
      stop: () => bar.stop(),
    };
  },
};
