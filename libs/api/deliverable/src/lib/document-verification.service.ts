import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { DocumentVerificationDto } from '@concord/contracts';
import { contentHashOfDocument, toProseMirrorJson } from '@concord/content';
import { ProposalContent, RevisionNotFoundError } from '@concord/collab';
import { type DocumentExported, submissionExportsStream } from '@concord/domain';
import { compareParagraphs, type DocumentManifest, expectedParagraphs, type ExportSection, NotADocxError, type PmNode, readDocx } from '@concord/document';
import { Principal, rootLogger, UserDirectory } from '@concord/api/platform';
import { EVENT_STORE, EventStore } from '@concord/event-store';
import { ProposalQueries, SubmissionQueries } from '@concord/api/drafting';
import { PROPOSAL_CONTENT } from '@concord/api/collab';
import { readPdfManifest } from './pdf-printer';

/**
 * Checks a received document against the log: its export must be recorded (the `DocumentExported`
 * event its manifest names — the event, not the file's manifest, says which revisions it holds),
 * each revision's text must still hash as recorded, and every numbered paragraph of a DOCX must
 * read as that text lays out, or the paragraph is named.
 */
@Injectable()
export class DocumentVerification {
  private readonly log = rootLogger.child({ context: 'DocumentVerification' });

  constructor(
    @Inject(PROPOSAL_CONTENT) private readonly content: ProposalContent,
    private readonly submissions: SubmissionQueries,
    private readonly proposalQueries: ProposalQueries,
    private readonly users: UserDirectory,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async verify(file: Buffer, principal: Principal): Promise<DocumentVerificationDto> {
    const format = file.subarray(0, 5).toString('latin1') === '%PDF-' ? 'pdf' : file.subarray(0, 2).toString('latin1') === 'PK' ? 'docx' : null;
    if (!format) throw new BadRequestException('The file is neither a DOCX nor a PDF document.');
    let manifest: DocumentManifest | null;
    let read: ReturnType<typeof readDocx> | null = null;
    if (format === 'docx') {
      try {
        read = readDocx(file);
      } catch (error) {
        if (error instanceof NotADocxError) throw new BadRequestException(error.message);
        throw error;
      }
      manifest = read.manifest;
    } else {
      manifest = await readPdfManifest(file);
    }
    const exportId = manifest?.exportId ?? read?.exportId ?? null;
    if (!manifest || !exportId || typeof manifest.submissionId !== 'string') {
      throw new BadRequestException('The file carries no Concord manifest: it was not exported by Concord, or its document properties were removed.');
    }
    // Also the access check: a caller with no role in the submission's workspace gets 404.
    const submission = await this.submissions.one(manifest.submissionId, principal);
    const events = await this.store.readStream(submissionExportsStream(submission.id)).catch(() => []);
    const event = events.find((e) => e.type === 'DocumentExported' && (e.data as DocumentExported['data']).exportId === exportId);
    const base = { format, exportId, submissionId: submission.id } as const;
    if (!event) {
      this.log.warn({ exportId, submissionId: submission.id }, 'verify: the export a document names is not in the log');
      return {
        ...base,
        valid: false,
        summary: `No export ${exportId} of this submission is recorded in the log: the file did not come from this Concord, or its manifest was changed.`,
        recorded: false,
        kind: null,
        exportedAt: null,
        exportedBy: null,
        proposals: [],
        textCompared: false,
        differences: [],
      };
    }
    const recorded = event.data as DocumentExported['data'];
    const [names, docs, titles] = await Promise.all([
      this.users.displayNamesIn(submission.iscmId, [event.metadata.userId]),
      Promise.all(recorded.proposals.map((p) => this.textAt(p.id, p.revision))),
      Promise.all(recorded.proposals.map((p) => this.proposalQueries.detail(p.id, principal).then((d) => d.title, () => p.id))),
    ]);
    const proposals = recorded.proposals.map((p, index) => ({
      id: p.id,
      title: titles[index],
      revision: p.revision,
      contentHash: p.contentHash,
      hashMatches: docs[index]?.hash === p.contentHash,
    }));
    const sections: ExportSection[] = recorded.sections.map((section) => ({
      number: section.number,
      heading: section.heading,
      proposals: section.proposalIds.map((id) => {
        const index = recorded.proposals.findIndex((p) => p.id === id);
        return { id, title: '', kindLabel: '', gcmObjectives: [], revision: recorded.proposals[index].revision, contentHash: '', doc: docs[index]?.doc ?? { type: 'doc', content: [] } };
      }),
    }));
    const textCompared = format === 'docx' && recorded.kind !== 'redline';
    const differences = textCompared && read ? compareParagraphs(expectedParagraphs({ sections }), read.paragraphs) : [];
    const hashesMatch = proposals.every((p) => p.hashMatches);
    const valid = hashesMatch && differences.length === 0;
    const summary = !hashesMatch
      ? `The log no longer reproduces the recorded text of ${proposals.filter((p) => !p.hashMatches).map((p) => `“${p.title}” revision ${p.revision}`).join(', ')}: run npm run verify on the log.`
      : differences.length
        ? `The file differs from the log in paragraph ${differences.map((d) => `${d.number} (${d.problem})`).join(', ')}.`
        : textCompared
          ? `Every numbered paragraph reads as the log's text of the revisions exported on ${event.metadata.at}.`
          : `The export is recorded and the revisions it names still hash as recorded; the ${format === 'pdf' ? 'PDF' : 'redline'}'s text itself is not compared (check the DOCX for that).`;
    this.log.info({ exportId, valid, differences: differences.length }, 'verify: document checked against the log');
    return {
      ...base,
      valid,
      summary,
      recorded: true,
      kind: recorded.kind,
      exportedAt: event.metadata.at,
      exportedBy: names.get(event.metadata.userId) ?? event.metadata.userId,
      proposals,
      textCompared,
      differences,
    };
  }

  private async textAt(proposalId: string, revision: number): Promise<{ doc: PmNode; hash: string } | null> {
    try {
      const doc = await this.content.documentAt(proposalId, revision);
      try {
        return { doc: toProseMirrorJson(doc) as unknown as PmNode, hash: contentHashOfDocument(doc) };
      } finally {
        doc.destroy();
      }
    } catch (error) {
      if (error instanceof RevisionNotFoundError) return null;
      if (error instanceof NotFoundException) return null;
      throw error;
    }
  }
}
