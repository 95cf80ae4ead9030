import { canonicalJson } from '@concord/integrity';
import { yXmlFragmentToProsemirrorJSON } from 'y-prosemirror';
import * as Y from 'yjs';
import { CONTENT_FIELD, recordedDocument } from './document-building';
import { normalisedContentHash, normaliseProseMirrorJson, toProseMirrorJson } from './rendering';

export interface RestoreOptions {
  /**
   * The client id the restore's new structs carry: the restoring user's (server-side) client.
   * Must not be a client id some other live replica is still writing with.
   */
  readonly clientId: number;
  readonly field?: string;
}

/**
 * An ordinary update that turns `current`'s content into `target`'s (ARCHITECTURE §7, restore):
 * applied to `current`, `toProseMirrorJson` of the result equals that of `target`. Top-level blocks
 * that both documents share at the start and at the end are left untouched (so their history and
 * authorship stay); the blocks in between are deleted and fresh copies of the target's are
 * inserted, all in one transaction by `clientId`. Returns null when the contents already match.
 * Neither document is modified.
 */
export function restoreUpdate(current: Y.Doc, target: Y.Doc, options: RestoreOptions): Uint8Array | null {
  const field = options.field ?? CONTENT_FIELD;
  if (normalisedContentHash(toProseMirrorJson(current, field)) === normalisedContentHash(toProseMirrorJson(target, field))) {
    return null;
  }
  const work = recordedDocument({ gc: current.gc });
  try {
    Y.applyUpdate(work, Y.encodeStateAsUpdate(current));
    // Only now: yjs gives a document a new random client id when a remote update advances its own.
    work.clientID = options.clientId;
    const stateBefore = Y.encodeStateVector(work);
    const fragment = work.getXmlFragment(field);
    const targetFragment = target.getXmlFragment(field);

    const currentBlocks = fragment.toArray();
    const targetBlocks = targetFragment.toArray();
    const currentKeys = blockKeys(fragment);
    const targetKeys = blockKeys(targetFragment);
    const same = (i: number, j: number): boolean => currentKeys[i] === targetKeys[j];
    let prefix = 0;
    while (prefix < currentKeys.length && prefix < targetKeys.length && same(prefix, prefix)) prefix++;
    let suffix = 0;
    while (
      suffix < currentKeys.length - prefix &&
      suffix < targetKeys.length - prefix &&
      same(currentKeys.length - 1 - suffix, targetKeys.length - 1 - suffix)
    ) {
      suffix++;
    }

    work.transact(() => {
      const deleteCount = currentBlocks.length - prefix - suffix;
      if (deleteCount > 0) fragment.delete(prefix, deleteCount);
      // (Y.XmlHook children cannot occur here: y-prosemirror refuses to render them above.)
      const inserted = targetBlocks
        .slice(prefix, targetBlocks.length - suffix)
        .map((block) => block.clone() as Y.XmlElement | Y.XmlText);
      if (inserted.length > 0) fragment.insert(prefix, inserted);
    });
    return Y.encodeStateAsUpdate(work, stateBefore);
  } finally {
    work.destroy();
  }
}

/** A comparable rendering of each top-level child of the fragment: its normalised ProseMirror JSON. */
function blockKeys(fragment: Y.XmlFragment): string[] {
  // y-prosemirror renders one entry per child of the fragment (an array for a stray Y.XmlText).
  const rendered = yXmlFragmentToProsemirrorJSON(fragment)['content'] as unknown[];
  return rendered.map((child) => canonicalJson(normaliseProseMirrorJson({ content: [child] }).content));
}
