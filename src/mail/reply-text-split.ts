import { cutReply } from './reply-cut.js';
import { withoutInvisibleMarks } from './reply-invisible.js';
import { classifyLines, type StepCounter } from './reply-line-kinds.js';

/** What a person wrote (`reply`) versus what was trimmed (`elided`), and why. */
export interface ReplySplit {
  /** The new text, trimmed; '' when the message holds nothing but history or a signature. */
  reply: string;
  /** Everything taken out of the reply (quoted history, signatures), trimmed; kept for viewing. */
  elided: string;
  reasons: string[];
}

export interface TextSplit extends ReplySplit {
  /** Quoted history was found and cut (not only a signature). */
  historyFound: boolean;
}

const isBlank = (line: string | undefined) => line !== undefined && line.trim() === '';

/**
 * Splits a plain-text body into the new text and what was cut. Lines are first freed of invisible
 * marks (reply-invisible.ts), then each gets a kind (reply-line-kinds.ts) and the cut is decided
 * on the pattern of kinds (reply-cut.ts). `historyFollows`: the text is what stood above an HTML
 * client's quote marker, so a rule at its end belongs to the history. Every line goes either to
 * `reply` or to `elided`; runs of cut lines are joined with a blank line between them.
 */
export function splitPlainText(
  text: string,
  historyFollows = false,
  counter: StepCounter = { steps: 0 },
): TextSplit {
  const lines = text.replace(/\r\n?/g, '\n').split('\n').map(withoutInvisibleMarks);
  const { keep, reasons, historyFound } = cutReply(
    lines,
    classifyLines(lines, counter),
    historyFollows,
    counter,
  );
  const replyLines: string[] = [];
  const elidedRuns: string[][] = [];
  let afterCut = false;
  for (let i = 0; i < lines.length; i++) {
    counter.steps += 1;
    const line = lines[i] ?? '';
    if (!keep[i]) {
      if (!afterCut) elidedRuns.push([]);
      elidedRuns[elidedRuns.length - 1]?.push(line);
      afterCut = true;
      continue;
    }
    // A line cut from between two blank lines leaves one blank line, not two.
    if (!(afterCut && isBlank(line) && isBlank(replyLines[replyLines.length - 1]))) {
      replyLines.push(line);
    }
    afterCut = false;
  }
  return {
    reply: replyLines.join('\n').trim(),
    elided: elidedRuns
      .map((run) => run.join('\n').trim())
      .filter((run) => run !== '')
      .join('\n\n'),
    reasons,
    historyFound,
  };
}
