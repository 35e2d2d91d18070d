import type { DNSResolver } from 'mailauth';
import type { BlobStore } from '../blobs/blob-store.js';
import type { Config } from '../config.js';
import { MailTemplates } from '../outbox/templates.js';
import type { RecordContext } from './record-context.js';

/**
 * The record context of a configured deployment: what `docket serve` files mail with and what a
 * one-off `docket jobs run` sends reminders with, so the two cannot drift apart.
 */
export function configuredRecordContext(
  config: Config,
  blobs: BlobStore,
  dnsResolver?: DNSResolver,
): RecordContext {
  return {
    outbox: {
      blobs,
      templates: new MailTemplates(),
      mailDomain: config.mailDomain,
      relayConfigured: config.relayUrl !== null,
    },
    secret: config.secret,
    mailDomain: config.mailDomain,
    ...(dnsResolver ? { dnsResolver } : {}),
  };
}
