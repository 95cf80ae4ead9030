import { randomUUID } from 'node:crypto';
import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import * as Y from 'yjs';
import { INTRODUCTION_KIND, type ParagraphNumbersDto, type ProposalDetailDto, type SubmissionDto } from '@concord/contracts';
import { AttributionIndex, contentHashOfDocument, diffRevisions, toProseMirrorJson } from '@concord/content';
import { ProposalContent, RevisionNotFoundError } from '@concord/collab';
import { type DocumentExported, type ProposalEvent, proposalDecider, proposalStream, submissionExportsStream } from '@concord/domain';
import {
  type ApprovalRecord,
  type DocumentManifest,
  type ExportDocumentModel,
  type ExportProposal,
  layOutDocument,
  numberedParagraphs,
  type PmNode,
  type RedlineSpan,
  type SuggestionRendering,
  writeDocx,
  writeHtml,
  writeRedlineDocx,
  writeRedlineHtml,
} from '@concord/document';
import { findIscm, findMemberState, PRACTICAL_APPROACH_TYPES } from '@concord/reference';
import { Principal, rootLogger, UserDirectory } from '@concord/api/platform';
import { EVENT_STORE, EventStore, type RecordedEvent, StreamNotFoundError } from '@concord/event-store';
import { CHECKPOINT_STREAM } from '@concord/event-log-tools';
import { DraftingContext, ProposalQueries, SubmissionQueries } from '@concord/api/drafting';
import { PROPOSAL_CONTENT } from '@concord/api/collab';
import { ThreadQueries } from '@concord/api/review';
import { PdfPrinter } from './pdf-printer';

export type ExportFormat = 'docx' | 'pdf';
/** Open comment threads as Word comments (DOCX; a PDF leaves them out), or left out. */
export type CommentRendering = 'omit' | 'include';

export interface ExportedFile {
  body: Buffer;
  contentType: string;
  filename: string;
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
};

/** Separates user id and time in the keys of the redline's attribution index. */
const KEY_SEPARATOR = '\u0000';

/**
 * The deliverable (issue 13): a submission or a proposal at a revision as DOCX or PDF, and a
 * redline between two revisions. Every file is built from recorded revisions only, carries a
 * manifest, and is recorded as `DocumentExported` before it is sent.
 */
@Injectable()
export class DocumentExports {
  private readonly log = rootLogger.child({ context: 'DocumentExports' });

  constructor(
    @Inject(PROPOSAL_CONTENT) private readonly content: ProposalContent,
    private readonly proposals: ProposalQueries,
    private readonly submissions: SubmissionQueries,
    private readonly users: UserDirectory,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly printer: PdfPrinter,
    private readonly threads: ThreadQueries,
    private readonly context: DraftingContext,
  ) {}

  async exportSubmission(
    submissionId: string,
    principal: Principal,
    options: { format: ExportFormat; revisions: 'current' | 'approved'; suggestions: SuggestionRendering; comments: CommentRendering },
  ): Promise<ExportedFile> {
    const submission = await this.submissions.one(submissionId, principal);
    const summaries = (await this.proposals.list(principal, { submissionId })).filter((p) => p.status !== 'withdrawn');
    if (options.revisions === 'approved') {
      const unapproved = summaries.filter((p) => p.approvedRevision === null);
      if (unapproved.length) {
        throw new ConflictException(
          `The approved texts cannot be exported: ${unapproved.map((p) => `“${p.title}”`).join(', ')} ${unapproved.length === 1 ? 'has' : 'have'} no approval yet. Export the current texts instead.`,
        );
      }
    }
    const details = await Promise.all(summaries.map((p) => this.proposals.detail(p.id, principal)));
    const proposals = await Promise.all(
      details.map((detail) =>
        this.exportProposal(detail, options.revisions === 'approved' ? (detail.approval?.revision ?? detail.currentRevision) : detail.currentRevision, principal, options.comments),
      ),
    );
    const sections = sectionsOf(submission, proposals);
    const checkpoints = await this.signedCheckpoints();
    const approvals = await Promise.all(details.map((detail, index) => this.approvalRecord(detail, proposals[index].contentHash, checkpoints)));
    const edition = options.revisions === 'approved' ? 'Approved texts' : 'Current texts (as drafted, not all approved)';
    return this.render(submission, principal, { kind: 'submission', sections, approvals, edition, title: submission.title, ...options }, `${slug(submission.title)}-${options.revisions}`);
  }

  /** The paragraph numbers of the submission's current texts (`ParagraphNumbersDto`); records nothing. */
  async paragraphNumbers(submissionId: string, principal: Principal): Promise<ParagraphNumbersDto> {
    const submission = await this.submissions.one(submissionId, principal);
    const summaries = (await this.proposals.list(principal, { submissionId })).filter((p) => p.status !== 'withdrawn');
    const details = await Promise.all(summaries.map((p) => this.proposals.detail(p.id, principal)));
    const proposals = await Promise.all(details.map((detail) => this.exportProposal(detail, detail.currentRevision, principal, 'omit')));
    const revisions = new Map(proposals.map((proposal) => [proposal.id, proposal.revision]));
    const paragraphs = numberedParagraphs(layOutDocument(sectionsOf(submission, proposals)));
    return { submissionId, paragraphs: paragraphs.map((paragraph) => ({ ...paragraph, revision: revisions.get(paragraph.proposalId) ?? 0 })) };
  }

  async exportProposalAt(
    proposalId: string,
    principal: Principal,
    options: { format: ExportFormat; revision: number | null; suggestions: SuggestionRendering; comments: CommentRendering },
  ): Promise<ExportedFile> {
    const detail = await this.proposals.detail(proposalId, principal);
    const submission = await this.submissions.one(detail.submissionId, principal);
    const revision = options.revision ?? detail.currentRevision;
    if (revision > detail.currentRevision) {
      throw new NotFoundException(`Proposal ${proposalId} has no revision ${revision} yet (newest is ${detail.currentRevision})`);
    }
    const proposal = await this.exportProposal(detail, revision, principal, options.comments);
    const approvals = [await this.approvalRecord(detail, proposal.contentHash, await this.signedCheckpoints())];
    const sections = [{ number: null, heading: detail.title, proposals: [proposal] }];
    return this.render(
      submission,
      principal,
      { kind: 'proposal', sections, approvals, edition: `Revision ${revision}`, title: detail.title, ...options },
      `${slug(detail.title)}-r${revision}`,
    );
  }

  async redline(proposalId: string, principal: Principal, options: { from: number; to: number; format: ExportFormat }): Promise<ExportedFile> {
    const detail = await this.proposals.detail(proposalId, principal);
    const submission = await this.submissions.one(detail.submissionId, principal);
    const { from, to } = options;
    if (from > to) throw new BadRequestException(`from (${from}) must not be after to (${to})`);
    if (to > detail.currentRevision) throw new NotFoundException(`Proposal ${proposalId} has no revision ${to} yet (newest is ${detail.currentRevision})`);
    const spans = await this.redlineSpans(detail, from, to);
    const [fromHash, toHash] = await Promise.all([this.context.contentHashAt(proposalId, from), this.context.contentHashAt(proposalId, to)]);
    const manifest = await this.record(submission, principal, {
      kind: 'redline',
      format: options.format,
      proposals: [{ id: proposalId, revision: to, contentHash: toHash }],
      sections: [{ number: null, heading: detail.title, proposalIds: [proposalId] }],
      fromRevision: from,
      suggestions: 'tracked',
    });
    const model = { title: detail.title, iscmName: iscmName(submission.iscmId), fromRevision: from, toRevision: to, fromHash, toHash, spans, manifest };
    const name = `${slug(detail.title)}-changes-r${from}-r${to}`;
    if (options.format === 'docx') return docxFile(await writeRedlineDocx(model), name);
    return pdfFile(await this.printer.print(writeRedlineHtml(model), `${detail.title} — changes`, manifest), name);
  }

  /** The text of a proposal at a revision, as the document lays it out, with the comment threads open at that revision when asked. */
  private async exportProposal(detail: ProposalDetailDto, revision: number, principal: Principal, comments: CommentRendering): Promise<ExportProposal> {
    const threads =
      comments === 'include'
        ? (await this.threads.list(detail.id, principal, revision))
            .filter((thread) => thread.status === 'open')
            .map((thread) => ({ quote: thread.quote, messages: thread.messages.map((m) => ({ author: m.authorName, at: m.at, body: m.body })) }))
        : [];
    const doc = await this.documentAt(detail.id, revision);
    const introduction = detail.kind === INTRODUCTION_KIND;
    try {
      return {
        ...(threads.length ? { comments: threads } : {}),
        ...(introduction ? { introduction } : {}),
        id: detail.id,
        title: detail.title,
        kindLabel: introduction ? 'Section introduction' : (PRACTICAL_APPROACH_TYPES.find((type) => type.id === detail.kind)?.label ?? detail.kind),
        gcmObjectives: detail.gcmObjectives,
        revision,
        contentHash: contentHashOfDocument(doc),
        doc: toProseMirrorJson(doc) as unknown as PmNode,
      };
    } finally {
      doc.destroy();
    }
  }

  private async render(
    submission: SubmissionDto,
    principal: Principal,
    spec: {
      kind: 'submission' | 'proposal';
      format: ExportFormat;
      suggestions: SuggestionRendering;
      comments: CommentRendering;
      sections: ExportDocumentModel['sections'];
      approvals: ApprovalRecord[];
      edition: string;
      title: string;
    },
    name: string,
  ): Promise<ExportedFile> {
    const proposals = spec.sections.flatMap((section) => section.proposals);
    const manifest = await this.record(submission, principal, {
      kind: spec.kind,
      format: spec.format,
      proposals: proposals.map(({ id, revision, contentHash }) => ({ id, revision, contentHash })),
      sections: spec.sections.map((section) => ({ number: section.number, heading: section.heading, proposalIds: section.proposals.map((p) => p.id) })),
      fromRevision: null,
      suggestions: spec.suggestions,
      comments: spec.comments,
    });
    const coSponsors = new Map(
      await Promise.all(proposals.map(async (p) => [p.id, await this.coSponsorsAt(p.id, submission.iscmId, manifest.logPosition)] as const)),
    );
    const sections = spec.sections.map((section) => ({
      ...section,
      proposals: section.proposals.map((p) => (coSponsors.get(p.id)?.length ? { ...p, coSponsors: coSponsors.get(p.id) } : p)),
    }));
    const model: ExportDocumentModel = {
      title: spec.title,
      iscmName: iscmName(submission.iscmId),
      consultation: submission.consultation,
      date: manifest.exportedAt.slice(0, 10),
      edition: spec.edition,
      sections,
      approvals: spec.approvals,
      suggestions: spec.suggestions,
      people: await this.people(submission.iscmId, proposals),
      manifest,
    };
    if (spec.format === 'docx') return docxFile(await writeDocx(model), name);
    return pdfFile(await this.printer.print(writeHtml(model), spec.title, manifest), name);
  }

  /** Records the export (who, what, when) and gives the manifest the file carries. */
  private async record(
    submission: SubmissionDto,
    principal: Principal,
    what: Pick<DocumentExported['data'], 'kind' | 'format' | 'proposals' | 'sections' | 'fromRevision' | 'suggestions' | 'comments'>,
  ): Promise<DocumentManifest> {
    const exportId = randomUUID();
    const logPosition = await this.store.headPosition();
    const at = new Date().toISOString();
    const data: DocumentExported['data'] = { exportId, iscmId: submission.iscmId, submissionId: submission.id, logPosition, ...what };
    await this.store.append(submissionExportsStream(submission.id), [
      { id: randomUUID(), type: 'DocumentExported', data: data as never, metadata: { userId: principal.userId, at } },
    ]);
    this.log.info({ exportId, submissionId: submission.id, kind: what.kind, format: what.format, userId: principal.userId }, 'document exported');
    return {
      format: 'concord-document/1',
      exportId,
      kind: what.kind,
      submissionId: submission.id,
      proposals: what.proposals,
      sections: what.sections,
      ...(what.fromRevision === null ? {} : { fromRevision: what.fromRevision }),
      suggestions: what.suggestions,
      logPosition,
      exportedAt: at,
      exportedBy: principal.userId,
    };
  }

  /** The approval of a proposal as the log records it, with its position and the signed checkpoint covering it. */
  private async approvalRecord(detail: ProposalDetailDto, exportedHash: string, checkpoints: readonly RecordedEvent[]): Promise<ApprovalRecord> {
    const approval = detail.approval;
    if (!approval) {
      return { proposalId: detail.id, proposalTitle: detail.title, revision: null, contentHash: null, chair: null, at: null, current: false, logPosition: null, checkpoint: null };
    }
    const events = await this.store.readStream(proposalStream(detail.id), { direction: 'backwards' });
    const approvedEvent = events.find((event) => event.type === 'ProposalApproved');
    const logPosition = approvedEvent?.position ?? null;
    const names = await this.users.displayNamesIn(detail.iscmId, [approval.approvedBy]);
    return {
      proposalId: detail.id,
      proposalTitle: detail.title,
      revision: approval.revision,
      contentHash: approval.contentHash,
      chair: names.get(approval.approvedBy) ?? approval.approvedBy,
      at: approval.at,
      current: approval.contentHash === exportedHash,
      logPosition,
      checkpoint: logPosition === null ? null : checkpointCovering(checkpoints, logPosition),
    };
  }

  /**
   * The names of the member states co-sponsoring a proposal as the log stands at `logPosition` (the
   * export's position): its stream up to there, folded by the proposal decider; alphabetical.
   */
  private async coSponsorsAt(proposalId: string, iscmId: string, logPosition: number): Promise<string[]> {
    const events = await this.store.readStream(proposalStream(proposalId));
    let state = proposalDecider.initialState();
    for (const event of events) {
      if (event.position > logPosition) break;
      state = proposalDecider.evolve(state, { type: event.type, data: event.data } as ProposalEvent);
    }
    if (state.status === 'none') return [];
    return state.coSponsors.map((code) => findMemberState(iscmId, code)?.name ?? code).sort((a, b) => a.localeCompare(b, 'en'));
  }

  /** The signed checkpoints in log order, read once per export (none signed yet: none). */
  private async signedCheckpoints(): Promise<RecordedEvent[]> {
    try {
      return await this.store.readStream(CHECKPOINT_STREAM);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
  }

  /**
   * The changes from `from` to `to` with Word's meaning: an insertion by whoever wrote the words,
   * a deletion by whoever deleted them (not by the words' author, which is what the history diff
   * shows), each with the time its update was recorded.
   */
  private async redlineSpans(detail: ProposalDetailDto, from: number, to: number): Promise<RedlineSpan[]> {
    // Only the updates after `from`: an inserted span is words no revision before had (Yjs never
    // brings deleted words back), so an update after `from` carried them; a deleted span is words
    // one of those updates deleted. Words equal in both need no author.
    const [source, updates] = await Promise.all([this.content.historySource(detail.id, { from, to }), this.content.updatesWithAuthors(detail.id, to, from)]);
    const written = AttributionIndex.fromUpdates(updates.map((u) => ({ update: u.update, userId: `${u.userId}${KEY_SEPARATOR}${u.at}` })));
    const deleted = new DeletionIndex();
    for (const u of updates) deleted.add(u.update, `${u.userId}${KEY_SEPARATOR}${u.at}`);
    const spans = diffRevisions({ ...source, from, to, attribution: (client, clock) => deleted.keyAt(client, clock) ?? written.userAt(client, clock) });
    const ids = [...new Set(spans.flatMap((span) => (span.userId ? [span.userId.split(KEY_SEPARATOR)[0]] : [])))];
    const names = await this.users.displayNamesIn(detail.iscmId, ids);
    return spans.map((span) => {
      if (span.type === 'equal' || !span.userId) return { type: span.type, text: span.text };
      const [userId, at] = span.userId.split(KEY_SEPARATOR);
      return { type: span.type, text: span.text, author: names.get(userId) ?? userId, at };
    });
  }

  private async people(iscmId: string, proposals: readonly ExportProposal[]): Promise<Map<string, string>> {
    const ids = new Set<string>();
    const walk = (node: PmNode) => {
      for (const mark of node.marks ?? []) if (typeof mark.attrs?.['authorId'] === 'string') ids.add(mark.attrs['authorId']);
      node.content?.forEach(walk);
    };
    proposals.forEach((p) => walk(p.doc));
    return ids.size ? this.users.displayNamesIn(iscmId, [...ids]) : new Map();
  }

  private async documentAt(proposalId: string, revision: number): Promise<Y.Doc> {
    try {
      return await this.content.documentAt(proposalId, revision);
    } catch (error) {
      if (error instanceof RevisionNotFoundError) throw new NotFoundException(error.message);
      throw error;
    }
  }
}

/** The first signed checkpoint at or after `position`, if one has been signed. */
function checkpointCovering(checkpoints: readonly RecordedEvent[], position: number): ApprovalRecord['checkpoint'] {
  for (const event of checkpoints) {
    const data = event.data as { globalPosition?: number; merkleRoot?: string; at?: string };
    if (typeof data.globalPosition === 'number' && data.globalPosition >= position) {
      return { globalPosition: data.globalPosition, merkleRoot: String(data.merkleRoot), at: String(data.at ?? event.metadata.at) };
    }
  }
  return null;
}

/** Which update deleted which Yjs items: the delete sets of the updates, in stream order (the first deletion counts). */
class DeletionIndex {
  private readonly ranges = new Map<number, { start: number; end: number; key: string }[]>();

  add(update: Uint8Array, key: string): void {
    const { ds } = Y.decodeUpdate(update);
    for (const [client, items] of ds.clients) {
      const list = this.ranges.get(client) ?? [];
      for (const item of items) list.push({ start: item.clock, end: item.clock + item.len, key });
      this.ranges.set(client, list);
    }
  }

  keyAt(client: number, clock: number): string | undefined {
    return this.ranges.get(client)?.find((range) => clock >= range.start && clock < range.end)?.key;
  }
}

/**
 * The sections of a submission's document: its consultation's guiding questions in order, each
 * with its proposals in their placed order (sections without any are left out; numbers stay the
 * question's), then "Other contributions". A section's introduction comes first in it (its
 * paragraphs take the first numbers, the proposals' go on after them). A proposal the sections do
 * not list yet goes last.
 */
export function sectionsOf(submission: Pick<SubmissionDto, 'sections'>, proposals: readonly ExportProposal[]): ExportDocumentModel['sections'] {
  const byId = new Map(proposals.map((p) => [p.id, p]));
  const placed = new Set<string>();
  const sections = (submission.sections ?? []).map((section) => {
    const ids = section.introductionId ? [section.introductionId, ...section.proposalIds] : section.proposalIds;
    const members = ids.flatMap((id) => {
      const proposal = byId.get(id);
      if (!proposal || placed.has(id)) return [];
      placed.add(id);
      return [proposal];
    });
    return { number: section.number, heading: section.question, proposals: members };
  });
  const rest = proposals.filter((p) => !placed.has(p.id));
  if (rest.length) {
    const last = sections[sections.length - 1];
    if (last) last.proposals.push(...rest);
    else sections.push({ number: 1, heading: 'Practical approaches', proposals: rest });
  }
  return sections.filter((section) => section.proposals.length > 0);
}

function iscmName(iscmId: string): string {
  return findIscm(iscmId)?.name ?? iscmId;
}

/** A file name from a title: ASCII letters and digits, dashes between, at most 80 characters. */
export function slug(title: string): string {
  const ascii = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '')
    .toLowerCase();
  return ascii || 'concord-document';
}

function docxFile(body: Buffer, name: string): ExportedFile {
  return { body, contentType: CONTENT_TYPES.docx, filename: `${name}.docx` };
}

function pdfFile(body: Buffer, name: string): ExportedFile {
  return { body, contentType: CONTENT_TYPES.pdf, filename: `${name}.pdf` };
}
