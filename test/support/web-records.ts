import type { Service } from '../../src/main.js';
import { MailTemplates } from '../../src/outbox/templates.js';
import { createWebApp } from '../../src/web/app.js';
import { WEB_BASE } from './web-sign-in.js';

export type WebApp = ReturnType<typeof createWebApp>;

/**
 * The web pages over a running test service's database and blobs, so records filed by real SMTP
 * deliveries are what the pages show. `now` pins the pages' clock (overdue is judged against it).
 */
export function webAppOn(service: Service, now?: () => Date): WebApp {
  return createWebApp({
    db: service.db,
    blobs: service.blobs,
    version: 'test',
    ...(now ? { now } : {}),
    secret: service.config.secret,
    mail: {
      outbox: {
        blobs: service.blobs,
        templates: new MailTemplates(),
        mailDomain: service.config.mailDomain,
        relayConfigured: false,
      },
      publicUrl: WEB_BASE,
    },
  });
}

/** A GET as a signed-in person's browser sends it. */
export function getAs(app: WebApp, cookie: string, path: string): Promise<Response> {
  return Promise.resolve(app.request(`${WEB_BASE}${path}`, { headers: { cookie } }));
}

/** The CSRF token a page's forms carry. */
export function csrfOf(html: string): string {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
}

/** Submits a form as the person would: their cookie, the page's CSRF token, urlencoded fields. */
export function postAs(
  app: WebApp,
  cookie: string,
  path: string,
  fields: Record<string, string>,
): Promise<Response> {
  return Promise.resolve(
    app.request(`${WEB_BASE}${path}`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    }),
  );
}
