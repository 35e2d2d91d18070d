import type { SessionUser, WebSession } from '../auth/web-session.js';
import type { BlobStore } from '../blobs/blob-store.js';
import type { Db } from '../db/database.js';
import type { OutboxContext } from '../outbox/enqueue.js';
import type { ProjectListing } from '../users/project-access.js';
import type { ProjectRole } from '../users/project-role.js';

/** What the web app is built from; `now` lets tests pin the clock. */
export interface WebDeps {
  db: Db;
  blobs: BlobStore;
  version: string;
  now?: () => Date;
  /** How the pages send mail (login links); tests may leave it out and get a captured outbox. */
  mail?: WebMail;
  /** A reverse proxy sets X-Forwarded-For/-Proto, so they are believed (TRUST_PROXY). */
  trustProxy?: boolean;
  /** The deployment's reply-token secret: the log reads reply addresses to name their record. */
  secret?: string | null;
}

export interface WebMail {
  outbox: OutboxContext;
  /** Where people reach the pages: links in mail point here, never at the request's Host. */
  publicUrl: string;
  /** Wakes the delivery worker after a page queued mail. */
  afterQueued?: () => void;
}

/** The variables middleware puts on every request's context. */
export interface WebEnv {
  Variables: {
    session: WebSession | null;
    user: SessionUser | null;
    /** The hidden `_csrf` value every form on the page carries. */
    csrfToken: string;
    /** The client's address (the proxy's view of it under TRUST_PROXY); null in route tests. */
    clientAddress: string | null;
    /** Whether the client reached us over HTTPS, directly or through a trusted proxy. */
    https: boolean;
    /** On `/p/:code/...` pages (see `loadProject`): the project and the reader's role in it. */
    project: ProjectListing;
    role: ProjectRole;
  };
}

export const SESSION_COOKIE = 'docket_session';
/** Before a session exists, forms use a double-submit cookie. */
export const CSRF_COOKIE = 'docket_csrf';
export const CSRF_FIELD = '_csrf';
