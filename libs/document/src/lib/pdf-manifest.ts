import { PDFDocument } from 'pdf-lib';
import type { DocumentManifest } from './document-model';

/** How a Concord PDF carries its manifest: in its document information's Subject. */
export const PDF_MANIFEST_PREFIX = 'Concord manifest: ';

/** The manifest a Concord PDF carries, or null. */
export async function readPdfManifest(file: Uint8Array): Promise<DocumentManifest | null> {
  try {
    const doc = await PDFDocument.load(file, { updateMetadata: false });
    const subject = doc.getSubject();
    return subject?.startsWith(PDF_MANIFEST_PREFIX) ? (JSON.parse(subject.slice(PDF_MANIFEST_PREFIX.length)) as DocumentManifest) : null;
  } catch {
    return null;
  }
}
