import { readFileSync, statSync } from 'node:fs';
import { contentHashOfDocument, toProseMirrorJson } from '@concord/content';
import { createRevisionReader, RevisionNotFoundError } from '@concord/collab';
import { type DocumentExported, submissionExportsStream } from '@concord/domain';
import {
  type DocumentVerdict,
  judgeDocument,
  type PmNode,
  readReceivedDocument,
  type ReceivedDocument,
  type RevisionText,
  unrecordedExportVerdict,
} from '@concord/document';
import { type EventStore, StreamNotFoundError } from '@concord/event-store';

/** The largest file `--document` reads: the API's upload limit. */
export const MAX_DOCUMENT_BYTES = 25 * 1024 * 1024;

/** The file cannot be checked (missing, too large, not a Concord DOCX/PDF): exit code 2. */
export class DocumentInputError extends Error {}

export interface DocumentCheck {
  received: ReceivedDocument;
  recorded: boolean;
  exportedAt: string | null;
  exportedBy: string | null;
  verdict: DocumentVerdict;
}

/** Reads a received file; throws DocumentInputError with the reason when it cannot be checked. */
export async function readDocumentFile(file: string): Promise<ReceivedDocument> {
  let bytes: Buffer;
  try {
    if (statSync(file).size > MAX_DOCUMENT_BYTES) throw new DocumentInputError(`${file} is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MiB`);
    bytes = readFileSync(file);
  } catch (error) {
    if (error instanceof DocumentInputError) throw error;
    throw new DocumentInputError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return await readReceivedDocument(bytes);
  } catch (error) {
    throw new DocumentInputError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * The check of `POST /api/documents/verify` over a log at rest: the export event the manifest
 * names, each revision replayed from the content stream (nearest snapshot plus the tail, as the
 * server does), and `judgeDocument` of @concord/document for the verdict.
 */
export async function checkDocument(store: EventStore, received: ReceivedDocument): Promise<DocumentCheck> {
  const events = await store.readStream(submissionExportsStream(received.submissionId)).catch((error: unknown) => {
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  });
  const event = events.find((e) => e.type === 'DocumentExported' && (e.data as DocumentExported['data']).exportId === received.exportId);
  if (!event) return { received, recorded: false, exportedAt: null, exportedBy: null, verdict: unrecordedExportVerdict(received.exportId) };
  const recorded = event.data as DocumentExported['data'];
  const revisions = createRevisionReader(store);
  const texts: (RevisionText | null)[] = [];
  for (const proposal of recorded.proposals) {
    let doc;
    try {
      doc = await revisions.documentAt(proposal.id, proposal.revision);
    } catch (error) {
      if (error instanceof RevisionNotFoundError || error instanceof StreamNotFoundError) {
        texts.push(null);
        continue;
      }
      throw error;
    }
    try {
      texts.push({ doc: toProseMirrorJson(doc) as unknown as PmNode, hash: contentHashOfDocument(doc) });
    } finally {
      doc.destroy();
    }
  }
  const verdict = judgeDocument({ received, recorded, exportedAt: event.metadata.at, texts });
  return { received, recorded: true, exportedAt: event.metadata.at, exportedBy: event.metadata.userId, verdict };
}

/** What the CLI prints: the verdict, the revisions, then each paragraph that differs. */
export function describeDocumentCheck(check: DocumentCheck): { out: string[]; err: string[] } {
  const { received, verdict } = check;
  const out = [
    `Document: ${received.format.toUpperCase()}, export ${received.exportId} of submission ${received.submissionId}` +
      (check.recorded ? `, recorded ${check.exportedAt} by user ${check.exportedBy}` : ''),
  ];
  const err: string[] = [];
  for (const p of verdict.proposals) {
    (p.hashMatches ? out : err).push(
      `  proposal ${p.id} revision ${p.revision}: ${p.hashMatches ? 'hash matches' : `HASH MISMATCH — the log no longer reproduces ${p.contentHash}`}`,
    );
  }
  for (const d of verdict.differences) {
    err.push(
      `  paragraph ${d.number} ${d.problem}` +
        (d.expected !== null ? `\n    log:  ${JSON.stringify(d.expected)}` : '') +
        (d.found !== null ? `\n    file: ${JSON.stringify(d.found)}` : ''),
    );
  }
  (verdict.valid ? out : err).push(`${verdict.valid ? 'VALID' : 'INVALID'}: ${verdict.summary}`);
  return { out, err };
}
