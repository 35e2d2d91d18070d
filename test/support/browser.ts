import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { chromiumPath } from './programs.js';
import type { TestService } from './test-service.js';

/** Launches headless Chromium with nothing running in the background that could reach out. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The origin the service's web pages are served from. */
export function webOrigin(test: TestService): string {
  return `http://127.0.0.1:${test.service.httpPort}`;
}

/** What a page did that a hostile email might have caused. */
export interface PageWatch {
  dialogs: string[];
  /** Console lines; payloads log `PWNED` when they run. */
  console: string[];
  /** Every request that left loopback (each was aborted), as `resourceType url`. */
  offsite: { url: string; type: string }[];
  /** `securitypolicyviolation` events the page saw, as `directive blockedURI`. */
  cspViolations: { directive: string; blocked: string }[];
}

// Runs in every frame before the page's own code: a sentinel payloads overwrite, and a record of
// what the Content-Security-Policy had to block (each one is something that tried to load or run).
const SENTINEL_SCRIPT = `
  window.__pwned = undefined;
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__csp.push({ directive: e.effectiveDirective, blocked: String(e.blockedURI) });
  });
`;

/**
 * A fresh browser context (own cookies) whose pages record dialogs, console lines and CSP
 * violations, and in which any request to a host other than loopback is recorded and aborted.
 * `bypassCSP` turns the page's policy off, to prove the markup itself is harmless.
 */
export async function watchedContext(
  browser: Browser,
  options: { bypassCSP?: boolean; viewport?: { width: number; height: number } } = {},
): Promise<{ context: BrowserContext; page: Page; watch: PageWatch }> {
  const context = await browser.newContext({
    acceptDownloads: true,
    bypassCSP: options.bypassCSP ?? false,
    viewport: options.viewport ?? { width: 1280, height: 800 },
  });
  const watch: PageWatch = { dialogs: [], console: [], offsite: [], cspViolations: [] };
  await context.addInitScript(SENTINEL_SCRIPT);
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' || url.hostname === 'localhost') return route.continue();
    watch.offsite.push({ url: url.href, type: route.request().resourceType() });
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('dialog', (dialog) => {
    watch.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => undefined);
  });
  page.on('console', (message) => watch.console.push(message.text()));
  return { context, page, watch };
}

/** Reads the sentinel and the CSP record of the page as it stands, into `watch`. */
export async function collectPageSignals(page: Page, watch: PageWatch): Promise<unknown> {
  const signals = await page.evaluate(() => {
    const w = globalThis as unknown as {
      __pwned?: unknown;
      __csp?: { directive: string; blocked: string }[];
    };
    return { pwned: w.__pwned, csp: w.__csp ?? [] };
  });
  watch.cspViolations.push(...signals.csp);
  return signals.pwned;
}

/**
 * Signs `email` in the way a person does: asks for a link on /login, takes it from the mail Docket
 * queued (the newest 'login-link' outbox row for that address), opens it and confirms. The link
 * names the configured public URL; its path is opened on this test server.
 */
export async function signInWithBrowser(
  page: Page,
  test: TestService,
  email: string,
): Promise<void> {
  const origin = webOrigin(test);
  await page.goto(`${origin}/login`);
  await page.getByLabel('Your email address').fill(email);
  await Promise.all([
    page.waitForURL(`${origin}/login`),
    page.getByRole('button', { name: 'Send me a login link' }).click(),
  ]);
  await page.getByRole('heading', { name: 'Check your email' }).waitFor();
  const mails = await test.service.db
    .selectFrom('outbox')
    .select(['to_addresses', 'text_body'])
    .where('kind', '=', 'login-link')
    .orderBy('id', 'desc')
    .execute();
  const mail = mails.find((row) => row.to_addresses.includes(email.toLowerCase()));
  const path = /\/login\/[0-9a-f]{64}/.exec(mail?.text_body ?? '')?.[0];
  if (!path) throw new Error(`no login mail for ${email} in the outbox`);
  await openLoginLink(page, `${origin}${path}`);
}

/** Opens a login link (mailed, or printed by `docket login-link`) and presses its button. */
export async function openLoginLink(page: Page, url: string): Promise<void> {
  const origin = new URL(url).origin;
  await page.goto(url);
  await Promise.all([
    page.waitForURL(`${origin}/`),
    page.getByRole('button', { name: 'Log in', exact: true }).click(),
  ]);
}
