import type { Event } from '../shared/decider';

/**
 * A document left Concord: who exported what, when (issue 13). Recorded in
 * `submission-<id>-exports` before the file is sent; the file carries `exportId` in its manifest,
 * so a received document can be traced to this event and its revisions checked against the log.
 */
export type DocumentExported = Event<
  'DocumentExported',
  {
    exportId: string;
    iscmId: string;
    submissionId: string;
    kind: 'submission' | 'proposal' | 'redline';
    format: 'docx' | 'pdf';
    proposals: { id: string; revision: number; contentHash: string }[];
    /** How the proposals were laid out: the paragraph numbers of the file depend on it. */
    sections: { number: number | null; heading: string; proposalIds: string[] }[];
    /** Redlines: the earlier revision compared. */
    fromRevision: number | null;
    suggestions: 'clean' | 'tracked';
    /** Open comment threads written as Word comments (absent in exports recorded before comments could be included). */
    comments?: 'omit' | 'include';
    /** The log's head position when the file was made. */
    logPosition: number;
  }
>;
export type ExportEvent = DocumentExported;
