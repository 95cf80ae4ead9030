import { canonicalJson, sha256Hex } from '@concord/integrity';

/** A ProseMirror node as JSON, e.g. `{"type":"doc","content":[{"type":"paragraph",…}]}`. */
export interface ProseMirrorJson {
  readonly type: string;
  readonly [key: string]: unknown;
}

/** Revision 0 of every proposal. */
export const EMPTY_DOCUMENT: ProseMirrorJson = { type: 'doc', content: [] };

/** sha256 (lower-case hex) of the RFC 8785 canonical JSON of a ProseMirror document. */
export function contentHash(document: ProseMirrorJson): string {
  return sha256Hex(canonicalJson(document));
}

export const EMPTY_DOCUMENT_HASH = contentHash(EMPTY_DOCUMENT);
