import * as Y from 'yjs';
import { parseUpdateV1, ParsedUpdate, UpdateFormatError } from './update-format';
import type { Schema } from '@tiptap/pm/model';
import { getEditorSchema } from './editor-schema';
import { recordedDocument } from './document-building';
import { checkUpdateContent } from './update-placement';

export const DEFAULT_MAX_UPDATE_BYTES = 1_048_576;

export interface ValidateUpdateOptions {
  /** Largest accepted update in bytes (default 1 MiB). */
  readonly maxBytes?: number;
  /**
   * When given, items may only name these root types as their parent (Concord documents use only
   * `content`). An update that would create any other root type is rejected.
   */
  readonly allowedRootTypes?: readonly string[];
  /**
   * The ProseMirror schema the content must fit (`checkUpdateContent`): element names are node
   * types the parent may hold, attributes and marks are the schema's with values that pass
   * `EDITOR_ATTRIBUTE_RULES` (a link's `href` only `http:`, `https:`, `mailto:`), text only in
   * nodes with inline content, nothing written outside the `field` fragment. Default: the web
   * editor's schema (`getEditorSchema()`). `null` turns the check off (plain Yjs documents).
   * A schema implies `contentModel: 'prosemirror'`.
   */
  readonly schema?: Schema | null;
  /**
   * `'prosemirror'`: the update may only create the node types y-prosemirror / Tiptap write
   * (Y.XmlElement, Y.XmlText) and no subdocuments; any other shared type inside the `content`
   * fragment would make rendering and the editor fail. `'any'`: every Yjs type (only with
   * `schema: null`). Default: `'prosemirror'` when a schema applies.
   */
  readonly contentModel?: 'any' | 'prosemirror';
  /**
   * The document the update is about to be applied to (not modified). With it, the placement and
   * schema checks know the parent of every item the update attaches to existing content (e.g. a
   * string directly in the fragment, an element inside a text node, a new value for an existing
   * attribute); without it, only what the update itself shows is checked.
   */
  readonly doc?: Y.Doc;
  /** The fragment name for the placement check (default `content`). */
  readonly field?: string;
  /**
   * After the structural check, also apply the update to an empty scratch document inside a
   * try/catch (default false). Only catches inconsistencies internal to the update (an incremental
   * update mostly refers to items the scratch document lacks), and costs about 0.4 ms even for a
   * keystroke because creating a Y.Doc is not cheap: use it for self-contained uploads (imports).
   */
  readonly trialApply?: boolean;
}

/**
 * The verdict on an update; when it is valid, what the structural parse found, so that later steps
 * (`isNoopUpdate`, the collab server's preparation) use it instead of parsing the bytes again.
 */
export type UpdateValidation = { readonly ok: true; readonly parsed: ParsedUpdate } | { readonly ok: false; readonly reason: string };

/**
 * Decides whether bytes received from a client are a well-formed Yjs update (format v1) that is safe
 * to apply and store and that the editor can render: a bounded structural parse (`parseUpdateV1`),
 * the content policies (root types; by default the editor's schema, see `schema`), yjs's own
 * `Y.decodeUpdate` in a try/catch. Never throws and never hangs: the work is linear
 * in `update.length`, which is capped by `maxBytes` before anything is decoded.
 */
export function validateYjsUpdate(update: Uint8Array, options: ValidateUpdateOptions = {}): UpdateValidation {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_UPDATE_BYTES;
  if (!(update instanceof Uint8Array)) {
    return { ok: false, reason: 'update is not a Uint8Array' };
  }
  if (update.length === 0) {
    return { ok: false, reason: 'update is empty (zero bytes)' };
  }
  if (update.length > maxBytes) {
    return { ok: false, reason: `update is ${update.length} bytes, more than the limit of ${maxBytes}` };
  }
  let parsed: ParsedUpdate;
  try {
    parsed = parseUpdateV1(update);
  } catch (error) {
    return { ok: false, reason: describe(error) };
  }
  if (options.allowedRootTypes) {
    const allowed = new Set(options.allowedRootTypes);
    for (const name of parsed.rootTypeNames) {
      if (!allowed.has(name)) {
        return { ok: false, reason: `update writes to root type "${name}", which this document does not have` };
      }
    }
  }
  const schema = options.schema === undefined ? getEditorSchema() : options.schema;
  const proseMirrorOnly = schema !== null || options.contentModel === 'prosemirror';
  if (proseMirrorOnly) {
    for (const typeName of parsed.nestedTypes) {
      if (typeName !== 'YXmlElement' && typeName !== 'YXmlText') {
        return { ok: false, reason: `update creates a ${typeName}, which a ProseMirror document cannot hold` };
      }
    }
    if (parsed.structs.some((struct) => struct.kind === 'doc')) {
      return { ok: false, reason: 'update creates a subdocument, which a ProseMirror document cannot hold' };
    }
  }
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    // yjs's own decoder on bytes already known to be bounded: a second opinion, ~20 µs a keystroke.
    decoded = Y.decodeUpdate(update);
  } catch (error) {
    return { ok: false, reason: `yjs cannot decode the update: ${describe(error)}` };
  }
  if (schema !== null || (proseMirrorOnly && options.doc)) {
    let violation: string | null;
    try {
      violation = checkUpdateContent(update, { doc: options.doc, field: options.field, schema, decodedStructs: decoded.structs });
    } catch (error) {
      return { ok: false, reason: `update cannot be placed: ${describe(error)}` };
    }
    if (violation) return { ok: false, reason: violation };
  }
  if (options.trialApply ?? false) {
    const scratch = recordedDocument({ gc: false });
    try {
      Y.applyUpdate(scratch, update);
    } catch (error) {
      return { ok: false, reason: `update cannot be applied: ${describe(error)}` };
    } finally {
      scratch.destroy();
    }
  }
  return { ok: true, parsed };
}

function describe(error: unknown): string {
  if (error instanceof UpdateFormatError) return error.message;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/**
 * True when applying `update` to `doc` would change nothing: every struct it carries is already
 * integrated and every range it deletes is already deleted. Such updates are not recorded.
 * Structs or deletes that `doc` does not know yet (even if they would only become pending) count as
 * a change. Takes the update's parse (`validateYjsUpdate(…).parsed`) or parses the bytes, which throws
 * `UpdateFormatError` for a malformed update: validate first.
 */
export function isNoopUpdate(doc: Y.Doc, update: Uint8Array | ParsedUpdate): boolean {
  const parsed = update instanceof Uint8Array ? parseUpdateV1(update) : update;
  for (const struct of parsed.structs) {
    if (struct.kind === 'skip') continue;
    if (struct.clock + struct.length > Y.getState(doc.store, struct.client)) return false;
  }
  for (const range of parsed.deletes) {
    if (!isRangeDeleted(doc, range.client, range.clock, range.length)) return false;
  }
  return true;
}

function isRangeDeleted(doc: Y.Doc, client: number, clock: number, length: number): boolean {
  const end = clock + length;
  if (end > Y.getState(doc.store, client)) return false;
  const structs = doc.store.clients.get(client);
  if (!structs) return false;
  for (let index = Y.findIndexSS(structs, clock); index < structs.length; index++) {
    const struct = structs[index];
    if (struct.id.clock >= end) break;
    if (!struct.deleted) return false;
  }
  return true;
}
