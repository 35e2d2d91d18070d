import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { collectPageSignals, type PageWatch } from '../support/browser.js';

/**
 * The host the hostile mails name for anything that would only be fetched if markup ran or leaked:
 * scripts, frames, stylesheets, CSS images, form targets, refresh targets.
 */
export const EVIL_HOST = 'evil.example';
/** The host of the mails' ordinary remote images, which load only when the reader asks. */
export const IMAGES_HOST = 'images.example';

/**
 * CSP reports that are not something running: plain-http images after "show remote images"
 * (img-src allows https only). Anything else — script, frame, object, stylesheet, style element,
 * base, form, connect — means a payload got as far as the browser. (Inline style attributes are
 * allowed: the sanitiser has already cut them down to harmless properties.)
 */
const HARMLESS_DIRECTIVES = new Set(['img-src']);

export function resetWatch(watch: PageWatch): void {
  watch.dialogs.length = 0;
  watch.console.length = 0;
  watch.offsite.length = 0;
  watch.cspViolations.length = 0;
}

/**
 * Proves nothing a hostile mail carried ran on the page: the sentinel is untouched, no dialog
 * opened, no payload logged, no request left for another host (remote images only when
 * `remoteImages`, and only as images of the images host), and the CSP had nothing active to block.
 */
export async function expectNothingRan(
  page: Page,
  watch: PageWatch,
  where: string,
  options: { remoteImages?: boolean } = {},
): Promise<void> {
  // Timers, autofocus, animations and image errors get a moment to fire.
  await page.waitForTimeout(150);
  const pwned = await collectPageSignals(page, watch);
  expect(pwned, `sentinel on ${where}`).toBeUndefined();
  expect(watch.dialogs, `dialogs on ${where}`).toEqual([]);
  expect(
    watch.console.filter((line) => /pwned/i.test(line)),
    `console on ${where}`,
  ).toEqual([]);
  const offsite = watch.offsite.filter(
    (request) =>
      !(
        options.remoteImages &&
        request.type === 'image' &&
        new URL(request.url).hostname === IMAGES_HOST
      ),
  );
  expect(offsite, `requests leaving loopback from ${where}`).toEqual([]);
  expect(
    watch.cspViolations.filter(
      (v) =>
        !HARMLESS_DIRECTIVES.has(v.directive) ||
        (v.directive === 'img-src' && !v.blocked.startsWith('http:')),
    ),
    `CSP violations on ${where}`,
  ).toEqual([]);
  expect(page.url(), `still on Docket after ${where}`).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
}
