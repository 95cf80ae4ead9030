/**
 * Real editing traces (josephg/editing-traces, CC BY 4.0, Joseph Gentle — see
 * libs/content/src/testing/traces/README.md), read from the content library's fixture files (read
 * as data, not imported, so no project boundary is crossed). Format (gzipped JSON):
 * `{startContent, endContent, txns: [{patches: [[pos, delLen, insText]]}]}`, positions in code points.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type * as Y from 'yjs';
import { WORKSPACE_ROOT } from './api-process';

export type TracePatch = readonly [number, number, string];

export interface EditingTrace {
  readonly startContent: string;
  readonly endContent: string;
  readonly txns: ReadonlyArray<{ readonly patches: readonly TracePatch[] }>;
}

export const TRACES_DIR = join(WORKSPACE_ROOT, 'libs/content/src/testing/traces');

export function loadTrace(name: 'sveltecomponent' | 'friendsforever_flat'): EditingTrace {
  return JSON.parse(gunzipSync(readFileSync(join(TRACES_DIR, `${name}.json.gz`))).toString('utf8')) as EditingTrace;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Applies patches (code-point positions) to a string, independently of Yjs. */
export function applyPatches(text: string, patches: readonly TracePatch[]): string {
  for (const [position, deleteLength, insertText] of patches) {
    if (!SURROGATE.test(text) && !SURROGATE.test(insertText)) {
      text = text.slice(0, position) + insertText + text.slice(position + deleteLength);
    } else {
      const codePoints = Array.from(text);
      codePoints.splice(position, deleteLength, ...Array.from(insertText));
      text = codePoints.join('');
    }
  }
  return text;
}

/** The trace's text after each number of transactions in `counts` (ascending or not). */
export function textsAfter(trace: EditingTrace, counts: readonly number[]): Map<number, string> {
  const wanted = new Set(counts);
  const result = new Map<number, string>();
  let text = trace.startContent;
  if (wanted.has(0)) result.set(0, text);
  trace.txns.forEach((txn, index) => {
    text = applyPatches(text, txn.patches);
    if (wanted.has(index + 1)) result.set(index + 1, text);
  });
  return result;
}

/** UTF-16 offset of the code point at `codePoints` in `text`, starting at `from`. */
function utf16Offset(text: string, codePoints: number, from = 0): number {
  let offset = from;
  for (let counted = 0; counted < codePoints; counted++) {
    const code = text.charCodeAt(offset);
    offset += code >= 0xd800 && code <= 0xdbff && offset + 1 < text.length ? 2 : 1;
  }
  return offset;
}

/**
 * Applies one transaction's patches to a Y.XmlText. Yjs counts UTF-16 units, the trace code points:
 * once an astral character was typed (`state.astral`), positions are converted on the current text.
 */
export function applyPatchesToYText(text: Y.XmlText, patches: readonly TracePatch[], state: { astral: boolean }): void {
  for (const [position, deleteLength, insertText] of patches) {
    state.astral ||= SURROGATE.test(insertText);
    const astral = state.astral;
    const current = astral ? text.toString() : '';
    const start = astral ? utf16Offset(current, position) : position;
    const end = astral ? utf16Offset(current, deleteLength, start) : position + deleteLength;
    if (end > start) text.delete(start, end - start);
    if (insertText.length > 0) text.insert(start, insertText);
  }
}
