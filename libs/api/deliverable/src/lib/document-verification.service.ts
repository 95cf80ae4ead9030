import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { DocumentVerificationDto } from '@concord/contracts';
import { contentHashOfDocument, toProseMirrorJson } from '@concord/content';
import { ProposalContent, RevisionNotFoundError } from '@concord/collab';
import { type DocumentExported, submissionExportsStream } from '@concord/domain';
import {
  judgeDocument,
  type PmNode,
  readReceivedDocument,
  type ReceivedDocument,
  type RevisionText,
  UnusableDocumentError,
  unrecordedExportVerdict,
} from '@concord/document';
import { Principal, rootLogger, UserDirectory } from '@concord/api/platform';
import { EVENT_STORE, EventStore, StreamNotFoundError } from '@concord/event-store';
import { ProposalQueries, SubmissionQueries } from '@concord/api/drafting';
import { PROPOSAL_CONTENT } from '@concord/api/collab';

/**
 * Checks a received document against the log: its export must be recorded (the `DocumentExported`
 * event its manifest names — the event, not the file's manifest, says which revisions it holds),
 * each revision's text must still hash as recorded, and every numbered paragraph of a DOCX must
 * read as that text lays out, or the paragraph is named. The file reading and the verdict are
 * `readReceivedDocument`/`judgeDocument` of @concord/document, which `npm run verify -- --document`
 * uses too; this service adds access, titles and names from the read models.
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
    let received: ReceivedDocument;
    try {
      received = await readReceivedDocument(file);
    } catch (error) {
      if (error instanceof UnusableDocumentError) throw new BadRequestException(error.message);
      throw error;
    }
    const { format, exportId } = received;
    // Also the access check: a caller with no role in the submission's workspace gets 404.
    const submission = await this.submissions.one(received.submissionId, principal);
    // No export of this submission yet: the file's export is then not recorded (any other failure of the store is one).
    const events = await this.store.readStream(submissionExportsStream(submission.id)).catch((error: unknown) => {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    });
    const event = events.find((e) => e.type === 'DocumentExported' && (e.data as DocumentExported['data']).exportId === exportId);
    const base = { format, exportId, submissionId: submission.id } as const;
    if (!event) {
      this.log.warn({ exportId, submissionId: submission.id }, 'verify: the export a document names is not in the log');
      return { ...base, ...unrecordedExportVerdict(exportId), recorded: false, kind: null, exportedAt: null, exportedBy: null };
    }
    const recorded = event.data as DocumentExported['data'];
    const [names, texts, titles] = await Promise.all([
      this.users.displayNamesIn(submission.iscmId, [event.metadata.userId]),
      Promise.all(recorded.proposals.map((p) => this.textAt(p.id, p.revision))),
      Promise.all(recorded.proposals.map((p) => this.proposalQueries.detail(p.id, principal).then((d) => d.title, () => p.id))),
    ]);
    const verdict = judgeDocument({ received, recorded, exportedAt: event.metadata.at, texts, titles });
    this.log.info({ exportId, valid: verdict.valid, differences: verdict.differences.length }, 'verify: document checked against the log');
    return {
      ...base,
      ...verdict,
      recorded: true,
      kind: recorded.kind,
      exportedAt: event.metadata.at,
      exportedBy: names.get(event.metadata.userId) ?? event.metadata.userId,
    };
  }

  private async textAt(proposalId: string, revision: number): Promise<RevisionText | null> {
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
